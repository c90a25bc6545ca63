//! Server state and snapshots: user settings, the open documents, the knowledge base, per-version caches, the
//! snapshot a request reads (pinned at its arrival), cancellation, and publishing diagnostics.

use super::convert::{to_lsp_diagnostics, to_offset, to_range};
use super::documents::{DocSnapshot, Documents};
use super::workspace::Loaded;
use crate::analysis::diagnostics::{DATE_CONFLICT, Severity, UNKNOWN_SOURCE, UNVERIFIED_QUOTE};
use crate::analysis::note::Ignores;
use crate::analysis::{CheckOptions, Diagnostic as NoteDiagnostic, NoteIndex, diagnostics};
use crate::corpus::LoadOptions;
use crate::kb::KnowledgeBase;
use crate::text::{LineIndex, PositionEncoding};
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::time::Duration;
use tower_lsp_server::Client;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{Diagnostic, Position, Range, Uri, notification};

/// How long diagnostics wait for typing to pause.
const DEBOUNCE: Duration = Duration::from_millis(150);

/// Notes larger than this (in bytes of UTF-8) get lighter service: their text is kept in step with the
/// editor, but they are not analysed; one information diagnostic says so.
pub const NOTE_SIZE_LIMIT: usize = 2 << 20;
/// The code of that diagnostic.
pub const NOTE_TOO_LARGE: &str = "note-too-large";

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
    revision: u64,
    kb_gen: u64,
    text: Arc<String>,
    index: Arc<NoteIndex>,
    diagnostics: Option<Arc<Vec<NoteDiagnostic>>>,
}

/// State shared by the handlers, the ordered document layer and the background tasks.
pub struct Shared {
    pub(super) docs: Mutex<Documents>,
    pub(super) encoding: RwLock<PositionEncoding>,
    /// The knowledge base, and whether it is of the whole corpus (not one published while the corpus loads,
    /// nor the empty one before the first load).
    kb: RwLock<(Arc<KnowledgeBase>, bool)>,
    kb_gen: AtomicU64,
    pub(super) load_gen: AtomicU64,
    /// Counts corpus refreshes: a background merge publishes only if no refresh came after the one it is for.
    pub(super) merge_gen: AtomicU64,
    pub(super) settings: Mutex<Settings>,
    pub(super) workspace: Mutex<Vec<PathBuf>>,
    /// The corpus folders in use and their load options.
    pub(super) corpus_roots: Mutex<(Vec<PathBuf>, LoadOptions)>,
    /// The loaded corpus and its extractions; a refresh holds it (across its blocking work) until done.
    pub(super) loaded: Arc<tokio::sync::Mutex<Loaded>>,
    cache: Mutex<HashMap<Uri, Cached>>,
    diag_gen: Mutex<HashMap<Uri, u64>>,
    /// The revision of each document whose diagnostics were published last.
    published: Mutex<HashMap<Uri, u64>>,
    pub(super) watcher: Mutex<Option<notify::RecommendedWatcher>>,
    pub(super) progress_supported: AtomicBool,
    /// The client can watch files for us (`workspace/didChangeWatchedFiles` with dynamic registration).
    pub(super) client_watches: AtomicBool,
    pub(super) warned_no_corpus: AtomicBool,
    /// The client, for messages the ordered layer sends.
    pub(super) client: OnceLock<Client>,
    /// `initialize` has arrived (documents opened before it are not stored).
    pub(super) initialized: AtomicBool,
    /// `shutdown` has arrived: long work stops, and `exit` exits 0.
    pub(super) shutting_down: AtomicBool,
    /// The input has ended: nobody reads answers any more.
    pub(super) hung_up: Arc<AtomicBool>,
    /// The process exit status once the server stops.
    pub(super) exit_code: AtomicI32,
    /// The thread storing the last merged knowledge base in the index, waited for before the process ends.
    pub(super) saving: Mutex<Option<std::thread::JoinHandle<()>>>,
}

pub(super) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

tokio::task_local! {
    /// The document a request is about, as it was when the request arrived (set by the ordered layer).
    pub(super) static PINNED: Option<(Uri, DocSnapshot)>;
}

