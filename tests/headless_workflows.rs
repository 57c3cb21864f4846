//! `lotline headless` end to end: the real binary on a real journal in a
//! temporary data directory, scripted receive → putaway → undo → lot lookup
//! receive → putaway → pick with a FEFO reason, and hold → pick blocked →
//! release → pick, and `lotline demo-data` followed by a session on that
//! data, after which `lotline journal verify` must pass. On the demo data:
//! receive → putaway → pick (FEFO warning and reason, undo) → pack → ship,
//! after which lot lookup shows where every unit went; a recalled lot blocked
//! at pick and at pack, including a recall that arrives after picking.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use chrono::{TimeZone, Utc};
use lotline::journal::{
    Journal, Location, LocationKind, Operator, OrderLine, Product, PurchaseOrder, ReferenceData,
    SalesOrder,
};
use serde_json::{Value, json};

const GTIN: &str = "09506000134352";

fn lotline(data_dir: &Path) -> Command {
    let home = data_dir.join("home");
    let mut command = Command::new(env!("CARGO_BIN_EXE_lotline"));
    command
        .arg("--data-dir")
        .arg(data_dir)
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env_remove("LOTLINE_CONFIG")
        .env_remove("LOTLINE_DATA_DIR");
    command
}

/// A data directory whose journal holds the reference data of a tiny site.
fn data_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut journal = Journal::open(dir.path().join("journal.sqlite")).expect("open");
    let location = |code: &str, barcode: &str, kind| Location {
        code: code.into(),
        barcode: Some(barcode.into()),
        gln: None,
        sgln: None,
        zone: None,
        kind,
    };
    journal
        .apply_reference(&ReferenceData {
            products: vec![Product {
                gtin: GTIN.into(),
                description: "Yoghurt 500 g".into(),
                unit: "EA".into(),
                lot_tracked: true,
                expiry_tracked: true,
                min_shelf_life_receipt_days: Some(30),
                min_shelf_life_shipment_days: None,
            }],
            locations: vec![
                location("DOCK", "LOC-DOCK", LocationKind::Dock),
                location("A-01", "LOC-A-01", LocationKind::Shelf),
            ],
            purchase_orders: vec![PurchaseOrder {
                number: "PO-1001".into(),
                supplier_id: "SUP-1".into(),
                lines: vec![OrderLine {
                    line_no: 1,
                    gtin: GTIN.into(),
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
                    gtin: GTIN.into(),
                    quantity: 5,
                    unit: "EA".into(),
                }],
            }],
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
        })
        .expect("reference data");
    dir
}

fn assert_journal_sound(data_dir: &Path) {
    let verify = lotline(data_dir)
        .args(["journal", "verify"])
        .output()
        .expect("run verify");
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stdout)
    );
}

/// Runs `script` (one JSON value per line) through `lotline headless
/// --site S1 --script` and returns the answers.
fn run_script(data_dir: &Path, script: &[Value]) -> Vec<Value> {
    let text: String = script.iter().map(|line| format!("{line}\n\n")).collect();
    let script_path = data_dir.join("script.jsonl");
    std::fs::write(&script_path, text).unwrap();
    let output = lotline(data_dir)
        .args(["headless", "--site", "S1", "--script"])
        .arg(&script_path)
        .output()
        .expect("run lotline headless");
    answers(&output)
}

fn answers(output: &Output) -> Vec<Value> {
    assert!(
        output.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone())
        .expect("utf-8")
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect()
}

fn levels(answers: &[Value]) -> Vec<&str> {
    answers
        .iter()
        .map(|a| a["level"].as_str().unwrap())
        .collect()
}

