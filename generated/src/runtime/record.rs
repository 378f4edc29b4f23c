//! Records: the dict-shaped types. Generated code says per record which
//! keys it knows and how each is filled; the loops, the handling of unknown
//! and repeated keys, and the presence rules live here once.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde::{Deserializer, Serializer};

use super::codec::{Codec, KeySeed, MAX_DEPTH, Seed, mismatch};
use super::error::{Error, Path};
use super::value::{Map, Value};

/// What a record does with a key it does not know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnknownKeys {
    /// Refuse the whole value (autobahn's constructors raise `TypeError`).
    Refuse,
    /// Skip the key (autobahn's `parse()` methods look only at known keys).
    Ignore,
    /// Keep the key and its value, and write them back (a dict autobahn
    /// passes through as it came).
    Keep,
    /// Keep the key and its value when the key is a custom name (`x_...`,
    /// see [`is_custom_name`](super::wamp::is_custom_name)); skip others.
    Custom,
}

impl UnknownKeys {
    /// Whether an unknown `key` is kept.
    pub fn keeps(self, key: &str) -> bool {
        match self {
            UnknownKeys::Keep => true,
            UnknownKeys::Custom => super::wamp::is_custom_name(key),
            UnknownKeys::Refuse | UnknownKeys::Ignore => false,
        }
    }
}

