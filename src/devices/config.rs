//! The `[devices]` section of the configuration: which scanners, readers
//! and simulators the terminal opens, and how it retries them.

use std::collections::HashSet;
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::framer::{FramerConfig, Suffix};
use super::hid::layout::Layout;
use super::rfid::command::Region;
use super::rfid::session::ReaderConfig;

/// Every configured device and the reconnect policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DevicesConfig {
    /// The first wait before reopening a device that failed or went away.
    pub reconnect_min_ms: u64,
    /// The longest wait; the delay doubles from the minimum up to this.
    pub reconnect_max_ms: u64,
    /// Serial and USB-CDC scanners.
    pub serial: Vec<SerialConfig>,
    /// USB-HID scanners claimed directly (HID POS or keyboard mode).
    pub hid: Vec<HidConfig>,
    /// Simulated devices fed from a TCP port or a file.
    pub simulator: Vec<SimulatorConfig>,
    /// UHF RFID readers speaking the ThingMagic / JADAK Mercury protocol.
    pub rfid: Vec<RfidConfig>,
}

impl Default for DevicesConfig {
    fn default() -> Self {
        DevicesConfig {
            reconnect_min_ms: 250,
            reconnect_max_ms: 30_000,
            serial: Vec::new(),
            hid: Vec::new(),
            simulator: Vec::new(),
            rfid: Vec::new(),
        }
    }
}

impl DevicesConfig {
    /// Checks what serde cannot: unique names, one way to find each port,
    /// sane limits. The message names the offending device.
    pub fn validate(&self) -> Result<(), String> {
        if self.reconnect_min_ms == 0 || self.reconnect_min_ms > self.reconnect_max_ms {
            return Err("devices: need 0 < reconnect_min_ms <= reconnect_max_ms".into());
        }
        let mut names = HashSet::new();
        for name in self.names() {
            if name.trim().is_empty() {
                return Err("devices: a device has an empty name".into());
            }
            if !names.insert(name) {
                return Err(format!("devices: the name {name:?} is used twice"));
            }
        }
        for serial in &self.serial {
            serial.validate()?;
        }
        for reader in &self.rfid {
            reader.validate()?;
        }
        for hid in &self.hid {
            if hid.max_len == 0 {
                return Err(format!("device {:?}: max_len must be positive", hid.name));
            }
        }
        for sim in &self.simulator {
            match (&sim.listen, &sim.file) {
                (Some(addr), None) if addr.ip().is_loopback() => {}
                (Some(addr), None) => {
                    return Err(format!(
                        "device {:?}: the simulator listens on loopback only, not {addr}",
                        sim.name
                    ));
                }
                (None, Some(_)) => {}
                _ => {
                    return Err(format!(
                        "device {:?}: a simulator needs exactly one of `listen` or `file`",
                        sim.name
                    ));
                }
            }
        }
        Ok(())
    }

    /// Every device's name: serial scanners, HID scanners, RFID readers,
    /// simulators.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.serial
            .iter()
            .map(|d| d.name.as_str())
            .chain(self.hid.iter().map(|d| d.name.as_str()))
            .chain(self.rfid.iter().map(|d| d.name.as_str()))
            .chain(self.simulator.iter().map(|d| d.name.as_str()))
    }

    /// The reconnect delays as durations.
    pub fn backoff(&self) -> (Duration, Duration) {
        (
            Duration::from_millis(self.reconnect_min_ms),
            Duration::from_millis(self.reconnect_max_ms),
        )
    }

    /// True when no device is configured.
    pub fn is_empty(&self) -> bool {
        self.serial.is_empty()
            && self.hid.is_empty()
            && self.simulator.is_empty()
            && self.rfid.is_empty()
    }
}

/// A USB vendor and product ID, written `vvvv:pppp` in hex as `lsusb` shows
/// them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct UsbId {
    /// The vendor ID.
    pub vendor: u16,
    /// The product ID.
    pub product: u16,
}

impl FromStr for UsbId {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || format!("{text:?} is not a USB id like \"05e0:1200\"");
        let (vendor, product) = text.split_once(':').ok_or_else(bad)?;
        let hex = |part: &str| {
            (part.len() == 4)
                .then(|| u16::from_str_radix(part, 16).ok())
                .flatten()
                .ok_or_else(bad)
        };
        Ok(UsbId {
            vendor: hex(vendor)?,
            product: hex(product)?,
        })
    }
}

