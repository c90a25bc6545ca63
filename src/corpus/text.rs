//! An article's text, read from its file only when something asks for it, and what a load learns of a file
//! (its identity and layout) so that a later load can trust an unchanged file without reading it.
//!
//! Like git's index: a file's identity is its size, modification and change times (in nanoseconds) and, on
//! Unix, its device and inode. A load that finds a file with the identity it recorded last time uses the
//! recorded layout (body, headline, boilerplate, front matter, caveats) and the text's digest; the text is
//! read when asked for ([`ArticleText::as_str`]) and checked against the digest. A text that can no longer be
//! read, or reads back different, is never shown as current: it reads as blanks of the recorded length, and
//! [`ArticleText::problem`] says why (the caller treats the article as changed).
//!
//! An identity is recorded only for a file that had not changed for [`SETTLE`] before it was read: a file
//! written in the same clock tick as the read could change again without its times changing ("racy git").

use std::borrow::Cow;
use std::fmt;
use std::fs;
use std::ops::{Deref, Range};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::{xxh3_64, xxh3_128};

use super::ArticleMeta;
use super::read::{decode, read_bytes};

/// How long a file must have stayed unchanged before it was read for its identity to be recorded.
pub const SETTLE: Duration = Duration::from_secs(1);

/// A file's identity: when it is the same as recorded, the file is taken to be unchanged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FileIdentity {
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub modified: i128,
    /// Change time of the inode (Unix), nanoseconds since the epoch; 0 elsewhere.
    pub changed: i128,
    pub device: u64,
    pub inode: u64,
}

fn nanos(t: Option<SystemTime>) -> i128 {
    match t.map(|t| t.duration_since(UNIX_EPOCH)) {
        Some(Ok(d)) => d.as_nanos() as i128,
        Some(Err(e)) => -(e.duration().as_nanos() as i128),
        None => 0,
    }
}

impl FileIdentity {
    pub fn of(m: &fs::Metadata) -> FileIdentity {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            FileIdentity {
                size: m.len(),
                modified: i128::from(m.mtime()) * 1_000_000_000 + i128::from(m.mtime_nsec()),
                changed: i128::from(m.ctime()) * 1_000_000_000 + i128::from(m.ctime_nsec()),
                device: m.dev(),
                inode: m.ino(),
            }
        }
        #[cfg(not(unix))]
        {
            FileIdentity {
                size: m.len(),
                modified: nanos(m.modified().ok()),
                changed: 0,
                device: 0,
                inode: 0,
            }
        }
    }

    /// Whether the file had stayed unchanged for [`SETTLE`] at `now` (when it was about to be read).
    pub fn settled(&self, now: SystemTime) -> bool {
        let last = self.modified.max(self.changed);
        last.saturating_add(SETTLE.as_nanos() as i128) < nanos(Some(now))
    }
}

/// What a load learned of one article file from its text: enough to load it again, while its identity is
/// unchanged, without reading it. Stored by the caller (the index) and given back to [`super::load_with`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileRecord {
    pub identity: FileIdentity,
    /// xxh3-128 of the decoded text.
    pub digest: [u8; 16],
    /// Length of the decoded text in bytes.
    pub len: usize,
    pub body: Range<usize>,
    /// Metadata from the front matter (before `sources.toml`).
    pub front_matter: ArticleMeta,
    pub headline: Option<(String, Range<usize>)>,
    pub boilerplate: Vec<Range<usize>>,
    /// Caveats about the file (lossy decoding, bad front matter), reported again on each load.
    pub caveats: Vec<String>,
}

/// The stored form of a [`FileRecord`].
#[derive(Serialize, Deserialize)]
struct RecordWire {
    identity: FileIdentity,
    digest: [u8; 16],
    len: u64,
    body: Range<u64>,
    title: Option<String>,
    date: Option<(i16, i8, i8)>,
    url: Option<String>,
    headline: Option<(String, Range<u64>)>,
    boilerplate: Vec<Range<u64>>,
    caveats: Vec<String>,
}

