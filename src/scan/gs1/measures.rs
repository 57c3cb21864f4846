//! Trade and logistic measures (AIs 310n–369n): what is measured, in which
//! unit, and the value with its implied decimal point applied.

use crate::scan::Measure;

/// The measure carried by `ai` and its six-digit `value`, or `None` when the
/// AI is not a measure AI (or the value is not six digits).
///
/// The AI's last digit is the number of implied decimal places, so AI
/// (3103) with `000525` is 0.525 kg.
pub fn measure(ai: &str, value: &str) -> Option<Measure> {
    let (family, decimals) = match ai.as_bytes() {
        [b'3', b, c, d @ b'0'..=b'5'] if b.is_ascii_digit() && c.is_ascii_digit() => (
            u16::from(b - b'0') * 10 + u16::from(c - b'0'),
            usize::from(d - b'0'),
        ),
        _ => return None,
    };
    let (quantity, unit, logistic) = kind(family)?;
    if value.len() != 6 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(Measure {
        ai: ai.to_owned(),
        quantity,
        value: with_decimal_point(value, decimals),
        unit,
        logistic,
    })
}

/// Quantity, unit and logistic flag of the AI family `3xy` (given as `xy`).
/// Logistic measures are those the dictionary titles mark `log`, plus the
/// gross weights (330n, 340n), which only a logistic unit has.
fn kind(family: u16) -> Option<(&'static str, &'static str, bool)> {
    Some(match family {
        10 => ("net_weight", "kg", false),
        11 => ("length", "m", false),
        12 => ("width", "m", false),
        13 => ("height", "m", false),
        14 => ("area", "m2", false),
        15 => ("net_volume", "l", false),
        16 => ("net_volume", "m3", false),
        20 => ("net_weight", "lb", false),
        21 => ("length", "in", false),
        22 => ("length", "ft", false),
        23 => ("length", "yd", false),
        24 => ("width", "in", false),
        25 => ("width", "ft", false),
        26 => ("width", "yd", false),
        27 => ("height", "in", false),
        28 => ("height", "ft", false),
        29 => ("height", "yd", false),
        30 => ("gross_weight", "kg", true),
        31 => ("length", "m", true),
        32 => ("width", "m", true),
        33 => ("height", "m", true),
        34 => ("area", "m2", true),
        35 => ("volume", "l", true),
        36 => ("volume", "m3", true),
        37 => ("kg_per_m2", "kg/m2", false),
        40 => ("gross_weight", "lb", true),
        41 => ("length", "in", true),
        42 => ("length", "ft", true),
        43 => ("length", "yd", true),
        44 => ("width", "in", true),
        45 => ("width", "ft", true),
        46 => ("width", "yd", true),
        47 => ("height", "in", true),
        48 => ("height", "ft", true),
        49 => ("height", "yd", true),
        50 => ("area", "in2", false),
        51 => ("area", "ft2", false),
        52 => ("area", "yd2", false),
        53 => ("area", "in2", true),
        54 => ("area", "ft2", true),
        55 => ("area", "yd2", true),
        56 => ("net_weight", "troy_oz", false),
        57 => ("net_volume", "oz", false),
        60 => ("net_volume", "qt", false),
        61 => ("net_volume", "gal", false),
        62 => ("volume", "qt", true),
        63 => ("volume", "gal", true),
        64 => ("net_volume", "in3", false),
        65 => ("net_volume", "ft3", false),
        66 => ("net_volume", "yd3", false),
        67 => ("volume", "in3", true),
        68 => ("volume", "ft3", true),
        69 => ("volume", "yd3", true),
        _ => return None,
    })
}

/// `digits` with a decimal point `decimals` places from the right and the
/// integer part's leading zeros removed: `000525`, 3 → `0.525`.
fn with_decimal_point(digits: &str, decimals: usize) -> String {
    let (integer, fraction) = digits.split_at(digits.len() - decimals);
    let integer = integer.trim_start_matches('0');
    let integer = if integer.is_empty() { "0" } else { integer };
    if fraction.is_empty() {
        integer.to_owned()
    } else {
        format!("{integer}.{fraction}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn implied_decimal_places() {
        let m = measure("3103", "000525").expect("measure");
        assert_eq!(
            (m.quantity, m.value.as_str(), m.unit, m.logistic),
            ("net_weight", "0.525", "kg", false)
        );
        assert_eq!(
            measure("3100", "000525").map(|m| m.value),
            Some("525".into())
        );
        assert_eq!(
            measure("3105", "123456").map(|m| m.value),
            Some("1.23456".into())
        );
        assert_eq!(
            measure("3102", "001500").map(|m| m.value),
            Some("15.00".into())
        );
        assert_eq!(measure("3100", "000000").map(|m| m.value), Some("0".into()));
    }

    #[test]
    fn logistic_measures_follow_the_dictionary_titles() {
        assert!(
            measure("3302", "001000").is_some_and(|m| m.logistic && m.quantity == "gross_weight")
        );
        assert!(measure("3361", "000010").is_some_and(|m| m.logistic && m.unit == "m3"));
        assert!(measure("3500", "000010").is_some_and(|m| !m.logistic && m.unit == "in2"));
        assert!(measure("3690", "000010").is_some_and(|m| m.logistic && m.unit == "yd3"));
        assert!(measure("3560", "000010").is_some_and(|m| m.unit == "troy_oz"));
    }

    #[test]
    fn non_measure_ais_and_bad_values() {
        assert!(measure("3106", "000525").is_none());
        assert!(measure("3900", "000525").is_none());
        assert!(measure("3180", "000525").is_none());
        assert!(measure("01", "000525").is_none());
        assert!(measure("3103", "0525").is_none());
        assert!(measure("3103", "00052x").is_none());
    }
}
