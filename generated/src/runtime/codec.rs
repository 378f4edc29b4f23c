//! Codecs: how one kind of schema field is read from a [`Value`], written
//! back, decoded from a serde format and encoded to one.
//!
//! Generated code names a codec per field (`codec::Str`, `codec::List<codec::Int>`,
//! `codec::Rec<ForwardFor>`, ...); the codec holds all the rules of its kind,
//! so that parsing from a `Value` and decoding from bytes refuse exactly the
//! same inputs with the same messages.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserializer, Serialize, Serializer};

use super::error::{Error, Path};
use super::value::{Map, Number, Value, describe_str};

/// How deep lists and maps may nest inside one decoded value.
pub const MAX_DEPTH: u32 = 128;

/// The rules for one kind of field.
pub trait Codec {
    /// The Rust type a field of this kind holds.
    type Out;

    /// What this kind accepts, for error messages.
    fn expected() -> Cow<'static, str>;

    /// Reads a non-null value.
    fn from_value(v: &Value, at: &Path<'_>) -> Result<Self::Out, Error>;

    /// Writes the field back as a value.
    fn to_value(x: &Self::Out) -> Value;

    /// Writes the field back as a value, moving what it owns (strings,
    /// lists, maps) instead of copying it.
    fn into_value(x: Self::Out) -> Value {
        Self::to_value(&x)
    }

    /// Writes the field to a serde format.
    fn encode<S: Serializer>(x: &Self::Out, s: S) -> Result<S::Ok, S::Error>;

    /// What a `null` inside a list of this kind stands for, if anything.
    fn null_element() -> Option<Self::Out> {
        None
    }

    /// Decodes from a boolean.
    fn de_bool<E: de::Error>(b: bool, at: &Path<'_>) -> Result<Self::Out, E> {
        Err(mismatch::<Self, E>(at, format!("boolean {b}")))
    }

    /// Decodes from an integer.
    fn de_i64<E: de::Error>(i: i64, at: &Path<'_>) -> Result<Self::Out, E> {
        Err(mismatch::<Self, E>(at, format!("integer {i}")))
    }

    /// Decodes from a float.
    fn de_f64<E: de::Error>(x: f64, at: &Path<'_>) -> Result<Self::Out, E> {
        Err(mismatch::<Self, E>(at, format!("float {x:?}")))
    }

    /// Decodes from a string; in a human-readable format a string that
    /// starts with a NUL character carries base64 bytes (the WAMP JSON rule).
    fn de_str<E: de::Error>(s: &str, at: &Path<'_>, hr: bool) -> Result<Self::Out, E> {
        match wamp_json_bytes(s, hr) {
            Some(bytes) => Self::de_bytes(&bytes.map_err(|e| fail::<E>(at, "base64 after a NUL character", e))?, at),
            None => Err(mismatch::<Self, E>(at, describe_str(s))),
        }
    }

    /// Decodes from an owned string.
    fn de_string<E: de::Error>(s: String, at: &Path<'_>, hr: bool) -> Result<Self::Out, E> {
        Self::de_str(&s, at, hr)
    }

    /// Decodes from bytes.
    fn de_bytes<E: de::Error>(b: &[u8], at: &Path<'_>) -> Result<Self::Out, E> {
        Err(mismatch::<Self, E>(at, format!("bytes (length {})", b.len())))
    }

    /// Decodes from a list.
    fn de_seq<'de, A: SeqAccess<'de>>(_seq: A, at: &Path<'_>, _hr: bool, _depth: u32) -> Result<Self::Out, A::Error> {
        Err(mismatch::<Self, A::Error>(at, "list"))
    }

    /// Decodes from a map.
    fn de_map<'de, A: MapAccess<'de>>(_map: A, at: &Path<'_>, _hr: bool, _depth: u32) -> Result<Self::Out, A::Error> {
        Err(mismatch::<Self, A::Error>(at, "map"))
    }
}

/// The error for a value of the wrong kind.
pub fn mismatch<C: Codec + ?Sized, E: de::Error>(at: &Path<'_>, got: impl Into<String>) -> E {
    E::custom(Error::new(at, C::expected(), got))
}

fn fail<E: de::Error>(at: &Path<'_>, expected: &str, got: impl fmt::Display) -> E {
    E::custom(Error::new(at, expected, got.to_string()))
}

fn value_mismatch<C: Codec + ?Sized>(v: &Value, at: &Path<'_>) -> Error {
    Error::new(at, C::expected(), v.describe())
}

/// The bytes a WAMP JSON string carries, if it starts with a NUL character.
fn wamp_json_bytes(s: &str, hr: bool) -> Option<Result<Vec<u8>, base64::DecodeError>> {
    use base64::Engine;
    let rest = s.strip_prefix('\0').filter(|_| hr)?;
    Some(base64::engine::general_purpose::STANDARD.decode(rest))
}

fn wamp_json_string(b: &[u8]) -> String {
    use base64::Engine;
    let mut s = String::with_capacity(1 + b.len().div_ceil(3) * 4);
    s.push('\0');
    base64::engine::general_purpose::STANDARD.encode_string(b, &mut s);
    s
}

/// Decodes one field: `Ok(None)` when the input holds `null`.
pub struct Seed<'a, C: ?Sized> {
    at: &'a Path<'a>,
    hr: bool,
    depth: u32,
    codec: PhantomData<fn() -> C>,
}

