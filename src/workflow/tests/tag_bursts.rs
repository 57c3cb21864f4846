//! Bursts of RFID tags: one receipt per product while receiving (with the
//! pallet's SSCC, the lot prompt once per product, one undo for all of
//! it), foreign and undecodable tags reported, refusals that record
//! nothing, and what a burst does outside receiving.

use super::*;
use crate::scan::epc::parse_tag_uri;

/// The SSCC-96 tag of the pallet, and the SSCC it carries.
const PALLET: &str = "urn:epc:tag:sscc-96:0.0614141.1234567890";
const PALLET_SSCC: &str = "106141412345678908";
/// A returnable asset's tag (GRAI): read, never booked.
const CRATE: &str = "urn:epc:tag:grai-96:0.0614141.12345.400";
/// An EPC of no scheme `scan` knows.
const FOREIGN_HEX: &str = "E2801160600002040000ABCD";

fn tag(uri: &str) -> String {
    parse_tag_uri(uri).unwrap().to_hex()
}

/// SGTIN-96 tags of the yoghurt cases with these serials.
fn yoghurt_cases(serials: std::ops::Range<u32>) -> Vec<String> {
    serials
        .map(|s| tag(&format!("urn:epc:tag:sgtin-96:1.9506000.013435.{s}")))
        .collect()
}

/// SGTIN-96 tags of the paper towel cases with these serials.
fn towel_cases(serials: std::ops::Range<u32>) -> Vec<String> {
    serials
        .map(|s| tag(&format!("urn:epc:tag:sgtin-96:1.0614141.000001.{s}")))
        .collect()
}

fn receipts(engine: &Engine) -> Vec<crate::journal::Event> {
    engine.journal().events_after(0, 1000).unwrap()
}

#[test]
fn a_mixed_pallet_is_one_receipt_per_product_on_its_sscc_after_one_lot_prompt() {
    let (_dir, mut engine) = receiving();
    let mut burst = yoghurt_cases(100..112);
    burst.push(tag(PALLET));
    burst.extend(towel_cases(1..13));
    // The same case read again within the burst, in lower case.
    burst.push(burst[0].to_ascii_lowercase());

    let prompt = engine.tags(&burst, now());
    assert_eq!(prompt.level, Level::Prompt, "{prompt:?}");
    assert_eq!(
        prompt.message,
        "Enter the lot and expiry (YYYY-MM-DD) of the 12 EA of Yoghurt 500 g (09506000134352): not on the tags"
    );
    assert_eq!(
        prompt.details,
        [
            "Leave the lot empty to have one assigned",
            "Also read: 12 EA of Paper towels (00614141000012)",
            &format!("On pallet SSCC {PALLET_SSCC}"),
        ]
    );
    assert_eq!(engine.journal().last_seq(), 0, "nothing before the lot");
    let busy = engine.tags(&towel_cases(50..51), now());
    assert_eq!(busy.level, Level::Block);
    assert!(busy.message.contains("the 12 EA of Yoghurt"), "{busy:?}");
    assert_eq!(engine.scan(TOWELS, now()).level, Level::Block);
    let bad = engine.act(enter(Some("L1"), None), now());
    assert_eq!(bad.level, Level::Block, "the expiry is needed too");

    let done = engine.act(enter(Some("L1"), Some("2027-05-31")), now());
    assert_eq!(done.level, Level::Ok, "{done:?}");
    assert_eq!(done.message, "Received 2 products to DOCK");
    assert_eq!(
        done.details,
        [
            "12 EA of Paper towels (00614141000012)",
            "12 EA of Yoghurt 500 g (09506000134352) lot L1",
            &format!("On pallet SSCC {PALLET_SSCC}"),
        ]
    );
    let events = receipts(&engine);
    assert_eq!(
        done.events,
        events.iter().map(|e| e.event_id).collect::<Vec<_>>()
    );
    let booked: Vec<(&str, i64, Option<&str>)> = events
        .iter()
        .map(|e| {
            (
                e.body.gtin.as_deref().unwrap(),
                e.body.quantity,
                e.body.lot.as_deref(),
            )
        })
        .collect();
    assert_eq!(booked, [(TOWELS, 12, None), (YOGHURT, 12, Some("L1"))]);
    for event in &events {
        assert_eq!(event.body.kind, crate::journal::EventKind::Receiving);
        assert_eq!(event.body.sscc.as_deref(), Some(PALLET_SSCC));
        assert_eq!(event.body.serial, None, "12 serials are counted, not one");
        assert_eq!(event.body.to_location.as_deref(), Some("DOCK"));
    }
    assert_eq!(events[1].body.expiry, NaiveDate::from_ymd_opt(2027, 5, 31));
    assert_eq!(stock(&engine, "L1"), [("DOCK".to_owned(), 12)]);

    // One undo voids the whole pallet.
    let undo = engine.act(Action::Undo { reason: None }, now());
    assert_eq!(undo.level, Level::Ok, "{undo:?}");
    assert_eq!(undo.message, "Undone: 2 event(s) voided");
    let events = receipts(&engine);
    assert_eq!(events.len(), 4);
    assert_eq!(events[2].body.correction_of, Some(events[0].event_id));
    assert_eq!(events[3].body.correction_of, Some(events[1].event_id));
    assert!(stock(&engine, "L1").iter().all(|(_, n)| *n == 0));
    let towels = engine.journal().lot_lookup(TOWELS, None).unwrap().unwrap();
    assert!(towels.stock.iter().all(|(_, n)| *n == 0), "{towels:?}");
}

