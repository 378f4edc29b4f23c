//! A payload kept as the bytes it came in: reading a message keeps its
//! arguments and keyword arguments encoded (checked, not built), writing it
//! in the same format copies them, and they are decoded only when asked.
//!
//! Where the format has a direct reader (MessagePack, CBOR), [`direct`]
//! reads the message's positions one after another with the codecs of the
//! full decode, then the arguments' elements are found and checked by
//! [`scan`] ([`kept_tail`]). Otherwise, and for what that reader leaves,
//! the message's list is split into its elements by [`frame`] (markers and
//! lengths, no decoding), the elements that may hold arguments checked on
//! the way by [`scan`] (the everyday forms; [`check::Check`], the format
//! crate's walk, decides the rest); each position is then read from its
//! own bytes, by the direct reader where the position is in its forms,
//! else by the format crate. Whatever this path refuses is decoded again
//! by the full path, whose error is the one reported, so that both refuse
//! with the same words.

// Without a format feature nothing reads or writes kept payloads.
#![cfg_attr(not(any(feature = "json", feature = "msgpack", feature = "cbor")), allow(dead_code, unused_imports))]

mod check;
mod direct;
mod frame;
#[cfg(any(feature = "json", feature = "msgpack", feature = "cbor"))]
mod messages;
mod scan;
pub(crate) mod serializer;

use std::borrow::Cow;

use serde::Serialize;
use serde::de::{DeserializeOwned, DeserializeSeed};

pub use frame::msgpack_not_utf8;
pub use serializer::Serializer;

use self::check::Check;
use self::direct::Stop;
use self::frame::Kind;
use self::scan::Sure;
use self::serializer::{Wire, WireFn, with_wire};
use super::codec::{Any, Codec, Enc, Seed, Str};
use super::error::{Error, Path};
use super::message::{DictSeed, Items, Len, ListWriter, MessageType, length, null_at, writes_nothing};
use super::payload::{EncKeys, Payload};
use super::record::Record;
use super::uri::{UriRule, ascii_uri, check_uri};
use super::value::{Map, Value};

/// The arguments of a message, kept as the bytes they came in, in the
/// format they came in ([`Serializer::decode_kept`] reads them so).
///
/// They were checked when read: well-formed, nested at most 128 deep,
/// strings valid UTF-8, map keys of the kinds autobahn-python's decoder for
/// the format reads, each key once. Writing the message in the same format
/// copies them; in another format, or as a [`Value`]
/// ([`marshal`](crate::Message::marshal)), decodes them. [`args`](Self::args),
/// [`kwargs`](Self::kwargs), [`args_as`](Self::args_as) and
/// [`arg`](Self::arg) decode them on demand, with errors that name the path
/// (`CALL.args[1]: ...`).
#[derive(Clone, Debug)]
pub struct KeptPayload {
    format: Serializer,
    /// The message they were read from, for the paths of errors.
    root: &'static str,
    /// The positional arguments' bytes, then the keyword arguments'.
    bytes: Vec<u8>,
    /// Where the keyword arguments start; `0` when the positional ones are `null`.
    split: usize,
}

impl PartialEq for KeptPayload {
    /// The same format and the same bytes.
    fn eq(&self, other: &Self) -> bool {
        self.format == other.format && self.split == other.split && self.bytes == other.bytes
    }
}

impl KeptPayload {
    /// The format the arguments are encoded in.
    pub fn format(&self) -> Serializer {
        self.format
    }

    /// The encoded positional arguments (a list); `None` where the message
    /// holds `null` there (before keyword arguments).
    pub fn args_bytes(&self) -> Option<&[u8]> {
        Some(&self.bytes[..self.split]).filter(|b| !b.is_empty())
    }

    /// The encoded keyword arguments (a map), if any.
    pub fn kwargs_bytes(&self) -> Option<&[u8]> {
        Some(&self.bytes[self.split..]).filter(|b| !b.is_empty())
    }

    /// The positional arguments as values; `None` where the message holds
    /// `null` there. Fails where a [`Value`] cannot hold them (a CBOR map
    /// with integer keys), naming the path: `EVENT.args[1]: expected string
    /// keys, got key integer 1`.
    pub fn args(&self) -> Result<Option<Vec<Value>>, Error> {
        let at = Path::Root(self.root);
        self.args_bytes().map(|b| self.value(b, &at.field("args")).map(|v| v.into_list().unwrap_or_default())).transpose()
    }