impl<'a, C: Codec + ?Sized> Seed<'a, C> {
    /// A seed for the field at `at`; `hr` tells whether the format is
    /// human-readable (JSON), `depth` how deep the field sits.
    pub fn new(at: &'a Path<'a>, hr: bool, depth: u32) -> Self {
        Seed { at, hr, depth, codec: PhantomData }
    }
}

impl<'de, C: Codec + ?Sized> DeserializeSeed<'de> for Seed<'_, C> {
    type Value = Option<C::Out>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, C: Codec + ?Sized> Visitor<'de> for Seed<'_, C> {
    type Value = Option<C::Out>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&C::expected())
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Self::Value, E> {
        C::de_bool(b, self.at).map(Some)
    }
    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Self::Value, E> {
        C::de_i64(i, self.at).map(Some)
    }
    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Self::Value, E> {
        match i64::try_from(u) {
            Ok(i) => C::de_i64(i, self.at).map(Some),
            Err(_) => Err(fail(self.at, "an integer in the signed 64-bit range", u)),
        }
    }
    fn visit_i128<E: de::Error>(self, i: i128) -> Result<Self::Value, E> {
        match i64::try_from(i) {
            Ok(i) => C::de_i64(i, self.at).map(Some),
            Err(_) => Err(fail(self.at, "an integer in the signed 64-bit range", i)),
        }
    }
    fn visit_u128<E: de::Error>(self, u: u128) -> Result<Self::Value, E> {
        match i64::try_from(u) {
            Ok(i) => C::de_i64(i, self.at).map(Some),
            Err(_) => Err(fail(self.at, "an integer in the signed 64-bit range", u)),
        }
    }
    fn visit_f64<E: de::Error>(self, x: f64) -> Result<Self::Value, E> {
        C::de_f64(x, self.at).map(Some)
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
        C::de_str(s, self.at, self.hr).map(Some)
    }
    fn visit_string<E: de::Error>(self, s: String) -> Result<Self::Value, E> {
        C::de_string(s, self.at, self.hr).map(Some)
    }
    fn visit_bytes<E: de::Error>(self, b: &[u8]) -> Result<Self::Value, E> {
        C::de_bytes(b, self.at).map(Some)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        if self.depth >= MAX_DEPTH {
            return Err(fail(self.at, format!("lists and maps nested at most {MAX_DEPTH} deep").as_str(), "deeper nesting"));
        }
        C::de_seq(seq, self.at, self.hr, self.depth + 1).map(Some)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        if self.depth >= MAX_DEPTH {
            return Err(fail(self.at, format!("lists and maps nested at most {MAX_DEPTH} deep").as_str(), "deeper nesting"));
        }
        C::de_map(map, self.at, self.hr, self.depth + 1).map(Some)
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, _data: A) -> Result<Self::Value, A::Error> {
        Err(mismatch::<C, A::Error>(self.at, "an enum or tagged value"))
    }
}

/// Writes an optional field as a value: `None` as null.
pub fn opt_to_value<C: Codec + ?Sized>(x: &Option<C::Out>) -> Value {
    x.as_ref().map_or(Value::Null, C::to_value)
}

/// Encodes one field with its codec.
pub struct Enc<'a, C: Codec + ?Sized>(pub &'a C::Out);

