//! The kept path ([`Serializer::decode_kept`]) against the full decode
//! ([`Serializer::decode`]), and a router's forward (CALL to INVOCATION,
//! PUBLISH to EVENT) on both paths, with its check.
//!
//! The two decodes must accept and refuse the same bytes with the same
//! error, and a kept message, its arguments decoded, must be the message
//! the full decode gives. One difference is by design: arguments that
//! autobahn-python's decoder reads and a `Value` cannot hold (CBOR map keys
//! that are integers or null, MessagePack and CBOR keys that are byte
//! strings) are kept, and refused only when decoded to values, with the
//! error the full decode gives.

use wamp_types::{Error, EventMessage, EventMessageDetails, InvocationMessage, InvocationMessageDetails, Message, Payload, Serializer};

use crate::Format;

/// The serializer of a test format.
pub fn serializer(format: Format) -> Serializer {
    match format {
        Format::Json => Serializer::Json,
        Format::Msgpack => Serializer::MsgPack,
        Format::Cbor => Serializer::Cbor,
    }
}

/// The payload of a message that carries one.
pub fn payload_mut(m: &mut Message) -> Option<&mut Payload> {
    Some(match m {
        Message::Publish(x) => &mut x.payload,
        Message::Event(x) => &mut x.payload,
        Message::Call(x) => &mut x.payload,
        Message::Invocation(x) => &mut x.payload,
        Message::Yield(x) => &mut x.payload,
        Message::Result(x) => &mut x.payload,
        Message::Error(x) => &mut x.payload,
        _ => return None,
    })
}

/// The message with its kept arguments decoded.
pub fn decoded(mut m: Message) -> Result<Message, Error> {
    if let Some(p) = payload_mut(&mut m) {
        *p = std::mem::take(p).decoded()?;
    }
    Ok(m)
}

/// Whether the message's payload is kept.
pub fn is_kept(m: &Message) -> bool {
    matches!(
        m,
        Message::Publish(wamp_types::PublishMessage { payload: Payload::Kept(_), .. })
            | Message::Event(EventMessage { payload: Payload::Kept(_), .. })
            | Message::Call(wamp_types::CallMessage { payload: Payload::Kept(_), .. })
            | Message::Invocation(InvocationMessage { payload: Payload::Kept(_), .. })
            | Message::Yield(wamp_types::YieldMessage { payload: Payload::Kept(_), .. })
            | Message::Result(wamp_types::ResultMessage { payload: Payload::Kept(_), .. })
            | Message::Error(wamp_types::ErrorMessage { payload: Payload::Kept(_), .. })
    )
}

/// The kept path against the full decode on `bytes`; `Err` describes a
/// disagreement. A kept message is also written back in its format (its
/// arguments copied), and that must decode to the same message.
pub fn kept_agrees(format: Format, bytes: &[u8]) -> Result<(), String> {
    let ser = serializer(format);
    let full = ser.decode(bytes);
    let kept = ser.decode_kept(bytes);
    match (full, kept) {
        (Err(a), Err(b)) if a == b => Ok(()),
        (Err(a), Err(b)) => Err(format!("full decode refuses `{a}`, kept `{b}`")),
        (Ok(a), Err(b)) => Err(format!("full decode accepts {a:?}, kept refuses `{b}`")),
        (Err(a), Ok(k)) => match decoded(k) {
            // Arguments a `Value` cannot hold: kept, and refused as values with the same error.
            Err(b) if a == b && format != Format::Json => Ok(()),
            Err(b) => Err(format!("full decode refuses `{a}`, kept accepts and refuses its arguments with `{b}`")),
            Ok(k) => Err(format!("full decode refuses `{a}`, kept accepts {k:?}")),
        },
        (Ok(a), Ok(k)) => {
            let again = ser.encode(&k).map_err(|e| format!("writing the kept message: {e}"))?;
            let k = decoded(k).map_err(|e| format!("full decode accepts, the kept arguments do not decode: {e}"))?;
            if k != a {
                return Err(format!("kept differs: {}", crate::messages::diff(&a, &k)));
            }
            let back = ser.decode(&again).map_err(|e| format!("the kept message written back does not decode: {e}"))?;
            if back != a {
                return Err(format!("the kept message written back differs: {}", crate::messages::diff(&a, &back)));
            }
            Ok(())
        }
    }
}

/// [`Serializer::decode`] against the format crate alone
/// ([`Format::decode`](crate::Format::decode), straight into [`Message`]) on
/// `bytes`: both accept, with the same message, or both refuse. `decode`
/// reads the everyday MessagePack and CBOR forms with its own reader and
/// leaves the rest, and every refusal, to the crate.
pub fn decode_agrees(format: Format, bytes: &[u8]) -> Result<(), String> {
    match (serializer(format).decode(bytes), format.decode::<Message>(bytes)) {
        (Ok(a), Ok(b)) if a == b => Ok(()),
        (Ok(a), Ok(b)) => Err(format!("decode differs from the format crate: {}", crate::messages::diff(&b, &a))),
        (Err(_), Err(_)) => Ok(()),
        (Ok(a), Err(b)) => Err(format!("decode accepts {a:?}, the format crate refuses `{b}`")),
        (Err(a), Ok(b)) => Err(format!("decode refuses `{a}`, the format crate accepts {b:?}")),
    }
}

