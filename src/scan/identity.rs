//! The normalized identity of a scanned thing: the GS1 keys and attributes the
//! workflows care about, whichever carrier they came from.

use chrono::NaiveDate;

use super::gs1::{self, Element};

/// A measured quantity from AIs 310n–369n (trade and logistic measures).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Measure {
    /// The AI it came from, e.g. `3103`.
    pub ai: String,
    /// What is measured: `net_weight`, `gross_weight`, `length`, `width`,
    /// `height`, `area`, `net_volume`, `volume`, `kg_per_m2`.
    pub quantity: &'static str,
    /// The value with its implied decimal point applied, e.g. `0.525`.
    pub value: String,
    /// The unit: `kg`, `lb`, `m`, `in`, `ft`, `yd`, `m2`, `in2`, `ft2`,
    /// `yd2`, `l`, `m3`, `in3`, `ft3`, `yd3`, `oz`, `qt`, `gal`, `troy_oz`.
    pub unit: &'static str,
    /// True for logistic measures (330n–369n on a logistic unit), false for
    /// trade measures.
    pub logistic: bool,
}

/// The keys and attributes of one scanned thing. Fields are `None` when the
/// scan did not carry them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    /// GTIN-14 (AI 01, 02 or 03, a retail number, or an SGTIN).
    pub gtin: Option<String>,
    /// Batch or lot number (AI 10).
    pub lot: Option<String>,
    /// Serial number (AI 21, or the serial of an SGTIN).
    pub serial: Option<String>,
    /// SSCC of a logistic unit (AI 00 or SSCC EPC).
    pub sscc: Option<String>,
    /// GLN of a location or party (AI 414, or SGLN).
    pub gln: Option<String>,
    /// GLN extension component (AI 254, or the SGLN extension).
    pub gln_extension: Option<String>,
    /// Expiry / use-by date (AI 17).
    pub expiry: Option<NaiveDate>,
    /// Best-before date (AI 15).
    pub best_before: Option<NaiveDate>,
    /// Production date (AI 11).
    pub production_date: Option<NaiveDate>,
    /// Count of items (AI 30 or 37).
    pub quantity: Option<u64>,
    /// Trade and logistic measures (AIs 310n–369n).
    pub measures: Vec<Measure>,
    /// Customer purchase order number (AI 400).
    pub order_number: Option<String>,
}

impl Identity {
    /// The identity carried by validated GS1 elements: GTIN from AI (01),
    /// else (02), else (03); quantity from (30), else (37); dates resolved
    /// with the GS1 century rule relative to `today` (day `00` is the
    /// month's last day); measures from AIs 310n–369n. Where an AI repeats,
    /// its first value counts.
    pub fn from_elements(elements: &[Element], today: NaiveDate) -> Identity {
        let mut identity = Identity::default();
        let (mut content_gtin, mut made_to_order_gtin, mut count) = (None, None, None);
        for element in elements {
            let value = element.value.as_str();
            let text = |field: &mut Option<String>| {
                field.get_or_insert_with(|| value.to_owned());
            };
            let date = |field: &mut Option<NaiveDate>| {
                if field.is_none() {
                    *field = gs1::date::yymmdd(value, today, true).ok();
                }
            };
            match element.ai.as_str() {
                "00" => text(&mut identity.sscc),
                "01" => text(&mut identity.gtin),
                "02" => text(&mut content_gtin),
                "03" => text(&mut made_to_order_gtin),
                "10" => text(&mut identity.lot),
                "11" => date(&mut identity.production_date),
                "15" => date(&mut identity.best_before),
                "17" => date(&mut identity.expiry),
                "21" => text(&mut identity.serial),
                "254" => text(&mut identity.gln_extension),
                "30" => identity.quantity = identity.quantity.or(value.parse().ok()),
                "37" => count = count.or(value.parse().ok()),
                "400" => text(&mut identity.order_number),
                "414" => text(&mut identity.gln),
                ai => identity.measures.extend(gs1::measure(ai, value)),
            }
        }
        identity.gtin = identity.gtin.or(content_gtin).or(made_to_order_gtin);
        identity.quantity = identity.quantity.or(count);
        identity
    }
}