impl<C: Codec + ?Sized> Serialize for Enc<'_, C> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        C::encode(self.0, s)
    }
}

/// Encodes an optional field with its codec: `None` as null.
pub struct EncOpt<'a, C: Codec + ?Sized>(pub &'a Option<C::Out>);

impl<C: Codec + ?Sized> Serialize for EncOpt<'_, C> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Some(x) => C::encode(x, s),
            None => s.serialize_none(),
        }
    }
}

/// `true` or `false`.
pub struct Bool;

impl Codec for Bool {
    type Out = bool;
    fn expected() -> Cow<'static, str> {
        "boolean".into()
    }
    fn from_value(v: &Value, at: &Path<'_>) -> Result<bool, Error> {
        match v {
            Value::Bool(b) => Ok(*b),
            _ => Err(value_mismatch::<Self>(v, at)),
        }
    }
    fn to_value(x: &bool) -> Value {
        Value::Bool(*x)
    }
    fn encode<S: Serializer>(x: &bool, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bool(*x)
    }
    fn de_bool<E: de::Error>(b: bool, _: &Path<'_>) -> Result<bool, E> {
        Ok(b)
    }
}

/// An integer (booleans are not integers here, unlike in Python).
pub struct Int;

impl Codec for Int {
    type Out = i64;
    fn expected() -> Cow<'static, str> {
        "integer".into()
    }
    fn from_value(v: &Value, at: &Path<'_>) -> Result<i64, Error> {
        match v {
            Value::Int(i) => Ok(*i),
            _ => Err(value_mismatch::<Self>(v, at)),
        }
    }
    fn to_value(x: &i64) -> Value {
        Value::Int(*x)
    }
    fn encode<S: Serializer>(x: &i64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(*x)
    }
    fn de_i64<E: de::Error>(i: i64, _: &Path<'_>) -> Result<i64, E> {
        Ok(i)
    }
}

/// A float.
pub struct Float;

impl Codec for Float {
    type Out = f64;
    fn expected() -> Cow<'static, str> {
        "float".into()
    }
    fn from_value(v: &Value, at: &Path<'_>) -> Result<f64, Error> {
        match v {
            Value::Float(x) => Ok(*x),
            _ => Err(value_mismatch::<Self>(v, at)),
        }
    }
    fn to_value(x: &f64) -> Value {
        Value::Float(*x)
    }
    fn encode<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(*x)
    }
    fn de_f64<E: de::Error>(x: f64, _: &Path<'_>) -> Result<f64, E> {
        Ok(x)
    }
}

/// An integer or a float, kept apart.
pub struct Num;

impl Codec for Num {
    type Out = Number;
    fn expected() -> Cow<'static, str> {
        "integer or float".into()
    }
    fn from_value(v: &Value, at: &Path<'_>) -> Result<Number, Error> {
        match v {
            Value::Int(i) => Ok(Number::Int(*i)),
            Value::Float(x) => Ok(Number::Float(*x)),
            _ => Err(value_mismatch::<Self>(v, at)),
        }
    }
    fn to_value(x: &Number) -> Value {
        Value::from(*x)
    }
    fn encode<S: Serializer>(x: &Number, s: S) -> Result<S::Ok, S::Error> {
        match x {
            Number::Int(i) => s.serialize_i64(*i),
            Number::Float(f) => s.serialize_f64(*f),
        }
    }
    fn de_i64<E: de::Error>(i: i64, _: &Path<'_>) -> Result<Number, E> {
        Ok(Number::Int(i))
    }
    fn de_f64<E: de::Error>(x: f64, _: &Path<'_>) -> Result<Number, E> {
        Ok(Number::Float(x))
    }
}

/// A UTF-8 string.
pub struct Str;

impl Codec for Str {
    type Out = String;
    fn expected() -> Cow<'static, str> {
        "string".into()
    }
    fn from_value(v: &Value, at: &Path<'_>) -> Result<String, Error> {
        match v {
            Value::Str(s) => Ok(s.clone()),
            _ => Err(value_mismatch::<Self>(v, at)),
        }
    }
    fn to_value(x: &String) -> Value {
        Value::Str(x.clone())
    }
    fn into_value(x: String) -> Value {
        Value::Str(x)
    }
    fn encode<S: Serializer>(x: &String, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(x)
    }
    fn de_str<E: de::Error>(s: &str, at: &Path<'_>, hr: bool) -> Result<String, E> {
        if hr && s.starts_with('\0') {
            return Err(mismatch::<Self, E>(at, "bytes (a JSON string that starts with NUL)"));
        }
        Ok(s.to_owned())
    }
    fn de_string<E: de::Error>(s: String, at: &Path<'_>, hr: bool) -> Result<String, E> {
        if hr && s.starts_with('\0') {
            return Err(mismatch::<Self, E>(at, "bytes (a JSON string that starts with NUL)"));
        }
        Ok(s)
    }
}

