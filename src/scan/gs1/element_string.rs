//! GS1 element strings: the concatenated `AI value AI value …` data of
//! GS1-128, GS1 DataMatrix, GS1 QR and DataBar, with FNC1 arriving as GS
//! (ASCII 29) after every value whose length is not predefined.

use chrono::NaiveDate;

use super::Element;
use super::ai_table::{self, AiEntry};
use super::value::validate;
use crate::scan::{GS, ScanError};

const SEPARATOR: char = GS as char;

/// Splits an element string into validated elements.
///
/// A predefined-length AI (the dictionary's `*` flag) takes exactly its
/// length; any other value runs to the next GS or the end, and one longer
/// than its AI allows means a separator is missing. Empty GS positions
/// (a GS after a predefined-length value, a trailing GS) are tolerated.
pub fn parse(data: &str, today: NaiveDate) -> Result<Vec<Element>, ScanError> {
    let mut elements = Vec::with_capacity(4);
    let mut position = 0;
    loop {
        position += data[position..].bytes().take_while(|&b| b == GS).count();
        if position == data.len() {
            break;
        }
        let (ai, entry) = read_ai(data, position)?;
        let start = position + ai.len();
        let value = read_value(ai, entry, &data[start..])?;
        validate(ai, entry, value, today)?;
        elements.push(Element {
            ai: ai.to_owned(),
            value: value.to_owned(),
            title: entry.title,
        });
        position = start + value.len();
    }
    if elements.is_empty() {
        return Err(ScanError::Empty);
    }
    Ok(elements)
}

/// The AI at byte `position`, its length known from its first two digits.
fn read_ai(data: &str, position: usize) -> Result<(&str, &'static AiEntry), ScanError> {
    let rest = &data[position..];
    ai_table::ai_length(rest.as_bytes())
        .and_then(|len| rest.get(..len))
        .and_then(|ai| Some((ai, ai_table::lookup(ai)?)))
        .ok_or_else(|| ScanError::UnknownAi {
            position,
            found: rest.chars().take(4).collect(),
        })
}

/// The value of `ai` at the start of `rest`.
fn read_value<'a>(ai: &str, entry: &AiEntry, rest: &'a str) -> Result<&'a str, ScanError> {
    let max = entry.max_len();
    if entry.predefined_length {
        // Exactly `max` characters; a GS (or the end) earlier leaves a value
        // that is too short, which validation reports, as it reports a
        // non-ASCII character (the cut is moved to the end of one).
        let mut end = rest
            .bytes()
            .take(max)
            .position(|b| b == GS)
            .unwrap_or(max.min(rest.len()));
        while !rest.is_char_boundary(end) {
            end += 1;
        }
        return Ok(&rest[..end]);
    }
    let value = rest.split(SEPARATOR).next().unwrap_or_default();
    if value.is_ascii() && value.len() > max {
        return Err(ScanError::MissingSeparator {
            ai: ai.to_owned(),
            value: value.to_owned(),
            max,
        });
    }
    Ok(value)
}

