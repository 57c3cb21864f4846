//! Replacing a small file so that a crash or power cut leaves either the
//! old contents or the new ones, never a torn or empty file: the new
//! contents go to a temporary file beside it, are flushed to disk, and
//! the temporary file is renamed over the old one. The terminal keeps its
//! enrollment, language choice and device list this way.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// Replaces `path` with `contents`. With `mode` (Unix), the file gets
/// those permissions from its creation (0600 for a secret).
pub fn replace(path: &Path, contents: &[u8], mode: Option<u32>) -> io::Result<()> {
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".new");
    let temporary = Path::new(&temporary);
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if let Some(mode) = mode {
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    let mut file = options.open(temporary)?;
    file.write_all(contents)?;
    file.sync_all()?;
    fs::rename(temporary, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_contents_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("language");
        replace(&path, b"de\n", None).unwrap();
        replace(&path, b"es\n", None).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "es\n");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["language"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_secret_is_created_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("enrollment.json");
        replace(&path, b"{}", Some(0o600)).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn a_missing_directory_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert!(replace(&dir.path().join("no/such/file"), b"x", None).is_err());
    }
}
