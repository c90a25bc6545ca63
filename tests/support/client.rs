//! A small LSP client for end-to-end tests and benchmarks: spawns the real `dossier lsp` binary and speaks
//! JSON-RPC over its stdio, collecting notifications as they arrive.
#![allow(dead_code)]

use serde_json::{Value, json};
use std::collections::VecDeque;
use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// A running server and the client's side of the conversation.
pub struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    /// Notifications and server requests received while waiting for something else.
    pub backlog: VecDeque<Value>,
    next_id: i64,
    pub timeout: Duration,
}

fn read_message(r: &mut impl BufRead) -> Option<Value> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length:") {
            len = v.trim().parse::<usize>().ok();
        }
    }
    let mut buf = vec![0; len?];
    r.read_exact(&mut buf).ok()?;
    serde_json::from_slice(&buf).ok()
}

impl Client {
    /// Spawn `binary lsp` in `cwd`.
    pub fn spawn(binary: &Path, cwd: &Path) -> Client {
        Client::spawn_with(binary, cwd, &[], Stdio::inherit())
    }

    /// Spawn `binary lsp` in `cwd` with these environment variables (over the defaults) and its log (stderr)
    /// going to `log`.
    pub fn spawn_with(binary: &Path, cwd: &Path, env: &[(&str, &OsStr)], log: Stdio) -> Client {
        let mut cmd = Command::new(binary);
        cmd.arg("lsp")
            .current_dir(cwd)
            .env("DOSSIER_LOG", "warn")
            .env("DOSSIER_TEST_HOOKS", "1")
            // The index of extractions goes to the build folder, not the user's cache.
            .env(
                "DOSSIER_CACHE_DIR",
                concat!(env!("CARGO_TARGET_TMPDIR"), "/dossier-cache"),
            );
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .expect("spawn dossier lsp");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Some(v) = read_message(&mut r) {
                if tx.send(v).is_err() {
                    break;
                }
            }
        });
        Client {
            child,
            stdin: Some(stdin),
            incoming: rx,
            backlog: VecDeque::new(),
            next_id: 1,
            timeout: Duration::from_secs(30),
        }
    }

    pub fn send(&mut self, msg: &Value) {
        let body = serde_json::to_vec(msg).expect("serialise");
        let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        out.extend(body);
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(&out).expect("write to server");
        stdin.flush().expect("flush");
    }

    /// Send raw bytes (for malformed-message tests).
    pub fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).expect("write to server");
        stdin.flush().expect("flush");
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Send a request without waiting; returns its id.
    pub fn request_async(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    fn recv(&mut self, deadline: Instant) -> Option<Value> {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.incoming.recv_timeout(left) {
            Ok(v) => Some(v),
            Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => None,
        }
    }

    /// Answer requests the server makes of the client (progress tokens, applyEdit, configuration).
    fn answer_server_request(&mut self, msg: &Value) {
        if let (Some(id), Some(method)) =
            (msg.get("id"), msg.get("method").and_then(|m| m.as_str()))
        {
            let result = match method {
                "workspace/applyEdit" => json!({"applied": true}),
                "workspace/configuration" => json!([]),
                _ => Value::Null,
            };
            self.send(&json!({"jsonrpc": "2.0", "id": id, "result": result}));
        }
    }

    /// Wait for the response to request `id` (or take it from the backlog); the full response (with `result`
    /// or `error`).
    pub fn response(&mut self, id: i64) -> Value {
        let is_it = |m: &Value| m.get("id") == Some(&json!(id)) && m.get("method").is_none();
        if let Some(i) = self.backlog.iter().position(is_it) {
            return self.backlog.remove(i).expect("index in range");
        }
        let deadline = Instant::now() + self.timeout;
        loop {
            let msg = self
                .recv(deadline)
                .unwrap_or_else(|| panic!("no response to request {id}"));
            if is_it(&msg) {
                return msg;
            }
            self.answer_server_request(&msg);
            self.backlog.push_back(msg);
        }
    }

    /// Send a request and wait for its result (panics on an error response).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.request_async(method, params);
        let r = self.response(id);
        if let Some(e) = r.get("error") {
            panic!("{method} failed: {e}");
        }
        r["result"].clone()
    }

    /// Wait for a notification (or server request) matching `pred`, looking at the backlog first.
    pub fn wait_for(&mut self, what: &str, mut pred: impl FnMut(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&mut pred) {
            return self.backlog.remove(i).expect("index in range");
        }
        let deadline = Instant::now() + self.timeout;
        loop {
            let msg = self
                .recv(deadline)
                .unwrap_or_else(|| panic!("timed out waiting for {what}"));
            self.answer_server_request(&msg);
            if pred(&msg) {
                return msg;
            }
            self.backlog.push_back(msg);
        }
    }

    /// `initialize` + `initialized`, offering the given position encodings.
    pub fn initialize(&mut self, root: &Path, encodings: &[&str], options: Value) -> Value {
        let root_uri = file_uri(root);
        let result = self.request(
            "initialize",
            json!({
                "processId": std::process::id(),
                "rootUri": root_uri,
                "workspaceFolders": [{"uri": root_uri, "name": "workspace"}],
                "initializationOptions": options,
                "capabilities": {
                    "general": {"positionEncodings": encodings},
                    "window": {"workDoneProgress": true},
                    "textDocument": {
                        "hover": {"contentFormat": ["markdown", "plaintext"]},
                        "definition": {"linkSupport": true},
                        "publishDiagnostics": {"relatedInformation": true, "versionSupport": true}
                    },
                    "workspace": {"applyEdit": true}
                }
            }),
        );
        self.notify("initialized", json!({}));
        result
    }

    /// Whether a notification matching `pred` has come (and waits in the backlog), without waiting for one.
    pub fn has_come(&mut self, mut pred: impl FnMut(&Value) -> bool) -> bool {
        while let Ok(msg) = self.incoming.try_recv() {
            self.answer_server_request(&msg);
            self.backlog.push_back(msg);
        }
        self.backlog.iter().any(&mut pred)
    }

    /// Wait until the server says the corpus is loaded.
    pub fn wait_ready(&mut self) -> Value {
        self.wait_for("dossier/status ready", |m| {
            m["method"] == "dossier/status"
                && matches!(m["params"]["state"].as_str(), Some("ready" | "no-corpus"))
        })
    }

    pub fn open(&mut self, uri: &str, text: &str, version: i32) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": version, "text": text}}),
        );
    }

    /// Wait for diagnostics of `uri` published for exactly `version`.
    pub fn diagnostics(&mut self, uri: &str, version: i32) -> Vec<Value> {
        let msg = self.wait_for(&format!("diagnostics for {uri} v{version}"), |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
        });
        msg["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// `shutdown` + `exit`, and the exit status.
    pub fn shutdown(mut self) -> std::process::ExitStatus {
        let _ = self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        wait_exit(&mut self.child, Duration::from_secs(10))
    }

    /// Close stdin without saying goodbye, and the exit status.
    pub fn hang_up(mut self) -> std::process::ExitStatus {
        drop(self.stdin.take());
        wait_exit(&mut self.child, Duration::from_secs(10))
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

fn wait_exit(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(s) = child.try_wait().expect("wait") {
            return s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("server did not exit within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `file://` URI of a path (absolute, percent-encoding the few characters our fixtures could contain).
pub fn file_uri(p: &Path) -> String {
    let p = std::path::absolute(p).expect("absolute path");
    let s = p.to_string_lossy().replace('%', "%25").replace(' ', "%20");
    format!("file://{s}")
}

/// Zero-based LSP position of the `n`th occurrence (0-based) of `needle` in `text`, in `encoding`.
pub fn position_of(text: &str, needle: &str, n: usize, encoding: &str) -> Value {
    let at = text
        .match_indices(needle)
        .nth(n)
        .unwrap_or_else(|| panic!("{needle:?} not in text"))
        .0;
    position_at(text, at, encoding)
}

/// Zero-based LSP position of byte offset `at`.
pub fn position_at(text: &str, at: usize, encoding: &str) -> Value {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..at].matches('\n').count();
    let prefix = &text[line_start..at];
    let character = match encoding {
        "utf-8" => prefix.len(),
        "utf-32" => prefix.chars().count(),
        _ => prefix.encode_utf16().count(),
    };
    json!({"line": line, "character": character})
}

/// Peak resident memory of a process in KiB (Linux), while it runs.
pub fn peak_rss_kib(pid: u32) -> Option<u64> {
    status_kib(pid, "VmHWM:")
}

/// The resident memory of a process now, in KiB (Linux only).
#[allow(dead_code)]
pub fn rss_kib(pid: u32) -> Option<u64> {
    status_kib(pid, "VmRSS:")
}

/// A field of `/proc/PID/status` given in KiB.
fn status_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}
