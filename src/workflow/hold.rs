//! Hold and release of a lot, by a supervisor only: open the task with a
//! reason, then scan each lot's label; every scan records one `holding` or
//! `releasing` event. A recall comes from the office and is never lifted by
//! a local release (the journal's projections enforce it); the engine
//! refuses such a release up front so the supervisor knows why.

use super::engine::{Context, Outcome, StepResult, Task, refuse};
use super::feedback::Feedback;
use super::item::{Scanned, identify};
use super::signin::Role;
use super::words;
use crate::journal::{EventBody, EventKind, LotState, LotStatus};
use crate::text;
use crate::text::Text;

/// Which way the lot's status goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Change {
    /// Put the lot on hold: it may not be picked and goes only to quarantine.
    Hold,
    /// Lift a local hold: the lot may be used again.
    Release,
}

impl Change {
    /// The verb shown to the supervisor.
    fn verb(self) -> Text {
        match self {
            Change::Hold => text!("hold"),
            Change::Release => text!("release"),
        }
    }
}

/// An open hold or release task: every lot scanned gets the same reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct StatusTask {
    change: Change,
    reason: String,
}

/// Whether `task` holds or releases.
pub(super) fn change(task: &StatusTask) -> Change {
    task.change
}

/// Opens a hold or release task; refused for anyone but a supervisor and
/// without a reason.
pub(super) fn start(
    task: &mut Task,
    ctx: &Context<'_>,
    change: Change,
    reason: &str,
) -> StepResult<Outcome> {
    if ctx.role != Role::Supervisor {
        return refuse(text!(
            "Only a supervisor may {verb} a lot: ask a supervisor to sign in",
            verb = change.verb()
        ));
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return refuse(text!("Give a reason to {verb} lots", verb = change.verb()));
    }
    *task = Task::LotStatus(StatusTask {
        change,
        reason: reason.to_owned(),
    });
    Ok(Outcome::reply(Feedback::ok(match change {
        Change::Hold => text!("Hold lots ({reason}): scan each lot's label", reason),
        Change::Release => text!("Release lots ({reason}): scan each lot's label", reason),
    })))
}

/// Holds or releases the scanned lot.
pub(super) fn scan(
    task: &StatusTask,
    ctx: &Context<'_>,
    scanned: &Scanned<'_>,
) -> StepResult<Outcome> {
    let item = identify(ctx, scanned)?;
    let what = item.describe();
    item.require_lot()?;
    let Some(lot) = item.lot.clone() else {
        return refuse(text!(
            "{what} is not lot-tracked: there is no lot to hold or release",
            what
        ));
    };
    let gtin = &item.product.gtin;
    let status = ctx.journal.lot_status(gtin, Some(&lot))?;
    let by = |s: &LotStatus| words::issued_by(&s.issued_by, s.reason.as_deref());
    match (task.change, status.as_ref().map(|s| (s.state, s))) {
        (Change::Release, Some((LotState::Recalled, s))) => {
            return refuse(text!(
                "{what} is recalled ({by}): a local release never lifts a recall; keep it in quarantine until the office lifts the recall",
                what,
                by = by(s)
            ));
        }
        (Change::Hold, Some((LotState::Recalled, s))) => {
            return refuse(text!(
                "{what} is already recalled ({by}): it stays blocked; keep it in quarantine",
                what,
                by = by(s)
            ));
        }
        (Change::Hold, Some((LotState::Held, s))) => {
            return refuse(text!("{what} is already on hold ({by})", what, by = by(s)));
        }
        (Change::Release, None | Some((LotState::Released, _))) => {
            return refuse(text!("{what} is not on hold: nothing to release", what));
        }
        _ => {}
    }
    let report = ctx.journal.lot_lookup(gtin, Some(&lot))?;
    let stock = report.as_ref().map(|r| r.stock.clone()).unwrap_or_default();
    let mut body = EventBody::new(
        ctx.operator,
        match task.change {
            Change::Hold => EventKind::Holding,
            Change::Release => EventKind::Releasing,
        },
    );
    body.gtin = Some(gtin.clone());
    body.unit = item.product.unit.clone();
    body.lot = Some(lot);
    body.expiry = report.and_then(|r| r.expiry).or(item.expiry);
    body.quantity = stock.iter().map(|(_, quantity)| quantity).sum();
    body.reason = Some(task.reason.clone());
    let mut feedback = Feedback::ok(match task.change {
        Change::Hold => text!("Held {what}: {reason}", what, reason = &task.reason),
        Change::Release => text!("Released {what}: it may be used again", what),
    });
    if stock.is_empty() {
        feedback = feedback.detail(text!("No stock on hand"));
    }
    for (location, quantity) in &stock {
        feedback = feedback.detail(text!(
            "At {location}: {quantity} {unit}",
            location,
            quantity = *quantity,
            unit = &item.product.unit
        ));
    }
    if task.change == Change::Hold {
        feedback = feedback.detail(text!("It may not be picked until a supervisor releases it"));
    }
    Ok(Outcome::record(feedback, vec![body]))
}
