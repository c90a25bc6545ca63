//! The merged knowledge base in the index: one row that holds the last merge of the whole corpus, read back
//! instead of merging when the articles (their content keys, in order) and the merge's version are the same;
//! [`MergePrefetch`] and [`merge_cached`], which read it back or merge and store.
//!
//! Like the rest of the index it is never trusted: a row of another version, one whose checksum fails, that
//! does not decode, or whose indices or ranges do not fit the articles is merged again with a warning and
//! overwritten. It holds no article text: names, roles, places and numbers, as the extraction rows do.

use super::deferred::deferred_all;
use super::merged_wire::{self, MergeKey, Merged, merge_version};
use super::wire;
use super::{CacheStats, Coverage, Store, extract_cached};
use crate::corpus::{Article, Problem};
use crate::kb::aliases::{Alias, AliasTable};
use crate::kb::{ArticleData, KnowledgeBase, merge};
use rusqlite::{OptionalExtension, params};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use xxhash_rust::xxh3::xxh3_64;

/// What one [`merge_cached`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MergeStats {
    /// Read back from the index: no merge ran.
    pub loaded: bool,
    /// A stored one could not be used (another version, damaged, not fitting the articles): merged again,
    /// with a warning.
    pub rejected: bool,
    /// Merged, and the result written to the index.
    pub saved: bool,
}

/// The stored merged knowledge base's bytes, or why there are none to use.
pub(super) enum Fetched {
    Done(Lookup),
    /// Of other articles than those expected (not read).
    Other,
    Bytes {
        /// The key of the articles it was merged from.
        key: Vec<u8>,
        sum: i64,
        data: Vec<u8>,
        /// The articles' hot parts (`wire::encode_hot`), when their checksum holds.
        hot: Option<Vec<u8>>,
    },
}

/// What the index holds for a corpus.
pub(super) enum Lookup {
    Hit(Box<Prepared>),
    /// Nothing, or another corpus's (articles added, changed or removed since): merge.
    Miss,
    /// Something that must not be used (another version, bytes that do not read back or do not fit): merge,
    /// with this warning.
    Damaged(String),
}

impl Store {
    /// The bytes of the stored merged knowledge base, with the key of the articles it is of (the one part that
    /// needs the database); only its key when it is not of the articles of `expect`.
    pub(super) fn fetch_merged(&self, expect: Option<&MergeKey>) -> Fetched {
        let mut conn = self.lock();
        let head = conn
            .query_row("SELECT version, key FROM merged WHERE id = 1", [], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?))
            })
            .optional();
        let (version, stored_key) = match head {
            Ok(Some(h)) => h,
            Ok(None) => return Fetched::Done(Lookup::Miss),
            Err(e) => {
                self.failed(&mut conn, "reading the merged knowledge base", &e);
                return Fetched::Done(Lookup::Miss);
            }
        };
        if version != merge_version() {
            // Said by the thread that waits for it (where the caller's log is).
            return Fetched::Done(Lookup::Damaged(format!(
                "the merged knowledge base in the index {} is of another version ({version}); merging again",
                self.path.display()
            )));
        }
        if expect.is_some_and(|k| k.0.as_slice() != stored_key.as_slice()) {
            return Fetched::Other;
        }
        let (sum, data) = match read_row(&conn, "merged") {
            Ok(Some(r)) => r,
            Ok(None) => return Fetched::Done(Lookup::Miss),
            Err(e) => {
                self.failed(&mut conn, "reading the merged knowledge base", &e);
                return Fetched::Done(Lookup::Miss);
            }
        };
        // Hot parts that are missing or fail their checksum are read from each article's row instead.
        let hot = read_row(&conn, "hot")
            .ok()
            .flatten()
            .filter(|(sum, hot)| xxh3_64(hot) as i64 == *sum)
            .map(|(_, hot)| hot);
        Fetched::Bytes {
            key: stored_key,
            sum,
            data,
            hot,
        }
    }

    /// Store the merged knowledge base of the articles of `key`, replacing the one stored; whether it was
    /// written.
    pub fn save_merged(&self, key: &MergeKey, kb: &KnowledgeBase) -> bool {
        let mut conn = self.lock();
        // One part at a time, in one transaction: the two encodings are never in memory together.
        let written = (|| -> rusqlite::Result<bool> {
            let tx = conn.transaction()?;
            let data = merged_wire::encode(kb);
            if data.is_empty() {
                return Ok(false);
            }
            tx.execute(
                "INSERT OR REPLACE INTO merged (id, version, key, sum, data) VALUES (1, ?1, ?2, ?3, ?4)",
                params![merge_version(), &key.0[..], xxh3_64(&data) as i64, data],
            )?;
            drop(data);
            // A row of its own: an update of the merged row would copy its record whole.
            let hot = wire::encode_hot(&kb.articles);
            tx.execute(
                "INSERT OR REPLACE INTO hot (id, sum, data) VALUES (1, ?1, ?2)",
                params![xxh3_64(&hot) as i64, hot],
            )?;
            drop(hot);
            let articles: Vec<&Article> = kb.articles.iter().map(|d| &d.article).collect();
            let listing = crate::corpus::encode_listing(&articles, &kb.problems);
            tx.execute(
                "INSERT OR REPLACE INTO listing (id, sum, data) VALUES (1, ?1, ?2)",
                params![xxh3_64(&listing) as i64, listing],
            )?;
            tx.commit()?;
            Ok(true)
        })();
        match written {
            Ok(w) => w,
            Err(e) => {
                self.failed(&mut conn, "writing the merged knowledge base", &e);
                false
            }
        }
    }
}

