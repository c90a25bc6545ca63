//! Sentence sketches: for each sentence of an article, the 128-bit set of its folded words' hashes (one bit per
//! word), so that the sentences that may nearly match a quotation are found without reading the article.
//!
//! A sentence's sketch has the bit of every word of its folded text (the words of [`crate::text::fold`], as in
//! the quotation word index). A folded token of a quotation (a piece between spaces, "president's") that a
//! sentence has has all its words there, so all their bits are set: a sketch never turns away a sentence that
//! has a token, and a sentence it lets through is read and checked for real. With about twenty words to a
//! sentence, an eighth of the bits are set, so a sentence lacking three of a quotation's content words passes
//! by chance about once in five hundred.

use super::word_index::{word_key, word_keys};
use crate::extract::segment::Sentence;
use crate::text::for_each_folded_word;

/// The sketch of one sentence.
pub type Sketch = u128;

/// The bit of one word (by its index key, whose top seven bits pick it).
fn bit(key: u64) -> Sketch {
    1 << (key >> 57)
}

/// The sketch of each sentence of `text`, in order.
pub fn sketch_sentences(text: &str, sentences: &[Sentence]) -> Vec<Sketch> {
    let mut word = String::new();
    sentences
        .iter()
        .map(|s| {
            let mut sketch = 0;
            if let Some(t) = text.get(s.range.clone()) {
                for_each_folded_word(t, &mut word, |w| sketch |= bit(word_key(w)));
            }
            sketch
        })
        .collect()
}

/// The bits a sentence must have for it to hold a folded token (as the word index splits it): those of the token's words (none for a token
/// with no letter or digit, which any sentence may hold).
pub fn token_mask(token: &str) -> Sketch {
    word_keys(token)
        .into_iter()
        .fold(0, |mask, k| mask | bit(k))
}

/// Whether consecutive sentences of these sketches may hold a run of folded tokens (by their masks, in order)
/// that one sentence does not: the run's first tokens at the end of one sentence, then every token of the
/// sentences after it, its last tokens at the start of another. Never `false` when they do hold it, so a
/// `false` means the run is not across these sentences (nor within one of them).
///
/// A sentence wholly inside the run gives it all its words, so every sentence the run crosses has at least one
/// of its tokens, except a sentence with no word at all (an empty sketch), which the run may cross for free.
/// Tokens never straddle two sentences: sentences break at white space, which folds to the space between
/// tokens.
pub fn may_span(sketches: &[Sketch], tokens: &[Sketch]) -> bool {
    let n = tokens.len();
    if n == 0 {
        return true;
    }
    // `reach[p]`: some run may have its first `p` tokens (p ≥ 1) in the sentences up to this one.
    let mut reach = vec![false; n + 1];
    let mut next = vec![false; n + 1];
    for &sketch in sketches {
        next.fill(false);
        for p in (0..n).filter(|&p| p == 0 || reach[p]) {
            if p > 0 && sketch == 0 {
                next[p] = true;
            }
            let mut q = p;
            while q < n && sketch & tokens[q] == tokens[q] {
                q += 1;
                next[q] = true;
            }
        }
        if next[n] {
            return true;
        }
        std::mem::swap(&mut reach, &mut next);
    }
    false
}

/// A multiset of folded tokens, by their masks: how many of them a sketch may hold.
pub struct TokenMasks(Vec<(Sketch, usize)>);

impl TokenMasks {
    /// Tokens with their multiplicities.
    pub fn new<'a>(tokens: impl IntoIterator<Item = (&'a str, usize)>) -> TokenMasks {
        TokenMasks(
            tokens
                .into_iter()
                .map(|(t, n)| (token_mask(t), n))
                .collect(),
        )
    }

    /// How many of the tokens (with multiplicity) a sentence of this sketch may hold: at least as many as it
    /// does hold.
    pub fn may_hold(&self, sketch: Sketch) -> usize {
        self.0
            .iter()
            .filter(|(m, _)| sketch & m == *m)
            .map(|(_, n)| n)
            .sum()
    }
}

/// Sketches as stored: sixteen little-endian bytes each.
pub fn encode(sketches: &[Sketch]) -> Vec<u8> {
    sketches.iter().flat_map(|s| s.to_le_bytes()).collect()
}

