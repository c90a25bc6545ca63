//! The language server: the only module that knows the protocol. It keeps open documents, loads and watches
//! the corpus off the async threads, and turns analysis results (byte offsets) into LSP positions in the
//! encoding negotiated at `initialize`. Laid out as in rust-analyzer: `server` (state, snapshots),
//! `handlers` (one per request), `convert` (to and from protocol types), `workspace` (settings, corpus
//! loading, watching), with `documents` (the texts), `ordered` (arrival order) and `transport` (framing).

mod background;
mod convert;
mod documents;
mod handlers;
mod ordered;
mod server;
mod transport;
mod workspace;

pub use documents::{Applied, ChangeError, DocSnapshot, Documents, char_index};
pub use server::{Backend, NOTE_SIZE_LIMIT, Settings, Shared, StatusNotification};

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tower_lsp_server::LspService;

/// Serve LSP on stdin/stdout until `exit` or end of input.
pub fn run_stdio() {
    // A panic in a handler is answered as an error by the ordered layer; log it once, to stderr, as a log line.
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map_or(String::new(), |l| format!(" at {}:{}", l.file(), l.line()));
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        tracing::error!("panic{at}: {what}");
    }));
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .on_thread_start(background::answer_promptly)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("dossier: cannot start the async runtime: {e}");
            return;
        }
    };
    let shared = Arc::new(Shared::new());
    let s2 = shared.clone();
    runtime.block_on(async {
        let s3 = s2.clone();
        let mut builder = LspService::build(move |client| {
            let _ = s3.client.set(client.clone());
            Backend {
                client,
                shared: s3.clone(),
            }
        });
        // Test hooks: a request that panics, to show a panic in a handler does not take the server down, and
        // one that works for a while, to show long work stops when cancelled.
        if std::env::var_os("DOSSIER_TEST_HOOKS").is_some() {
            builder = builder
                .custom_method("dossier/testPanic", Backend::test_panic)
                .custom_method("dossier/testSlow", Backend::test_slow);
        }
        let (service, socket) = builder.finish();
        let hung_up = s2.hung_up.clone();
        let service = ordered::Ordered::new(service, s2);
        transport::serve(service, socket, hung_up).await;
    });
    // Work still running on the blocking pool is abandoned here, except the merged knowledge base being stored
    // (a few tenths of a second); the process ends with `main`.
    runtime.shutdown_timeout(Duration::from_millis(200));
    shared.finish_saving();
    let code = shared.exit_code.load(Ordering::SeqCst);
    if code != 0 {
        tracing::warn!("exit without shutdown: exit status {code}");
        std::process::exit(code);
    }
}
