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

use crate::reader::{PageLinks, whole};

/// Properties the docs do not list, by wire name.
pub type Map = BTreeMap<String, Value>;

/// The wire name of the type annotation.
pub(crate) const ODATA_TYPE: &str = "@odata.type";

/// A generated struct seen through its table of fields. Field `i` is the one whose wire
/// name is `table().names()[i]`.
pub trait Object: Any {
    /// The type's wire names, one static per type. `#[inline]` in the generated impls:
    /// where the type is known (its `Encode` and `Decode`), the table is the static's
    /// address, not a call.
    fn table(&self) -> &'static Table;
    /// Calls `visit` with each field that is written (see [`visit`]), in index order,
    /// and gives the additional properties: a struct of a hundred properties that holds
    /// three costs three calls, not a hundred.
    fn fields<'a>(&'a self, visit: &mut dyn FnMut(usize, &'a dyn Field)) -> &'a Map;
    /// Field `index`, or, for an index past the last field (such as [`ADDITIONAL`]), the
    /// additional properties (where the reader puts a key the table does not have). One
    /// function for both: each is a body per struct for rustc to check.
    fn field_mut(&mut self, index: usize) -> Result<&mut dyn Field, &mut Map>;
}

/// The index `field_mut` answers with the additional properties: past every field.
pub const ADDITIONAL: usize = usize::MAX;

/// The properties the docs do not list that a struct holds.
pub fn additional_properties(value: &dyn Object) -> &Map {
    value.fields(&mut |_, _| {})
}

/// The wire names of a struct's fields, `@odata.type` first, the others sorted by byte
/// value; and, made on first use, the index that finds a key among them.
pub struct Table {
    names: &'static [&'static str],
    index: std::sync::OnceLock<NameIndex>,
}

impl Table {
    pub const fn new(names: &'static [&'static str]) -> Table {
        Table {
            names,
            index: std::sync::OnceLock::new(),
        }
    }

    pub fn names(&self) -> &'static [&'static str] {
        self.names
    }

    pub(crate) fn index(&self) -> &NameIndex {
        self.index.get_or_init(|| NameIndex::new(self.names))
    }
}

/// `fields` of a generated struct, one call per field: `visit` is called when the field
/// is written. Generic over the field, so the test is inlined in `fields`.
#[inline]
pub fn visit<'a, F: Field>(
    visit: &mut dyn FnMut(usize, &'a dyn Field),
    index: usize,
    field: &'a F,
) {
    if field.is_written() {
        visit(index, field);
    }
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
    /// What a value of the type looks like, for error messages. Most types read from a
    /// JSON string (the enumerations, one impl each, leave it as it is).
    const EXPECTING: &'static str = "a string";

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

/// Where the reader puts a JSON object's entries or an array's items. A struct comes
/// with its table, found where its type is known: asked of the value, it was a call
/// into code of the type's own, which a response of many types finds out of the cache.
pub enum Open<'a> {
    Object(&'a mut dyn Object, &'static Table),
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
    crate::Binary,
    crate::Decimal,
    crate::Duration,
);

/// The form the service writes (`2021-01-19T20:02:36.0130000Z`) read here, as chrono's
/// `FromStr` reads it, without its parsing machinery (a tenth of the time spent reading);
/// chrono reads every other form.
impl Decode for chrono::DateTime<chrono::FixedOffset> {
    const EXPECTING: &'static str = "an RFC 3339 date-time";
    fn from_scalar(value: Scalar<'_>) -> Result<Self, Reject> {
        match value {
            Scalar::Str(text) => rfc3339(text).map_or_else(|| scalar_with_serde(value), Ok),
            _ => scalar_with_serde(value),
        }
    }
}

