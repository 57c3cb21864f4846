//! Pick → pack → ship: short picks, keypad quantities, the orders list,
//! carton checks against the picked lots, holds and recalls that arrive
//! after picking, and undo of a closed carton.

use super::*;
use crate::journal::EventKind;

/// The SSCC the test station (company prefix 9506000, station 1) gives
/// its carton `serial`.
fn carton(serial: u64) -> String {
    CartonNumbering::new(0, "9506000", "1")
        .unwrap()
        .sscc(serial)
        .unwrap()
}

/// An engine that has picked 5 of lot EARLY for SO-1 (of 10 ordered) and
/// closed the rest of the line short.
fn picked_five() -> (TempDir, Engine) {
    let (dir, mut engine) = picking(&[("EARLY", "270131")]);
    assert_eq!(engine.scan("LOC-A-01", now()).level, Level::Ok);
    let picked = engine.scan(&pick_label("EARLY", 5), now());
    assert_eq!(picked.level, Level::Ok, "{picked:?}");
    let short = engine.act(
        Action::Short {
            reason: "NOT-FOUND".into(),
        },
        now(),
    );
    assert_eq!(short.level, Level::Warn, "{short:?}");
    (dir, engine)
}

fn pack(engine: &mut Engine) -> Feedback {
    engine.act(
        Action::Pack {
            order: "SO-1".into(),
        },
        now(),
    )
}

fn early(count: Option<u32>) -> String {
    match count {
        Some(n) => pick_label("EARLY", n),
        None => format!("(01){YOGHURT}(10)EARLY"),
    }
}

/// Reopens the engine's journal, lets `change` edit it (as a reference
/// download would), and signs BADGE-7 in on a new engine over it.
fn after_download(dir: &TempDir, engine: Engine, change: impl FnOnce(&mut Journal)) -> Engine {
    drop(engine);
    let mut journal = Journal::open(dir.path().join("journal.sqlite")).unwrap();
    change(&mut journal);
    let mut engine = Engine::new(journal, settings(ShortShelfLife::Warn));
    assert_eq!(engine.scan("BADGE-7", now()).level, Level::Ok);
    engine
}

fn recall_early(journal: &mut Journal) {
    journal
        .apply_reference(&ReferenceData {
            lot_statuses: vec![LotStatus {
                gtin: YOGHURT.into(),
                lot: Some("EARLY".into()),
                state: LotState::Recalled,
                reason: Some("supplier recall R-7".into()),
                issued_by: "quality".into(),
                issued_at: now(),
            }],
            ..ReferenceData::default()
        })
        .unwrap();
}

#[test]
fn a_short_pick_records_a_zero_pick_with_its_reason_and_closes_the_line() {
    let (_dir, mut engine) = picked_five();
    let short = last_event(&engine);
    assert_eq!(short.body.kind, EventKind::Picking);
    assert_eq!(short.body.quantity, 0);
    assert_eq!(short.body.reason.as_deref(), Some("NOT-FOUND"));
    assert_eq!(short.body.sales_order.as_deref(), Some("SO-1"));
    let more = engine.scan(&early(Some(1)), now());
    assert_eq!(more.level, Level::Block);
    assert!(
        more.message.contains("closed short (NOT-FOUND)"),
        "{more:?}"
    );
    let nothing = engine.act(Action::Short { reason: "X".into() }, now());
    assert_eq!(nothing.level, Level::Block);
    let no_reason = picking(&[("EARLY", "270131")])
        .1
        .act(Action::Short { reason: " ".into() }, now());
    assert_eq!(no_reason.level, Level::Block);
}

#[test]
fn the_keypad_quantity_applies_to_the_next_item_scan_only() {
    let (_dir, mut engine) = picking(&[("EARLY", "270131")]);
    engine.scan("LOC-A-01", now());
    assert_eq!(
        engine.act(Action::Quantity { quantity: 0 }, now()).level,
        Level::Block
    );
    assert_eq!(
        engine.act(Action::Quantity { quantity: 2 }, now()).level,
        Level::Ok
    );
    assert_eq!(engine.scan(&early(None), now()).level, Level::Ok);
    assert_eq!(last_event(&engine).body.quantity, 2);
    assert_eq!(engine.scan(&early(None), now()).level, Level::Ok);
    assert_eq!(last_event(&engine).body.quantity, 1);
}

