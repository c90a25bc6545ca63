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

#[cfg(test)]
mod tests {
    use super::*;

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
