//! The statement index: which dated clauses of the corpus contain which identifying terms, and how rare each
//! term is — so that the clauses that may report a note's event are found without scanning the corpus.

use super::ArticleData;
use crate::extract::statements::{Term, TermKind};
use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

/// A statement of the corpus: article index and statement index within it.
pub type StatementRef = (u32, u32);

/// Postings per term, and the number of statements.
#[derive(Debug, Default, PartialEq)]
pub struct StatementIndex {
    postings: HashMap<Term, Vec<StatementRef>>,
    total: usize,
}

/// Terms in more statements than this share too little to find an event by.
const MAX_POSTINGS: usize = 20_000;

impl StatementIndex {
    pub fn build(articles: &[Arc<ArticleData>]) -> StatementIndex {
        let mut postings: HashMap<Term, Vec<StatementRef>> = HashMap::default();
        let mut total = 0;
        for (ai, a) in articles.iter().enumerate() {
            for (si, s) in a.statements.iter().enumerate() {
                total += 1;
                for t in &s.terms {
                    postings.entry(*t).or_default().push((ai as u32, si as u32));
                }
            }
        }
        for v in postings.values_mut() {
            v.shrink_to_fit();
        }
        StatementIndex { postings, total }
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
        idf * match kind {
            TermKind::Number => 2.0,
            TermKind::Name => 1.5,
            TermKind::Stem => 1.0,
        }
    }

    /// The weight a term would have if one statement held it: what a word the dated clauses never use counts
    /// for in a claim (the rarest there is).
    pub fn rare_weight(&self, kind: TermKind) -> f32 {
        ((1.0 + self.total as f32).ln()).max(0.0)
            * match kind {
                TermKind::Number => 2.0,
                TermKind::Name => 1.5,
                TermKind::Stem => 1.0,
            }
    }

    /// Statements that share at least one usable term with `terms`.
    pub fn candidates(&self, terms: &[(Term, TermKind)]) -> Vec<StatementRef> {
        let mut out: Vec<StatementRef> = terms
            .iter()
            .filter_map(|(t, _)| self.postings.get(t))
            .filter(|p| p.len() <= MAX_POSTINGS)
            .flatten()
            .copied()
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}
