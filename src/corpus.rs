//! Corpus loading: the only place Dossier reads articles and configuration from disk.
//!
//! A *corpus* is one or more folders ("roots") of `.txt` and `.md` files, one
//! article each. [`load`] reads them all into a [`Corpus`]; the rest of Dossier
//! works on that value and never reads articles itself. [`Config`] reads the
//! workspace's `dossier.toml`, and [`Corpus::refresh`] re-reads what a file
//! watcher reports.
//!
//! # Rules
//!
//! **Files.** Roots are walked recursively in sorted order. Hidden entries
//! (name starting with `.`, e.g. `.git`), `node_modules` and `target` folders
//! are skipped, and only `.txt` / `.md` files (extension in any case) are
//! articles. Symbolic links are followed only when their target lies inside
//! the same root (compared on canonical paths): nothing outside the configured
//! folders is ever read, and a link pointing out of its root is reported. A
//! file reached twice (through a link, or through overlapping roots) is loaded
//! once, under the first path of the sorted walk.
//!
//! **Ids.** An article's id is its file stem. When several loaded articles
//! share a stem, each of them is qualified with its folder relative to its
//! root, `/`-separated (`briefings-statements/2024-10/foo`; a file directly in
//! the root keeps the bare stem). If that still clashes (`foo.txt` next to
//! `foo.md`) the file name is used (`sub/foo.md`), then the root folder's name
//! is prefixed (`articles/sub/foo.md`), and as a last resort `N:sub/foo.md`
//! with `N` the root's index. Ids depend only on the set of loaded articles
//! and their paths, so they are deterministic; [`Corpus::articles`] is sorted
//! by id.
//!
//! **Offsets.** Every offset in Dossier is a byte offset into
//! [`Article::text`], the full file text, front matter included. Metadata
//! never shifts offsets. For a file that was not valid UTF-8, `text` is the
//! lossily decoded text (invalid sequences become U+FFFD) and offsets refer
//! to that text.
//!
//! **Metadata.** A `.md` file may start with YAML front matter between `---`
//! and `---` (or `...`) lines, parsed as real YAML: `title`; `date`, else
//! `published`, else `published_time` (its date part); `url`, else
//! `source_url` (keys in any case). A `sources.toml` in a corpus folder gives
//! metadata for the articles directly in that folder, as tables keyed by
//! article id or file stem (`["001_f5c6b512ca1d2a60"]` with `title`, `date`,
//! `url`). **`sources.toml` wins over front matter**, field by field: it is the
//! analyst's own override. The publication date comes from metadata only and
//! is never guessed from the text.
//!
//! **Title.** The metadata title, else the headline found in the text by
//! [`headline`]. `title_range` is set when the title is found in the text.
//!
//! **Boilerplate.** Sidebars, related-story lists and trailers are located by
//! [`boilerplate_regions`] so that later stages do not read them as content.
//!
//! **Bad files never stop a load.** Files that are not UTF-8 are decoded
//! lossily and reported; binary, empty, whitespace-only, unreadable and
//! over-size files are skipped and reported; bad front matter or a bad
//! `sources.toml` is reported and ignored. Each report is a [`Problem`]. Only
//! a missing or non-folder root is an error ([`CorpusError`]).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ffi::OsString;
use std::fmt;
use std::fs;
use std::io::{self, Read};
use std::ops::Range;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::thread;

use jiff::civil::Date;

/// Name of the configuration file that marks a Dossier workspace root.
pub const CONFIG_FILE: &str = "dossier.toml";
/// Name of the per-folder metadata override file.
pub const SOURCES_FILE: &str = "sources.toml";
/// Default size limit for one article file: 8 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 8 * 1024 * 1024;

/// Folder names never walked into (besides hidden ones).
const SKIPPED_DIRS: &[&str] = &["node_modules", "target"];
/// How much of a file is searched for NUL bytes to call it binary.
const SNIFF_LEN: usize = 8 * 1024;

// ---------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------

/// Metadata of an article, from front matter and/or `sources.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleMeta {
    pub title: Option<String>,
    /// Publication date. Only ever from metadata, never guessed from the text.
    pub date: Option<Date>,
    pub url: Option<String>,
}

/// One article of the corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// Unique within the corpus; see the module docs for the rule.
    pub id: String,
    /// The file, as found under its root (root joined with the relative path).
    pub path: PathBuf,
    /// Full file text (lossily decoded if it was not UTF-8). All offsets are
    /// byte offsets into this string.
    pub text: String,
    /// Byte range of the article body: after the front matter (and after a
    /// byte-order mark), up to the end of the text.
    pub body: Range<usize>,
    /// Merged metadata: `sources.toml` over front matter.
    pub meta: ArticleMeta,
    /// The metadata title, else the headline found in the text.
    pub title: Option<String>,
    /// Where the title is in `text`, when it was found there (for a headline
    /// taken from the text, `text[title_range] == title`).
    pub title_range: Option<Range<usize>>,
    /// Byte ranges of sidebars, related-story lists and trailers: not content.
    pub boilerplate: Vec<Range<usize>>,
}

/// A file that could not be loaded, or was loaded with a caveat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: PathBuf,
    /// Human-readable, says whether the file was skipped.
    pub reason: String,
}

/// A loaded corpus.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Corpus {
    /// The roots as given to [`load`].
    pub roots: Vec<PathBuf>,
    /// Sorted by id.
    pub articles: Vec<Article>,
    /// Sorted by path. Includes skipped files and non-fatal caveats.
    pub problems: Vec<Problem>,
}

/// Options for [`load`] and friends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadOptions {
    /// Files larger than this many bytes are skipped (and reported).
    pub max_file_size: u64,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
        }
    }
}

impl LoadOptions {
    /// The options a [`Config`] asks for (defaults where it says nothing).
    pub fn from_config(config: &Config) -> Self {
        LoadOptions {
            max_file_size: config.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE),
        }
    }
}

/// A corpus root that cannot be loaded at all.
#[derive(Debug)]
pub enum CorpusError {
    /// The folder does not exist.
    Missing(PathBuf),
    /// The path exists but is not a folder.
    NotADirectory(PathBuf),
    /// The folder exists but cannot be read.
    Io(PathBuf, io::Error),
}

impl fmt::Display for CorpusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CorpusError::Missing(p) => write!(f, "corpus folder not found: {}", p.display()),
            CorpusError::NotADirectory(p) => {
                write!(f, "corpus path is not a folder: {}", p.display())
            }
            CorpusError::Io(p, e) => write!(f, "cannot read corpus folder {}: {e}", p.display()),
        }
    }
}

impl std::error::Error for CorpusError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CorpusError::Io(_, e) => Some(e),
            _ => None,
        }
    }
}

impl Problem {
    pub fn new(path: impl Into<PathBuf>, reason: impl Into<String>) -> Self {
        Problem {
            path: path.into(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.reason)
    }
}

impl std::error::Error for Problem {}

impl Article {
    /// Builds an article from text already in memory (no `sources.toml`).
    /// Front matter is parsed when `path` ends in `.md`. Useful for tests and
    /// for unsaved buffers; `id` is taken as given.
    pub fn from_text(
        id: impl Into<String>,
        path: impl Into<PathBuf>,
        text: impl Into<String>,
    ) -> Article {
        let path = path.into();
        let (pending, _) = analyse(path.clone(), text.into());
        let mut article = finish(pending, None);
        article.id = id.into();
        article
    }

    /// The body text (after the front matter).
    pub fn body_text(&self) -> &str {
        self.text.get(self.body.clone()).unwrap_or("")
    }

    /// Whether a byte offset falls in a boilerplate region.
    pub fn is_boilerplate(&self, offset: usize) -> bool {
        self.boilerplate.iter().any(|r| r.contains(&offset))
    }

    /// The publication date, from metadata only.
    pub fn date(&self) -> Option<Date> {
        self.meta.date
    }
}

impl Corpus {
    /// The article with this id (articles are kept sorted by id).
    pub fn get(&self, id: &str) -> Option<&Article> {
        self.articles
            .binary_search_by(|a| a.id.as_str().cmp(id))
            .ok()
            .and_then(|i| self.articles.get(i))
    }

    /// The article read from this path, if any.
    pub fn by_path(&self, path: &Path) -> Option<&Article> {
        self.articles.iter().find(|a| a.path == path)
    }
}

// ---------------------------------------------------------------------------
// Listing files
// ---------------------------------------------------------------------------

/// A file found by the walk.
#[derive(Debug, Clone)]
struct Listed {
    /// Index of its root.
    root: usize,
    /// Path under the root as given (root joined with the relative path).
    path: PathBuf,
    /// Canonical path, checked to be inside the root: what is actually read.
    real: PathBuf,
}

#[derive(Debug, Default)]
struct Listing {
    files: Vec<Listed>,
    sources: Vec<Listed>,
    problems: Vec<Problem>,
}

struct Walker {
    canon_roots: Vec<PathBuf>,
    seen_dirs: HashSet<PathBuf>,
    seen_files: HashSet<PathBuf>,
    out: Listing,
}

fn is_article_name(name: &str) -> bool {
    if name.starts_with('.') {
        return false;
    }
    match Path::new(name).extension().and_then(|e| e.to_str()) {
        Some(ext) => ext.eq_ignore_ascii_case("txt") || ext.eq_ignore_ascii_case("md"),
        None => false,
    }
}

fn is_markdown(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md"))
}

/// Checks a root and returns its canonical path.
fn check_root(root: &Path) -> Result<PathBuf, CorpusError> {
    match fs::metadata(root) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(CorpusError::Missing(root.to_path_buf()));
        }
        Err(e) => return Err(CorpusError::Io(root.to_path_buf(), e)),
        Ok(m) if !m.is_dir() => return Err(CorpusError::NotADirectory(root.to_path_buf())),
        Ok(_) => {}
    }
    fs::canonicalize(root).map_err(|e| CorpusError::Io(root.to_path_buf(), e))
}

impl Walker {
    fn new(canon_roots: Vec<PathBuf>) -> Self {
        Walker {
            canon_roots,
            seen_dirs: HashSet::new(),
            seen_files: HashSet::new(),
            out: Listing::default(),
        }
    }

    fn problem(&mut self, path: &Path, reason: String) {
        self.out.problems.push(Problem::new(path, reason));
    }

