//! The engine: one terminal session (who is signed in, which task is open,
//! what the last step recorded) driven by scans and actions.
//!
//! Task handlers only read the journal and say what to record; the engine
//! records it in one transaction. When a handler refuses, or recording
//! fails, the task is put back exactly as it was and nothing is recorded.

use chrono::{DateTime, NaiveDate, Utc};

use super::action::Action;
use super::count::{self, CountTask};
use super::expiry;
use super::feedback::{Feedback, Level};
use super::hold::{self, Change, StatusTask};
use super::item::Scanned;
use super::lot_lookup;
use super::orders;
use super::pack::{self, PackTask};
use super::pick::{self, PickTask};
use super::putaway::{self, PutawayTask};
use super::receive::{self, ReceiveTask};
use super::returns::{self, ReturnTask};
use super::session::{Session, TaskKind};
use super::settings::WorkflowSettings;
use super::ship;
use super::signin::{self, Role, SignedIn};
use super::tag_burst;
use super::undo;
use crate::devices::rfid::pallet;
use crate::journal::{Event, EventBody, Journal, JournalError};
use crate::scan::{self, DecodeOptions};
use crate::text;
use crate::text::Text;

/// The task the operator has open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Task {
    /// Signed in, no task chosen yet.
    Idle,
    /// Receiving goods at the dock.
    Receive(ReceiveTask),
    /// Moving received goods from the dock to storage.
    Putaway(PutawayTask),
    /// Answering "what is this lot?".
    Lookup,
    /// Picking a sales order (boxed: it is the largest task by far).
    Pick(Box<PickTask>),
    /// Packing a picked order into cartons (boxed, like picking).
    Pack(Box<PackTask>),
    /// Counting a location blind.
    Count(CountTask),
    /// Taking back returned goods.
    Return(ReturnTask),
    /// Holding or releasing lots (supervisors only).
    LotStatus(StatusTask),
}

/// What a handler may read: the journal, the settings, who is working and
/// the date of the step.
pub(super) struct Context<'a> {
    pub journal: &'a Journal,
    pub settings: &'a WorkflowSettings,
    pub operator: &'a str,
    pub role: Role,
    pub today: NaiveDate,
}

/// Why a step stopped: refused (with the answer for the operator) or the
/// journal failed.
#[derive(Debug)]
pub(super) enum Stop {
    Refused(Feedback),
    Failed(JournalError),
}

impl From<JournalError> for Stop {
    fn from(e: JournalError) -> Stop {
        Stop::Failed(e)
    }
}

/// A handler's result: `?` works for refusals and journal errors alike.
pub(super) type StepResult<T> = Result<T, Stop>;

/// Refuses the step with a block for the operator.
pub(super) fn refuse<T>(message: Text) -> StepResult<T> {
    Err(Stop::Refused(Feedback::block(message)))
}

/// A handler's answer and the events it wants recorded (none for a reply).
#[derive(Debug)]
pub(super) struct Outcome {
    pub feedback: Feedback,
    pub record: Vec<EventBody>,
}

impl Outcome {
    /// An answer that records nothing.
    pub fn reply(feedback: Feedback) -> Outcome {
        Outcome {
            feedback,
            record: Vec::new(),
        }
    }

    /// An answer given once `record` is durable.
    pub fn record(feedback: Feedback, record: Vec<EventBody>) -> Outcome {
        Outcome { feedback, record }
    }
}

/// One terminal session over a journal. Deterministic: the clock is the
/// `now` passed with every input.
#[derive(Debug)]
pub struct Engine {
    journal: Journal,
    settings: WorkflowSettings,
    operator: Option<SignedIn>,
    task: Task,
    last_step: Vec<Event>,
}

impl Engine {
    /// A session with nobody signed in.
    pub fn new(journal: Journal, settings: WorkflowSettings) -> Engine {
        Engine {
            journal,
            settings,
            operator: None,
            task: Task::Idle,
            last_step: Vec::new(),
        }
    }

    /// The journal, for front ends that show more than feedback.
    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    /// Who is signed in, if anyone.
    pub fn operator(&self) -> Option<&SignedIn> {
        self.operator.as_ref()
    }

