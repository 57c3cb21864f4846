//! The lot rules every outbound step (pick, pack, ship) applies the same
//! way: a held or recalled lot does not leave, an expired one does not
//! leave, and one with less shelf life left than the product's minimum at
//! shipment does not leave. Checked again at each step because a hold or
//! recall can arrive, and a date can pass, between picking and shipping.

use chrono::NaiveDate;

use super::engine::{Context, StepResult, refuse};
use super::item::describe;
use crate::journal::{LotState, Product};

/// Refuses `lot` of `product` for shipment; otherwise its expiry (as the
/// journal knows it, else `label_expiry`).
pub(super) fn check(
    ctx: &Context<'_>,
    product: &Product,
    lot: Option<&str>,
    label_expiry: Option<NaiveDate>,
    verb: &str,
) -> StepResult<Option<NaiveDate>> {
    let what = describe(product, lot);
    // Two point lookups, not a lot lookup: this runs on every outbound
    // scan, and a busy lot has thousands of events.
    let status = ctx.journal.lot_status(&product.gtin, lot)?;
    if let Some(status) = status.filter(|s| matches!(s.state, LotState::Held | LotState::Recalled))
    {
        return refuse(format!(
            "{what} is {}{}: do not {verb} it",
            status.state.as_str(),
            status.reason.map(|r| format!(" ({r})")).unwrap_or_default()
        ));
    }
    let expiry = ctx.journal.lot_expiry(&product.gtin, lot)?.or(label_expiry);
    if let Some(expiry) = expiry {
        let left = (expiry - ctx.today).num_days();
        if left < 0 {
            return refuse(format!("{what} expired on {expiry}: do not {verb} it"));
        }
        if let Some(min) = product.min_shelf_life_shipment_days
            && left < i64::from(min)
        {
            return refuse(format!(
                "{what} expires {expiry}: {left} days left, {min} required at shipment"
            ));
        }
    }
    Ok(expiry)
}
