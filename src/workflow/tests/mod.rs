//! The engine's rules, one test each, on a real journal with a small set of
//! reference data. Outbound (pack, ship, short picks, keypad quantities,
//! orders list) is in `outbound`, moves and counts closing in `stock_moves`,
//! bursts of RFID tags in `tag_bursts`.

mod outbound;
mod stock_moves;
mod tag_bursts;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use tempfile::TempDir;

use super::*;
use crate::journal::{
    Journal, Location, LocationKind, LotState, LotStatus, Operator, OrderLine, Product,
    PurchaseOrder, ReferenceData, SalesOrder,
};

/// Yoghurt: lot- and expiry-tracked, 10 days minimum shelf life at receipt.
const YOGHURT: &str = "09506000134352";
/// Paper towels: neither lot- nor expiry-tracked.
const TOWELS: &str = "00614141000012";
/// A valid GTIN that is not in the product list.
const UNKNOWN: &str = "04006381333931";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap()
}

fn product(gtin: &str, description: &str, tracked: bool) -> Product {
    Product {
        gtin: gtin.into(),
        description: description.into(),
        unit: "EA".into(),
        lot_tracked: tracked,
        expiry_tracked: tracked,
        min_shelf_life_receipt_days: tracked.then_some(10),
        min_shelf_life_shipment_days: tracked.then_some(20),
    }
}

fn location(code: &str, barcode: Option<&str>, kind: LocationKind) -> Location {
    Location {
        code: code.into(),
        barcode: barcode.map(Into::into),
        gln: None,
        sgln: None,
        zone: None,
        kind,
    }
}

fn reference() -> ReferenceData {
    ReferenceData {
        products: vec![
            product(YOGHURT, "Yoghurt 500 g", true),
            product(TOWELS, "Paper towels", false),
        ],
        locations: vec![
            location("DOCK", None, LocationKind::Dock),
            location("A-01", Some("LOC-A-01"), LocationKind::Shelf),
            location("A-02", Some("LOC-A-02"), LocationKind::Shelf),
            location("Q-01", None, LocationKind::Quarantine),
            location("PACK", None, LocationKind::Staging),
        ],
        customers: vec![crate::journal::Customer {
            id: "CUS-1".into(),
            name: "Corner Shop".into(),
            gln: None,
        }],
        purchase_orders: vec![PurchaseOrder {
            number: "PO-1001".into(),
            supplier_id: "SUP-1".into(),
            lines: vec![OrderLine {
                line_no: 1,
                gtin: YOGHURT.into(),
                quantity: 24,
                unit: "EA".into(),
            }],
        }],
        sales_orders: vec![SalesOrder {
            number: "SO-1".into(),
            customer_id: "CUS-1".into(),
            ship_to: "Shop 1".into(),
            lines: vec![OrderLine {
                line_no: 1,
                gtin: YOGHURT.into(),
                quantity: 10,
                unit: "EA".into(),
            }],
        }],
        lot_statuses: vec![
            LotStatus {
                gtin: YOGHURT.into(),
                lot: Some("HELD1".into()),
                state: LotState::Held,
                reason: Some("lab test pending".into()),
                issued_by: "quality".into(),
                issued_at: now(),
            },
            LotStatus {
                gtin: YOGHURT.into(),
                lot: Some("RECALL1".into()),
                state: LotState::Recalled,
                reason: Some("supplier recall".into()),
                issued_by: "quality".into(),
                issued_at: now(),
            },
        ],
        operators: vec![
            Operator {
                badge: "BADGE-7".into(),
                name: "Ana".into(),
                role: "receiver".into(),
            },
            Operator {
                badge: "BADGE-9".into(),
                name: "Sam".into(),
                role: "supervisor".into(),
            },
        ],
        ..ReferenceData::default()
    }
}

fn settings(short_shelf_life: ShortShelfLife) -> WorkflowSettings {
    WorkflowSettings {
        receiving_location: "DOCK".into(),
        packing_location: "PACK".into(),
        lot_pattern: LotPattern::parse("{yy}{doy}{site}{seq:3}", "S1").unwrap(),
        short_shelf_life,
        carton_numbering: Some(CartonNumbering::new(0, "9506000", "1").unwrap()),
    }
}

