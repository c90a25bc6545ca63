//! The layout of an article's text: headline, dateline, byline and date lines, and boilerplate
//! (sidebars, related-story lists, trailers) that later stages must not read as content.

use std::ops::Range;

use super::meta::parse_date;
use super::read::{Lines, clamp, is_blank, trim_range};

// ---------------------------------------------------------------------------
// Headline
// ---------------------------------------------------------------------------

pub(super) const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];
pub(super) const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
];
/// Abbreviations that end in a period without ending a sentence.
pub(super) const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "gen", "lt", "col", "sgt", "capt", "gov", "sen",
    "rep", "prof", "rev", "no", "vs", "inc", "ltd", "co", "corp", "mt", "ft", "pres", "dept",
];

pub(super) fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

/// `U.S.`, `D.C.`, `J.` and listed abbreviations like `Mr.`.
pub(super) fn is_abbreviation(word: &str) -> bool {
    let w = word.trim_start_matches(|c: char| !c.is_alphanumeric());
    let Some(core) = w.strip_suffix('.') else {
        return false;
    };
    let initials = core
        .split('.')
        .all(|p| p.chars().count() == 1 && p.chars().all(char::is_alphabetic));
    initials || ABBREVIATIONS.contains(&core.to_lowercase().as_str())
}

pub(super) fn strip_closers(s: &str) -> &str {
    s.trim_end_matches(['"', '\'', '”', '’', ')', ']', '*', '_'])
}

/// Whether the line ends like a sentence or a clause (`.`, `,`, `;`, `:`,
/// `…`), not counting a final abbreviation like `U.S.`.
pub(super) fn ends_with_terminal(line: &str) -> bool {
    let s = strip_closers(line.trim_end());
    match s.chars().last() {
        Some('.') => !s.split_whitespace().last().is_some_and(is_abbreviation) || s.ends_with(".."),
        Some(',' | ';' | ':' | '…') => true,
        _ => false,
    }
}

/// Whether a sentence ends inside the line (`Kenya wins. Ruto says`).
pub(super) fn has_sentence_break(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    words.windows(2).any(|w| {
        let end = strip_closers(w[0]);
        let ends = end.ends_with(['.', '!', '?']) && !is_abbreviation(end);
        let next_upper = w[1]
            .chars()
            .find(|c| c.is_alphanumeric())
            .is_some_and(char::is_uppercase);
        ends && next_upper
    })
}

/// Whether a line is only a date (`December 10, 2013`, `Thursday, July 4,
/// 2024`, `2024-10-29`, `Published on July 4, 2024`).
pub fn is_date_line(line: &str) -> bool {
    let line = line.trim();
    if parse_date(line).is_some() {
        return true;
    }
    let tokens: Vec<String> = line
        .split_whitespace()
        .map(|t| t.trim_end_matches([',', '.', '|']).to_lowercase())
        .filter(|t| !t.is_empty())
        .collect();
    if tokens.is_empty() || tokens.len() > 7 {
        return false;
    }
    let is_year = |t: &str| t.len() == 4 && t.chars().all(|c| c.is_ascii_digit());
    let is_day = |t: &str| {
        let digits = ["st", "nd", "rd", "th"]
            .iter()
            .find_map(|suffix| t.strip_suffix(suffix))
            .unwrap_or(t);
        !digits.is_empty()
            && digits.len() <= 2
            && digits.chars().all(|c| c.is_ascii_digit())
            && digits.parse::<u8>().is_ok_and(|d| (1..=31).contains(&d))
    };
    let has_month = tokens.iter().any(|t| MONTHS.contains(&t.as_str()));
    let has_year = tokens.iter().any(|t| is_year(t));
    has_month
        && has_year
        && tokens.iter().all(|t| {
            MONTHS.contains(&t.as_str())
                || WEEKDAYS.contains(&t.as_str())
                || is_year(t)
                || is_day(t)
                || matches!(
                    t.as_str(),
                    "published" | "updated" | "posted" | "on" | "-" | "–"
                )
        })
}

pub(super) fn is_place(part: &str) -> bool {
    part.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && part.chars().count() >= 2
        && part
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | ' ' | '.' | '\'' | '-'))
        && word_count(part) <= 4
}

