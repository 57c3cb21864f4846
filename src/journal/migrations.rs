//! The journal's schema as versioned, forward-only migrations.
//!
//! `PRAGMA user_version` records how many migrations a file has had. Opening
//! applies the missing ones in one transaction; a file with a higher version
//! than [`LATEST`] was written by a newer Lotline and is refused untouched.
//! Migrations are never edited once released: a change is a new entry.

use rusqlite::{Connection, TransactionBehavior};

use super::error::Result;

/// `PRAGMA application_id` of a Lotline journal ("LOTL"), so that another
/// program's SQLite file is never mistaken for one.
pub const APPLICATION_ID: i32 = 0x4c4f_544c;

/// One schema step.
pub struct Migration {
    /// What the step adds, for logs.
    pub summary: &'static str,
    /// The DDL.
    pub sql: &'static str,
    /// True when the step creates projection tables that must be filled from
    /// the events already in the file.
    pub rebuilds_projections: bool,
}

/// Version 1: the append-only event log itself.
const V1_EVENTS: &str = r#"
CREATE TABLE journal_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE events (
    seq            INTEGER PRIMARY KEY CHECK (seq >= 1),
    event_id       BLOB    NOT NULL UNIQUE CHECK (length(event_id) = 16),
    device_id      TEXT    NOT NULL,
    recorded_at    INTEGER NOT NULL, -- microseconds since 1970-01-01T00:00:00Z
    operator       TEXT    NOT NULL,
    kind           TEXT    NOT NULL,
    gtin           TEXT,
    lot            TEXT,
    expiry         TEXT,             -- YYYY-MM-DD
    serial         TEXT,
    sscc           TEXT,
    quantity       INTEGER NOT NULL,
    unit           TEXT    NOT NULL,
    from_location  TEXT,
    to_location    TEXT,
    purchase_order TEXT,
    sales_order    TEXT,
    reason         TEXT,
    correction_of  BLOB,
    prev_hash      BLOB    NOT NULL CHECK (length(prev_hash) = 32),
    hash           BLOB    NOT NULL CHECK (length(hash) = 32)
) STRICT;

CREATE UNIQUE INDEX events_corrected_once ON events (correction_of)
    WHERE correction_of IS NOT NULL;
CREATE INDEX events_by_lot ON events (gtin, lot);

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'journal events are append-only: UPDATE refused');
END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'journal events are append-only: DELETE refused');
END;
"#;

/// Version 2: reference data from the server, and the projections derived
/// from the events.
const V2_REFERENCE_AND_PROJECTIONS: &str = r#"
CREATE TABLE products (
    gtin                     TEXT PRIMARY KEY,
    description              TEXT    NOT NULL,
    unit                     TEXT    NOT NULL,
    lot_tracked              INTEGER NOT NULL CHECK (lot_tracked IN (0, 1)),
    expiry_tracked           INTEGER NOT NULL CHECK (expiry_tracked IN (0, 1)),
    min_shelf_life_receipt   INTEGER,  -- days
    min_shelf_life_shipment  INTEGER   -- days
) STRICT;

CREATE TABLE locations (
    code    TEXT PRIMARY KEY,
    barcode TEXT,
    gln     TEXT,
    sgln    TEXT,
    zone    TEXT,
    kind    TEXT NOT NULL
        CHECK (kind IN ('dock', 'shelf', 'staging', 'quarantine', 'shipping'))
) STRICT;
CREATE INDEX locations_by_barcode ON locations (barcode) WHERE barcode IS NOT NULL;
CREATE INDEX locations_by_sgln ON locations (sgln) WHERE sgln IS NOT NULL;

CREATE TABLE suppliers (
    id   TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    gln  TEXT
) STRICT;

CREATE TABLE customers (
    id   TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    gln  TEXT
) STRICT;

CREATE TABLE purchase_orders (
    number      TEXT PRIMARY KEY,
    supplier_id TEXT NOT NULL
) STRICT;
CREATE TABLE purchase_order_lines (
    number   TEXT    NOT NULL,
    line_no  INTEGER NOT NULL,
    gtin     TEXT    NOT NULL,
    quantity INTEGER NOT NULL,
    unit     TEXT    NOT NULL,
    PRIMARY KEY (number, line_no)
) STRICT;

CREATE TABLE sales_orders (
    number      TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL,
    ship_to     TEXT NOT NULL
) STRICT;
CREATE TABLE sales_order_lines (
    number   TEXT    NOT NULL,
    line_no  INTEGER NOT NULL,
    gtin     TEXT    NOT NULL,
    quantity INTEGER NOT NULL,
    unit     TEXT    NOT NULL,
    PRIMARY KEY (number, line_no)
) STRICT;

