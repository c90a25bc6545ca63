//! Formatting a date value in the style of an example from a note ("Nov. 7", "7 November 2024").

use super::{
    DateValue,
    grammar::{M, SCANNER},
    words::{ordinal_word, word_in},
};
use jiff::civil::Weekday;
use std::ops::Range;

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

/// The replacement of the month name at `ms` in the example: its range (with the abbreviation's dot, when the
/// month written in its place drops it) and the month `m` written like it.
fn month_rep(ex: &str, ms: std::ops::Range<usize>, m: i8) -> (std::ops::Range<usize>, String) {
    let dotted = ex[ms.end..].starts_with('.');
    let (name, keep_dot) = month_like(&ex[ms.clone()], dotted, m);
    let end = if dotted && !keep_dot {
        ms.end + 1
    } else {
        ms.end
    };
    (ms.start..end, name)
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
    let slots: Vec<Option<(usize, usize)>> = (0..locs.len()).map(|i| locs.get(i)).collect();
    let m = M {
        text: ex,
        slots: &slots,
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
        reps.push(month_rep(ex, ms, p.month?));
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
        reps.push(month_rep(ex, ms, p.month?));
        reps.push((span(g.cy)?, p.year?.to_string()));
    } else if m.has(g.t_y) {
        reps.push((span(g.yr)?, p.year?.to_string()));
    } else if m.has(g.t_wd) {
        let w = span(g.ww)?;
        reps.push((w.clone(), weekday_like(&ex[w], weekday?)));
    } else if m.has(g.t_mo) {
        let ms = span(g.em)?;
        reps.push(month_rep(ex, ms, p.month?));
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
