//! Reliability of `dossier lsp` against protocol faults, hostile inputs and lifecycle corner cases (issue 11):
//! the real binary over stdio, on the bundled example workspace or a temporary corpus.

mod cli_support;
mod support;

use cli_support::TempDir;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use support::client::{Client, file_uri, position_of};

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_dossier"))
}

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn server() -> Client {
    let mut c = Client::spawn(&bin(), &fixtures());
    c.initialize(&fixtures(), &["utf-16"], json!({}));
    let ready = c.wait_ready();
    assert_eq!(ready["params"]["state"], "ready", "{ready}");
    c
}

fn note_uri(name: &str) -> String {
    file_uri(&fixtures().join("notes").join(name))
}

fn hover_text(c: &mut Client, uri: &str, pos: Value) -> String {
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": pos}),
    );
    r["contents"]["value"].as_str().unwrap_or("").to_string()
}

fn frame(body: &[u8], declared: usize) -> Vec<u8> {
    let mut out = format!("Content-Length: {declared}\r\n\r\n").into_bytes();
    out.extend_from_slice(body);
    out
}

/// The server still answers a request.
fn still_serving(c: &mut Client) {
    let r = c.request("workspace/symbol", json!({"query": "Ruto"}));
    assert!(r.as_array().is_some_and(|a| !a.is_empty()), "{r}");
}

#[test]
fn json_that_is_not_json_rpc_is_answered_and_the_server_keeps_serving() {
    let mut c = server();
    for (bad, id) in [
        (json!({}), Value::Null),
        (
            json!({"jsonrpc": "1.0", "id": 41, "method": "workspace/symbol"}),
            json!(41),
        ),
        (
            json!({"jsonrpc": "2.0", "id": [1], "method": "workspace/symbol"}),
            Value::Null,
        ),
        (
            json!({"jsonrpc": "2.0", "id": 1.5, "method": "workspace/symbol"}),
            Value::Null,
        ),
        (
            json!({"id": 42, "method": "workspace/symbol", "params": {"query": "x"}}),
            json!(42),
        ),
    ] {
        let body = bad.to_string();
        c.send_raw(&frame(body.as_bytes(), body.len()));
        let err = c.wait_for(&format!("-32600 for {bad}"), |m| {
            m["error"]["code"] == -32600 && m["id"] == id
        });
        assert!(err["error"]["message"].is_string(), "{err}");
        still_serving(&mut c);
    }
    assert_eq!(c.shutdown().code(), Some(0));
}

#[test]
fn a_wrong_content_length_loses_at_most_that_message() {
    let mut c = server();
    for delta in [-10i64, 10, -1, 1, 100] {
        let body = json!({"jsonrpc": "2.0", "id": 9000, "method": "workspace/symbol", "params": {"query": "Ruto"}})
            .to_string();
        let declared = (body.len() as i64 + delta) as usize;
        c.send_raw(&frame(body.as_bytes(), declared));
        // Well-formed messages after it are served (the first may be taken into the bad one's body).
        c.notify("$/setTrace", json!({"value": "off"}));
        still_serving(&mut c);
        still_serving(&mut c);
    }
    // Garbage between messages is skipped too.
    c.send_raw(b"garbage\r\nX-Junk\r\n\r\n}}");
    still_serving(&mut c);
    assert_eq!(c.shutdown().code(), Some(0));
}

#[test]
fn requests_are_answered_for_the_version_current_at_their_arrival() {
    let mut c = server();
    let uri = note_uri("race.md");
    let ruto = "Kenyan President William Ruto spoke.\n";
    let duale = "Defence Secretary Aden Duale spoke.\n";
    c.open(&uri, ruto, 1);
    let pos = json!({"line": 0, "character": 20});
    let mut version = 1;
    let mut wrong = Vec::new();
    for i in 0..40 {
        let (now, next) = if i % 2 == 0 {
            (ruto, duale)
        } else {
            (duale, ruto)
        };
        let id = c.request_async(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": pos}),
        );
        version += 1;
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": next}]}),
        );
        let r = c.response(id);
        let card = r["result"]["contents"]["value"].as_str().unwrap_or("");
        let expect = if now == ruto {
            "### William Ruto"
        } else {
            "### Aden Duale"
        };
        if !card.starts_with(expect) {
            wrong.push((i, card.lines().next().unwrap_or("").to_string()));
        }
    }
    assert!(wrong.is_empty(), "answered for a later version: {wrong:?}");
    assert_eq!(c.shutdown().code(), Some(0));
}