/// `YYYY-MM-DDTHH:MM:SS`, up to nine digits of fraction, then `Z` or `±HH:MM`; `None` for
/// anything else.
fn rfc3339(text: &str) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    let bytes = text.as_bytes();
    let number = |at: usize, len: usize| -> Option<u32> {
        let digits = bytes.get(at..at + len)?;
        digits.iter().try_fold(0u32, |n, &digit| {
            digit
                .is_ascii_digit()
                .then(|| n * 10 + u32::from(digit - b'0'))
        })
    };
    let separators = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if !separators
        .iter()
        .all(|&(at, byte)| bytes.get(at) == Some(&byte))
    {
        return None;
    }
    let date = chrono::NaiveDate::from_ymd_opt(
        i32::try_from(number(0, 4)?).ok()?,
        number(5, 2)?,
        number(8, 2)?,
    )?;
    let mut at = 19;
    let mut nanos = 0;
    if bytes.get(at) == Some(&b'.') {
        let digits = bytes[at + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if !(1..=9).contains(&digits) {
            return None;
        }
        nanos = number(at + 1, digits)? * 10u32.pow(9 - digits as u32);
        at += 1 + digits;
    }
    // A leap second (`:60`) is chrono's to read.
    let time =
        chrono::NaiveTime::from_hms_nano_opt(number(11, 2)?, number(14, 2)?, number(17, 2)?, nanos)
            .filter(|_| number(17, 2) < Some(60))?;
    let offset = match &bytes[at..] {
        b"Z" => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let seconds =
                i32::try_from(number(at + 1, 2)? * 3600 + number(at + 4, 2)? * 60).ok()?;
            if *sign == b'-' { -seconds } else { seconds }
        }
        _ => return None,
    };
    let offset = chrono::FixedOffset::east_opt(offset)?;
    date.and_time(time).and_local_timezone(offset).single()
}

impl Decode for String {
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

/// Every generated struct is read through its table: one impl for all of them, where an
/// impl per struct was three bodies more per struct for rustc to check.
impl<T: Object + Default> Decode for T {
    const EXPECTING: &'static str = "a JSON object";
    fn fresh() -> Option<Self> {
        Some(T::default())
    }
    fn open(&mut self) -> Open<'_> {
        let table = self.table();
        Open::Object(self, table)
    }
}

/// A boxed struct (a property whose type holds itself) is its struct: it is read,
/// written and compared through the same table.
impl<T: Object + Default> Object for Box<T> {
    fn table(&self) -> &'static Table {
        (**self).table()
    }
    fn fields<'a>(&'a self, visit: &mut dyn FnMut(usize, &'a dyn Field)) -> &'a Map {
        (**self).fields(visit)
    }
    fn field_mut(&mut self, index: usize) -> Result<&mut dyn Field, &mut Map> {
        (**self).field_mut(index)
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

/// Made once per field type, so written with plain `match`es: `?` and `get_mut` are
/// functions of their own for the compiler to make per type.
impl<T: Decode> Slot for crate::Nullable<T> {
    fn expecting(&self) -> &'static str {
        T::EXPECTING
    }
    fn scalar(&mut self, value: Scalar<'_>) -> Result<(), Reject> {
        *self = match value {
            Scalar::Null => crate::Nullable::Null,
            value => match T::from_scalar(value) {
                Ok(value) => crate::Nullable::Value(value),
                Err(reject) => return Err(reject),
            },
        };
        Ok(())
    }
    fn open(&mut self) -> Open<'_> {
        let Some(fresh) = T::fresh() else {
            return Open::Neither;
        };
        *self = crate::Nullable::Value(fresh);
        match self {
            crate::Nullable::Value(value) => value.open(),
            crate::Nullable::Absent | crate::Nullable::Null => Open::Neither,
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
        match T::from_scalar(value) {
            Ok(value) => self.push(value),
            Err(reject) => return Err(reject),
        }
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
pub(crate) struct Item<'a>(pub(crate) &'a mut dyn Items);

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
pub(crate) struct Array<'a>(pub(crate) &'a mut dyn Items);

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
            Open::Object(object, table) => {
                let names = table.index();
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
            Open::Object(..) | Open::Polymorphic(_) | Open::Neither => {
                Err(A::Error::invalid_type(Unexpected::Seq, &self.0.expecting()))
            }
        }
    }
}

/// A response body: one JSON value and nothing after it. Read by the runtime's own
/// reader; a body it stops at is read again through serde_json, to say why. The work is
/// in functions made once (the reading, [`crate::reader::whole`]) or kept out of the
/// way (the second reading):
/// made for each type, it was code of the type's own to fetch for each body read.
pub fn from_slice<T: Decode>(body: &[u8]) -> Result<T, serde_json::Error> {
    let mut root = Root(None);
    if whole(body, &mut |reader| reader.value(&mut root))
        && let Some(value) = root.0
    {
        return Ok(value);
    }
    read_again(body)
}

