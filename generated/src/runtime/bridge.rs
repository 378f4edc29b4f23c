//! What the session bridge needs at run time: Python's truth values, for
//! the session's `x or y` and `if x:`, and Python's keyword rules, for the
//! constructors that take `**kwargs` (`CallResult(*args, **kwargs)`).
//!
//! The bridge itself (`CallMessage::from_options`, `EventDetails::from_event`,
//! ...) is generated from the `outgoing` and `incoming` entries of the
//! schema's messages; nothing here knows a particular message.

use super::codec::Codec;
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

impl Truthy for str {
    fn truthy(&self) -> bool {
        !self.is_empty()
    }
}

impl Truthy for String {
    fn truthy(&self) -> bool {
        !self.is_empty()
    }
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

impl<T> Truthy for Vec<T> {
    fn truthy(&self) -> bool {
        !self.is_empty()
    }
}

impl<T> Truthy for [T] {
    fn truthy(&self) -> bool {
        !self.is_empty()
    }
}

impl Truthy for Map {
    fn truthy(&self) -> bool {
        !self.is_empty()
    }
}

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

/// Reads a keyword argument into the optional field it names, as a
/// constructor that takes its fields out of `**kwargs` does
/// (`kwargs.pop("enc_algo", None)`, then its type check): `null` leaves
/// the field unset.
pub fn keyword<C: Codec>(v: &Value, at: &Path<'_>) -> Result<Option<C::Out>, Error> {
    super::codec::read_opt::<C>(v, at)
}

/// The error for a keyword that the call gives already, which Python
/// refuses with a `TypeError` (`got multiple values for keyword argument`).
/// `given` lists the keywords given, for the message.
pub fn keyword_twice(at: &Path<'_>, key: &str, given: &str) -> Error {
    Error::new(at, format!("a keyword other than {given}, which are given already"), format!("the keyword `{key}` a second time"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truth_values_follow_python() {
        assert!(!"".truthy());
        assert!("a".truthy());
        assert!(!Some("").truthy());
        assert!(!None::<&str>.truthy());
        assert!(Some(&String::from("x")).truthy());
        assert!(!0i64.truthy());
        assert!((-1i64).truthy());
        assert!(!Number::Float(0.0).truthy());
        assert!(Number::Int(2).truthy());
        assert!(Flag::Int(1).truthy());
        assert!(!Flag::Float(0.0).truthy());
        assert!(!Vec::<Value>::new().truthy());
        assert!(!Map::new().truthy());
        assert!(!Value::Null.truthy());
        assert!(Value::List(vec![Value::Null]).truthy());
    }

    #[test]
    fn keywords_read_null_as_unset() {
        let at = Path::Root("RESULT");
        assert_eq!(keyword::<super::super::codec::Str>(&Value::Null, &at), Ok(None));
        assert_eq!(keyword::<super::super::codec::Str>(&Value::from("x"), &at), Ok(Some("x".to_owned())));
        let err = keyword::<super::super::codec::Str>(&Value::Int(5), &at.field("kwargs").key("enc_algo")).unwrap_err();
        assert_eq!(err.to_string(), r#"RESULT.kwargs["enc_algo"]: expected string, got integer 5"#);
        let err = keyword_twice(&at.field("kwargs").key("callee"), "callee", "`callee` and `self`");
        assert_eq!(
            err.to_string(),
            r#"RESULT.kwargs["callee"]: expected a keyword other than `callee` and `self`, which are given already, got the keyword `callee` a second time"#
        );
    }
}
