//! Date claims: each dated clause of a note matched with the source clauses that may report the same event,
//! scored, and judged consistent, in conflict or unverifiable — the reasoning behind `date-conflict` and
//! `dossier explain`.
//!
//! A claim and a source statement are taken for the same event by the words they share, weighted by rarity
//! (figures most, then names, then content-word stems), with a bonus when the note cites the article. A
//! conflict is reported only when the best match is clearly the same event, no comparably good match agrees
//! with the note's date, and the dates both sides state disagree on a part both state.

use super::bounds::{excludes, later_than, occurrence};
use super::note::NoteIndex;
use crate::extract::bounds::stated_kind;
use crate::extract::dates::{Anchor, DateKind, DateValue, PartialDate};
use crate::extract::statements::{
    StatedDate, Statement, Term, TermKind, attributive, clauses, rejoin_sentences, since_event,
    terms_at,
};
use crate::kb::{ArticleIx, KeyMatch, KnowledgeBase};
use crate::text::ByteRange;
use std::collections::BTreeSet;

/// A date the note states about an event, with the words that identify the event.
#[derive(Clone, Debug)]
pub struct Claim {
    pub clause: ByteRange,
    pub date: StatedDate,
    /// Sorted, no repeats.
    pub terms: Vec<(Term, TermKind)>,
    /// Per term: 1 when the term is nearest this date, less when it is nearer another date of the clause.
    pub factors: Vec<f32>,
    /// The other dates the note gives this clause (its own and the head of its line): a source date equal to
    /// one of them is about that, not evidence against this claim. The first flag marks the head of the line,
    /// the second a deadline ("by the end of January 2010").
    pub context: Vec<(DateValue, bool, bool)>,
    /// Articles cited on the claim's line.
    pub cited: Vec<ArticleIx>,
    /// The date was stated at the head of the line ("- **3 June 2009**: …") and applies to this clause.
    pub from_line_head: bool,
    /// The claim's identifying weight (see [`claim_weight`]), computed once.
    pub weight: f32,
    /// The date is when the clause's event happened (see [`occurrence`]), not a plan, an expiry or a
    /// deadline: only then can a report of the event as done rule it out.
    pub occurrence: bool,
    /// A cited article reports the claim in some sentence, dated or not (see [`cited_passage`]).
    pub cited_passage: bool,
    /// The claim's own names (capitalised words nearest its date) in each undated sentence of a cited
    /// article that has at least two of them, sorted.
    pub undated_names: Vec<Vec<Term>>,
    /// The best share of the claim's full weight (every word at its corpus or rarest weight) that one
    /// undated sentence of a cited article covers (see [`undated_cover`]).
    pub undated_cover: f32,
}

/// A source statement that may report the claim's event.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub article: ArticleIx,
    pub statement: usize,
    /// Weighted shared terms, with the citation bonus.
    pub score: f32,
    /// Share of the claim's (known) term weight found in the statement.
    pub coverage: f32,
    /// How many of the claim's terms the statement has.
    pub shared: usize,
    /// Share of the claim's full weight (see [`full_cover`]) found in the statement.
    pub full_coverage: f32,
    pub cited: bool,
    /// The source date compared with the claim's, and whether they agree.
    pub date: Option<StatedDate>,
    pub agrees: bool,
    /// The source date is one the note gives another part of the clause.
    pub explained: bool,
}

/// The judgement on a claim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// A matching source states a compatible date.
    Consistent,
    /// The best match states an incompatible date (index into the candidates).
    Conflict(usize),
    /// No source is clearly about this event, or none states a comparable date.
    Unverifiable,
}

/// A claim, its best candidates (best first) and the verdict, with the reason in words.
#[derive(Clone, Debug)]
pub struct ClaimCheck {
    pub claim: Claim,
    pub candidates: Vec<Candidate>,
    pub verdict: Verdict,
    pub reason: String,
}

/// A match must cover this share of the claim's identifying weight…
const MIN_COVERAGE: f32 = 0.40;
/// …and reach this absolute weight (a few rare words, not one common one).
const MIN_SCORE: f32 = 9.0;
/// …and share at least this many of the claim's own words.
const MIN_SHARED: usize = 2;
/// Candidates within this factor of the best count as equally plausible.
const RIVAL: f32 = 0.8;
/// Bonus factor for a statement of an article the claim cites.
const CITED_BONUS: f32 = 1.3;
/// Candidates kept for explanation.
const KEEP: usize = 5;

/// A date is a head-of-line lead when only list markers, emphasis and spaces precede it on its line and a
/// colon or dash follows it.
fn line_head_date<'a>(
    text: &str,
    note: &'a NoteIndex,
    line: usize,
) -> Option<&'a crate::extract::dates::TemporalExpr> {
    let r = note.lines.line_range(text, line)?;
    let d = note
        .dates
        .iter()
        .find(|d| r.start <= d.span.start && d.span.end <= r.end)?;
    let before = &text[r.start..d.span.start];
    let after = text[d.span.end..r.end].trim_start_matches(['*', '_', ' ']);
    (before
        .chars()
        .all(|c| matches!(c, '-' | '*' | '+' | '_' | ' ' | '\t'))
        && (after.starts_with(':') || after.starts_with('—') || after.starts_with("–")))
    .then_some(d)
}

/// A weekday-only value ("on Wednesday") resolved against the note's previous day-precise date: the first such
/// weekday after it, within a week.
fn resolve_weekday(value: &DateValue, previous: Option<jiff::civil::Date>) -> Option<DateValue> {
    let DateValue::Point(p) = value else {
        return None;
    };
    let (Some(w), None, Some(prev)) = (p.weekday, p.month, previous) else {
        return None;
    };
    let mut d = prev;
    for _ in 0..7 {
        d = d.tomorrow().ok()?;
        if d.weekday() == w {
            let mut out = PartialDate::from_date(d);
            out.weekday = Some(w);
            return Some(DateValue::Point(out));
        }
    }
    None
}

static DAY_LIST: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?:\b\d{1,2}(?:st|nd|rd|th)?(?:\s*,\s*|\s+(?:and|or)\s+|\s*&\s*))+$")
        .expect("day list regex")
});

/// The other days of a coordinated list whose last member carries the month ("4 and 11 September",
/// "3, 4 or 5 May"): the month and year distribute over every member, so each is a date the note gives.
fn listed_days(text: &str, span: &ByteRange, value: &DateValue) -> Vec<DateValue> {
    let DateValue::Point(p) = value else {
        return Vec::new();
    };
    if p.day.is_none() || p.month.is_none() {
        return Vec::new();
    }
    let mut from = span.start.saturating_sub(40);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let Some(m) = DAY_LIST.find(&text[from..span.start]) else {
        return Vec::new();
    };
    m.as_str()
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|d| d.parse::<i8>().ok())
        .filter(|d| (1..=31).contains(d))
        .map(|d| {
            DateValue::Point(PartialDate {
                day: Some(d),
                weekday: None,
                ..*p
            })
        })
        .collect()
}

