//! `lotline journal verify|stats|export`: support and audit commands over
//! the terminal's journal file. They never create a journal.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use clap::{Args, Subcommand, ValueEnum};

use crate::journal::{ExportFormat, Journal};

/// `lotline journal …` arguments.
#[derive(Debug, Args)]
pub struct JournalArgs {
    /// What to do with the journal.
    #[command(subcommand)]
    pub action: JournalAction,
}

/// The journal subcommands.
#[derive(Debug, Subcommand)]
pub enum JournalAction {
    /// Check seq contiguity, the hash chain and SQLite integrity; exit 1 at
    /// the first problem.
    Verify,
    /// Print counts by kind, stock lines, lots, unsynced events, file size.
    Stats,
    /// Write every event to standard output.
    Export {
        /// Output format.
        #[arg(long, value_enum, default_value_t = FormatArg::Jsonl)]
        format: FormatArg,
    },
}

/// `--format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// One JSON object per line.
    Jsonl,
    /// CSV with a header row.
    Csv,
}

/// Runs a journal subcommand on the journal at `path`. Returns false when
/// `verify` found the journal unsound.
pub fn run(args: &JournalArgs, path: &Path, out: &mut impl Write) -> Result<bool> {
    let journal = Journal::open_existing(path)
        .with_context(|| format!("cannot open the journal {}", path.display()))?;
    match args.action {
        JournalAction::Verify => verify(&journal, out),
        JournalAction::Stats => {
            stats(&journal, out)?;
            Ok(true)
        }
        JournalAction::Export { format } => {
            let format = match format {
                FormatArg::Jsonl => ExportFormat::Jsonl,
                FormatArg::Csv => ExportFormat::Csv,
            };
            journal.export(format, out)?;
            Ok(true)
        }
    }
}

fn verify(journal: &Journal, out: &mut impl Write) -> Result<bool> {
    let report = journal.verify()?;
    let path = journal.path().display();
    if let Some(problem) = &report.chain_problem {
        writeln!(out, "journal {path}: BROKEN at {problem}")?;
        writeln!(out, "events verified before the break: {}", report.events)?;
    }
    for line in &report.integrity_problems {
        writeln!(out, "journal {path}: integrity_check: {line}")?;
    }
    if report.is_sound() {
        writeln!(
            out,
            "journal {path}: OK — {} events, seq 1..{} contiguous, hash chain valid \
             (head {}), integrity_check ok",
            report.events, report.events, report.head
        )?;
    }
    Ok(report.is_sound())
}

fn stats(journal: &Journal, out: &mut impl Write) -> Result<()> {
    let s = journal.stats()?;
    writeln!(out, "journal         {}", journal.path().display())?;
    writeln!(out, "device_id       {}", journal.device_id())?;
    writeln!(out, "events          {}", s.events)?;
    for (kind, n) in &s.by_kind {
        writeln!(out, "  {:<14}{n}", kind.as_str())?;
    }
    writeln!(out, "stock_lines     {}", s.stock_lines)?;
    writeln!(out, "lots            {}", s.lots)?;
    writeln!(out, "unsynced        {}", s.unsynced)?;
    writeln!(out, "file_bytes      {}", s.file_bytes)?;
    Ok(())
}