/// A dict-shaped type with a fixed set of keys.
pub trait Record: Sized {
    /// The type's name, which starts every error path.
    const NAME: &'static str;
    /// The keys it reads, in schema order.
    const KEYS: &'static [&'static str];
    /// What it does with other keys.
    const UNKNOWN: UnknownKeys;
    /// Other keys it refuses even so.
    const REFUSED: &'static [&'static str] = &[];
    /// One [`Slot`] per key, filled while reading.
    type Slots: Default;

    /// The index in [`Record::KEYS`] of `key`, if it is one of them.
    fn key_index(key: &str) -> Option<usize> {
        Self::KEYS.iter().position(|k| *k == key)
    }

    /// Fills the slot of key number `index` from a value.
    fn fill(slots: &mut Self::Slots, index: usize, v: &Value, at: &Path<'_>) -> Result<(), Error>;

    /// Fills the slot of key number `index` from a serde map.
    fn fill_de<'de, A: MapAccess<'de>>(
        slots: &mut Self::Slots,
        index: usize,
        map: &mut A,
        at: &Path<'_>,
        hr: bool,
        depth: u32,
    ) -> Result<(), A::Error>;

    /// Keeps an unknown key (only called when [`Record::UNKNOWN`] is `Keep`).
    fn keep(slots: &mut Self::Slots, key: super::value::Key, value: Value) {
        let _ = (slots, key, value);
    }

    /// Applies defaults, presence rules and cross-field checks.
    fn finish(slots: Self::Slots, at: &Path<'_>) -> Result<Self, Error>;

    /// The record's dict form.
    fn to_map(&self) -> Map;

    /// The record's dict form, moving what the record owns into it.
    fn into_map(self) -> Map {
        self.to_map()
    }

    /// Writes the dict form to a serde format.
    fn encode_map<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error>;
}

/// What was read for one key.
#[derive(Debug, Default)]
pub enum Slot<T> {
    /// The key was absent.
    #[default]
    Absent,
    /// The key held `null`.
    Null,
    /// The key held a value.
    Set(T),
}

impl<T> Slot<T> {
    /// Reads a value with codec `C`: `null` gives [`Slot::Null`].
    pub fn read<C: Codec<Out = T> + ?Sized>(v: &Value, at: &Path<'_>) -> Result<Self, Error> {
        match v {
            Value::Null => Ok(Slot::Null),
            _ => C::from_value(v, at).map(Slot::Set),
        }
    }

    /// Decodes the next map value with codec `C`.
    pub fn decode<'de, C: Codec<Out = T> + ?Sized, A: MapAccess<'de>>(
        map: &mut A,
        at: &Path<'_>,
        hr: bool,
        depth: u32,
    ) -> Result<Self, A::Error> {
        Ok(match map.next_value_seed(Seed::<C>::new(at, hr, depth))? {
            Some(x) => Slot::Set(x),
            None => Slot::Null,
        })
    }

    /// Fills the slot from a value with codec `C` (see [`Slot::read`]).
    #[inline]
    pub fn fill<C: Codec<Out = T> + ?Sized>(&mut self, v: &Value, at: &Path<'_>) -> Result<(), Error> {
        *self = Self::read::<C>(v, at)?;
        Ok(())
    }

    /// Fills the slot from the next map value with codec `C` (see
    /// [`Slot::decode`]).
    #[inline]
    pub fn fill_de<'de, C: Codec<Out = T> + ?Sized, A: MapAccess<'de>>(
        &mut self,
        map: &mut A,
        at: &Path<'_>,
        hr: bool,
        depth: u32,
    ) -> Result<(), A::Error> {
        *self = Self::decode::<C, A>(map, at, hr, depth)?;
        Ok(())
    }

    /// Absent or `null` give `None`.
    pub fn optional(self) -> Option<T> {
        match self {
            Slot::Set(x) => Some(x),
            _ => None,
        }
    }

    /// Absent gives `None`; `null` is refused.
    pub fn optional_strict<C: Codec<Out = T> + ?Sized>(self, at: &Path<'_>) -> Result<Option<T>, Error> {
        match self {
            Slot::Set(x) => Ok(Some(x)),
            Slot::Absent => Ok(None),
            Slot::Null => Err(Error::new(at, C::expected(), "null")),
        }
    }

    /// The key must be present and hold a value.
    pub fn required<C: Codec<Out = T> + ?Sized>(self, at: &Path<'_>) -> Result<T, Error> {
        match self {
            Slot::Set(x) => Ok(x),
            Slot::Null => Err(Error::new(at, C::expected(), "null")),
            Slot::Absent => Err(Error::new(at, C::expected(), "nothing (the key is required)")),
        }
    }

    /// The key must be present; it may hold `null`.
    pub fn required_key<C: Codec<Out = T> + ?Sized>(self, at: &Path<'_>) -> Result<Option<T>, Error> {
        match self {
            Slot::Set(x) => Ok(Some(x)),
            Slot::Null => Ok(None),
            Slot::Absent => Err(Error::new(at, format!("{} or null", C::expected()), "nothing (the key is required)")),
        }
    }

    /// Absent gives the default; `null` gives it too when `null_is_default`,
    /// and is refused otherwise.
    pub fn or_default<C: Codec<Out = T> + ?Sized>(self, at: &Path<'_>, null_is_default: bool, default: impl FnOnce() -> T) -> Result<T, Error> {
        match self {
            Slot::Set(x) => Ok(x),
            Slot::Absent => Ok(default()),
            Slot::Null if null_is_default => Ok(default()),
            Slot::Null => Err(Error::new(at, C::expected(), "null")),
        }
    }

    /// Whether the key was read at all.
    pub fn is_absent(&self) -> bool {
        matches!(self, Slot::Absent)
    }
}

/// Reads a record from a map value.
pub fn from_map<T: Record>(m: &Map, at: &Path<'_>) -> Result<T, Error> {
    let mut slots = T::Slots::default();
    for (k, v) in m.iter() {
        match T::key_index(k) {
            Some(i) => T::fill(&mut slots, i, v, &at.field(T::KEYS[i]))?,
            None => match T::UNKNOWN {
                _ if T::REFUSED.contains(&k) => return Err(refused_key::<T>(at, k)),
                UnknownKeys::Refuse => return Err(unknown_key::<T>(at, k)),
                u if u.keeps(k) => T::keep(&mut slots, k.to_owned().into(), v.clone()),
                _ => {}
            },
        }
    }
    T::finish(slots, at)
}

fn refused_key<T: Record>(at: &Path<'_>, k: &str) -> Error {
    Error::new(&at.key(k), format!("any key but {}", T::REFUSED.join(", ")), "a refused key")
}

fn unknown_key<T: Record>(at: &Path<'_>, k: &str) -> Error {
    Error::new(&at.key(k), format!("one of the keys {}", T::KEYS.join(", ")), "an unknown key")
}

/// Parses a top-level record from a value.
pub fn parse_root<T: Record>(v: &Value) -> Result<T, Error> {
    let at = Path::Root(T::NAME);
    match v {
        Value::Map(m) => from_map(m, &at),
        _ => Err(Error::new(&at, "map", v.describe())),
    }
}

/// Decodes a top-level record from any self-describing serde format.
pub fn decode_root<'de, T: Record, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    let at = Path::Root(T::NAME);
    let hr = d.is_human_readable();
    match Seed::<Rec<T>>::new(&at, hr, 0).deserialize(d)? {
        Some(x) => Ok(x),
        None => Err(mismatch::<Rec<T>, D::Error>(&at, "null")),
    }
}

/// The codec of a record type nested in another.
pub struct Rec<T>(PhantomData<fn() -> T>);

