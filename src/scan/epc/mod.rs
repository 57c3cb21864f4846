//! RFID Electronic Product Codes (EPC Tag Data Standard 2.x): binary
//! decoding and encoding, pure-identity and tag URIs, and the GS1 keys they
//! carry.
//!
//! Supported schemes: SGTIN-96/198, SSCC-96, SGLN-96/195, GRAI-96/170,
//! GIAI-96/202 and GID-96, with every partition. An [`Epc`] is always valid:
//! decoding, [`parse_tag_uri`] and [`Epc::new`] all check the same rules, so
//! [`Epc::to_hex`] cannot fail.

mod binary;
mod bits;
mod charset;
mod gs1_keys;
mod id;
mod partition;
mod scheme;
mod uri;

use serde::ser::SerializeStruct;

pub use id::{CompanyPrefix, EpcId, Serial};
pub use scheme::Scheme;

use super::gs1::Element;
use super::{Identity, Scan, ScanError, ScanKind};

/// A valid EPC: its identity, the binary scheme encoding it and the filter
/// value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Epc {
    filter: Option<u8>,
    id: EpcId,
}

impl Epc {
    /// The EPC with `filter` (0 to 7; `None` for GID, which has none) and
    /// identity `id`, whose [`Serial`] form picks the scheme. Fails, naming
    /// the field, when a value does not fit the scheme.
    pub fn new(filter: Option<u8>, id: EpcId) -> Result<Epc, ScanError> {
        let scheme = id.scheme();
        match (scheme.has_filter(), filter) {
            (true, None) => Err(format!("{scheme} needs a filter value (0 to 7)")),
            (true, Some(value)) if value > 7 => {
                Err(format!("{scheme} filter value {value} is not 0 to 7"))
            }
            (false, Some(value)) => Err(format!("{scheme} has no filter value, got {value}")),
            _ => Ok(()),
        }
        .map_err(ScanError::Epc)?;
        id.validate()?;
        Ok(Epc { filter, id })
    }

    /// The binary scheme; [`Scheme::name`] gives `sgtin-96` and so on.
    pub fn scheme(&self) -> Scheme {
        self.id.scheme()
    }

    /// The filter value (what kind of object is tagged); `None` for GID.
    pub fn filter(&self) -> Option<u8> {
        self.filter
    }

    /// The identifying fields.
    pub fn id(&self) -> &EpcId {
        &self.id
    }

    /// The pure-identity URI, e.g. `urn:epc:id:sgtin:0614141.812345.6789`.
    pub fn id_uri(&self) -> String {
        uri::id_uri(self)
    }

    /// The tag URI, e.g. `urn:epc:tag:sgtin-96:3.0614141.812345.6789`.
    pub fn tag_uri(&self) -> String {
        uri::tag_uri(self)
    }

    /// The binary encoding as uppercase hex, padded with zero bits to whole
    /// 16-bit words as a tag's EPC memory holds it.
    pub fn to_hex(&self) -> String {
        binary::encode(self)
    }

    /// The GS1 elements the EPC stands for: (01)+(21) for an SGTIN, (00) for
    /// an SSCC, (414) and, unless the extension is 0, (254) for an SGLN,
    /// (8003) for a GRAI, (8004) for a GIAI, none for a GID.
    pub fn gs1_elements(&self) -> Vec<Element> {
        gs1_keys::elements(&self.id)
    }
}

impl serde::Serialize for Epc {
    /// The scheme name, filter, both URIs and the hex, for JSON reports.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut state = serializer.serialize_struct("Epc", 5)?;
        state.serialize_field("scheme", self.scheme().name())?;
        state.serialize_field("filter", &self.filter)?;
        state.serialize_field("id_uri", &self.id_uri())?;
        state.serialize_field("tag_uri", &self.tag_uri())?;
        state.serialize_field("hex", &self.to_hex())?;
        state.end()
    }
}

/// Decodes an EPC from its hexadecimal binary encoding (either case). EPC
/// memory longer than the scheme is accepted when the extra bits are zero.
pub fn decode_hex(hex: &str) -> Result<Epc, ScanError> {
    let bytes = bits::EpcBytes::from_hex(hex)?;
    binary::decode(bytes.as_slice())
}

/// Reads a tag URI such as `urn:epc:tag:sgtin-96:3.0614141.812345.6789`:
/// the form tags are written from.
pub fn parse_tag_uri(uri: &str) -> Result<Epc, ScanError> {
    uri::parse_tag_uri(uri)
}

/// The normalized scan for a decoded EPC: its GS1 elements, and the GTIN,
/// serial, SSCC, GLN and GLN extension they give.
pub fn to_scan(epc: Epc) -> Scan {
    let elements = epc.gs1_elements();
    let mut identity = Identity::default();
    for element in &elements {
        let slot = match element.ai.as_str() {
            "01" => &mut identity.gtin,
            "21" => &mut identity.serial,
            "00" => &mut identity.sscc,
            "414" => &mut identity.gln,
            "254" => &mut identity.gln_extension,
            _ => continue,
        };
        *slot = Some(element.value.clone());
    }
    Scan {
        kind: ScanKind::Epc,
        symbology: None,
        elements,
        identity,
        epc: Some(epc),
        text: None,
        notes: Vec::new(),
    }
}

/// `error` with the scheme named in front, for errors raised by helpers that
/// do not know it.
fn within(scheme: Scheme, error: ScanError) -> ScanError {
    match error {
        ScanError::Epc(message) => ScanError::Epc(format!("{scheme} {message}")),
        other => other,
    }
}

#[cfg(test)]
mod tests;
