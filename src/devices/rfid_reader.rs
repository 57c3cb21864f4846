//! RFID readers as supervised devices: open the reader's serial port, run
//! the Mercury driver thread on it ([`super::rfid::driver`]), and relay its
//! bursts of deduplicated reads as
//! [`super::event::DeviceEvent::TagBurst`]s. A reader that goes away ends
//! the session as disconnected, and the supervisor opens it again with
//! backoff, as for any other device.

use std::time::Duration;

use anyhow::{Context, Result};
use crossbeam_channel::{Receiver, RecvTimeoutError};

use super::config::RfidConfig;
use super::rfid::driver::{self, DriverConfig, ReaderEvent};
use super::serial;
use super::session::{Session, SessionEnd};

/// How long the relay waits for a reader event before checking for a stop
/// request; also the port's read timeout slice.
const POLL: Duration = Duration::from_millis(100);

/// Runs the reader until it goes away or the session is told to stop.
pub fn run(config: &RfidConfig, session: &Session) -> Result<SessionEnd> {
    let path = serial::port_path(config.path.as_deref(), config.usb, &config.name)?;
    let reader = config.reader().map_err(anyhow::Error::msg)?;
    let port = serialport::new(path.to_string_lossy(), config.baud)
        .timeout(POLL)
        .open_native()
        .with_context(|| format!("cannot open the RFID reader port {}", path.display()))?;
    let driver_config = DriverConfig {
        dedupe_window: Duration::from_millis(config.dedupe_window_ms),
        burst_gap: Duration::from_millis(config.burst_gap_ms),
        ..DriverConfig::new(config.name.clone(), reader)
    };
    let (sender, events) = crossbeam_channel::unbounded();
    let handle = driver::spawn(port, driver_config, sender)
        .with_context(|| format!("cannot start the reader thread for {:?}", config.name))?;
    loop {
        if session.should_stop() {
            let stats = handle.stop();
            relay_remaining(&events, session);
            tracing::info!(device = %config.name, ?stats, "RFID reader stopped");
            return Ok(SessionEnd::Stopped);
        }
        match events.recv_timeout(POLL) {
            Ok(ReaderEvent::Disconnected { reason, .. }) => {
                handle.stop();
                relay_remaining(&events, session);
                return Ok(SessionEnd::Disconnected(reason));
            }
            Ok(event) => relay(event, session),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => {
                handle.stop();
                return Ok(SessionEnd::Disconnected("the reader thread ended".into()));
            }
        }
    }
}

/// Passes one reader event on to the session.
fn relay(event: ReaderEvent, session: &Session) {
    match event {
        ReaderEvent::Connected { firmware, .. } => {
            session.connected();
            session.set_detail(format!("firmware {firmware}"));
        }
        ReaderEvent::Burst { reads, .. } => session.tag_burst(reads),
        ReaderEvent::Error { message, .. } => session.input_error(&message),
        ReaderEvent::Disconnected { .. } => {}
    }
}

/// Relays what the driver flushed while stopping (its open burst), so
/// reads already taken are not lost.
fn relay_remaining(events: &Receiver<ReaderEvent>, session: &Session) {
    for event in events.try_iter() {
        relay(event, session);
    }
}
