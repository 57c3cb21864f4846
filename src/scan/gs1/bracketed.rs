//! The human-readable bracketed form `(01)09506000134352(10)ABC123`, as
//! printed under a barcode and typed by people. A literal `(` inside a value
//! may be written `\(`.

use chrono::NaiveDate;

use super::Element;
use super::ai_table;
use super::value::validate;
use crate::scan::ScanError;

/// True when `data` starts with a parenthesised AI of two to four digits.
pub fn looks_bracketed(data: &str) -> bool {
    let Some(rest) = data.strip_prefix('(') else {
        return false;
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    (2..=4).contains(&digits) && rest.as_bytes().get(digits) == Some(&b')')
}

/// Splits the bracketed form into validated elements.
pub fn parse(data: &str, today: NaiveDate) -> Result<Vec<Element>, ScanError> {
    let mut elements = Vec::with_capacity(4);
    let mut position = 0;
    while position < data.len() {
        let rest = &data[position..];
        let Some(after_open) = rest.strip_prefix('(') else {
            return Err(ScanError::Malformed(format!(
                "expected \"(\" at position {position}"
            )));
        };
        let Some(close) = after_open.find(')') else {
            return Err(ScanError::Malformed(format!(
                "unclosed \"(\" at position {position}"
            )));
        };
        let ai = &after_open[..close];
        let entry = ai_table::lookup(ai).ok_or_else(|| ScanError::UnknownAi {
            position: position + 1,
            found: ai.to_owned(),
        })?;
        let raw = value_text(&after_open[close + 1..]);
        let value = raw.replace("\\(", "(");
        validate(ai, entry, &value, today)?;
        elements.push(Element {
            ai: ai.to_owned(),
            value,
            title: entry.title,
        });
        position += 1 + close + 1 + raw.len();
    }
    if elements.is_empty() {
        return Err(ScanError::Empty);
    }
    Ok(elements)
}

/// The text of a value up to the next unescaped `(` (escapes still in).
fn value_text(rest: &str) -> &str {
    let bytes = rest.as_bytes();
    let end = (0..bytes.len())
        .find(|&i| bytes[i] == b'(' && (i == 0 || bytes[i - 1] != b'\\'))
        .unwrap_or(bytes.len());
    &rest[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 1).expect("date")
    }

    #[test]
    fn recognises_the_form() {
        assert!(looks_bracketed("(01)09506000134352"));
        assert!(looks_bracketed("(3103)000525"));
        assert!(!looks_bracketed("(1)x"));
        assert!(!looks_bracketed("(12345)x"));
        assert!(!looks_bracketed("(ab)x"));
        assert!(!looks_bracketed("01)x"));
    }

    #[test]
    fn parses_elements() {
        let elements = parse("(01)09506000134352(17)240229(10)LOT1", today()).expect("valid");
        let pairs: Vec<_> = elements
            .iter()
            .map(|e| (e.ai.as_str(), e.value.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [("01", "09506000134352"), ("17", "240229"), ("10", "LOT1")]
        );
        assert_eq!(elements[2].title, "BATCH/LOT");
    }

    #[test]
    fn escaped_parenthesis() {
        // CSET 82 includes "(" and ")", so a value may hold them.
        let elements = parse("(10)A\\(B)(21)1", today()).expect("valid");
        assert_eq!(elements[0].value, "A(B)");
        assert_eq!(elements[1].value, "1");
    }

    #[test]
    fn errors() {
        assert_eq!(
            parse("(01)09506000134352(23)x", today()),
            Err(ScanError::UnknownAi {
                position: 19,
                found: "23".into()
            })
        );
        assert!(matches!(
            parse("(10", today()),
            Err(ScanError::Malformed(_))
        ));
        assert!(matches!(
            parse("(10)A x(", today()),
            Err(ScanError::BadCharacter { ch: ' ', .. })
        ));
        assert!(matches!(
            parse("(01)", today()),
            Err(ScanError::TooShort { .. })
        ));
        assert!(matches!(
            parse("(10)123456789012345678901", today()),
            Err(ScanError::TooLong { max: 20, .. })
        ));
    }
}
