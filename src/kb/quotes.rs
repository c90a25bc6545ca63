//! Quotations: where a quoted passage is said in the corpus, verbatim or nearly, and the aligned window of a
//! near match.

use super::{KnowledgeBase, QuoteMatch, Source};
use crate::text::{ByteRange, fold};
use aho_corasick::AhoCorasick;
use std::collections::{BTreeSet, HashMap};

impl KnowledgeBase {
    /// Find a quotation in the corpus, tolerating case, spacing, quote style and punctuation.
    pub fn find_quote(&self, quote: &str) -> QuoteMatch {
        let needle = fold(quote);
        if let Some(hit) = self
            .quote_cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&needle)
        {
            return hit.clone();
        }
        let found = self.search_quote(&needle);
        let mut cache = self.quote_cache.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() > 4096 {
            cache.clear();
        }
        cache.insert(needle, found.clone());
        found
    }

    fn search_quote(&self, needle: &str) -> QuoteMatch {
        if needle.split(' ').count() < 2 {
            return QuoteMatch::None;
        }
        for (ai, a) in self.articles.iter().enumerate() {
            if let Some(at) = find_bounded(&a.folded, needle) {
                let folded = crate::text::Folded::with_base(
                    &a.text()[a.article.body.clone()],
                    a.article.body.start,
                );
                return QuoteMatch::Exact(Source {
                    article: ai,
                    range: folded.original_range(&(at..at + needle.len())),
                });
            }
        }
        self.near_quote(needle)
    }

    fn near_quote(&self, needle: &str) -> QuoteMatch {
        let words: Vec<&str> = needle.split(' ').collect();
        if words.len() < 4 {
            return QuoteMatch::None;
        }
        let quote_content = content_words(&words);
        // Candidate sentences share a word trigram with the quotation (one with a content word).
        let grams: BTreeSet<String> = words
            .windows(3)
            .filter(|w| w.iter().any(|x| !STOPWORDS.contains(x)))
            .map(|w| w.join(" "))
            .collect();
        if grams.is_empty() {
            return QuoteMatch::None;
        }
        let grams: Vec<String> = grams.into_iter().collect();
        // A non-contiguous automaton builds in time linear in the patterns; the default may pick a DFA,
        // whose construction is quadratic or worse in a long word (thousands of digits took seconds).
        let Ok(ac) = AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::NoncontiguousNFA))
            .build(&grams)
        else {
            return QuoteMatch::None;
        };
        let mut best: Option<(f32, Source)> = None;
        for (ai, a) in self.articles.iter().enumerate() {
            if !ac.is_match(&a.folded) {
                continue;
            }
            for s in &a.sentences {
                let sf = fold(&a.text()[s.range.clone()]);
                if !ac.is_match(&sf) {
                    continue;
                }
                let sim = word_similarity(&quote_content, &sf.split(' ').collect::<Vec<_>>());
                if best.as_ref().is_none_or(|(b, _)| sim > *b) {
                    best = Some((
                        sim,
                        Source {
                            article: ai,
                            range: s.range.clone(),
                        },
                    ));
                }
            }
        }
        // A near miss, not a sentence that merely shares common words: in the stretch of the passage that
        // aligns with the quotation, most content words on each side must be found on the other.
        let Some((_, sentence)) = best else {
            return QuoteMatch::None;
        };
        if quote_content.len() < 3 {
            return QuoteMatch::None;
        }
        let Some(window) = self.aligned_window(&sentence, &words) else {
            return QuoteMatch::None;
        };
        let window_words = fold(&self.article(sentence.article).text()[window.clone()]);
        let window_words: Vec<&str> = window_words.split(' ').collect();
        let quote_refs: Vec<&str> = quote_content.iter().map(String::as_str).collect();
        let forward = word_similarity(&quote_content, &window_words);
        let backward = word_similarity(&content_words(&window_words), &quote_refs);
        if forward >= 0.75 && backward >= 0.75 {
            QuoteMatch::Near {
                source: Source {
                    article: sentence.article,
                    range: window,
                },
                similarity: forward.min(backward),
            }
        } else {
            QuoteMatch::None
        }
    }
}

/// Find `needle` in `hay` at word boundaries.
fn find_bounded(hay: &str, needle: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = hay[from..].find(needle) {
        let at = from + i;
        let before = hay[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let after = hay[at + needle.len()..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        if before && after {
            return Some(at);
        }
        from = at + needle.chars().next().map_or(1, char::len_utf8);
    }
    None
}

impl KnowledgeBase {
    /// The stretch of a source sentence that best lines up with a quotation's (folded) words.
    fn aligned_window(&self, sentence: &Source, quote_words: &[&str]) -> Option<ByteRange> {
        let a = self.article(sentence.article);
        let folded =
            crate::text::Folded::with_base(&a.text()[sentence.range.clone()], sentence.range.start);
        let words: Vec<(usize, &str)> = folded
            .text
            .split(' ')
            .scan(0usize, |pos, w| {
                let at = *pos;
                *pos += w.len() + 1;
                Some((at, w))
            })
            .collect();
        if words.is_empty() || folded.text.is_empty() {
            return None;
        }
        let n = quote_words.len().min(words.len());
        let mut best: Option<(usize, usize, usize)> = None;
        for len in n.saturating_sub(2).max(1)..=(n + 2).min(words.len()) {
            for i in 0..=words.len() - len {
                let window: Vec<&str> = words[i..i + len].iter().map(|(_, w)| *w).collect();
                let common = quote_words.iter().filter(|w| window.contains(w)).count();
                let ends = usize::from(window.first() == quote_words.first())
                    + usize::from(window.last() == quote_words.last());
                let score = (common * 4 + ends).saturating_sub(len.abs_diff(n));
                if best.is_none_or(|(b, _, _)| score > b) {
                    best = Some((score, i, len));
                }
            }
        }
        let (_, i, len) = best?;
        let start = words[i].0;
        let end = words[i + len - 1].0 + words[i + len - 1].1.len();
        Some(folded.original_range(&(start..end)))
    }
}

/// Words that say little about which passage a quotation comes from.
const STOPWORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for", "with",
    "from", "as", "is", "are", "was", "were", "be", "been", "being", "it", "its", "this", "that",
    "these", "those", "we", "our", "you", "your", "they", "their", "he", "his", "she", "her", "i",
    "my", "me", "us", "them", "will", "would", "can", "could", "should", "shall", "may", "might",
    "must", "have", "has", "had", "do", "does", "did", "not", "no", "so", "if", "than", "then",
    "there", "here", "what", "which", "who", "when", "where", "how", "all", "any", "some", "more",
    "most", "very", "just", "only", "also", "about", "into", "over", "up", "out",
];

/// The words of a folded text that identify a passage.
fn content_words(words: &[&str]) -> Vec<String> {
    words
        .iter()
        .filter(|w| !STOPWORDS.contains(w))
        .map(|w| w.to_string())
        .collect()
}

/// Share of the quotation's content words that the passage has (counted with multiplicity).
fn word_similarity(quote: &[String], passage: &[&str]) -> f32 {
    if quote.is_empty() {
        return 0.0;
    }
    let mut pool: HashMap<&str, usize> = HashMap::new();
    for w in passage {
        *pool.entry(w).or_default() += 1;
    }
    let mut common = 0;
    for w in quote {
        if let Some(n) = pool.get_mut(w.as_str())
            && *n > 0
        {
            *n -= 1;
            common += 1;
        }
    }
    common as f32 / quote.len() as f32
}
