//! `lotline-server` under load, each figure beside a same-run baseline
//! (absolute times on shared machines drift; ratios do not):
//!
//! * ingest/sqlite and ingest/postgres: 50 simulated devices upload their
//!   streams at once, gzip JSON batches over HTTP on loopback to the real
//!   router — events/s (target ≥ 20,000) and p50/p99 batch latency.
//!   Baseline: the same batches handed to `Store::ingest` directly at the
//!   same concurrency (storage alone: no HTTP, JSON or gzip).
//! * trace/sqlite and trace/postgres: the recall trace of one lot
//!   (`reports::lot_trace`: storage read plus computation) in a database
//!   holding 10,000,000 events — p50/p99 over repeated runs (target
//!   < 50 ms). Baseline: reading the same lot's events alone
//!   (`Store::lot_events`).
//!
//! Prints one JSON object per figure. Run: `cargo bench --bench server`.
//! `LOTLINE_BENCH_DIR` is where the databases go (default: the current
//! directory; the 10M-event SQLite trace database, several GB, is kept
//! there and reused by later runs, as is the PostgreSQL one in schema
//! `bench_trace_<events>`), `LOTLINE_BENCH_TRACE_EVENTS` overrides the
//! trace databases' size and `LOTLINE_BENCH_PG` the PostgreSQL connection
//! (default: the test database at 127.0.0.1:5432; the PostgreSQL figures
//! are skipped with their reason when it is unreachable).

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use flate2::Compression;
use flate2::write::GzEncoder;
use lotline::journal::{ChainHash, Event, EventBody, EventKind, Product, ReferenceData};
use lotline::protocol::{EventBatch, WireEvent};
use lotline::server::ingest::ValidBatch;
use lotline::server::reports;
use lotline::server::secrets::SecretHash;
use lotline::server::store::{PostgresStore, SqliteStore, Store};
use lotline::server::{AppState, Limits};

/// Concurrent devices of the ingest figures.
const DEVICES: usize = 50;
/// Events each of them uploads.
const EVENTS_PER_DEVICE: u64 = 4_000;
/// Events per upload request (a terminal's default batch).
const BATCH: usize = 500;
/// Events of the trace database.
const TRACE_EVENTS: u64 = 10_000_000;
/// Events of one lot's life in the trace database.
const EVENTS_PER_LOT: u64 = 100;
/// Products the trace database's lots belong to.
const PRODUCTS: u64 = 100;
/// Devices the trace database's events come from.
const TRACE_DEVICES: u64 = 100;
/// Timed traces.
const TRACE_RUNS: usize = 50;

fn main() {
    let dir =
        std::env::var_os("LOTLINE_BENCH_DIR").map_or_else(|| PathBuf::from("."), PathBuf::from);
    std::fs::create_dir_all(&dir).expect("bench directory");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        ingest_figure(
            "sqlite",
            sqlite_store(&dir.join("ingest-http.sqlite")).await,
            sqlite_store(&dir.join("ingest-direct.sqlite")).await,
        )
        .await;
        match postgres_stores().await {
            Ok((schemas, http, direct)) => {
                ingest_figure("postgres", http, direct).await;
                drop_schemas(&schemas).await;
            }
            Err(why) => println!(
                "{{\"figure\":\"ingest/postgres\",\"skipped\":{}}}",
                serde_json::Value::from(why)
            ),
        }
        let events = std::env::var("LOTLINE_BENCH_TRACE_EVENTS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(TRACE_EVENTS);
        trace_figure("sqlite", sqlite_trace_store(&dir, events).await, events).await;
        match postgres_trace_store(events).await {
            Ok(store) => trace_figure("postgres", store, events).await,
            Err(why) => println!(
                "{{\"figure\":\"trace/postgres\",\"skipped\":{}}}",
                serde_json::Value::from(why)
            ),
        }
    });
}

/// A fresh SQLite store at `path`.
async fn sqlite_store(path: &Path) -> Arc<dyn Store> {
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        let _ = std::fs::remove_file(file);
    }
    Arc::new(SqliteStore::open(path).await.expect("SQLite store"))
}

