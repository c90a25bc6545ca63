//! The alias table: every known entity's names, and finding them in a text (word-bounded, longest first).
//!
//! Names are case-sensitive and matched by an exact automaton, which stays at its root over lower-case prose;
//! the few case-insensitive names (agreements' descriptive forms) have a second, small automaton. Matches of
//! both are merged leftmost-longest.

use super::EntityId;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
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
    /// The case-sensitive aliases, and their indices in `aliases`.
    exact: Option<(AhoCorasick, Vec<usize>)>,
    /// The case-insensitive ones (ASCII case).
    folded: Option<(AhoCorasick, Vec<usize>)>,
}

impl AliasTable {
    pub fn new(aliases: Vec<Alias>) -> Self {
        let build = |case_sensitive: bool| {
            let which: Vec<usize> = (0..aliases.len())
                .filter(|&i| aliases[i].case_sensitive == case_sensitive)
                .collect();
            if which.is_empty() {
                return None;
            }
            let ac = AhoCorasickBuilder::new()
                .ascii_case_insensitive(!case_sensitive)
                .match_kind(MatchKind::LeftmostLongest)
                .build(which.iter().map(|&i| aliases[i].text.as_str()))
                .ok()?;
            Some((ac, which))
        };
        let exact = build(true);
        let folded = build(false);
        AliasTable {
            aliases,
            exact,
            folded,
        }
    }

    /// The heap memory of the automata, in bytes.
    pub fn memory_usage(&self) -> usize {
        [&self.exact, &self.folded]
            .into_iter()
            .flatten()
            .map(|(ac, which)| ac.memory_usage() + which.len() * size_of::<usize>())
            .sum()
    }

    /// Every alias, sorted by text: what the automata are built from.
    pub fn aliases(&self) -> &[Alias] {
        &self.aliases
    }

    /// Aliases in `s`, word-bounded (not inside a longer word), each with its entities; sorted by start,
    /// without overlaps (the longest of overlapping matches, the leftmost on ties).
    pub fn find<'a>(&'a self, s: &str) -> Vec<(Range<usize>, &'a [EntityId])> {
        let mut found: Vec<(Range<usize>, usize)> = Vec::new();
        for (ac, which) in [&self.exact, &self.folded].into_iter().flatten() {
            for m in ac.find_iter(s) {
                let bounded = s[..m.start()]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric())
                    && s[m.end()..]
                        .chars()
                        .next()
                        .is_none_or(|c| !c.is_alphanumeric());
                if bounded {
                    found.push((m.start()..m.end(), which[m.pattern().as_usize()]));
                }
            }
        }
        if self.folded.is_some() && self.exact.is_some() {
            found.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
            let mut kept: Vec<(Range<usize>, usize)> = Vec::with_capacity(found.len());
            for f in found {
                if kept.last().is_none_or(|(last, _)| last.end <= f.0.start) {
                    kept.push(f);
                }
            }
            found = kept;
        }
        found
            .into_iter()
            .map(|(r, i)| (r, self.aliases[i].ids.as_slice()))
            .collect()
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
        ];
        for (text, want) in cases {
            let got: Vec<(&str, EntityId)> = t
                .find(text)
                .into_iter()
                .map(|(r, ids)| (&text[r], ids[0]))
                .collect();
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
    fn an_empty_table_finds_nothing() {
        assert!(AliasTable::new(Vec::new()).find("Anything").is_empty());
    }
}