/// A byte string.
pub struct Bytes;

impl Codec for Bytes {
    type Out = Vec<u8>;
    fn expected() -> Cow<'static, str> {
        "bytes".into()
    }
    fn from_value(v: &Value, at: &Path<'_>) -> Result<Vec<u8>, Error> {
        match v {
            Value::Bytes(b) => Ok(b.clone()),
            _ => Err(value_mismatch::<Self>(v, at)),
        }
    }
    fn to_value(x: &Vec<u8>) -> Value {
        Value::Bytes(x.clone())
    }
    fn into_value(x: Vec<u8>) -> Value {
        Value::Bytes(x)
    }
    fn encode<S: Serializer>(x: &Vec<u8>, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() { s.serialize_str(&wamp_json_string(x)) } else { s.serialize_bytes(x) }
    }
    fn de_bytes<E: de::Error>(b: &[u8], _: &Path<'_>) -> Result<Vec<u8>, E> {
        Ok(b.to_vec())
    }
}

/// `N` bytes written as `2 * N` hex digits (read in either case, written
/// in lower case).
pub struct Hex<const N: usize>;

impl<const N: usize> Hex<N> {
    fn parse(s: &str) -> Option<[u8; N]> {
        if s.len() != 2 * N {
            return None;
        }
        let mut out = [0u8; N];
        for (o, pair) in out.iter_mut().zip(s.as_bytes().chunks_exact(2)) {
            let hi = (pair[0] as char).to_digit(16)?;
            let lo = (pair[1] as char).to_digit(16)?;
            *o = (hi * 16 + lo) as u8;
        }
        Some(out)
    }

    fn render(b: &[u8; N]) -> String {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut s = String::with_capacity(2 * N);
        for byte in b {
            s.push(DIGITS[usize::from(byte >> 4)] as char);
            s.push(DIGITS[usize::from(byte & 15)] as char);
        }
        s
    }
}

impl<const N: usize> Codec for Hex<N> {
    type Out = [u8; N];
    fn expected() -> Cow<'static, str> {
        format!("string of {} hex digits", 2 * N).into()
    }
    fn from_value(v: &Value, at: &Path<'_>) -> Result<[u8; N], Error> {
        match v {
            Value::Str(s) => Self::parse(s).ok_or_else(|| value_mismatch::<Self>(v, at)),
            _ => Err(value_mismatch::<Self>(v, at)),
        }
    }
    fn to_value(x: &[u8; N]) -> Value {
        Value::Str(Self::render(x))
    }
    fn encode<S: Serializer>(x: &[u8; N], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&Self::render(x))
    }
    fn de_str<E: de::Error>(s: &str, at: &Path<'_>, _hr: bool) -> Result<[u8; N], E> {
        Self::parse(s).ok_or_else(|| mismatch::<Self, E>(at, describe_str(s)))
    }
}

/// Any value at all.
pub struct Any;

