//! How the generated structs and `AnyX` enums are read, written and compared: through a
//! table of their fields, by the one visitor here, rather than by a serde derive per
//! type. A derive expands to dozens of lines per field, which the compiler must check
//! and optimize for every struct; a table is one line per field, and the code that
//! walks it is compiled once. This file is the runtime crate's `src/object.rs`,
//! copied as it is.
//!
//! Nothing is lost: properties the docs do not list land in `additional_properties`,
//! and `@odata.type` in `odata_type` (for an `AnyX`, it picks the variant first).

use std::any::Any;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{
    DeserializeOwned, DeserializeSeed, Error as _, IgnoredAny, MapAccess, SeqAccess, Unexpected,
    Visitor,
};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserializer, Serialize, Serializer};
use serde_json::Value;

/// Properties the docs do not list, by wire name.
pub type Map = BTreeMap<String, Value>;

/// The wire name of the type annotation.
const ODATA_TYPE: &str = "@odata.type";

/// A generated struct seen through its table of fields. Field `i` is the one whose wire
/// name is `names()[i]`; the names are sorted, so a key is found by binary search.
pub trait Object: Any {
    /// The wire names of the fields (`@odata.type` included), sorted by byte value.
    fn names(&self) -> &'static [&'static str];
    fn field(&self, index: usize) -> Option<&dyn Field>;
    fn field_mut(&mut self, index: usize) -> Option<&mut dyn Field>;
    fn additional_properties(&self) -> &Map;
    fn additional_properties_mut(&mut self) -> &mut Map;
}

/// A JSON value that is not an object or an array, as the reader meets it.
#[derive(Clone, Copy, Debug)]
pub enum Scalar<'a> {
    Null,
    Bool(bool),
    I64(i64),
    U64(u64),
    F64(f64),
    Str(&'a str),
}

impl Scalar<'_> {
    fn unexpected(&self) -> Unexpected<'_> {
        match *self {
            Scalar::Null => Unexpected::Unit,
            Scalar::Bool(value) => Unexpected::Bool(value),
            Scalar::I64(value) => Unexpected::Signed(value),
            Scalar::U64(value) => Unexpected::Unsigned(value),
            Scalar::F64(value) => Unexpected::Float(value),
            Scalar::Str(value) => Unexpected::Str(value),
        }
    }
}

/// Why a value was not taken.
#[derive(Debug)]
pub enum Reject {
    /// The JSON is of another type than the one expected.
    Type,
    /// The JSON is of the right type, but not a valid value of it.
    Message(String),
}

/// A type the generated crate reads. The reader pushes what it meets into the value's
/// place: a scalar is turned into the value, an object or an array is read into a fresh
/// value in place. Nothing here is generic over the input format, so each type costs a
/// few small functions, and the reader that drives them is compiled once per format.
pub trait Decode: Sized + 'static {
    /// What a value of the type looks like, for error messages.
    const EXPECTING: &'static str;

    /// The value a JSON scalar stands for.
    fn from_scalar(value: Scalar<'_>) -> Result<Self, Reject> {
        let _ = value;
        Err(Reject::Type)
    }

    /// An empty value to read a JSON object or array into (types read from one).
    fn fresh() -> Option<Self> {
        None
    }

    /// Where the entries or items of the JSON object or array go.
    fn open(&mut self) -> Open<'_> {
        Open::Neither
    }
}

