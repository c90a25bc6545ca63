//! The patch: a knowledge base brought up to date for a few edited articles in milliseconds, by re-reading
//! only them against the entities and aliases of the last merge — published while the full merge, which it
//! does not replace, runs in the background.
//!
//! What a patch makes current, for each edited article: its extraction (sentences, dates, statements,
//! quotations, as every look-up of an article's text reads them), its mentions (found by the existing alias
//! table and resolved in the article's context, as the merge does), the mention counts and kept mentions of
//! every entity it names or named, its facts (replacing the old ones, in article order, with relative-to-event
//! dates resolved as the merge does), the roles it gives to entities named by a known alias, and the
//! introduction of an entity that the old text introduced.
//!
//! What only the full merge brings (the patch keeps the last merge's view):
//! - entities and aliases: a name new to the corpus is not an entity, a name no longer written anywhere still
//!   is one, and canonical names, kinds, acronyms, first-name aliases and the split of names into entities
//!   stay as they were (the merge counts forms across the corpus);
//! - an entity's introduction, when the edited article now introduces it better than the one chosen;
//! - the statement index: an edited article's clauses are found by the terms of its old clauses, and read as
//!   they are now (a changed date is seen; a clause with new words may not be found), and term rarities are
//!   the old ones;
//! - the quotation word index: a quotation is found in an edited article only if the old text had its words;
//! - a relative date elsewhere in the corpus anchored to a fact of the edited article keeps its old date;
//! - articles added, removed, renamed or reordered: no patch is made ([`KnowledgeBase::patched`] is `None`).

use super::lookup::fact_order;
use super::merge::{fact_of, tally};
use super::{ArticleData, ArticleIx, EntityId, FactDate, KnowledgeBase, Role, Source};
use crate::corpus::Problem;
use crate::extract::events::EventKind;
use crate::extract::facts::resolve_anchor;
use crate::extract::names::{Cue, NameMention};
use crate::text::fold;
use std::collections::BTreeSet;
use std::sync::Arc;

/// More edited articles than this are left to the full merge: a patch is for an edit, not a checkout.
pub const MAX_PATCHED: usize = 32;

