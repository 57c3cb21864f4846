//! `lotline-server`: the central server that enrolls terminals and ingests
//! their events. This file is only the command line; everything else is in
//! `lotline::server`. See `docs/server.md`.

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use chrono::{DateTime, NaiveDate, Utc};
use clap::{Parser, Subcommand};
use lotline::config::Settings;
use lotline::journal::{LotState, LotStatus, ReferenceData};
use lotline::logging::LogFormat;
use lotline::server::secrets::{enrollment_code_hash, new_enrollment_code};
use lotline::server::store::{self, Location, Store};
use lotline::server::tls::TlsFiles;
use lotline::server::{AppState, Limits};
use lotline::server::{backup, reports};
use lotline::site_config::SiteConfig;
use lotline::traceability::epcis::EpcisOptions;
use lotline::traceability::expiry::ExpiringLot;
use lotline::traceability::fsma204::Fsma204Options;
use lotline::traceability::reference_import::{Import, ImportKind};

/// The database file's name in the data directory (the default `--db`).
const DEFAULT_DB_FILE: &str = "server.sqlite";

/// Worker threads of the async runtime: request handling is light, and
/// SQLite work runs on tokio's separate blocking pool.
const WORKER_THREADS: usize = 2;

/// Lotline central server.
#[derive(Debug, Parser)]
#[command(name = "lotline-server", version, about, long_about = None)]
struct ServerCli {
    /// Configuration file (default: the XDG location, as for `lotline`).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Data directory (holds the default SQLite database).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// Storage: `sqlite:PATH` or `postgres://USER@HOST/DB`
    /// (default: sqlite:DATA_DIR/server.sqlite).
    #[arg(long, global = true, env = "LOTLINE_SERVER_DB")]
    db: Option<String>,
    /// Log lines as `text` or `json` (default: the configuration's
    /// `log_format`, else text).
    #[arg(long, global = true, value_enum, env = "LOTLINE_LOG_FORMAT")]
    log_format: Option<LogFormat>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the HTTP API.
    Serve {
        /// Address to listen on (port 0: any free port, printed at start).
        #[arg(long, default_value = "127.0.0.1:8443")]
        listen: SocketAddr,
        /// PEM certificate chain; with --tls-key, serve HTTPS only.
        #[arg(long, requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// PEM private key for --tls-cert.
        #[arg(long, requires = "tls_cert")]
        tls_key: Option<PathBuf>,
    },
    /// Manage terminals.
    #[command(subcommand)]
    Device(DeviceCommand),
    /// Import reference data from a CSV file (all of it, or nothing).
    Import {
        /// products, locations, suppliers, customers, purchase-orders,
        /// sales-orders or operators.
        kind: String,
        /// The CSV file (columns: docs/server-import.md).
        file: PathBuf,
    },
    /// Put a lot on hold: terminals stop picking and shipping it.
    Hold(LotStatusArgs),
    /// Recall a lot: terminals never pick or ship it again.
    Recall(LotStatusArgs),
    /// Release a held lot: usable again.
    Release(LotStatusArgs),
    /// Recall trace of a lot: receipts and suppliers, cartons, shipments
    /// and customers, stock left.
    Trace {
        /// The product's GTIN-14.
        gtin: String,
        /// The lot (omit for goods without a lot).
        lot: Option<String>,
        /// json, csv or epcis (EPCIS 2.0 JSON-LD of the lot's events).
        #[arg(long, value_enum, default_value_t = TraceFormat::Json)]
        format: TraceFormat,
    },
    /// Lots in stock anywhere that expire within N days.
    Expiry {
        /// Horizon in days from today (the site's date).
        #[arg(long, default_value_t = 30)]
        days: u32,
        /// text (a table) or json.
        #[arg(long, value_enum, default_value_t = ExpiryFormat::Text)]
        format: ExpiryFormat,
    },
    /// Export the events of a period: the FSMA 204 sortable spreadsheet
    /// (CSV) or an EPCIS 2.0 JSON-LD document.
    Export {
        /// fsma204 or epcis.
        #[arg(value_enum)]
        kind: ExportKind,
        /// First day (YYYY-MM-DD, the site's date), inclusive.
        #[arg(long)]
        from: NaiveDate,
        /// Last day (YYYY-MM-DD, the site's date), inclusive.
        #[arg(long)]
        to: NaiveDate,
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Print the version.
    Version,
    /// Back the database up into a new file (SQLite: a checked copy, taken
    /// while the server runs; PostgreSQL: a pg_dump archive).
    Backup {
        /// The file to create; an existing file is never overwritten.
        file: PathBuf,
    },
    /// Replace the SQLite database with a backup (with the server
    /// stopped); the replaced database is kept as DB.before-restore. For
    /// PostgreSQL, prints the pg_restore command to run.
    Restore {
        /// The backup made by `lotline-server backup`.
        file: PathBuf,
    },
}

/// The arguments of `hold`, `recall` and `release`.
#[derive(Debug, clap::Args)]
struct LotStatusArgs {
    /// The product's GTIN-14.
    gtin: String,
    /// The lot.
    lot: String,
    /// Why (shown to operators and kept with the status).
    #[arg(long)]
    reason: String,
    /// Who decides (kept with the status).
    #[arg(long, default_value = "lotline-server")]
    by: String,
}

/// `trace --format`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum TraceFormat {
    Json,
    Csv,
    Epcis,
}

