//! The alias table: every known entity's names, and finding them in a text (word-bounded, longest first).
//!
//! An alias is found only where a word starts, and ends only where a word ends: before a character that is
//! not a letter or digit, after one that is not a space. The table holds a hash of every such prefix of every
//! alias (its *stops*: "General", "General Motors", "General Motors Corp", "General Motors Corp." for
//! "General Motors Corp."), marking those that are whole aliases. At a word start the text is hashed forward
//! one stop at a time while the prefix is known, and the longest whole alias seen is the match; a lower-case
//! word whose first byte begins no alias costs one byte test. Case-insensitive aliases (agreements'
//! descriptive forms) have their own hashes of ASCII-lower-cased text. Building the table is one pass over the
//! aliases (no automaton to compile); a match is always checked against the alias's text, so a hash collision
//! can cost a look-up but never give a wrong name. The rare alias that does not begin with a letter or digit
//! goes to a small Aho-Corasick automaton; matches of both are merged leftmost-longest.

use super::EntityId;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use rustc_hash::FxHashMap;
use std::ops::Range;

/// An alias: its text, the entities it names, and whether case must match.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub(super) struct Alias {
    pub text: String,
    pub ids: Vec<EntityId>,
    pub case_sensitive: bool,
}

#[derive(Default)]
pub(super) struct AliasTable {
    aliases: Vec<Alias>,
    /// Case-sensitive aliases that begin with a letter or digit.
    exact: Stops,
    /// Case-insensitive ones (ASCII case), hashed lower-cased.
    folded: Stops,
    /// Any other alias, and their indices in `aliases`.
    other: Option<(AhoCorasick, Vec<usize>)>,
}

/// Hashes of aliases' stops (prefixes that end where a word ends), each with the alias it completes.
#[derive(Default)]
struct Stops {
    /// Stop hash → index in `aliases` of the alias it completes, or [`Stops::PREFIX`].
    by_hash: FxHashMap<u64, u32>,
    /// Which bytes begin an alias (both cases when case-insensitive).
    first_bytes: [u64; 4],
    /// A bit per hash of an alias's first stop (its first word), indexed by the hash's low bits: a word that
    /// begins no alias is mostly turned away here, in a table small enough for the processor's cache,
    /// before it costs a look-up in `by_hash`.
    first_stops: Vec<u64>,
    fold: bool,
}

impl Stops {
    /// A stop that only begins aliases.
    const PREFIX: u32 = u32::MAX;
    /// An empty table for `n` aliases, its bit table of first stops sized for them: about 8 bits per alias
    /// (so that most bits stay clear), a power of two, at most [`MAX_FIRST_STOP_WORDS`] words.
    fn new(fold: bool, n: usize) -> Self {
        let words = (n * 8 / 64)
            .next_power_of_two()
            .clamp(1, MAX_FIRST_STOP_WORDS);
        Stops {
            fold,
            first_stops: vec![0; words],
            ..Stops::default()
        }
    }

    fn add(&mut self, text: &str, index: u32) {
        let first = text.as_bytes()[0];
        for b in [
            first,
            first.to_ascii_lowercase(),
            first.to_ascii_uppercase(),
        ] {
            if self.fold || b == first {
                self.first_bytes[usize::from(b >> 6)] |= 1 << (b & 63);
            }
        }
        let mut walk = StopWalk::new(self.fold);
        let mut first = None;
        for (j, c) in text.char_indices() {
            if let Some(h) = walk.stop_before(c) {
                first.get_or_insert(h);
                self.by_hash.entry(h).or_insert(Self::PREFIX);
            }
            walk.push(&text[j..j + c.len_utf8()], c);
        }
        if let Some(h) = walk.stop_at_end() {
            first.get_or_insert(h);
            // The first alias of a text (or of a hash) keeps it.
            let slot = self.by_hash.entry(h).or_insert(index);
            if *slot == Self::PREFIX {
                *slot = index;
            }
        }
        if let Some(h) = first {
            self.first_stops_add(h);
        }
    }

    /// Mark `h` as an alias's first stop.
    fn first_stops_add(&mut self, h: u64) {
        let bit = h as usize & (self.first_stops.len() * 64 - 1);
        self.first_stops[bit >> 6] |= 1 << (bit & 63);
    }

