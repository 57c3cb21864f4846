//! Backups and restores of the server database (`lotline-server backup` and
//! `restore`; how to run them: `docs/server.md`).
//!
//! SQLite: a backup is `VACUUM INTO` a new file — one consistent snapshot
//! taken inside a read transaction, so a running server goes on ingesting
//! — then synced to disk and checked (`PRAGMA integrity_check` and the
//! Lotline schema). A restore first checks the backup the same way, takes
//! SQLite's exclusive lock on the database (which fails while any server or
//! admin command has it open: that is how "in use" is detected), keeps a
//! copy of what it replaces, and copies the backup in with SQLite's online
//! backup API, one transaction: the database is either the old one or the
//! restored one, never a mix.
//!
//! PostgreSQL: `pg_dump --format=custom`; restoring is `pg_restore`'s job,
//! and [`pg_restore_command`] says exactly what to run.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::store::SqliteStore;

/// Tables, with some of their columns, that only a Lotline server
/// database has (a terminal's journal or another program's database lacks
/// them).
const SERVER_TABLES: &[(&str, &str)] = &[
    ("schema_migrations", "version, applied_at"),
    (
        "devices",
        "name, device_id, token_hash, acked_through, head_hash",
    ),
    (
        "events",
        "device_id, seq, event_id, received_at, prev_hash, hash",
    ),
    ("chain_breaks", "device_id, seq, kind, expected, found"),
];

/// How long a backup waits for a writer's lock (WAL readers rarely wait).
const BACKUP_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a restore waits for the database to be free: long enough for an
/// admin command to finish, short of the server's lifetime.
const RESTORE_BUSY_TIMEOUT: Duration = Duration::from_secs(1);

/// Why a backup or restore failed; every message names the file.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The file to write exists: backups never overwrite.
    #[error("{0} already exists; a backup never overwrites a file: choose another name")]
    Exists(PathBuf),
    /// The database to back up does not exist.
    #[error("there is no database at {0}")]
    Missing(PathBuf),
    /// A server or admin command has the database open.
    #[error(
        "the database {0} is in use (is lotline-server running?): stop every server and \
         command using it, then restore again"
    )]
    InUse(PathBuf),
    /// The copy a restore keeps of the replaced database is still there
    /// from an earlier restore.
    #[error(
        "{0} exists from an earlier restore; move it somewhere safe first (a restore keeps \
         the database it replaces there)"
    )]
    KeepExists(PathBuf),
    /// The backup named is the database itself.
    #[error("{0} is the database itself: restore from a backup")]
    SameFile(PathBuf),
    /// The file is not a Lotline server database.
    #[error("{path} is not a Lotline server database ({why})")]
    NotServerDatabase {
        /// The file.
        path: PathBuf,
        /// What is missing.
        why: String,
    },
    /// SQLite's integrity check found problems.
    #[error("{path} fails SQLite's integrity check: {report}")]
    Integrity {
        /// The file.
        path: PathBuf,
        /// The first lines of `PRAGMA integrity_check`.
        report: String,
    },
    /// The backup was written by a newer server.
    #[error(
        "{path} is at schema version {found}; this server knows up to {supported}: \
         restore it with a newer lotline-server"
    )]
    TooNew {
        /// The file.
        path: PathBuf,
        /// Its schema version.
        found: i64,
        /// The newest this build knows.
        supported: i64,
    },
    /// SQLite failed on a file. (The error is in the message, not a
    /// `source`, so a report does not print it twice.)
    #[error("{path}: SQLite: {error}")]
    Sqlite {
        /// The file.
        path: PathBuf,
        /// The error.
        error: rusqlite::Error,
    },
    /// A file operation failed.
    #[error("{path}: {error}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        error: io::Error,
    },
    /// `pg_dump` is not installed.
    #[error(
        "pg_dump was not found on PATH: install the PostgreSQL client tools (Debian: \
         apt install postgresql-client), of the server's major version or newer"
    )]
    PgDumpMissing,
    /// `pg_dump` ran and failed.
    #[error("pg_dump failed ({status}): {stderr}")]
    PgDump {
        /// Its exit status.
        status: String,
        /// What it said.
        stderr: String,
    },
    /// The PostgreSQL URL cannot be read.
    #[error("invalid PostgreSQL URL: {0}")]
    PostgresUrl(String),
}

type Result<T> = std::result::Result<T, BackupError>;

