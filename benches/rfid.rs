//! RFID burst throughput: a dock read of 1,000 distinct SGTIN tags plus
//! 20,000 repeat reads, as the raw bytes a Mercury reader sends (Get Tag
//! Buffer responses), pushed through framing, tag-record parsing, the
//! dedupe window, the burst that ends when the field goes quiet and EPC
//! decoding with (GTIN, count) grouping.
//!
//! Target: >= 50,000 reads/s. Baseline in the same run: copying the same
//! bytes in the same 64-byte USB chunks and running the frame CRC over
//! them, the least any decoder must do.
//!
//! Prints one JSON object per figure. Run: `cargo bench --bench rfid`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::Utc;
use lotline::devices::rfid::burst::Bursts;
use lotline::devices::rfid::command::MetadataFlags;
use lotline::devices::rfid::crc::message_crc;
use lotline::devices::rfid::frame::{Direction, Framer};
use lotline::devices::rfid::pallet::summarise;
use lotline::devices::rfid::simulator::{SimTag, tag_buffer_frames};
use lotline::devices::rfid::tag::{TagRecord, parse_tag_buffer, pc_for};

const DISTINCT: usize = 1_000;
const REPEATS: usize = 20_000;
const PRODUCTS: usize = 10;
const CHUNK: usize = 64;
const RUNS: usize = 7;

fn epc_bytes(product: usize, serial: usize) -> Vec<u8> {
    let uri = format!(
        "urn:epc:tag:sgtin-96:1.0614141.{:06}.{serial}",
        812_000 + product
    );
    SimTag::from_tag_uri(&uri, 0, 1).expect("valid SGTIN").epc
}

/// The burst: every tag once, then 20,000 repeats in a fixed
/// pseudo-random order, with RSSI and antenna varying.
fn burst() -> Vec<TagRecord> {
    let epcs: Vec<Vec<u8>> = (0..DISTINCT)
        .map(|i| epc_bytes(i % PRODUCTS, i / PRODUCTS))
        .collect();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..DISTINCT)
        .chain((0..REPEATS).map(|_| (next() % DISTINCT as u64) as usize))
        .enumerate()
        .map(|(k, i)| TagRecord {
            pc: pc_for(epcs[i].len()),
            epc: epcs[i].clone(),
            rssi: -35 - (k % 40) as i8,
            antenna: 1 + (k % 2) as u8,
            read_count: 1,
            reader_timestamp: Some(k as u32),
        })
        .collect()
}

/// The full host path over `bytes`; returns the (GTIN, count) groups'
/// total, which must be the number of distinct tags.
fn pipeline(bytes: &[u8]) -> usize {
    let start = Instant::now();
    let start_utc = Utc::now();
    let mut framer = Framer::new(Direction::FromReader);
    let gap = Duration::from_millis(500);
    let mut bursts = Bursts::new(Duration::from_secs(2), gap);
    let mut records = Vec::with_capacity(16);
    let mut reads = 0u64;
    for chunk in bytes.chunks(CHUNK) {
        framer.push(chunk);
        while let Some(frame) = framer.next_frame() {
            records.clear();
            parse_tag_buffer(&frame.data, &mut records).expect("valid records");
            for record in &records {
                let now = start + Duration::from_micros(reads * 10);
                bursts.observe(record, now, start_utc);
                reads += 1;
            }
        }
    }
    let quiet = start + Duration::from_micros(reads * 10) + gap;
    let aggregated = bursts
        .poll(quiet)
        .expect("the burst ends when the field is quiet");
    let summary = summarise(&aggregated);
    summary.groups.iter().map(|g| g.count()).sum()
}

/// The baseline: the same bytes copied in the same chunks with the frame
/// CRC run over them.
fn baseline(bytes: &[u8]) -> u16 {
    let mut copy = Vec::with_capacity(bytes.len());
    let mut crc = 0u16;
    for chunk in bytes.chunks(CHUNK) {
        copy.extend_from_slice(chunk);
        crc ^= message_crc(chunk);
    }
    black_box(copy);
    crc
}

fn best_of(runs: usize, mut f: impl FnMut()) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    let records = burst();
    let bytes = tag_buffer_frames(&records, MetadataFlags::INVENTORY);
    let reads = records.len() as f64;
    eprintln!(
        "burst: {} reads of {DISTINCT} tags in {} bytes",
        records.len(),
        bytes.len()
    );
    assert_eq!(pipeline(&bytes), DISTINCT, "every tag counted once");

    let full = best_of(RUNS, || {
        black_box(pipeline(black_box(&bytes)));
    });
    let floor = best_of(RUNS, || {
        black_box(baseline(black_box(&bytes)));
    });
    let rate = reads / full.as_secs_f64();
    let floor_rate = reads / floor.as_secs_f64();
    println!(
        "{}",
        serde_json::json!({
            "bench": "rfid",
            "figure": "burst_reads_per_s",
            "value": rate,
            "unit": "reads/s",
            "baseline": "copy_and_frame_crc_reads_per_s",
            "baseline_value": floor_rate,
            "ratio": rate / floor_rate,
            "target": ">= 50000 reads/s",
        })
    );
}
