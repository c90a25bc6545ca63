//! Corpus loading: the only place Dossier reads articles and configuration from disk.
//!
//! A *corpus* is one or more folders ("roots") of `.txt` and `.md` files, one
//! article each. [`load`] reads them all into a [`Corpus`]; the rest of Dossier
//! works on that value and never reads articles itself. [`Config`] reads the
//! workspace's `dossier.toml`, and [`Corpus::refresh`] — the one refresh path,
//! used by the CLI and the language server alike — re-reads what changed.
//!
//! # Modules
//!
//! Each stage depends only on those above it in this list:
//! - `read`: bytes under the size limit, decoding, BOM and blank-text helpers;
//! - `walk`: listing the roots, hidden/build folders, symbolic-link rules;
//! - `ids`: article ids from paths;
//! - `meta`: front matter (bounded before parsing), `sources.toml`, metadata
//!   dates, and merging them into an article;
//! - `layout`: headline, dateline, byline and boilerplate of a text;
//! - `load`: reading listed files in parallel into articles;
//! - `listing`: a load's articles without their texts, in bytes an index keeps;
//! - `config`: `dossier.toml`;
//! - this file: the types, and [`Corpus::refresh`].
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

mod config;
mod ids;
mod layout;
mod listing;
mod load;
mod meta;
mod read;
#[cfg(test)]
pub(crate) mod test_support;
mod text;
mod walk;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;
use std::fs;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

pub use config::{CONFIG_FILE, CacheSetting, Config, ConfigError, find_config};
pub use layout::{boilerplate_regions, headline, is_date_line, is_dateline};
pub use listing::{decode_listing, encode_listing};
pub use load::{LoadReport, load, load_with, read_article, read_article_with_problems};
pub use meta::{
    MAX_FRONT_MATTER, MAX_FRONT_MATTER_DEPTH, parse_date, parse_front_matter, parse_sources,
};
pub use text::{ArticleText, FileIdentity, FileRecord, SETTLE};
pub use walk::list_files;

use ids::assign_ids;
use load::{analyse, read_guarded};
use meta::{apply_sources, finish, sources_of_dir};
use walk::{Walker, is_article_name, rel_is_walkable, relative_to_root};

/// Name of the per-folder metadata override file.
pub const SOURCES_FILE: &str = "sources.toml";
/// Default size limit for one article file: 8 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 8 * 1024 * 1024;

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
    /// byte offsets into this string. Read from the file when first asked for
    /// if the load trusted the file without reading it (see [`ArticleText`]).
    pub text: ArticleText,
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

/// An article read and analysed, before ids and `sources.toml` are applied.
#[derive(Debug)]
struct Pending {
    article: Article,
    front_matter: ArticleMeta,
    headline: Option<(String, Range<usize>)>,
    /// What to record of the file, when it was read and its identity can be trusted next time.
    record: Option<FileRecord>,
    /// Taken from a record without reading the file.
    trusted: bool,
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
        let (pending, _) = analyse(path.clone(), text.into(), None);
        let mut article = finish(pending, None);
        article.id = id.into();
        article
    }

    /// The body text (after the front matter).
    pub fn body_text(&self) -> &str {
        self.text.get(self.body.clone()).unwrap_or("")
    }

    /// Why the text could not be read as it was indexed (the file changed, vanished or became unreadable
    /// since the load trusted it), once it was asked for: the article must be read again.
    pub fn text_problem(&self) -> Option<Problem> {
        self.text
            .problem()
            .map(|reason| Problem::new(&self.path, reason))
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

/// What one [`Corpus::refresh`] found: the ids to re-extract and the ids to drop.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Refresh {
    /// Ids of articles that were added, whose text or metadata changed, or
    /// that were renamed (new id), sorted. A file re-read without a change
    /// (a watcher reporting an open or a touch) is not listed.
    pub changed: Vec<String>,
    /// Ids that no longer exist (file removed or skipped, or renamed), sorted.
    pub removed: Vec<String>,
}

impl Refresh {
    /// Whether nothing changed (the caller has nothing to rebuild).
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.removed.is_empty()
    }
}

