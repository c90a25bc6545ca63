//! The language server: the only module that knows the protocol. It keeps open documents, loads and watches
//! the corpus off the async threads, and turns analysis results (byte offsets) into LSP positions in the
//! encoding negotiated at `initialize`.

mod documents;
mod ordered;
mod transport;

pub use documents::{ChangeError, Documents, char_index};

use crate::analysis::diagnostics::Severity;
use crate::analysis::hover::render_markdown;
use crate::analysis::navigate::{self, CompletionKind, SymbolKind as NoteSymbolKind};
use crate::analysis::{CheckOptions, Diagnostic as NoteDiagnostic, NoteIndex, diagnostics};
use crate::corpus::{self, Config, LoadOptions};
use crate::kb::{ArticleData, ArticleIx, KnowledgeBase, extract_all};
use crate::text::{ByteRange, LineIndex, LinePos, PositionEncoding};
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService};

/// How long diagnostics wait for typing to pause.
const DEBOUNCE: Duration = Duration::from_millis(150);
/// How long corpus file events wait for more events before a refresh.
const WATCH_DEBOUNCE: Duration = Duration::from_millis(250);

/// `dossier/status`: indexing state for editor status bars.
pub enum StatusNotification {}

impl notification::Notification for StatusNotification {
    type Params = Value;
    const METHOD: &'static str = "dossier/status";
}

/// User settings: from `initializationOptions`, `workspace/didChangeConfiguration` or `dossier.toml`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Settings {
    /// Corpus folders given by the editor (absolute, or relative to the first workspace folder).
    pub corpus: Option<Vec<PathBuf>>,
    pub disabled: BTreeSet<String>,
}