#[test]
fn scripted_receive_putaway_undo_lookup_keeps_a_sound_journal() {
    let dir = data_dir();
    let at = Utc
        .with_ymd_and_hms(2026, 11, 25, 9, 0, 0)
        .unwrap()
        .to_rfc3339();
    let label = format!("]C101{GTIN}172705313024\u{1d}10ABC123");
    let script: Vec<Value> = vec![
        json!({"scan": "BADGE-7", "at": at}),
        json!({"do": "receive", "po": "PO-1001", "at": at}),
        json!({"scan": "04006381333931", "at": at}),
        json!({"scan": label, "at": at}),
        json!({"scan": GTIN, "at": at}),
        json!({"do": "enter-lot", "expiry": "2027-06-30", "at": at}),
        json!({"do": "putaway", "at": at}),
        json!({"scan": label, "at": at}),
        json!({"scan": "LOC-A-01", "at": at}),
        json!({"do": "undo", "reason": "wrong shelf", "at": at}),
        json!({"do": "lookup", "at": at}),
        json!({"scan": label, "at": at}),
    ];
    let answers = run_script(dir.path(), &script);
    assert_eq!(
        levels(&answers),
        [
            "ok", "ok", "block", "ok", "prompt", "warn", "ok", "ok", "ok", "ok", "ok", "ok"
        ],
        "{answers:#?}"
    );
    assert!(
        answers[2]["message"]
            .as_str()
            .unwrap()
            .contains("04006381333931")
    );
    assert_eq!(answers[2]["events"], json!([]));
    assert_eq!(answers[3]["events"].as_array().unwrap().len(), 1);
    // The second receipt took an assigned lot and went over the PO line.
    let details = answers[5]["details"].to_string();
    assert!(details.contains("Lot 26329S1001 assigned"), "{details}");
    assert!(details.contains("Over-receipt on PO PO-1001"), "{details}");
    // After the undo the lot is back at the dock, and the history shows it.
    assert_eq!(
        answers[11]["message"],
        "Yoghurt 500 g (09506000134352) lot ABC123: released, expires 2027-05-31 (187 days left)"
    );
    let lookup = answers[11]["details"].to_string();
    assert!(lookup.contains("At DOCK: 24 EA"), "{lookup}");
    assert!(!lookup.contains("At A-01"), "{lookup}");
    assert!(
        lookup.contains("storing 0 EA from DOCK to A-01 (correction)"),
        "{lookup}"
    );

    assert_journal_sound(dir.path());
    let journal = Journal::open_existing(dir.path().join("journal.sqlite")).unwrap();
    let events = journal.events_after(0, 100).unwrap();
    assert_eq!(events.len(), 4);
    assert!(events.iter().all(|e| e.body.operator == "BADGE-7"));
    assert_eq!(events[3].body.correction_of, Some(events[2].event_id));
}

#[test]
fn standard_input_is_answered_line_by_line() {
    let dir = data_dir();
    let mut child = lotline(dir.path())
        .arg("headless")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn lotline headless");
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(b"{\"scan\": \"NOBODY\"}\nnot json\n{\"scan\": \"BADGE-7\"}\n")
        .unwrap();
    drop(stdin);
    let answers = answers(&child.wait_with_output().unwrap());
    assert_eq!(answers.len(), 3);
    assert_eq!(answers[0]["level"], "block");
    assert!(
        answers[1]["message"]
            .as_str()
            .unwrap()
            .starts_with("Input line 2: not valid JSON")
    );
    assert_eq!(answers[2]["message"], "Signed in: Ana (operator)");
}

#[test]
fn scripted_pick_follows_fefo_and_records_the_reason_for_a_later_lot() {
    let dir = data_dir();
    let at = "2026-11-25T10:00:00Z";
    let early = format!("(01){GTIN}(17)270131(30)6(10)EARLY");
    let late = format!("(01){GTIN}(17)270531(30)6(10)LATE");
    let script = vec![
        json!({"scan": "BADGE-7", "at": at}),
        json!({"do": "receive", "at": at}),
        json!({"scan": late, "at": at}),
        json!({"scan": early, "at": at}),
        json!({"do": "putaway", "at": at}),
        json!({"scan": late, "at": at}),
        json!({"scan": "LOC-A-01", "at": at}),
        json!({"scan": early, "at": at}),
        json!({"scan": "LOC-A-01", "at": at}),
        json!({"do": "pick", "order": "SO-1", "at": at}),
        json!({"scan": "LOC-A-01", "at": at}),
        json!({"scan": format!("(01){GTIN}(30)2(10)LATE"), "at": at}),
        json!({"do": "reason", "code": "CUSTOMER-REQUEST", "at": at}),
        json!({"scan": format!("(01){GTIN}(30)3(10)EARLY"), "at": at}),
        json!({"scan": format!("(01){GTIN}(30)1(10)EARLY"), "at": at}),
    ];
    let answers = run_script(dir.path(), &script);
    assert_eq!(
        levels(&answers),
        [
            "ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "prompt", "warn",
            "ok", "block"
        ],
        "{answers:#?}"
    );
    assert_eq!(
        answers[9]["details"][0],
        "Next: 5 of Yoghurt 500 g (09506000134352): lot EARLY at A-01, expires 2027-01-31"
    );
    assert!(
        answers[14]["message"]
            .as_str()
            .unwrap()
            .contains("fully picked")
    );
    assert_journal_sound(dir.path());
    let journal = Journal::open_existing(dir.path().join("journal.sqlite")).unwrap();
    let progress = journal.sales_order_progress("SO-1").unwrap();
    assert_eq!(progress[0].picked, 5);
    let picks: Vec<_> = journal
        .events_after(0, 100)
        .unwrap()
        .into_iter()
        .filter(|e| e.body.kind == lotline::journal::EventKind::Picking)
        .collect();
    assert_eq!(picks[0].body.reason.as_deref(), Some("CUSTOMER-REQUEST"));
    assert_eq!(picks[1].body.reason, None);
}

