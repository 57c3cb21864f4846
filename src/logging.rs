//! Log set-up: `tracing` to standard error, filtered by `RUST_LOG` when it is
//! set and by the configuration's `log` setting otherwise, as text for
//! people or as JSON lines for log pipelines.

use serde::{Deserialize, Serialize};
use tracing_subscriber::EnvFilter;

/// How log lines are written (the configuration's `log_format`, the
/// server's `--log-format`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One readable line per event: time, level, target, message, fields.
    #[default]
    Text,
    /// One JSON object per line (`timestamp`, `level`, `target`, `message`
    /// and the event's fields at the top level), so journald, Loki or
    /// Elasticsearch can index fields such as `device_id` without parsing
    /// prose.
    Json,
}

/// Installs the global subscriber. An invalid filter falls back to `info`
/// with a warning rather than silencing the logs.
pub fn init(default_filter: &str, format: LogFormat) {
    let (filter, invalid) = match std::env::var("RUST_LOG") {
        Ok(value) if !value.is_empty() => match EnvFilter::try_new(&value) {
            Ok(filter) => (filter, None),
            Err(e) => (
                EnvFilter::new("info"),
                Some(format!("RUST_LOG={value:?}: {e}")),
            ),
        },
        _ => match EnvFilter::try_new(default_filter) {
            Ok(filter) => (filter, None),
            Err(e) => (
                EnvFilter::new("info"),
                Some(format!("log = {default_filter:?}: {e}")),
            ),
        },
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    // A second init (tests, embedding) keeps the first subscriber.
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .with_span_list(false)
            .try_init(),
    };
    if let Some(problem) = invalid {
        tracing::warn!("invalid log filter ({problem}); using `info`");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn the_format_is_a_configuration_key() {
        let path = Path::new("lotline.toml");
        let parsed = crate::config::parse("log_format = \"json\"\n", path).unwrap();
        assert_eq!(parsed.log_format, LogFormat::Json);
        let default = crate::config::parse("", path).unwrap();
        assert_eq!(default.log_format, LogFormat::Text);
        let err = crate::config::parse("log_format = \"xml\"\n", path).unwrap_err();
        let message = format!("{err:#}");
        assert!(message.contains("log_format"), "{message}");
    }
}
