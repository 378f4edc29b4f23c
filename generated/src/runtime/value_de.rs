//! `&Value` as a serde `Deserializer`, as `&serde_json::Value` is one: any
//! type with a `Deserialize` implementation reads from a value, and the
//! generated types and messages read with the same rules and error texts as
//! their `parse`.

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeSeed, EnumAccess, IntoDeserializer, MapAccess, SeqAccess, Unexpected, VariantAccess, Visitor};
use serde::forward_to_deserialize_any;

use super::error::Error;
use super::map::Map;
use super::value::Value;

impl<'de> de::Deserializer<'de> for &'de Value {
    type Error = Error;

    /// Hands the value over as it is: integers as `i64` where they fit,
    /// else as `u64`, else as `i128`; bytes as bytes; lists as sequences;
    /// maps as maps with string keys; `Null` as unit.
    #[inline]
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Int(i) => match (i64::try_from(*i), u64::try_from(*i)) {
                (Ok(x), _) => visitor.visit_i64(x),
                (_, Ok(x)) => visitor.visit_u64(x),
                _ => visitor.visit_i128(*i),
            },
            Value::Float(x) => visitor.visit_f64(*x),
            Value::Str(s) => visitor.visit_borrowed_str(s),
            Value::Bytes(b) => visitor.visit_borrowed_bytes(b),
            Value::List(l) => {
                let mut seq = Seq(l.iter());
                // A visitor that refuses the list before reading from it
                // refuses the list as a whole: it is told with its length.
                // (What it gives is passed on as it is, not moved again.)
                match visitor.visit_seq(&mut seq) {
                    Err(e) if seq.0.len() == l.len() => Err(e.with_length("list", l.len())),
                    Ok(_) if seq.0.len() != 0 => Err(de::Error::invalid_length(l.len(), &"fewer elements in the list")),
                    out => out,
                }
            }
            Value::Map(m) => visit_map(m, visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    /// An enum from a string (a unit variant) or from a map of one entry
    /// (the variant's name and its content), as serde_json reads one.
    fn deserialize_enum<V: Visitor<'de>>(self, _name: &'static str, _variants: &'static [&'static str], visitor: V) -> Result<V::Value, Error> {
        match self {
            Value::Str(s) => visitor.visit_enum(Variant(s, None)),
            Value::Map(m) if m.len() == 1 => match m.iter().next() {
                Some((k, v)) => visitor.visit_enum(Variant(k, Some(v))),
                None => Err(de::Error::invalid_value(Unexpected::Map, &"a map with a single key")),
            },
            Value::Map(_) => Err(de::Error::invalid_value(Unexpected::Map, &"a map with a single key")),
            other => Err(de::Error::invalid_type(unexpected(other), &"a string or a map")),
        }
    }

    /// Values are not human-readable: bytes are [`Value::Bytes`], and a
    /// string is a string whatever it starts with.
    fn is_human_readable(&self) -> bool {
        false
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }
}

impl<'de> IntoDeserializer<'de, Error> for &'de Value {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

/// What a value is, for serde's own errors.
fn unexpected(v: &Value) -> Unexpected<'_> {
    match v {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Int(i) => match (i64::try_from(*i), u64::try_from(*i)) {
            (Ok(x), _) => Unexpected::Signed(x),
            (_, Ok(x)) => Unexpected::Unsigned(x),
            _ => Unexpected::Other("integer"),
        },
        Value::Float(x) => Unexpected::Float(*x),
        Value::Str(s) => Unexpected::Str(s),
        Value::Bytes(b) => Unexpected::Bytes(b),
        Value::List(_) => Unexpected::Seq,
        Value::Map(_) => Unexpected::Map,
    }
}

#[inline]
fn visit_map<'de, V: Visitor<'de>>(m: &'de Map, visitor: V) -> Result<V::Value, Error> {
    let mut map = Entries { iter: m.iter(), value: None };
    match visitor.visit_map(&mut map) {
        Err(e) if map.iter.len() == m.len() => Err(e.with_length("map", m.len())),
        Ok(_) if map.iter.len() != 0 => Err(de::Error::invalid_length(m.len(), &"fewer entries in the map")),
        out => out,
    }
}

/// The elements of a list, in order.
struct Seq<'de>(std::slice::Iter<'de, Value>);

impl<'de> SeqAccess<'de> for Seq<'de> {
    type Error = Error;

    #[inline]
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        self.0.next().map(|v| seed.deserialize(v)).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

/// The entries of a map, in order: each key, then its value.
struct Entries<'de> {
    iter: super::map::MapIter<'de>,
    value: Option<&'de Value>,
}

impl<'de> MapAccess<'de> for Entries<'de> {
    type Error = Error;

    #[inline]
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        match self.iter.next() {
            Some((k, v)) => {
                self.value = Some(v);
                seed.deserialize(BorrowedStrDeserializer::new(k)).map(Some)
            }
            None => Ok(None),
        }
    }

    #[inline]
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.value.take() {
            Some(v) => seed.deserialize(v),
            None => Err(de::Error::custom("a map value asked for before its key")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

/// An enum variant: its name, and its content unless it is a unit variant
/// given as a bare string.
struct Variant<'de>(&'de str, Option<&'de Value>);

impl<'de> EnumAccess<'de> for Variant<'de> {
    type Error = Error;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), Error> {
        let name = seed.deserialize(BorrowedStrDeserializer::<Error>::new(self.0))?;
        Ok((name, self))
    }
}

impl<'de> VariantAccess<'de> for Variant<'de> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.1 {
            None | Some(Value::Null) => Ok(()),
            Some(v) => Err(de::Error::invalid_type(unexpected(v), &"a unit variant")),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        match self.1 {
            Some(v) => seed.deserialize(v),
            None => Err(de::Error::invalid_type(Unexpected::UnitVariant, &"a newtype variant")),
        }
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        match self.1 {
            Some(v) => de::Deserializer::deserialize_seq(v, visitor),
            None => Err(de::Error::invalid_type(Unexpected::UnitVariant, &"a tuple variant")),
        }
    }

    fn struct_variant<V: Visitor<'de>>(self, _fields: &'static [&'static str], visitor: V) -> Result<V::Value, Error> {
        match self.1 {
            Some(v) => de::Deserializer::deserialize_map(v, visitor),
            None => Err(de::Error::invalid_type(Unexpected::UnitVariant, &"a struct variant")),
        }
    }
}