impl TryFrom<String> for UsbId {
    type Error = String;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<UsbId> for String {
    fn from(id: UsbId) -> String {
        id.to_string()
    }
}

impl fmt::Display for UsbId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04x}:{:04x}", self.vendor, self.product)
    }
}

/// Parity setting of a serial line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ParityConfig {
    /// No parity bit.
    None,
    /// Odd parity.
    Odd,
    /// Even parity.
    Even,
}

/// A scanner on a serial line (RS-232 or USB-CDC `/dev/ttyACM*`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SerialConfig {
    /// The name events and the status screen use.
    pub name: String,
    /// The port, e.g. `/dev/ttyACM0` or a stable `/dev/serial/by-id/…`.
    pub path: Option<PathBuf>,
    /// Or: the first serial port of the USB device with this id.
    pub usb: Option<UsbId>,
    /// Line speed (ignored by USB-CDC scanners).
    #[serde(default = "default_baud")]
    pub baud: u32,
    /// Data bits, 5 to 8.
    #[serde(default = "default_data_bits")]
    pub data_bits: u8,
    /// Parity.
    #[serde(default = "default_parity")]
    pub parity: ParityConfig,
    /// Stop bits, 1 or 2.
    #[serde(default = "default_stop_bits")]
    pub stop_bits: u8,
    /// What ends each read.
    #[serde(default = "default_suffix")]
    pub suffix: Suffix,
    /// Text the scanner sends before each read (stripped; reads without it
    /// are rejected).
    #[serde(default)]
    pub prefix: String,
    /// The pause that ends a read when `suffix = "none"`.
    #[serde(default = "default_inter_char_timeout_ms")]
    pub inter_char_timeout_ms: u64,
    /// The longest read accepted, in bytes.
    #[serde(default = "default_max_len")]
    pub max_len: usize,
}

impl SerialConfig {
    /// A configuration with the defaults for a port at `path`.
    pub fn at_path(name: &str, path: impl Into<PathBuf>) -> SerialConfig {
        SerialConfig {
            name: name.to_owned(),
            path: Some(path.into()),
            usb: None,
            baud: default_baud(),
            data_bits: default_data_bits(),
            parity: default_parity(),
            stop_bits: default_stop_bits(),
            suffix: default_suffix(),
            prefix: String::new(),
            inter_char_timeout_ms: default_inter_char_timeout_ms(),
            max_len: default_max_len(),
        }
    }

    /// The framing rules this configuration describes.
    pub fn framer(&self) -> FramerConfig {
        FramerConfig {
            suffix: self.suffix,
            prefix: self.prefix.as_bytes().to_vec(),
            max_len: self.max_len,
            inter_char_timeout: Duration::from_millis(self.inter_char_timeout_ms),
        }
    }

    fn validate(&self) -> Result<(), String> {
        let fail = |why: &str| Err(format!("device {:?}: {why}", self.name));
        if self.path.is_some() == self.usb.is_some() {
            return fail("a serial device needs exactly one of `path` or `usb`");
        }
        if !(5..=8).contains(&self.data_bits) {
            return fail("data_bits must be 5, 6, 7 or 8");
        }
        if !(1..=2).contains(&self.stop_bits) {
            return fail("stop_bits must be 1 or 2");
        }
        if self.baud == 0 || self.max_len == 0 {
            return fail("baud and max_len must be positive");
        }
        if self.suffix == Suffix::None && self.inter_char_timeout_ms == 0 {
            return fail("suffix = \"none\" needs a positive inter_char_timeout_ms");
        }
        Ok(())
    }
}

