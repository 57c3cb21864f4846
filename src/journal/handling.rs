//! Lot-level questions about goods in motion: what of a sales order has been
//! picked, packed and shipped lot by lot, which cartons it fills, what of a
//! pallet or carton (by SSCC) is at a location, and the next carton serial.
//!
//! These are answered from the events themselves (over the
//! `events_by_sales_order` and `events_by_sscc` indexes) rather than from a
//! projection: an order or a pallet has a handful of events, and reading
//! them keeps every correction rule in one place — an event that a later
//! event corrects counts for nothing, and the correction counts for its own
//! quantity.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::Journal;
use super::error::{JournalError, Result};
use super::store;

/// Excludes events that a later event corrects (they are void).
const NOT_VOID: &str = "NOT EXISTS (SELECT 1 FROM events c WHERE c.correction_of = e.event_id)";

/// One lot of one GTIN handled for a sales order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderLot {
    /// GTIN-14.
    pub gtin: String,
    /// The lot (None: unlotted goods, or a short-pick record).
    pub lot: Option<String>,
    /// The lot's expiry as recorded at picking.
    pub expiry: Option<NaiveDate>,
    /// Picked for the order.
    pub picked: i64,
    /// Packed into cartons for the order.
    pub packed: i64,
    /// Shipped on the order.
    pub shipped: i64,
}

/// One line of one carton packed for an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CartonLine {
    /// The carton's SSCC.
    pub sscc: String,
    /// GTIN-14.
    pub gtin: String,
    /// The lot.
    pub lot: Option<String>,
    /// The lot's expiry as recorded at packing.
    pub expiry: Option<NaiveDate>,
    /// Unit of measure of `quantity`.
    pub unit: String,
    /// How many are in the carton.
    pub quantity: i64,
    /// How many of them have been shipped.
    pub shipped: i64,
}

/// A short pick: an order line closed with less than was ordered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortPick {
    /// GTIN-14 of the line.
    pub gtin: String,
    /// Why (the reason code the picker gave).
    pub reason: String,
}

/// What of one SSCC (pallet or carton) is at one location, lot by lot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsccLine {
    /// GTIN-14.
    pub gtin: String,
    /// The lot.
    pub lot: Option<String>,
    /// The lot's expiry as recorded.
    pub expiry: Option<NaiveDate>,
    /// Unit of measure of `quantity`.
    pub unit: String,
    /// How many.
    pub quantity: i64,
}

fn date(gtin: &str, text: Option<String>) -> Result<Option<NaiveDate>> {
    text.map(|t| {
        store::parse_date(&t).ok_or_else(|| {
            JournalError::Invalid(format!("stored expiry {t:?} of {gtin} is not YYYY-MM-DD"))
        })
    })
    .transpose()
}