fn day_precise(v: &DateValue) -> Option<jiff::civil::Date> {
    match v {
        DateValue::Point(p) => p.to_date(),
        DateValue::Range { .. } => None,
    }
}

/// The date claims of a note, in text order.
pub fn claims(kb: &KnowledgeBase, note: &NoteIndex, text: &str) -> Vec<Claim> {
    let quoted: Vec<ByteRange> = note.quotes.iter().map(|q| q.outer.clone()).collect();
    let in_quote = |r: &ByteRange| quoted.iter().any(|q| q.start <= r.start && r.end <= q.end);
    let in_heading = |r: &ByteRange| {
        note.headings
            .iter()
            .any(|h| h.start <= r.start && r.end <= h.end)
    };
    let mut out = Vec::new();
    let mut previous: Option<jiff::civil::Date> = None;
    let mut used_lead: BTreeSet<usize> = BTreeSet::new();
    for s in &rejoin_sentences(text, &note.sentences) {
        if in_heading(s) {
            continue;
        }
        for c in clauses(text, s.clone()) {
            let line = note.lines.line_of(c.start);
            let cited: Vec<ArticleIx> = note
                .lines
                .line_range(text, line)
                .map(|lr| {
                    note.citations
                        .iter()
                        .filter(|ct| lr.start <= ct.range.start && ct.range.end <= lr.end)
                        .filter_map(|ct| match ct.target {
                            KeyMatch::One(ix) => Some(ix),
                            _ => None,
                        })
                        .collect()
                })
                .unwrap_or_default();
            let here: Vec<&crate::extract::dates::TemporalExpr> = note
                .dates
                .iter()
                .filter(|d| c.start <= d.span.start && d.span.end <= c.end && !in_quote(&d.span))
                .collect();
            let skip: Vec<ByteRange> = note
                .dates
                .iter()
                .map(|d| d.span.clone())
                .chain(note.citations.iter().map(|ct| ct.range.clone()))
                .chain(quoted.iter().cloned())
                .collect();
            let located = terms_at(text, c.clone(), &skip);
            let anchor_start = note
                .dates
                .iter()
                .find(|d| {
                    c.start <= d.span.start
                        && d.span.end <= c.end
                        && d.relative.is_some_and(|r| r.anchor == Anchor::Event)
                })
                .map(|d| d.span.end);
            // Every other date the note gives on this line: a source date equal to one of them is about what
            // the note dates with it.
            let line_dates: Vec<(ByteRange, DateValue, bool)> = note
                .lines
                .line_range(text, line)
                .map(|lr| {
                    note.dates
                        .iter()
                        .filter(|d| lr.start <= d.span.start && d.span.end <= lr.end)
                        .filter_map(|d| {
                            let deadline = stated_kind(text, d) == DateKind::Deadline;
                            Some((d.span.clone(), d.value?, deadline))
                        })
                        .collect()
                })
                .unwrap_or_default();
            let mut dated: Vec<(StatedDate, bool)> = Vec::new();
            let mut attributive_context: Vec<DateValue> = Vec::new();
            // The date that heads the line governs its narrative: "three days later", "on Wednesday" count
            // from it, not from a date inside an adjunct ("with a hearing set for June 13. GM followed two
            // days later").
            let head_day = line_head_date(text, note, line)
                .and_then(|l| Some((l.span.end, day_precise(&l.value?)?)));
            for d in &here {
                let governing = match head_day {
                    Some((end, day)) if end <= d.span.start => Some(day),
                    _ => previous,
                };
                // "three days later" after a month-precise date: count from the note's last full date.
                let counted = |from: Option<jiff::civil::Date>| {
                    d.relative
                        .filter(|r| r.anchor == Anchor::PreviousDate)
                        .and_then(|r| {
                            let day = from?
                                .checked_add(jiff::Span::new().days(i64::from(r.days)))
                                .ok()?;
                            Some(DateValue::Point(PartialDate::from_date(day)))
                        })
                };
                let from_head = if head_day.is_some() {
                    counted(governing)
                } else {
                    None
                };
                let Some(mut value) = from_head.or(d.value).or(counted(previous)) else {
                    continue;
                };
                if d.kind == DateKind::Duration {
                    continue;
                }
                // "the 2008 model year": context for the clause's other dates, not a claim of its own.
                if attributive(text, &d.span) {
                    attributive_context.push(value);
                    continue;
                }
                if let Some(v) = resolve_weekday(&value, governing) {
                    value = v;
                }
                if let Some(day) = day_precise(&value) {
                    previous = Some(day);
                }
                dated.push((
                    StatedDate {
                        range: d.span.clone(),
                        value,
                        kind: stated_kind(text, d),
                        baseline: false,
                        since_event: since_event(text, d),
                    },
                    false,
                ));
            }
            // The date at the head of the line dates the first clause after it, beside any date of its own.
            if let Some(lead) = line_head_date(text, note, line)
                && lead.span.end <= c.start
                && s.start <= lead.span.end
                && !used_lead.contains(&line)
                && let Some(value) = lead.value
            {
                used_lead.insert(line);
                dated.push((
                    StatedDate {
                        range: lead.span.clone(),
                        value,
                        kind: lead.kind.clone(),
                        baseline: false,
                        since_event: false,
                    },
                    true,
                ));
            }
            if located.is_empty() {
                continue;
            }
            let lead = line_head_date(text, note, line)
                .filter(|l| l.span.end <= c.start)
                .and_then(|l| l.value);
            let own: Vec<ByteRange> = dated
                .iter()
                .filter(|(_, head)| !head)
                .map(|(d, _)| d.range.clone())
                .collect();
            for (date, from_line_head) in &dated {
                let deadline = |k: &DateKind| *k == DateKind::Deadline;
                let context: Vec<(DateValue, bool, bool)> = dated
                    .iter()
                    .filter(|(o, _)| o.range != date.range)
                    .map(|(o, head)| (o.value, *head, deadline(&o.kind)))
                    .chain(lead.filter(|_| !from_line_head).map(|l| (l, true, false)))
                    .chain(attributive_context.iter().map(|v| (*v, false, false)))
                    .chain(
                        listed_days(text, &date.range, &date.value)
                            .into_iter()
                            .map(|v| (v, false, deadline(&date.kind))),
                    )
                    .chain(
                        line_dates
                            .iter()
                            .filter(|(r, _, _)| *r != date.range)
                            .map(|(_, v, dl)| (*v, true, *dl)),
                    )
                    .collect();
                let has_head = dated.iter().any(|(_, head)| *head);
                let (terms, mut factors) =
                    weigh_by_proximity(text, &c, &located, &date.range, &own, has_head);
                // "…, a day after his call with Blinken": the words after an event anchor name that other event.
                if let Some(anchor) = anchor_start {
                    let in_anchor: Vec<(Term, TermKind)> = located
                        .iter()
                        .filter(|(_, _, at)| *at >= anchor)
                        .map(|(t, k, _)| (*t, *k))
                        .collect();
                    let outside: Vec<(Term, TermKind)> = located
                        .iter()
                        .filter(|(_, _, at)| *at < anchor)
                        .map(|(t, k, _)| (*t, *k))
                        .collect();
                    for (i, t) in terms.iter().enumerate() {
                        if in_anchor.contains(t) && !outside.contains(t) {
                            factors[i] = factors[i].min(OTHER_DATE_FACTOR);
                        }
                    }
                }
                out.push(Claim {
                    clause: c.clone(),
                    date: date.clone(),
                    terms,
                    factors,
                    context,
                    cited: cited.clone(),
                    from_line_head: *from_line_head,
                    occurrence: *from_line_head || occurrence(text, &c, &date.range),
                    weight: 0.0,
                    cited_passage: false,
                    undated_cover: 0.0,
                    undated_names: Vec::new(),
                });
            }
        }
    }
    // Each cited article is read into terms once for the whole note.
    let mut texts: std::collections::HashMap<ArticleIx, CitedText> = Default::default();
    for c in &out {
        for &ix in &c.cited {
            texts.entry(ix).or_insert_with(|| cited_text(kb, ix));
        }
    }
    for c in &mut out {
        let cited: Vec<&CitedText> = c.cited.iter().filter_map(|ix| texts.get(ix)).collect();
        c.weight = claim_weight(kb, c, &cited);
        c.cited_passage = cited_passage(kb, c, &cited);
        c.undated_cover = undated_cover(kb, c, &cited);
        c.undated_names = undated_names(c, &cited);
    }
    out
}

