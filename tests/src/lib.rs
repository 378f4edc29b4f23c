//! Replaying the conformance vectors recorded from autobahn-python against
//! the generated types. Used by the `wamp-conformance` binary and by the
//! tests under `tests/tests`.

pub mod bench;
pub mod kept;
pub mod messages;

use std::fmt;

use serde_json::Value as Json;
use wamp_types::{
    AbortMessage, Accept, ApplicationError, CallDetails, CallMessage, CallOptions, CallResult, Callback, Challenge, ChallengeMessage,
    CloseDetails, Deny, ErrorMessage, EventDetails, EventMessage, GoodbyeMessage, HelloDetails, HelloMessage, InvocationMessage, Map, Message,
    Payload, Publication, PublishMessage, PublishOptions, PublishedMessage, RegisterMessage, RegisterOptions, RegisteredMessage, Registration,
    ResultMessage, SubscribeMessage, SubscribeOptions, SubscribedMessage, Subscription, TypeVisitor, Value, WampType, WelcomeMessage,
    WelcomeRoles, YieldMessage, visit_type,
};

/// One line of a vector file.
#[derive(Debug, Clone)]
pub struct Vector {
    pub id: String,
    pub type_name: String,
    pub op: String,
    /// For `forward` lines: the size class (`tiny`, `small`, `medium`, `large`).
    pub size: Option<String>,
    pub format: Option<String>,
    /// The input: a dict for `parse`, `message_attr` and `outgoing`, hex
    /// for `decode`, a message list for `message` and `incoming`.
    pub input: Json,
    /// For `outgoing`: the request ID, URI and arguments of the message.
    pub message: Option<Json>,
    /// For `incoming`: the local subscription or registration.
    pub context: Option<Json>,
    /// `None` when autobahn refused the input.
    pub expect: Option<Value>,
}

/// Reads a vector file (JSON lines). A line that does not parse is an error.
pub fn load(text: &str) -> Result<Vec<Vector>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| parse_line(l).map_err(|e| format!("line {}: {e}", i + 1)))
        .collect()
}

fn parse_line(line: &str) -> Result<Vector, String> {
    let j: Json = serde_json::from_str(line).map_err(|e| e.to_string())?;
    let s = |k: &str| j.get(k).and_then(Json::as_str).map(str::to_owned);
    // A `forward` line expects nothing: what it writes is checked against its input.
    let output = match j.get("expect") {
        None if s("op").as_deref() == Some("forward") => None,
        None => return Err("no `expect`".to_owned()),
        Some(expect) => {
            let ok = expect.get("ok").and_then(Json::as_bool).ok_or("no `expect.ok`")?;
            if ok { Some(from_json(expect.get("output").ok_or("no `expect.output`")?)?) } else { None }
        }
    };
    Ok(Vector {
        id: s("id").ok_or("no `id`")?,
        // A `forward` line names its kind (`call`, `publish`) instead.
        type_name: s("type").or_else(|| s("kind").filter(|_| s("op").as_deref() == Some("forward"))).ok_or("no `type`")?,
        size: s("size"),
        op: s("op").ok_or("no `op`")?,
        format: s("format"),
        input: j.get("input").cloned().ok_or("no `input`")?,
        message: j.get("message").cloned(),
        context: j.get("context").cloned(),
        expect: output,
    })
}

/// The marker the vectors use for a callback that is set.
pub fn callable_marker() -> Value {
    let mut m = Map::new();
    m.insert("$callable", Value::Bool(true));
    Value::Map(m)
}

/// Converts the vectors' JSON into a value: `{"$bytes": hex}` becomes bytes;
/// integers and floats stay apart, and every integer from `-2^63` to
/// `2^64 - 1` is read exactly.
pub fn from_json(j: &Json) -> Result<Value, String> {
    Ok(match j {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::Int(i.into())
            } else if let Some(u) = n.as_u64() {
                Value::Int(u.into())
            } else {
                Value::Float(n.as_f64().unwrap_or(f64::NAN))
            }
        }
        Json::String(s) => Value::Str(s.clone()),
        Json::Array(a) => Value::List(a.iter().map(from_json).collect::<Result<_, _>>()?),
        Json::Object(o) => {
            if let (1, Some(Json::String(hex))) = (o.len(), o.get("$bytes")) {
                return Ok(Value::Bytes(decode_hex(hex)?));
            }
            let mut m = Map::with_capacity(o.len());
            for (k, v) in o {
                m.insert(k.clone(), from_json(v)?);
            }
            Value::Map(m)
        }
    })
}

