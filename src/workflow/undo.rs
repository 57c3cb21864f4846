//! Undo of the last step: the journal never deletes, so each event of the
//! step gets a correction with quantity 0 that voids it (its stock, carton
//! and order effects are reversed by the journal's projections).

use super::feedback::Feedback;
use super::words;
use crate::journal::{Event, EventBody, EventKind};
use crate::text;
use crate::text::Text;

/// The reason recorded when the operator gives none.
const DEFAULT_REASON: &str = "undone by the operator";

/// Why `step` cannot be undone, if it cannot: a lot status and a count are
/// absolute (a correction would set them again, not restore what was
/// before), so a hold is lifted by a release, a release by a new hold and
/// a count by counting again.
pub(super) fn refusal(step: &[Event]) -> Option<Text> {
    step.iter().find_map(|event| match event.body.kind {
        EventKind::Holding => Some(text!("A hold is not undone: release the lot instead")),
        EventKind::Releasing => Some(text!("A release is not undone: hold the lot again instead")),
        EventKind::CycleCounting => {
            Some(text!("A count is not undone: count the item again instead"))
        }
        _ => None,
    })
}

/// The correction bodies voiding `step` on behalf of `operator`, and the
/// answer to show once they are recorded.
pub(super) fn corrections(
    step: &[Event],
    operator: &str,
    reason: Option<&str>,
) -> (Vec<EventBody>, Feedback) {
    let reason = reason
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .unwrap_or(DEFAULT_REASON);
    let mut feedback = Feedback::ok(text!("Undone: {count} event(s) voided", count = step.len()));
    let bodies = step
        .iter()
        .map(|event| {
            let b = &event.body;
            feedback.details.push(text!(
                "Voided #{seq} {kind} of {quantity} {unit} {gtin}{lot}",
                seq = event.seq,
                kind = words::event_kind(b.kind),
                quantity = b.quantity,
                unit = &b.unit,
                gtin = b.gtin.as_deref().unwrap_or("-"),
                lot = b
                    .lot
                    .as_deref()
                    .map_or_else(|| text!(""), |lot| text!(" lot {lot}", lot))
            ));
            EventBody {
                operator: operator.to_owned(),
                quantity: 0,
                reason: Some(reason.to_owned()),
                correction_of: Some(event.event_id),
                ..b.clone()
            }
        })
        .collect();
    (bodies, feedback)
}
