//! Text primitives: byte ranges, a line index, UTF-8/UTF-16/UTF-32 position conversion and match folding.
//!
//! Everything in Dossier works on byte offsets into UTF-8 text. Editor positions (line + character in the
//! negotiated encoding) are converted here, and only at the protocol edge.

use std::ops::Range;

/// A byte range into some text.
pub type ByteRange = Range<usize>;

/// How an editor counts characters within a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum PositionEncoding {
    Utf8,
    #[default]
    Utf16,
    Utf32,
}

/// A position as an editor sees it: zero-based line and character offset in some encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LinePos {
    pub line: u32,
    pub character: u32,
}

/// Start offsets of every line of a text, and checkpoints for counting UTF-16 and UTF-32 units quickly.
///
/// Lines end exactly where the protocol says: at `\n`, `\r\n` or `\r` (not at U+2028, U+2029, U+0085, VT
/// or FF). Converting a position costs a binary search plus a scan of at most one checkpoint block, so even
/// a megabyte on one line converts in constant time per position.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// For each block of `BLOCK` bytes, from the first character boundary at or after the block's start: how
    /// many bytes the characters before it have beyond their UTF-16 length (`.0`) and UTF-32 length (`.1`).
    checkpoints: Vec<(u64, u64)>,
    len: usize,
}

