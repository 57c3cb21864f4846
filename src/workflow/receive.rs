//! Receiving at the dock, against a purchase order or blind: each product
//! label becomes a `receiving` event at the receiving location, with the
//! lot and expiry from the label, from the keypad, or (lot only) from the
//! site's lot pattern.
//!
//! Rules: an unknown GTIN is refused; a lot-tracked product without a lot
//! (or an expiry-tracked one without expiry) prompts for them; too little
//! shelf life left warns or refuses as configured; more than the PO line
//! ordered warns.

use super::engine::{Context, Outcome, StepResult, Stop, Task, refuse};
use super::feedback::Feedback;
use super::item::{Item, Scanned, identify};
use super::manual_entry::{parse_expiry, validate_lot};
use super::settings::ShortShelfLife;
use crate::journal::{EventBody, EventKind, PurchaseOrder};

/// An open receiving task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ReceiveTask {
    /// The purchase order being received, None for blind receiving.
    po: Option<PurchaseOrder>,
    /// An item waiting for its lot / expiry to be typed.
    pending: Option<Item>,
}

/// Opens receiving (against `po` if given) once the receiving location is
/// known to exist.
pub(super) fn start(task: &mut Task, ctx: &Context<'_>, po: Option<&str>) -> StepResult<Outcome> {
    let dock = &ctx.settings.receiving_location;
    if ctx.journal.location(dock)?.is_none() {
        return refuse(format!(
            "The receiving location {dock} is not in the location list: check the terminal's settings"
        ));
    }
    let po = po.map(|number| find_po(ctx, number)).transpose()?;
    let feedback = match &po {
        Some(po) => against_po(po),
        None => Feedback::ok("Blind receiving: scan the items (or the PO barcode)"),
    };
    *task = Task::Receive(ReceiveTask { po, pending: None });
    Ok(Outcome::reply(feedback))
}

/// Handles a scan while receiving: a PO barcode (AI 400 or the number as
/// text) switches to that PO; a product label is received.
pub(super) fn scan(
    task: &mut ReceiveTask,
    ctx: &Context<'_>,
    scanned: &Scanned<'_>,
) -> StepResult<Outcome> {
    if let Some(item) = &task.pending {
        return refuse(format!(
            "First enter the lot / expiry of {}, or cancel it",
            item.describe()
        ));
    }
    let order_number = scanned.scan.identity.order_number.as_deref();
    if let Some(number) = order_number.or(scanned.is_text().then(|| scanned.label())) {
        if order_number.is_none() && ctx.journal.purchase_order(number)?.is_none() {
            return refuse(format!(
                "{number:?} is neither a product barcode nor a known PO number"
            ));
        }
        let po = find_po(ctx, number)?;
        let feedback = against_po(&po);
        task.po = Some(po);
        return Ok(Outcome::reply(feedback));
    }
    let item = identify(ctx, scanned)?;
    let mut missing = Vec::new();
    if item.product.lot_tracked && item.lot.is_none() {
        missing.push("lot");
    }
    if item.product.expiry_tracked && item.expiry.is_none() {
        missing.push("expiry (YYYY-MM-DD)");
    }
    if missing.is_empty() {
        return record(task, ctx, item, false);
    }
    let mut feedback = Feedback::prompt(format!(
        "Enter the {} of {}: not on the label",
        missing.join(" and "),
        item.describe()
    ));
    if item.lot.is_none() && item.product.lot_tracked {
        feedback = feedback.detail("Leave the lot empty to have one assigned");
    }
    task.pending = Some(item);
    Ok(Outcome::reply(feedback))
}

/// Completes the pending item with a typed lot and / or expiry; a missing
/// lot is assigned from the lot pattern.
pub(super) fn enter_lot(
    task: &mut ReceiveTask,
    ctx: &Context<'_>,
    lot: Option<String>,
    expiry: Option<String>,
) -> StepResult<Outcome> {
    let Some(mut item) = task.pending.take() else {
        return refuse("No lot or expiry is being asked for");
    };
    let mut assigned = false;
    match (&item.lot, lot) {
        (Some(on_label), Some(_)) => {
            return refuse(format!(
                "The label already gives lot {on_label}; enter only what was asked"
            ));
        }
        (None, Some(typed)) => {
            validate_lot(&typed).or_else(|why| refuse(format!("Not accepted: {why}")))?;
            item.lot = Some(typed);
        }
        (None, None) if item.product.lot_tracked => {
            item.lot = Some(assign_lot(ctx, &item)?);
            assigned = true;
        }
        _ => {}
    }
    match (item.expiry, expiry) {
        (Some(on_label), Some(_)) => {
            return refuse(format!(
                "The label already gives expiry {on_label}; enter only what was asked"
            ));
        }
        (None, Some(typed)) => {
            item.expiry =
                Some(parse_expiry(&typed).or_else(|why| refuse(format!("Not accepted: {why}")))?);
        }
        (None, None) if item.product.expiry_tracked => {
            return refuse(format!(
                "{} needs an expiry date (YYYY-MM-DD)",
                item.product.description
            ));
        }
        _ => {}
    }
    record(task, ctx, item, assigned)
}

