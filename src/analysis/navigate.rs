//! Go-to-source, references, outline symbols, workspace symbols, completion and citation links.

use super::note::NoteIndex;
use super::passages::{best_passage, excerpt};
use crate::extract::names::EntityKind;
use crate::kb::{ArticleIx, EntityId, KeyMatch, KnowledgeBase, QuoteMatch, Source};
use crate::text::ByteRange;
use std::collections::BTreeSet;

/// A place in the corpus to jump to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// The part of the note the jump starts from.
    pub origin: ByteRange,
    pub article: ArticleIx,
    /// The whole passage (sentence).
    pub range: ByteRange,
    /// The exact words (name, quotation).
    pub selection: ByteRange,
}

fn sentence_of(kb: &KnowledgeBase, s: &Source) -> ByteRange {
    kb.article(s.article)
        .sentence_at(s.range.start)
        .map_or(s.range.clone(), |x| {
            x.range.start.min(s.range.start)..x.range.end.max(s.range.end)
        })
}

/// Minimum words for a quotation to be looked up.
pub const MIN_QUOTE_WORDS: usize = 5;

/// Go to source from `offset`: a quotation → its exact passage; a citation → the passage of the cited article
/// that best supports the note's sentence (or the article's start); a name → the passage that introduces it.
pub fn definition(kb: &KnowledgeBase, note: &NoteIndex, text: &str, offset: usize) -> Vec<Target> {
    if let Some(c) = note.citation_at(offset) {
        let KeyMatch::One(ix) = c.target else {
            return Vec::new();
        };
        let best = best_passage(kb, note, text, c);
        let a = kb.article(ix);
        return vec![match best {
            Some(s) => Target {
                origin: c.range.clone(),
                article: ix,
                range: s.range.clone(),
                selection: s.range,
            },
            None => {
                let start = a.article.body.start;
                let first = a
                    .sentences
                    .first()
                    .map_or(start..start, |s| s.range.clone());
                Target {
                    origin: c.range.clone(),
                    article: ix,
                    range: first.clone(),
                    selection: first.start..first.start,
                }
            }
        }];
    }
    if let Some(q) = note.quote_at(offset, text, MIN_QUOTE_WORDS) {
        return match kb.find_quote(&text[q.inner.clone()]) {
            QuoteMatch::Exact(s) | QuoteMatch::Near { source: s, .. } => vec![Target {
                origin: q.outer.clone(),
                article: s.article,
                range: sentence_of(kb, &s),
                selection: s.range,
            }],
            QuoteMatch::None => Vec::new(),
        };
    }
    if let Some(m) = note.mention_at(offset) {
        return m
            .candidates
            .iter()
            .filter_map(|id| {
                let e = &kb.entities[*id];
                let intro = e.intro.clone().or_else(|| e.mentions.first().cloned())?;
                Some(Target {
                    origin: m.range.clone(),
                    article: intro.article,
                    range: sentence_of(kb, &intro),
                    selection: intro.range,
                })
            })
            .collect();
    }
    Vec::new()
}

/// The entity at `offset` in a note, if one name resolves there.
pub fn entity_at(note: &NoteIndex, offset: usize) -> Option<EntityId> {
    note.mention_at(offset)
        .and_then(|m| match m.candidates.as_slice() {
            [id] => Some(*id),
            _ => None,
        })
}

/// Every mention of an entity across the corpus.
pub fn corpus_references(kb: &KnowledgeBase, id: EntityId) -> Vec<Source> {
    kb.entities[id].mentions.clone()
}

/// Every mention of an entity in a note.
pub fn note_references(note: &NoteIndex, id: EntityId) -> Vec<ByteRange> {
    note.mentions
        .iter()
        .filter(|m| m.candidates == [id])
        .map(|m| m.range.clone())
        .collect()
}

/// What an outline entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    Person,
    Agreement,
    Organization,
    Date,
    Citation,
    Quote,
}

/// An outline entry of a note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub detail: String,
    pub kind: SymbolKind,
    pub range: ByteRange,
}

/// The people, agreements, dates, citations and quotations of a note, in text order.
pub fn document_symbols(kb: &KnowledgeBase, note: &NoteIndex, text: &str) -> Vec<Symbol> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for m in &note.mentions {
        let [id] = m.candidates.as_slice() else {
            continue;
        };
        if !seen.insert(*id) {
            continue;
        }
        let e = &kb.entities[*id];
        out.push(Symbol {
            name: e.name.clone(),
            detail: e
                .roles
                .first()
                .map_or(e.kind.as_str().to_string(), |r| r.text.clone()),
            kind: match e.kind {
                EntityKind::Person => SymbolKind::Person,
                EntityKind::Agreement => SymbolKind::Agreement,
                _ => SymbolKind::Organization,
            },
            range: m.range.clone(),
        });
    }
    for d in &note.dates {
        out.push(Symbol {
            name: text[d.span.clone()].to_string(),
            detail: d.value.map_or("unresolved".to_string(), |v| v.to_iso()),
            kind: SymbolKind::Date,
            range: d.span.clone(),
        });
    }
    for c in &note.citations {
        out.push(Symbol {
            name: format!("@{}", c.key),
            detail: match &c.target {
                KeyMatch::One(ix) => kb
                    .article(*ix)
                    .article
                    .title
                    .clone()
                    .unwrap_or_else(|| kb.article(*ix).id().to_string()),
                KeyMatch::None => "no such article".to_string(),
                KeyMatch::Ambiguous(v) => format!("ambiguous: {} articles", v.len()),
            },
            kind: SymbolKind::Citation,
            range: c.range.clone(),
        });
    }
    for q in &note.quotes {
        let inner = crate::extract::names::collapse(&text[q.inner.clone()]);
        if crate::text::word_count(&inner) < MIN_QUOTE_WORDS {
            continue;
        }
        out.push(Symbol {
            name: excerpt(&inner),
            detail: "quotation".to_string(),
            kind: SymbolKind::Quote,
            range: q.outer.clone(),
        });
    }
    out.sort_by_key(|s| s.range.start);
    out
}