/// What a checked SQLite database holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Its schema version (the server migrates older ones on start).
    pub schema_version: i64,
    /// Device records.
    pub devices: u64,
    /// Stored events.
    pub events: u64,
}

/// A finished SQLite restore.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// What the database now holds.
    pub summary: Summary,
    /// Where the replaced database was kept (None when there was none).
    pub kept: Option<PathBuf>,
}

/// An SQLite error on `path`, told as what it means for a backup: a file
/// that is no database, a damaged one, or another failure.
fn sqlite_error(path: &Path) -> impl Fn(rusqlite::Error) -> BackupError + '_ {
    move |error| match error.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => BackupError::NotServerDatabase {
            path: path.to_path_buf(),
            why: "not an SQLite database".into(),
        },
        Some(ErrorCode::DatabaseCorrupt) => BackupError::Integrity {
            path: path.to_path_buf(),
            report: "the file is damaged (database disk image is malformed)".into(),
        },
        _ => BackupError::Sqlite {
            path: path.to_path_buf(),
            error,
        },
    }
}

fn io_error(path: &Path) -> impl Fn(io::Error) -> BackupError + '_ {
    move |error| BackupError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// Where a restore keeps the database it replaces: `DB.before-restore`.
pub fn kept_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".before-restore");
    PathBuf::from(name)
}

/// Opens an existing SQLite file without the right to change it.
fn open_read_only(path: &Path) -> Result<Connection> {
    if !path.is_file() {
        return Err(BackupError::Missing(path.to_path_buf()));
    }
    Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(sqlite_error(path))
}

/// Creates `path`, which must not exist yet (the check and the creation
/// are one step, so two backups cannot both write it).
fn create_new(path: &Path) -> Result<File> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            io::ErrorKind::AlreadyExists => BackupError::Exists(path.to_path_buf()),
            _ => BackupError::Io {
                path: path.to_path_buf(),
                error: e,
            },
        })
}

/// Flushes `path` and the directory entry naming it to disk.
fn sync(path: &Path) -> Result<()> {
    File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(io_error(path))?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(io_error(dir))?;
    }
    Ok(())
}

/// `PRAGMA integrity_check` of the connection's database.
fn integrity_check(conn: &Connection, path: &Path) -> Result<()> {
    let mut stmt = conn
        .prepare("PRAGMA integrity_check")
        .map_err(sqlite_error(path))?;
    let lines = stmt
        .query_map([], |row| row.get::<_, String>(0))
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(sqlite_error(path))?;
    if lines == ["ok"] {
        Ok(())
    } else {
        Err(BackupError::Integrity {
            path: path.to_path_buf(),
            report: lines.into_iter().take(5).collect::<Vec<_>>().join("; "),
        })
    }
}

/// Checks that `path` is a sound Lotline server database of a schema this
/// build knows, and says what it holds.
pub fn inspect(path: &Path) -> Result<Summary> {
    let conn = open_read_only(path)?;
    let not_ours = |why: String| BackupError::NotServerDatabase {
        path: path.to_path_buf(),
        why,
    };
    for (table, columns) in SERVER_TABLES {
        match conn.prepare(&format!("SELECT {columns} FROM {table} LIMIT 0")) {
            Ok(_) => {}
            // SQLITE_ERROR: no such table or column.
            Err(e) if e.sqlite_error_code() == Some(ErrorCode::Unknown) => {
                return Err(not_ours(format!("no table {table} with {columns}")));
            }
            Err(e) => return Err(sqlite_error(path)(e)),
        }
    }
    let count = |sql: &str| {
        conn.query_row(sql, [], |row| row.get::<_, i64>(0))
            .map_err(sqlite_error(path))
    };
    let schema_version = count("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")?;
    let supported = SqliteStore::schema_version();
    if schema_version > supported {
        return Err(BackupError::TooNew {
            path: path.to_path_buf(),
            found: schema_version,
            supported,
        });
    }
    if schema_version < 1 {
        return Err(not_ours("no schema migration recorded".into()));
    }
    integrity_check(&conn, path)?;
    Ok(Summary {
        schema_version,
        devices: count("SELECT count(*) FROM devices")? as u64,
        events: count("SELECT count(*) FROM events")? as u64,
    })
}

