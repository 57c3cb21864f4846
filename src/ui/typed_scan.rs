//! Text typed into the scan field (by a person, or by a keyboard-wedge
//! scanner) as the data a scanner would have sent: line terminators
//! dropped, the `\x1d` escape turned into the GS separator no keyboard
//! has a key for.

use std::borrow::Cow;

use crate::scan::GS;

/// How a person types ASCII 29 (GS, standing for FNC1), which no keyboard
/// has a key for. `\x1D` is accepted as well.
pub const GS_ESCAPE: &str = r"\x1d";

/// Turns typed text into the data a scanner would have sent: a trailing CR
/// or LF (the scanner's line terminator, or a paste) is dropped and each
/// [`GS_ESCAPE`] becomes a real GS. Text without escapes is borrowed.
pub fn scanner_data(typed: &str) -> Cow<'_, str> {
    // The escape up to its last character, which may be `d` or `D`.
    const STEM: &str = r"\x1";
    let data = typed.trim_end_matches(['\r', '\n']);
    if !data.contains(STEM) {
        return Cow::Borrowed(data);
    }
    let mut out = String::with_capacity(data.len());
    let mut rest = data;
    while let Some(at) = rest.find(STEM) {
        let after = &rest[at + STEM.len()..];
        match after.strip_prefix(['d', 'D']) {
            Some(tail) => {
                out.push_str(&rest[..at]);
                out.push(char::from(GS));
                rest = tail;
            }
            None => {
                out.push_str(&rest[..at + STEM.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn trailing_line_terminators_are_dropped() {
        assert_eq!(scanner_data("LOC-A-01\r\n"), "LOC-A-01");
        assert_eq!(scanner_data("LOC-A-01\n"), "LOC-A-01");
        assert_eq!(scanner_data("\r"), "");
        assert_eq!(scanner_data(" A \t"), " A \t", "other whitespace is data");
        assert_eq!(
            scanner_data("A\nB"),
            "A\nB",
            "only a trailing terminator goes"
        );
    }

    #[test]
    fn text_without_escapes_is_borrowed() {
        assert!(matches!(scanner_data("]E04006381333931"), Cow::Borrowed(_)));
        assert!(matches!(scanner_data("LOC\r\n"), Cow::Borrowed("LOC")));
    }

    #[test]
    fn gs_escapes_become_group_separators() {
        assert_eq!(
            scanner_data(r"]d20109506000134352\x1d10ABC\x1D21X"),
            "]d20109506000134352\u{1d}10ABC\u{1d}21X"
        );
        assert_eq!(scanner_data(r"\x1d"), "\u{1d}");
        assert_eq!(scanner_data(r"\x1d\x1d"), "\u{1d}\u{1d}");
        assert_eq!(scanner_data("\\x1d\r\n"), "\u{1d}");
    }

    #[test]
    fn near_escapes_stay_text() {
        assert_eq!(scanner_data(r"\x1"), r"\x1");
        assert_eq!(scanner_data(r"\x1e"), r"\x1e");
        assert_eq!(scanner_data(r"\X1d"), r"\X1d");
        assert_eq!(scanner_data(r"\x1\x1d"), "\\x1\u{1d}");
        assert_eq!(scanner_data(r"a\x1é"), r"a\x1é");
    }

    proptest! {
        #[test]
        fn scanner_data_never_panics_and_leaves_no_escape(typed in r"(\\x1[dDe]?|[a-z0-9\r\n\\]){0,24}") {
            let data = scanner_data(&typed);
            prop_assert!(!data.contains(GS_ESCAPE) && !data.contains(r"\x1D"));
            prop_assert!(!data.ends_with(['\r', '\n']));
        }
    }
}
