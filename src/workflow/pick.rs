//! Picking a sales order with FEFO guidance: the engine suggests lot and
//! location for the next open line; the picker scans the location, then
//! the item. The suggested lot → ok; another valid lot that expires later
//! → needs a reason code (recorded) and warns; an expired, held or recalled
//! lot, a lot with too little shelf life left for shipment, or the wrong
//! product → block.

use super::engine::{Context, Outcome, StepResult, Task, refuse};
use super::feedback::Feedback;
use super::item::{Item, Scanned, describe, identify, locate};
use crate::journal::{
    EventBody, EventKind, FefoCandidate, Location, LocationKind, LotState, Product, SalesOrder,
};

/// An open picking task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PickTask {
    order: SalesOrder,
    /// The location the picker scanned last.
    at: Option<Location>,
    /// A non-FEFO pick waiting for its reason code.
    pending: Option<Pending>,
}

/// A pick of a later-expiring lot, recorded once a reason is given.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Pending {
    body: EventBody,
    /// How the operator sees the scanned item.
    what: String,
    /// The first-to-expire lot that was not taken.
    expected: String,
}

/// Opens picking for `order` and suggests the first pick.
pub(super) fn start(task: &mut Task, ctx: &Context<'_>, order: &str) -> StepResult<Outcome> {
    let Some(order) = ctx.journal.sales_order(order)? else {
        return refuse(format!("Order {order} is not in the sales order list"));
    };
    let feedback =
        Feedback::ok(format!("Picking order {}", order.number)).detail(next_pick(ctx, &order)?);
    *task = Task::Pick(Box::new(PickTask {
        order,
        at: None,
        pending: None,
    }));
    Ok(Outcome::reply(feedback))
}

/// Handles a scan: a location label moves the picker there; a product
/// label is checked against the order and the lot rules.
pub(super) fn scan(
    task: &mut PickTask,
    ctx: &Context<'_>,
    scanned: &Scanned<'_>,
) -> StepResult<Outcome> {
    if let Some(pending) = &task.pending {
        return refuse(format!(
            "First give a reason code for not picking lot {}, or cancel",
            pending.expected
        ));
    }
    if scanned.scan.identity.gtin.is_none() {
        let location = locate(ctx, scanned)?;
        let feedback = Feedback::ok(format!("At {}: scan the item", location.code));
        task.at = Some(location);
        return Ok(Outcome::reply(feedback));
    }
    let Some(at) = &task.at else {
        return refuse("Scan the location first, then the item");
    };
    let item = identify(ctx, scanned)?;
    let body = checked_pick(task, ctx, at, &item)?;
    let expected = match first_to_pick(ctx, &item.product, Some(&at.code))? {
        Some(first) if first.lot != item.lot => first.lot.unwrap_or_else(|| "(no lot)".into()),
        _ => {
            let feedback = Feedback::ok(picked(&body, &item.describe()));
            return Ok(Outcome::record(feedback, vec![body]));
        }
    };
    let feedback = Feedback::prompt(format!(
        "{} expires later than lot {expected} (first to expire): give a reason code to pick it anyway, or cancel",
        item.describe()
    ));
    task.pending = Some(Pending {
        body,
        what: item.describe(),
        expected,
    });
    Ok(Outcome::reply(feedback))
}

/// Records the waiting non-FEFO pick with the reason code.
pub(super) fn reason(task: &mut PickTask, code: &str) -> StepResult<Outcome> {
    let code = code.trim();
    if code.is_empty() {
        return refuse("The reason code is empty");
    }
    let Some(Pending {
        mut body,
        what,
        expected,
    }) = task.pending.take()
    else {
        return refuse("No reason code is being asked for");
    };
    body.reason = Some(code.to_owned());
    let feedback = Feedback::ok(picked(&body, &what)).warn(format!(
        "Not the first-to-expire lot {expected}: reason {code}"
    ));
    Ok(Outcome::record(feedback, vec![body]))
}

/// Drops the pick waiting for a reason code.
pub(super) fn cancel(task: &mut PickTask) -> StepResult<Outcome> {
    match task.pending.take() {
        Some(pending) => Ok(Outcome::reply(Feedback::ok(format!(
            "Cancelled: put {} back; nothing was picked",
            pending.what
        )))),
        None => refuse("Nothing to cancel: no pick is waiting"),
    }
}

