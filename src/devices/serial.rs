//! Serial scanners: RS-232 and USB-CDC (`/dev/ttyACM*`) ports read through
//! the framer.

use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serialport::{DataBits, Parity, SerialPort, SerialPortInfo, SerialPortType, StopBits};

use super::config::{ParityConfig, SerialConfig, UsbId};
use super::framer::Framer;
use super::session::{Session, SessionEnd};

/// How long one read waits before checking for a stop request.
const READ_SLICE: Duration = Duration::from_millis(100);

/// Opens the configured port and delivers its scans until the port goes
/// away or the session is told to stop.
pub fn run(config: &SerialConfig, session: &Session) -> Result<SessionEnd> {
    let path = resolve(config)?;
    let mut port = serialport::new(path.to_string_lossy(), config.baud)
        .data_bits(data_bits(config.data_bits)?)
        .parity(match config.parity {
            ParityConfig::None => Parity::None,
            ParityConfig::Odd => Parity::Odd,
            ParityConfig::Even => Parity::Even,
        })
        .stop_bits(if config.stop_bits == 2 {
            StopBits::Two
        } else {
            StopBits::One
        })
        .timeout(READ_SLICE)
        .open_native()
        .with_context(|| format!("cannot open the serial port {}", path.display()))?;
    session.connected();
    read_frames(&mut port, &mut Framer::new(config.framer()), session)
}

/// Reads `port` into `framer` until the far end closes or a stop request.
/// A partial frame at the end is counted as garbage, never delivered.
fn read_frames(
    port: &mut dyn SerialPort,
    framer: &mut Framer,
    session: &Session,
) -> Result<SessionEnd> {
    let mut buf = [0u8; 1024];
    loop {
        if session.should_stop() {
            return Ok(SessionEnd::Stopped);
        }
        let wait = framer
            .deadline()
            .map(|d| d.saturating_duration_since(Instant::now()))
            .map_or(READ_SLICE, |left| {
                left.clamp(Duration::from_millis(1), READ_SLICE)
            });
        port.set_timeout(wait)?;
        match port.read(&mut buf) {
            Ok(0) => return Ok(ended(framer, session, "end of stream".into())),
            Ok(n) => session.framed(framer.push(&buf[..n], Instant::now())),
            Err(e) if e.kind() == io::ErrorKind::TimedOut => {
                session.framed(framer.poll(Instant::now()));
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Ok(ended(framer, session, e.to_string())),
        }
    }
}

fn ended(framer: &mut Framer, session: &Session, reason: String) -> SessionEnd {
    session.framed(framer.finish());
    SessionEnd::Disconnected(reason)
}

/// The port path: the configured one, or the first port of the USB device.
fn resolve(config: &SerialConfig) -> Result<PathBuf> {
    port_path(config.path.as_deref(), config.usb, &config.name)
}

/// The port of device `name`: `path` when given, else the first serial port
/// of the USB device `usb`.
pub fn port_path(path: Option<&Path>, usb: Option<UsbId>, name: &str) -> Result<PathBuf> {
    match (path, usb) {
        (Some(path), _) => Ok(path.to_path_buf()),
        (None, Some(id)) => find_usb_port(id),
        (None, None) => bail!("device {name:?} has no `path` or `usb`"),
    }
}

/// The serial ports the system reports. Without libudev, serialport scans
/// sysfs and panics when `/sys/class/tty` is missing (as in some
/// containers), so that case is an error here instead.
pub fn available_ports() -> Result<Vec<SerialPortInfo>> {
    if cfg!(target_os = "linux") && !Path::new("/sys/class/tty").is_dir() {
        bail!("cannot list serial ports: /sys/class/tty is not available");
    }
    serialport::available_ports().context("cannot list serial ports")
}

/// The first serial port belonging to the USB device `id`.
pub fn find_usb_port(id: UsbId) -> Result<PathBuf> {
    let ports = available_ports()?;
    ports
        .into_iter()
        .find(|port| {
            matches!(&port.port_type, SerialPortType::UsbPort(usb)
                if usb.vid == id.vendor && usb.pid == id.product)
        })
        .map(|port| PathBuf::from(port.port_name))
        .with_context(|| format!("no serial port of the USB device {id} is present"))
}

fn data_bits(bits: u8) -> Result<DataBits> {
    Ok(match bits {
        5 => DataBits::Five,
        6 => DataBits::Six,
        7 => DataBits::Seven,
        8 => DataBits::Eight,
        other => bail!("{other} data bits are not supported"),
    })
}
