//! GS1 Digital Link URIs: `https://any.host/any/prefix/01/{gtin}/10/{lot}?17=…`
//! (GS1 Digital Link standard, URI syntax 1.x).
//!
//! The path ends in a primary key and its qualifiers as `/AI/value` pairs,
//! in the order the Barcode Syntax Dictionary's `dlpkey=` allows; anything
//! before them is the resolver's own prefix. Query parameters named by an AI
//! are data attributes; other parameters (`linkType`, …) are ignored.

use std::borrow::Cow;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use super::gs1::{self, DigitalLinkRole, Element};
use super::{DecodeOptions, Scan, ScanError, ScanKind, Symbology};

/// True for data that starts like an HTTP(S) URI.
pub fn looks_like_uri(data: &str) -> bool {
    // Every unmarked scan passes here: compare in place, no allocation.
    let starts_with = |scheme: &str| {
        data.as_bytes()
            .get(..scheme.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(scheme.as_bytes()))
    };
    starts_with("https://") || starts_with("http://")
}

/// Decodes a URI: `Ok(None)` when it is not a Digital Link at all (no GS1
/// primary key in its path), an error when it is one but breaks the rules.
pub fn decode(
    uri: &str,
    symbology: Option<Symbology>,
    options: &DecodeOptions,
) -> Result<Option<Scan>, ScanError> {
    let Some(after_scheme) = uri.find("://").map(|i| &uri[i + 3..]) else {
        return Ok(None);
    };
    let without_fragment = after_scheme.split('#').next().unwrap_or_default();
    let (location, query) = without_fragment
        .split_once('?')
        .unwrap_or((without_fragment, ""));
    let path = location.find('/').map_or("", |i| &location[i + 1..]);
    let path = path.strip_suffix('/').unwrap_or(path);
    let segments: Vec<&str> = path.split('/').collect();
    let Some((start, qualifier_sequences)) = find_primary_key(&segments) else {
        return Ok(None);
    };

    let today = options.today;
    let pairs = &segments[start..];
    let mut elements = Vec::with_capacity(pairs.len() / 2 + 2);
    let key_ai = pairs[0];
    let key_value = decode_component(key_ai, pairs[1])?;
    let key_value = if key_ai == "01" {
        normalize_gtin(&key_value)
    } else {
        key_value
    };
    elements.push(gs1::validate_element(key_ai, &key_value, today)?);

    let qualifier_pairs = pairs[2..].chunks_exact(2);
    check_qualifier_order(
        key_ai,
        qualifier_pairs.clone().map(|pair| pair[0]),
        qualifier_sequences,
    )?;
    for pair in qualifier_pairs {
        let value = decode_component(pair[0], pair[1])?;
        elements.push(gs1::validate_element(pair[0], &value, today)?);
    }

    for (key, raw_value) in query.split('&').filter_map(|p| p.split_once('=')) {
        if key.is_empty() || !key.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        match gs1::digital_link_role(key) {
            Some(DigitalLinkRole {
                attribute: true, ..
            }) => {
                let value = decode_component(key, raw_value)?;
                elements.push(gs1::validate_element(key, &value, today)?);
            }
            Some(_) => {
                return Err(ScanError::DigitalLink(format!(
                    "AI ({key}) is not allowed as a query-string attribute"
                )));
            }
            None => {
                return Err(ScanError::UnknownAi {
                    position: key.as_ptr() as usize - uri.as_ptr() as usize,
                    found: key.to_owned(),
                });
            }
        }
    }
    gs1::scan_from_elements(ScanKind::DigitalLink, symbology, elements, today).map(Some)
}

/// The index of the primary key AI among the path segments, with its
/// qualifier sequences: the rightmost primary-key AI from which the rest of
/// the path is whole `/AI/value` pairs. (Being rightmost skips a resolver
/// prefix that happens to look like an AI; no qualifier is itself a key.)
fn find_primary_key(segments: &[&str]) -> Option<(usize, &'static [&'static str])> {
    (0..segments.len())
        .rev()
        .filter(|i| (segments.len() - i).is_multiple_of(2))
        .find_map(|i| {
            let ai = segments[i];
            if !ai.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            Some((i, gs1::digital_link_role(ai)?.primary_key?))
        })
}

