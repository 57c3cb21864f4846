//! A simulated Mercury reader: speaks the same bytes as a module over any
//! byte port (a pseudo-terminal in tests and demos), holds a tag
//! population, and can be told to misbehave (bad CRC, garbage, an error
//! status, a disconnect in the middle of a frame) so every failure path of
//! the driver can be exercised without hardware.

use std::collections::VecDeque;
use std::io::{self, ErrorKind, Read, Write};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use crate::scan::ScanError;
use crate::scan::epc::parse_tag_uri;

use super::command::{
    Command, MetadataFlags, PROTOCOL_GEN2, Region, TagBufferHead, VersionInfo, opcode,
    tag_count_response,
};
use super::frame::{Direction, Framer, MAX_DATA, encode_response};
use super::status::ReaderStatus;
use super::tag::{TagRecord, pc_for, record_len, write_record};

/// The errno a pseudo-terminal's master side reads once the other side
/// is closed.
const EIO: i32 = 5;

/// A tag in the simulated field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimTag {
    /// EPC bytes (a whole number of 16-bit words).
    pub epc: Vec<u8>,
    /// RSSI the reader reports for it.
    pub rssi: i8,
    /// The antenna port it sits in front of.
    pub antenna: u8,
    /// How often one inventory round sees it.
    pub reads_per_round: u8,
}

impl SimTag {
    /// A tag encoded from its tag URI (e.g.
    /// `urn:epc:tag:sgtin-96:1.0614141.812345.6789`), read twice per
    /// round: how demos and tests describe a field.
    pub fn from_tag_uri(uri: &str, rssi: i8, antenna: u8) -> Result<SimTag, ScanError> {
        let hex = parse_tag_uri(uri)?.to_hex();
        let epc = hex
            .as_bytes()
            .chunks(2)
            .map(|pair| {
                std::str::from_utf8(pair)
                    .ok()
                    .and_then(|digits| u8::from_str_radix(digits, 16).ok())
                    .ok_or_else(|| ScanError::Epc(format!("bad hex {hex}")))
            })
            .collect::<Result<Vec<u8>, ScanError>>()?;
        Ok(SimTag {
            epc,
            rssi,
            antenna,
            reads_per_round: 2,
        })
    }
}

/// A misbehaviour applied to the next response to a given opcode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Send the response with a corrupted CRC (and nothing else).
    CorruptCrc,
    /// Send these bytes before the response.
    GarbageBefore(Vec<u8>),
    /// Answer with this non-zero status instead.
    Status(u16),
    /// Send the first half of the response, then close the port.
    DisconnectMidFrame,
}

/// The module's settable state, as a real one keeps it.
#[derive(Debug, Default)]
struct State {
    region: Option<Region>,
    protocol: Option<u16>,
    antennas: Vec<u8>,
    read_power_cdbm: u16,
    buffer: VecDeque<TagRecord>,
    clock_ms: u32,
}

/// What the simulated reader holds; shared so a test can change the
/// field while the reader runs.
#[derive(Debug, Default)]
struct Shared {
    tags: Vec<SimTag>,
    faults: VecDeque<(u8, Fault)>,
    commands: Vec<u8>,
}

/// A simulated reader; clone it to keep a handle for changing the tags
/// or injecting faults while [`SimulatedReader::serve`] runs elsewhere.
#[derive(Debug, Clone, Default)]
pub struct SimulatedReader {
    shared: Arc<Mutex<Shared>>,
}

/// The version block the simulator reports (an M6e-style module with
/// firmware 1.11.2.20).
pub fn simulated_version() -> VersionInfo {
    VersionInfo {
        bootloader: [0x12, 0x06, 0x12, 0x00],
        hardware: [0x18, 0x00, 0x00, 0x03],
        firmware_date: [0x20, 0x26, 0x11, 0x25],
        firmware: [0x01, 0x0B, 0x02, 0x14],
        protocols: 1 << (PROTOCOL_GEN2 - 1),
    }
}

/// Frames of Get Tag Buffer responses carrying `records`, packed as full
/// as a 255-byte frame allows: the bytes a real reader sends for a burst.
pub fn tag_buffer_frames(records: &[TagRecord], flags: MetadataFlags) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = records;
    while !rest.is_empty() {
        let take = records_per_frame(rest, flags);
        out.extend(tag_buffer_frame(&rest[..take], flags));
        rest = &rest[take..];
    }
    out
}

/// How many of `records` (at least one) fit one Get Tag Buffer response.
fn records_per_frame(records: &[TagRecord], flags: MetadataFlags) -> usize {
    let mut used = TagBufferHead::LEN;
    let mut count = 0;
    for record in records.iter().take(255) {
        used += record_len(flags, record.epc.len());
        if used > MAX_DATA {
            break;
        }
        count += 1;
    }
    count.max(1)
}