/// Bytes from hex digits.
pub fn decode_hex(hex: &str) -> Result<Vec<u8>, String> {
    if !hex.len().is_multiple_of(2) {
        return Err("odd number of hex digits".to_owned());
    }
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|e| format!("bad hex: {e}"))).collect()
}

/// The wire formats of `decode` lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Msgpack,
    Cbor,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Json, Format::Msgpack, Format::Cbor];

    pub fn from_name(s: &str) -> Option<Format> {
        match s {
            "json" => Some(Format::Json),
            "msgpack" => Some(Format::Msgpack),
            "cbor" => Some(Format::Cbor),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Msgpack => "msgpack",
            Format::Cbor => "cbor",
        }
    }

    /// The crate the README recommends for this format, which the replay
    /// and the benchmarks use unless told otherwise.
    pub fn recommended(self) -> Crate {
        match self {
            Format::Json => Crate::SerdeJson,
            Format::Msgpack => Crate::RmpSerde,
            Format::Cbor => Crate::Cbor4ii,
        }
    }

    /// Every crate tested for this format, the recommended one first.
    pub fn crates(self) -> impl Iterator<Item = Crate> {
        let first = self.recommended();
        std::iter::once(first).chain(Crate::ALL.iter().copied().filter(move |c| c.format() == self && *c != first))
    }

    /// Decodes bytes straight into `T` with the [recommended](Format::recommended) crate.
    pub fn decode<T: serde::de::DeserializeOwned>(self, bytes: &[u8]) -> Result<T, String> {
        self.recommended().decode(bytes)
    }

    /// Encodes `x` in this format with the [recommended](Format::recommended) crate.
    pub fn encode<T: serde::Serialize>(self, x: &T) -> Result<Vec<u8>, String> {
        self.recommended().encode(x)
    }
}

/// A serde crate for one of the formats: the candidates a user would pick,
/// each checked against every vector.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Crate {
    /// JSON: `serde_json`.
    SerdeJson,
    /// JSON: `sonic-rs` (with the feature `json-candidates`).
    #[cfg(feature = "json-candidates")]
    SonicRs,
    /// JSON: `simd-json` (its serde deserializer, on a copy of the bytes: it
    /// parses in place; with the feature `json-candidates`).
    #[cfg(feature = "json-candidates")]
    SimdJson,
    /// MessagePack: `rmp-serde` (`to_vec_named` for encoding).
    RmpSerde,
    /// CBOR: `ciborium`.
    Ciborium,
    /// CBOR: `cbor4ii` (its `serde1` feature).
    Cbor4ii,
}

impl Crate {
    /// Every candidate this build has: the JSON alternatives to serde_json
    /// come with the feature `json-candidates`, kept out of the default
    /// build so that CI compiles only what the project recommends.
    #[cfg(feature = "json-candidates")]
    pub const ALL: &[Crate] = &[Crate::SerdeJson, Crate::RmpSerde, Crate::Ciborium, Crate::Cbor4ii, Crate::SonicRs, Crate::SimdJson];
    /// Every candidate this build has (see the feature `json-candidates`).
    #[cfg(not(feature = "json-candidates"))]
    pub const ALL: &[Crate] = &[Crate::SerdeJson, Crate::RmpSerde, Crate::Ciborium, Crate::Cbor4ii];

    /// The crate whose `as u8` is `n` (for benchmark functions that fix the
    /// crate at compile time).
    pub fn from_number(n: u8) -> Crate {
        *Crate::ALL.iter().find(|c| **c as u8 == n).expect("the number of a crate of this build")
    }