impl Journal {
    /// Picked, packed and shipped quantities of `order`, per GTIN and lot,
    /// ordered by GTIN then lot. Lines where all three are zero are left out.
    pub fn sales_order_lots(&self, order: &str) -> Result<Vec<OrderLot>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT gtin, lot, max(expiry), \
                    sum(CASE kind WHEN 'picking' THEN quantity ELSE 0 END), \
                    sum(CASE kind WHEN 'packing' THEN quantity ELSE 0 END), \
                    sum(CASE kind WHEN 'shipping' THEN quantity ELSE 0 END) \
             FROM events e \
             WHERE sales_order = ?1 AND gtin IS NOT NULL \
               AND kind IN ('picking', 'packing', 'shipping') AND {NOT_VOID} \
             GROUP BY gtin, lot ORDER BY gtin, lot"
        ))?;
        let rows = stmt
            .query_map([order], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, Option<String>>(1)?,
                    row.get::<_, Option<String>>(2)?,
                    row.get::<_, i64>(3)?,
                    row.get::<_, i64>(4)?,
                    row.get::<_, i64>(5)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut lots = Vec::with_capacity(rows.len());
        for (gtin, lot, expiry, picked, packed, shipped) in rows {
            if picked == 0 && packed == 0 && shipped == 0 {
                continue;
            }
            let expiry = date(&gtin, expiry)?;
            lots.push(OrderLot {
                gtin,
                lot,
                expiry,
                picked,
                packed,
                shipped,
            });
        }
        Ok(lots)
    }

    /// The short picks recorded for `order` (picking events of quantity 0
    /// that are not corrections), by GTIN; the latest reason per GTIN.
    pub fn short_picks(&self, order: &str) -> Result<Vec<ShortPick>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT gtin, reason FROM events e \
             WHERE sales_order = ?1 AND kind = 'picking' AND quantity = 0 \
               AND correction_of IS NULL AND gtin IS NOT NULL AND {NOT_VOID} \
             ORDER BY seq"
        ))?;
        let rows = stmt
            .query_map([order], |row| {
                Ok(ShortPick {
                    gtin: row.get(0)?,
                    reason: row.get::<_, Option<String>>(1)?.unwrap_or_default(),
                })
            })?
            .collect::<rusqlite::Result<Vec<ShortPick>>>()?;
        let mut shorts: Vec<ShortPick> = Vec::new();
        for short in rows {
            match shorts.iter_mut().find(|s| s.gtin == short.gtin) {
                Some(known) => known.reason = short.reason,
                None => shorts.push(short),
            }
        }
        Ok(shorts)
    }

    /// The cartons packed for `order`, line by line (non-zero lines), by
    /// SSCC, GTIN and lot, with how much of each line has shipped.
    pub fn order_cartons(&self, order: &str) -> Result<Vec<CartonLine>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT sscc, gtin, lot, max(expiry), max(unit), \
                    sum(CASE kind WHEN 'packing' THEN quantity ELSE 0 END) AS packed, \
                    sum(CASE kind WHEN 'shipping' THEN quantity ELSE 0 END) \
             FROM events e \
             WHERE sales_order = ?1 AND kind IN ('packing', 'shipping') AND sscc IS NOT NULL \
               AND gtin IS NOT NULL AND {NOT_VOID} \
             GROUP BY sscc, gtin, lot HAVING packed <> 0 ORDER BY sscc, gtin, lot"
        ))?;
        let rows = stmt
            .query_map([order], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, Option<String>>(2)?,
                    row.get::<_, Option<String>>(3)?,
                    row.get::<_, String>(4)?,
                    row.get::<_, i64>(5)?,
                    row.get::<_, i64>(6)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(sscc, gtin, lot, expiry, unit, quantity, shipped)| {
                let expiry = date(&gtin, expiry)?;
                Ok(CartonLine {
                    sscc,
                    gtin,
                    lot,
                    expiry,
                    unit,
                    quantity,
                    shipped,
                })
            })
            .collect()
    }

    /// What of the pallet or carton `sscc` is at `location`: everything
    /// moved to it there minus everything moved from it there, per GTIN and
    /// lot, non-zero lines only.
    pub fn sscc_at(&self, sscc: &str, location: &str) -> Result<Vec<SsccLine>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT gtin, lot, max(expiry), max(unit), \
                    sum(CASE WHEN to_location = ?2 THEN quantity ELSE 0 END) \
                  - sum(CASE WHEN from_location = ?2 THEN quantity ELSE 0 END) AS q \
             FROM events e \
             WHERE sscc = ?1 AND gtin IS NOT NULL \
               AND kind NOT IN ('cycle_counting', 'holding', 'releasing') AND {NOT_VOID} \
             GROUP BY gtin, lot HAVING q <> 0 ORDER BY gtin, lot"
        ))?;
        let rows = stmt
            .query_map(params![sscc, location], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, Option<String>>(1)?,
                    row.get::<_, Option<String>>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, i64>(4)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(gtin, lot, expiry, unit, quantity)| {
                let expiry = date(&gtin, expiry)?;
                Ok(SsccLine {
                    gtin,
                    lot,
                    expiry,
                    unit,
                    quantity,
                })
            })
            .collect()
    }

    /// Every sales order number in the reference data, in order: the
    /// picker's and packer's order list.
    pub fn sales_order_numbers(&self) -> Result<Vec<String>> {
        let rows = self
            .conn
            .prepare_cached("SELECT number FROM sales_orders ORDER BY number")?
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(rows)
    }

    /// What the location holds, per GTIN and lot (non-zero lines): the
    /// records a cycle count is closed against.
    pub fn stock_at(&self, location: &str) -> Result<Vec<(String, Option<String>, i64)>> {
        let rows = self
            .conn
            .prepare_cached(
                "SELECT gtin, lot, quantity FROM stock \
                 WHERE location = ?1 AND quantity <> 0 ORDER BY gtin, lot",
            )?
            .query_map([location], |row| {
                let lot: String = row.get(1)?;
                Ok((row.get(0)?, (!lot.is_empty()).then_some(lot), row.get(2)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// True when any event names `sscc`.
    pub fn sscc_known(&self, sscc: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM events WHERE sscc = ?1 LIMIT 1")?
            .query_row([sscc], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Takes the next carton serial number of this terminal (1, 2, 3, …):
    /// durable before it is returned, so a label printed with it is never
    /// issued twice, even when the carton is abandoned or the terminal
    /// restarts.
    pub fn next_carton_serial(&mut self) -> Result<u64> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let last: Option<String> = tx
            .query_row(
                "SELECT value FROM journal_meta WHERE key = 'carton_serial'",
                [],
                |row| row.get(0),
            )
            .optional()?;
        let last: u64 = match last {
            None => 0,
            Some(v) => v.parse().map_err(|_| {
                JournalError::Invalid(format!("stored carton_serial {v:?} is not a number"))
            })?,
        };
        let next = last + 1;
        tx.execute(
            "INSERT OR REPLACE INTO journal_meta (key, value) VALUES ('carton_serial', ?1)",
            [next.to_string()],
        )?;
        tx.commit()?;
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::EventKind;
    use crate::journal::test_support::{GTIN_A, GTIN_B, SSCC, at, body, date, journal, receive};

    const ORDER: &str = "SO-1";

    fn for_order(
        kind: EventKind,
        gtin: &str,
        lot: &str,
        quantity: i64,
    ) -> crate::journal::EventBody {
        let mut b = body(kind, gtin, Some(lot), quantity);
        b.sales_order = Some(ORDER.into());
        b.from_location = Some("A-01".into());
        b
    }

    #[test]
    fn order_lots_count_each_step_and_skip_void_events() {
        let (_dir, mut j) = journal();
        let mut pick_a = for_order(EventKind::Picking, GTIN_A, "L1", 4);
        pick_a.expiry = Some(date(2027, 3, 1));
        let pick_b = for_order(EventKind::Picking, GTIN_B, "L2", 2);
        let mut pack = for_order(EventKind::Packing, GTIN_A, "L1", 3);
        pack.sscc = Some(SSCC.into());
        let mut ship = pack.clone();
        ship.kind = EventKind::Shipping;
        let recorded = j.append_batch(at(0), [pick_a, pick_b, pack, ship]).unwrap();
        // Undo the pick of GTIN_B: a zero-quantity correction voids it.
        let mut undo = for_order(EventKind::Picking, GTIN_B, "L2", 0);
        undo.correction_of = Some(recorded[1].event_id);
        j.append(at(1), undo).unwrap();
        assert_eq!(
            j.sales_order_lots(ORDER).unwrap(),
            [OrderLot {
                gtin: GTIN_A.into(),
                lot: Some("L1".into()),
                expiry: Some(date(2027, 3, 1)),
                picked: 4,
                packed: 3,
                shipped: 3,
            }]
        );
        assert_eq!(
            j.order_cartons(ORDER).unwrap(),
            [CartonLine {
                sscc: SSCC.into(),
                gtin: GTIN_A.into(),
                lot: Some("L1".into()),
                expiry: None,
                unit: "EA".into(),
                quantity: 3,
                shipped: 3,
            }]
        );
        assert!(j.sales_order_lots("SO-2").unwrap().is_empty());
        assert!(j.short_picks(ORDER).unwrap().is_empty());
    }

    #[test]
    fn short_picks_are_zero_quantity_picks_with_their_latest_reason() {
        let (_dir, mut j) = journal();
        let mut short = body(EventKind::Picking, GTIN_A, None, 0);
        short.sales_order = Some(ORDER.into());
        short.from_location = Some("A-01".into());
        short.reason = Some("NOT-FOUND".into());
        let mut again = short.clone();
        again.reason = Some("DAMAGED".into());
        let recorded = j.append_batch(at(0), [short, again]).unwrap();
        assert_eq!(
            j.short_picks(ORDER).unwrap(),
            [ShortPick {
                gtin: GTIN_A.into(),
                reason: "DAMAGED".into()
            }]
        );
        // Voiding both leaves no short pick.
        let voids = recorded.iter().map(|e| {
            let mut v = e.body.clone();
            v.correction_of = Some(e.event_id);
            v
        });
        j.append_batch(at(1), voids).unwrap();
        assert!(j.short_picks(ORDER).unwrap().is_empty());
    }

    #[test]
    fn sscc_at_follows_a_pallet_between_locations() {
        let (_dir, mut j) = journal();
        let mut a = receive(GTIN_A, Some("L1"), Some(date(2027, 1, 1)), 10, "DOCK");
        a.sscc = Some(SSCC.into());
        let mut b = receive(GTIN_B, Some("L2"), None, 5, "DOCK");
        b.sscc = Some(SSCC.into());
        let loose = receive(GTIN_A, Some("L1"), None, 7, "DOCK");
        j.append_batch(at(0), [a, b, loose]).unwrap();
        let line = |gtin: &str, lot: &str, expiry, quantity| SsccLine {
            gtin: gtin.into(),
            lot: Some(lot.into()),
            expiry,
            unit: "EA".into(),
            quantity,
        };
        assert_eq!(
            j.sscc_at(SSCC, "DOCK").unwrap(),
            [
                line(GTIN_B, "L2", None, 5),
                line(GTIN_A, "L1", Some(date(2027, 1, 1)), 10)
            ]
        );
        let mut moved = body(EventKind::Storing, GTIN_A, Some("L1"), 10);
        moved.sscc = Some(SSCC.into());
        moved.from_location = Some("DOCK".into());
        moved.to_location = Some("A-01".into());
        j.append(at(1), moved).unwrap();
        assert_eq!(
            j.sscc_at(SSCC, "DOCK").unwrap(),
            [line(GTIN_B, "L2", None, 5)]
        );
        assert_eq!(
            j.sscc_at(SSCC, "A-01").unwrap(),
            [line(GTIN_A, "L1", Some(date(2027, 1, 1)), 10)]
        );
        assert!(j.sscc_known(SSCC).unwrap());
        assert!(!j.sscc_known("006141410000000018").unwrap());
    }

    #[test]
    fn carton_serials_are_durable_and_never_repeat() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.sqlite");
        let mut j = Journal::open(&path).unwrap();
        assert_eq!(j.next_carton_serial().unwrap(), 1);
        assert_eq!(j.next_carton_serial().unwrap(), 2);
        drop(j);
        let mut j = Journal::open(&path).unwrap();
        assert_eq!(j.next_carton_serial().unwrap(), 3);
    }
}
