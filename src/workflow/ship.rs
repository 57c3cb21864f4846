//! Shipping an order: once everything picked is packed and no carton is
//! left open, every packed carton line not yet shipped gets a `shipping`
//! event from the packing location with the customer as destination
//! (`to_location`), in one transaction. The lot rules are checked once more:
//! a lot recalled or held after packing does not leave.

use super::engine::{Context, Outcome, StepResult, refuse};
use super::feedback::Feedback;
use super::item::describe;
use super::outbound_rules;
use crate::journal::{EventBody, EventKind, SalesOrder};
use crate::text;
use crate::text::Arg;

/// Ships what is packed for `order`; `carton_open` says the packing task
/// still has a carton with goods in it.
pub(super) fn ship(
    ctx: &Context<'_>,
    order: &SalesOrder,
    carton_open: bool,
) -> StepResult<Outcome> {
    let number = &order.number;
    if carton_open {
        return refuse(text!(
            "A carton of order {order} is still open: close it before shipping",
            order = number
        ));
    }
    for lot in ctx.journal.sales_order_lots(number)? {
        let unpacked = lot.picked - lot.packed;
        if unpacked > 0 {
            return refuse(text!(
                "{unpacked} of GTIN {gtin} lot {lot} were picked for order {order} but not packed: pack them first",
                unpacked,
                gtin = &lot.gtin,
                lot = lot.lot.as_deref().unwrap_or("-"),
                order = number
            ));
        }
    }
    let customer = ctx.journal.customer(&order.customer_id)?;
    let customer_name = customer.map_or_else(|| order.customer_id.clone(), |c| c.name);
    let mut records = Vec::new();
    let mut cartons: Vec<&str> = Vec::new();
    let lines = ctx.journal.order_cartons(number)?;
    for line in &lines {
        let quantity = line.quantity - line.shipped;
        if quantity <= 0 {
            continue;
        }
        let Some(product) = ctx.journal.product(&line.gtin)? else {
            return refuse(text!(
                "GTIN {gtin} in carton {sscc} is not in the product list: tell the office",
                gtin = &line.gtin,
                sscc = &line.sscc
            ));
        };
        let expiry = outbound_rules::check(
            ctx,
            &product,
            line.lot.as_deref(),
            line.expiry,
            text!("ship"),
        )?;
        let mut body = EventBody::new(ctx.operator, EventKind::Shipping);
        body.gtin = Some(line.gtin.clone());
        body.unit = line.unit.clone();
        body.lot = line.lot.clone();
        body.expiry = expiry;
        body.quantity = quantity;
        body.sscc = Some(line.sscc.clone());
        body.sales_order = Some(number.clone());
        body.from_location = Some(ctx.settings.packing_location.clone());
        body.to_location = Some(order.customer_id.clone());
        records.push((body, describe(&product, line.lot.as_deref())));
        if !cartons.contains(&line.sscc.as_str()) {
            cartons.push(&line.sscc);
        }
    }
    if records.is_empty() {
        return refuse(text!(
            "Nothing packed for order {order} is waiting to ship",
            order = number
        ));
    }
    let mut feedback = Feedback::ok(text!(
        "Order {order} shipped to {customer}: {count} carton(s)",
        order = number,
        customer = customer_name,
        count = cartons.len()
    ));
    for (body, what) in &records {
        feedback = feedback.detail(text!(
            "{quantity} {unit} of {what} in carton {sscc}",
            quantity = body.quantity,
            unit = &body.unit,
            what,
            sscc = body.sscc.as_deref().unwrap_or("-")
        ));
    }
    let short = text::list(
        ctx.journal
            .sales_order_progress(number)?
            .into_iter()
            .filter(|line| line.ordered > line.picked)
            .map(|line| {
                Arg::from(text!(
                    "{quantity} of GTIN {gtin}",
                    quantity = line.ordered - line.picked,
                    gtin = line.gtin
                ))
            }),
    );
    if let Some(lines) = short {
        feedback = feedback.warn(text!("Shipped short: {lines}", lines));
    }
    Ok(Outcome::record(
        feedback,
        records.into_iter().map(|(body, _)| body).collect(),
    ))
}
