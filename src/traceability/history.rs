//! Which events are in effect, in the order they happened.
//!
//! A correction names the event it corrects, which is then void; the
//! correction itself takes its place (an undo is a correction with quantity
//! zero). Every export and report starts from the same [`History`], so they
//! agree on what happened.

use std::collections::HashMap;

use uuid::Uuid;

use crate::journal::Event;

/// The events in effect, chronological, and which events were voided by
/// which corrections.
#[derive(Debug, Clone)]
pub struct History<'a> {
    effective: Vec<&'a Event>,
    voided_by: HashMap<Uuid, &'a Event>,
}

impl<'a> History<'a> {
    /// Sorts `events` by device time (then device and seq, so the order is
    /// total and stable across devices) and sets aside corrected events.
    pub fn new(events: &'a [Event]) -> History<'a> {
        let voided_by: HashMap<Uuid, &Event> = events
            .iter()
            .filter_map(|e| e.body.correction_of.map(|id| (id, e)))
            .collect();
        let mut effective: Vec<&Event> = events
            .iter()
            .filter(|e| !voided_by.contains_key(&e.event_id))
            .collect();
        effective.sort_by(|a, b| {
            (a.recorded_at, &a.device_id, a.seq).cmp(&(b.recorded_at, &b.device_id, b.seq))
        });
        History {
            effective,
            voided_by,
        }
    }

    /// The events in effect, oldest first.
    pub fn events(&self) -> &[&'a Event] {
        &self.effective
    }

    /// The correction that voided the event with `id`, if one did.
    pub fn voided_by(&self, id: Uuid) -> Option<&'a Event> {
        self.voided_by.get(&id).copied()
    }

    /// True when `event` names exactly this GTIN and lot (`None`: no lot).
    pub fn is_lot(event: &Event, gtin: &str, lot: Option<&str>) -> bool {
        event.body.gtin.as_deref() == Some(gtin) && event.body.lot.as_deref() == lot
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::EventKind;
    use crate::traceability::test_history::{event, minutes};

    #[test]
    fn a_corrected_event_is_void_and_its_correction_takes_its_place() {
        let original = event(1, minutes(5), EventKind::Storing, |_| {});
        let correction = event(2, minutes(6), EventKind::Storing, |b| {
            b.correction_of = Some(original.event_id);
        });
        let earlier = event(3, minutes(1), EventKind::Receiving, |_| {});
        let events = [original.clone(), correction.clone(), earlier.clone()];
        let history = History::new(&events);
        let ids: Vec<Uuid> = history.events().iter().map(|e| e.event_id).collect();
        assert_eq!(ids, [earlier.event_id, correction.event_id]);
        assert_eq!(
            history.voided_by(original.event_id).map(|e| e.event_id),
            Some(correction.event_id)
        );
        assert!(history.voided_by(correction.event_id).is_none());
    }

    #[test]
    fn correcting_a_correction_restores_nothing_but_the_last() {
        let first = event(1, minutes(1), EventKind::Receiving, |_| {});
        let second = event(2, minutes(2), EventKind::Receiving, |b| {
            b.correction_of = Some(first.event_id);
        });
        let third = event(3, minutes(3), EventKind::Receiving, |b| {
            b.correction_of = Some(second.event_id);
        });
        let events = [first, second, third.clone()];
        let history = History::new(&events);
        let ids: Vec<Uuid> = history.events().iter().map(|e| e.event_id).collect();
        assert_eq!(ids, [third.event_id]);
    }
}