impl Shared {
    pub(super) fn new() -> Self {
        Shared {
            docs: Mutex::new(Documents::default()),
            encoding: RwLock::new(PositionEncoding::Utf16),
            kb: RwLock::new((Arc::new(KnowledgeBase::empty()), false)),
            kb_gen: AtomicU64::new(0),
            load_gen: AtomicU64::new(0),
            merge_gen: AtomicU64::new(0),
            settings: Mutex::new(Settings::default()),
            workspace: Mutex::new(Vec::new()),
            corpus_roots: Mutex::new((Vec::new(), LoadOptions::default())),
            loaded: Arc::new(tokio::sync::Mutex::new(Loaded::default())),
            cache: Mutex::new(HashMap::new()),
            diag_gen: Mutex::new(HashMap::new()),
            published: Mutex::new(HashMap::new()),
            watcher: Mutex::new(None),
            progress_supported: AtomicBool::new(false),
            client_watches: AtomicBool::new(false),
            warned_no_corpus: AtomicBool::new(false),
            client: OnceLock::new(),
            initialized: AtomicBool::new(false),
            shutting_down: AtomicBool::new(false),
            hung_up: Arc::new(AtomicBool::new(false)),
            exit_code: AtomicI32::new(0),
            saving: Mutex::new(None),
        }
    }

    /// Wait for the merged knowledge base being stored, if any, so that the next start can read it back.
    pub(super) fn finish_saving(&self) {
        let pending = lock(&self.saving).take();
        if let Some(h) = pending
            && h.join().is_err()
        {
            tracing::error!("storing the merged knowledge base failed");
        }
    }

    pub fn encoding(&self) -> PositionEncoding {
        *self.encoding.read().unwrap_or_else(|e| e.into_inner())
    }

    /// The knowledge base and its generation, read together (under the lock that [`Shared::set_kb`] changes
    /// both under), so that a generation never labels another knowledge base.
    pub(super) fn kb(&self) -> (Arc<KnowledgeBase>, u64) {
        let (kb, generation, _) = self.kb_whole();
        (kb, generation)
    }

    /// [`Shared::kb`], and whether that knowledge base is of the whole corpus.
    fn kb_whole(&self) -> (Arc<KnowledgeBase>, u64, bool) {
        let guard = self.kb.read().unwrap_or_else(|e| e.into_inner());
        (guard.0.clone(), self.kb_gen.load(Ordering::SeqCst), guard.1)
    }

    /// Publish the knowledge base of the whole corpus.
    pub(super) fn set_kb(&self, kb: impl Into<Arc<KnowledgeBase>>) {
        self.publish_kb(kb.into(), true);
    }

    /// Publish partial knowledge while the corpus loads: hovers and go-to-source use it, but the checks that
    /// need the whole corpus wait for it (a citation of an article not loaded yet is no unknown source).
    pub(super) fn set_partial_kb(&self, kb: impl Into<Arc<KnowledgeBase>>) {
        self.publish_kb(kb.into(), false);
    }

    fn publish_kb(&self, kb: Arc<KnowledgeBase>, whole: bool) {
        let mut guard = self.kb.write().unwrap_or_else(|e| e.into_inner());
        *guard = (kb, whole);
        self.kb_gen.fetch_add(1, Ordering::SeqCst);
    }

