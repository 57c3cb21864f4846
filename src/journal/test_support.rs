//! Fixtures shared by the journal's unit tests.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use tempfile::TempDir;

use super::{EventBody, EventKind, Journal};

/// Valid GTIN-14s (correct check digits).
pub const GTIN_A: &str = "09506000134352";
pub const GTIN_B: &str = "00614141000012";
/// A valid SSCC.
pub const SSCC: &str = "106141411234567897";

/// A new journal in a temporary directory (kept alive by the returned dir).
pub fn journal() -> (TempDir, Journal) {
    let dir = tempfile::tempdir().expect("temp dir");
    let journal = Journal::open(dir.path().join("journal.sqlite")).expect("open journal");
    (dir, journal)
}

/// A fixed instant, `minutes` after 2026-11-25 08:00 UTC.
pub fn at(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 8, 0, 0).unwrap() + chrono::Duration::minutes(minutes)
}

/// A calendar date.
pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// A body of `kind` for `gtin` / `lot`, `quantity` each.
pub fn body(kind: EventKind, gtin: &str, lot: Option<&str>, quantity: i64) -> EventBody {
    let mut b = EventBody::new("badge-1", kind);
    b.gtin = Some(gtin.to_owned());
    b.lot = lot.map(str::to_owned);
    b.quantity = quantity;
    b
}

/// A receipt of `quantity` of `gtin`/`lot` expiring on `expiry` at `to`.
pub fn receive(
    gtin: &str,
    lot: Option<&str>,
    expiry: Option<NaiveDate>,
    quantity: i64,
    to: &str,
) -> EventBody {
    let mut b = body(EventKind::Receiving, gtin, lot, quantity);
    b.expiry = expiry;
    b.to_location = Some(to.to_owned());
    b
}

/// A movement of `quantity` from one location to another (putaway).
pub fn store_move(gtin: &str, lot: Option<&str>, quantity: i64, from: &str, to: &str) -> EventBody {
    let mut b = body(EventKind::Storing, gtin, lot, quantity);
    b.from_location = Some(from.to_owned());
    b.to_location = Some(to.to_owned());
    b
}
