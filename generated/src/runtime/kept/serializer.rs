//! The WAMP serializers: each format's name, WebSocket subprotocol and
//! frame type, and its decoding and encoding of a [`Message`](crate::Message) with the
//! format crate the project recommends, each behind a cargo feature of
//! its own (`json`: serde_json, `msgpack`: rmp-serde, `cbor`: cbor4ii).

use std::fmt;

use serde::Serialize;
use serde::de::{DeserializeOwned, DeserializeSeed};

use super::check::Keys;
use super::direct::Stop;
use super::frame::{self, Kind};
use super::scan::Sure;
use crate::runtime::error::Error;
use crate::runtime::message::DecodeSeq;
#[cfg(feature = "json")]
use crate::runtime::message::MessageInto;

/// A WAMP serializer: JSON, MessagePack or CBOR.
///
/// It names the format as WAMP does (the WebSocket subprotocol
/// `wamp.2.json`, `wamp.2.msgpack`, `wamp.2.cbor`; text or binary frames)
/// and decodes and encodes [`Message`](crate::Message)s with the format crate the project
/// recommends, which the crate's cargo features bring in: `json`
/// (serde_json), `msgpack` (rmp-serde), `cbor` (cbor4ii). Without its
/// feature a format is still named, and its `decode` and `encode` fail.
///
/// [`decode`](Self::decode) reads a message whole; [`decode_kept`](Self::decode_kept)
/// reads everything but the arguments, which it keeps as their bytes
/// ([`Payload::Kept`](crate::Payload::Kept)) once checked, so that a router
/// forwards them without decoding them: [`encode`](Self::encode) copies them
/// into a message of the same format. Errors are the crate's own [`Error`],
/// with the message, the path, what was expected and what came.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Serializer {
    /// JSON (`wamp.2.json`, text frames), bytes as a string that starts with NUL then base64.
    Json,
    /// MessagePack (`wamp.2.msgpack`, binary frames).
    MsgPack,
    /// CBOR (`wamp.2.cbor`, binary frames).
    Cbor,
}

impl Serializer {
    /// The three serializers.
    pub const ALL: [Serializer; 3] = [Serializer::Json, Serializer::MsgPack, Serializer::Cbor];

    /// The serializer's name as autobahn-python and `enc_serializer` spell it: `json`, `msgpack`, `cbor`.
    pub fn name(self) -> &'static str {
        match self {
            Serializer::Json => "json",
            Serializer::MsgPack => "msgpack",
            Serializer::Cbor => "cbor",
        }
    }

    /// Its WebSocket subprotocol: `wamp.2.json`, `wamp.2.msgpack`, `wamp.2.cbor`.
    pub fn subprotocol(self) -> &'static str {
        match self {
            Serializer::Json => "wamp.2.json",
            Serializer::MsgPack => "wamp.2.msgpack",
            Serializer::Cbor => "wamp.2.cbor",
        }
    }

    /// The serializer of a WebSocket subprotocol.
    pub fn from_subprotocol(s: &str) -> Option<Serializer> {
        Serializer::ALL.into_iter().find(|x| x.subprotocol() == s)
    }

    /// Whether its messages go in binary WebSocket frames (MessagePack,
    /// CBOR) rather than text frames (JSON).
    pub fn is_binary(self) -> bool {
        self != Serializer::Json
    }

    /// Whether this build decodes and encodes the format (its cargo feature is on).
    pub fn is_enabled(self) -> bool {
        match self {
            Serializer::Json => cfg!(feature = "json"),
            Serializer::MsgPack => cfg!(feature = "msgpack"),
            Serializer::Cbor => cfg!(feature = "cbor"),
        }
    }
}

