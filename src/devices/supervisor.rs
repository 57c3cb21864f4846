//! Runs every configured device on its own thread, reopens devices that
//! fail or go away (with exponential backoff), and keeps the status board
//! current. Unplugging a scanner never stops the application.

use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;

use anyhow::{Context, Result};
use crossbeam_channel::Sender;

use super::config::{DevicesConfig, HidConfig, RfidConfig, SerialConfig, SimulatorConfig};
use super::event::DeviceEvent;
use super::session::{Session, SessionEnd};
use super::status::{DeviceStatus, LinkState, StatusBoard};
use super::{hid, rfid_reader, serial, simulator};
use crate::backoff::Backoff;

/// One configured device, ready to open (again).
#[derive(Debug)]
enum DeviceSpec {
    Serial(SerialConfig),
    Hid(HidConfig),
    /// The listener is bound once, so its port stays the same across
    /// restarts and a bind error is reported at start.
    SimulatorTcp(TcpListener),
    SimulatorFile(SimulatorConfig),
    Rfid(RfidConfig),
}

impl DeviceSpec {
    fn kind(&self) -> &'static str {
        match self {
            DeviceSpec::Serial(_) => "serial",
            DeviceSpec::Hid(_) => "hid",
            DeviceSpec::SimulatorTcp(_) | DeviceSpec::SimulatorFile(_) => "simulator",
            DeviceSpec::Rfid(_) => "rfid",
        }
    }

    fn run_session(&self, session: &Session) -> Result<SessionEnd> {
        match self {
            DeviceSpec::Serial(config) => serial::run(config, session),
            DeviceSpec::Hid(config) => hid::run(config, session),
            DeviceSpec::SimulatorTcp(listener) => simulator::serve(listener, session),
            DeviceSpec::SimulatorFile(config) => match &config.file {
                Some(path) => simulator::run_file(path, session),
                None => Ok(SessionEnd::Finished),
            },
            DeviceSpec::Rfid(config) => rfid_reader::run(config, session),
        }
    }
}

/// The running devices. Dropping it stops them and waits for their threads.
#[derive(Debug)]
pub struct Supervisor {
    board: StatusBoard,
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

impl Supervisor {
    /// Starts a thread for every device in `config`, sending events to
    /// `events`. Fails only for what no retry can fix (a simulator port
    /// that cannot be bound, a thread that cannot be spawned); a device
    /// that is absent now is retried in the background.
    pub fn start(config: &DevicesConfig, events: Sender<DeviceEvent>) -> Result<Supervisor> {
        let mut specs = Vec::new();
        for serial in &config.serial {
            specs.push((serial.name.clone(), DeviceSpec::Serial(serial.clone())));
        }
        for hid in &config.hid {
            specs.push((hid.name.clone(), DeviceSpec::Hid(hid.clone())));
        }
        for reader in &config.rfid {
            specs.push((reader.name.clone(), DeviceSpec::Rfid(reader.clone())));
        }
        for sim in &config.simulator {
            let spec = match sim.listen {
                Some(addr) => {
                    DeviceSpec::SimulatorTcp(TcpListener::bind(addr).with_context(|| {
                        format!("simulator {:?} cannot listen on {addr}", sim.name)
                    })?)
                }
                None => DeviceSpec::SimulatorFile(sim.clone()),
            };
            specs.push((sim.name.clone(), spec));
        }
        let mut supervisor = Supervisor {
            board: StatusBoard::default(),
            stop: Arc::new(AtomicBool::new(false)),
            threads: Vec::new(),
        };
        let (min, max) = config.backoff();
        for (name, spec) in specs {
            supervisor.board.register(&name, spec.kind());
            let session = Session::new(
                &name,
                events.clone(),
                supervisor.board.clone(),
                supervisor.stop.clone(),
            );
            let board = supervisor.board.clone();
            let thread = std::thread::Builder::new()
                .name(format!("device {name}"))
                .spawn(move || supervise(&spec, &session, &board, Backoff::new(min, max)))
                .with_context(|| format!("cannot start a thread for device {name:?}"))?;
            supervisor.threads.push(thread);
        }
        Ok(supervisor)
    }

    /// The status board, to read from the UI or the CLI.
    pub fn board(&self) -> StatusBoard {
        self.board.clone()
    }

    /// A copy of every device's status.
    pub fn status(&self) -> Vec<DeviceStatus> {
        self.board.snapshot()
    }

    /// Stops every device and waits for its thread.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        for thread in self.threads.drain(..) {
            if thread.join().is_err() {
                tracing::error!("a device thread panicked");
            }
        }
    }
}

impl Drop for Supervisor {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// One device's life: open, read, and on failure wait and open again.
fn supervise(spec: &DeviceSpec, session: &Session, board: &StatusBoard, mut backoff: Backoff) {
    let connects = || board.get(session.name()).map_or(0, |s| s.connects);
    while !session.should_stop() {
        let before = connects();
        match spec.run_session(session) {
            Ok(SessionEnd::Stopped | SessionEnd::Finished) => break,
            Ok(SessionEnd::Disconnected(reason)) => session.disconnected(&reason),
            Err(error) => session.failed(&format!("{error:#}")),
        }
        if connects() > before {
            backoff.reset();
        }
        if session.sleep(backoff.next_delay()) {
            break;
        }
    }
    board.set_state(session.name(), LinkState::Stopped);
}
