//! The Mercury commands Lotline uses to configure a reader and run a
//! synchronous inventory, with their data layouts in both directions.
//!
//! The host side builds [`Command`]s and parses responses with the
//! `parse_*` functions; the simulated reader uses [`Command::parse`] and
//! the `*_response` builders, so both ends share one definition of every
//! layout. Multi-byte fields are big-endian.

use super::frame::MAX_DATA;
use super::status::RfidError;

/// Opcodes of the commands in this module.
pub mod opcode {
    /// Get version: bootloader, hardware, firmware date and version.
    pub const VERSION: u8 = 0x03;
    /// Read tag ID multiple: one timed inventory into the tag buffer.
    pub const READ_TAG_ID_MULTIPLE: u8 = 0x22;
    /// Get tag ID buffer: fetch buffered tag records with metadata.
    pub const GET_TAG_ID_BUFFER: u8 = 0x29;
    /// Clear tag ID buffer.
    pub const CLEAR_TAG_ID_BUFFER: u8 = 0x2A;
    /// Set antenna port (option 2: the antenna search list).
    pub const SET_ANTENNA_PORT: u8 = 0x91;
    /// Set read TX power in centi-dBm.
    pub const SET_READ_TX_POWER: u8 = 0x92;
    /// Set the current tag protocol.
    pub const SET_TAG_PROTOCOL: u8 = 0x93;
    /// Set the regulatory region.
    pub const SET_REGION: u8 = 0x97;
}

/// The tag protocol code of EPC Gen2 (ISO 18000-63).
pub const PROTOCOL_GEN2: u16 = 0x0005;

/// Option byte of Set Antenna Port that introduces a (TX, RX) search list.
const ANTENNA_SEARCH_LIST: u8 = 0x02;

/// Search flag: use the antenna search list set with Set Antenna Port.
pub const SEARCH_CONFIGURED_LIST: u16 = 0x0003;
/// Search flag: the reply carries a 4-byte tag count (large populations).
pub const SEARCH_LARGE_POPULATION: u16 = 0x0010;

/// A regulatory region, by its Mercury code. The region sets the channel
/// plan and the power limits, so a reader must be told where it stands
/// before it will transmit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region(pub u8);

impl Region {
    /// The configuration names and codes of the regions Mercury modules
    /// support.
    pub const NAMES: [(&'static str, u8); 15] = [
        ("na", 0x01),
        ("eu", 0x02),
        ("kr", 0x03),
        ("in", 0x04),
        ("jp", 0x05),
        ("prc", 0x06),
        ("eu2", 0x07),
        ("eu3", 0x08),
        ("kr2", 0x09),
        ("prc2", 0x0A),
        ("au", 0x0B),
        ("nz", 0x0C),
        ("na2", 0x0D),
        ("na3", 0x0E),
        ("open", 0xFF),
    ];

    /// The region for a configuration name such as `eu3` or `na2` (any
    /// case).
    pub fn from_name(name: &str) -> Result<Region, RfidError> {
        Self::NAMES
            .iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(name))
            .map(|&(_, code)| Region(code))
            .ok_or_else(|| {
                let known: Vec<&str> = Self::NAMES.iter().map(|(n, _)| *n).collect();
                RfidError::Config(format!(
                    "unknown region {name:?}; known: {}",
                    known.join(", ")
                ))
            })
    }
}

/// Which metadata a tag record carries, in the order the reader writes
/// the fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetadataFlags(pub u16);

impl MetadataFlags {
    /// Read count (1 byte).
    pub const READ_COUNT: u16 = 0x0001;
    /// RSSI in dBm (1 signed byte).
    pub const RSSI: u16 = 0x0002;
    /// Antenna (1 byte, TX port in the high nibble, RX in the low).
    pub const ANTENNA: u16 = 0x0004;
    /// Carrier frequency in kHz (3 bytes).
    pub const FREQUENCY: u16 = 0x0008;
    /// Reader time stamp (4 bytes).
    pub const TIMESTAMP: u16 = 0x0010;
    /// Phase (2 bytes).
    pub const PHASE: u16 = 0x0020;
    /// Tag protocol (1 byte).
    pub const PROTOCOL: u16 = 0x0040;
    /// Embedded read data (2-byte bit count, then the bytes).
    pub const DATA: u16 = 0x0080;
    /// GPIO levels (1 byte).
    pub const GPIO: u16 = 0x0100;
    /// Every flag this parser knows the size of.
    pub const KNOWN: u16 = 0x01FF;

