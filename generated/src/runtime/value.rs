//! The dynamic value: what a WAMP dict holds before it is typed.

use std::borrow::Cow;
use std::fmt;

use super::codec::MAX_DEPTH;
pub use super::map::Map;

/// A map key: borrowed for the fixed keys of generated types, owned otherwise.
pub type Key = Cow<'static, str>;

/// A dynamically typed WAMP value, as carried by JSON, MessagePack or CBOR.
///
/// Integers and floats are kept apart: `1` and `1.0` are different values,
/// as they are in autobahn-python.
///
/// Values built in code may nest arbitrarily deep. Dropping, cloning and
/// comparing recurse a few dozen levels at most and go on with an explicit
/// stack, so even a value nested 100,000 levels deep is handled
/// without overflowing the stack. `Debug` shows what lies deeper than
/// [`MAX_DEPTH`] as `[...]` or `{...}`, and serializing refuses such nesting
/// with an error (as decoding does).
#[derive(Default)]
pub enum Value {
    /// No value (`null`, `nil`, `None`).
    #[default]
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer. Every integer that JSON, MessagePack and CBOR carry in
    /// 64 bits fits, signed and unsigned: from `-2^63` ([`Value::INT_MIN`])
    /// to `2^64 - 1` ([`Value::INT_MAX`]). A value built in code outside
    /// that range is refused with an error when it is serialized.
    Int(i128),
    /// A 64-bit float.
    Float(f64),
    /// A UTF-8 string.
    Str(String),
    /// A byte string.
    Bytes(Vec<u8>),
    /// A list of values.
    List(Vec<Value>),
    /// A map with string keys, in insertion order.
    Map(Map),
}

/// An integer or a float, kept apart (a WAMP `timeout` may be either).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    /// An integer, from [`Value::INT_MIN`] to [`Value::INT_MAX`] on the wire.
    Int(i128),
    /// A float.
    Float(f64),
}

impl Number {
    /// The number as a float.
    pub fn as_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Float(f) => f,
        }
    }
}

macro_rules! number_from_int {
    ($($t:ty),*) => {
        $(impl From<$t> for Number {
            fn from(i: $t) -> Self {
                Number::Int(i.into())
            }
        })*
    };
}

number_from_int!(i8, i16, i32, i64, i128, u8, u16, u32, u64);

impl From<f64> for Number {
    fn from(f: f64) -> Self {
        Number::Float(f)
    }
}
impl Value {
    /// The smallest integer a value carries on the wire: `-2^63`.
    pub const INT_MIN: i128 = i64::MIN as i128;
    /// The largest integer a value carries on the wire: `2^64 - 1`.
    pub const INT_MAX: i128 = u64::MAX as i128;

    /// A short description of the value for error messages: its kind, and
    /// for scalars the value itself (long strings are cut).
    pub fn describe(&self) -> String {
        match self {
            Value::Null => "null".to_owned(),
            Value::Bool(b) => format!("boolean {b}"),
            Value::Int(i) => format!("integer {i}"),
            Value::Float(x) => format!("float {x:?}"),
            Value::Str(s) => describe_str(s),
            Value::Bytes(b) => format!("bytes (length {})", b.len()),
            Value::List(l) => format!("list (length {})", l.len()),
            Value::Map(m) => format!("map (length {})", m.len()),
        }
    }

    /// Whether the value is `Null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The string, if the value is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The integer, if the value is one that fits in an `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(i) => i64::try_from(*i).ok(),
            _ => None,
        }
    }

    /// The map, if the value is one.
    pub fn as_map(&self) -> Option<&Map> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The list, if the value is one.
    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    /// Takes the value out, leaving `Null`.
    pub fn take(&mut self) -> Value {
        std::mem::take(self)
    }
}

/// Describes a string for an error message, cut to a readable length.
pub(crate) fn describe_str(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        format!("string {s:?}")
    } else {
        let cut: String = s.chars().take(MAX).collect();
        format!("string {cut:?}... (length {})", s.len())
    }
}

/// A value shown by `Debug` at a depth: deeper than [`MAX_DEPTH`], lists and
/// maps show as `[...]` and `{...}`, so showing never recurses deeply.
pub(super) struct Shown<'a>(&'a Value, u32);

impl Shown<'_> {
    pub(super) fn map(m: &Map, depth: u32, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if depth >= MAX_DEPTH && !m.is_empty() {
            return f.write_str("{...}");
        }
        f.debug_map().entries(m.iter().map(|(k, v)| (k, Shown(v, depth + 1)))).finish()
    }
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Value::Null => f.write_str("Null"),
            Value::Bool(b) => write!(f, "Bool({b})"),
            Value::Int(i) => write!(f, "Int({i})"),
            Value::Float(x) => write!(f, "Float({x:?})"),
            Value::Str(s) => write!(f, "Str({s:?})"),
            Value::Bytes(b) => write!(f, "Bytes({b:02x?})"),
            Value::List(l) if self.1 >= MAX_DEPTH && !l.is_empty() => f.write_str("[...]"),
            Value::List(l) => f.debug_list().entries(l.iter().map(|v| Shown(v, self.1 + 1))).finish(),
            Value::Map(m) => Shown::map(m, self.1, f),
        }
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Shown(self, 0).fmt(f)
    }
}

macro_rules! value_from {
    ($($t:ty => $variant:ident),* $(,)?) => {
        $(impl From<$t> for Value {
            fn from(x: $t) -> Self {
                Value::$variant(x.into())
            }
        })*
    };
}

value_from! {
    bool => Bool,
    i64 => Int,
    i32 => Int,
    u32 => Int,
    u64 => Int,
    i128 => Int,
    f64 => Float,
    String => Str,
    &str => Str,
    Vec<u8> => Bytes,
    Vec<Value> => List,
    Map => Map,
}

impl From<Number> for Value {
    fn from(n: Number) -> Self {
        match n {
            Number::Int(i) => Value::Int(i),
            Number::Float(f) => Value::Float(f),
        }
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(x: Option<T>) -> Self {
        x.map_or(Value::Null, Into::into)
    }
}
