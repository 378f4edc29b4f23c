//! Records: the dict-shaped types. Generated code gives each record's
//! constants and field table (see [`super::table`]); the loop over a map's
//! keys, the handling of unknown and repeated keys, the reader (a serde
//! map, a [`Value`] included) and the writers live here once.

use std::borrow::Cow;
use std::marker::PhantomData;

use serde::de::{DeserializeSeed, MapAccess};
use serde::ser::SerializeMap;
use serde::{Deserializer, Serializer};

use super::codec::{Codec, KeySeed, MAX_DEPTH, MapKey, Seed, mismatch};
use super::error::{Error, Path};
use super::shape::{Field, HasShape, Kind, Presence, Shape};
pub use super::table::Visit;
use super::table::{self, Masks, Read};
pub(crate) use super::table::{at, into_map, message_attr, to_map};
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
    /// as autobahn-python's custom attribute pattern says); skip others.
    Custom,
}

impl UnknownKeys {
    /// Whether an unknown `key` is kept.
    pub fn keeps(self, key: &str) -> bool {
        match self {
            UnknownKeys::Keep => true,
            UnknownKeys::Custom => super::uri::is_custom_name(key),
            UnknownKeys::Refuse | UnknownKeys::Ignore => false,
        }
    }
}

/// A dict-shaped type with a fixed set of keys. Generated code gives its
/// constants, a blank value, its field table ([`Record::FIELDS`]) and the
/// typed step on each field ([`Record::field`]); the loops, unknown and
/// repeated keys, presence rules, checks and the writers of the dict form
/// live here and in [`super::table`] once.
pub trait Record: Sized + Blank {
    /// The type's name, which starts every error path.
    const NAME: &'static str;
    /// What it does with keys no field names.
    const UNKNOWN: UnknownKeys;
    /// Other keys it refuses even so.
    const REFUSED: &'static [&'static str] = &[];
    /// The names of its callback fields.
    const CALLBACKS: &'static [&'static str] = &[];
    /// Whether its dict form holds only the fields that are set (a
    /// message's dict) rather than every data field, `null` when unset.
    const MARSHAL_SET: bool = false;
    /// Whether an empty dict is refused.
    const NON_EMPTY: bool = false;

    /// Its field table: one entry per field, in schema order (also its shape).
    const FIELDS: &'static [Field];
    /// The table as bit masks.
    const MASKS: Masks = Masks::of(Self::FIELDS);

    /// Hands field number `i` of the table, where it lives and its codec,
    /// to `v`.
    fn field<V: Visit<Self>>(v: V, i: usize) -> V::Out;

    /// The keys it keeps that no field names, for the types that keep them.
    fn rest(&self) -> Option<&Map> {
        None
    }

    /// [`Record::rest`], to add to it.
    fn rest_mut(&mut self) -> Option<&mut Map> {
        None
    }
}

/// A record's shape: its name, its field table and its rules for keys.
impl<T: Record> HasShape for T {
    fn shape() -> &'static Shape {
        const { &Shape { name: T::NAME, fields: T::FIELDS, unknown: T::UNKNOWN, one_key: false, non_empty: T::NON_EMPTY } }
    }
}

/// The value reading a record starts from: each field unset, at its
/// default or blank until its key comes. A record with no required field
/// starts from its `Default`; generated code gives the others'.
pub trait Blank {
    /// That value.
    fn blank() -> Self;
}

impl<T: Default> Blank for T {
    fn blank() -> Self {
        T::default()
    }
}

