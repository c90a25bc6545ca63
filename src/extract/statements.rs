//! Statements: the dated clauses of a text with the words that identify the event each reports — names,
//! figures and content-word stems — so that a note's claim can be matched with the source clause that reports
//! the same event, whatever kind of actor it is about. One representation for articles and notes.
//!
//! A term is a 64-bit hash of its category and normalised form (stable across runs and machines), so a
//! statement costs a few words of memory per term however long its words are.

use super::bounds::{elapsed_since, stated_kind};
use super::breaks::clause_breaks;
use super::dates::{DateKind, DateValue, PartialDate, TemporalExpr};
use super::memo::{Memo, WordMemo};
use super::tense::reports_past;
use super::word::{with_lowered, words};
use crate::text::ByteRange;
use jiff::civil::Date;
use regex::Regex;
use rust_stemmers::{Algorithm, Stemmer};
use std::sync::LazyLock;

/// A hashed word: see [`term`].
pub type Term = u64;

/// What kind of word a term is; names and figures identify an event more than common words do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum TermKind {
    /// A capitalised word that is not a function word ("Chrysler", "Nikkei", "AIG").
    Name = 0,
    /// A figure with its digits ("344.65", "38.7", "9.9").
    Number = 1,
    /// The Snowball stem of a lower-case content word ("filed" → "file").
    Stem = 2,
}

/// The stable hash of a term: FNV-1a over the kind and the normalised text, with the kind in the low two
/// bits (see [`kind_of`]).
pub fn term(kind: TermKind, text: &str) -> Term {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in std::iter::once(kind as u8).chain(text.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h & !3) | kind as u64
}

/// The kind of a term.
pub fn kind_of(t: Term) -> TermKind {
    match t & 3 {
        0 => TermKind::Name,
        1 => TermKind::Number,
        _ => TermKind::Stem,
    }
}

/// A date stated in a clause.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatedDate {
    pub range: ByteRange,
    pub value: DateValue,
    pub kind: DateKind,
    /// The date a change is measured from ("an increase of 54 points from March 12"): the clause's event
    /// came after it, on a date the clause does not state.
    pub baseline: bool,
    /// The date of an event that a "since" phrase names ("Since the first case was confirmed on May 18, …"):
    /// that event's date, and the start of the state that follows it.
    pub since_event: bool,
}

impl StatedDate {
    pub fn since(&self) -> bool {
        matches!(self.kind, DateKind::Since | DateKind::Elapsed)
    }

    /// A bound rather than a date: it can only show a claim's date impossible (see [`DateKind::Reported`]
    /// and [`DateKind::Elapsed`]).
    pub fn bound(&self) -> bool {
        matches!(self.kind, DateKind::Reported | DateKind::Elapsed)
    }
}

/// The bounded text before a byte offset (at most `n` bytes, cut at a character boundary).
pub(super) fn before(text: &str, at: usize, n: usize) -> &str {
    let mut from = at.saturating_sub(n);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    &text[from..at]
}

static SINCE_PHRASE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bsince\s[^,;:.!?()\[\]—–]*$").expect("since regex"));

/// A date inside a phrase or clause that "since" opens ("its worst since the attacks of 11 September 2001",
/// "Since the first case was confirmed in the United States on May 18, …") dates the start of a state or of a
/// comparison window, as "since May 18" does: the event "since" names began it.
pub fn in_since_phrase(text: &str, span: &ByteRange) -> bool {
    // The phrase runs up to the date: no other date or figure, and no coordinator opening another part
    // ("since 2001 and again in 2008").
    SINCE_PHRASE
        .find(before(text, span.start, 100))
        .is_some_and(|m| {
            let stretch = &m.as_str()[5..];
            !stretch.contains(|c: char| c.is_ascii_digit())
                && !stretch.split_whitespace().any(|w| {
                    matches!(
                        w.to_lowercase().as_str(),
                        "and" | "or" | "but" | "while" | "then"
                    )
                })
        })
}

static BASELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:increase|increases|increased|rise|rises|rose|risen|gain|gains|gained|up|decrease|decreases|decreased|fall|falls|fell|fallen|drop|drops|dropped|decline|declines|declined|loss|down|higher|lower|change)\b[^,;:.!?()—–]{0,40}\bfrom\s+(?:the\s+(?:close|end|level|start)\s+(?:of\s+)?(?:trading\s+)?(?:on\s+)?)?$")
        .expect("baseline regex")
});

