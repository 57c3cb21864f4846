//! The synthetic journal the journal and terminal benchmarks build:
//! receipts, putaways and picks over 1,000 GTINs with 20 lots each and 50
//! locations.

use chrono::NaiveDate;
use lotline::journal::{EventBody, EventKind};
use lotline::scan::check_digit::mod10;

/// Products in the journal.
pub const GTINS: u64 = 1_000;
/// Lots of each product.
pub const LOTS_PER_GTIN: u64 = 20;
/// Storage locations.
const LOCATIONS: u64 = 50;

/// A valid GTIN-14 for product number `n`.
pub fn gtin(n: u64) -> String {
    let body = format!("0950600{n:06}");
    let check = mod10(body.as_bytes()).unwrap_or(0);
    format!("{body}{check}")
}

/// The i-th synthetic event: receipts, putaways and picks over 1,000 GTINs
/// with 20 lots each and 50 locations.
pub fn event(i: u64, gtins: &[String]) -> EventBody {
    let product = i % GTINS;
    let lot = (i / GTINS) % LOTS_PER_GTIN;
    let kind = [EventKind::Receiving, EventKind::Storing, EventKind::Picking][(i % 3) as usize];
    let mut b = EventBody::new("bench", kind);
    b.gtin = Some(gtins[product as usize].clone());
    b.lot = Some(format!("LOT{lot:03}"));
    b.expiry = NaiveDate::from_ymd_opt(2027, 1 + (lot % 12) as u32, 1 + (product % 28) as u32);
    b.quantity = 1 + (i % 5) as i64;
    let shelf = format!("S-{:02}", (product + lot) % LOCATIONS);
    match kind {
        EventKind::Receiving => b.to_location = Some("DOCK".into()),
        EventKind::Storing => {
            b.from_location = Some("DOCK".into());
            b.to_location = Some(shelf);
        }
        _ => b.from_location = Some(shelf),
    }
    b
}
