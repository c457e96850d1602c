//! The rules of the application; handlers call these, these call models.

pub mod users;
