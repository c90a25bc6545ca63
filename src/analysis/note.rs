//! The analysis of one note (or open corpus file): what it names, cites, quotes and dates, computed once per
//! version and shared by every feature.

use crate::extract::dates::{self, DateContext, TemporalExpr};
use crate::extract::quotes::{Quote, find_quotes};
use crate::extract::segment::segment;
use crate::kb::{KeyMatch, KnowledgeBase, Mention, TextFact, facts_in_text, resolve_in_context};
use crate::text::{ByteRange, LineIndex, word_count};
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

/// A citation `[@key]` in a note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Citation {
    /// `[@key]` including brackets.
    pub range: ByteRange,
    /// Just the key.
    pub key_range: ByteRange,
    pub key: String,
    pub target: KeyMatch,
}

/// Which diagnostics a note silences, and where.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ignores {
    /// `dossier-ignore-file` (all codes: empty set) at the top of the note.
    pub file: Option<BTreeSet<String>>,
    /// Zero-based line → codes silenced on it (empty set: all codes).
    pub lines: BTreeMap<usize, BTreeSet<String>>,
}

impl Ignores {
    pub fn silences(&self, line: usize, code: &str) -> bool {
        let hit = |set: &BTreeSet<String>| set.is_empty() || set.contains(code);
        self.file.as_ref().is_some_and(hit) || self.lines.get(&line).is_some_and(hit)
    }
}

/// Everything Dossier knows about a note's text.
#[derive(Clone, Debug)]
pub struct NoteIndex {
    pub lines: LineIndex,
    pub sentences: Vec<ByteRange>,
    /// Code spans, fenced blocks, HTML comments and front matter: never checked.
    pub excluded: Vec<ByteRange>,
    /// Markdown headings.
    pub headings: Vec<ByteRange>,
    pub mentions: Vec<Mention>,
    pub citations: Vec<Citation>,
    pub quotes: Vec<Quote>,
    pub dates: Vec<TemporalExpr>,
    pub facts: Vec<TextFact>,
    pub ignores: Ignores,
}

static CITATION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[@([A-Za-z0-9_][A-Za-z0-9_./:-]*)\]").expect("citation regex"));
static FENCE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^ {0,3}(```|~~~)").expect("fence regex"));
static CODE_SPAN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"`[^`\n]+`").expect("code span regex"));
static COMMENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)<!--.*?-->").expect("comment regex"));
static IGNORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"dossier-ignore(-file)?((?:[ \t]+[a-z][a-z-]*)*)").expect("ignore regex")
});
static HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^ {0,3}#{1,6}[ \t].*$").expect("heading regex"));
static FRONT_MATTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\A---\r?\n(?s:.*?)\r?\n---[ \t]*(?:\r?\n|\z)").expect("front matter regex")
});
static FRONT_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^date:\s*['\x22]?(\d{4}-\d{2}-\d{2})").expect("front date regex")
});

fn overlaps_any(ranges: &[ByteRange], r: &ByteRange) -> bool {
    ranges
        .iter()
        .any(|x| x.start < r.end.max(r.start + 1) && r.start < x.end)
}

/// Regions of a Markdown note that are not prose: front matter, fenced blocks, code spans, HTML comments.
fn excluded_regions(text: &str) -> Vec<ByteRange> {
    let mut out = Vec::new();
    if let Some(m) = FRONT_MATTER.find(text) {
        out.push(m.range());
    }
    let fences: Vec<ByteRange> = FENCE.find_iter(text).map(|m| m.range()).collect();
    for pair in fences.chunks(2) {
        match pair {
            [open, close] => {
                let end = text[close.end..]
                    .find('\n')
                    .map_or(text.len(), |i| close.end + i);
                out.push(open.start..end);
            }
            [open] => out.push(open.start..text.len()),
            _ => {}
        }
    }
    for m in CODE_SPAN.find_iter(text) {
        if !overlaps_any(&out, &m.range()) {
            out.push(m.range());
        }
    }
    for m in COMMENT.find_iter(text) {
        out.push(m.range());
    }
    out.sort_by_key(|r| r.start);
    out
}

static YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:1[5-9]|20)\d\d\b").expect("year regex"));

/// A note's date written with a weekday but without a year ("Wednesday, 22 January") takes the year of the
/// note's temporal frame: the last year the note wrote out, not counting a date in parentheses or used as a
/// modifier (an aside: "on the anniversary of Black Monday (19 October 1987)"). The date reader, without a
/// reference date, would otherwise leave the year open or pick one where the weekday fits.
fn in_frame_year(text: &str, dates: &mut [TemporalExpr]) {
    use crate::extract::statements::{attributive, baseline, in_since_phrase, parenthetical};
    let mut frame: Option<i16> = None;
    for d in dates.iter_mut() {
        let written = YEAR.is_match(&text[d.span.clone()]);
        let Some(dates::DateValue::Point(mut p)) = d.value else {
            continue;
        };
        if written {
            // Nor does a comparison's date: the start of a "since" window ("its worst since the attacks of
            // 11 September 2001") or the baseline of a change.
            let comparison = d.kind == dates::DateKind::Since
                || in_since_phrase(text, &d.span)
                || baseline(text, &d.span);
            if !parenthetical(text, &d.span) && !attributive(text, &d.span) && !comparison {
                frame = p.year.or(frame);
            }
            continue;
        }
        // Only a date with a weekday: there the reader picks a year the weekday fits, which the weekday
        // should check, not choose. A bare "16 October" keeps its year open.
        if !matches!(d.kind, dates::DateKind::Absolute | dates::DateKind::Weekday)
            || p.month.is_none()
            || p.day.is_none()
            || p.weekday.is_none()
        {
            continue;
        }
        if let Some(y) = frame {
            p.year = Some(y);
            d.value = Some(dates::DateValue::Point(p));
        }
    }
}

