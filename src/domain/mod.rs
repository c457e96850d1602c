//! Rules about values that every layer shares: what a valid feedback date is, which text a
//! field may hold, how search folds text, a review's sentiment. No I/O, no HTTP, no SQL.

pub mod feedback_at;
pub mod keywords;
pub mod role;
pub mod sentiment;
pub mod slug;
pub mod stats;
pub mod text;
