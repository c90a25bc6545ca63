//! Scoring against a development set: runs the real checks (diagnostics, hover, go-to-source) over a set's
//! notes and compares them with its gold (`gold.json`, schema in `fixtures/devset/README.md`).

use crate::analysis::diagnostics::{DATE_CONFLICT, UNVERIFIED_QUOTE, WEEKDAY_MISMATCH};
use crate::analysis::{self, CheckOptions, NoteIndex};
use crate::kb::KnowledgeBase;
use crate::text::ByteRange;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// A gold date claim.
#[derive(Clone, Debug, Deserialize)]
pub struct DateClaim {
    pub note: String,
    pub text: String,
    pub n: usize,
    pub expect: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub kind: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct HoverGold {
    pub note: String,
    pub text: String,
    pub n: usize,
    #[serde(default)]
    pub all: Vec<String>,
    #[serde(default)]
    pub any: Vec<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct SpanGold {
    pub note: String,
    pub text: String,
    pub n: usize,
}

#[derive(Clone, Debug, Deserialize)]
pub struct DefinitionGold {
    pub note: String,
    pub text: String,
    pub n: usize,
    pub file: String,
    pub line_has: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct QuoteGold {
    pub note: String,
    pub text: String,
    pub n: usize,
    pub expect: String,
}

/// A development set's gold.
#[derive(Clone, Debug, Deserialize)]
pub struct Gold {
    pub date_claims: Vec<DateClaim>,
    #[serde(default)]
    pub hovers: Vec<HoverGold>,
    #[serde(default)]
    pub no_person_hover: Vec<SpanGold>,
    #[serde(default)]
    pub definitions: Vec<DefinitionGold>,
    #[serde(default)]
    pub unverified_quotes: Vec<QuoteGold>,
}

/// Hits out of a total.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub hit: usize,
    pub total: usize,
}

impl Tally {
    fn add(&mut self, ok: bool) {
        self.total += 1;
        self.hit += usize::from(ok);
    }
}

/// The scores of one run, with the details needed to see why.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Planted conflicts found, per kind.
    pub conflicts: BTreeMap<String, Tally>,
    /// Date diagnostics on anything but a planted conflict: (note, line, text, message).
    pub false_alarms: Vec<(String, usize, String, String)>,
    /// Claims that are not conflicts (the denominator of the false-alarm rate).
    pub ok_claims: usize,
    pub hovers: Tally,
    pub no_person: Tally,
    pub definitions: Tally,
    pub quotes: Tally,
    /// One line per miss, for tuning: kind, note, text, what happened.
    pub misses: Vec<String>,
}

impl Report {
    /// Planted conflicts found, all kinds together.
    pub fn conflicts_found(&self) -> Tally {
        self.conflicts
            .values()
            .fold(Tally::default(), |a, t| Tally {
                hit: a.hit + t.hit,
                total: a.total + t.total,
            })
    }

    /// One table: conflict recall per kind, false alarms, hovers, go-to-source and quotations.
    pub fn table(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "| measure | found | of |");
        let _ = writeln!(s, "|---|---|---|");
        for (kind, t) in &self.conflicts {
            let _ = writeln!(s, "| conflicts: {kind} | {} | {} |", t.hit, t.total);
        }
        let c = self.conflicts_found();
        let _ = writeln!(s, "| **conflicts, all kinds** | {} | {} |", c.hit, c.total);
        let _ = writeln!(
            s,
            "| false alarms (date diagnostics not on a planted conflict) | {} | {} ok claims |",
            self.false_alarms.len(),
            self.ok_claims
        );
        let _ = writeln!(
            s,
            "| hover cards as gold | {} | {} |",
            self.hovers.hit, self.hovers.total
        );
        let _ = writeln!(
            s,
            "| places/companies with no person card | {} | {} |",
            self.no_person.hit, self.no_person.total
        );
        let _ = writeln!(
            s,
            "| go-to-source to the gold file/line | {} | {} |",
            self.definitions.hit, self.definitions.total
        );
        let _ = writeln!(
            s,
            "| quotations handled as gold | {} | {} |",
            self.quotes.hit, self.quotes.total
        );
        s
    }
}

/// The byte range of the `n`-th (1-based) occurrence of `needle`, counting from every start position.
pub fn nth_occurrence(text: &str, needle: &str, n: usize) -> Option<ByteRange> {
    if needle.is_empty() || n == 0 {
        return None;
    }
    let mut seen = 0;
    let mut from = 0;
    while let Some(i) = text[from..].find(needle) {
        let at = from + i;
        seen += 1;
        if seen == n {
            return Some(at..at + needle.len());
        }
        from = at + text[at..].chars().next().map_or(1, char::len_utf8);
    }
    None
}

fn overlaps(a: &ByteRange, b: &ByteRange) -> bool {
    a.start < b.end && b.start < a.end
}

