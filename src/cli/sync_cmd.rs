//! `lotline enroll URL CODE` and `lotline sync [--once]`: connect this
//! terminal to a server, send it the journal's events and take its
//! reference data — once, or on and on through the background sync service
//! (the same retry loop the window and `lotline headless` run) while the
//! network comes and goes.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use clap::Args;

use crate::journal::{self, Journal};
use crate::sync::{
    Connectivity, Enrollment, OnChange, PassReport, ServiceSettings, SyncClient, SyncConfig,
    SyncService, SyncStatus, UploadReport, run_pass,
};

/// Arguments of `lotline enroll`.
#[derive(Debug, Args)]
pub struct EnrollArgs {
    /// The server's base URL, e.g. https://lotline.example.com:8443.
    pub url: String,
    /// The one-time code from `lotline-server device add`.
    pub code: String,
    /// Extra CA certificates (PEM) for a server with a private certificate.
    #[arg(long, value_name = "PEM")]
    pub ca_file: Option<PathBuf>,
}

/// Arguments of `lotline sync`. Without `--once` it runs the same
/// background service as the window and `lotline headless`, printing what
/// each pass did.
#[derive(Debug, Args)]
pub struct SyncArgs {
    /// One pass, then exit (status 1 when it failed).
    #[arg(long)]
    pub once: bool,
    /// Events per request (default: the configuration's
    /// `sync.batch_size`, 500).
    #[arg(long, value_name = "N")]
    pub batch_size: Option<usize>,
    /// Seconds between passes once everything is sent (default: the
    /// configuration's `sync.interval_seconds`, 30).
    #[arg(long, value_name = "SECONDS")]
    pub interval: Option<u64>,
}

impl SyncArgs {
    /// `config` with the flags given applied, checked.
    fn config(&self, config: &SyncConfig) -> Result<SyncConfig> {
        let config = SyncConfig {
            interval_seconds: self.interval.unwrap_or(config.interval_seconds),
            batch_size: self.batch_size.unwrap_or(config.batch_size),
            ..config.clone()
        };
        config
            .validate()
            .map_err(|why| anyhow!("{why} (the flags override the `[sync]` section)"))?;
        Ok(config)
    }
}

/// Enrolls the terminal whose data directory is `data_dir`.
pub fn enroll(args: &EnrollArgs, data_dir: &Path, out: &mut impl Write) -> Result<()> {
    let enrollment = crate::sync::enroll(&args.url, &args.code, args.ca_file.clone(), data_dir)?;
    writeln!(
        out,
        "Enrolled with {} as device {}; `lotline sync` sends the journal",
        enrollment.server_url, enrollment.device_id
    )?;
    Ok(())
}

/// Syncs the terminal whose data directory is `data_dir` with the `[sync]`
/// settings `config`: with `--once`, one pass, returning whether it
/// succeeded; otherwise the background service, until a refusal stops it.
pub fn sync(
    args: &SyncArgs,
    data_dir: &Path,
    config: &SyncConfig,
    out: &mut impl Write,
) -> Result<bool> {
    let config = args.config(config)?;
    let Some(enrollment) = Enrollment::load(data_dir)? else {
        bail!(NOT_ENROLLED);
    };
    let journal_path = data_dir.join(journal::FILE_NAME);
    let mut journal = Journal::open_existing(&journal_path)
        .with_context(|| format!("cannot open the journal {}", journal_path.display()))?;
    if !args.once {
        drop(journal);
        return run_service(data_dir, config.service_settings(), out);
    }
    let client = SyncClient::new(&enrollment.server_url, enrollment.ca_file.as_deref())?;
    match run_pass(
        &mut journal,
        &client,
        &enrollment,
        config.batch_size,
        &|| true,
    ) {
        Ok(report) => {
            print_pass(out, &report)?;
            Ok(true)
        }
        Err(error) => {
            writeln!(out, "Sync failed: {error}")?;
            Ok(false)
        }
    }
}

/// Why `lotline sync` cannot run on an unenrolled terminal.
const NOT_ENROLLED: &str = "this terminal is not enrolled: run `lotline enroll URL CODE` with a code from `lotline-server device add`";

/// Runs the background service and prints each attempt's outcome; returns
/// an error once the server refuses the terminal (which no retry cures).
fn run_service(data_dir: &Path, settings: ServiceSettings, out: &mut impl Write) -> Result<bool> {
    let (sender, statuses) = crossbeam_channel::unbounded();
    let on_change: OnChange = Box::new(move |status: &SyncStatus| {
        let _ = sender.send(status.clone());
    });
    let service = SyncService::start(data_dir, settings, Some(on_change))
        .context("cannot start the sync thread")?;
    let mut attempts = 0;
    for status in &statuses {
        if status.connectivity == Connectivity::NotEnrolled {
            bail!(NOT_ENROLLED);
        }
        if status.attempts == attempts {
            continue; // only the pending count changed
        }
        attempts = status.attempts;
        match &status.connectivity {
            Connectivity::Online => {
                if let Some(report) = &status.last_pass {
                    print_pass(out, report)?;
                }
            }
            Connectivity::Offline { reason, retry_in } => {
                writeln!(
                    out,
                    "Sync failed: {reason}; retrying in {} s",
                    retry_in.as_secs()
                )?;
                out.flush()?;
            }
            Connectivity::Refused { reason } => {
                return Err(anyhow!("{reason}").context("sync stopped"));
            }
            Connectivity::Connecting | Connectivity::NotEnrolled => {}
        }
    }
    service.stop();
    bail!("the sync thread ended unexpectedly")
}

/// Prints what a pass did.
fn print_pass(out: &mut impl Write, pass: &PassReport) -> Result<()> {
    print_report(out, &pass.upload)?;
    writeln!(
        out,
        "Reference data: {} change(s) applied, {} of them lot holds, recalls or releases",
        pass.download.records, pass.download.lot_statuses
    )?;
    out.flush()?;
    Ok(())
}

fn print_report(out: &mut impl Write, report: &UploadReport) -> Result<()> {
    writeln!(
        out,
        "Sent {} events in {} batches ({} new, {} already there); the server holds everything through seq {}; {} pending",
        report.sent,
        report.batches,
        report.stored,
        report.duplicates,
        report.acked_through,
        report.pending
    )?;
    if let Some(skew) = report.clock_skew_seconds {
        writeln!(
            out,
            "Warning: this terminal's clock is {} s {} the server's; events keep the terminal's time and the server records its own beside it — set the clock",
            skew.abs(),
            if skew > 0 { "behind" } else { "ahead of" }
        )?;
    }
    if report.chain_breaks > 0 {
        writeln!(
            out,
            "Warning: the server flagged {} chain break(s): run `lotline journal verify`",
            report.chain_breaks
        )?;
    }
    out.flush()?;
    Ok(())
}
