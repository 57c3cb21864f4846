//! One upload pass: send the events the server has not confirmed, in
//! batches, and record each batch's `acked_through`. Safe to interrupt at
//! any point and to repeat: the server stores by (device, seq), a repeated
//! batch is a no-op, and the next pass resumes after what was confirmed.

use super::client::{SyncClient, SyncError};
use super::enrollment::Enrollment;
use crate::journal::Journal;
use crate::protocol::{EventBatch, WireEvent};

/// What a pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UploadReport {
    /// Batches sent.
    pub batches: u64,
    /// Events sent (repeats included).
    pub sent: u64,
    /// Events the server newly stored.
    pub stored: u64,
    /// Events the server already held, identical.
    pub duplicates: u64,
    /// Chain problems the server flagged in what it stored.
    pub chain_breaks: u64,
    /// Every event through this seq is on the server.
    pub acked_through: u64,
    /// Events still to send after the pass.
    pub pending: u64,
    /// How far this terminal's clock is behind the server's (seconds;
    /// negative: ahead), when the server flagged it.
    pub clock_skew_seconds: Option<i64>,
}

/// Uploads every unconfirmed event of `journal`, `batch_size` at a time.
/// `journal` may be a second connection beside the terminal's writer: it
/// only reads events and writes the acknowledgement.
///
/// The journal is only read while a batch is put together and written
/// only to record the acknowledgement; the request in between holds no
/// lock, so scanning goes on meanwhile (events recorded during the pass are
/// sent in its next round).
pub fn upload_pending(
    journal: &mut Journal,
    client: &SyncClient,
    enrollment: &Enrollment,
    batch_size: usize,
) -> Result<UploadReport, SyncError> {
    upload_pending_while(journal, client, enrollment, batch_size, &|| true)
}

/// Like [`upload_pending`], but asks `go_on` before each batch and ends the
/// pass early (with what was confirmed so far) once it says no: the
/// background service is stopped within one request even with a long
/// backlog.
pub fn upload_pending_while(
    journal: &mut Journal,
    client: &SyncClient,
    enrollment: &Enrollment,
    batch_size: usize,
    go_on: &dyn Fn() -> bool,
) -> Result<UploadReport, SyncError> {
    if journal.device_id() != enrollment.device_id {
        return Err(SyncError::Setup(format!(
            "this journal belongs to device {} but the terminal is enrolled as {}: enroll again",
            journal.device_id(),
            enrollment.device_id
        )));
    }
    let mut report = UploadReport::default();
    let mut cursor = journal.synced_through()?;
    while go_on() {
        let events = journal.events_after(cursor, batch_size.max(1))?;
        let Some(last) = events.last().map(|e| e.seq) else {
            break;
        };
        let batch = EventBatch {
            device_id: enrollment.device_id.clone(),
            events: events.iter().map(WireEvent::from).collect(),
        };
        let reply = client.upload(&enrollment.token, &batch)?;
        report.batches += 1;
        report.sent += events.len() as u64;
        report.stored += reply.stored;
        report.duplicates += reply.duplicates;
        report.chain_breaks += reply.chain_breaks.len() as u64;
        report.clock_skew_seconds = reply.clock_skew_seconds;
        if reply.acked_through > last {
            return Err(SyncError::BadReply(format!(
                "the server confirms seq {} but the batch ended at {last}",
                reply.acked_through
            )));
        }
        for problem in &reply.chain_breaks {
            tracing::warn!(
                seq = problem.seq,
                kind = problem.kind.as_str(),
                "server flagged a chain break"
            );
        }
        if reply.acked_through < cursor {
            // A server restored from an older backup holds less than it
            // confirmed before: resume from what it holds, so it gets the
            // rest again (the next batch starts right after it: no gap).
            journal.resend_after(reply.acked_through)?;
            cursor = reply.acked_through;
            continue;
        }
        journal.mark_synced_through(reply.acked_through)?;
        if reply.acked_through == cursor && reply.stored == 0 {
            // The server neither stored nor confirmed anything new: resending
            // the same batch would loop.
            return Err(SyncError::BadReply(format!(
                "the server confirmed only through seq {} after a batch up to {last}",
                reply.acked_through
            )));
        }
        cursor = reply.acked_through;
    }
    report.acked_through = journal.synced_through()?;
    report.pending = journal.unsynced()?;
    Ok(report)
}
