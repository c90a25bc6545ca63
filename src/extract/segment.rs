//! Paragraphs, sentences and word tokens with byte ranges, for scraped news text and hard-wrapped releases.

use super::dates::{MONTH_NAMES, WEEKDAY_NAMES};
use super::word::with_lowered;
use crate::text::ByteRange;
use std::sync::LazyLock;

/// A paragraph: a block of text between blank lines, or a single line that stands alone (a heading or a
/// one-line paragraph in a scraped article).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Paragraph {
    pub range: ByteRange,
    /// A short line without final punctuation, followed by more text: a heading or label.
    pub heading: bool,
}

/// A sentence and the paragraph it belongs to.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Sentence {
    pub range: ByteRange,
    pub paragraph: usize,
}

/// Split `text[body]` into paragraphs and sentences.
pub fn segment(text: &str, body: ByteRange) -> (Vec<Paragraph>, Vec<Sentence>) {
    let paragraphs = paragraphs(text, body);
    let mut sentences = Vec::new();
    for (i, p) in paragraphs.iter().enumerate() {
        for range in sentence_ranges(text, p.range.clone()) {
            sentences.push(Sentence {
                range,
                paragraph: i,
            });
        }
    }
    (paragraphs, sentences)
}

/// Lines of `text[range]` as byte ranges without their line endings.
fn lines(text: &str, range: ByteRange) -> impl Iterator<Item = ByteRange> + '_ {
    let base = range.start;
    text[range].split('\n').scan(base, |pos, line| {
        let start = *pos;
        *pos += line.len() + 1;
        let end = start + line.trim_end_matches('\r').len();
        Some(start..end)
    })
}

fn trim_range(text: &str, r: ByteRange) -> ByteRange {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead == s.len() {
        return r.start..r.start;
    }
    r.start + lead..r.end - trail
}

/// Does a line end a sentence (or stand alone as a label)?
fn ends_sentence(line: &str) -> bool {
    let t = line.trim_end();
    let t = t.trim_end_matches(['"', '\'', '”', '’', ')', ']', '*', '_']);
    if !ends_with_stop(t) {
        return false;
    }
    if let Some(stem) = t.strip_suffix('.') {
        // A title or an initial before a hard wrap ("… Chiefs of Staff Gen." / "Mark A. Milley") leads into a
        // name on the next line.
        let word = stem.rsplit(char::is_whitespace).next().unwrap_or("");
        let initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
        if initial || in_lower_list(TITLE_ABBREVIATIONS, word) {
            return false;
        }
    }
    true
}

/// Does the line end with a full stop or other closing punctuation?
fn ends_with_stop(line: &str) -> bool {
    let t = line.trim_end();
    let t = t.trim_end_matches(['"', '\'', '”', '’', ')', ']', '*', '_']);
    t.ends_with(['.', '!', '?', ':', ';'])
}

/// Abbreviated titles, which always come before a name.
const TITLE_ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "gen", "lt", "col", "sgt", "capt", "maj", "adm", "cmdr", "sen", "rep",
    "gov", "rev", "prof", "hon", "amb", "pres",
];

fn is_heading_line(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() || ends_with_stop(t) {
        return false;
    }
    if t.starts_with('#') {
        return true;
    }
    // A long line is no heading: count the words of short ones only.
    t.len() <= 90 && t.split_whitespace().nth(12).is_none()
}

/// The month and weekday names, lower case.
static CALENDAR_NAMES: LazyLock<(Vec<String>, Vec<String>)> = LazyLock::new(|| {
    let lower = |list: &[&str]| list.iter().map(|n| n.to_ascii_lowercase()).collect();
    (lower(&MONTH_NAMES), lower(&WEEKDAY_NAMES))
});

/// A month name (`Some(true)`) or a weekday name (`Some(false)`), full or cut to three or four letters
/// ("Sept", "Tues"), lower case.
fn calendar_word(w: &str) -> Option<bool> {
    let names = |list: &[String]| {
        list.iter()
            .any(|n| n == w || (3..=4).contains(&w.len()) && n.starts_with(w))
    };
    let (months, weekdays) = &*CALENDAR_NAMES;
    if names(months) {
        Some(true)
    } else if names(weekdays) {
        Some(false)
    } else {
        None
    }
}