#[test]
fn the_orders_list_shows_progress_until_the_order_has_shipped() {
    let (_dir, mut engine) = picking(&[("EARLY", "270131")]);
    let list = engine.act(Action::Orders, now());
    assert_eq!(list.message, "1 open sales order(s)");
    assert!(
        list.details[0].starts_with("SO-1 Corner Shop: not started"),
        "{list:?}"
    );
    engine.scan("LOC-A-01", now());
    engine.scan(&early(Some(5)), now());
    engine.act(
        Action::Short {
            reason: "NF".into(),
        },
        now(),
    );
    let list = engine.act(Action::Orders, now());
    assert!(list.details[0].contains("ready to pack"), "{list:?}");
    pack(&mut engine);
    engine.act(Action::NewCarton, now());
    engine.act(Action::Quantity { quantity: 5 }, now());
    engine.scan(&early(None), now());
    engine.act(Action::CloseCarton, now());
    let list = engine.act(Action::Orders, now());
    assert!(list.details[0].contains("ready to ship"), "{list:?}");
    engine.act(Action::Ship { order: None }, now());
    assert_eq!(
        engine.act(Action::Orders, now()).message,
        "No open sales orders"
    );
}

#[test]
fn packing_checks_every_item_against_the_picked_lots() {
    let (_dir, mut engine) = picked_five();
    let opened = pack(&mut engine);
    assert_eq!(opened.level, Level::Ok, "{opened:?}");
    assert_eq!(
        opened.details,
        ["To pack: 5 of Yoghurt 500 g (09506000134352) lot EARLY"]
    );
    let no_carton = engine.scan(&early(Some(1)), now());
    assert_eq!(no_carton.level, Level::Block);
    let created = engine.act(Action::NewCarton, now());
    assert_eq!(created.level, Level::Ok, "{created:?}");
    let sscc = carton(1);
    assert!(created.message.contains(&sscc), "{created:?}");
    let wrong_product = engine.scan(&format!("(01){TOWELS}"), now());
    assert_eq!(wrong_product.level, Level::Block);
    assert!(wrong_product.message.starts_with("Wrong item"));
    let wrong_lot = engine.scan(&pick_label("LATE", 1), now());
    assert_eq!(wrong_lot.level, Level::Block);
    assert!(
        wrong_lot.message.contains("(picked: EARLY)"),
        "{wrong_lot:?}"
    );
    let extra = engine.scan(&early(Some(6)), now());
    assert_eq!(extra.level, Level::Block);
    assert!(extra.message.starts_with("Extra"), "{extra:?}");
    engine.act(Action::Quantity { quantity: 3 }, now());
    assert_eq!(engine.scan(&early(None), now()).level, Level::Ok);
    assert_eq!(engine.scan(&early(Some(2)), now()).level, Level::Ok);
    assert_eq!(engine.scan(&early(Some(1)), now()).level, Level::Block);
    // Nothing is recorded until the carton is closed.
    assert_eq!(last_event(&engine).body.kind, EventKind::Picking);
    let second = engine.act(Action::NewCarton, now());
    assert_eq!(second.level, Level::Block, "one carton at a time");
    let early_ship = engine.act(Action::Ship { order: None }, now());
    assert_eq!(early_ship.level, Level::Block);
    assert!(early_ship.message.contains("still open"));
    let closed = engine.act(Action::CloseCarton, now());
    assert_eq!(closed.level, Level::Ok, "{closed:?}");
    assert_eq!(closed.events.len(), 1);
    assert!(closed.details.iter().any(|d| d.contains("ship it")));
    let packed = last_event(&engine);
    assert_eq!(packed.body.kind, EventKind::Packing);
    assert_eq!(packed.body.sscc.as_deref(), Some(sscc.as_str()));
    assert_eq!(packed.body.quantity, 5);
    assert_eq!(packed.body.lot.as_deref(), Some("EARLY"));
    assert_eq!(
        engine.journal().carton_contents(&sscc).unwrap(),
        [(YOGHURT.to_owned(), Some("EARLY".to_owned()), 5)]
    );
    // A used SSCC label cannot be scanned for a new carton.
    let reused = engine.scan(&format!("(00){sscc}"), now());
    assert_eq!(reused.level, Level::Block);
    assert!(reused.message.contains("already in use"));
}

