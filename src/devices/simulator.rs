//! The simulated device: scans and tag reads typed, scripted or sent by a
//! test, fed through the same path as real hardware.
//!
//! Line protocol (one command per line, UTF-8; see `docs/devices.md`):
//!
//! ```text
//! # a comment; blank lines are ignored
//! scan ]C1010950110153000317<GS>10ABC
//! scan 01095011015300031710ABC\u001d21X
//! tag 3074257BF7194E4000001A85 rssi=-52 antenna=1
//! ```
//!
//! In scan data `<GS>` and `\u001d` stand for the GS byte, `\uXXXX` for any
//! character and `\\` for a backslash. Over TCP every line is answered with
//! `ok` or `error: <why>`, so a client knows what became of it.

use std::fs;
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use super::framer::{Framed, Framer, FramerConfig, Suffix};
use super::session::{Session, SessionEnd};
use crate::scan::GS;

/// The longest line a client may send.
const MAX_LINE: usize = 65_536;
const POLL: Duration = Duration::from_millis(20);

/// One understood line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SimInput {
    /// A barcode scan's bytes.
    Scan(Vec<u8>),
    /// An RFID tag read.
    Tag {
        /// The EPC bytes.
        epc: Vec<u8>,
        /// Signal strength in dBm.
        rssi: Option<i16>,
        /// Antenna port.
        antenna: Option<u8>,
    },
}

/// Parses one protocol line; `Ok(None)` for blank and comment lines.
pub fn parse_line(line: &str) -> Result<Option<SimInput>, String> {
    let line = line.trim_end_matches(['\r', '\n']);
    if line.trim().is_empty() || line.trim_start().starts_with('#') {
        return Ok(None);
    }
    let (command, rest) = line.split_once(' ').unwrap_or((line, ""));
    match command {
        "scan" => {
            let data = unescape(rest)?;
            if data.is_empty() {
                return Err("`scan` needs data".into());
            }
            Ok(Some(SimInput::Scan(data)))
        }
        "tag" => parse_tag(rest).map(Some),
        other => Err(format!(
            "unknown command {other:?} (expected `scan` or `tag`)"
        )),
    }
}

fn parse_tag(rest: &str) -> Result<SimInput, String> {
    let mut words = rest.split_whitespace();
    let hex = words.next().ok_or("`tag` needs an EPC in hex")?;
    let epc = decode_hex(hex)?;
    let (mut rssi, mut antenna) = (None, None);
    for word in words {
        match word.split_once('=') {
            Some(("rssi", v)) => {
                rssi = Some(v.parse().map_err(|_| format!("bad rssi {v:?}"))?);
            }
            Some(("antenna", v)) => {
                antenna = Some(v.parse().map_err(|_| format!("bad antenna {v:?}"))?);
            }
            _ => return Err(format!("unknown tag field {word:?}")),
        }
    }
    Ok(SimInput::Tag { epc, rssi, antenna })
}

fn decode_hex(hex: &str) -> Result<Vec<u8>, String> {
    if hex.is_empty() || !hex.len().is_multiple_of(2) || !hex.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return Err(format!("EPC {hex:?} is not an even number of hex digits"));
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|e| e.to_string()))
        .collect()
}

/// Expands `<GS>`, `\uXXXX` and `\\`.
fn unescape(text: &str) -> Result<Vec<u8>, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("<GS>") {
            out.push(char::from(GS));
            rest = after;
        } else if let Some(after) = rest.strip_prefix("\\\\") {
            out.push('\\');
            rest = after;
        } else if let Some(after) = rest.strip_prefix("\\u") {
            let code = after
                .get(..4)
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .and_then(char::from_u32)
                .ok_or_else(|| format!("bad escape near {rest:?} (use \\uXXXX)"))?;
            out.push(code);
            rest = &after[4..];
        } else if c == '\\' {
            return Err(format!("bad escape near {rest:?} (use \\uXXXX or \\\\)"));
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    Ok(out.into_bytes())
}

/// Handles one line: delivers it or reports why not. Returns the reply.
fn deliver(line: &[u8], session: &Session) -> String {
    let parsed = std::str::from_utf8(line)
        .map_err(|_| "line is not UTF-8".to_owned())
        .and_then(parse_line);
    match parsed {
        Ok(Some(SimInput::Scan(data))) => session.scan(data),
        Ok(Some(SimInput::Tag { epc, rssi, antenna })) => session.tag(epc, rssi, antenna),
        Ok(None) => {}
        Err(why) => {
            session.input_error(&why);
            return format!("error: {why}");
        }
    }
    "ok".into()
}