/// Qualifiers must follow one of the key's `dlpkey=` sequences, in order,
/// each at most once; a key without sequences takes no qualifiers.
fn check_qualifier_order<'a>(
    key: &str,
    qualifiers: impl Iterator<Item = &'a str> + Clone,
    sequences: &[&str],
) -> Result<(), ScanError> {
    if qualifiers.clone().next().is_none() {
        return Ok(());
    }
    let follows = |sequence: &str| {
        let mut allowed = sequence.split(',');
        qualifiers.clone().all(|q| allowed.any(|a| a == q))
    };
    if sequences.iter().any(|s| follows(s)) {
        return Ok(());
    }
    let path: Vec<String> = qualifiers.map(|q| format!("/{q}")).collect();
    let allowed = if sequences.is_empty() {
        "none".to_owned()
    } else {
        sequences.join(" or ")
    };
    Err(ScanError::DigitalLink(format!(
        "qualifiers {} are not allowed after primary key ({key}) in that order; allowed: {allowed}",
        path.concat()
    )))
}

/// Percent-decodes a path segment or query value of `ai`.
fn decode_component<'a>(ai: &str, raw: &'a str) -> Result<Cow<'a, str>, ScanError> {
    percent_decode_str(raw).decode_utf8().map_err(|_| {
        ScanError::DigitalLink(format!("value of AI ({ai}) is not percent-encoded UTF-8"))
    })
}

/// A GTIN given as 8, 12 or 13 digits, padded with zeros to GTIN-14.
fn normalize_gtin<'a>(gtin: &Cow<'a, str>) -> Cow<'a, str> {
    let all_digits = gtin.bytes().all(|b| b.is_ascii_digit());
    match gtin.len() {
        8 | 12 | 13 if all_digits => Cow::Owned(format!("{gtin:0>14}")),
        _ => gtin.clone(),
    }
}