    /// The crate's name as on crates.io.
    pub fn name(self) -> &'static str {
        match self {
            Crate::SerdeJson => "serde_json",
            #[cfg(feature = "json-candidates")]
            Crate::SonicRs => "sonic-rs",
            #[cfg(feature = "json-candidates")]
            Crate::SimdJson => "simd-json",
            Crate::RmpSerde => "rmp-serde",
            Crate::Ciborium => "ciborium",
            Crate::Cbor4ii => "cbor4ii",
        }
    }

    pub fn from_name(s: &str) -> Option<Crate> {
        Crate::ALL.iter().copied().find(|c| c.name() == s)
    }

    /// The format the crate reads and writes.
    pub fn format(self) -> Format {
        match self {
            Crate::SerdeJson => Format::Json,
            #[cfg(feature = "json-candidates")]
            Crate::SonicRs | Crate::SimdJson => Format::Json,
            Crate::RmpSerde => Format::Msgpack,
            Crate::Ciborium | Crate::Cbor4ii => Format::Cbor,
        }
    }

    /// Decodes bytes straight into `T`. What follows the value is treated
    /// as autobahn-python's decoders treat it: `json.loads` and
    /// `msgpack.unpackb` refuse it (serde_json does; `rmp_serde::from_slice`
    /// does not, so [`msgpack_len`] must find the value as long as the
    /// bytes), `cbor2.loads` ignores it (as ciborium and cbor4ii do). ciborium gets a reused 4 KiB scratch buffer (see
    /// [`with_scratch`]).
    #[inline(always)]
    pub fn decode<T: serde::de::DeserializeOwned>(self, bytes: &[u8]) -> Result<T, String> {
        match self {
            Crate::SerdeJson => serde_json::from_slice(bytes).map_err(|e| e.to_string()),
            #[cfg(feature = "json-candidates")]
            Crate::SonicRs => sonic_rs::from_slice(bytes).map_err(|e| e.to_string()),
            #[cfg(feature = "json-candidates")]
            Crate::SimdJson => simd_json::serde::from_slice(&mut bytes.to_vec()).map_err(|e| e.to_string()),
            Crate::RmpSerde => {
                let x = rmp_serde::from_slice(bytes).map_err(|e| e.to_string())?;
                match msgpack_len(bytes) {
                    Some(n) if n == bytes.len() => {}
                    n => return Err(format!("{} bytes after the value", bytes.len() - n.unwrap_or(0))),
                }
                // `msgpack.unpackb` refuses a string that is not UTF-8;
                // rmp-serde hands it over as bytes.
                match wamp_types::runtime::msgpack_not_utf8(bytes) {
                    None => Ok(x),
                    Some(at) => Err(format!("a string that is not UTF-8 at byte {at}")),
                }
            }
            Crate::Ciborium => with_scratch(|s| ciborium::de::from_reader_with_buffer(bytes, s)).map_err(|e| e.to_string()),
            Crate::Cbor4ii => cbor4ii::serde::from_slice(bytes).map_err(|e| e.to_string()),
        }
    }

    /// Encodes `x`.
    pub fn encode<T: serde::Serialize>(self, x: &T) -> Result<Vec<u8>, String> {
        match self {
            Crate::SerdeJson => serde_json::to_vec(x).map_err(|e| e.to_string()),
            #[cfg(feature = "json-candidates")]
            Crate::SonicRs => sonic_rs::to_vec(x).map_err(|e| e.to_string()),
            #[cfg(feature = "json-candidates")]
            Crate::SimdJson => simd_json::serde::to_vec(x).map_err(|e| e.to_string()),
            Crate::RmpSerde => rmp_serde::to_vec_named(x).map_err(|e| e.to_string()),
            Crate::Ciborium => {
                let mut out = Vec::new();
                ciborium::into_writer(x, &mut out).map_err(|e| e.to_string())?;
                Ok(out)
            }
            Crate::Cbor4ii => cbor4ii::serde::to_vec(Vec::new(), x).map_err(|e| e.to_string()),
        }
    }
}

/// The length of the MessagePack value that starts `b`, from its markers
/// and lengths alone (nothing is decoded or checked inside strings); `None`
/// when `b` ends first or holds the unused marker `0xc1`. Used after
/// `rmp_serde::from_slice` has decoded the value, to refuse what follows
/// it as `msgpack.unpackb` does: rmp-serde 1.3 neither checks nor tells
/// where the value ends when it reads from a slice.
pub fn msgpack_len(b: &[u8]) -> Option<usize> {
    /// The big-endian number of `N` bytes at `at`.
    fn be<const N: usize>(b: &[u8], at: usize) -> Option<usize> {
        let x: [u8; N] = b.get(at..at + N)?.try_into().ok()?;
        Some(x.iter().fold(0usize, |n, &y| (n << 8) | usize::from(y)))
    }
    let (mut at, mut pending) = (0usize, 1usize);
    while pending > 0 {
        pending -= 1;
        let m = *b.get(at)?;
        // (bytes before the data, data bytes, values that follow)
        let (head, body, items) = match m {
            0x00..=0x7f | 0xc0 | 0xc2 | 0xc3 | 0xe0..=0xff => (1, 0, 0),
            0x80..=0x8f => (1, 0, 2 * usize::from(m & 0x0f)),
            0x90..=0x9f => (1, 0, usize::from(m & 0x0f)),
            0xa0..=0xbf => (1, usize::from(m & 0x1f), 0),
            0xc4 | 0xd9 => (2, be::<1>(b, at + 1)?, 0),
            0xc5 | 0xda => (3, be::<2>(b, at + 1)?, 0),
            0xc6 | 0xdb => (5, be::<4>(b, at + 1)?, 0),
            0xc7 => (3, be::<1>(b, at + 1)?, 0),
            0xc8 => (4, be::<2>(b, at + 1)?, 0),
            0xc9 => (6, be::<4>(b, at + 1)?, 0),
            0xcc | 0xd0 => (2, 0, 0),
            0xcd | 0xd1 => (3, 0, 0),
            0xca | 0xce | 0xd2 => (5, 0, 0),
            0xcb | 0xcf | 0xd3 => (9, 0, 0),
            0xd4..=0xd8 => (2, 1 << (m - 0xd4), 0),
            0xdc => (3, 0, be::<2>(b, at + 1)?),
            0xdd => (5, 0, be::<4>(b, at + 1)?),
            0xde => (3, 0, 2 * be::<2>(b, at + 1)?),
            0xdf => (5, 0, 2 * be::<4>(b, at + 1)?),
            0xc1 => return None,
        };
        at = at.checked_add(head + body).filter(|&n| n <= b.len())?;
        pending = pending.checked_add(items)?;
    }
    Some(at)
}

