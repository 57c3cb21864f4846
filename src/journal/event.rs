//! The journal's unit of record: one event, its kinds, its canonical
//! encoding and the SHA-256 hash chain built from it.
//!
//! The canonical encoding is specified in `docs/journal.md`; the server
//! recomputes the same hashes, so any change here is a new encoding version,
//! never an edit.

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// What happened, as an EPCIS 2.0 / CBV 2.0 business step. The snake_case
/// names are stored in the journal and exported, so they never change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventKind {
    /// Goods arrived at the dock (CBV `receiving`).
    Receiving,
    /// Goods were put away to a location (CBV `storing`).
    Storing,
    /// Goods were picked for an order (CBV `picking`).
    Picking,
    /// Goods were packed into a carton identified by SSCC (CBV `packing`).
    Packing,
    /// Goods left the site (CBV `shipping`).
    Shipping,
    /// Goods were inspected, e.g. a return (CBV `inspecting`).
    Inspecting,
    /// A location was counted; the quantity is what was found (CBV `cycle_counting`).
    CycleCounting,
    /// A lot was put on hold (CBV `holding`).
    Holding,
    /// A lot on hold was released for use again.
    Releasing,
}

impl EventKind {
    /// Every kind, in a fixed order.
    pub const ALL: [EventKind; 9] = [
        EventKind::Receiving,
        EventKind::Storing,
        EventKind::Picking,
        EventKind::Packing,
        EventKind::Shipping,
        EventKind::Inspecting,
        EventKind::CycleCounting,
        EventKind::Holding,
        EventKind::Releasing,
    ];

    /// The stable snake_case name stored in the journal and exports.
    pub const fn as_str(self) -> &'static str {
        match self {
            EventKind::Receiving => "receiving",
            EventKind::Storing => "storing",
            EventKind::Picking => "picking",
            EventKind::Packing => "packing",
            EventKind::Shipping => "shipping",
            EventKind::Inspecting => "inspecting",
            EventKind::CycleCounting => "cycle_counting",
            EventKind::Holding => "holding",
            EventKind::Releasing => "releasing",
        }
    }

    /// The kind with the given stored name.
    pub fn from_name(name: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the caller says happened: everything in an event except what the
/// journal assigns (id, device, seq, time, chain).
///
/// Quantities are whole numbers of `unit` (a UN/ECE Rec. 20 code such as
/// `EA`; variable-measure goods use their smallest unit, e.g. `GRM`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventBody {
    /// Badge or user id of the signed-in operator.
    pub operator: String,
    /// The business step.
    pub kind: EventKind,
    /// GTIN-14 of the trade item.
    pub gtin: Option<String>,
    /// Batch / lot number (AI 10).
    pub lot: Option<String>,
    /// Expiry date (AI 17).
    pub expiry: Option<NaiveDate>,
    /// Serial number (AI 21).
    pub serial: Option<String>,
    /// SSCC of the carton or pallet concerned (for packing: the carton).
    pub sscc: Option<String>,
    /// How many `unit`s; never negative (a reduction is a movement out).
    pub quantity: i64,
    /// Unit of measure of `quantity`.
    pub unit: String,
    /// Location the goods came from.
    pub from_location: Option<String>,
    /// Location the goods went to (for a count: the counted location).
    pub to_location: Option<String>,
    /// Purchase order the event fulfils (receiving).
    pub purchase_order: Option<String>,
    /// Sales order the event fulfils (picking, packing, shipping).
    pub sales_order: Option<String>,
    /// Why: a hold reason, a FEFO override reason, a correction's reason.
    pub reason: Option<String>,
    /// The event this one corrects, which is then void.
    pub correction_of: Option<Uuid>,
}

