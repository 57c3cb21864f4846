//! A realistic warehouse history for the traceability tests: two lots of
//! yoghurt received from one supplier, put away (one putaway corrected),
//! picked for two customers, packed into two SSCC cartons and shipped.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use uuid::Uuid;

use crate::journal::{
    ChainHash, Customer, Event, EventBody, EventKind, Location, LocationKind, Operator, OrderLine,
    Product, PurchaseOrder, ReferenceData, SalesOrder, Supplier,
};
use crate::scan::check_digit::mod10;

/// The yoghurt's GTIN-14 (company prefix 9506000, 7 digits).
pub const GTIN: &str = "09506000134352";
/// The lot traced in the tests.
pub const LOT_1: &str = "L2611A";
/// The other lot.
pub const LOT_2: &str = "L2611B";

/// `body` with its check digit appended.
pub fn with_check_digit(body: &str) -> String {
    let check = mod10(body.as_bytes()).expect("digits");
    format!("{body}{check}")
}

/// Carton 1 (SO-2001) and carton 2 (SO-2002).
pub fn sscc(n: u8) -> String {
    // Extension digit 0, company prefix 0950600, serial reference n.
    with_check_digit(&format!("00950600{n:09}"))
}

/// The moment `m` minutes after the history starts.
pub fn minutes(m: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 8, 0, 0).unwrap() + Duration::minutes(m)
}

/// An event with seq `seq` at `at`, operator B-17, built by `fill`.
pub fn event(
    seq: u64,
    at: DateTime<Utc>,
    kind: EventKind,
    fill: impl FnOnce(&mut EventBody),
) -> Event {
    let mut body = EventBody::new("B-17", kind);
    body.gtin = Some(GTIN.into());
    fill(&mut body);
    Event {
        event_id: Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0000 + u128::from(seq)),
        device_id: "term-01".into(),
        seq,
        recorded_at: at,
        body,
        prev_hash: ChainHash::GENESIS,
        hash: ChainHash::GENESIS,
    }
}

/// The reference data the history refers to.
pub fn reference() -> ReferenceData {
    let location = |code: &str, kind, sgln: Option<&str>| Location {
        code: code.into(),
        barcode: None,
        gln: None,
        sgln: sgln.map(Into::into),
        zone: None,
        kind,
    };
    let line = |quantity| OrderLine {
        line_no: 1,
        gtin: GTIN.into(),
        quantity,
        unit: "EA".into(),
    };
    ReferenceData {
        products: vec![Product {
            gtin: GTIN.into(),
            description: "Greek yoghurt 500 g".into(),
            unit: "EA".into(),
            lot_tracked: true,
            expiry_tracked: true,
            min_shelf_life_receipt_days: Some(10),
            min_shelf_life_shipment_days: Some(5),
        }],
        locations: vec![
            location(
                "DOCK-1",
                LocationKind::Dock,
                Some("urn:epc:id:sgln:0950600.00001.D1"),
            ),
            location("A-01", LocationKind::Shelf, None),
            location("A-02", LocationKind::Shelf, None),
            location("STAGE", LocationKind::Staging, None),
        ],
        suppliers: vec![Supplier {
            id: "S1".into(),
            name: "Hill Farm Dairy".into(),
            gln: Some(with_check_digit("095060000010")),
        }],
        customers: vec![
            Customer {
                id: "C1".into(),
                name: "Corner Shop".into(),
                gln: Some(with_check_digit("095060000020")),
            },
            Customer {
                id: "C2".into(),
                name: "Fresh Market".into(),
                gln: None,
            },
        ],
        purchase_orders: vec![PurchaseOrder {
            number: "PO-1001".into(),
            supplier_id: "S1".into(),
            lines: vec![line(160)],
        }],
        sales_orders: vec![
            SalesOrder {
                number: "SO-2001".into(),
                customer_id: "C1".into(),
                ship_to: with_check_digit("095060000020"),
                lines: vec![line(30)],
            },
            SalesOrder {
                number: "SO-2002".into(),
                customer_id: "C2".into(),
                ship_to: "12 Market Street, Leeds".into(),
                lines: vec![line(30)],
            },
        ],
        lot_statuses: Vec::new(),
        operators: vec![
            Operator {
                badge: "B-17".into(),
                name: "Ana Silva".into(),
                role: "receiver".into(),
            },
            Operator {
                badge: "B-22".into(),
                name: "Bo Chen".into(),
                role: "picker".into(),
            },
        ],
    }
}

