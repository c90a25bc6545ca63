//! The workspace: settings, finding and loading the corpus in the background, watching it for changes (on
//! the server side and through the client), and refreshing the knowledge base when files change — through
//! [`Corpus::refresh`], the refresh path the CLI uses too, so that ids are always those of a fresh load.

use super::server::{Backend, Shared, lock};
use crate::corpus::{self, Article, Config, Corpus, LoadOptions, Problem};
use crate::kb::{
    ArticleData, Coverage, KnowledgeBase, Last, LastKnown, MergeAhead, MergeKey, MergePrefetch,
    MergeStats, Store, extract_cached, store,
};
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
use tower_lsp_server::{Bounded, NotCancellable, OngoingProgress};

/// How long corpus file events wait for more events before a refresh.
/// A save is one burst of events (written, closed, renamed) well within this; the refresh is cheap (a patch)
/// and a later burst stops the merge of the one before, so a short wait costs little.
const WATCH_DEBOUNCE: Duration = Duration::from_millis(50);
/// How often the corpus folders themselves are checked for being removed or replaced.
const ROOT_CHECK: Duration = Duration::from_secs(2);
/// How long a load may spend analysing the open notes before it says "ready" (one note of a large corpus
/// takes 10-20 ms).
const WARM_BEFORE_READY: Duration = Duration::from_millis(100);

/// What the watcher reports: changed paths, or that everything must be looked at again.
enum WatchEvent {
    Paths(Vec<PathBuf>),
    Rescan,
}

/// The loaded corpus as the server keeps it between refreshes: the article list [`Corpus::refresh`] works on,
/// and the extraction of each article, in the same order (by id).
///
/// The articles of `corpus` share their text with their [`ArticleData`] (which the knowledge base shares): a
/// text is held once, and read from its file only when something asks for it.
#[derive(Default)]
pub(super) struct Loaded {
    /// The load generation this corpus belongs to.
    generation: u64,
    corpus: Corpus,
    data: Vec<Arc<ArticleData>>,
    /// The workspace's index of extractions, when there is one.
    store: Option<Arc<Store>>,
}

/// What one refresh did, for the log.
struct Refreshed {
    extracted: usize,
    removed: usize,
}

impl Loaded {
    /// The state after a full load, from the extractions (each holding its article).
    fn new(
        generation: u64,
        roots: Vec<PathBuf>,
        data: Vec<Arc<ArticleData>>,
        problems: Vec<Problem>,
    ) -> Self {
        let articles = data.iter().map(|d| d.article.clone()).collect();
        Loaded {
            generation,
            corpus: Corpus {
                roots,
                articles,
                problems,
            },
            data,
            store: None,
        }
    }

    /// The knowledge base of this state.
    fn knowledge_base(&self) -> KnowledgeBase {
        KnowledgeBase::build(self.data.clone(), self.corpus.problems.clone())
    }

