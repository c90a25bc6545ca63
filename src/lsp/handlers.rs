//! The request and notification handlers: each converts its parameters in, calls `analysis` on a snapshot,
//! and converts the answer out. Text synchronisation itself happens earlier, in the ordered layer.

use super::convert::{
    article_location, article_range, article_uri, completion_kind, entity_symbol_kind, symbol_kind,
};
use super::server::{Backend, Settings, internal, lock};
use crate::analysis::hover::render_markdown;
use crate::analysis::navigate;
use crate::kb::ArticleIx;
use crate::text::PositionEncoding;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use tower_lsp_server::LanguageServer;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOptions, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, CodeActionResponse, CompletionItem, CompletionOptions,
    CompletionParams, CompletionResponse, CompletionTextEdit, DidChangeConfigurationParams,
    DidChangeTextDocumentParams, DidChangeWatchedFilesParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DocumentLink, DocumentLinkOptions, DocumentLinkParams,
    DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse, GotoDefinitionParams,
    GotoDefinitionResponse, Hover, HoverContents, HoverParams, HoverProviderCapability,
    InitializeParams, InitializeResult, InitializedParams, Location, LocationLink, MarkupContent,
    MarkupKind, OneOf, PositionEncodingKind, ReferenceParams, ServerCapabilities, ServerInfo,
    SymbolInformation, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextEdit, WorkspaceEdit, WorkspaceSymbolParams, WorkspaceSymbolResponse,
};

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let offered = params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.clone())
            .unwrap_or_default();
        let (enc, kind) = if offered.contains(&PositionEncodingKind::UTF8) {
            (PositionEncoding::Utf8, PositionEncodingKind::UTF8)
        } else {
            (PositionEncoding::Utf16, PositionEncodingKind::UTF16)
        };
        *self
            .shared
            .encoding
            .write()
            .unwrap_or_else(|e| e.into_inner()) = enc;
        let progress = params
            .capabilities
            .window
            .as_ref()
            .and_then(|w| w.work_done_progress)
            .unwrap_or(false);
        self.shared
            .progress_supported
            .store(progress, Ordering::SeqCst);
        let mut folders: Vec<PathBuf> = params
            .workspace_folders
            .unwrap_or_default()
            .iter()
            .filter_map(|f| f.uri.to_file_path().map(|p| p.into_owned()))
            .collect();
        #[allow(deprecated)]
        if folders.is_empty()
            && let Some(p) = params.root_uri.as_ref().and_then(|u| u.to_file_path())
        {
            folders.push(p.into_owned());
        }
        *lock(&self.shared.workspace) = folders;
        if let Some(opts) = &params.initialization_options {
            *lock(&self.shared.settings) = Settings::from_json(opts);
        }
        tracing::info!("initialize: position encoding {enc:?}");
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(kind),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        ..Default::default()
                    },
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                definition_provider: Some(OneOf::Left(true)),
                references_provider: Some(OneOf::Left(true)),
                document_symbol_provider: Some(OneOf::Left(true)),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(vec!["@".to_string()]),
                    ..Default::default()
                }),
                document_link_provider: Some(DocumentLinkOptions {
                    resolve_provider: Some(false),
                    work_done_progress_options: Default::default(),
                }),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                        ..Default::default()
                    },
                )),
                ..Default::default()
            },
            server_info: Some(ServerInfo {
                name: "dossier".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        // Loading runs beside the message loop, so that requests are answered meanwhile and an early
        // `exit` or end of input is not held up by it.
        let backend = self.clone_handle();
        // The first hover's note analysis, made ready while the corpus loads.
        crate::analysis::warm_up();
        tokio::spawn(async move { backend.load_corpus().await });
    }

    async fn shutdown(&self) -> Result<()> {
        // Long work already stops (the ordered layer set `shutting_down` on arrival); stop watching too.
        lock(&self.shared.watcher).take();
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        // The text was stored by the ordered layer; here only the follow-up work.
        self.schedule_diagnostics(params.text_document.uri);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        self.schedule_diagnostics(params.text_document.uri);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        self.cancel_diagnostics(&uri);
        self.shared.forget(&uri);
        self.client.publish_diagnostics(uri, Vec::new(), None).await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let new = Settings::from_json(&params.settings);
        let old = std::mem::replace(&mut *lock(&self.shared.settings), new.clone());
        self.shared.forget_diagnostics();
        if old.corpus != new.corpus {
            let backend = self.clone_handle();
            tokio::spawn(async move { backend.load_corpus().await });
        } else {
            self.republish_all();
        }
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let paths: Vec<PathBuf> = params
            .changes
            .iter()
            .filter_map(|c| c.uri.to_file_path().map(|p| p.into_owned()))
            .collect();
        // Off the ordered layer: later messages need not wait for the refresh.
        let backend = self.clone_handle();
        tokio::spawn(async move { backend.refresh_paths(paths, false).await });
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let p = params.text_document_position_params;
        self.with_snapshot(&p.text_document.uri, move |s, _| {
            let offset = s.offset(p.position)?;
            let h = crate::analysis::hover(&s.kb, &s.index, &s.text, offset)?;
            let kb = s.kb.clone();
            let link = move |ix: ArticleIx, line: usize| {
                article_uri(&kb, ix).map_or(String::new(), |u| format!("{}#L{line}", u.as_str()))
            };
            Some(Hover {
                contents: HoverContents::Markup(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: render_markdown(&h.card, &link),
                }),
                range: Some(s.range(&h.range)),
            })
        })
        .await
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let p = params.text_document_position_params;
        self.with_snapshot(&p.text_document.uri, move |s, _| {
            let offset = s.offset(p.position)?;
            let links: Vec<LocationLink> =
                crate::analysis::definition(&s.kb, &s.index, &s.text, offset)
                    .into_iter()
                    .filter_map(|t| {
                        Some(LocationLink {
                            origin_selection_range: Some(s.range(&t.origin)),
                            target_uri: article_uri(&s.kb, t.article)?,
                            target_range: article_range(&s.kb, t.article, &t.range, s.enc),
                            target_selection_range: article_range(
                                &s.kb,
                                t.article,
                                &t.selection,
                                s.enc,
                            ),
                        })
                    })
                    .collect();
            (!links.is_empty()).then_some(GotoDefinitionResponse::Link(links))
        })
        .await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let p = params.text_document_position;
        let shared = self.shared.clone();
        self.with_snapshot(&p.text_document.uri, move |s, token| {
            let offset = s.offset(p.position)?;
            let id = navigate::entity_at(&s.index, offset)?;
            let mut out: Vec<Location> = navigate::corpus_references(&s.kb, id)
                .into_iter()
                .filter_map(|r| article_location(&s.kb, r.article, &r.range, s.enc))
                .collect();
            // The open notes (corpus files are already covered above).
            let open = lock(&shared.docs).uris();
            for uri in open {
                if token.stop() {
                    return None;
                }
                if shared.is_corpus_file(&uri) {
                    continue;
                }
                let Some(other) = shared.snapshot(&uri).filter(|o| !o.light) else {
                    continue;
                };
                for r in navigate::note_references(&other.index, id) {
                    out.push(Location {
                        uri: uri.clone(),
                        range: other.range(&r),
                    });
                }
            }
            Some(out)
        })
        .await
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        self.with_snapshot(&params.text_document.uri, move |s, _| {
            #[allow(deprecated)]
            let symbols = navigate::document_symbols(&s.kb, &s.index, &s.text)
                .into_iter()
                .map(|sym| DocumentSymbol {
                    name: sym.name,
                    detail: Some(sym.detail),
                    kind: symbol_kind(sym.kind),
                    tags: None,
                    deprecated: None,
                    range: s.range(&sym.range),
                    selection_range: s.range(&sym.range),
                    children: None,
                })
                .collect();
            Some(DocumentSymbolResponse::Nested(symbols))
        })
        .await
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        let (kb, _) = self.shared.kb();
        let enc = self.shared.encoding();
        let query = params.query;
        tokio::task::spawn_blocking(move || {
            #[allow(deprecated)]
            let symbols: Vec<SymbolInformation> = navigate::workspace_symbols(&kb, &query, 100)
                .into_iter()
                .filter_map(|id| {
                    let e = &kb.entities[id];
                    let at = e.intro.clone().or_else(|| e.mentions.first().cloned())?;
                    Some(SymbolInformation {
                        name: e.name.clone(),
                        kind: entity_symbol_kind(e.kind),
                        tags: None,
                        deprecated: None,
                        location: article_location(&kb, at.article, &at.range, enc)?,
                        container_name: Some(e.kind.as_str().to_string()),
                    })
                })
                .collect();
            Some(WorkspaceSymbolResponse::Flat(symbols))
        })
        .await
        .map_err(internal)
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let p = params.text_document_position;
        self.with_snapshot(&p.text_document.uri, move |s, _| {
            let offset = s.offset(p.position)?;
            let items: Vec<CompletionItem> = navigate::completion(&s.kb, &s.text, offset, 200)
                .into_iter()
                .map(|c| CompletionItem {
                    label: c.label.clone(),
                    detail: Some(c.detail),
                    kind: Some(completion_kind(c.kind)),
                    filter_text: Some(c.label),
                    text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                        range: s.range(&c.replace),
                        new_text: c.insert,
                    })),
                    ..Default::default()
                })
                .collect();
            Some(CompletionResponse::Array(items))
        })
        .await
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        self.with_snapshot(&params.text_document.uri, move |s, _| {
            Some(
                navigate::document_links(&s.index)
                    .into_iter()
                    .filter_map(|(r, ix)| {
                        Some(DocumentLink {
                            range: s.range(&r),
                            target: Some(article_uri(&s.kb, ix)?),
                            tooltip: Some(
                                s.kb.article(ix)
                                    .article
                                    .title
                                    .clone()
                                    .unwrap_or_else(|| s.kb.article(ix).id().to_string()),
                            ),
                            data: None,
                        })
                    })
                    .collect(),
            )
        })
        .await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri.clone();
        let shared = self.shared.clone();
        self.with_snapshot(&params.text_document.uri, move |s, _| {
            let start = s.offset(params.range.start)?;
            let end = s.offset(params.range.end)?;
            let diags = shared.diagnostics_of(&uri, s);
            let lsp = s.lsp_diagnostics(&diags, &uri);
            let mut actions = Vec::new();
            for (d, ld) in diags.iter().zip(lsp) {
                if d.range.end < start || d.range.start > end {
                    continue;
                }
                for f in &d.fixes {
                    let edits = f
                        .edits
                        .iter()
                        .map(|(r, t)| TextEdit {
                            range: s.range(r),
                            new_text: t.clone(),
                        })
                        .collect();
                    actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                        title: f.title.clone(),
                        kind: Some(CodeActionKind::QUICKFIX),
                        diagnostics: Some(vec![ld.clone()]),
                        edit: Some(WorkspaceEdit {
                            changes: Some(HashMap::from([(uri.clone(), edits)])),
                            ..Default::default()
                        }),
                        is_preferred: Some(f.preferred),
                        ..Default::default()
                    }));
                }
            }
            Some(actions)
        })
        .await
    }
}
