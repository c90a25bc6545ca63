//! Passages and articles as an analyst sees them: a passage shortened to an excerpt, an article named by its title
//! and date, and the sentence of a cited article that best supports a note's claim (shared by hover, navigation, diagnostics).

use super::note::{Citation, NoteIndex};
use crate::extract::events::{EventKind, find_triggers};
use crate::extract::names::collapse;
use crate::kb::{ArticleData, EntityId, KeyMatch, KnowledgeBase, Source};
use crate::text::{ByteRange, fold};
use std::collections::BTreeSet;

const MAX_EXCERPT: usize = 180;

/// Shorten a passage to about `MAX_EXCERPT` characters at a word boundary.
pub fn excerpt(s: &str) -> String {
    let s = collapse(s);
    if s.chars().count() <= MAX_EXCERPT {
        return s;
    }
    let cut: String = s.chars().take(MAX_EXCERPT).collect();
    let cut = cut
        .rsplit_once(' ')
        .map_or(cut.as_str(), |(a, _)| a)
        .to_string();
    format!("{cut} …")
}

fn content_words(s: &str) -> BTreeSet<String> {
    fold(s)
        .split(' ')
        .filter(|w| w.len() > 3)
        .map(str::to_string)
        .collect()
}

/// The sentence of the cited article that best supports the note's sentence around the citation: shared
/// entities count most, then the same kind of event, then shared content words. `None` when nothing is shared.
pub fn best_passage(
    kb: &KnowledgeBase,
    note: &NoteIndex,
    text: &str,
    c: &Citation,
) -> Option<Source> {
    let KeyMatch::One(ix) = c.target else {
        return None;
    };
    // The note's claim: the sentence holding the citation, or the one before when the citation stands alone.
    let sentence = note.sentence_at(c.range.start)?;
    let mut claim = sentence.clone();
    if text[sentence.clone()].trim() == text[c.range.clone()].trim()
        && let Some(prev) = note
            .sentences
            .iter()
            .rev()
            .find(|s| s.end <= sentence.start)
    {
        claim = prev.start..sentence.end;
    }
    let claim_entities: BTreeSet<EntityId> = note
        .mentions
        .iter()
        .filter(|m| claim.start <= m.range.start && m.range.end <= claim.end)
        .filter(|&m| m.candidates.len() == 1)
        .map(|m| m.candidates[0])
        .collect();
    let claim_words = content_words(&text[claim.clone()]);
    let claim_events: Vec<EventKind> = find_triggers(text, claim)
        .into_iter()
        .map(|t| t.kind)
        .collect();
    let a = kb.article(ix);
    let mentions = &kb.article_mentions[ix];
    let mut best: Option<(usize, ByteRange)> = None;
    for s in &a.sentences {
        let ents: BTreeSet<EntityId> = mentions
            .iter()
            .filter(|m| s.range.start <= m.range().start && m.range().end <= s.range.end)
            .map(|m| m.entity())
            .collect();
        let shared_e = ents.intersection(&claim_entities).count();
        let shared_w = content_words(&a.text()[s.range.clone()])
            .intersection(&claim_words)
            .count();
        let same_event = find_triggers(a.text(), s.range.clone())
            .iter()
            .any(|t| claim_events.iter().any(|k| k.compatible(t.kind)));
        let score = shared_e * 10 + shared_w + if same_event { 15 } else { 0 };
        if score >= 2 && best.as_ref().is_none_or(|(b, _)| score > *b) {
            best = Some((score, s.range.clone()));
        }
    }
    best.map(|(_, range)| Source { article: ix, range })
}

/// How an analyst recognises an article: its title (else its first words), shortened, and its
/// publication date when the metadata gives one — "Kenya, US agree to deepen ties, 29 October 2024".
pub fn article_label(a: &ArticleData) -> String {
    let title = match &a.article.title {
        Some(t) => collapse(t),
        None => collapse(a.article.body_text()),
    };
    let mut label = if title.chars().count() <= MAX_LABEL {
        title
    } else {
        let cut: String = title.chars().take(MAX_LABEL).collect();
        format!(
            "{} …",
            cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a)
        )
    };
    if label.is_empty() {
        label = a.id().to_string();
    }
    match a.article.date() {
        Some(d) => format!("{label}, {}", d.strftime("%-d %B %Y")),
        None => label,
    }
}

const MAX_LABEL: usize = 60;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_passages_are_cut_at_a_word() {
        let long = "word ".repeat(100);
        let e = excerpt(&long);
        assert!(e.ends_with(" …"));
        assert!(e.chars().count() <= MAX_EXCERPT + 2);
    }
}