/// Runs `f` with a reused 4 KiB scratch buffer for ciborium, the size its
/// `from_reader` uses. `from_reader` zeroes a fresh buffer on the stack for
/// every call, which costs more than decoding a small message; a program
/// that decodes many messages reuses one.
pub fn with_scratch<R>(f: impl FnOnce(&mut [u8]) -> R) -> R {
    thread_local!(static SCRATCH: std::cell::RefCell<Vec<u8>> = std::cell::RefCell::new(vec![0; 4096]));
    SCRATCH.with_borrow_mut(|s| f(s))
}

/// What a vector produced.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A dict form.
    Output(Value),
    /// A refusal, with its message.
    Refused(String),
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Output(v) => write!(f, "{}", to_json(v)),
            Outcome::Refused(e) => write!(f, "error: {e}"),
        }
    }
}

/// Renders a value as the vectors write it (bytes as `{"$bytes": hex}`);
/// integers from `-2^63` to `2^64 - 1` are written exactly.
pub fn to_json(v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => match (i64::try_from(*i), u64::try_from(*i)) {
            (Ok(x), _) => Json::from(x),
            (_, Ok(x)) => Json::from(x),
            // Outside what any format carries: shown, not a number.
            _ => Json::String(format!("integer {i} (out of range)")),
        },
        Value::Float(x) => serde_json::Number::from_f64(*x).map_or(Json::Null, Json::Number),
        Value::Str(s) => Json::String(s.clone()),
        Value::Bytes(b) => {
            let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
            serde_json::json!({ "$bytes": hex })
        }
        Value::List(l) => Json::Array(l.iter().map(to_json).collect()),
        Value::Map(m) => Json::Object(m.iter().map(|(k, v)| (k.to_owned(), to_json(v))).collect()),
    }
}

/// Runs one vector: `Err` when the type, op or format is unknown.
pub fn run(v: &Vector) -> Result<Outcome, String> {
    run_using(v, &[])
}

/// The crate that decodes `format`: the first of `crates` for it, else
/// the recommended one.
fn pick(format: Format, crates: &[Crate]) -> Crate {
    crates.iter().copied().find(|c| c.format() == format).unwrap_or(format.recommended())
}

/// The crates that decode `format`: those of `crates` for it, else the
/// recommended one.
pub fn crates_for(format: Format, crates: &[Crate]) -> Vec<Crate> {
    let given: Vec<Crate> = crates.iter().copied().filter(|c| c.format() == format).collect();
    if given.is_empty() { vec![format.recommended()] } else { given }
}

