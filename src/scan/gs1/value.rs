//! Checks one AI value against its dictionary specification: overall
//! length, then each component's length, character set and linters.

use chrono::NaiveDate;

use super::ai_table::{AiEntry, Charset, Component};
use super::linters::{self, LintFailure};
use crate::scan::ScanError;

/// Validates `value` as the value of `ai` (whose table entry is `entry`).
/// Every error names the AI; character positions count from 0 within the
/// value.
pub fn validate(ai: &str, entry: &AiEntry, value: &str, today: NaiveDate) -> Result<(), ScanError> {
    if !value.is_ascii()
        && let Some((position, ch)) = value.char_indices().find(|(_, ch)| !ch.is_ascii())
    {
        return Err(bad_character(ai, ch, position, charset_at(entry, position)));
    }
    let len = value.len();
    let (min, max) = (entry.min_len(), entry.max_len());
    if len > max {
        return Err(ScanError::TooLong {
            ai: ai.to_owned(),
            len,
            max,
        });
    }
    if len < min {
        return Err(ScanError::TooShort {
            ai: ai.to_owned(),
            len,
            min,
        });
    }
    let mut start = 0;
    for component in entry.components {
        let remaining = len - start;
        if remaining == 0 && component.optional {
            break;
        }
        if remaining < component.min {
            let min = start + component.min;
            return Err(ScanError::TooShort {
                ai: ai.to_owned(),
                len,
                min,
            });
        }
        let end = start + remaining.min(component.max);
        check_component(ai, component, value, start, end, today)?;
        start = end;
    }
    Ok(())
}

fn check_component(
    ai: &str,
    component: &Component,
    value: &str,
    start: usize,
    end: usize,
    today: NaiveDate,
) -> Result<(), ScanError> {
    let part = &value[start..end];
    let payload = if component.charset == Charset::Base64Url && end == value.len() {
        strip_base64_padding(part)
    } else {
        part
    };
    if let Some(i) = payload.bytes().position(|b| !component.charset.allows(b)) {
        let ch = char::from(payload.as_bytes()[i]);
        return Err(bad_character(ai, ch, start + i, component.charset));
    }
    for &linter in component.linters {
        linters::lint(linter, part, today).map_err(|failure| lint_error(ai, part, failure))?;
    }
    Ok(())
}

/// Base64url data may end in up to two `=` padding characters.
fn strip_base64_padding(data: &str) -> &str {
    let unpadded = data.trim_end_matches('=');
    if data.len() - unpadded.len() <= 2 {
        unpadded
    } else {
        data
    }
}

/// The character set of the component that covers byte `position` of a
/// value (the last component's past the end).
fn charset_at(entry: &AiEntry, position: usize) -> Charset {
    let mut end = 0;
    let covering = entry.components.iter().find(|c| {
        end += c.max;
        position < end
    });
    covering
        .or(entry.components.last())
        .map_or(Charset::Cset82, |c| c.charset)
}

fn bad_character(ai: &str, ch: char, position: usize, charset: Charset) -> ScanError {
    ScanError::BadCharacter {
        ai: ai.to_owned(),
        ch,
        position,
        set: charset.name(),
    }
}