    /// The keyword arguments as a map, if any (see [`args`](Self::args)).
    pub fn kwargs(&self) -> Result<Option<Map>, Error> {
        let at = Path::Root(self.root);
        self.kwargs_bytes().map(|b| self.value(b, &at.field("kwargs")).map(|v| v.into_map().unwrap_or_default())).transpose()
    }

    /// The positional arguments decoded straight into `T` (a tuple, a
    /// `Vec`, a struct that reads a sequence); no arguments read as an
    /// empty list. The error names `args` and says what the format said.
    pub fn args_as<T: DeserializeOwned>(&self) -> Result<T, Error> {
        let bytes = self.args_bytes().unwrap_or(self.empty(false));
        self.decode_as(bytes, &Path::Root(self.root).field("args"))
    }

    /// The keyword arguments decoded straight into `T` (a struct, a
    /// `HashMap`); no keyword arguments read as an empty map.
    pub fn kwargs_as<T: DeserializeOwned>(&self) -> Result<T, Error> {
        let bytes = self.kwargs_bytes().unwrap_or(self.empty(true));
        self.decode_as(bytes, &Path::Root(self.root).field("kwargs"))
    }

    /// Positional argument `i` decoded straight into `T`; `None` where
    /// there are fewer arguments. The error names the argument: `CALL.args[1]`.
    pub fn arg<T: DeserializeOwned>(&self, i: usize) -> Result<Option<T>, Error> {
        let Some(args) = self.args_bytes() else { return Ok(None) };
        let (mut found, mut n) = (None, 0);
        let each = &mut |s, e| {
            if n == i {
                found = Some((s, e));
                return false;
            }
            n += 1;
            true
        };
        // The walk stops at the argument found (and then says `None`).
        with_wire(self.format, ListItems { bytes: args, each })?;
        let Some((s, e)) = found else { return Ok(None) };
        let root = Path::Root(self.root);
        let at = root.field("args");
        self.decode_as(&args[s..e], &at.index(i)).map(Some)
    }

    /// The payload as decoded arguments ([`Payload::Arguments`]).
    pub fn to_arguments(&self) -> Result<Payload, Error> {
        Ok(Payload::Arguments { args: self.args()?, kwargs: self.kwargs()? })
    }

    fn empty(&self, map: bool) -> &'static [u8] {
        match (self.format, map) {
            (Serializer::Json, false) => b"[]",
            (Serializer::Json, true) => b"{}",
            (Serializer::MsgPack, false) => &[0x90],
            (Serializer::MsgPack, true) => &[0x80],
            (Serializer::Cbor, false) => &[0x80],
            (Serializer::Cbor, true) => &[0xa0],
        }
    }

    fn value(&self, bytes: &[u8], at: &Path<'_>) -> Result<Value, Error> {
        Error::clear_handed();
        with_wire(self.format, ToValue { bytes, at })?
    }

    fn decode_as<T: DeserializeOwned>(&self, bytes: &[u8], at: &Path<'_>) -> Result<T, Error> {
        Error::clear_handed();
        with_wire(self.format, DecodeAs::<T> { bytes, marker: std::marker::PhantomData })?.map_err(|e| {
            // The format's words about the user's type, at the arguments' path.
            let got = if e.type_name() == "value" { e.got().to_owned() } else { e.to_string() };
            Error::new(at, std::any::type_name::<T>(), got)
        })
    }

    /// How many list elements the payload takes.
    pub(crate) fn tail_len(&self) -> usize {
        1 + usize::from(self.kwargs_bytes().is_some())
    }

    /// The arguments as values, for writing them as values or in another format.
    pub(crate) fn values(&self) -> Result<(Option<Vec<Value>>, Option<Map>), Error> {
        Ok((self.args()?, self.kwargs()?))
    }
}

/// Hands the elements of the list `bytes` to `each`.
struct ListItems<'b, 'f> {
    bytes: &'b [u8],
    each: &'f mut dyn FnMut(usize, usize) -> bool,
}

impl WireFn for ListItems<'_, '_> {
    type Out = Option<()>;
    fn call<W: Wire>(self) -> Option<()> {
        W::list(self.bytes, |s, e| (self.each)(s, e))
    }
}

/// Decodes `bytes` as a [`Value`] at `at`.
struct ToValue<'b, 'a> {
    bytes: &'b [u8],
    at: &'a Path<'a>,
}

impl WireFn for ToValue<'_, '_> {
    type Out = Result<Value, Error>;
    fn call<W: Wire>(self) -> Result<Value, Error> {
        W::de(self.bytes, Seed::<Any>::new(self.at, W::HR, 1)).map(Option::unwrap_or_default)
    }
}