#[test]
fn lines_end_at_lf_crlf_and_cr_only_in_edits_and_positions() {
    let mut c = server();
    let uri = note_uri("terminators.md");
    // Protocol lines: 0 = "Intro\u{2028}a\u{85}b\u{b}c\u{c}d\u{2029}e", 1 = "", 2 = "Aden Duale spoke."
    let text = "Intro\u{2028}a\u{85}b\u{b}c\u{c}d\u{2029}e\r\r\nAden Duale spoke.\n";
    c.open(&uri, text, 1);
    // Insert on protocol line 2, then hover on what was inserted.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 0}}, "text": "President William Ruto met. "}]}),
    );
    let h = hover_text(&mut c, &uri, json!({"line": 2, "character": 14}));
    assert!(h.starts_with("### William Ruto"), "{h:?}");
    let h = hover_text(&mut c, &uri, json!({"line": 2, "character": 30}));
    assert!(h.starts_with("### Aden Duale"), "{h:?}");
    // A position after unusual separators on line 0 is on line 0.
    let r = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let ruto = r
        .as_array()
        .and_then(|a| a.iter().find(|s| s["name"] == "William Ruto"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(ruto["range"]["start"]["line"], 2, "{r}");
    assert_eq!(ruto["range"]["start"]["character"], 10, "{r}");
    assert_eq!(c.shutdown().code(), Some(0));
}

#[test]
fn references_on_a_long_line_are_fast() {
    let mut c = server();
    let uri = note_uri("long-line.md");
    let unit = "William Ruto met Aden Duale. ";
    let text = unit.repeat((1 << 20) / unit.len());
    c.open(&uri, &text, 1);
    let started = Instant::now();
    let r = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 2}, "context": {"includeDeclaration": true}}),
    );
    let took = started.elapsed();
    let n = r.as_array().map_or(0, Vec::len);
    assert!(n > 30_000, "{n} references");
    let last = &r.as_array().unwrap()[n - 1];
    assert_eq!(last["uri"], uri);
    assert_eq!(
        last["range"]["start"]["character"].as_u64(),
        Some((text.rfind("William").unwrap()) as u64)
    );
    // Quadratic conversion took a minute here; linear is well under this.
    assert!(took < Duration::from_secs(15), "{took:?}");
    assert_eq!(c.shutdown().code(), Some(0));
}

#[test]
fn a_note_over_the_size_limit_gets_one_information_diagnostic_and_light_service() {
    let mut c = server();
    let uri = note_uri("huge.md");
    let unit = "William Ruto met Aden Duale on Monday, 3 March 2025. ";
    let text = unit.repeat((3 << 20) / unit.len()) + "\n";
    let started = Instant::now();
    c.open(&uri, &text, 1);
    let d = c.diagnostics(&uri, 1);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["code"], "note-too-large");
    assert_eq!(d[0]["severity"], 3);
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 2}}),
    );
    assert!(r.is_null(), "{r}");
    assert!(started.elapsed() < Duration::from_secs(20));
    // Edits still apply: cut it down below the limit and it is checked as usual.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": "William Ruto spoke.\n"}]}),
    );
    let d = c.diagnostics(&uri, 2);
    assert!(d.is_empty(), "{d:?}");
    let h = hover_text(&mut c, &uri, json!({"line": 0, "character": 2}));
    assert!(h.starts_with("### William Ruto"), "{h}");
    assert_eq!(c.shutdown().code(), Some(0));
}