fn lint_error(ai: &str, part: &str, failure: LintFailure) -> ScanError {
    let (ai, value) = (ai.to_owned(), part.to_owned());
    match failure {
        LintFailure::CheckDigit(expected) => ScanError::BadCheckDigit {
            ai,
            value,
            expected,
        },
        LintFailure::Date(what) => ScanError::BadDate { ai, value, what },
        LintFailure::Invalid(reason) => ScanError::BadValue {
            ai,
            value,
            reason: reason.to_owned(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::gs1::ai_table::lookup;

    fn check(ai: &str, value: &str) -> Result<(), ScanError> {
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).expect("date");
        validate(ai, lookup(ai).expect("known AI"), value, today)
    }

    #[test]
    fn lengths() {
        assert!(check("10", "ABC123").is_ok());
        assert_eq!(
            check("10", "123456789012345678901"),
            Err(ScanError::TooLong {
                ai: "10".into(),
                len: 21,
                max: 20
            })
        );
        assert_eq!(
            check("01", "0950600013435"),
            Err(ScanError::TooShort {
                ai: "01".into(),
                len: 13,
                min: 14
            })
        );
    }

    #[test]
    fn bad_characters_name_the_character_position_and_set() {
        assert_eq!(
            check("10", "AB CD"),
            Err(ScanError::BadCharacter {
                ai: "10".into(),
                ch: ' ',
                position: 2,
                set: "GS1 CSET 82"
            })
        );
        assert_eq!(
            check("01", "0950600013435A"),
            Err(ScanError::BadCharacter {
                ai: "01".into(),
                ch: 'A',
                position: 13,
                set: "digits (N)"
            })
        );
        assert!(matches!(
            check("10", "AÉ"),
            Err(ScanError::BadCharacter {
                ch: 'É',
                position: 1,
                ..
            })
        ));
        assert!(matches!(
            check("8010", "ABc"),
            Err(ScanError::BadCharacter {
                ch: 'c',
                set: "GS1 CSET 39",
                ..
            })
        ));
    }

    #[test]
    fn multi_component_values() {
        // 7030: N3,iso3166999 X..27
        assert!(check("7030", "999AB-12").is_ok());
        assert!(check("7030", "276A").is_ok());
        assert!(matches!(
            check("7030", "000A"),
            Err(ScanError::BadValue { .. })
        ));
        assert!(matches!(
            check("7030", "276"),
            Err(ScanError::TooShort { min: 4, .. })
        ));
        // 8008: N6,yymmdd N2,hh [N2],mi [N2],ss
        assert!(check("8008", "24022913").is_ok());
        assert!(check("8008", "2402291359").is_ok());
        assert!(check("8008", "240229135959").is_ok());
        assert!(matches!(
            check("8008", "240229135"),
            Err(ScanError::TooShort { min: 10, .. })
        ));
        assert!(matches!(
            check("8008", "24022924"),
            Err(ScanError::BadDate { .. })
        ));
        assert!(matches!(
            check("8008", "2402291360"),
            Err(ScanError::BadDate { .. })
        ));
        // 4330: N6 [X1],hyphen
        assert!(check("4330", "001250").is_ok());
        assert!(check("4330", "001250-").is_ok());
        assert!(matches!(
            check("4330", "001250+"),
            Err(ScanError::BadValue { .. })
        ));
        // 423: up to five country codes
        assert!(check("423", "276040").is_ok());
        assert!(matches!(
            check("423", "2760"),
            Err(ScanError::TooShort { min: 6, .. })
        ));
    }

    #[test]
    fn check_digits_and_dates_name_the_ai() {
        assert_eq!(
            check("01", "09506000134353"),
            Err(ScanError::BadCheckDigit {
                ai: "01".into(),
                value: "09506000134353".into(),
                expected: "2".into()
            })
        );
        assert_eq!(
            check("17", "241301"),
            Err(ScanError::BadDate {
                ai: "17".into(),
                value: "241301".into(),
                what: "date: month must be 01-12"
            })
        );
        assert!(matches!(
            check("8006", "095060001343520503"),
            Err(ScanError::BadValue { .. })
        ));
        assert!(check("8006", "095060001343520203").is_ok());
    }

    #[test]
    fn base64url_padding_only_at_the_end() {
        assert!(check("8030", "YWJj").is_ok());
        assert!(check("8030", "YWI=").is_ok());
        assert!(check("8030", "YQ==").is_ok());
        assert!(matches!(
            check("8030", "Y=Q"),
            Err(ScanError::BadCharacter {
                ch: '=',
                position: 1,
                ..
            })
        ));
        assert!(matches!(
            check("8030", "Y==="),
            Err(ScanError::BadCharacter { ch: '=', .. })
        ));
    }
}
