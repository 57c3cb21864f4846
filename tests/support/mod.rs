//! Shared by the server and sync integration tests: event chains, fresh
//! databases of both backends, `lotline-server` as a child process and the
//! `lotline` terminal binary on a data directory of its own.

#![allow(dead_code)] // each test crate uses its own part of this

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::DateTime;
use lotline::journal::{ChainHash, Event, EventBody, EventKind};
use lotline::protocol::{EventBatch, WireEvent};
use lotline::server::ingest::ValidBatch;
use lotline::server::store::{PostgresStore, SqliteStore, Store};

/// The PostgreSQL the tests use (CI starts it; `.ci/run` too).
pub const PG_URL: &str = "host=127.0.0.1 port=5432 user=postgres dbname=test";

/// A correctly chained stream of `n` events of device `dev`, seq 1..=n.
pub fn chain(dev: &str, n: u64) -> Vec<Event> {
    chain_of(
        dev,
        (1..=n).map(|seq| {
            let mut body = EventBody::new("badge-7", EventKind::Receiving);
            body.gtin = Some("09506000134352".into());
            body.lot = Some(format!("LOT{}", seq % 3));
            body.quantity = i64::try_from(seq).unwrap();
            body.to_location = Some("DOCK-1".into());
            body
        }),
    )
}

/// The device time of seq `seq` in [`chain_of`]'s streams: one
/// microsecond apart.
pub fn recorded_at(seq: u64) -> DateTime<chrono::Utc> {
    DateTime::from_timestamp_micros(1_800_000_000_000_000 + seq as i64).unwrap()
}

/// A correctly chained stream of device `dev` with `bodies`, seq 1, 2, …,
/// recorded at [`recorded_at`] of its seq.
pub fn chain_of(dev: &str, bodies: impl IntoIterator<Item = EventBody>) -> Vec<Event> {
    let mut prev = ChainHash::GENESIS;
    (1..)
        .zip(bodies)
        .map(|(seq, body)| {
            let mut e = Event {
                event_id: uuid::Uuid::now_v7(),
                device_id: dev.into(),
                seq,
                recorded_at: recorded_at(seq),
                body,
                prev_hash: prev,
                hash: ChainHash::GENESIS,
            };
            e.hash = e.compute_hash();
            prev = e.hash;
            e
        })
        .collect()
}

/// The wire batch of `events`.
pub fn wire(dev: &str, events: &[Event]) -> EventBatch {
    EventBatch {
        device_id: dev.into(),
        events: events.iter().map(WireEvent::from).collect(),
    }
}

/// `events` as a validated batch.
pub fn batch(dev: &str, events: &[Event]) -> ValidBatch {
    ValidBatch::new(dev, wire(dev, events)).expect("test batch is valid")
}

/// A fresh, empty database of one backend, removed when done.
pub enum TestDb {
    /// A SQLite file in a temporary directory.
    Sqlite(tempfile::TempDir),
    /// A schema of its own in the test PostgreSQL database.
    Postgres(String),
}

impl TestDb {
    /// A new SQLite database.
    pub fn sqlite() -> TestDb {
        TestDb::Sqlite(tempfile::tempdir().unwrap())
    }

    /// A new schema `t_<random>` in the test PostgreSQL. Panics (fails the
    /// test) when PostgreSQL is unreachable: the suite must run on both.
    pub async fn postgres() -> TestDb {
        let schema = format!("t_{}", uuid::Uuid::now_v7().simple());
        admin_sql(&format!("CREATE SCHEMA {schema}")).await;
        TestDb::Postgres(schema)
    }

    /// Opens (and migrates) the database; may be called again to reopen.
    pub async fn open(&self) -> Arc<dyn Store> {
        match self {
            TestDb::Sqlite(dir) => Arc::new(
                SqliteStore::open(dir.path().join("server.sqlite"))
                    .await
                    .unwrap(),
            ),
            TestDb::Postgres(schema) => {
                let mut config: tokio_postgres::Config = PG_URL.parse().unwrap();
                config.options(format!("-c search_path={schema}"));
                Arc::new(PostgresStore::with_config(config).await.unwrap())
            }
        }
    }

    /// Removes the database (the SQLite directory goes with the value).
    pub async fn remove(self) {
        if let TestDb::Postgres(schema) = self {
            admin_sql(&format!("DROP SCHEMA {schema} CASCADE")).await;
        }
    }
}

/// Runs `statement` on the test PostgreSQL as its administrator.
pub async fn admin_sql(statement: &str) {
    let (client, connection) = tokio_postgres::connect(PG_URL, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| {
            panic!("PostgreSQL must be running at {PG_URL} for the server tests: {e}")
        });
    let driver = tokio::spawn(connection);
    client.batch_execute(statement).await.unwrap();
    drop(client);
    let _ = driver.await;
}

/// `lotline-server --data-dir DIR`, with no database override from the
/// environment.
pub fn server_command(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lotline-server"));
    command
        .arg("--data-dir")
        .arg(dir)
        .env_remove("LOTLINE_SERVER_DB")
        .env("XDG_CONFIG_HOME", dir);
    command
}

/// `lotline-server device add NAME`: the one-time code it prints.
pub fn add_device(dir: &Path, name: &str) -> String {
    let out = server_command(dir)
        .args(["device", "add", name])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    text.trim().rsplit(' ').next().unwrap().to_owned()
}

/// A running `lotline-server serve`, killed when dropped.
pub struct ServerProcess {
    /// The process (its stderr is the caller's to take).
    pub child: Child,
    /// Its base URL, `http://127.0.0.1:PORT`.
    pub base: String,
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `command` (a [`server_command`], its stderr set by the caller)
/// with `serve --listen LISTEN` and waits for the address it announces;
/// None when it does not announce one (e.g. the port is still taken).
pub fn serve(mut command: Command, listen: &str) -> Option<ServerProcess> {
    let mut child = command
        .args(["serve", "--listen", listen])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let base = first
        .trim()
        .strip_prefix("listening on ")
        .map(str::to_owned);
    let process = ServerProcess {
        child,
        base: base.clone().unwrap_or_default(),
    };
    base.map(|_| process)
}

/// Starts `lotline-server serve` for `dir` on `listen` (its stderr
/// discarded) and returns it with its address; a restart on the same port
/// retries while the old process lets it go.
pub fn start_server(dir: &Path, listen: &str) -> (ServerProcess, SocketAddr) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let mut command = server_command(dir);
        command.stderr(Stdio::null());
        if let Some(server) = serve(command, listen) {
            let address = server
                .base
                .strip_prefix("http://")
                .expect("plain HTTP")
                .parse()
                .unwrap();
            return (server, address);
        }
        assert!(Instant::now() < deadline, "the server did not restart");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The terminal binary on data directory `dir`, with a home of its own (no
/// configuration file unless the test writes one).
pub fn terminal_command(dir: &Path) -> Command {
    let home = dir.join("home");
    let mut command = Command::new(env!("CARGO_BIN_EXE_lotline"));
    command
        .arg("--data-dir")
        .arg(dir)
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env_remove("LOTLINE_CONFIG")
        .env_remove("LOTLINE_DATA_DIR");
    command
}

/// Runs the terminal binary on `dir` with `args` to the end.
pub fn lotline(dir: &Path, args: &[&str]) -> Output {
    terminal_command(dir).args(args).output().unwrap()
}