/// A date a change is measured from ("an increase of 54 points from March 12 2009", "a 2.99 percent decrease
/// from the close of trading Wednesday"): the baseline of a comparison. The change itself came later.
pub fn baseline(text: &str, span: &ByteRange) -> bool {
    let after = text[span.end..].trim_start();
    let to = after
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .is_some_and(|w| {
            matches!(
                w.to_lowercase().as_str(),
                "to" | "until" | "through" | "till"
            )
        });
    !to && BASELINE.is_match(before(text, span.start, 80))
}

/// A date in the possessive before a noun ("today's activities", "Tuesday's vote") determines that noun, as
/// "the" does: it dates the thing the noun names, not necessarily the clause's event.
pub fn genitive(text: &str, span: &ByteRange) -> bool {
    let after = &text[span.end..];
    let rest = after
        .strip_prefix("'s ")
        .or_else(|| after.strip_prefix("’s "));
    rest.is_some_and(|r| r.trim_start().starts_with(char::is_lowercase))
}

/// One clause with its dates and identifying terms (each list sorted, without repeats).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    pub clause: ByteRange,
    pub dates: Vec<StatedDate>,
    /// Sorted, no repeats; each term carries its kind (see [`kind_of`]).
    pub terms: Vec<Term>,
    /// The terms (a subset of `terms`, sorted) found only in an undated adjunct that names an earlier or
    /// later event ("On July 8, following a decision by the Supreme Court, I signed …"): the clause's date
    /// is not that event's.
    pub background: Vec<Term>,
}

impl Statement {
    /// Dated only by a bound (see [`StatedDate::bound`]): its publication, or the length of a state.
    pub fn reported(&self) -> bool {
        self.dates.iter().all(StatedDate::bound)
    }
}

static EVENT_ADJUNCT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:following|after|before|ahead of|in the wake of|prior to|in response to)\s+(?:a|an|the|his|her|its|their)\b[^,;]*")
        .expect("adjunct regex")
});

/// Terms of the clause that occur only inside an undated adjunct naming another event.
fn background_terms(text: &str, clause: &ByteRange, dates: &[ByteRange]) -> Vec<Term> {
    let mut inside: Vec<ByteRange> = Vec::new();
    for m in EVENT_ADJUNCT.find_iter(&text[clause.clone()]) {
        let r = clause.start + m.start()..clause.start + m.end();
        if !dates.iter().any(|d| d.start < r.end && r.start < d.end) {
            inside.push(r);
        }
    }
    if inside.is_empty() {
        return Vec::new();
    }
    let located = terms_at(text, clause.clone(), dates);
    let (bg, fg): (Vec<_>, Vec<_>) = located
        .into_iter()
        .partition(|(_, _, at)| inside.iter().any(|r| r.start <= *at && *at < r.end));
    let mut out: Vec<Term> = bg
        .into_iter()
        .map(|(t, _, _)| t)
        .filter(|t| !fg.iter().any(|(f, _, _)| f == t))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Function words and words of dating or reporting that say nothing about which event it is.
const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "ago",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "early",
    "earlier",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "last",
    "late",
    "later",
    "like",
    "may",
    "me",
    "might",
    "more",
    "most",
    "must",
    "my",
    "next",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "out",
    "over",
    "own",
    "per",
    "said",
    "same",
    "say",
    "says",
    "she",
    "should",
    "since",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "today",
    "too",
    "under",
    "until",
    "up",
    "upon",
    "us",
    "very",
    "was",
    "we",
    "week",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "year",
    "years",
    "yesterday",
    "you",
    "your",
    "yours",
    "day",
    "days",
    "month",
    "months",
    "time",
    "according",
    "told",
    "reported",
    "reports",
    "report",
    "news",
    "percent",
    "us$",
    "mr",
    "mrs",
    "ms",
    "dr",
    "however",
    "another",
    "first",
    "second",
    "third",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "million",
    "billion",
    "trillion",
    "thousand",
    "hundred",
];

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

thread_local! {
    static STEMS: Memo<Box<str>> = Memo::default();
    static STEM_TERMS: WordMemo = WordMemo::default();
}

/// The Snowball (Porter 2) English stem of a lower-case word.
pub fn stem(lower: &str) -> String {
    STEMS
        .with(|m| m.get(lower, |w| STEMMER.stem(w).into()))
        .into()
}

static STOPWORD_SET: LazyLock<rustc_hash::FxHashSet<&'static str>> =
    LazyLock::new(|| STOPWORDS.iter().copied().collect());

