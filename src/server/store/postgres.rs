//! The PostgreSQL backend: tokio-postgres through a deadpool connection
//! pool, so concurrent devices ingest in parallel. A device's row is locked
//! (`SELECT … FOR UPDATE`) for the length of its ingest, which serializes
//! batches of one device and nothing else.

use std::collections::HashMap;

use bytes::BytesMut;
use chrono::{DateTime, NaiveDate, Utc};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::NoTls;
use tokio_postgres::types::{IsNull, ToSql, Type, to_sql_checked};

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
        code_hash BYTEA UNIQUE,
        token_hash BYTEA UNIQUE,
        created_at BIGINT NOT NULL,
        enrolled_at BIGINT,
        revoked_at BIGINT,
        acked_through BIGINT NOT NULL,
        head_hash BYTEA NOT NULL
    );
    CREATE TABLE events (
        device_id TEXT NOT NULL,
        seq BIGINT NOT NULL,
        event_id TEXT NOT NULL,
        recorded_at BIGINT NOT NULL,
        received_at BIGINT NOT NULL,
        operator TEXT NOT NULL,
        kind TEXT NOT NULL,
        gtin TEXT,
        lot TEXT,
        expiry TEXT,
        serial TEXT,
        sscc TEXT,
        quantity BIGINT NOT NULL,
        unit TEXT NOT NULL,
        from_location TEXT,
        to_location TEXT,
        purchase_order TEXT,
        sales_order TEXT,
        reason TEXT,
        correction_of TEXT,
        prev_hash BYTEA NOT NULL,
        hash BYTEA NOT NULL,
        PRIMARY KEY (device_id, seq)
    );
    CREATE INDEX events_by_lot ON events (gtin, lot);
    CREATE TABLE chain_breaks (
        device_id TEXT NOT NULL,
        seq BIGINT NOT NULL,
        kind TEXT NOT NULL,
        expected TEXT NOT NULL,
        found TEXT NOT NULL,
        detected_at BIGINT NOT NULL,
        PRIMARY KEY (device_id, seq, kind)
    );",
    ),
    (2, sql::MIGRATION_REFERENCE),
    (3, sql::MIGRATION_REPORT_INDEXES),
    (4, sql::MIGRATION_DEVICE_ACTIVITY),
];

/// Connections the pool keeps at most: enough for the server's workers
/// plus admin calls, well under PostgreSQL's default 100.
const POOL_SIZE: usize = 16;

/// Serializes concurrent migrations (two servers starting at once): an
/// arbitrary constant, Lotline's advisory lock key.
const MIGRATION_LOCK: i64 = 0x4c4f_544c;

impl ToSql for Cell {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Cell::Int(n) => n.to_sql(ty, out),
            Cell::Text(s) => s.to_sql(ty, out),
            Cell::Bytes(b) => b.to_sql(ty, out),
        }
    }

    fn accepts(ty: &Type) -> bool {
        <i64 as ToSql>::accepts(ty)
            || <String as ToSql>::accepts(ty)
            || <Vec<u8> as ToSql>::accepts(ty)
    }

    to_sql_checked!();
}

/// Server storage in a PostgreSQL database.
#[derive(Clone)]
pub struct PostgresStore {
    pool: Pool,
}

fn pool_error(e: impl std::fmt::Display) -> StoreError {
    StoreError::Pool(e.to_string())
}

impl PostgresStore {
    /// Connects to the database at `url` and migrates it.
    pub async fn connect(url: &str) -> Result<PostgresStore> {
        PostgresStore::with_config(url.parse()?).await
    }

    /// Like [`PostgresStore::connect`] with a ready configuration (e.g. one
    /// whose `options` set a `search_path`, as the tests do to get a
    /// schema of their own).
    pub async fn with_config(config: tokio_postgres::Config) -> Result<PostgresStore> {
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .build()
            .map_err(pool_error)?;
        let store = PostgresStore { pool };
        store.migrate().await?;
        Ok(store)
    }

    async fn client(&self) -> Result<deadpool_postgres::Object> {
        self.pool.get().await.map_err(pool_error)
    }

