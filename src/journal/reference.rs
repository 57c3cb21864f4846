//! Reference data the server sends down (products, locations, suppliers,
//! customers, orders, lot statuses, operators): stored in the journal file
//! so every lot rule works offline, applied in one transaction per download.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};
use serde::{Deserialize, Serialize};

use super::Journal;
use super::error::{JournalError, Result};

/// A trade item and the rules that apply to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    /// GTIN-14.
    pub gtin: String,
    /// What the operator sees.
    pub description: String,
    /// Unit of measure of its quantities.
    pub unit: String,
    /// True when every movement must name a lot.
    pub lot_tracked: bool,
    /// True when every lot must have an expiry date.
    pub expiry_tracked: bool,
    /// Days of shelf life a lot must still have when received.
    pub min_shelf_life_receipt_days: Option<u32>,
    /// Days of shelf life a lot must still have when shipped.
    pub min_shelf_life_shipment_days: Option<u32>,
}

/// What a location is for; decides e.g. whether its stock can be picked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LocationKind {
    /// Receiving dock.
    Dock,
    /// Storage shelf or bin.
    Shelf,
    /// Staging area for picked goods.
    Staging,
    /// Quarantine: stock here is never offered for picking.
    Quarantine,
    /// Shipping lane.
    Shipping,
}

impl LocationKind {
    const ALL: [LocationKind; 5] = [
        LocationKind::Dock,
        LocationKind::Shelf,
        LocationKind::Staging,
        LocationKind::Quarantine,
        LocationKind::Shipping,
    ];

    /// The stored name.
    pub const fn as_str(self) -> &'static str {
        match self {
            LocationKind::Dock => "dock",
            LocationKind::Shelf => "shelf",
            LocationKind::Staging => "staging",
            LocationKind::Quarantine => "quarantine",
            LocationKind::Shipping => "shipping",
        }
    }

    /// The kind with the given stored name.
    pub fn from_name(name: &str) -> Option<LocationKind> {
        LocationKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// A place stock can be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    /// The site's own code, used in events.
    pub code: String,
    /// The text of the location's barcode label, if it has one.
    pub barcode: Option<String>,
    /// GLN (13 digits), if assigned.
    pub gln: Option<String>,
    /// SGLN EPC URI or GLN + extension, if assigned.
    pub sgln: Option<String>,
    /// Zone, used to prefer nearby stock.
    pub zone: Option<String>,
    /// What the location is for.
    pub kind: LocationKind,
}

/// A trading party known by the server's id: a supplier or a customer.
/// Both carry the same facts, so they share one type and one lookup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    /// Server-side id.
    pub id: String,
    /// Name.
    pub name: String,
    /// GLN, if known.
    pub gln: Option<String>,
}

/// A supplier (goods are received from it).
pub type Supplier = Party;

/// A customer (goods are shipped to it).
pub type Customer = Party;

/// One line of a purchase or sales order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLine {
    /// Line number within the order.
    pub line_no: u32,
    /// GTIN-14 ordered.
    pub gtin: String,
    /// Quantity ordered.
    pub quantity: i64,
    /// Unit of `quantity`.
    pub unit: String,
}

/// A purchase order (what receiving is checked against).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurchaseOrder {
    /// PO number, as referenced by events.
    pub number: String,
    /// Supplier id.
    pub supplier_id: String,
    /// The lines, by line number.
    pub lines: Vec<OrderLine>,
}

/// A sales order (what picking and packing are checked against).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalesOrder {
    /// Order number, as referenced by events.
    pub number: String,
    /// Customer id.
    pub customer_id: String,
    /// Ship-to GLN or address text.
    pub ship_to: String,
    /// The lines, by line number.
    pub lines: Vec<OrderLine>,
}

/// Whether a lot may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LotState {
    /// On hold: not to be picked or shipped until released.
    Held,
    /// Recalled: never to be picked or shipped; lifted only by the issuer.
    Recalled,
    /// Released: usable.
    Released,
}

impl LotState {
    const ALL: [LotState; 3] = [LotState::Held, LotState::Recalled, LotState::Released];

