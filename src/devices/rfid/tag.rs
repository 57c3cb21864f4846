//! Tag records as a Get Tag Buffer response carries them: the metadata
//! fields selected by the flags, then the EPC memory as read: bit length,
//! PC word (plus any XPC words), EPC, and the tag's Gen2 CRC.
//!
//! A record is accepted only when its lengths agree (bit count, PC length
//! field, remaining bytes) and the tag CRC checks, so a garbled record can
//! never turn into a read of a tag that is not there.

use super::command::{MetadataFlags, PROTOCOL_GEN2, TagBufferHead, malformed, opcode};
use super::crc::gen2_crc;
use super::status::RfidError;

/// One tag read reported by the reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagRecord {
    /// The EPC bytes (without PC and CRC).
    pub epc: Vec<u8>,
    /// The Gen2 protocol-control word.
    pub pc: u16,
    /// Signal strength in dBm (negative; closer to 0 is stronger).
    pub rssi: i8,
    /// Antenna port that received the reply (the RX port).
    pub antenna: u8,
    /// How many times the reader saw the tag in this inventory.
    pub read_count: u8,
    /// The reader's own time stamp of the read, when requested.
    pub reader_timestamp: Option<u32>,
}

/// Bit of the PC word's high byte telling that an XPC_W1 word follows.
const PC_XI: u16 = 0x0200;
/// Bit of XPC_W1 telling that an XPC_W2 word follows.
const XPC_XEB: u16 = 0x8000;

/// Reads one record starting at `*at` in `data`, advancing `*at` past it.
pub fn parse_record(
    data: &[u8],
    at: &mut usize,
    flags: MetadataFlags,
) -> Result<TagRecord, RfidError> {
    let mut cursor = Cursor { data, at };
    if flags.0 & !MetadataFlags::KNOWN != 0 {
        return Err(bad(format!("unknown metadata flags 0x{:04X}", flags.0)));
    }
    let mut record = TagRecord {
        epc: Vec::new(),
        pc: 0,
        rssi: 0,
        antenna: 0,
        read_count: 1,
        reader_timestamp: None,
    };
    let mut protocol = PROTOCOL_GEN2;
    if flags.has(MetadataFlags::READ_COUNT) {
        record.read_count = cursor.u8()?;
    }
    if flags.has(MetadataFlags::RSSI) {
        record.rssi = cursor.u8()? as i8;
    }
    if flags.has(MetadataFlags::ANTENNA) {
        // TX port in the high nibble, RX in the low; port 16 wraps to 0.
        let rx = cursor.u8()? & 0x0F;
        record.antenna = if rx == 0 { 16 } else { rx };
    }
    if flags.has(MetadataFlags::FREQUENCY) {
        cursor.take(3)?;
    }
    if flags.has(MetadataFlags::TIMESTAMP) {
        let b = cursor.take(4)?;
        record.reader_timestamp = Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]));
    }
    if flags.has(MetadataFlags::PHASE) {
        cursor.take(2)?;
    }
    if flags.has(MetadataFlags::PROTOCOL) {
        protocol = u16::from(cursor.u8()?);
    }
    if flags.has(MetadataFlags::DATA) {
        let bits = cursor.u16()?;
        cursor.take(usize::from(bits).div_ceil(8))?;
    }
    if flags.has(MetadataFlags::GPIO) {
        cursor.u8()?;
    }
    if protocol != PROTOCOL_GEN2 {
        return Err(bad(format!("tag protocol 0x{protocol:02X} is not Gen2")));
    }
    let bits = usize::from(cursor.u16()?);
    if !bits.is_multiple_of(16) || bits < 32 {
        return Err(bad(format!(
            "EPC memory of {bits} bits is not PC + words + CRC"
        )));
    }
    let memory = cursor.take(bits / 8)?;
    let (covered, crc) = memory.split_at(memory.len() - 2);
    let sent_crc = u16::from_be_bytes([crc[0], crc[1]]);
    if gen2_crc(covered) != sent_crc {
        return Err(bad("tag CRC does not match its PC and EPC".into()));
    }
    let word = |i: usize| u16::from_be_bytes([covered[i], covered[i + 1]]);
    record.pc = word(0);
    let mut epc_start = 2;
    if record.pc & PC_XI != 0 && covered.len() >= 4 {
        epc_start = 4;
        if word(2) & XPC_XEB != 0 && covered.len() >= 6 {
            epc_start = 6;
        }
    }
    let epc = &covered[epc_start..];
    let pc_words = usize::from(record.pc >> 11);
    if pc_words * 2 != epc.len() {
        return Err(bad(format!(
            "PC word says {pc_words} EPC words, the record has {} bytes",
            epc.len()
        )));
    }
    record.epc = epc.to_vec();
    Ok(record)
}

