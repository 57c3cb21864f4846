//! Draining a terminal's backlog to the server over loopback, beside the
//! raw loopback copy of the same bytes in the same run (absolute times on
//! shared machines drift; ratios do not):
//!
//! * sync: 100,000 pending events uploaded by `upload_pending` (gzip
//!   batches of 2,000) to a `lotline-server` on embedded SQLite, through a
//!   counting TCP relay — seconds, events/s and bytes on the wire per event
//!   (target: ≤ 3 s);
//! * baseline: the same number of bytes written through a loopback TCP
//!   connection and read back.
//!
//! Prints one JSON object per figure. Run: `cargo bench --bench sync`.
//! `LOTLINE_BENCH_EVENTS` sets the backlog (default 100,000) and
//! `LOTLINE_BENCH_DIR` the directory (default: the current one).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::Instant;

use chrono::Utc;
use lotline::journal::{EventBody, EventKind, Journal};
use lotline::server::secrets::{enrollment_code_hash, new_enrollment_code};
use lotline::server::store::{SqliteStore, Store};
use lotline::server::{AppState, Limits};
use lotline::sync::{Enrollment, SyncClient, upload_pending};

/// Events per upload request.
const BATCH: usize = 2_000;

/// Starts the server on embedded SQLite in `dir` on a thread of its own,
/// with one device awaiting enrollment; returns its address and the code.
fn start_server(dir: &std::path::Path) -> (SocketAddr, String) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    let code = new_enrollment_code().expect("code");
    let code_hash = enrollment_code_hash(&code);
    let path = dir.join("server.sqlite");
    let (ready, started) = crossbeam_channel::bounded(1);
    thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async move {
            let store: Arc<dyn Store> = Arc::new(SqliteStore::open(path).await.expect("store"));
            store.add_device("bench", code_hash).await.expect("device");
            let state = AppState {
                store,
                limits: Limits::default(),
            };
            ready.send(()).expect("ready");
            lotline::server::serve(listener, state, None)
                .await
                .expect("serve");
        });
    });
    started.recv().expect("server started");
    (address, code)
}

/// A relay on loopback that counts the bytes it carries each way.
fn counting_relay(upstream: SocketAddr) -> (SocketAddr, Arc<AtomicU64>, Arc<AtomicU64>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    let (up, down) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let (u, d) = (up.clone(), down.clone());
    thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let server = TcpStream::connect(upstream).expect("upstream");
            let (c2, s2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
            let (u, d) = (u.clone(), d.clone());
            thread::spawn(move || copy_counting(c2, s2, &u));
            thread::spawn(move || copy_counting(server, client, &d));
        }
    });
    (address, up, down)
}

fn copy_counting(mut from: TcpStream, mut to: TcpStream, count: &AtomicU64) {
    let mut buf = vec![0u8; 64 * 1024];
    while let Ok(n) = from.read(&mut buf) {
        if n == 0 || to.write_all(&buf[..n]).is_err() {
            break;
        }
        count.fetch_add(n as u64, Ordering::Relaxed);
    }
    let _ = to.shutdown(std::net::Shutdown::Write);
}

/// Seconds to push `bytes` through a loopback TCP connection.
fn loopback_copy_seconds(bytes: u64) -> f64 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    let reader = thread::spawn(move || {
        let (mut socket, _) = listener.accept().expect("accept");
        let mut buf = vec![0u8; 64 * 1024];
        let mut total = 0u64;
        while let Ok(n) = socket.read(&mut buf) {
            if n == 0 {
                break;
            }
            total += n as u64;
        }
        total
    });
    let start = Instant::now();
    let mut socket = TcpStream::connect(address).expect("connect");
    let chunk = vec![0x5au8; 64 * 1024];
    let mut left = bytes;
    while left > 0 {
        let n = left.min(chunk.len() as u64) as usize;
        socket.write_all(&chunk[..n]).expect("write");
        left -= n as u64;
    }
    drop(socket);
    assert_eq!(reader.join().expect("reader"), bytes);
    start.elapsed().as_secs_f64()
}

fn main() {
    let events: u64 = std::env::var("LOTLINE_BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let base = std::env::var("LOTLINE_BENCH_DIR").unwrap_or_else(|_| ".".into());
    let dir = tempfile::tempdir_in(base).expect("bench dir");
    let (server, code) = start_server(dir.path());
    let (relay, up, down) = counting_relay(server);

    let mut journal = Journal::open(dir.path().join("terminal.sqlite")).expect("journal");
    let mut recorded = 0;
    while recorded < events {
        let burst = (events - recorded).min(10_000);
        let bodies = (0..burst).map(|k| {
            let n = recorded + k;
            let mut body = EventBody::new("BADGE-1001", EventKind::Receiving);
            body.gtin = Some("09506000134352".into());
            body.lot = Some(format!("L{:04}", n % 5_000));
            body.serial = Some(format!("{n}"));
            body.to_location = Some("DOCK".into());
            body
        });
        journal.append_batch(Utc::now(), bodies).expect("append");
        recorded += burst;
    }

    let url = format!("http://{relay}");
    let client = SyncClient::new(&url, None).expect("client");
    let reply = client.enroll(&code, journal.device_id()).expect("enroll");
    let enrollment = Enrollment {
        server_url: url,
        device_id: reply.device_id,
        token: reply.token,
        ca_file: None,
    };
    let (up_before, down_before) = (up.load(Ordering::Relaxed), down.load(Ordering::Relaxed));
    let start = Instant::now();
    let report = upload_pending(&mut journal, &client, &enrollment, BATCH).expect("sync");
    let seconds = start.elapsed().as_secs_f64();
    assert_eq!(report.pending, 0);
    assert_eq!(report.stored, events);
    let up_bytes = up.load(Ordering::Relaxed) - up_before;
    let down_bytes = down.load(Ordering::Relaxed) - down_before;
    let baseline = loopback_copy_seconds(up_bytes + down_bytes);
    println!(
        "{{\"figure\":\"sync_drain\",\"events\":{events},\"batches\":{},\"seconds\":{seconds:.3},\"events_per_s\":{:.0}}}",
        report.batches,
        events as f64 / seconds
    );
    println!(
        "{{\"figure\":\"wire_bytes_per_event\",\"up\":{:.1},\"down\":{:.3}}}",
        up_bytes as f64 / events as f64,
        down_bytes as f64 / events as f64
    );
    println!(
        "{{\"figure\":\"loopback_copy_same_bytes\",\"bytes\":{},\"seconds\":{baseline:.4},\"sync_over_copy\":{:.0}}}",
        up_bytes + down_bytes,
        seconds / baseline
    );
}
