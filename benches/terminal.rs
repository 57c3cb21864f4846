//! The terminal's start-up on a 1,000,000-event journal: process start to
//! ready to scan (the sign-in screen drawn, the engine and its journal open
//! on their thread) and resident memory, each beside baselines measured in
//! the same run:
//!
//! * the same start on an empty journal (what the journal's size costs; an
//!   empty journal also draws the demo-warehouse offer over the sign-in
//!   screen, which costs more than the sign-in screen alone);
//! * a process that starts and exits at once (what starting a process of
//!   this size costs on this machine).
//!
//! Targets: start to ready < 300 ms, resident memory < 60 MB. The window is
//! drawn by Slint's software renderer into memory (no display needed), as
//! the LinuxKMS kiosk does on a handheld.
//!
//! Run: `cargo bench --bench terminal`. Prints one JSON object per figure.
//! `LOTLINE_BENCH_DIR` keeps the 1,000,000-event journal between runs
//! (default: a temporary directory); `LOTLINE_BENCH_EVENTS` changes its
//! size.

#[path = "support/synthetic.rs"]
mod synthetic;
#[path = "../tests/ui_driver/mod.rs"]
mod ui_driver;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::rc::Rc;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use lotline::devices::DevicesConfig;
use lotline::journal::{self, Journal};
use lotline::ui::{Terminal, TerminalOptions};
use slint::ComponentHandle;

/// The environment variable that makes this binary the measured child.
const CHILD: &str = "LOTLINE_BENCH_TERMINAL_CHILD";
/// Starts of each kind.
const RUNS: usize = 9;

fn main() {
    if let Ok(data_dir) = std::env::var(CHILD) {
        child(Path::new(&data_dir));
    }
    let total: u64 = std::env::var("LOTLINE_BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let scratch = tempfile::tempdir().expect("temp dir");
    let base = std::env::var_os("LOTLINE_BENCH_DIR")
        .map_or_else(|| scratch.path().to_owned(), PathBuf::from);
    let full = base.join(format!("terminal-{total}"));
    build_journal(&full, total);
    let empty = scratch.path().join("empty");

    let exit = starts(None);
    let on_empty = starts(Some(&empty));
    let on_full = starts(Some(&full));
    let p50 = |s: &[Start]| millis(s[s.len() / 2].ready);
    let max = |s: &[Start]| millis(s[s.len() - 1].ready);
    let rss = |s: &[Start]| s.iter().map(|s| s.rss_kib).max().unwrap_or(0) as f64 / 1024.0;
    let figures: [(&str, &Figure, &str, &str); 3] = [
        ("start to ready, p50", &p50, "ms", "< 300 ms"),
        ("start to ready, max", &max, "ms", "< 300 ms"),
        ("peak resident memory", &rss, "MiB", "< 60 MB"),
    ];
    for (figure, of, unit, target) in figures {
        let baselines = [
            ("same start, empty journal", of(&on_empty)),
            ("process start and exit", of(&exit)),
        ];
        report(figure, of(&on_full), unit, &baselines, target);
    }
    eprintln!("journal: {total} events in {}", full.display());
}

/// A figure read from a set of starts.
type Figure = dyn Fn(&[Start]) -> f64;

/// One measured start.
struct Start {
    /// From spawning the process to its "ready" line.
    ready: Duration,
    /// Its peak resident memory (VmHWM) when ready.
    rss_kib: u64,
}

/// [`RUNS`] starts of the child over `data_dir` (None: start and exit),
/// sorted by time to ready.
fn starts(data_dir: Option<&Path>) -> Vec<Start> {
    let exe = std::env::current_exe().expect("this benchmark's path");
    let mut starts: Vec<Start> = (0..RUNS)
        .map(|_| {
            let began = Instant::now();
            let mut command = Command::new(&exe);
            match data_dir {
                Some(dir) => command.env(CHILD, dir),
                None => command.env(CHILD, ""),
            };
            let mut child = command
                .stdout(Stdio::piped())
                .spawn()
                .expect("start the child");
            let mut line = String::new();
            BufReader::new(child.stdout.take().expect("stdout"))
                .read_line(&mut line)
                .expect("read the ready line");
            let ready = began.elapsed();
            let status = child.wait().expect("child ends");
            assert!(status.success(), "the child failed: {line}");
            let rss_kib = line
                .strip_prefix("ready ")
                .and_then(|kib| kib.trim().parse().ok())
                .unwrap_or_else(|| panic!("not a ready line: {line:?}"));
            Start { ready, rss_kib }
        })
        .collect();
    starts.sort_by_key(|s| s.ready);
    starts
}

/// The measured process: opens the terminal over `data_dir` as `lotline`
/// does (empty: exits at once), draws the first screen, and prints `ready`
/// with its peak resident memory in KiB.
fn child(data_dir: &Path) -> ! {
    if data_dir.as_os_str().is_empty() {
        println!("ready {}", peak_rss_kib());
        std::process::exit(0);
    }
    let window = ui_driver::offscreen(480, 800);
    let options = TerminalOptions {
        data_dir: data_dir.to_owned(),
        config_path: data_dir.join("lotline.toml"),
        workflow: lotline::workflow_config::WorkflowConfig::default()
            .settings()
            .expect("settings"),
        devices: DevicesConfig::default(),
        sync: lotline::sync::SyncConfig::default().service_settings(),
        language: None,
        sound: false,
    };
    let terminal = Terminal::open(options, Rc::new(Utc::now), Rc::new(Instant::now))
        .expect("the terminal opens");
    terminal.window().show().expect("shown");
    terminal.start_background().expect("background");
    let pixels = ui_driver::draw(&window);
    assert!(
        pixels
            .iter()
            .any(|p| p.red > 0 || p.green > 0 || p.blue > 0),
        "drawn"
    );
    println!("ready {}", peak_rss_kib());
    // Measured; the teardown is not.
    std::process::exit(0);
}

/// VmHWM from /proc/self/status.
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status.lines().find_map(|line| {
                line.strip_prefix("VmHWM:")
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            })
        })
        .unwrap_or(0)
}

