//! What hardware is plugged in, for `lotline devices`: serial ports and USB
//! devices, which of them look like scanners or readers, and which
//! configured device each one is.

use std::path::Path;

use anyhow::{Context as _, Result};
use rusb::UsbContext;
use serialport::SerialPortType;

use super::config::{DevicesConfig, UsbId};
use super::hid::usb::HID_CLASS;

/// USB vendors whose devices are barcode scanners (from the USB ID
/// repository, `usb.ids`).
const SCANNER_VENDORS: &[(u16, &str)] = &[
    (0x05e0, "Symbol/Zebra scanner"),
    (0x0c2e, "Metrologic/Honeywell scanner"),
    (0x05f9, "PSC/Datalogic scanner"),
    (0x080c, "Datalogic scanner"),
    (0x1eab, "Newland scanner"),
];
/// The interface class of USB-CDC data (serial emulation).
const CDC_CLASSES: [u8; 2] = [0x02, 0x0a];

/// A serial port that is present.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortEntry {
    /// The device path, e.g. `/dev/ttyACM0`.
    pub path: String,
    /// The USB device it belongs to, when known.
    pub usb: Option<UsbId>,
    /// Manufacturer and product strings, when known.
    pub description: Option<String>,
}

/// A USB device that is present.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsbEntry {
    /// Vendor and product ID.
    pub id: UsbId,
    /// Bus number.
    pub bus: u8,
    /// Address on the bus.
    pub address: u8,
    /// Whether it has a HID interface.
    pub hid: bool,
    /// Whether it has a USB-CDC (serial) interface.
    pub cdc: bool,
}

impl UsbEntry {
    /// What the device probably is, if it looks like something Lotline can
    /// use.
    pub fn looks_like(&self) -> Option<&'static str> {
        looks_like(self.id, self.hid, self.cdc)
    }
}

/// A guess from the vendor and the interfaces.
pub fn looks_like(id: UsbId, hid: bool, cdc: bool) -> Option<&'static str> {
    if let Some((_, what)) = SCANNER_VENDORS.iter().find(|(v, _)| *v == id.vendor) {
        return Some(what);
    }
    match (hid, cdc) {
        (_, true) => Some("serial device (scanner or RFID reader in USB-CDC mode?)"),
        _ => None,
    }
}

/// The serial ports the system reports.
pub fn serial_ports() -> Result<Vec<PortEntry>> {
    let ports = super::serial::available_ports()?;
    Ok(ports
        .into_iter()
        .map(|port| match port.port_type {
            SerialPortType::UsbPort(usb) => {
                let text: Vec<String> = [usb.manufacturer, usb.product]
                    .into_iter()
                    .flatten()
                    .collect();
                PortEntry {
                    path: port.port_name,
                    usb: Some(UsbId {
                        vendor: usb.vid,
                        product: usb.pid,
                    }),
                    description: (!text.is_empty()).then(|| text.join(" ")),
                }
            }
            _ => PortEntry {
                path: port.port_name,
                usb: None,
                description: None,
            },
        })
        .collect())
}

/// The USB devices libusb sees.
pub fn usb_devices() -> Result<Vec<UsbEntry>> {
    let context = super::hid::usb::context()?;
    let devices = context.devices().context("cannot list USB devices")?;
    let mut entries = Vec::new();
    for device in devices.iter() {
        let Ok(descriptor) = device.device_descriptor() else {
            continue;
        };
        let (mut hid, mut cdc) = (false, false);
        if let Ok(config) = device.active_config_descriptor() {
            for interface in config.interfaces() {
                for alt in interface.descriptors() {
                    hid |= alt.class_code() == HID_CLASS;
                    cdc |= CDC_CLASSES.contains(&alt.class_code());
                }
            }
        }
        entries.push(UsbEntry {
            id: UsbId {
                vendor: descriptor.vendor_id(),
                product: descriptor.product_id(),
            },
            bus: device.bus_number(),
            address: device.address(),
            hid,
            cdc,
        });
    }
    Ok(entries)
}

/// The configured devices a serial port is (by path, symlinks resolved, or
/// by USB id).
pub fn configured_for_port(config: &DevicesConfig, port: &PortEntry) -> Vec<String> {
    let port_path = canonical(Path::new(&port.path));
    config
        .serial
        .iter()
        .filter(|serial| {
            let by_path = serial
                .path
                .as_deref()
                .is_some_and(|p| canonical(p) == port_path);
            let by_usb = serial.usb.is_some() && serial.usb == port.usb;
            by_path || by_usb
        })
        .map(|serial| serial.name.clone())
        .collect()
}

/// The configured devices a USB device is.
pub fn configured_for_usb(config: &DevicesConfig, id: UsbId) -> Vec<String> {
    let hid = config.hid.iter().filter(|h| h.usb == id).map(|h| &h.name);
    let serial = config
        .serial
        .iter()
        .filter(|s| s.usb == Some(id))
        .map(|s| &s.name);
    let rfid = config
        .rfid
        .iter()
        .filter(|r| r.usb == Some(id))
        .map(|r| &r.name);
    hid.chain(serial).chain(rfid).cloned().collect()
}

fn canonical(path: &Path) -> std::path::PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::devices::config::SerialConfig;

    #[test]
    fn known_vendors_and_cdc_devices_look_usable() {
        let zebra: UsbId = "05e0:1200".parse().unwrap();
        assert_eq!(looks_like(zebra, true, false), Some("Symbol/Zebra scanner"));
        let other: UsbId = "1234:5678".parse().unwrap();
        assert!(looks_like(other, false, true).unwrap().contains("USB-CDC"));
        assert_eq!(looks_like(other, true, false), None);
    }

    #[test]
    fn ports_match_configured_devices_by_path_symlink_or_usb_id() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("ttyACM7");
        std::fs::write(&target, "").unwrap();
        let link = dir.path().join("by-id-scanner");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let id: UsbId = "0c2e:0b61".parse().unwrap();
        let mut by_usb = SerialConfig::at_path("b", "/nowhere");
        by_usb.path = None;
        by_usb.usb = Some(id);
        let config = DevicesConfig {
            serial: vec![SerialConfig::at_path("a", &link), by_usb],
            ..DevicesConfig::default()
        };
        let port = PortEntry {
            path: target.to_string_lossy().into_owned(),
            usb: Some(id),
            description: None,
        };
        assert_eq!(configured_for_port(&config, &port), ["a", "b"]);
        assert_eq!(configured_for_usb(&config, id), ["b"]);
    }
}
