//! The quotation word index: for every word of the corpus (a run of letters and digits in an article's folded
//! body or in one of its folded sentences, by 64-bit hash) the sorted articles that have it, so that the
//! articles that may hold a quotation are found without reading the corpus.
//!
//! A word here is a maximal run of alphanumeric characters of the folded text ([`crate::text::fold`]): "u.s."
//! folds to "us", "president's" has the words "president" and "s". A quotation found verbatim at word
//! boundaries has each of its words as a whole word of the article, so the intersection of their postings
//! holds every article that has it; hash collisions only add candidates, which the caller verifies. Postings
//! are delta-coded varints (about 1.3 bytes per article and word).

use super::ArticleData;
use super::article::par_map;
use crate::text::for_each_folded_word;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use xxhash_rust::xxh3::xxh3_64;

/// Postings of every word of a corpus's articles.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WordIndex {
    /// Number of articles indexed: every posting is below it.
    articles: u32,
    /// Word hashes, strictly increasing.
    keys: Vec<u64>,
    /// `ends[i]`: end of key `i`'s posting in `postings` (it starts at the previous end, or 0).
    ends: Vec<u64>,
    /// Each posting: the first article, then each next one less the previous one plus one, as LEB128 varints.
    postings: Vec<u8>,
}

/// The hash a word is indexed by.
pub fn word_key(word: &str) -> u64 {
    xxh3_64(word.as_bytes())
}

/// Call `f` on each word (maximal run of alphanumeric characters) of a folded text.
pub fn for_each_word(folded: &str, mut f: impl FnMut(&str)) {
    let mut start = None;
    for (i, c) in folded.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                f(&folded[s..i]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        f(&folded[s..]);
    }
}

/// The sorted, distinct keys of the words of a folded text.
pub fn word_keys(folded: &str) -> Vec<u64> {
    let mut keys = Vec::new();
    for_each_word(folded, |w| keys.push(word_key(w)));
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// The words an article is found by: those of its folded body, and those of each folded sentence. A word
/// never spans whitespace and each character folds on its own, so the words of a folded text are those of its
/// folded whitespace-separated pieces: a sentence inside the body adds only the words of its first and last
/// pieces (a sentence that starts or ends inside a piece folds to part of it).
fn article_keys(a: &ArticleData) -> Vec<u64> {
    // Read for this pass only: a merge must not keep every article's text.
    let text = a.article.text.transient();
    let body = &a.article.body;
    let mut keys = Vec::new();
    let mut word = String::new();
    let mut add = |s: &str| for_each_folded_word(s, &mut word, |w| keys.push(word_key(w)));
    if let Some(b) = text.get(body.clone()) {
        add(b);
    }
    for s in &a.sentences {
        let Some(t) = text.get(s.range.clone()) else {
            continue;
        };
        if body.start <= s.range.start && s.range.end <= body.end {
            let mut pieces = t.split(char::is_whitespace).filter(|p| !p.is_empty());
            if let Some(first) = pieces.next() {
                add(first);
            }
            if let Some(last) = pieces.next_back() {
                add(last);
            }
        } else {
            add(t);
        }
    }
    keys.sort_unstable();
    keys.dedup();
    keys
}

fn push_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// The articles of one posting, in increasing order; stops at the first malformed byte.
pub struct Articles<'a> {
    bytes: &'a [u8],
    next: Option<u32>,
    /// A malformed byte was met (the rest is skipped).
    failed: bool,
}

impl<'a> Articles<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Articles {
            bytes,
            next: None,
            failed: false,
        }
    }

    fn fail(&mut self) -> Option<u32> {
        self.bytes = &[];
        self.failed = true;
        None
    }
}

impl Iterator for Articles<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        if self.bytes.is_empty() {
            return None;
        }
        let mut v: u32 = 0;
        let mut shift = 0;
        loop {
            let Some((&b, rest)) = self.bytes.split_first() else {
                return self.fail();
            };
            self.bytes = rest;
            if shift > 28 || (shift == 28 && b > 0x0f) {
                return self.fail();
            }
            v |= u32::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                break;
            }
            shift += 7;
        }
        let id = match self.next {
            None => Some(v),
            Some(n) => n.checked_add(v),
        };
        let Some(id) = id else {
            return self.fail();
        };
        self.next = id.checked_add(1);
        if self.next.is_none() {
            self.bytes = &[];
        }
        Some(id)
    }
}

/// Articles in both sorted lists.
fn intersect(a: &[u32], b: impl Iterator<Item = u32>) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len());
    let mut i = 0;
    for x in b {
        while i < a.len() && a[i] < x {
            i += 1;
        }
        if i == a.len() {
            break;
        }
        if a[i] == x {
            out.push(x);
            i += 1;
        }
    }
    out
}

