//! Codecs: how one kind of schema field is read from a [`Value`], written
//! back, decoded from a serde format and encoded to one.
//!
//! Generated code names a codec per field (`codec::Str`, `codec::List<codec::Int>`,
//! `codec::Rec<ForwardFor>`, ...); the codec holds all the rules of its kind,
//! so that parsing from a `Value` and decoding from bytes refuse exactly the
//! same inputs with the same messages.

mod collection;
mod scalar;
mod wamp;

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::{Deserializer, Serialize, Serializer};

pub use collection::{Any, List, MapAny, MapOf, OneOrList};
// `Float` serves schemas with a `float` field; the WAMP schema has none.
#[allow(unused_imports)]
pub use scalar::Float;
pub use scalar::{Bool, Bytes, Enum, Hex, Int, Num, Str, UInt, Unset, WireEnum, enum_from_str};
pub use wamp::{Id, Uri};

pub use super::flag::FlagCodec as Flag;
pub use super::record::Rec;

use super::error::{Error, Path};
use super::shape::Kind;
use super::value::{Value, describe_str};

/// How deep lists and maps may nest inside one decoded value.
pub const MAX_DEPTH: u32 = 128;

/// The rules for one kind of field.
pub trait Codec {
    /// The Rust type a field of this kind holds.
    type Out;

    /// What a field of this kind holds, for the shapes and for the errors
    /// ([`Kind::expected`]).
    const KIND: Kind;

    /// Writes the field back as a value: what [`Codec::encode`] writes,
    /// through the value serializer ([`to_value`](super::value_ser::to_value)),
    /// which writes any scalar. Codecs whose values it may refuse (an
    /// integer out of the formats' range, a value nested deeper than 128)
    /// or that build theirs faster in place (lists, maps, records) give
    /// their own, so that writing a value never fails.
    fn to_value(x: &Self::Out) -> Value {
        super::value_ser::to_value(&Enc::<Self>(x)).expect("a codec without its own `to_value` writes any value it holds")
    }

    /// Writes the field back as a value, taking it out of `x`: moved where
    /// the field owns something (a string, list or map), copied otherwise;
    /// what is left in `x` is only for dropping.
    fn take_value(x: &mut Self::Out) -> Value {
        Self::to_value(x)
    }

    /// Writes the field to a serde format.
    fn encode<S: Serializer>(x: &Self::Out, s: S) -> Result<S::Ok, S::Error>;

    /// Whether the field's value is true in Python's sense, as the value
    /// [`Codec::to_value`] writes is; codecs that hold lists, maps or
    /// records tell it without writing the value.
    fn is_truthy(x: &Self::Out) -> bool {
        super::bridge::Truthy::truthy(&Self::to_value(x))
    }

    /// What a `null` inside a list of this kind stands for, if anything.
    fn null_element() -> Option<Self::Out> {
        None
    }

    /// Decodes from a boolean.
    fn de_bool<E: de::Error>(b: bool, at: &Path<'_>) -> Result<Self::Out, E> {
        Err(mismatch::<Self, E>(at, format!("boolean {b}")))
    }

