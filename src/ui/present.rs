//! How the window shows one answer of the engine, as plain data: whether
//! the whole screen turns green / amber / red or the answer only updates
//! the task screen, which form a prompt opens, and the scanned item's key,
//! lot and expiry for the large type. Free of Slint, so the rules are unit
//! tested without a display.

use crate::scan::{self, DecodeOptions, Scan};
use crate::workflow::{Action, Ask, Feedback, Input, Level};

/// Where an answer goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// Full screen in the answer's colour (with its sound): every refusal,
    /// every warning, and every accepted scan or recorded step.
    Overlay,
    /// Only the task screen's answer panel: opening a task, a prompt,
    /// typing a quantity.
    Panel,
    /// The expiry screen's report.
    Report,
}

/// The form a prompt opens over the task screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// None: the operator answers by scanning (or nothing is asked).
    None,
    /// Lot and expiry of a receipt.
    LotExpiry,
    /// A reason for a pick out of FEFO order.
    FefoReason,
    /// The keypad for a count.
    Count,
}

/// One answer as the window shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presentation {
    /// Where it goes.
    pub surface: Surface,
    /// The form it opens.
    pub form: Form,
    /// The scanned item's key (`GTIN …`, `SSCC …`), when a scan was answered.
    pub item: Option<String>,
    /// The scanned lot.
    pub lot: Option<String>,
    /// The scanned expiry, `YYYY-MM-DD`.
    pub expiry: Option<String>,
}

impl Presentation {
    /// An answer made without a scan: on the task screen, no form.
    pub fn blank() -> Presentation {
        Presentation {
            surface: Surface::Panel,
            form: Form::None,
            item: None,
            lot: None,
            expiry: None,
        }
    }

    /// How to show `feedback`, the answer to `input`.
    pub fn of(input: &Input, feedback: &Feedback) -> Presentation {
        let scanned = match input {
            Input::Scan { data, at } => scan::decode(
                data,
                &DecodeOptions {
                    today: at.date_naive(),
                },
            )
            .ok(),
            Input::Tags { .. } | Input::Act { .. } => None,
        };
        let reading = matches!(input, Input::Scan { .. } | Input::Tags { .. });
        let surface = match (&feedback.level, input) {
            (
                _,
                Input::Act {
                    action: Action::ExpiryAlerts { .. },
                    ..
                },
            ) => Surface::Report,
            (Level::Block | Level::Warn, _) => Surface::Overlay,
            (Level::Ok, _) if reading || !feedback.events.is_empty() => Surface::Overlay,
            _ => Surface::Panel,
        };
        let form = match feedback.ask {
            Some(Ask::LotExpiry) => Form::LotExpiry,
            Some(Ask::Reason) => Form::FefoReason,
            Some(Ask::Count | Ask::CountWithReason) => Form::Count,
            Some(Ask::ReturnOutcome) | None => Form::None,
        };
        let (item, lot, expiry) = match scanned {
            Some(scan) => (
                key(&scan),
                scan.identity.lot,
                scan.identity.expiry.map(|date| date.to_string()),
            ),
            None => (None, None, None),
        };
        Presentation {
            surface,
            form,
            item,
            lot,
            expiry,
        }
    }
}

