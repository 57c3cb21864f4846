//! Sentences for the operator that the touchscreen can show in any bundled
//! language while `lotline headless`, the logs and the tests read them in
//! English.
//!
//! The engine answers with [`Text`]s made by [`text!`](crate::text!): an
//! English template with named placeholders (`"Lot {lot} is recalled"`) and
//! the values that fill them. The template is the message id of the
//! gettext catalogues in `lang/<language>/LC_MESSAGES/lotline-answers.po`
//! ([`catalogue`]); a value is either data shown as it is (a lot, a code, a
//! count) or a nested [`Text`] translated in turn. `tests/translations.rs`
//! finds every template in the source and checks that each catalogue
//! translates it with the same placeholders.

pub mod catalogue;
pub mod po;

use std::fmt;
use std::ops::Deref;

use chrono::NaiveDate;
use serde::{Serialize, Serializer};

pub use catalogue::Catalogue;

/// A sentence for the operator: an English template, the values of its
/// placeholders, and the English rendering (kept, so reading a `Text` as a
/// `str` costs nothing).
#[derive(Clone, PartialEq, Eq)]
pub struct Text {
    template: &'static str,
    args: Vec<(&'static str, Arg)>,
    english: String,
}

/// The value of one placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// Data shown as it is in every language: a lot, a GTIN, a count, a
    /// date, an error from outside the engine.
    Value(String),
    /// A phrase that is itself translated ("lot L1 of Yoghurt").
    Text(Text),
}

/// Makes a [`Text`]: `text!("Held {what}: {reason}", what = item, reason)`.
/// A name alone takes the variable of that name; every placeholder of the
/// template must be given and every name given must be a placeholder
/// (checked when the text is made, in debug builds).
#[macro_export]
macro_rules! text {
    ($template:literal $(, $name:ident $(= $value:expr)?)* $(,)?) => {
        $crate::text::Text::new(
            $template,
            ::std::vec![$((
                ::core::stringify!($name),
                $crate::text::Arg::from($crate::__text_value!($name $(, $value)?)),
            )),*],
        )
    };
}

/// The value of one `text!` argument: `name = value`, or `name` alone.
#[doc(hidden)]
#[macro_export]
macro_rules! __text_value {
    ($name:ident) => {
        $name
    };
    ($name:ident, $value:expr) => {
        $value
    };
}

impl Text {
    /// A text from its template and placeholder values; use [`text!`](crate::text!).
    pub fn new(template: &'static str, args: Vec<(&'static str, Arg)>) -> Text {
        debug_assert!(
            same_placeholders(template, &args),
            "the arguments {:?} do not fill the placeholders of {template:?}",
            args.iter().map(|(name, _)| *name).collect::<Vec<_>>()
        );
        let english = fill(template, &args, |arg| match arg {
            Arg::Value(value) => value.clone(),
            Arg::Text(text) => text.english.clone(),
        });
        Text {
            template,
            args,
            english,
        }
    }

    /// The English template: the message id in the catalogues.
    pub fn template(&self) -> &'static str {
        self.template
    }

    /// The sentence in `catalogue`'s language; English for `None`, and for
    /// any template the catalogue does not translate.
    pub fn translate(&self, catalogue: Option<&Catalogue>) -> String {
        let Some(catalogue) = catalogue else {
            return self.english.clone();
        };
        let template = catalogue.get(self.template).unwrap_or(self.template);
        fill(template, &self.args, |arg| match arg {
            Arg::Value(value) => value.clone(),
            Arg::Text(text) => text.translate(Some(catalogue)),
        })
    }
}

/// `items` listed in one sentence ("L1, L2, (no lot)"), each a value or
/// a phrase translated in turn, and the separator with them; None for no
/// items.
pub fn list<A: Into<Arg>>(items: impl IntoIterator<Item = A>) -> Option<Arg> {
    items
        .into_iter()
        .map(Into::into)
        .reduce(|items, item| Arg::from(crate::text!("{items}, {item}", items, item)))
}

