//! The statements both backends run, written once with PostgreSQL's `$n`
//! placeholders (the SQLite backend turns them into `?n`, its positional
//! form), and every column is a type both
//! have (BIGINT, TEXT, bytes). Only the DDL and the row locking differ and
//! stay in each backend. Times are microseconds since the Unix epoch.

use chrono::{DateTime, Utc};

use crate::journal::{Event, EventBody, EventKind, iso_date};

/// Creates the migrations ledger (the first statement on a new database).
pub const CREATE_LEDGER: &str = "CREATE TABLE IF NOT EXISTS schema_migrations \
     (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)";

/// The schema version of the database (0 when new).
pub const SCHEMA_VERSION: &str = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";

/// Records that migration `$1` ran at `$2`.
pub const RECORD_MIGRATION: &str =
    "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)";

/// The migrations (`(version, DDL)`, ascending) a database at schema
/// version `current` still needs; a database newer than all of them is
/// refused rather than misread.
pub fn pending(
    migrations: &'static [(i64, &'static str)],
    current: i64,
) -> super::Result<impl Iterator<Item = &'static (i64, &'static str)>> {
    let latest = migrations.last().map_or(0, |m| m.0);
    if current > latest {
        return Err(super::StoreError::TooNew {
            found: current,
            supported: latest,
        });
    }
    Ok(migrations.iter().filter(move |m| m.0 > current))
}

/// New device record waiting for enrollment; no row when the name is taken.
pub const INSERT_DEVICE: &str = "INSERT INTO devices (name, code_hash, created_at, acked_through, \
     head_hash) VALUES ($1, $2, $3, 0, $4) ON CONFLICT (name) DO NOTHING";

/// Whether a device id is already on file.
pub const DEVICE_ID_EXISTS: &str = "SELECT count(*) FROM devices WHERE device_id = $1";

/// Uses up an enrollment code; no row when the code is unknown or spent.
pub const ENROLL: &str = "UPDATE devices SET device_id = $2, token_hash = $3, code_hash = NULL, \
     enrolled_at = $4 WHERE code_hash = $1 AND device_id IS NULL AND revoked_at IS NULL";

/// The device of a token hash.
pub const CREDENTIAL: &str = "SELECT device_id, token_hash, revoked_at FROM devices \
     WHERE token_hash = $1";

/// Every device with its chain-break count.
pub const DEVICES: &str = "SELECT d.name, d.device_id, d.created_at, d.enrolled_at, \
     d.revoked_at, d.acked_through, (SELECT count(*) FROM chain_breaks b \
     WHERE b.device_id = d.device_id) FROM devices d ORDER BY d.name";

/// Revokes a device by name or device id and voids an unused code.
pub const REVOKE: &str = "UPDATE devices SET revoked_at = $2, code_hash = NULL \
     WHERE (name = $1 OR device_id = $1) AND revoked_at IS NULL";

/// A device's head (the backends add their row lock).
pub const HEAD: &str = "SELECT acked_through, head_hash FROM devices WHERE device_id = $1";

/// Stored hashes of a device's seqs in `$2..=$3`.
pub const STORED_HASHES: &str =
    "SELECT seq, hash FROM events WHERE device_id = $1 AND seq BETWEEN $2 AND $3";

/// Moves a device's head.
pub const UPDATE_HEAD: &str =
    "UPDATE devices SET acked_through = $2, head_hash = $3 WHERE device_id = $1";

/// Flags a chain break (once per device, seq and kind).
pub const INSERT_BREAK: &str = "INSERT INTO chain_breaks (device_id, seq, kind, expected, found, \
     detected_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING";

/// Every chain break.
pub const BREAKS: &str = "SELECT device_id, seq, kind, expected, found FROM chain_breaks \
     ORDER BY device_id, seq, kind";

/// Stores one event; the values are [`event_cells`] in order.
pub const INSERT_EVENT: &str = "INSERT INTO events (device_id, seq, event_id, recorded_at, \
     received_at, operator, kind, gtin, lot, expiry, serial, sscc, quantity, unit, \
     from_location, to_location, purchase_order, sales_order, reason, correction_of, \
     prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, \
     $15, $16, $17, $18, $19, $20, $21, $22)";