/// Where the reader puts a JSON object's entries or an array's items.
pub enum Open<'a> {
    Object(&'a mut dyn Object),
    Polymorphic(&'a mut dyn Polymorphic),
    Items(&'a mut dyn Items),
    Json(&'a mut Value),
    Neither,
}

/// A place a value of a type only it knows is read into.
pub trait Slot {
    fn expecting(&self) -> &'static str;
    fn scalar(&mut self, value: Scalar<'_>) -> Result<(), Reject>;
    fn open(&mut self) -> Open<'_>;
}

/// The items of a `Vec` whose item type only it knows.
pub trait Items {
    fn expecting_item(&self) -> &'static str;
    fn push_scalar(&mut self, value: Scalar<'_>) -> Result<(), Reject>;
    fn push_open(&mut self) -> Open<'_>;
}

/// A scalar read by the type's own `Deserialize`, from the scalar alone.
fn scalar_with_serde<T: DeserializeOwned>(value: Scalar<'_>) -> Result<T, Reject> {
    use serde::de::IntoDeserializer;
    type E = serde::de::value::Error;
    let read = match value {
        Scalar::Null => T::deserialize(serde::de::value::UnitDeserializer::<E>::new()),
        Scalar::Bool(value) => T::deserialize(IntoDeserializer::<E>::into_deserializer(value)),
        Scalar::I64(value) => T::deserialize(IntoDeserializer::<E>::into_deserializer(value)),
        Scalar::U64(value) => T::deserialize(IntoDeserializer::<E>::into_deserializer(value)),
        Scalar::F64(value) => T::deserialize(IntoDeserializer::<E>::into_deserializer(value)),
        Scalar::Str(value) => T::deserialize(IntoDeserializer::<E>::into_deserializer(value)),
    };
    read.map_err(|error| Reject::Message(error.to_string()))
}

/// Scalars serde reads well on its own: one instantiation per type, shared by every field.
macro_rules! decode_scalar {
    ($($ty:ty),* $(,)?) => {
        $(
            impl Decode for $ty {
                const EXPECTING: &'static str = stringify!($ty);
                fn from_scalar(value: Scalar<'_>) -> Result<Self, Reject> {
                    scalar_with_serde(value)
                }
            }
        )*
    };
}

decode_scalar!(
    bool,
    u8,
    i8,
    i16,
    i32,
    i64,
    f32,
    f64,
    uuid::Uuid,
    chrono::NaiveDate,
    chrono::NaiveTime,
    chrono::DateTime<chrono::FixedOffset>,
    crate::Binary,
    crate::Decimal,
    crate::Duration,
);

impl Decode for String {
    const EXPECTING: &'static str = "a string";
    fn from_scalar(value: Scalar<'_>) -> Result<Self, Reject> {
        match value {
            Scalar::Str(text) => Ok(text.to_owned()),
            _ => Err(Reject::Type),
        }
    }
}

impl Decode for Value {
    const EXPECTING: &'static str = "any JSON value";
    fn from_scalar(value: Scalar<'_>) -> Result<Self, Reject> {
        Ok(match value {
            Scalar::Null => Value::Null,
            Scalar::Bool(value) => Value::Bool(value),
            Scalar::I64(value) => Value::from(value),
            Scalar::U64(value) => Value::from(value),
            Scalar::F64(value) => Value::from(value),
            Scalar::Str(value) => Value::from(value),
        })
    }
    fn fresh() -> Option<Self> {
        Some(Value::Null)
    }
    fn open(&mut self) -> Open<'_> {
        Open::Json(self)
    }
}

impl<T: Decode> Decode for Box<T> {
    const EXPECTING: &'static str = T::EXPECTING;
    fn from_scalar(value: Scalar<'_>) -> Result<Self, Reject> {
        T::from_scalar(value).map(Box::new)
    }
    fn fresh() -> Option<Self> {
        T::fresh().map(Box::new)
    }
    fn open(&mut self) -> Open<'_> {
        (**self).open()
    }
}

impl<T: Decode> Decode for Vec<T> {
    const EXPECTING: &'static str = "a JSON array";
    fn fresh() -> Option<Self> {
        Some(Vec::new())
    }
    fn open(&mut self) -> Open<'_> {
        Open::Items(self)
    }
}

impl<E: crate::WireEnum + 'static> Decode for crate::Flags<E> {
    const EXPECTING: &'static str = "a string of comma-separated names";
    fn from_scalar(value: Scalar<'_>) -> Result<Self, Reject> {
        match value {
            Scalar::Str(text) => Ok(crate::Flags::parse(text)),
            _ => Err(Reject::Type),
        }
    }
}

/// A documented enumeration, from its wire name; any string is accepted.
pub fn enum_from_scalar<E: crate::WireEnum>(value: Scalar<'_>) -> Result<E, Reject> {
    match value {
        Scalar::Str(text) => Ok(E::from_wire(text)),
        _ => Err(Reject::Type),
    }
}

impl<T: Decode> Slot for crate::Nullable<T> {
    fn expecting(&self) -> &'static str {
        T::EXPECTING
    }
    fn scalar(&mut self, value: Scalar<'_>) -> Result<(), Reject> {
        *self = match value {
            Scalar::Null => crate::Nullable::Null,
            value => crate::Nullable::Value(T::from_scalar(value)?),
        };
        Ok(())
    }
    fn open(&mut self) -> Open<'_> {
        let Some(fresh) = T::fresh() else {
            return Open::Neither;
        };
        *self = crate::Nullable::Value(fresh);
        match self.get_mut() {
            Some(value) => value.open(),
            None => Open::Neither,
        }
    }
}

/// `odata_type`: `null` is none.
impl<T: Decode> Slot for Option<T> {
    fn expecting(&self) -> &'static str {
        T::EXPECTING
    }
    fn scalar(&mut self, value: Scalar<'_>) -> Result<(), Reject> {
        *self = match value {
            Scalar::Null => None,
            value => Some(T::from_scalar(value)?),
        };
        Ok(())
    }
    fn open(&mut self) -> Open<'_> {
        match T::fresh() {
            Some(fresh) => self.insert(fresh).open(),
            None => Open::Neither,
        }
    }
}

