//! Stock on hand by location now, summed from the events in effect: the
//! same rules as the terminal's stock projection (a movement takes from
//! `from_location` and adds to `to_location`, a cycle count sets the counted
//! location, holds and releases move nothing), applied to every device's
//! events together.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::History;
use crate::journal::EventKind;

/// A lot of a product: what a recall or an expiry names.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct LotKey {
    /// GTIN-14.
    pub gtin: String,
    /// The lot; `None` for stock of a product that is not lot-tracked.
    pub lot: Option<String>,
}

/// One lot's stock and what is known about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LotStock {
    /// The first expiry date recorded for the lot.
    pub expiry: Option<NaiveDate>,
    /// Unit of the quantities (the last one recorded).
    pub unit: String,
    /// Location code → quantity, zero lines left out.
    pub by_location: BTreeMap<String, i64>,
}

impl LotStock {
    /// The quantity over all locations.
    pub fn total(&self) -> i64 {
        self.by_location.values().sum()
    }
}

/// Every lot ever named by an event, with its non-zero stock by location.
pub fn stock_by_lot(history: &History<'_>) -> BTreeMap<LotKey, LotStock> {
    let mut lots: BTreeMap<LotKey, LotStock> = BTreeMap::new();
    for event in history.events() {
        let b = &event.body;
        let Some(gtin) = &b.gtin else {
            continue;
        };
        let key = LotKey {
            gtin: gtin.clone(),
            lot: b.lot.clone(),
        };
        let lot = lots.entry(key).or_insert_with(|| LotStock {
            expiry: None,
            unit: b.unit.clone(),
            by_location: BTreeMap::new(),
        });
        lot.expiry = lot.expiry.or(b.expiry);
        match b.kind {
            EventKind::Holding | EventKind::Releasing => continue,
            EventKind::CycleCounting => {
                if let Some(counted) = &b.to_location {
                    lot.by_location.insert(counted.clone(), b.quantity);
                }
            }
            _ => {
                if let Some(from) = &b.from_location {
                    *lot.by_location.entry(from.clone()).or_default() -= b.quantity;
                }
                // Shipping's `to_location` is the customer: nothing arrives
                // at a location of the site.
                if let Some(to) = b
                    .to_location
                    .as_ref()
                    .filter(|_| b.kind != EventKind::Shipping)
                {
                    *lot.by_location.entry(to.clone()).or_default() += b.quantity;
                }
            }
        }
        lot.unit.clone_from(&b.unit);
    }
    for lot in lots.values_mut() {
        lot.by_location.retain(|_, quantity| *quantity != 0);
    }
    lots
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::traceability::test_history::*;

    fn key(lot: &str) -> LotKey {
        LotKey {
            gtin: GTIN.into(),
            lot: Some(lot.into()),
        }
    }

    #[test]
    fn stock_is_the_sum_of_movements_with_the_correction_applied() {
        let events = events();
        let stock = stock_by_lot(&History::new(&events));
        let lot_1 = &stock[&key(LOT_1)];
        assert_eq!(
            lot_1.by_location.iter().collect::<Vec<_>>(),
            [(&"A-01".to_owned(), &50)],
            "the putaway of 80 was corrected to 100: nothing left on the dock"
        );
        assert_eq!(lot_1.expiry, Some(expiry_1()));
        assert_eq!(stock[&key(LOT_2)].total(), 50);
    }

    #[test]
    fn a_cycle_count_sets_the_location_and_holds_move_nothing() {
        let mut events = events();
        events.push(event(20, minutes(500), EventKind::CycleCounting, |b| {
            b.lot = Some(LOT_1.into());
            b.quantity = 48;
            b.to_location = Some("A-01".into());
        }));
        events.push(event(21, minutes(501), EventKind::Holding, |b| {
            b.lot = Some(LOT_1.into());
            b.quantity = 48;
            b.from_location = Some("A-01".into());
            b.reason = Some("damaged seal".into());
        }));
        let stock = stock_by_lot(&History::new(&events));
        assert_eq!(stock[&key(LOT_1)].by_location["A-01"], 48);
    }
}
