//! `lotline demo-data`: loads a small, realistic warehouse into an empty
//! journal so that a newcomer can walk every workflow without a server:
//! products, lots with spread-out expiries (some expired, one recalled),
//! locations including quarantine, suppliers, customers, purchase and sales
//! orders, and operators with badges including a supervisor.
//!
//! Expiries are relative to the load date, so the data always shows an
//! expired lot, lots expiring soon and long-lived ones.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Days, NaiveDate, Utc};
use clap::Args;

use crate::journal::{
    Customer, EventBody, EventKind, Journal, Location, LocationKind, LotState, LotStatus, Operator,
    OrderLine, Product, PurchaseOrder, ReferenceData, SalesOrder, Supplier,
};
use crate::text;
use crate::text::Text;

/// Arguments of `lotline demo-data`.
#[derive(Debug, Args)]
pub struct DemoDataArgs {
    /// The load date expiries are relative to (default: today); set it to
    /// get the same data every time.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<NaiveDate>,
}

/// Yoghurt 500 g: lot- and expiry-tracked.
const YOGHURT: &str = "09506000134352";
/// Milk 1 L: lot- and expiry-tracked, short-lived.
const MILK: &str = "09506000134369";
/// Cheddar 200 g: lot- and expiry-tracked; one lot is recalled.
const CHEDDAR: &str = "09506000134376";
/// Orange juice 1 L: lot- and expiry-tracked.
const JUICE: &str = "09506000134383";
/// Paper towels: neither lot- nor expiry-tracked.
const TOWELS: &str = "09506000134390";

/// The recalled cheddar lot.
const RECALLED_LOT: &str = "CH2611R";

/// One line of initial stock: GTIN, lot, expiry in days from the load
/// date, where, how many.
type StockLine = (
    &'static str,
    Option<&'static str>,
    Option<i64>,
    &'static str,
    i64,
);

/// The initial stock.
const STOCK: [StockLine; 10] = [
    (YOGHURT, Some("Y2611A"), Some(-3), "A-01", 4),
    (YOGHURT, Some("Y2611B"), Some(12), "A-01", 12),
    (YOGHURT, Some("Y2612C"), Some(40), "A-02", 24),
    (MILK, Some("M2611A"), Some(5), "A-02", 10),
    (MILK, Some("M2611B"), Some(20), "A-02", 18),
    (CHEDDAR, Some(RECALLED_LOT), Some(60), "Q-01", 5),
    (CHEDDAR, Some("CH2611B"), Some(90), "B-01", 8),
    (JUICE, Some("J2610A"), Some(-10), "B-01", 2),
    (JUICE, Some("J2611B"), Some(120), "B-01", 12),
    (TOWELS, None, None, "B-01", 20),
];

/// Loads the demo warehouse into the journal at `journal_path` (created if
/// missing), as of `now`, and prints what was loaded; refuses a journal
/// that already has events, so demo stock never mixes with real records.
pub fn run(
    args: &DemoDataArgs,
    journal_path: &Path,
    now: DateTime<Utc>,
    out: &mut impl Write,
) -> Result<()> {
    let today = args.today.unwrap_or(now.date_naive());
    if enrolled(journal_path) {
        bail!(
            "this terminal is enrolled with a server: demo stock would be uploaded to it as \
             real records. Try the demo in another data directory (--data-dir)"
        );
    }
    if let Some(dir) = journal_path.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
    }
    let mut journal = Journal::open(journal_path)
        .with_context(|| format!("cannot open the journal {}", journal_path.display()))?;
    let summary = load(&mut journal, today, now)
        .with_context(|| format!("journal {}", journal_path.display()))?;
    writeln!(out, "{summary}")?;
    writeln!(out, "{}", badges())?;
    Ok(())
}

/// The demo operators' badges, as shown after loading.
pub fn badges() -> Text {
    text!(
        "Badges: BADGE-1001 (Ana, receiver), BADGE-1002 (Ben, picker), BADGE-1900 (Sam, supervisor)"
    )
}

/// True when the terminal whose journal is at `journal_path` is enrolled
/// with a server (its data directory holds the enrollment): every event it
/// records is uploaded there, so demo data must never go into it.
pub fn enrolled(journal_path: &Path) -> bool {
    journal_path
        .parent()
        .is_some_and(|dir| crate::sync::Enrollment::path(dir).exists())
}

