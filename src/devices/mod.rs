//! Device input: scanners and readers on their own threads, delivering
//! [`event::DeviceEvent`]s to the engine over a crossbeam channel.
//!
//! * [`event`]: the one event type every device sends.
//! * [`framer`]: cutting a byte stream into scans (suffix, prefix, pause).
//! * [`serial`]: serial and USB-CDC scanners.
//! * [`hid`]: USB-HID scanners (HID POS and keyboard reports).
//! * [`wedge`]: telling a keyboard-wedge scan from a person typing.
//! * [`simulator`]: scans and tag reads from a TCP port or a file.
//! * [`rfid`]: UHF RFID readers speaking the ThingMagic / JADAK Mercury
//!   serial protocol, with read dedupe, bursts and pallet grouping.
//! * [`rfid_reader`]: an RFID reader run as a supervised device.
//! * [`supervisor`]: a thread per device, reconnect with backoff, status.
//! * [`listing`]: what is plugged in, for `lotline devices`.

pub mod config;
pub mod event;
pub mod framer;
pub mod hid;
pub mod listing;
pub mod rfid;
pub mod rfid_reader;
pub mod serial;
pub mod session;
pub mod simulator;
pub mod status;
pub mod supervisor;
pub mod wedge;

pub use config::DevicesConfig;
pub use event::{DeviceEvent, ScanRead, TagBurst, TagRead};
pub use supervisor::Supervisor;
