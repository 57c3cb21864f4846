//! Audit of a journal file: every seq present from 1 without gaps, every
//! `prev_hash` equal to the previous event's `hash`, every `hash` equal to
//! the recomputed one, and SQLite's own `PRAGMA integrity_check`.

use std::fmt;

use super::error::{JournalError, Result};
use super::event::ChainHash;
use super::{Journal, store};

/// The first thing found wrong in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainProblem {
    /// The seq at which the chain breaks.
    pub seq: u64,
    /// What is wrong there.
    pub why: String,
}

impl fmt::Display for ChainProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "seq {}: {}", self.seq, self.why)
    }
}

/// The outcome of [`Journal::verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    /// Events checked.
    pub events: u64,
    /// The last good hash (the chain head when sound).
    pub head: ChainHash,
    /// The first chain break, if any.
    pub chain_problem: Option<ChainProblem>,
    /// `PRAGMA integrity_check` findings; empty when it said `ok`.
    pub integrity_problems: Vec<String>,
}

impl VerifyReport {
    /// True when the chain and the file are both sound.
    pub fn is_sound(&self) -> bool {
        self.chain_problem.is_none() && self.integrity_problems.is_empty()
    }
}

impl Journal {
    /// Checks the whole chain and the file. Reads only; a broken journal is
    /// reported, never repaired.
    pub fn verify(&self) -> Result<VerifyReport> {
        let mut report = VerifyReport {
            events: 0,
            head: ChainHash::GENESIS,
            chain_problem: None,
            integrity_problems: Vec::new(),
        };
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {} FROM events ORDER BY seq",
            store::EVENT_COLUMNS
        ))?;
        let mut rows = stmt.query([])?;
        let mut expected = 1u64;
        while let Some(row) = rows.next()? {
            let event = match store::event_from_row(row) {
                Ok(event) => event,
                Err(JournalError::UnreadableEvent { seq, why }) => {
                    report.chain_problem = Some(ChainProblem {
                        seq: u64::try_from(seq).unwrap_or(0),
                        why: format!("unreadable row: {why}"),
                    });
                    break;
                }
                Err(e) => return Err(e),
            };
            let problem = if event.seq != expected {
                Some(format!(
                    "expected seq {expected}, found seq {} (a gap)",
                    event.seq
                ))
            } else if event.device_id != self.device_id {
                Some(format!(
                    "device_id {:?} differs from the journal's {:?}",
                    event.device_id, self.device_id
                ))
            } else if event.prev_hash != report.head {
                Some(format!(
                    "prev_hash {} does not match the previous event's hash {}",
                    event.prev_hash, report.head
                ))
            } else {
                let computed = event.compute_hash();
                (computed != event.hash).then(|| {
                    format!(
                        "stored hash {} does not match the recomputed {computed} \
                         (the event was altered)",
                        event.hash
                    )
                })
            };
            if let Some(why) = problem {
                report.chain_problem = Some(ChainProblem {
                    seq: event.seq,
                    why,
                });
                break;
            }
            report.events += 1;
            report.head = event.hash;
            expected += 1;
        }
        let mut check = self.conn.prepare("PRAGMA integrity_check")?;
        report.integrity_problems = check
            .query_map([], |row| row.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .filter(|line| line != "ok")
            .collect();
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use crate::journal::test_support::*;

    #[test]
    fn a_sound_journal_verifies() {
        let (_dir, mut j) = journal();
        let report = j.verify().unwrap();
        assert!(report.is_sound());
        assert_eq!(report.events, 0);
        let events = j
            .append_batch(at(0), (0..4).map(|_| receive(GTIN_A, None, None, 1, "D")))
            .unwrap();
        let report = j.verify().unwrap();
        assert!(report.is_sound(), "{report:?}");
        assert_eq!((report.events, report.head), (4, events[3].hash));
    }

    /// Each way of tampering is caught at the right seq with the right reason.
    #[test]
    fn tampering_is_reported_at_the_first_broken_seq() {
        let cases = [
            (
                "UPDATE events SET kind = 'stealing' WHERE seq = 3",
                3,
                "unknown kind",
            ),
            (
                "UPDATE events SET prev_hash = zeroblob(32) WHERE seq = 2",
                2,
                "prev_hash",
            ),
            (
                "UPDATE events SET hash = zeroblob(32) WHERE seq = 4",
                4,
                "stored hash",
            ),
            (
                "UPDATE events SET device_id = 'other' WHERE seq = 1",
                1,
                "device_id",
            ),
            (
                "UPDATE events SET recorded_at = recorded_at + 1 WHERE seq = 2",
                2,
                "altered",
            ),
            ("DELETE FROM events WHERE seq = 1", 2, "expected seq 1"),
        ];
        for (sql, seq, why) in cases {
            let (_dir, mut j) = journal();
            j.append_batch(at(0), (0..4).map(|_| receive(GTIN_A, None, None, 1, "D")))
                .unwrap();
            j.conn
                .execute_batch("DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;")
                .unwrap();
            j.conn.execute(sql, []).unwrap();
            let problem = j.verify().unwrap().chain_problem.expect(sql);
            assert_eq!(problem.seq, seq, "{sql}: {problem}");
            assert!(problem.why.contains(why), "{sql}: {problem}");
        }
    }
}
