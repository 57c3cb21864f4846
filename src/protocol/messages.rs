//! Request and reply bodies of the `/v1` endpoints.

use serde::{Deserialize, Serialize};

use super::wire_event::WireEvent;
use crate::journal::ReferenceData;

/// `POST /v1/devices/{id}/events`: a run of one device's events, usually
/// the ones after the server's last `acked_through`, in seq order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventBatch {
    /// The sending device; must equal the path's id and every event's.
    pub device_id: String,
    /// The events.
    pub events: Vec<WireEvent>,
}

/// The server's answer to an [`EventBatch`]: where the client resumes and
/// anything it must know about what it sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestReply {
    /// Every event of this device with seq ≤ this is stored (0: none).
    /// The client sends from `acked_through + 1` next time.
    pub acked_through: u64,
    /// Events of this batch newly stored.
    pub stored: u64,
    /// Events of this batch the server already held, identical (no-ops).
    pub duplicates: u64,
    /// Seqs the server already holds with a different hash. When there is
    /// one, nothing of the batch is stored (HTTP 409).
    pub conflicts: Vec<Conflict>,
    /// Chain problems found in the events stored by this batch: stored
    /// anyway (they are evidence) and flagged for the administrators.
    pub chain_breaks: Vec<ChainBreak>,
    /// How far the device's clock (the request's `Date` header) is behind
    /// the server's, in seconds (negative: ahead), when it is off by more
    /// than [`super::CLOCK_SKEW_TOLERANCE_SECONDS`]. The events are stored
    /// all the same; the server keeps its own receive time beside theirs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock_skew_seconds: Option<i64>,
}

/// A seq the server already holds with another hash: the device's journal
/// and the server's copy disagree, and the server keeps its copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    /// The seq.
    pub seq: u64,
    /// The hash the server holds.
    pub stored_hash: String,
    /// The hash in the batch.
    pub received_hash: String,
}

/// What is wrong with a stored event's place in the hash chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChainBreakKind {
    /// `hash` is not the SHA-256 of the event's canonical encoding: the
    /// event was altered after it was recorded (or the encoder is broken).
    HashMismatch,
    /// `prev_hash` is not the previous event's `hash`: an event was
    /// removed, replaced or reordered on the device.
    PrevHashMismatch,
}

impl ChainBreakKind {
    /// The stored name (as serialized).
    pub const fn as_str(self) -> &'static str {
        match self {
            ChainBreakKind::HashMismatch => "hash_mismatch",
            ChainBreakKind::PrevHashMismatch => "prev_hash_mismatch",
        }
    }

    /// The kind with the given stored name.
    pub fn from_name(name: &str) -> Option<ChainBreakKind> {
        [
            ChainBreakKind::HashMismatch,
            ChainBreakKind::PrevHashMismatch,
        ]
        .into_iter()
        .find(|k| k.as_str() == name)
    }
}

/// One flagged chain problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainBreak {
    /// The device.
    pub device_id: String,
    /// The event at which the chain breaks.
    pub seq: u64,
    /// What is wrong.
    pub kind: ChainBreakKind,
    /// The hash the chain called for (recomputed, or the previous event's).
    pub expected: String,
    /// The hash the event carried.
    pub found: String,
}

/// `POST /v1/enroll`: a terminal presents the one-time code an
/// administrator gave it, and its journal's device id (which is inside
/// every event hash, so the server must use the same one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrollRequest {
    /// The code printed by `lotline-server device add`.
    pub code: String,
    /// The terminal's journal device id.
    pub device_id: String,
}

/// The answer to an [`EnrollRequest`]. The token is shown this once; the
/// server keeps only its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollReply {
    /// The device id the server filed the terminal under.
    pub device_id: String,
    /// Bearer token for every later request.
    pub token: String,
}

/// `GET /v1/reference?since=CURSOR`: the reference data changed since the
/// cursor, to be applied in one transaction, and the cursor to ask with
/// next time.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferenceChanges {
    /// Opaque; pass back as `since`.
    pub cursor: String,
    /// Records inserted or replaced since `since`.
    pub changes: ReferenceData,
}

/// `GET /v1/health`: whether the server and its storage answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// `ok` when the storage answered.
    pub status: String,
    /// The server's version.
    pub version: String,
    /// [`super::PROTOCOL_VERSION`].
    pub protocol: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{LotState, LotStatus};

    #[test]
    fn chain_break_kind_names_match_serde() {
        for kind in [
            ChainBreakKind::HashMismatch,
            ChainBreakKind::PrevHashMismatch,
        ] {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
            assert_eq!(ChainBreakKind::from_name(kind.as_str()), Some(kind));
        }
    }

    #[test]
    fn reference_changes_round_trip_with_snake_case_states() {
        let mut changes = ReferenceChanges {
            cursor: "42".into(),
            ..ReferenceChanges::default()
        };
        changes.changes.lot_statuses.push(LotStatus {
            gtin: "09506000134352".into(),
            lot: Some("ABC".into()),
            state: LotState::Recalled,
            reason: Some("supplier notice".into()),
            issued_by: "qa".into(),
            issued_at: chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap(),
        });
        let text = serde_json::to_string(&changes).unwrap();
        assert!(text.contains("\"state\":\"recalled\""), "{text}");
        assert_eq!(
            serde_json::from_str::<ReferenceChanges>(&text).unwrap(),
            changes
        );
    }
}
