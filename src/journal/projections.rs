//! Projections: tables derived from the events, updated in the same
//! transaction as each event so they can never disagree with the log.
//!
//! Rules (also in `docs/journal.md`):
//! * every event naming a GTIN registers its lot in `lots` (first seq, first
//!   expiry recorded);
//! * movement: `from_location` loses `quantity`, `to_location` gains it, for
//!   every kind except counts, holds and releases — shipping's `to_location`
//!   is the customer, so shipped goods only leave;
//! * a cycle count sets the counted location's quantity;
//! * packing adds to the carton's contents; receiving (with a PO), picking,
//!   packing and shipping (with a sales order) add to order progress;
//! * holding / releasing set the lot's status (a recall is never lifted by a
//!   local release or downgraded by a local hold);
//! * a correction first reverses the corrected event's movement, carton and
//!   order effects, then applies its own. Counts and status changes are
//!   absolute, so they are superseded rather than reversed.

use std::collections::HashMap;

use rusqlite::{Connection, params};

use super::error::{JournalError, Result};
use super::event::{Event, EventKind, iso_date};
use super::store;

/// GTIN → lot key → value, looked up by `&str` so that an event whose lot
/// or stock line was already seen in the transaction allocates nothing.
type ByLot<V> = HashMap<String, HashMap<String, V>>;

/// Applies events' projection effects within one transaction.
///
/// Stock deltas are summed in memory and written once per stock line (before
/// a count, which sets an absolute quantity, and in [`Projector::finish`]);
/// a lot already registered in the transaction is not registered again. A
/// burst of 100,000 RFID reads of ten pallets thus writes ten stock lines,
/// not 100,000. `finish` must run before the transaction commits.
pub struct Projector<'c> {
    conn: &'c Connection,
    /// Summed stock deltas: GTIN → lot → location → delta.
    stock: ByLot<HashMap<String, i64>>,
    /// Lots registered in this transaction → whether with an expiry.
    lots: ByLot<bool>,
}

