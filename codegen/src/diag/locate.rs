//! Turning a path into a YAML document into the line and column of its node.

use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::Seg;

/// The line and column (1-based) of the node at `path`.
///
/// The YAML parser reports where it was when an error arose, so walking to
/// the node and failing there yields its position without a second parser.
pub fn locate(text: &str, path: &[Seg]) -> Option<(usize, usize)> {
    let de = serde_yaml::Deserializer::from_str(text);
    let err = Walk { path }.deserialize(de).err()?;
    if !err.to_string().contains(FOUND) {
        return None;
    }
    err.location().map(|l| (l.line(), l.column()))
}

/// The position of the node at `path` or, when there is none, of the
/// nearest node on the way to it.
pub fn locate_near(text: &str, path: &[Seg]) -> (usize, usize) {
    (0..=path.len()).rev().find_map(|n| locate(text, &path[..n])).unwrap_or((1, 1))
}

const FOUND: &str = "\u{0}found";

/// The visitor methods for scalars (strings, booleans, numbers, null), each
/// handing the visitor and the scalar as text to `$body`, written like a
/// closure: `|visitor, text| expr`. The error type `E` is in scope.
macro_rules! scalars {
    (|$this:pat_param, $text:pat_param| $body:expr) => {
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            let ($this, $text) = (self, v.to_owned());
            $body
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            self.visit_str(&v.to_string())
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            self.visit_str(&v.to_string())
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            self.visit_str(&v.to_string())
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            self.visit_str(&v.to_string())
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            self.visit_str("null")
        }
    };
}

pub(super) use scalars;

struct Walk<'a> {
    path: &'a [Seg],
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any node")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let (want, rest, at_key) = match self.path.split_first() {
            Some((Seg::Key(k), rest)) => (k, rest, false),
            Some((Seg::KeyName(k), rest)) => (k, rest, true),
            _ => return Err(de::Error::custom(FOUND)),
        };
        let check = |k: &str| if at_key && k == want { Err(FOUND.to_owned()) } else { Ok(()) };
        while let Some(k) = map.next_key_seed(KeySeed(check))? {
            if &k == want {
                return map.next_value_seed(Walk { path: rest });
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Some((Seg::Index(want), rest)) = self.path.split_first() else {
            return Err(de::Error::custom(FOUND));
        };
        for _ in 0..*want {
            if seq.next_element::<IgnoredAny>()?.is_none() {
                return Ok(());
            }
        }
        seq.next_element_seed(Walk { path: rest }).map(|_| ())
    }
    scalars!(|_, _| Err(E::custom(FOUND)));
}

/// Reads a scalar key as text and lets `F` refuse it; the refusal is
/// reported at the key's own position.
pub(super) struct KeySeed<F>(pub(super) F);

impl<'de, F: FnOnce(&str) -> Result<(), String>> DeserializeSeed<'de> for KeySeed<F> {
    type Value = String;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, F: FnOnce(&str) -> Result<(), String>> Visitor<'de> for KeySeed<F> {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a scalar key")
    }
    scalars!(|seed, text| {
        (seed.0)(&text).map_err(E::custom)?;
        Ok(text)
    });
}