    /// Decodes from an integer, one from [`Value::INT_MIN`] to
    /// [`Value::INT_MAX`] (the seed refuses others before it calls this).
    fn de_int<E: de::Error>(i: i128, at: &Path<'_>) -> Result<Self::Out, E> {
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

/// What an integer must be to be carried: `-2^63` to `2^64 - 1`, the
/// integers JSON, MessagePack and CBOR carry in 64 bits.
pub const INT_RANGE: &str = "an integer from -9223372036854775808 to 18446744073709551615";

/// Whether `i` is an integer the formats carry (see [`INT_RANGE`]).
pub fn int_in_range(i: i128) -> bool {
    (Value::INT_MIN..=Value::INT_MAX).contains(&i)
}

/// Writes an integer as the formats carry it: as an `i64` when it fits,
/// else as a `u64`. An integer outside both is refused with an error whose
/// type name is `owner`.
pub fn encode_int<S: Serializer>(i: i128, owner: &'static str, s: S) -> Result<S::Ok, S::Error> {
    if let Ok(x) = i64::try_from(i) {
        return s.serialize_i64(x);
    }
    if let Ok(x) = u64::try_from(i) {
        return s.serialize_u64(x);
    }
    Err(Error::message(owner, INT_RANGE, format!("integer {i}")).into_ser())
}

/// The depth of what a list or map at `depth` holds, if it may be read
/// (see [`MAX_DEPTH`]); `at` is where the list or map is.
#[inline]
pub(crate) fn enter<E: de::Error>(depth: u32, at: &Path<'_>) -> Result<u32, E> {
    if depth < MAX_DEPTH { Ok(depth + 1) } else { Err(too_deep(at).into_de()) }
}

/// The error for a list or map at `at` nested deeper than [`MAX_DEPTH`],
/// in reading and in writing.
#[cold]
#[inline(never)]
pub(crate) fn too_deep(at: &Path<'_>) -> Error {
    Error::new(at, format!("lists and maps nested at most {MAX_DEPTH} deep"), "deeper nesting")
}

/// The error for a value of the wrong kind.
#[cold]
#[inline(never)]
pub fn mismatch<C: Codec + ?Sized, E: de::Error>(at: &Path<'_>, got: impl Into<String>) -> E {
    Error::new(at, C::KIND.expected(), got).into_de()
}

#[cold]
#[inline(never)]
fn fail<E: de::Error>(at: &Path<'_>, expected: &str, got: impl fmt::Display) -> E {
    Error::new(at, expected, got.to_string()).into_de()
}

/// Reads a value with codec `C`, as the field at `at`: `None` for `null`.
/// Reading a value is decoding it through its serde `Deserializer`, with
/// the rules and errors of decoding from bytes.
pub fn read_opt<C: Codec + ?Sized>(v: &Value, at: &Path<'_>) -> Result<Option<C::Out>, Error> {
    Seed::<C>::new(at, false, 0).deserialize(v)
}

/// [`read_opt`] of a value that must not be `null`.
pub fn read<C: Codec + ?Sized>(v: &Value, at: &Path<'_>) -> Result<C::Out, Error> {
    read_opt::<C>(v, at)?.ok_or_else(|| mismatch::<C, Error>(at, "null"))
}

/// The error for a WAMP JSON string (one that starts with NUL) where no
/// bytes belong, if `s` is one: it is described as the bytes it carries, as
/// a [`Value`] holds them.
#[inline]
pub(crate) fn json_bytes_mismatch<C: Codec + ?Sized, E: de::Error>(s: &str, at: &Path<'_>, hr: bool) -> Option<E> {
    Some(match wamp_json_bytes(s, hr)? {
        Ok(b) => mismatch::<C, E>(at, format!("bytes (length {})", b.len())),
        Err(e) => fail::<E>(at, "base64 after a NUL character", e),
    })
}

/// What a decoded string is, for errors: in a human-readable format (WAMP
/// JSON) a string that starts with NUL is the bytes it carries, as a
/// [`Value`] holds them.
pub(crate) fn describe_wire_str(s: &str, hr: bool) -> String {
    match wamp_json_bytes(s, hr) {
        Some(Ok(b)) => format!("bytes (length {})", b.len()),
        _ => describe_str(s),
    }
}

/// The bytes a WAMP JSON string carries, if it starts with a NUL character.
#[inline]
fn wamp_json_bytes(s: &str, hr: bool) -> Option<Result<Vec<u8>, &'static str>> {
    if !hr {
        return None;
    }
    Some(base64_lenient(s.strip_prefix('\0')?))
}

/// Decodes base64 as Python's `base64.b64decode` does by default, which is
/// what autobahn-python uses for WAMP JSON bytes: ASCII only; characters
/// outside the alphabet are skipped; padding ends the data once it
/// completes a group (anything after it is ignored); a group left
/// incomplete is an error.
pub(crate) fn base64_lenient(s: &str) -> Result<Vec<u8>, &'static str> {
    // Canonical base64, what every encoder writes, decodes the same under
    // both rules: the base64 crate's strict decoder first, the lenient
    // reading below for whatever it refuses.
    use base64::Engine;
    if let Ok(b) = base64::engine::general_purpose::STANDARD.decode(s) {
        return Ok(b);
    }
    if !s.is_ascii() {
        return Err("non-ASCII characters");
    }
    let mut out = Vec::with_capacity(s.len() / 4 * 3 + 2);
    let (mut quad, mut left, mut pads) = (0u8, 0u8, 0u8);
    for c in s.bytes() {
        if c == b'=' {
            if quad >= 2 {
                pads += 1;
                if quad + pads >= 4 {
                    return Ok(out);
                }
            }
            continue;
        }
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => continue,
        };
        pads = 0;
        match quad {
            0 => left = v,
            1 => {
                out.push((left << 2) | (v >> 4));
                left = v & 0x0f;
            }
            2 => {
                out.push((left << 4) | (v >> 2));
                left = v & 0x03;
            }
            _ => out.push((left << 6) | v),
        }
        quad = (quad + 1) % 4;
    }
    match quad {
        0 => Ok(out),
        1 => Err("a number of data characters 1 more than a multiple of 4"),
        _ => Err("incorrect padding"),
    }
}