    /// Walks `dir` (whose canonical path is `real_dir`) of root `root`.
    fn walk_dir(&mut self, root: usize, dir: &Path, real_dir: &Path) -> io::Result<()> {
        if !self.seen_dirs.insert(real_dir.to_path_buf()) {
            return Ok(());
        }
        let mut entries: Vec<(OsString, PathBuf, fs::FileType)> = Vec::new();
        for entry in fs::read_dir(dir)? {
            match entry {
                Ok(entry) => match entry.file_type() {
                    Ok(ft) => entries.push((entry.file_name(), entry.path(), ft)),
                    Err(e) => self.problem(&entry.path(), format!("cannot read: {e}; skipped")),
                },
                Err(e) => self.problem(dir, format!("cannot list folder entry: {e}")),
            }
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let canon_root = self.canon_roots.get(root).cloned().unwrap_or_default();
        for (os_name, path, ft) in entries {
            let name = os_name.to_string_lossy();
            if name.starts_with('.') {
                continue;
            }
            let wanted_file = is_article_name(&name) || name == SOURCES_FILE;
            let (is_dir, is_file, real) = if ft.is_symlink() {
                let target = match fs::canonicalize(&path) {
                    Ok(t) => t,
                    Err(e) => {
                        if wanted_file {
                            self.problem(&path, format!("broken symbolic link ({e}); skipped"));
                        }
                        continue;
                    }
                };
                let (d, f) = fs::metadata(&target)
                    .map(|m| (m.is_dir(), m.is_file()))
                    .unwrap_or((false, false));
                if !target.starts_with(&canon_root) {
                    if wanted_file || d {
                        self.problem(
                            &path,
                            format!(
                                "symbolic link to {} points outside the corpus folder; not followed",
                                target.display()
                            ),
                        );
                    }
                    continue;
                }
                (d, f, target)
            } else {
                (ft.is_dir(), ft.is_file(), real_dir.join(&os_name))
            };
            if is_dir {
                if SKIPPED_DIRS.contains(&&*name) {
                    continue;
                }
                if let Err(e) = self.walk_dir(root, &path, &real) {
                    self.problem(&path, format!("cannot list folder: {e}; skipped"));
                }
            } else if is_file && wanted_file && self.seen_files.insert(real.clone()) {
                let listed = Listed { root, path, real };
                if name == SOURCES_FILE {
                    self.out.sources.push(listed);
                } else {
                    self.out.files.push(listed);
                }
            }
        }
        Ok(())
    }
}

fn walk(roots: &[PathBuf]) -> Result<Listing, CorpusError> {
    let canon: Vec<PathBuf> = roots
        .iter()
        .map(|r| check_root(r))
        .collect::<Result<_, _>>()?;
    let mut walker = Walker::new(canon.clone());
    for (i, (root, real)) in roots.iter().zip(&canon).enumerate() {
        walker
            .walk_dir(i, root, real)
            .map_err(|e| CorpusError::Io(root.clone(), e))?;
    }
    let mut out = walker.out;
    out.files
        .sort_by(|a, b| (a.root, &a.path).cmp(&(b.root, &b.path)));
    out.sources
        .sort_by(|a, b| (a.root, &a.path).cmp(&(b.root, &b.path)));
    Ok(out)
}

/// The article files (`.txt`, `.md`) under the roots, recursively, sorted by
/// root then path. Errors as [`load`].
pub fn list_files(roots: &[PathBuf]) -> Result<Vec<PathBuf>, CorpusError> {
    Ok(walk(roots)?.files.into_iter().map(|l| l.path).collect())
}

// ---------------------------------------------------------------------------
// Reading and decoding
// ---------------------------------------------------------------------------

fn human_size(n: u64) -> String {
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

fn too_big(path: &Path, len: u64, max: u64) -> Problem {
    Problem::new(
        path,
        format!(
            "file is {}, over the {} limit (max_file_size); skipped",
            human_size(len),
            human_size(max)
        ),
    )
}

/// Reads at most `max` bytes of `real`, reporting problems against `shown`.
fn read_bytes(real: &Path, shown: &Path, max: u64) -> Result<Vec<u8>, Problem> {
    let cannot = |e: io::Error| Problem::new(shown, format!("cannot read file: {e}; skipped"));
    let file = fs::File::open(real).map_err(cannot)?;
    let len = file.metadata().map_err(cannot)?.len();
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
    Ok(bytes)
}

/// Decodes file bytes: UTF-8, else lossily with a caveat; binary is an error.
/// Returns the text and, when decoding was lossy, the caveat.
fn decode(bytes: Vec<u8>) -> Result<(String, Option<String>), String> {
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

fn bom_len(text: &str) -> usize {
    if text.starts_with('\u{feff}') { 3 } else { 0 }
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

fn is_blank(s: &str) -> bool {
    s.chars().all(is_space)
}

/// An article read and analysed, before ids and `sources.toml` are applied.
#[derive(Debug)]
struct Pending {
    article: Article,
    front_matter: ArticleMeta,
    headline: Option<(String, Range<usize>)>,
}

fn stem_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Parses front matter, finds headline and boilerplate. Returns the caveat
/// about the front matter, if any.
fn analyse(path: PathBuf, text: String) -> (Pending, Option<String>) {
    let (front_matter, body, fm_problem) = if is_markdown(&path) {
        parse_front_matter(&text)
    } else {
        (ArticleMeta::default(), bom_len(&text)..text.len(), None)
    };
    let headline = headline(&text, body.clone());
    let boilerplate = boilerplate_regions(&text, body.clone());
    let article = Article {
        id: stem_of(&path),
        path,
        text,
        body,
        meta: front_matter.clone(),
        title: None,
        title_range: None,
        boilerplate,
    };
    (
        Pending {
            article,
            front_matter,
            headline,
        },
        fm_problem,
    )
}

/// Reads, decodes and analyses one file. `Err` means the file is skipped;
/// the `Vec` holds caveats about a file that was loaded.
fn read_pending(
    shown: &Path,
    real: &Path,
    opts: &LoadOptions,
) -> Result<(Pending, Vec<Problem>), Problem> {
    let bytes = read_bytes(real, shown, opts.max_file_size)?;
    if bytes.is_empty() {
        return Err(Problem::new(shown, "empty file; skipped"));
    }
    let (text, lossy) = decode(bytes).map_err(|reason| Problem::new(shown, reason))?;
    if is_blank(&text) {
        return Err(Problem::new(
            shown,
            "file contains only whitespace; skipped",
        ));
    }
    let mut caveats = Vec::new();
    if let Some(reason) = lossy {
        caveats.push(Problem::new(shown, reason));
    }
    let (pending, fm_problem) = analyse(shown.to_path_buf(), text);
    if let Some(reason) = fm_problem {
        caveats.push(Problem::new(shown, reason));
    }
    if is_blank(pending.article.body_text()) {
        return Err(Problem::new(
            shown,
            "no text after the front matter; skipped",
        ));
    }
    Ok((pending, caveats))
}

/// [`read_pending`], turning a panic (a bug) into a reported problem so that
/// one strange file cannot take the language server down.
fn read_guarded(
    shown: &Path,
    real: &Path,
    opts: &LoadOptions,
) -> Result<(Pending, Vec<Problem>), Problem> {
    catch_unwind(AssertUnwindSafe(|| read_pending(shown, real, opts))).unwrap_or_else(|_| {
        Err(Problem::new(
            shown,
            "internal error while reading this file (a Dossier bug); skipped",
        ))
    })
}

/// Applies `sources.toml` metadata and sets the title.
fn finish(pending: Pending, overrides: Option<&ArticleMeta>) -> Article {
    let mut article = pending.article;
    let mut meta = pending.front_matter;
    if let Some(o) = overrides {
        if o.title.is_some() {
            meta.title.clone_from(&o.title);
        }
        if o.date.is_some() {
            meta.date = o.date;
        }
        if o.url.is_some() {
            meta.url.clone_from(&o.url);
        }
    }
    article.meta = meta;
    (article.title, article.title_range) = match (&article.meta.title, pending.headline) {
        (Some(t), Some((h, r))) if same_title(t, &h) => (Some(t.clone()), Some(r)),
        (Some(t), _) => (Some(t.clone()), None),
        (None, Some((h, r))) => (Some(h), Some(r)),
        (None, None) => (None, None),
    };
    article
}

fn same_title(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    norm(a) == norm(b)
}

// ---------------------------------------------------------------------------
// Ids
// ---------------------------------------------------------------------------

struct IdParts {
    root: usize,
    root_name: String,
    dir: String,
    stem: String,
    file_name: String,
}

const MAX_ID_LEVEL: u8 = 4;

fn join_id(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}/{name}")
    }
}

impl IdParts {
    fn new(roots: &[PathBuf], root: usize, path: &Path) -> Self {
        let root_path = roots.get(root);
        let rel = root_path
            .and_then(|r| path.strip_prefix(r).ok())
            .unwrap_or(path);
        let dir: Vec<String> = rel
            .parent()
            .map(|p| {
                p.components()
                    .filter_map(|c| match c {
                        Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        let root_name = root_path
            .and_then(|r| {
                r.components().rev().find_map(|c| match c {
                    Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                    _ => None,
                })
            })
            .unwrap_or_else(|| format!("root{root}"));
        IdParts {
            root,
            root_name,
            dir: dir.join("/"),
            stem: stem_of(path),
            file_name: path
                .file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
        }
    }

    fn id(&self, level: u8) -> String {
        match level {
            0 => self.stem.clone(),
            1 => join_id(&self.dir, &self.stem),
            2 => join_id(&self.dir, &self.file_name),
            3 => join_id(&join_id(&self.root_name, &self.dir), &self.file_name),
            _ => format!("{}:{}", self.root, join_id(&self.dir, &self.file_name)),
        }
    }
}

/// Assigns unique ids to `(root index, path)` pairs; see the module docs.
fn assign_ids(roots: &[PathBuf], files: &[(usize, &Path)]) -> Vec<String> {
    let parts: Vec<IdParts> = files
        .iter()
        .map(|(root, path)| IdParts::new(roots, *root, path))
        .collect();
    let mut level = vec![0u8; parts.len()];
    let mut ids: Vec<String>;
    loop {
        ids = parts.iter().zip(&level).map(|(p, l)| p.id(*l)).collect();
        let mut groups: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, id) in ids.iter().enumerate() {
            groups.entry(id.as_str()).or_default().push(i);
        }
        let mut bumped = false;
        for group in groups.values().filter(|g| g.len() > 1) {
            for &i in group {
                if level[i] < MAX_ID_LEVEL {
                    level[i] += 1;
                    bumped = true;
                }
            }
        }
        if !bumped {
            break;
        }
    }
    // Only reachable with file names that differ in bytes but not after lossy
    // UTF-8 conversion: make them unique anyway.
    let mut seen: HashSet<String> = HashSet::new();
    for (i, id) in ids.iter_mut().enumerate() {
        if !seen.insert(id.clone()) {
            *id = format!("{id}~{i}");
            seen.insert(id.clone());
        }
    }
    ids
}

// ---------------------------------------------------------------------------
// sources.toml
// ---------------------------------------------------------------------------

/// Parses a `sources.toml`: tables keyed by article id (or file stem) with
/// `title`, `date` (`"2024-07-04"` or a TOML date) and `url`. Returns the
/// entries and human-readable problems (bad TOML, bad values, unknown keys).
pub fn parse_sources(text: &str) -> (BTreeMap<String, ArticleMeta>, Vec<String>) {
    let mut entries = BTreeMap::new();
    let mut problems = Vec::new();
    let table: toml::Table = match toml::from_str(text) {
        Ok(t) => t,
        Err(e) => {
            problems.push(format!(
                "not valid TOML; ignored: {}",
                e.to_string().trim_end()
            ));
            return (entries, problems);
        }
    };
    for (key, value) in table {
        let toml::Value::Table(fields) = value else {
            problems.push(format!(
                "`{key}` should be a table (`[\"{key}\"]` with title, date, url); ignored"
            ));
            continue;
        };
        let mut meta = ArticleMeta::default();
        for (field, v) in fields {
            match (field.as_str(), &v) {
                ("title", toml::Value::String(s)) if !s.trim().is_empty() => {
                    meta.title = Some(s.trim().to_string());
                }
                ("url", toml::Value::String(s)) if !s.trim().is_empty() => {
                    meta.url = Some(s.trim().to_string());
                }
                ("date", _) => match toml_date(&v) {
                    Some(d) => meta.date = Some(d),
                    None => problems.push(format!(
                        "[\"{key}\"] date = {v} is not a date (write date = \"2024-07-04\"); ignored"
                    )),
                },
                ("title" | "url", _) => {
                    problems.push(format!("[\"{key}\"] {field} should be a non-empty string; ignored"));
                }
                _ => problems.push(format!("[\"{key}\"] unknown key `{field}`; ignored")),
            }
        }
        entries.insert(key, meta);
    }
    (entries, problems)
}

fn toml_date(v: &toml::Value) -> Option<Date> {
    match v {
        toml::Value::String(s) => parse_date(s),
        toml::Value::Datetime(dt) => {
            let d = dt.date?;
            Date::new(
                i16::try_from(d.year).ok()?,
                i8::try_from(d.month).ok()?,
                i8::try_from(d.day).ok()?,
            )
            .ok()
        }
        _ => None,
    }
}

/// A parsed `sources.toml`.
#[derive(Debug, Default)]
struct Sources {
    file: PathBuf,
    entries: BTreeMap<String, ArticleMeta>,
}

impl Sources {
    fn lookup(&self, id: &str, stem: &str) -> Option<(&str, &ArticleMeta)> {
        self.entries
            .get_key_value(id)
            .or_else(|| self.entries.get_key_value(stem))
            .map(|(k, v)| (k.as_str(), v))
    }
}

/// Reads and parses one `sources.toml`; problems go to `problems`.
fn read_sources(
    shown: &Path,
    real: &Path,
    opts: &LoadOptions,
    problems: &mut Vec<Problem>,
) -> Sources {
    let mut sources = Sources {
        file: shown.to_path_buf(),
        entries: BTreeMap::new(),
    };
    let text = match read_bytes(real, shown, opts.max_file_size)
        .and_then(|b| decode(b).map_err(|r| Problem::new(shown, r)))
    {
        Ok((text, _)) => text,
        Err(p) => {
            problems.push(p);
            return sources;
        }
    };
    let (entries, reasons) = parse_sources(&text);
    problems.extend(reasons.into_iter().map(|r| Problem::new(shown, r)));
    sources.entries = entries;
    sources
}

/// Applies the `sources.toml` of each article's folder, finishes the
/// articles, and reports entries that matched no article.
fn apply_sources(
    pendings: Vec<Pending>,
    sources: &HashMap<PathBuf, Sources>,
    report_unused_for: &HashSet<PathBuf>,
    others: &[Article],
    problems: &mut Vec<Problem>,
) -> Vec<Article> {
    let mut used: HashSet<(PathBuf, String)> = HashSet::new();
    let parent = |p: &Path| p.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut articles = Vec::with_capacity(pendings.len());
    for pending in pendings {
        let dir = parent(&pending.article.path);
        let overrides = sources.get(&dir).and_then(|s| {
            let stem = stem_of(&pending.article.path);
            s.lookup(&pending.article.id, &stem).map(|(key, meta)| {
                used.insert((dir.clone(), key.to_string()));
                meta
            })
        });
        articles.push(finish(pending, overrides));
    }
    for a in others {
        let dir = parent(&a.path);
        if let Some(s) = sources.get(&dir)
            && let Some((key, _)) = s.lookup(&a.id, &stem_of(&a.path))
        {
            used.insert((dir, key.to_string()));
        }
    }
    for (dir, s) in sources {
        if !report_unused_for.contains(dir) {
            continue;
        }
        for key in s.entries.keys() {
            if !used.contains(&(dir.clone(), key.clone())) {
                problems.push(Problem::new(
                    &s.file,
                    format!("[\"{key}\"] matches no article in this folder; ignored"),
                ));
            }
        }
    }
    articles
}

// ---------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------

/// Calls the progress callback, throttled to about a hundred calls.
struct Reporter<'a> {
    total: usize,
    step: usize,
    state: Mutex<(usize, usize)>,
    callback: &'a (dyn Fn(usize, usize) + Sync),
}

impl Reporter<'_> {
    fn tick(&self) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.0 += 1;
        let done = state.0;
        if done == self.total || done - state.1 >= self.step {
            state.1 = done;
            (self.callback)(done, self.total);
        }
    }
}

type ReadOutcome = Result<(Pending, Vec<Problem>), Problem>;

/// Reads the files on `available_parallelism()` scoped threads; results in
/// the order of `files`.
fn read_all(
    files: &[Listed],
    opts: &LoadOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Vec<ReadOutcome> {
    let total = files.len();
    progress(0, total);
    if total == 0 {
        return Vec::new();
    }
    let workers = thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, total);
    let next = AtomicUsize::new(0);
    let reporter = Reporter {
        total,
        step: total.div_ceil(100).max(1),
        state: Mutex::new((0, 0)),
        callback: progress,
    };
    let mut slots: Vec<Option<ReadOutcome>> = (0..total).map(|_| None).collect();
    thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(file) = files.get(i) else { break };
                        out.push((i, read_guarded(&file.path, &file.real, opts)));
                        reporter.tick();
                    }
                    out
                })
            })
            .collect();
        for handle in handles {
            // A worker only panics if the progress callback does; the files
            // it had read are then reported below as not read.
            if let Ok(out) = handle.join() {
                for (i, outcome) in out {
                    if let Some(slot) = slots.get_mut(i) {
                        *slot = Some(outcome);
                    }
                }
            }
        }
    });
    slots
        .into_iter()
        .zip(files)
        .map(|(slot, file)| {
            slot.unwrap_or_else(|| {
                Err(Problem::new(
                    &file.path,
                    "not read: a loader thread stopped (a Dossier bug); skipped",
                ))
            })
        })
        .collect()
}

