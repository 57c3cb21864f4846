//! Putaway and moves: scan an item (or a pallet's SSCC label) at the
//! receiving location, then the location it goes to; one `storing` event per
//! product and lot moves it. Scanning a location first moves goods from
//! there instead (shelf to shelf). An unknown location is refused, and a
//! held or recalled lot goes only to a quarantine location.

use chrono::NaiveDate;

use super::engine::{Context, Outcome, StepResult, Task, refuse};
use super::feedback::Feedback;
use super::item::{Scanned, describe, identify, keep_keyed, locate};
use super::words::lot_state;
use crate::journal::{EventBody, EventKind, LocationKind, LotState, Product};
use crate::text;
use crate::text::Text;

/// An open putaway task.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct PutawayTask {
    /// Where goods are taken from; None: the receiving location.
    from: Option<String>,
    /// The goods scanned and waiting for their destination.
    load: Option<Load>,
    /// Quantity typed on the keypad for the next item scan.
    keyed: Option<i64>,
}

/// Goods picked up: one product and lot, or a pallet's lines.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Load {
    /// The pallet's SSCC, when the goods were taken as a pallet.
    sscc: Option<String>,
    lines: Vec<LoadLine>,
    /// Held or recalled: only a quarantine location will do.
    restricted: Option<LotState>,
}

/// One product and lot of a load.
#[derive(Debug, Clone, PartialEq, Eq)]
struct LoadLine {
    product: Product,
    lot: Option<String>,
    expiry: Option<NaiveDate>,
    quantity: i64,
}

impl Load {
    fn describe(&self) -> Text {
        match (&self.sscc, self.lines.as_slice()) {
            (None, [line]) => line.describe(),
            (Some(sscc), lines) => {
                text!("pallet {sscc} ({count} line(s))", sscc, count = lines.len())
            }
            (None, lines) => text!("{count} line(s)", count = lines.len()),
        }
    }
}

impl LoadLine {
    /// `quantity unit of description (GTIN) lot L`.
    fn describe(&self) -> Text {
        text!(
            "{quantity} {unit} of {what}",
            quantity = self.quantity,
            unit = &self.product.unit,
            what = describe(&self.product, self.lot.as_deref())
        )
    }
}

impl PutawayTask {
    fn source<'a>(&'a self, ctx: &'a Context<'_>) -> &'a str {
        self.from
            .as_deref()
            .unwrap_or(&ctx.settings.receiving_location)
    }
}

/// Opens putaway.
pub(super) fn start(task: &mut Task, ctx: &Context<'_>) -> StepResult<Outcome> {
    *task = Task::Putaway(PutawayTask::default());
    Ok(Outcome::reply(Feedback::ok(text!(
        "Putaway: scan an item or pallet at {location}, or scan a location to move goods from there",
        location = &ctx.settings.receiving_location
    ))))
}

/// Handles a scan: a source location, the goods, then their destination.
pub(super) fn scan(
    task: &mut PutawayTask,
    ctx: &Context<'_>,
    scanned: &Scanned<'_>,
) -> StepResult<Outcome> {
    match task.load.take() {
        Some(load) => put_down(task, load, ctx, scanned),
        None => {
            let identity = &scanned.scan.identity;
            if identity.gtin.is_some() {
                pick_up(task, ctx, scanned)
            } else if let Some(sscc) = identity.sscc.clone() {
                pick_up_pallet(task, ctx, sscc)
            } else {
                let location = locate(ctx, scanned)?;
                let feedback = Feedback::ok(text!(
                    "Moving from {location}: scan an item or pallet there",
                    location = &location.code
                ));
                task.from = Some(location.code);
                Ok(Outcome::reply(feedback))
            }
        }
    }
}

/// Takes the quantity typed on the keypad for the next item scan.
pub(super) fn key_quantity(task: &mut PutawayTask, quantity: i64) -> StepResult<Outcome> {
    if task.load.is_some() {
        return refuse(text!(
            "Scan the destination of the goods taken first, or cancel"
        ));
    }
    keep_keyed(&mut task.keyed, quantity)
}

/// Drops the scanned goods without moving them.
pub(super) fn cancel(task: &mut PutawayTask) -> StepResult<Outcome> {
    match task.load.take() {
        Some(load) => Ok(Outcome::reply(Feedback::ok(text!(
            "Cancelled: {what} stays where it is",
            what = load.describe()
        )))),
        None => refuse(text!(
            "Nothing to cancel: no goods are waiting for a location"
        )),
    }
}

/// The held or recalled state of a lot, which restricts where it may go.
fn restriction(ctx: &Context<'_>, gtin: &str, lot: Option<&str>) -> StepResult<Option<LotState>> {
    Ok(ctx
        .journal
        .lot_status(gtin, lot)?
        .map(|s| s.state)
        .filter(|state| matches!(state, LotState::Held | LotState::Recalled)))
}

