//! The knowledge base: people, agreements and organisations across a corpus, merged into one entity each,
//! with aliases, roles, mentions and dated facts — every one tied to an article and a byte range.
//!
//! Building is two-stage so that a changed article costs one re-extraction: [`ArticleData::extract`] is the
//! per-article (cacheable, parallel) part, [`KnowledgeBase::build`] merges them.

mod statement_index;

pub use statement_index::{StatementIndex, StatementRef};

use crate::corpus::{Article, Corpus, Problem};
use crate::extract::dates::{self, Anchor, DateContext, DateKind, DateValue, TemporalExpr};
use crate::extract::events::{EventKind, Trigger, find_triggers};
use crate::extract::names::{Cue, EntityKind, FoundNames, NameMention, collapse, find_all_names};
use crate::extract::quotes::{Quote, find_quotes};
use crate::extract::segment::{Paragraph, Sentence, segment};
use crate::extract::statements::{Statement, statements};
use crate::text::{ByteRange, LineIndex, fold};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

pub type EntityId = usize;
pub type ArticleIx = usize;

/// Where something is said: an article and a byte range in its text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Source {
    pub article: ArticleIx,
    pub range: ByteRange,
}

/// A role or title given to a person, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role {
    pub text: String,
    pub source: Source,
}

/// One person, agreement or organisation across the corpus.
#[derive(Clone, Debug)]
pub struct Entity {
    pub id: EntityId,
    pub kind: EntityKind,
    pub name: String,
    /// Other names the texts use, sorted; never includes `name`.
    pub aliases: Vec<String>,
    pub acronym: Option<String>,
    pub roles: Vec<Role>,
    /// The passage that best introduces it (full name with role, or the name with its acronym).
    pub intro: Option<Source>,
    /// Mentions in the corpus, in article order: the first [`KEPT_MENTIONS`] (counts below are complete).
    pub mentions: Vec<Source>,
    /// How many times, and in how many articles, the corpus names it.
    pub mention_count: usize,
    pub source_count: usize,
}

/// Mentions kept per entity for references and passages; a country named 100,000 times keeps these.
pub const KEPT_MENTIONS: usize = 256;

/// A resolved name in a corpus article, compactly: its byte range and its one entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CorpusMention {
    pub start: u32,
    pub end: u32,
    pub entity: u32,
}

impl CorpusMention {
    pub fn range(&self) -> ByteRange {
        self.start as usize..self.end as usize
    }

    pub fn entity(&self) -> EntityId {
        self.entity as usize
    }
}

/// A date attached to a fact, with the expression that gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FactDate {
    pub value: DateValue,
    /// The date expression in the text (for a relative date, the relative expression).
    pub range: ByteRange,
    /// "since 2008", "the first … since 1999": a claim about the previous occurrence.
    pub since: bool,
    /// How a relative date was resolved: the offset in days and the anchor event's date.
    pub derived_from: Option<(i32, DateValue)>,
}

/// A sentence-level statement: who or what, what happened, and where it is said.
#[derive(Clone, Debug)]
pub struct Fact {
    pub kind: EventKind,
    pub entities: Vec<EntityId>,
    pub date: Option<FactDate>,
    pub place: Option<String>,
    /// The sentence.
    pub source: Source,
    pub trigger: ByteRange,
    /// "state visit", "phone call": wording that identifies a particular event.
    pub qualified: bool,
}

/// Everything extracted from one article on its own (no cross-article knowledge).
#[derive(Debug)]
pub struct ArticleData {
    pub article: Article,
    pub lines: LineIndex,
    pub paragraphs: Vec<Paragraph>,
    /// Sentences outside boilerplate.
    pub sentences: Vec<Sentence>,
    pub people: Vec<NameMention>,
    pub things: Vec<NameMention>,
    /// Every other proper name (organisations, places, products, indices, untyped names).
    pub names: Vec<NameMention>,
    pub dates: Vec<TemporalExpr>,
    pub quotes: Vec<Quote>,
    /// The body folded for tolerant matching (see [`crate::text::Folded`]).
    pub folded: String,
    /// Dated clauses with the words that identify their events.
    pub statements: Vec<Statement>,
}

fn in_any(ranges: &[ByteRange], r: &ByteRange) -> bool {
    ranges.iter().any(|b| b.start <= r.start && r.start < b.end)
}

/// Lines that are layout, not prose: the headline and a line that holds nothing but a date (the dateline).
fn layout_lines(
    text: &str,
    body: ByteRange,
    title: Option<&str>,
    dates: &[TemporalExpr],
) -> Vec<ByteRange> {
    let mut out = Vec::new();
    let mut start = body.start;
    for line in text[body.clone()].split_inclusive('\n') {
        let r = start..start + line.len();
        start = r.end;
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        let lead = r.start + (line.len() - line.trim_start().len());
        let only_date = dates
            .iter()
            .any(|d| d.span.start == lead && d.span.end == lead + t.len());
        if only_date || title.is_some_and(|h| h.trim() == t) {
            out.push(r);
        }
    }
    out
}

/// `r` with the given ranges cut out.
fn without(r: ByteRange, cuts: &[ByteRange]) -> Vec<ByteRange> {
    let mut out = Vec::new();
    let mut start = r.start;
    for c in cuts.iter().filter(|c| c.start < r.end && r.start < c.end) {
        if c.start > start {
            out.push(start..c.start);
        }
        start = start.max(c.end);
    }
    if start < r.end {
        out.push(start..r.end);
    }
    out
}

