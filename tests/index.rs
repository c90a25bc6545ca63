//! The index of extractions as a user meets it: a second `dossier check` reuses the first one's extractions and
//! says the same; a second check reads the merged knowledge base back instead of merging, and says what a merge
//! says, in the CLI and in the language server; a server started after an article changed merges again and
//! then answers as a cold start does; a warm check after an article was edited, touched, added,
//! removed or replaced says what a cold one says, also when a file changed behind the identity the index
//! recorded; `cache = false` keeps no index; a cache folder inside the corpus is refused.

mod cli_support;
mod support;

use cli_support::{TempDir, workspace};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use support::client::{Client, file_uri, position_of};

/// Exit status, stdout and stderr of `dossier args` in `cwd`, with these environment variables.
fn run(args: &[&str], cwd: &Path, env: &[(&str, &Path)]) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dossier"));
    cmd.args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .env("DOSSIER_LOG", "dossier=debug");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run dossier");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn index_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_second_check_reuses_every_extraction_and_says_the_same() {
    let ws = workspace();
    let cache = TempDir::new("index-cache");
    let env = [("DOSSIER_CACHE_DIR", cache.path())];
    let first = run(&["check", "notes/note.md"], ws.path(), &env);
    assert!(first.2.contains("reused: 0, extracted: 5"), "{}", first.2);
    let files = index_files(cache.path());
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].starts_with("index-") && files[0].ends_with(".sqlite"));
    let second = run(&["check", "notes/note.md"], ws.path(), &env);
    assert!(second.2.contains("reused: 5, extracted: 0"), "{}", second.2);
    assert_eq!((first.0, &first.1), (second.0, &second.1));
    assert!(!second.2.contains("WARN"), "{}", second.2);

    // An edited article: only it is extracted again.
    append_to_first_article(ws.path(), "\nPresident Joe Biden spoke on Monday.\n");
    let third = run(&["check", "notes/note.md"], ws.path(), &env);
    assert!(third.2.contains("reused: 4, extracted: 1"), "{}", third.2);
}

#[test]
fn cache_false_keeps_no_index() {
    let ws = workspace();
    ws.write("dossier.toml", "corpus = [\"corpus/\"]\ncache = false\n");
    let cache = TempDir::new("index-off-cache");
    let (code, _, err) = run(
        &["check", "notes/note.md"],
        ws.path(),
        &[("DOSSIER_CACHE_DIR", cache.path())],
    );
    assert_eq!(code, 1, "{err}");
    assert!(index_files(cache.path()).is_empty());
    assert!(!err.contains("WARN"), "{err}");
}

#[test]
fn a_cache_folder_inside_the_corpus_is_refused() {
    let ws = workspace();
    let home = TempDir::new("index-inside-home");
    let inside = ws.path().join("corpus/cache");
    let (code, _, err) = run(
        &["check", "notes/note.md"],
        ws.path(),
        &[
            ("DOSSIER_CACHE_DIR", &inside),
            ("XDG_CACHE_HOME", home.path()),
        ],
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("inside the corpus folder"), "{err}");
    assert!(!inside.exists());
    assert_eq!(index_files(&home.path().join("dossier")).len(), 1, "{err}");
}

#[test]
fn a_cache_folder_that_cannot_be_made_warns_once_and_checks_all_the_same() {
    let ws = workspace();
    let blocker = ws.write("blocker", "a file, not a folder");
    let (code, out, err) = run(
        &["check", "notes/note.md"],
        ws.path(),
        &[("DOSSIER_CACHE_DIR", &blocker.join("cache"))],
    );
    assert_eq!(code, 1, "{err}");
    assert_eq!(err.matches("working without it").count(), 1, "{err}");
    assert!(out.contains("date-conflict"), "{out}");
}

/// The merge's outcome as `dossier` logs it (at debug level).
fn merge_stats(stderr: &str) -> &str {
    stderr
        .lines()
        .find_map(|l| l.split_once("merge: MergeStats ").map(|(_, s)| s))
        .unwrap_or("no merge logged")
}

const MERGED: &str = "{ loaded: false, rejected: false, saved: true }";
const READ_BACK: &str = "{ loaded: true, rejected: false, saved: false }";