/// Drops the item waiting for its lot.
pub(super) fn cancel(task: &mut ReceiveTask) -> StepResult<Outcome> {
    match task.pending.take() {
        Some(item) => Ok(Outcome::reply(Feedback::ok(format!(
            "Cancelled: {} was not received",
            item.describe()
        )))),
        None => refuse("Nothing to cancel: no item is waiting"),
    }
}

/// The PO with this number, or a refusal naming it.
fn find_po(ctx: &Context<'_>, number: &str) -> StepResult<PurchaseOrder> {
    match ctx.journal.purchase_order(number)? {
        Some(po) => Ok(po),
        None => refuse(format!("PO {number} is not in the purchase order list")),
    }
}

fn against_po(po: &PurchaseOrder) -> Feedback {
    let lines = match po.lines.len() {
        1 => "1 line".to_owned(),
        n => format!("{n} lines"),
    };
    Feedback::ok(format!(
        "Receiving against PO {} ({lines}): scan the items",
        po.number
    ))
}

/// The first free lot number of today's pattern for this product.
fn assign_lot(ctx: &Context<'_>, item: &Item) -> StepResult<String> {
    let gtin = &item.product.gtin;
    let free = ctx.settings.lot_pattern.first_free(ctx.today, |lot| {
        Ok::<_, Stop>(ctx.journal.lot_lookup(gtin, Some(lot))?.is_some())
    })?;
    match free {
        Some(lot) => Ok(lot),
        None => refuse("Every lot number of today's lot pattern is used: type a lot number"),
    }
}

/// Checks shelf life and the PO line, then asks for the receipt event.
fn record(
    task: &mut ReceiveTask,
    ctx: &Context<'_>,
    item: Item,
    assigned: bool,
) -> StepResult<Outcome> {
    let product = &item.product;
    let quantity = item.count.unwrap_or(1);
    let dock = &ctx.settings.receiving_location;
    let mut feedback = Feedback::ok(format!(
        "Received {quantity} {} of {} to {dock}",
        product.unit,
        item.describe()
    ));
    if let (Some(lot), true) = (&item.lot, assigned) {
        feedback = feedback.detail(format!("Lot {lot} assigned: write it on the goods"));
    }
    if let (Some(min), Some(expiry)) = (product.min_shelf_life_receipt_days, item.expiry) {
        let left = (expiry - ctx.today).num_days();
        if left < i64::from(min) {
            let why = format!(
                "{} expires {expiry}: {left} days of shelf life left, {min} required at receipt",
                item.describe()
            );
            match ctx.settings.short_shelf_life {
                ShortShelfLife::Warn => feedback = feedback.warn(why),
                ShortShelfLife::Block => return refuse(format!("Refused: {why}")),
            }
        }
    }
    if let Some(po) = &task.po {
        let progress = ctx.journal.purchase_order_progress(&po.number)?;
        let line = progress.iter().find(|line| line.gtin == product.gtin);
        let (ordered, received) = line.map_or((0, 0), |l| (l.ordered, l.received));
        if ordered == 0 {
            feedback = feedback.warn(format!("{} is not on PO {}", product.gtin, po.number));
        } else if received + quantity > ordered {
            feedback = feedback.warn(format!(
                "Over-receipt on PO {}: {ordered} ordered, {} received with this one",
                po.number,
                received + quantity
            ));
        }
    }
    let mut body = EventBody::new(ctx.operator, EventKind::Receiving);
    body.gtin = Some(product.gtin.clone());
    body.unit = product.unit.clone();
    body.quantity = quantity;
    body.to_location = Some(dock.clone());
    body.purchase_order = task.po.as_ref().map(|po| po.number.clone());
    body.lot = item.lot;
    body.expiry = item.expiry;
    body.serial = item.serial;
    body.sscc = item.sscc;
    Ok(Outcome::record(feedback, vec![body]))
}