/// The checksum and the data of the one row of `table` (`merged` or `hot`); `None` when there is none. The
/// data is read straight into a buffer of its size, rather than copied out of one SQLite would make for it:
/// tens of megabytes, each page of which the kernel would clear twice.
pub(super) fn read_row(
    conn: &rusqlite::Connection,
    table: &str,
) -> rusqlite::Result<Option<(i64, Vec<u8>)>> {
    let Some((sum, len)) = conn
        .query_row(
            &format!("SELECT sum, length(data) FROM {table} WHERE id = 1"),
            [],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)),
        )
        .optional()?
    else {
        return Ok(None);
    };
    let mut blob = conn.blob_open(rusqlite::MAIN_DB, table, "data", 1, true)?;
    let mut data = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    if let Err(e) = std::io::Read::read_to_end(&mut blob, &mut data) {
        // A failed read is SQLite's error, which says whether the file is corrupt.
        return Err(
            match e.into_inner().map(|e| e.downcast::<rusqlite::Error>()) {
                Some(Ok(e)) => *e,
                _ => rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_IOERR),
                    Some(format!("reading the {table} row")),
                ),
            },
        );
    }
    Ok(Some((sum, data)))
}

/// A stored merged knowledge base made ready before the articles it is for are known: decoded, its ids
/// checked, completed ([`merge::complete`]), its alias automata being built.
pub(super) struct Prepared {
    /// Without their aliases (taken by the automata).
    parts: Box<Merged>,
    facts_by_entity: Vec<Vec<u32>>,
    automata: Automata,
}

fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let r = f();
    tracing::debug!("{what} in {:?}", t.elapsed());
    r
}

/// The merged knowledge base in these stored bytes, made ready, or why they cannot be used. Gives up between
/// steps once `stop` is set (nobody wants the result then).
pub(super) fn prepare(sum: i64, data: &[u8], stop: &AtomicBool) -> Result<Prepared, String> {
    let stopped = || {
        stop.load(Ordering::Relaxed)
            .then(|| "no longer wanted".to_string())
            .map_or(Ok(()), Err)
    };
    if xxh3_64(data) as i64 != sum {
        return Err("its checksum does not match".to_string());
    }
    let timer = Instant::now();
    let mut parts = merged_wire::decode(data)
        .map(Box::new)
        .ok_or_else(|| "it does not read back".to_string())?;
    stopped()?;
    parts
        .check_ids()
        .map_err(|e| format!("it does not fit the articles: {e}"))?;
    stopped()?;
    let automata = Automata::build(std::mem::take(&mut parts.aliases));
    let decoded = timer.elapsed();
    let facts_by_entity =
        merge::complete(&mut parts.entities, &parts.facts, &parts.article_mentions);
    tracing::debug!(
        "merged knowledge base decoded in {decoded:?}, completed in {:?}",
        timer.elapsed() - decoded
    );
    Ok(Prepared {
        parts,
        facts_by_entity,
        automata,
    })
}

/// A merged knowledge base made ready, checked against the articles' text lengths.
pub(super) fn checked(
    path: &std::path::Path,
    prepared: Result<Prepared, String>,
    texts: &[usize],
) -> Lookup {
    let why = match prepared {
        Ok(p) => match p.parts.check_ranges(texts) {
            Ok(()) => return Lookup::Hit(Box::new(p)),
            Err(e) => format!("it does not fit the articles: {e}"),
        },
        Err(why) => why,
    };
    // Said by the thread that waits for it (where the caller's log is).
    Lookup::Damaged(format!(
        "the merged knowledge base in the index {} cannot be used ({why}); merging again",
        path.display()
    ))
}

