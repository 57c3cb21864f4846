//! Serial scanners over real pseudo-terminals: the test writes to the
//! master side as a scanner would, Lotline reads the slave side. The tests
//! share one lock because they create and destroy ptys and time reads.

use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::Duration;

use crossbeam_channel::{Receiver, unbounded};
use lotline::devices::config::SerialConfig;
use lotline::devices::event::DeviceEvent;
use lotline::devices::serial;
use lotline::devices::session::{Session, SessionEnd};
use lotline::devices::status::{LinkState, StatusBoard};
use lotline::devices::{DevicesConfig, Supervisor};
use lotline::scan::Symbology;
use serialport::{SerialPort, TTYPort};

static SERIAL: Mutex<()> = Mutex::new(());

fn lock() -> MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

/// A pty pair; the slave is closed so Lotline can open its path alone.
fn pty() -> (TTYPort, String) {
    let (master, slave) = TTYPort::pair().expect("pseudo-terminal");
    let path = slave.name().expect("slave name");
    drop(slave);
    (master, path)
}

/// The next event that `wanted` accepts, skipping others; panics after 5 s.
fn wait_for(events: &Receiver<DeviceEvent>, wanted: impl Fn(&DeviceEvent) -> bool) -> DeviceEvent {
    loop {
        let event = events
            .recv_timeout(Duration::from_secs(5))
            .expect("device event within 5 s");
        if wanted(&event) {
            return event;
        }
    }
}

fn scan_data(event: &DeviceEvent) -> Vec<u8> {
    match event {
        DeviceEvent::Scan(read) => read.data.clone(),
        other => panic!("expected a scan, got {other:?}"),
    }
}

fn is_scan(event: &DeviceEvent) -> bool {
    matches!(event, DeviceEvent::Scan(_))
}

fn is_error(event: &DeviceEvent) -> bool {
    matches!(event, DeviceEvent::Error { .. })
}

/// Runs `serial::run` on a thread for the port at `path`.
fn start(
    config: SerialConfig,
) -> (
    Receiver<DeviceEvent>,
    StatusBoard,
    Arc<AtomicBool>,
    thread::JoinHandle<anyhow::Result<SessionEnd>>,
) {
    let (tx, rx) = unbounded();
    let board = StatusBoard::default();
    board.register(&config.name, "serial");
    let stop = Arc::new(AtomicBool::new(false));
    let session = Session::new(&config.name, tx, board.clone(), stop.clone());
    let thread = thread::spawn(move || serial::run(&config, &session));
    (rx, board, stop, thread)
}

#[test]
fn frames_split_batched_garbage_and_over_long_lines() {
    let _guard = lock();
    let (mut master, path) = pty();
    let mut config = SerialConfig::at_path("pty", &path);
    config.max_len = 40;
    let (events, board, stop, thread) = start(config);
    wait_for(&events, |e| matches!(e, DeviceEvent::Connected { .. }));

    // One scan split across two writes (and so two reads), GS kept.
    master.write_all(b"]C1010950110153000317261231").unwrap();
    thread::sleep(Duration::from_millis(150));
    master.write_all(b"10AB\x1d21X\r").unwrap();
    let scan = wait_for(&events, is_scan);
    assert_eq!(scan_data(&scan), b"]C101095011015300031726123110AB\x1d21X");
    match &scan {
        DeviceEvent::Scan(read) => {
            assert_eq!(read.symbology, Some(Symbology::Gs1_128));
            assert_eq!(read.source, "pty");
        }
        _ => unreachable!(),
    }

    // Several frames in one write.
    master.write_all(b"LOC-A-01\rLOC-A-02\r").unwrap();
    assert_eq!(scan_data(&wait_for(&events, is_scan)), b"LOC-A-01");
    assert_eq!(scan_data(&wait_for(&events, is_scan)), b"LOC-A-02");

    // Garbage, then an over-long line, then a clean frame: two errors and
    // the clean frame, nothing bogus.
    master.write_all(b"\x00\x07\xfe\r").unwrap();
    master.write_all(&[b'9'; 100]).unwrap();
    master.write_all(b"\rAFTER\r").unwrap();
    let next = wait_for(&events, |_| true);
    assert!(is_error(&next), "{next:?}");
    let next = wait_for(&events, |_| true);
    assert!(
        matches!(&next, DeviceEvent::Error { message, .. } if message.contains("longer than 40")),
        "{next:?}"
    );
    assert_eq!(scan_data(&wait_for(&events, |_| true)), b"AFTER");

    stop.store(true, Ordering::Relaxed);
    assert_eq!(thread.join().unwrap().unwrap(), SessionEnd::Stopped);
    let status = board.get("pty").unwrap();
    assert_eq!((status.scans, status.garbage), (4, 2));
}

