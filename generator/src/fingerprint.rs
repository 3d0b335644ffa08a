//! FNV-1a, 64 bits: a hash that is the same on every machine and Rust release (std's
//! hasher is not), for fingerprints written to files; and the fast fingerprints of the
//! generator's cache.

use std::hash::{BuildHasher, Hasher};

use foldhash::quality::FixedState;

#[derive(Debug, Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    pub fn bytes(mut self, bytes: &[u8]) -> Self {
        for &byte in bytes {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        self
    }

    /// A part of a composite key, ended so that ("ab", "c") and ("a", "bc") differ.
    pub fn part(self, text: &str) -> Self {
        self.bytes(text.as_bytes()).bytes(&[0])
    }

    pub fn hex(self) -> String {
        format!("{:016x}", self.0)
    }
}

/// The fingerprint of `parts` and a serializable value, for the cache of generated files:
/// made and read by one build of the generator (its own fingerprint is a part), so it
/// need not be stable across releases, only fast. The value's serde data is fed to the
/// hasher as it is, a buffer at a time (a file's slice of the model is megabytes; as
/// JSON, its strings' escaping and its numbers' formatting were most of the time).
pub fn of<T: serde::Serialize + ?Sized>(parts: &[&str], value: &T) -> String {
    let mut feed = Feed {
        buffer: Vec::with_capacity(FEED_BUFFER),
        hasher: hasher(),
    };
    for part in parts {
        feed.text(part);
    }
    // Feeding cannot fail: `Unhashable` is only there because serde asks for an error type.
    let _ = value.serialize(&mut feed);
    let Feed { buffer, mut hasher } = feed;
    hasher.write(&buffer);
    format!("{:016x}", hasher.finish())
}

const FEED_BUFFER: usize = 1 << 14;

/// A serde serializer into a hasher. What it feeds tells values apart as their JSON would:
/// every string and name carries its length, every element, entry and field a marker
/// and its container an end, every `Option` and enum variant a tag.
struct Feed<H> {
    buffer: Vec<u8>,
    hasher: H,
}

const ITEM: u8 = 1;
const END: u8 = 0;

impl<H: Hasher> Feed<H> {
    /// Hashes the buffer when `len` more bytes would not fit.
    #[inline]
    fn room(&mut self, len: usize) {
        if self.buffer.len() + len > FEED_BUFFER {
            self.hasher.write(&self.buffer);
            self.buffer.clear();
        }
    }

    #[inline]
    fn tag(&mut self, tag: u8) {
        self.room(1);
        self.buffer.push(tag);
    }

    #[inline]
    fn bytes(&mut self, bytes: &[u8]) {
        self.room(bytes.len());
        if bytes.len() > FEED_BUFFER {
            self.hasher.write(bytes);
        } else {
            self.buffer.extend_from_slice(bytes);
        }
    }

    /// Bytes of any length, after their length.
    #[inline]
    fn sized(&mut self, bytes: &[u8]) {
        self.bytes(&bytes.len().to_le_bytes());
        self.bytes(bytes);
    }

    #[inline]
    fn text(&mut self, text: &str) {
        self.sized(text.as_bytes());
    }

    /// An element or entry of a container, after its marker.
    fn item<T: serde::Serialize + ?Sized>(&mut self, value: &T) -> Fed {
        self.tag(ITEM);
        value.serialize(self)
    }

    /// A struct's field: its marker, its name, its value.
    fn field<T: serde::Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Fed {
        self.tag(ITEM);
        self.text(name);
        value.serialize(self)
    }
}

#[derive(Debug)]
struct Unhashable;

impl std::fmt::Display for Unhashable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a value that cannot be hashed")
    }
}

impl std::error::Error for Unhashable {}

impl serde::ser::Error for Unhashable {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Unhashable
    }
}

/// The primitives: their bytes, after a tag of their type.
macro_rules! feed_numbers {
    ($($method:ident($ty:ty) = $tag:literal;)*) => {
        $(fn $method(self, value: $ty) -> Result<(), Unhashable> {
            self.tag($tag);
            self.bytes(&value.to_le_bytes());
            Ok(())
        })*
    };
}

impl<H: Hasher> serde::Serializer for &mut Feed<H> {
    type Ok = ();
    type Error = Unhashable;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    feed_numbers! {
        serialize_i8(i8) = 2;
        serialize_i16(i16) = 3;
        serialize_i32(i32) = 4;
        serialize_i64(i64) = 5;
        serialize_i128(i128) = 6;
        serialize_u8(u8) = 7;
        serialize_u16(u16) = 8;
        serialize_u32(u32) = 9;
        serialize_u64(u64) = 10;
        serialize_u128(u128) = 11;
        serialize_f32(f32) = 12;
        serialize_f64(f64) = 13;
    }

    fn serialize_bool(self, value: bool) -> Result<(), Unhashable> {
        self.tag(14);
        self.tag(u8::from(value));
        Ok(())
    }

    fn serialize_char(self, value: char) -> Result<(), Unhashable> {
        self.tag(15);
        self.bytes(&u32::from(value).to_le_bytes());
        Ok(())
    }

    fn serialize_str(self, value: &str) -> Result<(), Unhashable> {
        self.tag(16);
        self.text(value);
        Ok(())
    }

    fn serialize_bytes(self, value: &[u8]) -> Result<(), Unhashable> {
        self.tag(17);
        self.sized(value);
        Ok(())
    }

