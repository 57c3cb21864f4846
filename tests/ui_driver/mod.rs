//! Drives the terminal's window without a display, for the headless UI
//! tests (`tests/ui_terminal.rs`) and the screenshots example: keys go in
//! through the window's event queue as a keyboard-wedge scanner's would,
//! buttons are pressed through their accessible labels, and the engine's
//! answers are collected with `Terminal::settle`. The caller sets up the
//! Slint platform: the testing backend, or [`offscreen`] (a software
//! renderer drawing into memory, for screenshots and the start-up
//! benchmark).

#![allow(dead_code)]

use std::rc::Rc;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use i_slint_backend_testing::{AccessibleRole, ElementHandle};
use lotline::devices::DevicesConfig;
use lotline::journal::Journal;
use lotline::ui::{FeedbackLevel, MainWindow, Place, Terminal, TerminalOptions};
use lotline::workflow_config::WorkflowConfig;
use slint::platform::software_renderer::{
    MinimalSoftwareWindow, PremultipliedRgbaColor, RepaintBufferType,
};
use slint::platform::{Key, Platform, WindowAdapter, WindowEvent};
use slint::{ComponentHandle, PhysicalSize, SharedString};

/// The recalled cheddar lot of the demo warehouse.
pub const RECALLED: &str = "(01)09506000134376(10)CH2611R";
/// A yoghurt lot that expires after the first one on the shelf.
pub const LATER_YOGHURT: &str = "(01)09506000134352(30)6(10)Y2612C";

/// The session's time: the demo warehouse is loaded as of this day.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 10, 0, 0).unwrap()
}

/// The packing station's settings for the demo warehouse: cartons are
/// numbered here.
pub fn demo_station() -> WorkflowConfig {
    toml::from_str(
        "packing_location = \"PACK\"\n[cartons]\ncompany_prefix = \"9506000\"\nstation = \"1\"\n",
    )
    .expect("workflow settings")
}

/// A data directory whose journal holds the demo warehouse as of [`now`].
pub fn demo_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut journal = Journal::open(dir.path().join("journal.sqlite")).expect("journal");
    lotline::cli::demo_data::load(&mut journal, now().date_naive(), now()).expect("demo");
    dir
}

/// A terminal over a temporary data directory, its window shown on this
/// thread's Slint platform.
pub struct Ui {
    pub terminal: Terminal,
    pub dir: tempfile::TempDir,
}

impl Ui {
    /// A terminal whose journal holds the demo warehouse.
    pub fn demo() -> Ui {
        Ui::open(demo_dir(), Rc::new(Instant::now))
    }

    /// A terminal over `dir`, its wedge timing keys by `keys`.
    pub fn open(dir: tempfile::TempDir, keys: Rc<dyn Fn() -> Instant>) -> Ui {
        let options = TerminalOptions {
            data_dir: dir.path().to_owned(),
            config_path: dir.path().join("lotline.toml"),
            workflow: demo_station().settings().expect("settings"),
            devices: DevicesConfig::default(),
            sync: lotline::sync::SyncConfig::default().service_settings(),
            language: None,
            sound: false,
        };
        let terminal = Terminal::open(options, Rc::new(now), keys).expect("terminal opens");
        terminal.window().show().expect("window is shown");
        Ui { terminal, dir }
    }

    pub fn window(&self) -> &MainWindow {
        self.terminal.window()
    }

    /// Waits for the engine to answer everything sent.
    pub fn settle(&self) {
        assert!(
            self.terminal.settle(Duration::from_secs(20)),
            "the engine answers"
        );
    }

    /// Sends `text` key by key, then Enter, as a keyboard-wedge scanner
    /// does, and waits for the answer.
    pub fn scan(&self, text: &str) {
        let keys = text
            .chars()
            .map(SharedString::from)
            .chain([SharedString::from(Key::Return)]);
        for key in keys {
            let window = self.window().window();
            window.dispatch_event(WindowEvent::KeyPressed { text: key.clone() });
            window.dispatch_event(WindowEvent::KeyReleased { text: key });
        }
        self.settle();
    }

