//! `dossier check --format sarif`: findings as a SARIF 2.1.0 log (rules, note locations, the related
//! source passages, fixes), the format CI systems and code-scanning dashboards read.

use std::path::Path;

use serde_json::{Value, json};

use super::{relative_to_cwd, severity_name};
use crate::analysis::Diagnostic;
use crate::analysis::diagnostics::{ALL_CODES, Severity};
use crate::analysis::hover::article_label;
use crate::kb::KnowledgeBase;
use crate::text::{LineIndex, PositionEncoding};

/// The published schema of SARIF 2.1.0.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// What each check looks for, for the rules of the log.
fn rule_description(code: &str) -> &'static str {
    match code {
        "date-conflict" => {
            "A date in the note disagrees with the date the sources give for the same event."
        }
        "weekday-mismatch" => "A weekday in the note does not fall on the date it is written with.",
        "unverified-quote" => "A quotation in the note is not found in any source.",
        "unknown-source" => "A citation key in the note matches no article of the corpus.",
        _ => "A Dossier check.",
    }
}

/// SARIF's level for a severity.
fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information => "note",
    }
}

/// A path's components percent-encoded (unreserved characters kept) and joined with `/`.
fn encode(path: &Path) -> String {
    use std::path::Component;
    let mut parts: Vec<String> = Vec::new();
    for c in path.components() {
        let part = match c {
            Component::RootDir | Component::CurDir => continue,
            Component::Normal(s) => s.to_string_lossy().into_owned(),
            Component::ParentDir => "..".to_string(),
            Component::Prefix(p) => p.as_os_str().to_string_lossy().replace('\\', "/"),
        };
        let mut enc = String::new();
        for b in part.bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b':') {
                enc.push(b as char);
            } else {
                enc.push_str(&format!("%{b:02X}"));
            }
        }
        parts.push(enc);
    }
    parts.join("/")
}

/// A path as a URI reference: relative to the working directory when below it (resolved against
/// `%SRCROOT%`, the working directory), else a `file://` URI. Returns the URI and whether it is
/// relative.
pub fn uri(path: &Path) -> (String, bool) {
    let rel = relative_to_cwd(path);
    if rel.is_relative() {
        (encode(&rel), true)
    } else {
        (format!("file:///{}", encode(&rel)), false)
    }
}

fn artifact(path: &Path) -> Value {
    let (uri, relative) = uri(path);
    if relative {
        json!({ "uri": uri, "uriBaseId": "%SRCROOT%" })
    } else {
        json!({ "uri": uri })
    }
}

/// A region of a text, one-based lines, columns in Unicode code points, end column exclusive.
fn region(text: &str, lines: &LineIndex, range: &std::ops::Range<usize>) -> Value {
    let start = lines.position(text, range.start, PositionEncoding::Utf32);
    let end = lines.position(text, range.end, PositionEncoding::Utf32);
    json!({
        "startLine": start.line + 1,
        "startColumn": start.character + 1,
        "endLine": end.line + 1,
        "endColumn": end.character + 1,
        "snippet": { "text": text.get(range.clone()).unwrap_or("") },
    })
}

/// The results of a check run, gathered note by note.
#[derive(Default)]
pub struct Log {
    results: Vec<Value>,
}

impl Log {
    /// Adds the findings of another log after its own.
    pub fn append(&mut self, other: Log) {
        self.results.extend(other.results);
    }

    /// Adds the findings of one note.
    pub fn push(
        &mut self,
        kb: &KnowledgeBase,
        path: &Path,
        text: &str,
        lines: &LineIndex,
        d: &Diagnostic,
    ) {
        let related: Vec<Value> = d
            .related
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let a = kb.article(r.source.article);
                let start = a.line_of(r.source.range.start);
                let end = a.line_of(r.source.range.end.max(r.source.range.start));
                json!({
                    "id": i,
                    "message": { "text": format!("{} — {}", r.message, article_label(a)) },
                    "physicalLocation": {
                        "artifactLocation": artifact(&a.article.path),
                        "region": {
                            "startLine": start,
                            "endLine": end.max(start),
                            "snippet": { "text": a.text().get(r.source.range.clone()).unwrap_or("") },
                        },
                    },
                })
            })
            .collect();
        let fixes: Vec<Value> = d
            .fixes
            .iter()
            .map(|f| {
                json!({
                    "description": { "text": f.title },
                    "artifactChanges": [{
                        "artifactLocation": artifact(path),
                        "replacements": f.edits.iter().map(|(r, t)| json!({
                            "deletedRegion": region(text, lines, r),
                            "insertedContent": { "text": t },
                        })).collect::<Vec<_>>(),
                    }],
                })
            })
            .collect();
        let rule_index = ALL_CODES.iter().position(|c| *c == d.code);
        let mut result = json!({
            "ruleId": d.code,
            "level": level(d.severity),
            "message": { "text": d.message },
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": artifact(path),
                    "region": region(text, lines, &d.range),
                },
            }],
            "properties": { "severity": severity_name(d.severity) },
        });
        if let Some(i) = rule_index {
            result["ruleIndex"] = json!(i);
        }
        if !related.is_empty() {
            result["relatedLocations"] = Value::Array(related);
        }
        if !fixes.is_empty() {
            result["fixes"] = Value::Array(fixes);
        }
        self.results.push(result);
    }

    /// The whole log: one run of the `dossier` tool with its rules and results.
    pub fn finish(self) -> Value {
        let rules: Vec<Value> = ALL_CODES
            .iter()
            .map(|code| {
                json!({
                    "id": code,
                    "name": code.split('-').map(|w| {
                        let mut c = w.chars();
                        c.next().map_or(String::new(), |f| f.to_uppercase().collect::<String>() + c.as_str())
                    }).collect::<String>(),
                    "shortDescription": { "text": rule_description(code) },
                    "defaultConfiguration": { "level": "warning" },
                })
            })
            .collect();
        json!({
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": {
                    "driver": {
                        "name": "dossier",
                        "version": env!("CARGO_PKG_VERSION"),
                        "rules": rules,
                    },
                },
                "columnKind": "unicodeCodePoints",
                "originalUriBaseIds": {
                    "%SRCROOT%": {
                        "uri": std::env::current_dir()
                            .map(|d| format!("file:///{}/", encode(&d)).replace(":////", ":///"))
                            .unwrap_or_else(|_| "file:///".to_string()),
                    },
                },
                "results": self.results,
            }],
        })
    }
}