/// The stored merged knowledge base read, decoded and completed on a thread of its own (its alias automata on
/// another) as soon as the index is open, while the corpus is loaded — so before it is known to be the
/// corpus's. Its key and the articles' hot parts are handed over as soon as they are read, so that
/// [`MergePrefetch::after`] can tell at once whether it is the merge of the articles loaded and
/// [`MergePrefetch::extractions`] can use the hot parts while the rest is still being decoded. On a warm start
/// this takes all of reading it back but the check against the articles (about 0.35 CPU-seconds on the White
/// House corpus) out of the wait; when the corpus changed, the thread is told to stop.
pub struct MergeAhead(Option<AheadThread>);

struct AheadThread {
    /// What the thread read first: sent before it decodes anything.
    early: std::sync::mpsc::Receiver<Early>,
    /// Set when what was read is of other articles: the thread gives up at its next step.
    stop: Arc<AtomicBool>,
    /// The merged knowledge base made ready, when the thread read one.
    prepared: std::thread::JoinHandle<Option<Result<Prepared, String>>>,
}

/// What was read ahead, before any decoding.
enum Early {
    Done(Lookup),
    Read {
        /// The key of the articles it was merged from.
        key: Vec<u8>,
        /// The articles' hot parts, when their checksum holds.
        hot: Option<Vec<u8>>,
    },
}

impl MergeAhead {
    /// Start reading the merged knowledge base of `store`; nothing without an index or a thread.
    pub fn start(store: Option<&Arc<Store>>) -> MergeAhead {
        let Some(store) = store.cloned() else {
            return MergeAhead(None);
        };
        let (tx, early) = std::sync::mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let read = move || {
            let (sum, data) = match timed("merged knowledge base read", || store.fetch_merged(None))
            {
                Fetched::Done(l) => {
                    let _ = tx.send(Early::Done(l));
                    return None;
                }
                // Not asked for.
                Fetched::Other => {
                    let _ = tx.send(Early::Done(Lookup::Miss));
                    return None;
                }
                Fetched::Bytes {
                    key,
                    sum,
                    data,
                    hot,
                } => {
                    let _ = tx.send(Early::Read { key, hot });
                    (sum, data)
                }
            };
            drop(tx);
            Some(prepare(sum, &data, &stopped))
        };
        let spawned = std::thread::Builder::new()
            .name("dossier-merged".to_string())
            .spawn(read);
        MergeAhead(spawned.ok().map(|prepared| AheadThread {
            early,
            stop,
            prepared,
        }))
    }
}

/// The merged knowledge base of a corpus as the index holds it, looked up from the articles alone, before
/// their extractions are read: when it is there, it is made ready (decoded, completed, its alias automata
/// built: the longest part of reading it back) meanwhile, on threads of their own. [`MergePrefetch::finish`]
/// completes it, or merges.
pub struct MergePrefetch {
    key: MergeKey,
    found: Found,
    /// The articles' hot parts as stored, until [`MergePrefetch::extractions`] hands them out.
    hot: Option<Vec<u8>>,
}

enum Found {
    /// Checked against the articles; the parts made ready, their alias automata being built.
    Hit {
        prepared: Box<Prepared>,
        read: Duration,
    },
    Miss,
    Rejected,
    /// There is no index.
    Off,
    /// Of these articles, being made ready on a thread of its own, to be checked against them.
    Reading {
        prepared: std::thread::JoinHandle<Option<Result<Prepared, String>>>,
        path: PathBuf,
        texts: Vec<usize>,
        timer: Instant,
    },
    /// Rejected, with the warning to give.
    Damaged(String),
}

/// What a look-up found, its alias automata being built when it is there.
fn found(lookup: Lookup, timer: Instant) -> Found {
    match lookup {
        Lookup::Hit(prepared) => Found::Hit {
            prepared,
            read: timer.elapsed(),
        },
        Lookup::Miss => Found::Miss,
        Lookup::Damaged(why) => Found::Damaged(why),
    }
}

/// Alias automata being built on a thread of their own, or built in line when no thread could be made.
enum Automata {
    Building(std::thread::JoinHandle<AliasTable>),
    Built(Box<AliasTable>),
}