/// Parses a whole Get Tag Buffer response, appending its records to
/// `out`; returns how many it held. Any damaged record or trailing byte
/// fails the response: its frame CRC was good, so the reader itself is
/// confused and none of its records can be trusted.
pub fn parse_tag_buffer(data: &[u8], out: &mut Vec<TagRecord>) -> Result<usize, RfidError> {
    let head = TagBufferHead::parse(data)?;
    let mut at = TagBufferHead::LEN;
    let first = out.len();
    for _ in 0..head.count {
        match parse_record(data, &mut at, head.flags) {
            Ok(record) => out.push(record),
            Err(error) => {
                out.truncate(first);
                return Err(error);
            }
        }
    }
    if at != data.len() {
        out.truncate(first);
        return Err(bad(format!(
            "{} bytes after the {} records",
            data.len() - at,
            head.count
        )));
    }
    Ok(usize::from(head.count))
}

/// The PC word for an EPC of `epc_len` bytes (length field only, no
/// user-memory or XPC indicators).
pub fn pc_for(epc_len: usize) -> u16 {
    ((epc_len / 2) as u16) << 11
}

/// Appends a record as a reader writes it with `flags` (for the simulated
/// reader). The EPC must be a whole number of 16-bit words. Only the
/// fields of [`MetadataFlags::INVENTORY`] are written with real values;
/// the others are zero.
pub fn write_record(record: &TagRecord, flags: MetadataFlags, out: &mut Vec<u8>) {
    if flags.has(MetadataFlags::READ_COUNT) {
        out.push(record.read_count);
    }
    if flags.has(MetadataFlags::RSSI) {
        out.push(record.rssi as u8);
    }
    if flags.has(MetadataFlags::ANTENNA) {
        let port = record.antenna & 0x0F;
        out.push((port << 4) | port);
    }
    if flags.has(MetadataFlags::FREQUENCY) {
        out.extend([0, 0, 0]);
    }
    if flags.has(MetadataFlags::TIMESTAMP) {
        out.extend(record.reader_timestamp.unwrap_or(0).to_be_bytes());
    }
    if flags.has(MetadataFlags::PHASE) {
        out.extend([0, 0]);
    }
    if flags.has(MetadataFlags::PROTOCOL) {
        out.push(PROTOCOL_GEN2 as u8);
    }
    if flags.has(MetadataFlags::DATA) {
        out.extend([0, 0]);
    }
    if flags.has(MetadataFlags::GPIO) {
        out.push(0);
    }
    let bits = (2 + record.epc.len() + 2) * 8;
    out.extend((bits as u16).to_be_bytes());
    let start = out.len();
    out.extend(record.pc.to_be_bytes());
    out.extend_from_slice(&record.epc);
    let crc = gen2_crc(&out[start..]);
    out.extend(crc.to_be_bytes());
}

/// The encoded size of a record with `flags` and an EPC of `epc_len`
/// bytes, so the simulated reader can fill a frame without overflowing it.
pub fn record_len(flags: MetadataFlags, epc_len: usize) -> usize {
    let sizes = [
        (MetadataFlags::READ_COUNT, 1),
        (MetadataFlags::RSSI, 1),
        (MetadataFlags::ANTENNA, 1),
        (MetadataFlags::FREQUENCY, 3),
        (MetadataFlags::TIMESTAMP, 4),
        (MetadataFlags::PHASE, 2),
        (MetadataFlags::PROTOCOL, 1),
        (MetadataFlags::DATA, 2),
        (MetadataFlags::GPIO, 1),
    ];
    let metadata: usize = sizes
        .iter()
        .filter(|(flag, _)| flags.has(*flag))
        .map(|(_, size)| size)
        .sum();
    metadata + 2 + 2 + epc_len + 2
}

fn bad(reason: String) -> RfidError {
    malformed(opcode::GET_TAG_ID_BUFFER, reason)
}

/// Bounds-checked reads from a response's data.
struct Cursor<'a, 'b> {
    data: &'a [u8],
    at: &'b mut usize,
}

