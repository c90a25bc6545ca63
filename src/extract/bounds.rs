//! Bounds: what a clause says about when its event happened without stating the date — a deadline ("by
//! early June"), a report of the event as done (bounded by the article's publication), and how long a state
//! has lasted ("has been declining for more than two years") — read the same way in articles and notes.

use super::dates::{DateKind, DateValue, PartialDate, TemporalExpr};
use super::statements::before;
use crate::text::ByteRange;
use jiff::civil::Date;
use regex::Regex;
use std::sync::LazyLock;

static DEADLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\bby|\bno\s+later\s+than)\s+(?:the\s+(?:end|middle|beginning|start)\s+of\s+|(?:early|mid|late)[-\s]+)?$")
        .expect("deadline regex")
});

/// A date after "by" or "no later than" ("by early June", "by the end of next month", "by 2012") is a
/// deadline: the event comes on or before it, not on it.
pub fn deadline(text: &str, span: &ByteRange) -> bool {
    DEADLINE.is_match(before(text, span.start, 40))
}

/// A date's kind in a statement or claim: [`DateKind::Deadline`] after "by", else the expression's.
pub fn stated_kind(text: &str, d: &TemporalExpr) -> DateKind {
    if d.kind != DateKind::Since && deadline(text, &d.span) {
        DateKind::Deadline
    } else {
        d.kind.clone()
    }
}

static ELAPSED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:has|have)\s+(?:not\s+)?(?:been\s+)?(?:[\p{L}’'-]+\s+){0,6}?for\s+(?:(more\s+than|over|at\s+least|nearly|almost|about|around|roughly|some)\s+)?(\d{1,3}|an?|[a-z]+(?:-[a-z]+)?)\s+(year|month|week|day)s?\b")
        .expect("elapsed regex")
});

/// Does `s` contain `word` (lower-case ASCII letters) in any ASCII case, followed by a byte that `next`
/// accepts?
fn contains_ci_then(s: &[u8], word: &[u8], next: impl Fn(u8) -> bool) -> bool {
    let n = word.len();
    // Setting bit 0x20 lowers an ASCII capital; no other byte becomes a small letter by it.
    (0..s.len().saturating_sub(n)).any(|i| {
        s[i] | 0x20 == word[0]
            && s[i + 1..i + n]
                .iter()
                .zip(&word[1..])
                .all(|(b, w)| b | 0x20 == *w)
            && next(s[i + n])
    })
}

/// Can `s` hold the pattern's "has"/"have" and "for", each followed by white space? After "ha" comes an
/// 's', a 'v' or the first byte of 'ſ' (which folds to 's'); after "for" an ASCII space or a byte beyond
/// ASCII (white space beyond ASCII); no other character folds to these letters.
fn may_elapse(s: &str) -> bool {
    let s = s.as_bytes();
    contains_ci_then(s, b"ha", |b| matches!(b | 0x20, b's' | b'v') || b == 0xC5)
        && contains_ci_then(s, b"for", |b| {
            matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') || b >= 0x80
        })
}

