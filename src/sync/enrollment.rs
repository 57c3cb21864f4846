//! What `lotline enroll` obtained: the server URL, this terminal's device
//! id and its bearer token, kept in `<data dir>/sync.json`, readable by the
//! owner only (the token lets anyone upload as this terminal).

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use super::client::SyncClient;
use crate::atomic_file;
use crate::journal::{self, Journal};

/// The enrollment file's name inside the data directory.
pub const FILE_NAME: &str = "sync.json";

/// This terminal's enrollment with a server.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Enrollment {
    /// The server's base URL, e.g. `https://lotline.example.com`.
    pub server_url: String,
    /// The device id the server filed this terminal under (the journal's).
    pub device_id: String,
    /// The bearer token (secret).
    pub token: String,
    /// Extra CA certificates (PEM) the server's certificate chains to, for
    /// a private PKI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<PathBuf>,
}

impl std::fmt::Debug for Enrollment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the token, not even in a debug log.
        f.debug_struct("Enrollment")
            .field("server_url", &self.server_url)
            .field("device_id", &self.device_id)
            .field("token", &"***")
            .field("ca_file", &self.ca_file)
            .finish()
    }
}

/// Enrolls the terminal whose data directory is `data_dir` with the server
/// at `url`, using a one-time `code` from `lotline-server device add`, and
/// keeps the enrollment there. Used by `lotline enroll` and the settings
/// screen.
pub fn enroll(
    url: &str,
    code: &str,
    ca_file: Option<PathBuf>,
    data_dir: &Path,
) -> Result<Enrollment> {
    let journal_path = data_dir.join(journal::FILE_NAME);
    fs::create_dir_all(data_dir)
        .with_context(|| format!("cannot create {}", data_dir.display()))?;
    let journal = Journal::open(&journal_path)
        .with_context(|| format!("cannot open the journal {}", journal_path.display()))?;
    let client = SyncClient::new(url.trim(), ca_file.as_deref())?;
    let reply = client.enroll(code.trim(), journal.device_id())?;
    if reply.device_id != journal.device_id() {
        bail!(
            "the server filed this terminal as {} instead of its journal's id {}",
            reply.device_id,
            journal.device_id()
        );
    }
    let enrollment = Enrollment {
        server_url: client.base_url().to_owned(),
        device_id: reply.device_id,
        token: reply.token,
        ca_file,
    };
    enrollment.save(data_dir)?;
    Ok(enrollment)
}

impl Enrollment {
    /// The file in `data_dir`.
    pub fn path(data_dir: &Path) -> PathBuf {
        data_dir.join(FILE_NAME)
    }

    /// The enrollment in `data_dir`, None when the terminal is not enrolled.
    pub fn load(data_dir: &Path) -> Result<Option<Enrollment>> {
        let path = Enrollment::path(data_dir);
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        serde_json::from_str(&text)
            .map(Some)
            .with_context(|| format!("{} is damaged: enroll again", path.display()))
    }

    /// Writes the enrollment (mode 0600), replacing any earlier one
    /// atomically.
    pub fn save(&self, data_dir: &Path) -> Result<()> {
        fs::create_dir_all(data_dir)
            .with_context(|| format!("cannot create {}", data_dir.display()))?;
        let path = Enrollment::path(data_dir);
        let json = serde_json::to_string_pretty(self)?;
        atomic_file::replace(&path, json.as_bytes(), Some(0o600))
            .with_context(|| format!("cannot write {}", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_owner_only_loaded_back_and_never_printed() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Enrollment::load(dir.path()).unwrap(), None);
        let enrollment = Enrollment {
            server_url: "https://server.example".into(),
            device_id: "dev-1".into(),
            token: "s3cret".into(),
            ca_file: None,
        };
        enrollment.save(dir.path()).unwrap();
        assert_eq!(
            Enrollment::load(dir.path()).unwrap(),
            Some(enrollment.clone())
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(Enrollment::path(dir.path()))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(!format!("{enrollment:?}").contains("s3cret"));
        fs::write(Enrollment::path(dir.path()), "{").unwrap();
        let err = format!("{:#}", Enrollment::load(dir.path()).unwrap_err());
        assert!(err.contains("enroll again"), "{err}");
    }
}