    /// Serve the last knowledge base read back from the index (of the corpus as it was last merged) as
    /// partial knowledge while the corpus is walked, unless the knowledge base in place is of the whole corpus
    /// (a reload keeps answering from it).
    pub(super) fn serve_last(&self, kb: Arc<KnowledgeBase>) {
        let mut guard = self.kb.write().unwrap_or_else(|e| e.into_inner());
        if !guard.1 && !Arc::ptr_eq(&guard.0, &kb) {
            *guard = (kb, false);
            self.kb_gen.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// Stop serving the last knowledge base (`last`), if it is served, when the corpus turned out to be mostly
    /// other articles: the knowledge base is empty until the first partial one.
    pub(super) fn replace_partial_kb(&self, last: Option<&Arc<KnowledgeBase>>) {
        let mut guard = self.kb.write().unwrap_or_else(|e| e.into_inner());
        if last.is_some_and(|l| Arc::ptr_eq(&guard.0, l)) {
            *guard = (Arc::new(KnowledgeBase::empty()), false);
            self.kb_gen.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// Publish `kb` as the knowledge base of the whole corpus. When it is already served as partial knowledge
    /// (the last knowledge base, found to be the corpus's), the notes' analyses made with it are kept, but
    /// not their diagnostics, which left out the checks that need the whole corpus.
    pub(super) fn set_kb_found_whole(&self, kb: Arc<KnowledgeBase>) {
        let mut guard = self.kb.write().unwrap_or_else(|e| e.into_inner());
        let same = Arc::ptr_eq(&guard.0, &kb);
        *guard = (kb, true);
        let was = self.kb_gen.fetch_add(1, Ordering::SeqCst);
        if same {
            // Under the knowledge base's lock, as in `set_kb_same_content`.
            for c in lock(&self.cache).values_mut() {
                if c.kb_gen == was {
                    c.kb_gen = was + 1;
                    c.diagnostics = None;
                }
            }
        }
    }

    /// Swap in a knowledge base with the same content as the current one (its settled form): the notes'
    /// analyses and diagnostics made with the current one hold for it too, so they are kept (a note is not
    /// analysed again at its next hover); its generation is the new one's.
    pub(super) fn set_kb_same_content(&self, kb: impl Into<Arc<KnowledgeBase>>) {
        let mut guard = self.kb.write().unwrap_or_else(|e| e.into_inner());
        guard.0 = kb.into();
        let was = self.kb_gen.fetch_add(1, Ordering::SeqCst);
        // Under the knowledge base's lock: no snapshot takes the new generation before the notes carry it.
        for c in lock(&self.cache).values_mut() {
            if c.kb_gen == was {
                c.kb_gen = was + 1;
            }
        }
    }

    /// Analyse every open note with the current knowledge base and make its cards quick to show
    /// ([`crate::analysis::warm_cards`]), on this thread; stops when the knowledge base changes, the server
    /// stops or `budget` (if any) has run out. How many notes were done.
    pub(super) fn warm_open_notes(&self, budget: Option<Duration>) -> usize {
        let started = std::time::Instant::now();
        let out_of_time = || budget.is_some_and(|b| started.elapsed() > b);
        let mut done = 0;
        let uris = lock(&self.docs).uris();
        for uri in uris {
            if self.stopping() || out_of_time() {
                break;
            }
            let Some(snap) = self.snapshot(&uri) else {
                continue;
            };
            let stop = || self.stopping() || out_of_time() || self.kb().1 != snap.kb_gen;
            if !snap.light && !stop() {
                crate::analysis::warm_cards(&snap.kb, &snap.index, &snap.text, &stop);
            }
            done += 1;
        }
        done
    }

    /// The server is going away (shutdown, or the client hung up): long work should stop.
    pub(super) fn stopping(&self) -> bool {
        self.shutting_down.load(Ordering::SeqCst) || self.hung_up.load(Ordering::SeqCst)
    }

    /// Forget what was cached and published for a document (closed, or its versions restarted).
    pub(super) fn forget(&self, uri: &Uri) {
        lock(&self.cache).remove(uri);
        lock(&self.published).remove(uri);
    }

    /// Forget the diagnostics of every document (settings changed).
    pub(super) fn forget_diagnostics(&self) {
        lock(&self.cache)
            .values_mut()
            .for_each(|c| c.diagnostics = None);
    }

    /// A snapshot of the current version of a document.
    pub(super) fn snapshot(&self, uri: &Uri) -> Option<Snapshot> {
        let doc = lock(&self.docs).snapshot(uri)?;
        Some(self.snapshot_of(uri, doc))
    }

    /// A consistent view of one version of a document: its text, the knowledge base and the note's analysis.
    pub(super) fn snapshot_of(&self, uri: &Uri, doc: DocSnapshot) -> Snapshot {
        let (kb, kb_gen, whole) = self.kb_whole();
        let light = doc.len() > NOTE_SIZE_LIMIT;
        let cached = lock(&self.cache).get(uri).and_then(|c| {
            (c.revision == doc.revision).then(|| (c.text.clone(), c.kb_gen, c.index.clone()))
        });
        let (text, index) = match cached {
            Some((text, g, index)) if g == kb_gen => (text, index),
            other => {
                let text = other.map_or_else(|| doc.text(), |(t, _, _)| t);
                let index = Arc::new(if light {
                    light_index(&text)
                } else {
                    NoteIndex::new(&kb, &text)
                });
                let still_open = lock(&self.docs).revision(uri).is_some();
                let mut cache = lock(&self.cache);
                // An older version (a request pinned before later edits), or the same one analysed with an
                // older knowledge base, does not evict a newer one, and a document closed meanwhile is not
                // cached again.
                if still_open
                    && cache
                        .get(uri)
                        .is_none_or(|c| (c.revision, c.kb_gen) <= (doc.revision, kb_gen))
                {
                    cache.insert(
                        uri.clone(),
                        Cached {
                            revision: doc.revision,
                            kb_gen,
                            text: text.clone(),
                            index: index.clone(),
                            diagnostics: None,
                        },
                    );
                }
                (text, index)
            }
        };
        Snapshot {
            text,
            version: doc.version,
            revision: doc.revision,
            kb_gen,
            kb,
            whole,
            index,
            enc: self.encoding(),
            light,
        }
    }

    /// Diagnostics of a snapshot, cached per version.
    pub(super) fn diagnostics_of(&self, uri: &Uri, snap: &Snapshot) -> Arc<Vec<NoteDiagnostic>> {
        // Keyed by the knowledge base too: a request that took its snapshot just before the knowledge base
        // changed must neither read nor leave diagnostics of the other one.
        if let Some(c) = lock(&self.cache).get(uri)
            && c.revision == snap.revision
            && c.kb_gen == snap.kb_gen
            && let Some(d) = &c.diagnostics
        {
            return d.clone();
        }
        let mut opts = CheckOptions {
            disabled: lock(&self.settings).disabled.clone(),
        };
        if !snap.whole {
            // Only what the note alone says is checked until the corpus has loaded: against part of it, a
            // citation of an article not read yet, a quotation from one, or a date that a later article
            // confirms would be false alarms.
            opts.disabled.extend(
                [DATE_CONFLICT, UNVERIFIED_QUOTE, UNKNOWN_SOURCE]
                    .into_iter()
                    .map(String::from),
            );
        }
        let d = if self.is_corpus_file(uri) {
            Arc::new(Vec::new())
        } else if snap.light {
            Arc::new(vec![too_large(snap.text.len())])
        } else {
            Arc::new(diagnostics(&snap.kb, &snap.index, &snap.text, &opts))
        };
        if let Some(c) = lock(&self.cache).get_mut(uri)
            && c.revision == snap.revision
            && c.kb_gen == snap.kb_gen
        {
            c.diagnostics = Some(d.clone());
        }
        d
    }

    pub(super) fn is_corpus_file(&self, uri: &Uri) -> bool {
        let Some(path) = uri.to_file_path() else {
            return false;
        };
        lock(&self.corpus_roots)
            .0
            .iter()
            .any(|r| path.starts_with(r))
    }
}

/// The analysis of a note too large to analyse: only its lines.
fn light_index(text: &str) -> NoteIndex {
    NoteIndex {
        lines: LineIndex::new(text),
        sentences: Vec::new(),
        excluded: Vec::new(),
        headings: Vec::new(),
        mentions: Vec::new(),
        citations: Vec::new(),
        quotes: Vec::new(),
        dates: Vec::new(),
        facts: Vec::new(),
        ignores: Ignores::default(),
    }
}

fn too_large(len: usize) -> NoteDiagnostic {
    NoteDiagnostic {
        range: 0..0,
        severity: Severity::Information,
        code: NOTE_TOO_LARGE,
        message: format!(
            "This note is {:.1} MB, over Dossier's {} MB limit: it is not checked, and hover, go-to-source, references and completion are off for it. Split it to have it checked.",
            len as f64 / (1 << 20) as f64,
            NOTE_SIZE_LIMIT >> 20
        ),
        related: Vec::new(),
        fixes: Vec::new(),
    }
}

/// What a request reads: one version of a document with the analysis that goes with it.
pub(super) struct Snapshot {
    pub text: Arc<String>,
    pub version: i32,
    pub revision: u64,
    /// The generation of `kb`: what is cached for this version is reused only with the same knowledge base.
    pub kb_gen: u64,
    pub kb: Arc<KnowledgeBase>,
    /// `kb` is of the whole corpus (see [`Shared::set_partial_kb`]).
    pub whole: bool,
    pub index: Arc<NoteIndex>,
    pub enc: PositionEncoding,
    /// Over the size limit: not analysed.
    pub light: bool,
}

impl Snapshot {
    /// Byte offset of an editor position in this snapshot's text; `None` past the last line.
    pub(super) fn offset(&self, pos: Position) -> Option<usize> {
        to_offset(&self.index.lines, &self.text, pos, self.enc)
    }

    /// Editor range of a byte range of this snapshot's text.
    pub(super) fn range(&self, r: &crate::text::ByteRange) -> Range {
        to_range(&self.index.lines, &self.text, r, self.enc)
    }

    /// Diagnostics of this snapshot as the protocol has them.
    pub(super) fn lsp_diagnostics(&self, diags: &[NoteDiagnostic], uri: &Uri) -> Vec<Diagnostic> {
        to_lsp_diagnostics(
            &self.index.lines,
            &self.text,
            &self.kb,
            self.enc,
            diags,
            uri,
        )
    }
}

/// Set when the request that owns it is dropped (cancelled by `$/cancelRequest`, or abandoned).
pub(super) struct Cancel(Arc<AtomicBool>);

impl Drop for Cancel {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// Whether work for a request should stop: the request was cancelled or the server is going away.
#[derive(Clone)]
pub(super) struct Token {
    cancelled: Arc<AtomicBool>,
    shared: Arc<Shared>,
}

impl Token {
    pub(super) fn stop(&self) -> bool {
        self.cancelled.load(Ordering::SeqCst) || self.shared.stopping()
    }
}

/// The language server.
pub struct Backend {
    pub(super) client: Client,
    pub(super) shared: Arc<Shared>,
}

pub(super) fn internal(e: impl std::fmt::Display) -> Error {
    let mut err = Error::internal_error();
    err.message = format!("internal error: {e}").into();
    err
}

impl Backend {
    pub(super) async fn test_panic(&self) -> Result<()> {
        panic!("test panic requested");
    }

    /// Test hook: a request that takes `ms` milliseconds of blocking work unless cancelled.
    pub(super) async fn test_slow(&self, params: Value) -> Result<Value> {
        let ms = params.get("ms").and_then(Value::as_u64).unwrap_or(10_000);
        let (token, _guard) = self.token();
        tokio::task::spawn_blocking(move || {
            let started = std::time::Instant::now();
            while started.elapsed() < Duration::from_millis(ms) {
                if token.stop() {
                    tracing::info!("slow test request stopped early");
                    return Value::from("stopped");
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            Value::from("done")
        })
        .await
        .map_err(internal)
    }

    pub(super) fn clone_handle(&self) -> Backend {
        Backend {
            client: self.client.clone(),
            shared: self.shared.clone(),
        }
    }

    /// A cancellation token for the current request, and the guard that trips it when the request goes.
    pub(super) fn token(&self) -> (Token, Cancel) {
        let cancelled = Arc::new(AtomicBool::new(false));
        (
            Token {
                cancelled: cancelled.clone(),
                shared: self.shared.clone(),
            },
            Cancel(cancelled),
        )
    }

    /// Run `f` on the blocking pool, on the snapshot of `uri` pinned when the request arrived (the current one
    /// when none was pinned). Notes over the size limit get no answer; a panic becomes an error response;
    /// a cancelled request stops before its analysis.
    pub(super) async fn with_snapshot<R: Send + 'static>(
        &self,
        uri: &Uri,
        f: impl FnOnce(&Snapshot, &Token) -> Option<R> + Send + 'static,
    ) -> Result<Option<R>> {
        let shared = self.shared.clone();
        let uri = uri.clone();
        let pinned = PINNED
            .try_with(|p| p.clone())
            .ok()
            .flatten()
            .filter(|(u, _)| *u == uri)
            .map(|(_, d)| d);
        let (token, _guard) = self.token();
        let asked = std::time::Instant::now();
        let work = move || {
            if token.stop() {
                return None;
            }
            let started = std::time::Instant::now();
            let snap = match pinned {
                Some(doc) => shared.snapshot_of(&uri, doc),
                None => shared.snapshot(&uri)?,
            };
            if snap.light || token.stop() {
                return None;
            }
            let analysed = std::time::Instant::now();
            let answer = f(&snap, &token);
            tracing::trace!(
                "request answered: {:?} waiting for a thread, {:?} for the note's analysis, {:?} answering",
                started - asked,
                analysed - started,
                analysed.elapsed()
            );
            answer
        };
        tokio::task::spawn_blocking(work).await.map_err(|e| {
            tracing::error!("request handler failed: {e}");
            internal(e)
        })
    }

    pub(super) async fn status(&self, state: &str, indexed: usize, total: usize, message: &str) {
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

    /// Publish diagnostics for a document after typing pauses, never for an older text than already sent.
    pub(super) fn schedule_diagnostics(&self, uri: Uri) {
        self.schedule_diagnostics_after(uri, DEBOUNCE, false);
    }

    /// [`Backend::schedule_diagnostics`] after `delay` (nothing to wait for when the knowledge base changed);
    /// with `warm`, the note's cards are then made once ([`crate::analysis::warm_cards`]), so that the first
    /// hover on each of its names does not read the corpus.
    fn schedule_diagnostics_after(&self, uri: Uri, delay: Duration, warm: bool) {
        let generation = {
            let mut g = lock(&self.shared.diag_gen);
            let e = g.entry(uri.clone()).or_default();
            *e += 1;
            *e
        };
        let shared = self.shared.clone();
        let client = self.client.clone();
        let backend = self.clone_handle();
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            if lock(&shared.diag_gen).get(&uri) != Some(&generation) || shared.stopping() {
                return;
            }
            let s2 = shared.clone();
            let u2 = uri.clone();
            // At a lower priority than requests: hovers stay quick while a note is checked.
            let result = super::background::run("dossier-diagnostics", move || {
                let snap = s2.snapshot(&u2)?;
                if warm && !snap.light {
                    // Before the diagnostics (a few milliseconds): the first hovers come right after a start.
                    let timer = std::time::Instant::now();
                    // Stops once the knowledge base is replaced (the next one warms its own) or the server
                    // stops.
                    let stop = || s2.stopping() || s2.kb().1 != snap.kb_gen;
                    let made =
                        crate::analysis::warm_cards(&snap.kb, &snap.index, &snap.text, &stop);
                    tracing::debug!("{made} cards of a note made ahead in {:?}", timer.elapsed());
                }
                let diags = s2.diagnostics_of(&u2, &snap);
                let lsp = snap.lsp_diagnostics(&diags, &u2);
                Some((snap, lsp))
            })
            .await;
            let Some(Some((snap, diags))) = result else {
                if result.is_none() {
                    tracing::error!("diagnostics failed");
                }
                return;
            };
            let (version, revision) = (snap.version, snap.revision);
            // Newer edits or a close since: a later task publishes.
            if lock(&shared.diag_gen).get(&uri) != Some(&generation)
                || lock(&shared.docs).revision(&uri) != Some(revision)
            {
                return;
            }
            {
                let mut p = lock(&shared.published);
                if p.get(&uri).is_some_and(|r| *r > revision) {
                    return;
                }
                p.insert(uri.clone(), revision);
            }
            client.publish_diagnostics(uri, diags, Some(version)).await;
            // A corpus text read for them that was not the one loaded (changed, removed or unreadable since
            // the load trusted its file): read those files again, as a change the watcher reports; the
            // knowledge base that follows publishes every note's diagnostics again.
            let stale: Vec<std::path::PathBuf> = shared
                .kb()
                .0
                .stale_texts()
                .into_iter()
                .map(|p| p.path)
                .collect();
            if !stale.is_empty() {
                backend.refresh_paths(stale, false).await;
            }
        });
    }

    /// Stop publishing for a closed document.
    pub(super) fn cancel_diagnostics(&self, uri: &Uri) {
        lock(&self.shared.diag_gen)
            .entry(uri.clone())
            .and_modify(|g| *g += 1);
    }

    /// Publish the diagnostics of every open document again, at once (the knowledge base or the settings
    /// changed, not the text).
    pub(super) fn republish_all(&self) {
        let uris = lock(&self.shared.docs).uris();
        for u in uris {
            self.schedule_diagnostics_after(u, Duration::ZERO, true);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::diagnostics::WEEKDAY_MISMATCH;
    use std::str::FromStr;

    #[test]
    fn a_knowledge_base_of_the_same_content_keeps_the_notes_analyses_and_another_one_does_not() {
        let shared = Shared::new();
        let uri = Uri::from_str("file:///n.md").expect("uri");
        lock(&shared.docs).open(uri.clone(), "Ruto met Biden on Monday.\n", 1);
        let first = shared.snapshot(&uri).expect("open");
        shared.diagnostics_of(&uri, &first);

        // Its settled form: the note is not analysed again, and its diagnostics are kept.
        let settled = Arc::new(KnowledgeBase::empty());
        shared.set_kb_same_content(settled.clone());
        let again = shared.snapshot(&uri).expect("open");
        assert!(Arc::ptr_eq(&again.index, &first.index));
        assert!(Arc::ptr_eq(&again.kb, &settled));
        assert_eq!(again.kb_gen, first.kb_gen + 1);
        assert!(
            lock(&shared.cache)
                .get(&uri)
                .expect("cached")
                .diagnostics
                .is_some()
        );
        assert_eq!(shared.warm_open_notes(None), 1);

        // Another knowledge base: analysed again.
        shared.set_kb(KnowledgeBase::empty());
        let other = shared.snapshot(&uri).expect("open");
        assert!(!Arc::ptr_eq(&other.index, &first.index));
        assert_eq!(other.kb_gen, again.kb_gen + 1);
    }

    #[test]
    fn until_the_whole_corpus_has_loaded_only_what_the_note_alone_says_is_checked() {
        let shared = Shared::new();
        let uri = Uri::from_str("file:///n.md").expect("uri");
        // A citation no article matches, and a weekday that is not that date's.
        let text = "Ruto spoke on Monday, 3 December 2026 [@nowhere].\n";
        lock(&shared.docs).open(uri.clone(), text, 1);
        let codes = |shared: &Shared| {
            let snap = shared.snapshot(&uri).expect("open");
            let mut codes: Vec<&str> = shared
                .diagnostics_of(&uri, &snap)
                .iter()
                .map(|d| d.code)
                .collect();
            codes.sort_unstable();
            (snap.whole, codes)
        };
        // Before the first load, and while a corpus loads.
        assert_eq!(codes(&shared), (false, vec![WEEKDAY_MISMATCH]));
        shared.set_partial_kb(KnowledgeBase::empty());
        assert_eq!(codes(&shared), (false, vec![WEEKDAY_MISMATCH]));
        // The whole corpus (here, none): the citation matches no article.
        shared.set_kb(KnowledgeBase::empty());
        assert_eq!(
            codes(&shared),
            (true, vec![UNKNOWN_SOURCE, WEEKDAY_MISMATCH])
        );
        // Its settled form is as whole.
        shared.set_kb_same_content(KnowledgeBase::empty());
        assert!(shared.snapshot(&uri).expect("open").whole);
    }

    #[test]
    fn the_last_knowledge_base_serves_as_partial_and_found_whole_keeps_the_analyses_but_not_the_diagnostics()
     {
        let shared = Shared::new();
        let uri = Uri::from_str("file:///n.md").expect("uri");
        let text = "Ruto spoke on Monday, 3 December 2026 [@nowhere].\n";
        lock(&shared.docs).open(uri.clone(), text, 1);
        let codes = |snap: &Snapshot| {
            let mut codes: Vec<&str> = shared
                .diagnostics_of(&uri, snap)
                .iter()
                .map(|d| d.code)
                .collect();
            codes.sort_unstable();
            codes
        };
        // Served while the corpus is walked: partial knowledge, only the note's own checks.
        let last = Arc::new(KnowledgeBase::empty());
        shared.serve_last(last.clone());
        let served = shared.snapshot(&uri).expect("open");
        assert!(Arc::ptr_eq(&served.kb, &last) && !served.whole);
        assert_eq!(codes(&served), vec![WEEKDAY_MISMATCH]);
        // Served again (the walk ended first): nothing changes.
        shared.serve_last(last.clone());
        assert_eq!(shared.kb().1, served.kb_gen);
        // Found to be the corpus's: the same analysis, now whole, and every check runs.
        shared.set_kb_found_whole(last.clone());
        let whole = shared.snapshot(&uri).expect("open");
        assert!(whole.whole && Arc::ptr_eq(&whole.index, &served.index));
        assert_eq!(whole.kb_gen, served.kb_gen + 1);
        assert_eq!(codes(&whole), vec![UNKNOWN_SOURCE, WEEKDAY_MISMATCH]);
        // A whole knowledge base in place (a reload) is not replaced by a last one, nor taken away as if it
        // were the last one.
        let other = Arc::new(KnowledgeBase::empty());
        shared.serve_last(other.clone());
        shared.replace_partial_kb(Some(&other));
        let kept = shared.snapshot(&uri).expect("open");
        assert!(Arc::ptr_eq(&kept.kb, &last) && kept.whole);
        // The last one served, then found to be of other articles: taken away.
        let shared = Shared::new();
        shared.serve_last(other.clone());
        shared.replace_partial_kb(Some(&other));
        assert!(!Arc::ptr_eq(&shared.kb().0, &other));
        assert!(!shared.kb_whole().2);
    }
}
