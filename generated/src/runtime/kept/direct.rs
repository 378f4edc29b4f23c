//! The head of a message (its code, positions and options or details
//! dict) read and written in MessagePack and CBOR without the format
//! crate, for the kept path: the everyday forms of each format only.
//!
//! [`Reader`] is a serde deserializer that hands each value to the same
//! visitors (the codecs' seeds, the record's dict reader) with the same
//! calls as rmp-serde and cbor4ii make (integers and floats through the
//! widest `visit_*`, see [`Head`]), so that every check of the full
//! decode runs as it runs there; anything else (MessagePack extensions,
//! CBOR tags, indefinite lengths, half floats, `undefined`, strings that
//! are not UTF-8, integers below -2^63) is [`Stop::Unsure`], and the
//! format crate reads the message. [`Writer`] is a serde serializer that
//! writes integers, strings, byte strings, booleans, `null`, lists and maps
//! of known length as the format crates write them; anything else is
//! [`Stop::Unsure`], and the format crate writes that value.

// A build with some of the formats uses part of this.
#![cfg_attr(not(all(feature = "msgpack", feature = "cbor")), allow(dead_code))]

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser::{self, Serialize};

use crate::runtime::codec::{Codec, KeySeed, MAX_DEPTH, MapKey, Seed, Str};
use crate::runtime::error::{Error, Path};
use crate::runtime::message::{self as msg, ByCode, DecodeSeq, DictSeed, Variant, null_at};
use crate::runtime::payload::{EncKeys, Payload};
use crate::runtime::record::{self, Record};
use crate::runtime::table::{self, Read};
use crate::runtime::uri::{UriRule, ascii_uri, check_uri};
use crate::runtime::value::{Key, Map, Value};

/// Why [`Reader`] or [`Writer`] stopped.
#[derive(Debug)]
pub(crate) enum Stop {
    /// Not one of the forms it reads or writes: the format crate decides.
    Unsure,
    /// A check of a visitor failed, or a value refused to be written.
    Real(Error),
}

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stop::Unsure => f.write_str("a form the direct reader or writer leaves to the format crate"),
            Stop::Real(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Stop {}

impl de::Error for Stop {
    /// The text only: an error this crate handed over is still in its slot
    /// (see [`Error::into_de`]), whose borrow lasts while this runs.
    #[cold]
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Stop::Real(Error::message("value", "well-formed input", msg.to_string()))
    }
}

impl Stop {
    /// The error the visitor handed over, if any, else this one.
    #[cold]
    pub(crate) fn real(e: Error) -> Error {
        Error::take_handed().unwrap_or(e)
    }
}

/// A deserializer over one MessagePack (`CBOR` false) or CBOR value.
pub(crate) struct Reader<'de, const CBOR: bool> {
    b: &'de [u8],
    at: usize,
    /// How deep the format crate would count the next value: cbor4ii
    /// counts a step for every value and one more for a list or map, and
    /// refuses past [`CBOR_STEPS`]; rmp-serde counts lists and maps, and
    /// refuses past [`MSGPACK_DEPTH`]. Where the crate would refuse, this
    /// reader is not sure, so that the crate's refusal is the one reported.
    steps: u32,
    /// A visitor left elements of a list or map unread (rmp-serde refuses
    /// that; cbor4ii reads on from there): what was read is not used.
    unsure: bool,
}

/// cbor4ii's recursion limit (its `SliceReader`).
const CBOR_STEPS: u32 = 256;

/// rmp-serde's depth limit (it refuses the 1,024th nested list or map).
const MSGPACK_DEPTH: u32 = 1023;

/// Reads `seed` from exactly `b`, a position of a message (inside its list).
pub(crate) fn read<'de, const CBOR: bool, S: DeserializeSeed<'de>>(b: &'de [u8], seed: S) -> Result<S::Value, Stop> {
    let mut r = Reader::<CBOR> { b, at: 0, steps: if CBOR { 2 } else { 1 }, unsure: false };
    let x = seed.deserialize(&mut r)?;
    if r.at == b.len() && !r.unsure { Ok(x) } else { Err(Stop::Unsure) }
}

/// A whole message of type `T` (a message type, or [`Message`](crate::Message))
/// read from the start of `b` by the direct reader, position by position
/// (see [`WholeItems`]), as the format crate's `from_slice` reads it:
/// MessagePack must end with the message, CBOR may have bytes after it
/// (cbor4ii ignores them). With `kept`, its payload is kept as
/// [`Serializer::decode_kept`](super::Serializer::decode_kept) keeps it.
/// What the reader leaves, or refuses, `fallback` reads, or refuses with
/// its own error (no error of the reader's left handed).
#[inline(always)]
pub(crate) fn whole<T: DecodeSeq, const CBOR: bool>(
    b: &[u8],
    kept: Option<KeptTail>,
    fallback: fn(&[u8]) -> Result<T, Error>,
) -> Result<T, Error> {
    let Some((r, left, code)) = WholeItems::<CBOR>::code(b) else { return fallback(b) };
    T::by_code(code, Direct::<T, CBOR> { r, left, b, kept, fallback })
}

/// Keeps the payload of a message that [`whole`] reads: its elements
/// after the fixed positions from `at` in `b` (then where they end), `n`
/// of them, for the message at the path given; `None` where it is not
/// kept (see [`kept_tail`](super::kept_tail)).
pub(crate) type KeptTail = fn(&[u8], &mut usize, u64, &Path<'_>, bool) -> Result<Option<Payload>, Error>;

/// The message after its code, for [`whole`].
struct Direct<'de, T, const CBOR: bool> {
    r: Reader<'de, CBOR>,
    left: u64,
    b: &'de [u8],
    kept: Option<KeptTail>,
    fallback: fn(&[u8]) -> Result<T, Error>,
}

impl<T, const CBOR: bool> ByCode<T> for Direct<'_, T, CBOR> {
    type Out = Result<T, Error>;
    /// Each message is built where the `T` is.
    #[inline(always)]
    fn read<M: Variant>(self, wrap: impl FnOnce(M) -> T + Copy) -> Result<T, Error> {
        let at = Path::Root(M::NAME);
        let mut items = WholeItems::<CBOR>::new(self.r, self.left, &at, self.kept);
        let m = M::read_into(&mut items, wrap);
        // `items` saw every error (a generated read fails only through
        // its `Items`), so `m` itself is not looked at.
        if items.sure() {
            debug_assert!(m.is_ok());
            return m;
        }
        drop(m);
        Error::clear_handed();
        (self.fallback)(self.b)
    }
    fn unknown(self, _code: u64) -> Result<T, Error> {
        (self.fallback)(self.b)
    }
}