/// An engine over a fresh journal with the reference data, signed in as
/// BADGE-7 with `task` opened.
fn engine_with(policy: ShortShelfLife, task: Action) -> (TempDir, Engine) {
    let dir = tempfile::tempdir().unwrap();
    let mut journal = Journal::open(dir.path().join("journal.sqlite")).unwrap();
    journal.apply_reference(&reference()).unwrap();
    let mut engine = Engine::new(journal, settings(policy));
    assert_eq!(engine.scan("BADGE-7", now()).level, Level::Ok);
    assert_eq!(engine.act(task, now()).level, Level::Ok);
    (dir, engine)
}

fn receiving() -> (TempDir, Engine) {
    engine_with(ShortShelfLife::Warn, Action::Receive { po: None })
}

fn yoghurt(lot: &str, count: u32) -> String {
    format!("(01){YOGHURT}(17)270531(30){count}(10){lot}")
}

/// The most recent event in the engine's journal.
fn last_event(engine: &Engine) -> crate::journal::Event {
    engine
        .journal()
        .events_after(0, 100)
        .unwrap()
        .pop()
        .expect("an event was recorded")
}

fn stock(engine: &Engine, lot: &str) -> Vec<(String, i64)> {
    engine
        .journal()
        .lot_lookup(YOGHURT, Some(lot))
        .unwrap()
        .map(|r| r.stock)
        .unwrap_or_default()
}

fn enter(lot: Option<&str>, expiry: Option<&str>) -> Action {
    Action::EnterLot {
        lot: lot.map(Into::into),
        expiry: expiry.map(Into::into),
    }
}

#[test]
fn sign_in_needs_a_known_badge() {
    let dir = tempfile::tempdir().unwrap();
    let mut journal = Journal::open(dir.path().join("journal.sqlite")).unwrap();
    journal.apply_reference(&reference()).unwrap();
    let mut engine = Engine::new(journal, settings(ShortShelfLife::Warn));
    let refused = engine.act(Action::Putaway, now());
    assert_eq!(refused.level, Level::Block);
    assert!(refused.message.contains("scan your badge"));
    let unknown = engine.scan("BADGE-0", now());
    assert_eq!(unknown.level, Level::Block);
    assert!(unknown.message.contains("\"BADGE-0\" is not known"));
    assert!(engine.operator().is_none());
    let ok = engine.scan("]C0BADGE-9", now());
    assert_eq!(ok.message, "Signed in: Sam (supervisor)");
    assert_eq!(engine.operator().map(|o| o.role), Some(Role::Supervisor));
    assert_eq!(engine.act(Action::SignOut, now()).message, "Sam signed out");
    assert!(engine.operator().is_none());
}

#[test]
fn a_full_label_is_received_with_operator_lot_expiry_and_count() {
    let (_dir, mut engine) = receiving();
    let fb = engine.scan(&yoghurt("ABC123", 24), now());
    assert_eq!(fb.level, Level::Ok, "{fb:?}");
    assert_eq!(fb.events.len(), 1);
    let event = &engine.journal().events_after(0, 10).unwrap()[0];
    assert_eq!(event.event_id, fb.events[0]);
    assert_eq!(event.body.operator, "BADGE-7");
    assert_eq!(event.body.lot.as_deref(), Some("ABC123"));
    assert_eq!(event.body.expiry, NaiveDate::from_ymd_opt(2027, 5, 31));
    assert_eq!(event.body.quantity, 24);
    assert_eq!(event.body.to_location.as_deref(), Some("DOCK"));
    assert_eq!(event.body.purchase_order, None);
}

#[test]
fn an_unknown_gtin_is_blocked_showing_the_gtin() {
    let (_dir, mut engine) = receiving();
    let fb = engine.scan(UNKNOWN, now());
    assert_eq!(fb.level, Level::Block);
    assert!(fb.message.contains(UNKNOWN), "{}", fb.message);
    assert_eq!(engine.journal().last_seq(), 0);
}