/// A body the runtime's reader stopped at, read through serde_json: its value, or its
/// error, which says what and where.
#[cold]
#[inline(never)]
fn read_again<T: Decode>(body: &[u8]) -> Result<T, serde_json::Error> {
    let mut json = serde_json::Deserializer::from_str(utf8(body)?);
    let value = deserialize(&mut json)?;
    json.end()?;
    Ok(value)
}

/// The items of a collection response: the page's `value`.
pub fn collection_from_slice<T: Decode>(
    body: &[u8],
) -> Result<crate::Page<T>, serde_json::Error> {
    let mut items = Vec::new();
    let mut links = PageLinks::default();
    if !whole(body, &mut |reader| reader.page(&mut items, &mut links)) {
        items = Vec::new();
        links = PageLinks::default();
        read_page_again(body, &mut items, &mut links)?;
    }
    if !links.found {
        return Err(serde_json::Error::missing_field("value"));
    }
    let PageLinks {
        next_link,
        delta_link,
        count,
        ..
    } = links;
    Ok(crate::Page {
        items,
        next_link,
        delta_link,
        count,
    })
}

/// A page the runtime's reader stopped at, read through serde_json (see [`read_again`]).
#[cold]
#[inline(never)]
fn read_page_again(
    body: &[u8],
    items: &mut dyn Items,
    links: &mut PageLinks,
) -> Result<(), serde_json::Error> {
    let mut json = serde_json::Deserializer::from_str(utf8(body)?);
    let mut page = PageVisitor { items, links };
    serde::Deserializer::deserialize_map(&mut json, &mut page)?;
    json.end()
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
    /// A struct and its table (see [`Open`]).
    Object(&'a dyn Object, &'static Table),
    Polymorphic(&'a dyn Polymorphic),
    /// A list and its length (taken where the type is known, as a struct's table).
    List(&'a dyn List, usize),
    Json(&'a Value),
    /// Text made for writing (a date-time).
    Text(Text),
    /// A value written by its own `Serialize` (GUIDs, decimals, ...).
    Other(&'a dyn erased_serde::Serialize),
}

impl<'a> View<'a> {
    /// The struct a view holds, its table, and the `@odata.type` it is written with
    /// when it has none ([`each_entry`]'s arguments); `None` for anything but a struct
    /// or an `AnyX`.
    fn entries(self) -> Option<(&'a dyn Object, &'static Table, Option<&'a str>)> {
        match self {
            View::Object(value, table) => Some((value, table, None)),
            View::Polymorphic(value) => {
                let object = value.object();
                Some((object, object.table(), value.variant_odata_type()))
            }
            _ => None,
        }
    }
}

/// A type the generated crate writes: the writer asks each value for its view and
/// drives the serializer itself, so nothing per type is generic over the format.
pub trait Encode {
    fn view(&self) -> View<'_>;
}

/// The items of a `Vec` whose item type only it knows, for the writer.
pub trait List {
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

/// Every generated struct is written through its table (see the `Decode` impl).
impl<T: Object + Default> Encode for T {
    fn view(&self) -> View<'_> {
        View::Object(self, self.table())
    }
}

impl<T: Encode> Encode for Vec<T> {
    fn view(&self) -> View<'_> {
        View::List(self, self.len())
    }
}

impl<T: Encode> List for Vec<T> {
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
    /// Whether anything is written: `view().is_some()`, without making the view.
    fn is_written(&self) -> bool;
    /// Whether `other` is a field of the same type with an equal value.
    fn equals(&self, other: &dyn Field) -> bool;
    /// Makes `into`, a field of the same type, a copy of this one.
    fn clone_into(&self, into: &mut dyn Field);
}

impl<T: Decode + Encode + PartialEq + Clone> Field for crate::Nullable<T> {
    fn is_written(&self) -> bool {
        !matches!(self, crate::Nullable::Absent)
    }

    fn view(&self) -> Option<View<'_>> {
        match self {
            crate::Nullable::Absent => None,
            crate::Nullable::Null => Some(View::Null),
            crate::Nullable::Value(value) => Some(value.view()),
        }
    }

    fn equals(&self, other: &dyn Field) -> bool {
        equals(self, other)
    }

    fn clone_into(&self, into: &mut dyn Field) {
        clone_into(self, into)
    }
}

/// [`Field::equals`] of every field type: `other` is a field of the same type, equal.
fn equals<F: Field + PartialEq>(field: &F, other: &dyn Field) -> bool {
    // Not `downcast_ref() == Some(field)`: that is three more functions per field type
    // for the compiler to make (`Option`'s and the references' `eq`).
    match (other as &dyn Any).downcast_ref::<F>() {
        Some(other) => field == other,
        None => false,
    }
}

/// [`Field::clone_into`] of every field type: `into`, when of the same type, becomes a copy.
fn clone_into<F: Field + Clone>(field: &F, into: &mut dyn Field) {
    if let Some(into) = (into as &mut dyn Any).downcast_mut::<F>() {
        into.clone_from(field);
    }
}

/// `odata_type`: written only when set.
impl Field for Option<String> {
    fn is_written(&self) -> bool {
        self.is_some()
    }

    fn view(&self) -> Option<View<'_>> {
        self.as_deref().map(View::Str)
    }

    fn equals(&self, other: &dyn Field) -> bool {
        equals(self, other)
    }

    fn clone_into(&self, into: &mut dyn Field) {
        clone_into(self, into)
    }
}

/// Two values of the same struct are equal when they write the same fields, with equal
/// values, and the same additional properties.
pub fn eq(a: &dyn Object, b: &dyn Object) -> bool {
    fn written(value: &dyn Object) -> (Vec<(usize, &dyn Field)>, &Map) {
        let mut fields = Vec::new();
        let additional = value.fields(&mut |index, field| fields.push((index, field)));
        (fields, additional)
    }
    let ((x, x_additional), (y, y_additional)) = (written(a), written(b));
    x.len() == y.len()
        && x.iter()
            .zip(&y)
            .all(|((i, x), (j, y))| i == j && x.equals(*y))
        && x_additional == y_additional
}

/// A generated struct's `Clone`: a default value (every field absent) given a copy of
/// each field that is written and of the additional properties. A derived `Clone` was a
/// body per struct with a call per field, a tenth of the check of a crate of structs.
pub fn clone<T: Object + Default>(value: &T) -> T {
    let mut copy = T::default();
    copy_fields(value, &mut copy);
    copy
}

/// The work of [`clone`], compiled once: generic, its closure and the closure's shims
/// were made again for every struct.
fn copy_fields(value: &dyn Object, copy: &mut dyn Object) {
    let additional = value.fields(&mut |index, field| {
        if let Ok(into) = copy.field_mut(index) {
            field.clone_into(into);
        }
    });
    if let Err(into) = copy.field_mut(ADDITIONAL) {
        into.clone_from(additional);
    }
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
        View::Object(value, table) => serialize(value, table, None, serializer),
        View::Polymorphic(value) => {
            let object = value.object();
            serialize(object, object.table(), value.variant_odata_type(), serializer)
        }
        View::List(list, count) => {
            let mut seq = serializer.serialize_seq(Some(count))?;
            for index in 0..count {
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

/// Writes a struct as a JSON object, through serde: the entries of [`each_entry`].
pub fn serialize<S: Serializer>(
    value: &dyn Object,
    table: &'static Table,
    odata_type: Option<&str>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    each_entry(value, table, odata_type, |name, view| {
        map.serialize_entry(name, &Written(view))
    })?;
    map.end()
}

/// What a struct writes, in order: `@odata.type` first (`odata_type` when the value has
/// none: a derived type read through its base must say what it is), then every field
/// that is written, then the properties the docs do not list. Both writers (serde's and
/// [`to_vec`]) walk a struct through this one function.
pub(crate) fn each_entry<'a, E>(
    value: &'a dyn Object,
    table: &'static Table,
    odata_type: Option<&'a str>,
    mut entry: impl FnMut(&'a str, View<'a>) -> Result<(), E>,
) -> Result<(), E> {
    let names = table.names();
    // `@odata.type` is field 0 of every struct: the first field visited, when written.
    let annotated = names.first() == Some(&ODATA_TYPE);
    let mut fallback = odata_type;
    let mut outcome = Ok(());
    let additional = value.fields(&mut |index, field| {
        if outcome.is_err() {
            return;
        }
        if !(annotated && index == 0) {
            if let Some(odata_type) = fallback.take() {
                outcome = entry(ODATA_TYPE, View::Str(odata_type));
            }
        } else {
            fallback = None;
        }
        if let (Ok(()), Some(view)) = (&outcome, field.view()) {
            outcome = entry(names[index], view);
        }
    });
    outcome?;
    if let Some(odata_type) = fallback {
        entry(ODATA_TYPE, View::Str(odata_type))?;
    }
    for (name, property) in additional {
        entry(name, View::Json(property))?;
    }
    Ok(())
}

/// A generated struct's or `AnyX`'s `Debug`: its name and the entries it writes (see
/// [`each_entry`]), by wire name, values as their JSON; `{:#?}` indents. An absent field
/// is left out, a null one shows `null`. A derived `Debug` listed every field (hundreds
/// in a resource, most absent) and was one of the largest bodies rustc checked per
/// struct.
pub fn debug(name: &str, view: View<'_>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let Some((value, table, odata_type)) = view.entries() else {
        return fmt::Debug::fmt(&Shown(view), f);
    };
    let mut fields = f.debug_struct(name);
    each_entry(value, table, odata_type, |name, view| {
        fields.field(name, &Shown(view));
        Ok::<(), fmt::Error>(())
    })?;
    fields.finish()
}

/// A value inside [`debug`]: objects and lists through the formatter's builders (so
/// that `{:#?}` indents them), anything else as its JSON.
struct Shown<'a>(View<'a>);

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((value, table, odata_type)) = self.0.entries() {
            let mut entries = f.debug_map();
            each_entry(value, table, odata_type, |name, view| {
                entries.entry(&Key(name), &Shown(view));
                Ok::<(), fmt::Error>(())
            })?;
            return entries.finish();
        }
        match self.0 {
            View::List(list, count) => f
                .debug_list()
                .entries((0..count).map(|index| Shown(list.item(index))))
                .finish(),
            View::Json(value) => fmt::Debug::fmt(&ShownJson(value), f),
            scalar => {
                let mut out = Vec::new();
                crate::writer::write(&mut out, scalar).map_err(|_| fmt::Error)?;
                f.write_str(&String::from_utf8_lossy(&out))
            }
        }
    }
}

