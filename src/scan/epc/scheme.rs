//! The EPC binary coding schemes Lotline reads and writes: their headers,
//! lengths and names (EPC Tag Data Standard, section 14).

use std::fmt;

use super::partition::Partition;

/// Bits before the partitioned area: header (8), filter (3), partition (3).
pub(crate) const HEAD_BITS: u32 = 14;

/// An EPC binary coding scheme: the header value that opens the EPC, how
/// many bits follow, and which kind of identity they carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// Serialised GTIN, integer serial of up to 38 bits.
    Sgtin96,
    /// Serialised GTIN, alphanumeric serial of up to 20 characters.
    Sgtin198,
    /// Serial Shipping Container Code.
    Sscc96,
    /// GLN with an integer extension of up to 41 bits.
    Sgln96,
    /// GLN with an alphanumeric extension of up to 20 characters.
    Sgln195,
    /// Returnable asset, integer serial of up to 38 bits.
    Grai96,
    /// Returnable asset, alphanumeric serial of up to 16 characters.
    Grai170,
    /// Individual asset, integer asset reference.
    Giai96,
    /// Individual asset, alphanumeric asset reference.
    Giai202,
    /// General Identifier: manager, object class and serial numbers.
    Gid96,
}

impl Scheme {
    /// Every supported scheme.
    pub const ALL: [Scheme; 10] = [
        Scheme::Sgtin96,
        Scheme::Sgtin198,
        Scheme::Sscc96,
        Scheme::Sgln96,
        Scheme::Sgln195,
        Scheme::Grai96,
        Scheme::Grai170,
        Scheme::Giai96,
        Scheme::Giai202,
        Scheme::Gid96,
    ];

    /// The scheme whose header is `header`, if Lotline supports it.
    pub fn from_header(header: u8) -> Option<Scheme> {
        Self::ALL.into_iter().find(|s| s.header() == header)
    }

    /// The scheme named `name` in a tag URI, e.g. `sgtin-96`.
    pub fn from_name(name: &str) -> Option<Scheme> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }

    /// The 8-bit header that opens the binary encoding.
    pub const fn header(self) -> u8 {
        match self {
            Scheme::Sgtin96 => 0x30,
            Scheme::Sscc96 => 0x31,
            Scheme::Sgln96 => 0x32,
            Scheme::Grai96 => 0x33,
            Scheme::Giai96 => 0x34,
            Scheme::Gid96 => 0x35,
            Scheme::Sgtin198 => 0x36,
            Scheme::Grai170 => 0x37,
            Scheme::Giai202 => 0x38,
            Scheme::Sgln195 => 0x39,
        }
    }

    /// The name used in tag URIs and reports, e.g. `sgtin-96`.
    pub const fn name(self) -> &'static str {
        match self {
            Scheme::Sgtin96 => "sgtin-96",
            Scheme::Sgtin198 => "sgtin-198",
            Scheme::Sscc96 => "sscc-96",
            Scheme::Sgln96 => "sgln-96",
            Scheme::Sgln195 => "sgln-195",
            Scheme::Grai96 => "grai-96",
            Scheme::Grai170 => "grai-170",
            Scheme::Giai96 => "giai-96",
            Scheme::Giai202 => "giai-202",
            Scheme::Gid96 => "gid-96",
        }
    }

    /// The EPC scheme of the pure-identity URI: `sgtin` in `urn:epc:id:sgtin:…`.
    pub const fn id_name(self) -> &'static str {
        match self {
            Scheme::Sgtin96 | Scheme::Sgtin198 => "sgtin",
            Scheme::Sscc96 => "sscc",
            Scheme::Sgln96 | Scheme::Sgln195 => "sgln",
            Scheme::Grai96 | Scheme::Grai170 => "grai",
            Scheme::Giai96 | Scheme::Giai202 => "giai",
            Scheme::Gid96 => "gid",
        }
    }

    /// The length of the encoding in bits, header included.
    pub const fn bit_len(self) -> usize {
        match self {
            Scheme::Sgtin96
            | Scheme::Sscc96
            | Scheme::Sgln96
            | Scheme::Grai96
            | Scheme::Giai96
            | Scheme::Gid96 => 96,
            Scheme::Sgtin198 => 198,
            Scheme::Sgln195 => 195,
            Scheme::Grai170 => 170,
            Scheme::Giai202 => 202,
        }
    }

    /// True when the scheme carries a 3-bit filter value (all but GID-96).
    pub const fn has_filter(self) -> bool {
        !matches!(self, Scheme::Gid96)
    }

    /// The bits the partition table shares between the company prefix and
    /// the field after it; `None` for GID-96, which has no partition.
    pub(crate) const fn partitioned_bits(self) -> Option<u32> {
        match self {
            Scheme::Sgtin96 | Scheme::Sgtin198 | Scheme::Grai96 | Scheme::Grai170 => Some(44),
            Scheme::Sscc96 => Some(58),
            Scheme::Sgln96 | Scheme::Sgln195 => Some(41),
            Scheme::Giai96 => Some(82),
            Scheme::Giai202 => Some(188),
            Scheme::Gid96 => None,
        }
    }

    /// True when the serial-like last field (serial, SGLN extension, GIAI
    /// asset reference) is stored as 7-bit characters rather than an integer.
    pub(crate) const fn has_char_serial(self) -> bool {
        matches!(
            self,
            Scheme::Sgtin198 | Scheme::Sgln195 | Scheme::Grai170 | Scheme::Giai202
        )
    }

    /// Bits of the serial-like last field with company prefix `partition`:
    /// a GIAI asset reference takes the partition's reference bits; the
    /// other schemes' field fills what the partitioned area leaves.
    pub(crate) const fn serial_bits(self, partition: &Partition) -> u32 {
        match self {
            Scheme::Giai96 | Scheme::Giai202 => partition.reference_bits,
            _ => {
                self.bit_len() as u32
                    - HEAD_BITS
                    - partition.company_prefix_bits
                    - partition.reference_bits
            }
        }
    }

    /// The most characters a 7-bit serial-like field may hold: the length
    /// limit of the GS1 AI it stands for (AI 21 and 254: 20, the serial of
    /// AI 8003: 16, AI 8004: 30 including the company prefix). Zero for the
    /// schemes whose serial is an integer.
    pub(crate) const fn max_chars(self, company_prefix_digits: u8) -> usize {
        match self {
            Scheme::Sgtin198 | Scheme::Sgln195 => 20,
            Scheme::Grai170 => 16,
            Scheme::Giai202 => 30 - company_prefix_digits as usize,
            _ => 0,
        }
    }
}

