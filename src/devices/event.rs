//! What devices tell the rest of Lotline: one event type for every scanner,
//! reader and simulator, so the engine and the UI never care where a scan
//! came from.

use std::time::Instant;

use chrono::{DateTime, Utc};

use super::rfid::dedupe::AggregatedRead;
use crate::scan::{GS, Symbology, aim};

/// One thing a device reported, sent over a crossbeam channel.
#[derive(Debug, Clone, PartialEq)]
pub enum DeviceEvent {
    /// A barcode was read.
    Scan(ScanRead),
    /// An RFID tag read on its own (a simulator's `tag` line).
    TagRead(TagRead),
    /// The tags an RFID reader saw in one burst (a pallet passing the
    /// door), each EPC once.
    TagBurst(TagBurst),
    /// The named device is open and reading.
    Connected {
        /// The configured device name.
        device: String,
    },
    /// The named device went away (unplugged, far end closed); the
    /// supervisor will try again.
    Disconnected {
        /// The configured device name.
        device: String,
        /// Why, for the log and the status screen.
        reason: String,
    },
    /// The device delivered something unusable (garbage, an over-long
    /// frame, a failed open); nothing reached the engine for it.
    Error {
        /// The configured device name.
        device: String,
        /// What went wrong.
        message: String,
    },
}

/// When something happened, on both clocks: the monotonic one for latency
/// and timing decisions, the wall clock for the journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// Monotonic time, immune to clock changes.
    pub monotonic: Instant,
    /// UTC wall-clock time.
    pub wall: DateTime<Utc>,
}

impl Stamp {
    /// The current time on both clocks.
    pub fn now() -> Stamp {
        Stamp {
            monotonic: Instant::now(),
            wall: Utc::now(),
        }
    }
}

/// A barcode read as the scanner delivered it (prefix and suffix removed).
#[derive(Debug, Clone, PartialEq)]
pub struct ScanRead {
    /// The data bytes, AIM identifier included when the scanner sent one;
    /// GS (0x1D) bytes are kept as they are.
    pub data: Vec<u8>,
    /// The carrier named by a leading AIM identifier, when present.
    pub symbology: Option<Symbology>,
    /// The configured name of the device that read it.
    pub source: String,
    /// When the frame was complete.
    pub at: Stamp,
}

impl ScanRead {
    /// A scan of `data` from `source`, with the AIM identifier detected.
    pub fn new(data: Vec<u8>, source: &str, at: Stamp) -> ScanRead {
        let symbology = detect_symbology(&data);
        ScanRead {
            data,
            symbology,
            source: source.to_owned(),
            at,
        }
    }

    /// The data as text for the decoder, or `None` when it is not UTF-8
    /// (such a scan is reported as an error, never guessed at).
    pub fn text(&self) -> Option<&str> {
        std::str::from_utf8(&self.data).ok()
    }
}

/// The symbology of a leading AIM identifier (`]` + code + modifier).
fn detect_symbology(data: &[u8]) -> Option<Symbology> {
    let head = data.get(..3)?;
    let head = std::str::from_utf8(head).ok()?;
    aim::split(head).0
}

/// An RFID tag read by a reader.
#[derive(Debug, Clone, PartialEq)]
pub struct TagRead {
    /// The EPC bank's bytes.
    pub epc: Vec<u8>,
    /// Received signal strength in dBm, when the reader reports it.
    pub rssi: Option<i16>,
    /// The antenna port that saw the tag, when known.
    pub antenna: Option<u8>,
    /// The configured name of the reader.
    pub reader: String,
    /// When the read arrived.
    pub at: Stamp,
}

impl TagRead {
    /// The EPC as upper-case hex, the form `scan::decode` takes after
    /// `epc:`.
    pub fn epc_hex(&self) -> String {
        self.epc.iter().map(|b| format!("{b:02X}")).collect()
    }

    /// The text to hand to the decoder (`epc:` + hex).
    pub fn scan_text(&self) -> String {
        format!("epc:{}", self.epc_hex())
    }
}

/// What an RFID reader saw in one burst: every EPC once, with how often
/// and how well it was read. The engine books it as one step.
#[derive(Debug, Clone, PartialEq)]
pub struct TagBurst {
    /// One aggregate per EPC, in the order the tags were first seen.
    pub reads: Vec<AggregatedRead>,
    /// The configured name of the reader.
    pub reader: String,
    /// When the burst ended and was delivered.
    pub at: Stamp,
}

impl TagBurst {
    /// The EPCs as upper-case hex, the form the engine takes them in.
    pub fn epcs_hex(&self) -> Vec<String> {
        self.reads.iter().map(AggregatedRead::epc_hex).collect()
    }
}

/// Writes bytes for logs and the CLI with GS shown as `<GS>` and other
/// control bytes as `\xNN`, so a log line never carries raw control codes.
pub fn printable(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len());
    for chunk in data.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                c if c == GS as char => out.push_str("<GS>"),
                c if c.is_control() => out.push_str(&format!("\\x{:02X}", c as u32)),
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aim_identifier_is_detected_and_kept_in_the_data() {
        let read = ScanRead::new(b"]C1010950110153000317".to_vec(), "dock", Stamp::now());
        assert_eq!(read.symbology, Some(Symbology::Gs1_128));
        assert_eq!(read.text(), Some("]C1010950110153000317"));
        let plain = ScanRead::new(b"LOC-A-01".to_vec(), "dock", Stamp::now());
        assert_eq!(plain.symbology, None);
        assert_eq!(
            ScanRead::new(b"]".to_vec(), "d", Stamp::now()).symbology,
            None
        );
    }

    #[test]
    fn non_utf8_scan_has_no_text() {
        let read = ScanRead::new(vec![0xff, b'1'], "dock", Stamp::now());
        assert_eq!(read.text(), None);
    }

    #[test]
    fn tag_epc_is_hex_for_the_decoder() {
        let tag = TagRead {
            epc: vec![0x30, 0x14, 0xab],
            rssi: Some(-52),
            antenna: Some(1),
            reader: "door".into(),
            at: Stamp::now(),
        };
        assert_eq!(tag.scan_text(), "epc:3014AB");
    }

    #[test]
    fn printable_shows_gs_and_control_bytes() {
        assert_eq!(printable(b"01\x1d10A\r\xff"), "01<GS>10A\\x0D\\xFF");
    }
}