/// The columns an [`Event`] is read back from, in [`read_event`]'s order.
const EVENT_COLUMNS: &str = "device_id, seq, event_id, recorded_at, operator, kind, gtin, lot, \
     expiry, serial, sscc, quantity, unit, from_location, to_location, purchase_order, \
     sales_order, reason, correction_of, prev_hash, hash";

/// Migration 3 (both backends): the indexes the reports read through —
/// cartons by SSCC (a carton shipped whole names only its SSCC), events by
/// device time (exports of a period), corrections by the event they void,
/// and expiry dates (the expiry report).
pub const MIGRATION_REPORT_INDEXES: &str = "CREATE INDEX events_by_sscc ON events (sscc);
    CREATE INDEX events_by_time ON events (recorded_at);
    CREATE INDEX events_by_correction ON events (correction_of);
    CREATE INDEX events_by_expiry ON events (expiry);";

/// The events of lot `$2` of GTIN `$1`, and the events naming only the
/// SSCC of a carton the lot was packed into (a carton shipped whole).
pub fn lot_events() -> String {
    format!(
        "SELECT {EVENT_COLUMNS} FROM events WHERE gtin = $1 AND lot = $2 \
         UNION ALL SELECT {EVENT_COLUMNS} FROM events WHERE gtin IS NULL AND sscc IN \
         (SELECT sscc FROM events WHERE gtin = $1 AND lot = $2 AND kind = 'packing' \
         AND sscc IS NOT NULL)"
    )
}

/// [`lot_events`] for goods of GTIN `$1` without a lot.
pub fn unlotted_events() -> String {
    format!(
        "SELECT {EVENT_COLUMNS} FROM events WHERE gtin = $1 AND lot IS NULL \
         UNION ALL SELECT {EVENT_COLUMNS} FROM events WHERE gtin IS NULL AND sscc IN \
         (SELECT sscc FROM events WHERE gtin = $1 AND lot IS NULL AND kind = 'packing' \
         AND sscc IS NOT NULL)"
    )
}

/// The events recorded (device time) in `[$1, $2)` and every correction of
/// one of them, whenever recorded.
pub fn period_events() -> String {
    format!(
        "SELECT {EVENT_COLUMNS} FROM events WHERE recorded_at >= $1 AND recorded_at < $2 \
         UNION SELECT {EVENT_COLUMNS} FROM events WHERE correction_of IN \
         (SELECT event_id FROM events WHERE recorded_at >= $1 AND recorded_at < $2)"
    )
}

/// The packing events of the carton with SSCC `$1`.
pub fn carton_packing() -> String {
    format!("SELECT {EVENT_COLUMNS} FROM events WHERE kind = 'packing' AND sscc = $1")
}

/// The lots with an expiry date on or before `$1` (`YYYY-MM-DD`) recorded
/// anywhere: the candidates of the expiry report.
pub const LOTS_EXPIRING_BY: &str = "SELECT DISTINCT gtin, lot FROM events \
     WHERE expiry IS NOT NULL AND expiry <= $1 AND gtin IS NOT NULL ORDER BY gtin, lot";

/// A result row as both drivers can read it, by column index: the one
/// thing a backend supplies so [`read_event`] decodes events once for both.
pub trait Columns {
    /// A TEXT column, possibly NULL.
    fn text(&self, index: usize) -> super::Result<Option<String>>;
    /// A BIGINT column.
    fn int(&self, index: usize) -> super::Result<i64>;
    /// A bytes column.
    fn bytes(&self, index: usize) -> super::Result<Vec<u8>>;
}

/// The event stored in a row of [`EVENT_COLUMNS`], checking what the
/// database cannot (ids, kinds, dates, hash lengths).
pub fn read_event(row: &impl Columns) -> super::Result<Event> {
    let corrupt = super::StoreError::Corrupt;
    let required = |index: usize, name: &str| {
        row.text(index)?
            .ok_or_else(|| corrupt(format!("stored event without {name}")))
    };
    let uuid =
        |text: &str| uuid::Uuid::parse_str(text).map_err(|_| corrupt(format!("event id {text:?}")));
    let kind = required(5, "kind")?;
    Ok(Event {
        event_id: uuid(&required(2, "event_id")?)?,
        device_id: required(0, "device_id")?,
        seq: seq_from_i64(row.int(1)?)?,
        recorded_at: from_micros(row.int(3)?)?,
        body: EventBody {
            operator: required(4, "operator")?,
            kind: EventKind::from_name(&kind)
                .ok_or_else(|| corrupt(format!("event kind {kind:?}")))?,
            gtin: row.text(6)?,
            lot: row.text(7)?,
            expiry: row
                .text(8)?
                .map(|text| {
                    chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d")
                        .map_err(|_| corrupt(format!("expiry date {text:?}")))
                })
                .transpose()?,
            serial: row.text(9)?,
            sscc: row.text(10)?,
            quantity: row.int(11)?,
            unit: required(12, "unit")?,
            from_location: row.text(13)?,
            to_location: row.text(14)?,
            purchase_order: row.text(15)?,
            sales_order: row.text(16)?,
            reason: row.text(17)?,
            correction_of: row.text(18)?.as_deref().map(uuid).transpose()?,
        },
        prev_hash: hash_from_bytes(&row.bytes(19)?)?,
        hash: hash_from_bytes(&row.bytes(20)?)?,
    })
}

