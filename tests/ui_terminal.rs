//! The terminal driven headlessly through Slint's testing backend, over a
//! real journal holding the demo warehouse (see `ui_driver`): the tests
//! press buttons and scan as an operator does, and read what the window
//! shows and what the journal recorded.

mod ui_driver;

use std::cell::Cell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use i_slint_backend_testing::{AccessibleRole, ElementHandle};
use lotline::devices::DevicesConfig;
use lotline::journal::LotState;
use lotline::sync::{Connectivity, SyncStatus};
use lotline::text::Catalogue;
use lotline::ui::{
    self, DeviceKind, FeedbackLevel, MainWindow, Place, ReasonPurpose, Sheet, TaskKind,
    device_setup,
};
use slint::platform::{Key, WindowEvent};
use slint::{ComponentHandle, Model, SharedString};
use ui_driver::{LATER_YOGHURT, RECALLED, Ui, demo_dir, start_picking};

/// The demo terminal on this thread's headless testing backend.
fn demo() -> Ui {
    i_slint_backend_testing::init_no_event_loop();
    Ui::demo()
}

#[test]
fn opens_portrait_on_the_sign_in_screen() {
    let ui = demo();
    let size = ui.window().window().size();
    assert_eq!((size.width, size.height), (480, 800));
    assert!(!ui.window().get_session().signed_in);
    assert!(ui.shows("Scan your badge"));
    assert!(!ui.window().get_offer_demo(), "the journal has data");
}

#[test]
fn a_badge_signs_in_and_the_home_screen_shows_the_tasks_and_their_state() {
    let ui = demo();
    ui.scan("BADGE-UNKNOWN");
    assert_eq!(ui.level(), FeedbackLevel::Block);
    assert!(ui.window().get_feedback_shown(), "red fills the screen");
    assert!(!ui.window().get_session().signed_in);

    ui.sign_in("BADGE-1001");
    assert_eq!(ui.level(), FeedbackLevel::Ok);
    assert!(ui.window().get_feedback_shown(), "green fills the screen");
    let session = ui.window().get_session();
    assert_eq!(session.operator, "Ana");
    assert!(!session.supervisor);
    let home = ui.window().get_home();
    assert_eq!(home.open_orders, 2, "the demo has two sales orders");
    assert!(
        home.expiring > 0,
        "the demo has lots expiring within 30 days"
    );
    for tile in [
        "Receive", "Putaway", "Pick", "Pack", "Returns", "Count", "Lookup",
    ] {
        assert!(ui.shows(tile), "{tile} tile");
    }
    // Green goes by itself; the home screen is underneath.
    i_slint_backend_testing::mock_elapsed_time(Duration::from_millis(2000));
    assert!(!ui.window().get_feedback_shown());

    ui.press("Sign out");
    assert!(!ui.window().get_session().signed_in);
    assert!(ui.shows("Scan your badge"));
}

#[test]
fn receiving_a_gs1_scan_records_it_with_the_lot_and_expiry_in_large_type() {
    let ui = demo();
    ui.sign_in("BADGE-1001");
    let before = ui.journal().last_seq();
    ui.press("Receive");
    assert_eq!(ui.window().get_session().task, TaskKind::Receive);
    assert!(!ui.window().get_feedback_shown(), "opening a task is quiet");

    ui.scan("(01)09506000134352(17)270131(30)12(10)Y2701N");
    let feedback = ui.window().get_feedback();
    assert_eq!(feedback.level, FeedbackLevel::Ok, "{}", feedback.message);
    assert!(ui.window().get_feedback_shown());
    assert_eq!(feedback.lot, "Y2701N");
    assert_eq!(feedback.expiry, "2027-01-31");
    assert_eq!(feedback.item, "GTIN 09506000134352");
    assert_eq!(ui.journal().last_seq(), before + 1, "one receipt recorded");
    assert!(ui.window().get_session().can_undo);

    // A label without lot or expiry: the form asks for them.
    ui.scan("(01)09506000134369(30)4");
    assert_eq!(ui.level(), FeedbackLevel::Prompt);
    assert_eq!(ui.window().get_sheet(), Sheet::LotExpiry);
    ui.type_into("Lot", "M-TYPED");
    ui.type_into("Expiry", "2026-12-20");
    ui.press("Record");
    assert_eq!(ui.level(), FeedbackLevel::Ok, "{}", ui.message());
    assert_eq!(ui.window().get_sheet(), Sheet::None);
    assert_eq!(ui.journal().last_seq(), before + 2);
    let lot = ui
        .journal()
        .lot_lookup("09506000134369", Some("M-TYPED"))
        .expect("lookup")
        .expect("the typed lot was received");
    assert_eq!(
        lot.expiry.map(|d| d.to_string()).as_deref(),
        Some("2026-12-20")
    );

    // Home leaves the task.
    ui.press("‹ Home");
    assert_eq!(ui.window().get_session().task, TaskKind::Idle);
    assert!(ui.shows("Putaway"));
}

