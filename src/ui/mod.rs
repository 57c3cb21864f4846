//! The touchscreen terminal: thin Slint glue between the screens in
//! `ui/*.slint` and the workflow engine.
//!
//! [`terminal`] opens the window over the engine (on its own thread), the
//! devices and the sync service; [`run`] shows it and runs the event loop.
//! What the window shows is decided in modules free of Slint where it can
//! be: [`present`] (how an answer is shown), [`board`] (the session and
//! lists gathered on the engine's thread), [`commands`] (buttons to engine
//! actions), [`typed_scan`] (typed text as scanner data), [`sync_line`],
//! [`devices_view`]. [`first_start`] offers the demo warehouse on an empty
//! journal, [`wedge_input`] makes a keyboard-wedge scanner's burst a scan
//! wherever the focus is, [`sound`] plays each answer's cue, and
//! [`language`] chooses the language of both the window and the answers.

pub mod board;
pub mod commands;
pub mod device_setup;
pub mod devices_view;
pub mod first_start;
pub mod language;
pub mod present;
pub mod sound;
pub mod sync_line;
pub mod terminal;
pub mod typed_scan;
pub mod wedge_input;

use std::rc::Rc;
use std::time::Instant;

use crate::sync::SyncStatus;
pub use first_start::DemoOffer;
pub use language::{LANGUAGES, select_language};
pub use terminal::{Answer, Clock, Terminal, TerminalOptions};

slint::include_modules!();

/// Opens the terminal (see [`Terminal::open`]), starts the devices and,
/// on an enrolled terminal, the background sync, and runs the event loop
/// until the window is closed; then stops them.
pub fn run(options: TerminalOptions) -> anyhow::Result<()> {
    let terminal = Terminal::open(options, Rc::new(chrono::Utc::now), Rc::new(Instant::now))?;
    terminal.start_background()?;
    tracing::info!("ready to scan");
    terminal.window().run()?;
    terminal.stop();
    Ok(())
}

/// A count or quantity as Slint's `int`, saturating at its largest (the
/// screens show counts of things, never negative).
pub(crate) fn slint_int(n: impl TryInto<i32>) -> i32 {
    n.try_into().unwrap_or(i32::MAX)
}

/// Shows `status` in the window's sync line, times in local time.
pub fn show_sync_status(window: &MainWindow, status: &SyncStatus) {
    window.set_sync(sync_line::sync_info(status, &chrono::Local::now()));
}
