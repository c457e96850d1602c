//! Argon2id password hashing, off the async runtime and bounded so a login storm cannot
//! starve other requests.

use std::{cell::RefCell, sync::Arc};

use anyhow::Context;
use argon2::{
    Algorithm, Argon2, Block, Params, PasswordHash, PasswordHasher as _, Version,
    password_hash::{self, phc::Output},
};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Semaphore;

/// OWASP's minimum for Argon2id: m=19 MiB, t=2, p=1.
pub const M_COST_KIB: u32 = 19_456;
pub const T_COST: u32 = 2;
pub const P_COST: u32 = 1;

/// Argon2id with the parameters above: what every login runs (also `examples/argon2_parallel.rs`).
pub fn argon2() -> Argon2<'static> {
    let params = Params::new(M_COST_KIB, T_COST, P_COST, None).expect("valid Argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Checked when the login name is unknown, so that answer takes as long as a real one: a
/// hash of a throwaway password with the parameters above, written out rather than computed
/// at start (one hash less before the server is ready; a test checks the parameters match).
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$rexE6LaWjWK3rS9Z5pXunQ$JPj7MlSfys4PMxjn8if8cdSTT0DYbO3Iompz/GzpGcY";

thread_local! {
    /// Argon2's working memory (19 MiB), kept by each blocking thread that verifies a
    /// password: a login then neither allocates nor faults in 19 MiB of fresh pages, and the
    /// allocator may hand freed memory back to the system at once (`main.rs`). It goes with
    /// the thread (tokio ends blocking threads idle for 10 s).
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// What argon2's `verify_password` does (the hash's own algorithm, version and parameters;
/// a constant-time comparison of the outputs), in this thread's memory.
pub fn verify_in_thread_memory(password: &[u8], stored: &PasswordHash) -> password_hash::Result<bool> {
    let (Some(salt), Some(expected)) = (&stored.salt, &stored.hash) else {
        return Ok(false);
    };
    let params = Params::try_from(stored)?;
    let algorithm = Algorithm::try_from(stored.algorithm.as_str())?;
    let version = stored.version.map(Version::try_from).transpose()?.unwrap_or_default();
    let blocks = params.block_count();
    let mut buffer = [0u8; Output::MAX_LENGTH];
    let out = buffer.get_mut(..expected.len()).ok_or(password_hash::Error::OutputSize)?;
    MEMORY.with_borrow_mut(|memory| {
        if memory.len() < blocks {
            memory.resize(blocks, Block::new());
        }
        Argon2::new(algorithm, version, params).hash_password_into_with_memory(
            password,
            salt,
            out,
            &mut memory[..blocks],
        )
    })?;
    Ok(Output::new(out)? == *expected)
}

#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
}

impl PasswordHasher {
    /// At most one hash per core at once; the rest wait their turn instead of piling up
    /// blocking threads.
    pub fn new() -> Self {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
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
            let phc = stored.unwrap_or_else(|| DUMMY_HASH.to_string());
            let parsed = PasswordHash::new(&phc).map_err(|e| anyhow::anyhow!("stored hash is malformed: {e}"))?;
            let matches = verify_in_thread_memory(password.expose_secret().as_bytes(), &parsed)
                .map_err(|e| anyhow::anyhow!("stored hash is not usable: {e}"))?;
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

    #[test]
    fn the_dummy_hash_has_the_parameters_of_real_ones() {
        let dummy = PasswordHash::new(DUMMY_HASH).unwrap();
        let real = argon2().hash_password(b"anything").unwrap();
        assert_eq!(Params::try_from(&dummy).unwrap(), Params::try_from(&real).unwrap());
        assert_eq!((dummy.algorithm, dummy.version), (real.algorithm, real.version));
        assert!(verify_in_thread_memory(b"pulse-dummy-password", &dummy).unwrap());
    }

    #[test]
    fn verifying_in_reused_memory_agrees_with_argon2_itself() {
        use argon2::PasswordVerifier as _;
        // Other parameters than ours first, so the memory is reused at another size too.
        let small = Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(1024, 1, 1, None).unwrap());
        for (hasher, password) in [(small, "first"), (argon2(), "second"), (argon2(), "third")] {
            let stored = hasher.hash_password(password.as_bytes()).unwrap();
            assert!(verify_in_thread_memory(password.as_bytes(), &stored).unwrap());
            assert!(hasher.verify_password(password.as_bytes(), &stored).is_ok());
            for wrong in ["", "First", "second ", "thirds"] {
                assert!(!verify_in_thread_memory(wrong.as_bytes(), &stored).unwrap(), "{wrong}");
            }
        }
    }
}