/// The picking event for `item` at `at`, once the order and lot rules
/// allow it.
fn checked_pick(
    task: &PickTask,
    ctx: &Context<'_>,
    at: &Location,
    item: &Item,
) -> StepResult<EventBody> {
    let order = &task.order;
    let product = &item.product;
    let what = item.describe();
    let open = open_quantity(ctx, order, &product.gtin)?;
    let Some(open) = open else {
        return refuse(format!(
            "Wrong product: {what} is not on order {}",
            order.number
        ));
    };
    if open <= 0 {
        return refuse(format!(
            "{what} is already fully picked for order {}",
            order.number
        ));
    }
    item.require_lot()?;
    let report = ctx.journal.lot_lookup(&product.gtin, item.lot.as_deref())?;
    let status = report.as_ref().and_then(|r| r.status.as_ref());
    if let Some(state) = status
        .map(|s| s.state)
        .filter(|s| matches!(s, LotState::Held | LotState::Recalled))
    {
        return refuse(format!("{what} is {}: do not pick it", state.as_str()));
    }
    let expiry = report.as_ref().and_then(|r| r.expiry).or(item.expiry);
    if let Some(expiry) = expiry {
        let left = (expiry - ctx.today).num_days();
        if left < 0 {
            return refuse(format!("{what} expired on {expiry}: do not pick it"));
        }
        if let Some(min) = product.min_shelf_life_shipment_days
            && left < i64::from(min)
        {
            return refuse(format!(
                "{what} expires {expiry}: {left} days left, {min} required at shipment"
            ));
        }
    }
    if matches!(
        at.kind,
        LocationKind::Quarantine | LocationKind::Staging | LocationKind::Shipping
    ) {
        return refuse(format!(
            "Stock at {} ({}) is not for picking",
            at.code,
            at.kind.as_str()
        ));
    }
    let here = report
        .as_ref()
        .and_then(|r| r.stock.iter().find(|(code, _)| code == &at.code))
        .map_or(0, |(_, quantity)| *quantity);
    let quantity = item.count.unwrap_or(1);
    if quantity > open {
        return refuse(format!(
            "Only {open} of {what} are still to pick for order {}",
            order.number
        ));
    }
    if quantity > here {
        return refuse(format!("Only {here} of {what} are at {}", at.code));
    }
    let mut body = EventBody::new(ctx.operator, EventKind::Picking);
    body.gtin = Some(product.gtin.clone());
    body.unit = product.unit.clone();
    body.lot = item.lot.clone();
    body.expiry = expiry;
    body.quantity = quantity;
    body.from_location = Some(at.code.clone());
    body.sales_order = Some(order.number.clone());
    Ok(body)
}

/// Ordered minus picked for `gtin` on the order; None when not ordered.
fn open_quantity(ctx: &Context<'_>, order: &SalesOrder, gtin: &str) -> StepResult<Option<i64>> {
    let progress = ctx.journal.sales_order_progress(&order.number)?;
    Ok(progress
        .iter()
        .find(|line| line.gtin == gtin && line.ordered > 0)
        .map(|line| line.ordered - line.picked))
}

/// The FEFO candidate to pick first: earliest expiry first (see
/// [`crate::journal::Journal::fefo_candidates`]), skipping lots with less
/// shelf life left than the product's minimum at shipment.
fn first_to_pick(
    ctx: &Context<'_>,
    product: &Product,
    near: Option<&str>,
) -> StepResult<Option<FefoCandidate>> {
    let min = product.min_shelf_life_shipment_days.map_or(0, i64::from);
    Ok(ctx
        .journal
        .fefo_candidates(&product.gtin, ctx.today, near)?
        .into_iter()
        .find(|c| c.expiry.is_none_or(|e| (e - ctx.today).num_days() >= min)))
}

/// What to pick next: the first open line and its FEFO lot and location.
fn next_pick(ctx: &Context<'_>, order: &SalesOrder) -> StepResult<String> {
    for line in ctx.journal.sales_order_progress(&order.number)? {
        let open = line.ordered - line.picked;
        if open <= 0 {
            continue;
        }
        let Some(product) = ctx.journal.product(&line.gtin)? else {
            return Ok(format!(
                "Next: {open} of GTIN {}, which is not in the product list",
                line.gtin
            ));
        };
        let name = describe(&product, None);
        let Some(first) = first_to_pick(ctx, &product, None)? else {
            return Ok(format!("Next: {open} of {name}: no pickable stock"));
        };
        let lot = first.lot.as_deref().unwrap_or("(no lot)");
        let expiry = first
            .expiry
            .map(|d| format!(", expires {d}"))
            .unwrap_or_default();
        return Ok(format!(
            "Next: {open} of {name}: lot {lot} at {}{expiry}",
            first.location
        ));
    }
    Ok(format!("Order {} is fully picked", order.number))
}

/// The message for a recorded pick of `what`.
fn picked(body: &EventBody, what: &str) -> String {
    format!(
        "Picked {} {} of {what} from {}",
        body.quantity,
        body.unit,
        body.from_location.as_deref().unwrap_or("-")
    )
}
