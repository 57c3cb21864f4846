//! The Mercury RFID driver against the simulated reader over real
//! pseudo-terminals: a full inventory round trip delivered as one burst,
//! recovery from CRC errors and garbage, error statuses, a disconnect in
//! mid-frame, and pallets arriving one after the other as separate bursts.
//! The tests share pseudo-terminals and timing, so they run one at a time.

use std::sync::Mutex;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::Receiver;
use lotline::devices::rfid::command::{Region, opcode};
use lotline::devices::rfid::dedupe::AggregatedRead;
use lotline::devices::rfid::driver::{DriverConfig, ReaderEvent, ReaderHandle, spawn};
use lotline::devices::rfid::pallet::summarise;
use lotline::devices::rfid::session::ReaderConfig;
use lotline::devices::rfid::simulator::{Fault, SimTag, SimulatedReader};
use serialport::{SerialPort, TTYPort};

static SERIAL: Mutex<()> = Mutex::new(());

fn sgtin_tag(item: u32, serial: u32, rssi: i8, antenna: u8) -> SimTag {
    let uri = format!("urn:epc:tag:sgtin-96:1.0614141.{item:06}.{serial}");
    SimTag::from_tag_uri(&uri, rssi, antenna).unwrap()
}

/// 20 cases of one product on antenna 1, 10 of another on antenna 2, and
/// one tag in front of antenna 3, which is not configured.
fn pallet() -> Vec<SimTag> {
    let mut tags: Vec<SimTag> = (0..20)
        .map(|s| sgtin_tag(812345, 100 + s, -40 - (s % 20) as i8, 1))
        .collect();
    tags.extend((0..10).map(|s| sgtin_tag(812346, s, -61, 2)));
    tags.push(sgtin_tag(999999, 1, -30, 3));
    tags
}

struct Rig {
    handle: ReaderHandle,
    events: Receiver<ReaderEvent>,
    simulator: JoinHandle<std::io::Result<()>>,
}

fn start(reader: &SimulatedReader) -> Rig {
    let (mut device_side, mut host_side) = TTYPort::pair().expect("pseudo-terminal pair");
    device_side.set_timeout(Duration::from_millis(20)).unwrap();
    host_side.set_timeout(Duration::from_millis(20)).unwrap();
    let served = reader.clone();
    let simulator = std::thread::spawn(move || served.serve(device_side));
    let mut config = ReaderConfig::new(Region::from_name("eu3").unwrap());
    config.antennas = vec![1, 2];
    config.search_timeout_ms = 20;
    config.response_timeout = Duration::from_millis(300);
    let (sender, events) = crossbeam_channel::unbounded();
    let handle = spawn(
        host_side,
        DriverConfig {
            dedupe_window: Duration::from_millis(150),
            burst_gap: Duration::from_millis(100),
            retry_delay: Duration::from_millis(20),
            ..DriverConfig::new("dock-1", config)
        },
        sender,
    )
    .unwrap();
    Rig {
        handle,
        events,
        simulator,
    }
}

/// Events until `done` says so or 10 s pass.
fn collect(
    events: &Receiver<ReaderEvent>,
    done: impl Fn(&[ReaderEvent]) -> bool,
) -> Vec<ReaderEvent> {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut seen = Vec::new();
    while !done(&seen) {
        let left = deadline.saturating_duration_since(Instant::now());
        match events.recv_timeout(left) {
            Ok(event) => seen.push(event),
            Err(_) => panic!("timed out; events so far: {seen:#?}"),
        }
    }
    seen
}

fn bursts(events: &[ReaderEvent]) -> Vec<&[AggregatedRead]> {
    events
        .iter()
        .filter_map(|e| match e {
            ReaderEvent::Burst { reads, .. } => Some(reads.as_slice()),
            _ => None,
        })
        .collect()
}

fn reads(events: &[ReaderEvent]) -> Vec<&AggregatedRead> {
    bursts(events).into_iter().flatten().collect()
}

fn errors(events: &[ReaderEvent]) -> Vec<&str> {
    events
        .iter()
        .filter_map(|e| match e {
            ReaderEvent::Error { message, .. } => Some(message.as_str()),
            _ => None,
        })
        .collect()
}

fn distinct_reads(events: &[ReaderEvent]) -> usize {
    let mut epcs: Vec<&[u8]> = reads(events).iter().map(|r| r.epc.as_slice()).collect();
    epcs.sort_unstable();
    epcs.dedup();
    epcs.len()
}

/// Every read is a tag of the population, none from antenna 3.
fn assert_genuine(events: &[ReaderEvent], population: &[SimTag]) {
    for read in reads(events) {
        let tag = population
            .iter()
            .find(|t| t.epc == read.epc)
            .unwrap_or_else(|| panic!("bogus read {}", read.epc_hex()));
        assert_ne!(tag.antenna, 3, "antenna 3 is not configured");
        assert_eq!((read.best_rssi, read.antenna), (tag.rssi, tag.antenna));
        assert!(
            read.count >= 2 && read.count % 2 == 0,
            "count {}",
            read.count
        );
    }
}

