//! Judging a claim's date against a bound rather than a date: a source's deadline, its report of the event
//! as done, or how long a state has lasted (see [`crate::extract::bounds`]) — which claim dates a bound
//! can rule out, and when it does.

use crate::extract::dates::{DateKind, DateValue, PartialDate};
use crate::extract::statements::StatedDate;
use crate::text::ByteRange;

static NOT_OCCURRENCE_BEFORE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)\b(?:until|till|through|to|by|from|before|after|ahead\s+of|for|since|as\s+of|between|due|expires?|expiring)\s+(?:the\s+(?:end|middle|beginning|start)\s+of\s+|(?:early|mid|late)[-\s]+)?$")
        .expect("occurrence regex")
});

static FUTURE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)\b(?:will|would|shall|is\s+to|are\s+to|was\s+to|were\s+to|set\s+(?:for|to)|due|scheduled|planned|plans?\s+to|expected|going\s+to|intends?\s+to)\b")
        .expect("future regex")
});

/// Is the date when the clause's event happened? Not when it closes a stretch or a deadline ("available
/// until 30 April", "by 2012", "set for June 13"), modifies a noun ("the 2008 Beijing Olympics"), or the
/// clause before it speaks of a plan or the future ("is to rule on 3 May", "will open in June").
pub fn occurrence(text: &str, clause: &ByteRange, date: &ByteRange) -> bool {
    let mut from = date.start.saturating_sub(40).max(clause.start);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let lead = clause.start.min(date.start)..date.start;
    // After a determiner or a possessive the date modifies a noun ("in time for the 2008 Beijing Olympics",
    // "Ford's 2008 budget"): it names something, it does not date the clause's event.
    let modifier = text[from..date.start]
        .trim_end()
        .rsplit(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .next()
        .is_some_and(|w| {
            let w = w.to_lowercase();
            matches!(
                w.as_str(),
                "the" | "a" | "an" | "its" | "their" | "his" | "her" | "this" | "that"
            ) || w.ends_with("'s")
                || w.ends_with("’s")
        });
    !modifier
        && !NOT_OCCURRENCE_BEFORE.is_match(&text[from..date.start])
        && !FUTURE.is_match(&text[lead])
}

/// Does a bound (see [`StatedDate::bound`]) rule out every day the claim's date can mean? A report of the
/// event as past rules out the days after its publication; a state's length rules out the days it cannot
/// have begun on.
pub fn excludes(bound: &StatedDate, claim: &DateValue) -> bool {
    let (Some(first), Some(last)) = (claim.first_day(), claim.last_day()) else {
        return false;
    };
    match bound.kind {
        DateKind::Reported => bound.value.first_day().is_some_and(|p| first > p),
        DateKind::Elapsed => {
            let latest = bound.value.last_day();
            let earliest = bound.value.first_day();
            latest.is_some_and(|l| first > l) || earliest.is_some_and(|e| last < e)
        }
        _ => false,
    }
}

/// Is every day `event` can mean after every day `deadline` can? A date without a year is placed in the
/// deadline's year.
pub fn later_than(event: &DateValue, deadline: &DateValue) -> bool {
    let Some(last) = deadline.last_day() else {
        return false;
    };
    let placed = |p: PartialDate| {
        if p.year.is_none() && p.period.is_none() && p.month.is_some() {
            PartialDate {
                year: Some(last.year()),
                ..p
            }
        } else {
            p
        }
    };
    let event = match event {
        DateValue::Point(p) => DateValue::Point(placed(*p)),
        DateValue::Range { start, end } => DateValue::Range {
            start: placed(*start),
            end: placed(*end),
        },
    };
    event.first_day().is_some_and(|first| first > last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i16, m: i8, d: i8) -> DateValue {
        DateValue::Point(PartialDate::from_date(jiff::civil::date(y, m, d)))
    }

    #[test]
    fn only_a_date_of_occurrence_can_be_ruled_out_by_a_report() {
        for (clause, date, expected) in [
            (
                "GM cut 10,000 jobs on 6 November 2009",
                "6 November 2009",
                true,
            ),
            (
                "three days later it says 10,000 jobs will go",
                "three days later",
                true,
            ),
            (
                "swap lines, available until 30 April 2009",
                "30 April 2009",
                false,
            ),
            ("with a hearing set for June 13", "June 13", false),
            (
                "the Treasury was to rule by the end of April 2009",
                "April 2009",
                false,
            ),
            ("the plant will close in 2008", "2008", false),
            ("from 2006 to 2010", "2006", false),
            (
                "China agrees to buy 60 787s, in time for the 2008 Beijing Olympics",
                "2008",
                false,
            ),
            ("Ford's 2008 budget was cut", "2008", false),
        ] {
            let at = clause.find(date).unwrap();
            assert_eq!(
                occurrence(clause, &(0..clause.len()), &(at..at + date.len())),
                expected,
                "{clause}"
            );
        }
    }

    #[test]
    fn an_event_after_a_deadline_is_later_than_it_and_one_before_is_not() {
        let year = |y: i16| {
            DateValue::Point(PartialDate {
                month: None,
                day: None,
                ..day(y, 1, 1).start()
            })
        };
        let yearless = |m: i8, d: i8| {
            DateValue::Point(PartialDate {
                year: None,
                ..day(2000, m, d).start()
            })
        };
        for (event, deadline, later) in [
            (day(2013, 1, 1), year(2012), true),
            (day(2012, 12, 31), year(2012), false),
            (year(2010), year(2012), false),
            (yearless(6, 13), day(2009, 6, 12), true),
            (yearless(6, 1), day(2009, 6, 12), false),
        ] {
            assert_eq!(
                later_than(&event, &deadline),
                later,
                "{event:?} {deadline:?}"
            );
        }
    }

    #[test]
    fn a_bound_rules_out_only_the_days_it_excludes() {
        let bound = |kind: DateKind, value: DateValue| StatedDate {
            range: 0..0,
            value,
            kind,
            baseline: false,
            since_event: false,
        };
        let month = |y: i16, m: i8| {
            DateValue::Point(PartialDate {
                day: None,
                ..day(y, m, 1).start()
            })
        };
        let year = |y: i16| {
            DateValue::Point(PartialDate {
                month: None,
                day: None,
                ..day(y, 1, 1).start()
            })
        };
        let reported = bound(DateKind::Reported, day(2009, 11, 5));
        let more_than = bound(
            DateKind::Elapsed,
            DateValue::Range {
                start: PartialDate::default(),
                end: day(2005, 8, 10).start(),
            },
        );
        let about = bound(
            DateKind::Elapsed,
            DateValue::Range {
                start: day(1979, 12, 10).start(),
                end: day(1981, 12, 10).start(),
            },
        );
        for (b, claim, excluded) in [
            (&reported, day(2009, 11, 6), true),
            (&reported, day(2009, 11, 5), false),
            (&reported, month(2009, 11), false),
            (&reported, month(2009, 12), true),
            (&more_than, year(2007), true),
            (&more_than, year(2005), false),
            (&more_than, year(1990), false),
            (&about, year(1980), false),
            (&about, year(1981), false),
            (&about, year(1978), true),
            (&about, year(1983), true),
        ] {
            assert_eq!(excludes(b, &claim), excluded, "{:?} {claim:?}", b.kind);
        }
    }
}
