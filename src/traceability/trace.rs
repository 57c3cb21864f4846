//! The recall trace of one lot: forward to every carton, order, customer
//! and ship date it went out with, backward to every receipt, supplier,
//! purchase order, dock and operator it came in with, and where the rest
//! is now. A pure function over events and reference data, so the HTTP
//! endpoint, the CLI and the benchmark all compute the same report.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::cartons::{CartonLine, carton_contents};
use super::stock::{LotKey, stock_by_lot};
use super::{Directory, History};
use crate::journal::{Event, EventKind};

/// Everything known about where one lot came from and went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TraceReport {
    /// GTIN-14 traced.
    pub gtin: String,
    /// Lot traced.
    pub lot: Option<String>,
    /// The product's description, if the product is known.
    pub product: Option<String>,
    /// The lot's expiry date, as first recorded.
    pub expiry: Option<NaiveDate>,
    /// Backward: every receipt of the lot.
    pub receipts: Vec<Receipt>,
    /// Forward: every carton the lot was packed into.
    pub cartons: Vec<Carton>,
    /// Forward: every shipment that carried the lot.
    pub shipments: Vec<Shipment>,
    /// Stock of the lot by location now.
    pub stock: Vec<LocationStock>,
}

/// A receipt of the lot at the dock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Receipt {
    /// The receiving event.
    pub event_id: Uuid,
    /// When (device time).
    pub received_at: DateTime<Utc>,
    /// Quantity received.
    pub quantity: i64,
    /// Unit of `quantity`.
    pub unit: String,
    /// Purchase order received against.
    pub purchase_order: Option<String>,
    /// Supplier of that order.
    pub supplier: Option<PartyRef>,
    /// Where the goods were received (the dock).
    pub location: Option<String>,
    /// Operator badge.
    pub operator: String,
    /// Operator name, if the badge is known.
    pub operator_name: Option<String>,
}

/// A carton (SSCC) holding some of the lot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Carton {
    /// The SSCC.
    pub sscc: String,
    /// Quantity of the lot packed into it.
    pub quantity: i64,
    /// Unit of `quantity`.
    pub unit: String,
    /// Sales order it was packed for.
    pub sales_order: Option<String>,
}

/// A shipment of some of the lot to a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shipment {
    /// The shipping event.
    pub event_id: Uuid,
    /// When (device time).
    pub shipped_at: DateTime<Utc>,
    /// Quantity of the lot shipped.
    pub quantity: i64,
    /// Unit of `quantity`.
    pub unit: String,
    /// The carton shipped, if the shipment named one.
    pub sscc: Option<String>,
    /// The sales order shipped.
    pub sales_order: Option<String>,
    /// Its customer.
    pub customer: Option<PartyRef>,
    /// Ship-to GLN or address of the order.
    pub ship_to: Option<String>,
}

/// A supplier or customer as the report names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartyRef {
    /// Server-side id.
    pub id: String,
    /// Name.
    pub name: String,
    /// GLN, if known.
    pub gln: Option<String>,
}

/// Stock of the lot at one location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocationStock {
    /// Location code.
    pub location: String,
    /// Quantity there now.
    pub quantity: i64,
    /// Unit of `quantity`.
    pub unit: String,
}

