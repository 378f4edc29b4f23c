//! Messages: a list that starts with its code, then positions, then the
//! payload. A generated message type says once how its positions are read
//! ([`MessageType::read`]) and written ([`MessageType::write`]); here that
//! one description is read from any serde format (a [`Value`], for
//! `parse`, or bytes) and written to a [`Value`] (`marshal`) or any serde
//! format (encoding without building values).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeSeq, Serializer};

use super::codec::{Any, Codec, Enc, Rec, Seed, refuse_visits};
use super::error::{Error, Path};
use super::payload::{EncKeys, Payload};
use super::record::Record;
use super::skip::Skip;
use super::uri::{UriRule, check_uri};
use super::value::Value;

/// The expected head of every message.
const A_MESSAGE: &str = "a WAMP message (a non-empty list that starts with an integer message code)";

/// A WAMP message type: its code and name, how long its list may be, and
/// how its positions are read and written.
pub trait MessageType: Sized {
    /// The message code.
    const CODE: u64;
    /// The name errors start with, as the WAMP spec writes it (`CALL`).
    const NAME: &'static str;
    /// What its code must be, for errors.
    const KNOWN: &'static str;
    /// How many list elements it may have, code included.
    const LEN: (usize, usize);

    /// Reads the positions after the code, then the payload, from `r`.
    #[inline]
    fn read<R: Items>(r: &mut R) -> Result<Self, R::Error> {
        Self::read_into(r, |x| x)
    }

    /// [`read`](Self::read), the message handed to `wrap` as it is built,
    /// so that what `wrap` makes of it (a [`Message`](crate::Message)) is
    /// built in place rather than moved into.
    fn read_into<R: Items, O>(r: &mut R, wrap: impl FnOnce(Self) -> O) -> Result<O, R::Error>;

    /// Writes the positions after the code, then the payload, to `w`.
    fn write<W: ListWriter>(&self, w: &mut W) -> Result<(), W::Error>;
}

