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
/// Build one with `From` (every primitive integer, `f32`, `f64`, `bool`,
/// strings, `Vec<u8>` as bytes, `Vec<Value>`, [`Map`], `Option<T>` as null
/// for `None`) or by collecting; read it with the `as_*` accessors, take it
/// apart with the `into_*` methods, compare it with primitives, and show it
/// as compact JSON-like text with `Display`:
///
/// ```
/// use wamp_types::{Map, Value};
///
/// let extra: Value = [("retries", Value::from(3u8)), ("tags", ["a", "b"].into_iter().collect())]
///     .into_iter()
///     .collect();
/// assert_eq!(extra.to_string(), r#"{"retries":3,"tags":["a","b"]}"#);
/// assert_eq!(extra.get("retries").and_then(Value::as_u64), Some(3));
/// assert!(extra.get("retries") == Some(&Value::from(3)) && extra["retries"] == 3);
///
/// // Move the map out by pattern (or with `into_map`).
/// let Value::Map(mut map) = extra else { panic!("a map") };
/// map.insert("timeout", Value::from(None::<i64>));
/// assert_eq!(map["timeout"], Value::Null);
/// assert_eq!(Value::from(1.5f32), 1.5);
/// assert_ne!(Value::from(1), 1.0); // integers and floats are kept apart
/// ```
///
/// `&Value` is a serde `Deserializer`, as `&serde_json::Value` is: every
/// type of the crate reads from a value with `T::deserialize(&value)`, with
/// the same rules and errors as its `parse`, and so does any other
/// `Deserialize` type.
///
/// ```
/// use serde::Deserialize;
/// use wamp_types::{CallOptions, Value};
///
/// let value: Value = [("timeout", Value::from(500))].into_iter().collect();
/// let options = CallOptions::deserialize(&value).unwrap();
/// assert_eq!(options, CallOptions::parse(&value).unwrap());
/// ```
///
/// Nothing the crate reads or builds nests lists and maps deeper than 128:
/// decoding refuses deeper nesting with an error. Values built in code may
/// nest deeper; cloning and comparing recurse a few dozen levels at most
/// and go on with an explicit stack, `Debug` and `Display` show what lies
/// deeper than 128 as `[...]` or `{...}`, and serializing refuses such
/// nesting with an error. Dropping recurses, as it does for
/// `serde_json::Value`: code that builds a value many thousands of levels
/// deep frees it with a stack of its own (move the lists and maps out by
/// pattern onto a `Vec` and pop them until it is empty).
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

/// Methods that give the content of one variant of a value, `None` for
/// the others: from `&self` (`ref`), `&mut self` (`mut`) or `self` (`own`).
macro_rules! variant_access {
    ($($(#[$doc:meta])* $how:ident $name:ident -> $out:ty { $variant:ident($x:ident) => $e:expr })*) => {
        $(variant_access!(@ $how $(#[$doc])* $name, $out, $variant, $x, $e);)*
    };
    (@ ref $(#[$doc:meta])* $name:ident, $out:ty, $variant:ident, $x:ident, $e:expr) => {
        $(#[$doc])*
        pub fn $name(&self) -> Option<$out> {
            if let Value::$variant($x) = self { Some($e) } else { None }
        }
    };
    (@ mut $(#[$doc:meta])* $name:ident, $out:ty, $variant:ident, $x:ident, $e:expr) => {
        $(#[$doc])*
        pub fn $name(&mut self) -> Option<$out> {
            if let Value::$variant($x) = self { Some($e) } else { None }
        }
    };
    (@ own $(#[$doc:meta])* $name:ident, $out:ty, $variant:ident, $x:ident, $e:expr) => {
        $(#[$doc])*
        pub fn $name(self) -> Option<$out> {
            if let Value::$variant($x) = self { Some($e) } else { None }
        }
    };
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

    variant_access! {
        /// The boolean, if the value is one.
        ref as_bool -> bool { Bool(b) => *b }
        /// The integer, if the value is one (any integer [`Value::Int`] holds).
        ref as_int -> i128 { Int(i) => *i }
        /// The string, if the value is one.
        ref as_str -> &str { Str(s) => s }
        /// The bytes, if the value is a byte string.
        ref as_bytes -> &[u8] { Bytes(b) => b }
        /// The list, if the value is one.
        ref as_list -> &[Value] { List(l) => l }
        /// The list, to change it in place, if the value is one.
        mut as_list_mut -> &mut Vec<Value> { List(l) => l }
        /// The map, if the value is one.
        ref as_map -> &Map { Map(m) => m }
        /// The map, to change it in place, if the value is one.
        mut as_map_mut -> &mut Map { Map(m) => m }
        /// The list, taken out of the value; `None` for another variant.
        own into_list -> Vec<Value> { List(l) => l }
        /// The map, taken out of the value; `None` for another variant.
        own into_map -> Map { Map(m) => m }
        /// The string, taken out of the value; `None` for another variant.
        own into_string -> String { Str(s) => s }
        /// The bytes, taken out of the value; `None` for another variant.
        own into_bytes -> Vec<u8> { Bytes(b) => b }
    }

    /// The integer, if the value is one that fits in an `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        self.as_int().and_then(|i| i64::try_from(i).ok())
    }

    /// The integer, if the value is one that fits in a `u64`.
    pub fn as_u64(&self) -> Option<u64> {
        self.as_int().and_then(|i| u64::try_from(i).ok())
    }

    /// The number as a float, if the value is a float or an integer (an
    /// integer past `2^53` is rounded to the nearest float), as
    /// `serde_json::Value::as_f64` does.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Float(x) => Some(*x),
            Value::Int(i) => Some(*i as f64),
            _ => None,
        }
    }

    /// The value of `key`, if the value is a map that holds it.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_map().and_then(|m| m.get(key))
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

/// A value shown by `Debug` at a depth: deeper than 128, lists and
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

/// What indexing gives for a key or position that is not there.
static NULL: Value = Value::Null;

impl std::ops::Index<&str> for Value {
    type Output = Value;
    /// The value of `key` in a map; `Null` when the value is not a map or
    /// has no such key, as `serde_json::Value` indexes.
    fn index(&self, key: &str) -> &Value {
        self.get(key).unwrap_or(&NULL)
    }
}

impl std::ops::Index<usize> for Value {
    type Output = Value;
    /// The element at `i` of a list; `Null` when the value is not a list or
    /// is shorter, as `serde_json::Value` indexes.
    fn index(&self, i: usize) -> &Value {
        self.as_list().and_then(|l| l.get(i)).unwrap_or(&NULL)
    }
}