    /// Bring the corpus up to date with [`Corpus::refresh`], re-extracting only the articles it lists as
    /// changed whose text or id really differs from their extraction; `None` when nothing changed.
    fn refresh(&mut self, paths: &[PathBuf], opts: &LoadOptions) -> Option<Refreshed> {
        let timer = Instant::now();
        let problems_before = self.corpus.problems.clone();
        let r = self.corpus.refresh(paths, opts);
        tracing::debug!("refresh: corpus read again in {:?}", timer.elapsed());
        if self.corpus.problems != problems_before {
            let known: HashSet<(&Path, &str)> = problems_before
                .iter()
                .map(|p| (p.path.as_path(), p.reason.as_str()))
                .collect();
            for p in &self.corpus.problems {
                if !known.contains(&(p.path.as_path(), p.reason.as_str())) {
                    tracing::warn!("{p}");
                }
            }
        }
        if r.is_empty() {
            return None;
        }
        let changed: HashSet<&str> = r.changed.iter().map(String::as_str).collect();
        let old = std::mem::take(&mut self.data);
        // The old extractions are in id order, as the articles are: each article's is found by walking both
        // lists together. Only an article whose id is new or moved to another file is looked up by path
        // (the table made when first needed).
        let mut by_path: Option<HashMap<&Path, &Arc<ArticleData>>> = None;
        let mut next = 0;
        // Extractions kept and articles to extract, by position in the new list.
        let mut keep: Vec<(usize, Arc<ArticleData>)> = Vec::new();
        let mut fresh: Vec<(usize, Article)> = Vec::new();
        let mut articles = Vec::with_capacity(self.corpus.articles.len());
        for a in std::mem::take(&mut self.corpus.articles) {
            while old.get(next).is_some_and(|d| d.id() < a.id.as_str()) {
                next += 1;
            }
            let same_file = old
                .get(next)
                .filter(|d| d.id() == a.id && d.article.path == a.path);
            let at = articles.len();
            if let Some(d) = same_file.filter(|_| !changed.contains(a.id.as_str())) {
                keep.push((at, Arc::clone(d)));
                articles.push(a);
                continue;
            }
            let was = match same_file {
                Some(d) => Some(d),
                None => by_path
                    .get_or_insert_with(|| {
                        old.iter().map(|d| (d.article.path.as_path(), d)).collect()
                    })
                    .get(a.path.as_path())
                    .copied(),
            };
            match was {
                // Read again without a change (an open, a touch, a save reported twice): the article kept is
                // the extraction's, which shares its text.
                Some(d) if d.article == a => {
                    keep.push((at, Arc::clone(d)));
                    articles.push(d.article.clone());
                    continue;
                }
                // Changed, new, or renamed (its id changed because another file's stem clashes with it, or
                // stopped to): a renamed article shares its text with its old extraction.
                _ => fresh.push((at, a.clone())),
            }
            articles.push(a);
        }
        drop(by_path);
        let extracted = fresh.len();
        let (at, todo): (Vec<usize>, Vec<Article>) = fresh.into_iter().unzip();
        let (fresh, _) = extract_cached(
            todo,
            self.store.as_deref(),
            &self.corpus.roots,
            Coverage::Partial,
            &|_, _| {},
        );
        tracing::debug!(
            "refresh: {extracted} articles extracted at {:?}",
            timer.elapsed()
        );
        keep.extend(at.into_iter().zip(fresh));
        keep.sort_by_key(|(i, _)| *i);
        self.data = keep.into_iter().map(|(_, d)| d).collect();
        self.corpus.articles = articles;
        // Only files read again without a change: the knowledge base stays as it is.
        let same = self.data.len() == old.len()
            && self.data.iter().zip(&old).all(|(a, b)| Arc::ptr_eq(a, b))
            && self.corpus.problems == problems_before;
        drop(old);
        if same {
            return None;
        }
        Some(Refreshed {
            extracted,
            removed: r.removed.len(),
        })
    }
}

/// The corpus of `roots`, trusting unread every file whose identity is the one `store` records for it; the
/// files it had to read (new, changed, or never recorded) are recorded, so that the next load does not read
/// them either.
fn load_trusting(
    roots: &[PathBuf],
    opts: &LoadOptions,
    store: Option<&Store>,
) -> Result<Corpus, corpus::CorpusError> {
    let known = store.map(|s| s.file_records(roots)).unwrap_or_default();
    let (corpus, report) = corpus::load_with(roots, opts, &known, &|_, _| {})?;
    if let Some(s) = store {
        tracing::debug!(
            "corpus: {} trusted unread, {} new file records",
            report.trusted,
            report.records.len()
        );
        s.save_file_records(roots, &report.records);
    }
    Ok(corpus)
}

/// The load and merge generations: a state of the corpus that no load or refresh has replaced while they
/// stay the same.
fn generations(shared: &Shared) -> (u64, u64) {
    (
        shared.load_gen.load(Ordering::SeqCst),
        shared.merge_gen.load(Ordering::SeqCst),
    )
}

