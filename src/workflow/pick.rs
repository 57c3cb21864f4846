//! Picking a sales order with FEFO guidance: the engine suggests lot and
//! location for the next open line; the picker scans the location, then
//! the item. The suggested lot → ok; another valid lot that expires later
//! → needs a reason code (recorded) and warns; an expired, held or recalled
//! lot, a lot with too little shelf life left for shipment, or the wrong
//! product → block. The quantity comes from the label (AI 30/37) or the
//! keypad (else one); picked goods move to the packing location. A line
//! that cannot be filled is closed short with a reason code (a picking
//! event of quantity 0), and guidance moves on to the next line.

use super::engine::{Context, Outcome, StepResult, Task, refuse};
use super::feedback::{Ask, Feedback};
use super::item::{Item, Scanned, describe, identify, keep_keyed, locate};
use super::outbound_rules::{self, lot_or_none};
use crate::journal::{
    EventBody, EventKind, FefoCandidate, Location, LocationKind, OrderLineProgress, Product,
    SalesOrder,
};
use crate::text;
use crate::text::{Arg, Text};

/// An open picking task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PickTask {
    order: SalesOrder,
    /// The location the picker scanned last.
    at: Option<Location>,
    /// A non-FEFO pick waiting for its reason code.
    pending: Option<Pending>,
    /// Quantity typed on the keypad for the next item scan.
    keyed: Option<i64>,
}

/// A pick of a later-expiring lot, recorded once a reason is given.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Pending {
    body: EventBody,
    /// How the operator sees the scanned item.
    what: Text,
    /// The first-to-expire lot that was not taken (or "(no lot)").
    expected: Arg,
}

