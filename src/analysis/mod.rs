//! What Dossier tells an analyst about a note — hover cards, go-to-source, references, symbols, completion
//! and diagnostics — as pure functions over a knowledge base and the note's text, on byte offsets.

pub mod bounds;
pub mod claims;
pub mod diagnostics;
pub mod explain;
pub mod hover;
pub mod navigate;
pub mod note;
pub mod passages;

pub use diagnostics::{CheckOptions, Diagnostic, Fix, Related, Severity, diagnostics};
pub use hover::{Card, Hover, hover, render_markdown, warm_cards};
pub use navigate::{Target, definition};
pub use note::NoteIndex;

/// Make ready, on a thread of its own, what the first analysis of a note builds once per process (the
/// patterns and tables of segmenting, dates, quotations, claims), by analysing a small note against an
/// empty knowledge base: started while the corpus loads, it spares the first check or hover after it
/// (about 20 ms measured on a `dossier check`). Nothing is lost if the process ends first.
pub fn warm_up() {
    let _ = std::thread::Builder::new()
        .name("dossier-warm-up".to_string())
        .spawn(|| {
            let kb = crate::kb::KnowledgeBase::empty();
            let note = NoteIndex::new(&kb, WARM_UP_NOTE);
            let _ = diagnostics(&kb, &note, WARM_UP_NOTE, &CheckOptions::default());
        });
}

/// A note that uses what a first analysis does: a heading, a dated bullet, names, a quotation, a citation,
/// relative, weekday, "since" and deadline dates.
const WARM_UP_NOTE: &str = "# Briefing\n\n- **3 June 2009**: President Barack Obama met Chancellor Angela \
Merkel in Dresden on Friday, 5 June, and said \"we will not rest\" [@001]. Three days later the agreement \
was signed. Unemployment has risen since March 2008, and the plant will close by the end of January.\n";