#[test]
fn a_second_check_reads_the_merged_knowledge_base_back_and_says_what_a_merge_says() {
    // What a merge without any index says: the reference.
    let plain = workspace();
    plain.write("dossier.toml", "corpus = [\"corpus/\"]\ncache = false\n");
    let none = TempDir::new("merged-none-cache");
    let none_env = [("DOSSIER_CACHE_DIR", none.path())];
    let want_check = run(&["check", "notes/note.md"], plain.path(), &none_env);
    let want_entities = run(&["entities", "--format", "json"], plain.path(), &none_env);
    assert_eq!(
        merge_stats(&want_check.2),
        "{ loaded: false, rejected: false, saved: false }"
    );

    let ws = workspace();
    let cache = TempDir::new("merged-cache");
    let env = [("DOSSIER_CACHE_DIR", cache.path())];
    let first = run(&["check", "notes/note.md"], ws.path(), &env);
    assert_eq!(merge_stats(&first.2), MERGED, "{}", first.2);
    assert!(first.2.contains("kb build:"), "{}", first.2);
    for round in 0..2 {
        let check = run(&["check", "notes/note.md"], ws.path(), &env);
        assert_eq!(
            merge_stats(&check.2),
            READ_BACK,
            "round {round}: {}",
            check.2
        );
        // No merge ran: its phases are not logged.
        assert!(!check.2.contains("kb build:"), "{}", check.2);
        assert!(!check.2.contains("WARN"), "{}", check.2);
        assert_eq!((check.0, &check.1), (want_check.0, &want_check.1));
    }
    let entities = run(&["entities", "--format", "json"], ws.path(), &env);
    assert_eq!(merge_stats(&entities.2), READ_BACK);
    assert_eq!(entities.1, want_entities.1);
    assert!(entities.1.len() > 100, "{}", entities.1);

    // One article changed: merged again (and stored), then read back.
    let article = append_to_first_article(
        ws.path(),
        "\nPresident Joe Biden met Prime Minister Fumio Kishida on Monday.\n",
    );
    let changed = run(&["check", "notes/note.md"], ws.path(), &env);
    assert_eq!(merge_stats(&changed.2), MERGED, "{}", changed.2);
    assert!(
        changed.2.contains("reused: 4, extracted: 1"),
        "{}",
        changed.2
    );
    let again = run(&["check", "notes/note.md"], ws.path(), &env);
    assert_eq!(merge_stats(&again.2), READ_BACK, "{}", again.2);
    assert_eq!(again.1, changed.1);

    // One article removed: the same.
    std::fs::remove_file(&article).expect("rm");
    let removed = run(&["check", "notes/note.md"], ws.path(), &env);
    assert_eq!(merge_stats(&removed.2), MERGED, "{}", removed.2);
    let again = run(&["check", "notes/note.md"], ws.path(), &env);
    assert_eq!(merge_stats(&again.2), READ_BACK, "{}", again.2);
    assert_eq!(again.1, removed.1);
}

/// A language server started on `ws` with this cache folder, logging at debug level into `log`: the
/// diagnostics of the example note, opened once the corpus is loaded, and a hover on a person's name in it.
fn serve_once(ws: &Path, cache: &Path, log: &Path) -> (Vec<Value>, Value) {
    let file = std::fs::File::create(log).expect("log file");
    let mut c = Client::spawn_with(
        Path::new(env!("CARGO_BIN_EXE_dossier")),
        ws,
        &[
            ("DOSSIER_CACHE_DIR", cache.as_os_str()),
            ("DOSSIER_LOG", "dossier=debug".as_ref()),
        ],
        Stdio::from(file),
    );
    c.initialize(ws, &["utf-16"], json!({}));
    let ready = c.wait_ready();
    assert_eq!(ready["params"]["state"], "ready", "{ready}");
    let note = ws.join("notes/note.md");
    let text = std::fs::read_to_string(&note).expect("note");
    let uri = file_uri(&note);
    c.open(&uri, &text, 1);
    let diagnostics = c.diagnostics(&uri, 1);
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position_of(&text, "Ruto", 0, "utf-16")}),
    );
    assert_eq!(c.shutdown().code(), Some(0));
    (diagnostics, hover)
}