/// Where a message's positions are read from: a serde sequence ([`Reader`]).
pub trait Items {
    /// The error of this source.
    type Error;
    /// The message's path, for errors of checks between positions.
    fn at(&self) -> &Path<'_>;
    /// Hands over one of our errors as this source's error.
    fn fail(&self, e: Error) -> Self::Error;
    /// The next position, read by codec `C`: `None` for `null`.
    fn next<C: Codec + ?Sized>(&mut self, name: &'static str) -> Result<Option<C::Out>, Self::Error>;
    /// An optional last position (absent gives the default).
    fn optional<C: Codec + ?Sized>(&mut self, name: &'static str) -> Result<C::Out, Self::Error>
    where
        C::Out: Default;
    /// A record position; with `capture`, the `enc_*` keys of its dict are kept for the payload.
    fn dict<T: Record>(&mut self, name: &'static str, capture: bool) -> Result<T, Self::Error>;
    /// The payload after the fixed positions, whose dict is `dict`; then the end of the list.
    fn payload(&mut self, dict: &'static str, args_nullable: bool) -> Result<Payload, Self::Error>;
    /// The end of the list: nothing may follow.
    fn end(&mut self) -> Result<(), Self::Error>;

    /// The next position, which must not be `null`.
    fn required<C: Codec + ?Sized>(&mut self, name: &'static str) -> Result<C::Out, Self::Error> {
        match self.next::<C>(name)? {
            Some(x) => Ok(x),
            None => Err(self.fail(null_at::<C>(self.at(), name))),
        }
    }

    /// The next position: a URI under `rule`.
    fn uri(&mut self, name: &'static str, rule: UriRule) -> Result<String, Self::Error> {
        let s = self.required::<super::codec::Str>(name)?;
        check_uri(&s, rule, &self.at().field(name)).map_err(|e| self.fail(e))?;
        Ok(s)
    }

    /// The next position: a URI under `rule`, or `null`.
    fn uri_or_null(&mut self, name: &'static str, rule: UriRule) -> Result<Option<String>, Self::Error> {
        let s = self.next::<super::codec::Str>(name)?;
        if let Some(s) = &s {
            check_uri(s, rule, &self.at().field(name)).map_err(|e| self.fail(e))?;
        }
        Ok(s)
    }

    /// Passes a check between positions.
    fn check<T>(&self, result: Result<T, Error>) -> Result<T, Self::Error> {
        result.map_err(|e| self.fail(e))
    }
}

/// The error for `null` at position `name`, where codec `C` reads.
#[cold]
#[inline(never)]
pub(crate) fn null_at<C: Codec + ?Sized>(at: &Path<'_>, name: &'static str) -> Error {
    Error::new(&at.field(name), C::KIND.expected(), "null")
}

pub(crate) fn length(min: usize, max: usize) -> String {
    if min == max { format!("a list of {min} elements") } else { format!("a list of {min} to {max} elements") }
}

/// A message's elements in a serde sequence, the code already read.
/// Counts elements so that a list of the wrong length is reported with
/// its length, once the rest is counted.
pub struct Reader<'a, 'de, A> {
    seq: A,
    de: PhantomData<&'de ()>,
    at: &'a Path<'a>,
    hr: bool,
    read: usize,
    min: usize,
    max: usize,
    enc: EncKeys,
    /// The sequence has ended: it is not asked again (an indefinite-length
    /// CBOR list has consumed its end marker, and what follows is not ours).
    done: bool,
}

impl<'a, 'de, A: SeqAccess<'de>> Reader<'a, 'de, A> {
    /// A reader after the code of a message of type `T`.
    pub fn new<T: MessageType>(seq: A, at: &'a Path<'a>, hr: bool) -> Self {
        Reader { seq, de: PhantomData, at, hr, read: 1, min: T::LEN.0, max: T::LEN.1, enc: EncKeys::default(), done: false }
    }

    /// The next element read by `seed`; `None` at the end, and from then on.
    fn element<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<Option<S::Value>, A::Error> {
        if self.done {
            return Ok(None);
        }
        let x = self.seq.next_element_seed(seed)?;
        self.done = x.is_none();
        Ok(x)
    }

    /// The error for a list of the wrong length, once the rest is counted.
    fn length_error(&mut self) -> A::Error {
        let mut n = self.read;
        loop {
            match self.element(Skip::new(self.at, self.hr, 1)) {
                Ok(Some(())) => n += 1,
                Ok(None) => break,
                Err(e) => return e,
            }
        }
        Error::into_de(Error::new(self.at, length(self.min, self.max), format!("a list of {n} elements")))
    }
}

impl<'de, A: SeqAccess<'de>> Items for Reader<'_, 'de, A> {
    type Error = A::Error;
    fn at(&self) -> &Path<'_> {
        self.at
    }
    fn fail(&self, e: Error) -> A::Error {
        Error::into_de(e)
    }
    fn next<C: Codec + ?Sized>(&mut self, name: &'static str) -> Result<Option<C::Out>, A::Error> {
        let at = self.at.field(name);
        match self.element(Seed::<C>::new(&at, self.hr, 1))? {
            Some(x) => {
                self.read += 1;
                Ok(x)
            }
            None => Err(self.length_error()),
        }
    }
    fn optional<C: Codec + ?Sized>(&mut self, name: &'static str) -> Result<C::Out, A::Error>
    where
        C::Out: Default,
    {
        let at = self.at.field(name);
        match self.element(Seed::<C>::new(&at, self.hr, 1))? {
            Some(Some(x)) => {
                self.read += 1;
                Ok(x)
            }
            Some(None) => Err(Error::into_de(null_at::<C>(self.at, name))),
            None => Ok(C::Out::default()),
        }
    }
    fn dict<T: Record>(&mut self, name: &'static str, capture: bool) -> Result<T, A::Error> {
        let at = self.at.field(name);
        // As [`Reader::element`] reads, with the `enc_*` keys kept in
        // place (not moved out and back).
        let read = if self.done {
            None
        } else {
            let seed = DictSeed::<T> { at: &at, hr: self.hr, enc: capture.then_some(&mut self.enc), record: PhantomData };
            let x = self.seq.next_element_seed(seed)?;
            self.done = x.is_none();
            x
        };
        match read {
            Some(x) => {
                self.read += 1;
                Ok(x)
            }
            None => Err(self.length_error()),
        }
    }
    fn payload(&mut self, dict: &'static str, args_nullable: bool) -> Result<Payload, A::Error> {
        let mut rest = [None, None];
        for (slot, name) in rest.iter_mut().zip(["args", "kwargs"]) {
            let at = self.at.field(name);
            match self.element(Seed::<Any>::new(&at, self.hr, 1))? {
                Some(v) => {
                    self.read += 1;
                    *slot = Some(v.unwrap_or_default());
                }
                None => break,
            }
        }
        self.end()?;
        let enc = std::mem::take(&mut self.enc);
        let [first, second] = rest;
        Payload::from_tail(first, second, enc, &self.at.field(dict), self.at, args_nullable).map_err(Error::into_de)
    }
    fn end(&mut self) -> Result<(), A::Error> {
        match self.element(Skip::new(self.at, self.hr, 1))? {
            None => Ok(()),
            Some(()) => {
                self.read += 1;
                Err(self.length_error())
            }
        }
    }
}

/// Where a message's positions are written: a [`Value`] list, a serde
/// sequence, or a count of its elements.
pub trait ListWriter {
    /// The error of this writer.
    type Error;
    /// A position written by codec `C`.
    fn item<C: Codec + ?Sized>(&mut self, x: &C::Out) -> Result<(), Self::Error>;
    /// A record position; `payload`, when given, adds its `enc_*` keys to
    /// the dict; an `optional` one is left out when its dict is empty.
    fn dict<T: Record>(&mut self, x: &T, payload: Option<&Payload>, optional: bool) -> Result<(), Self::Error>;
    /// The payload at the end.
    fn payload(&mut self, p: &Payload) -> Result<(), Self::Error>;

    /// A position that may be `null`.
    fn item_or_null<C: Codec + ?Sized>(&mut self, x: &Option<C::Out>) -> Result<(), Self::Error> {
        match x {
            Some(x) => self.item::<C>(x),
            None => self.item::<Any>(&Value::Null),
        }
    }
}

pub(crate) use super::table::writes_nothing;

struct ValueList(Vec<Value>);

impl ListWriter for ValueList {
    type Error = std::convert::Infallible;
    fn item<C: Codec + ?Sized>(&mut self, x: &C::Out) -> Result<(), Self::Error> {
        self.0.push(C::to_value(x));
        Ok(())
    }
    fn dict<T: Record>(&mut self, x: &T, payload: Option<&Payload>, optional: bool) -> Result<(), Self::Error> {
        let mut m = super::table::to_map(x);
        if let Some(p) = payload {
            p.write_enc(&mut m);
        }
        if !(optional && m.is_empty()) {
            self.0.push(Value::Map(m));
        }
        Ok(())
    }
    fn payload(&mut self, p: &Payload) -> Result<(), Self::Error> {
        p.write_tail(&mut self.0);
        Ok(())
    }
}

pub(crate) struct Len(pub(crate) usize);

impl ListWriter for Len {
    type Error = std::convert::Infallible;
    fn item<C: Codec + ?Sized>(&mut self, _: &C::Out) -> Result<(), Self::Error> {
        self.0 += 1;
        Ok(())
    }
    fn dict<T: Record>(&mut self, x: &T, _: Option<&Payload>, optional: bool) -> Result<(), Self::Error> {
        self.0 += usize::from(!(optional && writes_nothing(x)));
        Ok(())
    }
    fn payload(&mut self, p: &Payload) -> Result<(), Self::Error> {
        self.0 += p.tail_len();
        Ok(())
    }
}

struct SeqWriter<'a, S>(&'a mut S);

impl<S: SerializeSeq> ListWriter for SeqWriter<'_, S> {
    type Error = S::Error;
    fn item<C: Codec + ?Sized>(&mut self, x: &C::Out) -> Result<(), S::Error> {
        self.0.serialize_element(&Enc::<C>(x))
    }
    fn dict<T: Record>(&mut self, x: &T, payload: Option<&Payload>, optional: bool) -> Result<(), S::Error> {
        match payload {
            Some(p @ Payload::Encoded { .. }) => {
                let mut m = super::table::to_map(x);
                p.write_enc(&mut m);
                self.0.serialize_element(&m)
            }
            _ if optional && writes_nothing(x) => Ok(()),
            _ => self.0.serialize_element(&Enc::<Rec<T>>(x)),
        }
    }
    fn payload(&mut self, p: &Payload) -> Result<(), S::Error> {
        p.serialize_tail(self.0)
    }
}

/// Reads a message of type `T` from its list, code included: decodes it
/// from the value.
pub fn parse<T: Variant>(value: &Value) -> Result<T, Error> {
    decode_message(value)
}

/// The list autobahn-python's `marshal()` writes for a message.
pub fn marshal<T: MessageType>(x: &T) -> Value {
    let mut list = ValueList(vec![Value::Int(i128::from(T::CODE))]);
    match x.write(&mut list) {
        Ok(()) => Value::List(list.0),
        Err(never) => match never {},
    }
}

/// Writes a message to a serde format: the list [`marshal`] gives,
/// without building it.
pub fn serialize<T: MessageType, S: Serializer>(x: &T, s: S) -> Result<S::Ok, S::Error> {
    let mut len = Len(1);
    match x.write(&mut len) {
        Ok(()) => {}
        Err(never) => match never {},
    }
    let mut seq = s.serialize_seq(Some(len.0))?;
    seq.serialize_element(&T::CODE)?;
    x.write(&mut SeqWriter(&mut seq))?;
    seq.end()
}

/// A message type, or the enum of all of them, that reads itself from a
/// serde sequence once its code is known.
pub trait DecodeSeq: Sized {
    /// The name errors start with: `Message`, or a message's own (`CALL`).
    const ROOT: &'static str;
    /// What the code may be, for errors.
    const KNOWN: &'static str;
    /// Hands `v` the message type that `code` names, with how to make
    /// `Self` of it, or tells it that no message here has that code.
    fn by_code<V: ByCode<Self>>(code: u64, v: V) -> V::Out;
    /// Reads the elements after the code.
    #[inline]
    fn decode_seq<'de, A: SeqAccess<'de>>(code: u64, seq: A, hr: bool) -> Result<Self, A::Error> {
        Self::by_code(code, SeqRead { seq, hr, to: PhantomData })
    }
}

impl<T: Variant> DecodeSeq for T {
    const ROOT: &'static str = T::NAME;
    const KNOWN: &'static str = T::KNOWN;
    #[inline]
    fn by_code<V: ByCode<Self>>(code: u64, v: V) -> V::Out {
        if code == T::CODE { v.read::<T>(|x| x) } else { v.unknown(code) }
    }
}

/// What is done with a message type once a code has named it
/// ([`DecodeSeq::by_code`]): the one dispatch from codes to messages,
/// which every reader of whole messages goes through, and the
/// serializers' writer (which finds the message again with [`Variant`]).
pub trait ByCode<M> {
    /// What the reader gives.
    type Out;
    /// Reads a message of type `T`, made into an `M` by `wrap` as it is built.
    fn read<T: Variant>(self, wrap: impl FnOnce(T) -> M + Copy) -> Self::Out;
    /// A code that names no message of `M`.
    fn unknown(self, code: u64) -> Self::Out;
}

/// Reads the elements after the code from a serde sequence.
struct SeqRead<'de, A, M> {
    seq: A,
    hr: bool,
    to: PhantomData<fn(&'de ()) -> M>,
}

impl<'de, A: SeqAccess<'de>, M: DecodeSeq> ByCode<M> for SeqRead<'de, A, M> {
    type Out = Result<M, A::Error>;
    #[inline]
    fn read<T: Variant>(self, wrap: impl FnOnce(T) -> M + Copy) -> Self::Out {
        decode_items::<T, A>(self.seq, &Path::Root(T::NAME), self.hr).map(wrap)
    }
    fn unknown(self, code: u64) -> Self::Out {
        Err(wrong_code(M::ROOT, M::KNOWN, code))
    }
}

