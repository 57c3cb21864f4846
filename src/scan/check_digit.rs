//! GS1 check digits: the mod-10 digit of GTIN, SSCC, GLN and friends, and the
//! mod-1021 check-character pair of alphanumeric keys (GMN, MUDI).

/// The GS1 mod-10 check digit for `digits` (the key without its check digit).
///
/// Weights 3 and 1 alternate from the rightmost digit. Returns `None` when a
/// byte is not an ASCII digit.
pub fn mod10(digits: &[u8]) -> Option<u8> {
    let mut sum = 0u32;
    for (i, &b) in digits.iter().rev().enumerate() {
        if !b.is_ascii_digit() {
            return None;
        }
        let d = u32::from(b - b'0');
        sum += if i % 2 == 0 { d * 3 } else { d };
    }
    Some(((10 - sum % 10) % 10) as u8)
}

/// True when the last digit of `key` is its correct GS1 mod-10 check digit.
pub fn mod10_valid(key: &[u8]) -> bool {
    match key.split_last() {
        Some((&last, body)) if last.is_ascii_digit() => mod10(body) == Some(last - b'0'),
        _ => false,
    }
}

/// The alphabet of the alphanumeric check-character pair (GS1 General
/// Specifications 7.9.5): 32 characters, no vowels but `A`… no `I`, `O`, `U`.
const CHECK_PAIR_ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// The ordered CSET 82 character set; a character's value is its position.
pub const CSET82: &[u8; 82] =
    b"!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

/// The two check characters for `body` (CSET 82 data without its pair), per
/// GS1 General Specifications 7.9.5; `None` if a byte is outside CSET 82.
pub fn check_pair(body: &[u8]) -> Option<[u8; 2]> {
    // Weights are the first primes, applied from the right.
    const PRIMES: [u32; 97] = [
        2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89,
        97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167, 173, 179, 181,
        191, 193, 197, 199, 211, 223, 227, 229, 233, 239, 241, 251, 257, 263, 269, 271, 277, 281,
        283, 293, 307, 311, 313, 317, 331, 337, 347, 349, 353, 359, 367, 373, 379, 383, 389, 397,
        401, 409, 419, 421, 431, 433, 439, 443, 449, 457, 461, 463, 467, 479, 487, 491, 499, 503,
        509,
    ];
    if body.len() > PRIMES.len() {
        return None;
    }
    let mut sum = 0u32;
    for (i, &b) in body.iter().rev().enumerate() {
        let value = CSET82.iter().position(|&c| c == b)? as u32;
        sum += value * PRIMES[i];
    }
    let check = sum % 1021;
    Some([
        CHECK_PAIR_ALPHABET[(check >> 5) as usize],
        CHECK_PAIR_ALPHABET[(check & 31) as usize],
    ])
}

/// True when the last two characters of `value` are its correct check pair.
pub fn check_pair_valid(value: &[u8]) -> bool {
    if value.len() < 3 {
        return false;
    }
    let (body, pair) = value.split_at(value.len() - 2);
    check_pair(body).is_some_and(|p| p == pair)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gtin_examples_from_the_general_specifications() {
        assert_eq!(mod10(b"0950600013435"), Some(2));
        assert!(mod10_valid(b"09506000134352"));
        assert!(!mod10_valid(b"09506000134353"));
        assert!(mod10_valid(b"4006381333931")); // EAN-13
        assert!(mod10_valid(b"96385074")); // EAN-8
        assert!(mod10_valid(b"036000291452")); // UPC-A
        assert!(mod10_valid(b"106141411234567897")); // SSCC
    }

    #[test]
    fn non_digits_have_no_check_digit() {
        assert_eq!(mod10(b"12a4"), None);
        assert!(!mod10_valid(b""));
        assert!(!mod10_valid(b"1x"));
    }

    #[test]
    fn check_pair_example_from_the_general_specifications() {
        // GS1 General Specifications, 7.9.5: GMN "1987654Ad4X4bL5ttr2310c" + "2K".
        assert_eq!(check_pair(b"1987654Ad4X4bL5ttr2310c"), Some(*b"2K"));
        assert!(check_pair_valid(b"1987654Ad4X4bL5ttr2310c2K"));
        assert!(!check_pair_valid(b"1987654Ad4X4bL5ttr2310c2L"));
    }

    #[test]
    fn check_pair_rejects_characters_outside_cset82() {
        assert_eq!(check_pair(b"AB#"), None);
    }
}