    /// What Lotline asks for: read count, RSSI, antenna, time stamp and
    /// protocol.
    pub const INVENTORY: MetadataFlags = MetadataFlags(
        Self::READ_COUNT | Self::RSSI | Self::ANTENNA | Self::TIMESTAMP | Self::PROTOCOL,
    );

    /// Whether `flag` is set.
    pub fn has(self, flag: u16) -> bool {
        self.0 & flag != 0
    }
}

/// A command from host to reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Ask for the version block.
    Version,
    /// Set the regulatory region.
    SetRegion(Region),
    /// Set the tag protocol (Lotline always uses [`PROTOCOL_GEN2`]).
    SetTagProtocol(u16),
    /// Set the antenna search list as (TX port, RX port) pairs.
    SetAntennaSearchList(Vec<(u8, u8)>),
    /// Set the read power in centi-dBm (2700 = 27.00 dBm).
    SetReadTxPower(u16),
    /// Run one inventory of `timeout_ms` over the configured antennas.
    ReadTagIdMultiple {
        /// Search flags (see the `SEARCH_*` constants).
        search_flags: u16,
        /// How long the reader searches, in milliseconds.
        timeout_ms: u16,
    },
    /// Fetch the next tag records from the buffer.
    GetTagBuffer(MetadataFlags),
    /// Empty the tag buffer.
    ClearTagBuffer,
}

impl Command {
    /// The command's opcode.
    pub fn opcode(&self) -> u8 {
        match self {
            Command::Version => opcode::VERSION,
            Command::SetRegion(_) => opcode::SET_REGION,
            Command::SetTagProtocol(_) => opcode::SET_TAG_PROTOCOL,
            Command::SetAntennaSearchList(_) => opcode::SET_ANTENNA_PORT,
            Command::SetReadTxPower(_) => opcode::SET_READ_TX_POWER,
            Command::ReadTagIdMultiple { .. } => opcode::READ_TAG_ID_MULTIPLE,
            Command::GetTagBuffer(_) => opcode::GET_TAG_ID_BUFFER,
            Command::ClearTagBuffer => opcode::CLEAR_TAG_ID_BUFFER,
        }
    }

    /// The command's data bytes. Fails for an antenna list too long for
    /// one frame.
    pub fn data(&self) -> Result<Vec<u8>, RfidError> {
        let data = match self {
            Command::Version | Command::ClearTagBuffer => Vec::new(),
            Command::SetRegion(region) => vec![region.0],
            Command::SetTagProtocol(protocol) => protocol.to_be_bytes().to_vec(),
            Command::SetAntennaSearchList(ports) => {
                if ports.is_empty() || 1 + 2 * ports.len() > MAX_DATA {
                    return Err(RfidError::Config(format!(
                        "antenna list must have 1 to 127 ports, got {}",
                        ports.len()
                    )));
                }
                let mut data = vec![ANTENNA_SEARCH_LIST];
                for &(tx, rx) in ports {
                    data.extend([tx, rx]);
                }
                data
            }
            Command::SetReadTxPower(centi_dbm) => centi_dbm.to_be_bytes().to_vec(),
            Command::ReadTagIdMultiple {
                search_flags,
                timeout_ms,
            } => {
                let mut data = vec![0x00];
                data.extend(search_flags.to_be_bytes());
                data.extend(timeout_ms.to_be_bytes());
                data
            }
            Command::GetTagBuffer(flags) => {
                let mut data = flags.0.to_be_bytes().to_vec();
                data.push(0x00);
                data
            }
        };
        Ok(data)
    }