/// Lot 1 expires on this date, lot 2 on [`expiry_2`].
pub fn expiry_1() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 10).unwrap()
}

/// Lot 2's expiry date.
pub fn expiry_2() -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 1, 20).unwrap()
}

/// The history, in recording order. The putaway of lot 1 (seq 3) first
/// said 80 and was corrected to 100 (seq 4). Left in stock: 50 of lot 1 on
/// A-01, 50 of lot 2 on A-02.
pub fn events() -> Vec<Event> {
    use EventKind::*;
    let receive = |seq, lot: &'static str, expiry, quantity| {
        event(seq, minutes(seq as i64), Receiving, move |b| {
            b.lot = Some(lot.into());
            b.expiry = Some(expiry);
            b.quantity = quantity;
            b.to_location = Some("DOCK-1".into());
            b.purchase_order = Some("PO-1001".into());
        })
    };
    let moved = |seq: u64,
                 kind,
                 lot: &'static str,
                 quantity,
                 from: Option<&'static str>,
                 to: Option<&'static str>,
                 order: Option<&'static str>,
                 carton: Option<u8>| {
        event(seq, minutes(10 * seq as i64), kind, move |b| {
            b.operator = "B-22".into();
            b.lot = Some(lot.into());
            b.quantity = quantity;
            b.from_location = from.map(Into::into);
            b.to_location = to.map(Into::into);
            b.sales_order = order.map(Into::into);
            b.sscc = carton.map(sscc);
        })
    };
    let wrong_putaway = moved(
        3,
        Storing,
        LOT_1,
        80,
        Some("DOCK-1"),
        Some("A-01"),
        None,
        None,
    );
    let mut fixed_putaway = moved(
        4,
        Storing,
        LOT_1,
        100,
        Some("DOCK-1"),
        Some("A-01"),
        None,
        None,
    );
    fixed_putaway.body.correction_of = Some(wrong_putaway.event_id);
    fixed_putaway.body.reason = Some("counted 100, not 80".into());
    vec![
        receive(1, LOT_1, expiry_1(), 100),
        receive(2, LOT_2, expiry_2(), 60),
        wrong_putaway,
        fixed_putaway,
        moved(
            5,
            Storing,
            LOT_2,
            60,
            Some("DOCK-1"),
            Some("A-02"),
            None,
            None,
        ),
        moved(
            6,
            Picking,
            LOT_1,
            30,
            Some("A-01"),
            Some("STAGE"),
            Some("SO-2001"),
            None,
        ),
        moved(
            7,
            Picking,
            LOT_1,
            20,
            Some("A-01"),
            Some("STAGE"),
            Some("SO-2002"),
            None,
        ),
        moved(
            8,
            Picking,
            LOT_2,
            10,
            Some("A-02"),
            Some("STAGE"),
            Some("SO-2002"),
            None,
        ),
        moved(9, Packing, LOT_1, 30, None, None, Some("SO-2001"), Some(1)),
        moved(10, Packing, LOT_1, 20, None, None, Some("SO-2002"), Some(2)),
        moved(11, Packing, LOT_2, 10, None, None, Some("SO-2002"), Some(2)),
        moved(
            12,
            Shipping,
            LOT_1,
            30,
            Some("STAGE"),
            Some("C1"),
            Some("SO-2001"),
            Some(1),
        ),
        moved(
            13,
            Shipping,
            LOT_1,
            20,
            Some("STAGE"),
            Some("C2"),
            Some("SO-2002"),
            Some(2),
        ),
        moved(
            14,
            Shipping,
            LOT_2,
            10,
            Some("STAGE"),
            Some("C2"),
            Some("SO-2002"),
            Some(2),
        ),
    ]
}
