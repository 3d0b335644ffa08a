//! The runtime's own JSON writer: what `serde_json::to_vec` writes for a value of the
//! generated crate, byte for byte, straight into a buffer. Through serde, every entry
//! goes through a map serializer, a key serializer and a wrapper per value; here a
//! struct is its entries ([`crate::object::each_entry`]) and a string is copied eight
//! bytes at a step until one needs escaping. This file is the runtime crate's
//! `src/writer.rs`, copied as it is.

use serde_json::Value;

use crate::object::{Object, Table, View, each_entry};

/// Appends `view` as JSON to `out`.
pub(crate) fn write(out: &mut Vec<u8>, view: View<'_>) -> Result<(), serde_json::Error> {
    match view {
        View::Null => out.extend_from_slice(b"null"),
        View::Bool(value) => out.extend_from_slice(if value { b"true" } else { b"false" }),
        View::I64(value) => out.extend_from_slice(itoa::Buffer::new().format(value).as_bytes()),
        View::U64(value) => out.extend_from_slice(itoa::Buffer::new().format(value).as_bytes()),
        // Through serde_json, whose float formatting is the one to match (its crate has
        // changed it between versions).
        View::F32(value) => serde_json::to_writer(&mut *out, &value)?,
        View::F64(value) => serde_json::to_writer(&mut *out, &value)?,
        View::Str(text) => string(out, text),
        View::Text(text) => string(out, text.as_str()),
        View::Object(value, table) => object(out, value, table, None)?,
        View::Polymorphic(value) => {
            let struct_value = value.object();
            let table = struct_value.table();
            object(out, struct_value, table, value.variant_odata_type())?
        }
        View::List(list, count) => {
            out.push(b'[');
            for index in 0..count {
                if index > 0 {
                    out.push(b',');
                }
                write(out, list.item(index))?;
            }
            out.push(b']');
        }
        View::Json(value) => json(out, value)?,
        View::Other(value) => serde_json::to_writer(&mut *out, value)?,
    }
    Ok(())
}

/// A struct: the entries of [`each_entry`], `"name":value` each.
fn object(
    out: &mut Vec<u8>,
    value: &dyn Object,
    table: &'static Table,
    odata_type: Option<&str>,
) -> Result<(), serde_json::Error> {
    out.push(b'{');
    let mut first = true;
    each_entry(value, table, odata_type, |name, view| {
        if !std::mem::take(&mut first) {
            out.push(b',');
        }
        string(out, name);
        out.push(b':');
        write(out, view)
    })?;
    out.push(b'}');
    Ok(())
}

/// A JSON value the docs give no type for (an extra property, a `Value` field).
fn json(out: &mut Vec<u8>, value: &Value) -> Result<(), serde_json::Error> {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(value) => out.extend_from_slice(if *value { b"true" } else { b"false" }),
        // Through serde_json, which knows how the number is held (and whether a crate in
        // the build turned on its arbitrary precision).
        Value::Number(number) => serde_json::to_writer(&mut *out, number)?,
        Value::String(text) => string(out, text),
        Value::Array(items) => {
            out.push(b'[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(b',');
                }
                json(out, item)?;
            }
            out.push(b']');
        }
        Value::Object(map) => {
            out.push(b'{');
            for (index, (name, item)) in map.iter().enumerate() {
                if index > 0 {
                    out.push(b',');
                }
                string(out, name);
                out.push(b':');
                json(out, item)?;
            }
            out.push(b'}');
        }
    }
    Ok(())
}

/// A JSON string, escaped as serde_json escapes it: `"`, `\` and the control characters,
/// nothing else.
fn string(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut at = 0;
    loop {
        let end = at + plain_run(&bytes[at..]);
        out.extend_from_slice(&bytes[at..end]);
        let Some(&byte) = bytes.get(end) else { break };
        let escaped: &[u8] = match byte {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                &[
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[usize::from(byte >> 4)],
                    HEX[usize::from(byte & 0xf)],
                ]
            }
        };
        out.extend_from_slice(escaped);
        at = end + 1;
    }
    out.push(b'"');
}

