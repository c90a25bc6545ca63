//! Candidates: the matches of the grammar over a text, interpreted, and neighbouring candidates merged
//! ("Thursday, November 7", "from March to May 2024", "since 2008").

use super::{
    DateKind, PartialDate,
    grammar::{FIRST, M, SCANNER},
    interpret::interpret,
    raw::{Raw, What},
    words::{Tok, is_space, month_from, prev_tok, weekday_from, word_in},
};
use std::ops::Range;

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

/// The groups of the match of the combined pattern that starts at `start`, by group index of the combined
/// pattern, read with the form that matches there: the first form that matches at a place is the one the
/// combined pattern takes, and its groups are the ones it sets.
fn groups_at(
    text: &str,
    start: usize,
    locs: &mut [Option<regex::CaptureLocations>],
    slots: &mut [Option<(usize, usize)>],
) {
    let sc = &*SCANNER;
    // From the character before the match, so that a word boundary at its start sees that character.
    let (forms, from) = match text[..start].chars().next_back() {
        None => (&*FIRST, 0),
        Some(c) => (&sc.after, start - c.len_utf8()),
    };
    let hay = &text[from..];
    let k = forms
        .set
        .matches(hay)
        .iter()
        .next()
        .expect("a form matches where the combined pattern does");
    let form = forms.one(k);
    // The locations are kept for the forms read after a character, the usual case.
    let mut own = None;
    let locs = if from == start {
        own.insert(form.capture_locations())
    } else {
        locs[k].get_or_insert_with(|| form.capture_locations())
    };
    form.captures_read(locs, hay)
        .expect("the form matches where the set found it");
    for (slot, &(home, local)) in slots.iter_mut().zip(&sc.home) {
        *slot = if home == k {
            locs.get(local).map(|(a, b)| (from + a, from + b))
        } else {
            None
        };
    }
}

pub(super) fn scan(text: &str) -> Vec<Raw> {
    let sc = &*SCANNER;
    let mut locs: Vec<Option<regex::CaptureLocations>> = vec![None; sc.after.len()];
    let mut slots = vec![None; sc.home.len()];
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < text.len() {
        let Some(found) = sc.re.find_at(text, pos) else {
            break;
        };
        let whole = found.start()..found.end();
        groups_at(text, whole.start, &mut locs, &mut slots);
        let m = M {
            text,
            slots: &slots,
        };
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

/// Does the expression carry a period (a season, decade, century or fiscal year)?
fn has_period(w: &What) -> bool {
    matches!(w, What::Cal { start, .. } if start.period.is_some())
}

fn mergeable_point(w: &What) -> bool {
    match w {
        What::Cal { end: None, .. } | What::MonthOnly { .. } => true,
        What::Weekday { bare, .. } => *bare,
        _ => false,
    }
}

pub(super) fn has_day(w: &What) -> bool {
    matches!(w, What::Cal { start, end: None } if start.has_day())
}

pub(super) fn merge(text: &str, raws: Vec<Raw>) -> Vec<Raw> {
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
                What::Cal { start, end: None }
                    if start.year.is_none() && start.period.is_none() =>
                {
                    Some(*start)
                }
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
            && has_period(&prev.what) == has_period(&r.what)
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
    // 4. "the week of March 3", "the week beginning 3 March": the week of that day.
    for r in &mut out {
        if !has_day(&r.what) {
            continue;
        }
        let (t1, s1) = prev_tok(text, r.span.start);
        if !matches!(t1, Tok::Word(w) if word_in(w, &["of", "beginning", "starting", "ending", "commencing"]))
        {
            continue;
        }
        let (t2, s2) = prev_tok(text, s1);
        if !matches!(t2, Tok::Word(w) if w.eq_ignore_ascii_case("week")) {
            continue;
        }
        let start = match prev_tok(text, s2) {
            (Tok::Word(w), s3) if word_in(w, &["the", "that"]) => s3,
            _ => s2,
        };
        let inner = std::mem::replace(&mut r.what, What::Nothing);
        r.what = What::WeekOf(Box::new(inner));
        r.span.start = start;
        r.kind = DateKind::Absolute;
    }
    // 5. "since 2008", "ever since last year".
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

#[cfg(test)]
mod tests {
    use super::*;

    type Groups = Vec<Option<(usize, usize)>>;

    /// Every match from every start after the previous match's start, with its groups as the combined
    /// pattern's own captures give them.
    fn by_combined(text: &str) -> Vec<Groups> {
        let sc = &*SCANNER;
        let mut locs = sc.re.capture_locations();
        let mut out = Vec::new();
        let mut pos = 0;
        while pos < text.len() {
            let Some(found) = sc.re.captures_read_at(&mut locs, text, pos) else {
                break;
            };
            out.push(
                (0..locs.len())
                    .map(|i| (i > 0).then(|| locs.get(i)).flatten())
                    .collect(),
            );
            pos = found.start()
                + text[found.start()..]
                    .chars()
                    .next()
                    .map_or(1, char::len_utf8);
        }
        out
    }

    /// The same matches with their groups read by the forms.
    fn by_forms(text: &str) -> Vec<Groups> {
        let sc = &*SCANNER;
        let mut locs = vec![None; sc.after.len()];
        let mut slots = vec![None; sc.home.len()];
        let mut out = Vec::new();
        let mut pos = 0;
        while pos < text.len() {
            let Some(found) = sc.re.find_at(text, pos) else {
                break;
            };
            groups_at(text, found.start(), &mut locs, &mut slots);
            out.push(slots.clone());
            pos = found.start()
                + text[found.start()..]
                    .chars()
                    .next()
                    .map_or(1, char::len_utf8);
        }
        out
    }

    #[test]
    fn the_forms_read_the_groups_the_combined_pattern_reads_in_the_fixture_texts() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut dirs = vec![root];
        let mut texts = 0;
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("fixture folder") {
                let path = entry.expect("fixture entry").path();
                if path.is_dir() {
                    dirs.push(path);
                } else if let Ok(text) = std::fs::read_to_string(&path) {
                    assert_eq!(by_forms(&text), by_combined(&text), "{}", path.display());
                    texts += 1;
                }
            }
        }
        assert!(texts > 100, "{texts}");
    }

    #[test]
    fn the_forms_read_the_groups_the_combined_pattern_reads_in_random_text() {
        let pieces = [
            "May",
            "may",
            "Sept.",
            "3",
            "3rd",
            "2024",
            "24",
            "1990s",
            "'90s",
            "’",
            "the",
            "of",
            "last",
            "next",
            "week",
            "Monday",
            "Mon",
            "day",
            "days",
            "ago",
            "a",
            "two",
            "for",
            "fiscal",
            "FY",
            "spring",
            "now",
            "today",
            "that",
            "-",
            "–",
            "/",
            ".",
            ",",
            " ",
            "\u{a0}",
            "\n",
            "x",
            "é",
            "early",
            "century",
            "21st",
            "between",
            "and",
            "to",
            "T10:22:00Z",
            "12/25/2024",
        ];
        let mut rng = crate::testing::XorShift(0x9e37_79b9_7f4a_7c15);
        let mut matches = 0;
        for _ in 0..20_000 {
            let n = rng.next() % 12;
            let s = rng.mixture(
                &pieces,
                n,
                |seed| if seed.is_multiple_of(3) { "" } else { " " },
            );
            let expected = by_combined(&s);
            matches += expected.len();
            assert_eq!(by_forms(&s), expected, "{s:?}");
        }
        assert!(matches > 10_000, "{matches}");
    }
}
