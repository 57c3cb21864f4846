//! The open-orders list: which sales orders still have work, and how far
//! each has got, so a picker or packer can choose one without paper. The
//! `orders` action lists them as feedback; the touchscreen's pick list
//! shows the same [`OpenOrder`]s as rows to tap.

use super::engine::{Context, Outcome, StepResult};
use super::feedback::Feedback;
use crate::journal::{Journal, OrderLineProgress, Result};
use crate::text;
use crate::text::Text;

/// Where an open order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderStep {
    /// Nothing picked yet.
    NotStarted,
    /// Some lines picked, some not.
    Picking,
    /// Every line picked (or closed short), not all packed.
    ReadyToPack,
    /// Packed and waiting to ship.
    ReadyToShip,
}

impl OrderStep {
    /// The step as the list shows it.
    pub fn title(self) -> Text {
        match self {
            OrderStep::NotStarted => text!("not started"),
            OrderStep::Picking => text!("picking"),
            OrderStep::ReadyToPack => text!("ready to pack"),
            OrderStep::ReadyToShip => text!("ready to ship"),
        }
    }
}

/// A sales order not yet completely shipped, with its progress in units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenOrder {
    /// The order number.
    pub number: String,
    /// The customer's name (its id when the customer list lacks it).
    pub customer: String,
    /// Where the order stands.
    pub step: OrderStep,
    /// How many lines it has.
    pub lines: usize,
    /// Units ordered, picked, packed and shipped over all lines.
    pub ordered: i64,
    /// Units picked.
    pub picked: i64,
    /// Units packed.
    pub packed: i64,
    /// Units shipped.
    pub shipped: i64,
}

/// The sales orders in `journal` not yet completely shipped, by number.
pub fn open_orders(journal: &Journal) -> Result<Vec<OpenOrder>> {
    let mut open = Vec::new();
    for number in journal.sales_order_numbers()? {
        let Some(order) = journal.sales_order(&number)? else {
            continue;
        };
        let progress = journal.sales_order_progress(&number)?;
        let shorts = journal.short_picks(&number)?;
        let total = |f: fn(&OrderLineProgress) -> i64| -> i64 { progress.iter().map(f).sum() };
        let (ordered, picked, packed, shipped) = (
            total(|l| l.ordered),
            total(|l| l.picked),
            total(|l| l.packed),
            total(|l| l.shipped),
        );
        let all_picked_or_short = progress
            .iter()
            .all(|l| l.picked >= l.ordered || shorts.iter().any(|s| s.gtin == l.gtin));
        if shipped > 0 && shipped >= picked && all_picked_or_short {
            continue;
        }
        let customer = journal
            .customer(&order.customer_id)?
            .map_or(order.customer_id.clone(), |c| c.name);
        let step = if packed > shipped && picked == packed && all_picked_or_short {
            OrderStep::ReadyToShip
        } else if picked > packed && all_picked_or_short {
            OrderStep::ReadyToPack
        } else if picked > 0 {
            OrderStep::Picking
        } else {
            OrderStep::NotStarted
        };
        open.push(OpenOrder {
            number,
            customer,
            step,
            lines: order.lines.len(),
            ordered,
            picked,
            packed,
            shipped,
        });
    }
    Ok(open)
}

/// Lists the sales orders not yet completely shipped, with their progress.
pub(super) fn list(ctx: &Context<'_>) -> StepResult<Outcome> {
    let orders = open_orders(ctx.journal)?;
    let feedback = if orders.is_empty() {
        Feedback::ok(text!("No open sales orders"))
    } else {
        Feedback::ok(text!("{count} open sales order(s)", count = orders.len()))
    };
    let lines = orders.iter().map(|o| {
        text!(
            "{order} {customer}: {step} — {lines} line(s), picked {picked}/{ordered}, packed {packed}, shipped {shipped}",
            order = &o.number,
            customer = &o.customer,
            step = o.step.title(),
            lines = o.lines,
            picked = o.picked,
            ordered = o.ordered,
            packed = o.packed,
            shipped = o.shipped
        )
    });
    Ok(Outcome::reply(lines.fold(feedback, Feedback::detail)))
}
