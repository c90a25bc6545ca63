//! The last knowledge base, served before the corpus is walked again: the stored merged knowledge base
//! ([`super::merged`]) made whole with the listing of the articles it was merged from, as the load that
//! merged them found them ([`crate::corpus::encode_listing`]) — so that a language server can answer from it
//! a few hundred milliseconds into a start, before it knows whether the corpus is still those articles.
//!
//! What it is: the knowledge base of the corpus as it was when last merged. The caller serves it as partial
//! knowledge (a corpus changed since would make some of it wrong) until its walk of the corpus shows
//! [`Last::is_of`] the articles found now — then it is the corpus's knowledge base, and nothing is read back
//! or merged again — or not, and it serves until the new knowledge base is ready. A text changed since
//! reads as blanks ([`crate::corpus::ArticleText`]), never as another text.
//!
//! Like the rest of the index it is never trusted: a listing that does not read back, names a file outside
//! the roots, or is not of the articles of the stored merged knowledge base (their content keys, in order)
//! gives no last knowledge base, as do the merged knowledge base's own checks.

use super::merged::{Fetched, Lookup, assemble, checked, prepare, read_row};
use super::merged_wire::MergeKey;
use super::{Store, deferred::deferred_keyed, par_map, wire};
use crate::corpus::{Article, Problem, decode_listing};
use crate::kb::KnowledgeBase;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Instant;
use xxhash_rust::xxh3::xxh3_64;

/// The last knowledge base being read back, on a thread of its own.
pub struct LastKnown(Option<std::thread::JoinHandle<Option<Last>>>);

/// The knowledge base of the corpus as it was last merged.
pub struct Last {
    /// The key of its articles.
    pub key: MergeKey,
    pub kb: Arc<KnowledgeBase>,
}

impl LastKnown {
    /// Start reading back the last knowledge base of `store`, for a corpus of these roots whose files are read
    /// (when asked for) up to `max_file_size` bytes; nothing without an index or a thread.
    pub fn start(store: Option<&Arc<Store>>, roots: &[PathBuf], max_file_size: u64) -> LastKnown {
        let Some(store) = store.cloned() else {
            return LastKnown(None);
        };
        let roots = roots.to_vec();
        let spawned = std::thread::Builder::new()
            .name("dossier-last".to_string())
            .spawn(move || {
                let timer = Instant::now();
                let last = read_last(&store, &roots, max_file_size);
                match &last {
                    Ok(l) => tracing::debug!(
                        "last knowledge base read back ({} articles, {} entities) in {:?}",
                        l.kb.articles.len(),
                        l.kb.entities.len(),
                        timer.elapsed()
                    ),
                    Err(why) => tracing::debug!("no last knowledge base: {why}"),
                }
                last.ok()
            });
        LastKnown(spawned.ok())
    }

    /// Wait for it: `None` when the index holds none that can be used.
    pub fn wait(self) -> Option<Last> {
        // Reading back does not panic on any bytes; if the thread did, there is none.
        self.0.and_then(|h| h.join().ok().flatten())
    }
}

impl Last {
    /// Whether it is the knowledge base of these articles and problems, as a load found them now: the same
    /// articles (ids, paths, metadata, layout, and texts by length and digest) in the same order, with the
    /// same problems.
    pub fn is_of(&self, articles: &[Article], problems: &[Problem]) -> bool {
        self.kb.problems == problems
            && self.kb.articles.len() == articles.len()
            && self
                .kb
                .articles
                .iter()
                .zip(articles)
                .all(|(d, a)| d.article == *a)
    }
}

impl Last {
    /// How many of these articles (as a load found them now) it holds: the same file, with the same text.
    pub fn shared_with(&self, articles: &[Article]) -> usize {
        let had: std::collections::HashMap<&std::path::Path, [u8; 16]> = self
            .kb
            .articles
            .iter()
            .map(|d| (d.article.path.as_path(), d.article.text.digest()))
            .collect();
        articles
            .iter()
            .filter(|a| had.get(a.path.as_path()) == Some(&a.text.digest()))
            .count()
    }
}

