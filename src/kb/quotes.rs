//! Quotations: where a quoted passage is said in the corpus, verbatim or nearly, and the aligned window of a
//! near match.

use super::article::par_map;
use super::sketch::{Sketch, TokenMasks, may_span, token_mask};
use super::word_index::word_keys;
use super::{ArticleData, KnowledgeBase, QuoteMatch, Source};
use crate::text::{ByteRange, fold};
use aho_corasick::AhoCorasick;
use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};

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
        let timer = std::time::Instant::now();
        let (found, exact, near) = self.search_indexed(needle);
        tracing::debug!(
            "quotation of {} bytes looked up in {:?}: {} candidate articles verbatim ({} read), {} near ({} read); {}",
            needle.len(),
            timer.elapsed(),
            exact.0,
            exact.1,
            near.0,
            near.1,
            match &found {
                QuoteMatch::Exact(_) => "found",
                QuoteMatch::Near { .. } => "near",
                QuoteMatch::None => "not found",
            }
        );
        found
    }

    /// The articles to look in: those of the index's answer, or every one when it has none.
    fn candidates(&self, ids: Option<Vec<u32>>) -> Vec<usize> {
        match ids {
            Some(ids) => ids
                .into_iter()
                .map(|i| i as usize)
                .filter(|&i| i < self.articles.len())
                .collect(),
            None => (0..self.articles.len()).collect(),
        }
    }

    /// [`KnowledgeBase::search_quote`] on the articles the word index names; with the numbers of candidate
    /// articles verbatim and near, each with how many of them were read (an article read for both tiers of
    /// the verbatim search counts twice).
    fn search_indexed(&self, needle: &str) -> (QuoteMatch, (usize, usize), (usize, usize)) {
        if needle.split(' ').count() < 2 {
            return (QuoteMatch::None, (0, 0), (0, 0));
        }
        // Every word of a quotation found at word boundaries is a whole word of the article.
        let exact = self.candidates(self.words.articles_with_all(&word_keys(needle)));
        let (hit, exact_read) = self.exact_quote(needle, &exact);
        if let Some(hit) = hit {
            return (hit, (exact.len(), exact_read), (0, 0));
        }
        let exact = (exact.len(), exact_read);
        let Some(near) = NearQuery::new(needle) else {
            return (QuoteMatch::None, exact, (0, 0));
        };
        // Only a sentence that has at least `need` of the quotation's content words can be accepted (see
        // `NearQuery::need`): its article has them all among its words.
        let mut words: Vec<(&str, usize)> = Vec::new();
        for w in &near.content {
            match words.iter_mut().find(|(x, _)| x == w) {
                Some((_, n)) => *n += 1,
                None => words.push((w, 1)),
            }
        }
        let keys: Vec<(Vec<u64>, usize)> = words.iter().map(|&(w, n)| (word_keys(w), n)).collect();
        let ids = self.candidates(self.words.articles_with_some(&keys, near.need()));
        let masks = TokenMasks::new(words);
        let (found, read) = self.near_quote(&near, &masks, &ids);
        (found, exact, (ids.len(), read))
    }

    /// A verbatim match among these articles (in increasing order): the first article with a sentence whose
    /// fold has the folded quotation at word boundaries, else the first whose folded body has it (a quotation
    /// across sentences, or in a passage that is no sentence). Looked for on all cores, a batch of articles at
    /// a time, so that an early hit stops it. With the number of articles read.
    ///
    /// A quotation is nearly always within one sentence, and only the sentences whose sketches may hold all its
    /// words are read for it; the whole bodies are read only when no sentence has it, and then only those whose
    /// consecutive sentences may hold its words in turn ([`may_span`]): of 245 White House articles with every
    /// word of a quotation said nowhere, 6 rather than all.
    fn exact_quote(&self, needle: &str, articles: &[usize]) -> (Option<QuoteMatch>, usize) {
        let mask = token_mask(needle);
        let read = AtomicUsize::new(0);
        for batch in articles.chunks(EXACT_BATCH) {
            let hits = par_map(batch, |&ai| self.exact_in_sentence(ai, needle, mask, &read));
            if let Some(hit) = hits.into_iter().flatten().next() {
                return (Some(hit), read.into_inner());
            }
        }
        // Across sentences: only in an article whose consecutive sentences may hold the quotation's tokens in
        // turn, or whose text outside its sentences (boilerplate) is not sketched.
        let tokens: Vec<Sketch> = needle.split(' ').map(token_mask).collect();
        for batch in articles.chunks(EXACT_BATCH) {
            let hits = par_map(batch, |&ai| {
                let a = &self.articles[ai];
                if !may_be_across_sentences(a, &tokens) {
                    return None;
                }
                read.fetch_add(1, Ordering::Relaxed);
                // Read for this look only: a scan must not keep the texts of every candidate.
                let text = a.article.text.transient();
                let body = text.get(a.article.body.clone())?;
                let at = find_bounded(&fold(body), needle)?;
                let folded = crate::text::Folded::with_base(body, a.article.body.start);
                Some(QuoteMatch::Exact(Source {
                    article: ai,
                    range: folded.original_range(&(at..at + needle.len())),
                }))
            });
            if let Some(hit) = hits.into_iter().flatten().next() {
                return (Some(hit), read.into_inner());
            }
        }
        (None, read.into_inner())
    }

    /// The folded quotation at word boundaries in the fold of one of an article's sentences (the first that
    /// has it), looking only in those whose sketches have every bit of its words (`mask`).
    fn exact_in_sentence(
        &self,
        ai: usize,
        needle: &str,
        mask: Sketch,
        read: &AtomicUsize,
    ) -> Option<QuoteMatch> {
        let a = &self.articles[ai];
        let promising = promising_sentences(a, |sketch| sketch & mask == mask)?;
        let sentences = &*a.sentences;
        read.fetch_add(1, Ordering::Relaxed);
        let text = a.article.text.transient();
        promising.into_iter().find_map(|i| {
            let s = &sentences[i];
            let sentence = text.get(s.range.clone())?;
            let at = find_bounded(&fold(sentence), needle)?;
            let folded = crate::text::Folded::with_base(sentence, s.range.start);
            Some(QuoteMatch::Exact(Source {
                article: ai,
                range: folded.original_range(&(at..at + needle.len())),
            }))
        })
    }

    /// The best near match among the sentences of these articles (in increasing order; the first of equally
    /// good ones), each article looked in on whichever core is free. Only the sentences whose sketches may hold
    /// [`NearQuery::need`] of the quotation's content words (`masks`) are read: no other can be accepted or
    /// stop a better one from being; an article with none is not read at all. With the number of articles read.
    fn near_quote(
        &self,
        q: &NearQuery,
        masks: &TokenMasks,
        articles: &[usize],
    ) -> (QuoteMatch, usize) {
        let need = q.need();
        let read = AtomicUsize::new(0);
        let per_article = par_map(articles, |&ai| {
            let a = &self.articles[ai];
            let promising = promising_sentences(a, |sketch| masks.may_hold(sketch) >= need)?;
            let sentences = &*a.sentences;
            // Read for this look only: a scan must not keep the texts of every candidate.
            read.fetch_add(1, Ordering::Relaxed);
            // (No sentence's fold matches a word trigram that the body's fold does not, so the sentences
            // alone are looked in.)
            let text = a.article.text.transient();
            let mut best: Option<(f32, Source)> = None;
            for s in promising.into_iter().map(|i| &sentences[i]) {
                let Some(sentence) = text.get(s.range.clone()) else {
                    continue;
                };
                let sf = fold(sentence);
                if !q.grams.is_match(&sf) {
                    continue;
                }
                let sim = word_similarity(&q.content, &sf.split(' ').collect::<Vec<_>>());
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
            best
        });
        let mut best: Option<(f32, Source)> = None;
        for found in per_article.into_iter().flatten() {
            if best.as_ref().is_none_or(|(b, _)| found.0 > *b) {
                best = Some(found);
            }
        }
        (self.accept_near(q, best), read.into_inner())
    }

    /// A near match from the best sentence, when it lines up with the quotation well enough.
    fn accept_near(&self, q: &NearQuery, best: Option<(f32, Source)>) -> QuoteMatch {
        let words: Vec<&str> = q.needle.split(' ').collect();
        let quote_content = &q.content;
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
        let forward = word_similarity(quote_content, &window_words);
        let backward = word_similarity(&content_words(&window_words), &quote_refs);
        if forward >= ACCEPTED && backward >= ACCEPTED {
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

/// How many verbatim candidates are looked in at once (on all cores) before stopping at the first hit.
const EXACT_BATCH: usize = 128;

/// The share of a quotation's content words a near match must have, both ways.
const ACCEPTED: f32 = 0.75;

/// A quotation prepared for near matching: its folded words, its content words, and the automaton of its word
/// trigrams (one of which a candidate sentence must share).
struct NearQuery {
    needle: String,
    content: Vec<String>,
    grams: AhoCorasick,
}

impl NearQuery {
    /// `None` when the quotation is too short or too plain to be nearly matched at all.
    fn new(needle: &str) -> Option<NearQuery> {
        let words: Vec<&str> = needle.split(' ').collect();
        if words.len() < 4 {
            return None;
        }
        let content = content_words(&words);
        // Candidate sentences share a word trigram with the quotation (one with a content word).
        let grams: BTreeSet<String> = words
            .windows(3)
            .filter(|w| w.iter().any(|x| !STOPWORDS.contains(x)))
            .map(|w| w.join(" "))
            .collect();
        if grams.is_empty() {
            return None;
        }
        let grams: Vec<String> = grams.into_iter().collect();
        // A contiguous automaton builds in time linear in the patterns and searches faster than a
        // non-contiguous one (it is searched in every candidate article); the default may pick a DFA, whose
        // construction is quadratic or worse in a long word (thousands of digits took seconds).
        let grams = AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
            .build(&grams)
            .ok()?;
        Some(NearQuery {
            needle: needle.to_string(),
            content,
            grams,
        })
    }

    /// The fewest content words a sentence must share with the quotation for it to be accepted. A match is
    /// accepted only if its window has [`ACCEPTED`] of the content words; the window is part of the best
    /// sentence, so that sentence has at least as many, and so does every sentence that beats it. A sentence
    /// with fewer can therefore neither be accepted nor stop a better one from being.
    fn need(&self) -> usize {
        let n = self.content.len();
        (0..=n)
            .find(|&c| n > 0 && c as f32 / n as f32 >= ACCEPTED)
            .unwrap_or(n + 1)
    }
}

/// The sentences of an article worth reading for a quotation: those whose sketches pass `may`, or every one
/// when its sketches are unknown or are not of its sentences (which a checksummed record rules out); `None`
/// when no sketch passes, so that the article need not be read at all.
fn promising_sentences(a: &ArticleData, may: impl Fn(Sketch) -> bool) -> Option<Vec<usize>> {
    if let Some(sketches) = &*a.sketches {
        let hits: Vec<usize> = (0..sketches.len()).filter(|&i| may(sketches[i])).collect();
        if hits.is_empty() {
            return None;
        }
        if sketches.len() == a.sentences.len() {
            return Some(hits);
        }
    }
    Some((0..a.sentences.len()).collect())
}

/// Whether a quotation of these tokens (by their masks) may be in the article's body across sentences: always
/// when its sketches are unknown, or when some of its body is boilerplate (no sentence's, so not sketched);
/// else when consecutive sentences may hold its tokens in turn ([`may_span`]). Everything else in a body is
/// in some sentence or is white space.
fn may_be_across_sentences(a: &ArticleData, tokens: &[Sketch]) -> bool {
    if !a.article.boilerplate.is_empty() {
        return true;
    }
    // (Sketches that turned out not to be of its sentences would be a damaged record, which its checksum
    // rules out; as in `promising_sentences`, they are trusted to say no without reading the sentences.)
    match &*a.sketches {
        Some(sketches) => may_span(sketches, tokens),
        None => true,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{self, LoadOptions};
    use crate::extract::quotes::find_quotes;
    use crate::kb::extract_all;
    use std::path::PathBuf;

    /// The look-up as it was before the word index, as the oracle: every article's folded body scanned, for the
    /// verbatim search and for the near one; since sentence sketches, a verbatim match within one sentence is
    /// preferred to one across sentences (every sentence of every article scanned first).
    fn scan(kb: &KnowledgeBase, folded: &[String], quote: &str) -> QuoteMatch {
        let needle = fold(quote);
        let needle = needle.as_str();
        if needle.split(' ').count() < 2 {
            return QuoteMatch::None;
        }
        // Verbatim in one sentence: the first article with such a sentence, its first such sentence.
        for (ai, a) in kb.articles.iter().enumerate() {
            for s in &a.sentences {
                let sentence = &a.text()[s.range.clone()];
                if let Some(at) = find_bounded(&fold(sentence), needle) {
                    let f = crate::text::Folded::with_base(sentence, s.range.start);
                    return QuoteMatch::Exact(Source {
                        article: ai,
                        range: f.original_range(&(at..at + needle.len())),
                    });
                }
            }
        }
        // Verbatim anywhere in the body.
        for (ai, a) in kb.articles.iter().enumerate() {
            if let Some(at) = find_bounded(&folded[ai], needle) {
                let f = crate::text::Folded::with_base(
                    &a.text()[a.article.body.clone()],
                    a.article.body.start,
                );
                return QuoteMatch::Exact(Source {
                    article: ai,
                    range: f.original_range(&(at..at + needle.len())),
                });
            }
        }
        let words: Vec<&str> = needle.split(' ').collect();
        if words.len() < 4 {
            return QuoteMatch::None;
        }
        let quote_content = content_words(&words);
        let grams: BTreeSet<String> = words
            .windows(3)
            .filter(|w| w.iter().any(|x| !STOPWORDS.contains(x)))
            .map(|w| w.join(" "))
            .collect();
        if grams.is_empty() {
            return QuoteMatch::None;
        }
        let grams: Vec<String> = grams.into_iter().collect();
        let Ok(ac) = AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::NoncontiguousNFA))
            .build(&grams)
        else {
            return QuoteMatch::None;
        };
        let mut best: Option<(f32, Source)> = None;
        for (ai, a) in kb.articles.iter().enumerate() {
            if !ac.is_match(&folded[ai]) {
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
        let Some((_, sentence)) = best else {
            return QuoteMatch::None;
        };
        if quote_content.len() < 3 {
            return QuoteMatch::None;
        }
        let Some(window) = kb.aligned_window(&sentence, &words) else {
            return QuoteMatch::None;
        };
        let window_words = fold(&kb.article(sentence.article).text()[window.clone()]);
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

    /// Quotations made from a corpus's own sentences: stretches of words verbatim, in other case, without
    /// punctuation, with curly quotes; with a word changed, dropped or added (near matches and misses).
    fn made_from(kb: &KnowledgeBase) -> Vec<String> {
        let mut out = Vec::new();
        for (ai, a) in kb.articles.iter().enumerate() {
            // Across two sentences: the last words of one and the first of the next.
            for pair in a.sentences.windows(2).step_by(4) {
                let text = a.text();
                let end: Vec<&str> = text[pair[0].range.clone()].split_whitespace().collect();
                let start: Vec<&str> = text[pair[1].range.clone()].split_whitespace().collect();
                let tail = &end[end.len().saturating_sub(3)..];
                let head = &start[..start.len().min(3)];
                out.push([tail, head].concat().join(" "));
            }
            for (si, s) in a
                .sentences
                .iter()
                .enumerate()
                .filter(|(i, _)| i % 3 == ai % 3)
            {
                let words: Vec<&str> = a.text()[s.range.clone()].split_whitespace().collect();
                let n = words.len();
                let k = ai + si;
                for len in [2, 4, 7, 12] {
                    if n < len {
                        continue;
                    }
                    let at = k % (n - len + 1);
                    let w = &words[at..at + len];
                    let plain = w.join(" ");
                    out.push(plain.clone());
                    match k % 4 {
                        0 => out.push(plain.to_uppercase()),
                        1 => out.push(plain.replace([',', '.', ';', ':'], "")),
                        2 => out.push(format!("\u{201C}{plain}\u{201D}").replace('\'', "\u{2019}")),
                        _ => out.push(plain.replace(' ', "  \n ")),
                    }
                    let mut changed: Vec<&str> = w.to_vec();
                    changed[len / 2] = "zyxwvut";
                    out.push(changed.join(" "));
                    let mut dropped: Vec<&str> = w.to_vec();
                    dropped.remove(len / 3);
                    out.push(dropped.join(" "));
                    let mut added: Vec<&str> = w.to_vec();
                    added.insert(len / 2, "indeed");
                    out.push(added.join(" "));
                    if len > 2 {
                        let mut swapped: Vec<&str> = w.to_vec();
                        swapped.swap(0, len - 1);
                        out.push(swapped.join(" "));
                    }
                }
            }
        }
        out
    }

    /// A table of quotations by hand: one word, absent ones, odd characters, and stopwords only.
    const TABLE: &[&str] = &[
        "",
        "the",
        "Nairobi",
        "of the",
        "it is what it is",
        "the the the the the",
        "one of our most important security partners in Africa",
        "a quotation that no article of any corpus here has said",
        "U.S.",
        "U.S. and Kenya",
        "— – -",
        "$ % & @ #",
        "'s",
        "President's",
        "\u{201C}\u{201D}",
        "Zürich Zürich",
        "2024 2025",
        "we will, we will",
        "security partner",
        "security partners in",
    ];

    #[test]
    fn the_indexed_look_up_finds_what_a_scan_of_every_article_finds() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut kinds = [0usize; 4];
        for corpus in [
            "corpus",
            "devset/wikinews/corpus",
            "devset/whitehouse/corpus",
            "devset/wikinews_heldout/corpus",
        ] {
            let c = corpus::load(&[root.join(corpus)], &LoadOptions::default(), &|_, _| {})
                .expect("load");
            let kb = KnowledgeBase::build(extract_all(c.articles, &|_, _| {}), Vec::new());
            let folded: Vec<String> = kb
                .articles
                .iter()
                .map(|a| fold(&a.text()[a.article.body.clone()]))
                .collect();
            let mut quotes: Vec<String> = TABLE.iter().map(|s| s.to_string()).collect();
            // The quotations of the notes checked against this corpus, and those the articles make.
            let notes = root.join(corpus).with_file_name("notes");
            for note in std::fs::read_dir(&notes).into_iter().flatten().flatten() {
                let text = std::fs::read_to_string(note.path()).unwrap_or_default();
                for q in find_quotes(&text, 0..text.len()) {
                    quotes.push(text[q.inner].to_string());
                }
            }
            for a in &kb.articles {
                for q in &a.quotes {
                    quotes.push(a.text()[q.inner.clone()].to_string());
                }
            }
            quotes.extend(made_from(&kb));
            for q in &quotes {
                let want = scan(&kb, &folded, q);
                assert_eq!(kb.find_quote(q), want, "{corpus}: {q:?}");
                kinds[match &want {
                    QuoteMatch::Exact(s)
                        if kb
                            .article(s.article)
                            .sentence_at(s.range.start)
                            .is_some_and(|x| s.range.end <= x.range.end) =>
                    {
                        0
                    }
                    QuoteMatch::Exact(_) => 3,
                    QuoteMatch::Near { .. } => 1,
                    QuoteMatch::None => 2,
                }] += 1;
            }
        }
        // The table exercises every outcome: verbatim within a sentence and across sentences, near, none.
        assert!(kinds.iter().all(|&n| n > 20), "{kinds:?}");
    }
}