#[test]
fn scripted_hold_blocks_picking_until_a_supervisor_releases() {
    let dir = data_dir();
    let at = "2026-11-25T11:00:00Z";
    let early = format!("(01){GTIN}(17)270131(30)6(10)EARLY");
    let lot = format!("(01){GTIN}(10)EARLY");
    let pick = format!("(01){GTIN}(30)2(10)EARLY");
    let script = vec![
        json!({"scan": "BADGE-7", "at": at}),
        json!({"do": "receive", "at": at}),
        json!({"scan": early, "at": at}),
        json!({"do": "putaway", "at": at}),
        json!({"scan": early, "at": at}),
        json!({"scan": "LOC-A-01", "at": at}),
        json!({"do": "sign-out", "at": at}),
        json!({"scan": "BADGE-9", "at": at}),
        json!({"do": "hold", "reason": "lab test pending", "at": at}),
        json!({"scan": lot, "at": at}),
        json!({"do": "sign-out", "at": at}),
        json!({"scan": "BADGE-7", "at": at}),
        json!({"do": "hold", "reason": "looks damaged", "at": at}),
        json!({"do": "pick", "order": "SO-1", "at": at}),
        json!({"scan": "LOC-A-01", "at": at}),
        json!({"scan": pick, "at": at}),
        json!({"do": "sign-out", "at": at}),
        json!({"scan": "BADGE-9", "at": at}),
        json!({"do": "release", "reason": "lab test passed", "at": at}),
        json!({"scan": lot, "at": at}),
        json!({"do": "sign-out", "at": at}),
        json!({"scan": "BADGE-7", "at": at}),
        json!({"do": "pick", "order": "SO-1", "at": at}),
        json!({"scan": "LOC-A-01", "at": at}),
        json!({"scan": pick, "at": at}),
    ];
    let answers = run_script(dir.path(), &script);
    assert_eq!(
        levels(&answers),
        [
            "ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "block", "ok",
            "ok", "block", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok"
        ],
        "{answers:#?}"
    );
    assert_eq!(
        answers[9]["message"],
        "Held Yoghurt 500 g (09506000134352) lot EARLY: lab test pending"
    );
    assert_eq!(
        answers[12]["message"],
        "Only a supervisor may hold a lot: ask a supervisor to sign in"
    );
    assert_eq!(
        answers[15]["message"],
        "Yoghurt 500 g (09506000134352) lot EARLY is held (lab test pending): do not pick it"
    );
    assert_eq!(answers[15]["events"], json!([]));
    assert_journal_sound(dir.path());
    let journal = Journal::open_existing(dir.path().join("journal.sqlite")).unwrap();
    assert_eq!(journal.sales_order_progress("SO-1").unwrap()[0].picked, 2);
    let kinds: Vec<_> = journal
        .events_after(0, 100)
        .unwrap()
        .into_iter()
        .map(|e| (e.body.kind.as_str(), e.body.operator))
        .collect();
    assert_eq!(
        kinds,
        [
            ("receiving", "BADGE-7".to_owned()),
            ("storing", "BADGE-7".to_owned()),
            ("holding", "BADGE-9".to_owned()),
            ("releasing", "BADGE-9".to_owned()),
            ("picking", "BADGE-7".to_owned()),
        ]
    );
}

