//! Wire forms JSON has no type for: a property that may be absent, `null` or set; enum
//! members combined as flags; and the Edm primitives that need more than a string
//! (Binary, Decimal, Duration). This file is the runtime crate's `src/wire.rs`, copied
//! as it is, and is also compiled into the generator, which checks the docs' examples
//! with the same parsers the generated code reads them with.

use std::fmt;
use std::str::FromStr;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A property that may be absent, `null` or set. An update (PATCH) body needs all three:
/// an absent property is left as it is, a `null` one is cleared.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Nullable<T> {
    /// Not in the JSON object: leave it unchanged.
    #[default]
    Absent,
    /// `null`: no value, or clear the value.
    Null,
    /// A value.
    Value(T),
}

impl<T> Nullable<T> {
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, if set.
    pub fn get(&self) -> Option<&T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// The value, if set, to change in place.
    pub fn get_mut(&mut self) -> Option<&mut T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// The value, if set; absent and `null` are both `None`.
    pub fn into_option(self) -> Option<T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }
}

/// A property that holds a resource of another area is kept as JSON, so that each area
/// compiles on its own; `parse` reads it as its type.
impl Nullable<serde_json::Value> {
    /// The value read as `T` (such as `types::AnyDirectoryObject`).
    pub fn parse<T: serde::de::DeserializeOwned>(&self) -> Result<Nullable<T>, serde_json::Error> {
        match self {
            Nullable::Value(value) => T::deserialize(value).map(Nullable::Value),
            Nullable::Absent => Ok(Nullable::Absent),
            Nullable::Null => Ok(Nullable::Null),
        }
    }
}

/// A collection of resources of another area, kept as JSON.
impl Nullable<Vec<serde_json::Value>> {
    /// Each value read as `T`.
    pub fn parse<T: serde::de::DeserializeOwned>(
        &self,
    ) -> Result<Nullable<Vec<T>>, serde_json::Error> {
        match self {
            Nullable::Value(values) => values
                .iter()
                .map(T::deserialize)
                .collect::<Result<_, _>>()
                .map(Nullable::Value),
            Nullable::Absent => Ok(Nullable::Absent),
            Nullable::Null => Ok(Nullable::Null),
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(value) => value.serialize(serializer),
            // Structs skip absent fields; anywhere else absent is written as null.
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(|value| match value {
            Some(value) => Nullable::Value(value),
            None => Nullable::Null,
        })
    }
}

/// A documented enumeration: its members have wire names, and a value the docs do not
/// list is kept as sent.
pub trait WireEnum: Sized {
    /// The value as it is written on the wire.
    fn as_str(&self) -> &str;
    /// The member for a wire value; values the docs do not list are kept.
    fn from_wire(value: &str) -> Self;
}

/// Serializes a documented enumeration as its wire name.
pub fn serialize_enum<E: WireEnum, S: Serializer>(
    value: &E,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(value.as_str())
}

/// Deserializes a documented enumeration from its wire name; any string is accepted.
pub fn deserialize_enum<'de, E: WireEnum, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<E, D::Error> {
    String::deserialize(deserializer).map(|value| E::from_wire(&value))
}

/// Members of a flag enumeration, written comma-separated (`"read,write"`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Flags<E>(pub Vec<E>);

impl<E> Default for Flags<E> {
    fn default() -> Self {
        Flags(Vec::new())
    }
}

impl<E: WireEnum> Flags<E> {
    /// The members of a comma-separated value.
    pub fn parse(text: &str) -> Self {
        Flags(
            text.split(',')
                .map(str::trim)
                .filter(|member| !member.is_empty())
                .map(E::from_wire)
                .collect(),
        )
    }

    /// Whether `member` is one of the flags.
    pub fn contains(&self, member: &E) -> bool
    where
        E: PartialEq,
    {
        self.0.contains(member)
    }
}

impl<E: WireEnum> Serialize for Flags<E> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let members: Vec<&str> = self.0.iter().map(E::as_str).collect();
        serializer.serialize_str(&members.join(","))
    }
}

impl<'de, E: WireEnum> Deserialize<'de> for Flags<E> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|text| Flags::parse(&text))
    }
}

/// A value that is not the wire form of its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// The type expected, such as `Edm.Duration`.
    pub expected: &'static str,
    pub text: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a valid {}", self.text, self.expected)
    }
}

impl std::error::Error for ParseError {}

fn parse_error(expected: &'static str, text: &str) -> ParseError {
    ParseError {
        expected,
        text: text.chars().take(80).collect(),
    }
}

/// `Edm.Binary`: bytes, base64 on the wire. Both base64 alphabets are read, with or
/// without padding; the standard one, padded, is written.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Binary(pub Vec<u8>);

impl Binary {
    pub fn decode(text: &str) -> Result<Binary, ParseError> {
        use base64::Engine as _;
        use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
        let config = GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true);
        let standard = GeneralPurpose::new(&base64::alphabet::STANDARD, config);
        let url_safe = GeneralPurpose::new(&base64::alphabet::URL_SAFE, config);
        standard
            .decode(text)
            .or_else(|_| url_safe.decode(text))
            .map(Binary)
            .map_err(|_| parse_error("Edm.Binary (base64)", text))
    }

    pub fn encode(&self) -> String {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(&self.0)
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for Binary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Binary({:?})", self.encode())
    }
}

impl FromStr for Binary {
    type Err = ParseError;
    fn from_str(text: &str) -> Result<Self, ParseError> {
        Binary::decode(text)
    }
}

