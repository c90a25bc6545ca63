//! Temporal expressions: finding dates in English text and normalising them with explicit precision.
//!
//! [`find_dates`] makes one pass of a single combined regex over the text (compiled once), checks each
//! candidate against its context with a few byte look-ups, merges neighbours ("Thursday, November 7";
//! "from March to May 2024"; "since 2008") and then resolves values in text order, so that "the next day"
//! can count from the closest preceding resolved date.
//!
//! # Values and precision
//! A [`PartialDate`] states only what the text (or the reference date) fixes: "May 2024" is `2024-05`,
//! "November 7" with no reference is `XXXX-11-07`, "Wednesday" with no reference is `XXXX-XX-XX` with the
//! weekday kept. [`PartialDate::precision`] names what a value pins down ([`Precision`]).
//!
//! Values that are not a plain day, month or year carry a [`Period`] (module `period`), written as
//! TempEval writes them, and their calendar fields state only what every reading shares:
//! * **Present** ("now", "currently", "at present", "at the moment", "nowadays", "these days"):
//!   `PRESENT_REF`, holding the reference date (none without one) and no calendar fields. It never
//!   conflicts with, agrees with or contains anything: a present-tense statement holds on the reference
//!   date and possibly long before and after it, so no comparison with a day can be a fair conflict. Not
//!   "now that …", "now-defunct", "every now and then", a sentence-opening "Now,", "NOW", "15m from now".
//! * **Week** ("this/last/next week", "the week of March 3", "the following week", "later that week"): the ISO week `2024-W48` (`2024-W48-WE` for a weekend); its calendar fields are
//!   the month (or year) holding all its days, as before weeks had a value of their own.
//! * **Season** ("spring 2024", "the summer of 2023", "last winter", "in the fall"): `2024-SP/SU/FA/WI`,
//!   Northern hemisphere. Spring covers March–June, summer June–September, fall September–December (the
//!   meteorological and astronomical seasons both); a winter is counted in the year of its December, but a
//!   written "winter 2024" is used for both December 2023–March 2024 and December 2024–March 2025, so a
//!   winter covers both and states no year field.
//! * **Decade / century** ("the 1990s", "the '90s", "the early 2000s", "the 19th century", "this
//!   century"): `199`, `18` (the 19th century is 1800–1900 inclusive, both conventions); "the 2000s" may
//!   mean the century and covers it. No calendar fields.
//! * **Fiscal year** ("fiscal 2024", "FY2024", "FY24", "fiscal year 2023-24"): `FY2024`, `FY2023-24`.
//!   Not a calendar year — organisations start fiscal years in different months — so it has no calendar
//!   fields and covers the calendar years before and after its label: it conflicts with a calendar date
//!   only outside those three years, and never agrees with one. Two fiscal years compare by label.
//!
//! Comparisons ([`DateValue::conflicts_with`], [`DateValue::agrees_with`], [`DateValue::contains`]): plain
//! values compare part by part as before. When either side has a period, they compare by the days each can
//! mean: a conflict only when no reading of one shares a day with any reading of the other (a day outside
//! a week, August against spring 2024, 2001 against the 1990s), agreement when one lies within the other (a
//! day inside the week, May inside spring), neither when they only overlap (a week across two months, with
//! either month). A value with no year ("XXXX-11-07") cannot be placed and is not compared with a period.
//!
//! # Resolution rules (news-oriented)
//! * Month + day without a year: a stated weekday fixes the year when exactly one year within ±1 of a
//!   nearby year fits (nearby = the reference year when known, else every explicit 4-digit year in the
//!   text). Otherwise, with a reference date, the reference's year — unless that puts the date more than
//!   ~9 months (274 days) away from the reference, in which case the neighbouring year (then within ~3
//!   months) is taken: "December 28" in an article of 5 January is last year's. Without a reference the
//!   year stays unknown.
//! * Month alone ("in September"): the most recent such month not after the reference month; the next one
//!   (on or after) when the clause is in the future tense: "will", "would", "shall", "'ll", "won't",
//!   "upcoming", "scheduled"; an intention or schedule before an infinitive ("set/going/plans/expected/
//!   aims/hopes/wants/needs/poised/likely/is/are to"); a schedule before a time ("due/expected/slated/scheduled in, by,
//!   for …", "planned for"); "due to" before a verb (not "due to the storm", "due to flooding"); "must",
//!   "should" (not before "have"); or "until"/"till" right before the month ("will run through June", "is
//!   expected to close in March", "set to expire in January"). "last"/"next"/"this" September count
//!   strictly before/after/in the reference year. A season without a year is placed the same way.
//! * Weekday alone: the most recent such day on or before the reference; on or after it in a future-tense
//!   clause or with "this"/"coming"; "last Friday" is strictly before; "next Friday" is the Friday of the
//!   following Monday-based week; "Friday of next week" likewise.
//! * "today", "yesterday", "tomorrow", "tonight", "N days/weeks ago", "N days/weeks from now" → day
//!   precision: "N weeks ago" is a point N×7 days back, as news uses it ("the earthquake hit a week ago"),
//!   not a calendar week. "last/this/next month" and "N months ago" → month precision; "last/this/next year", "N years ago" →
//!   year precision; "last/this/next week" → the ISO week; "this decade/century" → the decade/century.
//! * Relative to an anchor: "a day after …", "two weeks before …" (followed by words: an event) get
//!   [`Anchor::Event`] with `value: None` for the caller to resolve with [`shift`]. "The next day", "the
//!   following day", "a day earlier", "two days later", "later that day/week", and "a day after" at the end
//!   of a clause count from [`Anchor::PreviousDate`], resolved here against the closest preceding resolved
//!   expression when that has day precision. Only day and week offsets are expressible in
//!   [`Relative::days`]; month/year offsets ("a year after …") have `relative: None`.
//!
//! # Years: the bare-year rule
//! A bare number is read as a year only if it is 1900–2099, not glued to other numbers or currency
//! (`$2024`, `1,2024`, `2024.5`, `2024%`), not followed by a magnitude or unit word ("2000 troops" after
//! "of"/"by"/"to"/…, "2000 million"), and it stands in year-ish context: after one of *in, since, by, from,
//! until, till, through, throughout, during, before, after, of, to, and, or, between, early, mid, late,
//! around, circa, year, fiscal, FY, spring, summer, autumn, fall, winter, end, start, beginning, middle,
//! half, quarter, Q1–Q4, H1/H2*, or after a determiner when a word follows ("the 2024 election"), or with a
//! possessive ("2024's"), or standing alone before punctuation (`, . ; : ! ? )`) when not preceded by a
//! quantity word ("reached 2000."). Inside a date ("May 2024", "11/25/2024") or range ("2023–2028",
//! "between 2019 and 2024") no context is needed; full dates accept years 1000–2999.
//!
//! Times of day ("10:22 A.M. EDT", "3pm") are never emitted; an ISO timestamp's time part is swallowed
//! into the date's span.
//!
//! # Modules
//! By stage: `grammar` (the combined regex), `scanner` (candidates: matches interpreted and neighbours
//! merged, "the week of …" attached), `interpret` and `interpret_period` (one match to a raw value, in
//! `raw`), `resolve` (raw values against the reference date and the preceding expression), `format` (a
//! value written like an example); `period` has the periods, their values and the days they cover; `words`
//! holds the word-level helpers and context checks. This file has the public types and [`find_dates`].