    /// The stored name.
    pub const fn as_str(self) -> &'static str {
        match self {
            LotState::Held => "held",
            LotState::Recalled => "recalled",
            LotState::Released => "released",
        }
    }

    /// The state with the given stored name.
    pub fn from_name(name: &str) -> Option<LotState> {
        LotState::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// A lot's status, who set it and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LotStatus {
    /// GTIN-14.
    pub gtin: String,
    /// The lot (None: the product's unlotted stock).
    pub lot: Option<String>,
    /// Held, recalled or released.
    pub state: LotState,
    /// Why.
    pub reason: Option<String>,
    /// Who issued it (an operator badge or a server user).
    pub issued_by: String,
    /// When.
    pub issued_at: DateTime<Utc>,
}

/// Someone who may sign in by scanning a badge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operator {
    /// The badge's barcode text.
    pub badge: String,
    /// Name shown on screen.
    pub name: String,
    /// Role, e.g. `receiver`, `picker`, `quality`.
    pub role: String,
}

/// One download of reference data: every record here is inserted or
/// replaced; orders replace their lines as a whole.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferenceData {
    /// Products.
    pub products: Vec<Product>,
    /// Locations.
    pub locations: Vec<Location>,
    /// Suppliers.
    pub suppliers: Vec<Supplier>,
    /// Customers.
    pub customers: Vec<Customer>,
    /// Purchase orders with their lines.
    pub purchase_orders: Vec<PurchaseOrder>,
    /// Sales orders with their lines.
    pub sales_orders: Vec<SalesOrder>,
    /// Lot holds, recalls and releases.
    pub lot_statuses: Vec<LotStatus>,
    /// Operators.
    pub operators: Vec<Operator>,
}

impl Journal {
    /// Stores a reference-data download in one transaction: all of it or,
    /// on error, none.
    pub fn apply_reference(&mut self, data: &ReferenceData) -> Result<()> {
        self.store_reference(data, None)
    }

    /// Applies a download from the server and records its cursor in the
    /// same transaction: a download is applied whole or not at all, and the
    /// next one asks from where this one ended.
    pub fn apply_reference_download(&mut self, data: &ReferenceData, cursor: &str) -> Result<()> {
        self.store_reference(data, Some(cursor))
    }