/// What a refresh re-reads, gathered over all the reported paths first.
#[derive(Default)]
struct Plan {
    /// Article files to re-read, with their root and (when known) the
    /// canonical path checked to be inside it.
    files: BTreeMap<PathBuf, (usize, Option<PathBuf>)>,
    /// Folders whose `sources.toml` changed, with their root.
    sources_dirs: BTreeMap<PathBuf, usize>,
    /// Reported files and folders (not `sources.toml`): their old problems go.
    targets: Vec<PathBuf>,
    /// Problems found while walking reported folders.
    walk_problems: Vec<Problem>,
}

/// The articles' paths, to find those at or under a reported path.
enum ArticlePaths<'a> {
    /// Few paths reported (an editor saving one file): each is compared with
    /// every article, which costs less than sorting them all.
    Scan(Vec<&'a Path>),
    /// Many paths reported: sorted once. Paths compare component by
    /// component, so those under a prefix form one contiguous range, found
    /// by binary search.
    Sorted(Vec<&'a Path>),
}

impl<'a> ArticlePaths<'a> {
    /// Up to this many reported paths, scanning beats sorting (a sort costs
    /// about log2(n) comparisons per article: 14 at 14,000 articles).
    const SCAN_AT_MOST: usize = 8;

    fn new(articles: &'a [Article], reported: usize) -> Self {
        let mut paths: Vec<&Path> = articles.iter().map(|a| a.path.as_path()).collect();
        if reported <= Self::SCAN_AT_MOST {
            ArticlePaths::Scan(paths)
        } else {
            paths.sort_unstable();
            ArticlePaths::Sorted(paths)
        }
    }

    /// The paths equal to `prefix` or under it.
    fn under(&self, prefix: &Path) -> Vec<&'a Path> {
        match self {
            ArticlePaths::Scan(paths) => {
                // A path at or under `prefix` holds the prefix's last part among its own parts, so somewhere
                // in its bytes: a quick test that leaves the comparison part by part to the few that pass.
                let last = prefix
                    .file_name()
                    .map(|n| memchr::memmem::Finder::new(n.as_encoded_bytes()));
                paths
                    .iter()
                    .copied()
                    .filter(|p| {
                        last.as_ref()
                            .is_none_or(|f| f.find(p.as_os_str().as_encoded_bytes()).is_some())
                            && p.starts_with(prefix)
                    })
                    .collect()
            }
            ArticlePaths::Sorted(sorted) => {
                let start = sorted.partition_point(|p| *p < prefix);
                sorted[start..]
                    .iter()
                    .copied()
                    .take_while(|p| p.starts_with(prefix))
                    .collect()
            }
        }
    }
}

impl Corpus {
    /// Index of the first root holding `path`, and the path relative to it.
    fn locate(&self, canon_roots: &[Option<PathBuf>], path: &Path) -> Option<(usize, PathBuf)> {
        self.roots.iter().enumerate().find_map(|(i, root)| {
            let canon = canon_roots.get(i).and_then(Option::as_deref);
            relative_to_root(root, canon, path).map(|rel| (i, rel))
        })
    }

    fn root_index(&self, path: &Path) -> usize {
        self.roots
            .iter()
            .position(|r| path.starts_with(r))
            .unwrap_or(0)
    }

