//! The application payload that ends PUBLISH, EVENT, CALL, INVOCATION,
//! YIELD, RESULT and ERROR, and the `enc_*` keys of a message's dict that
//! describe a payload kept encoded end to end.

use super::error::{Error, Path};
use super::uri::{is_enc_algo, is_enc_serializer};
use super::value::{Map, Value};

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
        self.enc_values()[0]
    }

    /// The key an encoded payload was encrypted with, when it names one.
    pub fn enc_key(&self) -> Option<&str> {
        self.enc_values()[1]
    }

    /// The serializer an encoded payload was encoded with.
    pub fn enc_serializer(&self) -> Option<&str> {
        self.enc_values()[2]
    }

    /// The values of the `enc_*` keys ([`ENC_KEYS`]) of an encoded payload;
    /// none for another payload.
    fn enc_values(&self) -> [Option<&str>; 3] {
        match self {
            Payload::Encoded { enc_algo, enc_key, enc_serializer, .. } => [enc_algo, enc_key, enc_serializer].map(Option::as_deref),
            Payload::Arguments { .. } | Payload::Kept(_) => [None; 3],
        }
    }

    /// Checks what autobahn's message constructors assert of a payload
    /// built in code: an encoded payload names a known algorithm and
    /// serializer (or `x_...` ones), and names an algorithm whenever it
    /// names a key or a serializer. `dict_at` is the options or details
    /// dict that carries the `enc_*` keys. Arguments are always fine.
    pub(crate) fn check(&self, dict_at: &Path<'_>) -> Result<(), Error> {
        EncKeys(self.enc_values().map(|v| v.map(Value::from)), 0).into_payload(Vec::new(), dict_at).map(drop)
    }

    /// Reads the tail of a message: the elements after its fixed
    /// positions (`first` and `second`, where they come), and the `enc_*`
    /// keys taken from the options or details dict, whose path is
    /// `dict_at`. `args_nullable` says whether the arguments may be `null`.
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
        for (key, v) in ENC_KEYS.into_iter().zip(self.enc_values()) {
            if let Some(s) = v {
                dict.insert(key, Value::Str(s.to_owned()));
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

/// The check of each of [`ENC_KEYS`] (each holds a string), and what it
/// expects, for the errors.
const ENC_CHECKS: [fn(&str) -> bool; 3] = [is_enc_algo, |_| true, is_enc_serializer];
const ENC_EXPECTED: [&str; 3] = [
    "a payload algorithm (`cryptobox`, `mqtt`, `xbr` or `x_...`)",
    "string",
    "a payload serializer (`json`, `msgpack`, `cbor`, `ubjson`, `flatbuffers` or `x_...`)",
];

/// The `enc_*` keys of a message's dict ([`ENC_KEYS`], in that order), as
/// they came (`null` counts as absent), until the message's tail shows
/// whether they describe a payload; and which of them came (bit `i` for
/// key `i`), so that a key that comes twice is found without a set of
/// the dict's other keys.
#[doc(hidden)]
#[derive(Default, Debug)]
pub struct EncKeys([Option<Value>; 3], u8);

impl EncKeys {
    /// Whether `key` is one of the `enc_*` keys.
    pub fn wants(&self, key: &str) -> bool {
        ENC_KEYS.contains(&key)
    }

    /// Keeps the value of an `enc_*` key.
    pub fn put(&mut self, key: &str, v: Value) {
        if let Some(i) = ENC_KEYS.iter().position(|k| *k == key) {
            self.0[i] = Some(v).filter(|v| !v.is_null());
            self.1 |= 1 << i;
        }
    }

    /// Whether the `enc_*` key `key` came already (see [`EncKeys::put`]).
    pub(crate) fn came(&self, key: &str) -> bool {
        ENC_KEYS.iter().position(|k| *k == key).is_some_and(|i| self.1 & (1 << i) != 0)
    }

    /// The encoded payload these keys describe, checked as autobahn's
    /// constructors check them.
    fn into_payload(self, payload: Vec<u8>, dict_at: &Path<'_>) -> Result<Payload, Error> {
        let mut enc = [None, None, None];
        for (i, v) in self.0.into_iter().enumerate() {
            enc[i] = match v {
                None => None,
                Some(Value::Str(s)) if ENC_CHECKS[i](&s) => Some(s),
                Some(v) => return Err(Error::new(&dict_at.field(ENC_KEYS[i]), ENC_EXPECTED[i], v.describe())),
            };
        }
        let [enc_algo, enc_key, enc_serializer] = enc;
        if enc_algo.is_none() && (enc_key.is_some() || enc_serializer.is_some()) {
            return Err(Error::new(&dict_at.field("enc_algo"), "a payload algorithm, since `enc_key` or `enc_serializer` is set", "nothing"));
        }
        Ok(Payload::Encoded { payload, enc_algo, enc_key, enc_serializer })
    }
}
