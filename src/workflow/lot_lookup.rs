//! Lot lookup: scan a product label and see the lot's status, expiry,
//! where it is and how much, where shipped units went (customer, order,
//! carton), and what happened to it lately.

use super::engine::{Context, Outcome, StepResult, refuse};
use super::feedback::Feedback;
use super::item::{Scanned, expiry_phrase, identify};
use super::words;
use crate::journal::{Event, EventKind, LotState};
use crate::text;
use crate::text::Text;

/// How many of the lot's latest events the answer lists.
const RECENT_EVENTS: usize = 5;

/// Answers a lookup scan.
pub(super) fn scan(ctx: &Context<'_>, scanned: &Scanned<'_>) -> StepResult<Outcome> {
    let item = identify(ctx, scanned)?;
    item.require_lot()?;
    let Some(report) = ctx
        .journal
        .lot_lookup(&item.product.gtin, item.lot.as_deref())?
    else {
        return refuse(text!(
            "{what} has never been recorded on this terminal",
            what = item.describe()
        ));
    };
    let status = words::lot_state(
        report
            .status
            .as_ref()
            .map_or(LotState::Released, |s| s.state),
    );
    let expiry = report
        .expiry
        .map_or_else(|| text!("no expiry date"), |d| expiry_phrase(d, ctx.today));
    let mut feedback = Feedback::ok(text!(
        "{what}: {status}, {expiry}",
        what = item.describe(),
        status,
        expiry
    ));
    if let Some(s) = &report.status {
        feedback = feedback.detail(text!(
            "Status {status} {by}",
            status = words::lot_state(s.state),
            by = words::issued_by(&s.issued_by, s.reason.as_deref())
        ));
    }
    let unit = &item.product.unit;
    if report.stock.is_empty() {
        feedback = feedback.detail(text!("No stock on hand"));
    }
    for (location, quantity) in &report.stock {
        feedback = feedback.detail(text!(
            "At {location}: {quantity} {unit}",
            location,
            quantity = *quantity,
            unit
        ));
    }
    for line in shipped(ctx, &report.events, unit)? {
        feedback = feedback.detail(line);
    }
    let skip = report.events.len().saturating_sub(RECENT_EVENTS);
    for event in report.events.iter().skip(skip).rev() {
        feedback = feedback.detail(history_line(event));
    }
    Ok(Outcome::reply(feedback))
}

/// "Shipped N to customer on order in carton" per customer, order and
/// carton, from the lot's shipping events that no correction voided.
fn shipped(ctx: &Context<'_>, events: &[Event], unit: &str) -> StepResult<Vec<Text>> {
    let voided: Vec<_> = events.iter().filter_map(|e| e.body.correction_of).collect();
    let mut totals: Vec<((&str, &str, &str), i64)> = Vec::new();
    for event in events {
        let b = &event.body;
        if b.kind != EventKind::Shipping || voided.contains(&event.event_id) {
            continue;
        }
        let key = (
            b.to_location.as_deref().unwrap_or("-"),
            b.sales_order.as_deref().unwrap_or("-"),
            b.sscc.as_deref().unwrap_or("-"),
        );
        match totals.iter_mut().find(|(k, _)| *k == key) {
            Some((_, total)) => *total += b.quantity,
            None => totals.push((key, b.quantity)),
        }
    }
    let mut lines = Vec::new();
    for ((customer, order, sscc), quantity) in totals {
        if quantity == 0 {
            continue;
        }
        let name = match ctx.journal.customer(customer)? {
            Some(c) => format!("{} ({customer})", c.name),
            None => customer.to_owned(),
        };
        lines.push(text!(
            "Shipped {quantity} {unit} to {name} on {order} in carton {sscc}",
            quantity,
            unit,
            name,
            order,
            sscc
        ));
    }
    Ok(lines)
}

/// One event as a line of history: when, what, how much, where, who.
fn history_line(event: &Event) -> Text {
    let b = &event.body;
    let from = b
        .from_location
        .as_ref()
        .map_or_else(|| text!(""), |location| text!(" from {location}", location));
    let to = b
        .to_location
        .as_ref()
        .map_or_else(|| text!(""), |location| text!(" to {location}", location));
    let correction = if b.correction_of.is_some() {
        text!(" (correction)")
    } else {
        text!("")
    };
    text!(
        "#{seq} {at} {kind} {quantity} {unit}{from}{to}{correction} by {operator}",
        seq = event.seq,
        at = event.recorded_at.format("%Y-%m-%d %H:%M").to_string(),
        kind = words::event_kind(b.kind),
        quantity = b.quantity,
        unit = &b.unit,
        from,
        to,
        correction,
        operator = &b.operator
    )
}
