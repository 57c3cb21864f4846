//! What the scan window shows for one scan, as plain data.
//!
//! The window is a thin Slint skin over this module: it turns the text a
//! person or a keyboard-wedge scanner typed into scanner data, and a decode
//! result into the lines on screen. Keeping that here, free of Slint, lets
//! the decisions (which key heads the screen, which elements are listed,
//! how dates read) be unit tested without a display.

use std::borrow::Cow;

use crate::scan::{Element, GS, Measure, Scan, ScanError};

/// How a person types ASCII 29 (GS, standing for FNC1), which no keyboard
/// has a key for. `\x1D` is accepted as well.
pub const GS_ESCAPE: &str = r"\x1d";

/// Turns typed text into the data a scanner would have sent: a trailing CR
/// or LF (the scanner's line terminator, or a paste) is dropped and each
/// [`GS_ESCAPE`] becomes a real GS. Text without escapes is borrowed.
pub fn scanner_data(typed: &str) -> Cow<'_, str> {
    // The escape up to its last character, which may be `d` or `D`.
    const STEM: &str = r"\x1";
    let data = typed.trim_end_matches(['\r', '\n']);
    if !data.contains(STEM) {
        return Cow::Borrowed(data);
    }
    let mut out = String::with_capacity(data.len());
    let mut rest = data;
    while let Some(at) = rest.find(STEM) {
        let after = &rest[at + STEM.len()..];
        match after.strip_prefix(['d', 'D']) {
            Some(tail) => {
                out.push_str(&rest[..at]);
                out.push(char::from(GS));
                rest = tail;
            }
            None => {
                out.push_str(&rest[..at + STEM.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Whether the scan could be read; the window colours the whole screen by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Decoded: the screen turns green.
    Ok,
    /// Not decodable: the screen turns red and shows why.
    Error,
}

/// Which identifier heads the screen. The window turns it into a translated
/// label, so no user-facing words are made here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// A trade item's GTIN-14.
    Gtin,
    /// A logistic unit's SSCC.
    Sscc,
    /// A location's or party's GLN.
    Gln,
    /// Plain text such as a location label or a badge.
    Text,
}

/// The identifier the operator sees first, in large type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Headline {
    /// What the value is.
    pub kind: KeyKind,
    /// The GTIN, SSCC, GLN or text itself.
    pub value: String,
}

/// Everything the window shows for one scan. Absent values are `None` and
/// their rows are hidden.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanView {
    /// Whether the scan could be read.
    pub status: Status,
    /// The carrier's stable name (`ean-13`, `gs1-128`, …) when known.
    pub carrier: Option<String>,
    /// The main identifier: SSCC, else GTIN, else GLN, else the text.
    pub headline: Option<Headline>,
    /// Batch or lot (AI 10).
    pub lot: Option<String>,
    /// Expiry date (AI 17) as `YYYY-MM-DD`.
    pub expiry: Option<String>,
    /// Serial number (AI 21).
    pub serial: Option<String>,
    /// Best-before date (AI 15) as `YYYY-MM-DD`.
    pub best_before: Option<String>,
    /// Count of items (AI 30 or 37).
    pub quantity: Option<String>,
    /// The elements not shown above, each as `(AI) title: value`.
    pub details: Vec<String>,
    /// The decoder's non-fatal findings.
    pub notes: Vec<String>,
    /// Why the scan could not be read.
    pub error: Option<String>,
}

/// AIs whose value has a row of its own (lot, expiry, serial, best before,
/// quantity), so they are not listed again among the details.
const FIELD_AIS: [&str; 6] = ["10", "15", "17", "21", "30", "37"];

/// AIs that can head the screen; listed among the details only when the
/// headline shows another key.
const KEY_AIS: [&str; 5] = ["00", "01", "02", "03", "414"];

impl ScanView {
    /// The view of a decode result.
    pub fn of(result: &Result<Scan, ScanError>) -> ScanView {
        match result {
            Ok(scan) => ScanView::of_scan(scan),
            Err(error) => ScanView::of_error(error),
        }
    }

    /// The view of a decoded scan.
    pub fn of_scan(scan: &Scan) -> ScanView {
        let identity = &scan.identity;
        let headline = headline(scan);
        let details = scan
            .elements
            .iter()
            .filter(|element| !shown_in_a_row(element, headline.as_ref()))
            .map(|element| detail(element, &identity.measures))
            .collect();
        ScanView {
            status: Status::Ok,
            carrier: scan.symbology.map(|symbology| symbology.name()),
            headline,
            lot: identity.lot.clone(),
            expiry: identity.expiry.map(|date| date.to_string()),
            serial: identity.serial.clone(),
            best_before: identity.best_before.map(|date| date.to_string()),
            quantity: identity.quantity.map(|count| count.to_string()),
            details,
            notes: scan.notes.clone(),
            error: None,
        }
    }

    /// The view of a scan that could not be decoded: only the reason.
    pub fn of_error(error: &ScanError) -> ScanView {
        ScanView {
            status: Status::Error,
            carrier: None,
            headline: None,
            lot: None,
            expiry: None,
            serial: None,
            best_before: None,
            quantity: None,
            details: Vec::new(),
            notes: Vec::new(),
            error: Some(error.to_string()),
        }
    }
}

/// The main identifier: a pallet label's SSCC outranks the GTIN of its
/// contents (AI 02), a GTIN outranks a GLN, and plain text stands alone.
/// One detail line: `(AI) title: value`, with a measure's implied decimal
/// point applied and its unit, so `000525` under 3103 reads `0.525 kg`.
fn detail(element: &Element, measures: &[Measure]) -> String {
    match measures.iter().find(|m| m.ai == element.ai) {
        Some(m) => format!("({}) {}: {} {}", element.ai, element.title, m.value, m.unit),
        None => format!("({}) {}: {}", element.ai, element.title, element.value),
    }
}

fn headline(scan: &Scan) -> Option<Headline> {
    let identity = &scan.identity;
    let (kind, value) = if let Some(sscc) = &identity.sscc {
        (KeyKind::Sscc, sscc)
    } else if let Some(gtin) = &identity.gtin {
        (KeyKind::Gtin, gtin)
    } else if let Some(gln) = &identity.gln {
        (KeyKind::Gln, gln)
    } else {
        (KeyKind::Text, scan.text.as_ref()?)
    };
    Some(Headline {
        kind,
        value: value.clone(),
    })
}

/// True when `element`'s value already has a row: an attribute row, or the
/// headline when the element is the key it shows.
fn shown_in_a_row(element: &Element, headline: Option<&Headline>) -> bool {
    let ai = element.ai.as_str();
    FIELD_AIS.contains(&ai)
        || (KEY_AIS.contains(&ai) && headline.is_some_and(|h| h.value == element.value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::{Identity, ScanKind, Symbology};
    use chrono::NaiveDate;
    use proptest::prelude::*;

    /// An element with a fixed title: `Element::new` looks titles up in the
    /// AI table, which these tests do not depend on.
    fn element(ai: &str, title: &'static str, value: &str) -> Element {
        Element {
            ai: ai.to_owned(),
            value: value.to_owned(),
            title,
        }
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("test date exists")
    }

    fn scan(kind: ScanKind, elements: Vec<Element>, identity: Identity) -> Scan {
        Scan {
            kind,
            symbology: Some(Symbology::Gs1DataMatrix),
            elements,
            identity,
            epc: None,
            text: None,
            notes: Vec::new(),
        }
    }

    #[test]
    fn trailing_line_terminators_are_dropped() {
        assert_eq!(scanner_data("LOC-A-01\r\n"), "LOC-A-01");
        assert_eq!(scanner_data("LOC-A-01\n"), "LOC-A-01");
        assert_eq!(scanner_data("\r"), "");
        assert_eq!(scanner_data(" A \t"), " A \t", "other whitespace is data");
        assert_eq!(
            scanner_data("A\nB"),
            "A\nB",
            "only a trailing terminator goes"
        );
    }

    #[test]
    fn text_without_escapes_is_borrowed() {
        assert!(matches!(scanner_data("]E04006381333931"), Cow::Borrowed(_)));
        assert!(matches!(scanner_data("LOC\r\n"), Cow::Borrowed("LOC")));
    }

    #[test]
    fn gs_escapes_become_group_separators() {
        assert_eq!(
            scanner_data(r"]d20109506000134352\x1d10ABC\x1D21X"),
            "]d20109506000134352\u{1d}10ABC\u{1d}21X"
        );
        assert_eq!(scanner_data(r"\x1d"), "\u{1d}");
        assert_eq!(scanner_data(r"\x1d\x1d"), "\u{1d}\u{1d}");
        assert_eq!(scanner_data("\\x1d\r\n"), "\u{1d}");
    }

    #[test]
    fn near_escapes_stay_text() {
        assert_eq!(scanner_data(r"\x1"), r"\x1");
        assert_eq!(scanner_data(r"\x1e"), r"\x1e");
        assert_eq!(scanner_data(r"\X1d"), r"\X1d");
        assert_eq!(scanner_data(r"\x1\x1d"), "\\x1\u{1d}");
        assert_eq!(scanner_data(r"a\x1é"), r"a\x1é");
    }

    #[test]
    fn gs1_trade_item_shows_gtin_lot_expiry_and_the_rest_as_details() {
        let view = ScanView::of_scan(&scan(
            ScanKind::Gs1,
            vec![
                element("01", "GTIN", "09506000134352"),
                element("17", "USE BY OR EXPIRY", "261231"),
                element("10", "BATCH/LOT", "ABC123"),
                element("21", "SERIAL", "S-1"),
                element("15", "BEST BEFORE or BEST BY", "261130"),
                element("3103", "NET WEIGHT (kg)", "000525"),
                element("400", "ORDER NUMBER", "PO-7"),
            ],
            Identity {
                gtin: Some("09506000134352".into()),
                lot: Some("ABC123".into()),
                serial: Some("S-1".into()),
                expiry: Some(date(2026, 12, 31)),
                best_before: Some(date(2026, 11, 30)),
                order_number: Some("PO-7".into()),
                measures: vec![Measure {
                    ai: "3103".into(),
                    quantity: "net_weight",
                    value: "0.525".into(),
                    unit: "kg",
                    logistic: false,
                }],
                ..Identity::default()
            },
        ));
        assert_eq!(
            view,
            ScanView {
                status: Status::Ok,
                carrier: Some("gs1-datamatrix".into()),
                headline: Some(Headline {
                    kind: KeyKind::Gtin,
                    value: "09506000134352".into()
                }),
                lot: Some("ABC123".into()),
                expiry: Some("2026-12-31".into()),
                serial: Some("S-1".into()),
                best_before: Some("2026-11-30".into()),
                quantity: None,
                details: vec![
                    "(3103) NET WEIGHT (kg): 0.525 kg".into(),
                    "(400) ORDER NUMBER: PO-7".into(),
                ],
                notes: Vec::new(),
                error: None,
            }
        );
    }

    #[test]
    fn pallet_label_is_headed_by_the_sscc_and_lists_the_contents_gtin() {
        let view = ScanView::of_scan(&scan(
            ScanKind::Gs1,
            vec![
                element("00", "SSCC", "106141412345678908"),
                element("02", "CONTENT", "09506000134352"),
                element("37", "COUNT", "48"),
            ],
            Identity {
                sscc: Some("106141412345678908".into()),
                gtin: Some("09506000134352".into()),
                quantity: Some(48),
                ..Identity::default()
            },
        ));
        assert_eq!(
            view.headline,
            Some(Headline {
                kind: KeyKind::Sscc,
                value: "106141412345678908".into()
            })
        );
        assert_eq!(view.quantity.as_deref(), Some("48"));
        assert_eq!(view.details, ["(02) CONTENT: 09506000134352"]);
    }

    #[test]
    fn location_is_headed_by_the_gln() {
        let view = ScanView::of_scan(&scan(
            ScanKind::Gs1,
            vec![
                element("414", "LOC No.", "9521234500005"),
                element("254", "GLN EXTENSION COMPONENT", "A-01"),
            ],
            Identity {
                gln: Some("9521234500005".into()),
                gln_extension: Some("A-01".into()),
                ..Identity::default()
            },
        ));
        assert_eq!(
            view.headline,
            Some(Headline {
                kind: KeyKind::Gln,
                value: "9521234500005".into()
            })
        );
        assert_eq!(view.details, ["(254) GLN EXTENSION COMPONENT: A-01"]);
    }

    #[test]
    fn plain_text_is_the_headline() {
        let view = ScanView::of_scan(&Scan::text(None, "LOC-A-01"));
        assert_eq!(view.status, Status::Ok);
        assert_eq!(view.carrier, None);
        assert_eq!(
            view.headline,
            Some(Headline {
                kind: KeyKind::Text,
                value: "LOC-A-01".into()
            })
        );
        assert_eq!(view.lot, None);
        assert!(view.details.is_empty());
    }

    #[test]
    fn keyless_data_has_no_headline_and_keeps_notes() {
        let mut grai = scan(
            ScanKind::Gs1,
            vec![element("8003", "GRAI", "095060001343520001")],
            Identity::default(),
        );
        grai.notes.push("AI (8003): note".into());
        let view = ScanView::of_scan(&grai);
        assert_eq!(view.headline, None);
        assert_eq!(view.details, ["(8003) GRAI: 095060001343520001"]);
        assert_eq!(view.notes, ["AI (8003): note"]);
    }

    #[test]
    fn an_error_shows_only_its_message() {
        let error = ScanError::Retail {
            symbology: "EAN-13",
            value: "4006381333932".into(),
            reason: "check digit should be 1".into(),
        };
        let view = ScanView::of(&Err(error.clone()));
        assert_eq!(view.status, Status::Error);
        assert_eq!(view.error, Some(error.to_string()));
        assert_eq!(view.headline, None);
        assert_eq!(view.carrier, None);
        assert!(view.details.is_empty());
    }

    proptest! {
        #[test]
        fn scanner_data_never_panics_and_leaves_no_escape(typed in r"(\\x1[dDe]?|[a-z0-9\r\n\\]){0,24}") {
            let data = scanner_data(&typed);
            prop_assert!(!data.contains(GS_ESCAPE) && !data.contains(r"\x1D"));
            prop_assert!(!data.ends_with(['\r', '\n']));
        }
    }
}
