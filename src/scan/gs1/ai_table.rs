//! The GS1 Application Identifier table, written from the GS1 Barcode Syntax
//! Dictionary: for every AI its title, the components of its value (length,
//! character set, content checks), whether it needs an FNC1 separator, its
//! mandatory (`req=`) and invalid (`ex=`) associations, and its role in GS1
//! Digital Link URIs.
//!
//! Ranges such as `3100`–`3105` share one entry. A lookup is one read of
//! an index built at compile time from the numeric value of the AI.

use super::linters::Linter::{self, *};

/// The character set of one value component.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    /// Digits `0`–`9` (the dictionary's `N`).
    Numeric,
    /// GS1 AI encodable character set 82 (`X`).
    Cset82,
    /// GS1 AI encodable character set 39 (`Y`): `#`, `-`, `/`, digits, upper case.
    Cset39,
    /// The URL-safe base64 alphabet (`Z`); `=` padding is allowed only at
    /// the end, which the value check handles.
    Base64Url,
}

impl Charset {
    /// The name used in error messages.
    pub fn name(self) -> &'static str {
        match self {
            Charset::Numeric => "digits (N)",
            Charset::Cset82 => "GS1 CSET 82",
            Charset::Cset39 => "GS1 CSET 39",
            Charset::Base64Url => "base64url",
        }
    }

    /// True when the ASCII character `b` belongs to the set.
    pub fn allows(self, b: u8) -> bool {
        match self {
            Charset::Numeric => b.is_ascii_digit(),
            Charset::Cset82 => b < 128 && CSET82_BITS & (1u128 << b) != 0,
            Charset::Cset39 => matches!(b, b'#' | b'-' | b'/' | b'0'..=b'9' | b'A'..=b'Z'),
            Charset::Base64Url => b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'),
        }
    }
}

/// Bit `c` is set for each ASCII character `c` of CSET 82.
const CSET82_BITS: u128 = {
    let mut bits = 0u128;
    let set = crate::scan::check_digit::CSET82;
    let mut i = 0;
    while i < set.len() {
        bits |= 1 << set[i];
        i += 1;
    }
    bits
};

/// One component of an AI's value, e.g. the `N3,iso3166` of AI (421).
#[derive(Debug)]
pub struct Component {
    /// Which characters it may hold.
    pub charset: Charset,
    /// Its shortest length (equal to `max` for a fixed-length component).
    pub min: usize,
    /// Its longest length.
    pub max: usize,
    /// True for a `[...]` component, which may be left out at the end.
    pub optional: bool,
    /// Content checks applied to the component.
    pub linters: &'static [Linter],
}

/// One entry of the table: a single AI or a range of AIs sharing one format.
#[derive(Debug)]
pub struct AiEntry {
    first: &'static str,
    last: &'static str,
    /// The dictionary's short title, e.g. `BATCH/LOT`.
    pub title: &'static str,
    /// The dictionary's `*` flag: the value has a length fixed by the AI
    /// prefix itself, so no FNC1 separator needs to follow it. This is not
    /// the same as a fixed-length value: AI (8006) is fixed-length but not
    /// predefined, so it needs a separator.
    pub predefined_length: bool,
    /// The `?` flag: the AI may be a GS1 Digital Link data attribute.
    pub dl_attribute: bool,
    /// The components, in order.
    pub components: &'static [Component],
    /// `req=`: alternatives, each a `+`-joined group of AIs or patterns
    /// (`31nn`), one of which must be present in the same item's data.
    pub requires: &'static [&'static str],
    /// `ex=`: AIs or patterns that must not appear together with this AI.
    pub excludes: &'static [&'static str],
    /// `dlpkey`: `Some` when the AI is a Digital Link primary key, holding
    /// its alternative qualifier sequences (comma-separated AIs, in order).
    pub dl_primary_key: Option<&'static [&'static str]>,
}

impl AiEntry {
    const fn range(
        first: &'static str,
        last: &'static str,
        title: &'static str,
        components: &'static [Component],
    ) -> AiEntry {
        AiEntry {
            first,
            last,
            title,
            predefined_length: false,
            dl_attribute: false,
            components,
            requires: &[],
            excludes: &[],
            dl_primary_key: None,
        }
    }

    const fn single(
        ai: &'static str,
        title: &'static str,
        components: &'static [Component],
    ) -> AiEntry {
        AiEntry::range(ai, ai, title, components)
    }

    const fn predefined_length(mut self) -> AiEntry {
        self.predefined_length = true;
        self
    }

    const fn dl_attribute(mut self) -> AiEntry {
        self.dl_attribute = true;
        self
    }

    const fn requires(mut self, alternatives: &'static [&'static str]) -> AiEntry {
        self.requires = alternatives;
        self
    }

    const fn excludes(mut self, patterns: &'static [&'static str]) -> AiEntry {
        self.excludes = patterns;
        self
    }

    const fn dl_primary_key(mut self, qualifier_sequences: &'static [&'static str]) -> AiEntry {
        self.dl_primary_key = Some(qualifier_sequences);
        self
    }

    /// The longest value the AI allows.
    pub fn max_len(&self) -> usize {
        self.components.iter().map(|c| c.max).sum()
    }

    /// The shortest value the AI allows (its mandatory components).
    pub fn min_len(&self) -> usize {
        self.components
            .iter()
            .filter(|c| !c.optional)
            .map(|c| c.min)
            .sum()
    }
}

/// Looks up the entry of a complete AI such as `01` or `3103`.
pub fn lookup(ai: &str) -> Option<&'static AiEntry> {
    let bytes = ai.as_bytes();
    if ai_length(bytes) != Some(bytes.len()) || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    match ENTRY_BY_KEY[usize::from(key(bytes))] {
        NO_ENTRY => None,
        index => ENTRIES.get(usize::from(index)),
    }
}

/// The length of the AI that `data` starts with, from its first two digits
/// (GS1 General Specifications 5.4.4): `None` when they start no known AI.
pub fn ai_length(data: &[u8]) -> Option<usize> {
    match data {
        [a @ b'0'..=b'9', b @ b'0'..=b'9', ..] => {
            let prefix = usize::from(a - b'0') * 10 + usize::from(b - b'0');
            match AI_LENGTH_BY_PREFIX[prefix] {
                0 => None,
                len => Some(usize::from(len)),
            }
        }
        _ => None,
    }
}