/// True when `journal` is a fresh one the demo could be offered for: it
/// has recorded nothing yet.
pub fn could_load(journal: &Journal) -> bool {
    journal.last_seq() == 0
}

/// Loads the demo warehouse into `journal` with expiries relative to
/// `today`, and says what was loaded. Refuses a journal with events.
pub fn load(journal: &mut Journal, today: NaiveDate, now: DateTime<Utc>) -> Result<Text> {
    if !could_load(journal) {
        bail!(
            "the journal already has {} events: demo data is loaded only into an empty journal",
            journal.last_seq()
        );
    }
    let data = reference(now);
    journal.apply_reference(&data)?;
    let events = journal.append_batch(now, initial_stock(today)?)?;
    Ok(text!(
        "Demo data loaded as of {today}: {products} products, {locations} locations, {purchase_orders} purchase orders, {sales_orders} sales orders, {operators} operators, {events} events of initial stock",
        today,
        products = data.products.len(),
        locations = data.locations.len(),
        purchase_orders = data.purchase_orders.len(),
        sales_orders = data.sales_orders.len(),
        operators = data.operators.len(),
        events = events.len()
    ))
}

/// The demo reference data, as if downloaded from the server at `now`.
pub fn reference(now: DateTime<Utc>) -> ReferenceData {
    let product = |gtin: &str, description: &str, tracked: bool, receipt, shipment| Product {
        gtin: gtin.into(),
        description: description.into(),
        unit: "EA".into(),
        lot_tracked: tracked,
        expiry_tracked: tracked,
        min_shelf_life_receipt_days: receipt,
        min_shelf_life_shipment_days: shipment,
    };
    let location = |code: &str, zone: &str, kind| Location {
        code: code.into(),
        barcode: Some(format!("LOC-{code}")),
        gln: None,
        sgln: None,
        zone: Some(zone.into()),
        kind,
    };
    let line = |line_no, gtin: &str, quantity| OrderLine {
        line_no,
        gtin: gtin.into(),
        quantity,
        unit: "EA".into(),
    };
    let operator = |badge: &str, name: &str, role: &str| Operator {
        badge: badge.into(),
        name: name.into(),
        role: role.into(),
    };
    ReferenceData {
        products: vec![
            product(YOGHURT, "Yoghurt 500 g", true, Some(10), Some(5)),
            product(MILK, "Milk 1 L", true, Some(5), Some(3)),
            product(CHEDDAR, "Cheddar 200 g", true, Some(30), Some(14)),
            product(JUICE, "Orange juice 1 L", true, Some(30), Some(14)),
            product(TOWELS, "Paper towels 4-pack", false, None, None),
        ],
        locations: vec![
            location("DOCK", "inbound", LocationKind::Dock),
            location("A-01", "chilled", LocationKind::Shelf),
            location("A-02", "chilled", LocationKind::Shelf),
            location("B-01", "ambient", LocationKind::Shelf),
            location("Q-01", "quarantine", LocationKind::Quarantine),
            location("PACK", "outbound", LocationKind::Staging),
            location("SHIP", "outbound", LocationKind::Shipping),
        ],
        suppliers: vec![
            Supplier {
                id: "SUP-1".into(),
                name: "Valley Dairy Co-op".into(),
                gln: Some("9506000000015".into()),
            },
            Supplier {
                id: "SUP-2".into(),
                name: "Northern Paper Ltd".into(),
                gln: None,
            },
        ],
        customers: vec![
            Customer {
                id: "CUS-1".into(),
                name: "Corner Shop Main Street".into(),
                gln: Some("9506000000022".into()),
            },
            Customer {
                id: "CUS-2".into(),
                name: "Harbour Cafe".into(),
                gln: None,
            },
        ],
        purchase_orders: vec![
            PurchaseOrder {
                number: "PO-1001".into(),
                supplier_id: "SUP-1".into(),
                lines: vec![line(1, YOGHURT, 48), line(2, MILK, 24)],
            },
            PurchaseOrder {
                number: "PO-1002".into(),
                supplier_id: "SUP-2".into(),
                lines: vec![line(1, TOWELS, 10)],
            },
        ],
        sales_orders: vec![
            SalesOrder {
                number: "SO-2001".into(),
                customer_id: "CUS-1".into(),
                ship_to: "Corner Shop, 1 Main Street".into(),
                lines: vec![line(1, YOGHURT, 6), line(2, MILK, 4)],
            },
            SalesOrder {
                number: "SO-2002".into(),
                customer_id: "CUS-2".into(),
                ship_to: "Harbour Cafe, Quay 3".into(),
                lines: vec![line(1, CHEDDAR, 3), line(2, TOWELS, 2)],
            },
        ],
        lot_statuses: vec![LotStatus {
            gtin: CHEDDAR.into(),
            lot: Some(RECALLED_LOT.into()),
            state: LotState::Recalled,
            reason: Some("supplier recall: listeria test positive".into()),
            issued_by: "quality".into(),
            issued_at: now,
        }],
        operators: vec![
            operator("BADGE-1001", "Ana", "receiver"),
            operator("BADGE-1002", "Ben", "picker"),
            operator("BADGE-1900", "Sam", "supervisor"),
        ],
    }
}

