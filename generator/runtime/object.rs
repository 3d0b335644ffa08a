//! How the generated structs and `AnyX` enums are read, written and compared: through a
//! table of their fields, by the one visitor here, rather than by a serde derive per
//! type. A derive expands to dozens of lines per field, which the compiler must check
//! and optimize for every struct; a table is one line per field, and the code that
//! walks it is compiled once. This file is the generated crate's `src/object.rs`,
//! copied as it is.
//!
//! Nothing is lost: properties the docs do not list land in `additional_properties`,
//! and `@odata.type` in `odata_type` (for an `AnyX`, it picks the variant first).

use std::any::Any;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{DeserializeSeed, Error as _, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::ser::SerializeMap;
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

/// A value read from any deserializer through the few visitors here, which are compiled
/// once, rather than through a serde visitor per type (and per format).
pub trait Decode: Sized {
    fn decode(deserializer: &mut dyn erased_serde::Deserializer<'_>) -> Result<Self, erased_serde::Error>;
}

/// Values serde reads well on its own: one instantiation per type, shared by every field.
macro_rules! decode_with_serde {
    ($($ty:ty),* $(,)?) => {
        $(
            impl Decode for $ty {
                fn decode(deserializer: &mut dyn erased_serde::Deserializer<'_>) -> Result<Self, erased_serde::Error> {
                    erased_serde::deserialize(deserializer)
                }
            }
        )*
    };
}

decode_with_serde!(
    bool,
    u8,
    i8,
    i16,
    i32,
    i64,
    f32,
    f64,
    Value,
    uuid::Uuid,
    chrono::NaiveDate,
    chrono::NaiveTime,
    chrono::DateTime<chrono::FixedOffset>,
    crate::Binary,
    crate::Decimal,
    crate::Duration,
);

impl<T: Decode> Decode for Box<T> {
    fn decode(deserializer: &mut dyn erased_serde::Deserializer<'_>) -> Result<Self, erased_serde::Error> {
        T::decode(deserializer).map(Box::new)
    }
}

impl<T: Decode> Decode for Vec<T> {
    fn decode(deserializer: &mut dyn erased_serde::Deserializer<'_>) -> Result<Self, erased_serde::Error> {
        let mut items = Vec::new();
        deserializer.deserialize_seq(SeqVisitor(&mut items))?;
        Ok(items)
    }
}

impl<E: crate::WireEnum> Decode for crate::Flags<E> {
    fn decode(deserializer: &mut dyn erased_serde::Deserializer<'_>) -> Result<Self, erased_serde::Error> {
        String::decode(deserializer).map(|text| crate::Flags::parse(&text))
    }
}

/// A documented enumeration, from its wire name; any string is accepted.
pub fn decode_enum<E: crate::WireEnum>(
    deserializer: &mut dyn erased_serde::Deserializer<'_>,
) -> Result<E, erased_serde::Error> {
    String::decode(deserializer).map(|text| E::from_wire(&text))
}

/// A generated struct, read in place.
pub fn decode_object<T: Object + Default>(
    deserializer: &mut dyn erased_serde::Deserializer<'_>,
) -> Result<T, erased_serde::Error> {
    let mut value = T::default();
    deserializer.deserialize_map(ObjectVisitor(&mut value))?;
    Ok(value)
}

/// An `AnyX`, read in place.
pub fn decode_polymorphic<T: Polymorphic + Default>(
    deserializer: &mut dyn erased_serde::Deserializer<'_>,
) -> Result<T, erased_serde::Error> {
    let mut value = T::default();
    deserializer.deserialize_map(PolymorphicVisitor(&mut value))?;
    Ok(value)
}

/// A response body: one JSON value and nothing after it.
pub fn from_slice<T: Decode>(body: &[u8]) -> Result<T, serde_json::Error> {
    let mut json = serde_json::Deserializer::from_slice(body);
    let value = T::decode(&mut <dyn erased_serde::Deserializer>::erase(&mut json))
        .map_err(serde_json::Error::custom)?;
    json.end()?;
    Ok(value)
}

/// The items of a collection response: the page's `value`.
pub fn collection_from_slice<T: Decode>(body: &[u8]) -> Result<Vec<T>, serde_json::Error> {
    let mut json = serde_json::Deserializer::from_slice(body);
    let mut items = Vec::new();
    let mut found = false;
    serde::Deserializer::deserialize_map(&mut json, PageVisitor(&mut items, &mut found))?;
    json.end()?;
    if !found {
        return Err(serde_json::Error::missing_field("value"));
    }
    Ok(items)
}

/// A field of a generated struct: its value read and written without knowing its type.
pub trait Field: erased_serde::Serialize + Any {
    /// Not written at all (an absent property, or no `@odata.type`).
    fn is_absent(&self) -> bool;
    /// Reads the field's value, replacing what it held.
    fn read<'de>(
        &mut self,
        deserializer: &mut dyn erased_serde::Deserializer<'de>,
    ) -> Result<(), erased_serde::Error>;
    /// Whether `other` is a field of the same type with an equal value.
    fn equals(&self, other: &dyn Field) -> bool;
}

impl<T: Decode + Serialize + PartialEq + 'static> Field for crate::Nullable<T> {
    fn is_absent(&self) -> bool {
        crate::Nullable::is_absent(self)
    }

    fn read<'de>(
        &mut self,
        deserializer: &mut dyn erased_serde::Deserializer<'de>,
    ) -> Result<(), erased_serde::Error> {
        deserializer.deserialize_option(NullableVisitor(self))
    }

    fn equals(&self, other: &dyn Field) -> bool {
        (other as &dyn Any).downcast_ref::<Self>() == Some(self)
    }
}

