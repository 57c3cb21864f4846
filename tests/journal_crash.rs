//! Crash safety: a child process appends events (single and bursts) and
//! prints each acknowledged seq and hash; the test SIGKILLs it at random
//! moments, at least 50 times, and after every kill checks that every
//! acknowledged event is there with the acknowledged hash, that seq is
//! contiguous, that the chain verifies and that `integrity_check` is ok.
//!
//! The child is this same test binary, re-executed with an environment
//! variable that turns `child_appender` into the appending loop.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use chrono::Utc;
use lotline::journal::{EventBody, EventKind, Journal};

const CHILD_ENV: &str = "LOTLINE_CRASH_CHILD_JOURNAL";
const KILLS: usize = 50;

fn receipt(i: u64) -> EventBody {
    let mut b = EventBody::new("crash-test", EventKind::Receiving);
    b.gtin = Some("09506000134352".into());
    b.lot = Some(format!("L{}", i % 17));
    b.quantity = i64::try_from(i % 9 + 1).unwrap_or(1);
    b.to_location = Some(format!("DOCK-{}", i % 3));
    b
}

/// In the child: append forever, alternating single events and bursts,
/// printing `acked <seq> <hash>` after each commit.
#[test]
fn child_appender() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return; // Not the child: nothing to do.
    };
    let mut journal = Journal::open(&path).expect("child: open journal");
    let out = std::io::stdout();
    let mut i = journal.last_seq();
    loop {
        let burst = usize::try_from(i % 4).unwrap_or(0) * 5 + 1;
        let events = journal
            .append_batch(Utc::now(), (0..burst as u64).map(|k| receipt(i + k)))
            .expect("child: append");
        let mut lock = out.lock();
        for e in &events {
            writeln!(lock, "acked {} {}", e.seq, e.hash).expect("child: stdout");
        }
        lock.flush().expect("child: flush");
        i += burst as u64;
    }
}

/// A small xorshift generator: random kill moments without a dependency.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn run_and_kill(path: &Path, delay: Duration) -> Vec<(u64, String)> {
    let mut child = Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--exact",
            "child_appender",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn child");
    let stdout = child.stdout.take().expect("child stdout");
    let (tx, rx) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(rest) = line.strip_prefix("acked ") {
                let (seq, hash) = rest.split_once(' ').expect("seq and hash");
                let _ = tx.send((seq.parse::<u64>().expect("seq"), hash.to_owned()));
            }
        }
    });
    std::thread::sleep(delay);
    child.kill().expect("SIGKILL the child"); // SIGKILL on Unix
    child.wait().expect("reap the child");
    reader.join().expect("reader thread");
    rx.into_iter().collect()
}

#[test]
fn acknowledged_events_survive_sigkill() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("journal.sqlite");
    let seed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0x9e37_79b9, |d| d.as_nanos() as u64)
        | 1;
    let mut rng = Rng(seed);
    let started = Instant::now();
    let mut acked_total = 0usize;
    let mut acked: Vec<(u64, String)> = Vec::new();
    for round in 0..KILLS {
        let delay = Duration::from_millis(20 + rng.below(120));
        acked.extend(run_and_kill(&path, delay));
        let context = format!("seed {seed}, round {round}, delay {delay:?}");
        if !path.exists() {
            assert!(
                acked.is_empty(),
                "{context}: acknowledged events but no file"
            );
            continue;
        }
        let journal = Journal::open(&path).unwrap_or_else(|e| panic!("{context}: reopen: {e}"));
        let report = journal.verify().expect("verify");
        assert!(report.is_sound(), "{context}: {report:?}");
        let last = acked.last().map_or(0, |(seq, _)| *seq);
        assert!(
            journal.last_seq() >= last,
            "{context}: acked {last}, journal ends at {}",
            journal.last_seq()
        );
        let stored = journal.events_after(0, usize::MAX).expect("events");
        for (seq, hash) in &acked {
            let event = &stored[usize::try_from(*seq).unwrap() - 1];
            assert_eq!(
                &event.hash.to_string(),
                hash,
                "{context}: acked seq {seq} changed"
            );
        }
        acked_total = acked.len();
    }
    assert!(acked_total > 0, "no events were ever acknowledged");
    eprintln!(
        "{KILLS} kills, {acked_total} acknowledged events checked, seed {seed}, {:?}",
        started.elapsed()
    );
}
