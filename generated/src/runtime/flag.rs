//! `Flag`: a boolean as autobahn-python admits it where it checks
//! `x in [None, True, False]`, which Python's `1 == True` widens to the
//! numbers 0 and 1.

use serde::Serializer;
use serde::de;

use super::codec::{Codec, mismatch};
use super::error::Path;
use super::value::Value;

/// A yes-or-no option that keeps the form it came in: `true`/`false`, or a
/// number equal to 1 or 0 (`1`, `0`, `1.0`, `0.0`), which autobahn-python
/// accepts in its place and passes on unchanged.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Flag {
    /// A boolean.
    Bool(bool),
    /// The integer 0 or 1.
    Int(i64),
    /// The float 0.0 or 1.0.
    Float(f64),
}

impl Flag {
    /// Whether the flag is set.
    pub fn is_true(self) -> bool {
        match self {
            Flag::Bool(b) => b,
            Flag::Int(i) => i == 1,
            Flag::Float(x) => x == 1.0,
        }
    }
}

impl From<bool> for Flag {
    fn from(b: bool) -> Self {
        Flag::Bool(b)
    }
}

impl From<Flag> for Value {
    fn from(f: Flag) -> Self {
        match f {
            Flag::Bool(b) => Value::Bool(b),
            Flag::Int(i) => Value::Int(i.into()),
            Flag::Float(x) => Value::Float(x),
        }
    }
}

/// The codec of [`Flag`] fields.
pub struct FlagCodec;

impl Codec for FlagCodec {
    type Out = Flag;
    const KIND: super::shape::Kind = super::shape::Kind::Flag;
    fn encode<S: Serializer>(x: &Flag, s: S) -> Result<S::Ok, S::Error> {
        match *x {
            Flag::Bool(b) => s.serialize_bool(b),
            Flag::Int(i) => s.serialize_i64(i),
            Flag::Float(f) => s.serialize_f64(f),
        }
    }
    fn de_bool<E: de::Error>(b: bool, _: &Path<'_>) -> Result<Flag, E> {
        Ok(Flag::Bool(b))
    }
    fn de_int<E: de::Error>(i: i128, at: &Path<'_>) -> Result<Flag, E> {
        match i {
            0 | 1 => Ok(Flag::Int(i as i64)),
            _ => Err(mismatch::<Self, E>(at, format!("integer {i}"))),
        }
    }
    fn de_f64<E: de::Error>(x: f64, at: &Path<'_>) -> Result<Flag, E> {
        if x == 0.0 || x == 1.0 { Ok(Flag::Float(x)) } else { Err(mismatch::<Self, E>(at, format!("float {x:?}"))) }
    }
}