#[test]
fn demo_data_loads_once_and_a_headless_session_walks_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let load = || {
        lotline(dir.path())
            .args(["demo-data", "--today", "2026-11-25"])
            .output()
            .expect("run demo-data")
    };
    let first = load();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(String::from_utf8_lossy(&first.stdout).contains("BADGE-1900 (Sam, supervisor)"));
    let again = load();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("only into an empty journal"));

    let at = "2026-11-25T10:00:00Z";
    let recalled = "(01)09506000134376(10)CH2611R";
    let script = vec![
        json!({"scan": "BADGE-1002", "at": at}),
        json!({"do": "pick", "order": "SO-2001", "at": at}),
        json!({"scan": "LOC-A-01", "at": at}),
        json!({"scan": "(01)09506000134352(30)6(10)Y2611B", "at": at}),
        json!({"do": "lookup", "at": at}),
        json!({"scan": recalled, "at": at}),
        json!({"do": "expiry-alerts", "days": 14, "at": at}),
        json!({"do": "sign-out", "at": at}),
        json!({"scan": "BADGE-1900", "at": at}),
        json!({"do": "release", "reason": "customer asked", "at": at}),
        json!({"scan": recalled, "at": at}),
    ];
    let answers = run_script(dir.path(), &script);
    assert_eq!(
        levels(&answers),
        [
            "ok", "ok", "ok", "ok", "ok", "ok", "warn", "ok", "ok", "ok", "block"
        ],
        "{answers:#?}"
    );
    assert_eq!(
        answers[1]["details"][0],
        "Next: 6 of Yoghurt 500 g (09506000134352): lot Y2611B at A-01, expires 2026-12-07"
    );
    assert!(
        answers[5]["message"]
            .as_str()
            .unwrap()
            .contains("lot CH2611R: recalled")
    );
    assert_eq!(answers[6]["details"].as_array().unwrap().len(), 5);
    assert!(
        answers[10]["message"]
            .as_str()
            .unwrap()
            .contains("a local release never lifts a recall")
    );
    assert_journal_sound(dir.path());
}

/// A data directory with the demo warehouse loaded as of 2026-11-25, and a
/// configuration file giving this station carton numbering.
fn demo_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let config_dir = dir.path().join("home/config/lotline");
    std::fs::create_dir_all(&config_dir).unwrap();
    std::fs::write(
        config_dir.join("lotline.toml"),
        "[workflow]\npacking_location = \"PACK\"\n\n[workflow.cartons]\n\
         company_prefix = \"9506000\"\nstation = \"1\"\n",
    )
    .unwrap();
    let loaded = lotline(dir.path())
        .args(["demo-data", "--today", "2026-11-25"])
        .output()
        .expect("run demo-data");
    assert!(
        loaded.status.success(),
        "{}",
        String::from_utf8_lossy(&loaded.stderr)
    );
    dir
}

/// The whole of one order's life on the demo data, through the binary.
#[test]
fn demo_order_is_received_picked_packed_and_shipped_and_lookup_shows_where_it_went() {
    let dir = demo_dir();
    let at = "2026-11-25T10:00:00Z";
    let yoghurt_c = "(01)09506000134352(30)6(10)Y2612C";
    let milk_a = "(01)09506000134369(30)4(10)M2611A";
    let recalled = "(01)09506000134376(10)CH2611R";
    let script = vec![
        // 0-4: receive 12 of a new yoghurt lot against PO-1001, put it away.
        json!({"scan": "BADGE-1001", "at": at}),
        json!({"do": "receive", "po": "PO-1001", "at": at}),
        json!({"scan": "(01)09506000134352(17)270131(30)12(10)Y2701N", "at": at}),
        json!({"do": "putaway", "at": at}),
        json!({"scan": "(01)09506000134352(10)Y2701N", "at": at}),
        // 5-7: the picker takes SO-2001; a later lot needs a reason.
        json!({"scan": "LOC-B-01", "at": at}),
        json!({"do": "sign-out", "at": at}),
        json!({"scan": "BADGE-1002", "at": at}),
        json!({"do": "pick", "order": "SO-2001", "at": at}),
        json!({"scan": "LOC-A-02", "at": at}),
        json!({"scan": yoghurt_c, "at": at}),
        json!({"do": "reason", "code": "CUSTOMER-REQUEST", "at": at}),
        // 12-15: undo puts it back; pick it again.
        json!({"do": "undo", "reason": "wrong tote", "at": at}),
        json!({"scan": yoghurt_c, "at": at}),
        json!({"do": "reason", "code": "CUSTOMER-REQUEST", "at": at}),
        json!({"scan": milk_a, "at": at}),
        // 16: the recalled cheddar is refused at pick (SO-2002 is cheddar).
        json!({"do": "pick", "order": "SO-2002", "at": at}),
        json!({"scan": "LOC-Q-01", "at": at}),
        json!({"scan": recalled, "at": at}),
        // 19-25: pack SO-2001 into a new carton; the recalled lot is refused.
        json!({"do": "pack", "order": "SO-2001", "at": at}),
        json!({"do": "new-carton", "at": at}),
        json!({"scan": recalled, "at": at}),
        json!({"scan": yoghurt_c, "at": at}),
        json!({"scan": milk_a, "at": at}),
        json!({"do": "close-carton", "at": at}),
        json!({"do": "ship", "at": at}),
        // 26-27: where did lot Y2612C go?
        json!({"do": "lookup", "at": at}),
        json!({"scan": "(01)09506000134352(10)Y2612C", "at": at}),
    ];
    let answers = run_script(dir.path(), &script);
    assert_eq!(
        levels(&answers),
        [
            "ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "prompt", "warn", "ok",
            "prompt", "warn", "ok", "ok", "ok", "block", "ok", "ok", "block", "ok", "ok", "ok",
            "ok", "ok", "ok"
        ],
        "{answers:#?}"
    );
    assert!(
        answers[18]["message"].as_str().unwrap().contains(
            "lot CH2611R is recalled (supplier recall: listeria test positive): do not pick it"
        ),
        "{:?}",
        answers[18]
    );
    assert!(
        answers[21]["message"]
            .as_str()
            .unwrap()
            .contains("is recalled"),
        "{:?}",
        answers[21]
    );
    let sscc = "095060001000000012";
    assert!(
        answers[20]["message"].as_str().unwrap().contains(sscc),
        "{:?}",
        answers[20]
    );
    assert_eq!(
        answers[25]["message"],
        "Order SO-2001 shipped to Corner Shop Main Street: 1 carton(s)"
    );
    let lookup: Vec<&str> = answers[27]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    assert!(lookup.contains(&"At A-02: 18 EA"), "{lookup:#?}");
    assert!(
        lookup.contains(
            &format!("Shipped 6 EA to Corner Shop Main Street (CUS-1) on SO-2001 in carton {sscc}")
                .as_str()
        ),
        "{lookup:#?}"
    );
    assert_journal_sound(dir.path());

    // The journal holds the whole story, the undo as a correction.
    let journal = Journal::open(dir.path().join("journal.sqlite")).unwrap();
    let report = journal
        .lot_lookup("09506000134352", Some("Y2612C"))
        .unwrap()
        .unwrap();
    let kinds: Vec<&str> = report.events.iter().map(|e| e.body.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "receiving",
            "storing",
            "picking",
            "picking",
            "picking",
            "packing",
            "shipping"
        ]
    );
    assert_eq!(
        report.events[3].body.correction_of,
        Some(report.events[2].event_id)
    );
    let shipped = &report.events[6].body;
    assert_eq!(shipped.to_location.as_deref(), Some("CUS-1"));
    assert_eq!(shipped.sscc.as_deref(), Some(sscc));
    assert_eq!(report.stock, [("A-02".to_owned(), 18)]);
}

