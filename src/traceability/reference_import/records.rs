//! One CSV row of each kind as a reference-data record: which fields it
//! needs, which keys must be unique, what it refers to, and how it joins
//! the data already imported (order rows join their order).

use super::fields::Fields;
use super::{ImportKind, Target};
use crate::journal::{
    Location, Operator, OrderLine, Party, Product, PurchaseOrder, ReferenceData, SalesOrder,
};

/// A valid row.
#[derive(Debug, Clone)]
pub(super) enum Parsed {
    Product(Product),
    Location(Location),
    Supplier(Party),
    Customer(Party),
    /// A purchase order with this row's one line.
    PurchaseOrderLine(PurchaseOrder),
    /// A sales order with this row's one line.
    SalesOrderLine(SalesOrder),
    Operator(Operator),
}

/// The row as a record of `kind`, or `None` after recording its problems.
pub(super) fn parse(kind: ImportKind, f: &mut Fields<'_>) -> Option<Parsed> {
    match kind {
        ImportKind::Products => product(f).map(Parsed::Product),
        ImportKind::Locations => location(f).map(Parsed::Location),
        ImportKind::Suppliers => party(f).map(Parsed::Supplier),
        ImportKind::Customers => party(f).map(Parsed::Customer),
        ImportKind::PurchaseOrders => {
            let number = f.required("number");
            let supplier_id = f.required("supplier_id");
            let line = order_line(f);
            Some(Parsed::PurchaseOrderLine(PurchaseOrder {
                number: number?,
                supplier_id: supplier_id?,
                lines: vec![line?],
            }))
        }
        ImportKind::SalesOrders => {
            let number = f.required("number");
            let customer_id = f.required("customer_id");
            let ship_to = f.required("ship_to");
            let line = order_line(f);
            Some(Parsed::SalesOrderLine(SalesOrder {
                number: number?,
                customer_id: customer_id?,
                ship_to: ship_to?,
                lines: vec![line?],
            }))
        }
        ImportKind::Operators => {
            let badge = f.required("badge");
            let name = f.required("name");
            let role = f.required("role");
            Some(Parsed::Operator(Operator {
                badge: badge?,
                name: name?,
                role: role?,
            }))
        }
    }
}

fn product(f: &mut Fields<'_>) -> Option<Product> {
    // Every field is read before any `?`, so one row reports all its problems.
    let gtin = f.gtin("gtin");
    let description = f.required("description");
    let unit = f.unit("unit");
    let lot_tracked = f.boolean("lot_tracked");
    let expiry_tracked = f.boolean("expiry_tracked");
    let receipt = f.days("min_shelf_life_receipt_days");
    let shipment = f.days("min_shelf_life_shipment_days");
    let expiry_tracked = expiry_tracked?;
    let (receipt, shipment) = (receipt.ok()?, shipment.ok()?);
    if !expiry_tracked && (receipt.is_some() || shipment.is_some()) {
        f.problem(
            "expiry_tracked",
            "is false, but a minimum shelf life is given: shelf life needs expiry dates".into(),
        );
        return None;
    }
    Some(Product {
        gtin: gtin?,
        description: description?,
        unit: unit?,
        lot_tracked: lot_tracked?,
        expiry_tracked,
        min_shelf_life_receipt_days: receipt,
        min_shelf_life_shipment_days: shipment,
    })
}

fn location(f: &mut Fields<'_>) -> Option<Location> {
    let code = f.required("code");
    let kind = f.location_kind("kind");
    let gln = f.gln("gln");
    let sgln = f.sgln("sgln");
    Some(Location {
        code: code?,
        barcode: f.optional("barcode"),
        gln: gln.ok()?,
        sgln: sgln.ok()?,
        zone: f.optional("zone"),
        kind: kind?,
    })
}

fn party(f: &mut Fields<'_>) -> Option<Party> {
    let id = f.required("id");
    let name = f.required("name");
    let gln = f.gln("gln");
    Some(Party {
        id: id?,
        name: name?,
        gln: gln.ok()?,
    })
}