#[test]
fn a_lot_left_empty_is_assigned_once_for_the_group_and_the_po_is_checked() {
    let (_dir, mut engine) = engine_with(
        ShortShelfLife::Warn,
        Action::Receive {
            po: Some("PO-1001".into()),
        },
    );
    let prompt = engine.tags(&yoghurt_cases(0..30), now());
    assert_eq!(prompt.level, Level::Prompt);
    assert_eq!(prompt.details, ["Leave the lot empty to have one assigned"]);
    let done = engine.act(enter(None, Some("2027-05-31")), now());
    assert_eq!(done.level, Level::Warn, "{done:?}");
    assert_eq!(
        done.message,
        "Received 30 EA of Yoghurt 500 g (09506000134352) lot 26329S1001 to DOCK"
    );
    assert_eq!(
        done.details,
        [
            "Lot 26329S1001 assigned: write it on the goods",
            "Over-receipt on PO PO-1001: 24 ordered, 30 received with this one",
        ]
    );
    let event = last_event(&engine);
    assert_eq!(event.body.quantity, 30);
    assert_eq!(event.body.purchase_order.as_deref(), Some("PO-1001"));
    assert_eq!(event.body.sscc, None, "no pallet tag was read");
    assert_eq!(engine.journal().last_seq(), 1);
}

#[test]
fn one_case_is_received_at_once_with_its_serial() {
    let (_dir, mut engine) = receiving();
    let fb = engine.tags(&towel_cases(7..8), now());
    assert_eq!(fb.level, Level::Ok, "{fb:?}");
    assert_eq!(
        fb.message,
        "Received 1 EA of Paper towels (00614141000012) to DOCK"
    );
    let event = last_event(&engine);
    assert_eq!(event.body.serial.as_deref(), Some("7"));
    assert_eq!(event.body.quantity, 1);
}

#[test]
fn foreign_and_undecodable_tags_are_reported_and_not_booked() {
    let (_dir, mut engine) = receiving();
    let mut burst = towel_cases(1..4);
    burst.push(tag(CRATE));
    burst.push(FOREIGN_HEX.into());
    let fb = engine.tags(&burst, now());
    assert_eq!(fb.level, Level::Warn, "{fb:?}");
    assert_eq!(
        fb.message,
        "Received 3 EA of Paper towels (00614141000012) to DOCK"
    );
    assert_eq!(fb.details.len(), 2, "{fb:?}");
    assert_eq!(
        fb.details[0],
        "Not booked: urn:epc:id:grai:0614141.12345.400"
    );
    assert!(
        fb.details[1].starts_with(&format!("Not decoded, not booked: EPC {FOREIGN_HEX}: ")),
        "{}",
        fb.details[1]
    );
    assert_eq!(receipts(&engine).len(), 1);
}