impl Automata {
    fn build(aliases: Vec<Alias>) -> Automata {
        let build = |aliases: Vec<Alias>| {
            let timer = Instant::now();
            let n = aliases.len();
            let table = AliasTable::new(aliases);
            tracing::debug!(
                "alias table of {n} aliases built in {:?} ({} MB)",
                timer.elapsed(),
                table.memory_usage() >> 20
            );
            table
        };
        let (tx, rx) = std::sync::mpsc::channel::<Vec<Alias>>();
        let spawned = std::thread::Builder::new()
            .name("dossier-automata".to_string())
            .spawn(move || build(rx.recv().unwrap_or_default()));
        match spawned {
            Ok(h) => match tx.send(aliases) {
                Ok(()) => Automata::Building(h),
                Err(e) => Automata::Built(Box::new(build(e.0))),
            },
            Err(_) => Automata::Built(Box::new(build(aliases))),
        }
    }

    fn join(self) -> AliasTable {
        match self {
            // Building an automaton does not panic on any alias list; if the thread did, there are no names.
            Automata::Building(h) => h.join().unwrap_or_default(),
            Automata::Built(t) => *t,
        }
    }
}

impl MergePrefetch {
    /// Look up the merged knowledge base of `articles` (in this order) in `store`.
    pub fn new(store: Option<&Store>, articles: &[&Article]) -> MergePrefetch {
        MergePrefetch::after(MergeAhead(None), store, articles)
    }

    /// [`MergePrefetch::new`], with what `ahead` read of the index (which must be `store`) before the articles
    /// were known. Waits only for the stored merged knowledge base's key to be read, not for its decoding.
    pub fn after(ahead: MergeAhead, store: Option<&Store>, articles: &[&Article]) -> MergePrefetch {
        let timer = Instant::now();
        let key = MergeKey::of(articles);
        let Some(store) = store else {
            return MergePrefetch {
                key,
                found: Found::Off,
                hot: None,
            };
        };
        let texts: Vec<usize> = articles.iter().map(|a| a.text.len()).collect();
        let path = store.path.clone();
        let other = || {
            tracing::debug!(
                "the merged knowledge base in the index {} is of other articles; merging again",
                path.display()
            );
            Found::Miss
        };
        let mut hot = None;
        // A thread that ended without a word (it panicked) read nothing: read again.
        let early = ahead
            .0
            .and_then(|t| t.early.recv().ok().map(|e| (e, t.stop, t.prepared)));
        let found = match early {
            Some((Early::Done(l), ..)) => found(l, timer),
            Some((
                Early::Read {
                    key: stored,
                    hot: h,
                },
                stop,
                prepared,
            )) => {
                if stored.as_slice() == key.0.as_slice() {
                    hot = h;
                    Found::Reading {
                        prepared,
                        path: path.clone(),
                        texts,
                        timer,
                    }
                } else {
                    stop.store(true, Ordering::Relaxed);
                    other()
                }
            }
            // The bytes are read now; they are made ready on a thread of their own, while the caller reads
            // the extractions (which needs the database, as reading the bytes does).
            None => match store.fetch_merged(Some(&key)) {
                Fetched::Done(l) => found(l, timer),
                Fetched::Other => other(),
                Fetched::Bytes {
                    sum, data, hot: h, ..
                } => {
                    hot = h;
                    let spawned = std::thread::Builder::new()
                        .name("dossier-merged".to_string())
                        .spawn(move || Some(prepare(sum, &data, &AtomicBool::new(false))));
                    match spawned {
                        Ok(prepared) => Found::Reading {
                            prepared,
                            path: path.clone(),
                            texts,
                            timer,
                        },
                        // No thread: merged again, which is never wrong.
                        Err(_) => Found::Miss,
                    }
                }
            },
        };
        MergePrefetch { key, found, hot }
    }

    /// Wait for the stored merged knowledge base being made ready, if it is, and check it.
    fn resolve(&mut self) {
        if matches!(self.found, Found::Reading { .. }) {
            let Found::Reading {
                prepared,
                path,
                texts,
                timer,
            } = std::mem::replace(&mut self.found, Found::Miss)
            else {
                return;
            };
            // Decoding does not panic on any bytes; if the thread did, the corpus is merged again.
            self.found = match prepared.join() {
                Ok(Some(p)) => found(checked(&path, p, &texts), timer),
                Ok(None) | Err(_) => Found::Miss,
            };
        }
        if matches!(self.found, Found::Damaged(_))
            && let Found::Damaged(why) = std::mem::replace(&mut self.found, Found::Rejected)
        {
            tracing::warn!("{why}");
        }
    }

    /// Whether the index holds the merged knowledge base of these articles, as far as is known without
    /// waiting for it to be decoded: [`MergePrefetch::finish`] merges only if it then turns out damaged.
    pub fn is_likely_hit(&self) -> bool {
        matches!(self.found, Found::Hit { .. } | Found::Reading { .. })
    }

