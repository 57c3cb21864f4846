//! The live state of each configured device, shared between its thread and
//! whoever shows it (the UI's status bar, `lotline devices`).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};
use serde::Serialize;

/// Whether a device is usable right now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum LinkState {
    /// Not opened yet.
    Starting,
    /// Open and reading.
    Connected,
    /// Gone (unplugged, closed); a reconnect is scheduled.
    Disconnected {
        /// Why it went.
        reason: String,
    },
    /// Could not be opened or failed; a retry is scheduled.
    Error {
        /// What went wrong.
        message: String,
    },
    /// Stopped for good (the supervisor shut down, or a file simulator
    /// reached the end of its file).
    Stopped,
}

/// One device's state and counters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeviceStatus {
    /// The configured name.
    pub name: String,
    /// The device kind (`serial`, `hid`, `simulator`).
    pub kind: &'static str,
    /// Connected or not, and why.
    #[serde(flatten)]
    pub state: LinkState,
    /// Extra facts worth showing, such as the port a simulator listens on.
    pub detail: Option<String>,
    /// Scans delivered.
    pub scans: u64,
    /// RFID tag reads delivered.
    pub tag_reads: u64,
    /// Frames discarded as garbage or over-long.
    pub garbage: u64,
    /// Failures to open and errors while reading.
    pub errors: u64,
    /// Times the device was (re)connected.
    pub connects: u64,
    /// When `state` last changed.
    pub since: DateTime<Utc>,
}

impl DeviceStatus {
    fn new(name: &str, kind: &'static str) -> DeviceStatus {
        DeviceStatus {
            name: name.to_owned(),
            kind,
            state: LinkState::Starting,
            detail: None,
            scans: 0,
            tag_reads: 0,
            garbage: 0,
            errors: 0,
            connects: 0,
            since: Utc::now(),
        }
    }
}

/// The status of every device, cheap to clone and share across threads.
#[derive(Debug, Clone, Default)]
pub struct StatusBoard {
    devices: Arc<Mutex<BTreeMap<String, DeviceStatus>>>,
}

impl StatusBoard {
    /// Adds a device in the `Starting` state.
    pub fn register(&self, name: &str, kind: &'static str) {
        self.with(|devices| {
            devices.insert(name.to_owned(), DeviceStatus::new(name, kind));
        });
    }

    /// Applies `change` to the named device's status.
    pub fn update(&self, name: &str, change: impl FnOnce(&mut DeviceStatus)) {
        self.with(|devices| {
            if let Some(status) = devices.get_mut(name) {
                change(status);
            }
        });
    }

    /// Sets the named device's state and the time it changed.
    pub fn set_state(&self, name: &str, state: LinkState) {
        self.update(name, |status| {
            if state == LinkState::Connected {
                status.connects += 1;
            }
            status.state = state;
            status.since = Utc::now();
        });
    }

    /// A copy of every device's status, in name order.
    pub fn snapshot(&self) -> Vec<DeviceStatus> {
        self.with(|devices| devices.values().cloned().collect())
    }

    /// A copy of one device's status.
    pub fn get(&self, name: &str) -> Option<DeviceStatus> {
        self.with(|devices| devices.get(name).cloned())
    }

    fn with<T>(&self, f: impl FnOnce(&mut BTreeMap<String, DeviceStatus>) -> T) -> T {
        // A panic elsewhere while holding the lock leaves counters that are
        // still meaningful, so a poisoned lock is used as it is.
        let mut devices = self.devices.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut devices)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_and_counts_are_tracked_per_device() {
        let board = StatusBoard::default();
        board.register("b", "serial");
        board.register("a", "simulator");
        board.set_state("a", LinkState::Connected);
        board.update("a", |s| s.scans += 2);
        board.set_state("a", LinkState::Connected);
        board.update("nobody", |s| s.scans += 1);
        let snapshot = board.snapshot();
        assert_eq!(snapshot.len(), 2);
        assert_eq!(snapshot[0].name, "a");
        assert_eq!(snapshot[0].scans, 2);
        assert_eq!(snapshot[0].connects, 2);
        assert_eq!(snapshot[1].state, LinkState::Starting);
        let json = serde_json::to_value(&snapshot[0]).unwrap();
        assert_eq!(json["state"], "connected");
    }
}
