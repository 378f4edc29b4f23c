//! [`to_value`]: any `Serialize` type into a [`Value`], as
//! `serde_json::to_value` does, and [`from_value`] back.
//!
//! The serializer is not human-readable (as `&Value` is not when read):
//! bytes become [`Value::Bytes`]. Enums take serde_json's forms: a unit
//! variant is its name, any other variant a map of one entry from its name
//! to its content. Map keys must be strings (or chars or unit variants),
//! as every WAMP serializer wants them; lists and maps nest at most 128
//! deep, as when reading.

use serde::de::DeserializeOwned;
use serde::ser::{self, Serialize};

use super::codec::{MAX_DEPTH, too_deep};
use super::error::{Error, Path};
use super::map::Map;
use super::value::{Key, Value};

/// Builds a [`Value`] from any `Serialize` type.
///
/// ```
/// use wamp_types::{Value, to_value};
///
/// #[derive(serde::Serialize)]
/// struct Order { item: String, count: u32, gift: Option<bool> }
///
/// let v = to_value(&Order { item: "tea".into(), count: 2, gift: None }).unwrap();
/// let order: Value = [("item", Value::from("tea")), ("count", Value::from(2)), ("gift", Value::Null)].into_iter().collect();
/// assert_eq!(v, order);
///
/// let keys = std::collections::BTreeMap::from([(1, "one")]);
/// assert_eq!(to_value(&keys).unwrap_err().to_string(), "Value: expected string keys, got key integer 1");
/// ```
pub fn to_value<T: Serialize + ?Sized>(x: &T) -> Result<Value, Error> {
    x.serialize(ValueSerializer(0))
}

/// Reads any `Deserialize` type from a [`Value`], as
/// `T::deserialize(&value)` does.
///
/// ```
/// use wamp_types::{Value, from_value};
///
/// let v = Value::List(vec![Value::from(2), Value::from("tea")]);
/// let (count, item): (u32, String) = from_value(v).unwrap();
/// assert_eq!((count, item.as_str()), (2, "tea"));
/// ```
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, Error> {
    T::deserialize(&value)
}

/// A serializer making a value nested in `0` lists and maps.
struct ValueSerializer(u32);

fn refused(expected: &str, got: impl Into<String>) -> Error {
    Error::message("Value", expected, got)
}

impl ValueSerializer {
    /// The depth of the entries of a new list or map, if it may be made.
    fn enter(&self) -> Result<u32, Error> {
        match self.0 < MAX_DEPTH {
            true => Ok(self.0 + 1),
            false => Err(too_deep(&Path::Root("Value"))),
        }
    }
}

/// `{variant: content}`, serde_json's form of a variant with content;
/// `content` itself when it is not a variant's.
fn tagged(variant: Option<&'static str>, content: Value) -> Value {
    match variant {
        Some(v) => Value::Map([(v, content)].into_iter().collect()),
        None => content,
    }
}

/// Serializer methods that widen a small integer and write it with `$to`.
macro_rules! widen {
    ($($method:ident($t:ty)),* => $to:ident) => {
        $(fn $method(self, x: $t) -> Result<Value, Error> {
            self.$to(x.into())
        })*
    };
}

impl ser::Serializer for ValueSerializer {
    type Ok = Value;
    type Error = Error;
    type SerializeSeq = List;
    type SerializeTuple = List;
    type SerializeTupleStruct = List;
    type SerializeTupleVariant = List;
    type SerializeMap = Entries;
    type SerializeStruct = Entries;
    type SerializeStructVariant = Entries;

