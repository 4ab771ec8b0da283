//! A cancellation signal shared between whoever starts work and the work itself.

use std::sync::Arc;

use tokio::sync::watch;

/// Cloneable flag: [`CancelToken::cancel`] from any clone wakes every
/// [`CancelToken::cancelled`] waiter.
#[derive(Debug, Clone)]
pub struct CancelToken(Arc<watch::Sender<bool>>);

impl Default for CancelToken {
    fn default() -> Self {
        CancelToken(Arc::new(watch::Sender::new(false)))
    }
}

impl CancelToken {
    /// A token that has not fired.
    pub fn new() -> Self {
        Self::default()
    }

    /// Fires the token; waiters wake, later checks see it.
    pub fn cancel(&self) {
        self.0.send_replace(true);
    }

    /// Whether the token has fired.
    pub fn is_cancelled(&self) -> bool {
        *self.0.borrow()
    }

    /// Completes once the token fires (at once when it already has).
    pub async fn cancelled(&self) {
        let mut rx = self.0.subscribe();
        // The sender lives in `self`, so wait_for cannot see a closed channel.
        let _ = rx.wait_for(|fired| *fired).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn waiters_wake_when_any_clone_cancels() {
        let t = CancelToken::new();
        let waiter = {
            let t = t.clone();
            tokio::spawn(async move { t.cancelled().await })
        };
        assert!(!t.is_cancelled());
        t.clone().cancel();
        waiter.await.expect("waiter finished");
        assert!(t.is_cancelled());
        // Already fired: returns at once.
        t.cancelled().await;
    }
}