static SEGMENT_BREAK: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i),\s|\b(?:against|compared (?:with|to)|versus|vs\.|up from|down from)\b")
        .expect("segment regex")
});

static APPOSITIVE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)^,\s+(?:the|its|their|his|her)\s+(?:\w+\s+)?(?:best|worst|first|last|most|least|highest|lowest|largest|biggest|smallest|greatest|strongest|weakest|sharpest|steepest|deepest|fastest|slowest|longest|shortest|latest|earliest|heaviest)\b")
        .expect("appositive regex")
});

/// An adjunct that names an event other than the clause's own (as `EVENT_ADJUNCT` on the source side).
static NOTE_ADJUNCT: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)^[,\s]*(?:following|after|before|ahead of|in the wake of|prior to|in response to|on top of|in addition to)\s+(?:a|an|the|his|her|its|their)\b")
        .expect("note adjunct regex")
});

static COORDINATOR: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"\b(?:and|or|but|while|whereas)\b").expect("coordinator regex")
});

/// An appositive after a comma ("8.5% unemployment, the highest since 1993"; "…to 11,188.23, its largest
/// drop since June") describes the noun phrase just before the comma: when the claim's date is in such an
/// appositive, the span of that phrase (after the previous date or coordinator of its part), whose words go
/// with the appositive's date too. `cuts` are the sorted segment boundaries of the clause.
fn appositive_antecedent(
    text: &str,
    clause: &ByteRange,
    cuts: &[usize],
    own: &[ByteRange],
    date: &ByteRange,
) -> Option<std::ops::Range<usize>> {
    let seg = cuts.partition_point(|c| *c <= date.start);
    if seg == 0 || !own.contains(date) {
        return None;
    }
    let cut = cuts[seg - 1];
    if !APPOSITIVE.is_match(&text[cut..date.start]) {
        return None;
    }
    let from = if seg >= 2 {
        cuts[seg - 2]
    } else {
        clause.start
    };
    let mut start = from;
    for o in own {
        if from <= o.start && o.end <= cut {
            start = start.max(o.end);
        }
    }
    if let Some(m) = COORDINATOR.find_iter(&text[start..cut]).last() {
        start += m.end();
    }
    Some(start..cut)
}

/// Weight for terms nearer another date of the clause than to the claim's own.
const OTHER_DATE_FACTOR: f32 = 0.35;

/// The claim's terms, sorted, each with its factor: full weight when no other date of the clause is nearer.
fn weigh_by_proximity(
    text: &str,
    clause: &ByteRange,
    located: &[(Term, TermKind, usize)],
    date: &ByteRange,
    own: &[ByteRange],
    has_head: bool,
) -> (Vec<(Term, TermKind)>, Vec<f32>) {
    let dist = |r: &ByteRange, at: usize| {
        if at < r.start {
            r.start - at
        } else {
            at.saturating_sub(r.end)
        }
    };
    // Commas and comparisons ("…, against …", "compared with", "up from") separate the parts of a clause
    // that each date belongs to.
    let mut cuts: Vec<usize> = SEGMENT_BREAK
        .find_iter(&text[clause.clone()])
        .map(|m| clause.start + m.start())
        .collect();
    // A coordinator between two of the clause's dates separates their parts: "Finland joined in April 2023
    // and Sweden in March 2024" — what follows "and" goes with the later date.
    let mut sorted: Vec<&ByteRange> = own.iter().collect();
    sorted.sort_by_key(|r| r.start);
    for pair in sorted.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if a.end >= b.start || cuts.iter().any(|c| a.end <= *c && *c < b.start) {
            continue;
        }
        if let Some(m) = COORDINATOR.find_iter(&text[a.end..b.start]).last() {
            cuts.push(a.end + m.start());
        }
    }
    cuts.sort_unstable();
    let segment = |at: usize| cuts.partition_point(|c| *c <= at);
    let dated_segments: Vec<usize> = own.iter().map(|o| segment(o.start)).collect();
    // An appositive describes the noun phrase before it: that phrase's words go with its date too.
    let appositive = appositive_antecedent(text, clause, &cuts, own, date);
    // Does the claim's date sit in an adjunct that names another event ("…, on top of the restructuring
    // announced in March 2006", "after the vote on 3 May")?
    let in_adjunct = own.contains(date) && {
        let seg = segment(date.start);
        let from = if seg == 0 {
            clause.start
        } else {
            cuts[seg - 1]
        };
        NOTE_ADJUNCT.is_match(&text[from..date.start])
    };
    // The undated first part of a clause with parts of its own dates is its subject ("The Falcon,
    // re-skinned in 2002 and 2005, has been made in Australia since 1966"): it goes with every date.
    let subject_shared =
        cuts.first().is_some_and(|c| *c > clause.start) && !dated_segments.contains(&0);
    let mut v: Vec<((Term, TermKind), f32)> = located
        .iter()
        .map(|(t, k, at)| {
            let seg = segment(*at);
            let mine = if appositive.as_ref().is_some_and(|r| r.contains(at)) {
                true
            } else if dated_segments.contains(&seg) {
                // Within one segment, a word goes with the nearest of its dates ("Finland joined in
                // April 2023 and Sweden in March 2024").
                segment(date.start) == seg && own.contains(date) && {
                    let d = dist(date, *at);
                    !own.iter()
                        .any(|o| o != date && segment(o.start) == seg && dist(o, *at) < d)
                }
            } else if !own.contains(date) {
                // The head of the line: the parts of the clause no date of its own claims.
                true
            } else if has_head && in_adjunct {
                // …and when this date is in an adjunct that names another event, those parts are the
                // head's, not this date's ("- **August 2006**: output is cut by 21%, on top of the
                // restructuring announced in March 2006").
                false
            } else if subject_shared && seg == 0 {
                true
            } else {
                let d = dist(date, *at);
                !own.iter().any(|o| o != date && dist(o, *at) < d)
            };
            ((*t, *k), if mine { 1.0 } else { OTHER_DATE_FACTOR })
        })
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
    v.dedup_by(|a, b| a.0 == b.0);
    v.into_iter().unzip()
}

