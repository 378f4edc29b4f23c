//! Replaying the conformance vectors recorded from autobahn-python against
//! the generated types. Used by the `wamp-conformance` binary and by the
//! tests under `tests/tests`.

pub mod bench;
pub mod messages;

use std::fmt;

use serde_json::Value as Json;
use wamp_types::{
    CallDetails, CallMessage, CallOptions, CallResult, Callback, EventDetails, EventMessage, InvocationMessage, Map, Message, Payload,
    PublishMessage, PublishOptions, RegisterMessage, RegisterOptions, Registration, ResultMessage, SubscribeMessage, SubscribeOptions,
    Subscription, TypeVisitor, Value, WampType, visit_type,
};

/// One line of a vector file.
#[derive(Debug, Clone)]
pub struct Vector {
    pub id: String,
    pub type_name: String,
    pub op: String,
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
    let expect = j.get("expect").ok_or("no `expect`")?;
    let ok = expect.get("ok").and_then(Json::as_bool).ok_or("no `expect.ok`")?;
    let output = if ok { Some(from_json(expect.get("output").ok_or("no `expect.output`")?)?) } else { None };
    Ok(Vector {
        id: s("id").ok_or("no `id`")?,
        type_name: s("type").ok_or("no `type`")?,
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

    /// Decodes bytes straight into `T`.
    pub fn decode<T: serde::de::DeserializeOwned>(self, bytes: &[u8]) -> Result<T, String> {
        match self {
            Format::Json => serde_json::from_slice(bytes).map_err(|e| e.to_string()),
            Format::Msgpack => rmp_serde::from_slice(bytes).map_err(|e| e.to_string()),
            Format::Cbor => ciborium::from_reader(bytes).map_err(|e| e.to_string()),
        }
    }

    /// Encodes `x` in this format.
    pub fn encode<T: serde::Serialize>(self, x: &T) -> Result<Vec<u8>, String> {
        match self {
            Format::Json => serde_json::to_vec(x).map_err(|e| e.to_string()),
            Format::Msgpack => rmp_serde::to_vec_named(x).map_err(|e| e.to_string()),
            Format::Cbor => {
                let mut out = Vec::new();
                ciborium::into_writer(x, &mut out).map_err(|e| e.to_string())?;
                Ok(out)
            }
        }
    }
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
    match v.op.as_str() {
        "message" => {
            let input = from_json(&v.input)?;
            return Ok(Message::parse(&input).map_or_else(|e| Outcome::Refused(e.to_string()), |m| Outcome::Output(m.marshal())));
        }
        "message_decode" => {
            let (format, bytes) = decode_input(v)?;
            return Ok(format.decode::<Message>(&bytes).map_or_else(Outcome::Refused, |m| Outcome::Output(m.marshal())));
        }
        "outgoing" => return outgoing(v),
        "incoming" => return incoming(v),
        _ => {}
    }
    visit_type(&v.type_name, Run(v)).unwrap_or_else(|| Err(format!("unknown type `{}`", v.type_name)))
}

/// What a bridge call gave: the message's list, or the details' dict form.
fn outcome(result: Result<Value, wamp_types::Error>) -> Outcome {
    result.map_or_else(|e| Outcome::Refused(e.to_string()), Outcome::Output)
}

/// An `outgoing` line: the options type from `input`, then the message the
/// session sends, from `message` (`request`, `uri`, `args`, `kwargs`).
fn outgoing(v: &Vector) -> Result<Outcome, String> {
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
    // The request parameter has the Rust type of the message's `request`.
    macro_rules! request {
        () => {
            request_param(request)?
        };
    }
    let built = match v.type_name.as_str() {
        "CallOptions" => match from_dict::<CallOptions>(&v.input) {
            Ok(o) => CallMessage::from_options(request!(), uri, payload, &o).map(|m| m.marshal()),
            Err(e) => return Ok(Outcome::Refused(e)),
        },
        "PublishOptions" => match from_dict::<PublishOptions>(&v.input) {
            Ok(o) => PublishMessage::from_options(request!(), uri, payload, &o).map(|m| m.marshal()),
            Err(e) => return Ok(Outcome::Refused(e)),
        },
        "SubscribeOptions" => match from_dict::<SubscribeOptions>(&v.input) {
            Ok(o) => SubscribeMessage::from_options(request!(), uri, &o).map(|m| m.marshal()),
            Err(e) => return Ok(Outcome::Refused(e)),
        },
        "RegisterOptions" => match from_dict::<RegisterOptions>(&v.input) {
            Ok(o) => RegisterMessage::from_options(request!(), uri, &o).map(|m| m.marshal()),
            Err(e) => return Ok(Outcome::Refused(e)),
        },
        other => return Err(format!("unknown type `{other}` for op `outgoing`")),
    };
    Ok(outcome(built))
}

/// A request ID as the `request` parameter of `from_options` takes it,
/// whatever integer type that is.
fn request_param<T: TryFrom<i128>>(request: i128) -> Result<T, String> {
    T::try_from(request).map_err(|_| format!("request {request} does not fit the `request` parameter of `from_options`"))
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
            InvocationMessage::parse(&input).map(|m| dict_form(CallDetails::from_invocation(&m, &registration, &Callback::noop())))
        }
        "CallResult" => ResultMessage::parse(&input).and_then(|m| CallResult::from_result(&m)).map(dict_form),
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

struct Run<'a>(&'a Vector);

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
                Ok(format.decode::<T>(&bytes).map_or_else(Outcome::Refused, |t| Outcome::Output(dict_form(t))))
            }
            other => Err(format!("unknown op `{other}`")),
        }
    }
}

/// Builds `T` from a vector's input dict; callback markers set callbacks.
pub fn from_dict<T: WampType>(input: &Json) -> Result<T, String> {
    let mut value = from_json(input)?;
    let mut set = Vec::new();
    if let Value::Map(m) = &mut value {
        for name in T::CALLBACKS {
            if m.get(name) == Some(&callable_marker()) {
                m.remove(name);
                set.push(*name);
            }
        }
    }
    let mut t = T::parse(&value).map_err(|e| e.to_string())?;
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

/// The result of replaying a set of vectors.
#[derive(Debug, Default)]
pub struct Report {
    pub passed: usize,
    pub failures: Vec<String>,
}

/// Replays vectors, describing each failure.
pub fn replay(vectors: &[Vector]) -> Report {
    let mut report = Report::default();
    for v in vectors {
        let problem = match (run(v), &v.expect) {
            (Err(e), _) => Some(e),
            (Ok(Outcome::Output(got)), Some(want)) if &got == want => None,
            (Ok(Outcome::Refused(_)), None) => None,
            (Ok(got), want) => {
                Some(format!("expected {}, got {got}", want.as_ref().map_or_else(|| "a refusal".to_owned(), |w| to_json(w).to_string())))
            }
        };
        match problem {
            None => report.passed += 1,
            Some(p) => report.failures.push(format!("FAIL {} {} {}: {p}", v.id, v.type_name, v.op)),
        }
    }
    report
}

/// The examples of the top-level README, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeExamples;