impl EventBody {
    /// A body of the given kind with everything optional left empty and a
    /// quantity of one `EA`; callers fill in what applies.
    pub fn new(operator: impl Into<String>, kind: EventKind) -> EventBody {
        EventBody {
            operator: operator.into(),
            kind,
            gtin: None,
            lot: None,
            expiry: None,
            serial: None,
            sscc: None,
            quantity: 1,
            unit: "EA".to_owned(),
            from_location: None,
            to_location: None,
            purchase_order: None,
            sales_order: None,
            reason: None,
            correction_of: None,
        }
    }
}

/// A SHA-256 digest in the chain. Shown and exported as lowercase hex.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ChainHash(pub [u8; 32]);

impl ChainHash {
    /// The `prev_hash` of a device's first event: 32 zero bytes.
    pub const GENESIS: ChainHash = ChainHash([0; 32]);
}

/// Why a text is not a [`ChainHash`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a hash is 64 lowercase hexadecimal digits")]
pub struct ChainHashParseError;

impl std::str::FromStr for ChainHash {
    type Err = ChainHashParseError;

    /// Parses the lowercase hex that [`fmt::Display`] writes: the form
    /// hashes travel in (exports, the server protocol).
    fn from_str(text: &str) -> std::result::Result<ChainHash, ChainHashParseError> {
        let digits = text.as_bytes();
        if digits.len() != 64 {
            return Err(ChainHashParseError);
        }
        let nibble = |c: u8| match c {
            b'0'..=b'9' => Ok(c - b'0'),
            b'a'..=b'f' => Ok(c - b'a' + 10),
            _ => Err(ChainHashParseError),
        };
        let mut out = [0u8; 32];
        for (byte, pair) in out.iter_mut().zip(digits.chunks_exact(2)) {
            *byte = (nibble(pair[0])? << 4) | nibble(pair[1])?;
        }
        Ok(ChainHash(out))
    }
}

impl fmt::Display for ChainHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for ChainHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ChainHash({self})")
    }
}

/// A recorded event: the body plus what the journal assigned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Globally unique id (UUIDv7, time-ordered).
    pub event_id: Uuid,
    /// The terminal that recorded it.
    pub device_id: String,
    /// Position in the device's journal: 1, 2, 3, … without gaps.
    pub seq: u64,
    /// Device clock (UTC) at recording, microsecond precision.
    pub recorded_at: DateTime<Utc>,
    /// What happened.
    pub body: EventBody,
    /// `hash` of the previous event, [`ChainHash::GENESIS`] for seq 1.
    pub prev_hash: ChainHash,
    /// SHA-256 of the canonical encoding (which includes `prev_hash`).
    pub hash: ChainHash,
}

