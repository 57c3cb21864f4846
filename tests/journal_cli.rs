//! `lotline journal verify|stats|export` end to end: the real binary on a
//! real journal file in a temporary data directory.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::{TimeZone, Utc};
use lotline::journal::{EventBody, EventKind, Journal};
use serde_json::Value;

const GTIN: &str = "09506000134352";

fn lotline(data_dir: &Path, args: &[&str]) -> Output {
    let home = data_dir.join("home");
    Command::new(env!("CARGO_BIN_EXE_lotline"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env_remove("LOTLINE_CONFIG")
        .env_remove("LOTLINE_DATA_DIR")
        .output()
        .expect("run lotline")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("utf-8")
}

/// A data directory with a three-event journal.
fn data_dir() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("journal.sqlite");
    let mut journal = Journal::open(&path).expect("open");
    let at = Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap();
    let mut receipt = EventBody::new("badge-1", EventKind::Receiving);
    receipt.gtin = Some(GTIN.into());
    receipt.lot = Some("LOT,\"7\"".into());
    receipt.expiry = chrono::NaiveDate::from_ymd_opt(2027, 5, 31);
    receipt.quantity = 12;
    receipt.to_location = Some("DOCK".into());
    let mut putaway = EventBody::new("badge-1", EventKind::Storing);
    putaway.gtin = Some(GTIN.into());
    putaway.lot = receipt.lot.clone();
    putaway.quantity = 12;
    putaway.from_location = Some("DOCK".into());
    putaway.to_location = Some("A-01".into());
    journal.append(at, receipt.clone()).unwrap();
    journal.append_batch(at, [putaway, receipt]).unwrap();
    (dir, path)
}

#[test]
fn verify_reports_a_sound_journal() {
    let (dir, _) = data_dir();
    let out = lotline(dir.path(), &["journal", "verify"]);
    assert!(out.status.success(), "{out:?}");
    let text = stdout(&out);
    assert!(
        text.contains("OK — 3 events, seq 1..3 contiguous, hash chain valid"),
        "{text}"
    );
    assert!(text.contains("integrity_check ok"));
}

#[test]
fn verify_names_the_first_edited_event() {
    let (dir, path) = data_dir();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "DROP TRIGGER events_no_update; UPDATE events SET quantity = 999 WHERE seq = 2;",
    )
    .unwrap();
    drop(conn);
    let out = lotline(dir.path(), &["journal", "verify"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let text = stdout(&out);
    assert!(text.contains("BROKEN at seq 2: stored hash"), "{text}");
    assert!(text.contains("the event was altered"), "{text}");
    assert!(
        text.contains("events verified before the break: 1"),
        "{text}"
    );
}

#[test]
fn verify_names_a_gap() {
    let (dir, path) = data_dir();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("DROP TRIGGER events_no_delete; DELETE FROM events WHERE seq = 2;")
        .unwrap();
    drop(conn);
    let out = lotline(dir.path(), &["journal", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("BROKEN at seq 3: expected seq 2, found seq 3"),
        "{out:?}"
    );
}

#[test]
fn stats_counts_kinds_stock_lots_and_pending_sync() {
    let (dir, _) = data_dir();
    let out = lotline(dir.path(), &["journal", "stats"]);
    assert!(out.status.success(), "{out:?}");
    let text = stdout(&out);
    for line in [
        "events          3",
        "  receiving     2",
        "  storing       1",
        "  picking       0",
        "stock_lines     2",
        "lots            1",
        "unsynced        3",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    let bytes: u64 = text
        .lines()
        .find_map(|l| l.strip_prefix("file_bytes"))
        .and_then(|v| v.trim().parse().ok())
        .expect("file_bytes line");
    assert!(bytes > 4096, "{bytes}");
}

#[test]
fn export_jsonl_has_every_event_with_stable_fields() {
    let (dir, _) = data_dir();
    let out = lotline(dir.path(), &["journal", "export", "--format", "jsonl"]);
    assert!(out.status.success(), "{out:?}");
    let events: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(events.len(), 3);
    assert_eq!(events[0]["seq"], 1);
    assert_eq!(events[0]["kind"], "receiving");
    assert_eq!(events[0]["lot"], "LOT,\"7\"");
    assert_eq!(events[0]["expiry"], "2027-05-31");
    assert_eq!(events[0]["recorded_at"], "2026-11-25T09:00:00.000000Z");
    assert_eq!(events[0]["serial"], Value::Null);
    assert_eq!(events[0]["prev_hash"], "0".repeat(64));
    assert_eq!(events[1]["prev_hash"], events[0]["hash"]);
    assert_eq!(events[1]["from_location"], "DOCK");
}

#[test]
fn export_csv_quotes_what_needs_quoting() {
    let (dir, _) = data_dir();
    let out = lotline(dir.path(), &["journal", "export", "--format", "csv"]);
    assert!(out.status.success(), "{out:?}");
    let text = stdout(&out);
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 4);
    assert!(
        lines[0].starts_with("event_id,device_id,seq,recorded_at,operator,kind,gtin,lot,expiry,")
    );
    assert!(lines[0].ends_with(",correction_of,prev_hash,hash"));
    assert!(
        lines[1].contains(",receiving,09506000134352,\"LOT,\"\"7\"\"\",2027-05-31,,,12,EA,,DOCK,"),
        "{}",
        lines[1]
    );
}

#[test]
fn a_missing_journal_is_not_created() {
    let dir = tempfile::tempdir().unwrap();
    let out = lotline(dir.path(), &["journal", "stats"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("there is no journal at"),
        "{out:?}"
    );
    assert!(!dir.path().join("journal.sqlite").exists());
}

#[test]
fn a_file_that_is_not_a_journal_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    let text = b"this is a shopping list, not a database\n".repeat(200);
    std::fs::write(&path, &text).unwrap();
    let out = lotline(dir.path(), &["journal", "verify"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("is not a Lotline journal") && err.contains("has not been modified"),
        "{err}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), text);
}