fn read_last(store: &Arc<Store>, roots: &[PathBuf], max_file_size: u64) -> Result<Last, String> {
    let timer = Instant::now();
    let fetched = store.fetch_merged(None);
    tracing::debug!("last knowledge base read in {:?}", timer.elapsed());
    let (key, sum, data, hot) = match fetched {
        Fetched::Bytes {
            key,
            sum,
            data,
            hot,
        } => (key, sum, data, hot),
        Fetched::Done(Lookup::Damaged(why)) => return Err(why),
        Fetched::Done(_) | Fetched::Other => return Err("none stored".to_string()),
    };
    let listing = {
        let conn = store.lock();
        read_row(&conn, "listing")
            .ok()
            .flatten()
            .filter(|(sum, bytes)| xxh3_64(bytes) as i64 == *sum)
            .map(|(_, bytes)| bytes)
            .ok_or("no listing of its articles")?
    };
    let key = MergeKey(
        key.try_into()
            .map_err(|_| "its key is not a key".to_string())?,
    );
    // The merged knowledge base is made ready (the longest part) while the articles are read from the
    // listing; their hot parts are copied out after, once the merged bytes are let go (as a warm start does),
    // so that the two are not held at once.
    let (prepared, listed) = std::thread::scope(|scope| {
        let prepared = std::thread::Builder::new()
            .name("dossier-last-kb".to_string())
            .spawn_scoped(scope, || prepare(sum, &data, &AtomicBool::new(false)));
        let listed = listed(roots, max_file_size, key, &listing);
        let prepared = match prepared {
            Ok(h) => h
                .join()
                .unwrap_or_else(|_| Err("it could not be read back".to_string())),
            Err(_) => prepare(sum, &data, &AtomicBool::new(false)),
        };
        (prepared, listed)
    });
    drop((data, listing));
    let (articles, content, problems) = listed?;
    let texts: Vec<usize> = articles.iter().map(|a| a.text.len()).collect();
    let prepared = match checked(store.path(), prepared, &texts) {
        Lookup::Hit(p) => p,
        Lookup::Damaged(why) => return Err(why),
        Lookup::Miss => return Err("none stored".to_string()),
    };
    let hot = hot
        .and_then(|h| wire::decode_hot(h, articles.len()))
        .map(|h| (key, h));
    let (data, _) = deferred_keyed(articles, content, store, roots, hot);
    Ok(Last {
        key,
        kb: Arc::new(assemble(data, problems, *prepared)),
    })
}

/// The articles of a listing (bytes), their content keys and the problems listed, if they are the articles of
/// `key`.
fn listed(
    roots: &[PathBuf],
    max_file_size: u64,
    key: MergeKey,
    listing: &[u8],
) -> Result<Listed, String> {
    let (articles, problems) = decode_listing(listing, roots, max_file_size)
        .ok_or("the listing of its articles does not read back")?;
    let content = par_map(&articles, wire::content_key);
    if MergeKey::from_content(&content) != key {
        return Err("the listing is not of its articles".to_string());
    }
    Ok((articles, content, problems))
}

/// A listing's articles, their content keys and its problems.
type Listed = (Vec<Article>, Vec<[u8; 16]>, Vec<Problem>);

#[cfg(test)]
mod tests {
    use super::super::tests::{Tmp, corpus_dir, load};
    use super::super::{Coverage, extract_cached, merge_cached};
    use super::*;
    use crate::corpus::DEFAULT_MAX_FILE_SIZE;
    use rusqlite::params;

    /// The test corpus merged and stored, with its index.
    fn merged(dir: &Tmp) -> (Arc<Store>, Vec<PathBuf>, KnowledgeBase) {
        let store = Arc::new(Store::open(&dir.0.join("index.sqlite")).expect("store"));
        let (roots, articles) = load(dir);
        let (data, _) = extract_cached(
            articles,
            Some(&store),
            &roots,
            Coverage::Complete,
            &|_, _| {},
        );
        let (kb, stats) = merge_cached(data, Vec::new(), Some(&store));
        assert!(stats.saved);
        (store, roots, kb)
    }

    fn last(store: &Arc<Store>, roots: &[PathBuf]) -> Option<Last> {
        LastKnown::start(Some(store), roots, DEFAULT_MAX_FILE_SIZE).wait()
    }

