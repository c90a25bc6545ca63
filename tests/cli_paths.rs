//! `dossier check` from inside a workspace, with every relative path form a user types.

mod cli_support;
use cli_support::{dossier, workspace};

#[test]
fn every_relative_path_form_finds_the_workspace() {
    let ws = workspace();
    let notes = ws.path().join("notes");
    for (args, cwd) in [
        (vec!["check", "note.md"], &notes),
        (vec!["check", "./note.md"], &notes),
        (vec!["check", "."], &notes),
        (vec!["check", "notes/note.md"], &ws.path().to_path_buf()),
        (vec!["check", "notes/"], &ws.path().to_path_buf()),
        (vec!["check", "notes"], &ws.path().to_path_buf()),
        // The workspace root holds the corpus too: its articles are not notes.
        (vec!["check", "."], &ws.path().to_path_buf()),
    ] {
        let (code, out, err) = dossier(&args, cwd);
        assert_eq!(code, 1, "{args:?} in {}: {err}", cwd.display());
        assert!(out.contains("warning[date-conflict]"), "{args:?}: {out}");
        assert!(
            err.contains("1 note checked: 1 warning"),
            "{args:?} in {}: {err}",
            cwd.display()
        );
    }
}

#[test]
fn a_note_outside_any_workspace_names_its_folder() {
    let dir = cli_support::TempDir::new("no-ws");
    dir.write("note.md", "Nothing to see.\n");
    let (code, _, err) = dossier(&["check", "note.md"], dir.path());
    assert_eq!(code, 2);
    // The folder is named in full, never as a blank.
    assert!(!err.contains(" in  or"), "{err}");
    let shown = std::fs::canonicalize(dir.path()).expect("canon");
    assert!(
        err.contains(&shown.display().to_string())
            || err.contains(&dir.path().display().to_string()),
        "{err}"
    );
}
