//! The questions the workflow engine and the UI ask at the shelf: which lot
//! to pick (FEFO), what is known about a lot, what is about to expire, what
//! is still to be synced, and how far an order has got.

use chrono::{Days, NaiveDate};
use rusqlite::{OptionalExtension, params};

use super::error::{JournalError, Result};
use super::event::{Event, iso_date};
use super::reference::{LotStatus, lot_status_of};
use super::{Journal, store};

/// Stock the picker may take, in the order it should be taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FefoCandidate {
    /// The lot (None: unlotted stock).
    pub lot: Option<String>,
    /// Where it is.
    pub location: String,
    /// How much is there.
    pub quantity: i64,
    /// Its expiry (None: FIFO by receipt applies).
    pub expiry: Option<NaiveDate>,
    /// The seq of the lot's first event (its receipt): the FIFO order.
    pub first_seq: u64,
}

/// Everything the terminal knows about one lot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LotReport {
    /// GTIN-14.
    pub gtin: String,
    /// The lot (None: unlotted stock).
    pub lot: Option<String>,
    /// Expiry, if recorded.
    pub expiry: Option<NaiveDate>,
    /// Hold / recall / release, if any was ever set.
    pub status: Option<LotStatus>,
    /// Non-zero stock lines: (location, quantity), by location.
    pub stock: Vec<(String, i64)>,
    /// Every event naming the lot, in seq order.
    pub events: Vec<Event>,
}

/// A lot in stock that has expired or expires soon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpiryAlert {
    /// GTIN-14.
    pub gtin: String,
    /// The lot (None: unlotted stock).
    pub lot: Option<String>,
    /// Its expiry date.
    pub expiry: NaiveDate,
    /// True when the expiry date is before the reference date.
    pub expired: bool,
    /// Where it is: (location, quantity), by location.
    pub stock: Vec<(String, i64)>,
}

/// How far an order has got for one GTIN (lines of the same GTIN are
/// summed; a GTIN handled but not ordered shows `ordered` = 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderLineProgress {
    /// GTIN-14.
    pub gtin: String,
    /// Quantity ordered.
    pub ordered: i64,
    /// Received against a purchase order.
    pub received: i64,
    /// Picked for a sales order.
    pub picked: i64,
    /// Packed for a sales order.
    pub packed: i64,
    /// Shipped for a sales order.
    pub shipped: i64,
}

fn lot_option(key: String) -> Option<String> {
    (!key.is_empty()).then_some(key)
}

fn parse_expiry(gtin: &str, text: Option<String>) -> Result<Option<NaiveDate>> {
    text.map(|t| {
        store::parse_date(&t).ok_or_else(|| {
            JournalError::Invalid(format!("stored expiry {t:?} of {gtin} is not YYYY-MM-DD"))
        })
    })
    .transpose()
}

