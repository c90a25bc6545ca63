//! An article edited on disk while the server runs (issue 10): its new date is what hover and diagnostics say
//! at once (the patched knowledge base), and once the background merge is done, stored and settled (its
//! extractions read from the index again when needed) the server answers as a server started afresh on the
//! edited corpus does. The real binary over stdio, on a copy of the seed corpus.

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
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// A workspace with a copy of the seed corpus in `articles/`, removed when the guard drops (declare it
/// before the server's `Client`, so that it drops last).
fn workspace(name: &str) -> (TempDir, PathBuf) {
    let tmp = TempDir::new(&format!("patch-{name}"));
    let dir = tmp.path().to_path_buf();
    std::fs::create_dir_all(dir.join("articles")).unwrap();
    for e in std::fs::read_dir(fixtures().join("corpus")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, dir.join("articles").join(p.file_name().unwrap())).unwrap();
    }
    std::fs::write(dir.join("dossier.toml"), "corpus = [\"articles/\"]\n").unwrap();
    (tmp, dir)
}

/// Write a corpus file whole, as editors save: a new file renamed over the old one.
fn put(dir: &Path, rel: &str, text: &str) {
    let tmp = dir.join("saving.tmp");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, dir.join("articles").join(rel)).unwrap();
}

const NAMES: &[&str] = &[
    "William Ruto",
    "Michael Langley",
    "Aden Duale",
    "Lloyd J. Austin",
    "Defence Cooperation Framework",
    "Donald Trump",
    "Blinken",
];

/// The hover text at the first occurrence of `name` in the note.
fn hover(c: &mut Client, uri: &str, note: &str, name: &str) -> String {
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position_of(note, name, 0, "utf-16")}),
    );
    r["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn hovers(c: &mut Client, uri: &str, note: &str) -> Vec<String> {
    NAMES.iter().map(|n| hover(c, uri, note, n)).collect()
}

fn codes(diags: &[Value]) -> Vec<&str> {
    diags.iter().filter_map(|d| d["code"].as_str()).collect()
}

/// The next diagnostics published for `uri` that satisfy `pred`.
fn diagnostics_where(c: &mut Client, uri: &str, pred: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    let msg = c.wait_for("diagnostics", |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && pred(
                m["params"]["diagnostics"]
                    .as_array()
                    .map_or(&[], |a| a.as_slice()),
            )
    });
    msg["params"]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn an_edited_date_is_what_hover_and_diagnostics_say_then_the_merge_equals_a_fresh_start() {
    let (_tmp, dir) = workspace("date");
    let note = std::fs::read_to_string(fixtures().join("notes/example.md")).unwrap();
    let uri = file_uri(&dir.join("note.md"));
    // The log says when the merged knowledge base, once stored, is settled (its extractions read from the
    // index again when needed).
    let log = dir.join("server.log");
    let mut c = Client::spawn_with(
        &bin(),
        &dir,
        &[(
            "DOSSIER_LOG",
            std::ffi::OsStr::new("warn,dossier::lsp::workspace=debug"),
        )],
        std::fs::File::create(&log).unwrap().into(),
    );
    c.initialize(&dir, &["utf-16"], json!({}));
    assert_eq!(c.wait_ready()["params"]["state"], "ready");
    c.open(&uri, &note, 1);
    // The note says October; the source says September.
    let before = c.diagnostics(&uri, 1);
    assert!(codes(&before).contains(&"date-conflict"), "{before:?}");
    let card = hover(&mut c, &uri, &note, "Defence Cooperation Framework");
    assert!(card.contains("September"), "{card}");

    let rel = "001_f5c6b512ca1d2a60.txt";
    let text = std::fs::read_to_string(dir.join("articles").join(rel)).unwrap();
    let edited = text.replace(
        "In September, Aden and Austin signed",
        "In October, Aden and Austin signed",
    );
    assert_ne!(edited, text);
    put(&dir, rel, &edited);
    let written = Instant::now();
    loop {
        let card = hover(&mut c, &uri, &note, "Defence Cooperation Framework");
        if card.contains("October") && !card.contains("September") {
            break;
        }
        assert!(
            written.elapsed() < Duration::from_secs(20),
            "the edit is not seen: {card}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let after = diagnostics_where(&mut c, &uri, |d| {
        !d.iter().any(|x| x["code"] == "date-conflict")
    });
    assert!(!codes(&after).contains(&"date-conflict"), "{after:?}");

    // The patch, then the merge: each says "ready" (the patch that it is merging) and has the note's
    // diagnostics published again. Then the same answers as a server started on the edited corpus with an
    // empty index.
    let patched = c.wait_ready();
    let message = patched["params"]["message"].as_str().unwrap_or_default();
    assert!(message.ends_with("merging the edit"), "{patched}");
    c.wait_for("the merge after the edit", |m| {
        m["method"] == "dossier/status"
            && m["params"]["state"] == "ready"
            && !m["params"]["message"]
                .as_str()
                .unwrap_or_default()
                .contains("merging")
    });
    // Stored, then settled: the answers below are those of the settled knowledge base.
    let settled = || {
        let log = std::fs::read_to_string(&log).unwrap_or_default();
        log.find("knowledge base merged after a refresh")
            .is_some_and(|at| log[at..].contains("knowledge base settled"))
    };
    let waited = Instant::now();
    while !settled() {
        assert!(
            waited.elapsed() < Duration::from_secs(30),
            "not settled after the merge: {}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // The publications after the patch and after the merge may be one (a knowledge base that changes within
    // the debounce supersedes the publication the one before scheduled), so which one a wait would see is a
    // matter of timing: the note's diagnostics on the merged knowledge base are those of a version of the note
    // made after the merge said it is ready (the same text).
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": note}]}),
    );
    let merged_diags = c.diagnostics(&uri, 2);
    let merged_hovers = hovers(&mut c, &uri, &note);
    let cache = dir.join("fresh-cache");
    let mut f = Client::spawn_with(
        &bin(),
        &dir,
        &[("DOSSIER_CACHE_DIR", cache.as_os_str())],
        std::process::Stdio::inherit(),
    );
    f.initialize(&dir, &["utf-16"], json!({}));
    f.wait_ready();
    f.open(&uri, &note, 1);
    let fresh_diags = f.diagnostics(&uri, 1);
    assert_eq!(merged_diags, fresh_diags);
    assert_eq!(merged_hovers, hovers(&mut f, &uri, &note));
    let _ = f.shutdown();
    let _ = c.shutdown();
    let _ = std::fs::remove_dir_all(&dir);
}
