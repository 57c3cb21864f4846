//! The status word a Mercury reader puts in every response, and the typed
//! errors of the reader link.
//!
//! A non-zero status names why the module refused a command. The common
//! codes get their own variant so the driver can react (no tags found is
//! an empty inventory, not a failure); every other code is kept as
//! [`ReaderStatus::Other`] with its number, so nothing is lost in the log.

use std::fmt;

/// A non-zero status word from the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReaderStatus {
    /// 0x0100: the command carried the wrong number of data bytes.
    WrongDataLength,
    /// 0x0101: the opcode is not known to this firmware.
    InvalidOpcode,
    /// 0x0102: the opcode is known but not implemented.
    UnimplementedOpcode,
    /// 0x0103: the requested power is above the module's maximum.
    PowerTooHigh,
    /// 0x0105: a parameter value is out of range.
    InvalidParameter,
    /// 0x0106: the requested power is below the module's minimum.
    PowerTooLow,
    /// 0x010B: the module does not support the region.
    InvalidRegion,
    /// 0x0400: the inventory round found no tag.
    NoTagsFound,
    /// 0x0401: no tag protocol has been set.
    NoProtocolDefined,
    /// 0x0402: the tag protocol is not supported.
    InvalidProtocol,
    /// 0x0405: the radio is off, usually because no region is set.
    RadioNotOn,
    /// 0x0503: the antenna failed the pre-transmit check.
    AntennaNotConnected,
    /// 0x0504: the module is too hot to transmit.
    TemperatureExceeded,
    /// 0x0505: too much power reflected, usually a detuned antenna.
    HighReturnLoss,
    /// 0x0600: asked for more tags than the buffer holds.
    TagBufferShort,
    /// 0x0601: the tag buffer is full.
    TagBufferFull,
    /// 0x7F01: the firmware hit an assertion.
    FirmwareAssert,
    /// Any other non-zero status, by number.
    Other(u16),
}

impl ReaderStatus {
    /// The status for a raw word; `None` for 0 (success).
    pub fn from_word(word: u16) -> Option<ReaderStatus> {
        use ReaderStatus::*;
        Some(match word {
            0x0000 => return None,
            0x0100 => WrongDataLength,
            0x0101 => InvalidOpcode,
            0x0102 => UnimplementedOpcode,
            0x0103 => PowerTooHigh,
            0x0105 => InvalidParameter,
            0x0106 => PowerTooLow,
            0x010B => InvalidRegion,
            0x0400 => NoTagsFound,
            0x0401 => NoProtocolDefined,
            0x0402 => InvalidProtocol,
            0x0405 => RadioNotOn,
            0x0503 => AntennaNotConnected,
            0x0504 => TemperatureExceeded,
            0x0505 => HighReturnLoss,
            0x0600 => TagBufferShort,
            0x0601 => TagBufferFull,
            0x7F01 => FirmwareAssert,
            other => Other(other),
        })
    }

    /// The raw status word, as the reader sends it.
    pub fn word(self) -> u16 {
        use ReaderStatus::*;
        match self {
            WrongDataLength => 0x0100,
            InvalidOpcode => 0x0101,
            UnimplementedOpcode => 0x0102,
            PowerTooHigh => 0x0103,
            InvalidParameter => 0x0105,
            PowerTooLow => 0x0106,
            InvalidRegion => 0x010B,
            NoTagsFound => 0x0400,
            NoProtocolDefined => 0x0401,
            InvalidProtocol => 0x0402,
            RadioNotOn => 0x0405,
            AntennaNotConnected => 0x0503,
            TemperatureExceeded => 0x0504,
            HighReturnLoss => 0x0505,
            TagBufferShort => 0x0600,
            TagBufferFull => 0x0601,
            FirmwareAssert => 0x7F01,
            Other(word) => word,
        }
    }

    fn description(self) -> &'static str {
        use ReaderStatus::*;
        match self {
            WrongDataLength => "wrong number of data bytes",
            InvalidOpcode => "invalid opcode",
            UnimplementedOpcode => "unimplemented opcode",
            PowerTooHigh => "power too high",
            InvalidParameter => "invalid parameter value",
            PowerTooLow => "power too low",
            InvalidRegion => "region not supported",
            NoTagsFound => "no tags found",
            NoProtocolDefined => "no tag protocol set",
            InvalidProtocol => "tag protocol not supported",
            RadioNotOn => "radio not on (is the region set?)",
            AntennaNotConnected => "antenna not connected",
            TemperatureExceeded => "temperature out of range",
            HighReturnLoss => "high return loss (antenna mismatch)",
            TagBufferShort => "not enough tags in the buffer",
            TagBufferFull => "tag buffer full",
            FirmwareAssert => "firmware assertion failed",
            Other(_) => "unknown status",
        }
    }
}

impl fmt::Display for ReaderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0x{:04X} {}", self.word(), self.description())
    }
}

/// Why a reader command failed.
#[derive(Debug, thiserror::Error)]
pub enum RfidError {
    /// The reader answered with a non-zero status.
    #[error("reader refused opcode 0x{opcode:02X}: status {status}")]
    Status { opcode: u8, status: ReaderStatus },
    /// A response arrived for another opcode: the module rebooted or a
    /// stale answer was still in the line.
    #[error("expected a response to opcode 0x{expected:02X}, got 0x{got:02X}")]
    UnexpectedOpcode { expected: u8, got: u8 },
    /// A response's data did not have the layout its opcode defines.
    #[error("malformed response to opcode 0x{opcode:02X}: {reason}")]
    Malformed { opcode: u8, reason: String },
    /// No valid response within the timeout.
    #[error("no response to opcode 0x{opcode:02X} within {timeout_ms} ms")]
    Timeout { opcode: u8, timeout_ms: u64 },
    /// The port is gone (unplugged, closed or failing).
    #[error("reader disconnected: {0}")]
    Disconnected(String),
    /// A configuration value the protocol cannot carry.
    #[error("invalid reader configuration: {0}")]
    Config(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_status_round_trips_through_its_word() {
        for word in [
            0x0100, 0x0101, 0x0102, 0x0103, 0x0105, 0x0106, 0x010B, 0x0400, 0x0401, 0x0402, 0x0405,
            0x0503, 0x0504, 0x0505, 0x0600, 0x0601, 0x7F01, 0x0420,
        ] {
            let status = ReaderStatus::from_word(word).expect("non-zero");
            assert_eq!(status.word(), word);
        }
        assert_eq!(ReaderStatus::from_word(0), None);
    }

    #[test]
    fn display_names_the_code_and_meaning() {
        assert_eq!(
            ReaderStatus::from_word(0x0101).unwrap().to_string(),
            "0x0101 invalid opcode"
        );
        assert_eq!(
            ReaderStatus::Other(0x0420).to_string(),
            "0x0420 unknown status"
        );
        let error = RfidError::Status {
            opcode: 0x22,
            status: ReaderStatus::NoTagsFound,
        };
        assert_eq!(
            error.to_string(),
            "reader refused opcode 0x22: status 0x0400 no tags found"
        );
    }
}
