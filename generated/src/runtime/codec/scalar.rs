//! Codecs of single values: booleans, numbers, strings, bytes, hex, enum
//! strings, and the fields only code sets.

use std::marker::PhantomData;

use serde::Serializer;
use serde::de;

use super::{Codec, INT_RANGE, encode_int, json_bytes_mismatch, mismatch, wamp_json_string};
use crate::runtime::error::{Error, Path};
use crate::runtime::shape::Kind;
use crate::runtime::value::{Number, Value, describe_str};

/// `true` or `false`.
pub struct Bool;

impl Codec for Bool {
    type Out = bool;
    const KIND: Kind = Kind::Bool;
    fn encode<S: Serializer>(x: &bool, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bool(*x)
    }
    fn de_bool<E: de::Error>(b: bool, _: &Path<'_>) -> Result<bool, E> {
        Ok(b)
    }
}

/// An integer (booleans are not integers here, unlike in Python), from
/// `-2^63` to `2^64 - 1`: every integer the formats carry in 64 bits.
pub struct Int;

impl Codec for Int {
    type Out = i128;
    const KIND: Kind = Kind::Int;
    fn to_value(x: &i128) -> Value {
        Value::Int(*x)
    }
    fn encode<S: Serializer>(x: &i128, s: S) -> Result<S::Ok, S::Error> {
        encode_int(*x, "integer field", s)
    }
    fn de_int<E: de::Error>(i: i128, _: &Path<'_>) -> Result<i128, E> {
        Ok(i)
    }
}

/// An integer from 0 to `2^64 - 1`, held as a `u64`: a field that
/// autobahn bounds below by `GT` (its `gt` in the schema, -1 or more), so
/// that every value it accepts is one the formats carry unsigned. A negative
/// integer, which no `u64` holds, is refused as the bound refuses it
/// (`expected a number greater than GT`); the record's own check of the
/// bound refuses the rest (0 where `GT` is 0).
pub struct UInt<const GT: i64>;

impl<const GT: i64> UInt<GT> {
    fn read(i: i128, at: &Path<'_>) -> Result<u64, Error> {
        match u64::try_from(i) {
            Ok(x) => Ok(x),
            Err(_) if i < 0 => Err(below_bound(GT, i, at)),
            Err(_) => Err(Error::new(at, INT_RANGE, format!("integer {i}"))),
        }
    }
}

#[cold]
#[inline(never)]
fn below_bound(bound: i64, i: i128, at: &Path<'_>) -> Error {
    Error::new(at, format!("a number greater than {bound}"), format!("integer {i}"))
}

impl<const GT: i64> Codec for UInt<GT> {
    type Out = u64;
    const KIND: Kind = Kind::Int;
    fn encode<S: Serializer>(x: &u64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(*x)
    }
    fn de_int<E: de::Error>(i: i128, at: &Path<'_>) -> Result<u64, E> {
        Self::read(i, at).map_err(Error::into_de)
    }
}

/// A float.
#[allow(dead_code, reason = "for schemas with a `float` field; the WAMP schema has none")]
pub struct Float;

impl Codec for Float {
    type Out = f64;
    const KIND: Kind = Kind::Float;
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
    const KIND: Kind = Kind::Number;
    fn to_value(x: &Number) -> Value {
        Value::from(*x)
    }
    fn encode<S: Serializer>(x: &Number, s: S) -> Result<S::Ok, S::Error> {
        match x {
            Number::Int(i) => encode_int(*i, "number field", s),
            Number::Float(f) => s.serialize_f64(*f),
        }
    }
    fn de_int<E: de::Error>(i: i128, _: &Path<'_>) -> Result<Number, E> {
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
    const KIND: Kind = Kind::Str;
    fn take_value(x: &mut String) -> Value {
        Value::Str(std::mem::take(x))
    }
    fn encode<S: Serializer>(x: &String, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(x)
    }
    fn de_str<E: de::Error>(s: &str, at: &Path<'_>, hr: bool) -> Result<String, E> {
        match json_bytes_mismatch::<Self, E>(s, at, hr) {
            Some(e) => Err(e),
            None => Ok(s.to_owned()),
        }
    }
    fn de_string<E: de::Error>(s: String, at: &Path<'_>, hr: bool) -> Result<String, E> {
        match json_bytes_mismatch::<Self, E>(&s, at, hr) {
            Some(e) => Err(e),
            None => Ok(s),
        }
    }
}

/// A byte string.
pub struct Bytes;

impl Codec for Bytes {
    type Out = Vec<u8>;
    const KIND: Kind = Kind::Bytes;
    fn take_value(x: &mut Vec<u8>) -> Value {
        Value::Bytes(std::mem::take(x))
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
    const KIND: Kind = Kind::Hex(N);
    fn encode<S: Serializer>(x: &[u8; N], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&Self::render(x))
    }
    fn de_str<E: de::Error>(s: &str, at: &Path<'_>, _hr: bool) -> Result<[u8; N], E> {
        Self::parse(s).ok_or_else(|| mismatch::<Self, E>(at, describe_str(s)))
    }
}

/// A type whose values travel as one of a fixed set of strings.
pub trait WireEnum: Sized + Copy + Ord + 'static {
    /// Every value, in schema order.
    const ALL: &'static [Self];
    /// The enum's name and wire strings, for the shapes.
    const ENUM: crate::runtime::shape::Enum;
    /// The string that stands for this value on the wire.
    fn wire(self) -> &'static str;
    /// The value a wire string stands for.
    fn from_wire(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.wire() == s)
    }
}

/// The value of `T` that the wire string `s` stands for, for `FromStr`:
/// any other string is refused with an error that names the type, the
/// string and the allowed ones.
pub fn enum_from_str<T: WireEnum>(type_name: &'static str, s: &str) -> Result<T, Error> {
    T::from_wire(s).ok_or_else(|| Error::message(type_name, T::ENUM.expected(), describe_str(s)))
}

/// One of the strings of a [`WireEnum`].
pub struct Enum<T>(PhantomData<fn() -> T>);

impl<T: WireEnum> Codec for Enum<T> {
    type Out = T;
    const KIND: Kind = Kind::Enum(&T::ENUM);
    fn encode<S: Serializer>(x: &T, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(x.wire())
    }
    fn de_str<E: de::Error>(s: &str, at: &Path<'_>, hr: bool) -> Result<T, E> {
        T::from_wire(s).ok_or_else(|| json_bytes_mismatch::<Self, E>(s, at, hr).unwrap_or_else(|| mismatch::<Self, E>(at, describe_str(s))))
    }
}

/// A field that only code can set (a callback or a runtime handle, held
/// as a `T`): data may hold `null` for it, nothing else.
pub struct Unset<T = ()>(PhantomData<fn() -> T>);

impl<T> Codec for Unset<T> {
    type Out = T;
    const KIND: Kind = Kind::Handle;
    fn encode<S: Serializer>(_: &T, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_none()
    }
}
