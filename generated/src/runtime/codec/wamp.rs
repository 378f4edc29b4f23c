//! Codecs of WAMP's own scalars: URIs and IDs.

use serde::Serializer;
use serde::de;

use super::{Codec, Str, json_bytes_mismatch, mismatch};
use crate::runtime::error::{Error, Path};
use crate::runtime::shape::Kind;
use crate::runtime::uri::{UriRule, check_uri};
use crate::runtime::value::Value;

/// A string that is a URI with non-empty components (autobahn's loose check).
pub struct Uri;

impl Codec for Uri {
    type Out = String;
    const KIND: Kind = Kind::Uri;
    fn take_value(x: &mut String) -> Value {
        Str::take_value(x)
    }
    fn encode<S: Serializer>(x: &String, s: S) -> Result<S::Ok, S::Error> {
        Str::encode(x, s)
    }
    fn de_str<E: de::Error>(s: &str, at: &Path<'_>, hr: bool) -> Result<String, E> {
        if let Some(e) = json_bytes_mismatch::<Self, E>(s, at, hr) {
            return Err(e);
        }
        check_uri(s, UriRule::Exact, at).map_err(Error::into_de)?;
        Ok(s.to_owned())
    }
}

/// The largest WAMP ID: 2^53.
pub const MAX_ID: u64 = 1 << 53;

/// A WAMP ID: an integer from 0 to 2^53, held as a `u64` (autobahn's
/// `check_or_raise_id`).
pub struct Id;

impl Codec for Id {
    type Out = u64;
    const KIND: Kind = Kind::Id;
    fn encode<S: Serializer>(x: &u64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(*x)
    }
    fn de_int<E: de::Error>(i: i128, at: &Path<'_>) -> Result<u64, E> {
        match u64::try_from(i) {
            Ok(x) if x <= MAX_ID => Ok(x),
            _ => Err(mismatch::<Self, E>(at, format!("integer {i}"))),
        }
    }
}
