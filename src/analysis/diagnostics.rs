//! The checks: dates that conflict with the sources, weekdays that do not fit their dates, quotations no
//! article contains, and citations that match no article — each with the narrowest range and quick fixes.

use super::navigate::MIN_QUOTE_WORDS;
use super::note::NoteIndex;
use crate::extract::dates::{self, DateValue, PartialDate};
use crate::extract::names::{EntityKind, collapse};
use crate::kb::{
    EntityId, Fact, FactDate, KeyMatch, KnowledgeBase, QuoteMatch, Source, TextFact, resolve_anchor,
};
use crate::text::{ByteRange, fold, word_count};
use std::collections::BTreeSet;

/// Diagnostic codes.
pub const DATE_CONFLICT: &str = "date-conflict";
pub const WEEKDAY_MISMATCH: &str = "weekday-mismatch";
pub const UNVERIFIED_QUOTE: &str = "unverified-quote";
pub const UNKNOWN_SOURCE: &str = "unknown-source";
pub const ALL_CODES: &[&str] = &[
    DATE_CONFLICT,
    WEEKDAY_MISMATCH,
    UNVERIFIED_QUOTE,
    UNKNOWN_SOURCE,
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Information,
}

/// A source passage that explains a diagnostic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub source: Source,
    pub message: String,
}

/// A quick fix: text edits on the note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<(ByteRange, String)>,
    pub preferred: bool,
}

/// A finding in a note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub range: ByteRange,
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub related: Vec<Related>,
    pub fixes: Vec<Fix>,
}

/// Which checks run.
#[derive(Clone, Debug, Default)]
pub struct CheckOptions {
    pub disabled: BTreeSet<String>,
}

/// All diagnostics of a note, sorted by position.
pub fn diagnostics(
    kb: &KnowledgeBase,
    note: &NoteIndex,
    text: &str,
    opts: &CheckOptions,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // A disabled check is not run (its findings would be dropped below): the date checks and the quotation
    // look-ups read the corpus. The weekday check always runs, as the claim check leaves its findings alone.
    let runs = |code: &str| !opts.disabled.contains(code);
    // Quotations are looked up (reading the articles that may hold them) on a thread of their own while the
    // dates are checked: neither reads what the other finds. A note without any starts no thread.
    let mut quotes = Vec::new();
    let look_up_quotes = runs(UNVERIFIED_QUOTE) && !note.quotes.is_empty();
    std::thread::scope(|scope| {
        let quoted = look_up_quotes.then(|| {
            std::thread::Builder::new()
                .name("dossier-quotes".to_string())
                .spawn_scoped(scope, || {
                    let mut found = Vec::new();
                    unverified_quotes(kb, note, text, &mut found);
                    found
                })
        });
        let dates = runs(DATE_CONFLICT);
        if dates {
            date_conflicts(kb, note, text, &mut out);
        }
        weekday_mismatches(note, text, &mut out);
        if dates {
            claim_conflicts(kb, note, text, &mut out);
        }
        match quoted.map(|spawned| spawned.map(|h| h.join())) {
            Some(Ok(Ok(found))) => quotes = found,
            // A panic there is the caller's, as it would have been here.
            Some(Ok(Err(panic))) => std::panic::resume_unwind(panic),
            // No thread to be had: here, then.
            Some(Err(_)) => unverified_quotes(kb, note, text, &mut quotes),
            // No quotation, or the check is disabled.
            None => {}
        }
    });
    out.append(&mut quotes);
    if runs(UNKNOWN_SOURCE) {
        unknown_sources(kb, note, &mut out);
    }
    out.retain(|d| {
        let line = note.lines.line_of(d.range.start);
        !opts.disabled.contains(d.code) && !note.ignores.silences(line, d.code)
    });
    for d in &mut out {
        let line = note.lines.line_of(d.range.start);
        if let Some(r) = note.lines.line_range(text, line) {
            let indent: String = text[r.clone()]
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect();
            d.fixes.push(Fix {
                title: format!("Ignore {} on this line", d.code),
                edits: vec![(
                    r.start..r.start,
                    format!("{indent}<!-- dossier-ignore {} -->\n", d.code),
                )],
                preferred: false,
            });
        }
    }
    out.sort_by_key(|d| (d.range.start, d.code));
    out
}

/// A date value in words (see [`DateValue::describe`]).
pub fn describe(v: &DateValue) -> String {
    v.describe()
}

