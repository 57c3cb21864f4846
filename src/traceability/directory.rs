//! Reference data looked up by key: the exports and the trace resolve every
//! event's GTIN, locations, orders, parties and operator, and a linear scan
//! per event would make them quadratic.

use std::collections::HashMap;

use crate::journal::{
    Customer, Location, Operator, Product, PurchaseOrder, ReferenceData, SalesOrder, Supplier,
};

/// Borrowed indexes over one [`ReferenceData`].
#[derive(Debug, Clone)]
pub struct Directory<'a> {
    products: HashMap<&'a str, &'a Product>,
    locations: HashMap<&'a str, &'a Location>,
    suppliers: HashMap<&'a str, &'a Supplier>,
    customers: HashMap<&'a str, &'a Customer>,
    purchase_orders: HashMap<&'a str, &'a PurchaseOrder>,
    sales_orders: HashMap<&'a str, &'a SalesOrder>,
    operators: HashMap<&'a str, &'a Operator>,
}

impl<'a> Directory<'a> {
    /// Indexes `data` (a later record with the same key wins, as it does
    /// when reference data is applied).
    pub fn new(data: &'a ReferenceData) -> Directory<'a> {
        fn index<'a, T>(items: &'a [T], key: impl Fn(&'a T) -> &'a str) -> HashMap<&'a str, &'a T> {
            items.iter().map(|item| (key(item), item)).collect()
        }
        Directory {
            products: index(&data.products, |p| &p.gtin),
            locations: index(&data.locations, |l| &l.code),
            suppliers: index(&data.suppliers, |s| &s.id),
            customers: index(&data.customers, |c| &c.id),
            purchase_orders: index(&data.purchase_orders, |o| &o.number),
            sales_orders: index(&data.sales_orders, |o| &o.number),
            operators: index(&data.operators, |o| &o.badge),
        }
    }

    /// The product with this GTIN-14.
    pub fn product(&self, gtin: &str) -> Option<&'a Product> {
        self.products.get(gtin).copied()
    }

    /// The location with this code.
    pub fn location(&self, code: &str) -> Option<&'a Location> {
        self.locations.get(code).copied()
    }

    /// The supplier with this id.
    pub fn supplier(&self, id: &str) -> Option<&'a Supplier> {
        self.suppliers.get(id).copied()
    }

    /// The customer with this id.
    pub fn customer(&self, id: &str) -> Option<&'a Customer> {
        self.customers.get(id).copied()
    }

    /// The purchase order with this number.
    pub fn purchase_order(&self, number: &str) -> Option<&'a PurchaseOrder> {
        self.purchase_orders.get(number).copied()
    }

    /// The sales order with this number.
    pub fn sales_order(&self, number: &str) -> Option<&'a SalesOrder> {
        self.sales_orders.get(number).copied()
    }

    /// The operator with this badge.
    pub fn operator(&self, badge: &str) -> Option<&'a Operator> {
        self.operators.get(badge).copied()
    }

    /// The supplier a purchase order is from.
    pub fn supplier_of(&self, purchase_order: &str) -> Option<&'a Supplier> {
        self.purchase_order(purchase_order)
            .and_then(|po| self.supplier(&po.supplier_id))
    }

    /// The customer a sales order is for.
    pub fn customer_of(&self, sales_order: &str) -> Option<&'a Customer> {
        self.sales_order(sales_order)
            .and_then(|so| self.customer(&so.customer_id))
    }
}