impl<'c> Projector<'c> {
    /// A projector writing through `conn` (inside the caller's transaction).
    pub fn new(conn: &'c Connection) -> Projector<'c> {
        Projector {
            conn,
            stock: HashMap::new(),
            lots: HashMap::new(),
        }
    }

    /// Applies `event`'s effects, reversing the event it corrects first.
    pub fn record(&mut self, event: &Event) -> Result<()> {
        if let Some(id) = event.body.correction_of {
            let corrected = store::event_by_id(self.conn, id)?
                .ok_or(JournalError::UnknownCorrectedEvent(id))?;
            self.quantities(&corrected, -1)?;
        }
        self.register_lot(event)?;
        match event.body.kind {
            EventKind::CycleCounting => self.count(event),
            EventKind::Holding | EventKind::Releasing => lot_status(self.conn, event),
            _ => self.quantities(event, 1),
        }
    }

    /// Writes the summed stock deltas. Call before committing.
    pub fn finish(mut self) -> Result<()> {
        self.flush_stock()
    }

    fn flush_stock(&mut self) -> Result<()> {
        let mut upsert = self.conn.prepare_cached(
            "INSERT INTO stock (gtin, lot, location, quantity) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (gtin, lot, location) DO UPDATE SET quantity = quantity + excluded.quantity",
        )?;
        for (gtin, lots) in self.stock.drain() {
            for (lot, locations) in lots {
                for (location, delta) in locations {
                    upsert.execute(params![gtin, lot, location, delta])?;
                }
            }
        }
        Ok(())
    }

    /// Registers the event's (GTIN, lot) in `lots`, unless this transaction
    /// already did and the event cannot add an expiry.
    fn register_lot(&mut self, event: &Event) -> Result<()> {
        let Some(gtin) = &event.body.gtin else {
            return Ok(());
        };
        let lot = lot_key(event);
        let has_expiry = event.body.expiry.is_some();
        let seen = self.lots.get(gtin.as_str()).and_then(|lots| lots.get(lot));
        if seen.is_some_and(|&with_expiry| with_expiry || !has_expiry) {
            return Ok(());
        }
        let seq = i64::try_from(event.seq).unwrap_or(i64::MAX);
        self.conn
            .prepare_cached(
                "INSERT INTO lots (gtin, lot, expiry, first_seq) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (gtin, lot) DO UPDATE SET expiry = excluded.expiry \
                 WHERE lots.expiry IS NULL AND excluded.expiry IS NOT NULL",
            )?
            .execute(params![gtin, lot, event.body.expiry.map(iso_date), seq])?;
        *self
            .lots
            .entry(gtin.clone())
            .or_default()
            .entry(lot.to_owned())
            .or_default() |= has_expiry;
        Ok(())
    }

    /// Adds `delta` of the event's goods to a stock line (in memory).
    fn add_stock(&mut self, event: &Event, location: &str, delta: i64) {
        let Some(gtin) = &event.body.gtin else {
            return;
        };
        let lot = lot_key(event);
        let line = self
            .stock
            .get_mut(gtin.as_str())
            .and_then(|lots| lots.get_mut(lot))
            .and_then(|locations| locations.get_mut(location));
        match line {
            Some(sum) => *sum += delta,
            None => {
                *self
                    .stock
                    .entry(gtin.clone())
                    .or_default()
                    .entry(lot.to_owned())
                    .or_default()
                    .entry(location.to_owned())
                    .or_default() += delta;
            }
        }
    }

    /// Movement, carton and order-progress effects, added (`sign` = 1) or
    /// reversed (`sign` = -1).
    fn quantities(&mut self, event: &Event, sign: i64) -> Result<()> {
        let b = &event.body;
        if matches!(
            b.kind,
            EventKind::CycleCounting | EventKind::Holding | EventKind::Releasing
        ) {
            return Ok(());
        }
        let delta = sign * b.quantity;
        if let Some(from) = &b.from_location {
            self.add_stock(event, from, -delta);
        }
        // Shipping's `to_location` is the customer the goods left for, not
        // a location of this site: nothing arrives here.
        if let Some(to) = b
            .to_location
            .as_ref()
            .filter(|_| b.kind != EventKind::Shipping)
        {
            self.add_stock(event, to, delta);
        }
        let Some(gtin) = &b.gtin else {
            return Ok(());
        };
        if b.kind == EventKind::Packing
            && let Some(sscc) = &b.sscc
        {
            self.conn
                .prepare_cached(
                    "INSERT INTO carton_contents (sscc, gtin, lot, quantity) \
                     VALUES (?1, ?2, ?3, ?4) ON CONFLICT (sscc, gtin, lot) \
                     DO UPDATE SET quantity = quantity + excluded.quantity",
                )?
                .execute(params![sscc, gtin, lot_key(event), delta])?;
        }
        let progress = match b.kind {
            EventKind::Receiving => b.purchase_order.as_deref().map(|po| (po, "received")),
            EventKind::Picking => b.sales_order.as_deref().map(|so| (so, "picked")),
            EventKind::Packing => b.sales_order.as_deref().map(|so| (so, "packed")),
            EventKind::Shipping => b.sales_order.as_deref().map(|so| (so, "shipped")),
            _ => None,
        };
        if let Some((number, step)) = progress {
            self.conn
                .prepare_cached(
                    "INSERT INTO order_progress (number, step, gtin, quantity) \
                     VALUES (?1, ?2, ?3, ?4) ON CONFLICT (number, step, gtin) \
                     DO UPDATE SET quantity = quantity + excluded.quantity",
                )?
                .execute(params![number, step, gtin, delta])?;
        }
        Ok(())
    }

    /// A cycle count: the counted location now holds exactly `quantity`.
    fn count(&mut self, event: &Event) -> Result<()> {
        let (Some(gtin), Some(location)) = (&event.body.gtin, &event.body.to_location) else {
            return Ok(());
        };
        self.flush_stock()?;
        self.conn
            .prepare_cached(
                "INSERT INTO stock (gtin, lot, location, quantity) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (gtin, lot, location) DO UPDATE SET quantity = excluded.quantity",
            )?
            .execute(params![gtin, lot_key(event), location, event.body.quantity])?;
        Ok(())
    }
}

/// Empties the projections and replays every event in seq order.
pub fn rebuild(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "DELETE FROM stock; DELETE FROM lots; DELETE FROM carton_contents; \
         DELETE FROM order_progress;",
    )?;
    let mut stmt = conn.prepare(&format!(
        "SELECT {} FROM events ORDER BY seq",
        store::EVENT_COLUMNS
    ))?;
    let mut rows = stmt.query([])?;
    let mut projector = Projector::new(conn);
    while let Some(row) = rows.next()? {
        projector.record(&store::event_from_row(row)?)?;
    }
    projector.finish()
}