impl Settings {
    /// Read `{ corpus: [...], diagnostics: { disabled: [...] } }` (also nested under `dossier`).
    pub fn from_json(v: &Value) -> Settings {
        let v = v.get("dossier").unwrap_or(v);
        let corpus = match v.get("corpus") {
            Some(Value::String(s)) if !s.is_empty() => Some(vec![PathBuf::from(s)]),
            Some(Value::Array(a)) => {
                let paths: Vec<PathBuf> = a
                    .iter()
                    .filter_map(|x| x.as_str())
                    .filter(|s| !s.is_empty())
                    .map(PathBuf::from)
                    .collect();
                (!paths.is_empty()).then_some(paths)
            }
            _ => None,
        };
        let disabled = v
            .pointer("/diagnostics/disabled")
            .and_then(|d| d.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        Settings { corpus, disabled }
    }
}

struct Cached {
    version: i32,
    kb_gen: u64,
    text: Arc<String>,
    index: Arc<NoteIndex>,
    diagnostics: Option<Arc<Vec<NoteDiagnostic>>>,
}

/// State shared by the handlers, the ordered document layer and the background tasks.
pub struct Shared {
    docs: Mutex<Documents>,
    encoding: RwLock<PositionEncoding>,
    kb: RwLock<Arc<KnowledgeBase>>,
    kb_gen: AtomicU64,
    load_gen: AtomicU64,
    settings: Mutex<Settings>,
    workspace: Mutex<Vec<PathBuf>>,
    /// The corpus folders in use and their load options.
    corpus_roots: Mutex<(Vec<PathBuf>, LoadOptions)>,
    articles: Mutex<Vec<Arc<ArticleData>>>,
    cache: Mutex<HashMap<Uri, Cached>>,
    diag_gen: Mutex<HashMap<Uri, u64>>,
    published: Mutex<HashMap<Uri, i32>>,
    watcher: Mutex<Option<notify::RecommendedWatcher>>,
    progress_supported: AtomicBool,
    /// The client can watch files for us (`workspace/didChangeWatchedFiles` with dynamic registration).
    client_watches: AtomicBool,
    warned_no_corpus: AtomicBool,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Shared {
    fn new() -> Self {
        Shared {
            docs: Mutex::new(Documents::default()),
            encoding: RwLock::new(PositionEncoding::Utf16),
            kb: RwLock::new(Arc::new(KnowledgeBase::empty())),
            kb_gen: AtomicU64::new(0),
            load_gen: AtomicU64::new(0),
            settings: Mutex::new(Settings::default()),
            workspace: Mutex::new(Vec::new()),
            corpus_roots: Mutex::new((Vec::new(), LoadOptions::default())),
            articles: Mutex::new(Vec::new()),
            cache: Mutex::new(HashMap::new()),
            diag_gen: Mutex::new(HashMap::new()),
            published: Mutex::new(HashMap::new()),
            watcher: Mutex::new(None),
            progress_supported: AtomicBool::new(false),
            client_watches: AtomicBool::new(false),
            warned_no_corpus: AtomicBool::new(false),
        }
    }

    pub fn encoding(&self) -> PositionEncoding {
        *self.encoding.read().unwrap_or_else(|e| e.into_inner())
    }

    fn kb(&self) -> (Arc<KnowledgeBase>, u64) {
        let kb = self.kb.read().unwrap_or_else(|e| e.into_inner()).clone();
        (kb, self.kb_gen.load(Ordering::SeqCst))
    }

    fn set_kb(&self, kb: KnowledgeBase) {
        *self.kb.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(kb);
        self.kb_gen.fetch_add(1, Ordering::SeqCst);
    }

    /// A consistent view of a document: its text, version, the knowledge base and the note's analysis.
    fn snapshot(&self, uri: &Uri) -> Option<Snapshot> {
        let (text, version) = lock(&self.docs).snapshot(uri)?;
        let (kb, kb_gen) = self.kb();
        let mut cache = lock(&self.cache);
        if let Some(c) = cache.get(uri)
            && c.version == version
            && c.kb_gen == kb_gen
        {
            return Some(Snapshot {
                text: c.text.clone(),
                version,
                kb,
                index: c.index.clone(),
                enc: self.encoding(),
            });
        }
        drop(cache);
        let index = Arc::new(NoteIndex::new(&kb, &text));
        cache = lock(&self.cache);
        cache.insert(
            uri.clone(),
            Cached {
                version,
                kb_gen,
                text: text.clone(),
                index: index.clone(),
                diagnostics: None,
            },
        );
        Some(Snapshot {
            text,
            version,
            kb,
            index,
            enc: self.encoding(),
        })
    }

    /// Diagnostics of a snapshot, cached per version.
    fn diagnostics_of(&self, uri: &Uri, snap: &Snapshot) -> Arc<Vec<NoteDiagnostic>> {
        if let Some(c) = lock(&self.cache).get(uri)
            && c.version == snap.version
            && let Some(d) = &c.diagnostics
        {
            return d.clone();
        }
        let opts = CheckOptions {
            disabled: lock(&self.settings).disabled.clone(),
        };
        let d = if self.is_corpus_file(uri) {
            Arc::new(Vec::new())
        } else {
            Arc::new(diagnostics(&snap.kb, &snap.index, &snap.text, &opts))
        };
        if let Some(c) = lock(&self.cache).get_mut(uri)
            && c.version == snap.version
        {
            c.diagnostics = Some(d.clone());
        }
        d
    }

    fn is_corpus_file(&self, uri: &Uri) -> bool {
        let Some(path) = uri.to_file_path() else {
            return false;
        };
        lock(&self.corpus_roots)
            .0
            .iter()
            .any(|r| path.starts_with(r))
    }
}

/// What a request reads: one version of a document with the analysis that goes with it.
struct Snapshot {
    text: Arc<String>,
    version: i32,
    kb: Arc<KnowledgeBase>,
    index: Arc<NoteIndex>,
    enc: PositionEncoding,
}

impl Snapshot {
    fn offset(&self, pos: Position) -> Option<usize> {
        self.index
            .lines
            .offset(
                &self.text,
                LinePos {
                    line: pos.line,
                    character: pos.character,
                },
                self.enc,
            )
            .ok()
    }