/// The trace of (`gtin`, `lot`) over `history`.
pub fn trace(
    history: &History<'_>,
    directory: &Directory<'_>,
    gtin: &str,
    lot: Option<&str>,
) -> TraceReport {
    let of_lot = |e: &&&Event| History::is_lot(e, gtin, lot);
    let cartons: Vec<Carton> = carton_contents(history)
        .into_iter()
        .flat_map(|(sscc, lines)| {
            lines
                .into_iter()
                .filter(|l| l.gtin == gtin && l.lot.as_deref() == lot)
                .map(move |l: CartonLine| Carton {
                    sscc: sscc.clone(),
                    quantity: l.quantity,
                    unit: l.unit,
                    sales_order: l.sales_order,
                })
        })
        .collect();
    let receipts = history
        .events()
        .iter()
        .filter(of_lot)
        .filter(|e| e.body.kind == EventKind::Receiving && e.body.quantity != 0)
        .map(|e| receipt(e, directory))
        .collect();
    let shipments = history
        .events()
        .iter()
        .filter(|e| e.body.kind == EventKind::Shipping)
        .filter_map(|e| shipment(e, gtin, lot, &cartons, directory))
        .collect();
    let key = LotKey {
        gtin: gtin.to_owned(),
        lot: lot.map(ToOwned::to_owned),
    };
    let lot_stock = stock_by_lot(history).remove(&key);
    let stock = lot_stock
        .as_ref()
        .map(|s| {
            s.by_location
                .iter()
                .map(|(location, &quantity)| LocationStock {
                    location: location.clone(),
                    quantity,
                    unit: s.unit.clone(),
                })
                .collect()
        })
        .unwrap_or_default();
    TraceReport {
        gtin: gtin.to_owned(),
        lot: lot.map(ToOwned::to_owned),
        product: directory.product(gtin).map(|p| p.description.clone()),
        expiry: lot_stock.and_then(|s| s.expiry),
        receipts,
        cartons,
        shipments,
        stock,
    }
}

fn party(p: &crate::journal::Party) -> PartyRef {
    PartyRef {
        id: p.id.clone(),
        name: p.name.clone(),
        gln: p.gln.clone(),
    }
}

fn receipt(e: &Event, directory: &Directory<'_>) -> Receipt {
    let b = &e.body;
    Receipt {
        event_id: e.event_id,
        received_at: e.recorded_at,
        quantity: b.quantity,
        unit: b.unit.clone(),
        purchase_order: b.purchase_order.clone(),
        supplier: b
            .purchase_order
            .as_deref()
            .and_then(|po| directory.supplier_of(po))
            .map(party),
        location: b.to_location.clone(),
        operator: b.operator.clone(),
        operator_name: directory.operator(&b.operator).map(|o| o.name.clone()),
    }
}

/// The lot's part of shipping event `e`: the event's own quantity when it
/// names the lot, the lot's share of the carton when it names only an SSCC
/// holding the lot, nothing otherwise.
fn shipment(
    e: &Event,
    gtin: &str,
    lot: Option<&str>,
    cartons: &[Carton],
    directory: &Directory<'_>,
) -> Option<Shipment> {
    let b = &e.body;
    let (quantity, unit, carton_order) = if b.gtin.is_some() {
        if !History::is_lot(e, gtin, lot) || b.quantity == 0 {
            return None;
        }
        (b.quantity, b.unit.clone(), None)
    } else {
        let sscc = b.sscc.as_deref()?;
        let in_carton: Vec<&Carton> = cartons.iter().filter(|c| c.sscc == sscc).collect();
        let first = in_carton.first()?;
        let quantity = in_carton.iter().map(|c| c.quantity).sum();
        (quantity, first.unit.clone(), first.sales_order.clone())
    };
    let sales_order = b.sales_order.clone().or(carton_order);
    let order = sales_order
        .as_deref()
        .and_then(|so| directory.sales_order(so));
    Some(Shipment {
        event_id: e.event_id,
        shipped_at: e.recorded_at,
        quantity,
        unit,
        sscc: b.sscc.clone(),
        // The customer the event names (its `to_location`) wins over the
        // order's, which reference data may have changed since.
        customer: b
            .to_location
            .as_deref()
            .and_then(|id| directory.customer(id))
            .or_else(|| order.and_then(|o| directory.customer(&o.customer_id)))
            .map(party),
        ship_to: order.map(|o| o.ship_to.clone()),
        sales_order,
    })
}