    fn store_reference(&mut self, data: &ReferenceData, cursor: Option<&str>) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        write_reference(&tx, data)?;
        if let Some(cursor) = cursor {
            tx.execute(
                "INSERT OR REPLACE INTO journal_meta (key, value) VALUES ('reference_cursor', ?1)",
                [cursor],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The product with this GTIN.
    pub fn product(&self, gtin: &str) -> Result<Option<Product>> {
        self.conn
            .query_row(
                "SELECT gtin, description, unit, lot_tracked, expiry_tracked, \
                 min_shelf_life_receipt, min_shelf_life_shipment FROM products WHERE gtin = ?1",
                [gtin],
                |row| {
                    Ok(Product {
                        gtin: row.get(0)?,
                        description: row.get(1)?,
                        unit: row.get(2)?,
                        lot_tracked: row.get(3)?,
                        expiry_tracked: row.get(4)?,
                        min_shelf_life_receipt_days: row.get(5)?,
                        min_shelf_life_shipment_days: row.get(6)?,
                    })
                },
            )
            .optional()
            .map_err(Into::into)
    }

    /// The location with this code.
    pub fn location(&self, code: &str) -> Result<Option<Location>> {
        self.find_location("code = ?1", code)
    }

    /// The location a scanned label denotes: its code, barcode text, GLN or
    /// SGLN, in that order of preference.
    pub fn location_by_scan(&self, text: &str) -> Result<Option<Location>> {
        self.find_location(
            "?1 IN (code, barcode, gln, sgln) ORDER BY code <> ?1, barcode IS NOT ?1, \
             gln IS NOT ?1 LIMIT 1",
            text,
        )
    }

    fn find_location(&self, condition: &str, key: &str) -> Result<Option<Location>> {
        let row = self
            .conn
            .query_row(
                &format!(
                    "SELECT code, barcode, gln, sgln, zone, kind FROM locations WHERE {condition}"
                ),
                [key],
                |row| {
                    let fields: (String, _, _, _, _, String) = (
                        row.get(0)?,
                        row.get(1)?,
                        row.get(2)?,
                        row.get(3)?,
                        row.get(4)?,
                        row.get(5)?,
                    );
                    Ok(fields)
                },
            )
            .optional()?;
        row.map(|(code, barcode, gln, sgln, zone, kind)| {
            let kind = LocationKind::from_name(&kind).ok_or_else(|| {
                JournalError::Invalid(format!("location {code} has unknown kind {kind:?}"))
            })?;
            Ok(Location {
                code,
                barcode,
                gln,
                sgln,
                zone,
                kind,
            })
        })
        .transpose()
    }

    /// The supplier with this id.
    pub fn supplier(&self, id: &str) -> Result<Option<Supplier>> {
        self.party("suppliers", id)
    }

    /// The customer with this id.
    pub fn customer(&self, id: &str) -> Result<Option<Customer>> {
        self.party("customers", id)
    }

    /// The party with this id in `table` (`suppliers` or `customers`).
    fn party(&self, table: &'static str, id: &str) -> Result<Option<Party>> {
        self.conn
            .prepare_cached(&format!("SELECT id, name, gln FROM {table} WHERE id = ?1"))?
            .query_row([id], |row| {
                Ok(Party {
                    id: row.get(0)?,
                    name: row.get(1)?,
                    gln: row.get(2)?,
                })
            })
            .optional()
            .map_err(Into::into)
    }

    /// The purchase order with this number, with its lines.
    pub fn purchase_order(&self, number: &str) -> Result<Option<PurchaseOrder>> {
        let head: Option<String> = self
            .conn
            .query_row(
                "SELECT supplier_id FROM purchase_orders WHERE number = ?1",
                [number],
                |row| row.get(0),
            )
            .optional()?;
        head.map(|supplier_id| {
            Ok(PurchaseOrder {
                number: number.to_owned(),
                supplier_id,
                lines: order_lines(&self.conn, "purchase_order_lines", number)?,
            })
        })
        .transpose()
    }

    /// The sales order with this number, with its lines.
    pub fn sales_order(&self, number: &str) -> Result<Option<SalesOrder>> {
        let head: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT customer_id, ship_to FROM sales_orders WHERE number = ?1",
                [number],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        head.map(|(customer_id, ship_to)| {
            Ok(SalesOrder {
                number: number.to_owned(),
                customer_id,
                ship_to,
                lines: order_lines(&self.conn, "sales_order_lines", number)?,
            })
        })
        .transpose()
    }

    /// The status of a lot, if one was ever set (no status: released).
    pub fn lot_status(&self, gtin: &str, lot: Option<&str>) -> Result<Option<LotStatus>> {
        lot_status_of(&self.conn, gtin, lot.unwrap_or(""))
    }

    /// The operator with this badge.
    pub fn operator(&self, badge: &str) -> Result<Option<Operator>> {
        self.conn
            .query_row(
                "SELECT badge, name, role FROM operators WHERE badge = ?1",
                [badge],
                |row| {
                    Ok(Operator {
                        badge: row.get(0)?,
                        name: row.get(1)?,
                        role: row.get(2)?,
                    })
                },
            )
            .optional()
            .map_err(Into::into)
    }
}

/// The status row of (gtin, lot key), shared with lot lookup.
pub(super) fn lot_status_of(conn: &Connection, gtin: &str, lot: &str) -> Result<Option<LotStatus>> {
    let row = conn
        .prepare_cached(
            "SELECT status, reason, issued_by, issued_at FROM lot_status \
             WHERE gtin = ?1 AND lot = ?2",
        )?
        .query_row([gtin, lot], |row: &Row<'_>| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, Option<String>>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, i64>(3)?,
            ))
        })
        .optional()?;
    row.map(|(state, reason, issued_by, at)| {
        let bad =
            |what: String| JournalError::Invalid(format!("lot status of {gtin}/{lot}: {what}"));
        Ok(LotStatus {
            gtin: gtin.to_owned(),
            lot: (!lot.is_empty()).then(|| lot.to_owned()),
            state: LotState::from_name(&state)
                .ok_or_else(|| bad(format!("unknown state {state:?}")))?,
            reason,
            issued_by,
            issued_at: DateTime::from_timestamp_micros(at)
                .ok_or_else(|| bad(format!("issued_at {at} out of range")))?,
        })
    })
    .transpose()
}

