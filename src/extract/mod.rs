//! Pure extraction over text: sentences, names of people and agreements, dates, quotations, events, event
//! facts and dated statements.

pub mod dates;
pub mod events;
pub mod facts;
pub mod names;
pub mod quotes;
pub mod segment;
pub mod statements;
