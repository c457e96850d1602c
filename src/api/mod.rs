//! HTTP routers, one per area, and the extractors they share.

pub mod analytics;
pub mod audit;
pub mod auth;
pub mod cookies;
pub mod customers;
pub mod docs;
pub mod error;
pub mod extractors;
pub mod follow_ups;
pub mod health;
pub mod notifications;
pub mod public;
pub mod reply;
pub mod responses;
pub mod surveys;
pub mod users;
pub mod web;
pub mod webhooks;
pub mod workspaces;

use std::sync::Arc;

use axum::extract::FromRef;

use crate::{
    core::{config::Settings, database::Db},
    services::state::AppState,
};

// Handlers may take `State<Db>` or `State<Arc<Settings>>` alone.
impl FromRef<AppState> for Db {
    fn from_ref(state: &AppState) -> Self {
        state.db.clone()
    }
}

impl FromRef<AppState> for Arc<Settings> {
    fn from_ref(state: &AppState) -> Self {
        state.settings.clone()
    }
}
