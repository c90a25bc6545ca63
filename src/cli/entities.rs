//! `dossier entities` and `dossier dates`: what the reference base and a text hold, as text or JSON.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::term::{self, clean};
use super::{Format, UsageError, corpus_roots, load_current, read_input, warn_stale};
use crate::analysis::hover::article_label;
use crate::corpus;
use crate::extract::dates::DateValue;
use crate::extract::dates::{DateContext, find_dates};
use crate::extract::names::collapse;
use crate::kb::{ArticleData, EntityId, KnowledgeBase};

pub(super) fn entities(corpus: &[PathBuf], format: Format) -> Result<ExitCode, UsageError> {
    let cwd = std::env::current_dir().map_err(|e| UsageError(e.to_string()))?;
    let (roots, opts, index) = corpus_roots(corpus, &cwd)?;
    let (kb, summaries) = load_current(&roots, &opts, &index, |kb| {
        let mut order: Vec<usize> = (0..kb.entities.len()).collect();
        order.sort_by_key(|&i| {
            (
                kb.entities[i].kind,
                std::cmp::Reverse(kb.entities[i].mention_count),
                kb.entities[i].name.clone(),
            )
        });
        Ok(order
            .iter()
            .map(|&i| entity_summary(kb, i))
            .collect::<Vec<serde_json::Value>>())
    })?;
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => {
            let _ = writeln!(out, "{}", term::json(&summaries));
        }
        Format::Text => {
            let by_id: HashMap<&str, &ArticleData> =
                kb.articles.iter().map(|a| (a.id(), a.as_ref())).collect();
            // A source as an analyst recognises it: title or first words, date, line.
            let cite = |id: &serde_json::Value, line: &serde_json::Value| {
                let id = id.as_str().unwrap_or("");
                let label = by_id
                    .get(id)
                    .map_or_else(|| id.to_string(), |a| article_label(a));
                clean(&format!("{label}, line {line}")).into_owned()
            };
            let plural = |n: &serde_json::Value, word: &str| {
                let n = n.as_u64().unwrap_or(0);
                format!("{n} {word}{}", if n == 1 { "" } else { "s" })
            };
            for s in &summaries {
                let _ = writeln!(
                    out,
                    "{} ({}) — {} in {}",
                    clean(s["name"].as_str().unwrap_or("")),
                    s["kind"].as_str().unwrap_or(""),
                    plural(&s["mentions"], "mention"),
                    plural(&s["sources"], "source"),
                );
                if let Some(a) = s["aliases"].as_array().filter(|a| !a.is_empty()) {
                    let a: Vec<&str> = a.iter().filter_map(|x| x.as_str()).collect();
                    let _ = writeln!(out, "  aliases: {}", clean(&a.join(", ")));
                }
                for r in s["roles"].as_array().into_iter().flatten() {
                    let _ = writeln!(
                        out,
                        "  role: {} [{}]",
                        clean(r["role"].as_str().unwrap_or("")),
                        cite(&r["source"], &r["line"])
                    );
                }
                for f in s["facts"].as_array().into_iter().flatten() {
                    let with: Vec<&str> = f["with"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|x| x.as_str())
                        .collect();
                    let mut when = f["when"].as_str().unwrap_or("?").to_string();
                    if f["since"] == true {
                        when = format!("since {when}");
                    }
                    let line = format!(
                        "{} {}{}{}",
                        when,
                        f["event"].as_str().unwrap_or(""),
                        if with.is_empty() {
                            String::new()
                        } else {
                            format!(" with {}", with.join(", "))
                        },
                        f["place"]
                            .as_str()
                            .map_or(String::new(), |p| format!(" in {p}")),
                    );
                    let _ = writeln!(
                        out,
                        "  {} [{}]",
                        clean(&line),
                        cite(&f["source"], &f["line"])
                    );
                }
            }
            let _ = writeln!(
                out,
                "{} entit{} from {} article{}",
                summaries.len(),
                if summaries.len() == 1 { "y" } else { "ies" },
                kb.articles.len(),
                if kb.articles.len() == 1 { "" } else { "s" }
            );
        }
    }
    warn_stale(&kb);
    Ok(ExitCode::SUCCESS)
}

pub(super) fn dates(
    reference: Option<&str>,
    format: Format,
    file: &Path,
) -> Result<ExitCode, UsageError> {
    let text = read_input(file)?;
    let (meta, body, _) = corpus::parse_front_matter(&text);
    let reference = match reference {
        Some(r) => Some(
            r.parse::<jiff::civil::Date>()
                .map_err(|_| {
                    UsageError(format!(
                        "--ref {r}: not a date; write the reference date as YYYY-MM-DD, e.g. --ref 2024-10-29"
                    ))
                })?,
        ),
        None => meta.date,
    };
    let found: Vec<_> = find_dates(&text[body.clone()], &DateContext { reference })
        .into_iter()
        .map(|mut d| {
            d.span = d.span.start + body.start..d.span.end + body.start;
            d
        })
        .collect();
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => {
            let rows: Vec<serde_json::Value> = found
                .iter()
                .map(|d| {
                    serde_json::json!({
                        "start": d.span.start,
                        "end": d.span.end,
                        "text": &text[d.span.clone()],
                        "value": d.value.map(|v| v.to_iso()),
                        "kind": format!("{:?}", d.kind),
                    })
                })
                .collect();
            let _ = writeln!(out, "{}", term::json(&rows));
        }
        Format::Text => {
            for d in &found {
                let _ = writeln!(
                    out,
                    "{}..{}\t{}\t{}",
                    d.span.start,
                    d.span.end,
                    d.value.map_or("-".to_string(), |v| v.to_iso()),
                    clean(&text[d.span.clone()])
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Lines of a knowledge base as data for `dossier entities` and tests.
fn entity_summary(kb: &KnowledgeBase, id: EntityId) -> serde_json::Value {
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
