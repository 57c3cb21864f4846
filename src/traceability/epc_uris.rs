//! GS1 keys as the URIs EPCIS uses: lots as LGTIN classes, serialised items
//! as SGTINs, cartons as SSCCs, locations as SGLNs and parties as PGLNs.
//!
//! An EPC URI splits a key after its GS1 Company Prefix, whose length the
//! key itself does not tell. [`CompanyPrefixes`] says it: the prefixes the
//! site knows (its own, its suppliers') and a default length for the rest.
//! The URIs are built by the project's EPC encoder ([`crate::scan::epc`]),
//! so they are checked and escaped exactly like the ones on RFID tags.

use crate::scan::ScanError;
use crate::scan::check_digit::mod10_valid;
use crate::scan::epc::{CompanyPrefix, Epc, EpcId, Serial};

/// The GS1 Company Prefixes to split keys with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanyPrefixes {
    default_digits: u8,
    known: Vec<String>,
}

impl CompanyPrefixes {
    /// Keys of no known prefix are split after `default_digits` digits (6
    /// to 12; 7 is the most common length).
    pub fn new(default_digits: u8) -> Result<CompanyPrefixes, ScanError> {
        if !(6..=12).contains(&default_digits) {
            return Err(ScanError::Epc(format!(
                "a company prefix has 6 to 12 digits, not {default_digits}"
            )));
        }
        Ok(CompanyPrefixes {
            default_digits,
            known: Vec::new(),
        })
    }

    /// Adds a known company prefix (6 to 12 digits); the longest known
    /// prefix a key starts with decides its split.
    pub fn with_prefix(mut self, prefix: &str) -> Result<CompanyPrefixes, ScanError> {
        if !(6..=12).contains(&prefix.len()) || !prefix.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ScanError::Epc(format!(
                "company prefix {prefix:?} is not 6 to 12 digits"
            )));
        }
        self.known.push(prefix.to_owned());
        Ok(self)
    }

    /// The company prefix length for a key whose prefix starts `digits`.
    fn digits_for(&self, digits: &str) -> u8 {
        self.known
            .iter()
            .filter(|p| digits.starts_with(p.as_str()))
            .map(|p| p.len() as u8)
            .max()
            .unwrap_or(self.default_digits)
    }

    /// Splits the body of a key (without indicator/extension digit and
    /// check digit) into company prefix and the rest.
    fn split<'k>(&self, body: &'k str) -> Result<(CompanyPrefix, &'k str), ScanError> {
        let digits = self.digits_for(body);
        let (prefix, rest) = body.split_at(usize::from(digits).min(body.len()));
        let value = prefix
            .parse()
            .map_err(|_| ScanError::Epc(format!("{body:?} is not all digits")))?;
        Ok((CompanyPrefix::new(value, digits)?, rest))
    }
}

/// Checks that `key` is `len` digits with a valid check digit.
fn checked_key<'k>(what: &str, key: &'k str, len: usize) -> Result<&'k str, ScanError> {
    if key.len() != len || !key.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ScanError::Epc(format!(
            "{what} {key:?} is not {len} digits"
        )));
    }
    if !mod10_valid(key.as_bytes()) {
        return Err(ScanError::Epc(format!(
            "{what} {key} has a wrong check digit"
        )));
    }
    Ok(key)
}

/// A numeric reference made of a leading digit (indicator or extension,
/// or none) followed by `rest`; no digits at all is 0 (a GLN whose company
/// prefix has 12 digits has an empty location reference).
fn reference(lead: &str, rest: &str) -> Result<u64, ScanError> {
    let digits = format!("{lead}{rest}");
    if digits.is_empty() {
        return Ok(0);
    }
    digits
        .parse()
        .map_err(|_| ScanError::Epc(format!("reference {digits} is not a number")))
}

/// `urn:epc:id:sgtin:…` for one serialised item of GTIN-14 `gtin`.
pub fn sgtin(prefixes: &CompanyPrefixes, gtin: &str, serial: &str) -> Result<String, ScanError> {
    let gtin = checked_key("GTIN", gtin, 14)?;
    let (company_prefix, rest) = prefixes.split(&gtin[1..13])?;
    let id = EpcId::Sgtin {
        company_prefix,
        item_reference: reference(&gtin[..1], rest)?,
        serial: Serial::Chars(serial.to_owned()),
    };
    Ok(Epc::new(Some(0), id)?.id_uri())
}

/// `urn:epc:class:lgtin:…`: the class of all items of one lot. Same fields
/// and escaping as an SGTIN with the lot in the serial's place (TDS 6.4.1).
pub fn lgtin_class(prefixes: &CompanyPrefixes, gtin: &str, lot: &str) -> Result<String, ScanError> {
    let sgtin = sgtin(prefixes, gtin, lot)?;
    Ok(sgtin.replacen("urn:epc:id:sgtin:", "urn:epc:class:lgtin:", 1))
}