/// A part of a source clause holds the claim's words clearly when it holds this many times the weight of
/// the claim's words that any other dated part holds.
const PART_MARGIN: f32 = 2.0;

/// How much of the claim's identifying weight (each word as much as it goes with the claim's date) lies in
/// the part of a source clause that `date` dates: in a
/// source clause with several dates, as in a note's, words go with the date of their own part ("The glitch
/// was not reported when the plane made its maiden flight on 11 December -- and only became public this
/// weekend").
fn part_weight(
    kb: &KnowledgeBase,
    claim: &Claim,
    st: &Statement,
    text: &str,
    date: &ByteRange,
) -> f32 {
    let own: Vec<ByteRange> = st
        .dates
        .iter()
        .filter(|d| !d.bound())
        .map(|d| d.range.clone())
        .collect();
    if own.len() < 2 || !own.contains(date) {
        return 0.0;
    }
    let located = terms_at(text, st.clause.clone(), &own);
    let (terms, factors) = weigh_by_proximity(text, &st.clause, &located, date, &own, false);
    claim
        .terms
        .iter()
        .zip(&claim.factors)
        .filter_map(|((t, k), f)| {
            let i = terms.iter().position(|(u, _)| u == t)?;
            Some(kb.statement_index.weight(*t, *k) * f * factors[i])
        })
        .sum()
}

/// Weighted overlap of the claim's terms with a sorted term list; a term the source has only in an adjunct
/// naming another event (`background`, sorted) counts as little as a term nearer another date.
fn shared_weight(kb: &KnowledgeBase, claim: &Claim, st: &Statement) -> (f32, usize) {
    let (b, background) = (&st.terms, &st.background);
    let weight = |t, k| {
        if st.reported() {
            kb.statement_index.bound_weight(t, k)
        } else {
            kb.statement_index.weight(t, k)
        }
    };
    let a = &claim.terms;
    let (mut i, mut j, mut w, mut n) = (0, 0, 0.0, 0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                let f = if background.binary_search(&b[j]).is_ok() {
                    claim.factors[i].min(OTHER_DATE_FACTOR)
                } else {
                    claim.factors[i]
                };
                w += weight(a[i].0, a[i].1) * f;
                n += usize::from(f >= 1.0);
                i += 1;
                j += 1;
            }
        }
    }
    (w, n)
}

/// Do the two dates agree: one contains the other, or they conflict on no part both state?
fn dates_agree(a: &DateValue, b: &DateValue) -> bool {
    a.contains(b) || b.contains(a) || !a.conflicts_with(b)
}

/// Can an event on `claim` be one measured from `base` ("an increase of 54 points from March 12")? Only a
/// day on or before the baseline day is known not to be.
fn after_baseline(claim: &DateValue, base: &DateValue) -> bool {
    let (c, b) = (claim.end(), base.start());
    match (c.month, c.day, b.month, b.day) {
        (Some(cm), Some(cd), Some(bm), Some(bd)) => match (c.year, b.year) {
            (Some(cy), Some(by)) => (cy, cm, cd) > (by, bm, bd),
            // Without both years only the same day is known to conflict.
            _ => (cm, cd) != (bm, bd),
        },
        _ => true,
    }
}

fn is_range(v: &DateValue) -> bool {
    matches!(v, DateValue::Range { .. })
}

/// A weekend is a two-day range: against a range of days ("16–17 January 2010") it agrees when they share a
/// day and disagrees when they share none. `None` unless one side is a weekend and the other a range whose
/// ends state month and day (a range without a year is placed in the weekend's year).
fn weekend_against_days(a: &DateValue, b: &DateValue) -> Option<bool> {
    use crate::extract::dates::Period;
    let weekend = |v: &DateValue| match v {
        DateValue::Point(p) if matches!(p.period, Some(Period::Week { weekend: true, .. })) => {
            Some((v.first_day()?, v.last_day()?))
        }
        _ => None,
    };
    let days = |v: &DateValue, year: i16| match v {
        DateValue::Range { start, end } if start.period.is_none() && end.period.is_none() => {
            let day = |p: &PartialDate| {
                jiff::civil::Date::new(p.year.unwrap_or(year), p.month?, p.day?).ok()
            };
            Some((day(start)?, day(end)?))
        }
        _ => None,
    };
    let ((w0, w1), (d0, d1)) = match (weekend(a), weekend(b)) {
        (Some(w), None) => (w, days(b, w.0.year())?),
        (None, Some(w)) => (w, days(a, w.0.year())?),
        _ => return None,
    };
    Some(d0 <= w1 && w0 <= d1)
}

/// How many of year, month and day both values state (of their starts).
fn common_parts(a: &DateValue, b: &DateValue) -> u8 {
    let (a, b) = (a.start(), b.start());
    u8::from(a.year.is_some() && b.year.is_some())
        + u8::from(a.month.is_some() && b.month.is_some())
        + u8::from(a.day.is_some() && b.day.is_some())
}

