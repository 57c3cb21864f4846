//! The characters allowed in alphanumeric EPC fields — TDS Table A, which is
//! the GS1 AI encodable character set 82 — and how EPC URIs escape the seven
//! of them that mean something in a URI.

use crate::scan::ScanError;

/// True when `c` may appear in an alphanumeric serial, extension or asset
/// reference.
pub(crate) fn is_allowed(c: char) -> bool {
    matches!(c, '!' | '"' | '%'..='?' | 'A'..='Z' | '_' | 'a'..='z')
}

/// The URI escape triplet for `c`, for the characters an EPC URI escapes.
fn escape(c: char) -> Option<&'static str> {
    Some(match c {
        '"' => "%22",
        '%' => "%25",
        '&' => "%26",
        '/' => "%2F",
        '<' => "%3C",
        '>' => "%3E",
        '?' => "%3F",
        _ => return None,
    })
}

/// Appends `value` to `out` as an EPC URI writes it.
pub(crate) fn escape_into(value: &str, out: &mut String) {
    for c in value.chars() {
        match escape(c) {
            Some(triplet) => out.push_str(triplet),
            None => out.push(c),
        }
    }
}

/// The characters an EPC URI component stands for, undoing the escapes.
///
/// Only the seven escape triplets are accepted (hex digits in either case),
/// and those seven characters must not appear unescaped. Whether the result
/// is within Table A is checked with the rest of the EPC.
pub(crate) fn unescape(component: &str, field: &str) -> Result<String, ScanError> {
    let mut out = String::with_capacity(component.len());
    let mut rest = component;
    while let Some(c) = rest.chars().next() {
        if c == '%' {
            let triplet = rest.get(..3).unwrap_or(rest);
            let decoded = match triplet.as_bytes() {
                [b'%', high, low] if high.is_ascii_hexdigit() && low.is_ascii_hexdigit() => {
                    u8::from_str_radix(&triplet[1..], 16)
                        .ok()
                        .map(char::from)
                        .filter(|&d| escape(d).is_some())
                }
                _ => None,
            };
            let Some(decoded) = decoded else {
                return Err(ScanError::Epc(format!(
                    "{field}: {triplet:?} is not one of the EPC URI escapes \
                     %22 %25 %26 %2F %3C %3E %3F"
                )));
            };
            out.push(decoded);
            rest = &rest[3..];
        } else {
            if let Some(triplet) = escape(c) {
                return Err(ScanError::Epc(format!(
                    "{field}: character {c:?} must be written {triplet} in an EPC URI"
                )));
            }
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::check_digit::CSET82;

    #[test]
    fn allowed_characters_are_exactly_cset82() {
        for c in (0u8..=255).map(char::from) {
            let in_cset82 = c.is_ascii() && CSET82.contains(&(c as u8));
            assert_eq!(is_allowed(c), in_cset82, "{c:?}");
        }
        assert!(!is_allowed('é'));
    }

    #[test]
    fn the_seven_uri_characters_are_escaped() {
        let mut out = String::new();
        escape_into("32a/b\"%&<>?!'()*+,-.:;=_", &mut out);
        assert_eq!(out, "32a%2Fb%22%25%26%3C%3E%3F!'()*+,-.:;=_");
    }

    #[test]
    fn escapes_are_undone_in_either_case() {
        assert_eq!(unescape("32a%2Fb", "serial").unwrap(), "32a/b");
        assert_eq!(
            unescape("%2f%3c%3E%22%25%26%3F", "serial").unwrap(),
            "/<>\"%&?"
        );
        assert_eq!(unescape("", "serial").unwrap(), "");
    }

    #[test]
    fn malformed_escapes_and_raw_uri_characters_are_rejected() {
        let message = |text: &str| match unescape(text, "serial") {
            Err(ScanError::Epc(m)) => m,
            other => panic!("expected an error for {text:?}, got {other:?}"),
        };
        assert!(message("a%41").contains("\"%41\" is not one of the EPC URI escapes"));
        assert!(message("a%2").contains("\"%2\" is not one"));
        assert!(message("%").contains("\"%\" is not one"));
        assert!(message("%zz").contains("\"%zz\""));
        assert!(message("%2é").contains("is not one"));
        assert_eq!(
            message("a/b"),
            "serial: character '/' must be written %2F in an EPC URI"
        );
        assert!(message("a?").contains("%3F"));
    }

    #[test]
    fn characters_outside_table_a_pass_through_for_later_validation() {
        assert_eq!(unescape("a#é", "serial").unwrap(), "a#é");
    }
}
