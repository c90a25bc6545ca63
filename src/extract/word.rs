//! The words of a clause as statements and tense read them — a figure ("11,188.23", "7"), or a word or
//! name with inner apostrophes and hyphens ("Coca-Cola", "don’t") — found by a hand scanner that yields
//! exactly the matches of `\d[\d,.]*\d|\d|[\p{L}][\p{L}\p{N}]*(?:[’'-][\p{L}\p{N}]+)*`, at a fraction of
//! the regex's cost per word.

use regex::Regex;
use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

/// The class of a character in the word pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    /// `\d`: a decimal digit of any script.
    Digit,
    /// `\p{L}`: a letter.
    Letter,
    /// `\p{N}` but not `\d`: another number ("²", "½").
    Number,
    Other,
}

/// The Unicode classes beyond ASCII, asked of the regex engine itself so they agree with the pattern.
static UNICODE: LazyLock<[Regex; 3]> = LazyLock::new(|| {
    [r"\A\d", r"\A\p{L}", r"\A\p{N}"].map(|p| Regex::new(p).expect("class regex"))
});

fn class(c: char) -> Class {
    if c.is_ascii() {
        return if c.is_ascii_digit() {
            Class::Digit
        } else if c.is_ascii_alphabetic() {
            Class::Letter
        } else {
            Class::Other
        };
    }
    // General punctuation (dashes, curly quotes, spaces): the commonest characters beyond ASCII in prose.
    if ('\u{2000}'..='\u{206f}').contains(&c) {
        return Class::Other;
    }
    let mut buf = [0u8; 4];
    let s: &str = c.encode_utf8(&mut buf);
    let [digit, letter, number] = &*UNICODE;
    if digit.is_match(s) {
        Class::Digit
    } else if letter.is_match(s) {
        Class::Letter
    } else if number.is_match(s) {
        Class::Number
    } else {
        Class::Other
    }
}

/// The byte ranges of the words of `s`, in order (see the module docs).
pub fn words(s: &str) -> Words<'_> {
    Words { s, at: 0 }
}

/// The iterator of [`words`].
pub struct Words<'a> {
    s: &'a str,
    at: usize,
}

impl Words<'_> {
    /// The character at byte `i` and its class, if any.
    fn at(&self, i: usize) -> Option<(char, Class)> {
        let c = self.s[i..].chars().next()?;
        Some((c, class(c)))
    }

    /// The end of a run of letters and numbers starting at `i`.
    fn alnum_run(&self, mut i: usize) -> usize {
        let bytes = self.s.as_bytes();
        while let Some(&b) = bytes.get(i) {
            if b.is_ascii() {
                if !b.is_ascii_alphanumeric() {
                    break;
                }
                i += 1;
                continue;
            }
            match self.at(i) {
                Some((c, k)) if k != Class::Other => i += c.len_utf8(),
                _ => break,
            }
        }
        i
    }

    /// The end of a figure whose first digit ends at `i`: the longest run of digits, commas and points,
    /// back to its last digit.
    fn figure_end(&self, mut i: usize) -> usize {
        let bytes = self.s.as_bytes();
        let mut last_digit = i;
        while let Some(&b) = bytes.get(i) {
            if b.is_ascii_digit() {
                i += 1;
                last_digit = i;
            } else if b == b',' || b == b'.' {
                i += 1;
            } else if b.is_ascii() {
                break;
            } else {
                match self.at(i) {
                    Some((c, Class::Digit)) => {
                        i += c.len_utf8();
                        last_digit = i;
                    }
                    _ => break,
                }
            }
        }
        last_digit
    }
}

impl Iterator for Words<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        let bytes = self.s.as_bytes();
        let mut start = self.at;
        // A word starts at the first digit or letter.
        let first = loop {
            if start >= bytes.len() {
                self.at = start;
                return None;
            }
            let b = bytes[start];
            if b.is_ascii() {
                if b.is_ascii_alphanumeric() {
                    break if b.is_ascii_digit() {
                        Class::Digit
                    } else {
                        Class::Letter
                    };
                }
                start += 1;
                continue;
            }
            let (c, k) = self.at(start)?;
            if matches!(k, Class::Digit | Class::Letter) {
                break k;
            }
            start += c.len_utf8();
        };
        let first_len = if bytes[start].is_ascii() {
            1
        } else {
            self.s[start..].chars().next().map_or(1, char::len_utf8)
        };
        let end = if first == Class::Digit {
            // `\d[\d,.]*\d|\d`
            self.figure_end(start + first_len)
        } else {
            // `[\p{L}][\p{L}\p{N}]*(?:[’'-][\p{L}\p{N}]+)*`
            let mut end = self.alnum_run(start + first_len);
            loop {
                let after = match bytes.get(end) {
                    Some(b'\'' | b'-') => end + 1,
                    Some(0xE2) if self.s[end..].starts_with('’') => end + '’'.len_utf8(),
                    _ => break,
                };
                let run = self.alnum_run(after);
                if run == after {
                    break;
                }
                end = run;
            }
            end
        };
        self.at = end;
        Some(start..end)
    }
}

