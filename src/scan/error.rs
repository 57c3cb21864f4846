//! Why a scan could not be decoded. Every message names the AI (or EPC
//! field) and what is wrong with it, so an operator or a support engineer
//! can tell a damaged label from a supplier's encoding mistake.

/// A decoding failure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScanError {
    /// No data at all.
    #[error("empty scan")]
    Empty,
    /// The data at `position` does not start with any known GS1 AI.
    #[error("unknown AI at position {position}: {found:?}")]
    UnknownAi { position: usize, found: String },
    /// A variable-length value ran into the next element: the FNC1 (GS)
    /// separator that should follow it is missing.
    #[error("AI ({ai}): value {value:?} is longer than {max} characters; missing GS separator?")]
    MissingSeparator {
        ai: String,
        value: String,
        max: usize,
    },
    /// A value exceeds its AI's maximum length.
    #[error("AI ({ai}): value is {len} characters, at most {max} allowed")]
    TooLong { ai: String, len: usize, max: usize },
    /// A value is shorter than its AI requires.
    #[error("AI ({ai}): value is {len} characters, {min} required")]
    TooShort { ai: String, len: usize, min: usize },
    /// A character outside the AI's character set.
    #[error("AI ({ai}): character {ch:?} at position {position} is not allowed in {set}")]
    BadCharacter {
        ai: String,
        ch: char,
        position: usize,
        set: &'static str,
    },
    /// A wrong check digit or check-character pair.
    #[error("AI ({ai}): check digit of {value} is wrong, expected {expected}")]
    BadCheckDigit {
        ai: String,
        value: String,
        expected: String,
    },
    /// A date or time that cannot exist.
    #[error("AI ({ai}): {value:?} is not a valid {what}")]
    BadDate {
        ai: String,
        value: String,
        what: &'static str,
    },
    /// A value that breaks a content rule (country code, currency, flag, …).
    #[error("AI ({ai}): {value:?} is invalid: {reason}")]
    BadValue {
        ai: String,
        value: String,
        reason: String,
    },
    /// Two AIs that must not appear together (the dictionary's `ex=`).
    #[error("AI ({ai}) must not appear together with AI ({with})")]
    InvalidPairing { ai: String, with: String },
    /// The same AI twice with different values.
    #[error("AI ({ai}) appears twice with different values: {first:?} and {second:?}")]
    ConflictingDuplicate {
        ai: String,
        first: String,
        second: String,
    },
    /// A GS1 element string or bracketed form that is malformed as a whole.
    #[error("malformed GS1 data: {0}")]
    Malformed(String),
    /// A GS1 Digital Link URI that breaks the Digital Link rules.
    #[error("invalid GS1 Digital Link: {0}")]
    DigitalLink(String),
    /// A plain retail number (EAN/UPC/ITF) that is not valid.
    #[error("invalid {symbology} number {value:?}: {reason}")]
    Retail {
        symbology: &'static str,
        value: String,
        reason: String,
    },
    /// An EPC that cannot be decoded or encoded.
    #[error("invalid EPC: {0}")]
    Epc(String),
}
