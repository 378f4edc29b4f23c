//! Codecs of values that hold others: any value, maps and lists.

use std::collections::BTreeMap;
use std::marker::PhantomData;

use serde::de::{self, MapAccess, SeqAccess};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use super::scalar::WireEnum;
use super::{Codec, Enc, Seed, any_key, fail, mismatch, wamp_json_bytes};
use crate::runtime::error::Path;
use crate::runtime::shape::Kind;
use crate::runtime::value::{Map, Value, describe_str};

/// Any value at all.
pub struct Any;

impl Codec for Any {
    type Out = Value;
    const KIND: Kind = Kind::Any;
    fn to_value(x: &Value) -> Value {
        x.clone()
    }
    fn take_value(x: &mut Value) -> Value {
        std::mem::take(x)
    }
    fn is_truthy(x: &Value) -> bool {
        crate::runtime::bridge::Truthy::truthy(x)
    }
    fn encode<S: Serializer>(x: &Value, s: S) -> Result<S::Ok, S::Error> {
        x.serialize(s)
    }
    fn null_element() -> Option<Value> {
        Some(Value::Null)
    }
    fn de_bool<E: de::Error>(b: bool, _: &Path<'_>) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn de_int<E: de::Error>(i: i128, _: &Path<'_>) -> Result<Value, E> {
        Ok(Value::Int(i))
    }
    fn de_f64<E: de::Error>(x: f64, _: &Path<'_>) -> Result<Value, E> {
        Ok(Value::Float(x))
    }
    fn de_str<E: de::Error>(s: &str, at: &Path<'_>, hr: bool) -> Result<Value, E> {
        match wamp_json_bytes(s, hr) {
            Some(b) => Ok(Value::Bytes(b.map_err(|e| fail::<E>(at, "base64 after a NUL character", e))?)),
            None => Ok(Value::Str(s.to_owned())),
        }
    }
    fn de_string<E: de::Error>(s: String, at: &Path<'_>, hr: bool) -> Result<Value, E> {
        if hr && s.starts_with('\0') { Self::de_str(&s, at, hr) } else { Ok(Value::Str(s)) }
    }
    fn de_bytes<E: de::Error>(b: &[u8], _: &Path<'_>) -> Result<Value, E> {
        Ok(Value::Bytes(b.to_vec()))
    }
    fn de_seq<'de, A: SeqAccess<'de>>(seq: A, at: &Path<'_>, hr: bool, depth: u32) -> Result<Value, A::Error> {
        List::<Any>::de_seq(seq, at, hr, depth).map(Value::List)
    }
    fn de_map<'de, A: MapAccess<'de>>(map: A, at: &Path<'_>, hr: bool, depth: u32) -> Result<Value, A::Error> {
        MapAny::de_map(map, at, hr, depth).map(Value::Map)
    }
}

/// A map with string keys and values of any kind.
pub struct MapAny;

impl Codec for MapAny {
    type Out = Map;
    const KIND: Kind = Kind::Map;
    fn to_value(x: &Map) -> Value {
        Value::Map(x.clone())
    }
    fn take_value(x: &mut Map) -> Value {
        Value::Map(std::mem::take(x))
    }
    fn is_truthy(x: &Map) -> bool {
        !x.is_empty()
    }
    fn encode<S: Serializer>(x: &Map, s: S) -> Result<S::Ok, S::Error> {
        crate::runtime::value_serde::encode_map(x, s)
    }
    fn de_map<'de, A: MapAccess<'de>>(mut map: A, at: &Path<'_>, hr: bool, depth: u32) -> Result<Map, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(4096));
        while let Some(key) = map.next_key_seed(any_key(at))? {
            let key = key.other();
            let here = at.key(&key);
            let value = map.next_value_seed(Seed::<Any>::new(&here, hr, depth))?.unwrap_or(Value::Null);
            entries.push((key.into_owned().into(), value));
        }
        if let Some(k) = Map::first_duplicate(&entries) {
            return Err(fail(&at.key(k), "each key once", "the key twice"));
        }
        Ok(Map::from_unique(entries))
    }
}

/// A list whose elements all follow codec `C`.
pub struct List<C: ?Sized>(PhantomData<fn() -> C>);

impl<C: Codec + ?Sized> Codec for List<C> {
    type Out = Vec<C::Out>;
    const KIND: Kind = Kind::List(&C::KIND);
    fn to_value(x: &Self::Out) -> Value {
        Value::List(x.iter().map(C::to_value).collect())
    }
    fn take_value(x: &mut Self::Out) -> Value {
        Value::List(std::mem::take(x).into_iter().map(|mut x| C::take_value(&mut x)).collect())
    }
    fn is_truthy(x: &Self::Out) -> bool {
        !x.is_empty()
    }
    fn encode<S: Serializer>(x: &Self::Out, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(x.len()))?;
        for item in x {
            seq.serialize_element(&Enc::<C>(item))?;
        }
        seq.end()
    }
    fn de_seq<'de, A: SeqAccess<'de>>(mut seq: A, at: &Path<'_>, hr: bool, depth: u32) -> Result<Self::Out, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        loop {
            let here = at.index(out.len());
            match seq.next_element_seed(Seed::<C>::new(&here, hr, depth))? {
                None => return Ok(out),
                Some(Some(x)) => out.push(x),
                Some(None) => match C::null_element() {
                    Some(x) => out.push(x),
                    None => return Err(mismatch::<C, A::Error>(&here, "null")),
                },
            }
        }
    }
}