/// Decodes `bytes` into the user's type `T`.
struct DecodeAs<'b, T> {
    bytes: &'b [u8],
    marker: std::marker::PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned> WireFn for DecodeAs<'_, T> {
    type Out = Result<T, Error>;
    fn call<W: Wire>(self) -> Result<T, Error> {
        W::de(self.bytes, std::marker::PhantomData::<T>)
    }
}

/// The most elements a message has (ERROR: code and six more).
pub(crate) const MAX_ELEMENTS: usize = 8;

/// Reads a message of type `T` from `bytes` in format `W`, its payload
/// kept, handed to `wrap` as it is built (see [`MessageType::read_into`]).
///
/// Any error here sends the caller to the full decode, whose error is the
/// one reported: so the list's length is checked first, and what `wrap`
/// makes is returned as the direct reader's read built it (not moved again).
#[inline(always)]
pub(crate) fn read<T: MessageType, W: Wire, O>(
    bytes: &[u8],
    el: &[(usize, usize)],
    valid: &[Sure],
    wrap: impl FnOnce(T) -> O + Copy,
) -> Result<O, Error> {
    let at = Path::Root(T::NAME);
    let mut items = KeptItems::<W>::new(bytes, el, valid, &at, T::LEN, true);
    items.end()?;
    let x = T::read_into(&mut items, wrap);
    if !items.unsure {
        return x;
    }
    drop(x);
    read_with_crate::<T, W, O>(bytes, el, valid, wrap)
}

/// [`read`] again with the format crate, where the direct reader met a
/// position in a form it leaves to the crate (the arguments are read after
/// the positions, so not yet checked).
#[cold]
#[inline(never)]
fn read_with_crate<T: MessageType, W: Wire, O>(
    bytes: &[u8],
    el: &[(usize, usize)],
    valid: &[Sure],
    wrap: impl FnOnce(T) -> O,
) -> Result<O, Error> {
    Error::clear_handed();
    let at = Path::Root(T::NAME);
    let mut items = KeptItems::<W>::new(bytes, el, valid, &at, T::LEN, false);
    T::read_into(&mut items, wrap)
}

/// Splits `bytes` into the elements of a message's list, into `el`, with
/// what the quick pass found of each, into `valid`; how many there are, or
/// `None` where they are not a list of 1 to [`MAX_ELEMENTS`] elements.
pub(crate) fn elements<W: Wire>(bytes: &[u8], el: &mut [(usize, usize); MAX_ELEMENTS], valid: &mut [Sure; MAX_ELEMENTS]) -> Option<usize> {
    let mut n = 0;
    W::list_checked(bytes, |s, e, v| {
        if n == MAX_ELEMENTS {
            return false;
        }
        el[n] = (s, e);
        valid[n] = v;
        n += 1;
        true
    })?;
    (n > 0).then_some(n)
}

/// A message's elements, each read from its own bytes.
struct KeptItems<'b, 'a, W> {
    bytes: &'b [u8],
    el: &'b [(usize, usize)],
    /// What the quick pass found of each element.
    valid: &'b [Sure],
    next: usize,
    at: &'a Path<'a>,
    len: (usize, usize),
    /// The dict's `enc_*` keys, once a dict that may hold them is read by
    /// the record's map reader.
    enc: Option<EncKeys>,
    /// Whether the positions are read with the format's direct reader.
    direct: bool,
    /// Whether the direct reader met a form it leaves to the format crate.
    unsure: bool,
    wire: std::marker::PhantomData<W>,
}

impl<'b, 'a, W: Wire> KeptItems<'b, 'a, W> {
    /// The positions of a message from the second element on, read with
    /// the direct reader where `direct`, else with the format crate.
    #[inline(always)]
    fn new(bytes: &'b [u8], el: &'b [(usize, usize)], valid: &'b [Sure], at: &'a Path<'a>, len: (usize, usize), direct: bool) -> Self {
        KeptItems { bytes, el, valid, next: 1, at, len, enc: None, direct, unsure: false, wire: std::marker::PhantomData }
    }

