//! The shape pass: unknown and missing keys in every mapping of a file,
//! all of them, read off the `schema` structs' derives.
//!
//! Each mapping's keys are compared with what its struct accepts and needs,
//! which [`probe`] learns by letting the struct read a mapping of stand-in
//! values, so that `schema.rs` stays the one list of keys.

use std::cell::Cell;
use std::fmt;

use serde::de::value::{MapDeserializer, SeqDeserializer};
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use serde::forward_to_deserialize_any;
use serde_yaml::Value;

use crate::diag::{self, Seg};
use crate::schema;

pub(super) type Problems = Vec<(Vec<Seg>, String)>;

/// Unknown and missing keys anywhere in a file, every one of them.
pub(super) fn shape(file: &Value) -> Problems {
    let mut out = Vec::new();
    check::<schema::File>(file, &[], "the file", &mut out);
    each(file, &[], "enums", &mut out, &|v, p, out| {
        check::<schema::Enum>(v, p, &entry("the enum", v, "name"), out);
        each(v, p, "values", out, &|v, p, out| check::<schema::EnumValue>(v, p, &entry("the enum value", v, "name"), out));
    });
    each(file, &[], "records", &mut out, &|v, p, out| {
        check::<schema::Record>(v, p, &entry("the record", v, "name"), out);
        each(v, p, "fields", out, &|v, p, out| {
            let what = entry("the field", v, "name");
            check::<schema::Field>(v, p, &what, out);
            if let Some(implied) = v.get("implied_by") {
                check::<schema::Implied>(implied, &child(p, Seg::key("implied_by")), &format!("`implied_by` of {what}"), out);
            }
        });
        each(v, p, "constants", out, &|v, p, out| check::<schema::Constant>(v, p, &entry("the constant", v, "name"), out));
        each(v, p, "values", out, &|v, p, out| check::<schema::RecordValue>(v, p, &entry("the value", v, "name"), out));
        each(v, p, "message_attr", out, &|v, p, out| check::<schema::MessageAttr>(v, p, "this `message_attr` entry", out));
        if let Some(e) = v.get("error") {
            check::<schema::ErrorText>(e, &child(p, Seg::key("error")), "this `error`", out);
        }
        each(v, p, "derived", out, &|v, p, out| check::<schema::Derived>(v, p, &entry("the derived value", v, "name"), out));
        each(v, p, "conversions", out, &|v, p, out| {
            check::<schema::Conversion>(v, p, &entry("the conversion", v, "name"), out);
            each(v, p, "fields", out, &|v, p, out| check::<schema::ConversionField>(v, p, "this conversion field", out));
        });
    });
    each(file, &[], "messages", &mut out, &|v, p, out| {
        check::<schema::Message>(v, p, &entry("the message", v, "name"), out);
        each(v, p, "fields", out, &|v, p, out| check::<schema::Position>(v, p, &entry("the position", v, "name"), out));
        if let Some(tail) = v.get("payload") {
            check::<schema::PayloadTail>(tail, &child(p, Seg::key("payload")), "this `payload`", out);
        }
        each(v, p, "checks", out, &|v, p, out| check::<schema::Check>(v, p, "this check", out));
        if let Some(o) = v.get("outgoing") {
            let p = child(p, Seg::key("outgoing"));
            check::<schema::Outgoing>(o, &p, "this `outgoing`", out);
            each(o, &p, "context", out, &|v, p, out| check::<schema::ContextParam>(v, p, &entry("the context parameter", v, "name"), out));
            each(o, &p, "fields", out, &|v, p, out| check::<schema::PlaceFill>(v, p, &entry("the entry for the place", v, "to"), out));
        }
        if let Some(inc) = v.get("incoming") {
            let p = child(p, Seg::key("incoming"));
            check::<schema::Incoming>(inc, &p, "this `incoming`", out);
            each(inc, &p, "context", out, &|v, p, out| check::<schema::ContextParam>(v, p, &entry("the context parameter", v, "name"), out));
            each(inc, &p, "fields", out, &|v, p, out| check::<schema::FieldFill>(v, p, &entry("the entry for the field", v, "field"), out));
            if let Some(splat) = inc.get("splat") {
                let p = child(&p, Seg::key("splat"));
                check::<schema::Splat>(splat, &p, "this `splat`", out);
                for part in ["args", "kwargs"] {
                    if let Some(x) = splat.get(part) {
                        check::<schema::SplatPart>(x, &child(&p, Seg::key(part)), &format!("`{part}` of this `splat`"), out);
                    }
                }
            }
        }
    });
    each(file, &[], "uri_constants", &mut out, &|v, p, out| {
        check::<schema::UriModule>(v, p, &entry("the URI module", v, "module"), out);
        each(v, p, "uris", out, &|v, p, out| check::<schema::UriConstant>(v, p, &entry("the URI constant", v, "name"), out));
    });
    each(file, &[], "unions", &mut out, &|v, p, out| {
        check::<schema::Union>(v, p, &entry("the union", v, "name"), out);
        each(v, p, "variants", out, &|v, p, out| check::<schema::Variant>(v, p, &entry("the variant", v, "type"), out));
    });
    out
}

type Check<'a> = &'a dyn Fn(&Value, &[Seg], &mut Problems);