/// What a record's dict form is written to: a [`Map`] or a serde map.
pub trait Writer {
    /// The error of this writer.
    type Error;
    /// Writes `key` with the value `x` written by codec `C`.
    fn entry<C: Codec + ?Sized>(&mut self, key: &'static str, x: &C::Out) -> Result<(), Self::Error>;
    /// Writes `key` with `null`.
    fn null(&mut self, key: &'static str) -> Result<(), Self::Error>;
    /// Writes the keys a record kept as they came.
    fn rest(&mut self, m: &Map) -> Result<(), Self::Error>;
}

pub(crate) struct MapWriter<'a>(pub(crate) &'a mut Map);

impl Writer for MapWriter<'_> {
    type Error = std::convert::Infallible;
    #[inline]
    fn entry<C: Codec + ?Sized>(&mut self, key: &'static str, x: &C::Out) -> Result<(), Self::Error> {
        self.0.push_unique(key, C::to_value(x));
        Ok(())
    }
    #[inline]
    fn null(&mut self, key: &'static str) -> Result<(), Self::Error> {
        self.0.push_unique(key, Value::Null);
        Ok(())
    }
    fn rest(&mut self, m: &Map) -> Result<(), Self::Error> {
        for (k, v) in m.iter() {
            self.0.push_unique(k.to_owned(), v.clone());
        }
        Ok(())
    }
}

pub(crate) struct Encoder<'a, M>(pub(crate) &'a mut M);

impl<M: SerializeMap> Writer for Encoder<'_, M> {
    type Error = M::Error;
    fn entry<C: Codec + ?Sized>(&mut self, key: &'static str, x: &C::Out) -> Result<(), M::Error> {
        self.0.serialize_entry(key, &super::codec::Enc::<C>(x))
    }
    fn null(&mut self, key: &'static str) -> Result<(), M::Error> {
        self.0.serialize_entry(key, &None::<()>)
    }
    fn rest(&mut self, m: &Map) -> Result<(), M::Error> {
        for (k, v) in m.iter() {
            self.0.serialize_entry(k, v)?;
        }
        Ok(())
    }
}

/// Keeps an unknown key (only called when [`Record::UNKNOWN`] keeps it).
fn keep<T: Record>(r: &mut T, key: super::value::Key, value: Value) {
    if let Some(rest) = r.rest_mut() {
        rest.push_unique(key, value);
    }
}

fn refused_key<T: Record>(at: &Path<'_>, k: &str) -> Error {
    Error::new(&at.key(k), format!("any key but {}", T::REFUSED.join(", ")), "a refused key")
}