impl<T: Decode> Items for Vec<T> {
    fn expecting_item(&self) -> &'static str {
        T::EXPECTING
    }
    fn push_scalar(&mut self, value: Scalar<'_>) -> Result<(), Reject> {
        self.push(T::from_scalar(value)?);
        Ok(())
    }
    fn push_open(&mut self) -> Open<'_> {
        let Some(fresh) = T::fresh() else {
            return Open::Neither;
        };
        self.push(fresh);
        match self.last_mut() {
            Some(item) => item.open(),
            None => Open::Neither,
        }
    }
}

/// The next item of an array, as a slot.
struct Item<'a>(&'a mut dyn Items);

impl Slot for Item<'_> {
    fn expecting(&self) -> &'static str {
        self.0.expecting_item()
    }
    fn scalar(&mut self, value: Scalar<'_>) -> Result<(), Reject> {
        self.0.push_scalar(value)
    }
    fn open(&mut self) -> Open<'_> {
        self.0.push_open()
    }
}

/// A whole array, as a slot (a collection page's `value`).
struct Array<'a>(&'a mut dyn Items);

impl Slot for Array<'_> {
    fn expecting(&self) -> &'static str {
        "a JSON array"
    }
    fn scalar(&mut self, _: Scalar<'_>) -> Result<(), Reject> {
        Err(Reject::Type)
    }
    fn open(&mut self) -> Open<'_> {
        Open::Items(&mut *self.0)
    }
}

/// A whole document: `null` is read by the type, as any other scalar.
struct Root<T>(Option<T>);

impl<T: Decode> Slot for Root<T> {
    fn expecting(&self) -> &'static str {
        T::EXPECTING
    }
    fn scalar(&mut self, value: Scalar<'_>) -> Result<(), Reject> {
        self.0 = Some(T::from_scalar(value)?);
        Ok(())
    }
    fn open(&mut self) -> Open<'_> {
        match T::fresh() {
            Some(fresh) => self.0.insert(fresh).open(),
            None => Open::Neither,
        }
    }
}

/// Reads one value of any format into `slot`: the one reader, generic over the format
/// only.
fn read<'de, D: Deserializer<'de>>(slot: &mut dyn Slot, deserializer: D) -> Result<(), D::Error> {
    deserializer.deserialize_any(SlotVisitor(slot))
}

struct SlotSeed<'a>(&'a mut dyn Slot);

impl<'de> DeserializeSeed<'de> for SlotSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        read(self.0, deserializer)
    }
}

struct SlotVisitor<'a>(&'a mut dyn Slot);

impl SlotVisitor<'_> {
    fn scalar<E: serde::de::Error>(self, value: Scalar<'_>) -> Result<(), E> {
        self.0.scalar(value).map_err(|reject| match reject {
            Reject::Type => E::invalid_type(value.unexpected(), &self.0.expecting()),
            Reject::Message(message) => E::custom(message),
        })
    }
}