pub(super) fn wide(r: &Range<usize>) -> Range<u64> {
    r.start as u64..r.end as u64
}

/// A metadata date as stored: year, month, day.
pub(super) fn date_wire(d: jiff::civil::Date) -> (i16, i8, i8) {
    (d.year(), d.month(), d.day())
}

/// A stored date read back: `None` when it is no date, `Some(None)` when none was stored.
pub(super) fn date_of(w: Option<(i16, i8, i8)>) -> Option<Option<jiff::civil::Date>> {
    match w {
        Some((y, m, d)) => jiff::civil::Date::new(y, m, d).ok().map(Some),
        None => Some(None),
    }
}

/// `r` as offsets into a text of `len` bytes, when it fits.
pub(super) fn narrow(r: &Range<u64>, len: usize) -> Option<Range<usize>> {
    let (s, e) = (usize::try_from(r.start).ok()?, usize::try_from(r.end).ok()?);
    (s <= e && e <= len).then_some(s..e)
}

impl FileRecord {
    /// The bytes to store.
    pub fn encode(&self) -> Vec<u8> {
        let m = &self.front_matter;
        let w = RecordWire {
            identity: self.identity,
            digest: self.digest,
            len: self.len as u64,
            body: wide(&self.body),
            title: m.title.clone(),
            date: m.date.map(date_wire),
            url: m.url.clone(),
            headline: self.headline.as_ref().map(|(h, r)| (h.clone(), wide(r))),
            boilerplate: self.boilerplate.iter().map(wide).collect(),
            caveats: self.caveats.clone(),
        };
        // Followed by a checksum of the record, as the index's other rows have one: a record damaged on disk
        // (whose ranges could fall inside a character) does not read back.
        let mut bytes = postcard::to_allocvec(&w).unwrap_or_default();
        let sum = xxh3_64(&bytes);
        bytes.extend_from_slice(&sum.to_le_bytes());
        bytes
    }

    /// A record read back; `None` when the bytes are not a whole, consistent record.
    pub fn decode(bytes: &[u8]) -> Option<FileRecord> {
        let (record, sum) = bytes.split_at_checked(bytes.len().checked_sub(8)?)?;
        if xxh3_64(record).to_le_bytes() != sum {
            return None;
        }
        let (w, rest) = postcard::take_from_bytes::<RecordWire>(record).ok()?;
        if !rest.is_empty() {
            return None;
        }
        let len = usize::try_from(w.len).ok()?;
        let date = date_of(w.date)?;
        Some(FileRecord {
            identity: w.identity,
            digest: w.digest,
            len,
            body: narrow(&w.body, len)?,
            front_matter: ArticleMeta {
                title: w.title,
                date,
                url: w.url,
            },
            headline: match w.headline {
                Some((h, r)) => Some((h, narrow(&r, len)?)),
                None => None,
            },
            boilerplate: w
                .boilerplate
                .iter()
                .map(|r| narrow(r, len))
                .collect::<Option<_>>()?,
            caveats: w.caveats,
        })
    }
}

/// The digest of a text, as [`FileRecord::digest`] and [`ArticleText::digest`] have it.
pub fn digest(text: &str) -> [u8; 16] {
    xxh3_128(text.as_bytes()).to_le_bytes()
}

/// An article's full text: in memory, or read from its file when first asked for. Clones share it (and its
/// loading). Two texts are equal when their digests and lengths are; neither is read to compare them.
#[derive(Clone)]
pub struct ArticleText(Arc<Inner>);

struct Inner {
    len: usize,
    digest: [u8; 16],
    /// The file's identity when it was read or trusted; `None` for a text that was not read from a file, or
    /// was read while it may still have been changing (see [`SETTLE`]).
    identity: Option<FileIdentity>,
    /// The canonical file to read the text from, when it is not in memory yet.
    file: Option<(PathBuf, u64)>,
    loaded: OnceLock<Loaded>,
}

