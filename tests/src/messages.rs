//! Checks on WAMP messages shared by the round-trip, property and
//! hostile-input tests: the round trips of one message, and the agreement of
//! decoding bytes straight into a message with decoding a `Value` and then
//! calling `parse`.
//!
//! What cannot agree, by design: a string that starts with NUL cannot travel
//! in WAMP JSON (it stands for bytes there), so JSON is left out for a
//! message that holds one; a list or map that a decoder meets where it does
//! not belong is described without its length (`got list`, where a `Value`
//! says `got list (length 2)`), as for the types; and a map key that is a
//! byte string or an integer past 64 bits (CBOR), inside a value the
//! message ignores, is skipped by the decoder (as by autobahn) but cannot be
//! held by a `Value`; a MessagePack
//! string that is not UTF-8 is handed over as bytes by rmp-serde, which
//! reports its own error when the visitor refuses bytes there (so either
//! path may refuse it first, or accept it as bytes).

use std::fmt::Debug;

use serde::Serialize;
use serde::de::DeserializeOwned;
use wamp_types::*;

use crate::Format;

/// rmp-serde's error for a string that is not UTF-8.
const INVALID_UTF8: &str = "string found to be invalid utf8";

fn invalid_utf8<T>(r: &Result<T, Error>) -> bool {
    r.as_ref().is_err_and(|e| e.to_string().contains(INVALID_UTF8))
}

/// What an integer must be to be held by a `Value`, as its errors say.
const INT_RANGE: &str = "an integer from -9223372036854775808 to 18446744073709551615";

/// Decodes `T` from bytes, with the structured error back from the format's.
pub fn decode<T: DeserializeOwned>(format: Format, bytes: &[u8]) -> Result<T, Error> {
    match format {
        Format::Json => serde_json::from_slice(bytes).map_err(Error::from_serde),
        Format::Msgpack => rmp_serde::from_slice(bytes).map_err(Error::from_serde),
        Format::Cbor => ciborium::from_reader(bytes).map_err(Error::from_serde),
    }
}

/// Calls macro `$then` with every message as `Variant => Struct`.
#[macro_export]
macro_rules! all_messages {
    ($then:ident) => {
        $then!(
            Hello => HelloMessage, Welcome => WelcomeMessage, Abort => AbortMessage,
            Challenge => ChallengeMessage, Authenticate => AuthenticateMessage, Goodbye => GoodbyeMessage,
            Error => ErrorMessage, Publish => PublishMessage, Published => PublishedMessage,
            Subscribe => SubscribeMessage, Subscribed => SubscribedMessage, Unsubscribe => UnsubscribeMessage,
            Unsubscribed => UnsubscribedMessage, Event => EventMessage, EventReceived => EventReceivedMessage,
            Call => CallMessage, Cancel => CancelMessage, Result => ResultMessage,
            Register => RegisterMessage, Registered => RegisteredMessage, Unregister => UnregisterMessage,
            Unregistered => UnregisteredMessage, Invocation => InvocationMessage, Interrupt => InterruptMessage,
            Yield => YieldMessage
        )
    };
}

/// The round trips of one message: `Message::parse(&m.marshal()) == m`;
/// in each format `decode(encode(m)) == m`, where `encode(m)` is, byte for
/// byte, the encoding of `m.marshal()` as a `Value`; and the same through
/// the message's own struct. `Err` says what failed.
pub fn round_trips(m: &Message) -> Result<(), String> {
    let marshalled = m.marshal();
    let again = Message::parse(&marshalled).map_err(|e| format!("parse(marshal(m)) failed: {e}"))?;
    if &again != m {
        return Err(format!("parse(marshal(m)) differs: {}", diff(m, &again)));
    }
    for format in Format::ALL {
        let name = format.name();
        if format == Format::Json && has_nul_string(&marshalled) {
            // In WAMP JSON such a string stands for bytes: it cannot travel.
            continue;
        }
        let bytes = format.encode(m).map_err(|e| format!("{name}: encode(m) failed: {e}"))?;
        let expected = format.encode(&marshalled).map_err(|e| format!("{name}: encode(marshal(m)) failed: {e}"))?;
        if bytes != expected {
            return Err(format!("{name}: encode(m) is not encode(marshal(m)):\n  {}\n  {}", hex(&bytes), hex(&expected)));
        }
        let back: Message = decode(format, &bytes).map_err(|e| format!("{name}: decode(encode(m)) failed: {e}"))?;
        if &back != m {
            return Err(format!("{name}: decode(encode(m)) differs: {}", diff(m, &back)));
        }
    }
    macro_rules! by_variant {
        ($($variant:ident => $ty:ident),*) => {
            match m {
                $(Message::$variant(x) => struct_round_trips::<$ty>(x, $ty::parse, m, &marshalled),)*
            }
        };
    }
    all_messages!(by_variant)
}

/// The same round trips through the message's own struct.
fn struct_round_trips<T>(x: &T, parse: fn(&Value) -> Result<T, Error>, m: &Message, marshalled: &Value) -> Result<(), String>
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let parsed = parse(marshalled).map_err(|e| format!("struct parse(marshal(m)) failed: {e}"))?;
    if &parsed != x {
        return Err(format!("struct parse(marshal(m)) differs: {}", diff(x, &parsed)));
    }
    for format in Format::ALL {
        let name = format.name();
        if format == Format::Json && has_nul_string(marshalled) {
            continue;
        }
        let bytes = format.encode(x).map_err(|e| format!("{name}: struct encode failed: {e}"))?;
        if bytes != format.encode(m).map_err(|e| format!("{name}: {e}"))? {
            return Err(format!("{name}: the struct encodes otherwise than its Message"));
        }
        let back: T = decode(format, &bytes).map_err(|e| format!("{name}: struct decode(encode(x)) failed: {e}"))?;
        if &back != x {
            return Err(format!("{name}: struct decode(encode(x)) differs: {}", diff(x, &back)));
        }
    }
    Ok(())
}

