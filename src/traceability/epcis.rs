//! Events as an EPCIS 2.0 JSON-LD document, for trading partners and
//! regulators who read GS1 EPCIS / CBV 2.0 rather than our CSVs.
//!
//! Mapping (also in `docs/server-exports.md`):
//! * each event kind is its CBV business step; packing into a carton is an
//!   `AggregationEvent` (parent: the carton's SSCC), everything else an
//!   `ObjectEvent`;
//! * goods are a `quantityList` of LGTIN classes (one lot of one GTIN) with
//!   quantity and unit; serialised items are SGTINs in `epcList`; a
//!   shipment of a whole carton is its SSCC in `epcList`;
//! * receiving is `action: ADD` and carries the lot's `ilmd` (lot number and
//!   expiry), since EPCIS allows instance/lot master data only there; every
//!   other event is `OBSERVE`;
//! * `readPoint` is where the scan happened (destination, else origin),
//!   `bizLocation` where the goods are afterwards (the destination);
//! * purchase and sales orders are `bizTransactionList` entries, the
//!   supplier a source and the customer (and a GLN ship-to) destinations;
//! * a corrected event is exported with an `errorDeclaration` naming its
//!   correction; an undo (a correction with quantity zero) declares the
//!   original `did_not_occur` and is not itself exported.

use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::epc_uris::{self, CompanyPrefixes};
use super::{Directory, History, is_unit_code};
use crate::journal::{Event, EventKind, ReferenceData};
use crate::scan::ScanError;
use crate::scan::check_digit::mod10_valid;

/// The JSON-LD context every EPCIS 2.0 document starts with.
pub const EPCIS_CONTEXT: &str = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

/// What the export needs beyond events and reference data.
#[derive(Debug, Clone)]
pub struct EpcisOptions {
    /// How to split GS1 keys into EPC URIs.
    pub prefixes: CompanyPrefixes,
    /// The site's own base URI (e.g. `https://dc1.example.com/lotline`):
    /// locations without GLN, parties without GLN and orders are named
    /// below it, so they are URIs as EPCIS requires and unique to the site.
    pub base_uri: String,
    /// The site's time zone offset, for `eventTime` and
    /// `eventTimeZoneOffset`.
    pub offset: FixedOffset,
    /// The document's `creationDate`.
    pub created_at: DateTime<Utc>,
}

/// Why an event could not be exported.
#[derive(Debug, thiserror::Error)]
#[error("event {event_id} (device {device_id} seq {seq}): {problem}")]
pub struct EpcisError {
    /// The event.
    pub event_id: Uuid,
    /// Its device.
    pub device_id: String,
    /// Its seq on that device.
    pub seq: u64,
    /// What is wrong with it.
    pub problem: String,
}

/// Characters escaped in a path segment below `base_uri`.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.');

/// The EPCIS document for `events` (any order; exported chronologically).
pub fn document(
    events: &[Event],
    reference: &ReferenceData,
    options: &EpcisOptions,
) -> Result<Value, EpcisError> {
    let history = History::new(events);
    let exporter = Exporter {
        directory: Directory::new(reference),
        options,
    };
    let mut ordered: Vec<&Event> = events.iter().collect();
    ordered.sort_by(|a, b| {
        (a.recorded_at, &a.device_id, a.seq).cmp(&(b.recorded_at, &b.device_id, b.seq))
    });
    let mut list = Vec::with_capacity(events.len());
    for event in ordered {
        let is_undo = event.body.correction_of.is_some() && event.body.quantity == 0;
        if is_undo {
            continue;
        }
        let mut json = exporter.event(event).map_err(|problem| EpcisError {
            event_id: event.event_id,
            device_id: event.device_id.clone(),
            seq: event.seq,
            problem,
        })?;
        if let Some(correction) = history.voided_by(event.event_id) {
            json.insert(
                "errorDeclaration".into(),
                exporter.error_declaration(correction),
            );
        }
        list.push(Value::Object(json));
    }
    Ok(json!({
        "@context": [EPCIS_CONTEXT],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": options.created_at.to_rfc3339_opts(SecondsFormat::Millis, true),
        "epcisBody": { "eventList": list },
    }))
}