    /// The extractions of the articles looked up (the same, in the same order), for
    /// [`MergePrefetch::finish`]. When the index holds their merged knowledge base (its version and key
    /// match), no merge reads them all: each is read from the index when first needed, so that a check that
    /// looks at a few articles reads only those. Otherwise [`extract_cached`].
    pub fn extractions(
        &mut self,
        articles: Vec<Article>,
        store: Option<&Arc<Store>>,
        roots: &[PathBuf],
        coverage: Coverage,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> (Vec<Arc<ArticleData>>, CacheStats) {
        match (store, &self.found) {
            (Some(s), Found::Hit { .. } | Found::Reading { .. }) => {
                let total = articles.len();
                let hot = self
                    .hot
                    .take()
                    .and_then(|h| wire::decode_hot(h, total))
                    .map(|h| (self.key, h));
                let done = deferred_all(articles, s, roots, hot);
                progress(total, total);
                done
            }
            _ => extract_cached(articles, store.map(|s| &**s), roots, coverage, progress),
        }
    }

    /// Whether the index holds it: [`MergePrefetch::finish`] will not merge.
    pub fn is_hit(&mut self) -> bool {
        self.resolve();
        matches!(self.found, Found::Hit { .. })
    }

    /// The knowledge base of `articles`, the extractions of the articles looked up (the same, in the same
    /// order): the one read back, completed, or else a merge, stored in `store`.
    pub fn finish(
        mut self,
        articles: Vec<Arc<ArticleData>>,
        problems: Vec<Problem>,
        store: Option<&Store>,
    ) -> (KnowledgeBase, MergeStats) {
        self.resolve();
        let mut stats = MergeStats::default();
        let timer = Instant::now();
        // Extractions of other articles than those looked up would not fit what was read back.
        let key = MergeKey::of_data(&articles);
        let found = if key == self.key {
            self.found
        } else {
            tracing::error!("the merged knowledge base was looked up for other articles; merging");
            Found::Miss
        };
        match found {
            Found::Hit { prepared, read } => {
                let kb = assemble(articles, problems, *prepared);
                stats.loaded = true;
                tracing::debug!(
                    "merged knowledge base read back from the index ({} entities, {} facts); read {read:?}, completed {:?}",
                    kb.entities.len(),
                    kb.facts.len(),
                    timer.elapsed()
                );
                return (kb, stats);
            }
            Found::Rejected => stats.rejected = true,
            // Resolved above.
            Found::Miss | Found::Off | Found::Reading { .. } | Found::Damaged(_) => {}
        }
        let kb = KnowledgeBase::build(articles, problems);
        let merged = timer.elapsed();
        if let Some(store) = store {
            stats.saved = store.save_merged(&key, &kb);
            tracing::debug!(
                "index {}: merged knowledge base built in {merged:?}, saved: {} in {:?}",
                store.path.display(),
                stats.saved,
                timer.elapsed() - merged
            );
        }
        (kb, stats)
    }
}

/// A knowledge base from stored parts made ready, once its alias automata are built.
pub(super) fn assemble(
    articles: Vec<Arc<ArticleData>>,
    problems: Vec<Problem>,
    prepared: Prepared,
) -> KnowledgeBase {
    let Prepared {
        parts,
        facts_by_entity,
        automata,
    } = prepared;
    let Merged {
        entities,
        aliases: _,
        facts,
        article_mentions,
        words,
        statements,
    } = *parts;
    KnowledgeBase {
        articles,
        entities,
        facts,
        facts_by_entity,
        problems,
        article_mentions,
        statement_index: Arc::new(statements),
        words: Arc::new(words),
        quote_cache: Default::default(),
        aliases: Arc::new(automata.join()),
    }
}

/// [`KnowledgeBase::build`], reusing the merged knowledge base stored in `store` when it was built from the
/// same articles (same content keys, same order) by the same version of the merge, and storing the result
/// of a merge otherwise. Without a store this is [`KnowledgeBase::build`]. [`MergePrefetch`] does the same
/// in two steps, so that reading the extractions and building the automata overlap.
pub fn merge_cached(
    articles: Vec<Arc<ArticleData>>,
    problems: Vec<Problem>,
    store: Option<&Store>,
) -> (KnowledgeBase, MergeStats) {
    let refs: Vec<&Article> = articles.iter().map(|d| &d.article).collect();
    let prefetch = MergePrefetch::new(store, &refs);
    drop(refs);
    prefetch.finish(articles, problems, store)
}

#[cfg(test)]
mod tests {
    use super::super::Coverage;
    use super::super::merged_wire::MERGE_VERSION;
    use super::super::tests::{Tmp, cached, corpus_dir, warnings};
    use super::*;
    use crate::corpus::{self, LoadOptions};
    use crate::kb::{CorpusMention, extract_all};
    use std::path::PathBuf;

