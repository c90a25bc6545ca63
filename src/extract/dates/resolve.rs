//! Relative resolution: raw values resolved against a reference date and the preceding expression (years
//! of month-days, weekdays, "the next day"), and [`shift`] for event anchors.

use super::{
    Anchor, DateValue, PartialDate, Period, Relative, Season,
    period::{period_value, season_value, week_of},
    raw::{Dir, Unit, What},
    words::{add_days, add_months, monday_of},
};
use jiff::civil::{Date, Weekday};

// ---------------------------------------------------------------------------------------------------
// Resolution
// ---------------------------------------------------------------------------------------------------

pub(super) struct Resolver<'a> {
    pub(super) reference: Option<Date>,
    /// Explicit 4-digit years in the text (for weekday + month-day without a reference).
    pub(super) nearby: &'a [i16],
    /// The closest preceding resolved value.
    pub(super) prev: Option<DateValue>,
}

/// The year of a month-day without one (see the module docs).
fn year_for_month_day(
    month: i8,
    day: i8,
    weekday: Option<Weekday>,
    reference: Option<Date>,
    nearby: &[i16],
) -> Option<i16> {
    if let Some(wd) = weekday {
        let bases: &[i16] = match reference {
            Some(ref r) => &[r.year()][..],
            None => nearby,
        };
        let mut fit: Option<i16> = None;
        let mut many = false;
        for &base in bases {
            for y in base - 1..=base + 1 {
                if Date::new(y, month, day).is_ok_and(|d| d.weekday() == wd) {
                    match fit {
                        Some(f) if f != y => many = true,
                        _ => fit = Some(y),
                    }
                }
            }
        }
        if let (Some(y), false) = (fit, many) {
            return Some(y);
        }
    }
    let r = reference?;
    let y = r.year();
    if let Ok(d) = Date::new(y, month, day)
        && days_between(r, d).abs() <= 274
    {
        return Some(y);
    }
    [y - 1, y, y + 1]
        .into_iter()
        .filter_map(|yy| {
            Date::new(yy, month, day)
                .ok()
                .map(|d| (days_between(r, d).abs(), yy))
        })
        .min()
        .filter(|(dist, _)| *dist <= 274)
        .map(|(_, yy)| yy)
}

fn days_between(a: Date, b: Date) -> i64 {
    let to_days = |d: Date| -> i64 {
        // Days since 0000-03-01 (civil-from-days inverse).
        let (y, m, dd) = (d.year() as i64, d.month() as i64, d.day() as i64);
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + dd - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe
    };
    to_days(b) - to_days(a)
}

fn weekday_date(r: Date, wd: Weekday, dir: Dir, week: Option<i32>) -> Option<Date> {
    let rw = r.weekday().to_monday_zero_offset() as i64;
    let w = wd.to_monday_zero_offset() as i64;
    if let Some(k) = week {
        return add_days(monday_of(r)?, 7 * k as i64 + w);
    }
    match dir {
        Dir::Past => add_days(r, -((rw - w).rem_euclid(7))),
        Dir::Future | Dir::This => add_days(r, (w - rw).rem_euclid(7)),
        Dir::Last => {
            let back = (rw - w).rem_euclid(7);
            add_days(r, -(if back == 0 { 7 } else { back }))
        }
        Dir::Next => add_days(monday_of(r)?, 7 + w),
    }
}

fn month_year(r: Date, month: i8, dir: Dir) -> i16 {
    let (y, rm) = (r.year(), r.month());
    match dir {
        Dir::Past => {
            if month <= rm {
                y
            } else {
                y - 1
            }
        }
        Dir::Future => {
            if month >= rm {
                y
            } else {
                y + 1
            }
        }
        Dir::Last => {
            if month < rm {
                y
            } else {
                y - 1
            }
        }
        Dir::Next => {
            if month > rm {
                y
            } else {
                y + 1
            }
        }
        Dir::This => y,
    }
}