/// A date as `YYYY-MM-DD`: how expiry dates are hashed, stored and exported.
pub fn iso_date(date: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// A date as `YYYY-MM-DD` without a heap allocation (the append path
/// formats one per event); the same text as [`iso_date`].
pub struct IsoDate {
    buf: [u8; 16],
    len: usize,
}

impl IsoDate {
    /// Formats `date`.
    pub fn new(date: NaiveDate) -> IsoDate {
        let mut out = IsoDate {
            buf: [0; 16],
            len: 0,
        };
        if let Ok(year @ 0..=9999) = u32::try_from(date.year()) {
            let digits = |n: u32, width: usize, buf: &mut [u8]| {
                let mut n = n;
                for slot in buf[..width].iter_mut().rev() {
                    *slot = b'0' + (n % 10) as u8;
                    n /= 10;
                }
            };
            digits(year, 4, &mut out.buf[0..]);
            out.buf[4] = b'-';
            digits(date.month(), 2, &mut out.buf[5..]);
            out.buf[7] = b'-';
            digits(date.day(), 2, &mut out.buf[8..]);
            out.len = 10;
        } else {
            // Years outside 0..=9999 (never on a label): the general path.
            let text = iso_date(date);
            out.buf[..text.len()].copy_from_slice(text.as_bytes());
            out.len = text.len();
        }
        out
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits and '-' are ever written.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or_default()
    }
}

/// Version tag that starts every canonical encoding.
const ENCODING_TAG: &str = "lotline.event.v1";

impl Event {
    /// Feeds the canonical encoding (see `docs/journal.md`) to `sink`, in
    /// pieces. Both [`Event::canonical_bytes`] and [`Event::compute_hash`]
    /// are built on this, so they cannot disagree.
    fn encode_canonical(&self, sink: &mut impl FnMut(&[u8])) {
        let b = &self.body;
        let text = |sink: &mut dyn FnMut(&[u8]), s: &str| {
            // Lengths are u32: a field over 4 GiB cannot reach here (SQLite's
            // own limit is 1 GB), so the saturation never happens in practice
            // and would still be unambiguous thanks to the presence bytes.
            let len = u32::try_from(s.len()).unwrap_or(u32::MAX);
            sink(&len.to_be_bytes());
            sink(s.as_bytes());
        };
        let opt = |sink: &mut dyn FnMut(&[u8]), s: Option<&str>| match s {
            None => sink(&[0]),
            Some(s) => {
                sink(&[1]);
                text(sink, s);
            }
        };
        text(sink, ENCODING_TAG);
        sink(self.event_id.as_bytes());
        text(sink, &self.device_id);
        sink(&self.seq.to_be_bytes());
        sink(&self.recorded_at.timestamp_micros().to_be_bytes());
        text(sink, &b.operator);
        text(sink, b.kind.as_str());
        opt(sink, b.gtin.as_deref());
        opt(sink, b.lot.as_deref());
        let expiry = b.expiry.map(IsoDate::new);
        opt(sink, expiry.as_ref().map(IsoDate::as_str));
        opt(sink, b.serial.as_deref());
        opt(sink, b.sscc.as_deref());
        sink(&b.quantity.to_be_bytes());
        text(sink, &b.unit);
        opt(sink, b.from_location.as_deref());
        opt(sink, b.to_location.as_deref());
        opt(sink, b.purchase_order.as_deref());
        opt(sink, b.sales_order.as_deref());
        opt(sink, b.reason.as_deref());
        match b.correction_of {
            None => sink(&[0]),
            Some(id) => {
                sink(&[1]);
                sink(id.as_bytes());
            }
        }
        sink(&self.prev_hash.0);
    }

    /// The canonical encoding as bytes (for documentation, tests and other
    /// implementations; hashing streams it instead).
    pub fn canonical_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(256);
        self.encode_canonical(&mut |piece| out.extend_from_slice(piece));
        out
    }

    /// SHA-256 over the canonical encoding: what `hash` must equal.
    pub fn compute_hash(&self) -> ChainHash {
        let mut hasher = Sha256::new();
        self.encode_canonical(&mut |piece| hasher.update(piece));
        ChainHash(hasher.finalize().into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn sample() -> Event {
        let mut body = EventBody::new("badge-7", EventKind::Receiving);
        body.gtin = Some("09506000134352".into());
        body.lot = Some("ABC123".into());
        body.expiry = NaiveDate::from_ymd_opt(2027, 3, 31);
        body.quantity = 24;
        body.to_location = Some("DOCK-1".into());
        body.purchase_order = Some("PO-1001".into());
        Event {
            event_id: Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0001),
            device_id: "term-01".into(),
            seq: 1,
            recorded_at: Utc.with_ymd_and_hms(2026, 11, 25, 8, 30, 0).unwrap(),
            body,
            prev_hash: ChainHash::GENESIS,
            hash: ChainHash::GENESIS,
        }
    }

    #[test]
    fn kind_names_round_trip_and_are_snake_case() {
        for kind in EventKind::ALL {
            assert_eq!(EventKind::from_name(kind.as_str()), Some(kind));
            assert!(
                kind.as_str()
                    .bytes()
                    .all(|c| c.is_ascii_lowercase() || c == b'_')
            );
        }
        assert_eq!(EventKind::CycleCounting.as_str(), "cycle_counting");
        assert_eq!(EventKind::from_name("Receiving"), None);
    }

    #[test]
    fn canonical_encoding_layout_is_as_documented() {
        let bytes = sample().canonical_bytes();
        // Tag, length-prefixed.
        assert_eq!(&bytes[..4], &16u32.to_be_bytes());
        assert_eq!(&bytes[4..20], b"lotline.event.v1");
        // Event id: 16 raw bytes.
        assert_eq!(&bytes[20..36], sample().event_id.as_bytes());
        // Device id.
        assert_eq!(&bytes[36..40], &7u32.to_be_bytes());
        assert_eq!(&bytes[40..47], b"term-01");
        // Seq u64 BE, then microseconds i64 BE.
        assert_eq!(&bytes[47..55], &1u64.to_be_bytes());
        assert_eq!(&bytes[55..63], &1_795_595_400_000_000i64.to_be_bytes());
        // Ends with the previous hash.
        assert_eq!(&bytes[bytes.len() - 32..], &[0u8; 32]);
    }

    #[test]
    fn iso_date_without_allocation_matches_iso_date() {
        for (y, m, d) in [
            (2027, 3, 31),
            (1, 1, 1),
            (0, 12, 9),
            (9999, 12, 31),
            (10000, 1, 2),
            (-1, 6, 30),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(IsoDate::new(date).as_str(), iso_date(date), "{y}-{m}-{d}");
        }
    }

    #[test]
    fn hash_is_stable() {
        // Pinned: changing this value means the encoding changed, which
        // breaks every journal and the server. Bump ENCODING_TAG instead.
        // Cross-checked with an independent implementation of the encoding
        // as written in docs/journal.md.
        assert_eq!(
            sample().compute_hash().to_string(),
            "8733bacdde947a0024b803679560cc5e48d688e81b139dd6abf65557010c1720"
        );
    }

    #[test]
    fn chain_hash_text_round_trips_and_rejects_other_text() {
        let hash = sample().compute_hash();
        assert_eq!(hash.to_string().parse::<ChainHash>(), Ok(hash));
        for bad in ["", "00", &"A".repeat(64), &"g".repeat(64), &"0".repeat(66)] {
            assert_eq!(bad.parse::<ChainHash>(), Err(ChainHashParseError), "{bad}");
        }
    }

    #[test]
    fn absent_and_empty_fields_encode_differently() {
        let mut a = sample();
        let mut b = sample();
        a.body.lot = None;
        b.body.lot = Some(String::new());
        assert_ne!(a.canonical_bytes(), b.canonical_bytes());
    }

    proptest! {
        /// Moving bytes between adjacent text fields changes the encoding:
        /// the length prefixes make it injective.
        #[test]
        fn field_boundaries_matter(s in "[a-z]{0,8}", t in "[a-z]{0,8}", cut in 0usize..8) {
            let joined = format!("{s}{t}");
            let cut = cut.min(joined.len());
            let mut a = sample();
            let mut b = sample();
            a.body.lot = Some(s.clone());
            a.body.serial = Some(t.clone());
            b.body.lot = Some(joined[..cut].to_owned());
            b.body.serial = Some(joined[cut..].to_owned());
            prop_assert_eq!(a.canonical_bytes() == b.canonical_bytes(), s.len() == cut);
        }

        /// Any change to any hashed scalar changes the hash.
        #[test]
        fn every_field_is_covered(seq in 2u64.., qty in any::<i64>(), micros in 1i64..4_000_000_000_000_000) {
            let base = sample();
            let base_hash = base.compute_hash();
            let mut e = sample();
            e.seq = seq;
            prop_assert_ne!(e.compute_hash(), base_hash);
            let mut e = sample();
            e.body.quantity = qty;
            prop_assert_eq!(e.compute_hash() == base_hash, qty == 24);
            let mut e = sample();
            e.recorded_at = DateTime::from_timestamp_micros(micros).unwrap();
            prop_assert_eq!(e.compute_hash() == base_hash, e.recorded_at == base.recorded_at);
            let mut e = sample();
            e.prev_hash = ChainHash([1; 32]);
            prop_assert_ne!(e.compute_hash(), base_hash);
        }
    }
}