/// Reads the elements after the code of a message of type `T`.
fn decode_items<'de, T: MessageType, A: SeqAccess<'de>>(seq: A, at: &Path<'_>, hr: bool) -> Result<T, A::Error> {
    let mut r = Reader::new::<T>(seq, at, hr);
    // The message is returned as read, not moved into another `Result`.
    let x = T::read(&mut r);
    if x.is_ok() {
        r.end()?;
    }
    x
}

/// Decodes a message of type `T` from any self-describing serde format:
/// a non-empty list whose first element is an integer code, then what
/// `T` reads.
pub fn decode_message<'de, T: DecodeSeq, D: de::Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    let hr = d.is_human_readable();
    d.deserialize_any(MessageVisitor { hr, put: PhantomData::<T> })
}

/// Reads a whole message, as [`decode_message`] does, into `slot`: the
/// seed gives nothing back, so that the message (which is large) is not
/// moved again through the format crate's functions on its way out; it is
/// moved once, from what the message's `decode_seq` gives into the slot.
#[cfg_attr(not(feature = "json"), allow(dead_code))]
pub(crate) struct MessageInto<'s, T>(pub(crate) &'s mut Option<T>);

impl<'de, T: DecodeSeq> DeserializeSeed<'de> for MessageInto<'_, T> {
    type Value = ();
    #[inline]
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        let hr = d.is_human_readable();
        d.deserialize_any(MessageVisitor { hr, put: self.0 })
    }
}

