//! EPC URIs: the pure-identity URI `urn:epc:id:sgtin:0614141.812345.6789`
//! that information systems use, and the tag URI
//! `urn:epc:tag:sgtin-96:3.0614141.812345.6789` that also names the binary
//! scheme and filter, which is what a tag is written from.

use super::{CompanyPrefix, Epc, EpcId, Scheme, Serial, charset, within};
use crate::scan::ScanError;

/// The pure-identity URI of `epc`.
pub(crate) fn id_uri(epc: &Epc) -> String {
    let mut uri = String::with_capacity(64);
    uri.push_str("urn:epc:id:");
    uri.push_str(epc.scheme().id_name());
    uri.push(':');
    push_fields(epc.id(), &mut uri);
    uri
}

/// The tag URI of `epc`.
pub(crate) fn tag_uri(epc: &Epc) -> String {
    let mut uri = String::with_capacity(64);
    uri.push_str("urn:epc:tag:");
    uri.push_str(epc.scheme().name());
    uri.push(':');
    if let Some(filter) = epc.filter() {
        push_padded(&mut uri, u64::from(filter), 1);
        uri.push('.');
    }
    push_fields(epc.id(), &mut uri);
    uri
}

/// Appends the dot-separated identity fields, as both URIs end.
fn push_fields(id: &EpcId, out: &mut String) {
    if let EpcId::Gid {
        manager,
        class,
        serial,
    } = *id
    {
        for (i, number) in [manager, class, serial].into_iter().enumerate() {
            if i > 0 {
                out.push('.');
            }
            push_padded(out, number, 1);
        }
        return;
    }
    if let Some(company_prefix) = id.company_prefix() {
        push_padded(out, company_prefix.value(), company_prefix.digits());
    }
    if let Some(reference) = id.reference() {
        out.push('.');
        push_padded(out, reference.value, reference.digits);
    }
    match id.serial() {
        Some((Serial::Integer(value), _)) => {
            out.push('.');
            push_padded(out, *value, 1);
        }
        Some((Serial::Chars(text), _)) => {
            out.push('.');
            charset::escape_into(text, out);
        }
        None => {}
    }
}

/// Appends `value` in decimal, zero-padded to at least `digits` digits
/// (none at all for a zero-digit zero, as an empty SGLN location reference).
pub(crate) fn push_padded(out: &mut String, mut value: u64, digits: u8) {
    let mut buffer = [b'0'; 20];
    let mut start = buffer.len();
    while value > 0 {
        start -= 1;
        buffer[start] = b'0' + (value % 10) as u8;
        value /= 10;
    }
    start = start.min(buffer.len().saturating_sub(usize::from(digits)));
    for &digit in &buffer[start..] {
        out.push(char::from(digit));
    }
}

/// Reads a tag URI back into the EPC it describes.
pub(crate) fn parse_tag_uri(uri: &str) -> Result<Epc, ScanError> {
    let body = uri
        .strip_prefix("urn:epc:tag:")
        .ok_or_else(|| ScanError::Epc(format!("{uri:?} is not an EPC tag URI (urn:epc:tag:…)")))?;
    let (name, fields) = body
        .split_once(':')
        .ok_or_else(|| ScanError::Epc(format!("tag URI {uri:?} has no fields after the scheme")))?;
    let scheme = Scheme::from_name(name).ok_or_else(|| {
        ScanError::Epc(format!(
            "unknown or unsupported EPC scheme {name:?} in a tag URI"
        ))
    })?;
    let mut fields = Fields {
        scheme,
        rest: Some(fields),
    };
    if scheme.partitioned_bits().is_none() {
        let id = EpcId::Gid {
            manager: fields.next("general manager number")?.integer()?,
            class: fields.next("object class")?.integer()?,
            serial: fields.last("serial")?.integer()?,
        };
        return Epc::new(None, id);
    }
    let filter = fields.next("filter")?.filter()?;
    let company_prefix = fields.next("company prefix")?.company_prefix()?;
    let (id, reference) = match scheme {
        Scheme::Sgtin96 | Scheme::Sgtin198 => {
            let reference = fields.next("item reference")?;
            let id = EpcId::Sgtin {
                company_prefix,
                item_reference: reference.reference()?,
                serial: fields.last("serial")?.serial()?,
            };
            (id, reference)
        }
        Scheme::Sscc96 => {
            let reference = fields.last("serial reference")?;
            let id = EpcId::Sscc {
                company_prefix,
                serial_reference: reference.reference()?,
            };
            (id, reference)
        }
        Scheme::Sgln96 | Scheme::Sgln195 => {
            let reference = fields.next("location reference")?;
            let id = EpcId::Sgln {
                company_prefix,
                location_reference: reference.reference()?,
                extension: fields.last("extension")?.serial()?,
            };
            (id, reference)
        }
        Scheme::Grai96 | Scheme::Grai170 => {
            let reference = fields.next("asset type")?;
            let id = EpcId::Grai {
                company_prefix,
                asset_type: reference.reference()?,
                serial: fields.last("serial")?.serial()?,
            };
            (id, reference)
        }
        Scheme::Giai96 | Scheme::Giai202 => {
            let asset_reference = fields.last("asset reference")?;
            let id = EpcId::Giai {
                company_prefix,
                asset_reference: asset_reference.serial()?,
            };
            (id, asset_reference)
        }
        // Read above: GID-96 is the scheme without filter and partition.
        Scheme::Gid96 => return Err(ScanError::Epc("GID-96 has no filter".into())),
    };
    if let Some(expected) = id.reference()
        && reference.text.len() != usize::from(expected.digits)
    {
        return Err(reference.malformed(&format!(
            "must have {} digits with a {}-digit company prefix",
            expected.digits,
            company_prefix.digits()
        )));
    }
    Epc::new(Some(filter), id)
}