/// Runs `f` on every entry of the list under `key`, if there is one.
fn each(v: &Value, path: &[Seg], key: &str, out: &mut Problems, f: Check<'_>) {
    if let Some(Value::Sequence(items)) = v.get(key) {
        for (i, item) in items.iter().enumerate() {
            f(item, &child(&child(path, Seg::key(key)), Seg::Index(i)), out);
        }
    }
}

fn child(path: &[Seg], seg: Seg) -> Vec<Seg> {
    let mut p = path.to_vec();
    p.push(seg);
    p
}

/// "the record `Foo`" when the entry has a name, "this record" otherwise.
fn entry(kind: &str, v: &Value, name_key: &str) -> String {
    match v.get(name_key).and_then(Value::as_str) {
        Some(name) => format!("{kind} `{name}`"),
        None => format!("this {}", kind.trim_start_matches("the ")),
    }
}

/// Compares the keys of one mapping with what `T` accepts and needs.
fn check<T: DeserializeOwned>(v: &Value, path: &[Seg], what: &str, out: &mut Problems) {
    // An empty entry (`- ` alone) reads as a mapping without keys.
    let keys: Vec<&str> = match v {
        Value::Mapping(map) => map.keys().filter_map(Value::as_str).collect(),
        Value::Null => Vec::new(),
        _ => return,
    };
    let (known, missing) = probe::<T>(&keys);
    for k in keys.iter().filter(|k| !known.iter().any(|n| n == *k)) {
        let hint = match diag::did_you_mean(k, known.iter().copied()) {
            h if h.is_empty() => {
                format!("; the keys allowed here are {}", known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", "))
            }
            h => h,
        };
        out.push((child(path, Seg::KeyName((*k).to_owned())), format!("unknown key `{k}` in {what}{hint}")));
    }
    match missing.as_slice() {
        [] => {}
        [one] => out.push((path.to_vec(), format!("{what} is missing the required key `{one}`"))),
        many => {
            let list = many.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
            out.push((path.to_vec(), format!("{what} is missing the required keys {list}")));
        }
    }
}

/// The keys `T` accepts, and those of them it needs that `given` lacks,
/// found by letting `T` read a mapping of stand-in values.
fn probe<T: DeserializeOwned>(given: &[&str]) -> (&'static [&'static str], Vec<&'static str>) {
    let known = Cell::new(&[][..]);
    let mut present = given.to_vec();
    let mut missing = Vec::new();
    while let Err(Probe::Missing(m)) = T::deserialize(Shape { present: &present, known: &known }) {
        if present.contains(&m) {
            break;
        }
        missing.push(m);
        present.push(m);
    }
    (known.get(), missing)
}

/// Why a stand-in reading failed: a required key was absent, or anything else.
#[derive(Debug)]
enum Probe {
    Missing(&'static str),
    Other,
}

impl fmt::Display for Probe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for Probe {}

impl de::Error for Probe {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Probe::Other
    }
    fn missing_field(field: &'static str) -> Self {
        Probe::Missing(field)
    }
}

/// A mapping with the `present` keys (those the struct knows), each holding a [`Fake`].
struct Shape<'a> {
    present: &'a [&'a str],
    known: &'a Cell<&'static [&'static str]>,
}

impl<'de> de::Deserializer<'de> for Shape<'_> {
    type Error = Probe;
    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Probe> {
        Err(Probe::Other)
    }
    fn deserialize_struct<V: Visitor<'de>>(self, _: &str, fields: &'static [&'static str], v: V) -> Result<V::Value, Probe> {
        self.known.set(fields);
        v.visit_map(MapDeserializer::new(self.present.iter().filter(|k| fields.iter().any(|f| f == *k)).map(|k| (*k, Fake))))
    }
    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}

/// A stand-in value that reads as whatever is asked for: false, zero,
/// empty, absent, or the first variant.
#[derive(Clone, Copy)]
struct Fake;

impl<'de> IntoDeserializer<'de, Probe> for Fake {
    type Deserializer = Fake;
    fn into_deserializer(self) -> Fake {
        self
    }
}

impl<'de> de::Deserializer<'de> for Fake {
    type Error = Probe;
    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Probe> {
        v.visit_unit()
    }
    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Probe> {
        v.visit_bool(false)
    }
    fn deserialize_i64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Probe> {
        v.visit_i64(0)
    }
    fn deserialize_f64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Probe> {
        v.visit_f64(0.0)
    }
    fn deserialize_str<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Probe> {
        v.visit_str("")
    }
    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Probe> {
        v.visit_str("")
    }
    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Probe> {
        v.visit_none()
    }
    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Probe> {
        v.visit_seq(SeqDeserializer::new(std::iter::empty::<Fake>()))
    }
    fn deserialize_struct<V: Visitor<'de>>(self, _: &str, fields: &'static [&'static str], v: V) -> Result<V::Value, Probe> {
        v.visit_map(MapDeserializer::new(fields.iter().map(|f| (*f, Fake))))
    }
    fn deserialize_enum<V: Visitor<'de>>(self, _: &str, variants: &'static [&'static str], v: V) -> Result<V::Value, Probe> {
        v.visit_enum(variants.first().copied().unwrap_or_default().into_deserializer())
    }
    forward_to_deserialize_any! {
        i8 i16 i32 i128 u8 u16 u32 u64 u128 f32 char bytes byte_buf unit unit_struct newtype_struct
        tuple tuple_struct map identifier ignored_any
    }
}
