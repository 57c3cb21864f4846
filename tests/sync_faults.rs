//! Sync proven under network faults. Three terminals append events while
//! they upload, through a fault-injecting TCP proxy between them and a real
//! `lotline-server`. The proxy, connection by connection, passes traffic,
//! drops the connection in mid-request, drops it after the server answered
//! (the server committed, the client never hears it), stalls then closes,
//! and closes at once; the server is killed and restarted mid-run. Once the
//! faults stop and sync settles, the server must hold every event of every
//! terminal exactly once, with no gap and no chain break, and each
//! terminal's `acked_through` must equal its last seq.

mod support;

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use chrono::Utc;
use lotline::journal::{EventBody, EventKind, Journal};
use lotline::sync::{Enrollment, SyncClient, upload_pending};
use support::{add_device, start_server};

/// Events each terminal records during the run.
const EVENTS_PER_TERMINAL: u64 = 150;
/// Terminals uploading at once.
const TERMINALS: usize = 3;

/// What the proxy does to one connection.
#[derive(Debug, Clone, Copy)]
enum Fault {
    Pass,
    DropMidRequest,
    DropAfterReply,
    StallThenClose,
    CloseAtOnce,
}

/// The order faults come in, connection after connection.
const CYCLE: [Fault; 7] = [
    Fault::Pass,
    Fault::DropMidRequest,
    Fault::Pass,
    Fault::DropAfterReply,
    Fault::StallThenClose,
    Fault::Pass,
    Fault::CloseAtOnce,
];

/// A fault-injecting proxy in front of `upstream`.
struct Proxy {
    address: SocketAddr,
    faults_on: Arc<AtomicBool>,
    injected: Arc<AtomicUsize>,
}

impl Proxy {
    fn start(upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let faults_on = Arc::new(AtomicBool::new(true));
        let injected = Arc::new(AtomicUsize::new(0));
        let (on, count) = (faults_on.clone(), injected.clone());
        thread::spawn(move || {
            for (n, client) in listener.incoming().enumerate() {
                let Ok(client) = client else { continue };
                let fault = if on.load(Ordering::Relaxed) {
                    CYCLE[n % CYCLE.len()]
                } else {
                    Fault::Pass
                };
                if !matches!(fault, Fault::Pass) {
                    count.fetch_add(1, Ordering::Relaxed);
                }
                thread::spawn(move || handle(client, upstream, fault));
            }
        });
        Proxy {
            address,
            faults_on,
            injected,
        }
    }
}

/// Copies `from` to `to` until either side ends.
fn pump(mut from: TcpStream, mut to: TcpStream) {
    let _ = std::io::copy(&mut from, &mut to);
    let _ = to.shutdown(Shutdown::Write);
}

fn handle(client: TcpStream, upstream: SocketAddr, fault: Fault) {
    match fault {
        Fault::CloseAtOnce => drop(client),
        Fault::StallThenClose => {
            thread::sleep(Duration::from_millis(300));
            drop(client);
        }
        _ => {
            let Ok(server) = TcpStream::connect(upstream) else {
                return; // the server is restarting: the client sees a close
            };
            match fault {
                Fault::DropMidRequest => {
                    let mut head = [0u8; 64];
                    let mut client = client;
                    let mut server = server;
                    if let Ok(n) = client.read(&mut head) {
                        let _ = server.write_all(&head[..n]);
                    }
                    // Both sides just go away with the request half sent.
                }
                Fault::DropAfterReply => {
                    let upload = client.try_clone().unwrap();
                    let to_server = server.try_clone().unwrap();
                    thread::spawn(move || pump(upload, to_server));
                    // Wait for the server's answer (it has committed), then
                    // cut the client off before any of it arrives.
                    let mut server = server;
                    let mut first = [0u8; 1];
                    let _ = server.read(&mut first);
                    let _ = client.shutdown(Shutdown::Both);
                }
                _ => {
                    let (c2, s2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
                    thread::spawn(move || pump(c2, s2));
                    pump(server, client);
                }
            }
        }
    }
}

/// A terminal: its data directory and enrollment.
struct Terminal {
    _dir: tempfile::TempDir,
    journal: PathBuf,
    enrollment: Enrollment,
}

fn enroll(server_dir: &Path, server: SocketAddr, proxy: SocketAddr, n: usize) -> Terminal {
    let dir = tempfile::tempdir().unwrap();
    let journal_path = dir.path().join("journal.sqlite");
    let journal = Journal::open(&journal_path).unwrap();
    let code = add_device(server_dir, &format!("terminal-{n}"));
    // Enrollment goes straight to the server; the uploads go through the
    // proxy.
    let direct = SyncClient::new(&format!("http://{server}"), None).unwrap();
    let reply = direct.enroll(&code, journal.device_id()).unwrap();
    Terminal {
        _dir: dir,
        journal: journal_path,
        enrollment: Enrollment {
            server_url: format!("http://{proxy}"),
            device_id: reply.device_id,
            token: reply.token,
            ca_file: None,
        },
    }
}

/// Records `EVENTS_PER_TERMINAL` events, a few at a time.
fn append_all(path: &Path) {
    let mut journal = Journal::open(path).unwrap();
    let mut recorded = 0;
    while recorded < EVENTS_PER_TERMINAL {
        let burst = (EVENTS_PER_TERMINAL - recorded).min(1 + recorded % 4);
        let bodies = (0..burst).map(|k| {
            let mut body = EventBody::new("BADGE-7", EventKind::Receiving);
            body.gtin = Some("09506000134352".into());
            body.lot = Some(format!("L{}", recorded + k));
            body.to_location = Some("DOCK".into());
            body
        });
        journal.append_batch(Utc::now(), bodies).unwrap();
        recorded += burst;
        thread::sleep(Duration::from_millis(15));
    }
}

/// Uploads until `appending` is over and a pass leaves nothing pending;
/// every failure is retried after a short pause. Returns the failures.
fn sync_until_settled(terminal: &Terminal, appending: &AtomicBool) -> usize {
    let client = SyncClient::new(&terminal.enrollment.server_url, None).unwrap();
    let mut journal = Journal::open(&terminal.journal).unwrap();
    let mut failures = 0;
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        assert!(Instant::now() < deadline, "sync did not settle");
        let done_appending = !appending.load(Ordering::Relaxed);
        match upload_pending(&mut journal, &client, &terminal.enrollment, 20) {
            Ok(report) if done_appending && report.pending == 0 => return failures,
            Ok(_) => thread::sleep(Duration::from_millis(5)),
            Err(error) => {
                assert!(
                    error.is_transient() || error.to_string().contains("cannot be read"),
                    "a fault must look transient, not {error}"
                );
                failures += 1;
                thread::sleep(Duration::from_millis(20));
            }
        }
    }
}