/// One Get Tag Buffer response frame carrying `records`.
fn tag_buffer_frame(records: &[TagRecord], flags: MetadataFlags) -> Vec<u8> {
    let data = tag_buffer_data(records, flags);
    let mut frame = Vec::with_capacity(data.len() + 7);
    encode_response(opcode::GET_TAG_ID_BUFFER, 0, &data, &mut frame);
    frame
}

/// The data of a Get Tag Buffer response: head, then the records.
fn tag_buffer_data(records: &[TagRecord], flags: MetadataFlags) -> Vec<u8> {
    let mut data = Vec::with_capacity(MAX_DATA);
    TagBufferHead {
        flags,
        count: records.len() as u8,
    }
    .write(&mut data);
    for record in records {
        write_record(record, flags, &mut data);
    }
    data
}

impl SimulatedReader {
    /// A reader with `tags` in its field.
    pub fn new(tags: Vec<SimTag>) -> SimulatedReader {
        let reader = SimulatedReader::default();
        reader.lock().tags = tags;
        reader
    }

    /// Replaces the tag population (pallets arriving or leaving).
    pub fn set_tags(&self, tags: Vec<SimTag>) {
        self.lock().tags = tags;
    }

    /// Applies `fault` to the next response to `opcode`. Faults for one
    /// opcode apply in the order injected.
    pub fn inject(&self, opcode: u8, fault: Fault) {
        self.lock().faults.push_back((opcode, fault));
    }

    /// Opcodes of the commands received so far, in order.
    pub fn commands(&self) -> Vec<u8> {
        self.lock().commands.clone()
    }

    fn lock(&self) -> MutexGuard<'_, Shared> {
        // A panicking test thread must not hide the reader's state.
        self.shared.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Answers commands arriving on `port` until the host closes it or a
    /// [`Fault::DisconnectMidFrame`] drops it. The port needs a read
    /// timeout.
    pub fn serve<P: Read + Write>(&self, mut port: P) -> io::Result<()> {
        let mut framer = Framer::new(Direction::ToReader);
        let mut state = State::default();
        let mut buffer = [0u8; 512];
        loop {
            while let Some(frame) = framer.next_frame() {
                let (opcode, status, data) = self.answer(&mut state, frame.opcode, &frame.data);
                if !self.respond(&mut port, opcode, status, &data)? {
                    return Ok(());
                }
            }
            match port.read(&mut buffer) {
                Ok(0) => return Ok(()),
                Ok(n) => framer.push(&buffer[..n]),
                Err(e) if matches!(e.kind(), ErrorKind::TimedOut | ErrorKind::Interrupted) => {}
                // The host closed its end: the session is over.
                Err(e) if e.kind() == ErrorKind::BrokenPipe => return Ok(()),
                Err(e) if e.raw_os_error() == Some(EIO) => return Ok(()),
                Err(e) => return Err(e),
            }
        }
    }

    /// Writes one response, applying the next fault for its opcode.
    /// Returns `false` when the fault was a disconnect.
    fn respond<P: Write>(
        &self,
        port: &mut P,
        opcode: u8,
        status: u16,
        data: &[u8],
    ) -> io::Result<bool> {
        let fault = {
            let mut shared = self.lock();
            let at = shared.faults.iter().position(|(op, _)| *op == opcode);
            at.and_then(|i| shared.faults.remove(i)).map(|(_, f)| f)
        };
        let mut bytes = Vec::with_capacity(data.len() + 16);
        match &fault {
            Some(Fault::Status(code)) => encode_response(opcode, *code, &[], &mut bytes),
            Some(Fault::GarbageBefore(garbage)) => {
                bytes.extend_from_slice(garbage);
                encode_response(opcode, status, data, &mut bytes);
            }
            _ => encode_response(opcode, status, data, &mut bytes),
        }
        match fault {
            Some(Fault::CorruptCrc) => {
                let last = bytes.len() - 1;
                bytes[last] ^= 0xA5;
            }
            Some(Fault::DisconnectMidFrame) => {
                port.write_all(&bytes[..bytes.len() / 2])?;
                port.flush()?;
                return Ok(false);
            }
            _ => {}
        }
        port.write_all(&bytes)?;
        port.flush()?;
        Ok(true)
    }

