//! Returns from customers: scan the returned item (optionally after naming
//! the sales order), inspect it, then either restock it (scan the location
//! it goes to) or quarantine it (scan a quarantine location, or hold the
//! whole lot locally with a reason while the goods wait at the receiving
//! location). Each outcome records one `inspecting` event bringing the
//! goods back into stock; a local hold adds a `holding` event.

use chrono::NaiveDate;

use super::engine::{Context, Outcome, StepResult, Task, refuse};
use super::feedback::{Ask, Feedback};
use super::item::{Scanned, describe, identify, locate};
use crate::journal::{EventBody, EventKind, LocationKind, LotState, LotStatus, Product};

/// An open returns task.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct ReturnTask {
    /// The sales order the goods come back from, if known.
    order: Option<String>,
    /// The returned item waiting for its inspection outcome.
    item: Option<Returned>,
}

/// A returned item being inspected.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Returned {
    product: Product,
    lot: Option<String>,
    expiry: Option<NaiveDate>,
    quantity: i64,
    /// Why it may not go back on a pick shelf: held, recalled or expired.
    restricted: Option<String>,
    /// The lot is already held or recalled (a local hold would add nothing).
    blocked: bool,
}

impl Returned {
    fn describe(&self) -> String {
        describe(&self.product, self.lot.as_deref())
    }

    /// The `inspecting` event bringing the goods into `to`.
    fn inspected(&self, ctx: &Context<'_>, order: Option<&str>, to: &str, why: &str) -> EventBody {
        let mut body = EventBody::new(ctx.operator, EventKind::Inspecting);
        body.gtin = Some(self.product.gtin.clone());
        body.unit = self.product.unit.clone();
        body.lot = self.lot.clone();
        body.expiry = self.expiry;
        body.quantity = self.quantity;
        body.to_location = Some(to.to_owned());
        body.sales_order = order.map(str::to_owned);
        body.reason = Some(why.to_owned());
        body
    }
}

/// Opens returns, from `order` if given (it must be a known sales order).
pub(super) fn start(
    task: &mut Task,
    ctx: &Context<'_>,
    order: Option<&str>,
) -> StepResult<Outcome> {
    let order = match order {
        Some(number) => match ctx.journal.sales_order(number)? {
            Some(order) => Some(order.number),
            None => return refuse(format!("Order {number} is not in the sales order list")),
        },
        None => None,
    };
    let feedback = Feedback::ok(match &order {
        Some(number) => format!("Returns from order {number}: scan a returned item"),
        None => "Returns: scan a returned item".to_owned(),
    });
    *task = Task::Return(ReturnTask { order, item: None });
    Ok(Outcome::reply(feedback))
}

/// Handles a scan: the returned item first, then the location it goes to.
pub(super) fn scan(
    task: &mut ReturnTask,
    ctx: &Context<'_>,
    scanned: &Scanned<'_>,
) -> StepResult<Outcome> {
    match task.item.take() {
        None => inspect(task, ctx, scanned),
        Some(item) => put(&item, task.order.as_deref(), ctx, scanned),
    }
}

/// Quarantines the waiting item by holding its lot locally: the goods stay
/// at the receiving location, and the lot may not be picked until a
/// supervisor releases it.
pub(super) fn quarantine(
    task: &mut ReturnTask,
    ctx: &Context<'_>,
    reason: &str,
) -> StepResult<Outcome> {
    let Some(item) = task.item.take() else {
        return refuse("No returned item is waiting: scan it first");
    };
    let reason = reason.trim();
    if reason.is_empty() {
        return refuse("Give the reason for the quarantine");
    }
    let what = item.describe();
    if item.lot.is_none() {
        return refuse(format!(
            "{what} has no lot to hold: scan a quarantine location instead"
        ));
    }
    let dock = &ctx.settings.receiving_location;
    let why = format!("returned: {reason}");
    let mut record = vec![item.inspected(ctx, task.order.as_deref(), dock, &why)];
    let mut feedback = Feedback::ok(format!(
        "Returned {} {} of {what} to {dock}, lot on hold: {reason}",
        item.quantity, item.product.unit
    ));
    if item.blocked {
        feedback = feedback.detail("The lot was already held or recalled");
    } else {
        let mut hold = EventBody::new(ctx.operator, EventKind::Holding);
        hold.gtin = Some(item.product.gtin.clone());
        hold.unit = item.product.unit.clone();
        hold.lot = item.lot.clone();
        hold.expiry = item.expiry;
        hold.quantity = item.quantity;
        hold.reason = Some(why);
        record.push(hold);
    }
    Ok(Outcome::record(
        feedback.detail("Move it to a quarantine location; a supervisor releases the lot"),
        record,
    ))
}

