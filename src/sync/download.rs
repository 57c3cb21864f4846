//! Reference downloads: products, locations, orders, operators and lot
//! statuses changed on the server since the last download, applied in one
//! transaction with the new cursor. A hold or recall applied here takes
//! effect on the very next scan, online or not.

use super::client::{SyncClient, SyncError};
use super::enrollment::Enrollment;
use crate::journal::{Journal, ReferenceData};

/// How many records of each kind one download brought.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DownloadReport {
    /// Records applied, all kinds together.
    pub records: usize,
    /// Of which lot statuses (holds, recalls, releases).
    pub lot_statuses: usize,
    /// The cursor to ask from next time.
    pub cursor: String,
}

/// Downloads and applies what changed since the journal's cursor.
pub fn download_reference(
    journal: &mut Journal,
    client: &SyncClient,
    enrollment: &Enrollment,
) -> Result<DownloadReport, SyncError> {
    let since = journal.reference_cursor()?;
    let download = client.reference(&enrollment.token, &since)?;
    let records = count(&download.changes);
    if records > 0 || download.cursor != since {
        journal.apply_reference_download(&download.changes, &download.cursor)?;
    }
    Ok(DownloadReport {
        records,
        lot_statuses: download.changes.lot_statuses.len(),
        cursor: download.cursor,
    })
}

fn count(data: &ReferenceData) -> usize {
    data.products.len()
        + data.locations.len()
        + data.suppliers.len()
        + data.customers.len()
        + data.purchase_orders.len()
        + data.sales_orders.len()
        + data.lot_statuses.len()
        + data.operators.len()
}
