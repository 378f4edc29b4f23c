//! The dynamic value: what a WAMP dict holds before it is typed.

use std::borrow::Cow;
use std::fmt;

use super::codec::MAX_DEPTH;

/// A map key: borrowed for the fixed keys of generated types, owned otherwise.
pub type Key = Cow<'static, str>;

/// A dynamically typed WAMP value, as carried by JSON, MessagePack or CBOR.
///
/// Integers and floats are kept apart: `1` and `1.0` are different values,
/// as they are in autobahn-python.
///
/// Values built in code may nest arbitrarily deep. Dropping never recurses;
/// cloning and comparing recurse a few dozen levels at most and go on with
/// an explicit stack, so even a value nested 100,000 levels deep is handled
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
///
/// # A key twice
///
/// Input that holds one key twice in one map is refused, in every format
/// (JSON, MessagePack, CBOR) and at every level: decoding into a [`Value`],
/// into the known keys of a generated type, into the keys a lenient type
/// skips or keeps, and inside `any` and `map` fields. The error names the
/// key, e.g. `SessionDetails.authextra["a"]: expected each key once, got the
/// key twice`. A `Map` itself cannot hold a key twice, so `parse` from a
/// [`Value`] never meets one.
///
/// Lookups are linear in the number of entries; building a map by
/// collecting an iterator, comparing maps and the duplicate check of
/// decoding are `O(n log n)`, so maps of 100,000 keys are cheap.
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
    /// Collects entries; a key that comes again replaces the earlier value
    /// in its place, as [`Map::insert`] does, in `O(n log n)`.
    fn from_iter<I: IntoIterator<Item = (K, Value)>>(iter: I) -> Self {
        let entries: Vec<(Key, Value)> = iter.into_iter().map(|(k, v)| (k.into(), v)).collect();
        if Map::first_duplicate(&entries).is_none() {
            return Map { entries };
        }
        let mut order: Vec<usize> = (0..entries.len()).collect();
        order.sort_by(|&a, &b| entries[a].0.cmp(&entries[b].0).then(a.cmp(&b)));
        // For each key: its first place, and the last value given for it.
        let mut last_of = vec![None; entries.len()];
        for run in order.chunk_by(|&a, &b| entries[a].0 == entries[b].0) {
            last_of[run[0]] = run.last().copied();
        }
        let mut slots: Vec<Option<(Key, Value)>> = entries.into_iter().map(Some).collect();
        let mut out = Vec::with_capacity(slots.len());
        for (i, last) in last_of.into_iter().enumerate() {
            let (Some(last), Some((key, first))) = (last, slots[i].take()) else { continue };
            let value = if last == i { first } else { slots[last].take().map_or(first, |(_, v)| v) };
            out.push((key, value));
        }
        Map { entries: out }
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
        let mut pairs = Vec::new();
        self.pair_up(other, &mut pairs) && pairs.into_iter().all(|(a, b)| a == b)
    }
}

impl Map {
    /// Pairs each value with the value of the same key in `other`; `false`
    /// when the key sets differ.
    fn pair_up<'a>(&'a self, other: &'a Map, out: &mut Vec<(&'a Value, &'a Value)>) -> bool {
        if self.len() != other.len() {
            return false;
        }
        if self.len() <= 32 {
            for (k, v) in &self.entries {
                match other.get(k) {
                    Some(w) => out.push((v, w)),
                    None => return false,
                }
            }
            return true;
        }
        let mut a: Vec<&(Key, Value)> = self.entries.iter().collect();
        let mut b: Vec<&(Key, Value)> = other.entries.iter().collect();
        a.sort_unstable_by(|x, y| x.0.cmp(&y.0));
        b.sort_unstable_by(|x, y| x.0.cmp(&y.0));
        for (x, y) in a.into_iter().zip(b) {
            if x.0 != y.0 {
                return false;
            }
            out.push((&x.1, &y.1));
        }
        true
    }
}

impl fmt::Debug for Map {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Shown::map(self, 0, f)
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

/// Whether a value is a list or map with entries.
fn is_container(v: &Value) -> bool {
    matches!(v, Value::List(l) if !l.is_empty()) || matches!(v, Value::Map(m) if !m.is_empty())
}

/// A copy of a value that is not a container with entries.
fn clone_flat(v: &Value) -> Option<Value> {
    Some(match v {
        Value::Null => Value::Null,
        Value::Bool(b) => Value::Bool(*b),
        Value::Int(i) => Value::Int(*i),
        Value::Float(x) => Value::Float(*x),
        Value::Str(s) => Value::Str(s.clone()),
        Value::Bytes(b) => Value::Bytes(b.clone()),
        Value::List(l) if l.is_empty() => Value::List(Vec::new()),
        Value::Map(m) if m.is_empty() => Value::Map(Map::new()),
        Value::List(_) | Value::Map(_) => return None,
    })
}

/// A container being copied: what is left of the source, the copy so far,
/// and the key the copy goes under in its parent map.
struct CloneFrame<'a> {
    list: std::slice::Iter<'a, Value>,
    map: std::slice::Iter<'a, (Key, Value)>,
    out: Value,
    key: Option<Key>,
}