/// Bytes per checkpoint block.
const BLOCK: usize = 256;

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                starts.push(i + 1);
            }
        }
        let blocks = text.len() / BLOCK + 1;
        let mut checkpoints = Vec::with_capacity(blocks);
        let (mut e16, mut e32) = (0u64, 0u64);
        // Checkpoint k counts the characters that start before byte k * BLOCK; a character's extra bytes
        // over UTF-16 and UTF-32 follow from its leading byte.
        for block in bytes.chunks(BLOCK) {
            checkpoints.push((e16, e32));
            if block.is_ascii() {
                continue;
            }
            for &b in block {
                let (x16, x32) = match b {
                    0xF0.. => (2, 3),
                    0xE0.. => (2, 2),
                    0xC0.. => (1, 1),
                    _ => (0, 0),
                };
                e16 += x16;
                e32 += x32;
            }
        }
        while checkpoints.len() < blocks {
            checkpoints.push((e16, e32));
        }
        LineIndex {
            starts,
            checkpoints,
            len: text.len(),
        }
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Zero-based line containing `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// Byte range of a line without its line ending; `None` past the last line.
    pub fn line_range(&self, text: &str, line: usize) -> Option<ByteRange> {
        let start = *self.starts.get(line)?;
        let mut end = self.starts.get(line + 1).map_or(self.len, |&s| s);
        if line + 1 < self.starts.len() {
            let b = text.as_bytes();
            if end > start && b.get(end - 1) == Some(&b'\n') {
                end -= 1;
            }
            if end > start && b.get(end - 1) == Some(&b'\r') {
                end -= 1;
            }
        }
        Some(start..end)
    }

    /// How many bytes the characters before char boundary `offset` have beyond their length in `enc`.
    fn extra(&self, text: &str, offset: usize, enc: PositionEncoding) -> usize {
        if enc == PositionEncoding::Utf8 {
            return 0;
        }
        let block = (offset / BLOCK).min(self.checkpoints.len().saturating_sub(1));
        let from = ceil_char_boundary(text, block * BLOCK);
        let (e16, e32) = self.checkpoints.get(block).copied().unwrap_or_default();
        let base = if enc == PositionEncoding::Utf16 {
            e16
        } else {
            e32
        } as usize;
        if from >= offset {
            return base;
        }
        let scanned = &text[from..offset];
        base + scanned.len() - encoded_len(scanned, enc)
    }

    /// Length in `enc` of `text[start..end]` (both char boundaries).
    fn units(&self, text: &str, start: usize, end: usize, enc: PositionEncoding) -> usize {
        (end - start) - (self.extra(text, end, enc) - self.extra(text, start, enc))
    }

    /// Convert a byte offset to an editor position. Offsets inside a character snap back to its start;
    /// offsets past the end clamp to the end.
    pub fn position(&self, text: &str, offset: usize, enc: PositionEncoding) -> LinePos {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.starts[line];
        LinePos {
            line: line as u32,
            character: self.units(text, start, offset, enc) as u32,
        }
    }

    /// Convert an editor position to a byte offset. A character past the end of its line clamps to the line's
    /// end (as the LSP specification asks); a line past the end of the text is an error.
    pub fn offset(
        &self,
        text: &str,
        pos: LinePos,
        enc: PositionEncoding,
    ) -> Result<usize, PositionError> {
        let line = pos.line as usize;
        if line >= self.starts.len() {
            return Err(PositionError::LineOutOfRange {
                line: pos.line,
                lines: self.starts.len() as u32,
            });
        }
        let range = self.line_range(text, line).unwrap_or(self.len..self.len);
        let target = pos.character as usize;
        // The first character boundary whose units from the line start reach `target` (units grow with the
        // offset), or the line's end.
        let reaches = |b: usize| {
            let c = ceil_char_boundary(text, b).min(range.end);
            self.units(text, range.start, c, enc) >= target
        };
        let (mut lo, mut hi) = (range.start, range.end);
        if !reaches(hi) {
            return Ok(range.end);
        }
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if reaches(mid) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        Ok(ceil_char_boundary(text, lo).min(range.end))
    }

    /// Convert a byte range to a pair of editor positions.
    pub fn range(
        &self,
        text: &str,
        range: &ByteRange,
        enc: PositionEncoding,
    ) -> (LinePos, LinePos) {
        (
            self.position(text, range.start, enc),
            self.position(text, range.end, enc),
        )
    }
}

/// A position that does not exist in the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PositionError {
    LineOutOfRange { line: u32, lines: u32 },
}

impl std::fmt::Display for PositionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PositionError::LineOutOfRange { line, lines } => {
                write!(
                    f,
                    "line {line} is out of range (the document has {lines} lines)"
                )
            }
        }
    }
}

impl std::error::Error for PositionError {}

/// Length of `s` in code units of `enc`.
pub fn encoded_len(s: &str, enc: PositionEncoding) -> usize {
    match enc {
        PositionEncoding::Utf8 => s.len(),
        PositionEncoding::Utf16 => s.chars().map(char::len_utf16).sum(),
        PositionEncoding::Utf32 => s.chars().count(),
    }
}

/// The largest char boundary not after `i`.
pub fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    if i >= text.len() {
        return text.len();
    }
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest char boundary not before `i`.
pub fn ceil_char_boundary(text: &str, mut i: usize) -> usize {
    if i >= text.len() {
        return text.len();
    }
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Text folded for tolerant matching (quotations, names), with a map back to the original byte offsets.
///
/// Folding lowercases, turns curly quotes and apostrophes into straight ones, dashes into `-`, drops other
/// punctuation, and collapses runs of whitespace into one space. `map[i]` is the byte offset in the original
/// text of the folded byte `i`; `map[folded.len()]` is the end of the last folded character's source.
#[derive(Clone, Debug, Default)]
pub struct Folded {
    pub text: String,
    pub map: Vec<usize>,
    /// `ends[i]`: end offset in the original text of the character that produced folded byte `i`.
    pub ends: Vec<usize>,
}

impl Folded {
    pub fn new(original: &str) -> Self {
        Self::with_base(original, 0)
    }

    /// Fold `original`, recording offsets shifted by `base` (for folding a slice of a larger text).
    pub fn with_base(original: &str, base: usize) -> Self {
        let mut text = String::with_capacity(original.len());
        let mut map = Vec::with_capacity(original.len() + 1);
        let mut ends = Vec::with_capacity(original.len());
        let mut end = base;
        fold_chars(original, |c, at, char_end| {
            let before = text.len();
            text.push(c);
            for _ in before..text.len() {
                map.push(base + at);
                ends.push(base + char_end);
            }
            if c != ' ' {
                end = base + char_end;
            }
        });
        map.push(end);
        Folded { text, map, ends }
    }

    /// Original byte range of a folded byte range.
    pub fn original_range(&self, folded: &ByteRange) -> ByteRange {
        let start = self.map[folded.start.min(self.map.len() - 1)];
        let end = match folded
            .end
            .checked_sub(1)
            .and_then(|last| self.ends.get(last))
        {
            Some(&e) => e.max(start),
            None => start,
        };
        start..end
    }
}

/// Fold a string for comparison without keeping the offset map: what [`fold_chars`] emits (a run of white
/// space between kept characters is one space).
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    fold_each(s, |c| match c {
        None => pending_space |= !out.is_empty(),
        Some(c) => {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    });
    out
}

/// What folding makes of each character of `s`, in order: `Some` of each character it keeps (lower-cased),
/// `None` for a white-space character; a dropped character gives nothing. ASCII (most of any English text) is
/// folded a byte at a time through [`ASCII_FOLD`], any other character as [`fold_chars`] folds it.
fn fold_each(s: &str, mut emit: impl FnMut(Option<char>)) {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            i += 1;
            match ASCII_FOLD[b as usize] {
                DROP => {}
                SPACE => emit(None),
                c => emit(Some(char::from(c))),
            }
            continue;
        }
        let Some(ch) = s[i..].chars().next() else {
            break;
        };
        i += ch.len_utf8();
        if ch.is_whitespace() {
            emit(None);
        } else if let Some(c) = fold_one(ch) {
            for lc in c.to_lowercase() {
                emit(Some(lc));
            }
        }
    }
}

/// In [`ASCII_FOLD`]: a byte that is dropped, and one that is whitespace.
const DROP: u8 = 0;
const SPACE: u8 = 1;

/// What each ASCII byte folds to: a byte, [`DROP`] or [`SPACE`] (whitespace as `char::is_whitespace` has it),
/// as [`fold_one`] says.
const ASCII_FOLD: [u8; 128] = {
    let mut t = [DROP; 128];
    let mut b = 0;
    while b < 128 {
        t[b] = match b as u8 {
            c @ (b'a'..=b'z' | b'0'..=b'9' | b'-' | b'&' | b'%' | b'$' | b'@' | b'#') => c,
            c @ b'A'..=b'Z' => c.to_ascii_lowercase(),
            b'\'' | b'`' => b'\'',
            b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' => SPACE,
            _ => DROP,
        };
        b += 1;
    }
    t
};

