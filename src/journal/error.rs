//! What can go wrong with the journal, in terms a caller (the workflow
//! engine, the CLI, an operator reading a message) can act on.

use std::path::PathBuf;

use rusqlite::ErrorCode;

/// A journal failure. Every variant names what failed and, where there is
/// one, the file involved.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// The file at the journal path is not an SQLite database (or its header
    /// is damaged). It is left exactly as found.
    #[error(
        "{} is not a Lotline journal (not an SQLite database, or its header is damaged); \
         it has not been modified — move it aside or restore a backup",
        path.display()
    )]
    NotADatabase {
        /// The journal path.
        path: PathBuf,
    },
    /// The file is an SQLite database, but not one Lotline created.
    #[error(
        "{} is an SQLite database but not a Lotline journal ({why}); it has not been modified",
        path.display()
    )]
    ForeignDatabase {
        /// The journal path.
        path: PathBuf,
        /// What gave it away.
        why: String,
    },
    /// The SQLite file is damaged.
    #[error("the journal {} is corrupt: {detail}; it has not been repaired or overwritten", path.display())]
    Corrupt {
        /// The journal path.
        path: PathBuf,
        /// SQLite's description.
        detail: String,
    },
    /// The journal was written by a newer Lotline; this one refuses to touch it.
    #[error(
        "the journal {} has schema version {found}, newer than this Lotline understands \
         (up to {supported}); upgrade Lotline — the file has not been modified",
        path.display()
    )]
    TooNew {
        /// The journal path.
        path: PathBuf,
        /// The file's `user_version`.
        found: i64,
        /// The newest version this build knows.
        supported: i64,
    },
    /// `open_existing` found nothing at the path.
    #[error("there is no journal at {}", path.display())]
    Missing {
        /// The journal path.
        path: PathBuf,
    },
    /// The disk (or the configured size ceiling) is full. Nothing from the
    /// failed call was recorded; everything acknowledged before is intact,
    /// and appends work again once space is freed.
    #[error("the journal's disk is full: the event was NOT recorded (free space, then retry)")]
    DiskFull,
    /// An event breaks a rule the journal enforces.
    #[error("event rejected: {0}")]
    Invalid(String),
    /// The event named by `correction_of` is not in this journal.
    #[error("event rejected: it corrects event {0}, which is not in this journal")]
    UnknownCorrectedEvent(uuid::Uuid),
    /// The event named by `correction_of` was already corrected; correct the
    /// correction instead.
    #[error("event rejected: event {0} has already been corrected; correct the correction instead")]
    AlreadyCorrected(uuid::Uuid),
    /// A stored row cannot be read back as an event (a damaged or edited
    /// journal).
    #[error("event at seq {seq} is unreadable: {why}")]
    UnreadableEvent {
        /// The row's seq.
        seq: i64,
        /// What is wrong with it.
        why: String,
    },
    /// Any other SQLite failure.
    #[error("journal database error: {0}")]
    Sqlite(rusqlite::Error),
    /// Writing an export failed (e.g. a closed pipe).
    #[error("cannot write the export: {0}")]
    Output(std::io::Error),
    /// A file-system failure outside SQLite (e.g. reading the file size).
    #[error("journal file error on {}: {source}", path.display())]
    Io {
        /// The file involved.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
}

impl From<rusqlite::Error> for JournalError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => JournalError::DiskFull,
            _ => JournalError::Sqlite(e),
        }
    }
}

/// Shorthand for journal results.
pub type Result<T, E = JournalError> = std::result::Result<T, E>;
