//! Cutting a scanner's byte stream into scans.
//!
//! Serial scanners send each read as one run of bytes, usually ended by a
//! suffix (CR, LF or CRLF) and sometimes started by a configured prefix;
//! some send no suffix at all and are framed by the pause after each read.
//! The [`Framer`] is a pure state machine (bytes and the time they arrived
//! in, frames and errors out) so every rule here is tested without a
//! device, and the way reads are split across `read()` calls never changes
//! the result.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::scan::GS;

/// How a scanner marks the end of a read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Suffix {
    /// Carriage return (0x0D).
    Cr,
    /// Line feed (0x0A).
    Lf,
    /// CR then LF; a bare LF is accepted too, since a CR lost on the line
    /// must not merge two scans.
    Crlf,
    /// No suffix: a read ends when the line is quiet for the inter-character
    /// timeout.
    None,
}

/// The framing rules for one scanner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FramerConfig {
    /// The end-of-read marker.
    pub suffix: Suffix,
    /// Bytes the scanner is configured to send before every read; stripped,
    /// and a frame without them is rejected.
    pub prefix: Vec<u8>,
    /// The longest frame accepted (prefix included); longer ones are an
    /// error and the framer resynchronises at the next frame boundary.
    pub max_len: usize,
    /// The pause that ends a read when `suffix` is [`Suffix::None`].
    pub inter_char_timeout: Duration,
}

impl Default for FramerConfig {
    fn default() -> Self {
        FramerConfig {
            suffix: Suffix::Cr,
            prefix: Vec::new(),
            max_len: 4096,
            inter_char_timeout: Duration::from_millis(50),
        }
    }
}

/// A stretch of the byte stream that did not become a scan.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    /// More bytes than `max_len` without a frame boundary.
    #[error("frame longer than {max_len} bytes discarded")]
    TooLong {
        /// The configured limit.
        max_len: usize,
    },
    /// A frame that cannot be a scan: control bytes, invalid UTF-8 or a
    /// missing prefix.
    #[error("garbage discarded ({why}): {}", super::event::printable(.bytes))]
    Garbage {
        /// The rejected bytes.
        bytes: Vec<u8>,
        /// Which rule they broke.
        why: &'static str,
    },
    /// The stream ended in the middle of a frame.
    #[error("stream ended mid-frame; {} bytes discarded", .bytes.len())]
    Incomplete {
        /// The partial frame.
        bytes: Vec<u8>,
    },
}

/// What the framer produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Framed {
    /// One read's data, prefix and suffix removed.
    Frame(Vec<u8>),
    /// Bytes that were discarded, and why.
    Error(FrameError),
}

/// The framing state machine for one scanner.
#[derive(Debug, Clone)]
pub struct Framer {
    config: FramerConfig,
    buffer: Vec<u8>,
    /// True after an over-long frame, until the next boundary.
    discarding: bool,
    last_byte: Option<Instant>,
}

impl Framer {
    /// A framer with `config`'s rules and an empty buffer.
    pub fn new(config: FramerConfig) -> Framer {
        Framer {
            config,
            buffer: Vec::new(),
            discarding: false,
            last_byte: None,
        }
    }

    /// Feeds bytes that arrived at `now`; returns the frames and errors
    /// they completed, in stream order.
    pub fn push(&mut self, bytes: &[u8], now: Instant) -> Vec<Framed> {
        let mut out = Vec::new();
        out.extend(self.poll(now));
        for &byte in bytes {
            if self.is_boundary(byte) {
                out.extend(self.end_frame());
                continue;
            }
            if self.discarding {
                continue;
            }
            if self.buffer.len() == self.config.max_len {
                self.buffer.clear();
                self.discarding = true;
                out.push(Framed::Error(FrameError::TooLong {
                    max_len: self.config.max_len,
                }));
                continue;
            }
            self.buffer.push(byte);
        }
        if !bytes.is_empty() {
            self.last_byte = Some(now);
        }
        out
    }

    /// Ends a suffix-less frame once the line has been quiet for the
    /// inter-character timeout; call it when a read times out.
    pub fn poll(&mut self, now: Instant) -> Option<Framed> {
        if self.config.suffix != Suffix::None {
            return None;
        }
        let last = self.last_byte?;
        if now.saturating_duration_since(last) < self.config.inter_char_timeout {
            return None;
        }
        self.last_byte = None;
        self.end_frame()
    }