    fn range(&self, r: &ByteRange) -> Range {
        to_range(&self.index.lines, &self.text, r, self.enc)
    }
}

fn to_range(lines: &LineIndex, text: &str, r: &ByteRange, enc: PositionEncoding) -> Range {
    let (a, b) = lines.range(text, r, enc);
    Range {
        start: Position {
            line: a.line,
            character: a.character,
        },
        end: Position {
            line: b.line,
            character: b.character,
        },
    }
}

fn article_uri(kb: &KnowledgeBase, ix: ArticleIx) -> Option<Uri> {
    Uri::from_file_path(&kb.article(ix).article.path)
}

fn article_range(kb: &KnowledgeBase, ix: ArticleIx, r: &ByteRange, enc: PositionEncoding) -> Range {
    let a = kb.article(ix);
    to_range(&a.lines, a.text(), r, enc)
}

/// The language server.
pub struct Backend {
    client: Client,
    shared: Arc<Shared>,
}

fn internal(e: impl std::fmt::Display) -> Error {
    let mut err = Error::internal_error();
    err.message = format!("internal error: {e}").into();
    err
}

impl Backend {
    async fn test_panic(&self) -> Result<()> {
        panic!("test panic requested");
    }

    fn clone_handle(&self) -> Backend {
        Backend {
            client: self.client.clone(),
            shared: self.shared.clone(),
        }
    }

    /// Run `f` on a snapshot of `uri` on the blocking pool; a panic there becomes an error response.
    async fn with_snapshot<R: Send + 'static>(
        &self,
        uri: &Uri,
        f: impl FnOnce(&Snapshot) -> Option<R> + Send + 'static,
    ) -> Result<Option<R>> {
        let shared = self.shared.clone();
        let uri = uri.clone();
        tokio::task::spawn_blocking(move || shared.snapshot(&uri).and_then(|s| f(&s)))
            .await
            .map_err(|e| {
                tracing::error!("request handler failed: {e}");
                internal(e)
            })
    }

    async fn status(&self, state: &str, indexed: usize, total: usize, message: &str) {
        let (kb, _) = self.shared.kb();
        self.client
            .send_notification::<StatusNotification>(serde_json::json!({
                "state": state,
                "indexed": indexed,
                "total": total,
                "articles": kb.articles.len(),
                "entities": kb.entities.len(),
                "message": message,
            }))
            .await;
    }

    /// Publish diagnostics for a document after typing pauses, never for an older version than already sent.
    fn schedule_diagnostics(&self, uri: Uri) {
        let generation = {
            let mut g = lock(&self.shared.diag_gen);
            let e = g.entry(uri.clone()).or_default();
            *e += 1;
            *e
        };
        let shared = self.shared.clone();
        let client = self.client.clone();
        tokio::spawn(async move {
            tokio::time::sleep(DEBOUNCE).await;
            if lock(&shared.diag_gen).get(&uri) != Some(&generation) {
                return;
            }
            let s2 = shared.clone();
            let u2 = uri.clone();
            let result = tokio::task::spawn_blocking(move || {
                let snap = s2.snapshot(&u2)?;
                let diags = s2.diagnostics_of(&u2, &snap);
                Some((snap.version, to_lsp_diagnostics(&snap, &diags, &u2)))
            })
            .await;
            let Ok(Some((version, diags))) = result else {
                if let Err(e) = result {
                    tracing::error!("diagnostics failed: {e}");
                }
                return;
            };
            // Newer edits or a close since: a later task publishes.
            if lock(&shared.diag_gen).get(&uri) != Some(&generation)
                || lock(&shared.docs).version(&uri) != Some(version)
            {
                return;
            }
            {
                let mut p = lock(&shared.published);
                if p.get(&uri).is_some_and(|v| *v > version) {
                    return;
                }
                p.insert(uri.clone(), version);
            }
            client.publish_diagnostics(uri, diags, Some(version)).await;
        });
    }

