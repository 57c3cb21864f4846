//! The workflow engine: what a person with a scanner does all day, as a
//! UI-agnostic, deterministic state machine over the journal.
//!
//! Input is scans (the data as the scanner sent it), bursts of RFID tags
//! (the EPCs a reader saw of one pallet) and [`Action`]s, each with the
//! time it happened (the clock is injected, so tests and replays are
//! exact). Output is [`Feedback`]: ok, warn, block or prompt, a message
//! and details, and the ids of the events recorded. A block records nothing
//! and leaves the task where it was. The touchscreen UI and `lotline
//! headless` are thin front ends over [`Engine`].
//!
//! One file per concern: [`engine`] (session, tasks, recording),
//! [`feedback`], [`action`], [`signin`], `receive`, `putaway` (and moves),
//! `orders` (the open-orders list), `pick`, `pack`, `ship`,
//! `outbound_rules` (lot rules shared by pick, pack and ship), `hold`
//! (hold / release), `expiry` (alerts), `count` (cycle count), `returns`,
//! `lot_lookup`, `tag_burst` (RFID bursts for receiving), `undo`,
//! [`lot_pattern`], [`carton_numbering`], [`manual_entry`], [`settings`]; [`worker`] runs an engine on its own
//! thread for the UI and the devices.

pub mod action;
pub mod carton_numbering;
mod count;
pub mod engine;
mod expiry;
pub mod feedback;
mod hold;
mod item;
mod lot_lookup;
pub mod lot_pattern;
pub mod manual_entry;
pub mod orders;
mod outbound_rules;
mod pack;
mod pick;
mod putaway;
mod receive;
mod returns;
pub mod session;
pub mod settings;
mod ship;
pub mod signin;
mod tag_burst;
mod undo;
mod words;
pub mod worker;

#[cfg(test)]
mod tests;

pub use action::Action;
pub use carton_numbering::{CartonNumbering, NumberingError};
pub use engine::Engine;
pub use feedback::{Ask, Feedback, Level};
pub use lot_pattern::LotPattern;
pub use orders::{OpenOrder, OrderStep, open_orders};
pub use session::{Session, TaskKind};
pub use settings::{ShortShelfLife, WorkflowSettings};
pub use signin::{Role, SignedIn};
pub use worker::{EngineWorker, Input};