impl<T: Record> Codec for Rec<T> {
    type Out = T;
    fn expected() -> Cow<'static, str> {
        "map".into()
    }
    fn from_value(v: &Value, at: &Path<'_>) -> Result<T, Error> {
        match v {
            Value::Map(m) => from_map(m, at),
            _ => Err(Error::new(at, "map", v.describe())),
        }
    }
    fn to_value(x: &T) -> Value {
        Value::Map(x.to_map())
    }
    fn into_value(x: T) -> Value {
        Value::Map(x.into_map())
    }
    fn encode<S: Serializer>(x: &T, s: S) -> Result<S::Ok, S::Error> {
        x.encode_map(s)
    }
    fn de_map<'de, A: MapAccess<'de>>(map: A, at: &Path<'_>, hr: bool, depth: u32) -> Result<T, A::Error> {
        decode_map(map, at, hr, depth, None)
    }
}

/// Decodes a record from a serde map. Unknown keys that `capture` wants
/// are handed to it (the `enc_*` keys of a message's dict); those the
/// record keeps are read as values; the others are skipped, whatever they
/// hold.
pub fn decode_map<'de, T: Record, A: MapAccess<'de>>(
    mut map: A,
    at: &Path<'_>,
    hr: bool,
    depth: u32,
    mut capture: Option<&mut super::wamp::EncKeys>,
) -> Result<T, A::Error> {
    debug_assert!(T::KEYS.len() <= 64 && depth <= MAX_DEPTH);
    let mut slots = T::Slots::default();
    let mut seen = 0u64;
    let mut unknown_seen = SeenKeys::default();
    while let Some(key) = map.next_key_seed(FieldSeed::<T> { at, record: PhantomData })? {
        match key {
            Field::Known(i) => {
                let here = at.field(T::KEYS[i]);
                if seen & (1 << i) != 0 {
                    return Err(Error::into_de(Error::new(&here, "each key once", "the key twice")));
                }
                seen |= 1 << i;
                T::fill_de(&mut slots, i, &mut map, &here, hr, depth)?;
            }
            Field::Unknown(k) => {
                if T::REFUSED.contains(&&*k) {
                    return Err(Error::into_de(refused_key::<T>(at, &k)));
                }
                if T::UNKNOWN == UnknownKeys::Refuse {
                    return Err(Error::into_de(unknown_key::<T>(at, &k)));
                }
                if unknown_seen.contains(&k) {
                    return Err(Error::into_de(Error::new(&at.key(&k), "each key once", "the key twice")));
                }
                let here = at.key(&k);
                match capture.as_deref_mut() {
                    Some(c) if c.wants(&k) => {
                        let v = map.next_value_seed(Seed::<super::codec::Any>::new(&here, hr, depth))?;
                        c.put(&k, v.unwrap_or_default());
                    }
                    _ if T::UNKNOWN.keeps(&k) => {
                        let v = map.next_value_seed(Seed::<super::codec::Any>::new(&here, hr, depth))?;
                        T::keep(&mut slots, k.clone().into_owned().into(), v.unwrap_or_default());
                    }
                    _ => map.next_value_seed(super::wamp::Skip::new(&here, hr, depth + 1))?,
                }
                unknown_seen.insert(k);
            }
        }
    }
    T::finish(slots, at).map_err(Error::into_de)
}

/// The unknown keys of one map read so far, to refuse one that comes
/// twice: a short list while there are few (the common case: no
/// allocation for the set itself until a key comes), a hash set past that,
/// so that a hostile map with many keys costs no quadratic time.
#[derive(Default)]
enum SeenKeys<'de> {
    #[default]
    None,
    Few(Vec<Cow<'de, str>>),
    Many(std::collections::HashSet<Cow<'de, str>>),
}

impl<'de> SeenKeys<'de> {
    const FEW: usize = 8;

    fn contains(&self, k: &str) -> bool {
        match self {
            SeenKeys::None => false,
            SeenKeys::Few(v) => v.iter().any(|x| x == k),
            SeenKeys::Many(h) => h.contains(k),
        }
    }

    fn insert(&mut self, k: Cow<'de, str>) {
        match self {
            SeenKeys::None => *self = SeenKeys::Few(vec![k]),
            SeenKeys::Few(v) if v.len() < Self::FEW => v.push(k),
            SeenKeys::Few(v) => {
                let mut h: std::collections::HashSet<Cow<'de, str>> = v.drain(..).collect();
                h.insert(k);
                *self = SeenKeys::Many(h);
            }
            SeenKeys::Many(h) => {
                h.insert(k);
            }
        }
    }
}

/// A key of a record's map: one it knows (by position) or another,
/// borrowed from the input where the format lends it.
enum Field<'de> {
    Known(usize),
    Unknown(Cow<'de, str>),
}

struct FieldSeed<'a, T> {
    at: &'a Path<'a>,
    record: PhantomData<fn() -> T>,
}

