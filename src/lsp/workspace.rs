//! The workspace: settings, finding and loading the corpus in the background, watching it for changes (on
//! the server side and through the client), and refreshing the knowledge base when files change.

use super::server::{Backend, lock};
use crate::corpus::{self, Config, LoadOptions};
use crate::kb::{ArticleData, KnowledgeBase, extract_all};
use notify::EventKind;
use notify::event::{AccessKind, AccessMode, ModifyKind};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};
use tower_lsp_server::ls_types::{
    DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher, GlobPattern, MessageType,
    NumberOrString, OneOf, Registration, RelativePattern, Uri,
};

/// How long corpus file events wait for more events before a refresh.
const WATCH_DEBOUNCE: Duration = Duration::from_millis(250);
/// How often the corpus folders themselves are checked for being removed or replaced.
const ROOT_CHECK: Duration = Duration::from_secs(2);

/// What the watcher reports: changed paths, or that everything must be looked at again.
enum WatchEvent {
    Paths(Vec<PathBuf>),
    Rescan,
}

/// Whether a watcher event can mean a change of content: creations, writes, renames and removals do;
/// opening, reading and metadata changes (which Dossier's own reads cause) do not.
fn is_content_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) | EventKind::Any | EventKind::Other => true,
        EventKind::Modify(m) => !matches!(m, ModifyKind::Metadata(_)),
        // A file written and closed; reads (Dossier's own among them) are not changes.
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
    }
}

/// Identity of a folder, to notice when it is removed and made again.
fn dir_identity(p: &Path) -> Option<(u64, u64)> {
    let m = std::fs::metadata(p).ok()?;
    if !m.is_dir() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        Some((0, 0))
    }
}

impl Backend {
    /// The corpus folders to use: editor settings first, then `dossier.toml` in a workspace folder.
    fn resolve_corpus(&self) -> (Vec<PathBuf>, LoadOptions, Option<String>) {
        let settings = lock(&self.shared.settings).clone();
        let workspace = lock(&self.shared.workspace).clone();
        if let Some(paths) = settings.corpus {
            let base = workspace
                .first()
                .cloned()
                .unwrap_or_else(|| PathBuf::from("."));
            let roots = paths
                .into_iter()
                .map(|p| if p.is_absolute() { p } else { base.join(p) })
                .collect();
            return (roots, LoadOptions::default(), None);
        }
        for w in &workspace {
            let toml = w.join("dossier.toml");
            if toml.is_file() {
                return match Config::load(&toml) {
                    Ok(c) => {
                        for warning in &c.warnings {
                            tracing::warn!("{}: {warning}", toml.display());
                        }
                        let lo = c.load_options();
                        (c.corpus, lo, None)
                    }
                    Err(e) => (Vec::new(), LoadOptions::default(), Some(e.to_string())),
                };
            }
        }
        (Vec::new(), LoadOptions::default(), None)
    }

