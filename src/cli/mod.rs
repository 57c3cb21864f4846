//! The `lotline` terminal's command line: the window by default, and
//! subcommands for scripting, support and tests.

pub mod config_cmd;
pub mod decode;
pub mod demo_data;
pub mod devices_cmd;
pub mod headless;
pub mod journal_cmd;
pub mod sync_cmd;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Lotline: offline-first lot tracking for warehouses.
///
/// Without a subcommand the touchscreen window opens.
#[derive(Debug, Parser)]
#[command(name = "lotline", version, about, long_about = None)]
pub struct Cli {
    /// Configuration file (default: the XDG config location,
    /// ~/.config/lotline/lotline.toml).
    #[arg(long, global = true, value_name = "FILE", env = "LOTLINE_CONFIG")]
    pub config: Option<PathBuf>,
    /// Data directory (default: the configuration's `data_dir`, else the XDG
    /// data location, ~/.local/share/lotline).
    #[arg(long, global = true, value_name = "DIR", env = "LOTLINE_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// What to do; the window when absent.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Decode barcodes and RFID EPCs and print what they mean.
    Decode(decode::DecodeArgs),
    /// Print the configuration in force and where it came from.
    Config,
    /// Verify, summarise or export the journal in the data directory.
    Journal(journal_cmd::JournalArgs),
    /// Run the workflow engine over JSON lines on standard input (or a
    /// script) and standard output, for fixed stations, scripts and tests.
    Headless(headless::HeadlessArgs),
    /// Load a small demo warehouse (products, lots, locations, orders,
    /// badges) into an empty journal, to try every workflow.
    DemoData(demo_data::DemoDataArgs),
    /// List serial ports and USB devices, show which look like scanners or
    /// readers and which configured device each is; `--probe` runs them.
    Devices(devices_cmd::DevicesArgs),
    /// Enroll this terminal with a server using a one-time code from
    /// `lotline-server device add`.
    Enroll(sync_cmd::EnrollArgs),
    /// Send the journal's events to the server: `--once`, or on and on with
    /// backoff while the network comes and goes.
    Sync(sync_cmd::SyncArgs),
}