/// The lot key in projections: '' stands for "no lot".
fn lot_key(event: &Event) -> &str {
    event.body.lot.as_deref().unwrap_or("")
}

/// A local hold or release of a lot.
fn lot_status(conn: &Connection, event: &Event) -> Result<()> {
    let b = &event.body;
    let Some(gtin) = &b.gtin else {
        return Ok(());
    };
    let at = event.recorded_at.timestamp_micros();
    let sql = if b.kind == EventKind::Holding {
        "INSERT INTO lot_status (gtin, lot, status, reason, issued_by, issued_at) \
         VALUES (?1, ?2, 'held', ?3, ?4, ?5) \
         ON CONFLICT (gtin, lot) DO UPDATE SET status = 'held', reason = excluded.reason, \
         issued_by = excluded.issued_by, issued_at = excluded.issued_at \
         WHERE lot_status.status <> 'recalled'"
    } else {
        "UPDATE lot_status SET status = 'released', reason = ?3, issued_by = ?4, issued_at = ?5 \
         WHERE gtin = ?1 AND lot = ?2 AND status = 'held'"
    };
    conn.prepare_cached(sql)?
        .execute(params![gtin, lot_key(event), b.reason, b.operator, at])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;
    use crate::journal::test_support::*;
    use crate::journal::{EventBody, Journal};

    type StockKey = (String, String, String);

    /// The stock table, zero lines dropped.
    fn stock_table(j: &Journal) -> BTreeMap<StockKey, i64> {
        let mut stmt = j
            .conn
            .prepare("SELECT gtin, lot, location, quantity FROM stock WHERE quantity <> 0")
            .unwrap();
        stmt.query_map([], |r| Ok(((r.get(0)?, r.get(1)?, r.get(2)?), r.get(3)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    /// The projection rules, restated independently over the event list.
    fn model(events: &[Event]) -> BTreeMap<StockKey, i64> {
        let mut stock: BTreeMap<StockKey, i64> = BTreeMap::new();
        let key = |e: &Event, loc: &str| {
            (
                e.body.gtin.clone().unwrap(),
                e.body.lot.clone().unwrap_or_default(),
                loc.to_owned(),
            )
        };
        let moves = |stock: &mut BTreeMap<StockKey, i64>, e: &Event, sign: i64| {
            if e.body.kind == EventKind::CycleCounting {
                return;
            }
            if let Some(from) = &e.body.from_location {
                *stock.entry(key(e, from)).or_default() -= sign * e.body.quantity;
            }
            if let Some(to) = &e.body.to_location {
                *stock.entry(key(e, to)).or_default() += sign * e.body.quantity;
            }
        };
        for e in events {
            if let Some(id) = e.body.correction_of {
                let original = events.iter().find(|o| o.event_id == id).unwrap();
                moves(&mut stock, original, -1);
            }
            if e.body.kind == EventKind::CycleCounting {
                let to = e.body.to_location.as_deref().unwrap();
                stock.insert(key(e, to), e.body.quantity);
            } else {
                moves(&mut stock, e, 1);
            }
        }
        stock.retain(|_, q| *q != 0);
        stock
    }

    #[derive(Debug, Clone)]
    enum Op {
        Receive(usize, usize, i64),
        Move(usize, usize, usize, i64),
        Pick(usize, usize, i64),
        Count(usize, usize, i64),
        /// Correct the n-th earlier event (mod count) with this quantity.
        Correct(usize, i64),
    }

    const LOTS: [Option<&str>; 3] = [Some("L1"), Some("L2"), None];
    const LOCS: [&str; 3] = ["DOCK", "A-01", "B-01"];

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0..3usize, 0..3usize, 0..20i64).prop_map(|(l, to, q)| Op::Receive(l, to, q)),
            (0..3usize, 0..3usize, 0..3usize, 0..20i64)
                .prop_map(|(l, f, t, q)| Op::Move(l, f, t, q)),
            (0..3usize, 0..3usize, 0..20i64).prop_map(|(l, f, q)| Op::Pick(l, f, q)),
            (0..3usize, 0..3usize, 0..20i64).prop_map(|(l, t, q)| Op::Count(l, t, q)),
            (any::<usize>(), 0..20i64).prop_map(|(n, q)| Op::Correct(n, q)),
        ]
    }

    /// The body for `op`, or None for a correction with nothing (left) to correct.
    fn to_body(op: &Op, recorded: &[Event], corrected: &[uuid::Uuid]) -> Option<EventBody> {
        let gtin = |l: usize| (GTIN_A, LOTS[l]);
        Some(match *op {
            Op::Receive(l, to, q) => receive(gtin(l).0, gtin(l).1, None, q, LOCS[to]),
            Op::Move(l, f, t, q) => store_move(gtin(l).0, gtin(l).1, q, LOCS[f], LOCS[t]),
            Op::Pick(l, f, q) => {
                let mut b = body(EventKind::Picking, GTIN_A, LOTS[l], q);
                b.from_location = Some(LOCS[f].into());
                b
            }
            Op::Count(l, t, q) => {
                let mut b = body(EventKind::CycleCounting, GTIN_A, LOTS[l], q);
                b.to_location = Some(LOCS[t].into());
                b
            }
            Op::Correct(n, q) => {
                let open: Vec<&Event> = recorded
                    .iter()
                    .filter(|e| !corrected.contains(&e.event_id))
                    .collect();
                let original = open.get(n % open.len().max(1))?;
                let mut b = original.body.clone();
                b.quantity = q;
                b.correction_of = Some(original.event_id);
                b
            }
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// Random bursts of movements, counts and corrections: the stock
        /// projection equals the model, and a rebuild from the events
        /// reproduces it exactly.
        #[test]
        fn stock_projection_matches_the_model(bursts in prop::collection::vec(prop::collection::vec(op(), 1..5), 1..8)) {
            let (_dir, mut j) = journal();
            let mut recorded: Vec<Event> = Vec::new();
            let mut corrected = Vec::new();
            for (i, burst) in bursts.iter().enumerate() {
                let mut bodies = Vec::new();
                for op in burst {
                    // Corrections in a burst only target already recorded events.
                    if let Some(b) = to_body(op, &recorded, &corrected) {
                        if let Some(id) = b.correction_of {
                            if bodies.iter().any(|x: &EventBody| x.correction_of == Some(id)) {
                                continue;
                            }
                            corrected.push(id);
                        }
                        bodies.push(b);
                    }
                }
                recorded.extend(j.append_batch(at(i as i64), bodies).unwrap());
            }
            let live = stock_table(&j);
            prop_assert_eq!(&live, &model(&recorded));
            let tx = j.conn.transaction().unwrap();
            rebuild(&tx).unwrap();
            tx.commit().unwrap();
            prop_assert_eq!(stock_table(&j), live);
        }
    }

    #[test]
    fn an_undo_is_a_zero_quantity_correction() {
        let (_dir, mut j) = journal();
        let putaway = j
            .append_batch(
                at(0),
                [
                    receive(GTIN_A, Some("L1"), None, 10, "DOCK"),
                    store_move(GTIN_A, Some("L1"), 4, "DOCK", "A-01"),
                ],
            )
            .unwrap()
            .pop()
            .unwrap();
        let mut undo = putaway.body.clone();
        undo.quantity = 0;
        undo.correction_of = Some(putaway.event_id);
        undo.reason = Some("wrong shelf".into());
        j.append(at(1), undo).unwrap();
        assert_eq!(
            j.lot_lookup(GTIN_A, Some("L1")).unwrap().unwrap().stock,
            [("DOCK".to_owned(), 10)]
        );
    }
}