/// The year a season without one is counted in (a winter in the year of its December), placed like a
/// month: `Past` the most recent on or before the reference's season, `Future` the first on or after it,
/// `Last`/`Next` strictly before/after; `This` the one of the reference's year (for a winter, the one under
/// way or just over in January–March, else the coming one).
fn season_year(r: Date, season: Season, dir: Dir) -> i16 {
    let (ry, rs) = Season::of_date(r);
    let cur = i32::from(ry) * 4 + rs.index();
    let slot = |y: i32| y * 4 + season.index();
    let y0 = i32::from(ry);
    let y = match dir {
        Dir::Past => (y0 - 2..=y0 + 1).rev().find(|y| slot(*y) <= cur),
        Dir::Last => (y0 - 2..=y0 + 1).rev().find(|y| slot(*y) < cur),
        Dir::Future => (y0 - 1..=y0 + 2).find(|y| slot(*y) >= cur),
        Dir::Next => (y0 - 1..=y0 + 2).find(|y| slot(*y) > cur),
        Dir::This => Some(if season == Season::Winter && r.month() <= 3 {
            i32::from(r.year()) - 1
        } else {
            i32::from(r.year())
        }),
    };
    y.map_or(ry, |y| y as i16)
}

fn shift_partial(p: &PartialDate, days: i32) -> Option<PartialDate> {
    let (m, d) = (p.month?, p.day?);
    let with_weekday = |nd: Date| PartialDate {
        weekday: p.weekday.map(|_| nd.weekday()),
        ..PartialDate::from_date(nd)
    };
    match p.year {
        Some(y) => add_days(Date::new(y, m, d).ok()?, days as i64).map(with_weekday),
        None => {
            // Without a year, shift in a common and a leap year; keep the result only if both agree.
            let a = add_days(Date::new(2023, m, d).ok()?, days as i64)?;
            let b = add_days(Date::new(2024, m, d).ok()?, days as i64)?;
            if (a.month(), a.day()) != (b.month(), b.day()) || (m == 2 && d == 29) {
                return None;
            }
            let year_moves = a.year() != 2023;
            if year_moves {
                return None;
            }
            Some(PartialDate {
                year: None,
                month: Some(a.month()),
                day: Some(a.day()),
                weekday: None,
                period: None,
            })
        }
    }
}

/// Apply a relative offset to an anchor value (used by callers that resolve Event anchors): day precision
/// needed (month and day known; a missing year is kept missing when the shift stays within the year),
/// else None. Ranges shift both ends.
pub fn shift(value: &DateValue, days: i32) -> Option<DateValue> {
    match value {
        DateValue::Point(p) => shift_partial(p, days).map(DateValue::Point),
        DateValue::Range { start, end } => Some(DateValue::Range {
            start: shift_partial(start, days)?,
            end: shift_partial(end, days)?,
        }),
    }
}

