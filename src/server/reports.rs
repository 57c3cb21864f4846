//! The server's reports over stored events: the recall trace, the expiry
//! report and the FSMA 204 and EPCIS exports. Each reads only the events
//! its answer depends on (one lot's, one period's) through the [`Store`]
//! and hands them to the pure functions of [`crate::traceability`], so the
//! HTTP endpoints, the CLI and the benchmark give the same answers on
//! either backend.

use std::collections::{BTreeSet, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::Value;

use super::store::{Store, StoreError};
use crate::journal::{Event, EventKind, ReferenceData};
use crate::traceability::epcis::{self, EpcisError, EpcisOptions};
use crate::traceability::expiry::{ExpiringLot, expiring_within};
use crate::traceability::fsma204::{self, Fsma204Options};
use crate::traceability::trace::{TraceReport, trace};
use crate::traceability::{Directory, History};

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Reading the events or reference data failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// An event cannot be expressed in EPCIS (named in the message).
    #[error("EPCIS export: {0}")]
    Epcis(#[from] EpcisError),
    /// Writing the CSV failed.
    #[error("CSV: {0}")]
    Csv(#[from] csv::Error),
}

/// The current reference data: products, parties, orders, operators.
async fn reference(store: &dyn Store) -> Result<ReferenceData, StoreError> {
    Ok(store.reference_since(0).await?.changes)
}

/// The recall trace of lot `lot` of `gtin` (`None`: goods without a lot).
pub async fn lot_trace(
    store: &dyn Store,
    gtin: &str,
    lot: Option<&str>,
) -> Result<TraceReport, ReportError> {
    let events = store.lot_events(gtin, lot).await?;
    let reference = reference(store).await?;
    Ok(trace(
        &History::new(&events),
        &Directory::new(&reference),
        gtin,
        lot,
    ))
}

/// The lot's events as an EPCIS 2.0 document: the trace in the form
/// trading partners and regulators read.
pub async fn lot_epcis(
    store: &dyn Store,
    gtin: &str,
    lot: Option<&str>,
    options: &EpcisOptions,
) -> Result<Value, ReportError> {
    let events = store.lot_events(gtin, lot).await?;
    let reference = reference(store).await?;
    Ok(epcis::document(&events, &reference, options)?)
}

/// Lots in stock anywhere that expire on or before `today + days`
/// (expired ones included), earliest first.
pub async fn expiring(
    store: &dyn Store,
    today: NaiveDate,
    days: u32,
) -> Result<Vec<ExpiringLot>, ReportError> {
    let horizon = today + Duration::days(i64::from(days));
    let mut events = Vec::new();
    for (gtin, lot) in store.lots_expiring_by(horizon).await? {
        events.extend(store.lot_events(&gtin, lot.as_deref()).await?);
    }
    // A carton shipped whole is read once per lot packed into it.
    dedup(&mut events);
    Ok(expiring_within(&History::new(&events), today, days))
}

/// The FSMA 204 spreadsheet of the receiving and shipping events recorded
/// in `[from, to)`. Each lot's whole history is read as context: its
/// first receipt gives the traceability lot code source, and the packing
/// of a carton shipped whole says which lots it carried.
pub async fn fsma204_spreadsheet(
    store: &dyn Store,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    options: &Fsma204Options,
) -> Result<String, ReportError> {
    let mut events = store.period_events(from, to).await?;
    let shipped_whole: BTreeSet<String> = events
        .iter()
        .filter(|e| e.body.kind == EventKind::Shipping && e.body.gtin.is_none())
        .filter_map(|e| e.body.sscc.clone())
        .collect();
    for sscc in &shipped_whole {
        events.extend(store.carton_packing(sscc).await?);
    }
    let lots: BTreeSet<(String, Option<String>)> = events
        .iter()
        .filter_map(|e| Some((e.body.gtin.clone()?, e.body.lot.clone())))
        .collect();
    for (gtin, lot) in &lots {
        events.extend(store.lot_events(gtin, lot.as_deref()).await?);
    }
    dedup(&mut events);
    let reference = reference(store).await?;
    let options = Fsma204Options {
        period: Some((from, to)),
        ..options.clone()
    };
    Ok(fsma204::spreadsheet(&events, &reference, &options)?)
}

/// The EPCIS 2.0 document of the events recorded in `[from, to)` and the
/// corrections of them.
pub async fn epcis_document(
    store: &dyn Store,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    options: &EpcisOptions,
) -> Result<Value, ReportError> {
    let events = store.period_events(from, to).await?;
    let reference = reference(store).await?;
    Ok(epcis::document(&events, &reference, options)?)
}

/// Drops the second and later copies of an event read twice.
fn dedup(events: &mut Vec<Event>) {
    let mut seen = HashSet::new();
    events.retain(|e| seen.insert((e.device_id.clone(), e.seq)));
}