/// Score the corpus statements that may report the claim's event, best first.
pub fn candidates(kb: &KnowledgeBase, claim: &Claim) -> Vec<Candidate> {
    let total = claim.weight;
    if total <= 0.0 {
        return Vec::new();
    }
    let refs = kb.statement_index.candidates(&claim.terms);
    kb.decode_statements(&refs);
    // On all cores: thousands of clauses, and for a clause with two dates equally comparable, its article's
    // text read (556 articles for the example note's claims against the White House corpus).
    let mut out: Vec<Candidate> = crate::kb::par_map(&refs, |&(ai, si)| {
        let (ai, si) = (ai as usize, si as usize);
        let st = kb.article(ai).statements.get(si)?;
        // A clause dated only by its publication bounds its event: it speaks against a claim dated
        // after that day, and says nothing about a claim dated on or before it.
        if st.reported()
            && !st.dates.iter().any(|d| {
                (claim.occurrence || d.kind != DateKind::Reported) && excludes(d, &claim.date.value)
            })
        {
            return None;
        }
        let (w, shared) = shared_weight(kb, claim, st);
        let cited = claim.cited.contains(&ai);
        let score = if cited { w * CITED_BONUS } else { w };
        // The source date to compare: of the same sort (a "since" with a "since"), stating the most
        // parts the claim also states; between equals, one that agrees.
        let best = st
            .dates
            .iter()
            .filter(|d| {
                d.since() == claim.date.since()
                        // The date of the event a "since" phrase names is that event's date and the
                        // start of what followed: comparable with a plain date and with a "since".
                        || d.since_event
                        || claim.date.since_event
            })
            .filter(|d| {
                d.bound()
                    || is_range(&d.value) == is_range(&claim.date.value)
                    || weekend_against_days(&d.value, &claim.date.value).is_some()
            })
            .map(|d| {
                // A bound that rules the claim's date out disagrees on every part the claim states.
                if d.bound() {
                    let parts = if excludes(d, &claim.date.value) {
                        common_parts(&claim.date.value, &claim.date.value)
                    } else {
                        0
                    };
                    return (parts, false, d);
                }
                // A deadline against an event's date: only an event after the deadline disagrees.
                if (d.kind == DateKind::Deadline) != (claim.date.kind == DateKind::Deadline) {
                    let (deadline, event) = if d.kind == DateKind::Deadline {
                        (&d.value, &claim.date.value)
                    } else {
                        (&claim.date.value, &d.value)
                    };
                    let parts = if later_than(event, deadline) {
                        common_parts(&claim.date.value, &claim.date.value)
                    } else {
                        0
                    };
                    return (parts, false, d);
                }
                let common = common_parts(&d.value, &claim.date.value);
                if let Some(agrees) = weekend_against_days(&d.value, &claim.date.value) {
                    return (common, agrees, d);
                }
                let agrees = if d.baseline {
                    after_baseline(&claim.date.value, &d.value)
                } else {
                    dates_agree(&d.value, &claim.date.value)
                };
                (common, agrees, d)
            })
            .filter(|(common, _, _)| *common > 0)
            .collect::<Vec<_>>();
        let best = best
            .iter()
            .map(|(common, agrees, _)| (*common, *agrees))
            .max()
            .and_then(|top| {
                let equals: Vec<_> = best
                    .into_iter()
                    .filter(|(c, a, _)| (*c, *a) == top)
                    .collect();
                // Between equals, the date whose part of the clause clearly holds the claim's words (the
                // article's text is read only then).
                let parts: Vec<f32> = if equals.len() > 1 {
                    let text = kb.article(ai).text();
                    equals
                        .iter()
                        .map(|(_, _, d)| part_weight(kb, claim, st, text, &d.range))
                        .collect()
                } else {
                    Vec::new()
                };
                let clear = parts.iter().enumerate().find(|(i, p)| {
                    **p > 0.0
                        && parts
                            .iter()
                            .enumerate()
                            .all(|(j, q)| j == *i || **p >= PART_MARGIN * *q)
                });
                match clear {
                    Some((i, _)) => equals.get(i).copied(),
                    None => equals.last().copied(),
                }
            });
        let (date, agrees) = match best {
            Some((_, agrees, d)) => (Some(d.clone()), agrees),
            // A clause whose only comparable date is a deadline the event meets, or an event date
            // that meets the claim's deadline, neither confirms nor contradicts it: like a bound, it
            // says nothing.
            None if st.dates.iter().any(|d| {
                (d.kind == DateKind::Deadline) != (claim.date.kind == DateKind::Deadline)
                    && !d.bound()
                    && d.since() == claim.date.since()
            }) =>
            {
                return None;
            }
            None => (None, false),
        };
        // The head of the line explains a source date only when they agree to the month or better: a
        // bare year in common says little.
        let explained = date.as_ref().is_some_and(|d| {
            !agrees
                && !d.bound()
                && claim.context.iter().any(|(o, head, deadline)| {
                    // A deadline names no day an event happened: it explains only a deadline.
                    *deadline == (d.kind == DateKind::Deadline) && explains(o, *head, &d.value)
                })
        });
        Some(Candidate {
            article: ai,
            statement: si,
            score,
            coverage: (w / total).min(1.0),
            shared,
            full_coverage: full_cover(kb, claim, &st.terms),
            cited,
            date,
            agrees,
            explained,
        })
    })
    .into_iter()
    .flatten()
    .filter(|c| c.score > 0.0)
    .collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score));
    out
}

/// An undated sentence of a cited article that covers this much more of the claim than the dated match does
/// is where the cited article reports the claim.
const UNDATED_MARGIN: f32 = 0.3;
/// …or names this many more of the claim's names, and all that the dated match names.
const UNDATED_MORE_NAMES: usize = 2;

/// Without a good match in a cited article, a match elsewhere must be this much clearer.
const UNCITED_MIN_COVERAGE: f32 = 0.7;
const UNCITED_MIN_SCORE: f32 = 15.0;
/// …and share this many of the claim's own words: an actor and a verb ("Finland joined") name a kind of
/// event the actor may have taken part in many times, not one event.
const UNCITED_MIN_SHARED: usize = 3;

/// The terms of a cited article: all of them, and each sentence's (sorted), with whether the sentence has a
/// dated clause.
struct CitedText {
    all: std::collections::HashSet<Term>,
    sentences: Vec<Vec<Term>>,
    dated: Vec<bool>,
}

fn cited_text(kb: &KnowledgeBase, ix: ArticleIx) -> CitedText {
    let a = kb.article(ix);
    let terms = |r: ByteRange| -> Vec<Term> {
        crate::extract::statements::terms_of(a.text(), r, &[])
            .into_iter()
            .map(|(t, _)| t)
            .collect()
    };
    CitedText {
        all: terms(a.article.body.clone()).into_iter().collect(),
        sentences: a.sentences.iter().map(|s| terms(s.range.clone())).collect(),
        dated: a
            .sentences
            .iter()
            .map(|s| {
                a.statements
                    .iter()
                    .filter(|st| !st.reported())
                    .any(|st| st.clause.start < s.range.end && s.range.start < st.clause.end)
            })
            .collect(),
    }
}

/// The weight a claim term counts for in a denominator: its corpus weight, or the rarest weight for a word
/// no dated clause uses.
fn full_weight(kb: &KnowledgeBase, t: Term, k: TermKind) -> f32 {
    let w = kb.statement_index.weight(t, k);
    if w > 0.0 {
        w
    } else {
        kb.statement_index.rare_weight(k)
    }
}

/// The claim's identifying weight. Words no dated clause of the corpus uses, and no cited article either,
/// count in full (as the rarest words): a claim made mostly of them is about something the sources do not
/// date. Words only the cited article has are its details and count for nothing.
fn claim_weight(kb: &KnowledgeBase, claim: &Claim, cited: &[&CitedText]) -> f32 {
    claim
        .terms
        .iter()
        .zip(&claim.factors)
        .map(|((t, k), f)| {
            let details =
                kb.statement_index.weight(*t, *k) <= 0.0 && cited.iter().any(|c| c.all.contains(t));
            if details {
                0.0
            } else {
                f * full_weight(kb, *t, *k)
            }
        })
        .sum()
}

/// Does a cited article have a sentence, dated or not, that covers the claim's words as well as a match must?
fn cited_passage(kb: &KnowledgeBase, claim: &Claim, cited: &[&CitedText]) -> bool {
    if claim.weight <= 0.0 {
        return false;
    }
    cited.iter().flat_map(|c| &c.sentences).any(|terms| {
        full_weight_in(kb, claim, |t| terms.binary_search(t).is_ok()) / claim.weight >= MIN_COVERAGE
    })
}

