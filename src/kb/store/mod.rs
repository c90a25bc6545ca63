//! The persistent index of per-article extractions: an SQLite database (one per workspace, in the cache
//! folder) holding, for each article, what [`ArticleData::extract`] yields apart from the article itself,
//! keyed by the article's path relative to its corpus root and validated by a content key.
//!
//! A start reuses the stored extraction of every unchanged article and extracts only the others
//! ([`extract_cached`]). The index is a cache and is never trusted: a row whose content key differs (the text,
//! the metadata extraction reads, the extractor version or the crate version changed) is extracted again and
//! overwritten; a row that does not read back is extracted again; a database of another schema version, of
//! another program, or corrupt is deleted and rebuilt; a cache folder that cannot be written means working
//! without an index. None of this ever fails a load.
//!
//! The same database holds the last merged knowledge base of the whole corpus, read back instead of merging
//! when no article changed ([`merge_cached`]).
//!
//! # Modules
//! - `wire`: the stored form of an extraction (postcard) and the content key (xxh3-128);
//! - `merged_wire`: the stored form of a merged knowledge base and its key;
//! - `merged`: reading and writing it, [`MergePrefetch`], [`merge_cached`];
//! - `deferred`: extractions read from the index only when first needed (a start that reads the merged
//!   knowledge base back);
//! - `location`: the cache folder and the database's name;
//! - this file: [`Store`] (the database) and [`extract_cached`].

mod deferred;
mod last;
mod location;
mod merged;
mod merged_wire;
mod wire;

pub use deferred::deferred_again;
pub use last::{Last, LastKnown};
pub use location::{CACHE_DIR_ENV, index_name, index_path};
pub use merged::{MergeAhead, MergePrefetch, MergeStats, merge_cached};
pub use merged_wire::{MERGE_VERSION, MergeKey};
pub use wire::EXTRACTOR_VERSION;

use super::ArticleData;
use super::article::{extract_all, par_map};
use crate::corpus::{Article, FileRecord};
use rusqlite::{Connection, ErrorCode, OpenFlags, params};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use xxhash_rust::xxh3::xxh3_64;

/// The layout of the database; bump when the tables or the page size change. A database of another version is
/// rebuilt. Version 4: 64 KiB pages ([`PAGE_SIZE`]); 5: the merged knowledge base's articles' hot parts; 6:
/// the listing of its articles.
pub const SCHEMA_VERSION: i32 = 6;
/// Marks a database as Dossier's index (`PRAGMA application_id`, "DSSR").
const APPLICATION_ID: i32 = 0x4453_5352;
/// Articles read and decoded at a time (bounds the memory the stored bytes take).
const READ_CHUNK: usize = 1024;
/// The page size of a new database: the largest SQLite allows. Most rows are blobs of a few kilobytes to
/// megabytes, read whole; with 4 KiB pages a warm start made 60,000 `pread` calls for them (a warm check of
/// the White House corpus: 1.29-1.38 s, 0.9 s of it in the kernel; with 64 KiB pages 0.75-0.81 s). A memory
/// map was about as fast but counted the mapped file in the process's memory (310 to 370 MB).
const PAGE_SIZE: usize = 65536;

const SCHEMA: &str = "
CREATE TABLE extraction (
    root BLOB NOT NULL,      -- the corpus folder, canonical
    rel BLOB NOT NULL,       -- the article's path relative to it
    key BLOB NOT NULL,       -- the content key (wire::content_key)
    sum INTEGER NOT NULL,    -- xxh3-64 of data, checked before decoding
    data BLOB NOT NULL,      -- the extraction (wire::encode)
    PRIMARY KEY (root, rel)
);
CREATE TABLE file (
    root BLOB NOT NULL,      -- the corpus folder, canonical
    rel BLOB NOT NULL,       -- the article's path relative to it
    record BLOB NOT NULL,    -- its identity and layout (corpus::FileRecord::encode)
    PRIMARY KEY (root, rel)
);
CREATE TABLE merged (
    id INTEGER PRIMARY KEY CHECK (id = 1),  -- one merged knowledge base: the whole corpus's
    version TEXT NOT NULL,   -- the merge's version (merged_wire::merge_version)
    key BLOB NOT NULL,       -- the articles it was built from (merged_wire::MergeKey)
    sum INTEGER NOT NULL,    -- xxh3-64 of data, checked before decoding
    data BLOB NOT NULL       -- the merged parts (merged_wire::encode)
);
CREATE TABLE hot (
    id INTEGER PRIMARY KEY CHECK (id = 1),  -- of the merged knowledge base, written with it
    sum INTEGER NOT NULL,    -- xxh3-64 of data
    data BLOB NOT NULL       -- its articles' dated clauses and sketches (wire::encode_hot)
);
CREATE TABLE listing (
    id INTEGER PRIMARY KEY CHECK (id = 1),  -- of the merged knowledge base, written with it
    sum INTEGER NOT NULL,    -- xxh3-64 of data
    data BLOB NOT NULL       -- its articles and problems as the load found them (corpus::encode_listing)
);";

/// An index that cannot be used at all (the cache folder cannot be made or written).
#[derive(Debug)]
pub enum StoreError {
    Io(PathBuf, std::io::Error),
    Sqlite(PathBuf, rusqlite::Error),
    ReadOnly(PathBuf),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Io(p, e) => write!(f, "{}: {e}", p.display()),
            StoreError::Sqlite(p, e) => write!(f, "{}: {e}", p.display()),
            StoreError::ReadOnly(p) => write!(f, "{}: cannot be written", p.display()),
        }
    }
}

impl std::error::Error for StoreError {}

/// Why an existing database file is not used as it is.
enum Invalid {
    /// Cannot be opened or written at all: work without an index.
    Unusable(StoreError),
    /// Not a database, another program's, another version, or corrupt: delete and rebuild.
    Rebuild(String),
}