/// Takes the scanned item (its label count or the keypad quantity, else
/// all of that lot at the source) and asks for the destination.
fn pick_up(
    task: &mut PutawayTask,
    ctx: &Context<'_>,
    scanned: &Scanned<'_>,
) -> StepResult<Outcome> {
    let item = identify(ctx, scanned)?;
    item.require_lot()?;
    let source = task.source(ctx).to_owned();
    let report = ctx
        .journal
        .lot_lookup(&item.product.gtin, item.lot.as_deref())?;
    let here = report
        .as_ref()
        .and_then(|r| r.stock.iter().find(|(location, _)| location == &source))
        .map_or(0, |(_, quantity)| *quantity);
    if here <= 0 {
        return refuse(text!(
            "No {what} is at {location} to move",
            what = item.describe(),
            location = &source
        ));
    }
    let quantity = item.count.or(task.keyed).unwrap_or(here);
    if quantity > here {
        return refuse(text!(
            "{quantity} to move, but only {here} of {what} are at {location}",
            quantity,
            here,
            what = item.describe(),
            location = &source
        ));
    }
    let restricted = restriction(ctx, &item.product.gtin, item.lot.as_deref())?;
    let expiry = report.and_then(|r| r.expiry).or(item.expiry);
    task.keyed = None;
    let load = Load {
        sscc: None,
        lines: vec![LoadLine {
            product: item.product,
            lot: item.lot,
            expiry,
            quantity,
        }],
        restricted,
    };
    Ok(Outcome::reply(ask_destination(task, load, &source)))
}

/// Takes everything of pallet `sscc` at the source, lot by lot.
fn pick_up_pallet(task: &mut PutawayTask, ctx: &Context<'_>, sscc: String) -> StepResult<Outcome> {
    let source = task.source(ctx).to_owned();
    let mut lines = Vec::new();
    let mut restricted = None;
    for line in ctx.journal.sscc_at(&sscc, &source)? {
        let Some(product) = ctx.journal.product(&line.gtin)? else {
            return refuse(text!(
                "Pallet {sscc} holds GTIN {gtin}, which is not in the product list",
                sscc = &sscc,
                gtin = &line.gtin
            ));
        };
        restricted = restricted.or(restriction(ctx, &line.gtin, line.lot.as_deref())?);
        lines.push(LoadLine {
            product,
            lot: line.lot,
            expiry: line.expiry,
            quantity: line.quantity,
        });
    }
    if lines.is_empty() {
        return refuse(text!(
            "Nothing of pallet {sscc} is recorded at {location}: scan its items instead",
            sscc = &sscc,
            location = &source
        ));
    }
    let load = Load {
        sscc: Some(sscc),
        lines,
        restricted,
    };
    Ok(Outcome::reply(ask_destination(task, load, &source)))
}

/// Keeps `load` in the task and asks where it goes.
fn ask_destination(task: &mut PutawayTask, load: Load, source: &str) -> Feedback {
    let mut feedback = Feedback::ok(text!(
        "Move {what} from {location}: scan the destination location",
        what = load.describe(),
        location = source
    ));
    if load.sscc.is_some() {
        for line in &load.lines {
            feedback = feedback.detail(line.describe());
        }
    }
    if let Some(state) = load.restricted {
        feedback = feedback.detail(text!(
            "A lot here is {state}: only a quarantine location is accepted",
            state = lot_state(state)
        ));
    }
    task.load = Some(load);
    feedback
}

/// Moves the load to the scanned location.
fn put_down(
    task: &mut PutawayTask,
    load: Load,
    ctx: &Context<'_>,
    scanned: &Scanned<'_>,
) -> StepResult<Outcome> {
    let what = load.describe();
    let identity = &scanned.scan.identity;
    if identity.gtin.is_some() || identity.sscc.is_some() {
        return refuse(text!(
            "Scan the destination location for {what} first, or cancel",
            what
        ));
    }
    let location = locate(ctx, scanned)?;
    let source = task.source(ctx).to_owned();
    if location.code == source {
        return refuse(text!(
            "{location} is where {what} already is: scan where it goes",
            location = &source,
            what
        ));
    }
    if let Some(state) = load.restricted
        && location.kind != LocationKind::Quarantine
    {
        return refuse(text!(
            "{what} is {state}: it may only go to a quarantine location, not {location}",
            what,
            state = lot_state(state),
            location = &location.code
        ));
    }
    let feedback = Feedback::ok(text!(
        "Moved {what} from {from} to {to}",
        what,
        from = &source,
        to = &location.code
    ));
    let records = load
        .lines
        .into_iter()
        .map(|line| {
            let mut body = EventBody::new(ctx.operator, EventKind::Storing);
            body.gtin = Some(line.product.gtin);
            body.unit = line.product.unit;
            body.lot = line.lot;
            body.expiry = line.expiry;
            body.quantity = line.quantity;
            body.sscc = load.sscc.clone();
            body.from_location = Some(source.clone());
            body.to_location = Some(location.code.clone());
            body
        })
        .collect();
    Ok(Outcome::record(feedback, records))
}
