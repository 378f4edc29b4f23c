//! `Map`: the string-keyed, insertion-ordered map of a [`Value`].

use std::fmt;
use std::ops::{Index, IndexMut};

use super::value::{Key, Shown, Value};

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
    pub(super) entries: Vec<(Key, Value)>,
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

    /// The value of `key`, to change it in place, if present.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.entries.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
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
    pub(crate) fn push_unique(&mut self, key: impl Into<Key>, value: Value) {
        self.entries.push((key.into(), value));
    }

    /// The entries in insertion order.
    pub fn iter(&self) -> MapIter<'_> {
        MapIter(self.entries.iter())
    }

    /// The entries in insertion order, with values to change in place.
    pub fn iter_mut(&mut self) -> MapIterMut<'_> {
        MapIterMut(self.entries.iter_mut())
    }

    /// The keys in insertion order.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &str> + DoubleEndedIterator {
        self.entries.iter().map(|(k, _)| &**k)
    }

    /// The values in insertion order.
    pub fn values(&self) -> impl ExactSizeIterator<Item = &Value> + DoubleEndedIterator {
        self.entries.iter().map(|(_, v)| v)
    }

    /// The values in insertion order, to change in place.
    pub fn values_mut(&mut self) -> impl ExactSizeIterator<Item = &mut Value> + DoubleEndedIterator {
        self.entries.iter_mut().map(|(_, v)| v)
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

impl<K: Into<Key>, V: Into<Value>> FromIterator<(K, V)> for Map {
    /// Collects entries; a key that comes again replaces the earlier value
    /// in its place, as [`Map::insert`] does, in `O(n log n)`.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let entries: Vec<(Key, Value)> = iter.into_iter().map(|(k, v)| (k.into(), v.into())).collect();
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

impl<K: Into<Key>, V: Into<Value>> Extend<(K, V)> for Map {
    /// Inserts each entry as [`Map::insert`] does: a key already present
    /// keeps its place and takes the new value. Large batches take
    /// `O(n log n)` rather than a lookup per entry.
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        let new: Vec<(Key, Value)> = iter.into_iter().map(|(k, v)| (k.into(), v.into())).collect();
        if new.len() <= 16 {
            for (k, v) in new {
                self.insert(k, v);
            }
        } else {
            let mut entries = self.take_entries();
            entries.extend(new);
            *self = entries.into_iter().collect();
        }
    }
}

impl IntoIterator for Map {
    type Item = (Key, Value);
    type IntoIter = std::vec::IntoIter<(Key, Value)>;
    /// The entries in insertion order, moved out; a key is a
    /// `Cow<'static, str>` (`key.into_owned()` gives a `String`).
    fn into_iter(mut self) -> Self::IntoIter {
        self.take_entries().into_iter()
    }
}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a str, &'a Value);
    type IntoIter = MapIter<'a>;
    fn into_iter(self) -> MapIter<'a> {
        self.iter()
    }
}

impl<'a> IntoIterator for &'a mut Map {
    type Item = (&'a str, &'a mut Value);
    type IntoIter = MapIterMut<'a>;
    fn into_iter(self) -> MapIterMut<'a> {
        self.iter_mut()
    }
}

/// The entries of a [`Map`] in insertion order (see [`Map::iter`]).
#[derive(Clone, Debug)]
pub struct MapIter<'a>(std::slice::Iter<'a, (Key, Value)>);

/// The entries of a [`Map`] in insertion order, with values to change in
/// place (see [`Map::iter_mut`]).
#[derive(Debug)]
pub struct MapIterMut<'a>(std::slice::IterMut<'a, (Key, Value)>);

/// The iterator traits of [`MapIter`] and [`MapIterMut`], which give each
/// entry as its key and (a reference to) its value.
macro_rules! entry_iter {
    ($($iter:ident => $value:ty),*) => {$(
        impl<'a> Iterator for $iter<'a> {
            type Item = (&'a str, $value);
            fn next(&mut self) -> Option<Self::Item> {
                self.0.next().map(|(k, v)| (&**k, v))
            }
            fn size_hint(&self) -> (usize, Option<usize>) {
                self.0.size_hint()
            }
        }

        impl DoubleEndedIterator for $iter<'_> {
            fn next_back(&mut self) -> Option<Self::Item> {
                self.0.next_back().map(|(k, v)| (&**k, v))
            }
        }

        impl ExactSizeIterator for $iter<'_> {}
    )*};
}

entry_iter!(MapIter => &'a Value, MapIterMut => &'a mut Value);

impl Index<&str> for Map {
    type Output = Value;
    /// The value of `key`.
    ///
    /// # Panics
    ///
    /// When `key` is not present, as `serde_json::Map` does; use
    /// [`Map::get`] to look up a key that may be absent.
    fn index(&self, key: &str) -> &Value {
        match self.get(key) {
            Some(v) => v,
            None => panic!("no key {key:?} in the map"),
        }
    }
}

impl IndexMut<&str> for Map {
    /// The value of `key`, to change it in place.
    ///
    /// # Panics
    ///
    /// When `key` is not present; use [`Map::insert`] to add a key.
    fn index_mut(&mut self, key: &str) -> &mut Value {
        match self.get_mut(key) {
            Some(v) => v,
            None => panic!("no key {key:?} in the map"),
        }
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
    pub(super) fn pair_up<'a>(&'a self, other: &'a Map, out: &mut Vec<(&'a Value, &'a Value)>) -> bool {
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
