//! Putaway: scan an item at the receiving location, then the location it
//! goes to; one `storing` event moves it. An unknown location is refused,
//! and a held or recalled lot goes only to a quarantine location.

use super::engine::{Context, Outcome, StepResult, Task, refuse};
use super::feedback::Feedback;
use super::item::{Scanned, describe, identify, locate};
use crate::journal::{EventBody, EventKind, LocationKind, LotState, Product};

/// An open putaway task.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct PutawayTask {
    /// The goods scanned and waiting for their destination.
    load: Option<Load>,
}

/// Goods picked up at the receiving location.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Load {
    product: Product,
    lot: Option<String>,
    expiry: Option<chrono::NaiveDate>,
    quantity: i64,
    /// Held or recalled: only a quarantine location will do.
    restricted: Option<LotState>,
}

/// Opens putaway.
pub(super) fn start(task: &mut Task, ctx: &Context<'_>) -> StepResult<Outcome> {
    *task = Task::Putaway(PutawayTask::default());
    Ok(Outcome::reply(Feedback::ok(format!(
        "Putaway: scan an item at {}",
        ctx.settings.receiving_location
    ))))
}

/// Handles a scan: the item first, then its destination.
pub(super) fn scan(
    task: &mut PutawayTask,
    ctx: &Context<'_>,
    scanned: &Scanned<'_>,
) -> StepResult<Outcome> {
    match task.load.take() {
        None => pick_up(task, ctx, scanned),
        Some(load) => put_down(load, ctx, scanned),
    }
}

/// Drops the scanned item without moving it.
pub(super) fn cancel(task: &mut PutawayTask) -> StepResult<Outcome> {
    match task.load.take() {
        Some(load) => Ok(Outcome::reply(Feedback::ok(format!(
            "Cancelled: {} stays where it is",
            describe(&load.product, load.lot.as_deref())
        )))),
        None => refuse("Nothing to cancel: no item is waiting for a location"),
    }
}

/// Takes the scanned item (its label count, else all of that lot at the
/// receiving location) and asks for the destination.
fn pick_up(
    task: &mut PutawayTask,
    ctx: &Context<'_>,
    scanned: &Scanned<'_>,
) -> StepResult<Outcome> {
    let item = identify(ctx, scanned)?;
    item.require_lot()?;
    let dock = &ctx.settings.receiving_location;
    let report = ctx
        .journal
        .lot_lookup(&item.product.gtin, item.lot.as_deref())?;
    let at_dock = report
        .as_ref()
        .and_then(|r| r.stock.iter().find(|(location, _)| location == dock))
        .map_or(0, |(_, quantity)| *quantity);
    if at_dock <= 0 {
        return refuse(format!("No {} is at {dock} to put away", item.describe()));
    }
    let quantity = item.count.unwrap_or(at_dock);
    if quantity > at_dock {
        return refuse(format!(
            "The label says {quantity} but only {at_dock} of {} are at {dock}",
            item.describe()
        ));
    }
    let (expiry, status) = report.map_or((item.expiry, None), |r| {
        (r.expiry.or(item.expiry), r.status)
    });
    let restricted = status
        .as_ref()
        .map(|s| s.state)
        .filter(|state| matches!(state, LotState::Held | LotState::Recalled));
    let mut feedback = Feedback::ok(format!(
        "Put away {quantity} {} of {}: scan the destination location",
        item.product.unit,
        item.describe()
    ));
    if let Some(state) = restricted {
        let reason = status.and_then(|s| s.reason).unwrap_or_default();
        feedback = feedback.detail(format!(
            "This lot is {} {reason}: only a quarantine location is accepted",
            state.as_str()
        ));
    }
    task.load = Some(Load {
        lot: item.lot,
        expiry,
        product: item.product,
        quantity,
        restricted,
    });
    Ok(Outcome::reply(feedback))
}

/// Moves the load to the scanned location.
fn put_down(load: Load, ctx: &Context<'_>, scanned: &Scanned<'_>) -> StepResult<Outcome> {
    let what = describe(&load.product, load.lot.as_deref());
    if scanned.scan.identity.gtin.is_some() {
        return refuse(format!(
            "Scan the destination location for {what} first, or cancel"
        ));
    }
    let location = locate(ctx, scanned)?;
    let dock = &ctx.settings.receiving_location;
    if &location.code == dock {
        return refuse(format!(
            "{dock} is where {what} already is: scan where it goes"
        ));
    }
    if let Some(state) = load.restricted
        && location.kind != LocationKind::Quarantine
    {
        return refuse(format!(
            "{what} is {}: it may only go to a quarantine location, not {}",
            state.as_str(),
            location.code
        ));
    }
    let feedback = Feedback::ok(format!(
        "Put away {} {} of {what} to {}",
        load.quantity, load.product.unit, location.code
    ));
    let mut body = EventBody::new(ctx.operator, EventKind::Storing);
    body.gtin = Some(load.product.gtin);
    body.unit = load.product.unit;
    body.lot = load.lot;
    body.expiry = load.expiry;
    body.quantity = load.quantity;
    body.from_location = Some(dock.clone());
    body.to_location = Some(location.code);
    Ok(Outcome::record(feedback, vec![body]))
}