#[test]
fn a_pick_out_of_fefo_order_asks_for_a_reason_then_warns_and_undo_reverses_it() {
    let ui = demo();
    ui.sign_in("BADGE-1002");
    start_picking(&ui, "SO-2001");
    ui.scan("LOC-A-02");
    assert_eq!(ui.level(), FeedbackLevel::Ok);
    let before = ui.journal().last_seq();

    ui.scan(LATER_YOGHURT);
    assert_eq!(ui.level(), FeedbackLevel::Prompt, "{}", ui.message());
    assert!(ui.message().contains("first to expire"), "{}", ui.message());
    assert_eq!(ui.window().get_sheet(), Sheet::Reason);
    assert_eq!(ui.window().get_reason_purpose(), ReasonPurpose::Fefo);
    assert_eq!(ui.journal().last_seq(), before, "nothing recorded yet");

    ui.press("Customer asked for this lot");
    let feedback = ui.window().get_feedback();
    assert_eq!(feedback.level, FeedbackLevel::Warn, "{}", feedback.message);
    assert!(ui.window().get_feedback_shown(), "amber fills the screen");
    assert_eq!(ui.window().get_sheet(), Sheet::None);
    assert_eq!(ui.journal().last_seq(), before + 1);
    let picks = ui
        .journal()
        .sales_order_progress("SO-2001")
        .expect("progress");
    assert_eq!(picks.iter().map(|l| l.picked).sum::<i64>(), 6);

    // Amber stays until tapped.
    i_slint_backend_testing::mock_elapsed_time(Duration::from_millis(5000));
    assert!(ui.window().get_feedback_shown());
    ui.press("Continue");
    assert!(!ui.window().get_feedback_shown());

    ui.press("Undo");
    assert_eq!(ui.level(), FeedbackLevel::Ok, "{}", ui.message());
    assert!(ui.journal().last_seq() > before + 1, "corrections recorded");
    let picks = ui
        .journal()
        .sales_order_progress("SO-2001")
        .expect("progress");
    assert_eq!(picks.iter().map(|l| l.picked).sum::<i64>(), 0, "undone");
    assert!(!ui.window().get_session().can_undo, "one step back only");
}

#[test]
fn a_recalled_lot_turns_the_screen_red_and_records_nothing() {
    let ui = demo();
    ui.sign_in("BADGE-1002");
    start_picking(&ui, "SO-2002");
    ui.scan("LOC-Q-01");
    let before = ui.journal().last_seq();
    ui.scan(RECALLED);
    let feedback = ui.window().get_feedback();
    assert_eq!(feedback.level, FeedbackLevel::Block);
    assert!(ui.window().get_feedback_shown(), "red fills the screen");
    assert!(
        feedback.message.contains("recalled"),
        "{}",
        feedback.message
    );
    assert_eq!(feedback.lot, "CH2611R", "the lot in large type");
    assert_eq!(ui.journal().last_seq(), before, "nothing recorded");
    i_slint_backend_testing::mock_elapsed_time(Duration::from_millis(5000));
    assert!(ui.window().get_feedback_shown(), "red stays until tapped");
}