/// One row of the CSV rendering; blank columns stay empty.
#[derive(Debug, Default, Serialize)]
struct CsvRow<'a> {
    section: &'a str,
    gtin: &'a str,
    lot: &'a str,
    date: Option<String>,
    quantity: i64,
    unit: &'a str,
    order: Option<&'a str>,
    party_id: Option<&'a str>,
    party_name: Option<&'a str>,
    sscc: Option<&'a str>,
    location: Option<&'a str>,
    operator: Option<&'a str>,
}

/// The CSV header: [`CsvRow`]'s fields, in order.
const CSV_HEADER: [&str; 12] = [
    "section",
    "gtin",
    "lot",
    "date",
    "quantity",
    "unit",
    "order",
    "party_id",
    "party_name",
    "sscc",
    "location",
    "operator",
];

impl TraceReport {
    /// The report as CSV (RFC 4180): one row per receipt, carton, shipment
    /// and stock line, the `section` column saying which, so a recall team
    /// can sort and filter it in a spreadsheet.
    pub fn to_csv(&self) -> Result<String, csv::Error> {
        let mut out = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new());
        out.write_record(CSV_HEADER)?;
        let base = |section| CsvRow {
            section,
            gtin: &self.gtin,
            lot: self.lot.as_deref().unwrap_or(""),
            ..CsvRow::default()
        };
        let date = |at: &DateTime<Utc>| Some(at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        for r in &self.receipts {
            out.serialize(CsvRow {
                date: date(&r.received_at),
                quantity: r.quantity,
                unit: &r.unit,
                order: r.purchase_order.as_deref(),
                party_id: r.supplier.as_ref().map(|p| p.id.as_str()),
                party_name: r.supplier.as_ref().map(|p| p.name.as_str()),
                location: r.location.as_deref(),
                operator: Some(&r.operator),
                ..base("receipt")
            })?;
        }
        for c in &self.cartons {
            out.serialize(CsvRow {
                quantity: c.quantity,
                unit: &c.unit,
                order: c.sales_order.as_deref(),
                sscc: Some(&c.sscc),
                ..base("carton")
            })?;
        }
        for s in &self.shipments {
            out.serialize(CsvRow {
                date: date(&s.shipped_at),
                quantity: s.quantity,
                unit: &s.unit,
                order: s.sales_order.as_deref(),
                party_id: s.customer.as_ref().map(|p| p.id.as_str()),
                party_name: s.customer.as_ref().map(|p| p.name.as_str()),
                sscc: s.sscc.as_deref(),
                location: s.ship_to.as_deref(),
                ..base("shipment")
            })?;
        }
        for s in &self.stock {
            out.serialize(CsvRow {
                quantity: s.quantity,
                unit: &s.unit,
                location: Some(&s.location),
                ..base("stock")
            })?;
        }
        let bytes = out.into_inner().map_err(|e| e.into_error())?;
        // Every field came from a `String`, so the bytes are UTF-8.
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// Quantity shipped per customer id (customers unknown to reference
    /// data under an empty id): the recall notice list at a glance.
    pub fn shipped_by_customer(&self) -> BTreeMap<String, i64> {
        let mut totals = BTreeMap::new();
        for s in &self.shipments {
            let id = s
                .customer
                .as_ref()
                .map(|c| c.id.clone())
                .unwrap_or_default();
            *totals.entry(id).or_default() += s.quantity;
        }
        totals
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::traceability::test_history::*;

    fn report() -> TraceReport {
        let events = events();
        let reference = reference();
        trace(
            &History::new(&events),
            &Directory::new(&reference),
            GTIN,
            Some(LOT_1),
        )
    }

    #[test]
    fn backward_finds_the_receipt_supplier_po_dock_and_operator() {
        let report = report();
        assert_eq!(report.product.as_deref(), Some("Greek yoghurt 500 g"));
        assert_eq!(report.expiry, Some(expiry_1()));
        assert_eq!(report.receipts.len(), 1);
        let r = &report.receipts[0];
        assert_eq!((r.quantity, r.unit.as_str()), (100, "EA"));
        assert_eq!(r.purchase_order.as_deref(), Some("PO-1001"));
        assert_eq!(
            r.supplier.as_ref().map(|s| s.name.as_str()),
            Some("Hill Farm Dairy")
        );
        assert_eq!(r.location.as_deref(), Some("DOCK-1"));
        assert_eq!(r.operator_name.as_deref(), Some("Ana Silva"));
        assert_eq!(r.received_at, minutes(1));
    }

    #[test]
    fn forward_finds_cartons_orders_customers_and_dates() {
        let report = report();
        let cartons: Vec<_> = report
            .cartons
            .iter()
            .map(|c| (c.sscc.clone(), c.quantity, c.sales_order.as_deref()))
            .collect();
        assert_eq!(
            cartons,
            [
                (sscc(1), 30, Some("SO-2001")),
                (sscc(2), 20, Some("SO-2002"))
            ]
        );
        let shipped: Vec<_> = report
            .shipments
            .iter()
            .map(|s| {
                (
                    s.customer.as_ref().map(|c| c.name.as_str()),
                    s.quantity,
                    s.sscc.clone(),
                    s.shipped_at,
                )
            })
            .collect();
        assert_eq!(
            shipped,
            [
                (Some("Corner Shop"), 30, Some(sscc(1)), minutes(120)),
                (Some("Fresh Market"), 20, Some(sscc(2)), minutes(130)),
            ]
        );
        assert_eq!(
            report.shipments[1].ship_to.as_deref(),
            Some("12 Market Street, Leeds")
        );
        assert_eq!(
            report.shipped_by_customer().into_iter().collect::<Vec<_>>(),
            [("C1".to_owned(), 30), ("C2".to_owned(), 20)]
        );
    }

    #[test]
    fn stock_now_reflects_the_correction() {
        let report = report();
        assert_eq!(
            report.stock,
            [LocationStock {
                location: "A-01".into(),
                quantity: 50,
                unit: "EA".into()
            }]
        );
    }

    #[test]
    fn a_shipment_naming_only_the_carton_is_traced_through_its_contents() {
        let mut events: Vec<Event> = events().into_iter().filter(|e| e.seq < 12).collect();
        events.push(event(40, minutes(300), EventKind::Shipping, |b| {
            b.gtin = None;
            b.sscc = Some(sscc(2));
        }));
        let reference = reference();
        let report = trace(
            &History::new(&events),
            &Directory::new(&reference),
            GTIN,
            Some(LOT_2),
        );
        assert_eq!(report.shipments.len(), 1);
        let s = &report.shipments[0];
        assert_eq!(
            (s.quantity, s.sales_order.as_deref()),
            (10, Some("SO-2002"))
        );
        assert_eq!(s.customer.as_ref().map(|c| c.id.as_str()), Some("C2"));
    }

    #[test]
    fn an_unknown_lot_has_an_empty_trace() {
        let events = events();
        let reference = reference();
        let report = trace(
            &History::new(&events),
            &Directory::new(&reference),
            GTIN,
            Some("NOPE"),
        );
        assert!(report.receipts.is_empty() && report.cartons.is_empty());
        assert!(report.shipments.is_empty() && report.stock.is_empty());
    }

    #[test]
    fn csv_has_one_row_per_fact_under_a_stable_header() {
        let csv = report().to_csv().unwrap();
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        assert_eq!(
            reader.headers().unwrap().iter().collect::<Vec<_>>(),
            CSV_HEADER
        );
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let sections: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
        assert_eq!(
            sections,
            [
                "receipt", "carton", "carton", "shipment", "shipment", "stock"
            ]
        );
        assert_eq!(&rows[0][8], "Hill Farm Dairy");
        assert_eq!(&rows[3][3], "2026-11-20T10:00:00Z");
        assert_eq!(&rows[4][10], "12 Market Street, Leeds");
        let json = serde_json::to_value(report()).unwrap();
        assert_eq!(json["shipments"][0]["customer"]["id"], "C1");
    }
}
