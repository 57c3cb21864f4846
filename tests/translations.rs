//! Every sentence the engine and the terminal show through `text!` is
//! translated in each bundled answer catalogue
//! (`lang/<language>/LC_MESSAGES/lotline-answers.po`), with exactly the
//! placeholders of its English template, and no catalogue keeps
//! sentences the code no longer says. A failure prints the entries to add
//! in `.po` form.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use lotline::text::{Catalogue, placeholders, po};

const LANGUAGES: [&str; 2] = ["de", "es"];

/// Every `text!` template in the non-test code under `src/`, with where it
/// is first said.
fn templates() -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for path in rust_files(&root.join("src")) {
        let source = std::fs::read_to_string(&path).unwrap();
        // Unit tests sit at the end of each file, after `#[cfg(test)]`;
        // comments (doc examples) are blanked, keeping the line numbers.
        let code: String = source
            .split("#[cfg(test)]")
            .next()
            .unwrap()
            .lines()
            .map(|line| {
                if line.trim_start().starts_with("//") {
                    ""
                } else {
                    line
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        let code = code.as_str();
        let shown = path.strip_prefix(root).unwrap().display().to_string();
        for (offset, template) in text_literals(code) {
            let line = code[..offset].lines().count();
            if !template.is_empty() {
                found
                    .entry(template)
                    .or_insert_with(|| format!("{shown}:{line}"));
            }
        }
    }
    found
}

/// The `.rs` files under `dir`, leaving out test-only directories.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            if path.file_name().is_some_and(|name| name != "tests") {
                files.extend(rust_files(&path));
            }
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// The string literal opening each `text!(` in `code`, with its offset.
fn text_literals(code: &str) -> Vec<(usize, String)> {
    let mut literals = Vec::new();
    let mut from = 0;
    while let Some(at) = code[from..].find("text!(") {
        let start = from + at;
        let rest = code[start + "text!(".len()..].trim_start();
        if let Some(literal) = rest.strip_prefix('"') {
            literals.push((start, unescape(literal)));
        }
        from = start + 1;
    }
    literals
}

/// The contents of a Rust string literal starting just after its `"`.
fn unescape(literal: &str) -> String {
    let mut out = String::new();
    let mut chars = literal.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => return out,
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('"') => out.push('"'),
                Some('\\') => out.push('\\'),
                Some('\n') => while chars.next_if(|c| c.is_whitespace()).is_some() {},
                other => panic!("escape \\{other:?} in a text! template"),
            },
            c => out.push(c),
        }
    }
    panic!("unterminated text! template starting {literal:.40}")
}

fn sorted_placeholders(template: &str) -> BTreeSet<&str> {
    placeholders(template).into_iter().collect()
}

#[test]
fn every_sentence_is_translated_with_its_placeholders() {
    let templates = templates();
    assert!(
        templates.len() > 200,
        "found only {} templates: is the scan of src/ broken?",
        templates.len()
    );
    let mut problems = Vec::new();
    for language in LANGUAGES {
        let source = Catalogue::bundled_source(language).unwrap();
        let entries = po::parse(source)
            .unwrap_or_else(|e| panic!("lang/{language}/LC_MESSAGES/lotline-answers.po: {e}"));
        let translated: BTreeMap<&str, &po::Entry> = entries
            .iter()
            .filter(|e| !e.msgid.is_empty())
            .map(|e| (e.msgid.as_str(), e))
            .collect();
        let mut missing = String::new();
        for (template, at) in &templates {
            match translated.get(template.as_str()) {
                None => missing.push_str(&format!("#: {at}\nmsgid {template:?}\nmsgstr \"\"\n\n")),
                Some(entry) if entry.msgstr.is_empty() || entry.fuzzy => {
                    problems.push(format!("{language}: not translated yet: {template:?}"));
                }
                Some(entry) => {
                    if sorted_placeholders(&entry.msgstr) != sorted_placeholders(template) {
                        problems.push(format!(
                            "{language}: the placeholders of {:?} differ from {template:?}",
                            entry.msgstr
                        ));
                    }
                }
            }
        }
        if !missing.is_empty() {
            problems.push(format!(
                "{language}: add these to lang/{language}/LC_MESSAGES/lotline-answers.po:\n\n{missing}"
            ));
        }
        for msgid in translated.keys() {
            if !templates.contains_key(*msgid) {
                problems.push(format!(
                    "{language}: {msgid:?} is no longer said anywhere: remove it"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_catalogues_translate_a_real_answer() {
    let de = Catalogue::bundled("de").unwrap();
    let es = Catalogue::bundled("es").unwrap();
    let text = lotline::text!("Nobody is signed in: scan your badge first");
    assert_ne!(text.translate(Some(de)), text.to_string());
    assert_ne!(text.translate(Some(es)), text.to_string());
    assert_ne!(text.translate(Some(de)), text.translate(Some(es)));
}

#[test]
fn finds_templates_across_lines_and_escapes() {
    let code = "let a = text!(\n    \"Badge \\\"{badge}\\\" is not known\",\n    badge\n);\nlet b = text!(\"two \\\n      parts\");";
    let found: Vec<String> = text_literals(code).into_iter().map(|(_, t)| t).collect();
    assert_eq!(found, ["Badge \"{badge}\" is not known", "two parts"]);
}
