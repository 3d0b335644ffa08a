//! The preferences of the `Prefer` header (RFC 7240) that the pages' request headers
//! tables document, as the typed values of the generated crate's `Prefer`: a row named
//! `Prefer: outlook.timezone`, or a `Prefer` row whose description starts with the
//! preference (`return=minimal`, `odata.maxpagesize={x}`).

use std::collections::BTreeMap;

use serde::Serialize;

use super::Operation;
use super::naming::{Case, rust_name};
use crate::diagnostics::Source;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Preference {
    /// The preference's name (`return`, `odata.maxpagesize`), as the docs write it.
    pub token: String,
    /// The value it is documented with (`minimal`), when the docs fix one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed: Option<String>,
    /// Whether the caller gives its value (a placeholder, or a named preference).
    pub takes_value: bool,
    pub rust_name: String,
    /// The description of its first row.
    pub description: String,
    /// How many operations document it.
    pub operations: usize,
    pub source: Source,
}

impl Preference {
    /// The header value of a preference without a value of the caller's.
    pub fn text(&self) -> String {
        match &self.fixed {
            Some(value) => format!("{}={value}", self.token),
            None => self.token.clone(),
        }
    }
}

/// Every preference the operations document, once, by name and fixed value.
pub fn preferences(operations: &[Operation]) -> Vec<Preference> {
    let mut found: BTreeMap<(String, Option<String>), Preference> = BTreeMap::new();
    for op in operations {
        let mut seen = Vec::new();
        for header in op
            .headers
            .iter()
            .filter(|h| h.name.eq_ignore_ascii_case("Prefer"))
        {
            let written = match &header.value {
                Some(value) => read(value, true),
                None => first_word(&header.description).and_then(|word| read(word, false)),
            };
            let Some((token, fixed, takes_value)) = written else {
                continue;
            };
            let key = (token.to_ascii_lowercase(), fixed.clone());
            if seen.contains(&key) {
                continue;
            }
            seen.push(key.clone());
            let entry = found.entry(key).or_insert_with(|| Preference {
                rust_name: rust_name(
                    &format!("{token} {}", fixed.as_deref().unwrap_or_default()),
                    Case::Pascal,
                ),
                token,
                fixed,
                takes_value,
                description: header.description.clone(),
                operations: 0,
                source: header.source.clone(),
            });
            entry.operations += 1;
            entry.takes_value |= takes_value;
        }
    }
    found.into_values().collect()
}

/// `token`, `token=value` or `token={placeholder}` as (token, fixed value, takes a
/// value). In the name column (`Prefer: outlook.timezone`) a bare token takes a value,
/// but RFC 7240's `respond-async`, which has none; in a description, the first word must
/// look like a preference (`return=minimal`, `odata.maxpagesize={x}`), not prose.
fn read(text: &str, named: bool) -> Option<(String, Option<String>, bool)> {
    let text = text.trim().trim_end_matches(['.', ',', ';']);
    let (token, value) = match text.split_once('=') {
        Some((token, value)) => (token.trim(), Some(value.trim().trim_matches('"'))),
        None => (text, None),
    };
    let is_token = token.starts_with(|c: char| c.is_ascii_alphabetic())
        && token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if !is_token || (!named && value.is_none() && !token.contains(['.', '-'])) {
        return None;
    }
    Some(match value {
        Some(value) if value.is_empty() || value.starts_with(['{', '<']) => {
            (token.to_owned(), None, true)
        }
        Some(value) => (token.to_owned(), Some(value.to_owned()), false),
        None => {
            let takes_value = named && !token.eq_ignore_ascii_case("respond-async");
            (token.to_owned(), None, takes_value)
        }
    })
}

/// The first word of a description, without Markdown emphasis or code marks.
fn first_word(description: &str) -> Option<&str> {
    let word = description.split_whitespace().next()?;
    Some(word.trim_matches(['*', '`', '_']))
}

#[cfg(test)]
mod tests {
    use super::read;

    #[test]
    fn preferences_as_the_docs_write_them() {
        let some = |t: &str, f: Option<&str>, v| Some((t.to_owned(), f.map(str::to_owned), v));
        assert_eq!(
            read("outlook.timezone", true),
            some("outlook.timezone", None, true)
        );
        assert_eq!(
            read("respond-async", true),
            some("respond-async", None, false)
        );
        assert_eq!(
            read("return=minimal.", false),
            some("return", Some("minimal"), false)
        );
        assert_eq!(
            read("odata.maxpagesize={x}.", false),
            some("odata.maxpagesize", None, true)
        );
        assert_eq!(read("{Time-zone}.", false), None);
        assert_eq!(read("Use", false), None);
    }
}
