//! Conversions to and from the protocol: positions and ranges in the negotiated encoding, article locations,
//! diagnostics and symbol kinds. Analysis works on byte offsets; only this module knows LSP shapes.

use super::server::Snapshot;
use crate::analysis::Diagnostic as NoteDiagnostic;
use crate::analysis::diagnostics::Severity;
use crate::analysis::navigate::{CompletionKind, SymbolKind as NoteSymbolKind};
use crate::extract::names::EntityKind;
use crate::kb::{ArticleIx, KnowledgeBase};
use crate::text::{ByteRange, LineIndex, LinePos, PositionEncoding};
use tower_lsp_server::ls_types::*;

impl Snapshot {
    /// Byte offset of an editor position in this snapshot's text; `None` past the last line.
    pub(super) fn offset(&self, pos: Position) -> Option<usize> {
        self.index
            .lines
            .offset(
                &self.text,
                LinePos {
                    line: pos.line,
                    character: pos.character,
                },
                self.enc,
            )
            .ok()
    }

    /// Editor range of a byte range of this snapshot's text.
    pub(super) fn range(&self, r: &ByteRange) -> Range {
        to_range(&self.index.lines, &self.text, r, self.enc)
    }
}

pub(super) fn to_range(
    lines: &LineIndex,
    text: &str,
    r: &ByteRange,
    enc: PositionEncoding,
) -> Range {
    let (a, b) = lines.range(text, r, enc);
    Range {
        start: Position {
            line: a.line,
            character: a.character,
        },
        end: Position {
            line: b.line,
            character: b.character,
        },
    }
}

pub(super) fn article_uri(kb: &KnowledgeBase, ix: ArticleIx) -> Option<Uri> {
    Uri::from_file_path(&kb.article(ix).article.path)
}

pub(super) fn article_range(
    kb: &KnowledgeBase,
    ix: ArticleIx,
    r: &ByteRange,
    enc: PositionEncoding,
) -> Range {
    let a = kb.article(ix);
    to_range(&a.lines, a.text(), r, enc)
}

/// A place in an article as a protocol location.
pub(super) fn article_location(
    kb: &KnowledgeBase,
    ix: ArticleIx,
    r: &ByteRange,
    enc: PositionEncoding,
) -> Option<Location> {
    Some(Location {
        uri: article_uri(kb, ix)?,
        range: article_range(kb, ix, r, enc),
    })
}

pub(super) fn to_lsp_diagnostics(
    snap: &Snapshot,
    diags: &[NoteDiagnostic],
    uri: &Uri,
) -> Vec<Diagnostic> {
    diags
        .iter()
        .map(|d| Diagnostic {
            range: snap.range(&d.range),
            severity: Some(match d.severity {
                Severity::Error => DiagnosticSeverity::ERROR,
                Severity::Warning => DiagnosticSeverity::WARNING,
                Severity::Information => DiagnosticSeverity::INFORMATION,
            }),
            code: Some(NumberOrString::String(d.code.to_string())),
            source: Some("dossier".to_string()),
            message: d.message.clone(),
            related_information: (!d.related.is_empty()).then(|| {
                d.related
                    .iter()
                    .filter_map(|r| {
                        Some(DiagnosticRelatedInformation {
                            location: article_location(
                                &snap.kb,
                                r.source.article,
                                &r.source.range,
                                snap.enc,
                            )?,
                            message: r.message.clone(),
                        })
                    })
                    .collect()
            }),
            data: Some(serde_json::json!({ "uri": uri.as_str() })),
            ..Default::default()
        })
        .collect()
}

pub(super) fn symbol_kind(k: NoteSymbolKind) -> SymbolKind {
    match k {
        NoteSymbolKind::Person => SymbolKind::CONSTANT,
        NoteSymbolKind::Agreement => SymbolKind::OBJECT,
        NoteSymbolKind::Organization => SymbolKind::NAMESPACE,
        NoteSymbolKind::Date => SymbolKind::EVENT,
        NoteSymbolKind::Citation => SymbolKind::FILE,
        NoteSymbolKind::Quote => SymbolKind::STRING,
    }
}

pub(super) fn entity_symbol_kind(k: EntityKind) -> SymbolKind {
    match k {
        EntityKind::Person => SymbolKind::CONSTANT,
        EntityKind::Agreement => SymbolKind::OBJECT,
        EntityKind::Organization => SymbolKind::NAMESPACE,
    }
}

pub(super) fn completion_kind(k: CompletionKind) -> CompletionItemKind {
    match k {
        CompletionKind::Article => CompletionItemKind::FILE,
        CompletionKind::Person => CompletionItemKind::CONSTANT,
        CompletionKind::Agreement => CompletionItemKind::STRUCT,
        CompletionKind::Organization => CompletionItemKind::MODULE,
    }
}