/// What one [`extract_cached`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Articles whose stored extraction was used.
    pub reused: usize,
    /// Articles extracted (not stored, changed, or stored but unreadable).
    pub extracted: usize,
    /// Stored rows that did not read back (and were extracted again).
    pub unreadable: usize,
    /// Rows written.
    pub written: usize,
    /// Rows of articles that no longer exist, deleted.
    pub removed: usize,
    /// Of those reused, the articles whose stored extraction is read only when first needed (see
    /// [`MergePrefetch::extractions`]).
    pub deferred: usize,
}

/// Whether the articles given to [`extract_cached`] are the whole corpus (rows of other paths are then
/// deleted) or only some of it (a refresh, a batch).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coverage {
    Complete,
    Partial,
}

/// The index database of one workspace.
pub struct Store {
    path: PathBuf,
    conn: Mutex<Connection>,
    /// A read-only connection for extractions read when first needed (see `deferred`), opened then.
    reader: Mutex<Option<Connection>>,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

fn sqlite_code(e: &rusqlite::Error) -> Option<ErrorCode> {
    match e {
        rusqlite::Error::SqliteFailure(f, _) => Some(f.code),
        _ => None,
    }
}

/// Errors that mean the file itself is bad (not a database, corrupt, not of our layout), rather than the
/// folder unwritable, the disk full or the database busy.
fn is_corruption(e: &rusqlite::Error) -> bool {
    match sqlite_code(e) {
        Some(c) => matches!(
            c,
            ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt | ErrorCode::Unknown
        ),
        // A value of another type than the layout says.
        None => true,
    }
}

/// Open the database at `path` as it is: a new file gets the schema; an existing one must be Dossier's, of
/// this schema version.
///
/// No `PRAGMA quick_check`: it reads every page, 36–39 ms at every start for the White House corpus's 180 MB
/// index (of a warm check's 0.6 s). Damage is found where it matters without it: SQLite reports a malformed
/// page when a read reaches one, and such an error rebuilds the index ([`Store::failed`]); every stored
/// extraction, merge, listing and hot part carries a checksum that is verified when it is read; a file record
/// that read back wrong would only fail to match its file, which is then read.
fn connect(path: &Path) -> Result<Connection, Invalid> {
    let unusable =
        |e: rusqlite::Error| Invalid::Unusable(StoreError::Sqlite(path.to_path_buf(), e));
    let classify = |e: rusqlite::Error| {
        if is_corruption(&e) {
            Invalid::Rebuild(e.to_string())
        } else {
            unusable(e)
        }
    };
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(unusable)?;
    conn.busy_timeout(Duration::from_secs(10))
        .map_err(unusable)?;
    if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true) {
        return Err(Invalid::Unusable(StoreError::ReadOnly(path.to_path_buf())));
    }
    let pragma = |name: &str| -> Result<i32, Invalid> {
        conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
            .map_err(classify)
    };
    let app = pragma("application_id")?;
    let version = pragma("user_version")?;
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
        .map_err(classify)?;
    if app == 0 && version == 0 && tables == 0 {
        conn.execute_batch(&format!(
            "PRAGMA page_size = {PAGE_SIZE};
             BEGIN;
             {SCHEMA}
             PRAGMA application_id = {APPLICATION_ID};
             PRAGMA user_version = {SCHEMA_VERSION};
             COMMIT;"
        ))
        .map_err(classify)?;
    } else if app != APPLICATION_ID {
        return Err(Invalid::Rebuild(
            "not a Dossier index (another program's database)".to_string(),
        ));
    } else if version != SCHEMA_VERSION {
        return Err(Invalid::Rebuild(format!(
            "schema version {version}, expected {SCHEMA_VERSION}"
        )));
    }
    // A rollback journal, not WAL: the index is written in one transaction per load and read far more,
    // and reads measured faster so (no write-ahead log to consult); it also leaves no -wal/-shm files.
    conn.execute_batch("PRAGMA journal_mode = DELETE; PRAGMA synchronous = NORMAL;")
        .map_err(classify)?;
    Ok(conn)
}