/// Whether a line opens with a news dateline: `Nairobi, Kenya – …`,
/// `WASHINGTON — …` (the pattern `^[A-Z][\w .'-]+(, [A-Z][\w .'-]+)? [–—-] `,
/// each place part at most four words, an agency like `(Reuters)` allowed
/// before the dash).
pub fn is_dateline(line: &str) -> bool {
    let line = line.trim_start();
    let Some(pos) = [" – ", " — ", " - "]
        .iter()
        .filter_map(|d| line.find(d))
        .min()
    else {
        return false;
    };
    let mut prefix = &line[..pos];
    if prefix.ends_with(')')
        && let Some(open) = prefix.rfind(" (")
        && prefix[open + 2..prefix.len() - 1]
            .chars()
            .all(|c| c.is_alphanumeric() || c == ' ')
    {
        prefix = &prefix[..open];
    }
    let mut parts = prefix.splitn(2, ", ");
    parts.all(is_place)
}

/// `By Jane Doe`, `By |`, `BY STAFF WRITER`.
pub(super) fn is_byline(line: &str) -> bool {
    let mut words = line.split_whitespace();
    let first = words.next().unwrap_or("");
    if !matches!(first, "By" | "BY" | "By:" | "BY:") {
        return false;
    }
    let rest: Vec<&str> = words.collect();
    rest.len() <= 6
        && rest.iter().all(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || !c.is_alphanumeric())
                || matches!(*w, "and" | "de" | "van" | "von" | "al")
        })
}

/// Whether a line reads as a headline: 1–20 words, at most 200 bytes, does
/// not start in lower case, no clause-ending punctuation at its end, no
/// sentence break inside, and not a dateline, a date, a byline or a
/// boilerplate marker.
pub(super) fn is_headline_like(line: &str) -> bool {
    let words = word_count(line);
    (1..=20).contains(&words)
        && line.len() <= 200
        && line
            .chars()
            .find(|c| c.is_alphanumeric())
            .is_some_and(|c| !c.is_lowercase())
        && !ends_with_terminal(line)
        && !has_sentence_break(line)
        && !is_dateline(line)
        && !is_date_line(line)
        && !is_byline(line)
        && marker_kind(line).is_none()
}

/// A Markdown ATX heading (`# Title`): the range of its text.
pub(super) fn markdown_heading(text: &str, line: Range<usize>) -> Option<Range<usize>> {
    let s = &text[line.clone()];
    let hashes = s.len() - s.trim_start_matches('#').len();
    if !(1..=6).contains(&hashes) || !s[hashes..].starts_with([' ', '\t']) {
        return None;
    }
    let inner = line.start + hashes..line.end;
    let inner_text = text[inner.clone()].trim_end().trim_end_matches('#');
    let inner = trim_range(text, inner.start..inner.start + inner_text.len());
    let words = word_count(&text[inner.clone()]);
    (1..=30).contains(&words).then_some(inner)
}

/// Whether line `i` continues on the next line (no blank line between and the
/// next starts in lower case): then line `i` is part of a wrapped paragraph.
pub(super) fn continues(text: &str, lines: &[Range<usize>], i: usize) -> bool {
    lines.get(i + 1).is_some_and(|next| {
        text[next.clone()]
            .trim_start()
            .chars()
            .next()
            .is_some_and(char::is_lowercase)
    })
}