CREATE TABLE lot_status (
    gtin      TEXT NOT NULL,
    lot       TEXT NOT NULL,
    status    TEXT NOT NULL CHECK (status IN ('held', 'recalled', 'released')),
    reason    TEXT,
    issued_by TEXT NOT NULL,
    issued_at INTEGER NOT NULL, -- microseconds since the epoch, UTC
    PRIMARY KEY (gtin, lot)
) STRICT;

CREATE TABLE operators (
    badge TEXT PRIMARY KEY,
    name  TEXT NOT NULL,
    role  TEXT NOT NULL
) STRICT;

-- Projections: derived from events in the same transaction; '' = no lot.
CREATE TABLE stock (
    gtin     TEXT    NOT NULL,
    lot      TEXT    NOT NULL,
    location TEXT    NOT NULL,
    quantity INTEGER NOT NULL,
    PRIMARY KEY (gtin, lot, location)
) STRICT, WITHOUT ROWID;

CREATE TABLE lots (
    gtin      TEXT    NOT NULL,
    lot       TEXT    NOT NULL,
    expiry    TEXT,             -- first expiry recorded for the lot
    first_seq INTEGER NOT NULL, -- first event naming the lot (its receipt)
    PRIMARY KEY (gtin, lot)
) STRICT, WITHOUT ROWID;
CREATE INDEX lots_by_expiry ON lots (expiry) WHERE expiry IS NOT NULL;

CREATE TABLE carton_contents (
    sscc     TEXT    NOT NULL,
    gtin     TEXT    NOT NULL,
    lot      TEXT    NOT NULL,
    quantity INTEGER NOT NULL,
    PRIMARY KEY (sscc, gtin, lot)
) STRICT, WITHOUT ROWID;

CREATE TABLE order_progress (
    number   TEXT    NOT NULL,
    step     TEXT    NOT NULL CHECK (step IN ('received', 'picked', 'packed', 'shipped')),
    gtin     TEXT    NOT NULL,
    quantity INTEGER NOT NULL,
    PRIMARY KEY (number, step, gtin)
) STRICT, WITHOUT ROWID;
"#;

/// Version 3: indexes for the questions asked about an order's lots, about
/// a pallet or carton by SSCC and about one location's stock (see
/// `handling.rs`). Shipping events
/// stop moving stock (goods leave stock when picked); no journal held a
/// shipping event before this version, so nothing needs rebuilding.
const V3_HANDLING_INDEXES: &str = r#"
CREATE INDEX events_by_sales_order ON events (sales_order) WHERE sales_order IS NOT NULL;
CREATE INDEX events_by_sscc ON events (sscc) WHERE sscc IS NOT NULL;
CREATE INDEX stock_by_location ON stock (location);
"#;

/// Every migration, oldest first; index + 1 is the version it produces.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        summary: "append-only event log",
        sql: V1_EVENTS,
        rebuilds_projections: false,
    },
    Migration {
        summary: "reference data and projections",
        sql: V2_REFERENCE_AND_PROJECTIONS,
        rebuilds_projections: true,
    },
    Migration {
        summary: "indexes by sales order, SSCC and stock location",
        sql: V3_HANDLING_INDEXES,
        rebuilds_projections: false,
    },
];

/// The newest schema version this build knows.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