/// A UHF RFID reader on a serial line (USB-CDC `/dev/ttyACM*` for the
/// Mercury modules' USB boards).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RfidConfig {
    /// The name events and the status screen use.
    pub name: String,
    /// The port, e.g. `/dev/ttyACM1` or a stable `/dev/serial/by-id/…`.
    pub path: Option<PathBuf>,
    /// Or: the first serial port of the USB device with this id.
    pub usb: Option<UsbId>,
    /// Line speed; Mercury modules start at 115200.
    #[serde(default = "default_rfid_baud")]
    pub baud: u32,
    /// Regulatory region name (`na`, `eu3`, `jp`, … see docs/rfid.md):
    /// the module does not transmit without one.
    pub region: String,
    /// Antenna ports to search.
    #[serde(default = "default_antennas")]
    pub antennas: Vec<u8>,
    /// Read power in centi-dBm (2700 = 27 dBm).
    #[serde(default = "default_read_power")]
    pub read_power_cdbm: u16,
    /// Length of one inventory round, in milliseconds.
    #[serde(default = "default_search_timeout_ms")]
    pub search_timeout_ms: u16,
    /// Reads of one EPC within this window are reported once.
    #[serde(default = "default_dedupe_window_ms")]
    pub dedupe_window_ms: u64,
    /// Reads are delivered in bursts (a pallet passing the door); a burst
    /// ends after this many milliseconds without a tag new to the field.
    #[serde(default = "default_burst_gap_ms")]
    pub burst_gap_ms: u64,
}

impl RfidConfig {
    /// A configuration with the defaults for a reader at `path` in
    /// `region`.
    pub fn at_path(name: &str, path: impl Into<PathBuf>, region: &str) -> RfidConfig {
        RfidConfig {
            name: name.to_owned(),
            path: Some(path.into()),
            usb: None,
            baud: default_rfid_baud(),
            region: region.to_owned(),
            antennas: default_antennas(),
            read_power_cdbm: default_read_power(),
            search_timeout_ms: default_search_timeout_ms(),
            dedupe_window_ms: default_dedupe_window_ms(),
            burst_gap_ms: default_burst_gap_ms(),
        }
    }

    /// The reader setup this configuration describes.
    pub fn reader(&self) -> Result<ReaderConfig, String> {
        let region =
            Region::from_name(&self.region).map_err(|e| format!("device {:?}: {e}", self.name))?;
        let mut reader = ReaderConfig::new(region);
        reader.antennas.clone_from(&self.antennas);
        reader.read_power_cdbm = self.read_power_cdbm;
        reader.search_timeout_ms = self.search_timeout_ms;
        Ok(reader)
    }

    fn validate(&self) -> Result<(), String> {
        let fail = |why: &str| Err(format!("device {:?}: {why}", self.name));
        if self.path.is_some() == self.usb.is_some() {
            return fail("an RFID reader needs exactly one of `path` or `usb`");
        }
        if self.antennas.is_empty() || self.antennas.contains(&0) {
            return fail("antennas must list ports numbered from 1");
        }
        if self.baud == 0
            || self.search_timeout_ms == 0
            || self.dedupe_window_ms == 0
            || self.burst_gap_ms == 0
        {
            return fail(
                "baud, search_timeout_ms, dedupe_window_ms and burst_gap_ms must be positive",
            );
        }
        self.reader().map(|_| ())
    }
}

/// How a USB-HID scanner presents its reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HidMode {
    /// HID POS (usage page 0x8C) scanned-data reports.
    Pos,
    /// Keyboard boot-protocol reports.
    Keyboard,
}

/// A USB-HID scanner Lotline claims from the kernel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HidConfig {
    /// The name events and the status screen use.
    pub name: String,
    /// The scanner's USB id.
    pub usb: UsbId,
    /// Report format.
    pub mode: HidMode,
    /// The interface to claim; default: the first HID interface.
    pub interface: Option<u8>,
    /// The keyboard layout the scanner emulates (keyboard mode).
    #[serde(default)]
    pub layout: Layout,
    /// The longest read accepted, in bytes.
    #[serde(default = "default_max_len")]
    pub max_len: usize,
}

impl HidConfig {
    /// A configuration with the defaults for the scanner `usb` in `mode`.
    pub fn new(name: &str, usb: UsbId, mode: HidMode) -> HidConfig {
        HidConfig {
            name: name.to_owned(),
            usb,
            mode,
            interface: None,
            layout: Layout::default(),
            max_len: default_max_len(),
        }
    }
}

/// A simulated device for demos and tests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimulatorConfig {
    /// The name events and the status screen use.
    pub name: String,
    /// Listen for line-protocol clients on this loopback address (port 0
    /// picks a free port, shown in the status).
    pub listen: Option<SocketAddr>,
    /// Or: read the line protocol from this file once.
    pub file: Option<PathBuf>,
}

