//! The terminal: the window over the workflow engine.
//!
//! The engine runs on its own thread ([`EngineWorker`]); the window sends it
//! scans (typed, from the keyboard wedge, or from the devices' supervisor)
//! and button commands, and never waits. After each input the engine's
//! thread sends back an [`Answer`] (the feedback, how to show it, and the
//! [`Board`]) and wakes the event loop through a `Weak` handle; the UI
//! thread copies it into the window. The sync service and the device supervisor run on
//! their own threads too and report the same way.

use std::cell::{Cell, RefCell};
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};
use slint::{ComponentHandle, ModelRc, SharedString, Timer, TimerMode, VecModel};

use super::board::Board;
use super::present::{Form, Presentation, Surface};
use super::sound::{Cue, Sounds};
use super::wedge_input::{self, WedgeInput};
use super::{
    AboutInfo, Command, ConfiguredDevice, DeviceKind, FeedbackAsk, FeedbackInfo, FeedbackLevel,
    MainWindow, OrderRow, OrderStep as ShownStep, Place, ReasonPurpose, ReportInfo, SessionInfo,
    SettingsInfo, Sheet, TaskKind as ShownTask, commands, device_setup, devices_view,
    first_start::DemoOffer, language, slint_int, sync_line, typed_scan,
};
use crate::devices::wedge::WedgeConfig;
use crate::devices::{DevicesConfig, Supervisor};
use crate::journal::{self, Journal};
use crate::sync::{Enrollment, Nudger, ServiceSettings, SyncService, SyncStatus};
use crate::text;
use crate::text::{Catalogue, Text};
use crate::workflow::{
    Action, Ask, Engine, EngineWorker, Feedback, Input, Level, OpenOrder, OrderStep, Session,
    TaskKind, WorkflowSettings,
};

/// Where the time of each input comes from (the system clock in the
/// terminal, a fixed one in tests and screenshots).
pub type Clock = Rc<dyn Fn() -> DateTime<Utc>>;

/// How long a green answer fills the screen; amber and red stay until
/// tapped.
pub const OK_SHOWN: Duration = Duration::from_millis(1200);

/// What the terminal needs to open.
#[derive(Debug, Clone)]
pub struct TerminalOptions {
    /// The data directory: journal, enrollment.
    pub data_dir: PathBuf,
    /// The configuration file the settings came from (shown in settings).
    pub config_path: PathBuf,
    /// The site's workflow settings.
    pub workflow: WorkflowSettings,
    /// Scanners and readers to open, as configured (a list kept on the
    /// terminal, see [`device_setup`], takes its place).
    pub devices: DevicesConfig,
    /// The background sync's settings.
    pub sync: ServiceSettings,
    /// `en`, `de` or `es`; None: the system locale's.
    pub language: Option<String>,
    /// Play a sound with each answer.
    pub sound: bool,
}

/// The engine's answer to one input, how to show it, and the board after
/// it.
#[derive(Debug)]
pub struct Answer {
    /// What the engine said.
    pub feedback: Feedback,
    /// How to show it (decided on the engine's thread, which has the
    /// input: the UI thread decodes no scan).
    pub shown: Presentation,
    /// The session and lists after the step.
    pub board: Board,
}

/// The open terminal: the window and what runs behind it. Dropping it (or
/// [`Terminal::stop`]) stops the engine, the devices and the sync.
pub struct Terminal {
    window: MainWindow,
    shared: Rc<Shared>,
}

/// What reaches the UI thread from the threads working for it.
enum Arrival {
    /// The engine's answer to one input (boxed: it is far larger than a
    /// notice).
    Answer(Box<Answer>),
    /// A line for the foot of the screen (the demo data loaded, or why not).
    Notice(Text),
}

