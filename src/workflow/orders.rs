//! The open-orders list: which sales orders still have work, and how far
//! each has got, so a picker or packer can choose one without paper.

use super::engine::{Context, Outcome, StepResult};
use super::feedback::Feedback;

/// Lists the sales orders not yet completely shipped, with their progress.
pub(super) fn list(ctx: &Context<'_>) -> StepResult<Outcome> {
    let mut lines = Vec::new();
    for number in ctx.journal.sales_order_numbers()? {
        let Some(order) = ctx.journal.sales_order(&number)? else {
            continue;
        };
        let progress = ctx.journal.sales_order_progress(&number)?;
        let shorts = ctx.journal.short_picks(&number)?;
        let total = |f: fn(&crate::journal::OrderLineProgress) -> i64| -> i64 {
            progress.iter().map(f).sum()
        };
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
        let customer = ctx
            .journal
            .customer(&order.customer_id)?
            .map_or(order.customer_id.clone(), |c| c.name);
        let step = if packed > shipped && picked == packed && all_picked_or_short {
            "ready to ship"
        } else if picked > packed && all_picked_or_short {
            "ready to pack"
        } else if picked > 0 {
            "picking"
        } else {
            "not started"
        };
        lines.push(format!(
            "{number} {customer}: {step} — {} line(s), picked {picked}/{ordered}, packed {packed}, shipped {shipped}",
            order.lines.len()
        ));
    }
    let feedback = if lines.is_empty() {
        Feedback::ok("No open sales orders")
    } else {
        Feedback::ok(format!("{} open sales order(s)", lines.len()))
    };
    Ok(Outcome::reply(
        lines.into_iter().fold(feedback, Feedback::detail),
    ))
}
