//! Authenticated sessions, and the workspaces their accounts act in, kept in memory, so
//! that a request with a valid access token reads nothing from the database to know who
//! is calling — without delaying any revocation.
//!
//! - Every write that revokes a session or changes an account calls
//!   `AppState::forget_sessions` (which calls `forget`) after its commit: the entries go
//!   before the response is sent, and on PostgreSQL a `NOTIFY` tells every other instance
//!   to drop them too (`listen` applies those).
//! - An entry is only stored if no invalidation happened since its database read began
//!   (`generation`), so a read that raced a revocation cannot put the old row back.
//! - While the `LISTEN` connection is down, the cache is bypassed; when it is back, the
//!   cache starts empty (notifications sent meanwhile are lost).
//! - An entry lives at most a minute: the session's `last_used_at` is written once a
//!   minute anyway (a miss), which also bounds what a lost notification could cost.

use std::{
    collections::HashMap,
    sync::{
        Arc, RwLock,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::Duration,
};

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, sqlx::postgres::PgListener};
use tokio_util::sync::CancellationToken;

use crate::{
    core::database::{Db, stmt},
    models::user,
    services::workspaces::Access,
};

const CHANNEL: &str = "pulse_sessions";
/// How long an entry is trusted (see the module comment).
pub const MAX_AGE: chrono::TimeDelta = chrono::TimeDelta::seconds(60);
/// Beyond this many sessions the cache starts again empty rather than grow.
const CAPACITY: usize = 100_000;

/// The cache's counters (described in `middleware::metrics`).
pub const HITS: &str = "session_cache_hits_total";
pub const MISSES: &str = "session_cache_misses_total";
pub const INVALIDATIONS: &str = "session_cache_invalidations_total";

/// A live session as last read from the database.
#[derive(Clone, Debug)]
pub struct Entry {
    pub user: user::Model,
    pub expires_at: DateTime<Utc>,
    /// When the database row was last touched (and this entry read).
    pub last_used_at: DateTime<Utc>,
}

/// What a write invalidated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Forget {
    Session(i64),
    /// Every session of the account and its workspaces (its row or its memberships
    /// changed, or all its sessions were revoked).
    User(i64),
    /// Everything (a change that touched many accounts, e.g. a workspace changed or deleted).
    All,
}

impl Forget {
    fn payload(self) -> String {
        match self {
            Forget::Session(id) => format!("s{id}"),
            Forget::User(id) => format!("u{id}"),
            Forget::All => "*".into(),
        }
    }

    fn parse(payload: &str) -> Option<Self> {
        match payload.split_at_checked(1)? {
            ("s", id) => id.parse().ok().map(Forget::Session),
            ("u", id) => id.parse().ok().map(Forget::User),
            ("*", "") => Some(Forget::All),
            _ => None,
        }
    }
}

/// An account's access to a workspace (its `{wid}`, or `None` for its default), when read.
type AccessKey = (i64, Option<i64>);

pub struct SessionCache {
    entries: RwLock<HashMap<i64, Entry>>,
    access: RwLock<HashMap<AccessKey, (Access, DateTime<Utc>)>>,
    /// Bumped by every invalidation, under the write lock.
    generation: AtomicU64,
    /// False while invalidations from other instances could be missed.
    live: AtomicBool,
}

impl SessionCache {
    /// `live` from the start on SQLite (one instance); on PostgreSQL once `listen` is.
    pub fn new(live: bool) -> Self {
        Self {
            entries: RwLock::default(),
            access: RwLock::default(),
            generation: AtomicU64::new(0),
            live: AtomicBool::new(live),
        }
    }

    /// A cached, still-trusted entry of `session_id`.
    pub fn get(&self, session_id: i64, now: DateTime<Utc>) -> Option<Entry> {
        if !self.live.load(Ordering::Acquire) {
            return None;
        }
        let hit =
            self.read().get(&session_id).filter(|e| e.expires_at > now && now - e.last_used_at < MAX_AGE).cloned();
        metrics::counter!(if hit.is_some() { HITS } else { MISSES }).increment(1);
        hit
    }