/// The scan's main identifier as the large type shows it: a pallet
/// label's SSCC outranks the GTIN of its contents (AI 02), a GTIN outranks
/// a GLN, and plain text (a badge, a location label) stands alone.
fn key(scan: &Scan) -> Option<String> {
    let identity = &scan.identity;
    if let Some(sscc) = &identity.sscc {
        Some(format!("SSCC {sscc}"))
    } else if let Some(gtin) = &identity.gtin {
        Some(format!("GTIN {gtin}"))
    } else if let Some(gln) = &identity.gln {
        Some(format!("GLN {gln}"))
    } else {
        scan.text.clone()
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::text;

    fn scan(data: &str) -> Input {
        Input::Scan {
            data: data.into(),
            at: Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap(),
        }
    }

    fn act(action: Action) -> Input {
        Input::Act {
            action,
            at: Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap(),
        }
    }

    #[test]
    fn an_accepted_scan_fills_the_screen_with_its_lot_and_expiry() {
        let shown = Presentation::of(
            &scan("(01)09506000134352(17)270531(10)W1"),
            &Feedback::ok(text!("Received")),
        );
        assert_eq!(shown.surface, Surface::Overlay);
        assert_eq!(shown.form, Form::None);
        assert_eq!(shown.item.as_deref(), Some("GTIN 09506000134352"));
        assert_eq!(shown.lot.as_deref(), Some("W1"));
        assert_eq!(shown.expiry.as_deref(), Some("2027-05-31"));
    }

    #[test]
    fn the_large_type_shows_the_main_key_of_the_scan() {
        let item = |data: &str| Presentation::of(&scan(data), &Feedback::ok(text!("ok"))).item;
        assert_eq!(
            item("(00)106141412345678908(02)09506000134352(37)48").as_deref(),
            Some("SSCC 106141412345678908"),
            "a pallet's SSCC outranks the GTIN of its contents"
        );
        assert_eq!(
            item("(414)9521234500001(254)A-01").as_deref(),
            Some("GLN 9521234500001")
        );
        assert_eq!(item("LOC-A-01").as_deref(), Some("LOC-A-01"));
        assert_eq!(item("(8003)095060001343520001").as_deref(), None, "no key");
        assert_eq!(item("]E04006381333932").as_deref(), None, "unreadable");
    }

    #[test]
    fn refusals_and_warnings_always_fill_the_screen() {
        for feedback in [
            Feedback::block(text!("no")),
            Feedback::ok(text!("x")).warn(text!("look")),
        ] {
            let shown = Presentation::of(&act(Action::Putaway), &feedback);
            assert_eq!(shown.surface, Surface::Overlay, "{feedback:?}");
            assert_eq!(shown.item, None);
        }
    }

    #[test]
    fn opening_a_task_or_keying_a_quantity_only_updates_the_panel() {
        let opened = Presentation::of(&act(Action::Putaway), &Feedback::ok(text!("Scan an item")));
        assert_eq!(opened.surface, Surface::Panel);
        let keyed = Presentation::of(
            &act(Action::Quantity { quantity: 6 }),
            &Feedback::ok(text!("Next scan counts 6")),
        );
        assert_eq!(keyed.surface, Surface::Panel);
    }

    #[test]
    fn a_recorded_action_fills_the_screen() {
        let mut closed = Feedback::ok(text!("Carton closed"));
        closed.events.push(uuid::Uuid::nil());
        let shown = Presentation::of(&act(Action::CloseCarton), &closed);
        assert_eq!(shown.surface, Surface::Overlay);
    }

    #[test]
    fn prompts_open_the_form_they_ask_for() {
        let cases = [
            (Ask::LotExpiry, Form::LotExpiry),
            (Ask::Reason, Form::FefoReason),
            (Ask::Count, Form::Count),
            (Ask::CountWithReason, Form::Count),
            (Ask::ReturnOutcome, Form::None),
        ];
        for (ask, form) in cases {
            let shown = Presentation::of(
                &scan("(01)09506000134352"),
                &Feedback::prompt(ask, text!("?")),
            );
            assert_eq!(shown.surface, Surface::Panel, "{ask:?}");
            assert_eq!(shown.form, form, "{ask:?}");
        }
    }

    #[test]
    fn expiry_alerts_go_to_their_report() {
        let shown = Presentation::of(
            &act(Action::ExpiryAlerts { days: None }),
            &Feedback::ok(text!("1 lot(s) expired")).warn(text!("Take expired stock out")),
        );
        assert_eq!(shown.surface, Surface::Report);
    }

    #[test]
    fn an_unreadable_scan_has_no_item() {
        let shown = Presentation::of(&scan("(01)12345"), &Feedback::block(text!("cannot read")));
        assert_eq!(shown.surface, Surface::Overlay);
        assert_eq!(shown.item, None);
        assert_eq!(shown.lot, None);
    }
}
