//! Periods: values that are not a calendar day, month or year (the present, ISO weeks, seasons, decades,
//! centuries, fiscal years), their TempEval-style values, their wording, and the days each can cover.

use super::PartialDate;
use super::words::{add_days, coarsen, max_days_in_month, monday_of};
use jiff::civil::{Date, ISOWeekDate, Weekday};

/// A Northern-hemisphere season.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Season {
    Spring,
    Summer,
    Fall,
    Winter,
}

impl Season {
    /// TempEval's code: SP, SU, FA, WI.
    pub fn code(self) -> &'static str {
        match self {
            Season::Spring => "SP",
            Season::Summer => "SU",
            Season::Fall => "FA",
            Season::Winter => "WI",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Season::Spring => "spring",
            Season::Summer => "summer",
            Season::Fall => "fall",
            Season::Winter => "winter",
        }
    }

    pub(super) fn from_word(w: &str) -> Option<Season> {
        let l = w.to_ascii_lowercase();
        let l = l.strip_suffix("time").unwrap_or(&l);
        Some(match l {
            "spring" => Season::Spring,
            "summer" => Season::Summer,
            "fall" | "autumn" => Season::Fall,
            "winter" => Season::Winter,
            _ => return None,
        })
    }

    /// Position in the year's sequence of seasons (spring first; a winter is counted in the year of its
    /// December).
    pub(super) fn index(self) -> i32 {
        match self {
            Season::Spring => 0,
            Season::Summer => 1,
            Season::Fall => 2,
            Season::Winter => 3,
        }
    }

    /// The season (and the year it is counted in) that a date falls in, by meteorological seasons:
    /// March–May, June–August, September–November, December–February.
    pub(super) fn of_date(d: Date) -> (i16, Season) {
        match d.month() {
            3..=5 => (d.year(), Season::Spring),
            6..=8 => (d.year(), Season::Summer),
            9..=11 => (d.year(), Season::Fall),
            12 => (d.year(), Season::Winter),
            _ => (d.year() - 1, Season::Winter),
        }
    }
}

/// The early, middle or late part of a month or a year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    Early,
    Mid,
    Late,
}

impl Part {
    /// "early", "mid", "late", and the words "the beginning/middle/end of" stand for.
    pub(super) fn from_word(w: &str) -> Option<Part> {
        match w.to_ascii_lowercase().as_str() {
            "early" | "beginning" | "start" => Some(Part::Early),
            "mid" | "middle" => Some(Part::Mid),
            "late" | "end" => Some(Part::Late),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Part::Early => "early",
            Part::Mid => "mid",
            Part::Late => "late",
        }
    }
}

/// What a value that is not a plain calendar date stands for. Carried in [`PartialDate::period`]; the
/// calendar fields of such a value state only what every reading of it shares (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Period {
    /// "now", "currently": the reference (publication) date as (year, month, day) when known. Never
    /// compared: a present-tense statement holds on the reference date and possibly long before or after.
    Present { reference: Option<(i16, i8, i8)> },
    /// ISO week `week` of ISO week-numbering year `year` ("this week" → 2024-W48); with `weekend`, only
    /// its Saturday and Sunday ("this weekend" → 2024-W48-WE).
    Week { year: i16, week: i8, weekend: bool },
    /// A season of a year ("spring 2024" → 2024-SP). A winter is ambiguous as to year ("winter 2024" is
    /// both December 2023–February 2024 and December 2024–February 2025 in use) and covers both.
    Season { year: i16, season: Season },
    /// A decade by its first three digits ("the 1990s" → 199). A decade ending in "00s" ("the 2000s", "the
    /// 1900s") may mean the century and covers it.
    Decade { decade: i16 },
    /// A century by its first two digits, as TempEval writes it: the 19th century → 18.
    Century { century: i16 },
    /// A fiscal year by label: "fiscal 2024" → first = last = 2024; "fiscal year 2023-24" → 2023..2024 (the
    /// label may be either, by convention). Not a calendar year: organisations start fiscal years in
    /// different months, so it covers the calendar years before and after its label.
    FiscalYear { first: i16, last: i16 },
    /// The early, middle or late part of a month or a year ("early June 2009", "mid-February", "late
    /// 2008", "the end of April"). By convention thirds — of a month, days 1–10, 11–20 and 21 to the end;
    /// of a year, January–April, May–August and September–December — widened either side because the
    /// words are vague: a month's by two days, a year's by a month. The calendar fields keep the month and
    /// year.
    PartOf {
        year: i16,
        month: Option<i8>,
        part: Part,
    },
}

