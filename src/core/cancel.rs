//! The database work of a request stops when the request is dropped, e.g. when its client
//! gives up and closes the connection: a text search scanning a large table then stops
//! scanning instead of holding a pooled connection for seconds. On SQLite every pooled
//! connection handed to a request gets a progress handler that watches the request's flag
//! (`database::connect`); `scope` raises the flag if the request's future is dropped before
//! it completes.

use std::sync::{
    Arc,
    atomic::{AtomicBool, Ordering},
};

tokio::task_local! {
    static DROPPED: Arc<AtomicBool>;
}

/// Raises the flag when dropped, unless disarmed.
struct RaiseOnDrop(Option<Arc<AtomicBool>>);

impl Drop for RaiseOnDrop {
    fn drop(&mut self) {
        if let Some(flag) = self.0.take() {
            flag.store(true, Ordering::Relaxed);
        }
    }
}

/// Runs `work` as one request: queries it starts are interrupted if it is dropped unfinished.
pub async fn scope<F: Future>(work: F) -> F::Output {
    let flag = Arc::new(AtomicBool::new(false));
    let mut guard = RaiseOnDrop(Some(flag.clone()));
    let output = DROPPED.scope(flag, work).await;
    guard.0 = None;
    output
}

/// The flag of the request running on this task; a flag that never rises elsewhere
/// (background work, the command line).
pub fn current() -> Arc<AtomicBool> {
    DROPPED.try_with(Arc::clone).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_flag_rises_only_when_the_request_is_dropped_unfinished() {
        let seen = scope(async { current() }).await;
        assert!(!seen.load(Ordering::Relaxed), "a finished request leaves its flag down");

        let (tx, rx) = tokio::sync::oneshot::channel();
        let request = tokio::spawn(scope(async move {
            tx.send(current()).unwrap();
            std::future::pending::<()>().await;
        }));
        let flag = rx.await.unwrap();
        assert!(!flag.load(Ordering::Relaxed));
        request.abort();
        let _ = request.await;
        assert!(flag.load(Ordering::Relaxed), "a dropped request raises its flag");
        assert!(!current().load(Ordering::Relaxed), "outside a request, never raised");
    }
}