    /// The time after which [`Framer::poll`] may complete a frame, so a
    /// reader knows how long to wait for more bytes.
    pub fn deadline(&self) -> Option<Instant> {
        match self.config.suffix {
            Suffix::None => self.last_byte.map(|t| t + self.config.inter_char_timeout),
            _ => None,
        }
    }

    /// The stream ended: a partial frame is reported, never delivered.
    pub fn finish(&mut self) -> Option<Framed> {
        self.last_byte = None;
        let discarding = std::mem::take(&mut self.discarding);
        let bytes = std::mem::take(&mut self.buffer);
        let partial = bytes.iter().any(|b| !matches!(b, b'\r' | b'\n'));
        (partial && !discarding).then_some(Framed::Error(FrameError::Incomplete { bytes }))
    }

    fn is_boundary(&self, byte: u8) -> bool {
        match self.config.suffix {
            Suffix::Cr => byte == b'\r',
            Suffix::Lf | Suffix::Crlf => byte == b'\n',
            Suffix::None => false,
        }
    }

    /// Closes the current frame: checks and strips it.
    fn end_frame(&mut self) -> Option<Framed> {
        if std::mem::take(&mut self.discarding) {
            self.buffer.clear();
            return None;
        }
        let mut bytes = std::mem::take(&mut self.buffer);
        if self.config.suffix == Suffix::Crlf && bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
        // A stray CR or LF from a scanner set to the other suffix is noise
        // between frames, not a scan.
        while let Some(b'\r' | b'\n') = bytes.first() {
            bytes.remove(0);
        }
        if bytes.is_empty() {
            return None;
        }
        Some(self.check(bytes))
    }

