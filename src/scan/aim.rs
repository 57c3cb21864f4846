//! AIM symbology identifiers (ISO/IEC 15424): the `]Cm` prefix a scanner may
//! put before the data to say which carrier it read and how.

use std::fmt;

/// The carrier a scan came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Symbology {
    /// GS1-128 (`]C1`).
    Gs1_128,
    /// GS1 DataMatrix (`]d2`).
    Gs1DataMatrix,
    /// GS1 QR Code (`]Q3`, `]Q4`).
    Gs1Qr,
    /// GS1 DataBar and composites (`]e0`..`]e3`).
    Gs1DataBar,
    /// GS1 DotCode (`]J1`).
    Gs1DotCode,
    /// EAN-13 or UPC-A (`]E0`), also UPC-E when sent as 8 digits.
    Ean13,
    /// EAN-13 with an add-on (`]E3`).
    Ean13AddOn,
    /// EAN-8 (`]E4`).
    Ean8,
    /// UPC-A, recognised from a bare 12-digit number.
    UpcA,
    /// UPC-E, recognised from its 8 digits and expanded.
    UpcE,
    /// Interleaved 2 of 5 (`]I0`, `]I1`), which carries ITF-14.
    Itf,
    /// Code 128 without FNC1 (`]C0`).
    Code128,
    /// Data Matrix without FNC1 (`]d1`).
    DataMatrix,
    /// QR Code without FNC1 (`]Q1`).
    Qr,
    /// Code 39 (`]A0`..`]A7`).
    Code39,
    /// Any other AIM identifier: its code character and modifier.
    Other(char, char),
    /// Data marked as GS1 by a leading FNC1 (GS) but with no identifier.
    Unknown,
}

impl Symbology {
    /// Reads an AIM identifier's code character and modifier.
    pub fn from_aim(code: char, modifier: char) -> Symbology {
        match (code, modifier) {
            ('C', '1') => Symbology::Gs1_128,
            ('C', '0') => Symbology::Code128,
            ('d', '2') => Symbology::Gs1DataMatrix,
            ('d', '1') => Symbology::DataMatrix,
            ('Q', '3' | '4') => Symbology::Gs1Qr,
            ('Q', '1') => Symbology::Qr,
            ('e', '0'..='3') => Symbology::Gs1DataBar,
            ('J', '1') => Symbology::Gs1DotCode,
            ('E', '0') => Symbology::Ean13,
            ('E', '3') => Symbology::Ean13AddOn,
            ('E', '4') => Symbology::Ean8,
            ('I', '0' | '1' | '3') => Symbology::Itf,
            ('A', '0'..='7') => Symbology::Code39,
            (code, modifier) => Symbology::Other(code, modifier),
        }
    }

    /// True for carriers whose data is a GS1 element string (FNC1 first).
    pub fn is_gs1(self) -> bool {
        matches!(
            self,
            Symbology::Gs1_128
                | Symbology::Gs1DataMatrix
                | Symbology::Gs1Qr
                | Symbology::Gs1DataBar
                | Symbology::Gs1DotCode
        )
    }

    /// True for the EAN/UPC/ITF family, whose data is a plain number.
    pub fn is_retail(self) -> bool {
        matches!(
            self,
            Symbology::Ean13
                | Symbology::Ean13AddOn
                | Symbology::Ean8
                | Symbology::UpcA
                | Symbology::UpcE
                | Symbology::Itf
        )
    }

    /// The stable name used in JSON output and logs.
    pub fn name(self) -> String {
        match self {
            Symbology::Gs1_128 => "gs1-128".into(),
            Symbology::Gs1DataMatrix => "gs1-datamatrix".into(),
            Symbology::Gs1Qr => "gs1-qr".into(),
            Symbology::Gs1DataBar => "gs1-databar".into(),
            Symbology::Gs1DotCode => "gs1-dotcode".into(),
            Symbology::Ean13 => "ean-13".into(),
            Symbology::Ean13AddOn => "ean-13-addon".into(),
            Symbology::Ean8 => "ean-8".into(),
            Symbology::UpcA => "upc-a".into(),
            Symbology::UpcE => "upc-e".into(),
            Symbology::Itf => "itf".into(),
            Symbology::Code128 => "code-128".into(),
            Symbology::DataMatrix => "datamatrix".into(),
            Symbology::Qr => "qr".into(),
            Symbology::Code39 => "code-39".into(),
            Symbology::Other(code, modifier) => format!("aim-{code}{modifier}"),
            Symbology::Unknown => "unknown".into(),
        }
    }
}

impl fmt::Display for Symbology {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

impl serde::Serialize for Symbology {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.name())
    }
}

/// Splits a leading AIM identifier (`]` + code character + modifier) off the
/// data. Data that does not start with one is returned whole.
pub fn split(data: &str) -> (Option<Symbology>, &str) {
    let bytes = data.as_bytes();
    if bytes.len() >= 3
        && bytes[0] == b']'
        && bytes[1].is_ascii_alphabetic()
        && bytes[2].is_ascii_alphanumeric()
    {
        let symbology = Symbology::from_aim(bytes[1] as char, bytes[2] as char);
        (Some(symbology), &data[3..])
    } else {
        (None, data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_known_identifiers() {
        assert_eq!(split("]C101"), (Some(Symbology::Gs1_128), "01"));
        assert_eq!(split("]d2x"), (Some(Symbology::Gs1DataMatrix), "x"));
        assert_eq!(split("]Q3x"), (Some(Symbology::Gs1Qr), "x"));
        assert_eq!(split("]Q1https://a"), (Some(Symbology::Qr), "https://a"));
        assert_eq!(split("]e0x"), (Some(Symbology::Gs1DataBar), "x"));
        assert_eq!(split("]J1x"), (Some(Symbology::Gs1DotCode), "x"));
        assert_eq!(split("]E0123"), (Some(Symbology::Ean13), "123"));
        assert_eq!(split("]E4123"), (Some(Symbology::Ean8), "123"));
        assert_eq!(split("]I1123"), (Some(Symbology::Itf), "123"));
    }

    #[test]
    fn unknown_identifier_is_kept_by_name() {
        let (symbology, rest) = split("]X9abc");
        assert_eq!(symbology, Some(Symbology::Other('X', '9')));
        assert_eq!(symbology.unwrap().name(), "aim-X9");
        assert_eq!(rest, "abc");
    }

    #[test]
    fn data_without_identifier_is_whole() {
        assert_eq!(split("LOC-A-01"), (None, "LOC-A-01"));
        assert_eq!(split("]"), (None, "]"));
        assert_eq!(split("]]1"), (None, "]]1"));
    }

    #[test]
    fn gs1_and_retail_classes() {
        assert!(Symbology::Gs1_128.is_gs1());
        assert!(!Symbology::Code128.is_gs1());
        assert!(Symbology::Ean8.is_retail());
        assert!(!Symbology::Qr.is_retail());
    }
}
