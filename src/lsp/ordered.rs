//! The service layer between the transport and tower-lsp: applies document changes synchronously in the order
//! the messages arrive (tower-lsp runs handlers concurrently), and turns a panic in any handler into an error
//! response instead of a dead server.

use super::{Shared, lock};
use futures::FutureExt;
use futures::future::BoxFuture;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::task::{Context, Poll};
use tower::Service;
use tower_lsp_server::jsonrpc::{Error, Request, Response};
use tower_lsp_server::ls_types::{
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
};

/// Wraps the tower-lsp service.
pub struct Ordered<S> {
    inner: S,
    shared: Arc<Shared>,
}

impl<S> Ordered<S> {
    pub fn new(inner: S, shared: Arc<Shared>) -> Self {
        Ordered { inner, shared }
    }

    /// Apply a text-synchronisation notification now, before any later message is looked at.
    fn apply(&self, req: &Request) {
        let params = req.params().cloned().unwrap_or(serde_json::Value::Null);
        match req.method() {
            "textDocument/didOpen" => {
                match serde_json::from_value::<DidOpenTextDocumentParams>(params) {
                    Ok(p) => lock(&self.shared.docs).open(
                        p.text_document.uri,
                        &p.text_document.text,
                        p.text_document.version,
                    ),
                    Err(e) => tracing::error!("malformed didOpen: {e}"),
                }
            }
            "textDocument/didChange" => {
                match serde_json::from_value::<DidChangeTextDocumentParams>(params) {
                    Ok(p) => {
                        let enc = self.shared.encoding();
                        let uri = p.text_document.uri;
                        match lock(&self.shared.docs).change(
                            &uri,
                            p.text_document.version,
                            &p.content_changes,
                            enc,
                        ) {
                            Ok(0) => {}
                            Ok(n) => tracing::warn!(
                                "{}: {n} change position(s) outside the document were clamped",
                                uri.as_str()
                            ),
                            Err(e) => tracing::warn!("{}: change ignored: {e}", uri.as_str()),
                        }
                    }
                    Err(e) => tracing::error!("malformed didChange: {e}"),
                }
            }
            "textDocument/didClose" => {
                match serde_json::from_value::<DidCloseTextDocumentParams>(params) {
                    Ok(p) => {
                        if !lock(&self.shared.docs).close(&p.text_document.uri) {
                            tracing::warn!(
                                "{}: closed but was not open",
                                p.text_document.uri.as_str()
                            );
                        }
                    }
                    Err(e) => tracing::error!("malformed didClose: {e}"),
                }
            }
            _ => {}
        }
    }
}

impl<S> Service<Request> for Ordered<S>
where
    S: Service<Request, Response = Option<Response>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
{
    type Response = Option<Response>;
    type Error = S::Error;
    type Future = BoxFuture<'static, Result<Option<Response>, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let id = req.id().cloned();
        let method = req.method().to_string();
        let applied = std::panic::catch_unwind(AssertUnwindSafe(|| self.apply(&req)));
        if applied.is_err() {
            tracing::error!("panic while applying {method}; the document may be out of date");
        }
        let fut = self.inner.call(req);
        Box::pin(async move {
            match AssertUnwindSafe(fut).catch_unwind().await {
                Ok(r) => r,
                Err(panic) => {
                    let what = panic
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| panic.downcast_ref::<String>().cloned())
                        .unwrap_or_default();
                    tracing::error!("panic in the {method} handler: {what}");
                    Ok(id.map(|id| {
                        let mut e = Error::internal_error();
                        e.message = format!("internal error in {method}: {what}").into();
                        Response::from_error(id, e)
                    }))
                }
            }
        })
    }
}
