//! Loading: reading every listed file in parallel into articles, and reading single files for a
//! refresh.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::thread;

use super::ids::{assign_ids, stem_of};
use super::layout::{boilerplate_regions, headline};
use super::meta::{apply_sources, finish, parse_front_matter, read_sources, sources_of_dir};
use super::read::{bom_len, decode, is_blank, read_bytes};
use super::text::{ArticleText, FileIdentity, FileRecord};
use super::walk::{Listed, is_article_name, is_markdown, rel_is_walkable, relative_to_root, walk};
use super::{Article, ArticleMeta, Corpus, CorpusError, LoadOptions, Pending, Problem};
use std::time::SystemTime;

/// Parses front matter, finds headline and boilerplate. Returns the caveat
/// about the front matter, if any.
pub(super) fn analyse(
    path: PathBuf,
    text: String,
    identity: Option<FileIdentity>,
) -> (Pending, Option<String>) {
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
        text: ArticleText::read(text, identity),
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
            record: None,
            trusted: false,
        },
        fm_problem,
    )
}

/// The article of an unchanged file from what an earlier load recorded of it, without reading it.
fn from_record(shown: &Path, real: &Path, record: &FileRecord, opts: &LoadOptions) -> Pending {
    let article = Article {
        id: stem_of(shown),
        path: shown.to_path_buf(),
        text: ArticleText::on_disk(record, real, opts.max_file_size),
        body: record.body.clone(),
        meta: record.front_matter.clone(),
        title: None,
        title_range: None,
        boilerplate: record.boilerplate.clone(),
    };
    Pending {
        article,
        front_matter: record.front_matter.clone(),
        headline: record.headline.clone(),
        record: None,
        trusted: true,
    }
}

/// Reads, decodes and analyses one file. `Err` means the file is skipped;
/// the `Vec` holds caveats about a file that was loaded.
pub(super) fn read_pending(
    shown: &Path,
    real: &Path,
    opts: &LoadOptions,
) -> Result<(Pending, Vec<Problem>), Problem> {
    let now = SystemTime::now();
    let (bytes, meta) = read_bytes(real, shown, opts.max_file_size)?;
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
    let identity = Some(FileIdentity::of(&meta)).filter(|i| i.settled(now));
    let mut caveats = Vec::new();
    if let Some(reason) = lossy {
        caveats.push(Problem::new(shown, reason));
    }
    let (mut pending, fm_problem) = analyse(shown.to_path_buf(), text, identity);
    if let Some(reason) = fm_problem {
        caveats.push(Problem::new(shown, reason));
    }
    if is_blank(pending.article.body_text()) {
        return Err(Problem::new(
            shown,
            "no text after the front matter; skipped",
        ));
    }
    pending.record = identity.map(|identity| FileRecord {
        identity,
        digest: pending.article.text.digest(),
        len: pending.article.text.len(),
        body: pending.article.body.clone(),
        front_matter: pending.front_matter.clone(),
        headline: pending.headline.clone(),
        boilerplate: pending.article.boilerplate.clone(),
        caveats: caveats.iter().map(|p| p.reason.clone()).collect(),
    });
    Ok((pending, caveats))
}

/// The article of a file: from `known` without reading it when the file's identity is the one recorded there,
/// else read (see [`read_guarded`]).
pub(super) fn read_known(
    shown: &Path,
    real: &Path,
    opts: &LoadOptions,
    known: Option<&FileRecord>,
) -> Result<(Pending, Vec<Problem>), Problem> {
    // A file over the size limit (which may have been lowered since) is left to `read_guarded` to skip.
    if let Some(record) = known.filter(|r| r.identity.size <= opts.max_file_size)
        && let Ok(meta) = fs::metadata(real)
        && FileIdentity::of(&meta) == record.identity
    {
        let caveats = record
            .caveats
            .iter()
            .map(|c| Problem::new(shown, c.clone()))
            .collect();
        return Ok((from_record(shown, real, record, opts), caveats));
    }
    read_guarded(shown, real, opts)
}

/// [`read_pending`], turning a panic (a bug) into a reported problem so that
/// one strange file cannot take the language server down.
pub(super) fn read_guarded(
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

/// Calls the progress callback, throttled to about a hundred calls.
pub(super) struct Reporter<'a> {
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

pub(super) type ReadOutcome = Result<(Pending, Vec<Problem>), Problem>;

/// Reads the files on `available_parallelism()` scoped threads; results in
/// the order of `files`.
pub(super) fn read_all(
    files: &[Listed],
    opts: &LoadOptions,
    known: &HashMap<PathBuf, FileRecord>,
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
                        let record = known.get(&file.path);
                        out.push((i, read_known(&file.path, &file.real, opts, record)));
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
    load_with(roots, opts, &HashMap::new(), progress).map(|(corpus, _)| corpus)
}

/// What [`load_with`] found out besides the corpus.
#[derive(Debug, Default)]
pub struct LoadReport {
    /// Records of the files read whose identity can be trusted next time (give them back to [`load_with`]).
    pub records: Vec<(PathBuf, FileRecord)>,
    /// Files taken from `known` without reading them.
    pub trusted: usize,
}

/// [`load`], trusting every file whose identity is the one `known` (by path, as the walk finds it: root
/// joined with the relative path) records for it: such a file is not read, its text is read when asked for
/// ([`ArticleText`]). The result is the same as [`load`]'s.
pub fn load_with(
    roots: &[PathBuf],
    opts: &LoadOptions,
    known: &HashMap<PathBuf, FileRecord>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<(Corpus, LoadReport), CorpusError> {
    let listing = walk(roots)?;
    let mut problems = listing.problems;
    let outcomes = read_all(&listing.files, opts, known, progress);
    let mut pendings = Vec::with_capacity(outcomes.len());
    let mut root_of = Vec::with_capacity(outcomes.len());
    let mut report = LoadReport::default();
    for (file, outcome) in listing.files.iter().zip(outcomes) {
        match outcome {
            Ok((mut pending, caveats)) => {
                problems.extend(caveats);
                report.trusted += usize::from(pending.trusted);
                if let Some(r) = pending.record.take() {
                    report.records.push((file.path.clone(), r));
                }
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
    let corpus = Corpus {
        roots: roots.to_vec(),
        articles,
        problems,
    };
    Ok((corpus, report))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::test_support::*;
    use crate::corpus::*;
    use std::fs;
    use std::path::Path;

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
}