    /// The extractions of the test corpus as a start has them (from the index).
    fn data(dir: &Tmp, store: &Store) -> Vec<Arc<ArticleData>> {
        cached(dir, Some(store), Coverage::Complete).0
    }

    /// Whether the index holds the merged knowledge base of these extractions.
    fn stored(store: &Store, data: &[Arc<ArticleData>]) -> bool {
        let refs: Vec<&Article> = data.iter().map(|d| &d.article).collect();
        MergePrefetch::new(Some(store), &refs).is_hit()
    }

    /// A merge of the test corpus extracted afresh, with no index at all.
    fn fresh(dir: &Tmp) -> KnowledgeBase {
        let roots = vec![dir.0.join("corpus")];
        let c = corpus::load(&roots, &LoadOptions::default(), &|_, _| {}).expect("load");
        KnowledgeBase::build(extract_all(c.articles, &|_, _| {}), Vec::new())
    }

    /// Every part of two knowledge bases, the automata by what they find in every sentence.
    fn assert_same(a: &KnowledgeBase, b: &KnowledgeBase) {
        assert_eq!(a.articles.len(), b.articles.len());
        assert_eq!(a.entities, b.entities);
        assert_eq!(a.facts, b.facts);
        assert_eq!(a.facts_by_entity, b.facts_by_entity);
        assert_eq!(a.article_mentions, b.article_mentions);
        assert_eq!(a.aliases.aliases(), b.aliases.aliases());
        assert_eq!(a.statement_index, b.statement_index);
        assert_eq!(a.words, b.words);
        for (x, y) in a.articles.iter().zip(&b.articles) {
            assert_eq!(x.article, y.article);
            for s in &x.sentences {
                assert_eq!(
                    a.find_mentions(x.text(), s.range.clone()),
                    b.find_mentions(y.text(), s.range.clone())
                );
            }
        }
    }

    const BUILT: MergeStats = MergeStats {
        loaded: false,
        rejected: false,
        saved: true,
    };
    const LOADED: MergeStats = MergeStats {
        loaded: true,
        rejected: false,
        saved: false,
    };
    const REJECTED: MergeStats = MergeStats {
        loaded: false,
        rejected: true,
        saved: true,
    };

    #[test]
    fn a_second_start_reads_the_merged_knowledge_base_back_instead_of_merging() {
        let dir = corpus_dir();
        let path = dir.0.join("index.sqlite");
        let want = fresh(&dir);
        assert!(!want.entities.is_empty() && !want.facts.is_empty());
        let store = Store::open(&path).expect("store");
        let (first, s) = merge_cached(data(&dir, &store), Vec::new(), Some(&store));
        assert_eq!(s, BUILT);
        assert_same(&first, &want);
        assert!(stored(&store, &first.articles));
        drop(store);
        let store = Store::open(&path).expect("store again");
        let ((second, s), warned) =
            warnings(|| merge_cached(data(&dir, &store), Vec::new(), Some(&store)));
        assert_eq!(s, LOADED);
        assert!(warned.is_empty(), "{warned}");
        assert_same(&second, &want);
        // Without an index: a merge, nothing stored.
        let (third, s) = merge_cached(data(&dir, &store), Vec::new(), None);
        assert_eq!(s, MergeStats::default());
        assert_same(&third, &want);
    }

    #[test]
    fn a_changed_added_or_removed_article_merges_again() {
        let dir = corpus_dir();
        let store = Store::open(&dir.0.join("index.sqlite")).expect("store");
        merge_cached(data(&dir, &store), Vec::new(), Some(&store));
        let changes: [(&str, &dyn Fn()); 3] = [
            ("changed", &|| {
                dir.write(
                    "corpus/b/visit.txt",
                    "Prime Minister Fumio Kishida will make a state visit to Washington on April 11.\n",
                );
            }),
            ("added", &|| {
                dir.write(
                    "corpus/c/new.txt",
                    "President Joe Biden met Prime Minister Fumio Kishida in Tokyo on May 3, 2024.\n",
                );
            }),
            ("removed", &|| {
                std::fs::remove_file(dir.0.join("corpus/a/ruto.txt")).expect("rm");
            }),
        ];
        for (what, change) in changes {
            change();
            let d = data(&dir, &store);
            assert!(!stored(&store, &d), "{what}: still the stored one");
            let (kb, s) = merge_cached(d, Vec::new(), Some(&store));
            assert_eq!(s, BUILT, "{what}");
            assert_same(&kb, &fresh(&dir));
            let (kb, s) = merge_cached(data(&dir, &store), Vec::new(), Some(&store));
            assert_eq!(s, LOADED, "{what}");
            assert_same(&kb, &fresh(&dir));
        }
        // The order of the articles is part of the key (an article's index is its position).
        let mut d = data(&dir, &store);
        d.reverse();
        assert!(!stored(&store, &d));
    }