    /// Whether `h` may be the hash of an alias's first stop (false: it is certainly not).
    fn may_be_first_stop(&self, h: u64) -> bool {
        let bit = h as usize & (self.first_stops.len() * 64 - 1);
        self.first_stops[bit >> 6] & (1 << (bit & 63)) != 0
    }

    fn begins(&self, b: u8) -> bool {
        self.first_bytes[usize::from(b >> 6)] & (1 << (b & 63)) != 0
    }

    /// The longest alias that `rest` begins with, ending a word, as (length, index in `aliases`).
    /// The alias is checked against the text only once, at the end: a 64-bit hash of a stop met on the way
    /// that equals a stop of another alias by chance (about one look-up in 10^14 here) could at worst lead
    /// the walk one stop further, or, if it is the last, lose that one match.
    ///
    /// `first` is `rest`'s first word when [`AsciiWord::at`] found one (hashed once for both tables).
    fn longest(
        &self,
        rest: &str,
        first: Option<&AsciiWord>,
        aliases: &[Alias],
    ) -> Option<(usize, usize)> {
        if self.by_hash.is_empty() || !self.begins(rest.as_bytes()[0]) {
            return None;
        }
        let mut best: Option<(usize, u32)> = None;
        let mut known = |end: usize, h: u64| -> bool {
            match self.by_hash.get(&h).copied() {
                None => false,
                Some(Self::PREFIX) => true,
                Some(a) => {
                    best = Some((end, a));
                    true
                }
            }
        };
        let mut walk = StopWalk::new(self.fold);
        // An ASCII first word is turned away by the bit table unless it may begin an alias.
        let from = match first {
            Some(w) => {
                walk.resume_after_word(if self.fold { w.folded } else { w.exact });
                if !self.may_be_first_stop(walk.hash) {
                    return None;
                }
                w.len
            }
            None => 0,
        };
        let mut ended = false;
        for (j, c) in rest[from..].char_indices() {
            let j = from + j;
            if let Some(h) = walk.stop_before(c)
                && !known(j, h)
            {
                ended = true;
                break;
            }
            walk.push(&rest[j..j + c.len_utf8()], c);
        }
        if !ended && let Some(h) = walk.stop_at_end() {
            known(rest.len(), h);
        }
        let (end, a) = best?;
        let t = aliases[a as usize].text.as_str();
        let same = if self.fold {
            t.eq_ignore_ascii_case(&rest[..end])
        } else {
            t == &rest[..end]
        };
        same.then_some((end, a as usize))
    }
}

/// The largest bit table of first stops, in 64-bit words: 2^22 bits (512 KiB).
const MAX_FIRST_STOP_WORDS: usize = 1 << 16;

/// The FNV-1a offset basis and prime.
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

/// A text's first word, when it is ASCII letters and digits followed by an ASCII character or the end: its
/// length and its hashes as a [`StopWalk`] makes them, as it is and ASCII-lower-cased.
struct AsciiWord {
    len: usize,
    exact: u64,
    folded: u64,
}

impl AsciiWord {
    fn at(text: &[u8]) -> Option<AsciiWord> {
        let mut exact = FNV_OFFSET;
        let mut folded = FNV_OFFSET;
        let mut len = 0;
        for &b in text {
            if !b.is_ascii_alphanumeric() {
                break;
            }
            exact = (exact ^ u64::from(b)).wrapping_mul(FNV_PRIME);
            folded = (folded ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(FNV_PRIME);
            len += 1;
        }
        (len > 0 && text.get(len).is_none_or(u8::is_ascii)).then_some(AsciiWord {
            len,
            exact,
            folded,
        })
    }
}

/// Hashing a text forward, character by character, and telling where a stop is: FNV-1a over the bytes
/// (ASCII-lower-cased when folding), so that a prefix's hash does not depend on where it ends.
struct StopWalk {
    hash: u64,
    fold: bool,
    /// Whether a character has been pushed, and whether the last one was a space.
    started: bool,
    after_space: bool,
}

impl StopWalk {
    fn new(fold: bool) -> Self {
        StopWalk {
            hash: FNV_OFFSET,
            fold,
            started: false,
            after_space: false,
        }
    }

    /// The hash of the text so far, when the text so far is a stop given that `next` follows it.
    fn stop_before(&self, next: char) -> Option<u64> {
        (self.started && !self.after_space && !next.is_alphanumeric()).then_some(self.hash)
    }

    /// The hash of the whole text, when it is a stop.
    fn stop_at_end(&self) -> Option<u64> {
        (self.started && !self.after_space).then_some(self.hash)
    }

