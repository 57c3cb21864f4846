//! Appending events: validation, seq and chain assignment, the row, and the
//! projections, all in one `BEGIN IMMEDIATE` transaction that has committed
//! before the call returns.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, TransactionBehavior};
use uuid::{ClockSequence, ContextV7, NoContext, Timestamp, Uuid, Variant};

use super::error::{JournalError, Result};
use super::event::{Event, EventBody, EventKind};
use super::projections::Projector;
use super::{Head, Journal, read_head, store};
use crate::scan::check_digit::mod10_valid;

impl Journal {
    /// Records one event and returns it once it is durable (committed with
    /// `synchronous=FULL`). On any error nothing was recorded.
    ///
    /// `recorded_at` is the device clock; it is kept to the microsecond.
    pub fn append(&mut self, recorded_at: DateTime<Utc>, body: EventBody) -> Result<Event> {
        self.in_append_transaction(recorded_at, |append| append(body))
    }

    /// Records a burst (an RFID read, a bulk receipt) as one transaction:
    /// all of the events or, on any error, none of them. They get
    /// consecutive seqs in the given order.
    pub fn append_batch(
        &mut self,
        recorded_at: DateTime<Utc>,
        bodies: impl IntoIterator<Item = EventBody>,
    ) -> Result<Vec<Event>> {
        self.in_append_transaction(recorded_at, |append| {
            bodies.into_iter().map(append).collect()
        })
    }

    /// Runs `write` in one `BEGIN IMMEDIATE` transaction, handing it a
    /// function that appends one body; commits if `write` succeeds and only
    /// then moves this value's head.
    fn in_append_transaction<T>(
        &mut self,
        recorded_at: DateTime<Utc>,
        write: impl FnOnce(&mut dyn FnMut(EventBody) -> Result<Event>) -> Result<T>,
    ) -> Result<T> {
        let recorded_at = DateTime::from_timestamp_micros(recorded_at.timestamp_micros())
            .ok_or_else(|| JournalError::Invalid("recorded_at is out of range".into()))?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Re-read the head under the write lock: a second writer (another
        // process, another `Journal` on the same file) cannot fork the chain.
        let mut head = read_head(&tx)?;
        let device_id = &self.device_id;
        let mut ids = EventIds::new(&self.ids);
        let written = {
            let mut insert = store::EventInsert::new(&tx)?;
            let mut projector = Projector::new(&tx);
            let written = write(&mut |body| {
                let append = Append {
                    conn: &tx,
                    device_id,
                    recorded_at,
                };
                append.one(&mut ids, &mut insert, &mut projector, &mut head, body)
            })?;
            projector.finish()?;
            written
        };
        tx.commit()?;
        self.head = head;
        Ok(written)
    }
}

/// What every append in one transaction shares.
struct Append<'a> {
    conn: &'a Connection,
    device_id: &'a str,
    recorded_at: DateTime<Utc>,
}

impl Append<'_> {
    /// Validates `body`, chains it after `head`, writes it and its projection
    /// effects, and advances `head` (the caller's copy, kept only on commit).
    fn one(
        &self,
        ids: &mut EventIds<'_>,
        insert: &mut store::EventInsert<'_>,
        projector: &mut Projector<'_>,
        head: &mut Head,
        body: EventBody,
    ) -> Result<Event> {
        validate(&body)?;
        if let Some(id) = body.correction_of {
            check_correctable(self.conn, id)?;
        }
        let (secs, nanos) = (
            u64::try_from(self.recorded_at.timestamp()).unwrap_or(0),
            self.recorded_at.timestamp_subsec_nanos(),
        );
        let mut event = Event {
            event_id: ids.next(secs, nanos),
            device_id: self.device_id.to_owned(),
            seq: head.seq + 1,
            recorded_at: self.recorded_at,
            body,
            prev_hash: head.hash,
            hash: head.hash,
        };
        event.hash = event.compute_hash();
        insert.insert(&event)?;
        projector.record(&event)?;
        *head = Head {
            seq: event.seq,
            hash: event.hash,
        };
        Ok(event)
    }
}

