//! What an EPC identifies — company prefix, references and serials of each
//! identity type — and the rules those values must satisfy to be encoded.

use std::fmt;

use super::partition::Partition;
use super::{Scheme, charset};
use crate::scan::ScanError;

/// A GS1 Company Prefix of 6 to 12 digits; its length selects the partition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CompanyPrefix {
    value: u64,
    digits: u8,
}

impl CompanyPrefix {
    /// The company prefix of `digits` digits (leading zeros count) whose
    /// numeric value is `value`, e.g. `0614141` is `new(614141, 7)`.
    pub fn new(value: u64, digits: u8) -> Result<CompanyPrefix, ScanError> {
        if !(6..=12).contains(&digits) {
            return Err(ScanError::Epc(format!(
                "a company prefix has 6 to 12 digits, not {digits}"
            )));
        }
        if value >= 10u64.pow(u32::from(digits)) {
            return Err(ScanError::Epc(format!(
                "company prefix {value} does not fit in {digits} digits"
            )));
        }
        Ok(CompanyPrefix { value, digits })
    }

    /// The numeric value.
    pub fn value(self) -> u64 {
        self.value
    }

    /// The number of digits, 6 to 12.
    pub fn digits(self) -> u8 {
        self.digits
    }
}

impl fmt::Display for CompanyPrefix {
    /// The digits with their leading zeros, e.g. `0614141`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:0width$}",
            self.value,
            width = usize::from(self.digits)
        )
    }
}

/// A serial-like field — the serial of an SGTIN or GRAI, the extension of an
/// SGLN, the asset reference of a GIAI — in the form its scheme stores it.
/// The form chooses the scheme: an integer means the 96-bit one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Serial {
    /// A binary integer, written in decimal without leading zeros.
    Integer(u64),
    /// 7-bit characters from the GS1 AI encodable character set 82.
    Chars(String),
}

impl fmt::Display for Serial {
    /// The value as a GS1 element string carries it (not URI-escaped).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Serial::Integer(value) => write!(f, "{value}"),
            Serial::Chars(text) => f.write_str(text),
        }
    }
}

/// The identifying fields of an EPC: what its pure-identity URI says, plus
/// (through [`Serial`]) which binary scheme encodes them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EpcId {
    /// Serialised GTIN. The item reference's first digit is the GTIN's
    /// indicator digit.
    Sgtin {
        /// The GS1 Company Prefix.
        company_prefix: CompanyPrefix,
        /// Indicator digit and item reference, 13 digits minus the prefix.
        item_reference: u64,
        /// The serial number (AI 21).
        serial: Serial,
    },
    /// Serial Shipping Container Code. The serial reference's first digit is
    /// the SSCC's extension digit.
    Sscc {
        /// The GS1 Company Prefix.
        company_prefix: CompanyPrefix,
        /// Extension digit and serial reference, 17 digits minus the prefix.
        serial_reference: u64,
    },
    /// GLN with extension.
    Sgln {
        /// The GS1 Company Prefix.
        company_prefix: CompanyPrefix,
        /// Location reference, 12 digits minus the prefix (possibly none).
        location_reference: u64,
        /// The GLN extension (AI 254); `0` means the GLN has none.
        extension: Serial,
    },
    /// Global Returnable Asset Identifier.
    Grai {
        /// The GS1 Company Prefix.
        company_prefix: CompanyPrefix,
        /// Asset type, 12 digits minus the prefix (possibly none).
        asset_type: u64,
        /// The serial component of AI 8003.
        serial: Serial,
    },
    /// Global Individual Asset Identifier.
    Giai {
        /// The GS1 Company Prefix.
        company_prefix: CompanyPrefix,
        /// The individual asset reference (AI 8004 after the prefix).
        asset_reference: Serial,
    },
    /// General Identifier, outside the GS1 key system.
    Gid {
        /// General manager number, 28 bits.
        manager: u64,
        /// Object class, 24 bits.
        class: u64,
        /// Serial number, 36 bits.
        serial: u64,
    },
}

/// A fixed-width numeric reference after the company prefix.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reference {
    /// Its value.
    pub value: u64,
    /// Its width in digits, leading zeros included (may be 0).
    pub digits: u8,
    /// What the TDS calls it, for messages.
    pub name: &'static str,
}

impl EpcId {
    /// The binary scheme: the identity type, and for those with a serial-like
    /// field whether it is an integer (96-bit schemes) or characters.
    pub fn scheme(&self) -> Scheme {
        match self {
            EpcId::Sgtin {
                serial: Serial::Integer(_),
                ..
            } => Scheme::Sgtin96,
            EpcId::Sgtin { .. } => Scheme::Sgtin198,
            EpcId::Sscc { .. } => Scheme::Sscc96,
            EpcId::Sgln {
                extension: Serial::Integer(_),
                ..
            } => Scheme::Sgln96,
            EpcId::Sgln { .. } => Scheme::Sgln195,
            EpcId::Grai {
                serial: Serial::Integer(_),
                ..
            } => Scheme::Grai96,
            EpcId::Grai { .. } => Scheme::Grai170,
            EpcId::Giai {
                asset_reference: Serial::Integer(_),
                ..
            } => Scheme::Giai96,
            EpcId::Giai { .. } => Scheme::Giai202,
            EpcId::Gid { .. } => Scheme::Gid96,
        }
    }

