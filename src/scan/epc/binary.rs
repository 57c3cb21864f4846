//! The EPC binary encodings (TDS section 14): EPC memory to an [`Epc`] and
//! an [`Epc`] back to the hex a tag is written with.
//!
//! Every partitioned scheme is laid out the same way — header, filter,
//! partition, company prefix, then (except GIAI) a fixed-width reference —
//! and ends with its serial-like field filling the remaining bits (SSCC-96
//! ends with 24 reserved zero bits instead).

use super::bits::{BitReader, BitWriter};
use super::partition::Partition;
use super::{CompanyPrefix, Epc, EpcId, Scheme, Serial, within};
use crate::scan::ScanError;

/// Decodes EPC memory: one scheme's bits, followed only by zero bits.
pub(crate) fn decode(bytes: &[u8]) -> Result<Epc, ScanError> {
    let header = bytes.first().copied().unwrap_or(0);
    let scheme = Scheme::from_header(header).ok_or_else(|| {
        ScanError::Epc(format!("unknown or unsupported EPC header {header:#04X}"))
    })?;
    let available = bytes.len() * 8;
    if available < scheme.bit_len() {
        return Err(ScanError::Epc(format!(
            "{scheme} needs {} bits, the EPC has {available}",
            scheme.bit_len()
        )));
    }
    let mut reader = BitReader::new(bytes);
    reader.read(8);
    let epc = decode_fields(&mut reader, scheme)?;
    if !reader.rest_is_zero() {
        return Err(ScanError::Epc(format!(
            "{scheme}: the bits after the last field (character padding, reserved \
             bits, memory padding) must be zero"
        )));
    }
    Ok(epc)
}

/// Reads the fields after the header.
fn decode_fields(reader: &mut BitReader<'_>, scheme: Scheme) -> Result<Epc, ScanError> {
    let Some(partitioned_bits) = scheme.partitioned_bits() else {
        let id = EpcId::Gid {
            manager: reader.read(28),
            class: reader.read(24),
            serial: reader.read(36),
        };
        return Epc::new(None, id);
    };
    let filter = reader.read(3) as u8;
    let partition = Partition::from_value(reader.read(3) as u8, partitioned_bits)
        .ok_or_else(|| ScanError::Epc(format!("{scheme} partition value 7 is reserved")))?;
    let company_prefix = CompanyPrefix::new(
        reader.read(partition.company_prefix_bits),
        partition.company_prefix_digits,
    )
    .map_err(|error| within(scheme, error))?;
    let reference_bits = partition.reference_bits;
    let id = match scheme {
        Scheme::Sgtin96 | Scheme::Sgtin198 => {
            let item_reference = reader.read(reference_bits);
            let serial = read_serial(reader, scheme, &partition);
            EpcId::Sgtin {
                company_prefix,
                item_reference,
                serial,
            }
        }
        Scheme::Sscc96 => EpcId::Sscc {
            company_prefix,
            serial_reference: reader.read(reference_bits),
        },
        Scheme::Sgln96 | Scheme::Sgln195 => {
            let location_reference = reader.read(reference_bits);
            let extension = read_serial(reader, scheme, &partition);
            EpcId::Sgln {
                company_prefix,
                location_reference,
                extension,
            }
        }
        Scheme::Grai96 | Scheme::Grai170 => {
            let asset_type = reader.read(reference_bits);
            let serial = read_serial(reader, scheme, &partition);
            EpcId::Grai {
                company_prefix,
                asset_type,
                serial,
            }
        }
        Scheme::Giai96 | Scheme::Giai202 => EpcId::Giai {
            company_prefix,
            asset_reference: read_serial(reader, scheme, &partition),
        },
        // Read above: GID-96 is the scheme without a partition table.
        Scheme::Gid96 => return Err(ScanError::Epc("GID-96 has no partition".into())),
    };
    Epc::new(Some(filter), id)
}

/// Reads the serial-like last field: an integer, or 7-bit characters up to
/// the first zero character. What follows is checked to be zero afterwards.
fn read_serial(reader: &mut BitReader<'_>, scheme: Scheme, partition: &Partition) -> Serial {
    let bits = scheme.serial_bits(partition);
    if !scheme.has_char_serial() {
        return Serial::Integer(reader.read(bits));
    }
    let mut text = String::with_capacity(bits as usize / 7);
    for _ in 0..bits / 7 {
        match reader.read(7) {
            0 => break,
            c => text.push(char::from(c as u8)),
        }
    }
    Serial::Chars(text)
}

/// The hex of `epc`'s binary encoding, padded to whole 16-bit words.
pub(crate) fn encode(epc: &Epc) -> String {
    let scheme = epc.scheme();
    let id = epc.id();
    let mut writer = BitWriter::new();
    writer.write(u64::from(scheme.header()), 8);
    if let EpcId::Gid {
        manager,
        class,
        serial,
    } = *id
    {
        writer.write(manager, 28);
        writer.write(class, 24);
        writer.write(serial, 36);
    } else if let (Some(filter), Some(company_prefix), Some(partitioned_bits)) =
        (epc.filter(), id.company_prefix(), scheme.partitioned_bits())
    {
        let partition = Partition::of(company_prefix, partitioned_bits);
        writer.write(u64::from(filter), 3);
        writer.write(u64::from(partition.value), 3);
        writer.write(company_prefix.value(), partition.company_prefix_bits);
        if let Some(reference) = id.reference() {
            writer.write(reference.value, partition.reference_bits);
        }
        match id.serial() {
            Some((Serial::Integer(value), _)) => {
                writer.write(*value, scheme.serial_bits(&partition));
            }
            Some((Serial::Chars(text), _)) => {
                for byte in text.bytes() {
                    writer.write(u64::from(byte), 7);
                }
            }
            None => {}
        }
    }
    writer.to_hex(scheme.bit_len())
}
