//! The scan window driven headlessly through Slint's testing backend: keys
//! go in through the window's event queue, as a keyboard-wedge scanner's
//! would, and the tests read the result the window displays.

use std::cell::Cell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use lotline::scan::DecodeOptions;
use lotline::sync::{Connectivity, SyncStatus};
use lotline::ui::{self, KeyKind, MainWindow, ScanStatus};
use slint::platform::{Key, PointerEventButton, WindowEvent};
use slint::{ComponentHandle, LogicalPosition, SharedString};

/// A shown window on this thread's own headless backend.
fn window() -> MainWindow {
    window_offering(None)
}

/// A shown window, offering the demo warehouse with `demo`.
fn window_offering(demo: Option<ui::DemoOffer>) -> MainWindow {
    i_slint_backend_testing::init_no_event_loop();
    let options = DecodeOptions {
        today: NaiveDate::from_ymd_opt(2026, 11, 25).expect("valid date"),
    };
    let window = ui::build(options, demo).expect("window is created");
    window.show().expect("window is shown");
    window
}

/// Sends `text` key by key, then Enter, as a keyboard-wedge scanner does.
fn scan(window: &MainWindow, text: &str) {
    let keys = text
        .chars()
        .map(SharedString::from)
        .chain([SharedString::from(Key::Return)]);
    let window = window.window();
    for key in keys {
        window.dispatch_event(WindowEvent::KeyPressed { text: key.clone() });
        window.dispatch_event(WindowEvent::KeyReleased { text: key });
    }
}

/// A tap at `(x, y)` in logical pixels.
fn tap(window: &MainWindow, x: f32, y: f32) {
    let position = LogicalPosition::new(x, y);
    let button = PointerEventButton::Left;
    let window = window.window();
    window.dispatch_event(WindowEvent::PointerPressed { position, button });
    window.dispatch_event(WindowEvent::PointerReleased { position, button });
}

#[test]
fn opens_portrait_and_idle() {
    let window = window();
    let size = window.window().size();
    assert_eq!((size.width, size.height), (480, 800));
    let result = window.get_result();
    assert_eq!(result.status, ScanStatus::Idle);
    assert_eq!(result.key_kind, KeyKind::None);
}

#[test]
fn typed_text_shows_as_text_in_green() {
    let window = window();
    scan(&window, "LOC-A-01");
    let result = window.get_result();
    assert_eq!(result.status, ScanStatus::Ok);
    assert_eq!(result.key_kind, KeyKind::Text);
    assert_eq!(result.key, "LOC-A-01");
    assert_eq!(result.input, "LOC-A-01");
    assert_eq!(result.carrier, "");
    assert_eq!(result.lot, "");
    assert_eq!(result.error, "");
}

#[test]
fn bad_retail_number_shows_the_error() {
    let window = window();
    scan(&window, "]E04006381333932");
    let result = window.get_result();
    assert_eq!(result.status, ScanStatus::Error);
    assert_eq!(result.key_kind, KeyKind::None);
    assert_eq!(
        result.error,
        "invalid EAN-13 number \"4006381333932\": check digit should be 1"
    );
}

#[test]
fn each_scan_replaces_the_last_and_the_field_is_cleared() {
    let window = window();
    scan(&window, "]E04006381333932");
    assert_eq!(window.get_result().status, ScanStatus::Error);
    scan(&window, "PO-4711");
    let result = window.get_result();
    assert_eq!(result.status, ScanStatus::Ok);
    assert_eq!(result.key, "PO-4711", "the field was cleared after Enter");
    assert_eq!(result.error, "");
}

#[test]
fn enter_alone_keeps_the_last_scan() {
    let window = window();
    scan(&window, "LOC-A-01");
    scan(&window, "");
    assert_eq!(window.get_result().key, "LOC-A-01");
}

#[test]
fn typed_gs_escape_reaches_the_decoder_as_gs() {
    let window = window();
    // Inside text the GS stays text, so the decoded value shows the
    // conversion; a leading GS would mark the data as GS1.
    scan(&window, r"BOX\x1d7");
    let result = window.get_result();
    assert_eq!(result.key, "BOX\u{1d}7");
    assert_eq!(result.input, r"BOX\x1d7", "the footer shows what was typed");
}