/// A whole message's positions, read one after another by the direct
/// reader, as [`Items`](crate::runtime::message::Items): what the serde
/// reader of a message's list reads, without the serde calls, and with a
/// URI checked in place. Any error, or a form the reader leaves, is
/// an error here: the caller then decodes the message with the full
/// decode, whose answer (and error) is the one given.
struct WholeItems<'de, 'a, const CBOR: bool> {
    r: Reader<'de, CBOR>,
    /// Elements of the message's list still to read.
    left: u64,
    at: &'a Path<'a>,
    /// The dict's `enc_*` keys, for the payload, once a dict that may hold them is read.
    enc: Option<EncKeys>,
    /// Whether the reader met a form it leaves to the format crate, or a
    /// position was refused: every error of a message's read passes here
    /// (generated reads fail only through their [`Items`](msg::Items)).
    unsure: std::cell::Cell<bool>,
    /// Keeps the payload, for [`Serializer::decode_kept`](super::Serializer::decode_kept).
    kept: Option<KeptTail>,
}

impl<'de, 'a, const CBOR: bool> WholeItems<'de, 'a, CBOR> {
    /// The message's list at the start of `b`, and its code; `None` where
    /// the list or its code is not in the forms the reader reads.
    #[inline]
    fn code(b: &'de [u8]) -> Option<(Reader<'de, CBOR>, u64, u64)> {
        // The steps of a position inside the list, as [`read`] counts them.
        let mut r = Reader::<CBOR> { b, at: 0, steps: if CBOR { 2 } else { 1 }, unsure: false };
        let n = match b.first().and_then(|&m| Reader::<CBOR>::short(m)) {
            Some(Short::Seq(n)) => {
                r.at = 1;
                n
            }
            _ => match r.head() {
                Ok(Head::Seq(n)) => n,
                _ => return None,
            },
        };
        let n = n.checked_sub(1)?;
        // A code below 24 (CBOR) or 128 (MessagePack) is its own head.
        let code = match r.b.get(r.at).and_then(|&m| Reader::<CBOR>::short(m)) {
            Some(Short::U64(code)) => {
                r.at += 1;
                code
            }
            _ => <u64 as serde::Deserialize>::deserialize(&mut r).ok()?,
        };
        Some((r, n, code))
    }

    /// Positions after the code, `left` of them, of the message at `at`.
    #[inline]
    fn new(r: Reader<'de, CBOR>, left: u64, at: &'a Path<'a>, kept: Option<KeptTail>) -> Self {
        WholeItems { r, left, at, enc: None, unsure: std::cell::Cell::new(false), kept }
    }

    /// Whether the message was read, and is what the format crate reads:
    /// no error, every element read, nothing unsure, and in MessagePack
    /// nothing after it.
    #[inline]
    fn sure(&self) -> bool {
        self.left == 0 && !self.unsure.get() && !self.r.unsure && (CBOR || self.r.at == self.r.b.len())
    }

    #[inline]
    fn take(&mut self) -> Result<(), Error> {
        if self.left == 0 {
            return Err(self.leave());
        }
        self.left -= 1;
        Ok(())
    }

    #[inline]
    fn settle<T>(&mut self, read: Result<T, Stop>) -> Result<T, Error> {
        match read {
            Ok(x) => Ok(x),
            Err(Stop::Real(e)) => Err(self.fail_with(Stop::real(e))),
            Err(Stop::Unsure) => Err(self.leave()),
        }
    }

    /// Notes a refusal: the full decode reads the message, and gives the error.
    #[cold]
    fn fail_with(&self, e: Error) -> Error {
        self.unsure.set(true);
        e
    }

    /// Gives up: the full decode reads the message.
    #[cold]
    fn leave(&self) -> Error {
        self.unsure.set(true);
        Error::message("value", "a form the direct reader reads", "another")
    }
}

impl<const CBOR: bool> msg::Items for WholeItems<'_, '_, CBOR> {
    type Error = Error;
    fn at(&self) -> &Path<'_> {
        self.at
    }
    fn fail(&self, e: Error) -> Error {
        self.fail_with(e)
    }
    #[inline]
    fn next<C: Codec + ?Sized>(&mut self, name: &'static str) -> Result<Option<C::Out>, Error> {
        self.take()?;
        let at = self.at.field(name);
        let read = Seed::<C>::new(&at, false, 1).deserialize(&mut self.r);
        self.settle(read)
    }
    fn optional<C: Codec + ?Sized>(&mut self, name: &'static str) -> Result<C::Out, Error>
    where
        C::Out: Default,
    {
        if self.left == 0 {
            return Ok(C::Out::default());
        }
        match self.next::<C>(name)? {
            Some(x) => Ok(x),
            None => Err(self.fail_with(null_at::<C>(self.at, name))),
        }
    }
    /// A URI read in place, checked before it is copied (an ASCII one in
    /// one pass, see [`ascii_uri`]); else as any string position is read.
    fn uri(&mut self, name: &'static str, rule: UriRule) -> Result<String, Error> {
        let mark = self.r.at;
        if self.left > 0
            && let Ok(m) = self.r.byte()
            && let Ok(Some(n)) = self.r.text_len(m)
            && let Ok(b) = self.r.take(n)
            && let Some(s) = ascii_uri(b, rule)
        {
            self.left -= 1;
            return Ok(s.to_owned());
        }
        self.r.at = mark;
        let s = self.required::<Str>(name)?;
        check_uri(&s, rule, &self.at.field(name)).map_err(|e| self.fail_with(e))?;
        Ok(s)
    }
    fn dict<T: Record>(&mut self, name: &'static str, capture: bool) -> Result<T, Error> {
        self.take()?;
        let at = self.at.field(name);
        let read = self.r.record::<T>(&at, capture.then(|| self.enc.get_or_insert_with(EncKeys::default)));
        self.settle(read)
    }
    fn payload(&mut self, dict: &'static str, nullable: bool) -> Result<Payload, Error> {
        if let Some(kept) = self.kept {
            let mut end = self.r.at;
            return match kept(self.r.b, &mut end, self.left, self.at, nullable) {
                Ok(Some(p)) => {
                    (self.r.at, self.left) = (end, 0);
                    Ok(p)
                }
                Ok(None) => Err(self.leave()),
                Err(e) => Err(self.fail_with(e)),
            };
        }
        let mut rest = [None, None];
        for slot in &mut rest {
            if self.left == 0 {
                break;
            }
            self.take()?;
            let read = self.r.value(1);
            *slot = Some(self.settle(read)?);
        }
        self.end()?;
        let enc = self.enc.take().unwrap_or_default();
        let [first, second] = rest;
        Payload::from_tail(first, second, enc, &self.at.field(dict), self.at, nullable).map_err(|e| self.fail_with(e))
    }
    fn end(&mut self) -> Result<(), Error> {
        if self.left == 0 { Ok(()) } else { Err(self.leave()) }
    }
}

