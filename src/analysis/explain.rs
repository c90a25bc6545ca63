//! Why a line of a note is (not) flagged: the date diagnostics on it and, for each dated claim, the source
//! clauses that may report the same event, their scores and the verdict — `dossier explain` in plain text.

use super::claims::{check_note, render_check};
use super::diagnostics::{CheckOptions, DATE_CONFLICT, WEEKDAY_MISMATCH, diagnostics};
use super::note::NoteIndex;
use crate::kb::KnowledgeBase;

/// The explanation of one date of the note for its hover: its claim's judgement — or nothing when a date
/// diagnostic is on it, since the editor shows that diagnostic (with its quick fix) in the same hover.
pub fn explain_date(
    kb: &KnowledgeBase,
    note: &NoteIndex,
    text: &str,
    span: &crate::text::ByteRange,
) -> String {
    let flagged = diagnostics(kb, note, text, &CheckOptions::default())
        .iter()
        .filter(|d| d.code == DATE_CONFLICT || d.code == WEEKDAY_MISMATCH)
        .any(|d| d.range.start < span.end && span.start < d.range.end);
    if flagged {
        return String::new();
    }
    check_note(kb, note, text)
        .into_iter()
        .filter(|c| c.claim.date.range == *span)
        .map(|c| render_check(kb, text, &c))
        .collect()
}

/// The explanation of a (zero-based) line.
pub fn explain_line(kb: &KnowledgeBase, note: &NoteIndex, text: &str, line: usize) -> String {
    let mut s = String::new();
    for d in diagnostics(kb, note, text, &CheckOptions::default())
        .iter()
        .filter(|d| d.code == DATE_CONFLICT || d.code == WEEKDAY_MISMATCH)
        .filter(|d| note.lines.line_of(d.range.start) == line)
    {
        s.push_str(&format!(
            "flagged “{}” [{}]: {}\n",
            &text[d.range.clone()],
            d.code,
            d.message
        ));
    }
    for c in check_note(kb, note, text)
        .into_iter()
        .filter(|c| note.lines.line_of(c.claim.clause.start) == line)
    {
        s.push_str(&render_check(kb, text, &c));
    }
    if s.is_empty() {
        s.push_str("no dated claim on this line\n");
    }
    s
}
