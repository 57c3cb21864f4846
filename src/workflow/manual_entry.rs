//! Lot numbers and expiry dates typed on the keypad, held to the rules a
//! barcode would be held to (AI 10: GS1 CSET 82, at most 20 characters; AI
//! 17: a date that exists), so a typed lot can later be printed, scanned
//! and matched.

use chrono::NaiveDate;

use crate::scan::gs1::is_cset82;
use crate::text;
use crate::text::Text;

/// The longest lot number AI 10 allows.
pub const MAX_LOT_LEN: usize = 20;

/// Checks a lot number entered by hand (or produced by a lot pattern).
/// The error is a phrase for the operator.
pub fn validate_lot(lot: &str) -> Result<(), Text> {
    if lot.is_empty() {
        return Err(text!("the lot number is empty"));
    }
    if let Some(ch) = lot.chars().find(|&c| !u8::try_from(c).is_ok_and(is_cset82)) {
        return Err(text!(
            "lot \"{lot}\": the character '{character}' cannot be used in a GS1 lot number (CSET 82)",
            lot,
            character = ch.to_string()
        ));
    }
    if lot.len() > MAX_LOT_LEN {
        return Err(text!(
            "lot \"{lot}\" is {length} characters long; a GS1 lot number has at most {max}",
            lot,
            length = lot.len(),
            max = MAX_LOT_LEN
        ));
    }
    Ok(())
}

/// Reads an expiry date entered by hand as `YYYY-MM-DD`; the date must
/// exist (no 31 April, no 29 February outside leap years).
pub fn parse_expiry(typed: &str) -> Result<NaiveDate, Text> {
    let shaped = typed.len() == 10
        && typed.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shaped {
        return Err(text!("expiry \"{typed}\" is not written YYYY-MM-DD", typed));
    }
    NaiveDate::parse_from_str(typed, "%Y-%m-%d")
        .map_err(|_| text!("expiry \"{typed}\" is not a real calendar date", typed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lots_follow_ai_10_rules() {
        assert_eq!(validate_lot("ABC-123/x.y"), Ok(()));
        assert_eq!(validate_lot(&"9".repeat(20)), Ok(()));
        assert!(
            validate_lot(&"9".repeat(21))
                .unwrap_err()
                .contains("at most 20")
        );
        assert!(validate_lot("").unwrap_err().contains("empty"));
        assert!(validate_lot("AB C").unwrap_err().contains("' '"));
        assert!(validate_lot("LOT#1").unwrap_err().contains("CSET 82"));
        assert!(validate_lot("LÖT").unwrap_err().contains("'Ö'"));
    }

    #[test]
    fn expiry_must_be_a_real_iso_date() {
        assert_eq!(
            parse_expiry("2028-02-29"),
            Ok(NaiveDate::from_ymd_opt(2028, 2, 29).unwrap())
        );
        assert!(parse_expiry("2027-02-29").unwrap_err().contains("real"));
        assert!(parse_expiry("2027-04-31").unwrap_err().contains("real"));
        assert!(
            parse_expiry("2027-4-30")
                .unwrap_err()
                .contains("YYYY-MM-DD")
        );
        assert!(parse_expiry("270430").unwrap_err().contains("YYYY-MM-DD"));
    }
}
