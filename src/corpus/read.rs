//! Reading one file: bytes under the size limit, decoding (UTF-8, else lossy with a caveat, binary
//! refused), and the small text helpers (BOM, blank text, line ranges) the other stages share.

use std::fs;
use std::io::{self, Read};
use std::ops::Range;
use std::path::Path;

use super::Problem;

/// How much of a file is searched for NUL bytes to call it binary.
const SNIFF_LEN: usize = 8 * 1024;

pub(super) fn human_size(n: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    if n >= MIB {
        format!("{:.1} MiB", n as f64 / MIB as f64)
    } else if n >= KIB {
        format!("{:.1} KiB", n as f64 / KIB as f64)
    } else {
        format!("{n} bytes")
    }
}

pub(super) fn too_big(path: &Path, len: u64, max: u64) -> Problem {
    Problem::new(
        path,
        format!(
            "file is {}, over the {} limit (max_file_size); skipped",
            human_size(len),
            human_size(max)
        ),
    )
}

/// Reads at most `max` bytes of `real`, reporting problems against `shown`; with the file's metadata as it
/// was opened (before reading).
pub(super) fn read_bytes(
    real: &Path,
    shown: &Path,
    max: u64,
) -> Result<(Vec<u8>, fs::Metadata), Problem> {
    let cannot = |e: io::Error| Problem::new(shown, format!("cannot read file: {e}; skipped"));
    let file = fs::File::open(real).map_err(cannot)?;
    let meta = file.metadata().map_err(cannot)?;
    let len = meta.len();
    if len > max {
        return Err(too_big(shown, len, max));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > max {
        return Err(too_big(shown, bytes.len() as u64, max));
    }
    Ok((bytes, meta))
}

/// Decodes file bytes: UTF-8, else lossily with a caveat; binary is an error.
/// Returns the text and, when decoding was lossy, the caveat.
pub(super) fn decode(bytes: Vec<u8>) -> Result<(String, Option<String>), String> {
    if bytes[..bytes.len().min(SNIFF_LEN)].contains(&0) {
        return Err("binary file (NUL bytes in its first 8 KiB); skipped".to_string());
    }
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return Ok((text, None)),
        Err(e) => e.into_bytes(),
    };
    let (mut chars, mut bad, mut pos) = (0usize, 0usize, 0usize);
    let mut first_bad = None;
    for chunk in bytes.utf8_chunks() {
        chars += chunk.valid().chars().count();
        pos += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            bad += 1;
            chars += 1;
            first_bad.get_or_insert(pos);
            pos += chunk.invalid().len();
        }
    }
    if bad * 20 > chars {
        return Err(format!(
            "binary file ({bad} of {chars} characters are not valid UTF-8); skipped"
        ));
    }
    let text = String::from_utf8_lossy(&bytes).into_owned();
    Ok((
        text,
        Some(format!(
            "not valid UTF-8: {bad} invalid byte sequence(s) replaced with U+FFFD (first at byte {}); \
             loaded, offsets refer to the decoded text",
            first_bad.unwrap_or(0)
        )),
    ))
}

pub(super) fn bom_len(text: &str) -> usize {
    if text.starts_with('\u{feff}') { 3 } else { 0 }
}

pub(super) fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

pub(super) fn is_blank(s: &str) -> bool {
    s.chars().all(is_space)
}

/// Iterates over line ranges (without `\n` / `\r\n`) of `text[range]`.
pub(super) struct Lines<'a> {
    pub(super) text: &'a str,
    pub(super) pos: usize,
    pub(super) end: usize,
}

impl<'a> Lines<'a> {
    pub(super) fn new(text: &'a str, range: Range<usize>) -> Self {
        Lines {
            text,
            pos: range.start,
            end: range.end,
        }
    }
}

impl Iterator for Lines<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        if self.pos >= self.end {
            return None;
        }
        let rest = self.text.get(self.pos..self.end)?;
        let (len, advance) = match rest.find('\n') {
            Some(i) => (i, i + 1),
            None => (rest.len(), rest.len()),
        };
        let mut end = self.pos + len;
        if end > self.pos && self.text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        let line = self.pos..end;
        self.pos += advance;
        Some(line)
    }
}

/// A range made valid for `text` (clamped, on char boundaries), if possible.
pub(super) fn clamp(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let end = range.end.min(text.len());
    let start = range.start.min(end);
    (text.is_char_boundary(start) && text.is_char_boundary(end)).then_some(start..end)
}