fn order_line(f: &mut Fields<'_>) -> Option<OrderLine> {
    let line_no = f.line_no("line_no");
    let gtin = f.gtin("gtin");
    let quantity = f.quantity("quantity");
    let unit = f.unit("unit");
    Some(OrderLine {
        line_no: line_no?,
        gtin: gtin?,
        quantity: quantity?,
        unit: unit?,
    })
}

impl Parsed {
    /// (column, key) pairs no other row of the kind may repeat.
    pub(super) fn unique_keys(&self) -> Vec<(&'static str, String)> {
        let line_key = |number: &str, lines: &[OrderLine]| {
            lines
                .iter()
                .map(|l| ("line_no", format!("{number} line {}", l.line_no)))
                .collect()
        };
        match self {
            Parsed::Product(p) => vec![("gtin", p.gtin.clone())],
            Parsed::Location(l) => std::iter::once(("code", l.code.clone()))
                .chain(l.barcode.clone().map(|b| ("barcode", b)))
                .collect(),
            Parsed::Supplier(p) | Parsed::Customer(p) => vec![("id", p.id.clone())],
            Parsed::PurchaseOrderLine(o) => line_key(&o.number, &o.lines),
            Parsed::SalesOrderLine(o) => line_key(&o.number, &o.lines),
            Parsed::Operator(o) => vec![("badge", o.badge.clone())],
        }
    }

    /// (column, target, key) for each record the row refers to.
    pub(super) fn references(&self) -> Vec<(&'static str, Target, String)> {
        let (party, lines) = match self {
            Parsed::PurchaseOrderLine(o) => (
                ("supplier_id", Target::Supplier, o.supplier_id.clone()),
                &o.lines,
            ),
            Parsed::SalesOrderLine(o) => (
                ("customer_id", Target::Customer, o.customer_id.clone()),
                &o.lines,
            ),
            _ => return Vec::new(),
        };
        std::iter::once(party)
            .chain(
                lines
                    .iter()
                    .map(|l| ("gtin", Target::Product, l.gtin.clone())),
            )
            .collect()
    }

    /// Adds the record to `data`; an order row must agree with the earlier
    /// rows of its order.
    pub(super) fn merge_into(self, data: &mut ReferenceData) -> Result<(), String> {
        match self {
            Parsed::Product(p) => data.products.push(p),
            Parsed::Location(l) => data.locations.push(l),
            Parsed::Supplier(p) => data.suppliers.push(p),
            Parsed::Customer(p) => data.customers.push(p),
            Parsed::Operator(o) => data.operators.push(o),
            Parsed::PurchaseOrderLine(row) => {
                match data
                    .purchase_orders
                    .iter_mut()
                    .find(|o| o.number == row.number)
                {
                    Some(order) if order.supplier_id != row.supplier_id => {
                        return Err(format!(
                            "order {} has supplier {} on an earlier line, {} here",
                            row.number, order.supplier_id, row.supplier_id
                        ));
                    }
                    Some(order) => order.lines.extend(row.lines),
                    None => data.purchase_orders.push(row),
                }
            }
            Parsed::SalesOrderLine(row) => {
                match data
                    .sales_orders
                    .iter_mut()
                    .find(|o| o.number == row.number)
                {
                    Some(order)
                        if (&order.customer_id, &order.ship_to)
                            != (&row.customer_id, &row.ship_to) =>
                    {
                        return Err(format!(
                            "order {} has customer {} shipping to {} on an earlier line, \
                             {} shipping to {} here",
                            row.number,
                            order.customer_id,
                            order.ship_to,
                            row.customer_id,
                            row.ship_to
                        ));
                    }
                    Some(order) => order.lines.extend(row.lines),
                    None => data.sales_orders.push(row),
                }
            }
        }
        Ok(())
    }
}
