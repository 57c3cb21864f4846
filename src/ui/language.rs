//! The window's language: English, German or Spanish, for the window's
//! own words (Slint's bundled `lotline.po`) and the engine's answers
//! (`lotline-answers.po`) alike. The system locale chooses unless
//! `language =` in the configuration does, and a choice made in Settings
//! is kept in the data directory and wins over both, so it survives a
//! restart.

use std::path::Path;

use crate::atomic_file;
use crate::text::Catalogue;

/// The languages the window is translated into (`lang/`), English being
/// the source language.
pub const LANGUAGES: [&str; 3] = ["en", "de", "es"];

/// The file in the data directory holding the language chosen in Settings.
pub const CHOICE_FILE: &str = "language";

/// Switches the window's language to `language` (one of [`LANGUAGES`]);
/// without a call the system locale chooses, falling back to English. Call
/// it after the window is built.
pub fn select_language(language: &str) -> anyhow::Result<()> {
    anyhow::ensure!(
        LANGUAGES.contains(&language),
        "language {language:?} is not one of {}",
        LANGUAGES.join(", ")
    );
    slint::select_bundled_translation(language)
        .map_err(|e| anyhow::anyhow!("cannot select language {language:?}: {e}"))
}

/// The catalogue the engine's sentences are shown in for `language` (one
/// of [`LANGUAGES`]); for none (`""`), the system locale's, as Slint
/// chooses the window's own words. `None` means English.
pub fn answer_catalogue(language: &str) -> Option<&'static Catalogue> {
    if language.is_empty() {
        sys_locale::get_locale().and_then(|locale| Catalogue::for_locale(&locale))
    } else {
        Catalogue::bundled(language)
    }
}

/// The language chosen in Settings on this terminal, if one was and it is
/// still bundled (anything else in the file is logged and ignored).
pub fn chosen(data_dir: &Path) -> Option<String> {
    let path = data_dir.join(CHOICE_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "the chosen language cannot be read");
            return None;
        }
    };
    let language = text.trim();
    if LANGUAGES.contains(&language) {
        Some(language.to_owned())
    } else {
        tracing::warn!(path = %path.display(), language, "the chosen language is not bundled: ignored");
        None
    }
}

/// Keeps `language` as this terminal's choice (a power cut leaves the old
/// choice or the new one, see [`atomic_file`]).
pub fn keep_choice(data_dir: &Path, language: &str) -> std::io::Result<()> {
    atomic_file::replace(
        &data_dir.join(CHOICE_FILE),
        format!("{language}\n").as_bytes(),
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_choice_is_read_back_and_a_strange_one_ignored() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(chosen(dir.path()), None);
        keep_choice(dir.path(), "es").unwrap();
        assert_eq!(chosen(dir.path()).as_deref(), Some("es"));
        keep_choice(dir.path(), "de").unwrap();
        assert_eq!(chosen(dir.path()).as_deref(), Some("de"));
        std::fs::write(dir.path().join(CHOICE_FILE), "fr\n").unwrap();
        assert_eq!(chosen(dir.path()), None);
    }

    #[test]
    fn english_has_no_catalogue() {
        assert!(answer_catalogue("en").is_none());
        assert!(answer_catalogue("de").is_some());
    }
}
