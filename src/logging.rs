//! Log set-up: `tracing` to standard error, filtered by `RUST_LOG` when it is
//! set and by the configuration's `log` setting otherwise.

use tracing_subscriber::EnvFilter;

/// Installs the global subscriber. An invalid filter falls back to `info`
/// with a warning rather than silencing the logs.
pub fn init(default_filter: &str) {
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
    // A second init (tests, embedding) keeps the first subscriber.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
    if let Some(problem) = invalid {
        tracing::warn!("invalid log filter ({problem}); using `info`");
    }
}
