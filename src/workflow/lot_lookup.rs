//! Lot lookup: scan a product label and see the lot's status, expiry,
//! where it is and how much, where shipped units went (customer, order,
//! carton), and what happened to it lately.

use super::engine::{Context, Outcome, StepResult, refuse};
use super::feedback::Feedback;
use super::item::{Scanned, expiry_phrase, identify};
use crate::journal::{Event, EventKind};

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
        return refuse(format!(
            "{} has never been recorded on this terminal",
            item.describe()
        ));
    };
    let status = report
        .status
        .as_ref()
        .map_or("released", |s| s.state.as_str());
    let expiry = report.expiry.map_or_else(
        || "no expiry date".to_owned(),
        |d| expiry_phrase(d, ctx.today),
    );
    let mut feedback = Feedback::ok(format!("{}: {status}, {expiry}", item.describe()));
    if let Some(s) = &report.status {
        feedback = feedback.detail(format!(
            "Status {} by {}: {}",
            s.state.as_str(),
            s.issued_by,
            s.reason.as_deref().unwrap_or("no reason given")
        ));
    }
    let unit = &item.product.unit;
    if report.stock.is_empty() {
        feedback = feedback.detail("No stock on hand");
    }
    for (location, quantity) in &report.stock {
        feedback = feedback.detail(format!("At {location}: {quantity} {unit}"));
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
fn shipped(ctx: &Context<'_>, events: &[Event], unit: &str) -> StepResult<Vec<String>> {
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
        lines.push(format!(
            "Shipped {quantity} {unit} to {name} on {order} in carton {sscc}"
        ));
    }
    Ok(lines)
}

/// One event as a line of history: when, what, how much, where, who.
fn history_line(event: &Event) -> String {
    let b = &event.body;
    let mut line = format!(
        "#{} {} {} {} {}",
        event.seq,
        event.recorded_at.format("%Y-%m-%d %H:%M"),
        b.kind,
        b.quantity,
        b.unit
    );
    if let Some(from) = &b.from_location {
        line.push_str(&format!(" from {from}"));
    }
    if let Some(to) = &b.to_location {
        line.push_str(&format!(" to {to}"));
    }
    if b.correction_of.is_some() {
        line.push_str(" (correction)");
    }
    line.push_str(&format!(" by {}", b.operator));
    line
}