/// Where [`MessageVisitor`] hands the message it read: given back
/// (`PhantomData`), or put in a slot.
trait Put {
    type Message: DecodeSeq;
    type Out;
    fn put<E>(self, read: Result<Self::Message, E>) -> Result<Self::Out, E>;
}

impl<T: DecodeSeq> Put for PhantomData<T> {
    type Message = T;
    type Out = T;
    #[inline(always)]
    fn put<E>(self, read: Result<T, E>) -> Result<T, E> {
        read
    }
}

impl<T: DecodeSeq> Put for &mut Option<T> {
    type Message = T;
    type Out = ();
    #[inline(always)]
    fn put<E>(self, read: Result<T, E>) -> Result<(), E> {
        read.map(|x| *self = Some(x))
    }
}

/// Reads a message's list, and hands the message to `put`.
struct MessageVisitor<P> {
    hr: bool,
    put: P,
}

impl<P: Put> MessageVisitor<P> {
    fn refuse<E: de::Error>(&self, got: impl Into<String>) -> E {
        Error::into_de(Error::new(&Path::Root(P::Message::ROOT), A_MESSAGE, got))
    }
}

impl<'de, P: Put> Visitor<'de> for MessageVisitor<P> {
    type Value = P::Out;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(A_MESSAGE)
    }
    #[inline]
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<P::Out, A::Error> {
        let (root, known) = (P::Message::ROOT, P::Message::KNOWN);
        match seq.next_element_seed(CodeSeed { root, known, hr: self.hr })? {
            Some(code) => self.put.put(P::Message::decode_seq(code, seq, self.hr)),
            None => Err(self.refuse("an empty list")),
        }
    }
    refuse_visits!('de; bool int float str bytes null map wrapped);
}

