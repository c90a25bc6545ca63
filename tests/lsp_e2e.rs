//! End-to-end tests of `dossier lsp`: the real binary over stdio, driven by a small client, on the bundled
//! example workspace (`fixtures/`, whose dossier.toml points at the seed corpus).

mod cli_support;
mod support;

use cli_support::TempDir;
use serde_json::{Value, json};
use std::path::PathBuf;
use support::client::{Client, file_uri, position_at, position_of};

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_dossier"))
}

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// A server on the example workspace, initialised with `encodings`, corpus loaded.
fn server(encodings: &[&str]) -> (Client, String) {
    let mut c = Client::spawn(&bin(), &fixtures());
    let init = c.initialize(&fixtures(), encodings, json!({}));
    let enc = init["capabilities"]["positionEncoding"]
        .as_str()
        .unwrap_or("utf-16")
        .to_string();
    let ready = c.wait_ready();
    assert_eq!(ready["params"]["state"], "ready", "{ready}");
    assert_eq!(ready["params"]["articles"], 5);
    (c, enc)
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

const NOTE: &str = "# Briefing 🇰🇪\n\nKenyan President William Ruto met Duale’s counterpart about the MSS [@001].\n\n“Kenya has long been one of our most important security partners in Africa,” said Austin.\n\nHe added that \"our partnership with Kenya is CRITICAL in tackling shared threats\".\n";

#[test]
fn negotiates_utf8_when_offered_and_utf16_otherwise() {
    let mut c = Client::spawn(&bin(), &fixtures());
    let r = c.initialize(&fixtures(), &["utf-16", "utf-8"], json!({}));
    assert_eq!(r["capabilities"]["positionEncoding"], "utf-8");
    assert_eq!(c.shutdown().code(), Some(0));
    let mut c = Client::spawn(&bin(), &fixtures());
    let r = c.initialize(&fixtures(), &[], json!({}));
    assert_eq!(r["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(c.hang_up().code(), Some(0));
}

#[test]
fn hover_on_full_name_surname_acronym_and_citation() {
    for encodings in [&["utf-16"][..], &["utf-8", "utf-16"][..]] {
        let (mut c, enc) = server(encodings);
        let uri = note_uri("hover.md");
        c.open(&uri, NOTE, 1);
        let full = hover_text(&mut c, &uri, position_of(NOTE, "William Ruto", 0, &enc));
        assert!(full.starts_with("### William Ruto\n"), "{full}");
        assert!(full.contains("Kenyan President"), "{full}");
        let surname = hover_text(&mut c, &uri, position_of(NOTE, "Duale", 0, &enc));
        assert!(surname.starts_with("### Aden Duale\n"), "{surname}");
        let acronym = hover_text(&mut c, &uri, position_of(NOTE, "MSS", 0, &enc));
        assert!(
            acronym.starts_with("### Multinational Security Support Mission\n"),
            "{acronym}"
        );
        let cite = hover_text(&mut c, &uri, position_of(NOTE, "[@001]", 0, &enc));
        assert!(
            cite.contains("001\\_f5c6b512ca1d2a60") || cite.contains("001_f5c6b512ca1d2a60"),
            "{cite}"
        );
        assert!(
            cite.contains("Duale"),
            "citation card shows the passage: {cite}"
        );
        assert_eq!(c.shutdown().code(), Some(0));
    }
}

#[test]
fn go_to_source_from_curly_and_straight_quoted_fragments() {
    let (mut c, enc) = server(&["utf-16"]);
    let uri = note_uri("quotes.md");
    c.open(&uri, NOTE, 1);
    let corpus_001 = fixtures().join("corpus/001_f5c6b512ca1d2a60.txt");
    let article = std::fs::read_to_string(&corpus_001).unwrap();
    for (needle, expect) in [
        (
            "one of our most",
            "Kenya has long been one of our most important security partners in Africa",
        ),
        (
            "is CRITICAL",
            "Our partnership with Kenya is critical in tackling shared threats",
        ),
    ] {
        let r = c.request(
            "textDocument/definition",
            json!({"textDocument": {"uri": uri}, "position": position_of(NOTE, needle, 0, &enc)}),
        );
        let link = &r[0];
        assert_eq!(link["targetUri"], file_uri(&corpus_001), "{r}");
        let at = article.find(expect).unwrap();
        assert_eq!(
            link["targetSelectionRange"]["start"],
            position_at(&article, at, &enc),
            "{r}"
        );
        assert_eq!(
            link["targetSelectionRange"]["end"],
            position_at(&article, at + expect.len(), &enc),
            "{r}"
        );
    }
    assert_eq!(c.shutdown().code(), Some(0));
}

#[test]
fn emoji_inserted_before_a_name_still_hovers_that_name() {
    for encodings in [&["utf-16"][..], &["utf-8"][..]] {
        let (mut c, enc) = server(encodings);
        let uri = note_uri("emoji.md");
        let text = "Met “Kenya’s” President Ruto today.\n";
        c.open(&uri, text, 1);
        let at = text.find("President").unwrap();
        let p = position_at(text, at, &enc);
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"range": {"start": p, "end": p}, "text": "🇰🇪👍🏽 "}]}),
        );
        let new_text = text.replacen("President", "🇰🇪👍🏽 President", 1);
        let h = hover_text(&mut c, &uri, position_of(&new_text, "Ruto", 0, &enc));
        assert!(h.starts_with("### William Ruto\n"), "{enc}: {h}");
        // On the emoji itself: nothing.
        let r = c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": position_of(&new_text, "👍🏽", 0, &enc)}),
        );
        assert!(r.is_null(), "{r}");
        assert_eq!(c.shutdown().code(), Some(0));
    }
}