/// The session, registration, subscription and request IDs a forward writes.
pub const ROUTER_IDS: (u32, u32, u32, u32) = (7_000_001, 42, 43, 9_000);

/// A router's forward, as a router author writes it: the CALL (or
/// PUBLISH) read from `bytes` with its arguments kept, and the INVOCATION
/// (or EVENT) that carries them written in the same format into `out`.
#[inline]
pub fn forward(ser: Serializer, bytes: &[u8], out: &mut Vec<u8>) -> Result<(), Error> {
    route(ser, ser.decode_kept(bytes)?, out)
}

/// [`forward`] with the arguments decoded into values and written anew.
#[inline]
pub fn forward_decoded(ser: Serializer, bytes: &[u8], out: &mut Vec<u8>) -> Result<(), Error> {
    route(ser, ser.decode(bytes)?, out)
}

#[inline]
fn route(ser: Serializer, m: Message, out: &mut Vec<u8>) -> Result<(), Error> {
    let (session, registration, subscription, request) = ROUTER_IDS;
    let next = match m {
        Message::Call(call) => Message::Invocation(InvocationMessage {
            request: request.into(),
            registration: registration.into(),
            details: InvocationMessageDetails {
                caller: Some(session.into()),
                timeout: call.options.timeout,
                receive_progress: call.options.receive_progress,
                ..Default::default()
            },
            payload: call.payload,
        }),
        Message::Publish(publish) => Message::Event(EventMessage {
            subscription: subscription.into(),
            publication: publish.request,
            details: EventMessageDetails { publisher: Some(session.into()), ..Default::default() },
            payload: publish.payload,
        }),
        other => return Err(other_message(&other)),
    };
    out.clear();
    ser.encode_into(&next, out)
}

#[cold]
fn other_message(m: &Message) -> Error {
    <Error as serde::de::Error>::custom(format!("a CALL or a PUBLISH to forward, got {}", m.name()))
}

/// Checks what a forward wrote for the input `bytes`: an INVOCATION (or
/// EVENT) in the same format whose arguments equal the input's, with the
/// call's `timeout` and `receive_progress` and the `caller` (or the
/// `publisher`) in its details, and nothing else there.
pub fn check_forward(ser: Serializer, bytes: &[u8], out: &[u8]) -> Result<(), String> {
    let (session, registration, subscription, request) = ROUTER_IDS;
    let input = ser.decode(bytes).map_err(|e| format!("the input does not decode: {e}"))?;
    let output = ser.decode(out).map_err(|e| format!("the output does not decode: {e}"))?;
    match (input, output) {
        (Message::Call(c), Message::Invocation(i)) => {
            let want = InvocationMessageDetails {
                caller: Some(session.into()),
                timeout: c.options.timeout,
                receive_progress: c.options.receive_progress,
                ..Default::default()
            };
            if (i.request, i.registration) != (request.into(), registration.into()) || i.details != want {
                return Err(format!("INVOCATION positions or details: {i:?}"));
            }
            if i.payload != c.payload {
                return Err(format!("INVOCATION arguments differ: {}", crate::messages::diff(&c.payload, &i.payload)));
            }
            Ok(())
        }
        (Message::Publish(p), Message::Event(e)) => {
            let want = EventMessageDetails { publisher: Some(session.into()), ..Default::default() };
            if (e.subscription, e.publication) != (subscription.into(), p.request) || e.details != want {
                return Err(format!("EVENT positions or details: {e:?}"));
            }
            if e.payload != p.payload {
                return Err(format!("EVENT arguments differ: {}", crate::messages::diff(&p.payload, &e.payload)));
            }
            Ok(())
        }
        (i, o) => Err(format!("{} forwarded as {}", i.name(), o.name())),
    }
}

/// A `forward` line: both forwards run and their output is checked.
pub fn forward_line(format: Format, bytes: &[u8]) -> Result<(), String> {
    let ser = serializer(format);
    let mut out = Vec::new();
    forward(ser, bytes, &mut out).map_err(|e| format!("forward: {e}"))?;
    check_forward(ser, bytes, &out).map_err(|e| format!("forward: {e}"))?;
    forward_decoded(ser, bytes, &mut out).map_err(|e| format!("forward-decoded: {e}"))?;
    check_forward(ser, bytes, &out).map_err(|e| format!("forward-decoded: {e}"))
}
