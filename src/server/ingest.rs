//! The ingest rules, apart from any storage: validating a batch, and
//! deciding from what is already stored which events to store, which are
//! repeats, which conflict and where the hash chain breaks. Both storage
//! backends run this same plan inside their own transaction.

use std::collections::HashMap;

use crate::journal::{ChainHash, Event};
use crate::protocol::{
    ChainBreak, ChainBreakKind, Conflict, EventBatch, IngestReply, MAX_BATCH_EVENTS,
};

/// A request field that makes the batch unacceptable (HTTP 422).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {why}")]
pub struct BatchError {
    /// Path of the field, e.g. `events[3].seq`.
    pub field: String,
    /// What is wrong.
    pub why: String,
}

/// A batch that passed validation: one device's events, seqs strictly
/// ascending and within the range the databases store (`i64`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidBatch {
    device_id: String,
    events: Vec<Event>,
}

impl ValidBatch {
    /// Checks a received batch for the device `device_id` (from the URL).
    pub fn new(device_id: &str, batch: EventBatch) -> Result<ValidBatch, BatchError> {
        let fail = |field: String, why: String| Err(BatchError { field, why });
        if batch.device_id != device_id {
            return fail(
                "device_id".into(),
                "does not match the device in the URL".into(),
            );
        }
        if batch.events.len() > MAX_BATCH_EVENTS {
            return fail(
                "events".into(),
                format!(
                    "{} events; a batch holds at most {MAX_BATCH_EVENTS}",
                    batch.events.len()
                ),
            );
        }
        let mut events = Vec::with_capacity(batch.events.len());
        let mut last_seq = 0;
        for (i, wire) in batch.events.iter().enumerate() {
            let event = match wire.to_event() {
                Ok(event) => event,
                Err(e) => return fail(format!("events[{i}].{}", e.field), e.why),
            };
            if event.device_id != device_id {
                return fail(
                    format!("events[{i}].device_id"),
                    "not the sending device".into(),
                );
            }
            if i64::try_from(event.seq).is_err() {
                return fail(format!("events[{i}].seq"), "out of range".into());
            }
            if event.seq <= last_seq {
                return fail(
                    format!("events[{i}].seq"),
                    "seqs must be strictly ascending".into(),
                );
            }
            last_seq = event.seq;
            events.push(event);
        }
        Ok(ValidBatch {
            device_id: device_id.to_owned(),
            events,
        })
    }

    /// The sending device.
    pub fn device_id(&self) -> &str {
        &self.device_id
    }

    /// The lowest and highest seq, `None` for an empty batch.
    pub fn seq_range(&self) -> Option<(u64, u64)> {
        Some((self.events.first()?.seq, self.events.last()?.seq))
    }
}

/// Where a device's stored stream ends. The stored events are always the
/// contiguous run 1..=`seq` (only contiguous prefixes are ever stored).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head {
    /// Last stored seq, 0 when nothing is stored.
    pub seq: u64,
    /// Its hash ([`ChainHash::GENESIS`] when nothing is stored).
    pub hash: ChainHash,
}

/// What a backend must do for one batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Events to insert, in seq order (none when there is a conflict).
    pub insert: Vec<Event>,
    /// The device's head after the inserts.
    pub head: Head,
    /// The reply, whose `chain_breaks` are also to be stored.
    pub reply: IngestReply,
}

