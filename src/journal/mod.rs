//! The journal: the terminal's append-only, hash-chained record of every
//! scan-driven event, the reference data downloaded from the server, and the
//! projections (stock, lots, cartons, order progress) the lot rules consult.
//!
//! One SQLite file in WAL mode with `synchronous=FULL`; one [`Journal`] value
//! is the one writer. An append returns only after its transaction has
//! committed, so an event the caller has seen is on disk. The file format,
//! the canonical encoding and the projection rules are in `docs/journal.md`.

mod append;
mod error;
mod event;
mod export;
mod handling;
mod migrations;
mod projections;
mod queries;
mod reference;
mod stats;
mod store;
mod verify;

#[cfg(test)]
mod test_support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension};

pub use error::{JournalError, Result};
pub use event::{ChainHash, ChainHashParseError, Event, EventBody, EventKind, iso_date};
pub use export::{ExportFormat, FIELDS as EXPORT_FIELDS};
pub use handling::{CartonLine, OrderLot, ShortPick, SsccLine};
pub use migrations::LATEST as SCHEMA_VERSION;
pub use queries::{ExpiryAlert, FefoCandidate, LotReport, OrderLineProgress};
pub use reference::{
    Customer, Location, LocationKind, LotState, LotStatus, Operator, OrderLine, Party, Product,
    PurchaseOrder, ReferenceData, SalesOrder, Supplier,
};
pub use stats::Stats;
pub use verify::{ChainProblem, VerifyReport};

/// The journal file's name inside the data directory.
pub const FILE_NAME: &str = "journal.sqlite";

/// How long a second process (e.g. `lotline journal verify` while the
/// terminal runs) waits for the write lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// SQLite page cache (`PRAGMA cache_size`, negative = KiB): 16 MiB keeps a
/// burst's index pages in memory instead of spilling and re-reading them.
const CACHE_SIZE: &str = "-16384";

/// Bytes of the file SQLite may read through a read-only memory map
/// (`PRAGMA mmap_size`): lot lookups over a large journal touch pages all
/// over the file, and a mapped page costs no read syscall. Writes still go
/// through `write` + `fsync`, so durability is unchanged.
const MMAP_SIZE: &str = "268435456";

/// Prepared statements kept per connection: room for every statement the
/// append path and the queries use, so none is re-prepared.
const STATEMENT_CACHE: usize = 64;

/// The last event in the chain: where the next append continues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Head {
    seq: u64,
    hash: ChainHash,
}

/// An open journal file and its single writer connection.
#[derive(Debug)]
pub struct Journal {
    conn: Connection,
    path: PathBuf,
    device_id: String,
    head: Head,
    /// Event ids: UUIDv7s monotonic within this value (a counter within
    /// each millisecond), so a burst's ids land next to each other in the
    /// `event_id` index instead of at random places in it.
    ids: uuid::ContextV7,
}

impl Journal {
    /// Opens the journal at `path`, creating it if there is no file, and
    /// brings its schema up to date.
    ///
    /// Refuses, without modifying the file, anything that is not a Lotline
    /// journal, a corrupt header, and a journal from a newer Lotline.
    pub fn open(path: impl AsRef<Path>) -> Result<Journal> {
        Journal::open_inner(path.as_ref(), true)
    }

    /// Like [`Journal::open`], but a missing file is an error instead of a
    /// new journal (for support commands, which must not create one).
    pub fn open_existing(path: impl AsRef<Path>) -> Result<Journal> {
        Journal::open_inner(path.as_ref(), false)
    }