/// The CBV business step and disposition of an event kind.
fn step_and_disposition(kind: EventKind) -> (&'static str, Option<&'static str>) {
    match kind {
        EventKind::Receiving => ("receiving", Some("in_progress")),
        EventKind::Storing => ("storing", Some("sellable_accessible")),
        EventKind::Picking => ("picking", Some("in_progress")),
        EventKind::Packing => ("packing", Some("in_progress")),
        EventKind::Shipping => ("shipping", Some("in_transit")),
        EventKind::Inspecting => ("inspecting", None),
        EventKind::CycleCounting => ("cycle_counting", Some("sellable_accessible")),
        EventKind::Holding => ("holding", Some("sellable_not_accessible")),
        // CBV has no release step: a release is the inspection that clears
        // the lot for sale again.
        EventKind::Releasing => ("inspecting", Some("sellable_accessible")),
    }
}

/// Turns events into EPCIS event objects.
struct Exporter<'a> {
    directory: Directory<'a>,
    options: &'a EpcisOptions,
}

impl Exporter<'_> {
    fn time(&self, at: DateTime<Utc>) -> String {
        at.with_timezone(&self.options.offset)
            .to_rfc3339_opts(SecondsFormat::Millis, false)
    }

    /// A URI below the site's base URI.
    fn site_uri(&self, kind: &str, key: &str) -> String {
        format!(
            "{}/{kind}/{}",
            self.options.base_uri.trim_end_matches('/'),
            utf8_percent_encode(key, SEGMENT)
        )
    }

    /// The SGLN of a location: its own, one from its GLN, or a site URI.
    fn location(&self, code: &str) -> Result<String, ScanError> {
        let known = self.directory.location(code);
        if let Some(sgln) = known
            .and_then(|l| l.sgln.as_deref())
            .filter(|s| s.starts_with("urn:epc:id:sgln:"))
        {
            return Ok(sgln.to_owned());
        }
        match known.and_then(|l| l.gln.as_deref()) {
            Some(gln) => epc_uris::sgln(&self.options.prefixes, gln),
            None => Ok(self.site_uri("locations", code)),
        }
    }

    /// A supplier's or customer's PGLN, or a site URI without a GLN.
    fn party(&self, kind: &str, party: &crate::journal::Party) -> Result<String, ScanError> {
        match &party.gln {
            Some(gln) => epc_uris::pgln(&self.options.prefixes, gln),
            None => Ok(self.site_uri(kind, &party.id)),
        }
    }

    fn error_declaration(&self, correction: &Event) -> Value {
        let mut declaration = Map::new();
        declaration.insert(
            "declarationTime".into(),
            self.time(correction.recorded_at).into(),
        );
        if correction.body.quantity == 0 {
            declaration.insert("reason".into(), "did_not_occur".into());
        } else {
            declaration.insert("reason".into(), "incorrect_data".into());
            declaration.insert(
                "correctiveEventIDs".into(),
                json!([format!("urn:uuid:{}", correction.event_id)]),
            );
        }
        Value::Object(declaration)
    }

    /// The EPCIS object for one event, without error declaration.
    fn event(&self, event: &Event) -> Result<Map<String, Value>, String> {
        let b = &event.body;
        let prefixes = &self.options.prefixes;
        let text = |e: ScanError| e.to_string();
        let (step, disposition) = step_and_disposition(b.kind);
        let mut out = Map::new();
        let aggregation = b.kind == EventKind::Packing && b.sscc.is_some() && b.gtin.is_some();
        out.insert(
            "type".into(),
            if aggregation {
                "AggregationEvent"
            } else {
                "ObjectEvent"
            }
            .into(),
        );
        out.insert(
            "eventID".into(),
            format!("urn:uuid:{}", event.event_id).into(),
        );
        out.insert("eventTime".into(), self.time(event.recorded_at).into());
        out.insert(
            "eventTimeZoneOffset".into(),
            self.options.offset.to_string().into(),
        );
        let receiving = b.kind == EventKind::Receiving;
        out.insert(
            "action".into(),
            if receiving || aggregation {
                "ADD"
            } else {
                "OBSERVE"
            }
            .into(),
        );
        // What the event is about.
        let (list_key, quantity_key) = if aggregation {
            let parent = epc_uris::sscc(prefixes, b.sscc.as_deref().unwrap_or_default());
            out.insert("parentID".into(), parent.map_err(text)?.into());
            ("childEPCs", "childQuantityList")
        } else {
            ("epcList", "quantityList")
        };
        match (&b.gtin, &b.serial, &b.sscc) {
            (Some(gtin), Some(serial), _) => {
                let epc = epc_uris::sgtin(prefixes, gtin, serial).map_err(text)?;
                out.insert(list_key.into(), json!([epc]));
            }
            (Some(gtin), None, _) => {
                let class = match &b.lot {
                    Some(lot) => epc_uris::lgtin_class(prefixes, gtin, lot),
                    None => epc_uris::gtin_class(prefixes, gtin),
                }
                .map_err(text)?;
                if !is_unit_code(&b.unit) {
                    return Err(format!(
                        "unit {:?} is not a UN/ECE Rec. 20 code (2 or 3 capitals or digits)",
                        b.unit
                    ));
                }
                out.insert(
                    quantity_key.into(),
                    json!([{ "epcClass": class, "quantity": b.quantity, "uom": b.unit }]),
                );
            }
            (None, _, Some(sscc)) => {
                let epc = epc_uris::sscc(prefixes, sscc).map_err(text)?;
                out.insert(list_key.into(), json!([epc]));
            }
            (None, _, None) => return Err("names neither a GTIN nor an SSCC".into()),
        }
        out.insert("bizStep".into(), step.into());
        if let Some(disposition) = disposition {
            out.insert("disposition".into(), disposition.into());
        }
        // A shipping event's `to_location` is the customer (a party, listed
        // as a destination), not a location of the site.
        let site_to = b
            .to_location
            .as_ref()
            .filter(|_| b.kind != EventKind::Shipping);
        if let Some(read_point) = site_to.or(b.from_location.as_ref()) {
            out.insert(
                "readPoint".into(),
                json!({ "id": self.location(read_point).map_err(text)? }),
            );
        }
        if let Some(to) = site_to {
            out.insert(
                "bizLocation".into(),
                json!({ "id": self.location(to).map_err(text)? }),
            );
        }
        self.transactions_and_parties(event, &mut out)
            .map_err(text)?;
        if receiving && (b.lot.is_some() || b.expiry.is_some()) {
            let mut ilmd = Map::new();
            if let Some(lot) = &b.lot {
                ilmd.insert("cbvmda:lotNumber".into(), lot.clone().into());
            }
            if let Some(expiry) = b.expiry {
                ilmd.insert(
                    "cbvmda:itemExpirationDate".into(),
                    expiry.format("%Y-%m-%d").to_string().into(),
                );
            }
            out.insert("ilmd".into(), Value::Object(ilmd));
        }
        Ok(out)
    }

    /// `bizTransactionList`, `sourceList` and `destinationList`.
    fn transactions_and_parties(
        &self,
        event: &Event,
        out: &mut Map<String, Value>,
    ) -> Result<(), ScanError> {
        let b = &event.body;
        let mut transactions = Vec::new();
        if let Some(po) = &b.purchase_order {
            transactions.push(json!({
                "type": "po",
                "bizTransaction": self.site_uri("purchase-orders", po),
            }));
            if let Some(supplier) = self.directory.supplier_of(po) {
                out.insert(
                    "sourceList".into(),
                    json!([{ "type": "owning_party", "source": self.party("suppliers", supplier)? }]),
                );
            }
        }
        if let Some(so) = &b.sales_order {
            // CBV has no sales-order type: it is the customer's purchase order.
            transactions.push(json!({
                "type": "po",
                "bizTransaction": self.site_uri("sales-orders", so),
            }));
            if b.kind == EventKind::Shipping {
                self.destinations(so, out)?;
            }
        }
        if !transactions.is_empty() {
            out.insert("bizTransactionList".into(), transactions.into());
        }
        Ok(())
    }

    /// The customer, and the ship-to location when it is a GLN.
    fn destinations(&self, so: &str, out: &mut Map<String, Value>) -> Result<(), ScanError> {
        let Some(order) = self.directory.sales_order(so) else {
            return Ok(());
        };
        let mut destinations = Vec::new();
        if let Some(customer) = self.directory.customer(&order.customer_id) {
            destinations.push(json!({
                "type": "owning_party",
                "destination": self.party("customers", customer)?,
            }));
        }
        if order.ship_to.len() == 13 && mod10_valid(order.ship_to.as_bytes()) {
            destinations.push(json!({
                "type": "location",
                "destination": epc_uris::sgln(&self.options.prefixes, &order.ship_to)?,
            }));
        }
        if !destinations.is_empty() {
            out.insert("destinationList".into(), destinations.into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use chrono::TimeZone;

    use super::*;
    use crate::traceability::test_history::*;

    /// GS1's EPCIS 2.0 files (schema and examples), kept with their
    /// licence in `tests/data/epcis/`.
    fn epcis_data(name: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/epcis")
            .join(name)
    }

    /// The EPCIS 2.0 JSON Schema.
    fn schema_path() -> PathBuf {
        epcis_data("EPCIS-JSON-Schema.json")
    }

    fn read_json(path: &std::path::Path) -> Value {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
            panic!(
                "cannot read {} ({e}): GS1's EPCIS 2.0 test data is missing",
                path.display()
            )
        });
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
    }

    /// Every schema violation in `document`, as `path: message` lines.
    fn schema_errors(document: &Value) -> Vec<String> {
        let schema = read_json(&schema_path());
        let validator = jsonschema::draft7::options()
            .should_validate_formats(true)
            .build(&schema)
            .expect("the EPCIS schema compiles");
        validator
            .iter_errors(document)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect()
    }

    fn options() -> EpcisOptions {
        EpcisOptions {
            prefixes: CompanyPrefixes::new(7).unwrap(),
            base_uri: "https://dc1.example.com/lotline/".into(),
            offset: FixedOffset::east_opt(3600).unwrap(),
            created_at: Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap(),
        }
    }

    fn exported() -> Value {
        document(&events(), &reference(), &options()).unwrap()
    }

    fn event_list(document: &Value) -> &Vec<Value> {
        document["epcisBody"]["eventList"].as_array().unwrap()
    }

    #[test]
    fn the_standards_own_examples_validate() {
        for name in [
            "Example_9.6.1-ObjectEvent.jsonld",
            "Example_9.6.3-AggregationEvent.jsonld",
        ] {
            let errors = schema_errors(&read_json(&epcis_data(name)));
            assert!(errors.is_empty(), "{name}: {errors:#?}");
        }
    }

    #[test]
    fn exported_history_validates_against_the_schema() {
        let document = exported();
        let errors = schema_errors(&document);
        assert!(errors.is_empty(), "{errors:#?}\n{document:#}");
        assert_eq!(event_list(&document).len(), 14);
    }

    #[test]
    fn a_broken_document_fails_validation() {
        let mut document = exported();
        document["epcisBody"]["eventList"][0]["action"] = "RECEIVE".into();
        document["epcisBody"]["eventList"][1]
            .as_object_mut()
            .unwrap()
            .remove("eventTimeZoneOffset");
        let errors = schema_errors(&document);
        assert!(errors.len() >= 2, "{errors:#?}");
    }

    #[test]
    fn receiving_is_an_add_with_lot_master_data_and_the_supplier() {
        let document = exported();
        let receipt = &event_list(&document)[0];
        assert_eq!(receipt["type"], "ObjectEvent");
        assert_eq!(receipt["action"], "ADD");
        assert_eq!(receipt["bizStep"], "receiving");
        assert_eq!(receipt["disposition"], "in_progress");
        assert_eq!(
            receipt["quantityList"][0],
            json!({
                "epcClass": "urn:epc:class:lgtin:9506000.013435.L2611A",
                "quantity": 100,
                "uom": "EA",
            })
        );
        assert_eq!(receipt["ilmd"]["cbvmda:lotNumber"], LOT_1);
        assert_eq!(receipt["ilmd"]["cbvmda:itemExpirationDate"], "2026-12-10");
        assert_eq!(receipt["eventTime"], "2026-11-20T09:01:00.000+01:00");
        assert_eq!(receipt["eventTimeZoneOffset"], "+01:00");
        assert_eq!(
            receipt["readPoint"]["id"],
            "urn:epc:id:sgln:0950600.00001.D1"
        );
        assert_eq!(
            receipt["bizTransactionList"][0]["bizTransaction"],
            "https://dc1.example.com/lotline/purchase-orders/PO-1001"
        );
        assert_eq!(
            receipt["sourceList"][0]["source"],
            "urn:epc:id:pgln:0950600.00010"
        );
        assert!(
            receipt["eventID"]
                .as_str()
                .unwrap()
                .starts_with("urn:uuid:")
        );
    }

    #[test]
    fn packing_is_an_aggregation_under_the_carton_sscc() {
        let document = exported();
        let packing = event_list(&document)
            .iter()
            .find(|e| e["bizStep"] == "packing")
            .unwrap();
        assert_eq!(packing["type"], "AggregationEvent");
        assert_eq!(packing["action"], "ADD");
        assert_eq!(packing["parentID"], "urn:epc:id:sscc:0950600.0000000001");
        assert_eq!(packing["childQuantityList"][0]["quantity"], 30);
    }

    #[test]
    fn shipping_names_the_customer_and_a_gln_ship_to() {
        let document = exported();
        let shipped: Vec<&Value> = event_list(&document)
            .iter()
            .filter(|e| e["bizStep"] == "shipping")
            .collect();
        assert_eq!(shipped.len(), 3);
        assert_eq!(shipped[0]["disposition"], "in_transit");
        assert_eq!(
            shipped[0]["destinationList"],
            json!([
                { "type": "owning_party", "destination": "urn:epc:id:pgln:0950600.00020" },
                { "type": "location", "destination": "urn:epc:id:sgln:0950600.00020.0" },
            ])
        );
        assert_eq!(
            shipped[1]["destinationList"][0]["destination"],
            "https://dc1.example.com/lotline/customers/C2",
            "a customer without GLN is named below the site's URI"
        );
        assert!(shipped[0].get("bizLocation").is_none());
        assert_eq!(
            shipped[0]["readPoint"]["id"],
            "https://dc1.example.com/lotline/locations/STAGE"
        );
    }

    #[test]
    fn a_corrected_event_carries_an_error_declaration() {
        let document = exported();
        let list = event_list(&document);
        let wrong = list
            .iter()
            .find(|e| e["quantityList"][0]["quantity"] == 80)
            .unwrap();
        let fixed_id = format!("urn:uuid:{}", events()[3].event_id);
        assert_eq!(wrong["errorDeclaration"]["reason"], "incorrect_data");
        assert_eq!(
            wrong["errorDeclaration"]["correctiveEventIDs"],
            json!([fixed_id])
        );
        assert!(list.iter().any(|e| e["eventID"] == fixed_id.as_str()));
    }

    #[test]
    fn an_undo_declares_the_original_did_not_occur() {
        let mut events = events();
        let undone = events[4].clone();
        events.push(event(50, minutes(900), EventKind::Storing, |b| {
            b.quantity = 0;
            b.correction_of = Some(undone.event_id);
        }));
        let document = document(&events, &reference(), &options()).unwrap();
        let list = event_list(&document);
        assert_eq!(list.len(), 14, "the undo itself is not an event");
        let original = list
            .iter()
            .find(|e| e["eventID"] == format!("urn:uuid:{}", undone.event_id).as_str())
            .unwrap();
        assert_eq!(original["errorDeclaration"]["reason"], "did_not_occur");
        assert!(schema_errors(&document).is_empty());
    }

    #[test]
    fn carton_only_and_serialised_events_use_epc_lists() {
        let events = vec![
            event(1, minutes(1), EventKind::Shipping, |b| {
                b.gtin = None;
                b.sscc = Some(sscc(1));
                b.from_location = Some("STAGE".into());
            }),
            event(2, minutes(2), EventKind::Inspecting, |b| {
                b.serial = Some("SN-1".into());
                b.to_location = Some("A-01".into());
            }),
        ];
        let document = document(&events, &reference(), &options()).unwrap();
        let list = event_list(&document);
        assert_eq!(
            list[0]["epcList"],
            json!(["urn:epc:id:sscc:0950600.0000000001"])
        );
        assert_eq!(
            list[1]["epcList"],
            json!(["urn:epc:id:sgtin:9506000.013435.SN-1"])
        );
        assert!(list[1].get("disposition").is_none());
        assert!(schema_errors(&document).is_empty());
    }

    #[test]
    fn an_event_that_cannot_be_exported_is_a_clear_error() {
        let bad_gtin = event(7, minutes(1), EventKind::Receiving, |b| {
            b.gtin = Some("09506000134353".into());
        });
        let error = document(&[bad_gtin], &reference(), &options()).unwrap_err();
        assert_eq!(error.seq, 7);
        assert!(error.to_string().contains("check digit"), "{error}");
        let nothing = event(8, minutes(1), EventKind::Storing, |b| b.gtin = None);
        let error = document(&[nothing], &reference(), &options()).unwrap_err();
        assert!(error.to_string().contains("neither a GTIN nor an SSCC"));
        let bad_unit = event(9, minutes(1), EventKind::Storing, |b| b.unit = "kg".into());
        assert!(document(&[bad_unit], &reference(), &options()).is_err());
    }
}