/// Migration 2 (both backends): reference records, one row each, stamped
/// with the change cursor of the write that last set them, and the clock
/// those cursors come from (one row; bumping it locks it, so cursors are
/// handed out, and committed, in order).
pub const MIGRATION_REFERENCE: &str = "CREATE TABLE reference_records (
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        body TEXT NOT NULL,
        cursor BIGINT NOT NULL,
        PRIMARY KEY (kind, key)
    );
    CREATE INDEX reference_by_cursor ON reference_records (cursor);
    CREATE TABLE reference_clock (id BIGINT PRIMARY KEY, last BIGINT NOT NULL);
    INSERT INTO reference_clock (id, last) VALUES (1, 0);";

/// Migration 4 (both backends): when each device last uploaded, and how
/// many conflicting events it has sent, for monitoring (`GET /metrics`).
pub const MIGRATION_DEVICE_ACTIVITY: &str = "ALTER TABLE devices ADD COLUMN last_seen_at BIGINT;
    ALTER TABLE devices ADD COLUMN conflicts BIGINT NOT NULL DEFAULT 0;";

/// Records an upload by device `$1` at `$2` that carried `$3` conflicts.
pub const RECORD_UPLOAD: &str = "UPDATE devices SET last_seen_at = $2, \
     conflicts = conflicts + $3 WHERE device_id = $1";

/// Every device as [`DEVICES`] has it (the same first seven columns), then
/// its last upload, conflict count and the two times of its newest event.
pub const DEVICE_ACTIVITY: &str = "SELECT d.name, d.device_id, d.created_at, d.enrolled_at, \
     d.revoked_at, d.acked_through, (SELECT count(*) FROM chain_breaks b \
     WHERE b.device_id = d.device_id), d.last_seen_at, d.conflicts, e.recorded_at, \
     e.received_at FROM devices d LEFT JOIN events e \
     ON e.device_id = d.device_id AND e.seq = d.acked_through ORDER BY d.name";

/// Takes the next reference cursor (and holds the clock until commit).
pub const NEXT_REFERENCE_CURSOR: &str =
    "UPDATE reference_clock SET last = last + 1 WHERE id = 1 RETURNING last";

/// Inserts or replaces one reference record: `(kind, key, body, cursor)`.
pub const UPSERT_REFERENCE: &str = "INSERT INTO reference_records (kind, key, body, cursor) \
     VALUES ($1, $2, $3, $4) ON CONFLICT (kind, key) DO UPDATE \
     SET body = excluded.body, cursor = excluded.cursor";

/// Reference records set after cursor `$1`, oldest first.
pub const REFERENCE_SINCE: &str = "SELECT kind, body, cursor FROM reference_records \
     WHERE cursor > $1 ORDER BY cursor, kind, key";

/// Keys of the stored records of kinds `$1`, `$2`, `$3`.
pub const REFERENCE_KEYS: &str =
    "SELECT kind, key FROM reference_records WHERE kind IN ($1, $2, $3)";

/// One value bound to a statement, in a form both drivers accept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// BIGINT.
    Int(i64),
    /// TEXT, possibly NULL.
    Text(Option<String>),
    /// Bytes (BLOB / BYTEA).
    Bytes(Vec<u8>),
}

/// Microseconds since the epoch: how times are stored.
pub fn micros(time: DateTime<Utc>) -> i64 {
    time.timestamp_micros()
}

