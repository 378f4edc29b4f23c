//! Hand-written support for the generated types: the dynamic [`Value`],
//! errors with field paths, and the codecs that every generated `parse`,
//! `marshal` and serde implementation calls. Codegen never writes here.

pub(crate) mod bridge;
pub(crate) mod codec;
mod deep;
mod error;
mod flag;
mod handle;
pub(crate) mod kept;
mod map;
pub(crate) mod message;
pub(crate) mod payload;
pub(crate) mod record;
pub mod shape;
mod skip;
pub(crate) mod table;
pub(crate) mod uri;
mod value;
mod value_de;
mod value_from;
mod value_ser;
mod value_serde;
mod value_text;

pub use bridge::Truthy;
pub use error::{Error, Path};
pub use flag::{Flag, FlagCodec};
pub use handle::{Callback, Handle};
pub use kept::{KeptPayload, Serializer, msgpack_not_utf8};
pub use map::{MapIter, MapIterMut};
pub use payload::Payload;
pub use record::UnknownKeys;
pub use uri::{UriRule, is_uri};
pub use value::{Key, Map, Number, Value};
pub use value_ser::{from_value, to_value};
pub use value_text::error_message;

use serde::Serialize;
use serde::de::DeserializeOwned;

/// What every generated type offers to generic code: its name, `parse`
/// from a [`Value`] and `marshal` back to one, and serde both ways.
pub trait WampType: Sized + Clone + std::fmt::Debug + PartialEq + Serialize + DeserializeOwned {
    /// The type's name as autobahn-python spells it.
    const NAME: &'static str;
    /// The names of its callback fields (for the conformance replay; not
    /// part of the public API).
    #[doc(hidden)]
    const CALLBACKS: &'static [&'static str] = &[];

    /// Validated construction from a dict: the same as
    /// `Self::deserialize(value)`, since `&Value` is a serde `Deserializer`
    /// whose error is this crate's [`Error`].
    fn parse(value: &Value) -> Result<Self, Error> {
        Self::deserialize(value)
    }

    /// The dict of all data fields.
    fn marshal(&self) -> Value;

    /// The same dict as [`WampType::marshal`], moving the fields into it
    /// instead of copying them.
    fn into_marshal(self) -> Value {
        self.marshal()
    }

    /// The options dict sent in a WAMP message, for the types that have one
    /// (for the conformance replay; not part of the public API).
    #[doc(hidden)]
    fn message_attr_dict(&self) -> Option<Value> {
        None
    }

    /// The callback field called `name`, to set it or see whether it is set
    /// (for the conformance replay; not part of the public API).
    #[doc(hidden)]
    fn callback_mut(&mut self, name: &str) -> Option<&mut Option<Callback>> {
        let _ = name;
        None
    }
}

/// Every record is a [`WampType`] through its dict form.
impl<T> WampType for T
where
    T: record::Record + Clone + std::fmt::Debug + PartialEq + Serialize + DeserializeOwned,
{
    const NAME: &'static str = <T as record::Record>::NAME;
    const CALLBACKS: &'static [&'static str] = <T as record::Record>::CALLBACKS;

    fn marshal(&self) -> Value {
        Value::Map(table::to_map(self))
    }

    fn into_marshal(self) -> Value {
        Value::Map(table::into_map(self))
    }

    fn message_attr_dict(&self) -> Option<Value> {
        (<T as record::Record>::MASKS.has_attrs()).then(|| table::message_attr(self))
    }

    fn callback_mut(&mut self, name: &str) -> Option<&mut Option<Callback>> {
        table::callback_mut(self, name)
    }
}