    fn check(&self, bytes: Vec<u8>) -> Framed {
        let garbage = |bytes, why| Framed::Error(FrameError::Garbage { bytes, why });
        if !bytes.starts_with(&self.config.prefix) {
            return garbage(bytes, "missing the configured prefix");
        }
        let data = &bytes[self.config.prefix.len()..];
        if data.is_empty() {
            return garbage(bytes, "prefix without data");
        }
        if data.iter().any(|&b| (b < 0x20 && b != GS) || b == 0x7f) {
            return garbage(bytes, "control bytes");
        }
        if std::str::from_utf8(data).is_err() {
            return garbage(bytes, "not UTF-8");
        }
        Framed::Frame(data.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn config(suffix: Suffix) -> FramerConfig {
        FramerConfig {
            suffix,
            max_len: 32,
            ..FramerConfig::default()
        }
    }

    fn frames(config: FramerConfig, chunks: &[&[u8]]) -> Vec<Framed> {
        let mut framer = Framer::new(config);
        let now = Instant::now();
        let mut out: Vec<Framed> = chunks.iter().flat_map(|c| framer.push(c, now)).collect();
        out.extend(framer.finish());
        out
    }

    fn frame(data: &[u8]) -> Framed {
        Framed::Frame(data.to_vec())
    }

    #[test]
    fn each_suffix_ends_frames_and_gs_is_kept() {
        let gs1 = b"]C101095011015300031710ABC\x1d21X";
        let mut cr = gs1.to_vec();
        cr.extend_from_slice(b"\rLOC-1\r");
        assert_eq!(
            frames(config(Suffix::Cr), &[&cr]),
            [frame(gs1), frame(b"LOC-1")]
        );
        assert_eq!(
            frames(config(Suffix::Lf), &[b"A1\nB2\n"]),
            [frame(b"A1"), frame(b"B2")]
        );
        assert_eq!(
            frames(config(Suffix::Crlf), &[b"A1\r\nB2\n\r\n"]),
            [frame(b"A1"), frame(b"B2")]
        );
    }

    #[test]
    fn a_frame_split_across_reads_is_whole() {
        assert_eq!(
            frames(config(Suffix::Crlf), &[b"0109", b"5011\r", b"\nX\r", b"\n"]),
            [frame(b"01095011"), frame(b"X")]
        );
    }

    #[test]
    fn prefix_is_required_and_stripped() {
        let cfg = FramerConfig {
            prefix: b"@".to_vec(),
            ..config(Suffix::Cr)
        };
        let out = frames(cfg, &[b"@123\rnoprefix\r@\r"]);
        assert_eq!(out[0], frame(b"123"));
        assert!(matches!(
            &out[1],
            Framed::Error(FrameError::Garbage {
                why: "missing the configured prefix",
                ..
            })
        ));
        assert!(matches!(
            &out[2],
            Framed::Error(FrameError::Garbage {
                why: "prefix without data",
                ..
            })
        ));
    }

    #[test]
    fn garbage_is_reported_and_the_next_frame_is_clean() {
        let out = frames(config(Suffix::Cr), &[b"\x00\x01\xfe\r\xff\xfe\rOK\r"]);
        assert!(matches!(
            &out[0],
            Framed::Error(FrameError::Garbage {
                why: "control bytes",
                ..
            })
        ));
        assert!(matches!(
            &out[1],
            Framed::Error(FrameError::Garbage {
                why: "not UTF-8",
                ..
            })
        ));
        assert_eq!(out[2], frame(b"OK"));
    }

    #[test]
    fn an_over_long_frame_is_one_error_then_resynchronises() {
        let long = [b'9'; 100];
        let out = frames(config(Suffix::Cr), &[&long, b"\rAFTER\r"]);
        assert_eq!(
            out,
            [
                Framed::Error(FrameError::TooLong { max_len: 32 }),
                frame(b"AFTER")
            ]
        );
        // Exactly the limit is fine.
        assert_eq!(
            frames(config(Suffix::Cr), &[&[b'1'; 32], b"\r"]),
            [frame(&[b'1'; 32])]
        );
    }

    #[test]
    fn end_of_stream_mid_frame_is_incomplete_not_a_scan() {
        assert_eq!(
            frames(config(Suffix::Cr), &[b"OK\rPART"]),
            [
                frame(b"OK"),
                Framed::Error(FrameError::Incomplete {
                    bytes: b"PART".to_vec()
                })
            ]
        );
    }

    #[test]
    fn no_suffix_frames_by_the_pause() {
        let mut framer = Framer::new(config(Suffix::None));
        let t0 = Instant::now();
        let ms = Duration::from_millis;
        assert!(framer.push(b"0109", t0).is_empty());
        assert!(framer.push(b"5011", t0 + ms(10)).is_empty());
        assert_eq!(framer.deadline(), Some(t0 + ms(60)));
        assert_eq!(framer.poll(t0 + ms(59)), None);
        assert_eq!(framer.poll(t0 + ms(60)), Some(frame(b"01095011")));
        assert_eq!(framer.deadline(), None);
        // A new burst after a pause closes nothing extra and starts afresh.
        assert!(framer.push(b"AB", t0 + ms(200)).is_empty());
        assert_eq!(framer.push(b"CD", t0 + ms(400)), [frame(b"AB")]);
        assert_eq!(framer.poll(t0 + ms(500)), Some(frame(b"CD")));
    }

    #[test]
    fn suffix_framing_ignores_the_clock() {
        let mut framer = Framer::new(config(Suffix::Cr));
        let t0 = Instant::now();
        framer.push(b"AB", t0);
        assert_eq!(framer.poll(t0 + Duration::from_secs(9)), None);
        assert_eq!(framer.deadline(), None);
    }

    proptest! {
        #[test]
        fn any_split_gives_the_same_frames(
            bytes in proptest::collection::vec(
                prop_oneof![Just(b'\r'), Just(b'\n'), Just(GS), Just(0u8), b'0'..=b'z', any::<u8>()],
                0..200,
            ),
            cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..8),
            suffix in prop_oneof![Just(Suffix::Cr), Just(Suffix::Lf), Just(Suffix::Crlf)],
        ) {
            let whole = frames(config(suffix), &[&bytes]);
            let mut points: Vec<usize> = cuts.iter().map(|i| i.index(bytes.len() + 1)).collect();
            points.sort_unstable();
            let mut chunks = Vec::new();
            let mut start = 0;
            for p in points {
                chunks.push(&bytes[start..p]);
                start = p;
            }
            chunks.push(&bytes[start..]);
            prop_assert_eq!(frames(config(suffix), &chunks), whole);
        }

        #[test]
        fn frames_never_hold_a_suffix_or_exceed_the_limit(
            bytes in proptest::collection::vec(any::<u8>(), 0..300),
        ) {
            for out in frames(config(Suffix::Crlf), &[&bytes]) {
                if let Framed::Frame(data) = out {
                    prop_assert!(!data.is_empty() && data.len() <= 32);
                    prop_assert!(!data.contains(&b'\n') && !data.contains(&b'\r'));
                }
            }
        }
    }
}
