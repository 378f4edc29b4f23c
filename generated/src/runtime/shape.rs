//! Shapes: what the schema says about each generated type, as data.
//!
//! Every generated type implements [`HasShape`]: a description of
//! its dict form (the wire key, kind and presence rule of each field, the
//! range bounds, conflicts, requirements, truthiness and `message_attr`
//! entry). A record's shape is its field table, the same data the runtime
//! reads and writes records with (see `Record::FIELDS`). Generic code
//! reads it to build values that the type accepts, e.g. the property tests,
//! which generate valid dicts for every type from its shape instead of from
//! per-type code.

use std::borrow::Cow;

use super::record::UnknownKeys;
use super::uri::UriRule;
use super::value::Value;

/// A type whose dict form is described by a [`Shape`].
pub trait HasShape {
    /// The description of the type's dict form.
    fn shape() -> &'static Shape;
}

/// The shape of `T`, as a function: how a field refers to a nested record
/// (a function rather than the constant itself, so that shapes may refer to
/// each other in cycles).
pub fn shape_of<T: HasShape>() -> &'static Shape {
    T::shape()
}

/// The dict form of one type.
#[derive(Debug)]
pub struct Shape {
    /// The type's name, as autobahn-python spells it.
    pub name: &'static str,
    /// Its fields in schema order (for a union: one per answer).
    pub fields: &'static [Field],
    /// What the type does with keys it does not know.
    pub unknown: UnknownKeys,
    /// Whether the dict holds exactly one of the fields (a union, whose
    /// single key names the answer).
    pub one_key: bool,
    /// Whether at least one field must be set (`non_empty` in the schema).
    pub non_empty: bool,
}

impl Shape {
    /// The field with wire key `key`, if any.
    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }
}

/// One key of a dict form.
#[derive(Clone, Debug)]
pub struct Field {
    /// The dict key.
    pub key: &'static str,
    /// What the key holds.
    pub kind: Kind,
    /// Whether the key must be present, and whether it may hold `null`.
    pub presence: Presence,
    /// The value must be greater than this bound (number fields only).
    pub gt: Option<f64>,
    /// The wire key of the field that must be unset while this one is set.
    pub conflicts_with: Option<&'static str>,
    /// The wire key of the field that must be set while this one holds a
    /// truthy value.
    pub requires: Option<&'static str>,
    /// Whether a value that is not truthy in Python's sense is read as
    /// unset (and not written).
    pub truthy: bool,
    /// Its entry in the options dict sent in the WAMP message, if any.
    pub attr: Option<Attr>,
}

/// A field's entry in the options dict sent in the WAMP message
/// (`message_attr()`), written when the field is set.
#[derive(Clone, Copy, Debug)]
pub struct Attr {
    /// The key in that dict.
    pub key: &'static str,
    /// The fixed value sent, if not the field's own.
    pub value: Option<fn() -> Value>,
}

impl Field {
    /// A field with no bound, conflict or requirement.
    pub const fn new(key: &'static str, kind: Kind, presence: Presence) -> Field {
        Field { key, kind, presence, gt: None, conflicts_with: None, requires: None, truthy: false, attr: None }
    }

    /// The same field, refusing `null` (absent still leaves it unset).
    pub const fn strict(self) -> Field {
        Field { presence: Presence::NotNull, ..self }
    }

    /// The same field, whose key must be present (`null` leaves it unset).
    pub const fn required_key(self) -> Field {
        Field { presence: Presence::RequiredKey, ..self }
    }

    /// The same field, whose value must be greater than `bound`.
    pub const fn gt(self, bound: f64) -> Field {
        Field { gt: Some(bound), ..self }
    }

    /// The same field, which must be unset while the field `key` is set.
    pub const fn conflicts_with(self, key: &'static str) -> Field {
        Field { conflicts_with: Some(key), ..self }
    }

    /// The same field, which requires the field `key` while it holds a
    /// truthy value.
    pub const fn requires(self, key: &'static str) -> Field {
        Field { requires: Some(key), ..self }
    }

    /// The same field, read as unset (and not written) when not truthy.
    pub const fn truthy(self) -> Field {
        Field { truthy: true, ..self }
    }