/// Opens picking for `order` and suggests the first pick.
pub(super) fn start(task: &mut Task, ctx: &Context<'_>, order: &str) -> StepResult<Outcome> {
    let Some(order) = ctx.journal.sales_order(order)? else {
        return refuse(text!("Order {order} is not in the sales order list", order));
    };
    let feedback = Feedback::ok(text!("Picking order {order}", order = &order.number))
        .detail(next_pick(ctx, &order)?);
    *task = Task::Pick(Box::new(PickTask {
        order,
        at: None,
        pending: None,
        keyed: None,
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
        return refuse(text!(
            "First give a reason code for not picking lot {lot}, or cancel",
            lot = pending.expected.clone()
        ));
    }
    if scanned.scan.identity.gtin.is_none() {
        let location = locate(ctx, scanned)?;
        let feedback = Feedback::ok(text!(
            "At {location}: scan the item",
            location = &location.code
        ));
        task.at = Some(location);
        return Ok(Outcome::reply(feedback));
    }
    let Some(at) = &task.at else {
        return refuse(text!("Scan the location first, then the item"));
    };
    let item = identify(ctx, scanned)?;
    let body = checked_pick(task, ctx, at, &item)?;
    task.keyed = None;
    let expected = match first_to_pick(ctx, &item.product, Some(&at.code))? {
        Some(first) if first.lot != item.lot => lot_or_none(first.lot.as_deref()),
        _ => {
            let feedback = Feedback::ok(picked(&body, &item.describe()));
            return Ok(Outcome::record(feedback, vec![body]));
        }
    };
    let feedback = Feedback::prompt(
        Ask::Reason,
        text!(
            "{what} expires later than lot {lot} (first to expire): give a reason code to pick it anyway, or cancel",
            what = item.describe(),
            lot = expected.clone()
        ),
    );
    task.pending = Some(Pending {
        body,
        what: item.describe(),
        expected,
    });
    Ok(Outcome::reply(feedback))
}

/// The order being picked.
pub(super) fn order(task: &PickTask) -> &SalesOrder {
    &task.order
}

/// Records the waiting non-FEFO pick with the reason code.
pub(super) fn reason(task: &mut PickTask, code: &str) -> StepResult<Outcome> {
    let code = code.trim();
    if code.is_empty() {
        return refuse(text!("The reason code is empty"));
    }
    let Some(Pending {
        mut body,
        what,
        expected,
    }) = task.pending.take()
    else {
        return refuse(text!("No reason code is being asked for"));
    };
    body.reason = Some(code.to_owned());
    let feedback = Feedback::ok(picked(&body, &what)).warn(text!(
        "Not the first-to-expire lot {lot}: reason {code}",
        lot = expected,
        code
    ));
    Ok(Outcome::record(feedback, vec![body]))
}

/// Takes the quantity typed on the keypad for the next item scan.
pub(super) fn key_quantity(task: &mut PickTask, quantity: i64) -> StepResult<Outcome> {
    if task.pending.is_some() {
        return refuse(text!(
            "First give the reason code for the pick waiting, or cancel"
        ));
    }
    keep_keyed(&mut task.keyed, quantity)
}

/// Closes the current line (the first one still open) short: records a
/// picking event of quantity 0 with the reason, at the scanned location or
/// else the suggested one, and moves guidance on to the next line.
pub(super) fn short(task: &mut PickTask, ctx: &Context<'_>, reason: &str) -> StepResult<Outcome> {
    let reason = reason.trim();
    if reason.is_empty() {
        return refuse(text!("A short pick needs a reason code"));
    }
    if task.pending.is_some() {
        return refuse(text!(
            "First give the reason code for the pick waiting, or cancel"
        ));
    }
    let Some((line, product)) = current_line(ctx, &task.order)? else {
        return refuse(text!(
            "Nothing is left to pick on order {order}",
            order = &task.order.number
        ));
    };
    let location = match &task.at {
        Some(at) => at.code.clone(),
        None => first_to_pick(ctx, &product, None)?
            .map_or_else(|| ctx.settings.receiving_location.clone(), |c| c.location),
    };
    let missing = line.ordered - line.picked;
    let mut body = EventBody::new(ctx.operator, EventKind::Picking);
    body.gtin = Some(product.gtin.clone());
    body.unit = product.unit.clone();
    body.quantity = 0;
    body.from_location = Some(location);
    body.sales_order = Some(task.order.number.clone());
    body.reason = Some(reason.to_owned());
    task.keyed = None;
    let feedback = Feedback::ok(text!(
        "Short pick recorded: {quantity} {unit} of {what} not picked, reason {reason}",
        quantity = missing,
        unit = &product.unit,
        what = describe(&product, None),
        reason
    ))
    .warn(text!(
        "Order {order} will ship short",
        order = &task.order.number
    ))
    .detail(next_pick_after(ctx, &task.order, Some(&product.gtin))?);
    Ok(Outcome::record(feedback, vec![body]))
}

/// Drops the pick waiting for a reason code.
pub(super) fn cancel(task: &mut PickTask) -> StepResult<Outcome> {
    match task.pending.take() {
        Some(pending) => Ok(Outcome::reply(Feedback::ok(text!(
            "Cancelled: put {what} back; nothing was picked",
            what = pending.what
        )))),
        None => refuse(text!("Nothing to cancel: no pick is waiting")),
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
        return refuse(text!(
            "Wrong product: {what} is not on order {order}",
            what,
            order = &order.number
        ));
    };
    if open <= 0 {
        let short = ctx
            .journal
            .short_picks(&order.number)?
            .into_iter()
            .find(|s| s.gtin == product.gtin);
        return refuse(match short {
            Some(short) => text!(
                "The line of {what} on order {order} was closed short ({reason}): nothing more is picked for it",
                what = describe(product, None),
                order = &order.number,
                reason = short.reason
            ),
            None => text!(
                "{what} is already fully picked for order {order}",
                what,
                order = &order.number
            ),
        });
    }
    item.require_lot()?;
    let expiry = outbound_rules::check(
        ctx,
        product,
        item.lot.as_deref(),
        item.expiry,
        text!("pick"),
    )?;
    let location = &at.code;
    let not_for_picking = match at.kind {
        LocationKind::Quarantine => Some(text!(
            "Stock at {location} (quarantine) is not for picking",
            location
        )),
        LocationKind::Staging => Some(text!(
            "Stock at {location} (staging) is not for picking",
            location
        )),
        LocationKind::Shipping => Some(text!(
            "Stock at {location} (shipping) is not for picking",
            location
        )),
        LocationKind::Dock | LocationKind::Shelf => None,
    };
    if let Some(why) = not_for_picking {
        return refuse(why);
    }
    let here = ctx
        .journal
        .stock_at(&at.code)?
        .into_iter()
        .find(|(gtin, lot, _)| gtin == &product.gtin && *lot == item.lot)
        .map_or(0, |(_, _, quantity)| quantity);
    let quantity = item.count.or(task.keyed).unwrap_or(1);
    if quantity > open {
        return refuse(text!(
            "Only {quantity} of {what} are still to pick for order {order}",
            quantity = open,
            what,
            order = &order.number
        ));
    }
    if quantity > here {
        return refuse(text!(
            "Only {quantity} of {what} are at {location}",
            quantity = here,
            what,
            location
        ));
    }
    let mut body = EventBody::new(ctx.operator, EventKind::Picking);
    body.gtin = Some(product.gtin.clone());
    body.unit = product.unit.clone();
    body.lot = item.lot.clone();
    body.expiry = expiry;
    body.quantity = quantity;
    body.from_location = Some(at.code.clone());
    body.to_location = Some(ctx.settings.packing_location.clone());
    body.sales_order = Some(order.number.clone());
    Ok(body)
}

/// Ordered minus picked for `gtin` on the order (0 once closed short);
/// None when not ordered.
fn open_quantity(ctx: &Context<'_>, order: &SalesOrder, gtin: &str) -> StepResult<Option<i64>> {
    let progress = ctx.journal.sales_order_progress(&order.number)?;
    let Some(line) = progress
        .iter()
        .find(|line| line.gtin == gtin && line.ordered > 0)
    else {
        return Ok(None);
    };
    let shorted = ctx
        .journal
        .short_picks(&order.number)?
        .iter()
        .any(|s| s.gtin == gtin);
    Ok(Some(if shorted {
        0
    } else {
        line.ordered - line.picked
    }))
}

/// The first line of the order still open (not fully picked, not closed
/// short), with its product; None when everything is picked or short.
fn current_line(
    ctx: &Context<'_>,
    order: &SalesOrder,
) -> StepResult<Option<(OrderLineProgress, Product)>> {
    for line in open_lines(ctx, order, None)? {
        if let Some(product) = ctx.journal.product(&line.gtin)? {
            return Ok(Some((line, product)));
        }
    }
    Ok(None)
}

/// The order's lines still to pick, in order: not fully picked, not closed
/// short, and not `closed` (a short being recorded in this very step).
fn open_lines(
    ctx: &Context<'_>,
    order: &SalesOrder,
    closed: Option<&str>,
) -> StepResult<Vec<OrderLineProgress>> {
    let shorts = ctx.journal.short_picks(&order.number)?;
    let mut lines = ctx.journal.sales_order_progress(&order.number)?;
    lines.retain(|line| {
        line.ordered > line.picked
            && closed != Some(line.gtin.as_str())
            && !shorts.iter().any(|s| s.gtin == line.gtin)
    });
    Ok(lines)
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
fn next_pick(ctx: &Context<'_>, order: &SalesOrder) -> StepResult<Text> {
    next_pick_after(ctx, order, None)
}

/// [`next_pick`], treating `closed` as closed short already (the short
/// being recorded in the same step is not in the journal yet).
fn next_pick_after(
    ctx: &Context<'_>,
    order: &SalesOrder,
    closed: Option<&str>,
) -> StepResult<Text> {
    if let Some(line) = open_lines(ctx, order, closed)?.into_iter().next() {
        let open = line.ordered - line.picked;
        let Some(product) = ctx.journal.product(&line.gtin)? else {
            return Ok(text!(
                "Next: {quantity} of GTIN {gtin}, which is not in the product list",
                quantity = open,
                gtin = &line.gtin
            ));
        };
        let what = describe(&product, None);
        let Some(first) = first_to_pick(ctx, &product, None)? else {
            return Ok(text!(
                "Next: {quantity} of {what}: no pickable stock",
                quantity = open,
                what
            ));
        };
        let lot = lot_or_none(first.lot.as_deref());
        let location = &first.location;
        return Ok(match first.expiry {
            Some(expiry) => text!(
                "Next: {quantity} of {what}: lot {lot} at {location}, expires {expiry}",
                quantity = open,
                what,
                lot,
                location,
                expiry
            ),
            None => text!(
                "Next: {quantity} of {what}: lot {lot} at {location}",
                quantity = open,
                what,
                lot,
                location
            ),
        });
    }
    Ok(text!(
        "Order {order} is fully picked",
        order = &order.number
    ))
}

/// The message for a recorded pick of `what`.
fn picked(body: &EventBody, what: &Text) -> Text {
    text!(
        "Picked {quantity} {unit} of {what} from {location}",
        quantity = body.quantity,
        unit = &body.unit,
        what,
        location = body.from_location.as_deref().unwrap_or("-")
    )
}
