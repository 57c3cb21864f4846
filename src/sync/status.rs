//! What the background sync service tells the rest of the terminal: a
//! snapshot of its connectivity and progress, read without touching the
//! network. The transitions are plain functions of the previous snapshot
//! and what a pass did, so they are tested here without a server.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::client::SyncError;
use super::pass::PassReport;

/// Whether this terminal's events are reaching the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Connectivity {
    /// The service has started and its first pass has not finished.
    Connecting,
    /// The last pass reached the server and everything it sent was taken.
    Online,
    /// The last pass failed for a reason time can cure (no network, server
    /// down or overloaded, a busy journal); the service retries with
    /// backoff.
    Offline {
        /// What failed, for the operator and the log.
        reason: String,
        /// The wait before the next attempt.
        retry_in: Duration,
    },
    /// No `sync.json`: there is no server to sync with.
    NotEnrolled,
    /// The server refused the terminal in a way retrying does not cure (a
    /// revoked token, a conflicting journal, another protocol version, a
    /// damaged enrollment): the service stops asking until the enrollment
    /// changes or the retry ceiling has passed.
    Refused {
        /// Why, and what to do about it.
        reason: String,
    },
}

impl Connectivity {
    /// The failure behind an `Offline` or `Refused` state.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Connectivity::Offline { reason, .. } | Connectivity::Refused { reason } => Some(reason),
            _ => None,
        }
    }
}

/// A snapshot of the sync service, cheap to clone and compare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncStatus {
    /// Whether events are reaching the server, and why not.
    pub connectivity: Connectivity,
    /// Events recorded and not yet confirmed by the server.
    pub pending: u64,
    /// The server has confirmed every event through this seq.
    pub acked_through: u64,
    /// When a pass last succeeded (since the service started).
    pub last_success: Option<DateTime<Utc>>,
    /// The most recent failure, kept after a later success for support.
    pub last_error: Option<String>,
    /// What the most recent successful pass did.
    pub last_pass: Option<PassReport>,
    /// Passes attempted against the server, failed ones included: a
    /// subscriber tells a new pass from a mere pending-count change by it.
    pub attempts: u64,
}

impl Default for SyncStatus {
    fn default() -> Self {
        SyncStatus {
            connectivity: Connectivity::Connecting,
            pending: 0,
            acked_through: 0,
            last_success: None,
            last_error: None,
            last_pass: None,
            attempts: 0,
        }
    }
}

/// Whether a failure is worth retrying soon (with backoff): the ones time
/// can cure, and the terminal's own journal being busy or full.
pub fn is_retryable(error: &SyncError) -> bool {
    error.is_transient() || matches!(error, SyncError::Journal(_))
}

impl SyncStatus {
    /// After a successful pass at `at`.
    pub fn succeeded(&self, report: PassReport, at: DateTime<Utc>) -> SyncStatus {
        SyncStatus {
            connectivity: Connectivity::Online,
            pending: report.upload.pending,
            acked_through: report.upload.acked_through,
            last_success: Some(at),
            last_error: self.last_error.clone(),
            last_pass: Some(report),
            attempts: self.attempts + 1,
        }
    }

    /// After a pass failed with `error`; `retry_in` is the wait before the
    /// next attempt when the failure [is retryable](is_retryable).
    pub fn failed(&self, error: &SyncError, retry_in: Duration) -> SyncStatus {
        let reason = error.to_string();
        let connectivity = if is_retryable(error) {
            Connectivity::Offline {
                reason: reason.clone(),
                retry_in,
            }
        } else {
            Connectivity::Refused {
                reason: reason.clone(),
            }
        };
        SyncStatus {
            connectivity,
            last_error: Some(reason),
            attempts: self.attempts + 1,
            ..self.clone()
        }
    }

    /// The enrollment is gone: nothing is attempted.
    pub fn not_enrolled(&self) -> SyncStatus {
        SyncStatus {
            connectivity: Connectivity::NotEnrolled,
            ..self.clone()
        }
    }

    /// With progress read from the journal (events appended, or a failed
    /// pass that confirmed some batches before it broke off).
    pub fn with_progress(&self, acked_through: u64, pending: u64) -> SyncStatus {
        SyncStatus {
            acked_through,
            pending,
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::UploadReport;

    fn report(acked_through: u64, pending: u64) -> PassReport {
        PassReport {
            upload: UploadReport {
                acked_through,
                pending,
                ..UploadReport::default()
            },
            ..PassReport::default()
        }
    }

    fn unreachable() -> SyncError {
        SyncError::Unreachable {
            url: "http://127.0.0.1:9/v1/health".into(),
            reason: "connection refused".into(),
        }
    }

    #[test]
    fn a_success_goes_online_and_a_network_failure_offline_keeping_progress() {
        let start = SyncStatus::default();
        assert_eq!(start.connectivity, Connectivity::Connecting);
        let at = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let online = start.succeeded(report(20, 0), at);
        assert_eq!(online.connectivity, Connectivity::Online);
        assert_eq!((online.acked_through, online.pending), (20, 0));
        assert_eq!(online.last_success, Some(at));
        assert_eq!(online.attempts, 1);

        let more = online.with_progress(20, 3);
        assert_eq!((more.pending, more.attempts), (3, 1));
        let offline = more.failed(&unreachable(), Duration::from_millis(700));
        let Connectivity::Offline { reason, retry_in } = &offline.connectivity else {
            panic!("{offline:?}");
        };
        assert!(reason.contains("cannot be reached"), "{reason}");
        assert_eq!(*retry_in, Duration::from_millis(700));
        assert_eq!(offline.last_error.as_deref(), Some(reason.as_str()));
        assert_eq!(offline.last_success, Some(at), "the last success stays");
        assert_eq!(offline.last_pass, online.last_pass);
        assert_eq!((offline.pending, offline.attempts), (3, 2));

        let back = offline.succeeded(report(23, 0), at);
        assert_eq!(back.connectivity, Connectivity::Online);
        assert_eq!(back.connectivity.reason(), None);
        assert_eq!(back.last_error, offline.last_error, "kept for support");
    }

    #[test]
    fn refusals_are_told_apart_from_what_time_cures() {
        let start = SyncStatus::default();
        let wait = Duration::from_secs(1);
        for refusal in [
            SyncError::Unauthorized("token revoked".into()),
            SyncError::Forbidden("device dock-2".into()),
            SyncError::Incompatible { server: 99 },
            SyncError::Setup("sync.json is damaged: enroll again".into()),
            SyncError::Rejected {
                status: 422,
                detail: "bad batch".into(),
            },
        ] {
            let refused = start.failed(&refusal, wait);
            assert_eq!(
                refused.connectivity,
                Connectivity::Refused {
                    reason: refusal.to_string()
                }
            );
        }
        for curable in [
            unreachable(),
            SyncError::Rejected {
                status: 503,
                detail: "overloaded".into(),
            },
            SyncError::Rejected {
                status: 429,
                detail: "slow down".into(),
            },
            SyncError::Journal(crate::journal::JournalError::Invalid("busy".into())),
        ] {
            let offline = start.failed(&curable, wait);
            assert!(
                matches!(offline.connectivity, Connectivity::Offline { .. }),
                "{curable}: {offline:?}"
            );
        }
    }

    #[test]
    fn not_enrolled_counts_no_attempt() {
        let status = SyncStatus::default().with_progress(0, 5).not_enrolled();
        assert_eq!(status.connectivity, Connectivity::NotEnrolled);
        assert_eq!((status.pending, status.attempts), (5, 0));
    }
}