#[test]
fn the_keypad_types_the_quantity_for_the_next_scan() {
    let ui = demo();
    ui.sign_in("BADGE-1002");
    start_picking(&ui, "SO-2001");
    ui.press("Quantity");
    assert_eq!(ui.window().get_sheet(), Sheet::Quantity);
    for key in ["1", "2", "Delete", "3"] {
        ElementHandle::find_by_accessible_label(ui.window(), key)
            .find(|e| e.accessible_role() == Some(AccessibleRole::Button))
            .unwrap_or_else(|| panic!("key {key}"))
            .invoke_accessible_default_action();
    }
    ui.press("OK");
    assert_eq!(ui.window().get_sheet(), Sheet::None);
    assert!(ui.message().contains("13"), "{}", ui.message());
}

#[test]
fn packing_refuses_the_recalled_lot_and_ships_the_order() {
    let ui = demo();
    ui.sign_in("BADGE-1002");
    start_picking(&ui, "SO-2001");
    ui.scan("LOC-A-02");
    ui.scan(LATER_YOGHURT);
    ui.press("Customer asked for this lot");
    ui.scan("(01)09506000134369(30)4(10)M2611A");
    ui.press("‹ Home");
    ui.press("Pack");
    assert_eq!(ui.window().get_place(), Place::OrdersPack);
    ui.press("SO-2001");
    assert_eq!(ui.window().get_session().task, TaskKind::Pack);
    ui.press("New carton");
    assert!(ui.window().get_session().carton_open, "{}", ui.message());
    ui.scan(RECALLED);
    assert_eq!(ui.level(), FeedbackLevel::Block);
    ui.scan(LATER_YOGHURT);
    ui.scan("(01)09506000134369(30)4(10)M2611A");
    ui.press("Close carton");
    assert_eq!(ui.level(), FeedbackLevel::Ok, "{}", ui.message());
    ui.press("Ship");
    assert!(ui.message().contains("shipped"), "{}", ui.message());
}

#[test]
fn holds_need_a_supervisor_and_a_reason() {
    let ui = demo();
    ui.sign_in("BADGE-1001");
    ui.press("Hold / release");
    assert_eq!(ui.window().get_place(), Place::HoldRelease);
    ui.press("Hold lots");
    assert_eq!(
        ui.window().get_session().task,
        TaskKind::Idle,
        "an operator's Hold lots button does nothing"
    );
    ui.press("‹ Home");
    ui.press("Sign out");

    ui.sign_in("BADGE-1900");
    assert!(ui.window().get_session().supervisor);
    ui.press("Hold / release");
    ui.press("Hold lots");
    ui.press("Quality check");
    assert_eq!(ui.window().get_session().task, TaskKind::Hold);
    ui.scan("(01)09506000134352(10)Y2612C");
    assert_eq!(ui.level(), FeedbackLevel::Ok, "{}", ui.message());
    let status = ui
        .journal()
        .lot_status("09506000134352", Some("Y2612C"))
        .expect("status")
        .expect("the lot has a status");
    assert_eq!(status.state, LotState::Held);
    assert_eq!(status.reason.as_deref(), Some("QUALITY-CHECK"));
    assert_eq!(status.issued_by, "BADGE-1900");
}

#[test]
fn expiry_devices_settings_and_about_screens_show_their_facts() {
    let ui = demo();
    ui.sign_in("BADGE-1001");
    ui.press("Expiry");
    assert_eq!(ui.window().get_place(), Place::Expiry);
    let report = ui.window().get_expiry_report();
    assert!(report.message.contains("expir"), "{}", report.message);
    assert!(slint::Model::row_count(&report.lines) > 0);
    ui.press("‹ Home");
    ui.press("Devices");
    assert_eq!(ui.window().get_place(), Place::Devices);
    assert_eq!(slint::Model::row_count(&ui.window().get_devices()), 0);
    assert!(ui.shows("Devices"), "the screen's title");
    ui.press("‹ Home");
    ui.press("Settings");
    let settings = ui.window().get_settings();
    assert_eq!(settings.server_url, "", "not enrolled");
    assert!(!settings.device_id.is_empty());
    assert!(ui.shows("Enrollment code"));
    ui.press("‹ Home");
    ui.press("About");
    let about = ui.window().get_about();
    assert_eq!(about.version, env!("CARGO_PKG_VERSION"));
    assert!(about.events > 0);
}