    /// Continue from a first word (not empty, no space) whose hash (as this walk hashes) is `hash`.
    fn resume_after_word(&mut self, hash: u64) {
        self.hash = hash;
        self.started = true;
        self.after_space = false;
    }

    fn push(&mut self, bytes: &str, c: char) {
        for &b in bytes.as_bytes() {
            let b = if self.fold { b.to_ascii_lowercase() } else { b };
            self.hash = (self.hash ^ u64::from(b)).wrapping_mul(FNV_PRIME);
        }
        self.started = true;
        self.after_space = c.is_whitespace();
    }
}

impl AliasTable {
    pub fn new(aliases: Vec<Alias>) -> Self {
        let mut other = Vec::new();
        let case_sensitive = aliases.iter().filter(|a| a.case_sensitive).count();
        let mut exact = Stops::new(false, case_sensitive);
        let mut folded = Stops::new(true, aliases.len() - case_sensitive);
        for (i, a) in aliases.iter().enumerate() {
            let index = u32::try_from(i).expect("fewer than 2^32 aliases");
            match a.text.chars().next() {
                Some(c) if c.is_alphanumeric() && a.case_sensitive => exact.add(&a.text, index),
                Some(c) if c.is_alphanumeric() => folded.add(&a.text, index),
                Some(_) => other.push(i),
                None => {}
            }
        }
        let other = (!other.is_empty())
            .then(|| {
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(other.iter().map(|&i| aliases[i].text.as_str()))
                    .ok()
                    .map(|ac| (ac, other))
            })
            .flatten();
        let fill = |s: &Stops| {
            s.first_stops
                .iter()
                .map(|w| w.count_ones() as usize)
                .sum::<usize>() as f64
                / (s.first_stops.len() * 64).max(1) as f64
        };
        tracing::debug!(
            "alias table: {} aliases ({} case-sensitive); {} + {} stops; first-stop bits set {:.3} + {:.3}",
            aliases.len(),
            case_sensitive,
            exact.by_hash.len(),
            folded.by_hash.len(),
            fill(&exact),
            fill(&folded)
        );
        AliasTable {
            aliases,
            exact,
            folded,
            other,
        }
    }

    /// The heap memory of the table's look-up structures, in bytes (approximate for the hash tables).
    pub fn memory_usage(&self) -> usize {
        let entry = size_of::<(u64, u32)>() + 1;
        (self.exact.by_hash.capacity() + self.folded.by_hash.capacity()) * entry
            + (self.exact.first_stops.len() + self.folded.first_stops.len()) * size_of::<u64>()
            + self.other.as_ref().map_or(0, |(ac, which)| {
                ac.memory_usage() + which.len() * size_of::<usize>()
            })
    }

    /// Every alias, sorted by text: what the table is built from.
    pub fn aliases(&self) -> &[Alias] {
        &self.aliases
    }