#[test]
fn full_inventory_round_trip() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let population = pallet();
    let reader = SimulatedReader::new(population.clone());
    let rig = start(&reader);
    let events = collect(&rig.events, |seen| distinct_reads(seen) >= 30);

    assert_eq!(
        events[0],
        ReaderEvent::Connected {
            reader: "dock-1".into(),
            firmware: "01.0b.02.14".into()
        }
    );
    assert!(errors(&events).is_empty(), "{:?}", errors(&events));
    assert_genuine(&events, &population);
    // Tags stay in the field, yet each is reported exactly once, all in
    // one burst.
    assert_eq!(reads(&events).len(), 30);
    assert_eq!(bursts(&events).len(), 1);

    let owned: Vec<AggregatedRead> = reads(&events).into_iter().cloned().collect();
    let summary = summarise(&owned);
    let groups: Vec<(String, usize)> = summary
        .groups
        .iter()
        .map(|g| (g.gtin.clone(), g.count()))
        .collect();
    assert_eq!(
        groups,
        [
            ("80614141123458".to_string(), 20),
            ("80614141123465".to_string(), 10)
        ]
    );
    assert!(summary.others.is_empty() && summary.undecoded.is_empty());

    let stats = rig.handle.stop();
    assert!(stats.inventories >= 1);
    assert_eq!((stats.reads_sent, stats.bursts_sent), (30, 1));
    assert_eq!((stats.errors, stats.crc_errors), (0, 0));
    rig.simulator.join().unwrap().unwrap();
    let commands = reader.commands();
    assert_eq!(
        commands[..8],
        [
            opcode::VERSION,
            opcode::SET_REGION,
            opcode::SET_TAG_PROTOCOL,
            opcode::SET_ANTENNA_PORT,
            opcode::SET_READ_TX_POWER,
            opcode::CLEAR_TAG_ID_BUFFER,
            opcode::READ_TAG_ID_MULTIPLE,
            opcode::GET_TAG_ID_BUFFER,
        ]
    );
}

#[test]
fn crc_errors_and_garbage_are_survived() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let population = pallet();
    let reader = SimulatedReader::new(population.clone());
    // Noise with a false header claiming 64 bytes before the first
    // inventory answer, then a tag buffer answer with a broken CRC.
    reader.inject(
        opcode::READ_TAG_ID_MULTIPLE,
        Fault::GarbageBefore(vec![0x00, 0x13, 0xFF, 0x40, 0x99]),
    );
    reader.inject(opcode::GET_TAG_ID_BUFFER, Fault::CorruptCrc);
    let rig = start(&reader);
    let events = collect(&rig.events, |seen| distinct_reads(seen) >= 30);

    let errors = errors(&events);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("no response to opcode 0x29"),
        "{}",
        errors[0]
    );
    assert_genuine(&events, &population);
    assert_eq!(reads(&events).len(), 30);
    let stats = rig.handle.stop();
    assert_eq!(stats.crc_errors, 1);
    assert!(stats.discarded_bytes >= 5, "{stats:?}");
    rig.simulator.join().unwrap().unwrap();
}

#[test]
fn error_statuses_are_reported_and_the_reader_retried() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let population = pallet();
    let reader = SimulatedReader::new(population.clone());
    reader.inject(opcode::SET_REGION, Fault::Status(0x010B));
    reader.inject(opcode::READ_TAG_ID_MULTIPLE, Fault::Status(0x0505));
    let rig = start(&reader);
    let events = collect(&rig.events, |seen| distinct_reads(seen) >= 30);

    assert_eq!(
        errors(&events),
        [
            "reader refused opcode 0x97: status 0x010B region not supported",
            "reader refused opcode 0x22: status 0x0505 high return loss (antenna mismatch)",
        ]
    );
    let connected = events
        .iter()
        .filter(|e| matches!(e, ReaderEvent::Connected { .. }))
        .count();
    assert_eq!(connected, 2, "configured again after the failed inventory");
    assert_genuine(&events, &population);
    assert_eq!(rig.handle.stop().errors, 2);
    rig.simulator.join().unwrap().unwrap();
}

#[test]
fn an_empty_field_is_not_an_error() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let reader = SimulatedReader::new(Vec::new());
    let rig = start(&reader);
    std::thread::sleep(Duration::from_millis(300));
    reader.set_tags(vec![sgtin_tag(812345, 7, -45, 2)]);
    let events = collect(&rig.events, |seen| distinct_reads(seen) >= 1);
    assert!(errors(&events).is_empty(), "{:?}", errors(&events));
    let stats = rig.handle.stop();
    assert!(stats.inventories >= 3, "{stats:?}");
    rig.simulator.join().unwrap().unwrap();
}