fn order_lines(conn: &Connection, table: &str, number: &str) -> Result<Vec<OrderLine>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT line_no, gtin, quantity, unit FROM {table} WHERE number = ?1 ORDER BY line_no"
    ))?;
    let lines = stmt
        .query_map([number], |row| {
            Ok(OrderLine {
                line_no: row.get(0)?,
                gtin: row.get(1)?,
                quantity: row.get(2)?,
                unit: row.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(lines)
}

fn write_lines(conn: &Connection, table: &str, number: &str, lines: &[OrderLine]) -> Result<()> {
    conn.execute(&format!("DELETE FROM {table} WHERE number = ?1"), [number])?;
    let mut insert = conn.prepare_cached(&format!(
        "INSERT INTO {table} (number, line_no, gtin, quantity, unit) VALUES (?1, ?2, ?3, ?4, ?5)"
    ))?;
    for line in lines {
        insert.execute(params![
            number,
            line.line_no,
            line.gtin,
            line.quantity,
            line.unit
        ])?;
    }
    Ok(())
}

fn write_reference(conn: &Connection, data: &ReferenceData) -> Result<()> {
    for p in &data.products {
        conn.prepare_cached(
            "INSERT OR REPLACE INTO products (gtin, description, unit, lot_tracked, \
             expiry_tracked, min_shelf_life_receipt, min_shelf_life_shipment) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            p.gtin,
            p.description,
            p.unit,
            p.lot_tracked,
            p.expiry_tracked,
            p.min_shelf_life_receipt_days,
            p.min_shelf_life_shipment_days
        ])?;
    }
    for l in &data.locations {
        conn.prepare_cached(
            "INSERT OR REPLACE INTO locations (code, barcode, gln, sgln, zone, kind) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            l.code,
            l.barcode,
            l.gln,
            l.sgln,
            l.zone,
            l.kind.as_str()
        ])?;
    }
    for (table, parties) in [
        ("suppliers", &data.suppliers),
        ("customers", &data.customers),
    ] {
        let mut insert = conn.prepare_cached(&format!(
            "INSERT OR REPLACE INTO {table} (id, name, gln) VALUES (?1, ?2, ?3)"
        ))?;
        for party in parties {
            insert.execute(params![party.id, party.name, party.gln])?;
        }
    }
    for po in &data.purchase_orders {
        conn.prepare_cached(
            "INSERT OR REPLACE INTO purchase_orders (number, supplier_id) VALUES (?1, ?2)",
        )?
        .execute(params![po.number, po.supplier_id])?;
        write_lines(conn, "purchase_order_lines", &po.number, &po.lines)?;
    }
    for so in &data.sales_orders {
        conn.prepare_cached(
            "INSERT OR REPLACE INTO sales_orders (number, customer_id, ship_to) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![so.number, so.customer_id, so.ship_to])?;
        write_lines(conn, "sales_order_lines", &so.number, &so.lines)?;
    }
    for st in &data.lot_statuses {
        conn.prepare_cached(
            "INSERT OR REPLACE INTO lot_status (gtin, lot, status, reason, issued_by, issued_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            st.gtin,
            st.lot.as_deref().unwrap_or(""),
            st.state.as_str(),
            st.reason,
            st.issued_by,
            st.issued_at.timestamp_micros()
        ])?;
    }
    for o in &data.operators {
        conn.prepare_cached(
            "INSERT OR REPLACE INTO operators (badge, name, role) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![o.badge, o.name, o.role])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::test_support::*;

    fn sample() -> ReferenceData {
        let line = |line_no, gtin: &str, quantity| OrderLine {
            line_no,
            gtin: gtin.into(),
            quantity,
            unit: "EA".into(),
        };
        ReferenceData {
            products: vec![Product {
                gtin: GTIN_A.into(),
                description: "Yoghurt 500 g".into(),
                unit: "EA".into(),
                lot_tracked: true,
                expiry_tracked: true,
                min_shelf_life_receipt_days: Some(20),
                min_shelf_life_shipment_days: Some(7),
            }],
            locations: vec![Location {
                code: "A-01".into(),
                barcode: Some("LOC-A-01".into()),
                gln: Some("0614141000005".into()),
                sgln: Some("urn:epc:id:sgln:0614141.00000.A01".into()),
                zone: Some("A".into()),
                kind: LocationKind::Shelf,
            }],
            suppliers: vec![Supplier {
                id: "S1".into(),
                name: "Dairy Co".into(),
                gln: None,
            }],
            customers: vec![Customer {
                id: "C1".into(),
                name: "Shop".into(),
                gln: None,
            }],
            purchase_orders: vec![PurchaseOrder {
                number: "PO-1".into(),
                supplier_id: "S1".into(),
                lines: vec![line(2, GTIN_B, 5), line(1, GTIN_A, 10)],
            }],
            sales_orders: vec![SalesOrder {
                number: "SO-1".into(),
                customer_id: "C1".into(),
                ship_to: "0614141000012".into(),
                lines: vec![line(1, GTIN_A, 3)],
            }],
            lot_statuses: vec![LotStatus {
                gtin: GTIN_A.into(),
                lot: Some("L1".into()),
                state: LotState::Recalled,
                reason: Some("listeria".into()),
                issued_by: "qa@hq".into(),
                issued_at: at(5),
            }],
            operators: vec![Operator {
                badge: "B-17".into(),
                name: "Ana".into(),
                role: "picker".into(),
            }],
        }
    }

    #[test]
    fn reference_data_round_trips() {
        let (_dir, mut j) = journal();
        let data = sample();
        j.apply_reference(&data).unwrap();
        assert_eq!(j.product(GTIN_A).unwrap().as_ref(), data.products.first());
        assert_eq!(j.product(GTIN_B).unwrap(), None);
        for text in [
            "A-01",
            "LOC-A-01",
            "0614141000005",
            "urn:epc:id:sgln:0614141.00000.A01",
        ] {
            assert_eq!(
                j.location_by_scan(text).unwrap().as_ref(),
                data.locations.first(),
                "{text}"
            );
        }
        assert_eq!(
            j.location("LOC-A-01").unwrap(),
            None,
            "location() takes the code only"
        );
        assert_eq!(j.supplier("S1").unwrap().as_ref(), data.suppliers.first());
        assert_eq!(j.customer("C1").unwrap().as_ref(), data.customers.first());
        let po = j.purchase_order("PO-1").unwrap().unwrap();
        assert_eq!(
            po.lines.iter().map(|l| l.line_no).collect::<Vec<_>>(),
            [1, 2]
        );
        assert_eq!(
            j.sales_order("SO-1").unwrap().as_ref(),
            data.sales_orders.first()
        );
        assert_eq!(
            j.lot_status(GTIN_A, Some("L1")).unwrap().as_ref(),
            data.lot_statuses.first()
        );
        assert_eq!(j.lot_status(GTIN_A, None).unwrap(), None);
        assert_eq!(j.operator("B-17").unwrap().as_ref(), data.operators.first());
    }

    #[test]
    fn a_new_download_replaces_records_and_order_lines() {
        let (_dir, mut j) = journal();
        j.apply_reference(&sample()).unwrap();
        let mut update = ReferenceData::default();
        let mut po = sample().purchase_orders.remove(0);
        po.lines.truncate(1);
        update.purchase_orders.push(po.clone());
        j.apply_reference(&update).unwrap();
        assert_eq!(j.purchase_order("PO-1").unwrap(), Some(po));
        assert!(
            j.product(GTIN_A).unwrap().is_some(),
            "records not in the download stay"
        );
    }

    #[test]
    fn a_failing_download_changes_nothing() {
        let (_dir, mut j) = journal();
        let mut data = sample();
        data.operators.push(Operator {
            badge: "B-18".into(),
            name: "Bo".into(),
            role: "qa".into(),
        });
        // A duplicate line number violates the primary key mid-transaction.
        let duplicate = data.sales_orders[0].lines[0].clone();
        data.sales_orders[0].lines.push(duplicate);
        assert!(j.apply_reference(&data).is_err());
        assert_eq!(j.product(GTIN_A).unwrap(), None);
        assert_eq!(j.operator("B-18").unwrap(), None);
    }
}