/// A day in words ("5 November 2009").
fn day_words(d: jiff::civil::Date) -> String {
    DateValue::Point(dates::PartialDate::from_date(d)).describe()
}

/// " (a day after 7 November (year not stated))" for a date resolved from another event's date, else nothing.
fn relative_suffix(d: &FactDate) -> String {
    d.derived_from
        .as_ref()
        .map_or(String::new(), |(days, anchor)| {
            format!(" ({})", relative_phrase(*days, anchor))
        })
}

/// "a day after 7 November (year not stated)".
fn relative_phrase(days: i32, anchor: &DateValue) -> String {
    let rel = match days {
        1 => "a day after".to_string(),
        -1 => "a day before".to_string(),
        d if d > 0 => format!("{d} days after"),
        d => format!("{} days before", -d),
    };
    format!("{rel} {}", describe(anchor))
}

/// How well a source fact matches a note fact: `None` when it cannot be the same event.
fn match_score(kb: &KnowledgeBase, note: &TextFact, src: &Fact) -> Option<usize> {
    if !note.kind.compatible(src.kind) {
        return None;
    }
    let shared: Vec<EntityId> = note
        .entities
        .iter()
        .copied()
        .filter(|e| src.entities.contains(e))
        .collect();
    if shared.is_empty() {
        return None;
    }
    let agreement = shared
        .iter()
        .any(|e| kb.entities[*e].kind == EntityKind::Agreement);
    let people = shared
        .iter()
        .filter(|e| kb.entities[**e].kind == EntityKind::Person)
        .count();
    let place = match (&note.place, &src.place) {
        (Some(a), Some(b)) => fold(a) == fold(b),
        _ => false,
    };
    let qualified = note.qualified && src.qualified && note.kind == src.kind;
    let score =
        shared.len() * 2 + usize::from(place) + usize::from(qualified) + usize::from(agreement) * 2;
    let enough = people >= 2
        || agreement
        || (shared.len() == 1 && (place || qualified))
        || shared.len() >= 2;
    enough.then_some(score)
}

/// Combine the note's date with the source's known parts, for a quick fix in the note's own style.
fn corrected(note: &DateValue, src: &DateValue) -> DateValue {
    fn merge(n: PartialDate, s: PartialDate) -> PartialDate {
        let mut out = PartialDate {
            year: s.year.or(n.year),
            month: s.month.or(n.month),
            day: s.day.or(n.day),
            weekday: None,
            period: None,
        };
        // Keep the note's precision: don't add a day the note did not state unless the month changed too.
        if n.day.is_none() && s.month == n.month {
            out.day = None;
        }
        if n.day.is_none() && s.month.is_some() && n.month.is_some() {
            out.day = None;
        }
        out
    }
    match (note, src) {
        (DateValue::Point(n), DateValue::Point(s)) => DateValue::Point(merge(*n, *s)),
        (DateValue::Range { start: a, end: b }, DateValue::Range { start: c, end: d }) => {
            DateValue::Range {
                start: merge(*a, *c),
                end: merge(*b, *d),
            }
        }
        (DateValue::Point(n), DateValue::Range { start, .. }) => {
            DateValue::Point(merge(*n, *start))
        }
        (DateValue::Range { .. }, DateValue::Point(_)) => *src,
    }
}

