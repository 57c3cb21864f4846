//! Scan decoding: from the bytes a scanner or RFID reader delivered to one
//! normalized [`Scan`].
//!
//! Everything a warehouse meets is accepted: GS1 element strings (GS1-128,
//! GS1 DataMatrix, GS1 QR, DataBar) with or without an AIM symbology
//! identifier, the human-readable bracketed form, GS1 Digital Link URIs, plain
//! EAN/UPC/ITF-14 numbers, and RFID EPCs written `epc:` + hex. Anything else
//! (a location label, a badge, a PO number) comes back as plain text, never an
//! error: only data that claims to be GS1 or EPC and breaks the rules is one.

pub mod aim;
pub mod check_digit;
pub mod digital_link;
pub mod epc;
pub mod error;
pub mod gs1;
pub mod identity;
pub mod retail;

use chrono::NaiveDate;

pub use aim::Symbology;
pub use error::ScanError;
pub use gs1::Element;
pub use identity::{Identity, Measure};

/// ASCII 29, the group separator: how FNC1 arrives after the first position.
pub const GS: u8 = 0x1d;

/// What kind of data a scan turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScanKind {
    /// GS1 element string (AIs), from any GS1 carrier or the bracketed form.
    Gs1,
    /// GS1 Digital Link URI.
    DigitalLink,
    /// A plain EAN-13, EAN-8, UPC-A, UPC-E or ITF-14 number.
    Gtin,
    /// An RFID Electronic Product Code.
    Epc,
    /// Anything else: location labels, badges, order numbers.
    Text,
}

/// Settings that change how data is interpreted.
#[derive(Debug, Clone, Copy)]
pub struct DecodeOptions {
    /// The reference date for the GS1 century rule (two-digit years are read
    /// as the year nearest to it, within -49..=+50 years).
    pub today: NaiveDate,
}

impl DecodeOptions {
    /// Options with today's local date as the century-rule reference.
    pub fn now() -> Self {
        Self {
            today: chrono::Local::now().date_naive(),
        }
    }
}

/// One decoded scan: the normalized result type the rest of Lotline uses.
#[derive(Debug, Clone, PartialEq)]
pub struct Scan {
    /// What the data was.
    pub kind: ScanKind,
    /// The carrier, from the AIM symbology identifier or the data's form.
    pub symbology: Option<Symbology>,
    /// GS1 element strings in the order they were read (GS1, Digital Link,
    /// and the GTIN of a plain retail number or EPC).
    pub elements: Vec<Element>,
    /// The normalized keys and attributes drawn from the elements or the EPC.
    pub identity: Identity,
    /// The decoded EPC when the data was an RFID tag.
    pub epc: Option<epc::Epc>,
    /// The text itself when nothing more could be made of it.
    pub text: Option<String>,
    /// Non-fatal findings, such as an AI whose required partner (`req=`) is
    /// not in this symbol (it may be in another symbol on the same item).
    pub notes: Vec<String>,
}

impl Scan {
    /// A scan that is plain text.
    pub fn text(symbology: Option<Symbology>, text: &str) -> Self {
        Scan {
            kind: ScanKind::Text,
            symbology,
            elements: Vec::new(),
            identity: Identity::default(),
            epc: None,
            text: Some(text.to_owned()),
            notes: Vec::new(),
        }
    }
}

/// Decodes one scan.
///
/// `data` is what the scanner sent, without its line terminator; it may begin
/// with an AIM symbology identifier (`]C1`, `]d2`, `]Q1`, `]E0`, …). RFID
/// reads are written `epc:` followed by the hex EPC.
pub fn decode(data: &str, options: &DecodeOptions) -> Result<Scan, ScanError> {
    if data.is_empty() {
        return Err(ScanError::Empty);
    }
    if let Some(hex) = data.strip_prefix("epc:") {
        return epc::decode_hex(hex).map(epc::to_scan);
    }
    let (symbology, payload) = aim::split(data);
    match symbology {
        Some(s) if s.is_gs1() => gs1::decode_element_string(payload, s, options),
        Some(s) if s.is_retail() => retail::decode(payload, s, options),
        Some(s) => decode_unmarked(payload, Some(s), options),
        None => decode_unmarked(payload, None, options),
    }
}