fn default_baud() -> u32 {
    9600
}
fn default_data_bits() -> u8 {
    8
}
fn default_parity() -> ParityConfig {
    ParityConfig::None
}
fn default_stop_bits() -> u8 {
    1
}
fn default_suffix() -> Suffix {
    Suffix::Cr
}
fn default_inter_char_timeout_ms() -> u64 {
    50
}
fn default_max_len() -> usize {
    4096
}
fn default_rfid_baud() -> u32 {
    115_200
}
fn default_antennas() -> Vec<u8> {
    vec![1]
}
fn default_read_power() -> u16 {
    2700
}
fn default_search_timeout_ms() -> u16 {
    250
}
fn default_dedupe_window_ms() -> u64 {
    2000
}
fn default_burst_gap_ms() -> u64 {
    super::rfid::driver::DEFAULT_BURST_GAP_MS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<DevicesConfig, String> {
        let config: DevicesConfig = toml::from_str(text).map_err(|e| e.to_string())?;
        config.validate()?;
        Ok(config)
    }

    #[test]
    fn full_section_parses_with_defaults() {
        let config = parse(
            r#"
            reconnect_max_ms = 5000
            [[serial]]
            name = "dock"
            path = "/dev/ttyACM0"
            suffix = "crlf"
            [[serial]]
            name = "usb"
            usb = "05e0:1200"
            parity = "even"
            data_bits = 7
            [[hid]]
            name = "hid"
            usb = "0C2E:0B61"
            mode = "keyboard"
            layout = "de"
            [[simulator]]
            name = "sim"
            listen = "127.0.0.1:0"
            [[rfid]]
            name = "door"
            path = "/dev/ttyACM1"
            region = "eu3"
            antennas = [1, 2]
            "#,
        )
        .unwrap();
        assert_eq!(config.rfid[0].baud, 115_200);
        assert_eq!(config.rfid[0].dedupe_window_ms, 2000);
        assert_eq!(config.rfid[0].burst_gap_ms, 500);
        assert_eq!(config.rfid[0].reader().unwrap().antennas, [1, 2]);
        assert_eq!(config.reconnect_min_ms, 250);
        assert_eq!(config.serial[0].baud, 9600);
        assert_eq!(config.serial[0].suffix, Suffix::Crlf);
        assert_eq!(
            config.serial[1].usb,
            Some(UsbId {
                vendor: 0x05e0,
                product: 0x1200
            })
        );
        assert_eq!(config.hid[0].usb.to_string(), "0c2e:0b61");
        assert_eq!(config.hid[0].layout, Layout::De);
        assert!(!config.is_empty());
    }

    #[test]
    fn mistakes_name_the_device() {
        let cases = [
            (
                "[[serial]]\nname = \"a\"\n",
                "exactly one of `path` or `usb`",
            ),
            (
                "[[rfid]]\nname = \"r\"\npath = \"/x\"\nregion = \"mars\"\n",
                "mars",
            ),
            (
                "[[rfid]]\nname = \"r\"\npath = \"/x\"\nregion = \"na\"\nantennas = [0]\n",
                "antennas",
            ),
            (
                "[[rfid]]\nname = \"r\"\npath = \"/x\"\nregion = \"na\"\nburst_gap_ms = 0\n",
                "burst_gap_ms must be positive",
            ),
            (
                "[[serial]]\nname = \"a\"\npath = \"/x\"\ndata_bits = 9\n",
                "data_bits",
            ),
            (
                "[[serial]]\nname = \"a\"\npath = \"/x\"\n[[simulator]]\nname = \"a\"\nfile = \"f\"\n",
                "used twice",
            ),
            (
                "[[simulator]]\nname = \"s\"\nlisten = \"0.0.0.0:7000\"\n",
                "loopback only",
            ),
            (
                "[[simulator]]\nname = \"s\"\n",
                "exactly one of `listen` or `file`",
            ),
            (
                "[[hid]]\nname = \"h\"\nusb = \"5e0:1\"\nmode = \"pos\"\n",
                "not a USB id",
            ),
            ("reconnect_min_ms = 0\n", "reconnect_min_ms"),
            (
                "[[serial]]\nname = \"a\"\npath = \"/x\"\nspeed = 1\n",
                "speed",
            ),
        ];
        for (text, expected) in cases {
            let err = parse(text).unwrap_err();
            assert!(err.contains(expected), "{text}: {err}");
        }
    }
}