    /// The same field, sent by `message_attr()` under `key` when set.
    pub const fn attr(self, key: &'static str) -> Field {
        Field { attr: Some(Attr { key, value: None }), ..self }
    }

    /// The same field, for which `message_attr()` sends the fixed `value`
    /// under `key` when it is set.
    pub const fn attr_value(self, key: &'static str, value: fn() -> Value) -> Field {
        Field { attr: Some(Attr { key, value: Some(value) }), ..self }
    }
}

/// Whether a key must be present, and what `null` means for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    /// May be absent or `null`: either leaves the field unset.
    Optional,
    /// May be absent (the field is unset); `null` is refused.
    NotNull,
    /// Must be present and not `null`.
    Required,
    /// Must be present; may be `null`.
    RequiredKey,
    /// May be absent (then the default applies); `null` gives the default
    /// too when `nullable`, and is refused otherwise.
    Default {
        /// Whether `null` stands for the default.
        nullable: bool,
    },
}

/// What a field holds.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// A boolean.
    Bool,
    /// A boolean, or a number equal to 0 or 1.
    Flag,
    /// An integer.
    Int,
    /// A float.
    Float,
    /// An integer or a float.
    Number,
    /// A string.
    Str,
    /// A string that is a URI (dot-separated non-empty components).
    Uri,
    /// A WAMP ID: an integer from 0 to 2^53.
    Id,
    /// A byte string.
    Bytes,
    /// A string of `2 * N` hex digits standing for `N` bytes.
    Hex(usize),
    /// Any value.
    Any,
    /// A map with string keys and values of any kind.
    Map,
    /// A callback: set in code, only ever `null` in data.
    Callback,
    /// A runtime handle: set in code, only ever `null` in data.
    Handle,
    /// A list whose elements are all of one kind.
    List(&'static Kind),
    /// One element of a kind, or a list of them.
    OneOrList(&'static Kind),
    /// A map whose keys are the strings of an enum, and whose values are
    /// all of one kind.
    MapOf(&'static Enum, &'static Kind),
    /// A nested record (see [`shape_of`]).
    Record(fn() -> &'static Shape),
    /// One of the strings of an enum.
    Enum(&'static Enum),
}

impl Kind {
    /// What a field of this kind accepts, for error messages: the one
    /// description every codec of the kind refuses a value with.
    pub fn expected(&self) -> Cow<'static, str> {
        match self {
            Kind::Bool => "boolean".into(),
            Kind::Flag => "boolean (or a number equal to 0 or 1)".into(),
            Kind::Int => "integer".into(),
            Kind::Float => "float".into(),
            Kind::Number => "integer or float".into(),
            Kind::Str => "string".into(),
            Kind::Uri => UriRule::Exact.expected().into(),
            Kind::Id => "an ID (an integer from 0 to 2^53)".into(),
            Kind::Bytes => "bytes".into(),
            Kind::Hex(n) => format!("string of {} hex digits", 2 * n).into(),
            Kind::Any => "any value".into(),
            Kind::Map | Kind::Record(_) => "map".into(),
            Kind::Callback | Kind::Handle => "null (this field is set in code, not carried as data)".into(),
            Kind::List(k) => format!("list of {}", k.expected()).into(),
            Kind::OneOrList(k) => format!("{} or list of {}", k.expected(), k.expected()).into(),
            Kind::MapOf(keys, v) => format!("map from {} to {}", keys.expected(), v.expected()).into(),
            Kind::Enum(e) => e.expected().into(),
        }
    }
}

/// An enum of the schema: a fixed set of wire strings.
#[derive(Debug)]
pub struct Enum {
    /// The enum's name in the schema.
    pub name: &'static str,
    /// Its wire strings, in schema order.
    pub wires: &'static [&'static str],
}

impl Enum {
    /// What a field of this enum accepts, for error messages: one of its
    /// wire strings.
    pub fn expected(&self) -> String {
        let names: Vec<String> = self.wires.iter().map(|w| format!("{w:?}")).collect();
        format!("one of {}", names.join(", "))
    }
}
