//! Open documents on ropey: incremental edits applied strictly in arrival order, with editor positions in
//! the negotiated encoding converted to and from the rope here.

use crate::text::PositionEncoding;
use ropey::Rope;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use tower_lsp_server::ls_types::{Position, TextDocumentContentChangeEvent, Uri};

/// An open document.
#[derive(Clone, Debug)]
pub struct Document {
    pub rope: Rope,
    pub version: i32,
    /// Identifies this text: unique over the server's life (across changes, reopening, and clients that
    /// reuse version numbers), and growing with every change.
    pub revision: u64,
}

/// The next revision number.
fn next_revision() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

impl Document {
    pub fn new(text: &str, version: i32) -> Self {
        Document {
            rope: Rope::from_str(text),
            version,
            revision: next_revision(),
        }
    }
}

/// One version of a document's text: a rope (cheap to take, in the ordered layer) made into a string only
/// when a request's work runs.
#[derive(Clone, Debug)]
pub struct DocSnapshot {
    rope: Rope,
    pub version: i32,
    pub revision: u64,
}

impl DocSnapshot {
    /// The text as a string.
    pub fn text(&self) -> Arc<String> {
        Arc::new(self.rope.to_string())
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.rope.len_bytes()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A position that is not in the document, clamped to the nearest place that is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clamped;

/// Char index in the rope of an editor position. A character past the end of its line clamps to the line's
/// end; a line past the end clamps to the end of the text (and is reported). Lines end at `\n`, `\r\n` and
/// `\r` only (ropey's `cr_lines`), as in the protocol. O(log n), however long the line.
pub fn char_index(rope: &Rope, pos: Position, enc: PositionEncoding) -> (usize, Option<Clamped>) {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return (rope.len_chars(), Some(Clamped));
    }
    let start = rope.line_to_char(line);
    let slice = rope.line(line);
    let mut len = slice.len_chars();
    for _ in 0..2 {
        if len > 0 && matches!(slice.char(len - 1), '\n' | '\r') {
            len -= 1;
        }
    }
    let end = start + len;
    let character = pos.character as usize;
    let (idx, units_to_end) = match enc {
        PositionEncoding::Utf32 => ((start + character).min(end), end - start),
        PositionEncoding::Utf8 => {
            let (s, e) = (rope.char_to_byte(start), rope.char_to_byte(end));
            let target = (s + character).min(e);
            let mut c = rope.byte_to_char(target);
            if rope.char_to_byte(c) < target {
                c += 1;
            }
            (c, e - s)
        }
        PositionEncoding::Utf16 => {
            let (s, e) = (rope.char_to_utf16_cu(start), rope.char_to_utf16_cu(end));
            let target = (s + character).min(e);
            let mut c = rope.utf16_cu_to_char(target);
            if rope.char_to_utf16_cu(c) < target {
                c += 1;
            }
            (c, e - s)
        }
    };
    let clamped = (character > units_to_end).then_some(Clamped);
    (idx.min(end), clamped)
}

/// Why a change could not be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeError {
    NotOpen,
}

impl std::fmt::Display for ChangeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChangeError::NotOpen => f.write_str("the document is not open (edit after close?)"),
        }
    }
}