/// What the window's callbacks share on the UI thread.
struct Shared {
    window: slint::Weak<MainWindow>,
    worker: RefCell<Option<EngineWorker>>,
    /// None once stopping: the engine thread ends when every sender is gone.
    inputs: RefCell<Option<Sender<Input>>>,
    arrivals: Receiver<Arrival>,
    /// Kept to hand to threads that report back (the demo load).
    arrivals_tx: Sender<Arrival>,
    /// Inputs and jobs sent off the UI thread and not yet shown.
    outstanding: Arc<AtomicUsize>,
    clock: Clock,
    sounds: Sounds,
    nudger: Arc<Mutex<Option<Nudger>>>,
    sync: RefCell<Option<SyncService>>,
    supervisor: RefCell<Option<Supervisor>>,
    device_timer: Timer,
    /// Takes a green answer off the screen after [`OK_SHOWN`].
    ok_timer: Timer,
    options: TerminalOptions,
    device_id: String,
    journal_path: PathBuf,
    serial: Cell<i32>,
    /// `en`, `de` or `es` as chosen; empty: the system locale's.
    language: RefCell<String>,
    /// The engine's sentences are shown in this catalogue (`None`:
    /// English), chosen with `language` (see [`language::answer_catalogue`]).
    catalogue: Cell<Option<&'static Catalogue>>,
    enroll_result: RefCell<String>,
    enrolling: Cell<bool>,
    /// The scanners and readers this terminal runs (see [`device_setup`]).
    devices: RefCell<DevicesConfig>,
    /// The answer to the last change of them, or why the kept list is not used.
    devices_result: RefCell<Option<Text>>,
    /// True once [`Terminal::start_background`] started the devices.
    devices_wanted: Cell<bool>,
    /// Whether the terminal is enrolled (then the sync service, not the
    /// board, reports the sync line).
    enrolled: Cell<bool>,
}

impl Terminal {
    /// Opens the journal in `options.data_dir` (created if missing), moves
    /// the engine to its thread and builds the window, not yet shown, on
    /// the sign-in screen (offering the demo warehouse first when the
    /// journal is empty and the terminal not enrolled), in the language
    /// chosen in Settings, else `options.language`, else the system
    /// locale's. Inputs are timed by
    /// `clock`, the keyboard wedge's keys by `keys`. Devices and sync start
    /// with [`Terminal::start_background`].
    pub fn open(
        options: TerminalOptions,
        clock: Clock,
        keys: wedge_input::Clock,
    ) -> Result<Terminal> {
        std::fs::create_dir_all(&options.data_dir).with_context(|| {
            format!(
                "cannot create the data directory {}",
                options.data_dir.display()
            )
        })?;
        let journal_path = options.data_dir.join(journal::FILE_NAME);
        let journal = Journal::open(&journal_path)
            .with_context(|| format!("cannot open the journal {}", journal_path.display()))?;
        let demo = DemoOffer::for_open(&journal, &journal_path);
        let device_id = journal.device_id().to_owned();
        let engine = Engine::new(journal, options.workflow.clone());
        let first_board = Board::of(&engine, clock().date_naive(), true);

        let window = MainWindow::new()?;
        let language = language::chosen(&options.data_dir).or_else(|| options.language.clone());
        let (devices, devices_result) = match device_setup::load(
            &options.data_dir,
            &options.devices,
        ) {
            Ok(devices) => (devices, None),
            Err(e) => {
                let error = format!("{e:#}");
                tracing::error!(%error, "the device list kept on this terminal is not used");
                let why = text!(
                    "The device list kept on this terminal cannot be used, so the configured devices run: {error}",
                    error
                );
                (options.devices.clone(), Some(why))
            }
        };
        if let Some(language) = &language {
            language::select_language(language)?;
        }
        let (arrivals_tx, arrivals) = crossbeam_channel::unbounded();
        let nudger: Arc<Mutex<Option<Nudger>>> = Arc::default();
        let worker = {
            let weak = window.as_weak();
            let nudger = Arc::clone(&nudger);
            let arrivals_tx = arrivals_tx.clone();
            EngineWorker::spawn(engine, move |input, feedback, engine| {
                if !feedback.events.is_empty()
                    && let Some(nudger) = nudger
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .as_ref()
                {
                    nudger.nudge();
                }
                let board = Board::of(engine, input.at().date_naive(), !feedback.events.is_empty());
                let answer = Answer {
                    shown: Presentation::of(input, &feedback),
                    feedback,
                    board,
                };
                arrive(&arrivals_tx, &weak, Arrival::Answer(Box::new(answer)));
            })
            .context("cannot start the engine thread")?
        };
        let shared = Rc::new(Shared {
            window: window.as_weak(),
            inputs: RefCell::new(Some(worker.inputs())),
            worker: RefCell::new(Some(worker)),
            arrivals,
            arrivals_tx,
            outstanding: Arc::default(),
            clock,
            sounds: Sounds::open(options.sound),
            nudger,
            sync: RefCell::default(),
            supervisor: RefCell::default(),
            device_timer: Timer::default(),
            ok_timer: Timer::default(),
            device_id,
            journal_path,
            serial: Cell::new(0),
            catalogue: Cell::new(language::answer_catalogue(
                language.as_deref().unwrap_or(""),
            )),
            language: RefCell::new(language.unwrap_or_default()),
            enroll_result: RefCell::default(),
            enrolling: Cell::new(false),
            devices: RefCell::new(devices),
            devices_result: RefCell::new(devices_result),
            devices_wanted: Cell::new(false),
            enrolled: Cell::new(Enrollment::path(&options.data_dir).exists()),
            options,
        });
        wire(&window, &shared, demo, keys);
        shared.show_board(&window, &first_board);
        shared.show_settings(&window);
        Ok(Terminal { window, shared })
    }

