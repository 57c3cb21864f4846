//! The background sync service against a real `lotline-server` on
//! 127.0.0.1 port 0. Events recorded while it runs reach the server without
//! any call; a server that goes away turns it Offline while the pending
//! count grows, and the server's return (same database) drains the backlog;
//! a revoked terminal is Refused and left quiet; a recall set on the server
//! arrives through its download; `lotline headless` on an enrolled terminal
//! and `lotline sync` run the same service. Every stop joins the thread
//! within a bound.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use chrono::Utc;
use lotline::journal::{self, EventBody, EventKind, Journal, LotState};
use lotline::sync::{
    Connectivity, Enrollment, OnChange, ServiceSettings, SyncClient, SyncService, SyncStatus,
};
use support::{add_device, lotline, server_command, start_server, terminal_command};

/// The product every recorded receipt is of.
const GTIN: &str = "09506000134352";
/// How long an awaited state may take to show.
const PATIENCE: Duration = Duration::from_secs(20);
/// How long a stop may take: the thread never waits on more than one
/// request, and these are on loopback.
const STOP_BOUND: Duration = Duration::from_secs(2);

/// Quick passes and retries, so each test takes seconds.
fn fast(retry_ceiling: Duration) -> ServiceSettings {
    ServiceSettings {
        interval: Duration::from_millis(150),
        batch_size: 7,
        retry_base: Duration::from_millis(50),
        retry_ceiling,
    }
}

/// A terminal's data directory and a journal connection of its own (the
/// "writer" beside the service's connection).
struct Terminal {
    dir: tempfile::TempDir,
    journal: Journal,
}

impl Terminal {
    fn new() -> Terminal {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::open(dir.path().join(journal::FILE_NAME)).unwrap();
        Terminal { dir, journal }
    }

    fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Enrolls as `name` with the server at `base` (writes `sync.json`).
    fn enroll(&self, server_dir: &Path, base: &str, name: &str) {
        let code = add_device(server_dir, name);
        let reply = SyncClient::new(base, None)
            .unwrap()
            .enroll(&code, self.journal.device_id())
            .unwrap();
        Enrollment {
            server_url: base.to_owned(),
            device_id: reply.device_id,
            token: reply.token,
            ca_file: None,
        }
        .save(self.dir())
        .unwrap();
    }

    /// Records `n` receipts; returns the last seq.
    fn record(&mut self, n: usize) -> u64 {
        let bodies = (0..n).map(|k| {
            let mut body = EventBody::new("BADGE-7", EventKind::Receiving);
            body.gtin = Some(GTIN.into());
            body.lot = Some(format!("L{k}"));
            body.to_location = Some("DOCK".into());
            body
        });
        let events = self.journal.append_batch(Utc::now(), bodies).unwrap();
        events.last().unwrap().seq
    }
}

/// A running service and every status it published, in order.
struct Watched {
    service: SyncService,
    published: Arc<Mutex<Vec<SyncStatus>>>,
}

fn start(dir: &Path, settings: ServiceSettings) -> Watched {
    let published = Arc::new(Mutex::new(Vec::new()));
    let log = published.clone();
    let on_change: OnChange = Box::new(move |status| log.lock().unwrap().push(status.clone()));
    let service = SyncService::start(dir, settings, Some(on_change)).unwrap();
    Watched { service, published }
}

impl Watched {
    /// Waits until the status (read through the getter, no network) passes
    /// `test`, and returns it.
    fn wait_for(&self, what: &str, test: impl Fn(&SyncStatus) -> bool) -> SyncStatus {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let status = self.service.status();
            if test(&status) {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "no {what} within {PATIENCE:?}: {status:?}"
            );
            thread::sleep(Duration::from_millis(10));
        }
    }

    /// The index of the first published status after `from` passing `test`.
    fn published_after(&self, from: usize, test: impl Fn(&SyncStatus) -> bool) -> Option<usize> {
        let published = self.published.lock().unwrap();
        (from..published.len()).find(|&i| test(&published[i]))
    }

    /// Stops the service, which must join within [`STOP_BOUND`].
    fn stop(self) {
        let started = Instant::now();
        self.service.stop();
        let took = started.elapsed();
        assert!(took < STOP_BOUND, "stopping took {took:?}");
    }
}

