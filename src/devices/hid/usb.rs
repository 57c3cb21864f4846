//! Claiming a USB-HID scanner with libusb (vendored through `rusb`):
//! find it by vendor and product ID, detach the kernel's HID driver so the
//! scanner stops typing into the desktop, claim the interface, read its
//! interrupt endpoint, and hand the interface back to the kernel on drop.

use std::time::Duration;

use anyhow::{Context as _, Result, anyhow, bail};
use rusb::{Context, Device, DeviceHandle, Direction, TransferType, UsbContext};

use crate::devices::config::UsbId;

/// The USB interface class of HID devices.
pub const HID_CLASS: u8 = 0x03;

/// What one interrupt read gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadOutcome {
    /// A report of this many bytes.
    Report(usize),
    /// Nothing within the timeout.
    Nothing,
    /// The device is gone or broken; the reason.
    Gone(String),
}

/// An open scanner interface, released (and given back to the kernel
/// driver) when dropped.
pub struct ClaimedInterface {
    handle: DeviceHandle<Context>,
    interface: u8,
    endpoint: u8,
    reattach: bool,
}

impl std::fmt::Debug for ClaimedInterface {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClaimedInterface")
            .field("interface", &self.interface)
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

impl ClaimedInterface {
    /// Finds the device `id` and claims `interface` (default: its first HID
    /// interface). Fails with a message saying what is missing: libusb, the
    /// device, a HID interface, or the permission to open it.
    pub fn open(id: UsbId, interface: Option<u8>) -> Result<ClaimedInterface> {
        let context = context()?;
        let device = find(&context, id)?;
        let (number, endpoint) =
            hid_interface(&device, interface).with_context(|| format!("USB device {id}"))?;
        let handle = device.open().with_context(|| {
            format!("cannot open the USB device {id} (is the udev rule installed and the user in the `lotline` group?)")
        })?;
        let reattach = handle.kernel_driver_active(number).unwrap_or(false);
        if reattach {
            handle
                .detach_kernel_driver(number)
                .with_context(|| format!("cannot detach the kernel driver from {id}"))?;
        }
        // From here on, dropping `claimed` gives the interface back.
        let claimed = ClaimedInterface {
            handle,
            interface: number,
            endpoint,
            reattach,
        };
        claimed
            .handle
            .claim_interface(number)
            .with_context(|| format!("cannot claim interface {number} of {id}"))?;
        tracing::info!(%id, interface = number, endpoint, "USB-HID scanner claimed");
        Ok(claimed)
    }

    /// Reads one input report into `buf`, waiting at most `timeout`.
    pub fn read(&self, buf: &mut [u8], timeout: Duration) -> ReadOutcome {
        match self.handle.read_interrupt(self.endpoint, buf, timeout) {
            Ok(n) => ReadOutcome::Report(n),
            Err(rusb::Error::Timeout | rusb::Error::Interrupted) => ReadOutcome::Nothing,
            Err(e) => ReadOutcome::Gone(format!("USB read failed: {e}")),
        }
    }
}

impl Drop for ClaimedInterface {
    fn drop(&mut self) {
        // Errors are expected here when the device was unplugged.
        let _ = self.handle.release_interface(self.interface);
        if self.reattach {
            let _ = self.handle.attach_kernel_driver(self.interface);
        }
    }
}

/// A libusb context, or an error that says where to look.
pub fn context() -> Result<Context> {
    Context::new().context("cannot initialise libusb (is /dev/bus/usb present and readable?)")
}

/// The device with `id`, or an error naming it.
fn find(context: &Context, id: UsbId) -> Result<Device<Context>> {
    let devices = context.devices().context("cannot list USB devices")?;
    for device in devices.iter() {
        let Ok(descriptor) = device.device_descriptor() else {
            continue;
        };
        if descriptor.vendor_id() == id.vendor && descriptor.product_id() == id.product {
            return Ok(device);
        }
    }
    bail!("no USB device {id} is connected")
}

/// The interface number and interrupt IN endpoint of the HID interface to
/// claim.
fn hid_interface(device: &Device<Context>, wanted: Option<u8>) -> Result<(u8, u8)> {
    let config = device
        .active_config_descriptor()
        .context("cannot read the configuration descriptor")?;
    for interface in config.interfaces() {
        for alt in interface.descriptors() {
            let number = alt.interface_number();
            if alt.class_code() != HID_CLASS || wanted.is_some_and(|w| w != number) {
                continue;
            }
            let endpoint = alt.endpoint_descriptors().find(|e| {
                e.direction() == Direction::In && e.transfer_type() == TransferType::Interrupt
            });
            if let Some(endpoint) = endpoint {
                return Ok((number, endpoint.address()));
            }
        }
    }
    Err(match wanted {
        Some(number) => anyhow!("interface {number} is not a HID interface with an input endpoint"),
        None => anyhow!("no HID interface with an input endpoint"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_absent_device_fails_with_a_clear_error() {
        // No scanner is attached here (and in a container there may be no
        // USB bus at all): either way the error says what is missing.
        let id: UsbId = "05e0:fffe".parse().unwrap();
        let message = format!("{:#}", ClaimedInterface::open(id, None).unwrap_err());
        assert!(
            message.contains("no USB device 05e0:fffe is connected")
                || message.contains("libusb")
                || message.contains("cannot list USB devices"),
            "{message}"
        );
    }
}