/// Loads every article under `roots`.
///
/// Files are read and analysed in parallel on `available_parallelism()`
/// scoped threads. `progress(done, total)` is called from the loader threads:
/// first with `(0, total)`, then about every percent with `done` increasing,
/// last with `(total, total)`; it must be cheap. Articles come back sorted by
/// id, problems sorted by path; the result does not depend on thread timing.
///
/// A missing root, or a root that is not a folder, is an error; an existing
/// empty root gives zero articles (the caller should warn). Every other
/// problem is reported in [`Corpus::problems`] and the load goes on.
pub fn load(
    roots: &[PathBuf],
    opts: &LoadOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Corpus, CorpusError> {
    let listing = walk(roots)?;
    let mut problems = listing.problems;
    let outcomes = read_all(&listing.files, opts, progress);
    let mut pendings = Vec::with_capacity(outcomes.len());
    let mut root_of = Vec::with_capacity(outcomes.len());
    for (file, outcome) in listing.files.iter().zip(outcomes) {
        match outcome {
            Ok((pending, caveats)) => {
                problems.extend(caveats);
                pendings.push(pending);
                root_of.push(file.root);
            }
            Err(problem) => problems.push(problem),
        }
    }
    let keys: Vec<(usize, &Path)> = root_of
        .iter()
        .zip(&pendings)
        .map(|(r, p)| (*r, p.article.path.as_path()))
        .collect();
    let ids = assign_ids(roots, &keys);
    for (pending, id) in pendings.iter_mut().zip(ids) {
        pending.article.id = id;
    }
    let mut sources = HashMap::new();
    for s in &listing.sources {
        let parsed = read_sources(&s.path, &s.real, opts, &mut problems);
        let dir = s.path.parent().map(Path::to_path_buf).unwrap_or_default();
        sources.insert(dir, parsed);
    }
    let all_dirs: HashSet<PathBuf> = sources.keys().cloned().collect();
    let mut articles = apply_sources(pendings, &sources, &all_dirs, &[], &mut problems);
    articles.sort_by(|a, b| a.id.cmp(&b.id));
    problems.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Corpus {
        roots: roots.to_vec(),
        articles,
        problems,
    })
}

/// Where `path` is relative to `root` (lexically, else via canonical paths;
/// the file itself need not exist). Only plain components are accepted.
fn relative_to_root(root: &Path, canon_root: Option<&Path>, path: &Path) -> Option<PathBuf> {
    let rel = match path.strip_prefix(root) {
        Ok(rel) => rel.to_path_buf(),
        Err(_) => {
            let canon_root = canon_root?;
            let name = path.file_name()?;
            let parent = fs::canonicalize(path.parent()?).ok()?;
            parent.strip_prefix(canon_root).ok()?.join(name)
        }
    };
    rel.components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then_some(rel)
}

/// Whether a relative path can hold corpus files: no hidden or skipped
/// component.
fn rel_is_walkable(rel: &Path) -> bool {
    rel.components().all(|c| match c {
        Component::Normal(s) => {
            let s = s.to_string_lossy();
            !s.starts_with('.') && !SKIPPED_DIRS.contains(&&*s)
        }
        _ => false,
    })
}

/// Reads the `sources.toml` of `dir` if there is one inside `canon_root`.
fn sources_of_dir(
    dir: &Path,
    canon_root: &Path,
    opts: &LoadOptions,
    problems: &mut Vec<Problem>,
) -> Option<Sources> {
    let file = dir.join(SOURCES_FILE);
    let real = fs::canonicalize(&file).ok()?;
    if !real.starts_with(canon_root) || !real.is_file() {
        return None;
    }
    Some(read_sources(&file, &real, opts, problems))
}

/// Reads one article file for the file watcher. `path` may be absolute or
/// relative to `root`.
///
/// The id is the file stem, which is what a full [`load`] gives when the
/// stem is unique in the corpus. When stems clash, a full load qualifies the
/// ids with folders (see the module docs) and this function cannot know
/// that: use [`Corpus::refresh`], which re-assigns ids over the whole corpus
/// exactly as a full load would. The `sources.toml` of the file's folder is
/// applied. Caveats about a file that was read (lossy decoding, bad front
/// matter) are dropped here; [`read_article_with_problems`] returns them.
pub fn read_article(root: &Path, path: &Path, opts: &LoadOptions) -> Result<Article, Problem> {
    read_article_with_problems(root, path, opts).map(|(article, _)| article)
}

/// [`read_article`], also returning the caveats about the file and about
/// its folder's `sources.toml`.
pub fn read_article_with_problems(
    root: &Path,
    path: &Path,
    opts: &LoadOptions,
) -> Result<(Article, Vec<Problem>), Problem> {
    let path = if path.is_relative() {
        root.join(path)
    } else {
        path.to_path_buf()
    };
    let canon_root = fs::canonicalize(root)
        .map_err(|e| Problem::new(root, format!("cannot read corpus folder: {e}")))?;
    let rel = relative_to_root(root, Some(&canon_root), &path).ok_or_else(|| {
        Problem::new(
            &path,
            format!("not inside the corpus folder {}; not read", root.display()),
        )
    })?;
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    if !rel_is_walkable(&rel) || !is_article_name(&name) {
        return Err(Problem::new(
            &path,
            "not a corpus article (only .txt and .md files outside hidden, node_modules \
             and target folders); not read",
        ));
    }
    let shown = root.join(&rel);
    let real = fs::canonicalize(&shown)
        .map_err(|e| Problem::new(&shown, format!("cannot read file: {e}; skipped")))?;
    if !real.starts_with(&canon_root) {
        return Err(Problem::new(
            &shown,
            format!(
                "symbolic link to {} points outside the corpus folder; not followed",
                real.display()
            ),
        ));
    }
    let (pending, mut problems) = read_guarded(&shown, &real, opts)?;
    let dir = shown.parent().unwrap_or(root);
    let sources = sources_of_dir(dir, &canon_root, opts, &mut problems);
    let overrides = sources
        .as_ref()
        .and_then(|s| s.lookup(&pending.article.id, &stem_of(&shown)))
        .map(|(_, meta)| meta);
    Ok((finish(pending, overrides), problems))
}

/// What [`Corpus::refresh`] changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Refresh {
    /// Ids of articles that were added, re-read, or renamed (new id), sorted.
    pub changed: Vec<String>,
    /// Ids that no longer exist (file removed or skipped, or renamed), sorted.
    pub removed: Vec<String>,
}

impl Corpus {
    /// Index of the first root holding `path`, and the path relative to it.
    fn locate(&self, path: &Path) -> Option<(usize, PathBuf)> {
        self.roots.iter().enumerate().find_map(|(i, root)| {
            let canon = fs::canonicalize(root).ok();
            relative_to_root(root, canon.as_deref(), path).map(|rel| (i, rel))
        })
    }

    fn root_index(&self, path: &Path) -> usize {
        self.roots
            .iter()
            .position(|r| path.starts_with(r))
            .unwrap_or(0)
    }

    /// Brings the corpus up to date after a change to `path` reported by a
    /// file watcher: an article file (created, modified or removed), a
    /// folder (all articles in it), or a `sources.toml` (the articles of its
    /// folder). Paths outside the roots, in skipped folders or of other
    /// kinds are ignored. Problems about the re-read files are replaced.
    ///
    /// Ids are re-assigned over the whole corpus with the same rule as
    /// [`load`], so the result equals a full reload (up to symbolic-link
    /// corner cases). A new file whose stem clashes with an existing article
    /// renames that article (`foo` becomes `a/foo`); renames appear as the
    /// old id in `removed` and the new id in `changed`.
    pub fn refresh(&mut self, path: &Path, opts: &LoadOptions) -> Refresh {
        let Some((root_idx, rel)) = self.locate(path) else {
            return Refresh::default();
        };
        if !rel.as_os_str().is_empty() && !rel_is_walkable(&rel) {
            return Refresh::default();
        }
        let Some(root) = self.roots.get(root_idx).cloned() else {
            return Refresh::default();
        };
        let Ok(canon_root) = fs::canonicalize(&root) else {
            return Refresh::default();
        };
        let target = root.join(&rel);
        let is_sources = rel.file_name().is_some_and(|n| n == SOURCES_FILE);

        // Which article files to (re)read.
        let mut paths: BTreeSet<PathBuf> = BTreeSet::new();
        let mut reals: HashMap<PathBuf, PathBuf> = HashMap::new();
        let mut walk_problems = Vec::new();
        let sources_dir = if is_sources {
            target.parent().map(Path::to_path_buf)
        } else {
            None
        };
        if let Some(dir) = &sources_dir {
            paths.extend(
                self.articles
                    .iter()
                    .filter(|a| a.path.parent() == Some(dir.as_path()))
                    .map(|a| a.path.clone()),
            );
        } else {
            paths.extend(
                self.articles
                    .iter()
                    .filter(|a| a.path.starts_with(&target))
                    .map(|a| a.path.clone()),
            );
            let real_target = fs::canonicalize(&target).ok();
            match real_target {
                Some(real) if real.is_dir() && real.starts_with(&canon_root) => {
                    let mut canon_roots = vec![PathBuf::new(); self.roots.len()];
                    canon_roots[root_idx] = canon_root.clone();
                    let mut walker = Walker::new(canon_roots);
                    // Ignore errors here: a folder that cannot be read simply
                    // contributes no articles.
                    let _ = walker.walk_dir(root_idx, &target, &real);
                    walk_problems = walker.out.problems;
                    for l in walker.out.files {
                        paths.insert(l.path.clone());
                        reals.insert(l.path, l.real);
                    }
                }
                Some(real) if real.is_file() && real.starts_with(&canon_root) => {
                    let name = rel
                        .file_name()
                        .map(|n| n.to_string_lossy())
                        .unwrap_or_default();
                    if is_article_name(&name) {
                        reals.insert(target.clone(), real);
                        paths.insert(target.clone());
                    }
                }
                _ => {}
            }
        }
        if paths.is_empty() && !is_sources {
            return Refresh::default();
        }

        let old_ids: HashMap<PathBuf, String> = self
            .articles
            .iter()
            .map(|a| (a.path.clone(), a.id.clone()))
            .collect();
        let sources_file = sources_dir.as_ref().map(|d| d.join(SOURCES_FILE));
        self.articles.retain(|a| !paths.contains(&a.path));
        self.problems.retain(|p| {
            !paths.contains(&p.path)
                && Some(&p.path) != sources_file.as_ref()
                && (is_sources || !p.path.starts_with(&target))
        });

        self.problems.extend(walk_problems);

        // Read.
        let mut pendings = Vec::new();
        for p in &paths {
            let real = match reals.get(p) {
                Some(r) => r.clone(),
                None => match fs::canonicalize(p) {
                    Ok(r) if r.starts_with(&canon_root) && r.is_file() => r,
                    _ => continue, // removed
                },
            };
            match read_guarded(p, &real, opts) {
                Ok((pending, caveats)) => {
                    self.problems.extend(caveats);
                    pendings.push(pending);
                }
                Err(problem) => self.problems.push(problem),
            }
        }

        // Ids over the whole corpus, as a full load would assign them.
        let n_old = self.articles.len();
        let keys: Vec<(usize, PathBuf)> = self
            .articles
            .iter()
            .map(|a| a.path.clone())
            .chain(pendings.iter().map(|p| p.article.path.clone()))
            .map(|p| (self.root_index(&p), p))
            .collect();
        let key_refs: Vec<(usize, &Path)> = keys.iter().map(|(r, p)| (*r, p.as_path())).collect();
        let ids = assign_ids(&self.roots, &key_refs);
        let mut changed: BTreeSet<String> = BTreeSet::new();
        for (article, id) in self.articles.iter_mut().zip(&ids) {
            if article.id != *id {
                article.id.clone_from(id);
                changed.insert(id.clone());
            }
        }
        for (pending, id) in pendings.iter_mut().zip(ids.iter().skip(n_old)) {
            pending.article.id.clone_from(id);
            changed.insert(id.clone());
        }

        // Metadata from the folders' sources.toml.
        let dirs: BTreeSet<PathBuf> = pendings
            .iter()
            .filter_map(|p| p.article.path.parent().map(Path::to_path_buf))
            .chain(sources_dir.clone())
            .collect();
        let mut sources = HashMap::new();
        for dir in &dirs {
            let file = dir.join(SOURCES_FILE);
            self.problems.retain(|p| p.path != file);
            if let Some(s) = sources_of_dir(dir, &canon_root, opts, &mut self.problems) {
                sources.insert(dir.clone(), s);
            }
        }
        let report: HashSet<PathBuf> = dirs.into_iter().collect();
        let fresh = apply_sources(
            pendings,
            &sources,
            &report,
            &self.articles,
            &mut self.problems,
        );
        self.articles.extend(fresh);
        self.articles.sort_by(|a, b| a.id.cmp(&b.id));
        self.problems.sort_by(|a, b| a.path.cmp(&b.path));

        let now: HashSet<&str> = self.articles.iter().map(|a| a.id.as_str()).collect();
        let removed: BTreeSet<String> = old_ids
            .values()
            .filter(|id| !now.contains(id.as_str()))
            .cloned()
            .collect();
        Refresh {
            changed: changed.into_iter().collect(),
            removed: removed.into_iter().collect(),
        }
    }
}