    /// Presses the button labelled `label` and waits for any answer.
    pub fn press(&self, label: &str) {
        let buttons: Vec<ElementHandle> =
            ElementHandle::find_by_accessible_label(self.window(), label)
                .filter(|e| e.accessible_role() == Some(AccessibleRole::Button))
                .collect();
        assert_eq!(buttons.len(), 1, "one button labelled {label:?}");
        buttons[0].invoke_accessible_default_action();
        self.settle();
    }

    /// Whether something labelled `label` is on screen.
    pub fn shows(&self, label: &str) -> bool {
        ElementHandle::find_by_accessible_label(self.window(), label)
            .next()
            .is_some()
    }

    /// Scrolls the screen holding the element labelled `label` by `down`
    /// logical pixels (up when negative): the testing backend finds only
    /// what is in view.
    pub fn scroll(&self, label: &str, down: f32) {
        ElementHandle::find_by_accessible_label(self.window(), label)
            .next()
            .unwrap_or_else(|| panic!("an element labelled {label:?}"))
            .scroll(0.0, -down);
    }

    /// Adds a device on the Settings screen (open, as a supervisor): the
    /// kind's button, its name and where it is, then "Add device".
    pub fn add_device(&self, kind: &str, name: &str, at: &str) {
        self.scroll("Language", 10_000.0);
        self.press(kind);
        self.type_into("Device name", name);
        self.type_into("Where", at);
        self.press("Add device");
    }

    /// Types `text` into the field labelled `label`.
    pub fn type_into(&self, label: &str, text: &str) {
        ElementHandle::find_by_accessible_label(self.window(), label)
            .next()
            .unwrap_or_else(|| panic!("a field labelled {label:?}"))
            .set_accessible_value(text);
    }

    /// The journal as recorded so far.
    pub fn journal(&self) -> Journal {
        Journal::open(self.dir.path().join("journal.sqlite")).expect("journal")
    }

    pub fn level(&self) -> FeedbackLevel {
        self.window().get_feedback().level
    }

    pub fn message(&self) -> String {
        self.window().get_feedback().message.to_string()
    }

    /// Signs in with `badge` and checks the home screen is up.
    pub fn sign_in(&self, badge: &str) {
        self.scan(badge);
        assert!(self.window().get_session().signed_in, "{}", self.message());
        assert_eq!(self.window().get_place(), Place::Home);
    }
}

/// Opens picking of `order` from the home screen's pick list.
pub fn start_picking(ui: &Ui, order: &str) {
    ui.press("Pick");
    assert_eq!(ui.window().get_place(), Place::OrdersPick);
    ui.press(order);
    assert_eq!(ui.window().get_session().task, lotline::ui::TaskKind::Pick);
    assert_eq!(ui.window().get_session().order, order);
}

/// A Slint platform with one window drawn into memory.
struct Offscreen {
    window: Rc<MinimalSoftwareWindow>,
}

impl Platform for Offscreen {
    fn create_window_adapter(&self) -> Result<Rc<dyn WindowAdapter>, slint::PlatformError> {
        Ok(self.window.clone())
    }
}

/// Makes this thread's Slint platform a software renderer with one window
/// of `width` × `height` pixels, and returns that window.
pub fn offscreen(width: u32, height: u32) -> Rc<MinimalSoftwareWindow> {
    let window = MinimalSoftwareWindow::new(RepaintBufferType::NewBuffer);
    slint::platform::set_platform(Box::new(Offscreen {
        window: window.clone(),
    }))
    .expect("the platform is set once");
    window.set_size(PhysicalSize::new(width, height));
    window
}

/// Draws `window` as it is now.
pub fn draw(window: &MinimalSoftwareWindow) -> Vec<PremultipliedRgbaColor> {
    slint::platform::update_timers_and_animations();
    let size = window.size();
    let width = size.width as usize;
    let mut pixels = vec![PremultipliedRgbaColor::default(); width * size.height as usize];
    window.request_redraw();
    window.draw_if_needed(|renderer| {
        renderer.render(&mut pixels, width);
    });
    pixels
}
