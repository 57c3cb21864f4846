//! Scan latency through the whole terminal path, beside the journal alone,
//! in the same run (absolute times on shared machines drift; ratios do not):
//!
//! * scan → durable: a GS1 label written to a pseudo-terminal as a serial
//!   scanner sends it (with a CR suffix) → framed by the serial device
//!   thread → forwarded to the engine thread → decoded, checked and
//!   appended to the journal with `fsync` → answered. p50 / p99 from the
//!   write to the answer;
//! * baseline: a durable single-event append p50 / p99 on a journal in the
//!   same directory, with no device, decoder or engine in front of it.
//!
//! The journal starts with the demo warehouse; each scan receives one unit
//! of a new lot. Prints one JSON object per figure. Run:
//! `cargo bench --bench devices`. `LOTLINE_BENCH_SCANS` sets the number of
//! scans (default 500) and `LOTLINE_BENCH_DIR` the directory (default: the
//! current one, so that fsync hits a real disk rather than a tmpfs).

use std::io::Write;
use std::thread;
use std::time::{Duration, Instant};

use chrono::Utc;
use crossbeam_channel::{Receiver, Sender};
use lotline::cli::demo_data;
use lotline::devices::config::SerialConfig;
use lotline::devices::{DeviceEvent, DevicesConfig, Supervisor};
use lotline::journal::{EventBody, EventKind, Journal};
use lotline::workflow::{Action, Engine, EngineWorker, Input, Level};
use lotline::workflow_config::WorkflowConfig;
use serialport::{SerialPort, TTYPort};

/// The demo yoghurt.
const GTIN: &str = "09506000134352";

/// p50 and p99 of `samples`, in microseconds.
fn percentiles(samples: &mut [Duration]) -> (f64, f64) {
    samples.sort_unstable();
    let at = |q: f64| {
        let index = ((samples.len() as f64 - 1.0) * q).round() as usize;
        samples[index].as_secs_f64() * 1e6
    };
    (at(0.50), at(0.99))
}

/// An engine over a demo-warehouse journal in `dir`, signed in and
/// receiving blind.
fn receiving_engine(dir: &std::path::Path) -> Engine {
    let mut journal = Journal::open(dir.join("terminal.sqlite")).expect("journal");
    let now = Utc::now();
    demo_data::load(&mut journal, now.date_naive(), now).expect("demo data");
    let settings = WorkflowConfig::default().settings().expect("settings");
    let mut engine = Engine::new(journal, settings);
    assert_eq!(engine.scan("BADGE-1001", now).level, Level::Ok);
    let receive = engine.act(Action::Receive { po: None }, now);
    assert_eq!(receive.level, Level::Ok, "{receive:?}");
    engine
}

/// Forwards the device thread's scans to the engine thread.
fn forward(events: Receiver<DeviceEvent>, engine: Sender<Input>) {
    for event in events {
        if let DeviceEvent::Scan(read) = event {
            let data = read.text().expect("UTF-8 scan").to_owned();
            let input = Input::Scan {
                data,
                at: read.at.wall,
            };
            if engine.send(input).is_err() {
                return;
            }
        }
    }
}

/// Latency of `scans` labels from the pty write to the engine's answer.
fn scan_to_durable(dir: &std::path::Path, scans: usize) -> Vec<Duration> {
    let (mut master, slave) = TTYPort::pair().expect("pseudo-terminal pair");
    master
        .set_timeout(Duration::from_millis(100))
        .expect("timeout");
    let path = slave.name().expect("pty name");
    let (answers, answered) = crossbeam_channel::unbounded();
    let worker = EngineWorker::spawn(receiving_engine(dir), move |_, feedback, _| {
        let _ = answers.send((Instant::now(), feedback));
    })
    .expect("engine thread");
    let config = DevicesConfig {
        serial: vec![SerialConfig::at_path("bench", &path)],
        ..DevicesConfig::default()
    };
    let (device_events, events) = crossbeam_channel::unbounded();
    let supervisor = Supervisor::start(&config, device_events).expect("supervisor");
    let inputs = worker.inputs();
    let forwarder = thread::spawn(move || forward(events, inputs));
    // Let the device thread open the port before timing starts.
    thread::sleep(Duration::from_millis(300));
    let mut samples = Vec::with_capacity(scans);
    for n in 0..scans {
        let label = format!("(01){GTIN}(17)271231(30)1(10)B{n:05}\r");
        let start = Instant::now();
        master
            .write_all(label.as_bytes())
            .expect("write to the pty");
        let (done, feedback) = answered
            .recv_timeout(Duration::from_secs(10))
            .expect("an answer for every scan");
        assert_eq!(feedback.level, Level::Ok, "{feedback:?}");
        samples.push(done - start);
    }
    supervisor.stop();
    forwarder.join().expect("forwarder");
    let engine = worker.stop().expect("engine thread");
    assert!(engine.journal().last_seq() >= scans as u64);
    drop(slave);
    samples
}

/// Durable single appends of the same kind of event, nothing in front.
fn journal_only(dir: &std::path::Path, appends: usize) -> Vec<Duration> {
    let mut journal = Journal::open(dir.join("baseline.sqlite")).expect("journal");
    (0..appends)
        .map(|n| {
            let mut body = EventBody::new("BADGE-1001", EventKind::Receiving);
            body.gtin = Some(GTIN.into());
            body.lot = Some(format!("B{n:05}"));
            body.to_location = Some("DOCK".into());
            let start = Instant::now();
            journal.append(Utc::now(), body).expect("append");
            start.elapsed()
        })
        .collect()
}

fn main() {
    let scans: usize = std::env::var("LOTLINE_BENCH_SCANS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let base = std::env::var("LOTLINE_BENCH_DIR").unwrap_or_else(|_| ".".into());
    let dir = tempfile::tempdir_in(base).expect("bench dir");
    let mut through = scan_to_durable(dir.path(), scans);
    let mut baseline = journal_only(dir.path(), scans);
    let (scan_p50, scan_p99) = percentiles(&mut through);
    let (append_p50, append_p99) = percentiles(&mut baseline);
    println!(
        "{{\"figure\":\"scan_to_durable_us\",\"scans\":{scans},\"p50\":{scan_p50:.0},\"p99\":{scan_p99:.0}}}"
    );
    println!(
        "{{\"figure\":\"journal_append_us\",\"appends\":{scans},\"p50\":{append_p50:.0},\"p99\":{append_p99:.0}}}"
    );
    println!(
        "{{\"figure\":\"scan_p99_over_append_p99\",\"ratio\":{:.2}}}",
        scan_p99 / append_p99
    );
}
