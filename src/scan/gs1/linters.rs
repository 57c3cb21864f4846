//! The content checks ("linters") the GS1 Barcode Syntax Dictionary names
//! for AI value components: check digits, dates, country and currency codes,
//! flags, coordinates, coupon structures and the rest.

use chrono::NaiveDate;

use super::date::{self, DateError};
use super::iso_codes;
use crate::scan::check_digit;

/// A named content check from the dictionary (`N13,csum,gcppos1` names
/// `csum` and `gcppos1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Linter {
    /// `csum`: GS1 mod-10 check digit in the last position.
    Csum,
    /// `csumalpha`: alphanumeric check-character pair in the last two positions.
    CsumAlpha,
    /// `gcppos1`: starts with a GS1 Company Prefix.
    GcpPos1,
    /// `gcppos2`: has a GS1 Company Prefix from its second character.
    GcpPos2,
    /// `yymmd0`: date, day `00` meaning the end of the month.
    Yymmd0,
    /// `yymmdd`: date.
    Yymmdd,
    /// `yyyymmdd`: date with a four-digit year.
    Yyyymmdd,
    /// `hhmi`: time of day.
    Hhmi,
    /// `hh`: hour.
    Hh,
    /// `mi`: minute.
    Mi,
    /// `ss`: second.
    Ss,
    /// `iso3166`: ISO 3166-1 numeric country code.
    Iso3166,
    /// `iso3166999`: ISO 3166-1 numeric country code, or `999` (unknown).
    Iso3166Or999,
    /// `iso3166alpha2`: ISO 3166-1 alpha-2 country code.
    Iso3166Alpha2,
    /// `iso4217`: ISO 4217 numeric currency code.
    Iso4217,
    /// `yesno`: `0` or `1`.
    YesNo,
    /// `winding`: `0`, `1` or `9`.
    Winding,
    /// `zero`: exactly `0`.
    Zero,
    /// `nonzero`: not all zeros.
    NonZero,
    /// `pieceoftotal`: `PPTT`, piece number PP of TT, 1 <= PP <= TT.
    PieceOfTotal,
    /// `pcenc`: every `%` starts a two-hex-digit escape.
    PercentEncoded,
    /// `latitude`: ten digits, degrees north of -90 in 1e-7 units, at most 180°.
    Latitude,
    /// `longitude`: ten digits, degrees east of -180 in 1e-7 units, at most 360°.
    Longitude,
    /// `hyphen`: only `-`.
    Hyphen,
    /// `iban`: an International Bank Account Number.
    Iban,
    /// `mediatype`: an AIDC media type `01`–`10` or `80`–`99`.
    MediaType,
    /// `importeridx`: one importer index character.
    ImporterIndex,
    /// `nozeroprefix`: no leading zero unless the value is `0`.
    NoZeroPrefix,
    /// `hasnondigit`: at least one character that is not a digit.
    HasNonDigit,
    /// `couponcode`: North American coupon code structure (AI 8110).
    CouponCode,
    /// `couponposoffer`: positive offer file coupon structure (AI 8112).
    CouponPosOffer,
    /// `posinseqslash`: `POS/END` position in a sequence.
    PosInSeqSlash,
    /// `iso5218`: sex code `0`, `1`, `2` or `9`.
    Iso5218,
    /// `packagetype`: the form of a package type code (one to three upper
    /// case letters or digits; the code list itself is not checked).
    PackageType,
}

/// Why a component failed its check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LintFailure {
    /// A wrong check digit or pair: what it should be.
    CheckDigit(String),
    /// A date or time that cannot exist.
    Date(DateError),
    /// Any other broken content rule.
    Invalid(&'static str),
}

