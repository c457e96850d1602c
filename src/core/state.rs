//! The one application state, cloned into every handler (STYLE.md habit 7).

use std::sync::Arc;

use axum::extract::FromRef;

use crate::core::{config::Settings, database::Db, password::PasswordHasher};

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub hasher: PasswordHasher,
}

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