/// Reads a message's options or details dict; with `enc`, keeps its `enc_*` keys there.
pub(crate) struct DictSeed<'a, 'e, T> {
    at: &'a Path<'a>,
    hr: bool,
    enc: Option<&'e mut EncKeys>,
    record: PhantomData<fn() -> T>,
}

impl<'a, 'e, T> DictSeed<'a, 'e, T> {
    pub(crate) fn new(at: &'a Path<'a>, hr: bool, enc: Option<&'e mut EncKeys>) -> Self {
        DictSeed { at, hr, enc, record: PhantomData }
    }

    fn refuse<E: de::Error>(&self, got: impl Into<String>) -> E {
        Error::into_de(Error::new(self.at, "map", got))
    }
}

impl<'de, T: Record> DeserializeSeed<'de> for DictSeed<'_, '_, T> {
    type Value = T;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T: Record> Visitor<'de> for DictSeed<'_, '_, T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map")
    }
    fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<T, M::Error> {
        super::record::decode_map(map, self.at, self.hr, 1, self.enc)
    }
    refuse_visits!('de; bool int float str bytes null list wrapped);
}

/// Reads the code at the head of a message: an integer, not a boolean or a float.
struct CodeSeed<'a> {
    /// The name errors start with.
    root: &'static str,
    /// What a code must be, for the error.
    known: &'a str,
    /// Whether the format is human-readable.
    hr: bool,
}

impl<'de> DeserializeSeed<'de> for CodeSeed<'_> {
    type Value = u64;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<u64, D::Error> {
        d.deserialize_any(self)
    }
}

impl CodeSeed<'_> {
    fn refuse<E: de::Error>(&self, got: impl Into<String>) -> E {
        Error::into_de(Error::new(&Path::Root(self.root).index(0), self.known, got))
    }
}

