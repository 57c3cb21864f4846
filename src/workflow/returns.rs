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
use super::words::lot_state;
use crate::journal::{EventBody, EventKind, LocationKind, LotState, LotStatus, Product};
use crate::text;
use crate::text::Text;

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
    restricted: Option<Text>,
    /// The lot is already held or recalled (a local hold would add nothing).
    blocked: bool,
}

impl Returned {
    fn describe(&self) -> Text {
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
            None => {
                return refuse(text!(
                    "Order {number} is not in the sales order list",
                    number
                ));
            }
        },
        None => None,
    };
    let feedback = Feedback::ok(match &order {
        Some(order) => text!("Returns from order {order}: scan a returned item", order),
        None => text!("Returns: scan a returned item"),
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
        return refuse(text!("No returned item is waiting: scan it first"));
    };
    let reason = reason.trim();
    if reason.is_empty() {
        return refuse(text!("Give the reason for the quarantine"));
    }
    let what = item.describe();
    if item.lot.is_none() {
        return refuse(text!(
            "{what} has no lot to hold: scan a quarantine location instead",
            what
        ));
    }
    let dock = &ctx.settings.receiving_location;
    let why = format!("returned: {reason}");
    let mut record = vec![item.inspected(ctx, task.order.as_deref(), dock, &why)];
    let mut feedback = Feedback::ok(text!(
        "Returned {quantity} {unit} of {what} to {location}, lot on hold: {reason}",
        quantity = item.quantity,
        unit = &item.product.unit,
        what,
        location = dock,
        reason
    ));
    if item.blocked {
        feedback = feedback.detail(text!("The lot was already held or recalled"));
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
        feedback.detail(text!(
            "Move it to a quarantine location; a supervisor releases the lot"
        )),
        record,
    ))
}

/// Drops the waiting item without recording it.
pub(super) fn cancel(task: &mut ReturnTask) -> StepResult<Outcome> {
    match task.item.take() {
        Some(item) => Ok(Outcome::reply(Feedback::ok(text!(
            "Cancelled: the return of {what} was not recorded",
            what = item.describe()
        )))),
        None => refuse(text!("Nothing to cancel: no returned item is waiting")),
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
            return refuse(text!(
                "{what} is not on order {order}: check the return",
                what,
                order = number
            ));
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
        text!(
            "Returned {quantity} {unit} of {what}: scan a location to restock it, or quarantine it",
            quantity,
            unit = &item.product.unit,
            what
        ),
    );
    if let Some(state) = &restricted {
        feedback = feedback.detail(text!(
            "The lot is {state}: only a quarantine location, or a quarantine hold, is accepted",
            state
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

/// Why a returned lot may not go back on a pick shelf: `held`,
/// `recalled` or `expired (D)`.
fn restriction(
    status: Option<&LotStatus>,
    expiry: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<Text> {
    match status.map(|s| s.state) {
        Some(state @ (LotState::Held | LotState::Recalled)) => Some(lot_state(state)),
        _ => expiry
            .filter(|e| *e < today)
            .map(|expiry| text!("expired ({expiry})", expiry)),
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
        return refuse(text!(
            "Scan where {what} goes, or quarantine it, or cancel",
            what
        ));
    }
    let location = locate(ctx, scanned)?;
    let quarantined = location.kind == LocationKind::Quarantine;
    if let Some(state) = item.restricted.as_ref().filter(|_| !quarantined) {
        return refuse(text!(
            "{what} is {state}: scan a quarantine location, not {location}",
            what,
            state,
            location = &location.code
        ));
    }
    let (quantity, unit) = (item.quantity, &item.product.unit);
    let (message, why) = if quarantined {
        (
            text!(
                "Returned {quantity} {unit} of {what} to quarantine at {location}",
                quantity,
                unit,
                what,
                location = &location.code
            ),
            "returned: quarantined",
        )
    } else {
        (
            text!(
                "Returned {quantity} {unit} of {what} restocked to {location}",
                quantity,
                unit,
                what,
                location = &location.code
            ),
            "returned: restocked",
        )
    };
    let feedback = Feedback::ok(message);
    let body = item.inspected(ctx, order, &location.code, why);
    Ok(Outcome::record(feedback, vec![body]))
}