impl WordIndex {
    /// Index the words of every article (folded on all cores, a batch at a time to bound memory).
    pub fn build(articles: &[Arc<ArticleData>]) -> WordIndex {
        let mut lists: FxHashMap<u64, (Option<u32>, Vec<u8>)> = FxHashMap::default();
        // Runs of articles indexed on their own on all cores, then appended in order: about four rounds of 64
        // runs each, so that the partial postings held at once stay a quarter of the corpus's.
        let run = articles.len().div_ceil(256).max(16);
        let runs: Vec<std::ops::Range<usize>> = (0..articles.len())
            .step_by(run)
            .map(|s| s..(s + run).min(articles.len()))
            .collect();
        for round in runs.chunks(64) {
            let parts = par_map(round, |r| {
                let mut part: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
                for ai in r.clone() {
                    for k in article_keys(&articles[ai]) {
                        part.entry(k).or_default().push(ai as u32);
                    }
                }
                part
            });
            for part in parts {
                for (k, ids) in part {
                    let (last, bytes) = lists.entry(k).or_default();
                    for id in ids {
                        push_varint(bytes, last.map_or(id, |l| id - l - 1));
                        *last = Some(id);
                    }
                }
            }
        }
        let mut entries: Vec<(u64, Vec<u8>)> =
            lists.into_iter().map(|(k, (_, v))| (k, v)).collect();
        entries.sort_unstable_by_key(|(k, _)| *k);
        let total = entries.iter().map(|(_, v)| v.len()).sum();
        let mut index = WordIndex {
            articles: articles.len() as u32,
            keys: Vec::with_capacity(entries.len()),
            ends: Vec::with_capacity(entries.len()),
            postings: Vec::with_capacity(total),
        };
        for (k, v) in entries {
            index.keys.push(k);
            index.postings.extend_from_slice(&v);
            index.ends.push(index.postings.len() as u64);
        }
        index
    }

    /// Bytes held.
    pub fn memory_usage(&self) -> usize {
        self.keys.len() * 8 + self.ends.len() * 8 + self.postings.len()
    }

    /// The encoded posting of a word key; empty when no article has it.
    fn posting(&self, key: u64) -> &[u8] {
        let Ok(i) = self.keys.binary_search(&key) else {
            return &[];
        };
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        let end = self.ends.get(i).copied().unwrap_or(start);
        usize::try_from(start)
            .ok()
            .zip(usize::try_from(end).ok())
            .and_then(|(s, e)| self.postings.get(s..e))
            .unwrap_or(&[])
    }