/// Applies migrations `from + 1 ..= to` in one transaction (all or none), and
/// rebuilds the projections if any of them asks for it. `from` must be what
/// the file holds; the caller has already refused files newer than
/// [`LATEST`].
pub fn migrate(conn: &mut Connection, from: i64, to: i64) -> Result<()> {
    if from >= to {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut rebuild = false;
    for (index, step) in MIGRATIONS.iter().enumerate() {
        let version = index as i64 + 1;
        if version <= from || version > to {
            continue;
        }
        tracing::info!(version, summary = step.summary, "migrating journal");
        tx.execute_batch(step.sql)?;
        rebuild |= step.rebuilds_projections;
    }
    if from == 0 {
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    }
    if rebuild {
        super::projections::rebuild(&tx)?;
    }
    tx.pragma_update(None, "user_version", to)?;
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::fs;

    use rusqlite::Connection;

    use super::*;
    use crate::journal::test_support::*;
    use crate::journal::{Journal, JournalError, store};

    fn user_version(path: &std::path::Path) -> i64 {
        Connection::open(path)
            .unwrap()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn a_new_file_gets_every_migration() {
        let (dir, j) = journal();
        drop(j);
        assert_eq!(user_version(&dir.path().join("journal.sqlite")), LATEST);
    }

    /// Builds a journal at every earlier version, with events recorded in
    /// it, and opens it with the current code: the schema is brought up to
    /// date and the projections reflect the events written before.
    #[test]
    fn every_earlier_version_upgrades() {
        let (_src_dir, mut source) = journal();
        let events = source
            .append_batch(
                at(0),
                [
                    receive(GTIN_A, Some("L1"), Some(date(2027, 1, 31)), 10, "DOCK"),
                    store_move(GTIN_A, Some("L1"), 4, "DOCK", "A-01"),
                ],
            )
            .unwrap();
        for version in 0..LATEST {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("journal.sqlite");
            {
                let mut conn = Connection::open(&path).unwrap();
                migrate(&mut conn, 0, version).unwrap();
                if version >= 1 {
                    conn.execute(
                        "INSERT INTO journal_meta (key, value) VALUES ('device_id', ?1)",
                        [source.device_id()],
                    )
                    .unwrap();
                    for e in &events {
                        store::insert_event(&conn, e).unwrap();
                    }
                    if version >= 2 {
                        // From version 2 a journal keeps its projections
                        // current as it records.
                        crate::journal::projections::rebuild(&conn).unwrap();
                    }
                }
            }
            assert_eq!(user_version(&path), version);
            let j = Journal::open(&path).unwrap();
            assert_eq!(user_version(&path), LATEST, "from version {version}");
            assert!(j.verify().unwrap().is_sound());
            if version >= 1 {
                let lot = j.lot_lookup(GTIN_A, Some("L1")).unwrap().unwrap();
                assert_eq!(lot.stock, [("A-01".to_owned(), 4), ("DOCK".to_owned(), 6)]);
                assert_eq!(lot.expiry, Some(date(2027, 1, 31)));
                assert_eq!(j.last_seq(), 2);
            }
        }
    }

    #[test]
    fn a_newer_journal_is_refused_untouched() {
        let (dir, j) = journal();
        drop(j);
        let path = dir.path().join("journal.sqlite");
        Connection::open(&path)
            .unwrap()
            .pragma_update(None, "user_version", LATEST + 1)
            .unwrap();
        let before = fs::read(&path).unwrap();
        let err = Journal::open(&path).unwrap_err();
        assert!(matches!(err, JournalError::TooNew { found, .. } if found == LATEST + 1));
        assert!(err.to_string().contains("newer than this Lotline"), "{err}");
        assert_eq!(fs::read(&path).unwrap(), before);
    }

    #[test]
    fn a_non_sqlite_file_is_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.sqlite");
        let garbage: Vec<u8> = (0..8192u32).map(|i| (i * 7 + 3) as u8).collect();
        fs::write(&path, &garbage).unwrap();
        let err = Journal::open(&path).unwrap_err();
        assert!(matches!(err, JournalError::NotADatabase { .. }), "{err:?}");
        assert!(err.to_string().contains("has not been modified"));
        assert_eq!(fs::read(&path).unwrap(), garbage);
        assert!(!dir.path().join("journal.sqlite-wal").exists());
    }

    #[test]
    fn a_damaged_journal_header_is_refused_untouched() {
        let (dir, j) = journal();
        drop(j);
        let path = dir.path().join("journal.sqlite");
        let mut bytes = fs::read(&path).unwrap();
        bytes[..16].copy_from_slice(b"not a database!\0");
        fs::write(&path, &bytes).unwrap();
        assert!(matches!(
            Journal::open(&path),
            Err(JournalError::NotADatabase { .. })
        ));
        assert_eq!(fs::read(&path).unwrap(), bytes);
    }

    #[test]
    fn another_programs_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.sqlite");
        Connection::open(&path)
            .unwrap()
            .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
        let before = fs::read(&path).unwrap();
        let err = Journal::open(&path).unwrap_err();
        assert!(
            matches!(err, JournalError::ForeignDatabase { .. }),
            "{err:?}"
        );
        assert_eq!(fs::read(&path).unwrap(), before);
    }

    #[test]
    fn open_existing_does_not_create() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.sqlite");
        assert!(matches!(
            Journal::open_existing(&path),
            Err(JournalError::Missing { .. })
        ));
        assert!(!path.exists());
    }
}
