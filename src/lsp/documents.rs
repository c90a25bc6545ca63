//! Open documents on ropey: incremental edits applied strictly in arrival order, with editor positions in
//! the negotiated encoding converted to and from the rope here.

use crate::text::PositionEncoding;
use ropey::Rope;
use std::collections::HashMap;
use std::sync::Arc;
use tower_lsp_server::ls_types::{Position, TextDocumentContentChangeEvent, Uri};

/// An open document.
#[derive(Clone, Debug)]
pub struct Document {
    pub rope: Rope,
    pub version: i32,
    /// The text as a string for this version, made on first use.
    text: Option<Arc<String>>,
}

impl Document {
    pub fn new(text: &str, version: i32) -> Self {
        Document {
            rope: Rope::from_str(text),
            version,
            text: None,
        }
    }

    /// The whole text of this version (shared; cheap after the first call).
    pub fn text(&mut self) -> Arc<String> {
        self.text
            .get_or_insert_with(|| Arc::new(self.rope.to_string()))
            .clone()
    }
}

/// A position that is not in the document, clamped to the nearest place that is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clamped;

/// Char index in the rope of an editor position. A character past the end of its line clamps to the line's
/// end; a line past the end clamps to the end of the text (and is reported).
pub fn char_index(rope: &Rope, pos: Position, enc: PositionEncoding) -> (usize, Option<Clamped>) {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return (rope.len_chars(), Some(Clamped));
    }
    let start = rope.line_to_char(line);
    let slice = rope.line(line);
    let mut units = 0usize;
    let mut idx = 0usize;
    for ch in slice.chars() {
        if ch == '\n' || ch == '\r' || units >= pos.character as usize {
            break;
        }
        units += match enc {
            PositionEncoding::Utf8 => ch.len_utf8(),
            PositionEncoding::Utf16 => ch.len_utf16(),
            PositionEncoding::Utf32 => 1,
        };
        idx += 1;
    }
    let clamped = (units < pos.character as usize).then_some(Clamped);
    (start + idx, clamped)
}

/// Why a change could not be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeError {
    NotOpen,
    Stale { have: i32, got: i32 },
}

impl std::fmt::Display for ChangeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChangeError::NotOpen => f.write_str("the document is not open (edit after close?)"),
            ChangeError::Stale { have, got } => {
                write!(
                    f,
                    "version {got} is not newer than the current version {have}"
                )
            }
        }
    }
}

/// The open documents. One writer (the ordered layer) applies changes; readers take snapshots.
#[derive(Default, Debug)]
pub struct Documents {
    docs: HashMap<Uri, Document>,
}

impl Documents {
    pub fn open(&mut self, uri: Uri, text: &str, version: i32) {
        self.docs.insert(uri, Document::new(text, version));
    }

    pub fn close(&mut self, uri: &Uri) -> bool {
        self.docs.remove(uri).is_some()
    }

    /// Apply a batch of content changes (in order) and move to `version`. Returns how many changes had
    /// positions outside the document (clamped).
    pub fn change(
        &mut self,
        uri: &Uri,
        version: i32,
        changes: &[TextDocumentContentChangeEvent],
        enc: PositionEncoding,
    ) -> Result<usize, ChangeError> {
        let doc = self.docs.get_mut(uri).ok_or(ChangeError::NotOpen)?;
        if version <= doc.version {
            return Err(ChangeError::Stale {
                have: doc.version,
                got: version,
            });
        }
        let mut clamped = 0;
        for c in changes {
            match c.range {
                None => doc.rope = Rope::from_str(&c.text),
                Some(r) => {
                    let (mut start, c1) = char_index(&doc.rope, r.start, enc);
                    let (mut end, c2) = char_index(&doc.rope, r.end, enc);
                    clamped += usize::from(c1.is_some()) + usize::from(c2.is_some());
                    if end < start {
                        std::mem::swap(&mut start, &mut end);
                    }
                    doc.rope.remove(start..end);
                    doc.rope.insert(start, &c.text);
                }
            }
        }
        doc.version = version;
        doc.text = None;
        Ok(clamped)
    }

    /// A snapshot of a document: its text and version.
    pub fn snapshot(&mut self, uri: &Uri) -> Option<(Arc<String>, i32)> {
        let d = self.docs.get_mut(uri)?;
        Some((d.text(), d.version))
    }

    pub fn version(&self, uri: &Uri) -> Option<i32> {
        self.docs.get(uri).map(|d| d.version)
    }

    pub fn uris(&self) -> Vec<Uri> {
        self.docs.keys().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;
    use tower_lsp_server::ls_types::Range;

    fn change(sl: u32, sc: u32, el: u32, ec: u32, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range {
                start: Position {
                    line: sl,
                    character: sc,
                },
                end: Position {
                    line: el,
                    character: ec,
                },
            }),
            range_length: None,
            text: text.into(),
        }
    }

    #[test]
    fn emoji_inserted_before_a_name_in_utf16_and_utf8() {
        // After “Kenya’s” and a space: 10 UTF-16 units, 16 UTF-8 bytes.
        for (enc, col) in [
            (PositionEncoding::Utf16, 10u32),
            (PositionEncoding::Utf8, 16),
        ] {
            let uri = Uri::from_str("file:///n.md").unwrap();
            let mut docs = Documents::default();
            docs.open(uri.clone(), "“Kenya’s” Ruto met\n", 1);
            docs.change(&uri, 2, &[change(0, col, 0, col, "🇰🇪 ")], enc)
                .unwrap();
            let (text, v) = docs.snapshot(&uri).unwrap();
            assert_eq!(v, 2);
            assert_eq!(text.as_str(), "“Kenya’s” 🇰🇪 Ruto met\n", "{enc:?}");
        }
    }

    #[test]
    fn stale_versions_and_edits_after_close_are_refused() {
        let uri = Uri::from_str("file:///n.md").unwrap();
        let mut docs = Documents::default();
        docs.open(uri.clone(), "abc", 5);
        assert!(matches!(
            docs.change(&uri, 5, &[change(0, 0, 0, 0, "x")], PositionEncoding::Utf16),
            Err(ChangeError::Stale { .. })
        ));
        docs.close(&uri);
        assert_eq!(
            docs.change(&uri, 6, &[change(0, 0, 0, 0, "x")], PositionEncoding::Utf16),
            Err(ChangeError::NotOpen)
        );
    }

    #[test]
    fn out_of_range_positions_clamp_instead_of_panicking() {
        let uri = Uri::from_str("file:///n.md").unwrap();
        let mut docs = Documents::default();
        docs.open(uri.clone(), "ab\ncd", 1);
        let n = docs
            .change(
                &uri,
                2,
                &[change(1, 99, 7, 3, "!")],
                PositionEncoding::Utf16,
            )
            .unwrap();
        assert_eq!(n, 2);
        assert_eq!(docs.snapshot(&uri).unwrap().0.as_str(), "ab\ncd!");
    }
}
