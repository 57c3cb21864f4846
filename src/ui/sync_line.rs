//! The window's sync line: the background sync service's status reduced
//! to what one line shows (state, events left to send, the last success in
//! local time). The words are in `ui/sync-status.slint`, translated there.

use std::fmt::Display;

use chrono::{DateTime, TimeZone, Utc};

use super::{SyncInfo, SyncState, slint_int};
use crate::sync::{Connectivity, SyncStatus};

/// The line for `status`, with times shown in `now`'s time zone: the time
/// alone for today, with the date before.
pub fn sync_info<Tz: TimeZone>(status: &SyncStatus, now: &DateTime<Tz>) -> SyncInfo
where
    Tz::Offset: Display,
{
    SyncInfo {
        state: match status.connectivity {
            Connectivity::Connecting => SyncState::Connecting,
            Connectivity::Online => SyncState::Online,
            Connectivity::Offline { .. } => SyncState::Offline,
            Connectivity::Refused { .. } => SyncState::Refused,
            Connectivity::NotEnrolled => SyncState::NotEnrolled,
        },
        pending: slint_int(status.pending),
        last_success: status
            .last_success
            .map(|at| local_time(at, now))
            .unwrap_or_default()
            .into(),
    }
}

/// The line of a terminal with no sync service (not enrolled): the events
/// waiting in its journal for a server.
pub fn not_enrolled(unsent: u64) -> SyncInfo {
    SyncInfo {
        state: SyncState::NotEnrolled,
        pending: slint_int(unsent),
        last_success: "".into(),
    }
}

/// `at` as `HH:MM` when it is on `now`'s day, else `YYYY-MM-DD HH:MM`.
fn local_time<Tz: TimeZone>(at: DateTime<Utc>, now: &DateTime<Tz>) -> String
where
    Tz::Offset: Display,
{
    let at = at.with_timezone(&now.timezone());
    if at.date_naive() == now.date_naive() {
        at.format("%H:%M").to_string()
    } else {
        at.format("%Y-%m-%d %H:%M").to_string()
    }
}

#[cfg(test)]
mod tests {
    use chrono::FixedOffset;

    use super::*;

    #[test]
    fn states_counts_and_local_times() {
        let berlin = FixedOffset::east_opt(3600).unwrap();
        let now = berlin.with_ymd_and_hms(2026, 11, 25, 9, 30, 0).unwrap();
        let today = Utc.with_ymd_and_hms(2026, 11, 25, 7, 5, 0).unwrap();
        let status = SyncStatus {
            connectivity: Connectivity::Online,
            pending: 3,
            last_success: Some(today),
            ..SyncStatus::default()
        };
        let info = sync_info(&status, &now);
        assert_eq!(info.state, SyncState::Online);
        assert_eq!(info.pending, 3);
        assert_eq!(info.last_success, "08:05");

        // 23:30 UTC on the 24th is already the 25th in Berlin.
        let late = Utc.with_ymd_and_hms(2026, 11, 24, 23, 30, 0).unwrap();
        let yesterday = Utc.with_ymd_and_hms(2026, 11, 24, 22, 30, 0).unwrap();
        let shown = |at| {
            sync_info(
                &SyncStatus {
                    last_success: Some(at),
                    ..status.clone()
                },
                &now,
            )
        };
        assert_eq!(shown(late).last_success, "00:30");
        assert_eq!(shown(yesterday).last_success, "2026-11-24 23:30");

        let offline = SyncStatus {
            connectivity: Connectivity::Offline {
                reason: "down".into(),
                retry_in: std::time::Duration::from_secs(2),
            },
            pending: u64::MAX,
            last_success: None,
            ..SyncStatus::default()
        };
        let info = sync_info(&offline, &now);
        assert_eq!(info.state, SyncState::Offline);
        assert_eq!(info.pending, i32::MAX);
        assert_eq!(info.last_success, "");
        let refused = SyncStatus {
            connectivity: Connectivity::Refused {
                reason: "revoked".into(),
            },
            ..SyncStatus::default()
        };
        assert_eq!(sync_info(&refused, &now).state, SyncState::Refused);
        assert_eq!(
            sync_info(&SyncStatus::default(), &now).state,
            SyncState::Connecting
        );
    }
}
