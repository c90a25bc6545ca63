//! Where a sentence breaks into clauses — a semicolon or colon, ", and", ", but", ", while", ", whereas",
//! ", then", "and then" and, for statements, a spaced dash — found by a hand scanner that yields exactly the
//! matches of `[;:]\s+|,\s+(?:and|but|while|whereas|and then|then)\s+|\s+and then\s+|\s+[—–]\s+` (the last
//! alternative only with dashes), at a fraction of the regex's cost per sentence.

use std::ops::Range;

/// `\s`: a character with the Unicode White_Space property.
fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// The end of the run of white space starting at byte `i` (`i` itself when there is none).
fn space_end(s: &str, mut i: usize) -> usize {
    let bytes = s.as_bytes();
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii() {
            if !matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') {
                break;
            }
            i += 1;
            continue;
        }
        match s[i..].chars().next() {
            Some(c) if is_space(c) => i += c.len_utf8(),
            _ => break,
        }
    }
    i
}

/// The end of `word` and the white space after it, when `s[i..]` starts with both.
fn word_then_space(s: &str, i: usize, word: &str) -> Option<usize> {
    if !s[i..].starts_with(word) {
        return None;
    }
    let after = i + word.len();
    let end = space_end(s, after);
    (end > after).then_some(end)
}

/// The break that starts at byte `i`, if any: its end.
fn break_at(s: &str, i: usize, dashes: bool) -> Option<usize> {
    match s.as_bytes()[i] {
        b';' | b':' => {
            let end = space_end(s, i + 1);
            (end > i + 1).then_some(end)
        }
        b',' => {
            let word = space_end(s, i + 1);
            if word == i + 1 {
                return None;
            }
            ["and", "but", "while", "whereas", "and then", "then"]
                .iter()
                .find_map(|w| word_then_space(s, word, w))
        }
        _ => {
            let word = space_end(s, i);
            if word == i {
                return None;
            }
            word_then_space(s, word, "and then").or_else(|| {
                let dash = ['—', '–'].into_iter().find(|d| s[word..].starts_with(*d))?;
                let after = word + dash.len_utf8();
                let end = space_end(s, after);
                (dashes && end > after).then_some(end)
            })
        }
    }
}

/// The bytes a break can start at: `;`, `:`, `,`, ASCII white space and the leading bytes beyond ASCII.
static MAY_START: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = matches!(
            b as u8,
            b';' | b':' | b',' | b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'
        ) || b >= 0x80;
        b += 1;
    }
    table
};

/// The clause breaks of `s`, in order, as byte ranges; a spaced dash breaks only when `dashes` is set.
pub fn clause_breaks(s: &str, dashes: bool) -> impl Iterator<Item = Range<usize>> + '_ {
    let bytes = s.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        let mut i = at;
        loop {
            // Only punctuation, white space and characters beyond ASCII can start a break: skip the rest.
            i += bytes[i..]
                .iter()
                .position(|&b| MAY_START[usize::from(b)])
                .unwrap_or(bytes.len() - i);
            let Some(&b) = bytes.get(i) else { break };
            let space_len = match b {
                b';' | b':' | b',' => {
                    if let Some(end) = break_at(s, i, dashes) {
                        at = end;
                        return Some(i..end);
                    }
                    i += 1;
                    continue;
                }
                b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' => 1,
                0..=0x7f => {
                    i += 1;
                    continue;
                }
                _ => {
                    let c = s[i..].chars().next().unwrap_or('.');
                    if !is_space(c) {
                        i += c.len_utf8();
                        continue;
                    }
                    c.len_utf8()
                }
            };
            // White space breaks only before "and then" or a dash; no later position of its run starts a
            // break where its first did not.
            let end = space_end(s, i + space_len);
            if matches!(bytes.get(end), Some(b'a' | 0xe2))
                && let Some(found) = break_at(s, i, dashes)
            {
                at = found;
                return Some(i..found);
            }
            i = end;
        }
        at = s.len();
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    fn regex_breaks(re: &Regex, s: &str) -> Vec<Range<usize>> {
        re.find_iter(s).map(|m| m.range()).collect()
    }

    #[test]
    fn the_scanner_breaks_where_the_patterns_break() {
        let statements = Regex::new(
            r"[;:]\s+|,\s+(?:and|but|while|whereas|and then|then)\s+|\s+and then\s+|\s+[—–]\s+",
        )
        .expect("statements regex");
        let facts =
            Regex::new(r"[;:]\s+|,\s+(?:and|but|while|whereas|and then|then)\s+|\s+and then\s+")
                .expect("facts regex");
        let pieces = [
            "a",
            ";",
            ":",
            ",",
            " ",
            "  ",
            "\u{a0}",
            "\n",
            "\u{2003}",
            "and",
            "and then",
            "then",
            "but",
            "while",
            "whereas",
            "wherever",
            "andrew",
            "—",
            "–",
            "-",
            "x",
            "é",
            "thenceforth",
        ];
        let mut rng = crate::testing::XorShift(0x2545_f491_4f6c_dd1d);
        for _ in 0..30_000 {
            let n = rng.next() % 12;
            let s = rng.mixture(&pieces, n, |_| "");
            let with: Vec<Range<usize>> = clause_breaks(&s, true).collect();
            assert_eq!(with, regex_breaks(&statements, &s), "{s:?}");
            let without: Vec<Range<usize>> = clause_breaks(&s, false).collect();
            assert_eq!(without, regex_breaks(&facts, &s), "{s:?}");
        }
    }

    #[test]
    fn white_space_is_the_patterns_white_space() {
        let space = Regex::new(r"\A\s\z").expect("space regex");
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let mut buf = [0u8; 4];
            let s: &str = c.encode_utf8(&mut buf);
            assert_eq!(space_end(s, 0) == s.len(), space.is_match(s), "{c:?}");
        }
    }
}