/// Applies `linter` to one component (already known to have the right
/// length and character set). `today` anchors two-digit years.
pub fn lint(linter: Linter, value: &str, today: NaiveDate) -> Result<(), LintFailure> {
    use LintFailure::{Date, Invalid};
    let bytes = value.as_bytes();
    let rule = |ok: bool, reason: &'static str| if ok { Ok(()) } else { Err(Invalid(reason)) };
    match linter {
        Linter::Csum => mod10(bytes),
        Linter::CsumAlpha => check_pair(bytes),
        Linter::GcpPos1 => company_prefix(bytes).map_err(Invalid),
        Linter::GcpPos2 => company_prefix(bytes.get(1..).unwrap_or_default()).map_err(Invalid),
        Linter::Yymmd0 => date::yymmdd(value, today, true).map(drop).map_err(Date),
        Linter::Yymmdd => date::yymmdd(value, today, false).map(drop).map_err(Date),
        Linter::Yyyymmdd => date::yyyymmdd(value).map(drop).map_err(Date),
        Linter::Hhmi => date::hhmi(value).map_err(Date),
        Linter::Hh => date::hour(value).map_err(Date),
        Linter::Mi => date::minute(value).map_err(Date),
        Linter::Ss => date::second(value).map_err(Date),
        Linter::Iso3166 => rule(
            three_digits(bytes).is_some_and(iso_codes::is_country_numeric),
            "not an ISO 3166 numeric country code",
        ),
        Linter::Iso3166Or999 => rule(
            three_digits(bytes).is_some_and(|c| c == 999 || iso_codes::is_country_numeric(c)),
            "not an ISO 3166 numeric country code nor 999",
        ),
        Linter::Iso3166Alpha2 => rule(
            iso_codes::is_country_alpha2(bytes),
            "not an ISO 3166 alpha-2 country code",
        ),
        Linter::Iso4217 => rule(
            three_digits(bytes).is_some_and(iso_codes::is_currency_numeric),
            "not an ISO 4217 numeric currency code",
        ),
        Linter::YesNo => rule(matches!(bytes, b"0" | b"1"), "must be 0 (no) or 1 (yes)"),
        Linter::Winding => rule(
            matches!(bytes, b"0" | b"1" | b"9"),
            "winding direction must be 0, 1 or 9",
        ),
        Linter::Zero => rule(bytes == b"0", "must be 0"),
        Linter::NonZero => rule(bytes.iter().any(|&b| b != b'0'), "must not be zero"),
        Linter::PieceOfTotal => piece_of_total(bytes).map_err(Invalid),
        Linter::PercentEncoded => rule(
            percent_encoding_valid(bytes),
            "a % is not followed by two hex digits",
        ),
        Linter::Latitude => rule(
            bytes.len() == 10 && number(bytes).is_some_and(|n| n <= 1_800_000_000),
            "latitude out of range",
        ),
        Linter::Longitude => rule(
            bytes.len() == 10 && number(bytes).is_some_and(|n| n <= 3_600_000_000),
            "longitude out of range",
        ),
        Linter::Hyphen => rule(bytes.iter().all(|&b| b == b'-'), "must be a hyphen (-)"),
        Linter::Iban => iban(bytes).map_err(Invalid),
        Linter::MediaType => rule(
            bytes.len() == 2 && number(bytes).is_some_and(|n| matches!(n, 1..=10 | 80..=99)),
            "not an AIDC media type (01-10, 80-99)",
        ),
        Linter::ImporterIndex => rule(
            matches!(
                bytes,
                [b'-' | b'0'..=b'9' | b'A'..=b'Z' | b'_' | b'a'..=b'z']
            ),
            "not an importer index character (-, 0-9, A-Z, _, a-z)",
        ),
        Linter::NoZeroPrefix => rule(
            !(bytes.len() > 1 && bytes[0] == b'0'),
            "must not start with 0",
        ),
        Linter::HasNonDigit => rule(
            !bytes.iter().all(u8::is_ascii_digit),
            "must contain a non-digit",
        ),
        Linter::CouponCode => coupon_code(bytes, today).map_err(Invalid),
        Linter::CouponPosOffer => coupon_positive_offer(bytes).map_err(Invalid),
        Linter::PosInSeqSlash => position_in_sequence(bytes).map_err(Invalid),
        Linter::Iso5218 => rule(
            matches!(bytes, b"0" | b"1" | b"2" | b"9"),
            "sex code must be 0, 1, 2 or 9",
        ),
        Linter::PackageType => rule(
            (1..=3).contains(&bytes.len())
                && bytes
                    .iter()
                    .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()),
            "not a package type code (1-3 upper case letters or digits)",
        ),
    }
}

fn mod10(key: &[u8]) -> Result<(), LintFailure> {
    let Some((&last, body)) = key.split_last() else {
        return Err(LintFailure::Invalid("too short to carry a check digit"));
    };
    match check_digit::mod10(body) {
        Some(expected) if last == b'0' + expected => Ok(()),
        Some(expected) => Err(LintFailure::CheckDigit(expected.to_string())),
        None => Err(LintFailure::Invalid("check digit over non-digits")),
    }
}