impl<'de> Visitor<'de> for SlotVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.expecting())
    }

    fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<(), E> {
        self.scalar(Scalar::Bool(value))
    }
    fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<(), E> {
        self.scalar(Scalar::I64(value))
    }
    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<(), E> {
        self.scalar(Scalar::U64(value))
    }
    fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<(), E> {
        self.scalar(Scalar::F64(value))
    }
    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<(), E> {
        self.scalar(Scalar::Str(value))
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        self.scalar(Scalar::Null)
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
        self.scalar(Scalar::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        read(self.0, deserializer)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        match self.0.open() {
            Open::Object(object) => {
                let names = NameIndex::of(object.names());
                while let Some(key) = next_key(&mut map)? {
                    read_entry(object, names, key, &mut map)?;
                }
                Ok(())
            }
            Open::Polymorphic(value) => read_polymorphic(value, map),
            Open::Json(json) => {
                let entries = serde::de::value::MapAccessDeserializer::new(map);
                *json = Value::Object(serde::Deserialize::deserialize(entries)?);
                Ok(())
            }
            Open::Items(_) | Open::Neither => {
                Err(A::Error::invalid_type(Unexpected::Map, &self.0.expecting()))
            }
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        match self.0.open() {
            Open::Items(items) => {
                while seq
                    .next_element_seed(SlotSeed(&mut Item(&mut *items)))?
                    .is_some()
                {}
                Ok(())
            }
            Open::Json(json) => {
                let items = serde::de::value::SeqAccessDeserializer::new(seq);
                *json = Value::Array(serde::Deserialize::deserialize(items)?);
                Ok(())
            }
            Open::Object(_) | Open::Polymorphic(_) | Open::Neither => {
                Err(A::Error::invalid_type(Unexpected::Seq, &self.0.expecting()))
            }
        }
    }
}

/// A response body: one JSON value and nothing after it.
pub fn from_slice<T: Decode>(body: &[u8]) -> Result<T, serde_json::Error> {
    let mut json = serde_json::Deserializer::from_str(utf8(body)?);
    let mut root = Root(None);
    read(&mut root, &mut json)?;
    json.end()?;
    root.0
        .ok_or_else(|| serde_json::Error::custom(format!("expected {}", T::EXPECTING)))
}

/// The items of a collection response: the page's `value`.
pub fn collection_from_slice<T: Decode>(
    body: &[u8],
) -> Result<crate::Page<T>, serde_json::Error> {
    let mut json = serde_json::Deserializer::from_str(utf8(body)?);
    let mut items = Vec::new();
    let mut page = PageVisitor {
        items: &mut items,
        found: false,
        next_link: None,
        delta_link: None,
        count: None,
    };
    serde::Deserializer::deserialize_map(&mut json, &mut page)?;
    json.end()?;
    if !page.found {
        return Err(serde_json::Error::missing_field("value"));
    }
    let (next_link, delta_link, count) = (page.next_link, page.delta_link, page.count);
    Ok(crate::Page {
        items,
        next_link,
        delta_link,
        count,
    })
}

/// The body as text, checked once: read from a `&str`, serde_json does not check each
/// string again (a twelfth of the time spent reading).
fn utf8(body: &[u8]) -> Result<&str, serde_json::Error> {
    std::str::from_utf8(body).map_err(|error| {
        serde_json::Error::custom(format!(
            "invalid UTF-8 at byte {} of the body",
            error.valid_up_to()
        ))
    })
}

/// `Deserialize` of the generated structs, `AnyX` enums and enumerations, for any format:
/// the same reader as `from_slice`.
pub fn deserialize<'de, T: Decode, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    let mut root = Root(None);
    read(&mut root, deserializer)?;
    root.0
        .ok_or_else(|| D::Error::custom(format!("expected {}", T::EXPECTING)))
}

/// A value as the writer sees it: a scalar, or what holds the entries or items.
#[derive(Clone, Copy)]
pub enum View<'a> {
    Null,
    Bool(bool),
    I64(i64),
    U64(u64),
    F32(f32),
    F64(f64),
    Str(&'a str),
    Object(&'a dyn Object),
    Polymorphic(&'a dyn Polymorphic),
    List(&'a dyn List),
    Json(&'a Value),
    /// Text made for writing (a date-time).
    Text(Text),
    /// A value written by its own `Serialize` (GUIDs, decimals, ...).
    Other(&'a dyn erased_serde::Serialize),
}

/// A type the generated crate writes: the writer asks each value for its view and
/// drives the serializer itself, so nothing per type is generic over the format.
pub trait Encode {
    fn view(&self) -> View<'_>;
}

/// The items of a `Vec` whose item type only it knows, for the writer.
pub trait List {
    fn count(&self) -> usize;
    fn item(&self, index: usize) -> View<'_>;
}

macro_rules! encode_as {
    ($($ty:ty => $view:ident as $as:ty),* $(,)?) => {
        $(
            impl Encode for $ty {
                fn view(&self) -> View<'_> {
                    View::$view(*self as $as)
                }
            }
        )*
    };
}

encode_as!(
    bool => Bool as bool,
    u8 => U64 as u64,
    i8 => I64 as i64,
    i16 => I64 as i64,
    i32 => I64 as i64,
    i64 => I64 as i64,
    f32 => F32 as f32,
    f64 => F64 as f64,
);

/// Values written by their own `Serialize`.
macro_rules! encode_with_serde {
    ($($ty:ty),* $(,)?) => {
        $(
            impl Encode for $ty {
                fn view(&self) -> View<'_> {
                    View::Other(self)
                }
            }
        )*
    };
}

/// Up to 40 bytes of text, held in the view itself.
#[derive(Clone, Copy)]
pub struct Text {
    bytes: [u8; 40],
    len: u8,
}

impl Text {
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }

    /// Appends ASCII; the callers stay within the 40 bytes.
    fn push(&mut self, byte: u8) {
        self.bytes[usize::from(self.len)] = byte;
        self.len += 1;
    }

    /// Appends `value` in `width` decimal digits, zero-padded.
    fn digits(&mut self, value: u32, width: u32) {
        for place in (0..width).rev() {
            self.push(b'0' + (value / 10u32.pow(place) % 10) as u8);
        }
    }
}

/// As chrono's `Serialize` writes it (RFC 3339, `Z` for UTC, the fraction in groups of
/// three digits as needed), without its formatting machinery, which took a tenth of
/// the time spent writing; chrono writes what this does not cover (years outside
/// 0..=9999, leap seconds, offsets with seconds).
impl Encode for chrono::DateTime<chrono::FixedOffset> {
    fn view(&self) -> View<'_> {
        use chrono::{Datelike, Timelike};
        let offset = self.offset().local_minus_utc();
        let nanos = self.nanosecond();
        let Ok(year) = u32::try_from(self.year()) else {
            return View::Other(self);
        };
        if year > 9999 || nanos >= 1_000_000_000 || offset % 60 != 0 {
            return View::Other(self);
        }
        let mut text = Text {
            bytes: [0; 40],
            len: 0,
        };
        text.digits(year, 4);
        for (separator, value) in [
            (b'-', self.month()),
            (b'-', self.day()),
            (b'T', self.hour()),
            (b':', self.minute()),
            (b':', self.second()),
        ] {
            text.push(separator);
            text.digits(value, 2);
        }
        let (fraction, width) = match nanos {
            0 => (0, 0),
            n if n % 1_000_000 == 0 => (n / 1_000_000, 3),
            n if n % 1_000 == 0 => (n / 1_000, 6),
            n => (n, 9),
        };
        if width > 0 {
            text.push(b'.');
            text.digits(fraction, width);
        }
        if offset == 0 {
            text.push(b'Z');
        } else {
            text.push(if offset < 0 { b'-' } else { b'+' });
            let minutes = offset.unsigned_abs() / 60;
            text.digits(minutes / 60, 2);
            text.push(b':');
            text.digits(minutes % 60, 2);
        }
        View::Text(text)
    }
}

encode_with_serde!(
    uuid::Uuid,
    chrono::NaiveDate,
    chrono::NaiveTime,
    crate::Binary,
    crate::Decimal,
    crate::Duration,
);

impl<E: crate::WireEnum> Encode for crate::Flags<E> {
    fn view(&self) -> View<'_> {
        View::Other(self)
    }
}

