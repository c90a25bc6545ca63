//! Look-ups in a built knowledge base: names in a text (mentions resolved in context), citation keys, the
//! facts of an entity, the texts found stale, the dated clauses of many articles decoded at once.

use super::article::par_map;
use super::{
    ArticleData, ArticleIx, Entity, EntityId, Fact, KeyMatch, KnowledgeBase, Mention, StatementRef,
};
use crate::corpus::Problem;
use crate::extract::names::EntityKind;
use crate::text::ByteRange;
use std::collections::BTreeSet;
use std::sync::Arc;

/// Heads that a definite reference ("the Framework") can use for the agreement named before it.
const ANAPHOR_HEADS: &[&str] = &[
    "Framework",
    "Agreement",
    "Mission",
    "Treaty",
    "Act",
    "Accord",
    "Pact",
    "Initiative",
    "Operation",
    "Convention",
    "Compact",
    "Charter",
];

impl KnowledgeBase {
    /// Names of known entities in `text[range]`, by their aliases (word-bounded, possessives allowed).
    pub fn find_mentions(&self, text: &str, range: ByteRange) -> Vec<Mention> {
        let s = &text[range.clone()];
        let mut out: Vec<Mention> = self
            .aliases
            .find(s)
            .into_iter()
            .map(|(r, ids)| Mention {
                range: range.start + r.start..range.start + r.end,
                candidates: ids.to_vec(),
            })
            .collect();
        // Definite references to the agreement named just before: "the Framework".
        for (i, _) in s.match_indices("the ") {
            let rest = &s[i + 4..];
            let word: &str = rest
                .split(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("");
            if ANAPHOR_HEADS.contains(&word) {
                let r = range.start + i + 4..range.start + i + 4 + word.len();
                if !out
                    .iter()
                    .any(|m| m.range.start <= r.start && r.end <= m.range.end)
                {
                    out.push(Mention {
                        range: r,
                        candidates: Vec::new(),
                    });
                }
            }
        }
        out.sort_by_key(|m| m.range.start);
        out
    }

    /// Resolve a citation key: an article id or a unique prefix of one.
    pub fn article_by_key(&self, key: &str) -> KeyMatch {
        if let Some(i) = self.articles.iter().position(|a| a.id() == key) {
            return KeyMatch::One(i);
        }
        let hits: Vec<ArticleIx> = self
            .articles
            .iter()
            .enumerate()
            .filter(|(_, a)| {
                a.id().starts_with(key)
                    || a.id()
                        .rsplit('/')
                        .next()
                        .is_some_and(|s| s.starts_with(key))
            })
            .map(|(i, _)| i)
            .collect();
        match hits.as_slice() {
            [] => KeyMatch::None,
            [one] => KeyMatch::One(*one),
            _ => KeyMatch::Ambiguous(hits),
        }
    }

    /// Facts that involve an entity, dated ones first by date value.
    pub fn facts_of(&self, id: EntityId) -> Vec<&Fact> {
        // Kept in `fact_order` by the merge.
        self.facts_by_entity
            .get(id)
            .into_iter()
            .flatten()
            .map(|&i| &self.facts[i as usize])
            .collect()
    }

    /// Number of distinct articles that mention an entity.
    pub fn source_count(&self, id: EntityId) -> usize {
        self.entities[id].source_count
    }

    pub fn article(&self, ix: ArticleIx) -> &ArticleData {
        &self.articles[ix]
    }

    /// Decode the dated clauses of `refs` now, on all cores, rather than one by one as they are looked at: a
    /// claim's candidate clauses lie in thousands of articles, whose clauses a start from the index keeps
    /// encoded until then.
    pub fn decode_statements(&self, refs: &[StatementRef]) {
        let todo: Vec<(&Arc<ArticleData>, usize)> = refs
            .iter()
            .filter_map(|&(ai, si)| {
                let a = self.articles.get(ai as usize)?;
                (!a.statements.is_decoded(si as usize)).then_some((a, si as usize))
            })
            .collect();
        par_map(&todo, |(a, si)| {
            a.statements.get(*si);
        });
    }

    /// The articles whose text turned out, when it was read, not to be the one the load trusted (changed,
    /// removed or unreadable since): what `dossier` does again and the language server reads again.
    pub fn stale_texts(&self) -> Vec<Problem> {
        self.articles
            .iter()
            .filter_map(|a| a.article.text_problem())
            .collect()
    }
}

/// Resolve ambiguous short names by the entities named in full in the same text, and "the Framework" to the
/// agreement named most recently before it.
pub fn resolve_in_context(mentions: &mut Vec<Mention>, text: &str, entities: &[Arc<Entity>]) {
    let named_in_full: BTreeSet<EntityId> = mentions
        .iter()
        .filter(|m| m.candidates.len() == 1 && text[m.range.clone()].contains(' '))
        .map(|m| m.candidates[0])
        .collect();
    let mut last_agreement: Vec<(String, EntityId)> = Vec::new();
    for m in mentions.iter_mut() {
        if m.candidates.len() > 1 {
            let here: Vec<EntityId> = m
                .candidates
                .iter()
                .copied()
                .filter(|c| named_in_full.contains(c))
                .collect();
            if here.len() == 1 {
                m.candidates = here;
            }
        } else if m.candidates.is_empty() {
            let head = &text[m.range.clone()];
            if let Some((_, id)) = last_agreement.iter().rev().find(|(name, _)| {
                name.to_lowercase()
                    .split_whitespace()
                    .any(|w| w == head.to_lowercase())
            }) {
                m.candidates = vec![*id];
            }
        }
        if let [id] = m.candidates.as_slice()
            && entities[*id].kind == EntityKind::Agreement
        {
            last_agreement.push((entities[*id].name.clone(), *id));
        }
    }
    mentions.retain(|m| !m.candidates.is_empty());
}

/// The mentions that can be participants of an event fact: people, agreements and organisations (places are
/// where it happens; products, indices and untyped names are matched by the statement check instead).
pub fn participants(mentions: &[Mention], entities: &[Arc<Entity>]) -> Vec<Mention> {
    mentions
        .iter()
        .filter(|m| {
            m.candidates.iter().all(|id| {
                matches!(
                    entities[*id].kind,
                    EntityKind::Person | EntityKind::Agreement | EntityKind::Organization
                )
            })
        })
        .cloned()
        .collect()
}

/// The order an entity's facts are shown in: dated first, by date, then by where they are said.
pub(super) fn fact_order(f: &Fact) -> (bool, Option<String>, ArticleIx, usize) {
    (
        f.date.is_none(),
        f.date.as_ref().map(|d| d.value.to_iso()),
        f.source.article,
        f.source.range.start,
    )
}
