//! Quotations: text between straight or curly double quotes, with the range of the quoted words.

use crate::text::ByteRange;

/// A quotation found in a text.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Quote {
    /// The quoted words, without the quote marks.
    pub inner: ByteRange,
    /// Including the quote marks.
    pub outer: ByteRange,
}

/// Quotations in `text[range]`. Curly quotes pair “…”; straight quotes pair within a paragraph. An
/// unclosed quotation (a quoted paragraph that runs on) ends at the paragraph break.
pub fn find_quotes(text: &str, range: ByteRange) -> Vec<Quote> {
    let s = &text[range.clone()];
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut open: Option<(usize, char)> = None;
    let mut prev_newline = false;
    let mut i = 0;
    while i < bytes.len() {
        // Most characters are ASCII and no quote: settled on their byte alone.
        let (c, len) = match bytes[i] {
            b'\n' => {
                if prev_newline {
                    open = None;
                }
                prev_newline = true;
                i += 1;
                continue;
            }
            b'"' => ('"', 1),
            b' ' | b'\t' | 0x0B | 0x0C | b'\r' => {
                i += 1;
                continue;
            }
            b if b.is_ascii() => {
                prev_newline = false;
                i += 1;
                continue;
            }
            _ => {
                let c = s[i..].chars().next().expect("a character starts here");
                (c, c.len_utf8())
            }
        };
        if !c.is_whitespace() {
            prev_newline = false;
        }
        match (c, open) {
            ('“', _) => open = Some((i, '”')),
            ('"', None) => open = Some((i, '"')),
            ('”', Some((start, '”'))) | ('"', Some((start, '"'))) | ('"', Some((start, '”'))) =>
            {
                let inner_start = start
                    + open.map_or(1, |(_, _)| {
                        s[start..].chars().next().map_or(1, char::len_utf8)
                    });
                let inner = range.start + inner_start..range.start + i;
                if !text[inner.clone()].trim().is_empty() {
                    out.push(Quote {
                        inner,
                        outer: range.start + start..range.start + i + len,
                    });
                }
                open = None;
            }
            _ => {}
        }
        i += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quotation finder as first written, over `char_indices`: the reference the byte scanner must match.
    fn quotes_by_chars(text: &str, range: ByteRange) -> Vec<Quote> {
        let s = &text[range.clone()];
        let mut out = Vec::new();
        let mut open: Option<(usize, char)> = None;
        let mut prev_newline = false;
        for (i, c) in s.char_indices() {
            if c == '\n' {
                if prev_newline {
                    open = None;
                }
                prev_newline = true;
                continue;
            }
            if !c.is_whitespace() {
                prev_newline = false;
            }
            match (c, open) {
                ('“', _) => open = Some((i, '”')),
                ('"', None) => open = Some((i, '"')),
                ('”', Some((start, '”')))
                | ('"', Some((start, '"')))
                | ('"', Some((start, '”'))) => {
                    let inner_start = start
                        + open.map_or(1, |(_, _)| {
                            s[start..].chars().next().map_or(1, char::len_utf8)
                        });
                    let inner = range.start + inner_start..range.start + i;
                    if !text[inner.clone()].trim().is_empty() {
                        out.push(Quote {
                            inner,
                            outer: range.start + start..range.start + i + c.len_utf8(),
                        });
                    }
                    open = None;
                }
                _ => {}
            }
        }
        out
    }

    #[test]
    fn the_byte_scanner_finds_the_quotes_the_char_scanner_did() {
        for t in [
            "",
            "He said “Kenya has long been one of our partners,” and \"we agree\" today.",
            "“Unclosed here\n\nthen a \"closed one\".",
            "“Runs on\n \u{a0}\n“into” the next\r\n\r\n\"x\" \"  \" “ ” ”stray\" “a\"b”",
            "Zürich — “naïve” \u{2003}\n\u{85}\n\"é\"",
        ] {
            assert_eq!(
                find_quotes(t, 0..t.len()),
                quotes_by_chars(t, 0..t.len()),
                "{t}"
            );
            let padded = format!("a“ {t}");
            let r = "a“ ".len()..padded.len();
            assert_eq!(
                find_quotes(&padded, r.clone()),
                quotes_by_chars(&padded, r),
                "{t}"
            );
        }
    }

    #[test]
    fn the_byte_scanner_finds_the_quotes_of_random_mixtures_as_the_char_scanner_did() {
        let alphabet: Vec<char> = "a\"“”\n \t\r\u{a0}\u{85}é—x".chars().collect();
        let mut rng = crate::testing::XorShift(0x9e37_79b9_7f4a_7c15);
        for _ in 0..20_000 {
            let n = rng.next() % 24;
            let t = rng.mixture(&alphabet, n, |_| "");
            assert_eq!(
                find_quotes(&t, 0..t.len()),
                quotes_by_chars(&t, 0..t.len()),
                "{t:?}"
            );
        }
    }

    fn quoted(t: &str) -> Vec<&str> {
        find_quotes(t, 0..t.len())
            .into_iter()
            .map(|q| &t[q.inner])
            .collect()
    }

    #[test]
    fn curly_and_straight_quotes_are_found() {
        assert_eq!(
            quoted("He said “Kenya has long been one of our partners,” and \"we agree\" today."),
            vec!["Kenya has long been one of our partners,", "we agree"]
        );
    }

    #[test]
    fn unclosed_quote_does_not_run_past_the_paragraph() {
        assert_eq!(
            quoted("“Unclosed here\n\nthen a \"closed one\"."),
            vec!["closed one"]
        );
    }
}