/// UUIDv7 event ids for one transaction, as `Uuid::new_v7` with a
/// [`ContextV7`] lays them out (48-bit millisecond timestamp, then the
/// context's 42-bit counter, then 32 further bits), except that the last 32
/// bits come from a generator seeded once per transaction instead of a
/// `getrandom` system call per event. Uniqueness and order come from the
/// timestamp and the counter (reseeded at random each millisecond); the
/// last bits only make ids of different terminals differ further.
struct EventIds<'a> {
    context: &'a ContextV7,
    state: u64,
}

impl<'a> EventIds<'a> {
    /// Counter width of a [`ContextV7`].
    const COUNTER_BITS: u8 = 42;

    fn new(context: &'a ContextV7) -> EventIds<'a> {
        // One getrandom call per transaction.
        let seed = Uuid::new_v7(Timestamp::from_unix(NoContext, 0, 0)).as_u128() as u64;
        EventIds {
            context,
            state: seed,
        }
    }

    /// splitmix64.
    fn next_u32(&mut self) -> u32 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) >> 32) as u32
    }

    fn next(&mut self, secs: u64, nanos: u32) -> Uuid {
        if self.context.usable_bits() != usize::from(Self::COUNTER_BITS) {
            return Uuid::new_v7(Timestamp::from_unix(self.context, secs, nanos));
        }
        let (counter, secs, nanos) = self.context.generate_timestamp_sequence(secs, nanos);
        let millis = secs
            .saturating_mul(1000)
            .saturating_add(u64::from(nanos / 1_000_000));
        let counter = counter & ((1 << Self::COUNTER_BITS) - 1);
        // rand_a (12 bits) = the counter's top; rand_b (62 bits) = the
        // counter's low 30 bits, then 32 generated bits.
        let rand_a = (counter >> 30) as u16;
        let rand_b = ((counter & ((1 << 30) - 1)) << 32) | u64::from(self.next_u32());
        let mut bytes = [0u8; 16];
        bytes[..6].copy_from_slice(&millis.to_be_bytes()[2..]);
        bytes[6..8].copy_from_slice(&(0x7000 | rand_a).to_be_bytes());
        bytes[8..].copy_from_slice(&((0b10 << 62) | rand_b).to_be_bytes());
        let id = Uuid::from_bytes(bytes);
        debug_assert_eq!(
            (id.get_version_num(), id.get_variant()),
            (7, Variant::RFC4122)
        );
        id
    }
}

/// Refuses a correction of an unknown or already corrected event (the
/// unique index would also refuse the latter, less clearly).
fn check_correctable(conn: &Connection, id: Uuid) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM events WHERE event_id = ?1), \
                EXISTS (SELECT 1 FROM events WHERE correction_of = ?1)",
    )?;
    let (known, corrected): (bool, bool) =
        stmt.query_row([id.as_bytes()], |row| Ok((row.get(0)?, row.get(1)?)))?;
    if !known {
        return Err(JournalError::UnknownCorrectedEvent(id));
    }
    if corrected {
        return Err(JournalError::AlreadyCorrected(id));
    }
    Ok(())
}