/// A number for an AI of two to four digits, padded on the right to four
/// digits: `01` → 100, `235` → 2350, `3103` → 3103. Since the first two
/// digits fix an AI's length, no two AIs share a key.
const fn key(ai: &[u8]) -> u16 {
    let mut value = 0u16;
    let mut i = 0;
    while i < 4 {
        let digit = if i < ai.len() { ai[i] - b'0' } else { 0 };
        value = value * 10 + digit as u16;
        i += 1;
    }
    value
}

/// Marks a key with no entry in [`ENTRY_BY_KEY`].
const NO_ENTRY: u8 = u8::MAX;

/// The index in [`ENTRIES`] of each AI key, so a lookup is one array read.
const ENTRY_BY_KEY: [u8; 10_000] = {
    assert!(ENTRIES.len() < NO_ENTRY as usize);
    let mut index = [NO_ENTRY; 10_000];
    let mut i = 0;
    while i < ENTRIES.len() {
        let entry = &ENTRIES[i];
        let step = match entry.first.len() {
            2 => 100,
            3 => 10,
            _ => 1,
        };
        let mut k = key(entry.first.as_bytes());
        while k <= key(entry.last.as_bytes()) {
            index[k as usize] = i as u8;
            k += step;
        }
        i += 1;
    }
    index
};

/// The AI length for each two-digit prefix (0 for none), derived from the
/// table so the two can never disagree.
const AI_LENGTH_BY_PREFIX: [u8; 100] = {
    let mut lengths = [0u8; 100];
    let mut i = 0;
    while i < ENTRIES.len() {
        let entry = &ENTRIES[i];
        let mut prefix = key(entry.first.as_bytes()) / 100;
        while prefix <= key(entry.last.as_bytes()) / 100 {
            lengths[prefix as usize] = entry.first.len() as u8;
            prefix += 1;
        }
        i += 1;
    }
    lengths
};

// The dictionary's letters for the character sets, to keep the table close
// to its source.
const N: Charset = Charset::Numeric;
const X: Charset = Charset::Cset82;
const Y: Charset = Charset::Cset39;
const Z: Charset = Charset::Base64Url;

const fn fixed(charset: Charset, len: usize, linters: &'static [Linter]) -> Component {
    Component {
        charset,
        min: len,
        max: len,
        optional: false,
        linters,
    }
}

const fn upto(charset: Charset, max: usize, linters: &'static [Linter]) -> Component {
    Component {
        charset,
        min: 1,
        max,
        optional: false,
        linters,
    }
}

const fn optional(mut component: Component) -> Component {
    component.optional = true;
    component
}

