//! What the session bridge needs at run time: Python's truth values, for
//! the session's `x or y` and `if x:`, and Python's keyword rules, for the
//! constructors that take `**kwargs` (`CallResult(*args, **kwargs)`).
//!
//! The bridge itself (`CallMessage::from_options`, `EventDetails::from_event`,
//! ...) is generated from the `outgoing` and `incoming` entries of the
//! schema's messages; nothing here knows a particular message.

use super::error::{Error, Path};
use super::flag::Flag;
use super::value::{Map, Number, Value};

/// Python's truth value of a typed value, `bool(x)`: false for `None`,
/// `False`, zero and empty strings, bytes, lists and maps. The one
/// definition of truthiness: the bridge's `x or y` and `if x:`, and the
/// fields a record writes only when they are true (`write: truthy`).
pub trait Truthy {
    /// Whether the value is true in Python's sense.
    fn truthy(&self) -> bool;
}

impl Truthy for bool {
    fn truthy(&self) -> bool {
        *self
    }
}

macro_rules! truthy_int {
    ($($t:ty),*) => {
        $(impl Truthy for $t {
            fn truthy(&self) -> bool {
                *self != 0
            }
        })*
    };
}

truthy_int!(i64, u64, i128, u128);

impl Truthy for f64 {
    fn truthy(&self) -> bool {
        *self != 0.0
    }
}

impl Truthy for Number {
    fn truthy(&self) -> bool {
        self.as_f64() != 0.0
    }
}

impl Truthy for Flag {
    fn truthy(&self) -> bool {
        self.is_true()
    }
}

/// `Truthy` for collections: true when not empty.
macro_rules! truthy_not_empty {
    ($($t:ty $(: $p:ident)?),*) => {
        $(impl$(<$p>)? Truthy for $t {
            fn truthy(&self) -> bool {
                !self.is_empty()
            }
        })*
    };
}

truthy_not_empty!(str, String, Map, Vec<T>: T, [T]: T);

impl Truthy for Value {
    /// False for null, `false`, zero, and empty strings, bytes, lists and maps.
    fn truthy(&self) -> bool {
        match self {
            Value::Null => false,
            Value::Bool(b) => b.truthy(),
            Value::Int(i) => i.truthy(),
            Value::Float(x) => x.truthy(),
            Value::Str(s) => s.truthy(),
            Value::Bytes(b) => b.truthy(),
            Value::List(l) => l.truthy(),
            Value::Map(m) => m.truthy(),
        }
    }
}

impl<T: Truthy + ?Sized> Truthy for &T {
    fn truthy(&self) -> bool {
        (**self).truthy()
    }
}

impl<T: Truthy> Truthy for Option<T> {
    fn truthy(&self) -> bool {
        self.as_ref().is_some_and(Truthy::truthy)
    }
}

/// The error for a keyword that the call gives already, which Python
/// refuses with a `TypeError` (`got multiple values for keyword argument`).
/// `given` lists the keywords given, for the message.
pub fn keyword_twice(at: &Path<'_>, key: &str, given: &str) -> Error {
    Error::new(at, format!("a keyword other than {given}, which are given already"), format!("the keyword `{key}` a second time"))
}