/// A wire name inside [`debug`], unquoted as a struct's field names are.
struct Key<'a>(&'a str);

impl fmt::Debug for Key<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// A JSON value inside [`debug`], shown as [`Shown`] shows the typed ones.
struct ShownJson<'a>(&'a Value);

impl fmt::Debug for ShownJson<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Value::Array(items) => f.debug_list().entries(items.iter().map(ShownJson)).finish(),
            Value::Object(map) => f
                .debug_map()
                .entries(map.iter().map(|(name, item)| (Key(name), ShownJson(item))))
                .finish(),
            scalar => write!(f, "{scalar}"),
        }
    }
}

/// A value as JSON, as `serde_json::to_vec` writes it, byte for byte, by the runtime's
/// own writer: the client sends request bodies with it.
pub fn to_vec<T: Encode + ?Sized>(value: &T) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = Vec::with_capacity(256);
    crate::writer::write(&mut out, value.view())?;
    Ok(out)
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
    links: &'a mut PageLinks,
}

impl<'de> Visitor<'de> for &mut PageVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a collection page: a JSON object with `value`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = next_key(&mut map)? {
            match &*key {
                "value" if !self.links.found => {
                    map.next_value_seed(SlotSeed(&mut Array(&mut *self.items)))?;
                    self.links.found = true;
                }
                "@odata.nextLink" => self.links.next_link = map.next_value()?,
                "@odata.deltaLink" => self.links.delta_link = map.next_value()?,
                "@odata.count" => self.links.count = map.next_value()?,
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

/// A type's wire names by hash, built once per type on first use ([`Table`]): a key then
/// costs a hash and one comparison, where a binary search through names scattered in
/// memory cost a sixth of the time spent reading.
pub(crate) struct NameIndex {
    names: &'static [&'static str],
    /// Open addressing: index + 1 of the name whose hash lands here (or after), 0 empty.
    slots: Box<[u32]>,
}

impl NameIndex {
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

