//! The expiry report: lots in stock anywhere that expire within N days, so
//! they are sold, moved or written off before they become waste.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use super::History;
use super::stock::stock_by_lot;

/// A lot in stock that expires on or before the report's horizon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExpiringLot {
    /// GTIN-14.
    pub gtin: String,
    /// The lot.
    pub lot: Option<String>,
    /// Its expiry date.
    pub expiry: NaiveDate,
    /// Days from `today` to the expiry date; negative once expired.
    pub days_left: i64,
    /// Quantity in stock over all locations.
    pub quantity: i64,
    /// Unit of the quantities.
    pub unit: String,
    /// Location code → quantity.
    pub by_location: BTreeMap<String, i64>,
}

/// Lots with positive stock expiring on or before `today + days` (already
/// expired ones included), earliest expiry first.
pub fn expiring_within(history: &History<'_>, today: NaiveDate, days: u32) -> Vec<ExpiringLot> {
    let horizon = today + Duration::days(i64::from(days));
    let mut lots: Vec<ExpiringLot> = stock_by_lot(history)
        .into_iter()
        .filter_map(|(key, stock)| {
            let expiry = stock.expiry.filter(|&date| date <= horizon)?;
            let quantity = stock.total();
            (quantity > 0).then(|| ExpiringLot {
                gtin: key.gtin,
                lot: key.lot,
                expiry,
                days_left: (expiry - today).num_days(),
                quantity,
                unit: stock.unit,
                by_location: stock.by_location,
            })
        })
        .collect();
    lots.sort_by(|a, b| (a.expiry, &a.gtin, &a.lot).cmp(&(b.expiry, &b.gtin, &b.lot)));
    lots
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::EventKind;
    use crate::traceability::test_history::*;

    #[test]
    fn only_lots_in_stock_within_the_horizon_are_listed() {
        let events = events();
        let history = History::new(&events);
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let soon = expiring_within(&history, today, 30);
        assert_eq!(soon.len(), 1, "lot 2 expires in January");
        assert_eq!(soon[0].lot.as_deref(), Some(LOT_1));
        assert_eq!((soon[0].days_left, soon[0].quantity), (15, 50));
        assert!(expiring_within(&history, today, 14).is_empty());
        let all = expiring_within(&history, today, 60);
        assert_eq!(
            all.iter().map(|l| l.lot.as_deref()).collect::<Vec<_>>(),
            [Some(LOT_1), Some(LOT_2)]
        );
    }

    #[test]
    fn expired_lots_are_listed_and_lots_out_of_stock_are_not() {
        let mut events = events();
        events.push(event(30, minutes(600), EventKind::Shipping, |b| {
            b.lot = Some(LOT_2.into());
            b.quantity = 50;
            b.from_location = Some("A-02".into());
        }));
        let history = History::new(&events);
        let late = NaiveDate::from_ymd_opt(2026, 12, 12).unwrap();
        let report = expiring_within(&history, late, 0);
        assert_eq!(report.len(), 1);
        assert_eq!(report[0].days_left, -2);
        assert!(
            expiring_within(&history, late, 365)
                .iter()
                .all(|l| l.lot.as_deref() != Some(LOT_2))
        );
    }
}