    /// Load (or reload) the corpus in the background, reporting progress; requests keep answering from the
    /// knowledge base already in place, which is swapped when the new one is ready.
    pub(super) async fn load_corpus(&self) {
        let generation = self.shared.load_gen.fetch_add(1, Ordering::SeqCst) + 1;
        let (roots, opts, config_error) = self.resolve_corpus();
        if let Some(e) = config_error {
            self.client
                .show_message(MessageType::ERROR, format!("Dossier: {e}"))
                .await;
            self.status("error", 0, 0, &e).await;
            return;
        }
        *lock(&self.shared.corpus_roots) = (roots.clone(), opts);
        if roots.is_empty() {
            *lock(&self.shared.articles) = Vec::new();
            self.shared.set_kb(KnowledgeBase::empty());
            if !self.shared.warned_no_corpus.swap(true, Ordering::SeqCst) {
                self.client
                    .show_message(
                        MessageType::INFO,
                        "Dossier: no corpus configured — add a dossier.toml with corpus = [\"articles/\"] at the workspace root, or set dossier.corpus. Weekday checks still run; hover, go-to-source and date checks need a corpus.",
                    )
                    .await;
            }
            self.status("no-corpus", 0, 0, "no corpus configured").await;
            self.republish_all();
            return;
        }
        let progress = if self.shared.progress_supported.load(Ordering::SeqCst) {
            let token = NumberOrString::String(format!("dossier-index-{generation}"));
            match self.client.create_work_done_progress(token.clone()).await {
                Ok(()) => Some(
                    self.client
                        .progress(token, "Dossier: indexing corpus")
                        .with_percentage(0)
                        .begin()
                        .await,
                ),
                Err(_) => None,
            }
        } else {
            None
        };
        self.status("indexing", 0, 0, "reading files").await;
        let started = Instant::now();
        let r2 = roots.clone();
        let o2 = opts;
        let loaded = tokio::task::spawn_blocking(move || corpus::load(&r2, &o2, &|_, _| {})).await;
        let corpus = match loaded {
            Ok(Ok(c)) => c,
            Ok(Err(e)) => {
                let msg = format!("Dossier: cannot load the corpus: {e}");
                self.client.show_message(MessageType::ERROR, &msg).await;
                self.status("error", 0, 0, &msg).await;
                if let Some(p) = progress {
                    p.finish_with_message(msg).await;
                }
                return;
            }
            Err(e) => {
                tracing::error!("corpus load failed: {e}");
                return;
            }
        };
        for p in &corpus.problems {
            tracing::warn!("{p}");
        }
        if corpus.articles.is_empty() {
            self.client
                .show_message(
                    MessageType::WARNING,
                    format!(
                        "Dossier: the corpus ({}) holds no .txt or .md articles",
                        display_paths(&roots)
                    ),
                )
                .await;
        }
        let problems = corpus.problems;
        let total = corpus.articles.len();
        let mut done: Vec<Arc<ArticleData>> = Vec::with_capacity(total);
        let mut pending = corpus.articles;
        let mut last_publish = Instant::now();
        const BATCH: usize = 200;
        while !pending.is_empty() {
            if self.shared.load_gen.load(Ordering::SeqCst) != generation {
                return; // A newer load took over.
            }
            let rest = pending.split_off(pending.len().min(BATCH));
            let batch = std::mem::replace(&mut pending, rest);
            match tokio::task::spawn_blocking(move || extract_all(batch, &|_, _| {})).await {
                Ok(mut v) => done.append(&mut v),
                Err(e) => tracing::error!("extraction failed: {e}"),
            }
            let pct = (done.len() * 100 / total.max(1)) as u32;
            let msg = format!("{}/{} articles", done.len(), total);
            if let Some(p) = &progress {
                p.report_with_message(msg.clone(), pct).await;
            }
            self.status("indexing", done.len(), total, &msg).await;
            // Partial knowledge while a large corpus loads.
            if !pending.is_empty() && last_publish.elapsed() > Duration::from_secs(3) {
                let snapshot = done.clone();
                if let Ok(kb) =
                    tokio::task::spawn_blocking(move || KnowledgeBase::build(snapshot, Vec::new()))
                        .await
                {
                    self.shared.set_kb(kb);
                }
                last_publish = Instant::now();
            }
        }
        if self.shared.load_gen.load(Ordering::SeqCst) != generation {
            return;
        }
        *lock(&self.shared.articles) = done.clone();
        match tokio::task::spawn_blocking(move || KnowledgeBase::build(done, problems)).await {
            Ok(kb) => self.shared.set_kb(kb),
            Err(e) => tracing::error!("knowledge base build failed: {e}"),
        }
        let (kb, _) = self.shared.kb();
        let msg = format!(
            "{} articles, {} entities ({:.1}s)",
            kb.articles.len(),
            kb.entities.len(),
            started.elapsed().as_secs_f64()
        );
        tracing::info!("corpus loaded: {msg}");
        // Watch before saying "ready", so that no change made after that is missed.
        self.watch(&roots);
        if self.shared.client_watches.load(Ordering::SeqCst) {
            self.register_client_watch(&roots).await;
        }
        if let Some(p) = progress {
            p.finish_with_message(msg.clone()).await;
        }
        self.status("ready", total, total, &msg).await;
        self.republish_all();
    }