/// `expiry --format`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum ExpiryFormat {
    Text,
    Json,
}

/// `export KIND`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum ExportKind {
    Fsma204,
    Epcis,
}

#[derive(Debug, Subcommand)]
enum DeviceCommand {
    /// Register a terminal and print its one-time enrollment code.
    Add {
        /// A name for it (unique), e.g. `dock-3`.
        name: String,
    },
    /// List terminals, their progress and flagged chain breaks.
    List,
    /// Revoke a terminal (by name or device id): its token stops working.
    Revoke {
        /// Name or device id.
        device: String,
    },
}

fn main() -> ExitCode {
    let cli = ServerCli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(WORKER_THREADS)
        .enable_all()
        .build();
    let result = runtime
        .context("starting the async runtime")
        .and_then(|rt| rt.block_on(run(cli)));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lotline-server: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: ServerCli) -> anyhow::Result<()> {
    match &cli.command {
        Command::Version => {
            println!("lotline-server {}", env!("CARGO_PKG_VERSION"));
            Ok(())
        }
        Command::Serve {
            listen,
            tls_cert,
            tls_key,
        } => {
            let tls = tls_cert
                .clone()
                .zip(tls_key.clone())
                .map(|(cert, key)| TlsFiles { cert, key });
            let state = AppState {
                store: open_store(&cli).await?,
                limits: Limits::default(),
            };
            let listener =
                TcpListener::bind(*listen).with_context(|| format!("listening on {listen}"))?;
            let scheme = if tls.is_some() { "https" } else { "http" };
            println!("listening on {scheme}://{}", listener.local_addr()?);
            tokio::select! {
                served = lotline::server::serve(listener, state, tls) => served,
                _ = tokio::signal::ctrl_c() => Ok(()),
            }
        }
        Command::Device(command) => device(open_store(&cli).await?.as_ref(), command).await,
        Command::Import { kind, file } => {
            import(open_store(&cli).await?.as_ref(), kind, file).await
        }
        Command::Hold(args) => set_lot_state(&cli, args, LotState::Held).await,
        Command::Recall(args) => set_lot_state(&cli, args, LotState::Recalled).await,
        Command::Release(args) => set_lot_state(&cli, args, LotState::Released).await,
        Command::Trace { gtin, lot, format } => {
            let (settings, store) = open(&cli).await?;
            let text = trace(&settings.config.site, store.as_ref(), gtin, lot, *format).await?;
            print!("{text}");
            Ok(())
        }
        Command::Expiry { days, format } => {
            let (settings, store) = open(&cli).await?;
            let today = Utc::now()
                .with_timezone(&settings.config.site.offset()?)
                .date_naive();
            let lots = reports::expiring(store.as_ref(), today, *days).await?;
            print!("{}", expiry_text(&lots, *days, *format)?);
            Ok(())
        }
        Command::Export {
            kind,
            from,
            to,
            output,
        } => {
            let (settings, store) = open(&cli).await?;
            let text = export(&settings.config.site, store.as_ref(), *kind, *from, *to).await?;
            match output {
                Some(path) => std::fs::write(path, &text)
                    .with_context(|| format!("writing {}", path.display()))?,
                None => print!("{text}"),
            }
            Ok(())
        }
        Command::Backup { file } => backup_database(&database_url(&cli)?, file),
        Command::Restore { file } => restore_database(&database_url(&cli)?, file),
    }
}

