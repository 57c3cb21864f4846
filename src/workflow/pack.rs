//! Packing a picked order into cartons identified by SSCC: scan a carton
//! label (AI 00) or create a carton number when the station has no labels,
//! scan the picked items into it, close it. Every item is checked against
//! what was picked for the order, lot by lot: another product, another lot
//! or more than was picked → block, as is a lot that was held, recalled or
//! expired since it was picked. Closing the carton records one `packing`
//! event per line (the aggregation of those goods into the carton); nothing
//! is recorded before that, so an abandoned carton leaves no trace.

use chrono::NaiveDate;

use super::carton_numbering::NumberingError;
use super::engine::{Context, Outcome, StepResult, Task, refuse};
use super::feedback::Feedback;
use super::item::{Scanned, describe, identify, keep_keyed};
use super::outbound_rules::{self, lot_or_none};
use crate::journal::{EventBody, EventKind, OrderLot, Product, SalesOrder};
use crate::text;
use crate::text::Text;

/// An open packing task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PackTask {
    order: SalesOrder,
    /// The carton being filled.
    carton: Option<Carton>,
    /// Quantity typed on the keypad for the next item scan.
    keyed: Option<i64>,
}

/// A carton being filled: nothing of it is recorded until it is closed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Carton {
    sscc: String,
    lines: Vec<CartonItem>,
}

/// Goods of one product and lot in the open carton.
#[derive(Debug, Clone, PartialEq, Eq)]
struct CartonItem {
    product: Product,
    lot: Option<String>,
    expiry: Option<NaiveDate>,
    quantity: i64,
}

impl PackTask {
    /// How much of `gtin` / `lot` the open carton already holds.
    fn in_carton(&self, gtin: &str, lot: Option<&str>) -> i64 {
        self.carton.as_ref().map_or(0, |c| {
            c.lines
                .iter()
                .filter(|l| l.product.gtin == gtin && l.lot.as_deref() == lot)
                .map(|l| l.quantity)
                .sum()
        })
    }
}

/// Opens packing for `order`, which must have picked goods not yet packed.
pub(super) fn start(task: &mut Task, ctx: &Context<'_>, order: &str) -> StepResult<Outcome> {
    let Some(order) = ctx.journal.sales_order(order)? else {
        return refuse(text!("Order {order} is not in the sales order list", order));
    };
    let lots = ctx.journal.sales_order_lots(&order.number)?;
    if !lots.iter().any(|l| l.picked > l.packed) {
        return refuse(text!(
            "Nothing picked for order {order} is waiting to be packed",
            order = &order.number
        ));
    }
    let mut feedback = Feedback::ok(text!(
        "Packing order {order}: scan a carton label or create a carton",
        order = &order.number
    ));
    for line in to_pack(ctx, &lots, None)? {
        feedback = feedback.detail(line);
    }
    *task = Task::Pack(Box::new(PackTask {
        order,
        carton: None,
        keyed: None,
    }));
    Ok(Outcome::reply(feedback))
}

