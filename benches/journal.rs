//! Journal performance on a 1,000,000-event journal, each figure beside a
//! baseline measured in the same run (absolute times on shared machines
//! drift; ratios do not):
//!
//! * single-event durable append p50 / p99 vs raw `fdatasync` p99 on a file
//!   in the same directory (target: p99 ≤ 2 × fsync p99);
//! * burst append events/s vs a bare rusqlite prepared-insert loop of the
//!   same rows (target: ≥ 100,000 events/s); the burst is an RFID read (10
//!   products, one lot each, a serial per tag) appended to the large journal;
//! * FEFO query and lot lookup p99 (target: < 1 ms).
//!
//! Prints one JSON object per figure. Run: `cargo bench --bench journal`.
//! `LOTLINE_BENCH_EVENTS` changes the journal size (default 1,000,000) and
//! `LOTLINE_BENCH_DIR` the directory (default: the current one, so that
//! fsync hits a real disk rather than a tmpfs).

use std::fs::File;
use std::hint::black_box;
use std::io::Write;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, TimeZone, Utc};
use lotline::journal::{EventBody, EventKind, Journal};

#[path = "support/synthetic.rs"]
mod synthetic;

use synthetic::{GTINS, LOTS_PER_GTIN, event, gtin};

/// The k-th event of a burst as the terminal sees one: an RFID read of a
/// dock full of pallets, 10 products with one lot each, every tag its own
/// serial.
fn rfid_read(k: u64, gtins: &[String]) -> EventBody {
    let product = k % 10;
    let mut b = EventBody::new("bench", EventKind::Receiving);
    b.gtin = Some(gtins[product as usize].clone());
    b.lot = Some(format!("RFID{product:02}"));
    b.expiry = NaiveDate::from_ymd_opt(2027, 6, 30);
    b.serial = Some(k.to_string());
    b.to_location = Some("DOCK".into());
    b
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort_unstable();
    let index = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[index]
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn report(figure: &str, value: f64, unit: &str, baseline: &str, baseline_value: f64, target: &str) {
    println!(
        "{}",
        serde_json::json!({
            "bench": "journal",
            "figure": figure,
            "value": value,
            "unit": unit,
            "baseline": baseline,
            "baseline_value": baseline_value,
            "ratio": value / baseline_value,
            "target": target,
        })
    );
}

/// Raw fdatasync latencies: a small write then `sync_data`, as an append's
/// commit does.
fn fdatasync_samples(dir: &std::path::Path, n: usize) -> Vec<Duration> {
    let mut file = File::create(dir.join("fsync-baseline")).expect("baseline file");
    (0..n)
        .map(|i| {
            let start = Instant::now();
            file.write_all(&[i as u8; 256]).expect("write");
            file.sync_data().expect("fdatasync");
            start.elapsed()
        })
        .collect()
}

/// The bare-rusqlite baseline: the same rows through one prepared INSERT
/// into a table with the same columns, one transaction.
fn bare_insert_rate(dir: &std::path::Path, bodies: &[EventBody]) -> f64 {
    let mut conn = rusqlite::Connection::open(dir.join("baseline.sqlite")).expect("baseline db");
    conn.execute_batch(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
         CREATE TABLE events (seq INTEGER PRIMARY KEY, operator TEXT, kind TEXT, gtin TEXT,
           lot TEXT, expiry TEXT, serial TEXT, quantity INTEGER, unit TEXT, from_location TEXT,
           to_location TEXT, hash BLOB);",
    )
    .expect("baseline schema");
    let start = Instant::now();
    let tx = conn.transaction().expect("tx");
    {
        let mut stmt = tx
            .prepare(
                "INSERT INTO events (operator, kind, gtin, lot, expiry, serial, quantity, unit, \
                 from_location, to_location, hash) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )
            .expect("prepare");
        for b in bodies {
            stmt.execute(rusqlite::params![
                b.operator,
                b.kind.as_str(),
                b.gtin,
                b.lot,
                b.expiry.map(|d| d.to_string()),
                b.serial,
                b.quantity,
                b.unit,
                b.from_location,
                b.to_location,
                [0u8; 32],
            ])
            .expect("insert");
        }
    }
    tx.commit().expect("commit");
    bodies.len() as f64 / start.elapsed().as_secs_f64()
}

/// The query baseline: one primary-key lookup in the stock table through a
/// bare rusqlite connection on the same file.
fn point_query_samples(path: &std::path::Path, gtins: &[String], n: u64) -> Vec<Duration> {
    let conn = rusqlite::Connection::open(path).expect("second connection");
    let mut stmt = conn
        .prepare("SELECT quantity FROM stock WHERE gtin = ?1 AND lot = ?2 AND location = ?3")
        .expect("prepare");
    (0..n)
        .map(|k| {
            let g = &gtins[((k * 7919) % GTINS) as usize];
            let lot = format!("LOT{:03}", k % LOTS_PER_GTIN);
            let start = Instant::now();
            let q: Option<i64> = stmt
                .query_row(rusqlite::params![g, lot, "DOCK"], |r| r.get(0))
                .ok();
            black_box(q);
            start.elapsed()
        })
        .collect()
}

fn main() {
    let total: u64 = std::env::var("LOTLINE_BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let base = std::env::var("LOTLINE_BENCH_DIR").unwrap_or_else(|_| ".".into());
    let dir = tempfile::tempdir_in(base).expect("bench dir");
    let gtins: Vec<String> = (0..GTINS).map(gtin).collect();
    let at = Utc.with_ymd_and_hms(2026, 11, 25, 8, 0, 0).unwrap();
    let mut journal = Journal::open(dir.path().join("journal.sqlite")).expect("journal");

    // Build the journal with the burst path, 10,000 events per transaction.
    let build = Instant::now();
    let mut i = 0;
    while i < total {
        let n = 10_000.min(total - i);
        journal
            .append_batch(at, (i..i + n).map(|k| event(k, &gtins)))
            .expect("build journal");
        i += n;
    }
    eprintln!("built a {total}-event journal in {:?}", build.elapsed());

    // Burst append vs bare prepared inserts of the same rows.
    let burst: Vec<EventBody> = (0..100_000).map(|k| rfid_read(k, &gtins)).collect();
    let start = Instant::now();
    journal.append_batch(at, burst.clone()).expect("burst");
    let burst_rate = burst.len() as f64 / start.elapsed().as_secs_f64();
    let bare_rate = bare_insert_rate(dir.path(), &burst);
    report(
        "burst_append_events_per_s",
        burst_rate,
        "events/s",
        "bare_rusqlite_insert_events_per_s",
        bare_rate,
        ">= 100000 events/s",
    );

    // Single durable appends vs raw fdatasync.
    let n = 300;
    let fsync_p99 = percentile(&mut fdatasync_samples(dir.path(), n), 0.99);
    let mut appends: Vec<Duration> = (0..n as u64)
        .map(|k| {
            let body = event(total + 100_000 + k, &gtins);
            let start = Instant::now();
            journal.append(at, body).expect("append");
            start.elapsed()
        })
        .collect();
    let p50 = percentile(&mut appends, 0.50);
    let p99 = percentile(&mut appends, 0.99);
    report(
        "single_append_p50_us",
        micros(p50),
        "us",
        "fdatasync_p99_us",
        micros(fsync_p99),
        "",
    );
    report(
        "single_append_p99_us",
        micros(p99),
        "us",
        "fdatasync_p99_us",
        micros(fsync_p99),
        "<= 2 x fdatasync p99",
    );

    // Queries on the large journal.
    let today = NaiveDate::from_ymd_opt(2027, 3, 15).expect("date");
    let queries = 2_000u64;
    let mut fefo: Vec<Duration> = (0..queries)
        .map(|k| {
            let g = &gtins[((k * 7919) % GTINS) as usize];
            let start = Instant::now();
            black_box(
                journal
                    .fefo_candidates(g, today, Some("S-07"))
                    .expect("fefo"),
            );
            start.elapsed()
        })
        .collect();
    let mut lookups: Vec<Duration> = (0..queries)
        .map(|k| {
            let g = &gtins[((k * 7919) % GTINS) as usize];
            let lot = format!("LOT{:03}", k % LOTS_PER_GTIN);
            let start = Instant::now();
            black_box(journal.lot_lookup(g, Some(&lot)).expect("lookup"));
            start.elapsed()
        })
        .collect();
    let fefo_p99 = percentile(&mut fefo, 0.99);
    let lookup_p99 = percentile(&mut lookups, 0.99);
    let point_p99 = percentile(
        &mut point_query_samples(journal.path(), &gtins, queries),
        0.99,
    );
    report(
        "fefo_query_p99_us",
        micros(fefo_p99),
        "us",
        "bare_point_query_p99_us",
        micros(point_p99),
        "< 1000 us",
    );
    report(
        "lot_lookup_p99_us",
        micros(lookup_p99),
        "us",
        "bare_point_query_p99_us",
        micros(point_p99),
        "< 1000 us",
    );
}
