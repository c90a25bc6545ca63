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

/// Does `s` contain `needle` (lower-case ASCII) in any ASCII case?
fn contains_ascii_ci(s: &str, needle: &[u8]) -> bool {
    s.as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
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
    // The pattern needs "has" or "have" and "for" (no other character folds to these letters): most
    // clauses have neither.
    if !(contains_ascii_ci(s, b"ha") && contains_ascii_ci(s, b"for")) {
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
    fn only_ascii_letters_fold_to_the_letters_the_elapsed_prefilter_looks_for() {
        let beyond_ascii: String = ('\u{80}'..=char::MAX).collect();
        let folds = Regex::new(r"(?i)[hafor]").expect("fold regex");
        assert_eq!(folds.find(&beyond_ascii).map(|m| m.as_str()), None);
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