/// The headline at the top of the body, if the text has one: the title and
/// its byte range in `text` (`text[range] == title`).
///
/// The rule: take the first non-blank line of the body.
/// - A Markdown heading (`# Title`) is the headline.
/// - A line of four or more words is the headline if it reads as one: at most
///   20 words, no `.`/`,`/`;`/`:` at its end (`U.S.` is an abbreviation, not a
///   full stop), no sentence break inside, not in lower case, not a dateline
///   (`Nairobi, Kenya – …`), a date, a byline (`By …`) or a boilerplate
///   marker, and not continued by the next line (a wrapped paragraph).
/// - A line of at most three words is the headline when the next non-blank
///   line is a date (`Global markets plunge` / `October 23, 2008`, as in
///   Wikinews). Otherwise it is taken for a section label (`City Affairs`)
///   and skipped when the next non-blank line is a headline of four or more
///   words, which is then the headline; else there is none.
/// - Anything else (a paragraph, a dateline, a date) means no headline.
pub fn headline(text: &str, body: Range<usize>) -> Option<(String, Range<usize>)> {
    let body = clamp(text, body)?;
    let lines: Vec<Range<usize>> = Lines::new(text, body).take(64).collect();
    let nonblank = |from: usize| (from..lines.len()).find(|&i| !is_blank(&text[lines[i].clone()]));
    let found = |r: Range<usize>| Some((text[r.clone()].to_string(), r));
    let first = nonblank(0)?;
    let l1 = trim_range(text, lines[first].clone());
    if let Some(h) = markdown_heading(text, l1.clone()) {
        return found(h);
    }
    let l1_text = &text[l1.clone()];
    if word_count(l1_text) >= 4 {
        return if is_headline_like(l1_text) && !continues(text, &lines, first) {
            found(l1)
        } else {
            None
        };
    }
    let second = nonblank(first + 1)?;
    let l2 = trim_range(text, lines[second].clone());
    let l2_text = &text[l2.clone()];
    if is_date_line(l2_text) {
        return is_headline_like(l1_text).then(|| found(l1)).flatten();
    }
    let is_label = !ends_with_terminal(l1_text)
        && !is_date_line(l1_text)
        && l1_text
            .chars()
            .find(|c| c.is_alphanumeric())
            .is_some_and(|c| !c.is_lowercase());
    if !is_label {
        return None;
    }
    if let Some(h) = markdown_heading(text, l2.clone()) {
        return found(h);
    }
    (word_count(l2_text) >= 4 && is_headline_like(l2_text) && !continues(text, &lines, second))
        .then(|| found(l2))
        .flatten()
}

// ---------------------------------------------------------------------------
// Boilerplate
// ---------------------------------------------------------------------------

