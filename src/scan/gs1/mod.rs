//! GS1 Application Identifier data: the AI table written from the GS1 Barcode
//! Syntax Dictionary, value validation, and element string parsing.

mod ai_table;
mod associations;
mod bracketed;
pub(crate) mod date;
mod element_string;
mod iso_codes;
mod linters;
mod measures;
mod value;

use chrono::NaiveDate;

use super::{DecodeOptions, Identity, Scan, ScanError, ScanKind, Symbology};

pub use bracketed::looks_bracketed;
pub use element_string::encode as encode_element_string;
pub use measures::measure;

/// One GS1 element: an Application Identifier and its value.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Element {
    /// The AI, e.g. `01` or `3103`.
    pub ai: String,
    /// The value exactly as carried.
    pub value: String,
    /// The dictionary's short title, e.g. `GTIN` or `BATCH/LOT`.
    pub title: &'static str,
}

impl Element {
    /// An element with its title looked up in the AI table.
    pub fn new(ai: &str, value: impl Into<String>) -> Element {
        Element {
            ai: ai.to_owned(),
            value: value.into(),
            title: title(ai),
        }
    }
}

/// True when the ASCII character `b` is in GS1 AI encodable character set
/// 82: lets a value typed by hand (a lot number) be held to the same
/// character rule a barcode would be.
pub fn is_cset82(b: u8) -> bool {
    ai_table::Charset::Cset82.allows(b)
}

/// The dictionary title of `ai`, or `""` for an unknown AI.
pub fn title(ai: &str) -> &'static str {
    ai_table::lookup(ai).map_or("", |entry| entry.title)
}

/// Decodes a GS1 element string (the data after FNC1 in first position).
pub fn decode_element_string(
    data: &str,
    symbology: Symbology,
    options: &DecodeOptions,
) -> Result<Scan, ScanError> {
    let elements = element_string::parse(data, options.today)?;
    scan_from_elements(ScanKind::Gs1, Some(symbology), elements, options.today)
}

/// Decodes the bracketed human-readable form `(01)09506000134352(10)ABC123`.
pub fn decode_bracketed(
    data: &str,
    symbology: Option<Symbology>,
    options: &DecodeOptions,
) -> Result<Scan, ScanError> {
    let elements = bracketed::parse(data, options.today)?;
    scan_from_elements(ScanKind::Gs1, symbology, elements, options.today)
}

/// Validates a single element exactly as in an element string: known AI,
/// length, character set and content checks. Digital Link uses it for the
/// values it takes from a URI.
pub(crate) fn validate_element(
    ai: &str,
    value: &str,
    today: NaiveDate,
) -> Result<Element, ScanError> {
    let entry = ai_table::lookup(ai).ok_or_else(|| ScanError::UnknownAi {
        position: 0,
        found: ai.to_owned(),
    })?;
    value::validate(ai, entry, value, today)?;
    Ok(Element {
        ai: ai.to_owned(),
        value: value.to_owned(),
        title: entry.title,
    })
}

/// How an AI may appear in a GS1 Digital Link URI.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DigitalLinkRole {
    /// `Some` for a primary key: its alternative qualifier sequences, each
    /// a comma-separated list of AIs in their required order.
    pub primary_key: Option<&'static [&'static str]>,
    /// True when the AI may be a query-string data attribute.
    pub attribute: bool,
}

/// The Digital Link role of `ai`, or `None` for an unknown AI.
pub(crate) fn digital_link_role(ai: &str) -> Option<DigitalLinkRole> {
    ai_table::lookup(ai).map(|entry| DigitalLinkRole {
        primary_key: entry.dl_primary_key,
        attribute: entry.dl_attribute,
    })
}