#[test]
fn burst_of_a_hundred_edits_then_hover_answers_on_the_final_text() {
    let (mut c, enc) = server(&["utf-16"]);
    let uri = note_uri("burst.md");
    let mut text = String::from("Notes:\n");
    c.open(&uri, &text, 1);
    // Type "xxxx…" one character at a time, then the name, with no waiting in between.
    for v in 2..=101 {
        let p = position_at(&text, text.len(), &enc);
        let ch = if v == 101 { " Blinken" } else { "x" };
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": v}, "contentChanges": [{"range": {"start": p, "end": p}, "text": ch}]}),
        );
        text.push_str(ch);
    }
    let h = hover_text(&mut c, &uri, position_of(&text, "Blinken", 0, &enc));
    assert!(h.starts_with("### Antony J. Blinken\n"), "{h}");
    // Diagnostics come for the last version only, never an older one after it.
    let d = c.diagnostics(&uri, 101);
    assert!(d.is_empty(), "{d:?}");
    assert!(
        !c.backlog
            .iter()
            .any(|m| m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"].as_i64() < Some(101)),
        "published diagnostics for an older version"
    );
    assert_eq!(c.shutdown().code(), Some(0));
}

#[test]
fn date_conflict_appears_quick_fix_applies_and_it_goes_away() {
    let (mut c, enc) = server(&["utf-16"]);
    let uri = note_uri("conflict.md");
    let text =
        "Aden Duale and Lloyd J. Austin signed the Defence Cooperation Framework in October.\n";
    c.open(&uri, text, 1);
    let diags = c.diagnostics(&uri, 1);
    let d = diags
        .iter()
        .find(|d| d["code"] == "date-conflict")
        .unwrap_or_else(|| panic!("no date-conflict in {diags:?}"));
    assert_eq!(d["source"], "dossier");
    let at = text.find("October").unwrap();
    assert_eq!(d["range"]["start"], position_at(text, at, &enc));
    assert_eq!(
        d["range"]["end"],
        position_at(text, at + "October".len(), &enc)
    );
    assert!(d["message"].as_str().unwrap().contains("September"), "{d}");
    let related = &d["relatedInformation"][0]["location"];
    assert_eq!(
        related["uri"],
        file_uri(&fixtures().join("corpus/001_f5c6b512ca1d2a60.txt"))
    );
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": [d]}}),
    );
    let fix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["isPreferred"] == true)
        .unwrap_or_else(|| panic!("no preferred fix in {actions}"));
    let edit = &fix["edit"]["changes"][&uri][0];
    assert_eq!(edit["newText"], "September");
    // Apply the returned edit as the editor would, and send the fixed version.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"range": edit["range"], "text": edit["newText"]}]}),
    );
    let after = c.diagnostics(&uri, 2);
    assert!(
        after.iter().all(|d| d["code"] != "date-conflict"),
        "{after:?}"
    );
    assert_eq!(c.shutdown().code(), Some(0));
}