    /// The window (to show, run or test).
    pub fn window(&self) -> &MainWindow {
        &self.window
    }

    /// Starts the configured devices (their scans go to the engine) and,
    /// on an enrolled terminal, the background sync (its status shown at
    /// the foot of every screen).
    pub fn start_background(&self) -> Result<()> {
        self.shared.start_devices()?;
        self.shared.start_sync()?;
        Ok(())
    }

    /// Shows every answer that has arrived, waiting up to `timeout` for
    /// the inputs sent so far; false when some are still outstanding. The
    /// event loop does this by itself; headless tests, which run none, call
    /// it after each step.
    pub fn settle(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while self.shared.outstanding.load(Ordering::SeqCst) > 0 {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.shared.arrivals.recv_timeout(left) {
                Ok(arrival) => self.shared.take(arrival),
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return false,
            }
        }
        true
    }

    /// Stops the devices, the engine (letting queued inputs finish) and the
    /// sync service.
    pub fn stop(self) {
        self.shared.stop();
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        self.shared.stop();
    }
}

/// Hands `arrival` to the UI thread and wakes its event loop. Without an
/// event loop (headless tests) nobody is woken: they collect arrivals with
/// [`Terminal::settle`].
fn arrive(arrivals: &Sender<Arrival>, window: &slint::Weak<MainWindow>, arrival: Arrival) {
    if arrivals.send(arrival).is_ok() {
        let _ = window.upgrade_in_event_loop(|window| window.invoke_answers_ready());
    }
}

/// Connects the window's callbacks to `shared`.
fn wire(
    window: &MainWindow,
    shared: &Rc<Shared>,
    demo: Option<DemoOffer>,
    keys: wedge_input::Clock,
) {
    window.set_offer_demo(demo.is_some());
    if let Some(offer) = demo {
        let on = Rc::clone(shared);
        window.on_load_demo(move || on.load_demo(offer.clone()));
    }
    let weak = window.as_weak();
    window.on_skip_demo(move || {
        if let Some(window) = weak.upgrade() {
            window.set_offer_demo(false);
        }
    });
    let on = Rc::clone(shared);
    window.on_answers_ready(move || on.drain());
    let on = Rc::clone(shared);
    window.on_scanned(move |typed| on.scan(&typed));
    let on = Rc::clone(shared);
    let wedge = WedgeInput::new(
        window.as_weak(),
        WedgeConfig::default(),
        keys,
        Box::new(move |typed| on.scan(&typed)),
    );
    window.on_wedge_key(move |text| wedge.key(&text));
    let on = Rc::clone(shared);
    window.on_act(move |command, value, reason| on.command(command, &value, &reason));
    let on = Rc::clone(shared);
    window.on_leave_task(move || on.send_action(Action::Leave));
    let on = Rc::clone(shared);
    window.on_open(move |place| on.open(place));
    let on = Rc::clone(shared);
    window.on_choose_language(move |language| on.choose_language(&language));
    let on = Rc::clone(shared);
    window.on_enroll(move |url, code| on.enroll(url.to_string(), code.to_string()));
    let on = Rc::clone(shared);
    window.on_enrolled(move |message| on.enrolled(message.to_string()));
    let on = Rc::clone(shared);
    window.on_devices_changed(move || on.show_devices());
    let on = Rc::clone(shared);
    window.on_add_device(move |kind, name, at, region| {
        let kind = match kind {
            DeviceKind::Serial => device_setup::Kind::Serial,
            DeviceKind::Rfid => device_setup::Kind::Rfid,
            DeviceKind::HidPos => device_setup::Kind::HidPos,
            DeviceKind::HidKeyboard => device_setup::Kind::HidKeyboard,
            DeviceKind::Simulator => device_setup::Kind::Simulator,
        };
        on.change_devices(|devices| device_setup::add(devices, kind, &name, &at, &region))
    });
    let on = Rc::clone(shared);
    window.on_remove_device(move |name| {
        on.change_devices(|devices| device_setup::remove(devices, &name));
    });
}

