//! The wire format between terminals and `lotline-server`: the JSON bodies
//! of every `/v1` request and reply, in one place so the server and the
//! terminal's sync client cannot drift apart.
//!
//! Events travel with exactly the field names of the journal export
//! ([`crate::journal::EXPORT_FIELDS`]), hashes included, so the server can
//! recompute every hash from what it received. See `docs/server.md`.

mod messages;
mod problem;
mod wire_event;

pub use messages::{
    ChainBreak, ChainBreakKind, Conflict, EnrollReply, EnrollRequest, EventBatch, Health,
    IngestReply, ReferenceChanges,
};
pub use problem::{PROBLEM_CONTENT_TYPE, Problem};
pub use wire_event::{FieldError, WireEvent};

/// The protocol version: the `/v1` in every path. A change that an older
/// terminal or server would misread is a new version, never an edit.
pub const PROTOCOL_VERSION: u32 = 1;

/// A device clock further than this from the server's is flagged in the
/// ingest reply and the server log: five minutes, well beyond network
/// delays, well within what would mislead an audit.
pub const CLOCK_SKEW_TOLERANCE_SECONDS: i64 = 300;

/// The most events one upload batch may hold: bounds the work and memory
/// of one request (a long backlog goes as several batches), and is part of
/// the contract, so a terminal's configured batch size is checked against
/// the number the server enforces.
pub const MAX_BATCH_EVENTS: usize = 5_000;

/// The path prefix of this protocol version.
pub const PATH_PREFIX: &str = "/v1";
