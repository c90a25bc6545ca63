//! Framing guard between stdio and tower-lsp: a malformed message (bad header, wrong `Content-Length`, invalid
//! JSON, or JSON that is not a JSON-RPC 2.0 message) is answered with an error and dropped, and reading
//! resynchronises on the next `Content-Length:` header. tower-lsp's decoder stops reading for good at the first
//! message it cannot decode, so nothing it would reject is passed on.

use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;

/// Largest message accepted; larger bodies are skipped (and answered with an error).
const MAX_BODY: usize = 256 << 20;
/// Longest header block looked at before the bytes are taken for garbage.
const MAX_HEADER: usize = 8 << 10;
/// How long requests still running when the input closes may take to finish before the server stops anyway.
const HANGUP_GRACE: Duration = Duration::from_secs(2);

const CONTENT_LENGTH: &[u8] = b"content-length:";

/// One frame read from the input.
#[derive(Debug, PartialEq)]
pub(crate) enum Frame {
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

/// Position of `needle` (lowercase ASCII) in `hay`, ignoring ASCII case.
fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if hay.len() < needle.len() {
        return None;
    }
    (0..=hay.len() - needle.len()).find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// Where a header block ends: the index just past its blank line, and the header text.
fn header_end(b: &[u8]) -> Option<usize> {
    let crlf = b.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4);
    let lf = b.windows(2).position(|w| w == b"\n\n").map(|i| i + 2);
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The `Content-Length` of a header block, or `None` if the block is not made of `Name: value` lines.
fn parse_headers(block: &[u8]) -> Option<usize> {
    let text = std::str::from_utf8(block).ok()?;
    let mut len = None;
    for line in text.split('\n').map(|l| l.trim_end_matches('\r')) {
        if line.is_empty() {
            continue;
        }
        let (name, value) = line.split_once(':')?;
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return None;
        }
        if name.eq_ignore_ascii_case("content-length") {
            len = Some(value.trim().parse::<usize>().ok()?);
        }
    }
    len
}

/// Reads frames from a byte stream, recovering from framing faults.
pub(crate) struct FrameReader<R> {
    r: R,
    buf: Vec<u8>,
    pos: usize,
    eof: bool,
    /// Looking for the next `Content-Length:` after garbage or a bad body.
    resync: bool,
}

impl<R: AsyncRead + Unpin> FrameReader<R> {
    pub(crate) fn new(r: R) -> Self {
        FrameReader {
            r,
            buf: Vec::new(),
            pos: 0,
            eof: false,
            resync: false,
        }
    }

