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
    /// List the sales orders that still have work, with their progress.
    Orders,
    /// Open packing of a picked sales order into cartons.
    Pack {
        /// The sales order number.
        order: String,
    },
    /// Create a carton number (SSCC) from this station's carton numbering,
    /// for a station without pre-printed labels.
    NewCarton,
    /// Close the open carton: records what was scanned into it.
    CloseCarton,
    /// Ship a packed order to its customer (the packing task's order when
    /// none is given).
    Ship {
        /// The sales order number.
        #[serde(default)]
        order: Option<String>,
    },
    /// The quantity for the next item scan, typed on the keypad (pick,
    /// pack, putaway).
    Quantity {
        /// How many units.
        quantity: i64,
    },
    /// Close the current pick line short, with a reason code.
    Short {
        /// Why the line cannot be filled (recorded).
        reason: String,
    },
    /// Close the location being counted: lots recorded there and not
    /// counted are set to 0.
    CloseLocation {
        /// Why (needed when anything was not found).
        #[serde(default)]
        reason: Option<String>,
    },
    /// Open holding of lots (supervisors only): each lot scanned is held.
    Hold {
        /// Why, recorded with every hold of the task.
        reason: String,
    },
    /// Open releasing of held lots (supervisors only); a recall is never
    /// lifted by a local release.
    Release {
        /// Why, recorded with every release of the task.
        reason: String,
    },
    /// Open returns, from a sales order if known.
    Return {
        /// The sales order the goods were shipped on.
        #[serde(default)]
        order: Option<String>,
    },
    /// Quarantine the returned item waiting for its outcome by holding its
    /// lot locally.
    Quarantine {
        /// Why, recorded with the return and the hold.
        reason: String,
    },
    /// Open a blind cycle count: a location, then its items.
    Count,
    /// Give the count of the item just scanned in a cycle count.
    EnterCount {
        /// How many units were counted.
        quantity: i64,
        /// Why the count differs from the records (asked for only then).
        #[serde(default)]
        reason: Option<String>,
    },
    /// Show what in stock expires soon or has expired; records nothing and
    /// leaves the open task as it was.
    ExpiryAlerts {
        /// The horizon in days (default 30).
        #[serde(default)]
        days: Option<u32>,
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
    /// Leave the open task for the task list: a half-done step is dropped
    /// (nothing of it was recorded) and what was recorded can no longer be
    /// undone.
    Leave,
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
        assert_eq!(read(r#"{"do":"leave"}"#).unwrap(), Action::Leave);
        assert_eq!(
            read(r#"{"do":"reason","code":"DAMAGED"}"#).unwrap(),
            Action::Reason {
                code: "DAMAGED".into()
            }
        );
        assert_eq!(
            read(r#"{"do":"hold","reason":"lab test"}"#).unwrap(),
            Action::Hold {
                reason: "lab test".into()
            }
        );
        assert!(read(r#"{"do":"release"}"#).is_err());
        assert_eq!(
            read(r#"{"do":"expiry-alerts","days":7}"#).unwrap(),
            Action::ExpiryAlerts { days: Some(7) }
        );
        assert!(read(r#"{"do":"expiry-alerts","days":-1}"#).is_err());
        assert!(read(r#"{"do":"pick"}"#).is_err());
        assert!(read(r#"{"do":"enter-lot","lott":"A"}"#).is_err());
        assert!(read(r#"{"do":"fly"}"#).is_err());
        assert_eq!(
            read(r#"{"do":"pack","order":"SO-1"}"#).unwrap(),
            Action::Pack {
                order: "SO-1".into()
            }
        );
        assert_eq!(read(r#"{"do":"new-carton"}"#).unwrap(), Action::NewCarton);
        assert_eq!(
            read(r#"{"do":"close-carton"}"#).unwrap(),
            Action::CloseCarton
        );
        assert_eq!(
            read(r#"{"do":"ship"}"#).unwrap(),
            Action::Ship { order: None }
        );
        assert_eq!(
            read(r#"{"do":"quantity","quantity":6}"#).unwrap(),
            Action::Quantity { quantity: 6 }
        );
        assert_eq!(
            read(r#"{"do":"short","reason":"NOT-FOUND"}"#).unwrap(),
            Action::Short {
                reason: "NOT-FOUND".into()
            }
        );
        assert_eq!(
            read(r#"{"do":"close-location"}"#).unwrap(),
            Action::CloseLocation { reason: None }
        );
        assert_eq!(read(r#"{"do":"orders"}"#).unwrap(), Action::Orders);
    }
}
