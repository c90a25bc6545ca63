//! The service layer between the transport and tower-lsp: applies document changes synchronously in the order
//! the messages arrive (tower-lsp runs handlers concurrently), pins each request to the document version
//! current at its arrival, keeps the protocol's lifecycle rules (no documents before `initialize`, `exit`
//! status, unknown `$/` requests answered), and turns a panic in any handler into an error response instead
//! of a dead server.

use super::server::{PINNED, Shared, lock};
use futures::FutureExt;
use futures::future::BoxFuture;
use std::panic::AssertUnwindSafe;
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use tower::Service;
use tower_lsp_server::jsonrpc::{Error, Request, Response};
use tower_lsp_server::ls_types::{
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
};
use tower_lsp_server::ls_types::{MessageType, Uri};

/// Holds later messages back while `initialize` runs. tower-lsp counts the server as uninitialised until the
/// `initialize` handler has finished, and drops notifications that arrive meanwhile: an `initialized` sent
/// right after `initialize`, without waiting for its answer, was lost and the corpus never loaded.
#[derive(Default)]
struct InitGate {
    busy: AtomicBool,
    waker: Mutex<Option<Waker>>,
}

impl InitGate {
    fn open(&self) {
        self.busy.store(false, Ordering::SeqCst);
        if let Some(w) = lock(&self.waker).take() {
            w.wake();
        }
    }
}

/// Wraps the tower-lsp service.
pub struct Ordered<S> {
    inner: S,
    shared: Arc<Shared>,
    init: Arc<InitGate>,
}

impl<S> Ordered<S> {
    pub fn new(inner: S, shared: Arc<Shared>) -> Self {
        Ordered {
            inner,
            shared,
            init: Arc::new(InitGate::default()),
        }
    }

    /// Apply a text-synchronisation notification now, before any later message is looked at.
    fn apply(&self, req: &Request) {
        let method = req.method();
        if method.starts_with("textDocument/did") && !self.shared.initialized.load(Ordering::SeqCst)
        {
            tracing::warn!("{method} before initialize ignored");
            return;
        }
        let params = req.params().cloned().unwrap_or(serde_json::Value::Null);
        match method {
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
                        let applied = lock(&self.shared.docs).change(
                            &uri,
                            p.text_document.version,
                            &p.content_changes,
                            enc,
                        );
                        match applied {
                            Ok(a) => {
                                if a.clamped > 0 {
                                    tracing::warn!(
                                        "{}: {} change position(s) outside the document were clamped",
                                        uri.as_str(),
                                        a.clamped
                                    );
                                }
                                if let Some(before) = a.not_newer_than {
                                    self.warn_user(format!(
                                        "Dossier: the editor sent version {} of {} after version {before}; the change was applied as sent. If the note looks out of step, close and reopen it.",
                                        p.text_document.version,
                                        uri.as_str()
                                    ));
                                }
                            }
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

    /// Say something to the user (and the log), without waiting.
    fn warn_user(&self, message: String) {
        tracing::warn!("{message}");
        if let Some(client) = self.shared.client.get() {
            let client = client.clone();
            tokio::spawn(async move { client.show_message(MessageType::WARNING, message).await });
        }
    }

    /// The document a request is about, as it is now.
    fn pin(&self, req: &Request) -> Option<(Uri, super::documents::DocSnapshot)> {
        req.id()?;
        let uri = req.params()?.get("textDocument")?.get("uri")?.as_str()?;
        let uri = Uri::from_str(uri).ok()?;
        let snap = lock(&self.shared.docs).snapshot(&uri)?;
        Some((uri, snap))
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
        if self.init.busy.load(Ordering::SeqCst) {
            *lock(&self.init.waker) = Some(cx.waker().clone());
            if self.init.busy.load(Ordering::SeqCst) {
                return Poll::Pending;
            }
        }
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let id = req.id().cloned();
        let method = req.method().to_string();
        match method.as_str() {
            "initialize" => {
                self.shared.initialized.store(true, Ordering::SeqCst);
                self.init.busy.store(true, Ordering::SeqCst);
            }
            "shutdown" => self.shared.shutting_down.store(true, Ordering::SeqCst),
            // The protocol: exit status 0 after `shutdown`, 1 without.
            "exit" => self.shared.exit_code.store(
                if self.shared.shutting_down.load(Ordering::SeqCst) {
                    0
                } else {
                    1
                },
                Ordering::SeqCst,
            ),
            m if m.starts_with("$/") => {
                // tower-lsp drops every `$/` message; a request among them still needs an answer.
                if let Some(id) = id {
                    let mut e = Error::method_not_found();
                    e.message = format!("unknown method {m}").into();
                    return Box::pin(async move { Ok(Some(Response::from_error(id, e))) });
                }
            }
            _ => {}
        }
        let applied = std::panic::catch_unwind(AssertUnwindSafe(|| self.apply(&req)));
        if applied.is_err() {
            tracing::error!("panic while applying {method}; the document may be out of date");
        }
        let pinned = self.pin(&req);
        let fut = PINNED.scope(pinned, self.inner.call(req));
        let gate = (method == "initialize").then(|| self.init.clone());
        Box::pin(async move {
            let result = AssertUnwindSafe(fut).catch_unwind().await;
            if let Some(g) = gate {
                g.open();
            }
            match result {
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