    /// Read more input; false at the end of it.
    async fn fill(&mut self) -> bool {
        if self.eof {
            return false;
        }
        if self.pos > 0 && self.pos * 2 >= self.buf.len() {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        let mut chunk = [0u8; 64 << 10];
        match self.r.read(&mut chunk).await {
            Ok(0) | Err(_) => {
                self.eof = true;
                false
            }
            Ok(n) => {
                self.buf.extend_from_slice(&chunk[..n]);
                true
            }
        }
    }

    fn rest(&self) -> &[u8] {
        &self.buf[self.pos..]
    }

    /// The next frame.
    pub(crate) async fn next(&mut self) -> Frame {
        loop {
            if self.resync {
                match find_ci(self.rest(), CONTENT_LENGTH) {
                    Some(i) => {
                        self.pos += i;
                        self.resync = false;
                    }
                    None => {
                        // Keep a tail that could be the start of a header split across reads.
                        let keep = self.rest().len().min(CONTENT_LENGTH.len() - 1);
                        self.pos = self.buf.len() - keep;
                        if !self.fill().await {
                            return Frame::Eof;
                        }
                        continue;
                    }
                }
            }
            // Blank lines between messages are harmless.
            let skip = self
                .rest()
                .iter()
                .take_while(|b| b.is_ascii_whitespace())
                .count();
            self.pos += skip;
            let Some(end) = header_end(self.rest()) else {
                if self.rest().len() > MAX_HEADER {
                    return self.garbage("header block too long");
                }
                if !self.fill().await {
                    return Frame::Eof;
                }
                continue;
            };
            let Some(len) = parse_headers(&self.rest()[..end]) else {
                return self.garbage("malformed header");
            };
            let body_start = self.pos + end;
            if len > MAX_BODY {
                return self.skip_body(body_start, len).await;
            }
            // `fill` compacts only bytes before `pos`, so offsets are kept relative to it.
            while self.buf.len() < self.pos + end + len {
                if !self.fill().await {
                    return Frame::Eof;
                }
            }
            let body_start = self.pos + end;
            let body = &self.buf[body_start..body_start + len];
            // Syntax only: nothing is built, however large the message.
            match serde_json::from_slice::<IgnoredAny>(body) {
                Ok(_) => {
                    let body = body.to_vec();
                    self.pos = body_start + len;
                    return Frame::Body(body);
                }
                Err(e) => {
                    // A wrong Content-Length shows as invalid JSON: look for the next header from just
                    // after this one (it may start inside the declared body, when the length was too long).
                    self.pos = body_start;
                    self.resync = true;
                    return Frame::Bad(format!(
                        "invalid JSON ({e}); the Content-Length may be wrong"
                    ));
                }
            }
        }
    }

    fn garbage(&mut self, why: &str) -> Frame {
        self.pos += 1;
        self.resync = true;
        Frame::Bad(format!("{why}; skipped to the next Content-Length header"))
    }

    async fn skip_body(&mut self, body_start: usize, len: usize) -> Frame {
        let mut left = len;
        let have = (self.buf.len() - body_start).min(left);
        left -= have;
        self.pos = body_start + have;
        while left > 0 {
            self.buf.clear();
            self.pos = 0;
            if !self.fill().await {
                return Frame::Eof;
            }
            let n = self.buf.len().min(left);
            left -= n;
            self.pos = n;
        }
        Frame::Bad(format!(
            "message of {len} bytes is over the {MAX_BODY}-byte limit"
        ))
    }
}

/// The fields of a message that decide whether tower-lsp can decode it; everything else (the params, a
/// result) is skipped without being built.
#[derive(Deserialize)]
struct Envelope {
    #[serde(default)]
    jsonrpc: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    id: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    method: Option<Value>,
    #[serde(default, deserialize_with = "skipped")]
    result: Option<()>,
    #[serde(default, deserialize_with = "skipped")]
    error: Option<()>,
}

/// A field that is there, even when it is `null`.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

fn skipped<'de, D: Deserializer<'de>>(d: D) -> Result<Option<()>, D::Error> {
    IgnoredAny::deserialize(d).map(|_| Some(()))
}

/// Why a message body is not a message tower-lsp can decode, if it is not, and the id an error response can
/// carry. (tower-lsp accepts a request or notification with `"jsonrpc": "2.0"`, a string method if any,
/// and an id that is a string, an integer or null; this check accepts only those.)
pub(crate) fn invalid_message(body: &[u8]) -> Option<(&'static str, Value)> {
    let Ok(m) = serde_json::from_slice::<Envelope>(body) else {
        return Some(("not a JSON object", Value::Null));
    };
    let id = match &m.id {
        Some(Value::String(s)) => Value::String(s.clone()),
        Some(Value::Number(n)) if n.as_i64().is_some() => Value::Number(n.clone()),
        _ => Value::Null,
    };
    let why = if m.jsonrpc.as_ref().and_then(Value::as_str) != Some("2.0") {
        "\"jsonrpc\" must be \"2.0\""
    } else if !matches!(&m.id, None | Some(Value::Null) | Some(Value::String(_))) && id.is_null() {
        "the id must be a string, an integer or null"
    } else if !matches!(&m.method, None | Some(Value::String(_))) {
        "the method must be a string"
    } else if m.method.is_none() && m.result.is_none() && m.error.is_none() {
        "neither a request, a notification nor a response"
    } else {
        return None;
    };
    Some((why, id))
}

fn error_frame(id: Value, code: i64, message: String) -> Vec<u8> {
    let e = json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}});
    frame(e.to_string().as_bytes())
}