fn check_pair(value: &[u8]) -> Result<(), LintFailure> {
    if value.len() < 2 {
        return Err(LintFailure::Invalid(
            "too short to carry a check character pair",
        ));
    }
    let (body, pair) = value.split_at(value.len() - 2);
    match check_digit::check_pair(body) {
        Some(expected) if expected == pair => Ok(()),
        Some(expected) => Err(LintFailure::CheckDigit(
            String::from_utf8_lossy(&expected).into_owned(),
        )),
        None => Err(LintFailure::Invalid(
            "check character pair over characters outside CSET 82",
        )),
    }
}

/// The shortest GS1 Company Prefix has four digits. Without the GCP
/// register (offline) this is all that can be known, plus that a prefix of
/// nothing but zeros was never allocated.
fn company_prefix(data: &[u8]) -> Result<(), &'static str> {
    const SHORTEST_GCP: usize = 4;
    match data.get(..SHORTEST_GCP) {
        None => Err("too short to start with a GS1 Company Prefix"),
        Some(prefix) if !prefix.iter().all(u8::is_ascii_digit) => {
            Err("does not start with a GS1 Company Prefix (digits)")
        }
        Some(_) if data.iter().all(|&b| b == b'0') => Err("all zeros is not a GS1 Company Prefix"),
        Some(_) => Ok(()),
    }
}

fn piece_of_total(bytes: &[u8]) -> Result<(), &'static str> {
    let (piece, total) = match bytes {
        [a, b, c, d] => (number(&[*a, *b]), number(&[*c, *d])),
        _ => (None, None),
    };
    match (piece, total) {
        (Some(0), _) => Err("piece number must not be 00"),
        (_, Some(0)) => Err("total count must not be 00"),
        (Some(piece), Some(total)) if piece > total => Err("piece number exceeds the total count"),
        (Some(_), Some(_)) => Ok(()),
        _ => Err("must be four digits PPTT"),
    }
}

fn percent_encoding_valid(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let escape = bytes.get(i + 1..i + 3);
            if !escape.is_some_and(|e| e.iter().all(u8::is_ascii_hexdigit)) {
                return false;
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    true
}

fn iban(bytes: &[u8]) -> Result<(), &'static str> {
    if bytes.len() < 5 {
        return Err("too short for an IBAN");
    }
    if !bytes
        .iter()
        .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
    {
        return Err("an IBAN has only digits and upper case letters");
    }
    if !iso_codes::is_country_alpha2(&bytes[..2]) {
        return Err("an IBAN starts with an ISO 3166 alpha-2 country code");
    }
    if !bytes[2..4].iter().all(u8::is_ascii_digit) {
        return Err("an IBAN's check digits are digits");
    }
    // ISO 13616: move the first four characters to the end, read letters as
    // 10..35, and the whole number mod 97 must be 1.
    let mut remainder = 0u32;
    for &b in bytes[4..].iter().chain(&bytes[..4]) {
        let value = u32::from(if b.is_ascii_digit() {
            b - b'0'
        } else {
            b - b'A' + 10
        });
        remainder = if value < 10 {
            (remainder * 10 + value) % 97
        } else {
            (remainder * 100 + value) % 97
        };
    }
    if remainder == 1 {
        Ok(())
    } else {
        Err("IBAN check digits are wrong")
    }
}

fn position_in_sequence(bytes: &[u8]) -> Result<(), &'static str> {
    let Some(slash) = bytes.iter().position(|&b| b == b'/') else {
        return Err("must be POS/END");
    };
    let (position, end) = (&bytes[..slash], &bytes[slash + 1..]);
    match (number(position), number(end)) {
        (Some(_), Some(_)) if position[0] == b'0' || end[0] == b'0' => {
            Err("position and end must not be zero or start with 0")
        }
        (Some(p), Some(e)) if p > e => Err("position exceeds the end of the sequence"),
        (Some(_), Some(_)) => Ok(()),
        _ => Err("must be POS/END"),
    }
}

/// Reads the digit fields of a coupon: each field is checked for presence
/// and range, and each failure says which field.
struct CouponFields<'a> {
    rest: &'a [u8],
}