    /// Adds what a change to `path` asks to re-read to `plan`.
    fn plan_path(
        &self,
        canon_roots: &[Option<PathBuf>],
        known: &ArticlePaths<'_>,
        path: &Path,
        plan: &mut Plan,
    ) {
        let Some((root_idx, rel)) = self.locate(canon_roots, path) else {
            return;
        };
        if !rel.as_os_str().is_empty() && !rel_is_walkable(&rel) {
            return;
        }
        let Some(root) = self.roots.get(root_idx) else {
            return;
        };
        let target = root.join(&rel);
        let Some(Some(canon_root)) = canon_roots.get(root_idx) else {
            // The root itself is gone (removed, or renamed away): the articles reported under it go too.
            for a in known.under(&target) {
                plan.files
                    .entry(a.to_path_buf())
                    .or_insert((root_idx, None));
            }
            plan.targets.push(target);
            return;
        };
        if rel.file_name().is_some_and(|n| n == SOURCES_FILE) {
            let Some(dir) = target.parent() else { return };
            plan.sources_dirs.insert(dir.to_path_buf(), root_idx);
            for a in known
                .under(dir)
                .into_iter()
                .filter(|a| a.parent() == Some(dir))
            {
                plan.files
                    .entry(a.to_path_buf())
                    .or_insert((root_idx, None));
            }
            return;
        }
        let real_target = fs::canonicalize(&target).ok();
        // The articles at or under the target (a file, a folder, or
        // something gone that may have been either).
        for a in known.under(&target) {
            plan.files
                .entry(a.to_path_buf())
                .or_insert((root_idx, None));
        }
        match real_target {
            Some(real) if real.is_dir() && real.starts_with(canon_root) => {
                let mut walk_roots = vec![PathBuf::new(); self.roots.len()];
                walk_roots[root_idx] = canon_root.clone();
                let mut walker = Walker::new(walk_roots);
                // A folder that cannot be read simply contributes no articles.
                let _ = walker.walk_dir(root_idx, &target, &real);
                plan.walk_problems.extend(walker.out.problems);
                for l in walker.out.files {
                    plan.files.insert(l.path, (root_idx, Some(l.real)));
                }
            }
            Some(real) if real.is_file() && real.starts_with(canon_root) => {
                let name = rel
                    .file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default();
                if is_article_name(&name) {
                    plan.files.insert(target.clone(), (root_idx, Some(real)));
                }
            }
            _ => {}
        }
        plan.targets.push(target);
    }