impl Encode for String {
    fn view(&self) -> View<'_> {
        View::Str(self)
    }
}

impl Encode for Value {
    fn view(&self) -> View<'_> {
        View::Json(self)
    }
}

impl<T: Encode> Encode for Box<T> {
    fn view(&self) -> View<'_> {
        (**self).view()
    }
}

impl<T: Encode> Encode for Vec<T> {
    fn view(&self) -> View<'_> {
        View::List(self)
    }
}

impl<T: Encode> List for Vec<T> {
    fn count(&self) -> usize {
        self.len()
    }
    fn item(&self, index: usize) -> View<'_> {
        self[index].view()
    }
}

/// A field of a generated struct: its value read, written and compared without knowing
/// its type.
pub trait Field: Slot + Any {
    /// What is written, or `None` when nothing is (an absent property, or no
    /// `@odata.type`).
    fn view(&self) -> Option<View<'_>>;
    /// Whether `other` is a field of the same type with an equal value.
    fn equals(&self, other: &dyn Field) -> bool;
}

impl<T: Decode + Encode + PartialEq> Field for crate::Nullable<T> {
    fn view(&self) -> Option<View<'_>> {
        match self {
            crate::Nullable::Absent => None,
            crate::Nullable::Null => Some(View::Null),
            crate::Nullable::Value(value) => Some(value.view()),
        }
    }

    fn equals(&self, other: &dyn Field) -> bool {
        (other as &dyn Any).downcast_ref::<Self>() == Some(self)
    }
}

/// `odata_type`: written only when set.
impl Field for Option<String> {
    fn view(&self) -> Option<View<'_>> {
        self.as_deref().map(View::Str)
    }

    fn equals(&self, other: &dyn Field) -> bool {
        (other as &dyn Any).downcast_ref::<Self>() == Some(self)
    }
}

/// Two values of the same struct are equal when every field is.
pub fn eq(a: &dyn Object, b: &dyn Object) -> bool {
    (0..a.names().len()).all(|i| match (a.field(i), b.field(i)) {
        (Some(x), Some(y)) => x.equals(y),
        (x, y) => x.is_none() && y.is_none(),
    }) && a.additional_properties() == b.additional_properties()
}

/// Writes a view to any serializer: the one writer, generic over the format only.
pub fn serialize_view<S: Serializer>(view: View<'_>, serializer: S) -> Result<S::Ok, S::Error> {
    match view {
        View::Null => serializer.serialize_none(),
        View::Bool(value) => serializer.serialize_bool(value),
        View::I64(value) => serializer.serialize_i64(value),
        View::U64(value) => serializer.serialize_u64(value),
        View::F32(value) => serializer.serialize_f32(value),
        View::F64(value) => serializer.serialize_f64(value),
        View::Str(value) => serializer.serialize_str(value),
        View::Object(value) => serialize(value, None, serializer),
        View::Polymorphic(value) => {
            serialize(value.object(), value.variant_odata_type(), serializer)
        }
        View::List(list) => {
            let mut seq = serializer.serialize_seq(Some(list.count()))?;
            for index in 0..list.count() {
                seq.serialize_element(&Written(list.item(index)))?;
            }
            seq.end()
        }
        View::Json(value) => value.serialize(serializer),
        View::Text(text) => serializer.serialize_str(text.as_str()),
        View::Other(value) => value.serialize(serializer),
    }
}