/// A single `C` or a list of them, always held as a list.
pub struct OneOrList<C: ?Sized>(PhantomData<fn() -> C>);

impl<C: Codec + ?Sized> Codec for OneOrList<C> {
    type Out = Vec<C::Out>;
    const KIND: Kind = Kind::OneOrList(&C::KIND);
    fn to_value(x: &Self::Out) -> Value {
        List::<C>::to_value(x)
    }
    fn take_value(x: &mut Self::Out) -> Value {
        List::<C>::take_value(x)
    }
    fn is_truthy(x: &Self::Out) -> bool {
        !x.is_empty()
    }
    fn encode<S: Serializer>(x: &Self::Out, s: S) -> Result<S::Ok, S::Error> {
        List::<C>::encode(x, s)
    }
    fn de_bool<E: de::Error>(b: bool, at: &Path<'_>) -> Result<Self::Out, E> {
        C::de_bool(b, at).map(|x| vec![x]).map_err(|_: E| mismatch::<Self, E>(at, format!("boolean {b}")))
    }
    fn de_int<E: de::Error>(i: i128, at: &Path<'_>) -> Result<Self::Out, E> {
        C::de_int(i, at).map(|x| vec![x]).map_err(|_: E| mismatch::<Self, E>(at, format!("integer {i}")))
    }
    fn de_f64<E: de::Error>(f: f64, at: &Path<'_>) -> Result<Self::Out, E> {
        C::de_f64(f, at).map(|x| vec![x]).map_err(|_: E| mismatch::<Self, E>(at, format!("float {f:?}")))
    }
    fn de_str<E: de::Error>(s: &str, at: &Path<'_>, hr: bool) -> Result<Self::Out, E> {
        C::de_str(s, at, hr).map(|x| vec![x]).map_err(|_: E| mismatch::<Self, E>(at, describe_str(s)))
    }
    fn de_bytes<E: de::Error>(b: &[u8], at: &Path<'_>) -> Result<Self::Out, E> {
        C::de_bytes(b, at).map(|x| vec![x]).map_err(|_: E| mismatch::<Self, E>(at, format!("bytes (length {})", b.len())))
    }
    fn de_seq<'de, A: SeqAccess<'de>>(seq: A, at: &Path<'_>, hr: bool, depth: u32) -> Result<Self::Out, A::Error> {
        List::<C>::de_seq(seq, at, hr, depth)
    }
}

/// A map whose keys are the strings of a [`WireEnum`] and whose values
/// follow codec `V`.
pub struct MapOf<K, V: ?Sized>(PhantomData<MapOfMarker<K, V>>);

type MapOfMarker<K, V> = fn() -> (K, Box<V>);

impl<K: WireEnum, V: Codec + ?Sized> Codec for MapOf<K, V> {
    type Out = BTreeMap<K, V::Out>;
    const KIND: Kind = Kind::MapOf(&K::ENUM, &V::KIND);
    fn to_value(x: &Self::Out) -> Value {
        Value::Map(x.iter().map(|(k, v)| (k.wire().to_owned(), V::to_value(v))).collect())
    }
    fn is_truthy(x: &Self::Out) -> bool {
        !x.is_empty()
    }
    fn encode<S: Serializer>(x: &Self::Out, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(x.len()))?;
        for (k, v) in x {
            m.serialize_entry(k.wire(), &Enc::<V>(v))?;
        }
        m.end()
    }
    fn de_map<'de, A: MapAccess<'de>>(mut map: A, at: &Path<'_>, hr: bool, depth: u32) -> Result<Self::Out, A::Error> {
        let mut out = BTreeMap::new();
        while let Some(k) = map.next_key_seed(any_key(at))? {
            let k = k.other();
            let here = at.key(&k);
            let Some(key) = K::from_wire(&k) else {
                return Err(fail(&here, &format!("a key {}", K::ENUM.expected()), "an unknown key"));
            };
            let value = map.next_value_seed(Seed::<V>::new(&here, hr, depth))?;
            let value = value.ok_or_else(|| mismatch::<V, A::Error>(&here, "null"))?;
            if out.insert(key, value).is_some() {
                return Err(fail(&here, "each key once", "the key twice"));
            }
        }
        Ok(out)
    }
}
