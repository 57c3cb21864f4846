//! The embedded backend: one SQLite file (WAL, `synchronous=FULL`: a reply
//! that says "stored" is on disk), one connection behind a mutex. One
//! writer is what SQLite allows anyway; each call runs on tokio's blocking
//! pool.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{
    Connection, OptionalExtension, Params, TransactionBehavior, params, params_from_iter,
};

use super::reference_rows::{self, KEYED_KINDS};
use super::sql::{self, Cell};
use super::{Credential, DeviceActivity, DeviceInfo, EnrollOutcome, Result, Store, StoreError};
use crate::journal::{ChainHash, Event, ReferenceData, iso_date};
use crate::protocol::{ChainBreak, IngestReply, ReferenceChanges};
use crate::server::ingest::{self, Head, ValidBatch};
use crate::server::secrets::SecretHash;
use crate::traceability::reference_import::KnownKeys;

/// Forward-only migrations, by version; never edited once released.
const MIGRATIONS: &[(i64, &str)] = &[
    (
        1,
        "CREATE TABLE devices (
        name TEXT PRIMARY KEY,
        device_id TEXT UNIQUE,
        code_hash BLOB UNIQUE,
        token_hash BLOB UNIQUE,
        created_at INTEGER NOT NULL,
        enrolled_at INTEGER,
        revoked_at INTEGER,
        acked_through INTEGER NOT NULL,
        head_hash BLOB NOT NULL
    );
    CREATE TABLE events (
        device_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        event_id TEXT NOT NULL,
        recorded_at INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        operator TEXT NOT NULL,
        kind TEXT NOT NULL,
        gtin TEXT,
        lot TEXT,
        expiry TEXT,
        serial TEXT,
        sscc TEXT,
        quantity INTEGER NOT NULL,
        unit TEXT NOT NULL,
        from_location TEXT,
        to_location TEXT,
        purchase_order TEXT,
        sales_order TEXT,
        reason TEXT,
        correction_of TEXT,
        prev_hash BLOB NOT NULL,
        hash BLOB NOT NULL,
        PRIMARY KEY (device_id, seq)
    ) WITHOUT ROWID;
    CREATE INDEX events_by_lot ON events (gtin, lot);
    CREATE TABLE chain_breaks (
        device_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL,
        expected TEXT NOT NULL,
        found TEXT NOT NULL,
        detected_at INTEGER NOT NULL,
        PRIMARY KEY (device_id, seq, kind)
    );",
    ),
    (2, sql::MIGRATION_REFERENCE),
    (3, sql::MIGRATION_REPORT_INDEXES),
    (4, sql::MIGRATION_DEVICE_ACTIVITY),
];

/// How long a call waits for another process holding the write lock (an
/// admin command while the server runs).
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

impl rusqlite::ToSql for Cell {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self {
            Cell::Int(n) => ValueRef::Integer(*n),
            Cell::Text(Some(s)) => ValueRef::Text(s.as_bytes()),
            Cell::Text(None) => ValueRef::Null,
            Cell::Bytes(b) => ValueRef::Blob(b),
        }))
    }
}

/// Server storage in one SQLite file.
#[derive(Clone)]
pub struct SqliteStore {
    conn: Arc<Mutex<Connection>>,
}