    async fn migrate(&self) -> Result<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await?;
        tx.execute(sql::CREATE_LEDGER, &[]).await?;
        let current: i64 = tx.query_one(sql::SCHEMA_VERSION, &[]).await?.get(0);
        for (version, ddl) in sql::pending(MIGRATIONS, current)? {
            tx.batch_execute(ddl).await?;
            tx.execute(sql::RECORD_MIGRATION, &[version, &sql::micros(Utc::now())])
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

impl sql::Columns for tokio_postgres::Row {
    fn text(&self, index: usize) -> Result<Option<String>> {
        Ok(self.try_get(index)?)
    }

    fn int(&self, index: usize) -> Result<i64> {
        Ok(self.try_get(index)?)
    }

    fn bytes(&self, index: usize) -> Result<Vec<u8>> {
        Ok(self.try_get(index)?)
    }
}

fn optional_time(micros: Option<i64>) -> Result<Option<DateTime<Utc>>> {
    micros.map(sql::from_micros).transpose()
}

/// The first seven columns of a [`sql::DEVICES`] or
/// [`sql::DEVICE_ACTIVITY`] row.
fn device_info(row: &tokio_postgres::Row) -> Result<DeviceInfo> {
    Ok(DeviceInfo {
        name: row.get(0),
        device_id: row.get(1),
        created_at: sql::from_micros(row.get(2))?,
        enrolled_at: optional_time(row.get(3))?,
        revoked_at: optional_time(row.get(4))?,
        acked_through: sql::seq_from_i64(row.get(5))?,
        chain_breaks: sql::seq_from_i64(row.get(6))?,
    })
}

fn as_params(cells: &[Cell]) -> Vec<&(dyn ToSql + Sync)> {
    cells.iter().map(|c| c as &(dyn ToSql + Sync)).collect()
}

#[async_trait::async_trait]
impl Store for PostgresStore {
    async fn ping(&self) -> Result<()> {
        self.client().await?.simple_query("SELECT 1").await?;
        Ok(())
    }

    async fn add_device(&self, name: &str, code: SecretHash) -> Result<()> {
        let added = self
            .client()
            .await?
            .execute(
                sql::INSERT_DEVICE,
                &[
                    &name,
                    &code.0.as_slice(),
                    &sql::micros(Utc::now()),
                    &ChainHash::GENESIS.0.as_slice(),
                ],
            )
            .await?;
        if added == 0 {
            return Err(StoreError::DuplicateName(name.to_owned()));
        }
        Ok(())
    }

    async fn enroll(
        &self,
        code: SecretHash,
        device_id: &str,
        token: SecretHash,
    ) -> Result<EnrollOutcome> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        // Lock the code's row so two terminals presenting one code cannot
        // both pass the device-id check and race on the update.
        tx.query(
            "SELECT 1 FROM devices WHERE code_hash = $1 FOR UPDATE",
            &[&code.0.as_slice()],
        )
        .await?;
        let taken: i64 = tx
            .query_one(sql::DEVICE_ID_EXISTS, &[&device_id])
            .await?
            .get(0);
        if taken > 0 {
            return Ok(EnrollOutcome::DeviceIdTaken);
        }
        let updated = tx
            .execute(
                sql::ENROLL,
                &[
                    &code.0.as_slice(),
                    &device_id,
                    &token.0.as_slice(),
                    &sql::micros(Utc::now()),
                ],
            )
            .await?;
        tx.commit().await?;
        Ok(if updated == 1 {
            EnrollOutcome::Enrolled
        } else {
            EnrollOutcome::UnknownCode
        })
    }

    async fn credential(&self, token: SecretHash) -> Result<Option<Credential>> {
        let row = self
            .client()
            .await?
            .query_opt(sql::CREDENTIAL, &[&token.0.as_slice()])
            .await?;
        row.map(|row| {
            Ok(Credential {
                device_id: row.get(0),
                token_hash: SecretHash(sql::hash_from_bytes(row.get(1))?.0),
                revoked: row.get::<_, Option<i64>>(2).is_some(),
            })
        })
        .transpose()
    }

    async fn devices(&self) -> Result<Vec<DeviceInfo>> {
        let rows = self.client().await?.query(sql::DEVICES, &[]).await?;
        rows.iter().map(device_info).collect()
    }

    async fn revoke(&self, name_or_id: &str) -> Result<bool> {
        let revoked = self
            .client()
            .await?
            .execute(sql::REVOKE, &[&name_or_id, &sql::micros(Utc::now())])
            .await?;
        Ok(revoked > 0)
    }

    async fn ingest(&self, batch: ValidBatch, received_at: DateTime<Utc>) -> Result<IngestReply> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let device_id = batch.device_id().to_owned();
        let row = tx
            .query_opt(format!("{} FOR UPDATE", sql::HEAD).as_str(), &[&device_id])
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("no device {device_id:?}")))?;
        let head = Head {
            seq: sql::seq_from_i64(row.get(0))?,
            hash: sql::hash_from_bytes(row.get(1))?,
        };
        let mut stored = HashMap::new();
        if let Some((first, _)) = batch.seq_range().filter(|(first, _)| *first <= head.seq) {
            let rows = tx
                .query(
                    sql::STORED_HASHES,
                    &[&device_id, &(first as i64), &(head.seq as i64)],
                )
                .await?;
            for row in rows {
                stored.insert(
                    sql::seq_from_i64(row.get(0))?,
                    sql::hash_from_bytes(row.get(1))?,
                );
            }
        }
        let plan = ingest::plan(batch, head, &stored);
        tx.execute(
            sql::RECORD_UPLOAD,
            &[
                &device_id,
                &sql::micros(received_at),
                &(plan.reply.conflicts.len() as i64),
            ],
        )
        .await?;
        if !plan.insert.is_empty() {
            let insert = tx.prepare_cached(sql::INSERT_EVENT).await?;
            for event in &plan.insert {
                let cells = sql::event_cells(event, received_at);
                tx.execute(&insert, &as_params(&cells)).await?;
            }
            for b in &plan.reply.chain_breaks {
                let cells = sql::break_cells(b, received_at);
                tx.execute(sql::INSERT_BREAK, &as_params(&cells)).await?;
            }
            tx.execute(
                sql::UPDATE_HEAD,
                &[
                    &device_id,
                    &(plan.head.seq as i64),
                    &plan.head.hash.0.as_slice(),
                ],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(plan.reply)
    }

    async fn chain_breaks(&self) -> Result<Vec<ChainBreak>> {
        let rows = self.client().await?.query(sql::BREAKS, &[]).await?;
        rows.iter()
            .map(|row| {
                sql::chain_break(
                    row.get(0),
                    row.get(1),
                    row.get::<_, &str>(2),
                    row.get(3),
                    row.get(4),
                )
            })
            .collect()
    }

    async fn put_reference(&self, data: &ReferenceData) -> Result<u64> {
        let rows = reference_rows::rows(data)?;
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let cursor: i64 = tx.query_one(sql::NEXT_REFERENCE_CURSOR, &[]).await?.get(0);
        let upsert = tx.prepare_cached(sql::UPSERT_REFERENCE).await?;
        for row in &rows {
            tx.execute(&upsert, &[&row.kind, &row.key, &row.body, &cursor])
                .await?;
        }
        tx.commit().await?;
        sql::seq_from_i64(cursor)
    }

    async fn reference_since(&self, since: u64) -> Result<ReferenceChanges> {
        let from = i64::try_from(since).unwrap_or(i64::MAX);
        let rows = self
            .client()
            .await?
            .query(sql::REFERENCE_SINCE, &[&from])
            .await?;
        reference_rows::changes(rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))), since)
    }

    async fn known_keys(&self) -> Result<KnownKeys> {
        let [a, b, c] = KEYED_KINDS;
        let rows = self
            .client()
            .await?
            .query(sql::REFERENCE_KEYS, &[&a, &b, &c])
            .await?;
        Ok(reference_rows::known_keys(
            rows.iter().map(|r| (r.get(0), r.get(1))),
        ))
    }

    async fn lot_events(&self, gtin: &str, lot: Option<&str>) -> Result<Vec<Event>> {
        let client = self.client().await?;
        let rows = match lot {
            Some(lot) => client.query(&sql::lot_events(), &[&gtin, &lot]).await?,
            None => client.query(&sql::unlotted_events(), &[&gtin]).await?,
        };
        rows.iter().map(sql::read_event).collect()
    }

    async fn period_events(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Event>> {
        let rows = self
            .client()
            .await?
            .query(
                &sql::period_events(),
                &[&sql::micros(from), &sql::micros(to)],
            )
            .await?;
        rows.iter().map(sql::read_event).collect()
    }

    async fn carton_packing(&self, sscc: &str) -> Result<Vec<Event>> {
        let rows = self
            .client()
            .await?
            .query(&sql::carton_packing(), &[&sscc])
            .await?;
        rows.iter().map(sql::read_event).collect()
    }

    async fn lots_expiring_by(&self, by: NaiveDate) -> Result<Vec<(String, Option<String>)>> {
        let rows = self
            .client()
            .await?
            .query(sql::LOTS_EXPIRING_BY, &[&iso_date(by)])
            .await?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    async fn device_activity(&self) -> Result<Vec<DeviceActivity>> {
        let rows = self
            .client()
            .await?
            .query(sql::DEVICE_ACTIVITY, &[])
            .await?;
        rows.iter()
            .map(|row| {
                Ok(DeviceActivity {
                    device: device_info(row)?,
                    last_seen_at: optional_time(row.get(7))?,
                    conflicts: sql::seq_from_i64(row.get(8))?,
                    newest_event: sql::newest_event(row.get(9), row.get(10))?,
                })
            })
            .collect()
    }
}
