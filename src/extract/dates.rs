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
//! weekday kept. Expressions that cover a whole week ("last week", "later that week", "this weekend") get
//! the most precise value that contains every day of that week — usually the month, sometimes only the
//! year — never a single day, so that comparing them with a day cannot report a false conflict.
//!
//! # Resolution rules (news-oriented)
//! * Month + day without a year: a stated weekday fixes the year when exactly one year within ±1 of a
//!   nearby year fits (nearby = the reference year when known, else every explicit 4-digit year in the
//!   text). Otherwise, with a reference date, the reference's year — unless that puts the date more than
//!   ~9 months (274 days) away from the reference, in which case the neighbouring year (then within ~3
//!   months) is taken: "December 28" in an article of 5 January is last year's. Without a reference the
//!   year stays unknown.
//! * Month alone ("in September"): the most recent such month not after the reference month; the next one
//!   (on or after) when the clause is in the future tense ("will", "set to", "scheduled", "upcoming");
//!   "last"/"next"/"this" September count strictly before/after/in the reference year.
//! * Weekday alone: the most recent such day on or before the reference; on or after it in a future-tense
//!   clause or with "this"/"coming"; "last Friday" is strictly before; "next Friday" is the Friday of the
//!   following Monday-based week; "Friday of next week" likewise.
//! * "today", "yesterday", "tomorrow", "tonight", "N days/weeks ago", "N days from now" → day precision.
//!   "last/this/next month" and "N months ago" → month precision; "last/this/next year", "N years ago" →
//!   year precision; "last/this/next week" → the coarsened week (see above).
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

