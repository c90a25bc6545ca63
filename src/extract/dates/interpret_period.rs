//! Normalisation of the period forms of one match: the present ("now"), seasons, decades, centuries and
//! fiscal years, each checked against its context (names like "Spring Street", verbs like "prices fall").

use super::{
    DateKind, Period, Season,
    grammar::{G, M},
    period::{period_value, season_value},
    raw::{Dir, Raw, What},
    words::{
        Tok, clause_is_future, day_from, glued_left, glued_right, next_tok, prev_tok, starts_upper,
        word_in,
    },
};
use std::ops::Range;

/// Is this match one of the period forms handled here?
pub(super) fn is_period(m: &M<'_>, g: &G) -> bool {
    m.has(g.t_fy) || m.has(g.t_dec) || m.has(g.t_cen) || m.has(g.t_sea) || m.has(g.t_now)
}

/// Words before a season without a year that make it a time ("in the summer", "by fall").
const SEASON_PREPS: &[&str] = &[
    "in",
    "during",
    "through",
    "throughout",
    "until",
    "till",
    "by",
    "since",
    "over",
    "before",
    "after",
    "from",
    "for",
    "between",
    "and",
    "or",
];

fn raw(span: Range<usize>, kind: DateKind, what: What) -> Option<Raw> {
    Some(Raw { span, kind, what })
}

fn cal(span: Range<usize>, kind: DateKind, start: super::PartialDate) -> Option<Raw> {
    raw(span, kind, What::Cal { start, end: None })
}

/// A two-digit year after a four-digit one ("2023-24"): the same century, or the next one after "99".
fn second_year(first: i16, s: &str) -> Option<i16> {
    let n: i16 = s.parse().ok()?;
    if s.len() == 4 {
        return Some(n);
    }
    let century = first - first.rem_euclid(100);
    let y = century + n;
    Some(if y < first { y + 100 } else { y })
}

pub(super) fn interpret_period(m: &M<'_>, g: &G, whole: Range<usize>) -> Option<Raw> {
    let text = m.text;
    if m.has(g.t_now) {
        return present(m, g, whole);
    }
    if m.has(g.t_fy) {
        if glued_right(text, whole.end) || text[whole.end..].starts_with(['-', '/']) {
            return None;
        }
        let word = m.s(g.fyw)?.to_ascii_lowercase();
        let short = word == "fy";
        let y1s = m.s(g.fy1)?;
        let y1: i16 = if y1s.len() == 2 {
            // "FY24" only with the abbreviation: "fiscal 24" is a count.
            if !short {
                return None;
            }
            let yy: i16 = y1s.parse().ok()?;
            if yy < 50 { 2000 + yy } else { 1900 + yy }
        } else {
            y1s.parse().ok()?
        };
        let Some(y2s) = m.s(g.fy2) else {
            let p = period_value(Period::FiscalYear {
                first: y1,
                last: y1,
            });
            return cal(whole, DateKind::Absolute, p);
        };
        let sep = m.s(g.fysep)?.trim().to_ascii_lowercase();
        let dash = matches!(sep.as_str(), "-" | "–" | "—" | "/");
        if y2s.len() == 2 && !dash {
            return None;
        }
        let y2 = second_year(y1, y2s)?;
        if y2 <= y1 || y2 - y1 > 10 {
            return None;
        }
        // "fiscal year 2023-24": one fiscal year over two calendar years; "fiscal years 2023-2025", "FY2023
        // to FY2025": several.
        let plural = word.ends_with("years");
        if dash && y2 == y1 + 1 && !plural {
            let p = period_value(Period::FiscalYear {
                first: y1,
                last: y2,
            });
            return cal(whole, DateKind::Absolute, p);
        }
        let fy = |y| period_value(Period::FiscalYear { first: y, last: y });
        return raw(
            whole,
            DateKind::Range,
            What::Cal {
                start: fy(y1),
                end: Some(fy(y2)),
            },
        );
    }
    if m.has(g.t_dec) {
        if glued_left(text, whole.start) || glued_right(text, whole.end) {
            return None;
        }
        if let Some(d) = m.s(g.dec4) {
            let y: i16 = d.parse().ok()?;
            // "1000s of people" cannot match (1500 on); "2000s of" still might: a count.
            if let (Tok::Word(w), _) = next_tok(text, whole.end)
                && w.eq_ignore_ascii_case("of")
                && !matches!(prev_tok(text, whole.start).0, Tok::Word(p) if word_in(p, &["the", "early", "mid", "late"]))
            {
                return None;
            }
            let p = period_value(Period::Decade { decade: y / 10 });
            return cal(whole, DateKind::Absolute, p);
        }
        let yy: i16 = m.s(g.dec2)?.parse().ok()?;
        return raw(whole, DateKind::Absolute, What::ShortDecade(yy));
    }
    if m.has(g.t_cen) {
        let n = i16::from(day_from(m.s(g.cen)?)?);
        if !(1..=30).contains(&n) {
            return None;
        }
        // "the 5th century BC": no era before ours is modelled.
        if let (Tok::Word(w), _) = next_tok(text, whole.end)
            && word_in(w, &["bc", "bce", "b"])
        {
            return None;
        }
        let p = period_value(Period::Century { century: n - 1 });
        return cal(whole, DateKind::Absolute, p);
    }
    if m.has(g.t_sea) {
        return season(m, g, whole);
    }
    None
}