    #[test]
    fn the_last_knowledge_base_is_the_stored_merge_of_the_articles_as_they_were_loaded() {
        let dir = corpus_dir();
        let (store, roots, want) = merged(&dir);
        let got = last(&store, &roots).expect("a last knowledge base");
        assert_eq!(got.kb.entities, want.entities);
        assert_eq!(got.kb.facts, want.facts);
        assert_eq!(got.kb.facts_by_entity, want.facts_by_entity);
        assert_eq!(got.kb.article_mentions, want.article_mentions);
        assert_eq!(got.kb.aliases.aliases(), want.aliases.aliases());
        for (x, y) in got.kb.articles.iter().zip(&want.articles) {
            assert_eq!(x.article, y.article);
            assert_eq!(x.text(), y.text());
            assert_eq!(x.statements, y.statements);
        }
        // The corpus as a load finds it now is the one it is of: every article is shared.
        let (_, now) = load(&dir);
        assert!(got.is_of(&now, &[]));
        assert_eq!(got.shared_with(&now), now.len());
        // With a problem the load did not have then, it is not.
        let problem = Problem {
            path: roots[0].join("x.txt"),
            reason: "unreadable".to_string(),
        };
        assert!(!got.is_of(&now, &[problem]));
        // Without an index there is none.
        assert!(
            LastKnown::start(None, &roots, DEFAULT_MAX_FILE_SIZE)
                .wait()
                .is_none()
        );
    }

    #[test]
    fn after_a_change_it_is_not_the_corpus_s_but_shares_its_other_articles_and_never_shows_the_new_text()
     {
        let dir = corpus_dir();
        let (store, roots, _) = merged(&dir);
        let new =
            "Prime Minister Fumio Kishida will make a state visit to Washington on April 11.\n";
        let changed = dir.write("corpus/b/visit.txt", new);
        let got = last(&store, &roots).expect("a last knowledge base");
        let (_, now) = load(&dir);
        assert!(!got.is_of(&now, &[]));
        assert_eq!(got.shared_with(&now), now.len() - 1);
        let stale = got
            .kb
            .articles
            .iter()
            .find(|d| d.article.path == changed)
            .expect("listed");
        assert_eq!(stale.text().trim(), "");
        assert!(stale.article.text.problem().is_some());
        // Added and removed articles.
        dir.write(
            "corpus/c/new.txt",
            "President Joe Biden met Fumio Kishida in Tokyo.\n",
        );
        std::fs::remove_file(dir.0.join("corpus/a/ruto.txt")).expect("rm");
        let (_, now) = load(&dir);
        assert!(!got.is_of(&now, &[]));
        assert_eq!(got.shared_with(&now), now.len() - 2);
    }

    #[test]
    fn a_listing_that_is_missing_damaged_or_of_other_articles_gives_no_last_knowledge_base() {
        let dir = corpus_dir();
        let (store, roots, kb) = merged(&dir);
        let set = |data: &[u8], sum: i64| {
            store
                .lock()
                .execute(
                    "INSERT OR REPLACE INTO listing (id, sum, data) VALUES (1, ?1, ?2)",
                    params![sum, data],
                )
                .expect("write");
        };
        let mut reversed: Vec<&Article> = kb.articles.iter().map(|d| &d.article).collect();
        reversed.reverse();
        let other_order = crate::corpus::encode_listing(&reversed, &[]);
        let fewer = crate::corpus::encode_listing(&reversed[1..], &[]);
        let junk = [1u8, 2, 3];
        let good = {
            let conn = store.lock();
            read_row(&conn, "listing").expect("read").expect("stored")
        };
        let cases: [(&str, &[u8], i64); 4] = [
            ("other order", &other_order, xxh3_64(&other_order) as i64),
            ("fewer articles", &fewer, xxh3_64(&fewer) as i64),
            ("junk", &junk, xxh3_64(&junk) as i64),
            ("checksum fails", &good.1, good.0 ^ 1),
        ];
        for (what, data, sum) in cases {
            set(data, sum);
            assert!(last(&store, &roots).is_none(), "{what}");
        }
        set(&good.1, good.0);
        assert!(last(&store, &roots).is_some());
        // Read against other roots, its files are outside them.
        assert!(last(&store, &[dir.0.join("elsewhere")]).is_none());
        store
            .lock()
            .execute("DELETE FROM listing", [])
            .expect("delete");
        assert!(last(&store, &roots).is_none());
    }
}
