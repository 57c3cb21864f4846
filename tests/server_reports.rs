//! A recall answered end to end, with the binaries an operator and an
//! administrator run: a terminal loads the demo warehouse, picks, packs
//! and ships an order, and syncs to a real `lotline-server`; the server
//! then answers "which customers got lot Y2611B?" through
//! `lotline-server trace` (JSON, CSV, EPCIS) and `GET /v1/trace`, lists
//! expiring stock (`expiry`, `GET /v1/expiry`) and exports the period as
//! the FSMA 204 spreadsheet and an EPCIS 2.0 document that validates
//! against GS1's schema.

mod support;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use lotline::server::store::{SqliteStore, Store};
use serde_json::Value;
use support::{ServerProcess, add_device, serve, server_command};

const YOGHURT: &str = "09506000134352";
const LOT: &str = "Y2611B";
const CARTON: &str = "095060001000000012";

/// The worked pick-pack-ship example of docs/headless.md.
const SHIP_SO_2001: &str = r#"{"scan":"BADGE-1002"}
{"do":"pick","order":"SO-2001"}
{"scan":"LOC-A-01"}
{"scan":"(01)09506000134352(30)6(10)Y2611B"}
{"scan":"LOC-A-02"}
{"do":"quantity","quantity":3}
{"scan":"(01)09506000134369(10)M2611A"}
{"do":"short","reason":"DAMAGED"}
{"do":"pack","order":"SO-2001"}
{"do":"new-carton"}
{"scan":"(01)09506000134352(30)6(10)Y2611B"}
{"scan":"(01)09506000134369(30)3(10)M2611A"}
{"do":"close-carton"}
{"do":"ship"}
"#;

/// The terminal binary on data directory `dir`, configured by the
/// `lotline.toml` written there.
fn lotline(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lotline"))
        .arg("--data-dir")
        .arg(dir)
        .arg("--config")
        .arg(dir.join("lotline.toml"))
        .args(args)
        .env("HOME", dir.join("home"))
        .env_remove("LOTLINE_CONFIG")
        .env_remove("LOTLINE_DATA_DIR")
        .output()
        .unwrap()
}

/// `lotline-server ARGS` on the server's data directory.
fn admin(dir: &Path, args: &[&str]) -> Output {
    server_command(dir).args(args).output().unwrap()
}

