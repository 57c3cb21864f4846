//! What a front end shows besides the last answer: who is signed in, which
//! task is open and whether its last step can be undone. The touchscreen
//! chooses its screen and buttons from it after every input.

use super::signin::SignedIn;

/// The task open in a session, as a front end names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskKind {
    /// Signed in (or not), no task open.
    Idle,
    /// Receiving at the dock.
    Receive,
    /// Putting received goods away.
    Putaway,
    /// Lot lookup.
    Lookup,
    /// Picking the sales order named.
    Pick {
        /// Its number.
        order: String,
    },
    /// Packing the sales order named.
    Pack {
        /// Its number.
        order: String,
        /// Whether a carton is open.
        carton_open: bool,
    },
    /// A blind cycle count.
    Count,
    /// Taking back returns.
    Return,
    /// Holding lots (supervisors).
    Hold,
    /// Releasing held lots (supervisors).
    Release,
}

/// A session's state for display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Who is signed in; None shows the sign-in screen.
    pub operator: Option<SignedIn>,
    /// The open task.
    pub task: TaskKind,
    /// Whether the last recorded step of the task can be undone.
    pub can_undo: bool,
}