/// Drops the waiting item without recording it.
pub(super) fn cancel(task: &mut ReturnTask) -> StepResult<Outcome> {
    match task.item.take() {
        Some(item) => Ok(Outcome::reply(Feedback::ok(format!(
            "Cancelled: the return of {} was not recorded",
            item.describe()
        )))),
        None => refuse("Nothing to cancel: no returned item is waiting"),
    }
}

/// Takes the returned item (its label count, else one) and asks for the
/// outcome of the inspection.
fn inspect(task: &mut ReturnTask, ctx: &Context<'_>, scanned: &Scanned<'_>) -> StepResult<Outcome> {
    let item = identify(ctx, scanned)?;
    item.require_lot()?;
    let what = item.describe();
    if let Some(number) = &task.order {
        let on_order = ctx
            .journal
            .sales_order(number)?
            .is_some_and(|o| o.lines.iter().any(|l| l.gtin == item.product.gtin));
        if !on_order {
            return refuse(format!("{what} is not on order {number}: check the return"));
        }
    }
    let report = ctx
        .journal
        .lot_lookup(&item.product.gtin, item.lot.as_deref())?;
    let expiry = report.and_then(|r| r.expiry).or(item.expiry);
    let status = ctx
        .journal
        .lot_status(&item.product.gtin, item.lot.as_deref())?;
    let blocked = status
        .as_ref()
        .is_some_and(|s| matches!(s.state, LotState::Held | LotState::Recalled));
    let restricted = restriction(status.as_ref(), expiry, ctx.today);
    let quantity = item.count.unwrap_or(1);
    let mut feedback = Feedback::prompt(
        Ask::ReturnOutcome,
        format!(
            "Returned {quantity} {} of {what}: scan a location to restock it, or quarantine it",
            item.product.unit
        ),
    );
    if let Some(why) = &restricted {
        feedback = feedback.detail(format!(
            "The lot is {why}: only a quarantine location, or a quarantine hold, is accepted"
        ));
    }
    task.item = Some(Returned {
        product: item.product,
        lot: item.lot,
        expiry,
        quantity,
        restricted,
        blocked,
    });
    Ok(Outcome::reply(feedback))
}

/// Why a returned lot may not go back on a pick shelf.
fn restriction(
    status: Option<&LotStatus>,
    expiry: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<String> {
    match status.map(|s| s.state) {
        Some(state @ (LotState::Held | LotState::Recalled)) => Some(state.as_str().to_owned()),
        _ => expiry
            .filter(|e| *e < today)
            .map(|e| format!("expired ({e})")),
    }
}

/// Restocks the item to the scanned location, or quarantines it there.
fn put(
    item: &Returned,
    order: Option<&str>,
    ctx: &Context<'_>,
    scanned: &Scanned<'_>,
) -> StepResult<Outcome> {
    let what = item.describe();
    if scanned.scan.identity.gtin.is_some() {
        return refuse(format!(
            "Scan where {what} goes, or quarantine it, or cancel"
        ));
    }
    let location = locate(ctx, scanned)?;
    let quarantined = location.kind == LocationKind::Quarantine;
    if let Some(why) = item.restricted.as_ref().filter(|_| !quarantined) {
        return refuse(format!(
            "{what} is {why}: scan a quarantine location, not {}",
            location.code
        ));
    }
    let (message, why) = if quarantined {
        ("to quarantine at", "returned: quarantined")
    } else {
        ("restocked to", "returned: restocked")
    };
    let feedback = Feedback::ok(format!(
        "Returned {} {} of {what} {message} {}",
        item.quantity, item.product.unit, location.code
    ));
    let body = item.inspected(ctx, order, &location.code, why);
    Ok(Outcome::record(feedback, vec![body]))
}
