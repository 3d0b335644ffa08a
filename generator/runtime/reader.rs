//! The runtime's own JSON reader: a response body read in one pass straight into the
//! value's slots, what `object::from_slice` and `collection_from_slice` use. Through
//! serde_json, every value is a `deserialize_any` call into a visitor, and every entry a
//! key seed and a value seed. This reader takes the JSON serde_json takes, into the
//! same values, and nothing else: at anything else it stops, without saying why, and
//! the caller reads the body again through serde_json, whose error says what and where
//! (errors are rare; their wording and positions stay serde_json's). This file is the
//! runtime crate's `src/reader.rs`, copied as it is.

use std::borrow::Cow;

use serde_json::Value;

use crate::object::{
    Array, Item, Items, NameIndex, ODATA_TYPE, Object, Open, Polymorphic, Scalar, Slot, Table,
};

/// The reader stopped: the body is not JSON, or not a value of its type.
pub(crate) struct Stop;

type Read<T = ()> = Result<T, Stop>;

/// A body being read: its text and the position reached.
pub(crate) struct Reader<'a> {
    text: &'a str,
    at: usize,
    /// How many more arrays and objects may open: serde_json's limit.
    depth: u32,
}

/// A collection page's `@odata` links and count (the `value` goes to the items).
#[derive(Default)]
pub(crate) struct PageLinks {
    pub(crate) found: bool,
    pub(crate) next_link: Option<String>,
    pub(crate) delta_link: Option<String>,
    pub(crate) count: Option<i64>,
}