/// The journal of `total` synthetic events in `dir`, built unless a
/// previous run left it there.
fn build_journal(dir: &Path, total: u64) {
    let path = dir.join(journal::FILE_NAME);
    if path.exists() {
        let journal = Journal::open(&path).expect("open the kept journal");
        if journal.last_seq() == total {
            return;
        }
        drop(journal);
        std::fs::remove_dir_all(dir).expect("remove the incomplete journal");
    }
    std::fs::create_dir_all(dir).expect("journal dir");
    let gtins: Vec<String> = (0..synthetic::GTINS).map(synthetic::gtin).collect();
    let at = Utc.with_ymd_and_hms(2026, 11, 25, 8, 0, 0).unwrap();
    let mut journal = Journal::open(&path).expect("journal");
    let build = Instant::now();
    let mut i = 0;
    while i < total {
        let n = 10_000.min(total - i);
        journal
            .append_batch(at, (i..i + n).map(|k| synthetic::event(k, &gtins)))
            .expect("build journal");
        i += n;
    }
    eprintln!("built a {total}-event journal in {:?}", build.elapsed());
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn report(figure: &str, value: f64, unit: &str, baselines: &[(&str, f64)], target: &str) {
    let baselines: serde_json::Map<String, serde_json::Value> = baselines
        .iter()
        .map(|(name, v)| {
            (
                (*name).to_owned(),
                serde_json::json!((v * 100.0).round() / 100.0),
            )
        })
        .collect();
    println!(
        "{}",
        serde_json::json!({
            "bench": "terminal",
            "figure": figure,
            "value": (value * 100.0).round() / 100.0,
            "unit": unit,
            "baselines": baselines,
            "target": target,
        })
    );
}
