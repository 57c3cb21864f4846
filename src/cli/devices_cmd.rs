//! `lotline devices`: what is plugged in, what looks like a scanner or
//! reader, which configured device each is, and (with `--probe`) whether
//! the configured devices actually open and read.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Args;

use crate::devices::listing::{self, PortEntry, UsbEntry};
use crate::devices::status::DeviceStatus;
use crate::devices::{DevicesConfig, Supervisor};

/// Arguments of `lotline devices`.
#[derive(Debug, Args)]
pub struct DevicesArgs {
    /// Also run the configured devices for SECONDS and print their status
    /// and counts (scans, tag reads, garbage, errors).
    #[arg(long, value_name = "SECONDS")]
    pub probe: Option<f64>,
}

/// Prints the report to `out`.
pub fn run(args: &DevicesArgs, config: &DevicesConfig, out: &mut impl Write) -> Result<()> {
    writeln!(out, "Serial ports:")?;
    match listing::serial_ports() {
        Ok(ports) if ports.is_empty() => writeln!(out, "  (none)")?,
        Ok(ports) => {
            for port in &ports {
                writeln!(out, "  {}", port_line(config, port))?;
            }
        }
        Err(e) => writeln!(out, "  cannot list: {e:#}")?,
    }
    writeln!(out, "USB devices:")?;
    match listing::usb_devices() {
        Ok(devices) if devices.is_empty() => writeln!(out, "  (none)")?,
        Ok(devices) => {
            for device in &devices {
                writeln!(out, "  {}", usb_line(config, device))?;
            }
        }
        Err(e) => writeln!(out, "  cannot list: {e:#}")?,
    }
    writeln!(out, "Configured devices:")?;
    if config.is_empty() {
        writeln!(out, "  (none; see docs/devices.md)")?;
    }
    for serial in &config.serial {
        let place = match (&serial.path, serial.usb) {
            (Some(path), _) => presence(path),
            (None, Some(id)) => format!("usb {id}"),
            (None, None) => String::new(),
        };
        writeln!(out, "  {}  serial  {place}", serial.name)?;
    }
    for hid in &config.hid {
        writeln!(
            out,
            "  {}  hid  usb {}  {:?} mode",
            hid.name, hid.usb, hid.mode
        )?;
    }
    for reader in &config.rfid {
        let place = match (&reader.path, reader.usb) {
            (Some(path), _) => presence(path),
            (None, Some(id)) => format!("usb {id}"),
            (None, None) => String::new(),
        };
        writeln!(
            out,
            "  {}  rfid  {place}  region {}",
            reader.name, reader.region
        )?;
    }
    for sim in &config.simulator {
        let source = match (&sim.listen, &sim.file) {
            (Some(addr), _) => format!("listen {addr}"),
            (None, Some(file)) => format!("file {}", presence(file)),
            (None, None) => String::new(),
        };
        writeln!(out, "  {}  simulator  {source}", sim.name)?;
    }
    if let Some(seconds) = args.probe {
        probe(config, seconds, out)?;
    }
    Ok(())
}

fn port_line(config: &DevicesConfig, port: &PortEntry) -> String {
    let mut line = port.path.clone();
    if let Some(id) = port.usb {
        line.push_str(&format!("  usb {id}"));
        if let Some(what) = listing::looks_like(id, false, true) {
            line.push_str(&format!("  [{what}]"));
        }
    }
    if let Some(description) = &port.description {
        line.push_str(&format!("  {description}"));
    }
    line + &configured(&listing::configured_for_port(config, port))
}

fn usb_line(config: &DevicesConfig, device: &UsbEntry) -> String {
    let mut line = format!(
        "bus {:03} device {:03}  {}",
        device.bus, device.address, device.id
    );
    for (has, name) in [(device.hid, "hid"), (device.cdc, "cdc")] {
        if has {
            line.push_str(&format!("  {name}"));
        }
    }
    if let Some(what) = device.looks_like() {
        line.push_str(&format!("  [{what}]"));
    }
    line + &configured(&listing::configured_for_usb(config, device.id))
}

fn configured(names: &[String]) -> String {
    if names.is_empty() {
        String::new()
    } else {
        format!("  -> configured as {}", names.join(", "))
    }
}

fn presence(path: &Path) -> String {
    let state = if path.exists() {
        "present"
    } else {
        "not present"
    };
    format!("{} ({state})", path.display())
}

/// Runs the configured devices for `seconds` and prints their status.
fn probe(config: &DevicesConfig, seconds: f64, out: &mut impl Write) -> Result<()> {
    let duration = Duration::try_from_secs_f64(seconds)
        .ok()
        .filter(|d| *d <= Duration::from_secs(3600))
        .context("--probe takes seconds between 0 and 3600")?;
    let (events, received) = crossbeam_channel::unbounded();
    let supervisor = Supervisor::start(config, events)?;
    // Events are only counted here; the status board has the totals.
    let deadline = std::time::Instant::now() + duration;
    while let Ok(event) = received.recv_deadline(deadline) {
        tracing::debug!(?event, "device event");
    }
    let status = supervisor.status();
    supervisor.stop();
    writeln!(out, "Probe ({seconds} s):")?;
    for device in &status {
        writeln!(out, "  {}", status_line(device))?;
    }
    Ok(())
}

fn status_line(status: &DeviceStatus) -> String {
    let state = serde_json::to_value(&status.state)
        .ok()
        .and_then(|v| v.get("state").and_then(|s| s.as_str().map(str::to_owned)))
        .unwrap_or_default();
    let why = match &status.state {
        crate::devices::status::LinkState::Disconnected { reason } => format!(" ({reason})"),
        crate::devices::status::LinkState::Error { message } => format!(" ({message})"),
        _ => String::new(),
    };
    let detail = status
        .detail
        .as_ref()
        .map(|d| format!(", {d}"))
        .unwrap_or_default();
    format!(
        "{}  {}  {state}{why}{detail}  scans={} tag_reads={} garbage={} errors={} connects={}",
        status.name,
        status.kind,
        status.scans,
        status.tag_reads,
        status.garbage,
        status.errors,
        status.connects
    )
}
