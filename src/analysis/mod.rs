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
