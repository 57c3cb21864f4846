//! Cycle count, blind: scan a location, then each item there and type how
//! many were counted; the records are never shown. A count that matches
//! the records is recorded as it is; one that differs needs a reason code,
//! and is then recorded as the adjustment (a `cycle_counting` event sets
//! the location's quantity of that lot to the count). Closing the location
//! says "nothing else is here": every lot the records place there that was
//! not counted is counted as 0, with the reason given.

use chrono::NaiveDate;

use super::engine::{Context, Outcome, StepResult, Task, refuse};
use super::feedback::{Ask, Feedback};
use super::item::{Scanned, describe, identify, locate};
use crate::journal::{EventBody, EventKind, Location, Product};
use crate::text;
use crate::text::Text;

/// An open cycle count.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct CountTask {
    /// The location being counted.
    at: Option<Location>,
    /// The item scanned and waiting for its count.
    counting: Option<Counting>,
    /// The (GTIN, lot) pairs counted at `at` in this task.
    counted: Vec<(String, Option<String>)>,
}

/// A product and lot whose count is being typed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Counting {
    product: Product,
    lot: Option<String>,
    expiry: Option<NaiveDate>,
}

impl Counting {
    fn describe(&self) -> Text {
        describe(&self.product, self.lot.as_deref())
    }
}

/// Opens a cycle count.
pub(super) fn start(task: &mut Task) -> StepResult<Outcome> {
    *task = Task::Count(CountTask::default());
    Ok(Outcome::reply(Feedback::ok(text!(
        "Cycle count: scan the location to count"
    ))))
}

/// Handles a scan: a location label starts counting there; a product
/// label asks for its count.
pub(super) fn scan(
    task: &mut CountTask,
    ctx: &Context<'_>,
    scanned: &Scanned<'_>,
) -> StepResult<Outcome> {
    if let Some(counting) = &task.counting {
        return refuse(text!(
            "First enter the count of {what}, or cancel",
            what = counting.describe()
        ));
    }
    if scanned.scan.identity.gtin.is_none() {
        let location = locate(ctx, scanned)?;
        let feedback = Feedback::ok(text!(
            "Counting {location}: scan each item, then enter how many you count",
            location = &location.code
        ));
        task.at = Some(location);
        task.counted.clear();
        return Ok(Outcome::reply(feedback));
    }
    let Some(at) = &task.at else {
        return refuse(text!("Scan the location to count first, then the items"));
    };
    let item = identify(ctx, scanned)?;
    item.require_lot()?;
    let feedback = Feedback::prompt(
        Ask::Count,
        text!(
            "Count {what} at {location}: enter how many {unit} you count",
            what = item.describe(),
            location = &at.code,
            unit = &item.product.unit
        ),
    );
    task.counting = Some(Counting {
        product: item.product,
        lot: item.lot,
        expiry: item.expiry,
    });
    Ok(Outcome::reply(feedback))
}

/// Records the typed count of the waiting item. A count that differs from
/// the records needs a reason code; without one the counter is asked to
/// count again (the recorded quantity is still not shown).
pub(super) fn enter(
    task: &mut CountTask,
    ctx: &Context<'_>,
    quantity: i64,
    reason: Option<&str>,
) -> StepResult<Outcome> {
    let (Some(at), Some(counting)) = (&task.at, task.counting.take()) else {
        return refuse(text!("No count is being asked for: scan an item first"));
    };
    let what = counting.describe();
    if quantity < 0 {
        return refuse(text!(
            "A count cannot be negative: count {what} again",
            what
        ));
    }
    let report = ctx
        .journal
        .lot_lookup(&counting.product.gtin, counting.lot.as_deref())?;
    let recorded = report
        .as_ref()
        .and_then(|r| r.stock.iter().find(|(code, _)| code == &at.code))
        .map_or(0, |(_, quantity)| *quantity);
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    let unit = &counting.product.unit;
    let counted = |outcome: Text| {
        Feedback::ok(text!(
            "Counted {quantity} {unit} of {what} at {location}: {outcome}",
            quantity,
            unit,
            what = &what,
            location = &at.code,
            outcome
        ))
    };
    let (feedback, adjustment) = if quantity == recorded {
        (counted(text!("matches the records")), None)
    } else {
        let Some(reason) = reason else {
            let prompt = Feedback::prompt(
                Ask::CountWithReason,
                text!(
                    "The count of {what} at {location} differs from the records: count again and enter the count with a reason code",
                    what,
                    location = &at.code
                ),
            );
            task.counting = Some(counting);
            return Ok(Outcome::reply(prompt));
        };
        let feedback = counted(text!("stock adjusted")).warn(text!(
            "Recorded {recorded}, counted {quantity} ({difference}), reason {reason}",
            recorded,
            quantity,
            difference = format!("{:+}", quantity - recorded),
            reason
        ));
        (feedback, Some(reason.to_owned()))
    };
    let mut body = EventBody::new(ctx.operator, EventKind::CycleCounting);
    body.gtin = Some(counting.product.gtin.clone());
    body.unit = unit.clone();
    body.lot = counting.lot;
    body.expiry = report.and_then(|r| r.expiry).or(counting.expiry);
    body.quantity = quantity;
    body.to_location = Some(at.code.clone());
    body.reason = adjustment;
    task.counted.push((counting.product.gtin, body.lot.clone()));
    Ok(Outcome::record(feedback, vec![body]))
}

