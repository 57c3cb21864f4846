//! SSCCs for cartons a station creates itself when it has no pre-printed
//! labels: extension digit + GS1 company prefix + station number + the
//! terminal's carton serial, padded to 17 digits, + the mod-10 check digit.
//!
//! Several terminals of a site share one company prefix, so each gets its
//! own station number: their serial ranges can then never overlap, without
//! any terminal having to ask the server first.

use std::fmt;

use crate::scan::check_digit::mod10;

/// Digits of an SSCC before its check digit.
const BODY_DIGITS: usize = 17;

/// How this station numbers the cartons it creates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CartonNumbering {
    extension: u8,
    company_prefix: String,
    station: String,
}

/// Why a carton numbering setting is unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberingError {
    /// The extension digit is not 0–9.
    #[error("the SSCC extension digit must be 0-9, not {0}")]
    Extension(u8),
    /// The company prefix is not 4–12 digits.
    #[error("the GS1 company prefix must be 4 to 12 digits, not {0:?}")]
    CompanyPrefix(String),
    /// The station number has a non-digit.
    #[error("the station number must be digits only, not {0:?}")]
    Station(String),
    /// Prefix and station leave no digit for the serial.
    #[error("company prefix and station number leave no digit for the carton serial")]
    NoRoom,
    /// Every serial of the range has been used.
    #[error(
        "carton serial {serial} does not fit in {digits} digits: this station's SSCC range is used up; give it a new station number"
    )]
    Exhausted {
        /// The serial that did not fit.
        serial: u64,
        /// Digits left for the serial.
        digits: usize,
    },
}

impl CartonNumbering {
    /// Checks and builds the numbering.
    pub fn new(
        extension: u8,
        company_prefix: &str,
        station: &str,
    ) -> Result<CartonNumbering, NumberingError> {
        if extension > 9 {
            return Err(NumberingError::Extension(extension));
        }
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if !(4..=12).contains(&company_prefix.len()) || !digits(company_prefix) {
            return Err(NumberingError::CompanyPrefix(company_prefix.to_owned()));
        }
        if !digits(station) {
            return Err(NumberingError::Station(station.to_owned()));
        }
        if 1 + company_prefix.len() + station.len() >= BODY_DIGITS {
            return Err(NumberingError::NoRoom);
        }
        Ok(CartonNumbering {
            extension,
            company_prefix: company_prefix.to_owned(),
            station: station.to_owned(),
        })
    }

    /// Digits left for the serial.
    fn serial_digits(&self) -> usize {
        BODY_DIGITS - 1 - self.company_prefix.len() - self.station.len()
    }

    /// The SSCC (18 digits, valid check digit) of carton `serial`.
    pub fn sscc(&self, serial: u64) -> Result<String, NumberingError> {
        let width = self.serial_digits();
        let serial_text = format!("{serial:0width$}");
        if serial_text.len() > width {
            return Err(NumberingError::Exhausted {
                serial,
                digits: width,
            });
        }
        let mut sscc = format!(
            "{}{}{}{serial_text}",
            self.extension, self.company_prefix, self.station
        );
        let check = mod10(sscc.as_bytes()).unwrap_or(0);
        sscc.push(char::from(b'0' + check));
        Ok(sscc)
    }
}

impl fmt::Display for CartonNumbering {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "extension {}, company prefix {}, station {:?}",
            self.extension, self.company_prefix, self.station
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::check_digit::mod10_valid;

    #[test]
    fn builds_the_gs1_example_sscc() {
        // GS1 General Specifications' example SSCC 1 0614141 123456789 7.
        let numbering = CartonNumbering::new(1, "0614141", "").unwrap();
        assert_eq!(numbering.sscc(123_456_789).unwrap(), "106141411234567897");
    }

    #[test]
    fn station_digits_keep_terminals_apart_and_every_sscc_checks() {
        let one = CartonNumbering::new(0, "9506000", "01").unwrap();
        let two = CartonNumbering::new(0, "9506000", "02").unwrap();
        for serial in [1, 2, 99, 1_234_567, 9_999_999] {
            let a = one.sscc(serial).unwrap();
            let b = two.sscc(serial).unwrap();
            assert_eq!(a.len(), 18);
            assert!(mod10_valid(a.as_bytes()) && mod10_valid(b.as_bytes()));
            assert_ne!(a, b);
        }
        assert_eq!(one.sscc(1).unwrap()[..17], *"09506000010000001");
    }

    #[test]
    fn an_exhausted_range_is_an_error_not_a_wrapped_number() {
        let numbering = CartonNumbering::new(0, "950600012345", "123").unwrap();
        assert_eq!(numbering.serial_digits(), 1);
        assert!(numbering.sscc(9).is_ok());
        assert_eq!(
            numbering.sscc(10),
            Err(NumberingError::Exhausted {
                serial: 10,
                digits: 1
            })
        );
    }

    #[test]
    fn bad_settings_are_refused() {
        assert_eq!(
            CartonNumbering::new(10, "0614141", ""),
            Err(NumberingError::Extension(10))
        );
        assert!(matches!(
            CartonNumbering::new(0, "061", ""),
            Err(NumberingError::CompanyPrefix(_))
        ));
        assert!(matches!(
            CartonNumbering::new(0, "06141A1", ""),
            Err(NumberingError::CompanyPrefix(_))
        ));
        assert!(matches!(
            CartonNumbering::new(0, "0614141", "x"),
            Err(NumberingError::Station(_))
        ));
        assert_eq!(
            CartonNumbering::new(0, "950600012345", "1234"),
            Err(NumberingError::NoRoom)
        );
    }
}