impl fmt::Display for Scheme {
    /// The scheme as the TDS writes it, e.g. `SGTIN-96`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self {
            Scheme::Sgtin96 => "SGTIN-96",
            Scheme::Sgtin198 => "SGTIN-198",
            Scheme::Sscc96 => "SSCC-96",
            Scheme::Sgln96 => "SGLN-96",
            Scheme::Sgln195 => "SGLN-195",
            Scheme::Grai96 => "GRAI-96",
            Scheme::Grai170 => "GRAI-170",
            Scheme::Giai96 => "GIAI-96",
            Scheme::Giai202 => "GIAI-202",
            Scheme::Gid96 => "GID-96",
        };
        f.write_str(label)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_the_tds_header_table() {
        let expected = [
            ("sgtin-96", 0x30, 96),
            ("sscc-96", 0x31, 96),
            ("sgln-96", 0x32, 96),
            ("grai-96", 0x33, 96),
            ("giai-96", 0x34, 96),
            ("gid-96", 0x35, 96),
            ("sgtin-198", 0x36, 198),
            ("grai-170", 0x37, 170),
            ("giai-202", 0x38, 202),
            ("sgln-195", 0x39, 195),
        ];
        for (name, header, bits) in expected {
            let scheme = Scheme::from_name(name).unwrap();
            assert_eq!(scheme.header(), header, "{name}");
            assert_eq!(scheme.bit_len(), bits, "{name}");
            assert_eq!(Scheme::from_header(header), Some(scheme));
            assert_eq!(scheme.to_string().to_ascii_lowercase(), name);
        }
    }

    #[test]
    fn unsupported_headers_and_names_are_unknown() {
        assert_eq!(Scheme::from_header(0x2D), None); // GSRN-96
        assert_eq!(Scheme::from_header(0xF7), None); // SGTIN+
        assert_eq!(Scheme::from_name("SGTIN-96"), None);
        assert_eq!(Scheme::from_name("gsrn-96"), None);
    }

    #[test]
    fn layouts_add_up_to_the_scheme_length() {
        // header, filter, partition, partitioned area, then the last field:
        // 38-bit serials, the 24 reserved SSCC bits, 41-bit extension, 7-bit
        // character fields, or nothing (GIAI).
        let last_field = [
            (Scheme::Sgtin96, 38),
            (Scheme::Sgtin198, 140),
            (Scheme::Sscc96, 24),
            (Scheme::Sgln96, 41),
            (Scheme::Sgln195, 140),
            (Scheme::Grai96, 38),
            (Scheme::Grai170, 112),
            (Scheme::Giai96, 0),
            (Scheme::Giai202, 0),
        ];
        for (scheme, bits) in last_field {
            let partitioned = scheme.partitioned_bits().unwrap() as usize;
            assert_eq!(8 + 3 + 3 + partitioned + bits, scheme.bit_len(), "{scheme}");
        }
        assert_eq!(Scheme::Gid96.partitioned_bits(), None);
        assert_eq!(8 + 28 + 24 + 36, Scheme::Gid96.bit_len());
    }
}