    fn is_human_readable(&self) -> bool {
        false
    }
    fn serialize_bool(self, b: bool) -> Result<Value, Error> {
        Ok(Value::Bool(b))
    }
    fn serialize_i64(self, i: i64) -> Result<Value, Error> {
        Ok(Value::Int(i.into()))
    }
    fn serialize_i128(self, i: i128) -> Result<Value, Error> {
        Ok(Value::Int(i))
    }
    fn serialize_u64(self, u: u64) -> Result<Value, Error> {
        Ok(Value::Int(u.into()))
    }
    fn serialize_u128(self, u: u128) -> Result<Value, Error> {
        i128::try_from(u).map(Value::Int).map_err(|_| refused("an integer below 2^127", format!("integer {u}")))
    }
    widen!(serialize_i8(i8), serialize_i16(i16), serialize_i32(i32) => serialize_i64);
    widen!(serialize_u8(u8), serialize_u16(u16), serialize_u32(u32) => serialize_u64);
    fn serialize_f32(self, x: f32) -> Result<Value, Error> {
        Ok(Value::Float(x.into()))
    }
    fn serialize_f64(self, x: f64) -> Result<Value, Error> {
        Ok(Value::Float(x))
    }
    fn serialize_char(self, c: char) -> Result<Value, Error> {
        Ok(Value::Str(c.into()))
    }
    fn serialize_str(self, s: &str) -> Result<Value, Error> {
        Ok(Value::Str(s.into()))
    }
    fn serialize_bytes(self, b: &[u8]) -> Result<Value, Error> {
        Ok(Value::Bytes(b.into()))
    }
    fn serialize_none(self) -> Result<Value, Error> {
        Ok(Value::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, x: &T) -> Result<Value, Error> {
        x.serialize(self)
    }
    fn serialize_unit(self) -> Result<Value, Error> {
        Ok(Value::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Value, Error> {
        Ok(Value::Null)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<Value, Error> {
        Ok(Value::Str(variant.into()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, x: &T) -> Result<Value, Error> {
        x.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(self, _: &'static str, _: u32, variant: &'static str, x: &T) -> Result<Value, Error> {
        let depth = self.enter()?;
        Ok(tagged(Some(variant), x.serialize(ValueSerializer(depth))?))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<List, Error> {
        Ok(List { depth: self.enter()?, items: Vec::with_capacity(len.unwrap_or(0).min(4096)), variant: None })
    }
    fn serialize_tuple(self, len: usize) -> Result<List, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<List, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(self, _: &'static str, _: u32, variant: &'static str, len: usize) -> Result<List, Error> {
        let depth = self.enter()?;
        Ok(List { variant: Some(variant), ..ValueSerializer(depth).serialize_seq(Some(len))? })
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Entries, Error> {
        Ok(Entries { depth: self.enter()?, map: Map::with_capacity(len.unwrap_or(0).min(4096)), key: None, variant: None })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Entries, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(self, _: &'static str, _: u32, variant: &'static str, len: usize) -> Result<Entries, Error> {
        let depth = self.enter()?;
        Ok(Entries { variant: Some(variant), ..ValueSerializer(depth).serialize_map(Some(len))? })
    }
}

/// A list being built, and the variant it is the content of, if any.
#[doc(hidden)]
pub struct List {
    depth: u32,
    items: Vec<Value>,
    variant: Option<&'static str>,
}

impl List {
    fn push<T: Serialize + ?Sized>(&mut self, x: &T) -> Result<(), Error> {
        self.items.push(x.serialize(ValueSerializer(self.depth))?);
        Ok(())
    }
    fn done(self) -> Result<Value, Error> {
        Ok(tagged(self.variant, Value::List(self.items)))
    }
}

macro_rules! list_impls {
    ($($tr:ident :: $method:ident),*) => {$(
        impl ser::$tr for List {
            type Ok = Value;
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, x: &T) -> Result<(), Error> {
                self.push(x)
            }
            fn end(self) -> Result<Value, Error> {
                self.done()
            }
        }
    )*};
}
list_impls!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// A map being built, the key waiting for its value, and the variant it is
/// the content of, if any.
#[doc(hidden)]
pub struct Entries {
    depth: u32,
    map: Map,
    key: Option<Key>,
    variant: Option<&'static str>,
}

impl Entries {
    fn done(self) -> Result<Value, Error> {
        Ok(tagged(self.variant, Value::Map(self.map)))
    }
}

impl ser::SerializeMap for Entries {
    type Ok = Value;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), Error> {
        self.key = Some(key(k)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, x: &T) -> Result<(), Error> {
        let key = self.key.take().ok_or_else(|| refused("a key before each value", "a value without a key"))?;
        self.map.insert(key, x.serialize(ValueSerializer(self.depth))?);
        Ok(())
    }
    fn end(self) -> Result<Value, Error> {
        self.done()
    }
}

macro_rules! struct_impls {
    ($($tr:ident),*) => {$(
        impl ser::$tr for Entries {
            type Ok = Value;
            type Error = Error;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, x: &T) -> Result<(), Error> {
                self.map.insert(key, x.serialize(ValueSerializer(self.depth))?);
                Ok(())
            }
            fn end(self) -> Result<Value, Error> {
                self.done()
            }
        }
    )*};
}
struct_impls!(SerializeStruct, SerializeStructVariant);

/// A map key: what writes a string (a string, a char, a unit variant);
/// anything else is refused in the words the readers use for a key that
/// is not a string.
fn key<T: Serialize + ?Sized>(k: &T) -> Result<Key, Error> {
    let got = match k.serialize(ValueSerializer(0))? {
        Value::Str(s) => return Ok(s.into()),
        Value::Bytes(_) => "bytes".into(),
        Value::List(_) => "list".into(),
        Value::Map(_) => "map".into(),
        other => other.describe(),
    };
    Err(refused("string keys", format!("key {got}")))
}
