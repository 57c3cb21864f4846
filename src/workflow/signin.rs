//! Signing in by scanning a badge: only badges in the reference data's
//! operator list open a session, and the badge is stamped on every event.

use super::engine::{StepResult, refuse};
use super::feedback::Feedback;
use crate::journal::Journal;
use crate::text;
use crate::text::Text;

/// What a signed-in person may do beyond the everyday workflows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Receives, puts away, picks, packs, counts.
    Operator,
    /// Also holds and releases lots and approves configured overrides.
    Supervisor,
}

impl Role {
    /// The role of an operator-list entry: `supervisor` (any case) is a
    /// supervisor; every other role (receiver, picker, …) is an operator.
    pub fn of(role: &str) -> Role {
        if role.trim().eq_ignore_ascii_case("supervisor") {
            Role::Supervisor
        } else {
            Role::Operator
        }
    }

    /// The tasks this role may open, as offered on screen.
    pub fn tasks(self) -> Text {
        match self {
            Role::Operator => {
                text!(
                    "receive, putaway, orders, pick, pack, ship, count, return, lookup or expiry-alerts"
                )
            }
            Role::Supervisor => text!(
                "receive, putaway, orders, pick, pack, ship, count, return, lookup, expiry-alerts, hold or release"
            ),
        }
    }

    /// The role's name in a sentence.
    pub fn title(self) -> Text {
        match self {
            Role::Operator => text!("operator"),
            Role::Supervisor => text!("supervisor"),
        }
    }

    /// The name shown on screen.
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Operator => "operator",
            Role::Supervisor => "supervisor",
        }
    }
}

/// The person working the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    /// Badge text: what every event records as its operator.
    pub badge: String,
    /// Name shown on screen.
    pub name: String,
    /// Operator or supervisor.
    pub role: Role,
}

/// Signs in the owner of `badge`; an unknown badge is refused.
pub(super) fn sign_in(journal: &Journal, badge: &str) -> StepResult<(SignedIn, Feedback)> {
    let Some(operator) = journal.operator(badge)? else {
        return refuse(text!(
            "Badge \"{badge}\" is not known: scan your own badge, or ask a supervisor to register it",
            badge
        ));
    };
    let role = Role::of(&operator.role);
    let feedback = Feedback::ok(text!(
        "Signed in: {name} ({role})",
        name = &operator.name,
        role = role.title()
    ))
    .detail(text!("Choose a task: {tasks}", tasks = role.tasks()));
    Ok((
        SignedIn {
            badge: operator.badge,
            name: operator.name,
            role,
        },
        feedback,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_supervisor_is_a_supervisor() {
        assert_eq!(Role::of("Supervisor"), Role::Supervisor);
        assert_eq!(Role::of("receiver"), Role::Operator);
        assert_eq!(Role::of(""), Role::Operator);
    }
}