    /// Brings the corpus up to date after changes reported by a file watcher
    /// (or by anyone who knows which files changed). Each path may be an
    /// article file (created, modified or removed), a folder (all articles
    /// under it, e.g. a root that was re-created), or a `sources.toml` (the
    /// articles of its folder). Paths outside the roots, in skipped folders
    /// or of other kinds are ignored. Problems about the re-read files are
    /// replaced.
    ///
    /// All paths are gathered first and read once; ids are then re-assigned
    /// over the whole corpus with the same rule as [`load`], so the result
    /// equals a full reload (up to symbolic-link corner cases), also when
    /// stems clash: a new file whose stem clashes with an existing article
    /// renames that article (`foo` becomes `a/foo`); renames appear as the
    /// old id in `removed` and the new id in `changed`. Files re-read without
    /// a change give an empty [`Refresh`].
    pub fn refresh<P: AsRef<Path>>(&mut self, paths: &[P], opts: &LoadOptions) -> Refresh {
        let canon_roots: Vec<Option<PathBuf>> = self
            .roots
            .iter()
            .map(|r| fs::canonicalize(r).ok())
            .collect();
        let mut plan = Plan::default();
        {
            let known = ArticlePaths::new(&self.articles, paths.len());
            for path in paths {
                self.plan_path(&canon_roots, &known, path.as_ref(), &mut plan);
            }
        }
        // Files whose identity is the one they were read with are not read again (an open, a touch, a folder
        // looked at again), unless their folder's sources.toml changed or their text turned out not to be the
        // one loaded.
        let unchanged: HashSet<PathBuf> = {
            let mut by_path: HashMap<&Path, &Article> = HashMap::new();
            for a in &self.articles {
                if plan.files.contains_key(&a.path) {
                    by_path.insert(a.path.as_path(), a);
                }
            }
            plan.files
                .iter()
                .filter(|(p, _)| {
                    p.parent()
                        .is_none_or(|d| !plan.sources_dirs.contains_key(d))
                })
                .filter_map(|(p, (_, real))| {
                    let article = by_path.get(p.as_path())?;
                    // A text that could not be read as loaded is read again whatever its identity.
                    if article.text.problem().is_some() {
                        return None;
                    }
                    let was = article.text.identity()?;
                    let real = real.clone().or_else(|| fs::canonicalize(p).ok())?;
                    let now = FileIdentity::of(&fs::metadata(&real).ok()?);
                    (now == was).then(|| p.clone())
                })
                .collect()
        };
        for p in &unchanged {
            plan.files.remove(p);
        }
        if plan.files.is_empty() && plan.sources_dirs.is_empty() {
            return Refresh::default();
        }

        // The ids that may be gone: those of the articles read again, and of those renamed below.
        let mut gone: BTreeSet<String> = BTreeSet::new();
        let mut old: HashMap<PathBuf, Article> = HashMap::new();
        let mut kept = Vec::with_capacity(self.articles.len());
        for a in std::mem::take(&mut self.articles) {
            if plan.files.contains_key(&a.path) {
                gone.insert(a.id.clone());
                old.insert(a.path.clone(), a);
            } else {
                kept.push(a);
            }
        }
        self.articles = kept;
        let sources_files: HashSet<PathBuf> = plan
            .sources_dirs
            .keys()
            .map(|d| d.join(SOURCES_FILE))
            .collect();
        self.problems.retain(|p| {
            unchanged.contains(&p.path)
                || (!plan.files.contains_key(&p.path)
                    && !sources_files.contains(&p.path)
                    && !plan.targets.iter().any(|t| p.path.starts_with(t)))
        });
        self.problems.append(&mut plan.walk_problems);

        // Read.
        let mut pendings = Vec::new();
        for (p, (root_idx, real)) in &plan.files {
            let Some(Some(canon_root)) = canon_roots.get(*root_idx) else {
                continue;
            };
            let real = match real {
                Some(r) => r.clone(),
                None => match fs::canonicalize(p) {
                    Ok(r) if r.starts_with(canon_root) && r.is_file() => r,
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

        // Ids over the whole corpus, as a full load would assign them. They
        // depend only on the set of paths: when every file re-read was there
        // before and is still there (an edit), each keeps its id.
        let same_paths = pendings.len() == old.len()
            && pendings.iter().all(|p| old.contains_key(&p.article.path));
        let mut changed: BTreeSet<String> = BTreeSet::new();
        if same_paths {
            for pending in &mut pendings {
                if let Some(was) = old.get(&pending.article.path) {
                    pending.article.id.clone_from(&was.id);
                }
            }
        } else {
            let n_old = self.articles.len();
            let keys: Vec<(usize, PathBuf)> = self
                .articles
                .iter()
                .map(|a| a.path.clone())
                .chain(pendings.iter().map(|p| p.article.path.clone()))
                .map(|p| (self.root_index(&p), p))
                .collect();
            let key_refs: Vec<(usize, &Path)> =
                keys.iter().map(|(r, p)| (*r, p.as_path())).collect();
            let ids = assign_ids(&self.roots, &key_refs);
            for (article, id) in self.articles.iter_mut().zip(&ids) {
                if article.id != *id {
                    gone.insert(std::mem::replace(&mut article.id, id.clone()));
                    changed.insert(id.clone());
                }
            }
            for (pending, id) in pendings.iter_mut().zip(ids.iter().skip(n_old)) {
                pending.article.id.clone_from(id);
            }
        }

        // Metadata from the folders' sources.toml.
        let mut dirs: BTreeMap<PathBuf, usize> = plan.sources_dirs;
        for p in &pendings {
            if let Some(dir) = p.article.path.parent() {
                dirs.entry(dir.to_path_buf())
                    .or_insert_with(|| self.root_index(&p.article.path));
            }
        }
        let mut sources = HashMap::new();
        for (dir, root_idx) in &dirs {
            let file = dir.join(SOURCES_FILE);
            self.problems.retain(|p| p.path != file);
            let Some(Some(canon_root)) = canon_roots.get(*root_idx) else {
                continue;
            };
            if let Some(s) = sources_of_dir(dir, canon_root, opts, &mut self.problems) {
                sources.insert(dir.clone(), s);
            }
        }
        let report: HashSet<PathBuf> = dirs.into_keys().collect();
        let mut fresh = apply_sources(
            pendings,
            &sources,
            &report,
            &self.articles,
            &mut self.problems,
        );
        for a in &mut fresh {
            match old.remove(&a.path) {
                // Read again without a change: the article as it was (whose text others may share).
                Some(was) if was == *a => *a = was,
                _ => {
                    changed.insert(a.id.clone());
                }
            }
        }
        self.articles.extend(fresh);
        self.articles.sort_by(|a, b| a.id.cmp(&b.id));
        self.problems.sort_by(|a, b| a.path.cmp(&b.path));

        let removed: Vec<String> = gone
            .into_iter()
            .filter(|id| {
                self.articles
                    .binary_search_by(|a| a.id.as_str().cmp(id))
                    .is_err()
            })
            .collect();
        Refresh {
            changed: changed.into_iter().collect(),
            removed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::test_support::*;

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
        let r = corpus.refresh(&[dir.path().join("a/bar.txt")], &opts);
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
        let r = corpus.refresh(&[dir.path().join("b/foo.txt")], &opts);
        assert_eq!(r.changed, ["a/foo", "b/foo"]);
        assert_eq!(r.removed, ["foo"]);
        assert_eq!(corpus, load_dir(dir.path()));

        // Removal, and a file that became binary.
        fs::remove_file(dir.path().join("b/foo.txt")).expect("rm");
        dir.write("a/bar.txt", b"\x00\x01");
        let r = corpus.refresh(&[dir.path().join("b/foo.txt")], &opts);
        assert_eq!(
            r,
            Refresh {
                changed: vec!["foo".into()],
                removed: vec!["a/foo".into(), "b/foo".into()]
            }
        );
        corpus.refresh(&[dir.path().join("a/bar.txt")], &opts);
        assert_eq!(corpus, load_dir(dir.path()));
        assert_eq!(corpus.problems.len(), 1);

        // A new folder, a sources.toml, and ignored paths.
        dir.write("c/d/new.md", "---\ntitle: T\n---\nNew.\n");
        corpus.refresh(&[dir.path().join("c")], &opts);
        dir.write("c/d/sources.toml", "[new]\ntitle = \"Override\"\n");
        let r = corpus.refresh(&[dir.path().join("c/d/sources.toml")], &opts);
        assert_eq!(r.changed, ["new"]);
        assert_eq!(
            corpus.get("new").and_then(|a| a.title.as_deref()),
            Some("Override")
        );
        assert_eq!(corpus, load_dir(dir.path()));
        dir.write(".git/HEAD.txt", "x");
        assert_eq!(
            corpus.refresh(&[dir.path().join(".git/HEAD.txt")], &opts),
            Refresh::default()
        );
        assert_eq!(
            corpus.refresh(&[Path::new("/elsewhere/x.txt")], &opts),
            Refresh::default()
        );

        // Removing a whole folder.
        fs::remove_dir_all(dir.path().join("c")).expect("rm");
        let r = corpus.refresh(&[dir.path().join("c")], &opts);
        assert_eq!(r.removed, ["new"]);
        assert_eq!(corpus, load_dir(dir.path()));
    }

    #[test]
    fn refresh_of_a_changed_file_gives_the_ids_of_a_fresh_load_when_stems_clash() {
        let dir = TempDir::new("refresh-stems");
        dir.write("a/foo.txt", "Foo in a.\n");
        dir.write("b/foo.txt", "Foo in b.\n");
        dir.write("b/foo.md", "Foo as markdown.\n");
        dir.write("c/bar.txt", "Bar.\n");
        let opts = LoadOptions::default();
        let mut corpus = load_dir(dir.path());
        assert_eq!(ids(&corpus), ["a/foo", "b/foo.md", "b/foo.txt", "bar"]);

        // One file edited: its id stays qualified, nothing else changes.
        dir.write("a/foo.txt", "Foo in a, edited.\n");
        let r = corpus.refresh(&[dir.path().join("a/foo.txt")], &opts);
        assert_eq!(r.changed, ["a/foo"]);
        assert!(r.removed.is_empty());
        assert_eq!(corpus, load_dir(dir.path()));

        // A burst: an edit, a removal and an addition in one call.
        dir.write("b/foo.md", "Foo as markdown, edited.\n");
        fs::remove_file(dir.path().join("b/foo.txt")).expect("rm");
        dir.write("d/bar.txt", "Another bar.\n");
        let r = corpus.refresh(
            &[
                dir.path().join("b/foo.md"),
                dir.path().join("b/foo.txt"),
                dir.path().join("d/bar.txt"),
            ],
            &opts,
        );
        assert_eq!(corpus, load_dir(dir.path()));
        assert_eq!(ids(&corpus), ["a/foo", "b/foo", "c/bar", "d/bar"]);
        assert_eq!(r.changed, ["b/foo", "c/bar", "d/bar"]);
        assert_eq!(r.removed, ["b/foo.md", "b/foo.txt", "bar"]);

        // A file read again without a change (an open, a touch) changes nothing.
        let r = corpus.refresh(&[dir.path().join("c/bar.txt"), dir.path().join("c")], &opts);
        assert!(r.is_empty(), "{r:?}");
        assert_eq!(corpus, load_dir(dir.path()));

        // The whole root reported (re-created): same as a fresh load.
        fs::remove_dir_all(dir.path().join("a")).expect("rm");
        dir.write("e/new.txt", "New.\n");
        let r = corpus.refresh(&[dir.path()], &opts);
        assert_eq!(corpus, load_dir(dir.path()));
        assert_eq!(r.changed, ["foo", "new"]);
        assert_eq!(r.removed, ["a/foo", "b/foo"]);
    }

    #[test]
    fn refresh_finds_the_same_articles_whether_few_or_many_paths_are_reported() {
        // Few reported paths are compared with every article, many go through
        // a sorted list: both must find what a fresh load finds.
        for padding in [0, ArticlePaths::SCAN_AT_MOST + 1] {
            let dir = TempDir::new("refresh-many");
            for i in 0..12 {
                dir.write(&format!("keep/k{i}.txt"), format!("Kept {i}.\n"));
            }
            dir.write("a/foo.txt", "Foo.\n");
            dir.write("b/bar.txt", "Bar.\n");
            dir.write("b/sub/baz.txt", "Baz.\n");
            dir.write("d/foo.txt", "Foo in d.\n");
            let opts = LoadOptions::default();
            let mut corpus = load_dir(dir.path());

            // An edit alone: ids (here qualified by a clash of stems) are kept without being assigned again.
            dir.write("a/foo.txt", "Foo, edited.\n");
            let mut reported = vec![dir.path().join("a/foo.txt")];
            reported.extend((0..padding).map(|i| dir.path().join(format!("keep/k{i}.txt"))));
            let r = corpus.refresh(&reported, &opts);
            assert_eq!(r.changed, ["a/foo"], "padding {padding}");
            assert!(r.removed.is_empty(), "padding {padding}");
            assert_eq!(corpus, load_dir(dir.path()), "padding {padding}");

            // An edit, a folder removed, a clashing addition.
            dir.write("a/foo.txt", "Foo, edited again.\n");
            fs::remove_dir_all(dir.path().join("b")).expect("rm");
            dir.write("c/foo.txt", "Another foo.\n");
            let mut reported = vec![
                dir.path().join("a/foo.txt"),
                dir.path().join("b"),
                dir.path().join("c/foo.txt"),
            ];
            reported.extend((0..padding).map(|i| dir.path().join(format!("keep/k{i}.txt"))));
            let r = corpus.refresh(&reported, &opts);
            assert_eq!(r.changed, ["a/foo", "c/foo"], "padding {padding}");
            assert_eq!(r.removed, ["bar", "baz"], "padding {padding}");
            assert_eq!(corpus, load_dir(dir.path()), "padding {padding}");
        }
    }

    #[test]
    fn refresh_of_a_root_renamed_away_and_made_again() {
        let parent = TempDir::new("refresh-root");
        parent.write("articles/a/foo.txt", "Foo.\n");
        parent.write("articles/b/foo.txt", "Other foo.\n");
        let root = parent.path().join("articles");
        let opts = LoadOptions::default();
        let mut corpus = load_dir(&root);
        assert_eq!(ids(&corpus), ["a/foo", "b/foo"]);

        // Gone: its articles go with it.
        fs::rename(&root, parent.path().join("old")).expect("rename");
        let r = corpus.refresh(&[&root], &opts);
        assert_eq!(r.removed, ["a/foo", "b/foo"]);
        assert!(corpus.articles.is_empty());

        // Made again: the same as a fresh load.
        parent.write("articles/c/foo.txt", "New foo.\n");
        let r = corpus.refresh(&[&root], &opts);
        assert_eq!(r.changed, ["foo"]);
        assert_eq!(corpus, load_dir(&root));
    }
}