impl<'a> CouponFields<'a> {
    fn new(data: &'a [u8]) -> Result<Self, &'static str> {
        if data.iter().all(u8::is_ascii_digit) {
            Ok(CouponFields { rest: data })
        } else {
            Err("coupon data must be digits")
        }
    }

    /// True (and consumed) when the next digit is the optional field `tag`.
    fn optional_field(&mut self, tag: u8) -> bool {
        match self.rest.split_first() {
            Some((&first, rest)) if first == tag => {
                self.rest = rest;
                true
            }
            _ => false,
        }
    }

    /// One digit, which `valid` must accept.
    fn digit(&mut self, valid: fn(u8) -> bool, what: &'static str) -> Result<u8, &'static str> {
        match self.rest.split_first() {
            Some((&b, rest)) if valid(b - b'0') => {
                self.rest = rest;
                Ok(b - b'0')
            }
            _ => Err(what),
        }
    }

    fn take(&mut self, len: usize, what: &'static str) -> Result<&'a [u8], &'static str> {
        if self.rest.len() < len {
            return Err(what);
        }
        let (field, rest) = self.rest.split_at(len);
        self.rest = rest;
        Ok(field)
    }

    /// A company prefix after its length indicator (VLI 0..=6 means 6..=12
    /// digits); with `nine_means_none`, VLI 9 means no prefix follows.
    fn company_prefix(&mut self, nine_means_none: bool) -> Result<(), &'static str> {
        let what = "coupon: company prefix length indicator missing or invalid";
        let vli = self.digit(|d| d <= 6 || d == 9, what)?;
        match vli {
            9 if nine_means_none => Ok(()),
            9 => Err(what),
            vli => {
                let gcp = self.take(usize::from(vli) + 6, "coupon: company prefix truncated")?;
                company_prefix(gcp)
            }
        }
    }

    /// A field of 1..=5 digits after its length indicator.
    fn short_field(&mut self, what: &'static str) -> Result<(), &'static str> {
        let len = self.digit(|d| (1..=5).contains(&d), what)?;
        self.take(usize::from(len), what).map(drop)
    }

    /// A purchase requirement: its value, code and family code.
    fn purchase_requirement(&mut self) -> Result<(), &'static str> {
        self.short_field("coupon: purchase requirement missing or invalid")?;
        self.digit(
            |d| d <= 4 || d == 9,
            "coupon: purchase requirement code missing or invalid",
        )?;
        self.take(3, "coupon: purchase family code truncated")
            .map(drop)
    }

    fn date(&mut self, today: NaiveDate, what: &'static str) -> Result<NaiveDate, &'static str> {
        let field = self.take(6, what)?;
        let text = std::str::from_utf8(field).map_err(|_| what)?;
        date::yymmdd(text, today, false).map_err(|_| what)
    }

    fn finish(&self) -> Result<(), &'static str> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err("coupon: unexpected data after its fields")
        }
    }
}

/// North American Coupon Code (AI 8110): mandatory company prefix, offer
/// code, save value and first purchase requirement, then optional fields
/// 1, 2, 3, 4, 5, 6 and 9 in that order.
fn coupon_code(data: &[u8], today: NaiveDate) -> Result<(), &'static str> {
    let mut fields = CouponFields::new(data)?;
    fields.company_prefix(false)?;
    fields.take(6, "coupon: offer code truncated")?;
    fields.short_field("coupon: save value missing or invalid")?;
    fields.purchase_requirement()?;
    if fields.optional_field(b'1') {
        fields.digit(
            |d| d <= 3,
            "coupon: additional purchase rules code missing or invalid",
        )?;
        fields.purchase_requirement()?;
        fields.company_prefix(true)?;
    }
    if fields.optional_field(b'2') {
        fields.purchase_requirement()?;
        fields.company_prefix(true)?;
    }
    let expiry = if fields.optional_field(b'3') {
        Some(fields.date(today, "coupon: expiration date missing or invalid")?)
    } else {
        None
    };
    if fields.optional_field(b'4') {
        let start = fields.date(today, "coupon: start date missing or invalid")?;
        if expiry.is_some_and(|expiry| expiry < start) {
            return Err("coupon: expiration date is before the start date");
        }
    }
    if fields.optional_field(b'5') {
        let len = fields.digit(|_| true, "coupon: serial number length indicator missing")?;
        fields.take(usize::from(len) + 6, "coupon: serial number truncated")?;
    }
    if fields.optional_field(b'6') {
        let what = "coupon: retailer company prefix or GLN missing or invalid";
        let len = fields.digit(|d| (1..=7).contains(&d), what)?;
        company_prefix(fields.take(usize::from(len) + 6, what)?)?;
    }
    if fields.optional_field(b'9') {
        fields.digit(
            |d| matches!(d, 0..=2 | 5 | 6),
            "coupon: save value code missing or invalid",
        )?;
        fields.digit(
            |d| d <= 2,
            "coupon: save value applies-to-item missing or invalid",
        )?;
        fields.digit(|_| true, "coupon: store coupon flag missing")?;
        fields.digit(|d| d <= 1, "coupon: don't-multiply flag missing or invalid")?;
    }
    fields.finish()
}

