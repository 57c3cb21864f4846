//! Words the engine puts into its sentences for the operator: a lot's
//! state and an event's kind, each a [`Text`] so it is translated with
//! the sentence (the journal keeps their stable English names).

use crate::journal::{EventKind, LotState};
use crate::text;
use crate::text::Text;

/// A lot's state as a sentence says it ("recalled").
pub fn lot_state(state: LotState) -> Text {
    match state {
        LotState::Held => text!("held"),
        LotState::Recalled => text!("recalled"),
        LotState::Released => text!("released"),
    }
}

/// What an event did, as a lot's history lists it ("picking").
pub fn event_kind(kind: EventKind) -> Text {
    match kind {
        EventKind::Receiving => text!("receiving"),
        EventKind::Storing => text!("storing"),
        EventKind::Picking => text!("picking"),
        EventKind::Packing => text!("packing"),
        EventKind::Shipping => text!("shipping"),
        EventKind::Inspecting => text!("inspecting"),
        EventKind::CycleCounting => text!("cycle counting"),
        EventKind::Holding => text!("holding"),
        EventKind::Releasing => text!("releasing"),
    }
}

/// Who set a lot's state and why, for the lines about it.
pub fn issued_by(issued_by: &str, reason: Option<&str>) -> Text {
    match reason {
        Some(reason) => text!("by {issued_by}: {reason}", issued_by, reason),
        None => text!("by {issued_by}: no reason given", issued_by),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_english_words_are_the_journal_names() {
        for state in [LotState::Held, LotState::Recalled, LotState::Released] {
            assert_eq!(lot_state(state), state.as_str());
        }
        for kind in EventKind::ALL {
            assert_eq!(event_kind(kind), kind.as_str().replace('_', " ").as_str());
        }
    }
}
