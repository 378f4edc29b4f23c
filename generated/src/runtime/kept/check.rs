//! The check of kept arguments as they are read: what decoding them into
//! [`Value`](crate::Value)s would check (nesting depth, integer range, the
//! WAMP JSON rule for strings that start with NUL, each map key once), with
//! the map keys that autobahn-python's decoder for the format reads, and
//! nothing built.

// A build with some of the formats uses part of this.
#![cfg_attr(not(all(feature = "json", feature = "msgpack", feature = "cbor")), allow(dead_code))]

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use crate::runtime::codec::{INT_RANGE, MAX_DEPTH, base64_lenient, int_in_range};
use crate::runtime::error::{Error, Path};

/// The map keys a format's kept arguments may hold: those autobahn-python's
/// decoder reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Keys {
    /// Strings only (JSON, whose keys are strings).
    Str,
    /// Strings and byte strings (MessagePack: `msgpack.unpackb` with its
    /// default `strict_map_key`).
    StrOrBytes,
    /// Strings, byte strings, integers and null (CBOR, as `cbor2` reads them).
    Cbor,
}

/// A map key, to find one given twice.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Key<'de> {
    Str(Cow<'de, str>),
    Bytes(Cow<'de, [u8]>),
    Int(i128),
    Null,
}

/// Checks one value at `at`, which sits `depth` lists or maps deep.
pub(crate) struct Check<'a> {
    pub(crate) at: &'a Path<'a>,
    pub(crate) hr: bool,
    pub(crate) depth: u32,
    pub(crate) keys: Keys,
    /// The value is a message's keyword arguments, whose own keys must be
    /// strings in every format (autobahn-python's `check_or_raise_kwargs`).
    pub(crate) kwargs: bool,
}

impl Check<'_> {
    #[cold]
    #[inline(never)]
    fn err<E: de::Error>(&self, expected: &str, got: impl Into<String>) -> E {
        Error::new(self.at, expected, got).into_de()
    }

    #[inline]
    fn nested<E: de::Error>(&self) -> Result<(), E> {
        if self.depth < MAX_DEPTH { Ok(()) } else { Err(self.err(&format!("lists and maps nested at most {MAX_DEPTH} deep"), "deeper nesting")) }
    }
}

impl<'de> DeserializeSeed<'de> for Check<'_> {
    type Value = ();
    #[inline]
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Check<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }
    #[inline]
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    #[inline]
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    #[inline]
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_i128<E: de::Error>(self, i: i128) -> Result<(), E> {
        if int_in_range(i) { Ok(()) } else { Err(self.err(INT_RANGE, format!("integer {i}"))) }
    }
    fn visit_u128<E: de::Error>(self, u: u128) -> Result<(), E> {
        if i128::try_from(u).is_ok_and(int_in_range) { Ok(()) } else { Err(self.err(INT_RANGE, format!("integer {u}"))) }
    }
    #[inline]
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    #[inline]
    fn visit_str<E: de::Error>(self, s: &str) -> Result<(), E> {
        match s.strip_prefix('\0') {
            Some(rest) if self.hr => base64_lenient(rest).map(drop).map_err(|e| self.err("base64 after a NUL character", e)),
            _ => Ok(()),
        }
    }
    #[inline]
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<(), E> {
        Ok(())
    }
    #[inline]
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    #[inline]
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
    fn visit_newtype_struct<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.nested()?;
        let mut i = 0;
        loop {
            let at = self.at.index(i);
            let item = Check { at: &at, hr: self.hr, depth: self.depth + 1, keys: self.keys, kwargs: false };
            if seq.next_element_seed(item)?.is_none() {
                return Ok(());
            }
            i += 1;
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.nested()?;
        let mut seen: Vec<Key<'de>> = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
        let keys = if self.kwargs { Keys::Str } else { self.keys };
        while let Some(key) = map.next_key_seed(KeyCheck { at: self.at, keys })? {
            let here = match &key {
                Key::Str(s) => Path::Key(self.at, s),
                _ => *self.at,
            };
            map.next_value_seed(Check { at: &here, hr: self.hr, depth: self.depth + 1, keys: self.keys, kwargs: false })?;
            seen.push(key);
        }
        if let Some(k) = first_duplicate(&mut seen) {
            let twice = match k {
                Key::Str(s) => format!("{s:?}"),
                Key::Bytes(b) => format!("bytes (length {})", b.len()),
                Key::Int(i) => format!("integer {i}"),
                Key::Null => "null".to_owned(),
            };
            let at = self.at.key(&twice);
            return Err(Error::new(&at, "each key once", "the key twice").into_de());
        }
        Ok(())
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(self.err("any value", "an enum or tagged value"))
    }
}

