//! Bit-level access to EPC memory: hex text to bytes and back, and reading
//! and writing big-endian bit fields of up to 64 bits. Everything lives in
//! fixed arrays, so decoding a tag allocates nothing.

use crate::scan::ScanError;

/// The largest EPC a Gen2 tag can hold: 31 words of 16 bits.
const MAX_EPC_BITS: usize = 496;

/// The longest encoding written: GIAI-202 padded to 13 words.
const MAX_WRITE_BYTES: usize = 26;

/// EPC memory contents parsed from hexadecimal text.
pub(crate) struct EpcBytes {
    bytes: [u8; MAX_EPC_BITS / 8],
    len: usize,
}

impl EpcBytes {
    /// Parses `hex` (either case, whole bytes, at most 496 bits).
    pub fn from_hex(hex: &str) -> Result<EpcBytes, ScanError> {
        let digits = hex.as_bytes();
        if digits.is_empty() {
            return Err(ScanError::Epc("no hex digits".into()));
        }
        if let Some(position) = digits.iter().position(|b| !b.is_ascii_hexdigit()) {
            // Everything before `position` is ASCII, so it is a char boundary.
            let found = hex[position..].chars().next().unwrap_or_default();
            return Err(ScanError::Epc(format!(
                "character {found:?} at position {position} is not a hex digit"
            )));
        }
        if !digits.len().is_multiple_of(2) {
            return Err(ScanError::Epc(format!(
                "odd number of hex digits ({}); EPC memory is whole bytes",
                digits.len()
            )));
        }
        if digits.len() * 4 > MAX_EPC_BITS {
            return Err(ScanError::Epc(format!(
                "{} bits is longer than the largest EPC ({MAX_EPC_BITS} bits)",
                digits.len() * 4
            )));
        }
        let mut bytes = [0u8; MAX_EPC_BITS / 8];
        for (byte, pair) in bytes.iter_mut().zip(digits.chunks_exact(2)) {
            *byte = nibble(pair[0]) << 4 | nibble(pair[1]);
        }
        Ok(EpcBytes {
            bytes,
            len: digits.len() / 2,
        })
    }

    /// The bytes read.
    pub fn as_slice(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

/// The value of an ASCII hex digit (already checked to be one).
fn nibble(digit: u8) -> u8 {
    match digit {
        b'0'..=b'9' => digit - b'0',
        b'a'..=b'f' => digit - b'a' + 10,
        b'A'..=b'F' => digit - b'A' + 10,
        _ => 0,
    }
}

/// Reads consecutive big-endian bit fields; bits past the end read as zero.
pub(crate) struct BitReader<'a> {
    bytes: &'a [u8],
    position: usize,
}

impl<'a> BitReader<'a> {
    /// A reader at bit 0 of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        BitReader { bytes, position: 0 }
    }

    /// The next `width` bits (at most 64) as an unsigned integer.
    pub fn read(&mut self, width: u32) -> u64 {
        debug_assert!(width <= 64);
        let mut value = 0u64;
        let mut remaining = width.min(64);
        while remaining > 0 {
            let byte = self.bytes.get(self.position / 8).copied().unwrap_or(0);
            let offset = (self.position % 8) as u32;
            let take = (8 - offset).min(remaining);
            let chunk = (u32::from(byte) >> (8 - offset - take)) & ((1 << take) - 1);
            value = value << take | u64::from(chunk);
            self.position += take as usize;
            remaining -= take;
        }
        value
    }

    /// True when every bit from the current position to the end is zero.
    pub fn rest_is_zero(&self) -> bool {
        let index = self.position / 8;
        let offset = self.position % 8;
        let (partial, whole_from) = if offset == 0 {
            (0, index)
        } else {
            let byte = self.bytes.get(index).copied().unwrap_or(0);
            (byte & (0xff >> offset), index + 1)
        };
        partial == 0
            && self
                .bytes
                .get(whole_from..)
                .is_none_or(|rest| rest.iter().all(|&b| b == 0))
    }
}

/// Writes consecutive big-endian bit fields into a zeroed buffer.
pub(crate) struct BitWriter {
    bytes: [u8; MAX_WRITE_BYTES],
    position: usize,
}

impl BitWriter {
    /// An empty writer.
    pub fn new() -> Self {
        BitWriter {
            bytes: [0; MAX_WRITE_BYTES],
            position: 0,
        }
    }