/// Markdown escapes removed, for comparing a rendered card with plain gold strings.
fn unescape(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut chars = md.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Score a knowledge base against a set's notes folder and gold.
pub fn score(kb: &KnowledgeBase, notes_dir: &Path, gold: &Gold) -> std::io::Result<Report> {
    let mut names: Vec<String> = gold
        .date_claims
        .iter()
        .map(|c| c.note.clone())
        .chain(gold.hovers.iter().map(|h| h.note.clone()))
        .collect();
    names.sort();
    names.dedup();
    let mut report = Report::default();
    for name in &names {
        let text = std::fs::read_to_string(notes_dir.join(name))?;
        let note = NoteIndex::new(kb, &text);
        let line_of = |r: &ByteRange| note.lines.line_of(r.start) + 1;
        let diags = analysis::diagnostics(kb, &note, &text, &CheckOptions::default());
        let date_diags: Vec<&analysis::Diagnostic> = diags
            .iter()
            .filter(|d| d.code == DATE_CONFLICT || d.code == WEEKDAY_MISMATCH)
            .collect();
        // Conflicts and false alarms.
        let claims: Vec<(&DateClaim, Option<ByteRange>)> = gold
            .date_claims
            .iter()
            .filter(|c| &c.note == name)
            .map(|c| (c, nth_occurrence(&text, &c.text, c.n)))
            .collect();
        for (c, span) in &claims {
            if c.expect == "conflict" {
                let found = span
                    .as_ref()
                    .is_some_and(|s| date_diags.iter().any(|d| overlaps(&d.range, s)));
                report
                    .conflicts
                    .entry(c.kind.clone())
                    .or_default()
                    .add(found);
                if !found {
                    report.misses.push(format!(
                        "conflict missed [{}] {name}:{} “{}” (source {})",
                        c.kind,
                        span.as_ref().map_or(0, line_of),
                        c.text,
                        c.source
                    ));
                }
            } else {
                report.ok_claims += 1;
            }
        }
        for d in &date_diags {
            let planted = claims.iter().any(|(c, s)| {
                c.expect == "conflict" && s.as_ref().is_some_and(|s| overlaps(&d.range, s))
            });
            if !planted {
                report.false_alarms.push((
                    name.clone(),
                    line_of(&d.range),
                    text[d.range.clone()].to_string(),
                    d.message.clone(),
                ));
            }
        }
        // Hovers.
        let card_at = |r: &ByteRange| {
            (r.start..r.end).find_map(|o| analysis::hover(kb, &note, &text, o).map(|h| h.card))
        };
        for h in gold.hovers.iter().filter(|h| &h.note == name) {
            let card = nth_occurrence(&text, &h.text, h.n).and_then(|r| card_at(&r));
            let md = card
                .as_ref()
                .map(|c| unescape(&analysis::render_markdown(c, &|_, _| String::new())))
                .unwrap_or_default()
                .to_lowercase();
            let ok = card.is_some()
                && h.all.iter().all(|s| md.contains(&s.to_lowercase()))
                && (h.any.is_empty() || h.any.iter().any(|s| md.contains(&s.to_lowercase())));
            report.hovers.add(ok);
            if !ok {
                let missing: Vec<&String> = h
                    .all
                    .iter()
                    .filter(|s| !md.contains(&s.to_lowercase()))
                    .collect();
                report.misses.push(format!(
                    "hover {name} “{}”: {} missing {:?} any {:?}",
                    h.text,
                    if card.is_some() { "card" } else { "no card" },
                    missing,
                    h.any
                ));
            }
        }
        for h in gold.no_person_hover.iter().filter(|h| &h.note == name) {
            let card = nth_occurrence(&text, &h.text, h.n).and_then(|r| card_at(&r));
            let person = matches!(&card, Some(analysis::hover::Card::Entity { kind, .. }) if *kind == "person");
            report.no_person.add(!person);
            if person {
                report
                    .misses
                    .push(format!("person card on {name} “{}”", h.text));
            }
        }
        // Go-to-source.
        for g in gold.definitions.iter().filter(|g| &g.note == name) {
            let targets = nth_occurrence(&text, &g.text, g.n)
                .and_then(|r| {
                    (r.start..r.end)
                        .map(|o| analysis::definition(kb, &note, &text, o))
                        .find(|t| !t.is_empty())
                })
                .unwrap_or_default();
            let ok = targets.first().is_some_and(|t| {
                let a = kb.article(t.article);
                let in_file = a.id() == g.file || a.id().starts_with(&format!("{}_", g.file));
                in_file
                    && g.line_has.as_ref().is_none_or(|want| {
                        let line = a.lines.line_of(t.selection.start.max(t.range.start));
                        a.lines
                            .line_range(a.text(), line)
                            .is_some_and(|r| a.text()[r].contains(want.as_str()))
                    })
            });
            report.definitions.add(ok);
            if !ok {
                report.misses.push(format!(
                    "definition {name} “{}” → {:?}",
                    g.text,
                    targets.first().map(|t| (
                        kb.article(t.article).id().to_string(),
                        kb.article(t.article).line_of(t.range.start)
                    ))
                ));
            }
        }
        // Quotations.
        for q in gold.unverified_quotes.iter().filter(|q| &q.note == name) {
            let span = nth_occurrence(&text, &q.text, q.n);
            let flagged = span.as_ref().is_some_and(|s| {
                diags
                    .iter()
                    .any(|d| d.code == UNVERIFIED_QUOTE && overlaps(&d.range, s))
            });
            let ok = flagged == (q.expect == "flag");
            report.quotes.add(ok);
            if !ok {
                report.misses.push(format!(
                    "quote {name} “{}”: expected {}, {}",
                    q.text,
                    q.expect,
                    if flagged { "flagged" } else { "not flagged" }
                ));
            }
        }
    }
    Ok(report)
}