/// A message's options or details dict read from exactly `b` without the
/// serde walk over its keys: each key matched against the record's field
/// table as bytes, each value read by its field's codec with
/// [`table::fill`], then the record finished with [`table::finish`], as
/// [`decode_map`](crate::runtime::record::decode_map) fills and finishes
/// it. A key that no field names (whatever the record does with it), a
/// key twice, a key that is not a string, or a form the reader leaves, is
/// [`Stop::Unsure`]: the caller reads the dict with `decode_map`, which
/// decides.
pub(crate) fn read_record<const CBOR: bool, T: Record>(b: &[u8], at: &Path<'_>) -> Result<T, Stop> {
    // As [`read`] starts a position, and the steps of the map itself.
    let mut r = Reader::<CBOR> { b, at: 0, steps: if CBOR { 2 } else { 1 }, unsure: false };
    if CBOR {
        r.nest()?;
    }
    let Head::Map(n) = r.head()? else { return Err(Stop::Unsure) };
    r.nest()?;
    let (mut x, mut read) = (T::blank(), Read::default());
    let mut items = Items { r: &mut r, left: n };
    while items.left > 0 {
        items.left -= 1;
        let m = items.r.byte()?;
        let len = items.r.text_len(m)?.ok_or(Stop::Unsure)?;
        let key = items.r.take(len)?;
        let i = table::key_index_bytes::<T>(key).ok_or(Stop::Unsure)?;
        if read.seen & (1 << i) != 0 {
            return Err(Stop::Unsure);
        }
        table::fill(&mut x, &mut read, i, &mut items, false, 1, at)?;
    }
    if r.at != b.len() || r.unsure {
        return Err(Stop::Unsure);
    }
    table::finish(&mut x, &read, at).map_err(Stop::Real)?;
    Ok(x)
}

/// The bytes of the string that `b` holds exactly, if it is one in the
/// forms the reader reads (their UTF-8 not checked yet: the caller checks
/// it, or [`Reader`] does when it hands them over).
#[inline]
pub(crate) fn text_exact<const CBOR: bool>(b: &[u8]) -> Option<&[u8]> {
    let mut r = Reader::<CBOR> { b, at: 0, steps: 0, unsure: false };
    let m = r.byte().ok()?;
    let n = r.text_len(m).ok()??;
    let s = r.take(n).ok()?;
    (r.at == b.len()).then_some(s)
}