/// A recall that reaches the terminal between picking and packing stops
/// the lot at the packing bench.
#[test]
fn a_recall_arriving_after_picking_blocks_packing() {
    let dir = demo_dir();
    let at = "2026-11-25T10:00:00Z";
    let cheddar = "(01)09506000134376(30)3(10)CH2611B";
    let picked = run_script(
        dir.path(),
        &[
            json!({"scan": "BADGE-1002", "at": at}),
            json!({"do": "pick", "order": "SO-2002", "at": at}),
            json!({"scan": "LOC-B-01", "at": at}),
            json!({"scan": cheddar, "at": at}),
        ],
    );
    assert_eq!(levels(&picked), ["ok", "ok", "ok", "ok"], "{picked:#?}");
    {
        // What a reference download from the server does.
        let mut journal = Journal::open(dir.path().join("journal.sqlite")).unwrap();
        journal
            .apply_reference(&ReferenceData {
                lot_statuses: vec![lotline::journal::LotStatus {
                    gtin: "09506000134376".into(),
                    lot: Some("CH2611B".into()),
                    state: lotline::journal::LotState::Recalled,
                    reason: Some("recall R-2026-11".into()),
                    issued_by: "quality".into(),
                    issued_at: Utc.with_ymd_and_hms(2026, 11, 25, 10, 30, 0).unwrap(),
                }],
                ..ReferenceData::default()
            })
            .unwrap();
    }
    let packing = run_script(
        dir.path(),
        &[
            json!({"scan": "BADGE-1002", "at": at}),
            json!({"do": "pack", "order": "SO-2002", "at": at}),
            json!({"do": "new-carton", "at": at}),
            json!({"scan": cheddar, "at": at}),
            json!({"do": "close-carton", "at": at}),
            json!({"do": "ship", "at": at}),
        ],
    );
    assert_eq!(
        levels(&packing),
        ["ok", "ok", "ok", "block", "block", "block"],
        "{packing:#?}"
    );
    assert!(
        packing[3]["message"]
            .as_str()
            .unwrap()
            .contains("lot CH2611B is recalled (recall R-2026-11): do not pack it")
    );
    assert_journal_sound(dir.path());
}