    /// Replace the stored merged row's data (and its checksum, when `sum` is given).
    fn put_data(store: &Store, data: &[u8], sum: Option<i64>) {
        let conn = store.lock();
        conn.execute(
            "UPDATE merged SET data = ?1, sum = coalesce(?2, sum) WHERE id = 1",
            params![data, sum],
        )
        .expect("update");
    }

    #[test]
    fn a_damaged_merged_row_is_merged_again_with_a_warning() {
        let dir = corpus_dir();
        let want = fresh(&dir);
        let store = Store::open(&dir.0.join("index.sqlite")).expect("store");
        let (mut kb, _) = merge_cached(data(&dir, &store), Vec::new(), Some(&store));
        let good = merged_wire::encode(&kb);
        // Parts that decode but do not fit the articles: a mention of an entity that does not exist, a range
        // past the end of an article's text.
        kb.article_mentions[0].push(CorpusMention {
            start: 0,
            end: 1,
            entity: u32::MAX,
        });
        let unknown_entity = merged_wire::encode(&kb);
        kb.article_mentions[0].pop();
        kb.article_mentions[0].push(CorpusMention {
            start: 0,
            end: 1 << 30,
            entity: 0,
        });
        let past_the_end = merged_wire::encode(&kb);
        let junk = vec![0xffu8, 0x01, 0x02];
        // Parts whose lengths do not add up to the record: the first one said a byte longer.
        let mut misframed = good.clone();
        misframed[0] = misframed[0].wrapping_add(1);
        let cases: [(&str, &[u8], Option<i64>, &str); 6] = [
            ("cut", &good[..good.len() - 1], None, "checksum"),
            ("empty", &[], None, "checksum"),
            (
                "junk",
                &junk,
                Some(xxh3_64(&junk) as i64),
                "does not read back",
            ),
            (
                "misframed",
                &misframed,
                Some(xxh3_64(&misframed) as i64),
                "does not read back",
            ),
            (
                "unknown entity",
                &unknown_entity,
                Some(xxh3_64(&unknown_entity) as i64),
                "does not fit the articles",
            ),
            (
                "past the end",
                &past_the_end,
                Some(xxh3_64(&past_the_end) as i64),
                "does not fit the articles",
            ),
        ];
        for (what, bytes, sum, reason) in cases {
            put_data(&store, bytes, sum);
            let ((kb, s), warned) =
                warnings(|| merge_cached(data(&dir, &store), Vec::new(), Some(&store)));
            assert_eq!(s, REJECTED, "{what}");
            assert!(warned.contains(reason), "{what}: {warned}");
            assert!(warned.contains("merging again"), "{what}: {warned}");
            assert_same(&kb, &want);
            // Overwritten: the next start reads it back.
            let (kb, s) = merge_cached(data(&dir, &store), Vec::new(), Some(&store));
            assert_eq!(s, LOADED, "{what}");
            assert_same(&kb, &want);
        }
    }

    #[test]
    fn a_merged_row_of_another_version_is_merged_again_with_a_warning() {
        let dir = corpus_dir();
        let want = fresh(&dir);
        let store = Store::open(&dir.0.join("index.sqlite")).expect("store");
        merge_cached(data(&dir, &store), Vec::new(), Some(&store));
        let other = merge_version().replace(&format!("merge {MERGE_VERSION}"), "merge 0");
        assert_ne!(other, merge_version());
        store
            .lock()
            .execute("UPDATE merged SET version = ?1", params![other])
            .expect("version");
        assert!(!stored(&store, &data(&dir, &store)));
        let ((kb, s), warned) =
            warnings(|| merge_cached(data(&dir, &store), Vec::new(), Some(&store)));
        assert_eq!(s, REJECTED);
        assert!(warned.contains("another version (merge 0"), "{warned}");
        assert_same(&kb, &want);
        let (kb, s) = merge_cached(data(&dir, &store), Vec::new(), Some(&store));
        assert_eq!(s, LOADED);
        assert_same(&kb, &want);
    }

