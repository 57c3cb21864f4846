//! What the screens show besides the last answer, gathered on the engine's
//! thread after every step (the journal lives there): the session, the
//! open orders, how many lots need attention for expiry, the journal's
//! size. The UI thread only copies it into the window.

use chrono::NaiveDate;

use crate::workflow::{Engine, OpenOrder, Session, TaskKind, open_orders};

/// The horizon of the home screen's expiry tile, as the expiry screen's.
pub const EXPIRY_DAYS: u32 = 30;

/// The state of the terminal after one step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Board {
    /// Who is signed in and the open task.
    pub session: Session,
    /// The open sales orders (gathered while no task is open: the lists
    /// are shown only then).
    pub orders: Vec<OpenOrder>,
    /// Lots in stock expiring within [`EXPIRY_DAYS`], expired included.
    pub expiring: usize,
    /// Of which already expired.
    pub expired: usize,
    /// Events in the journal.
    pub events: u64,
    /// Why part of the board could not be read (the journal failed).
    pub problem: Option<String>,
}

impl Board {
    /// The board of `engine` on `today`.
    pub fn of(engine: &Engine, today: NaiveDate) -> Board {
        let session = engine.session();
        let journal = engine.journal();
        let mut problem = None;
        let orders = if session.operator.is_some() && session.task == TaskKind::Idle {
            open_orders(journal).unwrap_or_else(|e| {
                problem = Some(format!("The open orders could not be read: {e}"));
                Vec::new()
            })
        } else {
            Vec::new()
        };
        let alerts = journal
            .expiry_alerts(today, EXPIRY_DAYS)
            .unwrap_or_else(|e| {
                problem = Some(format!("The expiry alerts could not be read: {e}"));
                Vec::new()
            });
        Board {
            session,
            orders,
            expiring: alerts.len(),
            expired: alerts.iter().filter(|a| a.expired).count(),
            events: journal.last_seq(),
            problem,
        }
    }
}