fn ok(out: Output) -> String {
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

fn failed(out: Output) -> String {
    assert!(
        !out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The JSON body of `response`.
async fn json_of(response: reqwest::Response) -> Value {
    serde_json::from_str(&response.text().await.unwrap()).unwrap()
}

/// The EPCIS schema's violations of `document` (GS1's file in tests/data).
fn schema_errors(document: &Value) -> Vec<String> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/epcis/EPCIS-JSON-Schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let validator = jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    validator
        .iter_errors(document)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// A terminal that shipped SO-2001 and uploaded everything to a server
/// that also holds the demo reference data; returns the running server
/// and the terminal's bearer token.
async fn shipped_and_synced(server_dir: &Path, terminal: &Path) -> (ServerProcess, String) {
    std::fs::write(
        server_dir.join("lotline").join("lotline.toml"),
        "[site]\ndescription = \"Lotline DC1, 1 Dock Road, Leeds LS1 1AA\"\n\
         base_uri = \"https://dc1.example.com/lotline\"\nutc_offset = \"+00:00\"\n",
    )
    .unwrap();
    std::fs::write(
        terminal.join("lotline.toml"),
        "[workflow.cartons]\ncompany_prefix = \"9506000\"\nstation = \"1\"\n",
    )
    .unwrap();
    let code = add_device(server_dir, "pack-1");
    let mut command = server_command(server_dir);
    command.stderr(Stdio::null());
    let server = serve(command, "127.0.0.1:0").expect("the server says where it listens");

    ok(lotline(terminal, &["demo-data", "--today", "2026-11-25"]));
    let script = terminal.join("ship.jsonl");
    std::fs::write(&script, SHIP_SO_2001).unwrap();
    let shipped = ok(lotline(
        terminal,
        &["headless", "--script", script.to_str().unwrap()],
    ));
    assert!(shipped.contains("Order SO-2001 shipped"), "{shipped}");
    ok(lotline(terminal, &["enroll", &server.base, &code]));
    ok(lotline(terminal, &["sync", "--once"]));

    // The office's reference data: the same records the demo terminal has.
    let store = SqliteStore::open(server_dir.join("server.sqlite"))
        .await
        .unwrap();
    store
        .put_reference(&lotline::cli::demo_data::reference(chrono::Utc::now()))
        .await
        .unwrap();
    let enrollment: Value =
        serde_json::from_str(&std::fs::read_to_string(terminal.join("sync.json")).unwrap())
            .unwrap();
    let token = enrollment["token"].as_str().unwrap().to_owned();
    (server, token)
}

#[tokio::test]
async fn a_recall_is_traced_exported_and_served() {
    let server_dir = tempfile::tempdir().unwrap();
    let terminal = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(server_dir.path().join("lotline")).unwrap();
    let (server, token) = shipped_and_synced(server_dir.path(), terminal.path()).await;
    let dir = server_dir.path();

    // Forward and backward, as JSON.
    let json: Value = serde_json::from_str(&ok(admin(dir, &["trace", YOGHURT, LOT]))).unwrap();
    assert_eq!(json["product"], "Yoghurt 500 g");
    let shipments = json["shipments"].as_array().unwrap();
    assert_eq!(shipments.len(), 1, "{json:#}");
    assert_eq!(shipments[0]["quantity"], 6);
    assert_eq!(shipments[0]["sscc"], CARTON);
    assert_eq!(shipments[0]["sales_order"], "SO-2001");
    assert_eq!(shipments[0]["customer"]["id"], "CUS-1");
    let cartons = json["cartons"].as_array().unwrap();
    assert_eq!(
        (cartons.len(), &cartons[0]["sscc"]),
        (1, &Value::from(CARTON))
    );
    let receipts = json["receipts"].as_array().unwrap();
    assert!(!receipts.is_empty(), "{json:#}");
    let stock: i64 = json["stock"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["quantity"].as_i64().unwrap())
        .sum();
    let received: i64 = receipts
        .iter()
        .map(|r| r["quantity"].as_i64().unwrap())
        .sum();
    assert_eq!(
        stock,
        received - 6,
        "what was not shipped is still in stock"
    );

    // The same over HTTP, for an enrolled terminal only.
    let client = reqwest::Client::new();
    let url = format!("{}/v1/trace?gtin={YOGHURT}&lot={LOT}", server.base);
    let anonymous = client.get(&url).send().await.unwrap();
    assert_eq!(anonymous.status(), reqwest::StatusCode::UNAUTHORIZED);
    let served = client.get(&url).bearer_auth(&token).send().await.unwrap();
    let served = json_of(served).await;
    assert_eq!(served, json, "the endpoint and the command agree");
    let csv = client
        .get(format!("{url}&format=csv"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = csv.text().await.unwrap();
    assert_eq!(
        csv,
        ok(admin(dir, &["trace", YOGHURT, LOT, "--format", "csv"]))
    );
    let shipment_row = csv
        .lines()
        .find(|l| l.starts_with("shipment,"))
        .expect("a shipment row");
    assert!(
        shipment_row.contains("CUS-1") && shipment_row.contains(CARTON),
        "{shipment_row}"
    );
    let bad = client
        .get(format!("{}/v1/trace?gtin=123&lot={LOT}", server.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    let problem = json_of(bad).await;
    assert_eq!(problem["field"], "gtin");

    // The lot's events as EPCIS: receipt, picks, packing into the carton,
    // the carton shipped — valid against GS1's schema.
    let epcis: Value = serde_json::from_str(&ok(admin(
        dir,
        &["trace", YOGHURT, LOT, "--format", "epcis"],
    )))
    .unwrap();
    assert_eq!(schema_errors(&epcis), Vec::<String>::new());
    let steps: Vec<&str> = epcis["epcisBody"]["eventList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["bizStep"].as_str().unwrap())
        .collect();
    for step in ["receiving", "picking", "packing", "shipping"] {
        assert!(steps.contains(&step), "{step} missing from {steps:?}");
    }

    // Expiring stock: the yoghurt lot expires 2026-12-07 (12 days after
    // the demo's today, fewer from the real date).
    let soon = client
        .get(format!("{}/v1/expiry?days=3650", server.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let soon = json_of(soon).await;
    let lots: Vec<&str> = soon
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["lot"].as_str())
        .collect();
    assert!(lots.contains(&LOT) && lots.contains(&"M2611B"), "{lots:?}");
    let table = ok(admin(dir, &["expiry", "--days", "3650"]));
    assert!(table.starts_with("EXPIRY\tDAYS LEFT\tGTIN\tLOT"), "{table}");
    assert!(table.contains(LOT), "{table}");
    let cli_json: Value = serde_json::from_str(&ok(admin(
        dir,
        &["expiry", "--days", "3650", "--format", "json"],
    )))
    .unwrap();
    assert_eq!(cli_json, soon);

    // The period's exports.
    let fsma204 = |from, to| {
        ok(admin(
            dir,
            &["export", "fsma204", "--from", from, "--to", to],
        ))
    };
    let fsma = fsma204("2000-01-01", "2099-12-31");
    let shipped_rows: Vec<&str> = fsma
        .lines()
        .filter(|l| l.starts_with("Shipping,"))
        .collect();
    assert_eq!(
        shipped_rows.len(),
        2,
        "one row per lot in the carton: {fsma}"
    );
    assert!(
        shipped_rows
            .iter()
            .any(|r| r.contains("(01)09506000134352(10)Y2611B"))
    );
    assert!(shipped_rows.iter().all(|r| r.contains("SO-2001")), "{fsma}");
    let before = fsma204("2000-01-01", "2000-01-31");
    assert_eq!(before.lines().count(), 1, "only the header: {before}");
    let out = dir.join("period.jsonld");
    ok(admin(
        dir,
        &[
            "export",
            "epcis",
            "--from",
            "2000-01-01",
            "--to",
            "2099-12-31",
            "--output",
            out.to_str().unwrap(),
        ],
    ));
    let document: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(schema_errors(&document), Vec::<String>::new());
    assert!(
        document["epcisBody"]["eventList"].as_array().unwrap().len() > 20,
        "the demo's stock and the order's events"
    );

    // Mistakes get clear errors.
    let backwards = failed(admin(
        dir,
        &[
            "export",
            "epcis",
            "--from",
            "2026-12-01",
            "--to",
            "2026-11-01",
        ],
    ));
    assert!(backwards.contains("is before --from"), "{backwards}");
    let not_gtin = failed(admin(dir, &["trace", "9506000134352", LOT]));
    assert!(not_gtin.contains("not a GTIN-14"), "{not_gtin}");
}

#[tokio::test]
async fn exports_name_the_site_setting_they_need() {
    let dir = tempfile::tempdir().unwrap();
    let fsma = failed(admin(
        dir.path(),
        &[
            "export",
            "fsma204",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
        ],
    ));
    assert!(fsma.contains("[site] description"), "{fsma}");
    let epcis = failed(admin(
        dir.path(),
        &["trace", YOGHURT, LOT, "--format", "epcis"],
    ));
    assert!(epcis.contains("[site] base_uri"), "{epcis}");
    let empty = ok(admin(dir.path(), &["expiry"]));
    assert_eq!(empty, "no lot in stock expires within 30 day(s)\n");
}
