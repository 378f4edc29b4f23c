//! Throughput of the generated types on the conformance vectors, next to
//! the floor each path could reach: a deep clone of the same input values,
//! and decoding the same bytes into an untyped value.
//!
//! Only the vectors autobahn accepts are timed. All preparation (reading
//! the JSON lines, turning inputs into [`Value`]s, hex into bytes, picking
//! the type by name) happens before timing: a timed pass calls one function
//! pointer per vector, already monomorphised for its type. Used by
//! `wamp-conformance --bench` and by the criterion benchmarks.

mod measure;

pub use measure::{
    Budget, ForwardGroup, SIZES, by_module, clone_pass, decode_pass, forward_cases, forward_decoded_pass, forward_pass, into_marshal_pass,
    message_pass, project_vectors, rate, rates, run_all, run_forward, run_only, skip_pass, untyped_pass, value_pass, wanted,
};

use std::hint::black_box;

use serde::de::DeserializeOwned;
use wamp_types::{Callback, Message, Serializer, TypeVisitor, Value, WampType, visit_type};

use crate::kept::serializer;
use crate::{Crate, Vector, callable_marker, decode_hex, dict_form, from_json, with_scratch};

/// Builds a type from its input value and gives back its dict form.
/// `None` when the type refuses the input.
type ValueFn = fn(&Value, &[(&'static str, Callback)]) -> Option<Value>;

/// One accepted `parse` or `message_attr` vector, ready to time.
#[derive(Clone)]
pub struct ValueCase {
    /// The type's name (`SessionDetails`, ...).
    pub type_name: &'static str,
    /// The op: `parse` or `message_attr`.
    pub op: &'static str,
    /// The schema module of the type (`session`, `rpc`, ...).
    pub module: &'static str,
    /// The input dict, callback markers taken out.
    pub input: Value,
    callbacks: Vec<(&'static str, Callback)>,
    run: ValueFn,
    run_moving: ValueFn,
}

impl ValueCase {
    /// Builds the type and its dict form (`marshal` or `message_attr`).
    #[inline]
    pub fn run(&self) -> Option<Value> {
        (self.run)(&self.input, &self.callbacks)
    }
}

/// `case` with `into_marshal` in place of `marshal` when it is a `parse`
/// case; other cases as they are.
pub fn moving(case: &ValueCase) -> ValueCase {
    ValueCase { run: case.run_moving, ..case.clone() }
}

/// One accepted `decode` or `message_decode` vector of one format, ready
/// to time.
pub struct DecodeCase {
    /// The schema module of the type or message (`session`, `rpc`, ...).
    pub module: &'static str,
    /// The encoded bytes.
    pub bytes: Vec<u8>,
    typed: fn(&[u8]),
}

impl DecodeCase {
    /// Decodes the bytes straight into the generated type or [`Message`].
    #[inline]
    pub fn typed(&self) {
        (self.typed)(&self.bytes)
    }
}

/// The module a generated type lives in, from its Rust path.
fn module_of<T>() -> &'static str {
    let path = std::any::type_name::<T>();
    path.rsplit("::").nth(1).unwrap_or(path)
}

fn parse_marshal<T: WampType>(input: &Value, callbacks: &[(&'static str, Callback)]) -> Option<Value> {
    built::<T>(input, callbacks).map(|t| t.marshal())
}

fn parse_into_marshal<T: WampType>(input: &Value, callbacks: &[(&'static str, Callback)]) -> Option<Value> {
    built::<T>(input, callbacks).map(WampType::into_marshal)
}

fn parse_message_attr<T: WampType>(input: &Value, callbacks: &[(&'static str, Callback)]) -> Option<Value> {
    built::<T>(input, callbacks)?.message_attr_dict()
}

#[inline(always)]
fn built<T: WampType>(input: &Value, callbacks: &[(&'static str, Callback)]) -> Option<T> {
    let mut t = T::parse(input).ok()?;
    for (name, cb) in callbacks {
        if let Some(slot) = t.callback_mut(name) {
            *slot = Some(cb.clone());
        }
    }
    Some(t)
}

struct PickValue<'a>(&'a str);

impl TypeVisitor for PickValue<'_> {
    type Output = Option<ValueCase>;
    fn visit<T: WampType>(self) -> Self::Output {
        let (op, run, run_moving): (_, ValueFn, ValueFn) = match self.0 {
            "parse" => ("parse", parse_marshal::<T>, parse_into_marshal::<T>),
            "message_attr" => ("message_attr", parse_message_attr::<T>, parse_message_attr::<T>),
            _ => return None,
        };
        let (type_name, module) = (T::NAME, module_of::<T>());
        Some(ValueCase { type_name, op, module, input: Value::Null, callbacks: Vec::new(), run, run_moving })
    }
}

struct Callbacks;

impl TypeVisitor for Callbacks {
    type Output = &'static [&'static str];
    fn visit<T: WampType>(self) -> Self::Output {
        T::CALLBACKS
    }
}

/// The accepted `parse` and `message_attr` vectors, each checked once
/// against its expected output (an error names the first that differs).
pub fn value_cases(vectors: &[Vector]) -> Result<Vec<ValueCase>, String> {
    let marker = callable_marker();
    let mut out = Vec::new();
    for v in vectors.iter().filter(|v| v.expect.is_some() && matches!(v.op.as_str(), "parse" | "message_attr")) {
        let mut case = visit_type(&v.type_name, PickValue(&v.op)).flatten().ok_or_else(|| format!("{}: unknown type or op", v.id))?;
        case.input = from_json(&v.input)?;
        if let Value::Map(m) = &mut case.input {
            let names = visit_type(&v.type_name, Callbacks).unwrap_or_default();
            for name in names {
                if m.get(name) == Some(&marker) {
                    m.remove(name);
                    case.callbacks.push((*name, Callback::noop()));
                }
            }
        }
        // The replay compares the full dict form; here only that the
        // timed function runs and agrees with it on the data keys.
        let got = case.run().ok_or_else(|| format!("{}: refused, but autobahn accepts it", v.id))?;
        if !agrees(&got, v.expect.as_ref().expect("filtered")) {
            return Err(format!("{}: output differs from the vector", v.id));
        }
        out.push(case);
    }
    Ok(out)
}

/// Whether every key of `got` holds what `want` holds (`want` may also
/// show callback fields, which the dict form leaves out).
fn agrees(got: &Value, want: &Value) -> bool {
    match (got, want) {
        (Value::Map(g), Value::Map(w)) => g.iter().all(|(k, x)| w.get(k) == Some(x)),
        _ => got == want,
    }
}

/// Decodes bytes with the crate numbered `C` into `T`, keeping nothing:
/// one function per type and crate, the crate fixed at compile time.
fn typed<T: DeserializeOwned, const C: u8>(b: &[u8]) {
    // Looked at where it is: a message is large, and moving it is not decoding.
    black_box(&Crate::from_number(C).decode::<T>(b));
}

fn decode_typed<T: DeserializeOwned>(with: Crate) -> fn(&[u8]) {
    match with {
        Crate::SerdeJson => typed::<T, { Crate::SerdeJson as u8 }>,
        Crate::RmpSerde => typed::<T, { Crate::RmpSerde as u8 }>,
        Crate::Ciborium => typed::<T, { Crate::Ciborium as u8 }>,
        Crate::Cbor4ii => typed::<T, { Crate::Cbor4ii as u8 }>,
        #[cfg(feature = "json-candidates")]
        Crate::SonicRs => typed::<T, { Crate::SonicRs as u8 }>,
        #[cfg(feature = "json-candidates")]
        Crate::SimdJson => typed::<T, { Crate::SimdJson as u8 }>,
    }
}

struct PickDecode(Crate);

impl TypeVisitor for PickDecode {
    type Output = (fn(&[u8]), &'static str);
    fn visit<T: WampType>(self) -> Self::Output {
        (decode_typed::<T>(self.0), module_of::<T>())
    }
}

/// The accepted `decode` vectors of `with`'s format, each checked once: the
/// bytes must decode with `with` into the type and give the expected dict form.
pub fn decode_cases(vectors: &[Vector], with: Crate) -> Result<Vec<DecodeCase>, String> {
    let mut out = Vec::new();
    for v in vectors.iter().filter(|v| v.op == "decode" && v.format.as_deref() == Some(with.format().name())) {
        let Some(want) = &v.expect else { continue };
        let (typed, module) = visit_type(&v.type_name, PickDecode(with)).ok_or_else(|| format!("{}: unknown type", v.id))?;
        let bytes = decode_hex(v.input.as_str().ok_or_else(|| format!("{}: input is not hex", v.id))?)?;
        let got = visit_type(&v.type_name, CheckDecode(with, &bytes)).expect("type found above")?;
        if &got != want {
            return Err(format!("{}: decoded value differs from the vector", v.id));
        }
        out.push(DecodeCase { module, bytes, typed });
    }
    Ok(out)
}

struct CheckDecode<'a>(Crate, &'a [u8]);

impl TypeVisitor for CheckDecode<'_> {
    type Output = Result<Value, String>;
    fn visit<T: WampType>(self) -> Self::Output {
        self.0.decode::<T>(self.1).map(dict_form)
    }
}

/// The schema module a message belongs to, from its vector type name
/// (`Call`, `Event`, ...): `session`, `pubsub` or `rpc`.
fn message_module(type_name: &str) -> &'static str {
    match type_name {
        "Hello" | "Welcome" | "Abort" | "Challenge" | "Authenticate" | "Goodbye" => "session",
        "Publish" | "Published" | "Subscribe" | "Subscribed" | "Unsubscribe" | "Unsubscribed" | "Event" | "EventReceived" => "pubsub",
        _ => "rpc",
    }
}

/// Decodes a message with the crate's own API, [`Serializer::decode`],
/// keeping nothing: one function per format.
fn serializer_decode<const F: u8>(b: &[u8]) {
    let ser = Serializer::ALL[usize::from(F)];
    black_box(&ser.decode(b));
}

/// How a message of `with`'s format is decoded: with [`Serializer::decode`]
/// (what users call) for the recommended crate, which it uses for whatever
/// its own reader leaves; straight into [`Message`] with the crate's
/// `Deserializer` for the others.
fn message_decoder(with: Crate) -> fn(&[u8]) {
    if with != with.format().recommended() {
        return decode_typed::<Message>(with);
    }
    match serializer(with.format()) {
        Serializer::Json => serializer_decode::<0>,
        Serializer::MsgPack => serializer_decode::<1>,
        Serializer::Cbor => serializer_decode::<2>,
    }
}

/// The accepted `message_decode` vectors of `with`'s format, each checked
/// once: the bytes must decode with `with` (see `message_decoder`) into a
/// [`Message`] whose `marshal()` is the expected list. `module` is
/// `session`, `pubsub` or `rpc`.
pub fn message_cases(vectors: &[Vector], with: Crate) -> Result<Vec<DecodeCase>, String> {
    let mut out = Vec::new();
    let recommended = with == with.format().recommended();
    for v in vectors.iter().filter(|v| v.op == "message_decode" && v.format.as_deref() == Some(with.format().name())) {
        let Some(want) = &v.expect else { continue };
        let bytes = decode_hex(v.input.as_str().ok_or_else(|| format!("{}: input is not hex", v.id))?)?;
        let got = if recommended { serializer(with.format()).decode(&bytes).map_err(|e| e.to_string()) } else { with.decode::<Message>(&bytes) };
        if &got.map_err(|e| format!("{}: {e}", v.id))?.marshal() != want {
            return Err(format!("{}: decoded message differs from the vector", v.id));
        }
        out.push(DecodeCase { module: message_module(&v.type_name), bytes, typed: message_decoder(with) });
    }
    Ok(out)
}

/// Decodes bytes with `with` into its own untyped value (`serde_json::Value`,
/// `rmpv::Value` with `rmpv::decode::read_value`, `ciborium::Value`,
/// `cbor4ii::core::Value` with its own `Decode`): the floor for typed
/// decoding.
pub fn untyped_decoder(with: Crate) -> fn(&[u8]) {
    fn json(b: &[u8]) {
        black_box(serde_json::from_slice::<serde_json::Value>(b).ok());
    }
    fn msgpack(mut b: &[u8]) {
        black_box(rmpv::decode::read_value(&mut b).ok());
    }
    fn ciborium(b: &[u8]) {
        black_box(with_scratch(|s| ciborium::de::from_reader_with_buffer::<ciborium::Value, _>(b, s).ok()));
    }
    fn cbor4ii(b: &[u8]) {
        use cbor4ii::core::dec::Decode;
        black_box(cbor4ii::core::Value::decode(&mut cbor4ii::core::utils::SliceReader::new(b)).ok());
    }
    #[cfg(feature = "json-candidates")]
    fn sonic(b: &[u8]) {
        black_box(sonic_rs::from_slice::<sonic_rs::Value>(b).ok());
    }
    #[cfg(feature = "json-candidates")]
    fn simd(b: &[u8]) {
        black_box(simd_json::to_owned_value(&mut b.to_vec()).ok());
    }
    match with {
        Crate::SerdeJson => json,
        Crate::RmpSerde => msgpack,
        Crate::Ciborium => ciborium,
        Crate::Cbor4ii => cbor4ii,
        #[cfg(feature = "json-candidates")]
        Crate::SonicRs => sonic,
        #[cfg(feature = "json-candidates")]
        Crate::SimdJson => simd,
    }
}

/// Walks bytes with `with`'s serde deserializer and keeps nothing
/// (`serde::de::IgnoredAny`): what the format's parser alone costs, a
/// floor that no type decoded through it can beat.
pub fn skip_decoder(with: Crate) -> fn(&[u8]) {
    use serde::de::IgnoredAny;
    fn json(b: &[u8]) {
        black_box(serde_json::from_slice::<IgnoredAny>(b).ok());
    }
    fn msgpack(b: &[u8]) {
        black_box(rmp_serde::from_slice::<IgnoredAny>(b).ok());
    }
    fn ciborium(b: &[u8]) {
        black_box(with_scratch(|s| ciborium::de::from_reader_with_buffer::<IgnoredAny, _>(b, s).ok()));
    }
    fn cbor4ii(b: &[u8]) {
        black_box(cbor4ii::serde::from_slice::<IgnoredAny>(b).ok());
    }
    #[cfg(feature = "json-candidates")]
    fn sonic(b: &[u8]) {
        black_box(sonic_rs::from_slice::<IgnoredAny>(b).ok());
    }
    #[cfg(feature = "json-candidates")]
    fn simd(b: &[u8]) {
        black_box(simd_json::serde::from_slice::<IgnoredAny>(&mut b.to_vec()).ok());
    }
    match with {
        Crate::SerdeJson => json,
        Crate::RmpSerde => msgpack,
        Crate::Ciborium => ciborium,
        Crate::Cbor4ii => cbor4ii,
        #[cfg(feature = "json-candidates")]
        Crate::SonicRs => sonic,
        #[cfg(feature = "json-candidates")]
        Crate::SimdJson => simd,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn into_marshal_gives_what_marshal_gives() {
        let Some(vectors) = super::project_vectors("autobahn-26.10.2.jsonl") else { return };
        let cases = super::value_cases(&vectors).expect("the vectors replay");
        let mut parses = 0;
        for case in cases.iter().filter(|c| c.op == "parse") {
            assert!(super::moving(case).run() == case.run(), "{}: into_marshal and marshal differ", case.type_name);
            parses += 1;
        }
        assert!(parses > 1000, "only {parses} parse cases");
    }
}
