//! The merge: per-article names clustered into entities with aliases, roles and mentions, and the facts of
//! the corpus with relative dates resolved against other events.

use super::aliases::{Alias, AliasTable};
use super::article::{Forked, extract_all, par_map};
use super::keys::{
    PERSONAL_TITLES, agreement_key, full_given_name, name_words, person_key, proper_key,
};
use super::lookup::{participants, resolve_in_context};
use super::word_index::WordIndex;
use super::{
    ArticleData, ArticleIx, CorpusMention, Entity, EntityId, Fact, FactDate, KEPT_MENTIONS,
    KnowledgeBase, Mention, Role, Source, StatementIndex,
};
use crate::corpus::{Corpus, Problem};
use crate::extract::events::EventKind;
use crate::extract::facts::{TextFact, facts_in_text, resolve_anchor};
use crate::extract::names::gazetteer::{is_country_or_region, is_demonym, is_place};
use crate::extract::names::{Cue, EntityKind, NameMention, is_title};
use crate::extract::segment::Sentence;
use crate::text::{ByteRange, fold};

use rustc_hash::{FxHashMap as HashMap, FxHashSet};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// A thing's name as it joins mentions into one entity: its key (of its kind), or one sense of an acronym.
#[derive(Clone, PartialEq, Eq, Hash)]
enum ThingName {
    Key(EntityKind, String),
    Acronym(String, usize),
}

/// The words of a name that tell it from another: lower-cased, without connectors ("of", "the", "&").
fn content_words(name: &str) -> BTreeSet<String> {
    name.split(|c: char| c.is_whitespace() || c == '-')
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty() && !CONNECTOR_WORDS.contains(&w.as_str()))
        .collect()
}

const CONNECTOR_WORDS: &[&str] = &[
    "of", "the", "and", "for", "in", "on", "to", "de", "du", "la", "&", "s",
];

/// Whether a name's word, alone, names something other than the person (named in full `named` times): a
/// nationality ("Miles French", "Christian Palestinian": "French" and "Palestinian" name a people), a title's
/// abbreviation ("Hun Sen": every "Sen." before a senator's name), or a common word — one the texts write in
/// lower case at least [`COMMON_WORD_MIN`] times, and more than [`COMMON_WORD_RATIO`] times as often as they
/// name the person ("Kelly O. Go ahead, Kelly", a briefing's "Kelly O." and "Go ahead", is no person surnamed
/// "Go" whom every "Go" names; "Young", "Peace").
fn names_other(lower_seen: &LowerSeen, word: &str, named: usize) -> bool {
    let common = lower_seen.get(&word.to_lowercase()).copied().unwrap_or(0) as usize;
    is_demonym(word)
        || is_title(&format!("{word}."))
        || (common >= COMMON_WORD_MIN && common > COMMON_WORD_RATIO * named)
}

const COMMON_WORD_MIN: usize = 100;
const COMMON_WORD_RATIO: usize = 20;

/// Names of things grouped by the mentions that join them (a name given with an acronym joins the two), as
/// disjoint sets (union by size, with path halving).
#[derive(Default)]
struct NameGroups {
    nodes: HashMap<ThingName, usize>,
    parent: Vec<usize>,
    size: Vec<usize>,
    /// Per acronym, the words of the names given with each of its senses so far.
    senses: HashMap<String, Vec<BTreeSet<String>>>,
}

impl NameGroups {
    /// The node of the sense of `acronym` that `name` is given with. One acronym stands for several things
    /// ("CSA": the Controlled Substances Act, the Cyber Security Agency of Singapore): a name shares at least
    /// half its words (or the sense's, if fewer) with the names of the sense it is one of ("Department of
    /// Justice", "U.S. Department of Justice", "Justice Department"), and none or few with another's.
    fn sense(&mut self, acronym: &str, name: &str) -> usize {
        let words = content_words(name);
        let senses = self.senses.entry(acronym.to_string()).or_default();
        let found = senses.iter().position(|known| {
            let shared = known.intersection(&words).count();
            2 * shared >= known.len().min(words.len()).max(1)
        });
        let i = match found {
            Some(i) => {
                senses[i].extend(words);
                i
            }
            None => {
                senses.push(words);
                senses.len() - 1
            }
        };
        self.node(ThingName::Acronym(acronym.to_string(), i))
    }

    fn node(&mut self, name: ThingName) -> usize {
        let next = self.parent.len();
        let n = *self.nodes.entry(name).or_insert(next);
        if n == next {
            self.parent.push(n);
            self.size.push(1);
        }
        n
    }

    fn find(&mut self, mut n: usize) -> usize {
        while self.parent[n] != n {
            self.parent[n] = self.parent[self.parent[n]];
            n = self.parent[n];
        }
        n
    }

    /// The group of a name seen by [`NameGroups::node`]; a name never seen is a group of its own.
    fn find_name(&mut self, name: &ThingName) -> usize {
        match self.nodes.get(name).copied() {
            Some(n) => self.find(n),
            None => {
                let n = self.node(name.clone());
                self.find(n)
            }
        }
    }

    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            let (big, small) = if self.size[a] >= self.size[b] {
                (a, b)
            } else {
                (b, a)
            };
            self.parent[small] = big;
            self.size[big] += self.size[small];
        }
    }
}

pub(super) struct Cluster {
    kind: EntityKind,
    forms: BTreeMap<String, usize>,
    acronym: Option<String>,
    roles: Vec<Role>,
    intro: Option<(usize, Source)>,
    /// Titles the texts put before the bare surname ("President" in "President Ruto").
    titles: BTreeSet<String>,
    /// Forms given with an acronym: the fullest, most formal name.
    acronym_forms: BTreeSet<String>,
    /// Folded role texts already recorded.
    role_keys: FxHashSet<String>,
}

