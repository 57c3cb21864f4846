//! The lot rules every outbound step (pick, pack, ship) applies the same
//! way: a held or recalled lot does not leave, an expired one does not
//! leave, and one with less shelf life left than the product's minimum at
//! shipment does not leave. Checked again at each step because a hold or
//! recall can arrive, and a date can pass, between picking and shipping.

use chrono::NaiveDate;

use super::engine::{Context, StepResult, refuse};
use super::item::describe;
use crate::journal::{LotState, Product};
use crate::text;
use crate::text::{Arg, Text};

/// Refuses `lot` of `product` for shipment; otherwise its expiry (as the
/// journal knows it, else `label_expiry`). `verb` is the step refused
/// ("pick", "pack", "ship"), as in "do not pick it".
pub(super) fn check(
    ctx: &Context<'_>,
    product: &Product,
    lot: Option<&str>,
    label_expiry: Option<NaiveDate>,
    verb: Text,
) -> StepResult<Option<NaiveDate>> {
    let what = &describe(product, lot);
    let verb = &verb;
    // Two point lookups, not a lot lookup: this runs on every outbound
    // scan, and a busy lot has thousands of events.
    let status = ctx.journal.lot_status(&product.gtin, lot)?;
    if let Some(status) = status {
        let refused = match (status.state, status.reason) {
            (LotState::Held, Some(reason)) => Some(text!(
                "{what} is held ({reason}): do not {verb} it",
                what,
                reason,
                verb
            )),
            (LotState::Held, None) => Some(text!("{what} is held: do not {verb} it", what, verb)),
            (LotState::Recalled, Some(reason)) => Some(text!(
                "{what} is recalled ({reason}): do not {verb} it",
                what,
                reason,
                verb
            )),
            (LotState::Recalled, None) => {
                Some(text!("{what} is recalled: do not {verb} it", what, verb))
            }
            (LotState::Released, _) => None,
        };
        if let Some(refused) = refused {
            return refuse(refused);
        }
    }
    let expiry = ctx.journal.lot_expiry(&product.gtin, lot)?.or(label_expiry);
    if let Some(expiry) = expiry {
        let left = (expiry - ctx.today).num_days();
        if left < 0 {
            return refuse(text!(
                "{what} expired on {expiry}: do not {verb} it",
                what,
                expiry,
                verb
            ));
        }
        if let Some(min) = product.min_shelf_life_shipment_days
            && left < i64::from(min)
        {
            return refuse(text!(
                "{what} expires {expiry}: {left} days left, {required} required at shipment",
                what,
                expiry,
                left,
                required = min
            ));
        }
    }
    Ok(expiry)
}

/// A lot as a sentence shows it: its number, or "(no lot)" for stock
/// without one.
pub(super) fn lot_or_none(lot: Option<&str>) -> Arg {
    match lot {
        Some(lot) => Arg::from(lot),
        None => Arg::from(text!("(no lot)")),
    }
}