/// Handles a scan: a carton label opens that carton; a product label goes
/// into the open carton once it matches what was picked.
pub(super) fn scan(
    task: &mut PackTask,
    ctx: &Context<'_>,
    scanned: &Scanned<'_>,
) -> StepResult<Outcome> {
    let identity = &scanned.scan.identity;
    if identity.gtin.is_none() {
        let Some(sscc) = identity.sscc.clone() else {
            return refuse(text!(
                "\"{label}\" is neither a carton label (SSCC) nor a product label",
                label = scanned.label()
            ));
        };
        return open(task, ctx, sscc);
    }
    if task.carton.is_none() {
        return refuse(text!(
            "Scan a carton label or create a carton first, then the items"
        ));
    }
    let item = identify(ctx, scanned)?;
    item.require_lot()?;
    // The lot rules first: a recalled lot is named as recalled even when it
    // was never picked for this order.
    let expiry = outbound_rules::check(
        ctx,
        &item.product,
        item.lot.as_deref(),
        item.expiry,
        text!("pack"),
    )?;
    let what = item.describe();
    let order = &task.order.number;
    let lots = ctx.journal.sales_order_lots(order)?;
    let product_lots: Vec<&OrderLot> = lots
        .iter()
        .filter(|l| l.gtin == item.product.gtin && l.picked > 0)
        .collect();
    if product_lots.is_empty() {
        return refuse(text!(
            "Wrong item: {what} was not picked for order {order}; take it out",
            what = describe(&item.product, None),
            order
        ));
    }
    let Some(picked) = product_lots.iter().find(|l| l.lot == item.lot) else {
        let picked = text::list(product_lots.iter().map(|l| lot_or_none(l.lot.as_deref())))
            .unwrap_or_else(|| "".into());
        return refuse(text!(
            "Wrong lot: {what} was not picked for order {order} (picked: {lots}); take it out",
            what,
            order,
            lots = picked
        ));
    };
    let quantity = item.count.or(task.keyed).unwrap_or(1);
    let left =
        picked.picked - picked.packed - task.in_carton(&item.product.gtin, item.lot.as_deref());
    if quantity > left {
        return refuse(text!(
            "Extra: only {left} more of {what} were picked for order {order}, not {quantity}; take the extra out",
            left,
            what,
            order,
            quantity
        ));
    }
    let expiry = expiry.or(picked.expiry);
    task.keyed = None;
    let Some(carton) = task.carton.as_mut() else {
        return refuse(text!(
            "Scan a carton label or create a carton first, then the items"
        ));
    };
    let feedback = Feedback::ok(text!(
        "Into carton {sscc}: {quantity} {unit} of {what}",
        sscc = &carton.sscc,
        quantity,
        unit = &item.product.unit,
        what
    ));
    match carton
        .lines
        .iter_mut()
        .find(|l| l.product.gtin == item.product.gtin && l.lot == item.lot)
    {
        Some(line) => line.quantity += quantity,
        None => carton.lines.push(CartonItem {
            product: item.product,
            lot: item.lot,
            expiry,
            quantity,
        }),
    }
    Ok(Outcome::reply(feedback))
}

/// Opens the carton with `sscc`, which must be new: a carton that already
/// holds goods is closed for good.
pub(super) fn open(task: &mut PackTask, ctx: &Context<'_>, sscc: String) -> StepResult<Outcome> {
    if let Some(open) = &task.carton {
        return refuse(text!(
            "Carton {sscc} is open: close it before starting another",
            sscc = &open.sscc
        ));
    }
    if ctx.journal.sscc_known(&sscc)? {
        return refuse(text!(
            "SSCC {sscc} is already in use: take a new carton label",
            sscc = &sscc
        ));
    }
    let feedback = Feedback::ok(text!(
        "Carton {sscc} open: scan the items into it",
        sscc = &sscc
    ));
    task.carton = Some(Carton {
        sscc,
        lines: Vec::new(),
    });
    Ok(Outcome::reply(feedback))
}

/// Refuses to create a carton number when none could be used, before a
/// serial is taken for it.
pub(super) fn can_create(task: &PackTask, ctx: &Context<'_>) -> StepResult<()> {
    if ctx.settings.carton_numbering.is_none() {
        return refuse(text!(
            "This station has no carton numbering set up ([workflow.cartons] in lotline.toml): scan a carton label"
        ));
    }
    if let Some(open) = &task.carton {
        return refuse(text!(
            "Carton {sscc} is open: close it before starting another",
            sscc = &open.sscc
        ));
    }
    Ok(())
}

/// Opens a carton numbered from this station's carton `serial`.
pub(super) fn create(task: &mut PackTask, ctx: &Context<'_>, serial: u64) -> StepResult<Outcome> {
    can_create(task, ctx)?;
    let Some(numbering) = &ctx.settings.carton_numbering else {
        return refuse(text!("This station has no carton numbering set up"));
    };
    let sscc = match numbering.sscc(serial) {
        Ok(sscc) => sscc,
        Err(NumberingError::Exhausted { serial, digits }) => {
            return refuse(text!(
                "carton serial {serial} does not fit in {digits} digits: this station's SSCC range is used up; give it a new station number",
                serial,
                digits
            ));
        }
        // A setting error, caught when the settings were loaded.
        Err(e) => return refuse(text!("{error}", error = e.to_string())),
    };
    let feedback = open(task, ctx, sscc.clone())?.feedback;
    Ok(Outcome::reply(feedback.detail(text!(
        "Write or print the label: (00){sscc}",
        sscc
    ))))
}

