//! A pallet at the dock door, end to end: the real `lotline headless
//! --devices` binary drives a simulated Mercury reader over a real
//! pseudo-terminal and books what it reads into a real journal. 24
//! SGTIN-tagged cases of two products plus the pallet's SSCC tag become
//! one burst, one lot prompt and exactly two receiving events (12 and 12,
//! on the pallet's SSCC); the pallet standing in the field afterwards is
//! never booked again.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Stdio};
use std::time::Duration;

use crossbeam_channel::Receiver;
use lotline::devices::rfid::simulator::{SimTag, SimulatedReader};
use lotline::journal::{
    EventKind, Journal, Location, LocationKind, Operator, Product, ReferenceData,
};
use serde_json::{Value, json};
use serialport::{SerialPort, TTYPort};

mod support;

/// The GTIN of `urn:epc:tag:sgtin-96:1.0614141.812345.*`: lot- and
/// expiry-tracked.
const CHEESE: &str = "80614141123458";
/// The GTIN of `urn:epc:tag:sgtin-96:1.0614141.812346.*`: neither.
const NAPKINS: &str = "80614141123465";
const PALLET_SSCC: &str = "106141412345678908";

fn tag(uri: &str) -> SimTag {
    SimTag::from_tag_uri(uri, -52, 1).expect("valid tag URI")
}

/// 12 cases of each product, in mixed order, and the pallet's own tag.
fn pallet() -> Vec<SimTag> {
    let mut tags = Vec::new();
    for serial in 0..12 {
        tags.push(tag(&format!(
            "urn:epc:tag:sgtin-96:1.0614141.812345.{}",
            500 + serial
        )));
        tags.push(tag(&format!(
            "urn:epc:tag:sgtin-96:1.0614141.812346.{}",
            900 + serial
        )));
    }
    tags.push(tag("urn:epc:tag:sscc-96:0.0614141.1234567890"));
    tags
}

fn reference(journal: &mut Journal) {
    let product = |gtin: &str, description: &str, tracked: bool| Product {
        gtin: gtin.into(),
        description: description.into(),
        unit: "CS".into(),
        lot_tracked: tracked,
        expiry_tracked: tracked,
        min_shelf_life_receipt_days: None,
        min_shelf_life_shipment_days: None,
    };
    journal
        .apply_reference(&ReferenceData {
            products: vec![
                product(CHEESE, "Cheddar 5 kg", true),
                product(NAPKINS, "Napkins", false),
            ],
            locations: vec![Location {
                code: "DOCK".into(),
                barcode: None,
                gln: None,
                sgln: None,
                zone: None,
                kind: LocationKind::Dock,
            }],
            operators: vec![Operator {
                badge: "BADGE-7".into(),
                name: "Ana".into(),
                role: "receiver".into(),
            }],
            ..ReferenceData::default()
        })
        .expect("reference data");
}

/// `lotline headless --devices` with `config`, its stdin and a channel of
/// its answers.
fn headless(data_dir: &Path, config: &Path) -> (Child, ChildStdin, Receiver<Value>) {
    let mut child = support::terminal_command(data_dir)
        .arg("--config")
        .arg(config)
        .args(["headless", "--devices"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run lotline headless --devices");
    let stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (sender, answers) = crossbeam_channel::unbounded();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let line = line.expect("stdout");
            let answer = serde_json::from_str(&line).expect("one JSON object per line");
            if sender.send(answer).is_err() {
                break;
            }
        }
    });
    (child, stdin, answers)
}

fn say(stdin: &mut ChildStdin, line: Value) {
    writeln!(stdin, "{line}").unwrap();
    stdin.flush().unwrap();
}

fn next(answers: &Receiver<Value>) -> Value {
    answers
        .recv_timeout(Duration::from_secs(15))
        .expect("an answer within 15 s")
}

