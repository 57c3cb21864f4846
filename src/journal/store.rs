//! The one mapping between an [`Event`] and its `events` row: the column
//! list, the INSERT, and reading a row back. Every reader and writer of
//! events goes through here.

use chrono::{DateTime, NaiveDate};
use rusqlite::{Connection, Row, params};
use uuid::Uuid;

use super::error::{JournalError, Result};
use super::event::{ChainHash, Event, EventBody, EventKind, IsoDate};

/// The `events` columns in [`event_from_row`]'s order, for SELECTs.
pub const EVENT_COLUMNS: &str = "seq, event_id, device_id, recorded_at, operator, kind, gtin, \
     lot, expiry, serial, sscc, quantity, unit, from_location, to_location, purchase_order, \
     sales_order, reason, correction_of, prev_hash, hash";

/// Parses a stored date.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// The INSERT of one `events` row.
const INSERT_EVENT: &str = "INSERT INTO events (seq, event_id, device_id, recorded_at, operator, \
     kind, gtin, lot, expiry, serial, sscc, quantity, unit, from_location, to_location, \
     purchase_order, sales_order, reason, correction_of, prev_hash, hash) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, \
     ?18, ?19, ?20, ?21)";

/// Writes `event` as a new row.
#[cfg(test)]
pub fn insert_event(conn: &Connection, event: &Event) -> Result<()> {
    EventInsert::new(conn)?.insert(event)
}

/// The event INSERT, prepared once for a whole transaction (a burst).
pub struct EventInsert<'c> {
    stmt: rusqlite::CachedStatement<'c>,
}

impl<'c> EventInsert<'c> {
    /// Prepares (or takes from the cache) the INSERT on `conn`.
    pub fn new(conn: &'c Connection) -> Result<EventInsert<'c>> {
        Ok(EventInsert {
            stmt: conn.prepare_cached(INSERT_EVENT)?,
        })
    }

    /// Writes `event` as a new row.
    pub fn insert(&mut self, event: &Event) -> Result<()> {
        let b = &event.body;
        let seq = i64::try_from(event.seq)
            .map_err(|_| JournalError::Invalid(format!("seq {} is out of range", event.seq)))?;
        let expiry = b.expiry.map(IsoDate::new);
        self.stmt.execute(params![
            seq,
            event.event_id.as_bytes(),
            event.device_id,
            event.recorded_at.timestamp_micros(),
            b.operator,
            b.kind.as_str(),
            b.gtin,
            b.lot,
            expiry.as_ref().map(IsoDate::as_str),
            b.serial,
            b.sscc,
            b.quantity,
            b.unit,
            b.from_location,
            b.to_location,
            b.purchase_order,
            b.sales_order,
            b.reason,
            b.correction_of.as_ref().map(Uuid::as_bytes),
            event.prev_hash.0,
            event.hash.0,
        ])?;
        Ok(())
    }
}

/// Reads a row selected with [`EVENT_COLUMNS`]. A row that does not decode
/// (edited by hand, damaged) is an [`JournalError::UnreadableEvent`] naming
/// its seq.
pub fn event_from_row(row: &Row<'_>) -> Result<Event> {
    let seq: i64 = row.get(0)?;
    let bad = |why: String| JournalError::UnreadableEvent { seq, why };
    let uuid = |idx: usize, name: &str| -> Result<Option<Uuid>> {
        match row.get::<_, Option<Vec<u8>>>(idx)? {
            None => Ok(None),
            Some(bytes) => Uuid::from_slice(&bytes)
                .map(Some)
                .map_err(|_| bad(format!("{name} is not 16 bytes"))),
        }
    };
    let hash = |idx: usize, name: &str| -> Result<ChainHash> {
        let bytes: Vec<u8> = row.get(idx)?;
        <[u8; 32]>::try_from(bytes.as_slice())
            .map(ChainHash)
            .map_err(|_| bad(format!("{name} is not 32 bytes")))
    };
    let kind_name: String = row.get(5)?;
    let kind = EventKind::from_name(&kind_name)
        .ok_or_else(|| bad(format!("unknown kind {kind_name:?}")))?;
    let micros: i64 = row.get(3)?;
    let recorded_at = DateTime::from_timestamp_micros(micros)
        .ok_or_else(|| bad(format!("recorded_at {micros} is out of range")))?;
    let expiry = match row.get::<_, Option<String>>(8)? {
        None => None,
        Some(text) => Some(
            parse_date(&text).ok_or_else(|| bad(format!("expiry {text:?} is not YYYY-MM-DD")))?,
        ),
    };
    Ok(Event {
        event_id: uuid(1, "event_id")?.ok_or_else(|| bad("event_id is missing".into()))?,
        device_id: row.get(2)?,
        seq: u64::try_from(seq).map_err(|_| bad("seq is negative".into()))?,
        recorded_at,
        body: EventBody {
            operator: row.get(4)?,
            kind,
            gtin: row.get(6)?,
            lot: row.get(7)?,
            expiry,
            serial: row.get(9)?,
            sscc: row.get(10)?,
            quantity: row.get(11)?,
            unit: row.get(12)?,
            from_location: row.get(13)?,
            to_location: row.get(14)?,
            purchase_order: row.get(15)?,
            sales_order: row.get(16)?,
            reason: row.get(17)?,
            correction_of: uuid(18, "correction_of")?,
        },
        prev_hash: hash(19, "prev_hash")?,
        hash: hash(20, "hash")?,
    })
}

/// Collects the events a prepared `SELECT EVENT_COLUMNS …` yields.
pub fn collect_events(
    stmt: &mut rusqlite::Statement<'_>,
    params: impl rusqlite::Params,
) -> Result<Vec<Event>> {
    let mut rows = stmt.query(params)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(event_from_row(row)?);
    }
    Ok(out)
}

/// The event with the given id, if this journal has it.
pub fn event_by_id(conn: &Connection, id: Uuid) -> Result<Option<Event>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {EVENT_COLUMNS} FROM events WHERE event_id = ?1"
    ))?;
    Ok(collect_events(&mut stmt, [id.as_bytes()])?.pop())
}