    fn open_inner(path: &Path, create: bool) -> Result<Journal> {
        if !create && !path.exists() {
            return Err(JournalError::Missing {
                path: path.to_path_buf(),
            });
        }
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        if create {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        }
        let on_open_error = |e| opening_error(path, e);
        let mut conn = Connection::open_with_flags(path, flags).map_err(on_open_error)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(on_open_error)?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        // Read the header before changing anything: a foreign, corrupt or
        // newer file must be left byte for byte as it was.
        let version = check_header(&conn, path)?;
        let mode: String = conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
            .map_err(on_open_error)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(JournalError::Invalid(format!(
                "SQLite refused WAL mode for {} (got {mode})",
                path.display()
            )));
        }
        for (pragma, value) in [
            ("synchronous", "FULL"),
            ("cache_size", CACHE_SIZE),
            ("mmap_size", MMAP_SIZE),
        ] {
            conn.pragma_update(None, pragma, value)
                .map_err(on_open_error)?;
        }
        migrations::migrate(&mut conn, version, migrations::LATEST).map_err(|e| match e {
            JournalError::Sqlite(e) => opening_error(path, e),
            other => other,
        })?;
        let device_id = ensure_device_id(&conn)?;
        let head = read_head(&conn)?;
        Ok(Journal {
            conn,
            path: path.to_path_buf(),
            device_id,
            head,
            ids: uuid::ContextV7::new(),
        })
    }

    /// The file this journal lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The id this terminal stamps on its events (assigned when the journal
    /// was created).
    pub fn device_id(&self) -> &str {
        &self.device_id
    }

    /// The seq of the newest event, 0 for an empty journal (as of this
    /// value's last open or append; appends re-read it under the lock).
    pub fn last_seq(&self) -> u64 {
        self.head.seq
    }

    /// The hash of the newest event ([`ChainHash::GENESIS`] when empty), as
    /// of this value's last open or append.
    pub fn last_hash(&self) -> ChainHash {
        self.head.hash
    }

    /// Caps the file at `pages` database pages (`PRAGMA max_page_count`,
    /// this connection only), so a runaway cannot fill a handheld's flash:
    /// past it, appends fail with [`JournalError::DiskFull`] like a full
    /// disk. Returns the ceiling in force (SQLite never sets it below the
    /// current size).
    pub fn set_max_pages(&mut self, pages: u64) -> Result<u64> {
        let pages = i64::try_from(pages).unwrap_or(i64::MAX);
        let in_force: i64 =
            self.conn
                .pragma_update_and_check(None, "max_page_count", pages, |row| row.get(0))?;
        Ok(u64::try_from(in_force).unwrap_or(0))
    }
}

/// Turns an SQLite error met while opening into the precise refusal.
fn opening_error(path: &Path, e: rusqlite::Error) -> JournalError {
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => JournalError::NotADatabase {
            path: path.to_path_buf(),
        },
        Some(ErrorCode::DatabaseCorrupt) => JournalError::Corrupt {
            path: path.to_path_buf(),
            detail: e.to_string(),
        },
        _ => JournalError::from(e),
    }
}

/// Reads `user_version` and `application_id` and decides whether Lotline may
/// use the file. Returns the schema version (0 for a new, empty file).
fn check_header(conn: &Connection, path: &Path) -> Result<i64> {
    let read = |name: &str| -> Result<i64> {
        conn.pragma_query_value(None, name, |row| row.get(0))
            .map_err(|e| opening_error(path, e))
    };
    let version = read("user_version")?;
    let app_id = read("application_id")?;
    let foreign = |why: String| JournalError::ForeignDatabase {
        path: path.to_path_buf(),
        why,
    };
    if app_id != 0 && app_id != i64::from(migrations::APPLICATION_ID) {
        return Err(foreign(format!("its application_id is {app_id:#x}")));
    }
    if version == 0 {
        let objects: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))
            .map_err(|e| opening_error(path, e))?;
        if objects > 0 {
            return Err(foreign(format!(
                "it has {objects} schema objects but no Lotline schema version"
            )));
        }
    } else if app_id == 0 {
        return Err(foreign(
            "it has a schema version but no Lotline application_id".into(),
        ));
    }
    if version > migrations::LATEST {
        return Err(JournalError::TooNew {
            path: path.to_path_buf(),
            found: version,
            supported: migrations::LATEST,
        });
    }
    if version < 0 {
        return Err(foreign(format!("its user_version is {version}")));
    }
    Ok(version)
}

/// The device id stored in the journal, assigned (a fresh UUIDv7) on first
/// open.
fn ensure_device_id(conn: &Connection) -> Result<String> {
    let stored: Option<String> = conn
        .query_row(
            "SELECT value FROM journal_meta WHERE key = 'device_id'",
            [],
            |row| row.get(0),
        )
        .optional()?;
    if let Some(id) = stored {
        return Ok(id);
    }
    let id = uuid::Uuid::now_v7().to_string();
    conn.execute(
        "INSERT INTO journal_meta (key, value) VALUES ('device_id', ?1)",
        [&id],
    )?;
    Ok(id)
}

/// The newest event's seq and hash.
fn read_head(conn: &Connection) -> Result<Head> {
    let head = conn
        .query_row(
            "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1",
            [],
            |row| Ok((row.get::<_, i64>(0)?, row.get::<_, Vec<u8>>(1)?)),
        )
        .optional()?;
    let Some((seq, hash)) = head else {
        return Ok(Head {
            seq: 0,
            hash: ChainHash::GENESIS,
        });
    };
    let unreadable = |why: &str| JournalError::UnreadableEvent {
        seq,
        why: why.to_owned(),
    };
    Ok(Head {
        seq: u64::try_from(seq).map_err(|_| unreadable("seq is negative"))?,
        hash: ChainHash(
            <[u8; 32]>::try_from(hash.as_slice())
                .map_err(|_| unreadable("hash is not 32 bytes"))?,
        ),
    })
}