#[test]
fn a_second_server_start_reads_the_merged_knowledge_base_back_and_answers_the_same() {
    let ws = workspace();
    let cache = TempDir::new("merged-lsp-cache");
    let logs = TempDir::new("merged-lsp-logs");
    let log = |i: usize| logs.path().join(format!("server-{i}.log"));
    let first = serve_once(ws.path(), cache.path(), &log(0));
    let first_log = std::fs::read_to_string(log(0)).expect("log");
    assert!(first_log.contains("kb build:"), "{first_log}");
    // Stored after it was published, and before the server exited.
    assert!(
        first_log.contains("merged knowledge base stored in the index: true"),
        "{first_log}"
    );
    let second = serve_once(ws.path(), cache.path(), &log(1));
    let second_log = std::fs::read_to_string(log(1)).expect("log");
    assert_eq!(merge_stats(&second_log), READ_BACK, "{second_log}");
    assert!(!second_log.contains("kb build:"), "{second_log}");
    assert!(!second_log.contains("WARN"), "{second_log}");
    assert!(!first.0.is_empty());
    assert!(
        first.1["contents"].to_string().contains("Ruto"),
        "{}",
        first.1
    );
    assert_eq!(first, second);
}

/// Appends a line to the corpus's first article (by file name), as an edit on disk would; returns its path.
fn append_to_first_article(ws: &Path, line: &str) -> PathBuf {
    let article = std::fs::read_dir(ws.join("corpus"))
        .expect("corpus")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .min()
        .expect("an article");
    let mut text = std::fs::read_to_string(&article).expect("read");
    text.push_str(line);
    std::fs::write(&article, text).expect("write");
    article
}

/// The corpus's first article (by file name).
fn first_article(ws: &Path) -> PathBuf {
    std::fs::read_dir(ws.join("corpus"))
        .expect("corpus")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .min()
        .expect("an article")
}

/// Waits until files just written are old enough for the index to record their identities.
fn wait_to_settle() {
    std::thread::sleep(dossier::corpus::SETTLE + std::time::Duration::from_millis(100));
}

/// `dossier check` and `dossier entities` of the workspace, with this cache folder: exit status and outputs.
fn check_and_entities(ws: &Path, cache: &Path) -> ((i32, String), String, String) {
    let env = [("DOSSIER_CACHE_DIR", cache)];
    let (code, out, err) = run(&["check", "notes/note.md"], ws, &env);
    let entities = run(&["entities", "--format", "json"], ws, &env).1;
    ((code, out), entities, err)
}

#[test]
fn a_warm_check_after_a_change_says_what_a_cold_check_says() {
    type Change = fn(&Path);
    let cases: [(&str, Change); 7] = [
        ("unchanged", |_| {}),
        ("edited, same size", |ws| {
            let a = first_article(ws);
            let text = std::fs::read_to_string(&a).expect("read");
            let at = text.find("202").expect("a year");
            let mut bytes = text.into_bytes();
            bytes[at + 3] = if bytes[at + 3] == b'3' { b'2' } else { b'3' };
            std::fs::write(&a, bytes).expect("write");
        }),
        ("touched, same text", |ws| {
            let a = first_article(ws);
            std::fs::write(&a, std::fs::read(&a).expect("read")).expect("write");
        }),
        ("added", |ws| {
            std::fs::write(
                ws.join("corpus/new.txt"),
                "President Joe Biden met Prime Minister Fumio Kishida in Tokyo on May 3, 2024.\n",
            )
            .expect("write");
        }),
        ("removed", |ws| {
            std::fs::remove_file(first_article(ws)).expect("rm")
        }),
        ("replaced by a non-UTF-8 file", |ws| {
            let a = first_article(ws);
            let mut bytes = std::fs::read(&a).expect("read");
            let at = bytes.iter().position(|&b| b == b'e').expect("an e");
            bytes[at] = 0xE9;
            std::fs::write(&a, bytes).expect("write");
        }),
        ("made binary", |ws| {
            std::fs::write(first_article(ws), b"\x00\x01binary").expect("write");
        }),
    ];
    let workspaces: Vec<TempDir> = cases.iter().map(|_| workspace()).collect();
    wait_to_settle();
    for ((case, change), ws) in cases.iter().zip(&workspaces) {
        let cache = TempDir::new("warm-change-cache");
        let first = check_and_entities(ws.path(), cache.path());
        let warm = check_and_entities(ws.path(), cache.path());
        assert!(warm.2.contains("5 trusted unread"), "{case}: {}", warm.2);
        assert_eq!((&warm.0, &warm.1), (&first.0, &first.1), "{case}");
        change(ws.path());
        let warm = check_and_entities(ws.path(), cache.path());
        let empty = TempDir::new("warm-change-cold-cache");
        let cold = check_and_entities(ws.path(), empty.path());
        assert_eq!((&warm.0, &warm.1), (&cold.0, &cold.1), "{case}: {}", warm.2);
        assert!(!warm.2.contains("read again"), "{case}: {}", warm.2);
    }
}