fn is_stopword(lower: &str) -> bool {
    STOPWORD_SET.contains(lower)
}

/// The identifying terms of `text[range]`, leaving out the words inside `skip` (the dates); sorted, no repeats.
pub fn terms_of(text: &str, range: ByteRange, skip: &[ByteRange]) -> Vec<(Term, TermKind)> {
    let mut out: Vec<(Term, TermKind)> = terms_at(text, range, skip)
        .into_iter()
        .map(|(t, k, _)| (t, k))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The identifying terms of `text[range]` in text order, each with its byte offset.
pub fn terms_at(text: &str, range: ByteRange, skip: &[ByteRange]) -> Vec<(Term, TermKind, usize)> {
    let mut out = Vec::new();
    let s = &text[range.clone()];
    for m in words(s) {
        let at = range.start + m.start;
        if skip.iter().any(|r| r.start <= at && at < r.end) {
            continue;
        }
        let w = &s[m];
        if w.starts_with(|c: char| c.is_ascii_digit()) {
            // Figures: "11,188.23" and "11188.23" alike; years and small counts identify nothing.
            let n: String = w.chars().filter(|c| *c != ',').collect();
            let n = n.trim_end_matches('.');
            let plain_year =
                n.len() == 4 && !n.contains('.') && (n.starts_with("19") || n.starts_with("20"));
            if plain_year || (n.len() < 2 && !n.contains('.')) {
                continue;
            }
            out.push((term(TermKind::Number, n), TermKind::Number, at));
            continue;
        }
        if let Some((t, k)) = word_term(w) {
            out.push((t, k, at));
        }
    }
    out
}

/// The term of a word that is not a figure, if it identifies anything: a name or the stem of a content word.
fn word_term(w: &str) -> Option<(Term, TermKind)> {
    let base = w
        .strip_suffix("’s")
        .or_else(|| w.strip_suffix("'s"))
        .unwrap_or(w);
    with_lowered(base, |lower| {
        if is_stopword(lower) || lower.chars().count() < 2 {
            return None;
        }
        if base.starts_with(char::is_uppercase) {
            Some((term(TermKind::Name, lower), TermKind::Name))
        } else if lower.chars().count() >= 3 {
            let t = STEM_TERMS.with(|m| m.get(lower, |l| term(TermKind::Stem, &STEMMER.stem(l))));
            Some((t, TermKind::Stem))
        } else {
            None
        }
    })
}

/// A sentence cut at the boundaries that separate events: semicolons, colons, dashes, ", and", ", but".
pub fn clauses(text: &str, sentence: ByteRange) -> Vec<ByteRange> {
    let breaks = clause_breaks(&text[sentence.clone()], true);
    split_at(sentence, breaks)
}

/// A sentence cut at `breaks` (byte ranges relative to the sentence), the breaks left out.
pub fn split_at(sentence: ByteRange, breaks: impl Iterator<Item = ByteRange>) -> Vec<ByteRange> {
    let mut out = Vec::new();
    let mut start = sentence.start;
    for m in breaks {
        let end = sentence.start + m.start;
        if end > start {
            out.push(start..end);
        }
        start = sentence.start + m.end;
    }
    if sentence.end > start {
        out.push(start..sentence.end);
    }
    out
}

/// Sentences rejoined where the splitter cut after "v." or "vs." before a capitalised word: between two names
/// ("Roe v. Wade", "Ford vs. GM") the abbreviation does not end a sentence.
pub fn rejoin_sentences(text: &str, sentences: &[ByteRange]) -> Vec<ByteRange> {
    let mut out: Vec<ByteRange> = Vec::with_capacity(sentences.len());
    for s in sentences {
        if let Some(last) = out.last_mut()
            && last.end <= s.start
            && text[last.end..s.start]
                .chars()
                .all(|c| c.is_whitespace() || matches!(c, '*' | '_'))
        {
            let prev = text[last.clone()].trim_end();
            let ends_versus = prev
                .rsplit(|c: char| c.is_whitespace() || matches!(c, '*' | '_' | '('))
                .next()
                .is_some_and(|w| w == "v." || w == "vs." || w == "V." || w == "Vs.");
            let next_name = text[s.clone()]
                .trim_start_matches(['*', '_', ' '])
                .starts_with(char::is_uppercase);
            if ends_versus && next_name {
                last.end = s.end;
                continue;
            }
        }
        out.push(s.clone());
    }
    out
}

/// A date alone in parentheses annotates the word before it ("Roe v. Wade, 410 U.S. 113 (1973)", "its
/// founder (1998)"): it dates that noun, not the clause's event.
pub fn parenthetical(text: &str, span: &ByteRange) -> bool {
    text[..span.start]
        .trim_end_matches([' ', '\t'])
        .ends_with('(')
        && text[span.end..]
            .trim_start_matches([' ', '\t'])
            .starts_with(')')
}

/// A date used as a modifier of a noun names a thing rather than dating the clause's event: "the
/// September 11 attacks", "its 2008 budget".
pub fn attributive(text: &str, span: &ByteRange) -> bool {
    let before = text[..span.start].trim_end();
    // A possessive is a determiner too: "the President’s July 8, 2022 Executive Order", "Ford's 2008 budget".
    let possessive = before.ends_with("'s") || before.ends_with("’s") || before.ends_with("s'");
    let det = possessive
        || before
            .rsplit(|c: char| !c.is_alphanumeric())
            .next()
            .is_some_and(|w| {
                matches!(
                    w.to_lowercase().as_str(),
                    "the" | "a" | "an" | "its" | "their" | "his" | "her" | "this" | "that"
                )
            });
    let next = text[span.end..]
        .trim_start_matches([' ', '\t'])
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    const NOT_NOUNS: &[&str] = &[
        "and", "or", "to", "in", "on", "at", "by", "of", "for", "with", "from", "was", "is",
        "were", "will", "had", "has", "when", "after", "before", "until", "as", "that", "which",
        "the",
    ];
    det && next.starts_with(|c: char| c.is_lowercase()) && !NOT_NOUNS.contains(&next)
}

/// Is this calendar date one of an event a "since" phrase names (see [`in_since_phrase`])?
pub fn since_event(text: &str, d: &TemporalExpr) -> bool {
    d.kind == DateKind::Absolute && in_since_phrase(text, &d.span)
}

/// Is this expression a date an event can be compared on: a value, not a duration, and not a hedged count
/// back from the reference ("more than a decade ago", "nearly two years ago" bound a date, they do not give it)?
pub fn comparable(text: &str, d: &TemporalExpr) -> bool {
    if d.value.is_none() || d.kind == DateKind::Duration {
        return false;
    }
    if d.kind == DateKind::RelativeToRef {
        let own = text[d.span.clone()].to_lowercase();
        if own.contains("decade") || own.contains("century") {
            return false;
        }
        // The few words before the expression (a bounded look-back, lower-cased).
        let mut from = d.span.start.saturating_sub(24);
        while !text.is_char_boundary(from) {
            from += 1;
        }
        let before = text[from..d.span.start].trim_end().to_lowercase();
        const HEDGES: &[&str] = &[
            "more than",
            "over",
            "nearly",
            "almost",
            "about",
            "around",
            "some",
            "roughly",
            "at least",
            "less than",
            "under",
            "up to",
            "within",
        ];
        if HEDGES.iter().any(|h| {
            before.ends_with(h)
                && before[..before.len() - h.len()]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric())
        }) {
            return false;
        }
    }
    true
}

