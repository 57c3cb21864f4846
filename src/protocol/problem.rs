//! RFC 9457 problem details: the body of every error reply, so a client
//! (or an administrator with curl) always learns what was wrong and where.

use serde::{Deserialize, Serialize};

/// The media type of a [`Problem`] body.
pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// An error reply body (`application/problem+json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// A URI naming the kind of problem; `about:blank` when the status says
    /// it all.
    #[serde(rename = "type")]
    pub kind: String,
    /// Short summary of the kind.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What was wrong this time.
    pub detail: String,
    /// The offending request field as a path (`events[3].hash`), when one
    /// field is to blame.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub field: Option<String>,
}

impl Problem {
    /// A problem of kind `about:blank` with the given status and title.
    pub fn new(status: u16, title: &str, detail: impl Into<String>) -> Problem {
        Problem {
            kind: "about:blank".to_owned(),
            title: title.to_owned(),
            status,
            detail: detail.into(),
            field: None,
        }
    }

    /// The same problem, blamed on `field`.
    pub fn with_field(mut self, field: impl Into<String>) -> Problem {
        self.field = Some(field.into());
        self
    }
}