/// Decides what to do with `batch` given the device's `head` and the
/// hashes already stored for the batch's seqs up to the head.
///
/// Repeats are no-ops; a repeat with another hash is a conflict and then
/// nothing is stored (the device disagrees with the server about its own
/// past, so what it sends after would not chain onto the server's copy);
/// new events are stored up to the first gap. Every new event's hash is
/// recomputed and its `prev_hash` checked against its predecessor; a
/// mismatch is flagged, and the event stored anyway: it is evidence.
pub fn plan(batch: ValidBatch, head: Head, stored: &HashMap<u64, ChainHash>) -> Plan {
    let mut reply = IngestReply::default();
    let mut insert = Vec::new();
    let mut new_head = head;
    let hex = |h: &ChainHash| h.to_string();
    for event in batch.events {
        if event.seq <= head.seq {
            match stored.get(&event.seq) {
                Some(hash) if *hash == event.hash => reply.duplicates += 1,
                other => reply.conflicts.push(Conflict {
                    seq: event.seq,
                    stored_hash: other.map(hex).unwrap_or_default(),
                    received_hash: hex(&event.hash),
                }),
            }
            continue;
        }
        if event.seq != new_head.seq + 1 {
            break; // a gap: the rest waits until the missing events come
        }
        let mut flag = |kind: ChainBreakKind, expected: &ChainHash| {
            reply.chain_breaks.push(ChainBreak {
                device_id: batch.device_id.clone(),
                seq: event.seq,
                kind,
                expected: hex(expected),
                found: hex(match kind {
                    ChainBreakKind::HashMismatch => &event.hash,
                    ChainBreakKind::PrevHashMismatch => &event.prev_hash,
                }),
            });
        };
        let recomputed = event.compute_hash();
        if recomputed != event.hash {
            flag(ChainBreakKind::HashMismatch, &recomputed);
        }
        if event.prev_hash != new_head.hash {
            flag(ChainBreakKind::PrevHashMismatch, &new_head.hash);
        }
        new_head = Head {
            seq: event.seq,
            hash: event.hash,
        };
        insert.push(event);
    }
    if !reply.conflicts.is_empty() {
        insert.clear();
        reply.chain_breaks.clear();
        new_head = head;
    }
    reply.stored = insert.len() as u64;
    reply.acked_through = new_head.seq;
    Plan {
        insert,
        head: new_head,
        reply,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{EventBody, EventKind};
    use crate::protocol::WireEvent;

    /// A correctly chained stream of `n` events of device `dev`.
    fn chain(dev: &str, n: u64) -> Vec<Event> {
        let mut prev = ChainHash::GENESIS;
        (1..=n)
            .map(|seq| {
                let mut e = Event {
                    event_id: uuid::Uuid::from_u128(u128::from(seq)),
                    device_id: dev.into(),
                    seq,
                    recorded_at: chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap(),
                    body: EventBody::new("op", EventKind::Inspecting),
                    prev_hash: prev,
                    hash: ChainHash::GENESIS,
                };
                e.hash = e.compute_hash();
                prev = e.hash;
                e
            })
            .collect()
    }

    fn batch(events: &[Event]) -> ValidBatch {
        let wire = EventBatch {
            device_id: "d".into(),
            events: events.iter().map(WireEvent::from).collect(),
        };
        ValidBatch::new("d", wire).unwrap()
    }

    fn stored(events: &[Event]) -> (Head, HashMap<u64, ChainHash>) {
        let head = events.last().map_or(
            Head {
                seq: 0,
                hash: ChainHash::GENESIS,
            },
            |e| Head {
                seq: e.seq,
                hash: e.hash,
            },
        );
        (head, events.iter().map(|e| (e.seq, e.hash)).collect())
    }

    #[test]
    fn new_events_are_stored_and_repeats_are_no_ops() {
        let events = chain("d", 5);
        let (head, hashes) = stored(&events[..2]);
        let plan = plan(batch(&events), head, &hashes);
        assert_eq!(plan.insert, events[2..].to_vec());
        assert_eq!(plan.reply.acked_through, 5);
        assert_eq!((plan.reply.stored, plan.reply.duplicates), (3, 2));
        assert!(plan.reply.chain_breaks.is_empty());
        assert_eq!(plan.head.hash, events[4].hash);
    }

    #[test]
    fn a_gap_stores_the_contiguous_prefix_only() {
        let events = chain("d", 6);
        let sent = [&events[..3], &events[4..]].concat();
        let plan = plan(batch(&sent), stored(&[]).0, &HashMap::new());
        assert_eq!(plan.insert, events[..3].to_vec());
        assert_eq!(plan.reply.acked_through, 3);
    }

    #[test]
    fn a_changed_past_event_is_a_conflict_and_nothing_is_stored() {
        let events = chain("d", 4);
        let (head, hashes) = stored(&events[..2]);
        let mut altered = events.clone();
        altered[1].body.quantity = 9;
        altered[1].hash = altered[1].compute_hash();
        let plan = plan(batch(&altered), head, &hashes);
        assert!(plan.insert.is_empty());
        assert_eq!(plan.head, head);
        assert_eq!(plan.reply.acked_through, 2);
        assert_eq!(plan.reply.conflicts.len(), 1);
        assert_eq!(plan.reply.conflicts[0].seq, 2);
        assert_eq!(
            plan.reply.conflicts[0].stored_hash,
            events[1].hash.to_string()
        );
    }

    #[test]
    fn tampered_and_unlinked_events_are_flagged_but_stored() {
        let mut events = chain("d", 3);
        events[1].body.lot = Some("edited".into()); // hash no longer matches
        events[2].prev_hash = ChainHash([9; 32]);
        events[2].hash = events[2].compute_hash();
        let plan = plan(batch(&events), stored(&[]).0, &HashMap::new());
        assert_eq!(plan.insert.len(), 3);
        let kinds: Vec<_> = plan
            .reply
            .chain_breaks
            .iter()
            .map(|b| (b.seq, b.kind))
            .collect();
        assert_eq!(
            kinds,
            [
                (2, ChainBreakKind::HashMismatch),
                (3, ChainBreakKind::PrevHashMismatch)
            ]
        );
        assert_eq!(
            plan.reply.chain_breaks[1].expected,
            events[1].hash.to_string()
        );
    }

    #[test]
    fn batch_validation_names_the_field() {
        let events = chain("d", 3);
        let mut wire = EventBatch {
            device_id: "d".into(),
            events: events.iter().map(WireEvent::from).collect(),
        };
        let err = |w: &EventBatch| ValidBatch::new("d", w.clone()).unwrap_err().field;
        wire.events.swap(0, 1);
        assert_eq!(err(&wire), "events[1].seq");
        wire.events.swap(0, 1);
        wire.events[2].device_id = "other".into();
        assert_eq!(err(&wire), "events[2].device_id");
        wire.events[2].device_id = "d".into();
        wire.events[1].hash = "x".into();
        assert_eq!(err(&wire), "events[1].hash");
        wire.device_id = "e".into();
        assert_eq!(err(&wire), "device_id");
        let long = EventBatch {
            device_id: "d".into(),
            events: vec![WireEvent::from(&events[0]); MAX_BATCH_EVENTS + 1],
        };
        assert_eq!(err(&long), "events");
    }
}
