//! Normalisation of one match: the words of a candidate turned into a raw value (a point, a range, a
//! duration or a relative expression) before resolution.

use super::{
    Anchor, DateKind, PartialDate,
    grammar::{G, M},
    interpret_period::{interpret_period, is_period},
    raw::{Dir, Raw, Unit, What},
    words::{
        MONTH_PREPS, Tok, clause_is_future, clause_is_past, count_from, day_from, glued_left,
        glued_right, max_days_in_month, month_from, month_word_ok, next_tok, number_before,
        number_words, prev_tok, starts_upper, unit_from, weekday_from, word_in, year_context_ok,
    },
};
use jiff::civil::Date;
use std::ops::Range;

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

pub(super) fn interpret(m: &M<'_>, g: &G, whole: Range<usize>) -> Option<Raw> {
    let text = m.text;
    let raw = |span: Range<usize>, kind: DateKind, what: What| Some(Raw { span, kind, what });

    if is_period(m, g) {
        return interpret_period(m, g, whole);
    }
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
            period: None,
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
            period: None,
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
                    period: None,
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
            // Deixis follows tense: "became public this weekend", written on a weekday, is the weekend
            // just gone; "will meet this weekend" the coming one.
            "weekend" if n == 0 && clause_is_past(text, &whole) => What::WeekendJustGone,
            "weekend" => What::RefWeek { n, weekend: true },
            "week" => What::RefWeek { n, weekend: false },
            "month" => What::RefMonths(n),
            "decade" => What::RefDecade(n),
            "century" => What::RefCentury(n),
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
            What::ThatPeriod { unit }
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
