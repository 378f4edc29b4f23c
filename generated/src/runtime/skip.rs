//! Skipping a value a message ignores, checked as autobahn-python's
//! decoders check it.

use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use super::codec::{base64_lenient, enter};
use super::error::{Error, Path};

/// Skips one value of any shape, as a message skips what it ignores:
/// nesting at most [`MAX_DEPTH`] deep, map keys that are strings or byte
/// strings (as autobahn-python's MessagePack and CBOR decoders read them),
/// and, in a human-readable format, strings that start with NUL only when
/// the base64 after it decodes (autobahn's JSON decoder decodes it).
#[doc(hidden)]
pub struct Skip<'a> {
    at: &'a Path<'a>,
    hr: bool,
    depth: u32,
    key: bool,
}

impl<'a> Skip<'a> {
    /// Skips the value at `at`, which sits `depth` lists or maps deep.
    pub fn new(at: &'a Path<'a>, hr: bool, depth: u32) -> Self {
        Skip { at, hr, depth, key: false }
    }

    fn err<E: de::Error>(&self, expected: &str, got: impl Into<String>) -> E {
        Error::into_de(Error::new(self.at, expected, got))
    }

    fn key_kind<E: de::Error>(&self, kind: &str) -> Result<(), E> {
        if self.key { Err(self.err("string or byte string keys", format!("key {kind}"))) } else { Ok(()) }
    }
}

impl<'de> DeserializeSeed<'de> for Skip<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Skip<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.key_kind("boolean")
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.key_kind("integer")
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.key_kind("integer")
    }
    fn visit_i128<E: de::Error>(self, _: i128) -> Result<(), E> {
        self.key_kind("integer")
    }
    fn visit_u128<E: de::Error>(self, _: u128) -> Result<(), E> {
        self.key_kind("integer")
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.key_kind("float")
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<(), E> {
        match s.strip_prefix('\0') {
            Some(rest) if self.hr && !self.key => base64_lenient(rest).map(drop).map_err(|e| self.err("base64 after a NUL character", e)),
            _ => Ok(()),
        }
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.key_kind("null")
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.key_kind("null")
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
    fn visit_newtype_struct<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.key_kind("list")?;
        let depth = enter(self.depth, self.at)?;
        while seq.next_element_seed(Skip { at: self.at, hr: self.hr, depth, key: false })?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.key_kind("map")?;
        let depth = enter(self.depth, self.at)?;
        while map.next_key_seed(Skip { at: self.at, hr: self.hr, depth, key: true })?.is_some() {
            map.next_value_seed(Skip { at: self.at, hr: self.hr, depth, key: false })?;
        }
        Ok(())
    }
}
