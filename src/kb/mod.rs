//! The knowledge base: people, agreements and organisations across a corpus, merged into one entity each,
//! with aliases, roles, mentions and dated facts — every one tied to an article and a byte range.
//!
//! Building is two-stage so that a changed article costs one re-extraction: [`ArticleData::extract`] is the
//! per-article (cacheable, parallel) part, [`KnowledgeBase::build`] merges them.
//!
//! # Modules
//! - `article`: [`ArticleData`] and [`extract_all`], the per-article part;
//! - `keys`: when two names are one entity (person keys, short given names, legal forms);
//! - `merge`: [`KnowledgeBase::build`], clustering names into entities and resolving facts' relative dates;
//! - `patch`: [`KnowledgeBase::patched`], a fast, conservative update for edited articles until the next merge;
//! - `lookup`: names in a text ([`KnowledgeBase::find_mentions`], [`resolve_in_context`]), citation keys,
//!   the facts of an entity;
//! - `quotes`: [`KnowledgeBase::find_quote`], verbatim and near matches;
//! - `statement_index`: dated clauses by their identifying terms;
//! - `word_index`: the articles of each word, which find a quotation's candidate articles;
//! - `store`: the persistent index of per-article extractions and of the merged knowledge base (SQLite),
//!   [`extract_cached`], [`merge_cached`];
//! - this file: the public types. Facts of a single text come from [`crate::extract::facts`].

mod aliases;
mod article;
mod keys;
mod lazy;
mod lookup;
mod merge;
mod patch;
mod quotes;
mod sketch;
mod statement_index;
pub mod store;
mod word_index;

pub use crate::extract::facts::{
    EntityId, FactDate, Mention, PendingAnchor, TextFact, facts_in_text, resolve_anchor,
};
pub(crate) use article::par_map;
pub use article::{ArticleData, extract_all};
pub use lookup::{participants, resolve_in_context};
pub use store::{
    CacheStats, Coverage, Last, LastKnown, MergeAhead, MergeKey, MergePrefetch, MergeStats, Store,
    StoreError, deferred_again, extract_cached, merge_cached,
};

pub use statement_index::{StatementIndex, StatementRef};

use crate::corpus::Problem;
use crate::extract::events::EventKind;
use crate::extract::names::EntityKind;
use crate::text::ByteRange;
use aliases::AliasTable;
use std::collections::HashMap;
use std::sync::Arc;

pub type ArticleIx = usize;

/// Where something is said: an article and a byte range in its text.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Source {
    pub article: ArticleIx,
    pub range: ByteRange,
}

/// A role or title given to a person, and where.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Role {
    pub text: String,
    pub source: Source,
}

/// One person, agreement or organisation across the corpus.
#[derive(Clone, Debug, PartialEq)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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

/// A sentence-level statement: who or what, what happened, and where it is said.
#[derive(Clone, Debug, PartialEq)]
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

/// The merged knowledge of a corpus.
pub struct KnowledgeBase {
    pub articles: Vec<Arc<ArticleData>>,
    /// Each shared, so that a patched knowledge base copies only the entities an edit touches.
    pub entities: Vec<Arc<Entity>>,
    pub facts: Vec<Fact>,
    /// Per entity: the indices in `facts` of the facts that involve it, in order.
    facts_by_entity: Vec<Vec<u32>>,
    pub problems: Vec<Problem>,
    /// Shared with the knowledge bases patched from this one (see [`KnowledgeBase::patched`]).
    aliases: Arc<AliasTable>,
    /// Per article: mentions resolved to one entity (outside boilerplate), sorted by start.
    pub article_mentions: Vec<Vec<CorpusMention>>,
    /// Dated clauses by the terms they contain (shared with patched knowledge bases, where it is the merge's).
    pub statement_index: Arc<StatementIndex>,
    /// Articles by the words of their folded text: where a quotation may be (shared like `statement_index`).
    words: Arc<word_index::WordIndex>,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn kb(texts: &[&str]) -> KnowledgeBase {
        let articles = crate::kb::article::from_texts(texts);
        KnowledgeBase::build(articles, Vec::new())
    }