use jiff::civil::{Date, Weekday};
use std::ops::Range;

mod format;
mod grammar;
mod interpret;
mod interpret_period;
mod period;
mod raw;
mod resolve;
mod scanner;
#[cfg(test)]
mod tests;
mod words;
pub use words::count_from;

pub use format::{MONTH_NAMES, WEEKDAY_NAMES, format_like};
pub use period::{Part, Period, Precision, Season};
use raw::What;
use resolve::Resolver;
pub use resolve::shift;
use scanner::{merge, scan};
use words::is_space;

// ---------------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------------

/// A calendar date with any part possibly unknown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, serde::Serialize)]
pub struct PartialDate {
    pub year: Option<i16>,
    pub month: Option<i8>,
    pub day: Option<i8>,
    /// Serialised as the English weekday name ("Thursday") or null.
    #[serde(serialize_with = "serialize_weekday")]
    pub weekday: Option<Weekday>,
    /// Set for a value that is not a plain day, month or year: the present, an ISO week, a season, a
    /// decade, a century, a fiscal year. The calendar fields then state only what every reading shares.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
}

fn serialize_weekday<S: serde::Serializer>(w: &Option<Weekday>, s: S) -> Result<S::Ok, S::Error> {
    match w {
        Some(w) => s.serialize_some(WEEKDAY_NAMES[w.to_monday_zero_offset() as usize]),
        None => s.serialize_none(),
    }
}

