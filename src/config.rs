//! Configuration: where Lotline keeps its settings and data, and what the
//! settings are.
//!
//! Settings live in a TOML file at the XDG config location
//! (`$XDG_CONFIG_HOME/lotline/lotline.toml`, usually
//! `~/.config/lotline/lotline.toml`); data lives at the XDG data location
//! (`~/.local/share/lotline`). `--config` and `--data-dir` override both, so
//! a kiosk, a test or a second terminal on one machine can point elsewhere.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use crate::workflow_config::WorkflowConfig;

/// The configuration file's name inside the config directory.
pub const CONFIG_FILE_NAME: &str = "lotline.toml";

/// The settings read from the TOML file. Every field has a default, so an
/// absent file means a working terminal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Where the journal and other state live; `--data-dir` wins over it.
    pub data_dir: Option<PathBuf>,
    /// The `tracing` filter used when `RUST_LOG` is not set, e.g. `info` or
    /// `lotline=debug`.
    pub log: String,
    /// How log lines look: `text` for people, `json` (one object a line)
    /// for journald/Loki/Elasticsearch pipelines.
    pub log_format: crate::logging::LogFormat,
    /// The window's language (`en`, `de` or `es`); None: the system
    /// locale's, else English.
    pub language: Option<String>,
    /// Whether the window plays a sound with each answer (when built with
    /// the `sound` feature and the terminal has a sound output).
    pub sound: bool,
    /// `[workflow]`: locations, lot and carton numbering, shelf-life policy.
    pub workflow: WorkflowConfig,
    /// Scanners, readers and simulators to open (see `docs/devices.md`).
    pub devices: crate::devices::DevicesConfig,
    /// `[site]`: how the server's exports name the site.
    pub site: crate::site_config::SiteConfig,
    /// `[sync]`: how often the background sync passes (see `docs/sync.md`).
    pub sync: crate::sync::SyncConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: None,
            log: "info".to_owned(),
            log_format: crate::logging::LogFormat::default(),
            language: None,
            sound: true,
            workflow: WorkflowConfig::default(),
            devices: crate::devices::DevicesConfig::default(),
            site: crate::site_config::SiteConfig::default(),
            sync: crate::sync::SyncConfig::default(),
        }
    }
}

/// The configuration in force and where it came from.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The parsed settings.
    pub config: Config,
    /// The file they were read from (it may not exist: then defaults apply).
    pub config_path: PathBuf,
    /// True when `config_path` existed and was read.
    pub config_file_found: bool,
    /// The data directory in force.
    pub data_dir: PathBuf,
}

/// The XDG directories for Lotline, or an error on a system without a home.
fn project_dirs() -> Result<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "lotline")
        .context("cannot determine the home directory for the XDG config and data locations")
}

/// Loads the settings.
///
/// `config_override` is `--config`: that file must exist. Without it the XDG
/// location is used and a missing file means defaults. `data_dir_override`
/// is `--data-dir`, which wins over the file's `data_dir`, which wins over
/// the XDG data location.
pub fn load(config_override: Option<&Path>, data_dir_override: Option<&Path>) -> Result<Settings> {
    let (config_path, must_exist) = match config_override {
        Some(path) => (path.to_path_buf(), true),
        None => (project_dirs()?.config_dir().join(CONFIG_FILE_NAME), false),
    };
    let (config, found) = match fs::read_to_string(&config_path) {
        Ok(text) => (parse(&text, &config_path)?, true),
        Err(e) if e.kind() == io::ErrorKind::NotFound && !must_exist => (Config::default(), false),
        Err(e) => {
            return Err(e).with_context(|| {
                format!("cannot read configuration file {}", config_path.display())
            });
        }
    };
    let data_dir = match (data_dir_override, &config.data_dir) {
        (Some(dir), _) => dir.to_path_buf(),
        (None, Some(dir)) => dir.clone(),
        (None, None) => project_dirs()?.data_dir().to_path_buf(),
    };
    Ok(Settings {
        config,
        config_path,
        config_file_found: found,
        data_dir,
    })
}

