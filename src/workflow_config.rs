//! The `[workflow]` section of `lotline.toml`: the site's workflow settings
//! as an administrator writes them, checked and turned into the engine's
//! [`WorkflowSettings`]. Every key has a default, so a terminal with no
//! section works (without carton numbering).

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::workflow::{CartonNumbering, LotPattern, ShortShelfLife, WorkflowSettings};

/// `[workflow]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WorkflowConfig {
    /// Location code receipts are recorded to and putaway moves from.
    pub receiving_location: String,
    /// Location code picked goods go to and are shipped from.
    pub packing_location: String,
    /// Site code: the `{site}` of the lot pattern.
    pub site: String,
    /// Pattern of lot numbers assigned when the supplier gives none.
    pub lot_pattern: String,
    /// `warn` or `block` a receipt with less than the minimum shelf life.
    pub short_shelf_life: ShelfLifePolicy,
    /// `[workflow.cartons]`: carton numbering, for stations that create
    /// their own SSCCs.
    pub cartons: Option<CartonConfig>,
}

/// `short_shelf_life` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum ShelfLifePolicy {
    /// Record the receipt and warn.
    Warn,
    /// Refuse the receipt.
    Block,
}

/// `[workflow.cartons]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CartonConfig {
    /// The site's GS1 company prefix (4–12 digits).
    pub company_prefix: String,
    /// SSCC extension digit (0–9), default 0.
    #[serde(default)]
    pub extension: u8,
    /// This terminal's station number (digits; distinct per terminal of a
    /// site, so that no two terminals issue the same SSCC).
    #[serde(default)]
    pub station: String,
}

impl Default for WorkflowConfig {
    fn default() -> Self {
        WorkflowConfig {
            receiving_location: "DOCK".to_owned(),
            packing_location: "PACK".to_owned(),
            site: "01".to_owned(),
            lot_pattern: "{yy}{doy}{site}{seq:3}".to_owned(),
            short_shelf_life: ShelfLifePolicy::Warn,
            cartons: None,
        }
    }
}

impl WorkflowConfig {
    /// The engine settings, or an error naming the bad key.
    pub fn settings(&self) -> Result<WorkflowSettings> {
        let lot_pattern = LotPattern::parse(&self.lot_pattern, &self.site)
            .map_err(anyhow::Error::msg)
            .context("[workflow] lot_pattern / site")?;
        let carton_numbering = self
            .cartons
            .as_ref()
            .map(|c| CartonNumbering::new(c.extension, &c.company_prefix, &c.station))
            .transpose()
            .context("[workflow.cartons]")?;
        for (key, value) in [
            ("receiving_location", &self.receiving_location),
            ("packing_location", &self.packing_location),
        ] {
            anyhow::ensure!(
                !value.trim().is_empty(),
                "[workflow] {key} must not be empty"
            );
        }
        Ok(WorkflowSettings {
            receiving_location: self.receiving_location.clone(),
            packing_location: self.packing_location.clone(),
            lot_pattern,
            short_shelf_life: match self.short_shelf_life {
                ShelfLifePolicy::Warn => ShortShelfLife::Warn,
                ShelfLifePolicy::Block => ShortShelfLife::Block,
            },
            carton_numbering,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_make_working_settings_without_carton_numbering() {
        let settings = WorkflowConfig::default().settings().unwrap();
        assert_eq!(settings.receiving_location, "DOCK");
        assert_eq!(settings.packing_location, "PACK");
        assert_eq!(settings.short_shelf_life, ShortShelfLife::Warn);
        assert!(settings.carton_numbering.is_none());
    }

    #[test]
    fn a_full_section_is_read() {
        let config: WorkflowConfig = toml::from_str(
            "receiving_location = \"D1\"\npacking_location = \"P1\"\nsite = \"07\"\n\
             short_shelf_life = \"block\"\n[cartons]\ncompany_prefix = \"0614141\"\n\
             extension = 3\nstation = \"02\"\n",
        )
        .unwrap();
        let settings = config.settings().unwrap();
        assert_eq!(settings.short_shelf_life, ShortShelfLife::Block);
        let sscc = settings.carton_numbering.unwrap().sscc(1).unwrap();
        assert!(sscc.starts_with("3061414102"), "{sscc}");
    }

    #[test]
    fn bad_values_name_their_key() {
        let bad_prefix = WorkflowConfig {
            cartons: Some(CartonConfig {
                company_prefix: "12".into(),
                extension: 0,
                station: String::new(),
            }),
            ..WorkflowConfig::default()
        };
        let err = format!("{:#}", bad_prefix.settings().unwrap_err());
        assert!(
            err.contains("[workflow.cartons]") && err.contains("company prefix"),
            "{err}"
        );
        let bad_pattern = WorkflowConfig {
            lot_pattern: "{nope}".into(),
            ..WorkflowConfig::default()
        };
        let err = format!("{:#}", bad_pattern.settings().unwrap_err());
        assert!(err.contains("lot_pattern"), "{err}");
        let empty = WorkflowConfig {
            packing_location: " ".into(),
            ..WorkflowConfig::default()
        };
        assert!(empty.settings().is_err());
        assert!(toml::from_str::<WorkflowConfig>("colour = 1").is_err());
    }
}