/// Fuzzy score of `query` against `name`: all query characters in order, tighter and earlier is better.
pub fn fuzzy_score(query: &str, name: &str) -> Option<i64> {
    if query.is_empty() {
        return Some(0);
    }
    let name_l: Vec<char> = name.to_lowercase().chars().collect();
    let mut score = 0i64;
    let mut pos = 0usize;
    let mut prev: Option<usize> = None;
    for qc in query.to_lowercase().chars().filter(|c| !c.is_whitespace()) {
        let found = name_l[pos..].iter().position(|c| *c == qc)? + pos;
        score += 10;
        if prev.is_some_and(|p| p + 1 == found) {
            score += 5;
        }
        if found == 0 || name_l.get(found.wrapping_sub(1)).is_some_and(|c| *c == ' ') {
            score += 8;
        }
        score -= (found - pos) as i64;
        prev = Some(found);
        pos = found + 1;
    }
    Some(score)
}

/// Corpus entities matching a query fuzzily on their names and aliases, best first.
pub fn workspace_symbols(kb: &KnowledgeBase, query: &str, limit: usize) -> Vec<EntityId> {
    let mut scored: Vec<(i64, EntityId)> = kb
        .entities
        .iter()
        .filter_map(|e| {
            let best = std::iter::once(&e.name)
                .chain(e.aliases.iter())
                .filter_map(|n| fuzzy_score(query, n))
                .max()?;
            Some((best, e.id))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().take(limit).map(|(_, id)| id).collect()
}

/// A completion proposal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    pub label: String,
    pub detail: String,
    pub insert: String,
    /// The note text it replaces.
    pub replace: ByteRange,
    pub kind: CompletionKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    Article,
    Person,
    Agreement,
    Organization,
}

/// Completion at `offset`: article keys after `[@`, corpus people and agreements on a capitalised prefix.
pub fn completion(kb: &KnowledgeBase, text: &str, offset: usize, limit: usize) -> Vec<Completion> {
    let offset = crate::text::floor_char_boundary(text, offset);
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..offset];
    if let Some(at) = before.rfind("[@")
        && !before[at..].contains(']')
        && before[at + 2..]
            .chars()
            .all(|c| c.is_alphanumeric() || "_./:-".contains(c))
    {
        let prefix = &before[at + 2..];
        let start = line_start + at + 2;
        let close = if text[offset..].starts_with(']') {
            ""
        } else {
            "]"
        };
        return kb
            .articles
            .iter()
            .filter(|a| {
                a.id().starts_with(prefix)
                    || a.id()
                        .rsplit('/')
                        .next()
                        .is_some_and(|s| s.starts_with(prefix))
            })
            .take(limit)
            .map(|a| Completion {
                label: a.id().to_string(),
                detail: format!(
                    "{} · {}",
                    a.article.title.as_deref().unwrap_or("(no title)"),
                    a.article
                        .meta
                        .date
                        .map_or("date unknown".to_string(), |d| d.to_string())
                ),
                insert: format!("{}{close}", a.id()),
                replace: start..offset,
                kind: CompletionKind::Article,
            })
            .collect();
    }
    let word_start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || matches!(c, '-' | '.' | '\''))
        .last()
        .map_or(before.len(), |(i, _)| i);
    let prefix = &before[word_start..];
    if !prefix.starts_with(char::is_uppercase) {
        return Vec::new();
    }
    let start = line_start + word_start;
    let mut out: Vec<Completion> = kb
        .entities
        .iter()
        .filter(|e| {
            std::iter::once(&e.name)
                .chain(e.aliases.iter())
                .any(|n| n.starts_with(prefix))
        })
        .map(|e| Completion {
            label: e.name.clone(),
            detail: format!(
                "{}{} · {} source{}",
                e.kind.as_str(),
                e.roles
                    .first()
                    .map_or(String::new(), |r| format!(", {}", r.text)),
                kb.source_count(e.id),
                if kb.source_count(e.id) == 1 { "" } else { "s" }
            ),
            insert: e.name.clone(),
            replace: start..offset,
            kind: match e.kind {
                EntityKind::Person => CompletionKind::Person,
                EntityKind::Agreement => CompletionKind::Agreement,
                _ => CompletionKind::Organization,
            },
        })
        .collect();
    out.sort_by(|a, b| a.label.cmp(&b.label));
    out.truncate(limit);
    out
}

/// Document links: each resolved citation to its article.
pub fn document_links(note: &NoteIndex) -> Vec<(ByteRange, ArticleIx)> {
    note.citations
        .iter()
        .filter_map(|c| match c.target {
            KeyMatch::One(ix) => Some((c.range.clone(), ix)),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fuzzy_prefers_word_starts_and_tight_matches() {
        let a = fuzzy_score("wr", "William Ruto").unwrap();
        let b = fuzzy_score("wr", "Lloyd Wrong").unwrap();
        assert!(a > 0 && b > 0);
        assert!(fuzzy_score("xyz", "William Ruto").is_none());
        assert!(
            fuzzy_score("ruto", "William Ruto").unwrap()
                > fuzzy_score("ruto", "Rwanda Trade Outlook").unwrap_or(0)
        );
    }
}
