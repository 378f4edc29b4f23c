//! Decoding and encoding whole messages with the serializers: the part of
//! [`Serializer`] that names the generated messages, built with any of the
//! format features.

use super::serializer::{Serializer, Wire, WireFn, try_with_wire};
use crate::Message;
use crate::runtime::error::Error;
use crate::runtime::message::MessageType;

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

/// Calls `$then!` with the messages that carry a payload, as `Variant => Struct`.
macro_rules! payload_messages {
    ($then:ident) => {
        $then!(
            Publish => PublishMessage, Event => EventMessage, Call => CallMessage, Invocation => InvocationMessage,
            Yield => YieldMessage, Result => ResultMessage, Error => ErrorMessage
        )
    };
}

impl WireFn for KeptDecode<'_> {
    type Out = Result<Message, Error>;
    fn call<W: Wire>(self) -> Result<Message, Error> {
        let b = self.0;
        // What the kept path does not read, or refuses, the full decode
        // reads, or refuses with its own error.
        let full = || {
            Error::clear_handed();
            W::full(b)
        };
        let (mut el, mut valid) = ([(0, 0); super::MAX_ELEMENTS], [super::scan::Sure::UNSEEN; super::MAX_ELEMENTS]);
        let Some(n) = super::elements::<W>(b, &mut el, &mut valid) else { return full() };
        let (el, valid) = (&el[..n], &valid[..n]);
        let (s, e) = el[0];
        let code: u64 = match W::de_head(&b[s..e], std::marker::PhantomData::<u64>) {
            Ok(code) => code,
            Err(_) => match W::de(&b[s..e], std::marker::PhantomData::<u64>) {
                Ok(code) => code,
                Err(_) => return full(),
            },
        };
        // Each message is built where the `Message` is, not moved into it.
        macro_rules! by_code {
            ($($variant:ident => $ty:ident),*) => {
                $(if code == <crate::$ty as MessageType>::CODE {
                    let m = super::read::<crate::$ty, W, Message>(b, el, valid, Message::$variant);
                    if m.is_ok() {
                        return m;
                    }
                    return full();
                })*
            };
        }
        payload_messages!(by_code);
        full()
    }
}

struct Encode<'m, 'o>(&'m Message, &'o mut Vec<u8>);

impl WireFn for Encode<'_, '_> {
    type Out = Result<(), Error>;
    fn call<W: Wire>(self) -> Result<(), Error> {
        let Encode(m, out) = self;
        macro_rules! spliced {
            ($($variant:ident => $ty:ident),*) => {
                match m {
                    $(Message::$variant(x) if matches!(&x.payload, crate::Payload::Kept(k) if k.format() == W::SERIALIZER) => {
                        return super::write::<crate::$ty, W>(x, out);
                    })*
                    _ => {}
                }
            };
        }
        payload_messages!(spliced);
        W::ser(out, m)
    }
}
