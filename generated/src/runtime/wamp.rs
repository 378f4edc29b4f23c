//! The WAMP rules that the generated messages apply: IDs, URIs, the names
//! of payload algorithms and serializers, and the application payload that
//! ends PUBLISH, EVENT, CALL, INVOCATION, YIELD, RESULT and ERROR.
//!
//! Patterns follow autobahn-python's, as Python reads them: `\s` is
//! `str.isspace()` (which also counts `\x1c` to `\x1f`), `\d` any Unicode
//! decimal digit, and a pattern must match the whole string (a trailing
//! newline is not ignored).

use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use super::codec::{MAX_DEPTH, base64_lenient};
use super::error::{Error, Path};
use super::value::{Map, Value};

/// The largest WAMP ID: 2^53.
pub const MAX_ID: u64 = 1 << 53;

/// How the components of a URI may be empty.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UriRule {
    /// Every component is non-empty (`com.example.proc`).
    Exact,
    /// Every component but the last is non-empty (`com.example.`), as a
    /// prefix registration or subscription needs.
    Prefix,
    /// Any component may be empty (`com..proc`), as a wildcard pattern needs.
    Wildcard,
}

impl UriRule {
    /// The rule that goes with a match policy's wire string.
    pub fn for_match(policy: &str) -> UriRule {
        match policy {
            "prefix" => UriRule::Prefix,
            "wildcard" => UriRule::Wildcard,
            _ => UriRule::Exact,
        }
    }

    /// What a URI under this rule looks like, for error messages.
    pub fn expected(self) -> &'static str {
        match self {
            UriRule::Exact => "a URI (dot-separated non-empty components without white space or `#`)",
            UriRule::Prefix => "a URI prefix (dot-separated components without white space or `#`, only the last may be empty)",
            UriRule::Wildcard => "a URI pattern (dot-separated components without white space or `#`, which may be empty)",
        }
    }
}

