//! Reading one CSV row's fields by column name, each checked by its rule:
//! a bad value becomes a [`Problem`] naming line and column, and the row is
//! dropped, while the rest of the file is still checked.

use std::collections::HashMap;

use super::Problem;
use crate::journal::LocationKind;
use crate::scan::check_digit::mod10_valid;
use crate::traceability::is_unit_code;

/// One record and where its problems go.
pub(super) struct Fields<'r> {
    pub file: &'r str,
    pub line: u64,
    pub columns: &'r HashMap<String, usize>,
    pub record: &'r csv::StringRecord,
    pub problems: &'r mut Vec<Problem>,
}

impl Fields<'_> {
    /// Records a problem with `column` on this line.
    pub fn problem(&mut self, column: &str, message: String) {
        self.problems.push(Problem {
            file: self.file.to_owned(),
            line: self.line,
            column: Some(column.to_owned()),
            message,
        });
    }

    /// The trimmed text of `column`; empty when absent or blank.
    fn text(&self, column: &str) -> &str {
        self.columns
            .get(column)
            .and_then(|&i| self.record.get(i))
            .unwrap_or("")
            .trim()
    }

    /// A value that must be present.
    pub fn required(&mut self, column: &str) -> Option<String> {
        let value = self.text(column).to_owned();
        if value.is_empty() {
            self.problem(column, "is empty; a value is required".into());
            return None;
        }
        Some(value)
    }

    /// A value that may be blank (`Ok(None)`).
    pub fn optional(&self, column: &str) -> Option<String> {
        Some(self.text(column))
            .filter(|v| !v.is_empty())
            .map(ToOwned::to_owned)
    }

    /// Applies `check` to an optional value: blank is `Ok(None)`, a value
    /// that fails is a problem (`Err`).
    fn checked<T>(
        &mut self,
        column: &str,
        check: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<Option<T>, ()> {
        let Some(value) = self.optional(column) else {
            return Ok(None);
        };
        check(&value)
            .map(Some)
            .map_err(|message| self.problem(column, message))
    }

    /// A required value that must pass `check`.
    fn required_checked<T>(
        &mut self,
        column: &str,
        check: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        match self.checked(column, check) {
            Ok(Some(value)) => Some(value),
            Ok(None) => {
                self.problem(column, "is empty; a value is required".into());
                None
            }
            Err(()) => None,
        }
    }

    /// A GTIN-8, -12, -13 or -14 with a correct check digit, as GTIN-14.
    pub fn gtin(&mut self, column: &str) -> Option<String> {
        self.required_checked(column, |value| {
            let digits = value.bytes().all(|b| b.is_ascii_digit());
            if !digits || ![8, 12, 13, 14].contains(&value.len()) {
                return Err(format!("{value:?} is not a GTIN (8, 12, 13 or 14 digits)"));
            }
            if !mod10_valid(value.as_bytes()) {
                return Err(format!("GTIN {value} has a wrong check digit"));
            }
            Ok(format!("{value:0>14}"))
        })
    }

    /// An optional 13-digit GLN with a correct check digit.
    pub fn gln(&mut self, column: &str) -> Result<Option<String>, ()> {
        self.checked(column, |value| {
            if value.len() != 13 || !value.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("{value:?} is not a GLN (13 digits)"));
            }
            if !mod10_valid(value.as_bytes()) {
                return Err(format!("GLN {value} has a wrong check digit"));
            }
            Ok(value.to_owned())
        })
    }

    /// An optional SGLN pure-identity URI.
    pub fn sgln(&mut self, column: &str) -> Result<Option<String>, ()> {
        self.checked(column, |value| {
            let fields = value
                .strip_prefix("urn:epc:id:sgln:")
                .map(|f| f.split('.').count());
            if fields != Some(3) {
                return Err(format!(
                    "{value:?} is not an SGLN URI like urn:epc:id:sgln:0614141.12345.0"
                ));
            }
            Ok(value.to_owned())
        })
    }

    /// `true`/`false` (also `yes`/`no`, `1`/`0`, any case).
    pub fn boolean(&mut self, column: &str) -> Option<bool> {
        self.required_checked(column, |value| match value.to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" => Ok(true),
            "false" | "no" | "0" => Ok(false),
            _ => Err(format!("{value:?} is not true or false")),
        })
    }

    /// An optional whole number of days.
    pub fn days(&mut self, column: &str) -> Result<Option<u32>, ()> {
        self.checked(column, |value| {
            value
                .parse()
                .map_err(|_| format!("{value:?} is not a whole number of days"))
        })
    }

    /// A quantity: a whole number above zero.
    pub fn quantity(&mut self, column: &str) -> Option<i64> {
        self.required_checked(column, |value| match value.parse::<i64>() {
            Ok(q) if q > 0 => Ok(q),
            _ => Err(format!("{value:?} is not a whole number above zero")),
        })
    }

    /// An order line number: a whole number above zero.
    pub fn line_no(&mut self, column: &str) -> Option<u32> {
        self.required_checked(column, |value| match value.parse::<u32>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(format!("{value:?} is not a line number above zero")),
        })
    }

    /// A UN/ECE Rec. 20 unit code.
    pub fn unit(&mut self, column: &str) -> Option<String> {
        self.required_checked(column, |value| {
            if is_unit_code(value) {
                Ok(value.to_owned())
            } else {
                Err(format!(
                    "{value:?} is not a UN/ECE Rec. 20 unit code such as EA or KGM"
                ))
            }
        })
    }

    /// A location kind by its stored name.
    pub fn location_kind(&mut self, column: &str) -> Option<LocationKind> {
        self.required_checked(column, |value| {
            LocationKind::from_name(value).ok_or_else(|| {
                format!("{value:?} is not dock, shelf, staging, quarantine or shipping")
            })
        })
    }
}