/// A line that is only a calendar date ("April 27, 2005", "Tuesday, 3 June 2009"): a month name and a
/// number, and nothing but calendar words and numbers.
fn is_date_only(line: &str) -> bool {
    let split = || {
        line.split(|c: char| c.is_whitespace() || matches!(c, ',' | '.'))
            .filter(|w| !w.is_empty())
    };
    // Most lines are prose: count their words before lower-casing any.
    if split().nth(5).is_some() {
        return false;
    }
    let number = |w: &str| {
        let digits = w.trim_end_matches(['s', 't', 'n', 'd', 'r', 'h']);
        !digits.is_empty() && digits.len() <= 4 && digits.chars().all(|c| c.is_ascii_digit())
    };
    // A month name and a number among the words (lower-cased), and nothing else but calendar words.
    let (mut month, mut numbered) = (false, false);
    for w in split() {
        let fits = with_lowered(w, |w| {
            let calendar = calendar_word(w);
            month |= calendar == Some(true);
            let is_number = number(w);
            numbered |= is_number;
            is_number || calendar.is_some()
        });
        if !fits {
            return false;
        }
    }
    month && numbered
}

fn paragraphs(text: &str, body: ByteRange) -> Vec<Paragraph> {
    // Blocks are separated by blank lines. Inside a block, a line break ends a paragraph when the line ends a
    // sentence (scraped articles put one paragraph on each line) or is a short heading followed by a
    // capitalised line; otherwise it is a hard wrap inside a paragraph (briefing-room releases).
    let mut out = Vec::new();
    let all: Vec<ByteRange> = lines(text, body).collect();
    let mut block: Option<ByteRange> = None;
    let mut flush = |block: &mut Option<ByteRange>, heading: bool| {
        if let Some(b) = block.take() {
            let r = trim_range(text, b);
            if !r.is_empty() {
                out.push(Paragraph { range: r, heading });
            }
        }
    };
    for (i, line) in all.iter().enumerate() {
        let s = &text[line.clone()];
        if s.trim().is_empty() {
            flush(&mut block, false);
            continue;
        }
        // A date alone on its line (the date line under a headline) is a label, never part of a sentence:
        // it ends the block before it, and what follows starts afresh.
        if is_date_only(s) {
            flush(&mut block, false);
            block = Some(line.clone());
            flush(&mut block, true);
            continue;
        }
        let next = all.get(i + 1).map(|n| text[n.clone()].trim_start());
        let next_blank = next.is_none_or(str::is_empty);
        let next_capitalised = next.is_some_and(|n| {
            n.starts_with(|c: char| c.is_uppercase() || matches!(c, '#' | '"' | '“' | '*' | '-'))
        });
        let heading = block.is_none()
            && is_heading_line(s)
            && (next_blank || (next_capitalised && s.trim().len() < 50));
        if heading {
            flush(&mut block, false);
            block = Some(line.clone());
            flush(&mut block, !next_blank || s.trim_start().starts_with('#'));
            continue;
        }
        block = Some(match block {
            Some(b) => b.start..line.end,
            None => line.clone(),
        });
        if ends_sentence(s) && next_capitalised {
            flush(&mut block, false);
        }
    }
    flush(&mut block, false);
    out
}

/// Words that may follow an abbreviation without starting a new sentence are the norm; these capitalised
/// words after a dotted acronym ("… the U.S. The mutual …") do start one.
const SENTENCE_STARTERS: &[&str] = &[
    "The",
    "This",
    "That",
    "These",
    "Those",
    "It",
    "Its",
    "He",
    "She",
    "They",
    "We",
    "I",
    "In",
    "On",
    "At",
    "But",
    "And",
    "As",
    "However",
    "Their",
    "His",
    "Her",
    "A",
    "An",
    "There",
    "Both",
    "While",
    "After",
    "Before",
    "During",
    "For",
    "With",
    "Our",
    "Looking",
    "Meanwhile",
    "Today",
    "Yesterday",
];