/// Plays a protocol file once, then finishes.
pub fn run_file(path: &Path, session: &Session) -> Result<SessionEnd> {
    let text = fs::read(path)
        .with_context(|| format!("cannot read the simulator file {}", path.display()))?;
    session.connected();
    for line in text.split(|&b| b == b'\n') {
        if session.should_stop() {
            return Ok(SessionEnd::Stopped);
        }
        deliver(line, session);
    }
    Ok(SessionEnd::Finished)
}

/// Serves line-protocol clients on `listener`, one at a time, until told to
/// stop. A client hanging up is normal; the simulator stays connected.
pub fn serve(listener: &TcpListener, session: &Session) -> Result<SessionEnd> {
    listener.set_nonblocking(true)?;
    session.set_detail(format!("listening on {}", listener.local_addr()?));
    session.connected();
    while !session.should_stop() {
        match listener.accept() {
            Ok((stream, peer)) => {
                tracing::info!(device = session.name(), %peer, "simulator client");
                if let Err(e) = client(stream, session) {
                    session.input_error(&format!("simulator client {peer}: {e}"));
                }
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => std::thread::sleep(POLL),
            Err(e) => return Err(e).context("accepting simulator clients"),
        }
    }
    Ok(SessionEnd::Stopped)
}

/// Reads one client's lines until it hangs up.
fn client(mut stream: TcpStream, session: &Session) -> io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_millis(100)))?;
    let mut lines = Framer::new(FramerConfig {
        suffix: Suffix::Crlf,
        prefix: Vec::new(),
        max_len: MAX_LINE,
        inter_char_timeout: Duration::ZERO,
    });
    let mut buf = [0u8; 4096];
    while !session.should_stop() {
        let n = match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                continue;
            }
            Err(e) => return Err(e),
        };
        for framed in lines.push(&buf[..n], Instant::now()) {
            let reply = match framed {
                Framed::Frame(line) => deliver(&line, session),
                Framed::Error(error) => {
                    session.garbage(&error);
                    format!("error: {error}")
                }
            };
            writeln!(stream, "{reply}")?;
        }
    }
    if let Some(Framed::Error(error)) = lines.finish() {
        session.garbage(&error);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_lines_with_gs_escapes() {
        let expected = b"]C1010950110153000317\x1d10AB".to_vec();
        for line in [
            "scan ]C1010950110153000317<GS>10AB",
            "scan ]C1010950110153000317\\u001d10AB\r",
        ] {
            assert_eq!(parse_line(line), Ok(Some(SimInput::Scan(expected.clone()))));
        }
        assert_eq!(
            parse_line("scan a\\\\b \\u00e9"),
            Ok(Some(SimInput::Scan("a\\b é".as_bytes().to_vec())))
        );
    }

    #[test]
    fn tag_lines_with_optional_fields() {
        assert_eq!(
            parse_line("tag 30740a rssi=-52 antenna=2"),
            Ok(Some(SimInput::Tag {
                epc: vec![0x30, 0x74, 0x0a],
                rssi: Some(-52),
                antenna: Some(2)
            }))
        );
        assert_eq!(
            parse_line("tag AB"),
            Ok(Some(SimInput::Tag {
                epc: vec![0xab],
                rssi: None,
                antenna: None
            }))
        );
    }

    #[test]
    fn blank_and_comment_lines_are_skipped() {
        assert_eq!(parse_line(""), Ok(None));
        assert_eq!(parse_line("   "), Ok(None));
        assert_eq!(parse_line("# hello"), Ok(None));
    }

    #[test]
    fn bad_lines_say_why() {
        let cases = [
            ("scan", "needs data"),
            ("scan \\x", "bad escape"),
            ("scan \\u12", "bad escape"),
            ("tag", "needs an EPC"),
            ("tag ABC", "hex digits"),
            ("tag AB rssi=loud", "bad rssi"),
            ("tag AB power=1", "unknown tag field"),
            ("beep", "unknown command"),
        ];
        for (line, expected) in cases {
            let err = parse_line(line).unwrap_err();
            assert!(err.contains(expected), "{line}: {err}");
        }
    }
}
