//! The rules of the application; handlers call these, these call models.

pub mod auth;
pub mod mail;
pub mod users;