    /// Read before the database read that `insert` will store.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Stores what was read, unless something was invalidated since `generation`.
    pub fn insert(&self, generation: u64, session_id: i64, entry: Entry) {
        if !self.live.load(Ordering::Acquire) {
            return;
        }
        let mut entries = self.write();
        if self.generation.load(Ordering::Acquire) != generation {
            return;
        }
        if entries.len() >= CAPACITY {
            entries.clear();
        }
        entries.insert(session_id, entry);
    }

    /// A cached, still-trusted access of `user_id` to workspace `wid`.
    pub fn access(&self, user_id: i64, wid: Option<i64>, now: DateTime<Utc>) -> Option<Access> {
        if !self.live.load(Ordering::Acquire) {
            return None;
        }
        let access = self.access.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        access.get(&(user_id, wid)).filter(|(_, read_at)| now - *read_at < MAX_AGE).map(|(a, _)| a.clone())
    }

    /// Stores an access read at `now`, unless something was invalidated since `generation`.
    pub fn insert_access(&self, generation: u64, user_id: i64, wid: Option<i64>, access: Access, now: DateTime<Utc>) {
        if !self.live.load(Ordering::Acquire) {
            return;
        }
        // The sessions' lock orders every invalidation against every insert.
        let _entries = self.write();
        if self.generation.load(Ordering::Acquire) != generation {
            return;
        }
        let mut all = self.access.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        if all.len() >= CAPACITY {
            all.clear();
        }
        all.insert((user_id, wid), (access, now));
    }

    /// Drops what `what` names, on this instance only.
    pub fn forget_here(&self, what: Forget) {
        let mut entries = self.write();
        let mut access = self.access.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        match what {
            Forget::Session(id) => {
                entries.remove(&id);
            }
            Forget::User(id) => {
                entries.retain(|_, e| e.user.id != id);
                access.retain(|(user_id, _), _| *user_id != id);
            }
            Forget::All => {
                entries.clear();
                access.clear();
            }
        }
        metrics::counter!(INVALIDATIONS).increment(1);
    }