impl Cluster {
    fn new(kind: EntityKind) -> Self {
        Cluster {
            kind,
            forms: BTreeMap::new(),
            acronym: None,
            roles: Vec::new(),
            intro: None,
            titles: BTreeSet::new(),
            acronym_forms: BTreeSet::new(),
            role_keys: std::collections::HashSet::default(),
        }
    }

    fn add(&mut self, m: &NameMention, article: ArticleIx) {
        match self.forms.get_mut(m.name.as_str()) {
            Some(n) => *n += 1,
            None => {
                self.forms.insert(m.name.clone(), 1);
            }
        }
        if let Some((acr, _)) = &m.acronym {
            self.acronym.get_or_insert_with(|| acr.clone());
        }
        if m.acronym.is_some() {
            self.acronym_forms.insert(m.name.clone());
        }
        if let Some((role, range)) = &m.role {
            let key = fold(role);
            if self.role_keys.insert(key) {
                self.roles.push(Role {
                    text: role.clone(),
                    source: Source {
                        article,
                        range: range.clone(),
                    },
                });
            }
        }
        // The best introduction: the longest role+name(+appositive) passage.
        let score = m.full_range.len() + if m.acronym.is_some() { 1000 } else { 0 };
        if self.intro.as_ref().is_none_or(|(s, _)| score > *s) {
            self.intro = Some((
                score,
                Source {
                    article,
                    range: m.full_range.clone(),
                },
            ));
        }
    }

    fn canonical(&self) -> String {
        // Proper names: the form the texts use most, then the longest.
        if !matches!(self.kind, EntityKind::Person | EntityKind::Agreement)
            && self.acronym.is_none()
        {
            return self
                .forms
                .iter()
                .max_by_key(|(form, n)| (**n, form.len()))
                .map(|(f, _)| f.clone())
                .unwrap_or_default();
        }
        // An organisation or agreement with an acronym: the form given with it that the texts use most (the
        // long forms an acronym is given with vary: "U.S. Department of Justice", "Department of Justice").
        if self.kind != EntityKind::Person && !self.acronym_forms.is_empty() {
            return self
                .forms
                .iter()
                .filter(|(form, _)| self.acronym_forms.contains(*form))
                .max_by_key(|(form, n)| (**n, form.len()))
                .map(|(f, _)| f.clone())
                .unwrap_or_default();
        }
        let prefer_capitalised = |s: &str| {
            s.split_whitespace()
                .filter(|w| w.starts_with(char::is_uppercase))
                .count()
        };
        self.forms
            .iter()
            .max_by_key(|(form, n)| {
                (
                    self.acronym_forms.contains(*form),
                    prefer_capitalised(form),
                    **n,
                    form.len(),
                )
            })
            .map(|(f, _)| f.clone())
            .unwrap_or_default()
    }
}

impl KnowledgeBase {
    /// Extract every article of a corpus in parallel and merge them.
    pub fn from_corpus(corpus: Corpus, progress: &(dyn Fn(usize, usize) + Sync)) -> Self {
        let data = extract_all(corpus.articles, progress);
        Self::build(data, corpus.problems)
    }

    /// An empty knowledge base (no corpus configured yet): what [`KnowledgeBase::build`] makes of no articles,
    /// without running it.
    pub fn empty() -> Self {
        KnowledgeBase {
            articles: Vec::new(),
            entities: Vec::new(),
            facts: Vec::new(),
            facts_by_entity: Vec::new(),
            problems: Vec::new(),
            aliases: Default::default(),
            article_mentions: Vec::new(),
            statement_index: Default::default(),
            words: Default::default(),
            quote_cache: Default::default(),
        }
    }

    /// Merge per-article extractions into entities, aliases, mentions and facts.
    pub fn build(articles: Vec<Arc<ArticleData>>, problems: Vec<Problem>) -> Self {
        Self::build_unless(articles, problems, &|| false)
            .expect("a merge that is never stopped finishes")
    }