/// The head of one value: what the format crate hands its visitor, and
/// how; a list's or map's length. Integers and floats come as the widest
/// of their kind (`visit_u64`, `visit_i64`, `visit_f64`), where the
/// crates call `visit_u8`, `visit_f32`, ...: serde's defaults forward
/// those to the widest, and no visitor of this crate overrides them, so
/// each visitor sees the same; one arm fewer per width in every visitor.
enum Head<'de> {
    U64(u64),
    I64(i64),
    F64(f64),
    Bool(bool),
    /// `visit_unit` (MessagePack's nil).
    Unit,
    /// `visit_none` (CBOR's null).
    None,
    Str(&'de str),
    Bytes(&'de [u8]),
    Seq(u64),
    Map(u64),
}

/// An everyday head that its first byte says all of, or how to read the
/// rest (see [`Reader::short`]).
enum Short {
    Str(usize),
    /// A string whose length is the next byte.
    Str8,
    U64(u64),
    /// An unsigned integer in the next 1, 2, 4 or 8 bytes.
    Wide(usize),
    Seq(u64),
    Map(u64),
    /// `visit_unit` (MessagePack's nil).
    Unit,
    /// `visit_none` (CBOR's null).
    None,
    Bool(bool),
}

/// What a first byte starts, as [`Short`] tells it, without the length
/// or value it carries.
#[derive(Clone, Copy)]
enum ShortKind {
    Str,
    Str8,
    U64,
    Wide,
    Seq,
    Map,
    Unit,
    None,
    False,
    True,
    /// Not an everyday head: [`Reader::head`] reads it.
    Other,
}

impl<'de, const CBOR: bool> Reader<'de, CBOR> {
    #[inline]
    fn byte(&mut self) -> Result<u8, Stop> {
        let x = *self.b.get(self.at).ok_or(Stop::Unsure)?;
        self.at += 1;
        Ok(x)
    }

    #[inline]
    fn take(&mut self, n: u64) -> Result<&'de [u8], Stop> {
        let n = usize::try_from(n).map_err(|_| Stop::Unsure)?;
        let end = self.at.checked_add(n).filter(|&e| e <= self.b.len()).ok_or(Stop::Unsure)?;
        let s = &self.b[self.at..end];
        self.at = end;
        Ok(s)
    }

    /// The big-endian number in the next `n` (1 to 8) bytes. The widths
    /// the formats use (1, 2, 4, 8) are read as fixed-size arrays, without
    /// a copy of variable length.
    #[inline]
    fn be(&mut self, n: usize) -> Result<u64, Stop> {
        let s = self.take(n as u64)?;
        Ok(match *s {
            [a] => u64::from(a),
            [a, b] => u64::from(u16::from_be_bytes([a, b])),
            [a, b, c, d] => u64::from(u32::from_be_bytes([a, b, c, d])),
            [a, b, c, d, e, f, g, h] => u64::from_be_bytes([a, b, c, d, e, f, g, h]),
            _ => {
                let mut w = [0u8; 8];
                w[8 - n..].copy_from_slice(s);
                u64::from_be_bytes(w)
            }
        })
    }

    #[inline]
    fn str(&mut self, n: u64) -> Result<Head<'de>, Stop> {
        let s = self.take(n)?;
        Ok(Head::Str(crate::runtime::uri::utf8(s).ok_or(Stop::Unsure)?))
    }

    /// Counts a list or map the format crate would count, or is not sure
    /// past the crate's limit (see [`Reader::steps`]).
    #[inline]
    fn nest(&mut self) -> Result<(), Stop> {
        let limit = if CBOR { CBOR_STEPS } else { MSGPACK_DEPTH };
        if self.steps >= limit {
            return Err(Stop::Unsure);
        }
        self.steps += 1;
        Ok(())
    }

    /// A list of `n` elements; one whose visitor leaves elements unread
    /// makes the reader unsure (see [`Reader::unsure`]).
    #[inline]
    fn seq<V: Visitor<'de>>(&mut self, n: u64, v: V) -> Result<V::Value, Stop> {
        self.nest()?;
        let mut items = Items { r: self, left: n };
        let x = v.visit_seq(&mut items);
        let left = items.left;
        self.unsure |= left != 0;
        self.steps -= 1;
        x
    }

    /// A map of `n` entries (see [`Reader::seq`]).
    #[inline]
    fn map<V: Visitor<'de>>(&mut self, n: u64, v: V) -> Result<V::Value, Stop> {
        self.nest()?;
        let mut items = Items { r: self, left: n };
        let x = v.visit_map(&mut items);
        let left = items.left;
        self.unsure |= left != 0;
        self.steps -= 1;
        x
    }

    /// The most entries that the bytes left could hold, each taking at
    /// least `each` bytes: a length from the input never sizes more.
    #[inline]
    fn room(&self, left: u64, each: usize) -> usize {
        usize::try_from(left).unwrap_or(usize::MAX).min((self.b.len() - self.at) / each)
    }

    /// The head of the next value, read once for every visitor.
    #[inline(never)]
    fn head(&mut self) -> Result<Head<'de>, Stop> {
        if CBOR { self.cbor() } else { self.msgpack() }
    }

    /// [`Reader::head`], with the heads [`Reader::short`] knows read here.
    #[inline(always)]
    fn head_short(&mut self) -> Result<Head<'de>, Stop> {
        let Some(short) = self.b.get(self.at).and_then(|&m| Self::short(m)) else { return self.head() };
        self.at += 1;
        Ok(match short {
            Short::Str(n) => return self.str(n as u64),
            Short::U64(u) => Head::U64(u),
            Short::Wide(n) => Head::U64(self.be(n)?),
            Short::Str8 => {
                let n = self.be(1)?;
                return self.str(n);
            }
            Short::Seq(n) => Head::Seq(n),
            Short::Map(n) => Head::Map(n),
            Short::Unit => Head::Unit,
            Short::None => Head::None,
            Short::Bool(b) => Head::Bool(b),
        })
    }

    #[inline]
    fn msgpack(&mut self) -> Result<Head<'de>, Stop> {
        let m = self.byte()?;
        Ok(match m {
            0x00..=0x7f => Head::U64(u64::from(m)),
            0xe0..=0xff => Head::I64(i64::from(m as i8)),
            0xc0 => Head::Unit,
            0xc2 => Head::Bool(false),
            0xc3 => Head::Bool(true),
            0xcc => Head::U64(self.be(1)?),
            0xcd => Head::U64(self.be(2)?),
            0xce => Head::U64(self.be(4)?),
            0xcf => Head::U64(self.be(8)?),
            0xd0 => Head::I64(i64::from(self.be(1)? as u8 as i8)),
            0xd1 => Head::I64(i64::from(self.be(2)? as u16 as i16)),
            0xd2 => Head::I64(i64::from(self.be(4)? as u32 as i32)),
            0xd3 => Head::I64(self.be(8)? as i64),
            0xca => Head::F64(f64::from(f32::from_bits(self.be(4)? as u32))),
            0xcb => Head::F64(f64::from_bits(self.be(8)?)),
            0xa0..=0xbf => return self.str(u64::from(m & 0x1f)),
            0xd9..=0xdb => {
                let n = self.be(1 << (m - 0xd9))?;
                return self.str(n);
            }
            0xc4..=0xc6 => {
                let n = self.be(1 << (m - 0xc4))?;
                Head::Bytes(self.take(n)?)
            }
            0x90..=0x9f => Head::Seq(u64::from(m & 0x0f)),
            0xdc | 0xdd => Head::Seq(self.be(2 << (m - 0xdc))?),
            0x80..=0x8f => Head::Map(u64::from(m & 0x0f)),
            0xde | 0xdf => Head::Map(self.be(2 << (m - 0xde))?),
            _ => return Err(Stop::Unsure),
        })
    }

    /// The length of the string whose head starts with `m` (read past
    /// it), as [`Reader::head`] reads it; `None` where `m` is not a
    /// string's.
    #[inline(always)]
    fn text_len(&mut self, m: u8) -> Result<Option<u64>, Stop> {
        Ok(Some(match (CBOR, m) {
            (false, 0xa0..=0xbf) => u64::from(m & 0x1f),
            (false, 0xd9..=0xdb) => self.be(1 << (m - 0xd9))?,
            (true, 0x60..=0x7f) => self.cbor_arg(m & 0x1f)?,
            _ => return Ok(None),
        }))
    }

    /// The argument of a CBOR head with additional information `ai`.
    #[inline]
    fn cbor_arg(&mut self, ai: u8) -> Result<u64, Stop> {
        match ai {
            0..=23 => Ok(u64::from(ai)),
            24 => self.be(1),
            25 => self.be(2),
            26 => self.be(4),
            27 => self.be(8),
            _ => Err(Stop::Unsure),
        }
    }

    #[inline]
    fn cbor(&mut self) -> Result<Head<'de>, Stop> {
        let ib = self.byte()?;
        let ai = ib & 0x1f;
        Ok(match ib >> 5 {
            0 => Head::U64(self.cbor_arg(ai)?),
            1 => match self.cbor_arg(ai)? {
                n if n <= i64::MAX as u64 => Head::I64(-1 - n as i64),
                _ => return Err(Stop::Unsure),
            },
            2 => {
                let n = self.cbor_arg(ai)?;
                Head::Bytes(self.take(n)?)
            }
            3 => {
                let n = self.cbor_arg(ai)?;
                return self.str(n);
            }
            4 => Head::Seq(self.cbor_arg(ai)?),
            5 => Head::Map(self.cbor_arg(ai)?),
            7 => match ai {
                20 => Head::Bool(false),
                21 => Head::Bool(true),
                22 => Head::None,
                26 => Head::F64(f64::from(f32::from_bits(self.be(4)? as u32))),
                27 => Head::F64(f64::from_bits(self.be(8)?)),
                _ => return Err(Stop::Unsure),
            },
            _ => return Err(Stop::Unsure),
        })
    }

    /// The everyday head that starts with the byte `m`: a short string
    /// (its length), one whose length is one byte, an unsigned integer (its
    /// value or width), a short list or map (its length), `null` or a
    /// boolean; read as [`Reader::head`] reads it.
    ///
    /// The kind comes from [`Reader::SHORT`], one load for every byte,
    /// where a chain of range tests would take a branch per range.
    #[inline(always)]
    fn short(m: u8) -> Option<Short> {
        // The length of a short list or map, in the low bits of its head.
        let len = u64::from(m & if CBOR { 0x1f } else { 0x0f });
        Some(match Self::SHORT[usize::from(m)] {
            ShortKind::Str => Short::Str(usize::from(m & 0x1f)),
            ShortKind::U64 => Short::U64(u64::from(m)),
            // 0xcc to 0xcf in MessagePack, 0x18 to 0x1b in CBOR: 1, 2, 4 or 8 bytes.
            ShortKind::Wide => Short::Wide(1 << (m & 3)),
            ShortKind::Str8 => Short::Str8,
            ShortKind::Seq => Short::Seq(len),
            ShortKind::Map => Short::Map(len),
            ShortKind::Unit => Short::Unit,
            ShortKind::None => Short::None,
            ShortKind::False => Short::Bool(false),
            ShortKind::True => Short::Bool(true),
            ShortKind::Other => return None,
        })
    }

    /// The [`ShortKind`] of each first byte.
    const SHORT: [ShortKind; 256] = {
        let mut t = [ShortKind::Other; 256];
        let mut i = 0;
        while i < 256 {
            let m = i as u8;
            t[i] = match (CBOR, m) {
                (false, 0xa0..=0xbf) | (true, 0x60..=0x77) => ShortKind::Str,
                (false, 0x00..=0x7f) | (true, 0x00..=0x17) => ShortKind::U64,
                (false, 0xcc..=0xcf) | (true, 0x18..=0x1b) => ShortKind::Wide,
                (false, 0xd9) | (true, 0x78) => ShortKind::Str8,
                (false, 0x90..=0x9f) | (true, 0x80..=0x97) => ShortKind::Seq,
                (false, 0x80..=0x8f) | (true, 0xa0..=0xb7) => ShortKind::Map,
                (false, 0xc0) => ShortKind::Unit,
                (true, 0xf6) => ShortKind::None,
                (false, 0xc2) | (true, 0xf4) => ShortKind::False,
                (false, 0xc3) | (true, 0xf5) => ShortKind::True,
                _ => ShortKind::Other,
            };
            i += 1;
        }
        t
    };

    /// Hands the next value to `v` as the format crate does; the heads
    /// [`Reader::short`] knows read here, the others by [`Reader::head`].
    #[inline]
    fn visit<V: Visitor<'de>>(&mut self, v: V) -> Result<V::Value, Stop> {
        if let Some(short) = self.b.get(self.at).and_then(|&m| Self::short(m)) {
            self.at += 1;
            return match short {
                Short::Str(n) => {
                    let s = self.take(n as u64)?;
                    v.visit_borrowed_str(crate::runtime::uri::utf8(s).ok_or(Stop::Unsure)?)
                }
                Short::U64(u) => v.visit_u64(u),
                Short::Wide(n) => v.visit_u64(self.be(n)?),
                Short::Str8 => {
                    let n = self.be(1)?;
                    let s = self.take(n)?;
                    v.visit_borrowed_str(crate::runtime::uri::utf8(s).ok_or(Stop::Unsure)?)
                }
                Short::Seq(n) => self.seq(n, v),
                Short::Map(n) => self.map(n, v),
                Short::Unit => v.visit_unit(),
                Short::None => v.visit_none(),
                Short::Bool(b) => v.visit_bool(b),
            };
        }
        self.visit_head(v)
    }

    /// [`Reader::visit`] of a head that [`Reader::short`] does not know:
    /// out of the path of the everyday ones.
    #[inline(never)]
    fn visit_head<V: Visitor<'de>>(&mut self, v: V) -> Result<V::Value, Stop> {
        match self.head()? {
            Head::U64(x) => v.visit_u64(x),
            Head::I64(x) => v.visit_i64(x),
            Head::F64(x) => v.visit_f64(x),
            Head::Bool(x) => v.visit_bool(x),
            Head::Unit => v.visit_unit(),
            Head::None => v.visit_none(),
            Head::Str(s) => v.visit_borrowed_str(s),
            Head::Bytes(b) => v.visit_borrowed_bytes(b),
            Head::Seq(n) => self.seq(n, v),
            Head::Map(n) => self.map(n, v),
        }
    }
}

