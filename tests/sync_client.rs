//! The terminal's sync against a real `lotline-server` on 127.0.0.1 port 0,
//! both as the binaries an operator runs: enroll with a one-time code,
//! upload in batches, resume after more scanning, a recall reaching the
//! terminal and blocking the next scan, and the clear failures — a wrong
//! code, a revoked terminal, a server that is gone — and a server restored
//! from an older backup getting the events it lost again.

mod support;

use std::path::Path;
use std::process::Output;

use support::{add_device, lotline, server_command, start_server};

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Receives one more unit of a new lot through the engine (headless).
fn scan_one_more(dir: &Path, lot: &str) {
    let script = dir.join("more.jsonl");
    std::fs::write(
        &script,
        format!(
            "{{\"scan\":\"BADGE-1001\"}}\n{{\"do\":\"receive\"}}\n{{\"scan\":\"(01)09506000134352(17)271231(30)1(10){lot}\"}}\n"
        ),
    )
    .unwrap();
    let out = lotline(dir, &["headless", "--script", script.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(!text(&out).contains("\"block\""), "{}", text(&out));
}

#[test]
fn enroll_upload_in_batches_resume_and_fail_clearly() {
    let server_dir = tempfile::tempdir().unwrap();
    let terminal = tempfile::tempdir().unwrap();
    let code = add_device(server_dir.path(), "dock-1");
    let (server, _) = start_server(server_dir.path(), "127.0.0.1:0");

    let loaded = lotline(terminal.path(), &["demo-data"]);
    assert!(loaded.status.success(), "{}", text(&loaded));
    let not_enrolled = lotline(terminal.path(), &["sync", "--once"]);
    assert!(!not_enrolled.status.success());
    assert!(
        text(&not_enrolled).contains("not enrolled"),
        "{}",
        text(&not_enrolled)
    );

    let wrong = lotline(
        terminal.path(),
        &["enroll", &server.base, "AAAA-BBBB-CCCC-DDDD"],
    );
    assert!(!wrong.status.success());
    assert!(
        text(&wrong).contains("refused this terminal"),
        "{}",
        text(&wrong)
    );

    let enrolled = lotline(terminal.path(), &["enroll", &server.base, &code]);
    assert!(enrolled.status.success(), "{}", text(&enrolled));
    assert!(text(&enrolled).contains("Enrolled with"));

    // The demo data is 20 events: three batches of at most 7.
    let first = lotline(terminal.path(), &["sync", "--once", "--batch-size", "7"]);
    assert!(first.status.success(), "{}", text(&first));
    assert!(
        text(&first).contains(
            "Sent 20 events in 3 batches (20 new, 0 already there); the server holds everything through seq 20; 0 pending"
        ),
        "{}",
        text(&first)
    );

    // More scanning, then only the new event goes: `headless` on an
    // enrolled terminal may already have sent it from its own background
    // sync before it exited; either way it is sent once.
    scan_one_more(terminal.path(), "S00001");
    let second = lotline(terminal.path(), &["sync", "--once"]);
    assert!(
        text(&second).contains("Sent 1 events in 1 batches (1 new, 0 already there)")
            || text(&second).contains("Sent 0 events in 0 batches"),
        "{}",
        text(&second)
    );
    assert!(
        text(&second).contains("the server holds everything through seq 21; 0 pending"),
        "{}",
        text(&second)
    );
    let idle = lotline(terminal.path(), &["sync", "--once"]);
    assert!(text(&idle).contains("Sent 0 events"), "{}", text(&idle));
    assert!(
        text(&idle).contains("Reference data: 0 change(s) applied"),
        "{}",
        text(&idle)
    );

    // A recall on the server reaches the terminal with the next sync and
    // blocks the lot at the very next scan.
    let recalled = server_command(server_dir.path())
        .args([
            "recall",
            "09506000134352",
            "Y2611B",
            "--reason",
            "supplier recall R-9",
        ])
        .output()
        .unwrap();
    assert!(recalled.status.success(), "{}", text(&recalled));
    let downloaded = lotline(terminal.path(), &["sync", "--once"]);
    assert!(
        text(&downloaded).contains("1 change(s) applied, 1 of them lot holds, recalls or releases"),
        "{}",
        text(&downloaded)
    );
    let script = terminal.path().join("pick.jsonl");
    std::fs::write(
        &script,
        "{\"scan\":\"BADGE-1002\"}\n{\"do\":\"pick\",\"order\":\"SO-2001\"}\n\
         {\"scan\":\"LOC-A-01\"}\n{\"scan\":\"(01)09506000134352(30)1(10)Y2611B\"}\n",
    )
    .unwrap();
    let pick = lotline(
        terminal.path(),
        &["headless", "--script", script.to_str().unwrap()],
    );
    let answers = String::from_utf8_lossy(&pick.stdout).to_string();
    let last = answers.lines().last().unwrap_or_default();
    assert!(
        last.contains("\"block\"") && last.contains("is recalled (supplier recall R-9)"),
        "{answers}"
    );

    // Revoked: the terminal is told to enroll again, nothing is lost.
    let revoked = server_command(server_dir.path())
        .args(["device", "revoke", "dock-1"])
        .output()
        .unwrap();
    assert!(revoked.status.success(), "{}", text(&revoked));
    scan_one_more(terminal.path(), "S00002");
    let refused = lotline(terminal.path(), &["sync", "--once"]);
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("enroll it again"),
        "{}",
        text(&refused)
    );

    // The server is gone: unreachable, named, not a crash.
    let base = server.base.clone();
    drop(server);
    let gone = lotline(terminal.path(), &["sync", "--once"]);
    assert!(!gone.status.success());
    assert!(
        text(&gone).contains(&format!("{base}/v1/devices/"))
            && text(&gone).contains("cannot be reached"),
        "{}",
        text(&gone)
    );
    let verify = lotline(terminal.path(), &["journal", "verify"]);
    assert!(verify.status.success(), "{}", text(&verify));
}

#[test]
fn a_server_restored_from_an_older_backup_gets_the_lost_events_again() {
    let server_dir = tempfile::tempdir().unwrap();
    let terminal = tempfile::tempdir().unwrap();
    let code = add_device(server_dir.path(), "dock-1");
    let (server, address) = start_server(server_dir.path(), "127.0.0.1:0");
    assert!(lotline(terminal.path(), &["demo-data"]).status.success());
    let enrolled = lotline(terminal.path(), &["enroll", &server.base, &code]);
    assert!(enrolled.status.success(), "{}", text(&enrolled));
    let first = lotline(terminal.path(), &["sync", "--once"]);
    assert!(
        text(&first).contains("through seq 20; 0 pending"),
        "{}",
        text(&first)
    );

    let backup = server_dir.path().join("at-20.sqlite");
    let backed_up = server_command(server_dir.path())
        .arg("backup")
        .arg(&backup)
        .output()
        .unwrap();
    assert!(backed_up.status.success(), "{}", text(&backed_up));
    scan_one_more(terminal.path(), "S00001");
    let second = lotline(terminal.path(), &["sync", "--once"]);
    assert!(
        text(&second).contains("through seq 21; 0 pending"),
        "{}",
        text(&second)
    );

    // The server loses seq 21: stopped, restored to the backup, restarted
    // where the terminal knows it.
    drop(server);
    let restored = server_command(server_dir.path())
        .arg("restore")
        .arg(&backup)
        .output()
        .unwrap();
    assert!(restored.status.success(), "{}", text(&restored));
    let (_server, _) = start_server(server_dir.path(), &address.to_string());
    scan_one_more(terminal.path(), "S00002");
    let third = lotline(terminal.path(), &["sync", "--once"]);
    assert!(third.status.success(), "{}", text(&third));
    assert!(
        text(&third).contains("through seq 22; 0 pending"),
        "seq 21 is sent again, then 22: {}",
        text(&third)
    );
    let listed = server_command(server_dir.path())
        .args(["device", "list"])
        .output()
        .unwrap();
    let listing = text(&listed);
    let row = listing.lines().find(|l| l.starts_with("dock-1")).unwrap();
    assert!(
        row.ends_with("\t22\t0"),
        "22 events, no chain break: {listing}"
    );
}