    /// Aliases in `s`, word-bounded (not inside a longer word), each with its entities; sorted by start,
    /// without overlaps (the longest of overlapping matches, the leftmost on ties; an exact alias before a
    /// case-insensitive one of the same length).
    pub fn find<'a>(&'a self, s: &str) -> Vec<(Range<usize>, &'a [EntityId])> {
        let mut found = self.find_at_word_starts(s);
        if let Some((ac, which)) = &self.other {
            let before = found.len();
            for m in ac.find_iter(s) {
                let alias = &self.aliases[which[m.pattern().as_usize()]];
                let bounded = s[..m.start()]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric())
                    && s[m.end()..]
                        .chars()
                        .next()
                        .is_none_or(|c| !c.is_alphanumeric());
                if bounded && (!alias.case_sensitive || s[m.range()] == alias.text) {
                    found.push((m.range(), which[m.pattern().as_usize()]));
                }
            }
            if found.len() > before && before > 0 {
                found.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
                let mut kept: Vec<(Range<usize>, usize)> = Vec::with_capacity(found.len());
                for f in found {
                    if kept.last().is_none_or(|(last, _)| last.end <= f.0.start) {
                        kept.push(f);
                    }
                }
                found = kept;
            }
        }
        found
            .into_iter()
            .map(|(r, i)| (r, self.aliases[i].ids.as_slice()))
            .collect()
    }

    /// The aliases that begin with a letter or digit: at each word start, the longest that the text continues
    /// with; the search goes on after it.
    fn find_at_word_starts(&self, s: &str) -> Vec<(Range<usize>, usize)> {
        let mut found = Vec::new();
        let mut resume = 0;
        let mut prev_alnum = false;
        let bytes = s.as_bytes();
        let mut next = 0;
        while next < bytes.len() {
            let i = next;
            let alnum = if bytes[i].is_ascii() {
                next += 1;
                bytes[i].is_ascii_alphanumeric()
            } else {
                let c = s[i..].chars().next().unwrap_or(char::REPLACEMENT_CHARACTER);
                next += c.len_utf8();
                c.is_alphanumeric()
            };
            if alnum && !prev_alnum && i >= resume {
                let rest = &s[i..];
                let first = AsciiWord::at(rest.as_bytes());
                let exact = self.exact.longest(rest, first.as_ref(), &self.aliases);
                let folded = self.folded.longest(rest, first.as_ref(), &self.aliases);
                let best = match (exact, folded) {
                    (Some(e), Some(f)) if f.0 > e.0 => Some(f),
                    (Some(e), _) => Some(e),
                    (None, f) => f,
                };
                if let Some((len, a)) = best {
                    resume = i + len;
                    found.push((i..resume, a));
                }
            }
            prev_alnum = alnum;
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[(&str, EntityId, bool)]) -> AliasTable {
        AliasTable::new(
            rows.iter()
                .map(|&(text, id, case_sensitive)| Alias {
                    text: text.to_string(),
                    ids: vec![id],
                    case_sensitive,
                })
                .collect(),
        )
    }

    /// What `t` finds in `text`: each match's text and its first entity.
    fn found<'a>(t: &AliasTable, text: &'a str) -> Vec<(&'a str, EntityId)> {
        t.find(text)
            .into_iter()
            .map(|(r, ids)| (&text[r], ids[0]))
            .collect()
    }

    #[test]
    fn aliases_are_found_word_bounded_longest_first_and_case_as_declared() {
        let t = table(&[
            ("Ford", 0, true),
            ("Ford Motor Company", 1, true),
            ("peace agreement", 2, false),
            ("US", 3, true),
        ]);
        let cases: &[(&str, &[(&str, EntityId)])] = &[
            ("Ford Motor Company said", &[("Ford Motor Company", 1)]),
            ("Shares of Ford fell", &[("Ford", 0)]),
            ("they could afford it", &[]),
            ("a ford in the river", &[]),
            ("The Peace Agreement was signed", &[("Peace Agreement", 2)]),
            ("the US and us", &[("US", 3)]),
            ("Fords", &[]),
            ("McFord said", &[]),
            ("Ford Motor Companyx and Ford", &[("Ford", 0), ("Ford", 0)]),
            ("Ford's plant, 2Ford", &[("Ford", 0)]),
            ("US-made, USA", &[("US", 3)]),
        ];
        for (text, want) in cases {
            let got = found(&t, text);
            assert_eq!(got, *want, "in {text:?}");
        }
    }

    #[test]
    fn an_exact_match_and_an_overlapping_case_insensitive_one_keep_the_longer() {
        let t = table(&[("Paris", 0, true), ("paris agreement", 1, false)]);
        let text = "the Paris Agreement and Paris";
        let got: Vec<&str> = t.find(text).into_iter().map(|(r, _)| &text[r]).collect();
        assert_eq!(got, ["Paris Agreement", "Paris"]);
    }

    #[test]
    fn a_longer_alias_that_runs_into_a_word_gives_way_to_a_shorter_one() {
        let t = table(&[("Ford", 0, true), ("Ford Motor", 1, true)]);
        let text = "Ford Motors said";
        let got: Vec<(&str, EntityId)> = t
            .find(text)
            .into_iter()
            .map(|(r, ids)| (&text[r], ids[0]))
            .collect();
        assert_eq!(got, [("Ford", 0)]);
    }

    #[test]
    fn an_alias_not_beginning_with_a_letter_keeps_its_case() {
        let t = table(&[("'Ndrangheta", 0, true), ("Rome", 1, true)]);
        let text = "the 'Ndrangheta and the 'ndrangheta in Rome";
        let got: Vec<(&str, EntityId)> = t
            .find(text)
            .into_iter()
            .map(|(r, ids)| (&text[r], ids[0]))
            .collect();
        assert_eq!(got, [("'Ndrangheta", 0), ("Rome", 1)]);
    }

    #[test]
    fn aliases_with_inner_punctuation_end_only_where_a_word_ends() {
        let t = table(&[
            ("U.S.", 0, true),
            ("U.S", 1, true),
            ("Ford Motor Co.", 2, true),
            ("Ford", 3, true),
            ("AT&T", 4, true),
        ]);
        let cases: &[(&str, &[(&str, EntityId)])] = &[
            ("U.S. officials", &[("U.S.", 0)]),
            ("the U.S, said", &[("U.S", 1)]),
            ("Ford Motor Co. said", &[("Ford Motor Co.", 2)]),
            ("Ford Motor Comp", &[("Ford", 3)]),
            ("AT&T and AT&", &[("AT&T", 4)]),
            ("Ford  Motor Co.", &[("Ford", 3)]),
        ];
        for (text, want) in cases {
            let got = found(&t, text);
            assert_eq!(got, *want, "in {text:?}");
        }
    }

    #[test]
    fn words_beyond_ascii_end_and_begin_aliases_like_ascii_ones() {
        let t = table(&[
            ("Ford", 0, true),
            ("Müller", 1, true),
            ("Ford Motor", 2, true),
            ("élysée accord", 3, false),
        ]);
        let cases: &[(&str, &[(&str, EntityId)])] = &[
            ("Ford’s plant", &[("Ford", 0)]),
            ("Ford—and", &[("Ford", 0)]),
            ("Fordé", &[]),
            ("Herr Müller said", &[("Müller", 1)]),
            ("Müllers", &[]),
            ("Ford Motor’s", &[("Ford Motor", 2)]),
            ("the Élysée accord", &[]),
            ("the élysée Accord", &[("élysée Accord", 3)]),
            ("Ford", &[("Ford", 0)]),
        ];
        for (text, want) in cases {
            let got = found(&t, text);
            assert_eq!(got, *want, "in {text:?}");
        }
    }

    /// What the table should find, by trying every alias at every word start.
    fn found_by_brute_force<'a>(
        rows: &[(&str, EntityId, bool)],
        s: &'a str,
    ) -> Vec<(&'a str, EntityId)> {
        let alnum_before = |i: usize| {
            s[..i]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
        };
        let mut out = Vec::new();
        let mut i = 0;
        while i < s.len() {
            let starts =
                s[i..].chars().next().is_some_and(char::is_alphanumeric) && !alnum_before(i);
            let best = rows
                .iter()
                .filter(|_| starts)
                .filter(|(text, _, exact)| {
                    let end = i + text.len();
                    s.is_char_boundary(end.min(s.len()))
                        && end <= s.len()
                        && if *exact {
                            &s[i..end] == *text
                        } else {
                            s[i..end].eq_ignore_ascii_case(text)
                        }
                        && !s[end..].chars().next().is_some_and(char::is_alphanumeric)
                })
                .max_by_key(|(text, _, exact)| (text.len(), *exact));
            match best {
                Some((text, id, _)) => {
                    out.push((&s[i..i + text.len()], *id));
                    i += text.len();
                }
                None => i += s[i..].chars().next().map_or(1, char::len_utf8),
            }
        }
        out
    }

    #[test]
    fn random_texts_give_what_trying_every_alias_gives() {
        let rows: &[(&str, EntityId, bool)] = &[
            ("Ford", 0, true),
            ("Ford Motor", 1, true),
            ("Ford Motor Co.", 2, true),
            ("Motor", 3, true),
            ("U.S.", 4, true),
            ("Zoë", 5, true),
            ("peace deal", 6, false),
            ("deal", 7, true),
            ("Co", 8, true),
        ];
        let t = table(rows);
        let pieces = [
            "Ford", "Motor", "Co", ".", " ", "  ", "U", "S", "’s", "Zoë", "zoë", "peace", "Peace",
            "deal", "DEAL", ",", "-", "é", "x", "1",
        ];
        let mut rng = crate::testing::XorShift(0x9e37_79b9_7f4a_7c15);
        for _ in 0..3000 {
            let text = rng.mixture(&pieces, 8, |_| "");
            assert_eq!(
                found(&t, &text),
                found_by_brute_force(rows, &text),
                "in {text:?}"
            );
        }
    }

    #[test]
    fn an_empty_table_finds_nothing() {
        assert!(AliasTable::new(Vec::new()).find("Anything").is_empty());
    }
}