#[test]
fn shipping_sends_every_packed_carton_to_the_customer() {
    let (_dir, mut engine) = picked_five();
    pack(&mut engine);
    let sscc = "106141411234567897";
    assert_eq!(
        engine.scan(&format!("(00){sscc}"), now()).level,
        Level::Ok,
        "a pre-printed carton label"
    );
    engine.scan(&early(Some(5)), now());
    engine.act(Action::CloseCarton, now());
    assert_eq!(
        stock(&engine, "EARLY"),
        [("PACK".to_owned(), 5)],
        "picked goods wait at the packing location"
    );
    let shipped = engine.act(Action::Ship { order: None }, now());
    assert_eq!(shipped.level, Level::Warn, "{shipped:?}");
    assert_eq!(
        shipped.message,
        "Order SO-1 shipped to Corner Shop: 1 carton(s)"
    );
    assert!(shipped.details[1].contains("Shipped short: 5 of GTIN"));
    let event = last_event(&engine);
    assert_eq!(event.body.kind, EventKind::Shipping);
    assert_eq!(event.body.to_location.as_deref(), Some("CUS-1"));
    assert_eq!(event.body.from_location.as_deref(), Some("PACK"));
    assert_eq!(event.body.sscc.as_deref(), Some(sscc));
    assert_eq!(event.body.quantity, 5);
    assert!(stock(&engine, "EARLY").is_empty(), "nothing left on site");
    let again = engine.act(Action::Ship { order: None }, now());
    assert_eq!(again.level, Level::Block);
    engine.act(Action::Lookup, now());
    let lookup = engine.scan(&early(None), now());
    assert!(
        lookup
            .details
            .iter()
            .any(|d| d == &format!("Shipped 5 EA to Corner Shop (CUS-1) on SO-1 in carton {sscc}")),
        "{lookup:?}"
    );
}

#[test]
fn ship_needs_everything_picked_to_be_packed() {
    let (_dir, mut engine) = picked_five();
    let refused = engine.act(
        Action::Ship {
            order: Some("SO-1".into()),
        },
        now(),
    );
    assert_eq!(refused.level, Level::Block);
    assert!(refused.message.contains("not packed"), "{refused:?}");
    let unknown = engine.act(
        Action::Ship {
            order: Some("SO-9".into()),
        },
        now(),
    );
    assert_eq!(unknown.level, Level::Block);
}

#[test]
fn a_lot_recalled_after_picking_is_blocked_at_pack() {
    let (dir, engine) = picked_five();
    let mut engine = after_download(&dir, engine, recall_early);
    assert_eq!(pack(&mut engine).level, Level::Ok);
    engine.act(Action::NewCarton, now());
    let blocked = engine.scan(&early(Some(5)), now());
    assert_eq!(blocked.level, Level::Block);
    assert!(
        blocked
            .message
            .contains("is recalled (supplier recall R-7)"),
        "{blocked:?}"
    );
    assert_eq!(
        engine.act(Action::CloseCarton, now()).level,
        Level::Block,
        "the carton stays empty"
    );
}

#[test]
fn a_lot_recalled_after_packing_is_blocked_at_ship() {
    let (dir, mut engine) = picked_five();
    pack(&mut engine);
    engine.act(Action::NewCarton, now());
    engine.scan(&early(Some(5)), now());
    assert_eq!(engine.act(Action::CloseCarton, now()).level, Level::Ok);
    let mut engine = after_download(&dir, engine, recall_early);
    let seq = engine.journal().last_seq();
    let blocked = engine.act(
        Action::Ship {
            order: Some("SO-1".into()),
        },
        now(),
    );
    assert_eq!(blocked.level, Level::Block);
    assert!(blocked.message.contains("recalled"), "{blocked:?}");
    assert_eq!(engine.journal().last_seq(), seq, "nothing recorded");
}

#[test]
fn undo_of_a_closed_carton_unpacks_it_and_leaves_stock_as_before() {
    let (_dir, mut engine) = picked_five();
    pack(&mut engine);
    engine.act(Action::NewCarton, now());
    engine.scan(&early(Some(5)), now());
    let before = stock(&engine, "EARLY");
    engine.act(Action::CloseCarton, now());
    let sscc = carton(1);
    let undone = engine.act(Action::Undo { reason: None }, now());
    assert_eq!(undone.level, Level::Ok, "{undone:?}");
    assert!(engine.journal().carton_contents(&sscc).unwrap().is_empty());
    assert_eq!(stock(&engine, "EARLY"), before);
    let lots = engine.journal().sales_order_lots("SO-1").unwrap();
    assert_eq!((lots[0].picked, lots[0].packed), (5, 0));
}

#[test]
fn a_station_without_carton_numbering_needs_labels() {
    let (dir, engine) = picked_five();
    drop(engine);
    let journal = Journal::open(dir.path().join("journal.sqlite")).unwrap();
    let mut engine = Engine::new(
        journal,
        WorkflowSettings {
            carton_numbering: None,
            ..settings(ShortShelfLife::Warn)
        },
    );
    engine.scan("BADGE-7", now());
    pack(&mut engine);
    let refused = engine.act(Action::NewCarton, now());
    assert_eq!(refused.level, Level::Block);
    assert!(refused.message.contains("scan a carton label"));
}