#[test]
fn every_event_arrives_exactly_once_through_faults_and_a_server_restart() {
    let server_dir = tempfile::tempdir().unwrap();
    let (server, address) = start_server(server_dir.path(), "127.0.0.1:0");
    let proxy = Proxy::start(address);
    let terminals: Vec<Arc<Terminal>> = (0..TERMINALS)
        .map(|n| Arc::new(enroll(server_dir.path(), address, proxy.address, n)))
        .collect();

    let appending = Arc::new(AtomicBool::new(true));
    let appenders: Vec<_> = terminals
        .iter()
        .map(|t| {
            let path = t.journal.clone();
            thread::spawn(move || append_all(&path))
        })
        .collect();
    let syncs: Vec<_> = terminals
        .iter()
        .map(|t| {
            let (t, appending) = (t.clone(), appending.clone());
            thread::spawn(move || sync_until_settled(&t, &appending))
        })
        .collect();

    // Mid-run the server dies and comes back on the same port.
    thread::sleep(Duration::from_millis(400));
    assert!(
        appenders.iter().any(|a| !a.is_finished()),
        "the restart happens while events are still being recorded"
    );
    drop(server);
    thread::sleep(Duration::from_millis(200));
    let (server, _) = start_server(server_dir.path(), &address.to_string());

    for appender in appenders {
        appender.join().unwrap();
    }
    thread::sleep(Duration::from_millis(300));
    proxy.faults_on.store(false, Ordering::Relaxed);
    appending.store(false, Ordering::Relaxed);
    let failures: usize = syncs.into_iter().map(|s| s.join().unwrap()).sum();
    assert!(
        proxy.injected.load(Ordering::Relaxed) >= CYCLE.len(),
        "the faults were injected"
    );
    assert!(failures > 0, "the clients met the faults");
    drop(server);

    let db = rusqlite::Connection::open(server_dir.path().join("server.sqlite")).unwrap();
    let breaks: i64 = db
        .query_row("SELECT count(*) FROM chain_breaks", [], |r| r.get(0))
        .unwrap();
    assert_eq!(breaks, 0, "every chain verified on the server");
    for terminal in &terminals {
        let journal = Journal::open(&terminal.journal).unwrap();
        let last = journal.stored_last_seq().unwrap();
        assert_eq!(last, EVENTS_PER_TERMINAL);
        assert_eq!(
            journal.synced_through().unwrap(),
            last,
            "acked_through = last seq"
        );
        let (count, distinct, min, max): (i64, i64, i64, i64) = db
            .query_row(
                "SELECT count(*), count(DISTINCT seq), min(seq), max(seq) FROM events \
                 WHERE device_id = ?1",
                [journal.device_id()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        assert_eq!(
            (count, distinct, min, max),
            (last as i64, last as i64, 1, last as i64),
            "every event once, no gap"
        );
        for event in journal.events_after(0, last as usize).unwrap() {
            let matches: i64 = db
                .query_row(
                    "SELECT count(*) FROM events \
                     WHERE device_id = ?1 AND seq = ?2 AND event_id = ?3 AND hash = ?4",
                    rusqlite::params![
                        journal.device_id(),
                        event.seq as i64,
                        event.event_id.to_string(),
                        event.hash.0.to_vec()
                    ],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(matches, 1, "seq {} stored as recorded", event.seq);
        }
    }
}
