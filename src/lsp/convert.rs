//! Conversions to and from the protocol: positions and ranges in the negotiated encoding, article locations,
//! diagnostics and symbol kinds. Analysis works on byte offsets; only this module knows LSP shapes. It depends
//! on no other part of the server.

use crate::analysis::Diagnostic as NoteDiagnostic;
use crate::analysis::diagnostics::Severity;
use crate::analysis::navigate::{CompletionKind, SymbolKind as NoteSymbolKind};
use crate::extract::names::EntityKind;
use crate::kb::{ArticleIx, KnowledgeBase};
use crate::text::{ByteRange, LineIndex, LinePos, PositionEncoding};
use tower_lsp_server::ls_types::{
    CompletionItemKind, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, Position, Range, SymbolKind, Uri,
};

/// Byte offset of an editor position in `text`; `None` past the last line.
pub(super) fn to_offset(
    lines: &LineIndex,
    text: &str,
    pos: Position,
    enc: PositionEncoding,
) -> Option<usize> {
    lines
        .offset(
            text,
            LinePos {
                line: pos.line,
                character: pos.character,
            },
            enc,
        )
        .ok()
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

/// A note's diagnostics (on `text`, indexed by `lines`) as protocol diagnostics; related places are in `kb`.
pub(super) fn to_lsp_diagnostics(
    lines: &LineIndex,
    text: &str,
    kb: &KnowledgeBase,
    enc: PositionEncoding,
    diags: &[NoteDiagnostic],
    uri: &Uri,
) -> Vec<Diagnostic> {
    diags
        .iter()
        .map(|d| Diagnostic {
            range: to_range(lines, text, &d.range, enc),
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
                            location: article_location(kb, r.source.article, &r.source.range, enc)?,
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
        _ => SymbolKind::NAMESPACE,
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
