//! Building a [`Value`] from Rust values, collecting one from an iterator,
//! and comparing one with Rust values, as `serde_json::Value` allows.

use std::borrow::Cow;

use super::value::{Key, Map, Number, Value};

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
    i8 => Int,
    i16 => Int,
    i32 => Int,
    i64 => Int,
    i128 => Int,
    u8 => Int,
    u16 => Int,
    u32 => Int,
    u64 => Int,
    f32 => Float,
    f64 => Float,
    String => Str,
    &str => Str,
    &String => Str,
    Cow<'_, str> => Str,
    Vec<u8> => Bytes,
    Vec<Value> => List,
    Map => Map,
}

impl From<isize> for Value {
    fn from(x: isize) -> Self {
        // `isize` is at most 64 bits wide on every Rust target.
        Value::Int(x as i128)
    }
}

impl From<usize> for Value {
    fn from(x: usize) -> Self {
        // `usize` is at most 64 bits wide on every Rust target.
        Value::Int(x as i128)
    }
}

impl From<u128> for Value {
    /// An integer; one above `i128::MAX` becomes `i128::MAX`. Like every
    /// integer above `2^64 - 1`, it is refused when serialized.
    fn from(x: u128) -> Self {
        Value::Int(i128::try_from(x).unwrap_or(i128::MAX))
    }
}

impl From<()> for Value {
    /// `Null`.
    fn from((): ()) -> Self {
        Value::Null
    }
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
    /// `Null` for `None`.
    fn from(x: Option<T>) -> Self {
        x.map_or(Value::Null, Into::into)
    }
}

impl<T: Into<Value>> FromIterator<T> for Value {
    /// A list of the items.
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Value::List(iter.into_iter().map(Into::into).collect())
    }
}

impl<K: Into<Key>, V: Into<Value>> FromIterator<(K, V)> for Value {
    /// A map of the entries; a key that comes again replaces the earlier
    /// value, as [`Map::insert`] does.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Value::Map(iter.into_iter().collect())
    }
}

// Comparisons with Rust values. A value equals an integer only when it is
// an integer, and a float only when it is a float: `Value::Int(1) != 1.0`,
// as integers and floats are kept apart everywhere in this crate.

fn eq_int(v: &Value, x: i128) -> bool {
    matches!(v, Value::Int(i) if *i == x)
}

fn eq_float(v: &Value, x: f64) -> bool {
    matches!(v, Value::Float(f) if *f == x)
}

fn eq_str(v: &Value, x: &str) -> bool {
    matches!(v, Value::Str(s) if s == x)
}

fn eq_bool(v: &Value, x: bool) -> bool {
    matches!(v, Value::Bool(b) if *b == x)
}

/// Comparisons with a primitive `$t`, converted to what `$eq` takes with `$conv`.
macro_rules! partial_eq {
    ($eq:ident, $conv:ident: $($t:ty),* $(,)?) => {
        $(
            impl PartialEq<$t> for Value {
                fn eq(&self, other: &$t) -> bool {
                    $eq(self, $conv(*other))
                }
            }
            impl PartialEq<$t> for &Value {
                fn eq(&self, other: &$t) -> bool {
                    $eq(self, $conv(*other))
                }
            }
            impl PartialEq<$t> for &mut Value {
                fn eq(&self, other: &$t) -> bool {
                    $eq(self, $conv(*other))
                }
            }
            impl PartialEq<Value> for $t {
                fn eq(&self, other: &Value) -> bool {
                    $eq(other, $conv(*self))
                }
            }
        )*
    };
}

fn wide<T: TryInto<i128>>(x: T) -> i128 {
    // Every primitive integer but `u128` converts; a `u128` that does not
    // fit is larger than any integer a value holds.
    x.try_into().unwrap_or(i128::MAX)
}

fn same<T>(x: T) -> T {
    x
}

partial_eq!(eq_int, wide: i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, usize);
partial_eq!(eq_float, f64_of: f32, f64);
partial_eq!(eq_bool, same: bool);

fn f64_of<T: Into<f64>>(x: T) -> f64 {
    x.into()
}

/// Comparisons with a string type `$t`.
macro_rules! partial_eq_str {
    ($($t:ty),*) => {
        $(
            impl PartialEq<$t> for Value {
                fn eq(&self, other: &$t) -> bool {
                    eq_str(self, other)
                }
            }
            impl PartialEq<Value> for $t {
                fn eq(&self, other: &Value) -> bool {
                    eq_str(other, self)
                }
            }
        )*
    };
}

partial_eq_str!(str, &str, String);