    /// [`KnowledgeBase::build`], given up (`None`) as soon as `stop` says so: it is asked between the merge's
    /// phases and before each article's mentions, so that a merge made stale by a newer change stops within a
    /// phase's time (about a second on the White House corpus).
    pub fn build_unless(
        articles: Vec<Arc<ArticleData>>,
        problems: Vec<Problem>,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Option<Self> {
        let timer = std::time::Instant::now();
        let lap = |what: &str| {
            tracing::debug!("kb build: {what} at {:?}", timer.elapsed());
            if stop() {
                tracing::debug!("kb build: stopped after {what}");
                return Err(());
            }
            Ok(())
        };
        let mut person_clusters: Vec<Cluster> = Vec::new();
        let mut person_index: HashMap<(String, String), usize> = HashMap::default();
        let mut thing_clusters: Vec<Cluster> = Vec::new();
        let mut thing_index: HashMap<(EntityKind, String), usize> = HashMap::default();
        let mut acronym_index: HashMap<String, usize> = HashMap::default();
        // Pass 1: full names. A thing's mentions are one entity when they share a name (its key) or an
        // acronym, transitively: which names are one is settled first, over every mention, so that no
        // name's mentions are split between two entities by the order they come in.
        let mut groups = NameGroups::default();
        for a in &articles {
            for m in a.things.iter().filter(|m| m.cue != Cue::Surname) {
                let name = groups.node(ThingName::Key(m.kind, agreement_key(&m.name)));
                if let Some((acr, _)) = &m.acronym {
                    let sense = groups.sense(acr, &m.name);
                    groups.union(name, sense);
                }
            }
        }
        let mut group_cluster: HashMap<usize, usize> = HashMap::default();
        for (ai, a) in articles.iter().enumerate() {
            for m in a.people.iter().filter(|m| m.cue != Cue::Surname) {
                let Some(key) = person_key(&m.name) else {
                    continue;
                };
                let ci = *person_index.entry(key).or_insert_with(|| {
                    person_clusters.push(Cluster::new(EntityKind::Person));
                    person_clusters.len() - 1
                });
                person_clusters[ci].add(m, ai);
            }
            for m in a.things.iter().filter(|m| m.cue != Cue::Surname) {
                let key = agreement_key(&m.name);
                let group = groups.find_name(&ThingName::Key(m.kind, key.clone()));
                let ci = *group_cluster.entry(group).or_insert_with(|| {
                    thing_clusters.push(Cluster::new(m.kind));
                    thing_clusters.len() - 1
                });
                thing_index.insert((m.kind, key), ci);
                if let Some((acr, _)) = &m.acronym {
                    acronym_index.entry(acr.clone()).or_insert(ci);
                }
                thing_clusters[ci].add(m, ai);
            }
        }
        lap("clusters").ok()?;
        // A "name" whose every word the corpus also writes in lower case is a phrase ("Public Policy",
        // "Senior Foreign Service"), not a person; nor is a lone titled word like "Extraordinary".
        let mut candidates: FxHashSet<String> = FxHashSet::default();
        for c in &person_clusters {
            candidates.extend(name_words(&c.canonical()).iter().map(|w| w.to_lowercase()));
        }
        for a in &articles {
            candidates.extend(
                a.people
                    .iter()
                    .filter(|m| m.cue == Cue::Surname)
                    .map(|m| m.name.to_lowercase()),
            );
        }
        // One pass over the corpus answers this question and the same one that `proper_clusters` asks of
        // one-word proper names (whose canonical forms are among these).
        candidates.extend(one_word_names(&articles));
        let lower_seen = seen_lowercase(&articles, &candidates);
        let keep: Vec<bool> = person_clusters
            .iter()
            .map(|c| {
                !name_words(&c.canonical())
                    .iter()
                    .all(|w| lower_seen.contains_key(&w.to_lowercase()))
            })
            .collect();
        let mut new_index = vec![usize::MAX; person_clusters.len()];
        let mut kept = Vec::new();
        for (i, c) in person_clusters.into_iter().enumerate() {
            if keep[i] {
                new_index[i] = kept.len();
                kept.push(c);
            }
        }
        person_clusters = kept;
        person_index = person_index
            .into_iter()
            .filter_map(|(k, i)| (new_index[i] != usize::MAX).then(|| (k, new_index[i])))
            .collect();
        lap("lower-case filter").ok()?;
        // Surnames and first names of known people are theirs, not names of other things.
        let person_words: FxHashSet<String> = person_clusters
            .iter()
            .flat_map(|c| {
                c.forms
                    .keys()
                    .flat_map(|f| name_words(f))
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .collect();
        let proper = proper_clusters(
            &articles,
            &lower_seen,
            &person_index,
            &person_words,
            &thing_index,
            &thing_clusters
                .iter()
                .map(|c| c.forms.values().sum())
                .collect::<Vec<usize>>(),
            &acronym_index,
        );
        for (target, cluster) in proper {
            match target {
                Some(ci) => {
                    let c = &mut thing_clusters[ci];
                    for (form, n) in cluster.forms {
                        *c.forms.entry(form).or_default() += n;
                    }
                }
                None => thing_clusters.push(cluster),
            }
        }
        lap("proper names").ok()?;
        // Pass 2: lone surnames after a title resolve to known people, or become people of their own.
        let mut by_surname: HashMap<String, Vec<usize>> = HashMap::default();
        for (ci, c) in person_clusters.iter().enumerate() {
            let name = c.canonical();
            if let Some(last) = name_words(&name).last() {
                by_surname.entry(last.to_string()).or_default().push(ci);
            }
        }
        for (ai, a) in articles.iter().enumerate() {
            for m in a.people.iter().filter(|m| m.cue == Cue::Surname) {
                let titled = m
                    .role
                    .as_ref()
                    .and_then(|(r, _)| r.split_whitespace().last())
                    .is_some_and(|h| PERSONAL_TITLES.contains(&h));
                match by_surname.get(&m.name).map(Vec::as_slice) {
                    Some([ci]) => {
                        if let Some((role, _)) = &m.role
                            && let Some(head) = role.split_whitespace().last()
                            && head.starts_with(char::is_uppercase)
                        {
                            person_clusters[*ci].titles.insert(head.to_string());
                        }
                    }
                    None if titled && !lower_seen.contains_key(&m.name.to_lowercase()) => {
                        let key = (String::new(), m.name.to_lowercase());
                        let ci = *person_index.entry(key).or_insert_with(|| {
                            person_clusters.push(Cluster::new(EntityKind::Person));
                            person_clusters.len() - 1
                        });
                        person_clusters[ci].add(m, ai);
                        if let Some(head) = m
                            .role
                            .as_ref()
                            .and_then(|(r, _)| r.split_whitespace().last())
                        {
                            person_clusters[ci].titles.insert(head.to_string());
                        }
                        by_surname.entry(m.name.clone()).or_default().push(ci);
                    }
                    _ => {}
                }
            }
        }
        lap("surnames").ok()?;
        // Entities with their aliases.
        let mut entities = Vec::new();
        let mut alias_map: BTreeMap<String, (BTreeSet<EntityId>, bool)> = BTreeMap::new();
        let add_alias =
            |alias: &str,
             id: EntityId,
             case_sensitive: bool,
             map: &mut BTreeMap<String, (BTreeSet<EntityId>, bool)>| {
                let alias = alias.trim();
                if alias.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
                    return;
                }
                let e = map
                    .entry(alias.to_string())
                    .or_insert_with(|| (BTreeSet::new(), case_sensitive));
                e.0.insert(id);
                e.1 &= case_sensitive;
            };
        for c in person_clusters.iter().chain(thing_clusters.iter()) {
            let id = entities.len();
            let name = c.canonical();
            // A place's name is no person's alias, even as a form the texts took for the person's ("North
            // Carolina" of "Carolina").
            let mut aliases: BTreeSet<String> = c
                .forms
                .keys()
                .filter(|f| c.kind != EntityKind::Person || !is_place(f))
                .cloned()
                .collect();
            if c.kind == EntityKind::Person
                && let Some(last) = name_words(&name).last()
            {
                // A surname that is also the name of a country, region or state ("Jim Crow America", a name
                // run on across a line break; "Q Ukraine", a transcript's question) does not stand for the
                // person alone unless the texts wrote it so: a hover on "America" is about the place. A city's
                // name does ("Aden and Austin signed"): surnames like it are common. Nor does a word that
                // names something else alone (`names_other`).
                if c.forms.contains_key(*last)
                    || (!is_country_or_region(last)
                        && !names_other(&lower_seen, last, c.forms.values().sum()))
                {
                    aliases.insert(last.to_string());
                }
                for t in &c.titles {
                    let titled = format!("{t} {last}");
                    // ("North Carolina": "North" read as a title before "Carolina".)
                    if !is_place(&titled) {
                        aliases.insert(titled);
                    }
                }
            }
            if let Some(acr) = &c.acronym {
                aliases.insert(acr.clone());
            }
            for a in &aliases {
                let case_sensitive =
                    c.kind != EntityKind::Agreement || c.acronym.as_deref() == Some(a.as_str());
                add_alias(a, id, case_sensitive, &mut alias_map);
            }
            add_alias(&name, id, c.kind != EntityKind::Agreement, &mut alias_map);
            aliases.remove(&name);
            entities.push(Entity {
                id,
                kind: c.kind,
                name,
                aliases: aliases.into_iter().collect(),
                acronym: c.acronym.clone(),
                roles: c.roles.clone(),
                intro: c.intro.as_ref().map(|(_, s)| s.clone()),
                mentions: Vec::new(),
                mention_count: 0,
                source_count: 0,
            });
        }
        lap("aliases").ok()?;
        // Place-qualified references ("the Haiti mission") join the agreement "… Mission in Haiti". The forms
        // are indexed by their last three words ("mission in haiti").
        let mut by_tail: HashMap<String, BTreeSet<usize>> = HashMap::default();
        for (i, c) in thing_clusters.iter().enumerate() {
            for f in c.forms.keys().filter(|f| f.contains(" in ")) {
                let lower = f.to_lowercase();
                let words: Vec<&str> = lower.split_whitespace().collect();
                if words.len() >= 3 {
                    by_tail
                        .entry(words[words.len() - 3..].join(" "))
                        .or_default()
                        .insert(i);
                }
            }
        }
        for a in &articles {
            for m in a.things.iter().filter(|m| m.cue == Cue::Surname) {
                let mut words = m.name.split_whitespace();
                let (Some(place), Some(head)) = (words.next(), words.next()) else {
                    continue;
                };
                let tail = format!("{} in {}", head.to_lowercase(), place.to_lowercase());
                let hits: Vec<EntityId> = by_tail
                    .get(&tail)
                    .map(|set| set.iter().map(|i| person_clusters.len() + i).collect())
                    .unwrap_or_default();
                if let [id] = hits.as_slice() {
                    add_alias(&m.name, *id, false, &mut alias_map);
                    if !entities[*id].aliases.contains(&m.name) {
                        entities[*id].aliases.push(m.name.clone());
                        entities[*id].aliases.sort();
                    }
                }
            }
        }
        lap("place-qualified").ok()?;
        // First names used alone for a person in an article where the full name appears ("Aden").
        // Article by article on all cores (the aliases and people are only read here), in article order.
        // How often each person is named in full.
        let named: Vec<usize> = person_clusters
            .iter()
            .map(|c| c.forms.values().sum())
            .collect();
        let first_name_aliases = par_map(&articles, |a| {
            let mut found: Vec<(String, EntityId)> = Vec::new();
            let text = a.article.text.transient();
            let text = &*text;
            let mut standalone_words: Option<FxHashSet<&str>> = None;
            for m in a.people.iter().filter(|m| m.cue != Cue::Surname) {
                let words = name_words(&m.name);
                if words.len() < 2 {
                    continue;
                }
                let first = words[0];
                let Some(key) = person_key(&m.name) else {
                    continue;
                };
                let Some(&ci) = person_index.get(&key) else {
                    continue;
                };
                // A place's name used alone is the place ("California" in an article about the "California
                // Endowment", a name the people rule took for a person's); nor does a first name that names
                // something else alone stand for the person ("Young Kim": "Young people …").
                if alias_map.contains_key(first)
                    || is_place(first)
                    || names_other(&lower_seen, first, named[ci])
                {
                    continue;
                }
                // Capitalised words not followed by another capitalised word, once per article.
                let words = standalone_words
                    .get_or_insert_with(|| standalone_capitalised(text, &a.sentences));
                if words.contains(first) {
                    found.push((first.to_string(), ci));
                }
            }
            found
        });
        for (first, id) in first_name_aliases.into_iter().flatten() {
            add_alias(&first, id, true, &mut alias_map);
            if !entities[id].aliases.contains(&first) {
                entities[id].aliases.push(first);
                entities[id].aliases.sort();
            }
        }
        lap("first names").ok()?;
        let aliases = AliasTable::new(
            alias_map
                .into_iter()
                .map(|(text, (ids, case_sensitive))| Alias {
                    text,
                    ids: ids.into_iter().collect(),
                    case_sensitive,
                })
                .collect(),
        );
        let mut kb = KnowledgeBase {
            articles,
            entities: entities.into_iter().map(Arc::new).collect(),
            facts: Vec::new(),
            facts_by_entity: Vec::new(),
            problems,
            aliases: Arc::new(aliases),
            article_mentions: Vec::new(),
            statement_index: Default::default(),
            words: Default::default(),
            quote_cache: std::sync::Mutex::new(std::collections::HashMap::new()),
        };
        lap("automaton").ok()?;
        // Mentions and facts, article by article.
        let per_article: Vec<(Vec<CorpusMention>, Vec<TextFact>)> = par_map(&kb.articles, |a| {
            if stop() {
                return Default::default();
            }
            kb.mentions_and_facts(a)
        });
        let mut all_mentions: Vec<Vec<CorpusMention>> = Vec::with_capacity(kb.articles.len());
        let mut text_facts: Vec<(ArticleIx, TextFact)> = Vec::new();
        for (ai, (mentions, facts)) in per_article.into_iter().enumerate() {
            text_facts.extend(facts.into_iter().map(|f| (ai, f)));
            all_mentions.push(mentions);
        }
        lap("mentions and facts").ok()?;
        kb.facts = resolve_event_anchors(text_facts);
        lap("anchors").ok()?;
        kb.article_mentions = all_mentions;
        kb.complete();
        kb.statement_index = Arc::new(StatementIndex::build(&kb.articles));
        lap("entity mentions, facts by entity, statement index").ok()?;
        // After the merge, not beside it: built meanwhile on a thread of its own, its partial postings raised
        // the peak memory of a cold start on the White House corpus by about 60 MB.
        kb.words = Arc::new(WordIndex::build(&kb.articles));
        lap(&format!(
            "word index ({} MB)",
            kb.words.memory_usage() >> 20
        ))
        .ok()?;
        Some(kb)
    }

    /// An article's names resolved to one entity each (by this knowledge base's aliases, in the context of
    /// the article), and its facts with those entities as participants (relative-to-event dates not yet
    /// resolved).
    pub(super) fn mentions_and_facts(
        &self,
        a: &ArticleData,
    ) -> (Vec<CorpusMention>, Vec<TextFact>) {
        // Read for this pass only: a merge must not keep every article's text.
        let text = a.article.text.transient();
        let text = &*text;
        let mut mentions: Vec<Mention> = Vec::new();
        for s in &a.sentences {
            mentions.extend(self.find_mentions(text, s.range.clone()));
        }
        resolve_in_context(&mut mentions, text, &self.entities);
        let sentences: Vec<ByteRange> = a.sentences.iter().map(|s| s.range.clone()).collect();
        let facts = facts_in_text(
            text,
            &sentences,
            &participants(&mentions, &self.entities),
            &a.dates,
        );
        let mut compact: Vec<CorpusMention> = mentions
            .iter()
            .filter_map(|m| match m.candidates.as_slice() {
                [id] => Some(CorpusMention {
                    start: m.range.start as u32,
                    end: m.range.end as u32,
                    entity: *id as u32,
                }),
                _ => None,
            })
            .collect();
        compact.shrink_to_fit();
        (compact, facts)
    }

    /// Fill in what follows from the merged parts (`entities` without their mentions, `article_mentions`,
    /// `facts`): each entity's kept mentions and counts, each entity's facts. The end of
    /// [`KnowledgeBase::build`] (which then builds the statement index), and of a merged knowledge base read
    /// back from the index (which holds it).
    pub(super) fn complete(&mut self) {
        self.facts_by_entity = complete(&mut self.entities, &self.facts, &self.article_mentions);
    }
}

/// [`KnowledgeBase::complete`] on the parts alone: counts each entity's mentions and keeps the first of them
/// (in `entities`), and gives each entity's facts in the order a card shows them — the two at once, on two
/// cores. Every entity index in `facts` and `article_mentions` must be one of `entities`.
pub(crate) fn complete(
    entities: &mut [Arc<Entity>],
    facts: &[Fact],
    article_mentions: &[Vec<CorpusMention>],
) -> Vec<Vec<u32>> {
    let count = entities.len();
    std::thread::scope(|scope| {
        let by_entity = Forked::start(scope, "dossier-complete", move || {
            facts_by_entity(count, facts)
        });
        for (e, t) in entities
            .iter_mut()
            .zip(tally(count, article_mentions, |_| true))
        {
            if t.mentions > 0 {
                t.apply(Arc::make_mut(e));
            }
        }
        by_entity.join()
    })
}

/// The facts of each of `count` entities, in the order a card shows them, once rather than at every hover.
fn facts_by_entity(count: usize, facts: &[Fact]) -> Vec<Vec<u32>> {
    let mut by_entity = vec![Vec::new(); count];
    for (i, f) in facts.iter().enumerate() {
        for &e in &f.entities {
            let of: &mut Vec<u32> = &mut by_entity[e];
            if of.last() != Some(&(i as u32)) {
                of.push(i as u32);
            }
        }
    }
    for of in &mut by_entity {
        of.sort_by_cached_key(|&i| super::lookup::fact_order(&facts[i as usize]));
    }
    by_entity
}

/// Proper-name clusters, each with the existing organisation it belongs to (by key or acronym), or none for a
/// new entity. Names seen only at the start of sentences are kept when they recur; a cluster's kind is the
/// kind most of its mentions show; a short name that starts exactly one longer organisation or index name
/// ("Dow Jones" → "Dow Jones Industrial Average") joins it.
///
/// `lower_seen` is what [`seen_lowercase`] finds of (at least) every one-word proper name of the articles.
fn proper_clusters(
    articles: &[Arc<ArticleData>],
    lower_seen: &LowerSeen,
    person_index: &HashMap<(String, String), usize>,
    person_words: &FxHashSet<String>,
    thing_index: &HashMap<(EntityKind, String), usize>,
    thing_mentions: &[usize],
    acronym_index: &HashMap<String, usize>,
) -> Vec<(Option<usize>, Cluster)> {
    struct Proper {
        cluster: Cluster,
        votes: BTreeMap<EntityKind, usize>,
        running: bool,
        mentions: usize,
        existing: Option<usize>,
    }
    // Where two things' keys are one proper name's ("CHIPS Act", "CHIP Act"), the thing the texts name more
    // often, then the first found: not whichever a hash map's order gives.
    let mut ranked: HashMap<String, (usize, std::cmp::Reverse<usize>)> = HashMap::default();
    for ((_, k), &ci) in thing_index {
        let key = proper_key(k);
        let rank = (thing_mentions[ci], std::cmp::Reverse(ci));
        match ranked.get_mut(&key) {
            Some(r) => *r = (*r).max(rank),
            None => {
                ranked.insert(key, rank);
            }
        }
    }
    let existing_by_key: HashMap<String, usize> = ranked
        .into_iter()
        .map(|(k, (_, std::cmp::Reverse(ci)))| (k, ci))
        .collect();
    let mut by_key: HashMap<String, usize> = HashMap::default();
    let mut all: Vec<Proper> = Vec::new();
    // Keys and filters per article, in parallel (a name's key is computed once per article); then clustered
    // in article order, a chunk of articles at a time so that the mentions in flight stay few.
    let keyed = |a: &Arc<ArticleData>| {
        let mut keys: HashMap<String, String> = HashMap::default();
        let mut out = Vec::new();
        let text = a.article.text.transient();
        for m in a.names.iter().map(|p| p.to_mention(&text)) {
            let key = match keys.get(m.name.as_str()) {
                Some(k) => k.clone(),
                None => {
                    let k = proper_key(&m.name);
                    keys.insert(m.name.clone(), k.clone());
                    k
                }
            };
            if key.is_empty() {
                continue;
            }
            let words: Vec<&str> = m.name.split_whitespace().collect();
            if words.len() == 1 && person_words.contains(words[0]) {
                continue;
            }
            if words.len() >= 2
                && person_index.contains_key(&(
                    full_given_name(words[0]),
                    words[words.len() - 1].to_lowercase(),
                ))
            {
                continue;
            }
            out.push((key, m));
        }
        out
    };
    const CHUNK: usize = 512;
    let per_article = articles.chunks(CHUNK).enumerate().flat_map(|(c, chunk)| {
        par_map(chunk, keyed)
            .into_iter()
            .enumerate()
            .map(move |(i, names)| (c * CHUNK + i, names))
    });
    for (ai, names) in per_article {
        for (key, m) in names {
            let m = &m;
            let pi = match by_key.get(key.as_str()) {
                Some(&pi) => pi,
                None => {
                    let existing = acronym_index
                        .get(&m.name)
                        .or_else(|| existing_by_key.get(&key))
                        .copied();
                    all.push(Proper {
                        cluster: Cluster::new(EntityKind::Other),
                        votes: BTreeMap::new(),
                        running: false,
                        mentions: 0,
                        existing,
                    });
                    by_key.insert(key, all.len() - 1);
                    all.len() - 1
                }
            };
            let p = &mut all[pi];
            p.cluster.add(m, ai);
            *p.votes.entry(m.kind).or_default() += 1;
            p.running |= m.cue == Cue::Running;
            p.mentions += 1;
        }
    }
    // A name only ever seen opening a sentence is kept when it recurs and is not a lower-case word too.
    let canonical: Vec<String> = all.iter().map(|p| p.cluster.canonical()).collect();
    // A single word the corpus also writes in lower case is a common word ("Stock", "Standard"), not a name.
    let keep: Vec<bool> = all
        .iter()
        .zip(&canonical)
        .map(|(p, canonical)| {
            let common =
                !canonical.contains(' ') && lower_seen.contains_key(&canonical.to_lowercase());
            !common && (p.running || p.mentions >= 2)
        })
        .collect();
    // Kinds by vote: any typed evidence beats "name"; ties go to the first kind in declaration order.
    for p in &mut all {
        let typed = p
            .votes
            .iter()
            .filter(|(k, _)| **k != EntityKind::Other)
            .max_by_key(|(k, n)| (**n, std::cmp::Reverse(**k)));
        p.cluster.kind = typed.map_or(EntityKind::Other, |(k, _)| *k);
    }
    // Short names that begin exactly one longer organisation, index or untyped name join it.
    let words_of: Vec<Vec<String>> = all
        .iter()
        .map(|p| {
            proper_key(&p.cluster.canonical())
                .split(' ')
                .map(str::to_string)
                .collect()
        })
        .collect();
    let mut parent: Vec<Option<usize>> = vec![None; all.len()];
    // Only names that share their first word can be prefixes of one another.
    let mut by_first: HashMap<&str, Vec<usize>> = HashMap::default();
    for (j, w) in words_of.iter().enumerate() {
        if keep[j]
            && let Some(first) = w.first()
        {
            by_first.entry(first.as_str()).or_default().push(j);
        }
    }
    for (i, w) in words_of.iter().enumerate() {
        // (A name that is a known thing's joins that thing: "National Cancer Institute", given with its
        // acronym elsewhere, is not "National Cancer Institute Board of Scientific Counselors".)
        if !keep[i]
            || all[i].existing.is_some()
            || matches!(all[i].cluster.kind, EntityKind::Place | EntityKind::Product)
        {
            continue;
        }
        let Some(group) = w.first().and_then(|f| by_first.get(f.as_str())) else {
            continue;
        };
        let longer: Vec<usize> = group
            .iter()
            .copied()
            .filter(|&j| {
                j != i
                    && words_of[j].len() > w.len()
                    && words_of[j].starts_with(w)
                    && matches!(
                        all[j].cluster.kind,
                        EntityKind::Organization | EntityKind::Index | EntityKind::Other
                    )
            })
            .collect();
        // Organisations first: "Ford" belongs to "Ford Motor Company", not to "Ford Taurus".
        let orgs: Vec<usize> = longer
            .iter()
            .copied()
            .filter(|&j| all[j].cluster.kind == EntityKind::Organization)
            .collect();
        match (orgs.as_slice(), longer.as_slice()) {
            ([j], _) | ([], [j]) => parent[i] = Some(*j),
            _ => {}
        }
    }
    let mut out: Vec<(Option<usize>, Cluster)> = Vec::new();
    let mut slot: Vec<Option<usize>> = vec![None; all.len()];
    let order: Vec<usize> = (0..all.len()).filter(|&i| parent[i].is_none()).collect();
    for i in order {
        if !keep[i] {
            continue;
        }
        slot[i] = Some(out.len());
        let p = &all[i];
        let mut c = Cluster::new(p.cluster.kind);
        c.forms = p.cluster.forms.clone();
        c.intro = p.cluster.intro.clone();
        out.push((p.existing, c));
    }
    for i in 0..all.len() {
        if let (Some(j), true) = (parent[i], keep[i])
            && let Some(s) = slot[j]
        {
            for (form, n) in &all[i].cluster.forms {
                *out[s].1.forms.entry(form.clone()).or_default() += n;
            }
        }
    }
    out
}

/// Which of `words` (lower case) occur in lower case, as whole words, anywhere in the articles, and how
/// often: a word in running text (between spaces, with at most an opening bracket or quote before and one
/// punctuation mark after), not part of a URL, path, e-mail address or hyphenated slug. One hash look-up per
/// word of text.
fn seen_lowercase(articles: &[Arc<ArticleData>], wanted: &FxHashSet<String>) -> LowerSeen {
    use std::hash::BuildHasher;
    if wanted.is_empty() {
        return Default::default();
    }
    let words: Vec<&str> = wanted.iter().map(String::as_str).collect();
    let index: HashMap<&str, u32> = words
        .iter()
        .enumerate()
        .map(|(i, w)| (*w, i as u32))
        .collect();
    // A bit per hash of a wanted word, in a table small enough for the processor's cache: most words of the
    // text are turned away here before a look-up in the large `index`.
    let hasher = rustc_hash::FxBuildHasher;
    let bits_len = (words.len() * 16 / 64)
        .next_power_of_two()
        .clamp(1, 1 << 16);
    let mut bits = vec![0u64; bits_len];
    let bit = |h: u64| (h as usize) & (bits_len * 64 - 1);
    for w in &words {
        let b = bit(hasher.hash_one(w));
        bits[b >> 6] |= 1 << (b & 63);
    }
    let found: Vec<Vec<(u32, u32)>> = par_map(articles, |a| {
        let text = a.article.text.transient();
        let Some(text) = text.get(a.article.body.clone()) else {
            return Vec::new();
        };
        let mut hits = Vec::new();
        for chunk in text.split_whitespace() {
            if !chunk.chars().any(char::is_lowercase) {
                continue;
            }
            let core = chunk.strip_prefix(['(', '"', '“', '‘']).unwrap_or(chunk);
            let core = core
                .strip_suffix([',', ';', ':', '!', '?', ')', '"', '”', '’', '.'])
                .unwrap_or(core);
            let b = bit(hasher.hash_one(core));
            if bits[b >> 6] & (1 << (b & 63)) != 0
                && let Some(&i) = index.get(core)
            {
                hits.push(i);
            }
        }
        hits.sort_unstable();
        let mut counted: Vec<(u32, u32)> = Vec::new();
        for i in hits {
            match counted.last_mut() {
                Some((j, n)) if *j == i => *n += 1,
                _ => counted.push((i, 1)),
            }
        }
        counted
    });
    let mut seen = vec![0u32; words.len()];
    for (i, n) in found.into_iter().flatten() {
        seen[i as usize] = seen[i as usize].saturating_add(n);
    }
    words
        .iter()
        .zip(seen)
        .filter(|(_, n)| *n > 0)
        .map(|(w, n)| (w.to_string(), n))
        .collect()
}

/// Words written in lower case in the articles (lower-cased), with how often.
type LowerSeen = HashMap<String, u32>;

/// Every proper name of the articles that is one word (as a name's form is written: whitespace collapsed),
/// lower-cased.
fn one_word_names(articles: &[Arc<ArticleData>]) -> FxHashSet<String> {
    let per_article: Vec<Vec<String>> = par_map(articles, |a| {
        let text = a.article.text.transient();
        let mut words: Vec<String> = a
            .names
            .iter()
            .filter_map(|p| {
                let mut pieces = text
                    .get(p.start as usize..p.end as usize)?
                    .split_whitespace();
                match (pieces.next(), pieces.next()) {
                    (Some(w), None) => Some(w.to_lowercase()),
                    _ => None,
                }
            })
            .collect();
        words.sort_unstable();
        words.dedup();
        words
    });
    per_article.into_iter().flatten().collect()
}

/// Capitalised words of the sentences that are not followed by another capitalised word ("Aden" in "Aden and
/// Austin", not in "Aden Duale").
fn standalone_capitalised<'a>(text: &'a str, sentences: &[Sentence]) -> FxHashSet<&'a str> {
    let mut out = std::collections::HashSet::default();
    for s in sentences {
        let words: Vec<&str> = text[s.range.clone()]
            .split(|c: char| !(c.is_alphanumeric() || c == '-'))
            .filter(|w| !w.is_empty())
            .collect();
        for (i, w) in words.iter().enumerate() {
            if w.starts_with(char::is_uppercase)
                && !words
                    .get(i + 1)
                    .is_some_and(|n| n.starts_with(char::is_uppercase))
            {
                out.insert(*w);
            }
        }
    }
    out
}

