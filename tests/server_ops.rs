//! Operating `lotline-server`: backups taken while a real server process
//! ingests, restores (and what they refuse), `GET /metrics` from a real
//! server on 127.0.0.1, JSON log lines, and PostgreSQL backups through the
//! real `pg_dump`/`pg_restore` when they are installed.

mod support;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use lotline::journal::Event;
use lotline::protocol::{EnrollReply, IngestReply};
use lotline::server::secrets::{SecretHash, enrollment_code_hash};
use lotline::server::store::{PostgresStore, Store};
use rusqlite::Connection;
use support::{ServerProcess, chain, serve, server_command, wire};

/// `lotline-server serve` on `data`, its log discarded.
fn quiet_server(data: &Path) -> ServerProcess {
    let mut command = server_command(data);
    command.stderr(Stdio::null());
    serve(command, "127.0.0.1:0").expect("the server starts")
}

/// Runs `lotline-server --data-dir DIR ARGS…`.
fn run(data: &Path, args: &[&str]) -> Output {
    server_command(data).args(args).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Enrolls device id `dev` with `code` over HTTP; returns its token.
async fn enroll(base: &str, code: &str, dev: &str) -> String {
    let reply = reqwest::Client::new()
        .post(format!("{base}/v1/enroll"))
        .body(format!(r#"{{"code":"{code}","device_id":"{dev}"}}"#))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);
    let reply: EnrollReply = serde_json::from_slice(&reply.bytes().await.unwrap()).unwrap();
    reply.token
}

/// Uploads `events` of `dev` as one batch.
async fn upload(base: &str, dev: &str, token: &str, events: &[Event]) -> (u16, IngestReply) {
    let reply = reqwest::Client::new()
        .post(format!("{base}/v1/devices/{dev}/events"))
        .bearer_auth(token)
        .body(serde_json::to_vec(&wire(dev, events)).unwrap())
        .send()
        .await
        .unwrap();
    let status = reply.status().as_u16();
    (
        status,
        serde_json::from_slice(&reply.bytes().await.unwrap()).unwrap(),
    )
}

/// The events a SQLite server database holds for `dev`: count, highest
/// seq, and whether `PRAGMA integrity_check` says ok.
fn stored_events(db: &Path, dev: &str) -> (u64, u64, bool) {
    let conn = Connection::open(db).unwrap();
    let (count, max): (i64, Option<i64>) = conn
        .query_row(
            "SELECT count(*), max(seq) FROM events WHERE device_id = ?1",
            [dev],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    let seq = |n: i64| u64::try_from(n).unwrap();
    (seq(count), seq(max.unwrap_or(0)), check == "ok")
}

/// A server on `data` with one enrolled device `term-1`; returns the
/// process and the device's token.
async fn server_with_device(data: &Path) -> (ServerProcess, String) {
    let code = support::add_device(data, "dock-1");
    let server = quiet_server(data);
    let token = enroll(&server.base, &code, "term-1").await;
    (server, token)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_while_the_server_ingests_then_restore() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let db = data.join("server.sqlite");
    let (server, token) = server_with_device(&data).await;

    // A terminal uploads batch after batch until told to stop.
    let events = Arc::new(chain("term-1", 30_000));
    let acked = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let writer = tokio::spawn({
        let (events, acked, stop) = (events.clone(), acked.clone(), stop.clone());
        let (base, token) = (server.base.clone(), token.clone());
        async move {
            for batch in events.chunks(25) {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let (status, reply) = upload(&base, "term-1", &token, batch).await;
                assert_eq!(status, 200);
                acked.store(reply.acked_through, Ordering::SeqCst);
            }
        }
    });
    let wait_for = |target: u64| {
        let acked = acked.clone();
        async move {
            let deadline = Instant::now() + Duration::from_secs(60);
            while acked.load(Ordering::SeqCst) < target {
                assert!(Instant::now() < deadline, "the writer stalled");
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    };
    wait_for(200).await;

    let backup = dir.path().join("backup.sqlite");
    let backup_arg = backup.to_str().unwrap();
    let out = run(&data, &["backup", backup_arg]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("integrity check ok"),
        "{}",
        text(&out.stdout)
    );
    let (in_backup, highest, sound) = stored_events(&backup, "term-1");
    assert!(sound);
    assert!(in_backup >= 200, "taken after 200 were acknowledged");
    assert_eq!(in_backup, highest, "a contiguous run from seq 1");
    assert!(
        text(&out.stdout).contains(&format!("{in_backup} event(s)")),
        "{}",
        text(&out.stdout)
    );
    // The server went on ingesting during and after the backup.
    wait_for(in_backup + 1).await;

    // A backup never overwrites a file.
    let before = std::fs::read(&backup).unwrap();
    let out = run(&data, &["backup", backup_arg]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("already exists"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(std::fs::read(&backup).unwrap(), before);

    stop.store(true, Ordering::SeqCst);
    writer.await.unwrap();
    let latest = acked.load(Ordering::SeqCst);

    // A restore under the running (now idle) server is refused and
    // changes nothing.
    let out = run(&data, &["restore", backup_arg]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("in use"),
        "{}",
        text(&out.stderr)
    );
    assert!(!Path::new(&format!("{}.before-restore", db.display())).exists());
    drop(server);
    assert!(latest > in_backup);

    let out = run(&data, &["restore", backup_arg]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let kept = dir.path().join("data/server.sqlite.before-restore");
    assert!(text(&out.stdout).contains("server.sqlite.before-restore"));
    assert_eq!(stored_events(&kept, "term-1"), (latest, latest, true));
    assert_eq!(stored_events(&db, "term-1"), (in_backup, in_backup, true));

    // A second restore would overwrite the kept copy: refused.
    let out = run(&data, &["restore", backup_arg]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("earlier restore"),
        "{}",
        text(&out.stderr)
    );

    // The restored server knows the device and its progress; the terminal
    // sends everything again and the server takes what it lacks.
    let listed = text(&run(&data, &["device", "list"]).stdout);
    assert!(
        listed.contains(&format!("dock-1\tterm-1\tenrolled\t{in_backup}\t")),
        "{listed}"
    );
    let server = quiet_server(&data);
    let mut stored = 0;
    let mut acked_through = 0;
    for batch in events[..latest as usize].chunks(5_000) {
        let (status, reply) = upload(&server.base, "term-1", &token, batch).await;
        assert_eq!(status, 200);
        stored += reply.stored;
        acked_through = reply.acked_through;
    }
    assert_eq!((acked_through, stored), (latest, latest - in_backup));
}

#[test]
fn restore_refuses_anything_but_a_sound_server_backup() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    support::add_device(&data, "dock-1");
    let good = dir.path().join("good.sqlite");
    assert!(
        run(&data, &["backup", good.to_str().unwrap()])
            .status
            .success()
    );
    let refuse = |file: &Path, expected: &str| {
        let out = run(&data, &["restore", file.to_str().unwrap()]);
        assert!(!out.status.success(), "{} was restored", file.display());
        let err = text(&out.stderr);
        assert!(err.contains(expected), "{}: {err}", file.display());
        // The live database is untouched and no copy was made of it.
        let listed = text(&run(&data, &["device", "list"]).stdout);
        assert!(listed.contains("dock-1"), "{listed}");
        assert!(!data.join("server.sqlite.before-restore").exists());
    };

    refuse(&dir.path().join("absent.sqlite"), "no database");
    refuse(&data.join("server.sqlite"), "is the database itself");
    let notes = dir.path().join("notes.txt");
    std::fs::write(
        &notes,
        "not a database, but long enough to look like one? no.",
    )
    .unwrap();
    refuse(&notes, "not a Lotline server database");

    let other = dir.path().join("other.sqlite");
    Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE events (device_id TEXT, seq INTEGER);")
        .unwrap();
    refuse(&other, "no table schema_migrations");

    let newer = dir.path().join("newer.sqlite");
    std::fs::copy(&good, &newer).unwrap();
    Connection::open(&newer)
        .unwrap()
        .execute("INSERT INTO schema_migrations VALUES (999, 0)", [])
        .unwrap();
    refuse(&newer, "schema version 999");

    // Damage: page 2 onwards overwritten (the header still says SQLite).
    let damaged = dir.path().join("damaged.sqlite");
    let mut bytes = std::fs::read(&good).unwrap();
    let page = usize::from(u16::from_be_bytes([bytes[16], bytes[17]]));
    assert!(bytes.len() >= 3 * page, "a few pages");
    bytes[page..3 * page].fill(0x5a);
    std::fs::write(&damaged, bytes).unwrap();
    refuse(&damaged, "fails SQLite's integrity check");

    // The sound backup restores onto a machine that has no database yet.
    let fresh = dir.path().join("fresh");
    let out = run(&fresh, &["restore", good.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!text(&out.stdout).contains("kept"));
    let listed = text(&run(&fresh, &["device", "list"]).stdout);
    assert!(
        listed.contains("dock-1\t-\tawaiting enrollment"),
        "{listed}"
    );
}

#[test]
fn backup_needs_a_database_and_pg_dump() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("b.sqlite");
    let out = run(
        dir.path(),
        &[
            "--db",
            "sqlite:/nonexistent/server.sqlite",
            "backup",
            file.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("no database at /nonexistent/server.sqlite"));
    assert!(!file.exists());

    let empty_path = dir.path().join("bin");
    std::fs::create_dir(&empty_path).unwrap();
    let dump = dir.path().join("b.dump");
    let out = server_command(dir.path())
        .env("PATH", &empty_path)
        .args([
            "--db",
            "postgres://postgres:secret@127.0.0.1/test",
            "backup",
            dump.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("pg_dump was not found on PATH"), "{err}");
    assert!(!err.contains("secret"), "{err}");
    assert!(!dump.exists(), "no partial file is left");
}

/// The value of the sample `series` (name and labels) in an exposition.
fn sample(exposition: &str, series: &str) -> Option<f64> {
    exposition.lines().find_map(|line| {
        let value = line.strip_prefix(series)?.strip_prefix(' ')?;
        Some(value.parse().unwrap())
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_follow_devices_uploads_and_conflicts() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let code = support::add_device(&data, "dock \"7\"");
    support::add_device(&data, "spare");
    let revoked_code = support::add_device(&data, "old");
    let server = quiet_server(&data);
    let token = enroll(&server.base, &code, "term-7").await;
    enroll(&server.base, &revoked_code, "term-0").await;
    assert!(run(&data, &["device", "revoke", "old"]).status.success());

    let events = chain("term-7", 40);
    let before = chrono::Utc::now();
    let (status, _) = upload(&server.base, "term-7", &token, &events).await;
    assert_eq!(status, 200);
    let mut altered = events[..2].to_vec();
    for e in &mut altered {
        e.body.quantity += 100;
        e.hash = e.compute_hash();
    }
    let (status, reply) = upload(&server.base, "term-7", &token, &altered).await;
    assert_eq!((status, reply.conflicts.len()), (409, 2));
    let after = chrono::Utc::now();

    let response = reqwest::get(format!("{}/metrics", server.base))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/plain; version=0.0.4; charset=utf-8"
    );
    let body = response.text().await.unwrap();
    let dock = r#"{device="dock \"7\""}"#;
    let get = |series: &str| sample(&body, series).unwrap_or_else(|| panic!("{series}: {body}"));
    assert_eq!(get(r#"lotline_devices{state="enrolled"}"#), 1.0);
    assert_eq!(get(r#"lotline_devices{state="awaiting_enrollment"}"#), 1.0);
    assert_eq!(get(r#"lotline_devices{state="revoked"}"#), 1.0);
    assert_eq!(get(&format!("lotline_events_ingested_total{dock}")), 40.0);
    assert_eq!(get(&format!("lotline_ingest_conflicts_total{dock}")), 2.0);
    assert_eq!(get(&format!("lotline_chain_breaks_total{dock}")), 0.0);
    assert_eq!(get(r#"lotline_events_ingested_total{device="old"}"#), 0.0);
    let seen = get(&format!("lotline_device_last_seen_seconds{dock}"));
    let (from, to) = (before.timestamp() as f64, after.timestamp() as f64 + 1.0);
    assert!((from..=to).contains(&seen), "{from} <= {seen} <= {to}");
    // The newest event was recorded at its device time and received
    // during the first upload.
    let lag = get(&format!("lotline_device_sync_lag_seconds{dock}"));
    let recorded = events[39].recorded_at.timestamp_micros() as f64 / 1e6;
    assert!((from..=to).contains(&(recorded + lag)), "lag {lag}");
    assert_eq!(
        sample(&body, r#"lotline_device_last_seen_seconds{device="spare"}"#),
        None
    );
    assert_eq!(
        sample(&body, r#"lotline_device_last_seen_seconds{device="old"}"#),
        None,
        "enrolled but never uploaded"
    );
    // Every line is a comment or `name{labels} value`.
    for line in body.lines().filter(|l| !l.starts_with('#')) {
        let (series, value) = line.rsplit_once(' ').unwrap();
        assert!(value.parse::<f64>().is_ok(), "{line}");
        assert!(
            series.starts_with("lotline_") && series.ends_with('}'),
            "{line}"
        );
    }
}

/// Starts a server with `options` and its standard error captured,
/// enrolls device `dev` and uploads two events; returns what it logged.
async fn log_of(data: &Path, dev: &str, options: &[&str]) -> String {
    let code = support::add_device(data, dev);
    let mut command = server_command(data);
    command.args(options).stderr(Stdio::piped());
    let mut server = serve(command, "127.0.0.1:0").unwrap();
    let mut stderr = server.child.stderr.take().unwrap();
    let token = enroll(&server.base, &code, dev).await;
    let (status, _) = upload(&server.base, dev, &token, &chain(dev, 2)).await;
    assert_eq!(status, 200);
    drop(server);
    let mut log = String::new();
    stderr.read_to_string(&mut log).unwrap();
    log
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn log_lines_are_json_when_configured() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let config = dir.path().join("server.toml");
    std::fs::write(&config, "log = \"info\"\nlog_format = \"json\"\n").unwrap();
    let config = config.to_str().unwrap();

    let log = log_of(&data, "term-j", &["--config", config]).await;
    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l:?}")))
        .collect();
    assert!(lines.iter().all(|l| l["timestamp"].is_string()
        && l["level"].is_string()
        && l["target"].is_string()
        && l["message"].is_string()));
    let ingested = lines
        .iter()
        .find(|l| l["message"] == "batch ingested")
        .unwrap_or_else(|| panic!("{log}"));
    assert_eq!(ingested["device_id"], "term-j");
    assert_eq!(
        (
            ingested["stored"].as_u64(),
            ingested["acked_through"].as_u64()
        ),
        (Some(2), Some(2))
    );
    assert_eq!(ingested["level"], "INFO");

    // The command line wins over the file.
    let log = log_of(
        &data,
        "term-t",
        &["--config", config, "--log-format", "text"],
    )
    .await;
    assert!(log.contains("batch ingested"), "{log}");
    assert!(
        log.lines()
            .all(|l| serde_json::from_str::<serde_json::Value>(l).is_err()),
        "{log}"
    );
}

/// `which NAME`: whether a program is on PATH.
fn installed(program: &str) -> bool {
    Command::new("which")
        .arg(program)
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// A database of its own on the test PostgreSQL, dropped afterwards.
struct TempDatabase(String);

impl TempDatabase {
    async fn new() -> TempDatabase {
        let name = format!("lotline_backup_{}", uuid::Uuid::now_v7().simple());
        support::admin_sql(&format!("CREATE DATABASE {name}")).await;
        TempDatabase(name)
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:5432/{}", self.0)
    }

    async fn drop_it(self) {
        support::admin_sql(&format!("DROP DATABASE {} WITH (FORCE)", self.0)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_backup_with_pg_dump_and_the_printed_pg_restore() {
    if !installed("pg_dump") || !installed("pg_restore") {
        println!(
            "skipped: pg_dump and pg_restore are not both on PATH (apt install postgresql-client)"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let original = TempDatabase::new().await;
    let store = PostgresStore::connect(&original.url()).await.unwrap();
    store
        .add_device("dock-1", enrollment_code_hash("CODE-1"))
        .await
        .unwrap();
    let token = SecretHash::of("token-1");
    store
        .enroll(enrollment_code_hash("CODE-1"), "term-1", token)
        .await
        .unwrap();
    store
        .ingest(
            support::batch("term-1", &chain("term-1", 50)),
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    drop(store);

    let dump = dir.path().join("server.dump");
    let dump_arg = dump.to_str().unwrap();
    let out = run(dir.path(), &["--db", &original.url(), "backup", dump_arg]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        std::fs::read(&dump).unwrap().starts_with(b"PGDMP"),
        "custom format"
    );
    let out = run(dir.path(), &["--db", &original.url(), "backup", dump_arg]);
    assert!(text(&out.stderr).contains("already exists"));

    // `restore` restores nothing itself; it prints the command to run.
    let copy = TempDatabase::new().await;
    let out = run(dir.path(), &["--db", &copy.url(), "restore", dump_arg]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("pg_restore"),
        "{}",
        text(&out.stderr)
    );
    let command = text(&out.stdout);
    assert!(command.starts_with("pg_restore "), "{command}");
    let restored = Command::new("sh")
        .arg("-c")
        .arg(command.trim())
        .output()
        .unwrap();
    assert!(restored.status.success(), "{}", text(&restored.stderr));

    let store = PostgresStore::connect(&copy.url()).await.unwrap();
    let devices = store.devices().await.unwrap();
    assert_eq!(
        (devices[0].name.as_str(), devices[0].acked_through),
        ("dock-1", 50)
    );
    assert_eq!(
        store.credential(token).await.unwrap().unwrap().device_id,
        "term-1"
    );
    drop(store);
    original.drop_it().await;
    copy.drop_it().await;
}