/// The claim's terms that `has` keeps, each at its full weight (see [`full_weight`]), summed.
fn full_weight_in(kb: &KnowledgeBase, claim: &Claim, has: impl Fn(&Term) -> bool) -> f32 {
    claim
        .terms
        .iter()
        .zip(&claim.factors)
        .filter(|((t, _), _)| has(t))
        .map(|((t, k), f)| f * full_weight(kb, *t, *k))
        .sum()
}

/// Share of the claim's full weight (every term at its corpus weight, or the rarest weight for a word no
/// dated clause uses) found in a sorted term list.
fn full_cover(kb: &KnowledgeBase, claim: &Claim, terms: &[Term]) -> f32 {
    let total = full_weight_in(kb, claim, |_| true);
    if total <= 0.0 {
        return 0.0;
    }
    full_weight_in(kb, claim, |t| terms.binary_search(t).is_ok()) / total
}

/// The best full-weight cover of the claim by one undated sentence of a cited article.
fn undated_cover(kb: &KnowledgeBase, claim: &Claim, cited: &[&CitedText]) -> f32 {
    cited
        .iter()
        .flat_map(|c| c.sentences.iter().zip(&c.dated))
        .filter(|(_, dated)| !**dated)
        .map(|(terms, _)| full_cover(kb, claim, terms))
        .fold(0.0, f32::max)
}

/// The claim's own names.
fn own_names(claim: &Claim) -> impl Iterator<Item = Term> + '_ {
    claim
        .terms
        .iter()
        .zip(&claim.factors)
        .filter(|((_, k), f)| *k == TermKind::Name && **f >= 1.0)
        .map(|((t, _), _)| *t)
}

/// The claim's own figures ("US$85 billion", "79.9%").
fn own_figures(claim: &Claim) -> impl Iterator<Item = Term> + '_ {
    claim
        .terms
        .iter()
        .zip(&claim.factors)
        .filter(|((_, k), f)| *k == TermKind::Number && **f >= 1.0)
        .map(|((t, _), _)| *t)
}

/// Per undated sentence of a cited article with at least two of the claim's own names: those names, then
/// the claim's own figures the sentence has.
fn undated_names(claim: &Claim, cited: &[&CitedText]) -> Vec<Vec<Term>> {
    cited
        .iter()
        .flat_map(|c| c.sentences.iter().zip(&c.dated))
        .filter(|(_, dated)| !**dated)
        .filter_map(|(terms, _)| {
            let has = |t: &Term| terms.binary_search(t).is_ok();
            let mut names: Vec<Term> = own_names(claim).filter(has).collect();
            (names.len() >= 2).then(|| {
                names.extend(own_figures(claim).filter(has));
                names
            })
        })
        .collect()
}

/// An undated sentence of a cited article names every claim name the dated match names and at least two
/// more: the cited article reports the claim there, and the dated match is another event of the same actors.
fn undated_names_more(kb: &KnowledgeBase, claim: &Claim, cand: &Candidate) -> bool {
    if !cand.cited {
        return false;
    }
    let st = &kb.article(cand.article).statements[cand.statement];
    let matched: Vec<Term> = own_names(claim)
        .filter(|t| st.terms.binary_search(t).is_ok())
        .collect();
    // A figure of the claim that the dated match has and the undated sentence lacks ("US$85 billion",
    // "79.9%") identifies one event, as actors do not: then the dated match reports the claim.
    let figures: Vec<Term> = own_figures(claim)
        .filter(|t| st.terms.binary_search(t).is_ok())
        .collect();
    claim.undated_names.iter().any(|names| {
        let named = names
            .iter()
            .filter(|t| crate::extract::statements::kind_of(**t) == TermKind::Name)
            .count();
        named >= matched.len() + UNDATED_MORE_NAMES
            && matched.iter().all(|t| names.contains(t))
            && figures.iter().all(|t| names.contains(t))
    })
}

/// Does a source statement name most of the claim's participants (its own capitalised names)?
fn names_shared(kb: &KnowledgeBase, claim: &Claim, cand: &Candidate) -> bool {
    let st = &kb.article(cand.article).statements[cand.statement];
    let names: Vec<Term> = claim
        .terms
        .iter()
        .zip(&claim.factors)
        .filter(|((t, k), f)| *k == TermKind::Name && **f >= 1.0 && kb.statement_index.df(*t) > 0)
        .map(|((t, _), _)| *t)
        .collect();
    let shared = names
        .iter()
        .filter(|t| st.terms.binary_search(t).is_ok())
        .count();
    shared > 0 && shared * 3 >= names.len() * 2
}

/// Judge one claim.
pub fn check(kb: &KnowledgeBase, claim: Claim) -> ClaimCheck {
    let cands = candidates(kb, &claim);
    judge(kb, claim, cands)
}

/// Judge a claim on its scored candidates (best first).
fn judge(kb: &KnowledgeBase, claim: Claim, mut cands: Vec<Candidate>) -> ClaimCheck {
    // Clearly the same event: enough of the claim's weight, and at least two of its own words in common.
    let good = |c: &Candidate, cov: f32, score: f32| {
        c.coverage >= cov && c.score >= score && c.shared >= MIN_SHARED
    };
    // A claim citing an article is judged by that article when it has a clear match there; otherwise a
    // match elsewhere must be clearer still.
    let cited_match = cands
        .iter()
        .position(|c| c.cited && good(c, MIN_COVERAGE, MIN_SCORE));
    // A cited article that reports the claim in an undated passage is its source: another article's date
    // for similar words is then about something else.
    let cited_undated = cited_match.is_none() && claim.cited_passage;
    let best_ix = match cited_match {
        Some(i) => Some(i),
        None if cited_undated => None,
        None => cands
            .iter()
            .position(|c| !c.cited)
            .filter(|&i| good(&cands[i], UNCITED_MIN_COVERAGE, UNCITED_MIN_SCORE))
            .filter(|&i| cands[i].shared >= UNCITED_MIN_SHARED)
            .filter(|&i| names_shared(kb, &claim, &cands[i])),
    };
    let (verdict, reason) = match (best_ix, cands.first()) {
        (_, None) => (
            Verdict::Unverifiable,
            "no source clause shares its names, figures or words".to_string(),
        ),
        (None, Some(top)) => (
            Verdict::Unverifiable,
            format!(
                "no source clause is clearly the same event (best: score {:.1}, {:.0}% of the claim's words; needs {MIN_SCORE:.0} and {:.0}% in a cited article, {UNCITED_MIN_SCORE:.0} and {:.0}% elsewhere)",
                top.score,
                top.coverage * 100.0,
                MIN_COVERAGE * 100.0,
                UNCITED_MIN_COVERAGE * 100.0
            ),
        ),
        (Some(i), Some(_)) => {
            let best = &cands[i];
            let floor = best.score * RIVAL;
            if let Some(j) = cands
                .iter()
                .position(|c| c.score >= floor && c.agrees && c.date.is_some())
            {
                (
                    Verdict::Consistent,
                    format!(
                        "candidate {} is as good a match and states a compatible date",
                        j + 1
                    ),
                )
            } else if best.date.is_none() {
                (
                    Verdict::Unverifiable,
                    format!(
                        "the best match (candidate {}) states no comparable date",
                        i + 1
                    ),
                )
            } else if best.explained {
                (
                    Verdict::Unverifiable,
                    format!(
                        "the best match (candidate {}) dates another part of the clause, as the note does",
                        i + 1
                    ),
                )
            } else if best.agrees {
                (
                    Verdict::Consistent,
                    format!("the best match (candidate {}) agrees", i + 1),
                )
            } else if claim.undated_cover >= best.full_coverage + UNDATED_MARGIN
                || undated_names_more(kb, &claim, best)
            {
                (
                    Verdict::Unverifiable,
                    format!(
                        "an undated sentence of a cited article describes the claim more fully ({:.0}% of its words against {:.0}%): the dated match is another event of the same actors",
                        claim.undated_cover * 100.0,
                        best.full_coverage * 100.0
                    ),
                )
            } else {
                (
                    Verdict::Conflict(i),
                    format!(
                        "the best match (candidate {}) is clearly the same event and its date disagrees",
                        i + 1
                    ),
                )
            }
        }
    };
    // Keep the deciding candidate among those shown.
    if let Verdict::Conflict(i) = verdict
        && i >= KEEP
    {
        cands.swap(KEEP - 1, i);
    }
    let verdict = match verdict {
        Verdict::Conflict(i) if i >= KEEP => Verdict::Conflict(KEEP - 1),
        v => v,
    };
    cands.truncate(KEEP);
    ClaimCheck {
        claim,
        candidates: cands,
        verdict,
        reason,
    }
}