struct Loaded {
    text: Box<str>,
    /// Why the text could not be read as it was indexed (the text is then blanks of the recorded length).
    problem: Option<String>,
}

impl ArticleText {
    /// A text already in memory.
    pub fn new(text: impl Into<String>) -> ArticleText {
        ArticleText::read(text.into(), None)
    }

    /// A text just read from a file with this identity (`None` when it must not be trusted later).
    pub(super) fn read(text: String, identity: Option<FileIdentity>) -> ArticleText {
        let loaded = OnceLock::new();
        let inner = Inner {
            len: text.len(),
            digest: digest(&text),
            identity,
            file: None,
            loaded,
        };
        let _ = inner.loaded.set(Loaded {
            text: text.into_boxed_str(),
            problem: None,
        });
        ArticleText(Arc::new(inner))
    }

    /// The text of an unchanged file, as recorded: read from `real` (at most `max` bytes) when asked for.
    pub(super) fn on_disk(record: &FileRecord, real: &Path, max: u64) -> ArticleText {
        ArticleText(Arc::new(Inner {
            len: record.len,
            digest: record.digest,
            identity: Some(record.identity),
            file: Some((real.to_path_buf(), max)),
            loaded: OnceLock::new(),
        }))
    }

    /// A text as a listing recorded it (see [`super::listing`]): read from `real` (at most `max` bytes) when
    /// asked for, and checked against `len` and `digest` then.
    pub(super) fn indexed(
        len: usize,
        digest: [u8; 16],
        identity: Option<FileIdentity>,
        real: PathBuf,
        max: u64,
    ) -> ArticleText {
        ArticleText(Arc::new(Inner {
            len,
            digest,
            identity,
            file: Some((real, max)),
            loaded: OnceLock::new(),
        }))
    }

    /// The file the text is read from when it is not in memory yet (`None` for a text read by the load).
    pub fn file(&self) -> Option<&Path> {
        self.0.file.as_ref().map(|(p, _)| p.as_path())
    }

    /// Length in bytes (without reading the file).
    pub fn len(&self) -> usize {
        self.0.len
    }

    pub fn is_empty(&self) -> bool {
        self.0.len == 0
    }

    pub fn digest(&self) -> [u8; 16] {
        self.0.digest
    }

    pub fn identity(&self) -> Option<FileIdentity> {
        self.0.identity
    }

    /// Whether the text is in memory (read, or given).
    pub fn is_loaded(&self) -> bool {
        self.0.loaded.get().is_some()
    }

    /// The text, read from the file on first use. A file that cannot be read, or no longer holds the text
    /// that was indexed, gives blanks of the same length (so every offset stays valid) and a
    /// [`ArticleText::problem`].
    pub fn as_str(&self) -> &str {
        &self.0.loaded.get_or_init(|| self.0.load()).text
    }

    /// The text for one look that does not keep it (a scan of many articles): borrowed when it is in memory,
    /// else read from the file and checked, and dropped after. A text that cannot be read as indexed is
    /// blanks, and [`ArticleText::problem`] says why from then on, as with [`ArticleText::as_str`].
    pub fn transient(&self) -> Cow<'_, str> {
        if let Some(l) = self.0.loaded.get() {
            return Cow::Borrowed(&l.text);
        }
        match self.0.read_checked() {
            Ok(text) => Cow::Owned(text),
            Err(reason) => Cow::Borrowed(&self.0.loaded.get_or_init(|| self.0.blank(reason)).text),
        }
    }

    /// Why the text could not be read as indexed, once it was asked for.
    pub fn problem(&self) -> Option<&str> {
        self.0.loaded.get().and_then(|l| l.problem.as_deref())
    }
}

impl Inner {
    fn load(&self) -> Loaded {
        match self.read_checked() {
            Ok(text) => Loaded {
                text: text.into_boxed_str(),
                problem: None,
            },
            Err(reason) => self.blank(reason),
        }
    }

