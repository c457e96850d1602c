//! Rules about values that every layer shares: the parsed field types (an email, a
//! username, a password, a score, a customer's name, a review), what a valid feedback date
//! is, which text a field may hold, how search folds text, a review's sentiment. No I/O,
//! no HTTP, no SQL.

pub mod feedback_at;
pub mod fields;
pub mod keywords;
pub mod role;
pub mod sentiment;
pub mod slug;
pub mod stats;
pub mod text;
