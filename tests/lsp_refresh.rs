//! The server's corpus refresh (issue 9, "one refresh path"): after files change on disk, the server's articles
//! — their ids, titles and dates, as citation-key completion shows them — equal those of a fresh load, also
//! when two files share a stem in different folders. The real binary over stdio, on a temporary corpus.

mod cli_support;
mod support;

use cli_support::TempDir;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use support::client::{Client, file_uri, position_at};

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_dossier"))
}

/// A fresh folder `dossier-refresh-<name>-<pid>-<n>` under the system temp dir, removed when the guard drops
/// (also when the test panics). Declare it before the server's `Client`, so that it drops last.
fn tempdir(name: &str) -> TempDir {
    TempDir::new(&format!("refresh-{name}"))
}

/// An article with a title (shown in completion details) and a line of text.
fn article(title: &str, body: &str) -> String {
    format!("---\ntitle: {title}\ndate: 2024-10-01\n---\n{body}\n")
}

/// Write a corpus file whole, as editors save: a new file renamed over the old one, so that the watcher never
/// sees it half written.
fn put(dir: &Path, rel: &str, text: &str) {
    let path = dir.join("articles").join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let tmp = dir.join("saving.tmp");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, &path).unwrap();
}

const NOTE: &str = "See [@";

/// A server on `dir` with a note open whose cursor asks for every citation key.
fn server(dir: &Path) -> (Client, String) {
    let mut c = Client::spawn(&bin(), dir);
    c.initialize(dir, &["utf-16"], json!({}));
    let ready = c.wait_ready();
    assert_eq!(ready["params"]["state"], "ready", "{ready}");
    let uri = file_uri(&dir.join("note.md"));
    c.open(&uri, NOTE, 1);
    (c, uri)
}

/// The server's articles: `id · title · date` for each, sorted (citation-key completion lists them all).
fn articles(c: &mut Client, uri: &str) -> Vec<String> {
    let items = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": position_at(NOTE, NOTE.len(), "utf-16")}),
    );
    let items: &[Value] = items.as_array().map_or(&[], |a| a.as_slice());
    let mut out: Vec<String> = items
        .iter()
        .map(|i| {
            format!(
                "{} · {}",
                i["label"].as_str().unwrap(),
                i["detail"].as_str().unwrap()
            )
        })
        .collect();
    out.sort();
    out
}

/// What a server started now on the corpus sees.
fn fresh_load(dir: &Path) -> Vec<String> {
    let (mut c, uri) = server(dir);
    let seen = articles(&mut c, &uri);
    assert_eq!(c.shutdown().code(), Some(0));
    seen
}

/// Wait until the running server's articles equal a fresh load's, and return them.
fn settles_to_fresh_load(c: &mut Client, uri: &str, dir: &Path, step: &str) -> Vec<String> {
    let want = fresh_load(dir);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let seen = articles(c, uri);
        if seen == want {
            return seen;
        }
        assert!(
            Instant::now() < deadline,
            "{step}: the running server has\n{seen:#?}\na fresh load has\n{want:#?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn ids(articles: &[String]) -> Vec<&str> {
    articles
        .iter()
        .map(|a| a.split(" · ").next().unwrap())
        .collect()
}

#[test]
fn a_corpus_file_changed_on_disk_gives_the_ids_of_a_fresh_load_also_when_stems_clash() {
    let tmp = tempdir("stems");
    let dir = tmp.path().to_path_buf();
    put(
        &dir,
        "a/foo.md",
        &article("Foo in a", "William Ruto met Aden Duale."),
    );
    put(&dir, "c/bar.md", &article("Bar", "Antony Blinken spoke."));
    std::fs::write(dir.join("dossier.toml"), "corpus = [\"articles/\"]\n").unwrap();
    let (mut c, uri) = server(&dir);
    assert_eq!(ids(&articles(&mut c, &uri)), ["bar", "foo"]);

    // An edit: same id, new title.
    put(
        &dir,
        "a/foo.md",
        &article("Foo in a, edited", "William Ruto met Aden Duale again."),
    );
    let seen = settles_to_fresh_load(&mut c, &uri, &dir, "edit");
    assert!(
        seen.iter().any(|a| a.starts_with("foo · Foo in a, edited")),
        "{seen:?}"
    );

    // A new file whose stem clashes: both are qualified with their folders.
    put(
        &dir,
        "b/foo.md",
        &article("Foo in b", "Donald Trump called William Ruto."),
    );
    let seen = settles_to_fresh_load(&mut c, &uri, &dir, "clashing stem added");
    assert_eq!(ids(&seen), ["a/foo", "b/foo", "bar"]);

    // One of the two edited: it keeps its qualified id.
    put(
        &dir,
        "b/foo.md",
        &article(
            "Foo in b, edited",
            "Donald Trump called William Ruto twice.",
        ),
    );
    let seen = settles_to_fresh_load(&mut c, &uri, &dir, "clashing stem edited");
    assert_eq!(ids(&seen), ["a/foo", "b/foo", "bar"]);
    assert!(
        seen.iter()
            .any(|a| a.starts_with("b/foo · Foo in b, edited")),
        "{seen:?}"
    );

    // The other removed: the one left takes the bare stem, with its own text.
    std::fs::remove_file(dir.join("articles/a/foo.md")).unwrap();
    let seen = settles_to_fresh_load(&mut c, &uri, &dir, "clashing stem removed");
    assert_eq!(ids(&seen), ["bar", "foo"]);
    assert!(
        seen.iter().any(|a| a.starts_with("foo · Foo in b, edited")),
        "{seen:?}"
    );

    // The same through the client's file watch (`workspace/didChangeWatchedFiles`), reported twice.
    put(&dir, "d/bar.md", &article("Bar in d", "Aden Duale spoke."));
    put(
        &dir,
        "c/bar.md",
        &article("Bar in c, edited", "Antony Blinken spoke again."),
    );
    for _ in 0..2 {
        c.notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [
                {"uri": file_uri(&dir.join("articles/d/bar.md")), "type": 1},
                {"uri": file_uri(&dir.join("articles/c/bar.md")), "type": 2},
            ]}),
        );
    }
    let seen = settles_to_fresh_load(&mut c, &uri, &dir, "client-reported changes");
    assert_eq!(ids(&seen), ["c/bar", "d/bar", "foo"]);
    assert_eq!(c.shutdown().code(), Some(0));
}