use jiff::civil::{Date, Weekday};
use regex::{CaptureLocations, Regex, RegexBuilder};
use std::ops::Range;
use std::sync::LazyLock;

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
        }
    }

    /// The calendar date, when year, month and day are all known and valid.
    pub fn to_date(&self) -> Option<Date> {
        Date::new(self.year?, self.month?, self.day?).ok()
    }

    /// ISO-like text with unknown parts as X ("2024-11-25", "XXXX-09", "2024", "XXXX-XX-XX").
    pub fn to_iso(&self) -> String {
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

    /// (parts both state and agree on, whether any part both state differs)
    fn compare(&self, other: &PartialDate) -> (u32, bool) {
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
    /// The value in words, unknown parts said so: "25 November 2024", "September [no year]",
    /// "Wednesday [no date]", "2023 to 2028".
    pub fn describe(&self) -> String {
        fn point(p: &PartialDate) -> String {
            let month = p
                .month
                .and_then(|m| MONTH_NAMES.get((m as usize).wrapping_sub(1)));
            match (p.day, month, p.year) {
                (Some(d), Some(m), Some(y)) => format!("{d} {m} {y}"),
                (Some(d), Some(m), None) => format!("{d} {m} [no year]"),
                (None, Some(m), Some(y)) => format!("{m} {y}"),
                (None, Some(m), None) => format!("{m} [no year]"),
                (_, None, Some(y)) => y.to_string(),
                _ => match p.weekday {
                    Some(w) => format!("{w:?} [no date]"),
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
    /// not compared, so a weekday-only value conflicts with nothing.
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
    /// "2024-05-10 lies within 2024-05-01/2024-05-31" or "2025 lies within 2023/2028".
    pub fn contains(&self, other: &DateValue) -> bool {
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
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Relative {
    pub anchor: Anchor,
    pub days: i32,
}

/// The shape of a temporal expression.
#[derive(Clone, Debug, PartialEq, Eq)]
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

// ---------------------------------------------------------------------------------------------------
// The combined scanner
// ---------------------------------------------------------------------------------------------------

const B: &str = r"(?-u:\b)";
const WDANY: &str = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|weds|wed|thurs|thur|thu|fri|sat|sun)";
const WDFULL: &str = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)";
const MON: &str = r"(?:january|february|march|april|may|june|july|august|september|october|november|december|sept|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)";
const DAYNUM: &str = r"(?:3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?";
const ORDW: &str = r"(?:(?:twenty|thirty)[-\s]?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth)";
const RSEP: &str = r"(?:\s*[-–—]\s*|\s+(?:to|through|thru|until|till)\s+)";
const NUM: &str = r"(?:[0-9]{1,3}|a\s+few|a\s+couple\s+of|a\s+couple|couple\s+of|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|several|few)";
const YEARWORDS: &str = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen";
const UNIT: &str = r"(?:days?|weeks?|months?|years?|yrs?|decades?)";

fn build_pattern() -> String {
    let alts = [
        // ISO / year-first numeric, optionally with a time part that is swallowed.
        format!(
            r"(?P<t_iso>{B}(?P<iy>[12][0-9]{{3}})[-/.](?P<im>[0-9]{{1,2}})[-/.](?P<id>[0-9]{{1,2}})(?:T[0-9]{{2}}:[0-9]{{2}}(?::[0-9]{{2}}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{{2}}:?[0-9]{{2}})?|{B}))"
        ),
        // US numeric M/D/Y (D/M/Y when the first number cannot be a month).
        format!(
            r"(?P<t_num>{B}(?:(?P<nw>{WDANY})\.?,?\s+)?(?P<n1>[0-9]{{1,2}})(?P<ns1>[-/.])(?P<n2>[0-9]{{1,2}})(?P<ns2>[-/.])(?P<n3>[12][0-9]{{3}}|[0-9]{{2}}){B})"
        ),
        // Month name, day, optional day range, optional year.
        format!(
            r"(?P<t_mdy>{B}(?:(?P<aw>{WDANY})\.?,?\s*)?(?P<am>{MON})\.?(?:\s*,\s*|\s*[-/]\s*|\s*)(?:the\s+)?(?P<ad>{DAYNUM}|{ORDW}){B}(?:{RSEP}(?:(?P<am2>{MON})\.?\s*)?(?:the\s+)?(?P<ad2>{DAYNUM}|{ORDW}){B})?(?:(?:\s*,\s*|\s*[-/]\s*|\s+)(?P<ay>[12][0-9]{{3}}){B})?)"
        ),
        // Day, optional day range, month name, optional year.
        format!(
            r"(?P<t_dmy>{B}(?:(?P<bw>{WDANY})\.?,?\s*)?(?:the\s+)?(?P<bd>{DAYNUM}|{ORDW})(?:{RSEP}(?:the\s+)?(?P<bd2>{DAYNUM}|{ORDW}))?(?:\s+day)?(?:\s+of\s+|\s*[-/]\s*|\s*,?\s*)(?P<bm>{MON}){B}\.?(?:(?:\s*,\s*|\s*[-/]\s*|\s+)(?P<by>[12][0-9]{{3}}){B}|[-/](?P<by2>[0-9]{{2}}){B}|,?\s+in\s+the\s+year\s+of\s+our\s+lord\s+two\s+thousand(?:\s+and)?(?:\s+(?P<bylord>{YEARWORDS}))?{B})?)"
        ),
        // Numeric month/year: 9/2012.
        format!(r"(?P<t_my>{B}(?P<sm>0?[1-9]|1[0-2])/(?P<sy>[12][0-9]{{3}}){B})"),
        // Month name + year.
        format!(
            r"(?P<t_mony>{B}(?P<cm>{MON})\.?(?:\s+of\s+|\s*,\s*|\s*[-/]\s*|\s+)(?P<cy>[12][0-9]{{3}}){B})"
        ),
        // Year ranges (and YYYY-MM months).
        format!(
            r"(?P<t_yr>{B}(?:(?P<ypre>from|between)\s+)?(?:(?:fy|fiscal\s+years?)\s*)?(?P<y1>(?:19|20)[0-9]{{2}})(?P<ysep>\s*[-–—/]\s*|\s+(?:to|through|thru|until|till|and)\s+)(?:(?:fy|fiscal\s+year)\s*)?(?P<y2>(?:19|20)[0-9]{{2}}|[0-9]{{2}}){B})"
        ),
        // A bare year (checked against its context in code).
        format!(r"(?P<t_y>{B}(?:(?:fy|fiscal\s+year)\s*)?(?P<yr>(?:19|20)[0-9]{{2}}){B})"),
        // Relative to the reference.
        format!(r"(?P<t_rdd>{B}the\s+day\s+(?P<rdd>before\s+yesterday|after\s+tomorrow){B})"),
        format!(
            r"(?P<t_rw>{B}(?:(?:earlier|later)\s+)?(?P<rw>today|tonight|yesterday|tomorrow|last\s+night|this\s+morning|this\s+afternoon|this\s+evening)(?:\s+(?:morning|afternoon|evening|night))?{B})"
        ),
        format!(
            r"(?P<t_rel>{B}(?:(?:earlier|later)\s+)?(?P<rm>this|last|next|coming|current|previous)\s+(?P<ru>weekend|week|month|year|yr){B})"
        ),
        format!(
            r"(?P<t_n>{B}(?:(?:just|only|barely|nearly|almost|about|roughly|around|some|exactly|over|under|more\s+than|less\s+than)\s+)?(?P<nn>{NUM})\s+(?P<nu>{UNIT})\s+(?P<nd>ago|from\s+now|from\s+today|hence|before\s+(?:today|yesterday|tomorrow)|after\s+(?:today|yesterday|tomorrow)|before|after|later|earlier|prior(?:\s+to)?|afterwards?){B})"
        ),
        // Relative to the previous date or an event.
        format!(
            r"(?P<t_pd>{B}the\s+(?P<pdm>next|following|previous|preceding|same|prior)\s+(?P<pdu>day|morning|afternoon|evening|night|weekend|week|month|year){B})"
        ),
        format!(
            r"(?P<t_that>{B}(?:(?P<thm>later|earlier)\s+)?that\s+(?P<ths>same\s+)?(?P<thu>day|morning|afternoon|evening|night|week|month|year){B})"
        ),
        format!(r"(?P<t_db>{B}the\s+(?P<dbu>day|week)\s+(?P<dbd>before|after|prior(?:\s+to)?){B})"),
        // A weekday alone.
        format!(
            r"(?P<t_wd>{B}(?:(?P<wm>last|past|next|this\s+coming|this\s+past|this|coming|previous)\s+)?(?P<ww>{WDFULL}){B}(?:\s*,?\s*(?:of\s+)?(?P<wk>next|last|this|the\s+following|previous|the\s+previous)\s+week{B})?)"
        ),
        // A month alone (checked against its context in code).
        format!(r"(?P<t_mo>{B}(?P<em>{MON}){B}\.?)"),
        // Durations.
        format!(
            r"(?P<t_dur>{B}(?:(?:for|over|during|within|throughout|in)\s+(?:the\s+)?(?:(?:past|last|next|coming|previous|following|first|final)\s+)?|(?:the\s+)?(?:past|last|next|coming)\s+)(?P<un>{NUM})\s+(?P<uu>{UNIT}){B})"
        ),
    ];
    format!("(?i){}", alts.join("|"))
}

macro_rules! groups {
    ($($name:ident),* $(,)?) => {
        /// Capture-group indices of the combined pattern, looked up once.
        struct G { $($name: usize),* }
        impl G {
            fn new(re: &Regex) -> G {
                let names: Vec<Option<&str>> = re.capture_names().collect();
                let find = |n: &str| names.iter().position(|x| *x == Some(n)).unwrap_or(0);
                G { $($name: find(stringify!($name))),* }
            }
        }
    };
}

groups!(
    t_iso, iy, im, id, t_num, nw, n1, ns1, n2, ns2, n3, t_mdy, aw, am, ad, am2, ad2, ay, t_dmy, bw,
    bd, bd2, bm, by, by2, bylord, t_my, sm, sy, t_mony, cm, cy, t_yr, ypre, y1, ysep, y2, t_y, yr,
    t_rdd, rdd, t_rw, rw, t_rel, rm, ru, t_n, nn, nu, nd, t_pd, pdm, pdu, t_that, thm, ths, thu,
    t_db, dbu, dbd, t_wd, wm, ww, wk, t_mo, em, t_dur,
);

struct Scanner {
    re: Regex,
    g: G,
}

static SCANNER: LazyLock<Scanner> = LazyLock::new(|| {
    let re = RegexBuilder::new(&build_pattern())
        .size_limit(64 << 20)
        .dfa_size_limit(64 << 20)
        .build()
        .expect("date pattern compiles");
    let g = G::new(&re);
    Scanner { re, g }
});

/// Spans of the groups of one match.
struct M<'a> {
    text: &'a str,
    locs: &'a CaptureLocations,
}

impl<'a> M<'a> {
    fn pos(&self, i: usize) -> Option<(usize, usize)> {
        if i == 0 { None } else { self.locs.get(i) }
    }
    fn s(&self, i: usize) -> Option<&'a str> {
        self.pos(i).map(|(a, b)| &self.text[a..b])
    }
    fn has(&self, i: usize) -> bool {
        self.pos(i).is_some()
    }
}

// ---------------------------------------------------------------------------------------------------
// Raw expressions (before resolution)
// ---------------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Unit {
    Day,
    Week,
    Month,
    Year,
}

/// How a month or weekday without a year is placed relative to the reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dir {
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
enum What {
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
    /// Offset from an event or the previous date.
    FromAnchor {
        anchor: Anchor,
        n: i32,
        unit: Unit,
    },
    /// "later that week", "earlier that month", "that year": part of the previous date's period.
    ThatPeriod {
        unit: Unit,
        part: i8,
    },
    /// Found but without a value (durations, vague counts).
    Nothing,
    /// Two neighbouring expressions joined into a range.
    Pair(Box<What>, Box<What>),
}

#[derive(Clone, Debug)]
struct Raw {
    span: Range<usize>,
    kind: DateKind,
    what: What,
}

// ---------------------------------------------------------------------------------------------------
// Small text helpers
// ---------------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok<'a> {
    Edge,
    Word(&'a str),
    Punct(char),
}

fn is_space(c: char) -> bool {
    c.is_whitespace()
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// The token before `pos`, skipping whitespace; its start offset.
fn prev_tok(text: &str, pos: usize) -> (Tok<'_>, usize) {
    let head = &text[..pos];
    let trimmed = head.trim_end_matches(is_space);
    let end = trimmed.len();
    match trimmed.chars().next_back() {
        None => (Tok::Edge, 0),
        Some(c) if is_word_char(c) => {
            let start = trimmed.trim_end_matches(is_word_char).len();
            (Tok::Word(&text[start..end]), start)
        }
        Some(c) => (Tok::Punct(c), end - c.len_utf8()),
    }
}

/// The token after `pos`, skipping whitespace; its end offset.
fn next_tok(text: &str, pos: usize) -> (Tok<'_>, usize) {
    let tail = &text[pos..];
    let trimmed = tail.trim_start_matches(is_space);
    let start = pos + (tail.len() - trimmed.len());
    match trimmed.chars().next() {
        None => (Tok::Edge, text.len()),
        Some(c) if is_word_char(c) => {
            let len = trimmed.len() - trimmed.trim_start_matches(is_word_char).len();
            (Tok::Word(&text[start..start + len]), start + len)
        }
        Some(c) => (Tok::Punct(c), start + c.len_utf8()),
    }
}

fn word_in(w: &str, list: &[&str]) -> bool {
    list.iter().any(|x| x.eq_ignore_ascii_case(w))
}

fn starts_upper(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
}

fn char_after(text: &str, pos: usize) -> Option<char> {
    text[pos..].chars().next()
}

/// Is `pos` glued to a number on the left ("1,2024", "3.2024", "$2024", "#2024", "12/2024")?
fn glued_left(text: &str, pos: usize) -> bool {
    let b = text.as_bytes();
    if pos == 0 {
        return false;
    }
    let c = b[pos - 1];
    if matches!(c, b'$' | b'#' | b'+') || text[..pos].ends_with('€') || text[..pos].ends_with('£')
    {
        return true;
    }
    matches!(c, b',' | b'.' | b'/' | b':' | b'-') && pos >= 2 && b[pos - 2].is_ascii_digit()
}

/// Is `pos` glued to a number or percent on the right ("2024.5", "2024%", "2024,000", "2024/5")?
fn glued_right(text: &str, pos: usize) -> bool {
    let b = text.as_bytes();
    if pos >= b.len() {
        return false;
    }
    if b[pos] == b'%' {
        return true;
    }
    matches!(b[pos], b',' | b'.' | b'/' | b':') && b.get(pos + 1).is_some_and(u8::is_ascii_digit)
}

/// Is the token before `pos` a number of one to three digits (optionally with an ordinal suffix)?
fn number_before(text: &str, pos: usize) -> bool {
    match prev_tok(text, pos).0 {
        Tok::Word(w) => {
            let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
            !digits.is_empty() && digits.len() <= 3 && digits.bytes().all(|b| b.is_ascii_digit())
        }
        _ => false,
    }
}

fn month_from(s: &str) -> Option<i8> {
    let l = s.get(..3)?.to_ascii_lowercase();
    let i = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]
    .iter()
    .position(|m| *m == l)?;
    Some(i as i8 + 1)
}

fn weekday_from(s: &str) -> Option<Weekday> {
    let l = s.get(..2)?.to_ascii_lowercase();
    Some(match l.as_str() {
        "mo" => Weekday::Monday,
        "tu" => Weekday::Tuesday,
        "we" => Weekday::Wednesday,
        "th" => Weekday::Thursday,
        "fr" => Weekday::Friday,
        "sa" => Weekday::Saturday,
        "su" => Weekday::Sunday,
        _ => return None,
    })
}

const ORD_UNITS: [&str; 9] = [
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
];
const ORD_TEENS: [&str; 11] = [
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
];

fn ordinal_word_value(s: &str) -> Option<i8> {
    let l = s.to_ascii_lowercase();
    let l = l.trim();
    if l == "thirtieth" {
        return Some(30);
    }
    for (tens, base) in [("twenty", 20), ("thirty", 30)] {
        if let Some(rest) = l.strip_prefix(tens) {
            let rest = rest.trim_start_matches(['-', ' ', '\t', '\n']);
            let u = ORD_UNITS.iter().position(|x| *x == rest)? as i8 + 1;
            return Some(base + u);
        }
    }
    if let Some(i) = ORD_UNITS.iter().position(|x| *x == l) {
        return Some(i as i8 + 1);
    }
    ORD_TEENS.iter().position(|x| *x == l).map(|i| i as i8 + 10)
}

fn ordinal_word(n: i8) -> String {
    match n {
        1..=9 => ORD_UNITS[n as usize - 1].to_string(),
        10..=20 => ORD_TEENS[n as usize - 10].to_string(),
        21..=29 => format!("twenty-{}", ORD_UNITS[n as usize - 21]),
        30 => "thirtieth".into(),
        31 => "thirty-first".into(),
        _ => n.to_string(),
    }
}

/// Day of month from "7", "07", "7th" or "seventh".
fn day_from(s: &str) -> Option<i8> {
    let digits: &str = s.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        let d: i8 = digits.parse().ok()?;
        return (1..=31).contains(&d).then_some(d);
    }
    ordinal_word_value(s)
}

fn count_from(s: &str) -> Option<i32> {
    let l = s.to_ascii_lowercase();
    if let Ok(n) = l.parse::<i32>() {
        return Some(n);
    }
    if l == "a" || l == "an" {
        return Some(1);
    }
    // "a few", "several", "a couple of": vague, no count.
    number_words(&l).map(i32::from)
}

/// 1–99 written in words ("twenty-four", "nine").
fn number_words(s: &str) -> Option<i16> {
    const UNITS: [&str; 19] = [
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
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    let l = s.to_ascii_lowercase();
    let mut parts = l
        .split(|c: char| c == '-' || c.is_whitespace())
        .filter(|w| !w.is_empty());
    let first = parts.next()?;
    let value = |w: &str| UNITS.iter().position(|u| *u == w).map(|i| i as i16 + 1);
    match TENS.iter().position(|t| *t == first) {
        Some(t) => {
            let tens = (t as i16 + 2) * 10;
            match parts.next() {
                Some(u) => Some(tens + value(u).filter(|v| *v < 10)?),
                None => Some(tens),
            }
        }
        None => value(first),
    }
}

fn unit_from(s: &str) -> Unit {
    let l = s.to_ascii_lowercase();
    if l.starts_with("day") {
        Unit::Day
    } else if l.starts_with("week") {
        Unit::Week
    } else if l.starts_with("month") {
        Unit::Month
    } else {
        Unit::Year // years, yrs, decades (decades are scaled by the caller)
    }
}

fn max_days_in_month(m: i8) -> i8 {
    match m {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn add_days(d: Date, n: i64) -> Option<Date> {
    d.checked_add(jiff::Span::new().try_days(n).ok()?).ok()
}

fn add_months(y: i16, m: i8, n: i32) -> (i16, i8) {
    let idx = y as i32 * 12 + (m as i32 - 1) + n;
    (idx.div_euclid(12) as i16, (idx.rem_euclid(12) + 1) as i8)
}

fn monday_of(d: Date) -> Option<Date> {
    add_days(d, -(d.weekday().to_monday_zero_offset() as i64))
}

/// The most precise partial date containing every day from `a` to `b`.
fn coarsen(a: Date, b: Date) -> Option<PartialDate> {
    if a.year() != b.year() {
        return None;
    }
    let mut p = PartialDate {
        year: Some(a.year()),
        ..Default::default()
    };
    if a.month() == b.month() {
        p.month = Some(a.month());
        if a.day() == b.day() {
            p.day = Some(a.day());
        }
    }
    Some(p)
}

// ---------------------------------------------------------------------------------------------------
// Context checks
// ---------------------------------------------------------------------------------------------------

/// Words after which a bare year or month reads as a date.
const YEARISH: &[&str] = &[
    "in",
    "since",
    "by",
    "from",
    "until",
    "till",
    "through",
    "throughout",
    "during",
    "before",
    "after",
    "of",
    "to",
    "and",
    "or",
    "between",
    "early",
    "mid",
    "late",
    "around",
    "circa",
    "year",
    "fiscal",
    "fy",
    "spring",
    "summer",
    "autumn",
    "fall",
    "winter",
    "end",
    "start",
    "beginning",
    "middle",
    "half",
    "quarter",
    "q1",
    "q2",
    "q3",
    "q4",
    "h1",
    "h2",
    "for",
    "as",
    "cy",
    "ca",
    "c",
];
/// Of those, the ones also common before quantities ("of 2000 troops").
const QUANTITY_PREPS: &[&str] = &["of", "by", "to", "and", "or", "for", "around", "as"];
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "its", "his", "her", "their", "our", "this", "that", "whose",
];
const QUANTITY_WORDS: &[&str] = &[
    "reached",
    "reach",
    "reaches",
    "about",
    "nearly",
    "almost",
    "over",
    "under",
    "than",
    "some",
    "approximately",
    "roughly",
    "total",
    "totaled",
    "totalled",
    "totaling",
    "number",
    "numbered",
    "numbering",
    "at",
    "least",
    "most",
    "exceeded",
    "exceeds",
    "only",
    "just",
    "up",
    "down",
    "rose",
    "fell",
    "increased",
    "decreased",
    "plus",
    "minus",
    "with",
    "were",
    "was",
    "are",
    "is",
    "page",
    "pages",
    "no",
    "number",
    "room",
    "route",
    "highway",
    "flight",
];
const UNIT_WORDS: &[&str] = &[
    "million",
    "billion",
    "trillion",
    "thousand",
    "hundred",
    "percent",
    "per",
    "km",
    "kg",
    "mi",
    "mph",
    "mw",
    "gw",
    "kw",
    "bpd",
    "feet",
    "people",
    "men",
    "women",
    "children",
    "police",
    "personnel",
    "staff",
    "megawatts",
    "acres",
    "hours",
    "hrs",
    "points",
    "votes",
    "dollars",
    "euros",
    "pounds",
    "tonnes",
    "tons",
    "barrels",
    "units",
];
/// Words before a month name that make it a date.
const MONTH_PREPS: &[&str] = &[
    "in",
    "since",
    "during",
    "until",
    "till",
    "by",
    "from",
    "through",
    "throughout",
    "before",
    "after",
    "of",
    "early",
    "mid",
    "late",
    "last",
    "next",
    "this",
    "coming",
    "past",
    "to",
    "between",
    "and",
    "or",
    "on",
    "for",
    "every",
    "each",
    "following",
    "previous",
];

fn year_context_ok(text: &str, start: usize, end: usize) -> bool {
    if glued_left(text, start) || glued_right(text, end) {
        return false;
    }
    let (next, _) = next_tok(text, end);
    if let Tok::Word(w) = next
        && word_in(w, UNIT_WORDS)
    {
        return false;
    }
    if let Tok::Punct('%') = next {
        return false;
    }
    // "mid-2024", "pre-2020", "post-2008"
    if start >= 1 && text.as_bytes()[start - 1] == b'-' {
        let (t, _) = prev_tok(text, start - 1);
        return matches!(t, Tok::Word(w) if word_in(w, &["mid", "early", "late", "pre", "post", "end", "fy"]));
    }
    let plural_next = matches!(next, Tok::Word(w) if w.len() >= 3 && w.ends_with('s') && w.chars().all(|c| c.is_ascii_lowercase()))
        && char_after(text, end) == Some(' ');
    // Possessive: "2024's".
    if text[end..].starts_with("'s") || text[end..].starts_with("’s") {
        return true;
    }
    let (prev, _) = prev_tok(text, start);
    match prev {
        Tok::Word(w) if word_in(w, YEARISH) => !(plural_next && word_in(w, QUANTITY_PREPS)),
        Tok::Word(w) if word_in(w, DETERMINERS) => matches!(next, Tok::Word(_)) && !plural_next,
        _ => {
            let standalone = matches!(next, Tok::Punct(c) if ",.;:!?)]".contains(c))
                && !matches!(prev, Tok::Punct(c) if "=\"'/".contains(c));
            let quantity = matches!(prev, Tok::Word(w) if word_in(w, QUANTITY_WORDS));
            standalone && !quantity
        }
    }
}

/// Words that split a sentence into clauses for the tense check.
const CLAUSE_SPLIT: &[&str] = &[
    "that",
    "said",
    "says",
    "told",
    "but",
    "while",
    "because",
    "although",
    "announced",
    "added",
    "noted",
    "stated",
];

/// Is the clause around `span` in the future tense?
fn clause_is_future(text: &str, span: &Range<usize>) -> bool {
    const WINDOW: usize = 240;
    let mut lo = span.start.saturating_sub(WINDOW);
    while !text.is_char_boundary(lo) {
        lo += 1;
    }
    let mut hi = (span.end + WINDOW).min(text.len());
    while !text.is_char_boundary(hi) {
        hi -= 1;
    }
    let is_boundary = |c: char| matches!(c, '.' | '!' | '?' | ';' | '\n');
    let left = &text[lo..span.start];
    let left = match left.rfind(is_boundary) {
        Some(i) => &left[i + 1..],
        None => left,
    };
    let right = &text[span.end..hi];
    let right = match right.find(is_boundary) {
        Some(i) => &right[..i],
        None => right,
    };
    let is_future_word = |w: &str| {
        word_in(
            w,
            &[
                "will",
                "would",
                "shall",
                "ll",
                "upcoming",
                "scheduled",
                "lets",
            ],
        )
    };
    let is_future_pair = |a: &str, b: &str| {
        (word_in(b, &["to"])
            && word_in(
                a,
                &["set", "going", "plans", "plan", "expected", "due", "slated"],
            ))
            || (a.eq_ignore_ascii_case("let") && b.eq_ignore_ascii_case("s"))
    };
    // Left part: words after the last clause splitter.
    let lw: Vec<&str> = left
        .split(|c: char| !is_word_char(c))
        .filter(|w| !w.is_empty())
        .collect();
    let from = lw
        .iter()
        .rposition(|w| word_in(w, CLAUSE_SPLIT))
        .map_or(0, |i| i + 1);
    let lw = &lw[from..];
    // "closed until Friday": the end of a state that holds at the reference lies ahead of it.
    if lw.last().is_some_and(|w| word_in(w, &["until", "till"])) {
        return true;
    }
    if lw.iter().any(|w| is_future_word(w)) || lw.windows(2).any(|p| is_future_pair(p[0], p[1])) {
        return true;
    }
    let rw: Vec<&str> = right
        .split(|c: char| !is_word_char(c))
        .filter(|w| !w.is_empty())
        .collect();
    let to = rw
        .iter()
        .position(|w| word_in(w, CLAUSE_SPLIT))
        .unwrap_or(rw.len());
    let rw = &rw[..to];
    rw.iter().any(|w| is_future_word(w)) || rw.windows(2).any(|p| is_future_pair(p[0], p[1]))
}

/// Is an ambiguous lower-case month word ("may", "march", "august", "mar", "aug") used as a month here?
fn month_word_ok(tok: &str, strong: bool) -> bool {
    if starts_upper(tok) || strong {
        return true;
    }
    !word_in(tok, &["may", "march", "august", "mar", "aug", "sat", "sun"])
}

// ---------------------------------------------------------------------------------------------------
// Interpreting one match
// ---------------------------------------------------------------------------------------------------

/// "2023–2024", "from 2023 to 2028", "between 2019 and 2024", "2019-20"; also "2014-10" as a month.
fn year_range(m: &M<'_>, g: &G, whole: Range<usize>) -> Option<Raw> {
    let text = m.text;
    let raw = |span: Range<usize>, kind: DateKind, what: What| Some(Raw { span, kind, what });
    let y1: i16 = m.s(g.y1)?.parse().ok()?;
    let y2s = m.s(g.y2)?;
    let sep = m.s(g.ysep)?.trim().to_ascii_lowercase();
    let pre = m.s(g.ypre).map(str::to_ascii_lowercase);
    let y1_start = m.pos(g.y1)?.0;
    if glued_left(text, y1_start) || glued_right(text, whole.end) {
        return None;
    }
    if text[whole.end..].starts_with(['-', '/']) {
        return None;
    }
    let dash = matches!(sep.as_str(), "-" | "–" | "—" | "/");
    if sep == "and" && pre.as_deref() != Some("between") {
        return None;
    }
    let y2: i16 = if y2s.len() == 2 {
        if !dash {
            return None;
        }
        let yy: i16 = y2s.parse().ok()?;
        let century = y1 - y1 % 100;
        let consecutive = (y1 + 1) % 100 == yy;
        if !consecutive && pre.is_none() && (sep == "-" || sep == "/") && (1..=12).contains(&yy) {
            // "2014-10", "2014/10": a month.
            let start = PartialDate {
                year: Some(y1),
                month: Some(yy as i8),
                ..Default::default()
            };
            return raw(whole, DateKind::Absolute, What::Cal { start, end: None });
        }
        if consecutive && yy == 0 {
            century + 100
        } else {
            century + yy
        }
    } else {
        y2s.parse().ok()?
    };
    if y2 <= y1 || y2 - y1 > 100 {
        return None;
    }
    let start = PartialDate {
        year: Some(y1),
        ..Default::default()
    };
    let end = PartialDate {
        year: Some(y2),
        ..Default::default()
    };
    raw(
        whole,
        DateKind::Range,
        What::Cal {
            start,
            end: Some(end),
        },
    )
}

fn interpret(m: &M<'_>, g: &G, whole: Range<usize>) -> Option<Raw> {
    let text = m.text;
    let raw = |span: Range<usize>, kind: DateKind, what: What| Some(Raw { span, kind, what });

    if m.has(g.t_iso) {
        if glued_left(text, whole.start) || text[whole.end..].starts_with(['-', '/']) {
            return None;
        }
        let y: i16 = m.s(g.iy)?.parse().ok()?;
        let mo: i8 = m.s(g.im)?.parse().ok()?;
        let d: i8 = m.s(g.id)?.parse().ok()?;
        Date::new(y, mo, d).ok()?;
        let start = PartialDate {
            year: Some(y),
            month: Some(mo),
            day: Some(d),
            weekday: None,
        };
        return raw(whole, DateKind::Absolute, What::Cal { start, end: None });
    }
    if m.has(g.t_num) {
        let (a, b, c) = (m.s(g.n1)?, m.s(g.n2)?, m.s(g.n3)?);
        let (s1, s2) = (m.s(g.ns1)?, m.s(g.ns2)?);
        let num_start = m.pos(g.n1)?.0;
        if s1 != s2 || glued_left(text, num_start) || text[whole.end..].starts_with('/') {
            return None;
        }
        let year: i16 = if c.len() == 2 {
            if s1 == "." {
                return None;
            }
            let yy: i16 = c.parse().ok()?;
            if yy < 50 { 2000 + yy } else { 1900 + yy }
        } else {
            c.parse().ok()?
        };
        let (x, z): (i8, i8) = (a.parse().ok()?, b.parse().ok()?);
        let (mo, d) = if x > 12 && z <= 12 { (z, x) } else { (x, z) };
        let date = Date::new(year, mo, d).ok()?;
        let weekday = m.s(g.nw).and_then(weekday_from);
        let start = PartialDate::from_date(date);
        let start = PartialDate { weekday, ..start };
        return raw(whole, DateKind::Absolute, What::Cal { start, end: None });
    }
    if m.has(g.t_mdy) || m.has(g.t_dmy) {
        let mdy = m.has(g.t_mdy);
        let (wg, mg, dg, d2g, yg) = if mdy {
            (g.aw, g.am, g.ad, g.ad2, g.ay)
        } else {
            (g.bw, g.bm, g.bd, g.bd2, g.by)
        };
        let mtok = m.s(mg)?;
        let month = month_from(mtok)?;
        let dtok = m.s(dg)?;
        let day = day_from(dtok)?;
        let day2 = match m.s(d2g) {
            Some(t) => Some(day_from(t)?),
            None => None,
        };
        let month2 = if mdy {
            m.s(g.am2).and_then(month_from)
        } else {
            None
        };
        let mut year: Option<i16> = match m.s(yg) {
            Some(t) => Some(t.parse().ok()?),
            None => None,
        };
        if !mdy && let Some(t) = m.s(g.by2) {
            let yy: i16 = t.parse().ok()?;
            year = Some(if yy < 50 { 2000 + yy } else { 1900 + yy });
        }
        if !mdy
            && year.is_none()
            && text[whole.clone()]
                .to_ascii_lowercase()
                .contains("our lord")
        {
            year = Some(2000 + m.s(g.bylord).map_or(Some(0), number_words)?);
        }
        let ordinal_word = !dtok.as_bytes()[0].is_ascii_digit();
        let suffix = dtok.as_bytes()[0].is_ascii_digit()
            && dtok.ends_with(|c: char| c.is_ascii_alphabetic());
        let inner = &text[whole.clone()];
        let has_of = inner.to_ascii_lowercase().contains(" of ");
        let weekday = m.s(wg).and_then(weekday_from);
        // A lone weekday abbreviation prefix must be written like one ("Sun," / "SUN" / "sun."), not "sun".
        if let Some(w) = m.s(wg)
            && w.len() <= 4
            && !starts_upper(w)
            && !m.text[m.pos(wg)?.1..].starts_with(['.', ','])
            && year.is_none()
        {
            return None;
        }
        let strong = year.is_some()
            || suffix
            || ordinal_word
            || has_of
            || weekday.is_some()
            || day2.is_some();
        if !month_word_ok(mtok, strong) {
            return None;
        }
        if mdy && ordinal_word && year.is_none() {
            // "August second-quarter": an ordinal word after the month must end the phrase.
            let (t, _) = next_tok(text, whole.end);
            if matches!(t, Tok::Word(_)) || text[whole.end..].starts_with('-') {
                return None;
            }
        }
        if !mdy && ordinal_word && !has_of && day2.is_none() {
            return None; // "the first March meeting"
        }
        if !mdy && !dtok.as_bytes()[0].is_ascii_digit() && glued_left(text, whole.start) {
            return None;
        }
        if dtok.as_bytes()[0].is_ascii_digit() && glued_left(text, m.pos(dg)?.0) {
            return None;
        }
        if year.is_some()
            && glued_right(
                text,
                m.pos(if mdy { g.ay } else { g.by })
                    .map_or(whole.end, |p| p.1),
            )
        {
            return None;
        }
        if day > max_days_in_month(month) {
            return None;
        }
        if let Some(y) = year {
            Date::new(y, month, day).ok()?;
        }
        let start = PartialDate {
            year,
            month: Some(month),
            day: Some(day),
            weekday,
        };
        let end = match day2 {
            Some(d2) => {
                let m2 = month2.unwrap_or(month);
                if d2 > max_days_in_month(m2) || (m2 == month && d2 <= day) {
                    return None;
                }
                if let Some(y) = year {
                    Date::new(y, m2, d2).ok()?;
                }
                Some(PartialDate {
                    year,
                    month: Some(m2),
                    day: Some(d2),
                    weekday: None,
                })
            }
            None => None,
        };
        let kind = if end.is_some() {
            DateKind::Range
        } else {
            DateKind::Absolute
        };
        return raw(whole, kind, What::Cal { start, end });
    }
    if m.has(g.t_my) {
        if glued_left(text, whole.start) || glued_right(text, whole.end) {
            return None;
        }
        let mo: i8 = m.s(g.sm)?.parse().ok()?;
        let y: i16 = m.s(g.sy)?.parse().ok()?;
        let start = PartialDate {
            year: Some(y),
            month: Some(mo),
            ..Default::default()
        };
        return raw(whole, DateKind::Absolute, What::Cal { start, end: None });
    }
    if m.has(g.t_mony) {
        let mtok = m.s(g.cm)?;
        if !month_word_ok(mtok, true)
            || glued_right(text, whole.end)
            || number_before(text, whole.start)
        {
            return None;
        }
        // "may 2024" in lower case is a verb before a number.
        if mtok.eq_ignore_ascii_case("may") && !starts_upper(mtok) {
            return None;
        }
        let y: i16 = m.s(g.cy)?.parse().ok()?;
        let start = PartialDate {
            year: Some(y),
            month: month_from(mtok),
            ..Default::default()
        };
        return raw(whole, DateKind::Absolute, What::Cal { start, end: None });
    }
    if m.has(g.t_yr) {
        if let Some(r) = year_range(m, g, whole.clone()) {
            return Some(r);
        }
        // Not a range ("in 2026 and 2028"): the first year may still stand on its own.
        let (a, b) = m.pos(g.y1)?;
        if !year_context_ok(text, a, b) {
            return None;
        }
        let start = PartialDate {
            year: m.s(g.y1)?.parse().ok(),
            ..Default::default()
        };
        return raw(a..b, DateKind::Absolute, What::Cal { start, end: None });
    }
    if m.has(g.t_y) {
        let (ys, ye) = m.pos(g.yr)?;
        let fy = ys != whole.start;
        if !fy && !year_context_ok(text, ys, ye) {
            return None;
        }
        if fy && (glued_right(text, ye)) {
            return None;
        }
        let y: i16 = m.s(g.yr)?.parse().ok()?;
        let start = PartialDate {
            year: Some(y),
            ..Default::default()
        };
        return raw(whole, DateKind::Absolute, What::Cal { start, end: None });
    }
    if m.has(g.t_rdd) {
        let n = if m.s(g.rdd)?.to_ascii_lowercase().starts_with("before") {
            -2
        } else {
            2
        };
        return raw(whole, DateKind::RelativeToRef, What::RefDays(n));
    }
    if m.has(g.t_rw) {
        let w = m.s(g.rw)?.to_ascii_lowercase();
        let n = if w.starts_with("yesterday") || w.starts_with("last") {
            -1
        } else if w.starts_with("tomorrow") {
            1
        } else {
            0
        };
        return raw(whole, DateKind::RelativeToRef, What::RefDays(n));
    }
    if m.has(g.t_rel) {
        let which = m.s(g.rm)?.to_ascii_lowercase();
        let n = match which.as_str() {
            "last" | "previous" => -1,
            "next" | "coming" => 1,
            _ => 0,
        };
        // "the last year", "the next month": a stretch of time, not a calendar unit.
        if let (Tok::Word(w), _) = prev_tok(text, whole.start)
            && word_in(w, &["the", "past", "over"])
        {
            return raw(whole, DateKind::Duration, What::Nothing);
        }
        let unit = m.s(g.ru)?.to_ascii_lowercase();
        let what = match unit.as_str() {
            "weekend" => What::RefWeek { n, weekend: true },
            "week" => What::RefWeek { n, weekend: false },
            "month" => What::RefMonths(n),
            _ => What::RefYears(n),
        };
        return raw(whole, DateKind::RelativeToRef, what);
    }
    if m.has(g.t_n) {
        let count = count_from(m.s(g.nn)?);
        let unit_s = m.s(g.nu)?.to_ascii_lowercase();
        let mut unit = unit_from(&unit_s);
        let mut count = count;
        if unit_s.starts_with("decade") {
            count = count.map(|c| c * 10);
        }
        if unit == Unit::Week {
            count = count.map(|c| c * 7);
            unit = Unit::Day;
        }
        let dir = m.s(g.nd)?.to_ascii_lowercase();
        let dir: Vec<&str> = dir.split_whitespace().collect();
        let (anchor, sign, base) = match dir.as_slice() {
            ["ago"] => (Anchor::Reference, -1, 0),
            ["from", _] | ["hence"] => (Anchor::Reference, 1, 0),
            ["prior", "to"] => (Anchor::Event, -1, 0),
            [d, base] => {
                let b = match *base {
                    "yesterday" => -1,
                    "tomorrow" => 1,
                    _ => 0,
                };
                (Anchor::Reference, if *d == "before" { -1 } else { 1 }, b)
            }
            ["later"] | ["afterward"] | ["afterwards"] => (Anchor::PreviousDate, 1, 0),
            ["earlier"] => (Anchor::PreviousDate, -1, 0),
            [d] => {
                let d = if *d == "prior" { "before" } else { *d };
                // "a day after …": an event follows; "… a day after." counts from the previous date.
                let sign = if d == "after" { 1 } else { -1 };
                let (t, _) = next_tok(text, whole.end);
                let event =
                    matches!(t, Tok::Word(_)) || matches!(t, Tok::Punct(c) if "\"“‘'(".contains(c));
                (
                    if event {
                        Anchor::Event
                    } else {
                        Anchor::PreviousDate
                    },
                    sign,
                    0,
                )
            }
            _ => return None,
        };
        let Some(c) = count else {
            let kind = if anchor == Anchor::Reference {
                DateKind::RelativeToRef
            } else {
                DateKind::RelativeToAnchor
            };
            return raw(whole, kind, What::Nothing);
        };
        let n = sign * c;
        return match anchor {
            Anchor::Reference => {
                let what = match unit {
                    Unit::Day | Unit::Week => What::RefDays(base + n),
                    Unit::Month if base == 0 => What::RefMonths(n),
                    Unit::Year if base == 0 => What::RefYears(n),
                    _ => What::Nothing,
                };
                raw(whole, DateKind::RelativeToRef, what)
            }
            _ => raw(
                whole,
                DateKind::RelativeToAnchor,
                What::FromAnchor { anchor, n, unit },
            ),
        };
    }
    if m.has(g.t_pd) {
        let which = m.s(g.pdm)?.to_ascii_lowercase();
        let sign = match which.as_str() {
            "next" | "following" => 1,
            "same" => 0,
            _ => -1,
        };
        let u = m.s(g.pdu)?.to_ascii_lowercase();
        let what = match u.as_str() {
            "week" => What::FromAnchor {
                anchor: Anchor::PreviousDate,
                n: sign,
                unit: Unit::Week,
            },
            "weekend" => return raw(whole, DateKind::RelativeToAnchor, What::Nothing),
            "month" => What::FromAnchor {
                anchor: Anchor::PreviousDate,
                n: sign,
                unit: Unit::Month,
            },
            "year" => What::FromAnchor {
                anchor: Anchor::PreviousDate,
                n: sign,
                unit: Unit::Year,
            },
            _ => What::FromAnchor {
                anchor: Anchor::PreviousDate,
                n: sign,
                unit: Unit::Day,
            },
        };
        return raw(whole, DateKind::RelativeToAnchor, what);
    }
    if m.has(g.t_that) {
        let modifier = m.s(g.thm).map(str::to_ascii_lowercase);
        if modifier.is_none() && !m.has(g.ths) {
            let (t, _) = prev_tok(text, whole.start);
            if !matches!(t, Tok::Word(w) if word_in(w, &["on", "in", "during", "by", "until", "of", "later", "earlier"]))
            {
                return None;
            }
        }
        let part = match modifier.as_deref() {
            Some("later") => 1,
            Some("earlier") => -1,
            _ => 0,
        };
        let u = m.s(g.thu)?.to_ascii_lowercase();
        let unit = match u.as_str() {
            "week" => Unit::Week,
            "month" => Unit::Month,
            "year" => Unit::Year,
            _ => Unit::Day,
        };
        let what = if unit == Unit::Day {
            What::FromAnchor {
                anchor: Anchor::PreviousDate,
                n: 0,
                unit: Unit::Day,
            }
        } else {
            What::ThatPeriod { unit, part }
        };
        return raw(whole, DateKind::RelativeToAnchor, what);
    }
    if m.has(g.t_db) {
        let d = m.s(g.dbd)?.to_ascii_lowercase();
        let sign = if d.starts_with("after") { 1 } else { -1 };
        let unit = if m.s(g.dbu)?.eq_ignore_ascii_case("week") {
            7
        } else {
            1
        };
        let (t, _) = next_tok(text, whole.end);
        let event =
            d.ends_with(" to") || matches!(t, Tok::Word(w) if !word_in(w, &["and", "but", "or"]));
        let anchor = if event {
            Anchor::Event
        } else {
            Anchor::PreviousDate
        };
        return raw(
            whole,
            DateKind::RelativeToAnchor,
            What::FromAnchor {
                anchor,
                n: sign * unit,
                unit: Unit::Day,
            },
        );
    }
    if m.has(g.t_wd) {
        let wd = weekday_from(m.s(g.ww)?)?;
        let (wstart, _) = m.pos(g.ww)?;
        let modifier = m.s(g.wm).map(|s| {
            s.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_ascii_lowercase()
        });
        if modifier.is_none() {
            let (t, _) = prev_tok(text, wstart);
            if let Tok::Word(w) = t
                && word_in(
                    w,
                    &[
                        "every", "each", "a", "an", "any", "some", "black", "good", "super", "ash",
                        "cyber", "bloody", "easter", "holy", "maundy", "palm", "shrove", "giving",
                        "small", "fat", "news", "mardi",
                    ],
                )
            {
                return None;
            }
        }
        let week = m.s(g.wk).map(|s| {
            let l = s.to_ascii_lowercase();
            if l.contains("next") || l.contains("following") {
                1
            } else if l.contains("last") || l.contains("previous") {
                -1
            } else {
                0
            }
        });
        let dir = match modifier.as_deref() {
            Some("last" | "past" | "this past" | "previous") => Dir::Last,
            Some("next") => Dir::Next,
            Some("this" | "coming" | "this coming") => Dir::Future,
            _ => {
                if clause_is_future(text, &whole) {
                    Dir::Future
                } else {
                    Dir::Past
                }
            }
        };
        let bare = modifier.is_none() && week.is_none();
        return raw(
            whole,
            DateKind::Weekday,
            What::Weekday {
                wd,
                dir,
                week,
                bare,
            },
        );
    }
    if m.has(g.t_mo) {
        let (ms, me) = m.pos(g.em)?;
        let tok = &text[ms..me];
        if !starts_upper(tok) {
            return None;
        }
        let month = month_from(tok)?;
        if number_before(text, ms) {
            return None; // "32 August": a day no day pattern accepted
        }
        let full = tok.len() > 4 || word_in(tok, &["june", "july"]);
        let (prev, _) = prev_tok(text, ms);
        let hyphen_prefix = ms >= 1
            && text.as_bytes()[ms - 1] == b'-'
            && matches!(prev_tok(text, ms - 1).0, Tok::Word(w) if word_in(w, &["mid", "early", "late"]));
        let prep = match prev {
            Tok::Word(w) => {
                word_in(w, MONTH_PREPS)
                    && !(tok.eq_ignore_ascii_case("may") && word_in(w, &["and", "or"]))
            }
            _ => false,
        };
        let ok = if prep || hyphen_prefix {
            true
        } else if !full || tok.eq_ignore_ascii_case("may") {
            false
        } else {
            // Bare month: not next to a capitalised word ("April Ryan", "Brian May").
            let (next, _) = next_tok(text, me);
            let named_next = matches!(next, Tok::Word(w) if starts_upper(w));
            let named_prev = matches!(prev, Tok::Word(w) if starts_upper(w));
            !named_next && !named_prev
        };
        if !ok {
            return None;
        }
        // A trailing day or year would have been matched by a fuller alternative; a trailing number now is
        // something else ("March 32", "May 151998").
        if let (Tok::Word(w), _) = next_tok(text, me)
            && w.as_bytes()[0].is_ascii_digit()
        {
            return None;
        }
        let dir = match prev {
            Tok::Word(w)
                if w.eq_ignore_ascii_case("last") || w.eq_ignore_ascii_case("previous") =>
            {
                Dir::Last
            }
            Tok::Word(w) if w.eq_ignore_ascii_case("next") || w.eq_ignore_ascii_case("coming") => {
                Dir::Next
            }
            Tok::Word(w) if w.eq_ignore_ascii_case("this") => Dir::This,
            _ => {
                if clause_is_future(text, &whole) {
                    Dir::Future
                } else {
                    Dir::Past
                }
            }
        };
        return raw(whole, DateKind::Absolute, What::MonthOnly { month, dir });
    }
    if m.has(g.t_dur) {
        // "over a year ago" is not a duration.
        if let (Tok::Word(w), _) = next_tok(text, whole.end)
            && word_in(
                w,
                &[
                    "ago", "later", "earlier", "after", "before", "prior", "hence",
                ],
            )
        {
            return None;
        }
        return raw(whole, DateKind::Duration, What::Nothing);
    }
    None
}

/// Drop a final '.' that ends the sentence rather than an abbreviation ("in April." but "in Sept.").
fn trim_sentence_period(text: &str, span: &mut Range<usize>) {
    let inner = &text[span.clone()];
    let Some(head) = inner.strip_suffix('.') else {
        return;
    };
    let word = &head[head
        .trim_end_matches(|c: char| c.is_ascii_alphabetic())
        .len()..];
    let abbreviation = word.len() <= 4
        && !word_in(word, &["may", "june", "july"])
        && (month_from(word).is_some() || weekday_from(word).is_some());
    if !abbreviation {
        span.end -= 1;
    }
}

fn scan(text: &str) -> Vec<Raw> {
    let sc = &*SCANNER;
    let mut locs = sc.re.capture_locations();
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < text.len() {
        let Some(found) = sc.re.captures_read_at(&mut locs, text, pos) else {
            break;
        };
        let whole = found.start()..found.end();
        let m = M { text, locs: &locs };
        match interpret(&m, &sc.g, whole.clone()) {
            Some(mut r) => {
                trim_sentence_period(text, &mut r.span);
                pos = r.span.end.max(whole.start + 1);
                out.push(r);
            }
            None => {
                // Retry just after the start, so a shorter reading can still be found.
                let mut p = whole.start + 1;
                while p < text.len() && !text.is_char_boundary(p) {
                    p += 1;
                }
                pos = p;
            }
        }
        while pos < text.len() && !text.is_char_boundary(pos) {
            pos += 1;
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------------
// Merging neighbours
// ---------------------------------------------------------------------------------------------------

fn gap_is(text: &str, a: &Range<usize>, b: &Range<usize>, allowed: &[&str]) -> Option<String> {
    if a.end > b.start {
        return None;
    }
    let gap = text[a.end..b.start]
        .trim_matches(is_space)
        .to_ascii_lowercase();
    allowed.iter().any(|x| *x == gap).then_some(gap)
}

fn mergeable_point(w: &What) -> bool {
    match w {
        What::Cal { end: None, .. } | What::MonthOnly { .. } => true,
        What::Weekday { bare, .. } => *bare,
        _ => false,
    }
}

fn has_day(w: &What) -> bool {
    matches!(w, What::Cal { start, end: None } if start.has_day())
}

fn merge(text: &str, raws: Vec<Raw>) -> Vec<Raw> {
    // 1. "Thursday, November 7" where the weekday was found on its own.
    let mut out: Vec<Raw> = Vec::with_capacity(raws.len());
    for r in raws {
        if let Some(prev) = out.last_mut()
            && let What::Weekday { wd, week: None, .. } = prev.what
            && let What::Cal { start, end: None } = &r.what
            && start.has_day()
            && start.weekday.is_none()
            && gap_is(text, &prev.span, &r.span, &["", ","]).is_some()
        {
            let start = PartialDate {
                weekday: Some(wd),
                ..*start
            };
            prev.span = prev.span.start..r.span.end;
            prev.kind = DateKind::Absolute;
            prev.what = What::Cal { start, end: None };
            continue;
        }
        out.push(r);
    }
    // 2. "September last year", "June of this year", "March 3 next year".
    let raws = out;
    let mut out: Vec<Raw> = Vec::with_capacity(raws.len());
    for r in raws {
        if let Some(prev) = out.last_mut()
            && let What::RefYears(n) = r.what
            && gap_is(text, &prev.span, &r.span, &["", "of"]).is_some()
        {
            let start = match &prev.what {
                What::MonthOnly { month, .. } => Some(PartialDate {
                    month: Some(*month),
                    ..Default::default()
                }),
                What::Cal { start, end: None } if start.year.is_none() => Some(*start),
                _ => None,
            };
            if let Some(start) = start {
                prev.what = What::CalRefYear { start, n };
                prev.span = prev.span.start..r.span.end;
                prev.kind = DateKind::Absolute;
                continue;
            }
        }
        out.push(r);
    }
    // 3. Ranges between neighbours: "from March to May 2024", "10 August - 12 September 2013".
    let raws = out;
    let mut out: Vec<Raw> = Vec::with_capacity(raws.len());
    for r in raws {
        if let Some(prev) = out.last_mut()
            && mergeable_point(&prev.what)
            && mergeable_point(&r.what)
            && (std::mem::discriminant(&prev.what) == std::mem::discriminant(&r.what)
                || (matches!(prev.what, What::MonthOnly { .. })
                    && matches!(r.what, What::Cal { .. })))
            && let Some(sep) = gap_is(
                text,
                &prev.span,
                &r.span,
                &[
                    "-", "–", "—", "to", "through", "thru", "until", "till", "and",
                ],
            )
        {
            let (pt, pstart) = prev_tok(text, prev.span.start);
            let intro = matches!(pt, Tok::Word(w) if word_in(w, &["from", "between"]));
            let between = matches!(pt, Tok::Word(w) if w.eq_ignore_ascii_case("between"));
            let dash = matches!(sep.as_str(), "-" | "–" | "—");
            let weekdays = matches!(prev.what, What::Weekday { .. });
            let ok = if sep == "and" {
                between
            } else {
                dash || intro || weekdays || (has_day(&prev.what) && has_day(&r.what))
            };
            if ok {
                let start = if intro { pstart } else { prev.span.start };
                let first = std::mem::replace(&mut prev.what, What::Nothing);
                prev.what = What::Pair(Box::new(first), Box::new(r.what));
                prev.span = start..r.span.end;
                prev.kind = DateKind::Range;
                continue;
            }
        }
        out.push(r);
    }
    // 4. "since 2008", "ever since last year".
    for r in &mut out {
        if matches!(
            r.kind,
            DateKind::Absolute | DateKind::Weekday | DateKind::RelativeToRef
        ) && let (Tok::Word(w), start) = prev_tok(text, r.span.start)
            && w.eq_ignore_ascii_case("since")
        {
            r.span.start = start;
            r.kind = DateKind::Since;
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------------
// Resolution
// ---------------------------------------------------------------------------------------------------

struct Resolver<'a> {
    reference: Option<Date>,
    /// Explicit 4-digit years in the text (for weekday + month-day without a reference).
    nearby: &'a [i16],
    /// The closest preceding resolved value.
    prev: Option<DateValue>,
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

    fn resolve(&self, w: &What) -> (Option<DateValue>, Option<Relative>) {
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
                let v = r.and_then(|r| {
                    let mon = add_days(monday_of(r)?, 7 * *n as i64)?;
                    let first = if *weekend { add_days(mon, 5)? } else { mon };
                    coarsen(first, add_days(mon, 6)?)
                });
                (v.map(DateValue::Point), None)
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
                    Unit::Week => base.to_date().and_then(|d| {
                        let mon = add_days(monday_of(d)?, 7 * *n as i64)?;
                        coarsen(mon, add_days(mon, 6)?)
                    }),
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
            What::ThatPeriod { unit, part } => {
                let Some(prev) = self.prev else {
                    return (None, None);
                };
                let base = prev.end();
                let v = match unit {
                    Unit::Week => base.to_date().and_then(|d| {
                        let mon = monday_of(d)?;
                        let sun = add_days(mon, 6)?;
                        match part {
                            1 => coarsen(d, sun),
                            -1 => coarsen(mon, d),
                            _ => coarsen(mon, sun),
                        }
                    }),
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
        if value.is_some() {
            res.prev = value;
        }
        out.push(TemporalExpr {
            span: r.span,
            kind: r.kind,
            value,
            relative,
        });
    }
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

// ---------------------------------------------------------------------------------------------------
// Formatting like an example
// ---------------------------------------------------------------------------------------------------

/// English month names, January first.
pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
/// English weekday names, Monday first.
pub const WEEKDAY_NAMES: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Re-case `word` like `example` (all caps, all lower, or as is).
fn case_like(example: &str, word: &str) -> String {
    let letters: Vec<char> = example.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        word.to_uppercase()
    } else if letters.first().is_some_and(|c| c.is_lowercase()) {
        word.to_lowercase()
    } else {
        word.to_string()
    }
}

fn month_like(example: &str, dotted: bool, m: i8) -> (String, bool) {
    let full = MONTH_NAMES[m as usize - 1];
    let is_full =
        example.len() > 4 || word_in(example, &["june", "july", "may"]) && example.len() >= 3;
    let (name, keep_dot) = if is_full && (example.len() > 4 || !dotted) {
        (full.to_string(), false)
    } else if dotted {
        // AP style: "Jan.", "Feb.", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."; March–July spelled out.
        match m {
            3..=7 => (full.to_string(), false),
            9 => ("Sept".to_string(), true),
            _ => (full[..3].to_string(), true),
        }
    } else if example.len() == 4 && m == 9 {
        ("Sept".to_string(), false)
    } else {
        (full[..3].to_string(), false)
    };
    (case_like(example, &name), keep_dot)
}

fn weekday_like(example: &str, wd: Weekday) -> String {
    let full = WEEKDAY_NAMES[wd.to_monday_zero_offset() as usize];
    let name = if example.len() <= 4 {
        full[..3].to_string()
    } else {
        full.to_string()
    };
    case_like(example, &name)
}

fn ordinal_suffix(d: i8) -> &'static str {
    match (d % 10, d % 100) {
        (1, x) if x != 11 => "st",
        (2, x) if x != 12 => "nd",
        (3, x) if x != 13 => "rd",
        _ => "th",
    }
}

fn day_like(example: &str, d: i8) -> String {
    if !example.as_bytes()[0].is_ascii_digit() {
        return case_like(example, &ordinal_word(d));
    }
    let digits = example.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let mut s = if digits.starts_with('0') {
        format!("{d:02}")
    } else {
        d.to_string()
    };
    if digits.len() != example.len() {
        s.push_str(&case_like(&example[digits.len()..], ordinal_suffix(d)));
    }
    s
}

/// Format a date value in the style of an example expression ("12 June 2021" style → "11 June 2021";
/// "June 12, 2021" → "June 11, 2021"; "2021-06-12" → ISO; "11/25/2024" → "11/26/2024"; "May 2024";
/// "2024"; "Wednesday"; "2023–2028"). Returns None when the example is not a date or the value lacks a
/// part the example shows.
pub fn format_like(example: &str, value: &DateValue) -> Option<String> {
    let sc = &*SCANNER;
    let g = &sc.g;
    let ex = example.trim();
    let mut locs = sc.re.capture_locations();
    sc.re.captures_read_at(&mut locs, ex, 0)?;
    let m = M {
        text: ex,
        locs: &locs,
    };

    if m.has(g.t_yr) {
        let DateValue::Range { start, end } = value else {
            return None;
        };
        let (y1, y2) = (start.year?, end.year?);
        let (a, _) = m.pos(g.y1)?;
        let (b, c) = m.pos(g.y2)?;
        let y2s = if c - b == 2 {
            format!("{:02}", y2 % 100)
        } else {
            y2.to_string()
        };
        return Some(format!(
            "{}{}{}{}{}",
            &ex[..a],
            y1,
            &ex[a + 4..b],
            y2s,
            &ex[c..]
        ));
    }
    let p = match value {
        DateValue::Point(p) => *p,
        DateValue::Range { .. } => return None,
    };
    let weekday = p.weekday.or_else(|| p.to_date().map(|d| d.weekday()));
    // Replacements: (group span, new text).
    let mut reps: Vec<(Range<usize>, String)> = Vec::new();
    let span = |i: usize| m.pos(i).map(|(a, b)| a..b);
    if m.has(g.t_iso) {
        let (Some(y), Some(mo), Some(d)) = (p.year, p.month, p.day) else {
            return None;
        };
        let sep = &ex[span(g.iy)?.end..span(g.im)?.start];
        return Some(format!("{y:04}{sep}{mo:02}{sep}{d:02}"));
    }
    if m.has(g.t_num) {
        let (Some(y), Some(mo), Some(d)) = (p.year, p.month, p.day) else {
            return None;
        };
        let (n1, n2, n3) = (span(g.n1)?, span(g.n2)?, span(g.n3)?);
        let (a, b) = (&ex[n1.clone()], &ex[n2.clone()]);
        let dmy = a.parse::<i8>().ok()? > 12;
        let (first, second) = if dmy { (d, mo) } else { (mo, d) };
        let pad = |n: i8, like: &str| {
            if like.starts_with('0') {
                format!("{n:02}")
            } else {
                n.to_string()
            }
        };
        reps.push((n1, pad(first, a)));
        reps.push((n2, pad(second, b)));
        let ys = if n3.len() == 2 {
            format!("{:02}", y % 100)
        } else {
            y.to_string()
        };
        reps.push((n3, ys));
        if let Some(w) = span(g.nw) {
            reps.push((w.clone(), weekday_like(&ex[w], weekday?)));
        }
    } else if m.has(g.t_mdy) || m.has(g.t_dmy) {
        let mdy = m.has(g.t_mdy);
        let (wg, mg, dg, d2g, yg) = if mdy {
            (g.aw, g.am, g.ad, g.ad2, g.ay)
        } else {
            (g.bw, g.bm, g.bd, g.bd2, g.by)
        };
        // Ranges, two-digit years and proclamation years are not reproduced.
        if m.has(d2g) || (!mdy && m.has(g.by2)) || ex.to_ascii_lowercase().contains("our lord") {
            return None;
        }
        let ms = span(mg)?;
        let dotted = ex[ms.end..].starts_with('.');
        let (name, keep_dot) = month_like(&ex[ms.clone()], dotted, p.month?);
        let mend = if dotted && !keep_dot {
            ms.end + 1
        } else {
            ms.end
        };
        reps.push((ms.start..mend, name));
        let ds = span(dg)?;
        reps.push((ds.clone(), day_like(&ex[ds], p.day?)));
        if let Some(ys) = span(yg) {
            reps.push((ys, p.year?.to_string()));
        }
        if let Some(w) = span(wg) {
            reps.push((w.clone(), weekday_like(&ex[w], weekday?)));
        }
    } else if m.has(g.t_my) {
        let (sm, sy) = (span(g.sm)?, span(g.sy)?);
        let mo = p.month?;
        reps.push((
            sm.clone(),
            if ex[sm.clone()].starts_with('0') {
                format!("{mo:02}")
            } else {
                mo.to_string()
            },
        ));
        reps.push((sy, p.year?.to_string()));
    } else if m.has(g.t_mony) {
        let ms = span(g.cm)?;
        let dotted = ex[ms.end..].starts_with('.');
        let (name, keep_dot) = month_like(&ex[ms.clone()], dotted, p.month?);
        let mend = if dotted && !keep_dot {
            ms.end + 1
        } else {
            ms.end
        };
        reps.push((ms.start..mend, name));
        reps.push((span(g.cy)?, p.year?.to_string()));
    } else if m.has(g.t_y) {
        reps.push((span(g.yr)?, p.year?.to_string()));
    } else if m.has(g.t_wd) {
        let w = span(g.ww)?;
        reps.push((w.clone(), weekday_like(&ex[w], weekday?)));
    } else if m.has(g.t_mo) {
        let ms = span(g.em)?;
        let dotted = ex[ms.end..].starts_with('.');
        let (name, keep_dot) = month_like(&ex[ms.clone()], dotted, p.month?);
        let mend = if dotted && !keep_dot {
            ms.end + 1
        } else {
            ms.end
        };
        reps.push((ms.start..mend, name));
    } else {
        return None;
    }
    reps.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(ex.len() + 8);
    let mut at = 0;
    for (r, s) in reps {
        out.push_str(&ex[at..r.start]);
        out.push_str(&s);
        at = r.end;
    }
    out.push_str(&ex[at..]);
    Some(out)
}

// ---------------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

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
        ("last week", Some("2024-11-28"), "last week", "2024-11"),
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
            "2024-11",
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
        ("due in Sept. and", Some("2024-11-28"), "Sept.", "2024-09"),
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
            "the 21st century",
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
            assert_eq!(found(text, Some("2024-11-28")), vec![], "{text}");
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
        };
        assert_eq!(
            serde_json::to_string(&p).unwrap(),
            r#"{"year":2024,"month":11,"day":7,"weekday":"Thursday"}"#
        );
    }
}