/// Every AI of the GS1 Barcode Syntax Dictionary, in lexical order.
const ENTRIES: &[AiEntry] = &[
    AiEntry::single("00", "SSCC", &[fixed(N, 18, &[Csum, GcpPos2])])
        .predefined_length()
        .dl_attribute()
        .dl_primary_key(&[]),
    AiEntry::single("01", "GTIN", &[fixed(N, 14, &[Csum, GcpPos2])])
        .predefined_length()
        .dl_attribute()
        .excludes(&["255", "37"])
        .dl_primary_key(&["22,10,21", "235"]),
    AiEntry::single("02", "CONTENT", &[fixed(N, 14, &[Csum, GcpPos2])])
        .predefined_length()
        .dl_attribute()
        .requires(&["37"])
        .excludes(&["01", "03"]),
    AiEntry::single("03", "MTO GTIN", &[fixed(N, 14, &[Csum, GcpPos2])])
        .predefined_length()
        .excludes(&["01", "02", "37", "235"]),
    AiEntry::single("10", "BATCH/LOT", &[upto(X, 20, &[])])
        .dl_attribute()
        .requires(&["01", "02", "03", "8006", "8026"]),
    AiEntry::single("11", "PROD DATE", &[fixed(N, 6, &[Yymmd0])])
        .predefined_length()
        .dl_attribute()
        .requires(&["01", "02", "03", "8006", "8026"]),
    AiEntry::single("12", "DUE DATE", &[fixed(N, 6, &[Yymmd0])])
        .predefined_length()
        .dl_attribute()
        .requires(&["8020"]),
    AiEntry::single("13", "PACK DATE", &[fixed(N, 6, &[Yymmd0])])
        .predefined_length()
        .dl_attribute()
        .requires(&["01", "02", "03", "8006", "8026"]),
    AiEntry::single("15", "BEST BEFORE or BEST BY", &[fixed(N, 6, &[Yymmd0])])
        .predefined_length()
        .dl_attribute()
        .requires(&["01", "02", "03", "8006", "8026"]),
    AiEntry::single("16", "SELL BY", &[fixed(N, 6, &[Yymmd0])])
        .predefined_length()
        .dl_attribute()
        .requires(&["01", "02", "03", "8006", "8026"]),
    AiEntry::single("17", "USE BY or EXPIRY", &[fixed(N, 6, &[Yymmd0])])
        .predefined_length()
        .dl_attribute()
        .requires(&["01", "02", "03", "255", "8006", "8026"]),
    AiEntry::single("20", "VARIANT", &[fixed(N, 2, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["01", "02", "03", "8006", "8026"]),
    AiEntry::single("21", "SERIAL", &[upto(X, 20, &[])])
        .requires(&["01", "03", "8006"])
        .excludes(&["235"]),
    AiEntry::single("22", "CPV", &[upto(X, 20, &[])]).requires(&["01"]),
    AiEntry::single("235", "TPX", &[upto(X, 28, &[])]).requires(&["01"]),
    AiEntry::single("240", "ADDITIONAL ID", &[upto(X, 30, &[])])
        .dl_attribute()
        .requires(&["01", "02", "03", "8006", "8026"]),
    AiEntry::single("241", "CUST. PART No.", &[upto(X, 30, &[])])
        .dl_attribute()
        .requires(&["01", "02", "03", "8006", "8026"]),
    AiEntry::single("242", "MTO VARIANT", &[upto(N, 6, &[])])
        .dl_attribute()
        .requires(&["01", "02", "8006", "8026"]),
    AiEntry::single("243", "PCN", &[upto(X, 20, &[])])
        .dl_attribute()
        .requires(&["01", "03"]),
    AiEntry::single("250", "SECONDARY SERIAL", &[upto(X, 30, &[])])
        .dl_attribute()
        .requires(&["01+21", "03+21", "8006+21"]),
    AiEntry::single("251", "REF. TO SOURCE", &[upto(X, 30, &[])])
        .dl_attribute()
        .requires(&["01", "03", "8006"]),
    AiEntry::single(
        "253",
        "GDTI",
        &[fixed(N, 13, &[Csum, GcpPos1]), optional(upto(X, 17, &[]))],
    )
    .dl_attribute()
    .dl_primary_key(&[]),
    AiEntry::single("254", "GLN EXTENSION COMPONENT", &[upto(X, 20, &[])]).requires(&["414"]),
    AiEntry::single(
        "255",
        "GCN",
        &[fixed(N, 13, &[Csum, GcpPos1]), optional(upto(N, 12, &[]))],
    )
    .dl_attribute()
    .excludes(&["01", "02", "415", "8006", "8020", "8026"])
    .dl_primary_key(&[]),
    AiEntry::single("30", "VAR. COUNT", &[upto(N, 8, &[])])
        .dl_attribute()
        .requires(&["01", "02"]),
    AiEntry::range("3100", "3105", "NET WEIGHT (kg)", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["01", "02"])
        .excludes(&["310n"]),
    AiEntry::range("3110", "3115", "LENGTH (m)", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["01", "02"])
        .excludes(&["311n"]),
    AiEntry::range("3120", "3125", "WIDTH (m)", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["01", "02"])
        .excludes(&["312n"]),
    AiEntry::range("3130", "3135", "HEIGHT (m)", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["01", "02"])
        .excludes(&["313n"]),
    AiEntry::range("3140", "3145", "AREA (m²)", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["01", "02"])
        .excludes(&["314n"]),
    AiEntry::range("3150", "3155", "NET VOLUME (l)", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["01", "02"])
        .excludes(&["315n"]),
    AiEntry::range("3160", "3165", "NET VOLUME (m³)", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["01", "02"])
        .excludes(&["316n"]),
    AiEntry::range("3200", "3205", "NET WEIGHT (lb)", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["01", "02"])
        .excludes(&["320n"]),
    AiEntry::range("3210", "3215", "LENGTH (in)", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["01", "02"])
        .excludes(&["321n"]),
    AiEntry::range("3220", "3225", "LENGTH (ft)", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["01", "02"])
        .excludes(&["322n"]),
    AiEntry::range("3230", "3235", "LENGTH (yd)", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["01", "02"])
        .excludes(&["323n"]),
    AiEntry::range("3240", "3245", "WIDTH (in)", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["01", "02"])
        .excludes(&["324n"]),
    AiEntry::range("3250", "3255", "WIDTH (ft)", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["01", "02"])
        .excludes(&["325n"]),
    AiEntry::range("3260", "3265", "WIDTH (yd)", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["01", "02"])
        .excludes(&["326n"]),
    AiEntry::range("3270", "3275", "HEIGHT (in)", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["01", "02"])
        .excludes(&["327n"]),
    AiEntry::range("3280", "3285", "HEIGHT (ft)", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["01", "02"])
        .excludes(&["328n"]),
    AiEntry::range("3290", "3295", "HEIGHT (yd)", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["01", "02"])
        .excludes(&["329n"]),
    AiEntry::range("3300", "3305", "GROSS WEIGHT (kg)", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["00", "01"])
        .excludes(&["330n"]),
    AiEntry::range("3310", "3315", "LENGTH (m), log", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["00", "01"])
        .excludes(&["331n"]),
    AiEntry::range("3320", "3325", "WIDTH (m), log", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["00", "01"])
        .excludes(&["332n"]),
    AiEntry::range("3330", "3335", "HEIGHT (m), log", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["00", "01"])
        .excludes(&["333n"]),
    AiEntry::range("3340", "3345", "AREA (m²), log", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["00", "01"])
        .excludes(&["334n"]),
    AiEntry::range("3350", "3355", "VOLUME (l), log", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["00", "01"])
        .excludes(&["335n"]),
    AiEntry::range("3360", "3365", "VOLUME (m³), log", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["00", "01"])
        .excludes(&["336n"]),
    AiEntry::range("3370", "3375", "KG PER m²", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["01"])
        .excludes(&["337n"]),
    AiEntry::range("3400", "3405", "GROSS WEIGHT (lb)", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["00", "01"])
        .excludes(&["340n"]),
    AiEntry::range("3410", "3415", "LENGTH (in), log", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["00", "01"])
        .excludes(&["341n"]),
    AiEntry::range("3420", "3425", "LENGTH (ft), log", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["00", "01"])
        .excludes(&["342n"]),
    AiEntry::range("3430", "3435", "LENGTH (yd), log", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["00", "01"])
        .excludes(&["343n"]),
    AiEntry::range("3440", "3445", "WIDTH (in), log", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["00", "01"])
        .excludes(&["344n"]),
    AiEntry::range("3450", "3455", "WIDTH (ft), log", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["00", "01"])
        .excludes(&["345n"]),
    AiEntry::range("3460", "3465", "WIDTH (yd), log", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["00", "01"])
        .excludes(&["346n"]),
    AiEntry::range("3470", "3475", "HEIGHT (in), log", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["00", "01"])
        .excludes(&["347n"]),
    AiEntry::range("3480", "3485", "HEIGHT (ft), log", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["00", "01"])
        .excludes(&["348n"]),
    AiEntry::range("3490", "3495", "HEIGHT (yd), log", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["00", "01"])
        .excludes(&["349n"]),
    AiEntry::range("3500", "3505", "AREA (in²)", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["01", "02"])
        .excludes(&["350n"]),
    AiEntry::range("3510", "3515", "AREA (ft²)", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["01", "02"])
        .excludes(&["351n"]),
    AiEntry::range("3520", "3525", "AREA (yd²)", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["01", "02"])
        .excludes(&["352n"]),
    AiEntry::range("3530", "3535", "AREA (in²), log", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["00", "01"])
        .excludes(&["353n"]),
    AiEntry::range("3540", "3545", "AREA (ft²), log", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["00", "01"])
        .excludes(&["354n"]),
    AiEntry::range("3550", "3555", "AREA (yd²), log", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["00", "01"])
        .excludes(&["355n"]),
    AiEntry::range("3560", "3565", "NET WEIGHT (tr oz)", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["01", "02"])
        .excludes(&["356n"]),
    AiEntry::range("3570", "3575", "NET VOLUME (oz)", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["01", "02"])
        .excludes(&["357n"]),
    AiEntry::range("3600", "3605", "NET VOLUME (qt (US))", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["01", "02"])
        .excludes(&["360n"]),
    AiEntry::range("3610", "3615", "NET VOLUME (gal.)", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["01", "02"])
        .excludes(&["361n"]),
    AiEntry::range("3620", "3625", "VOLUME (qt (US)), log", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["00", "01"])
        .excludes(&["362n"]),
    AiEntry::range(
        "3630",
        "3635",
        "VOLUME (gal (US)), log",
        &[fixed(N, 6, &[])],
    )
    .predefined_length()
    .dl_attribute()
    .requires(&["00", "01"])
    .excludes(&["363n"]),
    AiEntry::range("3640", "3645", "NET VOLUME (in³)", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["01", "02"])
        .excludes(&["364n"]),
    AiEntry::range("3650", "3655", "NET VOLUME (ft³)", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["01", "02"])
        .excludes(&["365n"]),
    AiEntry::range("3660", "3665", "NET VOLUME (yd³)", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["01", "02"])
        .excludes(&["366n"]),
    AiEntry::range("3670", "3675", "VOLUME (in³), log", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["00", "01"])
        .excludes(&["367n"]),
    AiEntry::range("3680", "3685", "VOLUME (ft³), log", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["00", "01"])
        .excludes(&["368n"]),
    AiEntry::range("3690", "3695", "VOLUME (yd³), log", &[fixed(N, 6, &[])])
        .predefined_length()
        .dl_attribute()
        .requires(&["00", "01"])
        .excludes(&["369n"]),
    AiEntry::single("37", "COUNT", &[upto(N, 8, &[])])
        .dl_attribute()
        .requires(&["00+02", "00+8026"]),
    AiEntry::range("3900", "3909", "AMOUNT", &[upto(N, 15, &[])])
        .dl_attribute()
        .requires(&["255", "8020"])
        .excludes(&["390n", "391n", "394n", "8111"]),
    AiEntry::range(
        "3910",
        "3919",
        "AMOUNT",
        &[fixed(N, 3, &[Iso4217]), upto(N, 15, &[])],
    )
    .dl_attribute()
    .requires(&["8020"])
    .excludes(&["391n"]),
    AiEntry::range("3920", "3929", "PRICE", &[upto(N, 15, &[])])
        .dl_attribute()
        .requires(&["01+30", "01+31nn", "01+32nn", "01+35nn", "01+36nn"])
        .excludes(&["392n", "393n"]),
    AiEntry::range(
        "3930",
        "3939",
        "PRICE",
        &[fixed(N, 3, &[Iso4217]), upto(N, 15, &[])],
    )
    .dl_attribute()
    .requires(&["30", "31nn", "32nn", "35nn", "36nn"])
    .excludes(&["393n"]),
    AiEntry::range("3940", "3943", "PRCNT OFF", &[fixed(N, 4, &[])])
        .dl_attribute()
        .requires(&["255"])
        .excludes(&["394n", "8111"]),
    AiEntry::range("3950", "3955", "PRICE/UoM", &[fixed(N, 6, &[])])
        .dl_attribute()
        .requires(&["30", "31nn", "32nn", "35nn", "36nn"])
        .excludes(&["392n", "393n", "395n", "8005"]),
    AiEntry::single("400", "ORDER NUMBER", &[upto(X, 30, &[])]).dl_attribute(),
    AiEntry::single("401", "GINC", &[upto(X, 30, &[GcpPos1])])
        .dl_attribute()
        .dl_primary_key(&[]),
    AiEntry::single("402", "GSIN", &[fixed(N, 17, &[Csum, GcpPos1])])
        .dl_attribute()
        .dl_primary_key(&[]),
    AiEntry::single("403", "ROUTE", &[upto(X, 30, &[])])
        .dl_attribute()
        .requires(&["00"]),
    AiEntry::single("410", "SHIP TO LOC", &[fixed(N, 13, &[Csum, GcpPos1])])
        .predefined_length()
        .dl_attribute(),
    AiEntry::single("411", "BILL TO", &[fixed(N, 13, &[Csum, GcpPos1])])
        .predefined_length()
        .dl_attribute(),
    AiEntry::single("412", "PURCHASE FROM", &[fixed(N, 13, &[Csum, GcpPos1])])
        .predefined_length()
        .dl_attribute(),
    AiEntry::single("413", "SHIP FOR LOC", &[fixed(N, 13, &[Csum, GcpPos1])])
        .predefined_length()
        .dl_attribute(),
    AiEntry::single("414", "LOC No.", &[fixed(N, 13, &[Csum, GcpPos1])])
        .predefined_length()
        .dl_attribute()
        .dl_primary_key(&["254", "7040"]),
    AiEntry::single("415", "PAY TO", &[fixed(N, 13, &[Csum, GcpPos1])])
        .predefined_length()
        .dl_attribute()
        .requires(&["8020"])
        .dl_primary_key(&["8020"]),
    AiEntry::single("416", "PROD/SERV LOC", &[fixed(N, 13, &[Csum, GcpPos1])])
        .predefined_length()
        .dl_attribute(),
    AiEntry::single("417", "PARTY", &[fixed(N, 13, &[Csum, GcpPos1])])
        .predefined_length()
        .dl_attribute()
        .dl_primary_key(&["7040"]),
    AiEntry::single("420", "SHIP TO POST", &[upto(X, 20, &[])])
        .dl_attribute()
        .excludes(&["421"]),
    AiEntry::single(
        "421",
        "SHIP TO POST",
        &[fixed(N, 3, &[Iso3166]), upto(X, 9, &[])],
    )
    .dl_attribute()
    .excludes(&["4307"]),
    AiEntry::single("422", "ORIGIN", &[fixed(N, 3, &[Iso3166])])
        .dl_attribute()
        .requires(&["01", "02", "03", "8006", "8026"])
        .excludes(&["426"]),
    AiEntry::single(
        "423",
        "COUNTRY - INITIAL PROCESS",
        &[
            fixed(N, 3, &[Iso3166]),
            optional(fixed(N, 3, &[Iso3166])),
            optional(fixed(N, 3, &[Iso3166])),
            optional(fixed(N, 3, &[Iso3166])),
            optional(fixed(N, 3, &[Iso3166])),
        ],
    )
    .dl_attribute()
    .requires(&["01", "02", "03"])
    .excludes(&["426"]),
    AiEntry::single("424", "COUNTRY - PROCESS", &[fixed(N, 3, &[Iso3166])])
        .dl_attribute()
        .requires(&["01", "02", "03"])
        .excludes(&["426"]),
    AiEntry::single(
        "425",
        "COUNTRY - DISASSEMBLY",
        &[
            fixed(N, 3, &[Iso3166]),
            optional(fixed(N, 3, &[Iso3166])),
            optional(fixed(N, 3, &[Iso3166])),
            optional(fixed(N, 3, &[Iso3166])),
            optional(fixed(N, 3, &[Iso3166])),
        ],
    )
    .dl_attribute()
    .requires(&["01", "02", "03"])
    .excludes(&["426"]),
    AiEntry::single("426", "COUNTRY - FULL PROCESS", &[fixed(N, 3, &[Iso3166])])
        .dl_attribute()
        .requires(&["01", "02", "03"]),
    AiEntry::single("427", "ORIGIN SUBDIVISION", &[upto(X, 3, &[])])
        .dl_attribute()
        .requires(&["01+422", "02+422", "03+422"]),
    AiEntry::single("4300", "SHIP TO COMP", &[upto(X, 35, &[PercentEncoded])])
        .dl_attribute()
        .requires(&["00"]),
    AiEntry::single("4301", "SHIP TO NAME", &[upto(X, 35, &[PercentEncoded])])
        .dl_attribute()
        .requires(&["00"]),
    AiEntry::single("4302", "SHIP TO ADD1", &[upto(X, 70, &[PercentEncoded])])
        .dl_attribute()
        .requires(&["00"]),
    AiEntry::single("4303", "SHIP TO ADD2", &[upto(X, 70, &[PercentEncoded])])
        .dl_attribute()
        .requires(&["4302"]),
    AiEntry::single("4304", "SHIP TO SUB", &[upto(X, 70, &[PercentEncoded])])
        .dl_attribute()
        .requires(&["00"]),
    AiEntry::single("4305", "SHIP TO LOC", &[upto(X, 70, &[PercentEncoded])])
        .dl_attribute()
        .requires(&["00"]),
    AiEntry::single("4306", "SHIP TO REG", &[upto(X, 70, &[PercentEncoded])])
        .dl_attribute()
        .requires(&["00"]),
    AiEntry::single("4307", "SHIP TO COUNTRY", &[fixed(X, 2, &[Iso3166Alpha2])])
        .dl_attribute()
        .requires(&["00"]),
    AiEntry::single("4308", "SHIP TO PHONE", &[upto(X, 30, &[])])
        .dl_attribute()
        .requires(&["00"]),
    AiEntry::single(
        "4309",
        "SHIP TO GEO",
        &[fixed(N, 10, &[Latitude]), fixed(N, 10, &[Longitude])],
    )
    .dl_attribute()
    .requires(&["00"]),
    AiEntry::single("4310", "RTN TO COMP", &[upto(X, 35, &[PercentEncoded])])
        .dl_attribute()
        .requires(&["00"]),
    AiEntry::single("4311", "RTN TO NAME", &[upto(X, 35, &[PercentEncoded])])
        .dl_attribute()
        .requires(&["00"]),
    AiEntry::single("4312", "RTN TO ADD1", &[upto(X, 70, &[PercentEncoded])])
        .dl_attribute()
        .requires(&["00"]),
    AiEntry::single("4313", "RTN TO ADD2", &[upto(X, 70, &[PercentEncoded])])
        .dl_attribute()
        .requires(&["4312"]),
    AiEntry::single("4314", "RTN TO SUB", &[upto(X, 70, &[PercentEncoded])])
        .dl_attribute()
        .requires(&["00"]),
    AiEntry::single("4315", "RTN TO LOC", &[upto(X, 70, &[PercentEncoded])])
        .dl_attribute()
        .requires(&["00"]),
    AiEntry::single("4316", "RTN TO REG", &[upto(X, 70, &[PercentEncoded])])
        .dl_attribute()
        .requires(&["00"]),
    AiEntry::single("4317", "RTN TO COUNTRY", &[fixed(X, 2, &[Iso3166Alpha2])])
        .dl_attribute()
        .requires(&["00"]),
    AiEntry::single("4318", "RTN TO POST", &[upto(X, 20, &[])])
        .dl_attribute()
        .requires(&["00"]),
    AiEntry::single("4319", "RTN TO PHONE", &[upto(X, 30, &[])])
        .dl_attribute()
        .requires(&["00"]),
    AiEntry::single("4320", "SRV DESCRIPTION", &[upto(X, 35, &[PercentEncoded])])
        .dl_attribute()
        .requires(&["00"]),
    AiEntry::single("4321", "DANGEROUS GOODS", &[fixed(N, 1, &[YesNo])])
        .dl_attribute()
        .requires(&["00"]),
    AiEntry::single("4322", "AUTH TO LEAVE", &[fixed(N, 1, &[YesNo])])
        .dl_attribute()
        .requires(&["00"]),
    AiEntry::single("4323", "SIG REQUIRED", &[fixed(N, 1, &[YesNo])])
        .dl_attribute()
        .requires(&["00"]),
    AiEntry::single(
        "4324",
        "NOT BEF DEL DT",
        &[fixed(N, 6, &[Yymmd0]), fixed(N, 4, &[Hhmi])],
    )
    .dl_attribute()
    .requires(&["00"]),
    AiEntry::single(
        "4325",
        "NOT AFT DEL DT",
        &[fixed(N, 6, &[Yymmd0]), fixed(N, 4, &[Hhmi])],
    )
    .dl_attribute()
    .requires(&["00"]),
    AiEntry::single("4326", "REL DATE", &[fixed(N, 6, &[Yymmdd])])
        .dl_attribute()
        .requires(&["00"]),
    AiEntry::single(
        "4330",
        "MAX TEMP F.",
        &[fixed(N, 6, &[]), optional(fixed(X, 1, &[Hyphen]))],
    )
    .dl_attribute()
    .requires(&["00"])
    .excludes(&["4331"]),
    AiEntry::single(
        "4331",
        "MAX TEMP C.",
        &[fixed(N, 6, &[]), optional(fixed(X, 1, &[Hyphen]))],
    )
    .dl_attribute()
    .requires(&["00"])
    .excludes(&["4330"]),
    AiEntry::single(
        "4332",
        "MIN TEMP F.",
        &[fixed(N, 6, &[]), optional(fixed(X, 1, &[Hyphen]))],
    )
    .dl_attribute()
    .requires(&["00"])
    .excludes(&["4333"]),
    AiEntry::single(
        "4333",
        "MIN TEMP C.",
        &[fixed(N, 6, &[]), optional(fixed(X, 1, &[Hyphen]))],
    )
    .dl_attribute()
    .requires(&["00"])
    .excludes(&["4332"]),
    AiEntry::single("7001", "NSN", &[fixed(N, 13, &[])])
        .dl_attribute()
        .requires(&["01", "02", "8006", "8026"]),
    AiEntry::single("7002", "MEAT CUT", &[upto(X, 30, &[])])
        .dl_attribute()
        .requires(&["01", "02"]),
    AiEntry::single(
        "7003",
        "EXPIRY TIME",
        &[fixed(N, 6, &[Yymmdd]), fixed(N, 4, &[Hhmi])],
    )
    .dl_attribute()
    .requires(&["01", "02", "03"]),
    AiEntry::single("7004", "ACTIVE POTENCY", &[upto(N, 4, &[])])
        .dl_attribute()
        .requires(&["01+10", "03+10"]),
    AiEntry::single("7005", "CATCH AREA", &[upto(X, 12, &[])])
        .dl_attribute()
        .requires(&["01", "02"]),
    AiEntry::single("7006", "FIRST FREEZE DATE", &[fixed(N, 6, &[Yymmdd])])
        .dl_attribute()
        .requires(&["01", "02"]),
    AiEntry::single(
        "7007",
        "HARVEST DATE",
        &[fixed(N, 6, &[Yymmdd]), optional(fixed(N, 6, &[Yymmdd]))],
    )
    .dl_attribute()
    .requires(&["01", "02"]),
    AiEntry::single("7008", "AQUATIC SPECIES", &[upto(X, 3, &[])])
        .dl_attribute()
        .requires(&["01", "02"]),
    AiEntry::single("7009", "FISHING GEAR TYPE", &[upto(X, 10, &[])])
        .dl_attribute()
        .requires(&["01", "02"]),
    AiEntry::single("7010", "PROD METHOD", &[upto(X, 2, &[])])
        .dl_attribute()
        .requires(&["01", "02", "03"]),
    AiEntry::single(
        "7011",
        "TEST BY DATE",
        &[fixed(N, 6, &[Yymmdd]), optional(fixed(N, 4, &[Hhmi]))],
    )
    .dl_attribute()
    .requires(&["01", "02", "03"]),
    AiEntry::single("7020", "REFURB LOT", &[upto(X, 20, &[])])
        .dl_attribute()
        .requires(&["01+416", "03+416", "8006+416"]),
    AiEntry::single("7021", "FUNC STAT", &[upto(X, 20, &[])])
        .dl_attribute()
        .requires(&["01", "03", "8006"]),
    AiEntry::single("7022", "REV STAT", &[upto(X, 20, &[])])
        .dl_attribute()
        .requires(&["01+7021", "03+7021", "8006+7021"]),
    AiEntry::single("7023", "GIAI - ASSEMBLY", &[upto(X, 30, &[GcpPos1])]).dl_attribute(),
    AiEntry::single(
        "7030",
        "PROCESSOR # 0",
        &[fixed(N, 3, &[Iso3166Or999]), upto(X, 27, &[])],
    )
    .dl_attribute()
    .requires(&["01", "02"]),
    AiEntry::single(
        "7031",
        "PROCESSOR # 1",
        &[fixed(N, 3, &[Iso3166Or999]), upto(X, 27, &[])],
    )
    .dl_attribute()
    .requires(&["01", "02"]),
    AiEntry::single(
        "7032",
        "PROCESSOR # 2",
        &[fixed(N, 3, &[Iso3166Or999]), upto(X, 27, &[])],
    )
    .dl_attribute()
    .requires(&["01", "02"]),
    AiEntry::single(
        "7033",
        "PROCESSOR # 3",
        &[fixed(N, 3, &[Iso3166Or999]), upto(X, 27, &[])],
    )
    .dl_attribute()
    .requires(&["01", "02"]),
    AiEntry::single(
        "7034",
        "PROCESSOR # 4",
        &[fixed(N, 3, &[Iso3166Or999]), upto(X, 27, &[])],
    )
    .dl_attribute()
    .requires(&["01", "02"]),
    AiEntry::single(
        "7035",
        "PROCESSOR # 5",
        &[fixed(N, 3, &[Iso3166Or999]), upto(X, 27, &[])],
    )
    .dl_attribute()
    .requires(&["01", "02"]),
    AiEntry::single(
        "7036",
        "PROCESSOR # 6",
        &[fixed(N, 3, &[Iso3166Or999]), upto(X, 27, &[])],
    )
    .dl_attribute()
    .requires(&["01", "02"]),
    AiEntry::single(
        "7037",
        "PROCESSOR # 7",
        &[fixed(N, 3, &[Iso3166Or999]), upto(X, 27, &[])],
    )
    .dl_attribute()
    .requires(&["01", "02"]),
    AiEntry::single(
        "7038",
        "PROCESSOR # 8",
        &[fixed(N, 3, &[Iso3166Or999]), upto(X, 27, &[])],
    )
    .dl_attribute()
    .requires(&["01", "02"]),
    AiEntry::single(
        "7039",
        "PROCESSOR # 9",
        &[fixed(N, 3, &[Iso3166Or999]), upto(X, 27, &[])],
    )
    .dl_attribute()
    .requires(&["01", "02"]),
    AiEntry::single(
        "7040",
        "UIC+EXT",
        &[
            fixed(N, 1, &[]),
            fixed(X, 1, &[]),
            fixed(X, 1, &[]),
            fixed(X, 1, &[ImporterIndex]),
        ],
    ),
    AiEntry::single("7041", "UFRGT UNIT TYPE", &[upto(X, 4, &[PackageType])]).requires(&["00"]),
    AiEntry::single("710", "NHRN PZN", &[upto(X, 20, &[])])
        .dl_attribute()
        .requires(&["01"]),
    AiEntry::single("711", "NHRN CIP", &[upto(X, 20, &[])])
        .dl_attribute()
        .requires(&["01"]),
    AiEntry::single("712", "NHRN CN", &[upto(X, 20, &[])])
        .dl_attribute()
        .requires(&["01"]),
    AiEntry::single("713", "NHRN DRN", &[upto(X, 20, &[])])
        .dl_attribute()
        .requires(&["01"]),
    AiEntry::single("714", "NHRN AIM", &[upto(X, 20, &[])])
        .dl_attribute()
        .requires(&["01"]),
    AiEntry::single("715", "NHRN NDC", &[upto(X, 20, &[])])
        .dl_attribute()
        .requires(&["01"]),
    AiEntry::single("716", "NHRN AIC", &[upto(X, 20, &[])])
        .dl_attribute()
        .requires(&["01"]),
    AiEntry::single("717", "NHRN SRN", &[upto(X, 20, &[])])
        .dl_attribute()
        .requires(&["01"]),
    AiEntry::single("7230", "CERT # 1", &[fixed(X, 2, &[]), upto(X, 28, &[])])
        .dl_attribute()
        .requires(&["01", "8004"]),
    AiEntry::single("7231", "CERT # 2", &[fixed(X, 2, &[]), upto(X, 28, &[])])
        .dl_attribute()
        .requires(&["01", "8004"]),
    AiEntry::single("7232", "CERT # 3", &[fixed(X, 2, &[]), upto(X, 28, &[])])
        .dl_attribute()
        .requires(&["01", "8004"]),
    AiEntry::single("7233", "CERT # 4", &[fixed(X, 2, &[]), upto(X, 28, &[])])
        .dl_attribute()
        .requires(&["01", "8004"]),
    AiEntry::single("7234", "CERT # 5", &[fixed(X, 2, &[]), upto(X, 28, &[])])
        .dl_attribute()
        .requires(&["01", "8004"]),
    AiEntry::single("7235", "CERT # 6", &[fixed(X, 2, &[]), upto(X, 28, &[])])
        .dl_attribute()
        .requires(&["01", "8004"]),
    AiEntry::single("7236", "CERT # 7", &[fixed(X, 2, &[]), upto(X, 28, &[])])
        .dl_attribute()
        .requires(&["01", "8004"]),
    AiEntry::single("7237", "CERT # 8", &[fixed(X, 2, &[]), upto(X, 28, &[])])
        .dl_attribute()
        .requires(&["01", "8004"]),
    AiEntry::single("7238", "CERT # 9", &[fixed(X, 2, &[]), upto(X, 28, &[])])
        .dl_attribute()
        .requires(&["01", "8004"]),
    AiEntry::single("7239", "CERT # 10", &[fixed(X, 2, &[]), upto(X, 28, &[])])
        .dl_attribute()
        .requires(&["01", "8004"]),
    AiEntry::single("7240", "PROTOCOL", &[upto(X, 20, &[])])
        .dl_attribute()
        .requires(&["01", "8006"])
        .excludes(&["03"]),
    AiEntry::single("7241", "AIDC MEDIA TYPE", &[fixed(N, 2, &[MediaType])])
        .dl_attribute()
        .requires(&["8017", "8018"]),
    AiEntry::single("7242", "VCN", &[upto(X, 25, &[])])
        .dl_attribute()
        .requires(&["8017", "8018"]),
    AiEntry::single("7250", "DOB", &[fixed(N, 8, &[Yyyymmdd])])
        .dl_attribute()
        .requires(&["8018"])
        .excludes(&["7251"]),
    AiEntry::single(
        "7251",
        "DOB TIME",
        &[fixed(N, 8, &[Yyyymmdd]), fixed(N, 4, &[Hhmi])],
    )
    .dl_attribute()
    .requires(&["8018"])
    .excludes(&["7250"]),
    AiEntry::single("7252", "BIO SEX", &[fixed(N, 1, &[Iso5218])])
        .dl_attribute()
        .requires(&["8018"]),
    AiEntry::single("7253", "FAMILY NAME", &[upto(X, 40, &[PercentEncoded])])
        .dl_attribute()
        .requires(&["8017", "8018"])
        .excludes(&["7256", "7259"]),
    AiEntry::single("7254", "GIVEN NAME", &[upto(X, 40, &[PercentEncoded])])
        .dl_attribute()
        .requires(&["8017", "8018"])
        .excludes(&["7256", "7259"]),
    AiEntry::single("7255", "SUFFIX", &[upto(X, 10, &[])])
        .dl_attribute()
        .requires(&["8017", "8018"])
        .excludes(&["7256", "7259"]),
    AiEntry::single("7256", "FULL NAME", &[upto(X, 90, &[PercentEncoded])])
        .dl_attribute()
        .requires(&["8017", "8018"]),
    AiEntry::single("7257", "PERSON ADDR", &[upto(X, 70, &[PercentEncoded])])
        .dl_attribute()
        .requires(&["8018"]),
    AiEntry::single("7258", "BIRTH SEQUENCE", &[fixed(X, 3, &[PosInSeqSlash])])
        .dl_attribute()
        .requires(&["8018+7259"]),
    AiEntry::single("7259", "BABY", &[upto(X, 40, &[PercentEncoded])])
        .dl_attribute()
        .requires(&["8018"])
        .excludes(&["7256"]),
    AiEntry::single(
        "8001",
        "DIMENSIONS",
        &[
            fixed(N, 4, &[NonZero]),
            fixed(N, 5, &[NonZero]),
            fixed(N, 3, &[NonZero]),
            fixed(N, 1, &[Winding]),
            fixed(N, 1, &[]),
        ],
    )
    .dl_attribute()
    .requires(&["01"]),
    AiEntry::single("8002", "CMT No.", &[upto(X, 20, &[])]).dl_attribute(),
    AiEntry::single(
        "8003",
        "GRAI",
        &[
            fixed(N, 1, &[Zero]),
            fixed(N, 13, &[Csum, GcpPos1]),
            optional(upto(X, 16, &[])),
        ],
    )
    .dl_attribute()
    .dl_primary_key(&[]),
    AiEntry::single("8004", "GIAI", &[upto(X, 30, &[GcpPos1])])
        .dl_attribute()
        .dl_primary_key(&["7040"]),
    AiEntry::single("8005", "PRICE PER UNIT", &[fixed(N, 6, &[])])
        .dl_attribute()
        .requires(&["01", "02"]),
    AiEntry::single(
        "8006",
        "ITIP",
        &[fixed(N, 14, &[Csum, GcpPos2]), fixed(N, 4, &[PieceOfTotal])],
    )
    .dl_attribute()
    .excludes(&["01", "03", "37"])
    .dl_primary_key(&["22,10,21"]),
    AiEntry::single("8007", "IBAN", &[upto(X, 34, &[Iban])])
        .dl_attribute()
        .requires(&["415"]),
    AiEntry::single(
        "8008",
        "PROD TIME",
        &[
            fixed(N, 6, &[Yymmdd]),
            fixed(N, 2, &[Hh]),
            optional(fixed(N, 2, &[Mi])),
            optional(fixed(N, 2, &[Ss])),
        ],
    )
    .dl_attribute()
    .requires(&["01", "02", "03"]),
    AiEntry::single("8009", "OPTSEN", &[upto(X, 50, &[])])
        .dl_attribute()
        .requires(&["00", "01", "03"]),
    AiEntry::single("8010", "CPID", &[upto(Y, 30, &[GcpPos1])])
        .dl_attribute()
        .dl_primary_key(&["8011"]),
    AiEntry::single("8011", "CPID SERIAL", &[upto(N, 12, &[NoZeroPrefix])]).requires(&["8010"]),
    AiEntry::single("8012", "VERSION", &[upto(X, 20, &[])])
        .dl_attribute()
        .requires(&["01", "03", "8006"]),
    AiEntry::single("8013", "GMN", &[upto(X, 25, &[CsumAlpha, GcpPos1])])
        .dl_attribute()
        .dl_primary_key(&[]),
    AiEntry::single(
        "8014",
        "MUDI",
        &[upto(X, 25, &[CsumAlpha, GcpPos1, HasNonDigit])],
    )
    .requires(&["01"]),
    AiEntry::single("8017", "GSRN - PROVIDER", &[fixed(N, 18, &[Csum, GcpPos1])])
        .dl_attribute()
        .excludes(&["8018"])
        .dl_primary_key(&["8019"]),
    AiEntry::single(
        "8018",
        "GSRN - RECIPIENT",
        &[fixed(N, 18, &[Csum, GcpPos1])],
    )
    .dl_attribute()
    .excludes(&["8017"])
    .dl_primary_key(&["8019"]),
    AiEntry::single("8019", "SRIN", &[upto(N, 10, &[])]).requires(&["8017", "8018"]),
    AiEntry::single("8020", "REF No.", &[upto(X, 25, &[])]).requires(&["415"]),
    AiEntry::single(
        "8026",
        "ITIP CONTENT",
        &[fixed(N, 14, &[Csum, GcpPos2]), fixed(N, 4, &[PieceOfTotal])],
    )
    .dl_attribute()
    .requires(&["37"])
    .excludes(&["02", "03", "8006"]),
    AiEntry::single("8030", "DIGSIG", &[upto(Z, 90, &[])])
        .dl_attribute()
        .requires(&[
            "00",
            "01+21",
            "03+21",
            "253",
            "255",
            "8003",
            "8004",
            "8006+21",
            "8010+8011",
            "8017",
            "8018",
        ]),
    AiEntry::single("8040", "IMEI", &[fixed(N, 15, &[])]).requires(&["01+21"]),
    AiEntry::single("8041", "IMEI2", &[fixed(N, 15, &[])]).requires(&["01+21+8040"]),
    AiEntry::single("8042", "ESIM", &[fixed(N, 32, &[])]).requires(&["01+21+8040"]),
    AiEntry::single(
        "8043",
        "PSIM",
        &[fixed(N, 18, &[]), optional(upto(N, 2, &[]))],
    )
    .requires(&["01+21+8040"]),
    AiEntry::single("8110", "", &[upto(X, 70, &[CouponCode])]).dl_attribute(),
    AiEntry::single("8111", "POINTS", &[fixed(N, 4, &[])])
        .dl_attribute()
        .requires(&["255"]),
    AiEntry::single("8112", "", &[upto(X, 70, &[CouponPosOffer])]).dl_attribute(),
    AiEntry::single("8200", "PRODUCT URL", &[upto(X, 70, &[])]).requires(&["01"]),
    AiEntry::single("90", "INTERNAL", &[upto(X, 30, &[])]).dl_attribute(),
    AiEntry::range("91", "99", "INTERNAL", &[upto(X, 90, &[])]).dl_attribute(),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_sorted_and_ranges_are_well_formed() {
        for pair in ENTRIES.windows(2) {
            assert!(
                pair[0].last < pair[1].first,
                "{} / {}",
                pair[0].last,
                pair[1].first
            );
        }
        for e in ENTRIES {
            assert_eq!(e.first.len(), e.last.len(), "{}", e.first);
            assert!(e.first <= e.last);
            assert!(!e.components.is_empty());
            // Only the final component may have variable length.
            for c in &e.components[..e.components.len() - 1] {
                assert_eq!(c.min, c.max, "AI {}", e.first);
            }
        }
    }

    #[test]
    fn every_ai_in_a_range_is_found_and_neighbours_are_not() {
        assert_eq!(lookup("3100").map(|e| e.title), Some("NET WEIGHT (kg)"));
        assert_eq!(lookup("3105").map(|e| e.title), Some("NET WEIGHT (kg)"));
        assert!(lookup("3106").is_none());
        assert_eq!(lookup("7039").map(|e| e.title), Some("PROCESSOR # 9"));
        assert_eq!(lookup("91").map(|e| e.title), Some("INTERNAL"));
        assert_eq!(lookup("99").map(|e| e.title), Some("INTERNAL"));
        assert_eq!(lookup("3949").map(|e| e.title), None);
        assert_eq!(lookup("3943").map(|e| e.title), Some("PRCNT OFF"));
        assert!(lookup("23").is_none());
        assert!(lookup("2").is_none());
        assert!(lookup("").is_none());
        assert!(lookup("0x").is_none());
        assert!(lookup("010").is_none());
    }

    #[test]
    fn ai_length_follows_the_first_two_digits() {
        assert_eq!(ai_length(b"0109506000134352"), Some(2));
        assert_eq!(ai_length(b"235"), Some(3));
        assert_eq!(ai_length(b"3103"), Some(4));
        assert_eq!(ai_length(b"4300"), Some(4));
        assert_eq!(ai_length(b"710"), Some(3));
        assert_eq!(ai_length(b"95"), Some(2));
        assert_eq!(ai_length(b"05"), None);
        assert_eq!(ai_length(b"1"), None);
        assert_eq!(ai_length(b"A1"), None);
    }

    #[test]
    fn predefined_length_is_the_star_flag_not_fixed_length() {
        let itip = lookup("8006").expect("8006");
        assert!(!itip.predefined_length);
        assert_eq!((itip.min_len(), itip.max_len()), (18, 18));
        assert!(lookup("01").is_some_and(|e| e.predefined_length));
        assert!(lookup("17").is_some_and(|e| e.predefined_length));
        assert!(lookup("10").is_some_and(|e| !e.predefined_length));
    }

    #[test]
    fn multi_component_lengths() {
        let grai = lookup("8003").expect("8003");
        assert_eq!((grai.min_len(), grai.max_len()), (14, 30));
        let prod_time = lookup("8008").expect("8008");
        assert_eq!((prod_time.min_len(), prod_time.max_len()), (8, 12));
        let temp = lookup("4330").expect("4330");
        assert_eq!((temp.min_len(), temp.max_len()), (6, 7));
    }

    #[test]
    fn character_sets() {
        assert!(Charset::Cset82.allows(b'!') && Charset::Cset82.allows(b'z'));
        assert!(!Charset::Cset82.allows(b' ') && !Charset::Cset82.allows(b'#'));
        assert!(!Charset::Cset82.allows(0xC3) && !Charset::Cset82.allows(0x1d));
        assert!(Charset::Cset39.allows(b'#') && !Charset::Cset39.allows(b'a'));
        assert!(Charset::Base64Url.allows(b'_') && !Charset::Base64Url.allows(b'+'));
        assert!(!Charset::Base64Url.allows(b'='));
    }
}
