//! HTTP routers, one per area, and the extractors they share.

pub mod analytics;
pub mod audit;
pub mod auth;
pub mod cookies;
pub mod customers;
pub mod docs;
pub mod extractors;
pub mod follow_ups;
pub mod health;
pub mod notifications;
pub mod public;
pub mod responses;
pub mod surveys;
pub mod users;
pub mod web;
pub mod webhooks;
pub mod workspaces;