/// The PostgreSQL connection of the figures.
fn pg_url() -> String {
    std::env::var("LOTLINE_BENCH_PG")
        .unwrap_or_else(|_| "host=127.0.0.1 port=5432 user=postgres dbname=test".into())
}

/// Two fresh PostgreSQL stores, each in a schema of its own.
async fn postgres_stores() -> Result<(Vec<String>, Arc<dyn Store>, Arc<dyn Store>), String> {
    let base: tokio_postgres::Config = pg_url().parse().map_err(|e| format!("{e}"))?;
    let mut stores = Vec::new();
    let mut schemas = Vec::new();
    for _ in 0..2 {
        let schema = format!("bench_{}", uuid::Uuid::now_v7().simple());
        admin_sql(&format!("CREATE SCHEMA {schema}")).await?;
        let mut config = base.clone();
        config.options(format!("-c search_path={schema}"));
        let store = PostgresStore::with_config(config)
            .await
            .map_err(|e| e.to_string())?;
        stores.push(Arc::new(store) as Arc<dyn Store>);
        schemas.push(schema);
    }
    let direct = stores.pop().expect("two stores");
    let http = stores.pop().expect("two stores");
    Ok((schemas, http, direct))
}

async fn drop_schemas(schemas: &[String]) {
    for schema in schemas {
        if let Err(e) = admin_sql(&format!("DROP SCHEMA {schema} CASCADE")).await {
            eprintln!("dropping {schema}: {e}");
        }
    }
}

async fn admin_sql(statement: &str) -> Result<(), String> {
    let (client, connection) = tokio_postgres::connect(&pg_url(), tokio_postgres::NoTls)
        .await
        .map_err(|e| format!("PostgreSQL at {}: {e}", pg_url()))?;
    let driver = tokio::spawn(connection);
    let done = client
        .batch_execute(statement)
        .await
        .map_err(|e| e.to_string());
    drop(client);
    let _ = driver.await;
    done
}

/// Enrolls device `dev` in `store` with token `token-<dev>`.
async fn enroll(store: &dyn Store, dev: &str) -> String {
    let token = format!("token-{dev}");
    store
        .add_device(dev, SecretHash::of(&format!("code-{dev}")))
        .await
        .expect("add device");
    store
        .enroll(
            SecretHash::of(&format!("code-{dev}")),
            dev,
            SecretHash::of(&token),
        )
        .await
        .expect("enroll");
    token
}

/// Chains `bodies` as device `dev`'s events from seq `first`, after
/// `prev`, recorded one millisecond apart from `start`.
fn chain(
    dev: &str,
    first: u64,
    prev: &mut ChainHash,
    start: DateTime<Utc>,
    bodies: Vec<EventBody>,
) -> Vec<Event> {
    bodies
        .into_iter()
        .zip(first..)
        .map(|(body, seq)| {
            let mut event = Event {
                event_id: uuid::Uuid::now_v7(),
                device_id: dev.to_owned(),
                seq,
                recorded_at: start + chrono::Duration::milliseconds(seq as i64),
                body,
                prev_hash: *prev,
                hash: ChainHash::GENESIS,
            };
            event.hash = event.compute_hash();
            *prev = event.hash;
            event
        })
        .collect()
}

/// A device's ingest stream: receipts and picks of a few lots, as wire
/// batches.
fn device_batches(dev: &str) -> Vec<EventBatch> {
    let mut prev = ChainHash::GENESIS;
    let bodies: Vec<EventBody> = (1..=EVENTS_PER_DEVICE)
        .map(|seq| {
            let kind = if seq % 10 == 1 {
                EventKind::Receiving
            } else {
                EventKind::Picking
            };
            let mut body = EventBody::new("BADGE-1002", kind);
            body.gtin = Some(format!("0950600013{:04}", seq % 97));
            body.lot = Some(format!("L{}", seq / 10));
            body.quantity = 6;
            body.from_location = Some("A-01".into());
            body.to_location = Some("PACK".into());
            body
        })
        .collect();
    let events = chain(dev, 1, &mut prev, Utc::now(), bodies);
    events
        .chunks(BATCH)
        .map(|chunk| EventBatch {
            device_id: dev.to_owned(),
            events: chunk.iter().map(WireEvent::from).collect(),
        })
        .collect()
}