#[test]
fn po_by_ai_400_or_text_and_over_receipt_warns() {
    let (_dir, mut engine) = receiving();
    assert_eq!(engine.scan("PO-9999", now()).level, Level::Block);
    assert_eq!(engine.scan("(400)PO-9999", now()).level, Level::Block);
    assert!(engine.scan("PO-1001", now()).message.contains("PO PO-1001"));
    assert_eq!(engine.scan("(400)PO-1001", now()).level, Level::Ok);
    assert_eq!(engine.scan(&yoghurt("A", 20), now()).level, Level::Ok);
    let over = engine.scan(&yoghurt("A", 5), now());
    assert_eq!(over.level, Level::Warn);
    assert!(
        over.details
            .iter()
            .any(|d| d.contains("24 ordered, 25 received"))
    );
    let not_on_po = engine.scan(TOWELS, now());
    assert_eq!(not_on_po.level, Level::Warn);
    let progress = engine.journal().purchase_order_progress("PO-1001").unwrap();
    assert_eq!(progress.iter().map(|p| p.received).sum::<i64>(), 26);
}

#[test]
fn a_lot_tracked_item_without_lot_prompts_and_validates_entry() {
    let (_dir, mut engine) = receiving();
    let prompt = engine.scan(YOGHURT, now());
    assert_eq!(prompt.level, Level::Prompt);
    assert!(
        prompt.message.contains("lot and expiry"),
        "{}",
        prompt.message
    );
    assert_eq!(engine.scan(YOGHURT, now()).level, Level::Block);
    for bad in [
        enter(Some("AB C"), Some("2027-05-31")),
        enter(Some(&"L".repeat(21)), Some("2027-05-31")),
        enter(Some("L1"), Some("2027-02-30")),
        enter(Some("L1"), None),
    ] {
        assert_eq!(engine.act(bad, now()).level, Level::Block);
    }
    assert_eq!(engine.journal().last_seq(), 0);
    let ok = engine.act(enter(Some("L1"), Some("2027-05-31")), now());
    assert_eq!(ok.level, Level::Ok, "{ok:?}");
    assert_eq!(stock(&engine, "L1"), [("DOCK".to_owned(), 1)]);
    assert_eq!(
        engine.act(enter(Some("L2"), None), now()).level,
        Level::Block
    );
}

#[test]
fn a_missing_lot_is_assigned_uniquely_from_the_pattern() {
    let (_dir, mut engine) = receiving();
    let mut assigned = Vec::new();
    for _ in 0..2 {
        assert_eq!(engine.scan(YOGHURT, now()).level, Level::Prompt);
        let fb = engine.act(enter(None, Some("2027-05-31")), now());
        assert_eq!(fb.level, Level::Ok, "{fb:?}");
        assigned.push(fb.details[0].clone());
    }
    assert_eq!(
        assigned,
        [
            "Lot 26329S1001 assigned: write it on the goods",
            "Lot 26329S1002 assigned: write it on the goods"
        ]
    );
}

#[test]
fn a_product_without_lot_tracking_is_received_without_asking() {
    let (_dir, mut engine) = receiving();
    let fb = engine.scan("0614141000012", now());
    assert_eq!(fb.level, Level::Ok, "{fb:?}");
    let report = engine.journal().lot_lookup(TOWELS, None).unwrap().unwrap();
    assert_eq!(report.stock, [("DOCK".to_owned(), 1)]);
}

#[test]
fn short_shelf_life_warns_or_blocks_by_configuration() {
    let short = format!("(01){YOGHURT}(17)261130(10)S1");
    let (_dir, mut engine) = receiving();
    let warned = engine.scan(&short, now());
    assert_eq!(warned.level, Level::Warn);
    assert!(warned.details[0].contains("5 days of shelf life left, 10 required"));
    let (_dir, mut engine) = engine_with(ShortShelfLife::Block, Action::Receive { po: None });
    assert_eq!(engine.scan(&short, now()).level, Level::Block);
    assert_eq!(engine.journal().last_seq(), 0);
}

