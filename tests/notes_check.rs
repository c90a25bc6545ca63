//! The checks on the fixture notes, as data: `fixtures/notes/<note>.md` against the exact diagnostics in
//! `fixtures/notes/<note>.expected` (no extra, no missing; `UPDATE_EXPECT=1 cargo test` rewrites them after a
//! deliberate change — review the diff). Also the ignore comments and `dossier check` exit statuses.

mod cli_support;

use cli_support::TempDir;
use dossier::analysis::{CheckOptions, NoteIndex, diagnostics};
use dossier::corpus::{self, LoadOptions};
use dossier::kb::KnowledgeBase;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn kb() -> &'static KnowledgeBase {
    static KB: OnceLock<KnowledgeBase> = OnceLock::new();
    KB.get_or_init(|| {
        let c = corpus::load(
            &[root().join("fixtures/corpus")],
            &LoadOptions::default(),
            &|_, _| {},
        )
        .unwrap();
        KnowledgeBase::from_corpus(c, &|_, _| {})
    })
}

/// One line per diagnostic: position, severity and code, the text it covers, the message, the fixes.
fn render(text: &str) -> String {
    let note = NoteIndex::new(kb(), text);
    let mut out = String::new();
    for d in diagnostics(kb(), &note, text, &CheckOptions::default()) {
        let p = note
            .lines
            .position(text, d.range.start, dossier::text::PositionEncoding::Utf32);
        out.push_str(&format!(
            "{}:{} {:?}[{}] {:?}\n  {}\n",
            p.line + 1,
            p.character + 1,
            d.severity,
            d.code,
            &text[d.range.clone()],
            d.message
        ));
        for f in d.fixes.iter().filter(|f| !f.title.starts_with("Ignore ")) {
            let edits: Vec<String> = f.edits.iter().map(|(_, t)| format!("{t:?}")).collect();
            out.push_str(&format!("  fix: {} → {}\n", f.title, edits.join(", ")));
        }
    }
    out
}

fn check_note(name: &str) {
    let path = root().join("fixtures/notes").join(format!("{name}.md"));
    let text = std::fs::read_to_string(&path).unwrap();
    expect_test::expect_file![root().join(format!("fixtures/notes/{name}.expected"))]
        .assert_eq(&render(&text));
}

#[test]
fn example_note_has_one_date_conflict() {
    check_note("example");
}

#[test]
fn planted_conflicts_are_all_found() {
    check_note("conflicts");
}

#[test]
fn relative_dates_in_notes_are_checked() {
    check_note("relative");
}

#[test]
fn agreeing_and_unconfirmable_claims_stay_quiet() {
    check_note("agreements");
}

#[test]
fn quotations_citations_and_weekdays() {
    check_note("quotes-and-citations");
}

#[test]
fn ignore_comment_silences_only_the_next_line() {
    let line = "Ruto’s state visit to the United States was in August 2024.\n";
    assert!(render(line).contains("date-conflict"));
    let ignored = format!("<!-- dossier-ignore date-conflict -->\n{line}\n{line}");
    let r = render(&ignored);
    assert_eq!(r.matches("date-conflict").count(), 1, "{r}");
    assert!(r.starts_with("4:"), "only the second copy is reported: {r}");
    let other_code = format!("<!-- dossier-ignore unverified-quote -->\n{line}");
    assert!(render(&other_code).contains("date-conflict"));
}

#[test]
fn ignore_file_silences_the_whole_note() {
    let text = "<!-- dossier-ignore-file -->\nRuto’s state visit to the United States was in August 2024.\nSee [@999].\n";
    assert_eq!(render(text), "");
    let only_dates = "<!-- dossier-ignore-file date-conflict -->\nRuto’s state visit to the United States was in August 2024.\nSee [@999].\n";
    let r = render(only_dates);
    assert!(
        !r.contains("date-conflict") && r.contains("unknown-source"),
        "{r}"
    );
}