/// Writes elements as an element string (without the leading FNC1), with a
/// GS after every value except the last whose AI is not predefined-length.
pub fn encode(elements: &[Element]) -> String {
    let mut out = String::with_capacity(
        elements
            .iter()
            .map(|e| e.ai.len() + e.value.len() + 1)
            .sum(),
    );
    for (i, element) in elements.iter().enumerate() {
        out.push_str(&element.ai);
        out.push_str(&element.value);
        let predefined = ai_table::lookup(&element.ai).is_some_and(|e| e.predefined_length);
        if !predefined && i + 1 < elements.len() {
            out.push(SEPARATOR);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 1).expect("date")
    }

    fn pairs(data: &str) -> Vec<(String, String)> {
        parse(data, today())
            .expect("valid element string")
            .into_iter()
            .map(|e| (e.ai, e.value))
            .collect()
    }

    fn owned(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, v)| (a.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn general_specifications_example_without_separators() {
        assert_eq!(
            pairs("01095060001343521720123110ABC123"),
            owned(&[("01", "09506000134352"), ("17", "201231"), ("10", "ABC123")])
        );
    }

    #[test]
    fn variable_length_value_followed_by_gs() {
        assert_eq!(
            pairs("10ABC123\u{1d}0109506000134352"),
            owned(&[("10", "ABC123"), ("01", "09506000134352")])
        );
        assert_eq!(
            pairs("10ABC123\u{1d}21XYZ\u{1d}17261231"),
            owned(&[("10", "ABC123"), ("21", "XYZ"), ("17", "261231")])
        );
    }

    #[test]
    fn tolerated_separators() {
        // After a predefined-length value, at the very start and at the end.
        assert_eq!(
            pairs("\u{1d}0109506000134352\u{1d}10ABC\u{1d}"),
            owned(&[("01", "09506000134352"), ("10", "ABC")])
        );
    }

    #[test]
    fn missing_separator_after_a_variable_length_value() {
        assert_eq!(
            parse("10ABC1230109506000134352", today()),
            Err(ScanError::MissingSeparator {
                ai: "10".into(),
                value: "ABC1230109506000134352".into(),
                max: 20,
            })
        );
    }

    #[test]
    fn itip_is_fixed_length_but_needs_a_separator() {
        assert_eq!(
            pairs("8006095060001343520102\u{1d}10ABC"),
            owned(&[("8006", "095060001343520102"), ("10", "ABC")])
        );
        assert!(matches!(
            parse("800609506000134352010210ABC", today()),
            Err(ScanError::MissingSeparator { ai, max: 18, .. }) if ai == "8006"
        ));
    }

    #[test]
    fn predefined_length_value_cut_short() {
        assert_eq!(
            parse("0109506000134352172012\u{1d}10A", today()),
            Err(ScanError::TooShort {
                ai: "17".into(),
                len: 4,
                min: 6
            })
        );
        assert_eq!(
            parse("01095060", today()),
            Err(ScanError::TooShort {
                ai: "01".into(),
                len: 6,
                min: 14
            })
        );
    }

    #[test]
    fn unknown_ais_give_their_position() {
        assert_eq!(
            parse("2312345", today()),
            Err(ScanError::UnknownAi {
                position: 0,
                found: "2312".into()
            })
        );
        assert_eq!(
            parse("010950600013435205123", today()),
            Err(ScanError::UnknownAi {
                position: 16,
                found: "0512".into()
            })
        );
        assert_eq!(
            parse("01095060001343523106000525", today()),
            Err(ScanError::UnknownAi {
                position: 16,
                found: "3106".into()
            })
        );
        assert!(matches!(
            parse("1", today()),
            Err(ScanError::UnknownAi { position: 0, .. })
        ));
    }

    #[test]
    fn value_errors_name_the_ai() {
        assert!(matches!(
            parse("0109506000134353", today()),
            Err(ScanError::BadCheckDigit { ai, expected, .. }) if ai == "01" && expected == "2"
        ));
        assert!(matches!(
            parse("0109506000134352171302", today()),
            Err(ScanError::TooShort { ai, .. }) if ai == "17"
        ));
        assert!(matches!(
            parse("01095060001343521724023010A", today()),
            Err(ScanError::BadDate { ai, value, .. }) if ai == "17" && value == "240230"
        ));
        assert!(matches!(
            parse("10AB CD", today()),
            Err(ScanError::BadCharacter { ai, ch: ' ', position: 2, .. }) if ai == "10"
        ));
        assert!(matches!(
            parse("0109506000134é52", today()),
            Err(ScanError::BadCharacter { ai, ch: 'é', position: 11, .. }) if ai == "01"
        ));
    }

    #[test]
    fn empty_data() {
        assert_eq!(parse("", today()), Err(ScanError::Empty));
        assert_eq!(parse("\u{1d}\u{1d}", today()), Err(ScanError::Empty));
    }

    #[test]
    fn encoding_puts_gs_only_where_needed() {
        let elements = parse(
            "10ABC\u{1d}0109506000134352172012318006095060001343520102\u{1d}21X",
            today(),
        )
        .expect("valid");
        assert_eq!(
            encode(&elements),
            "10ABC\u{1d}0109506000134352172012318006095060001343520102\u{1d}21X"
        );
        assert_eq!(encode(&elements[1..3]), "010950600013435217201231");
        assert_eq!(encode(&[]), "");
    }
}
