//! The FSMA 204 electronic sortable spreadsheet: the key data elements
//! (KDEs) of the receiving and shipping critical tracking events, as the
//! US FDA asks for them within 24 hours of a request (21 CFR 1.1455).
//!
//! One CSV file (RFC 4180), one header row with the stable column names in
//! [`COLUMNS`], one row per lot per event, oldest first. The traceability
//! lot code is the GS1 pair `(01)GTIN(10)LOT`, which is what the label
//! carries; its source is the supplier the lot was first received from.
//! Columns are documented in `docs/server-exports.md`.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, Utc};
use serde::Serialize;

use super::cartons::carton_contents;
use super::{Directory, History};
use crate::journal::{Event, EventKind, Party, ReferenceData};

/// The header row, in order.
pub const COLUMNS: [&str; 15] = [
    "Critical Tracking Event",
    "Traceability Lot Code",
    "Product Description",
    "Product GTIN",
    "Quantity",
    "Unit of Measure",
    "Event Location",
    "Immediate Previous Source",
    "Immediate Subsequent Recipient",
    "Event Date",
    "Reference Document Type",
    "Reference Document Number",
    "Traceability Lot Code Source",
    "Lot",
    "Event ID",
];

/// What the spreadsheet needs beyond events and reference data.
#[derive(Debug, Clone)]
pub struct Fsma204Options {
    /// The site as FSMA wants a location described: business name and
    /// address (and GLN if it has one), e.g. `Lotline DC1, 1 Dock Road,
    /// Leeds LS1 1AA`. A location code is appended per event.
    pub site_description: String,
    /// The site's time zone offset: event dates are local dates.
    pub offset: FixedOffset,
    /// Rows only for events recorded (device time) in `[start, end)`;
    /// None: every event. Events outside it still count as context: the
    /// first receipt that gives a lot its source, the packing that says
    /// what a carton shipped whole held.
    pub period: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

/// One row; field order is [`COLUMNS`].
#[derive(Debug, Serialize)]
struct Row<'a> {
    event: &'static str,
    lot_code: String,
    product: &'a str,
    gtin: &'a str,
    quantity: i64,
    unit: &'a str,
    location: String,
    previous_source: String,
    subsequent_recipient: String,
    date: String,
    document_type: &'static str,
    document_number: &'a str,
    lot_code_source: String,
    lot: &'a str,
    event_id: String,
}