/// `odata_type`: written only when set.
impl Field for Option<String> {
    fn is_absent(&self) -> bool {
        self.is_none()
    }

    fn read<'de>(
        &mut self,
        deserializer: &mut dyn erased_serde::Deserializer<'de>,
    ) -> Result<(), erased_serde::Error> {
        *self = erased_serde::deserialize(deserializer)?;
        Ok(())
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

/// Writes a struct as a JSON object: `@odata.type` first (`odata_type` when the value
/// has none: a derived type read through its base must say what it is), then every
/// field that is not absent, then the properties the docs do not list.
pub fn serialize<S: Serializer>(
    value: &dyn Object,
    odata_type: Option<&str>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let names = value.names();
    let mut map = serializer.serialize_map(None)?;
    let annotation = names.binary_search(&ODATA_TYPE).ok();
    match annotation.and_then(|i| value.field(i)) {
        Some(field) if !field.is_absent() => {
            let field: &dyn erased_serde::Serialize = field;
            map.serialize_entry(ODATA_TYPE, field)?
        }
        _ => {
            if let Some(odata_type) = odata_type {
                map.serialize_entry(ODATA_TYPE, odata_type)?;
            }
        }
    }
    for (index, name) in names.iter().enumerate() {
        if Some(index) == annotation {
            continue;
        }
        if let Some(field) = value.field(index).filter(|field| !field.is_absent()) {
            let field: &dyn erased_serde::Serialize = field;
            map.serialize_entry(name, field)?;
        }
    }
    for (name, property) in value.additional_properties() {
        map.serialize_entry(name, property)?;
    }
    map.end()
}

/// `Deserialize` of the generated structs and `AnyX` enums, for any format: the
/// deserializer is erased once and the value read by its `Decode`, the one reading path.
pub fn deserialize<'de, T: Decode, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    T::decode(&mut <dyn erased_serde::Deserializer>::erase(deserializer)).map_err(D::Error::custom)
}

/// An `AnyX` enum: a variant per type, picked by `@odata.type`.
pub trait Polymorphic {
    /// Becomes the variant for the type an `@odata.type` names (without `#` and
    /// namespace), or the base type's for a name this crate does not know.
    fn select(&mut self, type_name: &str);
    /// The value of the current variant.
    fn object(&self) -> &dyn Object;
    fn object_mut(&mut self) -> &mut dyn Object;
    /// The `@odata.type` the current variant is written with when its value has none:
    /// a derived type must say what it is; the base type need not.
    fn variant_odata_type(&self) -> Option<&'static str>;
}

