//! Extractions read from the index when first needed: on a start that reads the merged knowledge base back,
//! an article's stored extraction is not read until a look-up needs one of its parts (see
//! [`crate::kb::MergePrefetch::extractions`]). A row that is gone, changed or damaged by then is extracted
//! again from the article, and written back unless the database is in use (by whoever needs the part, maybe).

use super::merged_wire::MergeKey;
use super::wire;
use super::{RowKey, Store};
use crate::kb::lazy::{Part, StoredRow};
use crate::kb::{ArticleData, KnowledgeBase};
use rusqlite::{Connection, OpenFlags};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

/// One article's row, read on first use.
pub(super) struct Deferred {
    store: Arc<Store>,
    key: RowKey,
    content: [u8; 16],
    /// The extraction this row holds the parts of (to extract its article again when the row cannot be read).
    data: Weak<ArticleData>,
    /// The row's parts once read; each is handed over once.
    row: Mutex<Option<Box<wire::Stored>>>,
}

impl Deferred {
    /// The extraction of `article`, read from its row of `store` (`key`, with this content key) part by part
    /// when first needed.
    pub(super) fn data(
        article: crate::corpus::Article,
        store: &Arc<Store>,
        key: RowKey,
        content: [u8; 16],
        hot: Option<(crate::kb::lazy::Bytes, crate::kb::lazy::Bytes)>,
    ) -> Arc<ArticleData> {
        Arc::new_cyclic(|weak| {
            let row = Arc::new(Deferred {
                store: Arc::clone(store),
                key,
                content,
                data: weak.clone(),
                row: Mutex::new(None),
            });
            wire::in_row(article, row, hot)
        })
    }

    /// The stored row, or the article extracted again when there is none that fits.
    fn read(&self) -> wire::Stored {
        match self.store.read_one(&self.key, &self.content) {
            Ok(Some(bytes)) => {
                if let Some(s) = wire::decode(&bytes) {
                    return s;
                }
                self.extract_again("it does not read back")
            }
            Ok(None) => self.extract_again("it is gone or was changed since the start"),
            Err(e) => self.extract_again(&format!("it cannot be read: {e}")),
        }
    }

    fn extract_again(&self, why: &str) -> wire::Stored {
        let Some(data) = self.data.upgrade() else {
            return wire::Stored::default();
        };
        tracing::warn!(
            "the index {} has no usable extraction of {} ({why}); extracting it again",
            self.store.path.display(),
            data.article.path.display()
        );
        let fresh = ArticleData::extract(data.article.clone());
        if !self
            .store
            .write_if_free(&[(&self.key, self.content, &fresh)])
        {
            tracing::debug!(
                "the index {} is in use; the extraction of {} is not written back",
                self.store.path.display(),
                data.article.path.display()
            );
        }
        wire::decode(&wire::encode(&fresh)).unwrap_or_default()
    }
}

impl StoredRow for Deferred {
    fn take(&self, part: Part) -> Option<Vec<u8>> {
        let mut row = self.row.lock().unwrap_or_else(|e| e.into_inner());
        let stored = row.get_or_insert_with(|| Box::new(self.read()));
        Some(stored.take(part))
    }
}