    /// The text read from the file, if it is still the one indexed; else why not.
    fn read_checked(&self) -> Result<String, String> {
        let Some((real, max)) = &self.file else {
            return Err("its text is not available".to_string());
        };
        let (bytes, _) = read_bytes(real, real, *max).map_err(|p| p.reason)?;
        let (text, _) = decode(bytes)?;
        if text.len() != self.len || digest(&text) != self.digest {
            return Err("changed on disk since it was indexed; it is read again".to_string());
        }
        Ok(text)
    }

    fn blank(&self, reason: String) -> Loaded {
        tracing::debug!(
            "{}: {reason}",
            self.file
                .as_ref()
                .map_or_else(String::new, |(p, _)| p.display().to_string())
        );
        Loaded {
            text: " ".repeat(self.len).into_boxed_str(),
            problem: Some(reason),
        }
    }
}

impl Deref for ArticleText {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

/// A text that could not be read as loaded (see [`ArticleText::problem`]) equals no text, itself included: it
/// is not the text its digest names.
impl PartialEq for ArticleText {
    fn eq(&self, other: &Self) -> bool {
        self.0.len == other.0.len
            && self.0.digest == other.0.digest
            && self.problem().is_none()
            && other.problem().is_none()
    }
}

impl Eq for ArticleText {}

impl PartialEq<str> for ArticleText {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for ArticleText {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Default for ArticleText {
    fn default() -> Self {
        ArticleText::new(String::new())
    }
}

impl fmt::Debug for ArticleText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.loaded.get() {
            Some(l) if l.text.len() <= 64 => write!(f, "{:?}", l.text),
            _ => write!(f, "<text of {} bytes>", self.0.len),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::test_support::*;
    use crate::corpus::{Corpus, LoadOptions, load_with};
    use std::collections::HashMap;

    const A: &str =
        "---\ntitle: Ruto calls\n---\nPresident Ruto spoke with President Biden on Tuesday.\n";
    const B: &str = "Kishida visit\n\nPrime Minister Kishida will visit Washington in April.\n";

    /// A folder with two articles, old enough for their identities to be recorded.
    fn settled_pair(tag: &str) -> TempDir {
        let dir = TempDir::new(tag);
        dir.write("a.md", A);
        dir.write("sub/b.txt", B);
        dir
    }

    fn wait_to_settle() {
        std::thread::sleep(SETTLE + Duration::from_millis(100));
    }

    fn load_known(dir: &TempDir, known: &HashMap<PathBuf, FileRecord>) -> (Corpus, usize) {
        let (c, report) = load_with(
            &[dir.path().to_path_buf()],
            &LoadOptions::default(),
            known,
            &no_progress,
        )
        .expect("load");
        (c, report.trusted)
    }

    fn records(dir: &TempDir) -> HashMap<PathBuf, FileRecord> {
        let (_, report) = load_with(
            &[dir.path().to_path_buf()],
            &LoadOptions::default(),
            &HashMap::new(),
            &no_progress,
        )
        .expect("load");
        report.records.into_iter().collect()
    }

    /// Everything a load yields, texts included (read, for trusted ones).
    fn assert_same_as_a_fresh_load(c: &Corpus, dir: &TempDir, case: &str) {
        let want = load_dir(dir.path());
        assert_eq!(c, &want, "{case}");
        for (x, y) in c.articles.iter().zip(&want.articles) {
            assert_eq!(x.text.as_str(), y.text.as_str(), "{case}: {}", x.id);
            assert_eq!(x.text_problem(), None, "{case}");
        }
    }

