//! The devices screen's rows: each configured scanner or reader with its
//! link state from the supervisor's status board, and the configuration
//! lines the settings screen lists.

use crate::devices::DevicesConfig;
use crate::devices::config::UsbId;
use crate::devices::status::{DeviceStatus, LinkState};
use crate::text;
use crate::text::Text;

use super::{DeviceRow, DeviceState, slint_int};

/// The row of one device's status.
pub fn device_row(status: &DeviceStatus) -> DeviceRow {
    let (state, why) = match &status.state {
        LinkState::Starting => (DeviceState::Starting, None),
        LinkState::Connected => (DeviceState::Connected, None),
        LinkState::Disconnected { reason } => (DeviceState::Disconnected, Some(reason)),
        LinkState::Error { message } => (DeviceState::Error, Some(message)),
        LinkState::Stopped => (DeviceState::Stopped, None),
    };
    let detail = [why, status.detail.as_ref()]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join("; ");
    DeviceRow {
        name: status.name.as_str().into(),
        kind: status.kind.into(),
        state,
        detail: detail.into(),
        scans: slint_int(status.scans),
        tag_reads: slint_int(status.tag_reads),
        errors: slint_int(status.errors),
    }
}

/// Each configured device's name and its line: name, kind and where it
/// is (to be shown in the window's language).
pub fn configured(config: &DevicesConfig) -> Vec<(String, Text)> {
    let place = |path: &Option<std::path::PathBuf>, usb: &Option<UsbId>| match (path, usb) {
        (Some(path), _) => path.display().to_string(),
        (None, Some(usb)) => format!("USB {usb}"),
        (None, None) => String::from("?"),
    };
    let serial = config.serial.iter().map(|s| {
        let line = text!(
            "{name}: serial scanner at {place}",
            name = &s.name,
            place = place(&s.path, &s.usb)
        );
        (s.name.clone(), line)
    });
    let hid = config.hid.iter().map(|h| {
        let line = text!(
            "{name}: USB HID scanner {usb}",
            name = &h.name,
            usb = h.usb.to_string()
        );
        (h.name.clone(), line)
    });
    let rfid = config.rfid.iter().map(|r| {
        let line = text!(
            "{name}: RFID reader at {place}",
            name = &r.name,
            place = place(&r.path, &r.usb)
        );
        (r.name.clone(), line)
    });
    let simulator = config.simulator.iter().map(|s| {
        let line = match (&s.listen, &s.file) {
            (Some(listen), _) => text!(
                "{name}: simulator on {listen}",
                name = &s.name,
                listen = listen.to_string()
            ),
            (None, Some(file)) => text!(
                "{name}: simulator from {file}",
                name = &s.name,
                file = file.display().to_string()
            ),
            (None, None) => text!("{name}: simulator", name = &s.name),
        };
        (s.name.clone(), line)
    });
    serial.chain(hid).chain(rfid).chain(simulator).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_disconnected_device_says_why() {
        let board = crate::devices::status::StatusBoard::default();
        board.register("dock", "serial");
        board.set_state(
            "dock",
            LinkState::Disconnected {
                reason: "unplugged".into(),
            },
        );
        let row = device_row(&board.get("dock").unwrap());
        assert_eq!(row.state, DeviceState::Disconnected);
        assert_eq!(row.detail, "unplugged");
        assert_eq!(row.kind, "serial");
    }

    #[test]
    fn lists_every_configured_device() {
        let config: DevicesConfig = toml::from_str(
            r#"
            [[serial]]
            name = "dock"
            path = "/dev/ttyACM0"
            [[simulator]]
            name = "sim"
            listen = "127.0.0.1:0"
            "#,
        )
        .unwrap();
        let lines: Vec<_> = configured(&config)
            .into_iter()
            .map(|(name, line)| format!("{name} | {line}"))
            .collect();
        assert_eq!(
            lines,
            [
                "dock | dock: serial scanner at /dev/ttyACM0",
                "sim | sim: simulator on 127.0.0.1:0"
            ]
        );
    }
}
