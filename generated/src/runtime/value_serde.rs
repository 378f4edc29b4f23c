//! `Value` in any serde format, with the WAMP JSON rule for bytes.

use serde::de::DeserializeSeed;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde::ser::{SerializeMap, SerializeSeq};

use super::codec::{Any, Bytes, Codec, Seed};
use super::error::Path;
use super::value::Value;

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_none(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Int(i) => s.serialize_i64(*i),
            Value::Float(x) => s.serialize_f64(*x),
            Value::Str(x) => s.serialize_str(x),
            Value::Bytes(b) => Bytes::encode(b, s),
            Value::List(l) => {
                let mut seq = s.serialize_seq(Some(l.len()))?;
                for item in l {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Map(m) => {
                let mut out = s.serialize_map(Some(m.len()))?;
                for (k, v) in m.iter() {
                    out.serialize_entry(k, v)?;
                }
                out.end()
            }
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