/// Decodes data whose carrier does not say it is GS1: a URI may be a Digital
/// Link, digits may be a retail number, `(01)…` is the bracketed form, a
/// leading GS is an FNC1 a scanner passed through; the rest is text.
fn decode_unmarked(
    data: &str,
    symbology: Option<Symbology>,
    options: &DecodeOptions,
) -> Result<Scan, ScanError> {
    if digital_link::looks_like_uri(data) {
        return match digital_link::decode(data, symbology, options)? {
            Some(scan) => Ok(scan),
            None => Ok(Scan::text(symbology, data)),
        };
    }
    if data.starts_with('(') && gs1::looks_bracketed(data) {
        return gs1::decode_bracketed(data, symbology, options);
    }
    if let Some(rest) = data.strip_prefix(GS as char) {
        return gs1::decode_element_string(rest, symbology.unwrap_or(Symbology::Unknown), options);
    }
    if symbology.is_none() {
        if let Some(scan) = retail::decode_bare(data, options) {
            return Ok(scan);
        }
        if starts_with_gs1_key(data) {
            let mut scan = gs1::decode_element_string(data, Symbology::Unknown, options)?;
            scan.symbology = None;
            return Ok(scan);
        }
    }
    Ok(Scan::text(symbology, data))
}

/// True when unmarked data opens with a GS1 key AI and a key of the right
/// length whose check digit is right: what a scanner configured without AIM
/// identifiers sends for GS1-128 or GS1 DataMatrix. Such a start is too
/// unlikely in a location label or badge to be chance, so the rest is held
/// to the GS1 rules; anything else stays text.
fn starts_with_gs1_key(data: &str) -> bool {
    let bytes = data.as_bytes();
    let key_len = match bytes.get(..2) {
        Some(b"00") => 18,
        Some(b"01" | b"02" | b"03") => 14,
        _ => return false,
    };
    bytes
        .get(2..2 + key_len)
        .is_some_and(check_digit::mod10_valid)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> DecodeOptions {
        DecodeOptions {
            today: NaiveDate::from_ymd_opt(2026, 11, 25).expect("valid date"),
        }
    }

    fn decode_ok(data: &str) -> Scan {
        decode(data, &options()).unwrap_or_else(|e| panic!("{data:?}: {e}"))
    }

    #[test]
    fn each_form_reaches_its_decoder() {
        let cases = [
            (
                "]C10109506000134352",
                ScanKind::Gs1,
                Some(Symbology::Gs1_128),
            ),
            (
                "]d20109506000134352",
                ScanKind::Gs1,
                Some(Symbology::Gs1DataMatrix),
            ),
            ("\u{1d}0109506000134352", ScanKind::Gs1, None),
            ("(01)09506000134352", ScanKind::Gs1, None),
            ("0109506000134352\u{1d}10A", ScanKind::Gs1, None),
            (
                "]Q1https://example.com/01/09506000134352",
                ScanKind::DigitalLink,
                Some(Symbology::Qr),
            ),
            ("]E04006381333931", ScanKind::Gtin, Some(Symbology::Ean13)),
            ("4006381333931", ScanKind::Gtin, Some(Symbology::Ean13)),
            ("epc:3074257BF7194E4000001A85", ScanKind::Epc, None),
            ("LOC-A-01", ScanKind::Text, None),
            ("]C0LOC-A-01", ScanKind::Text, Some(Symbology::Code128)),
            ("https://example.com/menu", ScanKind::Text, None),
        ];
        for (data, kind, symbology) in cases {
            let scan = decode_ok(data);
            assert_eq!(scan.kind, kind, "{data:?}");
            if data.starts_with('\u{1d}') {
                assert_eq!(scan.symbology, Some(Symbology::Unknown));
            } else {
                assert_eq!(scan.symbology, symbology, "{data:?}");
            }
        }
    }

    #[test]
    fn unmarked_digits_are_gs1_only_with_a_valid_key() {
        // A lot-only element string without AIM stays a label.
        assert_eq!(decode_ok("10123456").kind, ScanKind::Text);
        // A GTIN with a wrong check digit is not taken for GS1.
        assert_eq!(decode_ok("0109506000134353").kind, ScanKind::Text);
        // A valid key commits the rest to the GS1 rules.
        let err = decode("0109506000134352171399", &options()).unwrap_err();
        assert!(err.to_string().contains("(17)"), "{err}");
    }

    #[test]
    fn empty_and_damaged_data() {
        assert_eq!(decode("", &options()), Err(ScanError::Empty));
        assert!(decode("]C10109506000134353", &options()).is_err());
        assert!(decode("epc:zz", &options()).is_err());
    }

    proptest::proptest! {
        /// Whatever a damaged label or a noisy line delivers, decoding
        /// answers with a scan or an error and never panics; inputs are
        /// biased towards the prefixes that reach each decoder.
        #[test]
        fn arbitrary_input_never_panics(
            prefix in proptest::sample::select(vec![
                "", "]C1", "]d2", "]Q3", "]Q1", "]e0", "]E0", "]E4", "]I1", "]J1", "]X9",
                "\u{1d}", "(", "epc:", "https://id.gs1.org/01/", "01", "00",
            ]),
            body in "[0-9A-Za-z()/%?=&.:\u{1d} -]{0,60}|\\PC{0,40}",
        ) {
            let _ = decode(&format!("{prefix}{body}"), &options());
        }
    }
}
