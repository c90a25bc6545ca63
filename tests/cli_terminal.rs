//! Nothing from a corpus, a note or a file name reaches the terminal raw: escape sequences, OSC 8
//! links, bidirectional overrides and newlines are shown escaped.

mod cli_support;
use cli_support::{TempDir, dossier};

/// Characters that must never reach a terminal raw from `dossier`'s own text output.
fn raw_controls(s: &str) -> Vec<char> {
    s.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n')
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
        })
        .collect()
}

fn hostile_corpus() -> TempDir {
    let dir = TempDir::new("hostile");
    dir.write(
        "corpus/a.txt",
        "Ruto visits Haiti\n\nPresident William Ruto said on Monday that Kenya would \"double\x1b[2J its \
         troop presence in Haiti next year\", officials\x1b]0;pwned\x07 said \
         \x1b]8;;http://evil.example\x1b\\here\x1b]8;;\x1b\\ \u{202E}today.\n",
    );
    dir.write("corpus/evil\u{202E}txt.md", b"\x00\x01binary");
    dir.write("corpus/new\nline.txt", b"\x00\x01binary");
    dir.write(
        "note.md",
        "William Ruto\x1b[31m said Kenya would “double its troop presence in Haiti next year”.\n",
    );
    dir
}

#[test]
fn check_escapes_article_text_note_text_and_file_names() {
    let dir = hostile_corpus();
    let (code, out, err) = dossier(&["check", "--corpus", "corpus", "note.md"], dir.path());
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("closest is"),
        "the article text is shown: {out}"
    );
    assert_eq!(raw_controls(&out), [], "{out}");
    assert_eq!(raw_controls(&err), [], "{err}");
    assert!(out.contains("\\u{1b}[2J"), "{out}");
    assert!(err.contains("evil\\u{202e}txt.md"), "{err}");
    assert!(err.contains("new\\nline.txt"), "{err}");
}

#[test]
fn entities_escapes_file_names_and_article_text() {
    let dir = hostile_corpus();
    let (code, out, err) = dossier(&["entities", "--corpus", "corpus"], dir.path());
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("William Ruto"), "{out}");
    assert_eq!(raw_controls(&out), [], "{out}");
    assert_eq!(raw_controls(&err), [], "{err}");
    assert!(err.contains("new\\nline.txt"), "{err}");
}

#[test]
fn dates_escapes_the_text_it_echoes() {
    let dir = TempDir::new("dates-esc");
    dir.write(
        "n.md",
        "On 8 November 2024\x1b[2J\u{202E}, and on 9 November\x1b]0;x\x07.\n",
    );
    let (code, out, err) = dossier(&["dates", "n.md"], dir.path());
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("2024-11-08"), "{out}");
    assert_eq!(raw_controls(&out.replace('\t', " ")), [], "{out}");
}