/// Writes an `AnyX` as its current variant's object.
pub fn serialize_polymorphic<S: Serializer>(
    value: &dyn Polymorphic,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serialize(value.object(), value.variant_odata_type(), serializer)
}

/// The type name in an `@odata.type`, without `#` and namespace
/// (`#microsoft.graph.user` is `user`).
pub fn type_name(odata_type: &str) -> &str {
    let name = odata_type.trim_start_matches('#');
    name.rsplit('.').next().unwrap_or(name)
}

/// `null` or a value, into a `Nullable` whose type only it knows.
trait NullableSlot {
    fn set_null(&mut self);
    fn read_value(&mut self, deserializer: &mut dyn erased_serde::Deserializer<'_>) -> Result<(), erased_serde::Error>;
}

impl<T: Decode> NullableSlot for crate::Nullable<T> {
    fn set_null(&mut self) {
        *self = crate::Nullable::Null;
    }

    fn read_value(&mut self, deserializer: &mut dyn erased_serde::Deserializer<'_>) -> Result<(), erased_serde::Error> {
        *self = crate::Nullable::Value(T::decode(deserializer)?);
        Ok(())
    }
}

struct NullableVisitor<'a>(&'a mut dyn NullableSlot);

impl<'de> Visitor<'de> for NullableVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("null or a value")
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
        self.0.set_null();
        Ok(())
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        self.0.set_null();
        Ok(())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        let mut erased = <dyn erased_serde::Deserializer>::erase(deserializer);
        self.0.read_value(&mut erased).map_err(D::Error::custom)
    }
}

/// The items of a `Vec` whose item type only it knows.
trait Items {
    fn read_item(&mut self, deserializer: &mut dyn erased_serde::Deserializer<'_>) -> Result<(), erased_serde::Error>;
}

impl<T: Decode> Items for Vec<T> {
    fn read_item(&mut self, deserializer: &mut dyn erased_serde::Deserializer<'_>) -> Result<(), erased_serde::Error> {
        self.push(T::decode(deserializer)?);
        Ok(())
    }
}

struct ItemSeed<'a>(&'a mut dyn Items);

impl<'de> DeserializeSeed<'de> for ItemSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        let mut erased = <dyn erased_serde::Deserializer>::erase(deserializer);
        self.0.read_item(&mut erased).map_err(D::Error::custom)
    }
}

struct SeqVisitor<'a>(&'a mut dyn Items);

impl<'de> Visitor<'de> for SeqVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON array")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(ItemSeed(&mut *self.0))?.is_some() {}
        Ok(())
    }
}

struct ItemsSeed<'a>(&'a mut dyn Items);

impl<'de> DeserializeSeed<'de> for ItemsSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(SeqVisitor(self.0))
    }
}

/// A collection page: its `value` read into the items, everything else skipped.
struct PageVisitor<'a>(&'a mut dyn Items, &'a mut bool);

impl<'de> Visitor<'de> for PageVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a collection page: a JSON object with `value`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = next_key(&mut map)? {
            if key == "value" && !*self.1 {
                map.next_value_seed(ItemsSeed(&mut *self.0))?;
                *self.1 = true;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// The next key of `map`, borrowed from the input when it can be. It is read through a
/// seed that returns nothing: a value returned through `erased-serde` is boxed.
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

/// A string read into place (a `String` returned through `erased-serde` would be boxed).
struct StringInto<'a>(&'a mut String);

impl<'de> Visitor<'de> for StringInto<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<(), E> {
        self.0.push_str(text);
        Ok(())
    }
    fn visit_string<E: serde::de::Error>(self, text: String) -> Result<(), E> {
        *self.0 = text;
        Ok(())
    }
}