/// The initial stock as it would have been recorded: each lot received at
/// the dock, then put away to its location.
fn initial_stock(today: NaiveDate) -> Result<Vec<EventBody>> {
    let mut bodies = Vec::new();
    for (gtin, lot, days, location, quantity) in STOCK {
        let expiry = days.map(|d| shift(today, d)).transpose()?;
        let mut received = EventBody::new("BADGE-1001", EventKind::Receiving);
        received.gtin = Some(gtin.into());
        received.lot = lot.map(Into::into);
        received.expiry = expiry;
        received.quantity = quantity;
        received.to_location = Some("DOCK".into());
        let stored = EventBody {
            kind: EventKind::Storing,
            from_location: Some("DOCK".into()),
            to_location: Some(location.into()),
            ..received.clone()
        };
        bodies.push(received);
        bodies.push(stored);
    }
    Ok(bodies)
}

/// `today` moved by `days` (negative: into the past).
fn shift(today: NaiveDate, days: i64) -> Result<NaiveDate> {
    let step = Days::new(days.unsigned_abs());
    let date = if days < 0 {
        today.checked_sub_days(step)
    } else {
        today.checked_add_days(step)
    };
    date.with_context(|| format!("{today} moved by {days} days is out of range"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::check_digit::mod10_valid;

    #[test]
    fn gtins_have_valid_check_digits_and_stock_is_on_known_products() {
        let data = reference(Utc::now());
        for product in &data.products {
            assert!(mod10_valid(product.gtin.as_bytes()), "{}", product.gtin);
        }
        for (gtin, ..) in STOCK {
            assert!(data.products.iter().any(|p| p.gtin == gtin));
        }
    }

    #[test]
    fn loads_once_with_expired_soon_and_recalled_lots() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.sqlite");
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let args = DemoDataArgs { today: Some(today) };
        let mut out = Vec::new();
        run(&args, &path, Utc::now(), &mut out).unwrap();
        assert!(String::from_utf8(out).unwrap().contains("20 events"));
        assert!(run(&args, &path, Utc::now(), &mut Vec::new()).is_err());

        let enrolled_dir = tempfile::tempdir().unwrap();
        std::fs::write(crate::sync::Enrollment::path(enrolled_dir.path()), "{}").unwrap();
        let refused = run(
            &args,
            &enrolled_dir.path().join("journal.sqlite"),
            Utc::now(),
            &mut Vec::new(),
        )
        .unwrap_err();
        assert!(
            refused.to_string().contains("enrolled with a server"),
            "{refused}"
        );
        let journal = Journal::open_existing(&path).unwrap();
        let alerts = journal.expiry_alerts(today, 14).unwrap();
        assert_eq!(alerts.iter().filter(|a| a.expired).count(), 2);
        assert_eq!(alerts.iter().filter(|a| !a.expired).count(), 2);
        let recalled = journal.lot_status(CHEDDAR, Some(RECALLED_LOT)).unwrap();
        assert_eq!(recalled.map(|s| s.state), Some(LotState::Recalled));
        assert_eq!(shift(today, -3).unwrap().to_string(), "2026-11-22");
    }
}