#[test]
fn a_file_changed_behind_its_recorded_identity_is_read_again_and_the_check_says_what_a_cold_one_says()
 {
    let ws = workspace();
    wait_to_settle();
    let cache = TempDir::new("behind-cache");
    let first = check_and_entities(ws.path(), cache.path());
    // Every record keeps its file's identity but says the text was another one: what a change made between
    // a load's look at a file and its reading of the text looks like.
    let index = std::fs::read_dir(cache.path())
        .expect("cache")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "sqlite"))
        .expect("an index");
    let db = rusqlite::Connection::open(&index).expect("open");
    let rows: Vec<(i64, Vec<u8>)> = db
        .prepare("SELECT rowid, record FROM file")
        .expect("select")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("records");
    assert_eq!(rows.len(), 5);
    for (id, bytes) in rows {
        let mut record = dossier::corpus::FileRecord::decode(&bytes).expect("a record");
        record.digest[0] ^= 1;
        db.execute(
            "UPDATE file SET record = ?1 WHERE rowid = ?2",
            rusqlite::params![record.encode(), id],
        )
        .expect("update");
    }
    drop(db);
    let warm = check_and_entities(ws.path(), cache.path());
    assert!(
        warm.2
            .contains("changed on disk since it was indexed; it is read again"),
        "{}",
        warm.2
    );
    assert_eq!((&warm.0, &warm.1), (&first.0, &first.1));
    // And the index is right again.
    let again = check_and_entities(ws.path(), cache.path());
    assert!(again.2.contains("5 trusted unread"), "{}", again.2);
    assert!(!again.2.contains("read again"), "{}", again.2);
    assert_eq!((&again.0, &again.1), (&first.0, &first.1));
}

#[test]
fn a_server_started_after_an_article_changed_merges_again_and_answers_as_a_cold_start() {
    let ws = workspace();
    let cache = TempDir::new("last-lsp-cache");
    let logs = TempDir::new("last-lsp-logs");
    let log = |i: usize| logs.path().join(format!("server-{i}.log"));
    let before = serve_once(ws.path(), cache.path(), &log(0));
    append_to_first_article(
        ws.path(),
        "\nPresident William Ruto flew to Addis Ababa on Friday, 8 November 2024.\n",
    );
    // The last knowledge base is read back (and served while the corpus is walked), but the corpus is no
    // longer its articles: merged again, and after "ready" the answers are a cold start's.
    let warm = serve_once(ws.path(), cache.path(), &log(1));
    let warm_log = std::fs::read_to_string(log(1)).expect("log");
    assert!(
        warm_log.contains("last knowledge base read back"),
        "{warm_log}"
    );
    assert!(
        !warm_log.contains("the corpus is the one last merged"),
        "{warm_log}"
    );
    assert!(warm_log.contains("kb build:"), "{warm_log}");
    assert!(
        warm_log.contains("merged knowledge base stored in the index: true"),
        "{warm_log}"
    );
    let cold_cache = TempDir::new("last-lsp-cold-cache");
    let cold = serve_once(ws.path(), cold_cache.path(), &log(2));
    assert_eq!(warm, cold);
    // The change shows in what the server answers (the last knowledge base would not show it).
    assert_ne!(before, cold);
    // The next start finds the corpus it merged.
    serve_once(ws.path(), cache.path(), &log(3));
    let again = std::fs::read_to_string(log(3)).expect("log");
    assert!(
        again.contains("the corpus is the one last merged"),
        "{again}"
    );
    assert_eq!(merge_stats(&again), READ_BACK, "{again}");
}
