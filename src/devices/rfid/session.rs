//! One host-side conversation with a Mercury reader over any byte port:
//! send a command, wait for the CRC-checked response to that opcode, turn
//! a non-zero status into a typed error. On top of that, the reader setup
//! and the synchronous inventory cycle Lotline uses:
//! Read Tag ID Multiple (0x22), Get Tag Buffer (0x29) until every counted
//! tag is fetched, Clear Tag Buffer (0x2A).

use std::io::{ErrorKind, Read, Write};
use std::time::{Duration, Instant};

use super::command::{
    Command, MetadataFlags, PROTOCOL_GEN2, Region, SEARCH_CONFIGURED_LIST, SEARCH_LARGE_POPULATION,
    VersionInfo, malformed, opcode, parse_tag_count,
};
use super::frame::{Direction, Framer, FramerStats, encode_command};
use super::status::{ReaderStatus, RfidError};
use super::tag::{TagRecord, parse_tag_buffer};

/// How a reader is set up before inventories start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderConfig {
    /// Regulatory region (the module will not transmit without one).
    pub region: Region,
    /// Antenna ports to search, each used to transmit and receive.
    pub antennas: Vec<u8>,
    /// Read power in centi-dBm (2700 = 27.00 dBm).
    pub read_power_cdbm: u16,
    /// Length of one inventory round, in milliseconds.
    pub search_timeout_ms: u16,
    /// How long to wait for a response beyond the command's own duration.
    pub response_timeout: Duration,
}

impl ReaderConfig {
    /// One antenna on port 1 at 27 dBm, 250 ms rounds, 1 s response
    /// timeout: a desktop reader at a packing bench or a dock door.
    pub fn new(region: Region) -> ReaderConfig {
        ReaderConfig {
            region,
            antennas: vec![1],
            read_power_cdbm: 2700,
            search_timeout_ms: 250,
            response_timeout: Duration::from_secs(1),
        }
    }
}

/// A command/response conversation over `port`. The port must have a
/// read timeout (serialport ports do), so a mute reader cannot block us.
#[derive(Debug)]
pub struct Session<P> {
    port: P,
    framer: Framer,
    response_timeout: Duration,
    out: Vec<u8>,
}

impl<P: Read + Write> Session<P> {
    /// A session that waits `response_timeout` for each answer.
    pub fn new(port: P, response_timeout: Duration) -> Session<P> {
        Session {
            port,
            framer: Framer::new(Direction::FromReader),
            response_timeout,
            out: Vec::with_capacity(64),
        }
    }

    /// Sends `command` and returns the data of its successful response.
    /// `busy` is how long the reader is expected to work before answering
    /// (an inventory's search time), added to the response timeout.
    pub fn call(&mut self, command: &Command, busy: Duration) -> Result<Vec<u8>, RfidError> {
        let opcode = command.opcode();
        self.out.clear();
        encode_command(opcode, &command.data()?, &mut self.out);
        self.port
            .write_all(&self.out)
            .and_then(|()| self.port.flush())
            .map_err(|e| RfidError::Disconnected(format!("write failed: {e}")))?;
        let timeout = self.response_timeout + busy;
        let deadline = Instant::now() + timeout;
        let mut buffer = [0u8; 512];
        loop {
            if let Some(frame) = self.framer.next_frame() {
                if frame.opcode != opcode {
                    return Err(RfidError::UnexpectedOpcode {
                        expected: opcode,
                        got: frame.opcode,
                    });
                }
                return match ReaderStatus::from_word(frame.status) {
                    None => Ok(frame.data),
                    Some(status) => Err(RfidError::Status { opcode, status }),
                };
            }
            if Instant::now() >= deadline {
                // A header whose length never completes is noise: drop
                // it and look again at what came after it.
                if self.framer.abandon_partial() {
                    continue;
                }
                return Err(RfidError::Timeout {
                    opcode,
                    timeout_ms: timeout.as_millis() as u64,
                });
            }
            match self.port.read(&mut buffer) {
                Ok(0) => return Err(RfidError::Disconnected("port closed".into())),
                Ok(n) => self.framer.push(&buffer[..n]),
                Err(e)
                    if matches!(
                        e.kind(),
                        ErrorKind::TimedOut | ErrorKind::WouldBlock | ErrorKind::Interrupted
                    ) => {}
                Err(e) => return Err(RfidError::Disconnected(format!("read failed: {e}"))),
            }
        }
    }

    /// Reads the version block, then sets region, Gen2, antennas and read
    /// power, in the order the module requires (region first).
    pub fn configure(&mut self, config: &ReaderConfig) -> Result<VersionInfo, RfidError> {
        let version = VersionInfo::parse(&self.call(&Command::Version, Duration::ZERO)?)?;
        let ports = config.antennas.iter().map(|&p| (p, p)).collect();
        for command in [
            Command::SetRegion(config.region),
            Command::SetTagProtocol(PROTOCOL_GEN2),
            Command::SetAntennaSearchList(ports),
            Command::SetReadTxPower(config.read_power_cdbm),
            Command::ClearTagBuffer,
        ] {
            self.call(&command, Duration::ZERO)?;
        }
        Ok(version)
    }

    /// Runs one inventory round and returns every tag record it buffered,
    /// leaving the buffer empty. No tag in the field is an empty list.
    pub fn inventory(&mut self, search_timeout_ms: u16) -> Result<Vec<TagRecord>, RfidError> {
        let read = Command::ReadTagIdMultiple {
            search_flags: SEARCH_CONFIGURED_LIST | SEARCH_LARGE_POPULATION,
            timeout_ms: search_timeout_ms,
        };
        let busy = Duration::from_millis(u64::from(search_timeout_ms));
        let count = match self.call(&read, busy) {
            Ok(data) => parse_tag_count(&data)?,
            Err(RfidError::Status {
                status: ReaderStatus::NoTagsFound,
                ..
            }) => return Ok(Vec::new()),
            Err(error) => return Err(error),
        };
        let fetched = self.fetch(count as usize);
        let cleared = self.call(&Command::ClearTagBuffer, Duration::ZERO);
        let records = fetched?;
        cleared?;
        Ok(records)
    }

    fn fetch(&mut self, count: usize) -> Result<Vec<TagRecord>, RfidError> {
        let mut records = Vec::with_capacity(count);
        while records.len() < count {
            let data = self.call(
                &Command::GetTagBuffer(MetadataFlags::INVENTORY),
                Duration::ZERO,
            )?;
            if parse_tag_buffer(&data, &mut records)? == 0 {
                return Err(malformed(
                    opcode::GET_TAG_ID_BUFFER,
                    format!(
                        "reader counted {count} tags but the buffer ran dry after {}",
                        records.len()
                    ),
                ));
            }
        }
        Ok(records)
    }

    /// What the framer skipped so far (garbage bytes, CRC errors).
    pub fn framer_stats(&self) -> FramerStats {
        self.framer.stats()
    }
}