impl Decode for String {
    fn decode(deserializer: &mut dyn erased_serde::Deserializer<'_>) -> Result<Self, erased_serde::Error> {
        let mut text = String::new();
        deserializer.deserialize_string(StringInto(&mut text))?;
        Ok(text)
    }
}

/// Reads a value into a field whose type only the field knows.
struct FieldSeed<'a>(&'a mut dyn Field);

impl<'de> DeserializeSeed<'de> for FieldSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        let mut erased = <dyn erased_serde::Deserializer>::erase(deserializer);
        self.0.read(&mut erased).map_err(D::Error::custom)
    }
}

/// Reads the next value of `map` into the field `key` names, or into the additional
/// properties.
fn read_entry<'de, A: MapAccess<'de>>(
    value: &mut dyn Object,
    key: Cow<'de, str>,
    map: &mut A,
) -> Result<(), A::Error> {
    let found = value.names().binary_search(&key.as_ref()).ok();
    match found.and_then(|i| value.field_mut(i)) {
        Some(field) => map.next_value_seed(FieldSeed(field)),
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
fn put_entry(value: &mut dyn Object, key: String, property: Value) -> Result<(), serde_json::Error> {
    let found = value.names().binary_search(&key.as_str()).ok();
    match found.and_then(|i| value.field_mut(i)) {
        Some(field) => {
            let mut erased = <dyn erased_serde::Deserializer>::erase(property);
            field
                .read(&mut erased)
                .map_err(|error| serde_json::Error::custom(format!("`{key}`: {error}")))
        }
        None => {
            value.additional_properties_mut().insert(key, property);
            Ok(())
        }
    }
}

struct ObjectVisitor<'a>(&'a mut dyn Object);

impl<'de> Visitor<'de> for ObjectVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = next_key(&mut map)? {
            read_entry(self.0, key, &mut map)?;
        }
        Ok(())
    }
}

struct PolymorphicVisitor<'a>(&'a mut dyn Polymorphic);

impl<'de> Visitor<'de> for PolymorphicVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        // Read into the base type's variant until `@odata.type` says otherwise; the
        // service writes it first, so what was read before it is rarely more than an
        // annotation, and is moved to the new variant.
        while let Some(key) = next_key(&mut map)? {
            if key != ODATA_TYPE {
                read_entry(self.0.object_mut(), key, &mut map)?;
                continue;
            }
            let property: Value = map.next_value()?;
            if let Value::String(odata_type) = &property {
                let read = entries(self.0.object()).map_err(A::Error::custom)?;
                self.0.select(type_name(odata_type));
                for (key, value) in read {
                    put_entry(self.0.object_mut(), key, value).map_err(A::Error::custom)?;
                }
            }
            put_entry(self.0.object_mut(), key.into_owned(), property).map_err(A::Error::custom)?;
        }
        Ok(())
    }
}

/// The properties an object holds, as JSON (nothing for an object just made).
fn entries(value: &dyn Object) -> Result<serde_json::Map<String, Value>, serde_json::Error> {
    let fresh = value.additional_properties().is_empty()
        && (0..value.names().len()).all(|i| value.field(i).is_none_or(|f| f.is_absent()));
    if fresh {
        return Ok(serde_json::Map::new());
    }
    match serialize(value, None, serde_json::value::Serializer)? {
        Value::Object(map) => Ok(map),
        _ => Ok(serde_json::Map::new()),
    }
}

/// `PartialEq`, `Serialize` and `Deserialize` of a generated struct, through its table.
macro_rules! object_traits {
    ($name:ident) => {
        impl ::std::cmp::PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                $crate::object::eq(self, other)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                $crate::object::serialize(self, ::std::option::Option::None, serializer)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                $crate::object::deserialize(deserializer)
            }
        }

        impl $crate::object::Decode for $name {
            fn decode(
                deserializer: &mut dyn ::erased_serde::Deserializer<'_>,
            ) -> ::std::result::Result<Self, ::erased_serde::Error> {
                $crate::object::decode_object(deserializer)
            }
        }
    };
}
pub(crate) use object_traits;