    /// The field of `object` (a value of the type these are the names of) that `key`
    /// names, or its additional properties when none does.
    pub(crate) fn field<'o>(
        &self,
        object: &'o mut dyn Object,
        key: &str,
    ) -> Result<&'o mut dyn Field, &'o mut Map> {
        object.field_mut(self.find(key).unwrap_or(ADDITIONAL))
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
    match names.field(value, &key) {
        Ok(field) => map.next_value_seed(SlotSeed(field)),
        Err(additional) => {
            let property: Value = map.next_value()?;
            additional.insert(key.into_owned(), property);
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
    match value.table().index().field(value, &key) {
        Ok(field) => read(field, property)
            .map_err(|error| serde_json::Error::custom(format!("`{key}`: {error}"))),
        Err(additional) => {
            additional.insert(key, property);
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
    let mut names = value.object().table().index();
    // Whether the value holds anything yet: nothing to move when `@odata.type` comes first.
    let mut holds = false;
    while let Some(key) = next_key(&mut map)? {
        if key != ODATA_TYPE {
            read_entry(value.object_mut(), names, key, &mut map)?;
            holds = true;
            continue;
        }
        let property: Value = map.next_value()?;
        retype(value, holds, property).map_err(A::Error::custom)?;
        names = value.object().table().index();
        holds = true;
    }
    Ok(())
}

/// `@odata.type` read in an `AnyX`: a string picks the variant, and what was read
/// before it (when the value `holds` anything) moves to the new variant; then the
/// annotation itself is put.
pub(crate) fn retype(
    value: &mut dyn Polymorphic,
    holds: bool,
    property: Value,
) -> Result<(), serde_json::Error> {
    if let Value::String(odata_type) = &property {
        let read = if holds {
            entries(value.object())?
        } else {
            serde_json::Map::new()
        };
        value.select(odata_type.trim_start_matches('#'));
        for (key, entry) in read {
            put_entry(value.object_mut(), key, entry)?;
        }
    }
    put_entry(value.object_mut(), ODATA_TYPE.to_owned(), property)
}

/// The properties an object holds, as JSON.
fn entries(value: &dyn Object) -> Result<serde_json::Map<String, Value>, serde_json::Error> {
    match serialize(value, value.table(), None, serde_json::value::Serializer)? {
        Value::Object(map) => Ok(map),
        _ => Ok(serde_json::Map::new()),
    }
}

/// `Serialize`, `Deserialize` and `Debug` of a type read and written through a table,
/// a struct or an `AnyX`, by its `Encode` and `Decode`: a struct's are the impls for
/// every `Object`; an `AnyX` has its own.
#[doc(hidden)]
#[macro_export]
macro_rules! table_traits {
    ($name:ident) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                $crate::object::serialize_view($crate::object::Encode::view(self), serializer)
            }
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                $crate::object::debug(stringify!($name), $crate::object::Encode::view(self), f)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::object::deserialize(deserializer)
            }
        }
    };
}
#[doc(hidden)]
pub use crate::table_traits;

/// A property of a generated struct, for `$select` and `$expand`
/// ([`crate::Request::select`]): each struct `X` has an enum `properties::X` with a
/// variant per property (`properties::User::DisplayName`), so a name the type does not
/// have does not compile. The enum is nothing but its variants and this impl: every
/// function or constant of a generated type is a body the compiler checks on its own,
/// and a constant per property was 21,000 of them in a large API.
///
/// # Safety
/// `Self` is a fieldless enum, `#[repr(u32)]` unless it has no variant, whose variant
/// `i` has the discriminant `i` and the wire name `NAMES[i]`.
pub unsafe trait Property {
    const NAMES: &'static [&'static str];
}

