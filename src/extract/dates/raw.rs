//! Raw expressions: what one match says (a calendar date, a range, a duration, a relative offset) before
//! resolution against a reference date.

use super::{Anchor, DateKind, PartialDate, Season};
use jiff::civil::Weekday;
use std::ops::Range;

// ---------------------------------------------------------------------------------------------------
// Raw expressions (before resolution)
// ---------------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Unit {
    Day,
    Week,
    Month,
    Year,
}

/// How a month or weekday without a year is placed relative to the reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Dir {
    /// Most recent on or before the reference.
    Past,
    /// First on or after the reference.
    Future,
    /// Strictly before.
    Last,
    /// Weekday: in the following week; month: strictly after.
    Next,
    /// Month: in the reference year.
    This,
}

#[derive(Clone, Debug)]
pub(super) enum What {
    /// Calendar parts as written; `end` for written ranges.
    Cal {
        start: PartialDate,
        end: Option<PartialDate>,
    },
    MonthOnly {
        month: i8,
        dir: Dir,
    },
    Weekday {
        wd: Weekday,
        dir: Dir,
        week: Option<i32>,
        bare: bool,
    },
    /// Month (and day) with the year counted from the reference: "September last year".
    CalRefYear {
        start: PartialDate,
        n: i32,
    },
    /// Day offset from the reference.
    RefDays(i32),
    RefMonths(i32),
    RefYears(i32),
    /// The Monday-based week `n` weeks from the reference's (weekend: only its Saturday and Sunday).
    RefWeek {
        n: i32,
        weekend: bool,
    },
    /// "this weekend" in a past-tense clause: the weekend on or before the reference (the one just gone
    /// when the reference is a weekday).
    WeekendJustGone,
    /// Offset from an event or the previous date.
    FromAnchor {
        anchor: Anchor,
        n: i32,
        unit: Unit,
    },
    /// "later that week", "earlier that month", "that year": part of the previous date's period.
    ThatPeriod {
        unit: Unit,
    },
    /// "now", "currently": the reference date, as the present.
    Present,
    /// The Monday-based week of a dated expression ("the week of March 3").
    WeekOf(Box<What>),
    /// A season without a year ("last summer", "in the spring"), placed like a month.
    SeasonRel {
        season: Season,
        dir: Dir,
    },
    /// "this decade", "last decade": `n` decades from the reference's.
    RefDecade(i32),
    /// "this century", "last century": `n` centuries from the reference's.
    RefCentury(i32),
    /// "the '90s": a decade by its last two digits; the century comes from the reference.
    ShortDecade(i16),
    /// Found but without a value (durations, vague counts).
    Nothing,
    /// Two neighbouring expressions joined into a range.
    Pair(Box<What>, Box<What>),
}

#[derive(Clone, Debug)]
pub(super) struct Raw {
    pub(super) span: Range<usize>,
    pub(super) kind: DateKind,
    pub(super) what: What,
}