#[test]
fn putaway_moves_from_the_dock_to_a_known_location() {
    let (_dir, mut engine) = receiving();
    engine.scan(&yoghurt("ABC", 24), now());
    assert_eq!(engine.act(Action::Putaway, now()).level, Level::Ok);
    // A location first means "move from there": nothing of ABC is at A-01.
    let from = engine.scan("LOC-A-01", now());
    assert_eq!(
        from.message,
        "Moving from A-01: scan an item or pallet there"
    );
    assert_eq!(engine.scan(&yoghurt("ABC", 10), now()).level, Level::Block);
    assert_eq!(engine.scan("DOCK", now()).level, Level::Ok);
    assert_eq!(engine.scan(&yoghurt("ABC", 30), now()).level, Level::Block);
    assert_eq!(engine.scan(&yoghurt("ABC", 10), now()).level, Level::Ok);
    let unknown = engine.scan("LOC-Z-99", now());
    assert_eq!(unknown.level, Level::Block);
    assert!(unknown.message.contains("\"LOC-Z-99\" is not known"));
    let done = engine.scan("LOC-A-01", now());
    assert_eq!(done.level, Level::Ok, "{done:?}");
    assert_eq!(
        stock(&engine, "ABC"),
        [("A-01".to_owned(), 10), ("DOCK".to_owned(), 14)]
    );
}

#[test]
fn a_held_lot_goes_only_to_quarantine() {
    let (_dir, mut engine) = receiving();
    engine.scan(&yoghurt("HELD1", 6), now());
    engine.act(Action::Putaway, now());
    let picked_up = engine.scan(&yoghurt("HELD1", 6), now());
    assert!(picked_up.details[0].contains("held"), "{picked_up:?}");
    let refused = engine.scan("A-01", now());
    assert_eq!(refused.level, Level::Block);
    assert!(refused.message.contains("quarantine"));
    assert_eq!(engine.scan("Q-01", now()).level, Level::Ok);
    assert_eq!(stock(&engine, "HELD1"), [("Q-01".to_owned(), 6)]);
}

#[test]
fn lookup_shows_status_expiry_stock_and_history() {
    let (_dir, mut engine) = receiving();
    engine.scan(&yoghurt("HELD1", 6), now());
    engine.act(Action::Lookup, now());
    let fb = engine.scan(&yoghurt("HELD1", 1), now());
    assert_eq!(fb.level, Level::Ok);
    assert_eq!(
        fb.message,
        "Yoghurt 500 g (09506000134352) lot HELD1: held, expires 2027-05-31 (187 days left)"
    );
    assert_eq!(fb.details[0], "Status held by quality: lab test pending");
    assert_eq!(fb.details[1], "At DOCK: 6 EA");
    assert!(fb.details[2].contains("receiving 6 EA to DOCK by BADGE-7"));
    assert!(fb.events.is_empty());
    assert_eq!(engine.scan(&yoghurt("NEVER", 1), now()).level, Level::Block);
}

#[test]
fn undo_voids_the_last_step_once() {
    let (_dir, mut engine) = receiving();
    engine.scan(&yoghurt("ABC", 24), now());
    engine.act(Action::Putaway, now());
    engine.scan(&yoghurt("ABC", 24), now());
    engine.scan("A-01", now());
    let undo = engine.act(
        Action::Undo {
            reason: Some("wrong shelf".into()),
        },
        now(),
    );
    assert_eq!(undo.level, Level::Ok, "{undo:?}");
    assert_eq!(stock(&engine, "ABC"), [("DOCK".to_owned(), 24)]);
    let events = engine.journal().events_after(0, 10).unwrap();
    assert_eq!(events.len(), 3);
    assert_eq!(events[2].body.correction_of, Some(events[1].event_id));
    assert_eq!(events[2].body.reason.as_deref(), Some("wrong shelf"));
    assert_eq!(undo.events, [events[2].event_id]);
    assert_eq!(
        engine.act(Action::Undo { reason: None }, now()).level,
        Level::Block
    );
}

#[test]
fn cancel_drops_the_waiting_item_without_recording() {
    let (_dir, mut engine) = receiving();
    engine.scan(YOGHURT, now());
    assert_eq!(engine.act(Action::Cancel, now()).level, Level::Ok);
    assert_eq!(engine.act(Action::Cancel, now()).level, Level::Block);
    assert_eq!(engine.scan(&yoghurt("ABC", 1), now()).level, Level::Ok);
    assert_eq!(engine.journal().last_seq(), 1);
}