/// The time stored as `micros`; out-of-range values are corrupt data.
pub fn from_micros(micros: i64) -> super::Result<DateTime<Utc>> {
    DateTime::from_timestamp_micros(micros)
        .ok_or_else(|| super::StoreError::Corrupt(format!("time {micros} out of range")))
}

/// The values of [`INSERT_EVENT`] for `event`. Seqs were checked to fit
/// an `i64` when the batch was validated.
pub fn event_cells(event: &Event, received_at: DateTime<Utc>) -> [Cell; 22] {
    let b = &event.body;
    let text = |s: &Option<String>| Cell::Text(s.clone());
    [
        Cell::Text(Some(event.device_id.clone())),
        Cell::Int(i64::try_from(event.seq).unwrap_or(i64::MAX)),
        Cell::Text(Some(event.event_id.to_string())),
        Cell::Int(micros(event.recorded_at)),
        Cell::Int(micros(received_at)),
        Cell::Text(Some(b.operator.clone())),
        Cell::Text(Some(b.kind.as_str().to_owned())),
        text(&b.gtin),
        text(&b.lot),
        Cell::Text(b.expiry.map(iso_date)),
        text(&b.serial),
        text(&b.sscc),
        Cell::Int(b.quantity),
        Cell::Text(Some(b.unit.clone())),
        text(&b.from_location),
        text(&b.to_location),
        text(&b.purchase_order),
        text(&b.sales_order),
        text(&b.reason),
        Cell::Text(b.correction_of.map(|id| id.to_string())),
        Cell::Bytes(event.prev_hash.0.to_vec()),
        Cell::Bytes(event.hash.0.to_vec()),
    ]
}

/// The values of [`INSERT_BREAK`].
pub fn break_cells(b: &crate::protocol::ChainBreak, detected_at: DateTime<Utc>) -> [Cell; 6] {
    [
        Cell::Text(Some(b.device_id.clone())),
        Cell::Int(i64::try_from(b.seq).unwrap_or(i64::MAX)),
        Cell::Text(Some(b.kind.as_str().to_owned())),
        Cell::Text(Some(b.expected.clone())),
        Cell::Text(Some(b.found.clone())),
        Cell::Int(micros(detected_at)),
    ]
}

/// The newest event of a [`DEVICE_ACTIVITY`] row, from its two nullable
/// times (NULL when the device has stored nothing).
pub fn newest_event(
    recorded_at: Option<i64>,
    received_at: Option<i64>,
) -> super::Result<Option<super::NewestEvent>> {
    match (recorded_at, received_at) {
        (Some(recorded), Some(received)) => Ok(Some(super::NewestEvent {
            recorded_at: from_micros(recorded)?,
            received_at: from_micros(received)?,
        })),
        _ => Ok(None),
    }
}

/// A stored 32-byte hash.
pub fn hash_from_bytes(bytes: &[u8]) -> super::Result<crate::journal::ChainHash> {
    <[u8; 32]>::try_from(bytes)
        .map(crate::journal::ChainHash)
        .map_err(|_| super::StoreError::Corrupt("a stored hash is not 32 bytes".into()))
}

/// A stored non-negative BIGINT as a seq.
pub fn seq_from_i64(value: i64) -> super::Result<u64> {
    u64::try_from(value).map_err(|_| super::StoreError::Corrupt(format!("negative seq {value}")))
}

/// A stored chain break.
pub fn chain_break(
    device_id: String,
    seq: i64,
    kind: &str,
    expected: String,
    found: String,
) -> super::Result<crate::protocol::ChainBreak> {
    Ok(crate::protocol::ChainBreak {
        device_id,
        seq: seq_from_i64(seq)?,
        kind: crate::protocol::ChainBreakKind::from_name(kind)
            .ok_or_else(|| super::StoreError::Corrupt(format!("unknown break kind {kind:?}")))?,
        expected,
        found,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const STEPS: &[(i64, &str)] = &[(1, "a"), (2, "b"), (3, "c")];

    #[test]
    fn pending_migrations_follow_the_current_version() {
        let versions =
            |current| -> Vec<i64> { pending(STEPS, current).unwrap().map(|m| m.0).collect() };
        assert_eq!(versions(0), [1, 2, 3]);
        assert_eq!(versions(2), [3]);
        assert!(versions(3).is_empty());
        assert!(matches!(
            pending(STEPS, 4).map(|_| ()),
            Err(crate::server::store::StoreError::TooNew {
                found: 4,
                supported: 3
            })
        ));
    }
}