/// Make a merged knowledge base, just stored in the index, hold its extractions as a start from the index
/// does (each read when first needed, texts unread), and publish that one instead: what the merge decoded and
/// read of every article is let go (a merge after one article was edited left the server holding 673 MB
/// where a start from the index holds 270 MB, White House corpus). Nothing is done when the corpus changed or
/// another knowledge base was published since, or the server is stopping.
fn settle(shared: &Shared, store: &Arc<Store>, kb: Arc<KnowledgeBase>, was: (u64, u64)) {
    let current = |shared: &Shared| {
        !shared.stopping() && generations(shared) == was && Arc::ptr_eq(&shared.kb().0, &kb)
    };
    if !current(shared) {
        return;
    }
    let timer = Instant::now();
    let (roots, opts) = lock(&shared.corpus_roots).clone();
    // The files as the index records them (it was just written): their texts are not read.
    let articles = match load_trusting(&roots, &opts, Some(store)) {
        Ok(c) => c.articles,
        Err(e) => {
            tracing::debug!("knowledge base not settled: {e}");
            return;
        }
    };
    let Some(lean) = crate::kb::deferred_again(&kb, articles, store, &roots) else {
        tracing::debug!("knowledge base not settled: the corpus changed since its merge");
        return;
    };
    // The state and the knowledge base change together; the refresh that holds the state may replace both.
    let mut loaded = shared.loaded.blocking_lock();
    if !current(shared)
        || loaded.data.len() != kb.articles.len()
        || loaded
            .data
            .iter()
            .zip(&kb.articles)
            .any(|(a, b)| !Arc::ptr_eq(a, b))
    {
        return;
    }
    loaded.data = lean.articles.clone();
    loaded.corpus.articles = lean.articles.iter().map(|d| d.article.clone()).collect();
    shared.set_kb_same_content(lean);
    drop(loaded);
    drop(kb);
    tracing::debug!(
        "knowledge base settled (extractions read from the index when needed) in {:?}",
        timer.elapsed()
    );
    // What the open notes' cards read of the corpus was read through the knowledge base just let go of.
    let timer = Instant::now();
    let notes = shared.warm_open_notes(None);
    tracing::debug!(
        "{notes} open notes' cards made ahead again in {:?}",
        timer.elapsed()
    );
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
    /// The corpus folders to use: editor settings first, then `dossier.toml` in a workspace folder; and the
    /// file of the workspace's index of extractions, if any.
    fn resolve_corpus(&self) -> (Vec<PathBuf>, LoadOptions, Option<String>, Option<PathBuf>) {
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
                .collect::<Vec<_>>();
            let index = store::index_path(&[base], &Default::default(), &roots);
            return (roots, LoadOptions::default(), None, index);
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
                        let index = store::index_path(std::slice::from_ref(w), &c.cache, &c.corpus);
                        (c.corpus, lo, None, index)
                    }
                    Err(e) => (
                        Vec::new(),
                        LoadOptions::default(),
                        Some(e.to_string()),
                        None,
                    ),
                };
            }
        }
        (Vec::new(), LoadOptions::default(), None, None)
    }

    /// Load (or reload) the corpus in the background, reporting progress; requests keep answering from the
    /// knowledge base already in place, which is swapped when the new one is ready.
    pub(super) async fn load_corpus(&self) {
        let generation = self.shared.load_gen.fetch_add(1, Ordering::SeqCst) + 1;
        let (roots, opts, config_error, index) = self.resolve_corpus();
        if let Some(e) = config_error {
            self.client
                .show_message(MessageType::ERROR, format!("Dossier: {e}"))
                .await;
            self.status("error", 0, 0, &e).await;
            return;
        }
        *lock(&self.shared.corpus_roots) = (roots.clone(), opts);
        if roots.is_empty() {
            let mut loaded = self.shared.loaded.lock().await;
            *loaded = Loaded {
                generation,
                ..Loaded::default()
            };
            self.shared.set_kb(KnowledgeBase::empty());
            drop(loaded);
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
        let store = match index {
            Some(p) if !roots.is_empty() => {
                tokio::task::spawn_blocking(move || Store::open_or_warn(&p).map(Arc::new))
                    .await
                    .ok()
                    .flatten()
            }
            _ => None,
        };
        let s2 = store.clone();
        // The last knowledge base, read back while the corpus is walked: partial knowledge as soon as it is
        // there, and the corpus's knowledge base if the walk finds the same articles.
        let last = LastKnown::start(store.as_ref(), &roots, opts.max_file_size);
        let last = tokio::task::spawn_blocking(move || last.wait().map(Arc::new));
        // Files whose identity is the one the index records are not read: their texts are read when needed.
        let walk = tokio::task::spawn_blocking(move || load_trusting(&r2, &o2, s2.as_deref()));
        let (loaded, last) = self.walk_serving_last(generation, walk, last).await;
        let corpus = match loaded {
            Ok(Ok(c)) => c,
            Ok(Err(e)) => {
                // Not the last corpus's knowledge either.
                self.shared.replace_partial_kb(last.as_ref().map(|l| &l.kb));
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
        let total = corpus.articles.len();
        if let Some(last) = last
            .as_ref()
            .filter(|l| l.is_of(&corpus.articles, &corpus.problems))
        {
            // The corpus is the one last merged: its knowledge base is the last one, already read back.
            let mut loaded = self.shared.loaded.clone().lock_owned().await;
            if self.shared.load_gen.load(Ordering::SeqCst) != generation {
                return;
            }
            *loaded = Loaded::new(
                generation,
                roots.clone(),
                last.kb.articles.clone(),
                corpus.problems,
            );
            loaded.store = store.clone();
            self.shared.set_kb_found_whole(last.kb.clone());
            drop(loaded);
            // Read back from the index, as a warm start's merge is.
            let merge = MergeStats {
                loaded: true,
                ..MergeStats::default()
            };
            tracing::debug!("the corpus is the one last merged; merge: {merge:?}");
            self.ready(generation, &roots, started, progress, None)
                .await;
            return;
        }
        // Serving the last knowledge base while this one is made, unless the corpus is mostly other
        // articles now (then partial knowledge of what is loaded is nearer the truth) or a reload keeps
        // answering from the whole knowledge base in place; no partial knowledge while it serves.
        let serving_last = match last.as_ref() {
            Some(l) if 2 * l.shared_with(&corpus.articles) >= total => {
                self.shared.serve_last(l.kb.clone());
                Arc::ptr_eq(&self.shared.kb().0, &l.kb)
            }
            _ => {
                self.shared.replace_partial_kb(last.as_ref().map(|l| &l.kb));
                false
            }
        };
        drop(last);
        let ahead = MergeAhead::start(None);
        let problems = corpus.problems;
        // A start from the index that holds the merged knowledge base of exactly these articles: every
        // extraction and the merged knowledge base are read at once (its alias automata built meanwhile), with
        // no partial knowledge before.
        let (mut pending, mut merged) = {
            let s = store.clone();
            let articles = corpus.articles;
            let lookup = move || {
                let merged =
                    MergePrefetch::after(ahead, s.as_deref(), &articles.iter().collect::<Vec<_>>());
                (articles, merged)
            };
            match tokio::task::spawn_blocking(lookup).await {
                Ok(r) => r,
                Err(e) => {
                    tracing::error!("reading the index failed: {e}");
                    return;
                }
            }
        };
        // Decoded meanwhile; should it turn out damaged, the extractions read from the index are merged.
        let warm = merged.is_likely_hit();
        let mut done: Vec<Arc<ArticleData>> = Vec::with_capacity(total);
        let mut last_publish = Instant::now();
        let mut published = 0;
        const BATCH: usize = 200;
        // The first partial knowledge comes after the first batch (a card for the corpus's most frequent names
        // within a second of a cold start, for the cost of building a small knowledge base); the later ones
        // grow from `GROWTH_FROM` articles at least.
        const FIRST_PARTIAL: usize = BATCH;
        const GROWTH_FROM: usize = 1000;
        while !warm && !pending.is_empty() {
            if self.shared.load_gen.load(Ordering::SeqCst) != generation {
                return; // A newer load took over.
            }
            let rest = pending.split_off(pending.len().min(BATCH));
            let batch = std::mem::replace(&mut pending, rest);
            let (s, r) = (store.clone(), roots.clone());
            let extract =
                move || extract_cached(batch, s.as_deref(), &r, Coverage::Partial, &|_, _| {}).0;
            match tokio::task::spawn_blocking(extract).await {
                Ok(mut v) => done.append(&mut v),
                Err(e) => tracing::error!("extraction failed: {e}"),
            }
            let pct = (done.len() * 100 / total.max(1)) as u32;
            let msg = format!("{}/{} articles", done.len(), total);
            if let Some(p) = &progress {
                p.report_with_message(msg.clone(), pct).await;
            }
            self.status("indexing", done.len(), total, &msg).await;
            // Partial knowledge while a large corpus loads: each partial build covers at least four times the
            // articles of the one before, so all of them together cost a third of the final build at most (a
            // full re-merge every few seconds made loading quadratic).
            // The first one comes early — once `FIRST_PARTIAL` articles are in (or after 3 s) — and is small,
            // so the next ones grow from `GROWTH_FROM`, as if the first had had that many.
            let due = if published == 0 {
                done.len() >= FIRST_PARTIAL || last_publish.elapsed() > Duration::from_secs(3)
            } else {
                last_publish.elapsed() > Duration::from_secs(3)
                    && done.len() >= 4 * published.max(GROWTH_FROM)
            };
            if !pending.is_empty() && due && !serving_last {
                published = done.len();
                let snapshot = done.clone();
                if let Ok(kb) =
                    tokio::task::spawn_blocking(move || KnowledgeBase::build(snapshot, Vec::new()))
                        .await
                {
                    self.shared.set_partial_kb(kb);
                }
                last_publish = Instant::now();
            }
        }
        if self.shared.load_gen.load(Ordering::SeqCst) != generation {
            return;
        }
        // The state and the knowledge base change together, between refreshes.
        let mut loaded = self.shared.loaded.clone().lock_owned().await;
        let shared = self.shared.clone();
        let r2 = roots.clone();
        let built = tokio::task::spawn_blocking(move || {
            if shared.load_gen.load(Ordering::SeqCst) != generation {
                return None;
            }
            let (kb, merge) = if warm {
                let (data, _) = merged.extractions(
                    pending,
                    store.as_ref(),
                    &r2,
                    Coverage::Complete,
                    &|_, _| {},
                );
                let (kb, merge) = merged.finish(data.clone(), problems.clone(), store.as_deref());
                *loaded = Loaded::new(generation, r2, data, problems);
                (kb, merge)
            } else {
                if let Some(s) = &store {
                    s.prune(&r2, done.iter().map(|d| d.article.path.as_path()));
                }
                *loaded = Loaded::new(generation, r2, done, problems);
                (loaded.knowledge_base(), MergeStats::default())
            };
            tracing::debug!("merge: {merge:?}");
            loaded.store = store.clone();
            let kb = Arc::new(kb);
            shared.set_kb(kb.clone());
            // A merge not yet in the index is stored after it is published.
            store
                .filter(|_| !merge.loaded && !merge.saved)
                .map(|s| (s, kb))
        })
        .await;
        let to_save = match built {
            Ok(s) => s,
            Err(e) => {
                tracing::error!("knowledge base build failed: {e}");
                None
            }
        };
        self.ready(generation, &roots, started, progress, to_save)
            .await;
    }

    /// The walk of the corpus (`walk`), serving the last knowledge base (`last`) as partial knowledge as soon
    /// as it is read back if the walk is not done by then; waits for both.
    async fn walk_serving_last<T>(
        &self,
        generation: u64,
        walk: tokio::task::JoinHandle<T>,
        last: tokio::task::JoinHandle<Option<Arc<Last>>>,
    ) -> (Result<T, tokio::task::JoinError>, Option<Arc<Last>>) {
        tokio::pin!(walk);
        tokio::pin!(last);
        tokio::select! {
            biased;
            walked = &mut walk => (walked, last.await.ok().flatten()),
            last = &mut last => {
                let last = last.ok().flatten();
                if let Some(l) = &last
                    && self.shared.load_gen.load(Ordering::SeqCst) == generation
                {
                    self.shared.serve_last(l.kb.clone());
                }
                (walk.await, last)
            }
        }
    }

    /// The end of a load: the open notes analysed, the corpus watched, "ready" said, and the merged knowledge
    /// base stored (`to_save`) if it is new.
    async fn ready(
        &self,
        generation: u64,
        roots: &[PathBuf],
        started: Instant,
        progress: Option<OngoingProgress<Bounded, NotCancellable>>,
        to_save: Option<(Arc<Store>, Arc<KnowledgeBase>)>,
    ) {
        if self.shared.load_gen.load(Ordering::SeqCst) != generation {
            return;
        }
        let total = self.shared.kb().0.articles.len();
        // "Ready" once the open notes are analysed and their cards made (the first hovers come right after),
        // but not held back long for many open notes: the rest are done with their diagnostics.
        let shared = self.shared.clone();
        let warmed = tokio::task::spawn_blocking(move || {
            let timer = Instant::now();
            let notes = shared.warm_open_notes(Some(WARM_BEFORE_READY));
            tracing::debug!(
                "{notes} open notes analysed before ready in {:?}",
                timer.elapsed()
            );
        });
        if let Err(e) = warmed.await {
            tracing::error!("analysing the open notes failed: {e}");
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
        self.watch(roots);
        if self.shared.client_watches.load(Ordering::SeqCst) {
            self.register_client_watch(roots).await;
        }
        if let Some(p) = progress {
            p.finish_with_message(msg.clone()).await;
        }
        self.status("ready", total, total, &msg).await;
        self.republish_all();
        if let Some((store, kb)) = to_save {
            self.save_merged(store, kb);
        }
    }

    /// Store a full knowledge base in the index, on a thread of its own (which the process waits for before it
    /// ends), unless another one has replaced it by then; the next start reads it back instead of merging.
    /// Once stored, it is [settled](settle).
    fn save_merged(&self, store: Arc<Store>, kb: Arc<KnowledgeBase>) {
        let shared = self.shared.clone();
        let generations = generations(&shared);
        let mut saving = lock(&self.shared.saving);
        // The one before, if still running, holds the index until it is done; this one waits for it.
        let before = saving.take();
        let spawned = std::thread::Builder::new()
            .name("dossier-save".to_string())
            .spawn(move || {
                super::background::lower_priority();
                if let Some(h) = before {
                    let _ = h.join();
                }
                if Arc::ptr_eq(&shared.kb().0, &kb) {
                    let saved = store.save_merged(&MergeKey::of_data(&kb.articles), &kb);
                    tracing::debug!("merged knowledge base stored in the index: {saved}");
                    if saved {
                        settle(&shared, &store, kb, generations);
                    }
                }
            });
        match spawned {
            Ok(h) => *saving = Some(h),
            Err(e) => tracing::warn!("cannot store the merged knowledge base: {e}"),
        }
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

    /// Bring the corpus up to date after changes to `paths` (files or folders, made, changed or removed),
    /// through [`Corpus::refresh`], the one refresh path: only changed files are re-read and re-extracted, and
    /// ids are those of a fresh load. The knowledge base changes in two steps: at once, a patch of the last
    /// one for the edited articles ([`KnowledgeBase::patched`]: their own data current, the rest shared; none
    /// when articles were added, removed or renamed), then the full merge, in the background, which replaces
    /// it unless another refresh came meanwhile (that stops it). `rescan` looks at every file again.
    pub(super) async fn refresh_paths(&self, mut paths: Vec<PathBuf>, rescan: bool) {
        let (roots, opts) = lock(&self.shared.corpus_roots).clone();
        if rescan {
            // A root reported is a root looked at again, file by file.
            paths.extend(roots);
        }
        if paths.is_empty() {
            return;
        }
        let mut loaded = self.shared.loaded.clone().lock_owned().await;
        let shared = self.shared.clone();
        let result = tokio::task::spawn_blocking(move || {
            // A newer load is under way, or done: it reads these files itself.
            if loaded.generation != shared.load_gen.load(Ordering::SeqCst) {
                return None;
            }
            let started = Instant::now();
            let done = loaded.refresh(&paths, &opts)?;
            // Any merge still running is for an older state: this stops it.
            let merge_gen = shared.merge_gen.fetch_add(1, Ordering::SeqCst) + 1;
            let (current, _) = shared.kb();
            let patched = current
                .patched(loaded.data.clone(), loaded.corpus.problems.clone())
                .map(Arc::new);
            let was_patched = patched.is_some();
            if let Some(kb) = patched {
                shared.set_kb(kb);
                tracing::info!(
                    "knowledge base patched for {} edited articles in {:?} after the change was seen",
                    done.extracted,
                    started.elapsed()
                );
            }
            let merge = PendingMerge {
                merge_gen,
                generation: loaded.generation,
                data: loaded.data.clone(),
                problems: loaded.corpus.problems.clone(),
                store: loaded.store.clone(),
            };
            // The knowledge base replaced is freed later, off the path to the answers.
            Some((done, was_patched, merge, current))
        })
        .await;
        let (done, patched, merge, replaced) = match result {
            Ok(Some(done)) => done,
            Ok(None) => return,
            Err(e) => {
                tracing::error!("corpus refresh failed: {e}");
                return;
            }
        };
        tracing::info!(
            "corpus refreshed: {} articles ({} extracted again, {} removed){}",
            merge.data.len(),
            done.extracted,
            done.removed,
            if patched {
                "; patched, merging in the background"
            } else {
                "; merging in the background"
            }
        );
        if patched {
            self.announce_refreshed(true).await;
        }
        tokio::task::spawn_blocking(move || drop(replaced));
        let backend = self.clone_handle();
        tokio::spawn(async move { backend.merge_in_background(merge).await });
    }

    /// The full merge after a refresh, off the async threads; published (and stored in the index) only if no
    /// other refresh or load came meanwhile — one that does stops it.
    async fn merge_in_background(&self, merge: PendingMerge) {
        let PendingMerge {
            merge_gen,
            generation,
            data,
            problems,
            store,
        } = merge;
        let shared = self.shared.clone();
        let stale = move || {
            shared.merge_gen.load(Ordering::SeqCst) != merge_gen
                || shared.load_gen.load(Ordering::SeqCst) != generation
                || shared.stopping()
        };
        let started = Instant::now();
        let stop = stale.clone();
        // At a lower priority than requests: hovers stay quick while it merges (the patch is shown meanwhile).
        let built = super::background::run("dossier-merge", move || {
            KnowledgeBase::build_unless(data, problems, &stop)
        })
        .await;
        let kb = match built {
            Some(Some(kb)) => Arc::new(kb),
            Some(None) => {
                tracing::debug!("merge after a refresh stopped: a newer change came");
                return;
            }
            None => {
                tracing::error!("knowledge base build failed");
                return;
            }
        };
        {
            // The state and the knowledge base change together: only the state this merge is of.
            let _loaded = self.shared.loaded.lock().await;
            if stale() {
                tracing::debug!("merge after a refresh dropped: a newer change came");
                return;
            }
            self.shared.set_kb(kb.clone());
        }
        tracing::info!(
            "knowledge base merged after a refresh in {:?}",
            started.elapsed()
        );
        self.announce_refreshed(false).await;
        if let Some(store) = store {
            self.save_merged(store, kb);
        }
    }

    /// Tell the client the knowledge base changed: status (saying when it is a patch the merge will replace),
    /// and every open note's diagnostics again.
    async fn announce_refreshed(&self, patched: bool) {
        let (kb, _) = self.shared.kb();
        self.status(
            "ready",
            kb.articles.len(),
            kb.articles.len(),
            &format!(
                "{} articles, {} entities{}",
                kb.articles.len(),
                kb.entities.len(),
                if patched { "; merging the edit" } else { "" }
            ),
        )
        .await;
        self.republish_all();
    }
}

/// What the merge after a refresh works on: the refreshed state, and the refresh it is for.
struct PendingMerge {
    merge_gen: u64,
    generation: u64,
    data: Vec<Arc<ArticleData>>,
    problems: Vec<Problem>,
    store: Option<Arc<Store>>,
}

fn display_paths(p: &[PathBuf]) -> String {
    p.iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::extract_all;

    struct Dir(PathBuf);

    impl Dir {
        fn new(tag: &str) -> Dir {
            let d = std::env::temp_dir()
                .join(format!("dossier-lsp-loaded-{tag}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&d);
            std::fs::create_dir_all(&d).expect("mkdir");
            Dir(d)
        }

        fn write(&self, rel: &str, text: &str) -> PathBuf {
            let p = self.0.join(rel);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(&p, text).expect("write");
            p
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn fresh(dir: &Dir) -> Corpus {
        corpus::load(
            std::slice::from_ref(&dir.0),
            &LoadOptions::default(),
            &|_, _| {},
        )
        .expect("load")
    }

    /// The extraction of the article with this id.
    fn data<'a>(l: &'a Loaded, id: &str) -> &'a Arc<ArticleData> {
        l.data.iter().find(|d| d.id() == id).expect("article")
    }

    /// The state equals a fresh load's: the same articles, in the same order, each text held once (shared by
    /// the article list and the extraction).
    fn assert_fresh(l: &Loaded, dir: &Dir) {
        let want = fresh(dir);
        let have: Vec<&Article> = l.data.iter().map(|d| &d.article).collect();
        assert_eq!(have, want.articles.iter().collect::<Vec<_>>());
        assert_eq!(l.corpus.articles, want.articles);
        for (a, d) in l.corpus.articles.iter().zip(&l.data) {
            assert!(
                std::ptr::eq(a.text.as_str(), d.article.text.as_str()),
                "{}",
                a.id
            );
        }
        assert_eq!(l.corpus.problems, want.problems);
    }

    #[test]
    fn a_text_found_stale_is_read_and_extracted_again_by_a_refresh() {
        let dir = Dir::new("stale");
        let opts = LoadOptions::default();
        let foo = dir.write("a/foo.txt", "Foo in a.\n");
        dir.write("c/bar.txt", "Bar.\n");
        std::thread::sleep(corpus::SETTLE + Duration::from_millis(100));
        let roots = vec![dir.0.clone()];
        let none = HashMap::new();
        let (_, report) = corpus::load_with(&roots, &opts, &none, &|_, _| {}).expect("load");
        let mut known: HashMap<PathBuf, corpus::FileRecord> = report.records.into_iter().collect();
        // The record says the text was another one: as when the file changed after a load looked at it.
        known.get_mut(&foo).expect("recorded").digest[0] ^= 1;
        let (c, _) = corpus::load_with(&roots, &opts, &known, &|_, _| {}).expect("load");
        let mut l = Loaded::new(0, c.roots, extract_all(c.articles, &|_, _| {}), c.problems);
        let problem = data(&l, "foo").article.text_problem().expect("stale");
        assert!(problem.reason.contains("changed on disk"), "{problem}");
        let old_bar = data(&l, "bar").clone();
        let done = l.refresh(&[foo], &opts).expect("changed");
        assert_eq!((done.extracted, done.removed), (1, 0));
        assert_fresh(&l, &dir);
        assert_eq!(data(&l, "foo").text(), "Foo in a.\n");
        assert!(Arc::ptr_eq(data(&l, "bar"), &old_bar));
    }

    #[test]
    fn refresh_extracts_again_only_what_changed_and_matches_a_fresh_load() {
        let dir = Dir::new("refresh");
        let opts = LoadOptions::default();
        dir.write("a/foo.txt", "Foo in a.\n");
        let bar = dir.write("c/bar.txt", "Bar.\n");
        let c = fresh(&dir);
        let mut l = Loaded::new(0, c.roots, extract_all(c.articles, &|_, _| {}), c.problems);
        assert_fresh(&l, &dir);
        let old_bar = data(&l, "bar").clone();

        // Read again without a change: nothing to rebuild.
        assert!(l.refresh(std::slice::from_ref(&bar), &opts).is_none());
        assert!(Arc::ptr_eq(data(&l, "bar"), &old_bar));
        assert_fresh(&l, &dir);

        // A clashing stem: the renamed article is extracted again under its new id, the others are kept.
        let b_foo = dir.write("b/foo.txt", "Foo in b.\n");
        let done = l
            .refresh(std::slice::from_ref(&b_foo), &opts)
            .expect("changed");
        assert_eq!((done.extracted, done.removed), (2, 1));
        assert_fresh(&l, &dir);
        assert!(Arc::ptr_eq(data(&l, "bar"), &old_bar));
        assert_eq!(data(&l, "a/foo").text(), "Foo in a.\n");

        // An edit of one of the two: only it is extracted again.
        let old_a = data(&l, "a/foo").clone();
        dir.write("b/foo.txt", "Foo in b, edited.\n");
        let done = l
            .refresh(std::slice::from_ref(&b_foo), &opts)
            .expect("changed");
        assert_eq!((done.extracted, done.removed), (1, 0));
        assert_fresh(&l, &dir);
        assert!(Arc::ptr_eq(data(&l, "a/foo"), &old_a));

        // The other removed: the one left takes the bare stem, with its text.
        let a_foo = dir.0.join("a/foo.txt");
        std::fs::remove_file(&a_foo).expect("rm");
        let done = l.refresh(&[a_foo], &opts).expect("changed");
        assert_eq!((done.extracted, done.removed), (1, 2));
        assert_fresh(&l, &dir);
        assert_eq!(data(&l, "foo").text(), "Foo in b, edited.\n");
        assert!(Arc::ptr_eq(data(&l, "bar"), &old_bar));
    }
}