/// An engine picking SO-1, with these yoghurt lots (lot, expiry YYMMDD)
/// received and put away to A-01, standing at A-01.
fn picking(lots: &[(&str, &str)]) -> (TempDir, Engine) {
    let (dir, mut engine) = receiving();
    for (lot, expiry) in lots {
        let label = format!("(01){YOGHURT}(17){expiry}(30)5(10){lot}");
        assert_ne!(engine.scan(&label, now()).level, Level::Block, "{lot}");
        engine.act(Action::Putaway, now());
        engine.scan(&label, now());
        let location = if *lot == "HELD1" || *lot == "RECALL1" {
            "Q-01"
        } else {
            "A-01"
        };
        assert_eq!(engine.scan(location, now()).level, Level::Ok, "{lot}");
        engine.act(Action::Receive { po: None }, now());
    }
    let start = engine.act(
        Action::Pick {
            order: "SO-1".into(),
        },
        now(),
    );
    assert_eq!(start.level, Level::Ok, "{start:?}");
    (dir, engine)
}

fn pick_label(lot: &str, count: u32) -> String {
    format!("(01){YOGHURT}(30){count}(10){lot}")
}

#[test]
fn pick_suggests_fefo_and_the_expected_lot_is_ok() {
    let (_dir, mut engine) =
        picking(&[("LATE", "270531"), ("EARLY", "270131"), ("SOON", "261210")]);
    let again = engine.act(
        Action::Pick {
            order: "SO-1".into(),
        },
        now(),
    );
    assert_eq!(
        again.details,
        ["Next: 10 of Yoghurt 500 g (09506000134352): lot EARLY at A-01, expires 2027-01-31"]
    );
    assert_eq!(
        engine.scan(&pick_label("EARLY", 3), now()).level,
        Level::Block
    );
    assert_eq!(engine.scan("LOC-A-01", now()).level, Level::Ok);
    let ok = engine.scan(&pick_label("EARLY", 3), now());
    assert_eq!(ok.level, Level::Ok, "{ok:?}");
    let progress = engine.journal().sales_order_progress("SO-1").unwrap();
    assert_eq!(progress[0].picked, 3);
    assert_eq!(
        stock(&engine, "EARLY"),
        [("A-01".to_owned(), 2), ("PACK".to_owned(), 3)]
    );
}

#[test]
fn a_later_lot_needs_a_reason_and_warns() {
    let (_dir, mut engine) = picking(&[("LATE", "270531"), ("EARLY", "270131")]);
    engine.scan("A-01", now());
    let prompt = engine.scan(&pick_label("LATE", 2), now());
    assert_eq!(prompt.level, Level::Prompt);
    assert!(
        prompt.message.contains("lot EARLY (first to expire)"),
        "{}",
        prompt.message
    );
    assert_eq!(
        engine.scan(&pick_label("EARLY", 1), now()).level,
        Level::Block
    );
    let empty = Action::Reason { code: " ".into() };
    assert_eq!(engine.act(empty, now()).level, Level::Block);
    let fb = engine.act(
        Action::Reason {
            code: "DAMAGED".into(),
        },
        now(),
    );
    assert_eq!(fb.level, Level::Warn, "{fb:?}");
    let last = last_event(&engine);
    assert_eq!(last.body.reason.as_deref(), Some("DAMAGED"));
    assert_eq!(last.body.lot.as_deref(), Some("LATE"));
    assert_eq!(last.body.sales_order.as_deref(), Some("SO-1"));
    assert_eq!(
        engine.act(Action::Reason { code: "X".into() }, now()).level,
        Level::Block
    );
}

