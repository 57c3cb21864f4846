//! The answer catalogues bundled into the binary: for each language in
//! `lang/` but English, the translations of the engine's sentences from
//! `lang/<language>/LC_MESSAGES/lotline-answers.po` (the window's own
//! words are in `lotline.po`, which Slint bundles).

use std::collections::HashMap;
use std::sync::OnceLock;

use super::po::{self, PoError};

/// The bundled `.po` sources, by language.
const BUNDLED: [(&str, &str); 2] = [
    (
        "de",
        include_str!("../../lang/de/LC_MESSAGES/lotline-answers.po"),
    ),
    (
        "es",
        include_str!("../../lang/es/LC_MESSAGES/lotline-answers.po"),
    ),
];

/// The translations of one language: English template to translated
/// template.
#[derive(Debug, Default)]
pub struct Catalogue {
    entries: HashMap<String, String>,
}

impl Catalogue {
    /// The catalogue in a `.po` source: its translated entries (the
    /// header, untranslated and fuzzy entries are left out, so their
    /// sentences stay English).
    pub fn parse(source: &str) -> Result<Catalogue, PoError> {
        let entries = po::parse(source)?
            .into_iter()
            .filter(|e| !e.msgid.is_empty() && !e.msgstr.is_empty() && !e.fuzzy)
            .map(|e| (e.msgid, e.msgstr))
            .collect();
        Ok(Catalogue { entries })
    }

    /// The translation of `template`, if there is one.
    pub fn get(&self, template: &str) -> Option<&str> {
        self.entries.get(template).map(String::as_str)
    }

    /// The bundled catalogue of `language` (`"de"`, `"es"`); `None` for
    /// English and for a language not bundled. A bundled file that does
    /// not parse (which `tests/translations.rs` prevents) is logged once
    /// and leaves the answers in English.
    pub fn bundled(language: &str) -> Option<&'static Catalogue> {
        static PARSED: OnceLock<Vec<(&'static str, Catalogue)>> = OnceLock::new();
        let parsed = PARSED.get_or_init(|| {
            BUNDLED
                .iter()
                .filter_map(|(language, source)| match Catalogue::parse(source) {
                    Ok(catalogue) => Some((*language, catalogue)),
                    Err(e) => {
                        tracing::error!(language, error = %e, "the bundled answer catalogue is broken: answers stay in English");
                        None
                    }
                })
                .collect()
        });
        parsed
            .iter()
            .find(|(bundled, _)| *bundled == language)
            .map(|(_, catalogue)| catalogue)
    }

    /// The bundled catalogue for a system locale such as `de_AT.UTF-8` or
    /// `es-MX`: the exact language, else its base language, as Slint
    /// chooses the window's language.
    pub fn for_locale(locale: &str) -> Option<&'static Catalogue> {
        Catalogue::bundled(locale).or_else(|| Catalogue::bundled(base_language(locale)))
    }

    /// The bundled source of `language`'s catalogue, for the check that
    /// every sentence is translated.
    pub fn bundled_source(language: &str) -> Option<&'static str> {
        BUNDLED
            .iter()
            .find(|(bundled, _)| *bundled == language)
            .map(|(_, source)| *source)
    }
}

/// `de` of `de_AT.UTF-8`, `de-AT` or `de@euro`.
fn base_language(locale: &str) -> &str {
    locale
        .find(['-', '_', '@', '.'])
        .map_or(locale, |i| &locale[..i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundles_german_and_spanish_and_chooses_by_locale() {
        assert!(Catalogue::bundled("de").is_some());
        assert!(Catalogue::bundled("es").is_some());
        assert!(Catalogue::bundled("en").is_none());
        assert!(Catalogue::bundled("fr").is_none());
        assert!(std::ptr::eq(
            Catalogue::for_locale("de_AT.UTF-8").unwrap(),
            Catalogue::bundled("de").unwrap()
        ));
        assert!(Catalogue::for_locale("es-MX").is_some());
        assert!(Catalogue::for_locale("en_GB").is_none());
        assert!(Catalogue::for_locale("C").is_none());
    }

    #[test]
    fn leaves_out_the_header_and_untranslated_and_fuzzy_entries() {
        let catalogue = Catalogue::parse(
            "msgid \"\"\nmsgstr \"Language: de\\n\"\n\n\
             msgid \"a\"\nmsgstr \"\"\n\n\
             #, fuzzy\nmsgid \"b\"\nmsgstr \"B\"\n\n\
             msgid \"c\"\nmsgstr \"C\"\n",
        )
        .unwrap();
        assert_eq!(catalogue.get(""), None);
        assert_eq!(catalogue.get("a"), None);
        assert_eq!(catalogue.get("b"), None);
        assert_eq!(catalogue.get("c"), Some("C"));
    }
}