/// A view, as something serde can write.
struct Written<'a>(View<'a>);

impl Serialize for Written<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_view(self.0, serializer)
    }
}

/// Writes a struct as a JSON object: `@odata.type` first (`odata_type` when the value
/// has none: a derived type read through its base must say what it is), then every
/// field that is written, then the properties the docs do not list.
pub fn serialize<S: Serializer>(
    value: &dyn Object,
    odata_type: Option<&str>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let names = value.names();
    let mut map = serializer.serialize_map(None)?;
    let annotation = NameIndex::of(names).find(ODATA_TYPE);
    match annotation
        .and_then(|i| value.field(i))
        .and_then(Field::view)
    {
        Some(view) => map.serialize_entry(ODATA_TYPE, &Written(view))?,
        None => {
            if let Some(odata_type) = odata_type {
                map.serialize_entry(ODATA_TYPE, odata_type)?;
            }
        }
    }
    for (index, name) in names.iter().enumerate() {
        if Some(index) == annotation {
            continue;
        }
        if let Some(view) = value.field(index).and_then(Field::view) {
            map.serialize_entry(name, &Written(view))?;
        }
    }
    for (name, property) in value.additional_properties() {
        map.serialize_entry(name, property)?;
    }
    map.end()
}

/// An `AnyX` enum: a variant per type, picked by `@odata.type`.
pub trait Polymorphic {
    /// Becomes the variant for the type an `@odata.type` names (without `#`), or the
    /// base type's for a name this crate does not know.
    fn select(&mut self, odata_type: &str);
    /// The value of the current variant.
    fn object(&self) -> &dyn Object;
    fn object_mut(&mut self) -> &mut dyn Object;
    /// The `@odata.type` the current variant is written with when its value has none:
    /// a derived type must say what it is; the base type need not.
    fn variant_odata_type(&self) -> Option<&'static str>;
}

/// The type name in an `@odata.type`, without `#` and namespace
/// (`#microsoft.graph.user` is `user`).
pub fn type_name(odata_type: &str) -> &str {
    let name = odata_type.trim_start_matches('#');
    name.rsplit('.').next().unwrap_or(name)
}

/// A collection page: its `value` items, and the links and count the service adds;
/// everything else skipped.
struct PageVisitor<'a> {
    items: &'a mut dyn Items,
    found: bool,
    next_link: Option<String>,
    delta_link: Option<String>,
    count: Option<i64>,
}

impl<'de> Visitor<'de> for &mut PageVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a collection page: a JSON object with `value`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = next_key(&mut map)? {
            match &*key {
                "value" if !self.found => {
                    map.next_value_seed(SlotSeed(&mut Array(&mut *self.items)))?;
                    self.found = true;
                }
                "@odata.nextLink" => self.next_link = map.next_value()?,
                "@odata.deltaLink" => self.delta_link = map.next_value()?,
                "@odata.count" => self.count = map.next_value()?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// The next key of `map`, borrowed from the input when it can be.
fn next_key<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<Cow<'de, str>>, A::Error> {
    let mut key = None;
    Ok(map
        .next_key_seed(KeySeed(&mut key))?
        .map(|()| key.unwrap_or_default()))
}

struct KeySeed<'a, 'de>(&'a mut Option<Cow<'de, str>>);

impl<'de> DeserializeSeed<'de> for KeySeed<'_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }
    fn visit_borrowed_str<E: serde::de::Error>(self, key: &'de str) -> Result<(), E> {
        *self.0 = Some(Cow::Borrowed(key));
        Ok(())
    }
    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<(), E> {
        *self.0 = Some(Cow::Owned(key.to_owned()));
        Ok(())
    }
    fn visit_string<E: serde::de::Error>(self, key: String) -> Result<(), E> {
        *self.0 = Some(Cow::Owned(key));
        Ok(())
    }
}

/// A type's wire names by hash, built once per type on first use: a key then costs a
/// hash and one comparison, where a binary search through names scattered in memory
/// cost a sixth of the time spent reading.
struct NameIndex {
    names: &'static [&'static str],
    /// Open addressing: index + 1 of the name whose hash lands here (or after), 0 empty.
    slots: Box<[u32]>,
}