/// Backs up the SQLite database `db` into the new file `dest` while the
/// server may keep writing, then checks the copy. On any failure the
/// partial copy is removed.
pub fn backup_sqlite(db: &Path, dest: &Path) -> Result<Summary> {
    let source = open_read_only(db)?;
    source
        .busy_timeout(BACKUP_BUSY_TIMEOUT)
        .map_err(sqlite_error(db))?;
    drop(create_new(dest)?); // VACUUM INTO accepts an empty file
    let copied = vacuum_into(&source, db, dest).and_then(|()| inspect(dest));
    if copied.is_err() {
        let _ = fs::remove_file(dest);
    }
    copied
}

/// `VACUUM INTO dest` (an empty or absent file), synced to disk: SQLite
/// itself does not sync what `VACUUM INTO` writes.
fn vacuum_into(conn: &Connection, db: &Path, dest: &Path) -> Result<()> {
    let target = dest.to_str().ok_or_else(|| BackupError::Io {
        path: dest.to_path_buf(),
        error: io::Error::new(io::ErrorKind::InvalidInput, "the path is not UTF-8"),
    })?;
    conn.execute("VACUUM INTO ?1", [target])
        .map_err(sqlite_error(db))?;
    sync(dest)
}

/// Replaces the SQLite database `db` with the backup `from`, keeping the
/// replaced database as [`kept_path`]`(db)`. Refuses a backup that is not
/// a sound Lotline server database of a known schema, and a database that
/// is in use.
pub fn restore_sqlite(db: &Path, from: &Path) -> Result<Restored> {
    if let (Ok(a), Ok(b)) = (fs::canonicalize(db), fs::canonicalize(from))
        && a == b
    {
        return Err(BackupError::SameFile(from.to_path_buf()));
    }
    inspect(from)?;
    let source = open_read_only(from)?;
    let existed = db.exists();
    let kept = kept_path(db);
    if existed && kept.exists() {
        return Err(BackupError::KeepExists(kept));
    }
    let mut target = lock_exclusively(db)?;
    if existed {
        keep_copy(&target, db, &kept)?;
    }
    let copied = Backup::new(&source, &mut target)
        .and_then(|copy| copy.step(-1))
        .map_err(sqlite_error(db))
        .and_then(|step| match step {
            StepResult::Done => Ok(()),
            _ => Err(BackupError::InUse(db.to_path_buf())),
        });
    if let Err(e) = copied {
        // The copy is one transaction: it rolled back, the database is
        // as it was, and the kept copy is not needed.
        if existed {
            let _ = fs::remove_file(&kept);
        }
        return Err(e);
    }
    integrity_check(&target, db)?;
    drop(target); // releases the lock; folds the WAL into the file
    Ok(Restored {
        summary: inspect(db)?,
        kept: existed.then_some(kept),
    })
}

/// Opens `db` (creating it, and its directory, when absent) and takes
/// SQLite's exclusive lock until the connection closes. Every other
/// connection to a WAL database holds a shared lock on it while open, so
/// this fails while a server or admin command uses the database.
fn lock_exclusively(db: &Path) -> Result<Connection> {
    if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir).map_err(io_error(dir))?;
    }
    let conn = Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(sqlite_error(db))?;
    conn.busy_timeout(RESTORE_BUSY_TIMEOUT)
        .map_err(sqlite_error(db))?;
    conn.pragma_update(None, "locking_mode", "EXCLUSIVE")
        .map_err(sqlite_error(db))?;
    match conn.execute_batch("BEGIN EXCLUSIVE; COMMIT;") {
        Ok(()) => Ok(conn),
        Err(e) if e.sqlite_error_code() == Some(ErrorCode::DatabaseBusy) => {
            Err(BackupError::InUse(db.to_path_buf()))
        }
        Err(e) => Err(sqlite_error(db)(e)),
    }
}

/// Copies the locked database byte for byte to `kept` (after folding its
/// WAL into it), so even a damaged database is kept as it was.
fn keep_copy(locked: &Connection, db: &Path, kept: &Path) -> Result<()> {
    locked
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .map_err(sqlite_error(db))?;
    let mut out = create_new(kept).map_err(|e| match e {
        BackupError::Exists(path) => BackupError::KeepExists(path),
        other => other,
    })?;
    let copied = File::open(db)
        .and_then(|mut input| io::copy(&mut input, &mut out))
        .map_err(io_error(kept))
        .and_then(|_| sync(kept));
    if copied.is_err() {
        let _ = fs::remove_file(kept);
    }
    copied
}