/// The placeholder names in `template`, in order: `{name}` with a name of
/// lowercase letters, digits and underscores.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if is_name(&after[..close]) => {
                names.push(&after[..close]);
                rest = &after[close + 1..];
            }
            _ => rest = after,
        }
    }
    names
}

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn same_placeholders(template: &str, args: &[(&'static str, Arg)]) -> bool {
    let mut wanted = placeholders(template);
    wanted.sort_unstable();
    wanted.dedup();
    let mut given: Vec<&str> = args.iter().map(|(name, _)| *name).collect();
    given.sort_unstable();
    wanted == given
}

/// `template` with each placeholder replaced by `show` of its value; a
/// placeholder without a value (a catalogue's mistake) stays as written.
fn fill(template: &str, args: &[(&'static str, Arg)], show: impl Fn(&Arg) -> String) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            let (_, arg) = args.iter().find(|(n, _)| *n == name)?;
            Some((show(arg), close))
        });
        match value {
            Some((value, close)) => {
                out.push_str(&value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

impl Deref for Text {
    type Target = str;

    /// The English sentence.
    fn deref(&self) -> &str {
        &self.english
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.english)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.english, f)
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.english == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.english == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.english == *other
    }
}

/// In JSON (`lotline headless`) a text is its English sentence.
impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.english)
    }
}

impl From<Text> for Arg {
    fn from(text: Text) -> Arg {
        Arg::Text(text)
    }
}

impl From<&Text> for Arg {
    fn from(text: &Text) -> Arg {
        Arg::Text(text.clone())
    }
}

impl From<String> for Arg {
    fn from(value: String) -> Arg {
        Arg::Value(value)
    }
}

/// Data shown as it is; a date in ISO 8601 (`2026-11-25`), as on labels
/// and in the journal.
macro_rules! value_args {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(value: $t) -> Arg {
                Arg::Value(value.to_string())
            }
        }
    )*};
}

value_args!(
    &str, &String, i32, i64, u32, u64, usize, NaiveDate, &NaiveDate
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_named_placeholders_in_english() {
        let lot = "L1";
        let text = crate::text!(
            "Lot {lot} of {product}: {count} left",
            lot,
            product = "Yoghurt",
            count = 3_i64
        );
        assert_eq!(text, "Lot L1 of Yoghurt: 3 left");
        assert_eq!(text.template(), "Lot {lot} of {product}: {count} left");
        assert_eq!(text.to_string(), "Lot L1 of Yoghurt: 3 left");
        assert_eq!(
            serde_json::to_value(&text).unwrap(),
            serde_json::json!("Lot L1 of Yoghurt: 3 left")
        );
    }

    #[test]
    fn translates_the_template_and_nested_texts_but_not_values() {
        let catalogue = Catalogue::parse(
            "msgid \"Held {what}\"\nmsgstr \"{what} gesperrt\"\n\n\
             msgid \"lot {lot}\"\nmsgstr \"Charge {lot}\"\n",
        )
        .unwrap();
        let what = crate::text!("lot {lot}", lot = "lot");
        let text = crate::text!("Held {what}", what);
        assert_eq!(text, "Held lot lot");
        assert_eq!(text.translate(Some(&catalogue)), "Charge lot gesperrt");
        assert_eq!(text.translate(None), "Held lot lot");
    }

    #[test]
    fn an_untranslated_template_stays_english() {
        let catalogue = Catalogue::parse("").unwrap();
        let text = crate::text!("Nothing to undo in this task");
        assert_eq!(
            text.translate(Some(&catalogue)),
            "Nothing to undo in this task"
        );
    }

    #[test]
    fn braces_that_are_not_placeholders_are_kept() {
        assert_eq!(placeholders("{a} {B} {} {x_1} {"), ["a", "x_1"]);
        let text = Text::new("{\"json\": 1} {n}", vec![("n", Arg::from(2_i64))]);
        assert_eq!(text, "{\"json\": 1} 2");
    }

    #[test]
    #[should_panic(expected = "do not fill the placeholders")]
    fn a_missing_argument_is_caught_in_debug_builds() {
        let _ = Text::new("Lot {lot}", Vec::new());
    }

    #[test]
    fn lists_values_and_phrases() {
        let lots = list(["L1", "L2"]).unwrap();
        assert_eq!(crate::text!("Picked: {lots}", lots), "Picked: L1, L2");
        let none: [&str; 0] = [];
        assert_eq!(list(none), None);
    }

    #[test]
    fn a_repeated_placeholder_needs_one_argument() {
        let text = crate::text!("{code}? {code}!", code = "A1");
        assert_eq!(text, "A1? A1!");
    }
}