/// The first start on an empty journal offers the demo warehouse; the
/// button loads it into the journal and the offer is not made again.
#[test]
fn first_start_offers_the_demo_warehouse_and_loads_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let journal = dir.path().join("journal.sqlite");
    i_slint_backend_testing::init_no_event_loop();
    let ui = Ui::open(dir, Rc::new(Instant::now));
    assert!(ui.window().get_offer_demo());
    ui.press("Load the demo warehouse");
    assert!(!ui.window().get_offer_demo());
    let notice = ui.window().get_notice();
    assert!(notice.starts_with("Demo data loaded"), "{notice}");
    assert!(ui.journal().last_seq() > 0);
    assert_eq!(ui::DemoOffer::for_journal(&journal).expect("checked"), None);
    ui.sign_in("BADGE-1001");
    assert_eq!(
        u64::try_from(ui.window().get_sync().pending).expect("a count"),
        ui.journal().last_seq(),
        "the sync line counts the demo's events once the home screen comes"
    );
}

#[test]
fn the_demo_offer_can_be_declined() {
    let dir = tempfile::tempdir().expect("temp dir");
    i_slint_backend_testing::init_no_event_loop();
    let ui = Ui::open(dir, Rc::new(Instant::now));
    ui.press("Not now");
    assert!(!ui.window().get_offer_demo());
    assert_eq!(ui.journal().last_seq(), 0, "nothing was recorded");
}

/// The window speaks German and Spanish too (bundled translations).
#[test]
fn the_window_is_translated_into_german_and_spanish() {
    let ui = demo();
    ui.sign_in("BADGE-1001");
    ui::select_language("de").expect("German is bundled");
    assert!(ui.shows("Eingang"), "the Receive tile in German");
    ui::select_language("es").expect("Spanish is bundled");
    assert!(ui.shows("Recibir"), "the Receive tile in Spanish");
    ui::select_language("en").expect("English is the source");
    assert!(ui.shows("Receive"));
    assert!(ui::select_language("fr").is_err());
}

/// The engine's answers follow the window's language, chosen in
/// Settings: the words of a sentence and the phrases inside it are
/// translated, the data (names, lots) are not; the journal is unchanged.
#[test]
fn the_engine_answers_in_the_chosen_language() {
    let ui = demo();
    let de = Catalogue::bundled("de").expect("German is bundled");
    let es = Catalogue::bundled("es").expect("Spanish is bundled");
    let window = ui.window();

    window.invoke_choose_language("de".into());
    ui.scan("BADGE-9");
    let unknown =
        "Badge \"{badge}\" is not known: scan your own badge, or ask a supervisor to register it";
    assert_eq!(
        ui.message(),
        de.get(unknown)
            .expect("translated")
            .replace("{badge}", "BADGE-9")
    );

    window.invoke_choose_language("es".into());
    ui.scan("BADGE-1002");
    let signed_in = es
        .get("Signed in: {name} ({role})")
        .expect("translated")
        .replace("{name}", "Ben")
        .replace("{role}", es.get("operator").expect("translated"));
    assert_eq!(ui.message(), signed_in, "a phrase inside a sentence too");

    window.invoke_choose_language("en".into());
    start_picking(&ui, "SO-2002");
    ui.scan("LOC-Q-01");
    let english = {
        ui.scan(RECALLED);
        ui.message()
    };
    assert!(english.contains("is recalled"), "{english}");
    window.invoke_choose_language("es".into());
    let before = ui.journal().last_seq();
    ui.scan(RECALLED);
    let spanish = ui.message();
    assert_eq!(window.get_feedback().level, FeedbackLevel::Block);
    assert!(
        spanish.contains("CH2611R"),
        "the lot stays as it is: {spanish}"
    );
    assert_ne!(spanish, english);
    assert!(!spanish.contains("is recalled"), "{spanish}");
    assert_eq!(ui.journal().last_seq(), before, "nothing recorded");
    window.invoke_choose_language("en".into());
}