impl<'de, const CBOR: bool> Reader<'de, CBOR> {
    /// A message's dict, as [`DictSeed`] reads it through this reader: a
    /// short map's keys that name a field are found by their bytes (see
    /// [`Items::record_key`]); anything else as the seed reads it.
    #[inline]
    fn record<T: Record>(&mut self, at: &Path<'_>, enc: Option<&mut EncKeys>) -> Result<T, Stop> {
        let Some(Short::Map(n)) = self.b.get(self.at).and_then(|&m| Self::short(m)) else {
            return self.record_seed(at, enc);
        };
        // The steps `deserialize_any` and `map` count.
        if CBOR {
            self.nest()?;
        }
        self.at += 1;
        self.nest()?;
        let mut items = Items { r: self, left: n };
        let x = record::decode_map_keys(&mut items, at, false, 1, enc, |items: &mut &mut Items<'_, 'de, CBOR>| items.record_key::<T>(at));
        let left = items.left;
        self.unsure |= left != 0;
        self.steps -= if CBOR { 2 } else { 1 };
        x
    }

    /// [`Reader::record`] of a dict that is not a short map: read by the
    /// seed, out of the path of the everyday ones.
    #[inline(never)]
    fn record_seed<T: Record>(&mut self, at: &Path<'_>, enc: Option<&mut EncKeys>) -> Result<T, Stop> {
        DictSeed::<T>::new(at, false, enc).deserialize(self)
    }

    /// Any value at seed depth `depth`, as `Seed::<Any>` reads it through
    /// this reader (`null` as [`Value::Null`]), without the serde calls.
    /// What that seed refuses (a value nested too deep, a key that is not
    /// a string, a key twice) is [`Stop::Unsure`] here: the full decode
    /// reads the message and gives the error.
    ///
    /// Inlined where it is called: a scalar is read in place, a list or map
    /// by [`Reader::list_value`] or [`Reader::map_value`], which read their
    /// elements with this.
    #[inline(always)]
    fn value(&mut self, depth: u32) -> Result<Value, Stop> {
        // cbor4ii's step for the value itself.
        if CBOR {
            self.nest()?;
        }
        let x = match self.head_short()? {
            Head::U64(u) => Value::Int(u.into()),
            Head::I64(i) => Value::Int(i.into()),
            Head::F64(x) => Value::Float(x),
            Head::Bool(b) => Value::Bool(b),
            Head::Unit | Head::None => Value::Null,
            Head::Str(s) => Value::Str(s.to_owned()),
            Head::Bytes(b) => Value::Bytes(b.to_vec()),
            Head::Seq(n) => self.list_value(n, depth)?,
            Head::Map(n) => self.map_value(n, depth)?,
        };
        if CBOR {
            self.steps -= 1;
        }
        Ok(x)
    }

