//! Lotline: an offline-first lot-tracking terminal for warehouses.
//!
//! The library holds everything the two binaries (`lotline`, the terminal, and
//! `lotline-server`, the central server) share. Each module has one concern:
//!
//! * [`scan`] turns what a scanner or RFID reader delivered into one normalized
//!   identity (GTIN, lot, expiry, serial, SSCC, GLN, quantity, measures).
//! * [`journal`] is the append-only, hash-chained SQLite record of events,
//!   with reference data, projections and the lot queries.
//! * [`workflow`] is the engine behind every task (sign-in, receive,
//!   putaway, pick, pack, ship, counts, returns, holds, lot lookup, undo):
//!   scans and actions in, feedback out.
//! * [`atomic_file`] replaces a small file whole or not at all.
//! * [`backoff`] is the doubling retry delay devices and sync share.
//! * [`config`] finds and reads the TOML configuration and the data directory;
//!   [`workflow_config`] is its `[workflow]` section, [`site_config`] its
//!   `[site]` section.
//! * [`devices`] runs scanners, readers and the simulator on their own
//!   threads and delivers their reads as events.
//! * [`protocol`] is the wire format between terminals and the server;
//!   [`sync`] is the terminal's client of it.
//! * [`server`] is the server: HTTP API, ingest rules, SQLite/PostgreSQL
//!   storage, TLS.
//! * [`traceability`] answers recalls and audits from events: trace,
//!   stock, expiry, EPCIS 2.0 and FSMA 204 exports, reference imports.
//! * [`text`] is the operator's sentences, in English and translated.
//! * [`cli`] implements the terminal's subcommands.
//! * [`ui`] is the Slint glue for the touchscreen window.

pub mod atomic_file;
pub mod backoff;
pub mod cli;
pub mod config;
pub mod devices;
pub mod journal;
pub mod logging;
pub mod protocol;
pub mod scan;
pub mod server;
pub mod site_config;
pub mod sync;
pub mod text;
pub mod traceability;
pub mod ui;
pub mod workflow;
pub mod workflow_config;