    /// Who is signed in, the open task and whether undo is possible: what
    /// a front end shows besides the last answer.
    pub fn session(&self) -> Session {
        let task = match &self.task {
            Task::Idle => TaskKind::Idle,
            Task::Receive(_) => TaskKind::Receive,
            Task::Putaway(_) => TaskKind::Putaway,
            Task::Lookup => TaskKind::Lookup,
            Task::Pick(picking) => TaskKind::Pick {
                order: pick::order(picking).number.clone(),
            },
            Task::Pack(packing) => TaskKind::Pack {
                order: pack::order(packing).number.clone(),
                carton_open: pack::carton_open(packing),
            },
            Task::Count(_) => TaskKind::Count,
            Task::Return(_) => TaskKind::Return,
            Task::LotStatus(changing) => match hold::change(changing) {
                Change::Hold => TaskKind::Hold,
                Change::Release => TaskKind::Release,
            },
        };
        Session {
            operator: self.operator.clone(),
            task,
            can_undo: !self.last_step.is_empty() && undo::refusal(&self.last_step).is_none(),
        }
    }

    /// Handles one scan (`data` as the scanner sent it) at `now`.
    pub fn scan(&mut self, data: &str, now: DateTime<Utc>) -> Feedback {
        let options = DecodeOptions {
            today: now.date_naive(),
        };
        let scanned = match scan::decode(data, &options) {
            Ok(scan) => Scanned { data, scan },
            Err(e) => {
                return Feedback::block(text!(
                    "The barcode could not be read: {error}",
                    error = e.to_string()
                ));
            }
        };
        if self.operator.is_none() {
            return self.sign_in(&scanned);
        }
        self.step(now, |task, ctx| match task {
            Task::Idle => refuse(text!(
                "Choose a task first: {tasks}",
                tasks = ctx.role.tasks()
            )),
            Task::Receive(receiving) => receive::scan(receiving, ctx, &scanned),
            Task::Putaway(putting) => putaway::scan(putting, ctx, &scanned),
            Task::Lookup => lot_lookup::scan(ctx, &scanned),
            Task::Pick(picking) => pick::scan(picking, ctx, &scanned),
            Task::Pack(packing) => pack::scan(packing, ctx, &scanned),
            Task::LotStatus(changing) => hold::scan(changing, ctx, &scanned),
            Task::Count(counting) => count::scan(counting, ctx, &scanned),
            Task::Return(returning) => returns::scan(returning, ctx, &scanned),
        })
    }

    /// Handles the tags an RFID reader read in one burst (each EPC as hex,
    /// repeats counted once) at `now`. While receiving, the burst is one
    /// step: a receipt per product read (see `receive::tags`). Elsewhere
    /// the burst stands for one tag if it can (see `tag_burst::lead`:
    /// its only tag, or the one pallet tag read with its cases), handled
    /// as a scan of it; other bursts are refused with what was read.
    pub fn tags(&mut self, epcs: &[String], now: DateTime<Utc>) -> Feedback {
        let Some(first) = epcs.first() else {
            return Feedback::block(text!("No tag was read"));
        };
        let summary = pallet::summarise_hex(epcs);
        let receiving = self.operator.is_some() && matches!(self.task, Task::Receive(_));
        if !receiving && let Some(lead) = tag_burst::lead(&summary, first) {
            let feedback = self.scan(&format!("epc:{lead}"), now);
            return tag_burst::read_with(feedback, &summary);
        }
        self.step(now, |task, ctx| match task {
            Task::Receive(receiving) => receive::tags(receiving, ctx, &summary),
            Task::Idle => refuse(text!(
                "Choose a task first: {tasks}",
                tasks = ctx.role.tasks()
            )),
            _ => Err(Stop::Refused(tag_burst::elsewhere(&summary))),
        })
    }