/// The wire name of a property (`displayName`).
pub fn property_name<P: Property>(property: &P) -> &'static str {
    // SAFETY: a value of a `Property` enum is its `u32` discriminant, an index of
    // `NAMES` (an enum with no variant has no value to read).
    let index = unsafe { std::ptr::from_ref(property).cast::<u32>().read() };
    P::NAMES[index as usize]
}

/// A result whose properties a request can select: a generated struct, an `AnyX` (the
/// properties of its base type) or a page of either.
pub trait Selectable {
    /// The enum of the struct's properties.
    type Property: Property;
}

impl<T: Selectable> Selectable for crate::Page<T> {
    type Property = T::Property;
}

/// A generated struct's traits: equality and copies field by field, the rest through its
/// table.
#[doc(hidden)]
#[macro_export]
macro_rules! object_traits {
    ($name:ident) => {
        impl ::std::cmp::PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                $crate::object::eq(self, other)
            }
        }

        impl ::std::clone::Clone for $name {
            fn clone(&self) -> Self {
                $crate::object::clone(self)
            }
        }

        $crate::object::table_traits!($name);
    };
}
#[doc(hidden)]
pub use crate::object_traits;

/// An `AnyX`'s traits, through its current variant (its `PartialEq` is derived).
#[doc(hidden)]
#[macro_export]
macro_rules! polymorphic_traits {
    ($name:ident) => {
        $crate::object::table_traits!($name);

        impl $crate::object::Encode for $name {
            fn view(&self) -> $crate::object::View<'_> {
                $crate::object::View::Polymorphic(self)
            }
        }

        impl $crate::object::Decode for $name {
            const EXPECTING: &'static str = "a JSON object";
            fn fresh() -> ::std::option::Option<Self> {
                ::std::option::Option::Some(::std::default::Default::default())
            }
            fn open(&mut self) -> $crate::object::Open<'_> {
                $crate::object::Open::Polymorphic(self)
            }
        }
    };
}
#[doc(hidden)]
pub use crate::polymorphic_traits;

