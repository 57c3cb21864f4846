//! The `[site]` section of `lotline.toml`: who and where the site is, as
//! the server's exports must name it. FSMA 204 wants the business name and
//! address of every event's location; EPCIS wants URIs for locations,
//! parties and orders and GS1 Company Prefix lengths to split keys into
//! EPC URIs. Both want the site's time zone, since terminals record UTC.

use anyhow::{Context, Result, bail};
use chrono::FixedOffset;
use serde::{Deserialize, Serialize};

use crate::traceability::epc_uris::CompanyPrefixes;

/// `[site]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SiteConfig {
    /// Business name and address, e.g. `Lotline DC1, 1 Dock Road, Leeds LS1
    /// 1AA`: how the FSMA 204 spreadsheet describes the site.
    pub description: Option<String>,
    /// The site's own base URI, e.g. `https://dc1.example.com/lotline`:
    /// EPCIS names locations, parties without GLN and orders below it.
    pub base_uri: Option<String>,
    /// The site's offset from UTC, `+HH:MM` or `-HH:MM`: dates in exports
    /// are local dates.
    pub utc_offset: String,
    /// Digits of a GS1 Company Prefix not listed in `company_prefixes`
    /// (6 to 12; 7 is the most common).
    pub company_prefix_digits: u8,
    /// Known company prefixes of other lengths (the site's own, its
    /// suppliers'): the longest a key starts with decides its split.
    pub company_prefixes: Vec<String>,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            description: None,
            base_uri: None,
            utc_offset: "+00:00".to_owned(),
            company_prefix_digits: 7,
            company_prefixes: Vec::new(),
        }
    }
}

impl SiteConfig {
    /// Checks every key, so a typo is reported when the file is read, not
    /// in the middle of a recall.
    pub fn validate(&self) -> Result<()> {
        self.offset()?;
        self.prefixes()?;
        if let Some(uri) = &self.base_uri {
            let scheme_ok = uri.starts_with("https://") || uri.starts_with("http://");
            if !scheme_ok || uri.contains(char::is_whitespace) {
                bail!("[site] base_uri {uri:?} is not an http(s) URI");
            }
        }
        Ok(())
    }

    /// `utc_offset` as an offset.
    pub fn offset(&self) -> Result<FixedOffset> {
        let text = self.utc_offset.trim();
        let parsed = (|| {
            let (sign, rest) = match text.as_bytes().first()? {
                b'+' => (1, &text[1..]),
                b'-' => (-1, &text[1..]),
                _ => return None,
            };
            let (hours, minutes) = rest.split_once(':')?;
            if hours.len() != 2 || minutes.len() != 2 {
                return None;
            }
            let hours: i32 = hours.parse().ok()?;
            let minutes: i32 = minutes.parse().ok()?;
            if hours > 14 || minutes > 59 {
                return None;
            }
            FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
        })();
        parsed.with_context(|| format!("[site] utc_offset {text:?} is not +HH:MM or -HH:MM"))
    }

    /// The company prefixes to split GS1 keys with.
    pub fn prefixes(&self) -> Result<CompanyPrefixes> {
        let mut prefixes = CompanyPrefixes::new(self.company_prefix_digits)
            .context("[site] company_prefix_digits")?;
        for prefix in &self.company_prefixes {
            prefixes = prefixes
                .with_prefix(prefix)
                .context("[site] company_prefixes")?;
        }
        Ok(prefixes)
    }

    /// The site description, required by the FSMA 204 export.
    pub fn required_description(&self) -> Result<&str> {
        self.description
            .as_deref()
            .filter(|d| !d.trim().is_empty())
            .context(
                "set [site] description (business name and address) in lotline.toml: \
                 the FSMA 204 spreadsheet names every event's location with it",
            )
    }

    /// The base URI, required by the EPCIS export.
    pub fn required_base_uri(&self) -> Result<&str> {
        self.base_uri.as_deref().context(
            "set [site] base_uri (e.g. https://dc1.example.com/lotline) in lotline.toml: \
             EPCIS names locations, parties and orders below it",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_parse_both_signs_and_refuse_anything_else() {
        let site = |offset: &str| SiteConfig {
            utc_offset: offset.to_owned(),
            ..SiteConfig::default()
        };
        assert_eq!(site("+00:00").offset().unwrap().local_minus_utc(), 0);
        assert_eq!(site("+05:30").offset().unwrap().local_minus_utc(), 19_800);
        assert_eq!(site("-09:00").offset().unwrap().local_minus_utc(), -32_400);
        for bad in ["", "05:30", "+5:30", "+05", "+15:00", "+05:60", "UTC"] {
            let error = site(bad).validate().unwrap_err().to_string();
            assert!(error.contains("utc_offset"), "{bad:?}: {error}");
        }
    }

    #[test]
    fn prefixes_and_base_uri_are_checked() {
        let bad_digits = SiteConfig {
            company_prefix_digits: 5,
            ..SiteConfig::default()
        };
        assert!(bad_digits.validate().is_err());
        let bad_prefix = SiteConfig {
            company_prefixes: vec!["95060".into()],
            ..SiteConfig::default()
        };
        assert!(bad_prefix.validate().is_err());
        let bad_uri = SiteConfig {
            base_uri: Some("dc1.example.com".into()),
            ..SiteConfig::default()
        };
        assert!(bad_uri.validate().is_err());
        let good = SiteConfig {
            description: Some("DC1, 1 Dock Road".into()),
            base_uri: Some("https://dc1.example.com/lotline".into()),
            company_prefixes: vec!["950600013".into()],
            ..SiteConfig::default()
        };
        good.validate().unwrap();
        assert_eq!(good.required_description().unwrap(), "DC1, 1 Dock Road");
    }

    #[test]
    fn exports_say_which_key_is_missing() {
        let site = SiteConfig::default();
        let error = site.required_description().unwrap_err().to_string();
        assert!(error.contains("[site] description"), "{error}");
        let error = site.required_base_uri().unwrap_err().to_string();
        assert!(error.contains("[site] base_uri"), "{error}");
    }
}
