//! The small things a new user hits in the first hour: `dossier lsp` on a terminal, a folder with no
//! notes, a reference date that is not a date, sources shown by title, singular counts, and no
//! progress bar in pipes.

mod cli_support;
use cli_support::{TempDir, dossier, fixtures, workspace};

#[test]
fn lsp_on_a_terminal_says_what_it_is() {
    // `script` gives the server a terminal; its stdin is at end, so the server stops at once.
    let probe = std::process::Command::new("script")
        .arg("--version")
        .output();
    if probe.is_err() {
        eprintln!("skipped: `script` (util-linux) is not installed");
        return;
    }
    let out = std::process::Command::new("script")
        .args([
            "-qec",
            &format!("{} lsp", env!("CARGO_BIN_EXE_dossier")),
            "/dev/null",
        ])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("script");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Language Server Protocol"), "{text}");
    assert!(text.contains("dossier check"), "{text}");
    // Started by an editor (pipes, no terminal), it says nothing.
    let (code, out, err) = dossier(&["lsp"], &fixtures());
    assert_eq!(code, 0);
    assert_eq!(out, "");
    assert!(!err.contains("Language Server Protocol"), "{err}");
}

#[test]
fn a_folder_without_notes_warns() {
    let ws = workspace();
    std::fs::create_dir_all(ws.path().join("empty")).expect("mkdir");
    let (code, _, err) = dossier(&["check", "empty"], ws.path());
    assert_eq!(code, 0);
    assert!(err.contains("warning: no notes to check in empty"), "{err}");
}

#[test]
fn a_reference_that_is_not_a_date_is_explained() {
    let (code, _, err) = dossier(
        &["dates", "--ref", "yesterday", "notes/example.md"],
        &fixtures(),
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("--ref yesterday: not a date; write the reference date as YYYY-MM-DD"),
        "{err}"
    );
    assert!(!err.contains("failed to"), "no parser internals: {err}");
    assert!(!err.contains("parsing"), "no parser internals: {err}");
}

#[test]
fn sources_are_shown_by_title_and_counts_are_singular() {
    let (code, out, err) = dossier(&["check", "notes/example.md"], &fixtures());
    assert_eq!(code, 1, "{err}");
    assert!(
        out.contains("— in “Al-Shabaab, global peace feature in Duale meeting with US …”"),
        "{out}"
    );
    let (code, out, _) = dossier(&["entities"], &fixtures());
    assert_eq!(code, 0);
    assert!(!out.contains(" 1 sources"), "{out}");
    assert!(!out.contains(" 1 mentions"), "{out}");
    assert!(out.contains(" in 1 source\n"), "{out}");
    // Roles and facts cite the article by its title, not by its file hash.
    let role = out
        .lines()
        .find(|l| l.starts_with("  role: "))
        .expect("a role");
    assert!(!role.contains("_510b717c5958182e"), "{role}");
    assert!(role.contains(", line "), "{role}");
}

#[test]
fn dated_articles_are_labelled_with_their_date() {
    let dir = TempDir::new("dated");
    dir.write(
        "corpus/a.md",
        "---\ntitle: Ruto meets Blinken\ndate: 2024-11-07\n---\nPresident William Ruto met Antony Blinken in Nairobi.\n",
    );
    let (code, out, err) = dossier(&["entities", "--corpus", "corpus"], dir.path());
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("[Ruto meets Blinken, 7 November 2024, line "),
        "{out}"
    );
}

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    let (_, _, err) = dossier(&["entities"], &fixtures());
    assert!(!err.contains('\r'), "{err:?}");
    assert!(!err.contains("articles]"), "{err:?}");
    assert!(!err.contains("reading"), "{err:?}");
}

#[test]
fn the_test_script_writes_only_to_a_temporary_folder_it_removes() {
    let script = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/test"),
    )
    .expect("scripts/test");
    let code: Vec<&str> = script
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect();
    assert!(
        !code.iter().any(|l| l.contains("/tmp/dossier")),
        "no fixed path in /tmp"
    );
    assert!(
        code.iter().any(|l| l.contains("mktemp -d")),
        "a fresh folder"
    );
    assert!(
        code.iter()
            .any(|l| l.contains("trap") && l.contains("rm -rf")),
        "removed on exit"
    );
    assert!(
        code.iter().any(|l| l.contains("export TMPDIR")),
        "the tests' temporary folders go there too"
    );
}

#[test]
fn json_findings_name_the_source_article_by_title() {
    let (code, out, _) = dossier(
        &["check", "--format", "json", "notes/example.md"],
        &fixtures(),
    );
    assert_eq!(code, 1);
    let rows: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let related = &rows[0]["related"][0];
    assert_eq!(related["article"], "001_f5c6b512ca1d2a60");
    assert_eq!(
        related["title"],
        "Al-Shabaab, global peace feature in Duale meeting with US counterpart Austin"
    );
    assert_eq!(related["date"], serde_json::Value::Null);
    assert!(
        related["label"]
            .as_str()
            .expect("label")
            .starts_with("Al-Shabaab")
    );
}
