//! Argon2id password hashing, off the async runtime and bounded so a login storm cannot
//! starve other requests (STYLE.md habit 6).

use std::sync::{Arc, LazyLock};

use anyhow::Context;
use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher as _, PasswordVerifier as _, Version};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Semaphore;

/// OWASP's minimum for Argon2id: m=19 MiB, t=2, p=1.
pub const M_COST_KIB: u32 = 19_456;
pub const T_COST: u32 = 2;
pub const P_COST: u32 = 1;

fn argon2() -> Argon2<'static> {
    let params = Params::new(M_COST_KIB, T_COST, P_COST, None).expect("valid Argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Checked when the login name is unknown, so that answer takes as long as a real one.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| argon2().hash_password(b"pulse-dummy-password").expect("hashing works").to_string());

#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
}

impl PasswordHasher {
    /// At most one hash per core at once; the rest wait their turn instead of piling up
    /// blocking threads.
    pub fn new() -> Self {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        LazyLock::force(&DUMMY_HASH);
        Self { permits: Arc::new(Semaphore::new(cores)) }
    }

    pub async fn hash(&self, password: &SecretString) -> anyhow::Result<String> {
        let password = password.clone();
        self.blocking(move || {
            argon2()
                .hash_password(password.expose_secret().as_bytes())
                .map(|h| h.to_string())
                .map_err(|e| anyhow::anyhow!("argon2 hashing failed: {e}"))
        })
        .await
    }

    /// Verifies against `stored`, or against the dummy hash when there is no account,
    /// always returning false in that case.
    pub async fn verify(&self, password: &SecretString, stored: Option<String>) -> anyhow::Result<bool> {
        let password = password.clone();
        self.blocking(move || {
            let real = stored.is_some();
            let phc = stored.unwrap_or_else(|| DUMMY_HASH.clone());
            let parsed = PasswordHash::new(&phc).map_err(|e| anyhow::anyhow!("stored hash is malformed: {e}"))?;
            let matches = argon2().verify_password(password.expose_secret().as_bytes(), &parsed).is_ok();
            Ok(real && matches)
        })
        .await
    }

    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
    ) -> anyhow::Result<T> {
        let _permit = self.permits.acquire().await.context("hasher closed")?;
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || {
            let start = std::time::Instant::now();
            let outcome = span.in_scope(work);
            // The cost of one hash as the server sees it: the unit of the login ceiling.
            metrics::histogram!("password_hash_seconds").record(start.elapsed().as_secs_f64());
            outcome
        })
        .await
        .context("hashing task panicked")?
    }
}

impl Default for PasswordHasher {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_with_the_minimum_parameters_and_verify() {
        let hasher = PasswordHasher::new();
        let pw = SecretString::from("correct horse battery");
        let hash = hasher.hash(&pw).await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(hasher.verify(&pw, Some(hash.clone())).await.unwrap());
        assert!(!hasher.verify(&SecretString::from("wrong"), Some(hash)).await.unwrap());
        assert!(!hasher.verify(&pw, None).await.unwrap(), "no account never verifies");
    }
}