fn date_conflicts(kb: &KnowledgeBase, note: &NoteIndex, text: &str, out: &mut Vec<Diagnostic>) {
    // Dated facts the note's relative expressions may count from: the note's own, then the corpus's.
    let note_pool: Vec<_> = note
        .facts
        .iter()
        .filter_map(|f| f.date.as_ref().map(|d| (f.kind, f.entities.as_slice(), d)))
        .collect();
    let corpus_pool: Vec<_> = kb
        .facts
        .iter()
        .filter_map(|f| f.date.as_ref().map(|d| (f.kind, f.entities.as_slice(), d)))
        .collect();
    for f in &note.facts {
        let date: FactDate = match (&f.date, &f.pending_anchor) {
            (Some(d), _) => d.clone(),
            (None, Some(a)) => {
                match resolve_anchor(a, &note_pool).or_else(|| resolve_anchor(a, &corpus_pool)) {
                    Some(d) => d,
                    None => continue,
                }
            }
            _ => continue,
        };
        if note
            .headings
            .iter()
            .any(|h| h.start <= date.range.start && date.range.end <= h.end)
        {
            continue;
        }
        let matches: Vec<(&Fact, &FactDate)> = kb
            .facts
            .iter()
            .filter(|s| match_score(kb, f, s).is_some())
            .filter_map(|s| s.date.as_ref().map(|d| (s, d)))
            .filter(|(_, d)| d.since == date.since)
            .collect();
        if matches.is_empty() {
            continue;
        }
        // A false alarm costs more than a miss: stay quiet unless every dated source contradicts the note.
        if matches
            .iter()
            .any(|(_, d)| !d.value.conflicts_with(&date.value))
        {
            continue;
        }
        let (first, first_date) = matches[0];
        let a = kb.article(first.source.article);
        let others: Vec<String> = f
            .entities
            .iter()
            .filter(|e| first.entities.contains(e))
            .map(|e| kb.entities[*e].name.clone())
            .collect();
        let how = relative_suffix(first_date);
        let note_how = relative_suffix(&date);
        let one = matches.len() == 1;
        let (verb, what, src_when, note_when) = if date.since {
            (
                if one {
                    "The source calls it"
                } else {
                    "The sources call it"
                },
                format!("the first {}", first.kind.noun()),
                format!("since {}", describe(&first_date.value)),
                format!("since {}", describe(&date.value)),
            )
        } else {
            (
                if one {
                    "The source dates"
                } else {
                    "The sources date"
                },
                format!("this {}", first.kind.noun()),
                format!("to {}{how}", describe(&first_date.value)),
                format!("{}{note_how}", describe(&date.value)),
            )
        };
        let message = format!(
            "{verb} {what} ({}) {src_when}, not {note_when} — “{}”, line {}",
            others.join(", "),
            super::passages::article_label(a),
            a.line_of(first_date.range.start),
        );
        let related = matches
            .iter()
            .map(|(s, d)| {
                let art = kb.article(s.source.article);
                Related {
                    source: Source {
                        article: s.source.article,
                        range: d.range.clone(),
                    },
                    message: format!(
                        "{}: “{}”",
                        super::passages::article_label(art),
                        super::passages::excerpt(&art.text()[s.source.range.clone()])
                    ),
                }
            })
            .collect();
        let note_text = &text[date.range.clone()];
        let mut fixes = Vec::new();
        if f.date.is_some()
            && let Some(new) =
                dates::format_like(note_text, &corrected(&date.value, &first_date.value))
            && new != note_text
        {
            fixes.push(Fix {
                title: format!(
                    "Replace with “{new}” (source: {})",
                    super::passages::article_label(a)
                ),
                edits: vec![(date.range.clone(), new)],
                preferred: true,
            });
        }
        out.push(Diagnostic {
            range: date.range.clone(),
            severity: Severity::Warning,
            code: DATE_CONFLICT,
            message,
            related,
            fixes,
        });
    }
}

fn weekday_mismatches(note: &NoteIndex, text: &str, out: &mut Vec<Diagnostic>) {
    for d in &note.dates {
        let Some(DateValue::Point(p)) = d.value else {
            continue;
        };
        let (Some(y), Some(m), Some(day), Some(stated)) = (p.year, p.month, p.day, p.weekday)
        else {
            continue;
        };
        let Ok(date) = jiff::civil::Date::new(y, m, day) else {
            continue;
        };
        let actual = date.weekday();
        if actual == stated {
            continue;
        }
        let span = &text[d.span.clone()];
        let actual_name = dates::WEEKDAY_NAMES[actual.to_monday_zero_offset() as usize];
        let stated_name = dates::WEEKDAY_NAMES[stated.to_monday_zero_offset() as usize];
        // The weekday word inside the expression, full or abbreviated.
        let lower = span.to_lowercase();
        let word = [stated_name.to_lowercase(), stated_name[..3].to_lowercase()]
            .into_iter()
            .find_map(|w| lower.find(&w).map(|i| (i, w.len())));
        let mut fixes = Vec::new();
        if let Some((i, len)) = word {
            let written = &span[i..i + len];
            let mut replacement = if len == 3 {
                actual_name[..3].to_string()
            } else {
                actual_name.to_string()
            };
            if written.chars().all(|c| c.is_lowercase()) {
                replacement = replacement.to_lowercase();
            }
            fixes.push(Fix {
                title: format!("Replace “{written}” with “{replacement}”"),
                edits: vec![(d.span.start + i..d.span.start + i + len, replacement)],
                preferred: true,
            });
        }
        out.push(Diagnostic {
            range: d.span.clone(),
            severity: Severity::Warning,
            code: WEEKDAY_MISMATCH,
            message: format!(
                "{} {} {y} is a {actual_name}, not a {stated_name}",
                day,
                dates::MONTH_NAMES[(m - 1) as usize]
            ),
            related: Vec::new(),
            fixes,
        });
    }
}

