//! `lotline config`: shows which configuration file and data directory are
//! in force, so a support call can start from facts.

use std::io::Write;

use anyhow::Result;

use crate::config::Settings;

/// Writes the settings in force as commented TOML.
pub fn run(settings: &Settings, out: &mut impl Write) -> Result<()> {
    let state = if settings.config_file_found {
        "read"
    } else {
        "absent, defaults apply"
    };
    writeln!(
        out,
        "# configuration file: {} ({state})",
        settings.config_path.display()
    )?;
    writeln!(out, "# data directory: {}", settings.data_dir.display())?;
    let mut effective = settings.config.clone();
    effective.data_dir = Some(settings.data_dir.clone());
    write!(out, "{}", toml::to_string(&effective)?)?;
    Ok(())
}