    /// The list of `n` elements of [`Reader::value`], its head read.
    #[inline(never)]
    fn list_value(&mut self, n: u64, depth: u32) -> Result<Value, Stop> {
        if depth >= MAX_DEPTH {
            return Err(Stop::Unsure);
        }
        self.nest()?;
        let mut out = Vec::with_capacity(self.room(n, 1).min(4096));
        for _ in 0..n {
            out.push(self.value(depth + 1)?);
        }
        self.steps -= 1;
        Ok(Value::List(out))
    }

    /// The map of `n` entries of [`Reader::value`], its head read.
    #[inline(never)]
    fn map_value(&mut self, n: u64, depth: u32) -> Result<Value, Stop> {
        if depth >= MAX_DEPTH {
            return Err(Stop::Unsure);
        }
        self.nest()?;
        let mut entries: Vec<(Key, Value)> = Vec::with_capacity(self.room(n, 2).min(4096));
        for _ in 0..n {
            // The key's step, as `deserialize_any` counts it.
            if CBOR && self.steps >= CBOR_STEPS {
                return Err(Stop::Unsure);
            }
            let Head::Str(k) = self.head_short()? else { return Err(Stop::Unsure) };
            let v = self.value(depth + 1)?;
            entries.push((Key::Owned(k.to_owned()), v));
        }
        if Map::first_duplicate(&entries).is_some() {
            return Err(Stop::Unsure);
        }
        self.steps -= 1;
        Ok(Value::Map(Map::from_unique(entries)))
    }
}

impl<'de, const CBOR: bool> Items<'_, 'de, CBOR> {
    /// The next key of record `T`'s map, as a [`KeySeed`] of its keys reads
    /// it: a short string that names a field is found by its bytes (a key
    /// that names a field is ASCII, so UTF-8), another short string is
    /// checked as UTF-8 and borrowed in place; any other key is read by
    /// the seed.
    #[inline]
    fn record_key<T: Record>(&mut self, at: &Path<'_>) -> Result<Option<MapKey<'de>>, Stop> {
        if self.left == 0 {
            return Ok(None);
        }
        let r = &mut *self.r;
        if let Some(&m) = r.b.get(r.at)
            && let Some(Short::Str(n)) = Reader::<CBOR>::short(m)
            && (!CBOR || r.steps < CBOR_STEPS)
            && let Some(key) = r.b.get(r.at + 1..r.at + 1 + n)
        {
            let key = match table::key_index_bytes::<T>(key) {
                Some(i) => MapKey::Known(i),
                // As the seed is handed it: borrowed, UTF-8 or not sure.
                None => MapKey::Other(Cow::Borrowed(crate::runtime::uri::utf8(key).ok_or(Stop::Unsure)?)),
            };
            r.at += 1 + n;
            self.left -= 1;
            return Ok(Some(key));
        }
        self.next_key_seed(KeySeed { at, known: |k: &str| table::key_index::<T>(k) })
    }
}

impl<'de, const CBOR: bool> de::Deserializer<'de> for &mut Reader<'de, CBOR> {
    type Error = Stop;

    #[inline]
    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Stop> {
        if CBOR {
            // cbor4ii's step for the value itself.
            self.nest()?;
            let x = self.visit(v);
            self.steps -= 1;
            x
        } else {
            self.visit(v)
        }
    }

    fn is_human_readable(&self) -> bool {
        false
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// The elements of a list, or the keys and values of a map, still to read.
struct Items<'r, 'de, const CBOR: bool> {
    r: &'r mut Reader<'de, CBOR>,
    left: u64,
}

impl<'de, const CBOR: bool> SeqAccess<'de> for Items<'_, 'de, CBOR> {
    type Error = Stop;
    #[inline]
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Stop> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(&mut *self.r).map(Some)
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.r.room(self.left, 1))
    }
}

impl<'de, const CBOR: bool> MapAccess<'de> for Items<'_, 'de, CBOR> {
    type Error = Stop;
    #[inline]
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Stop> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(&mut *self.r).map(Some)
    }
    #[inline]
    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Stop> {
        seed.deserialize(&mut *self.r)
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.r.room(self.left, 2))
    }
}

impl ser::Error for Stop {
    /// The text only: an error this crate hands over is put in its slot
    /// after this runs (see [`Error::into_ser`]).
    #[cold]
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Stop::Real(Error::message("value", "a value that can be written", msg.to_string()))
    }
}

/// A serializer that appends MessagePack (`CBOR` false) or CBOR to `out`.
pub(crate) struct Writer<'o, const CBOR: bool> {
    out: &'o mut Vec<u8>,
}

/// Appends `x` to `out`; `Unsure` leaves `out` as it was.
pub(crate) fn write<const CBOR: bool, T: Serialize + ?Sized>(out: &mut Vec<u8>, x: &T) -> Result<(), Stop> {
    let mark = out.len();
    let r = x.serialize(&mut Writer::<CBOR> { out: &mut *out });
    if r.is_err() {
        out.truncate(mark);
    }
    r
}

