//! Server storage: one [`Store`] trait, two backends — embedded SQLite (the
//! zero set-up default) and PostgreSQL (for sites that outgrow one box).
//! Both pass the same conformance suite (`tests/server_store.rs`).
//!
//! The trait is async because PostgreSQL's driver is: its backend awaits the
//! network without holding a thread. The SQLite backend runs each call on
//! tokio's blocking pool (`spawn_blocking`), so a slow `fsync` never stalls
//! the request-handling workers. The rules (what to store, what conflicts)
//! live once, in [`super::ingest::plan`]; a backend only reads and writes.

mod postgres;
mod reference_rows;
mod sql;
mod sqlite;

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

use super::ingest::ValidBatch;
use super::secrets::SecretHash;
use crate::journal::{Event, ReferenceData};
use crate::protocol::{ChainBreak, IngestReply, ReferenceChanges};
use crate::traceability::reference_import::KnownKeys;

pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

/// Why a storage call failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite reported an error.
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL reported an error.
    #[error("PostgreSQL: {0}")]
    Postgres(#[from] tokio_postgres::Error),
    /// No PostgreSQL connection could be had from the pool.
    #[error("PostgreSQL connection pool: {0}")]
    Pool(String),
    /// The database was written by a newer server.
    #[error("the database is at schema version {found}; this server knows up to {supported}")]
    TooNew {
        /// The database's version.
        found: i64,
        /// The newest this build knows.
        supported: i64,
    },
    /// A device of that name already exists.
    #[error("a device named {0:?} already exists")]
    DuplicateName(String),
    /// A stored value this build cannot read.
    #[error("unreadable stored data: {0}")]
    Corrupt(String),
    /// The `--db` argument names no backend this build has.
    #[error("unsupported database {0:?}: use sqlite:PATH or postgres://…")]
    UnsupportedUrl(String),
    /// The database's directory could not be created.
    #[error("creating {path}: {source}")]
    Directory {
        /// The directory.
        path: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A blocking storage task died (panicked or was cancelled).
    #[error("storage task failed: {0}")]
    Task(String),
}

/// Result of a storage call.
pub type Result<T> = std::result::Result<T, StoreError>;

/// What happened to an enrollment attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnrollOutcome {
    /// The code was valid and is now used up; the token is active.
    Enrolled,
    /// No pending device has this code (never issued, or already used).
    UnknownCode,
    /// Another device record already has this device id.
    DeviceIdTaken,
}

/// The device a bearer token belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    /// Its device id.
    pub device_id: String,
    /// The stored token hash (compared again, in constant time, by the
    /// caller).
    pub token_hash: SecretHash,
    /// True once revoked: the token no longer admits anything.
    pub revoked: bool,
}

/// A device as administrators see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceInfo {
    /// The administrator's name for it.
    pub name: String,
    /// The terminal's device id, once enrolled.
    pub device_id: Option<String>,
    /// When `device add` created it.
    pub created_at: DateTime<Utc>,
    /// When it enrolled.
    pub enrolled_at: Option<DateTime<Utc>>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
    /// Its events are stored through this seq.
    pub acked_through: u64,
    /// Chain breaks flagged in its stream.
    pub chain_breaks: u64,
}

/// A device's activity, for monitoring.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceActivity {
    /// The device as `device list` shows it; `acked_through` is also the
    /// number of its stored events (only contiguous runs from seq 1 are
    /// ever stored).
    pub device: DeviceInfo,
    /// When it last uploaded a batch (accepted, repeated or conflicting).
    pub last_seen_at: Option<DateTime<Utc>>,
    /// Events it sent whose seq was already stored with another hash,
    /// counted every time they were sent.
    pub conflicts: u64,
    /// Its newest stored event (seq `acked_through`), if any.
    pub newest_event: Option<NewestEvent>,
}

/// The two clocks of a device's newest stored event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewestEvent {
    /// The device's clock when it recorded the event.
    pub recorded_at: DateTime<Utc>,
    /// The server's clock when it stored the event.
    pub received_at: DateTime<Utc>,
}

