//! Per-thread memos of pure functions of a word (the stems of a corpus's words): a corpus repeats its words,
//! and stemming one costs far more than looking it up. A memo answers exactly what the function would.

use rustc_hash::{FxBuildHasher, FxHashMap};
use std::cell::RefCell;
use std::hash::BuildHasher;

/// A memo of `word → V`, emptied when full so a long-running server's memo stays small.
pub struct Memo<V>(RefCell<FxHashMap<Box<str>, V>>);

impl<V> Default for Memo<V> {
    fn default() -> Self {
        Memo(RefCell::default())
    }
}

impl<V: Clone> Memo<V> {
    const LIMIT: usize = 1 << 17;

    pub fn get(&self, word: &str, compute: impl FnOnce(&str) -> V) -> V {
        if let Some(v) = self.0.borrow().get(word) {
            return v.clone();
        }
        let v = compute(word);
        let mut map = self.0.borrow_mut();
        if map.len() >= Self::LIMIT {
            map.clear();
        }
        map.insert(word.into(), v.clone());
        v
    }
}

/// A slot of [`WordMemo`]'s front: a short word stored inline with its value.
#[derive(Clone, Copy, Default)]
struct Slot {
    len: u8,
    bytes: [u8; SHORT],
    value: u64,
}

/// The longest word the front holds.
const SHORT: usize = 23;

/// Slots in the front: 256 KiB, small enough to stay in cache.
const SLOTS: usize = 1 << 13;

/// A memo of `word → u64` for a corpus's vocabulary: a direct-mapped front of recent short words, inline
/// so a hit reads one cache line, before a [`Memo`] of every word.
pub struct WordMemo {
    front: RefCell<Box<[Slot]>>,
    back: Memo<u64>,
}

impl Default for WordMemo {
    fn default() -> Self {
        WordMemo {
            front: RefCell::new(vec![Slot::default(); SLOTS].into_boxed_slice()),
            back: Memo::default(),
        }
    }
}

impl WordMemo {
    /// `compute(word)`, looked up when known. `word` must not be empty.
    pub fn get(&self, word: &str, compute: impl FnOnce(&str) -> u64) -> u64 {
        if word.is_empty() || word.len() > SHORT {
            return self.back.get(word, compute);
        }
        let at = FxBuildHasher.hash_one(word) as usize & (SLOTS - 1);
        let slot = self.front.borrow()[at];
        if usize::from(slot.len) == word.len() && &slot.bytes[..word.len()] == word.as_bytes() {
            return slot.value;
        }
        let value = self.back.get(word, compute);
        let mut bytes = [0u8; SHORT];
        bytes[..word.len()].copy_from_slice(word.as_bytes());
        self.front.borrow_mut()[at] = Slot {
            len: word.len() as u8,
            bytes,
            value,
        };
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_memo_answers_what_the_function_answers_for_every_word() {
        let memo = WordMemo::default();
        let f = |w: &str| {
            w.bytes()
                .fold(7u64, |h, b| h.wrapping_mul(31) ^ u64::from(b))
        };
        let words: Vec<String> = (0..40_000)
            .map(|i| format!("w{}{}", i % 9_973, "x".repeat(i % 30)))
            .collect();
        for _ in 0..2 {
            for w in &words {
                assert_eq!(memo.get(w, f), f(w), "{w}");
            }
        }
    }
}