/// The journal's own rules for a body; business rules (FEFO, shelf life,
/// holds) are the workflow engine's, which consults the queries first.
fn validate(body: &EventBody) -> Result<()> {
    let invalid = |why: String| Err(JournalError::Invalid(why));
    let kind = body.kind;
    if body.operator.trim().is_empty() {
        return invalid("the operator is missing".into());
    }
    if body.unit.trim().is_empty() {
        return invalid("the unit of measure is missing".into());
    }
    if body.quantity < 0 {
        return invalid(format!(
            "quantity {} is negative; record a movement out instead",
            body.quantity
        ));
    }
    if let Some(gtin) = &body.gtin
        && !(gtin.len() == 14 && mod10_valid(gtin.as_bytes()))
    {
        return invalid(format!(
            "GTIN {gtin:?} is not 14 digits with a valid check digit"
        ));
    }
    if let Some(sscc) = &body.sscc
        && !(sscc.len() == 18 && mod10_valid(sscc.as_bytes()))
    {
        return invalid(format!(
            "SSCC {sscc:?} is not 18 digits with a valid check digit"
        ));
    }
    let required: &[(&str, bool)] = match kind {
        EventKind::Receiving => &[
            ("gtin", body.gtin.is_some()),
            ("to_location", body.to_location.is_some()),
        ],
        EventKind::Storing => &[
            ("gtin", body.gtin.is_some()),
            ("from_location", body.from_location.is_some()),
            ("to_location", body.to_location.is_some()),
        ],
        EventKind::Picking | EventKind::Shipping => &[
            ("gtin", body.gtin.is_some()),
            ("from_location", body.from_location.is_some()),
        ],
        EventKind::Packing => &[("gtin", body.gtin.is_some()), ("sscc", body.sscc.is_some())],
        EventKind::CycleCounting => &[
            ("gtin", body.gtin.is_some()),
            ("to_location", body.to_location.is_some()),
        ],
        EventKind::Holding | EventKind::Releasing => {
            &[("gtin", body.gtin.is_some()), ("lot", body.lot.is_some())]
        }
        EventKind::Inspecting => &[],
    };
    match required.iter().find(|(_, present)| !present) {
        Some((field, _)) => invalid(format!("a {kind} event needs {field}")),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::ChainHash;
    use crate::journal::test_support::*;

    #[test]
    fn seqs_are_contiguous_and_chained() {
        let (_dir, mut j) = journal();
        let first = j
            .append(at(0), receive(GTIN_A, Some("L1"), None, 5, "DOCK"))
            .unwrap();
        let burst = j
            .append_batch(
                at(1),
                (0..3).map(|_| receive(GTIN_B, None, None, 1, "DOCK")),
            )
            .unwrap();
        assert_eq!(first.seq, 1);
        assert_eq!(first.prev_hash, ChainHash::GENESIS);
        assert_eq!(first.hash, first.compute_hash());
        assert_eq!(burst.iter().map(|e| e.seq).collect::<Vec<_>>(), [2, 3, 4]);
        assert_eq!(burst[0].prev_hash, first.hash);
        assert_eq!(burst[2].prev_hash, burst[1].hash);
        assert_eq!((j.last_seq(), j.last_hash()), (4, burst[2].hash));
        assert!(
            first.event_id < burst[0].event_id,
            "UUIDv7 ids are time-ordered"
        );
        assert_eq!(first.event_id.get_version_num(), 7);
    }

    #[test]
    fn event_ids_are_increasing_uuidv7s_of_the_recording_time() {
        let (_dir, mut j) = journal();
        let t = at(0) + chrono::Duration::microseconds(123_456);
        let mut ids: Vec<Uuid> = j
            .append_batch(
                t,
                (0..2_000).map(|_| receive(GTIN_A, None, None, 1, "DOCK")),
            )
            .unwrap()
            .iter()
            .map(|e| e.event_id)
            .collect();
        ids.extend(
            j.append_batch(t, (0..10).map(|_| receive(GTIN_A, None, None, 1, "DOCK")))
                .unwrap()
                .iter()
                .map(|e| e.event_id),
        );
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "strictly increasing");
        for id in &ids {
            assert_eq!(
                (id.get_version_num(), id.get_variant()),
                (7, Variant::RFC4122)
            );
            let (secs, nanos) = id.get_timestamp().unwrap().to_unix();
            assert_eq!(
                (secs as i64, nanos / 1_000_000),
                (t.timestamp(), t.timestamp_subsec_millis())
            );
        }
        // The generated low bits differ from id to id.
        assert_ne!(ids[0].as_u128() as u32, ids[1].as_u128() as u32);
    }

    #[test]
    fn two_writers_on_one_file_keep_one_chain() {
        let (dir, mut first) = journal();
        let mut second = Journal::open(dir.path().join("journal.sqlite")).unwrap();
        let a = first
            .append(at(0), receive(GTIN_A, None, None, 1, "D"))
            .unwrap();
        let b = second
            .append(at(1), receive(GTIN_A, None, None, 1, "D"))
            .unwrap();
        let c = first
            .append(at(2), receive(GTIN_A, None, None, 1, "D"))
            .unwrap();
        assert_eq!((b.seq, b.prev_hash), (2, a.hash));
        assert_eq!((c.seq, c.prev_hash), (3, b.hash));
        assert!(first.verify().unwrap().is_sound());
    }

    #[test]
    fn recorded_at_is_kept_to_the_microsecond() {
        let (_dir, mut j) = journal();
        let t = at(0) + chrono::Duration::nanoseconds(1_234_567);
        let e = j.append(t, receive(GTIN_A, None, None, 1, "DOCK")).unwrap();
        assert_eq!(e.recorded_at, at(0) + chrono::Duration::microseconds(1_234));
        assert_eq!(j.events_after(0, 10).unwrap(), vec![e]);
    }

    #[test]
    fn events_survive_reopening() {
        let (dir, mut j) = journal();
        let e = j
            .append(
                at(0),
                receive(GTIN_A, Some("L1"), Some(date(2027, 1, 31)), 5, "DOCK"),
            )
            .unwrap();
        let device = j.device_id().to_owned();
        drop(j);
        let mut j = Journal::open(dir.path().join("journal.sqlite")).unwrap();
        assert_eq!(j.device_id(), device);
        assert_eq!((j.last_seq(), j.last_hash()), (1, e.hash));
        assert_eq!(j.events_after(0, 10).unwrap(), vec![e.clone()]);
        let next = j
            .append(at(1), receive(GTIN_A, Some("L1"), None, 1, "DOCK"))
            .unwrap();
        assert_eq!((next.seq, next.prev_hash), (2, e.hash));
    }

    #[test]
    fn a_burst_is_all_or_nothing() {
        let (_dir, mut j) = journal();
        let mut bad = receive(GTIN_A, None, None, 1, "DOCK");
        bad.quantity = -1;
        let err = j
            .append_batch(at(0), [receive(GTIN_A, None, None, 1, "DOCK"), bad])
            .unwrap_err();
        assert!(
            matches!(err, JournalError::Invalid(ref m) if m.contains("negative")),
            "{err}"
        );
        assert_eq!(j.last_seq(), 0);
        assert!(j.events_after(0, 10).unwrap().is_empty());
        assert!(
            j.lot_lookup(GTIN_A, None).unwrap().is_none(),
            "no projection leaked"
        );
        assert_eq!(
            j.append(at(1), receive(GTIN_A, None, None, 1, "DOCK"))
                .unwrap()
                .seq,
            1
        );
    }

    #[test]
    fn invalid_bodies_are_refused_with_the_reason() {
        let (_dir, mut j) = journal();
        let cases: Vec<(EventBody, &str)> = vec![
            (
                body(EventKind::Receiving, GTIN_A, None, 1),
                "needs to_location",
            ),
            (
                body(EventKind::Storing, GTIN_A, None, 1),
                "needs from_location",
            ),
            (body(EventKind::Packing, GTIN_A, None, 1), "needs sscc"),
            (body(EventKind::Holding, GTIN_A, None, 0), "needs lot"),
            (
                receive("09506000134353", None, None, 1, "D"),
                "GTIN \"09506000134353\"",
            ),
            (receive("123", None, None, 1, "D"), "not 14 digits"),
            (
                EventBody {
                    sscc: Some("106141411234567890".into()),
                    ..receive(GTIN_A, None, None, 1, "D")
                },
                "SSCC",
            ),
            (
                EventBody {
                    operator: " ".into(),
                    ..receive(GTIN_A, None, None, 1, "D")
                },
                "operator",
            ),
            (
                EventBody {
                    unit: String::new(),
                    ..receive(GTIN_A, None, None, 1, "D")
                },
                "unit",
            ),
        ];
        for (b, expected) in cases {
            match j.append(at(0), b) {
                Err(JournalError::Invalid(msg)) => {
                    assert!(msg.contains(expected), "{msg} / {expected}")
                }
                other => panic!("expected Invalid containing {expected:?}, got {other:?}"),
            }
        }
        assert_eq!(j.last_seq(), 0);
    }

    #[test]
    fn corrections_must_name_a_known_uncorrected_event() {
        let (_dir, mut j) = journal();
        let original = j
            .append(at(0), receive(GTIN_A, None, None, 5, "DOCK"))
            .unwrap();
        let mut fix = receive(GTIN_A, None, None, 4, "DOCK");
        fix.correction_of = Some(Uuid::now_v7());
        assert!(matches!(
            j.append(at(1), fix.clone()),
            Err(JournalError::UnknownCorrectedEvent(_))
        ));
        fix.correction_of = Some(original.event_id);
        let correction = j.append(at(1), fix.clone()).unwrap();
        assert!(matches!(
            j.append(at(2), fix),
            Err(JournalError::AlreadyCorrected(id)) if id == original.event_id
        ));
        // The correction itself can be corrected.
        let mut again = receive(GTIN_A, None, None, 3, "DOCK");
        again.correction_of = Some(correction.event_id);
        assert_eq!(j.append(at(3), again).unwrap().seq, 3);
    }

    #[test]
    fn sql_cannot_update_or_delete_events() {
        let (_dir, mut j) = journal();
        j.append(at(0), receive(GTIN_A, None, None, 5, "DOCK"))
            .unwrap();
        for sql in ["UPDATE events SET quantity = 6", "DELETE FROM events"] {
            let err = j.conn.execute(sql, []).unwrap_err().to_string();
            assert!(err.contains("append-only"), "{sql}: {err}");
        }
        assert_eq!(j.events_after(0, 10).unwrap()[0].body.quantity, 5);
    }

    #[test]
    fn disk_full_is_reported_and_nothing_acknowledged_is_lost() {
        let (_dir, mut j) = journal();
        let mut acked = Vec::new();
        for i in 0..5 {
            acked.push(
                j.append(at(i), receive(GTIN_A, Some("L"), None, 1, "DOCK"))
                    .unwrap(),
            );
        }
        let size: i64 = j
            .conn
            .pragma_query_value(None, "page_count", |r| r.get(0))
            .unwrap();
        j.set_max_pages(u64::try_from(size).unwrap()).unwrap();
        let big = |i: i64| {
            let mut b = receive(GTIN_A, Some("L"), None, 1, "DOCK");
            b.reason = Some(format!("{i}{}", "x".repeat(20_000)));
            b
        };
        let mut failed = None;
        for i in 0..50 {
            match j.append(at(10 + i), big(i)) {
                Ok(e) => acked.push(e),
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        assert!(matches!(failed, Some(JournalError::DiskFull)), "{failed:?}");
        assert!(failed.unwrap().to_string().contains("NOT recorded"));
        // A burst fails as a whole, too.
        assert!(matches!(
            j.append_batch(at(70), (0..3).map(big)),
            Err(JournalError::DiskFull)
        ));
        assert_eq!(j.events_after(0, 1000).unwrap(), acked);
        assert!(j.verify().unwrap().is_sound());
        // Space is back: appending continues the chain.
        j.set_max_pages(1 << 30).unwrap();
        let next = j.append(at(80), big(99)).unwrap();
        assert_eq!(next.seq, acked.len() as u64 + 1);
        assert_eq!(next.prev_hash, acked.last().unwrap().hash);
        assert!(j.verify().unwrap().is_sound());
    }
}
