//! Scanners and readers set up on the terminal itself: a supervisor adds
//! or removes them on the Settings screen, on site, without editing the
//! configuration file (which the terminal's user may not even be allowed
//! to write). The list is kept in the data directory as `devices.toml`
//! (the `[devices]` section's format); once written it replaces the
//! configuration file's `[devices]` for this terminal. Every change is
//! validated as the configuration file is, before anything is kept.

use std::path::Path;
use std::str::FromStr;

use anyhow::Context;

use crate::atomic_file;
use crate::devices::DevicesConfig;
use crate::devices::config::{
    HidConfig, HidMode, RfidConfig, SerialConfig, SimulatorConfig, UsbId,
};
use crate::text;
use crate::text::Text;

/// The terminal's own device list in the data directory.
pub const FILE: &str = "devices.toml";

/// What kind of device the Settings form adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A serial or USB-CDC scanner: at a port path or a USB id.
    Serial,
    /// A UHF RFID reader: at a port path or a USB id, in a region.
    Rfid,
    /// A USB-HID scanner in HID POS mode: its USB id.
    HidPos,
    /// A USB-HID scanner in keyboard mode: its USB id.
    HidKeyboard,
    /// A simulator listening on a loopback address (for trials).
    Simulator,
}

/// The devices this terminal runs: its own list when one was kept, else
/// `configured` (the configuration file's). A kept list that cannot be
/// read or is not valid is an error naming the file.
pub fn load(data_dir: &Path, configured: &DevicesConfig) -> anyhow::Result<DevicesConfig> {
    let path = data_dir.join(FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(configured.clone()),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let devices: DevicesConfig =
        toml::from_str(&text).with_context(|| format!("invalid device list {}", path.display()))?;
    devices
        .validate()
        .map_err(|e| anyhow::anyhow!("invalid device list {}: {e}", path.display()))?;
    Ok(devices)
}

/// Keeps `devices` as this terminal's list (a power cut leaves the old
/// list or the new one, see [`atomic_file`]).
pub fn keep(data_dir: &Path, devices: &DevicesConfig) -> anyhow::Result<()> {
    let path = data_dir.join(FILE);
    let text = toml::to_string(devices).context("cannot write the device list")?;
    atomic_file::replace(&path, text.as_bytes(), None)
        .with_context(|| format!("cannot write {}", path.display()))
}

/// `devices` with a `kind` device named `name` at `at` (a port path, a
/// USB id `vvvv:pppp`, or for a simulator a loopback address); `region`
/// is the RFID reader's. A device the configuration would refuse is
/// refused with the reason.
pub fn add(
    devices: &DevicesConfig,
    kind: Kind,
    name: &str,
    at: &str,
    region: &str,
) -> Result<DevicesConfig, Text> {
    let (name, at) = (name.trim(), at.trim());
    if name.is_empty() || at.is_empty() {
        return Err(text!("Give the device a name and say where it is"));
    }
    let usb = UsbId::from_str(at).ok();
    let mut next = devices.clone();
    match kind {
        Kind::Serial => next.serial.push(SerialConfig {
            usb,
            path: usb.is_none().then(|| at.into()),
            ..SerialConfig::at_path(name, at)
        }),
        Kind::Rfid => next.rfid.push(RfidConfig {
            usb,
            path: usb.is_none().then(|| at.into()),
            ..RfidConfig::at_path(name, at, region.trim())
        }),
        Kind::HidPos | Kind::HidKeyboard => {
            let usb = UsbId::from_str(at).map_err(|e| {
                text!(
                    "\"{at}\" is not a USB id (vvvv:pppp, as lsusb shows it): {error}",
                    at,
                    error = e.to_string()
                )
            })?;
            let mode = if kind == Kind::HidPos {
                HidMode::Pos
            } else {
                HidMode::Keyboard
            };
            next.hid.push(HidConfig::new(name, usb, mode));
        }
        Kind::Simulator => {
            let listen = at
                .parse()
                .map_err(|_| text!("\"{at}\" is not an address such as 127.0.0.1:7001", at))?;
            next.simulator.push(SimulatorConfig {
                name: name.to_owned(),
                listen: Some(listen),
                file: None,
            });
        }
    }
    next.validate()
        .map_err(|e| text!("Not added: {reason}", reason = e))?;
    Ok(next)
}

/// `devices` without the device named `name`.
pub fn remove(devices: &DevicesConfig, name: &str) -> Result<DevicesConfig, Text> {
    let mut next = devices.clone();
    next.serial.retain(|d| d.name != name);
    next.rfid.retain(|d| d.name != name);
    next.hid.retain(|d| d.name != name);
    next.simulator.retain(|d| d.name != name);
    if next == *devices {
        return Err(text!("No device is named \"{name}\"", name));
    }
    Ok(next)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    /// A list of just this device.
    fn only(kind: Kind, name: &str, at: &str, region: &str) -> DevicesConfig {
        add(&DevicesConfig::default(), kind, name, at, region).unwrap()
    }

    #[test]
    fn adds_each_kind_where_the_form_says() {
        let none = DevicesConfig::default();
        let devices = add(&none, Kind::Serial, "dock", "/dev/ttyACM0", "").unwrap();
        assert_eq!(devices.serial[0].path, Some(PathBuf::from("/dev/ttyACM0")));
        assert_eq!(devices.serial[0].usb, None);
        let devices = add(&devices, Kind::Serial, "belt", "05e0:1200", "").unwrap();
        assert_eq!(devices.serial[1].path, None);
        assert_eq!(devices.serial[1].usb.unwrap().to_string(), "05e0:1200");
        let devices = add(&devices, Kind::Rfid, "gate", "/dev/ttyUSB0", "eu3").unwrap();
        assert_eq!(devices.rfid[0].region, "eu3");
        let devices = add(&devices, Kind::HidKeyboard, "wedge", "0c2e:0b61", "").unwrap();
        assert_eq!(devices.hid[0].mode, HidMode::Keyboard);
        let devices = add(&devices, Kind::Simulator, "sim", "127.0.0.1:0", "").unwrap();
        assert_eq!(
            devices.simulator[0].listen,
            Some("127.0.0.1:0".parse().unwrap())
        );
        assert!(devices.names().eq(["dock", "belt", "wedge", "gate", "sim"]));
    }

    #[test]
    fn refuses_what_the_configuration_would_refuse() {
        let devices = only(Kind::Serial, "dock", "/dev/ttyACM0", "");
        let twice = add(&devices, Kind::Simulator, "dock", "127.0.0.1:0", "").unwrap_err();
        assert!(twice.contains("used twice"), "{twice}");
        let region = add(&devices, Kind::Rfid, "gate", "/dev/ttyUSB0", "mars").unwrap_err();
        assert!(region.contains("mars"), "{region}");
        let usb = add(&devices, Kind::HidPos, "wedge", "/dev/hidraw0", "").unwrap_err();
        assert!(usb.contains("not a USB id"), "{usb}");
        let outside = add(&devices, Kind::Simulator, "sim", "10.0.0.1:7001", "").unwrap_err();
        assert!(outside.contains("loopback"), "{outside}");
        assert!(add(&devices, Kind::Serial, " ", "/dev/x", "").is_err());
        assert!(add(&devices, Kind::Serial, "x", "", "").is_err());
    }

    #[test]
    fn removes_by_name() {
        let devices = only(Kind::Simulator, "sim", "127.0.0.1:0", "");
        assert!(remove(&devices, "sim").unwrap().is_empty());
        assert!(remove(&devices, "other").unwrap_err().contains("other"));
    }

    #[test]
    fn a_kept_list_replaces_the_configured_one() {
        let dir = tempfile::tempdir().unwrap();
        let configured = only(Kind::Serial, "dock", "/dev/ttyACM0", "");
        assert_eq!(load(dir.path(), &configured).unwrap(), configured);
        let own = only(Kind::Rfid, "gate", "05e0:1200", "na2");
        keep(dir.path(), &own).unwrap();
        assert_eq!(load(dir.path(), &configured).unwrap(), own);
        keep(dir.path(), &DevicesConfig::default()).unwrap();
        assert!(
            load(dir.path(), &configured).unwrap().is_empty(),
            "an emptied list stays empty"
        );
    }

    #[test]
    fn a_broken_kept_list_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE), "[[serial]]\nname = 3\n").unwrap();
        let e = load(dir.path(), &DevicesConfig::default()).unwrap_err();
        assert!(format!("{e:#}").contains(FILE), "{e:#}");
    }
}