/// `range` without leading and trailing whitespace.
pub(super) fn trim_range(text: &str, range: Range<usize>) -> Range<usize> {
    let s = &text[range.clone()];
    let start = range.start + (s.len() - s.trim_start_matches(is_space).len());
    let end = range.end - (s.len() - s.trim_end_matches(is_space).len());
    start..end.max(start)
}

#[cfg(test)]
mod tests {

    use crate::corpus::test_support::*;
    use crate::corpus::*;
    use std::fs;
    use std::path::Path;

    // -- bad files -----------------------------------------------------------

    #[test]
    fn non_utf8_file_is_decoded_lossily_with_a_problem() {
        let dir = TempDir::new("latin1");
        // "Caf\xe9" in Latin-1 inside English text.
        let mut bytes = b"Kenya and the US met at the Caf".to_vec();
        bytes.push(0xE9);
        bytes.extend_from_slice(b" Nairobi to discuss security and trade.\n");
        dir.write("latin1.txt", &bytes);
        let corpus = load_dir(dir.path());
        let a = corpus.get("latin1").expect("loaded");
        assert!(a.text.contains("Caf\u{fffd} Nairobi"));
        let p = problem_for(&corpus, "latin1.txt").expect("reported");
        assert!(p.reason.contains("not valid UTF-8"), "{p}");
        assert!(p.reason.contains("byte 31"), "{p}");
        let (_, caveats) = read_article_with_problems(
            dir.path(),
            Path::new("latin1.txt"),
            &LoadOptions::default(),
        )
        .expect("read");
        assert_eq!(caveats.len(), 1);
    }

    #[test]
    fn binary_file_is_skipped() {
        let dir = TempDir::new("binary");
        dir.write("nul.txt", b"PK\x03\x04\x00\x00binary stuff");
        dir.write(
            "noise.md",
            [0xFFu8, 0xFE, 0xFD, b'a', 0xC0, 0xC1].repeat(50),
        );
        dir.write("ok.txt", "Kenya and the US met.\n");
        let corpus = load_dir(dir.path());
        assert_eq!(ids(&corpus), ["ok"]);
        assert!(
            problem_for(&corpus, "nul.txt")
                .expect("nul")
                .reason
                .contains("binary")
        );
        assert!(
            problem_for(&corpus, "noise.md")
                .expect("noise")
                .reason
                .contains("binary")
        );
    }

    #[test]
    fn empty_and_whitespace_files_are_skipped() {
        let dir = TempDir::new("empty");
        dir.write("empty.txt", "");
        dir.write("blank.txt", " \n\t\n");
        dir.write("only-front-matter.md", "---\ntitle: x\n---\n\n");
        dir.write("ok.txt", "Text.\n");
        let corpus = load_dir(dir.path());
        assert_eq!(ids(&corpus), ["ok"]);
        assert!(
            problem_for(&corpus, "empty.txt")
                .expect("empty")
                .reason
                .contains("empty")
        );
        assert!(
            problem_for(&corpus, "blank.txt")
                .expect("blank")
                .reason
                .contains("whitespace")
        );
        assert!(
            problem_for(&corpus, "only-front-matter.md")
                .expect("fm")
                .reason
                .contains("no text after the front matter")
        );
        assert_eq!(corpus.problems.len(), 3);
    }

    #[test]
    fn oversize_file_is_skipped() {
        let dir = TempDir::new("big");
        dir.write("big.txt", "word ".repeat(400));
        dir.write("small.txt", "Small.\n");
        let opts = LoadOptions {
            max_file_size: 1000,
        };
        let corpus = load(&[dir.path().to_path_buf()], &opts, &no_progress).expect("load");
        assert_eq!(ids(&corpus), ["small"]);
        let p = problem_for(&corpus, "big.txt").expect("reported");
        assert!(p.reason.contains("max_file_size"), "{p}");
        assert!(
            p.to_string()
                .starts_with(&dir.path().join("big.txt").display().to_string())
        );
    }

    #[cfg(unix)]
    #[test]
    fn unreadable_file_is_reported() {
        use std::os::unix::fs::PermissionsExt;
        let dir = TempDir::new("unreadable");
        let p = dir.write("locked.txt", "Secret.\n");
        fs::set_permissions(&p, fs::Permissions::from_mode(0o000)).expect("chmod");
        let readable_anyway = fs::read(&p).is_ok(); // running as root
        let corpus = load_dir(dir.path());
        if !readable_anyway {
            assert!(corpus.articles.is_empty());
            assert!(
                problem_for(&corpus, "locked.txt")
                    .expect("reported")
                    .reason
                    .contains("cannot read")
            );
        }
        fs::set_permissions(&p, fs::Permissions::from_mode(0o644)).expect("chmod back");
    }
}