fn ymd(y: i16, m: i8, d: i8) -> Option<Date> {
    Date::new(y, m, d).ok()
}

fn last_of_month(y: i16, m: i8) -> Option<Date> {
    (28..=max_days_in_month(m))
        .rev()
        .find_map(|d| Date::new(y, m, d).ok())
}

fn ordinal_suffix(n: i16) -> &'static str {
    match (n % 10, n % 100) {
        (1, x) if x != 11 => "st",
        (2, x) if x != 12 => "nd",
        (3, x) if x != 13 => "rd",
        _ => "th",
    }
}

impl Period {
    /// TempEval-style value: PRESENT_REF, 2024-W05, 2024-W05-WE, 2024-SP, 199, 18, FY2024, FY2023-24.
    pub fn to_iso(&self) -> String {
        match *self {
            Period::Present { .. } => "PRESENT_REF".into(),
            Period::Week {
                year,
                week,
                weekend,
            } => format!("{year:04}-W{week:02}{}", if weekend { "-WE" } else { "" }),
            Period::Season { year, season } => format!("{year:04}-{}", season.code()),
            Period::Decade { decade } => format!("{decade:03}"),
            Period::Century { century } => format!("{century:02}"),
            Period::FiscalYear { first, last } if first == last => format!("FY{first:04}"),
            Period::FiscalYear { first, last } => format!("FY{first:04}-{:02}", last % 100),
            // TempEval keeps the month or year and marks the part apart (mod="START"); so does this.
            Period::PartOf {
                year,
                month: Some(m),
                ..
            } => format!("{year:04}-{m:02}"),
            Period::PartOf { year, .. } => format!("{year:04}"),
        }
    }

    /// In words: "now (28 November 2024)", "the week of 25 November 2024", "spring 2024", "the 1990s", "the
    /// 19th century", "fiscal year 2024".
    pub fn describe(&self) -> String {
        match *self {
            Period::Present { reference: Some(r) } => {
                let p = PartialDate {
                    year: Some(r.0),
                    month: Some(r.1),
                    day: Some(r.2),
                    ..Default::default()
                };
                format!("now ({})", super::DateValue::Point(p).describe())
            }
            Period::Present { reference: None } => "now (date not stated)".into(),
            Period::Week { weekend, .. } => match self.spans().first() {
                Some((first, _)) => {
                    let p = super::DateValue::Point(PartialDate::from_date(*first));
                    if weekend {
                        format!("the weekend of {}", p.describe())
                    } else {
                        format!("the week of {}", p.describe())
                    }
                }
                None => self.to_iso(),
            },
            Period::Season { year, season } => format!("{} {year}", season.name()),
            Period::Decade { decade } => format!("the {}0s", decade),
            Period::Century { century } => {
                let n = century + 1;
                format!("the {n}{} century", ordinal_suffix(n))
            }
            Period::FiscalYear { first, last } if first == last => format!("fiscal year {first}"),
            Period::FiscalYear { first, last } => {
                format!("fiscal year {first}–{:02}", last % 100)
            }
            Period::PartOf { year, month, part } => {
                let whole = super::DateValue::Point(PartialDate {
                    year: Some(year),
                    month,
                    ..Default::default()
                });
                format!("{} {}", part.name(), whole.describe())
            }
        }
    }

