//! Rate limiters by key (a client IP, an API key): in this process with `governor`, or,
//! with `RATE_LIMIT_URL=redis://…`, shared by every instance through Redis, so that N
//! instances do not grant N times the limit. Redis counts fixed windows (a counter per key
//! and window that expires with it); when Redis does not answer, the local limiter decides,
//! so an outage of the limiter never refuses or blocks requests.

use std::{fmt::Display, hash::Hash, num::NonZeroU32, time::Duration};

use governor::{
    DefaultKeyedRateLimiter, Quota, RateLimiter,
    clock::{Clock, DefaultClock},
};
use redis::{
    Script,
    aio::{ConnectionManager, ConnectionManagerConfig},
};

/// Counts one hit in the key's current window; sets the window's expiry on its first hit.
const HIT: &str = "local n = redis.call('INCR', KEYS[1]) \
                   if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end return n";

pub struct Limiter<K: Hash + Eq + Clone> {
    local: DefaultKeyedRateLimiter<K>,
    shared: Option<Shared>,
}

/// Where the shared counters live, and under which names.
#[derive(Clone)]
pub struct SharedStore {
    redis: ConnectionManager,
    prefix: String,
}

impl SharedStore {
    /// A lazy connection to `url` (nothing is sent until the first check); keys start with
    /// `prefix`, so that several deployments may share one Redis.
    pub fn connect(url: &str, prefix: &str) -> anyhow::Result<Self> {
        let client = redis::Client::open(url).map_err(|e| anyhow::anyhow!("RATE_LIMIT_URL is not usable: {e}"))?;
        // A limiter must not hold a request up: a slow or absent Redis is skipped quickly.
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_millis(250)))
            .set_response_timeout(Some(Duration::from_millis(250)))
            .set_number_of_retries(1);
        let redis = ConnectionManager::new_lazy_with_config(client, config)
            .map_err(|e| anyhow::anyhow!("RATE_LIMIT_URL is not usable: {e}"))?;
        Ok(Self { redis, prefix: prefix.to_string() })
    }
}

struct Shared {
    store: SharedStore,
    /// The limiter's name in the keys (`auth`, `public`, …).
    name: &'static str,
    limit: u32,
    window: Duration,
}

impl<K: Hash + Eq + Clone + Display> Limiter<K> {
    /// `limit` requests per `window` and key; shared when `store` is given.
    pub fn new(name: &'static str, limit: NonZeroU32, window: Duration, store: Option<SharedStore>) -> Self {
        let quota = Quota::with_period(window / limit.get()).expect("a positive window").allow_burst(limit);
        let shared = store.map(|store| Shared { store, name, limit: limit.get(), window });
        Self { local: RateLimiter::keyed(quota), shared }
    }

    /// One request of `key`: `Err(seconds to wait)` when over the limit.
    pub async fn check(&self, key: &K) -> Result<(), u64> {
        if let Some(shared) = &self.shared {
            match shared.hit(key).await {
                Ok(verdict) => return verdict,
                Err(err) => {
                    tracing::warn!(%err, limiter = shared.name, "shared rate limit unavailable; limiting locally")
                }
            }
        }
        self.local
            .check_key(key)
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()).as_secs().max(1))
    }

    /// Forgets idle keys of the local limiter, so that its memory stays bounded.
    pub fn forget_idle(&self) {
        self.local.retain_recent();
        self.local.shrink_to_fit();
    }
}

impl Shared {
    async fn hit(&self, key: &impl Display) -> redis::RedisResult<Result<(), u64>> {
        let window_ms = self.window.as_millis() as u64;
        let now_ms = chrono::Utc::now().timestamp_millis().max(0) as u64;
        let (window, elapsed) = (now_ms / window_ms, now_ms % window_ms);
        let name = format!("{}:rl:{}:{key}:{window}", self.store.prefix, self.name);
        let mut redis = self.store.redis.clone();
        let count: u64 = Script::new(HIT).key(name).arg(window_ms).invoke_async(&mut redis).await?;
        Ok(if count > u64::from(self.limit) { Err((window_ms - elapsed).div_ceil(1000).max(1)) } else { Ok(()) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_local_limiter_refuses_past_the_limit_with_a_wait() {
        let limiter = Limiter::new("t", NonZeroU32::new(2).unwrap(), Duration::from_secs(60), None);
        assert_eq!(limiter.check(&1).await, Ok(()));
        assert_eq!(limiter.check(&1).await, Ok(()));
        let wait = limiter.check(&1).await.unwrap_err();
        assert!((1..=30).contains(&wait), "{wait}");
        assert_eq!(limiter.check(&2).await, Ok(()), "another key has its own budget");
    }

    #[tokio::test]
    async fn an_unreachable_store_falls_back_to_the_local_limiter() {
        let store = SharedStore::connect("redis://127.0.0.1:1/", "test").unwrap();
        let limiter = Limiter::new("t", NonZeroU32::new(1).unwrap(), Duration::from_secs(60), Some(store));
        assert_eq!(limiter.check(&1).await, Ok(()));
        assert!(limiter.check(&1).await.is_err());
    }
}