#[test]
fn expired_held_recalled_short_lived_and_wrong_products_are_blocked() {
    let (_dir, mut engine) = picking(&[
        ("EARLY", "270131"),
        ("OLD", "261120"),
        ("SOON", "261210"),
        ("HELD1", "270131"),
        ("RECALL1", "270131"),
    ]);
    let before = engine.journal().last_seq();
    engine.scan("A-01", now());
    let blocked = |engine: &mut Engine, data: &str, why: &str| {
        let fb = engine.scan(data, now());
        assert_eq!(fb.level, Level::Block, "{data}: {fb:?}");
        assert!(fb.message.contains(why), "{data}: {}", fb.message);
    };
    blocked(&mut engine, &pick_label("OLD", 1), "expired on 2026-11-20");
    blocked(
        &mut engine,
        &pick_label("SOON", 1),
        "15 days left, 20 required at shipment",
    );
    blocked(&mut engine, TOWELS, "Wrong product");
    blocked(&mut engine, &pick_label("EARLY", 11), "Only 10");
    engine.scan("Q-01", now());
    blocked(&mut engine, &pick_label("HELD1", 1), "is held");
    blocked(&mut engine, &pick_label("RECALL1", 1), "is recalled");
    assert_eq!(engine.journal().last_seq(), before);
}

/// Signs out whoever is signed in and signs in `badge`.
fn switch_to(engine: &mut Engine, badge: &str) {
    engine.act(Action::SignOut, now());
    assert_eq!(engine.scan(badge, now()).level, Level::Ok, "{badge}");
}

fn hold(reason: &str) -> Action {
    Action::Hold {
        reason: reason.into(),
    }
}

fn release(reason: &str) -> Action {
    Action::Release {
        reason: reason.into(),
    }
}

#[test]
fn hold_and_release_need_a_supervisor_and_a_reason() {
    let (_dir, mut engine) = receiving();
    for action in [hold("lab test"), release("lab test passed")] {
        let fb = engine.act(action, now());
        assert_eq!(fb.level, Level::Block);
        assert!(fb.message.contains("Only a supervisor"), "{}", fb.message);
    }
    switch_to(&mut engine, "BADGE-9");
    assert_eq!(engine.act(hold("  "), now()).level, Level::Block);
    let fb = engine.act(hold("lab test"), now());
    assert_eq!(fb.level, Level::Ok, "{fb:?}");
    assert_eq!(engine.journal().last_seq(), 0);
}

#[test]
fn a_held_lot_blocks_picking_until_released_and_is_not_undone() {
    let (_dir, mut engine) = picking(&[("EARLY", "270131")]);
    switch_to(&mut engine, "BADGE-9");
    engine.act(hold("lab test pending"), now());
    let held = engine.scan(&yoghurt("EARLY", 1), now());
    assert_eq!(held.level, Level::Ok, "{held:?}");
    assert!(held.details.iter().any(|line| line == "At A-01: 5 EA"));
    let last = last_event(&engine);
    assert_eq!(last.body.kind, crate::journal::EventKind::Holding);
    assert_eq!(last.body.reason.as_deref(), Some("lab test pending"));
    assert_eq!(last.body.operator, "BADGE-9");
    let again = engine.scan(&yoghurt("EARLY", 1), now());
    assert!(again.message.contains("already on hold"), "{again:?}");
    let undo = engine.act(Action::Undo { reason: None }, now());
    assert_eq!(
        undo.message,
        "A hold is not undone: release the lot instead"
    );

    switch_to(&mut engine, "BADGE-7");
    let order = || Action::Pick {
        order: "SO-1".into(),
    };
    engine.act(order(), now());
    engine.scan("A-01", now());
    let blocked = engine.scan(&pick_label("EARLY", 1), now());
    assert!(blocked.message.contains("is held"), "{blocked:?}");

    switch_to(&mut engine, "BADGE-9");
    engine.act(release("lab test passed"), now());
    let released = engine.scan(&yoghurt("EARLY", 1), now());
    assert_eq!(released.level, Level::Ok, "{released:?}");
    let status = engine.journal().lot_status(YOGHURT, Some("EARLY")).unwrap();
    assert_eq!(status.map(|s| s.state), Some(LotState::Released));

    switch_to(&mut engine, "BADGE-7");
    engine.act(order(), now());
    engine.scan("A-01", now());
    assert_eq!(engine.scan(&pick_label("EARLY", 1), now()).level, Level::Ok);
}