fn unknown_key<T: Record>(at: &Path<'_>, k: &str) -> Error {
    let keys: Vec<&str> = T::FIELDS.iter().map(|f| f.key).collect();
    Error::new(&at.key(k), format!("one of the keys {}", keys.join(", ")), "an unknown key")
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
    const KIND: Kind = Kind::Record(super::shape::shape_of::<T>);
    fn to_value(x: &T) -> Value {
        Value::Map(table::to_map(x))
    }
    fn take_value(x: &mut T) -> Value {
        Value::Map(table::take_map(x))
    }
    fn is_truthy(x: &T) -> bool {
        !table::writes_nothing(x)
    }
    fn encode<S: Serializer>(x: &T, s: S) -> Result<S::Ok, S::Error> {
        table::encode(x, s)
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
    map: A,
    at: &Path<'_>,
    hr: bool,
    depth: u32,
    capture: Option<&mut super::payload::EncKeys>,
) -> Result<T, A::Error> {
    decode_map_keys(map, at, hr, depth, capture, |map: &mut A| map.next_key_seed(KeySeed { at, known: |k: &str| table::key_index::<T>(k) }))
}

/// [`decode_map`] with each key read by `next_key`, which reads it as a
/// [`KeySeed`] of the record's keys does.
pub(crate) fn decode_map_keys<'de, T: Record, A: MapAccess<'de>>(
    mut map: A,
    at: &Path<'_>,
    hr: bool,
    depth: u32,
    mut capture: Option<&mut super::payload::EncKeys>,
    mut next_key: impl FnMut(&mut A) -> Result<Option<MapKey<'de>>, A::Error>,
) -> Result<T, A::Error> {
    debug_assert!(depth <= MAX_DEPTH);
    let (mut r, mut read) = (T::blank(), Read::default());
    let mut unknown_seen = SeenKeys::default();
    while let Some(key) = next_key(&mut map)? {
        match key {
            MapKey::Known(i) => {
                if read.seen & (1 << i) != 0 {
                    let here = at.field(T::FIELDS[i].key);
                    return Err(Error::into_de(Error::new(&here, "each key once", "the key twice")));
                }
                table::fill(&mut r, &mut read, i, &mut map, hr, depth, at)?;
            }
            MapKey::Other(k) => other_key(&mut map, &mut r, k, at, hr, depth, capture.as_deref_mut(), &mut unknown_seen)?,
        }
    }
    table::finish(&mut r, &read, at).map_err(Error::into_de)?;
    Ok(r)
}

/// A key of `T`'s map that no field names, `k`, and its value, read as
/// [`decode_map_keys`] reads them: refused where `T` refuses it or it came
/// before, handed to `capture` where it is an `enc_*` key that the payload
/// takes, kept where `T` keeps it, skipped otherwise. Out of the loop over
/// the keys, which mostly meets the keys that fields name.
#[inline(never)]
#[allow(clippy::too_many_arguments)]
fn other_key<'de, T: Record, A: MapAccess<'de>>(
    map: &mut A,
    r: &mut T,
    k: Cow<'de, str>,
    at: &Path<'_>,
    hr: bool,
    depth: u32,
    capture: Option<&mut super::payload::EncKeys>,
    unknown_seen: &mut SeenKeys<'de>,
) -> Result<(), A::Error> {
    if T::REFUSED.contains(&&*k) {
        return Err(Error::into_de(refused_key::<T>(at, &k)));
    }
    if T::UNKNOWN == UnknownKeys::Refuse {
        return Err(Error::into_de(unknown_key::<T>(at, &k)));
    }
    // The `enc_*` keys that `capture` takes are counted there; the others
    // in `unknown_seen`.
    let capture = capture.filter(|c| c.wants(&k));
    let twice = match &capture {
        Some(c) => c.came(&k),
        None => unknown_seen.contains(&k),
    };
    if twice {
        return Err(Error::into_de(Error::new(&at.key(&k), "each key once", "the key twice")));
    }
    let here = at.key(&k);
    match capture {
        Some(c) => {
            let v = map.next_value_seed(Seed::<super::codec::Any>::new(&here, hr, depth))?;
            c.put(&k, v.unwrap_or_default());
            return Ok(());
        }
        None if T::UNKNOWN.keeps(&k) => {
            let v = map.next_value_seed(Seed::<super::codec::Any>::new(&here, hr, depth))?;
            keep(r, k.clone().into_owned().into(), v.unwrap_or_default());
        }
        None => map.next_value_seed(super::skip::Skip::new(&here, hr, depth + 1))?,
    }
    unknown_seen.insert(k);
    Ok(())
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
            SeenKeys::None => {
                // Room for the few at once: the list does not grow key by key.
                let mut v = Vec::with_capacity(Self::FEW);
                v.push(k);
                *self = SeenKeys::Few(v);
            }
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

/// `Serialize` and `Deserialize` for a record, through its dict form.
macro_rules! record_impls {
    ($t:ty) => {
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                $crate::runtime::table::encode(self, s)
            }
        }

        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::runtime::record::decode_root(d)
            }
        }
    };
}
pub(crate) use record_impls;

/// The table entry of an optional field of codec `C` under `key`: absent
/// or `null` leave it unset.
pub const fn opt<C: Codec + ?Sized>(key: &'static str) -> Field {
    Field::new(key, C::KIND, Presence::Optional)
}

/// The table entry of a required field of codec `C` under `key`.
pub const fn required<C: Codec + ?Sized>(key: &'static str) -> Field {
    Field::new(key, C::KIND, Presence::Required)
}

/// The table entry of a field of codec `C` under `key` that holds its
/// default when absent (or `null`, when `nullable`).
pub const fn or_default<C: Codec + ?Sized>(key: &'static str, nullable: bool) -> Field {
    Field::new(key, C::KIND, Presence::Default { nullable })
}

/// The table entry of a callback field under `key`.
pub const fn callback(key: &'static str) -> Field {
    Field::new(key, Kind::Callback, Presence::Optional)
}

/// The table entry of a handle field under `key`.
pub const fn handle(key: &'static str) -> Field {
    Field::new(key, Kind::Handle, Presence::Optional)
}