/// Sketches read back; `None` when the bytes are not whole sketches.
pub fn decode(bytes: &[u8]) -> Option<Vec<Sketch>> {
    if !bytes.len().is_multiple_of(16) {
        return None;
    }
    Some(
        bytes
            .chunks_exact(16)
            .map(|c| Sketch::from_le_bytes(c.try_into().unwrap_or([0; 16])))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::XorShift;
    use crate::text::fold;

    fn sentences(text: &str) -> Vec<Sentence> {
        // One sentence per line, for the tests.
        let mut out = Vec::new();
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            out.push(Sentence {
                range: start..start + line.trim_end().len(),
                paragraph: 0,
            });
            start += line.len();
        }
        out
    }

    #[test]
    fn a_sentence_holding_a_token_always_passes_its_mask() {
        let text =
            "The U.S. President's “partners” in Africa.\nNothing here at all.\nÉtats-Unis, 2024!";
        let ss = sentences(text);
        let sketches = sketch_sentences(text, &ss);
        assert_eq!(sketches.len(), 3);
        for (s, sketch) in ss.iter().zip(&sketches) {
            for token in fold(&text[s.range.clone()]).split(' ') {
                let m = token_mask(token);
                assert_eq!(sketch & m, m, "{token:?} of {:?}", &text[s.range.clone()]);
            }
        }
    }

    /// Words for random sentences: content and function words, an acronym, a possessive, an accent, a
    /// number, a dash (no word at all).
    const WORDS: [&str; 19] = [
        "one",
        "of",
        "our",
        "most",
        "important",
        "security",
        "partners",
        "in",
        "africa",
        "u.s.",
        "president's",
        "état",
        "2024",
        "—",
        "Kenya",
        "talks",
        "signed",
        "deal",
        "x",
    ];

    #[test]
    fn counts_are_never_below_the_true_count_on_random_text() {
        let words = WORDS;
        let mut rng = XorShift(7);
        for _ in 0..300 {
            let mut text = String::new();
            for _ in 0..4 {
                let n = 1 + rng.next() % 12;
                text.push_str(&rng.mixture(&words, n, |_| " "));
                text.push('\n');
            }
            let ss = sentences(&text);
            let sketches = sketch_sentences(&text, &ss);
            let quote: Vec<&str> = (0..1 + rng.next() % 6)
                .map(|_| XorShift::pick(rng.next(), &words))
                .collect();
            let folded: Vec<String> = quote.iter().map(|w| fold(w)).collect();
            let mut multiset: Vec<(&str, usize)> = Vec::new();
            for t in &folded {
                match multiset.iter_mut().find(|(x, _)| x == t) {
                    Some((_, n)) => *n += 1,
                    None => multiset.push((t, 1)),
                }
            }
            let masks = TokenMasks::new(multiset.iter().copied());
            for (s, sketch) in ss.iter().zip(&sketches) {
                let tokens = fold(&text[s.range.clone()]);
                let tokens: Vec<&str> = tokens.split(' ').collect();
                let held: usize = multiset
                    .iter()
                    .filter(|(t, _)| tokens.contains(t))
                    .map(|(_, n)| n)
                    .sum();
                assert!(masks.may_hold(*sketch) >= held, "{text:?} {quote:?}");
            }
        }
    }

    /// The masks of a run's folded tokens.
    fn masks(run: &str) -> Vec<Sketch> {
        fold(run).split(' ').map(token_mask).collect()
    }

    #[test]
    fn a_run_across_consecutive_sentences_always_may_span_them() {
        let words = WORDS;
        let mut rng = XorShift(11);
        for _ in 0..500 {
            let mut text = String::new();
            for _ in 0..2 + rng.next() % 5 {
                let n = 1 + rng.next() % 8;
                text.push_str(&rng.mixture(&words, n, |_| " "));
                text.push('\n');
            }
            let ss = sentences(&text);
            let sketches = sketch_sentences(&text, &ss);
            // A run from inside one sentence to inside a later one: all the words in between.
            let all: Vec<(usize, &str)> = ss
                .iter()
                .enumerate()
                .flat_map(|(i, s)| text[s.range.clone()].split(' ').map(move |w| (i, w)))
                .collect();
            let from = (rng.next() as usize) % all.len();
            let to = from + 1 + (rng.next() as usize) % (all.len() - from);
            let run: Vec<&str> = all[from..to].iter().map(|(_, w)| *w).collect();
            let run = run.join(" ");
            assert!(may_span(&sketches, &masks(&run)), "{text:?} {run:?}");
        }
    }

    #[test]
    fn a_run_no_consecutive_sentences_hold_in_turn_cannot_span_them() {
        // (sentences one per line, run, may span)
        let cases = [
            (
                "Kenya signed the deal.\nTalks ended in Nairobi.",
                "the deal talks ended",
                true,
            ),
            (
                "Kenya signed the deal.\nTalks ended in Nairobi.",
                "signed the deal",
                true,
            ),
            // In the article, but not in turn: the second half is in the first sentence.
            (
                "Kenya signed the deal.\nTalks ended in Nairobi.",
                "talks ended kenya signed",
                false,
            ),
            // In two sentences that are not consecutive.
            (
                "Kenya signed the deal.\nNothing else.\nTalks ended.",
                "the deal talks ended",
                false,
            ),
            // A sentence with no word between them is crossed for free.
            (
                "Kenya signed the deal.\n— —\nTalks ended.",
                "the deal talks ended",
                true,
            ),
            ("Kenya signed the deal.", "", true),
            ("", "the deal", false),
        ];
        for (text, run, want) in cases {
            let ss: Vec<Sentence> = sentences(text)
                .into_iter()
                .filter(|s| !s.range.is_empty())
                .collect();
            let sketches = sketch_sentences(text, &ss);
            let tokens = if run.is_empty() {
                Vec::new()
            } else {
                masks(run)
            };
            assert_eq!(may_span(&sketches, &tokens), want, "{text:?} {run:?}");
        }
    }

    #[test]
    fn sketches_read_back_as_written_and_reject_partial_bytes() {
        let sketches = vec![0, 1, u128::MAX, 1 << 100];
        assert_eq!(decode(&encode(&sketches)), Some(sketches));
        assert_eq!(decode(&[]), Some(vec![]));
        assert_eq!(decode(&[0; 15]), None);
    }
}