impl<const CBOR: bool> Writer<'_, CBOR> {
    /// A CBOR head of major type `major` with argument `n`, as short as it
    /// goes: one byte here, longer ones by [`Writer::cbor_head_wide`].
    #[inline(always)]
    fn cbor_head(&mut self, major: u8, n: u64) {
        match n {
            0..24 => self.out.push((major << 5) | n as u8),
            _ => self.cbor_head_wide(major << 5, n),
        }
    }

    /// A marker and the `K` bytes after it, appended at once.
    #[inline(always)]
    fn put<const K: usize>(&mut self, marker: u8, bytes: &[u8; K]) {
        let mut b = [marker; 9];
        b[1..=K].copy_from_slice(bytes);
        self.out.extend_from_slice(&b[..=K]);
    }

    /// [`Writer::cbor_head`] with an argument from 24 up, `m` the major type's bits.
    #[inline(never)]
    fn cbor_head_wide(&mut self, m: u8, n: u64) {
        match n {
            0..0x100 => self.out.extend_from_slice(&[m | 24, n as u8]),
            0x100..0x1_0000 => self.put(m | 25, &(n as u16).to_be_bytes()),
            0x1_0000..0x1_0000_0000 => self.put(m | 26, &(n as u32).to_be_bytes()),
            _ => self.put(m | 27, &n.to_be_bytes()),
        }
    }

    /// A MessagePack length: the fix form's marker `fix` below `fix_max`,
    /// else `wide[i]` with 1, 2 or 4 bytes (`wide[0]` absent where `None`),
    /// by [`Writer::msgpack_len_wide`].
    #[inline(always)]
    fn msgpack_len(&mut self, n: usize, fix: u8, fix_max: usize, wide: [Option<u8>; 3]) -> Result<(), Stop> {
        if n < fix_max {
            self.out.push(fix | n as u8);
            return Ok(());
        }
        self.msgpack_len_wide(n, wide)
    }

    /// [`Writer::msgpack_len`] past the fix form.
    #[inline(never)]
    fn msgpack_len_wide(&mut self, n: usize, wide: [Option<u8>; 3]) -> Result<(), Stop> {
        if let (Some(m), Ok(n)) = (wide[0], u8::try_from(n)) {
            self.out.extend_from_slice(&[m, n]);
        } else if let (Some(m), Ok(n)) = (wide[1], u16::try_from(n)) {
            self.out.push(m);
            self.out.extend_from_slice(&n.to_be_bytes());
        } else if let (Some(m), Ok(n)) = (wide[2], u32::try_from(n)) {
            self.out.push(m);
            self.out.extend_from_slice(&n.to_be_bytes());
        } else {
            return Err(Stop::Unsure);
        }
        Ok(())
    }

    /// An unsigned integer, as short as it goes: one byte here, longer
    /// ones in MessagePack by [`Writer::msgpack_uint_wide`].
    #[inline(always)]
    fn uint(&mut self, u: u64) {
        if CBOR {
            return self.cbor_head(0, u);
        }
        match u {
            0..0x80 => self.out.push(u as u8),
            _ => self.msgpack_uint_wide(u),
        }
    }

    /// [`Writer::uint`] in MessagePack from 0x80 up.
    #[inline(never)]
    fn msgpack_uint_wide(&mut self, u: u64) {
        match u {
            0..0x100 => self.out.extend_from_slice(&[0xcc, u as u8]),
            0x100..0x1_0000 => self.put(0xcd, &(u as u16).to_be_bytes()),
            0x1_0000..0x1_0000_0000 => self.put(0xce, &(u as u32).to_be_bytes()),
            _ => self.put(0xcf, &u.to_be_bytes()),
        }
    }

    fn int(&mut self, i: i64) {
        if i >= 0 {
            return self.uint(i as u64);
        }
        if CBOR {
            return self.cbor_head(1, (-1 - i) as u64);
        }
        match i {
            -32..0 => self.out.push(i as i8 as u8),
            -0x80..-32 => self.out.extend_from_slice(&[0xd0, i as i8 as u8]),
            -0x8000..-0x80 => {
                self.out.push(0xd1);
                self.out.extend_from_slice(&(i as i16).to_be_bytes());
            }
            -0x8000_0000..-0x8000 => {
                self.out.push(0xd2);
                self.out.extend_from_slice(&(i as i32).to_be_bytes());
            }
            _ => {
                self.out.push(0xd3);
                self.out.extend_from_slice(&i.to_be_bytes());
            }
        }
    }

    fn seq_head(&mut self, n: Option<usize>) -> Result<(), Stop> {
        let n = n.ok_or(Stop::Unsure)?;
        if CBOR {
            self.cbor_head(4, n as u64);
            Ok(())
        } else {
            self.msgpack_len(n, 0x90, 16, [None, Some(0xdc), Some(0xdd)])
        }
    }

    fn map_head(&mut self, n: Option<usize>) -> Result<(), Stop> {
        let n = n.ok_or(Stop::Unsure)?;
        if CBOR {
            self.cbor_head(5, n as u64);
            Ok(())
        } else {
            self.msgpack_len(n, 0x80, 16, [None, Some(0xde), Some(0xdf)])
        }
    }
}

impl<'a, 'o, const CBOR: bool> ser::Serializer for &'a mut Writer<'o, CBOR> {
    type Ok = ();
    type Error = Stop;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = ser::Impossible<(), Stop>;
    type SerializeTupleVariant = ser::Impossible<(), Stop>;
    type SerializeMap = Self;
    type SerializeStruct = ser::Impossible<(), Stop>;
    type SerializeStructVariant = ser::Impossible<(), Stop>;