    /// Handles one action at `now`.
    pub fn act(&mut self, action: Action, now: DateTime<Utc>) -> Feedback {
        match action {
            Action::SignOut => self.sign_out(),
            Action::Leave => self.leave(),
            Action::Undo { reason } => self.undo(reason.as_deref(), now),
            Action::Receive { po } => {
                self.start(now, |task, ctx| receive::start(task, ctx, po.as_deref()))
            }
            Action::Putaway => self.start(now, putaway::start),
            Action::Lookup => self.start(now, |task, _| {
                *task = Task::Lookup;
                Ok(Outcome::reply(Feedback::ok(text!(
                    "Lot lookup: scan a product label with its lot"
                ))))
            }),
            Action::Pick { order } => self.start(now, |task, ctx| pick::start(task, ctx, &order)),
            Action::Orders => self.step(now, |_, ctx| orders::list(ctx)),
            Action::Pack { order } => self.start(now, |task, ctx| pack::start(task, ctx, &order)),
            Action::NewCarton => self.new_carton(now),
            Action::CloseCarton => self.step(now, |task, ctx| match task {
                Task::Pack(packing) => pack::close(packing, ctx),
                _ => refuse(text!("No carton is open: start packing an order first")),
            }),
            Action::Ship { order } => self.step(now, |task, ctx| {
                let (order, carton_open) = match (task, order) {
                    (Task::Pack(packing), None) => {
                        (pack::order(packing).clone(), pack::has_open_carton(packing))
                    }
                    (task, Some(number)) => {
                        let Some(order) = ctx.journal.sales_order(&number)? else {
                            return refuse(text!(
                                "Order {number} is not in the sales order list",
                                number = &number
                            ));
                        };
                        let open = match task {
                            Task::Pack(packing) if pack::order(packing).number == number => {
                                pack::has_open_carton(packing)
                            }
                            _ => false,
                        };
                        (order, open)
                    }
                    (_, None) => {
                        return refuse(text!("Which order? Give the order number to ship"));
                    }
                };
                ship::ship(ctx, &order, carton_open)
            }),
            Action::Quantity { quantity } => self.step(now, |task, _| match task {
                Task::Pick(picking) => pick::key_quantity(picking, quantity),
                Task::Pack(packing) => pack::key_quantity(packing, quantity),
                Task::Putaway(putting) => putaway::key_quantity(putting, quantity),
                _ => refuse(text!("No quantity is being asked for here")),
            }),
            Action::Short { reason } => self.step(now, |task, ctx| match task {
                Task::Pick(picking) => pick::short(picking, ctx, &reason),
                _ => refuse(text!("A short pick is recorded while picking an order")),
            }),
            Action::CloseLocation { reason } => self.step(now, |task, ctx| match task {
                Task::Count(counting) => {
                    count::close_location(counting, ctx, reason.as_deref().unwrap_or(""))
                }
                _ => refuse(text!("No location is being counted")),
            }),
            Action::Hold { reason } => self.start(now, |task, ctx| {
                hold::start(task, ctx, Change::Hold, &reason)
            }),
            Action::Release { reason } => self.start(now, |task, ctx| {
                hold::start(task, ctx, Change::Release, &reason)
            }),
            Action::Return { order } => {
                self.start(now, |task, ctx| returns::start(task, ctx, order.as_deref()))
            }
            Action::Quarantine { reason } => self.step(now, |task, ctx| match task {
                Task::Return(returning) => returns::quarantine(returning, ctx, &reason),
                _ => refuse(text!("No returned item is waiting to be quarantined")),
            }),
            Action::Count => self.start(now, |task, _| count::start(task)),
            Action::EnterCount { quantity, reason } => self.step(now, |task, ctx| match task {
                Task::Count(counting) => count::enter(counting, ctx, quantity, reason.as_deref()),
                _ => refuse(text!("No count is being asked for")),
            }),
            Action::ExpiryAlerts { days } => self.step(now, |_, ctx| {
                expiry::alerts(ctx, days.unwrap_or(expiry::DEFAULT_DAYS))
            }),
            Action::Reason { code } => self.step(now, |task, _| match task {
                Task::Pick(picking) => pick::reason(picking, &code),
                _ => refuse(text!("No reason code is being asked for")),
            }),
            Action::EnterLot { lot, expiry } => self.step(now, |task, ctx| match task {
                Task::Receive(receiving) => receive::enter_lot(receiving, ctx, lot, expiry),
                _ => refuse(text!("No lot or expiry is being asked for")),
            }),
            Action::Cancel => self.step(now, |task, _| match task {
                Task::Receive(receiving) => receive::cancel(receiving),
                Task::Putaway(putting) => putaway::cancel(putting),
                Task::Pick(picking) => pick::cancel(picking),
                Task::Pack(packing) => pack::cancel(packing),
                Task::Count(counting) => count::cancel(counting),
                Task::Return(returning) => returns::cancel(returning),
                Task::Idle | Task::Lookup | Task::LotStatus(_) => {
                    refuse(text!("Nothing to cancel"))
                }
            }),
        }
    }