#[test]
fn refused_bursts_record_nothing_and_say_what_was_read() {
    let (_dir, mut engine) = receiving();
    let mut unknown = towel_cases(1..3);
    unknown.extend((0..2).map(|s| tag(&format!("urn:epc:tag:sgtin-96:1.4006381.033393.{s}"))));
    let fb = engine.tags(&unknown, now());
    assert_eq!(fb.level, Level::Block);
    assert!(
        fb.message
            .starts_with(&format!("Unknown product GTIN {UNKNOWN} (2 tag(s))")),
        "{}",
        fb.message
    );
    assert!(
        fb.details
            .iter()
            .any(|line| *line == format!("Read 2 case tag(s) of GTIN {TOWELS}"))
    );

    let mut two_pallets = towel_cases(1..3);
    two_pallets.push(tag(PALLET));
    two_pallets.push(tag("urn:epc:tag:sscc-96:0.0614141.1234567891"));
    let fb = engine.tags(&two_pallets, now());
    assert_eq!(fb.level, Level::Block);
    assert!(
        fb.message
            .starts_with("Tags of 2 pallets were read together")
    );

    let fb = engine.tags(&[tag(PALLET), FOREIGN_HEX.into()], now());
    assert_eq!(fb.level, Level::Block);
    assert_eq!(
        fb.message,
        "No product tag (SGTIN) among the 2 tag(s) read: nothing received"
    );
    assert_eq!(fb.details[0], format!("Read pallet SSCC {PALLET_SSCC}"));
    assert!(fb.details[1].contains(FOREIGN_HEX));
    assert_eq!(engine.tags(&[], now()).level, Level::Block);

    assert_eq!(engine.journal().last_seq(), 0);
    // The task is where it was: the next pallet goes through.
    assert_eq!(engine.tags(&towel_cases(1..3), now()).level, Level::Ok);
}

#[test]
fn cancel_drops_a_waiting_burst() {
    let (_dir, mut engine) = receiving();
    let mut burst = yoghurt_cases(0..4);
    burst.extend(towel_cases(0..2));
    assert_eq!(engine.tags(&burst, now()).level, Level::Prompt);
    let fb = engine.act(Action::Cancel, now());
    assert_eq!(fb.level, Level::Ok);
    assert_eq!(
        fb.message,
        "Cancelled: 2 EA of Paper towels (00614141000012), 4 EA of Yoghurt 500 g (09506000134352) were not received"
    );
    assert_eq!(engine.journal().last_seq(), 0);
    assert_eq!(engine.act(Action::Cancel, now()).level, Level::Block);
}

#[test]
fn outside_receiving_one_tag_is_a_scan_and_several_are_refused() {
    let (_dir, mut engine) = engine_with(ShortShelfLife::Warn, Action::Lookup);
    let case = towel_cases(1..2);
    let as_scan = engine.scan(&format!("epc:{}", case[0]), now());
    assert_eq!(engine.tags(&case, now()), as_scan);

    let mut burst = towel_cases(1..4);
    burst.push(tag(CRATE));
    let fb = engine.tags(&burst, now());
    assert_eq!(fb.level, Level::Block);
    assert_eq!(
        fb.message,
        "4 tags read at once: only receiving books a burst of tags; read one tag or one pallet at a time here"
    );
    assert_eq!(
        fb.details,
        [
            format!("Read 3 case tag(s) of GTIN {TOWELS}"),
            "Read urn:epc:id:grai:0614141.12345.400".to_owned(),
        ]
    );

    engine.act(Action::SignOut, now());
    let fb = engine.tags(&burst, now());
    assert_eq!(fb.message, "Nobody is signed in: scan your badge first");
    engine.scan("BADGE-7", now());
    let fb = engine.tags(&burst, now());
    assert!(fb.message.starts_with("Choose a task first"), "{fb:?}");
    assert_eq!(engine.journal().last_seq(), 0);
}

#[test]
fn a_pallet_received_by_its_tags_is_put_away_by_its_tags() {
    let (_dir, mut engine) = receiving();
    let mut pallet = towel_cases(1..9);
    pallet.push(tag(PALLET));
    assert_eq!(engine.tags(&pallet, now()).level, Level::Ok);
    engine.act(Action::Putaway, now());
    // The forklift carries the pallet past the reader: the pallet tag
    // stands for the pallet, its cases are listed with it.
    let taken = engine.tags(&pallet, now());
    assert_eq!(taken.level, Level::Ok, "{taken:?}");
    assert_eq!(
        taken.message,
        format!("Move pallet {PALLET_SSCC} (1 line(s)) from DOCK: scan the destination location")
    );
    assert_eq!(
        taken.details,
        [
            "8 EA of Paper towels (00614141000012)".to_owned(),
            format!("Read 8 case tag(s) of GTIN {TOWELS}"),
            format!("Read pallet SSCC {PALLET_SSCC}"),
        ]
    );
    assert_eq!(engine.scan("LOC-A-01", now()).level, Level::Ok);
    let moved = last_event(&engine);
    assert_eq!(moved.body.kind, crate::journal::EventKind::Storing);
    assert_eq!(moved.body.sscc.as_deref(), Some(PALLET_SSCC));
    assert_eq!(moved.body.quantity, 8);
}