/// The finished scan for validated elements: checks the combination
/// (repeats, `ex=`, `req=` notes) and derives the identity.
pub(crate) fn scan_from_elements(
    kind: ScanKind,
    symbology: Option<Symbology>,
    mut elements: Vec<Element>,
    today: NaiveDate,
) -> Result<Scan, ScanError> {
    let notes = associations::check(&mut elements)?;
    let identity = Identity::from_elements(&elements, today);
    Ok(Scan {
        kind,
        symbology,
        elements,
        identity,
        epc: None,
        text: None,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn options() -> DecodeOptions {
        DecodeOptions {
            today: NaiveDate::from_ymd_opt(2026, 3, 1).expect("date"),
        }
    }

    fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    fn decode(data: &str) -> Result<Scan, ScanError> {
        decode_element_string(data, Symbology::Gs1_128, &options())
    }

    #[test]
    fn general_specifications_example_to_identity() {
        let scan = decode("01095060001343521720123110ABC123").expect("valid");
        assert_eq!(scan.kind, ScanKind::Gs1);
        assert_eq!(scan.symbology, Some(Symbology::Gs1_128));
        assert_eq!(scan.identity.gtin.as_deref(), Some("09506000134352"));
        assert_eq!(scan.identity.expiry, day(2020, 12, 31));
        assert_eq!(scan.identity.lot.as_deref(), Some("ABC123"));
        assert!(scan.notes.is_empty());
        assert_eq!(scan.elements[1].title, "USE BY or EXPIRY");
    }

    #[test]
    fn through_the_top_level_decoder_with_aim_prefix() {
        let scan =
            crate::scan::decode("]C101095060001343521720123110ABC123", &options()).expect("valid");
        assert_eq!(scan.symbology, Some(Symbology::Gs1_128));
        assert_eq!(scan.identity.lot.as_deref(), Some("ABC123"));
    }

    #[test]
    fn bracketed_form_to_identity() {
        let scan = decode_bracketed("(01)09506000134352(17)240229(10)LOT1", None, &options())
            .expect("valid");
        assert_eq!(scan.symbology, None);
        assert_eq!(scan.identity.expiry, day(2024, 2, 29));
        assert_eq!(scan.identity.lot.as_deref(), Some("LOT1"));
    }

    #[test]
    fn day_zero_and_the_century_rule_in_identity_dates() {
        let expiry = |yymmdd: &str| {
            decode(&format!("0109506000134352{yymmdd}"))
                .expect("valid")
                .identity
                .expiry
        };
        assert_eq!(expiry("17240200"), day(2024, 2, 29));
        assert_eq!(expiry("17250200"), day(2025, 2, 28));
        assert_eq!(expiry("17000200"), day(2000, 2, 29));
        assert_eq!(expiry("17761231"), day(2076, 12, 31));
        assert_eq!(expiry("17771231"), day(1977, 12, 31));
        let old = DecodeOptions {
            today: NaiveDate::from_ymd_opt(2095, 1, 1).expect("date"),
        };
        let scan = decode_element_string("010950600013435217000200", Symbology::Unknown, &old)
            .expect("valid");
        assert_eq!(scan.identity.expiry, day(2100, 2, 28));
    }

    #[test]
    fn impossible_dates_are_errors_naming_the_ai() {
        for (data, what) in [
            ("010950600013435217241301", "date: month must be 01-12"),
            (
                "010950600013435215240431",
                "date: that day does not exist in that month",
            ),
            (
                "010950600013435211240230",
                "date: that day does not exist in that month",
            ),
        ] {
            let err = decode(data).expect_err(data);
            assert!(
                matches!(&err, ScanError::BadDate { what: w, .. } if *w == what),
                "{err}"
            );
            assert!(
                err.to_string()
                    .starts_with(&format!("AI ({})", &data[16..18])),
                "{err}"
            );
        }
    }

    #[test]
    fn measures_and_quantities() {
        let scan = decode("0109506000134352310300052530120").expect("valid");
        let measure = &scan.identity.measures[0];
        assert_eq!(
            (measure.ai.as_str(), measure.value.as_str()),
            ("3103", "0.525")
        );
        assert_eq!(
            (measure.quantity, measure.unit, measure.logistic),
            ("net_weight", "kg", false)
        );
        assert_eq!(scan.identity.quantity, Some(120));
    }

    #[test]
    fn logistic_unit_identity() {
        let scan = decode("00106141411234567897\u{1d}3302001250400PO-1\u{1d}").expect("valid");
        assert_eq!(scan.identity.sscc.as_deref(), Some("106141411234567897"));
        assert_eq!(scan.identity.order_number.as_deref(), Some("PO-1"));
        assert!(scan.identity.measures[0].logistic);
        assert!(scan.notes.is_empty(), "{:?}", scan.notes);
    }

    #[test]
    fn gln_and_extension() {
        let scan = decode("4149506000000008254A1").expect("valid");
        assert_eq!(scan.identity.gln.as_deref(), Some("9506000000008"));
        assert_eq!(scan.identity.gln_extension.as_deref(), Some("A1"));
    }

    #[test]
    fn unmet_requirements_are_notes_not_errors() {
        let scan = decode("10ABC123").expect("valid");
        assert_eq!(
            scan.notes,
            ["AI (10) requires one of (01), (02), (03), (8006), (8026)"]
        );
    }

    #[test]
    fn invalid_pairing_is_an_error() {
        assert_eq!(
            decode("01095060001343520209506000134352"),
            Err(ScanError::InvalidPairing {
                ai: "02".into(),
                with: "01".into()
            })
        );
    }

    #[test]
    fn multi_component_ais() {
        assert!(matches!(
            decode("01095060001343527030276ABC\u{1d}8008240229134\u{1d}"),
            Err(ScanError::TooShort { ai, len: 9, min: 10 }) if ai == "8008"
        ));
        let scan = decode("01095060001343527030276ABC\u{1d}800824022913").expect("valid");
        assert_eq!(scan.elements[1].value, "276ABC");
        assert_eq!(scan.elements[2].value, "24022913");
        let scan = decode("001061414112345678974330001250-").expect("valid");
        assert_eq!(scan.elements[1].value, "001250-");
    }

    #[test]
    fn titles() {
        assert_eq!(title("01"), "GTIN");
        assert_eq!(title("3103"), "NET WEIGHT (kg)");
        assert_eq!(title("98"), "INTERNAL");
        assert_eq!(title("3106"), "");
        assert_eq!(Element::new("10", "X").title, "BATCH/LOT");
    }

    /// A GTIN-14 with a valid check digit and a non-zero company prefix.
    fn gtin() -> impl Strategy<Value = String> {
        "[0-9][1-9][0-9]{11}".prop_map(|body| {
            let check = crate::scan::check_digit::mod10(body.as_bytes()).unwrap_or_default();
            format!("{body}{check}")
        })
    }

    /// A date that exists in every year; day 00 (end of month) only when
    /// `first_day` is 0.
    fn yymmdd(first_day: u32) -> impl Strategy<Value = String> {
        (0u32..100, 1u32..13, first_day..29).prop_map(|(y, m, d)| format!("{y:02}{m:02}{d:02}"))
    }

    fn cset82(max: usize) -> impl Strategy<Value = String> {
        proptest::string::string_regex(&format!("[!\"%&'()*+,./0-9:;<=>?A-Z_a-z-]{{1,{max}}}"))
            .expect("valid regex")
    }

    /// Random valid elements: one primary key and any selection of
    /// attributes, in random order.
    fn valid_elements() -> impl Strategy<Value = Vec<Element>> {
        let key = prop_oneof![
            gtin().prop_map(|g| Element::new("01", g)),
            (gtin(), 1u32..10)
                .prop_map(|(g, n)| Element::new("8006", format!("{g}{n:02}{:02}", n + 1))),
        ];
        let attributes = (
            proptest::option::of(cset82(20).prop_map(|v| Element::new("10", v))),
            proptest::option::of(cset82(20).prop_map(|v| Element::new("21", v))),
            proptest::option::of(yymmdd(0).prop_map(|v| Element::new("17", v))),
            proptest::option::of(
                (0u8..6, "[0-9]{6}").prop_map(|(d, v)| Element::new(&format!("310{d}"), v)),
            ),
            proptest::option::of("[0-9]{1,8}".prop_map(|v| Element::new("30", v))),
            proptest::option::of(cset82(30).prop_map(|v| Element::new("400", v))),
            proptest::option::of(
                (yymmdd(1), "[01][0-9]", "(|[0-5][0-9])")
                    .prop_map(|(d, h, m)| Element::new("8008", format!("{d}{h}{m}"))),
            ),
            proptest::option::of(
                ("[0-9]{6}", "-?").prop_map(|(v, s)| Element::new("4330", format!("{v}{s}"))),
            ),
            proptest::option::of(
                (91u8..100, cset82(90)).prop_map(|(ai, v)| Element::new(&ai.to_string(), v)),
            ),
        );
        (key, attributes).prop_flat_map(|(key, (a, b, c, d, e, f, g, h, i))| {
            let mut all = vec![key];
            all.extend([a, b, c, d, e, f, g, h, i].into_iter().flatten());
            Just(all).prop_shuffle()
        })
    }

    proptest! {
        #[test]
        fn element_string_round_trip(elements in valid_elements()) {
            let data = encode_element_string(&elements);
            let scan = decode(&data).map_err(|e| TestCaseError::fail(format!("{data:?}: {e}")))?;
            prop_assert_eq!(scan.elements, elements);
        }

        #[test]
        fn arbitrary_text_never_panics(data in any::<String>()) {
            let _ = decode(&data);
            let _ = decode_bracketed(&data, None, &options());
            let _ = looks_bracketed(&data);
        }

        #[test]
        fn gs1_like_text_never_panics(data in "[0-9\u{1d}A-Z()\\\\%é/-]{0,60}") {
            let _ = decode(&data);
            let _ = decode_bracketed(&data, None, &options());
            let _ = decode_bracketed(&format!("(01){data}"), None, &options());
        }
    }
}