    /// The articles that have a word key.
    #[cfg(test)]
    fn articles_with(&self, key: u64) -> Articles<'_> {
        Articles::new(self.posting(key))
    }

    /// The articles that have every one of these word keys, in increasing order; `None` when there are no
    /// keys (every article may do). The rarest words (shortest postings) are intersected first.
    pub fn articles_with_all(&self, keys: &[u64]) -> Option<Vec<u32>> {
        let mut postings: Vec<&[u8]> = keys.iter().map(|&k| self.posting(k)).collect();
        postings.sort_by_key(|p| p.len());
        postings.dedup();
        let (first, rest) = postings.split_first()?;
        let mut out: Vec<u32> = Articles::new(first).collect();
        for p in rest {
            if out.is_empty() {
                break;
            }
            out = intersect(&out, Articles::new(p));
        }
        Some(out)
    }

    /// The articles that may have at least `need` of a multiset of words, each given by the keys of its
    /// words (an empty list: a word that every article may have) and its multiplicity; in increasing order.
    /// `None` when every article may.
    pub fn articles_with_some(&self, words: &[(Vec<u64>, usize)], need: usize) -> Option<Vec<u32>> {
        let mut base = 0;
        let mut counts: FxHashMap<u32, usize> = FxHashMap::default();
        for (keys, n) in words {
            match self.articles_with_all(keys) {
                None => base += n,
                Some(ids) => {
                    for id in ids {
                        *counts.entry(id).or_default() += n;
                    }
                }
            }
        }
        if base >= need {
            return None;
        }
        let mut out: Vec<u32> = counts
            .into_iter()
            .filter(|&(_, c)| base + c >= need)
            .map(|(id, _)| id)
            .collect();
        out.sort_unstable();
        Some(out)
    }

    /// Whether the index is one of `articles` articles that reads back whole: keys increasing, postings
    /// covering the bytes exactly, each one increasing and below the number of articles. The reason when not.
    pub fn check(&self, articles: usize) -> Result<(), String> {
        if self.articles as usize != articles {
            return Err(format!(
                "a word index of {} articles for {articles}",
                self.articles
            ));
        }
        if self.keys.len() != self.ends.len() {
            return Err("a word index with keys and postings apart".to_string());
        }
        if self.keys.windows(2).any(|w| w[0] >= w[1]) {
            return Err("a word index with keys out of order".to_string());
        }
        let mut start = 0u64;
        for (i, &end) in self.ends.iter().enumerate() {
            if end <= start || end > self.postings.len() as u64 {
                return Err(format!("a word index with posting {i} out of place"));
            }
            let bytes = &self.postings[start as usize..end as usize];
            let mut it = Articles::new(bytes);
            let mut last = None;
            for id in it.by_ref() {
                if id >= self.articles || last.is_some_and(|l| id <= l) {
                    return Err(format!(
                        "a word index with article {id} in posting {i} out of place"
                    ));
                }
                last = Some(id);
            }
            if it.failed || last.is_none() {
                return Err(format!("a word index with posting {i} that does not read"));
            }
            start = end;
        }
        if start != self.postings.len() as u64 {
            return Err("a word index with bytes past its postings".to_string());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fold;

    fn index(texts: &[&str]) -> WordIndex {
        let articles = crate::kb::article::from_texts(texts);
        WordIndex::build(&articles)
    }

    fn with_all(ix: &WordIndex, words: &[&str]) -> Option<Vec<u32>> {
        let keys: Vec<u64> = words.iter().map(|w| word_key(w)).collect();
        ix.articles_with_all(&keys)
    }

    #[test]
    fn words_are_runs_of_letters_and_digits_of_the_folded_text() {
        let mut words = Vec::new();
        for_each_word(
            &fold("The U.S. president's “plan” — 2,000 jobs-first, Zürich"),
            |w| words.push(w.to_string()),
        );
        assert_eq!(
            words,
            [
                "the",
                "us",
                "president",
                "s",
                "plan",
                "2000",
                "jobs",
                "first",
                "zürich"
            ]
        );
    }

    #[test]
    fn postings_hold_the_articles_that_have_every_word() {
        let ix = index(&[
            "The president spoke in Nairobi.",
            "Nothing here.",
            "The President's visit to Nairobi was brief.",
        ]);
        assert_eq!(ix.check(3), Ok(()));
        assert_eq!(with_all(&ix, &["nairobi"]), Some(vec![0, 2]));
        assert_eq!(with_all(&ix, &["president", "nairobi"]), Some(vec![0, 2]));
        assert_eq!(with_all(&ix, &["s", "visit"]), Some(vec![2]));
        assert_eq!(with_all(&ix, &["kampala", "the"]), Some(vec![]));
        assert_eq!(with_all(&ix, &[]), None);
        let some = |words: &[(&str, usize)], need| {
            let w: Vec<(Vec<u64>, usize)> =
                words.iter().map(|(w, n)| (vec![word_key(w)], *n)).collect();
            ix.articles_with_some(&w, need)
        };
        assert_eq!(
            some(&[("nairobi", 1), ("visit", 1), ("here", 1)], 2),
            Some(vec![2])
        );
        assert_eq!(some(&[("nairobi", 2), ("here", 1)], 1), Some(vec![0, 1, 2]));
        assert_eq!(
            ix.articles_with_some(&[(vec![], 2), (vec![word_key("here")], 1)], 3),
            Some(vec![1])
        );
        assert_eq!(ix.articles_with_some(&[(vec![], 2)], 2), None);
    }

    #[test]
    fn a_large_article_number_and_gap_read_back() {
        let mut bytes = Vec::new();
        for v in [0, 127, 128, 300_000, u32::MAX - 300_260] {
            push_varint(&mut bytes, v);
        }
        let ids: Vec<u32> = Articles::new(&bytes).collect();
        assert_eq!(ids, [0, 128, 257, 300_258, u32::MAX - 1]);
    }

    #[test]
    fn a_damaged_index_does_not_check_and_does_not_panic() {
        let good = index(&["The president spoke in Nairobi.", "A second text."]);
        assert_eq!(good.check(2), Ok(()));
        assert!(good.check(3).is_err());
        let mut bad = good.clone();
        bad.postings.push(0x80);
        assert!(bad.check(2).is_err());
        let mut bad = good.clone();
        if let Some(e) = bad.ends.last_mut() {
            *e += 5;
        }
        assert!(bad.check(2).is_err());
        let _ = with_all(&bad, &["nairobi", "second", "text"]);
        let mut bad = good.clone();
        bad.keys.reverse();
        assert!(bad.check(2).is_err());
        let mut bad = good.clone();
        bad.postings.iter_mut().for_each(|b| *b = 0xff);
        assert!(bad.check(2).is_err());
        for k in bad.keys.clone() {
            let _ = bad.articles_with(k).count();
        }
        let mut bad = good;
        bad.articles = 1;
        assert!(bad.check(1).is_err());
    }
}