/// A PostgreSQL URL as libpq arguments: the connection string without the
/// password (it would show in `ps`), and the password for `PGPASSWORD`.
fn libpq_target(url: &str) -> Result<(String, Option<String>)> {
    let config: tokio_postgres::Config = url
        .parse()
        .map_err(|e: tokio_postgres::Error| BackupError::PostgresUrl(e.to_string()))?;
    let quote = |value: &str| format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"));
    let mut parts = Vec::new();
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .map(|host| match host {
            tokio_postgres::config::Host::Tcp(name) => name.clone(),
            tokio_postgres::config::Host::Unix(path) => path.display().to_string(),
        })
        .collect();
    if !hosts.is_empty() {
        parts.push(format!("host={}", quote(&hosts.join(","))));
    }
    let ports: Vec<String> = config.get_ports().iter().map(u16::to_string).collect();
    if !ports.is_empty() {
        parts.push(format!("port={}", ports.join(",")));
    }
    let named = [
        ("user", config.get_user()),
        ("dbname", config.get_dbname()),
        ("options", config.get_options()),
        ("application_name", config.get_application_name()),
    ];
    for (key, value) in named {
        if let Some(value) = value {
            parts.push(format!("{key}={}", quote(value)));
        }
    }
    let password = config
        .get_password()
        .map(|p| String::from_utf8_lossy(p).into_owned());
    Ok((parts.join(" "), password))
}

/// Dumps the PostgreSQL database at `url` into the new file `dest` with
/// `pg_dump --format=custom` (the format `pg_restore` reads). On any
/// failure the partial file is removed.
pub fn backup_postgres(url: &str, dest: &Path) -> Result<()> {
    let (conninfo, password) = libpq_target(url)?;
    drop(create_new(dest)?);
    let mut command = Command::new("pg_dump");
    command
        .arg("--format=custom")
        .arg("--no-password")
        .arg("--file")
        .arg(dest)
        .arg("--dbname")
        .arg(&conninfo)
        .stdin(Stdio::null());
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    let result = match command.output() {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Err(BackupError::PgDumpMissing),
        Err(e) => Err(BackupError::Io {
            path: PathBuf::from("pg_dump"),
            error: e,
        }),
        Ok(out) if !out.status.success() => Err(BackupError::PgDump {
            status: out.status.to_string(),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        }),
        Ok(_) => sync(dest),
    };
    if result.is_err() {
        let _ = fs::remove_file(dest);
    }
    result
}

/// The shell command that restores the `pg_dump` archive `file` into the
/// PostgreSQL database at `url`, replacing its Lotline tables in one
/// transaction. The password is left out: `pg_restore` asks for it, or
/// reads `PGPASSWORD` or `~/.pgpass`.
pub fn pg_restore_command(url: &str, file: &Path) -> Result<String> {
    let (conninfo, _password) = libpq_target(url)?;
    let shell = |word: &str| format!("'{}'", word.replace('\'', r"'\''"));
    Ok(format!(
        "pg_restore --clean --if-exists --no-owner --single-transaction --exit-on-error \
         --dbname {} {}",
        shell(&conninfo),
        shell(&file.display().to_string())
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libpq_arguments_leave_the_password_out() {
        let (conninfo, password) =
            libpq_target("postgres://admin:s3cr%27t@db.example:5433/lotline?application_name=x")
                .unwrap();
        assert_eq!(
            conninfo,
            "host='db.example' port=5433 user='admin' dbname='lotline' application_name='x'"
        );
        assert_eq!(password.as_deref(), Some("s3cr't"));
        let command = pg_restore_command(
            "postgresql://admin:pw@db.example/lot'line",
            Path::new("/backups/it's.dump"),
        )
        .unwrap();
        assert!(!command.contains("pw"), "{command}");
        assert!(
            command.ends_with(r"'/backups/it'\''s.dump'"),
            "shell quoting: {command}"
        );
        assert!(
            command.contains(r"dbname='\''lot\'\''line'\''"),
            "{command}"
        );
        assert!(matches!(
            libpq_target("postgres://h:notaport/db"),
            Err(BackupError::PostgresUrl(_))
        ));
    }

    #[test]
    fn the_kept_copy_sits_beside_the_database() {
        assert_eq!(
            kept_path(Path::new("/var/lib/lotline-server/server.sqlite")),
            Path::new("/var/lib/lotline-server/server.sqlite.before-restore")
        );
    }
}
