//! USB-HID scanners claimed directly from the kernel, in HID POS mode or in
//! keyboard (boot protocol) mode. The report decoders are pure; [`usb`]
//! does the claiming and reading.

pub mod keyboard;
pub mod layout;
pub mod pos;
pub mod usb;

use std::time::{Duration, Instant};

use anyhow::Result;

use super::config::{HidConfig, HidMode};
use super::framer::{Framer, FramerConfig, Suffix};
use super::session::{Session, SessionEnd};
use keyboard::{BootKeyboard, Keyed};
use pos::PosAssembler;
use usb::{ClaimedInterface, ReadOutcome};

/// How long one interrupt read waits before checking for a stop request.
const READ_SLICE: Duration = Duration::from_millis(100);

/// Claims the configured scanner and delivers its scans until it is
/// unplugged or the session is told to stop; the kernel driver is given
/// back when this returns.
pub fn run(config: &HidConfig, session: &Session) -> Result<SessionEnd> {
    let device = ClaimedInterface::open(config.usb, config.interface)?;
    session.connected();
    let mut decoder = ReportDecoder::new(config);
    let mut report = [0u8; 64];
    loop {
        if session.should_stop() {
            return Ok(SessionEnd::Stopped);
        }
        match device.read(&mut report, READ_SLICE) {
            ReadOutcome::Report(n) => decoder.push(&report[..n], session),
            ReadOutcome::Nothing => {}
            ReadOutcome::Gone(reason) => {
                decoder.finish(session);
                return Ok(SessionEnd::Disconnected(reason));
            }
        }
    }
}

/// Turns reports of either mode into scans and counted errors.
#[derive(Debug)]
enum ReportDecoder {
    Pos(PosAssembler),
    Keyboard(BootKeyboard, Framer),
}

impl ReportDecoder {
    fn new(config: &HidConfig) -> ReportDecoder {
        match config.mode {
            HidMode::Pos => ReportDecoder::Pos(PosAssembler::new(config.max_len)),
            HidMode::Keyboard => ReportDecoder::Keyboard(
                BootKeyboard::new(config.layout),
                Framer::new(FramerConfig {
                    suffix: Suffix::Cr,
                    prefix: Vec::new(),
                    max_len: config.max_len,
                    inter_char_timeout: Duration::ZERO,
                }),
            ),
        }
    }

    fn push(&mut self, report: &[u8], session: &Session) {
        match self {
            ReportDecoder::Pos(assembler) => match assembler.push(report) {
                Ok(Some(scan)) => session.scan(scan),
                Ok(None) => {}
                Err(e) => session.input_error(&e.to_string()),
            },
            ReportDecoder::Keyboard(keyboard, framer) => match keyboard.push(report) {
                Ok(keys) => {
                    let bytes = keys_to_bytes(&keys, session);
                    session.framed(framer.push(&bytes, Instant::now()));
                }
                Err(e) => session.input_error(&e.to_string()),
            },
        }
    }

    fn finish(&mut self, session: &Session) {
        match self {
            ReportDecoder::Pos(assembler) => {
                if let Some(len) = assembler.reset() {
                    session.input_error(&format!("scanner gone mid-scan; {len} bytes discarded"));
                }
            }
            ReportDecoder::Keyboard(_, framer) => session.framed(framer.finish()),
        }
    }
}

/// The bytes key presses stand for, Enter as CR. A key with no character
/// becomes a NUL byte, which makes the framer reject the whole scan as
/// garbage: a scan with a character missing must never reach the engine.
fn keys_to_bytes(keys: &[Keyed], session: &Session) -> Vec<u8> {
    let mut bytes = Vec::new();
    for key in keys {
        match key {
            Keyed::Char(c) => bytes.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
            Keyed::Enter => bytes.push(b'\r'),
            Keyed::Unmapped(what) => {
                tracing::warn!(device = session.name(), what, "key without a character");
                bytes.push(0);
            }
        }
    }
    bytes
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::AtomicBool;

    use crossbeam_channel::{Receiver, unbounded};

    use super::*;
    use crate::devices::config::UsbId;
    use crate::devices::event::DeviceEvent;
    use crate::devices::hid::layout::Layout;
    use crate::devices::status::StatusBoard;

    fn setup(mode: HidMode, layout: Layout) -> (ReportDecoder, Session, Receiver<DeviceEvent>) {
        let config = HidConfig {
            name: "gun".into(),
            usb: UsbId {
                vendor: 0x05e0,
                product: 0x1200,
            },
            mode,
            interface: None,
            layout,
            max_len: 64,
        };
        let (tx, rx) = unbounded();
        let board = StatusBoard::default();
        board.register("gun", "hid");
        let session = Session::new("gun", tx, board, Arc::new(AtomicBool::new(false)));
        (ReportDecoder::new(&config), session, rx)
    }

    fn key(modifiers: u8, usage: u8) -> [u8; 8] {
        [modifiers, 0, usage, 0, 0, 0, 0, 0]
    }

    #[test]
    fn keyboard_reports_become_one_scan_at_enter() {
        let (mut decoder, session, events) = setup(HidMode::Keyboard, Layout::De);
        // "Zy" (German layout) then Enter, each key pressed and released.
        for usage in [(0x02, 0x1c), (0, 0x1d), (0, 0x28)] {
            decoder.push(&key(usage.0, usage.1), &session);
            decoder.push(&[0; 8], &session);
        }
        match events.try_recv().unwrap() {
            DeviceEvent::Scan(read) => assert_eq!(read.data, b"Zy"),
            other => panic!("{other:?}"),
        }
        assert!(events.try_recv().is_err());
    }

    #[test]
    fn a_key_without_a_character_discards_the_whole_scan() {
        let (mut decoder, session, events) = setup(HidMode::Keyboard, Layout::De);
        // "1", a dead key, "2", Enter: nothing may reach the engine.
        for usage in [0x1e, 0x2e, 0x1f, 0x28] {
            decoder.push(&key(0, usage), &session);
            decoder.push(&[0; 8], &session);
        }
        assert!(matches!(
            events.try_recv().unwrap(),
            DeviceEvent::Error { message, .. } if message.contains("control bytes")
        ));
        assert!(events.try_recv().is_err());
    }

    #[test]
    fn pos_reports_and_unplug_mid_scan() {
        let (mut decoder, session, events) = setup(HidMode::Pos, Layout::Us);
        let mut report = [0u8; 64];
        report[0] = pos::SCANNED_DATA_REPORT_ID;
        report[1] = 4;
        report[2..9].copy_from_slice(b"]E0ABCD");
        decoder.push(&report, &session);
        match events.try_recv().unwrap() {
            DeviceEvent::Scan(read) => {
                assert_eq!(read.data, b"]E0ABCD");
                assert_eq!(read.symbology, Some(crate::scan::Symbology::Ean13));
            }
            other => panic!("{other:?}"),
        }
        report[63] = 1;
        decoder.push(&report, &session);
        decoder.finish(&session);
        assert!(matches!(
            events.try_recv().unwrap(),
            DeviceEvent::Error { message, .. } if message.contains("mid-scan")
        ));
    }
}