impl PartialDate {
    /// A full date (no weekday recorded).
    pub fn from_date(d: Date) -> PartialDate {
        PartialDate {
            year: Some(d.year()),
            month: Some(d.month()),
            day: Some(d.day()),
            weekday: None,
            period: None,
        }
    }

    /// The calendar date, when year, month and day are all known and valid.
    pub fn to_date(&self) -> Option<Date> {
        Date::new(self.year?, self.month?, self.day?).ok()
    }

    /// ISO-like text with unknown parts as X ("2024-11-25", "XXXX-09", "2024", "XXXX-XX-XX"); a period in
    /// TempEval's style ("PRESENT_REF", "2024-W05", "2024-SP", "199", "18", "FY2024").
    pub fn to_iso(&self) -> String {
        if let Some(p) = self.period {
            return p.to_iso();
        }
        if self.year.is_none() && self.month.is_none() && self.day.is_none() {
            return if self.weekday.is_some() {
                "XXXX-XX-XX".into()
            } else {
                "XXXX".into()
            };
        }
        let mut s = match self.year {
            Some(y) => format!("{y:04}"),
            None => "XXXX".to_string(),
        };
        match (self.month, self.day) {
            (Some(m), Some(d)) => s.push_str(&format!("-{m:02}-{d:02}")),
            (Some(m), None) => s.push_str(&format!("-{m:02}")),
            (None, Some(d)) => s.push_str(&format!("-XX-{d:02}")),
            (None, None) => {}
        }
        s
    }

    /// True when month and day are known (the year may not be).
    pub fn has_day(&self) -> bool {
        self.month.is_some() && self.day.is_some()
    }

    /// (parts both state and agree on, whether any part both state differs); with a period on either
    /// side, by the days each can mean (see [`Period`]).
    fn compare(&self, other: &PartialDate) -> (u32, bool) {
        if self.period.is_some() || other.period.is_some() {
            return period::compare_periods(self, other);
        }
        let mut agree = 0;
        let mut conflict = false;
        let mut part = |a: Option<i16>, b: Option<i16>| {
            if let (Some(a), Some(b)) = (a, b) {
                if a == b {
                    agree += 1;
                } else {
                    conflict = true;
                }
            }
        };
        part(self.year, other.year);
        part(self.month.map(i16::from), other.month.map(i16::from));
        part(self.day.map(i16::from), other.day.map(i16::from));
        (agree, conflict)
    }
}

/// A point or a range of partial dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DateValue {
    Point(PartialDate),
    Range {
        start: PartialDate,
        end: PartialDate,
    },
}

impl DateValue {
    /// The value in words, unknown parts said so: "25 November 2024", "September (year not stated)",
    /// "Wednesday (date not stated)", "2023 to 2028".
    pub fn describe(&self) -> String {
        fn point(p: &PartialDate) -> String {
            if let Some(period) = p.period {
                return period.describe();
            }
            let month = p
                .month
                .and_then(|m| MONTH_NAMES.get((m as usize).wrapping_sub(1)));
            match (p.day, month, p.year) {
                (Some(d), Some(m), Some(y)) => format!("{d} {m} {y}"),
                (Some(d), Some(m), None) => format!("{d} {m} (year not stated)"),
                (None, Some(m), Some(y)) => format!("{m} {y}"),
                (None, Some(m), None) => format!("{m} (year not stated)"),
                (_, None, Some(y)) => y.to_string(),
                _ => match p.weekday {
                    Some(w) => format!("{w:?} (date not stated)"),
                    None => "an unstated date".to_string(),
                },
            }
        }
        match self {
            DateValue::Point(p) => point(p),
            DateValue::Range { start, end } => format!("{} to {}", point(start), point(end)),
        }
    }

    /// ISO-like value with unknown parts as X: "2024-11-25", "2024-05", "2024", "XXXX-09", "XXXX-11-07",
    /// ranges "2023/2028", "2024-05-01/2024-05-31" etc. A weekday-only value is "XXXX-XX-XX" (the weekday
    /// is kept in the struct).
    pub fn to_iso(&self) -> String {
        match self {
            DateValue::Point(p) => p.to_iso(),
            DateValue::Range { start, end } => format!("{}/{}", start.to_iso(), end.to_iso()),
        }
    }

    /// The point, or the start of the range.
    pub fn start(&self) -> PartialDate {
        match self {
            DateValue::Point(p) => *p,
            DateValue::Range { start, .. } => *start,
        }
    }

    /// The earliest day the value can mean (a year is needed; the present has none).
    pub fn first_day(&self) -> Option<Date> {
        let start = self.start();
        if matches!(start.period, Some(Period::Present { .. })) {
            return None;
        }
        period::spans_of(&start).into_iter().map(|(a, _)| a).min()
    }