// ---------------------------------------------------------------------------
// Front matter
// ---------------------------------------------------------------------------

/// Iterates over line ranges (without `\n` / `\r\n`) of `text[range]`.
struct Lines<'a> {
    text: &'a str,
    pos: usize,
    end: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str, range: Range<usize>) -> Self {
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
fn clamp(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let end = range.end.min(text.len());
    let start = range.start.min(end);
    (text.is_char_boundary(start) && text.is_char_boundary(end)).then_some(start..end)
}

/// `range` without leading and trailing whitespace.
fn trim_range(text: &str, range: Range<usize>) -> Range<usize> {
    let s = &text[range.clone()];
    let start = range.start + (s.len() - s.trim_start_matches(is_space).len());
    let end = range.end - (s.len() - s.trim_end_matches(is_space).len());
    start..end.max(start)
}

/// Parses YAML front matter at the start of `text` (after an optional BOM).
///
/// Returns the metadata, the body range (after the closing `---`/`...` line;
/// the whole text after the BOM when there is no front matter), and a
/// human-readable problem when the front matter is unclosed, is not valid
/// YAML, or has values that cannot be used (the usable fields are still
/// returned). Keys are matched case-insensitively: `title`; `date`, else
/// `published`, else `published_time` (date part: `2024-10-29 23:59:00-04:00`
/// gives 2024-10-29; quoted or unquoted); `url`, else `source_url`.
pub fn parse_front_matter(text: &str) -> (ArticleMeta, Range<usize>, Option<String>) {
    let start = bom_len(text);
    let none = (ArticleMeta::default(), start..text.len(), None);
    let mut lines = Lines::new(text, start..text.len());
    match lines.next() {
        Some(first) if text[first.clone()].trim_end() == "---" => {}
        _ => return none,
    }
    let yaml_start = lines.pos;
    let mut close = None;
    for line in lines.by_ref() {
        let l = text[line.clone()].trim_end();
        if l == "---" || l == "..." {
            close = Some(line.start);
            break;
        }
    }
    let Some(yaml_end) = close else {
        return (
            ArticleMeta::default(),
            start..text.len(),
            Some("front matter opened with `---` is never closed; read as text".to_string()),
        );
    };
    let body = lines.pos..text.len();
    let yaml = &text[yaml_start..yaml_end];
    if is_blank(yaml) {
        return (ArticleMeta::default(), body, None);
    }
    let value: serde_yaml_ng::Value = match serde_yaml_ng::from_str(yaml) {
        Ok(v) => v,
        Err(e) => {
            return (
                ArticleMeta::default(),
                body,
                Some(format!(
                    "front matter is not valid YAML (line numbers count from the line after `---`); \
                     metadata ignored: {e}"
                )),
            );
        }
    };
    let serde_yaml_ng::Value::Mapping(map) = value else {
        return (
            ArticleMeta::default(),
            body,
            Some("front matter is not a YAML mapping of keys to values; ignored".to_string()),
        );
    };
    let mut fields: HashMap<String, &serde_yaml_ng::Value> = HashMap::new();
    for (k, v) in &map {
        if let Some(k) = yaml_scalar(k) {
            fields.entry(k.to_ascii_lowercase()).or_insert(v);
        }
    }
    let mut meta = ArticleMeta::default();
    let mut issues = Vec::new();
    if let Some(v) = fields.get("title") {
        match yaml_scalar(v) {
            Some(t) if !t.trim().is_empty() => meta.title = Some(t.trim().to_string()),
            Some(_) => {}
            None if matches!(v, serde_yaml_ng::Value::Null) => {}
            None => issues.push("`title` is not text; ignored".to_string()),
        }
    }
    for key in ["date", "published", "published_time"] {
        let Some(v) = fields.get(key) else { continue };
        match yaml_scalar(v) {
            None if matches!(v, serde_yaml_ng::Value::Null) => {}
            Some(s) if s.trim().is_empty() => {}
            Some(s) => match parse_date(&s) {
                Some(d) => {
                    if meta.date.is_none() {
                        meta.date = Some(d);
                    }
                }
                None => issues.push(format!("`{key}: {s}` is not a date; ignored")),
            },
            None => issues.push(format!("`{key}` is not a date; ignored")),
        }
    }
    for key in ["url", "source_url"] {
        if meta.url.is_none()
            && let Some(u) = fields.get(key).and_then(|v| yaml_scalar(v))
            && !u.trim().is_empty()
        {
            meta.url = Some(u.trim().to_string());
        }
    }
    let problem = (!issues.is_empty()).then(|| format!("front matter: {}", issues.join("; ")));
    (meta, body, problem)
}

/// A YAML scalar as text (strings, numbers, booleans; tags unwrapped).
fn yaml_scalar(v: &serde_yaml_ng::Value) -> Option<String> {
    match v {
        serde_yaml_ng::Value::String(s) => Some(s.clone()),
        serde_yaml_ng::Value::Number(n) => Some(n.to_string()),
        serde_yaml_ng::Value::Bool(b) => Some(b.to_string()),
        serde_yaml_ng::Value::Tagged(t) => yaml_scalar(&t.value),
        _ => None,
    }
}

/// Parses a metadata date: ISO `2024-10-29`, or a timestamp starting with one
/// (`2024-10-29 23:59:00-04:00`, `2024-10-29T10:00:00Z`: the date part), or
/// `October 29, 2024`, `Oct 29, 2024`, `29 October 2024`, `2024/10/29`.
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    if s.len() >= 10 && s.is_char_boundary(10) {
        let (head, tail) = s.split_at(10);
        if (tail.is_empty() || tail.starts_with([' ', 'T', 't']))
            && let Ok(d) = head.parse::<Date>()
        {
            return Some(d);
        }
    }
    const FORMATS: &[&str] = &[
        "%B %d, %Y",
        "%b %d, %Y",
        "%A, %B %d, %Y",
        "%d %B %Y",
        "%d %b %Y",
        "%Y/%m/%d",
    ];
    FORMATS.iter().find_map(|f| Date::strptime(f, s).ok())
}

// ---------------------------------------------------------------------------
// Headline
// ---------------------------------------------------------------------------

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];
const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
];
/// Abbreviations that end in a period without ending a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "gen", "lt", "col", "sgt", "capt", "gov", "sen",
    "rep", "prof", "rev", "no", "vs", "inc", "ltd", "co", "corp", "mt", "ft", "pres", "dept",
];

fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

/// `U.S.`, `D.C.`, `J.` and listed abbreviations like `Mr.`.
fn is_abbreviation(word: &str) -> bool {
    let w = word.trim_start_matches(|c: char| !c.is_alphanumeric());
    let Some(core) = w.strip_suffix('.') else {
        return false;
    };
    let initials = core
        .split('.')
        .all(|p| p.chars().count() == 1 && p.chars().all(char::is_alphabetic));
    initials || ABBREVIATIONS.contains(&core.to_lowercase().as_str())
}

fn strip_closers(s: &str) -> &str {
    s.trim_end_matches(['"', '\'', '”', '’', ')', ']', '*', '_'])
}

/// Whether the line ends like a sentence or a clause (`.`, `,`, `;`, `:`,
/// `…`), not counting a final abbreviation like `U.S.`.
fn ends_with_terminal(line: &str) -> bool {
    let s = strip_closers(line.trim_end());
    match s.chars().last() {
        Some('.') => !s.split_whitespace().last().is_some_and(is_abbreviation) || s.ends_with(".."),
        Some(',' | ';' | ':' | '…') => true,
        _ => false,
    }
}

/// Whether a sentence ends inside the line (`Kenya wins. Ruto says`).
fn has_sentence_break(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    words.windows(2).any(|w| {
        let end = strip_closers(w[0]);
        let ends = end.ends_with(['.', '!', '?']) && !is_abbreviation(end);
        let next_upper = w[1]
            .chars()
            .find(|c| c.is_alphanumeric())
            .is_some_and(char::is_uppercase);
        ends && next_upper
    })
}

/// Whether a line is only a date (`December 10, 2013`, `Thursday, July 4,
/// 2024`, `2024-10-29`, `Published on July 4, 2024`).
pub fn is_date_line(line: &str) -> bool {
    let line = line.trim();
    if parse_date(line).is_some() {
        return true;
    }
    let tokens: Vec<String> = line
        .split_whitespace()
        .map(|t| t.trim_end_matches([',', '.', '|']).to_lowercase())
        .filter(|t| !t.is_empty())
        .collect();
    if tokens.is_empty() || tokens.len() > 7 {
        return false;
    }
    let is_year = |t: &str| t.len() == 4 && t.chars().all(|c| c.is_ascii_digit());
    let is_day = |t: &str| {
        let digits = ["st", "nd", "rd", "th"]
            .iter()
            .find_map(|suffix| t.strip_suffix(suffix))
            .unwrap_or(t);
        !digits.is_empty()
            && digits.len() <= 2
            && digits.chars().all(|c| c.is_ascii_digit())
            && digits.parse::<u8>().is_ok_and(|d| (1..=31).contains(&d))
    };
    let has_month = tokens.iter().any(|t| MONTHS.contains(&t.as_str()));
    let has_year = tokens.iter().any(|t| is_year(t));
    has_month
        && has_year
        && tokens.iter().all(|t| {
            MONTHS.contains(&t.as_str())
                || WEEKDAYS.contains(&t.as_str())
                || is_year(t)
                || is_day(t)
                || matches!(
                    t.as_str(),
                    "published" | "updated" | "posted" | "on" | "-" | "–"
                )
        })
}

fn is_place(part: &str) -> bool {
    part.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && part.chars().count() >= 2
        && part
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | ' ' | '.' | '\'' | '-'))
        && word_count(part) <= 4
}

/// Whether a line opens with a news dateline: `Nairobi, Kenya – …`,
/// `WASHINGTON — …` (the pattern `^[A-Z][\w .'-]+(, [A-Z][\w .'-]+)? [–—-] `,
/// each place part at most four words, an agency like `(Reuters)` allowed
/// before the dash).
pub fn is_dateline(line: &str) -> bool {
    let line = line.trim_start();
    let Some(pos) = [" – ", " — ", " - "]
        .iter()
        .filter_map(|d| line.find(d))
        .min()
    else {
        return false;
    };
    let mut prefix = &line[..pos];
    if prefix.ends_with(')')
        && let Some(open) = prefix.rfind(" (")
        && prefix[open + 2..prefix.len() - 1]
            .chars()
            .all(|c| c.is_alphanumeric() || c == ' ')
    {
        prefix = &prefix[..open];
    }
    let mut parts = prefix.splitn(2, ", ");
    parts.all(is_place)
}

/// `By Jane Doe`, `By |`, `BY STAFF WRITER`.
fn is_byline(line: &str) -> bool {
    let mut words = line.split_whitespace();
    let first = words.next().unwrap_or("");
    if !matches!(first, "By" | "BY" | "By:" | "BY:") {
        return false;
    }
    let rest: Vec<&str> = words.collect();
    rest.len() <= 6
        && rest.iter().all(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || !c.is_alphanumeric())
                || matches!(*w, "and" | "de" | "van" | "von" | "al")
        })
}