    fn slice(&self, i: usize) -> &'b [u8] {
        let (s, e) = self.el[i];
        &self.bytes[s..e]
    }

    fn item(&mut self) -> Result<&'b [u8], Error> {
        if self.next >= self.el.len() {
            return Err(self.length_error());
        }
        self.next += 1;
        Ok(self.slice(self.next - 1))
    }

    /// Reads a position with `seed`: with the direct reader while
    /// `direct`, else with the format crate.
    #[inline]
    fn de<'de, S: DeserializeSeed<'de>>(&mut self, b: &'de [u8], seed: S) -> Result<S::Value, Error> {
        if !self.direct {
            return W::de(b, seed);
        }
        let read = W::de_head(b, seed);
        self.settle(read)
    }

    /// What the direct reader read, or its error; where it left the form
    /// to the format crate, the message is read again with it.
    #[inline]
    fn settle<T>(&mut self, read: Result<T, Stop>) -> Result<T, Error> {
        match read {
            Ok(x) => Ok(x),
            Err(Stop::Real(e)) => Err(Stop::real(e)),
            Err(Stop::Unsure) => Err(self.leave_to_crate()),
        }
    }

    #[cold]
    fn leave_to_crate(&mut self) -> Error {
        self.unsure = true;
        Error::message("value", "a form the direct reader reads", "another")
    }

    #[cold]
    fn length_error(&self) -> Error {
        Error::new(self.at, length(self.len.0, self.len.1), format!("a list of {} elements", self.el.len()))
    }

    /// The tail as values, as the full decode reads it: an encoded
    /// payload, or an error.
    fn tail_values(&mut self, rest: std::ops::Range<usize>, dict: &'static str, nullable: bool) -> Result<Payload, Error> {
        let mut vals = [None, None];
        for (slot, (i, name)) in vals.iter_mut().zip(rest.zip(["args", "kwargs"])) {
            let at = self.at.field(name);
            *slot = Some(W::de(self.slice(i), Seed::<Any>::new(&at, W::HR, 1))?.unwrap_or_default());
        }
        let [first, second] = vals;
        let enc = self.enc.take().unwrap_or_default();
        Payload::from_tail(first, second, enc, &self.at.field(dict), self.at, nullable)
    }
}

impl<W: Wire> Items for KeptItems<'_, '_, W> {
    type Error = Error;
    fn at(&self) -> &Path<'_> {
        self.at
    }
    fn fail(&self, e: Error) -> Error {
        e
    }
    #[inline]
    fn next<C: Codec + ?Sized>(&mut self, name: &'static str) -> Result<Option<C::Out>, Error> {
        let b = self.item()?;
        let at = self.at.field(name);
        self.de(b, Seed::<C>::new(&at, W::HR, 1))
    }
    fn optional<C: Codec + ?Sized>(&mut self, name: &'static str) -> Result<C::Out, Error>
    where
        C::Out: Default,
    {
        if self.next >= self.el.len() {
            return Ok(C::Out::default());
        }
        let at = self.at.field(name);
        let b = self.item()?;
        match self.de(b, Seed::<C>::new(&at, W::HR, 1))? {
            Some(x) => Ok(x),
            None => Err(null_at::<C>(self.at, name)),
        }
    }
    /// A URI read in place where the direct reader reads it, checked before
    /// it is copied (an ASCII one in one pass, see [`ascii_uri`]); else as
    /// any string position is read.
    fn uri(&mut self, name: &'static str, rule: UriRule) -> Result<String, Error> {
        let raw = if self.direct && self.next < self.el.len() { W::text_head(self.slice(self.next)) } else { None };
        if let Some(s) = raw.and_then(|b| ascii_uri(b, rule)) {
            self.next += 1;
            return Ok(s.to_owned());
        }
        let s: Cow<'_, str> = match raw.map(std::str::from_utf8) {
            Some(Ok(s)) => {
                self.next += 1;
                Cow::Borrowed(s)
            }
            _ => Cow::Owned(self.required::<Str>(name)?),
        };
        check_uri(&s, rule, &self.at.field(name))?;
        Ok(s.into_owned())
    }
    fn dict<T: Record>(&mut self, name: &'static str, capture: bool) -> Result<T, Error> {
        let b = self.item()?;
        let at = self.at.field(name);
        // The everyday dict, its keys all the record's, read straight into
        // the record; else as any map, by the record's map reader.
        if self.direct {
            match W::record_head::<T>(b, &at) {
                Ok(x) => return Ok(x),
                Err(Stop::Real(e)) => return Err(Stop::real(e)),
                Err(Stop::Unsure) => {}
            }
        }
        // The `enc_*` keys are kept in place (not moved out and back).
        let seed = DictSeed::<T>::new(&at, W::HR, capture.then(|| self.enc.get_or_insert_with(EncKeys::default)));
        if !self.direct {
            return W::de(b, seed);
        }
        let read = W::de_head(b, seed);
        self.settle(read)
    }
    fn payload(&mut self, dict: &'static str, nullable: bool) -> Result<Payload, Error> {
        self.end()?;
        let (first, n) = (self.next, self.el.len());
        self.next = n;
        match tail::<W>(self.bytes, &self.el[first..], &self.valid[first..], self.at, nullable)? {
            Some(p) => Ok(p),
            None => self.tail_values(first..n, dict, nullable),
        }
    }
    fn end(&mut self) -> Result<(), Error> {
        if self.el.len() > self.len.1 { Err(self.length_error()) } else { Ok(()) }
    }
}