fn ignores(text: &str, lines: &LineIndex) -> Ignores {
    let mut ig = Ignores::default();
    for m in COMMENT.find_iter(text) {
        let Some(c) = IGNORE.captures(m.as_str()) else {
            continue;
        };
        let codes: BTreeSet<String> = c
            .get(2)
            .map(|g| g.as_str().split_whitespace().map(str::to_string).collect())
            .unwrap_or_default();
        if c.get(1).is_some() {
            ig.file = Some(codes);
        } else {
            // Silences the next line that has text.
            let mut line = lines.line_of(m.end()) + 1;
            while let Some(r) = lines.line_range(text, line) {
                if !text[r].trim().is_empty() {
                    break;
                }
                line += 1;
            }
            ig.lines.entry(line).or_default().extend(codes);
        }
    }
    ig
}

impl NoteIndex {
    /// Analyse a note against the knowledge base. Pure; costs a pass over the note, never the corpus.
    pub fn new(kb: &KnowledgeBase, text: &str) -> NoteIndex {
        let lines = LineIndex::new(text);
        let excluded = excluded_regions(text);
        let headings: Vec<ByteRange> = HEADING.find_iter(text).map(|m| m.range()).collect();
        let (_, sentences) = segment(text, 0..text.len());
        let sentences: Vec<ByteRange> = sentences
            .into_iter()
            .map(|s| s.range)
            .filter(|r| {
                !excluded
                    .iter()
                    .any(|x| x.start <= r.start && r.end <= x.end)
            })
            .collect();
        let mut mentions: Vec<Mention> = Vec::new();
        for s in &sentences {
            mentions.extend(kb.find_mentions(text, s.clone()));
        }
        mentions.retain(|m| !overlaps_any(&excluded, &m.range));
        resolve_in_context(&mut mentions, text, &kb.entities);
        let citations = CITATION
            .captures_iter(text)
            .filter_map(|c| {
                let all = c.get(0)?;
                let key = c.get(1)?;
                (!overlaps_any(&excluded, &all.range())).then(|| Citation {
                    range: all.range(),
                    key_range: key.range(),
                    key: key.as_str().to_string(),
                    target: kb.article_by_key(key.as_str()),
                })
            })
            .collect();
        let quotes = find_quotes(text, 0..text.len())
            .into_iter()
            .filter(|q| !overlaps_any(&excluded, &q.outer))
            .collect();
        let reference = FRONT_MATTER
            .find(text)
            .and_then(|m| FRONT_DATE.captures(m.as_str()))
            .and_then(|c| c.get(1)?.as_str().parse().ok());
        let mut dates: Vec<TemporalExpr> = dates::find_dates(text, &DateContext { reference })
            .into_iter()
            .filter(|d| !overlaps_any(&excluded, &d.span))
            .collect();
        in_frame_year(text, &mut dates);
        let prose: Vec<ByteRange> = sentences
            .iter()
            .filter(|s| {
                !headings
                    .iter()
                    .any(|h| h.start <= s.start && s.end <= h.end)
            })
            .cloned()
            .collect();
        let facts = facts_in_text(
            text,
            &prose,
            &crate::kb::participants(&mentions, &kb.entities),
            &dates,
        );
        let ignores = ignores(text, &lines);
        NoteIndex {
            lines,
            sentences,
            excluded,
            headings,
            mentions,
            citations,
            quotes,
            dates,
            facts,
            ignores,
        }
    }

    /// The mention at `offset` (inclusive of its end, so a cursor just after a name still finds it).
    pub fn mention_at(&self, offset: usize) -> Option<&Mention> {
        self.mentions
            .iter()
            .find(|m| m.range.start <= offset && offset <= m.range.end)
    }

    pub fn citation_at(&self, offset: usize) -> Option<&Citation> {
        self.citations
            .iter()
            .find(|c| c.range.start <= offset && offset < c.range.end)
    }

    /// A quotation of at least `min_words` words around `offset`.
    pub fn quote_at(&self, offset: usize, text: &str, min_words: usize) -> Option<&Quote> {
        self.quotes.iter().find(|q| {
            q.outer.start <= offset
                && offset < q.outer.end
                && word_count(&text[q.inner.clone()]) >= min_words
        })
    }

    /// The sentence containing `offset`.
    pub fn sentence_at(&self, offset: usize) -> Option<ByteRange> {
        self.sentences
            .iter()
            .find(|s| s.start <= offset && offset <= s.end)
            .cloned()
    }
}