fn gzip_json(batch: &EventBatch) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    serde_json::to_writer(&mut encoder, batch).expect("encode");
    encoder.finish().expect("gzip")
}

/// Serves the API over `store` on a loopback port.
fn serve(store: Arc<dyn Store>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    let state = AppState {
        store,
        limits: Limits::default(),
    };
    tokio::spawn(lotline::server::serve(listener, state, None));
    address
}

/// Events/s and batch latencies of one run.
struct Run {
    events_per_second: f64,
    latencies: Vec<Duration>,
}

impl Run {
    fn percentile(&self, p: f64) -> f64 {
        percentile_ms(&self.latencies, p)
    }
}

/// The `p` percentile of `samples`, in milliseconds.
fn percentile_ms(samples: &[Duration], p: f64) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_unstable();
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1e3
}

/// Runs one task per device, each sending its batches in order with
/// `send`; returns the throughput and every batch's latency.
async fn concurrently<F, Fut>(per_device: Vec<Vec<(EventBatch, Vec<u8>)>>, send: F) -> Run
where
    F: Fn(String, EventBatch, Vec<u8>) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let total: usize = per_device
        .iter()
        .flatten()
        .map(|(b, _)| b.events.len())
        .sum();
    let started = Instant::now();
    let tasks: Vec<_> = per_device
        .into_iter()
        .map(|batches| {
            let send = send.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(batches.len());
                for (batch, body) in batches {
                    let at = Instant::now();
                    send(batch.device_id.clone(), batch, body).await;
                    latencies.push(at.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.expect("device task"));
    }
    Run {
        events_per_second: total as f64 / started.elapsed().as_secs_f64(),
        latencies,
    }
}

async fn ingest_figure(backend: &str, http_store: Arc<dyn Store>, direct_store: Arc<dyn Store>) {
    let mut per_device = Vec::new();
    for d in 0..DEVICES {
        let dev = format!("dev-{d:02}");
        enroll(http_store.as_ref(), &dev).await;
        enroll(direct_store.as_ref(), &dev).await;
        let batches: Vec<(EventBatch, Vec<u8>)> = device_batches(&dev)
            .into_iter()
            .map(|b| {
                let body = gzip_json(&b);
                (b, body)
            })
            .collect();
        per_device.push(batches);
    }
    let wire_bytes: usize = per_device
        .iter()
        .flatten()
        .map(|(_, body)| body.len())
        .sum();

    let address = serve(http_store);
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(DEVICES)
        .build()
        .expect("client");
    let http = concurrently(per_device.clone(), move |dev, _batch, body| {
        let client = client.clone();
        async move {
            let response = client
                .post(format!("http://{address}/v1/devices/{dev}/events"))
                .bearer_auth(format!("token-{dev}"))
                .header("content-type", "application/json")
                .header("content-encoding", "gzip")
                .body(body)
                .send()
                .await
                .expect("upload");
            assert!(response.status().is_success(), "{}", response.status());
        }
    })
    .await;

    let direct = concurrently(per_device, move |dev, batch, _body| {
        let store = Arc::clone(&direct_store);
        async move {
            let batch = ValidBatch::new(&dev, batch).expect("valid batch");
            store.ingest(batch, Utc::now()).await.expect("ingest");
        }
    })
    .await;

    let events = DEVICES as u64 * EVENTS_PER_DEVICE;
    println!(
        "{}",
        serde_json::json!({
            "figure": format!("ingest/{backend}"),
            "devices": DEVICES,
            "events": events,
            "batch": BATCH,
            "gzip_bytes_per_event": wire_bytes as f64 / events as f64,
            "events_per_second": http.events_per_second.round(),
            "batch_p50_ms": http.percentile(0.50),
            "batch_p99_ms": http.percentile(0.99),
            "target_events_per_second": 20_000,
            "baseline_store_ingest_events_per_second": direct.events_per_second.round(),
            "baseline_store_ingest_p99_ms": direct.percentile(0.99),
        })
    );
}

/// The lot number of lot `index` of the trace database.
fn lot_of(index: u64) -> (String, String) {
    (
        format!("0950600013{:04}", index % PRODUCTS),
        format!("L{index:07}"),
    )
}

/// One lot's life as terminals record it: received, put away, then
/// picked, packed into a carton of its own and shipped in it, 32 times,
/// with two counts of what is left.
fn lot_life(index: u64) -> Vec<EventBody> {
    let (gtin, lot) = lot_of(index);
    let item = |kind, quantity| {
        let mut body = EventBody::new("BADGE-1001", kind);
        body.gtin = Some(gtin.clone());
        body.lot = Some(lot.clone());
        body.quantity = quantity;
        body
    };
    let mut life = Vec::with_capacity(EVENTS_PER_LOT as usize);
    let mut receipt = item(EventKind::Receiving, 1_000);
    receipt.expiry = chrono::NaiveDate::from_ymd_opt(2027, 1 + (index % 12) as u32, 1);
    receipt.to_location = Some("DOCK".into());
    receipt.purchase_order = Some(format!("PO-{}", index / 10));
    life.push(receipt);
    let mut putaway = item(EventKind::Storing, 1_000);
    putaway.from_location = Some("DOCK".into());
    putaway.to_location = Some(format!("A-{:03}", index % 500));
    life.push(putaway);
    for shipment in 0..32 {
        let mut pick = item(EventKind::Picking, 10);
        pick.from_location = Some(format!("A-{:03}", index % 500));
        pick.to_location = Some("PACK".into());
        let sscc = format!("09506000{:010}", index * 32 + shipment);
        let mut pack = item(EventKind::Packing, 10);
        pack.sscc = Some(sscc.clone());
        pack.sales_order = Some(format!("SO-{index}-{shipment}"));
        let mut ship = item(EventKind::Shipping, 10);
        ship.sscc = Some(sscc);
        ship.sales_order = pack.sales_order.clone();
        ship.from_location = Some("PACK".into());
        ship.to_location = Some(format!("CUS-{}", shipment % 40));
        life.extend([pick, pack, ship]);
    }
    for _ in 0..2 {
        let mut count = item(EventKind::CycleCounting, 680);
        count.to_location = Some(format!("A-{:03}", index % 500));
        life.push(count);
    }
    life
}

/// The SQLite trace database with `events` events, built once and reused
/// (a marker file says it is complete).
async fn sqlite_trace_store(dir: &Path, events: u64) -> Arc<dyn Store> {
    let path = dir.join(format!("trace-{events}.sqlite"));
    let complete = path.with_extension("complete");
    if complete.exists() {
        return Arc::new(SqliteStore::open(&path).await.expect("trace store"));
    }
    let store = sqlite_store(&path).await;
    load_trace_events(store.as_ref(), events).await;
    std::fs::write(&complete, b"").expect("completion marker");
    store
}

/// The PostgreSQL trace database with `events` events in a schema of its
/// own, built once and reused (a marker table says it is complete).
async fn postgres_trace_store(events: u64) -> Result<Arc<dyn Store>, String> {
    let schema = format!("bench_trace_{events}");
    let mut config: tokio_postgres::Config = pg_url().parse().map_err(|e| format!("{e}"))?;
    config.options(format!("-c search_path={schema}"));
    let complete = admin_sql(&format!("SELECT 1 FROM {schema}.bench_complete")).await;
    if complete.is_ok() {
        let store = PostgresStore::with_config(config)
            .await
            .map_err(|e| e.to_string())?;
        return Ok(Arc::new(store));
    }
    admin_sql(&format!(
        "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
    ))
    .await?;
    let store: Arc<dyn Store> = Arc::new(
        PostgresStore::with_config(config)
            .await
            .map_err(|e| e.to_string())?,
    );
    load_trace_events(store.as_ref(), events).await;
    admin_sql(&format!(
        "ANALYZE {schema}.events; CREATE TABLE {schema}.bench_complete ()"
    ))
    .await?;
    Ok(store)
}

/// Stores `events` events of lives of lots (100 events each) from
/// [`TRACE_DEVICES`] devices, with the products they name.
async fn load_trace_events(store: &dyn Store, events: u64) {
    let products = (0..PRODUCTS)
        .map(|p| Product {
            gtin: format!("0950600013{p:04}"),
            description: format!("Product {p}"),
            unit: "EA".into(),
            lot_tracked: true,
            expiry_tracked: true,
            min_shelf_life_receipt_days: None,
            min_shelf_life_shipment_days: None,
        })
        .collect();
    store
        .put_reference(&ReferenceData {
            products,
            ..ReferenceData::default()
        })
        .await
        .expect("reference");
    let lots = events / EVENTS_PER_LOT;
    let started = Instant::now();
    for d in 0..TRACE_DEVICES {
        let dev = format!("site-{d:03}");
        enroll(store, &dev).await;
        let mut prev = ChainHash::GENESIS;
        let mut seq = 1;
        let mut lot = d;
        while lot < lots {
            let bodies: Vec<EventBody> = (lot..lots)
                .step_by(TRACE_DEVICES as usize)
                .take(50)
                .flat_map(lot_life)
                .collect();
            lot += 50 * TRACE_DEVICES;
            let chunk = chain(&dev, seq, &mut prev, Utc::now(), bodies);
            seq += chunk.len() as u64;
            let batch = EventBatch {
                device_id: dev.clone(),
                events: chunk.iter().map(WireEvent::from).collect(),
            };
            store
                .ingest(ValidBatch::new(&dev, batch).expect("valid"), Utc::now())
                .await
                .expect("ingest");
        }
        if (d + 1) % 10 == 0 {
            eprintln!(
                "trace database: {} of {TRACE_DEVICES} devices loaded ({:.0} s)",
                d + 1,
                started.elapsed().as_secs_f64()
            );
        }
    }
}

/// The trace figure of `backend` over `store`, holding `events` events.
async fn trace_figure(backend: &str, store: Arc<dyn Store>, events: u64) {
    let (gtin, lot) = lot_of(events / EVENTS_PER_LOT / 2);
    let report = reports::lot_trace(store.as_ref(), &gtin, Some(&lot))
        .await
        .expect("trace");
    assert_eq!(
        report.shipments.len(),
        32,
        "every carton of the lot was shipped"
    );
    assert_eq!(report.stock.iter().map(|s| s.quantity).sum::<i64>(), 680);

    let mut traces = Vec::with_capacity(TRACE_RUNS);
    let mut reads = Vec::with_capacity(TRACE_RUNS);
    for _ in 0..TRACE_RUNS {
        let at = Instant::now();
        let report = reports::lot_trace(store.as_ref(), &gtin, Some(&lot))
            .await
            .expect("trace");
        traces.push(at.elapsed());
        std::hint::black_box(report);
        let at = Instant::now();
        let read = store.lot_events(&gtin, Some(&lot)).await.expect("read");
        reads.push(at.elapsed());
        std::hint::black_box(read);
    }
    println!(
        "{}",
        serde_json::json!({
            "figure": format!("trace/{backend}"),
            "events_stored": events,
            "lot_events": EVENTS_PER_LOT,
            "shipments": report.shipments.len(),
            "trace_p50_ms": percentile_ms(&traces, 0.50),
            "trace_p99_ms": percentile_ms(&traces, 0.99),
            "target_ms": 50,
            "baseline_read_lot_events_p50_ms": percentile_ms(&reads, 0.50),
            "baseline_read_lot_events_p99_ms": percentile_ms(&reads, 0.99),
        })
    );
}
