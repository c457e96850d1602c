//! The rules of the application; handlers call these, these call models.

pub mod analytics;
pub mod api_keys;
pub mod audit;
pub mod auth;
pub mod csv_import;
pub mod csv_parse;
pub mod customers;
pub mod export;
pub mod follow_ups;
pub mod invitations;
pub mod jobs;
pub mod mail;
pub mod notifications;
pub mod public;
pub mod responses;
pub mod session_cache;
pub mod state;
pub mod surveys;
pub mod two_factor;
pub mod users;
pub mod webhooks;
pub mod workspaces;