impl Codec for Any {
    type Out = Value;
    fn expected() -> Cow<'static, str> {
        "any value".into()
    }
    fn from_value(v: &Value, _: &Path<'_>) -> Result<Value, Error> {
        Ok(v.clone())
    }
    fn to_value(x: &Value) -> Value {
        x.clone()
    }
    fn into_value(x: Value) -> Value {
        x
    }
    fn encode<S: Serializer>(x: &Value, s: S) -> Result<S::Ok, S::Error> {
        x.serialize(s)
    }
    fn null_element() -> Option<Value> {
        Some(Value::Null)
    }
    fn de_bool<E: de::Error>(b: bool, _: &Path<'_>) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn de_i64<E: de::Error>(i: i64, _: &Path<'_>) -> Result<Value, E> {
        Ok(Value::Int(i))
    }
    fn de_f64<E: de::Error>(x: f64, _: &Path<'_>) -> Result<Value, E> {
        Ok(Value::Float(x))
    }
    fn de_str<E: de::Error>(s: &str, at: &Path<'_>, hr: bool) -> Result<Value, E> {
        match wamp_json_bytes(s, hr) {
            Some(b) => Ok(Value::Bytes(b.map_err(|e| fail::<E>(at, "base64 after a NUL character", e))?)),
            None => Ok(Value::Str(s.to_owned())),
        }
    }
    fn de_string<E: de::Error>(s: String, at: &Path<'_>, hr: bool) -> Result<Value, E> {
        if hr && s.starts_with('\0') { Self::de_str(&s, at, hr) } else { Ok(Value::Str(s)) }
    }
    fn de_bytes<E: de::Error>(b: &[u8], _: &Path<'_>) -> Result<Value, E> {
        Ok(Value::Bytes(b.to_vec()))
    }
    fn de_seq<'de, A: SeqAccess<'de>>(seq: A, at: &Path<'_>, hr: bool, depth: u32) -> Result<Value, A::Error> {
        List::<Any>::de_seq(seq, at, hr, depth).map(Value::List)
    }
    fn de_map<'de, A: MapAccess<'de>>(map: A, at: &Path<'_>, hr: bool, depth: u32) -> Result<Value, A::Error> {
        MapAny::de_map(map, at, hr, depth).map(Value::Map)
    }
}

/// A map with string keys and values of any kind.
pub struct MapAny;

impl Codec for MapAny {
    type Out = Map;
    fn expected() -> Cow<'static, str> {
        "map".into()
    }
    fn from_value(v: &Value, at: &Path<'_>) -> Result<Map, Error> {
        match v {
            Value::Map(m) => Ok(m.clone()),
            _ => Err(value_mismatch::<Self>(v, at)),
        }
    }
    fn to_value(x: &Map) -> Value {
        Value::Map(x.clone())
    }
    fn into_value(x: Map) -> Value {
        Value::Map(x)
    }
    fn encode<S: Serializer>(x: &Map, s: S) -> Result<S::Ok, S::Error> {
        super::value_serde::encode_map(x, s)
    }
    fn de_map<'de, A: MapAccess<'de>>(mut map: A, at: &Path<'_>, hr: bool, depth: u32) -> Result<Map, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(4096));
        while let Some(key) = map.next_key_seed(KeySeed { at })? {
            let here = at.key(&key);
            let value = map.next_value_seed(Seed::<Any>::new(&here, hr, depth))?.unwrap_or(Value::Null);
            entries.push((key.into(), value));
        }
        if let Some(k) = Map::first_duplicate(&entries) {
            return Err(fail(&at.key(k), "each key once", "the key twice"));
        }
        Ok(Map::from_unique(entries))
    }
}

/// Reads a map key, which must be a string.
pub struct KeySeed<'a> {
    /// Where the map is.
    pub at: &'a Path<'a>,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = String;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<String, E> {
        Ok(s.to_owned())
    }
    fn visit_string<E: de::Error>(self, s: String) -> Result<String, E> {
        Ok(s)
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<String, E> {
        Err(fail(self.at, "string keys", format!("key boolean {b}")))
    }
    fn visit_i64<E: de::Error>(self, i: i64) -> Result<String, E> {
        Err(fail(self.at, "string keys", format!("key integer {i}")))
    }
    fn visit_u64<E: de::Error>(self, u: u64) -> Result<String, E> {
        Err(fail(self.at, "string keys", format!("key integer {u}")))
    }
    fn visit_f64<E: de::Error>(self, x: f64) -> Result<String, E> {
        Err(fail(self.at, "string keys", format!("key float {x:?}")))
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<String, E> {
        Err(fail(self.at, "string keys", "key bytes"))
    }
    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        Err(fail(self.at, "string keys", "key null"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(fail(self.at, "string keys", "key list"))
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(fail(self.at, "string keys", "key map"))
    }
}

/// A list whose elements all follow codec `C`.
pub struct List<C: ?Sized>(PhantomData<fn() -> C>);

impl<C: Codec + ?Sized> Codec for List<C> {
    type Out = Vec<C::Out>;
    fn expected() -> Cow<'static, str> {
        format!("list of {}", C::expected()).into()
    }
    fn from_value(v: &Value, at: &Path<'_>) -> Result<Self::Out, Error> {
        match v {
            Value::List(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| element::<C>(item, &at.index(i)))
                .collect(),
            _ => Err(value_mismatch::<Self>(v, at)),
        }
    }
    fn to_value(x: &Self::Out) -> Value {
        Value::List(x.iter().map(C::to_value).collect())
    }
    fn into_value(x: Self::Out) -> Value {
        Value::List(x.into_iter().map(C::into_value).collect())
    }
    fn encode<S: Serializer>(x: &Self::Out, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(x.len()))?;
        for item in x {
            seq.serialize_element(&Enc::<C>(item))?;
        }
        seq.end()
    }
    fn de_seq<'de, A: SeqAccess<'de>>(mut seq: A, at: &Path<'_>, hr: bool, depth: u32) -> Result<Self::Out, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        loop {
            let here = at.index(out.len());
            match seq.next_element_seed(Seed::<C>::new(&here, hr, depth))? {
                None => return Ok(out),
                Some(Some(x)) => out.push(x),
                Some(None) => match C::null_element() {
                    Some(x) => out.push(x),
                    None => return Err(mismatch::<C, A::Error>(&here, "null")),
                },
            }
        }
    }
}