/// `urn:epc:idpat:sgtin:…*`: the class of all items of a GTIN, for stock
/// that is not lot-tracked.
pub fn gtin_class(prefixes: &CompanyPrefixes, gtin: &str) -> Result<String, ScanError> {
    // Any valid serial will do: only the fields before it are kept.
    let sgtin = sgtin(prefixes, gtin, "0")?;
    let fields = sgtin
        .strip_prefix("urn:epc:id:sgtin:")
        .and_then(|rest| rest.rsplit_once('.'))
        .map(|(fields, _serial)| fields)
        .unwrap_or_default();
    Ok(format!("urn:epc:idpat:sgtin:{fields}.*"))
}

/// `urn:epc:id:sscc:…` for an 18-digit SSCC.
pub fn sscc(prefixes: &CompanyPrefixes, sscc: &str) -> Result<String, ScanError> {
    let sscc = checked_key("SSCC", sscc, 18)?;
    let (company_prefix, rest) = prefixes.split(&sscc[1..17])?;
    let id = EpcId::Sscc {
        company_prefix,
        serial_reference: reference(&sscc[..1], rest)?,
    };
    Ok(Epc::new(Some(0), id)?.id_uri())
}

/// `urn:epc:id:sgln:…` for a 13-digit GLN without extension.
pub fn sgln(prefixes: &CompanyPrefixes, gln: &str) -> Result<String, ScanError> {
    let gln = checked_key("GLN", gln, 13)?;
    let (company_prefix, rest) = prefixes.split(&gln[..12])?;
    let id = EpcId::Sgln {
        company_prefix,
        location_reference: reference("", rest)?,
        extension: Serial::Integer(0),
    };
    Ok(Epc::new(Some(0), id)?.id_uri())
}

/// `urn:epc:id:pgln:…` for a party's 13-digit GLN.
pub fn pgln(prefixes: &CompanyPrefixes, gln: &str) -> Result<String, ScanError> {
    let gln = checked_key("GLN", gln, 13)?;
    let (company_prefix, rest) = prefixes.split(&gln[..12])?;
    Ok(format!("urn:epc:id:pgln:{company_prefix}.{rest}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seven() -> CompanyPrefixes {
        CompanyPrefixes::new(7).unwrap()
    }

    #[test]
    fn uris_match_the_tag_data_standard_examples() {
        // TDS 2.x examples: GTIN 80614141123458 with company prefix 0614141.
        let p = seven();
        assert_eq!(
            sgtin(&p, "80614141123458", "6789").unwrap(),
            "urn:epc:id:sgtin:0614141.812345.6789"
        );
        assert_eq!(
            lgtin_class(&p, "80614141123458", "6789AB").unwrap(),
            "urn:epc:class:lgtin:0614141.812345.6789AB"
        );
        assert_eq!(
            gtin_class(&p, "80614141123458").unwrap(),
            "urn:epc:idpat:sgtin:0614141.812345.*"
        );
        assert_eq!(
            sscc(&p, "106141411234567897").unwrap(),
            "urn:epc:id:sscc:0614141.1123456789"
        );
        assert_eq!(
            sgln(&p, "0614141123452").unwrap(),
            "urn:epc:id:sgln:0614141.12345.0"
        );
        assert_eq!(
            pgln(&p, "0614141123452").unwrap(),
            "urn:epc:id:pgln:0614141.12345"
        );
    }

    #[test]
    fn a_known_prefix_overrides_the_default_length() {
        let p = seven().with_prefix("061414112").unwrap();
        assert_eq!(
            sscc(&p, "106141411234567897").unwrap(),
            "urn:epc:id:sscc:061414112.13456789"
        );
        assert!(seven().with_prefix("12345").is_err());
        assert!(CompanyPrefixes::new(13).is_err());
    }

    #[test]
    fn lots_are_escaped_like_serials() {
        assert_eq!(
            lgtin_class(&seven(), "80614141123458", "A/B%1").unwrap(),
            "urn:epc:class:lgtin:0614141.812345.A%2FB%251"
        );
    }

    #[test]
    fn bad_keys_are_errors_not_uris() {
        let p = seven();
        assert!(
            lgtin_class(&p, "80614141123459", "L1").is_err(),
            "check digit"
        );
        assert!(lgtin_class(&p, "8061414112345", "L1").is_err(), "length");
        assert!(
            lgtin_class(&p, "80614141123458", "L#1").is_err(),
            "not CSET 82"
        );
        assert!(
            lgtin_class(&p, "80614141123458", &"L".repeat(21)).is_err(),
            "too long"
        );
        assert!(sscc(&p, "106141411234567890").is_err());
        assert!(sgln(&p, "06141411234x2").is_err());
    }
}
