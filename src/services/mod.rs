//! The rules of the application; handlers call these, these call models.

pub mod analytics;
pub mod auth;
pub mod csv_import;
pub mod customers;
pub mod invitations;
pub mod mail;
pub mod sentiment;
pub mod users;
pub mod workspaces;