/// Characters left as they are in a Digital Link value: the URI
/// "unreserved" set; everything else is percent-encoded.
const VALUE_ESCAPES: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Writes elements as a Digital Link URI under `base` (e.g.
/// `https://id.gs1.org`): the first primary key, its qualifiers in their
/// allowed order, and the remaining elements as query attributes. `None`
/// when there is no primary key, when the qualifiers fit none of the key's
/// sequences, or when another element may not be a query attribute.
pub fn encode(base: &str, elements: &[Element]) -> Option<String> {
    let (key, sequences) = elements
        .iter()
        .find_map(|e| Some((e, gs1::digital_link_role(&e.ai)?.primary_key?)))?;
    let is_qualifier = |e: &Element| sequences.iter().any(|s| s.split(',').any(|q| q == e.ai));
    let fits = |sequence: &&str| {
        let mut qualifiers = elements.iter().filter(|e| is_qualifier(e));
        qualifiers.all(|e| sequence.split(',').any(|q| q == e.ai))
    };
    let sequence = if sequences.is_empty() {
        ""
    } else {
        sequences.iter().copied().find(fits)?
    };

    let mut uri = format!(
        "{}/{}/{}",
        base.trim_end_matches('/'),
        key.ai,
        escape(&key.value)
    );
    for ai in sequence.split(',') {
        if let Some(q) = elements.iter().find(|e| e.ai == ai) {
            uri.push_str(&format!("/{}/{}", q.ai, escape(&q.value)));
        }
    }
    let mut separator = '?';
    for e in elements
        .iter()
        .filter(|e| !std::ptr::eq(*e, key) && !is_qualifier(e))
    {
        if !gs1::digital_link_role(&e.ai)?.attribute {
            return None;
        }
        uri.push_str(&format!("{separator}{}={}", e.ai, escape(&e.value)));
        separator = '&';
    }
    Some(uri)
}

fn escape(value: &str) -> impl std::fmt::Display + '_ {
    utf8_percent_encode(value, VALUE_ESCAPES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_schemes_are_recognised_in_any_case() {
        assert!(looks_like_uri("https://id.gs1.org/01/09506000134352"));
        assert!(looks_like_uri("HTTP://EXAMPLE.COM/01/09506000134352"));
        assert!(looks_like_uri("HtTpS://x"));
        assert!(!looks_like_uri("http:/x"));
        assert!(!looks_like_uri("htt"));
        assert!(!looks_like_uri("LOC-A-01"));
    }
    use chrono::NaiveDate;
    use proptest::prelude::*;

    fn options() -> DecodeOptions {
        DecodeOptions {
            today: NaiveDate::from_ymd_opt(2026, 3, 1).expect("date"),
        }
    }

    fn dl(uri: &str) -> Result<Option<Scan>, ScanError> {
        decode(uri, None, &options())
    }

    fn scan(uri: &str) -> Scan {
        match dl(uri) {
            Ok(Some(scan)) => scan,
            other => panic!("{uri}: {other:?}"),
        }
    }

    fn pairs(scan: &Scan) -> Vec<(&str, &str)> {
        scan.elements
            .iter()
            .map(|e| (e.ai.as_str(), e.value.as_str()))
            .collect()
    }

    #[test]
    fn standard_example_with_qualifiers_and_attribute() {
        let s = scan("https://id.gs1.org/01/09506000134352/10/ABC123/21/12345?17=261231");
        assert_eq!(s.kind, ScanKind::DigitalLink);
        assert_eq!(
            pairs(&s),
            [
                ("01", "09506000134352"),
                ("10", "ABC123"),
                ("21", "12345"),
                ("17", "261231")
            ]
        );
        assert_eq!(s.identity.gtin.as_deref(), Some("09506000134352"));
        assert_eq!(s.identity.serial.as_deref(), Some("12345"));
        assert_eq!(s.identity.expiry, NaiveDate::from_ymd_opt(2026, 12, 31));
        assert!(s.notes.is_empty());
    }

    #[test]
    fn any_host_and_prefix_and_short_gtins() {
        let s = scan("https://example.com/some/prefix/01/9506000134352");
        assert_eq!(s.identity.gtin.as_deref(), Some("09506000134352"));
        let s = scan("http://example.com/01/96385074");
        assert_eq!(s.identity.gtin.as_deref(), Some("00000096385074"));
        let s = scan("HTTPS://EXAMPLE.COM/01/036000291452/");
        assert_eq!(s.identity.gtin.as_deref(), Some("00036000291452"));
        // A prefix segment that looks like a key is skipped.
        let s = scan("https://example.com/01/shop/01/09506000134352#top");
        assert_eq!(pairs(&s), [("01", "09506000134352")]);
    }

    #[test]
    fn through_the_top_level_decoder() {
        let s = crate::scan::decode("]Q1https://id.gs1.org/01/09506000134352/10/L1", &options())
            .expect("valid");
        assert_eq!(
            (s.kind, s.symbology),
            (ScanKind::DigitalLink, Some(Symbology::Qr))
        );
        assert_eq!(s.identity.lot.as_deref(), Some("L1"));
        let s = crate::scan::decode("https://example.com/products/123", &options()).expect("text");
        assert_eq!(s.kind, ScanKind::Text);
    }

    #[test]
    fn percent_encoded_values() {
        let s = scan("https://id.gs1.org/01/09506000134352/10/AB%2F12?400=PO%2612");
        assert_eq!(s.identity.lot.as_deref(), Some("AB/12"));
        assert_eq!(s.identity.order_number.as_deref(), Some("PO&12"));
        assert!(matches!(
            dl("https://id.gs1.org/01/09506000134352/10/%FF"),
            Err(ScanError::DigitalLink(_))
        ));
    }

    #[test]
    fn other_keys_and_their_qualifiers() {
        let s = scan("https://id.gs1.org/00/106141411234567897");
        assert_eq!(s.identity.sscc.as_deref(), Some("106141411234567897"));
        let s = scan("https://id.gs1.org/414/9506000000008/254/A1");
        assert_eq!(s.identity.gln_extension.as_deref(), Some("A1"));
        let s = scan("https://id.gs1.org/01/09506000134352/235/TPX1");
        assert_eq!(pairs(&s)[1], ("235", "TPX1"));
    }

    #[test]
    fn query_attributes() {
        let s = scan("https://id.gs1.org/01/09506000134352?linkType=gs1:pip&3103=000525&foo");
        assert_eq!(s.identity.measures[0].value, "0.525");
        assert!(matches!(
            dl("https://id.gs1.org/01/09506000134352?21=5"),
            Err(ScanError::DigitalLink(m)) if m.contains("(21)")
        ));
        assert_eq!(
            dl("https://id.gs1.org/01/09506000134352?3106=000525"),
            Err(ScanError::UnknownAi {
                position: 37,
                found: "3106".into()
            })
        );
        assert!(matches!(
            dl("https://id.gs1.org/01/09506000134352?17=261331"),
            Err(ScanError::BadDate { ai, .. }) if ai == "17"
        ));
    }

    #[test]
    fn qualifier_order_and_alternatives() {
        assert!(matches!(
            dl("https://id.gs1.org/01/09506000134352/21/S/10/L"),
            Err(ScanError::DigitalLink(m)) if m.contains("/21/10")
        ));
        assert!(matches!(
            dl("https://id.gs1.org/01/09506000134352/22/A/235/B"),
            Err(ScanError::DigitalLink(_))
        ));
        assert!(matches!(
            dl("https://id.gs1.org/00/106141411234567897/10/X"),
            Err(ScanError::DigitalLink(m)) if m.contains("allowed: none")
        ));
        assert!(matches!(
            dl("https://id.gs1.org/01/09506000134352/10/A/10/B"),
            Err(ScanError::DigitalLink(_))
        ));
        assert!(
            scan("https://id.gs1.org/01/09506000134352/22/A/21/S")
                .notes
                .is_empty()
        );
    }

    #[test]
    fn invalid_values() {
        assert!(matches!(
            dl("https://id.gs1.org/01/09506000134353"),
            Err(ScanError::BadCheckDigit { ai, expected, .. }) if ai == "01" && expected == "2"
        ));
        assert!(matches!(
            dl("https://id.gs1.org/01/0950600013435"),
            Err(ScanError::TooShort { .. }) | Err(ScanError::BadCheckDigit { .. })
        ));
        assert!(matches!(
            dl("https://id.gs1.org/01/09506000134352/10/A%20B"),
            Err(ScanError::BadCharacter { ch: ' ', .. })
        ));
    }

    #[test]
    fn not_a_digital_link() {
        assert_eq!(dl("https://example.com/"), Ok(None));
        assert_eq!(dl("https://example.com"), Ok(None));
        assert_eq!(dl("https://example.com/01"), Ok(None));
        assert_eq!(dl("https://example.com/10/ABC"), Ok(None));
        assert_eq!(dl("https://example.com/page?01=09506000134352"), Ok(None));
    }

    #[test]
    fn encoding() {
        let elements = [
            Element::new("01", "09506000134352"),
            Element::new("21", "S/1"),
            Element::new("10", "L 1"),
            Element::new("17", "261231"),
        ];
        assert_eq!(
            encode("https://id.gs1.org/", &elements).as_deref(),
            Some("https://id.gs1.org/01/09506000134352/10/L%201/21/S%2F1?17=261231")
        );
        assert_eq!(encode("https://x", &elements[1..]), None);
        let mixed = [
            Element::new("01", "09506000134352"),
            Element::new("22", "A"),
            Element::new("235", "B"),
        ];
        assert_eq!(encode("https://x", &mixed), None);
    }

    fn gtin() -> impl Strategy<Value = String> {
        "[0-9][1-9][0-9]{11}".prop_map(|body| {
            let check = crate::scan::check_digit::mod10(body.as_bytes()).unwrap_or_default();
            format!("{body}{check}")
        })
    }

    fn cset82(max: usize) -> impl Strategy<Value = String> {
        proptest::string::string_regex(&format!("[!\"%&'()*+,./0-9:;<=>?A-Z_a-z-]{{1,{max}}}"))
            .expect("valid regex")
    }

    /// Elements in the order a Digital Link carries them: key, qualifiers
    /// in `dlpkey=` order, attributes.
    fn link_elements() -> impl Strategy<Value = Vec<Element>> {
        (
            gtin(),
            proptest::option::of(cset82(20)),
            proptest::option::of(cset82(20)),
            proptest::option::of(cset82(20)),
            proptest::option::of((0u32..100, 1u32..13, 0u32..29)),
            proptest::option::of("[0-9]{6}"),
            proptest::option::of(cset82(30)),
        )
            .prop_map(|(gtin, cpv, lot, serial, expiry, weight, order)| {
                let mut elements = vec![Element::new("01", gtin)];
                elements.extend(cpv.map(|v| Element::new("22", v)));
                elements.extend(lot.map(|v| Element::new("10", v)));
                elements.extend(serial.map(|v| Element::new("21", v)));
                elements.extend(
                    expiry.map(|(y, m, d)| Element::new("17", format!("{y:02}{m:02}{d:02}"))),
                );
                elements.extend(weight.map(|v| Element::new("3103", v)));
                elements.extend(order.map(|v| Element::new("400", v)));
                elements
            })
    }

    proptest! {
        #[test]
        fn digital_link_round_trip(elements in link_elements()) {
            let uri = encode("https://id.gs1.org", &elements).ok_or_else(|| TestCaseError::fail("encodable"))?;
            let decoded = dl(&uri).map_err(|e| TestCaseError::fail(format!("{uri}: {e}")))?;
            let decoded = decoded.ok_or_else(|| TestCaseError::fail(format!("{uri}: not a link")))?;
            prop_assert_eq!(decoded.elements, elements);
        }

        #[test]
        fn arbitrary_uris_never_panic(path in "[0-9A-Za-z%/?=&#.:]{0,80}") {
            let _ = dl(&format!("https://example.com/{path}"));
            let _ = dl(&format!("http://{path}"));
            let _ = dl(&format!("https://h/01/09506000134352/{path}"));
        }

        #[test]
        fn arbitrary_text_never_panics(data in any::<String>()) {
            let _ = looks_like_uri(&data);
            let _ = dl(&data);
        }
    }
}