impl Journal {
    /// The stock of `gtin` that may be picked on `today`, first choice
    /// first: earliest expiry first, then lots without expiry by receipt
    /// (FIFO). Expired lots (expiry before `today`), held and recalled lots,
    /// and stock in quarantine, staging and shipping locations are left out.
    ///
    /// With `near`, the locations of one lot are ordered: that location
    /// first, then its zone, then the rest. Proximity never overrides FEFO.
    pub fn fefo_candidates(
        &self,
        gtin: &str,
        today: NaiveDate,
        near: Option<&str>,
    ) -> Result<Vec<FefoCandidate>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.lot, s.location, s.quantity, l.expiry, l.first_seq \
             FROM stock s \
             JOIN lots l ON l.gtin = s.gtin AND l.lot = s.lot \
             LEFT JOIN lot_status st ON st.gtin = s.gtin AND st.lot = s.lot \
             LEFT JOIN locations loc ON loc.code = s.location \
             WHERE s.gtin = ?1 AND s.quantity > 0 \
               AND (l.expiry IS NULL OR l.expiry >= ?2) \
               AND (st.status IS NULL OR st.status = 'released') \
               AND (loc.kind IS NULL OR loc.kind NOT IN ('quarantine', 'staging', 'shipping')) \
             ORDER BY l.expiry IS NULL, l.expiry, l.first_seq, s.lot, \
               CASE WHEN s.location = ?3 THEN 0 \
                    WHEN loc.zone IS NOT NULL \
                     AND loc.zone = (SELECT zone FROM locations WHERE code = ?3) THEN 1 \
                    ELSE 2 END, \
               s.location",
        )?;
        let mut rows = stmt.query(params![gtin, iso_date(today), near])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(FefoCandidate {
                lot: lot_option(row.get(0)?),
                location: row.get(1)?,
                quantity: row.get(2)?,
                expiry: parse_expiry(gtin, row.get(3)?)?,
                first_seq: u64::try_from(row.get::<_, i64>(4)?).unwrap_or(0),
            });
        }
        Ok(out)
    }

    /// The first expiry recorded for a lot (None: never seen, or seen
    /// without one): one indexed read, for the checks on every scan.
    pub fn lot_expiry(&self, gtin: &str, lot: Option<&str>) -> Result<Option<NaiveDate>> {
        let expiry: Option<Option<String>> = self
            .conn
            .prepare_cached("SELECT expiry FROM lots WHERE gtin = ?1 AND lot = ?2")?
            .query_row([gtin, lot.unwrap_or("")], |row| row.get(0))
            .optional()?;
        parse_expiry(gtin, expiry.flatten())
    }

    /// Status, expiry, stock and history of one lot; None when the journal
    /// has never seen it.
    pub fn lot_lookup(&self, gtin: &str, lot: Option<&str>) -> Result<Option<LotReport>> {
        let key = lot.unwrap_or("");
        let expiry: Option<Option<String>> = self
            .conn
            .prepare_cached("SELECT expiry FROM lots WHERE gtin = ?1 AND lot = ?2")?
            .query_row([gtin, key], |row| row.get(0))
            .optional()?;
        let Some(expiry) = expiry else {
            return Ok(None);
        };
        let stock = self
            .conn
            .prepare_cached(
                "SELECT location, quantity FROM stock \
                 WHERE gtin = ?1 AND lot = ?2 AND quantity <> 0 ORDER BY location",
            )?
            .query_map([gtin, key], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut events = self.conn.prepare_cached(&format!(
            "SELECT {} FROM events WHERE gtin = ?1 AND lot IS ?2 ORDER BY seq",
            store::EVENT_COLUMNS
        ))?;
        Ok(Some(LotReport {
            gtin: gtin.to_owned(),
            lot: lot.map(str::to_owned),
            expiry: parse_expiry(gtin, expiry)?,
            status: lot_status_of(&self.conn, gtin, key)?,
            stock,
            events: store::collect_events(&mut events, params![gtin, lot])?,
        }))
    }

    /// Lots with stock that expire within `within_days` of `today`
    /// (inclusive) or have already expired, earliest expiry first.
    pub fn expiry_alerts(&self, today: NaiveDate, within_days: u32) -> Result<Vec<ExpiryAlert>> {
        let cutoff = today
            .checked_add_days(Days::new(u64::from(within_days)))
            .unwrap_or(NaiveDate::MAX);
        let mut stmt = self.conn.prepare_cached(
            "SELECT l.gtin, l.lot, l.expiry, s.location, s.quantity \
             FROM lots l JOIN stock s ON s.gtin = l.gtin AND s.lot = l.lot \
             WHERE l.expiry IS NOT NULL AND l.expiry <= ?1 AND s.quantity > 0 \
             ORDER BY l.expiry, l.gtin, l.lot, s.location",
        )?;
        let mut rows = stmt.query([iso_date(cutoff)])?;
        let mut alerts: Vec<ExpiryAlert> = Vec::new();
        while let Some(row) = rows.next()? {
            let gtin: String = row.get(0)?;
            let lot = lot_option(row.get(1)?);
            let location: (String, i64) = (row.get(3)?, row.get(4)?);
            match alerts.last_mut() {
                Some(last) if last.gtin == gtin && last.lot == lot => last.stock.push(location),
                _ => {
                    let expiry = parse_expiry(&gtin, row.get(2)?)?.unwrap_or(NaiveDate::MIN);
                    alerts.push(ExpiryAlert {
                        expired: expiry < today,
                        gtin,
                        lot,
                        expiry,
                        stock: vec![location],
                    });
                }
            }
        }
        Ok(alerts)
    }

    /// Up to `limit` events with seq greater than `after_seq`, in order: the
    /// next sync batch.
    pub fn events_after(&self, after_seq: u64, limit: usize) -> Result<Vec<Event>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {} FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2",
            store::EVENT_COLUMNS
        ))?;
        store::collect_events(
            &mut stmt,
            params![
                i64::try_from(after_seq).unwrap_or(i64::MAX),
                i64::try_from(limit).unwrap_or(i64::MAX)
            ],
        )
    }

    /// The seq through which the server has confirmed storing every event.
    pub fn synced_through(&self) -> Result<u64> {
        let value: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM journal_meta WHERE key = 'synced_through'",
                [],
                |row| row.get(0),
            )
            .optional()?;
        value.map_or(Ok(0), |v| {
            v.parse().map_err(|_| {
                JournalError::Invalid(format!("stored synced_through {v:?} is not a number"))
            })
        })
    }

    /// The server's reference-data cursor as of the last download applied
    /// (empty: nothing downloaded yet).
    pub fn reference_cursor(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM journal_meta WHERE key = 'reference_cursor'",
                [],
                |row| row.get(0),
            )
            .optional()?
            .unwrap_or_default())
    }

    /// The seq of the newest event in the file, read now: unlike
    /// [`Journal::last_seq`] it sees events another connection (the
    /// terminal's writer, when this one is the sync thread's) appended.
    pub fn stored_last_seq(&self) -> Result<u64> {
        let seq: Option<i64> = self
            .conn
            .prepare_cached("SELECT max(seq) FROM events")?
            .query_row([], |row| row.get(0))?;
        Ok(seq.and_then(|s| u64::try_from(s).ok()).unwrap_or(0))
    }

    /// Events recorded and not yet confirmed by the server, read now.
    pub fn unsynced(&self) -> Result<u64> {
        Ok(self
            .stored_last_seq()?
            .saturating_sub(self.synced_through()?))
    }

    /// Records the server's confirmation that everything through `seq` is
    /// stored. It never moves backwards and never past the last event in
    /// the file (which another connection may have appended).
    pub fn mark_synced_through(&mut self, seq: u64) -> Result<()> {
        let last = self.stored_last_seq()?;
        if seq > last {
            return Err(JournalError::Invalid(format!(
                "cannot mark seq {seq} synced: the journal ends at {last}"
            )));
        }
        if seq <= self.synced_through()? {
            return Ok(());
        }
        self.set_synced_through(seq)
    }

    fn set_synced_through(&mut self, seq: u64) -> Result<()> {
        self.conn.execute(
            "INSERT OR REPLACE INTO journal_meta (key, value) VALUES ('synced_through', ?1)",
            [seq.to_string()],
        )?;
        Ok(())
    }

    /// Lowers the synced mark to `seq` when the server now holds less than
    /// it once confirmed (it was restored from an older backup), so the
    /// events after `seq` are sent again. Never raises the mark.
    pub fn resend_after(&mut self, seq: u64) -> Result<()> {
        let synced = self.synced_through()?;
        if seq >= synced {
            return Ok(());
        }
        tracing::warn!(
            confirmed_before = synced,
            server_holds = seq,
            "the server holds fewer events than it confirmed (restored from a backup?): sending them again"
        );
        self.set_synced_through(seq)
    }

    /// Progress of a purchase order (the `received` column) by GTIN.
    pub fn purchase_order_progress(&self, number: &str) -> Result<Vec<OrderLineProgress>> {
        self.order_progress("purchase_order_lines", number)
    }

    /// Progress of a sales order (picked, packed, shipped) by GTIN.
    pub fn sales_order_progress(&self, number: &str) -> Result<Vec<OrderLineProgress>> {
        self.order_progress("sales_order_lines", number)
    }

    fn order_progress(&self, lines_table: &str, number: &str) -> Result<Vec<OrderLineProgress>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "WITH ordered AS (SELECT gtin, sum(quantity) AS q FROM {lines_table} \
                              WHERE number = ?1 GROUP BY gtin), \
                  done AS (SELECT gtin, step, quantity FROM order_progress WHERE number = ?1), \
                  gtins AS (SELECT gtin FROM ordered UNION SELECT gtin FROM done) \
             SELECT g.gtin, coalesce(o.q, 0), \
               coalesce((SELECT quantity FROM done d WHERE d.gtin = g.gtin AND step = 'received'), 0), \
               coalesce((SELECT quantity FROM done d WHERE d.gtin = g.gtin AND step = 'picked'), 0), \
               coalesce((SELECT quantity FROM done d WHERE d.gtin = g.gtin AND step = 'packed'), 0), \
               coalesce((SELECT quantity FROM done d WHERE d.gtin = g.gtin AND step = 'shipped'), 0) \
             FROM gtins g LEFT JOIN ordered o ON o.gtin = g.gtin ORDER BY g.gtin"
        ))?;
        let rows = stmt
            .query_map([number], |row| {
                Ok(OrderLineProgress {
                    gtin: row.get(0)?,
                    ordered: row.get(1)?,
                    received: row.get(2)?,
                    picked: row.get(3)?,
                    packed: row.get(4)?,
                    shipped: row.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// What a carton (by SSCC) holds: (GTIN, lot, quantity), non-zero lines.
    pub fn carton_contents(&self, sscc: &str) -> Result<Vec<(String, Option<String>, i64)>> {
        let rows = self
            .conn
            .prepare_cached(
                "SELECT gtin, lot, quantity FROM carton_contents \
                 WHERE sscc = ?1 AND quantity <> 0 ORDER BY gtin, lot",
            )?
            .query_map([sscc], |row| {
                Ok((row.get(0)?, lot_option(row.get(1)?), row.get(2)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::LotStatus as Status;
    use crate::journal::test_support::*;
    use crate::journal::{
        EventKind, Location, LocationKind, LotState, OrderLine, ReferenceData, SalesOrder,
    };

    fn location(code: &str, zone: &str, kind: LocationKind) -> Location {
        Location {
            code: code.into(),
            barcode: None,
            gln: None,
            sgln: None,
            zone: Some(zone.into()),
            kind,
        }
    }

    fn candidates(
        j: &Journal,
        today: NaiveDate,
        near: Option<&str>,
    ) -> Vec<(Option<String>, String)> {
        j.fefo_candidates(GTIN_A, today, near)
            .unwrap()
            .into_iter()
            .map(|c| (c.lot, c.location))
            .collect()
    }

    fn lot(s: &str, loc: &str) -> (Option<String>, String) {
        (Some(s.to_owned()), loc.to_owned())
    }

    #[test]
    fn fefo_orders_by_expiry_then_receipt_and_excludes_unusable_stock() {
        let (_dir, mut j) = journal();
        j.apply_reference(&ReferenceData {
            locations: vec![
                location("A-01", "A", LocationKind::Shelf),
                location("A-02", "A", LocationKind::Shelf),
                location("B-01", "B", LocationKind::Shelf),
                location("Q-01", "Q", LocationKind::Quarantine),
            ],
            ..ReferenceData::default()
        })
        .unwrap();
        let today = date(2027, 1, 10);
        j.append_batch(
            at(0),
            [
                receive(GTIN_A, Some("NOEXP-1"), None, 5, "B-01"),
                receive(GTIN_A, Some("LATE"), Some(date(2027, 6, 30)), 5, "A-01"),
                receive(GTIN_A, Some("SOON"), Some(date(2027, 2, 1)), 5, "B-01"),
                receive(GTIN_A, Some("SOON"), None, 5, "A-02"),
                receive(GTIN_A, Some("NOEXP-2"), None, 5, "A-01"),
                receive(GTIN_A, Some("TODAY"), Some(today), 5, "B-01"),
                receive(GTIN_A, Some("EXPIRED"), Some(date(2027, 1, 9)), 5, "A-01"),
                receive(GTIN_A, Some("HELD"), Some(date(2027, 1, 20)), 5, "A-01"),
                receive(GTIN_A, Some("RECALLED"), Some(date(2027, 1, 20)), 5, "A-01"),
                receive(GTIN_A, Some("QUAR"), Some(date(2027, 1, 11)), 5, "Q-01"),
                receive(GTIN_A, Some("EMPTY"), Some(date(2027, 1, 11)), 0, "A-01"),
                receive(GTIN_B, Some("OTHER"), Some(date(2027, 1, 11)), 5, "A-01"),
                body(EventKind::Holding, GTIN_A, Some("HELD"), 0),
            ],
        )
        .unwrap();
        j.apply_reference(&ReferenceData {
            lot_statuses: vec![Status {
                gtin: GTIN_A.into(),
                lot: Some("RECALLED".into()),
                state: LotState::Recalled,
                reason: Some("listeria".into()),
                issued_by: "qa@hq".into(),
                issued_at: at(1),
            }],
            ..ReferenceData::default()
        })
        .unwrap();
        let expected = vec![
            lot("TODAY", "B-01"),
            lot("SOON", "A-02"),
            lot("SOON", "B-01"),
            lot("LATE", "A-01"),
            lot("NOEXP-1", "B-01"),
            lot("NOEXP-2", "A-01"),
        ];
        assert_eq!(candidates(&j, today, None), expected);
        // Near B-01: same lot order, B-01 first within SOON.
        let near = candidates(&j, today, Some("B-01"));
        assert_eq!(near[1], lot("SOON", "B-01"));
        assert_eq!(near[2], lot("SOON", "A-02"));
        // Near A-01: zone A before B-01 within SOON.
        assert_eq!(candidates(&j, today, Some("A-01"))[1], lot("SOON", "A-02"));
        // The day after, TODAY has expired.
        assert_eq!(
            candidates(&j, date(2027, 1, 11), None)[0],
            lot("SOON", "A-02")
        );
        let first = &j.fefo_candidates(GTIN_A, today, None).unwrap()[0];
        assert_eq!((first.quantity, first.expiry), (5, Some(today)));
    }

    #[test]
    fn released_lots_come_back_but_recalls_stay() {
        let (_dir, mut j) = journal();
        let today = date(2027, 1, 1);
        j.append(at(0), receive(GTIN_A, Some("L"), None, 5, "A-01"))
            .unwrap();
        j.append(at(1), body(EventKind::Holding, GTIN_A, Some("L"), 0))
            .unwrap();
        assert!(j.fefo_candidates(GTIN_A, today, None).unwrap().is_empty());
        j.append(at(2), body(EventKind::Releasing, GTIN_A, Some("L"), 0))
            .unwrap();
        assert_eq!(j.fefo_candidates(GTIN_A, today, None).unwrap().len(), 1);
        let status = j.lot_status(GTIN_A, Some("L")).unwrap().unwrap();
        assert_eq!(
            (status.state, status.issued_at),
            (LotState::Released, at(2))
        );
        j.apply_reference(&ReferenceData {
            lot_statuses: vec![Status {
                state: LotState::Recalled,
                ..status
            }],
            ..ReferenceData::default()
        })
        .unwrap();
        j.append(at(3), body(EventKind::Releasing, GTIN_A, Some("L"), 0))
            .unwrap();
        j.append(at(4), body(EventKind::Holding, GTIN_A, Some("L"), 0))
            .unwrap();
        assert_eq!(
            j.lot_status(GTIN_A, Some("L")).unwrap().unwrap().state,
            LotState::Recalled
        );
        assert!(j.fefo_candidates(GTIN_A, today, None).unwrap().is_empty());
    }

    #[test]
    fn lot_lookup_reports_status_stock_and_history() {
        let (_dir, mut j) = journal();
        assert_eq!(j.lot_lookup(GTIN_A, Some("L1")).unwrap(), None);
        let events = j
            .append_batch(
                at(0),
                [
                    receive(GTIN_A, Some("L1"), Some(date(2027, 3, 31)), 10, "DOCK"),
                    receive(GTIN_A, Some("L2"), None, 1, "DOCK"),
                    store_move(GTIN_A, Some("L1"), 10, "DOCK", "A-01"),
                    receive(GTIN_A, None, None, 3, "DOCK"),
                ],
            )
            .unwrap();
        let report = j.lot_lookup(GTIN_A, Some("L1")).unwrap().unwrap();
        assert_eq!(report.expiry, Some(date(2027, 3, 31)));
        assert_eq!(report.status, None);
        assert_eq!(
            report.stock,
            [("A-01".to_owned(), 10)],
            "DOCK is back to zero"
        );
        assert_eq!(report.events, [events[0].clone(), events[2].clone()]);
        let unlotted = j.lot_lookup(GTIN_A, None).unwrap().unwrap();
        assert_eq!(unlotted.events, [events[3].clone()]);
        assert_eq!(unlotted.stock, [("DOCK".to_owned(), 3)]);
    }

    #[test]
    fn expiry_alerts_list_expired_and_soon_expiring_stock() {
        let (_dir, mut j) = journal();
        j.append_batch(
            at(0),
            [
                receive(GTIN_A, Some("OLD"), Some(date(2026, 12, 31)), 2, "A-01"),
                receive(GTIN_A, Some("OLD"), None, 3, "B-01"),
                receive(GTIN_A, Some("SOON"), Some(date(2027, 1, 31)), 1, "A-01"),
                receive(GTIN_A, Some("EDGE"), Some(date(2027, 2, 1)), 1, "A-01"),
                receive(GTIN_A, Some("GONE"), Some(date(2026, 12, 1)), 0, "A-01"),
                receive(GTIN_A, Some("NONE"), None, 1, "A-01"),
            ],
        )
        .unwrap();
        let alerts = j.expiry_alerts(date(2027, 1, 1), 30).unwrap();
        let summary: Vec<_> = alerts
            .iter()
            .map(|a| (a.lot.as_deref().unwrap(), a.expired, a.stock.clone()))
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "OLD",
                    true,
                    vec![("A-01".to_owned(), 2), ("B-01".to_owned(), 3)]
                ),
                ("SOON", false, vec![("A-01".to_owned(), 1)]),
            ]
        );
        assert_eq!(j.expiry_alerts(date(2027, 1, 1), 31).unwrap().len(), 3);
    }

    #[test]
    fn unsynced_events_come_in_batches_and_the_cursor_only_moves_forward() {
        let (_dir, mut j) = journal();
        let events = j
            .append_batch(
                at(0),
                (0..7).map(|_| receive(GTIN_A, None, None, 1, "DOCK")),
            )
            .unwrap();
        assert_eq!(j.events_after(0, 3).unwrap(), events[..3]);
        assert_eq!(j.events_after(3, 3).unwrap(), events[3..6]);
        assert_eq!(j.events_after(6, 3).unwrap(), events[6..]);
        assert!(j.events_after(7, 3).unwrap().is_empty());
        assert_eq!(j.synced_through().unwrap(), 0);
        j.mark_synced_through(5).unwrap();
        j.mark_synced_through(2).unwrap();
        assert_eq!(
            j.synced_through().unwrap(),
            5,
            "a confirmation never lowers the mark"
        );
        j.resend_after(6).unwrap();
        assert_eq!(j.synced_through().unwrap(), 5, "resending never raises it");
        j.resend_after(3).unwrap();
        assert_eq!((j.synced_through().unwrap(), j.unsynced().unwrap()), (3, 4));
        j.mark_synced_through(5).unwrap();
        assert_eq!(j.synced_through().unwrap(), 5);
        assert!(j.mark_synced_through(8).is_err());
        assert_eq!(j.stats().unwrap().unsynced, 2);
    }

    /// The sync thread has its own connection: it sees what the terminal's
    /// writer appends after it opened, and may confirm it.
    #[test]
    fn a_second_connection_sees_and_confirms_later_appends() {
        let (dir, mut writer) = journal();
        let mut sync = Journal::open(dir.path().join("journal.sqlite")).unwrap();
        writer
            .append_batch(
                at(0),
                (0..4).map(|_| receive(GTIN_A, None, None, 1, "DOCK")),
            )
            .unwrap();
        assert_eq!(sync.last_seq(), 0, "the stale in-memory head");
        assert_eq!(sync.stored_last_seq().unwrap(), 4);
        assert_eq!(sync.events_after(0, 10).unwrap().len(), 4);
        sync.mark_synced_through(4).unwrap();
        assert_eq!(writer.unsynced().unwrap(), 0);
        assert!(sync.mark_synced_through(5).is_err());
    }

    #[test]
    fn order_progress_and_carton_contents() {
        let (_dir, mut j) = journal();
        j.apply_reference(&ReferenceData {
            sales_orders: vec![SalesOrder {
                number: "SO-1".into(),
                customer_id: "C1".into(),
                ship_to: "0614141000005".into(),
                lines: vec![
                    OrderLine {
                        line_no: 1,
                        gtin: GTIN_A.into(),
                        quantity: 4,
                        unit: "EA".into(),
                    },
                    OrderLine {
                        line_no: 2,
                        gtin: GTIN_A.into(),
                        quantity: 2,
                        unit: "EA".into(),
                    },
                ],
            }],
            ..ReferenceData::default()
        })
        .unwrap();
        let mut pick = body(EventKind::Picking, GTIN_A, Some("L"), 5);
        pick.from_location = Some("A-01".into());
        pick.to_location = Some("STAGE".into());
        pick.sales_order = Some("SO-1".into());
        let mut pack = body(EventKind::Packing, GTIN_A, Some("L"), 3);
        pack.sscc = Some(SSCC.into());
        pack.sales_order = Some("SO-1".into());
        let mut stray = pack.clone();
        stray.gtin = Some(GTIN_B.into());
        stray.quantity = 1;
        j.append_batch(at(0), [pick, pack, stray]).unwrap();
        let progress = j.sales_order_progress("SO-1").unwrap();
        assert_eq!(
            progress,
            [
                OrderLineProgress {
                    gtin: GTIN_B.into(),
                    ordered: 0,
                    received: 0,
                    picked: 0,
                    packed: 1,
                    shipped: 0
                },
                OrderLineProgress {
                    gtin: GTIN_A.into(),
                    ordered: 6,
                    received: 0,
                    picked: 5,
                    packed: 3,
                    shipped: 0
                },
            ]
        );
        assert_eq!(
            j.carton_contents(SSCC).unwrap(),
            [
                (GTIN_B.to_owned(), Some("L".to_owned()), 1),
                (GTIN_A.to_owned(), Some("L".to_owned()), 3)
            ]
        );
        assert!(j.purchase_order_progress("SO-2").unwrap().is_empty());
    }
}
