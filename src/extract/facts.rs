//! Statements ("facts") in any text, an article or a note: per clause, the event word, the entities named,
//! the date and the place; and the anchoring of a date given relative to another event.

use crate::extract::dates::{self, Anchor, DateKind, DateValue, TemporalExpr};
use crate::extract::events::{EventKind, Trigger, find_triggers};
use crate::text::ByteRange;

pub type EntityId = usize;

/// A date attached to a fact, with the expression that gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FactDate {
    pub value: DateValue,
    /// The date expression in the text (for a relative date, the relative expression).
    pub range: ByteRange,
    /// "since 2008", "the first … since 1999": a claim about the previous occurrence.
    pub since: bool,
    /// How a relative date was resolved: the offset in days and the anchor event's date.
    pub derived_from: Option<(i32, DateValue)>,
}

/// A name found by the alias matcher in some text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    pub range: ByteRange,
    /// One entity, or several when a short name is ambiguous.
    pub candidates: Vec<EntityId>,
}

/// A fact found in a text before it is tied to an article (shared by the corpus and the notes).
#[derive(Clone, Debug)]
pub struct TextFact {
    pub kind: EventKind,
    pub entities: Vec<EntityId>,
    pub date: Option<FactDate>,
    pub place: Option<String>,
    pub sentence: ByteRange,
    pub trigger: ByteRange,
    pub qualified: bool,
    /// A relative date waiting for the date of another event ("a day after <event>").
    pub pending_anchor: Option<PendingAnchor>,
}

/// "a day after President Ruto spoke with … Blinken": the anchor event's kind and participants, and the offset.
#[derive(Clone, Debug)]
pub struct PendingAnchor {
    pub kind: Option<EventKind>,
    pub entities: Vec<EntityId>,
    pub days: i32,
    pub range: ByteRange,
}

/// "in Nairobi", "at the Pentagon": found without capture groups (fast), the name cut out afterwards.
static PLACE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?-u:\b)(?:in|at)\s+(?:the\s+)?(?:[A-Z][\w’'.-]+)(?:\s+[A-Z][\w’'-]+)*")
        .expect("place regex")
});

/// The place name of a [`PLACE`] match, without "in"/"at" and "the": its offset in the match and its text.
fn place_name(m: regex::Match<'_>) -> (usize, &str) {
    let s = m.as_str();
    let mut start = s.find(char::is_whitespace).unwrap_or(0);
    start += s[start..].len() - s[start..].trim_start().len();
    if let Some(rest) = s[start..].strip_prefix("the")
        && rest.starts_with(char::is_whitespace)
    {
        start = s.len() - rest.trim_start().len();
    }
    (m.start() + start, &s[start..])
}