impl<'a> CloneFrame<'a> {
    fn new(v: &'a Value, key: Option<Key>) -> Self {
        let (list, map, out) = match v {
            Value::List(l) => (l.iter(), [].iter(), Value::List(Vec::with_capacity(l.len()))),
            Value::Map(m) => ([].iter(), m.entries.iter(), Value::Map(Map::with_capacity(m.len()))),
            _ => ([].iter(), [].iter(), Value::Null),
        };
        CloneFrame { list, map, out, key }
    }

    fn next(&mut self) -> Option<(Option<Key>, &'a Value)> {
        match self.list.next() {
            Some(v) => Some((None, v)),
            None => self.map.next().map(|(k, v)| (Some(k.clone()), v)),
        }
    }

    fn push(&mut self, key: Option<Key>, v: Value) {
        match (&mut self.out, key) {
            (Value::List(l), _) => l.push(v),
            (Value::Map(m), Some(k)) => m.entries.push((k, v)),
            _ => {}
        }
    }
}

/// How deep cloning and comparing recurse before they go on with an
/// explicit stack (which costs heap instead of stack).
const RECURSION_BUDGET: u32 = 64;

impl Clone for Value {
    fn clone(&self) -> Self {
        clone_within(self, RECURSION_BUDGET)
    }
}

fn clone_within(v: &Value, budget: u32) -> Value {
    match v {
        Value::List(l) if budget > 0 => Value::List(l.iter().map(|x| clone_within(x, budget - 1)).collect()),
        Value::Map(m) if budget > 0 => {
            let entries = m.entries.iter().map(|(k, x)| (k.clone(), clone_within(x, budget - 1))).collect();
            Value::Map(Map { entries })
        }
        _ => clone_flat(v).unwrap_or_else(|| clone_deep(v)),
    }
}

/// Copies a list or map with an explicit stack.
fn clone_deep(root: &Value) -> Value {
    let mut stack = vec![CloneFrame::new(root, None)];
    loop {
        let Some(top) = stack.last_mut() else { return Value::Null };
        match top.next() {
            Some((key, child)) => match clone_flat(child) {
                Some(copy) => top.push(key, copy),
                None => stack.push(CloneFrame::new(child, key)),
            },
            None => {
                let Some(done) = stack.pop() else { return Value::Null };
                match stack.last_mut() {
                    Some(parent) => parent.push(done.key, done.out),
                    None => return done.out,
                }
            }
        }
    }
}

/// Equality that recurses up to `budget` levels, then uses an explicit stack.
fn eq_within(a: &Value, b: &Value, budget: u32) -> bool {
    match (a, b) {
        (Value::List(x), Value::List(y)) if budget > 0 => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| eq_within(p, q, budget - 1))
        }
        (Value::Map(x), Value::Map(y)) if budget > 0 && x.len() <= 32 => {
            x.len() == y.len() && x.entries.iter().all(|(k, v)| y.get(k).is_some_and(|w| eq_within(v, w, budget - 1)))
        }
        (Value::List(_), Value::List(_)) | (Value::Map(_), Value::Map(_)) => eq_pairs(vec![(a, b)]),
        _ => eq_flat(a, b),
    }
}

/// Whether every pair holds equal values, compared with an explicit stack.
fn eq_pairs<'a>(mut stack: Vec<(&'a Value, &'a Value)>) -> bool {
    while let Some(pair) = stack.pop() {
        let same = match pair {
            (Value::List(a), Value::List(b)) if a.len() == b.len() => {
                stack.extend(a.iter().zip(b));
                true
            }
            (Value::Map(a), Value::Map(b)) => a.pair_up(b, &mut stack),
            // Lists of different lengths too: `eq_flat` calls no list equal.
            (a, b) => eq_flat(a, b),
        };
        if !same {
            return false;
        }
    }
    true
}

/// Equality of two values of which at least one is not a list or map.
fn eq_flat(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(a), Value::Bool(b)) => a == b,
        (Value::Int(a), Value::Int(b)) => a == b,
        (Value::Float(a), Value::Float(b)) => a == b,
        (Value::Str(a), Value::Str(b)) => a == b,
        (Value::Bytes(a), Value::Bytes(b)) => a == b,
        _ => false,
    }
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        eq_within(self, other, RECURSION_BUDGET)
    }
}

/// A value shown by `Debug` at a depth: deeper than [`MAX_DEPTH`], lists and
/// maps show as `[...]` and `{...}`, so showing never recurses deeply.
struct Shown<'a>(&'a Value, u32);

impl Shown<'_> {
    fn map(m: &Map, depth: u32, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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
