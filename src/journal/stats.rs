//! Summary figures for support and monitoring (`lotline journal stats`).

use std::fs;

use super::Journal;
use super::error::{JournalError, Result};
use super::event::EventKind;

/// What is in a journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stats {
    /// Events recorded.
    pub events: u64,
    /// Events per kind, every kind listed (zeros included), in
    /// [`EventKind::ALL`] order.
    pub by_kind: Vec<(EventKind, u64)>,
    /// Stock lines (GTIN, lot, location) with a non-zero quantity.
    pub stock_lines: u64,
    /// Distinct (GTIN, lot) pairs seen.
    pub lots: u64,
    /// Events not yet confirmed by the server.
    pub unsynced: u64,
    /// Bytes on disk: the database file plus its write-ahead log.
    pub file_bytes: u64,
}

impl Journal {
    /// Counts events, stock lines, lots and pending sync, and sizes the file.
    pub fn stats(&self) -> Result<Stats> {
        let count = |sql: &str| -> Result<u64> {
            let n: i64 = self.conn.query_row(sql, [], |row| row.get(0))?;
            Ok(u64::try_from(n).unwrap_or(0))
        };
        let mut by_kind: Vec<(EventKind, u64)> = EventKind::ALL.iter().map(|&k| (k, 0)).collect();
        let mut stmt = self
            .conn
            .prepare("SELECT kind, count(*) FROM events GROUP BY kind")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let name: String = row.get(0)?;
            let n: i64 = row.get(1)?;
            let kind = EventKind::from_name(&name).ok_or_else(|| {
                JournalError::Invalid(format!("events of unknown kind {name:?} in the journal"))
            })?;
            if let Some(slot) = by_kind.iter_mut().find(|(k, _)| *k == kind) {
                slot.1 = u64::try_from(n).unwrap_or(0);
            }
        }
        let mut file_bytes = 0;
        for suffix in ["", "-wal"] {
            let mut name = self.path.clone().into_os_string();
            name.push(suffix);
            match fs::metadata(&name) {
                Ok(meta) => file_bytes += meta.len(),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => {
                    return Err(JournalError::Io {
                        path: name.into(),
                        source,
                    });
                }
            }
        }
        Ok(Stats {
            events: self.head.seq,
            by_kind,
            stock_lines: count("SELECT count(*) FROM stock WHERE quantity <> 0")?,
            lots: count("SELECT count(*) FROM lots")?,
            unsynced: self.unsynced()?,
            file_bytes,
        })
    }
}