/// Whether a line reads as a headline: 1–20 words, at most 200 bytes, does
/// not start in lower case, no clause-ending punctuation at its end, no
/// sentence break inside, and not a dateline, a date, a byline or a
/// boilerplate marker.
fn is_headline_like(line: &str) -> bool {
    let words = word_count(line);
    (1..=20).contains(&words)
        && line.len() <= 200
        && line
            .chars()
            .find(|c| c.is_alphanumeric())
            .is_some_and(|c| !c.is_lowercase())
        && !ends_with_terminal(line)
        && !has_sentence_break(line)
        && !is_dateline(line)
        && !is_date_line(line)
        && !is_byline(line)
        && marker_kind(line).is_none()
}

/// A Markdown ATX heading (`# Title`): the range of its text.
fn markdown_heading(text: &str, line: Range<usize>) -> Option<Range<usize>> {
    let s = &text[line.clone()];
    let hashes = s.len() - s.trim_start_matches('#').len();
    if !(1..=6).contains(&hashes) || !s[hashes..].starts_with([' ', '\t']) {
        return None;
    }
    let inner = line.start + hashes..line.end;
    let inner_text = text[inner.clone()].trim_end().trim_end_matches('#');
    let inner = trim_range(text, inner.start..inner.start + inner_text.len());
    let words = word_count(&text[inner.clone()]);
    (1..=30).contains(&words).then_some(inner)
}

/// Whether line `i` continues on the next line (no blank line between and the
/// next starts in lower case): then line `i` is part of a wrapped paragraph.
fn continues(text: &str, lines: &[Range<usize>], i: usize) -> bool {
    lines.get(i + 1).is_some_and(|next| {
        text[next.clone()]
            .trim_start()
            .chars()
            .next()
            .is_some_and(char::is_lowercase)
    })
}

/// The headline at the top of the body, if the text has one: the title and
/// its byte range in `text` (`text[range] == title`).
///
/// The rule: take the first non-blank line of the body.
/// - A Markdown heading (`# Title`) is the headline.
/// - A line of four or more words is the headline if it reads as one: at most
///   20 words, no `.`/`,`/`;`/`:` at its end (`U.S.` is an abbreviation, not a
///   full stop), no sentence break inside, not in lower case, not a dateline
///   (`Nairobi, Kenya – …`), a date, a byline (`By …`) or a boilerplate
///   marker, and not continued by the next line (a wrapped paragraph).
/// - A line of at most three words is the headline when the next non-blank
///   line is a date (`Global markets plunge` / `October 23, 2008`, as in
///   Wikinews). Otherwise it is taken for a section label (`City Affairs`)
///   and skipped when the next non-blank line is a headline of four or more
///   words, which is then the headline; else there is none.
/// - Anything else (a paragraph, a dateline, a date) means no headline.
pub fn headline(text: &str, body: Range<usize>) -> Option<(String, Range<usize>)> {
    let body = clamp(text, body)?;
    let lines: Vec<Range<usize>> = Lines::new(text, body).take(64).collect();
    let nonblank = |from: usize| (from..lines.len()).find(|&i| !is_blank(&text[lines[i].clone()]));
    let found = |r: Range<usize>| Some((text[r.clone()].to_string(), r));
    let first = nonblank(0)?;
    let l1 = trim_range(text, lines[first].clone());
    if let Some(h) = markdown_heading(text, l1.clone()) {
        return found(h);
    }
    let l1_text = &text[l1.clone()];
    if word_count(l1_text) >= 4 {
        return if is_headline_like(l1_text) && !continues(text, &lines, first) {
            found(l1)
        } else {
            None
        };
    }
    let second = nonblank(first + 1)?;
    let l2 = trim_range(text, lines[second].clone());
    let l2_text = &text[l2.clone()];
    if is_date_line(l2_text) {
        return is_headline_like(l1_text).then(|| found(l1)).flatten();
    }
    let is_label = !ends_with_terminal(l1_text)
        && !is_date_line(l1_text)
        && l1_text
            .chars()
            .find(|c| c.is_alphanumeric())
            .is_some_and(|c| !c.is_lowercase());
    if !is_label {
        return None;
    }
    if let Some(h) = markdown_heading(text, l2.clone()) {
        return found(h);
    }
    (word_count(l2_text) >= 4 && is_headline_like(l2_text) && !continues(text, &lines, second))
        .then(|| found(l2))
        .flatten()
}

// ---------------------------------------------------------------------------
// Boilerplate
// ---------------------------------------------------------------------------

/// Lines that start a region running to the end of the text.
const START_MARKERS: &[&str] = &[
    "recent stories",
    "related stories",
    "related articles",
    "related posts",
    "related news",
    "related content",
    "read more",
    "more stories",
    "more news",
    "more from this section",
    "most read",
    "most popular",
    "popular stories",
    "top stories",
    "trending",
    "trending now",
    "trending stories",
    "latest news",
    "latest stories",
    "latest posts",
    "you may also like",
    "you might also like",
    "recommended",
    "recommended for you",
    "recommended stories",
    "editor's picks",
    "other stories",
];
/// Short trailer lines: boilerplate at the end of the text, or just before a
/// start marker.
const TRAILER_MARKERS: &[&str] = &[
    "reader comments",
    "comments",
    "leave a comment",
    "live updates",
    "share this article",
    "share this story",
    "share this",
    "share",
    "print",
    "tags",
    "advertisement",
];
/// Lines that are boilerplate wherever they stand.
const AD_MARKERS: &[&str] = &[
    "advertisement",
    "story continues below advertisement",
    "continue reading the main story",
    "skip advertisement",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    Start,
    Trailer,
    Ad,
}

/// Classifies a line that is exactly a boilerplate marker (case-insensitive;
/// Markdown `#`/`*`/`_` decoration and a trailing `:`, `…`, `»` or `›` allowed).
fn marker_kind(line: &str) -> Option<Marker> {
    let t = line.trim();
    if t.is_empty() || t.len() > 48 {
        return None;
    }
    let t = t
        .trim_matches(|c: char| matches!(c, '#' | '*' | '_' | '=') || c.is_whitespace())
        .trim_end_matches(|c: char| matches!(c, ':' | '…' | '»' | '›' | '>') || c.is_whitespace());
    let t = t.strip_suffix("...").unwrap_or(t).trim_end();
    let key = t
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .replace('’', "'");
    if START_MARKERS.contains(&key.as_str()) {
        Some(Marker::Start)
    } else if AD_MARKERS.contains(&key.as_str()) {
        Some(Marker::Ad)
    } else if TRAILER_MARKERS.contains(&key.as_str()) {
        Some(Marker::Trailer)
    } else {
        None
    }
}

/// Byte ranges of boilerplate in the body, sorted.
///
/// The rule: the first line that is exactly a start marker ("Recent
/// Stories", "Related Articles", "Read more", "More stories", "Most Read",
/// "Trending", "Latest News", "You may also like", …; case-insensitive,
/// whole line) starts a region that runs to the end of the body. Trailer
/// lines ("Reader comments", "Live Updates", "Comments", "Share", …) are
/// boilerplate when only blank lines and other markers follow them up to that
/// region or to the end of the text; the region is extended back over them.
/// Advertisement lines ("Advertisement", "Story continues below
/// advertisement") are one-line regions wherever they stand. A marker that
/// starts in lower case counts only between blank lines: otherwise it is a
/// word of a hard-wrapped paragraph.
pub fn boilerplate_regions(text: &str, body: Range<usize>) -> Vec<Range<usize>> {
    let Some(body) = clamp(text, body) else {
        return Vec::new();
    };
    let lines: Vec<Range<usize>> = Lines::new(text, body.clone()).collect();
    let blank_at = |i: Option<usize>| {
        i.and_then(|i| lines.get(i))
            .is_none_or(|r| is_blank(&text[r.clone()]))
    };
    let kinds: Vec<Option<Marker>> = lines
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let kind = marker_kind(&text[r.clone()])?;
            // A marker word in lower case between non-blank lines is a piece
            // of a hard-wrapped paragraph ("… are\nrelated\nproducts …").
            let lower = text[r.clone()]
                .chars()
                .find(|c| c.is_alphanumeric())
                .is_some_and(char::is_lowercase);
            let standalone = blank_at(i.checked_sub(1)) && blank_at(Some(i + 1));
            (!lower || standalone).then_some(kind)
        })
        .collect();
    let start = kinds
        .iter()
        .position(|k| *k == Some(Marker::Start))
        .unwrap_or(lines.len());
    let mut first = start;
    let mut k = start;
    while k > 0 {
        let line = &text[lines[k - 1].clone()];
        if is_blank(line) {
            k -= 1;
        } else if kinds[k - 1].is_some() {
            k -= 1;
            first = k;
        } else {
            break;
        }
    }
    let mut regions: Vec<Range<usize>> = lines[..first]
        .iter()
        .zip(&kinds)
        .filter(|(_, kind)| **kind == Some(Marker::Ad))
        .map(|(r, _)| trim_range(text, r.clone()))
        .collect();
    if let Some(line) = lines.get(first) {
        regions.push(trim_range(text, line.clone()).start..body.end);
    }
    regions
}

// ---------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------

/// The workspace configuration, from `dossier.toml`.
///
/// ```toml
/// corpus = ["articles/"]      # or corpus = "articles/"; relative to this file
/// max_file_size = "8 MiB"     # optional; bytes, or a size with B/KB/KiB/MB/MiB/GB/GiB
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The `dossier.toml` file (absolute).
    pub path: PathBuf,
    /// Corpus folders, absolute, lexically normalised, without duplicates.
    pub corpus: Vec<PathBuf>,
    pub max_file_size: Option<u64>,
    /// Unknown keys and similar non-fatal issues, human-readable, without
    /// the file name (callers print `path: warning`).
    pub warnings: Vec<String>,
}

/// A `dossier.toml` that cannot be used.
#[derive(Debug)]
pub enum ConfigError {
    /// The file cannot be read.
    Io(PathBuf, io::Error),
    /// The file is not valid TOML (message from the TOML parser).
    Parse(PathBuf, String),
    /// A known key has a value of the wrong kind.
    Invalid(PathBuf, String),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Io(p, e) => write!(f, "cannot read {}: {e}", p.display()),
            ConfigError::Parse(p, m) => write!(f, "{} is not valid TOML: {m}", p.display()),
            ConfigError::Invalid(p, m) => write!(f, "{}: {m}", p.display()),
        }
    }
}

impl std::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ConfigError::Io(_, e) => Some(e),
            _ => None,
        }
    }
}

/// Lexical normalisation: drops `.`, resolves `..` against earlier parts.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else if !out.has_root() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// Parses a size: an integer number of bytes, or a string like `"8 MiB"`.
fn parse_size(v: &toml::Value) -> Result<u64, String> {
    let bad = || {
        format!(
            "`max_file_size` must be a positive number of bytes or a size like \"8 MiB\", not {v}"
        )
    };
    let n = match v {
        toml::Value::Integer(n) => u64::try_from(*n).map_err(|_| bad())?,
        toml::Value::String(s) => {
            let s = s.trim();
            let split = s
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(s.len());
            let (num, unit) = s.split_at(split);
            let num: f64 = num.parse().map_err(|_| bad())?;
            let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
                "" | "b" => 1,
                "kb" => 1000,
                "kib" | "k" => 1024,
                "mb" => 1000 * 1000,
                "mib" | "m" => 1024 * 1024,
                "gb" => 1000 * 1000 * 1000,
                "gib" | "g" => 1024 * 1024 * 1024,
                _ => return Err(bad()),
            };
            let bytes = num * mult as f64;
            if !bytes.is_finite() || bytes < 0.0 || bytes > u64::MAX as f64 {
                return Err(bad());
            }
            bytes as u64
        }
        _ => return Err(bad()),
    };
    if n == 0 { Err(bad()) } else { Ok(n) }
}

impl Config {
    /// Reads and parses a `dossier.toml`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = fs::read_to_string(path).map_err(|e| ConfigError::Io(path.to_path_buf(), e))?;
        Config::parse(&text, path)
    }

    /// Parses `dossier.toml` text; `path` is the file it came from (paths in
    /// it are relative to its folder). Unknown keys are warnings.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let abs = normalize(&abs);
        let base = abs.parent().map(Path::to_path_buf).unwrap_or_default();
        let table: toml::Table = toml::from_str(text)
            .map_err(|e| ConfigError::Parse(abs.clone(), e.to_string().trim_end().to_string()))?;
        let invalid = |m: String| ConfigError::Invalid(abs.clone(), m);
        let mut config = Config {
            path: abs.clone(),
            corpus: Vec::new(),
            max_file_size: None,
            warnings: Vec::new(),
        };
        let mut has_corpus = false;
        for (key, value) in &table {
            match key.as_str() {
                "corpus" => {
                    has_corpus = true;
                    let bad = || {
                        invalid(
                            "`corpus` must be a folder or a list of folders, e.g. corpus = [\"articles/\"]"
                                .to_string(),
                        )
                    };
                    let items: Vec<&toml::Value> = match value {
                        toml::Value::Array(items) => items.iter().collect(),
                        single => vec![single],
                    };
                    for item in items {
                        let toml::Value::String(s) = item else {
                            return Err(bad());
                        };
                        if s.trim().is_empty() {
                            return Err(bad());
                        }
                        let dir = normalize(&base.join(s.trim()));
                        if !config.corpus.contains(&dir) {
                            config.corpus.push(dir);
                        }
                    }
                }
                "max_file_size" => config.max_file_size = Some(parse_size(value).map_err(invalid)?),
                other => config.warnings.push(format!(
                    "unknown key `{other}`; ignored (known keys: corpus, max_file_size)"
                )),
            }
        }
        if config.corpus.is_empty() {
            config.warnings.push(format!(
                "{}; no articles will be loaded",
                if has_corpus {
                    "`corpus` is empty"
                } else {
                    "no `corpus` set (e.g. corpus = [\"articles/\"])"
                }
            ));
        }
        Ok(config)
    }

    /// The [`LoadOptions`] this configuration asks for.
    pub fn load_options(&self) -> LoadOptions {
        LoadOptions::from_config(self)
    }
}

