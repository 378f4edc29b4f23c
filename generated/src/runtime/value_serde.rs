//! `Value` in any serde format, with the WAMP JSON rule for bytes.

use serde::de::DeserializeSeed;
use serde::ser::{self, SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::codec::{Any, Bytes, Codec, MAX_DEPTH, MapAny, Seed, encode_int, too_deep};
use super::error::Path;
use super::value::{Map, Value};

impl Serialize for Value {
    /// Writes the value; lists and maps nested deeper than 128 are
    /// refused with an error (as decoding refuses them), so that writing
    /// never recurses deeply.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Bounded(self, 0).serialize(s)
    }
}

/// Writes a map of values as [`Value::Map`] does, for the `map` codec.
pub(crate) fn encode_map<S: Serializer>(m: &Map, s: S) -> Result<S::Ok, S::Error> {
    Bounded::map(m, 0, s)
}

/// A value to write at a depth: how many lists and maps hold it.
struct Bounded<'a>(&'a Value, u32);

impl Bounded<'_> {
    fn check<E: ser::Error>(depth: u32) -> Result<(), E> {
        if depth < MAX_DEPTH { Ok(()) } else { Err(too_deep(&Path::Root("Value")).into_ser()) }
    }

    fn map<S: Serializer>(m: &Map, depth: u32, s: S) -> Result<S::Ok, S::Error> {
        Self::check::<S::Error>(depth)?;
        let mut out = s.serialize_map(Some(m.len()))?;
        for (k, v) in m.iter() {
            out.serialize_entry(k, &Bounded(v, depth + 1))?;
        }
        out.end()
    }
}

impl Serialize for Bounded<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Null => s.serialize_none(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Int(i) => encode_int(*i, "Value", s),
            Value::Float(x) => s.serialize_f64(*x),
            Value::Str(x) => s.serialize_str(x),
            Value::Bytes(b) => Bytes::encode(b, s),
            Value::List(l) => {
                Self::check::<S::Error>(self.1)?;
                let mut seq = s.serialize_seq(Some(l.len()))?;
                for item in l {
                    seq.serialize_element(&Bounded(item, self.1 + 1))?;
                }
                seq.end()
            }
            Value::Map(m) => Self::map(m, self.1, s),
        }
    }
}

impl Serialize for Map {
    /// Writes the map as [`Value::Map`] is written: lists and maps nested
    /// deeper than 128 are refused with an error.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        encode_map(self, s)
    }
}

impl<'de> Deserialize<'de> for Map {
    /// Reads a map with the rules of [`Value`]: string keys, each key once,
    /// nesting at most 128 deep, bytes as WAMP JSON carries them;
    /// anything but a map (`null` too) is refused.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let at = Path::Root("Map");
        let hr = d.is_human_readable();
        match Seed::<MapAny>::new(&at, hr, 0).deserialize(d)? {
            Some(m) => Ok(m),
            None => Err(super::codec::mismatch::<MapAny, D::Error>(&at, "null")),
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let at = Path::Root("Value");
        let hr = d.is_human_readable();
        Ok(Seed::<Any>::new(&at, hr, 0).deserialize(d)?.unwrap_or(Value::Null))
    }
}