#[test]
fn a_tap_anywhere_leaves_the_focus_for_the_scanner() {
    let window = window();
    tap(&window, 240.0, 600.0);
    tap(&window, 10.0, 10.0);
    scan(&window, "LOC-B-02");
    assert_eq!(window.get_result().key, "LOC-B-02");
}

/// The first start on an empty journal offers the demo warehouse; the
/// button loads it into the journal and the offer is not made again.
#[test]
fn first_start_offers_the_demo_warehouse_and_loads_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let journal = dir.path().join("journal.sqlite");
    let offer = ui::DemoOffer::for_journal(&journal).expect("checked");
    let window = window_offering(offer);
    assert!(window.get_offer_demo());
    let button = i_slint_backend_testing::ElementHandle::find_by_accessible_label(
        &window,
        "Load the demo warehouse",
    )
    .next()
    .expect("the offer has a labelled button");
    button.invoke_accessible_default_action();
    assert!(!window.get_offer_demo());
    let notice = window.get_notice();
    assert!(notice.starts_with("Demo data loaded"), "{notice}");
    let loaded = lotline::journal::Journal::open(&journal).expect("journal");
    assert!(loaded.last_seq() > 0);
    drop(loaded);
    assert_eq!(ui::DemoOffer::for_journal(&journal).expect("checked"), None);
}

#[test]
fn the_demo_offer_can_be_declined() {
    let dir = tempfile::tempdir().expect("temp dir");
    let journal = dir.path().join("journal.sqlite");
    let window = window_offering(ui::DemoOffer::for_journal(&journal).expect("checked"));
    i_slint_backend_testing::ElementHandle::find_by_accessible_label(&window, "Not now")
        .next()
        .expect("labelled button")
        .invoke_accessible_default_action();
    assert!(!window.get_offer_demo());
    assert!(!journal.exists(), "nothing was written");
}

/// The window speaks German and Spanish too (bundled translations).
#[test]
fn the_window_is_translated_into_german_and_spanish() {
    let dir = tempfile::tempdir().expect("temp dir");
    let offer = ui::DemoOffer::for_journal(&dir.path().join("journal.sqlite")).expect("checked");
    let window = window_offering(offer);
    let has_label = |label: &str| {
        i_slint_backend_testing::ElementHandle::find_by_accessible_label(&window, label)
            .next()
            .is_some()
    };
    ui::select_language("de").expect("German is bundled");
    assert!(has_label("Demo-Lager laden"));
    ui::select_language("es").expect("Spanish is bundled");
    assert!(has_label("Cargar el almacén de demostración"));
    ui::select_language("en").expect("English is the source");
    assert!(has_label("Load the demo warehouse"));
    assert!(ui::select_language("fr").is_err());
}

/// The sync line is absent until a sync service reports, then says where
/// it stands: connectivity, events left to send (plural-aware, translated)
/// and the last success in local time.
#[test]
fn the_sync_line_shows_connectivity_pending_and_the_last_sync() {
    let window = window();
    let has_label = |label: &str| {
        i_slint_backend_testing::ElementHandle::find_by_accessible_label(&window, label)
            .next()
            .is_some()
    };
    assert_eq!(window.get_sync().state, ui::SyncState::Off);
    let offline = SyncStatus {
        connectivity: Connectivity::Offline {
            reason: "the server at http://127.0.0.1:9 cannot be reached".into(),
            retry_in: std::time::Duration::from_secs(4),
        },
        pending: 3,
        ..SyncStatus::default()
    };
    ui::show_sync_status(&window, &offline);
    assert_eq!(window.get_sync().state, ui::SyncState::Offline);
    assert!(has_label("Sync: offline · 3 events to send"));
    ui::show_sync_status(
        &window,
        &SyncStatus {
            pending: 1,
            ..offline.clone()
        },
    );
    assert!(has_label("Sync: offline · 1 event to send"));

    let now = chrono::Utc::now();
    let online = SyncStatus {
        connectivity: Connectivity::Online,
        pending: 0,
        last_success: Some(now),
        ..SyncStatus::default()
    };
    ui::show_sync_status(&window, &online);
    let local = now
        .with_timezone(&chrono::Local)
        .format("%H:%M")
        .to_string();
    assert!(has_label(&format!(
        "Sync: online · all sent · last sync {local}"
    )));

    ui::select_language("de").expect("German is bundled");
    ui::show_sync_status(&window, &offline);
    assert!(has_label(
        "Synchronisierung: offline · 3 Ereignisse zu senden"
    ));
    ui::select_language("en").expect("English is the source");
}

