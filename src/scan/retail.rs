//! Plain retail and trade-item numbers: EAN-13, EAN-8, UPC-A, UPC-E and
//! ITF-14. Each becomes a GTIN-14 (element `01`) after its check digit is
//! verified; UPC-E is expanded to its UPC-A form first.

use super::check_digit::{mod10, mod10_valid};
use super::{DecodeOptions, Element, Identity, Scan, ScanError, ScanKind, Symbology};

/// Decodes the data of a symbol whose AIM identifier says EAN/UPC/ITF. The
/// scanner vouches for the carrier, so anything that is not a valid number
/// of that kind is an error rather than text.
pub fn decode(
    data: &str,
    symbology: Symbology,
    _options: &DecodeOptions,
) -> Result<Scan, ScanError> {
    let name = symbology_label(symbology);
    let error = |reason: &str| ScanError::Retail {
        symbology: name,
        value: data.to_owned(),
        reason: reason.to_owned(),
    };
    if !data.bytes().all(|b| b.is_ascii_digit()) {
        return Err(error("only digits are allowed"));
    }
    let (number, symbology, add_on) = match (symbology, data.len()) {
        (Symbology::Ean13 | Symbology::UpcA, 8) => (data, Symbology::UpcE, None),
        (Symbology::Ean13 | Symbology::UpcA, 12 | 13) => (data, symbology, None),
        (Symbology::Ean13AddOn, 15 | 18) => (&data[..13], symbology, Some(&data[13..])),
        (Symbology::Ean8, 8) => (data, symbology, None),
        (Symbology::UpcE, 8) => (data, symbology, None),
        (Symbology::Itf, 14) => (data, symbology, None),
        (Symbology::Itf, _) => return Err(error("ITF-14 has 14 digits")),
        _ => return Err(error("wrong number of digits")),
    };
    let gtin = match symbology {
        Symbology::UpcE => expand_upc_e(number).ok_or_else(|| error("not a valid UPC-E"))?,
        _ => number.to_owned(),
    };
    if !mod10_valid(gtin.as_bytes()) {
        let expected = mod10(&gtin.as_bytes()[..gtin.len() - 1]).unwrap_or(0);
        return Err(error(&format!("check digit should be {expected}")));
    }
    let mut scan = gtin_scan(Some(symbology), &gtin);
    if let Some(add_on) = add_on {
        scan.notes.push(format!("add-on {add_on}"));
    }
    Ok(scan)
}

/// Recognises a bare number (no AIM identifier) with a valid check digit as
/// a GTIN: 8 digits as EAN-8 (or UPC-E when only that reading is valid), 12
/// as UPC-A, 13 as EAN-13, 14 as a GTIN-14 (ITF-14). Anything else, or a bad
/// check digit, is `None`: a badge or location number that happens to be
/// digits must stay text.
pub fn decode_bare(data: &str, _options: &DecodeOptions) -> Option<Scan> {
    if !data.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (symbology, gtin) = match data.len() {
        8 if mod10_valid(data.as_bytes()) => (Some(Symbology::Ean8), data.to_owned()),
        8 => (
            Some(Symbology::UpcE),
            expand_upc_e(data).filter(|g| mod10_valid(g.as_bytes()))?,
        ),
        12 => (Some(Symbology::UpcA), data.to_owned()),
        13 => (Some(Symbology::Ean13), data.to_owned()),
        14 => (None, data.to_owned()),
        _ => return None,
    };
    mod10_valid(gtin.as_bytes()).then(|| gtin_scan(symbology, &gtin))
}

/// Expands an 8-digit UPC-E (number system, six digits, check digit) into
/// its 12-digit UPC-A form, keeping the check digit. `None` when the number
/// system is not 0 or 1.
pub fn expand_upc_e(upc_e: &str) -> Option<String> {
    let d = upc_e.as_bytes();
    if d.len() != 8 || !d.iter().all(u8::is_ascii_digit) || !matches!(d[0], b'0' | b'1') {
        return None;
    }
    let (ns, x, check) = (d[0], &d[1..7], d[7]);
    let body: [u8; 10] = match x[5] {
        b'0'..=b'2' => [x[0], x[1], x[5], b'0', b'0', b'0', b'0', x[2], x[3], x[4]],
        b'3' => [x[0], x[1], x[2], b'0', b'0', b'0', b'0', b'0', x[3], x[4]],
        b'4' => [x[0], x[1], x[2], x[3], b'0', b'0', b'0', b'0', b'0', x[4]],
        _ => [x[0], x[1], x[2], x[3], x[4], b'0', b'0', b'0', b'0', x[5]],
    };
    let mut upc_a = String::with_capacity(12);
    upc_a.push(ns as char);
    upc_a.extend(body.iter().map(|&b| b as char));
    upc_a.push(check as char);
    Some(upc_a)
}

