//! GS1 dates and times: the century rule for two-digit years, day `00` as
//! the last day of the month, and the ranges of hours, minutes and seconds.

use chrono::{Datelike, NaiveDate};

/// Why a date or time cannot exist, phrased for an error message.
pub type DateError = &'static str;

/// The full year of the two-digit year `yy` (GS1 General Specifications
/// 7.12): with D = `yy` minus the current year's last two digits, D in 51..=99
/// means the previous century, D in -99..=-50 the next century, anything else
/// the current century.
pub fn full_year(yy: u32, today: NaiveDate) -> i32 {
    let this_year = today.year();
    let yy = i32::try_from(yy % 100).unwrap_or_default();
    let century = this_year - this_year.rem_euclid(100);
    let difference = yy - this_year.rem_euclid(100);
    if difference >= 51 {
        century - 100 + yy
    } else if difference <= -50 {
        century + 100 + yy
    } else {
        century + yy
    }
}

/// Reads a `YYMMDD` date. With `day_zero_allowed` (the `yymmd0` format of
/// AIs 11–17) day `00` means the last day of the month.
pub fn yymmdd(
    value: &str,
    today: NaiveDate,
    day_zero_allowed: bool,
) -> Result<NaiveDate, DateError> {
    let [yy, mm, dd] = two_digit_fields(value).ok_or("date (YYMMDD)")?;
    calendar_date(full_year(yy, today), mm, dd, day_zero_allowed)
}

/// Reads a `YYYYMMDD` date; day `00` is not allowed.
pub fn yyyymmdd(value: &str) -> Result<NaiveDate, DateError> {
    let fields = value
        .get(..4)
        .and_then(number)
        .zip(value.get(4..).and_then(two_digit_fields));
    match fields {
        Some((year, [mm, dd])) => {
            calendar_date(i32::try_from(year).unwrap_or_default(), mm, dd, false)
        }
        None => Err("date (YYYYMMDD)"),
    }
}

/// Checks an `HHMI` time of day.
pub fn hhmi(value: &str) -> Result<(), DateError> {
    let [hh, mi] = two_digit_fields(value).ok_or("time (HHMI)")?;
    check_hour(hh)?;
    check_minute(mi)
}

/// Checks an hour `00`–`23`.
pub fn hour(value: &str) -> Result<(), DateError> {
    let [hh] = two_digit_fields(value).ok_or("hour (HH)")?;
    check_hour(hh)
}

/// Checks a minute `00`–`59`.
pub fn minute(value: &str) -> Result<(), DateError> {
    let [mi] = two_digit_fields(value).ok_or("minute (MI)")?;
    check_minute(mi)
}

/// Checks a second `00`–`59`.
pub fn second(value: &str) -> Result<(), DateError> {
    match two_digit_fields(value) {
        Some([ss]) if ss <= 59 => Ok(()),
        Some(_) => Err("time: second must be 00-59"),
        None => Err("second (SS)"),
    }
}

fn check_hour(hh: u32) -> Result<(), DateError> {
    if hh <= 23 {
        Ok(())
    } else {
        Err("time: hour must be 00-23")
    }
}

fn check_minute(mi: u32) -> Result<(), DateError> {
    if mi <= 59 {
        Ok(())
    } else {
        Err("time: minute must be 00-59")
    }
}

fn calendar_date(
    year: i32,
    month: u32,
    day: u32,
    day_zero_allowed: bool,
) -> Result<NaiveDate, DateError> {
    if !(1..=12).contains(&month) {
        return Err("date: month must be 01-12");
    }
    if day == 0 {
        return if day_zero_allowed {
            last_day_of_month(year, month).ok_or("date: year out of range")
        } else {
            Err("date: day 00 is not allowed here")
        };
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or("date: that day does not exist in that month")
}

fn last_day_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let next_month = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    next_month?.pred_opt()
}