    fn serialize_none(self) -> Result<(), Unhashable> {
        self.tag(18);
        Ok(())
    }

    fn serialize_some<T: serde::Serialize + ?Sized>(self, value: &T) -> Result<(), Unhashable> {
        self.tag(19);
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Unhashable> {
        self.tag(20);
        Ok(())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Unhashable> {
        self.serialize_unit()
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
    ) -> Result<(), Unhashable> {
        self.serialize_u32(index)
    }

    fn serialize_newtype_struct<T: serde::Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Unhashable> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: serde::Serialize + ?Sized>(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        value: &T,
    ) -> Result<(), Unhashable> {
        self.serialize_u32(index)?;
        value.serialize(self)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Unhashable> {
        self.tag(21);
        Ok(self)
    }

    fn serialize_tuple(self, _: usize) -> Result<Self, Unhashable> {
        self.serialize_seq(None)
    }

    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, Unhashable> {
        self.serialize_seq(None)
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Unhashable> {
        self.serialize_u32(index)?;
        self.serialize_seq(None)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self, Unhashable> {
        self.tag(22);
        Ok(self)
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Unhashable> {
        self.serialize_map(None)
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Unhashable> {
        self.serialize_u32(index)?;
        self.serialize_map(None)
    }
}

/// Containers: a marker before each element, entry and field (a field also gives its
/// name, so that one left out when empty is told from its neighbour), an end after the
/// last.
macro_rules! feed_compound {
    ($($trait:ident { $($method:item)* })*) => {
        $(impl<H: Hasher> serde::ser::$trait for &mut Feed<H> {
            type Ok = ();
            type Error = Unhashable;

            $($method)*

            fn end(self) -> Result<(), Unhashable> {
                self.tag(END);
                Ok(())
            }
        })*
    };
}

type Fed = Result<(), Unhashable>;

feed_compound! {
    SerializeSeq {
        fn serialize_element<T: serde::Serialize + ?Sized>(&mut self, value: &T) -> Fed {
            self.item(value)
        }
    }
    SerializeTuple {
        fn serialize_element<T: serde::Serialize + ?Sized>(&mut self, value: &T) -> Fed {
            self.item(value)
        }
    }
    SerializeTupleStruct {
        fn serialize_field<T: serde::Serialize + ?Sized>(&mut self, value: &T) -> Fed {
            self.item(value)
        }
    }
    SerializeTupleVariant {
        fn serialize_field<T: serde::Serialize + ?Sized>(&mut self, value: &T) -> Fed {
            self.item(value)
        }
    }
    SerializeMap {
        fn serialize_key<T: serde::Serialize + ?Sized>(&mut self, key: &T) -> Fed {
            self.item(key)
        }

        fn serialize_value<T: serde::Serialize + ?Sized>(&mut self, value: &T) -> Fed {
            value.serialize(&mut **self)
        }
    }
    SerializeStruct {
        fn serialize_field<T>(&mut self, name: &'static str, value: &T) -> Fed
        where
            T: serde::Serialize + ?Sized,
        {
            self.field(name, value)
        }
    }
    SerializeStructVariant {
        fn serialize_field<T>(&mut self, name: &'static str, value: &T) -> Fed
        where
            T: serde::Serialize + ?Sized,
        {
            self.field(name, value)
        }
    }
}

/// The fingerprint of a text, for the same cache: what a file held when it was written,
/// to tell that nobody changed it since (every generated file is hashed on every run).
pub fn of_text(text: &str) -> String {
    let mut hasher = hasher();
    hasher.write(text.as_bytes());
    format!("{:016x}{:x}", hasher.finish(), text.len())
}

/// The hasher of the cache's fingerprints: the same within one build of the generator.
pub fn hasher() -> impl Hasher {
    FixedState::default().build_hasher()
}

#[cfg(test)]
mod tests {
    use serde::Serialize;

    use super::of;

    #[derive(Serialize)]
    struct Row {
        #[serde(skip_serializing_if = "Option::is_none")]
        a: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        b: Option<String>,
        items: Vec<Vec<String>>,
    }

    fn row(a: Option<&str>, b: Option<&str>, items: &[&[&str]]) -> String {
        let items = items
            .iter()
            .map(|item| item.iter().map(|s| s.to_string()).collect())
            .collect();
        of(
            &["part"],
            &Row {
                a: a.map(str::to_owned),
                b: b.map(str::to_owned),
                items,
            },
        )
    }

    #[test]
    fn values_that_serialize_apart_fingerprint_apart() {
        let plain = row(Some("x"), None, &[&["p", "q"]]);
        assert_eq!(plain, row(Some("x"), None, &[&["p", "q"]]));
        let others = [
            // The same text in the other field that an empty one leaves out.
            row(None, Some("x"), &[&["p", "q"]]),
            // The same strings, split or nested otherwise.
            row(Some("x"), None, &[&["pq"]]),
            row(Some("x"), None, &[&["p"], &["q"]]),
            row(Some("x"), None, &[&["p", "q"], &[]]),
            row(Some("xp"), None, &[&["q"]]),
        ];
        for other in &others {
            assert_ne!(&plain, other);
        }
        assert_ne!(of(&["ab", "c"], &()), of(&["a", "bc"], &()));
        assert_ne!(of(&[], &Some(0u8)), of(&[], &None::<u8>));
        assert_ne!(of(&[], &1u32), of(&[], &1u64));
    }
}