/// Takes the quantity typed on the keypad for the next item scan.
pub(super) fn key_quantity(task: &mut PackTask, quantity: i64) -> StepResult<Outcome> {
    keep_keyed(&mut task.keyed, quantity)
}

/// Closes the open carton: records one packing event per line, and says
/// what of the order is still to pack.
pub(super) fn close(task: &mut PackTask, ctx: &Context<'_>) -> StepResult<Outcome> {
    let Some(carton) = task.carton.take() else {
        return refuse(text!("No carton is open"));
    };
    if carton.lines.is_empty() {
        task.carton = Some(carton);
        return refuse(text!("The carton is empty: scan items into it, or cancel"));
    }
    let mut records = Vec::with_capacity(carton.lines.len());
    let mut feedback = Feedback::ok(text!("Carton {sscc} closed", sscc = &carton.sscc));
    for line in &carton.lines {
        let mut body = EventBody::new(ctx.operator, EventKind::Packing);
        body.gtin = Some(line.product.gtin.clone());
        body.unit = line.product.unit.clone();
        body.lot = line.lot.clone();
        body.expiry = line.expiry;
        body.quantity = line.quantity;
        body.sscc = Some(carton.sscc.clone());
        body.sales_order = Some(task.order.number.clone());
        feedback = feedback.detail(text!(
            "{quantity} {unit} of {what}",
            quantity = line.quantity,
            unit = &line.product.unit,
            what = describe(&line.product, line.lot.as_deref())
        ));
        records.push(body);
    }
    let lots = ctx.journal.sales_order_lots(&task.order.number)?;
    let still = to_pack(ctx, &lots, Some(&carton))?;
    feedback = if still.is_empty() {
        feedback.detail(text!(
            "Everything picked for order {order} is packed: ship it",
            order = &task.order.number
        ))
    } else {
        still.into_iter().fold(feedback, Feedback::detail)
    };
    Ok(Outcome::record(feedback, records))
}

/// Drops the open carton's contents; nothing was recorded for them.
pub(super) fn cancel(task: &mut PackTask) -> StepResult<Outcome> {
    match task.carton.take() {
        Some(carton) => Ok(Outcome::reply(Feedback::ok(text!(
            "Carton {sscc} abandoned: take its {count} line(s) out; nothing was packed",
            sscc = carton.sscc,
            count = carton.lines.len()
        )))),
        None => refuse(text!("Nothing to cancel: no carton is open")),
    }
}

/// The order being packed, for shipping it from the packing task.
pub(super) fn order(task: &PackTask) -> &SalesOrder {
    &task.order
}

/// True when a carton is open (empty or not).
pub(super) fn carton_open(task: &PackTask) -> bool {
    task.carton.is_some()
}

/// True when a carton with goods in it is still open.
pub(super) fn has_open_carton(task: &PackTask) -> bool {
    task.carton.as_ref().is_some_and(|c| !c.lines.is_empty())
}

/// "To pack: …" lines for what was picked and is not packed (counting
/// `closing` as packed).
fn to_pack(
    ctx: &Context<'_>,
    lots: &[OrderLot],
    closing: Option<&Carton>,
) -> StepResult<Vec<Text>> {
    let mut lines = Vec::new();
    for lot in lots {
        let closing_qty: i64 = closing.map_or(0, |c| {
            c.lines
                .iter()
                .filter(|l| l.product.gtin == lot.gtin && l.lot == lot.lot)
                .map(|l| l.quantity)
                .sum()
        });
        let left = lot.picked - lot.packed - closing_qty;
        if left <= 0 {
            continue;
        }
        let name = match ctx.journal.product(&lot.gtin)? {
            Some(product) => describe(&product, lot.lot.as_deref()),
            None => text!(
                "GTIN {gtin} lot {lot}",
                gtin = &lot.gtin,
                lot = lot.lot.as_deref().unwrap_or("-")
            ),
        };
        lines.push(text!("To pack: {left} of {what}", left, what = name));
    }
    Ok(lines)
}