/// Reads the configuration, starts logging and names the `--db` storage.
fn settings_and_url(cli: &ServerCli) -> anyhow::Result<(Settings, String)> {
    let settings = lotline::config::load(cli.config.as_deref(), cli.data_dir.as_deref())?;
    let format = cli.log_format.unwrap_or(settings.config.log_format);
    lotline::logging::init(&settings.config.log, format);
    let url = cli.db.clone().unwrap_or_else(|| {
        format!(
            "sqlite:{}",
            settings.data_dir.join(DEFAULT_DB_FILE).display()
        )
    });
    Ok((settings, url))
}

/// The `--db` storage's URL, without opening it (backups must not
/// migrate the database).
fn database_url(cli: &ServerCli) -> anyhow::Result<String> {
    Ok(settings_and_url(cli)?.1)
}

/// Reads the configuration, starts logging and opens the `--db` storage.
async fn open_store(cli: &ServerCli) -> anyhow::Result<Arc<dyn Store>> {
    Ok(open(cli).await?.1)
}

/// [`open_store`], keeping the settings (the reports need `[site]`).
async fn open(cli: &ServerCli) -> anyhow::Result<(Settings, Arc<dyn Store>)> {
    let (settings, url) = settings_and_url(cli)?;
    let store = store::open(&url)
        .await
        .with_context(|| format!("opening the database {}", redact(&url)))?;
    Ok((settings, store))
}

/// Checks a GTIN-14 typed by an administrator.
fn gtin14(gtin: &str) -> anyhow::Result<&str> {
    let gtin = gtin.trim();
    if gtin.len() != 14 || !gtin.bytes().all(|b| b.is_ascii_digit()) {
        anyhow::bail!("{gtin:?} is not a GTIN-14 (14 digits)");
    }
    Ok(gtin)
}

/// The EPCIS export options of the site.
fn epcis_options(site: &SiteConfig) -> anyhow::Result<EpcisOptions> {
    Ok(EpcisOptions {
        prefixes: site.prefixes()?,
        base_uri: site.required_base_uri()?.to_owned(),
        offset: site.offset()?,
        created_at: Utc::now(),
    })
}

/// `trace GTIN [LOT] --format …`: the report as text to print.
async fn trace(
    site: &SiteConfig,
    store: &dyn Store,
    gtin: &str,
    lot: &Option<String>,
    format: TraceFormat,
) -> anyhow::Result<String> {
    let gtin = gtin14(gtin)?;
    let lot = lot.as_deref().map(str::trim).filter(|l| !l.is_empty());
    Ok(match format {
        TraceFormat::Json => {
            let report = reports::lot_trace(store, gtin, lot).await?;
            serde_json::to_string_pretty(&report)? + "\n"
        }
        TraceFormat::Csv => reports::lot_trace(store, gtin, lot).await?.to_csv()?,
        TraceFormat::Epcis => {
            let document = reports::lot_epcis(store, gtin, lot, &epcis_options(site)?).await?;
            serde_json::to_string_pretty(&document)? + "\n"
        }
    })
}