/// Give relative-to-event facts their dates ("a day after <event>"): the anchor is a fact of the anchor's
/// kind whose entities include the anchor's entities and that has a day-precise date — first in the same
/// article, then anywhere in the corpus.
fn resolve_event_anchors(text_facts: Vec<(ArticleIx, TextFact)>) -> Vec<Fact> {
    let resolved: Vec<Option<FactDate>> = text_facts
        .iter()
        .map(|(ai, f)| {
            if f.date.is_some() {
                return None;
            }
            let anchor = f.pending_anchor.as_ref()?;
            let pool = |same_article: bool| -> Vec<(EventKind, &[EntityId], &FactDate)> {
                text_facts
                    .iter()
                    .filter(|(aj, _)| !same_article || aj == ai)
                    .filter_map(|(_, g)| {
                        g.date.as_ref().map(|d| (g.kind, g.entities.as_slice(), d))
                    })
                    .collect()
            };
            resolve_anchor(anchor, &pool(true)).or_else(|| resolve_anchor(anchor, &pool(false)))
        })
        .collect();
    text_facts
        .into_iter()
        .zip(resolved)
        .map(|((ai, f), r)| fact_of(ai, f, r))
        .collect()
}

/// A fact of the knowledge base from a fact of article `ai`'s text, with the date its anchor resolved to.
pub(super) fn fact_of(ai: ArticleIx, f: TextFact, resolved: Option<FactDate>) -> Fact {
    Fact {
        kind: f.kind,
        entities: f.entities,
        date: f.date.or(resolved),
        place: f.place,
        source: Source {
            article: ai,
            range: f.sentence,
        },
        trigger: f.trigger,
        qualified: f.qualified,
    }
}
/// What the corpus's mentions of one entity add up to: how many, in how many articles, and the first
/// [`KEPT_MENTIONS`] of them (in article order).
pub(super) struct Tally {
    mentions: usize,
    sources: usize,
    kept: Vec<Source>,
}