impl KnowledgeBase {
    /// This knowledge base brought up to date for `articles` — the same articles in the same order, of which
    /// at most [`MAX_PATCHED`] are new extractions (edited articles; the others are the very extractions this
    /// one holds) — with `problems`. `None` when the articles differ otherwise (added, removed, renamed,
    /// reordered, or too many edited): only a full merge gives their knowledge base.
    ///
    /// The result shares the alias table, the statement index, the word index and every entity the edited
    /// articles do not touch with this one, and copies the rest; see the module documentation for what it does not bring up to date. A full
    /// [`KnowledgeBase::build`] of the same articles replaces it.
    pub fn patched(
        &self,
        articles: Vec<Arc<ArticleData>>,
        problems: Vec<Problem>,
    ) -> Option<KnowledgeBase> {
        if articles.len() != self.articles.len() {
            return None;
        }
        let mut edited: Vec<ArticleIx> = Vec::new();
        for (i, (new, old)) in articles.iter().zip(&self.articles).enumerate() {
            if Arc::ptr_eq(new, old) {
                continue;
            }
            if new.id() != old.id() || new.article.path != old.article.path {
                return None;
            }
            edited.push(i);
            if edited.len() > MAX_PATCHED {
                return None;
            }
        }
        let timer = std::time::Instant::now();
        let mut kb = KnowledgeBase {
            articles,
            entities: self.entities.clone(),
            facts: Vec::new(),
            facts_by_entity: Vec::new(),
            problems,
            aliases: Arc::clone(&self.aliases),
            article_mentions: self.article_mentions.clone(),
            statement_index: Arc::clone(&self.statement_index),
            words: Arc::clone(&self.words),
            quote_cache: Default::default(),
        };
        tracing::debug!("kb patch: copied at {:?}", timer.elapsed());
        let is_edited = |ai: ArticleIx| edited.binary_search(&ai).is_ok();
        // Mentions and facts of the edited articles, against the entities and aliases of the last merge.
        let mut touched = vec![false; kb.entities.len()];
        let mut new_facts = Vec::with_capacity(edited.len());
        for &ai in &edited {
            for m in &kb.article_mentions[ai] {
                touched[m.entity()] = true;
            }
            let (mentions, facts) = kb.mentions_and_facts(&kb.articles[ai]);
            for m in &mentions {
                touched[m.entity()] = true;
            }
            kb.article_mentions[ai] = mentions;
            new_facts.push((ai, facts));
        }
        recount_mentions(&mut kb, &touched);
        replace_roles_and_intros(&mut kb, &edited);
        tracing::debug!("kb patch: mentions at {:?}", timer.elapsed());
        // Facts: the edited articles' replace their old ones, in article order.
        let dated_elsewhere: Vec<(EventKind, &[EntityId], &FactDate)> = self
            .facts
            .iter()
            .filter(|f| !is_edited(f.source.article))
            .filter_map(|f| {
                let d = f.date.as_ref().filter(|d| d.derived_from.is_none())?;
                Some((f.kind, f.entities.as_slice(), d))
            })
            .collect();
        let mut added: Vec<(ArticleIx, Vec<super::Fact>)> = Vec::with_capacity(new_facts.len());
        let mut all_dated: Vec<(EventKind, &[EntityId], &FactDate)> = dated_elsewhere.clone();
        for (_, facts) in &new_facts {
            all_dated.extend(
                facts
                    .iter()
                    .filter_map(|g| g.date.as_ref().map(|d| (g.kind, g.entities.as_slice(), d))),
            );
        }
        for (ai, facts) in &new_facts {
            let same: Vec<(EventKind, &[EntityId], &FactDate)> = facts
                .iter()
                .filter_map(|g| g.date.as_ref().map(|d| (g.kind, g.entities.as_slice(), d)))
                .collect();
            let resolved: Vec<Option<FactDate>> = facts
                .iter()
                .map(|f| {
                    if f.date.is_some() {
                        return None;
                    }
                    let anchor = f.pending_anchor.as_ref()?;
                    resolve_anchor(anchor, &same).or_else(|| resolve_anchor(anchor, &all_dated))
                })
                .collect();
            added.push((
                *ai,
                facts
                    .iter()
                    .cloned()
                    .zip(resolved)
                    .map(|(f, r)| fact_of(*ai, f, r))
                    .collect(),
            ));
        }
        drop(all_dated);
        drop(dated_elsewhere);
        let mut facts = Vec::with_capacity(self.facts.len());
        // Where each old fact went, or `u32::MAX` for a fact of an edited article.
        let mut moved: Vec<u32> = Vec::with_capacity(self.facts.len());
        let mut pending = added.into_iter().peekable();
        let mut first_new: Vec<(usize, usize)> = Vec::new();
        for f in &self.facts {
            while let Some((ai, _)) = pending.peek()
                && *ai <= f.source.article
            {
                let (_, new) = pending.next().expect("peeked");
                first_new.push((facts.len(), new.len()));
                facts.extend(new);
            }
            if is_edited(f.source.article) {
                moved.push(u32::MAX);
            } else {
                moved.push(facts.len() as u32);
                facts.push(f.clone());
            }
        }
        for (_, new) in pending {
            first_new.push((facts.len(), new.len()));
            facts.extend(new);
        }
        kb.facts = facts;
        // Each entity's facts: the kept ones where they went, the new ones added, re-sorted where any was.
        kb.facts_by_entity = self
            .facts_by_entity
            .iter()
            .map(|of| {
                of.iter()
                    .map(|&i| moved[i as usize])
                    .filter(|&i| i != u32::MAX)
                    .collect()
            })
            .collect();
        let mut grown: BTreeSet<EntityId> = BTreeSet::new();
        for (start, n) in first_new {
            for i in start..start + n {
                for &e in &kb.facts[i].entities {
                    let of = &mut kb.facts_by_entity[e];
                    if of.last() != Some(&(i as u32)) {
                        of.push(i as u32);
                        grown.insert(e);
                    }
                }
            }
        }
        for e in grown {
            let facts = &kb.facts;
            kb.facts_by_entity[e].sort_by_cached_key(|&i| fact_order(&facts[i as usize]));
        }
        tracing::debug!(
            "kb patch: {} edited articles in {:?}",
            edited.len(),
            timer.elapsed()
        );
        Some(kb)
    }
}