/// Whether a string that starts with NUL is anywhere in `v` (map keys aside).
pub fn has_nul_string(v: &Value) -> bool {
    match v {
        Value::Str(s) => s.starts_with('\0'),
        Value::List(l) => l.iter().any(has_nul_string),
        Value::Map(m) => m.values().any(has_nul_string),
        _ => false,
    }
}

/// Where two values' `Debug` forms part.
pub fn diff<T: Debug>(a: &T, b: &T) -> String {
    let (a, b): (Vec<char>, Vec<char>) = (format!("{a:?}").chars().collect(), format!("{b:?}").chars().collect());
    let at = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let cut = |s: &[char]| s[at.saturating_sub(60).min(s.len())..(at + 60).min(s.len())].iter().collect::<String>();
    format!("`...{}...` became `...{}...`", cut(&a), cut(&b))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What decoding a `Value`, then `parse`, gave: the message, or the error
/// of `parse` (`Ok`) or of decoding the `Value` (`Err`).
type Got<T> = Result<T, Result<String, String>>;

/// Decoding `bytes` straight into `Message` against decoding a `Value` and
/// then `Message::parse`, and the same for the struct of the message
/// `struct_name` names (autobahn's class name, `Call`), if given; and the
/// kept path against the full decode ([`kept_agrees`](crate::kept::kept_agrees)).
/// `Err` describes a disagreement.
pub fn direct_agrees_with_value_path(format: Format, bytes: &[u8], struct_name: Option<&str>) -> Result<(), String> {
    crate::kept::kept_agrees(format, bytes).map_err(|e| format!("kept path: {e}"))?;
    let value: Result<Value, Error> = decode(format, bytes);
    let direct: Result<Message, Error> = decode(format, bytes);
    let via_value: Got<Message> = match &value {
        Ok(value) => Message::parse(value).map_err(|e| Ok(e.to_string())),
        Err(e) => Err(Err(e.to_string())),
    };
    compare("Message", direct, via_value)?;
    let Some(name) = struct_name else { return Ok(()) };
    macro_rules! by_name {
        ($($variant:ident => $ty:ident),*) => {
            match name {
                $(stringify!($variant) => {
                    let direct: Result<$ty, Error> = decode(format, bytes);
                    let via_value: Got<$ty> = match &value {
                        Ok(value) => $ty::parse(value).map_err(|e| Ok(e.to_string())),
                        Err(e) => Err(Err(e.to_string())),
                    };
                    compare(stringify!($ty), direct, via_value)
                })*
                other => Err(format!("unknown message type {other}")),
            }
        };
    }
    all_messages!(by_name)
}

/// An error text with the description of what came reduced where decoding
/// through serde knows less than `parse` does: a list or map met while
/// streaming (or read from a `&Value` as a serde `Deserializer`) is described
/// without its length (as for the types, see `error_messages.rs`).
pub fn canonical(text: &str) -> String {
    let Some((head, got)) = text.rsplit_once(", got ") else { return text.to_owned() };
    let got = match got {
        g if g.starts_with("list (length ") => "list",
        g if g.starts_with("map (length ") => "map",
        g => g,
    };
    format!("{head}, got {got}")
}

fn compare<T: PartialEq + Debug>(what: &str, direct: Result<T, Error>, via_value: Got<T>) -> Result<(), String> {
    match (direct, via_value) {
        (Ok(a), Ok(b)) if a == b => Ok(()),
        (Ok(a), Ok(b)) => Err(format!("{what}: direct {a:?}, via Value {b:?}")),
        (Err(a), Err(Ok(b))) if canonical(&a.to_string()) == canonical(&b) => Ok(()),
        // A MessagePack string that is not UTF-8: rmp-serde hands it over as
        // bytes, and refuses it itself when the visitor refuses bytes there,
        // so where it is refused depends on the path.
        (a, Err(Ok(b) | Err(b))) if invalid_utf8(&a) || b.contains(INVALID_UTF8) => Ok(()),
        (Err(a), Err(Ok(b))) => Err(format!("{what}: direct error `{a}`, via Value `{b}`")),
        // Bytes that no `Value` holds: both refuse.
        (Err(_), Err(Err(_))) => Ok(()),
        (Ok(a), Err(Ok(b))) => Err(format!("{what}: direct accepts {a:?}, via Value refuses: {b}")),
        // What a `Value` cannot hold, inside a value the message ignores: a
        // key that is a byte string, an integer past 64 bits (CBOR); autobahn
        // and the direct decode skip it.
        (Ok(_), Err(Err(b))) if b.contains("expected string keys, got key bytes") || b.contains(&format!("expected {INT_RANGE}")) => Ok(()),
        (Ok(a), Err(Err(b))) => Err(format!("{what}: direct accepts {a:?}, the Value decode refuses: {b}")),
        (Err(a), Ok(_)) => Err(format!("{what}: direct refuses `{a}`, via Value accepts")),
    }
}