fn online(status: &SyncStatus) -> bool {
    status.connectivity == Connectivity::Online
}

fn offline(status: &SyncStatus) -> bool {
    matches!(status.connectivity, Connectivity::Offline { .. })
}

/// Events of `device` on the server: (count, distinct seqs, highest seq).
fn server_holds(server_dir: &Path, device: &str) -> (u64, u64, u64) {
    let db = rusqlite::Connection::open(server_dir.join("server.sqlite")).unwrap();
    let (count, distinct, max): (i64, i64, i64) = db
        .query_row(
            "SELECT count(*), count(DISTINCT seq), coalesce(max(seq), 0) FROM events \
             WHERE device_id = ?1",
            [device],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    let unsigned = |n: i64| u64::try_from(n).unwrap();
    (unsigned(count), unsigned(distinct), unsigned(max))
}

#[test]
fn events_recorded_while_it_runs_reach_the_server_unasked() {
    let server_dir = tempfile::tempdir().unwrap();
    let (server, _) = start_server(server_dir.path(), "127.0.0.1:0");
    let mut terminal = Terminal::new();
    terminal.enroll(server_dir.path(), &server.base, "dock-1");
    terminal.record(10);

    let watched = start(terminal.dir(), fast(Duration::from_secs(1)));
    watched.wait_for("backlog sent", |s| {
        online(s) && s.acked_through == 10 && s.pending == 0
    });
    // More scanning while it runs, and no call at all: the interval's
    // passes take it.
    let mut last = 0;
    for _ in 0..5 {
        last = terminal.record(3);
        thread::sleep(Duration::from_millis(40));
    }
    let drained = watched.wait_for("new events sent", |s| {
        online(s) && s.acked_through == last && s.pending == 0
    });
    assert!(drained.last_success.is_some());
    assert_eq!(drained.last_error, None);
    assert_eq!(terminal.journal.synced_through().unwrap(), last);
    assert!(
        watched
            .published_after(0, |s| s.acked_through == last && s.pending == 0)
            .is_some(),
        "the subscriber was told"
    );
    watched.stop();

    // With a long interval, a nudge is what sends new events at once.
    let watched = start(
        terminal.dir(),
        ServiceSettings {
            interval: Duration::from_secs(3600),
            ..fast(Duration::from_secs(1))
        },
    );
    watched.wait_for("first pass", online);
    let nudged_at = Instant::now();
    last = terminal.record(4);
    watched.service.nudge();
    watched.wait_for("nudged events sent", |s| {
        s.acked_through == last && s.pending == 0
    });
    assert!(nudged_at.elapsed() < Duration::from_secs(5));
    watched.stop();

    let device = terminal.journal.device_id().to_owned();
    assert_eq!(
        server_holds(server_dir.path(), &device),
        (last, last, last),
        "every event once"
    );
}

#[test]
fn a_server_gone_turns_it_offline_and_its_return_drains_the_backlog() {
    let server_dir = tempfile::tempdir().unwrap();
    let (server, address) = start_server(server_dir.path(), "127.0.0.1:0");
    let mut terminal = Terminal::new();
    terminal.enroll(server_dir.path(), &server.base, "dock-2");
    terminal.record(3);
    let watched = start(terminal.dir(), fast(Duration::from_millis(300)));
    watched.wait_for("backlog sent", |s| {
        online(s) && s.acked_through == 3 && s.pending == 0
    });
    let was_online = watched.published.lock().unwrap().len();

    drop(server);
    terminal.record(4);
    watched.service.nudge();
    let down = watched.wait_for("offline", |s| offline(s) && s.pending == 4);
    let reason = down.connectivity.reason().unwrap();
    assert!(
        reason.contains("cannot be reached") && reason.contains(&address.to_string()),
        "{reason}"
    );
    assert_eq!(down.acked_through, 3);
    let last = terminal.record(3);
    watched.service.nudge();
    watched.wait_for("pending growing offline", |s| offline(s) && s.pending == 7);

    // It keeps trying at the backoff's pace, not in a tight loop.
    let before = watched.service.status().attempts;
    thread::sleep(Duration::from_millis(600));
    let tries = watched.service.status().attempts - before;
    assert!((1..=60).contains(&tries), "{tries} attempts in 600 ms");

    let (_server, _) = start_server(server_dir.path(), &address.to_string());
    let back = watched.wait_for("online again, drained", |s| {
        online(s) && s.pending == 0 && s.acked_through == last
    });
    assert!(
        back.last_error
            .as_deref()
            .is_some_and(|e| e.contains("cannot be reached")),
        "the last failure is kept for support: {back:?}"
    );
    // The subscriber heard the whole story, in order.
    let went_offline = watched
        .published_after(was_online, |s| offline(s) && s.pending == 7)
        .expect("told offline with 7 pending");
    watched
        .published_after(went_offline, |s| online(s) && s.acked_through == last)
        .expect("told online again");
    watched.stop();

    let device = terminal.journal.device_id().to_owned();
    assert_eq!(server_holds(server_dir.path(), &device), (last, last, last));
}

#[test]
fn a_revoked_terminal_is_refused_and_left_quiet() {
    let server_dir = tempfile::tempdir().unwrap();
    let (server, _) = start_server(server_dir.path(), "127.0.0.1:0");
    let mut terminal = Terminal::new();
    terminal.enroll(server_dir.path(), &server.base, "dock-3");
    terminal.record(2);
    let watched = start(terminal.dir(), fast(Duration::from_secs(60)));
    watched.wait_for("backlog sent", |s| online(s) && s.pending == 0);

    let revoked = server_command(server_dir.path())
        .args(["device", "revoke", "dock-3"])
        .output()
        .unwrap();
    assert!(revoked.status.success());
    terminal.record(1);
    watched.service.nudge();
    let refused = watched.wait_for("refused", |s| {
        matches!(s.connectivity, Connectivity::Refused { .. })
    });
    let reason = refused.connectivity.reason().unwrap();
    assert!(reason.contains("enroll it again"), "{reason}");

    // Scanning goes on and nudges; the count grows, the server is not asked.
    for _ in 0..15 {
        terminal.record(1);
        watched.service.nudge();
        thread::sleep(Duration::from_millis(100));
    }
    let quiet = watched.wait_for("pending counted", |s| s.pending == 16);
    assert_eq!(quiet.attempts, refused.attempts, "no request after refusal");
    assert!(matches!(quiet.connectivity, Connectivity::Refused { .. }));

    // A new sync.json is tried at the next nudge (this one's token is
    // wrong too: refused again, once).
    let mut replaced = Enrollment::load(terminal.dir()).unwrap().unwrap();
    replaced.token = "not-a-token".into();
    replaced.save(terminal.dir()).unwrap();
    watched.service.nudge();
    watched.wait_for("the new enrollment tried", |s| {
        s.attempts == refused.attempts + 1
    });
    thread::sleep(Duration::from_millis(300));
    let after = watched.service.status();
    assert_eq!(after.attempts, refused.attempts + 1);
    assert!(matches!(after.connectivity, Connectivity::Refused { .. }));
    watched.stop();
}

#[test]
fn a_terminal_enrolled_later_syncs_and_a_recall_arrives() {
    let server_dir = tempfile::tempdir().unwrap();
    let (server, _) = start_server(server_dir.path(), "127.0.0.1:0");
    let mut terminal = Terminal::new();
    terminal.record(1);
    let watched = start(terminal.dir(), fast(Duration::from_secs(1)));
    let waiting = watched.wait_for("not enrolled", |s| {
        s.connectivity == Connectivity::NotEnrolled
    });
    assert_eq!(waiting.attempts, 0, "nothing asked without an enrollment");

    terminal.enroll(server_dir.path(), &server.base, "dock-4");
    watched.service.nudge();
    watched.wait_for("online", |s| online(s) && s.pending == 0);

    let recalled = server_command(server_dir.path())
        .args(["recall", GTIN, "L0", "--reason", "supplier recall R-7"])
        .output()
        .unwrap();
    assert!(recalled.status.success());
    let deadline = Instant::now() + PATIENCE;
    let status = loop {
        if let Some(status) = terminal.journal.lot_status(GTIN, Some("L0")).unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the recall did not arrive");
        thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.state, LotState::Recalled);
    assert_eq!(status.reason.as_deref(), Some("supplier recall R-7"));
    assert!(
        watched
            .published_after(0, |s| s
                .last_pass
                .as_ref()
                .is_some_and(|p| p.download.lot_statuses == 1))
            .is_some(),
        "a pass reported the recall"
    );
    watched.stop();
}

/// A terminal loaded with the demo data and enrolled through the binary.
fn enrolled_demo_terminal(server_dir: &Path, base: &str, name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    assert!(lotline(dir.path(), &["demo-data"]).status.success());
    let code = add_device(server_dir, name);
    let enrolled = lotline(dir.path(), &["enroll", base, &code]);
    assert!(enrolled.status.success());
    dir
}

/// Waits for `child` to exit within `bound`.
fn exits_within(child: &mut Child, bound: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + bound;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "did not exit within {bound:?}");
        thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn headless_on_an_enrolled_terminal_sends_each_step_as_it_goes() {
    let server_dir = tempfile::tempdir().unwrap();
    let (server, _) = start_server(server_dir.path(), "127.0.0.1:0");
    let dir = enrolled_demo_terminal(server_dir.path(), &server.base, "dock-5");
    // An hour between passes: only the start and the nudges send.
    let config = dir.path().join("home/config/lotline");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("lotline.toml"),
        "[sync]\ninterval_seconds = 3600\n",
    )
    .unwrap();
    let journal = Journal::open(dir.path().join(journal::FILE_NAME)).unwrap();
    let demo_events = journal.stored_last_seq().unwrap();

    let mut child = terminal_command(dir.path())
        .arg("headless")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let wait_synced = |seq: u64| {
        let deadline = Instant::now() + PATIENCE;
        while journal.synced_through().unwrap() != seq {
            assert!(Instant::now() < deadline, "seq {seq} not confirmed");
            thread::sleep(Duration::from_millis(20));
        }
    };
    wait_synced(demo_events);

    let mut input = child.stdin.take().unwrap();
    let mut answers = BufReader::new(child.stdout.take().unwrap()).lines();
    let started = Instant::now();
    for line in [
        r#"{"scan":"BADGE-1001"}"#,
        r#"{"do":"receive"}"#,
        r#"{"scan":"(01)09506000134352(17)271231(30)1(10)SVC01"}"#,
    ] {
        writeln!(input, "{line}").unwrap();
        let answer = answers.next().unwrap().unwrap();
        assert!(!answer.contains("\"block\""), "{answer}");
    }
    let recorded = journal.stored_last_seq().unwrap();
    assert!(recorded > demo_events, "the receipt was recorded");
    wait_synced(recorded);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "nudged, not timed"
    );

    drop(input);
    let status = exits_within(&mut child, Duration::from_secs(5));
    assert!(status.success());
    let device = journal.device_id().to_owned();
    assert_eq!(
        server_holds(server_dir.path(), &device),
        (recorded, recorded, recorded)
    );
}

