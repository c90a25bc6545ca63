//! Dossier: checks analysts' briefing notes against the articles they come from.
//!
//! Layers, each depending only on those before it: `text` ← `corpus`, `extract` ← `kb` ← `analysis` ←
//! `lsp`, `cli`.

pub mod alloc;
pub mod analysis;
pub mod cli;
pub mod corpus;
pub mod eval;
pub mod extract;
pub mod kb;
pub mod lsp;
#[cfg(test)]
mod testing;
pub mod text;