/// The dot-separated fields of a tag URI, taken left to right.
struct Fields<'a> {
    scheme: Scheme,
    rest: Option<&'a str>,
}

impl<'a> Fields<'a> {
    /// The next field, up to the next dot.
    fn next(&mut self, name: &'static str) -> Result<Field<'a>, ScanError> {
        let rest = self.rest.ok_or_else(|| self.missing(name))?;
        let text = match rest.split_once('.') {
            Some((field, tail)) => {
                self.rest = Some(tail);
                field
            }
            None => {
                self.rest = None;
                rest
            }
        };
        Ok(self.field(name, text))
    }

    /// The last field: everything left, dots included, as a serial may have
    /// dots.
    fn last(&mut self, name: &'static str) -> Result<Field<'a>, ScanError> {
        let text = self.rest.take().ok_or_else(|| self.missing(name))?;
        Ok(self.field(name, text))
    }

    fn field(&self, name: &'static str, text: &'a str) -> Field<'a> {
        Field {
            scheme: self.scheme,
            name,
            text,
        }
    }

    fn missing(&self, name: &str) -> ScanError {
        ScanError::Epc(format!("{} tag URI has no {name}", self.scheme))
    }
}

/// One field of a tag URI, read as what it stands for.
#[derive(Clone, Copy)]
struct Field<'a> {
    scheme: Scheme,
    name: &'static str,
    text: &'a str,
}

impl Field<'_> {
    fn malformed(&self, what: &str) -> ScanError {
        ScanError::Epc(format!(
            "{} {} {:?} {what}",
            self.scheme, self.name, self.text
        ))
    }

    /// The filter value, one digit (its range is checked with the EPC).
    fn filter(self) -> Result<u8, ScanError> {
        match self.text.as_bytes() {
            &[digit] if digit.is_ascii_digit() => Ok(digit - b'0'),
            _ => Err(self.malformed("is not a single digit")),
        }
    }

    /// The company prefix: its digits, leading zeros included.
    fn company_prefix(self) -> Result<CompanyPrefix, ScanError> {
        let value = digits_value(self.text)
            .filter(|_| (6..=12).contains(&self.text.len()))
            .ok_or_else(|| self.malformed("is not 6 to 12 digits"))?;
        let digits = u8::try_from(self.text.len()).unwrap_or(u8::MAX);
        CompanyPrefix::new(value, digits).map_err(|error| within(self.scheme, error))
    }

    /// A fixed-width reference; its digit count is checked by the caller.
    fn reference(self) -> Result<u64, ScanError> {
        digits_value(self.text).ok_or_else(|| self.malformed("is not a decimal number"))
    }

    /// A serial-like field in the form the scheme stores it.
    fn serial(self) -> Result<Serial, ScanError> {
        if self.scheme.has_char_serial() {
            let field = format!("{} {}", self.scheme, self.name);
            charset::unescape(self.text, &field).map(Serial::Chars)
        } else {
            self.integer().map(Serial::Integer)
        }
    }

    /// A decimal integer without leading zeros (range checked with the EPC).
    fn integer(self) -> Result<u64, ScanError> {
        if self.text.len() > 1 && self.text.starts_with('0') {
            return Err(self.malformed("must not have leading zeros"));
        }
        match digits_value(self.text) {
            Some(value) if !self.text.is_empty() => Ok(value),
            _ => Err(self.malformed("is not a decimal integer")),
        }
    }
}

/// The value of a string of ASCII digits (zero for none); `None` for other
/// characters or more than `u64` holds.
fn digits_value(text: &str) -> Option<u64> {
    text.bytes().try_fold(0u64, |value, byte| {
        let digit = byte.checked_sub(b'0').filter(|d| *d <= 9)?;
        value.checked_mul(10)?.checked_add(u64::from(digit))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_writes_the_exact_width() {
        let padded = |value, digits| {
            let mut out = String::new();
            push_padded(&mut out, value, digits);
            out
        };
        assert_eq!(padded(614141, 7), "0614141");
        assert_eq!(padded(0, 0), "");
        assert_eq!(padded(0, 1), "0");
        assert_eq!(padded(6789, 1), "6789");
        assert_eq!(padded(u64::MAX, 1), "18446744073709551615");
        assert_eq!(padded(5, 17), "00000000000000005");
    }

    #[test]
    fn digit_strings_have_values() {
        assert_eq!(digits_value(""), Some(0));
        assert_eq!(digits_value("0614141"), Some(614141));
        assert_eq!(digits_value("18446744073709551615"), Some(u64::MAX));
        assert_eq!(digits_value("18446744073709551616"), None);
        assert_eq!(digits_value("12a"), None);
        assert_eq!(digits_value("+1"), None);
    }
}
