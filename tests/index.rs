//! The index of extractions as a user meets it: a second `dossier check` reuses the first one's extractions and
//! says the same; `cache = false` keeps no index; a cache folder inside the corpus is refused.

mod cli_support;

use cli_support::{TempDir, workspace};
use std::path::Path;
use std::process::{Command, Stdio};

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
    let article = std::fs::read_dir(ws.path().join("corpus"))
        .expect("corpus")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .min()
        .expect("an article");
    let mut text = std::fs::read_to_string(&article).expect("read");
    text.push_str("\nPresident Joe Biden spoke on Monday.\n");
    std::fs::write(&article, text).expect("write");
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