/// Remove the database and its WAL and shared-memory files.
fn remove_files(path: &Path) -> std::io::Result<()> {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        match std::fs::remove_file(PathBuf::from(p)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    Ok(())
}

/// Deletes the file records of paths that have no extraction row.
const PRUNE_FILES: &str = "DELETE FROM file WHERE NOT EXISTS \
     (SELECT 1 FROM extraction e WHERE e.root = file.root AND e.rel = file.rel)";

/// A row's identity: the canonical corpus root and the path relative to it, as bytes.
type RowKey = (Vec<u8>, Vec<u8>);

impl Store {
    /// Open the index at `path`, making its folder if needed. A file that is not a usable index of this
    /// version (not a database, another program's, another schema version, corrupt) is deleted and rebuilt,
    /// with a warning. An error means there can be no index here (the folder cannot be made or written).
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Io(dir.to_path_buf(), e))?;
        }
        let conn = match connect(path) {
            Ok(c) => c,
            Err(Invalid::Unusable(e)) => return Err(e),
            Err(Invalid::Rebuild(why)) => {
                tracing::warn!(
                    "the index {} cannot be used ({why}); rebuilding it",
                    path.display()
                );
                remove_files(path).map_err(|e| StoreError::Io(path.to_path_buf(), e))?;
                match connect(path) {
                    Ok(c) => c,
                    Err(Invalid::Unusable(e)) => return Err(e),
                    Err(Invalid::Rebuild(why)) => {
                        return Err(StoreError::Io(
                            path.to_path_buf(),
                            std::io::Error::other(why),
                        ));
                    }
                }
            }
        };
        Ok(Store {
            path: path.to_path_buf(),
            conn: Mutex::new(conn),
            reader: Mutex::new(None),
        })
    }

    /// [`Store::open`], or `None` with one warning: the caller works without an index.
    pub fn open_or_warn(path: &Path) -> Option<Store> {
        match Store::open(path) {
            Ok(s) => Some(s),
            Err(e) => {
                tracing::warn!("cannot use the index ({e}); working without it");
                None
            }
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Number of stored extractions, `None` when they cannot be counted.
    fn rows(&self) -> Option<usize> {
        self.lock()
            .query_row("SELECT count(*) FROM extraction", [], |r| {
                r.get::<_, i64>(0)
            })
            .ok()
            .and_then(|n| usize::try_from(n).ok())
    }

    /// Number of stored extractions.
    pub fn len(&self) -> usize {
        self.lock()
            .query_row("SELECT count(*) FROM extraction", [], |r| {
                r.get::<_, i64>(0)
            })
            .map_or(0, |n| n as usize)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// After an error: a corrupt database is deleted and made anew (its rows are lost; the next load fills
    /// it), anything else is logged.
    fn failed(&self, conn: &mut Connection, what: &str, e: &rusqlite::Error) {
        if !is_corruption(e) {
            tracing::warn!("index {}: {what} failed: {e}", self.path.display());
            return;
        }
        tracing::warn!(
            "the index {} is corrupt ({what}: {e}); rebuilding it",
            self.path.display()
        );
        // Close the connection before deleting its files.
        let placeholder = match Connection::open_in_memory() {
            Ok(c) => c,
            Err(_) => return,
        };
        drop(std::mem::replace(conn, placeholder));
        if let Err(e) = remove_files(&self.path) {
            tracing::warn!("cannot delete the index {}: {e}", self.path.display());
        }
        match connect(&self.path) {
            Ok(c) => *conn = c,
            Err(_) => tracing::warn!(
                "cannot rebuild the index {}; working without it",
                self.path.display()
            ),
        }
    }

    /// The stored bytes of each article whose row exists with the same content key.
    fn read(
        conn: &Connection,
        keys: &[Option<RowKey>],
        content: &[[u8; 16]],
    ) -> rusqlite::Result<Vec<Option<Vec<u8>>>> {
        let mut stmt =
            conn.prepare("SELECT key, sum, data FROM extraction WHERE root = ?1 AND rel = ?2")?;
        let mut out = Vec::with_capacity(keys.len());
        for (k, c) in keys.iter().zip(content) {
            let Some((root, rel)) = k else {
                out.push(None);
                continue;
            };
            let mut rows = stmt.query(params![root, rel])?;
            let hit = match rows.next()? {
                Some(row) => {
                    let key: Vec<u8> = row.get(0)?;
                    if key.as_slice() == c.as_slice() {
                        let sum: i64 = row.get(1)?;
                        let data: Vec<u8> = row.get(2)?;
                        // A blob damaged on disk reads as empty: a miss, counted as unreadable.
                        Some(if xxh3_64(&data) as i64 == sum {
                            data
                        } else {
                            Vec::new()
                        })
                    } else {
                        None
                    }
                }
                None => None,
            };
            out.push(hit);
        }
        Ok(out)
    }

    /// Store extractions and, for a complete corpus, delete the rows of every other path: one transaction.
    /// Extractions are encoded a chunk at a time (in parallel), so their bytes never all sit in memory.
    fn write(
        &self,
        rows: &[(&RowKey, [u8; 16], &ArticleData)],
        keep: Option<&HashSet<&RowKey>>,
    ) -> (usize, usize) {
        let mut conn = self.lock();
        self.write_locked(&mut conn, rows, keep)
    }

    /// [`Store::write`] of `rows` alone, unless the database is in use by this process: then nothing is written
    /// (the next start extracts them again). For a write made while reading a part of an extraction, which may
    /// happen while the one using the database waits for that part.
    pub(super) fn write_if_free(&self, rows: &[(&RowKey, [u8; 16], &ArticleData)]) -> bool {
        let mut conn = match self.conn.try_lock() {
            Ok(c) => c,
            Err(std::sync::TryLockError::Poisoned(e)) => e.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => return false,
        };
        self.write_locked(&mut conn, rows, None);
        true
    }

    fn write_locked(
        &self,
        conn: &mut Connection,
        rows: &[(&RowKey, [u8; 16], &ArticleData)],
        keep: Option<&HashSet<&RowKey>>,
    ) -> (usize, usize) {
        let result = (|| -> rusqlite::Result<(usize, usize)> {
            let tx = conn.transaction()?;
            {
                let mut put = tx.prepare(
                    "INSERT OR REPLACE INTO extraction (root, rel, key, sum, data) VALUES (?1, ?2, ?3, ?4, ?5)",
                )?;
                for chunk in rows.chunks(READ_CHUNK) {
                    let blobs = par_map(chunk, |(_, _, d)| wire::encode(d));
                    for (((root, rel), key, _), data) in chunk.iter().zip(&blobs) {
                        put.execute(params![root, rel, &key[..], xxh3_64(data) as i64, data])?;
                    }
                }
            }
            let mut removed = 0;
            if let Some(keep) = keep {
                let gone: Vec<i64> = {
                    let mut all = tx.prepare("SELECT rowid, root, rel FROM extraction")?;
                    let rows = all.query_map([], |r| {
                        Ok((
                            r.get::<_, i64>(0)?,
                            (r.get::<_, Vec<u8>>(1)?, r.get::<_, Vec<u8>>(2)?),
                        ))
                    })?;
                    let mut gone = Vec::new();
                    for row in rows {
                        let (id, key) = row?;
                        if !keep.contains(&key) {
                            gone.push(id);
                        }
                    }
                    gone
                };
                let mut del = tx.prepare("DELETE FROM extraction WHERE rowid = ?1")?;
                for id in &gone {
                    removed += del.execute([id])?;
                }
                // The records of files no longer in the corpus go with their rows.
                tx.execute(PRUNE_FILES, [])?;
            }
            tx.commit()?;
            Ok((rows.len(), removed))
        })();
        match result {
            Ok(done) => done,
            Err(e) => {
                self.failed(conn, "writing", &e);
                (0, 0)
            }
        }
    }

    /// What earlier loads recorded of the files of `roots` (see [`crate::corpus::load_with`]), by path as a
    /// load finds them (root joined with the path relative to it). Records that do not read back are left out
    /// (those files are read). Nothing when the index cannot be read.
    pub fn file_records(&self, roots: &[PathBuf]) -> HashMap<PathBuf, FileRecord> {
        let canon = canonical_roots(roots);
        let mut conn = self.lock();
        let read = (|| -> rusqlite::Result<HashMap<PathBuf, FileRecord>> {
            let mut out = HashMap::new();
            let mut stmt = conn.prepare("SELECT rel, record FROM file WHERE root = ?1")?;
            for (root, c) in roots.iter().zip(&canon) {
                let rows = stmt.query_map(params![c], |r| {
                    Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, Vec<u8>>(1)?))
                })?;
                for row in rows {
                    let (rel, record) = row?;
                    let rel = PathBuf::from(os_string_of(rel));
                    let path = root.join(&rel);
                    // A path under an earlier root belongs to that root's rows (the first root holding it).
                    if out.contains_key(&path) {
                        continue;
                    }
                    if let Some(r) = FileRecord::decode(&record) {
                        out.insert(path, r);
                    }
                }
            }
            Ok(out)
        })();
        match read {
            Ok(out) => out,
            Err(e) => {
                self.failed(&mut conn, "reading file records", &e);
                HashMap::new()
            }
        }
    }

    /// Record what a load learned of these files (paths as the load found them), replacing earlier records.
    pub fn save_file_records(&self, roots: &[PathBuf], records: &[(PathBuf, FileRecord)]) -> usize {
        if records.is_empty() {
            return 0;
        }
        let canon = canonical_roots(roots);
        let mut conn = self.lock();
        let result = (|| -> rusqlite::Result<usize> {
            let tx = conn.transaction()?;
            let mut n = 0;
            {
                let mut put = tx.prepare(
                    "INSERT OR REPLACE INTO file (root, rel, record) VALUES (?1, ?2, ?3)",
                )?;
                for (path, record) in records {
                    if let Some((root, rel)) = row_key(roots, &canon, path) {
                        n += put.execute(params![root, rel, record.encode()])?;
                    }
                }
            }
            tx.commit()?;
            Ok(n)
        })();
        match result {
            Ok(n) => n,
            Err(e) => {
                self.failed(&mut conn, "writing file records", &e);
                0
            }
        }
    }

    /// Delete the rows of every article of `roots` not among `paths` (after a load made in parts).
    pub fn prune<'a>(&self, roots: &[PathBuf], paths: impl IntoIterator<Item = &'a Path>) -> usize {
        let canon = canonical_roots(roots);
        let keys: Vec<RowKey> = paths
            .into_iter()
            .filter_map(|p| row_key(roots, &canon, p))
            .collect();
        let keep: HashSet<&RowKey> = keys.iter().collect();
        self.write(&[], Some(&keep)).1
    }
}