/// Copy frames from `input` to `to_server`, answering malformed ones on `out`.
async fn guard_input<R, W>(input: R, mut to_server: W, out: mpsc::UnboundedSender<Vec<u8>>)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut r = FrameReader::new(input);
    loop {
        match r.next().await {
            Frame::Eof => break,
            Frame::Bad(why) => {
                tracing::error!("malformed message skipped: {why}");
                let _ = out.send(error_frame(
                    Value::Null,
                    -32700,
                    format!("Parse error: {why}"),
                ));
            }
            Frame::Body(body) => {
                if let Some((why, id)) = invalid_message(&body) {
                    tracing::error!("invalid JSON-RPC message skipped: {why}");
                    let _ = out.send(error_frame(id, -32600, format!("Invalid request: {why}")));
                    continue;
                }
                if to_server.write_all(&frame(&body)).await.is_err() {
                    break;
                }
            }
        }
    }
    let _ = to_server.shutdown().await;
}

/// Copy whole frames written by the server to `out`.
async fn collect_output<R: AsyncRead + Unpin>(from_server: R, out: mpsc::UnboundedSender<Vec<u8>>) {
    let mut r = FrameReader::new(from_server);
    while let Frame::Body(body) = r.next().await {
        if out.send(frame(&body)).is_err() {
            break;
        }
    }
}

