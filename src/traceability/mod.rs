//! Traceability: the answers the server owes after a recall or an audit,
//! computed as pure functions over journal events and reference data, so
//! they are the same whichever storage backend the server runs on and can be
//! tested without one.
//!
//! * [`history`] decides which events are in effect (a corrected event is
//!   void) and in which order they happened.
//! * [`directory`] looks reference data up by key.
//! * [`cartons`] rebuilds carton contents (SSCC → lots) from packing events.
//! * [`stock`] sums movements into stock on hand by location.
//! * [`expiry`] lists lots in stock that expire soon.
//! * [`trace`] is the recall trace, forward and backward.
//! * [`epc_uris`] names products, lots, cartons, locations and parties as
//!   the URIs EPCIS uses.
//! * [`epcis`] exports events as an EPCIS 2.0 JSON-LD document.
//! * [`fsma204`] exports the FSMA 204 electronic sortable spreadsheet.
//! * [`reference_import`] validates CSV files of reference data.

pub mod cartons;
pub mod directory;
pub mod epc_uris;
pub mod epcis;
pub mod expiry;
pub mod fsma204;
pub mod history;
pub mod reference_import;
pub mod stock;
pub mod trace;

#[cfg(test)]
pub(crate) mod test_history;

pub use directory::Directory;
pub use history::History;

/// True for a unit of measure code as UN/ECE Recommendation 20 writes them
/// (`EA`, `KGM`, `GRM`, …): two or three capitals or digits. EPCIS accepts
/// nothing else as `uom`, so imports refuse other units up front.
pub fn is_unit_code(unit: &str) -> bool {
    (2..=3).contains(&unit.len())
        && unit
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}