/// The payload of a message whose elements after its fixed positions are
/// `el` (in `bytes`, at most two), with what the quick pass found of each
/// (`valid`): kept where they are arguments of the everyday forms, checked
/// (in line where the quick pass found them valid, which it nearly always
/// does); `None` where the full decode reads them otherwise (the caller
/// reads them as values). `at` is the message.
#[inline]
fn tail<W: Wire>(bytes: &[u8], el: &[(usize, usize)], valid: &[Sure], at: &Path<'_>, nullable: bool) -> Result<Option<Payload>, Error> {
    let kind = |i: usize| el.get(i).map(|&(s, e)| W::kind(&bytes[s..e]));
    let (a, k) = (kind(0), kind(1));
    let Some(a) = a else { return Ok(Some(Payload::default())) };
    let args_fit = matches!(a, Kind::List(_)) || (nullable && a == Kind::Null);
    if !args_fit || !matches!(k, None | Some(Kind::Map(_))) {
        return Ok(None);
    }
    // What `marshal` would not write is left out, as the full decode leaves it.
    let kwargs = (k == Some(Kind::Map(false))).then_some(1);
    let args = match a {
        Kind::List(empty) if !(empty && kwargs.is_none()) => Some(0),
        _ => None,
    };
    if args.is_none() && kwargs.is_none() {
        return Ok(Some(Payload::default()));
    }
    let check = |i: usize, kwargs: bool, name| match valid[i].is_valid(kwargs) {
        true => Ok(()),
        false => check_slow::<W>(&bytes[el[i].0..el[i].1], valid[i], at, name, kwargs),
    };
    if let Some(i) = args {
        check(i, false, "args")?;
    }
    if let Some(i) = kwargs {
        check(i, true, "kwargs")?;
    }
    let root = match at {
        Path::Root(name) => name,
        _ => "Message",
    };
    // Both are copied at once where nothing stands between them (the
    // binary formats), one copy, not two.
    let (s, split, e) = match (args.map(|i| el[i]), kwargs.map(|i| el[i])) {
        (Some((s, m)), Some((k, e))) if m == k => (s, m - s, e),
        (Some((s, e)), None) => (s, e - s, e),
        (None, Some((s, e))) => (s, 0, e),
        (a, k) => {
            let (a, k) = (a.unwrap_or_default(), k.unwrap_or_default());
            let mut kept = Vec::with_capacity(a.1 - a.0 + k.1 - k.0);
            kept.extend_from_slice(&bytes[a.0..a.1]);
            kept.extend_from_slice(&bytes[k.0..k.1]);
            return Ok(Some(Payload::Kept(KeptPayload { format: W::SERIALIZER, root, bytes: kept, split: a.1 - a.0 })));
        }
    };
    let bytes = bytes[s..e].to_vec();
    Ok(Some(Payload::Kept(KeptPayload { format: W::SERIALIZER, root, bytes, split })))
}

/// Checks `b` as `args` or `kwargs` (`name`) of the message at `at`, where
/// the quick pass did not find it valid (`sure`).
#[inline(never)]
fn check_slow<W: Wire>(b: &[u8], sure: Sure, at: &Path<'_>, name: &'static str, kwargs: bool) -> Result<(), Error> {
    if !sure.scanned() && scan::surely_valid(W::SCAN, b, W::KEYS, kwargs) {
        return Ok(());
    }
    let at = at.field(name);
    W::de(b, Check { at: &at, hr: W::HR, depth: 1, keys: W::KEYS, kwargs })
}