    #[test]
    fn a_load_trusts_a_file_only_while_its_identity_is_the_recorded_one() {
        type Change = fn(&TempDir);
        let cases: [(&str, Change, usize); 7] = [
            ("unchanged", |_| {}, 2),
            (
                "edited, same size",
                |d| {
                    d.write("a.md", A.replace("Tuesday", "Thursda"));
                },
                1,
            ),
            (
                "touched, same text",
                |d| {
                    d.write("a.md", A);
                },
                1,
            ),
            (
                "replaced by a non-UTF-8 file",
                |d| {
                    // "Caf\xe9" in Latin-1, in place of four bytes of the text.
                    let mut bytes = A.as_bytes().to_vec();
                    let at = A.find("Tuesday").expect("day");
                    bytes[at..at + 4].copy_from_slice(b"Caf\xe9");
                    d.write("a.md", bytes);
                },
                1,
            ),
            (
                "removed",
                |d| fs::remove_file(d.path().join("a.md")).expect("rm"),
                1,
            ),
            (
                "added",
                |d| {
                    d.write("sub/c.txt", "Chancellor Scholz arrived on Monday.\n");
                },
                2,
            ),
            (
                "made binary",
                |d| {
                    d.write("a.md", b"\x00\x01binary");
                },
                1,
            ),
        ];
        let dirs: Vec<TempDir> = cases.iter().map(|(n, _, _)| settled_pair(n)).collect();
        wait_to_settle();
        for ((case, change, trusted), dir) in cases.iter().zip(&dirs) {
            let known = records(dir);
            assert_eq!(known.len(), 2, "{case}: both files recorded");
            change(dir);
            let (c, n) = load_known(dir, &known);
            assert_eq!(n, *trusted, "{case}");
            assert_same_as_a_fresh_load(&c, dir, case);
        }
    }

    #[test]
    fn a_recorded_file_over_a_lowered_size_limit_is_skipped_as_a_fresh_load_skips_it() {
        let dir = settled_pair("limit");
        wait_to_settle();
        let known = records(&dir);
        let opts = LoadOptions {
            max_file_size: A.len() as u64 - 1,
        };
        let roots = [dir.path().to_path_buf()];
        let (c, report) = load_with(&roots, &opts, &known, &no_progress).expect("load");
        let want = crate::corpus::load(&roots, &opts, &no_progress).expect("load");
        assert_eq!(c, want);
        assert_eq!(report.trusted, 1);
        assert!(c.get("a").is_none());
    }

    #[test]
    fn a_file_written_just_before_it_is_read_is_not_recorded() {
        let dir = settled_pair("racy");
        assert!(records(&dir).is_empty());
        wait_to_settle();
        assert_eq!(records(&dir).len(), 2);
    }

    #[test]
    fn a_trusted_text_is_read_only_when_asked_for_and_shared_by_clones() {
        let dir = settled_pair("lazy");
        wait_to_settle();
        let known = records(&dir);
        let (c, n) = load_known(&dir, &known);
        assert_eq!(n, 2);
        let a = c.get("a").expect("a");
        assert!(!a.text.is_loaded());
        assert_eq!(a.text.len(), A.len());
        assert_eq!(a.title.as_deref(), Some("Ruto calls"));
        let copy = a.clone();
        assert_eq!(copy.text.as_str(), A);
        assert!(a.text.is_loaded());
    }