#[test]
fn a_recall_is_never_released_or_held_locally() {
    let (_dir, mut engine) = receiving();
    switch_to(&mut engine, "BADGE-9");
    engine.act(release("customer asked"), now());
    let fb = engine.scan(&yoghurt("RECALL1", 1), now());
    assert_eq!(fb.level, Level::Block);
    assert!(
        fb.message.contains(
            "recalled (by quality: supplier recall): a local release never lifts a recall"
        ),
        "{}",
        fb.message
    );
    let fb = engine.scan(&yoghurt("NEVERHELD", 1), now());
    assert!(fb.message.contains("is not on hold"), "{}", fb.message);
    let fb = engine.scan(TOWELS, now());
    assert!(fb.message.contains("not lot-tracked"), "{}", fb.message);
    engine.act(hold("damaged"), now());
    let fb = engine.scan(&yoghurt("RECALL1", 1), now());
    assert!(fb.message.contains("already recalled"), "{}", fb.message);
    assert_eq!(engine.journal().last_seq(), 0);
}

#[test]
fn expiry_alerts_list_expired_and_soon_expiring_stock_and_keep_the_task() {
    let (_dir, mut engine) = receiving();
    let none = engine.act(Action::ExpiryAlerts { days: None }, now());
    assert_eq!(none.message, "Nothing in stock expires within 30 days");
    let (_dir, mut engine) = picking(&[("OLD", "261120"), ("SOON", "261210"), ("LATE", "270531")]);
    let before = engine.journal().last_seq();
    let fb = engine.act(Action::ExpiryAlerts { days: Some(30) }, now());
    assert_eq!(fb.level, Level::Warn, "{fb:?}");
    assert_eq!(
        fb.message,
        "1 lot(s) expired but still in stock, 1 expiring within 30 days"
    );
    assert_eq!(
        fb.details,
        [
            "Take expired stock out of the pick locations",
            "expired 2026-11-20 (5 days ago): Yoghurt 500 g (09506000134352) lot OLD at A-01: 5 EA",
            "expires 2026-12-10 (15 days left): Yoghurt 500 g (09506000134352) lot SOON at A-01: 5 EA",
        ]
    );
    let week = engine.act(Action::ExpiryAlerts { days: Some(7) }, now());
    assert_eq!(week.details.len(), 2, "{week:?}");
    assert_eq!(engine.journal().last_seq(), before);
    assert_eq!(engine.scan("A-01", now()).message, "At A-01: scan the item");
}

fn count(quantity: i64, reason: Option<&str>) -> Action {
    Action::EnterCount {
        quantity,
        reason: reason.map(Into::into),
    }
}

#[test]
fn a_blind_count_records_matches_and_adjusts_differences_with_a_reason() {
    let (_dir, mut engine) = picking(&[("EARLY", "270131")]);
    assert_eq!(engine.act(Action::Count, now()).level, Level::Ok);
    let early = yoghurt("EARLY", 9);
    assert_eq!(engine.scan(&early, now()).level, Level::Block);
    assert_eq!(engine.scan("LOC-A-01", now()).level, Level::Ok);
    let ask = engine.scan(&early, now());
    assert_eq!(ask.level, Level::Prompt);
    assert_eq!(
        ask.message,
        "Count Yoghurt 500 g (09506000134352) lot EARLY at A-01: enter how many EA you count"
    );
    assert_eq!(engine.act(count(-1, None), now()).level, Level::Block);
    let same = engine.act(count(5, None), now());
    assert_eq!(same.level, Level::Ok, "{same:?}");
    assert!(same.message.ends_with("matches the records"));
    let last = last_event(&engine);
    assert_eq!(last.body.kind, crate::journal::EventKind::CycleCounting);
    assert_eq!(last.body.reason, None);

    let before = engine.journal().last_seq();
    engine.scan(&early, now());
    let differs = engine.act(count(3, None), now());
    assert_eq!(differs.level, Level::Prompt);
    assert!(
        differs.message.ends_with("with a reason code"),
        "{differs:?}"
    );
    assert!(differs.details.is_empty(), "blind: {differs:?}");
    assert_eq!(engine.journal().last_seq(), before);
    let adjusted = engine.act(count(3, Some("DAMAGED")), now());
    assert_eq!(adjusted.level, Level::Warn, "{adjusted:?}");
    assert_eq!(
        adjusted.details,
        ["Recorded 5, counted 3 (-2), reason DAMAGED"]
    );
    assert_eq!(stock(&engine, "EARLY"), [("A-01".to_owned(), 3)]);
    let undo = engine.act(Action::Undo { reason: None }, now());
    assert_eq!(
        undo.message,
        "A count is not undone: count the item again instead"
    );

    engine.scan(&yoghurt("FOUND1", 1), now());
    engine.act(count(2, Some("FOUND")), now());
    assert_eq!(stock(&engine, "FOUND1"), [("A-01".to_owned(), 2)]);
    engine.scan(&early, now());
    assert_eq!(engine.act(Action::Cancel, now()).level, Level::Ok);
    assert_eq!(engine.act(count(1, None), now()).level, Level::Block);
}