fn unverified_quotes(kb: &KnowledgeBase, note: &NoteIndex, text: &str, out: &mut Vec<Diagnostic>) {
    for q in &note.quotes {
        let inner = &text[q.inner.clone()];
        if word_count(inner) < MIN_QUOTE_WORDS {
            continue;
        }
        match kb.find_quote(inner) {
            QuoteMatch::Exact(_) => {}
            QuoteMatch::None => out.push(Diagnostic {
                range: q.inner.clone(),
                severity: Severity::Information,
                code: UNVERIFIED_QUOTE,
                message: "No article in the reference base contains this quotation".to_string(),
                related: Vec::new(),
                fixes: Vec::new(),
            }),
            QuoteMatch::Near { source, .. } => {
                let folded_q = fold(inner);
                let qwords: Vec<&str> = folded_q.split(' ').collect();
                // The near match is already narrowed to the words that align with the quotation.
                let window = source.range.clone();
                let a = kb.article(source.article);
                let src_text =
                    collapse(a.text()[window.clone()].trim_matches(|c: char| c.is_whitespace()));
                let folded_s = fold(&src_text);
                let swords: Vec<&str> = folded_s.split(' ').collect();
                let missing: Vec<&str> = qwords
                    .iter()
                    .copied()
                    .filter(|w| !swords.contains(w))
                    .collect();
                let extra: Vec<&str> = swords
                    .iter()
                    .copied()
                    .filter(|w| !qwords.contains(w))
                    .collect();
                let how = match (missing.is_empty(), extra.is_empty()) {
                    (false, false) => format!(
                        "the source says “{}” where the note has “{}”",
                        extra.join(" "),
                        missing.join(" ")
                    ),
                    (false, true) => format!("the note adds “{}”", missing.join(" ")),
                    (true, false) => format!("the note leaves out “{}”", extra.join(" ")),
                    (true, true) => "the words are in a different order".to_string(),
                };
                out.push(Diagnostic {
                    range: q.inner.clone(),
                    severity: Severity::Information,
                    code: UNVERIFIED_QUOTE,
                    message: format!(
                        "No article has these exact words; closest is “{}”, line {}: “{}” — {how}",
                        super::passages::article_label(a),
                        a.line_of(window.start),
                        super::passages::excerpt(&src_text)
                    ),
                    related: vec![Related {
                        source: Source {
                            article: source.article,
                            range: window,
                        },
                        message: "closest passage".to_string(),
                    }],
                    fixes: vec![Fix {
                        title: format!(
                            "Use the source’s words ({})",
                            super::passages::article_label(a)
                        ),
                        edits: vec![(q.inner.clone(), src_text)],
                        preferred: true,
                    }],
                });
            }
        }
    }
}

fn unknown_sources(kb: &KnowledgeBase, note: &NoteIndex, out: &mut Vec<Diagnostic>) {
    for c in &note.citations {
        match &c.target {
            KeyMatch::One(_) => {}
            KeyMatch::None => out.push(Diagnostic {
                range: c.key_range.clone(),
                severity: Severity::Warning,
                code: UNKNOWN_SOURCE,
                message: format!("No article matches the citation key “{}”", c.key),
                related: Vec::new(),
                fixes: Vec::new(),
            }),
            KeyMatch::Ambiguous(ixs) => {
                let ids: Vec<&str> = ixs.iter().map(|i| kb.article(*i).id()).collect();
                out.push(Diagnostic {
                    range: c.key_range.clone(),
                    severity: Severity::Warning,
                    code: UNKNOWN_SOURCE,
                    message: format!(
                        "The citation key “{}” matches {} articles: {}",
                        c.key,
                        ids.len(),
                        ids.iter().take(5).copied().collect::<Vec<_>>().join(", ")
                    ),
                    related: Vec::new(),
                    fixes: ids
                        .iter()
                        .take(5)
                        .map(|id| Fix {
                            title: format!("Cite {id}"),
                            edits: vec![(c.key_range.clone(), id.to_string())],
                            preferred: false,
                        })
                        .collect(),
                });
            }
        }
    }
}

