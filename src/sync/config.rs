//! The `[sync]` section of `lotline.toml`: how often the background sync
//! service passes and how hard it pushes. Every key has a default, so a
//! terminal that was only enrolled syncs sensibly.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::service::ServiceSettings;
use crate::protocol::MAX_BATCH_EVENTS;

/// The first wait after a failure; it doubles up to `retry_max_seconds`.
const RETRY_BASE: Duration = Duration::from_secs(1);

/// `[sync]`: the background sync service's timing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SyncConfig {
    /// Seconds between passes once everything is sent (a new event starts
    /// a pass at once).
    pub interval_seconds: u64,
    /// Events per upload request (at most the server's limit per batch).
    pub batch_size: usize,
    /// The ceiling of the jittered backoff after failures, and how long a
    /// refused terminal waits before asking the server again.
    pub retry_max_seconds: u64,
}

impl Default for SyncConfig {
    fn default() -> Self {
        SyncConfig {
            interval_seconds: 30,
            batch_size: 500,
            retry_max_seconds: 300,
        }
    }
}

impl SyncConfig {
    /// Checks the values, naming the key of a bad one.
    pub fn validate(&self) -> Result<(), String> {
        if self.interval_seconds == 0 {
            return Err("`sync.interval_seconds` must be at least 1".into());
        }
        if self.retry_max_seconds == 0 {
            return Err("`sync.retry_max_seconds` must be at least 1".into());
        }
        if !(1..=MAX_BATCH_EVENTS).contains(&self.batch_size) {
            return Err(format!(
                "`sync.batch_size` {} is not between 1 and {MAX_BATCH_EVENTS} (the server's limit per batch)",
                self.batch_size
            ));
        }
        Ok(())
    }

    /// The service settings these keys describe.
    pub fn service_settings(&self) -> ServiceSettings {
        ServiceSettings {
            interval: Duration::from_secs(self.interval_seconds),
            batch_size: self.batch_size,
            retry_base: RETRY_BASE.min(Duration::from_secs(self.retry_max_seconds)),
            retry_ceiling: Duration::from_secs(self.retry_max_seconds),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_validate_and_become_settings() {
        let config = SyncConfig::default();
        assert_eq!(config.validate(), Ok(()));
        let settings = config.service_settings();
        assert_eq!(settings.interval, Duration::from_secs(30));
        assert_eq!(settings.batch_size, 500);
        assert_eq!(settings.retry_base, Duration::from_secs(1));
        assert_eq!(settings.retry_ceiling, Duration::from_secs(300));
    }

    #[test]
    fn bad_values_name_their_key() {
        let bad = |config: SyncConfig| config.validate().unwrap_err();
        let zero_interval = SyncConfig {
            interval_seconds: 0,
            ..SyncConfig::default()
        };
        assert!(bad(zero_interval).contains("sync.interval_seconds"));
        let zero_retry = SyncConfig {
            retry_max_seconds: 0,
            ..SyncConfig::default()
        };
        assert!(bad(zero_retry).contains("sync.retry_max_seconds"));
        for batch_size in [0, MAX_BATCH_EVENTS + 1] {
            let message = bad(SyncConfig {
                batch_size,
                ..SyncConfig::default()
            });
            assert!(message.contains("sync.batch_size"), "{message}");
        }
    }
}