#[test]
fn bad_input_never_takes_the_server_down() {
    let (mut c, enc) = server(&["utf-16"]);
    let uri = note_uri("bad.md");
    // Malformed JSON, a request with bad params, an edit after close, positions out of range.
    c.send_raw(b"Content-Length: 9\r\n\r\n{not json");
    let id = c.request_async("textDocument/hover", json!({"textDocument": 5}));
    let r = c.response(id);
    assert!(r.get("error").is_some(), "{r}");
    c.open(&uri, "Ruto\n", 1);
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": "edited after close"}]}),
    );
    c.open(&uri, "Ruto\n", 3);
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 4}, "contentChanges": [{"range": {"start": {"line": 90, "character": 0}, "end": {"line": 99, "character": 5}}, "text": " Blinken"}]}),
    );
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 500, "character": 3}}),
    );
    assert!(r.is_null());
    let h = hover_text(
        &mut c,
        &uri,
        position_of("Ruto\n Blinken", "Blinken", 0, &enc),
    );
    assert!(h.starts_with("### Antony J. Blinken"), "{h}");
    let r = c.request("textDocument/hover", json!({"textDocument": {"uri": "file:///not/open.md"}, "position": {"line": 0, "character": 0}}));
    assert!(r.is_null());
    // A panic in a handler is an error response, and the server goes on.
    let id = c.request_async("dossier/testPanic", Value::Null);
    let r = c.response(id);
    assert_eq!(r["error"]["code"], -32603, "{r}");
    let h = hover_text(
        &mut c,
        &uri,
        position_of("Ruto\n Blinken", "Blinken", 0, &enc),
    );
    assert!(h.starts_with("### Antony J. Blinken"), "{h}");
    assert_eq!(c.shutdown().code(), Some(0));
}

#[test]
fn without_a_corpus_the_server_says_so_and_keeps_serving() {
    let tmp = tempdir("no-corpus");
    let dir = tmp.path().to_path_buf();
    let mut c = Client::spawn(&bin(), &dir);
    c.initialize(&dir, &["utf-16"], json!({}));
    let msg = c.wait_for("showMessage", |m| m["method"] == "window/showMessage");
    assert!(
        msg["params"]["message"]
            .as_str()
            .unwrap()
            .contains("no corpus"),
        "{msg}"
    );
    let uri = file_uri(&dir.join("n.md"));
    let text = "We met on Friday, November 7, 2024.\n";
    c.open(&uri, text, 1);
    let d = c.diagnostics(&uri, 1);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["code"], "weekday-mismatch");
    assert_eq!(c.shutdown().code(), Some(0));
}

#[test]
fn corpus_changes_on_disk_are_picked_up_without_restart() {
    let tmp = tempdir("watch");
    let dir = tmp.path().to_path_buf();
    let articles = dir.join("articles");
    std::fs::create_dir_all(&articles).unwrap();
    std::fs::copy(
        fixtures().join("corpus/004_ceb739453495012b.txt"),
        articles.join("004.txt"),
    )
    .unwrap();
    std::fs::write(dir.join("dossier.toml"), "corpus = [\"articles/\"]\n").unwrap();
    let mut c = Client::spawn(&bin(), &dir);
    c.initialize(&dir, &["utf-16"], json!({}));
    assert_eq!(c.wait_ready()["params"]["articles"], 1);
    let uri = file_uri(&dir.join("note.md"));
    let text = "Langley and Duale.\n";
    c.open(&uri, text, 1);
    assert_eq!(
        hover_text(&mut c, &uri, position_of(text, "Duale", 0, "utf-16")),
        ""
    );
    std::fs::copy(
        fixtures().join("corpus/001_f5c6b512ca1d2a60.txt"),
        articles.join("001.txt"),
    )
    .unwrap();
    let ready = c.wait_for("refresh", |m| {
        m["method"] == "dossier/status" && m["params"]["articles"] == 2
    });
    assert_eq!(ready["params"]["state"], "ready");
    assert!(
        hover_text(&mut c, &uri, position_of(text, "Duale", 0, "utf-16"))
            .starts_with("### Aden Duale")
    );
    std::fs::remove_file(articles.join("001.txt")).unwrap();
    c.wait_for("removal", |m| {
        m["method"] == "dossier/status" && m["params"]["articles"] == 1
    });
    assert_eq!(
        hover_text(&mut c, &uri, position_of(text, "Duale", 0, "utf-16")),
        ""
    );
    assert_eq!(c.shutdown().code(), Some(0));
}

