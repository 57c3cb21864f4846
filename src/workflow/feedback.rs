//! What the engine tells the operator after every scan or action: a level
//! (the screen colour and sound), a message, details, and the ids of the
//! events it recorded.

use serde::Serialize;
use uuid::Uuid;

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

/// The engine's answer to one input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Feedback {
    /// Green, amber, red or question.
    pub level: Level,
    /// One sentence the operator can act on.
    pub message: String,
    /// Supporting lines: what was recorded, what is known about a lot.
    pub details: Vec<String>,
    /// The events recorded for this input, in order (empty unless recorded).
    pub events: Vec<Uuid>,
}

impl Feedback {
    /// An answer of `level` with no details and no events.
    pub fn new(level: Level, message: impl Into<String>) -> Feedback {
        Feedback {
            level,
            message: message.into(),
            details: Vec::new(),
            events: Vec::new(),
        }
    }

    /// Accepted.
    pub fn ok(message: impl Into<String>) -> Feedback {
        Feedback::new(Level::Ok, message)
    }

    /// Refused; nothing recorded.
    pub fn block(message: impl Into<String>) -> Feedback {
        Feedback::new(Level::Block, message)
    }

    /// More input needed.
    pub fn prompt(message: impl Into<String>) -> Feedback {
        Feedback::new(Level::Prompt, message)
    }

    /// The same answer with `line` appended to the details.
    pub fn detail(mut self, line: impl Into<String>) -> Feedback {
        self.details.push(line.into());
        self
    }

    /// Raises the level to `Warn` (a block or prompt stays what it is) and
    /// adds `why` to the details.
    pub fn warn(mut self, why: impl Into<String>) -> Feedback {
        if self.level == Level::Ok {
            self.level = Level::Warn;
        }
        self.details.push(why.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warn_raises_ok_but_never_lowers_a_block() {
        assert_eq!(Feedback::ok("x").warn("w").level, Level::Warn);
        assert_eq!(Feedback::block("x").warn("w").level, Level::Block);
        assert_eq!(Feedback::ok("x").warn("w").details, ["w"]);
    }

    #[test]
    fn serializes_levels_in_lowercase() {
        let json = serde_json::to_value(Feedback::prompt("lot?")).unwrap();
        assert_eq!(json["level"], "prompt");
        assert_eq!(json["events"], serde_json::json!([]));
    }
}
