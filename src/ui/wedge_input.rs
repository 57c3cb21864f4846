//! Scan anywhere: every key the window receives passes through the
//! keyboard-wedge classifier ([`crate::devices::wedge`]) before the focused
//! field sees it. A fast burst ended by Enter is a scan, handed to the
//! window's scan handler wherever the focus is; anything slower is a person
//! typing, and the held keys are sent on to the focused field in order a
//! few milliseconds later.
//!
//! The window's root `FocusScope` asks [`WedgeInput::key`] from its
//! `capture-key-pressed` callback whether to hold a key. Held keys are sent
//! on by dispatching them to the window again (recognised and let through
//! while they are replayed), from a timer rather than from inside the
//! callback, so Slint's event handling is never re-entered.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use std::time::{Duration, Instant};

use slint::platform::WindowEvent;
use slint::{SharedString, Timer, TimerMode};

use crate::devices::wedge::{WedgeClassifier, WedgeConfig, WedgeKey, WedgeOutput};

/// How often held keys are checked while some are held.
const POLL: Duration = Duration::from_millis(5);

/// Where the time of each key comes from (the real clock in the terminal,
/// a stepped one in tests).
pub type Clock = Rc<dyn Fn() -> Instant>;

/// What the window does with a scan taken by the wedge.
pub type ScanHandler = Box<dyn Fn(SharedString)>;

/// The window's wedge: classifier, keys waiting to be sent on, and the
/// timer that sends them.
pub struct WedgeInput {
    classifier: RefCell<WedgeClassifier>,
    /// Keys to send on to the focused field, in order.
    pending: RefCell<VecDeque<SharedString>>,
    /// True while pending keys are being dispatched: they pass.
    replaying: Cell<bool>,
    clock: Clock,
    window: slint::Weak<super::MainWindow>,
    on_scan: ScanHandler,
    timer: Timer,
}

impl WedgeInput {
    /// The wedge of `window`, timing keys by `clock` and handing scans to
    /// `on_scan`.
    pub fn new(
        window: slint::Weak<super::MainWindow>,
        config: WedgeConfig,
        clock: Clock,
        on_scan: ScanHandler,
    ) -> Rc<WedgeInput> {
        Rc::new(WedgeInput {
            classifier: RefCell::new(WedgeClassifier::new(config)),
            pending: RefCell::new(VecDeque::new()),
            replaying: Cell::new(false),
            clock,
            window,
            on_scan,
            timer: Timer::default(),
        })
    }

    /// Takes the key `text` the window received; true when the wedge holds
    /// it (the focused field must not see it now).
    pub fn key(self: &Rc<Self>, text: &str) -> bool {
        if self.replaying.get() {
            return false;
        }
        let key = match classify(text) {
            Some(key) => key,
            // Any other key (Backspace, arrows, Tab...) passes, unless
            // earlier keys still wait: then it waits behind them.
            None if self.pending.borrow().is_empty() && !self.holding() => return false,
            None => {
                self.release_held();
                self.pending.borrow_mut().push_back(text.into());
                self.schedule();
                return true;
            }
        };
        let outputs = self.classifier.borrow_mut().key(key, (self.clock)());
        self.apply(outputs);
        self.schedule();
        true
    }

    /// True while the classifier holds keys of a possible scan.
    fn holding(&self) -> bool {
        self.classifier.borrow().is_holding()
    }

    /// Releases whatever the classifier holds as typing, now.
    fn release_held(&self) {
        let released = self.classifier.borrow_mut().release();
        self.apply(released);
    }

    fn apply(&self, outputs: impl IntoIterator<Item = WedgeOutput>) {
        for output in outputs {
            match output {
                WedgeOutput::Scan(text) => (self.on_scan)(text.into()),
                WedgeOutput::Typed(keys) => {
                    let mut pending = self.pending.borrow_mut();
                    pending.extend(keys.into_iter().map(|key| match key {
                        WedgeKey::Char(c) => SharedString::from(c.to_string()),
                        WedgeKey::Enter => SharedString::from(slint::platform::Key::Return),
                    }));
                }
            }
        }
    }

    /// Keeps the timer running while keys are held or waiting.
    fn schedule(self: &Rc<Self>) {
        if !self.holding() && self.pending.borrow().is_empty() {
            self.timer.stop();
            return;
        }
        if self.timer.running() {
            return;
        }
        let wedge = Rc::downgrade(self);
        self.timer.start(TimerMode::Repeated, POLL, move || {
            if let Some(wedge) = wedge.upgrade() {
                wedge.tick();
            }
        });
    }

    /// Releases keys held longer than a scan allows and sends on every
    /// waiting key.
    fn tick(self: &Rc<Self>) {
        let released = self.classifier.borrow_mut().poll((self.clock)());
        self.apply(released);
        let keys: Vec<SharedString> = self.pending.borrow_mut().drain(..).collect();
        if let Some(window) = self.window.upgrade() {
            use slint::ComponentHandle;
            self.replaying.set(true);
            for text in keys {
                window
                    .window()
                    .dispatch_event(WindowEvent::KeyPressed { text: text.clone() });
                window
                    .window()
                    .dispatch_event(WindowEvent::KeyReleased { text });
            }
            self.replaying.set(false);
        }
        self.schedule();
    }
}

/// The wedge's view of a key: a printable character or Enter; None for
/// keys a scanner never sends (Slint names them with control characters
/// or private-use code points).
fn classify(text: &str) -> Option<WedgeKey> {
    let mut chars = text.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return None;
    };
    if text == SharedString::from(slint::platform::Key::Return).as_str() || c == '\r' {
        return Some(WedgeKey::Enter);
    }
    // GS (FNC1) is part of GS1 data: a wedge scanner types it as Ctrl+].
    let private_use = ('\u{e000}'..='\u{f8ff}').contains(&c);
    (c == '\u{1d}' || !c.is_control() && !private_use).then_some(WedgeKey::Char(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_keys_and_enter_are_the_wedges_the_rest_pass() {
        assert_eq!(classify("a"), Some(WedgeKey::Char('a')));
        assert_eq!(classify("é"), Some(WedgeKey::Char('é')));
        assert_eq!(classify("\u{1d}"), Some(WedgeKey::Char('\u{1d}')));
        assert_eq!(classify("\n"), Some(WedgeKey::Enter));
        assert_eq!(classify("\r"), Some(WedgeKey::Enter));
        for special in [
            slint::platform::Key::Backspace,
            slint::platform::Key::Tab,
            slint::platform::Key::Escape,
            slint::platform::Key::LeftArrow,
            slint::platform::Key::F1,
        ] {
            assert_eq!(classify(SharedString::from(special).as_str()), None);
        }
        assert_eq!(classify(""), None);
        assert_eq!(classify("ab"), None, "a composed text is not one key");
    }
}