impl NameIndex {
    /// The index of `names` (the `names()` of a type), made the first time it is asked
    /// for and kept for the life of the program (one per type). A small per-thread
    /// cache in front of the shared table keeps the lock off the path of most objects.
    fn of(names: &'static [&'static str]) -> &'static NameIndex {
        use std::cell::Cell;
        use std::collections::HashMap;
        use std::sync::{OnceLock, RwLock};
        type Indexes = RwLock<HashMap<(usize, usize), &'static NameIndex>>;
        static INDEXES: OnceLock<Indexes> = OnceLock::new();
        thread_local! {
            static RECENT: [Cell<Option<&'static NameIndex>>; 64] =
                const { [const { Cell::new(None) }; 64] };
        }
        let key = (names.as_ptr() as usize, names.len());
        let slot = (key.0 >> 3) % 64;
        let same = |index: &NameIndex| {
            std::ptr::eq(index.names.as_ptr(), names.as_ptr()) && index.names.len() == names.len()
        };
        if let Some(index) = RECENT.with(|recent| recent[slot].get()).filter(|i| same(i)) {
            return index;
        }
        let indexes = INDEXES.get_or_init(Default::default);
        let found = indexes.read().ok().and_then(|map| map.get(&key).copied());
        let index = found.unwrap_or_else(|| {
            let mut map = indexes.write().unwrap_or_else(|poisoned| poisoned.into_inner());
            map.entry(key)
                .or_insert_with(|| Box::leak(Box::new(NameIndex::new(names))))
        });
        RECENT.with(|recent| recent[slot].set(Some(index)));
        index
    }

    fn new(names: &'static [&'static str]) -> NameIndex {
        let size = (names.len() * 2).next_power_of_two().max(4);
        let mut slots = vec![0u32; size].into_boxed_slice();
        for (i, name) in names.iter().enumerate() {
            let mut at = hash(name) & (size - 1);
            while slots[at] != 0 {
                at = (at + 1) & (size - 1);
            }
            slots[at] = i as u32 + 1;
        }
        NameIndex { names, slots }
    }

    /// The index of `key` among the names.
    fn find(&self, key: &str) -> Option<usize> {
        let mask = self.slots.len() - 1;
        let mut at = hash(key) & mask;
        loop {
            let slot = self.slots[at] as usize;
            if slot == 0 {
                return None;
            }
            if self.names[slot - 1] == key {
                return Some(slot - 1);
            }
            at = (at + 1) & mask;
        }
    }
}

/// A hash of a property name, eight bytes at a step (FxHash's mix): names are short,
/// and a byte-wise hash cost as much as the binary search it replaced.
fn hash(text: &str) -> usize {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mix = |hash: u64, word: u64| (hash.rotate_left(5) ^ word).wrapping_mul(K);
    let mut chunks = text.as_bytes().chunks_exact(8);
    let mut hash = text.len() as u64;
    for chunk in &mut chunks {
        hash = mix(hash, u64::from_le_bytes(chunk.try_into().unwrap_or_default()));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        hash = mix(hash, rest.iter().fold(0, |word, &b| word << 8 | u64::from(b)));
    }
    (hash ^ hash >> 29) as usize
}

/// Reads the next value of `map` into the field `key` names, or into the additional
/// properties.
fn read_entry<'de, A: MapAccess<'de>>(
    value: &mut dyn Object,
    names: &NameIndex,
    key: Cow<'de, str>,
    map: &mut A,
) -> Result<(), A::Error> {
    let found = names.find(&key);
    match found.and_then(|i| value.field_mut(i)) {
        Some(field) => map.next_value_seed(SlotSeed(field)),
        None => {
            let property: Value = map.next_value()?;
            value
                .additional_properties_mut()
                .insert(key.into_owned(), property);
            Ok(())
        }
    }
}

/// Puts a value already read into the field `key` names, or into the additional
/// properties.
fn put_entry(
    value: &mut dyn Object,
    key: String,
    property: Value,
) -> Result<(), serde_json::Error> {
    let found = NameIndex::of(value.names()).find(&key);
    match found.and_then(|i| value.field_mut(i)) {
        Some(field) => read(field, property)
            .map_err(|error| serde_json::Error::custom(format!("`{key}`: {error}"))),
        None => {
            value.additional_properties_mut().insert(key, property);
            Ok(())
        }
    }
}

/// Reads an `AnyX` into the base type's variant until `@odata.type` says otherwise; the
/// service writes it first, so what was read before it is rarely more than an
/// annotation, and is moved to the new variant.
fn read_polymorphic<'de, A: MapAccess<'de>>(
    value: &mut dyn Polymorphic,
    mut map: A,
) -> Result<(), A::Error> {
    let mut names = NameIndex::of(value.object().names());
    while let Some(key) = next_key(&mut map)? {
        if key != ODATA_TYPE {
            read_entry(value.object_mut(), names, key, &mut map)?;
            continue;
        }
        let property: Value = map.next_value()?;
        if let Value::String(odata_type) = &property {
            let read = entries(value.object()).map_err(A::Error::custom)?;
            value.select(odata_type.trim_start_matches('#'));
            names = NameIndex::of(value.object().names());
            for (key, entry) in read {
                put_entry(value.object_mut(), key, entry).map_err(A::Error::custom)?;
            }
        }
        put_entry(value.object_mut(), key.into_owned(), property).map_err(A::Error::custom)?;
    }
    Ok(())
}