/// A shown window whose keyboard wedge reads the time from `clock`.
fn window_with_clock(clock: Rc<Cell<Instant>>) -> MainWindow {
    i_slint_backend_testing::init_no_event_loop();
    let options = DecodeOptions {
        today: NaiveDate::from_ymd_opt(2026, 11, 25).expect("valid date"),
    };
    let window = ui::build_with_clock(options, None, Rc::new(move || clock.get()))
        .expect("window is created");
    window.show().expect("window is shown");
    window
}

/// What the barcode field holds, read as assistive technology reads it.
fn field_text(window: &MainWindow) -> String {
    i_slint_backend_testing::ElementHandle::find_by_accessible_label(window, "Barcode")
        .next()
        .expect("the barcode field is labelled")
        .accessible_value()
        .unwrap_or_default()
        .to_string()
}

/// Sends `text` (`\n`: Enter) with `gap` between keys, the window's
/// timers running meanwhile, as a person or a scanner types.
fn type_keys(window: &MainWindow, clock: &Cell<Instant>, text: &str, gap: Duration) {
    for c in text.chars() {
        let key = if c == '\n' {
            SharedString::from(Key::Return)
        } else {
            SharedString::from(c)
        };
        window
            .window()
            .dispatch_event(WindowEvent::KeyPressed { text: key.clone() });
        window
            .window()
            .dispatch_event(WindowEvent::KeyReleased { text: key });
        clock.set(clock.get() + gap);
        i_slint_backend_testing::mock_elapsed_time(gap);
    }
}

#[test]
fn a_person_typing_slowly_types_into_the_field() {
    let clock = Rc::new(Cell::new(Instant::now()));
    let window = window_with_clock(Rc::clone(&clock));
    let slow = Duration::from_millis(150);
    type_keys(&window, &clock, "0950600013435", slow);
    assert_eq!(
        field_text(&window),
        "0950600013435",
        "each key is in the field"
    );
    type_keys(&window, &clock, "2\n", slow);
    assert_eq!(field_text(&window), "", "Enter took the text");
    let result = window.get_result();
    assert_eq!(
        result.input, "09506000134352",
        "every key reached the field"
    );
    assert_eq!(result.key_kind, KeyKind::Gtin);
}

#[test]
fn a_scanner_burst_is_a_scan_wherever_the_focus_is_and_typing_is_kept() {
    let clock = Rc::new(Cell::new(Instant::now()));
    let window = window_with_clock(Rc::clone(&clock));
    let slow = Duration::from_millis(150);
    type_keys(&window, &clock, "L0", slow);
    // The scanner interrupts the person: its burst is taken as a scan
    // without going through the half-typed field.
    type_keys(
        &window,
        &clock,
        "(01)09506000134352(10)ABC\n",
        Duration::from_millis(3),
    );
    let scanned = window.get_result();
    assert_eq!(scanned.key, "09506000134352");
    assert_eq!(scanned.lot, "ABC");
    assert_eq!(scanned.input, "(01)09506000134352(10)ABC");
    assert_eq!(
        field_text(&window),
        "L0",
        "no key of the scan went into the field"
    );
    // The person's text is still in the field and goes on.
    type_keys(&window, &clock, "T1\n", slow);
    let typed = window.get_result();
    assert_eq!(typed.input, "L0T1");
    assert_eq!(typed.key_kind, KeyKind::Text);
}