    /// [`merge_cached`] with the merged knowledge base read ahead, before the articles are loaded.
    fn merge_ahead(dir: &Tmp, store: &Arc<Store>) -> (KnowledgeBase, MergeStats) {
        let ahead = MergeAhead::start(Some(store));
        let articles = data(dir, store);
        let refs: Vec<&Article> = articles.iter().map(|d| &d.article).collect();
        let prefetch = MergePrefetch::after(ahead, Some(store), &refs);
        drop(refs);
        prefetch.finish(articles, Vec::new(), Some(store))
    }

    #[test]
    fn a_merged_knowledge_base_read_ahead_is_used_only_for_the_articles_it_is_of() {
        let dir = corpus_dir();
        let want = fresh(&dir);
        let store = Arc::new(Store::open(&dir.0.join("index.sqlite")).expect("store"));
        // Nothing stored yet: a merge.
        let (kb, s) = merge_ahead(&dir, &store);
        assert_eq!(s, BUILT);
        assert_same(&kb, &want);
        let ((kb, s), warned) = warnings(|| merge_ahead(&dir, &store));
        assert_eq!(s, LOADED);
        assert!(warned.is_empty(), "{warned}");
        assert_same(&kb, &want);
        // Read ahead, then the corpus changes before it is loaded: the stored one is of other articles.
        let ahead = MergeAhead::start(Some(&store));
        dir.write(
            "corpus/b/visit.txt",
            "Prime Minister Fumio Kishida will make a state visit to Washington on April 11.\n",
        );
        let articles = data(&dir, &store);
        let refs: Vec<&Article> = articles.iter().map(|d| &d.article).collect();
        let prefetch = MergePrefetch::after(ahead, Some(&store), &refs);
        drop(refs);
        assert!(!prefetch.is_likely_hit());
        let (kb, s) = prefetch.finish(articles, Vec::new(), Some(&store));
        assert_eq!(s, BUILT);
        assert_same(&kb, &fresh(&dir));
        // Damaged bytes read ahead are rejected with a warning, as when read after: the key, read before
        // anything is decoded, said they were these articles' (the extractions are read from the rows).
        put_data(&store, b"junk", None);
        let ((kb, s), warned) = warnings(|| {
            let ahead = MergeAhead::start(Some(&store));
            let articles = data(&dir, &store);
            let refs: Vec<&Article> = articles.iter().map(|d| &d.article).collect();
            let prefetch = MergePrefetch::after(ahead, Some(&store), &refs);
            drop(refs);
            assert!(prefetch.is_likely_hit());
            prefetch.finish(articles, Vec::new(), Some(&store))
        });
        assert_eq!(s, REJECTED);
        assert!(warned.contains("checksum"), "{warned}");
        assert_same(&kb, &fresh(&dir));
    }

    #[test]
    fn making_a_stored_merge_ready_gives_up_once_it_is_no_longer_wanted() {
        let dir = corpus_dir();
        let kb = fresh(&dir);
        let data = merged_wire::encode(&kb);
        let sum = xxh3_64(&data) as i64;
        assert!(prepare(sum, &data, &AtomicBool::new(false)).is_ok());
        let Err(why) = prepare(sum, &data, &AtomicBool::new(true)) else {
            panic!("made ready after being told to stop");
        };
        assert_eq!(why, "no longer wanted");
    }

    #[test]
    fn the_empty_knowledge_base_is_what_a_merge_of_nothing_makes() {
        assert_same(
            &KnowledgeBase::empty(),
            &KnowledgeBase::build(Vec::new(), Vec::new()),
        );
    }

    #[test]
    fn every_merged_knowledge_base_of_the_fixture_corpora_reads_back_the_same() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        for corpus in ["corpus", "wikinews", "dates"] {
            let c = corpus::load(&[root.join(corpus)], &LoadOptions::default(), &|_, _| {})
                .expect("load");
            let kb = KnowledgeBase::build(extract_all(c.articles, &|_, _| {}), Vec::new());
            let data = merged_wire::encode(&kb);
            let prepared =
                prepare(xxh3_64(&data) as i64, &data, &AtomicBool::new(false)).expect("decodes");
            let texts: Vec<usize> = kb.articles.iter().map(|a| a.text().len()).collect();
            assert_eq!(prepared.parts.check_ranges(&texts), Ok(()), "{corpus}");
            let back = assemble(kb.articles.clone(), Vec::new(), prepared);
            assert_same(&back, &kb);
            if corpus == "corpus" {
                assert!(
                    kb.facts
                        .iter()
                        .any(|f| f.date.as_ref().is_some_and(|d| d.derived_from.is_some())),
                    "a relative date resolved against another event"
                );
            }
        }
    }
}
