//! What a device thread holds while it runs: where to send events, where to
//! count them, and whether to stop. Every device kind reports through this
//! one type, so counting and logging are the same for all of them.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crossbeam_channel::Sender;

use super::event::{DeviceEvent, ScanRead, Stamp, TagBurst, TagRead};
use super::framer::{FrameError, Framed};
use super::rfid::dedupe::AggregatedRead;
use super::status::{LinkState, StatusBoard};

/// How a device session ended when it did not fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionEnd {
    /// The supervisor asked it to stop.
    Stopped,
    /// The device went away; worth reconnecting.
    Disconnected(String),
    /// The source is used up for good (a simulator file was read to the
    /// end); no reconnect.
    Finished,
}

/// A device thread's link to the rest of Lotline.
#[derive(Debug, Clone)]
pub struct Session {
    name: String,
    events: Sender<DeviceEvent>,
    board: StatusBoard,
    stop: Arc<AtomicBool>,
}

impl Session {
    /// A session for the device `name`, registered on `board` beforehand.
    pub fn new(
        name: &str,
        events: Sender<DeviceEvent>,
        board: StatusBoard,
        stop: Arc<AtomicBool>,
    ) -> Session {
        Session {
            name: name.to_owned(),
            events,
            board,
            stop,
        }
    }

    /// The configured device name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// True once the supervisor asked every device to stop (or nobody
    /// listens for events any more).
    pub fn should_stop(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    /// Sleeps up to `duration`, waking early when asked to stop; returns
    /// true when it should stop.
    pub fn sleep(&self, duration: Duration) -> bool {
        let step = Duration::from_millis(20);
        let mut left = duration;
        while !left.is_zero() {
            if self.should_stop() {
                return true;
            }
            let nap = left.min(step);
            std::thread::sleep(nap);
            left -= nap;
        }
        self.should_stop()
    }

    /// The device is open and reading.
    pub fn connected(&self) {
        tracing::info!(device = %self.name, "device connected");
        self.board.set_state(&self.name, LinkState::Connected);
        self.send(DeviceEvent::Connected {
            device: self.name.clone(),
        });
    }

    /// The device went away.
    pub fn disconnected(&self, reason: &str) {
        tracing::warn!(device = %self.name, reason, "device disconnected");
        self.board.set_state(
            &self.name,
            LinkState::Disconnected {
                reason: reason.to_owned(),
            },
        );
        self.send(DeviceEvent::Disconnected {
            device: self.name.clone(),
            reason: reason.to_owned(),
        });
    }

    /// Opening or reading failed.
    pub fn failed(&self, message: &str) {
        tracing::warn!(device = %self.name, message, "device error");
        self.board.set_state(
            &self.name,
            LinkState::Error {
                message: message.to_owned(),
            },
        );
        self.board.update(&self.name, |s| s.errors += 1);
        self.error_event(message);
    }

    /// Sets the status detail (e.g. the address a simulator listens on).
    pub fn set_detail(&self, detail: String) {
        self.board.update(&self.name, |s| s.detail = Some(detail));
    }

    /// Delivers one scan.
    pub fn scan(&self, data: Vec<u8>) {
        self.board.update(&self.name, |s| s.scans += 1);
        self.send(DeviceEvent::Scan(ScanRead::new(
            data,
            &self.name,
            Stamp::now(),
        )));
    }

    /// Delivers one tag read.
    pub fn tag(&self, epc: Vec<u8>, rssi: Option<i16>, antenna: Option<u8>) {
        self.board.update(&self.name, |s| s.tag_reads += 1);
        self.send(DeviceEvent::TagRead(TagRead {
            epc,
            rssi,
            antenna,
            reader: self.name.clone(),
            at: Stamp::now(),
        }));
    }

    /// Delivers one burst of an RFID reader (each EPC counted as a tag
    /// read).
    pub fn tag_burst(&self, reads: Vec<AggregatedRead>) {
        let count = reads.len() as u64;
        self.board.update(&self.name, |s| s.tag_reads += count);
        self.send(DeviceEvent::TagBurst(TagBurst {
            reads,
            reader: self.name.clone(),
            at: Stamp::now(),
        }));
    }

    /// Delivers framer output: frames as scans, discarded bytes as counted
    /// errors.
    pub fn framed(&self, outputs: impl IntoIterator<Item = Framed>) {
        for output in outputs {
            match output {
                Framed::Frame(data) => self.scan(data),
                Framed::Error(error) => self.garbage(&error),
            }
        }
    }

    /// Bytes that did not become a scan: counted and logged, never sent on.
    pub fn garbage(&self, error: &FrameError) {
        let message = error.to_string();
        tracing::warn!(device = %self.name, %message, "input discarded");
        self.board.update(&self.name, |s| s.garbage += 1);
        self.error_event(&message);
    }

    /// A bad input line or report that is not a frame (simulator syntax,
    /// malformed HID report): counted as an error, device stays connected.
    pub fn input_error(&self, message: &str) {
        tracing::warn!(device = %self.name, message, "bad device input");
        self.board.update(&self.name, |s| s.errors += 1);
        self.error_event(message);
    }

    fn error_event(&self, message: &str) {
        self.send(DeviceEvent::Error {
            device: self.name.clone(),
            message: message.to_owned(),
        });
    }

    fn send(&self, event: DeviceEvent) {
        if self.events.send(event).is_err() {
            // Nobody is listening: the application is shutting down.
            self.stop.store(true, Ordering::Relaxed);
        }
    }
}