impl<'de> Visitor<'de> for CodeSeed<'_> {
    type Value = u64;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.known)
    }
    fn visit_u64<E: de::Error>(self, u: u64) -> Result<u64, E> {
        Ok(u)
    }
    fn visit_i64<E: de::Error>(self, i: i64) -> Result<u64, E> {
        u64::try_from(i).map_err(|_| self.refuse(format!("integer {i}")))
    }
    fn visit_i128<E: de::Error>(self, i: i128) -> Result<u64, E> {
        u64::try_from(i).map_err(|_| self.refuse(format!("integer {i}")))
    }
    fn visit_u128<E: de::Error>(self, u: u128) -> Result<u64, E> {
        u64::try_from(u).map_err(|_| self.refuse(format!("integer {u}")))
    }
    refuse_visits!('de; bool float str bytes null list map wrapped);
}

/// The error for a code that is not the one a message type has.
#[doc(hidden)]
pub fn wrong_code<E: de::Error>(root: &'static str, known: &'static str, code: u64) -> E {
    Error::into_de(Error::new(&Path::Root(root).index(0), known, format!("integer {code}")))
}

/// The value of an integer position that must be one of `allowed` (ERROR's
/// request type): read as any integer, so that a value outside the list,
/// negative ones included, is refused naming the list.
pub fn one_of(x: i128, allowed: &[u64], at: &Path<'_>) -> Result<u64, Error> {
    match u64::try_from(x) {
        Ok(u) if allowed.contains(&u) => Ok(u),
        _ => Err(not_one_of(x, allowed, at)),
    }
}

#[cold]
#[inline(never)]
fn not_one_of(x: i128, allowed: &[u64], at: &Path<'_>) -> Error {
    let shown: Vec<String> = allowed.iter().map(u64::to_string).collect();
    Error::new(at, format!("one of {}", shown.join(", ")), format!("integer {x}"))
}

/// Checks that a position is 0 while the field `when` (a `position.key`
/// path) is set, as autobahn-python's constructor asserts.
#[inline]
pub fn zero_while(x: impl Into<i128>, at: &Path<'_>, key: &'static str, when: &'static str) -> Result<(), Error> {
    let x = x.into();
    if x == 0 { Ok(()) } else { Err(not_zero(x, at, key, when)) }
}

#[cold]
#[inline(never)]
fn not_zero(x: i128, at: &Path<'_>, key: &'static str, when: &'static str) -> Error {
    Error::new(&at.field(key), format!("0 while {when} is set"), format!("integer {x}"))
}

/// Checks that a position, or the field `field` of a dict position, is not 0.
#[inline]
pub fn nonzero(x: impl Into<i128>, at: &Path<'_>, key: &'static str, field: Option<&'static str>) -> Result<(), Error> {
    if x.into() != 0 { Ok(()) } else { Err(zero(at, key, field)) }
}

#[cold]
#[inline(never)]
fn zero(at: &Path<'_>, key: &'static str, field: Option<&'static str>) -> Error {
    let here = at.field(key);
    match field {
        Some(f) => Error::new(&here.field(f), "a value other than 0", "integer 0"),
        None => Error::new(&here, "a value other than 0", "integer 0"),
    }
}

/// A message type as a variant of the `Message` enum: the way back from
/// the enum to the type that [`DecodeSeq::by_code`] names.
pub trait Variant: MessageType + serde::Serialize {
    /// The message, if `m` is one of this type (for the serializers).
    #[cfg_attr(not(any(feature = "json", feature = "msgpack", feature = "cbor")), allow(dead_code))]
    fn of(m: &crate::Message) -> Option<&Self>;
}

/// `From` into the `Message` enum and back ([`Variant`]), `Serialize` and
/// `Deserialize` for a message type.
macro_rules! message_impls {
    ($t:ident, $variant:ident) => {
        impl From<$t> for crate::Message {
            fn from(m: $t) -> Self {
                crate::Message::$variant(m)
            }
        }

        impl $crate::runtime::message::Variant for $t {
            #[inline]
            fn of(m: &crate::Message) -> Option<&Self> {
                match m {
                    crate::Message::$variant(x) => Some(x),
                    _ => None,
                }
            }
        }

        impl serde::Serialize for $t {
            /// Writes the list that `marshal` gives, without building it.
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                $crate::runtime::message::serialize(self, s)
            }
        }

        impl<'de> serde::Deserialize<'de> for $t {
            /// Reads the message straight from the format, with the checks and errors of `parse`.
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::runtime::message::decode_message(d)
            }
        }
    };
}
pub(crate) use message_impls;
