//! `lotline enroll URL CODE` and `lotline sync [--once]`: connect this
//! terminal to a server, send it the journal's events and take its
//! reference data — once, or on and on with backoff while the network comes
//! and goes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::Args;

use crate::journal::{self, Journal};
use crate::sync::backoff::Backoff;
use crate::sync::{
    Enrollment, SyncClient, SyncError, UploadReport, download_reference, upload_pending,
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

/// Arguments of `lotline sync`.
#[derive(Debug, Args)]
pub struct SyncArgs {
    /// One pass, then exit (status 1 when it failed).
    #[arg(long)]
    pub once: bool,
    /// Events per request.
    #[arg(long, value_name = "N", default_value_t = 500)]
    pub batch_size: usize,
    /// Seconds between passes once everything is sent.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub interval: u64,
}

/// Enrolls the terminal whose data directory is `data_dir`.
pub fn enroll(args: &EnrollArgs, data_dir: &Path, out: &mut impl Write) -> Result<()> {
    let journal_path = data_dir.join(journal::FILE_NAME);
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("cannot create {}", data_dir.display()))?;
    let journal = Journal::open(&journal_path)
        .with_context(|| format!("cannot open the journal {}", journal_path.display()))?;
    let client = SyncClient::new(&args.url, args.ca_file.as_deref())?;
    let reply = client.enroll(args.code.trim(), journal.device_id())?;
    if reply.device_id != journal.device_id() {
        bail!(
            "the server filed this terminal as {} instead of its journal's id {}",
            reply.device_id,
            journal.device_id()
        );
    }
    Enrollment {
        server_url: client.base_url().to_owned(),
        device_id: reply.device_id.clone(),
        token: reply.token,
        ca_file: args.ca_file.clone(),
    }
    .save(data_dir)?;
    writeln!(
        out,
        "Enrolled with {} as device {}; `lotline sync` sends the journal",
        client.base_url(),
        reply.device_id
    )?;
    Ok(())
}

/// Syncs the terminal whose data directory is `data_dir`; with `--once`
/// returns whether the pass succeeded.
pub fn sync(args: &SyncArgs, data_dir: &Path, out: &mut impl Write) -> Result<bool> {
    let Some(enrollment) = Enrollment::load(data_dir)? else {
        bail!(
            "this terminal is not enrolled: run `lotline enroll URL CODE` with a code from `lotline-server device add`"
        );
    };
    let client = SyncClient::new(&enrollment.server_url, enrollment.ca_file.as_deref())?;
    let journal_path = data_dir.join(journal::FILE_NAME);
    let mut journal = Journal::open_existing(&journal_path)
        .with_context(|| format!("cannot open the journal {}", journal_path.display()))?;
    let seed = u64::from(std::process::id()) ^ journal.last_seq().rotate_left(32);
    let mut backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(300), seed);
    loop {
        let pass =
            upload_pending(&mut journal, &client, &enrollment, args.batch_size).and_then(|sent| {
                Ok((
                    sent,
                    download_reference(&mut journal, &client, &enrollment)?,
                ))
            });
        match pass {
            Ok((report, download)) => {
                print_report(out, &report)?;
                writeln!(
                    out,
                    "Reference data: {} change(s) applied, {} of them lot holds, recalls or releases",
                    download.records, download.lot_statuses
                )?;
                if args.once {
                    return Ok(true);
                }
                backoff.reset();
                std::thread::sleep(Duration::from_secs(args.interval));
            }
            Err(error) if args.once => {
                writeln!(out, "Sync failed: {error}")?;
                return Ok(false);
            }
            Err(error) if error.is_transient() => {
                let delay = backoff.next_delay();
                writeln!(
                    out,
                    "Sync failed: {error}; retrying in {} s",
                    delay.as_secs()
                )?;
                out.flush()?;
                std::thread::sleep(delay);
            }
            Err(error) => return Err(stop_error(error)),
        }
    }
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

/// A failure no retry cures, as the command's error.
fn stop_error(error: SyncError) -> anyhow::Error {
    anyhow::Error::new(error).context("sync stopped")
}