/// Abbreviations after which a period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "gen", "lt", "col", "sgt", "capt", "maj", "adm", "cmdr", "sen", "rep",
    "gov", "rev", "prof", "st", "jr", "sr", "no", "vs", "etc", "inc", "ltd", "co", "corp", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft",
    "approx", "est", "dept", "univ", "assn", "bros", "gens", "sens", "reps", "hon", "amb", "pres",
    "sec", "fig", "al",
];

fn sentence_ranges(text: &str, para: ByteRange) -> Vec<ByteRange> {
    let s = &text[para.clone()];
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut i = 0usize;
    while i < bytes.len() {
        let b = bytes[i];
        if matches!(b, b'.' | b'!' | b'?') {
            // Extend over repeated terminators and closing quotes/brackets.
            let mut j = i + 1;
            while j < bytes.len()
                && matches!(bytes[j], b'.' | b'!' | b'?' | b'"' | b'\'' | b')' | b']')
            {
                j += 1;
            }
            while j < bytes.len() && s[j..].starts_with(['”', '’']) {
                j += '”'.len_utf8();
            }
            // Must be followed by whitespace, then a sentence-like start.
            let ws_end = j + s[j..].len() - s[j..].trim_start().len();
            if ws_end == j && j < bytes.len() {
                i = j;
                continue;
            }
            if ws_end >= bytes.len() {
                break;
            }
            let next = &s[ws_end..];
            let next_ok = next.starts_with(|c: char| {
                c.is_uppercase()
                    || c.is_ascii_digit()
                    || matches!(c, '"' | '“' | '‘' | '(' | '[' | '*' | '#')
            });
            if next_ok && (b != b'.' || !is_abbreviation(s, i, next)) {
                push_trimmed(text, para.start + start..para.start + j, &mut out);
                start = ws_end;
            }
            i = ws_end;
            continue;
        }
        i += 1;
    }
    push_trimmed(text, para.start + start..para.end, &mut out);
    out
}

fn push_trimmed(text: &str, r: ByteRange, out: &mut Vec<ByteRange>) {
    let r = trim_range(text, r);
    if !r.is_empty() {
        out.push(r);
    }
}

/// Is the period at `dot` part of an abbreviation, an initial or a dotted acronym?
fn is_abbreviation(s: &str, dot: usize, next: &str) -> bool {
    let before = &s[..dot];
    let word_start = before
        .rfind(|c: char| c.is_whitespace() || matches!(c, '(' | '"' | '“' | '‘' | '—' | '–'))
        .map_or(0, |p| {
            p + before[p..].chars().next().map_or(1, char::len_utf8)
        });
    let word = &before[word_start..];
    let next_word: &str = next
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    let starter = SENTENCE_STARTERS.contains(&next_word);
    // A single capital letter: an initial ("Lloyd J. Austin").
    if word.chars().count() == 1 && word.chars().all(char::is_uppercase) {
        return !starter;
    }
    // Dotted acronyms ("U.S.", "D.C.", "a.m."): only a clear sentence starter ends the sentence.
    if word.contains('.') && word.split('.').all(|p| p.chars().count() <= 2) {
        return !starter;
    }
    in_lower_list(ABBREVIATIONS, word)
}

/// Is `word`, lower-cased in ASCII, one of `list` (lower-case ASCII words)?
fn in_lower_list(list: &[&str], word: &str) -> bool {
    list.iter().any(|a| a.eq_ignore_ascii_case(word))
}

/// A word token: letters/digits with inner `.`, `'`, `’`, `-` (so "U.S.", "Ruto’s", "President-elect" are
/// single tokens), or a single punctuation character.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub range: ByteRange,
    pub word: bool,
}

