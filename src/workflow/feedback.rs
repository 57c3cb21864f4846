//! What the engine tells the operator after every scan or action: a level
//! (the screen colour and sound), a message, details, and the ids of the
//! events it recorded.

use serde::Serialize;
use uuid::Uuid;

use crate::text::Text;

/// How the answer should be shown: green, amber, red, or a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Accepted (and recorded, if the step records anything).
    Ok,
    /// Accepted and recorded, but something deserves a look.
    Warn,
    /// Refused: nothing was recorded and the task is where it was.
    Block,
    /// The engine needs more input (e.g. lot and expiry) before it can record.
    Prompt,
}

/// What a prompt asks for, so a front end can offer the right form (the
/// touchscreen's lot entry, reason list or keypad) and the right action to
/// answer with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ask {
    /// The lot and / or expiry of a receipt: answer with `enter-lot`.
    LotExpiry,
    /// A reason code for picking a lot that is not first to expire: answer
    /// with `reason`.
    Reason,
    /// How many of the scanned item were counted: answer with `enter-count`.
    Count,
    /// The count differs from the records: count again and answer with
    /// `enter-count` and a reason code.
    CountWithReason,
    /// Where a returned item goes: scan a location, or `quarantine` it.
    ReturnOutcome,
}

/// The engine's answer to one input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Feedback {
    /// Green, amber, red or question.
    pub level: Level,
    /// One sentence the operator can act on.
    pub message: Text,
    /// Supporting lines: what was recorded, what is known about a lot.
    pub details: Vec<Text>,
    /// The events recorded for this input, in order (empty unless recorded).
    pub events: Vec<Uuid>,
    /// What a prompt asks for (None unless the level is `Prompt`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ask: Option<Ask>,
}

impl Feedback {
    /// An answer of `level` with no details and no events.
    pub fn new(level: Level, message: Text) -> Feedback {
        Feedback {
            level,
            message,
            details: Vec::new(),
            events: Vec::new(),
            ask: None,
        }
    }

    /// Accepted.
    pub fn ok(message: Text) -> Feedback {
        Feedback::new(Level::Ok, message)
    }

    /// Refused; nothing recorded.
    pub fn block(message: Text) -> Feedback {
        Feedback::new(Level::Block, message)
    }

    /// More input needed: `ask` says what.
    pub fn prompt(ask: Ask, message: Text) -> Feedback {
        Feedback {
            ask: Some(ask),
            ..Feedback::new(Level::Prompt, message)
        }
    }

    /// The same answer with `line` appended to the details.
    pub fn detail(mut self, line: Text) -> Feedback {
        self.details.push(line);
        self
    }

    /// Raises the level to `Warn` (a block or prompt stays what it is) and
    /// adds `why` to the details.
    pub fn warn(mut self, why: Text) -> Feedback {
        if self.level == Level::Ok {
            self.level = Level::Warn;
        }
        self.details.push(why);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text;

    #[test]
    fn warn_raises_ok_but_never_lowers_a_block() {
        let ok = || Feedback::ok(text!("x"));
        assert_eq!(ok().warn(text!("w")).level, Level::Warn);
        assert_eq!(
            Feedback::block(text!("x")).warn(text!("w")).level,
            Level::Block
        );
        assert_eq!(ok().warn(text!("w")).details, ["w"]);
    }

    #[test]
    fn serializes_levels_in_lowercase() {
        let json = serde_json::to_value(Feedback::prompt(Ask::LotExpiry, text!("lot?"))).unwrap();
        assert_eq!(json["level"], "prompt");
        assert_eq!(json["ask"], "lot-expiry");
        let json = serde_json::to_value(Feedback::ok(text!("done"))).unwrap();
        assert!(json.get("ask").is_none(), "{json}");
        assert_eq!(json["events"], serde_json::json!([]));
    }
}