    #[test]
    fn a_trusted_text_that_cannot_be_read_as_indexed_reads_as_blanks_with_a_problem() {
        type Change = fn(&TempDir, &mut HashMap<PathBuf, FileRecord>);
        let cases: [(&str, Change, &str); 4] = [
            (
                "changed behind an unchanged identity",
                |d, known| {
                    if let Some(r) = known.get_mut(&d.path().join("a.md")) {
                        r.digest[0] ^= 1;
                    }
                },
                "changed on disk since it was indexed",
            ),
            (
                "removed after the load",
                |d, _| fs::remove_file(d.path().join("a.md")).expect("rm"),
                "cannot read file",
            ),
            (
                "made binary after the load",
                |d, _| {
                    d.write("a.md", b"\x00\x01binary");
                },
                "binary",
            ),
            (
                "edited after the load",
                |d, _| {
                    d.write("a.md", A.replace("Tuesday", "Monday"));
                },
                "changed on disk",
            ),
        ];
        let dirs: Vec<TempDir> = cases.iter().map(|(n, _, _)| settled_pair(n)).collect();
        wait_to_settle();
        for ((case, change, reason), dir) in cases.iter().zip(&dirs) {
            let mut known = records(dir);
            // Changes to the record are seen by the load; changes to the file happen after it.
            let before_load = case.starts_with("changed behind");
            if before_load {
                change(dir, &mut known);
            }
            let (mut c, n) = load_known(dir, &known);
            assert_eq!(n, 2, "{case}");
            if !before_load {
                change(dir, &mut known);
            }
            let a = c.get("a").expect("a");
            assert_eq!(a.text.as_str(), " ".repeat(A.len()), "{case}");
            let p = a.text_problem().expect("a problem");
            assert_eq!(p.path, dir.path().join("a.md"), "{case}");
            assert!(p.reason.contains(reason), "{case}: {p}");
            let b = c.get("b").expect("b");
            assert_eq!((b.text.as_str(), b.text_problem()), (B, None), "{case}");
            // Reported to a refresh, the file is read again: as a fresh load has it.
            let r = c.refresh(&[dir.path().join("a.md")], &LoadOptions::default());
            assert!(!r.is_empty(), "{case}");
            assert_same_as_a_fresh_load(&c, dir, case);
        }
    }

    #[test]
    fn a_transient_look_at_a_trusted_text_does_not_keep_it_but_keeps_its_problem() {
        let dir = settled_pair("transient");
        wait_to_settle();
        let known = records(&dir);
        let (c, _) = load_known(&dir, &known);
        let a = c.get("a").expect("a");
        assert_eq!(a.text.transient(), A);
        assert!(!a.text.is_loaded());
        fs::remove_file(dir.path().join("a.md")).expect("rm");
        assert_eq!(a.text.transient(), " ".repeat(A.len()));
        assert!(
            a.text_problem()
                .is_some_and(|p| p.reason.contains("cannot read file"))
        );
        assert_eq!(a.text.as_str(), " ".repeat(A.len()));
    }

    #[test]
    fn a_refresh_does_not_read_a_reported_file_whose_identity_is_unchanged() {
        let dir = settled_pair("refresh");
        wait_to_settle();
        let known = records(&dir);
        let (mut c, _) = load_known(&dir, &known);
        let opts = LoadOptions::default();
        let r = c.refresh(&[dir.path().join("a.md"), dir.path().join("sub")], &opts);
        assert!(r.is_empty(), "{r:?}");
        assert!(c.articles.iter().all(|a| !a.text.is_loaded()));
        // Touched: read again, and unchanged.
        dir.write("a.md", A);
        let r = c.refresh(&[dir.path().join("a.md")], &opts);
        assert!(r.is_empty(), "{r:?}");
        assert_same_as_a_fresh_load(&c, &dir, "touched");
        // Edited with the same size: read again, and changed.
        dir.write("a.md", A.replace("Tuesday", "Thursda"));
        let r = c.refresh(&[dir.path().join("a.md")], &opts);
        assert_eq!(r.changed, ["a"]);
        assert_same_as_a_fresh_load(&c, &dir, "edited");
    }

    #[test]
    fn a_file_record_reads_back_and_a_damaged_one_does_not() {
        let dir = settled_pair("record");
        wait_to_settle();
        let known = records(&dir);
        for r in known.values() {
            assert_eq!(FileRecord::decode(&r.encode()).as_ref(), Some(r));
            let bytes = r.encode();
            assert_eq!(FileRecord::decode(&bytes[..bytes.len() - 1]), None);
            // A bit flipped inside: the checksum does not hold.
            for at in [0, bytes.len() / 2, bytes.len() - 9] {
                let mut damaged = bytes.clone();
                damaged[at] ^= 0x10;
                assert_eq!(FileRecord::decode(&damaged), None, "{at}");
            }
            let mut past_the_end = r.clone();
            past_the_end.body = 0..r.len + 1;
            assert_eq!(FileRecord::decode(&past_the_end.encode()), None);
        }
    }
}
