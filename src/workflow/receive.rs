//! Receiving at the dock, against a purchase order or blind: each product
//! label becomes a `receiving` event at the receiving location, with the
//! lot and expiry from the label, from the keypad, or (lot only) from the
//! site's lot pattern. A burst of RFID tags (a pallet of SGTIN-tagged
//! cases, see [`super::tag_burst`]) becomes one `receiving` event per
//! product, recorded together as one step.
//!
//! Rules: an unknown GTIN is refused; a lot-tracked product without a lot
//! (or an expiry-tracked one without expiry) prompts for them, product by
//! product, before anything of the label or burst is recorded; too little
//! shelf life left warns or refuses as configured; more than the PO line
//! ordered warns.

use super::engine::{Context, Outcome, StepResult, Stop, Task, refuse};
use super::feedback::{Ask, Feedback};
use super::item::{Item, Scanned, identify};
use super::manual_entry::{parse_expiry, validate_lot};
use super::settings::ShortShelfLife;
use super::tag_burst;
use crate::devices::rfid::pallet::PalletSummary;
use crate::journal::{EventBody, EventKind, PurchaseOrder};
use crate::text;
use crate::text::{Arg, Text};

/// An open receiving task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ReceiveTask {
    /// The purchase order being received, None for blind receiving.
    po: Option<PurchaseOrder>,
    /// A receipt waiting for a lot / expiry to be typed.
    pending: Option<Receipt>,
}

/// What one label or one burst of tags receives: recorded together, as
/// one step (so one undo voids all of it), once every item has the lot and
/// expiry its product needs.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Receipt {
    /// The items, each with whether its lot was assigned from the pattern.
    items: Vec<(Item, bool)>,
    /// Where the items were read from.
    source: Source,
}

/// Where a receipt was read from: it words the prompts and the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Source {
    /// One product label.
    Label,
    /// A burst of RFID tags, with the lines about tags read but not
    /// booked (`notes`) and tags that could not be decoded (`warnings`).
    Tags {
        notes: Vec<Text>,
        warnings: Vec<Text>,
    },
}

impl Receipt {
    /// The first item still missing a lot or expiry, with what it misses.
    fn waiting(&self) -> Option<(usize, Text)> {
        self.items
            .iter()
            .enumerate()
            .find_map(|(at, (item, _))| Some((at, missing(item)?)))
    }

    /// How the operator sees item `at`: with its count for tags (the
    /// count is what was read, not on a label).
    fn describe(&self, at: usize) -> Text {
        let item = &self.items[at].0;
        match self.source {
            Source::Label => item.describe(),
            Source::Tags { .. } => text!("the {item}", item = item_line(item)),
        }
    }
}

/// What `item` still needs before it can be received; None when nothing.
fn missing(item: &Item) -> Option<Text> {
    let lot = item.product.lot_tracked && item.lot.is_none();
    let expiry = item.product.expiry_tracked && item.expiry.is_none();
    match (lot, expiry) {
        (true, true) => Some(text!("lot and expiry (YYYY-MM-DD)")),
        (true, false) => Some(text!("lot")),
        (false, true) => Some(text!("expiry (YYYY-MM-DD)")),
        (false, false) => None,
    }
}

