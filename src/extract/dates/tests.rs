//! Tests of finding, resolving and formatting dates.

use super::*;
use super::{format::*, resolve::*};

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn ctx(r: Option<&str>) -> DateContext {
    DateContext {
        reference: r.map(d),
    }
}

fn found(text: &str, r: Option<&str>) -> Vec<(String, String)> {
    find_dates(text, &ctx(r))
        .into_iter()
        .map(|e| {
            (
                text[e.span].to_string(),
                e.value.map_or("-".to_string(), |v| v.to_iso()),
            )
        })
        .collect()
}

fn point(y: Option<i16>, m: Option<i8>, d: Option<i8>) -> DateValue {
    DateValue::Point(PartialDate {
        year: y,
        month: m,
        day: d,
        weekday: None,
        period: None,
    })
}

/// (text, reference, matched span, ISO value or "-" for unresolved)
const CASES: &[(&str, Option<&str>, &str, &str)] = &[
    // Seed sentences from the articles.
    (
        "In a pivotal meeting held on November 25, 2024, Kenyan President William Ruto and General Michael Langley",
        None,
        "November 25, 2024",
        "2024-11-25",
    ),
    (
        "President Ruto’s state visit to the United States in May 2024 set the stage",
        None,
        "May 2024",
        "2024-05",
    ),
    (
        "at the Pentagon on Wednesday.",
        None,
        "Wednesday",
        "XXXX-XX-XX",
    ),
    (
        "at the Pentagon on Wednesday.",
        Some("2024-11-28"),
        "Wednesday",
        "2024-11-27",
    ),
    (
        "In September, Aden and Austin signed a joint Defence Cooperation Framework in Nairobi.",
        None,
        "September",
        "XXXX-09",
    ),
    (
        "In September, Aden and Austin signed a joint Defence Cooperation Framework in Nairobi.",
        Some("2024-11-28"),
        "September",
        "2024-09",
    ),
    (
        "Effective from 2023 to 2028, the Framework aims",
        None,
        "from 2023 to 2028",
        "2023/2028",
    ),
    (
        "the first official visit by an African head of state since 2008",
        None,
        "since 2008",
        "2008",
    ),
    (
        "On Thursday, November 7, Secretary Blinken thanked President Ruto",
        None,
        "Thursday, November 7",
        "XXXX-11-07",
    ),
    (
        "In 2024 the talks resumed. On Thursday, November 7, Secretary Blinken thanked President Ruto",
        None,
        "Thursday, November 7",
        "2024-11-07",
    ),
    (
        "This call came just a day after President Ruto spoke with",
        None,
        "just a day after",
        "-",
    ),
    (
        "spoke with Kenyan President William Ruto on November 7 to thank him",
        None,
        "November 7",
        "XXXX-11-07",
    ),
    (
        "spoke with Kenyan President William Ruto on November 7 to thank him",
        Some("2024-11-28"),
        "November 7",
        "2024-11-07",
    ),
    (
        "Thursday, July 4, 2024",
        None,
        "Thursday, July 4, 2024",
        "2024-07-04",
    ),
    ("$152 billion in 2012", None, "2012", "2012"),
    // Other full dates.
    ("Nov. 25, 2024", None, "Nov. 25, 2024", "2024-11-25"),
    (
        "on 25 November 2024 in Nairobi",
        None,
        "25 November 2024",
        "2024-11-25",
    ),
    ("filed 2024-11-25.", None, "2024-11-25", "2024-11-25"),
    ("dated 11/25/2024 and", None, "11/25/2024", "2024-11-25"),
    ("in May of 2024", None, "May of 2024", "2024-05"),
    ("7 November", None, "7 November", "XXXX-11-07"),
    // Month-day year from the reference, including across the year boundary.
    (
        "on December 28",
        Some("2025-01-05"),
        "December 28",
        "2024-12-28",
    ),
    (
        "on January 3",
        Some("2024-12-20"),
        "January 3",
        "2025-01-03",
    ),
    ("on March 3", Some("2024-11-28"), "March 3", "2024-03-03"),
    // Months alone.
    (
        "in December the rains came",
        Some("2024-11-28"),
        "December",
        "2023-12",
    ),
    (
        "the summit will be held in December",
        Some("2024-11-28"),
        "December",
        "2024-12",
    ),
    ("since March", Some("2024-11-28"), "since March", "2024-03"),
    // Years and ranges.
    ("the 2023–2024 budget", None, "2023–2024", "2023/2024"),
    (
        "between 2019 and 2024,",
        None,
        "between 2019 and 2024",
        "2019/2024",
    ),
    ("the 2019-20 season", None, "2019-20", "2019/2020"),
    ("by mid-2025.", None, "2025", "2025"),
    ("the 2024 election", None, "2024", "2024"),
    ("Ruto, elected 2022, said", None, "2022", "2022"),
    (
        "from March to May 2024",
        None,
        "from March to May 2024",
        "2024-03/2024-05",
    ),
    (
        "July 13-15, 2024",
        None,
        "July 13-15, 2024",
        "2024-07-13/2024-07-15",
    ),
    // Weekdays.
    (
        "Blinken will travel to Nairobi on Wednesday",
        Some("2024-11-25"),
        "Wednesday",
        "2024-11-27",
    ),
    (
        "They met last Friday",
        Some("2024-11-29"),
        "last Friday",
        "2024-11-22",
    ),
    (
        "They meet next Monday",
        Some("2024-11-27"),
        "next Monday",
        "2024-12-02",
    ),
    (
        "They met on Thursday",
        Some("2024-11-28"),
        "Thursday",
        "2024-11-28",
    ),
    // Relative to the reference.
    (
        "said yesterday",
        Some("2024-11-28"),
        "yesterday",
        "2024-11-27",
    ),
    (
        "earlier today",
        Some("2024-11-28"),
        "earlier today",
        "2024-11-28",
    ),
    ("tomorrow", Some("2024-11-28"), "tomorrow", "2024-11-29"),
    (
        "two days ago",
        Some("2024-11-28"),
        "two days ago",
        "2024-11-26",
    ),
    (
        "three weeks ago",
        Some("2024-11-28"),
        "three weeks ago",
        "2024-11-07",
    ),
    ("a year ago", Some("2024-11-28"), "a year ago", "2023"),
    ("last month", Some("2024-01-15"), "last month", "2023-12"),
    ("last year", Some("2024-11-28"), "last year", "2023"),
    ("this year", Some("2024-11-28"), "this year", "2024"),
    ("next year", Some("2024-11-28"), "next year", "2025"),
    ("last week", Some("2024-11-28"), "last week", "2024-W47"),
    ("yesterday", None, "yesterday", "-"),
    // Relative to the previous date.
    (
        "They met on November 7, 2024. The next day, talks resumed.",
        None,
        "The next day",
        "2024-11-08",
    ),
    (
        "Talks began on 30 December 2024 and ended a week later.",
        None,
        "a week later",
        "2025-01-06",
    ),
    (
        "He arrived on November 7. The following day he left.",
        None,
        "The following day",
        "XXXX-11-08",
    ),
    (
        "He arrived on Monday, November 4, 2024 and left later that week.",
        None,
        "later that week",
        "2024-W45",
    ),
    ("Nothing happened the next day.", None, "the next day", "-"),
    (
        "the day after tomorrow",
        Some("2024-11-28"),
        "the day after tomorrow",
        "2024-11-30",
    ),
    ("two days after the election", None, "two days after", "-"),
    // Durations.
    (
        "over the past two years",
        None,
        "over the past two years",
        "-",
    ),
    // Proclamations, sentence periods, weekday + date with a modifier.
    (
        "I have hereunto set my hand this sixth day of May, in the year of our Lord two thousand twenty-two.",
        None,
        "sixth day of May, in the year of our Lord two thousand twenty-two",
        "2022-05-06",
    ),
    (
        "as reported in April.",
        Some("2024-11-28"),
        "April",
        "2024-04",
    ),
    // "due in": a schedule, read forward.
    ("due in Sept. and", Some("2024-11-28"), "Sept.", "2025-09"),
    (
        "as planned in Sept. and",
        Some("2024-11-28"),
        "Sept.",
        "2024-09",
    ),
    (
        "Next Tuesday, June 14th, the FDA will meet",
        Some("2022-06-07"),
        "Next Tuesday, June 14th",
        "2022-06-14",
    ),
    (
        "in September last year",
        Some("2024-11-28"),
        "September last year",
        "2023-09",
    ),
    ("with reviews in 2026 and 2028.", None, "2026", "2026"),
    ("with reviews in 2026 and 2028.", None, "2028", "2028"),
    (
        "Between January and March 2024, exports rose",
        None,
        "Between January and March 2024",
        "2024-01/2024-03",
    ),
    (
        "The talks, held Nov. 7-8, 2024, ended early.",
        None,
        "Nov. 7-8, 2024",
        "2024-11-07/2024-11-08",
    ),
    (
        "Blinken called on November 7. Two days later, they signed.",
        None,
        "Two days later",
        "XXXX-11-09",
    ),
    (
        "two days after November 7, 2024",
        None,
        "two days after",
        "2024-11-09",
    ),
    (
        "since June of this year",
        Some("2024-11-28"),
        "since June of this year",
        "2024-06",
    ),
    (
        "on March 3 next year",
        Some("2024-11-28"),
        "March 3 next year",
        "2025-03-03",
    ),
];