/// Splits exactly `2 * K` ASCII digits into `K` two-digit numbers.
fn two_digit_fields<const K: usize>(value: &str) -> Option<[u32; K]> {
    let bytes = value.as_bytes();
    if bytes.len() != 2 * K || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut fields = [0; K];
    for (field, pair) in fields.iter_mut().zip(bytes.chunks_exact(2)) {
        *field = u32::from(pair[0] - b'0') * 10 + u32::from(pair[1] - b'0');
    }
    Some(fields)
}

fn number(digits: &str) -> Option<u32> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    #[test]
    fn century_rule_boundaries_with_today_in_2026() {
        let today = day(2026, 6, 15);
        assert_eq!(full_year(26, today), 2026);
        assert_eq!(full_year(76, today), 2076); // D = 50: current century
        assert_eq!(full_year(77, today), 1977); // D = 51: previous century
        assert_eq!(full_year(99, today), 1999);
        assert_eq!(full_year(0, today), 2000);
        assert_eq!(full_year(75, today), 2075);
    }

    #[test]
    fn century_rule_next_century() {
        let today = day(2080, 1, 1);
        assert_eq!(full_year(30, today), 2130); // D = -50: next century
        assert_eq!(full_year(31, today), 2031); // D = -49: current century
        assert_eq!(full_year(0, today), 2100); // D = -80
        let today = day(2099, 12, 31);
        assert_eq!(full_year(49, today), 2149); // D = -50
        assert_eq!(full_year(50, today), 2050); // D = -49
        let today = day(2000, 1, 1);
        assert_eq!(full_year(50, today), 2050); // D = 50
        assert_eq!(full_year(51, today), 1951); // D = 51
    }

    #[test]
    fn day_zero_is_the_last_day_of_the_month() {
        let today = day(2026, 1, 1);
        assert_eq!(yymmdd("240200", today, true), Ok(day(2024, 2, 29)));
        assert_eq!(yymmdd("250200", today, true), Ok(day(2025, 2, 28)));
        assert_eq!(yymmdd("000200", today, true), Ok(day(2000, 2, 29)));
        assert_eq!(yymmdd("001200", today, true), Ok(day(2000, 12, 31)));
        assert_eq!(yymmdd("260400", today, true), Ok(day(2026, 4, 30)));
        // 2100 is not a leap year: reachable when today is late in the century.
        assert_eq!(
            yymmdd("000200", day(2090, 1, 1), true),
            Ok(day(2100, 2, 28))
        );
    }

    #[test]
    fn impossible_dates() {
        let today = day(2026, 1, 1);
        assert_eq!(yymmdd("201231", today, true), Ok(day(2020, 12, 31)));
        assert!(yymmdd("241301", today, true).is_err());
        assert!(yymmdd("240001", today, true).is_err());
        assert!(yymmdd("240431", today, true).is_err());
        assert!(yymmdd("240230", today, true).is_err());
        assert!(yymmdd("250229", today, true).is_err());
        assert_eq!(yymmdd("240229", today, true), Ok(day(2024, 2, 29)));
        assert_eq!(
            yymmdd("240200", today, false),
            Err("date: day 00 is not allowed here")
        );
        assert!(yymmdd("2402", today, true).is_err());
        assert!(yymmdd("24022x", today, true).is_err());
    }

    #[test]
    fn four_digit_years() {
        assert_eq!(yyyymmdd("19991231"), Ok(day(1999, 12, 31)));
        assert!(yyyymmdd("19990229").is_err());
        assert!(yyyymmdd("20000100").is_err());
        assert!(yyyymmdd("2000011").is_err());
    }

    #[test]
    fn times() {
        assert!(hhmi("0000").is_ok() && hhmi("2359").is_ok());
        assert!(hhmi("2400").is_err() && hhmi("1260").is_err());
        assert!(hour("23").is_ok() && hour("24").is_err());
        assert!(minute("59").is_ok() && minute("60").is_err());
        assert!(second("59").is_ok() && second("60").is_err() && second("5").is_err());
    }
}