    /// Every stretch of days the period can mean, as (first, last) pairs; empty for the present, which is
    /// never compared. Conservative: where usage varies, every reading is covered.
    pub fn spans(&self) -> Vec<(Date, Date)> {
        let one = |a: Option<Date>, b: Option<Date>| match (a, b) {
            (Some(a), Some(b)) => vec![(a, b)],
            _ => Vec::new(),
        };
        match *self {
            Period::Present { .. } => Vec::new(),
            Period::Week {
                year,
                week,
                weekend,
            } => {
                let Ok(mon) = ISOWeekDate::new(year, week, Weekday::Monday).map(|w| w.date())
                else {
                    return Vec::new();
                };
                let first = if weekend { add_days(mon, 5) } else { Some(mon) };
                one(first, add_days(mon, 6))
            }
            // Meteorological and astronomical seasons both: spring is March to June, and so on.
            Period::Season { year, season } => match season {
                Season::Spring => one(ymd(year, 3, 1), ymd(year, 6, 30)),
                Season::Summer => one(ymd(year, 6, 1), ymd(year, 9, 30)),
                Season::Fall => one(ymd(year, 9, 1), ymd(year, 12, 31)),
                Season::Winter => {
                    let mut v = one(ymd(year - 1, 12, 1), ymd(year, 3, 31));
                    v.extend(one(ymd(year, 12, 1), ymd(year + 1, 3, 31)));
                    v
                }
            },
            Period::Decade { decade } => {
                let y = decade.saturating_mul(10);
                let last = if decade % 10 == 0 { y + 99 } else { y + 9 };
                one(ymd(y, 1, 1), ymd(last, 12, 31))
            }
            // The 19th century is 1801–1900 strictly and 1800–1899 in common use: both.
            Period::Century { century } => {
                let y = century.saturating_mul(100);
                one(ymd(y, 1, 1), ymd(y + 100, 12, 31))
            }
            Period::PartOf {
                year,
                month: Some(m),
                part,
            } => {
                let last = last_of_month(year, m).map_or(28, |d| d.day());
                let (a, b) = match part {
                    Part::Early => (1, 12),
                    Part::Mid => (9, 22),
                    Part::Late => (19, last),
                };
                one(ymd(year, m, a), ymd(year, m, b))
            }
            Period::PartOf {
                year,
                month: None,
                part,
            } => match part {
                Part::Early => one(ymd(year, 1, 1), ymd(year, 5, 31)),
                Part::Mid => one(ymd(year, 4, 1), ymd(year, 9, 30)),
                Part::Late => one(ymd(year, 8, 1), ymd(year, 12, 31)),
            },
            // A fiscal year labelled Y starts in Y-1 or Y and ends in Y or Y+1; "2023-24" lies in those years.
            Period::FiscalYear { first, last } => {
                if first < last {
                    one(ymd(first, 1, 1), ymd(last, 12, 31))
                } else {
                    one(ymd(first - 1, 1, 1), ymd(last + 1, 12, 31))
                }
            }
        }
    }
}

/// A week value for the Monday-based week containing `d`: the ISO week, with the calendar fields of the
/// month (or year) holding all its days.
pub(super) fn week_of(d: Date, weekend: bool) -> Option<PartialDate> {
    let mon = monday_of(d)?;
    let sun = add_days(mon, 6)?;
    let first = if weekend { add_days(mon, 5)? } else { mon };
    let iso = mon.iso_week_date();
    let mut p = coarsen(first, sun).unwrap_or_default();
    p.period = Some(Period::Week {
        year: iso.year(),
        week: iso.week(),
        weekend,
    });
    Some(p)
}

/// A season value: the year is stated in the calendar fields unless it is a winter (which spans two).
pub(super) fn season_value(year: i16, season: Season) -> PartialDate {
    PartialDate {
        year: (season != Season::Winter).then_some(year),
        period: Some(Period::Season { year, season }),
        ..Default::default()
    }
}

/// A value with only a period and no calendar fields.
pub(super) fn period_value(period: Period) -> PartialDate {
    PartialDate {
        period: Some(period),
        ..Default::default()
    }
}

/// The days a partial date can mean: its period's spans, or the day, month or year it states (a year is
/// needed; "XXXX-11-07" has none).
pub(super) fn spans_of(p: &PartialDate) -> Vec<(Date, Date)> {
    if let Some(period) = p.period {
        return period.spans();
    }
    let Some(y) = p.year else {
        return Vec::new();
    };
    let pair = match (p.month, p.day) {
        (None, _) => ymd(y, 1, 1).zip(ymd(y, 12, 31)),
        (Some(m), None) => ymd(y, m, 1).zip(last_of_month(y, m)),
        (Some(m), Some(d)) => ymd(y, m, d).map(|x| (x, x)),
    };
    pair.into_iter().collect()
}

fn is_fiscal(p: &PartialDate) -> bool {
    matches!(p.period, Some(Period::FiscalYear { .. }))
}

fn is_present(p: &PartialDate) -> bool {
    matches!(p.period, Some(Period::Present { .. }))
}

/// Does every stretch of `inner` lie within one stretch of `outer`?
pub(super) fn within(inner: &[(Date, Date)], outer: &[(Date, Date)]) -> bool {
    !inner.is_empty()
        && inner
            .iter()
            .all(|i| outer.iter().any(|o| o.0 <= i.0 && i.1 <= o.1))
}