impl Resolver<'_> {
    fn cal(&self, start: &PartialDate) -> PartialDate {
        let mut p = *start;
        if p.year.is_none()
            && let (Some(m), Some(d)) = (p.month, p.day)
        {
            p.year = year_for_month_day(m, d, p.weekday, self.reference, self.nearby);
        }
        p
    }

    /// Fill the missing year of `p` from `other` (its neighbour in a range); `p_first` tells their order.
    fn fill_year(p: &mut PartialDate, other: &PartialDate, p_first: bool) {
        if p.year.is_some() {
            return;
        }
        let Some(y) = other.year else { return };
        let (pm, om) = (p.month.unwrap_or(1), other.month.unwrap_or(1));
        p.year = Some(match (p_first, pm > om, pm < om) {
            (true, true, _) => y - 1,
            (false, _, true) => y + 1,
            _ => y,
        });
        if p.day.is_some() && p.month.is_some() && p.to_date().is_none() {
            p.year = None;
        }
    }

    fn point_of(&self, w: &What) -> Option<PartialDate> {
        match self.resolve(w).0? {
            DateValue::Point(p) => Some(p),
            DateValue::Range { .. } => None,
        }
    }

    pub(super) fn resolve(&self, w: &What) -> (Option<DateValue>, Option<Relative>) {
        let r = self.reference;
        match w {
            What::Cal { start, end } => {
                let mut s = *start;
                let mut e = *end;
                if let Some(e) = e.as_mut() {
                    Self::fill_year(&mut s, e, true);
                    Self::fill_year(e, &s, false);
                }
                let s = self.cal(&s);
                match e {
                    None => (Some(DateValue::Point(s)), None),
                    Some(mut e) => {
                        Self::fill_year(&mut e, &s, false);
                        (Some(DateValue::Range { start: s, end: e }), None)
                    }
                }
            }
            What::MonthOnly { month, dir } => {
                let year = r.map(|r| month_year(r, *month, *dir));
                (
                    Some(DateValue::Point(PartialDate {
                        year,
                        month: Some(*month),
                        ..Default::default()
                    })),
                    None,
                )
            }
            What::Weekday { wd, dir, week, .. } => {
                let p = match r.and_then(|r| weekday_date(r, *wd, *dir, *week)) {
                    Some(d) => PartialDate {
                        weekday: Some(*wd),
                        ..PartialDate::from_date(d)
                    },
                    None => PartialDate {
                        weekday: Some(*wd),
                        ..Default::default()
                    },
                };
                (Some(DateValue::Point(p)), None)
            }
            What::CalRefYear { start, n } => {
                let year = r.map(|r| r.year() + *n as i16);
                let p = PartialDate { year, ..*start };
                let p = if p.has_day() && year.is_some() && p.to_date().is_none() {
                    *start
                } else {
                    p
                };
                (Some(DateValue::Point(p)), None)
            }
            What::RefDays(n) => {
                let rel = Some(Relative {
                    anchor: Anchor::Reference,
                    days: *n,
                });
                let v = r
                    .and_then(|r| add_days(r, *n as i64))
                    .map(|d| DateValue::Point(PartialDate::from_date(d)));
                (v, rel)
            }
            What::RefMonths(n) => {
                let v = r.map(|r| {
                    let (y, m) = add_months(r.year(), r.month(), *n);
                    DateValue::Point(PartialDate {
                        year: Some(y),
                        month: Some(m),
                        ..Default::default()
                    })
                });
                (v, None)
            }
            What::RefYears(n) => {
                let v = r.map(|r| {
                    DateValue::Point(PartialDate {
                        year: Some(r.year() + *n as i16),
                        ..Default::default()
                    })
                });
                (v, None)
            }
            What::RefWeek { n, weekend } => {
                let v = r.and_then(|r| week_of(add_days(monday_of(r)?, 7 * *n as i64)?, *weekend));
                (v.map(DateValue::Point), None)
            }
            What::WeekendJustGone => {
                let v = r.and_then(|r| {
                    let weekend = matches!(r.weekday(), Weekday::Saturday | Weekday::Sunday);
                    week_of(add_days(monday_of(r)?, if weekend { 0 } else { -7 })?, true)
                });
                (v.map(DateValue::Point), None)
            }
            What::WeekOf(inner) => {
                let v = self
                    .point_of(inner)
                    .and_then(|p| p.to_date())
                    .and_then(|d| week_of(d, false));
                (v.map(DateValue::Point), None)
            }
            What::Present => {
                let reference = r.map(|r| (r.year(), r.month(), r.day()));
                let p = period_value(Period::Present { reference });
                (Some(DateValue::Point(p)), None)
            }
            What::SeasonRel { season, dir } => {
                let v = r.map(|r| season_value(season_year(r, *season, *dir), *season));
                (v.map(DateValue::Point), None)
            }
            What::RefDecade(n) => {
                let v = r.map(|r| {
                    period_value(Period::Decade {
                        decade: r.year() / 10 + *n as i16,
                    })
                });
                (v.map(DateValue::Point), None)
            }
            What::RefCentury(n) => {
                let v = r.map(|r| {
                    period_value(Period::Century {
                        century: r.year() / 100 + *n as i16,
                    })
                });
                (v.map(DateValue::Point), None)
            }
            What::ShortDecade(yy) => {
                let y = match r {
                    Some(r) => {
                        let y = r.year() - r.year().rem_euclid(100) + *yy;
                        if y > r.year() { y - 100 } else { y }
                    }
                    None if *yy <= 10 => 2000 + *yy,
                    None => 1900 + *yy,
                };
                let p = period_value(Period::Decade { decade: y / 10 });
                (Some(DateValue::Point(p)), None)
            }
            What::FromAnchor { anchor, n, unit } => {
                let days = match unit {
                    Unit::Day => Some(*n),
                    Unit::Week => Some(7 * *n),
                    _ => None,
                };
                let rel = days.map(|days| Relative {
                    anchor: *anchor,
                    days,
                });
                if *anchor != Anchor::PreviousDate {
                    return (None, rel);
                }
                let Some(prev) = self.prev else {
                    return (None, rel);
                };
                let base = if *n >= 0 { prev.end() } else { prev.start() };
                let v = match unit {
                    Unit::Day => shift_partial(&base, *n),
                    Unit::Week => base
                        .to_date()
                        .and_then(|d| week_of(add_days(d, 7 * *n as i64)?, false)),
                    Unit::Month => match (base.year, base.month) {
                        (Some(y), Some(m)) => {
                            let (y, m) = add_months(y, m, *n);
                            Some(PartialDate {
                                year: Some(y),
                                month: Some(m),
                                ..Default::default()
                            })
                        }
                        _ => None,
                    },
                    Unit::Year => base.year.map(|y| PartialDate {
                        year: Some(y + *n as i16),
                        ..Default::default()
                    }),
                };
                (v.map(DateValue::Point), rel)
            }
            What::ThatPeriod { unit } => {
                let Some(prev) = self.prev else {
                    return (None, None);
                };
                let base = prev.end();
                let v = match unit {
                    // "later that week", "earlier that week": within the week, given as the week.
                    Unit::Week => base.to_date().and_then(|d| week_of(d, false)),
                    Unit::Month => base.month.map(|m| PartialDate {
                        year: base.year,
                        month: Some(m),
                        ..Default::default()
                    }),
                    _ => base.year.map(|y| PartialDate {
                        year: Some(y),
                        ..Default::default()
                    }),
                };
                (v.map(DateValue::Point), None)
            }
            What::Nothing => (None, None),
            What::Pair(a, b) => {
                let v = self.resolve_pair(a, b);
                (v, None)
            }
        }
    }

    fn resolve_pair(&self, a: &What, b: &What) -> Option<DateValue> {
        let explicit = |w: &What| -> Option<PartialDate> {
            match w {
                What::Cal { start, end: None } => Some(*start),
                What::MonthOnly { month, .. } => Some(PartialDate {
                    month: Some(*month),
                    ..Default::default()
                }),
                _ => None,
            }
        };
        if let (What::Weekday { wd: w2, .. }, Some(s)) = (b, self.point_of(a)) {
            let e = match s.to_date() {
                Some(d) => PartialDate {
                    weekday: Some(*w2),
                    ..PartialDate::from_date(weekday_date(d, *w2, Dir::Future, None)?)
                },
                None => PartialDate {
                    weekday: Some(*w2),
                    ..Default::default()
                },
            };
            return Some(DateValue::Range { start: s, end: e });
        }
        let (mut s, mut e) = (explicit(a)?, explicit(b)?);
        Self::fill_year(&mut s, &e, true);
        Self::fill_year(&mut e, &s, false);
        if s.year.is_none() {
            s = self.point_of(a)?;
            Self::fill_year(&mut e, &s, false);
        }
        Some(DateValue::Range { start: s, end: e })
    }
}
