//! A terminal's first start: with an empty journal nobody can sign in and
//! nothing can be found, so the window offers the demo warehouse (the data
//! of `lotline demo-data`) for a newcomer to walk every workflow. Slint-free,
//! so the rule is tested without a window.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};

use crate::cli::demo_data;
use crate::journal::Journal;
use crate::text;
use crate::text::Text;

/// The offer of demo data for an empty journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOffer {
    journal_path: PathBuf,
}

impl DemoOffer {
    /// The offer, when the journal at `journal_path` is missing or has
    /// recorded nothing; None for a journal in use or on a terminal
    /// enrolled with a server, which would upload the demo stock as real
    /// records (a damaged or foreign file is an error, as everywhere else).
    pub fn for_journal(journal_path: &Path) -> Result<Option<DemoOffer>> {
        if !journal_path.exists() {
            return Ok(DemoOffer::unless_enrolled(journal_path));
        }
        let journal = Journal::open_existing(journal_path)
            .with_context(|| format!("cannot open the journal {}", journal_path.display()))?;
        Ok(DemoOffer::for_open(&journal, journal_path))
    }

    /// The offer for `journal`, already open, whose file is `journal_path`:
    /// the terminal decides on the connection it keeps instead of opening
    /// the journal twice at start-up.
    pub fn for_open(journal: &Journal, journal_path: &Path) -> Option<DemoOffer> {
        if demo_data::could_load(journal) {
            DemoOffer::unless_enrolled(journal_path)
        } else {
            None
        }
    }

    /// The offer, unless the terminal is enrolled with a server.
    fn unless_enrolled(journal_path: &Path) -> Option<DemoOffer> {
        (!demo_data::enrolled(journal_path)).then(|| DemoOffer {
            journal_path: journal_path.to_path_buf(),
        })
    }

    /// Loads the demo warehouse as of `now` and says what was loaded.
    pub fn accept(&self, now: DateTime<Utc>) -> Result<Text> {
        if let Some(dir) = self.journal_path.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
        }
        let mut journal = Journal::open(&self.journal_path)
            .with_context(|| format!("cannot open the journal {}", self.journal_path.display()))?;
        let summary = demo_data::load(&mut journal, now.date_naive(), now)?;
        Ok(text!(
            "{summary}. {badges}",
            summary,
            badges = demo_data::badges()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{EventBody, EventKind};

    #[test]
    fn offered_for_a_missing_or_empty_journal_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data/journal.sqlite");
        let offer = DemoOffer::for_journal(&path)
            .unwrap()
            .expect("missing file");
        let summary = offer.accept(Utc::now()).unwrap();
        assert!(summary.starts_with("Demo data loaded"), "{summary}");
        assert!(summary.contains("BADGE-1900"));
        assert_eq!(DemoOffer::for_journal(&path).unwrap(), None);
        assert!(offer.accept(Utc::now()).is_err(), "never loaded twice");

        let empty = dir.path().join("empty.sqlite");
        drop(Journal::open(&empty).unwrap());
        assert!(DemoOffer::for_journal(&empty).unwrap().is_some());

        let used = dir.path().join("used.sqlite");
        let mut journal = Journal::open(&used).unwrap();
        let mut body = EventBody::new("BADGE-1", EventKind::Receiving);
        body.gtin = Some("09506000134352".into());
        body.to_location = Some("DOCK".into());
        journal.append(Utc::now(), body).unwrap();
        drop(journal);
        assert_eq!(DemoOffer::for_journal(&used).unwrap(), None);

        let enrolled = tempfile::tempdir().unwrap();
        std::fs::write(enrolled.path().join("sync.json"), "{}").unwrap();
        assert_eq!(
            DemoOffer::for_journal(&enrolled.path().join("journal.sqlite")).unwrap(),
            None,
            "an enrolled terminal would upload the demo as real records"
        );

        let foreign = dir.path().join("foreign.sqlite");
        std::fs::write(&foreign, b"not a database at all, just text").unwrap();
        assert!(DemoOffer::for_journal(&foreign).is_err());
    }
}
