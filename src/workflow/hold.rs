//! Hold and release of a lot, by a supervisor only: open the task with a
//! reason, then scan each lot's label; every scan records one `holding` or
//! `releasing` event. A recall comes from the office and is never lifted by
//! a local release (the journal's projections enforce it); the engine
//! refuses such a release up front so the supervisor knows why.

use super::engine::{Context, Outcome, StepResult, Task, refuse};
use super::feedback::Feedback;
use super::item::{Scanned, identify};
use super::signin::Role;
use crate::journal::{EventBody, EventKind, LotState, LotStatus};

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
    const fn verb(self) -> &'static str {
        match self {
            Change::Hold => "Hold",
            Change::Release => "Release",
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
        return refuse(format!(
            "Only a supervisor may {} a lot: ask a supervisor to sign in",
            change.verb().to_lowercase()
        ));
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return refuse(format!(
            "Give a reason to {} lots",
            change.verb().to_lowercase()
        ));
    }
    *task = Task::LotStatus(StatusTask {
        change,
        reason: reason.to_owned(),
    });
    Ok(Outcome::reply(Feedback::ok(format!(
        "{} lots ({reason}): scan each lot's label",
        change.verb()
    ))))
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
        return refuse(format!(
            "{what} is not lot-tracked: there is no lot to hold or release"
        ));
    };
    let gtin = &item.product.gtin;
    let status = ctx.journal.lot_status(gtin, Some(&lot))?;
    let by = |s: &LotStatus| {
        format!(
            "by {}: {}",
            s.issued_by,
            s.reason.as_deref().unwrap_or("no reason given")
        )
    };
    match (task.change, status.as_ref().map(|s| (s.state, s))) {
        (Change::Release, Some((LotState::Recalled, s))) => {
            return refuse(format!(
                "{what} is recalled ({}): a local release never lifts a recall; keep it in quarantine until the office lifts the recall",
                by(s)
            ));
        }
        (Change::Hold, Some((LotState::Recalled, s))) => {
            return refuse(format!(
                "{what} is already recalled ({}): it stays blocked; keep it in quarantine",
                by(s)
            ));
        }
        (Change::Hold, Some((LotState::Held, s))) => {
            return refuse(format!("{what} is already on hold ({})", by(s)));
        }
        (Change::Release, None | Some((LotState::Released, _))) => {
            return refuse(format!("{what} is not on hold: nothing to release"));
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
        Change::Hold => format!("Held {what}: {}", task.reason),
        Change::Release => format!("Released {what}: it may be used again"),
    });
    if stock.is_empty() {
        feedback = feedback.detail("No stock on hand");
    }
    for (location, quantity) in &stock {
        feedback = feedback.detail(format!("At {location}: {quantity} {}", item.product.unit));
    }
    if task.change == Change::Hold {
        feedback = feedback.detail("It may not be picked until a supervisor releases it");
    }
    Ok(Outcome::record(feedback, vec![body]))
}