/// [`run`], decoding the bytes of `decode` and `message_decode` lines with
/// the first crate of `crates` for their format (the recommended one where
/// `crates` names none).
pub fn run_using(v: &Vector, crates: &[Crate]) -> Result<Outcome, String> {
    match v.op.as_str() {
        "message" => {
            let input = from_json(&v.input)?;
            return Ok(Message::parse(&input).map_or_else(|e| Outcome::Refused(e.to_string()), |m| Outcome::Output(m.marshal())));
        }
        "message_decode" => {
            let (format, bytes) = decode_input(v)?;
            let with = pick(format, crates);
            return Ok(with.decode::<Message>(&bytes).map_or_else(Outcome::Refused, |m| Outcome::Output(m.marshal())));
        }
        "message_decode_kept" => {
            let (format, bytes) = decode_input(v)?;
            let ser = kept::serializer(format);
            return Ok(ser
                .decode_kept(&bytes)
                .and_then(kept::decoded)
                .map_or_else(|e| Outcome::Refused(e.to_string()), |m| Outcome::Output(m.marshal())));
        }
        "outgoing" => return outgoing(v),
        "incoming" => return incoming(v),
        _ => {}
    }
    visit_type(&v.type_name, Run(v, crates)).unwrap_or_else(|| Err(format!("unknown type `{}`", v.type_name)))
}

/// What a bridge call gave: the message's list, or the details' dict form.
fn outcome(result: Result<Value, wamp_types::Error>) -> Outcome {
    result.map_or_else(|e| Outcome::Refused(e.to_string()), Outcome::Output)
}

/// An `outgoing` line: the options type from `input`, then the message the
/// session sends, from `message` (`request`, `uri`, `args`, `kwargs`).
fn outgoing(v: &Vector) -> Result<Outcome, String> {
    if BUILT_FROM_RECORD.contains(&v.type_name.as_str()) {
        return outgoing_from(v);
    }
    let m = v.message.as_ref().ok_or("an outgoing line without `message`")?;
    let request = m.get("request").and_then(|r| r.as_i64().map(i128::from).or_else(|| r.as_u64().map(i128::from)));
    let request = request.ok_or("`message.request` is not an integer")?;
    let uri = m.get("uri").and_then(Json::as_str).ok_or("`message.uri` is not a string")?;
    let args = match &mut m.get("args").map(from_json).transpose()? {
        None | Some(Value::Null) => None,
        Some(Value::List(l)) => Some(std::mem::take(l)),
        Some(other) => return Err(format!("`message.args` is {}", other.describe())),
    };
    let kwargs = match &mut m.get("kwargs").map(from_json).transpose()? {
        None | Some(Value::Null) => None,
        Some(Value::Map(k)) => Some(std::mem::take(k)),
        Some(other) => return Err(format!("`message.kwargs` is {}", other.describe())),
    };
    let payload = Payload::Arguments { args, kwargs };
    // The request parameter is a `u64`, as the message's `request` is. A
    // request no `u64` holds is replaced by 0, and [`check_one`] compares
    // the message without it (`request_out_of_type`).
    let request = u64::try_from(request).unwrap_or(0);
    let built = match v.type_name.as_str() {
        "CallOptions" => match from_dict::<CallOptions>(&v.input) {
            Ok(o) => CallMessage::from_options(request, uri, payload, &o).map(|m| m.marshal()),
            Err(e) => return Ok(Outcome::Refused(e)),
        },
        "PublishOptions" => match from_dict::<PublishOptions>(&v.input) {
            Ok(o) => PublishMessage::from_options(request, uri, payload, &o).map(|m| m.marshal()),
            Err(e) => return Ok(Outcome::Refused(e)),
        },
        "SubscribeOptions" => match from_dict::<SubscribeOptions>(&v.input) {
            Ok(o) => SubscribeMessage::from_options(request, uri, &o).map(|m| m.marshal()),
            Err(e) => return Ok(Outcome::Refused(e)),
        },
        "RegisterOptions" => match from_dict::<RegisterOptions>(&v.input) {
            Ok(o) => RegisterMessage::from_options(request, uri, &o).map(|m| m.marshal()),
            Err(e) => return Ok(Outcome::Refused(e)),
        },
        other => return Err(format!("unknown type `{other}` for op `outgoing`")),
    };
    Ok(outcome(built))
}

/// The types of the `outgoing` lines whose message is built from a record
/// and checked as its receiver parses it (the rest of the bridge).
const BUILT_FROM_RECORD: &[&str] = &["CallResult", "ApplicationError", "Accept", "Challenge", "Deny"];