/// The character starting at byte `i` of `s` and its length, ASCII without decoding.
#[inline]
fn char_at(s: &str, i: usize) -> (char, usize) {
    let b = s.as_bytes()[i];
    if b.is_ascii() {
        return (char::from(b), 1);
    }
    let c = s[i..].chars().next().expect("a character starts here");
    (c, c.len_utf8())
}

/// Tokenise `text[range]`.
pub fn tokens(text: &str, range: ByteRange) -> Vec<Token> {
    let s = &text[range.clone()];
    let bytes = s.as_bytes();
    // About one token for every four bytes of prose.
    let mut out = Vec::with_capacity(s.len() / 4 + 1);
    let mut i = 0;
    while i < bytes.len() {
        let (c, len) = char_at(s, i);
        if c.is_whitespace() {
            i += len;
            continue;
        }
        if !c.is_alphanumeric() {
            out.push(Token {
                range: range.start + i..range.start + i + len,
                word: false,
            });
            i += len;
            continue;
        }
        // The word runs to `end`, the byte after its last character taken.
        let mut end = i + len;
        while end < bytes.len() {
            if bytes[end].is_ascii_alphanumeric() {
                end += 1;
                continue;
            }
            let (d, dlen) = char_at(s, end);
            if d.is_alphanumeric() {
                end += dlen;
            } else if matches!(d, '.' | '\'' | '’' | '-' | '&') {
                // Inner punctuation joins only when followed by a letter/digit, except a period that
                // closes an initial or acronym ("J.", "U.S.").
                let rest = &s[end + dlen..];
                let joins = rest.starts_with(|x: char| x.is_alphanumeric());
                let closes_abbrev = d == '.' && {
                    let w = &s[i..end];
                    (w.chars().count() == 1 && w.chars().all(char::is_uppercase))
                        || w.contains('.')
                        || in_lower_list(ABBREVIATIONS, w)
                };
                if !(joins || closes_abbrev) {
                    break;
                }
                end += dlen;
                if !joins {
                    break;
                }
            } else {
                break;
            }
        }
        out.push(Token {
            range: range.start + i..range.start + end,
            word: true,
        });
        i = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The date-line test as first written, over lower-cased copies of the words.
    fn is_date_only_by_copies(line: &str) -> bool {
        let split = || {
            line.split(|c: char| c.is_whitespace() || matches!(c, ',' | '.'))
                .filter(|w| !w.is_empty())
        };
        if split().nth(5).is_some() {
            return false;
        }
        let words: Vec<String> = split().map(str::to_lowercase).collect();
        let number = |w: &str| {
            let digits = w.trim_end_matches(['s', 't', 'n', 'd', 'r', 'h']);
            !digits.is_empty() && digits.len() <= 4 && digits.chars().all(|c| c.is_ascii_digit())
        };
        let month = |w: &str| calendar_word(w) == Some(true);
        words.iter().any(|w| month(w))
            && words.iter().any(|w| number(w))
            && words
                .iter()
                .all(|w| number(w) || calendar_word(w).is_some())
    }

    #[test]
    fn date_lines_are_told_as_the_copying_test_told_them() {
        let pieces = [
            "April", "APRIL", "Sept", "TUES", "Tuesday", "may", "3", "27TH", "2nd", "2005",
            "12345", "the", "İ", "Jul", ",", ".", " ", "\u{a0}", "MARCH", "sun", "1ST",
        ];
        let mut rng = crate::testing::XorShift(0x2545_f491_4f6c_dd1d);
        let mut dated = 0;
        for _ in 0..20_000 {
            let n = rng.next() % 8;
            let line = rng.mixture(&pieces, n, |_| " ");
            let expected = is_date_only_by_copies(&line);
            dated += usize::from(expected);
            assert_eq!(is_date_only(&line), expected, "{line:?}");
        }
        assert!(dated > 100, "{dated}");
    }

    /// The tokeniser as first written, over `char_indices`: the reference the byte scanner must match.
    fn tokens_by_chars(text: &str, range: ByteRange) -> Vec<Token> {
        let s = &text[range.clone()];
        // About one token for every four bytes of prose.
        let mut out = Vec::with_capacity(s.len() / 4 + 1);
        let mut it = s.char_indices().peekable();
        while let Some((i, c)) = it.next() {
            if c.is_whitespace() {
                continue;
            }
            if c.is_alphanumeric() {
                let mut end = i + c.len_utf8();
                while let Some(&(j, d)) = it.peek() {
                    if d.is_alphanumeric() {
                        it.next();
                        end = j + d.len_utf8();
                    } else if matches!(d, '.' | '\'' | '’' | '-' | '&') {
                        // Inner punctuation joins only when followed by a letter/digit, except a period that
                        // closes an initial or acronym ("J.", "U.S.").
                        let rest = &s[j + d.len_utf8()..];
                        let joins = rest.starts_with(|x: char| x.is_alphanumeric());
                        let closes_abbrev = d == '.' && {
                            let w = &s[i..j];
                            (w.chars().count() == 1 && w.chars().all(char::is_uppercase))
                                || w.contains('.')
                                || in_lower_list(ABBREVIATIONS, w)
                        };
                        if joins || closes_abbrev {
                            it.next();
                            end = j + d.len_utf8();
                            if !joins {
                                break;
                            }
                        } else {
                            break;
                        }
                    } else {
                        break;
                    }
                }
                out.push(Token {
                    range: range.start + i..range.start + end,
                    word: true,
                });
            } else {
                out.push(Token {
                    range: range.start + i..range.start + i + c.len_utf8(),
                    word: false,
                });
            }
        }
        out
    }

    #[test]
    fn the_byte_scanner_tokenises_as_the_char_scanner_did() {
        for s in [
            "",
            "U.S. President-elect Donald Trump and Ruto’s team (AFRICOM), Lloyd J. Austin.",
            "Gen. Langley met Mr. Smith at 10 a.m. on Sept. 7 -- the U.N. said; AT&T & Co. rose 3.5%.",
            "don’t won't rock-’n’-roll ’90s 'quote' x.y.z. A. b. É. Ǆ. ß. 11,188.23 e.g.",
            "naïve café Zürich — “Quoted” text… São Paulo ١٢٣ ² ½ Ⅻ\u{a0}nbsp\u{2003}em\u{85}nel",
            "trailing dot. trailing apostrophe' trailing hyphen- trailing amp& end.",
        ] {
            assert_eq!(tokens(s, 0..s.len()), tokens_by_chars(s, 0..s.len()), "{s}");
            let padded = format!("ab {s}");
            assert_eq!(
                tokens(&padded, 3..padded.len()),
                tokens_by_chars(&padded, 3..padded.len()),
                "{s}"
            );
        }
    }

    #[test]
    fn the_byte_scanner_tokenises_random_mixtures_as_the_char_scanner_did() {
        let alphabet: Vec<char> = "aZJé1٣².'’-&  \t\n—\u{a0}\u{301}ǅxSUr(".chars().collect();
        let mut rng = crate::testing::XorShift(0x2545_f491_4f6c_dd1d);
        for _ in 0..20_000 {
            let n = rng.next() % 24;
            let s = rng.mixture(&alphabet, n, |_| "");
            assert_eq!(
                tokens(&s, 0..s.len()),
                tokens_by_chars(&s, 0..s.len()),
                "{s:?}"
            );
        }
    }

    fn sentences_of(text: &str) -> Vec<&str> {
        let (_, s) = segment(text, 0..text.len());
        s.iter().map(|s| &text[s.range.clone()]).collect()
    }

    #[test]
    fn abbreviations_and_initials_do_not_split_sentences() {
        let t = "Kenya met US Secretary of Defense Lloyd J. Austin at the Pentagon. Gen. Langley spoke. The U.S. Africa Command agreed.";
        assert_eq!(
            sentences_of(t),
            vec![
                "Kenya met US Secretary of Defense Lloyd J. Austin at the Pentagon.",
                "Gen. Langley spoke.",
                "The U.S. Africa Command agreed."
            ]
        );
    }

    #[test]
    fn dotted_acronym_before_a_sentence_starter_ends_the_sentence() {
        let t = "a trustworthy partner for the U.S. The mutual benefits are clear.";
        assert_eq!(sentences_of(t).len(), 2);
    }

    #[test]
    fn closing_curly_quote_stays_with_its_sentence() {
        let t = "“Our cooperation is fundamental,” he said. “We agree.” Then they left.";
        assert_eq!(
            sentences_of(t),
            vec![
                "“Our cooperation is fundamental,” he said.",
                "“We agree.”",
                "Then they left."
            ]
        );
    }

    #[test]
    fn one_paragraph_per_line_in_scraped_text_with_headings() {
        let long = "President William Ruto of Kenya engaged in pivotal discussions with U.S. Secretary of State Antony J. Blinken during a high-profile meeting in New York.";
        let t = format!("{long}\nAcknowledging Kenya’s Leadership\n{long}\n");
        let (p, s) = segment(&t, 0..t.len());
        assert_eq!(p.len(), 3);
        assert!(p[1].heading);
        assert_eq!(s.len(), 3);
    }

    #[test]
    fn a_date_line_stands_alone_and_ends_the_label_stack_above_it() {
        let t = "Jet makes first flight longer than most headlines\nApril 27, 2005\nThe jet was revealed in January 2005\nThe jet, the largest, has made its maiden flight.\n";
        let s = sentences_of(t);
        assert_eq!(
            s,
            [
                "Jet makes first flight longer than most headlines",
                "April 27, 2005",
                "The jet was revealed in January 2005",
                "The jet, the largest, has made its maiden flight."
            ]
        );
        for (line, date) in [
            ("April 27, 2005", true),
            ("Tuesday, 3 June 2009", true),
            ("3 June", true),
            ("June 2009 figures", false),
            ("May", false),
            ("The jet was revealed in January 2005", false),
        ] {
            assert_eq!(is_date_only(line), date, "{line}");
        }
    }

    #[test]
    fn a_title_or_initial_at_a_line_end_runs_on_into_the_name() {
        for text in [
            "and Chairman of the Joint Chiefs of Staff Gen.\nMark A. Milley held a joint call.",
            "the call with Lloyd J.\nAustin went well.",
        ] {
            let (paras, sents) = segment(text, 0..text.len());
            assert_eq!((paras.len(), sents.len()), (1, 1), "{text}");
        }
    }

    #[test]
    fn hard_wrapped_lines_join_into_one_sentence() {
        let t = "THE PRESIDENT:  Thank you.  So, listen, one week from today, you will have the chance to make a\ndecision that directly impacts your life.\n\nNext paragraph here.";
        let s = sentences_of(t);
        assert_eq!(
            s[1],
            "So, listen, one week from today, you will have the chance to make a\ndecision that directly impacts your life."
        );
        assert_eq!(s.len(), 3);
    }

    #[test]
    fn wrapped_sentence_joins_even_beside_long_lines() {
        let long = "- **Clean Water:** President Biden believes that every American should be able to drink clean water from every tap in the country.";
        let t = format!(
            "{long}\n\nPresident Biden believes that every American deserves access to\naffordable, high-quality health care. He said so.\n"
        );
        let s = sentences_of(&t);
        assert_eq!(
            s[1],
            "President Biden believes that every American deserves access to\naffordable, high-quality health care."
        );
    }

    #[test]
    fn tokens_keep_acronyms_possessives_and_hyphens() {
        let t = "U.S. President-elect Donald Trump and Ruto’s team (AFRICOM), Lloyd J. Austin.";
        let words: Vec<&str> = tokens(t, 0..t.len())
            .into_iter()
            .filter(|t| t.word)
            .map(|tok| &t[tok.range])
            .collect();
        assert_eq!(
            words,
            vec![
                "U.S.",
                "President-elect",
                "Donald",
                "Trump",
                "and",
                "Ruto’s",
                "team",
                "AFRICOM",
                "Lloyd",
                "J.",
                "Austin"
            ]
        );
    }
}