    /// The module's answer to one command: opcode, status, data.
    fn answer(&self, state: &mut State, opcode: u8, data: &[u8]) -> (u8, u16, Vec<u8>) {
        self.lock().commands.push(opcode);
        let command = match Command::parse(opcode, data) {
            Ok(command) => command,
            Err(status) => return (opcode, status, Vec::new()),
        };
        match self.execute(state, command) {
            Ok(data) => (opcode, 0, data),
            Err(status) => (opcode, status.word(), Vec::new()),
        }
    }

    fn execute(&self, state: &mut State, command: Command) -> Result<Vec<u8>, ReaderStatus> {
        use ReaderStatus::*;
        match command {
            Command::Version => Ok(simulated_version().to_data()),
            Command::SetRegion(region) => {
                if !Region::NAMES.iter().any(|&(_, code)| code == region.0) {
                    return Err(InvalidRegion);
                }
                state.region = Some(region);
                Ok(Vec::new())
            }
            Command::SetTagProtocol(protocol) => {
                if protocol != PROTOCOL_GEN2 {
                    return Err(InvalidProtocol);
                }
                state.protocol = Some(protocol);
                Ok(Vec::new())
            }
            Command::SetAntennaSearchList(ports) => {
                if ports
                    .iter()
                    .any(|&(tx, rx)| !(1..=4).contains(&tx) || tx != rx)
                {
                    return Err(InvalidParameter);
                }
                state.antennas = ports.iter().map(|&(tx, _)| tx).collect();
                Ok(Vec::new())
            }
            Command::SetReadTxPower(power) => match power {
                0..500 => Err(PowerTooLow),
                500..=3150 => {
                    state.read_power_cdbm = power;
                    Ok(Vec::new())
                }
                _ => Err(PowerTooHigh),
            },
            Command::ReadTagIdMultiple {
                search_flags,
                timeout_ms,
            } => self.inventory(state, search_flags, timeout_ms),
            Command::GetTagBuffer(flags) => {
                if state.buffer.is_empty() {
                    return Err(TagBufferShort);
                }
                let take = records_per_frame(state.buffer.make_contiguous(), flags);
                let records: Vec<TagRecord> = state.buffer.drain(..take).collect();
                Ok(tag_buffer_data(&records, flags))
            }
            Command::ClearTagBuffer => {
                state.buffer.clear();
                Ok(Vec::new())
            }
        }
    }

    fn inventory(
        &self,
        state: &mut State,
        search_flags: u16,
        timeout_ms: u16,
    ) -> Result<Vec<u8>, ReaderStatus> {
        if state.region.is_none() {
            return Err(ReaderStatus::RadioNotOn);
        }
        if state.protocol.is_none() {
            return Err(ReaderStatus::NoProtocolDefined);
        }
        // The module holds the line for the whole search.
        std::thread::sleep(Duration::from_millis(u64::from(timeout_ms)));
        state.clock_ms = state.clock_ms.wrapping_add(u32::from(timeout_ms));
        let tags = self.lock().tags.clone();
        let before = state.buffer.len();
        for tag in tags
            .iter()
            .filter(|t| state.antennas.contains(&t.antenna) && t.reads_per_round > 0)
        {
            state.buffer.push_back(TagRecord {
                pc: pc_for(tag.epc.len()),
                epc: tag.epc.clone(),
                rssi: tag.rssi,
                antenna: tag.antenna,
                read_count: tag.reads_per_round,
                reader_timestamp: Some(state.clock_ms),
            });
        }
        let found = (state.buffer.len() - before) as u32;
        if found == 0 {
            return Err(ReaderStatus::NoTagsFound);
        }
        Ok(tag_count_response(search_flags, found))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::devices::rfid::tag::parse_tag_buffer;

    fn record(n: u16) -> TagRecord {
        let mut epc = vec![0x30, 0x74, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        epc[10..].copy_from_slice(&n.to_be_bytes());
        TagRecord {
            pc: pc_for(epc.len()),
            epc,
            rssi: -50,
            antenna: 1,
            read_count: 1,
            reader_timestamp: Some(u32::from(n)),
        }
    }

    #[test]
    fn a_burst_packs_into_full_frames_that_parse_back() {
        let records: Vec<TagRecord> = (0..100).map(record).collect();
        let bytes = tag_buffer_frames(&records, MetadataFlags::INVENTORY);
        let mut framer = Framer::new(Direction::FromReader);
        framer.push(&bytes);
        let mut parsed = Vec::new();
        let mut frames = 0;
        while let Some(frame) = framer.next_frame() {
            assert!(frame.data.len() <= MAX_DATA);
            parse_tag_buffer(&frame.data, &mut parsed).unwrap();
            frames += 1;
        }
        assert_eq!(parsed, records);
        // 26-byte records: 9 per frame.
        assert_eq!(frames, 100usize.div_ceil(9));
    }
}