/// Whether Python's `str.isspace()` is true for `c`.
fn is_python_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Whether `s` is a URI under `rule` (autobahn's loose patterns).
pub fn is_uri(s: &str, rule: UriRule) -> bool {
    // One pass over the bytes while they are ASCII, which URIs nearly
    // always are; the first other byte hands the string to the general
    // check, which reads characters.
    let mut empty = true;
    for &b in s.as_bytes() {
        match b {
            // A component before a dot is never the last one.
            b'.' if empty && rule != UriRule::Wildcard => return false,
            b'.' => empty = true,
            b'#' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | 0x1c..=0x1f | b' ' => return false,
            0x80.. => return is_uri_chars(s, rule),
            _ => empty = false,
        }
    }
    !empty || rule != UriRule::Exact
}

/// [`is_uri`] for any string, character by character.
fn is_uri_chars(s: &str, rule: UriRule) -> bool {
    let n = s.split('.').count();
    s.split('.').enumerate().all(|(i, part)| {
        let may_be_empty = match rule {
            UriRule::Exact => false,
            UriRule::Prefix => i + 1 == n,
            UriRule::Wildcard => true,
        };
        (may_be_empty || !part.is_empty()) && !part.chars().any(|c| c == '#' || is_python_space(c))
    })
}

/// Checks a URI, naming the rule in the error.
pub fn check_uri(s: &str, rule: UriRule, at: &Path<'_>) -> Result<(), Error> {
    if is_uri(s, rule) { Ok(()) } else { Err(Error::new(at, rule.expected(), super::value::describe_str(s))) }
}

/// The Unicode decimal digits (category Nd, Unicode 14 as in Python 3.11),
/// which Python's `\d` matches.
const DECIMAL_DIGITS: &[(u32, u32)] = &[
    (0x30, 0x39),
    (0x660, 0x669),
    (0x6F0, 0x6F9),
    (0x7C0, 0x7C9),
    (0x966, 0x96F),
    (0x9E6, 0x9EF),
    (0xA66, 0xA6F),
    (0xAE6, 0xAEF),
    (0xB66, 0xB6F),
    (0xBE6, 0xBEF),
    (0xC66, 0xC6F),
    (0xCE6, 0xCEF),
    (0xD66, 0xD6F),
    (0xDE6, 0xDEF),
    (0xE50, 0xE59),
    (0xED0, 0xED9),
    (0xF20, 0xF29),
    (0x1040, 0x1049),
    (0x1090, 0x1099),
    (0x17E0, 0x17E9),
    (0x1810, 0x1819),
    (0x1946, 0x194F),
    (0x19D0, 0x19D9),
    (0x1A80, 0x1A89),
    (0x1A90, 0x1A99),
    (0x1B50, 0x1B59),
    (0x1BB0, 0x1BB9),
    (0x1C40, 0x1C49),
    (0x1C50, 0x1C59),
    (0xA620, 0xA629),
    (0xA8D0, 0xA8D9),
    (0xA900, 0xA909),
    (0xA9D0, 0xA9D9),
    (0xA9F0, 0xA9F9),
    (0xAA50, 0xAA59),
    (0xABF0, 0xABF9),
    (0xFF10, 0xFF19),
    (0x104A0, 0x104A9),
    (0x10D30, 0x10D39),
    (0x11066, 0x1106F),
    (0x110F0, 0x110F9),
    (0x11136, 0x1113F),
    (0x111D0, 0x111D9),
    (0x112F0, 0x112F9),
    (0x11450, 0x11459),
    (0x114D0, 0x114D9),
    (0x11650, 0x11659),
    (0x116C0, 0x116C9),
    (0x11730, 0x11739),
    (0x118E0, 0x118E9),
    (0x11950, 0x11959),
    (0x11C50, 0x11C59),
    (0x11D50, 0x11D59),
    (0x11DA0, 0x11DA9),
    (0x16A60, 0x16A69),
    (0x16AC0, 0x16AC9),
    (0x16B50, 0x16B59),
    (0x1D7CE, 0x1D7FF),
    (0x1E140, 0x1E149),
    (0x1E2F0, 0x1E2F9),
    (0x1E950, 0x1E959),
    (0x1FBF0, 0x1FBF9),
];

fn is_python_digit(c: char) -> bool {
    let c = c as u32;
    DECIMAL_DIGITS
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// Whether `s` is a custom (implementation-specific) name: `x_` alone, or
/// `x_` then a lowercase ASCII letter and one or more lowercase ASCII
/// letters, digits or underscores.
pub fn is_custom_name(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("x_") else { return false };
    let mut chars = rest.chars();
    match chars.next() {
        None => true,
        Some(c) if c.is_ascii_lowercase() => {
            let tail = chars.as_str();
            !tail.is_empty() && tail.chars().all(|c| c == '_' || c.is_ascii_lowercase() || is_python_digit(c))
        }
        Some(_) => false,
    }
}

/// The payload transparency algorithms WAMP names.
pub const ENC_ALGOS: &[&str] = &["cryptobox", "mqtt", "xbr"];

/// The payload serializers WAMP names.
pub const ENC_SERIALIZERS: &[&str] = &["json", "msgpack", "cbor", "ubjson", "flatbuffers"];

/// Whether `s` names a payload algorithm: a standard one or a custom name.
pub fn is_enc_algo(s: &str) -> bool {
    ENC_ALGOS.contains(&s) || is_custom_name(s)
}

/// Whether `s` names a payload serializer: a standard one or a custom name.
pub fn is_enc_serializer(s: &str) -> bool {
    ENC_SERIALIZERS.contains(&s) || is_custom_name(s)
}

/// What a message carries for the application: positional and keyword
/// arguments, decoded or kept as the bytes they came in, or a payload kept
/// encoded (and possibly encrypted) end to end.
#[derive(Clone, Debug, PartialEq)]
pub enum Payload {
    /// Arguments. `args` is `None` where the message has none or holds
    /// `null` there; `kwargs` is `None` where it has none. Read from a
    /// message, empty `kwargs` are `None`, and so are empty `args` that no
    /// `kwargs` follow, since `marshal` does not write them.
    Arguments {
        /// The positional arguments.
        args: Option<Vec<Value>>,
        /// The keyword arguments.
        kwargs: Option<Map>,
    },
    /// An encoded payload, in place of the arguments, with the `enc_*` keys
    /// of the message's options or details that describe it.
    Encoded {
        /// The payload bytes.
        payload: Vec<u8>,
        /// The payload transparency algorithm (`cryptobox`, `mqtt`, `xbr` or `x_...`).
        enc_algo: Option<String>,
        /// The key the payload was encrypted with, when it names one.
        enc_key: Option<String>,
        /// The serializer the payload was encoded with (`json`, `msgpack`, `cbor`, `ubjson`, `flatbuffers` or `x_...`).
        enc_serializer: Option<String>,
    },
    /// Arguments kept as the bytes they came in, checked and not decoded
    /// ([`Serializer::decode_kept`](crate::Serializer::decode_kept) reads
    /// them so): written in the same format, they are copied;
    /// [`KeptPayload::args`](crate::KeptPayload::args) and the other methods decode them on demand.
    /// The accessors of this type that give arguments ([`Payload::args_list`],
    /// [`Payload::kwargs_map`], ...) see none in it: decode it first
    /// ([`Payload::decoded`]).
    Kept(super::kept::KeptPayload),
}

impl Default for Payload {
    fn default() -> Self {
        Payload::Arguments { args: None, kwargs: None }
    }
}

impl Payload {
    /// Arguments: positional ones, and keyword ones when `kwargs` is not empty.
    pub fn args(args: Vec<Value>) -> Payload {
        Payload::Arguments { args: Some(args), kwargs: None }
    }

    /// Positional and keyword arguments.
    pub fn args_kwargs(args: Vec<Value>, kwargs: Map) -> Payload {
        Payload::Arguments { args: Some(args), kwargs: Some(kwargs) }
    }

    /// The payload with kept arguments decoded ([`Payload::Arguments`]);
    /// any other payload as it is. Fails where a [`Value`] cannot hold the
    /// kept arguments, naming the path (`EVENT.args[1]: ...`).
    pub fn decoded(self) -> Result<Payload, Error> {
        match self {
            Payload::Kept(k) => k.to_arguments(),
            other => Ok(other),
        }
    }

    /// The positional arguments, empty where there are none (or the payload is encoded or kept).
    pub fn args_or_empty(&self) -> &[Value] {
        match self {
            Payload::Arguments { args: Some(a), .. } => a,
            _ => &[],
        }
    }

    /// The keyword arguments, if any.
    pub fn kwargs_map(&self) -> Option<&Map> {
        match self {
            Payload::Arguments { kwargs, .. } => kwargs.as_ref(),
            Payload::Encoded { .. } | Payload::Kept(_) => None,
        }
    }

    /// The positional arguments, if the message carries them: `None`
    /// where it has none, holds `null` there, or carries an encoded or kept payload.
    pub fn args_list(&self) -> Option<&Vec<Value>> {
        match self {
            Payload::Arguments { args, .. } => args.as_ref(),
            Payload::Encoded { .. } | Payload::Kept(_) => None,
        }
    }

    /// The payload transparency algorithm of an encoded payload.
    pub fn enc_algo(&self) -> Option<&str> {
        match self {
            Payload::Encoded { enc_algo, .. } => enc_algo.as_deref(),
            Payload::Arguments { .. } | Payload::Kept(_) => None,
        }
    }

    /// The key an encoded payload was encrypted with, when it names one.
    pub fn enc_key(&self) -> Option<&str> {
        match self {
            Payload::Encoded { enc_key, .. } => enc_key.as_deref(),
            Payload::Arguments { .. } | Payload::Kept(_) => None,
        }
    }

    /// The serializer an encoded payload was encoded with.
    pub fn enc_serializer(&self) -> Option<&str> {
        match self {
            Payload::Encoded { enc_serializer, .. } => enc_serializer.as_deref(),
            Payload::Arguments { .. } | Payload::Kept(_) => None,
        }
    }

    /// Checks what autobahn's message constructors assert of a payload
    /// built in code: an encoded payload names a known algorithm and
    /// serializer (or `x_...` ones), and names an algorithm whenever it
    /// names a key or a serializer. `dict_at` is the options or details
    /// dict that carries the `enc_*` keys. Arguments are always fine.
    pub(crate) fn check(&self, dict_at: &Path<'_>) -> Result<(), Error> {
        match self {
            Payload::Encoded { enc_algo, enc_key, enc_serializer, .. } => {
                let mut enc = EncKeys::default();
                for (key, v) in [("enc_algo", enc_algo), ("enc_key", enc_key), ("enc_serializer", enc_serializer)] {
                    if let Some(s) = v {
                        enc.put(key, Value::Str(s.clone()));
                    }
                }
                enc.into_payload(Vec::new(), dict_at).map(drop)
            }
            Payload::Arguments { .. } | Payload::Kept(_) => Ok(()),
        }
    }

    /// Reads the tail of a message: `rest` holds what follows its fixed
    /// positions, `dict` is the options or details dict that holds the
    /// `enc_*` keys, `dict_at` its path. `args_nullable` says whether the
    /// arguments may be `null`.
    pub(crate) fn read(rest: &[Value], dict: Option<&Map>, dict_at: &Path<'_>, at: &Path<'_>, args_nullable: bool) -> Result<Payload, Error> {
        let mut enc = EncKeys::default();
        if let (Some(d), [Value::Bytes(_)]) = (dict, rest) {
            for key in ENC_KEYS {
                if let Some(v) = d.get(key) {
                    enc.put(key, v.clone());
                }
            }
        }
        Payload::from_tail(rest.first().cloned(), rest.get(1).cloned(), enc, dict_at, at, args_nullable)
    }

    /// [`Payload::read`] from the tail elements themselves, moved, and the
    /// `enc_*` keys already taken from the dict.
    pub(crate) fn from_tail(
        first: Option<Value>,
        second: Option<Value>,
        enc: EncKeys,
        dict_at: &Path<'_>,
        at: &Path<'_>,
        args_nullable: bool,
    ) -> Result<Payload, Error> {
        if let (Some(Value::Bytes(_)), None) = (&first, &second) {
            return enc.into_payload(first.and_then(Value::into_bytes).unwrap_or_default(), dict_at);
        }
        let args = match first {
            None => None,
            Some(Value::Null) if args_nullable => None,
            Some(v @ Value::List(_)) => v.into_list(),
            Some(v) => {
                let expected = if args_nullable { "a list of arguments or null" } else { "a list of arguments" };
                return Err(Error::new(&at.field("args"), expected, v.describe()));
            }
        };
        let kwargs = match second {
            None => None,
            Some(v @ Value::Map(_)) => v.into_map(),
            Some(v) => return Err(Error::new(&at.field("kwargs"), "a map of keyword arguments", v.describe())),
        };
        // `marshal` writes `kwargs` only when not empty, and `args` only
        // when not empty or followed by `kwargs`: what it leaves out is kept
        // as absent, so that `parse(marshal(m)) == m`.
        let kwargs = kwargs.filter(|k| !k.is_empty());
        let args = if kwargs.is_none() { args.filter(|a| !a.is_empty()) } else { args };
        Ok(Payload::Arguments { args, kwargs })
    }

    /// What `marshal` writes after the fixed positions, as autobahn's
    /// `marshal()` decides it: the payload, or the arguments only when there
    /// are any (with `args`, `null` when missing, before non-empty `kwargs`).
    fn tail(&self) -> Tail<'_> {
        match self {
            Payload::Encoded { payload, .. } => Tail::Bytes(payload),
            Payload::Kept(k) => Tail::Kept(k),
            Payload::Arguments { args, kwargs: Some(k) } if !k.is_empty() => Tail::ArgsKwargs(args, k),
            Payload::Arguments { args: Some(a), .. } if !a.is_empty() => Tail::Args(a),
            Payload::Arguments { .. } => Tail::Nothing,
        }
    }

    /// How many list elements the payload takes at the end of a message.
    pub(crate) fn tail_len(&self) -> usize {
        match self.tail() {
            Tail::Nothing => 0,
            Tail::Bytes(_) | Tail::Args(_) => 1,
            Tail::ArgsKwargs(..) => 2,
            Tail::Kept(k) => k.tail_len(),
        }
    }

    /// Writes the `enc_*` keys of an encoded payload into the message's dict.
    pub(crate) fn write_enc(&self, dict: &mut Map) {
        if let Payload::Encoded { enc_algo, enc_key, enc_serializer, .. } = self {
            for (key, v) in [("enc_algo", enc_algo), ("enc_key", enc_key), ("enc_serializer", enc_serializer)] {
                if let Some(s) = v {
                    dict.insert(key, Value::Str(s.clone()));
                }
            }
        }
    }

    /// Serializes the tail elements ([`Payload::tail_len`] of them), as
    /// [`Payload::write_tail`] writes them.
    pub(crate) fn serialize_tail<S: serde::ser::SerializeSeq>(&self, seq: &mut S) -> Result<(), S::Error> {
        match self.tail() {
            Tail::Nothing => Ok(()),
            Tail::Bytes(b) => seq.serialize_element(&super::codec::Enc::<super::codec::Bytes>(b)),
            Tail::Args(a) => seq.serialize_element(a),
            Tail::ArgsKwargs(a, k) => {
                seq.serialize_element(a)?;
                seq.serialize_element(k)
            }
            // Decoded, and written in the format at hand.
            Tail::Kept(k) => {
                let (args, kwargs) = k.values().map_err(Error::into_ser)?;
                seq.serialize_element(&args)?;
                match kwargs {
                    Some(kwargs) => seq.serialize_element(&kwargs),
                    None => Ok(()),
                }
            }
        }
    }

    /// Writes the tail elements to `out` as values; the `enc_*` keys of an
    /// encoded payload go into the dict ([`Payload::write_enc`]).
    pub(crate) fn write_tail(&self, out: &mut Vec<Value>) {
        match self.tail() {
            Tail::Nothing => {}
            Tail::Bytes(b) => out.push(Value::Bytes(b.clone())),
            Tail::Args(a) => out.push(Value::List(a.clone())),
            Tail::ArgsKwargs(a, k) => {
                out.push(a.as_ref().map_or(Value::Null, |a| Value::List(a.clone())));
                out.push(Value::Map(k.clone()));
            }
            // Decoded; what a `Value` cannot hold (a CBOR map with integer
            // keys) leaves the arguments `null`.
            Tail::Kept(k) => {
                let (args, kwargs) = k.values().unwrap_or_default();
                out.push(args.map_or(Value::Null, Value::List));
                if k.kwargs_bytes().is_some() {
                    out.push(kwargs.map_or(Value::Null, Value::Map));
                }
            }
        }
    }
}

/// The elements after a message's fixed positions.
enum Tail<'a> {
    Nothing,
    Bytes(&'a Vec<u8>),
    Args(&'a Vec<Value>),
    ArgsKwargs(&'a Option<Vec<Value>>, &'a Map),
    Kept(&'a super::kept::KeptPayload),
}

/// The keys of a message's dict that describe an encoded payload.
const ENC_KEYS: [&str; 3] = ["enc_algo", "enc_key", "enc_serializer"];

/// The `enc_*` keys of a message's dict, as they came (`null` counts as
/// absent), until the message's tail shows whether they describe a payload.
#[doc(hidden)]
#[derive(Default, Debug)]
pub struct EncKeys {
    algo: Option<Value>,
    key: Option<Value>,
    serializer: Option<Value>,
}

impl EncKeys {
    /// Whether `key` is one of the `enc_*` keys.
    pub fn wants(&self, key: &str) -> bool {
        ENC_KEYS.contains(&key)
    }

    /// Keeps the value of an `enc_*` key.
    pub fn put(&mut self, key: &str, v: Value) {
        let v = Some(v).filter(|v| !v.is_null());
        match key {
            "enc_algo" => self.algo = v,
            "enc_key" => self.key = v,
            "enc_serializer" => self.serializer = v,
            _ => {}
        }
    }

    /// The encoded payload these keys describe, checked as autobahn's
    /// constructors check them.
    fn into_payload(self, payload: Vec<u8>, dict_at: &Path<'_>) -> Result<Payload, Error> {
        let algo = match self.algo {
            None => None,
            Some(v @ Value::Str(_)) if v.as_str().is_some_and(is_enc_algo) => v.into_string(),
            Some(v) => {
                return Err(Error::new(&dict_at.field("enc_algo"), "a payload algorithm (`cryptobox`, `mqtt`, `xbr` or `x_...`)", v.describe()));
            }
        };
        let key = match self.key {
            None => None,
            Some(v @ Value::Str(_)) => v.into_string(),
            Some(v) => return Err(Error::new(&dict_at.field("enc_key"), "string", v.describe())),
        };
        let serializer = match self.serializer {
            None => None,
            Some(v @ Value::Str(_)) if v.as_str().is_some_and(is_enc_serializer) => v.into_string(),
            Some(v) => {
                let expected = "a payload serializer (`json`, `msgpack`, `cbor`, `ubjson`, `flatbuffers` or `x_...`)";
                return Err(Error::new(&dict_at.field("enc_serializer"), expected, v.describe()));
            }
        };
        if algo.is_none() && (key.is_some() || serializer.is_some()) {
            return Err(Error::new(&dict_at.field("enc_algo"), "a payload algorithm, since `enc_key` or `enc_serializer` is set", "nothing"));
        }
        Ok(Payload::Encoded { payload, enc_algo: algo, enc_key: key, enc_serializer: serializer })
    }
}

/// Reads a WAMP ID: an integer from 0 to 2^53 (autobahn's `check_or_raise_id`).
pub fn read_id(v: &Value, at: &Path<'_>) -> Result<u64, Error> {
    match v {
        Value::Int(i) => match u64::try_from(*i) {
            Ok(x) if x <= MAX_ID => Ok(x),
            _ => Err(id_mismatch(v, at)),
        },
        _ => Err(id_mismatch(v, at)),
    }
}

#[cold]
#[inline(never)]
fn id_mismatch(v: &Value, at: &Path<'_>) -> Error {
    Error::new(at, "an ID (an integer from 0 to 2^53)", v.describe())
}

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

    fn nested<E: de::Error>(&self) -> Result<(), E> {
        if self.depth < MAX_DEPTH { Ok(()) } else { Err(self.err(&format!("lists and maps nested at most {MAX_DEPTH} deep"), "deeper nesting")) }
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
        self.nested()?;
        while seq.next_element_seed(Skip { at: self.at, hr: self.hr, depth: self.depth + 1, key: false })?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.key_kind("map")?;
        self.nested()?;
        while map.next_key_seed(Skip { at: self.at, hr: self.hr, depth: self.depth + 1, key: true })?.is_some() {
            map.next_value_seed(Skip { at: self.at, hr: self.hr, depth: self.depth + 1, key: false })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_follow_autobahns_loose_patterns() {
        assert!(is_uri("com.example.proc", UriRule::Exact));
        assert!(is_uri("com.ex-ample!.p", UriRule::Exact));
        assert!(!is_uri("com..proc", UriRule::Exact));
        assert!(!is_uri("", UriRule::Exact));
        assert!(!is_uri("com.example.", UriRule::Exact));
        assert!(is_uri("com.example.", UriRule::Prefix));
        assert!(!is_uri("com..x", UriRule::Prefix));
        assert!(is_uri("com..x", UriRule::Wildcard));
        assert!(is_uri("", UriRule::Wildcard));
        assert!(is_uri("..", UriRule::Wildcard));
        assert!(!is_uri("com.example.x\n", UriRule::Exact));
        assert!(!is_uri("com.a#b", UriRule::Wildcard));
        assert!(!is_uri("com.a\u{1c}b", UriRule::Exact));
        assert!(is_uri("com.a\u{200b}b", UriRule::Exact));
        assert!(!is_uri("com.a\u{3000}b", UriRule::Exact));
    }

    #[test]
    fn the_ascii_pass_agrees_with_the_character_check() {
        let parts = ["", "a", "com", "x y", "a#", "\u{1c}", "\u{b}", "\u{7f}", "-!", "é", "\u{a0}", "\u{3000}"];
        for rule in [UriRule::Exact, UriRule::Prefix, UriRule::Wildcard] {
            for a in parts {
                for b in parts {
                    for c in parts {
                        for s in [a.to_owned(), format!("{a}.{b}"), format!("{a}.{b}.{c}"), format!(".{a}{b}."), format!("{a}..{c}")] {
                            assert_eq!(is_uri(&s, rule), is_uri_chars(&s, rule), "{s:?} {rule:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn custom_names_follow_autobahns_pattern() {
        assert!(is_custom_name("x_"));
        assert!(is_custom_name("x_ab"));
        assert!(is_custom_name("x_a\u{663}"));
        assert!(is_custom_name("x_a_9"));
        assert!(!is_custom_name("x_a"));
        assert!(!is_custom_name("x_Ab"));
        assert!(!is_custom_name("x_ab\n"));
        assert!(!is_custom_name("x_1b"));
        assert!(!is_custom_name("xab"));
        assert!(is_enc_algo("cryptobox"));
        assert!(!is_enc_algo("aes"));
        assert!(is_enc_serializer("flatbuffers"));
        assert!(!is_enc_serializer("opaque"));
    }
}