    /// Creates a carton number for the packing task: the serial is taken
    /// (durably) only once the task could use it.
    fn new_carton(&mut self, now: DateTime<Utc>) -> Feedback {
        let ready = self.step(now, |task, ctx| match task {
            Task::Pack(packing) => {
                pack::can_create(packing, ctx)?;
                Ok(Outcome::reply(Feedback::ok(text!(""))))
            }
            _ => refuse(text!(
                "Start packing an order first, then create its carton"
            )),
        });
        if ready.level == Level::Block {
            return ready;
        }
        let serial = match self.journal.next_carton_serial() {
            Ok(serial) => serial,
            Err(e) => return stop_feedback(Stop::Failed(e)),
        };
        self.step(now, |task, ctx| match task {
            Task::Pack(packing) => pack::create(packing, ctx, serial),
            _ => refuse(text!(
                "Start packing an order first, then create its carton"
            )),
        })
    }

    fn sign_in(&mut self, scanned: &Scanned<'_>) -> Feedback {
        match signin::sign_in(&self.journal, scanned.label()) {
            Ok((operator, feedback)) => {
                self.operator = Some(operator);
                self.task = Task::Idle;
                self.last_step.clear();
                feedback
            }
            Err(stop) => stop_feedback(stop),
        }
    }

    fn sign_out(&mut self) -> Feedback {
        let Some(operator) = self.operator.take() else {
            return Feedback::block(text!("Nobody is signed in"));
        };
        self.task = Task::Idle;
        self.last_step.clear();
        Feedback::ok(text!("{name} signed out", name = operator.name))
    }

    fn leave(&mut self) -> Feedback {
        let Some(operator) = &self.operator else {
            return Feedback::block(text!("Nobody is signed in: scan your badge first"));
        };
        self.task = Task::Idle;
        self.last_step.clear();
        Feedback::ok(text!(
            "Choose a task: {tasks}",
            tasks = operator.role.tasks()
        ))
    }

    /// Opens a task: like [`Engine::step`], and a successful start ends
    /// what the previous task could undo.
    fn start(
        &mut self,
        now: DateTime<Utc>,
        handle: impl FnOnce(&mut Task, &Context<'_>) -> StepResult<Outcome>,
    ) -> Feedback {
        let feedback = self.step(now, handle);
        if feedback.level != Level::Block {
            self.last_step.clear();
        }
        feedback
    }

    /// Runs a handler for the signed-in operator and records what it asks
    /// for; on a refusal or a failed append the task is restored.
    fn step(
        &mut self,
        now: DateTime<Utc>,
        handle: impl FnOnce(&mut Task, &Context<'_>) -> StepResult<Outcome>,
    ) -> Feedback {
        let Some(operator) = &self.operator else {
            return Feedback::block(text!("Nobody is signed in: scan your badge first"));
        };
        let before = self.task.clone();
        let ctx = Context {
            journal: &self.journal,
            settings: &self.settings,
            operator: &operator.badge,
            role: operator.role,
            today: now.date_naive(),
        };
        let result = handle(&mut self.task, &ctx).and_then(|outcome| {
            if outcome.record.is_empty() {
                return Ok(outcome.feedback);
            }
            let events = self.journal.append_batch(now, outcome.record)?;
            let mut feedback = outcome.feedback;
            feedback.events = events.iter().map(|e| e.event_id).collect();
            self.last_step = events;
            Ok(feedback)
        });
        result.unwrap_or_else(|stop| {
            self.task = before;
            stop_feedback(stop)
        })
    }

    fn undo(&mut self, reason: Option<&str>, now: DateTime<Utc>) -> Feedback {
        let Some(operator) = &self.operator else {
            return Feedback::block(text!("Nobody is signed in: scan your badge first"));
        };
        if self.last_step.is_empty() {
            return Feedback::block(text!("Nothing to undo in this task"));
        }
        if let Some(why) = undo::refusal(&self.last_step) {
            return Feedback::block(why);
        }
        let (bodies, feedback) = undo::corrections(&self.last_step, &operator.badge, reason);
        match self.journal.append_batch(now, bodies) {
            Ok(events) => {
                self.last_step.clear();
                Feedback {
                    events: events.iter().map(|e| e.event_id).collect(),
                    ..feedback
                }
            }
            Err(e) => stop_feedback(Stop::Failed(e)),
        }
    }
}

/// The operator's answer for a stopped step.
fn stop_feedback(stop: Stop) -> Feedback {
    match stop {
        Stop::Refused(feedback) => feedback,
        Stop::Failed(e) => Feedback::block(text!(
            "Nothing was recorded: {error}",
            error = e.to_string()
        )),
    }
}
