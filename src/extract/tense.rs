//! Tense: whether a clause reports its event in the past, read from its first finite verb (simple past or
//! present perfect against a present, future or modal), for dates and bounds alike.

use super::word::{lowered, words};
use crate::text::ByteRange;
use rustc_hash::FxHashSet;
use std::sync::LazyLock;

/// Simple-past forms of common strong verbs (news reports use few others).
const IRREGULAR_PAST: &[&str] = &[
    "said",
    "was",
    "were",
    "had",
    "did",
    "fell",
    "rose",
    "lost",
    "won",
    "made",
    "took",
    "sold",
    "bought",
    "gave",
    "went",
    "came",
    "began",
    "told",
    "met",
    "left",
    "held",
    "paid",
    "spent",
    "saw",
    "became",
    "brought",
    "found",
    "got",
    "kept",
    "led",
    "ran",
    "sent",
    "struck",
    "stood",
    "thought",
    "wrote",
    "chose",
    "drew",
    "drove",
    "grew",
    "knew",
    "spoke",
    "threw",
    "underwent",
    "withdrew",
    "sank",
    "shrank",
    "slid",
    "sought",
    "fought",
    "taught",
    "caught",
    "dealt",
    "meant",
    "felt",
    "hung",
    "swung",
    "rang",
    "broke",
    "overtook",
    "forgave",
    "arose",
    "flew",
    "stole",
    "tore",
    "wore",
];

/// Finite forms that put a clause in the present or the future, or make it hypothetical.
const NOT_PAST: &[&str] = &[
    "is", "are", "am", "be", "will", "would", "shall", "should", "can", "could", "may", "might",
    "must", "do", "does", "wo", "ll", "going", "says",
];

/// Words after which a participle is an adjective ("the planned merger", "a reported loss").
const DETERMINERS: &[&str] = &[
    "a",
    "an",
    "the",
    "its",
    "his",
    "her",
    "their",
    "this",
    "that",
    "these",
    "those",
    "our",
    "my",
    "your",
    "of",
    "in",
    "on",
    "at",
    "for",
    "with",
    "by",
    "from",
    "to",
    "as",
    "and",
    "or",
    "newly",
    "recently",
    "previously",
    "so",
];

// The word lists as hash sets: they are consulted for most words of every undated clause.
static IRREGULAR_PAST_SET: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| IRREGULAR_PAST.iter().copied().collect());
static NOT_PAST_SET: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| NOT_PAST.iter().copied().collect());
static DETERMINERS_SET: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| DETERMINERS.iter().copied().collect());

/// Does the clause report its event in the past tense? Its first finite verb decides: a simple past ("GM
/// said …", "the Dow fell …") or a present perfect ("has cut") reports something done by the time of writing;
/// a present, future or modal ("will cut", "is expected to", "could") does not. Returns the verb's span.
pub fn reports_past(text: &str, clause: &ByteRange) -> Option<ByteRange> {
    let s = &text[clause.clone()];
    // A quoted clause keeps the speaker's tense, not the report's.
    if s.trim_start().starts_with(['"', '“', '‘', '\'']) {
        return None;
    }
    first_finite(text, clause).and_then(|(at, past)| past.then_some(at))
}

/// The first finite verb of a stretch of text and whether it is past (a simple past or a present perfect),
/// or `None` when the stretch has no verb this can tell.
pub fn first_finite(text: &str, clause: &ByteRange) -> Option<(ByteRange, bool)> {
    let s = &text[clause.clone()];
    // The previous word, lower-cased only when a past form needs it.
    let mut prev = "";
    let mut words = words(s).peekable();
    while let Some(m) = words.next() {
        let w = &s[m.clone()];
        // Names and figures are not verbs; a capitalised determiner ("A planned merger") still counts.
        if w.starts_with(char::is_uppercase) || w.starts_with(|c: char| c.is_ascii_digit()) {
            prev = w;
            continue;
        }
        let lower = lowered(w);
        let at = clause.start + m.start..clause.start + m.end;
        if NOT_PAST_SET.contains(&*lower) {
            return Some((at, false));
        }
        if lower == "has" || lower == "have" {
            // A present perfect: "has cut", "have been"; otherwise a present ("has 6,246 dealers").
            let next = words.peek().map(|n| lowered(&s[n.clone()]));
            return Some((at, next.is_some_and(|n| participle(&n))));
        }
        if past_form(&lower) && !DETERMINERS_SET.contains(&*lowered(prev)) {
            return Some((at, true));
        }
        prev = w;
    }
    None
}

/// A past participle after "has"/"have": a past form, a strong "-en" participle ("fallen", "taken",
/// "been"), or a verb whose three forms are one ("cut", "set", "shut").
fn participle(lower: &str) -> bool {
    past_form(lower)
        || (lower.len() >= 4 && lower.ends_with("en"))
        || matches!(
            lower,
            "been"
                | "done"
                | "gone"
                | "seen"
                | "won"
                | "cut"
                | "set"
                | "put"
                | "hit"
                | "shut"
                | "spread"
                | "quit"
                | "let"
                | "cost"
                | "hurt"
                | "bid"
                | "begun"
                | "grown"
                | "shown"
                | "flown"
        )
}

/// A simple-past or past-participle form: a listed strong verb, or a regular "-ed" form.
fn past_form(lower: &str) -> bool {
    IRREGULAR_PAST_SET.contains(lower)
        || (lower.len() >= 5
            && lower.ends_with("ed")
            && !matches!(
                lower,
                "hundred" | "indeed" | "speed" | "proceed" | "exceed" | "succeed"
            )
            && lower.chars().all(char::is_alphabetic))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_finite_verb_decides_whether_a_clause_reports_the_past() {
        for (text, verb) in [
            (
                "General Motors said that it would axe 10,000 jobs.",
                Some("said"),
            ),
            (
                "The Dow fell 678 points, closing at 8,579.19.",
                Some("fell"),
            ),
            ("The index closed at 7,465.95.", Some("closed")),
            ("GM has cut 10,000 jobs.", Some("has")),
            ("GM has 6,246 dealers in the U.S.", None),
            ("GM will cut 10,000 jobs.", None),
            (
                "The company is expected to post a loss of US$6 billion.",
                None,
            ),
            ("A planned merger would create 4,000 jobs.", None),
            ("\"We lost 2,000 dealers,\" he says.", None),
        ] {
            let got = reports_past(text, &(0..text.len())).map(|r| &text[r]);
            assert_eq!(got, verb, "{text}");
        }
    }
}