/// An `outgoing` line of the rest of the bridge: the type from `input`
/// (the source of the message), then the message built from it and what
/// else the session knows, in `message`.
fn outgoing_from(v: &Vector) -> Result<Outcome, String> {
    let m = v.message.as_ref();
    let field = |name: &str| m.and_then(|m| m.get(name)).ok_or_else(|| format!("an outgoing `{}` line without `message.{name}`", v.type_name));
    // A value that the parameter's Rust type cannot hold (a float, a string,
    // a negative or too large ID) cannot be passed at all: the type refuses it.
    macro_rules! param {
        ($name:literal) => {
            match int_param(field($name)?) {
                Some(x) => x,
                None => return Ok(Outcome::Refused(format!("`{}` {} is not a value of the parameter's type", $name, field($name)?))),
            }
        };
    }
    macro_rules! source {
        ($t:ty) => {
            match from_dict::<$t>(&v.input) {
                Ok(x) => x,
                Err(e) => return Ok(Outcome::Refused(e)),
            }
        };
    }
    let built = match v.type_name.as_str() {
        "CallResult" => {
            let request = param!("request");
            YieldMessage::from_call_result(request, &source!(CallResult)).map(|m| m.marshal())
        }
        "ApplicationError" => {
            let (request_type, request) = (param!("request_type"), param!("request"));
            ErrorMessage::from_application_error(request_type, request, &source!(ApplicationError)).map(|m| m.marshal())
        }
        "Accept" => {
            let session = param!("session");
            let roles = match WelcomeRoles::parse(&from_json(field("roles")?)?) {
                Ok(r) => r,
                Err(e) => return Ok(Outcome::Refused(e.to_string())),
            };
            WelcomeMessage::from_accept(session, &roles, &source!(Accept)).map(|m| m.marshal())
        }
        "Challenge" => ChallengeMessage::from_challenge(&source!(Challenge)).map(|m| m.marshal()),
        "Deny" => AbortMessage::from_deny(&source!(Deny)).map(|m| m.marshal()),
        other => return Err(format!("unknown type `{other}` for op `outgoing`")),
    };
    Ok(outcome(built))
}

/// An integer of a vector as the Rust type of the parameter it is passed
/// to; `None` where it is not an integer or that type cannot hold it.
fn int_param<T: TryFrom<i64> + TryFrom<u64>>(j: &Json) -> Option<T> {
    match (j.as_i64(), j.as_u64()) {
        (Some(x), _) => T::try_from(x).ok(),
        (None, Some(x)) => T::try_from(x).ok(),
        _ => None,
    }
}

/// An `incoming` line: the message in `input`, then the details the
/// session builds from it and the local subscription or registration in
/// `context`, in their dict form.
fn incoming(v: &Vector) -> Result<Outcome, String> {
    let input = from_json(&v.input)?;
    let context = |name: &str| v.context.as_ref().and_then(|c| c.get(name)).ok_or_else(|| format!("an incoming line without `context.{name}`"));
    let built = match v.type_name.as_str() {
        "EventDetails" => {
            let subscription = from_dict::<Subscription>(context("subscription")?)?;
            EventMessage::parse(&input).map(|m| dict_form(EventDetails::from_event(&m, &subscription)))
        }
        "CallDetails" => {
            let registration = from_dict::<Registration>(context("registration")?)?;
            InvocationMessage::parse(&input).map(|m| dict_form(CallDetails::from_invocation(&m, &registration, Some(&Callback::noop()))))
        }
        "CallResult" => ResultMessage::parse(&input).and_then(|m| CallResult::from_result(&m)).map(dict_form),
        "Subscription" => {
            let topic = context("subscribe")?.get("topic").and_then(Json::as_str).ok_or("`context.subscribe.topic` is not a string")?;
            SubscribedMessage::parse(&input).map(|m| dict_form(Subscription::from_subscribed(&m, topic)))
        }
        "Registration" => {
            let procedure =
                context("register")?.get("procedure").and_then(Json::as_str).ok_or("`context.register.procedure` is not a string")?;
            RegisteredMessage::parse(&input).map(|m| dict_form(Registration::from_registered(&m, procedure)))
        }
        "Publication" => {
            let was_encrypted =
                context("publish")?.get("was_encrypted").and_then(Json::as_bool).ok_or("`context.publish.was_encrypted` is not a boolean")?;
            PublishedMessage::parse(&input).map(|m| dict_form(Publication::from_published(&m, was_encrypted)))
        }
        "Challenge" => ChallengeMessage::parse(&input).map(|m| dict_form(Challenge::from_challenge(&m))),
        "CloseDetails" => match input.as_list().and_then(|l| l.first()).and_then(Value::as_u64) {
            Some(AbortMessage::CODE) => AbortMessage::parse(&input).map(|m| dict_form(CloseDetails::from_abort(&m))),
            Some(GoodbyeMessage::CODE) => GoodbyeMessage::parse(&input).map(|m| dict_form(CloseDetails::from_goodbye(&m))),
            _ => return Err("a CloseDetails line whose input is neither an ABORT nor a GOODBYE".to_owned()),
        },
        "ApplicationError" => ErrorMessage::parse(&input).map(|m| dict_form(ApplicationError::from_error(&m))),
        "HelloDetails" => {
            let pending = context("pending_session")?;
            let Some(pending) = int_param(pending) else {
                return Ok(Outcome::Refused(format!("`pending_session` {pending} is not a value of the parameter's type")));
            };
            HelloMessage::parse(&input).map(|m| dict_form(HelloDetails::from_hello(&m, pending)))
        }
        other => return Err(format!("unknown type `{other}` for op `incoming`")),
    };
    Ok(outcome(built))
}

