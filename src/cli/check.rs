//! `dossier check`: notes found on the command line, checked against their corpus, printed for people
//! (with the note line and source passages), as JSON or as SARIF.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::sarif;
use super::term::{self, clean};
use super::{
    CheckFormat, Index, UsageError, corpus_roots, load_current, read_input, relative_to_cwd,
    severity_name, warn_stale,
};
use crate::analysis::diagnostics::{ALL_CODES, Severity};
use crate::analysis::hover::article_label;
use crate::analysis::{CheckOptions, Diagnostic, NoteIndex, diagnostics};
use crate::corpus::LoadOptions;
use crate::kb::KnowledgeBase;
use crate::text::LineIndex;

/// Notes named on the command line, and folders walked for .md and .txt files. A walked file is
/// `false` in the pair (it may turn out to be a corpus article, which is not checked as a note).
fn collect_notes(paths: &[PathBuf]) -> Result<Vec<(PathBuf, bool)>, UsageError> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut stack = vec![p.clone()];
            while let Some(dir) = stack.pop() {
                let entries = std::fs::read_dir(&dir)
                    .map_err(|e| UsageError(format!("cannot read {}: {e}", term::path(&dir))))?;
                let mut entries: Vec<PathBuf> =
                    entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
                entries.sort();
                for e in entries {
                    let name = e.file_name().and_then(|n| n.to_str()).unwrap_or("");
                    if name.starts_with('.') || name == "node_modules" || name == "target" {
                        continue;
                    }
                    if e.is_dir() {
                        stack.push(e);
                    } else if matches!(e.extension().and_then(|x| x.to_str()), Some("md" | "txt")) {
                        out.push((e, false));
                    }
                }
            }
        } else if p.is_file() {
            out.push((p.clone(), true));
        } else {
            return Err(UsageError(format!(
                "{}: no such file or folder",
                term::path(p)
            )));
        }
    }
    Ok(out)
}

/// Whether `path` lies in one of the corpus folders (compared on canonical paths).
fn in_corpus(path: &Path, roots: &[PathBuf]) -> bool {
    let Ok(real) = std::fs::canonicalize(path) else {
        return false;
    };
    roots
        .iter()
        .filter_map(|r| std::fs::canonicalize(r).ok())
        .any(|r| real.starts_with(r))
}

