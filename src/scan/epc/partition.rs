//! EPC partition tables: how the 3-bit partition value splits the bits after
//! it between the GS1 Company Prefix and the reference that follows.
//!
//! Every GS1 scheme uses the same company prefix column (12 digits in 40
//! bits down to 6 digits in 20 bits); the reference gets what is left of the
//! scheme's partitioned area (44 bits for SGTIN and GRAI, 58 for SSCC, 41 for
//! SGLN, 82 for GIAI-96, 188 for GIAI-202).

use super::CompanyPrefix;

/// One row of a partition table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Partition {
    /// The partition value, 0 to 6.
    pub value: u8,
    /// Bits of the company prefix.
    pub company_prefix_bits: u32,
    /// Digits of the company prefix, 12 to 6.
    pub company_prefix_digits: u8,
    /// Bits of the field after the company prefix.
    pub reference_bits: u32,
}

/// Company prefix (bits, digits) by partition value.
const COMPANY_PREFIX: [(u32, u8); 7] = [
    (40, 12),
    (37, 11),
    (34, 10),
    (30, 9),
    (27, 8),
    (24, 7),
    (20, 6),
];

impl Partition {
    /// The row for partition `value` of a scheme with `partitioned_bits`;
    /// `None` for the reserved value 7.
    pub fn from_value(value: u8, partitioned_bits: u32) -> Option<Partition> {
        let &(company_prefix_bits, company_prefix_digits) =
            COMPANY_PREFIX.get(usize::from(value))?;
        Some(Partition {
            value,
            company_prefix_bits,
            company_prefix_digits,
            reference_bits: partitioned_bits - company_prefix_bits,
        })
    }

    /// The row for `company_prefix`'s length.
    pub fn of(company_prefix: CompanyPrefix, partitioned_bits: u32) -> Partition {
        // CompanyPrefix guarantees 6..=12 digits, so the value is 0..=6.
        let value = 12 - company_prefix.digits();
        let company_prefix_bits = COMPANY_PREFIX
            .get(usize::from(value))
            .map_or(20, |&(bits, _)| bits);
        Partition {
            value,
            company_prefix_bits,
            company_prefix_digits: company_prefix.digits(),
            reference_bits: partitioned_bits - company_prefix_bits,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows written out from the TDS partition tables:
    /// (company prefix bits, digits, reference bits).
    const SGTIN: [(u32, u8, u32); 7] = [
        (40, 12, 4),
        (37, 11, 7),
        (34, 10, 10),
        (30, 9, 14),
        (27, 8, 17),
        (24, 7, 20),
        (20, 6, 24),
    ];
    const SSCC: [(u32, u8, u32); 7] = [
        (40, 12, 18),
        (37, 11, 21),
        (34, 10, 24),
        (30, 9, 28),
        (27, 8, 31),
        (24, 7, 34),
        (20, 6, 38),
    ];
    const SGLN: [(u32, u8, u32); 7] = [
        (40, 12, 1),
        (37, 11, 4),
        (34, 10, 7),
        (30, 9, 11),
        (27, 8, 14),
        (24, 7, 17),
        (20, 6, 21),
    ];
    const GIAI_96: [(u32, u8, u32); 7] = [
        (40, 12, 42),
        (37, 11, 45),
        (34, 10, 48),
        (30, 9, 52),
        (27, 8, 55),
        (24, 7, 58),
        (20, 6, 62),
    ];
    const GIAI_202: [(u32, u8, u32); 7] = [
        (40, 12, 148),
        (37, 11, 151),
        (34, 10, 154),
        (30, 9, 158),
        (27, 8, 161),
        (24, 7, 164),
        (20, 6, 168),
    ];

    fn check(table: &[(u32, u8, u32); 7], partitioned_bits: u32) {
        for (value, &(cp_bits, cp_digits, ref_bits)) in (0u8..).zip(table) {
            let expected = Partition {
                value,
                company_prefix_bits: cp_bits,
                company_prefix_digits: cp_digits,
                reference_bits: ref_bits,
            };
            assert_eq!(
                Partition::from_value(value, partitioned_bits),
                Some(expected)
            );
            let cp = CompanyPrefix::new(0, cp_digits).unwrap();
            assert_eq!(Partition::of(cp, partitioned_bits), expected);
        }
        assert_eq!(Partition::from_value(7, partitioned_bits), None);
    }

    #[test]
    fn rows_match_the_tds_tables() {
        check(&SGTIN, 44); // also GRAI
        check(&SSCC, 58);
        check(&SGLN, 41);
        check(&GIAI_96, 82);
        check(&GIAI_202, 188);
    }
}