#[test]
fn references_symbols_completion_and_links() {
    let (mut c, enc) = server(&["utf-16"]);
    let uri = note_uri("nav.md");
    c.open(&uri, NOTE, 1);
    let refs = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri}, "position": position_of(NOTE, "Ruto", 0, &enc), "context": {"includeDeclaration": true}}),
    );
    let refs = refs.as_array().unwrap();
    assert!(
        refs.iter().any(|r| r["uri"] == uri),
        "the note's own mention"
    );
    let in_002 = refs
        .iter()
        .filter(|r| r["uri"].as_str().unwrap().contains("002_"))
        .count();
    assert!(in_002 >= 10, "{in_002} mentions in 002");
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    for want in [
        "William Ruto",
        "Aden Duale",
        "Multinational Security Support Mission",
        "@001",
    ] {
        assert!(names.contains(&want), "{want} not in {names:?}");
    }
    let ws = c.request("workspace/symbol", json!({"query": "blinkn"}));
    assert_eq!(ws[0]["name"], "Antony J. Blinken", "{ws}");
    let text = "See [@00";
    let curi = note_uri("complete.md");
    c.open(&curi, text, 1);
    let items = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": curi}, "position": position_at(text, text.len(), &enc)}),
    );
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels.len(), 5, "{labels:?}");
    let links = c.request(
        "textDocument/documentLink",
        json!({"textDocument": {"uri": uri}}),
    );
    assert!(
        links[0]["target"]
            .as_str()
            .unwrap()
            .ends_with("001_f5c6b512ca1d2a60.txt")
    );
    assert_eq!(c.shutdown().code(), Some(0));
}

/// A fresh folder `dossier-e2e-<name>-<pid>-<n>` under the system temp dir, removed when the guard drops
/// (also when the test panics). Declare it before the server's `Client`, so that it drops last.
fn tempdir(name: &str) -> TempDir {
    TempDir::new(&format!("e2e-{name}"))
}

#[test]
fn settings_from_the_editor_override_dossier_toml() {
    let tmp = tempdir("settings");
    let dir = tmp.path().to_path_buf();
    let a = dir.join("a");
    let b = dir.join("b");
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    std::fs::copy(
        fixtures().join("corpus/004_ceb739453495012b.txt"),
        a.join("004.txt"),
    )
    .unwrap();
    std::fs::copy(
        fixtures().join("corpus/001_f5c6b512ca1d2a60.txt"),
        b.join("001.txt"),
    )
    .unwrap();
    std::fs::write(dir.join("dossier.toml"), "corpus = [\"a/\"]\n").unwrap();
    // initializationOptions win over dossier.toml, with paths relative to the workspace folder.
    let mut c = Client::spawn(&bin(), &dir);
    c.initialize(&dir, &["utf-16"], json!({"corpus": ["b"]}));
    let ready = c.wait_ready();
    assert_eq!(ready["params"]["articles"], 1);
    let uri = file_uri(&dir.join("n.md"));
    let text = "Duale met Trump.\n";
    c.open(&uri, text, 1);
    assert!(
        hover_text(&mut c, &uri, position_of(text, "Duale", 0, "utf-16"))
            .starts_with("### Aden Duale")
    );
    // didChangeConfiguration switches corpus and disables a check.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"dossier": {"corpus": ["a"], "diagnostics": {"disabled": ["weekday-mismatch"]}}}}),
    );
    c.wait_for("reload", |m| {
        m["method"] == "dossier/status"
            && m["params"]["state"] == "ready"
            && m["params"]["entities"].as_u64() > Some(0)
    });
    assert!(
        hover_text(&mut c, &uri, position_of(text, "Trump", 0, "utf-16"))
            .starts_with("### Donald Trump")
    );
    assert_eq!(
        hover_text(&mut c, &uri, position_of(text, "Duale", 0, "utf-16")),
        ""
    );
    let text2 = "We met on Friday, November 7, 2024.\n";
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": text2}]}),
    );
    assert!(c.diagnostics(&uri, 2).is_empty());
    assert_eq!(c.shutdown().code(), Some(0));
}
