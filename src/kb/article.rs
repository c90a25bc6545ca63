//! Per-article extraction: everything one article yields on its own (sentences, names, dates, quotations,
//! statements), run in parallel over a corpus.

use super::lazy::{Clauses, Lazy};
use super::sketch::{Sketch, sketch_sentences};
use crate::corpus::Article;
use crate::extract::dates::{self, DateContext, TemporalExpr};
use crate::extract::names::{FoundNames, NameMention, ProperName, find_all_names};
use crate::extract::quotes::{Quote, find_quotes};
use crate::extract::segment::{Sentence, segment};
use crate::extract::statements::statements;
use crate::text::{ByteRange, LineIndex};
use std::sync::Arc;

/// Everything extracted from one article on its own (no cross-article knowledge).
#[derive(Debug)]
pub struct ArticleData {
    pub article: Article,
    /// Every part but the dated clauses (which the statement index reads at every start) is kept encoded when
    /// read back from the index until something asks for it.
    pub lines: Lazy<LineIndex>,
    /// Sentences outside boilerplate.
    pub sentences: Lazy<Vec<Sentence>>,
    /// Names, read by the merge (and the patch) only: kept encoded when read back from the index until then.
    pub people: Lazy<Vec<NameMention>>,
    pub things: Lazy<Vec<NameMention>>,
    /// Every other proper name (organisations, places, products, indices, untyped names).
    pub names: Lazy<Vec<ProperName>>,
    pub dates: Lazy<Vec<TemporalExpr>>,
    pub quotes: Lazy<Vec<Quote>>,
    /// Dated clauses with the words that identify their events: read back from the index, each clause is
    /// kept encoded until it is asked for (a check looks at a few clauses of thousands of articles).
    pub statements: Clauses,
    /// The words of each sentence (of `sentences`, in order), sketched: where a near quotation may be. `None`
    /// when not known (then every sentence may be).
    pub sketches: Lazy<Option<Box<[Sketch]>>>,
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
pub(super) fn without(r: ByteRange, cuts: &[ByteRange]) -> Vec<ByteRange> {
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
        let (_, mut sentences) = segment(text, body.clone());
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
        let statements = statements(text, &prose, &dated, article.meta.date);
        // (No sentences, no sketches: as an extraction read back from the index has it.)
        let sketches =
            Some(sketch_sentences(text, &sentences).into_boxed_slice()).filter(|s| !s.is_empty());
        ArticleData {
            article,
            lines: Lazy::new(lines),
            sentences: Lazy::new(sentences),
            people: Lazy::new(people),
            things: Lazy::new(things),
            names: Lazy::new(names.iter().map(ProperName::from_mention).collect()),
            dates: Lazy::new(dates),
            quotes: Lazy::new(quotes),
            statements: Clauses::Decoded(statements),
            sketches: Lazy::new(sketches),
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

/// Articles extracted from texts, named `a0`, `a1`… (for tests).
#[cfg(test)]
pub(crate) fn from_texts(texts: &[&str]) -> Vec<Arc<ArticleData>> {
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            Arc::new(ArticleData::extract(Article::from_text(
                format!("a{i}"),
                format!("/a{i}.txt"),
                *t,
            )))
        })
        .collect()
}

/// Work started on a thread of a scope, or done at once when no thread could be had.
pub(crate) enum Forked<'s, T> {
    Thread(std::thread::ScopedJoinHandle<'s, T>),
    Done(T),
}

impl<'s, T: Send + 's> Forked<'s, T> {
    /// Start `f` on a thread named `name` (`f` is copied, so that it can still be run here).
    pub(crate) fn start<F>(scope: &'s std::thread::Scope<'s, '_>, name: &str, f: F) -> Self
    where
        F: FnOnce() -> T + Send + Copy + 's,
    {
        match std::thread::Builder::new()
            .name(name.to_string())
            .spawn_scoped(scope, f)
        {
            Ok(h) => Forked::Thread(h),
            Err(_) => Forked::Done(f()),
        }
    }

    /// Its result; a panic on its thread goes on here.
    pub(crate) fn join(self) -> T {
        match self {
            Forked::Thread(h) => h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
            Forked::Done(v) => v,
        }
    }
}

/// Map `f` over `items` on all cores, keeping their order.
pub(crate) fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
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