#[test]
fn long_work_stops_on_cancel_shutdown_and_hang_up() {
    // $/cancelRequest: answered as cancelled at once.
    let mut c = server();
    let id = c.request_async("dossier/testSlow", json!({"ms": 60_000}));
    let started = Instant::now();
    c.notify("$/cancelRequest", json!({"id": id}));
    let r = c.response(id);
    assert_eq!(r["error"]["code"], -32800, "{r}");
    assert!(started.elapsed() < Duration::from_secs(5));
    // shutdown with slow work in flight: prompt, and the work stops.
    let slow = c.request_async("dossier/testSlow", json!({"ms": 60_000}));
    let started = Instant::now();
    let _ = c.request("shutdown", Value::Null);
    let r = c.response(slow);
    assert_eq!(r["result"], "stopped", "{r}");
    c.notify("exit", Value::Null);
    assert!(started.elapsed() < Duration::from_secs(5));
    // Input closed with slow work in flight: the process ends soon.
    let mut c = server();
    let _ = c.request_async("dossier/testSlow", json!({"ms": 120_000}));
    std::thread::sleep(Duration::from_millis(200));
    let started = Instant::now();
    assert_eq!(c.hang_up().code(), Some(0));
    assert!(started.elapsed() < Duration::from_secs(8));
}

#[test]
fn exit_without_shutdown_exits_with_status_1() {
    let mut c = server();
    c.notify("exit", Value::Null);
    let started = Instant::now();
    let status = c.hang_up();
    assert_eq!(status.code(), Some(1));
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn unknown_dollar_requests_are_answered_method_not_found() {
    let mut c = server();
    let id = c.request_async("$/dossierUnknown", json!({}));
    let r = c.response(id);
    assert_eq!(r["error"]["code"], -32601, "{r}");
    // `$/` notifications are still ignored quietly.
    c.notify("$/unknownNotification", json!({}));
    still_serving(&mut c);
    assert_eq!(c.shutdown().code(), Some(0));
}

#[test]
fn documents_opened_before_initialize_are_not_stored() {
    let mut c = Client::spawn(&bin(), &fixtures());
    let uri = note_uri("early.md");
    c.open(&uri, "William Ruto spoke.\n", 1);
    c.initialize(&fixtures(), &["utf-16"], json!({}));
    c.wait_ready();
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 2}}),
    );
    assert!(r.is_null(), "{r}");
    assert_eq!(c.shutdown().code(), Some(0));
}

#[test]
fn a_version_going_backwards_is_applied_and_the_user_told() {
    let mut c = server();
    let uri = note_uri("backwards.md");
    c.open(&uri, "Notes.\n", 5);
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "William Ruto. "}]}),
    );
    let m = c.wait_for("a warning about the version", |m| {
        m["method"] == "window/showMessage"
            && m["params"]["message"]
                .as_str()
                .is_some_and(|s| s.contains("version 3"))
    });
    assert_eq!(m["params"]["type"], 2, "{m}");
    // The server's text is the editor's.
    let text = "William Ruto. Notes.\n";
    let h = hover_text(&mut c, &uri, position_of(text, "Ruto", 0, "utf-16"));
    assert!(h.starts_with("### William Ruto"), "{h}");
    let d = c.diagnostics(&uri, 3);
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(c.shutdown().code(), Some(0));
}

/// A fresh folder `dossier-rel-<name>-<pid>-<n>` under the system temp dir, removed when the guard drops
/// (also when the test panics). Declare it before the server's `Client`, so that it drops last.
fn tempdir(name: &str) -> TempDir {
    TempDir::new(&format!("rel-{name}"))
}

/// User plus system CPU time of a process, in seconds (Linux).
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<u64> = after
        .split_whitespace()
        .filter_map(|x| x.parse().ok())
        .collect();
    // Fields 14 and 15 (utime, stime) are the 12th and 13th after the command name and state.
    let ticks = f.get(10).copied().unwrap_or(0) + f.get(11).copied().unwrap_or(0);
    ticks as f64 / 100.0
}