/// Call `f` on each word (maximal run of alphanumeric characters) of `fold(s)`, in order, without building
/// the folded text: `buf` holds the word being folded. White space and every character that folds to
/// something other than a letter or digit end a word; a dropped character joins its neighbours ("u.s.").
pub fn for_each_folded_word(s: &str, buf: &mut String, mut f: impl FnMut(&str)) {
    buf.clear();
    fold_each(s, |c| match c {
        Some(c) if c.is_alphanumeric() => buf.push(c),
        _ if !buf.is_empty() => {
            f(buf);
            buf.clear();
        }
        _ => {}
    });
    if !buf.is_empty() {
        f(buf);
        buf.clear();
    }
}

/// The folding itself: `emit(char, start, end)` for each folded character, with the byte range of the
/// original character it comes from (for the one space standing for a run of whitespace: the run's first
/// byte and the byte after it).
fn fold_chars(original: &str, mut emit: impl FnMut(char, usize, usize)) {
    let mut pending_space: Option<usize> = None;
    let mut started = false;
    for (at, ch) in original.char_indices() {
        let folded: Option<char> = if ch.is_whitespace() && !ch.is_ascii_alphanumeric() {
            if started && pending_space.is_none() {
                pending_space = Some(at);
            }
            None
        } else {
            fold_one(ch)
        };
        if let Some(c) = folded {
            if let Some(sp) = pending_space.take() {
                emit(' ', sp, sp + 1);
            }
            started = true;
            let char_end = at + ch.len_utf8();
            if c.is_ascii() {
                emit(c, at, char_end);
            } else {
                for lc in c.to_lowercase() {
                    emit(lc, at, char_end);
                }
            }
        }
    }
}