/// The format and the bytes of a `decode` or `message_decode` line.
fn decode_input(v: &Vector) -> Result<(Format, Vec<u8>), String> {
    let format = v.format.as_deref().ok_or("a decode line without `format`")?;
    let format = Format::from_name(format).ok_or_else(|| format!("unknown format `{format}`"))?;
    let hex = v.input.as_str().ok_or("a decode line whose input is not hex")?;
    Ok((format, decode_hex(hex)?))
}

struct Run<'a>(&'a Vector, &'a [Crate]);

impl TypeVisitor for Run<'_> {
    type Output = Result<Outcome, String>;
    fn visit<T: WampType>(self) -> Self::Output {
        let v = self.0;
        match v.op.as_str() {
            "parse" => Ok(from_dict::<T>(&v.input).map_or_else(Outcome::Refused, |t| Outcome::Output(dict_form(t)))),
            "message_attr" => {
                let t = match from_dict::<T>(&v.input) {
                    Ok(t) => t,
                    Err(e) => return Ok(Outcome::Refused(e)),
                };
                t.message_attr_dict().map(Outcome::Output).ok_or_else(|| format!("`{}` has no message_attr", T::NAME))
            }
            "decode" => {
                let (format, bytes) = decode_input(v)?;
                Ok(pick(format, self.1).decode::<T>(&bytes).map_or_else(Outcome::Refused, |t| Outcome::Output(dict_form(t))))
            }
            other => Err(format!("unknown op `{other}`")),
        }
    }
}

/// Builds `T` from a vector's input dict; callback markers set callbacks.
pub fn from_dict<T: WampType>(input: &Json) -> Result<T, String> {
    read_with_callbacks(from_json(input)?, T::parse).map_err(|e| e.to_string())
}

/// Reads `T` from an input dict with `read` (`parse`, or serde from the
/// `Value`): the callback markers in it are taken out first and set as
/// callbacks on what `read` gives, as the replay does.
pub fn read_with_callbacks<T: WampType>(
    mut value: Value,
    read: impl FnOnce(&Value) -> Result<T, wamp_types::Error>,
) -> Result<T, wamp_types::Error> {
    let mut set = Vec::new();
    if let Value::Map(m) = &mut value {
        for name in T::CALLBACKS {
            if m.get(name) == Some(&callable_marker()) {
                m.remove(name);
                set.push(*name);
            }
        }
    }
    let mut t = read(&value)?;
    for name in set {
        if let Some(slot) = t.callback_mut(name) {
            *slot = Some(Callback::noop());
        }
    }
    Ok(t)
}

/// The dict form as the vectors show it: `marshal()`, plus each callback
/// field as the callable marker or null.
pub fn dict_form<T: WampType>(mut t: T) -> Value {
    let mut out = t.marshal();
    if let Value::Map(m) = &mut out {
        for name in T::CALLBACKS {
            let set = t.callback_mut(name).is_some_and(|c| c.is_some());
            m.insert(*name, if set { callable_marker() } else { Value::Null });
        }
    }
    out
}

/// Frees a value however deeply it nests, with a stack of its own. Dropping
/// a `Value` recurses, as dropping a `serde_json::Value` does; nothing the
/// crate reads nests deeper than 128, but the hostile-input tests build
/// values 100,000 levels deep in code, and free them as such code must.
pub fn free_deep(v: Value) {
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::List(l) => stack.extend(l),
            Value::Map(m) => stack.extend(m.into_iter().map(|(_, v)| v)),
            _ => {}
        }
    }
}

/// The result of replaying a set of vectors.
#[derive(Debug, Default)]
pub struct Report {
    pub passed: usize,
    /// How many of the passed lines had a request ID no `u64` holds, and
    /// were compared without it (see [`request_out_of_type`]).
    pub request_out_of_type: usize,
    pub failures: Vec<String>,
}

