//! Parse errors that say where and what: type, field path, expected, got.

use std::fmt;

/// Where in a value a check is made: a type name followed by field names,
/// list indices and map keys. Built on the stack while parsing and turned
/// into text only when an error is reported.
#[derive(Clone, Copy, Debug)]
pub enum Path<'a> {
    /// The type being parsed.
    Root(&'static str),
    /// A named field of the parent.
    Field(&'a Path<'a>, &'static str),
    /// An element of a list.
    Index(&'a Path<'a>, usize),
    /// An entry of a map with a free key.
    Key(&'a Path<'a>, &'a str),
}

impl<'a> Path<'a> {
    /// The path of a field below this one.
    pub fn field(&'a self, name: &'static str) -> Path<'a> {
        Path::Field(self, name)
    }

    /// The path of a list element below this one.
    pub fn index(&'a self, i: usize) -> Path<'a> {
        Path::Index(self, i)
    }

    /// The path of a map entry below this one.
    pub fn key(&'a self, k: &'a str) -> Path<'a> {
        Path::Key(self, k)
    }

    fn root(&self) -> &'static str {
        match self {
            Path::Root(t) => t,
            Path::Field(p, _) | Path::Index(p, _) | Path::Key(p, _) => p.root(),
        }
    }

    fn write_below_root(&self, out: &mut String) {
        match self {
            Path::Root(_) => {}
            Path::Field(p, name) => {
                p.write_below_root(out);
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(name);
            }
            Path::Index(p, i) => {
                p.write_below_root(out);
                out.push_str(&format!("[{i}]"));
            }
            Path::Key(p, k) => {
                p.write_below_root(out);
                out.push_str(&format!("[{k:?}]"));
            }
        }
    }
}

/// A value that the generated types refuse, and why.
///
/// Its text names the type, the field path, what was expected and what
/// came, e.g. `PublishOptions.forward_for[1].authrole: expected string, got null`.
#[derive(Clone, PartialEq, Eq)]
pub struct Error(Box<Parts>);

/// The parts of an [`Error`], boxed so that a `Result` carrying one stays
/// as small as the value it carries on the way up through the readers.
#[derive(Clone, PartialEq, Eq)]
struct Parts {
    type_name: &'static str,
    path: String,
    expected: String,
    got: String,
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("type_name", &self.0.type_name)
            .field("path", &self.0.path)
            .field("expected", &self.0.expected)
            .field("got", &self.0.got)
            .finish()
    }
}

impl Error {
    /// An error at `at`: `expected` describes what fits, `got` what came.
    #[cold]
    #[inline(never)]
    pub(crate) fn new(at: &Path<'_>, expected: impl Into<String>, got: impl Into<String>) -> Self {
        let mut path = String::new();
        at.write_below_root(&mut path);
        Error(Box::new(Parts { type_name: at.root(), path, expected: expected.into(), got: got.into() }))
    }

    /// An error raised outside any type, e.g. by a decoder before it knew
    /// which type it was filling.
    #[cold]
    #[inline(never)]
    pub(crate) fn message(type_name: &'static str, expected: impl Into<String>, got: impl Into<String>) -> Self {
        Error(Box::new(Parts { type_name, path: String::new(), expected: expected.into(), got: got.into() }))
    }

    /// The error with `got` told with its length where it is only `kind`
    /// (`list` or `map`): a [`Value`](super::Value) says how long its lists
    /// and maps are where a stream does not.
    #[cold]
    #[inline(never)]
    pub(crate) fn with_length(mut self, kind: &str, len: usize) -> Self {
        if self.0.got == kind {
            self.0.got = format!("{kind} (length {len})");
        }
        self
    }

    /// The type whose parse failed, e.g. `PublishOptions`.
    pub fn type_name(&self) -> &'static str {
        self.0.type_name
    }

    /// The field path below the type, e.g. `forward_for[1].authrole`;
    /// empty when the value as a whole was refused.
    pub fn path(&self) -> &str {
        &self.0.path
    }

    /// What would have been accepted.
    pub fn expected(&self) -> &str {
        &self.0.expected
    }

    /// What came instead.
    pub fn got(&self) -> &str {
        &self.0.got
    }
}