/// Scanners and readers are set up on the Settings screen by a
/// supervisor: the list is kept in the data directory and the devices
/// restart with it at once (a simulator here: a real TCP listener on
/// loopback); an operator cannot change it.
#[test]
fn a_supervisor_sets_up_scanners_and_readers_in_settings() {
    let ui = demo();
    ui.terminal
        .start_background()
        .expect("devices and sync start");
    ui.sign_in("BADGE-1002");
    ui.press("Settings");
    ui.scroll("Language", 10_000.0);
    assert!(ui.shows("A supervisor can add and remove scanners and readers here."));
    assert!(!ui.shows("Add device"), "no form for an operator");
    let kept = ui.window().invoke_add_device(
        DeviceKind::Simulator,
        "bench".into(),
        "127.0.0.1:0".into(),
        "".into(),
    );
    assert!(!kept);
    let refused = ui.window().get_settings();
    assert!(
        refused.devices_result.contains("Only a supervisor"),
        "{}",
        refused.devices_result
    );
    assert_eq!(refused.devices.row_count(), 0);
    ui.press("‹ Home");
    ui.press("Sign out");

    ui.sign_in("BADGE-1900");
    ui.press("Settings");
    ui.add_device("Simulator", "bench", "127.0.0.1:0");
    let name = ElementHandle::find_by_accessible_label(ui.window(), "Device name")
        .next()
        .expect("the name field");
    assert_eq!(
        name.accessible_value().as_deref(),
        Some(""),
        "the form clears for the next device"
    );
    let settings = ui.window().get_settings();
    assert_eq!(
        settings.devices_result,
        "Saved: the scanners and readers restarted"
    );
    let listed: Vec<String> = settings
        .devices
        .iter()
        .map(|d| d.line.to_string())
        .collect();
    assert_eq!(listed, ["bench: simulator on 127.0.0.1:0"]);
    let kept = device_setup::load(ui.dir.path(), &DevicesConfig::default()).expect("kept list");
    assert!(kept.names().eq(["bench"]));
    assert_eq!(ui.window().get_home().devices, 1, "the home tile counts it");
    assert_eq!(ui.window().get_devices().row_count(), 1);
    assert_eq!(
        ui.window().get_devices().row_data(0).expect("row").name,
        "bench"
    );

    ui.type_into("Device name", "bench");
    ui.type_into("Where", "127.0.0.1:0");
    ui.press("Add device");
    assert!(
        ui.window()
            .get_settings()
            .devices_result
            .contains("used twice"),
        "a second device of that name is refused with the reason"
    );

    ui.scroll("Add device", -400.0);
    ui.press("Remove bench");
    assert_eq!(ui.window().get_settings().devices.row_count(), 0);
    assert_eq!(ui.window().get_devices().row_count(), 0);
    let kept = device_setup::load(ui.dir.path(), &DevicesConfig::default()).expect("kept list");
    assert!(kept.is_empty());
}

/// A language chosen in Settings is kept in the data directory: the
/// terminal opens in it again, window and answers alike.
#[test]
fn the_language_chosen_in_settings_is_kept_for_the_next_start() {
    let ui = demo();
    ui.window().invoke_choose_language("de".into());
    assert_eq!(ui.window().get_settings().language, "de");
    let Ui { terminal, dir } = ui;
    terminal.stop();
    ui::select_language("en").expect("English is the source");

    let ui = Ui::open(dir, Rc::new(Instant::now));
    assert_eq!(ui.window().get_settings().language, "de");
    assert!(ui.shows("Ausweis scannen"), "the sign-in screen in German");
    ui.scan("BADGE-9");
    let de = Catalogue::bundled("de").expect("German is bundled");
    let unknown = de
        .get("Badge \"{badge}\" is not known: scan your own badge, or ask a supervisor to register it")
        .expect("translated");
    assert_eq!(ui.message(), unknown.replace("{badge}", "BADGE-9"));
    ui.window().invoke_choose_language("en".into());
}

