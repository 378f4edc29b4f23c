//! The dynamic value: what a WAMP dict holds before it is typed.

use std::borrow::Cow;
use std::fmt;

/// A map key: borrowed for the fixed keys of generated types, owned otherwise.
pub type Key = Cow<'static, str>;

/// A dynamically typed WAMP value, as carried by JSON, MessagePack or CBOR.
///
/// Integers and floats are kept apart: `1` and `1.0` are different values,
/// as they are in autobahn-python. Dropping a value never recurses, so even
/// a value nested 100,000 levels deep is freed without overflowing the stack.
#[derive(Clone, Default)]
pub enum Value {
    /// No value (`null`, `nil`, `None`).
    #[default]
    Null,
    /// A boolean.
    Bool(bool),
    /// A signed 64-bit integer.
    Int(i64),
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
    /// An integer.
    Int(i64),
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

impl From<i64> for Number {
    fn from(i: i64) -> Self {
        Number::Int(i)
    }
}

impl From<f64> for Number {
    fn from(f: f64) -> Self {
        Number::Float(f)
    }
}

/// A map with string keys that keeps insertion order.
///
/// Keys are unique: [`Map::insert`] replaces the value of a key that is
/// already there. Two maps are equal when they hold the same entries,
/// whatever their order (as Python dicts compare).
#[derive(Clone, Default)]
pub struct Map {
    entries: Vec<(Key, Value)>,
}

impl Map {
    /// An empty map.
    pub const fn new() -> Self {
        Map { entries: Vec::new() }
    }

    /// An empty map with room for `n` entries.
    pub fn with_capacity(n: usize) -> Self {
        Map { entries: Vec::with_capacity(n) }
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the map has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The value of `key`, if present.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Whether `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Sets `key` to `value`, returning the value it replaced.
    pub fn insert(&mut self, key: impl Into<Key>, value: Value) -> Option<Value> {
        let key = key.into();
        match self.entries.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => Some(std::mem::replace(v, value)),
            None => {
                self.entries.push((key, value));
                None
            }
        }
    }

    /// Removes `key`, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let i = self.entries.iter().position(|(k, _)| k == key)?;
        Some(self.entries.remove(i).1)
    }

    /// Appends an entry whose key the caller knows is not present yet.
    ///
    /// Generated code uses this for the fixed keys of a type.
    pub fn push_unique(&mut self, key: impl Into<Key>, value: Value) {
        self.entries.push((key.into(), value));
    }

    /// The entries in insertion order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &Value)> {
        self.entries.iter().map(|(k, v)| (&**k, v))
    }

    /// The keys in insertion order.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &str> {
        self.entries.iter().map(|(k, _)| &**k)
    }

    /// Takes all entries out, leaving the map empty.
    pub(crate) fn take_entries(&mut self) -> Vec<(Key, Value)> {
        std::mem::take(&mut self.entries)
    }

    /// The first key that appears twice, if any.
    pub(crate) fn first_duplicate(entries: &[(Key, Value)]) -> Option<&str> {
        if entries.len() <= 16 {
            for (i, (k, _)) in entries.iter().enumerate() {
                if entries[..i].iter().any(|(p, _)| p == k) {
                    return Some(k);
                }
            }
            return None;
        }
        let mut keys: Vec<&str> = entries.iter().map(|(k, _)| &**k).collect();
        keys.sort_unstable();
        keys.windows(2).find(|w| w[0] == w[1]).map(|w| w[0])
    }

    /// Builds a map from entries whose keys are known to be unique.
    pub(crate) fn from_unique(entries: Vec<(Key, Value)>) -> Self {
        Map { entries }
    }
}

impl<K: Into<Key>> FromIterator<(K, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (K, Value)>>(iter: I) -> Self {
        let mut map = Map::new();
        for (k, v) in iter {
            map.insert(k, v);
        }
        map
    }
}

impl IntoIterator for Map {
    type Item = (Key, Value);
    type IntoIter = std::vec::IntoIter<(Key, Value)>;
    fn into_iter(mut self) -> Self::IntoIter {
        self.take_entries().into_iter()
    }
}

impl PartialEq for Map {
    fn eq(&self, other: &Self) -> bool {
        if self.len() != other.len() {
            return false;
        }
        if self.len() <= 32 {
            return self.entries.iter().all(|(k, v)| other.get(k) == Some(v));
        }
        let mut a: Vec<&(Key, Value)> = self.entries.iter().collect();
        let mut b: Vec<&(Key, Value)> = other.entries.iter().collect();
        a.sort_unstable_by(|x, y| x.0.cmp(&y.0));
        b.sort_unstable_by(|x, y| x.0.cmp(&y.0));
        a.iter().zip(&b).all(|(x, y)| x.0 == y.0 && x.1 == y.1)
    }
}

impl fmt::Debug for Map {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Value {
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

    /// The integer, if the value is one.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
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

impl Drop for Value {
    fn drop(&mut self) {
        // Free nested containers with an explicit stack instead of recursion.
        let mut stack = match self {
            Value::List(l) if l.iter().any(is_container) => std::mem::take(l),
            Value::Map(m) if m.entries.iter().any(|(_, v)| is_container(v)) => {
                m.take_entries().into_iter().map(|(_, v)| v).collect()
            }
            _ => return,
        };
        while let Some(mut v) = stack.pop() {
            match &mut v {
                Value::List(l) => stack.append(l),
                Value::Map(m) => stack.extend(m.take_entries().into_iter().map(|(_, v)| v)),
                _ => {}
            }
        }
    }
}

fn is_container(v: &Value) -> bool {
    matches!(v, Value::List(l) if !l.is_empty()) || matches!(v, Value::Map(m) if !m.is_empty())
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a == b,
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::Bytes(a), Value::Bytes(b)) => a == b,
            (Value::List(a), Value::List(b)) => a == b,
            (Value::Map(a), Value::Map(b)) => a == b,
            _ => false,
        }
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("Null"),
            Value::Bool(b) => write!(f, "Bool({b})"),
            Value::Int(i) => write!(f, "Int({i})"),
            Value::Float(x) => write!(f, "Float({x:?})"),
            Value::Str(s) => write!(f, "Str({s:?})"),
            Value::Bytes(b) => write!(f, "Bytes({b:02x?})"),
            Value::List(l) => f.debug_list().entries(l).finish(),
            Value::Map(m) => m.fmt(f),
        }
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