/// A key given twice in `keys`, if any (`keys` may be reordered).
fn first_duplicate<'k, 'de>(keys: &'k mut [Key<'de>]) -> Option<&'k Key<'de>> {
    if keys.len() <= 16 {
        let i = (1..keys.len()).find(|&i| keys[..i].contains(&keys[i]))?;
        return Some(&keys[i]);
    }
    keys.sort_unstable();
    let i = (1..keys.len()).find(|&i| keys[i - 1] == keys[i])?;
    Some(&keys[i])
}

/// Reads a map key of the kinds `keys` allows.
struct KeyCheck<'a> {
    at: &'a Path<'a>,
    keys: Keys,
}

impl KeyCheck<'_> {
    #[cold]
    #[inline(never)]
    fn refuse<E: de::Error>(&self, kind: impl fmt::Display) -> E {
        let expected = match self.keys {
            Keys::Str => "string keys",
            Keys::StrOrBytes => "string or byte string keys",
            Keys::Cbor => "string, byte string, integer or null keys",
        };
        Error::new(self.at, expected, format!("key {kind}")).into_de()
    }

    fn int<'de, E: de::Error>(self, i: i128) -> Result<Key<'de>, E> {
        match self.keys {
            Keys::Cbor if int_in_range(i) => Ok(Key::Int(i)),
            _ => Err(self.refuse(format_args!("integer {i}"))),
        }
    }
}

impl<'de> DeserializeSeed<'de> for KeyCheck<'_> {
    type Value = Key<'de>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Key<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeyCheck<'_> {
    type Value = Key<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map key")
    }
    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Key<'de>, E> {
        Ok(Key::Str(Cow::Borrowed(s)))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Key<'de>, E> {
        Ok(Key::Str(Cow::Owned(s.to_owned())))
    }
    fn visit_string<E: de::Error>(self, s: String) -> Result<Key<'de>, E> {
        Ok(Key::Str(Cow::Owned(s)))
    }
    fn visit_borrowed_bytes<E: de::Error>(self, b: &'de [u8]) -> Result<Key<'de>, E> {
        match self.keys {
            Keys::Str => Err(self.refuse("bytes")),
            _ => Ok(Key::Bytes(Cow::Borrowed(b))),
        }
    }
    fn visit_bytes<E: de::Error>(self, b: &[u8]) -> Result<Key<'de>, E> {
        match self.keys {
            Keys::Str => Err(self.refuse("bytes")),
            _ => Ok(Key::Bytes(Cow::Owned(b.to_owned()))),
        }
    }
    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Key<'de>, E> {
        self.int(i.into())
    }
    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Key<'de>, E> {
        self.int(u.into())
    }
    fn visit_i128<E: de::Error>(self, i: i128) -> Result<Key<'de>, E> {
        self.int(i)
    }
    fn visit_u128<E: de::Error>(self, u: u128) -> Result<Key<'de>, E> {
        match i128::try_from(u) {
            Ok(i) => self.int(i),
            Err(_) => Err(self.refuse(format_args!("integer {u}"))),
        }
    }
    fn visit_unit<E: de::Error>(self) -> Result<Key<'de>, E> {
        match self.keys {
            Keys::Cbor => Ok(Key::Null),
            _ => Err(self.refuse("null")),
        }
    }
    fn visit_none<E: de::Error>(self) -> Result<Key<'de>, E> {
        self.visit_unit()
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Key<'de>, E> {
        Err(self.refuse(format_args!("boolean {b}")))
    }
    fn visit_f64<E: de::Error>(self, x: f64) -> Result<Key<'de>, E> {
        Err(self.refuse(format_args!("float {x:?}")))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Key<'de>, A::Error> {
        Err(self.refuse("list"))
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<Key<'de>, A::Error> {
        Err(self.refuse("map"))
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, _: A) -> Result<Key<'de>, A::Error> {
        Err(self.refuse("an enum or tagged value"))
    }
}