    fn entities_where(kb: &KnowledgeBase, keep: impl Fn(&Entity) -> bool) -> Vec<&Entity> {
        kb.entities
            .iter()
            .map(|e| &**e)
            .filter(|e| keep(e))
            .collect()
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
    fn a_place_s_name_alone_stands_for_the_place_not_a_person_named_with_it() {
        // (articles, the person, the place's name alone, whether it stands for the person)
        let cases: [(&[&str], &str, &str, bool); 4] = [
            // A surname that is a place's name: not the person's alias unless the texts use it alone for them.
            (
                &[
                    "Senator Jim Jordan spoke on Monday.",
                    "Jordan is a country in the Middle East.",
                ],
                "Jim Jordan",
                "Jordan",
                false,
            ),
            // A first name that is a place's name, written alone in the article: still the place.
            (
                &["Senator Georgia Smith met voters. Georgia voted on Tuesday."],
                "Georgia Smith",
                "Georgia",
                false,
            ),
            // A surname that is no place's name is the person's, and so is a city's name.
            (
                &["Senator Aden Duale spoke on Monday. Duale said more."],
                "Aden Duale",
                "Duale",
                true,
            ),
            (
                &["Secretary Lloyd J. Austin met Aden. Aden and Austin signed it."],
                "Lloyd J. Austin",
                "Austin",
                true,
            ),
        ];
        for (texts, person, alone, stands) in cases {
            let kb = kb(texts);
            let p = kb
                .entities
                .iter()
                .find(|e| e.kind == EntityKind::Person && e.name == person)
                .unwrap_or_else(|| panic!("{person}: {:?}", people(&kb)));
            assert_eq!(p.aliases.iter().any(|a| a == alone), stands, "{person}");
            let found = kb.find_mentions(alone, 0..alone.len());
            assert_eq!(
                found.iter().any(|m| m.candidates.contains(&p.id)),
                stands,
                "{alone}: {found:?}"
            );
        }
    }

    #[test]
    fn an_organisation_is_named_by_the_long_form_its_acronym_is_most_often_given_with() {
        let kb = kb(&[
            "The Principal Deputy Assistant Attorney General of the U.S. Department of Justice (DOJ) spoke.",
            "The Department of Justice (DOJ) filed suit on Monday.",
            "The Department of Justice (DOJ) settled on Tuesday.",
            "The DOJ declined to comment.",
        ]);
        let doj = entities_where(&kb, |e| e.acronym.as_deref() == Some("DOJ"));
        assert_eq!(doj.len(), 1, "{doj:?}");
        assert_eq!(doj[0].name, "Department of Justice");
        assert!(
            doj[0]
                .aliases
                .iter()
                .any(|a| a == "U.S. Department of Justice")
        );
        assert!(!kb.entities.iter().any(|e| e.name.contains("Attorney")));
    }

    #[test]
    fn the_mentions_of_one_name_are_one_entity_whatever_order_its_acronym_comes_in() {
        let kb = kb(&[
            "The Clean Water Act (CWA) was passed.",
            "The Water Act was amended.",
            "The Water Act (CWA) rules apply.",
            "The Water Act was cited.",
        ]);
        let named = entities_where(&kb, |e| {
            e.name == "Water Act" || e.aliases.iter().any(|a| a == "Water Act")
        });
        assert_eq!(named.len(), 1, "{named:?}");
        let found = kb.find_mentions("The Water Act", 4..13);
        assert!(found.iter().any(|m| m.candidates.len() == 1), "{found:?}");
    }

    #[test]
    fn one_acronym_given_with_names_that_share_no_words_does_not_make_them_one() {
        let kb = kb(&[
            "The Controlled Substances Act (CSA) applies.",
            "The Cyber Security Agency (CSA) of Singapore met.",
            "The Controlled Substances Act was amended.",
            "The Justice Department (DOJ) said so.",
            "The Department of Justice (DOJ) filed suit.",
        ]);
        let doj = entities_where(&kb, |e| e.acronym.as_deref() == Some("DOJ"));
        assert_eq!(
            doj.len(),
            1,
            "one acronym, one thing named two ways: {doj:?}"
        );
        let csa: Vec<&str> = entities_where(&kb, |e| e.acronym.as_deref() == Some("CSA"))
            .iter()
            .map(|e| e.name.as_str())
            .collect();
        assert_eq!(csa, ["Controlled Substances Act", "Cyber Security Agency"]);
    }

    #[test]
    fn a_surname_that_is_mostly_a_common_word_does_not_stand_for_the_person_alone() {
        let common = "We will go there and they go home. ".repeat(60);
        let rare = "They grow rice. ".repeat(5);
        let young = "Young people came. The young voted. ".repeat(120);
        let kb = kb(&[
            "Senator Kelly O. Go spoke on Monday. Senator Maria Rice spoke on Tuesday.",
            "Representative Young Kim spoke. Young said so.",
            &common,
            &rare,
            &young,
        ]);
        let aliases = |name: &str| {
            kb.entities
                .iter()
                .find(|e| e.name == name)
                .map(|e| e.aliases.clone())
                .unwrap_or_else(|| panic!("{name}: {:?}", people(&kb)))
        };
        assert!(!aliases("Kelly O. Go").iter().any(|a| a == "Go"));
        assert!(aliases("Maria Rice").iter().any(|a| a == "Rice"));
        // Nor a first name.
        assert!(
            !aliases("Young Kim").iter().any(|a| a == "Young"),
            "{:?}",
            aliases("Young Kim")
        );
    }

    #[test]
    fn a_nationality_or_a_group_is_no_person_s_name_alone() {
        let kb = kb(&[
            "Miles French, a lawyer, said on Monday that sales fell. French exports fell. The French government said so.",
            "George Washington University said on Monday that it would reopen.",
            "Virginia Democrats said on Tuesday that they would vote. Democrats won.",
        ]);
        let french = entities_where(&kb, |e| e.name == "Miles French");
        assert_eq!(french.len(), 1, "{:?}", people(&kb));
        assert!(
            !french[0].aliases.iter().any(|a| a == "French"),
            "{french:?}"
        );
        let named = people(&kb);
        assert!(
            !named
                .iter()
                .any(|(n, _)| n.contains("University") || n.contains("Democrats")),
            "{named:?}"
        );
        // Nor a club's name, nor a place's, nor a title's abbreviation.
        let other = self::kb(&[
            "Prime Minister Hun Sen spoke on Monday. Sen. Smith replied.",
            "Sen Cotton said so on Monday. Sen. Cotton said it again.",
            "Jack & Jill of America said on Monday that it met. Jack & Jill said so.",
            "Secretary Carolina Ramirez of North Carolina spoke. North Carolina voted.",
            "The Governor of North Carolina spoke. Secretary Carolina said so.",
        ]);
        let named = people(&other);
        assert!(!named.iter().any(|(n, _)| n.contains('&')), "{named:?}");
        assert!(named.iter().any(|(n, _)| *n == "Hun Sen"), "{named:?}");
        assert!(
            !named
                .iter()
                .any(|(_, aliases)| aliases.iter().any(|a| a == "Sen")),
            "{named:?}"
        );
        assert!(
            !named
                .iter()
                .any(|(_, aliases)| aliases.iter().any(|a| a == "North Carolina")),
            "{named:?}"
        );
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