fn present(m: &M<'_>, g: &G, whole: Range<usize>) -> Option<Raw> {
    let text = m.text;
    let word = m.s(g.now)?;
    if word.eq_ignore_ascii_case("now") {
        // "NOW" (an organisation, a headline), "now-defunct", "now that …" (= since), "every now and then".
        if word == "NOW" || text[whole.end..].starts_with('-') {
            return None;
        }
        let (next, next_end) = next_tok(text, whole.end);
        let (prev, _) = prev_tok(text, whole.start);
        if matches!(next, Tok::Word(w) if w.eq_ignore_ascii_case("that"))
            || matches!(prev, Tok::Word(w) if w.eq_ignore_ascii_case("every"))
        {
            return None;
        }
        // "15m from now", "two hours from now": an offset the grammar does not read, not the present ("from
        // now on" is).
        if matches!(prev, Tok::Word(w) if w.eq_ignore_ascii_case("from"))
            && !matches!(next, Tok::Word(w) if w.eq_ignore_ascii_case("on"))
        {
            return None;
        }
        if let Tok::Word(w) = next
            && w.eq_ignore_ascii_case("and")
            && matches!(next_tok(text, next_end).0, Tok::Word(x) if word_in(x, &["then", "again"]))
        {
            return None;
        }
        // A sentence-opening "Now," is a discourse marker, not a time.
        let opens =
            matches!(prev, Tok::Edge) || matches!(prev, Tok::Punct(c) if ".!?:;\"“".contains(c));
        if opens && matches!(next, Tok::Punct(',')) {
            return None;
        }
    }
    // "one of these days" is some day to come.
    if word.to_ascii_lowercase().starts_with("these")
        && matches!(prev_tok(text, whole.start).0, Tok::Word(w) if w.eq_ignore_ascii_case("of"))
    {
        return None;
    }
    raw(whole, DateKind::Present, What::Present)
}

fn season(m: &M<'_>, g: &G, whole: Range<usize>) -> Option<Raw> {
    let text = m.text;
    let (ws, we) = m.pos(g.sea)?;
    let word = &text[ws..we];
    let season = Season::from_word(word)?;
    let modifier = m.s(g.seamod).map(str::to_ascii_lowercase);
    let year: Option<i16> = match (m.s(g.sey), m.s(g.sey3)) {
        (Some(y), _) => Some(y.parse().ok()?),
        (None, Some(yy)) => {
            let yy: i16 = yy.parse().ok()?;
            Some(if yy < 50 { 2000 + yy } else { 1900 + yy })
        }
        _ => None,
    };
    let word_end = if text[we..]
        .get(..4)
        .is_some_and(|t| t.eq_ignore_ascii_case("time"))
    {
        we + 4
    } else {
        we
    };
    let (next, _) = next_tok(text, word_end);
    let (prev, prev_start) = prev_tok(text, whole.start);
    // Names: "Spring Street", "Summer Jones", "Fall River", "the Winter Olympics", "by Winter"; "Arab
    // Spring". A season is written in lower case unless a year or a modifier makes it a heading ("Spring
    // 2024", "This Summer").
    if starts_upper(word)
        && year.is_none()
        && (modifier.is_none() || matches!(next, Tok::Word(w) if starts_upper(w)))
    {
        return None;
    }
    if modifier.is_none()
        && matches!(prev, Tok::Word(w) if starts_upper(w) && !word_in(w, SEASON_PREPS) && !word_in(w, &["the"]))
    {
        return None;
    }
    if text[whole.end..].starts_with(['-', '/']) && year.is_some() {
        return None;
    }
    if year.is_some() && glued_right(text, whole.end) {
        return None;
    }
    if let Some(y) = year {
        // "winter 2023-24": the winter counted in its first year.
        if let Some(y2) = m.s(g.sey2) {
            let y2 = second_year(y, y2)?;
            if y2 != y + 1 {
                return None;
            }
        }
        return cal(whole, DateKind::Absolute, season_value(y, season));
    }
    // Without a year: "the fall of Rome", "the winter of our discontent" are not times.
    if matches!(next, Tok::Word(w) if w.eq_ignore_ascii_case("of")) {
        return None;
    }
    let dir = match modifier.as_deref() {
        Some("last" | "past" | "previous") => Dir::Last,
        Some("next" | "coming") => Dir::Next,
        Some("this" | "current") => Dir::This,
        _ => {
            // A bare season needs a preposition ("in the summer", "by fall", "in early spring").
            let mut p = prev;
            if matches!(p, Tok::Word(w) if w.eq_ignore_ascii_case("the")) {
                p = prev_tok(text, prev_start).0;
            }
            let prep = matches!(p, Tok::Word(w) if word_in(w, SEASON_PREPS));
            if !prep {
                return None;
            }
            if clause_is_future(text, &whole) {
                Dir::Future
            } else {
                Dir::Past
            }
        }
    };
    raw(whole, DateKind::Absolute, What::SeasonRel { season, dir })
}
