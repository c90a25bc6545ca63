//! Word-level helpers for the scanner and the interpreter: tokens around a match, month, weekday and number
//! words, calendar arithmetic, and the context checks (the bare-year rule, future-tense clauses).

use super::PartialDate;
use super::raw::Unit;
use crate::extract::tense::first_finite;
use jiff::civil::{Date, Weekday};
use std::ops::Range;

// ---------------------------------------------------------------------------------------------------
// Small text helpers
// ---------------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Tok<'a> {
    Edge,
    Word(&'a str),
    Punct(char),
}

pub(super) fn is_space(c: char) -> bool {
    c.is_whitespace()
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// The token before `pos`, skipping whitespace; its start offset.
pub(super) fn prev_tok(text: &str, pos: usize) -> (Tok<'_>, usize) {
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
pub(super) fn next_tok(text: &str, pos: usize) -> (Tok<'_>, usize) {
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

pub(super) fn word_in(w: &str, list: &[&str]) -> bool {
    list.iter().any(|x| x.eq_ignore_ascii_case(w))
}

pub(super) fn starts_upper(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
}

fn char_after(text: &str, pos: usize) -> Option<char> {
    text[pos..].chars().next()
}

/// Is `pos` glued to a number on the left ("1,2024", "3.2024", "$2024", "#2024", "12/2024")?
pub(super) fn glued_left(text: &str, pos: usize) -> bool {
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
pub(super) fn glued_right(text: &str, pos: usize) -> bool {
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
pub(super) fn number_before(text: &str, pos: usize) -> bool {
    match prev_tok(text, pos).0 {
        Tok::Word(w) => {
            let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
            !digits.is_empty() && digits.len() <= 3 && digits.bytes().all(|b| b.is_ascii_digit())
        }
        _ => false,
    }
}

pub(super) fn month_from(s: &str) -> Option<i8> {
    let l = s.get(..3)?.to_ascii_lowercase();
    let i = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]
    .iter()
    .position(|m| *m == l)?;
    Some(i as i8 + 1)
}

pub(super) fn weekday_from(s: &str) -> Option<Weekday> {
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

pub(super) fn ordinal_word(n: i8) -> String {
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
pub(super) fn day_from(s: &str) -> Option<i8> {
    let digits: &str = s.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        let d: i8 = digits.parse().ok()?;
        return (1..=31).contains(&d).then_some(d);
    }
    ordinal_word_value(s)
}

/// A count in digits or words ("3", "a", "twenty-four"); None for a vague one ("a few").
pub fn count_from(s: &str) -> Option<i32> {
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
pub(super) fn number_words(s: &str) -> Option<i16> {
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

pub(super) fn unit_from(s: &str) -> Unit {
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

pub(super) fn max_days_in_month(m: i8) -> i8 {
    match m {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

pub(super) fn add_days(d: Date, n: i64) -> Option<Date> {
    d.checked_add(jiff::Span::new().try_days(n).ok()?).ok()
}

pub(super) fn add_months(y: i16, m: i8, n: i32) -> (i16, i8) {
    let idx = y as i32 * 12 + (m as i32 - 1) + n;
    (idx.div_euclid(12) as i16, (idx.rem_euclid(12) + 1) as i8)
}

pub(super) fn monday_of(d: Date) -> Option<Date> {
    add_days(d, -(d.weekday().to_monday_zero_offset() as i64))
}

/// The most precise partial date containing every day from `a` to `b`.
pub(super) fn coarsen(a: Date, b: Date) -> Option<PartialDate> {
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
pub(super) const MONTH_PREPS: &[&str] = &[
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

pub(super) fn year_context_ok(text: &str, start: usize, end: usize) -> bool {
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
pub(super) fn clause_is_future(text: &str, span: &Range<usize>) -> bool {
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
                "forthcoming",
                "scheduled",
                "lets",
            ],
        )
    };
    // Intention and schedule before an infinitive ("plans to", "is expected to", "is to"), a schedule before
    // a time ("due in", "slated for"), negated and obligating modals ("won't", "must be").
    let is_future_pair = |a: &str, b: &str| {
        (word_in(b, &["to"])
            && word_in(
                a,
                &[
                    "set",
                    "going",
                    "plans",
                    "plan",
                    "planning",
                    "planned",
                    "expected",
                    "expects",
                    "expect",
                    "slated",
                    "aims",
                    "aim",
                    "intends",
                    "intend",
                    "hopes",
                    "hope",
                    "seeks",
                    "seek",
                    "poised",
                    "likely",
                    "unlikely",
                    "about",
                    "is",
                    "are",
                    "wants",
                    "want",
                    "needs",
                    "need",
                    "intending",
                    "hoping",
                    "aiming",
                ],
            ))
            || (a.eq_ignore_ascii_case("planned") && b.eq_ignore_ascii_case("for"))
            || (word_in(a, &["expected", "due", "slated", "scheduled"])
                && word_in(
                    b,
                    &[
                        "in", "by", "for", "on", "before", "until", "through", "around", "early",
                        "late", "next",
                    ],
                ))
            || (word_in(a, &["should", "must"]) && !word_in(b, &["have", "ve"]))
            || (word_in(a, &["won", "shan"]) && b.eq_ignore_ascii_case("t"))
            || (a.eq_ignore_ascii_case("let") && b.eq_ignore_ascii_case("s"))
    };
    // "due to" before a verb is a schedule ("due to open"), before a noun a cause ("due to the storm",
    // "due to flooding", "due to delays", "due to Covid").
    let is_future_triple = |a: &str, b: &str, c: &str| {
        a.eq_ignore_ascii_case("due")
            && b.eq_ignore_ascii_case("to")
            && !(word_in(c, DETERMINERS)
                || starts_upper(c)
                || c.ends_with("ing")
                || (c.len() > 3 && c.ends_with('s'))
                || c.bytes().all(|b| b.is_ascii_digit()))
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
    let future = |ws: &[&str]| {
        ws.iter().any(|w| is_future_word(w))
            || ws.windows(2).any(|p| is_future_pair(p[0], p[1]))
            || ws.windows(3).any(|p| is_future_triple(p[0], p[1], p[2]))
    };
    if future(lw) {
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
    future(rw)
}

/// Is the part of the clause around `span` in the past tense? The first finite verb of its stretch before
/// the date (back to a comma, dash, colon, semicolon or sentence end) decides, else that of its stretch after
/// the date; a part in the future tense never is ("became public this weekend", "This weekend, the talks
/// collapsed"; not "will be held this weekend"), whatever a neighbouring part says.
pub(super) fn clause_is_past(text: &str, span: &Range<usize>) -> bool {
    const WINDOW: usize = 240;
    let is_stop = |c: char| {
        matches!(
            c,
            '.' | '!' | '?' | ';' | ':' | ',' | '\n' | '—' | '–' | '(' | ')'
        )
    };
    let mut lo = span.start.saturating_sub(WINDOW);
    while !text.is_char_boundary(lo) {
        lo += 1;
    }
    let left = &text[lo..span.start];
    let cut = [
        left.rfind(is_stop)
            .map(|i| i + left[i..].chars().next().map_or(1, char::len_utf8)),
        left.rfind("--").map(|i| i + 2),
        left.rfind(" - ").map(|i| i + 3),
    ]
    .into_iter()
    .flatten()
    .max()
    .unwrap_or(0);
    let mut hi = (span.end + WINDOW).min(text.len());
    while !text.is_char_boundary(hi) {
        hi -= 1;
    }
    // A comma right after a fronted date ("This weekend, the talks collapsed") ends only the adverbial.
    let skip = text[span.end..hi].len() - text[span.end..hi].trim_start_matches([' ', ',']).len();
    let from = span.end + skip;
    let right = &text[from..hi];
    let end = [right.find(is_stop), right.find("--"), right.find(" - ")]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(right.len());
    // The future-tense test reads only this part of the clause, not a neighbouring one.
    let (a, b) = (lo + cut, from + end);
    if clause_is_future(&text[a..b], &(span.start - a..span.end - a)) {
        return false;
    }
    match first_finite(text, &(a..span.start)) {
        Some((_, past)) => past,
        None => first_finite(text, &(from..b)).is_some_and(|(_, past)| past),
    }
}

/// Is an ambiguous lower-case month word ("may", "march", "august", "mar", "aug") used as a month here?
pub(super) fn month_word_ok(tok: &str, strong: bool) -> bool {
    if starts_upper(tok) || strong {
        return true;
    }
    !word_in(tok, &["may", "march", "august", "mar", "aug", "sat", "sun"])
}