    /// The latest day the value can mean (a year is needed; the present has none).
    pub fn last_day(&self) -> Option<Date> {
        let end = self.end();
        if matches!(end.period, Some(Period::Present { .. })) {
            return None;
        }
        period::spans_of(&end).into_iter().map(|(_, b)| b).max()
    }

    /// The point, or the end of the range.
    pub fn end(&self) -> PartialDate {
        match self {
            DateValue::Point(p) => *p,
            DateValue::Range { end, .. } => *end,
        }
    }

    fn compare(&self, other: &DateValue) -> (u32, bool) {
        match (self, other) {
            (DateValue::Range { start: s1, end: e1 }, DateValue::Range { start: s2, end: e2 }) => {
                let (a1, c1) = s1.compare(s2);
                let (a2, c2) = e1.compare(e2);
                (a1 + a2, c1 || c2)
            }
            _ => self.start().compare(&other.start()),
        }
    }

    /// Do two values contradict each other, comparing only the parts both state? (year vs year, month vs
    /// month, day vs day; a Point vs a Range compares the point with the range start; two ranges compare
    /// start with start and end with end). Returns false when nothing comparable is known. Weekdays are
    /// not compared, so a weekday-only value conflicts with nothing. With a [`Period`] on either side, only
    /// when no day either can mean is shared; the present conflicts with nothing (see the module docs).
    pub fn conflicts_with(&self, other: &DateValue) -> bool {
        self.compare(other).1
    }

    /// Do they agree on at least one comparable part and conflict on none?
    pub fn agrees_with(&self, other: &DateValue) -> bool {
        let (agree, conflict) = self.compare(other);
        agree > 0 && !conflict
    }

    /// Does this value (a point, or a range with both ends stated to the same precision) include all of
    /// `other`'s stated parts? A looser companion to [`DateValue::conflicts_with`] for callers that want
    /// "2024-05-10 lies within 2024-05-01/2024-05-31" or "2025 lies within 2023/2028". With a period
    /// involved, by the days each can mean ("2024-11-20 lies within 2024-W47", "1995 within 199").
    pub fn contains(&self, other: &DateValue) -> bool {
        let ends = [self.start(), self.end(), other.start(), other.end()];
        if ends.iter().any(|p| p.period.is_some()) {
            return period::contains_periods((&ends[0], &ends[1]), (&ends[2], &ends[3]));
        }
        fn key(p: &PartialDate, n: usize) -> Option<(i16, i8, i8)> {
            Some((
                p.year?,
                if n > 1 { p.month? } else { 0 },
                if n > 2 { p.day? } else { 0 },
            ))
        }
        let (s, e) = (self.start(), self.end());
        let n = [s.year.is_some(), s.month.is_some(), s.day.is_some()]
            .iter()
            .take_while(|b| **b)
            .count();
        if n == 0 {
            return false;
        }
        let (Some(lo), Some(hi)) = (key(&s, n), key(&e, n)) else {
            return false;
        };
        let (os, oe) = (other.start(), other.end());
        match (key(&os, n), key(&oe, n)) {
            (Some(a), Some(b)) => lo <= a && b <= hi,
            _ => false,
        }
    }
}

/// What a relative expression counts from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Anchor {
    /// The article's reference (publication) date.
    Reference,
    /// The closest preceding dated expression in the same text ("the next day").
    PreviousDate,
    /// An event named next to the expression ("a day after President Ruto spoke with …").
    Event,
}

/// An offset in days from an anchor: "a day after" = Event,+1; "the next day" = PreviousDate,+1;
/// "yesterday" = Reference,-1. Weeks count as 7 days; month and year offsets are not represented.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Relative {
    pub anchor: Anchor,
    pub days: i32,
}

