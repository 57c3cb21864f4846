//! The touchscreen window: thin Slint glue between the screens described in
//! `ui/*.slint` and the scan decoder.
//!
//! [`build`] creates the window with its callbacks wired, [`run`] shows it
//! and runs the event loop. What a scan looks like on screen is decided in
//! [`scan_view`], which has no Slint in it; whether to offer the demo
//! warehouse on a first start, in [`first_start`]. On an enrolled terminal
//! [`run`] also starts the background sync service, whose status the
//! window shows in one line ([`sync_line`]). Every key passes the
//! keyboard-wedge classifier first ([`wedge_input`]), so a wedge scanner's
//! burst is a scan wherever the focus is.

pub mod first_start;
pub mod scan_view;
pub mod sync_line;
pub mod wedge_input;

use std::path::Path;
use std::rc::Rc;
use std::time::Instant;

use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use crate::devices::wedge::WedgeConfig;
use crate::journal;
use crate::scan::{self, DecodeOptions};
use crate::sync::{ServiceSettings, SyncService, SyncStatus};
pub use first_start::DemoOffer;
use scan_view::{KeyKind as ViewKey, ScanView, Status};
use wedge_input::WedgeInput;

slint::include_modules!();

/// Creates the scan window, not yet shown: each text ended by Enter is
/// decoded with `options` and displayed. With `demo`, the window first
/// offers to load the demo warehouse. Used by [`run`] and by tests, which
/// drive the same window without a display.
pub fn build(
    options: DecodeOptions,
    demo: Option<DemoOffer>,
) -> Result<MainWindow, slint::PlatformError> {
    build_with_clock(options, demo, Rc::new(Instant::now))
}

/// [`build`] with the keyboard wedge timing keys by `clock`: tests step it
/// to type like a person or like a scanner.
pub fn build_with_clock(
    options: DecodeOptions,
    demo: Option<DemoOffer>,
    clock: wedge_input::Clock,
) -> Result<MainWindow, slint::PlatformError> {
    let window = MainWindow::new()?;
    window.set_offer_demo(demo.is_some());
    if let Some(offer) = demo {
        let weak = window.as_weak();
        window.on_load_demo(move || {
            let Some(window) = weak.upgrade() else {
                return;
            };
            let notice = match offer.accept(chrono::Utc::now()) {
                Ok(summary) => summary,
                Err(e) => format!("The demo data could not be loaded: {e:#}"),
            };
            tracing::info!(%notice, "demo data offer accepted");
            window.set_notice(notice.into());
            window.set_offer_demo(false);
        });
    }
    let weak = window.as_weak();
    window.on_skip_demo(move || {
        if let Some(window) = weak.upgrade() {
            window.set_offer_demo(false);
        }
    });
    let weak = window.as_weak();
    let show: Rc<dyn Fn(SharedString)> = Rc::new(move |typed: SharedString| {
        let Some(window) = weak.upgrade() else {
            return;
        };
        let data = scan_view::scanner_data(&typed);
        if data.is_empty() {
            // Enter on an empty field: keep showing the last scan.
            return;
        }
        let view = ScanView::of(&scan::decode(&data, &options));
        window.set_result(scan_result(view, typed));
    });
    let typed = Rc::clone(&show);
    window.on_scanned(move |text| typed(text));
    let wedge = WedgeInput::new(
        window.as_weak(),
        WedgeConfig::default(),
        clock,
        Box::new(move |text| show(text)),
    );
    window.on_wedge_key(move |text| wedge.key(&text));
    Ok(window)
}

/// The languages the window is translated into (`lang/`), English being
/// the source language.
pub const LANGUAGES: [&str; 3] = ["en", "de", "es"];

/// Switches the window's language to `language` (one of [`LANGUAGES`]);
/// without a call the system locale chooses, falling back to English. Call
/// it after the window is built.
pub fn select_language(language: &str) -> anyhow::Result<()> {
    anyhow::ensure!(
        LANGUAGES.contains(&language),
        "language {language:?} is not one of {}",
        LANGUAGES.join(", ")
    );
    slint::select_bundled_translation(language)
        .map_err(|e| anyhow::anyhow!("cannot select language {language:?}: {e}"))
}

/// Opens the scan window over the journal in `data_dir` (offering the
/// demo warehouse when it is empty) in `language` (else the system
/// locale's) and runs the event loop until it is closed. When the terminal
/// is enrolled, the background sync service runs meanwhile with `sync`,
/// its status shown at the foot of the window; closing the window stops it.
pub fn run(
    options: DecodeOptions,
    data_dir: &Path,
    language: Option<&str>,
    sync: ServiceSettings,
) -> anyhow::Result<()> {
    let demo = DemoOffer::for_journal(&data_dir.join(journal::FILE_NAME))?;
    let window = build(options, demo)?;
    if let Some(language) = language {
        select_language(language)?;
    }
    let weak = window.as_weak();
    let service = SyncService::start_if_enrolled(
        data_dir,
        sync,
        Some(Box::new(move |status: &SyncStatus| {
            let (weak, status) = (weak.clone(), status.clone());
            // The service thread must not touch the window: the event loop
            // applies the status.
            let _ = slint::invoke_from_event_loop(move || {
                if let Some(window) = weak.upgrade() {
                    show_sync_status(&window, &status);
                }
            });
        })),
    )?;
    if let Some(service) = &service {
        show_sync_status(&window, &service.status());
    }
    window.run()?;
    drop(service);
    Ok(())
}

/// Shows `status` in the window's sync line, times in local time.
pub fn show_sync_status(window: &MainWindow, status: &SyncStatus) {
    window.set_sync(sync_line::sync_info(status, &chrono::Local::now()));
}

/// The Slint form of `view`; `input` is the text as it was typed.
fn scan_result(view: ScanView, input: SharedString) -> ScanResult {
    let (key_kind, key) = match view.headline {
        Some(headline) => (key_kind(headline.kind), headline.value.into()),
        None => (KeyKind::None, SharedString::new()),
    };
    ScanResult {
        status: match view.status {
            Status::Ok => ScanStatus::Ok,
            Status::Error => ScanStatus::Error,
        },
        input,
        carrier: shown(view.carrier),
        key_kind,
        key,
        lot: shown(view.lot),
        expiry: shown(view.expiry),
        serial: shown(view.serial),
        best_before: shown(view.best_before),
        quantity: shown(view.quantity),
        details: lines(view.details),
        notes: lines(view.notes),
        error: shown(view.error),
    }
}

/// The Slint key kind of a view's headline.
fn key_kind(kind: ViewKey) -> KeyKind {
    match kind {
        ViewKey::Gtin => KeyKind::Gtin,
        ViewKey::Sscc => KeyKind::Sscc,
        ViewKey::Gln => KeyKind::Gln,
        ViewKey::Text => KeyKind::Text,
    }
}

/// An optional value as the window shows it: absent is empty.
fn shown(value: Option<String>) -> SharedString {
    value.map(SharedString::from).unwrap_or_default()
}

/// Lines of text as a Slint model.
fn lines(lines: Vec<String>) -> ModelRc<SharedString> {
    ModelRc::new(VecModel::from(
        lines
            .into_iter()
            .map(SharedString::from)
            .collect::<Vec<_>>(),
    ))
}