/// Conflicts found by matching the note's dated clauses with the corpus's (see [`super::claims`]), where the
/// event checks above said nothing.
fn claim_conflicts(kb: &KnowledgeBase, note: &NoteIndex, text: &str, out: &mut Vec<Diagnostic>) {
    let taken: Vec<ByteRange> = out
        .iter()
        .filter(|d| d.code == DATE_CONFLICT || d.code == WEEKDAY_MISMATCH)
        .map(|d| d.range.clone())
        .collect();
    let mut flagged: Vec<ByteRange> = Vec::new();
    for c in super::claims::check_note(kb, note, text) {
        let super::claims::Verdict::Conflict(i) = c.verdict else {
            continue;
        };
        let range = c.claim.date.range.clone();
        if taken
            .iter()
            .chain(flagged.iter())
            .any(|r| r.start < range.end && range.start < r.end)
        {
            continue;
        }
        let cand = &c.candidates[i];
        let Some(src_date) = &cand.date else {
            continue;
        };
        let a = kb.article(cand.article);
        let st = &a.statements[cand.statement];
        let deadline = dates::DateKind::Deadline;
        let (what, src_when, note_when) = if src_date.kind == dates::DateKind::Reported {
            // Undated, but reported as done: it happened by the day the source was published.
            (
                "this",
                format!(
                    "on or before {} (it reports it as done that day)",
                    describe(&src_date.value)
                ),
                describe(&c.claim.date.value),
            )
        } else if src_date.kind == deadline || c.claim.date.kind == deadline {
            // A deadline ("by early June") against an event after it, or against another deadline.
            let by = |d: &crate::extract::statements::StatedDate| {
                if d.kind == deadline {
                    format!("no later than {}", describe(&d.value))
                } else {
                    describe(&d.value)
                }
            };
            ("this", by(src_date), by(&c.claim.date))
        } else if src_date.kind == dates::DateKind::Elapsed {
            // "has been declining for more than two years": the state began within a stretch of days.
            let began = match (src_date.value.first_day(), src_date.value.last_day()) {
                (Some(a), Some(b)) => format!("between {} and {}", day_words(a), day_words(b)),
                (None, Some(b)) => format!("on or before {}", day_words(b)),
                _ => describe(&src_date.value),
            };
            (
                "the start of this",
                format!("{began} (counting back how long it has lasted)"),
                format!("since {}", describe(&c.claim.date.value)),
            )
        } else if src_date.baseline {
            // "an increase of 54 points from March 12": the change came after the day it is measured from.
            (
                "this",
                format!(
                    "after {}, the day it is measured from",
                    describe(&src_date.value)
                ),
                format!("on {}", describe(&c.claim.date.value)),
            )
        } else if c.claim.date.since() {
            (
                "the start of this",
                format!("since {}", describe(&src_date.value)),
                format!("since {}", describe(&c.claim.date.value)),
            )
        } else {
            (
                "this",
                describe(&src_date.value),
                describe(&c.claim.date.value),
            )
        };
        let message = format!(
            "The source dates {what} to {src_when}, not {note_when} — “{}”, line {}: “{}”",
            super::passages::article_label(a),
            a.line_of(src_date.range.start),
            super::passages::excerpt(&a.text()[st.clause.clone()]),
        );
        let note_text = &text[range.clone()];
        let mut fixes = Vec::new();
        if c.claim.date.kind != dates::DateKind::RelativeToAnchor
            && !src_date.baseline
            && !src_date.bound()
            && (src_date.kind == deadline) == (c.claim.date.kind == deadline)
            && let Some(new) =
                dates::format_like(note_text, &corrected(&c.claim.date.value, &src_date.value))
            && new != note_text
        {
            fixes.push(Fix {
                title: format!(
                    "Replace with “{new}” (source: {})",
                    super::passages::article_label(a)
                ),
                edits: vec![(range.clone(), new)],
                preferred: true,
            });
        }
        flagged.push(range.clone());
        out.push(Diagnostic {
            range,
            severity: Severity::Warning,
            code: DATE_CONFLICT,
            message,
            related: vec![Related {
                source: Source {
                    article: cand.article,
                    range: src_date.range.clone(),
                },
                message: format!(
                    "{}: “{}”",
                    super::passages::article_label(a),
                    super::passages::excerpt(&a.text()[st.clause.clone()])
                ),
            }],
            fixes,
        });
    }
}
