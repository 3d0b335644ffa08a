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

/// How a value's place in a document is written: `value[0].caller.@odata.type`; the
/// root is the empty path. Checks name the values they judge this way, and
/// [`Positions`] finds them in the text by it.
pub fn key_path(at: &str, key: &str) -> String {
    if at.is_empty() {
        key.to_owned()
    } else {
        format!("{at}.{key}")
    }
}

pub fn index_path(at: &str, index: usize) -> String {
    format!("{at}[{index}]")
}

/// Where each value of a JSON text starts (and its key, in an object), by path, read
/// from the text as docs write it (comments, `...` elisions, trailing commas), so that
/// a finding about a value points at that value, not at the first line naming its key.
#[derive(Debug, Default)]
pub struct Positions {
    /// Path → (byte offset of its key, or of the value where it has none; of the value).
    places: foldhash::HashMap<String, (usize, usize)>,
    /// The first key given twice in one object: its path and the second key's offset.
    pub duplicate: Option<(String, usize)>,
}

/// How a value is reached from the object or array it is in.
#[derive(Clone, Copy)]
enum Step<'t> {
    Key(&'t str),
    Index(usize),
}

/// An object or array the scanner is inside of, and the step that reached it.
enum Open<'t> {
    Object {
        reached: Option<Step<'t>>,
        keys: foldhash::HashSet<&'t str>,
        /// The key whose value comes next, and its offset.
        key: Option<(&'t str, usize)>,
    },
    Array {
        reached: Option<Step<'t>>,
        next: usize,
    },
}

impl Open<'_> {
    fn reached(&self) -> Option<Step<'_>> {
        match self {
            Open::Object { reached, .. } | Open::Array { reached, .. } => *reached,
        }
    }
}

/// The path of what `open` leads to, then `last`.
fn path_of(open: &[Open], last: Option<Step>) -> String {
    let mut path = String::new();
    for step in open.iter().filter_map(Open::reached).chain(last) {
        path = match step {
            Step::Key(key) => key_path(&path, key),
            Step::Index(index) => index_path(&path, index),
        };
    }
    path
}

impl Positions {
    /// Every value's place, and the first duplicate key.
    pub fn of(text: &str) -> Positions {
        Positions::scan(text, true)
    }

    /// Only the first key given twice in one object (its path and offset): what every
    /// body is checked for, without the cost of recording every place.
    pub fn duplicate(text: &str) -> Option<(String, usize)> {
        Positions::scan(text, false).duplicate
    }

    fn scan(text: &str, record: bool) -> Positions {
        let bytes = text.as_bytes();
        let mut positions = Positions::default();
        let mut open: Vec<Open> = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b' ' | b'\t' | b'\r' | b'\n' | b',' | b':' => i += 1,
                b'/' if bytes.get(i + 1) == Some(&b'/') => {
                    i = text[i..].find('\n').map_or(bytes.len(), |end| i + end);
                }
                b'/' if bytes.get(i + 1) == Some(&b'*') => {
                    i = text[i + 2..]
                        .find("*/")
                        .map_or(bytes.len(), |end| i + 2 + end + 2);
                }
                b'.' if text[i..].starts_with("...") => i += 3,
                b'}' | b']' => {
                    open.pop();
                    i += 1;
                }
                b'"' => {
                    let (content_end, end) = string_end(bytes, i);
                    let name = &text[i + 1..content_end];
                    let is_key = matches!(open.last(), Some(Open::Object { key: None, .. }));
                    if is_key {
                        let duplicate = match open.last_mut() {
                            Some(Open::Object { keys, key, .. }) => {
                                *key = Some((name, i));
                                !keys.insert(name)
                            }
                            _ => false,
                        };
                        if duplicate && positions.duplicate.is_none() {
                            positions.duplicate = Some((path_of(&open, Some(Step::Key(name))), i));
                        }
                    } else {
                        positions.value_at(&mut open, i, record);
                    }
                    i = end;
                }
                b'{' | b'[' => {
                    let reached = positions.value_at(&mut open, i, record);
                    open.push(if bytes[i] == b'{' {
                        Open::Object {
                            reached,
                            keys: Default::default(),
                            key: None,
                        }
                    } else {
                        Open::Array { reached, next: 0 }
                    });
                    i += 1;
                }
                _ => {
                    positions.value_at(&mut open, i, record);
                    // A literal: to the next delimiter, and at least one character on.
                    let rest = &text[i..];
                    let first = rest.chars().next().map_or(1, char::len_utf8);
                    i += rest
                        .find(|c: char| c.is_whitespace() || ",:]}\"/".contains(c))
                        .filter(|&n| n > 0)
                        .unwrap_or(first);
                }
            }
        }
        positions
    }

    /// Takes note of a value starting at `offset` in what is open (its place, when
    /// recording), and gives the step that reached it.
    fn value_at<'t>(
        &mut self,
        open: &mut [Open<'t>],
        offset: usize,
        record: bool,
    ) -> Option<Step<'t>> {
        let (step, key_offset) = match open.last_mut() {
            None => (None, offset),
            Some(Open::Object { key, .. }) => match key.take() {
                Some((name, at)) => (Some(Step::Key(name)), at),
                // A value without a key: the text is not JSON here.
                None => (Some(Step::Key("")), offset),
            },
            Some(Open::Array { next, .. }) => {
                *next += 1;
                (Some(Step::Index(*next - 1)), offset)
            }
        };
        if record {
            self.places
                .entry(path_of(open, step))
                .or_insert((key_offset, offset));
        }
        step
    }

    /// Where the value at `path` starts.
    pub fn value(&self, path: &str) -> Option<usize> {
        self.places.get(path).map(|&(_, value)| value)
    }

    /// Where the key of the value at `path` starts (the value, in an array).
    pub fn key(&self, path: &str) -> Option<usize> {
        self.places.get(path).map(|&(key, _)| key)
    }
}