/// (agree, conflict) for two partial dates of which at least one has a period: they conflict only when no
/// reading of one shares a day with any reading of the other; they agree when one lies within the other.
/// The present is never compared; a fiscal year agrees only with a fiscal year of a shared label.
pub(super) fn compare_periods(a: &PartialDate, b: &PartialDate) -> (u32, bool) {
    if is_present(a) || is_present(b) {
        return (0, false);
    }
    if let (
        Some(Period::FiscalYear {
            first: f1,
            last: l1,
        }),
        Some(Period::FiscalYear {
            first: f2,
            last: l2,
        }),
    ) = (a.period, b.period)
    {
        return if f1 <= l2 && f2 <= l1 {
            (1, false)
        } else {
            (0, true)
        };
    }
    let (sa, sb) = (spans_of(a), spans_of(b));
    let disjoint_spans = |sa: &[(Date, Date)], sb: &[(Date, Date)]| {
        sa.iter().all(|x| sb.iter().all(|y| x.1 < y.0 || y.1 < x.0))
    };
    // A month or day without a year ("June 13") is placed in the year of a part of a month or year ("early
    // June 2009"), whose year and month every reading shares: it conflicts when no such year brings them
    // together, and never agrees. Other periods cannot place it.
    for (known, yearless, spans) in [(a, b, &sa), (b, a, &sb)] {
        if !spans.is_empty()
            && yearless.year.is_none()
            && yearless.period.is_none()
            && yearless.month.is_some()
            && matches!(known.period, Some(Period::PartOf { .. }))
        {
            let conflict = spans
                .iter()
                .flat_map(|(x, y)| [x.year(), y.year()])
                .all(|year| {
                    let placed = PartialDate {
                        year: Some(year),
                        ..*yearless
                    };
                    let sp = spans_of(&placed);
                    !sp.is_empty() && disjoint_spans(spans, &sp)
                });
            return (0, conflict);
        }
    }
    if sa.is_empty() || sb.is_empty() {
        return (0, false);
    }
    let disjoint = disjoint_spans(&sa, &sb);
    if disjoint {
        return (0, true);
    }
    if !is_fiscal(a) && !is_fiscal(b) && (within(&sa, &sb) || within(&sb, &sa)) {
        (1, false)
    } else {
        (0, false)
    }
}

/// Does `outer` (a point or the ends of a range) include every day `inner` can mean? Used by
/// [`super::DateValue::contains`] when a period is involved. The present includes and is included in
/// nothing; a fiscal year includes only a fiscal year of the same labels.
pub(super) fn contains_periods(
    outer: (&PartialDate, &PartialDate),
    inner: (&PartialDate, &PartialDate),
) -> bool {
    let all = [outer.0, outer.1, inner.0, inner.1];
    if all.iter().any(|p| is_present(p)) {
        return false;
    }
    if is_fiscal(outer.0) || is_fiscal(outer.1) {
        let labels = |p: &PartialDate| match p.period {
            Some(Period::FiscalYear { first, last }) => Some((first, last)),
            _ => None,
        };
        return match (
            labels(outer.0),
            labels(outer.1),
            labels(inner.0),
            labels(inner.1),
        ) {
            (Some((a, _)), Some((_, b)), Some((c, _)), Some((_, d))) => a <= c && d <= b,
            _ => false,
        };
    }
    let hull = |s: &PartialDate, e: &PartialDate| -> Vec<(Date, Date)> {
        if s == e {
            return spans_of(s);
        }
        let (a, b) = (spans_of(s), spans_of(e));
        match (a.iter().map(|x| x.0).min(), b.iter().map(|x| x.1).max()) {
            (Some(lo), Some(hi)) if lo <= hi => vec![(lo, hi)],
            _ => Vec::new(),
        }
    };
    within(&hull(inner.0, inner.1), &hull(outer.0, outer.1))
}

/// How much a value pins down, finest first; what [`PartialDate::precision`] reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Precision {
    /// "now": the reference date, never compared.
    Present,
    Day,
    Week,
    Month,
    Season,
    Year,
    FiscalYear,
    Decade,
    Century,
    /// No calendar part stated (a weekday alone).
    Unknown,
}

impl PartialDate {
    /// The value's precision: its period's kind, else the finest calendar field stated (a month-day without
    /// a year is `Day`, a month without a year `Month`).
    pub fn precision(&self) -> Precision {
        match self.period {
            Some(Period::Present { .. }) => Precision::Present,
            Some(Period::Week { .. }) => Precision::Week,
            Some(Period::Season { .. }) => Precision::Season,
            Some(Period::Decade { .. }) => Precision::Decade,
            Some(Period::Century { .. }) => Precision::Century,
            Some(Period::FiscalYear { .. }) => Precision::FiscalYear,
            Some(Period::PartOf { month: Some(_), .. }) => Precision::Month,
            Some(Period::PartOf { month: None, .. }) => Precision::Year,
            None => match (self.year, self.month, self.day) {
                (_, Some(_), Some(_)) => Precision::Day,
                (_, Some(_), None) => Precision::Month,
                (Some(_), None, _) => Precision::Year,
                _ => Precision::Unknown,
            },
        }
    }
}
