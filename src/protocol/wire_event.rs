//! One event as it travels: the journal export's fields, as JSON scalars.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::journal::{ChainHash, Event, EventBody, EventKind};

/// An event on the wire. Field names and order are the journal export's
/// ([`crate::journal::EXPORT_FIELDS`]); absent optional fields are `null`.
/// Text forms: UUIDs hyphenated, `recorded_at` RFC 3339 UTC with
/// microseconds, `expiry` `YYYY-MM-DD`, hashes 64 lowercase hex digits.
///
/// Scalars stay text here so that a malformed value is reported by
/// [`WireEvent::to_event`] with the name of its field instead of failing
/// the whole body with a position only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WireEvent {
    /// UUIDv7 of the event.
    pub event_id: String,
    /// The terminal's journal device id.
    pub device_id: String,
    /// Position in the device's journal, from 1.
    pub seq: u64,
    /// Device clock, RFC 3339 UTC.
    pub recorded_at: String,
    /// Operator badge.
    pub operator: String,
    /// Business step (snake_case name).
    pub kind: String,
    /// GTIN-14.
    pub gtin: Option<String>,
    /// Lot.
    pub lot: Option<String>,
    /// Expiry date, `YYYY-MM-DD`.
    pub expiry: Option<String>,
    /// Serial number.
    pub serial: Option<String>,
    /// SSCC.
    pub sscc: Option<String>,
    /// Quantity in `unit`.
    pub quantity: i64,
    /// Unit of measure.
    pub unit: String,
    /// Source location.
    pub from_location: Option<String>,
    /// Destination location.
    pub to_location: Option<String>,
    /// Purchase order.
    pub purchase_order: Option<String>,
    /// Sales order.
    pub sales_order: Option<String>,
    /// Reason text.
    pub reason: Option<String>,
    /// The corrected event's id.
    pub correction_of: Option<String>,
    /// Previous event's hash.
    pub prev_hash: String,
    /// This event's hash as the terminal computed it.
    pub hash: String,
}

/// A field of a [`WireEvent`] that does not hold a valid value: which one,
/// and why. The server reports it verbatim in a problem body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {why}")]
pub struct FieldError {
    /// The field's name as on the wire.
    pub field: &'static str,
    /// What is wrong with it.
    pub why: String,
}

fn bad(field: &'static str, why: impl Into<String>) -> FieldError {
    FieldError {
        field,
        why: why.into(),
    }
}

impl From<&Event> for WireEvent {
    fn from(event: &Event) -> WireEvent {
        let b = &event.body;
        WireEvent {
            event_id: event.event_id.to_string(),
            device_id: event.device_id.clone(),
            seq: event.seq,
            recorded_at: event
                .recorded_at
                .to_rfc3339_opts(SecondsFormat::Micros, true),
            operator: b.operator.clone(),
            kind: b.kind.as_str().to_owned(),
            gtin: b.gtin.clone(),
            lot: b.lot.clone(),
            expiry: b.expiry.map(crate::journal::iso_date),
            serial: b.serial.clone(),
            sscc: b.sscc.clone(),
            quantity: b.quantity,
            unit: b.unit.clone(),
            from_location: b.from_location.clone(),
            to_location: b.to_location.clone(),
            purchase_order: b.purchase_order.clone(),
            sales_order: b.sales_order.clone(),
            reason: b.reason.clone(),
            correction_of: b.correction_of.map(|id| id.to_string()),
            prev_hash: event.prev_hash.to_string(),
            hash: event.hash.to_string(),
        }
    }
}

