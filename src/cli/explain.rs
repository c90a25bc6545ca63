//! `dossier explain NOTE:LINE` — why the dates on a line of a note are judged consistent, in conflict or
//! unverifiable: the candidate source clauses, their scores and the verdict; and `dossier eval`, the
//! development-set scorer.

use super::{UsageError, corpus_roots, load_current, term, warn_stale};
use crate::analysis::NoteIndex;
use crate::analysis::explain::explain_line;
use crate::corpus::LoadOptions;
use crate::eval::{Gold, score};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Split "notes/a.md:12" into the path and a one-based line.
fn note_and_line(spec: &str) -> Result<(PathBuf, usize), UsageError> {
    let (path, line) = spec.rsplit_once(':').ok_or_else(|| {
        UsageError(format!(
            "expected NOTE:LINE (for example notes/brief.md:12), got “{}”",
            term::clean(spec)
        ))
    })?;
    let line: usize = line.parse().ok().filter(|l| *l >= 1).ok_or_else(|| {
        UsageError(format!(
            "“{}” is not a line number (lines count from 1)",
            term::clean(line)
        ))
    })?;
    Ok((PathBuf::from(path), line))
}

pub fn explain(corpus: &[PathBuf], spec: &str) -> Result<ExitCode, UsageError> {
    let (path, line) = note_and_line(spec)?;
    let text = super::read_input(&path)?;
    let (roots, opts, index) = corpus_roots(corpus, path.parent().unwrap_or(Path::new(".")))?;
    let (kb, explained) = load_current(&roots, &opts, &index, |kb| {
        let note = NoteIndex::new(kb, &text);
        if line > note.lines.line_count() {
            return Err(UsageError(format!(
                "{} has {} lines",
                term::path(&path),
                note.lines.line_count()
            )));
        }
        Ok(explain_line(kb, &note, &text, line - 1))
    })?;
    print!("{}", term::clean_lines(&explained));
    warn_stale(&kb);
    Ok(ExitCode::SUCCESS)
}

/// Score a development set (a folder with `corpus/`, `notes/` and `gold.json`) and print one table.
pub fn eval(set: &Path) -> Result<ExitCode, UsageError> {
    let gold_path = set.join("gold.json");
    let gold: Gold = serde_json::from_str(
        &std::fs::read_to_string(&gold_path)
            .map_err(|e| UsageError(format!("cannot read {}: {e}", term::path(&gold_path))))?,
    )
    .map_err(|e| UsageError(format!("{}: {e}", term::path(&gold_path))))?;
    let roots = [set.join("corpus")];
    let (kb, report) = load_current(
        &roots,
        &LoadOptions::default(),
        &super::Index::of_roots(&roots),
        |kb| {
            score(kb, &set.join("notes"), &gold).map_err(|e| {
                UsageError(format!("cannot read the notes of {}: {e}", term::path(set)))
            })
        },
    )?;
    print!("{}", report.table());
    for m in &report.misses {
        eprintln!("miss: {}", term::clean(m));
    }
    for (note, line, text, msg) in &report.false_alarms {
        eprintln!(
            "false alarm: {note}:{line} “{}”: {}",
            term::clean(text),
            term::clean(msg)
        );
    }
    warn_stale(&kb);
    Ok(ExitCode::SUCCESS)
}