/// Serve `service` on stdin/stdout behind the framing guard. When the input ends, requests still running get
/// a short grace and are then abandoned (`hung_up` is set, so that work in progress can stop early).
pub async fn serve<S>(service: S, socket: tower_lsp_server::ClientSocket, hung_up: Arc<AtomicBool>)
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
    let input = tokio::spawn(guard_input(tokio::io::stdin(), to_server_w, out_tx.clone()));
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
    let server = tower_lsp_server::Server::new(to_server_r, from_server_w, socket).serve(service);
    let hangup = async {
        let _ = input.await;
        hung_up.store(true, Ordering::SeqCst);
        tokio::time::sleep(HANGUP_GRACE).await;
    };
    tokio::select! {
        _ = server => {
            // The server's end of the output pipe is closed now: let the last frames through.
            let _ = collector.await;
        }
        _ = hangup => {
            tracing::info!("input closed; abandoning requests still running");
            hung_up.store(true, Ordering::SeqCst);
            let _ = tokio::time::timeout(Duration::from_millis(100), collector).await;
        }
    }
    let _ = done_tx.send(());
    let _ = tokio::time::timeout(Duration::from_secs(2), writer).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8]) -> Vec<Frame> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        rt.block_on(async {
            let mut r = FrameReader::new(input);
            let mut out = Vec::new();
            loop {
                match r.next().await {
                    Frame::Eof => break,
                    f => out.push(f),
                }
            }
            out
        })
    }

    fn msg(id: i64) -> Vec<u8> {
        frame(format!(r#"{{"jsonrpc":"2.0","id":{id},"method":"shutdown"}}"#).as_bytes())
    }

    fn bodies(f: &[Frame]) -> Vec<String> {
        f.iter()
            .filter_map(|f| match f {
                Frame::Body(b) => Some(String::from_utf8_lossy(b).into_owned()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn well_formed_frames_pass_unchanged() {
        let mut input = msg(1);
        input.extend(b"\r\n");
        input.extend(msg(2));
        let f = frames(&input);
        assert_eq!(f.len(), 2);
        assert_eq!(bodies(&f).len(), 2);
    }

    #[test]
    fn content_length_off_by_ten_either_way_resynchronises() {
        for delta in [-10i64, 10] {
            let body = br#"{"jsonrpc":"2.0","id":1,"method":"shutdown","params":null}"#;
            let mut input =
                format!("Content-Length: {}\r\n\r\n", body.len() as i64 + delta).into_bytes();
            input.extend_from_slice(body);
            input.extend(msg(2));
            input.extend(msg(3));
            let f = frames(&input);
            let b = bodies(&f);
            assert!(
                b.last().is_some_and(|s| s.contains("\"id\":3")),
                "{delta}: {f:?}"
            );
            if delta < 0 {
                assert!(b.iter().any(|s| s.contains("\"id\":2")), "{delta}: {f:?}");
            }
            assert!(f.iter().any(|f| matches!(f, Frame::Bad(_))), "{delta}");
        }
    }

    #[test]
    fn garbage_and_bad_headers_are_skipped() {
        let mut input = b"hello there\r\n\r\n".to_vec();
        input.extend(b"Content-Length: abc\r\n\r\n{}");
        input.extend(msg(7));
        let f = frames(&input);
        assert_eq!(bodies(&f).len(), 1, "{f:?}");
    }

    #[test]
    fn json_that_is_not_json_rpc_is_recognised() {
        for bad in [
            json!({}),
            json!({"jsonrpc": "1.0", "id": 1, "method": "x"}),
            json!({"jsonrpc": "2.0", "id": [1], "method": "x"}),
            json!({"jsonrpc": "2.0", "id": 1.5, "method": "x"}),
            json!({"id": 1, "method": "x"}),
            json!({"jsonrpc": "2.0", "id": 1, "method": 3}),
            json!([1, 2]),
        ] {
            assert!(
                invalid_message(bad.to_string().as_bytes()).is_some(),
                "{bad}"
            );
        }
        for good in [
            json!({"jsonrpc": "2.0", "id": 1, "method": "x"}),
            json!({"jsonrpc": "2.0", "id": "a", "method": "x", "params": {}}),
            json!({"jsonrpc": "2.0", "method": "x"}),
            json!({"jsonrpc": "2.0", "id": 1, "result": null}),
        ] {
            assert_eq!(invalid_message(good.to_string().as_bytes()), None, "{good}");
        }
    }

    /// A small deterministic generator for the bounded property tests.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n.max(1) as u64) as usize
        }
    }

    /// Input that arrives in pieces of random size.
    struct Chunked {
        data: Vec<u8>,
        pos: usize,
        rng: Rng,
    }

    impl AsyncRead for Chunked {
        fn poll_read(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
            buf: &mut tokio::io::ReadBuf<'_>,
        ) -> std::task::Poll<std::io::Result<()>> {
            let n = (1 + self.rng.below(40))
                .min(buf.remaining())
                .min(self.data.len() - self.pos);
            let at = self.pos;
            buf.put_slice(&self.data[at..at + n]);
            self.pos += n;
            std::task::Poll::Ready(Ok(()))
        }
    }

    fn read_all(input: Chunked) -> Vec<Frame> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        rt.block_on(async {
            let mut r = FrameReader::new(input);
            let mut out = Vec::new();
            loop {
                match r.next().await {
                    Frame::Eof => break,
                    f => out.push(f),
                }
            }
            out
        })
    }

    #[test]
    fn property_any_chunking_with_junk_or_one_wrong_length_loses_only_that_message() {
        const JUNK: &[&[u8]] = &[
            b"x",
            b"}}",
            b"\r\n\r\n",
            b"Content-Type: a\r\n\r\n",
            b"{\"a\":",
            b"\xff\xfe",
        ];
        for seed in 1..=300u64 {
            let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let count = 2 + rng.below(6);
            let wrong = (rng.below(3) == 0).then(|| rng.below(count));
            let mut data = Vec::new();
            let mut expect = Vec::new();
            for id in 0..count {
                let text = "é🇰🇪\\\"".repeat(rng.below(5));
                let body =
                    json!({"jsonrpc": "2.0", "id": id, "method": "m", "params": {"t": text}})
                        .to_string()
                        .into_bytes();
                let mut len = body.len();
                if wrong == Some(id) {
                    len = if rng.below(2) == 0 {
                        len.saturating_sub(1 + rng.below(len))
                    } else {
                        len + 1 + rng.below(20)
                    };
                } else if wrong != Some(id.wrapping_sub(1)) {
                    expect.push(id);
                }
                data.extend(format!("Content-Length: {len}\r\n\r\n").into_bytes());
                data.extend(&body);
                if wrong.is_none() && rng.below(3) == 0 {
                    data.extend(JUNK[rng.below(JUNK.len())]);
                    if rng.below(2) == 0 {
                        data.extend(b"\r\n");
                    }
                }
            }
            let frames = read_all(Chunked {
                data,
                pos: 0,
                rng: Rng(seed + 7),
            });
            let got: Vec<usize> = frames
                .iter()
                .filter_map(|f| match f {
                    Frame::Body(b) => serde_json::from_slice::<Value>(b).ok()?["id"]
                        .as_u64()
                        .map(|i| i as usize),
                    _ => None,
                })
                .collect();
            for id in &expect {
                assert!(
                    got.contains(id),
                    "seed {seed}: lost {id}, got {got:?}, wrong {wrong:?}"
                );
            }
            assert!(got.windows(2).all(|w| w[0] < w[1]), "seed {seed}: {got:?}");
        }
    }
}
