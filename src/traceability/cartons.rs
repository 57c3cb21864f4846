//! Carton contents rebuilt from packing events: which lots went into which
//! SSCC, for which sales order. A shipment recorded for a whole carton names
//! only its SSCC, so this is how the trace and the FSMA export find the lots
//! it carried.

use std::collections::BTreeMap;

use super::History;
use crate::journal::EventKind;

/// One lot's share of one carton.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CartonLine {
    /// GTIN-14.
    pub gtin: String,
    /// The lot, if the product is lot-tracked.
    pub lot: Option<String>,
    /// Quantity packed (net of corrections).
    pub quantity: i64,
    /// Unit of `quantity`.
    pub unit: String,
    /// The sales order the carton was packed for, if the packing named one.
    pub sales_order: Option<String>,
}

/// SSCC → what was packed into it, in packing order.
pub fn carton_contents(history: &History<'_>) -> BTreeMap<String, Vec<CartonLine>> {
    let mut cartons: BTreeMap<String, Vec<CartonLine>> = BTreeMap::new();
    for event in history.events() {
        let b = &event.body;
        let (EventKind::Packing, Some(sscc), Some(gtin)) = (b.kind, &b.sscc, &b.gtin) else {
            continue;
        };
        let lines = cartons.entry(sscc.clone()).or_default();
        match lines
            .iter_mut()
            .find(|l| &l.gtin == gtin && l.lot == b.lot && l.sales_order == b.sales_order)
        {
            Some(line) => line.quantity += b.quantity,
            None => lines.push(CartonLine {
                gtin: gtin.clone(),
                lot: b.lot.clone(),
                quantity: b.quantity,
                unit: b.unit.clone(),
                sales_order: b.sales_order.clone(),
            }),
        }
    }
    for lines in cartons.values_mut() {
        lines.retain(|l| l.quantity != 0);
    }
    cartons.retain(|_, lines| !lines.is_empty());
    cartons
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::traceability::test_history::*;

    #[test]
    fn packing_events_fill_cartons_by_sscc() {
        let events = events();
        let cartons = carton_contents(&History::new(&events));
        assert_eq!(cartons.len(), 2);
        let first = &cartons[&sscc(1)];
        assert_eq!(first.len(), 1);
        assert_eq!(
            (first[0].lot.as_deref(), first[0].quantity),
            (Some(LOT_1), 30)
        );
        let second: Vec<_> = cartons[&sscc(2)]
            .iter()
            .map(|l| (l.lot.as_deref(), l.quantity, l.sales_order.as_deref()))
            .collect();
        assert_eq!(
            second,
            [
                (Some(LOT_1), 20, Some("SO-2002")),
                (Some(LOT_2), 10, Some("SO-2002"))
            ]
        );
    }

    #[test]
    fn an_undone_packing_leaves_no_carton() {
        let mut events = events();
        let packing = events.iter().find(|e| e.seq == 9).unwrap().clone();
        let mut undo = packing.clone();
        undo.seq = 99;
        undo.event_id = uuid::Uuid::from_u128(99);
        undo.body.quantity = 0;
        undo.body.correction_of = Some(packing.event_id);
        events.push(undo);
        let cartons = carton_contents(&History::new(&events));
        assert!(!cartons.contains_key(&sscc(1)));
    }
}