impl<'de, T: Record> DeserializeSeed<'de> for FieldSeed<'_, T> {
    type Value = Field<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Field<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T: Record> Visitor<'de> for FieldSeed<'_, T> {
    type Value = Field<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }
    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Field<'de>, E> {
        Ok(T::key_index(s).map_or(Field::Unknown(Cow::Borrowed(s)), Field::Known))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Field<'de>, E> {
        Ok(T::key_index(s).map_or_else(|| Field::Unknown(Cow::Owned(s.to_owned())), Field::Known))
    }
    fn visit_string<E: de::Error>(self, s: String) -> Result<Field<'de>, E> {
        Ok(T::key_index(&s).map_or(Field::Unknown(Cow::Owned(s)), Field::Known))
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Field<'de>, E> {
        KeySeed { at: self.at }.visit_bool(b).map(|k| Field::Unknown(Cow::Owned(k)))
    }
    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Field<'de>, E> {
        KeySeed { at: self.at }.visit_i64(i).map(|k| Field::Unknown(Cow::Owned(k)))
    }
    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Field<'de>, E> {
        KeySeed { at: self.at }.visit_u64(u).map(|k| Field::Unknown(Cow::Owned(k)))
    }
    fn visit_f64<E: de::Error>(self, x: f64) -> Result<Field<'de>, E> {
        KeySeed { at: self.at }.visit_f64(x).map(|k| Field::Unknown(Cow::Owned(k)))
    }
    fn visit_bytes<E: de::Error>(self, b: &[u8]) -> Result<Field<'de>, E> {
        KeySeed { at: self.at }.visit_bytes(b).map(|k| Field::Unknown(Cow::Owned(k)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Field<'de>, E> {
        KeySeed { at: self.at }.visit_unit().map(|k| Field::Unknown(Cow::Owned(k)))
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, s: A) -> Result<Field<'de>, A::Error> {
        KeySeed { at: self.at }.visit_seq(s).map(|k| Field::Unknown(Cow::Owned(k)))
    }
    fn visit_map<A: MapAccess<'de>>(self, m: A) -> Result<Field<'de>, A::Error> {
        KeySeed { at: self.at }.visit_map(m).map(|k| Field::Unknown(Cow::Owned(k)))
    }
}

/// Appends `key` with the value of `x` written by codec `C`.
#[inline]
pub fn put<C: Codec + ?Sized>(m: &mut Map, key: &'static str, x: &C::Out) {
    m.push_unique(key, C::to_value(x));
}

/// Appends `key` with the value of `x` written by codec `C`, or `null`.
#[inline]
pub fn put_opt<C: Codec + ?Sized>(m: &mut Map, key: &'static str, x: &Option<C::Out>) {
    m.push_unique(key, x.as_ref().map_or(Value::Null, C::to_value));
}

/// Appends `key` with the value of `x` moved in by codec `C`.
#[inline]
pub fn put_into<C: Codec + ?Sized>(m: &mut Map, key: &'static str, x: C::Out) {
    m.push_unique(key, C::into_value(x));
}

/// Appends `key` with the value of `x` moved in by codec `C`, or `null`.
#[inline]
pub fn put_opt_into<C: Codec + ?Sized>(m: &mut Map, key: &'static str, x: Option<C::Out>) {
    m.push_unique(key, x.map_or(Value::Null, C::into_value));
}

/// The error for a field that must be set because the field `because` is set.
pub fn missing_required_by<C: Codec + ?Sized>(at: &Path<'_>, because: &str) -> Error {
    Error::new(at, format!("{} (required while {because} is set)", C::expected()), "nothing")
}

/// Refuses a value that must be unset because another field is set.
pub fn check_unset<T>(value: &Option<T>, describe: impl FnOnce(&T) -> Value, at: &Path<'_>, because: &str) -> Result<(), Error> {
    match value {
        Some(x) => Err(Error::new(at, format!("null while {because} is set"), describe(x).describe())),
        None => Ok(()),
    }
}

/// Refuses a number that is not greater than `bound`.
pub fn check_gt(x: f64, bound: f64, shown: Value, at: &Path<'_>) -> Result<(), Error> {
    // NaN compares false, and is refused as Python's `>` refuses it.
    if x > bound { Ok(()) } else { Err(Error::new(at, format!("a number greater than {bound}"), shown.describe())) }
}