/// Every claim of a note, judged.
///
/// A source clause is evidence about one date of a note clause: where it matches several claims of the same
/// clause, it counts for the one it matches best.
pub fn check_note(kb: &KnowledgeBase, note: &NoteIndex, text: &str) -> Vec<ClaimCheck> {
    let all = claims(kb, note, text);
    let scored: Vec<Vec<Candidate>> = all.iter().map(|c| candidates(kb, c)).collect();
    all.iter()
        .enumerate()
        .map(|(i, claim)| {
            let mut mine = scored[i].clone();
            mine.retain(|cand| {
                !all.iter().enumerate().any(|(j, other)| {
                    j != i
                        && other.clause == claim.clause
                        && scored[j].iter().any(|o| {
                            o.article == cand.article
                                && o.statement == cand.statement
                                && o.score > cand.score
                                // A source clause that states another date for this claim than for the
                                // other reports both events.
                                && match (&o.date, &cand.date) {
                                    (Some(a), Some(b)) => a.range == b.range,
                                    _ => true,
                                }
                        })
                })
            });
            // A source date the note gives another clause of the line is about that clause's event only
            // when the source clause is about it too: a source clause of one stretch (its date dates all
            // its words) that matches this claim clearly better than the other clause reports this claim's
            // event ("… stop work on Thursday" against "a work stoppage Wednesday afternoon", with
            // Wednesday heading the note's line for an announcement).
            for cand in mine.iter_mut().filter(|c| c.explained) {
                let Some(d) = &cand.date else { continue };
                let explainers: Vec<(&Claim, f32)> = all
                    .iter()
                    .enumerate()
                    .filter(|(j, other)| {
                        *j != i
                            && same_line(text, &claim.clause, &other.clause)
                            && explains(&other.date.value, other.from_line_head, &d.value)
                    })
                    .map(|(j, other)| {
                        let score = scored[j]
                            .iter()
                            .find(|o| o.article == cand.article && o.statement == cand.statement)
                            .map_or(0.0, |o| o.score);
                        (other, score)
                    })
                    .collect();
                // A date of this clause (a comparison's other side) or context that is no claim (a
                // modifier's date, a listed day) still explains it.
                let in_clause = explainers.iter().any(|(o, _)| o.clause == claim.clause);
                let context_only = claim.context.iter().any(|(o, head, deadline)| {
                    *deadline == (d.kind == DateKind::Deadline)
                        && explains(o, *head, &d.value)
                        && !explainers.iter().any(|(e, _)| e.date.value == *o)
                });
                let a = kb.article(cand.article);
                let source = a
                    .statements
                    .get(cand.statement)
                    .map_or("", |st| &a.text()[st.clause.clone()]);
                let scores: Vec<f32> = explainers.iter().map(|(_, s)| *s).collect();
                if !in_clause
                    && !context_only
                    && one_stretch(source)
                    && better_about_this(cand.score, &scores)
                {
                    cand.explained = false;
                }
            }
            judge(kb, claim.clone(), mine)
        })
        .collect()
}

/// A date the note gives explains a source date when they agree to the month or better (a head of the line),
/// or on any part they share (a date of the clause).
fn explains(note: &DateValue, head: bool, source: &DateValue) -> bool {
    common_parts(note, source) > u8::from(head) && dates_agree(note, source)
}

/// Two ranges of the note on one line.
fn same_line(text: &str, a: &ByteRange, b: &ByteRange) -> bool {
    let (lo, hi) = (a.start.min(b.start), a.start.max(b.start));
    !text[lo..hi].contains('\n')
}

/// A clause with no comma, semicolon, colon or dash between its words (a figure's "14,000" or a time's
/// "08:30" is no break): its date dates all its words.
fn one_stretch(clause: &str) -> bool {
    let inner = clause.trim_end_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace());
    let breaks = [
        ", ",
        "; ",
        ": ",
        " --",
        " \u{2014}",
        "\u{2014} ",
        " \u{2013} ",
    ];
    !breaks.iter().any(|b| inner.contains(b)) && !inner.ends_with([',', ';', ':'])
}

/// How much better a source clause must match a claim than every claim that explains its date, to be about
/// this claim's event.
const ABOUT_THIS: f32 = 2.0;

/// The source clause matches this claim (`score`) clearly better than each claim the note dates with the
/// source's date (`explainers`, their scores for the same clause): it reports this claim's event.
fn better_about_this(score: f32, explainers: &[f32]) -> bool {
    !explainers.is_empty() && explainers.iter().all(|&e| e * ABOUT_THIS <= score)
}

