//! JSON as docs write it. Strict first; when that fails, a lenient pass repairs what
//! writers commonly leave in examples (comments, trailing commas, `...` elisions, raw
//! control characters in strings) and says which repairs it made.

use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Repair {
    Comment,
    TrailingComma,
    Ellipsis,
    ControlCharacter,
}

impl Repair {
    pub fn describe(self) -> &'static str {
        match self {
            Repair::Comment => "a comment",
            Repair::TrailingComma => "a trailing comma",
            Repair::Ellipsis => "a `...` elision",
            Repair::ControlCharacter => "a raw control character in a string",
        }
    }
}

/// The parsed value and the repairs it needed (empty when the text is strict JSON).
/// On failure, the strict parser's error, which locates the first problem.
pub fn parse(text: &str) -> Result<(Value, Vec<Repair>), serde_json::Error> {
    let strict_error = match serde_json::from_str(text) {
        Ok(value) => return Ok((value, Vec::new())),
        Err(error) => error,
    };
    let (repaired, repairs) = repair(text);
    if repairs.is_empty() {
        return Err(strict_error);
    }
    serde_json::from_str(&repaired)
        .map(|value| (value, repairs))
        .map_err(|_| strict_error)
}

fn repair(text: &str) -> (String, Vec<Repair>) {
    let mut repairs = Vec::new();
    let note = |r: Repair, repairs: &mut Vec<Repair>| {
        if !repairs.contains(&r) {
            repairs.push(r);
        }
    };
    // Pass 1: comments, elisions, control characters.
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            match c {
                '\\' => {
                    out.push(c);
                    if let Some(next) = chars.next() {
                        out.push(next);
                    }
                }
                '"' => {
                    in_string = false;
                    out.push(c);
                }
                c if (c as u32) < 0x20 => {
                    note(Repair::ControlCharacter, &mut repairs);
                    out.push_str(&format!("\\u{:04x}", c as u32));
                }
                c => out.push(c),
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '/' if chars.peek() == Some(&'/') => {
                note(Repair::Comment, &mut repairs);
                for next in chars.by_ref() {
                    if next == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                note(Repair::Comment, &mut repairs);
                chars.next();
                let mut previous = ' ';
                for next in chars.by_ref() {
                    if previous == '*' && next == '/' {
                        break;
                    }
                    previous = next;
                }
            }
            '.' if chars.peek() == Some(&'.') => {
                note(Repair::Ellipsis, &mut repairs);
                while chars.peek() == Some(&'.') {
                    chars.next();
                }
            }
            '…' => note(Repair::Ellipsis, &mut repairs),
            c => out.push(c),
        }
    }
    // Pass 2: commas with nothing after (or before) them.
    let mut cleaned = String::with_capacity(out.len());
    let bytes: Vec<char> = out.chars().collect();
    let mut in_string = false;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if in_string {
            cleaned.push(c);
            if c == '\\' && i + 1 < bytes.len() {
                cleaned.push(bytes[i + 1]);
                i += 1;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == ',' {
            let next = bytes[i + 1..].iter().find(|c| !c.is_whitespace());
            let previous = cleaned.chars().rev().find(|c| !c.is_whitespace());
            let dangling = matches!(next, None | Some('}') | Some(']') | Some(','))
                || matches!(previous, None | Some('{') | Some('[') | Some(','));
            if dangling {
                note(Repair::TrailingComma, &mut repairs);
            } else {
                cleaned.push(c);
            }
        } else {
            if c == '"' {
                in_string = true;
            }
            cleaned.push(c);
        }
        i += 1;
    }
    (cleaned, repairs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strict_json_needs_no_repair() {
        assert_eq!(
            parse("{\"a\": [1, 2]}").unwrap(),
            (json!({"a": [1, 2]}), vec![])
        );
    }

    #[test]
    fn repairs_what_docs_leave_behind() {
        let (value, repairs) = parse(
            "{\n  // the id\n  \"a\": [\n    {\"b\": 1},\n    ...\n  ],\n  \"c\": \"x\ty\",\n}",
        )
        .unwrap();
        assert_eq!(value, json!({"a": [{"b": 1}], "c": "x\ty"}));
        assert_eq!(
            repairs,
            [
                Repair::Comment,
                Repair::Ellipsis,
                Repair::ControlCharacter,
                Repair::TrailingComma
            ]
        );
    }

    #[test]
    fn dots_inside_strings_are_kept() {
        let (value, _) = parse("{\"a\": \"x...y\", }").unwrap();
        assert_eq!(value, json!({"a": "x...y"}));
    }

    #[test]
    fn unrepairable_text_reports_the_strict_error() {
        let error = parse("{\"a\": <bytes>}").unwrap_err();
        assert_eq!((error.line(), error.column()), (1, 7));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        assert!(parse(&deep).is_err());
    }
}

/// The first key that appears twice in one object, at any depth. Strict JSON parsers
/// keep one of the two silently; typed deserialization rejects the object.
pub fn duplicate_key(text: &str) -> Option<String> {
    use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
    use std::cell::RefCell;

    struct Walk<'a>(&'a RefCell<Option<String>>);

    impl<'de> Visitor<'de> for Walk<'_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let mut seen = std::collections::HashSet::new();
            while let Some(key) = map.next_key::<String>()? {
                if !seen.insert(key.clone()) && self.0.borrow().is_none() {
                    *self.0.borrow_mut() = Some(key);
                }
                map.next_value_seed(Seed(self.0))?;
            }
            Ok(())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while seq.next_element_seed(Seed(self.0))?.is_some() {}
            Ok(())
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
            Ok(())
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
            Ok(())
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
            Ok(())
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
            Ok(())
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
            Ok(())
        }
        fn visit_unit<E: de::Error>(self) -> Result<(), E> {
            Ok(())
        }
    }

    struct Seed<'a>(&'a RefCell<Option<String>>);

    impl<'de> de::DeserializeSeed<'de> for Seed<'_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
            deserializer.deserialize_any(Walk(self.0))
        }
    }

    let found = RefCell::new(None);
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let _ = de::DeserializeSeed::deserialize(Seed(&found), &mut deserializer);
    found.into_inner()
}

#[cfg(test)]
mod duplicate_tests {
    #[test]
    fn duplicate_keys_are_found_at_any_depth() {
        assert_eq!(
            super::duplicate_key(r#"{"a": [{"b": 1, "b": 2}]}"#).as_deref(),
            Some("b")
        );
        assert_eq!(super::duplicate_key(r#"{"a": 1, "b": {"a": 2}}"#), None);
    }
}
