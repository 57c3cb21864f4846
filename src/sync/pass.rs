//! One sync pass: send what the server has not confirmed, then take the
//! reference data it changed. `lotline sync --once` runs one; the
//! background [`service`](super::service) runs them on and on.

use super::client::{SyncClient, SyncError};
use super::download::{DownloadReport, download_reference};
use super::enrollment::Enrollment;
use super::upload::{UploadReport, upload_pending_while};
use crate::journal::Journal;

/// What one pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PassReport {
    /// The upload half.
    pub upload: UploadReport,
    /// The download half (empty when the pass was cut short before it).
    pub download: DownloadReport,
}

/// Uploads the unconfirmed events of `journal` in batches of `batch_size`,
/// then downloads and applies the reference changes. `go_on` is asked
/// before every request; once it says no the pass ends early with what it
/// did (everything it recorded is consistent: it resumes next time).
pub fn run_pass(
    journal: &mut Journal,
    client: &SyncClient,
    enrollment: &Enrollment,
    batch_size: usize,
    go_on: &dyn Fn() -> bool,
) -> Result<PassReport, SyncError> {
    let upload = upload_pending_while(journal, client, enrollment, batch_size, go_on)?;
    let download = if go_on() {
        download_reference(journal, client, enrollment)?
    } else {
        DownloadReport::default()
    };
    if download.records > 0 {
        // The trace of a recall reaching this terminal, for the log.
        tracing::info!(
            records = download.records,
            lot_statuses = download.lot_statuses,
            cursor = %download.cursor,
            "sync: reference data applied"
        );
    }
    Ok(PassReport { upload, download })
}