#[test]
fn a_tagged_pallet_at_the_dock_door_is_one_receipt_per_product() {
    let dir = tempfile::tempdir().unwrap();
    reference(&mut Journal::open(dir.path().join("journal.sqlite")).unwrap());

    let (mut master, slave) = TTYPort::pair().expect("pseudo-terminal pair");
    master.set_timeout(Duration::from_millis(20)).unwrap();
    let reader = SimulatedReader::new(Vec::new());
    let served = reader.clone();
    let simulator = std::thread::spawn(move || served.serve(master));
    let config = dir.path().join("lotline.toml");
    std::fs::write(
        &config,
        format!(
            "[[devices.rfid]]\nname = \"dock-door\"\npath = \"{}\"\nregion = \"eu3\"\n\
             search_timeout_ms = 25\ndedupe_window_ms = 1000\nburst_gap_ms = 200\n",
            slave.name().expect("pty name")
        ),
    )
    .unwrap();

    let (child, mut stdin, answers) = headless(dir.path(), &config);
    say(&mut stdin, json!({"scan": "BADGE-7"}));
    assert_eq!(next(&answers)["message"], "Signed in: Ana (operator)");
    say(&mut stdin, json!({"do": "receive"}));
    assert_eq!(next(&answers)["level"], "ok");

    // The forklift brings the pallet through the door.
    reader.set_tags(pallet());
    let prompt = next(&answers);
    assert_eq!(prompt["level"], "prompt", "{prompt}");
    assert_eq!(
        prompt["message"],
        format!(
            "Enter the lot and expiry (YYYY-MM-DD) of the 12 CS of Cheddar 5 kg ({CHEESE}): not on the tags"
        )
    );
    assert_eq!(
        prompt["details"],
        json!([
            "Leave the lot empty to have one assigned",
            format!("Also read: 12 CS of Napkins ({NAPKINS})"),
            format!("On pallet SSCC {PALLET_SSCC}"),
        ])
    );
    say(
        &mut stdin,
        json!({"do": "enter-lot", "lot": "CH-2611", "expiry": "2027-06-30"}),
    );
    let received = next(&answers);
    assert_eq!(received["level"], "ok", "{received}");
    assert_eq!(received["message"], "Received 2 products to DOCK");
    assert_eq!(
        received["details"],
        json!([
            format!("12 CS of Cheddar 5 kg ({CHEESE}) lot CH-2611"),
            format!("12 CS of Napkins ({NAPKINS})"),
            format!("On pallet SSCC {PALLET_SSCC}"),
        ])
    );
    assert_eq!(received["events"].as_array().unwrap().len(), 2);

    // The pallet stays at the door a while longer: nothing more is booked.
    assert!(
        answers.recv_timeout(Duration::from_millis(800)).is_err(),
        "a standing pallet is not read in again"
    );
    drop(stdin);
    let output = child
        .wait_with_output()
        .expect("headless ends with its input");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(answers.recv_timeout(Duration::from_secs(2)).is_err());
    drop(slave);
    simulator.join().unwrap().unwrap();

    let journal = Journal::open(dir.path().join("journal.sqlite")).unwrap();
    let events = journal.events_after(0, 100).unwrap();
    let booked: Vec<_> = events
        .iter()
        .map(|e| {
            (
                e.body.kind,
                e.body.gtin.as_deref().unwrap(),
                e.body.quantity,
                e.body.lot.as_deref(),
                e.body.sscc.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        booked,
        [
            (
                EventKind::Receiving,
                CHEESE,
                12,
                Some("CH-2611"),
                Some(PALLET_SSCC)
            ),
            (EventKind::Receiving, NAPKINS, 12, None, Some(PALLET_SSCC)),
        ]
    );
    assert_eq!(events[0].body.unit, "CS");
    assert_eq!(
        events[0].body.expiry,
        chrono::NaiveDate::from_ymd_opt(2027, 6, 30)
    );
    assert!(events.iter().all(|e| e.body.operator == "BADGE-7"));
}