    /// The command a received frame carries: what the simulated reader
    /// answers. `Err` holds the status word a real module would return
    /// (invalid opcode, wrong data length or invalid parameter).
    pub fn parse(opcode: u8, data: &[u8]) -> Result<Command, u16> {
        const WRONG_LENGTH: u16 = 0x0100;
        const INVALID_OPCODE: u16 = 0x0101;
        const INVALID_PARAMETER: u16 = 0x0105;
        let u16_at = |i: usize| u16::from_be_bytes([data[i], data[i + 1]]);
        let expect_len = |len: usize| {
            if data.len() == len {
                Ok(())
            } else {
                Err(WRONG_LENGTH)
            }
        };
        match opcode {
            opcode::VERSION => expect_len(0).map(|_| Command::Version),
            opcode::CLEAR_TAG_ID_BUFFER => expect_len(0).map(|_| Command::ClearTagBuffer),
            opcode::SET_REGION => expect_len(1).map(|_| Command::SetRegion(Region(data[0]))),
            opcode::SET_TAG_PROTOCOL => expect_len(2).map(|_| Command::SetTagProtocol(u16_at(0))),
            opcode::SET_READ_TX_POWER => expect_len(2).map(|_| Command::SetReadTxPower(u16_at(0))),
            opcode::SET_ANTENNA_PORT => {
                if data.len() < 3 || data.len().is_multiple_of(2) {
                    return Err(WRONG_LENGTH);
                }
                if data[0] != ANTENNA_SEARCH_LIST {
                    return Err(INVALID_PARAMETER);
                }
                let ports = data[1..].chunks_exact(2).map(|p| (p[0], p[1])).collect();
                Ok(Command::SetAntennaSearchList(ports))
            }
            opcode::READ_TAG_ID_MULTIPLE => {
                expect_len(5)?;
                Ok(Command::ReadTagIdMultiple {
                    search_flags: u16_at(1),
                    timeout_ms: u16_at(3),
                })
            }
            opcode::GET_TAG_ID_BUFFER => {
                expect_len(3)?;
                Ok(Command::GetTagBuffer(MetadataFlags(u16_at(0))))
            }
            _ => Err(INVALID_OPCODE),
        }
    }
}

/// The reader's version block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionInfo {
    /// Bootloader version.
    pub bootloader: [u8; 4],
    /// Hardware version; the first byte is the module family.
    pub hardware: [u8; 4],
    /// Firmware build date (BCD yyyymmdd).
    pub firmware_date: [u8; 4],
    /// Firmware version.
    pub firmware: [u8; 4],
    /// Bit mask of supported tag protocols.
    pub protocols: u32,
}

impl VersionInfo {
    const LEN: usize = 20;

    /// Parses the data of a Version response.
    pub fn parse(data: &[u8]) -> Result<VersionInfo, RfidError> {
        if data.len() < Self::LEN {
            return Err(malformed(
                opcode::VERSION,
                format!("{} bytes, version block needs 20", data.len()),
            ));
        }
        let quad = |i: usize| [data[i], data[i + 1], data[i + 2], data[i + 3]];
        Ok(VersionInfo {
            bootloader: quad(0),
            hardware: quad(4),
            firmware_date: quad(8),
            firmware: quad(12),
            protocols: u32::from_be_bytes(quad(16)),
        })
    }

    /// The data of a Version response (for the simulated reader).
    pub fn to_data(&self) -> Vec<u8> {
        let mut data = Vec::with_capacity(Self::LEN);
        data.extend(self.bootloader);
        data.extend(self.hardware);
        data.extend(self.firmware_date);
        data.extend(self.firmware);
        data.extend(self.protocols.to_be_bytes());
        data
    }

    /// The firmware version as dotted hex, e.g. `01.0b.02.14`.
    pub fn firmware_string(&self) -> String {
        self.firmware
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<Vec<_>>()
            .join(".")
    }
}

/// Parses a Read Tag ID Multiple response: option, search flags, then the
/// tag count in one byte or, with [`SEARCH_LARGE_POPULATION`], four.
pub fn parse_tag_count(data: &[u8]) -> Result<u32, RfidError> {
    match data.len() {
        4 => Ok(u32::from(data[3])),
        7 => Ok(u32::from_be_bytes([data[3], data[4], data[5], data[6]])),
        n => Err(malformed(
            opcode::READ_TAG_ID_MULTIPLE,
            format!("{n} bytes, expected 4 or 7"),
        )),
    }
}

/// The data of a Read Tag ID Multiple response (for the simulated
/// reader), echoing the request's search flags.
pub fn tag_count_response(search_flags: u16, count: u32) -> Vec<u8> {
    let mut data = vec![0x00];
    data.extend(search_flags.to_be_bytes());
    if search_flags & SEARCH_LARGE_POPULATION != 0 {
        data.extend(count.to_be_bytes());
    } else {
        data.push(count.min(255) as u8);
    }
    data
}

/// The head of a Get Tag Buffer response: the metadata flags the records
/// carry and how many records follow, plus where they start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TagBufferHead {
    /// The flags the reader used for these records.
    pub flags: MetadataFlags,
    /// Number of records in this response.
    pub count: u8,
}