#[test]
fn no_suffix_scanner_is_framed_by_the_pause() {
    let _guard = lock();
    let (mut master, path) = pty();
    let mut config = SerialConfig::at_path("quiet", &path);
    config.suffix = lotline::devices::framer::Suffix::None;
    config.inter_char_timeout_ms = 40;
    let (events, _board, stop, thread) = start(config);
    wait_for(&events, |e| matches!(e, DeviceEvent::Connected { .. }));
    master.write_all(b"4006381").unwrap();
    master.write_all(b"333931").unwrap();
    assert_eq!(scan_data(&wait_for(&events, is_scan)), b"4006381333931");
    master.write_all(b"LOC-9").unwrap();
    assert_eq!(scan_data(&wait_for(&events, is_scan)), b"LOC-9");
    stop.store(true, Ordering::Relaxed);
    assert_eq!(thread.join().unwrap().unwrap(), SessionEnd::Stopped);
}

#[test]
fn far_end_closing_mid_frame_is_a_disconnect_not_a_scan() {
    let _guard = lock();
    let (mut master, path) = pty();
    let (events, board, _stop, thread) = start(SerialConfig::at_path("pty", &path));
    wait_for(&events, |e| matches!(e, DeviceEvent::Connected { .. }));
    master.write_all(b"OK-1\rPARTIAL").unwrap();
    assert_eq!(scan_data(&wait_for(&events, is_scan)), b"OK-1");
    thread::sleep(Duration::from_millis(150));
    drop(master);
    let end = thread.join().unwrap().unwrap();
    assert!(matches!(end, SessionEnd::Disconnected(_)), "{end:?}");
    let partial = wait_for(&events, |_| true);
    assert!(
        matches!(&partial, DeviceEvent::Error { message, .. } if message.contains("mid-frame")),
        "{partial:?}"
    );
    assert!(
        events.try_recv().is_err(),
        "nothing after the partial frame"
    );
    let status = board.get("pty").unwrap();
    assert_eq!((status.scans, status.garbage), (1, 1));
}

#[test]
fn a_missing_port_fails_with_its_path() {
    let _guard = lock();
    let (_events, _board, _stop, thread) =
        start(SerialConfig::at_path("gone", "/dev/lotline-no-such-port"));
    let message = format!("{:#}", thread.join().unwrap().unwrap_err());
    assert!(message.contains("/dev/lotline-no-such-port"), "{message}");
}

/// Points the symlink `link` at `target`, replacing what was there.
fn repoint(link: &Path, target: &str) {
    let _ = std::fs::remove_file(link);
    std::os::unix::fs::symlink(target, link).unwrap();
}

#[test]
fn supervisor_reconnects_when_the_port_disappears_and_comes_back() {
    let _guard = lock();
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("scanner");
    let (mut master, path) = pty();
    repoint(&link, &path);
    let config = DevicesConfig {
        reconnect_min_ms: 20,
        reconnect_max_ms: 100,
        serial: vec![SerialConfig::at_path("dock", &link)],
        ..DevicesConfig::default()
    };
    let (tx, events) = unbounded();
    let supervisor = Supervisor::start(&config, tx).unwrap();
    wait_for(&events, |e| matches!(e, DeviceEvent::Connected { .. }));
    master.write_all(b"BEFORE\r").unwrap();
    assert_eq!(scan_data(&wait_for(&events, is_scan)), b"BEFORE");

    // Unplug: the pty goes away.
    drop(master);
    wait_for(&events, |e| matches!(e, DeviceEvent::Disconnected { .. }));
    let status = supervisor.status();
    assert_ne!(status[0].state, LinkState::Connected);

    // Plug back in (a new pty behind the same path).
    let (mut master, path) = pty();
    repoint(&link, &path);
    wait_for(&events, |e| matches!(e, DeviceEvent::Connected { .. }));
    master.write_all(b"AFTER\r").unwrap();
    let scan = wait_for(&events, is_scan);
    assert_eq!(scan_data(&scan), b"AFTER");

    let status = supervisor.status();
    assert_eq!(status[0].name, "dock");
    assert_eq!(status[0].state, LinkState::Connected);
    assert_eq!((status[0].scans, status[0].connects), (2, 2));
    let board = supervisor.board();
    supervisor.stop();
    assert_eq!(board.get("dock").unwrap().state, LinkState::Stopped);
}