    /// The GS1 Company Prefix; `None` for GID.
    pub fn company_prefix(&self) -> Option<CompanyPrefix> {
        match *self {
            EpcId::Sgtin { company_prefix, .. }
            | EpcId::Sscc { company_prefix, .. }
            | EpcId::Sgln { company_prefix, .. }
            | EpcId::Grai { company_prefix, .. }
            | EpcId::Giai { company_prefix, .. } => Some(company_prefix),
            EpcId::Gid { .. } => None,
        }
    }

    /// The fixed-width reference after the company prefix; `None` for GIAI,
    /// whose asset reference is serial-like, and for GID.
    pub(crate) fn reference(&self) -> Option<Reference> {
        let (company_prefix, value, total_digits, name) = match *self {
            EpcId::Sgtin {
                company_prefix,
                item_reference,
                ..
            } => (company_prefix, item_reference, 13, "item reference"),
            EpcId::Sscc {
                company_prefix,
                serial_reference,
            } => (company_prefix, serial_reference, 17, "serial reference"),
            EpcId::Sgln {
                company_prefix,
                location_reference,
                ..
            } => (company_prefix, location_reference, 12, "location reference"),
            EpcId::Grai {
                company_prefix,
                asset_type,
                ..
            } => (company_prefix, asset_type, 12, "asset type"),
            EpcId::Giai { .. } | EpcId::Gid { .. } => return None,
        };
        Some(Reference {
            value,
            digits: total_digits - company_prefix.digits(),
            name,
        })
    }

    /// The serial-like last field and its name; `None` for SSCC and GID.
    pub(crate) fn serial(&self) -> Option<(&Serial, &'static str)> {
        match self {
            EpcId::Sgtin { serial, .. } | EpcId::Grai { serial, .. } => Some((serial, "serial")),
            EpcId::Sgln { extension, .. } => Some((extension, "extension")),
            EpcId::Giai {
                asset_reference, ..
            } => Some((asset_reference, "asset reference")),
            EpcId::Sscc { .. } | EpcId::Gid { .. } => None,
        }
    }

    /// Checks that every field fits its scheme: references within their
    /// digits, integers within their bits, characters from Table A and
    /// within the length limit.
    pub(crate) fn validate(&self) -> Result<(), ScanError> {
        let scheme = self.scheme();
        if let EpcId::Gid {
            manager,
            class,
            serial,
        } = *self
        {
            fits_bits(scheme, "general manager number", manager, 28)?;
            fits_bits(scheme, "object class", class, 24)?;
            return fits_bits(scheme, "serial", serial, 36);
        }
        let (Some(company_prefix), Some(partitioned_bits)) =
            (self.company_prefix(), scheme.partitioned_bits())
        else {
            return Ok(());
        };
        let partition = Partition::of(company_prefix, partitioned_bits);
        if let Some(reference) = self.reference()
            && reference.value >= 10u64.pow(u32::from(reference.digits))
        {
            return Err(ScanError::Epc(format!(
                "{scheme} {} {} does not fit in {} digits (with a {}-digit company prefix)",
                reference.name,
                reference.value,
                reference.digits,
                company_prefix.digits()
            )));
        }
        match self.serial() {
            Some((Serial::Integer(value), name)) => {
                fits_bits(scheme, name, *value, scheme.serial_bits(&partition))
            }
            Some((Serial::Chars(text), name)) => check_chars(
                scheme,
                name,
                text,
                scheme.max_chars(company_prefix.digits()),
            ),
            None => Ok(()),
        }
    }
}

/// Checks that `value` fits in `bits` bits.
fn fits_bits(scheme: Scheme, name: &str, value: u64, bits: u32) -> Result<(), ScanError> {
    if bits < 64 && value >> bits != 0 {
        return Err(ScanError::Epc(format!(
            "{scheme} {name} {value} does not fit in {bits} bits (at most {})",
            (1u64 << bits) - 1
        )));
    }
    Ok(())
}

/// Checks an alphanumeric field: not empty, Table A only, at most `max`.
fn check_chars(scheme: Scheme, name: &str, text: &str, max: usize) -> Result<(), ScanError> {
    if text.is_empty() {
        return Err(ScanError::Epc(format!("{scheme} {name} is empty")));
    }
    if let Some((position, c)) = text
        .chars()
        .enumerate()
        .find(|&(_, c)| !charset::is_allowed(c))
    {
        return Err(ScanError::Epc(format!(
            "{scheme} {name}: character {c:?} at position {position} is not in the \
             GS1 AI encodable character set 82"
        )));
    }
    if text.len() > max {
        return Err(ScanError::Epc(format!(
            "{scheme} {name} is {} characters, at most {max} allowed",
            text.len()
        )));
    }
    Ok(())
}