    fn set_live(&self, live: bool) {
        self.forget_here(Forget::All);
        self.live.store(live, Ordering::Release);
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, HashMap<i64, Entry>> {
        self.entries.read().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, HashMap<i64, Entry>> {
        self.entries.write().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Drops what `what` names here, then tells the other instances. Call it after the
/// revoking write has committed.
pub async fn forget(db: &Db, sessions: &SessionCache, what: Forget) {
    sessions.forget_here(what);
    if db.get_database_backend() == DbBackend::Postgres {
        let notify = stmt(db, "SELECT pg_notify($1, $2)", [CHANNEL.into(), what.payload().into()]);
        if let Err(err) = db.execute_raw(notify).await {
            // The others drop the entry within `MAX_AGE` regardless.
            tracing::warn!(%err, ?what, "could not tell the other instances about a revoked session");
        }
    }
}

/// On PostgreSQL, applies the other instances' invalidations until `stop`, reconnecting
/// (and bypassing the cache meanwhile) whenever the listening connection drops.
pub async fn listen(db: Db, sessions: Arc<SessionCache>, stop: CancellationToken) {
    if db.get_database_backend() != DbBackend::Postgres {
        return;
    }
    let pool = db.get_postgres_connection_pool().clone();
    while !stop.is_cancelled() {
        let connected = async {
            let mut listener = PgListener::connect_with(&pool).await?;
            listener.listen(CHANNEL).await?;
            Ok::<_, sea_orm::sqlx::Error>(listener)
        };
        let mut listener = match connected.await {
            Ok(listener) => listener,
            Err(err) => {
                tracing::warn!(%err, "session invalidations: cannot listen; the session cache is bypassed");
                tokio::select! {
                    _ = stop.cancelled() => return,
                    _ = tokio::time::sleep(Duration::from_secs(1)) => continue,
                }
            }
        };
        sessions.set_live(true);
        loop {
            let received = tokio::select! {
                _ = stop.cancelled() => return,
                received = listener.try_recv() => received,
            };
            match received {
                Ok(Some(notification)) => match Forget::parse(notification.payload()) {
                    Some(what) => sessions.forget_here(what),
                    None => sessions.forget_here(Forget::All),
                },
                Ok(None) | Err(_) => {
                    tracing::warn!("session invalidations: the connection dropped; the session cache is bypassed");
                    sessions.set_live(false);
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(user_id: i64) -> Entry {
        let now = Utc::now();
        let user = user::Model {
            id: user_id,
            email: String::new(),
            username: String::new(),
            password_hash: String::new(),
            is_active: true,
            is_verified: true,
            failed_attempts: 0,
            last_login: None,
            role: "user".into(),
            created_at: now,
            updated_at: now,
            default_workspace_id: None,
            totp_secret: None,
            totp_pending_secret: None,
            totp_enabled: false,
            totp_last_step: None,
        };
        Entry { user, expires_at: now + chrono::TimeDelta::hours(1), last_used_at: now }
    }

    #[test]
    fn a_read_that_raced_an_invalidation_is_not_stored() {
        let cache = SessionCache::new(true);
        let generation = cache.generation();
        cache.forget_here(Forget::Session(1));
        cache.insert(generation, 1, entry(7));
        assert!(cache.get(1, Utc::now()).is_none());
        cache.insert(cache.generation(), 1, entry(7));
        assert!(cache.get(1, Utc::now()).is_some());
    }

    #[test]
    fn forgetting_an_account_drops_all_its_sessions_and_no_other() {
        let cache = SessionCache::new(true);
        for (session, user) in [(1, 7), (2, 7), (3, 8)] {
            cache.insert(cache.generation(), session, entry(user));
        }
        cache.forget_here(Forget::User(7));
        let now = Utc::now();
        assert!(cache.get(1, now).is_none() && cache.get(2, now).is_none());
        assert!(cache.get(3, now).is_some());
    }

    #[test]
    fn entries_expire_with_their_session_or_after_a_minute() {
        let cache = SessionCache::new(true);
        cache.insert(cache.generation(), 1, entry(7));
        let now = Utc::now();
        assert!(cache.get(1, now + MAX_AGE).is_none());
        assert!(cache.get(1, now + chrono::TimeDelta::hours(2)).is_none());
    }

    #[test]
    fn forgetting_an_account_drops_its_workspaces_too() {
        let cache = SessionCache::new(true);
        let now = Utc::now();
        let access = Access {
            workspace: crate::models::workspace::Model {
                id: 3,
                name: "W".into(),
                slug: "w".into(),
                public_form_enabled: false,
                low_score_threshold: 2,
                require_two_factor: false,
                created_at: now,
                updated_at: now,
            },
            role: crate::domain::role::Role::Member,
        };
        cache.insert_access(cache.generation(), 7, Some(3), access.clone(), now);
        cache.insert_access(cache.generation(), 8, None, access, now);
        assert!(cache.access(7, Some(3), now).is_some());
        assert!(cache.access(7, Some(3), now + MAX_AGE).is_none(), "a minute at most");
        cache.forget_here(Forget::User(7));
        assert!(cache.access(7, Some(3), now).is_none());
        assert!(cache.access(8, None, now).is_some());
    }

    #[test]
    fn a_cache_that_is_not_live_is_bypassed() {
        let cache = SessionCache::new(false);
        cache.insert(cache.generation(), 1, entry(7));
        assert!(cache.get(1, Utc::now()).is_none());
    }

    #[test]
    fn notifications_round_trip() {
        for what in [Forget::Session(12), Forget::User(3), Forget::All] {
            assert_eq!(Forget::parse(&what.payload()), Some(what));
        }
        assert_eq!(Forget::parse("x1"), None);
        assert_eq!(Forget::parse(""), None);
    }
}