impl Tally {
    /// Set an entity's counts and kept mentions to these.
    pub(super) fn apply(self, e: &mut Entity) {
        e.mention_count = self.mentions;
        e.source_count = self.sources;
        e.mentions = self.kept;
    }
}

/// The tally of each of `count` entities from every article's mentions (`article_mentions`, in article
/// order), for the entities `wanted` says (the others' are empty).
///
/// Counted in flat arrays first, then each entity's kept mentions gathered into a vector of its size: an
/// entity's own record is not touched once per mention (99,674 entities and their mentions on the White House
/// corpus, where updating each entity at each of its mentions took 100-175 ms of a warm start).
pub(super) fn tally(
    count: usize,
    article_mentions: &[Vec<CorpusMention>],
    wanted: impl Fn(EntityId) -> bool,
) -> Vec<Tally> {
    let mut mentions = vec![0usize; count];
    let mut sources = vec![0usize; count];
    // The article each entity was last named in, to count each article once.
    let mut last = vec![usize::MAX; count];
    let all = || {
        article_mentions
            .iter()
            .enumerate()
            .flat_map(|(ai, ms)| ms.iter().map(move |m| (ai, m)))
            .filter(|(_, m)| wanted(m.entity()))
    };
    for (ai, m) in all() {
        let e = m.entity();
        mentions[e] += 1;
        if last[e] != ai {
            sources[e] += 1;
            last[e] = ai;
        }
    }
    drop(last);
    let mut kept: Vec<Vec<Source>> = mentions
        .iter()
        .map(|&n| Vec::with_capacity(n.min(KEPT_MENTIONS)))
        .collect();
    for (ai, m) in all() {
        let k = &mut kept[m.entity()];
        if k.len() < KEPT_MENTIONS {
            k.push(Source {
                article: ai,
                range: m.range(),
            });
        }
    }
    mentions
        .into_iter()
        .zip(sources)
        .zip(kept)
        .map(|((mentions, sources), kept)| Tally {
            mentions,
            sources,
            kept,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mention(entity: u32, start: u32) -> CorpusMention {
        CorpusMention {
            start,
            end: start + 1,
            entity,
        }
    }

    /// Articles' mentions of entity 0 (and one of entity 1 in the first article): `counts[i]` in article `i`.
    fn articles(counts: &[u32]) -> Vec<Vec<CorpusMention>> {
        counts
            .iter()
            .enumerate()
            .map(|(i, &n)| {
                let mut ms: Vec<CorpusMention> = (0..n).map(|k| mention(0, k)).collect();
                if i == 0 {
                    ms.push(mention(1, n));
                }
                ms
            })
            .collect()
    }

    #[test]
    fn an_entity_is_counted_once_per_article_and_keeps_its_first_mentions_in_article_order() {
        let kept = KEPT_MENTIONS as u32;
        // (mentions of entity 0 per article, its mentions, its articles, its kept mentions per article)
        let cases: [(&[u32], usize, usize, &[usize]); 5] = [
            (&[1], 1, 1, &[1]),
            (&[2, 0, 3], 5, 2, &[2, 0, 3]),
            // Past the kept mentions, every further article still counts once (it counted each mention).
            (&[kept + 44, 10], 310, 2, &[KEPT_MENTIONS, 0]),
            (
                &[kept, 1, 1, 1],
                kept as usize + 3,
                4,
                &[KEPT_MENTIONS, 0, 0, 0],
            ),
            (&[0, 0], 0, 0, &[0, 0]),
        ];
        for (counts, mentions, sources, per_article) in cases {
            let t = tally(2, &articles(counts), |_| true);
            assert_eq!(
                (t[0].mentions, t[0].sources),
                (mentions, sources),
                "{counts:?}"
            );
            let got: Vec<usize> = (0..counts.len())
                .map(|a| t[0].kept.iter().filter(|s| s.article == a).count())
                .collect();
            assert_eq!(got, per_article, "{counts:?}");
            assert!(t[0].kept.windows(2).all(|w| w[0].article <= w[1].article));
            assert_eq!((t[1].mentions, t[1].sources), (1, 1));
        }
        // Only the entities asked for are counted.
        let t = tally(2, &articles(&[3, 4]), |e| e == 1);
        assert_eq!((t[0].mentions, t[0].sources, t[0].kept.len()), (0, 0, 0));
        assert_eq!((t[1].mentions, t[1].sources), (1, 1));
    }
}