impl Serialize for Binary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.encode())
    }
}

impl<'de> Deserialize<'de> for Binary {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Binary::decode(&text).map_err(D::Error::custom)
    }
}

/// `Edm.Decimal`, kept as decimal text so that no digit is lost. A decimal sent as a
/// string (OData's IEEE754Compatible form) is written back as a string; one sent as a
/// JSON number is written back as a number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Decimal {
    text: String,
    quoted: bool,
}

impl Decimal {
    /// A decimal from its text: an optional sign, digits with an optional fraction, and
    /// an optional exponent.
    pub fn parse(text: &str) -> Result<Decimal, ParseError> {
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
        let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
            Some((m, e)) => (m, Some(e.strip_prefix(['-', '+']).unwrap_or(e))),
            None => (unsigned, None),
        };
        let (whole, fraction) = match mantissa.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (mantissa, None),
        };
        let valid = digits(whole) && fraction.is_none_or(digits) && exponent.is_none_or(digits);
        if !valid {
            return Err(parse_error("Edm.Decimal", text));
        }
        Ok(Decimal {
            text: text.to_owned(),
            quoted: true,
        })
    }

    /// The decimal as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The nearest `f64`.
    pub fn to_f64(&self) -> f64 {
        self.text.parse().unwrap_or(f64::NAN)
    }
}

impl FromStr for Decimal {
    type Err = ParseError;
    fn from_str(text: &str) -> Result<Self, ParseError> {
        Decimal::parse(text)
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.quoted {
            return serializer.serialize_str(&self.text);
        }
        match self.text.parse::<i64>() {
            Ok(integer) => serializer.serialize_i64(integer),
            Err(_) => serializer.serialize_f64(self.to_f64()),
        }
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Decimal;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a decimal number or a decimal string")
            }
            fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Decimal, E> {
                Ok(Decimal {
                    text: value.to_string(),
                    quoted: false,
                })
            }
            fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Decimal, E> {
                Ok(Decimal {
                    text: value.to_string(),
                    quoted: false,
                })
            }
            fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Decimal, E> {
                // Display prints the shortest text that reads back as the same f64.
                Ok(Decimal {
                    text: value.to_string(),
                    quoted: false,
                })
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Decimal, E> {
                Decimal::parse(text).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// `Edm.Duration`: an ISO 8601 duration such as `P1DT2H30M` or `-PT0.5S`, kept as
/// written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Duration {
    text: String,
    negative: bool,
    /// Years and months: lengths that vary, so no exact `std::time::Duration`.
    calendar: bool,
    seconds: u64,
    nanos: u32,
}

impl Duration {
    /// `[-]P[nY][nM][nW][nD][T[nH][nM][n[.f]S]]` with at least one part.
    pub fn parse(text: &str) -> Result<Duration, ParseError> {
        let error = || parse_error("Edm.Duration (ISO 8601, such as P1DT2H)", text);
        let (negative, rest) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let rest = rest.strip_prefix('P').ok_or_else(error)?;
        let (date, time) = match rest.split_once('T') {
            Some((date, time)) if !time.is_empty() => (date, Some(time)),
            Some(_) => return Err(error()),
            None => (rest, None),
        };
        let mut parts = 0;
        let mut calendar = false;
        let mut seconds: u64 = 0;
        let mut add = |number: &str, unit: u64| -> Option<()> {
            let value: u64 = number.parse().ok()?;
            seconds = seconds.checked_add(value.checked_mul(unit)?)?;
            Some(())
        };
        for (number, designator) in components(date).ok_or_else(error)? {
            parts += 1;
            match designator {
                // Years and months have no fixed length: kept as text only.
                'Y' | 'M' => {
                    calendar = true;
                    add(number, 0)
                }
                'W' => add(number, 7 * 86_400),
                'D' => add(number, 86_400),
                _ => None,
            }
            .ok_or_else(error)?;
        }
        let mut nanos = 0;
        if let Some(time) = time {
            for (number, designator) in components(time).ok_or_else(error)? {
                parts += 1;
                match designator {
                    'H' => add(number, 3_600),
                    'M' => add(number, 60),
                    'S' => {
                        let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
                        if fraction.len() > 9 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
                            return Err(error());
                        }
                        nanos = format!("{fraction:0<9}").parse().map_err(|_| error())?;
                        add(whole, 1)
                    }
                    _ => None,
                }
                .ok_or_else(error)?;
            }
        }
        if parts == 0 {
            return Err(error());
        }
        Ok(Duration {
            text: text.to_owned(),
            negative,
            calendar,
            seconds,
            nanos,
        })
    }

    /// The duration as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The length of time, when it has one: not negative, and no years or months.
    pub fn to_std(&self) -> Option<std::time::Duration> {
        (!self.negative && !self.calendar)
            .then(|| std::time::Duration::new(self.seconds, self.nanos))
    }
}

/// `12D3H` to `[("12", 'D'), ("3", 'H')]`; `None` if a number has no designator.
fn components(text: &str) -> Option<Vec<(&str, char)>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c.is_ascii_digit() || c == '.' {
            continue;
        }
        if i == start {
            return None;
        }
        out.push((&text[start..i], c));
        start = i + c.len_utf8();
    }
    (start == text.len()).then_some(out)
}

impl FromStr for Duration {
    type Err = ParseError;
    fn from_str(text: &str) -> Result<Self, ParseError> {
        Duration::parse(text)
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for Duration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Duration::parse(&text).map_err(D::Error::custom)
    }
}