#[test]
fn lotline_sync_runs_the_service_until_the_server_refuses() {
    let server_dir = tempfile::tempdir().unwrap();
    let (server, _) = start_server(server_dir.path(), "127.0.0.1:0");
    let dir = enrolled_demo_terminal(server_dir.path(), &server.base, "dock-6");
    let mut child = terminal_command(dir.path())
        .args(["sync", "--interval", "1", "--batch-size", "7"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (lines, printed) = crossbeam_channel::unbounded();
    let stdout = child.stdout.take().unwrap();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let first = printed.recv_timeout(PATIENCE).unwrap();
    assert_eq!(
        first,
        "Sent 20 events in 3 batches (20 new, 0 already there); the server holds everything through seq 20; 0 pending"
    );
    let second = printed.recv_timeout(PATIENCE).unwrap();
    assert!(second.starts_with("Reference data: "), "{second}");
    // The next pass, a second later, finds nothing new.
    let idle = printed.recv_timeout(PATIENCE).unwrap();
    assert!(idle.starts_with("Sent 0 events"), "{idle}");

    let revoked = server_command(server_dir.path())
        .args(["device", "revoke", "dock-6"])
        .output()
        .unwrap();
    assert!(revoked.status.success());
    let status = exits_within(&mut child, Duration::from_secs(10));
    assert_eq!(status.code(), Some(2));
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(
        stderr.contains("sync stopped: the server refused this terminal")
            && stderr.contains("enroll it again"),
        "{stderr}"
    );
}