/// The shape of a temporal expression.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum DateKind {
    /// A calendar expression: full date, month-day, month-year, month, year.
    Absolute,
    /// A weekday on its own ("on Wednesday", "last Friday").
    Weekday,
    /// Counted from the reference date ("yesterday", "three weeks ago", "last month").
    RelativeToRef,
    /// Counted from an event or the previous date ("a day after", "the next day").
    RelativeToAnchor,
    /// "since X": the value is X.
    Since,
    /// "from 2023 to 2028", "2023–2024", "July 13-15", "between 2019 and 2024".
    Range,
    /// A length of time ("for two years", "over the past three months"); no value.
    Duration,
    /// The present ("now", "currently"): the reference date as a [`Period::Present`], never compared.
    Present,
    /// A state that has lasted a stated time up to the reference date ("has been declining for more than two
    /// years"): the value is the range of days it can have begun in, with no start year for "more than".
    /// Never produced by [`find_dates`]; see [`crate::extract::statements`].
    Elapsed,
    /// A date after "by" ("by early June", "by 2012", "no later than 30 June"): the event comes on or before
    /// it. Set on the dates of statements and claims (see [`crate::extract::statements::deadline`]).
    Deadline,
    /// No expression: an article reports the clause's event in the past tense, so it happened on or before
    /// the publication date, which is the value. Never produced by [`find_dates`]; see
    /// [`crate::extract::statements`].
    Reported,
}

/// One temporal expression found in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemporalExpr {
    /// Byte range in the input text.
    pub span: Range<usize>,
    pub kind: DateKind,
    /// None when it cannot be resolved (e.g. "a day after" with no anchor resolved yet).
    pub value: Option<DateValue>,
    /// Set for relative expressions with a day offset, so a caller can resolve an Event anchor later.
    pub relative: Option<Relative>,
}

/// What the text is resolved against.
#[derive(Clone, Copy, Debug, Default)]
pub struct DateContext {
    /// The article's publication date when known.
    pub reference: Option<Date>,
}

static PART_BEFORE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)\b(?:(early|mid|late)[-\s]+|(?:the\s+)?(beginning|start|middle|end)\s+of\s+)$",
    )
    .expect("part regex")
});

/// "early June", "mid-February 2009", "the end of April", "late 2008": a month or a year with its part
/// named just before it becomes that part (see [`Period::PartOf`]).
fn mark_parts(text: &str, out: &mut [TemporalExpr]) {
    for e in out.iter_mut() {
        let Some(DateValue::Point(p)) = &mut e.value else {
            continue;
        };
        let Some(year) = p.year else { continue };
        if p.period.is_some() || p.day.is_some() {
            continue;
        }
        let mut from = e.span.start.saturating_sub(20);
        while !text.is_char_boundary(from) {
            from += 1;
        }
        let Some(c) = PART_BEFORE.captures(&text[from..e.span.start]) else {
            continue;
        };
        let Some(part) = c
            .get(1)
            .or(c.get(2))
            .and_then(|w| Part::from_word(w.as_str()))
        else {
            continue;
        };
        p.period = Some(Period::PartOf {
            year,
            month: p.month,
            part,
        });
    }
}

/// Find temporal expressions in `text`, sorted by span start and non-overlapping (longest match wins).
pub fn find_dates(text: &str, ctx: &DateContext) -> Vec<TemporalExpr> {
    let raws = merge(text, scan(text));
    let mut nearby: Vec<i16> = Vec::new();
    if ctx.reference.is_none() {
        let mut add = |p: &PartialDate| {
            if let Some(y) = p.year
                && !nearby.contains(&y)
            {
                nearby.push(y);
            }
        };
        for r in &raws {
            match &r.what {
                What::Cal { start, end } => {
                    add(start);
                    if let Some(e) = end {
                        add(e);
                    }
                }
                What::Pair(a, b) => {
                    for w in [a, b] {
                        if let What::Cal { start, .. } = &**w {
                            add(start);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let mut res = Resolver {
        reference: ctx.reference,
        nearby: &nearby,
        prev: None,
    };
    let mut out = Vec::with_capacity(raws.len());
    for r in raws {
        let (value, relative) = res.resolve(&r.what);
        // "the next day" counts from the last date stated, not from "now".
        if value.is_some_and(|v| !matches!(v.start().period, Some(Period::Present { .. }))) {
            res.prev = value;
        }
        out.push(TemporalExpr {
            span: r.span,
            kind: r.kind,
            value,
            relative,
        });
    }
    mark_parts(text, &mut out);
    // "two days after November 7", "a day before Thursday's vote": an event anchor directly followed by a
    // dated expression counts from it.
    for i in 1..out.len() {
        let (head, tail) = out.split_at_mut(i);
        let (e, next) = (&mut head[i - 1], &tail[0]);
        if let (
            Some(Relative {
                anchor: Anchor::Event,
                days,
            }),
            None,
            Some(v),
        ) = (e.relative, e.value, next.value)
            && text[e.span.end..next.span.start]
                .trim_matches(is_space)
                .is_empty()
        {
            e.value = shift(&v, days);
        }
    }
    out
}
