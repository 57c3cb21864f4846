//! Putaway by pallet SSCC, shelf-to-shelf moves and closing a counted
//! location.

use super::*;
use crate::journal::EventKind;

const PALLET: &str = "106141411234567897";

fn pallet_label(lot: &str, count: u32) -> String {
    format!("(00){PALLET}(02){YOGHURT}(17)270531(37){count}(10){lot}")
}

#[test]
fn a_pallet_is_put_away_by_its_sscc_lot_by_lot() {
    let (_dir, mut engine) = receiving();
    let received = engine.scan(&pallet_label("P1", 20), now());
    assert_eq!(received.level, Level::Ok, "{received:?}");
    assert_eq!(last_event(&engine).body.sscc.as_deref(), Some(PALLET));
    // Loose goods of the same lot at the dock stay there.
    engine.scan(&yoghurt("P1", 4), now());
    engine.act(Action::Putaway, now());
    let taken = engine.scan(&format!("(00){PALLET}"), now());
    assert_eq!(taken.level, Level::Ok, "{taken:?}");
    assert_eq!(
        taken.details,
        ["20 EA of Yoghurt 500 g (09506000134352) lot P1"]
    );
    let moved = engine.scan("LOC-A-01", now());
    assert_eq!(moved.level, Level::Ok, "{moved:?}");
    let event = last_event(&engine);
    assert_eq!(event.body.kind, EventKind::Storing);
    assert_eq!(event.body.sscc.as_deref(), Some(PALLET));
    assert_eq!(event.body.quantity, 20);
    assert_eq!(
        stock(&engine, "P1"),
        [("A-01".to_owned(), 20), ("DOCK".to_owned(), 4)]
    );
    let again = engine.scan(&format!("(00){PALLET}"), now());
    assert_eq!(
        again.level,
        Level::Block,
        "nothing of it is left at the dock"
    );
}

#[test]
fn goods_move_shelf_to_shelf_after_scanning_the_source() {
    let (_dir, mut engine) = receiving();
    engine.scan(&yoghurt("M1", 10), now());
    engine.act(Action::Putaway, now());
    engine.scan(&yoghurt("M1", 10), now());
    engine.scan("LOC-A-01", now());
    assert_eq!(engine.scan("LOC-A-01", now()).level, Level::Ok);
    engine.act(Action::Quantity { quantity: 4 }, now());
    let taken = engine.scan(&format!("(01){YOGHURT}(10)M1"), now());
    assert_eq!(taken.level, Level::Ok, "{taken:?}");
    assert_eq!(
        engine.scan("LOC-A-01", now()).level,
        Level::Block,
        "not to where it is"
    );
    let moved = engine.scan("LOC-A-02", now());
    assert_eq!(
        moved.message,
        "Moved 4 EA of Yoghurt 500 g (09506000134352) lot M1 from A-01 to A-02"
    );
    assert_eq!(
        stock(&engine, "M1"),
        [("A-01".to_owned(), 6), ("A-02".to_owned(), 4)]
    );
}

#[test]
fn closing_a_counted_location_zeroes_what_was_not_found() {
    let (_dir, mut engine) = receiving();
    for lot in ["C1", "C2"] {
        engine.act(Action::Receive { po: None }, now());
        engine.scan(&yoghurt(lot, 5), now());
        engine.act(Action::Putaway, now());
        engine.scan(&yoghurt(lot, 5), now());
        engine.scan("LOC-A-01", now());
    }
    engine.act(Action::Count, now());
    engine.scan("LOC-A-01", now());
    engine.scan(&format!("(01){YOGHURT}(10)C1"), now());
    let counted = engine.act(
        Action::EnterCount {
            quantity: 5,
            reason: None,
        },
        now(),
    );
    assert_eq!(counted.level, Level::Ok, "{counted:?}");
    let seq = engine.journal().last_seq();
    let no_reason = engine.act(Action::CloseLocation { reason: None }, now());
    assert_eq!(no_reason.level, Level::Block);
    assert!(
        no_reason.message.contains("1 recorded lot(s)"),
        "{no_reason:?}"
    );
    assert_eq!(engine.journal().last_seq(), seq);
    let closed = engine.act(
        Action::CloseLocation {
            reason: Some("NOT-FOUND".into()),
        },
        now(),
    );
    assert_eq!(closed.level, Level::Warn, "{closed:?}");
    assert_eq!(
        closed.details,
        [
            "1 lot(s) not found, set to 0 (reason NOT-FOUND)",
            "Not found: Yoghurt 500 g (09506000134352) lot C2 (recorded 5 EA)"
        ]
    );
    let event = last_event(&engine);
    assert_eq!(event.body.kind, EventKind::CycleCounting);
    assert_eq!(event.body.quantity, 0);
    assert_eq!(event.body.lot.as_deref(), Some("C2"));
    assert!(stock(&engine, "C2").is_empty());
    assert_eq!(stock(&engine, "C1"), [("A-01".to_owned(), 5)]);
    assert_eq!(
        engine
            .act(Action::CloseLocation { reason: None }, now())
            .level,
        Level::Block,
        "the location is closed"
    );
}