/// The payload of a message that the direct reader reads
/// ([`direct::whole`]), kept: the `n` elements from `at` in `b` after the
/// message's fixed positions, found and checked as [`elements`] finds and
/// checks them, then kept as [`tail`] keeps them; `at` is then where they
/// end. `None` where `tail` does not keep them, or there are more than two.
pub(crate) fn kept_tail<W: Wire>(b: &[u8], at: &mut usize, n: u64, msg: &Path<'_>, nullable: bool) -> Result<Option<Payload>, Error> {
    let (mut el, mut valid) = ([(0, 0); 2], [Sure::UNSEEN; 2]);
    let Some(n) = usize::try_from(n).ok().filter(|&n| n <= 2) else { return Ok(None) };
    let mut seen = scan::Seen::new();
    for i in 0..n {
        let Some((e, sure)) = W::element(b, *at, &mut seen) else { return Ok(None) };
        (el[i], valid[i], *at) = ((*at, e), sure, e);
    }
    tail::<W>(b, &el[..n], &valid[..n], msg, nullable)
}

/// Writes a message of type `T` in format `W` into `out`, copying a kept
/// payload of the same format.
pub(crate) fn write<T: MessageType, W: Wire>(x: &T, out: &mut Vec<u8>) -> Result<(), Error> {
    let mut len = Len(1);
    match x.write(&mut len) {
        Ok(()) => {}
        Err(never) => match never {},
    }
    W::list_head(out, len.0);
    W::ser_head(out, &T::CODE)?;
    let mut w = Splice::<W> { out, n: 1, wire: std::marker::PhantomData };
    x.write(&mut w)?;
    W::list_end(w.out);
    Ok(())
}

/// Whether `x` carries arguments kept in format `W`, which [`write`] copies.
#[inline(always)]
pub(crate) fn kept_in<T: MessageType, W: Wire>(x: &T) -> bool {
    let mut probe = KeptIn::<W>(false, std::marker::PhantomData);
    match x.write(&mut probe) {
        Ok(()) => probe.0,
        Err(never) => match never {},
    }
}

/// Looks at a message's payload only: whether it is kept in format `W`.
struct KeptIn<W>(bool, std::marker::PhantomData<W>);

impl<W: Wire> ListWriter for KeptIn<W> {
    type Error = std::convert::Infallible;
    #[inline(always)]
    fn item<C: Codec + ?Sized>(&mut self, _: &C::Out) -> Result<(), Self::Error> {
        Ok(())
    }
    #[inline(always)]
    fn dict<T: Record>(&mut self, _: &T, _: Option<&Payload>, _: bool) -> Result<(), Self::Error> {
        Ok(())
    }
    #[inline(always)]
    fn payload(&mut self, p: &Payload) -> Result<(), Self::Error> {
        self.0 = matches!(p, Payload::Kept(k) if k.format == W::SERIALIZER);
        Ok(())
    }
}

/// Writes list elements one by one into a buffer.
struct Splice<'o, W> {
    out: &'o mut Vec<u8>,
    n: usize,
    wire: std::marker::PhantomData<W>,
}

impl<W: Wire> Splice<'_, W> {
    fn element<X: Serialize + ?Sized>(&mut self, x: &X) -> Result<(), Error> {
        W::sep(self.out, self.n);
        self.n += 1;
        W::ser_head(self.out, x)
    }

    fn raw(&mut self, b: &[u8]) {
        W::sep(self.out, self.n);
        self.n += 1;
        self.out.extend_from_slice(b);
    }
}

impl<W: Wire> ListWriter for Splice<'_, W> {
    type Error = Error;
    fn item<C: Codec + ?Sized>(&mut self, x: &C::Out) -> Result<(), Error> {
        self.element(&Enc::<C>(x))
    }
    fn dict<T: Record>(&mut self, x: &T, payload: Option<&Payload>, optional: bool) -> Result<(), Error> {
        match payload {
            Some(p @ Payload::Encoded { .. }) => {
                let mut m = super::table::to_map(x);
                p.write_enc(&mut m);
                self.element(&m)
            }
            _ if optional && writes_nothing(x) => Ok(()),
            _ => self.element(&Enc::<super::codec::Rec<T>>(x)),
        }
    }
    fn payload(&mut self, p: &Payload) -> Result<(), Error> {
        match p {
            Payload::Kept(k) if k.format == W::SERIALIZER => {
                match k.args_bytes() {
                    Some(b) => self.raw(b),
                    None => self.raw(W::NULL),
                }
                if let Some(b) = k.kwargs_bytes() {
                    self.raw(b);
                }
                Ok(())
            }
            _ => {
                let mut tail = Vec::new();
                p.write_tail(&mut tail);
                tail.iter().try_for_each(|v| self.element(v))
            }
        }
    }
}