#[test]
fn table_cases_find_the_span_and_value() {
    let mut failures = Vec::new();
    for &(text, r, span, iso) in CASES {
        let got = found(text, r);
        let hit = got.iter().find(|(s, _)| s == span);
        match hit {
            Some((_, v)) if v == iso => {}
            _ => failures.push(format!(
                "{text:?} ref={r:?}: want {span:?}={iso}, got {got:?}"
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn seed_cases_find_nothing_else() {
    assert_eq!(
        found("$152 billion in 2012", None),
        vec![("2012".into(), "2012".into())]
    );
    assert_eq!(
        found("Effective from 2023 to 2028, the Framework aims", None).len(),
        1
    );
    assert_eq!(
        found(
            "On Thursday, November 7, Secretary Blinken thanked President Ruto",
            None
        )
        .len(),
        1
    );
}

#[test]
fn numbers_times_and_ordinals_are_not_dates() {
    for text in [
        "deploy 1,000 police officers",
        "10:22 A.M. EDT",
        "the 47th president",
        "2,500",
        "some 2,500 troops arrived",
        "call 650-650-6500 now",
        "Group J advanced",
        "a rise of 2000 troops",
        "reached 2000.",
        "it grew 2024%",
        "at 3pm we met",
        "Version: 1.1.30",
        "Theresa May became prime minister. May the force be with you.",
        "she may not move",
        "April Ryan asked a question",
        "Chapter 12, page 3",
        "2020",
        "on Fridays we meet",
        r#"<img width="3000" height="2000" alt="">"#,
        "I've done Fox News Sunday twice now",
    ] {
        // "call … now", "twice now": the present is a time, but none of these is a date.
        let dates: Vec<_> = found(text, Some("2024-11-28"))
            .into_iter()
            .filter(|(_, v)| v != "PRESENT_REF")
            .collect();
        assert_eq!(dates, vec![], "{text}");
    }
}

#[test]
fn weekday_fixes_year_when_one_nearby_year_fits() {
    let text = "The framework was signed in 2024. On Thursday, November 7, Secretary Blinken thanked President Ruto";
    assert_eq!(found(text, None)[1].1, "2024-11-07");
    // With a reference in 2024: 7 Nov 2024 is a Thursday, 2023 and 2025 are not.
    assert_eq!(
        found("On Thursday, November 7, he left", Some("2025-02-01"))[0].1,
        "2024-11-07"
    );
    // No nearby year: stays unknown, weekday kept.
    let e = &find_dates("On Thursday, November 7, he left", &ctx(None))[0];
    assert_eq!(e.value.unwrap().start().weekday, Some(Weekday::Thursday));
}

#[test]
fn weekday_with_no_fitting_nearby_year_falls_back_to_reference_year() {
    // 7 Nov is a Friday in 2025 and a Thursday in 2024; "Monday" fits none of 2024–2026.
    assert_eq!(
        found("On Monday, November 7, he left", Some("2025-11-20"))[0].1,
        "2025-11-07"
    );
}

#[test]
fn month_day_gets_reference_year() {
    assert_eq!(
        found("on November 7 to thank him", Some("2024-11-28"))[0].1,
        "2024-11-07"
    );
}

#[test]
fn future_clause_resolves_weekday_forward() {
    assert_eq!(
        found("He will visit on Wednesday.", Some("2024-11-28"))[0].1,
        "2024-12-04"
    );
    assert_eq!(
        found(
            "He said on Wednesday that he will visit.",
            Some("2024-11-28")
        )[0]
        .1,
        "2024-11-27"
    );
}

#[test]
fn event_anchor_is_left_for_the_caller() {
    let e = &find_dates(
        "This call came just a day after President Ruto spoke with",
        &ctx(None),
    )[0];
    assert_eq!(e.kind, DateKind::RelativeToAnchor);
    assert_eq!(e.value, None);
    assert_eq!(
        e.relative,
        Some(Relative {
            anchor: Anchor::Event,
            days: 1
        })
    );
    let e = &find_dates("the day before the vote", &ctx(None))[0];
    assert_eq!(
        e.relative,
        Some(Relative {
            anchor: Anchor::Event,
            days: -1
        })
    );
    let e = &find_dates("three weeks later", &ctx(None))[0];
    assert_eq!(
        e.relative,
        Some(Relative {
            anchor: Anchor::PreviousDate,
            days: 21
        })
    );
}

#[test]
fn kinds_are_reported() {
    let kinds = |t: &str| {
        find_dates(t, &ctx(Some("2024-11-28")))
            .into_iter()
            .map(|e| e.kind)
            .collect::<Vec<_>>()
    };
    assert_eq!(kinds("since 2008"), vec![DateKind::Since]);
    assert_eq!(kinds("from 2023 to 2028"), vec![DateKind::Range]);
    assert_eq!(kinds("on Wednesday"), vec![DateKind::Weekday]);
    assert_eq!(kinds("yesterday"), vec![DateKind::RelativeToRef]);
    assert_eq!(kinds("the next day"), vec![DateKind::RelativeToAnchor]);
    assert_eq!(kinds("for two years"), vec![DateKind::Duration]);
    assert_eq!(kinds("November 7, 2024"), vec![DateKind::Absolute]);
    assert_eq!(kinds("is now"), vec![DateKind::Present]);
}

#[test]
fn spans_are_sorted_and_disjoint() {
    let text = "On Thursday, November 7, 2024, a day after the call, Ruto met Blinken; since 2008 visits were rare. \
                The next day, in September and on Wednesday, from 2023 to 2028.";
    let v = find_dates(text, &ctx(Some("2024-11-28")));
    assert!(v.len() >= 6, "{v:?}");
    for w in v.windows(2) {
        assert!(w[0].span.end <= w[1].span.start, "{v:?}");
    }
}

#[test]
fn month_only_conflicts_with_other_month_but_not_same_month() {
    let src = point(None, Some(3), None);
    assert!(src.conflicts_with(&point(Some(2021), Some(4), None)));
    assert!(!src.conflicts_with(&point(Some(2021), Some(3), None)));
    assert!(src.agrees_with(&point(Some(2021), Some(3), None)));
    assert!(!src.agrees_with(&point(Some(2021), Some(4), None)));
}

#[test]
fn weekday_only_value_conflicts_with_nothing() {
    let wd = DateValue::Point(PartialDate {
        weekday: Some(Weekday::Wednesday),
        ..Default::default()
    });
    assert!(!wd.conflicts_with(&point(Some(2024), Some(11), Some(28))));
    assert!(!wd.agrees_with(&point(Some(2024), Some(11), Some(28))));
    assert_eq!(wd.to_iso(), "XXXX-XX-XX");
}

#[test]
fn point_against_range_compares_with_range_start() {
    let range = DateValue::Range {
        start: PartialDate {
            year: Some(2023),
            ..Default::default()
        },
        end: PartialDate {
            year: Some(2028),
            ..Default::default()
        },
    };
    assert!(point(Some(2023), None, None).agrees_with(&range));
    assert!(point(Some(2025), None, None).conflicts_with(&range));
    assert!(range.contains(&point(Some(2025), None, None)));
    assert!(!range.contains(&point(Some(2029), None, None)));
    assert_eq!(range.to_iso(), "2023/2028");
}

#[test]
fn nothing_comparable_means_no_conflict_and_no_agreement() {
    let a = point(Some(2024), None, None);
    let b = point(None, Some(5), None);
    assert!(!a.conflicts_with(&b));
    assert!(!a.agrees_with(&b));
}

#[test]
fn shift_needs_day_precision() {
    assert_eq!(
        shift(&point(Some(2024), Some(11), Some(7)), -1)
            .unwrap()
            .to_iso(),
        "2024-11-06"
    );
    assert_eq!(
        shift(&point(Some(2024), Some(12), Some(31)), 1)
            .unwrap()
            .to_iso(),
        "2025-01-01"
    );
    assert_eq!(
        shift(&point(None, Some(11), Some(7)), 1).unwrap().to_iso(),
        "XXXX-11-08"
    );
    assert_eq!(shift(&point(None, Some(2), Some(28)), 1), None); // depends on the year
    assert_eq!(shift(&point(Some(2024), Some(11), None), 1), None);
}

#[test]
fn format_like_follows_the_example_style() {
    let v = point(Some(2021), Some(6), Some(11));
    assert_eq!(
        format_like("12 June 2021", &v).as_deref(),
        Some("11 June 2021")
    );
    assert_eq!(
        format_like("June 12, 2021", &v).as_deref(),
        Some("June 11, 2021")
    );
    assert_eq!(format_like("2021-06-12", &v).as_deref(), Some("2021-06-11"));
    assert_eq!(format_like("6/12/2021", &v).as_deref(), Some("6/11/2021"));
    assert_eq!(
        format_like("12th June 2021", &v).as_deref(),
        Some("11th June 2021")
    );
    assert_eq!(
        format_like("Saturday, June 12, 2021", &v).as_deref(),
        Some("Friday, June 11, 2021")
    );
    let nov = point(Some(2024), Some(11), Some(26));
    assert_eq!(
        format_like("Oct. 25, 2024", &nov).as_deref(),
        Some("Nov. 26, 2024")
    );
    assert_eq!(
        format_like("Nov. 25, 2024", &point(Some(2024), Some(5), Some(2))).as_deref(),
        Some("May 2, 2024")
    );
    assert_eq!(
        format_like("November 7", &nov).as_deref(),
        Some("November 26")
    );
    assert_eq!(
        format_like("May 2024", &point(Some(2023), Some(9), None)).as_deref(),
        Some("September 2023")
    );
    assert_eq!(
        format_like("2024", &point(Some(2023), None, None)).as_deref(),
        Some("2023")
    );
    assert_eq!(format_like("Wednesday", &nov).as_deref(), Some("Tuesday"));
    let range = DateValue::Range {
        start: PartialDate {
            year: Some(2022),
            ..Default::default()
        },
        end: PartialDate {
            year: Some(2027),
            ..Default::default()
        },
    };
    assert_eq!(
        format_like("from 2023 to 2028", &range).as_deref(),
        Some("from 2022 to 2027")
    );
    // The value lacks a part the example shows.
    assert_eq!(
        format_like("12 June 2021", &point(None, Some(6), Some(11))),
        None
    );
    assert_eq!(format_like("not a date", &v), None);
}

#[test]
fn partial_date_serializes_weekday_by_name() {
    let p = PartialDate {
        year: Some(2024),
        month: Some(11),
        day: Some(7),
        weekday: Some(Weekday::Thursday),
        period: None,
    };
    assert_eq!(
        serde_json::to_string(&p).unwrap(),
        r#"{"year":2024,"month":11,"day":7,"weekday":"Thursday"}"#
    );
}

// ---------------------------------------------------------------------------------------------------
// Periods: the present, weeks, seasons, decades and centuries, fiscal years; months in future clauses
// ---------------------------------------------------------------------------------------------------

/// (text, reference, matched span, value, precision)
type PeriodCase = (
    &'static str,
    Option<&'static str>,
    &'static str,
    &'static str,
    Precision,
);

/// Every case must find its span with its value and precision.
fn check_period_cases(cases: &[PeriodCase]) {
    let mut failures = Vec::new();
    for &(text, r, span, iso, precision) in cases {
        let got: Vec<(String, String, Option<Precision>)> = find_dates(text, &ctx(r))
            .into_iter()
            .map(|e| {
                (
                    text[e.span].to_string(),
                    e.value.map_or("-".to_string(), |v| v.to_iso()),
                    e.value.map(|v| v.start().precision()),
                )
            })
            .collect();
        let ok = got
            .iter()
            .any(|(s, v, p)| s == span && v == iso && (iso == "-" || *p == Some(precision)));
        if !ok {
            failures.push(format!(
                "{text:?} ref={r:?}: want {span:?}={iso} ({precision:?}), got {got:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// No expression of these texts may carry a period of the given precision.
fn check_no_period(texts: &[&str], precision: Precision) {
    for text in texts {
        let found: Vec<_> = find_dates(text, &ctx(Some("2024-11-28")))
            .into_iter()
            .filter(|e| e.value.is_some_and(|v| v.start().precision() == precision))
            .map(|e| text[e.span].to_string())
            .collect();
        assert!(found.is_empty(), "{text:?}: {found:?}");
    }
}

fn value_of(text: &str, r: Option<&str>) -> DateValue {
    find_dates(text, &ctx(r))
        .into_iter()
        .find_map(|e| e.value)
        .unwrap_or_else(|| panic!("no value in {text:?}"))
}

const PRESENT_CASES: &[PeriodCase] = &[
    (
        "Ruto is now the chair of the bloc.",
        Some("2024-11-28"),
        "now",
        "PRESENT_REF",
        Precision::Present,
    ),
    (
        "Prices are currently falling.",
        Some("2024-11-28"),
        "currently",
        "PRESENT_REF",
        Precision::Present,
    ),
    (
        "At present, the talks are stalled.",
        Some("2024-11-28"),
        "At present",
        "PRESENT_REF",
        Precision::Present,
    ),
    (
        "Nobody is hiring at the moment.",
        Some("2024-11-28"),
        "at the moment",
        "PRESENT_REF",
        Precision::Present,
    ),
    (
        "Nowadays few people write letters.",
        Some("2024-11-28"),
        "Nowadays",
        "PRESENT_REF",
        Precision::Present,
    ),
    (
        "We need a ceasefire right now.",
        Some("2024-11-28"),
        "now",
        "PRESENT_REF",
        Precision::Present,
    ),
    (
        "The post is vacant until now.",
        None,
        "now",
        "PRESENT_REF",
        Precision::Present,
    ),
];

#[test]
fn present_reference_is_found_with_the_reference_date() {
    check_period_cases(PRESENT_CASES);
    let v = value_of("Ruto is now the chair.", Some("2024-11-28"));
    assert_eq!(
        v.start().period,
        Some(Period::Present {
            reference: Some((2024, 11, 28))
        })
    );
    assert_eq!(v.describe(), "now (28 November 2024)");
    // Without a reference it states nothing.
    let v = value_of("Ruto is now the chair.", None);
    assert_eq!(v.start().year, None);
    assert_eq!(v.describe(), "now (date not stated)");
}

#[test]
fn now_as_a_conjunction_or_in_idioms_is_not_the_present() {
    check_no_period(
        &[
            "Now that he has left, the party is split.",
            "the now-defunct agency",
            "He calls every now and then.",
            "NOW, the women's group, protested.",
            "Now, the question is who pays.",
            "The bill is nowhere near passing.",
            "knowledge is power",
            "We will win one of these days.",
            "two hours from now",
        ],
        Precision::Present,
    );
}

#[test]
fn the_present_never_conflicts_or_agrees() {
    let now = value_of("is now", Some("2024-11-28"));
    for other in [
        point(Some(2024), Some(11), Some(28)),
        point(Some(1990), None, None),
        point(Some(2024), Some(3), Some(1)),
    ] {
        assert!(!now.conflicts_with(&other), "{other:?}");
        assert!(!other.conflicts_with(&now), "{other:?}");
        assert!(!now.agrees_with(&other));
        assert!(!now.contains(&other) && !other.contains(&now));
    }
}

const WEEK_CASES: &[PeriodCase] = &[
    (
        "talks this week",
        Some("2024-11-28"),
        "this week",
        "2024-W48",
        Precision::Week,
    ),
    (
        "talks last week",
        Some("2024-11-28"),
        "last week",
        "2024-W47",
        Precision::Week,
    ),
    (
        "talks next week",
        Some("2024-11-28"),
        "next week",
        "2024-W49",
        Precision::Week,
    ),
    (
        "talks this weekend",
        Some("2024-11-28"),
        "this weekend",
        "2024-W48-WE",
        Precision::Week,
    ),
    // Deixis follows tense: a past-tense "this weekend" written on a weekday is the weekend just gone.
    (
        "The fault only became public this weekend, when a magazine cited documents.",
        Some("2010-01-25"),
        "this weekend",
        "2010-W03-WE",
        Precision::Week,
    ),
    (
        "The fault was not reported, due to what the makers call pressure -- and only became public this weekend.",
        Some("2010-01-25"),
        "this weekend",
        "2010-W03-WE",
        Precision::Week,
    ),
    (
        "This weekend, the talks collapsed.",
        Some("2024-11-28"),
        "This weekend",
        "2024-W47-WE",
        Precision::Week,
    ),
    (
        "The talks collapsed this weekend.",
        Some("2024-11-30"),
        "this weekend",
        "2024-W48-WE",
        Precision::Week,
    ),
    (
        "Investors await meetings that will be held this weekend.",
        Some("2024-11-28"),
        "this weekend",
        "2024-W48-WE",
        Precision::Week,
    ),
    (
        "The ministers, who met on Monday, meet again this weekend.",
        Some("2024-11-28"),
        "this weekend",
        "2024-W48-WE",
        Precision::Week,
    ),
    (
        "in the week of March 3 the talks resumed",
        Some("2025-03-20"),
        "the week of March 3",
        "2025-W10",
        Precision::Week,
    ),
    (
        "during the week of 3 March 2024",
        None,
        "the week of 3 March 2024",
        "2024-W09",
        Precision::Week,
    ),
    (
        "the week beginning 4 November 2024",
        None,
        "the week beginning 4 November 2024",
        "2024-W45",
        Precision::Week,
    ),
    // "N weeks ago" is a point in time N weeks back, like "N days ago": a day.
    (
        "three weeks ago",
        Some("2024-11-28"),
        "three weeks ago",
        "2024-11-07",
        Precision::Day,
    ),
    (
        "two weeks from now",
        Some("2024-11-28"),
        "two weeks from now",
        "2024-12-12",
        Precision::Day,
    ),
    (
        "exactly three weeks ago",
        Some("2024-11-28"),
        "exactly three weeks ago",
        "2024-11-07",
        Precision::Day,
    ),
    (
        "a week ago today",
        Some("2024-11-28"),
        "a week ago",
        "2024-11-21",
        Precision::Day,
    ),
    // ISO weeks belong to the year of their Thursday.
    (
        "talks this week",
        Some("2024-12-31"),
        "this week",
        "2025-W01",
        Precision::Week,
    ),
    (
        "He arrived on 30 December 2024 and left the following week.",
        None,
        "the following week",
        "2025-W02",
        Precision::Week,
    ),
    ("this week", None, "this week", "-", Precision::Week),
];

#[test]
fn weeks_get_iso_week_values() {
    check_period_cases(WEEK_CASES);
    check_no_period(
        &[
            "Week 3 of the season",
            "a week-long strike",
            "for a week",
            "over the past week",
            "twice a week",
        ],
        Precision::Week,
    );
}

#[test]
fn a_week_contains_its_days_and_overlaps_its_months() {
    let w = value_of("last week", Some("2024-11-28")); // 18–24 November 2024
    assert!(w.agrees_with(&point(Some(2024), Some(11), Some(20))));
    assert!(w.contains(&point(Some(2024), Some(11), Some(20))));
    assert!(!w.conflicts_with(&point(Some(2024), Some(11), Some(20))));
    assert!(w.conflicts_with(&point(Some(2024), Some(11), Some(26))));
    assert!(point(Some(2024), Some(11), Some(12)).conflicts_with(&w));
    assert!(w.agrees_with(&point(Some(2024), Some(11), None)));
    assert!(w.conflicts_with(&point(Some(2024), Some(10), None)));
    assert!(w.agrees_with(&point(Some(2024), None, None)));
    // A week across two months (28 October – 3 November 2024) conflicts with neither.
    let straddle = value_of("the week of 1 November 2024", None);
    assert_eq!(straddle.to_iso(), "2024-W44");
    for m in [10, 11] {
        let month = point(Some(2024), Some(m), None);
        assert!(!straddle.conflicts_with(&month) && !month.conflicts_with(&straddle));
    }
    assert!(straddle.conflicts_with(&point(Some(2024), Some(12), None)));
    // Across two years (30 December 2024 – 5 January 2025): neither year conflicts.
    let new_year = value_of("this week", Some("2025-01-02"));
    for y in [2024, 2025] {
        assert!(!new_year.conflicts_with(&point(Some(y), None, None)));
    }
    // A day without a year cannot be placed: no conflict.
    assert!(!w.conflicts_with(&point(None, Some(3), Some(1))));
}

const SEASON_CASES: &[PeriodCase] = &[
    (
        "in spring 2024",
        None,
        "spring 2024",
        "2024-SP",
        Precision::Season,
    ),
    (
        "in the summer of 2023",
        None,
        "summer of 2023",
        "2023-SU",
        Precision::Season,
    ),
    (
        "Autumn 2022 was wet.",
        None,
        "Autumn 2022",
        "2022-FA",
        Precision::Season,
    ),
    (
        "winter 2023-24",
        None,
        "winter 2023-24",
        "2023-WI",
        Precision::Season,
    ),
    (
        "They met last summer.",
        Some("2024-11-28"),
        "last summer",
        "2024-SU",
        Precision::Season,
    ),
    (
        "They met last summer.",
        Some("2024-07-10"),
        "last summer",
        "2023-SU",
        Precision::Season,
    ),
    (
        "The law takes effect this fall.",
        Some("2024-03-01"),
        "this fall",
        "2024-FA",
        Precision::Season,
    ),
    (
        "The law takes effect this autumn.",
        Some("2024-03-01"),
        "this autumn",
        "2024-FA",
        Precision::Season,
    ),
    (
        "The plant reopens next spring.",
        Some("2024-11-28"),
        "next spring",
        "2025-SP",
        Precision::Season,
    ),
    // A winter is counted in the year of its December.
    (
        "It snowed a lot last winter.",
        Some("2024-01-15"),
        "last winter",
        "2022-WI",
        Precision::Season,
    ),
    (
        "It snowed a lot this winter.",
        Some("2024-01-15"),
        "this winter",
        "2023-WI",
        Precision::Season,
    ),
    (
        "Floods hit the region in the winter.",
        Some("2024-11-28"),
        "winter",
        "2023-WI",
        Precision::Season,
    ),
    (
        "The station will reopen in the spring.",
        Some("2024-11-28"),
        "spring",
        "2025-SP",
        Precision::Season,
    ),
    (
        "Sales rose in early spring.",
        Some("2024-11-28"),
        "early spring",
        "2024-SP",
        Precision::Season,
    ),
    (
        "They met last summer.",
        None,
        "last summer",
        "-",
        Precision::Season,
    ),
];

#[test]
fn seasons_get_season_values() {
    check_period_cases(SEASON_CASES);
    check_no_period(
        &[
            "The shop on Spring Street closed.",
            "Summer Jones said the vote was fair.",
            "He was born in Fall River.",
            "the Arab Spring",
            "at the Winter Olympics",
            "Prices fall in value when rates rise.",
            "after the fall of Kabul",
            "the winter of our discontent",
            "a hot spring",
            "Summer is coming",
            "a novel written by Winter in 1990",
        ],
        Precision::Season,
    );
}

#[test]
fn seasons_contain_their_months_and_winter_spans_the_new_year() {
    let spring = value_of("in spring 2024", None);
    assert!(spring.agrees_with(&point(Some(2024), Some(5), Some(10))));
    assert!(spring.conflicts_with(&point(Some(2024), Some(8), Some(10))));
    assert!(!spring.conflicts_with(&point(Some(2024), Some(6), None)));
    assert!(spring.conflicts_with(&point(Some(2023), Some(4), None)));
    assert!(spring.agrees_with(&point(Some(2024), None, None)));
    assert_eq!(spring.start().year, Some(2024));
    // "winter 2024": December 2023 – March 2024 or December 2024 – March 2025.
    let winter = value_of("in winter 2024", None);
    assert_eq!(winter.start().year, None);
    for (y, m) in [(2023, 12), (2024, 1), (2024, 3), (2024, 12), (2025, 2)] {
        assert!(
            !winter.conflicts_with(&point(Some(y), Some(m), None)),
            "{y}-{m}"
        );
    }
    assert!(winter.conflicts_with(&point(Some(2024), Some(7), None)));
    assert!(!winter.conflicts_with(&point(Some(2024), None, None)));
    assert!(!winter.conflicts_with(&point(Some(2025), None, None)));
}

const DECADE_CASES: &[PeriodCase] = &[
    ("in the 1990s", None, "1990s", "199", Precision::Decade),
    (
        "the 1990s-era rules",
        None,
        "1990s",
        "199",
        Precision::Decade,
    ),
    (
        "music of the '90s",
        Some("2024-11-28"),
        "'90s",
        "199",
        Precision::Decade,
    ),
    (
        "the ’20s",
        Some("2024-11-28"),
        "’20s",
        "202",
        Precision::Decade,
    ),
    (
        "the early 2000s",
        None,
        "early 2000s",
        "200",
        Precision::Decade,
    ),
    (
        "by the mid-1980s",
        None,
        "mid-1980s",
        "198",
        Precision::Decade,
    ),
    (
        "the 19th century",
        None,
        "19th century",
        "18",
        Precision::Century,
    ),
    (
        "a 19th-century church",
        None,
        "19th-century",
        "18",
        Precision::Century,
    ),
    (
        "the twentieth century",
        None,
        "twentieth century",
        "19",
        Precision::Century,
    ),
    (
        "the 21st century",
        None,
        "21st century",
        "20",
        Precision::Century,
    ),
    (
        "the worst drought this century",
        Some("2024-11-28"),
        "this century",
        "20",
        Precision::Century,
    ),
    (
        "prices rose this decade",
        Some("2024-11-28"),
        "this decade",
        "202",
        Precision::Decade,
    ),
];

#[test]
fn decades_and_centuries_get_their_values() {
    check_period_cases(DECADE_CASES);
    for text in [
        "in his 90s",
        "1000s of people",
        "the 5th century BC",
        "over the last decade",
    ] {
        let found: Vec<_> = find_dates(text, &ctx(Some("2024-11-28")))
            .into_iter()
            .filter(|e| e.value.is_some())
            .collect();
        assert!(found.is_empty(), "{text:?}: {found:?}");
    }
}

#[test]
fn decades_and_centuries_contain_their_years() {
    let nineties = value_of("in the 1990s", None);
    assert!(nineties.agrees_with(&point(Some(1995), None, None)));
    assert!(nineties.contains(&point(Some(1995), Some(3), Some(2))));
    assert!(nineties.conflicts_with(&point(Some(2001), None, None)));
    // "the 2000s" may be the decade or the century.
    let noughties = value_of("in the 2000s", None);
    assert!(!noughties.conflicts_with(&point(Some(2050), None, None)));
    assert!(noughties.conflicts_with(&point(Some(1999), None, None)));
    let c19 = value_of("the 19th century", None);
    assert!(c19.agrees_with(&point(Some(1850), None, None)));
    assert!(!c19.conflicts_with(&point(Some(1900), None, None)));
    assert!(!c19.conflicts_with(&point(Some(1800), None, None)));
    assert!(c19.conflicts_with(&point(Some(1950), None, None)));
    assert_eq!(c19.describe(), "the 19th century");
}

const FISCAL_CASES: &[PeriodCase] = &[
    (
        "in fiscal 2024",
        None,
        "fiscal 2024",
        "FY2024",
        Precision::FiscalYear,
    ),
    (
        "for fiscal year 2025,",
        None,
        "fiscal year 2025",
        "FY2025",
        Precision::FiscalYear,
    ),
    (
        "FY2024 revenue",
        None,
        "FY2024",
        "FY2024",
        Precision::FiscalYear,
    ),
    (
        "FY 2024 revenue",
        None,
        "FY 2024",
        "FY2024",
        Precision::FiscalYear,
    ),
    (
        "FY24 revenue",
        None,
        "FY24",
        "FY2024",
        Precision::FiscalYear,
    ),
    (
        "the budget for fiscal year 2023-24",
        None,
        "fiscal year 2023-24",
        "FY2023-24",
        Precision::FiscalYear,
    ),
    (
        "over fiscal years 2023-2025",
        None,
        "fiscal years 2023-2025",
        "FY2023/FY2025",
        Precision::FiscalYear,
    ),
];

#[test]
fn fiscal_years_are_not_calendar_years() {
    check_period_cases(FISCAL_CASES);
    let fy = value_of("in fiscal 2024", None);
    assert_eq!(fy.start().year, None);
    for other in [
        point(Some(2024), None, None),
        point(Some(2023), Some(10), Some(1)),
        point(Some(2025), Some(3), None),
    ] {
        assert!(
            !fy.conflicts_with(&other) && !other.conflicts_with(&fy),
            "{other:?}"
        );
        assert!(!fy.agrees_with(&other), "{other:?}");
        assert!(!fy.contains(&other), "{other:?}");
    }
    // Years no fiscal year labelled 2024 can reach.
    assert!(fy.conflicts_with(&point(Some(2030), None, None)));
    // Fiscal years against fiscal years: by label.
    assert!(fy.conflicts_with(&value_of("fiscal 2025", None)));
    assert!(fy.agrees_with(&value_of("FY2024", None)));
    assert!(fy.agrees_with(&value_of("fiscal year 2023-24", None)));
    assert!(value_of("fiscal year 2023-24", None).agrees_with(&value_of("fiscal 2023", None)));
    assert_eq!(fy.describe(), "fiscal year 2024");
    // "fiscal 20 percent" is not a year.
    assert!(find_dates("a fiscal 20 percent cut", &ctx(None)).is_empty());
}

const FUTURE_MONTH_CASES: &[PeriodCase] = &[
    (
        "The program will run through June.",
        Some("2024-03-10"),
        "June",
        "2024-06",
        Precision::Month,
    ),
    (
        "The deal is expected to close in March.",
        Some("2024-11-28"),
        "March",
        "2025-03",
        Precision::Month,
    ),
    (
        "The company plans to cut 500 jobs by June.",
        Some("2024-11-28"),
        "June",
        "2025-06",
        Precision::Month,
    ),
    (
        "The retailer wants to close a third of its stores by early April.",
        Some("2024-11-28"),
        "April",
        "2025-04",
        Precision::Month,
    ),
    (
        "The board needs to name a successor by March.",
        Some("2024-11-28"),
        "March",
        "2025-03",
        Precision::Month,
    ),
    (
        "The lease is set to expire in January.",
        Some("2024-11-28"),
        "January",
        "2025-01",
        Precision::Month,
    ),
    (
        "The embassy will stay closed until June.",
        Some("2024-11-28"),
        "June",
        "2025-06",
        Precision::Month,
    ),
    (
        "A ruling is due in February.",
        Some("2024-11-28"),
        "February",
        "2025-02",
        Precision::Month,
    ),
    (
        "The plant won't reopen until March.",
        Some("2024-11-28"),
        "March",
        "2025-03",
        Precision::Month,
    ),
    (
        "The talks are slated for April.",
        Some("2024-11-28"),
        "April",
        "2025-04",
        Precision::Month,
    ),
    (
        "The rules are to take effect in March.",
        Some("2024-11-28"),
        "March",
        "2025-03",
        Precision::Month,
    ),
    (
        "The bridge is due to reopen in March.",
        Some("2024-11-28"),
        "March",
        "2025-03",
        Precision::Month,
    ),
    // Past-tense clauses stay backward.
    (
        "The program ran through June.",
        Some("2024-11-28"),
        "June",
        "2024-06",
        Precision::Month,
    ),
    (
        "The plant closed in March due to flooding.",
        Some("2024-11-28"),
        "March",
        "2024-03",
        Precision::Month,
    ),
    (
        "Flights were cancelled in March due to the storm.",
        Some("2024-11-28"),
        "March",
        "2024-03",
        Precision::Month,
    ),
    (
        "He said in March that he will run.",
        Some("2024-11-28"),
        "March",
        "2024-03",
        Precision::Month,
    ),
    (
        "The plant should have reopened in March.",
        Some("2024-11-28"),
        "March",
        "2024-03",
        Precision::Month,
    ),
];

#[test]
fn months_in_future_clauses_read_forward_and_past_clauses_backward() {
    check_period_cases(FUTURE_MONTH_CASES);
}

#[test]
fn precision_of_plain_values() {
    assert_eq!(
        point(Some(2024), Some(5), Some(1)).start().precision(),
        Precision::Day
    );
    assert_eq!(
        point(None, Some(5), None).start().precision(),
        Precision::Month
    );
    assert_eq!(
        point(Some(2024), None, None).start().precision(),
        Precision::Year
    );
    assert_eq!(PartialDate::default().precision(), Precision::Unknown);
}

#[test]
fn period_texts_never_panic() {
    for text in [
        "FY",
        "fiscal ’",
        "the ’",
        "’90s",
        "spring’",
        "now—",
        "week of ",
        "the week of March 3",
        "mid-’90s",
        "FY99-00",
        "fiscal year 2099-00",
        "the 99th century",
        "winter 2099-00",
        "über now ünd",
        "「now」",
        "now\u{2019}s",
    ] {
        let _ = find_dates(text, &ctx(Some("2024-11-28")));
        let _ = find_dates(text, &ctx(None));
    }
}

#[test]
fn early_mid_and_late_name_a_part_of_the_month_or_year() {
    for (text, iso, words) in [
        ("by early June 2009", "2009-06", "early June 2009"),
        ("in mid-February 2009", "2009-02", "mid February 2009"),
        ("at the end of April 2009", "2009-04", "late April 2009"),
        ("in late 2008", "2008", "late 2008"),
        ("at the beginning of 2007", "2007", "early 2007"),
    ] {
        let v = value_of(text, None);
        assert_eq!(v.to_iso(), iso, "{text}");
        assert_eq!(v.describe(), words, "{text}");
    }
    let early_june = value_of("by early June 2009", None);
    // Thirds of the month, widened by two days: the 12th may still be early June, the 13th is not.
    for (day, conflict) in [(1, false), (12, false), (13, true), (30, true)] {
        let d = point(Some(2009), Some(6), Some(day));
        assert_eq!(early_june.conflicts_with(&d), conflict, "June {day}");
        assert_eq!(early_june.contains(&d), !conflict, "June {day}");
    }
    // A day without a year is placed in the part's year: it conflicts, but never agrees.
    assert!(early_june.conflicts_with(&point(None, Some(6), Some(13))));
    assert!(!early_june.conflicts_with(&point(None, Some(6), Some(5))));
    assert!(!early_june.agrees_with(&point(None, Some(6), Some(5))));
    // A plain month or an unmarked part stays as it was.
    assert_eq!(value_of("in June 2009", None).start().period, None);
    assert_eq!(value_of("the early 2000s", None).to_iso(), "200");
}