    fn is_human_readable(&self) -> bool {
        false
    }
    fn serialize_bool(self, b: bool) -> Result<(), Stop> {
        self.out.push(match (CBOR, b) {
            (false, false) => 0xc2,
            (false, true) => 0xc3,
            (true, false) => 0xf4,
            (true, true) => 0xf5,
        });
        Ok(())
    }
    fn serialize_i8(self, i: i8) -> Result<(), Stop> {
        self.serialize_i64(i.into())
    }
    fn serialize_i16(self, i: i16) -> Result<(), Stop> {
        self.serialize_i64(i.into())
    }
    fn serialize_i32(self, i: i32) -> Result<(), Stop> {
        self.serialize_i64(i.into())
    }
    fn serialize_i64(self, i: i64) -> Result<(), Stop> {
        self.int(i);
        Ok(())
    }
    fn serialize_u8(self, u: u8) -> Result<(), Stop> {
        self.serialize_u64(u.into())
    }
    fn serialize_u16(self, u: u16) -> Result<(), Stop> {
        self.serialize_u64(u.into())
    }
    fn serialize_u32(self, u: u32) -> Result<(), Stop> {
        self.serialize_u64(u.into())
    }
    fn serialize_u64(self, u: u64) -> Result<(), Stop> {
        self.uint(u);
        Ok(())
    }
    fn serialize_f32(self, _: f32) -> Result<(), Stop> {
        Err(Stop::Unsure)
    }
    fn serialize_f64(self, _: f64) -> Result<(), Stop> {
        Err(Stop::Unsure)
    }
    fn serialize_char(self, _: char) -> Result<(), Stop> {
        Err(Stop::Unsure)
    }
    fn serialize_str(self, s: &str) -> Result<(), Stop> {
        if CBOR {
            self.cbor_head(3, s.len() as u64);
        } else {
            self.msgpack_len(s.len(), 0xa0, 32, [Some(0xd9), Some(0xda), Some(0xdb)])?;
        }
        self.out.extend_from_slice(s.as_bytes());
        Ok(())
    }
    fn serialize_bytes(self, b: &[u8]) -> Result<(), Stop> {
        if CBOR {
            self.cbor_head(2, b.len() as u64);
        } else {
            self.msgpack_len(b.len(), 0, 0, [Some(0xc4), Some(0xc5), Some(0xc6)])?;
        }
        self.out.extend_from_slice(b);
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Stop> {
        self.out.push(if CBOR { 0xf6 } else { 0xc0 });
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, x: &T) -> Result<(), Stop> {
        x.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Stop> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Stop> {
        Err(Stop::Unsure)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), Stop> {
        Err(Stop::Unsure)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, _: &T) -> Result<(), Stop> {
        Err(Stop::Unsure)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(self, _: &'static str, _: u32, _: &'static str, _: &T) -> Result<(), Stop> {
        Err(Stop::Unsure)
    }
    fn serialize_seq(self, n: Option<usize>) -> Result<Self, Stop> {
        self.seq_head(n)?;
        Ok(self)
    }
    fn serialize_tuple(self, n: usize) -> Result<Self, Stop> {
        self.seq_head(Some(n))?;
        Ok(self)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, Stop> {
        Err(Stop::Unsure)
    }
    fn serialize_tuple_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Self::SerializeTupleVariant, Stop> {
        Err(Stop::Unsure)
    }
    fn serialize_map(self, n: Option<usize>) -> Result<Self, Stop> {
        self.map_head(n)?;
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Stop> {
        Err(Stop::Unsure)
    }
    fn serialize_struct_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Self::SerializeStructVariant, Stop> {
        Err(Stop::Unsure)
    }
}

impl<const CBOR: bool> ser::SerializeSeq for &mut Writer<'_, CBOR> {
    type Ok = ();
    type Error = Stop;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, x: &T) -> Result<(), Stop> {
        x.serialize(&mut **self)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

impl<const CBOR: bool> ser::SerializeTuple for &mut Writer<'_, CBOR> {
    type Ok = ();
    type Error = Stop;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, x: &T) -> Result<(), Stop> {
        x.serialize(&mut **self)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

impl<const CBOR: bool> ser::SerializeMap for &mut Writer<'_, CBOR> {
    type Ok = ();
    type Error = Stop;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), Stop> {
        k.serialize(&mut **self)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Stop> {
        v.serialize(&mut **self)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_and_lengths_take_the_shortest_form() {
        let mp = |x: &dyn erased::Ser| {
            let mut out = Vec::new();
            x.write_mp(&mut out);
            out
        };
        assert_eq!(mp(&0u64), [0x00]);
        assert_eq!(mp(&200u64), [0xcc, 200]);
        assert_eq!(mp(&-1i64), [0xff]);
        assert_eq!(mp(&-33i64), [0xd0, 0xdf]);
        assert_eq!(mp(&u64::MAX), [0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
        assert_eq!(mp(&"ab"), [0xa2, b'a', b'b']);
        let cbor = |x: &dyn erased::Ser| {
            let mut out = Vec::new();
            x.write_cbor(&mut out);
            out
        };
        assert_eq!(cbor(&23u64), [0x17]);
        assert_eq!(cbor(&24u64), [0x18, 24]);
        assert_eq!(cbor(&-1i64), [0x20]);
        assert_eq!(cbor(&-25i64), [0x38, 24]);
        assert_eq!(cbor(&"ab"), [0x62, b'a', b'b']);
        // Floats are left to the format crate.
        assert!(matches!(write::<true, _>(&mut Vec::new(), &1.5f64), Err(Stop::Unsure)));
    }

    #[test]
    fn unusual_forms_are_left_to_the_format_crate() {
        let u = |b: &[u8], cbor: bool| {
            let r = if cbor {
                read::<true, _>(b, std::marker::PhantomData::<serde::de::IgnoredAny>)
            } else {
                read::<false, _>(b, std::marker::PhantomData::<serde::de::IgnoredAny>)
            };
            matches!(r, Err(Stop::Unsure))
        };
        // MessagePack: an extension, a string that is not UTF-8, a truncated integer.
        assert!(u(&[0xd4, 0x01, 0x00], false));
        assert!(u(&[0xa1, 0xff], false));
        assert!(u(&[0xcd, 0x01], false));
        // CBOR: a tag, an indefinite-length list, a half float, `undefined`, -2^64.
        assert!(u(&[0xc1, 0x00], true));
        assert!(u(&[0x9f, 0xff], true));
        assert!(u(&[0xf9, 0x3c, 0x00], true));
        assert!(u(&[0xf7], true));
        assert!(u(&[0x3b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], true));
        assert!(!u(&[0x82, 0x01, 0x61, b'a'], true));
        assert!(!u(&[0x92, 0x01, 0xa1, b'a'], false));
    }

    #[test]
    fn strings_of_every_length_are_checked_as_utf8_at_every_byte() {
        let ignored = || std::marker::PhantomData::<serde::de::IgnoredAny>;
        for n in 1..40usize {
            for at in 0..n {
                // A byte that is never UTF-8, and a two-byte character, at `at`.
                let mut bad = vec![b'a'; n];
                bad[at] = 0xff;
                let mut good = vec![b'a'; n + 1];
                good[at..at + 2].copy_from_slice("é".as_bytes());
                for (s, ok) in [(bad, false), (good, true)] {
                    let mp = [&[0xd9, s.len() as u8][..], &s].concat();
                    let cbor = [&[0x78, s.len() as u8][..], &s].concat();
                    assert_eq!(read::<false, _>(&mp, ignored()).is_ok(), ok, "{s:?}");
                    assert_eq!(read::<true, _>(&cbor, ignored()).is_ok(), ok, "{s:?}");
                    if s.len() < 24 {
                        let short = [&[0x60 | s.len() as u8][..], &s].concat();
                        assert_eq!(read::<true, _>(&short, ignored()).is_ok(), ok, "{s:?}");
                    }
                    if s.len() < 32 {
                        let short = [&[0xa0 | s.len() as u8][..], &s].concat();
                        assert_eq!(read::<false, _>(&short, ignored()).is_ok(), ok, "{s:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn deep_heads_are_refused_by_the_seeds_without_recursing_deeper() {
        use crate::runtime::codec::{Any, Seed};
        use crate::runtime::error::Path;
        let at = Path::Root("CALL");
        let deep = [vec![0x91u8; 100_000], vec![0xc0]].concat();
        assert!(matches!(read::<false, _>(&deep, Seed::<Any>::new(&at, false, 1)), Err(Stop::Real(_))));
        let deep = [vec![0x81u8; 100_000], vec![0xf6]].concat();
        assert!(matches!(read::<true, _>(&deep, Seed::<Any>::new(&at, false, 1)), Err(Stop::Unsure | Stop::Real(_))));
        Error::clear_handed();
    }

    /// Writes a value with either writer, as a trait object.
    mod erased {
        pub(super) trait Ser {
            fn write_mp(&self, out: &mut Vec<u8>);
            fn write_cbor(&self, out: &mut Vec<u8>);
        }
        impl<T: serde::Serialize> Ser for T {
            fn write_mp(&self, out: &mut Vec<u8>) {
                super::write::<false, T>(out, self).unwrap();
            }
            fn write_cbor(&self, out: &mut Vec<u8>) {
                super::write::<true, T>(out, self).unwrap();
            }
        }
    }
}