/// Where the contents of the string starting at `start` (a `"`) end, and the offset
/// after it: at its closing quote, or at the end of an unclosed one.
fn string_end(bytes: &[u8], start: usize) -> (usize, usize) {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return (i, i + 1),
            _ => i += 1,
        }
    }
    (bytes.len(), bytes.len())
}

#[cfg(test)]
mod position_tests {
    use super::Positions;

    #[test]
    fn each_value_has_its_own_place() {
        let text = "{\n  // a comment\n  \"value\": [\n    {\"id\": \"1\", \"tags\": [\"a\", \"b\"]},\n    ...\n    {\"id\": \"2\", \"@odata.type\": \"#x\"}\n  ],\n}";
        let positions = Positions::of(text);
        let line_column = |offset: usize| {
            let before = &text[..offset];
            let line = before.matches('\n').count() + 1;
            let column = before.len() - before.rfind('\n').map_or(0, |n| n + 1) + 1;
            (line, column)
        };
        let value = |path: &str| positions.value(path).map(line_column);
        let key = |path: &str| positions.key(path).map(line_column);
        assert_eq!(value(""), Some((1, 1)));
        assert_eq!(key("value"), Some((3, 3)));
        assert_eq!(value("value"), Some((3, 12)));
        assert_eq!(value("value[0].id"), Some((4, 12)));
        assert_eq!(value("value[0].tags[1]"), Some((4, 31)));
        // The elision is no item: the second object is item 1, on its own line.
        assert_eq!(key("value[1].id"), Some((6, 6)));
        assert_eq!(value("value[1].@odata.type"), Some((6, 32)));
        assert_eq!(value("value[2]"), None);
        assert!(positions.duplicate.is_none());
    }

    #[test]
    fn the_second_of_two_keys_is_the_duplicate() {
        let text = r#"{"a": [{"b": 1, "b": 2}], "c": {"b": 3}}"#;
        let (path, offset) = Positions::of(text).duplicate.unwrap();
        assert_eq!((path.as_str(), offset), ("a[0].b", 16));
    }

    #[test]
    fn broken_text_gives_what_it_can_and_no_panic() {
        for text in [
            "{\"a\": ",
            "[[[[",
            "}}]]",
            "\"",
            "{\"a\" 1 2 :: }",
            "/*",
            "{\"\\\"}",
            "{\"é",
            "[\u{a0}1, é]",
        ] {
            let _ = Positions::of(text);
        }
        assert_eq!(Positions::of("{\"a\": 1").value("a"), Some(6));
    }
}
