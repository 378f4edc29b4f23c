//! Decoding and encoding whole messages with the serializers: the part of
//! [`Serializer`] that names the generated messages, built with any of the
//! format features.

use std::marker::PhantomData;

use super::serializer::{Serializer, Wire, WireFn, try_with_wire};
use crate::Message;
use crate::runtime::error::Error;
use crate::runtime::message::{ByCode, DecodeSeq, Variant};

impl Serializer {
    /// Decodes one message, as autobahn-python's serializer and the
    /// message's `parse()` read it (MessagePack: nothing may follow it;
    /// CBOR: what follows is ignored, as cbor2 ignores it).
    pub fn decode(self, bytes: &[u8]) -> Result<Message, Error> {
        Error::clear_handed();
        try_with_wire(self, Full(bytes))
    }

    /// Decodes one message as [`decode`](Self::decode) does, but keeps the
    /// arguments of PUBLISH, EVENT, CALL, INVOCATION, YIELD, RESULT and
    /// ERROR as their bytes ([`Payload::Kept`](crate::Payload::Kept)),
    /// checked and not built. It accepts and refuses what `decode` does,
    /// with the same errors, except for what autobahn-python's decoder
    /// reads and a [`Value`](crate::Value) cannot hold (CBOR map keys that
    /// are integers or null, MessagePack and CBOR keys that are byte
    /// strings, in the arguments): those are kept, and refused only when
    /// decoded to values.
    pub fn decode_kept(self, bytes: &[u8]) -> Result<Message, Error> {
        Error::clear_handed();
        try_with_wire(self, KeptDecode(bytes))
    }

    /// Encodes a message. Kept arguments of the same format are copied as
    /// they are; of another format, decoded and written anew.
    pub fn encode(self, message: &Message) -> Result<Vec<u8>, Error> {
        let mut out = Vec::new();
        self.encode_into(message, &mut out)?;
        Ok(out)
    }

    /// [`encode`](Self::encode), appending to `out`.
    pub fn encode_into(self, message: &Message, out: &mut Vec<u8>) -> Result<(), Error> {
        Error::clear_handed();
        try_with_wire(self, Encode(message, out))
    }
}

struct Full<'b>(&'b [u8]);

impl WireFn for Full<'_> {
    type Out = Result<Message, Error>;
    #[inline]
    fn call<W: Wire>(self) -> Result<Message, Error> {
        W::full(self.0)
    }
}

struct KeptDecode<'b>(&'b [u8]);

impl WireFn for KeptDecode<'_> {
    type Out = Result<Message, Error>;
    fn call<W: Wire>(self) -> Result<Message, Error> {
        W::whole_kept(self.0, split::<W>)
    }
}

/// [`Serializer::decode_kept`] with the message split into its elements
/// first, each then read from its own bytes: for a format without a
/// direct reader, and what that reader leaves.
#[inline]
fn split<W: Wire>(b: &[u8]) -> Result<Message, Error> {
    let (mut el, mut valid) = ([(0, 0); super::MAX_ELEMENTS], [super::scan::Sure::UNSEEN; super::MAX_ELEMENTS]);
    let Some(n) = super::elements::<W>(b, &mut el, &mut valid) else { return full::<W>(b) };
    let (el, valid) = (&el[..n], &valid[..n]);
    let (s, e) = el[0];
    let code: u64 = match W::de_head(&b[s..e], PhantomData::<u64>) {
        Ok(code) => code,
        Err(_) => match W::de(&b[s..e], PhantomData::<u64>) {
            Ok(code) => code,
            Err(_) => return full::<W>(b),
        },
    };
    Message::by_code(code, KeptRead::<W> { b, el, valid, wire: PhantomData })
}

/// What the kept path does not read, or refuses, the full decode reads,
/// or refuses with its own error.
#[cold]
fn full<W: Wire>(b: &[u8]) -> Result<Message, Error> {
    Error::clear_handed();
    W::full(b)
}

/// Reads the message that the code names with its payload kept.
struct KeptRead<'b, 'e, W> {
    b: &'b [u8],
    el: &'e [(usize, usize)],
    valid: &'e [super::scan::Sure],
    wire: PhantomData<W>,
}

impl<W: Wire> ByCode<Message> for KeptRead<'_, '_, W> {
    type Out = Result<Message, Error>;
    /// The message is built where the `Message` is, not moved into it.
    #[inline(always)]
    fn read<T: Variant>(self, wrap: impl FnOnce(T) -> Message + Copy) -> Self::Out {
        let m = super::read::<T, W, Message>(self.b, self.el, self.valid, wrap);
        if m.is_ok() { m } else { full::<W>(self.b) }
    }
    fn unknown(self, _code: u64) -> Self::Out {
        full::<W>(self.b)
    }
}

struct Encode<'m, 'o>(&'m Message, &'o mut Vec<u8>);

impl WireFn for Encode<'_, '_> {
    type Out = Result<(), Error>;
    fn call<W: Wire>(self) -> Result<(), Error> {
        let Encode(m, out) = self;
        Message::by_code(m.code(), Write::<W> { m, out, wire: PhantomData })
    }
}

/// Writes the message, of the type its code names: its kept arguments of
/// the same format copied as they are.
struct Write<'m, 'o, W> {
    m: &'m Message,
    out: &'o mut Vec<u8>,
    wire: PhantomData<W>,
}

impl<W: Wire> ByCode<Message> for Write<'_, '_, W> {
    type Out = Result<(), Error>;
    #[inline(always)]
    fn read<T: Variant>(self, _: impl FnOnce(T) -> Message + Copy) -> Self::Out {
        let x = T::of(self.m).expect("a message's code names its own type");
        if super::kept_in::<T, W>(x) { super::write::<T, W>(x, self.out) } else { W::ser(self.out, x) }
    }
    fn unknown(self, code: u64) -> Self::Out {
        unreachable!("a message's code {code} names its own type")
    }
}
