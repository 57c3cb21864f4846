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
use super::outbound_rules;
use crate::journal::{
    EventBody, EventKind, FefoCandidate, Location, LocationKind, OrderLineProgress, Product,
    SalesOrder,
};

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
    task.keyed = None;
    let expected = match first_to_pick(ctx, &item.product, Some(&at.code))? {
        Some(first) if first.lot != item.lot => first.lot.unwrap_or_else(|| "(no lot)".into()),
        _ => {
            let feedback = Feedback::ok(picked(&body, &item.describe()));
            return Ok(Outcome::record(feedback, vec![body]));
        }
    };
    let feedback = Feedback::prompt(
        Ask::Reason,
        format!(
            "{} expires later than lot {expected} (first to expire): give a reason code to pick it anyway, or cancel",
            item.describe()
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

/// Takes the quantity typed on the keypad for the next item scan.
pub(super) fn key_quantity(task: &mut PickTask, quantity: i64) -> StepResult<Outcome> {
    if task.pending.is_some() {
        return refuse("First give the reason code for the pick waiting, or cancel");
    }
    keep_keyed(&mut task.keyed, quantity)
}

/// Closes the current line (the first one still open) short: records a
/// picking event of quantity 0 with the reason, at the scanned location or
/// else the suggested one, and moves guidance on to the next line.
pub(super) fn short(task: &mut PickTask, ctx: &Context<'_>, reason: &str) -> StepResult<Outcome> {
    let reason = reason.trim();
    if reason.is_empty() {
        return refuse("A short pick needs a reason code");
    }
    if task.pending.is_some() {
        return refuse("First give the reason code for the pick waiting, or cancel");
    }
    let Some((line, product)) = current_line(ctx, &task.order)? else {
        return refuse(format!(
            "Nothing is left to pick on order {}",
            task.order.number
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
    let feedback = Feedback::ok(format!(
        "Short pick recorded: {missing} {} of {} not picked, reason {reason}",
        product.unit,
        describe(&product, None)
    ))
    .warn(format!("Order {} will ship short", task.order.number))
    .detail(next_pick_after(ctx, &task.order, Some(&product.gtin))?);
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
        let short = ctx
            .journal
            .short_picks(&order.number)?
            .into_iter()
            .find(|s| s.gtin == product.gtin);
        return refuse(match short {
            Some(short) => format!(
                "The line of {} on order {} was closed short ({}): nothing more is picked for it",
                describe(product, None),
                order.number,
                short.reason
            ),
            None => format!("{what} is already fully picked for order {}", order.number),
        });
    }
    item.require_lot()?;
    let expiry = outbound_rules::check(ctx, product, item.lot.as_deref(), item.expiry, "pick")?;
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
    let here = ctx
        .journal
        .stock_at(&at.code)?
        .into_iter()
        .find(|(gtin, lot, _)| gtin == &product.gtin && *lot == item.lot)
        .map_or(0, |(_, _, quantity)| quantity);
    let quantity = item.count.or(task.keyed).unwrap_or(1);
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
fn next_pick(ctx: &Context<'_>, order: &SalesOrder) -> StepResult<String> {
    next_pick_after(ctx, order, None)
}

/// [`next_pick`], treating `closed` as closed short already (the short
/// being recorded in the same step is not in the journal yet).
fn next_pick_after(
    ctx: &Context<'_>,
    order: &SalesOrder,
    closed: Option<&str>,
) -> StepResult<String> {
    if let Some(line) = open_lines(ctx, order, closed)?.into_iter().next() {
        let open = line.ordered - line.picked;
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