/// What one character other than whitespace folds to (before lower-casing), `None` when it is dropped.
fn fold_one(ch: char) -> Option<char> {
    match ch {
        c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' | '`' | '\'' => Some('\''),
        '\u{201C}' | '\u{201D}' | '\u{201F}' | '\u{2033}' | '"' | '«' | '»' => None,
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '-' => Some('-'),
        c if c.is_alphanumeric() => Some(c),
        '&' | '%' | '$' | '£' | '€' | '@' | '#' => Some(ch),
        _ => None,
    }
}

/// Count the words of a string (runs of alphanumeric characters and apostrophes).
pub fn word_count(s: &str) -> usize {
    s.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '\u{2019}' || c == '-'))
        .filter(|w| !w.is_empty())
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "Kenya’s “role” 🇰🇪 grew\r\nRuto’s visit\nend";

    /// The folding of `fold_chars`, a character at a time: what [`fold`] must give.
    fn fold_slowly(s: &str) -> String {
        let mut text = String::new();
        fold_chars(s, |c, _, _| text.push(c));
        text
    }

    #[test]
    fn fold_gives_what_folding_each_character_gives() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut texts: Vec<String> = vec![
            TEXT.to_string(),
            // Every character of the first planes, each between letters, spaces and quotes.
            (0u32..0x3100)
                .filter_map(char::from_u32)
                .map(|c| format!("a{c}B {c} “{c}”\u{a0}\t-{c}"))
                .collect(),
            "  \u{2003}Leading space\r\n\tand trailing  \u{a0}".to_string(),
            "İstanbul ǅemal ẞ ΣΑΣ ﬁ — 1,000% $5 £3 €4 @x #y & `q' ‘r’ ‛s′ ″t‟".to_string(),
        ];
        for sub in ["corpus", "wikinews", "whitehouse"] {
            let mut files: Vec<_> = std::fs::read_dir(root.join(sub))
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path())
                .collect();
            files.sort();
            texts.extend(files.iter().filter_map(|p| std::fs::read_to_string(p).ok()));
        }
        assert!(texts.len() > 8);
        for t in &texts {
            assert_eq!(fold(t), fold_slowly(t));
        }
    }

    #[test]
    fn positions_round_trip_in_every_encoding() {
        let idx = LineIndex::new(TEXT);
        for enc in [
            PositionEncoding::Utf8,
            PositionEncoding::Utf16,
            PositionEncoding::Utf32,
        ] {
            // The `\n` of a CRLF pair is not a position an editor can address.
            for (off, _) in TEXT
                .char_indices()
                .filter(|&(i, c)| c != '\n' || !TEXT[..i].ends_with('\r'))
            {
                let pos = idx.position(TEXT, off, enc);
                assert_eq!(idx.offset(TEXT, pos, enc), Ok(off), "{enc:?} at {off}");
            }
        }
    }

    #[test]
    fn utf16_counts_surrogate_pairs_and_curly_quotes() {
        let idx = LineIndex::new(TEXT);
        let grew = TEXT.find("grew").unwrap();
        // "Kenya’s “role” " = 15 chars, the flag = 2 scalars = 4 UTF-16 units, then a space.
        assert_eq!(
            idx.position(TEXT, grew, PositionEncoding::Utf16),
            LinePos {
                line: 0,
                character: 20
            }
        );
        assert_eq!(
            idx.position(TEXT, grew, PositionEncoding::Utf32),
            LinePos {
                line: 0,
                character: 18
            }
        );
        assert_eq!(
            idx.position(TEXT, grew, PositionEncoding::Utf8).character as usize,
            grew
        );
    }

    #[test]
    fn character_past_line_end_clamps_to_line_end_before_crlf() {
        let idx = LineIndex::new(TEXT);
        let off = idx
            .offset(
                TEXT,
                LinePos {
                    line: 0,
                    character: 999,
                },
                PositionEncoding::Utf16,
            )
            .unwrap();
        assert_eq!(&TEXT[off..off + 2], "\r\n");
    }

    #[test]
    fn line_past_end_is_an_error() {
        let idx = LineIndex::new(TEXT);
        assert!(
            idx.offset(
                TEXT,
                LinePos {
                    line: 9,
                    character: 0
                },
                PositionEncoding::Utf8
            )
            .is_err()
        );
    }

    #[test]
    fn offset_inside_a_character_snaps_to_its_start() {
        let idx = LineIndex::new(TEXT);
        let apostrophe = TEXT.find('’').unwrap();
        assert_eq!(
            idx.position(TEXT, apostrophe + 1, PositionEncoding::Utf16),
            idx.position(TEXT, apostrophe, PositionEncoding::Utf16)
        );
    }

    #[test]
    fn folding_ignores_quote_style_case_and_spacing() {
        assert_eq!(
            fold("“Kenya’s   Leadership,” he said"),
            fold("\"kenya's leadership\" he said")
        );
        assert_eq!(fold("U.S.-Kenya — ties"), "us-kenya - ties");
    }

    #[test]
    fn folded_words_are_the_words_of_the_folded_text() {
        let pieces = [
            "U", ".", "S", "’", "s", " ", "\t", "\n", "“", "”", "«", "-", "—", "İ", "é", "Ö", "ß",
            "7", "&", "%", "a", "B", "'", "`", "\u{00A0}", "…", "x1", "ǅ", "ﬁ", "\"", "@", "#",
            "$", "£", "€", ",", "\r", "\u{0B}", "\u{0C}", "\u{2212}", "\u{212A}", "\u{2028}",
            "\u{3000}", "(", "_", "é ", " é",
        ];
        let mut rng = crate::testing::XorShift(0x2545_f491_4f6c_dd1d);
        let mut buf = String::new();
        for _ in 0..4000 {
            let s = rng.mixture(&pieces, 10, |_| "");
            let folded = fold(&s);
            let want: Vec<&str> = folded
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            let mut got = Vec::new();
            for_each_folded_word(&s, &mut buf, |w| got.push(w.to_string()));
            assert_eq!(got, want, "in {s:?}");
        }
    }

    #[test]
    fn folded_ranges_map_back_to_original_text() {
        let s = "He said: “Our  partnership with Kenya is critical,” today.";
        let f = Folded::new(s);
        let needle = fold("our partnership with kenya is critical");
        let at = f.text.find(&needle).unwrap();
        let r = f.original_range(&(at..at + needle.len()));
        assert_eq!(&s[r], "Our  partnership with Kenya is critical");
    }

    #[test]
    fn lines_break_at_lf_crlf_and_cr_only() {
        // Each of these is one line break for the protocol.
        for (sep, lines) in [("\n", 2), ("\r\n", 2), ("\r", 2)] {
            let text = format!("ab{sep}cd");
            let idx = LineIndex::new(&text);
            assert_eq!(idx.line_count(), lines, "{sep:?}");
            let cd = text.find("cd").unwrap();
            let pos = LinePos {
                line: 1,
                character: 0,
            };
            assert_eq!(idx.position(&text, cd, PositionEncoding::Utf16), pos);
            assert_eq!(idx.offset(&text, pos, PositionEncoding::Utf16), Ok(cd));
            assert_eq!(idx.line_range(&text, 0), Some(0..2), "{sep:?}");
        }
        // These are characters within a line.
        for sep in ["\u{2028}", "\u{2029}", "\u{85}", "\u{b}", "\u{c}"] {
            let text = format!("ab{sep}cd");
            let idx = LineIndex::new(&text);
            assert_eq!(idx.line_count(), 1, "{sep:?}");
            let cd = text.find("cd").unwrap();
            assert_eq!(
                idx.position(&text, cd, PositionEncoding::Utf16),
                LinePos {
                    line: 0,
                    character: 3
                },
                "{sep:?}"
            );
        }
        // `\r\r\n` is a bare CR then a CRLF: three lines.
        assert_eq!(LineIndex::new("a\r\r\nb").line_count(), 3);
    }

    #[test]
    fn checkpoints_count_the_characters_that_start_before_each_block() {
        for pad in 250..258 {
            let text = format!("{}é’𝄞x\n{}😀", "a".repeat(pad), "’".repeat(200));
            let mut expected = Vec::new();
            let (mut e16, mut e32) = (0u64, 0u64);
            for (i, ch) in text.char_indices() {
                while expected.len() * BLOCK <= i {
                    expected.push((e16, e32));
                }
                let n = ch.len_utf8() as u64;
                e16 += n - ch.len_utf16() as u64;
                e32 += n - 1;
            }
            while expected.len() < text.len() / BLOCK + 1 {
                expected.push((e16, e32));
            }
            assert_eq!(LineIndex::new(&text).checkpoints, expected, "{pad}");
        }
    }

    #[test]
    fn long_lines_convert_like_a_plain_scan() {
        let line: String = (0..3000)
            .map(|i| match i % 7 {
                0 => "é",
                1 => "🇰🇪",
                2 => "’",
                _ => "a",
            })
            .collect();
        let text = format!("x\n{line}\r\n{line}");
        let idx = LineIndex::new(&text);
        for enc in [
            PositionEncoding::Utf8,
            PositionEncoding::Utf16,
            PositionEncoding::Utf32,
        ] {
            for (off, _) in text.char_indices().step_by(7) {
                let pos = idx.position(&text, off, enc);
                let start = text[..off].rfind('\n').map_or(0, |i| i + 1);
                assert_eq!(pos.character as usize, encoded_len(&text[start..off], enc));
                assert_eq!(idx.offset(&text, pos, enc), Ok(off), "{enc:?} at {off}");
            }
        }
        // Inside a surrogate pair: the next character.
        let flag = text.find('🇰').unwrap();
        let p = idx.position(&text, flag, PositionEncoding::Utf16);
        let inside = LinePos {
            line: p.line,
            character: p.character + 1,
        };
        assert_eq!(
            idx.offset(&text, inside, PositionEncoding::Utf16),
            Ok(flag + '🇰'.len_utf8())
        );
    }
}