/// The statements of a text: every clause of `sentences` that states at least one comparable date, and, when
/// the publication date is known, every undated clause that reports a figure in the past tense (dated
/// [`DateKind::Reported`]: on or before publication; see [`reports_past`]). `dates` must be sorted by start.
pub fn statements(
    text: &str,
    sentences: &[ByteRange],
    dates: &[TemporalExpr],
    published: Option<Date>,
) -> Vec<Statement> {
    let mut out = Vec::new();
    for s in &rejoin_sentences(text, sentences) {
        for c in clauses(text, s.clone()) {
            let d0 = dates.partition_point(|d| d.span.start < c.start);
            let d1 = dates.partition_point(|d| d.span.start < c.end);
            let here = &dates[d0..d1.max(d0)];
            // A clause that dates its event only vaguely ("more than a decade ago") says nothing
            // comparable about it, whatever other date it mentions.
            if here.iter().any(|d| {
                d.span.end <= c.end
                    && d.value.is_some()
                    && d.kind == DateKind::RelativeToRef
                    && !comparable(text, d)
            }) {
                continue;
            }
            let mut stated: Vec<StatedDate> = here
                .iter()
                .filter(|d| {
                    d.span.end <= c.end
                        && comparable(text, d)
                        && !attributive(text, &d.span)
                        && !parenthetical(text, &d.span)
                })
                .filter_map(|d| {
                    Some(StatedDate {
                        range: d.span.clone(),
                        value: d.value?,
                        kind: stated_kind(text, d),
                        baseline: baseline(text, &d.span),
                        since_event: since_event(text, d),
                    })
                })
                .collect();
            // A possessive date dates its noun ("today's activities … the takeover on Tuesday"): beside
            // another date of the clause, that other date is the event's.
            if stated.iter().any(|d| !genitive(text, &d.range)) {
                stated.retain(|d| !genitive(text, &d.range));
            }
            if stated.is_empty() {
                // Undated: a state that has lasted a stated time began that long before publication; a
                // past-tense report of a figure happened by then.
                let Some(p) = published else { continue };
                if let Some((range, value)) = elapsed_since(text, &c, p) {
                    stated.push(StatedDate {
                        range,
                        value,
                        kind: DateKind::Elapsed,
                        baseline: false,
                        since_event: false,
                    });
                } else {
                    if here
                        .iter()
                        .any(|d| d.span.end <= c.end && d.kind != DateKind::Duration)
                    {
                        continue;
                    }
                    // A report dated only by its publication must carry a figure (see below), and a
                    // figure's word starts with a digit: without one the clause is dropped whatever its verb.
                    if !text[c.clone()].bytes().any(|b| b.is_ascii_digit()) {
                        continue;
                    }
                    let Some(verb) = reports_past(text, &c) else {
                        continue;
                    };
                    stated.push(StatedDate {
                        range: verb,
                        value: DateValue::Point(PartialDate::from_date(p)),
                        kind: DateKind::Reported,
                        baseline: false,
                        since_event: false,
                    });
                }
            }
            let skip: Vec<ByteRange> = dates[d0..d1.max(d0)]
                .iter()
                .map(|d| d.span.clone())
                .collect();
            let mut terms: Vec<Term> = terms_of(text, c.clone(), &skip)
                .into_iter()
                .map(|(t, _)| t)
                .collect();
            if terms.is_empty() {
                continue;
            }
            // A report dated only by its publication must carry a figure: a precise quantity singles out
            // one event, where actors and a verb name a kind of event that recurs.
            if stated[0].kind == DateKind::Reported
                && !terms.iter().any(|t| kind_of(*t) == TermKind::Number)
            {
                continue;
            }
            terms.shrink_to_fit();
            let background = background_terms(text, &c, &skip);
            out.push(Statement {
                clause: c,
                dates: stated,
                terms,
                background,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::dates::{DateContext, find_dates};

    #[test]
    fn terms_keep_names_figures_and_stems_but_not_dates_or_function_words() {
        let text = "On Thursday, General Motors said it had filed for bankruptcy after losing US$8.6 billion.";
        let dates = find_dates(text, &DateContext::default());
        let skip: Vec<ByteRange> = dates.iter().map(|d| d.span.clone()).collect();
        let t = terms_of(text, 0..text.len(), &skip);
        for (kind, word) in [
            (TermKind::Name, "general"),
            (TermKind::Name, "motors"),
            (TermKind::Number, "8.6"),
            (TermKind::Stem, "file"),
            (TermKind::Stem, "bankruptci"),
            (TermKind::Stem, "lose"),
        ] {
            assert!(t.contains(&(term(kind, word), kind)), "{word}");
        }
        assert!(!t.contains(&(term(TermKind::Name, "thursday"), TermKind::Name)));
        assert!(!t.iter().any(|(x, _)| *x == term(TermKind::Stem, "the")));
    }

    #[test]
    fn figures_match_with_or_without_thousands_separators() {
        let a = terms_of("closing at 11,188.23", 0..20, &[]);
        let b = terms_of("closing at 11188.23", 0..19, &[]);
        assert_eq!(a, b);
    }

    #[test]
    fn only_dated_clauses_become_statements() {
        let text = "Ford posted a loss in 2006; the plants stay open. Sales rose.";
        let dates = find_dates(text, &DateContext::default());
        let st = statements(text, &[0..49, 50..text.len()], &dates, None);
        assert_eq!(st.len(), 1);
        assert_eq!(&text[st[0].clause.clone()], "Ford posted a loss in 2006");
    }

    #[test]
    fn a_case_name_does_not_end_a_sentence_and_a_parenthesised_year_is_no_event_date() {
        let text = "On July 8, 2022, following a decision to overrule Roe v. Wade, 410 U.S. 113 (1973), I signed an order.";
        let cut = text.find("Wade").unwrap();
        let joined = rejoin_sentences(text, &[0..cut - 1, cut..text.len()]);
        assert_eq!(joined, vec![0..text.len()]);
        let dates = find_dates(text, &DateContext::default());
        let st = statements(text, &[0..cut - 1, cut..text.len()], &dates, None);
        assert_eq!(st.len(), 1);
        assert!(
            st[0]
                .dates
                .iter()
                .all(|d| !text[d.range.clone()].contains("1973"))
        );
        // The words of "following a decision …" name another event.
        assert!(st[0].background.contains(&term(TermKind::Stem, "decis")));
    }

    /// The date's span in `text`: the first occurrence of `date`.
    fn span(text: &str, date: &str) -> ByteRange {
        let at = text.find(date).expect("date in text");
        at..at + date.len()
    }

    #[test]
    fn a_change_measured_from_a_date_marks_that_date_as_its_baseline() {
        for (text, date, expected) in [
            (
                "finished on 7223.98, an increase of 54 points from March 12 2009.",
                "March 12 2009",
                true,
            ),
            (
                "a 2.99 percent decrease from the close of trading Wednesday.",
                "Wednesday",
                true,
            ),
            ("sales were down 3% from June.", "June", true),
            ("prices rose from March to June.", "March", false),
            ("the rule applies from 1 June.", "1 June", false),
            (
                "the index fell on Thursday, from a high.",
                "Thursday",
                false,
            ),
        ] {
            assert_eq!(baseline(text, &span(text, date)), expected, "{text}");
        }
    }

    #[test]
    fn a_date_inside_a_since_phrase_dates_the_event_that_began_the_state() {
        for (text, date, expected) in [
            (
                "Since the first case was confirmed in the United States on May 18, the team has acted.",
                "May 18",
                true,
            ),
            (
                "its worst since the attacks of 11 September 2001.",
                "11 September 2001",
                true,
            ),
            (
                "the first real relief since Lehman's collapse in October 2008.",
                "October 2008",
                true,
            ),
            ("sales rose since 2001 and again in 2008.", "2008", false),
            (
                "The bank, which has lent since then, cut rates in May 2009.",
                "May 2009",
                false,
            ),
            ("GM filed on June 1.", "June 1", false),
        ] {
            assert_eq!(in_since_phrase(text, &span(text, date)), expected, "{text}");
        }
    }

    #[test]
    fn a_possessive_date_yields_to_the_clauses_own_date() {
        let text = "A lot of today's activities were related to the takeover of AIG on Tuesday.";
        assert!(genitive(text, &span(text, "today")));
        let ctx = DateContext {
            reference: Some("2008-09-17".parse().unwrap()),
        };
        let dates = find_dates(text, &ctx);
        let whole: ByteRange = 0..text.len();
        let st = statements(text, std::slice::from_ref(&whole), &dates, None);
        assert_eq!(st.len(), 1);
        let stated: Vec<&str> = st[0].dates.iter().map(|d| &text[d.range.clone()]).collect();
        assert_eq!(stated, vec!["Tuesday"]);
        // Alone, a possessive date still dates its clause: "Yesterday's vote" is the vote's date.
        let text = "Yesterday's vote institutes a near-total ban.";
        let dates = find_dates(text, &ctx);
        let whole: ByteRange = 0..text.len();
        let st = statements(text, std::slice::from_ref(&whole), &dates, None);
        assert_eq!(st[0].dates.len(), 1);
    }

    #[test]
    fn an_undated_past_report_of_a_figure_is_bounded_by_its_publication() {
        let published: Date = "2009-11-05".parse().unwrap();
        let ctx = DateContext {
            reference: Some(published),
        };
        for (text, bounded) in [
            (
                "General Motors said that it would axe 10,000 jobs at Opel.",
                true,
            ),
            ("General Motors said that it would cut jobs at Opel.", false),
            ("General Motors will axe 10,000 jobs at Opel.", false),
        ] {
            let dates = find_dates(text, &ctx);
            let whole: ByteRange = 0..text.len();
            let st = statements(text, std::slice::from_ref(&whole), &dates, Some(published));
            assert_eq!(st.len(), usize::from(bounded), "{text}");
            if bounded {
                assert!(st[0].reported());
                assert_eq!(st[0].dates[0].kind, DateKind::Reported);
            }
            let st = statements(text, std::slice::from_ref(&whole), &dates, None);
            assert!(st.is_empty(), "no publication date, no bound: {text}");
        }
    }
}
