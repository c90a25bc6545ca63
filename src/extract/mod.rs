//! Pure extraction over text: sentences, names of people and agreements, dates, quotations and events.

pub mod dates;
pub mod events;
pub mod names;
pub mod quotes;
pub mod segment;