impl fmt::Display for Serializer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A format as the kept path and the serializers use it.
pub(crate) trait Wire {
    /// Which one it is.
    const SERIALIZER: Serializer;
    /// Whether it is human-readable (JSON).
    const HR: bool;
    /// The map keys its arguments may hold.
    const KEYS: Keys;
    /// Its quick pass over kept arguments.
    const SCAN: super::scan::Format;
    /// `null`.
    const NULL: &'static [u8];
    /// Reads `seed` from exactly `b`.
    fn de<'de, S: DeserializeSeed<'de>>(b: &'de [u8], seed: S) -> Result<S::Value, Error>;
    /// Appends `x` to `out`.
    fn ser<T: Serialize + ?Sized>(out: &mut Vec<u8>, x: &T) -> Result<(), Error>;
    /// The direct reader and writer of the message head (see
    /// [`direct`](super::direct)) that serve this format: `Some(false)` for
    /// MessagePack, `Some(true)` for CBOR, `None` where there is none.
    const DIRECT: Option<bool> = None;
    /// Reads `seed` from exactly `b` for the head of a message: with the
    /// direct reader, which says "not sure" where it leaves a form to the
    /// format crate, or as [`Wire::de`] does where there is none.
    #[inline]
    fn de_head<'de, S: DeserializeSeed<'de>>(b: &'de [u8], seed: S) -> Result<S::Value, Stop> {
        match Self::DIRECT {
            Some(false) => super::direct::read::<false, S>(b, seed),
            Some(true) => super::direct::read::<true, S>(b, seed),
            None => Self::de(b, seed).map_err(Stop::Real),
        }
    }
    /// The record (a message's options or details dict) that `b` holds
    /// exactly, read by the direct reader where its keys are all the
    /// record's (see [`direct::read_record`](super::direct::read_record));
    /// `Unsure` otherwise, and where there is no direct reader.
    #[inline]
    fn record_head<T: crate::runtime::record::Record>(b: &[u8], at: &crate::runtime::error::Path<'_>) -> Result<T, Stop> {
        match Self::DIRECT {
            Some(false) => super::direct::read_record::<false, T>(b, at),
            Some(true) => super::direct::read_record::<true, T>(b, at),
            None => Err(Stop::Unsure),
        }
    }
    /// The bytes of the string that `b` holds exactly, where the direct
    /// reader reads it in place (see [`Wire::de_head`]), their UTF-8 not
    /// checked yet; `None` otherwise.
    #[inline]
    fn text_head(b: &[u8]) -> Option<&[u8]> {
        match Self::DIRECT {
            Some(false) => super::direct::text_exact::<false>(b),
            Some(true) => super::direct::text_exact::<true>(b),
            None => None,
        }
    }
    /// Appends `x` to `out` for the head of a message: with the direct
    /// writer where it can, else as [`Wire::ser`] does.
    #[inline]
    fn ser_head<T: Serialize + ?Sized>(out: &mut Vec<u8>, x: &T) -> Result<(), Error> {
        let direct = match Self::DIRECT {
            Some(false) => super::direct::write::<false, T>(out, x),
            Some(true) => super::direct::write::<true, T>(out, x),
            None => Err(Stop::Unsure),
        };
        match direct {
            Ok(()) => Ok(()),
            Err(Stop::Real(e)) => Err(Stop::real(e)),
            Err(Stop::Unsure) => Self::ser(out, x),
        }
    }
    /// Decodes a whole message, with the rule for what may follow it: with
    /// the direct reader where the format has one (see [`direct`](super::direct)),
    /// else, and for anything it leaves or refuses, with the format crate
    /// ([`Wire::full_crate`]), whose answer is the one given.
    #[inline]
    fn full<T: DecodeSeq + DeserializeOwned>(b: &[u8]) -> Result<T, Error> {
        // The direct reader builds the message where it is returned (a
        // message is large). Without one, the format crate puts it in a
        // slot, whence it is moved once (see [`Wire::full_into`]).
        match Self::DIRECT {
            Some(false) => super::direct::whole::<T, false>(b, None, Self::full_crate),
            Some(true) => super::direct::whole::<T, true>(b, None, Self::full_crate),
            None => {
                Error::clear_handed();
                let mut slot = None;
                Self::full_into(b, &mut slot)?;
                match slot {
                    Some(x) => Ok(x),
                    // A read that succeeds fills the slot; should one not,
                    // the format crate reads the message as before.
                    None => Self::full_crate(b),
                }
            }
        }
    }
    /// [`Wire::full_crate`] into `slot`; a format crate that takes a seed
    /// reads the message straight into it (see [`MessageInto`]).
    #[inline]
    fn full_into<T: DecodeSeq + DeserializeOwned>(b: &[u8], slot: &mut Option<T>) -> Result<(), Error> {
        *slot = Some(Self::full_crate(b)?);
        Ok(())
    }
    /// Decodes a whole message with its arguments kept
    /// ([`Serializer::decode_kept`]): with the direct reader where the
    /// format has one, the arguments found and checked after the positions
    /// ([`kept_tail`](super::kept_tail)); else, and for anything the reader
    /// leaves or refuses, with `split` (the message split into its
    /// elements first, each read from its own bytes), which decides.
    #[inline]
    fn whole_kept<T: DecodeSeq>(b: &[u8], split: fn(&[u8]) -> Result<T, Error>) -> Result<T, Error>
    where
        Self: Sized,
    {
        match Self::DIRECT {
            Some(false) => super::direct::whole::<T, false>(b, Some(super::kept_tail::<Self>), split),
            Some(true) => super::direct::whole::<T, true>(b, Some(super::kept_tail::<Self>), split),
            None => split(b),
        }
    }
    /// The end of an element of a message's list after its fixed
    /// positions, and what the quick pass found of it (see
    /// [`frame::msgpack_element`]); `None` where the format has no direct
    /// reader, which alone asks.
    fn element(_b: &[u8], _at: usize, _seen: &mut super::scan::Seen) -> Option<(usize, Sure)> {
        None
    }
    /// Decodes a whole message with the format crate, with the rule for what may follow it.
    fn full_crate<T: DeserializeOwned>(b: &[u8]) -> Result<T, Error>;
    /// Hands the elements of the list `b` to `each` (see [`frame`]).
    fn list(b: &[u8], each: impl FnMut(usize, usize) -> bool) -> Option<()>;
    /// [`Wire::list`], also saying of each element what the quick pass
    /// over it found (see [`scan`](super::scan)).
    fn list_checked(b: &[u8], each: impl FnMut(usize, usize, Sure) -> bool) -> Option<()>;
    /// What an element is.
    fn kind(e: &[u8]) -> Kind;
    /// The head of a list of `n` elements.
    fn list_head(out: &mut Vec<u8>, n: usize);
    /// What goes before element `i` (from 0).
    fn sep(_out: &mut Vec<u8>, _i: usize) {}
    /// The end of a list.
    fn list_end(_out: &mut Vec<u8>) {}
}

/// Something to do with a format, picked at run time.
pub(crate) trait WireFn {
    type Out;
    fn call<W: Wire>(self) -> Self::Out;
}

/// Runs `f` with the format `s` names, or fails if this build lacks it.
#[allow(unreachable_patterns)]
pub(crate) fn with_wire<F: WireFn>(s: Serializer, f: F) -> Result<F::Out, Error> {
    let _ = &f;
    match s {
        #[cfg(feature = "json")]
        Serializer::Json => Ok(f.call::<Json>()),
        #[cfg(feature = "msgpack")]
        Serializer::MsgPack => Ok(f.call::<MsgPack>()),
        #[cfg(feature = "cbor")]
        Serializer::Cbor => Ok(f.call::<Cbor>()),
        _ => Err(missing(s)),
    }
}

/// [`with_wire`] for an `f` that fails with our error: one `Result`, so
/// that what `f` gives (a message, which is large) is not moved into
/// another.
#[allow(unreachable_patterns)]
#[inline]
pub(crate) fn try_with_wire<T, F: WireFn<Out = Result<T, Error>>>(s: Serializer, f: F) -> Result<T, Error> {
    let _ = &f;
    match s {
        #[cfg(feature = "json")]
        Serializer::Json => f.call::<Json>(),
        #[cfg(feature = "msgpack")]
        Serializer::MsgPack => f.call::<MsgPack>(),
        #[cfg(feature = "cbor")]
        Serializer::Cbor => f.call::<Cbor>(),
        _ => Err(missing(s)),
    }
}

/// The error for a format this build lacks.
#[cold]
fn missing(s: Serializer) -> Error {
    Error::message("Serializer", format!("a build of wamp-types with its feature `{}`", s.name()), "a build without it")
}

/// The error of a format crate: ours when we handed it one, else its text.
#[cfg_attr(not(any(feature = "json", feature = "msgpack", feature = "cbor")), allow(dead_code))]
#[cold]
#[inline(never)]
pub(crate) fn from_format(e: impl fmt::Display) -> Error {
    Error::take_handed().unwrap_or_else(|| Error::message("value", "well-formed input", e.to_string()))
}

/// The error of a format crate's encoder.
#[cfg_attr(not(any(feature = "json", feature = "msgpack", feature = "cbor")), allow(dead_code))]
#[cold]
#[inline(never)]
pub(crate) fn from_format_ser(e: impl fmt::Display) -> Error {
    Error::take_handed().unwrap_or_else(|| Error::message("value", "a value that can be written", e.to_string()))
}

/// JSON with serde_json.
#[cfg(feature = "json")]
pub(crate) struct Json;

#[cfg(feature = "json")]
impl Wire for Json {
    const SERIALIZER: Serializer = Serializer::Json;
    const SCAN: super::scan::Format = super::scan::Format::Json;
    const HR: bool = true;
    const KEYS: Keys = Keys::Str;
    const NULL: &'static [u8] = b"null";
    #[inline]
    fn de<'de, S: DeserializeSeed<'de>>(b: &'de [u8], seed: S) -> Result<S::Value, Error> {
        let mut de = serde_json::Deserializer::from_slice(b);
        let x = seed.deserialize(&mut de).map_err(from_format)?;
        de.end().map_err(from_format)?;
        Ok(x)
    }
    fn ser<T: Serialize + ?Sized>(out: &mut Vec<u8>, x: &T) -> Result<(), Error> {
        serde_json::to_writer(out, x).map_err(from_format_ser)
    }
    fn full_crate<T: DeserializeOwned>(b: &[u8]) -> Result<T, Error> {
        serde_json::from_slice(b).map_err(from_format)
    }
    #[inline]
    fn full_into<T: DecodeSeq + DeserializeOwned>(b: &[u8], slot: &mut Option<T>) -> Result<(), Error> {
        Self::de(b, MessageInto(slot))
    }
    #[inline]
    fn list(b: &[u8], each: impl FnMut(usize, usize) -> bool) -> Option<()> {
        frame::json_list(b, each)
    }
    #[inline]
    fn list_checked(b: &[u8], each: impl FnMut(usize, usize, Sure) -> bool) -> Option<()> {
        frame::json_list_checked(b, each)
    }
    fn kind(e: &[u8]) -> Kind {
        frame::json_kind(e)
    }
    fn list_head(out: &mut Vec<u8>, _: usize) {
        out.push(b'[');
    }
    fn sep(out: &mut Vec<u8>, i: usize) {
        if i > 0 {
            out.push(b',');
        }
    }
    fn list_end(out: &mut Vec<u8>) {
        out.push(b']');
    }
}

/// MessagePack with rmp-serde.
#[cfg(feature = "msgpack")]
pub(crate) struct MsgPack;

#[cfg(feature = "msgpack")]
impl Wire for MsgPack {
    const DIRECT: Option<bool> = Some(false);
    const SERIALIZER: Serializer = Serializer::MsgPack;
    const SCAN: super::scan::Format = super::scan::Format::MsgPack;
    const HR: bool = false;
    const KEYS: Keys = Keys::StrOrBytes;
    const NULL: &'static [u8] = &[0xc0];
    #[inline]
    fn de<'de, S: DeserializeSeed<'de>>(b: &'de [u8], seed: S) -> Result<S::Value, Error> {
        let mut de = rmp_serde::Deserializer::from_read_ref(b);
        let x = seed.deserialize(&mut de).map_err(from_format)?;
        match frame::msgpack_not_utf8(b) {
            None => Ok(x),
            Some(at) => Err(frame::not_utf8(at)),
        }
    }
    fn ser<T: Serialize + ?Sized>(out: &mut Vec<u8>, x: &T) -> Result<(), Error> {
        rmp_serde::encode::write_named(out, x).map_err(from_format_ser)
    }
    fn full_crate<T: DeserializeOwned>(b: &[u8]) -> Result<T, Error> {
        let x = rmp_serde::from_slice(b).map_err(from_format)?;
        // `msgpack.unpackb` refuses what follows the message, and strings
        // that are not UTF-8; rmp-serde does not look.
        match frame::msgpack_value_end(b, 0) {
            Some(n) if n == b.len() => {}
            n => return Err(Error::message("value", "one MessagePack value", format!("{} bytes after it", b.len() - n.unwrap_or(0)))),
        }
        match frame::msgpack_not_utf8(b) {
            None => Ok(x),
            Some(at) => Err(frame::not_utf8(at)),
        }
    }
    #[inline]
    fn list(b: &[u8], each: impl FnMut(usize, usize) -> bool) -> Option<()> {
        frame::msgpack_list(b, each)
    }
    #[inline]
    fn list_checked(b: &[u8], each: impl FnMut(usize, usize, Sure) -> bool) -> Option<()> {
        frame::msgpack_list_checked(b, Self::KEYS, each)
    }
    #[inline(always)]
    fn element(b: &[u8], at: usize, seen: &mut super::scan::Seen) -> Option<(usize, Sure)> {
        frame::msgpack_element(b, at, true, Self::KEYS, seen)
    }
    fn kind(e: &[u8]) -> Kind {
        frame::msgpack_kind(e)
    }
    fn list_head(out: &mut Vec<u8>, n: usize) {
        match u16::try_from(n) {
            Ok(n) if n < 16 => out.push(0x90 | n as u8),
            Ok(n) => {
                out.push(0xdc);
                out.extend_from_slice(&n.to_be_bytes());
            }
            Err(_) => {
                out.push(0xdd);
                out.extend_from_slice(&(n as u32).to_be_bytes());
            }
        }
    }
}

/// CBOR with cbor4ii.
#[cfg(feature = "cbor")]
pub(crate) struct Cbor;

#[cfg(feature = "cbor")]
impl Wire for Cbor {
    const DIRECT: Option<bool> = Some(true);
    const SERIALIZER: Serializer = Serializer::Cbor;
    const SCAN: super::scan::Format = super::scan::Format::Cbor;
    const HR: bool = false;
    const KEYS: Keys = Keys::Cbor;
    const NULL: &'static [u8] = &[0xf6];
    #[inline]
    fn de<'de, S: DeserializeSeed<'de>>(b: &'de [u8], seed: S) -> Result<S::Value, Error> {
        let mut de = cbor4ii::serde::Deserializer::new(cbor4ii::core::utils::SliceReader::new(b));
        seed.deserialize(&mut de).map_err(from_format)
    }
    fn ser<T: Serialize + ?Sized>(out: &mut Vec<u8>, x: &T) -> Result<(), Error> {
        let buf = std::mem::take(out);
        *out = cbor4ii::serde::to_vec(buf, &x).map_err(from_format_ser)?;
        Ok(())
    }
    fn full_crate<T: DeserializeOwned>(b: &[u8]) -> Result<T, Error> {
        cbor4ii::serde::from_slice(b).map_err(from_format)
    }
    #[inline]
    fn list(b: &[u8], each: impl FnMut(usize, usize) -> bool) -> Option<()> {
        frame::cbor_list(b, each)
    }
    #[inline]
    fn list_checked(b: &[u8], each: impl FnMut(usize, usize, Sure) -> bool) -> Option<()> {
        frame::cbor_list_checked(b, Self::KEYS, each)
    }
    #[inline(always)]
    fn element(b: &[u8], at: usize, seen: &mut super::scan::Seen) -> Option<(usize, Sure)> {
        frame::cbor_element(b, at, true, Self::KEYS, seen)
    }
    fn kind(e: &[u8]) -> Kind {
        frame::cbor_kind(e)
    }
    fn list_head(out: &mut Vec<u8>, n: usize) {
        match n {
            0..24 => out.push(0x80 | n as u8),
            24..256 => out.extend_from_slice(&[0x98, n as u8]),
            256..65536 => {
                out.push(0x99);
                out.extend_from_slice(&(n as u16).to_be_bytes());
            }
            _ => {
                out.push(0x9a);
                out.extend_from_slice(&(n as u32).to_be_bytes());
            }
        }
    }
}