    /// Appends the low `width` bits (at most 64) of `value`.
    pub fn write(&mut self, value: u64, width: u32) {
        debug_assert!(width <= 64);
        let mut remaining = width.min(64);
        while remaining > 0 {
            let offset = (self.position % 8) as u32;
            let take = (8 - offset).min(remaining);
            let chunk = ((value >> (remaining - take)) & ((1 << take) - 1)) as u8;
            if let Some(byte) = self.bytes.get_mut(self.position / 8) {
                *byte |= chunk << (8 - offset - take);
            }
            self.position += take as usize;
            remaining -= take;
        }
    }

    /// Uppercase hex of the first `bit_len` bits, zero-padded to whole 16-bit
    /// words as tags store them (SGTIN-198 becomes 208 bits, 52 digits).
    pub fn to_hex(&self, bit_len: usize) -> String {
        const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
        let byte_len = (bit_len.div_ceil(16) * 2).min(MAX_WRITE_BYTES);
        let mut hex = String::with_capacity(byte_len * 2);
        for &byte in &self.bytes[..byte_len] {
            hex.push(char::from(DIGITS[usize::from(byte >> 4)]));
            hex.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
        }
        hex
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_in_either_case_becomes_bytes() {
        let bytes = EpcBytes::from_hex("3074257bf7194E4000001A85").unwrap();
        assert_eq!(
            bytes.as_slice(),
            &[
                0x30, 0x74, 0x25, 0x7b, 0xf7, 0x19, 0x4e, 0x40, 0x00, 0x00, 0x1a, 0x85
            ]
        );
    }

    #[test]
    fn bad_hex_is_rejected_with_the_reason() {
        let message = |hex: &str| match EpcBytes::from_hex(hex) {
            Err(ScanError::Epc(m)) => m,
            other => panic!("expected an error for {hex:?}, got {:?}", other.map(|_| ())),
        };
        assert_eq!(message(""), "no hex digits");
        assert_eq!(
            message("30G4"),
            "character 'G' at position 2 is not a hex digit"
        );
        assert_eq!(
            message("30é4"),
            "character 'é' at position 2 is not a hex digit"
        );
        assert_eq!(
            message("307"),
            "odd number of hex digits (3); EPC memory is whole bytes"
        );
        assert!(message(&"00".repeat(63)).contains("504 bits is longer"));
        assert!(EpcBytes::from_hex(&"00".repeat(62)).is_ok());
    }

    #[test]
    fn fields_read_across_byte_boundaries() {
        let bytes = [0b1010_1100, 0b0101_0011, 0xff];
        let mut reader = BitReader::new(&bytes);
        assert_eq!(reader.read(3), 0b101);
        assert_eq!(reader.read(7), 0b011_0001);
        assert_eq!(reader.read(0), 0);
        assert_eq!(reader.read(6), 0b01_0011);
        assert_eq!(reader.read(12), 0xff0, "bits past the end read as zero");
    }

    #[test]
    fn sixty_four_bit_fields_round_trip() {
        let mut writer = BitWriter::new();
        writer.write(0b101, 3);
        writer.write(u64::MAX, 64);
        writer.write(0x1234_5678_9abc_def0, 64);
        let hex = writer.to_hex(131);
        let bytes = EpcBytes::from_hex(&hex).unwrap();
        let mut reader = BitReader::new(bytes.as_slice());
        assert_eq!(reader.read(3), 0b101);
        assert_eq!(reader.read(64), u64::MAX);
        assert_eq!(reader.read(64), 0x1234_5678_9abc_def0);
        assert!(reader.rest_is_zero());
    }

    #[test]
    fn rest_is_zero_looks_at_the_partial_byte_too() {
        let bytes = [0xf0, 0x01];
        let mut reader = BitReader::new(&bytes);
        reader.read(4);
        assert!(!reader.rest_is_zero());
        reader.read(8);
        assert!(!reader.rest_is_zero());
        reader.read(4);
        assert!(reader.rest_is_zero());
        let zero = [0x80, 0];
        let mut reader = BitReader::new(&zero);
        reader.read(1);
        assert!(reader.rest_is_zero());
    }

    #[test]
    fn hex_output_is_padded_to_whole_words() {
        let mut writer = BitWriter::new();
        writer.write(0x36, 8);
        writer.write(0, 64);
        assert_eq!(writer.to_hex(198).len(), 52);
        assert_eq!(writer.to_hex(96), "360000000000000000000000");
        assert_eq!(writer.to_hex(170).len(), 44);
    }
}