/// Replays vectors, describing each failure.
pub fn replay(vectors: &[Vector]) -> Report {
    replay_using(vectors, &[])
}

/// [`replay`] with the crates of `crates` for their formats: a `decode` or
/// `message_decode` line runs once with each of them (and counts once per
/// run), with the recommended crate where `crates` names none for its format.
pub fn replay_using(vectors: &[Vector], crates: &[Crate]) -> Report {
    let mut report = Report::default();
    for v in vectors {
        let format = v.format.as_deref().and_then(Format::from_name);
        if v.op == "forward" {
            check_forward_line(v, &mut report);
            continue;
        }
        // The kept path: the same expectation, and the same answer as the full decode.
        if v.op == "message_decode" && crates.is_empty() {
            let kept = Vector { op: "message_decode_kept".to_owned(), ..v.clone() };
            check_one(&kept, &[], " (kept)", &mut report);
            if let Some(f) = format {
                let bytes = decode_input(v).map(|(_, b)| b).unwrap_or_default();
                if let Err(e) = kept::kept_agrees(f, &bytes) {
                    report.failures.push(format!("FAIL {} {} {} (kept): {e}", v.id, v.type_name, v.op));
                }
                if let Err(e) = kept::decode_agrees(f, &bytes) {
                    report.failures.push(format!("FAIL {} {} {} (Serializer::decode): {e}", v.id, v.type_name, v.op));
                }
            }
        }
        match format {
            Some(f) if v.op.contains("decode") => {
                for with in crates_for(f, crates) {
                    let label = if crates.is_empty() { String::new() } else { format!(" ({})", with.name()) };
                    check_one(v, &[with], &label, &mut report);
                }
            }
            _ => check_one(v, crates, "", &mut report),
        }
    }
    report
}

/// Whether `v` is an `outgoing` line whose request ID no `u64` holds (a
/// negative one). autobahn's constructors take any integer as the request
/// and build a message that every peer, autobahn included, refuses
/// (`check_or_raise_id`); the crate's `request` is a `u64`, so the Rust
/// side cannot be given it. Such a line is replayed with request 0, and
/// the message must be autobahn's except at the request position (the
/// README's "How it matches autobahn" says so).
///
/// A message built from a record is checked as its receiver parses it, as
/// the vectors of the rest of the bridge record it: autobahn refuses those
/// lines, and so does the Rust side, whose parameter type cannot hold the ID.
pub fn request_out_of_type(v: &Vector) -> bool {
    v.op == "outgoing"
        && !BUILT_FROM_RECORD.contains(&v.type_name.as_str())
        && v.message.as_ref().and_then(|m| m.get("request")).and_then(Json::as_i64).is_some_and(|r| r < 0)
}

/// The expected message of an `outgoing` line, with request 0 in place of
/// one no `u64` holds (see [`request_out_of_type`]).
fn without_request(want: &Value) -> Value {
    let mut want = want.clone();
    if let Value::List(items) = &mut want
        && let Some(r) = items.get_mut(1)
    {
        *r = Value::Int(0);
    }
    want
}

/// A `forward` line: the forward on both paths, its output checked.
fn check_forward_line(v: &Vector, report: &mut Report) {
    let result = decode_input(v).and_then(|(format, bytes)| kept::forward_line(format, &bytes));
    match result {
        Ok(()) => report.passed += 1,
        Err(e) => report.failures.push(format!("FAIL {} {} {}: {e}", v.id, v.type_name, v.op)),
    }
}

fn check_one(v: &Vector, crates: &[Crate], label: &str, report: &mut Report) {
    let out_of_type = request_out_of_type(v);
    let expect = if out_of_type { v.expect.as_ref().map(without_request) } else { v.expect.clone() };
    let problem = match (run_using(v, crates), &expect) {
        (Err(e), _) => Some(e),
        (Ok(Outcome::Output(got)), Some(want)) if &got == want => None,
        (Ok(Outcome::Refused(_)), None) => None,
        (Ok(got), want) => {
            Some(format!("expected {}, got {got}", want.as_ref().map_or_else(|| "a refusal".to_owned(), |w| to_json(w).to_string())))
        }
    };
    match problem {
        None if out_of_type => {
            report.passed += 1;
            report.request_out_of_type += 1;
        }
        None => report.passed += 1,
        Some(p) => report.failures.push(format!("FAIL {} {} {}{label}: {p}", v.id, v.type_name, v.op)),
    }
}

/// The examples of the top-level README, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeExamples;
