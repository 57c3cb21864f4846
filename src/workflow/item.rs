//! What a scan identifies for the workflows: the raw label text (badges,
//! locations, PO numbers) or a product with its lot, expiry and count.

use chrono::NaiveDate;

use super::engine::{Context, Outcome, StepResult, refuse};
use super::feedback::Feedback;
use crate::journal::{Location, Product};
use crate::scan::{Scan, ScanKind};
use crate::text;
use crate::text::Text;

/// One decoded scan together with the data as the scanner sent it.
#[derive(Debug, Clone)]
pub struct Scanned<'a> {
    /// The data as received.
    pub data: &'a str,
    /// What it decoded to.
    pub scan: Scan,
}

impl Scanned<'_> {
    /// The text a badge, location label or order number is looked up by:
    /// the decoded text without symbology identifier, else the raw data.
    pub fn label(&self) -> &str {
        self.scan.text.as_deref().unwrap_or(self.data)
    }

    /// The text a location is looked up by: the GLN of a GS1 location
    /// label (AI 414), else [`Scanned::label`].
    pub fn location_key(&self) -> &str {
        self.scan.identity.gln.as_deref().unwrap_or(self.label())
    }

    /// True when the scan is plain text (a badge, label or order number).
    pub fn is_text(&self) -> bool {
        self.scan.kind == ScanKind::Text
    }
}

/// A product label read at the dock or the shelf.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The product, from the reference data.
    pub product: Product,
    /// Lot (AI 10), if the label carries one.
    pub lot: Option<String>,
    /// Expiry (AI 17), if the label carries one.
    pub expiry: Option<NaiveDate>,
    /// Count (AI 30 or 37), if the label carries one.
    pub count: Option<i64>,
    /// Serial (AI 21), if any.
    pub serial: Option<String>,
    /// SSCC (AI 00) of the pallet or case, if the label carries one.
    pub sscc: Option<String>,
}

impl Item {
    /// How the operator sees the item: description and lot.
    pub fn describe(&self) -> Text {
        describe(&self.product, self.lot.as_deref())
    }

    /// Refuses a label without lot for a lot-tracked product: stock,
    /// status and history are per lot, so the lot must be known.
    pub fn require_lot(&self) -> StepResult<()> {
        if self.product.lot_tracked && self.lot.is_none() {
            return refuse(text!(
                "The label of {what} has no lot number: scan the label that shows the lot",
                what = self.describe()
            ));
        }
        Ok(())
    }
}

/// `description (GTIN)` plus ` lot L` when there is a lot.
pub fn describe(product: &Product, lot: Option<&str>) -> Text {
    let (description, gtin) = (&product.description, &product.gtin);
    match lot {
        Some(lot) => text!("{description} ({gtin}) lot {lot}", description, gtin, lot),
        None => text!("{description} ({gtin})", description, gtin),
    }
}

/// How an expiry reads on screen relative to `today`: `expired D (N days
/// ago)` or `expires D (N days left)`.
pub fn expiry_phrase(expiry: NaiveDate, today: NaiveDate) -> Text {
    let left = (expiry - today).num_days();
    if left < 0 {
        text!("expired {expiry} ({days} days ago)", expiry, days = -left)
    } else {
        text!("expires {expiry} ({left} days left)", expiry, left)
    }
}

/// Keeps a quantity typed on the keypad in `slot`, for the next item scan
/// whose label has no count of its own.
pub fn keep_keyed(slot: &mut Option<i64>, quantity: i64) -> StepResult<Outcome> {
    if quantity <= 0 {
        return refuse(text!(
            "The quantity must be at least 1, not {quantity}",
            quantity
        ));
    }
    *slot = Some(quantity);
    Ok(Outcome::reply(Feedback::ok(text!(
        "Quantity {quantity}: scan the item",
        quantity
    ))))
}

/// The location a scan names (code, label text or GLN); an unknown one is
/// refused.
pub fn locate(ctx: &Context<'_>, scanned: &Scanned<'_>) -> StepResult<Location> {
    let label = scanned.location_key();
    match ctx.journal.location_by_scan(label)? {
        Some(location) => Ok(location),
        None => refuse(text!(
            "Location \"{label}\" is not known: scan a location label",
            label
        )),
    }
}

/// The product a scan names. Refuses a scan without a GTIN and a GTIN the
/// reference data does not know (showing it, so the office can add it).
pub fn identify(ctx: &Context<'_>, scanned: &Scanned<'_>) -> StepResult<Item> {
    let identity = &scanned.scan.identity;
    let Some(gtin) = identity.gtin.as_deref() else {
        return refuse(text!(
            "\"{label}\" is not a product barcode: scan the product label",
            label = scanned.label()
        ));
    };
    let Some(product) = ctx.journal.product(gtin)? else {
        return refuse(text!(
            "Unknown product GTIN {gtin}: it is not in the product list; set it aside and tell the office",
            gtin
        ));
    };
    let count = identity
        .quantity
        .map(|n| {
            i64::try_from(n)
                .or_else(|_| refuse(text!("The count {n} on the label is too large", n)))
        })
        .transpose()?;
    Ok(Item {
        product,
        lot: identity.lot.clone(),
        expiry: identity.expiry,
        count,
        serial: identity.serial.clone(),
        sscc: identity.sscc.clone(),
    })
}