impl<'a> Cursor<'a, '_> {
    fn take(&mut self, len: usize) -> Result<&'a [u8], RfidError> {
        let end = *self.at + len;
        let slice = self.data.get(*self.at..end).ok_or_else(|| {
            bad(format!(
                "record truncated: needs {len} bytes at offset {}, response has {}",
                *self.at,
                self.data.len()
            ))
        })?;
        *self.at = end;
        Ok(slice)
    }

    fn u8(&mut self) -> Result<u8, RfidError> {
        Ok(self.take(1)?[0])
    }

    fn u16(&mut self) -> Result<u16, RfidError> {
        let b = self.take(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sample() -> TagRecord {
        let epc = vec![
            0x30, 0x74, 0x25, 0x7B, 0xF7, 0x19, 0x4E, 0x40, 0x00, 0x00, 0x1A, 0x85,
        ];
        TagRecord {
            pc: pc_for(epc.len()),
            epc,
            rssi: -57,
            antenna: 2,
            read_count: 3,
            reader_timestamp: Some(1234),
        }
    }

    #[test]
    fn parses_a_record_written_with_inventory_flags() {
        let record = sample();
        let mut data = Vec::new();
        write_record(&record, MetadataFlags::INVENTORY, &mut data);
        assert_eq!(data.len(), record_len(MetadataFlags::INVENTORY, 12));
        // read count, RSSI (-57 = 0xC7), antenna 0x22, time stamp,
        // protocol, 128 bits, PC 0x3000, EPC, CRC.
        assert_eq!(
            &data[..10],
            [3, 0xC7, 0x22, 0, 0, 0x04, 0xD2, 0x05, 0x00, 0x80]
        );
        assert_eq!(&data[10..12], [0x30, 0x00]);
        let mut at = 0;
        let parsed = parse_record(&data, &mut at, MetadataFlags::INVENTORY).unwrap();
        assert_eq!(parsed, record);
        assert_eq!(at, data.len());
    }

    #[test]
    fn every_known_flag_is_skipped_correctly() {
        let record = sample();
        let all = MetadataFlags(MetadataFlags::KNOWN);
        let mut data = Vec::new();
        write_record(&record, all, &mut data);
        let mut at = 0;
        let parsed = parse_record(&data, &mut at, all).unwrap();
        assert_eq!(parsed, record);
        assert_eq!(at, record_len(all, 12));
    }

    #[test]
    fn a_flipped_bit_in_the_epc_is_rejected_by_the_tag_crc() {
        let mut data = Vec::new();
        write_record(&sample(), MetadataFlags::INVENTORY, &mut data);
        data[15] ^= 0x01;
        let error = parse_record(&data, &mut 0, MetadataFlags::INVENTORY).unwrap_err();
        assert!(error.to_string().contains("tag CRC"), "{error}");
    }

    #[test]
    fn a_pc_length_that_disagrees_is_rejected() {
        let mut record = sample();
        record.pc = pc_for(8);
        let mut data = Vec::new();
        write_record(&record, MetadataFlags::INVENTORY, &mut data);
        let error = parse_record(&data, &mut 0, MetadataFlags::INVENTORY).unwrap_err();
        assert!(error.to_string().contains("PC word says 4"), "{error}");
    }

    #[test]
    fn unknown_flags_and_other_protocols_are_errors() {
        assert!(parse_record(&[0; 40], &mut 0, MetadataFlags(0x0200)).is_err());
        let mut data = Vec::new();
        write_record(&sample(), MetadataFlags::INVENTORY, &mut data);
        data[7] = 0x03; // ISO 18000-6B
        assert!(parse_record(&data, &mut 0, MetadataFlags::INVENTORY).is_err());
    }

    #[test]
    fn a_tag_buffer_response_yields_all_its_records_or_none() {
        let mut data = Vec::new();
        TagBufferHead {
            flags: MetadataFlags::INVENTORY,
            count: 2,
        }
        .write(&mut data);
        write_record(&sample(), MetadataFlags::INVENTORY, &mut data);
        write_record(&sample(), MetadataFlags::INVENTORY, &mut data);
        let mut out = Vec::new();
        assert_eq!(parse_tag_buffer(&data, &mut out).unwrap(), 2);
        assert_eq!(out, [sample(), sample()]);

        data.push(0);
        let mut out = Vec::new();
        assert!(parse_tag_buffer(&data, &mut out).is_err());
        assert!(out.is_empty());
    }

    proptest! {
        #[test]
        fn truncated_or_random_records_never_panic(
            data in proptest::collection::vec(any::<u8>(), 0..64),
            flags in any::<u16>(),
        ) {
            let mut at = 0;
            let _ = parse_record(&data, &mut at, MetadataFlags(flags));
            prop_assert!(at <= data.len());
        }

        #[test]
        fn any_prefix_of_a_record_is_an_error(cut in 0usize..26) {
            let mut data = Vec::new();
            write_record(&sample(), MetadataFlags::INVENTORY, &mut data);
            prop_assert!(parse_record(&data[..cut], &mut 0, MetadataFlags::INVENTORY).is_err());
        }
    }
}