impl ArticleData {
    /// Extract sentences, names, dates and quotations from an article. Pure and independent of the rest of
    /// the corpus, so results can be cached per article.
    pub fn extract(article: Article) -> ArticleData {
        let text = article.text.as_str();
        let body = article.body.clone();
        let lines = LineIndex::new(text);
        let (paragraphs, mut sentences) = segment(text, body.clone());
        sentences.retain(|s| !in_any(&article.boilerplate, &s.range));
        let ranges: Vec<ByteRange> = sentences.iter().map(|s| s.range.clone()).collect();
        let FoundNames {
            people,
            things,
            names,
        } = find_all_names(text, &ranges);
        let ctx = DateContext {
            reference: article.meta.date,
        };
        let mut dates: Vec<TemporalExpr> = dates::find_dates(&text[body.clone()], &ctx)
            .into_iter()
            .map(|mut d| {
                d.span = d.span.start + body.start..d.span.end + body.start;
                d
            })
            .collect();
        dates.retain(|d| !in_any(&article.boilerplate, &d.span));
        let quotes = find_quotes(text, body.clone())
            .into_iter()
            .filter(|q| !in_any(&article.boilerplate, &q.inner))
            .collect();
        let folded = fold(&text[body.clone()]);
        let layout = layout_lines(text, body.clone(), article.title.as_deref(), &dates);
        let prose: Vec<ByteRange> = ranges
            .iter()
            .flat_map(|r| without(r.clone(), &layout))
            .filter(|r| !text[r.clone()].trim().is_empty())
            .collect();
        let dated: Vec<TemporalExpr> = dates
            .iter()
            .filter(|d| !in_any(&layout, &d.span))
            .cloned()
            .collect();
        let statements = statements(text, &prose, &dated);
        ArticleData {
            article,
            lines,
            paragraphs,
            sentences,
            people,
            things,
            names,
            dates,
            quotes,
            folded,
            statements,
        }
    }

    pub fn text(&self) -> &str {
        &self.article.text
    }

    pub fn id(&self) -> &str {
        &self.article.id
    }

    /// One-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.lines.line_of(offset) + 1
    }

    /// The sentence containing `offset`.
    pub fn sentence_at(&self, offset: usize) -> Option<&Sentence> {
        let i = self.sentences.partition_point(|s| s.range.end <= offset);
        self.sentences.get(i).filter(|s| s.range.start <= offset)
    }
}

/// A name found by the alias matcher in some text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    pub range: ByteRange,
    /// One entity, or several when a short name is ambiguous.
    pub candidates: Vec<EntityId>,
}

/// How a citation key resolves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyMatch {
    One(ArticleIx),
    None,
    Ambiguous(Vec<ArticleIx>),
}

/// Where a quotation is found in the corpus.
#[derive(Clone, Debug, PartialEq)]
pub enum QuoteMatch {
    /// The words appear verbatim (up to case, spacing, quote style and punctuation).
    Exact(Source),
    /// A passage that shares most of the words.
    Near {
        source: Source,
        similarity: f32,
    },
    None,
}

struct AliasTable {
    matcher: Option<AhoCorasick>,
    /// Pattern i → (alias text, entities, case-sensitive).
    patterns: Vec<(String, Vec<EntityId>, bool)>,
}

/// The merged knowledge of a corpus.
pub struct KnowledgeBase {
    pub articles: Vec<Arc<ArticleData>>,
    pub entities: Vec<Entity>,
    pub facts: Vec<Fact>,
    pub problems: Vec<Problem>,
    aliases: AliasTable,
    /// Per article: mentions resolved to one entity (outside boilerplate), sorted by start.
    pub article_mentions: Vec<Vec<CorpusMention>>,
    /// Dated clauses by the terms they contain.
    pub statement_index: StatementIndex,
    /// Quotation look-ups already made, by folded text: re-checking a note after a keystroke repeats them.
    quote_cache: std::sync::Mutex<HashMap<String, QuoteMatch>>,
}

impl std::fmt::Debug for KnowledgeBase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KnowledgeBase")
            .field("articles", &self.articles.len())
            .field("entities", &self.entities.len())
            .field("facts", &self.facts.len())
            .finish()
    }
}

/// Person titles strong enough to make a lone surname a person of its own ("President Biden").
const PERSONAL_TITLES: &[&str] = &[
    "President",
    "Secretary",
    "Senator",
    "Sen.",
    "Mr.",
    "Mrs.",
    "Ms.",
    "Mr",
    "Mrs",
    "Ms",
    "Dr.",
    "Minister",
    "Governor",
    "Gov.",
    "Chancellor",
    "Ambassador",
    "Representative",
    "Rep.",
    "Congressman",
    "Congresswoman",
    "Mayor",
    "Judge",
    "Justice",
    "Speaker",
    "Pope",
    "King",
    "Queen",
    "Prince",
    "Princess",
    "Prime",
    "Premier",
    "President-elect",
];

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

fn is_initial(w: &str) -> bool {
    let mut cs = w.chars();
    matches!((cs.next(), cs.next(), cs.next()), (Some(a), Some('.'), None) if a.is_uppercase())
}

fn name_words(name: &str) -> Vec<&str> {
    name.split_whitespace()
        .filter(|w| !is_initial(w) && !matches!(*w, "Jr." | "Sr." | "Jr" | "Sr" | "II" | "III"))
        .collect()
}