fn dossier(args: &[&str], cwd: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        // The index of extractions goes to the build folder, not the user's cache.
        .env(
            "DOSSIER_CACHE_DIR",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/dossier-cache"),
        )
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn check_exit_status_follows_the_worst_finding() {
    let fx = root().join("fixtures");
    let (code, out, _) = dossier(&["check", "notes/agreements.md"], &fx);
    assert_eq!((code, out.as_str()), (0, ""));
    let (code, out, _) = dossier(&["check", "notes/example.md"], &fx);
    assert_eq!(code, 1);
    assert!(
        out.starts_with("notes/example.md:5:113: warning[date-conflict]: "),
        "{out}"
    );
    assert!(
        out.contains("001_f5c6b512ca1d2a60.txt:37: In September, Aden and Austin signed"),
        "{out}"
    );
    // Information-level findings alone leave the status at 0.
    let tmp = TempDir::new("check");
    let dir = tmp.path().to_path_buf();
    std::fs::write(
        dir.join("n.md"),
        "He said “we will double our troop presence in Haiti next year”.\n",
    )
    .unwrap();
    let (code, out, _) = dossier(
        &[
            "check",
            "--corpus",
            fx.join("corpus").to_str().unwrap(),
            dir.to_str().unwrap(),
        ],
        &fx,
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("info[unverified-quote]"), "{out}");
}

#[test]
fn check_json_lists_every_finding_with_its_source() {
    let fx = root().join("fixtures");
    let (code, out, _) = dossier(&["check", "--format", "json", "notes"], &fx);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rows = v.as_array().unwrap();
    let conflicts = rows.iter().filter(|r| r["code"] == "date-conflict").count();
    assert_eq!(
        conflicts,
        1 + 9 + 1,
        "example, conflicts and relative notes"
    );
    let r = rows
        .iter()
        .find(|r| r["path"].as_str().unwrap().ends_with("example.md"))
        .unwrap();
    assert_eq!(r["text"], "October");
    assert_eq!(r["related"][0]["article"], "001_f5c6b512ca1d2a60");
    assert_eq!(r["fixes"][0]["edits"][0]["text"], "September");
}

#[test]
fn check_usage_and_corpus_errors_exit_2() {
    let tmp = std::env::temp_dir();
    let (code, _, err) = dossier(&["check", "/no/such/note.md"], &tmp);
    assert_eq!(code, 2);
    assert!(err.contains("no such file"), "{err}");
    let (code, _, err) = dossier(
        &[
            "check",
            "--corpus",
            "/no/such/corpus",
            root().join("fixtures/notes/example.md").to_str().unwrap(),
        ],
        &tmp,
    );
    assert_eq!(code, 2);
    assert!(err.contains("/no/such/corpus"), "{err}");
    let (code, _, err) = dossier(&["check", "--disable", "nonsense", "x.md"], &tmp);
    assert_eq!(code, 2, "{err}");
}

/// A corpus of one official release dated only by its front matter, and its folder (removed when the guard
/// drops; keep it while the knowledge base is in use, which may read the article back).
fn release_kb() -> (TempDir, KnowledgeBase) {
    let tmp = TempDir::new("release");
    let dir = tmp.path().to_path_buf();
    std::fs::write(
        dir.join("state-visit.md"),
        "---\ntitle: \"Readout of the State Visit\"\ndate: '2024-05-23'\n---\n\nPresident Biden hosted Kenyan President William Ruto at the White House today for a state visit. The two leaders signed the Nairobi-Washington Vision yesterday.\n",
    )
    .unwrap();
    let c = corpus::load(&[dir], &LoadOptions::default(), &|_, _| {}).unwrap();
    (tmp, KnowledgeBase::from_corpus(c, &|_, _| {}))
}

fn codes(kb: &KnowledgeBase, text: &str) -> Vec<(&'static str, String)> {
    let note = NoteIndex::new(kb, text);
    diagnostics(kb, &note, text, &CheckOptions::default())
        .into_iter()
        .map(|d| (d.code, text[d.range].to_string()))
        .collect()
}

#[test]
fn today_in_a_release_resolves_through_its_metadata_date() {
    let (_tmp, kb) = release_kb();
    // "hosted … today" in a release dated 2024-05-23; the note calls it a state visit.
    assert_eq!(
        codes(
            &kb,
            "Ruto’s state visit to President Biden was on 23 May 2024.\n"
        ),
        vec![]
    );
    assert_eq!(
        codes(
            &kb,
            "President Biden hosted President Ruto on 22 May 2024.\n"
        ),
        vec![("date-conflict", "22 May 2024".to_string())]
    );
    // A note that only names the month agrees.
    assert_eq!(codes(&kb, "Biden hosted Ruto in May 2024.\n"), vec![]);
}