fn copy_corpus(to: &Path, copies: usize) {
    std::fs::create_dir_all(to).unwrap();
    let sources: Vec<PathBuf> = std::fs::read_dir(fixtures().join("corpus"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    for i in 0..copies {
        let from = &sources[i % sources.len()];
        std::fs::copy(from, to.join(format!("c{i:03}.txt"))).unwrap();
    }
}

#[test]
fn the_watcher_sees_new_folders_and_ignores_reads() {
    let tmp = tempdir("watch");
    let dir = tmp.path().to_path_buf();
    let articles = dir.join("articles");
    copy_corpus(&articles, 150);
    std::fs::write(dir.join("dossier.toml"), "corpus = [\"articles/\"]\n").unwrap();
    let mut c = Client::spawn(&bin(), &dir);
    c.initialize(&dir, &["utf-16"], json!({}));
    assert_eq!(c.wait_ready()["params"]["articles"], 150);
    // A new folder filled at once.
    copy_corpus(&articles.join("new"), 10);
    c.wait_for("the new folder indexed", |m| {
        m["method"] == "dossier/status" && m["params"]["articles"] == 160
    });
    // Someone reads every file (grep, a backup): no work follows.
    std::thread::sleep(Duration::from_millis(800));
    for _ in 0..3 {
        for e in walk(&articles) {
            let _ = std::fs::read(e);
        }
    }
    std::thread::sleep(Duration::from_millis(1000));
    let before = cpu_seconds(c.pid());
    std::thread::sleep(Duration::from_secs(3));
    let used = cpu_seconds(c.pid()) - before;
    assert!(used < 0.15, "idle server used {used:.2} CPU-seconds in 3 s");
    // The article set equals a fresh load's.
    let mut fresh = Client::spawn(&bin(), &dir);
    fresh.initialize(&dir, &["utf-16"], json!({}));
    assert_eq!(fresh.wait_ready()["params"]["articles"], 160);
    assert_eq!(fresh.shutdown().code(), Some(0));
    // A folder removed: its articles go.
    std::fs::remove_dir_all(articles.join("new")).unwrap();
    c.wait_for("the removed folder's articles gone", |m| {
        m["method"] == "dossier/status" && m["params"]["articles"] == 150
    });
    // The corpus folder renamed away and made again: new files are seen.
    std::fs::rename(&articles, dir.join("old")).unwrap();
    copy_corpus(&articles, 3);
    c.wait_for("the re-made folder indexed", |m| {
        m["method"] == "dossier/status" && m["params"]["articles"] == 3
    });
    assert_eq!(c.shutdown().code(), Some(0));
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn a_quotation_with_a_long_repeated_token_is_checked_quickly() {
    let mut c = server();
    let uri = note_uri("long-token.md");
    let digits = "1".repeat(8000);
    let text = format!(
        "# Note\n\n“Kenya has long been one of our most important security partners {digits} in Africa,” said Austin.\n"
    );
    let started = Instant::now();
    c.open(&uri, &text, 1);
    let d = c.diagnostics(&uri, 1);
    let took = started.elapsed();
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["code"], "unverified-quote");
    // Building a DFA over the long word took 29 s (release build) before.
    assert!(took < Duration::from_secs(5), "{took:?}");
    assert_eq!(c.shutdown().code(), Some(0));
}

#[test]
fn initialized_sent_without_waiting_for_the_initialize_answer_is_not_lost() {
    let mut c = Client::spawn(&bin(), &fixtures());
    let root = file_uri(&fixtures());
    let id = c.request_async(
        "initialize",
        json!({"processId": null, "rootUri": root, "capabilities": {}}),
    );
    c.notify("initialized", json!({}));
    let uri = note_uri("eager.md");
    c.open(&uri, "William Ruto spoke.\n", 1);
    assert!(c.response(id)["result"]["capabilities"].is_object());
    assert_eq!(c.wait_ready()["params"]["state"], "ready");
    let h = hover_text(&mut c, &uri, json!({"line": 0, "character": 2}));
    assert!(h.starts_with("### William Ruto"), "{h}");
    assert_eq!(c.shutdown().code(), Some(0));
}
