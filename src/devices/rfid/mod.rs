//! UHF RFID readers speaking the ThingMagic/JADAK Mercury serial protocol
//! (M6e, M5e, Sargas, Nano modules; reached over USB-CDC as
//! `/dev/ttyACM*`).
//!
//! Layers, bottom up: [`crc`] and [`frame`] (bytes to CRC-checked frames),
//! [`status`] (the reader's status words as typed errors), [`command`]
//! and [`tag`] (the layouts of the commands and tag records used),
//! [`session`] (configure and run a synchronous inventory),
//! [`dedupe`] (one aggregate per EPC per window), [`burst`] (the
//! aggregates of one pallet passing, delivered together), [`driver`] (the
//! reader thread and its events), [`pallet`] (EPC decoding and the (GTIN,
//! count) groups of a bulk receipt), and [`simulator`] (a reader in
//! software for tests and demos).

pub mod burst;
pub mod command;
pub mod crc;
pub mod dedupe;
pub mod driver;
pub mod frame;
pub mod pallet;
pub mod session;
pub mod simulator;
pub mod status;
pub mod tag;