/// Positive offer file coupon (AI 8112): format code, funder ID, offer
/// code and serial number, nothing more.
fn coupon_positive_offer(data: &[u8]) -> Result<(), &'static str> {
    let mut fields = CouponFields::new(data)?;
    fields.digit(|d| d <= 1, "coupon: format code missing or invalid")?;
    let funder = fields.digit(
        |d| d <= 6,
        "coupon: funder ID length indicator missing or invalid",
    )?;
    fields.take(usize::from(funder) + 6, "coupon: funder ID truncated")?;
    fields.take(6, "coupon: offer code truncated")?;
    let serial = fields.digit(|_| true, "coupon: serial number length indicator missing")?;
    fields.take(usize::from(serial) + 6, "coupon: serial number truncated")?;
    fields.finish()
}

fn three_digits(bytes: &[u8]) -> Option<u16> {
    if bytes.len() == 3 {
        number(bytes).and_then(|n| u16::try_from(n).ok())
    } else {
        None
    }
}

/// The value of a non-empty run of at most 18 ASCII digits.
fn number(bytes: &[u8]) -> Option<u64> {
    if bytes.is_empty() || bytes.len() > 18 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(bytes.iter().fold(0, |n, &b| n * 10 + u64::from(b - b'0')))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(linter: Linter, value: &str) -> Result<(), LintFailure> {
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).expect("date");
        lint(linter, value, today)
    }

    fn passes(linter: Linter, values: &[&str]) {
        for value in values {
            assert_eq!(check(linter, value), Ok(()), "{linter:?} {value:?}");
        }
    }

    fn fails(linter: Linter, values: &[&str]) {
        for value in values {
            assert!(check(linter, value).is_err(), "{linter:?} {value:?}");
        }
    }

    #[test]
    fn check_digits_report_the_expected_one() {
        passes(Linter::Csum, &["09506000134352", "106141411234567897"]);
        assert_eq!(
            check(Linter::Csum, "09506000134353"),
            Err(LintFailure::CheckDigit("2".into()))
        );
        passes(Linter::CsumAlpha, &["1987654Ad4X4bL5ttr2310c2K"]);
        assert_eq!(
            check(Linter::CsumAlpha, "1987654Ad4X4bL5ttr2310c2L"),
            Err(LintFailure::CheckDigit("2K".into()))
        );
        fails(Linter::CsumAlpha, &["2"]);
    }

    #[test]
    fn company_prefix_position() {
        passes(Linter::GcpPos1, &["0123", "01234A", "9506000134352"]);
        fails(Linter::GcpPos1, &["012", "012A5", "A123", "0000000000000"]);
        passes(Linter::GcpPos2, &["09506000134352", "A1234"]);
        fails(Linter::GcpPos2, &["0123", "1A234", "00000000000000"]);
    }

    #[test]
    fn codes_and_flags() {
        passes(Linter::Iso3166, &["276", "004", "894"]);
        fails(Linter::Iso3166, &["999", "000", "27"]);
        passes(Linter::Iso3166Or999, &["999", "276"]);
        fails(Linter::Iso3166Or999, &["998"]);
        passes(Linter::Iso3166Alpha2, &["DE", "US"]);
        fails(Linter::Iso3166Alpha2, &["XX", "de"]);
        passes(Linter::Iso4217, &["978", "840"]);
        fails(Linter::Iso4217, &["000", "276"]);
        passes(Linter::YesNo, &["0", "1"]);
        fails(Linter::YesNo, &["2"]);
        passes(Linter::Winding, &["0", "1", "9"]);
        fails(Linter::Winding, &["2"]);
        passes(Linter::Zero, &["0"]);
        fails(Linter::Zero, &["1"]);
        passes(Linter::NonZero, &["0001"]);
        fails(Linter::NonZero, &["0000"]);
        passes(Linter::Iso5218, &["0", "1", "2", "9"]);
        fails(Linter::Iso5218, &["3"]);
        passes(Linter::MediaType, &["01", "10", "80", "99"]);
        fails(Linter::MediaType, &["00", "11", "79"]);
        passes(Linter::ImporterIndex, &["-", "a", "Z", "_", "5"]);
        fails(Linter::ImporterIndex, &["!", "ab", ""]);
        passes(Linter::NoZeroPrefix, &["0", "10", "123"]);
        fails(Linter::NoZeroPrefix, &["01"]);
        passes(Linter::HasNonDigit, &["12A"]);
        fails(Linter::HasNonDigit, &["123"]);
        passes(Linter::Hyphen, &["-"]);
        fails(Linter::Hyphen, &["+"]);
        passes(Linter::PackageType, &["BX", "1A", "APE", "8"]);
        fails(Linter::PackageType, &["bx", "ABCD"]);
    }

    #[test]
    fn structured_values() {
        passes(Linter::PieceOfTotal, &["0102", "0202", "9999"]);
        fails(Linter::PieceOfTotal, &["0001", "0100", "0302", "12"]);
        passes(Linter::PercentEncoded, &["ABC", "A%2Fb", "%41%42"]);
        fails(Linter::PercentEncoded, &["%", "%4", "%4G", "A%"]);
        passes(Linter::Latitude, &["0000000000", "1800000000"]);
        fails(Linter::Latitude, &["1800000001"]);
        passes(Linter::Longitude, &["3600000000"]);
        fails(Linter::Longitude, &["3600000001"]);
        passes(Linter::PosInSeqSlash, &["1/2", "2/2", "9/9"]);
        fails(
            Linter::PosInSeqSlash,
            &["3/2", "0/2", "1/0", "12", "/1", "1/"],
        );
        passes(
            Linter::Iban,
            &["GB82WEST12345698765432", "DE89370400440532013000"],
        );
        fails(
            Linter::Iban,
            &[
                "GB82WEST12345698765433",
                "XX82WEST12345698765432",
                "GB8",
                "gb82WEST12345698765432",
            ],
        );
    }

    #[test]
    fn dates_and_times() {
        passes(Linter::Yymmd0, &["240200", "241231"]);
        fails(Linter::Yymmd0, &["241301", "240230"]);
        passes(Linter::Yymmdd, &["240229"]);
        assert!(matches!(
            check(Linter::Yymmdd, "240200"),
            Err(LintFailure::Date(_))
        ));
        passes(Linter::Yyyymmdd, &["20240229"]);
        fails(Linter::Yyyymmdd, &["20230229"]);
        passes(Linter::Hhmi, &["2359"]);
        fails(Linter::Hhmi, &["2400"]);
        passes(Linter::Hh, &["00"]);
        fails(Linter::Mi, &["60"]);
        fails(Linter::Ss, &["60"]);
    }

    #[test]
    fn coupon_codes() {
        // Examples from the GS1 Barcode Syntax Tests.
        passes(Linter::CouponCode, &["012345612345611110123"]);
        fails(
            Linter::CouponCode,
            &[
                "",
                "01",
                "0123456",
                "71234567890123",
                "01234561234560",
                "a12345612345611110123",
            ],
        );
        // Optional field 3 (expiry) then 4 (start) in order; start after expiry fails.
        passes(Linter::CouponCode, &["0123456123456111101233261231"]);
        passes(Linter::CouponCode, &["01234561234561111012332612314260101"]);
        fails(Linter::CouponCode, &["01234561234561111012332601014261231"]);
        fails(Linter::CouponCode, &["012345612345611110123326023"]);
        // Field 9 then trailing garbage.
        passes(Linter::CouponCode, &["01234561234561111012390010"]);
        fails(
            Linter::CouponCode,
            &["01234561234561111012390300", "012345612345611110123900105"],
        );
    }

    #[test]
    fn positive_offer_coupons() {
        passes(
            Linter::CouponPosOffer,
            &["001234561234560123456", "101234561234560123456"],
        );
        passes(
            Linter::CouponPosOffer,
            &["061234567890121234569123456789012345"],
        );
        fails(
            Linter::CouponPosOffer,
            &[
                "",
                "201234561234560123456",
                "07",
                "00123456123456",
                "0012345612345601234567",
            ],
        );
    }
}
