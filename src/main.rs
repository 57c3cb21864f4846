//! `lotline`: the terminal. Opens the touchscreen window by default; the
//! subcommands serve scripting, support and tests.

use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;
use lotline::cli::{
    Cli, Command, config_cmd, decode, demo_data, devices_cmd, headless, journal_cmd, sync_cmd,
};
use lotline::sync::SyncService;
use lotline::{config, journal, logging, ui};

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("lotline: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<ExitCode> {
    let cli = Cli::parse();
    let settings = config::load(cli.config.as_deref(), cli.data_dir.as_deref())?;
    logging::init(&settings.config.log, settings.config.log_format);
    tracing::debug!(
        config = %settings.config_path.display(),
        data_dir = %settings.data_dir.display(),
        "settings loaded"
    );
    match cli.command {
        None => {
            let config = &settings.config;
            ui::run(ui::TerminalOptions {
                data_dir: settings.data_dir.clone(),
                config_path: settings.config_path.clone(),
                workflow: config.workflow.settings()?,
                devices: config.devices.clone(),
                sync: config.sync.service_settings(),
                language: config.language.clone(),
                sound: config.sound,
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Decode(args)) => {
            let all_ok = decode::run(&args, io::stdin().lock(), &mut io::stdout().lock())?;
            Ok(if all_ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Some(Command::Config) => {
            config_cmd::run(&settings, &mut io::stdout().lock())?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Journal(args)) => {
            let path = settings.data_dir.join(journal::FILE_NAME);
            let sound = journal_cmd::run(&args, &path, &mut io::stdout().lock())?;
            Ok(if sound {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Some(Command::DemoData(args)) => {
            let path = settings.data_dir.join(journal::FILE_NAME);
            demo_data::run(&args, &path, chrono::Utc::now(), &mut io::stdout().lock())?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Enroll(args)) => {
            sync_cmd::enroll(&args, &settings.data_dir, &mut io::stdout().lock())?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Sync(args)) => {
            let ok = sync_cmd::sync(
                &args,
                &settings.data_dir,
                &settings.config.sync,
                &mut io::stdout().lock(),
            )?;
            Ok(if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Some(Command::Devices(args)) => {
            devices_cmd::run(&args, &settings.config.devices, &mut io::stdout().lock())?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Headless(args)) => {
            let path = settings.data_dir.join(journal::FILE_NAME);
            let workflow = args.settings(&settings.config.workflow)?;
            let out = &mut io::stdout().lock();
            let input: Box<dyn BufRead + Send> = match &args.script {
                Some(script) => {
                    Box::new(BufReader::new(File::open(script).with_context(|| {
                        format!("cannot open the script {}", script.display())
                    })?))
                }
                None => Box::new(BufReader::new(io::stdin())),
            };
            // An enrolled terminal sends what it records as it goes.
            let sync = SyncService::start_if_enrolled(
                &settings.data_dir,
                settings.config.sync.service_settings(),
                None,
            )?;
            let nudger = sync.as_ref().map(SyncService::nudger);
            let nudger = nudger.as_ref();
            if args.devices {
                let devices = &settings.config.devices;
                headless::run_with_devices(workflow, &path, devices, input, out, nudger)?;
            } else {
                headless::run(workflow, &path, input, out, nudger)?;
            }
            drop(sync);
            Ok(ExitCode::SUCCESS)
        }
    }
}
