//! The two CRC-16s of a Mercury (ThingMagic/JADAK) UHF reader link.
//!
//! Both use the CCITT polynomial 0x1021 and start from 0xFFFF, but they
//! differ in how the message enters the register, so they are not
//! interchangeable:
//!
//! * [`message_crc`] guards every serial frame. The reader shifts message
//!   bits in at the low end of the register (the "augmented" form without
//!   the trailing zero bits), which is why the Mercury API calls it a
//!   mutated CCITT CRC: it does not match CRC-16/CCITT-FALSE.
//! * [`gen2_crc`] is the EPC Gen2 StoredCRC the tag backscatters over its
//!   PC word and EPC (ISO/IEC 13239, CRC-16/GENIBUS): bits are XORed in at
//!   the high end and the result is complemented.

const POLY: u16 = 0x1021;

/// The CRC of a Mercury serial frame, computed over the length byte, the
/// opcode, the status word (responses only) and the data: everything
/// between the 0xFF header and the CRC itself.
pub fn message_crc(bytes: &[u8]) -> u16 {
    let mut crc: u16 = 0xFFFF;
    for &byte in bytes {
        for bit in (0..8).rev() {
            let carry = crc & 0x8000 != 0;
            crc = (crc << 1) | u16::from((byte >> bit) & 1);
            if carry {
                crc ^= POLY;
            }
        }
    }
    crc
}

/// The Gen2 CRC-16 over a tag's PC word and EPC, as the tag reports it
/// after the EPC. A reader passes it through; checking it again rejects a
/// record garbled between the tag and us.
pub fn gen2_crc(bytes: &[u8]) -> u16 {
    let mut crc: u16 = 0xFFFF;
    for &byte in bytes {
        crc ^= u16::from(byte) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ POLY
            } else {
                crc << 1
            };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_crc_matches_published_command_frames() {
        // "Get version" is sent as FF 00 03 1D 0C and "get current
        // program" as FF 00 0C 1D 03 by every Mercury host library.
        assert_eq!(message_crc(&[0x00, 0x03]), 0x1D0C);
        assert_eq!(message_crc(&[0x00, 0x0C]), 0x1D03);
    }

    #[test]
    fn message_crc_is_not_ccitt_false() {
        // CRC-16/CCITT-FALSE of "123456789" is 0x29B1; the Mercury
        // variant differs, which is what the reference code warns about.
        assert_ne!(message_crc(b"123456789"), 0x29B1);
    }

    #[test]
    fn gen2_crc_matches_the_genibus_check_value() {
        assert_eq!(gen2_crc(b"123456789"), 0xD64E);
    }

    #[test]
    fn gen2_crc_of_pc_and_epc_is_self_checking() {
        // Appending the CRC and running the uncomplemented register over
        // the lot leaves the Gen2 residue 0x1D0F.
        let mut data = vec![0x30, 0x00, 0x30, 0x74, 0x25, 0x7B, 0xF7, 0x19];
        let crc = gen2_crc(&data);
        data.extend_from_slice(&crc.to_be_bytes());
        assert_eq!(!gen2_crc(&data), 0x1D0F);
    }
}