impl Shared {
    /// Queues `input` for the engine.
    fn send(&self, input: Input) {
        self.outstanding.fetch_add(1, Ordering::SeqCst);
        let sent = match self.inputs.borrow().as_ref() {
            Some(inputs) => inputs.send(input).is_ok(),
            None => false,
        };
        if !sent {
            self.outstanding.fetch_sub(1, Ordering::SeqCst);
            self.refuse(text!("The engine has stopped: restart the terminal"));
        }
    }

    /// A scan typed or sent by a wedge scanner (escapes turned into GS).
    fn scan(&self, typed: &str) {
        let data = typed_scan::scanner_data(typed);
        if data.is_empty() {
            return;
        }
        self.send(Input::Scan {
            data: data.into_owned(),
            at: (self.clock)(),
        });
    }

    fn send_action(&self, action: Action) {
        self.send(Input::Act {
            action,
            at: (self.clock)(),
        });
    }

    /// A button's command.
    fn command(&self, command: Command, value: &str, reason: &str) {
        match commands::action(command, value, reason) {
            Ok(action) => self.send_action(action),
            Err(why) => self.refuse(why),
        }
    }

    /// The catalogue the engine's sentences are shown in.
    fn catalogue(&self) -> Option<&'static Catalogue> {
        self.catalogue.get()
    }

    /// `text` in the window's language.
    fn tr(&self, text: &Text) -> SharedString {
        text.translate(self.catalogue()).into()
    }

    /// `lines` in the window's language.
    fn tr_lines(&self, lines: &[Text]) -> ModelRc<SharedString> {
        let catalogue = self.catalogue();
        ModelRc::new(VecModel::from(
            lines
                .iter()
                .map(|line| SharedString::from(line.translate(catalogue)))
                .collect::<Vec<_>>(),
        ))
    }

    /// Shows a refusal made here, without the engine.
    fn refuse(&self, why: Text) {
        if let Some(window) = self.window.upgrade() {
            let feedback = Feedback::block(why);
            window.set_feedback(self.feedback_info(&feedback, &Presentation::blank()));
            window.set_feedback_shown(true);
            self.sounds.play(Cue::Block);
        }
    }

    /// Applies every answer that has arrived.
    fn drain(&self) {
        while let Ok(arrival) = self.arrivals.try_recv() {
            self.take(arrival);
        }
    }

    /// Shows what arrived from another thread.
    fn take(&self, arrival: Arrival) {
        self.outstanding.fetch_sub(1, Ordering::SeqCst);
        match arrival {
            Arrival::Answer(answer) => self.apply(*answer),
            Arrival::Notice(notice) => {
                if let Some(window) = self.window.upgrade() {
                    window.set_notice(self.tr(&notice));
                }
            }
        }
    }

    /// Loads the demo warehouse on a thread of its own (it writes the
    /// journal); the notice of what was loaded arrives like an answer.
    fn load_demo(&self, offer: DemoOffer) {
        if let Some(window) = self.window.upgrade() {
            window.set_offer_demo(false);
        }
        self.outstanding.fetch_add(1, Ordering::SeqCst);
        let arrivals = self.arrivals_tx.clone();
        let weak = self.window.clone();
        let spawned = std::thread::Builder::new()
            .name("lotline-demo-data".into())
            .spawn(move || {
                let notice = match offer.accept(Utc::now()) {
                    Ok(summary) => summary,
                    Err(e) => text!(
                        "The demo data could not be loaded: {error}",
                        error = format!("{e:#}")
                    ),
                };
                tracing::info!(%notice, "demo data offer accepted");
                arrive(&arrivals, &weak, Arrival::Notice(notice));
            });
        if let Err(e) = spawned {
            self.outstanding.fetch_sub(1, Ordering::SeqCst);
            self.refuse(text!(
                "The demo data could not be loaded: {error}",
                error = e.to_string()
            ));
        }
    }

    /// Shows one answer.
    fn apply(&self, answer: Answer) {
        let Some(window) = self.window.upgrade() else {
            return;
        };
        let Answer {
            feedback,
            shown,
            board,
        } = answer;
        let was_idle = window.get_session().task == ShownTask::Idle;
        self.show_board(&window, &board);
        if board.session.operator.is_none() || (was_idle && board.session.task != TaskKind::Idle) {
            window.set_place(Place::Home);
        }
        if shown.surface == Surface::Report {
            window.set_expiry_report(ReportInfo {
                message: self.tr(&feedback.message),
                lines: self.tr_lines(&feedback.details),
                warn: feedback.level == Level::Warn,
            });
            return;
        }
        let info = self.feedback_info(&feedback, &shown);
        let serial = info.serial;
        window.set_feedback(info);
        window.set_feedback_shown(shown.surface == Surface::Overlay);
        if shown.surface == Surface::Overlay && feedback.level == Level::Ok {
            let weak = self.window.clone();
            self.ok_timer
                .start(TimerMode::SingleShot, OK_SHOWN, move || {
                    // Only this answer goes: a newer one stays its own time.
                    if let Some(window) = weak.upgrade()
                        && window.get_feedback().serial == serial
                    {
                        window.set_feedback_shown(false);
                    }
                });
        }
        if shown.surface == Surface::Overlay || feedback.level == Level::Prompt {
            self.sounds.play(Cue::of(feedback.level));
        }
        match shown.form {
            Form::LotExpiry => window.set_sheet(Sheet::LotExpiry),
            Form::FefoReason => {
                window.set_reason_purpose(ReasonPurpose::Fefo);
                window.set_sheet(Sheet::Reason);
            }
            Form::Count => window.set_sheet(Sheet::Count),
            Form::None => window.set_sheet(Sheet::None),
        }
    }

    /// The window's form of an answer.
    fn feedback_info(&self, feedback: &Feedback, shown: &Presentation) -> FeedbackInfo {
        self.serial.set(self.serial.get().wrapping_add(1));
        FeedbackInfo {
            level: match feedback.level {
                Level::Ok => FeedbackLevel::Ok,
                Level::Warn => FeedbackLevel::Warn,
                Level::Block => FeedbackLevel::Block,
                Level::Prompt => FeedbackLevel::Prompt,
            },
            ask: match feedback.ask {
                None => FeedbackAsk::None,
                Some(Ask::LotExpiry) => FeedbackAsk::LotExpiry,
                Some(Ask::Reason) => FeedbackAsk::Reason,
                Some(Ask::Count) => FeedbackAsk::Count,
                Some(Ask::CountWithReason) => FeedbackAsk::CountWithReason,
                Some(Ask::ReturnOutcome) => FeedbackAsk::ReturnOutcome,
            },
            message: self.tr(&feedback.message),
            details: self.tr_lines(&feedback.details),
            item: shown.item.clone().unwrap_or_default().into(),
            lot: shown.lot.clone().unwrap_or_default().into(),
            expiry: shown.expiry.clone().unwrap_or_default().into(),
            serial: self.serial.get(),
        }
    }

    /// Copies the board into the window: the home screen's facts only when
    /// they were gathered (the devices' count is the device timer's).
    fn show_board(&self, window: &MainWindow, board: &Board) {
        window.set_session(session_info(&board.session));
        if let Some(home) = &board.home {
            let mut info = window.get_home();
            info.expiring = slint_int(home.expiring);
            info.expired = slint_int(home.expired);
            info.open_orders = slint_int(home.orders.len());
            window.set_home(info);
            let rows: Vec<OrderRow> = home.orders.iter().map(order_row).collect();
            window.set_orders(ModelRc::new(VecModel::from(rows)));
        }
        if let (false, Some(unsent)) = (self.enrolled.get(), board.unsent) {
            window.set_sync(sync_line::not_enrolled(unsent));
        }
        window.set_about(AboutInfo {
            version: env!("CARGO_PKG_VERSION").into(),
            events: slint_int(board.events),
            journal_path: self.journal_path.display().to_string().into(),
        });
    }

    /// Devices configured and connected.
    fn device_counts(&self) -> (i32, i32) {
        let supervisor = self.supervisor.borrow();
        let Some(supervisor) = supervisor.as_ref() else {
            return (0, 0);
        };
        let status = supervisor.status();
        let connected = status
            .iter()
            .filter(|s| s.state == crate::devices::status::LinkState::Connected)
            .count();
        (slint_int(status.len()), slint_int(connected))
    }

    /// Refreshes the devices screen and the home tile's count.
    fn show_devices(&self) {
        let Some(window) = self.window.upgrade() else {
            return;
        };
        let rows = match self.supervisor.borrow().as_ref() {
            Some(supervisor) => supervisor
                .status()
                .iter()
                .map(devices_view::device_row)
                .collect(),
            None => Vec::new(),
        };
        window.set_devices(ModelRc::new(VecModel::from(rows)));
        let (devices, connected) = self.device_counts();
        let mut home = window.get_home();
        home.devices = devices;
        home.devices_connected = connected;
        window.set_home(home);
    }

    fn show_settings(&self, window: &MainWindow) {
        let server_url = match Enrollment::load(&self.options.data_dir) {
            Ok(Some(enrollment)) => enrollment.server_url,
            Ok(None) => String::new(),
            Err(e) => format!("{e:#}"),
        };
        window.set_settings(SettingsInfo {
            server_url: server_url.into(),
            device_id: self.device_id.as_str().into(),
            language: self.language.borrow().as_str().into(),
            config_path: self.options.config_path.display().to_string().into(),
            data_dir: self.options.data_dir.display().to_string().into(),
            devices: ModelRc::new(VecModel::from(
                devices_view::configured(&self.devices.borrow())
                    .into_iter()
                    .map(|(name, line)| ConfiguredDevice {
                        name: name.into(),
                        line: self.tr(&line),
                    })
                    .collect::<Vec<_>>(),
            )),
            devices_result: self
                .devices_result
                .borrow()
                .as_ref()
                .map(|result| self.tr(result))
                .unwrap_or_default(),
            enroll_result: self.enroll_result.borrow().as_str().into(),
            enrolling: self.enrolling.get(),
        });
    }

    /// A home tile opened `place`: fetch what it shows.
    fn open(&self, place: Place) {
        match place {
            Place::Expiry => self.send_action(Action::ExpiryAlerts { days: None }),
            Place::Devices => self.show_devices(),
            Place::Settings => {
                if let Some(window) = self.window.upgrade() {
                    self.show_settings(&window);
                }
            }
            Place::Home
            | Place::OrdersPick
            | Place::OrdersPack
            | Place::HoldRelease
            | Place::About => {}
        }
    }

    /// Switches the window and the answers to `language` and keeps the
    /// choice for the next start (a choice that cannot be kept still holds
    /// for this session, and the log says why).
    fn choose_language(&self, language: &str) {
        match language::select_language(language) {
            Ok(()) => {
                *self.language.borrow_mut() = language.to_owned();
                self.catalogue.set(language::answer_catalogue(language));
                if let Err(e) = language::keep_choice(&self.options.data_dir, language) {
                    tracing::warn!(error = %e, language, "the language choice is not kept for the next start");
                }
            }
            Err(e) => self.refuse(text!(
                "The language could not be chosen: {error}",
                error = format!("{e:#}")
            )),
        }
        if let Some(window) = self.window.upgrade() {
            self.show_settings(&window);
        }
    }

    /// Enrolls with the server on a thread of its own (it waits on the
    /// network); the answer comes back through `enrolled`.
    fn enroll(&self, url: String, code: String) {
        self.enrolling.set(true);
        *self.enroll_result.borrow_mut() = String::new();
        if let Some(window) = self.window.upgrade() {
            self.show_settings(&window);
        }
        let data_dir = self.options.data_dir.clone();
        let weak = self.window.clone();
        let catalogue = self.catalogue();
        let spawned = std::thread::Builder::new()
            .name("lotline-enroll".into())
            .spawn(move || {
                let message = match crate::sync::enroll(&url, &code, None, &data_dir) {
                    Ok(enrollment) => text!(
                        "Enrolled with {server} as terminal {device}",
                        server = enrollment.server_url,
                        device = enrollment.device_id
                    ),
                    Err(e) => text!("Not enrolled: {error}", error = format!("{e:#}")),
                };
                let message = message.translate(catalogue);
                let _ = weak.upgrade_in_event_loop(move |window| {
                    window.invoke_enrolled(message.into());
                });
            });
        if let Err(e) = spawned {
            let why = text!(
                "Not enrolled: cannot start the enrollment: {error}",
                error = e.to_string()
            );
            self.enrolled(why.translate(self.catalogue()));
        }
    }

    /// The enrollment's answer: shown, and the sync started if it worked.
    fn enrolled(&self, message: String) {
        self.enrolling.set(false);
        *self.enroll_result.borrow_mut() = message;
        if let Err(e) = self.start_sync() {
            *self.enroll_result.borrow_mut() = format!("{e:#}");
        }
        if let Some(window) = self.window.upgrade() {
            self.show_settings(&window);
        }
    }

    /// Starts the supervisor of the configured devices, forwarding their
    /// scans and tag bursts to the engine.
    fn start_devices(&self) -> Result<()> {
        self.devices_wanted.set(true);
        let devices = self.devices.borrow().clone();
        if devices.is_empty() || self.supervisor.borrow().is_some() {
            return Ok(());
        }
        let (events_tx, events) = crossbeam_channel::unbounded();
        let supervisor = Supervisor::start(&devices, events_tx)?;
        let Some(inputs) = self.inputs.borrow().clone() else {
            return Ok(());
        };
        let outstanding = Arc::clone(&self.outstanding);
        std::thread::Builder::new()
            .name("lotline-device-inputs".into())
            .spawn(move || {
                for event in events {
                    match Input::from_device(event) {
                        Some(Ok(input)) => {
                            outstanding.fetch_add(1, Ordering::SeqCst);
                            if inputs.send(input).is_err() {
                                break;
                            }
                        }
                        Some(Err(refusal)) => {
                            tracing::warn!(message = %refusal.message, "device input refused");
                        }
                        None => {}
                    }
                }
            })
            .context("cannot start the device forwarder")?;
        *self.supervisor.borrow_mut() = Some(supervisor);
        self.show_devices();
        let refresh = self.window.clone();
        self.device_timer
            .start(TimerMode::Repeated, Duration::from_secs(1), move || {
                if let Some(window) = refresh.upgrade() {
                    window.invoke_devices_changed();
                }
            });
        Ok(())
    }

    /// A supervisor's change to the scanners and readers: checked, kept in
    /// the data directory, and the devices restarted with it. True when it
    /// was kept (the form then clears).
    fn change_devices(
        &self,
        change: impl FnOnce(&DevicesConfig) -> Result<DevicesConfig, Text>,
    ) -> bool {
        let Some(window) = self.window.upgrade() else {
            return false;
        };
        let (kept, result) = if !window.get_session().supervisor {
            (
                false,
                text!("Only a supervisor may change the scanners and readers"),
            )
        } else {
            let changed = change(&self.devices.borrow());
            match changed {
                Err(why) => (false, why),
                Ok(next) => match device_setup::keep(&self.options.data_dir, &next) {
                    Err(e) => (false, text!("Not saved: {error}", error = format!("{e:#}"))),
                    Ok(()) => {
                        *self.devices.borrow_mut() = next;
                        (true, self.restart_devices())
                    }
                },
            }
        };
        *self.devices_result.borrow_mut() = Some(result);
        self.show_settings(&window);
        kept
    }

    /// Stops the running devices (their threads are joined off the UI
    /// thread) and starts the current list, if the devices were started.
    fn restart_devices(&self) -> Text {
        if let Some(old) = self.supervisor.borrow_mut().take() {
            self.device_timer.stop();
            let stopping = std::thread::Builder::new()
                .name("lotline-devices-stop".into())
                .spawn(move || old.stop());
            if let Err(e) = stopping {
                tracing::error!(error = %e, "cannot stop the old devices apart; they stop with the terminal");
            }
        }
        if !self.devices_wanted.get() {
            return text!("Saved: the devices start with the terminal");
        }
        match self.start_devices() {
            Ok(()) => {
                self.show_devices();
                text!("Saved: the scanners and readers restarted")
            }
            Err(e) => text!(
                "Saved, but the devices did not start: {error}",
                error = format!("{e:#}")
            ),
        }
    }

    /// Starts the background sync when the terminal is enrolled.
    fn start_sync(&self) -> Result<()> {
        if self.sync.borrow().is_some() {
            return Ok(());
        }
        let weak = self.window.clone();
        let service = SyncService::start_if_enrolled(
            &self.options.data_dir,
            self.options.sync.clone(),
            Some(Box::new(move |status: &SyncStatus| {
                let status = status.clone();
                let _ = weak.upgrade_in_event_loop(move |window| {
                    super::show_sync_status(&window, &status);
                });
            })),
        )?;
        if let Some(service) = service {
            self.enrolled.set(true);
            if let Some(window) = self.window.upgrade() {
                super::show_sync_status(&window, &service.status());
            }
            *self.nudger.lock().unwrap_or_else(PoisonError::into_inner) = Some(service.nudger());
            *self.sync.borrow_mut() = Some(service);
        }
        Ok(())
    }

    fn stop(&self) {
        self.device_timer.stop();
        if let Some(supervisor) = self.supervisor.borrow_mut().take() {
            // Its event channel closes, so the device forwarder ends too.
            supervisor.stop();
        }
        self.inputs.borrow_mut().take();
        if let Some(worker) = self.worker.borrow_mut().take()
            && worker.stop().is_err()
        {
            tracing::error!("the engine thread panicked");
        }
        self.nudger
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(service) = self.sync.borrow_mut().take() {
            service.stop();
        }
    }
}