/// The kept mentions and counts of the `touched` entities, from `article_mentions` (as
/// [`KnowledgeBase::complete`] makes them).
fn recount_mentions(kb: &mut KnowledgeBase, touched: &[bool]) {
    let tallies = tally(kb.entities.len(), &kb.article_mentions, |e| touched[e]);
    for ((e, t), _) in kb
        .entities
        .iter_mut()
        .zip(tallies)
        .zip(touched)
        .filter(|(_, t)| **t)
    {
        t.apply(Arc::make_mut(e));
    }
}

/// Roles and introductions sourced in the edited articles: the old ones go (their byte ranges are of the
/// old texts), and the edited texts' roles and introductions are given to the entities their names are
/// aliases of — a role after the others of earlier articles, an introduction only where the old one was in
/// an edited article.
fn replace_roles_and_intros(kb: &mut KnowledgeBase, edited: &[ArticleIx]) {
    let is_edited = |ai: ArticleIx| edited.binary_search(&ai).is_ok();
    let mut lost_intro: Vec<EntityId> = Vec::new();
    for e in &mut kb.entities {
        // Only an entity with a role or introduction from an edited article is copied.
        let loses_role = e.roles.iter().any(|r| is_edited(r.source.article));
        let loses_intro = e.intro.as_ref().is_some_and(|s| is_edited(s.article));
        if !(loses_role || loses_intro) {
            continue;
        }
        let e = Arc::make_mut(e);
        e.roles.retain(|r| !is_edited(r.source.article));
        if loses_intro {
            e.intro = None;
            lost_intro.push(e.id);
        }
    }
    let mut best_intro: Vec<(EntityId, usize, Source)> = Vec::new();
    for &ai in edited {
        let a = Arc::clone(&kb.articles[ai]);
        let proper: Vec<NameMention> = a.names.iter().map(|p| p.to_mention(a.text())).collect();
        for m in a.people.iter().chain(&a.things).chain(&proper) {
            let Some(id) = entity_named(kb, &m.name) else {
                continue;
            };
            // A titled surname ("Secretary Blinken") gives its title to the person it names, not a role; it
            // is a person's own mention only for a person known by the surname alone.
            if m.cue == Cue::Surname && kb.entities[id].name != m.name {
                continue;
            }
            if let Some((role, range)) = &m.role {
                let key = fold(role);
                if !kb.entities[id].roles.iter().any(|r| fold(&r.text) == key) {
                    let e = Arc::make_mut(&mut kb.entities[id]);
                    let at = e.roles.partition_point(|r| r.source.article <= ai);
                    e.roles.insert(
                        at,
                        Role {
                            text: role.clone(),
                            source: Source {
                                article: ai,
                                range: range.clone(),
                            },
                        },
                    );
                }
            }
            if lost_intro.contains(&id) {
                let score = m.full_range.len() + if m.acronym.is_some() { 1000 } else { 0 };
                let source = Source {
                    article: ai,
                    range: m.full_range.clone(),
                };
                match best_intro.iter_mut().find(|(e, _, _)| *e == id) {
                    Some(best) if score > best.1 => *best = (id, score, source),
                    Some(_) => {}
                    None => best_intro.push((id, score, source)),
                }
            }
        }
    }
    for (id, _, source) in best_intro {
        Arc::make_mut(&mut kb.entities[id]).intro = Some(source);
    }
}

