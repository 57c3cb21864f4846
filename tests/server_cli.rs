//! `lotline-server` as an administrator runs it: `device add|list|revoke`
//! and `serve` on port 0 as a child process, with a terminal enrolling
//! over HTTP in between, and no secret in the server's log.

mod support;

use std::io::Read;
use std::process::{Command, Output, Stdio};

use lotline::journal::LotState;

/// `lotline-server` on `data_dir`, logging at debug level (the test looks
/// for secrets in the log).
fn server(data_dir: &std::path::Path) -> Command {
    let mut command = support::server_command(data_dir);
    command.env("RUST_LOG", "debug");
    command
}

fn run(data_dir: &std::path::Path, args: &[&str]) -> Output {
    let out = server(data_dir).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn add_enroll_list_revoke() {
    let dir = tempfile::tempdir().unwrap();
    let added = stdout(&run(dir.path(), &["device", "add", "dock-1"]));
    let code = added.trim().rsplit(' ').next().unwrap().to_owned();
    assert_eq!(code.len(), 19, "{added}");
    assert!(stdout(&run(dir.path(), &["device", "list"])).contains("awaiting enrollment"));
    let again = server(dir.path())
        .args(["device", "add", "dock-1"])
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));

    let mut command = server(dir.path());
    command.stderr(Stdio::piped());
    let mut child = support::serve(command, "127.0.0.1:0").expect("the server announces itself");
    let mut stderr = child.child.stderr.take().unwrap();
    let base = child.base.clone();

    let client = reqwest::Client::new();
    let reply = client
        .post(format!("{base}/v1/enroll"))
        .body(format!(r#"{{"code":"{code}","device_id":"term-1"}}"#))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);
    let reply: lotline::protocol::EnrollReply =
        serde_json::from_slice(&reply.bytes().await.unwrap()).unwrap();
    let post = || {
        client
            .post(format!("{base}/v1/devices/term-1/events"))
            .bearer_auth(&reply.token)
            .body(r#"{"device_id":"term-1","events":[]}"#)
            .send()
    };
    assert_eq!(post().await.unwrap().status(), 200);

    let listed = stdout(&run(dir.path(), &["device", "list"]));
    assert!(listed.contains("dock-1\tterm-1\tenrolled"), "{listed}");
    run(dir.path(), &["device", "revoke", "term-1"]);
    assert_eq!(post().await.unwrap().status(), 401);
    assert!(stdout(&run(dir.path(), &["device", "list"])).contains("revoked"));

    drop(child);
    let mut log = String::new();
    stderr.read_to_string(&mut log).unwrap();
    assert!(log.contains("device enrolled"), "{log}");
    assert!(!log.contains(&reply.token), "token in the log");
    assert!(!log.contains(&code), "code in the log");
}

#[test]
fn version_and_bad_database_urls() {
    let dir = tempfile::tempdir().unwrap();
    let version = stdout(&run(dir.path(), &["version"]));
    assert!(version.starts_with("lotline-server "));
    let out = server(dir.path())
        .args(["--db", "mysql://x", "device", "list"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unsupported database"));
    let out = server(dir.path())
        .args([
            "--db",
            "postgres://admin:hunter2@127.0.0.1:1/none",
            "device",
            "list",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("admin:***@127.0.0.1") && !err.contains("hunter2"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_all_or_nothing_then_hold_and_release() {
    let dir = tempfile::tempdir().unwrap();
    let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/reference");
    let file = |name: &str| format!("{examples}/{name}.csv");

    // Orders before their products and supplier: refused, line by line.
    let early = server(dir.path())
        .args(["import", "purchase-orders", &file("purchase-orders")])
        .output()
        .unwrap();
    assert!(!early.status.success());
    let report = String::from_utf8_lossy(&early.stderr);
    assert!(report.contains("nothing imported"), "{report}");
    assert!(report.contains("line 2, column supplier_id"), "{report}");

    let bad = dir.path().join("bad-products.csv");
    std::fs::write(
        &bad,
        "gtin,description,unit,lot_tracked,expiry_tracked\n\
         09506000134352,Yoghurt,EA,true,true\n\
         123,Broken,EA,maybe,true\n",
    )
    .unwrap();
    let refused = server(dir.path())
        .args(["import", "products", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("line 3"));
    let unknown = server(dir.path())
        .args(["import", "gadgets", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("unknown import kind"));

    let db = format!("sqlite:{}", dir.path().join("server.sqlite").display());
    let store = lotline::server::store::open(&db).await.unwrap();
    let nothing = store.reference_since(0).await.unwrap();
    assert_eq!(nothing.changes, Default::default(), "nothing half-imported");

    for kind in ["products", "suppliers", "purchase-orders"] {
        let out = stdout(&run(dir.path(), &["import", kind, &file(kind)]));
        assert!(out.contains(&format!("{kind} record(s)")), "{out}");
    }
    let imported = store.reference_since(0).await.unwrap();
    assert!(!imported.changes.purchase_orders.is_empty());
    assert!(!imported.changes.products.is_empty());

    let hold = ["hold", "09506000134352", "L1", "--reason", "lab check"];
    run(dir.path(), &hold);
    let missing_reason = server(dir.path())
        .args(["recall", "09506000134352", "L1"])
        .output()
        .unwrap();
    assert!(!missing_reason.status.success());
    let bad_gtin = server(dir.path())
        .args(["recall", "0950", "L1", "--reason", "x"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&bad_gtin.stderr).contains("GTIN-14"));
    let held = store
        .reference_since(imported.cursor.parse().unwrap())
        .await
        .unwrap();
    assert_eq!(held.changes.lot_statuses.len(), 1);
    assert_eq!(held.changes.lot_statuses[0].state, LotState::Held);
    assert_eq!(
        held.changes.lot_statuses[0].reason.as_deref(),
        Some("lab check")
    );

    let release = ["release", "09506000134352", "L1", "--reason", "lab ok"];
    run(dir.path(), &release);
    let after = store
        .reference_since(held.cursor.parse().unwrap())
        .await
        .unwrap();
    assert_eq!(after.changes.lot_statuses.len(), 1);
    assert_eq!(after.changes.lot_statuses[0].state, LotState::Released);
}