fn returns(order: Option<&str>) -> Action {
    Action::Return {
        order: order.map(Into::into),
    }
}

#[test]
fn a_return_is_restocked_to_a_scanned_location() {
    let (_dir, mut engine) = receiving();
    assert_eq!(engine.act(returns(Some("SO-9")), now()).level, Level::Block);
    assert_eq!(engine.act(returns(Some("SO-1")), now()).level, Level::Ok);
    let wrong = engine.scan(TOWELS, now());
    assert!(wrong.message.contains("is not on order SO-1"), "{wrong:?}");
    let ask = engine.scan(&yoghurt("EARLY", 2), now());
    assert_eq!(ask.level, Level::Prompt, "{ask:?}");
    assert_eq!(engine.scan(&yoghurt("EARLY", 2), now()).level, Level::Block);
    let fb = engine.scan("LOC-A-01", now());
    assert_eq!(
        fb.message,
        "Returned 2 EA of Yoghurt 500 g (09506000134352) lot EARLY restocked to A-01"
    );
    assert_eq!(stock(&engine, "EARLY"), [("A-01".to_owned(), 2)]);
    let last = last_event(&engine);
    assert_eq!(last.body.kind, crate::journal::EventKind::Inspecting);
    assert_eq!(last.body.sales_order.as_deref(), Some("SO-1"));
    assert_eq!(last.body.reason.as_deref(), Some("returned: restocked"));
}

#[test]
fn a_recalled_or_expired_return_goes_only_to_quarantine() {
    let (_dir, mut engine) = receiving();
    engine.act(returns(None), now());
    let expired = format!("(01){YOGHURT}(17)261120(10)OLD");
    for label in [yoghurt("RECALL1", 1), expired] {
        let ask = engine.scan(&label, now());
        assert_eq!(ask.level, Level::Prompt);
        assert!(ask.details[0].contains("only a quarantine"), "{ask:?}");
        let fb = engine.scan("A-01", now());
        assert!(fb.message.contains("scan a quarantine location"), "{fb:?}");
        let fb = engine.scan("Q-01", now());
        assert!(fb.message.ends_with("to quarantine at Q-01"), "{fb:?}");
    }
    assert_eq!(stock(&engine, "OLD"), [("Q-01".to_owned(), 1)]);
}

#[test]
fn quarantining_a_return_holds_its_lot_at_the_dock() {
    let (_dir, mut engine) = receiving();
    engine.act(returns(None), now());
    assert_eq!(
        engine
            .act(Action::Quarantine { reason: "x".into() }, now())
            .level,
        Level::Block
    );
    engine.scan(&yoghurt("BAD1", 3), now());
    let quarantine = |reason: &str| Action::Quarantine {
        reason: reason.into(),
    };
    assert_eq!(engine.act(quarantine(" "), now()).level, Level::Block);
    let fb = engine.act(quarantine("seal broken"), now());
    assert_eq!(fb.level, Level::Ok, "{fb:?}");
    assert_eq!(fb.events.len(), 2);
    assert_eq!(stock(&engine, "BAD1"), [("DOCK".to_owned(), 3)]);
    let status = engine.journal().lot_status(YOGHURT, Some("BAD1")).unwrap();
    assert_eq!(status.map(|s| s.state), Some(LotState::Held));
    let undo = engine.act(Action::Undo { reason: None }, now());
    assert_eq!(undo.level, Level::Block);
}