fn element<C: Codec + ?Sized>(v: &Value, at: &Path<'_>) -> Result<C::Out, Error> {
    match (v, C::null_element()) {
        (Value::Null, Some(x)) => Ok(x),
        (Value::Null, None) => Err(Error::new(at, C::expected(), "null")),
        _ => C::from_value(v, at),
    }
}

/// A single `C` or a list of them, always held as a list.
pub struct OneOrList<C: ?Sized>(PhantomData<fn() -> C>);

impl<C: Codec + ?Sized> Codec for OneOrList<C> {
    type Out = Vec<C::Out>;
    fn expected() -> Cow<'static, str> {
        format!("{} or list of {}", C::expected(), C::expected()).into()
    }
    fn from_value(v: &Value, at: &Path<'_>) -> Result<Self::Out, Error> {
        match v {
            Value::List(_) => List::<C>::from_value(v, at),
            _ => C::from_value(v, at).map(|x| vec![x]).map_err(|_| value_mismatch::<Self>(v, at)),
        }
    }
    fn to_value(x: &Self::Out) -> Value {
        List::<C>::to_value(x)
    }
    fn into_value(x: Self::Out) -> Value {
        List::<C>::into_value(x)
    }
    fn encode<S: Serializer>(x: &Self::Out, s: S) -> Result<S::Ok, S::Error> {
        List::<C>::encode(x, s)
    }
    fn de_bool<E: de::Error>(b: bool, at: &Path<'_>) -> Result<Self::Out, E> {
        C::de_bool(b, at).map(|x| vec![x]).map_err(|_: E| mismatch::<Self, E>(at, format!("boolean {b}")))
    }
    fn de_i64<E: de::Error>(i: i64, at: &Path<'_>) -> Result<Self::Out, E> {
        C::de_i64(i, at).map(|x| vec![x]).map_err(|_: E| mismatch::<Self, E>(at, format!("integer {i}")))
    }
    fn de_f64<E: de::Error>(f: f64, at: &Path<'_>) -> Result<Self::Out, E> {
        C::de_f64(f, at).map(|x| vec![x]).map_err(|_: E| mismatch::<Self, E>(at, format!("float {f:?}")))
    }
    fn de_str<E: de::Error>(s: &str, at: &Path<'_>, hr: bool) -> Result<Self::Out, E> {
        C::de_str(s, at, hr).map(|x| vec![x]).map_err(|_: E| mismatch::<Self, E>(at, describe_str(s)))
    }
    fn de_bytes<E: de::Error>(b: &[u8], at: &Path<'_>) -> Result<Self::Out, E> {
        C::de_bytes(b, at).map(|x| vec![x]).map_err(|_: E| mismatch::<Self, E>(at, format!("bytes (length {})", b.len())))
    }
    fn de_seq<'de, A: SeqAccess<'de>>(seq: A, at: &Path<'_>, hr: bool, depth: u32) -> Result<Self::Out, A::Error> {
        List::<C>::de_seq(seq, at, hr, depth)
    }
}