/// Server storage. Every method is one transaction.
#[async_trait::async_trait]
pub trait Store: Send + Sync + 'static {
    /// Answers when the database does (for `/v1/health`).
    async fn ping(&self) -> Result<()>;

    /// Creates a device record waiting for enrollment with the code whose
    /// hash is `code`.
    async fn add_device(&self, name: &str, code: SecretHash) -> Result<()>;

    /// Uses up the code whose hash is `code`: binds its device record to
    /// `device_id` and `token`.
    async fn enroll(
        &self,
        code: SecretHash,
        device_id: &str,
        token: SecretHash,
    ) -> Result<EnrollOutcome>;

    /// The device whose token hashes to `token`, revoked or not.
    async fn credential(&self, token: SecretHash) -> Result<Option<Credential>>;

    /// Every device, by name.
    async fn devices(&self) -> Result<Vec<DeviceInfo>>;

    /// Revokes the device with this name or device id. False when there is
    /// none (or it was already revoked).
    async fn revoke(&self, name_or_id: &str) -> Result<bool>;

    /// Stores a batch according to [`super::ingest::plan`], recording
    /// `received_at` beside each new event and flagging chain breaks.
    async fn ingest(&self, batch: ValidBatch, received_at: DateTime<Utc>) -> Result<IngestReply>;

    /// Every flagged chain break, by device and seq.
    async fn chain_breaks(&self) -> Result<Vec<ChainBreak>>;

    /// Inserts or replaces every record of `data`, all under one new
    /// change cursor (returned), so terminals receive all of it or none.
    async fn put_reference(&self, data: &ReferenceData) -> Result<u64>;

    /// The reference records set after cursor `since` (0: everything),
    /// with the cursor to ask from next time.
    async fn reference_since(&self, since: u64) -> Result<ReferenceChanges>;

    /// The stored products, suppliers and customers an import's orders
    /// may refer to.
    async fn known_keys(&self) -> Result<KnownKeys>;

    /// Every event of lot `lot` of `gtin` (`None`: goods without a lot),
    /// corrections included, and every event naming only the SSCC of a
    /// carton the lot was packed into: all a recall trace reads. Any order.
    async fn lot_events(&self, gtin: &str, lot: Option<&str>) -> Result<Vec<Event>>;

    /// The events recorded (device time) in `[from, to)` and every
    /// correction of one of them, whenever it was recorded. Any order.
    async fn period_events(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Event>>;

    /// The packing events of the carton `sscc`: what it holds.
    async fn carton_packing(&self, sscc: &str) -> Result<Vec<Event>>;

    /// The lots (GTIN, lot) with an expiry date on or before `by` recorded
    /// on some event: the candidates of the expiry report.
    async fn lots_expiring_by(&self, by: NaiveDate) -> Result<Vec<(String, Option<String>)>>;

    /// Every device with what monitoring needs (`GET /metrics`): its
    /// upload activity and its newest stored event.
    async fn device_activity(&self) -> Result<Vec<DeviceActivity>>;
}

/// Where a `--db` URL points, before anything is opened (backups and
/// restores must not open, and so migrate, the database).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// `sqlite:PATH`: the database file.
    Sqlite(std::path::PathBuf),
    /// `postgres://…` or `postgresql://…`: the URL as given.
    Postgres(String),
}

impl Location {
    /// Reads a `--db` URL.
    pub fn parse(url: &str) -> Result<Location> {
        if let Some(path) = url.strip_prefix("sqlite:") {
            Ok(Location::Sqlite(path.into()))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Location::Postgres(url.to_owned()))
        } else {
            Err(StoreError::UnsupportedUrl(url.to_owned()))
        }
    }
}

/// Opens the storage named by `--db`: `sqlite:PATH` or
/// `postgres://…`/`postgresql://…`, migrated to the current schema.
pub async fn open(url: &str) -> Result<Arc<dyn Store>> {
    match Location::parse(url)? {
        Location::Sqlite(path) => Ok(Arc::new(SqliteStore::open(path).await?)),
        Location::Postgres(url) => Ok(Arc::new(PostgresStore::connect(&url).await?)),
    }
}
