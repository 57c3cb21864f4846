//! The terminal's sync client: scanning never waits for the network; when
//! the server can be reached, every event reaches it exactly once.
//!
//! * [`enrollment`]: the server URL, device id and bearer token this
//!   terminal got from `lotline enroll`, kept in the data directory.
//! * [`client`]: the HTTP calls (rustls, gzip request bodies) and their
//!   typed failures.
//! * [`upload`]: one pass of sending unsynced events in batches, recording
//!   the server's `acked_through` — resumable at any point.
//! * [`download`]: reference data and lot statuses changed since the last
//!   download, applied in one transaction with the new cursor.
//! * [`pass`]: one pass — the upload, then the reference download.
//! * [`service`]: the background thread that runs passes on and on (the
//!   one retry loop: `lotline sync`, `lotline headless` and the window all
//!   use it), woken early when events are recorded, publishing a
//!   [`status`] snapshot of connectivity and progress.
//! * [`config`]: the `[sync]` section of `lotline.toml`.
//! * [`backoff`]: exponential backoff with full jitter between failed
//!   passes.
//!
//! The journal writer is never held while waiting on the network: a batch
//! is read, the connection is left alone during the request, and only the
//! acknowledgement is written afterwards. The wire format is
//! [`crate::protocol`]; see `docs/sync.md`.

pub mod backoff;
pub mod client;
pub mod config;
pub mod download;
pub mod enrollment;
pub mod pass;
pub mod service;
pub mod status;
pub mod upload;

pub use client::{SyncClient, SyncError};
pub use config::SyncConfig;
pub use download::{DownloadReport, download_reference};
pub use enrollment::{Enrollment, enroll};
pub use pass::{PassReport, run_pass};
pub use service::{Nudger, OnChange, ServiceSettings, SyncService};
pub use status::{Connectivity, SyncStatus};
pub use upload::{UploadReport, upload_pending};