impl SqliteStore {
    /// Opens (creating it and its directory if needed) and migrates the
    /// database at `path`.
    pub async fn open(path: impl Into<PathBuf>) -> Result<SqliteStore> {
        let path = path.into();
        let conn = tokio::task::spawn_blocking(move || open_file(&path))
            .await
            .map_err(|e| StoreError::Task(e.to_string()))??;
        Ok(SqliteStore {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// The schema version this build migrates SQLite databases to (a
    /// restore refuses a backup from a newer server).
    pub fn schema_version() -> i64 {
        MIGRATIONS.last().map_or(0, |m| m.0)
    }

    /// Runs `work` with the connection on the blocking pool.
    async fn run<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || {
            // A panic while holding the lock cannot leave a transaction
            // open (rusqlite rolls back on drop), so the connection is fine.
            let mut conn = conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            work(&mut conn)
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
    }
}

fn open_file(path: &Path) -> Result<Connection> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Directory {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    let mut conn = Connection::open(path)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    migrate(&mut conn)?;
    Ok(conn)
}

fn migrate(conn: &mut Connection) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute(&numbered(sql::CREATE_LEDGER), [])?;
    let current: i64 = tx.query_row(&numbered(sql::SCHEMA_VERSION), [], |row| row.get(0))?;
    for (version, ddl) in sql::pending(MIGRATIONS, current)? {
        tx.execute_batch(ddl)?;
        tx.execute(
            &numbered(sql::RECORD_MIGRATION),
            params![version, sql::micros(Utc::now())],
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// The statement with `$n` placeholders as `?n`: to SQLite `$1` is a
/// *name*, numbered by first appearance, while `?1` is position 1 as in
/// PostgreSQL.
fn numbered(statement: &str) -> String {
    statement.replace('$', "?")
}

impl sql::Columns for rusqlite::Row<'_> {
    fn text(&self, index: usize) -> Result<Option<String>> {
        Ok(self.get(index)?)
    }

    fn int(&self, index: usize) -> Result<i64> {
        Ok(self.get(index)?)
    }

    fn bytes(&self, index: usize) -> Result<Vec<u8>> {
        Ok(self.get(index)?)
    }
}

/// The events `statement` (in `$n` form) selects with `params`.
fn select_events(conn: &Connection, statement: &str, params: impl Params) -> Result<Vec<Event>> {
    let mut stmt = conn.prepare_cached(&numbered(statement))?;
    let mut rows = stmt.query(params)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(sql::read_event(row)?);
    }
    Ok(out)
}

fn optional_time(micros: Option<i64>) -> Result<Option<DateTime<Utc>>> {
    micros.map(sql::from_micros).transpose()
}

/// The first seven columns of a [`sql::DEVICES`] or
/// [`sql::DEVICE_ACTIVITY`] row.
fn device_info(row: &rusqlite::Row<'_>) -> Result<DeviceInfo> {
    Ok(DeviceInfo {
        name: row.get(0)?,
        device_id: row.get(1)?,
        created_at: sql::from_micros(row.get(2)?)?,
        enrolled_at: optional_time(row.get(3)?)?,
        revoked_at: optional_time(row.get(4)?)?,
        acked_through: sql::seq_from_i64(row.get(5)?)?,
        chain_breaks: sql::seq_from_i64(row.get(6)?)?,
    })
}

fn ingest_in(
    conn: &mut Connection,
    batch: ValidBatch,
    received_at: DateTime<Utc>,
) -> Result<IngestReply> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let head = tx
        .query_row(&numbered(sql::HEAD), [batch.device_id()], |row| {
            Ok((row.get::<_, i64>(0)?, row.get::<_, Vec<u8>>(1)?))
        })
        .optional()?
        .ok_or_else(|| StoreError::Corrupt(format!("no device {:?}", batch.device_id())))?;
    let head = Head {
        seq: sql::seq_from_i64(head.0)?,
        hash: sql::hash_from_bytes(&head.1)?,
    };
    let mut stored = HashMap::new();
    if let Some((first, _)) = batch.seq_range().filter(|(first, _)| *first <= head.seq) {
        let mut stmt = tx.prepare_cached(&numbered(sql::STORED_HASHES))?;
        let mut rows = stmt.query(params![batch.device_id(), first as i64, head.seq as i64])?;
        while let Some(row) = rows.next()? {
            let seq = sql::seq_from_i64(row.get(0)?)?;
            stored.insert(seq, sql::hash_from_bytes(&row.get::<_, Vec<u8>>(1)?)?);
        }
    }
    let device_id = batch.device_id().to_owned();
    let plan = ingest::plan(batch, head, &stored);
    tx.execute(
        &numbered(sql::RECORD_UPLOAD),
        params![
            device_id,
            sql::micros(received_at),
            plan.reply.conflicts.len() as i64
        ],
    )?;
    if !plan.insert.is_empty() {
        let mut insert = tx.prepare_cached(&numbered(sql::INSERT_EVENT))?;
        for event in &plan.insert {
            insert.execute(params_from_iter(sql::event_cells(event, received_at)))?;
        }
        let mut flag = tx.prepare_cached(&numbered(sql::INSERT_BREAK))?;
        for b in &plan.reply.chain_breaks {
            flag.execute(params_from_iter(sql::break_cells(b, received_at)))?;
        }
        tx.execute(
            &numbered(sql::UPDATE_HEAD),
            params![device_id, plan.head.seq as i64, plan.head.hash.0.as_slice()],
        )?;
    }
    tx.commit()?;
    Ok(plan.reply)
}

#[async_trait::async_trait]
impl Store for SqliteStore {
    async fn ping(&self) -> Result<()> {
        self.run(|conn| Ok(conn.query_row("SELECT 1", [], |_| Ok(()))?))
            .await
    }

    async fn add_device(&self, name: &str, code: SecretHash) -> Result<()> {
        let name = name.to_owned();
        self.run(move |conn| {
            let added = conn.execute(
                &numbered(sql::INSERT_DEVICE),
                params![
                    name,
                    code.0.as_slice(),
                    sql::micros(Utc::now()),
                    ChainHash::GENESIS.0.as_slice()
                ],
            )?;
            if added == 0 {
                return Err(StoreError::DuplicateName(name));
            }
            Ok(())
        })
        .await
    }

    async fn enroll(
        &self,
        code: SecretHash,
        device_id: &str,
        token: SecretHash,
    ) -> Result<EnrollOutcome> {
        let device_id = device_id.to_owned();
        self.run(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let taken: i64 =
                tx.query_row(&numbered(sql::DEVICE_ID_EXISTS), [&device_id], |r| r.get(0))?;
            if taken > 0 {
                return Ok(EnrollOutcome::DeviceIdTaken);
            }
            let updated = tx.execute(
                &numbered(sql::ENROLL),
                params![
                    code.0.as_slice(),
                    device_id,
                    token.0.as_slice(),
                    sql::micros(Utc::now())
                ],
            )?;
            tx.commit()?;
            Ok(if updated == 1 {
                EnrollOutcome::Enrolled
            } else {
                EnrollOutcome::UnknownCode
            })
        })
        .await
    }

    async fn credential(&self, token: SecretHash) -> Result<Option<Credential>> {
        self.run(move |conn| {
            let row = conn
                .query_row(&numbered(sql::CREDENTIAL), [token.0.as_slice()], |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, Vec<u8>>(1)?,
                        row.get::<_, Option<i64>>(2)?,
                    ))
                })
                .optional()?;
            row.map(|(device_id, hash, revoked_at)| {
                Ok(Credential {
                    device_id,
                    token_hash: SecretHash(sql::hash_from_bytes(&hash)?.0),
                    revoked: revoked_at.is_some(),
                })
            })
            .transpose()
        })
        .await
    }

    async fn devices(&self) -> Result<Vec<DeviceInfo>> {
        self.run(|conn| {
            let mut stmt = conn.prepare_cached(&numbered(sql::DEVICES))?;
            let mut rows = stmt.query([])?;
            let mut out = Vec::new();
            while let Some(row) = rows.next()? {
                out.push(device_info(row)?);
            }
            Ok(out)
        })
        .await
    }

    async fn revoke(&self, name_or_id: &str) -> Result<bool> {
        let key = name_or_id.to_owned();
        self.run(move |conn| {
            Ok(conn.execute(
                &numbered(sql::REVOKE),
                params![key, sql::micros(Utc::now())],
            )? > 0)
        })
        .await
    }

    async fn ingest(&self, batch: ValidBatch, received_at: DateTime<Utc>) -> Result<IngestReply> {
        self.run(move |conn| ingest_in(conn, batch, received_at))
            .await
    }

    async fn chain_breaks(&self) -> Result<Vec<ChainBreak>> {
        self.run(|conn| {
            let mut stmt = conn.prepare_cached(&numbered(sql::BREAKS))?;
            let mut rows = stmt.query([])?;
            let mut out = Vec::new();
            while let Some(row) = rows.next()? {
                out.push(sql::chain_break(
                    row.get(0)?,
                    row.get(1)?,
                    &row.get::<_, String>(2)?,
                    row.get(3)?,
                    row.get(4)?,
                )?);
            }
            Ok(out)
        })
        .await
    }

    async fn put_reference(&self, data: &ReferenceData) -> Result<u64> {
        let rows = reference_rows::rows(data)?;
        self.run(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let cursor: i64 =
                tx.query_row(&numbered(sql::NEXT_REFERENCE_CURSOR), [], |r| r.get(0))?;
            {
                let mut upsert = tx.prepare_cached(&numbered(sql::UPSERT_REFERENCE))?;
                for row in &rows {
                    upsert.execute(params![row.kind, row.key, row.body, cursor])?;
                }
            }
            tx.commit()?;
            sql::seq_from_i64(cursor)
        })
        .await
    }

    async fn reference_since(&self, since: u64) -> Result<ReferenceChanges> {
        let from = i64::try_from(since).unwrap_or(i64::MAX);
        self.run(move |conn| {
            let mut stmt = conn.prepare_cached(&numbered(sql::REFERENCE_SINCE))?;
            let stored = stmt
                .query_map([from], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            reference_rows::changes(stored, since)
        })
        .await
    }

    async fn known_keys(&self) -> Result<KnownKeys> {
        self.run(|conn| {
            let mut stmt = conn.prepare_cached(&numbered(sql::REFERENCE_KEYS))?;
            let stored = stmt
                .query_map(KEYED_KINDS, |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(reference_rows::known_keys(stored))
        })
        .await
    }

    async fn lot_events(&self, gtin: &str, lot: Option<&str>) -> Result<Vec<Event>> {
        let gtin = gtin.to_owned();
        let lot = lot.map(ToOwned::to_owned);
        self.run(move |conn| match lot {
            Some(lot) => select_events(conn, &sql::lot_events(), params![gtin, lot]),
            None => select_events(conn, &sql::unlotted_events(), params![gtin]),
        })
        .await
    }

    async fn period_events(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Event>> {
        let range = [sql::micros(from), sql::micros(to)];
        self.run(move |conn| select_events(conn, &sql::period_events(), range))
            .await
    }

    async fn carton_packing(&self, sscc: &str) -> Result<Vec<Event>> {
        let sscc = sscc.to_owned();
        self.run(move |conn| select_events(conn, &sql::carton_packing(), [sscc]))
            .await
    }

    async fn lots_expiring_by(&self, by: NaiveDate) -> Result<Vec<(String, Option<String>)>> {
        self.run(move |conn| {
            let mut stmt = conn.prepare_cached(&numbered(sql::LOTS_EXPIRING_BY))?;
            let lots = stmt
                .query_map([iso_date(by)], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(lots)
        })
        .await
    }

    async fn device_activity(&self) -> Result<Vec<DeviceActivity>> {
        self.run(|conn| {
            let mut stmt = conn.prepare_cached(&numbered(sql::DEVICE_ACTIVITY))?;
            let mut rows = stmt.query([])?;
            let mut out = Vec::new();
            while let Some(row) = rows.next()? {
                out.push(DeviceActivity {
                    device: device_info(row)?,
                    last_seen_at: optional_time(row.get(7)?)?,
                    conflicts: sql::seq_from_i64(row.get(8)?)?,
                    newest_event: sql::newest_event(row.get(9)?, row.get(10)?)?,
                });
            }
            Ok(out)
        })
        .await
    }
}