#[test]
fn disconnect_mid_frame_ends_cleanly_without_bogus_reads() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let population = pallet();
    let reader = SimulatedReader::new(population.clone());
    let rig = start(&reader);
    let mut events = collect(&rig.events, |seen| distinct_reads(seen) >= 30);
    // The field changes; the reader dies halfway through its answer.
    reader.set_tags(vec![sgtin_tag(812347, 1, -50, 1)]);
    reader.inject(opcode::GET_TAG_ID_BUFFER, Fault::DisconnectMidFrame);
    events.extend(collect(&rig.events, |seen| {
        seen.iter()
            .any(|e| matches!(e, ReaderEvent::Disconnected { .. }))
    }));

    let Some(ReaderEvent::Disconnected {
        reader: name,
        reason,
    }) = events.last()
    else {
        panic!("last event should be the disconnect: {events:#?}");
    };
    assert_eq!(name, "dock-1");
    assert!(!reason.is_empty());
    assert_genuine(&events, &population);
    assert_eq!(reads(&events).len(), 30, "the half-sent tag never surfaces");
    let deadline = Instant::now() + Duration::from_secs(5);
    while !rig.handle.is_finished() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(rig.handle.is_finished());
    rig.handle.stop();
    rig.simulator.join().unwrap().unwrap();
}

/// Pallets arriving one after the other are one burst each: only the
/// new pallet's tags, though the first one is still in the field.
#[test]
fn each_pallet_arriving_is_its_own_burst() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let first: Vec<SimTag> = (0..8).map(|s| sgtin_tag(812345, s, -50, 1)).collect();
    let reader = SimulatedReader::new(first.clone());
    let rig = start(&reader);
    let events = collect(&rig.events, |seen| !bursts(seen).is_empty());
    assert_eq!(bursts(&events)[0].len(), 8);

    let second: Vec<SimTag> = (0..5).map(|s| sgtin_tag(812346, s, -55, 2)).collect();
    reader.set_tags(first.iter().chain(&second).cloned().collect());
    let events = collect(&rig.events, |seen| !bursts(seen).is_empty());
    let summary = summarise(bursts(&events)[0]);
    assert_eq!(summary.groups.len(), 1, "only the new pallet");
    assert_eq!(
        (summary.groups[0].gtin.as_str(), summary.groups[0].count()),
        ("80614141123465", 5)
    );
    let stats = rig.handle.stop();
    assert_eq!((stats.reads_sent, stats.bursts_sent), (13, 2));
    rig.simulator.join().unwrap().unwrap();
}

/// A reader configured in `[devices]` runs under the supervisor like any
/// other device: its bursts arrive as `DeviceEvent::TagBurst`s, each EPC
/// once with RSSI and antenna, and its status counts the tags.
#[test]
fn a_configured_reader_delivers_tag_bursts_through_the_supervisor() {
    use lotline::devices::config::RfidConfig;
    use lotline::devices::{DeviceEvent, DevicesConfig, Supervisor};

    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let (mut master, slave) = TTYPort::pair().expect("pseudo-terminal pair");
    master.set_timeout(Duration::from_millis(20)).unwrap();
    let path = slave.name().expect("pty name");
    let population: Vec<SimTag> = (0..5).map(|s| sgtin_tag(812345, s, -50, 1)).collect();
    let reader = SimulatedReader::new(population.clone());
    let served = reader.clone();
    let simulator = std::thread::spawn(move || served.serve(master));
    let config = DevicesConfig {
        rfid: vec![RfidConfig {
            search_timeout_ms: 20,
            dedupe_window_ms: 150,
            burst_gap_ms: 100,
            ..RfidConfig::at_path("door-1", &path, "eu3")
        }],
        ..DevicesConfig::default()
    };
    let (sender, events) = crossbeam_channel::unbounded();
    let supervisor = Supervisor::start(&config, sender).expect("supervisor starts");
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut burst = None;
    let mut connected = false;
    while burst.is_none() && Instant::now() < deadline {
        match events.recv_timeout(Duration::from_millis(200)) {
            Ok(DeviceEvent::Connected { device }) => {
                assert_eq!(device, "door-1");
                connected = true;
            }
            Ok(DeviceEvent::TagBurst(tags)) => burst = Some(tags),
            Ok(DeviceEvent::Error { message, .. }) => panic!("reader error: {message}"),
            Ok(_) | Err(_) => {}
        }
    }
    assert!(connected, "the reader connected");
    let burst = burst.expect("a burst within 10 s");
    assert_eq!(burst.reader, "door-1");
    assert!(
        burst
            .reads
            .iter()
            .all(|r| (r.best_rssi, r.antenna) == (-50, 1))
    );
    let mut epcs = burst.epcs_hex();
    epcs.sort();
    epcs.dedup();
    assert_eq!(
        epcs.len(),
        population.len(),
        "each EPC once, all in one burst"
    );
    assert_eq!(burst.reads.len(), population.len());
    // The tags stay in the field: nothing more is delivered.
    let later = events.recv_timeout(Duration::from_millis(400));
    assert!(!matches!(later, Ok(DeviceEvent::TagBurst(_))), "{later:?}");
    let status = supervisor.status();
    assert_eq!(status[0].kind, "rfid");
    assert_eq!(status[0].tag_reads, 5, "{status:?}");
    supervisor.stop();
    drop(slave);
    simulator.join().unwrap().unwrap();
}