/// `expiry`: the lots as a table or JSON.
fn expiry_text(lots: &[ExpiringLot], days: u32, format: ExpiryFormat) -> anyhow::Result<String> {
    use std::fmt::Write as _;
    if let ExpiryFormat::Json = format {
        return Ok(serde_json::to_string_pretty(lots)? + "\n");
    }
    let mut out = String::new();
    if lots.is_empty() {
        writeln!(out, "no lot in stock expires within {days} day(s)")?;
    } else {
        writeln!(out, "EXPIRY\tDAYS LEFT\tGTIN\tLOT\tQUANTITY\tWHERE")?;
    }
    for lot in lots {
        let places: Vec<String> = lot
            .by_location
            .iter()
            .map(|(location, quantity)| format!("{location} {quantity}"))
            .collect();
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{} {}\t{}",
            lot.expiry,
            lot.days_left,
            lot.gtin,
            lot.lot.as_deref().unwrap_or("-"),
            lot.quantity,
            lot.unit,
            places.join(", ")
        )?;
    }
    Ok(out)
}

/// `export KIND --from --to`: the document for the site's days `from`
/// through `to`.
async fn export(
    site: &SiteConfig,
    store: &dyn Store,
    kind: ExportKind,
    from: NaiveDate,
    to: NaiveDate,
) -> anyhow::Result<String> {
    if to < from {
        anyhow::bail!("--to {to} is before --from {from}");
    }
    let offset = site.offset()?;
    let start_of = |day: NaiveDate| -> anyhow::Result<DateTime<Utc>> {
        let local = day
            .and_hms_opt(0, 0, 0)
            .context("a day without a midnight")?;
        Ok(local
            .and_local_timezone(offset)
            .single()
            .context("an ambiguous local midnight")?
            .with_timezone(&Utc))
    };
    let start = start_of(from)?;
    let end = start_of(to.succ_opt().context("--to is the last day there is")?)?;
    Ok(match kind {
        ExportKind::Fsma204 => {
            let options = Fsma204Options {
                site_description: site.required_description()?.to_owned(),
                offset,
                period: None,
            };
            reports::fsma204_spreadsheet(store, start, end, &options).await?
        }
        ExportKind::Epcis => {
            let document =
                reports::epcis_document(store, start, end, &epcis_options(site)?).await?;
            serde_json::to_string_pretty(&document)? + "\n"
        }
    })
}

async fn device(store: &dyn Store, command: &DeviceCommand) -> anyhow::Result<()> {
    match command {
        DeviceCommand::Add { name } => {
            let name = name.trim();
            if name.is_empty() {
                anyhow::bail!("a device name must not be empty");
            }
            let code = new_enrollment_code()?;
            store.add_device(name, enrollment_code_hash(&code)).await?;
            println!("device {name:?} added; one-time enrollment code: {code}");
        }
        DeviceCommand::List => {
            let breaks = store.chain_breaks().await?;
            println!("NAME\tDEVICE ID\tSTATE\tACKED THROUGH\tCHAIN BREAKS");
            for d in store.devices().await? {
                let state = match (&d.device_id, d.revoked_at) {
                    (_, Some(at)) => format!("revoked {}", at.format("%Y-%m-%d %H:%M")),
                    (None, None) => "awaiting enrollment".to_owned(),
                    (Some(_), None) => "enrolled".to_owned(),
                };
                let id = d.device_id.as_deref().unwrap_or("-");
                println!(
                    "{}\t{id}\t{state}\t{}\t{}",
                    d.name, d.acked_through, d.chain_breaks
                );
                for b in breaks
                    .iter()
                    .filter(|b| Some(&b.device_id) == d.device_id.as_ref())
                {
                    println!(
                        "  chain break at seq {}: {} (expected {}, found {})",
                        b.seq,
                        b.kind.as_str(),
                        b.expected,
                        b.found
                    );
                }
            }
        }
        DeviceCommand::Revoke { device } => {
            if !store.revoke(device).await? {
                anyhow::bail!("no active device named or with id {device:?}");
            }
            println!("device {device:?} revoked");
        }
    }
    Ok(())
}