/// Lines that start a region running to the end of the text.
pub(super) const START_MARKERS: &[&str] = &[
    "recent stories",
    "related stories",
    "related articles",
    "related posts",
    "related news",
    "related content",
    "read more",
    "more stories",
    "more news",
    "more from this section",
    "most read",
    "most popular",
    "popular stories",
    "top stories",
    "trending",
    "trending now",
    "trending stories",
    "latest news",
    "latest stories",
    "latest posts",
    "you may also like",
    "you might also like",
    "recommended",
    "recommended for you",
    "recommended stories",
    "editor's picks",
    "other stories",
];
/// Short trailer lines: boilerplate at the end of the text, or just before a
/// start marker.
pub(super) const TRAILER_MARKERS: &[&str] = &[
    "reader comments",
    "comments",
    "leave a comment",
    "live updates",
    "share this article",
    "share this story",
    "share this",
    "share",
    "print",
    "tags",
    "advertisement",
];
/// Lines that are boilerplate wherever they stand.
pub(super) const AD_MARKERS: &[&str] = &[
    "advertisement",
    "story continues below advertisement",
    "continue reading the main story",
    "skip advertisement",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Marker {
    Start,
    Trailer,
    Ad,
}

/// Classifies a line that is exactly a boilerplate marker (case-insensitive;
/// Markdown `#`/`*`/`_` decoration and a trailing `:`, `…`, `»` or `›` allowed).
pub(super) fn marker_kind(line: &str) -> Option<Marker> {
    let t = line.trim();
    if t.is_empty() || t.len() > 48 {
        return None;
    }
    let t = t
        .trim_matches(|c: char| matches!(c, '#' | '*' | '_' | '=') || c.is_whitespace())
        .trim_end_matches(|c: char| matches!(c, ':' | '…' | '»' | '›' | '>') || c.is_whitespace());
    let t = t.strip_suffix("...").unwrap_or(t).trim_end();
    let key = t
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .replace('’', "'");
    if START_MARKERS.contains(&key.as_str()) {
        Some(Marker::Start)
    } else if AD_MARKERS.contains(&key.as_str()) {
        Some(Marker::Ad)
    } else if TRAILER_MARKERS.contains(&key.as_str()) {
        Some(Marker::Trailer)
    } else {
        None
    }
}

/// Byte ranges of boilerplate in the body, sorted.
///
/// The rule: the first line that is exactly a start marker ("Recent
/// Stories", "Related Articles", "Read more", "More stories", "Most Read",
/// "Trending", "Latest News", "You may also like", …; case-insensitive,
/// whole line) starts a region that runs to the end of the body. Trailer
/// lines ("Reader comments", "Live Updates", "Comments", "Share", …) are
/// boilerplate when only blank lines and other markers follow them up to that
/// region or to the end of the text; the region is extended back over them.
/// Advertisement lines ("Advertisement", "Story continues below
/// advertisement") are one-line regions wherever they stand. A marker that
/// starts in lower case counts only between blank lines: otherwise it is a
/// word of a hard-wrapped paragraph.
pub fn boilerplate_regions(text: &str, body: Range<usize>) -> Vec<Range<usize>> {
    let Some(body) = clamp(text, body) else {
        return Vec::new();
    };
    let lines: Vec<Range<usize>> = Lines::new(text, body.clone()).collect();
    let blank_at = |i: Option<usize>| {
        i.and_then(|i| lines.get(i))
            .is_none_or(|r| is_blank(&text[r.clone()]))
    };
    let kinds: Vec<Option<Marker>> = lines
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let kind = marker_kind(&text[r.clone()])?;
            // A marker word in lower case between non-blank lines is a piece
            // of a hard-wrapped paragraph ("… are\nrelated\nproducts …").
            let lower = text[r.clone()]
                .chars()
                .find(|c| c.is_alphanumeric())
                .is_some_and(char::is_lowercase);
            let standalone = blank_at(i.checked_sub(1)) && blank_at(Some(i + 1));
            (!lower || standalone).then_some(kind)
        })
        .collect();
    let start = kinds
        .iter()
        .position(|k| *k == Some(Marker::Start))
        .unwrap_or(lines.len());
    let mut first = start;
    let mut k = start;
    while k > 0 {
        let line = &text[lines[k - 1].clone()];
        if is_blank(line) {
            k -= 1;
        } else if kinds[k - 1].is_some() {
            k -= 1;
            first = k;
        } else {
            break;
        }
    }
    let mut regions: Vec<Range<usize>> = lines[..first]
        .iter()
        .zip(&kinds)
        .filter(|(_, kind)| **kind == Some(Marker::Ad))
        .map(|(r, _)| trim_range(text, r.clone()))
        .collect();
    if let Some(line) = lines.get(first) {
        regions.push(trim_range(text, line.clone()).start..body.end);
    }
    regions
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::test_support::*;
    use crate::corpus::*;
    use std::fs;

    // -- headline -----------------------------------------------------------

    #[test]
    fn headline_is_the_first_line_when_it_reads_as_a_headline() {
        let text = seed(SEED_000);
        let (title, range) = headline(&text, 0..text.len()).expect("seed 000 has a headline");
        assert_eq!(
            title,
            "Kenya and U.S. Enhance Defence Ties in Strategic AFRICOM Discussions"
        );
        assert_eq!(&text[range.clone()], title);
        assert_eq!(range.start, 0);
    }

    #[test]
    fn headline_skips_section_label() {
        let text = seed(SEED_001);
        let (title, range) = headline(&text, 0..text.len()).expect("seed 001 has a headline");
        assert_eq!(
            title,
            "Al-Shabaab, global peace feature in Duale meeting with US counterpart Austin"
        );
        assert_eq!(&text[range.clone()], title);
        assert!(text[..range.start].starts_with("City Affairs"));
    }

    #[test]
    fn paragraph_first_line_is_not_a_headline() {
        assert_eq!(headline_of(&seed(SEED_002)), None);
        assert_eq!(headline_of(&seed(SEED_003)), None);
        assert_eq!(
            headline_of("Kenya and the US signed a pact. It covers trade.\nMore text."),
            None
        );
    }

    #[test]
    fn dateline_is_not_a_headline() {
        assert_eq!(headline_of(&seed(SEED_004)), None);
        assert!(is_dateline(
            "Nairobi, Kenya – President William Ruto has held a phone conversation"
        ));
        assert!(is_dateline("WASHINGTON — The Pentagon said on Tuesday"));
        assert!(is_dateline(
            "NAIROBI, Kenya (Reuters) - Kenya's president said"
        ));
        assert!(is_dateline("Port-au-Prince - Gangs attacked"));
        assert!(!is_dateline(
            "Why Nairobi will not come up with new Finance Bill -Sakaja"
        ));
        assert!(!is_dateline(
            "Kenya's president met his counterpart - and signed a pact"
        ));
        assert!(!is_dateline(
            "Al-Shabaab, global peace feature in Duale meeting"
        ));
        // A short line that is a dateline is not a headline either.
        assert_eq!(
            headline_of("Nairobi, Kenya – Ruto meets Trump envoy\n\nText."),
            None
        );
    }

    #[test]
    fn wikinews_title_before_date_line_is_the_headline() {
        let text = "Mary Barra appointed as General Motors chief\nDecember 10, 2013\nThe United States's largest car manufacturer named Mary Barra.\n";
        assert_eq!(
            headline_of(text).as_deref(),
            Some("Mary Barra appointed as General Motors chief")
        );
        // A three-word title is recognised by the date line that follows it.
        let text = "Global markets plunge\nOctober 23, 2008\nStock markets fell sharply today.\n";
        assert_eq!(headline_of(text).as_deref(), Some("Global markets plunge"));
        // A file that opens with its date line has no headline.
        let text = "January 09, 2008\nThe European Commission has forced Apple Inc. to lower its prices.\n";
        assert_eq!(headline_of(text), None);
    }

    #[test]
    fn wrapped_paragraph_line_is_not_a_headline() {
        let text = "Kenya and the United States have agreed to enhance\nsecurity collaboration following a meeting.\n";
        assert_eq!(headline_of(text), None);
    }

    #[test]
    fn short_label_without_a_headline_after_it_gives_none() {
        assert_eq!(
            headline_of(
                "City Affairs\n\nKenya and the US agreed on Tuesday to work together on security.\n"
            ),
            None
        );
        assert_eq!(headline_of("Politics"), None);
    }

    #[test]
    fn byline_and_dates_are_not_headlines() {
        assert_eq!(
            headline_of("By Jane Wanjiru Doe\n\nKenya and the US agreed on security."),
            None
        );
        assert_eq!(
            headline_of("Thursday, July 4, 2024\nCabinet approves pact\n"),
            None
        );
        assert!(is_date_line("Thursday, July 4, 2024"));
        assert!(is_date_line("December 10, 2013"));
        assert!(is_date_line("2024-10-29"));
        assert!(!is_date_line(
            "Cabinet finally approves Kenya-UAE trade pact"
        ));
    }

    #[test]
    fn markdown_heading_is_the_headline() {
        let text = "# Ruto and Blinken meet in New York\n\nPresident Ruto met Secretary Blinken.\n";
        let (title, range) = headline(text, 0..text.len()).expect("heading");
        assert_eq!(title, "Ruto and Blinken meet in New York");
        assert_eq!(&text[range], title);
    }

    #[test]
    fn headline_handles_crlf_and_bom() {
        let text = "\u{feff}Kenya and U.S. Enhance Defence Ties\r\n\r\nBody text here.\r\n";
        let (title, range) = headline(text, 3..text.len()).expect("headline");
        assert_eq!(title, "Kenya and U.S. Enhance Defence Ties");
        assert_eq!(&text[range], title);
    }

    #[test]
    fn headline_with_bad_range_does_not_panic() {
        let text = "Kenya – ü";
        assert_eq!(headline(text, 0..999), None);
        assert_eq!(headline(text, 9..10), None); // not a char boundary
        assert!(boilerplate_regions(text, Range { start: 5, end: 3 }).is_empty());
    }

    // -- boilerplate and dates -------------------------------------------

    #[test]
    fn sidebar_dates_are_boilerplate_not_publication_date() {
        let corpus = load_dir(&fixtures("corpus"));
        let a = corpus.get("001_f5c6b512ca1d2a60").expect("seed 001");
        assert_eq!(a.meta.date, None, "never guessed from the text");
        assert_eq!(a.date(), None);
        assert_eq!(a.boilerplate.len(), 1);
        let region = a.boilerplate[0].clone();
        assert!(a.text[region.clone()].starts_with("Reader comments\n\nRecent Stories"));
        assert_eq!(region.end, a.text.len());
        let sidebar_date = a.text.find("Thursday, July 4, 2024").expect("sidebar date");
        assert!(a.is_boilerplate(sidebar_date));
        assert!(a.text[region.clone()].trim_end().ends_with("Live Updates"));
        // The article's last real paragraph is not boilerplate.
        let last = a
            .text
            .find("Both leaders affirmed")
            .expect("last paragraph");
        assert!(!a.is_boilerplate(last));
        assert!(region.start > last);
    }

    #[test]
    fn seed_articles_have_no_other_boilerplate() {
        let corpus = load_dir(&fixtures("corpus"));
        assert_eq!(corpus.articles.len(), 5);
        assert!(corpus.problems.is_empty(), "{:?}", corpus.problems);
        for a in &corpus.articles {
            if a.id != "001_f5c6b512ca1d2a60" {
                assert!(a.boilerplate.is_empty(), "{}: {:?}", a.id, a.boilerplate);
            }
            assert_eq!(a.meta, ArticleMeta::default());
        }
    }

    #[test]
    fn seed_titles() {
        let corpus = load_dir(&fixtures("corpus"));
        let title = |id: &str| corpus.get(id).and_then(|a| a.title.clone());
        assert_eq!(
            title("000_510b717c5958182e").as_deref(),
            Some("Kenya and U.S. Enhance Defence Ties in Strategic AFRICOM Discussions")
        );
        assert_eq!(
            title("001_f5c6b512ca1d2a60").as_deref(),
            Some("Al-Shabaab, global peace feature in Duale meeting with US counterpart Austin")
        );
        for id in [
            "002_2756358494cc98c9",
            "003_a00dcb4757473e5d",
            "004_ceb739453495012b",
        ] {
            assert_eq!(title(id), None, "{id}");
        }
    }

    #[test]
    fn boilerplate_markers_are_whole_lines_and_case_insensitive() {
        let regions = |t: &str| {
            boilerplate_regions(t, 0..t.len())
                .into_iter()
                .map(|r| t[r].to_string())
                .collect::<Vec<_>>()
        };
        let text = "Kenya signed.\n\nRELATED ARTICLES\nOther story\n";
        assert_eq!(regions(text), ["RELATED ARTICLES\nOther story\n"]);
        let text = "Kenya signed.\n\n## You may also like:\n\n- Other story\n";
        assert_eq!(regions(text), ["## You may also like:\n\n- Other story\n"]);
        // Not whole lines: no boilerplate.
        let text = "Read more about the pact in our explainer.\nTrending topics include trade.\n";
        assert!(regions(text).is_empty());
        // A marker word inside a hard-wrapped paragraph is not a marker.
        let text = "The two agreements are closely\nrelated\nproducts of the same talks.\n";
        assert!(regions(text).is_empty());
        let text = "The two agreements are\nrelated.\n";
        assert!(regions(text).is_empty());
    }

    #[test]
    fn trailer_line_at_the_end_is_boilerplate() {
        let text = "Kenya signed the pact.\n\nLive Updates\n";
        let r = boilerplate_regions(text, 0..text.len());
        assert_eq!(r.len(), 1);
        assert_eq!(&text[r[0].clone()], "Live Updates\n");
        // Not at the end: content.
        let text = "Comments\nKenya signed the pact.\n";
        assert!(boilerplate_regions(text, 0..text.len()).is_empty());
        // Advertisement lines are cut out wherever they stand.
        let text = "Kenya signed.\nAdvertisement\nRuto said.\n";
        let r = boilerplate_regions(text, 0..text.len());
        assert_eq!(
            r.iter().map(|r| &text[r.clone()]).collect::<Vec<_>>(),
            ["Advertisement"]
        );
    }

    #[test]
    fn whitehouse_fixture_has_no_boilerplate() {
        for rel in [WH_ANDREWS, WH_HARRIS, WH_KOREA] {
            let text = fs::read_to_string(fixtures("whitehouse").join(rel)).expect("fixture");
            let (_, body, _) = parse_front_matter(&text);
            assert!(boilerplate_regions(&text, body).is_empty(), "{rel}");
        }
    }
}
