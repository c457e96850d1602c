//! The one application state: what every service and handler needs, cloned cheaply.

use std::{net::IpAddr, num::NonZeroU32, sync::Arc, time::Duration};

use tokio::sync::Notify;
use tokio_util::task::TaskTracker;

use crate::{
    core::{
        config::Settings,
        crypto::{self, Sealer},
        database::Db,
        limiter::{Limiter, SharedStore},
        password::PasswordHasher,
        security::{self, JwtKeys},
    },
    services::{
        mail::Mailer,
        session_cache::{self, Forget, SessionCache},
    },
};

pub type IpRateLimiter = Limiter<IpAddr>;
pub type KeyRateLimiter = Limiter<i64>;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub hasher: PasswordHasher,
    pub keys: Arc<JwtKeys>,
    pub mailer: Mailer,
    /// Per-IP limit on `/api/v1/auth/*`; `None` when `AUTH_RATE_LIMIT_PER_MINUTE=0`.
    pub auth_limiter: Option<Arc<IpRateLimiter>>,
    /// Per-key limit of API keys; `None` when `API_KEY_RATE_LIMIT_PER_MINUTE=0`.
    pub api_key_limiter: Option<Arc<KeyRateLimiter>>,
    /// Per-IP limit of `/api/v1/public/*`; `None` when `PUBLIC_RATE_LIMIT_PER_MINUTE=0`.
    pub public_limiter: Option<Arc<IpRateLimiter>>,
    /// Per-IP limit of public form answers; `None` when `FORM_RATE_LIMIT_PER_HOUR=0`.
    pub form_limiter: Option<Arc<IpRateLimiter>>,
    /// Wakes this instance's job worker when a request queued jobs.
    pub jobs_wake: Arc<Notify>,
    /// Seals and opens the secrets stored encrypted (TOTP).
    pub sealer: Sealer,
    /// Work that outlives its request (account emails); shutdown waits for it.
    pub background: TaskTracker,
    /// Authenticated sessions, so that most requests read no session from the database.
    pub sessions: Arc<SessionCache>,
}

impl AppState {
    pub fn new(db: Db, settings: Settings) -> anyhow::Result<Self> {
        let current = match &settings.jwt_key {
            Some(key) => key.clone(),
            None => security::load_or_create_dev_key(&settings.data_dir)?,
        };
        let keys = JwtKeys::new(&current, &settings.jwt_previous);
        let mailer = Mailer::from_settings(&settings)?;
        let store = match &settings.rate_limit_url {
            Some(url) => Some(SharedStore::connect(url, &settings.rate_limit_prefix)?),
            None => None,
        };
        let limiter = |name, limit, window| {
            NonZeroU32::new(limit).map(|limit| Arc::new(Limiter::new(name, limit, window, store.clone())))
        };
        let minute = Duration::from_secs(60);
        let auth_limiter = limiter("auth", settings.auth_rate_limit_per_minute, minute);
        let public_limiter = limiter("public", settings.public_rate_limit_per_minute, minute);
        let form_limiter = limiter("form", settings.form_rate_limit_per_hour, Duration::from_secs(3600));
        let api_key_limiter = NonZeroU32::new(settings.api_key_rate_limit_per_minute)
            .map(|limit| Arc::new(Limiter::new("api_key", limit, minute, store.clone())));
        let sealer = Sealer::new(&crypto::load_key(settings.encryption_key.as_ref(), &settings.data_dir)?);
        // On PostgreSQL the cache waits for its invalidation feed (`session_cache::listen`).
        let sessions = Arc::new(SessionCache::new(db.get_database_backend() != sea_orm::DbBackend::Postgres));
        Ok(Self {
            db,
            settings: Arc::new(settings),
            hasher: PasswordHasher::new(),
            keys: Arc::new(keys),
            mailer,
            auth_limiter,
            api_key_limiter,
            public_limiter,
            form_limiter,
            jobs_wake: Arc::new(Notify::new()),
            sealer,
            background: TaskTracker::new(),
            sessions,
        })
    }

    /// Runs `work` after the answer, logging its failure.
    pub fn spawn_background<F, E>(&self, work: F)
    where
        F: Future<Output = Result<(), E>> + Send + 'static,
        E: std::fmt::Debug + Send + 'static,
    {
        self.background.spawn(async move {
            if let Err(err) = work.await {
                tracing::error!(error = ?err, "background work failed");
            }
        });
    }

    /// Drops the cached sessions `what` names, here and on the other instances. Call it
    /// after the revoking write has committed.
    pub async fn forget_sessions(&self, what: Forget) {
        session_cache::forget(&self.db, &self.sessions, what).await;
    }

    /// Waits until all background work started so far has finished.
    pub async fn settle(&self) {
        self.background.close();
        self.background.wait().await;
        self.background.reopen();
    }
}
