//! The buttons' commands as engine actions. A button sends a [`Command`]
//! with up to two strings (an order number, a typed quantity, a lot and
//! expiry, a reason code); this turns them into the [`Action`] the engine
//! takes, or says why it cannot.

use crate::text;
use crate::text::Text;
use crate::workflow::Action;

use super::Command;

/// The action for `command` with its `value` and `reason` (empty: not
/// given); Err with a sentence for the operator when a number is not one.
pub fn action(command: Command, value: &str, reason: &str) -> Result<Action, Text> {
    let given = |text: &str| {
        Some(text.trim())
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
    };
    let quantity = || -> Result<i64, Text> {
        value
            .trim()
            .parse()
            .map_err(|_| text!("\"{value}\" is not a whole number", value))
    };
    Ok(match command {
        Command::SignOut => Action::SignOut,
        Command::Receive => Action::Receive { po: given(value) },
        Command::Putaway => Action::Putaway,
        Command::Lookup => Action::Lookup,
        Command::Pick => Action::Pick {
            order: value.to_owned(),
        },
        Command::Pack => Action::Pack {
            order: value.to_owned(),
        },
        Command::Count => Action::Count,
        Command::Returns => Action::Return {
            order: given(value),
        },
        Command::Hold => Action::Hold {
            reason: reason.to_owned(),
        },
        Command::Release => Action::Release {
            reason: reason.to_owned(),
        },
        Command::ExpiryAlerts => Action::ExpiryAlerts { days: None },
        Command::NewCarton => Action::NewCarton,
        Command::CloseCarton => Action::CloseCarton,
        Command::Ship => Action::Ship {
            order: given(value),
        },
        Command::Quantity => Action::Quantity {
            quantity: quantity()?,
        },
        Command::Short => Action::Short {
            reason: reason.to_owned(),
        },
        Command::CloseLocation => Action::CloseLocation {
            reason: given(reason),
        },
        Command::Quarantine => Action::Quarantine {
            reason: reason.to_owned(),
        },
        Command::EnterCount => Action::EnterCount {
            quantity: quantity()?,
            reason: given(reason),
        },
        Command::Reason => Action::Reason {
            code: reason.to_owned(),
        },
        Command::EnterLot => Action::EnterLot {
            lot: given(value),
            expiry: given(reason),
        },
        Command::Cancel => Action::Cancel,
        Command::Undo => Action::Undo {
            reason: given(reason),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buttons_become_the_engine_actions_with_their_values() {
        assert_eq!(
            action(Command::Pick, "SO-1001", ""),
            Ok(Action::Pick {
                order: "SO-1001".into()
            })
        );
        assert_eq!(
            action(Command::EnterLot, "", "2027-05-31"),
            Ok(Action::EnterLot {
                lot: None,
                expiry: Some("2027-05-31".into())
            })
        );
        assert_eq!(
            action(Command::EnterCount, "12", "RECOUNTED"),
            Ok(Action::EnterCount {
                quantity: 12,
                reason: Some("RECOUNTED".into())
            })
        );
        assert_eq!(
            action(Command::Reason, "", "DAMAGED"),
            Ok(Action::Reason {
                code: "DAMAGED".into()
            })
        );
        assert_eq!(
            action(Command::Receive, " ", ""),
            Ok(Action::Receive { po: None })
        );
        assert_eq!(
            action(Command::Undo, "", ""),
            Ok(Action::Undo { reason: None })
        );
    }

    #[test]
    fn a_quantity_that_is_not_a_number_is_refused() {
        let refused = action(Command::Quantity, "12a", "").unwrap_err();
        assert!(refused.contains("\"12a\""), "{refused}");
    }
}
