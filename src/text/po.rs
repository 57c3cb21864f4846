//! A reader for the gettext `.po` files the translators edit: the entries
//! `msgid "…"` / `msgstr "…"` with their continuation lines, comments and
//! the `fuzzy` flag. Only what the answer catalogues use is read; plural
//! forms and contexts are refused with the line they are on, so a
//! catalogue never half-works.

use std::fmt;

/// One translated entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The English source text (the template).
    pub msgid: String,
    /// Its translation; empty when not yet translated.
    pub msgstr: String,
    /// Marked `#, fuzzy`: a guess gettext does not use.
    pub fuzzy: bool,
}

/// Why a `.po` file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong there.
    pub message: String,
}

impl fmt::Display for PoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for PoError {}

/// Which string a continuation line adds to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    None,
    Id,
    Str,
}

/// The entries of `source`, the header (empty msgid) included.
pub fn parse(source: &str) -> Result<Vec<Entry>, PoError> {
    let mut entries = Vec::new();
    let mut current: Option<Entry> = None;
    let mut field = Field::None;
    let mut fuzzy = false;
    for (index, raw) in source.lines().enumerate() {
        let line = raw.trim();
        let error = |message: String| PoError {
            line: index + 1,
            message,
        };
        if line.is_empty() {
            continue;
        }
        if let Some(flags) = line.strip_prefix("#,") {
            fuzzy |= flags.split(',').any(|flag| flag.trim() == "fuzzy");
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix("msgid ") {
            if let Some(done) = current.take() {
                entries.push(done);
            }
            current = Some(Entry {
                msgid: quoted(rest).map_err(error)?,
                msgstr: String::new(),
                fuzzy: std::mem::take(&mut fuzzy),
            });
            field = Field::Id;
        } else if let Some(rest) = line.strip_prefix("msgstr ") {
            let entry = match current.as_mut() {
                Some(entry) if field == Field::Id => entry,
                _ => return Err(error("msgstr without a msgid before it".into())),
            };
            entry.msgstr = quoted(rest).map_err(error)?;
            field = Field::Str;
        } else if line.starts_with('"') {
            let more = quoted(line).map_err(error)?;
            match (current.as_mut(), field) {
                (Some(entry), Field::Id) => entry.msgid.push_str(&more),
                (Some(entry), Field::Str) => entry.msgstr.push_str(&more),
                _ => return Err(error("a string continues nothing".into())),
            }
        } else {
            let keyword = line.split_whitespace().next().unwrap_or(line);
            return Err(error(format!(
                "{keyword} is not read here (only msgid and msgstr)"
            )));
        }
    }
    if let Some(done) = current {
        if field != Field::Str {
            return Err(PoError {
                line: source.lines().count(),
                message: format!("msgid {:?} has no msgstr", done.msgid),
            });
        }
        entries.push(done);
    }
    Ok(entries)
}

/// The contents of one `"…"` string with its escapes resolved.
fn quoted(s: &str) -> Result<String, String> {
    let inner = s
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .ok_or_else(|| format!("{s} is not a quoted string"))?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('"') => out.push('"'),
                Some('\\') => out.push('\\'),
                other => return Err(format!("unknown escape \\{}", other.unwrap_or(' '))),
            },
            '"' => return Err(format!("{s} has an unescaped quote inside")),
            c => out.push(c),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_entries_continuations_escapes_and_fuzzy_flags() {
        let source = r#"# German
msgid ""
msgstr ""
"Language: de\n"

#: src/workflow/hold.rs
msgid "Held {what}: "
"{reason}"
msgstr "{what} gesperrt: {reason}"

#, fuzzy
msgid "Say \"yes\""
msgstr "Sag \"ja\"\\"
"#;
        let entries = parse(source).unwrap();
        assert_eq!(entries.len(), 3);
        assert_eq!(entries[0].msgstr, "Language: de\n");
        assert_eq!(entries[1].msgid, "Held {what}: {reason}");
        assert_eq!(entries[1].msgstr, "{what} gesperrt: {reason}");
        assert!(!entries[1].fuzzy);
        assert_eq!(entries[2].msgid, "Say \"yes\"");
        assert_eq!(entries[2].msgstr, "Sag \"ja\"\\");
        assert!(entries[2].fuzzy);
    }

    #[test]
    fn refuses_what_it_does_not_read_with_the_line() {
        let plural = "msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[0] \"x\"\n";
        let e = parse(plural).unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("msgid_plural"), "{e}");
        assert_eq!(parse("msgstr \"x\"\n").unwrap_err().line, 1);
        assert_eq!(
            parse("msgid \"x\"\n").unwrap_err().message,
            "msgid \"x\" has no msgstr"
        );
        assert!(
            parse("msgid \"a\\q\"\nmsgstr \"\"")
                .unwrap_err()
                .message
                .contains("escape")
        );
        assert!(parse("msgid \"a\" b\"\nmsgstr \"\"").is_err());
        assert!(parse("msgid x\nmsgstr \"\"").is_err());
    }
}