/// Whether `body` is UTF-8 that `read` takes whole, with nothing after it but
/// whitespace: a response body, read by `object::from_slice` or
/// `collection_from_slice`. `read` is a `dyn`: a closure made in their generic bodies
/// is a type of each `T`, and would make this function again for every type.
pub(crate) fn whole(body: &[u8], read: &mut dyn FnMut(&mut Reader<'_>) -> Read) -> bool {
    let Ok(text) = std::str::from_utf8(body) else {
        return false;
    };
    let mut reader = Reader::new(text);
    read(&mut reader).and_then(|()| reader.end()).is_ok()
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Reader<'a> {
        Reader {
            text,
            at: 0,
            depth: 128,
        }
    }

    /// After the document's value: nothing but whitespace.
    fn end(&mut self) -> Read {
        self.skip_space();
        if self.at == self.text.len() {
            Ok(())
        } else {
            Err(Stop)
        }
    }

    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    fn skip_space(&mut self) {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.bytes().get(self.at) {
            self.at += 1;
        }
    }

    /// The next byte that is not whitespace, not taken.
    fn peek(&mut self) -> Read<u8> {
        self.skip_space();
        self.bytes().get(self.at).copied().ok_or(Stop)
    }

    /// Takes `byte`, after whitespace.
    fn take(&mut self, byte: u8) -> Read {
        if self.peek()? != byte {
            return Err(Stop);
        }
        self.at += 1;
        Ok(())
    }

    /// One value into `slot`.
    pub(crate) fn value(&mut self, slot: &mut dyn Slot) -> Read {
        match self.peek()? {
            b'{' => self.nested(|reader| match slot.open() {
                Open::Object(object, table) => reader.object(object, table),
                Open::Polymorphic(value) => reader.polymorphic(value),
                Open::Json(json) => reader.json_object().map(|map| *json = map),
                Open::Items(_) | Open::Neither => Err(Stop),
            }),
            b'[' => self.nested(|reader| match slot.open() {
                Open::Items(items) => reader.elements(|reader| reader.value(&mut Item(&mut *items))),
                Open::Json(json) => reader.json_array().map(|items| *json = items),
                Open::Object(..) | Open::Polymorphic(_) | Open::Neither => Err(Stop),
            }),
            b'"' => {
                let text = self.string()?;
                slot.scalar(Scalar::Str(&text)).map_err(|_| Stop)
            }
            _ => {
                let scalar = self.scalar()?;
                slot.scalar(scalar).map_err(|_| Stop)
            }
        }
    }

    /// Reads the array or object whose bracket is next, one level deeper.
    fn nested<T>(&mut self, read: impl FnOnce(&mut Self) -> Read<T>) -> Read<T> {
        self.depth -= 1;
        if self.depth == 0 {
            return Err(Stop);
        }
        self.at += 1;
        let read = read(self)?;
        self.depth += 1;
        Ok(read)
    }

    /// The entries of an object whose `{` was taken, up to its `}`: `entry` reads the
    /// value of each key.
    fn entries(&mut self, mut entry: impl FnMut(&mut Self, Cow<'a, str>) -> Read) -> Read {
        if self.closes(b'}')? {
            return Ok(());
        }
        loop {
            let key = self.string()?;
            self.take(b':')?;
            entry(self, key)?;
            if !self.more(b'}')? {
                return Ok(());
            }
        }
    }

    /// The items of an array whose `[` was taken, up to its `]`.
    fn elements(&mut self, mut element: impl FnMut(&mut Self) -> Read) -> Read {
        if self.closes(b']')? {
            return Ok(());
        }
        loop {
            element(self)?;
            if !self.more(b']')? {
                return Ok(());
            }
        }
    }

    /// Whether `close` comes first (taken if so): an empty object or array.
    fn closes(&mut self, close: u8) -> Read<bool> {
        let closes = self.peek()? == close;
        self.at += usize::from(closes);
        Ok(closes)
    }

    /// After an entry or an item: a `,` (taken: another follows), or `close` (taken:
    /// the last).
    fn more(&mut self, close: u8) -> Read<bool> {
        match self.peek()? {
            b',' => {
                self.at += 1;
                Ok(true)
            }
            byte if byte == close => {
                self.at += 1;
                Ok(false)
            }
            _ => Err(Stop),
        }
    }

    /// A struct's entries: each into its field, or into the additional properties.
    fn object(&mut self, object: &mut dyn Object, table: &Table) -> Read {
        let names = table.index();
        self.entries(|reader, key| reader.entry(object, names, key))
    }

    fn entry(&mut self, object: &mut dyn Object, names: &NameIndex, key: Cow<'a, str>) -> Read {
        match names.field(object, &key) {
            Ok(field) => self.value(field),
            Err(additional) => {
                let property = self.json()?;
                additional.insert(key.into_owned(), property);
                Ok(())
            }
        }
    }

    /// An `AnyX`: read as its base type until `@odata.type` picks the variant (see
    /// [`crate::object::retype`]).
    fn polymorphic(&mut self, value: &mut dyn Polymorphic) -> Read {
        let mut names = value.object().table().index();
        let mut holds = false;
        self.entries(|reader, key| {
            if key == ODATA_TYPE {
                let property = reader.json()?;
                crate::object::retype(value, holds, property).map_err(|_| Stop)?;
                names = value.object().table().index();
            } else {
                reader.entry(value.object_mut(), names, key)?;
            }
            holds = true;
            Ok(())
        })
    }

    /// A collection page: `value` into `items`, its links and count into `links`,
    /// anything else read and dropped.
    pub(crate) fn page(&mut self, items: &mut dyn Items, links: &mut PageLinks) -> Read {
        if self.peek()? != b'{' {
            return Err(Stop);
        }
        self.nested(|reader| {
            reader.entries(|reader, key| match &*key {
                "value" if !links.found => {
                    links.found = true;
                    reader.value(&mut Array(&mut *items))
                }
                "@odata.nextLink" => reader.value(&mut links.next_link),
                "@odata.deltaLink" => reader.value(&mut links.delta_link),
                "@odata.count" => reader.value(&mut links.count),
                _ => reader.json().map(drop),
            })
        })
    }

    /// Any value, as JSON.
    fn json(&mut self) -> Read<Value> {
        match self.peek()? {
            b'{' => self.nested(Self::json_object),
            b'[' => self.nested(Self::json_array),
            b'"' => Ok(Value::String(self.string()?.into_owned())),
            _ => Ok(match self.scalar()? {
                Scalar::Null => Value::Null,
                Scalar::Bool(value) => Value::Bool(value),
                Scalar::I64(value) => Value::from(value),
                Scalar::U64(value) => Value::from(value),
                Scalar::F64(value) => Value::from(value),
                Scalar::Str(text) => Value::String(text.to_owned()),
            }),
        }
    }

    /// The entries of an object whose `{` was taken, as JSON; a key given twice keeps
    /// its last value, as serde_json's `Value` does.
    fn json_object(&mut self) -> Read<Value> {
        let mut map = serde_json::Map::new();
        self.entries(|reader, key| {
            let value = reader.json()?;
            map.insert(key.into_owned(), value);
            Ok(())
        })?;
        Ok(Value::Object(map))
    }

    fn json_array(&mut self) -> Read<Value> {
        let mut items = Vec::new();
        self.elements(|reader| {
            items.push(reader.json()?);
            Ok(())
        })?;
        Ok(Value::Array(items))
    }

    /// `null`, `true`, `false` or a number: a scalar that is not a string.
    fn scalar(&mut self) -> Read<Scalar<'static>> {
        let rest = &self.bytes()[self.at..];
        let (scalar, length) = match rest.first() {
            Some(b'n') if rest.starts_with(b"null") => (Scalar::Null, 4),
            Some(b't') if rest.starts_with(b"true") => (Scalar::Bool(true), 4),
            Some(b'f') if rest.starts_with(b"false") => (Scalar::Bool(false), 5),
            Some(b'-' | b'0'..=b'9') => return self.number(),
            _ => return Err(Stop),
        };
        self.at += length;
        Ok(scalar)
    }

    /// A number, as serde_json reads it: an integer is a `u64`, or an `i64` when
    /// negative, and anything else (a fraction, an exponent, an integer too large for
    /// 64 bits, `-0`) the nearest `f64`; a number too large for an `f64` is not taken.
    fn number(&mut self) -> Read<Scalar<'static>> {
        let bytes = self.bytes();
        let start = self.at;
        let negative = bytes[start] == b'-';
        let mut at = start + usize::from(negative);
        let digits = |at: usize| bytes[at..].iter().take_while(|b| b.is_ascii_digit()).count();
        let whole = digits(at);
        // One digit, or digits that do not start with 0.
        if whole == 0 || (whole > 1 && bytes[at] == b'0') {
            return Err(Stop);
        }
        let integer = &self.text[at..at + whole];
        at += whole;
        let mut float = false;
        if bytes.get(at) == Some(&b'.') {
            let fraction = digits(at + 1);
            if fraction == 0 {
                return Err(Stop);
            }
            at += 1 + fraction;
            float = true;
        }
        if let Some(b'e' | b'E') = bytes.get(at) {
            at += 1;
            if let Some(b'+' | b'-') = bytes.get(at) {
                at += 1;
            }
            let exponent = digits(at);
            if exponent == 0 {
                return Err(Stop);
            }
            at += exponent;
            float = true;
        }
        self.at = at;
        let whole = match integer.parse::<u64>() {
            Ok(whole) if !float => whole,
            // A fraction, an exponent, or more than a u64 holds: correctly rounded, as
            // serde_json's `float_roundtrip` reads it.
            _ => {
                let value: f64 = self.text[start..at].parse().map_err(|_| Stop)?;
                return if value.is_finite() {
                    Ok(Scalar::F64(value))
                } else {
                    Err(Stop)
                };
            }
        };
        if !negative {
            return Ok(Scalar::U64(whole));
        }
        let value = (whole as i64).wrapping_neg();
        Ok(if value >= 0 {
            // `-0`, or below `i64::MIN`.
            Scalar::F64(-(whole as f64))
        } else {
            Scalar::I64(value)
        })
    }

    /// A string (after whitespace): borrowed from the body unless it holds an escape.
    fn string(&mut self) -> Read<Cow<'a, str>> {
        self.take(b'"')?;
        let start = self.at;
        let end = self.plain(start);
        match self.bytes().get(end) {
            Some(b'"') => {
                self.at = end + 1;
                Ok(Cow::Borrowed(&self.text[start..end]))
            }
            Some(b'\\') => {
                self.at = end;
                self.escaped(String::from(&self.text[start..end])).map(Cow::Owned)
            }
            // A control character, or the end of the body.
            _ => Err(Stop),
        }
    }

    /// The end of the run of bytes from `at` that a string holds as they are: the
    /// first `"`, `\` or control character, or the end of the body.
    fn plain(&self, at: usize) -> usize {
        at + crate::writer::plain_run(&self.bytes()[at..])
    }

    /// The rest of a string from its first escape, unescaped onto `text`.
    fn escaped(&mut self, mut text: String) -> Read<String> {
        loop {
            let bytes = self.bytes();
            match bytes.get(self.at) {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(text);
                }
                Some(b'\\') => {
                    let escape = bytes.get(self.at + 1).ok_or(Stop)?;
                    self.at += 2;
                    text.push(match escape {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return Err(Stop),
                    });
                }
                Some(_) => {
                    let end = self.plain(self.at);
                    if end == self.at {
                        // A control character.
                        return Err(Stop);
                    }
                    text.push_str(&self.text[self.at..end]);
                    self.at = end;
                }
                None => return Err(Stop),
            }
        }
    }

    /// The character of a `\u` escape whose `\u` was taken: a surrogate pair is one
    /// character, a lone surrogate is not taken (serde_json's `&str` reader refuses it).
    fn unicode_escape(&mut self) -> Read<char> {
        let first = self.hex()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if !self.bytes()[self.at..].starts_with(b"\\u") {
                    return Err(Stop);
                }
                self.at += 2;
                let second = self.hex()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(Stop);
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            code => code,
        };
        char::from_u32(code).ok_or(Stop)
    }

    /// Four hexadecimal digits.
    fn hex(&mut self) -> Read<u32> {
        let digits = self.text.get(self.at..self.at + 4).ok_or(Stop)?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(Stop);
        }
        self.at += 4;
        u32::from_str_radix(digits, 16).map_err(|_| Stop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the reader makes of `text` as JSON, as serde_json writes it (so that `-0`
    /// and `0` differ), or `None` where it stops.
    fn read(text: &str) -> Option<String> {
        let mut reader = Reader::new(text);
        let value = reader.json().ok()?;
        reader.end().ok()?;
        Some(serde_json::to_string(&value).unwrap())
    }

    fn serde_json_reads(text: &str) -> Option<String> {
        let value: Value = serde_json::from_str(text).ok()?;
        Some(serde_json::to_string(&value).unwrap())
    }

    /// Numbers, strings, literals and structure at their edges: the reader takes what
    /// serde_json takes, into the same value, and stops at the rest.
    #[test]
    fn reads_what_serde_json_reads_and_stops_where_it_fails() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        let mut texts: Vec<String> = [
            "0", "-0", "-0.0", "1", "-1", "01", "-01", "1.", ".5", "-", "+1", "1e", "1e+",
            "1E+2", "1e-2", "2.5e-3", "0.1", "1.7976931348623157e308", "1e309", "-1e400",
            "1e-400", "0e999999999999999999", "18446744073709551615", "18446744073709551616",
            "-9223372036854775808", "-9223372036854775809", "-18446744073709551615",
            "123456789012345678901234567890", "3.141592653589793238462643383279",
            "true", "false", "null", "nul", "truex", "tru", "True", "\"\"", "\"a\"",
            r#""\"\\\/\b\f\n\r\t""#, r#""\u00e9\u0000\uFFFF""#, r#""\ud83d\ude00""#,
            r#""\ud83d""#, r#""\ude00""#, r#""\ud83d\u0041""#, r#""\ud83dx""#, r#""\u12""#,
            r#""\u12G4""#, r#""\x""#, "\"tab\there\"", "\"line\nbreak\"", "\"\u{7f}\"",
            "\"unterminated", "\"日本語 é\"", r#""ab\"cd\"efghijklmnop""#, "[]", "{}",
            "[1,]", "[,1]", "[1 2]", "{\"a\":1,}", "{\"a\" 1}", "{\"a\":}", "{1:2}",
            "{\"a\":1,\"a\":2}", " \t\r\n[ 1 , { \"b\" : [ ] } ] \n", "[1] x", "", " ",
            "{\"a\":[{\"b\":null}]", "[\"a\",{\"\":\"\"}]",
        ]
        .map(String::from)
        .to_vec();
        texts.extend([deep(127), deep(128), deep(1000)]);
        for text in &texts {
            assert_eq!(read(text), serde_json_reads(text), "{text:?}");
        }
    }

    /// Every byte below 0x80 inside a string, alone and in a run longer than a word.
    #[test]
    fn every_ascii_byte_in_a_string_is_read_as_serde_json_reads_it() {
        for byte in 0u8..0x80 {
            let c = char::from(byte);
            for text in [format!("\"{c}\""), format!("\"abcdefghij{c}klmnopqrstu\"")] {
                assert_eq!(read(&text), serde_json_reads(&text), "{text:?}");
            }
        }
    }
}