    /// Ask the client to report changes to the corpus files too (editors see saves the server's watcher may
    /// miss on network drives); a change reported twice is applied once, as unchanged files are skipped.
    async fn register_client_watch(&self, roots: &[PathBuf]) {
        let watchers: Vec<FileSystemWatcher> = roots
            .iter()
            .filter_map(|r| {
                Some(FileSystemWatcher {
                    glob_pattern: GlobPattern::Relative(RelativePattern {
                        base_uri: OneOf::Right(Uri::from_file_path(r)?),
                        pattern: "**/*.{txt,md}".to_string(),
                    }),
                    kind: None,
                })
            })
            .collect();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let registration = Registration {
            id: format!(
                "dossier-corpus-watch-{}",
                self.shared.load_gen.load(Ordering::SeqCst)
            ),
            method: "workspace/didChangeWatchedFiles".to_string(),
            register_options: serde_json::to_value(options).ok(),
        };
        if let Err(e) = self.client.register_capability(vec![registration]).await {
            tracing::warn!("the client did not accept the corpus file watch: {e}");
        }
    }

    /// Watch the corpus folders on the server side: recursively, reacting to content changes only, with a
    /// rescan when the watcher overflows and when a corpus folder is removed and made again.
    fn watch(&self, roots: &[PathBuf]) {
        use notify::Watcher;
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<WatchEvent>();
        let tx2 = tx.clone();
        let watcher =
            notify::recommended_watcher(move |res: notify::Result<notify::Event>| match res {
                Ok(ev) if ev.need_rescan() => {
                    let _ = tx.send(WatchEvent::Rescan);
                }
                Ok(ev) if is_content_change(&ev.kind) => {
                    let _ = tx.send(WatchEvent::Paths(ev.paths));
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!("corpus watcher: {e}; rescanning");
                    let _ = tx.send(WatchEvent::Rescan);
                }
            });
        let mut watcher = match watcher {
            Ok(w) => w,
            Err(e) => {
                tracing::warn!("cannot watch the corpus: {e}");
                return;
            }
        };
        for r in roots {
            if let Err(e) = watcher.watch(r, notify::RecursiveMode::Recursive) {
                tracing::warn!("cannot watch {}: {e}", r.display());
            }
        }
        *lock(&self.shared.watcher) = Some(watcher);
        let generation = self.shared.load_gen.load(Ordering::SeqCst);
        // The folders themselves: a folder removed (or renamed away) and made again is a new folder the
        // watch no longer covers.
        let shared = self.shared.clone();
        let watched: Vec<(PathBuf, Option<(u64, u64)>)> =
            roots.iter().map(|r| (r.clone(), dir_identity(r))).collect();
        tokio::spawn(async move {
            let mut watched = watched;
            loop {
                tokio::time::sleep(ROOT_CHECK).await;
                if shared.load_gen.load(Ordering::SeqCst) != generation || shared.stopping() {
                    return;
                }
                let mut replaced = false;
                for (root, id) in &mut watched {
                    let now = dir_identity(root);
                    if now != *id {
                        replaced |= now.is_some();
                        *id = now;
                    }
                }
                if replaced && tx2.send(WatchEvent::Rescan).is_err() {
                    return;
                }
            }
        });
        let backend = self.clone_handle();
        let roots = roots.to_vec();
        tokio::spawn(async move {
            while let Some(first) = rx.recv().await {
                let mut paths = BTreeSet::new();
                let mut rescan = false;
                let mut take = |ev: WatchEvent| match ev {
                    WatchEvent::Paths(p) => paths.extend(p),
                    WatchEvent::Rescan => rescan = true,
                };
                take(first);
                // Gather the rest of a burst of events.
                while let Ok(Some(ev)) = tokio::time::timeout(WATCH_DEBOUNCE, rx.recv()).await {
                    take(ev);
                }
                if backend.shared.load_gen.load(Ordering::SeqCst) != generation {
                    return; // A newer load watches now.
                }
                if rescan {
                    tracing::info!("rescanning the corpus");
                    // A folder made again needs a new watch.
                    if roots.iter().any(|r| dir_identity(r).is_some()) {
                        backend.rewatch(&roots);
                    }
                }
                backend
                    .refresh_paths(paths.into_iter().collect(), rescan)
                    .await;
            }
        });
    }

    /// Watch the folders again (after one was replaced), keeping the same load generation.
    fn rewatch(&self, roots: &[PathBuf]) {
        use notify::Watcher;
        if let Some(w) = lock(&self.shared.watcher).as_mut() {
            for r in roots {
                let _ = w.unwatch(r);
                if let Err(e) = w.watch(r, notify::RecursiveMode::Recursive) {
                    tracing::warn!("cannot watch {}: {e}", r.display());
                }
            }
        }
    }