/// The nearest `dossier.toml` in `start` (a note file or a folder) or its
/// ancestors.
pub fn find_config(start: &Path) -> Option<PathBuf> {
    let start = std::path::absolute(start).ok()?;
    let dir = if start.is_file() {
        start.parent()?
    } else {
        start.as_path()
    };
    dir.ancestors()
        .map(|d| d.join(CONFIG_FILE))
        .find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    // -- helpers ----------------------------------------------------------

    /// A temporary folder, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(tag: &str) -> TempDir {
            static COUNTER: AtomicUsize = AtomicUsize::new(0);
            let dir = std::env::temp_dir().join(format!(
                "dossier-corpus-test-{}-{tag}-{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::Relaxed)
            ));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(&dir).expect("create temp dir");
            TempDir(dir)
        }

        fn path(&self) -> &Path {
            &self.0
        }

        fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
            let path = self.0.join(rel);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).expect("create dirs");
            }
            fs::write(&path, contents).expect("write file");
            path
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn fixtures(sub: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(sub)
    }

    fn seed(name: &str) -> String {
        fs::read_to_string(fixtures("corpus").join(name)).expect("seed fixture")
    }

    fn no_progress(_: usize, _: usize) {}

    fn load_dir(dir: &Path) -> Corpus {
        load(&[dir.to_path_buf()], &LoadOptions::default(), &no_progress).expect("load")
    }

    fn headline_of(text: &str) -> Option<String> {
        headline(text, 0..text.len()).map(|(t, _)| t)
    }

    fn ids(corpus: &Corpus) -> Vec<&str> {
        corpus.articles.iter().map(|a| a.id.as_str()).collect()
    }

    fn problem_for<'a>(corpus: &'a Corpus, file: &str) -> Option<&'a Problem> {
        corpus.problems.iter().find(|p| p.path.ends_with(file))
    }

    const SEED_000: &str = "000_510b717c5958182e.txt";
    const SEED_001: &str = "001_f5c6b512ca1d2a60.txt";
    const SEED_002: &str = "002_2756358494cc98c9.txt";
    const SEED_003: &str = "003_a00dcb4757473e5d.txt";
    const SEED_004: &str = "004_ceb739453495012b.txt";

    const WH_ANDREWS: &str = "speeches-remarks/2024-11/2024-11-29-remarks-by-president-biden-before-air-force-one-departure-joint-base-andrews-md-6.md";
    const WH_HARRIS: &str = "speeches-remarks/2022-05/2022-05-11-remarks-by-vice-president-harris-after-the-senate-vote-on-the-womens-health-protection-act.md";
    const WH_KOREA: &str = "speeches-remarks/2022-05/2022-05-22-remarks-by-president-biden-before-air-force-one-departure-pyeongtaek-republic-of-korea.md";

    // -- headline -----------------------------------------------------------

    #[test]
    fn headline_is_the_first_line_when_it_reads_as_a_headline() {
        let text = seed(SEED_000);
        let (title, range) = headline(&text, 0..text.len()).expect("seed 000 has a headline");
        assert_eq!(
            title,
            "Kenya and U.S. Enhance Defence Ties in Strategic AFRICOM Discussions"
        );
        assert_eq!(&text[range.clone()], title);
        assert_eq!(range.start, 0);
    }

    #[test]
    fn headline_skips_section_label() {
        let text = seed(SEED_001);
        let (title, range) = headline(&text, 0..text.len()).expect("seed 001 has a headline");
        assert_eq!(
            title,
            "Al-Shabaab, global peace feature in Duale meeting with US counterpart Austin"
        );
        assert_eq!(&text[range.clone()], title);
        assert!(text[..range.start].starts_with("City Affairs"));
    }

    #[test]
    fn paragraph_first_line_is_not_a_headline() {
        assert_eq!(headline_of(&seed(SEED_002)), None);
        assert_eq!(headline_of(&seed(SEED_003)), None);
        assert_eq!(
            headline_of("Kenya and the US signed a pact. It covers trade.\nMore text."),
            None
        );
    }

    #[test]
    fn dateline_is_not_a_headline() {
        assert_eq!(headline_of(&seed(SEED_004)), None);
        assert!(is_dateline(
            "Nairobi, Kenya – President William Ruto has held a phone conversation"
        ));
        assert!(is_dateline("WASHINGTON — The Pentagon said on Tuesday"));
        assert!(is_dateline(
            "NAIROBI, Kenya (Reuters) - Kenya's president said"
        ));
        assert!(is_dateline("Port-au-Prince - Gangs attacked"));
        assert!(!is_dateline(
            "Why Nairobi will not come up with new Finance Bill -Sakaja"
        ));
        assert!(!is_dateline(
            "Kenya's president met his counterpart - and signed a pact"
        ));
        assert!(!is_dateline(
            "Al-Shabaab, global peace feature in Duale meeting"
        ));
        // A short line that is a dateline is not a headline either.
        assert_eq!(
            headline_of("Nairobi, Kenya – Ruto meets Trump envoy\n\nText."),
            None
        );
    }

    #[test]
    fn wikinews_title_before_date_line_is_the_headline() {
        let text = "Mary Barra appointed as General Motors chief\nDecember 10, 2013\nThe United States's largest car manufacturer named Mary Barra.\n";
        assert_eq!(
            headline_of(text).as_deref(),
            Some("Mary Barra appointed as General Motors chief")
        );
        // A three-word title is recognised by the date line that follows it.
        let text = "Global markets plunge\nOctober 23, 2008\nStock markets fell sharply today.\n";
        assert_eq!(headline_of(text).as_deref(), Some("Global markets plunge"));
        // A file that opens with its date line has no headline.
        let text = "January 09, 2008\nThe European Commission has forced Apple Inc. to lower its prices.\n";
        assert_eq!(headline_of(text), None);
    }

    #[test]
    fn wrapped_paragraph_line_is_not_a_headline() {
        let text = "Kenya and the United States have agreed to enhance\nsecurity collaboration following a meeting.\n";
        assert_eq!(headline_of(text), None);
    }

    #[test]
    fn short_label_without_a_headline_after_it_gives_none() {
        assert_eq!(
            headline_of(
                "City Affairs\n\nKenya and the US agreed on Tuesday to work together on security.\n"
            ),
            None
        );
        assert_eq!(headline_of("Politics"), None);
    }

    #[test]
    fn byline_and_dates_are_not_headlines() {
        assert_eq!(
            headline_of("By Jane Wanjiru Doe\n\nKenya and the US agreed on security."),
            None
        );
        assert_eq!(
            headline_of("Thursday, July 4, 2024\nCabinet approves pact\n"),
            None
        );
        assert!(is_date_line("Thursday, July 4, 2024"));
        assert!(is_date_line("December 10, 2013"));
        assert!(is_date_line("2024-10-29"));
        assert!(!is_date_line(
            "Cabinet finally approves Kenya-UAE trade pact"
        ));
    }

    #[test]
    fn markdown_heading_is_the_headline() {
        let text = "# Ruto and Blinken meet in New York\n\nPresident Ruto met Secretary Blinken.\n";
        let (title, range) = headline(text, 0..text.len()).expect("heading");
        assert_eq!(title, "Ruto and Blinken meet in New York");
        assert_eq!(&text[range], title);
    }

    #[test]
    fn headline_handles_crlf_and_bom() {
        let text = "\u{feff}Kenya and U.S. Enhance Defence Ties\r\n\r\nBody text here.\r\n";
        let (title, range) = headline(text, 3..text.len()).expect("headline");
        assert_eq!(title, "Kenya and U.S. Enhance Defence Ties");
        assert_eq!(&text[range], title);
    }

    #[test]
    fn headline_with_bad_range_does_not_panic() {
        let text = "Kenya – ü";
        assert_eq!(headline(text, 0..999), None);
        assert_eq!(headline(text, 9..10), None); // not a char boundary
        assert!(boilerplate_regions(text, Range { start: 5, end: 3 }).is_empty());
    }

    // -- front matter ---------------------------------------------------------

    #[test]
    fn front_matter_multiline_title_with_escapes() {
        // Verbatim shape of the White House front matter: a double-quoted
        // title folded over two lines, with `\_` (no-break space), `\u2019`,
        // an escaped line break and `\ ` (escaped space).
        let text = "---\ndate: '2022-05-22'\npublished_time: 2022-05-22 05:39:17-04:00\n\
                    source_url: https://example.gov/x/\ntags: speeches-remarks\n\
                    title: \"Remarks by President\\_Biden Before Air Force One Departure | Pyeongtaek, Republic\\\n  \\ of\\_Korea\"\n---\n \nOsan Air Base\n";
        let (meta, body, problem) = parse_front_matter(text);
        assert_eq!(problem, None);
        assert_eq!(
            meta.title.as_deref(),
            Some(
                "Remarks by President\u{a0}Biden Before Air Force One Departure | Pyeongtaek, Republic of\u{a0}Korea"
            )
        );
        assert_eq!(meta.date, Some(jiff::civil::date(2022, 5, 22)));
        assert_eq!(meta.url.as_deref(), Some("https://example.gov/x/"));
        assert_eq!(&text[body], " \nOsan Air Base\n");

        let text = "---\ntitle: \"Remarks by Vice President Harris After the Senate Vote on the Women\\u2019\\\n  s Health Protection\\_Act\"\n---\nBody\n";
        let (meta, _, problem) = parse_front_matter(text);
        assert_eq!(problem, None);
        assert_eq!(
            meta.title.as_deref(),
            Some(
                "Remarks by Vice President Harris After the Senate Vote on the Women\u{2019}s Health Protection\u{a0}Act"
            )
        );
    }

    #[test]
    fn whitehouse_fixtures_have_their_front_matter_decoded() {
        let root = fixtures("whitehouse");
        let corpus = load_dir(&root);
        assert!(corpus.problems.is_empty(), "{:?}", corpus.problems);
        let expect = [
            (
                "2024-11-29-remarks-by-president-biden-before-air-force-one-departure-joint-base-andrews-md-6",
                "Remarks by President\u{a0}Biden Before Air Force One Departure | Joint Base Andrews,\u{a0}MD",
                jiff::civil::date(2024, 11, 29),
                "https://bidenwhitehouse.archives.gov/briefing-room/speeches-remarks/2024/11/29/remarks-by-president-biden-before-air-force-one-departure-joint-base-andrews-md-6/",
            ),
            (
                "2022-05-11-remarks-by-vice-president-harris-after-the-senate-vote-on-the-womens-health-protection-act",
                "Remarks by Vice President Harris After the Senate Vote on the Women\u{2019}s Health Protection\u{a0}Act",
                jiff::civil::date(2022, 5, 11),
                "https://bidenwhitehouse.archives.gov/briefing-room/speeches-remarks/2022/05/11/remarks-by-vice-president-harris-after-the-senate-vote-on-the-womens-health-protection-act/",
            ),
            (
                "2022-05-22-remarks-by-president-biden-before-air-force-one-departure-pyeongtaek-republic-of-korea",
                "Remarks by President\u{a0}Biden Before Air Force One Departure | Pyeongtaek, Republic of\u{a0}Korea",
                jiff::civil::date(2022, 5, 22),
                "https://bidenwhitehouse.archives.gov/briefing-room/speeches-remarks/2022/05/22/remarks-by-president-biden-before-air-force-one-departure-pyeongtaek-republic-of-korea/",
            ),
        ];
        for (id, title, date, url) in expect {
            let a = corpus.get(id).unwrap_or_else(|| panic!("missing {id}"));
            assert_eq!(a.title.as_deref(), Some(title), "{id}");
            assert_eq!(a.meta.title.as_deref(), Some(title), "{id}");
            assert_eq!(a.meta.date, Some(date), "{id}");
            assert_eq!(a.meta.url.as_deref(), Some(url), "{id}");
            assert!(a.text.starts_with("---\ndate: '"), "{id}: full text kept");
            assert!(
                a.body_text().starts_with(" \n"),
                "{id}: body after front matter"
            );
            assert!(a.boilerplate.is_empty(), "{id}: no boilerplate");
        }
        let andrews = corpus.get(expect[0].0).expect("andrews");
        assert_eq!(andrews.path, root.join(WH_ANDREWS));
        assert!(corpus.by_path(&root.join(WH_HARRIS)).is_some());
        assert!(corpus.by_path(&root.join(WH_KOREA)).is_some());
    }

    #[test]
    fn front_matter_does_not_shift_offsets() {
        let dir = TempDir::new("offsets");
        let text = "---\ntitle: Ruto meets Blinken\ndate: 2024-09-25\n---\nPresident Ruto met Blinken in New York.\n";
        dir.write("a.md", text);
        let corpus = load_dir(dir.path());
        let a = corpus.get("a").expect("article a");
        assert_eq!(a.text, text, "the article keeps the full file text");
        let at = text.find("President").expect("body start");
        assert_eq!(a.body, at..text.len());
        assert_eq!(&a.text[a.body.clone()], &text[at..]);
        assert_eq!(a.title.as_deref(), Some("Ruto meets Blinken"));
        assert_eq!(a.title_range, None, "metadata title is not in the body");
        assert_eq!(a.meta.date, Some(jiff::civil::date(2024, 9, 25)));
        // Same for the standalone parser.
        let (_, body, _) = parse_front_matter(text);
        assert_eq!(body.start, at);
    }

    #[test]
    fn front_matter_dates_quoted_unquoted_and_timestamps() {
        let date = |yaml: &str| parse_front_matter(&format!("---\n{yaml}\n---\nx\n")).0.date;
        let d = Some(jiff::civil::date(2024, 10, 29));
        assert_eq!(date("date: '2024-10-29'"), d);
        assert_eq!(date("date: 2024-10-29"), d);
        assert_eq!(date("date: !!timestamp 2024-10-29"), d);
        assert_eq!(date("published_time: 2024-10-29 23:59:00-04:00"), d);
        assert_eq!(date("published: 2024-10-29T10:00:00Z"), d);
        assert_eq!(date("Date: October 29, 2024"), d);
        // `date` wins over `published_time`.
        assert_eq!(
            date("published_time: 2023-01-01 10:00:00-05:00\ndate: '2024-10-29'"),
            d
        );
        // A bad date is reported, and the next key is used.
        let (meta, _, problem) = parse_front_matter(
            "---\ndate: soon\npublished_time: 2024-10-29 23:59:00-04:00\n---\nx\n",
        );
        assert_eq!(meta.date, d);
        assert!(problem.expect("problem").contains("soon"));
    }

    #[test]
    fn bad_front_matter_is_reported_and_the_article_kept() {
        let dir = TempDir::new("badyaml");
        dir.write(
            "bad.md",
            "---\ntitle: \"unclosed\n---\nKenya and the US agreed.\n",
        );
        dir.write(
            "open.md",
            "---\ntitle: never closed\nKenya and the US agreed.\n",
        );
        dir.write("list.md", "---\n- a\n- b\n---\nKenya and the US agreed.\n");
        let corpus = load_dir(dir.path());
        assert_eq!(ids(&corpus), ["bad", "list", "open"]);
        let bad = corpus.get("bad").expect("bad");
        assert_eq!(bad.meta, ArticleMeta::default());
        assert!(bad.body_text().starts_with("Kenya"));
        assert!(
            problem_for(&corpus, "bad.md")
                .expect("yaml problem")
                .reason
                .contains("not valid YAML")
        );
        let open = corpus.get("open").expect("open");
        assert_eq!(open.body, 0..open.text.len());
        assert!(
            problem_for(&corpus, "open.md")
                .expect("unclosed")
                .reason
                .contains("never closed")
        );
        assert!(
            problem_for(&corpus, "list.md")
                .expect("not a mapping")
                .reason
                .contains("mapping")
        );
    }

    #[test]
    fn txt_files_have_no_front_matter() {
        let text = "---\ntitle: x\n---\nBody.\n";
        let a = Article::from_text("t", "t.txt", text);
        assert_eq!(a.body, 0..text.len());
        assert_eq!(a.meta, ArticleMeta::default());
        let m = Article::from_text("m", "m.md", text);
        assert_eq!(m.meta.title.as_deref(), Some("x"));
    }

    // -- boilerplate and dates -------------------------------------------

    #[test]
    fn sidebar_dates_are_boilerplate_not_publication_date() {
        let corpus = load_dir(&fixtures("corpus"));
        let a = corpus.get("001_f5c6b512ca1d2a60").expect("seed 001");
        assert_eq!(a.meta.date, None, "never guessed from the text");
        assert_eq!(a.date(), None);
        assert_eq!(a.boilerplate.len(), 1);
        let region = a.boilerplate[0].clone();
        assert!(a.text[region.clone()].starts_with("Reader comments\n\nRecent Stories"));
        assert_eq!(region.end, a.text.len());
        let sidebar_date = a.text.find("Thursday, July 4, 2024").expect("sidebar date");
        assert!(a.is_boilerplate(sidebar_date));
        assert!(a.text[region.clone()].trim_end().ends_with("Live Updates"));
        // The article's last real paragraph is not boilerplate.
        let last = a
            .text
            .find("Both leaders affirmed")
            .expect("last paragraph");
        assert!(!a.is_boilerplate(last));
        assert!(region.start > last);
    }

    #[test]
    fn seed_articles_have_no_other_boilerplate() {
        let corpus = load_dir(&fixtures("corpus"));
        assert_eq!(corpus.articles.len(), 5);
        assert!(corpus.problems.is_empty(), "{:?}", corpus.problems);
        for a in &corpus.articles {
            if a.id != "001_f5c6b512ca1d2a60" {
                assert!(a.boilerplate.is_empty(), "{}: {:?}", a.id, a.boilerplate);
            }
            assert_eq!(a.meta, ArticleMeta::default());
        }
    }

    #[test]
    fn seed_titles() {
        let corpus = load_dir(&fixtures("corpus"));
        let title = |id: &str| corpus.get(id).and_then(|a| a.title.clone());
        assert_eq!(
            title("000_510b717c5958182e").as_deref(),
            Some("Kenya and U.S. Enhance Defence Ties in Strategic AFRICOM Discussions")
        );
        assert_eq!(
            title("001_f5c6b512ca1d2a60").as_deref(),
            Some("Al-Shabaab, global peace feature in Duale meeting with US counterpart Austin")
        );
        for id in [
            "002_2756358494cc98c9",
            "003_a00dcb4757473e5d",
            "004_ceb739453495012b",
        ] {
            assert_eq!(title(id), None, "{id}");
        }
    }

    #[test]
    fn boilerplate_markers_are_whole_lines_and_case_insensitive() {
        let regions = |t: &str| {
            boilerplate_regions(t, 0..t.len())
                .into_iter()
                .map(|r| t[r].to_string())
                .collect::<Vec<_>>()
        };
        let text = "Kenya signed.\n\nRELATED ARTICLES\nOther story\n";
        assert_eq!(regions(text), ["RELATED ARTICLES\nOther story\n"]);
        let text = "Kenya signed.\n\n## You may also like:\n\n- Other story\n";
        assert_eq!(regions(text), ["## You may also like:\n\n- Other story\n"]);
        // Not whole lines: no boilerplate.
        let text = "Read more about the pact in our explainer.\nTrending topics include trade.\n";
        assert!(regions(text).is_empty());
        // A marker word inside a hard-wrapped paragraph is not a marker.
        let text = "The two agreements are closely\nrelated\nproducts of the same talks.\n";
        assert!(regions(text).is_empty());
        let text = "The two agreements are\nrelated.\n";
        assert!(regions(text).is_empty());
    }

    #[test]
    fn trailer_line_at_the_end_is_boilerplate() {
        let text = "Kenya signed the pact.\n\nLive Updates\n";
        let r = boilerplate_regions(text, 0..text.len());
        assert_eq!(r.len(), 1);
        assert_eq!(&text[r[0].clone()], "Live Updates\n");
        // Not at the end: content.
        let text = "Comments\nKenya signed the pact.\n";
        assert!(boilerplate_regions(text, 0..text.len()).is_empty());
        // Advertisement lines are cut out wherever they stand.
        let text = "Kenya signed.\nAdvertisement\nRuto said.\n";
        let r = boilerplate_regions(text, 0..text.len());
        assert_eq!(
            r.iter().map(|r| &text[r.clone()]).collect::<Vec<_>>(),
            ["Advertisement"]
        );
    }

    #[test]
    fn whitehouse_fixture_has_no_boilerplate() {
        for rel in [WH_ANDREWS, WH_HARRIS, WH_KOREA] {
            let text = fs::read_to_string(fixtures("whitehouse").join(rel)).expect("fixture");
            let (_, body, _) = parse_front_matter(&text);
            assert!(boilerplate_regions(&text, body).is_empty(), "{rel}");
        }
    }

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

    // -- roots and listing ----------------------------------------------------

    #[test]
    fn missing_root_is_an_error() {
        let dir = TempDir::new("missing");
        let missing = dir.path().join("nope");
        let err = load(
            std::slice::from_ref(&missing),
            &LoadOptions::default(),
            &no_progress,
        )
        .expect_err("missing root");
        assert!(matches!(&err, CorpusError::Missing(p) if *p == missing));
        assert!(err.to_string().contains(&missing.display().to_string()));
        assert!(list_files(&[missing]).is_err());
    }

    #[test]
    fn file_root_is_not_a_directory() {
        let dir = TempDir::new("fileroot");
        let file = dir.write("a.txt", "Text.\n");
        let err = load(
            std::slice::from_ref(&file),
            &LoadOptions::default(),
            &no_progress,
        )
        .expect_err("file root");
        assert!(matches!(&err, CorpusError::NotADirectory(p) if *p == file));
        assert!(err.to_string().contains("not a folder"));
    }

    #[test]
    fn empty_folder_is_zero_articles() {
        let dir = TempDir::new("emptyroot");
        let corpus = load_dir(dir.path());
        assert!(corpus.articles.is_empty());
        assert!(corpus.problems.is_empty());
        assert_eq!(corpus.roots, [dir.path().to_path_buf()]);
    }

    #[test]
    fn hidden_and_build_folders_are_skipped() {
        let dir = TempDir::new("skip");
        dir.write("a.txt", "A.\n");
        dir.write("sub/deeper/b.MD", "B.\n");
        dir.write(".git/c.txt", "C.\n");
        dir.write("node_modules/d.txt", "D.\n");
        dir.write("target/e.md", "E.\n");
        dir.write(".hidden.txt", "F.\n");
        dir.write("notes.docx", "G.\n");
        dir.write("README", "H.\n");
        let files = list_files(&[dir.path().to_path_buf()]).expect("list");
        assert_eq!(
            files,
            [dir.path().join("a.txt"), dir.path().join("sub/deeper/b.MD")]
        );
        assert_eq!(ids(&load_dir(dir.path())), ["a", "b"]);
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_root_are_not_followed() {
        let outside = TempDir::new("outside");
        outside.write("secret.txt", "Outside.\n");
        outside.write("dir/other.txt", "Outside too.\n");
        let dir = TempDir::new("links");
        dir.write("real/a.txt", "Inside.\n");
        std::os::unix::fs::symlink(
            outside.path().join("secret.txt"),
            dir.path().join("secret.txt"),
        )
        .expect("symlink");
        std::os::unix::fs::symlink(outside.path().join("dir"), dir.path().join("dir"))
            .expect("symlink");
        std::os::unix::fs::symlink(dir.path().join("real/a.txt"), dir.path().join("alias.txt"))
            .expect("symlink");
        std::os::unix::fs::symlink(dir.path(), dir.path().join("real/loop")).expect("symlink");
        let corpus = load_dir(dir.path());
        // Inside-the-root link to a.txt: one file, loaded once (first path in
        // the sorted walk: alias.txt).
        assert_eq!(corpus.articles.len(), 1);
        assert_eq!(corpus.articles[0].text, "Inside.\n");
        assert!(
            problem_for(&corpus, "secret.txt")
                .expect("reported")
                .reason
                .contains("outside")
        );
        assert!(
            problem_for(&corpus, "dir")
                .expect("reported")
                .reason
                .contains("outside")
        );
        let err = read_article(dir.path(), Path::new("secret.txt"), &LoadOptions::default())
            .expect_err("not read");
        assert!(err.reason.contains("outside"));
    }

    // -- ids --------------------------------------------------------------------

    #[test]
    fn duplicate_stems_get_folder_qualified_ids() {
        let dir = TempDir::new("dups");
        dir.write("briefings-statements/2024-10/foo.md", "One.\n");
        dir.write("statements-releases/2024-10/foo.md", "Two.\n");
        dir.write("other/bar.txt", "Bar.\n");
        dir.write("x/same.txt", "Same txt.\n");
        dir.write("x/same.md", "Same md.\n");
        let corpus = load_dir(dir.path());
        assert_eq!(
            ids(&corpus),
            [
                "bar",
                "briefings-statements/2024-10/foo",
                "statements-releases/2024-10/foo",
                "x/same.md",
                "x/same.txt",
            ]
        );
        assert_eq!(
            corpus
                .get("statements-releases/2024-10/foo")
                .map(|a| a.text.as_str()),
            Some("Two.\n")
        );
        // Deterministic.
        assert_eq!(load_dir(dir.path()), corpus);
    }

    #[test]
    fn ids_across_roots() {
        let a = TempDir::new("roota");
        let b = TempDir::new("rootb");
        a.write("articles/x.txt", "X in a.\n");
        b.write("articles/x.txt", "X in b.\n");
        b.write("y.txt", "Y.\n");
        let roots = [
            a.path().join("articles"),
            b.path().join("articles"),
            b.path().to_path_buf(),
        ];
        let corpus = load(&roots, &LoadOptions::default(), &no_progress).expect("load");
        // b/articles/x.txt is walked under root 1 only (overlapping roots).
        assert_eq!(ids(&corpus), ["0:x.txt", "1:x.txt", "y"]);
    }

    // -- sources.toml ---------------------------------------------------------

    #[test]
    fn sources_toml_overrides_front_matter() {
        let dir = TempDir::new("sources");
        dir.write(
            "news/001_f5c6b512ca1d2a60.md",
            "---\ntitle: From front matter\ndate: 2024-01-01\nurl: https://fm.example/\n---\nKenya and the US met.\n",
        );
        dir.write(
            "news/002.txt",
            "City Affairs\n\nRuto and Austin discuss Al-Shabaab in Washington\n\nText.\n",
        );
        dir.write("elsewhere/002.txt", "Other.\n");
        dir.write(
            "news/sources.toml",
            "[\"001_f5c6b512ca1d2a60\"]\ntitle = \"From sources\"\ndate = 2024-07-04\n\n\
             [\"news/002\"]\ndate = \"2024-07-05\"\nurl = \"https://eastleighvoice.example/a\"\n\n\
             [\"missing\"]\ntitle = \"Nobody\"\n\n[\"001_f5c6b512ca1d2a60x\"]\nauthor = \"A\"\n",
        );
        let corpus = load_dir(dir.path());
        let a = corpus.get("001_f5c6b512ca1d2a60").expect("001");
        assert_eq!(a.meta.title.as_deref(), Some("From sources"));
        assert_eq!(a.title.as_deref(), Some("From sources"));
        assert_eq!(a.meta.date, Some(jiff::civil::date(2024, 7, 4)));
        assert_eq!(
            a.meta.url.as_deref(),
            Some("https://fm.example/"),
            "field by field"
        );
        // Keyed by the (folder-qualified) id; applies to its own folder only.
        let b = corpus.get("news/002").expect("news/002");
        assert_eq!(b.meta.date, Some(jiff::civil::date(2024, 7, 5)));
        assert_eq!(
            b.title.as_deref(),
            Some("Ruto and Austin discuss Al-Shabaab in Washington")
        );
        assert!(b.title_range.is_some());
        assert_eq!(
            corpus.get("elsewhere/002").expect("other").meta,
            ArticleMeta::default()
        );
        let reasons: Vec<&str> = corpus
            .problems
            .iter()
            .filter(|p| p.path.ends_with("sources.toml"))
            .map(|p| p.reason.as_str())
            .collect();
        assert!(
            reasons
                .iter()
                .any(|r| r.contains("[\"missing\"] matches no article")),
            "{reasons:?}"
        );
        assert!(
            reasons.iter().any(|r| r.contains("unknown key `author`")),
            "{reasons:?}"
        );
        // read_article applies it too.
        let single = read_article(
            dir.path(),
            &dir.path().join("news/001_f5c6b512ca1d2a60.md"),
            &LoadOptions::default(),
        )
        .expect("read");
        assert_eq!(single.meta, a.meta);
    }

    #[test]
    fn bad_sources_toml_is_reported_not_fatal() {
        let dir = TempDir::new("badsources");
        dir.write("a.txt", "A.\n");
        dir.write("sources.toml", "[\"a\"\ntitle = 1\n");
        let corpus = load_dir(dir.path());
        assert_eq!(ids(&corpus), ["a"]);
        assert!(
            problem_for(&corpus, "sources.toml")
                .expect("reported")
                .reason
                .contains("not valid TOML")
        );
        let (entries, problems) = parse_sources("[\"a\"]\ntitle = 1\ndate = \"soon\"\n");
        assert_eq!(entries.get("a"), Some(&ArticleMeta::default()));
        assert_eq!(problems.len(), 2, "{problems:?}");
    }

    // -- loading ----------------------------------------------------------------

    #[test]
    fn progress_reports_done_and_total() {
        let dir = TempDir::new("progress");
        for i in 0..250 {
            dir.write(
                &format!("d{}/f{i:03}.txt", i % 7),
                format!("Article {i}.\n"),
            );
        }
        let calls = Mutex::new(Vec::new());
        let corpus = load(
            &[dir.path().to_path_buf()],
            &LoadOptions::default(),
            &|d, t| {
                calls.lock().expect("lock").push((d, t));
            },
        )
        .expect("load");
        assert_eq!(corpus.articles.len(), 250);
        let calls = calls.into_inner().expect("calls");
        assert_eq!(calls.first(), Some(&(0, 250)));
        assert_eq!(calls.last(), Some(&(250, 250)));
        assert!(calls.len() <= 110, "throttled: {} calls", calls.len());
        assert!(calls.windows(2).all(|w| w[0].0 < w[1].0), "increasing");
        // Sorted by id, same result as a second load.
        assert!(corpus.articles.windows(2).all(|w| w[0].id < w[1].id));
        assert_eq!(load_dir(dir.path()), corpus);
    }

    #[test]
    fn read_article_matches_full_load() {
        let corpus = load_dir(&fixtures("corpus"));
        let root = fixtures("corpus");
        for a in &corpus.articles {
            let single = read_article(&root, &a.path, &LoadOptions::default()).expect("read");
            assert_eq!(&single, a);
            let relative = read_article(
                &root,
                Path::new(a.path.file_name().expect("name")),
                &LoadOptions::default(),
            )
            .expect("relative path");
            assert_eq!(&relative, a);
        }
    }

    #[test]
    fn read_article_rejects_other_files() {
        let dir = TempDir::new("reject");
        let other = TempDir::new("reject-other");
        dir.write(".git/x.txt", "X.\n");
        dir.write("a.pdf", "X.\n");
        let outside = other.write("o.txt", "O.\n");
        let opts = LoadOptions::default();
        assert!(read_article(dir.path(), Path::new(".git/x.txt"), &opts).is_err());
        assert!(read_article(dir.path(), Path::new("a.pdf"), &opts).is_err());
        assert!(read_article(dir.path(), Path::new("../x.txt"), &opts).is_err());
        let err = read_article(dir.path(), &outside, &opts).expect_err("outside");
        assert!(err.reason.contains("not inside the corpus folder"));
        let err = read_article(dir.path(), Path::new("gone.txt"), &opts).expect_err("gone");
        assert!(err.reason.contains("cannot read"));
        // A folder named like an article cannot be read as one (whoever runs
        // the tests, unlike a permission check).
        fs::create_dir_all(dir.path().join("folder.txt")).expect("mkdir");
        let err = read_article(dir.path(), Path::new("folder.txt"), &opts).expect_err("folder");
        assert!(err.reason.contains("cannot read file"), "{err}");
    }

    #[test]
    fn refresh_tracks_edits_additions_and_removals() {
        let dir = TempDir::new("refresh");
        dir.write("a/foo.txt", "Foo.\n");
        dir.write("a/bar.txt", "Bar.\n");
        let opts = LoadOptions::default();
        let mut corpus = load_dir(dir.path());
        assert_eq!(ids(&corpus), ["bar", "foo"]);

        // Edit.
        dir.write("a/bar.txt", "Bar, edited.\n");
        let r = corpus.refresh(&dir.path().join("a/bar.txt"), &opts);
        assert_eq!(
            r,
            Refresh {
                changed: vec!["bar".into()],
                removed: vec![]
            }
        );
        assert_eq!(
            corpus.get("bar").map(|a| a.text.as_str()),
            Some("Bar, edited.\n")
        );

        // A new file with a clashing stem renames the old one, as a full load would.
        dir.write("b/foo.txt", "Other foo.\n");
        let r = corpus.refresh(&dir.path().join("b/foo.txt"), &opts);
        assert_eq!(r.changed, ["a/foo", "b/foo"]);
        assert_eq!(r.removed, ["foo"]);
        assert_eq!(corpus, load_dir(dir.path()));

        // Removal, and a file that became binary.
        fs::remove_file(dir.path().join("b/foo.txt")).expect("rm");
        dir.write("a/bar.txt", b"\x00\x01");
        let r = corpus.refresh(&dir.path().join("b/foo.txt"), &opts);
        assert_eq!(
            r,
            Refresh {
                changed: vec!["foo".into()],
                removed: vec!["a/foo".into(), "b/foo".into()]
            }
        );
        corpus.refresh(&dir.path().join("a/bar.txt"), &opts);
        assert_eq!(corpus, load_dir(dir.path()));
        assert_eq!(corpus.problems.len(), 1);

        // A new folder, a sources.toml, and ignored paths.
        dir.write("c/d/new.md", "---\ntitle: T\n---\nNew.\n");
        corpus.refresh(&dir.path().join("c"), &opts);
        dir.write("c/d/sources.toml", "[new]\ntitle = \"Override\"\n");
        let r = corpus.refresh(&dir.path().join("c/d/sources.toml"), &opts);
        assert_eq!(r.changed, ["new"]);
        assert_eq!(
            corpus.get("new").and_then(|a| a.title.as_deref()),
            Some("Override")
        );
        assert_eq!(corpus, load_dir(dir.path()));
        dir.write(".git/HEAD.txt", "x");
        assert_eq!(
            corpus.refresh(&dir.path().join(".git/HEAD.txt"), &opts),
            Refresh::default()
        );
        assert_eq!(
            corpus.refresh(Path::new("/elsewhere/x.txt"), &opts),
            Refresh::default()
        );

        // Removing a whole folder.
        fs::remove_dir_all(dir.path().join("c")).expect("rm");
        let r = corpus.refresh(&dir.path().join("c"), &opts);
        assert_eq!(r.removed, ["new"]);
        assert_eq!(corpus, load_dir(dir.path()));
    }

    // -- configuration ----------------------------------------------------------

    #[test]
    fn config_paths_are_relative_to_the_toml() {
        let dir = TempDir::new("config");
        let toml = dir.write(
            "ws/dossier.toml",
            "corpus = [\"articles/\", \"../shared/corpus\", \"./articles\"]\n",
        );
        let config = Config::load(&toml).expect("config");
        assert_eq!(config.path, toml);
        assert_eq!(
            config.corpus,
            [
                dir.path().join("ws/articles"),
                dir.path().join("shared/corpus")
            ]
        );
        assert!(config.warnings.is_empty(), "{:?}", config.warnings);
        assert_eq!(config.max_file_size, None);
        assert_eq!(config.load_options(), LoadOptions::default());
    }

    #[test]
    fn config_accepts_a_single_string_and_a_size() {
        let config = Config::parse(
            "corpus = \"articles\"\nmax_file_size = \"2 MiB\"\n",
            Path::new("/ws/dossier.toml"),
        )
        .expect("config");
        assert_eq!(config.corpus, [PathBuf::from("/ws/articles")]);
        assert_eq!(config.max_file_size, Some(2 * 1024 * 1024));
        assert_eq!(
            LoadOptions::from_config(&config).max_file_size,
            2 * 1024 * 1024
        );
        let config = Config::parse(
            "corpus = \"/abs\"\nmax_file_size = 1000\n",
            Path::new("/ws/dossier.toml"),
        )
        .expect("config");
        assert_eq!(config.corpus, [PathBuf::from("/abs")]);
        assert_eq!(config.max_file_size, Some(1000));
    }

    #[test]
    fn config_unknown_keys_warn() {
        let config = Config::parse(
            "corpus = [\"a\"]\nfoo = 1\n[check]\nignore = [\"unverified-quote\"]\n",
            Path::new("/ws/dossier.toml"),
        )
        .expect("config");
        assert_eq!(config.warnings.len(), 2, "{:?}", config.warnings);
        assert!(config.warnings.iter().any(|w| w.contains("`foo`")));
        assert!(config.warnings.iter().any(|w| w.contains("`check`")));
        let empty = Config::parse("", Path::new("/ws/dossier.toml")).expect("empty config");
        assert!(empty.corpus.is_empty());
        assert!(empty.warnings[0].contains("no `corpus`"));
    }

    #[test]
    fn config_errors_name_the_file() {
        let dir = TempDir::new("badconfig");
        let toml = dir.write("dossier.toml", "corpus = [\"a\"\n");
        let err = Config::load(&toml).expect_err("bad toml");
        assert!(matches!(err, ConfigError::Parse(..)));
        assert!(
            err.to_string().contains(&toml.display().to_string()),
            "{err}"
        );
        let err = Config::parse("corpus = 3", &toml).expect_err("bad type");
        assert!(matches!(err, ConfigError::Invalid(..)));
        assert!(err.to_string().contains("corpus"));
        let err =
            Config::parse("corpus = \"a\"\nmax_file_size = \"huge\"", &toml).expect_err("bad size");
        assert!(err.to_string().contains("max_file_size"));
        let err = Config::load(&dir.path().join("missing.toml")).expect_err("missing");
        assert!(matches!(err, ConfigError::Io(..)));
    }

    #[test]
    fn find_config_walks_up_to_the_nearest_toml() {
        let dir = TempDir::new("find");
        let outer = dir.write("dossier.toml", "corpus = \"a\"\n");
        let inner = dir.write("ws/dossier.toml", "corpus = \"b\"\n");
        let note = dir.write("ws/notes/deep/note.md", "Note.\n");
        assert_eq!(find_config(&note), Some(inner.clone()));
        assert_eq!(find_config(&dir.path().join("ws/notes")), Some(inner));
        assert_eq!(find_config(&dir.path().join("other")), Some(outer));
    }
}