/// Opens receiving (against `po` if given) once the receiving location is
/// known to exist.
pub(super) fn start(task: &mut Task, ctx: &Context<'_>, po: Option<&str>) -> StepResult<Outcome> {
    let dock = &ctx.settings.receiving_location;
    if ctx.journal.location(dock)?.is_none() {
        return refuse(text!(
            "The receiving location {location} is not in the location list: check the terminal's settings",
            location = dock
        ));
    }
    let po = po.map(|number| find_po(ctx, number)).transpose()?;
    let feedback = match &po {
        Some(po) => against_po(po),
        None => Feedback::ok(text!("Blind receiving: scan the items (or the PO barcode)")),
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
    refuse_while_pending(task)?;
    let order_number = scanned.scan.identity.order_number.as_deref();
    if let Some(number) = order_number.or(scanned.is_text().then(|| scanned.label())) {
        if order_number.is_none() && ctx.journal.purchase_order(number)?.is_none() {
            return refuse(text!(
                "\"{label}\" is neither a product barcode nor a known PO number",
                label = number
            ));
        }
        let po = find_po(ctx, number)?;
        let feedback = against_po(&po);
        task.po = Some(po);
        return Ok(Outcome::reply(feedback));
    }
    let item = identify(ctx, scanned)?;
    let receipt = Receipt {
        items: vec![(item, false)],
        source: Source::Label,
    };
    proceed(task, ctx, receipt)
}

/// Handles a burst of RFID tags while receiving: the SGTIN cases become
/// one receipt per product, on the pallet's SSCC when one was read.
pub(super) fn tags(
    task: &mut ReceiveTask,
    ctx: &Context<'_>,
    summary: &PalletSummary,
) -> StepResult<Outcome> {
    refuse_while_pending(task)?;
    let burst = tag_burst::for_receiving(ctx, summary)?;
    let receipt = Receipt {
        items: burst.items.into_iter().map(|item| (item, false)).collect(),
        source: Source::Tags {
            notes: burst.notes,
            warnings: burst.warnings,
        },
    };
    proceed(task, ctx, receipt)
}

/// Refuses new goods while a receipt waits for its lot / expiry.
fn refuse_while_pending(task: &ReceiveTask) -> StepResult<()> {
    match &task.pending {
        Some(receipt) => {
            let at = receipt.waiting().map_or(0, |(at, _)| at);
            refuse(text!(
                "First enter the lot / expiry of {what}, or cancel it",
                what = receipt.describe(at)
            ))
        }
        None => Ok(()),
    }
}

/// Records `receipt` when nothing is missing, else asks for the lot /
/// expiry of its first incomplete item and keeps it waiting.
fn proceed(task: &mut ReceiveTask, ctx: &Context<'_>, receipt: Receipt) -> StepResult<Outcome> {
    let Some((at, missing)) = receipt.waiting() else {
        return record(task, ctx, receipt);
    };
    let item = &receipt.items[at].0;
    let source = match receipt.source {
        Source::Label => text!("the label"),
        Source::Tags { .. } => text!("the tags"),
    };
    let mut feedback = Feedback::prompt(
        Ask::LotExpiry,
        text!(
            "Enter the {missing} of {what}: not on {source}",
            missing,
            what = receipt.describe(at),
            source
        ),
    );
    if item.lot.is_none() && item.product.lot_tracked {
        feedback = feedback.detail(text!("Leave the lot empty to have one assigned"));
    }
    if let Source::Tags { notes, warnings } = &receipt.source {
        for (other, (item, _)) in receipt.items.iter().enumerate() {
            if other != at {
                feedback = feedback.detail(text!("Also read: {item}", item = item_line(item)));
            }
        }
        feedback = with_burst_lines(feedback, item.sscc.as_deref(), notes, warnings);
    }
    task.pending = Some(receipt);
    Ok(Outcome::reply(feedback))
}

/// Completes the item asked about with a typed lot and / or expiry (a
/// missing lot is assigned from the lot pattern), then asks about the next
/// one or records the whole receipt.
pub(super) fn enter_lot(
    task: &mut ReceiveTask,
    ctx: &Context<'_>,
    lot: Option<String>,
    expiry: Option<String>,
) -> StepResult<Outcome> {
    let Some(mut receipt) = task.pending.take() else {
        return refuse(text!("No lot or expiry is being asked for"));
    };
    let Some((at, _)) = receipt.waiting() else {
        return record(task, ctx, receipt);
    };
    let (item, assigned) = &mut receipt.items[at];
    complete(ctx, item, assigned, lot, expiry)?;
    proceed(task, ctx, receipt)
}

/// Fills in what `item` was missing from the keypad.
fn complete(
    ctx: &Context<'_>,
    item: &mut Item,
    assigned: &mut bool,
    lot: Option<String>,
    expiry: Option<String>,
) -> StepResult<()> {
    match (&item.lot, lot) {
        (Some(on_label), Some(_)) => {
            return refuse(text!(
                "The label already gives lot {lot}; enter only what was asked",
                lot = on_label
            ));
        }
        (None, Some(typed)) => {
            validate_lot(&typed)
                .or_else(|why| refuse(text!("Not accepted: {reason}", reason = why)))?;
            item.lot = Some(typed);
        }
        (None, None) if item.product.lot_tracked => {
            item.lot = Some(assign_lot(ctx, item)?);
            *assigned = true;
        }
        _ => {}
    }
    match (item.expiry, expiry) {
        (Some(on_label), Some(_)) => {
            return refuse(text!(
                "The label already gives expiry {expiry}; enter only what was asked",
                expiry = on_label
            ));
        }
        (None, Some(typed)) => {
            item.expiry = Some(
                parse_expiry(&typed)
                    .or_else(|why| refuse(text!("Not accepted: {reason}", reason = why)))?,
            );
        }
        (None, None) if item.product.expiry_tracked => {
            return refuse(text!(
                "{description} needs an expiry date (YYYY-MM-DD)",
                description = &item.product.description
            ));
        }
        _ => {}
    }
    Ok(())
}

/// Drops the receipt waiting for its lot.
pub(super) fn cancel(task: &mut ReceiveTask) -> StepResult<Outcome> {
    let Some(receipt) = task.pending.take() else {
        return refuse(text!("Nothing to cancel: no item is waiting"));
    };
    if let (Source::Label, [(item, _)]) = (&receipt.source, receipt.items.as_slice()) {
        return Ok(Outcome::reply(Feedback::ok(text!(
            "Cancelled: {what} was not received",
            what = item.describe()
        ))));
    }
    let items = text::list(receipt.items.iter().map(|(item, _)| item_line(item)))
        .unwrap_or_else(|| Arg::from(""));
    Ok(Outcome::reply(
        Feedback::ok(text!("Cancelled: {items} were not received", items)).detail(text!(
            "To read the tags again, take them out of the reader's field for a few seconds"
        )),
    ))
}

/// The PO with this number, or a refusal naming it.
fn find_po(ctx: &Context<'_>, number: &str) -> StepResult<PurchaseOrder> {
    match ctx.journal.purchase_order(number)? {
        Some(po) => Ok(po),
        None => refuse(text!(
            "PO {po} is not in the purchase order list",
            po = number
        )),
    }
}

fn against_po(po: &PurchaseOrder) -> Feedback {
    let lines = match po.lines.len() {
        1 => text!("1 line"),
        count => text!("{count} lines", count),
    };
    Feedback::ok(text!(
        "Receiving against PO {po} ({lines}): scan the items",
        po = &po.number,
        lines
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
        None => refuse(text!(
            "Every lot number of today's lot pattern is used: type a lot number"
        )),
    }
}

/// The receipt events of every item of `receipt`, with one answer: for a
/// label (or a burst of one product) the line of that item, else the
/// number of products with a line each.
fn record(task: &ReceiveTask, ctx: &Context<'_>, receipt: Receipt) -> StepResult<Outcome> {
    let dock = &ctx.settings.receiving_location;
    let mut feedback = match receipt.items.as_slice() {
        [(item, _)] => Feedback::ok(text!(
            "Received {item} to {location}",
            item = item_line(item),
            location = dock
        )),
        items => Feedback::ok(text!(
            "Received {count} products to {location}",
            count = items.len(),
            location = dock
        )),
    };
    let several = receipt.items.len() > 1;
    let sscc = receipt
        .items
        .first()
        .and_then(|(item, _)| item.sscc.clone());
    let mut bodies = Vec::with_capacity(receipt.items.len());
    for (item, assigned) in receipt.items {
        if several {
            feedback = feedback.detail(item_line(&item));
        }
        let (body, checked) = check(task, ctx, item, assigned, feedback)?;
        feedback = checked;
        bodies.push(body);
    }
    if let Source::Tags { notes, warnings } = &receipt.source {
        feedback = with_burst_lines(feedback, sscc.as_deref(), notes, warnings);
    }
    Ok(Outcome::record(feedback, bodies))
}

/// `quantity unit of description (GTIN) lot L`: one item of a receipt.
fn item_line(item: &Item) -> Text {
    text!(
        "{quantity} {unit} of {what}",
        quantity = item.count.unwrap_or(1),
        unit = &item.product.unit,
        what = item.describe()
    )
}

/// A tag receipt's answer with the pallet's SSCC and the tags read but
/// not booked (`warnings` raise it to a warning).
fn with_burst_lines(
    mut feedback: Feedback,
    sscc: Option<&str>,
    notes: &[Text],
    warnings: &[Text],
) -> Feedback {
    if let Some(sscc) = sscc {
        feedback = feedback.detail(text!("On pallet SSCC {sscc}", sscc));
    }
    for note in notes {
        feedback = feedback.detail(note.clone());
    }
    for warning in warnings {
        feedback = feedback.warn(warning.clone());
    }
    feedback
}

/// Checks one item's shelf life and PO line, adding what deserves a look
/// to `feedback`; its receipt event.
fn check(
    task: &ReceiveTask,
    ctx: &Context<'_>,
    item: Item,
    assigned: bool,
    mut feedback: Feedback,
) -> StepResult<(EventBody, Feedback)> {
    let product = &item.product;
    let quantity = item.count.unwrap_or(1);
    let dock = &ctx.settings.receiving_location;
    if let (Some(lot), true) = (&item.lot, assigned) {
        feedback = feedback.detail(text!("Lot {lot} assigned: write it on the goods", lot));
    }
    if let (Some(min), Some(expiry)) = (product.min_shelf_life_receipt_days, item.expiry) {
        let left = (expiry - ctx.today).num_days();
        if left < i64::from(min) {
            let why = text!(
                "{what} expires {expiry}: {left} days of shelf life left, {min} required at receipt",
                what = item.describe(),
                expiry,
                left,
                min
            );
            match ctx.settings.short_shelf_life {
                ShortShelfLife::Warn => feedback = feedback.warn(why),
                ShortShelfLife::Block => {
                    return refuse(text!("Refused: {reason}", reason = why));
                }
            }
        }
    }
    if let Some(po) = &task.po {
        let progress = ctx.journal.purchase_order_progress(&po.number)?;
        let line = progress.iter().find(|line| line.gtin == product.gtin);
        let (ordered, received) = line.map_or((0, 0), |l| (l.ordered, l.received));
        if ordered == 0 {
            feedback = feedback.warn(text!(
                "{gtin} is not on PO {po}",
                gtin = &product.gtin,
                po = &po.number
            ));
        } else if received + quantity > ordered {
            feedback = feedback.warn(text!(
                "Over-receipt on PO {po}: {ordered} ordered, {received} received with this one",
                po = &po.number,
                ordered,
                received = received + quantity
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
    Ok((body, feedback))
}