/// The spreadsheet for `events` (any order; corrected events left out,
/// their corrections in).
pub fn spreadsheet(
    events: &[Event],
    reference: &ReferenceData,
    options: &Fsma204Options,
) -> Result<String, csv::Error> {
    let history = History::new(events);
    let directory = Directory::new(reference);
    let cartons = carton_contents(&history);
    let sources = lot_code_sources(&history, &directory);
    let mut out = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    out.write_record(COLUMNS)?;
    for event in history.events() {
        let b = &event.body;
        let exported = matches!(b.kind, EventKind::Receiving | EventKind::Shipping);
        let in_period = options
            .period
            .is_none_or(|(start, end)| (start..end).contains(&event.recorded_at));
        if !exported || !in_period || b.quantity == 0 {
            continue;
        }
        // The lots the event moved: its own, or a whole carton's.
        let lots: Vec<(&str, Option<&str>, i64, &str)> = match (&b.gtin, &b.sscc) {
            (Some(gtin), _) => vec![(gtin.as_str(), b.lot.as_deref(), b.quantity, b.unit.as_str())],
            (None, Some(sscc)) => cartons
                .get(sscc)
                .map(|lines| {
                    lines
                        .iter()
                        .map(|l| {
                            (
                                l.gtin.as_str(),
                                l.lot.as_deref(),
                                l.quantity,
                                l.unit.as_str(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default(),
            (None, None) => Vec::new(),
        };
        let at = |code: &Option<String>| match code {
            Some(code) => format!("{}, location {code}", options.site_description),
            None => options.site_description.clone(),
        };
        let date = event
            .recorded_at
            .with_timezone(&options.offset)
            .format("%Y-%m-%d")
            .to_string();
        for (gtin, lot, quantity, unit) in lots {
            let row = Row {
                event: "",
                lot_code: lot_code(gtin, lot),
                product: directory.product(gtin).map_or("", |p| &p.description),
                gtin,
                quantity,
                unit,
                location: String::new(),
                previous_source: String::new(),
                subsequent_recipient: String::new(),
                date: date.clone(),
                document_type: "",
                document_number: "",
                lot_code_source: sources.get(&(gtin, lot)).cloned().unwrap_or_default(),
                lot: lot.unwrap_or(""),
                event_id: event.event_id.to_string(),
            };
            let row = if b.kind == EventKind::Receiving {
                Row {
                    event: "Receiving",
                    location: at(&b.to_location),
                    previous_source: b
                        .purchase_order
                        .as_deref()
                        .and_then(|po| directory.supplier_of(po))
                        .map(describe)
                        .unwrap_or_default(),
                    document_type: if b.purchase_order.is_some() {
                        "Purchase Order"
                    } else {
                        ""
                    },
                    document_number: b.purchase_order.as_deref().unwrap_or(""),
                    ..row
                }
            } else {
                Row {
                    event: "Shipping",
                    location: at(&b.from_location),
                    subsequent_recipient: recipient(&directory, b.sales_order.as_deref()),
                    document_type: if b.sales_order.is_some() {
                        "Sales Order"
                    } else {
                        ""
                    },
                    document_number: b.sales_order.as_deref().unwrap_or(""),
                    ..row
                }
            };
            out.serialize(row)?;
        }
    }
    let bytes = out.into_inner().map_err(|e| e.into_error())?;
    // Every field came from a `String`, so the bytes are UTF-8.
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The traceability lot code: GTIN and lot as GS1 element strings.
fn lot_code(gtin: &str, lot: Option<&str>) -> String {
    match lot {
        Some(lot) => format!("(01){gtin}(10){lot}"),
        None => format!("(01){gtin}"),
    }
}

/// A party as FSMA wants it described: name, and GLN when known.
fn describe(party: &Party) -> String {
    match &party.gln {
        Some(gln) => format!("{} (GLN {gln})", party.name),
        None => party.name.clone(),
    }
}

/// The customer of a sales order and where it ships to.
fn recipient(directory: &Directory<'_>, sales_order: Option<&str>) -> String {
    let Some(order) = sales_order.and_then(|so| directory.sales_order(so)) else {
        return String::new();
    };
    match directory.customer(&order.customer_id) {
        Some(customer) => format!("{}, ship to {}", describe(customer), order.ship_to),
        None => format!("{}, ship to {}", order.customer_id, order.ship_to),
    }
}

/// (GTIN, lot) → the supplier it was first received from, described.
fn lot_code_sources<'e>(
    history: &History<'e>,
    directory: &Directory<'_>,
) -> HashMap<(&'e str, Option<&'e str>), String> {
    let mut sources = HashMap::new();
    for event in history.events() {
        let b = &event.body;
        if b.kind != EventKind::Receiving || b.quantity == 0 {
            continue;
        }
        let (Some(gtin), Some(supplier)) = (
            &b.gtin,
            b.purchase_order
                .as_deref()
                .and_then(|po| directory.supplier_of(po)),
        ) else {
            continue;
        };
        sources
            .entry((gtin.as_str(), b.lot.as_deref()))
            .or_insert_with(|| describe(supplier));
    }
    sources
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::traceability::test_history::*;

    fn options() -> Fsma204Options {
        Fsma204Options {
            site_description: "Lotline DC1, 1 Dock Road, Leeds LS1 1AA".into(),
            offset: FixedOffset::west_opt(9 * 3600).unwrap(),
            period: None,
        }
    }

    fn rows(csv: &str) -> (csv::StringRecord, Vec<csv::StringRecord>) {
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let header = reader.headers().unwrap().clone();
        (header, reader.records().map(Result::unwrap).collect())
    }

    #[test]
    fn receiving_and_shipping_rows_carry_the_key_data_elements() {
        let csv = spreadsheet(&events(), &reference(), &options()).unwrap();
        let (header, rows) = rows(&csv);
        assert_eq!(header.iter().collect::<Vec<_>>(), COLUMNS);
        let events: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
        assert_eq!(
            events,
            ["Receiving", "Receiving", "Shipping", "Shipping", "Shipping"],
            "putaway, picking and packing are not FSMA 204 events here"
        );
        let received = &rows[0];
        assert_eq!(&received[1], "(01)09506000134352(10)L2611A");
        assert_eq!(&received[2], "Greek yoghurt 500 g");
        assert_eq!((&received[4], &received[5]), ("100", "EA"));
        assert_eq!(
            &received[6],
            "Lotline DC1, 1 Dock Road, Leeds LS1 1AA, location DOCK-1"
        );
        assert_eq!(&received[7], "Hill Farm Dairy (GLN 0950600000101)");
        assert_eq!(&received[8], "");
        assert_eq!(
            &received[9], "2026-11-19",
            "08:01 UTC is the day before at UTC-9"
        );
        assert_eq!(
            (&received[10], &received[11]),
            ("Purchase Order", "PO-1001")
        );
        assert_eq!(&received[12], "Hill Farm Dairy (GLN 0950600000101)");
        let shipped = &rows[3];
        assert_eq!(&shipped[1], "(01)09506000134352(10)L2611A");
        assert_eq!(&shipped[4], "20");
        assert_eq!(&shipped[8], "Fresh Market, ship to 12 Market Street, Leeds");
        assert_eq!((&shipped[10], &shipped[11]), ("Sales Order", "SO-2002"));
        assert_eq!(
            &shipped[12], "Hill Farm Dairy (GLN 0950600000101)",
            "TLC source"
        );
    }

    #[test]
    fn a_carton_shipment_lists_every_lot_in_the_carton() {
        let mut events: Vec<Event> = events().into_iter().filter(|e| e.seq < 12).collect();
        events.push(event(40, minutes(300), EventKind::Shipping, |b| {
            b.gtin = None;
            b.sscc = Some(sscc(2));
            b.sales_order = Some("SO-2002".into());
        }));
        let csv = spreadsheet(&events, &reference(), &options()).unwrap();
        let (_, rows) = rows(&csv);
        let shipped: Vec<(&str, &str)> = rows
            .iter()
            .filter(|r| &r[0] == "Shipping")
            .map(|r| (&r[13], &r[4]))
            .collect();
        assert_eq!(shipped, [(LOT_1, "20"), (LOT_2, "10")]);
    }

    #[test]
    fn fields_with_commas_and_quotes_are_quoted() {
        let mut reference = reference();
        reference.products[0].description = "Yoghurt \"Greek\", 500 g".into();
        let csv = spreadsheet(&events(), &reference, &options()).unwrap();
        assert!(csv.contains("\"Yoghurt \"\"Greek\"\", 500 g\""));
        let (_, rows) = rows(&csv);
        assert_eq!(&rows[0][2], "Yoghurt \"Greek\", 500 g");
    }

    #[test]
    fn a_period_keeps_rows_in_it_and_context_from_before_it() {
        let all = events();
        let shipments: Vec<&Event> = History::new(&all)
            .events()
            .iter()
            .copied()
            .filter(|e| e.body.kind == EventKind::Shipping && e.body.quantity != 0)
            .collect();
        let start = shipments[0].recorded_at;
        let options = Fsma204Options {
            period: Some((start, start + chrono::Duration::days(365))),
            ..options()
        };
        let csv = spreadsheet(&all, &reference(), &options).unwrap();
        let (_, in_period) = rows(&csv);
        assert!(
            in_period.iter().all(|r| &r[0] == "Shipping"),
            "the receipts were before the period"
        );
        assert_eq!(in_period.len(), 3);
        assert_eq!(
            &in_period[0][12], "Hill Farm Dairy (GLN 0950600000101)",
            "the lot's source still comes from its receipt before the period"
        );
        let nothing = Fsma204Options {
            period: Some((start, start)),
            ..options
        };
        let (_, none) = rows(&spreadsheet(&all, &reference(), &nothing).unwrap());
        assert!(none.is_empty(), "an empty period has no rows");
    }
}