/// Common English short forms of given names, so that "Joe Biden" and "Joseph R. Biden" are one person.
const SHORT_FORMS: &[(&str, &str)] = &[
    ("joe", "joseph"),
    ("joey", "joseph"),
    ("tony", "anthony"),
    ("bill", "william"),
    ("billy", "william"),
    ("will", "william"),
    ("mike", "michael"),
    ("jim", "james"),
    ("jimmy", "james"),
    ("bob", "robert"),
    ("bobby", "robert"),
    ("rob", "robert"),
    ("dick", "richard"),
    ("rick", "richard"),
    ("chuck", "charles"),
    ("charlie", "charles"),
    ("tom", "thomas"),
    ("tommy", "thomas"),
    ("dan", "daniel"),
    ("danny", "daniel"),
    ("dave", "david"),
    ("steve", "stephen"),
    ("kate", "katherine"),
    ("kathy", "katherine"),
    ("liz", "elizabeth"),
    ("beth", "elizabeth"),
    ("sam", "samuel"),
    ("alex", "alexander"),
    ("ben", "benjamin"),
    ("chris", "christopher"),
    ("ed", "edward"),
    ("ted", "edward"),
    ("pete", "peter"),
    ("nick", "nicholas"),
    ("matt", "matthew"),
    ("andy", "andrew"),
    ("jon", "jonathan"),
    ("greg", "gregory"),
    ("jen", "jennifer"),
    ("jenny", "jennifer"),
    ("pat", "patrick"),
    ("ron", "ronald"),
    ("don", "donald"),
    ("larry", "lawrence"),
    ("jerry", "gerald"),
    ("fred", "frederick"),
    ("hank", "henry"),
    ("jack", "john"),
    ("johnny", "john"),
    ("tim", "timothy"),
    ("vicky", "victoria"),
    ("sue", "susan"),
    ("meg", "margaret"),
    ("peggy", "margaret"),
    ("abby", "abigail"),
];

/// A given name in its full form ("joe" → "joseph").
fn full_given_name(first: &str) -> String {
    let l = first.to_lowercase();
    SHORT_FORMS
        .iter()
        .find(|(short, _)| *short == l)
        .map_or(l, |(_, full)| (*full).to_string())
}

fn person_key(name: &str) -> Option<(String, String)> {
    let w = name_words(name);
    (w.len() >= 2).then(|| (full_given_name(w[0]), w[w.len() - 1].to_lowercase()))
}

/// Agreement cluster key: folded, without a leading "the" or a trailing "in <Place>".
fn agreement_key(name: &str) -> String {
    let f = fold(name);
    let f = f.strip_prefix("the ").unwrap_or(&f).to_string();
    match f.rfind(" in ") {
        Some(i) if i > 0 => f[..i].to_string(),
        _ => f,
    }
}