/// Parses configuration text; errors name the file, line and key.
pub fn parse(text: &str, path: &Path) -> Result<Config> {
    let config: Config = toml::from_str(text)
        .with_context(|| format!("invalid configuration file {}", path.display()))?;
    if config.log.trim().is_empty() {
        bail!(
            "invalid configuration file {}: `log` must not be empty",
            path.display()
        );
    }
    if let Some(language) = &config.language
        && !crate::ui::LANGUAGES.contains(&language.as_str())
    {
        bail!(
            "invalid configuration file {}: `language` {language:?} is not one of {}",
            path.display(),
            crate::ui::LANGUAGES.join(", ")
        );
    }
    config
        .workflow
        .settings()
        .with_context(|| format!("invalid configuration file {}", path.display()))?;
    config
        .devices
        .validate()
        .map_err(|why| anyhow::anyhow!("invalid configuration file {}: {why}", path.display()))?;
    config
        .site
        .validate()
        .with_context(|| format!("invalid configuration file {}", path.display()))?;
    config
        .sync
        .validate()
        .map_err(|why| anyhow::anyhow!("invalid configuration file {}: {why}", path.display()))?;
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_default_file_means_defaults_and_data_dir_override_wins() {
        let dir = tempfile::tempdir().unwrap();
        let settings = load(None, Some(dir.path())).unwrap();
        assert_eq!(settings.data_dir, dir.path());
        assert!(settings.config_path.ends_with("lotline/lotline.toml"));
    }

    #[test]
    fn explicit_config_must_exist() {
        let dir = tempfile::tempdir().unwrap();
        let err = load(Some(&dir.path().join("absent.toml")), None).unwrap_err();
        assert!(format!("{err:#}").contains("absent.toml"), "{err:#}");
    }

    #[test]
    fn file_data_dir_applies_unless_overridden() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lotline.toml");
        fs::write(&path, "data_dir = \"/srv/lotline\"\nlog = \"debug\"\n").unwrap();
        let settings = load(Some(&path), None).unwrap();
        assert!(settings.config_file_found);
        assert_eq!(settings.data_dir, Path::new("/srv/lotline"));
        assert_eq!(settings.config.log, "debug");
        let settings = load(Some(&path), Some(Path::new("/tmp/x"))).unwrap();
        assert_eq!(settings.data_dir, Path::new("/tmp/x"));
    }

    #[test]
    fn unknown_keys_and_bad_values_are_reported_with_the_file() {
        let path = Path::new("/etc/lotline.toml");
        let err = parse("colour = 1\n", path).unwrap_err();
        let message = format!("{err:#}");
        assert!(message.contains("/etc/lotline.toml"), "{message}");
        assert!(message.contains("colour"), "{message}");
        assert!(parse("log = \"\"\n", path).is_err());
        assert!(parse("language = \"fr\"\n", path).is_err());
        assert_eq!(
            parse("language = \"de\"\n", path)
                .unwrap()
                .language
                .as_deref(),
            Some("de")
        );
        let err = parse("[[devices.serial]]\nname = \"dock\"\n", path).unwrap_err();
        let message = format!("{err:#}");
        assert!(message.contains("/etc/lotline.toml"), "{message}");
        assert!(message.contains("\"dock\""), "{message}");
        let err = parse("[sync]\ninterval_seconds = 0\n", path).unwrap_err();
        let message = format!("{err:#}");
        assert!(message.contains("/etc/lotline.toml"), "{message}");
        assert!(message.contains("sync.interval_seconds"), "{message}");
        let sync = parse("[sync]\ninterval_seconds = 5\n", path).unwrap().sync;
        assert_eq!((sync.interval_seconds, sync.batch_size), (5, 500));
    }
}