impl WireEvent {
    /// The journal event this describes, exactly as the terminal recorded
    /// it (the hash is taken as sent, not recomputed: checking it is the
    /// receiver's job). The first invalid field is the error.
    pub fn to_event(&self) -> Result<Event, FieldError> {
        let uuid = |field, text: &str| Uuid::parse_str(text).map_err(|_| bad(field, "not a UUID"));
        let hash = |field, text: &str| {
            text.parse::<ChainHash>()
                .map_err(|e| bad(field, e.to_string()))
        };
        if self.seq == 0 {
            return Err(bad("seq", "seq starts at 1"));
        }
        let recorded_at = DateTime::parse_from_rfc3339(&self.recorded_at)
            .map_err(|_| bad("recorded_at", "not an RFC 3339 date-time"))?
            .with_timezone(&Utc);
        let kind = EventKind::from_name(&self.kind)
            .ok_or_else(|| bad("kind", format!("unknown kind {:?}", self.kind)))?;
        let expiry = match &self.expiry {
            None => None,
            Some(text) => Some(
                NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .map_err(|_| bad("expiry", "not a YYYY-MM-DD date"))?,
            ),
        };
        let correction_of = match &self.correction_of {
            None => None,
            Some(text) => Some(uuid("correction_of", text)?),
        };
        Ok(Event {
            event_id: uuid("event_id", &self.event_id)?,
            device_id: self.device_id.clone(),
            seq: self.seq,
            recorded_at,
            body: EventBody {
                operator: self.operator.clone(),
                kind,
                gtin: self.gtin.clone(),
                lot: self.lot.clone(),
                expiry,
                serial: self.serial.clone(),
                sscc: self.sscc.clone(),
                quantity: self.quantity,
                unit: self.unit.clone(),
                from_location: self.from_location.clone(),
                to_location: self.to_location.clone(),
                purchase_order: self.purchase_order.clone(),
                sales_order: self.sales_order.clone(),
                reason: self.reason.clone(),
                correction_of,
            },
            prev_hash: hash("prev_hash", &self.prev_hash)?,
            hash: hash("hash", &self.hash)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::EXPORT_FIELDS;
    use proptest::prelude::*;

    fn event(seq: u64, micros: i64, lot: Option<String>, qty: i64) -> Event {
        let mut body = EventBody::new("badge-7", EventKind::Receiving);
        body.gtin = Some("09506000134352".into());
        body.lot = lot;
        body.expiry = NaiveDate::from_ymd_opt(2027, 3, 31);
        body.quantity = qty;
        body.to_location = Some("DOCK-1".into());
        body.correction_of = Some(Uuid::from_u128(7));
        let mut e = Event {
            event_id: Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0001),
            device_id: "term-01".into(),
            seq,
            recorded_at: DateTime::from_timestamp_micros(micros).unwrap(),
            body,
            prev_hash: ChainHash([3; 32]),
            hash: ChainHash::GENESIS,
        };
        e.hash = e.compute_hash();
        e
    }

    #[test]
    fn field_names_and_order_are_the_exports() {
        let json = serde_json::to_value(WireEvent::from(&event(1, 0, None, 1))).unwrap();
        let names: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut expected = EXPORT_FIELDS.to_vec();
        expected.sort_unstable();
        let mut names = names;
        names.sort_unstable();
        assert_eq!(names, expected);
        let text = serde_json::to_string(&WireEvent::from(&event(1, 0, None, 1))).unwrap();
        let positions: Vec<usize> = EXPORT_FIELDS
            .iter()
            .map(|f| text.find(&format!("\"{f}\":")).unwrap())
            .collect();
        assert!(positions.is_sorted(), "fields out of export order: {text}");
    }

    #[test]
    fn each_bad_field_is_named() {
        let good = WireEvent::from(&event(1, 0, None, 1));
        type Spoil = fn(&mut WireEvent);
        let cases: [(&str, Spoil); 8] = [
            ("event_id", |w| w.event_id = "nope".into()),
            ("seq", |w| w.seq = 0),
            ("recorded_at", |w| w.recorded_at = "yesterday".into()),
            ("kind", |w| w.kind = "Receiving".into()),
            ("expiry", |w| w.expiry = Some("2027-02-30".into())),
            ("correction_of", |w| w.correction_of = Some("x".into())),
            ("prev_hash", |w| w.prev_hash = "00".into()),
            ("hash", |w| w.hash = "Z".repeat(64)),
        ];
        for (field, spoil) in cases {
            let mut wire = good.clone();
            spoil(&mut wire);
            assert_eq!(wire.to_event().unwrap_err().field, field);
        }
    }

    #[test]
    fn unknown_fields_are_refused() {
        let mut json = serde_json::to_value(WireEvent::from(&event(1, 0, None, 1))).unwrap();
        json["colour"] = "red".into();
        let err = serde_json::from_value::<WireEvent>(json).unwrap_err();
        assert!(err.to_string().contains("colour"), "{err}");
    }

    proptest! {
        /// Event → wire → JSON → wire → event gives back the same event (any
        /// time in years 1–9999, the RFC 3339 range),
        /// and its hash still verifies.
        #[test]
        fn round_trip_is_lossless(
            seq in 1u64..u64::MAX,
            micros in -62_135_596_800_000_000i64..253_402_300_799_000_000,
            lot in proptest::option::of("\\PC{0,12}"),
            qty in any::<i64>(),
        ) {
            let original = event(seq, micros, lot, qty);
            let text = serde_json::to_string(&WireEvent::from(&original)).unwrap();
            let back = serde_json::from_str::<WireEvent>(&text).unwrap().to_event().unwrap();
            prop_assert_eq!(back.compute_hash(), original.hash);
            prop_assert_eq!(back, original);
        }
    }
}
