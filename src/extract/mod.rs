//! Pure extraction over text: sentences, names of people and agreements, dates, quotations, events, event
//! facts, dated statements, the bounds a clause puts on its date and its tense, the words and clause
//! breaks they read, and memos of word functions.

pub mod bounds;
pub mod breaks;
pub mod dates;
pub mod events;
pub mod facts;
pub mod memo;
pub mod names;
pub mod quotes;
pub mod segment;
pub mod statements;
pub mod tense;
pub mod word;
