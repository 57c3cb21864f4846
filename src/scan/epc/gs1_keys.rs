//! The GS1 element strings an EPC stands for (TDS section 7): GTIN + serial
//! for an SGTIN, the SSCC, GLN + extension for an SGLN, the GRAI and the
//! GIAI. A GID is outside the GS1 system and has none.

use super::id::Reference;
use super::uri::push_padded;
use super::{CompanyPrefix, EpcId, Serial};
use crate::scan::check_digit::mod10;
use crate::scan::gs1::Element;

/// The GS1 elements `id` corresponds to, in AI order.
pub(crate) fn elements(id: &EpcId) -> Vec<Element> {
    let key = id
        .company_prefix()
        .zip(id.reference())
        .map(|(company_prefix, reference)| key_with_check_digit(id, company_prefix, reference));
    match (id, key) {
        (EpcId::Sgtin { serial, .. }, Some(gtin)) => {
            vec![
                Element::new("01", gtin),
                Element::new("21", serial.to_string()),
            ]
        }
        (EpcId::Sscc { .. }, Some(sscc)) => vec![Element::new("00", sscc)],
        (EpcId::Sgln { extension, .. }, Some(gln)) => {
            let mut elements = vec![Element::new("414", gln)];
            if !means_no_extension(extension) {
                elements.push(Element::new("254", extension.to_string()));
            }
            elements
        }
        (EpcId::Grai { serial, .. }, Some(grai)) => {
            // AI 8003 is a zero, the 13-digit GRAI, then the serial.
            vec![Element::new("8003", format!("0{grai}{serial}"))]
        }
        (
            EpcId::Giai {
                company_prefix,
                asset_reference,
            },
            _,
        ) => vec![Element::new(
            "8004",
            format!("{company_prefix}{asset_reference}"),
        )],
        _ => Vec::new(),
    }
}

/// True for the SGLN extension `0`, which the TDS reserves for a GLN
/// without extension: it maps to AI 414 alone, without AI 254.
fn means_no_extension(extension: &Serial) -> bool {
    match extension {
        Serial::Integer(value) => *value == 0,
        Serial::Chars(text) => text == "0",
    }
}

/// The digits of the GS1 key — GTIN-14, SSCC, GLN, GRAI — with its check
/// digit: the company prefix and the reference, where an SGTIN's indicator
/// digit and an SSCC's extension digit move from the reference to the front.
fn key_with_check_digit(id: &EpcId, company_prefix: CompanyPrefix, reference: Reference) -> String {
    let mut key = String::with_capacity(18);
    if matches!(id, EpcId::Sgtin { .. } | EpcId::Sscc { .. }) && reference.digits > 0 {
        let rest_digits = reference.digits - 1;
        let scale = 10u64.pow(u32::from(rest_digits));
        push_padded(&mut key, reference.value / scale, 1);
        push_padded(&mut key, company_prefix.value(), company_prefix.digits());
        push_padded(&mut key, reference.value % scale, rest_digits);
    } else {
        push_padded(&mut key, company_prefix.value(), company_prefix.digits());
        push_padded(&mut key, reference.value, reference.digits);
    }
    if let Some(check) = mod10(key.as_bytes()) {
        key.push(char::from(b'0' + check));
    }
    key
}