/// One judged claim in plain text: the claim, the verdict and why, and the candidates with their scores.
pub fn render_check(kb: &KnowledgeBase, text: &str, c: &ClaimCheck) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    {
        let _ = writeln!(
            s,
            "claim “{}” = {}{} in “{}”",
            &text[c.claim.date.range.clone()],
            c.claim.date.value.describe(),
            if c.claim.from_line_head {
                " (from the head of the line)"
            } else {
                ""
            },
            crate::extract::names::collapse(&text[c.claim.clause.clone()]),
        );
        let verdict = match c.verdict {
            Verdict::Consistent => "consistent",
            Verdict::Conflict(_) => "CONFLICT",
            Verdict::Unverifiable => "unverifiable",
        };
        let _ = writeln!(s, "  verdict: {verdict} — {}", c.reason);
        for (i, cand) in c.candidates.iter().enumerate() {
            let a = kb.article(cand.article);
            let st = &a.statements[cand.statement];
            let _ = writeln!(
                s,
                "  {}. score {:.1} ({:.0}% of the claim's words{}) {} line {}: date {} — “{}”",
                i + 1,
                cand.score,
                cand.coverage * 100.0,
                if cand.cited { ", cited" } else { "" },
                a.id(),
                a.line_of(st.clause.start),
                cand.date.as_ref().map_or("none".to_string(), |d| format!(
                    "{}{} ({})",
                    match d.kind {
                        DateKind::Reported => "reported as done, published ",
                        DateKind::Elapsed => "began within ",
                        _ if d.baseline => "after ",
                        _ => "",
                    },
                    d.value.describe(),
                    if cand.agrees { "agrees" } else { "disagrees" }
                )),
                super::passages::excerpt(&a.text()[st.clause.clone()]),
            );
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::dates::{DateContext, find_dates};

    fn day(y: i16, m: i8, d: i8) -> DateValue {
        DateValue::Point(PartialDate::from_date(jiff::civil::date(y, m, d)))
    }

    #[test]
    fn an_event_measured_from_a_day_cannot_fall_on_or_before_it() {
        let base = day(2009, 3, 12);
        for (claim, compatible) in [
            (day(2009, 3, 12), false),
            (day(2009, 3, 11), false),
            (day(2009, 3, 13), true),
            (
                DateValue::Point(PartialDate {
                    year: None,
                    ..base.start()
                }),
                false,
            ),
            (
                DateValue::Point(PartialDate {
                    day: None,
                    ..base.start()
                }),
                true,
            ),
        ] {
            assert_eq!(after_baseline(&claim, &base), compatible, "{claim:?}");
        }
    }

    /// The factor of each word of `words` for the claim on `date` in `text`, a clause with its own dates
    /// (and a line head when `head`).
    fn factors(text: &str, date: &str, head: bool, words: &[&str]) -> Vec<f32> {
        let dates = find_dates(text, &DateContext::default());
        let own: Vec<ByteRange> = dates.iter().map(|d| d.span.clone()).collect();
        let at = text.find(date).expect("date");
        let claim = own
            .iter()
            .find(|r| r.start <= at && at < r.end)
            .expect("claim date")
            .clone();
        let located = terms_at(text, 0..text.len(), &own);
        let (terms, f) = weigh_by_proximity(text, &(0..text.len()), &located, &claim, &own, head);
        words
            .iter()
            .map(|w| {
                let (t, k, _) = terms_at(w, 0..w.len(), &[])[0];
                f[terms.iter().position(|x| *x == (t, k)).expect("word")]
            })
            .collect()
    }

    #[test]
    fn a_weekend_is_a_two_day_range() {
        let weekend = |y: i16, m: i8, d: i8| {
            crate::extract::dates::find_dates(
                "The talks collapsed this weekend.",
                &crate::extract::dates::DateContext {
                    reference: jiff::civil::Date::new(y, m, d).ok(),
                },
            )[0]
            .value
            .unwrap()
        };
        let days = |y: Option<i16>, m: i8, a: i8, b: i8| DateValue::Range {
            start: PartialDate {
                year: y,
                month: Some(m),
                day: Some(a),
                ..Default::default()
            },
            end: PartialDate {
                year: y,
                month: Some(m),
                day: Some(b),
                ..Default::default()
            },
        };
        // Written on Monday 25 January 2010: the weekend just gone is 23–24 January.
        let w = weekend(2010, 1, 25);
        for (range, agrees) in [
            (days(Some(2010), 1, 23, 24), Some(true)),
            (days(Some(2010), 1, 16, 17), Some(false)),
            (days(None, 1, 16, 17), Some(false)),
            // Sharing a day is agreeing.
            (days(Some(2010), 1, 22, 23), Some(true)),
            (days(Some(2010), 1, 24, 26), Some(true)),
        ] {
            assert_eq!(weekend_against_days(&w, &range), agrees, "{range:?}");
            assert_eq!(weekend_against_days(&range, &w), agrees, "{range:?}");
        }
        // A weekend against a single day is compared as dates are, not here.
        assert_eq!(weekend_against_days(&w, &day(2010, 1, 16)), None);
    }

    #[test]
    fn a_source_clause_of_one_stretch_dates_all_its_words() {
        for (clause, one) in [
            (
                "Korean Air also bought 20 Dreamliners earlier this month.",
                true,
            ),
            // A figure's or a time's separator is no break.
            (
                "nearly 14,000 employees had a work stoppage Wednesday at 08:30.",
                true,
            ),
            (
                "decided to maintain its rate, although on Friday the rate was 6%.",
                false,
            ),
            (
                "made its maiden flight on 11 December -- and only became public this weekend",
                false,
            ),
            ("the plan; it failed on Monday", false),
        ] {
            assert_eq!(one_stretch(clause), one, "{clause}");
        }
    }

    #[test]
    fn a_source_clause_is_about_the_claim_it_matches_clearly_better() {
        for (score, explainers, about_this) in [
            (31.9, &[6.0][..], true),
            (37.1, &[0.0][..], true),
            (30.0, &[15.0, 2.0][..], true),
            // As good a match for the clause the note dates with the source's date: about that one.
            (31.9, &[60.3][..], false),
            (20.0, &[12.0][..], false),
            // No other claim of the line gives that date: nothing to weigh it against.
            (20.0, &[][..], false),
        ] {
            assert_eq!(
                better_about_this(score, explainers),
                about_this,
                "{score} {explainers:?}"
            );
        }
    }

    #[test]
    fn words_go_with_the_date_of_their_part_of_the_clause() {
        for (text, date, head, words, expected) in [
            // An appositive describes the noun phrase before it.
            (
                "despite 663,000 job losses in March and 8.5% unemployment, the highest since 1993",
                "since 1993",
                false,
                &["unemployment", "8.5", "losses"][..],
                &[1.0, 1.0, OTHER_DATE_FACTOR][..],
            ),
            // The subject before an inserted dated phrase goes with every date of the clause.
            (
                "The Falcon, re-skinned in 2002 and 2005, has been made in Australia since 1966",
                "since 1966",
                false,
                &["Falcon", "Australia", "re-skinned"][..],
                &[1.0, 1.0, OTHER_DATE_FACTOR][..],
            ),
            // Under a line head, a date in an adjunct naming another event dates only that adjunct.
            (
                "output in Canada is cut by 21%, on top of the restructuring announced in March 2006",
                "March 2006",
                true,
                &["restructuring", "Canada", "output"][..],
                &[1.0, OTHER_DATE_FACTOR, OTHER_DATE_FACTOR][..],
            ),
            // …but not in a phrase that describes the clause's own thing.
            (
                "six central banks announce swap lines, available until 30 April 2009",
                "30 April 2009",
                true,
                &["banks", "available"][..],
                &[1.0, 1.0][..],
            ),
        ] {
            assert_eq!(factors(text, date, head, words), expected, "{text}");
        }
    }
}
