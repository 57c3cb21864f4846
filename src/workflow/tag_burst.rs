//! A burst of RFID tags (a pallet passing a reader, summarised by
//! [`crate::devices::rfid::pallet`]) as the workflows see it: for
//! receiving, one item per product with the number of cases read and the
//! pallet's SSCC. Elsewhere moves, picks and counts go one tag at a time:
//! a burst of one tag, or of one pallet tag with its cases (a pallet
//! carried past the reader at putaway), stands for that tag; any other
//! burst is refused, listing what was read.
//!
//! Nothing read is dropped without a word: keys that are not booked (a
//! returnable asset's GRAI, a location's SGLN) and EPCs that could not be
//! decoded are listed in the answer.

use super::engine::{Context, StepResult, Stop};
use super::feedback::Feedback;
use super::item::Item;
use crate::devices::rfid::pallet::PalletSummary;
use crate::scan::Scan;
use crate::scan::epc::Epc;
use crate::text;
use crate::text::Text;

/// What receiving makes of a burst.
#[derive(Debug)]
pub(super) struct ForReceiving {
    /// One item per product: its count is the number of distinct serials
    /// read, its SSCC the pallet's when one pallet tag was read.
    pub items: Vec<Item>,
    /// Tags read but not booked, one line each.
    pub notes: Vec<Text>,
    /// Tags that could not be decoded, one line each: worth a look.
    pub warnings: Vec<Text>,
}

/// The items of a burst for receiving. Refused, recording nothing, when
/// no product tag was read, when tags of more than one pallet were read
/// together (the cases could not be told apart), or when a product is not
/// in the product list.
pub(super) fn for_receiving(
    ctx: &Context<'_>,
    summary: &PalletSummary,
) -> StepResult<ForReceiving> {
    let refused = |message: Text| Err(Stop::Refused(with_reads(Feedback::block(message), summary)));
    if summary.groups.is_empty() {
        return refused(text!(
            "No product tag (SGTIN) among the {count} tag(s) read: nothing received",
            count = summary.tags()
        ));
    }
    let ssccs: Vec<&str> = summary
        .others
        .iter()
        .filter_map(|scan| scan.identity.sscc.as_deref())
        .collect();
    if ssccs.len() > 1 {
        return refused(text!(
            "Tags of {count} pallets were read together: bring one pallet at a time; nothing received",
            count = ssccs.len()
        ));
    }
    let mut items = Vec::with_capacity(summary.groups.len());
    for group in &summary.groups {
        let Some(product) = ctx.journal.product(&group.gtin)? else {
            return refused(text!(
                "Unknown product GTIN {gtin} ({count} tag(s)): it is not in the product list; set those cases aside and tell the office. Nothing received",
                gtin = &group.gtin,
                count = group.count()
            ));
        };
        let count = i64::try_from(group.count()).unwrap_or(i64::MAX);
        let serial = match group.count() {
            1 => group.serials.first().cloned(),
            _ => None,
        };
        items.push(Item {
            product,
            lot: None,
            expiry: None,
            count: Some(count),
            serial,
            sscc: ssccs.first().map(|s| (*s).to_owned()),
        });
    }
    let notes = summary
        .others
        .iter()
        .filter(|scan| scan.identity.sscc.is_none())
        .map(|scan| text!("Not booked: {epc}", epc = uri(scan)))
        .collect();
    Ok(ForReceiving {
        items,
        notes,
        warnings: undecoded(summary),
    })
}

/// The EPC (as hex) a burst outside receiving stands for: its only tag
/// (`first`, the first EPC given), else the tag of the one pallet read
/// with its cases; `None` when it stands for no single tag.
pub(super) fn lead(summary: &PalletSummary, first: &str) -> Option<String> {
    if summary.tags() == 1 {
        return Some(first.to_owned());
    }
    let mut pallets = summary
        .others
        .iter()
        .filter(|scan| scan.identity.sscc.is_some());
    match (pallets.next(), pallets.next()) {
        (Some(pallet), None) => pallet.epc.as_ref().map(Epc::to_hex),
        _ => None,
    }
}

/// The answer to the scan of a burst's [`lead`] tag, with what else was
/// read when the burst held more than that tag.
pub(super) fn read_with(feedback: Feedback, summary: &PalletSummary) -> Feedback {
    match summary.tags() {
        1 => feedback,
        _ => with_reads(feedback, summary),
    }
}

/// The answer to a burst outside receiving that stands for no single tag:
/// refused, with what was read.
pub(super) fn elsewhere(summary: &PalletSummary) -> Feedback {
    with_reads(
        Feedback::block(text!(
            "{count} tags read at once: only receiving books a burst of tags; read one tag or one pallet at a time here",
            count = summary.tags()
        )),
        summary,
    )
}

/// `feedback` with one line per product, pallet, other key and
/// undecodable EPC read.
fn with_reads(mut feedback: Feedback, summary: &PalletSummary) -> Feedback {
    for group in &summary.groups {
        feedback = feedback.detail(text!(
            "Read {count} case tag(s) of GTIN {gtin}",
            count = group.count(),
            gtin = &group.gtin
        ));
    }
    for scan in &summary.others {
        feedback = feedback.detail(match &scan.identity.sscc {
            Some(sscc) => text!("Read pallet SSCC {sscc}", sscc),
            None => text!("Read {epc}", epc = uri(scan)),
        });
    }
    feedback.details.extend(undecoded(summary));
    feedback
}

/// How a decoded EPC that is not a case nor a pallet reads on screen: its
/// pure-identity URI.
fn uri(scan: &Scan) -> String {
    scan.epc.as_ref().map(Epc::id_uri).unwrap_or_default()
}

/// One line per EPC that could not be decoded, with the reason.
fn undecoded(summary: &PalletSummary) -> Vec<Text> {
    summary
        .undecoded
        .iter()
        .map(|(hex, error)| {
            text!(
                "Not decoded, not booked: EPC {epc}: {error}",
                epc = hex,
                error = error.to_string()
            )
        })
        .collect()
}
