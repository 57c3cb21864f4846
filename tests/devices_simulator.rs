//! The simulator device over a real TCP socket and from a file, run by the
//! supervisor, with its reads decoded as the engine would.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use crossbeam_channel::{Receiver, unbounded};
use lotline::devices::config::SimulatorConfig;
use lotline::devices::event::DeviceEvent;
use lotline::devices::status::LinkState;
use lotline::devices::{DevicesConfig, Supervisor};
use lotline::scan::{DecodeOptions, ScanKind, Symbology, decode};

fn next(events: &Receiver<DeviceEvent>) -> DeviceEvent {
    events
        .recv_timeout(Duration::from_secs(5))
        .expect("device event within 5 s")
}

fn options() -> DecodeOptions {
    DecodeOptions {
        today: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
    }
}

fn simulator(listen: Option<&str>, file: Option<std::path::PathBuf>) -> DevicesConfig {
    DevicesConfig {
        simulator: vec![SimulatorConfig {
            name: "sim".into(),
            listen: listen.map(|a| a.parse().unwrap()),
            file,
        }],
        ..DevicesConfig::default()
    }
}

#[test]
fn tcp_clients_send_scans_and_tag_reads() {
    let (tx, events) = unbounded();
    let supervisor = Supervisor::start(&simulator(Some("127.0.0.1:0"), None), tx).unwrap();
    assert!(matches!(next(&events), DeviceEvent::Connected { .. }));
    let detail = supervisor.status()[0].detail.clone().unwrap();
    let addr = detail.strip_prefix("listening on ").unwrap();

    let stream = TcpStream::connect(addr).unwrap();
    let mut writer = stream.try_clone().unwrap();
    let mut replies = BufReader::new(stream);
    writer
        .write_all(
            b"# a demo\r\nscan ]C1010950110153000317261231<GS>10AB12\n\
              tag 3074257BF7194E4000001A85 rssi=-48 antenna=2\n\
              scan 01095011015300031726123110X\\u001d21SN7\n\
              tag XYZ\n",
        )
        .unwrap();
    let mut lines = Vec::new();
    for _ in 0..5 {
        let mut line = String::new();
        replies.read_line(&mut line).unwrap();
        lines.push(line.trim_end().to_owned());
    }
    assert_eq!(lines[..4], ["ok", "ok", "ok", "ok"]);
    assert!(lines[4].starts_with("error: EPC \"XYZ\""), "{}", lines[4]);

    let DeviceEvent::Scan(scan) = next(&events) else {
        panic!("expected a scan")
    };
    assert_eq!(scan.symbology, Some(Symbology::Gs1_128));
    let decoded = decode(scan.text().unwrap(), &options()).unwrap();
    assert_eq!(decoded.identity.lot.as_deref(), Some("AB12"));

    let DeviceEvent::TagRead(tag) = next(&events) else {
        panic!("expected a tag read")
    };
    assert_eq!((tag.rssi, tag.antenna), (Some(-48), Some(2)));
    let decoded = decode(&tag.scan_text(), &options()).unwrap();
    assert_eq!(decoded.kind, ScanKind::Epc);

    let DeviceEvent::Scan(scan) = next(&events) else {
        panic!("expected a scan")
    };
    let decoded = decode(scan.text().unwrap(), &options()).unwrap();
    assert_eq!(decoded.identity.serial.as_deref(), Some("SN7"));
    assert!(matches!(next(&events), DeviceEvent::Error { .. }));

    // A client hanging up leaves the simulator serving the next one.
    drop(writer);
    drop(replies);
    let mut again = TcpStream::connect(addr).unwrap();
    again.write_all(b"scan LOC-1\n").unwrap();
    let DeviceEvent::Scan(scan) = next(&events) else {
        panic!("expected a scan")
    };
    assert_eq!(scan.data, b"LOC-1");

    let status = &supervisor.status()[0];
    assert_eq!(status.state, LinkState::Connected);
    assert_eq!((status.scans, status.tag_reads, status.errors), (3, 1, 1));
    supervisor.stop();
}

#[test]
fn a_file_is_played_once() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("demo.txt");
    std::fs::write(&file, "scan A-1\n\ntag 3014\nnonsense\nscan B-2").unwrap();
    let (tx, events) = unbounded();
    let supervisor = Supervisor::start(&simulator(None, Some(file)), tx).unwrap();
    let mut kinds = Vec::new();
    for _ in 0..5 {
        kinds.push(match next(&events) {
            DeviceEvent::Connected { .. } => "connected",
            DeviceEvent::Scan(_) => "scan",
            DeviceEvent::TagRead(_) => "tag",
            DeviceEvent::TagBurst(_) => "burst",
            DeviceEvent::Error { .. } => "error",
            DeviceEvent::Disconnected { .. } => "disconnected",
        });
    }
    assert_eq!(kinds, ["connected", "scan", "tag", "error", "scan"]);
    let deadline = Instant::now() + Duration::from_secs(5);
    while supervisor.status()[0].state != LinkState::Stopped {
        assert!(Instant::now() < deadline, "file simulator did not finish");
        std::thread::sleep(Duration::from_millis(10));
    }
    supervisor.stop();
}

#[test]
fn a_port_in_use_is_a_clear_start_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let (tx, _events) = unbounded();
    let err = Supervisor::start(&simulator(Some(&addr), None), tx).unwrap_err();
    assert!(format!("{err:#}").contains(&addr), "{err:#}");
}