/// An unenrolled terminal's sync line says so and counts the events
/// waiting in the journal; once a sync service reports, the line says
/// where it stands: connectivity, events left to send (plural-aware,
/// translated) and the last success in local time.
#[test]
fn the_sync_line_shows_connectivity_pending_and_the_last_sync() {
    let ui = demo();
    let window = ui.window();
    let waiting = ui.journal().last_seq();
    assert_eq!(window.get_sync().state, ui::SyncState::NotEnrolled);
    assert_eq!(
        i64::from(window.get_sync().pending),
        i64::try_from(waiting).unwrap()
    );
    assert!(ui.shows(&format!("Sync: not enrolled · {waiting} events to send")));
    ui.sign_in("BADGE-1001");
    ui.press("Receive");
    ui.scan("(01)09506000134352(17)270131(30)12(10)Y2701N");
    assert!(ui.shows(&format!(
        "Sync: not enrolled · {} events to send",
        waiting + 1
    )));
    let offline = SyncStatus {
        connectivity: Connectivity::Offline {
            reason: "the server at http://127.0.0.1:9 cannot be reached".into(),
            retry_in: std::time::Duration::from_secs(4),
        },
        pending: 3,
        ..SyncStatus::default()
    };
    ui::show_sync_status(window, &offline);
    assert_eq!(window.get_sync().state, ui::SyncState::Offline);
    assert!(ui.shows("Sync: offline · 3 events to send"));
    ui::show_sync_status(
        window,
        &SyncStatus {
            pending: 1,
            ..offline.clone()
        },
    );
    assert!(ui.shows("Sync: offline · 1 event to send"));

    let now = chrono::Utc::now();
    let online = SyncStatus {
        connectivity: Connectivity::Online,
        pending: 0,
        last_success: Some(now),
        ..SyncStatus::default()
    };
    ui::show_sync_status(window, &online);
    let local = now
        .with_timezone(&chrono::Local)
        .format("%H:%M")
        .to_string();
    assert!(ui.shows(&format!("Sync: online · all sent · last sync {local}")));

    ui::select_language("de").expect("German is bundled");
    ui::show_sync_status(window, &offline);
    assert!(ui.shows("Sync: offline · 3 Ereignisse zu senden"));
    ui::select_language("en").expect("English is the source");
}

/// What the barcode field holds, read as assistive technology reads it.
fn field_text(window: &MainWindow) -> String {
    ElementHandle::find_by_accessible_label(window, "Barcode")
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

/// A demo terminal whose wedge reads the time from a stepped clock.
fn stepped_demo() -> (Ui, Rc<Cell<Instant>>) {
    i_slint_backend_testing::init_no_event_loop();
    let clock = Rc::new(Cell::new(Instant::now()));
    let keys = Rc::clone(&clock);
    (Ui::open(demo_dir(), Rc::new(move || keys.get())), clock)
}

#[test]
fn a_person_typing_slowly_types_into_the_field() {
    let (ui, clock) = stepped_demo();
    let slow = Duration::from_millis(150);
    type_keys(ui.window(), &clock, "BADGE-100", slow);
    assert_eq!(
        field_text(ui.window()),
        "BADGE-100",
        "each key is in the field"
    );
    type_keys(ui.window(), &clock, "1\n", slow);
    assert_eq!(field_text(ui.window()), "", "Enter took the text");
    ui.settle();
    assert_eq!(ui.window().get_session().operator, "Ana", "signed in");
}

#[test]
fn a_scanner_burst_is_a_scan_wherever_the_focus_is_and_typing_is_kept() {
    let (ui, clock) = stepped_demo();
    ui.sign_in("BADGE-1001");
    ui.press("Lookup");
    let slow = Duration::from_millis(150);
    type_keys(ui.window(), &clock, "L0", slow);
    // The scanner interrupts the person: its burst is taken as a scan
    // without going through the half-typed field.
    type_keys(
        ui.window(),
        &clock,
        "(01)09506000134352(10)Y2612C\n",
        Duration::from_millis(3),
    );
    ui.settle();
    let feedback = ui.window().get_feedback();
    assert_eq!(feedback.lot, "Y2612C");
    assert_eq!(feedback.item, "GTIN 09506000134352");
    assert_eq!(
        field_text(ui.window()),
        "L0",
        "no key of the scan went into the field"
    );
}
