//! Expiry alerts: which lots in stock expire within N days and which have
//! already expired but are still on a shelf, so they can be sold first or
//! taken out before a picker meets them. A report: it records nothing and
//! leaves the open task as it was.

use super::engine::{Context, Outcome, StepResult};
use super::feedback::Feedback;
use super::item::{describe, expiry_phrase};
use crate::journal::ExpiryAlert;
use crate::text;
use crate::text::Text;

/// The horizon when the operator names none: a month.
pub(super) const DEFAULT_DAYS: u32 = 30;

/// Lists the alerts for the next `days` days, expired lots first.
pub(super) fn alerts(ctx: &Context<'_>, days: u32) -> StepResult<Outcome> {
    let alerts = ctx.journal.expiry_alerts(ctx.today, days)?;
    if alerts.is_empty() {
        return Ok(Outcome::reply(Feedback::ok(text!(
            "Nothing in stock expires within {days} days",
            days
        ))));
    }
    let expired = alerts.iter().filter(|a| a.expired).count();
    let soon = alerts.len() - expired;
    let message = text!(
        "{expired} lot(s) expired but still in stock, {soon} expiring within {days} days",
        expired,
        soon,
        days
    );
    let mut feedback = if expired > 0 {
        Feedback::ok(message).warn(text!("Take expired stock out of the pick locations"))
    } else {
        Feedback::ok(message)
    };
    for alert in &alerts {
        feedback = feedback.detail(alert_line(ctx, alert)?);
    }
    Ok(Outcome::reply(feedback))
}

/// One lot: its expiry, what it is and where it is.
fn alert_line(ctx: &Context<'_>, alert: &ExpiryAlert) -> StepResult<Text> {
    let (what, unit) = match ctx.journal.product(&alert.gtin)? {
        Some(product) => (
            describe(&product, alert.lot.as_deref()),
            format!(" {}", product.unit),
        ),
        None => (
            text!(
                "GTIN {gtin} (not in the product list) lot {lot}",
                gtin = &alert.gtin,
                lot = alert.lot.as_deref().unwrap_or("-")
            ),
            String::new(),
        ),
    };
    let stock: Vec<String> = alert
        .stock
        .iter()
        .map(|(location, quantity)| format!("{location}: {quantity}{unit}"))
        .collect();
    Ok(text!(
        "{expiry}: {what} at {stock}",
        expiry = expiry_phrase(alert.expiry, ctx.today),
        what,
        stock = stock.join(", ")
    ))
}