thread_local! {
    /// The last error handed to a serde format on this thread, for
    /// [`Error::from_serde`].
    static HANDED: std::cell::RefCell<Option<Error>> = const { std::cell::RefCell::new(None) };
    /// Whether the last error of `HANDED` is being handed to a serde format
    /// right now, for the `custom` of this crate's own error.
    static HANDING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

impl Error {
    /// Hands the error to a serde decoder as the decoder's own error type.
    /// The error is remembered (one per thread), so that
    /// [`Error::from_serde`] can give it back with its structure.
    pub(crate) fn into_de<E: serde::de::Error>(self) -> E {
        self.hand(|e| E::custom(e))
    }

    /// Hands the error to a serde encoder as the encoder's own error type
    /// (see [`Error::into_de`]).
    pub(crate) fn into_ser<E: serde::ser::Error>(self) -> E {
        self.hand(|e| E::custom(e))
    }

    /// Remembers the error and makes a format's error of it with `custom`.
    /// While `HANDING` is set, this crate's own error (of reading from a
    /// `&Value`, or of `to_value`) takes the handed error whole in its
    /// `custom`, instead of its text.
    #[cold]
    #[inline(never)]
    fn hand<E>(self, custom: impl FnOnce(&Error) -> E) -> E {
        HANDED.with_borrow_mut(|slot| *slot = Some(self));
        HANDING.set(true);
        let e = HANDED.with_borrow(|slot| custom(slot.as_ref().expect("the error was just handed")));
        HANDING.set(false);
        e
    }

    /// Forgets the error handed to a format last on this thread, before a
    /// decode or encode whose error [`Error::take_handed`] gives back.
    pub(crate) fn clear_handed() {
        // Nearly always empty already: only an error handed over fills it.
        if HANDED.with_borrow(Option::is_some) {
            HANDED.with_borrow_mut(|slot| *slot = None);
        }
    }

    /// The error handed to a format since [`Error::clear_handed`], if any:
    /// the structured error behind a format's error, without reading its text.
    #[cfg_attr(not(any(feature = "json", feature = "msgpack", feature = "cbor")), allow(dead_code))]
    pub(crate) fn take_handed() -> Option<Error> {
        HANDED.with_borrow_mut(Option::take)
    }

    /// Our error back from the error of a serde format.
    ///
    /// A serde format keeps only the text of the errors it is given
    /// (serde_json appends its position, cbor4ii shows it as
    /// `Custom("...")` and ciborium as `Semantic(None, "...")`, both in
    /// Rust's `Debug` form, rmp-serde as it is). When `err` carries the
    /// error this crate handed the format last on this thread, that error
    /// comes back whole: type, path, expected and got. Any other error, such
    /// as malformed bytes, comes back as an error of type `value` whose
    /// `got` is the format's text: `value: expected well-formed input, got
    /// EOF while parsing a value at line 1 column 0`.
    ///
    /// ```
    /// use wamp_types::{Error, SessionDetails};
    ///
    /// let bytes = br#"{"session": "42"}"#;
    /// let err = serde_json::from_slice::<SessionDetails>(bytes).map_err(Error::from_serde).unwrap_err();
    /// assert_eq!((err.type_name(), err.path(), err.expected(), err.got()), ("SessionDetails", "session", "integer", r#"string "42""#));
    ///
    /// // The same refusal in CBOR: cbor4ii's error reads `Custom("SessionDetails.session: ...")`.
    /// let value: wamp_types::Value = serde_json::from_slice(bytes).unwrap();
    /// let cbor = cbor4ii::serde::to_vec(Vec::new(), &value).unwrap();
    /// let format_err = cbor4ii::serde::from_slice::<SessionDetails>(&cbor).unwrap_err();
    /// assert!(format_err.to_string().starts_with(r#"Custom("SessionDetails.session"#));
    /// assert_eq!(Error::from_serde(format_err), err);
    /// ```
    pub fn from_serde(err: impl fmt::Display) -> Error {
        let text = err.to_string();
        let handed = HANDED.with_borrow(|slot| {
            slot.as_ref()
                .filter(|ours| {
                    let plain = ours.to_string();
                    // As it is (serde_json, rmp-serde), or in `Debug` form, quotes
                    // and backslashes escaped: cbor4ii's `Custom("...")`,
                    // ciborium's `Semantic(None, "...")`.
                    text.contains(&plain) || text.contains(&format!("{plain:?}"))
                })
                .cloned()
        });
        handed.unwrap_or_else(|| Error::message("value", "well-formed input", text))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = &self.0;
        f.write_str(e.type_name)?;
        if !e.path.is_empty() {
            if !e.path.starts_with('[') {
                f.write_str(".")?;
            }
            f.write_str(&e.path)?;
        }
        write!(f, ": expected {}, got {}", e.expected, e.got)
    }
}

impl std::error::Error for Error {}

impl Error {
    /// The error a serde format makes of `msg`: the error being handed
    /// (see [`Error::hand`]) whole, else an error of type `value`.
    fn custom(expected: &str, msg: impl fmt::Display) -> Self {
        let handed = if HANDING.get() { HANDED.with_borrow(Option::clone) } else { None };
        handed.unwrap_or_else(|| Error::message("value", expected, msg.to_string()))
    }
}

impl serde::de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error::custom("well-formed input", msg)
    }
}

impl serde::ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error::custom("a value that can be written", msg)
    }
}