/// `import KIND FILE`: validates the whole file against what the server
/// already has; stores all of it under one cursor or, with any problem,
/// prints every problem by line and stores nothing.
async fn import(store: &dyn Store, kind: &str, file: &Path) -> anyhow::Result<()> {
    let kind = ImportKind::from_name(kind).with_context(|| {
        let names: Vec<_> = ImportKind::ALL.iter().map(|k| k.name()).collect();
        format!(
            "unknown import kind {kind:?} (expected {})",
            names.join(", ")
        )
    })?;
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let mut import = Import::new(store.known_keys().await?);
    import.add(kind, &file.display().to_string(), &text);
    let data = import.finish()?;
    let records = data.products.len()
        + data.locations.len()
        + data.suppliers.len()
        + data.customers.len()
        + data.purchase_orders.len()
        + data.sales_orders.len()
        + data.operators.len();
    let cursor = store.put_reference(&data).await?;
    println!(
        "imported {records} {} record(s) from {} (reference cursor {cursor})",
        kind.name(),
        file.display()
    );
    Ok(())
}

/// `hold|recall|release GTIN LOT --reason …`: a lot status, sent to the
/// terminals with the next reference download.
async fn set_lot_state(
    cli: &ServerCli,
    args: &LotStatusArgs,
    state: LotState,
) -> anyhow::Result<()> {
    let gtin = gtin14(&args.gtin)?;
    let lot = args.lot.trim();
    if lot.is_empty() {
        anyhow::bail!("the lot must not be empty");
    }
    let reason = args.reason.trim();
    if reason.is_empty() {
        anyhow::bail!("--reason must say why");
    }
    let status = LotStatus {
        gtin: gtin.to_owned(),
        lot: Some(lot.to_owned()),
        state,
        reason: Some(reason.to_owned()),
        issued_by: args.by.trim().to_owned(),
        issued_at: chrono::Utc::now(),
    };
    let data = ReferenceData {
        lot_statuses: vec![status],
        ..ReferenceData::default()
    };
    let cursor = open_store(cli).await?.put_reference(&data).await?;
    println!(
        "lot {lot} of {gtin} is now {} (reference cursor {cursor})",
        state.as_str()
    );
    Ok(())
}

/// The database URL without a password, for messages and logs.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}

/// `backup FILE`: a checked SQLite copy, or a pg_dump archive.
fn backup_database(url: &str, file: &Path) -> anyhow::Result<()> {
    match Location::parse(url)? {
        Location::Sqlite(db) => {
            let summary = backup::backup_sqlite(&db, file)?;
            println!(
                "backed up {} to {}: {}",
                db.display(),
                file.display(),
                checked(&summary)
            );
        }
        Location::Postgres(url) => {
            backup::backup_postgres(&url, file)?;
            println!(
                "backed up {} to {} (pg_dump custom format; restore with pg_restore)",
                redact(&url),
                file.display()
            );
        }
    }
    Ok(())
}

/// What a checked SQLite copy holds, as backup and restore report it.
fn checked(summary: &backup::Summary) -> String {
    format!(
        "schema version {}, {} device(s), {} event(s); integrity check ok",
        summary.schema_version, summary.devices, summary.events
    )
}

/// `restore FILE`: replaces the SQLite database; for PostgreSQL prints the
/// pg_restore command (and fails, since nothing was restored).
fn restore_database(url: &str, file: &Path) -> anyhow::Result<()> {
    match Location::parse(url)? {
        Location::Sqlite(db) => {
            let restored = backup::restore_sqlite(&db, file)?;
            if let Some(kept) = &restored.kept {
                println!("kept the replaced database as {}", kept.display());
            }
            println!(
                "restored {} from {}: {}",
                db.display(),
                file.display(),
                checked(&restored.summary)
            );
            Ok(())
        }
        Location::Postgres(url) => {
            println!("{}", backup::pg_restore_command(&url, file)?);
            anyhow::bail!(
                "nothing restored: PostgreSQL databases are restored with pg_restore; stop \
                 every lotline-server using {}, then run the command above",
                redact(&url)
            )
        }
    }
}
