//! What an operator can do besides scanning: open a task, answer a prompt,
//! cancel, undo, sign out. Front ends build these from buttons (the UI) or
//! JSON lines (`lotline headless`, where the tag is the `do` field).

use serde::Deserialize;

/// An action, as the headless front end reads it: `{"do": "receive",
/// "po": "PO-1001"}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "do", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Action {
    /// Open receiving, against a purchase order or (without one) blind.
    Receive {
        /// The PO number; a PO can also be scanned once receiving is open.
        #[serde(default)]
        po: Option<String>,
    },
    /// Open putaway: item first, then the destination location.
    Putaway,
    /// Open lot lookup.
    Lookup,
    /// Open picking of a sales order, with FEFO guidance.
    Pick {
        /// The sales order number.
        order: String,
    },
    /// Give the reason code for picking a lot that is not first to expire.
    Reason {
        /// The reason code, recorded with the pick.
        code: String,
    },
    /// Answer the lot / expiry prompt of a receipt. A missing lot on a
    /// lot-tracked product is assigned from the site's lot pattern.
    EnterLot {
        /// The lot number as typed (GS1 CSET 82, at most 20 characters).
        #[serde(default)]
        lot: Option<String>,
        /// The expiry date as typed, `YYYY-MM-DD`.
        #[serde(default)]
        expiry: Option<String>,
    },
    /// Drop the half-done step (a receipt waiting for its lot, an item
    /// waiting for its location); nothing is recorded.
    Cancel,
    /// Reverse the last recorded step of the current task with correction
    /// events.
    Undo {
        /// Why, recorded with the corrections.
        #[serde(default)]
        reason: Option<String>,
    },
    /// End the session.
    SignOut,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_headless_json_form() {
        let read = |json: &str| serde_json::from_str::<Action>(json);
        assert_eq!(
            read(r#"{"do":"receive","po":"PO-1"}"#).unwrap(),
            Action::Receive {
                po: Some("PO-1".into())
            }
        );
        assert_eq!(
            read(r#"{"do":"receive"}"#).unwrap(),
            Action::Receive { po: None }
        );
        assert_eq!(read(r#"{"do":"sign-out"}"#).unwrap(), Action::SignOut);
        assert_eq!(
            read(r#"{"do":"reason","code":"DAMAGED"}"#).unwrap(),
            Action::Reason {
                code: "DAMAGED".into()
            }
        );
        assert!(read(r#"{"do":"pick"}"#).is_err());
        assert!(read(r#"{"do":"enter-lot","lott":"A"}"#).is_err());
        assert!(read(r#"{"do":"fly"}"#).is_err());
    }
}