/// What applying a change did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// Change positions outside the document, clamped.
    pub clamped: usize,
    /// The version before, when the new one is not newer (applied anyway: the edits are what the editor did).
    pub not_newer_than: Option<i32>,
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

    /// Apply a batch of content changes (in order) and move to `version`. A version that does not go up is
    /// still applied, so that the text stays the editor's; the caller says so to the user.
    pub fn change(
        &mut self,
        uri: &Uri,
        version: i32,
        changes: &[TextDocumentContentChangeEvent],
        enc: PositionEncoding,
    ) -> Result<Applied, ChangeError> {
        let doc = self.docs.get_mut(uri).ok_or(ChangeError::NotOpen)?;
        let not_newer_than = (version <= doc.version).then_some(doc.version);
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
        doc.revision = next_revision();
        Ok(Applied {
            clamped,
            not_newer_than,
        })
    }

    /// A snapshot of a document: its text, version and revision. O(1): the rope is shared.
    pub fn snapshot(&self, uri: &Uri) -> Option<DocSnapshot> {
        let d = self.docs.get(uri)?;
        Some(DocSnapshot {
            rope: d.rope.clone(),
            version: d.version,
            revision: d.revision,
        })
    }

    pub fn version(&self, uri: &Uri) -> Option<i32> {
        self.docs.get(uri).map(|d| d.version)
    }

    pub fn revision(&self, uri: &Uri) -> Option<u64> {
        self.docs.get(uri).map(|d| d.revision)
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
            let snap = docs.snapshot(&uri).unwrap();
            assert_eq!(snap.version, 2);
            assert_eq!(snap.text().as_str(), "“Kenya’s” 🇰🇪 Ruto met\n", "{enc:?}");
        }
    }

    #[test]
    fn versions_going_backwards_are_applied_and_reported_edits_after_close_refused() {
        let uri = Uri::from_str("file:///n.md").unwrap();
        let mut docs = Documents::default();
        docs.open(uri.clone(), "abc", 5);
        let applied = docs
            .change(&uri, 4, &[change(0, 0, 0, 0, "x")], PositionEncoding::Utf16)
            .unwrap();
        assert_eq!(applied.not_newer_than, Some(5));
        let snap = docs.snapshot(&uri).unwrap();
        assert_eq!((snap.text().as_str(), snap.version), ("xabc", 4));
        docs.close(&uri);
        assert_eq!(
            docs.change(&uri, 6, &[change(0, 0, 0, 0, "x")], PositionEncoding::Utf16),
            Err(ChangeError::NotOpen)
        );
    }

    #[test]
    fn edits_use_the_protocol_line_breaks_only() {
        let uri = Uri::from_str("file:///n.md").unwrap();
        for (text, expect) in [
            ("a\rb", "a\rXb"),
            ("a\r\nb", "a\r\nXb"),
            ("a\nb", "a\nXb"),
            ("a\u{2028}b\nc", "a\u{2028}b\nXc"),
            (
                "a\u{2029}\u{85}\u{b}\u{c}b\nc",
                "a\u{2029}\u{85}\u{b}\u{c}b\nXc",
            ),
        ] {
            let mut docs = Documents::default();
            docs.open(uri.clone(), text, 1);
            docs.change(&uri, 2, &[change(1, 0, 1, 0, "X")], PositionEncoding::Utf16)
                .unwrap();
            assert_eq!(
                docs.snapshot(&uri).unwrap().text().as_str(),
                expect,
                "{text:?}"
            );
        }
        // Past the end of a line ending in CR: clamps before the CR.
        let mut docs = Documents::default();
        docs.open(uri.clone(), "ab\rcd", 1);
        let applied = docs
            .change(&uri, 2, &[change(0, 9, 0, 9, "!")], PositionEncoding::Utf8)
            .unwrap();
        assert_eq!(applied.clamped, 2);
        assert_eq!(docs.snapshot(&uri).unwrap().text().as_str(), "ab!\rcd");
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
            .unwrap()
            .clamped;
        assert_eq!(n, 2);
        assert_eq!(docs.snapshot(&uri).unwrap().text().as_str(), "ab\ncd!");
    }

    /// A small deterministic generator for the bounded property test.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n.max(1) as u64) as usize
        }
    }

    /// The model: positions resolved on a plain string with the line index, clamped as the protocol asks.
    fn model_offset(text: &str, line: u32, character: u32, enc: PositionEncoding) -> usize {
        let idx = crate::text::LineIndex::new(text);
        idx.offset(text, crate::text::LinePos { line, character }, enc)
            .unwrap_or(text.len())
    }

    #[test]
    fn property_random_edits_match_a_string_model() {
        const PIECES: &[&str] = &[
            "a", "Ruto", " ", "é", "🇰🇪", "’", "\n", "\r\n", "\r", "\u{2028}", "\u{85}", "\u{c}",
        ];
        let uri = Uri::from_str("file:///p.md").unwrap();
        for seed in 1..=200u64 {
            let mut rng = Rng(seed.wrapping_mul(0x2545_F491_4F6C_DD1D));
            let enc = [
                PositionEncoding::Utf8,
                PositionEncoding::Utf16,
                PositionEncoding::Utf32,
            ][rng.below(3)];
            let mut model: String = (0..rng.below(30))
                .map(|_| PIECES[rng.below(PIECES.len())])
                .collect();
            let mut docs = Documents::default();
            docs.open(uri.clone(), &model, 0);
            for v in 1..=20 {
                let lines = crate::text::LineIndex::new(&model).line_count() as u32;
                let mut pos = || (rng.below(lines as usize + 1) as u32, rng.below(14) as u32);
                let (a, b) = (pos(), pos());
                let insert: String = (0..rng.below(4))
                    .map(|_| PIECES[rng.below(PIECES.len())])
                    .collect();
                let mut start = model_offset(&model, a.0, a.1, enc);
                let mut end = model_offset(&model, b.0, b.1, enc);
                if end < start {
                    std::mem::swap(&mut start, &mut end);
                }
                model.replace_range(start..end, &insert);
                docs.change(&uri, v, &[change(a.0, a.1, b.0, b.1, &insert)], enc)
                    .unwrap();
                assert_eq!(
                    docs.snapshot(&uri).unwrap().text().as_str(),
                    model,
                    "seed {seed}, edit {v}, {enc:?}"
                );
            }
        }
    }
}