/// `Serialize`, `Deserialize`, `Encode`, `Decode`, `Debug`, `Eq` and `Hash` of a documented
/// enumeration, by wire name: `{:?}` shows the wire name as JSON does (`"enabled"`). Derived,
/// `Debug` and `Hash` were each a `match` of every variant for rustc to check, and the
/// enumerations' derives a tenth of the check of a crate of many enumerations.
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

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Debug::fmt($crate::WireEnum::as_str(self), f)
            }
        }

        // `Eq` by hand: derived, it is a body per enumeration for rustc to check.
        impl ::std::cmp::Eq for $name {}

        impl ::std::hash::Hash for $name {
            fn hash<H: ::std::hash::Hasher>(&self, state: &mut H) {
                ::std::hash::Hash::hash($crate::WireEnum::as_str(self), state)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The date-times read here are the ones chrono reads, with the same value; the
    /// others are left to chrono.
    #[test]
    fn date_times_are_read_as_chrono_reads_them() {
        let texts = [
            "2021-01-19T20:02:36.013Z",
            "2021-01-19T20:02:36.0130000Z",
            "2021-01-19T20:02:36Z",
            "2021-01-19T20:02:36.123456789+05:30",
            "2021-01-19T20:02:36.1-08:00",
            "2021-01-19T20:02:36-00:00",
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59.9999999Z",
            "2016-12-31T23:59:60Z",
            "2021-02-30T20:02:36Z",
            "2021-01-19T24:00:00Z",
            "2021-01-19T20:02:36.1234567891Z",
            "2021-01-19T20:02:36.Z",
            "2021-01-19 20:02:36Z",
            "2021-01-19t20:02:36z",
            "2021-01-19T20:02:36+24:00",
            "2021-01-19T20:02:36+0530",
            "2021-01-19T20:02",
            "2021-01-19",
            "",
        ];
        // chrono's equality is the instant's; the offset must match too.
        let exactly = |value: Option<chrono::DateTime<chrono::FixedOffset>>| {
            value.map(|value| (value, value.offset().local_minus_utc()))
        };
        for text in texts {
            let chrono = text.parse::<chrono::DateTime<chrono::FixedOffset>>().ok();
            let fast = rfc3339(text);
            assert!(
                fast.is_none() || exactly(fast) == exactly(chrono),
                "{text}: {fast:?} against {chrono:?}"
            );
            let read = <chrono::DateTime<chrono::FixedOffset>>::from_scalar(Scalar::Str(text));
            assert_eq!(exactly(read.ok()), exactly(chrono), "{text}");
        }
        assert!(rfc3339("2021-01-19T20:02:36.0130000Z").is_some());
        assert!(rfc3339("2021-01-19T20:02:36+05:30").is_some());
    }
}
