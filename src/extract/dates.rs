//! TEMPORARY placeholder for the date extractor being written in parallel; replaced before commit.
use jiff::civil::{Date, Weekday};
use std::ops::Range;
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct PartialDate {
    pub year: Option<i16>,
    pub month: Option<i8>,
    pub day: Option<i8>,
    pub weekday: Option<Weekday>,
}
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DateValue {
    Point(PartialDate),
    Range {
        start: PartialDate,
        end: PartialDate,
    },
}
impl DateValue {
    pub fn to_iso(&self) -> String {
        String::new()
    }
    pub fn conflicts_with(&self, _o: &DateValue) -> bool {
        false
    }
    pub fn agrees_with(&self, _o: &DateValue) -> bool {
        false
    }
}
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    Reference,
    PreviousDate,
    Event,
}
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Relative {
    pub anchor: Anchor,
    pub days: i32,
}
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateKind {
    Absolute,
    Weekday,
    RelativeToRef,
    RelativeToAnchor,
    Since,
    Range,
    Duration,
}
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemporalExpr {
    pub span: Range<usize>,
    pub kind: DateKind,
    pub value: Option<DateValue>,
    pub relative: Option<Relative>,
}
#[derive(Clone, Copy, Debug, Default)]
pub struct DateContext {
    pub reference: Option<Date>,
}
pub fn find_dates(_text: &str, _ctx: &DateContext) -> Vec<TemporalExpr> {
    Vec::new()
}
pub fn shift(_value: &DateValue, _days: i32) -> Option<DateValue> {
    None
}
pub fn format_like(_example: &str, _value: &DateValue) -> Option<String> {
    None
}