impl TagBufferHead {
    /// Bytes before the first record.
    pub const LEN: usize = 4;

    /// Parses the head of a Get Tag Buffer response.
    pub fn parse(data: &[u8]) -> Result<TagBufferHead, RfidError> {
        if data.len() < Self::LEN {
            return Err(malformed(
                opcode::GET_TAG_ID_BUFFER,
                format!("{} bytes, head needs 4", data.len()),
            ));
        }
        Ok(TagBufferHead {
            flags: MetadataFlags(u16::from_be_bytes([data[0], data[1]])),
            count: data[3],
        })
    }

    /// Appends the head to a response's data (for the simulated reader).
    pub fn write(&self, out: &mut Vec<u8>) {
        out.extend(self.flags.0.to_be_bytes());
        out.push(0x00);
        out.push(self.count);
    }
}

/// An error for a response whose data does not fit its opcode's layout.
pub fn malformed(opcode: u8, reason: String) -> RfidError {
    RfidError::Malformed { opcode, reason }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(command: Command) {
        let data = command.data().unwrap();
        assert_eq!(Command::parse(command.opcode(), &data), Ok(command));
    }

    #[test]
    fn every_command_parses_back_from_its_bytes() {
        round_trip(Command::Version);
        round_trip(Command::SetRegion(Region(0x08)));
        round_trip(Command::SetTagProtocol(PROTOCOL_GEN2));
        round_trip(Command::SetAntennaSearchList(vec![(1, 1), (2, 2)]));
        round_trip(Command::SetReadTxPower(2700));
        round_trip(Command::ReadTagIdMultiple {
            search_flags: SEARCH_CONFIGURED_LIST | SEARCH_LARGE_POPULATION,
            timeout_ms: 250,
        });
        round_trip(Command::GetTagBuffer(MetadataFlags::INVENTORY));
        round_trip(Command::ClearTagBuffer);
    }

    #[test]
    fn command_layouts_match_the_protocol() {
        let read = Command::ReadTagIdMultiple {
            search_flags: 0x0013,
            timeout_ms: 500,
        };
        assert_eq!(read.data().unwrap(), [0x00, 0x00, 0x13, 0x01, 0xF4]);
        assert_eq!(
            Command::GetTagBuffer(MetadataFlags::INVENTORY)
                .data()
                .unwrap(),
            [0x00, 0x57, 0x00]
        );
        assert_eq!(
            Command::SetAntennaSearchList(vec![(1, 1)]).data().unwrap(),
            [0x02, 0x01, 0x01]
        );
        assert_eq!(Command::SetReadTxPower(2700).data().unwrap(), [0x0A, 0x8C]);
    }

    #[test]
    fn bad_commands_get_the_module_status() {
        assert_eq!(Command::parse(0x77, &[]), Err(0x0101));
        assert_eq!(Command::parse(opcode::SET_REGION, &[]), Err(0x0100));
        assert_eq!(
            Command::parse(opcode::SET_ANTENNA_PORT, &[0x05, 1, 1]),
            Err(0x0105)
        );
        assert!(Command::SetAntennaSearchList(Vec::new()).data().is_err());
    }

    #[test]
    fn regions_by_name() {
        assert_eq!(Region::from_name("EU3").unwrap(), Region(0x08));
        assert_eq!(Region::from_name("na2").unwrap(), Region(0x0D));
        let error = Region::from_name("mars").unwrap_err().to_string();
        assert!(error.contains("mars") && error.contains("eu3"), "{error}");
    }

    #[test]
    fn tag_count_in_both_widths() {
        assert_eq!(parse_tag_count(&tag_count_response(0x0003, 7)).unwrap(), 7);
        assert_eq!(
            parse_tag_count(&tag_count_response(0x0013, 70_000)).unwrap(),
            70_000
        );
        assert!(parse_tag_count(&[0, 0]).is_err());
    }

    #[test]
    fn version_block_round_trips() {
        let info = VersionInfo {
            bootloader: [1, 2, 3, 4],
            hardware: [0x18, 0, 0, 1],
            firmware_date: [0x20, 0x26, 0x11, 0x25],
            firmware: [1, 0x0b, 2, 0x14],
            protocols: 0x10,
        };
        assert_eq!(VersionInfo::parse(&info.to_data()).unwrap(), info);
        assert_eq!(info.firmware_string(), "01.0b.02.14");
        assert!(VersionInfo::parse(&[0; 19]).is_err());
    }
}
