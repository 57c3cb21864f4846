//! From deduplicated tag reads to what the engine books: each EPC decoded
//! by `scan`, and the SGTIN-tagged cases of a pallet summarised as
//! (GTIN, count) groups so one bulk receipt can cover them.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::scan::epc::{decode_hex, to_scan};
use crate::scan::{Scan, ScanError};

use super::dedupe::AggregatedRead;

/// The decoded identity of one aggregated read.
pub fn decode(read: &AggregatedRead) -> Result<Scan, ScanError> {
    decode_hex(&read.epc_hex()).map(to_scan)
}

/// The cases of one product on the pallet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GtinGroup {
    /// The GTIN-14 of the SGTINs.
    pub gtin: String,
    /// Distinct serials read: the number of cases.
    pub serials: BTreeSet<String>,
}

impl GtinGroup {
    /// The number of cases (distinct serials).
    pub fn count(&self) -> usize {
        self.serials.len()
    }
}

/// A read burst sorted for the engine.
#[derive(Debug, Default)]
pub struct PalletSummary {
    /// SGTIN cases grouped by GTIN, in GTIN order.
    pub groups: Vec<GtinGroup>,
    /// Other decoded EPCs (SSCC of the pallet itself, GRAI of a returnable
    /// asset, SGLN of a location tag...), in read order.
    pub others: Vec<Scan>,
    /// EPCs `scan` could not decode, as hex with the reason: reported to
    /// the operator, never booked.
    pub undecoded: Vec<(String, ScanError)>,
}

impl PalletSummary {
    /// How many tags the summary covers (cases, other keys and
    /// undecodable EPCs).
    pub fn tags(&self) -> usize {
        self.groups.iter().map(GtinGroup::count).sum::<usize>()
            + self.others.len()
            + self.undecoded.len()
    }
}

/// Decodes every read and groups the SGTINs by GTIN.
pub fn summarise(reads: &[AggregatedRead]) -> PalletSummary {
    summarise_hex(reads.iter().map(AggregatedRead::epc_hex))
}

/// Decodes EPCs given as hex (the form the engine takes a burst in) and
/// groups the SGTINs by GTIN. An EPC given twice counts once.
pub fn summarise_hex<S: AsRef<str>>(epcs: impl IntoIterator<Item = S>) -> PalletSummary {
    let mut by_gtin: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut summary = PalletSummary::default();
    let mut seen = HashSet::new();
    for hex in epcs {
        let hex = hex.as_ref().to_ascii_uppercase();
        if !seen.insert(hex.clone()) {
            continue;
        }
        match decode_hex(&hex).map(to_scan) {
            Ok(scan) => match (&scan.identity.gtin, &scan.identity.serial) {
                (Some(gtin), Some(serial)) => {
                    by_gtin
                        .entry(gtin.clone())
                        .or_default()
                        .insert(serial.clone());
                }
                _ => summary.others.push(scan),
            },
            Err(error) => summary.undecoded.push((hex, error)),
        }
    }
    summary.groups = by_gtin
        .into_iter()
        .map(|(gtin, serials)| GtinGroup { gtin, serials })
        .collect();
    summary
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::devices::rfid::simulator::SimTag;
    use chrono::Utc;
    use std::time::Instant;

    fn read_of(epc: Vec<u8>) -> AggregatedRead {
        let now = Instant::now();
        AggregatedRead {
            epc,
            first_seen: now,
            first_seen_utc: Utc::now(),
            last_seen: now,
            count: 1,
            best_rssi: -50,
            antenna: 1,
        }
    }

    fn from_uri(uri: &str) -> AggregatedRead {
        read_of(SimTag::from_tag_uri(uri, -50, 1).unwrap().epc)
    }

    fn sgtin(item: u32, serial: u32) -> AggregatedRead {
        from_uri(&format!(
            "urn:epc:tag:sgtin-96:1.0614141.{item:06}.{serial}"
        ))
    }

    #[test]
    fn decodes_an_sgtin_into_gtin_and_serial() {
        let scan = decode(&read_of(vec![
            0x30, 0x74, 0x25, 0x7B, 0xF7, 0x19, 0x4E, 0x40, 0x00, 0x00, 0x1A, 0x85,
        ]))
        .unwrap();
        assert_eq!(scan.identity.gtin.as_deref(), Some("80614141123458"));
        assert_eq!(scan.identity.serial.as_deref(), Some("6789"));
    }

    #[test]
    fn a_pallet_becomes_gtin_groups_plus_its_sscc() {
        let mut reads: Vec<AggregatedRead> = (0..24).map(|s| sgtin(812345, 1000 + s)).collect();
        reads.extend((0..6).map(|s| sgtin(812346, s)));
        reads.push(sgtin(812345, 1000)); // a second window of the same case
        reads.push(from_uri("urn:epc:tag:sscc-96:0.0614141.1234567890"));
        reads.push(read_of(vec![
            0xE2, 0x80, 0x11, 0x60, 0x60, 0x00, 0x02, 0x04, 0x00, 0x00, 0xAB, 0xCD,
        ]));

        let summary = summarise(&reads);
        let counts: Vec<(&str, usize)> = summary
            .groups
            .iter()
            .map(|g| (g.gtin.as_str(), g.count()))
            .collect();
        assert_eq!(counts, [("80614141123458", 24), ("80614141123465", 6)]);
        assert_eq!(summary.others.len(), 1);
        assert_eq!(
            summary.others[0].identity.sscc.as_deref(),
            Some("106141412345678908")
        );
        assert_eq!(summary.undecoded.len(), 1);
        assert_eq!(summary.undecoded[0].0, "E2801160600002040000ABCD");
        assert_eq!(summary.tags(), 24 + 6 + 1 + 1);
    }

    #[test]
    fn hex_in_either_case_counts_each_epc_once() {
        let case = sgtin(812345, 7).epc_hex();
        let sscc = from_uri("urn:epc:tag:sscc-96:0.0614141.1234567890").epc_hex();
        let summary = summarise_hex([
            case.clone(),
            case.to_ascii_lowercase(),
            sscc.clone(),
            sscc,
            "30XY".to_string(),
        ]);
        assert_eq!(summary.groups.len(), 1);
        assert_eq!(summary.groups[0].count(), 1);
        assert_eq!(summary.others.len(), 1, "the pallet tag once");
        assert_eq!(summary.undecoded.len(), 1);
        assert_eq!(summary.undecoded[0].0, "30XY");
        assert_eq!(summary.tags(), 3);
    }
}