fn canonical_roots(roots: &[PathBuf]) -> Vec<Vec<u8>> {
    roots
        .iter()
        .map(|r| {
            std::fs::canonicalize(r)
                .unwrap_or_else(|_| r.clone())
                .into_os_string()
                .into_encoded_bytes()
        })
        .collect()
}

/// A path relative to a root, from the bytes a row holds it as.
fn os_string_of(bytes: Vec<u8>) -> std::ffi::OsString {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        std::ffi::OsString::from_vec(bytes)
    }
    #[cfg(not(unix))]
    {
        std::ffi::OsString::from(String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// The row of an article: its first root and its path relative to it; `None` outside every root.
fn row_key(roots: &[PathBuf], canon: &[Vec<u8>], path: &Path) -> Option<RowKey> {
    roots.iter().zip(canon).find_map(|(r, c)| {
        let rel = path.strip_prefix(r).ok()?;
        (!rel.as_os_str().is_empty())
            .then(|| (c.clone(), rel.as_os_str().as_encoded_bytes().to_vec()))
    })
}

/// [`ArticleData::extract`] over `articles` (kept in order), reusing the stored extraction of every article
/// whose content key matches its row in `store`, extracting the others in parallel and storing them. With
/// [`Coverage::Complete`], rows of paths not among `articles` are deleted. Without a store this is
/// [`extract_all`]. `roots` are the corpus folders the articles' paths start with.
pub fn extract_cached(
    articles: Vec<Article>,
    store: Option<&Store>,
    roots: &[PathBuf],
    coverage: Coverage,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> (Vec<Arc<ArticleData>>, CacheStats) {
    let total = articles.len();
    let Some(store) = store else {
        let data = extract_all(articles, progress);
        let stats = CacheStats {
            extracted: total,
            ..CacheStats::default()
        };
        return (data, stats);
    };
    let timer = std::time::Instant::now();
    let canon = canonical_roots(roots);
    let keys: Vec<Option<RowKey>> = articles
        .iter()
        .map(|a| row_key(roots, &canon, &a.path))
        .collect();
    let content: Vec<[u8; 16]> = par_map(&articles, wire::content_key);

    // Look up and decode, a chunk at a time, in one read transaction.
    let mut stats = CacheStats::default();
    let mut found: Vec<Option<wire::Stored>> = Vec::with_capacity(total);
    {
        let mut conn = store.lock();
        let read = (|| -> rusqlite::Result<()> {
            let tx = conn.transaction()?;
            for (k, c) in keys.chunks(READ_CHUNK).zip(content.chunks(READ_CHUNK)) {
                let blobs = Store::read(&tx, k, c)?;
                let decoded = par_map(&blobs, |b| b.as_deref().map(wire::decode));
                for d in decoded {
                    found.push(match d {
                        Some(Some(s)) => Some(s),
                        Some(None) => {
                            stats.unreadable += 1;
                            None
                        }
                        None => None,
                    });
                }
                progress(found.len().min(total), total);
            }
            tx.commit()
        })();
        if let Err(e) = read {
            store.failed(&mut conn, "reading", &e);
            found.clear();
            stats.unreadable = 0;
        }
    }
    found.resize_with(total, || None);
    if stats.unreadable > 0 {
        tracing::warn!(
            "{} rows of the index {} did not read back; extracting those articles again",
            stats.unreadable,
            store.path.display()
        );
    }

    // Assemble the hits; extract the misses.
    let mut out: Vec<Option<Arc<ArticleData>>> = Vec::with_capacity(total);
    let mut misses: Vec<(usize, Article)> = Vec::new();
    for (i, (a, f)) in articles.into_iter().zip(found).enumerate() {
        match f {
            Some(s) => out.push(Some(Arc::new(s.into_data(a)))),
            None => {
                out.push(None);
                misses.push((i, a));
            }
        }
    }
    stats.reused = total - misses.len();
    stats.extracted = misses.len();
    let read_time = timer.elapsed();
    let reused = stats.reused;
    let (at, todo): (Vec<usize>, Vec<Article>) = misses.into_iter().unzip();
    let fresh = extract_all(todo, &|d, t| progress(reused + d, reused + t));
    let extract_time = timer.elapsed() - read_time;

    // Store the misses (and forget vanished paths) in one write transaction.
    let rows: Vec<(&RowKey, [u8; 16], &ArticleData)> = at
        .iter()
        .zip(&fresh)
        .filter_map(|(&i, d)| Some((keys[i].as_ref()?, content[i], d.as_ref())))
        .collect();
    let keep: Option<HashSet<&RowKey>> =
        (coverage == Coverage::Complete).then(|| keys.iter().flatten().collect());
    let nothing_gone = || {
        keep.as_ref()
            .is_some_and(|k| store.rows() == Some(k.len()) && stats.extracted == 0)
    };
    if rows.is_empty() && nothing_gone() {
        // Every row was read back and there are no others (the usual warm start): no write transaction.
    } else if !rows.is_empty() || keep.is_some() {
        (stats.written, stats.removed) = store.write(&rows, keep.as_ref());
    }
    drop(rows);
    for (i, d) in at.into_iter().zip(fresh) {
        out[i] = Some(d);
    }
    tracing::debug!(
        "index {}: {} reused, {} extracted, {} written, {} removed ({} unreadable); read {:?}, extract {:?}, write {:?}",
        store.path.display(),
        stats.reused,
        stats.extracted,
        stats.written,
        stats.removed,
        stats.unreadable,
        read_time,
        extract_time,
        timer.elapsed() - read_time - extract_time
    );
    (out.into_iter().flatten().collect(), stats)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{self, LoadOptions};
    use crate::kb::KnowledgeBase;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A temporary folder, removed on drop.
    pub(super) struct Tmp(pub(super) PathBuf);

    impl Tmp {
        pub(super) fn new(tag: &str) -> Tmp {
            static N: AtomicUsize = AtomicUsize::new(0);
            let d = std::env::temp_dir().join(format!(
                "dossier-store-{tag}-{}-{}",
                std::process::id(),
                N.fetch_add(1, Ordering::Relaxed)
            ));
            let _ = std::fs::remove_dir_all(&d);
            std::fs::create_dir_all(&d).expect("mkdir");
            Tmp(d)
        }

        pub(super) fn write(&self, rel: &str, text: &str) -> PathBuf {
            let p = self.0.join(rel);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(&p, text).expect("write");
            p
        }
    }

    impl Drop for Tmp {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    pub(super) const ARTICLES: [(&str, &str); 4] = [
        (
            "a/ruto.txt",
            "Ruto calls Biden\n\nNairobi, November 7, 2024\n\nPresident William Ruto spoke with President Joe Biden on Wednesday. \
             \"We will work together,\" Ruto said.\n",
        ),
        (
            "a/accord.md",
            "---\ntitle: The accord\ndate: 2024-03-02\n---\nThe Paris Agreement was signed in 2015. Secretary Antony Blinken \
             travelled to Paris yesterday.\n",
        ),
        (
            "b/markets.txt",
            "The Dow Jones Industrial Average fell 2% on Monday, March 4, 2024, after Chrysler filed for bankruptcy.\n",
        ),
        (
            "b/visit.txt",
            "Prime Minister Fumio Kishida will make a state visit to Washington on April 10. The visit follows talks in Tokyo.\n",
        ),
    ];

    pub(super) fn corpus_dir() -> Tmp {
        let dir = Tmp::new("corpus");
        for (rel, text) in ARTICLES {
            dir.write(&format!("corpus/{rel}"), text);
        }
        dir
    }

    pub(super) fn load(dir: &Tmp) -> (Vec<PathBuf>, Vec<Article>) {
        let roots = vec![dir.0.join("corpus")];
        let c = corpus::load(&roots, &LoadOptions::default(), &|_, _| {}).expect("load");
        (roots, c.articles)
    }

    pub(super) fn cached(
        dir: &Tmp,
        store: Option<&Store>,
        coverage: Coverage,
    ) -> (Vec<Arc<ArticleData>>, CacheStats) {
        let (roots, articles) = load(dir);
        extract_cached(articles, store, &roots, coverage, &|_, _| {})
    }

    /// Every field of two extractions, article included.
    pub(super) fn assert_same(a: &[Arc<ArticleData>], b: &[Arc<ArticleData>]) {
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(b) {
            assert_eq!(x.article, y.article);
            assert_eq!(x.lines, y.lines);
            assert_eq!(x.sentences, y.sentences);
            assert_eq!(x.people, y.people);
            assert_eq!(x.things, y.things);
            assert_eq!(x.names, y.names);
            assert_eq!(x.dates, y.dates);
            assert_eq!(x.quotes, y.quotes);
            assert_eq!(x.statements, y.statements);
            assert_eq!(x.sketches, y.sketches);
        }
    }

    pub(super) fn fresh(dir: &Tmp) -> Vec<Arc<ArticleData>> {
        extract_all(load(dir).1, &|_, _| {})
    }

    /// Run `f`, returning what it logged at warning level or above on this thread.
    pub(super) fn warnings<R>(f: impl FnOnce() -> R) -> (R, String) {
        #[derive(Clone, Default)]
        struct Buf(Arc<Mutex<Vec<u8>>>);
        impl std::io::Write for Buf {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                self.0.lock().expect("buf").extend_from_slice(b);
                Ok(b.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let buf = Buf::default();
        let writer = buf.clone();
        let sub = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_max_level(tracing::Level::WARN)
            .with_ansi(false)
            .finish();
        let r = tracing::subscriber::with_default(sub, f);
        let text = String::from_utf8_lossy(&buf.0.lock().expect("buf")).into_owned();
        (r, text)
    }

    #[test]
    fn a_second_load_reuses_every_row() {
        let dir = corpus_dir();
        let store = Store::open(&dir.0.join("cache/index.sqlite")).expect("store");
        let (first, s1) = cached(&dir, Some(&store), Coverage::Complete);
        assert_eq!((s1.reused, s1.extracted, s1.written), (0, 4, 4), "{s1:?}");
        assert_same(&first, &fresh(&dir));
        drop(store);
        let store = Store::open(&dir.0.join("cache/index.sqlite")).expect("store again");
        let (second, s2) = cached(&dir, Some(&store), Coverage::Complete);
        assert_eq!(
            s2,
            CacheStats {
                reused: 4,
                ..CacheStats::default()
            }
        );
        // Every part but the dated clauses stays encoded until something asks for it.
        for d in &second {
            let parts = [
                format!("{:?}", d.lines),
                format!("{:?}", d.sentences),
                format!("{:?}", d.people),
                format!("{:?}", d.things),
                format!("{:?}", d.names),
                format!("{:?}", d.dates),
                format!("{:?}", d.quotes),
            ];
            assert!(parts.iter().all(|p| p == "<encoded>"), "{parts:?}");
        }
        assert_same(&second, &first);
    }

    #[test]
    fn file_records_read_back_by_path_and_go_with_their_articles() {
        let dir = corpus_dir();
        let store = Store::open(&dir.0.join("index.sqlite")).expect("store");
        std::thread::sleep(corpus::SETTLE + std::time::Duration::from_millis(100));
        let roots = vec![dir.0.join("corpus")];
        let (_, report) =
            corpus::load_with(&roots, &LoadOptions::default(), &HashMap::new(), &|_, _| {})
                .expect("load");
        assert_eq!(store.save_file_records(&roots, &report.records), 4);
        let want: HashMap<PathBuf, FileRecord> = report.records.into_iter().collect();
        assert_eq!(store.file_records(&roots), want);
        // A record that does not read back is left out: that file is read.
        store
            .lock()
            .execute(
                "UPDATE file SET record = x'ff01' WHERE rel = ?1",
                params![b"b/markets.txt".as_slice()],
            )
            .expect("damage");
        assert_eq!(store.file_records(&roots).len(), 3);
        // A removed article's record goes with its row when a whole corpus is stored.
        std::fs::remove_file(dir.0.join("corpus/a/ruto.txt")).expect("rm");
        cached(&dir, Some(&store), Coverage::Complete);
        let left = store.file_records(&roots);
        assert_eq!(left.len(), 2);
        assert!(!left.contains_key(&dir.0.join("corpus/a/ruto.txt")));
    }

    #[test]
    fn a_changed_file_is_extracted_again_and_only_it() {
        let dir = corpus_dir();
        let store = Store::open(&dir.0.join("index.sqlite")).expect("store");
        cached(&dir, Some(&store), Coverage::Complete);
        dir.write(
            "corpus/b/visit.txt",
            "Prime Minister Fumio Kishida will make a state visit to Washington on April 11.\n",
        );
        let (data, s) = cached(&dir, Some(&store), Coverage::Complete);
        assert_eq!((s.reused, s.extracted, s.written, s.removed), (3, 1, 1, 0));
        assert_same(&data, &fresh(&dir));
        // Metadata that extraction reads is part of the key: a new date in the front matter.
        dir.write(
            "corpus/a/accord.md",
            &ARTICLES[1].1.replace("2024-03-02", "2024-03-09"),
        );
        let (data, s) = cached(&dir, Some(&store), Coverage::Complete);
        assert_eq!((s.reused, s.extracted), (3, 1));
        assert_same(&data, &fresh(&dir));
    }

    #[test]
    fn a_removed_files_row_is_deleted() {
        let dir = corpus_dir();
        let store = Store::open(&dir.0.join("index.sqlite")).expect("store");
        cached(&dir, Some(&store), Coverage::Complete);
        assert_eq!(store.len(), 4);
        std::fs::remove_file(dir.0.join("corpus/a/ruto.txt")).expect("rm");
        // Part of a corpus (a refresh, a batch): nothing else is deleted.
        let (_, s) = cached(&dir, Some(&store), Coverage::Partial);
        assert_eq!((s.reused, s.removed), (3, 0));
        assert_eq!(store.len(), 4);
        let (data, s) = cached(&dir, Some(&store), Coverage::Complete);
        assert_eq!((s.reused, s.extracted, s.removed), (3, 0, 1));
        assert_eq!(store.len(), 3);
        assert_same(&data, &fresh(&dir));
        // A load made in parts forgets vanished paths afterwards.
        std::fs::remove_file(dir.0.join("corpus/b/visit.txt")).expect("rm");
        let (roots, articles) = load(&dir);
        let removed = store.prune(&roots, articles.iter().map(|a| a.path.as_path()));
        assert_eq!((removed, store.len()), (1, 2));
    }

    #[test]
    fn a_corrupt_database_is_rebuilt_with_a_warning() {
        let dir = corpus_dir();
        let want = fresh(&dir);
        // Random bytes.
        let path = dir.0.join("index.sqlite");
        let noise: Vec<u8> = (0..10_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        std::fs::write(&path, &noise).expect("write");
        let (store, warned) = warnings(|| Store::open(&path).expect("rebuilt"));
        assert!(warned.contains("rebuilding"), "{warned}");
        let (data, s) = cached(&dir, Some(&store), Coverage::Complete);
        assert_eq!(s.extracted, 4);
        assert_same(&data, &want);
        drop(store);

        // Truncated: a real index cut in the middle of its pages.
        let store = Store::open(&path).expect("store");
        let (_, s) = cached(&dir, Some(&store), Coverage::Complete);
        assert_eq!(s.reused, 4);
        drop(store);
        let len = std::fs::metadata(&path).expect("meta").len();
        assert!(len > 4096, "{len}");
        let f = std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .expect("open");
        f.set_len(len / 2 + 100).expect("truncate");
        drop(f);
        let ((data, s), warned) = warnings(|| {
            let store = Store::open(&path).expect("store");
            cached(&dir, Some(&store), Coverage::Complete)
        });
        assert!(warned.contains("rebuilding"), "{warned}");
        assert_same(&data, &want);
        assert_eq!(s.reused + s.extracted, 4);
        // And the rebuilt index serves the next load.
        let store = Store::open(&path).expect("store");
        let (data, s) = cached(&dir, Some(&store), Coverage::Complete);
        assert_eq!(s.reused, 4, "{s:?}");
        assert_same(&data, &want);
        drop(store);

        // Noise over every page but the first (which opening reads): found when read, never trusted.
        let mut bytes = std::fs::read(&path).expect("read");
        assert!(bytes.len() > 2 * PAGE_SIZE, "{}", bytes.len());
        for (i, b) in bytes.iter_mut().enumerate().skip(PAGE_SIZE) {
            *b = noise[i % noise.len()];
        }
        std::fs::write(&path, &bytes).expect("write");
        let (data, _) = warnings(|| match Store::open(&path) {
            Ok(store) => cached(&dir, Some(&store), Coverage::Complete).0,
            Err(_) => cached(&dir, None, Coverage::Complete).0,
        });
        assert_same(&data, &want);
    }

    #[test]
    fn a_database_of_another_schema_version_or_program_is_rebuilt() {
        let dir = corpus_dir();
        let path = dir.0.join("index.sqlite");
        let store = Store::open(&path).expect("store");
        cached(&dir, Some(&store), Coverage::Complete);
        drop(store);
        let raw = Connection::open(&path).expect("raw");
        raw.execute_batch(&format!("PRAGMA user_version = {};", SCHEMA_VERSION + 1))
            .expect("version");
        drop(raw);
        let (store, warned) = warnings(|| Store::open(&path).expect("rebuilt"));
        assert!(warned.contains("schema version"), "{warned}");
        assert!(store.is_empty());
        let (data, s) = cached(&dir, Some(&store), Coverage::Complete);
        assert_eq!(s.extracted, 4);
        assert_same(&data, &fresh(&dir));
        drop(store);

        // Another program's database is never used (nor kept).
        let other = dir.0.join("other.sqlite");
        let raw = Connection::open(&other).expect("raw");
        raw.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .expect("other");
        drop(raw);
        let (store, warned) = warnings(|| Store::open(&other).expect("rebuilt"));
        assert!(warned.contains("not a Dossier index"), "{warned}");
        assert!(store.is_empty());
    }

    #[test]
    fn a_row_that_does_not_read_back_is_extracted_again() {
        let dir = corpus_dir();
        let path = dir.0.join("index.sqlite");
        let store = Store::open(&path).expect("store");
        cached(&dir, Some(&store), Coverage::Complete);
        {
            let conn = store.lock();
            // A blob that passes its checksum but is not a record, and one damaged after it was summed.
            let junk = vec![0xffu8, 0x01, 0x02];
            conn.execute(
                "UPDATE extraction SET data = ?1, sum = ?2 WHERE rel = ?3",
                params![junk, xxh3_64(&junk) as i64, b"a/ruto.txt".as_slice()],
            )
            .expect("junk");
            conn.execute(
                "UPDATE extraction SET data = substr(data, 1, length(data) - 1) WHERE rel = ?1",
                params![b"b/markets.txt".as_slice()],
            )
            .expect("cut");
        }
        let ((data, s), warned) = warnings(|| cached(&dir, Some(&store), Coverage::Complete));
        assert_eq!(
            (s.reused, s.extracted, s.unreadable, s.written),
            (2, 2, 2, 2)
        );
        assert!(warned.contains("did not read back"), "{warned}");
        assert_same(&data, &fresh(&dir));
        let (_, s) = cached(&dir, Some(&store), Coverage::Complete);
        assert_eq!(s.reused, 4);
    }

    #[test]
    fn a_cache_folder_that_cannot_be_written_means_no_index() {
        let dir = corpus_dir();
        // A folder that cannot be made (a file is in the way): true for every user, root included.
        let blocker = dir.write("blocker", "not a folder");
        let (store, warned) = warnings(|| Store::open_or_warn(&blocker.join("cache/index.sqlite")));
        assert!(store.is_none());
        assert_eq!(warned.matches("working without it").count(), 1, "{warned}");
        let (data, s) = cached(&dir, None, Coverage::Complete);
        assert_eq!(s.extracted, 4);
        assert_same(&data, &fresh(&dir));

        // A read-only folder, where permissions apply (not to root).
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let ro = dir.0.join("readonly");
            std::fs::create_dir_all(&ro).expect("mkdir");
            std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).expect("chmod");
            if std::fs::write(ro.join("probe"), "x").is_err() {
                let (store, warned) = warnings(|| Store::open_or_warn(&ro.join("index.sqlite")));
                assert!(store.is_none());
                assert_eq!(warned.matches("working without it").count(), 1, "{warned}");
            }
            std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        }
    }

    #[test]
    fn articles_outside_the_roots_are_extracted_but_not_stored() {
        let dir = Tmp::new("outside");
        let store = Store::open(&dir.0.join("index.sqlite")).expect("store");
        let a = Article::from_text("x", "/elsewhere/x.txt", "President Joe Biden spoke.");
        let roots = [dir.0.join("corpus")];
        let (data, s) = extract_cached(
            vec![a],
            Some(&store),
            &roots,
            Coverage::Complete,
            &|_, _| {},
        );
        assert_eq!((data.len(), s.extracted, s.written), (1, 1, 0));
        assert!(store.is_empty());
    }

    #[test]
    fn the_content_key_covers_what_extraction_reads() {
        let a = Article::from_text(
            "x",
            "/c/x.txt",
            "Headline\n\nPresident Joe Biden spoke on Monday.\n",
        );
        let key = wire::content_key(&a);
        let mut b = a.clone();
        b.text = crate::corpus::ArticleText::new(format!("{} ", a.text.as_str()));
        assert_ne!(wire::content_key(&b), key);
        let mut b = a.clone();
        b.meta.date = Some(jiff::civil::date(2024, 1, 1));
        assert_ne!(wire::content_key(&b), key);
        let mut b = a.clone();
        b.title = Some("Other".into());
        assert_ne!(wire::content_key(&b), key);
        let mut b = a.clone();
        b.boilerplate.push(0..8);
        assert_ne!(wire::content_key(&b), key);
        let mut b = a.clone();
        b.body = 1..a.text.len();
        assert_ne!(wire::content_key(&b), key);
        // Not read by extraction: the id, the url.
        let mut b = a.clone();
        b.id = "y".into();
        b.meta.url = Some("https://example.org".into());
        assert_eq!(wire::content_key(&b), key);
    }

    #[test]
    fn a_cached_load_equals_an_uncached_one() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/corpus");
        let roots = vec![root];
        let summary = |kb: &KnowledgeBase| {
            let mut names: Vec<String> = kb.entities.iter().map(|e| e.name.clone()).collect();
            names.sort();
            (names, kb.facts.len(), kb.articles.len())
        };
        let c = corpus::load(&roots, &LoadOptions::default(), &|_, _| {}).expect("load");
        let want = summary(&KnowledgeBase::build(
            extract_all(c.articles.clone(), &|_, _| {}),
            Vec::new(),
        ));
        assert!(want.1 > 0 && !want.0.is_empty());
        let tmp = Tmp::new("fixtures");
        let store = Store::open(&tmp.0.join("index.sqlite")).expect("store");
        for round in 0..2 {
            let (data, s) = extract_cached(
                c.articles.clone(),
                Some(&store),
                &roots,
                Coverage::Complete,
                &|_, _| {},
            );
            assert_eq!(s.reused, if round == 0 { 0 } else { c.articles.len() });
            assert_eq!(summary(&KnowledgeBase::build(data, Vec::new())), want);
        }
    }

    #[test]
    fn every_extraction_of_the_fixture_corpora_reads_back_the_same() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let c = corpus::load(
            &[
                root.join("corpus"),
                root.join("wikinews"),
                root.join("dates"),
            ],
            &LoadOptions::default(),
            &|_, _| {},
        )
        .expect("load");
        let mut articles = c.articles;
        // Every kind of date value, periods included.
        articles.push(Article::from_text(
            "periods",
            "/periods.md",
            "---\ndate: 2024-11-28\n---\nThe ministers met this week and will meet again this weekend. Talks began in \
             spring 2024, recalled the 1990s and the 19th century, and cover fiscal year 2023-24 and the plan from 2023 \
             to 2028. Prices are now falling. She spoke last Friday; a day after President Ruto spoke with Secretary \
             Blinken, he left. On Wednesday, November 6, the next day, and three weeks ago.\n",
        ));
        let data = extract_all(articles, &|_, _| {});
        assert!(
            data.last()
                .is_some_and(|d| d.dates.iter().filter(|t| t.value.is_some_and(|v| matches!(v, crate::extract::dates::DateValue::Point(p) if p.period.is_some()))).count() >= 4),
            "{:?}",
            data.last().map(|d| &d.dates)
        );
        for d in &data {
            let back = wire::decode(&wire::encode(d)).expect("decodes");
            assert_same(
                std::slice::from_ref(d),
                &[Arc::new(back.into_data(d.article.clone()))],
            );
        }
    }
}
