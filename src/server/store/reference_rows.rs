//! Reference data as storage rows: every record (product, location, party,
//! order, lot status, operator) is one `(kind, key, body)` row, the body its
//! JSON. One table and one change cursor then serve every kind, and a
//! terminal's `GET /v1/reference?since=…` is one indexed range scan.
//! Written once here; both backends only move the rows.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::StoreError;
use crate::journal::ReferenceData;
use crate::protocol::ReferenceChanges;
use crate::traceability::reference_import::KnownKeys;

/// Stored kind names, one per [`ReferenceData`] list.
const PRODUCT: &str = "product";
const LOCATION: &str = "location";
const SUPPLIER: &str = "supplier";
const CUSTOMER: &str = "customer";
const PURCHASE_ORDER: &str = "purchase_order";
const SALES_ORDER: &str = "sales_order";
const LOT_STATUS: &str = "lot_status";
const OPERATOR: &str = "operator";

/// One record as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceRow {
    /// Which list of [`ReferenceData`] it belongs to.
    pub kind: &'static str,
    /// Its identity within the kind: a later record with the same key
    /// replaces it.
    pub key: String,
    /// The record as JSON.
    pub body: String,
}

fn row<T: Serialize>(
    kind: &'static str,
    key: String,
    record: &T,
) -> Result<ReferenceRow, StoreError> {
    let body = serde_json::to_string(record)
        .map_err(|e| StoreError::Corrupt(format!("encoding a {kind}: {e}")))?;
    Ok(ReferenceRow { kind, key, body })
}

/// Every record of `data` as a row.
pub fn rows(data: &ReferenceData) -> Result<Vec<ReferenceRow>, StoreError> {
    let mut out = Vec::new();
    for p in &data.products {
        out.push(row(PRODUCT, p.gtin.clone(), p)?);
    }
    for l in &data.locations {
        out.push(row(LOCATION, l.code.clone(), l)?);
    }
    for s in &data.suppliers {
        out.push(row(SUPPLIER, s.id.clone(), s)?);
    }
    for c in &data.customers {
        out.push(row(CUSTOMER, c.id.clone(), c)?);
    }
    for o in &data.purchase_orders {
        out.push(row(PURCHASE_ORDER, o.number.clone(), o)?);
    }
    for o in &data.sales_orders {
        out.push(row(SALES_ORDER, o.number.clone(), o)?);
    }
    for s in &data.lot_statuses {
        // A JSON pair keeps "no lot" apart from every lot text.
        let key = serde_json::json!([s.gtin, s.lot]).to_string();
        out.push(row(LOT_STATUS, key, s)?);
    }
    for o in &data.operators {
        out.push(row(OPERATOR, o.badge.clone(), o)?);
    }
    Ok(out)
}

fn push<T: DeserializeOwned>(list: &mut Vec<T>, kind: &str, body: &str) -> Result<(), StoreError> {
    let record = serde_json::from_str(body)
        .map_err(|e| StoreError::Corrupt(format!("a stored {kind}: {e}")))?;
    list.push(record);
    Ok(())
}

/// The changes after cursor `since` from stored `(kind, body, cursor)`
/// rows; the reply's cursor is the newest row's (or `since` when there is
/// none), so a client asking again with it misses nothing.
pub fn changes(
    stored: impl IntoIterator<Item = (String, String, i64)>,
    since: u64,
) -> Result<ReferenceChanges, StoreError> {
    let mut data = ReferenceData::default();
    let mut cursor = since;
    for (kind, body, at) in stored {
        let at = u64::try_from(at)
            .map_err(|_| StoreError::Corrupt(format!("negative reference cursor {at}")))?;
        cursor = cursor.max(at);
        match kind.as_str() {
            PRODUCT => push(&mut data.products, &kind, &body)?,
            LOCATION => push(&mut data.locations, &kind, &body)?,
            SUPPLIER => push(&mut data.suppliers, &kind, &body)?,
            CUSTOMER => push(&mut data.customers, &kind, &body)?,
            PURCHASE_ORDER => push(&mut data.purchase_orders, &kind, &body)?,
            SALES_ORDER => push(&mut data.sales_orders, &kind, &body)?,
            LOT_STATUS => push(&mut data.lot_statuses, &kind, &body)?,
            OPERATOR => push(&mut data.operators, &kind, &body)?,
            other => {
                return Err(StoreError::Corrupt(format!(
                    "unknown reference kind {other:?}"
                )));
            }
        }
    }
    Ok(ReferenceChanges {
        cursor: cursor.to_string(),
        changes: data,
    })
}

