//! What the screens show besides the last answer, gathered on the engine's
//! thread after every step (the journal lives there): the session and the
//! journal's size always; the events not yet on the server when a step
//! recorded some or the home screen comes next; the home screen's lists and counts (open orders,
//! lots needing attention for expiry) only when the home screen is what
//! the operator sees next — signed in, no task open — so a scan inside a
//! task pays for no query it does not show.

use chrono::NaiveDate;

use crate::journal::JournalError;
use crate::workflow::{Engine, OpenOrder, Session, TaskKind, open_orders};

/// The horizon of the home screen's expiry tile, as the expiry screen's.
pub const EXPIRY_DAYS: u32 = 30;

/// The state of the terminal after one step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Board {
    /// Who is signed in and the open task.
    pub session: Session,
    /// The home screen's facts, gathered when it is shown next.
    pub home: Option<Home>,
    /// Events in the journal.
    pub events: u64,
    /// Events the server has not confirmed, when gathered (None: not this
    /// time, or the journal could not say); the sync line's count while no
    /// sync service reports it.
    pub unsent: Option<u64>,
}

/// What the home screen and the order lists show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Home {
    /// The open sales orders.
    pub orders: Vec<OpenOrder>,
    /// Lots in stock expiring within [`EXPIRY_DAYS`], expired included.
    pub expiring: usize,
    /// Of which already expired.
    pub expired: usize,
}

impl Board {
    /// The board of `engine` on `today`, after a step that `recorded`
    /// events or not (the first board counts as recorded). When the journal
    /// cannot be read, that is logged and the screen keeps its last counts.
    pub fn of(engine: &Engine, today: NaiveDate, recorded: bool) -> Board {
        let session = engine.session();
        let home_next = session.operator.is_some() && session.task == TaskKind::Idle;
        let home = home_next
            .then(|| {
                Home::of(engine, today)
                    .inspect_err(|e| tracing::warn!(error = %e, "the home screen is not updated"))
                    .ok()
            })
            .flatten();
        // Only a recorded step changes the count on a terminal without a
        // sync service; the home screen's turn also picks up events another
        // connection wrote (the demo data).
        let unsent = (recorded || home_next)
            .then(|| {
                engine
                    .journal()
                    .unsynced()
                    .inspect_err(|e| tracing::warn!(error = %e, "the unsent count is not updated"))
                    .ok()
            })
            .flatten();
        Board {
            session,
            home,
            events: engine.journal().last_seq(),
            unsent,
        }
    }
}

impl Home {
    fn of(engine: &Engine, today: NaiveDate) -> Result<Home, JournalError> {
        let journal = engine.journal();
        let alerts = journal.expiry_alerts(today, EXPIRY_DAYS)?;
        Ok(Home {
            orders: open_orders(journal)?,
            expiring: alerts.len(),
            expired: alerts.iter().filter(|a| a.expired).count(),
        })
    }
}