/// How many bytes `bytes` starts with that a JSON string holds as they are: up to the
/// first `"`, `\` or control character. Eight bytes at a step, the last few padded
/// with spaces, and the byte found by the lowest flag, not by a loop over the bytes
/// (names and most values are shorter than sixteen bytes: the loop was most of the time
/// spent on a string).
pub(crate) fn plain_run(bytes: &[u8]) -> usize {
    let mut at = 0;
    loop {
        let rest = &bytes[at..];
        let word = match rest.first_chunk::<8>() {
            Some(word) => *word,
            None => {
                let mut word = [b' '; 8];
                word[..rest.len()].copy_from_slice(rest);
                word
            }
        };
        let flags = escape_flags(u64::from_le_bytes(word));
        if flags != 0 {
            return at + (flags.trailing_zeros() / 8) as usize;
        }
        if rest.len() <= 8 {
            return bytes.len();
        }
        at += 8;
    }
}

/// The high bit of each of the eight bytes of `word` (little-endian) that is `"`, `\`
/// or below a space, and maybe of bytes above such a byte (the classic SWAR tests: a
/// byte below `n` borrows into its high bit, and the borrow can carry on), never below
/// the first: the lowest flag is exact.
fn escape_flags(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let below = |word: u64, n: u8| word.wrapping_sub(ONES * u64::from(n)) & !word & HIGHS;
    below(word, b' ')
        | below(word ^ (ONES * u64::from(b'"')), 1)
        | below(word ^ (ONES * u64::from(b'\\')), 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every byte that can start or sit in a UTF-8 string, alone and among others,
    /// escaped as serde_json escapes it.
    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut texts: Vec<String> = (0u32..0x80)
            .filter_map(char::from_u32)
            .map(|c| format!("ab{c}cdefghij{c}{c}"))
            .collect();
        texts.extend(
            [
                "",
                "é",
                "日本語 \"quoted\" \\ tab\t",
                "12345678\u{1f}",
                "\u{7f}\u{80}",
            ]
            .map(String::from),
        );
        texts.iter().for_each(|text| escaped_as_serde_json_escapes(text));
    }

    fn escaped_as_serde_json_escapes(text: &str) {
        let mut out = Vec::new();
        string(&mut out, text);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            serde_json::to_string(text).unwrap(),
            "{text:?}"
        );
    }

    /// A byte to escape at every place of the first words, before any ASCII byte: the
    /// scan finds the first such byte by its flag, whatever follows it.
    #[test]
    fn every_place_of_an_escaped_byte_is_found() {
        for place in 0..18 {
            for special in [b'"', b'\\', b'\n', 0x00, 0x1f] {
                for next in 0u8..0x80 {
                    let mut text = "a".repeat(place);
                    text.push(char::from(special));
                    text.push(char::from(next));
                    text.push_str("tail");
                    escaped_as_serde_json_escapes(&text);
                }
            }
        }
    }

    #[test]
    fn json_values_are_written_as_serde_json_writes_them() {
        let value: Value = serde_json::from_str(
            r#"{"b":[1,-2,3.5,1e300,18446744073709551615,true,null],"a":{"x":"y\n"},"c":""}"#,
        )
        .unwrap();
        let mut out = Vec::new();
        json(&mut out, &value).unwrap();
        assert_eq!(out, serde_json::to_vec(&value).unwrap());
    }

    #[test]
    fn floats_are_written_as_serde_json_writes_them() {
        for value in [0.0, -0.0, 1.5, 1e-7, f64::MAX, f64::NAN, f64::INFINITY] {
            let mut out = Vec::new();
            write(&mut out, View::F64(value)).unwrap();
            assert_eq!(out, serde_json::to_vec(&value).unwrap(), "{value}");
            let mut out = Vec::new();
            write(&mut out, View::F32(value as f32)).unwrap();
            assert_eq!(out, serde_json::to_vec(&(value as f32)).unwrap(), "{value}");
        }
    }
}