impl Store {
    /// The checked bytes of one stored extraction with this content key: `None` when there is no such row.
    /// Read on a connection of its own, so that a read never waits for a write transaction of this process.
    pub(super) fn read_one(
        &self,
        key: &RowKey,
        content: &[u8; 16],
    ) -> rusqlite::Result<Option<Vec<u8>>> {
        let mut reader = self.reader.lock().unwrap_or_else(|e| e.into_inner());
        if reader.is_none() {
            let conn = Connection::open_with_flags(
                &self.path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            conn.busy_timeout(Duration::from_secs(10))?;
            *reader = Some(conn);
        }
        let Some(conn) = reader.as_ref() else {
            return Ok(None);
        };
        match Store::read(conn, std::slice::from_ref(&Some(key.clone())), &[*content]) {
            // A row whose checksum fails reads as empty: none to use.
            Ok(found) => Ok(found.into_iter().next().flatten().filter(|b| !b.is_empty())),
            Err(e) => {
                // Opened again next time (the file may have been rebuilt meanwhile).
                *reader = None;
                Err(e)
            }
        }
    }
}

/// The extractions of `articles` (in order), each read from `store` when first needed, but for the hot parts
/// of each when given for these very articles (see [`wire::encode_hot`]); an article outside the roots (which
/// has no row) is extracted now.
pub(super) fn deferred_all(
    articles: Vec<crate::corpus::Article>,
    store: &Arc<Store>,
    roots: &[std::path::PathBuf],
    hot: Option<(MergeKey, wire::HotParts)>,
) -> (Vec<Arc<ArticleData>>, super::CacheStats) {
    let content: Vec<[u8; 16]> = super::par_map(&articles, wire::content_key);
    deferred_keyed(articles, content, store, roots, hot)
}

/// [`deferred_all`], with the articles' content keys (`content`, in order) already made.
pub(super) fn deferred_keyed(
    articles: Vec<crate::corpus::Article>,
    content: Vec<[u8; 16]>,
    store: &Arc<Store>,
    roots: &[std::path::PathBuf],
    hot: Option<(MergeKey, wire::HotParts)>,
) -> (Vec<Arc<ArticleData>>, super::CacheStats) {
    let canon = super::canonical_roots(roots);
    let mut stats = super::CacheStats::default();
    // The hot parts of exactly these articles (same content keys, same order), or none.
    let mut hot = hot
        .filter(|(key, h)| h.len() == articles.len() && *key == MergeKey::from_content(&content))
        .map(|(_, h)| h.into_iter());
    let data = articles
        .into_iter()
        .zip(content)
        .map(|(a, c)| {
            // Taken for every article, so that each article gets its own.
            let h = hot.as_mut().and_then(Iterator::next);
            match super::row_key(roots, &canon, &a.path) {
                Some(k) => {
                    stats.reused += 1;
                    stats.deferred += 1;
                    Deferred::data(a, store, k, c, h)
                }
                None => {
                    stats.extracted += 1;
                    Arc::new(ArticleData::extract(a))
                }
            }
        })
        .collect();
    (data, stats)
}

/// `kb` with every extraction read from `store` when first needed again, as on a start from the index —
/// for `articles`, the same articles loaded again without reading their texts — so that what a merge
/// decoded and read of every article (hundreds of megabytes for a large corpus) is let go once the merge is
/// stored. The dated clauses and sketches, which a check reads for most articles, are kept encoded. `None`
/// when `articles` are not the articles of `kb` (in content or order: something changed since).
pub fn deferred_again(
    kb: &KnowledgeBase,
    articles: Vec<crate::corpus::Article>,
    store: &Arc<Store>,
    roots: &[std::path::PathBuf],
) -> Option<KnowledgeBase> {
    if articles.len() != kb.articles.len()
        || articles
            .iter()
            .zip(&kb.articles)
            .any(|(a, d)| a.path != d.article.path || a.id != d.article.id)
    {
        return None;
    }
    let content: Vec<[u8; 16]> = super::par_map(&articles, wire::content_key);
    let before: Vec<[u8; 16]> = super::par_map(&kb.articles, |d| wire::content_key(&d.article));
    if content != before {
        return None;
    }
    let hot = super::par_map(&kb.articles, |d| {
        let (statements, sketches) = wire::hot_parts(d);
        (statements.into(), sketches.into())
    });
    let (articles, _) = deferred_all(
        articles,
        store,
        roots,
        Some((MergeKey::from_content(&content), hot)),
    );
    Some(KnowledgeBase {
        articles,
        entities: kb.entities.clone(),
        facts: kb.facts.clone(),
        facts_by_entity: kb.facts_by_entity.clone(),
        problems: kb.problems.clone(),
        aliases: Arc::clone(&kb.aliases),
        article_mentions: kb.article_mentions.clone(),
        statement_index: Arc::clone(&kb.statement_index),
        words: Arc::clone(&kb.words),
        // Same corpus, same answers.
        quote_cache: std::sync::Mutex::new(
            kb.quote_cache
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone(),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::super::tests::{Tmp, assert_same, cached, corpus_dir, fresh, load, warnings};
    use super::super::{Coverage, MergePrefetch, MergeStats, merge_cached};
    use super::*;
    use rusqlite::params;

    /// A start from the index once the merged knowledge base is stored: the extractions, deferred.
    fn start(dir: &Tmp, store: &Arc<Store>) -> (Vec<Arc<ArticleData>>, super::super::CacheStats) {
        let (roots, articles) = load(dir);
        let mut prefetch = MergePrefetch::new(Some(store), &articles.iter().collect::<Vec<_>>());
        prefetch.extractions(
            articles,
            Some(store),
            &roots,
            Coverage::Complete,
            &|_, _| {},
        )
    }

    /// A store holding the test corpus's extractions and merged knowledge base.
    fn stored(dir: &Tmp) -> Arc<Store> {
        let store = Arc::new(Store::open(&dir.0.join("index.sqlite")).expect("store"));
        let (roots, articles) = load(dir);
        let (data, _) = super::super::extract_cached(
            articles,
            Some(&store),
            &roots,
            Coverage::Complete,
            &|_, _| {},
        );
        let (_, s) = merge_cached(data, Vec::new(), Some(&store));
        assert!(s.saved);
        store
    }

    #[test]
    fn a_start_that_reads_the_merged_knowledge_base_back_reads_each_row_only_when_needed() {
        let dir = corpus_dir();
        let store = stored(&dir);
        let (data, stats) = start(&dir, &store);
        assert_eq!((stats.reused, stats.deferred), (data.len(), data.len()));
        assert_eq!(stats.extracted, 0);
        // Nothing decoded yet: not the rows' parts, nor the hot parts read with the merged knowledge base.
        for d in &data {
            assert!(!d.sentences.is_decoded() && !d.people.is_decoded());
            assert!(!d.statements.is_decoded(0) && !d.sketches.is_decoded());
        }
        let ((), warned) = warnings(|| assert_same(&data, &fresh(&dir)));
        assert!(warned.is_empty(), "{warned}");
        // The merged knowledge base is read back over them.
        let (data, _) = start(&dir, &store);
        let (_, s) = merge_cached(data, Vec::new(), Some(&store));
        assert_eq!(
            s,
            MergeStats {
                loaded: true,
                ..MergeStats::default()
            }
        );
    }

    #[test]
    fn a_clause_asked_for_is_decoded_alone_and_as_extracted() {
        let dir = corpus_dir();
        let store = stored(&dir);
        let (data, _) = start(&dir, &store);
        let fresh = fresh(&dir);
        let (ai, d) = data
            .iter()
            .enumerate()
            .find(|(_, d)| d.statements.len() > 1)
            .expect("an article with two dated clauses");
        assert!((0..d.statements.len()).all(|i| !d.statements.is_decoded(i)));
        assert_eq!(d.statements.get(1), fresh[ai].statements.get(1));
        assert!(d.statements.is_decoded(1));
        assert!(!d.statements.is_decoded(0));
        // Stored again as read, the clauses still encoded read back the same.
        assert_eq!(
            wire::hot_parts(d).0,
            wire::hot_parts(&fresh[ai]).0,
            "clauses stored as read are stored as extracted"
        );
    }

    #[test]
    fn a_row_gone_changed_or_damaged_after_the_start_is_extracted_again_and_written_back() {
        let changes: [(&str, &str); 3] = [
            ("gone", "DELETE FROM extraction"),
            ("changed", "UPDATE extraction SET key = zeroblob(16)"),
            ("damaged", "UPDATE extraction SET sum = sum + 1"),
        ];
        for (what, sql) in changes {
            let dir = corpus_dir();
            let store = stored(&dir);
            let (data, _) = start(&dir, &store);
            store.lock().execute(sql, params![]).expect(what);
            let ((), warned) = warnings(|| assert_same(&data, &fresh(&dir)));
            assert!(warned.contains("extracting it again"), "{what}: {warned}");
            // Written back: a start that reads every row finds them all.
            let (_, stats) = cached(&dir, Some(&store), Coverage::Partial);
            assert_eq!(stats.reused, data.len(), "{what}");
        }
    }

    #[test]
    fn storing_a_merge_whose_rows_must_be_extracted_again_does_not_wait_on_itself() {
        let dir = corpus_dir();
        let store = stored(&dir);
        // No hot parts, no rows: storing the merge reads each article's clauses from a row that is gone, which
        // extracts the article again, while the store holds the database to write the merge.
        store
            .lock()
            .execute_batch("DELETE FROM hot; DELETE FROM extraction;")
            .expect("delete");
        let (data, _) = start(&dir, &store);
        let (kb, s) = merge_cached(data, Vec::new(), Some(&store));
        assert!(s.loaded);
        let key = super::super::MergeKey::of_data(&kb.articles);
        let kb = Arc::new(kb);
        let (tx, rx) = std::sync::mpsc::channel();
        let (s, k) = (Arc::clone(&store), Arc::clone(&kb));
        std::thread::spawn(move || {
            let _ = tx.send(warnings(|| s.save_merged(&key, &k)));
        });
        let (saved, warned) = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("storing the merge waited on itself");
        assert!(saved);
        assert!(warned.contains("extracting it again"), "{warned}");
        assert_same(&kb.articles, &fresh(&dir));
    }

    /// The test corpus loaded again as a start does, trusting the files the index records unread (recording
    /// them first, once they have settled).
    fn reloaded(dir: &Tmp, store: &Store) -> Vec<crate::corpus::Article> {
        std::thread::sleep(crate::corpus::SETTLE + Duration::from_millis(100));
        let (roots, _) = load(dir);
        let opts = crate::corpus::LoadOptions::default();
        let known = store.file_records(&roots);
        let (_, report) =
            crate::corpus::load_with(&roots, &opts, &known, &|_, _| {}).expect("load");
        store.save_file_records(&roots, &report.records);
        let known = store.file_records(&roots);
        let (c, _) = crate::corpus::load_with(&roots, &opts, &known, &|_, _| {}).expect("load");
        c.articles
    }

    #[test]
    fn a_merged_knowledge_base_made_to_read_its_extractions_again_lets_go_of_them_and_keeps_the_rest()
     {
        let dir = corpus_dir();
        let store = stored(&dir);
        let (roots, _) = load(&dir);
        // As a merge leaves them: every part decoded, every text read.
        let (data, _) = cached(&dir, Some(&store), Coverage::Partial);
        let kb = KnowledgeBase::build(data, Vec::new());
        for d in &kb.articles {
            assert!(d.people.is_decoded() && d.article.text.is_loaded());
        }
        let lean = deferred_again(&kb, reloaded(&dir, &store), &store, &roots).expect("the same");
        for d in &lean.articles {
            assert!(!d.people.is_decoded() && !d.sentences.is_decoded());
            assert!(!d.statements.is_decoded(0) && !d.sketches.is_decoded());
            assert!(!d.article.text.is_loaded(), "{}", d.article.id);
        }
        assert_eq!(lean.entities, kb.entities);
        assert_eq!(lean.facts, kb.facts);
        assert_eq!(lean.facts_by_entity, kb.facts_by_entity);
        assert_eq!(lean.article_mentions, kb.article_mentions);
        let ((), warned) = warnings(|| assert_same(&lean.articles, &kb.articles));
        assert!(warned.is_empty(), "{warned}");
        // Not for articles that are no longer those merged.
        let mut changed = reloaded(&dir, &store);
        changed.pop();
        assert!(deferred_again(&kb, changed, &store, &roots).is_none());
        std::fs::write(&kb.articles[0].article.path, "Edited since the merge.").expect("edit");
        assert!(deferred_again(&kb, reloaded(&dir, &store), &store, &roots).is_none());
    }

    #[test]
    fn hot_parts_that_fail_their_checksum_are_read_from_the_rows() {
        let dir = corpus_dir();
        let store = stored(&dir);
        store
            .lock()
            .execute("UPDATE hot SET sum = sum + 1", params![])
            .expect("update");
        let (data, _) = start(&dir, &store);
        let ((), warned) = warnings(|| assert_same(&data, &fresh(&dir)));
        assert!(warned.is_empty(), "{warned}");
    }
}