/// The window's form of a session.
fn session_info(session: &Session) -> SessionInfo {
    let (task, order, carton_open) = match &session.task {
        TaskKind::Idle => (ShownTask::Idle, "", false),
        TaskKind::Receive => (ShownTask::Receive, "", false),
        TaskKind::Putaway => (ShownTask::Putaway, "", false),
        TaskKind::Lookup => (ShownTask::Lookup, "", false),
        TaskKind::Pick { order } => (ShownTask::Pick, order.as_str(), false),
        TaskKind::Pack { order, carton_open } => (ShownTask::Pack, order.as_str(), *carton_open),
        TaskKind::Count => (ShownTask::Count, "", false),
        TaskKind::Return => (ShownTask::Returns, "", false),
        TaskKind::Hold => (ShownTask::Hold, "", false),
        TaskKind::Release => (ShownTask::Release, "", false),
    };
    let operator = session.operator.as_ref();
    SessionInfo {
        signed_in: operator.is_some(),
        operator: operator.map(|o| o.name.as_str()).unwrap_or("").into(),
        supervisor: operator.is_some_and(|o| o.role == crate::workflow::Role::Supervisor),
        task,
        order: order.into(),
        carton_open,
        can_undo: session.can_undo,
    }
}

/// The window's form of an open order.
fn order_row(order: &OpenOrder) -> OrderRow {
    OrderRow {
        number: order.number.as_str().into(),
        customer: order.customer.as_str().into(),
        step: match order.step {
            OrderStep::NotStarted => ShownStep::NotStarted,
            OrderStep::Picking => ShownStep::Picking,
            OrderStep::ReadyToPack => ShownStep::ReadyToPack,
            OrderStep::ReadyToShip => ShownStep::ReadyToShip,
        },
        ordered: slint_int(order.ordered),
        picked: slint_int(order.picked),
    }
}