/// A GTIN scan: the number left-padded with zeros to GTIN-14.
fn gtin_scan(symbology: Option<Symbology>, gtin: &str) -> Scan {
    let gtin14 = format!("{gtin:0>14}");
    Scan {
        kind: ScanKind::Gtin,
        symbology,
        elements: vec![Element::new("01", gtin14.clone())],
        identity: Identity {
            gtin: Some(gtin14),
            ..Identity::default()
        },
        epc: None,
        text: None,
        notes: Vec::new(),
    }
}

/// The label used in error messages for a retail symbology.
fn symbology_label(symbology: Symbology) -> &'static str {
    match symbology {
        Symbology::Ean8 => "EAN-8",
        Symbology::UpcA => "UPC-A",
        Symbology::UpcE => "UPC-E",
        Symbology::Itf => "ITF-14",
        _ => "EAN-13",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn options() -> DecodeOptions {
        DecodeOptions {
            today: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
        }
    }

    fn gtin_of(scan: &Scan) -> &str {
        scan.identity.gtin.as_deref().unwrap()
    }

    #[test]
    fn upc_e_expansion_follows_each_last_digit_rule() {
        assert_eq!(expand_upc_e("04252614").as_deref(), Some("042100005264"));
        assert_eq!(expand_upc_e("01234531").as_deref(), Some("012300000451"));
        assert_eq!(expand_upc_e("01234543").as_deref(), Some("012340000053"));
        assert_eq!(expand_upc_e("01234565").as_deref(), Some("012345000065"));
        assert_eq!(expand_upc_e("21234565"), None);
        assert_eq!(expand_upc_e("0123456"), None);
    }

    #[test]
    fn ean13_with_identifier() {
        let scan = decode("4006381333931", Symbology::Ean13, &options()).unwrap();
        assert_eq!(gtin_of(&scan), "04006381333931");
        assert_eq!(scan.kind, ScanKind::Gtin);
        assert_eq!(scan.elements[0].ai, "01");
    }

    #[test]
    fn upc_e_sent_as_eight_digits_under_e0_is_expanded() {
        let scan = decode("04252614", Symbology::Ean13, &options()).unwrap();
        assert_eq!(scan.symbology, Some(Symbology::UpcE));
        assert_eq!(gtin_of(&scan), "00042100005264");
    }

    #[test]
    fn ean8_and_itf14() {
        let scan = decode("96385074", Symbology::Ean8, &options()).unwrap();
        assert_eq!(gtin_of(&scan), "00000096385074");
        let scan = decode("10614141000415", Symbology::Itf, &options()).unwrap();
        assert_eq!(gtin_of(&scan), "10614141000415");
    }

    #[test]
    fn add_on_is_noted_and_not_part_of_the_gtin() {
        let scan = decode("978030640615751000", Symbology::Ean13AddOn, &options()).unwrap();
        assert_eq!(gtin_of(&scan), "09780306406157");
        assert_eq!(scan.notes, vec!["add-on 51000".to_owned()]);
    }

    #[test]
    fn bad_check_digit_names_the_expected_digit() {
        let err = decode("4006381333932", Symbology::Ean13, &options()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid EAN-13 number \"4006381333932\": check digit should be 1"
        );
    }

    #[test]
    fn wrong_length_and_letters_are_errors_under_an_identifier() {
        assert!(decode("12345", Symbology::Ean13, &options()).is_err());
        assert!(decode("1234567890123", Symbology::Itf, &options()).is_err());
        assert!(decode("40063813339X1", Symbology::Ean13, &options()).is_err());
    }

    #[test]
    fn bare_numbers_by_length() {
        let o = options();
        assert_eq!(
            decode_bare("96385074", &o).unwrap().symbology,
            Some(Symbology::Ean8)
        );
        let upc_e = decode_bare("04252614", &o).unwrap();
        assert_eq!(upc_e.symbology, Some(Symbology::UpcE));
        assert_eq!(gtin_of(&upc_e), "00042100005264");
        assert_eq!(
            gtin_of(&decode_bare("036000291452", &o).unwrap()),
            "00036000291452"
        );
        assert_eq!(
            gtin_of(&decode_bare("4006381333931", &o).unwrap()),
            "04006381333931"
        );
        assert_eq!(
            gtin_of(&decode_bare("10614141000415", &o).unwrap()),
            "10614141000415"
        );
    }

    #[test]
    fn bare_numbers_with_bad_check_digits_stay_text() {
        let o = options();
        assert!(decode_bare("4006381333932", &o).is_none());
        assert!(decode_bare("123456", &o).is_none());
        assert!(decode_bare("A0063813339", &o).is_none());
    }
}