/// Sentence-level facts in a text: for each sentence with an event word and at least one entity (or a
/// "this call"-style reference to the previous fact of the same kind), the entities, the date and the place.
pub fn facts_in_text(
    text: &str,
    sentences: &[ByteRange],
    mentions: &[Mention],
    dates: &[TemporalExpr],
) -> Vec<TextFact> {
    let mut out: Vec<TextFact> = Vec::new();
    // Clauses joined by "; ", ", and ", ", but " … each report their own event ("In May Ruto visited
    // Washington, and in November he met Langley"), so each is read on its own.
    let clauses: Vec<ByteRange> = sentences
        .iter()
        .flat_map(|s| clauses(text, s.clone()))
        .collect();
    for sr in &clauses {
        let triggers: Vec<Trigger> = find_triggers(text, sr.clone());
        if triggers.is_empty() {
            continue;
        }
        let in_sentence = |r: &ByteRange| sr.start <= r.start && r.end <= sr.end;
        // Both lists are sorted by start: look only at the stretch that can fall in this sentence.
        let m0 = mentions.partition_point(|m| m.range.start < sr.start);
        let m1 = mentions.partition_point(|m| m.range.start < sr.end);
        let sent_mentions: Vec<&Mention> = mentions[m0..m1.max(m0)]
            .iter()
            .filter(|m| in_sentence(&m.range))
            .collect();
        let d0 = dates.partition_point(|d| d.span.start < sr.start);
        let d1 = dates.partition_point(|d| d.span.start < sr.end);
        let sent_dates: Vec<&TemporalExpr> = dates[d0..d1.max(d0)]
            .iter()
            .filter(|d| in_sentence(&d.span))
            .collect();
        // A relative-to-event expression splits the sentence into the main clause and the anchor event:
        // "X came a day after <anchor>", or sentence-initial "Two days after <anchor>, X".
        let anchor_expr = sent_dates
            .iter()
            .find(|d| d.relative.is_some_and(|r| r.anchor == Anchor::Event));
        let (main, anchor_clause): (Vec<ByteRange>, Option<ByteRange>) = match anchor_expr {
            None => (vec![sr.clone()], None),
            Some(d) => {
                let lead = text[sr.start..d.span.start].trim();
                if lead.is_empty() || matches!(lead, "Just" | "Only" | "Exactly" | "just" | "only")
                {
                    let comma = text[d.span.end..sr.end]
                        .find(',')
                        .map_or(sr.end, |i| d.span.end + i);
                    (
                        vec![sr.start..d.span.end, comma..sr.end],
                        Some(d.span.end..comma),
                    )
                } else {
                    (
                        std::iter::once(sr.start..d.span.end).collect(),
                        Some(d.span.end..sr.end),
                    )
                }
            }
        };
        let in_main = |r: &ByteRange| main.iter().any(|m| m.start <= r.start && r.end <= m.end);
        let main_ids = ids_where(&sent_mentions, in_main);
        let Some(main_trigger) = triggers
            .iter()
            .find(|t| in_main(&t.range))
            .or(triggers.first())
        else {
            continue;
        };
        let pending_anchor = anchor_expr.zip(anchor_clause.clone()).map(|(d, clause)| {
            let inside = |r: &ByteRange| clause.start <= r.start && r.end <= clause.end;
            PendingAnchor {
                kind: triggers.iter().find(|t| inside(&t.range)).map(|t| t.kind),
                entities: ids_where(&sent_mentions, inside),
                days: d.relative.map_or(0, |r| r.days),
                range: d.span.clone(),
            }
        });
        // "the first official visit … since 2008": a dated claim of its own, about the event word before it.
        for d in sent_dates.iter().filter(|d| d.kind == DateKind::Since) {
            let (Some(value), Some(t)) = (
                d.value,
                triggers.iter().rev().find(|t| t.range.end <= d.span.start),
            ) else {
                continue;
            };
            let ids = if main_ids.is_empty() {
                out.last().map(|f| f.entities.clone()).unwrap_or_default()
            } else {
                main_ids.clone()
            };
            if ids.is_empty() {
                continue;
            }
            out.push(TextFact {
                kind: t.kind,
                entities: ids,
                date: Some(FactDate {
                    value,
                    range: d.span.clone(),
                    since: true,
                    derived_from: None,
                }),
                place: None,
                sentence: sr.clone(),
                trigger: t.range.clone(),
                qualified: t.qualified,
                pending_anchor: None,
            });
        }
        // The date of the main clause: the absolute or resolved expression nearest its event word.
        let date = sent_dates
            .iter()
            .filter(|d| {
                in_main(&d.span)
                    && d.value.is_some()
                    && d.kind != DateKind::Since
                    && d.relative.is_none_or(|r| r.anchor != Anchor::Event)
            })
            .min_by_key(|d| distance(&d.span, &main_trigger.range))
            .and_then(|d| {
                Some(FactDate {
                    value: d.value?,
                    range: d.span.clone(),
                    since: false,
                    derived_from: None,
                })
            });
        let place = PLACE
            .find_iter(&text[sr.clone()])
            .map(|m| {
                let (at, name) = place_name(m);
                (sr.start + at..sr.start + at + name.len(), name)
            })
            .find(|(r, p)| {
                in_main(r)
                    && !is_month_or_weekday(p.split_whitespace().next().unwrap_or(""))
                    && !sent_mentions
                        .iter()
                        .any(|m| m.range.start < r.end && r.start < m.range.end)
            })
            .map(|(_, p)| p.trim_end_matches(['.', ',']).to_string());
        // "This call", "the meeting", "that phone conversation": a reference back, not a new event.
        let demonstrative = text[sr.start..main_trigger.range.end]
            .to_lowercase()
            .split_whitespace()
            .rev()
            .take(4)
            .any(|w| matches!(w, "this" | "that" | "the"));
        if main_ids.is_empty() {
            // "This call came just a day after …": the same event as the last fact of this kind.
            if demonstrative
                && let Some(prev) = out.iter_mut().rev().find(|f| {
                    !f.date.as_ref().is_some_and(|d| d.since)
                        && f.kind.compatible(main_trigger.kind)
                })
            {
                if prev.date.is_none() {
                    prev.date = date.clone();
                }
                if prev.pending_anchor.is_none() && prev.date.is_none() {
                    prev.pending_anchor = pending_anchor;
                }
            }
            continue;
        }
        out.push(TextFact {
            kind: main_trigger.kind,
            entities: main_ids,
            date,
            place,
            sentence: sr.clone(),
            trigger: main_trigger.range.clone(),
            qualified: main_trigger.qualified,
            pending_anchor,
        });
    }
    out
}

/// A sentence cut at clause boundaries that separate events (not at dashes, unlike the statements' clauses:
/// an event fact keeps an aside with its event).
fn clauses(text: &str, sentence: ByteRange) -> Vec<ByteRange> {
    let breaks = super::breaks::clause_breaks(&text[sentence.clone()], false);
    super::statements::split_at(sentence, breaks)
}

/// "in March", "on Monday" are dates, not places.
fn is_month_or_weekday(word: &str) -> bool {
    dates::MONTH_NAMES.contains(&word) || dates::WEEKDAY_NAMES.contains(&word)
}

fn ids_where(mentions: &[&Mention], keep: impl Fn(&ByteRange) -> bool) -> Vec<EntityId> {
    let mut ids: Vec<EntityId> = mentions
        .iter()
        .filter(|m| keep(&m.range))
        .filter_map(|m| match m.candidates.as_slice() {
            [id] => Some(*id),
            _ => None,
        })
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

fn distance(a: &ByteRange, b: &ByteRange) -> usize {
    if a.end <= b.start {
        b.start - a.end
    } else {
        a.start.saturating_sub(b.end)
    }
}

/// Resolve the pending anchors of text facts against a pool of dated facts.
pub fn resolve_anchor(
    anchor: &PendingAnchor,
    pool: &[(EventKind, &[EntityId], &FactDate)],
) -> Option<FactDate> {
    let candidates: Vec<&FactDate> = pool
        .iter()
        .filter(|(k, ids, _)| {
            anchor.kind.is_none_or(|ak| ak.compatible(*k))
                && !anchor.entities.is_empty()
                && anchor.entities.iter().all(|e| ids.contains(e))
        })
        .map(|(_, _, d)| *d)
        .collect();
    let first = candidates.first()?;
    if candidates.iter().any(|d| d.value != first.value) {
        return None;
    }
    let value = dates::shift(&first.value, anchor.days)?;
    Some(FactDate {
        value,
        range: anchor.range.clone(),
        since: false,
        derived_from: Some((anchor.days, first.value)),
    })
}