pub(crate) fn wamp_json_string(b: &[u8]) -> String {
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
    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, C: Codec + ?Sized> Visitor<'de> for Seed<'_, C> {
    type Value = Option<C::Out>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&C::KIND.expected())
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Self::Value, E> {
        C::de_bool(b, self.at).map(Some)
    }
    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Self::Value, E> {
        C::de_int(i.into(), self.at).map(Some)
    }
    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Self::Value, E> {
        C::de_int(u.into(), self.at).map(Some)
    }
    fn visit_i128<E: de::Error>(self, i: i128) -> Result<Self::Value, E> {
        if int_in_range(i) { C::de_int(i, self.at).map(Some) } else { Err(fail(self.at, INT_RANGE, format!("integer {i}"))) }
    }
    fn visit_u128<E: de::Error>(self, u: u128) -> Result<Self::Value, E> {
        match i128::try_from(u) {
            Ok(i) => self.visit_i128(i),
            Err(_) => Err(fail(self.at, INT_RANGE, format!("integer {u}"))),
        }
    }
    fn visit_f64<E: de::Error>(self, x: f64) -> Result<Self::Value, E> {
        C::de_f64(x, self.at).map(Some)
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
        C::de_str(s, self.at, self.hr).map(Some)
    }
    /// As [`visit_str`](Self::visit_str), without serde's default step between.
    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
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
    #[inline]
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        C::de_seq(seq, self.at, self.hr, enter(self.depth, self.at)?).map(Some)
    }
    #[inline]
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        C::de_map(map, self.at, self.hr, enter(self.depth, self.at)?).map(Some)
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, _data: A) -> Result<Self::Value, A::Error> {
        Err(mismatch::<C, A::Error>(self.at, "an enum or tagged value"))
    }
}

