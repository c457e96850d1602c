//! HTTP routers, one per area, and the extractors they share.

pub mod auth;
pub mod cookies;
pub mod docs;
pub mod extractors;
pub mod health;
pub mod users;
pub mod web;