/// The one entity whose alias is exactly `name`, if any.
fn entity_named(kb: &KnowledgeBase, name: &str) -> Option<EntityId> {
    match kb.aliases.find(name).as_slice() {
        [(r, [id])] if r.start == 0 && r.end == name.len() => Some(*id),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Article;
    use crate::kb::Fact;
    use crate::kb::aliases::Alias;
    use crate::kb::article::from_texts;

    /// What hover, navigation and diagnostics read of a knowledge base, but the two indexes a patch shares.
    #[derive(Debug, PartialEq)]
    struct Seen<'a> {
        ids: Vec<&'a str>,
        entities: &'a [Arc<crate::kb::Entity>],
        aliases: &'a [Alias],
        facts: &'a [Fact],
        facts_of: Vec<Vec<&'a Fact>>,
        article_mentions: &'a [Vec<crate::kb::CorpusMention>],
    }

    fn seen(kb: &KnowledgeBase) -> Seen<'_> {
        Seen {
            ids: kb.articles.iter().map(|a| a.id()).collect(),
            entities: &kb.entities,
            aliases: kb.aliases.aliases(),
            facts: &kb.facts,
            facts_of: (0..kb.entities.len()).map(|e| kb.facts_of(e)).collect(),
            article_mentions: &kb.article_mentions,
        }
    }

    /// `seen(a) == seen(b)`, failing with the first part that differs (the whole is too long to read).
    fn assert_same(a: &KnowledgeBase, b: &KnowledgeBase, at: &str) {
        let (a, b) = (seen(a), seen(b));
        assert_eq!(a.ids, b.ids, "{at}: ids");
        assert_eq!(a.entities.len(), b.entities.len(), "{at}: entities");
        for (x, y) in a.entities.iter().zip(b.entities) {
            assert_eq!(x, y, "{at}: entity");
        }
        assert_eq!(a.aliases, b.aliases, "{at}: aliases");
        assert_eq!(a.facts.len(), b.facts.len(), "{at}: facts");
        for (x, y) in a.facts.iter().zip(b.facts) {
            assert_eq!(x, y, "{at}: fact");
        }
        assert_eq!(a.facts_of, b.facts_of, "{at}: facts of each entity");
        for (x, y) in a.article_mentions.iter().zip(b.article_mentions) {
            assert_eq!(x, y, "{at}: mentions of an article");
        }
    }

    /// The same entities: names, kinds and aliases.
    fn same_entities(a: &KnowledgeBase, b: &KnowledgeBase) -> bool {
        let key = |e: &Arc<crate::kb::Entity>| (e.name.clone(), e.kind, e.aliases.clone());
        a.entities.iter().map(key).eq(b.entities.iter().map(key))
    }

    fn extract(i: usize, text: &str) -> Arc<ArticleData> {
        Arc::new(ArticleData::extract(Article::from_text(
            format!("a{i}"),
            format!("/a{i}.txt"),
            text,
        )))
    }

    /// `articles` with article `i` replaced by `text`, as a refresh leaves them: the others the same `Arc`s.
    fn edit(articles: &[Arc<ArticleData>], i: usize, text: &str) -> Vec<Arc<ArticleData>> {
        let mut next = articles.to_vec();
        next[i] = extract(i, text);
        next
    }

    /// The facts an article has: kind, date and sentence, with the names of their entities.
    fn facts_in(kb: &KnowledgeBase, ai: ArticleIx) -> Vec<(String, Option<String>, String)> {
        kb.facts
            .iter()
            .filter(|f| f.source.article == ai)
            .map(|f| {
                let names: Vec<&str> = f
                    .entities
                    .iter()
                    .map(|e| kb.entities[*e].name.as_str())
                    .collect();
                (
                    format!("{} {}", f.kind.as_str(), names.join(", ")),
                    f.date.as_ref().map(|d| d.value.to_iso()),
                    kb.articles[ai].text()[f.source.range.clone()].to_string(),
                )
            })
            .collect()
    }

    const TEXTS: [&str; 3] = [
        "President Joe Biden met Prime Minister Fumio Kishida in Tokyo on May 3, 2023. \
         Biden said the Quad Partnership was strong.",
        "Secretary of State Antony J. Blinken visited Nairobi on March 12, 2024. \
         Blinken met President William Ruto the same day.",
        "On June 5, 2023, President Biden spoke with President William Ruto. \
         The Quad Partnership met in Washington on June 9, 2023.",
    ];

    #[test]
    fn a_patch_equals_a_fresh_build_when_the_edit_leaves_the_entities_as_they_were() {
        // (edited article, new text, whether its names are those of the old text)
        let edits: &[(usize, &str, bool)] = &[
            // A date changed in a sentence.
            (
                1,
                "Secretary of State Antony J. Blinken visited Nairobi on April 2, 2024. \
                 Blinken met President William Ruto the same day.",
                true,
            ),
            // A known name added, with a date.
            (
                2,
                "On June 5, 2023, President Biden spoke with President William Ruto. \
                 Fumio Kishida called President Biden on June 7, 2023. \
                 The Quad Partnership met in Washington on June 9, 2023.",
                true,
            ),
            // A known name's sentence removed.
            (
                0,
                "President Joe Biden met Prime Minister Fumio Kishida in Tokyo on May 3, 2023.",
                false,
            ),
            // A new name: an entity only the full merge makes.
            (
                1,
                "Secretary of State Antony J. Blinken visited Nairobi on March 12, 2024. \
                 Governor Maria Santos met Blinken on March 13, 2024.",
                false,
            ),
        ];
        let old_articles = from_texts(&TEXTS);
        let old = KnowledgeBase::build(old_articles.clone(), Vec::new());
        for (i, text, _) in edits {
            let next = edit(&old_articles, *i, text);
            let patched = old
                .patched(next.clone(), Vec::new())
                .expect("an edit is patched");
            let fresh = KnowledgeBase::build(next.clone(), Vec::new());
            let same_entities = same_entities(&fresh, &old);
            assert!(Arc::ptr_eq(&patched.articles[*i], &next[*i]));
            if same_entities {
                assert_same(&patched, &fresh, &format!("after editing a{i} to {text:?}"));
            } else {
                // The entities of the last merge, and the edited article's facts as far as they name them.
                let names = |kb: &KnowledgeBase| -> Vec<String> {
                    kb.entities.iter().map(|e| e.name.clone()).collect()
                };
                assert_eq!(names(&patched), names(&old), "after editing a{i}");
                let dates = |kb: &KnowledgeBase| -> Vec<(Option<String>, String)> {
                    facts_in(kb, *i)
                        .into_iter()
                        .map(|(_, d, s)| (d, s))
                        .collect()
                };
                assert_eq!(dates(&patched), dates(&fresh), "after editing a{i}");
                for m in &patched.article_mentions[*i] {
                    let said = &patched.articles[*i].text()[m.range()];
                    let e = &patched.entities[m.entity()];
                    assert!(
                        e.name == said || e.aliases.iter().any(|a| a == said),
                        "{said:?} resolved to {e:?}"
                    );
                }
            }
        }
        // The date edit is one the entities do not see: exact, as the table says.
        let exact: Vec<bool> = edits
            .iter()
            .map(|(i, text, _)| {
                let next = edit(&old_articles, *i, text);
                let fresh = KnowledgeBase::build(next, Vec::new());
                fresh.entities.len() == old.entities.len()
            })
            .collect();
        assert!(exact[0], "a changed date keeps the entities");
        assert!(!exact[3], "a new name is a new entity");
    }

    #[test]
    fn a_patch_shows_the_new_date_of_an_edited_sentence_in_the_facts_of_its_entities() {
        let old_articles = from_texts(&TEXTS);
        let old = KnowledgeBase::build(old_articles.clone(), Vec::new());
        let blinken = old
            .entities
            .iter()
            .find(|e| e.name == "Antony J. Blinken")
            .expect("Blinken")
            .id;
        let dates = |kb: &KnowledgeBase| -> Vec<String> {
            kb.facts_of(blinken)
                .iter()
                .filter_map(|f| f.date.as_ref().map(|d| d.value.to_iso()))
                .collect()
        };
        assert_eq!(dates(&old), ["2024-03-12", "2024-03-12"]);
        let next = edit(
            &old_articles,
            1,
            "Secretary of State Antony J. Blinken visited Nairobi on April 2, 2024. \
             Blinken met President William Ruto the same day.",
        );
        let patched = old.patched(next, Vec::new()).expect("patched");
        assert_eq!(dates(&patched), ["2024-04-02", "2024-04-02"]);
        // Shared, not copied: the alias table and the two indexes.
        assert!(Arc::ptr_eq(&old.aliases, &patched.aliases));
        assert!(Arc::ptr_eq(&old.statement_index, &patched.statement_index));
        assert!(Arc::ptr_eq(&old.words, &patched.words));
    }

    #[test]
    fn articles_added_removed_or_reordered_are_left_to_the_full_merge() {
        let articles = from_texts(&TEXTS);
        let kb = KnowledgeBase::build(articles.clone(), Vec::new());
        let added = from_texts(&[TEXTS[0], TEXTS[1], TEXTS[2], "Fumio Kishida spoke."]);
        let mut grown = articles.clone();
        grown.push(added[3].clone());
        assert!(kb.patched(grown, Vec::new()).is_none());
        assert!(kb.patched(articles[..2].to_vec(), Vec::new()).is_none());
        let mut swapped = articles.clone();
        swapped.swap(0, 1);
        assert!(kb.patched(swapped, Vec::new()).is_none());
        // Nothing edited: the same content.
        let same = kb.patched(articles, Vec::new()).expect("nothing to do");
        assert_eq!(seen(&same), seen(&kb));
    }

    /// Every date of the seed and Wikinews fixture articles changed in turn (to a date of another length and
    /// month): the patch is the fresh build, index of dated clauses included.
    #[test]
    fn changing_any_date_of_the_fixture_articles_patches_to_exactly_the_fresh_build() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut paths: Vec<_> = ["corpus", "wikinews/articles"]
            .iter()
            .flat_map(|d| std::fs::read_dir(root.join(d)).expect("fixture folder"))
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        paths.sort();
        let texts: Vec<String> = paths
            .iter()
            .map(|p| std::fs::read_to_string(p).expect("read"))
            .collect();
        let articles: Vec<Arc<ArticleData>> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| extract(i, t))
            .collect();
        let kb = KnowledgeBase::build(articles.clone(), Vec::new());
        let (mut checked, mut skipped) = (0, 0);
        for (i, a) in articles.iter().enumerate() {
            for d in a.dates.iter().filter(|d| d.value.is_some()) {
                let text = format!(
                    "{}November 21, 1999{}",
                    &texts[i][..d.span.start],
                    &texts[i][d.span.end..]
                );
                let next = edit(&articles, i, &text);
                let fresh = KnowledgeBase::build(next.clone(), Vec::new());
                if !same_entities(&fresh, &kb) {
                    skipped += 1;
                    continue; // The new words made a name: not an edit a patch is exact for.
                }
                let patched = kb.patched(next, Vec::new()).expect("patched");
                let at = format!("a{i} at {}", d.span.start);
                assert_same(&patched, &fresh, &at);
                assert_eq!(*patched.statement_index, *fresh.statement_index, "{at}");
                checked += 1;
            }
        }
        assert!(
            checked >= 10,
            "only {checked} dates checked ({skipped} skipped)"
        );
    }
}