/// A present perfect with a duration ("has been declining for more than two years", "has been with General
/// Motors for 33 years") dates the start of a state that lasts to the reference date: the days it can have
/// begun in, as a range. A round count may be off by one unit either way; after "more than" or "at least"
/// any earlier start fits. Returns the duration's span and the range.
pub fn elapsed_since(
    text: &str,
    clause: &ByteRange,
    reference: Date,
) -> Option<(ByteRange, DateValue)> {
    let s = &text[clause.clone()];
    // Most clauses have neither "has"/"have" nor "for".
    if !may_elapse(s) {
        return None;
    }
    let c = ELAPSED.captures(s)?;
    let whole = c.get(0)?;
    let n = super::dates::count_from(c.get(2)?.as_str())?;
    if !(1..=200).contains(&n) {
        return None;
    }
    let unit = |k: i32| match &c[3].to_lowercase()[..] {
        "year" => jiff::Span::new().years(k),
        "month" => jiff::Span::new().months(k),
        "week" => jiff::Span::new().weeks(k),
        _ => jiff::Span::new().days(k),
    };
    let open = c.get(1).is_some_and(|h| {
        matches!(
            h.as_str().to_lowercase().split_whitespace().next(),
            Some("more" | "over" | "at")
        )
    });
    let latest = reference
        .checked_sub(unit(if open { n } else { n - 1 }))
        .ok()?;
    let start = if open {
        PartialDate::default()
    } else {
        PartialDate::from_date(reference.checked_sub(unit(n + 1)).ok()?)
    };
    let span = clause.start + whole.start()..clause.start + whole.end();
    Some((
        span,
        DateValue::Range {
            start,
            end: PartialDate::from_date(latest),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(text: &str, date: &str) -> ByteRange {
        let at = text.find(date).expect("date in text");
        at..at + date.len()
    }

    #[test]
    fn only_ascii_letters_and_long_s_fold_to_the_letters_the_elapsed_prefilter_looks_for() {
        let beyond_ascii: String = ('\u{80}'..=char::MAX).collect();
        let folds = Regex::new(r"(?i)[hasvfor]").expect("fold regex");
        let found: Vec<&str> = folds.find_iter(&beyond_ascii).map(|m| m.as_str()).collect();
        assert_eq!(found, ["ſ"]);
        assert_eq!("ſ".as_bytes()[0], 0xC5);
    }

    #[test]
    fn every_clause_the_elapsed_pattern_matches_passes_the_prefilter() {
        let fixed = [
            "The housing market has been declining for more than two years.",
            "She HAS been with General Motors FOR 33 years.",
            "It haſ been idle for\u{a0}two weeks",
            "They Have not been seen for\u{2003}a year",
            "has for 3 days",
        ];
        for s in fixed {
            assert!(ELAPSED.is_match(s) && may_elapse(s), "{s}");
        }
        let pieces = [
            "has",
            "HAS",
            "haſ",
            "have",
            "HaVe",
            "ha",
            "for",
            "FOR",
            "fo",
            "r",
            "not",
            "been",
            "more than",
            "two",
            "3",
            "an",
            "year",
            "weeks",
            "day",
            " ",
            "\u{a0}",
            "\n",
            "-",
            "s",
            "’",
            "é",
            "x",
            "has been idle",
            "for two years",
            "for more than 3 weeks",
            "FOR an month",
        ];
        let mut rng = crate::testing::XorShift(0x9e37_79b9_7f4a_7c15);
        let mut matched = 0;
        for _ in 0..50_000 {
            let n = rng.next() % 16;
            let s = rng.mixture(
                &pieces,
                n,
                |seed| if seed.is_multiple_of(3) { " " } else { "" },
            );
            if ELAPSED.is_match(&s) {
                matched += 1;
                assert!(may_elapse(&s), "{s:?}");
            }
        }
        assert!(matched > 100, "{matched}");
    }

    #[test]
    fn a_present_perfect_with_a_length_of_time_dates_the_start_of_the_state() {
        let reference: Date = "2007-08-10".parse().unwrap();
        for (text, expected) in [
            (
                "The housing market has been declining for more than two years.",
                Some((None, "2005-08-10")),
            ),
            (
                "She has been with General Motors for 33 years.",
                Some((Some("1973-08-10"), "1975-08-10")),
            ),
            (
                "Japan has not been in recession for six months.",
                Some((Some("2007-01-10"), "2007-03-10")),
            ),
            ("The plant closed for two weeks.", None),
            ("He had been chairman for five years.", None),
        ] {
            let got = elapsed_since(text, &(0..text.len()), reference).map(|(_, v)| {
                (
                    v.first_day().map(|d| d.to_string()),
                    v.last_day().unwrap().to_string(),
                )
            });
            let expected = expected.map(|(a, b)| (a.map(str::to_string), b.to_string()));
            assert_eq!(got, expected, "{text}");
        }
    }

    #[test]
    fn a_date_after_by_is_a_deadline() {
        for (text, date, expected) in [
            ("eliminate 789 dealers by early June", "June", true),
            (
                "That decision is due by the end of next month.",
                "next month",
                true,
            ),
            ("14 plants closed by 2012", "2012", true),
            ("no later than 30 June", "30 June", true),
            ("a speech given by the President on 3 May", "3 May", false),
            ("the plant closed in 2012", "2012", false),
        ] {
            assert_eq!(deadline(text, &span(text, date)), expected, "{text}");
        }
    }
}