    /// Re-read just the changed corpus files, then rebuild the knowledge base from cached extractions. A
    /// folder among the paths (made, renamed or removed), or `rescan`, means every file is looked at.
    pub(super) async fn refresh_paths(&self, paths: Vec<PathBuf>, rescan: bool) {
        let (roots, opts) = lock(&self.shared.corpus_roots).clone();
        let articles = lock(&self.shared.articles).clone();
        let result = tokio::task::spawn_blocking(move || {
            let known: HashSet<&Path> = articles.iter().map(|a| a.article.path.as_path()).collect();
            // A folder made, renamed or removed: its files may have come or gone without events of their own.
            let folder_changed = paths.iter().any(|p| {
                p.is_dir()
                    || (!p.exists()
                        && !known.contains(p.as_path())
                        && known.iter().any(|k| k.starts_with(p)))
            });
            let paths = if rescan || folder_changed {
                let mut all: BTreeSet<PathBuf> = known.iter().map(|p| p.to_path_buf()).collect();
                match corpus::list_files(&roots) {
                    Ok(files) => all.extend(files),
                    Err(e) => tracing::warn!("cannot list the corpus: {e}"),
                }
                all.into_iter().collect()
            } else {
                paths
            };
            refresh_articles(articles, &roots, &opts, &paths)
        })
        .await;
        let Ok(Some(articles)) = result else { return };
        *lock(&self.shared.articles) = articles.clone();
        if let Ok(kb) =
            tokio::task::spawn_blocking(move || KnowledgeBase::build(articles, Vec::new())).await
        {
            tracing::info!("corpus refreshed: {} articles", kb.articles.len());
            self.shared.set_kb(kb);
            let (kb, _) = self.shared.kb();
            self.status(
                "ready",
                kb.articles.len(),
                kb.articles.len(),
                &format!(
                    "{} articles, {} entities",
                    kb.articles.len(),
                    kb.entities.len()
                ),
            )
            .await;
            self.republish_all();
        }
    }
}

fn display_paths(p: &[PathBuf]) -> String {
    p.iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn is_article_path(p: &Path) -> bool {
    matches!(p.extension().and_then(|e| e.to_str()), Some("txt" | "md"))
        && !p.components().any(|c| {
            c.as_os_str()
                .to_str()
                .is_some_and(|s| s.starts_with('.') && s.len() > 1)
        })
}

/// The article list after some files changed, or `None` when nothing did. Only changed files are read;
/// paths are matched through a map, so a burst of events costs no more than the files it names.
fn refresh_articles(
    mut articles: Vec<Arc<ArticleData>>,
    roots: &[PathBuf],
    opts: &LoadOptions,
    paths: &[PathBuf],
) -> Option<Vec<Arc<ArticleData>>> {
    let mut changed = false;
    let at: HashMap<PathBuf, usize> = articles
        .iter()
        .enumerate()
        .map(|(i, a)| (a.article.path.clone(), i))
        .collect();
    let mut removed: HashSet<usize> = HashSet::new();
    let mut added = Vec::new();
    let unique: BTreeSet<&PathBuf> = paths.iter().collect();
    for path in unique.into_iter().filter(|p| is_article_path(p)) {
        let Some(root) = roots.iter().find(|r| path.starts_with(r)) else {
            continue;
        };
        let existing = at.get(path).copied();
        if path.is_file() {
            match corpus::read_article(root, path, opts) {
                Ok(article) => {
                    if let Some(i) = existing {
                        if articles[i].article.text == article.text {
                            continue;
                        }
                        articles[i] = Arc::new(ArticleData::extract(article));
                    } else {
                        added.push(Arc::new(ArticleData::extract(article)));
                    }
                    changed = true;
                }
                Err(problem) => {
                    tracing::warn!("{problem}");
                    if let Some(i) = existing {
                        removed.insert(i);
                        changed = true;
                    }
                }
            }
        } else if let Some(i) = existing {
            removed.insert(i);
            changed = true;
        }
    }
    if !changed {
        return None;
    }
    let mut i = 0;
    articles.retain(|_| {
        i += 1;
        !removed.contains(&(i - 1))
    });
    articles.extend(added);
    articles.sort_by(|a, b| a.id().cmp(b.id()));
    Some(articles)
}