pub(super) fn check(
    corpus: &[PathBuf],
    format: CheckFormat,
    disable: &[String],
    paths: &[PathBuf],
) -> Result<ExitCode, UsageError> {
    for d in disable {
        if !ALL_CODES.contains(&d.as_str()) {
            return Err(UsageError(format!(
                "--disable {d}: unknown check (known: {})",
                ALL_CODES.join(", ")
            )));
        }
    }
    let opts = CheckOptions {
        disabled: disable.iter().cloned().collect(),
    };
    let notes = collect_notes(paths)?;
    crate::analysis::warm_up();
    // Group notes by the corpus that checks them, and load each corpus once.
    let mut groups: BTreeMap<Vec<PathBuf>, (LoadOptions, Index, Vec<PathBuf>)> = BTreeMap::new();
    for (n, named) in notes {
        let (roots, lo, index) = corpus_roots(corpus, n.parent().unwrap_or(Path::new(".")))?;
        // `dossier check .` in a workspace walks the corpus too: its articles are not notes.
        if !named && in_corpus(&n, &roots) {
            continue;
        }
        groups
            .entry(roots)
            .or_insert_with(|| (lo, index, Vec::new()))
            .2
            .push(n);
    }
    if groups.is_empty() {
        eprintln!(
            "dossier: warning: no notes to check in {} (notes are .md and .txt files outside the corpus)",
            paths
                .iter()
                .map(|p| term::path(p))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let color = format == CheckFormat::Human
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none();
    let mut all = Findings::default();
    let group_count = groups.len();
    for (g, (roots, (lo, index, notes))) in groups.into_iter().enumerate() {
        // A text the load trusted unread that then turned out changed (or gone) is never shown: the notes are
        // checked again against a load that reads those files, as a cold start would.
        let (kb, found) = load_current(&roots, &lo, &index, |kb| {
            let mut found = Findings::default();
            for path in &notes {
                let text = read_input(path)?;
                let note = NoteIndex::new(kb, &text);
                for d in &diagnostics(kb, &note, &text, &opts) {
                    match d.severity {
                        Severity::Error | Severity::Warning => found.warnings += 1,
                        Severity::Information => found.information += 1,
                    }
                    match format {
                        CheckFormat::Json => {
                            found
                                .json
                                .push(diagnostic_json(kb, path, &text, &note.lines, d))
                        }
                        CheckFormat::Human => {
                            print_human(&mut found.human, kb, path, &text, &note.lines, d, color)
                        }
                        CheckFormat::Sarif => found.sarif.push(kb, path, &text, &note.lines, d),
                    }
                }
                found.notes += 1;
            }
            Ok(found)
        })?;
        let _ = std::io::stdout().lock().write_all(&found.human);
        warn_stale(&kb);
        all.add(found);
        if g + 1 == group_count {
            // The process ends now, and the system takes back its memory at once: freeing the knowledge
            // base piece by piece took 66-75 ms of a 0.65 s warm check of the White House corpus.
            std::mem::forget(kb);
        }
    }
    let Findings {
        json: json_rows,
        sarif,
        warnings,
        information,
        notes: checked,
        ..
    } = all;
    let counts = (warnings, information, checked);
    let worst = if warnings > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    match format {
        CheckFormat::Json => println!("{}", term::json(&json_rows)),
        CheckFormat::Sarif => println!("{}", term::json(&sarif.finish())),
        CheckFormat::Human => eprintln!(
            "dossier: {} note{} checked: {} warning{}, {} note{} for information",
            counts.2,
            if counts.2 == 1 { "" } else { "s" },
            counts.0,
            if counts.0 == 1 { "" } else { "s" },
            counts.1,
            if counts.1 == 1 { "" } else { "s" },
        ),
    }
    Ok(worst)
}

/// What checking notes found, in each output format, and how much.
#[derive(Default)]
struct Findings {
    human: Vec<u8>,
    json: Vec<serde_json::Value>,
    sarif: sarif::Log,
    /// Errors and warnings (any makes the exit status 1).
    warnings: usize,
    information: usize,
    notes: usize,
}

impl Findings {
    /// Add a corpus's findings (its human output has been printed).
    fn add(&mut self, other: Findings) {
        self.json.extend(other.json);
        self.sarif.append(other.sarif);
        self.warnings += other.warnings;
        self.information += other.information;
        self.notes += other.notes;
    }
}

fn diagnostic_json(
    kb: &KnowledgeBase,
    path: &Path,
    text: &str,
    lines: &LineIndex,
    d: &Diagnostic,
) -> serde_json::Value {
    let pos = |o: usize| {
        let p = lines.position(text, o, crate::text::PositionEncoding::Utf32);
        serde_json::json!({ "line": p.line + 1, "column": p.character + 1, "offset": o })
    };
    serde_json::json!({
        "path": path.display().to_string(),
        "severity": severity_name(d.severity),
        "code": d.code,
        "message": d.message,
        "start": pos(d.range.start),
        "end": pos(d.range.end),
        "text": &text[d.range.clone()],
        "related": d.related.iter().map(|r| {
            let a = kb.article(r.source.article);
            serde_json::json!({
                "article": a.id(),
                "title": a.article.title,
                "date": a.article.date().map(|d| d.to_string()),
                "label": article_label(a),
                "path": a.article.path.display().to_string(),
                "line": a.line_of(r.source.range.start),
                "start": r.source.range.start,
                "end": r.source.range.end,
                "message": r.message,
            })
        }).collect::<Vec<_>>(),
        "fixes": d.fixes.iter().map(|f| serde_json::json!({
            "title": f.title,
            "edits": f.edits.iter().map(|(r, t)| serde_json::json!({"start": r.start, "end": r.end, "text": t})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

fn print_human(
    out: &mut Vec<u8>,
    kb: &KnowledgeBase,
    path: &Path,
    text: &str,
    lines: &LineIndex,
    d: &Diagnostic,
    color: bool,
) {
    let paint = |code: &str, s: &str| {
        if color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    let pos = lines.position(text, d.range.start, crate::text::PositionEncoding::Utf32);
    let sev = severity_name(d.severity);
    let sev_col = match d.severity {
        Severity::Error => "1;31",
        Severity::Warning => "1;33",
        Severity::Information => "1;36",
    };
    let _ = writeln!(
        out,
        "{}:{}:{}: {}: {}",
        term::path(path),
        pos.line + 1,
        pos.character + 1,
        paint(sev_col, &format!("{sev}[{}]", d.code)),
        clean(&d.message)
    );
    // The note line with the range underlined.
    if let Some(lr) = lines.line_range(text, pos.line as usize) {
        let line = clean(&text[lr.clone()]);
        // Widths as printed: an escaped control character takes several columns.
        let lead = clean(&text[lr.start..d.range.start.max(lr.start)])
            .chars()
            .count();
        let width = clean(&text[d.range.start..d.range.end.min(lr.end).max(d.range.start)])
            .chars()
            .count()
            .max(1);
        let gutter = format!("{}", pos.line + 1);
        let _ = writeln!(out, "{} | {line}", paint("1;34", &gutter));
        let _ = writeln!(
            out,
            "{} | {}{}",
            " ".repeat(gutter.len()),
            " ".repeat(lead),
            paint(sev_col, &"^".repeat(width))
        );
    }
    for r in d.related.iter().take(3) {
        let a = kb.article(r.source.article);
        let line_no = a.line_of(r.source.range.start);
        // The sentence that says it, not the whole line (a scraped article may hold a paragraph per line).
        let sentence = a
            .sentence_at(r.source.range.start)
            .map_or(r.source.range.clone(), |s| s.range.clone());
        let passage = crate::analysis::passages::excerpt(&a.text()[sentence]);
        let _ = writeln!(
            out,
            "  {} {}:{}: {} — in “{}”",
            paint("1;32", "source"),
            term::path(&relative_to_cwd(&a.article.path)),
            line_no,
            clean(&passage),
            clean(&article_label(a)),
        );
    }
    if let Some(f) = d.fixes.iter().find(|f| f.preferred) {
        let _ = writeln!(out, "  {} {}", paint("1;32", "fix:"), clean(&f.title));
    }
}