/// The properties an object holds, as JSON (nothing for an object just made).
fn entries(value: &dyn Object) -> Result<serde_json::Map<String, Value>, serde_json::Error> {
    let fresh = value.additional_properties().is_empty()
        && (0..value.names().len()).all(|i| value.field(i).and_then(Field::view).is_none());
    if fresh {
        return Ok(serde_json::Map::new());
    }
    match serialize(value, None, serde_json::value::Serializer)? {
        Value::Object(map) => Ok(map),
        _ => Ok(serde_json::Map::new()),
    }
}

/// `Serialize`, `Deserialize`, `Encode` and `Decode` of a type read and written through
/// a table: `$kind` is `Object` for a struct, `Polymorphic` for an `AnyX`.
#[doc(hidden)]
#[macro_export]
macro_rules! table_traits {
    ($name:ident, $kind:ident) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                $crate::object::serialize_view($crate::object::View::$kind(self), serializer)
            }
        }

        impl $crate::object::Encode for $name {
            fn view(&self) -> $crate::object::View<'_> {
                $crate::object::View::$kind(self)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::object::deserialize(deserializer)
            }
        }

        impl $crate::object::Decode for $name {
            const EXPECTING: &'static str = "a JSON object";
            fn fresh() -> ::std::option::Option<Self> {
                ::std::option::Option::Some(::std::default::Default::default())
            }
            fn open(&mut self) -> $crate::object::Open<'_> {
                $crate::object::Open::$kind(self)
            }
        }
    };
}
#[doc(hidden)]
pub use crate::table_traits;

/// A property of `T` by its wire name, for `$select` and `$expand`
/// ([`crate::Request::select`]): each generated struct has one constant per property
/// (`User::DISPLAY_NAME`), so a name the type does not have does not compile.
pub struct Property<T> {
    name: &'static str,
    of: std::marker::PhantomData<fn() -> T>,
}

impl<T> Property<T> {
    pub const fn new(name: &'static str) -> Self {
        Property {
            name,
            of: std::marker::PhantomData,
        }
    }

    /// The wire name.
    pub fn name(&self) -> &'static str {
        self.name
    }
}

impl<T> Clone for Property<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Property<T> {}

impl<T> fmt::Debug for Property<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Property").field(&self.name).finish()
    }
}

/// A result whose properties a request can select: a generated struct, an `AnyX` (the
/// properties of its base type) or a page of either.
pub trait Selectable {
    /// The struct whose [`Property`] constants name its properties.
    type Item;
}

impl<T: Selectable> Selectable for crate::Page<T> {
    type Item = T::Item;
}

/// A generated struct's traits: equality field by field, the rest through its table.
#[doc(hidden)]
#[macro_export]
macro_rules! object_traits {
    ($name:ident) => {
        impl ::std::cmp::PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                $crate::object::eq(self, other)
            }
        }

        $crate::object::table_traits!($name, Object);

        impl $crate::object::Selectable for $name {
            type Item = $name;
        }
    };
}
#[doc(hidden)]
pub use crate::object_traits;

/// An `AnyX`'s traits, through its current variant (its `PartialEq` is derived).
#[doc(hidden)]
#[macro_export]
macro_rules! polymorphic_traits {
    ($name:ident) => {
        $crate::object::table_traits!($name, Polymorphic);
    };
}
#[doc(hidden)]
pub use crate::polymorphic_traits;

/// `Serialize`, `Deserialize`, `Encode` and `Decode` of a documented enumeration, by wire name.
#[doc(hidden)]
#[macro_export]
macro_rules! enum_traits {
    ($name:ident) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                $crate::wire::serialize_enum(self, serializer)
            }
        }

        impl $crate::object::Encode for $name {
            fn view(&self) -> $crate::object::View<'_> {
                $crate::object::View::Str($crate::WireEnum::as_str(self))
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::wire::deserialize_enum(deserializer)
            }
        }

        impl $crate::object::Decode for $name {
            const EXPECTING: &'static str = "a string";
            fn from_scalar(
                value: $crate::object::Scalar<'_>,
            ) -> ::std::result::Result<Self, $crate::object::Reject> {
                $crate::object::enum_from_scalar(value)
            }
        }
    };
}
#[doc(hidden)]
pub use crate::enum_traits;