/// `w` lower-cased as [`str::to_lowercase`] would, borrowed when it has no capital to lower.
pub fn lowered(w: &str) -> Cow<'_, str> {
    if w.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
        Cow::Owned(w.to_lowercase())
    } else {
        Cow::Borrowed(w)
    }
}

/// `f` of `w` lower-cased as [`str::to_lowercase`] would, on the stack for a short ASCII word.
pub fn with_lowered<R>(w: &str, f: impl FnOnce(&str) -> R) -> R {
    // Most words are already lower case: nothing to copy.
    if !w.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
        return f(w);
    }
    let mut buf = [0u8; 32];
    if w.len() <= buf.len() && w.is_ascii() {
        let buf = &mut buf[..w.len()];
        buf.copy_from_slice(w.as_bytes());
        buf.make_ascii_lowercase();
        f(std::str::from_utf8(buf).expect("ASCII is UTF-8"))
    } else {
        f(&w.to_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static PATTERN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\d[\d,.]*\d|\d|[\p{L}][\p{L}\p{N}]*(?:[’'-][\p{L}\p{N}]+)*")
            .expect("word regex")
    });

    fn regex_words(s: &str) -> Vec<Range<usize>> {
        PATTERN.find_iter(s).map(|m| m.range()).collect()
    }

    #[test]
    fn the_scanner_finds_the_words_the_pattern_finds() {
        for s in [
            "",
            "General Motors said it had filed for bankruptcy after losing US$8.6 billion.",
            "closing at 11,188.23, up 1.5% from 9.; 7 1, 2,, 3.. .4 5,6,7,",
            "Coca-Cola’s don't rock-'n'-roll -x x- a’’b a'-b a-’b ’tis",
            "Café São Paulo naïve Zürich Ærø straße ΑΘΗΝΑ Москва 東京 ½ x² 2² ²2 ٣٤٥ a٣ ٣a",
            "“Quoted” — dash – en…ellipsis\u{a0}nbsp\u{200b}zero a\u{301}b e\u{301} \u{301}e",
            "x1 1x 1,x 1.x a1-2 a-1 1-a 9/11 F-35s 0.5-1.5 U.S.-led",
            "ǅemal ᾈ ʰ ⅷ Ⅻ 𝟙𝟚 𝒜b",
        ] {
            let got: Vec<Range<usize>> = words(s).collect();
            assert_eq!(got, regex_words(s), "{s}");
        }
    }

    #[test]
    fn the_scanner_agrees_with_the_pattern_on_random_mixtures() {
        let alphabet: Vec<char> = "aZé1٣²,.'’- —x\u{301}".chars().collect();
        let mut rng = crate::testing::XorShift(0x9e37_79b9_7f4a_7c15);
        for _ in 0..20_000 {
            let n = rng.next() % 24;
            let s = rng.mixture(&alphabet, n, |_| "");
            let got: Vec<Range<usize>> = words(&s).collect();
            assert_eq!(got, regex_words(&s), "{s:?}");
        }
    }

    #[test]
    fn the_fast_paths_class_characters_as_the_pattern_does() {
        // Every other character is classed by the pattern's own classes.
        let [digit, letter, number] = &*UNICODE;
        for c in ('\u{0}'..='\u{7f}').chain('\u{2000}'..='\u{206f}') {
            let mut buf = [0u8; 4];
            let s: &str = c.encode_utf8(&mut buf);
            let expected = if digit.is_match(s) {
                Class::Digit
            } else if letter.is_match(s) {
                Class::Letter
            } else if number.is_match(s) {
                Class::Number
            } else {
                Class::Other
            };
            assert_eq!(class(c), expected, "{c:?}");
        }
    }
}