struct Cluster {
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
    role_keys: std::collections::HashSet<String>,
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
            role_keys: std::collections::HashSet::new(),
        }
    }

    fn add(&mut self, m: &NameMention, article: ArticleIx) {
        *self.forms.entry(m.name.clone()).or_default() += 1;
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

    /// An empty knowledge base (no corpus configured yet).
    pub fn empty() -> Self {
        Self::build(Vec::new(), Vec::new())
    }

    /// Merge per-article extractions into entities, aliases, mentions and facts.
    pub fn build(articles: Vec<Arc<ArticleData>>, problems: Vec<Problem>) -> Self {
        let timer = std::time::Instant::now();
        let lap = |what: &str| tracing::debug!("kb build: {what} at {:?}", timer.elapsed());
        let mut person_clusters: Vec<Cluster> = Vec::new();
        let mut person_index: HashMap<(String, String), usize> = HashMap::new();
        let mut thing_clusters: Vec<Cluster> = Vec::new();
        let mut thing_index: HashMap<(EntityKind, String), usize> = HashMap::new();
        let mut acronym_index: HashMap<String, usize> = HashMap::new();
        // Pass 1: full names.
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
                let by_acr = m
                    .acronym
                    .as_ref()
                    .and_then(|(acr, _)| acronym_index.get(acr).copied());
                let ci = match by_acr.or_else(|| thing_index.get(&(m.kind, key.clone())).copied()) {
                    Some(ci) => ci,
                    None => {
                        thing_clusters.push(Cluster::new(m.kind));
                        thing_clusters.len() - 1
                    }
                };
                thing_index.insert((m.kind, key), ci);
                if let Some((acr, _)) = &m.acronym {
                    acronym_index.entry(acr.clone()).or_insert(ci);
                }
                thing_clusters[ci].add(m, ai);
            }
        }
        lap("clusters");
        // A "name" whose every word the corpus also writes in lower case is a phrase ("Public Policy",
        // "Senior Foreign Service"), not a person; nor is a lone titled word like "Extraordinary".
        let mut candidates: BTreeSet<String> = BTreeSet::new();
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
        let lower_seen = seen_lowercase(&articles, &candidates);
        let keep: Vec<bool> = person_clusters
            .iter()
            .map(|c| {
                !name_words(&c.canonical())
                    .iter()
                    .all(|w| lower_seen.contains(&w.to_lowercase()))
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
        lap("lower-case filter");
        // Surnames and first names of known people are theirs, not names of other things.
        let person_words: std::collections::HashSet<String> = person_clusters
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
            &person_index,
            &person_words,
            &thing_index,
            &acronym_index,
        );
        let first_proper = thing_clusters.len();
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
        let _ = first_proper;
        lap("proper names");
        // Pass 2: lone surnames after a title resolve to known people, or become people of their own.
        let mut by_surname: HashMap<String, Vec<usize>> = HashMap::new();
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
                    None if titled && !lower_seen.contains(&m.name.to_lowercase()) => {
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
        lap("surnames");
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
            let mut aliases: BTreeSet<String> = c.forms.keys().cloned().collect();
            if c.kind == EntityKind::Person
                && let Some(last) = name_words(&name).last()
            {
                aliases.insert(last.to_string());
                for t in &c.titles {
                    aliases.insert(format!("{t} {last}"));
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
        lap("aliases");
        // Place-qualified references ("the Haiti mission") join the agreement "… Mission in Haiti". The forms
        // are indexed by their last three words ("mission in haiti").
        let mut by_tail: HashMap<String, BTreeSet<usize>> = HashMap::new();
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
        lap("place-qualified");
        // First names used alone for a person in an article where the full name appears ("Aden").
        let mut first_name_aliases: Vec<(String, EntityId)> = Vec::new();
        for a in &articles {
            let text = a.text();
            let mut standalone_words: Option<std::collections::HashSet<&str>> = None;
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
                if alias_map.contains_key(first) {
                    continue;
                }
                // Capitalised words not followed by another capitalised word, once per article.
                let words = standalone_words
                    .get_or_insert_with(|| standalone_capitalised(text, &a.sentences));
                if words.contains(first) {
                    first_name_aliases.push((first.to_string(), ci));
                }
            }
        }
        for (first, id) in first_name_aliases {
            add_alias(&first, id, true, &mut alias_map);
            if !entities[id].aliases.contains(&first) {
                entities[id].aliases.push(first);
                entities[id].aliases.sort();
            }
        }
        lap("first names");
        let patterns: Vec<(String, Vec<EntityId>, bool)> = alias_map
            .into_iter()
            .map(|(a, (ids, cs))| (a, ids.into_iter().collect(), cs))
            .collect();
        let matcher = (!patterns.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::LeftmostLongest)
                .build(patterns.iter().map(|p| p.0.as_str()))
                .expect("alias automaton")
        });
        let mut kb = KnowledgeBase {
            articles,
            entities,
            facts: Vec::new(),
            problems,
            aliases: AliasTable { matcher, patterns },
            article_mentions: Vec::new(),
            statement_index: StatementIndex::default(),
            quote_cache: std::sync::Mutex::new(HashMap::new()),
        };
        lap("automaton");
        // Mentions and facts, article by article.
        let per_article: Vec<(Vec<Mention>, Vec<TextFact>)> = par_map(&kb.articles, |a| {
            let mut mentions = Vec::new();
            for s in &a.sentences {
                mentions.extend(kb.find_mentions(a.text(), s.range.clone()));
            }
            resolve_in_context(&mut mentions, a.text(), &kb.entities);
            let sentences: Vec<ByteRange> = a.sentences.iter().map(|s| s.range.clone()).collect();
            let facts = facts_in_text(
                a.text(),
                &sentences,
                &participants(&mentions, &kb.entities),
                &a.dates,
            );
            (mentions, facts)
        });
        let mut all_mentions: Vec<Vec<CorpusMention>> = Vec::with_capacity(kb.articles.len());
        let mut text_facts: Vec<(ArticleIx, TextFact)> = Vec::new();
        for (ai, (mentions, facts)) in per_article.into_iter().enumerate() {
            text_facts.extend(facts.into_iter().map(|f| (ai, f)));
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
            all_mentions.push(compact);
        }
        lap("mentions and facts");
        let facts = resolve_event_anchors(text_facts);
        for (ai, mentions) in all_mentions.iter().enumerate() {
            for m in mentions {
                let e = &mut kb.entities[m.entity()];
                if e.mentions.last().is_none_or(|last| last.article != ai) {
                    e.source_count += 1;
                }
                e.mention_count += 1;
                if e.mentions.len() < KEPT_MENTIONS {
                    e.mentions.push(Source {
                        article: ai,
                        range: m.range(),
                    });
                }
            }
        }
        lap("anchors and entity mentions");
        kb.article_mentions = all_mentions;
        kb.facts = facts;
        kb.statement_index = StatementIndex::build(&kb.articles);
        lap("statement index");
        kb
    }

    /// Names of known entities in `text[range]`, by their aliases (word-bounded, possessives allowed).
    pub fn find_mentions(&self, text: &str, range: ByteRange) -> Vec<Mention> {
        let Some(matcher) = &self.aliases.matcher else {
            return Vec::new();
        };
        let s = &text[range.clone()];
        let mut out = Vec::new();
        for m in matcher.find_iter(s) {
            let (alias, ids, case_sensitive) = &self.aliases.patterns[m.pattern().as_usize()];
            let found = &s[m.start()..m.end()];
            if *case_sensitive && found != alias {
                continue;
            }
            let before_ok = s[..m.start()]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            let after_ok = s[m.end()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric());
            if !before_ok || !after_ok {
                continue;
            }
            out.push(Mention {
                range: range.start + m.start()..range.start + m.end(),
                candidates: ids.clone(),
            });
        }
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
        if needle.split(' ').count() < 2 {
            return QuoteMatch::None;
        }
        for (ai, a) in self.articles.iter().enumerate() {
            if let Some(at) = find_bounded(&a.folded, needle) {
                let folded = crate::text::Folded::with_base(
                    &a.text()[a.article.body.clone()],
                    a.article.body.start,
                );
                return QuoteMatch::Exact(Source {
                    article: ai,
                    range: folded.original_range(&(at..at + needle.len())),
                });
            }
        }
        self.near_quote(needle)
    }

    fn near_quote(&self, needle: &str) -> QuoteMatch {
        let words: Vec<&str> = needle.split(' ').collect();
        if words.len() < 4 {
            return QuoteMatch::None;
        }
        let quote_content = content_words(&words);
        // Candidate sentences share a word trigram with the quotation (one with a content word).
        let grams: BTreeSet<String> = words
            .windows(3)
            .filter(|w| w.iter().any(|x| !STOPWORDS.contains(x)))
            .map(|w| w.join(" "))
            .collect();
        if grams.is_empty() {
            return QuoteMatch::None;
        }
        let grams: Vec<String> = grams.into_iter().collect();
        // A non-contiguous automaton builds in time linear in the patterns; the default may pick a DFA,
        // whose construction is quadratic or worse in a long word (thousands of digits took seconds).
        let Ok(ac) = AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::NoncontiguousNFA))
            .build(&grams)
        else {
            return QuoteMatch::None;
        };
        let mut best: Option<(f32, Source)> = None;
        for (ai, a) in self.articles.iter().enumerate() {
            if !ac.is_match(&a.folded) {
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

    /// Facts that involve an entity, dated ones first by date value.
    pub fn facts_of(&self, id: EntityId) -> Vec<&Fact> {
        let mut v: Vec<&Fact> = self
            .facts
            .iter()
            .filter(|f| f.entities.contains(&id))
            .collect();
        v.sort_by_key(|f| {
            (
                f.date.is_none(),
                f.date.as_ref().map(|d| d.value.to_iso()),
                f.source.article,
                f.source.range.start,
            )
        });
        v
    }

    /// Number of distinct articles that mention an entity.
    pub fn source_count(&self, id: EntityId) -> usize {
        self.entities[id].source_count
    }

    pub fn article(&self, ix: ArticleIx) -> &ArticleData {
        &self.articles[ix]
    }
}

/// The cluster key of a proper name: folded, without a leading "the" or a trailing legal form ("Inc",
/// "Corporation", "SpA"), so that "Fiat Group SpA" and "Fiat" are one key.
fn proper_key(name: &str) -> String {
    const LEGAL: &[&str] = &[
        "inc",
        "inc.",
        "corp",
        "corp.",
        "corporation",
        "co",
        "co.",
        "company",
        "group",
        "spa",
        "s.p.a.",
        "ag",
        "plc",
        "ltd",
        "ltd.",
        "llc",
        "sa",
        "s.a.",
        "nv",
        "n.v.",
        "holdings",
        "limited",
        "gmbh",
    ];
    let f = fold(name);
    let mut words: Vec<&str> = f.split(' ').filter(|w| !w.is_empty()).collect();
    if words.first() == Some(&"the") {
        words.remove(0);
    }
    while words.len() > 1 && words.last().is_some_and(|w| LEGAL.contains(w)) {
        words.pop();
    }
    // "Ford Motors" and "Ford Motor" alike.
    words
        .iter()
        .map(|w| crate::extract::statements::stem(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Proper-name clusters, each with the existing organisation it belongs to (by key or acronym), or none for a
/// new entity. Names seen only at the start of sentences are kept when they recur; a cluster's kind is the
/// kind most of its mentions show; a short name that starts exactly one longer organisation or index name
/// ("Dow Jones" → "Dow Jones Industrial Average") joins it.
fn proper_clusters(
    articles: &[Arc<ArticleData>],
    person_index: &HashMap<(String, String), usize>,
    person_words: &std::collections::HashSet<String>,
    thing_index: &HashMap<(EntityKind, String), usize>,
    acronym_index: &HashMap<String, usize>,
) -> Vec<(Option<usize>, Cluster)> {
    struct Proper {
        cluster: Cluster,
        votes: BTreeMap<EntityKind, usize>,
        running: bool,
        mentions: usize,
        existing: Option<usize>,
    }
    let existing_by_key: HashMap<String, usize> = thing_index
        .iter()
        .map(|((_, k), ci)| (proper_key(k), *ci))
        .collect();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut all: Vec<Proper> = Vec::new();
    // The same name recurs across articles: its key is computed once.
    let mut keys: HashMap<&str, String> = HashMap::new();
    for (ai, a) in articles.iter().enumerate() {
        for m in &a.names {
            let key = keys
                .entry(m.name.as_str())
                .or_insert_with(|| proper_key(&m.name))
                .clone();
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
            let existing = acronym_index
                .get(&m.name)
                .or_else(|| existing_by_key.get(&key))
                .copied();
            let pi = *by_key.entry(key).or_insert_with(|| {
                all.push(Proper {
                    cluster: Cluster::new(EntityKind::Other),
                    votes: BTreeMap::new(),
                    running: false,
                    mentions: 0,
                    existing,
                });
                all.len() - 1
            });
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
    let single: BTreeSet<String> = canonical
        .iter()
        .filter(|n| !n.contains(' '))
        .map(|n| n.to_lowercase())
        .collect();
    let lower_seen = seen_lowercase(articles, &single);
    let keep: Vec<bool> = all
        .iter()
        .zip(&canonical)
        .map(|(p, canonical)| {
            let common = !canonical.contains(' ') && lower_seen.contains(&canonical.to_lowercase());
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
    let mut by_first: HashMap<&str, Vec<usize>> = HashMap::new();
    for (j, w) in words_of.iter().enumerate() {
        if keep[j]
            && let Some(first) = w.first()
        {
            by_first.entry(first.as_str()).or_default().push(j);
        }
    }
    for (i, w) in words_of.iter().enumerate() {
        if !keep[i] || matches!(all[i].cluster.kind, EntityKind::Place | EntityKind::Product) {
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

/// Which of `words` (lower case) occur in lower case, as whole words, anywhere in the articles: a word in
/// running text (between spaces, with at most an opening bracket or quote before and one punctuation mark
/// after), not part of a URL, path, e-mail address or hyphenated slug. One hash look-up per word of text.
fn seen_lowercase(
    articles: &[Arc<ArticleData>],
    words: &BTreeSet<String>,
) -> std::collections::HashSet<String> {
    if words.is_empty() {
        return Default::default();
    }
    let wanted: std::collections::HashSet<&str> = words.iter().map(String::as_str).collect();
    let found: Vec<Vec<&str>> = par_map(articles, |a| {
        let text = &a.text()[a.article.body.clone()];
        let mut hits = Vec::new();
        for chunk in text.split_whitespace() {
            if !chunk.chars().any(char::is_lowercase) {
                continue;
            }
            let core = chunk.strip_prefix(['(', '"', '“', '‘']).unwrap_or(chunk);
            let core = core
                .strip_suffix([',', ';', ':', '!', '?', ')', '"', '”', '’', '.'])
                .unwrap_or(core);
            if let Some(w) = wanted.get(core) {
                hits.push(*w);
            }
        }
        hits.sort_unstable();
        hits.dedup();
        hits
    });
    found.into_iter().flatten().map(str::to_string).collect()
}

/// Map `f` over `items` on all cores, keeping their order.
fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    if items.len() < 64 || workers < 2 {
        return items.iter().map(&f).collect();
    }
    let chunk = items.len().div_ceil(workers * 4);
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let c = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let start = c * chunk;
                        if start >= items.len() {
                            break;
                        }
                        let end = (start + chunk).min(items.len());
                        mine.push((c, items[start..end].iter().map(&f).collect::<Vec<R>>()));
                    }
                    mine
                })
            })
            .collect();
        let mut parts: Vec<(usize, Vec<R>)> = handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect();
        parts.sort_by_key(|(c, _)| *c);
        parts.into_iter().flat_map(|(_, v)| v).collect()
    })
}

/// Run [`ArticleData::extract`] over articles on all cores, keeping their order.
pub fn extract_all(
    articles: Vec<Article>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Vec<Arc<ArticleData>> {
    let total = articles.len();
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(total.max(1));
    let done = std::sync::atomic::AtomicUsize::new(0);
    let queue = std::sync::Mutex::new(articles.into_iter().enumerate());
    let mut out: Vec<(usize, Arc<ArticleData>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let next = queue.lock().unwrap_or_else(|e| e.into_inner()).next();
                        let Some((i, a)) = next else { break };
                        mine.push((i, Arc::new(ArticleData::extract(a))));
                        let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                        if n.is_multiple_of(64) || n == total {
                            progress(n, total);
                        }
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    out.sort_by_key(|(i, _)| *i);
    out.into_iter().map(|(_, a)| a).collect()
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

/// Capitalised words of the sentences that are not followed by another capitalised word ("Aden" in "Aden and
/// Austin", not in "Aden Duale").
fn standalone_capitalised<'a>(
    text: &'a str,
    sentences: &[Sentence],
) -> std::collections::HashSet<&'a str> {
    let mut out = std::collections::HashSet::new();
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

/// Resolve ambiguous short names by the entities named in full in the same text, and "the Framework" to the
/// agreement named most recently before it.
pub fn resolve_in_context(mentions: &mut Vec<Mention>, text: &str, entities: &[Entity]) {
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
pub fn participants(mentions: &[Mention], entities: &[Entity]) -> Vec<Mention> {
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

/// A fact found in a text before it is tied to an article (shared by the corpus and the notes).
#[derive(Clone, Debug)]
pub struct TextFact {
    pub kind: EventKind,
    pub entities: Vec<EntityId>,
    pub date: Option<FactDate>,
    pub place: Option<String>,
    pub sentence: ByteRange,
    pub trigger: ByteRange,
    pub qualified: bool,
    /// A relative date waiting for the date of another event ("a day after <event>").
    pub pending_anchor: Option<PendingAnchor>,
}

/// "a day after President Ruto spoke with … Blinken": the anchor event's kind and participants, and the offset.
#[derive(Clone, Debug)]
pub struct PendingAnchor {
    pub kind: Option<EventKind>,
    pub entities: Vec<EntityId>,
    pub days: i32,
    pub range: ByteRange,
}

/// "in Nairobi", "at the Pentagon": found without capture groups (fast), the name cut out afterwards.
static PLACE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?-u:\b)(?:in|at)\s+(?:the\s+)?(?:[A-Z][\w’'.-]+)(?:\s+[A-Z][\w’'-]+)*")
        .expect("place regex")
});

/// The place name of a [`PLACE`] match, without "in"/"at" and "the": its offset in the match and its text.
fn place_name(m: regex::Match<'_>) -> (usize, &str) {
    let s = m.as_str();
    let mut start = s.find(char::is_whitespace).unwrap_or(0);
    start += s[start..].len() - s[start..].trim_start().len();
    if let Some(rest) = s[start..].strip_prefix("the")
        && rest.starts_with(char::is_whitespace)
    {
        start = s.len() - rest.trim_start().len();
    }
    (m.start() + start, &s[start..])
}

/// Sentence-level facts in a text: for each sentence with an event word and at least one entity (or a
/// "this call"-style reference to the previous fact of the same kind), the entities, the date and the place.
pub fn facts_in_text(
    text: &str,
    sentences: &[ByteRange],
    mentions: &[Mention],
    dates: &[TemporalExpr],
) -> Vec<TextFact> {
    let mut out: Vec<TextFact> = Vec::new();
    // Clauses joined by "; ", ", and ", ", but " … each report their own event ("In May Ruto visited
    // Washington, and in November he met Langley"), so each is read on its own.
    let clauses: Vec<ByteRange> = sentences
        .iter()
        .flat_map(|s| clauses(text, s.clone()))
        .collect();
    for sr in &clauses {
        let triggers: Vec<Trigger> = find_triggers(text, sr.clone());
        if triggers.is_empty() {
            continue;
        }
        let in_sentence = |r: &ByteRange| sr.start <= r.start && r.end <= sr.end;
        // Both lists are sorted by start: look only at the stretch that can fall in this sentence.
        let m0 = mentions.partition_point(|m| m.range.start < sr.start);
        let m1 = mentions.partition_point(|m| m.range.start < sr.end);
        let sent_mentions: Vec<&Mention> = mentions[m0..m1.max(m0)]
            .iter()
            .filter(|m| in_sentence(&m.range))
            .collect();
        let d0 = dates.partition_point(|d| d.span.start < sr.start);
        let d1 = dates.partition_point(|d| d.span.start < sr.end);
        let sent_dates: Vec<&TemporalExpr> = dates[d0..d1.max(d0)]
            .iter()
            .filter(|d| in_sentence(&d.span))
            .collect();
        // A relative-to-event expression splits the sentence into the main clause and the anchor event:
        // "X came a day after <anchor>", or sentence-initial "Two days after <anchor>, X".
        let anchor_expr = sent_dates
            .iter()
            .find(|d| d.relative.is_some_and(|r| r.anchor == Anchor::Event));
        let (main, anchor_clause): (Vec<ByteRange>, Option<ByteRange>) = match anchor_expr {
            None => (vec![sr.clone()], None),
            Some(d) => {
                let lead = text[sr.start..d.span.start].trim();
                if lead.is_empty() || matches!(lead, "Just" | "Only" | "Exactly" | "just" | "only")
                {
                    let comma = text[d.span.end..sr.end]
                        .find(',')
                        .map_or(sr.end, |i| d.span.end + i);
                    (
                        vec![sr.start..d.span.end, comma..sr.end],
                        Some(d.span.end..comma),
                    )
                } else {
                    (
                        std::iter::once(sr.start..d.span.end).collect(),
                        Some(d.span.end..sr.end),
                    )
                }
            }
        };
        let in_main = |r: &ByteRange| main.iter().any(|m| m.start <= r.start && r.end <= m.end);
        let main_ids = ids_where(&sent_mentions, in_main);
        let Some(main_trigger) = triggers
            .iter()
            .find(|t| in_main(&t.range))
            .or(triggers.first())
        else {
            continue;
        };
        let pending_anchor = anchor_expr.zip(anchor_clause.clone()).map(|(d, clause)| {
            let inside = |r: &ByteRange| clause.start <= r.start && r.end <= clause.end;
            PendingAnchor {
                kind: triggers.iter().find(|t| inside(&t.range)).map(|t| t.kind),
                entities: ids_where(&sent_mentions, inside),
                days: d.relative.map_or(0, |r| r.days),
                range: d.span.clone(),
            }
        });
        // "the first official visit … since 2008": a dated claim of its own, about the event word before it.
        for d in sent_dates.iter().filter(|d| d.kind == DateKind::Since) {
            let (Some(value), Some(t)) = (
                d.value,
                triggers.iter().rev().find(|t| t.range.end <= d.span.start),
            ) else {
                continue;
            };
            let ids = if main_ids.is_empty() {
                out.last().map(|f| f.entities.clone()).unwrap_or_default()
            } else {
                main_ids.clone()
            };
            if ids.is_empty() {
                continue;
            }
            out.push(TextFact {
                kind: t.kind,
                entities: ids,
                date: Some(FactDate {
                    value,
                    range: d.span.clone(),
                    since: true,
                    derived_from: None,
                }),
                place: None,
                sentence: sr.clone(),
                trigger: t.range.clone(),
                qualified: t.qualified,
                pending_anchor: None,
            });
        }
        // The date of the main clause: the absolute or resolved expression nearest its event word.
        let date = sent_dates
            .iter()
            .filter(|d| {
                in_main(&d.span)
                    && d.value.is_some()
                    && d.kind != DateKind::Since
                    && d.relative.is_none_or(|r| r.anchor != Anchor::Event)
            })
            .min_by_key(|d| distance(&d.span, &main_trigger.range))
            .and_then(|d| {
                Some(FactDate {
                    value: d.value?,
                    range: d.span.clone(),
                    since: false,
                    derived_from: None,
                })
            });
        let place = PLACE
            .find_iter(&text[sr.clone()])
            .map(|m| {
                let (at, name) = place_name(m);
                (sr.start + at..sr.start + at + name.len(), name)
            })
            .find(|(r, p)| {
                in_main(r)
                    && !is_month_or_weekday(p.split_whitespace().next().unwrap_or(""))
                    && !sent_mentions
                        .iter()
                        .any(|m| m.range.start < r.end && r.start < m.range.end)
            })
            .map(|(_, p)| p.trim_end_matches(['.', ',']).to_string());
        // "This call", "the meeting", "that phone conversation": a reference back, not a new event.
        let demonstrative = text[sr.start..main_trigger.range.end]
            .to_lowercase()
            .split_whitespace()
            .rev()
            .take(4)
            .any(|w| matches!(w, "this" | "that" | "the"));
        if main_ids.is_empty() {
            // "This call came just a day after …": the same event as the last fact of this kind.
            if demonstrative
                && let Some(prev) = out.iter_mut().rev().find(|f| {
                    !f.date.as_ref().is_some_and(|d| d.since)
                        && f.kind.compatible(main_trigger.kind)
                })
            {
                if prev.date.is_none() {
                    prev.date = date.clone();
                }
                if prev.pending_anchor.is_none() && prev.date.is_none() {
                    prev.pending_anchor = pending_anchor;
                }
            }
            continue;
        }
        out.push(TextFact {
            kind: main_trigger.kind,
            entities: main_ids,
            date,
            place,
            sentence: sr.clone(),
            trigger: main_trigger.range.clone(),
            qualified: main_trigger.qualified,
            pending_anchor,
        });
    }
    out
}

static CLAUSE_BREAK: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"[;:]\s+|,\s+(?:and|but|while|whereas|and then|then)\s+|\s+and then\s+")
        .expect("clause regex")
});

/// A sentence cut at clause boundaries that separate events.
fn clauses(text: &str, sentence: ByteRange) -> Vec<ByteRange> {
    let mut out = Vec::new();
    let mut start = sentence.start;
    for m in CLAUSE_BREAK.find_iter(&text[sentence.clone()]) {
        let end = sentence.start + m.start();
        if end > start {
            out.push(start..end);
        }
        start = sentence.start + m.end();
    }
    if sentence.end > start {
        out.push(start..sentence.end);
    }
    out
}

/// "in March", "on Monday" are dates, not places.
fn is_month_or_weekday(word: &str) -> bool {
    dates::MONTH_NAMES.contains(&word) || dates::WEEKDAY_NAMES.contains(&word)
}

fn ids_where(mentions: &[&Mention], keep: impl Fn(&ByteRange) -> bool) -> Vec<EntityId> {
    let mut ids: Vec<EntityId> = mentions
        .iter()
        .filter(|m| keep(&m.range))
        .filter_map(|m| match m.candidates.as_slice() {
            [id] => Some(*id),
            _ => None,
        })
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

fn distance(a: &ByteRange, b: &ByteRange) -> usize {
    if a.end <= b.start {
        b.start - a.end
    } else {
        a.start.saturating_sub(b.end)
    }
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
        .map(|((ai, f), r)| Fact {
            kind: f.kind,
            entities: f.entities,
            date: f.date.or(r),
            place: f.place,
            source: Source {
                article: ai,
                range: f.sentence,
            },
            trigger: f.trigger,
            qualified: f.qualified,
        })
        .collect()
}

/// Resolve the pending anchors of text facts against a pool of dated facts.
pub fn resolve_anchor(
    anchor: &PendingAnchor,
    pool: &[(EventKind, &[EntityId], &FactDate)],
) -> Option<FactDate> {
    let candidates: Vec<&FactDate> = pool
        .iter()
        .filter(|(k, ids, _)| {
            anchor.kind.is_none_or(|ak| ak.compatible(*k))
                && !anchor.entities.is_empty()
                && anchor.entities.iter().all(|e| ids.contains(e))
        })
        .map(|(_, _, d)| *d)
        .collect();
    let first = candidates.first()?;
    if candidates.iter().any(|d| d.value != first.value) {
        return None;
    }
    let value = dates::shift(&first.value, anchor.days)?;
    Some(FactDate {
        value,
        range: anchor.range.clone(),
        since: false,
        derived_from: Some((anchor.days, first.value)),
    })
}

/// Lines of a knowledge base as data for `dossier entities` and tests.
pub fn entity_summary(kb: &KnowledgeBase, id: EntityId) -> serde_json::Value {
    let e = &kb.entities[id];
    let roles: Vec<serde_json::Value> = e
        .roles
        .iter()
        .map(|r| {
            let a = kb.article(r.source.article);
            serde_json::json!({ "role": r.text, "source": a.id(), "line": a.line_of(r.source.range.start) })
        })
        .collect();
    let facts: Vec<serde_json::Value> = kb
        .facts_of(id)
        .into_iter()
        .filter(|f| f.date.is_some())
        .map(|f| {
            let a = kb.article(f.source.article);
            let d = f.date.as_ref().map(|d| d.value.to_iso());
            let weekday = match f.date.as_ref().map(|d| d.value) {
                Some(DateValue::Point(p)) => p.weekday.map(|w| format!("{w:?}")),
                _ => None,
            };
            serde_json::json!({
                "date": d,
                "when": f.date.as_ref().map(|d| d.value.describe()),
                "weekday": weekday,
                "since": f.date.as_ref().is_some_and(|d| d.since),
                "event": f.kind.as_str(),
                "with": f.entities.iter().filter(|x| **x != id).map(|x| kb.entities[*x].name.clone()).collect::<Vec<_>>(),
                "place": f.place,
                "source": a.id(),
                "line": a.line_of(f.source.range.start),
                "text": collapse(&a.text()[f.source.range.clone()]),
            })
        })
        .collect();
    serde_json::json!({
        "kind": e.kind.as_str(),
        "name": e.name,
        "aliases": e.aliases,
        "acronym": e.acronym,
        "roles": roles,
        "mentions": e.mention_count,
        "sources": kb.source_count(id),
        "facts": facts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kb(texts: &[&str]) -> KnowledgeBase {
        let articles = texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                Arc::new(ArticleData::extract(Article::from_text(
                    format!("a{i}"),
                    format!("/a{i}.txt"),
                    *t,
                )))
            })
            .collect();
        KnowledgeBase::build(articles, Vec::new())
    }

    fn people(kb: &KnowledgeBase) -> Vec<(&str, &[String])> {
        kb.entities
            .iter()
            .filter(|e| e.kind == EntityKind::Person)
            .map(|e| (e.name.as_str(), e.aliases.as_slice()))
            .collect()
    }

    #[test]
    fn short_and_full_given_names_are_one_person() {
        let kb = kb(&[
            "President Joe Biden spoke to reporters.",
            "President Joseph R. Biden signed the order.",
            "First Lady Jill Biden, who visited Nairobi, spoke.",
        ]);
        let p = people(&kb);
        assert_eq!(p.len(), 2, "{p:?}");
        let joe = p
            .iter()
            .find(|(n, _)| *n == "Joseph R. Biden")
            .expect("one Biden entity");
        assert!(joe.1.contains(&"Joe Biden".to_string()), "{joe:?}");
    }

    #[test]
    fn phrases_written_in_lower_case_elsewhere_are_not_people() {
        let kb = kb(&[
            "She is Director of Public Policy at the firm. Public Policy, who rarely speaks, said nothing.",
            "Good public policy matters.",
            "Maria Santos, who chairs the board, said so.",
        ]);
        let names: Vec<&str> = people(&kb).into_iter().map(|p| p.0).collect();
        assert_eq!(names, ["Maria Santos"]);
    }

    #[test]
    fn a_relative_date_takes_the_date_of_the_event_it_counts_from() {
        let kb = kb(&[
            "Secretary of State Antony J. Blinken spoke with President William Ruto on November 7. \
             President Ruto has held a phone conversation with President-elect Donald Trump. \
             This call came just a day after President Ruto spoke with Secretary Blinken.",
        ]);
        let trump = kb
            .entities
            .iter()
            .find(|e| e.name == "Donald Trump")
            .unwrap();
        let dates: Vec<String> = kb
            .facts_of(trump.id)
            .iter()
            .filter_map(|f| f.date.as_ref().map(|d| d.value.to_iso()))
            .collect();
        assert_eq!(dates, ["XXXX-11-08"]);
    }
}
