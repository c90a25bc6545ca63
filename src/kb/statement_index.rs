//! The statement index: which dated clauses of the corpus contain which identifying terms, and how rare each
//! term is — so that the clauses that may report a note's event are found without scanning the corpus.

use super::ArticleData;
use crate::extract::statements::{Term, TermKind};
use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

/// A statement of the corpus: article index and statement index within it.
pub type StatementRef = (u32, u32);

/// Postings per term, and the number of statements. Clauses dated only by a bound (see
/// [`crate::extract::statements::Statement::reported`]) have postings of their own: they are found like the
/// others but do not count in a term's rarity, which stays that of the dated clauses.
#[derive(Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StatementIndex {
    postings: HashMap<Term, Vec<StatementRef>>,
    reported: HashMap<Term, Vec<StatementRef>>,
    total: usize,
}

/// Figures and names identify an event more than common words do.
fn kind_factor(kind: TermKind) -> f32 {
    match kind {
        TermKind::Number => 2.0,
        TermKind::Name => 1.5,
        TermKind::Stem => 1.0,
    }
}

/// Terms in more statements than this share too little to find an event by.
const MAX_POSTINGS: usize = 20_000;

impl StatementIndex {
    pub fn build(articles: &[Arc<ArticleData>]) -> StatementIndex {
        let mut postings: HashMap<Term, Vec<StatementRef>> = HashMap::default();
        let mut reported: HashMap<Term, Vec<StatementRef>> = HashMap::default();
        let mut total = 0;
        for (ai, a) in articles.iter().enumerate() {
            // (Clauses kept encoded are read for this only: a merge after an edit would otherwise decode and
            // keep every clause of the corpus.)
            a.statements.for_each_transient(|si, s| {
                let map = if s.reported() {
                    &mut reported
                } else {
                    total += 1;
                    &mut postings
                };
                for t in &s.terms {
                    map.entry(*t).or_default().push((ai as u32, si as u32));
                }
            });
        }
        for v in postings.values_mut().chain(reported.values_mut()) {
            v.shrink_to_fit();
        }
        StatementIndex {
            postings,
            reported,
            total,
        }
    }

    /// Whether every posting is in one of `articles` articles; the reason when not (for an index read back).
    pub fn check(&self, articles: usize) -> Result<(), String> {
        match self
            .postings
            .values()
            .chain(self.reported.values())
            .flatten()
            .find(|(ai, _)| *ai as usize >= articles)
        {
            Some((ai, _)) => Err(format!("a statement is in article {ai} of {articles}")),
            None => Ok(()),
        }
    }

    /// How many statements contain the term.
    pub fn df(&self, t: Term) -> usize {
        self.postings.get(&t).map_or(0, Vec::len)
    }

    /// The weight of a shared term: its inverse document frequency, more for figures and names.
    pub fn weight(&self, t: Term, kind: TermKind) -> f32 {
        let df = self.df(t);
        if df == 0 {
            return 0.0;
        }
        let idf = ((1.0 + self.total as f32) / df as f32).ln().max(0.0);
        idf * kind_factor(kind)
    }

    /// The weight of a term shared with a clause dated only by a bound: a word no dated clause has counts as
    /// rare as the bounded clauses that have it make it.
    pub fn bound_weight(&self, t: Term, kind: TermKind) -> f32 {
        match self.weight(t, kind) {
            0.0 => {
                let df = self.reported.get(&t).map_or(0, Vec::len).max(1);
                ((1.0 + self.total as f32) / df as f32).ln().max(0.0) * kind_factor(kind)
            }
            w => w,
        }
    }

    /// The weight a term would have if one statement held it: what a word the dated clauses never use counts
    /// for in a claim (the rarest there is).
    pub fn rare_weight(&self, kind: TermKind) -> f32 {
        ((1.0 + self.total as f32).ln()).max(0.0) * kind_factor(kind)
    }

    /// Statements that share at least one usable term with `terms`.
    pub fn candidates(&self, terms: &[(Term, TermKind)]) -> Vec<StatementRef> {
        let mut out: Vec<StatementRef> = terms
            .iter()
            .flat_map(|(t, _)| [self.postings.get(t), self.reported.get(t)])
            .flatten()
            .filter(|p| p.len() <= MAX_POSTINGS)
            .flatten()
            .copied()
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}