/// A type whose values travel as one of a fixed set of strings.
pub trait WireEnum: Sized + Copy + Ord + 'static {
    /// Every value, in schema order.
    const ALL: &'static [Self];
    /// The string that stands for this value on the wire.
    fn wire(self) -> &'static str;
    /// The value a wire string stands for.
    fn from_wire(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.wire() == s)
    }
}

/// One of the strings of a [`WireEnum`].
pub struct Enum<T>(PhantomData<fn() -> T>);

impl<T: WireEnum> Codec for Enum<T> {
    type Out = T;
    fn expected() -> Cow<'static, str> {
        let names: Vec<String> = T::ALL.iter().map(|v| format!("{:?}", v.wire())).collect();
        format!("one of {}", names.join(", ")).into()
    }
    fn from_value(v: &Value, at: &Path<'_>) -> Result<T, Error> {
        match v {
            Value::Str(s) => T::from_wire(s).ok_or_else(|| value_mismatch::<Self>(v, at)),
            _ => Err(value_mismatch::<Self>(v, at)),
        }
    }
    fn to_value(x: &T) -> Value {
        Value::Str(x.wire().to_owned())
    }
    fn encode<S: Serializer>(x: &T, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(x.wire())
    }
    fn de_str<E: de::Error>(s: &str, at: &Path<'_>, _hr: bool) -> Result<T, E> {
        T::from_wire(s).ok_or_else(|| mismatch::<Self, E>(at, describe_str(s)))
    }
}

/// A map whose keys are the strings of a [`WireEnum`] and whose values
/// follow codec `V`.
pub struct MapOf<K, V: ?Sized>(PhantomData<MapOfMarker<K, V>>);

type MapOfMarker<K, V> = fn() -> (K, Box<V>);

impl<K: WireEnum, V: Codec + ?Sized> Codec for MapOf<K, V> {
    type Out = BTreeMap<K, V::Out>;
    fn expected() -> Cow<'static, str> {
        format!("map from {} to {}", Enum::<K>::expected(), V::expected()).into()
    }
    fn from_value(v: &Value, at: &Path<'_>) -> Result<Self::Out, Error> {
        let Value::Map(m) = v else {
            return Err(value_mismatch::<Self>(v, at));
        };
        let mut out = BTreeMap::new();
        for (k, item) in m.iter() {
            let here = at.key(k);
            let key = K::from_wire(k).ok_or_else(|| Error::new(&here, format!("a key {}", Enum::<K>::expected()), "an unknown key"))?;
            out.insert(key, V::from_value(item, &here)?);
        }
        Ok(out)
    }
    fn to_value(x: &Self::Out) -> Value {
        Value::Map(x.iter().map(|(k, v)| (k.wire().to_owned(), V::to_value(v))).collect())
    }
    fn encode<S: Serializer>(x: &Self::Out, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(x.len()))?;
        for (k, v) in x {
            m.serialize_entry(k.wire(), &Enc::<V>(v))?;
        }
        m.end()
    }
    fn de_map<'de, A: MapAccess<'de>>(mut map: A, at: &Path<'_>, hr: bool, depth: u32) -> Result<Self::Out, A::Error> {
        let mut out = BTreeMap::new();
        while let Some(k) = map.next_key_seed(KeySeed { at })? {
            let here = at.key(&k);
            let Some(key) = K::from_wire(&k) else {
                return Err(fail(&here, &format!("a key {}", Enum::<K>::expected()), "an unknown key"));
            };
            let value = map.next_value_seed(Seed::<V>::new(&here, hr, depth))?;
            let value = value.ok_or_else(|| mismatch::<V, A::Error>(&here, "null"))?;
            if out.insert(key, value).is_some() {
                return Err(fail(&here, "each key once", "the key twice"));
            }
        }
        Ok(out)
    }
}

/// A field that only code can set (a callback or a runtime handle): data
/// may hold `null` for it, nothing else.
pub struct Unset;

impl Codec for Unset {
    type Out = ();
    fn expected() -> Cow<'static, str> {
        "null (this field is set in code, not carried as data)".into()
    }
    fn from_value(v: &Value, at: &Path<'_>) -> Result<(), Error> {
        Err(value_mismatch::<Self>(v, at))
    }
    fn to_value(_: &()) -> Value {
        Value::Null
    }
    fn encode<S: Serializer>(_: &(), s: S) -> Result<S::Ok, S::Error> {
        s.serialize_none()
    }
}