/// The kinds whose keys orders may refer to, for [`known_keys`].
pub const KEYED_KINDS: [&str; 3] = [PRODUCT, SUPPLIER, CUSTOMER];

/// [`KnownKeys`] from stored `(kind, key)` rows of [`KEYED_KINDS`].
pub fn known_keys(stored: impl IntoIterator<Item = (String, String)>) -> KnownKeys {
    let mut known = KnownKeys::default();
    for (kind, key) in stored {
        let set = match kind.as_str() {
            PRODUCT => &mut known.gtins,
            SUPPLIER => &mut known.suppliers,
            CUSTOMER => &mut known.customers,
            _ => continue,
        };
        set.insert(key);
    }
    known
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{LotState, LotStatus, Party, Product};

    fn sample() -> ReferenceData {
        let status = |lot: Option<&str>| LotStatus {
            gtin: "09506000134352".into(),
            lot: lot.map(str::to_owned),
            state: LotState::Held,
            reason: Some("QA".into()),
            issued_by: "qa".into(),
            issued_at: chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap(),
        };
        ReferenceData {
            products: vec![Product {
                gtin: "09506000134352".into(),
                description: "Oats".into(),
                unit: "EA".into(),
                lot_tracked: true,
                expiry_tracked: true,
                min_shelf_life_receipt_days: Some(30),
                min_shelf_life_shipment_days: None,
            }],
            suppliers: vec![Party {
                id: "S1".into(),
                name: "Mill".into(),
                gln: None,
            }],
            lot_statuses: vec![status(Some("A1")), status(None)],
            ..ReferenceData::default()
        }
    }

    #[test]
    fn rows_round_trip_through_changes() {
        let data = sample();
        let stored: Vec<_> = rows(&data)
            .unwrap()
            .into_iter()
            .enumerate()
            .map(|(i, r)| (r.kind.to_owned(), r.body, 10 + i as i64))
            .collect();
        let back = changes(stored, 3).unwrap();
        assert_eq!(back.changes, data);
        assert_eq!(back.cursor, "13");
    }

    #[test]
    fn lot_and_no_lot_have_distinct_keys() {
        let keys: Vec<_> = rows(&sample())
            .unwrap()
            .into_iter()
            .filter(|r| r.kind == LOT_STATUS)
            .map(|r| r.key)
            .collect();
        assert_eq!(keys.len(), 2);
        assert_ne!(keys[0], keys[1]);
    }

    #[test]
    fn no_changes_keep_the_cursor_and_bad_rows_are_errors() {
        assert_eq!(changes(Vec::new(), 7).unwrap().cursor, "7");
        let unknown = changes(vec![("gadget".into(), "{}".into(), 1)], 0);
        assert!(matches!(unknown, Err(StoreError::Corrupt(_))));
        let garbled = changes(vec![(PRODUCT.into(), "{".into(), 1)], 0);
        assert!(matches!(garbled, Err(StoreError::Corrupt(_))));
    }

    #[test]
    fn known_keys_sorts_keys_by_kind() {
        let known = known_keys(vec![
            (PRODUCT.into(), "g".into()),
            (SUPPLIER.into(), "s".into()),
            (CUSTOMER.into(), "c".into()),
        ]);
        assert!(known.gtins.contains("g"));
        assert!(known.suppliers.contains("s"));
        assert!(known.customers.contains("c"));
    }
}