/// The `visit_*` methods of a visitor that refuses the kinds of value
/// named (`bool int float str bytes null list map`), each with
/// `self.refuse(got)`, `got` telling what came as [`Value::describe`] does
/// (a string as [`describe_wire_str`] tells it, with `self.hr`); `wrapped`
/// looks through `Some` and newtypes. One description of what came, for
/// every visitor that refuses whole values.
macro_rules! refuse_visits {
    ($de:lifetime; $($kind:ident)*) => { $( $crate::runtime::codec::refuse_visits!(@ $de $kind); )* };
    (@ $de:lifetime bool) => {
        fn visit_bool<E: serde::de::Error>(self, b: bool) -> Result<Self::Value, E> {
            Err(self.refuse(format!("boolean {b}")))
        }
    };
    (@ $de:lifetime int) => {
        fn visit_i64<E: serde::de::Error>(self, i: i64) -> Result<Self::Value, E> {
            Err(self.refuse(format!("integer {i}")))
        }
        fn visit_u64<E: serde::de::Error>(self, u: u64) -> Result<Self::Value, E> {
            Err(self.refuse(format!("integer {u}")))
        }
        fn visit_i128<E: serde::de::Error>(self, i: i128) -> Result<Self::Value, E> {
            Err(self.refuse(format!("integer {i}")))
        }
        fn visit_u128<E: serde::de::Error>(self, u: u128) -> Result<Self::Value, E> {
            Err(self.refuse(format!("integer {u}")))
        }
    };
    (@ $de:lifetime float) => {
        fn visit_f64<E: serde::de::Error>(self, x: f64) -> Result<Self::Value, E> {
            Err(self.refuse(format!("float {x:?}")))
        }
    };
    (@ $de:lifetime str) => {
        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Self::Value, E> {
            Err(self.refuse($crate::runtime::codec::describe_wire_str(s, self.hr)))
        }
    };
    (@ $de:lifetime bytes) => {
        fn visit_bytes<E: serde::de::Error>(self, b: &[u8]) -> Result<Self::Value, E> {
            Err(self.refuse(format!("bytes (length {})", b.len())))
        }
    };
    (@ $de:lifetime null) => {
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Err(self.refuse("null"))
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Err(self.refuse("null"))
        }
    };
    (@ $de:lifetime list) => {
        fn visit_seq<A: serde::de::SeqAccess<$de>>(self, _: A) -> Result<Self::Value, A::Error> {
            Err(self.refuse("list"))
        }
    };
    (@ $de:lifetime map) => {
        fn visit_map<A: serde::de::MapAccess<$de>>(self, _: A) -> Result<Self::Value, A::Error> {
            Err(self.refuse("map"))
        }
    };
    (@ $de:lifetime wrapped) => {
        fn visit_some<D: serde::Deserializer<$de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
        fn visit_newtype_struct<D: serde::Deserializer<$de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
    };
}
pub(crate) use refuse_visits;

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

/// Reads a map key, which must be a string: one that `known` gives a field
/// number for, or another, borrowed from the input where the format lends it.
pub struct KeySeed<'a, F> {
    /// Where the map is.
    pub at: &'a Path<'a>,
    /// The field number of a key, for a record's map.
    pub known: F,
}

/// A map key read by [`KeySeed`].
pub enum MapKey<'de> {
    /// A key its `known` gives this number for.
    Known(usize),
    /// Any other key.
    Other(Cow<'de, str>),
}

/// A [`KeySeed`] for the keys of a map with no fields: each is
/// [`MapKey::Other`].
pub fn any_key<'a>(at: &'a Path<'a>) -> KeySeed<'a, impl FnOnce(&str) -> Option<usize>> {
    KeySeed { at, known: |_: &str| None }
}

impl<'de> MapKey<'de> {
    /// The key of a map with no fields (see [`any_key`]).
    pub fn other(self) -> Cow<'de, str> {
        match self {
            MapKey::Other(k) => k,
            MapKey::Known(_) => unreachable!("a map with no fields knows no key"),
        }
    }
}

impl<'de, F: FnOnce(&str) -> Option<usize>> DeserializeSeed<'de> for KeySeed<'_, F> {
    type Value = MapKey<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<F> KeySeed<'_, F> {
    /// The error for a key that is not a string; `got` tells what it is.
    fn refuse<E: de::Error>(&self, got: impl Into<String>) -> E {
        fail(self.at, "string keys", format!("key {}", got.into()))
    }
}

impl<'de, F: FnOnce(&str) -> Option<usize>> Visitor<'de> for KeySeed<'_, F> {
    type Value = MapKey<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }
    #[inline]
    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
        Ok((self.known)(s).map_or(MapKey::Other(Cow::Borrowed(s)), MapKey::Known))
    }
    #[inline]
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
        Ok((self.known)(s).map_or_else(|| MapKey::Other(Cow::Owned(s.to_owned())), MapKey::Known))
    }
    #[inline]
    fn visit_string<E: de::Error>(self, s: String) -> Result<Self::Value, E> {
        Ok((self.known)(&s).map_or(MapKey::Other(Cow::Owned(s)), MapKey::Known))
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Self::Value, E> {
        Err(self.refuse("bytes"))
    }
    refuse_visits!('de; bool int float null list map);
}