    fn republish_all(&self) {
        let uris = lock(&self.shared.docs).uris();
        for u in uris {
            self.schedule_diagnostics(u);
        }
    }

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
    async fn load_corpus(&self) {
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

    /// Watch the corpus folders on the server side.
    fn watch(&self, roots: &[PathBuf]) {
        use notify::Watcher;
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<PathBuf>();
        let watcher =
            notify::recommended_watcher(move |res: notify::Result<notify::Event>| match res {
                Ok(ev) => {
                    for p in ev.paths {
                        let _ = tx.send(p);
                    }
                }
                Err(e) => tracing::warn!("corpus watcher: {e}"),
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
        let backend = self.clone_handle();
        tokio::spawn(async move {
            while let Some(first) = rx.recv().await {
                let mut paths = BTreeSet::from([first]);
                // Gather the rest of a burst of events.
                while let Ok(Some(p)) = tokio::time::timeout(WATCH_DEBOUNCE, rx.recv()).await {
                    paths.insert(p);
                }
                backend.refresh_paths(paths.into_iter().collect()).await;
            }
        });
    }

    /// Re-read just the changed corpus files, then rebuild the knowledge base from cached extractions.
    async fn refresh_paths(&self, paths: Vec<PathBuf>) {
        let (roots, opts) = lock(&self.shared.corpus_roots).clone();
        let articles = lock(&self.shared.articles).clone();
        let result =
            tokio::task::spawn_blocking(move || refresh_articles(articles, &roots, &opts, &paths))
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

/// The article list after some files changed, or `None` when nothing did. Only changed files are read.
fn refresh_articles(
    mut articles: Vec<Arc<ArticleData>>,
    roots: &[PathBuf],
    opts: &LoadOptions,
    paths: &[PathBuf],
) -> Option<Vec<Arc<ArticleData>>> {
    let mut changed = false;
    for path in paths.iter().filter(|p| is_article_path(p)) {
        let Some(root) = roots.iter().find(|r| path.starts_with(r)) else {
            continue;
        };
        let existing = articles.iter().position(|a| a.article.path == *path);
        if path.is_file() {
            match corpus::read_article(root, path, opts) {
                Ok(article) => {
                    if let Some(i) = existing {
                        if articles[i].article.text == article.text {
                            continue;
                        }
                        articles[i] = Arc::new(ArticleData::extract(article));
                    } else {
                        articles.push(Arc::new(ArticleData::extract(article)));
                    }
                    changed = true;
                }
                Err(problem) => {
                    tracing::warn!("{problem}");
                    if let Some(i) = existing {
                        articles.remove(i);
                        changed = true;
                    }
                }
            }
        } else if let Some(i) = existing {
            articles.remove(i);
            changed = true;
        }
    }
    articles.sort_by(|a, b| a.id().cmp(b.id()));
    changed.then_some(articles)
}

fn to_lsp_diagnostics(snap: &Snapshot, diags: &[NoteDiagnostic], uri: &Uri) -> Vec<Diagnostic> {
    diags
        .iter()
        .map(|d| Diagnostic {
            range: snap.range(&d.range),
            severity: Some(match d.severity {
                Severity::Error => DiagnosticSeverity::ERROR,
                Severity::Warning => DiagnosticSeverity::WARNING,
                Severity::Information => DiagnosticSeverity::INFORMATION,
            }),
            code: Some(NumberOrString::String(d.code.to_string())),
            source: Some("dossier".to_string()),
            message: d.message.clone(),
            related_information: (!d.related.is_empty()).then(|| {
                d.related
                    .iter()
                    .filter_map(|r| {
                        Some(DiagnosticRelatedInformation {
                            location: Location {
                                uri: article_uri(&snap.kb, r.source.article)?,
                                range: article_range(
                                    &snap.kb,
                                    r.source.article,
                                    &r.source.range,
                                    snap.enc,
                                ),
                            },
                            message: r.message.clone(),
                        })
                    })
                    .collect()
            }),
            data: Some(serde_json::json!({ "uri": uri.as_str() })),
            ..Default::default()
        })
        .collect()
}

fn symbol_kind(k: NoteSymbolKind) -> SymbolKind {
    match k {
        NoteSymbolKind::Person => SymbolKind::CONSTANT,
        NoteSymbolKind::Agreement => SymbolKind::OBJECT,
        NoteSymbolKind::Organization => SymbolKind::NAMESPACE,
        NoteSymbolKind::Date => SymbolKind::EVENT,
        NoteSymbolKind::Citation => SymbolKind::FILE,
        NoteSymbolKind::Quote => SymbolKind::STRING,
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let offered = params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.clone())
            .unwrap_or_default();
        let (enc, kind) = if offered.contains(&PositionEncodingKind::UTF8) {
            (PositionEncoding::Utf8, PositionEncodingKind::UTF8)
        } else {
            (PositionEncoding::Utf16, PositionEncodingKind::UTF16)
        };
        *self
            .shared
            .encoding
            .write()
            .unwrap_or_else(|e| e.into_inner()) = enc;
        let progress = params
            .capabilities
            .window
            .as_ref()
            .and_then(|w| w.work_done_progress)
            .unwrap_or(false);
        self.shared
            .progress_supported
            .store(progress, Ordering::SeqCst);
        let mut folders: Vec<PathBuf> = params
            .workspace_folders
            .unwrap_or_default()
            .iter()
            .filter_map(|f| f.uri.to_file_path().map(|p| p.into_owned()))
            .collect();
        #[allow(deprecated)]
        if folders.is_empty()
            && let Some(p) = params.root_uri.as_ref().and_then(|u| u.to_file_path())
        {
            folders.push(p.into_owned());
        }
        *lock(&self.shared.workspace) = folders;
        if let Some(opts) = &params.initialization_options {
            *lock(&self.shared.settings) = Settings::from_json(opts);
        }
        tracing::info!("initialize: position encoding {enc:?}");
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(kind),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        ..Default::default()
                    },
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                definition_provider: Some(OneOf::Left(true)),
                references_provider: Some(OneOf::Left(true)),
                document_symbol_provider: Some(OneOf::Left(true)),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(vec!["@".to_string()]),
                    ..Default::default()
                }),
                document_link_provider: Some(DocumentLinkOptions {
                    resolve_provider: Some(false),
                    work_done_progress_options: Default::default(),
                }),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                        ..Default::default()
                    },
                )),
                ..Default::default()
            },
            server_info: Some(ServerInfo {
                name: "dossier".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        // Loading runs beside the message loop, so that requests are answered meanwhile and an early
        // `exit` or end of input is not held up by it.
        let backend = self.clone_handle();
        tokio::spawn(async move { backend.load_corpus().await });
    }

    async fn shutdown(&self) -> Result<()> {
        lock(&self.shared.watcher).take();
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        // The text was stored by the ordered layer; here only the follow-up work.
        self.schedule_diagnostics(params.text_document.uri);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        self.schedule_diagnostics(params.text_document.uri);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        lock(&self.shared.diag_gen)
            .entry(uri.clone())
            .and_modify(|g| *g += 1);
        lock(&self.shared.cache).remove(&uri);
        lock(&self.shared.published).remove(&uri);
        self.client.publish_diagnostics(uri, Vec::new(), None).await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let new = Settings::from_json(&params.settings);
        let old = std::mem::replace(&mut *lock(&self.shared.settings), new.clone());
        lock(&self.shared.cache)
            .values_mut()
            .for_each(|c| c.diagnostics = None);
        if old.corpus != new.corpus {
            let backend = self.clone_handle();
            tokio::spawn(async move { backend.load_corpus().await });
        } else {
            self.republish_all();
        }
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let paths: Vec<PathBuf> = params
            .changes
            .iter()
            .filter_map(|c| c.uri.to_file_path().map(|p| p.into_owned()))
            .collect();
        self.refresh_paths(paths).await;
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let p = params.text_document_position_params;
        self.with_snapshot(&p.text_document.uri, move |s| {
            let offset = s.offset(p.position)?;
            let h = crate::analysis::hover(&s.kb, &s.index, &s.text, offset)?;
            let kb = s.kb.clone();
            let link = move |ix: ArticleIx, line: usize| {
                article_uri(&kb, ix).map_or(String::new(), |u| format!("{}#L{line}", u.as_str()))
            };
            Some(Hover {
                contents: HoverContents::Markup(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: render_markdown(&h.card, &link),
                }),
                range: Some(s.range(&h.range)),
            })
        })
        .await
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let p = params.text_document_position_params;
        self.with_snapshot(&p.text_document.uri, move |s| {
            let offset = s.offset(p.position)?;
            let links: Vec<LocationLink> =
                crate::analysis::definition(&s.kb, &s.index, &s.text, offset)
                    .into_iter()
                    .filter_map(|t| {
                        Some(LocationLink {
                            origin_selection_range: Some(s.range(&t.origin)),
                            target_uri: article_uri(&s.kb, t.article)?,
                            target_range: article_range(&s.kb, t.article, &t.range, s.enc),
                            target_selection_range: article_range(
                                &s.kb,
                                t.article,
                                &t.selection,
                                s.enc,
                            ),
                        })
                    })
                    .collect();
            (!links.is_empty()).then_some(GotoDefinitionResponse::Link(links))
        })
        .await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let p = params.text_document_position;
        let shared = self.shared.clone();
        self.with_snapshot(&p.text_document.uri, move |s| {
            let offset = s.offset(p.position)?;
            let id = navigate::entity_at(&s.index, offset)?;
            let mut out: Vec<Location> = navigate::corpus_references(&s.kb, id)
                .into_iter()
                .filter_map(|r| {
                    Some(Location {
                        uri: article_uri(&s.kb, r.article)?,
                        range: article_range(&s.kb, r.article, &r.range, s.enc),
                    })
                })
                .collect();
            // The open notes (corpus files are already covered above).
            let open = lock(&shared.docs).uris();
            for uri in open {
                if shared.is_corpus_file(&uri) {
                    continue;
                }
                let Some(other) = shared.snapshot(&uri) else {
                    continue;
                };
                for r in navigate::note_references(&other.index, id) {
                    out.push(Location {
                        uri: uri.clone(),
                        range: other.range(&r),
                    });
                }
            }
            Some(out)
        })
        .await
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        self.with_snapshot(&params.text_document.uri, move |s| {
            #[allow(deprecated)]
            let symbols = navigate::document_symbols(&s.kb, &s.index, &s.text)
                .into_iter()
                .map(|sym| DocumentSymbol {
                    name: sym.name,
                    detail: Some(sym.detail),
                    kind: symbol_kind(sym.kind),
                    tags: None,
                    deprecated: None,
                    range: s.range(&sym.range),
                    selection_range: s.range(&sym.range),
                    children: None,
                })
                .collect();
            Some(DocumentSymbolResponse::Nested(symbols))
        })
        .await
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        let (kb, _) = self.shared.kb();
        let enc = self.shared.encoding();
        let query = params.query;
        tokio::task::spawn_blocking(move || {
            #[allow(deprecated)]
            let symbols: Vec<SymbolInformation> = navigate::workspace_symbols(&kb, &query, 100)
                .into_iter()
                .filter_map(|id| {
                    let e = &kb.entities[id];
                    let at = e.intro.clone().or_else(|| e.mentions.first().cloned())?;
                    Some(SymbolInformation {
                        name: e.name.clone(),
                        kind: match e.kind {
                            crate::extract::names::EntityKind::Person => SymbolKind::CONSTANT,
                            crate::extract::names::EntityKind::Agreement => SymbolKind::OBJECT,
                            _ => SymbolKind::NAMESPACE,
                        },
                        tags: None,
                        deprecated: None,
                        location: Location {
                            uri: article_uri(&kb, at.article)?,
                            range: article_range(&kb, at.article, &at.range, enc),
                        },
                        container_name: Some(e.kind.as_str().to_string()),
                    })
                })
                .collect();
            Some(WorkspaceSymbolResponse::Flat(symbols))
        })
        .await
        .map_err(internal)
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let p = params.text_document_position;
        self.with_snapshot(&p.text_document.uri, move |s| {
            let offset = s.offset(p.position)?;
            let items: Vec<CompletionItem> = navigate::completion(&s.kb, &s.text, offset, 200)
                .into_iter()
                .map(|c| CompletionItem {
                    label: c.label.clone(),
                    detail: Some(c.detail),
                    kind: Some(match c.kind {
                        CompletionKind::Article => CompletionItemKind::FILE,
                        CompletionKind::Person => CompletionItemKind::CONSTANT,
                        CompletionKind::Agreement => CompletionItemKind::STRUCT,
                        CompletionKind::Organization => CompletionItemKind::MODULE,
                    }),
                    filter_text: Some(c.label),
                    text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                        range: s.range(&c.replace),
                        new_text: c.insert,
                    })),
                    ..Default::default()
                })
                .collect();
            Some(CompletionResponse::Array(items))
        })
        .await
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        self.with_snapshot(&params.text_document.uri, move |s| {
            Some(
                navigate::document_links(&s.index)
                    .into_iter()
                    .filter_map(|(r, ix)| {
                        Some(DocumentLink {
                            range: s.range(&r),
                            target: Some(article_uri(&s.kb, ix)?),
                            tooltip: Some(
                                s.kb.article(ix)
                                    .article
                                    .title
                                    .clone()
                                    .unwrap_or_else(|| s.kb.article(ix).id().to_string()),
                            ),
                            data: None,
                        })
                    })
                    .collect(),
            )
        })
        .await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri.clone();
        let shared = self.shared.clone();
        self.with_snapshot(&params.text_document.uri, move |s| {
            let start = s.offset(params.range.start)?;
            let end = s.offset(params.range.end)?;
            let diags = shared.diagnostics_of(&uri, s);
            let lsp = to_lsp_diagnostics(s, &diags, &uri);
            let mut actions = Vec::new();
            for (d, ld) in diags.iter().zip(lsp) {
                if d.range.end < start || d.range.start > end {
                    continue;
                }
                for f in &d.fixes {
                    let edits = f
                        .edits
                        .iter()
                        .map(|(r, t)| TextEdit {
                            range: s.range(r),
                            new_text: t.clone(),
                        })
                        .collect();
                    actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                        title: f.title.clone(),
                        kind: Some(CodeActionKind::QUICKFIX),
                        diagnostics: Some(vec![ld.clone()]),
                        edit: Some(WorkspaceEdit {
                            changes: Some(HashMap::from([(uri.clone(), edits)])),
                            ..Default::default()
                        }),
                        is_preferred: Some(f.preferred),
                        ..Default::default()
                    }));
                }
            }
            Some(actions)
        })
        .await
    }
}

/// Serve LSP on stdin/stdout until `exit` or end of input.
pub fn run_stdio() {
    // A panic in a handler is answered as an error by the ordered layer; log it once, to stderr, as a log line.
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map_or(String::new(), |l| format!(" at {}:{}", l.file(), l.line()));
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        tracing::error!("panic{at}: {what}");
    }));
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("dossier: cannot start the async runtime: {e}");
            return;
        }
    };
    runtime.block_on(async {
        let shared = Arc::new(Shared::new());
        let s2 = shared.clone();
        let mut builder = LspService::build(move |client| Backend { client, shared: s2 });
        // Test hook: a request that panics, to show a panic in a handler does not take the server down.
        if std::env::var_os("DOSSIER_TEST_HOOKS").is_some() {
            builder = builder.custom_method("dossier/testPanic", Backend::test_panic);
        }
        let (service, socket) = builder.finish();
        let service = ordered::Ordered::new(service, shared);
        transport::serve(service, socket).await;
    });
    runtime.shutdown_timeout(Duration::from_millis(200));
}
