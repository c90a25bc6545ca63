//! Framing guard between stdio and tower-lsp: a malformed message (bad header, invalid JSON) is answered with a
//! JSON-RPC parse error and dropped, instead of ending tower-lsp's input stream (its decoder stops reading at
//! the first undecodable body, which would silently stop the server).

use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;

/// Largest message accepted; larger bodies are skipped (and answered with an error).
const MAX_BODY: usize = 256 << 20;

/// One frame read from the input.
enum Frame {
    Body(Vec<u8>),
    /// Something unusable was read and skipped; the reason.
    Bad(String),
    Eof,
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

async fn read_frame<R: AsyncRead + Unpin>(r: &mut BufReader<R>) -> Frame {
    let mut len: Option<usize> = None;
    let mut saw_header = false;
    loop {
        let mut line = Vec::new();
        match r.read_until(b'\n', &mut line).await {
            Ok(0) => return Frame::Eof,
            Ok(_) => {}
            Err(e) => {
                return if saw_header {
                    Frame::Bad(e.to_string())
                } else {
                    Frame::Eof
                };
            }
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if !saw_header {
                continue; // Stray blank line between messages.
            }
            break;
        }
        saw_header = true;
        if let Some((name, value)) = text.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                len = value.trim().parse().ok();
            }
        } else {
            return Frame::Bad(format!("malformed header line {text:?}"));
        }
    }
    let Some(len) = len else {
        return Frame::Bad("message without a valid Content-Length".into());
    };
    if len > MAX_BODY {
        // Skip it without holding it in memory.
        let mut left = len as u64;
        let mut sink = tokio::io::sink();
        let mut limited = r.take(left);
        match tokio::io::copy(&mut limited, &mut sink).await {
            Ok(n) => left -= n,
            Err(e) => return Frame::Bad(e.to_string()),
        }
        let _ = left;
        return Frame::Bad(format!(
            "message of {len} bytes is over the {MAX_BODY}-byte limit"
        ));
    }
    let mut body = vec![0; len];
    match r.read_exact(&mut body).await {
        Ok(_) => Frame::Body(body),
        Err(_) => Frame::Eof,
    }
}

/// Copy frames from `input` to `to_server`, answering malformed ones on `out`.
async fn guard_input<R, W>(input: R, mut to_server: W, out: mpsc::UnboundedSender<Vec<u8>>)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut r = BufReader::new(input);
    loop {
        match read_frame(&mut r).await {
            Frame::Eof => break,
            Frame::Bad(why) => {
                tracing::error!("malformed message skipped: {why}");
                let e = json!({"jsonrpc": "2.0", "id": null, "error": {"code": -32700, "message": format!("Parse error: {why}")}});
                let _ = out.send(frame(e.to_string().as_bytes()));
            }
            Frame::Body(body) => match serde_json::from_slice::<serde_json::Value>(&body) {
                Ok(v) if v.is_object() => {
                    if to_server.write_all(&frame(&body)).await.is_err() {
                        break;
                    }
                }
                Ok(_) | Err(_) => {
                    let why = serde_json::from_slice::<serde_json::Value>(&body)
                        .err()
                        .map_or("not a JSON object".to_string(), |e| e.to_string());
                    tracing::error!("malformed message skipped: {why}");
                    let e = json!({"jsonrpc": "2.0", "id": null, "error": {"code": -32700, "message": format!("Parse error: {why}")}});
                    let _ = out.send(frame(e.to_string().as_bytes()));
                }
            },
        }
    }
    let _ = to_server.shutdown().await;
}

/// Copy whole frames written by the server to `out`.
async fn collect_output<R: AsyncRead + Unpin>(from_server: R, out: mpsc::UnboundedSender<Vec<u8>>) {
    let mut r = BufReader::new(from_server);
    while let Frame::Body(body) = read_frame(&mut r).await {
        if out.send(frame(&body)).is_err() {
            break;
        }
    }
}

/// Serve `service` on stdin/stdout behind the framing guard.
pub async fn serve<S>(service: S, socket: tower_lsp_server::ClientSocket)
where
    S: tower::Service<
            tower_lsp_server::jsonrpc::Request,
            Response = Option<tower_lsp_server::jsonrpc::Response>,
        > + Send
        + 'static,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    S::Future: Send,
{
    let (to_server_w, to_server_r) = tokio::io::duplex(1 << 20);
    let (from_server_w, from_server_r) = tokio::io::duplex(1 << 20);
    let (out_tx, mut out_rx) = mpsc::unbounded_channel::<Vec<u8>>();
    tokio::spawn(guard_input(tokio::io::stdin(), to_server_w, out_tx.clone()));
    let collector = tokio::spawn(collect_output(from_server_r, out_tx));
    let (done_tx, mut done_rx) = tokio::sync::oneshot::channel::<()>();
    let writer = tokio::spawn(async move {
        let mut stdout = tokio::io::stdout();
        loop {
            let f = tokio::select! {
                f = out_rx.recv() => f,
                _ = &mut done_rx => {
                    // Output is finished: write what is queued, then stop.
                    while let Ok(f) = out_rx.try_recv() {
                        let _ = stdout.write_all(&f).await;
                    }
                    let _ = stdout.flush().await;
                    break;
                }
            };
            let Some(f) = f else { break };
            if stdout.write_all(&f).await.is_err() || stdout.flush().await.is_err() {
                break;
            }
        }
    });
    tower_lsp_server::Server::new(to_server_r, from_server_w, socket)
        .serve(service)
        .await;
    // The server's end of the output pipe is closed now: let the last frames through.
    let _ = collector.await;
    let _ = done_tx.send(());
    let _ = tokio::time::timeout(std::time::Duration::from_secs(2), writer).await;
}