/// Closes the location: every lot recorded there and not counted in this
/// task is counted as 0 with `reason`.
pub(super) fn close_location(
    task: &mut CountTask,
    ctx: &Context<'_>,
    reason: &str,
) -> StepResult<Outcome> {
    let Some(at) = &task.at else {
        return refuse(text!("Scan the location to count first"));
    };
    if let Some(counting) = &task.counting {
        return refuse(text!(
            "First enter the count of {what}, or cancel",
            what = counting.describe()
        ));
    }
    let reason = reason.trim();
    let mut records = Vec::new();
    let mut details = Vec::new();
    for (gtin, lot, recorded) in ctx.journal.stock_at(&at.code)? {
        if task.counted.iter().any(|(g, l)| *g == gtin && *l == lot) {
            continue;
        }
        let product = ctx.journal.product(&gtin)?;
        let unit = product.as_ref().map_or("EA".to_owned(), |p| p.unit.clone());
        let what = product.as_ref().map_or_else(
            || {
                text!(
                    "GTIN {gtin} lot {lot}",
                    gtin = &gtin,
                    lot = lot.as_deref().unwrap_or("-")
                )
            },
            |p| describe(p, lot.as_deref()),
        );
        details.push(text!(
            "Not found: {what} (recorded {recorded} {unit})",
            what,
            recorded,
            unit = &unit
        ));
        let mut body = EventBody::new(ctx.operator, EventKind::CycleCounting);
        body.expiry = ctx
            .journal
            .lot_lookup(&gtin, lot.as_deref())?
            .and_then(|r| r.expiry);
        body.gtin = Some(gtin);
        body.unit = unit;
        body.lot = lot;
        body.quantity = 0;
        body.to_location = Some(at.code.clone());
        body.reason = Some(reason.to_owned());
        records.push(body);
    }
    let code = at.code.clone();
    if records.is_empty() {
        task.at = None;
        task.counted.clear();
        return Ok(Outcome::reply(Feedback::ok(text!(
            "{code} closed: everything recorded there was counted",
            code
        ))));
    }
    if reason.is_empty() {
        return refuse(text!(
            "{count} recorded lot(s) at {code} were not counted: close with a reason code, or count them",
            count = records.len(),
            code
        ));
    }
    let feedback = Feedback::ok(text!("{code} closed", code)).warn(text!(
        "{count} lot(s) not found, set to 0 (reason {reason})",
        count = records.len(),
        reason
    ));
    task.at = None;
    task.counted.clear();
    Ok(Outcome::record(
        details.into_iter().fold(feedback, Feedback::detail),
        records,
    ))
}

/// Drops the item waiting for its count.
pub(super) fn cancel(task: &mut CountTask) -> StepResult<Outcome> {
    match task.counting.take() {
        Some(counting) => Ok(Outcome::reply(Feedback::ok(text!(
            "Cancelled: {what} was not counted",
            what = counting.describe()
        )))),
        None => refuse(text!("Nothing to cancel: no item is waiting for its count")),
    }
}
