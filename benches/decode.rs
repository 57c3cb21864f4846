//! Decoding throughput on one core over a mixed corpus of what a warehouse
//! scans: GS1-128, GS1 DataMatrix, bracketed element strings, Digital Link
//! URIs, retail numbers, RFID EPCs and plain text labels.
//!
//! The target (DESIGN.md) is at least 1,000,000 scans/s. Absolute times on a
//! shared machine drift, so the same run also measures a baseline, copying
//! each input into a fresh `String` (the least any decoder must do), and
//! prints the ratio.
//!
//! Run: `cargo bench --bench decode`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use lotline::scan::{self, DecodeOptions};

/// The mixed corpus; each entry is decoded in turn.
const CORPUS: &[&str] = &[
    "]C1010950600013435217261231\u{1d}10ABC123",
    "]d201095060001343521726123110LOT-42\u{1d}21SN0001",
    "]C100106141411234567897",
    "]Q3010950600013435210A1B2C3\u{1d}3103000525",
    "(01)09506000134352(17)261231(10)ABC123",
    "]e001095060001343521511063010ABC\u{1d}3012",
    "]Q1https://id.gs1.org/01/09506000134352/10/ABC123?17=261231",
    "]E04006381333931",
    "]E496385074",
    "10614141000415",
    "epc:3074257BF7194E4000001A85",
    "LOC-A-01-03",
    "BADGE:4711",
    "PO-2026-000123",
];

fn measure(corpus: &[&str], budget: Duration, mut work: impl FnMut(&str)) -> (u64, Duration) {
    let start = Instant::now();
    let mut count = 0u64;
    while start.elapsed() < budget {
        for _ in 0..100 {
            for data in corpus {
                work(data);
            }
        }
        count += 100 * corpus.len() as u64;
    }
    (count, start.elapsed())
}

fn main() {
    let options = DecodeOptions {
        today: NaiveDate::from_ymd_opt(2026, 11, 25).expect("valid date"),
    };
    let mut failures = 0;
    for data in CORPUS {
        if let Err(e) = scan::decode(data, &options) {
            eprintln!("corpus entry {data:?} does not decode: {e}");
            failures += 1;
        }
    }
    assert_eq!(failures, 0, "the corpus must decode cleanly");

    let budget = Duration::from_secs(2);
    // Warm up caches and the allocator.
    measure(CORPUS, Duration::from_millis(200), |d| {
        black_box(scan::decode(black_box(d), &options).ok());
    });
    let (base_n, base_t) = measure(CORPUS, budget, |d| {
        black_box(String::from(black_box(d)));
    });
    let (n, t) = measure(CORPUS, budget, |d| {
        black_box(scan::decode(black_box(d), &options).ok());
    });

    let rate = n as f64 / t.as_secs_f64();
    let base_rate = base_n as f64 / base_t.as_secs_f64();
    println!("decode: {n} scans in {t:.2?} = {rate:.0} scans/s on one core");
    println!("baseline (copy each input into a String): {base_rate:.0} inputs/s");
    println!(
        "decode costs {:.1}x the baseline copy; mean {:.0} ns per scan",
        base_rate / rate,
        t.as_nanos() as f64 / n as f64
    );
    let verdict = if rate >= 1_000_000.0 {
        "meets"
    } else {
        "MISSES"
    };
    println!("target >= 1,000,000 scans/s: {verdict}");
}
