//! The schema as written in `schema/*.yaml`: plain data, read strictly
//! (an unknown key anywhere is an error). `schema/README.md` documents it.
//!
//! A key is required unless its field has `#[serde(default)]`; `load.rs`
//! reads both facts from these derives, so this file is the one list of keys.

use serde::Deserialize;

/// One schema file: a module of the generated crate.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct File {
    /// What the module holds, for its module docs.
    pub doc: String,
    /// Enumerations: a fixed set of wire strings.
    #[serde(default)]
    pub enums: Vec<Enum>,
    /// Records: dicts with fixed keys.
    #[serde(default)]
    pub records: Vec<Record>,
    /// Unions: one of several records.
    #[serde(default)]
    pub unions: Vec<Union>,
    /// WAMP messages: lists that start with a message code.
    #[serde(default)]
    pub messages: Vec<Message>,
    /// Modules of URI constants: the error and close URIs of the protocol.
    #[serde(default)]
    pub uri_constants: Vec<UriModule>,
}

/// A module of URI constants (`pub const NAME: &str`), re-exported at the
/// crate root.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UriModule {
    /// The module name (snake_case), unique in the schema.
    pub module: String,
    /// The module docs.
    pub doc: String,
    /// The constants, at least one.
    pub uris: Vec<UriConstant>,
}

/// One URI constant.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UriConstant {
    /// The constant name (UPPER_SNAKE_CASE), unique in its module.
    pub name: String,
    /// The URI.
    pub uri: String,
    /// Its docs: what it means and who defines it.
    pub doc: String,
}

/// A dict with fixed keys: a Rust struct.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// The Rust type name (UpperCamelCase).
    pub name: String,
    /// The type docs.
    pub doc: String,
    /// `refuse` (autobahn's constructors) or `ignore` (its `parse()` methods).
    #[serde(default)]
    pub unknown_keys: UnknownKeys,
    /// Whether this is one of autobahn's public types (listed in the
    /// registry) or a helper shape such as a `forward_for` entry.
    #[serde(default = "yes")]
    pub public: bool,
    /// The fields, in order.
    pub fields: Vec<Field>,
    /// String constants on the type.
    #[serde(default)]
    pub constants: Vec<Constant>,
    /// Values of the record, each a `pub const` of it.
    #[serde(default)]
    pub values: Vec<RecordValue>,
    /// The keys of `message_attr()`, in order; absent when the type has none.
    #[serde(default)]
    pub message_attr: Option<Vec<MessageAttr>>,
    /// Methods that join the wire strings of enum fields.
    #[serde(default)]
    pub derived: Vec<Derived>,
    /// Constructors from another record.
    #[serde(default)]
    pub conversions: Vec<Conversion>,
    /// What a key holding `null` means: `unset` (the default) or `refuse`.
    #[serde(default)]
    pub nulls: Nulls,
    /// Which keys `marshal` writes: `all` (the default) or only those `set`.
    #[serde(default)]
    pub marshal: Marshal,
    /// Whether an empty dict is refused.
    #[serde(default)]
    pub non_empty: bool,
    /// Keys refused although no field names them (with `unknown_keys`
    /// other than `refuse`): autobahn passes the dict as keyword arguments,
    /// and Python refuses `self` there.
    #[serde(default)]
    pub refuse_keys: Vec<String>,
    /// The record is an error (`std::error::Error`), shown from these fields.
    #[serde(default)]
    pub error: Option<ErrorText>,
}

/// The fields an error record is shown from, as autobahn-python's
/// `ApplicationError.error_message()` shows it: `URI: ARGS...`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorText {
    /// A `string` field that always has a value: the error URI.
    pub uri: String,
    /// A `list<any>` field that always has a value: the values shown after it.
    pub args: String,
}

/// What a key holding `null` means in a record.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Nulls {
    /// The same as an absent key (autobahn's constructors take `None`).
    #[default]
    Unset,
    /// Refused, unless the field is `nullable` (autobahn's messages check
    /// the type of every key present).
    Refuse,
}

/// Which keys a record's dict form holds.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Marshal {
    /// Every key, `null` when unset (autobahn's types).
    #[default]
    All,
    /// Only the keys that are set (the dicts of autobahn's messages).
    Set,
}

/// When a field of a `marshal: set` record is written.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Write {
    /// Whenever it is set (and differs from its default, if it has one).
    #[default]
    Set,
    /// Only when its value is true in Python's sense: not zero, not empty, not false.
    Truthy,
}

fn yes() -> bool {
    true
}

/// What `parse` does with keys that no field names.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnknownKeys {
    /// Refuse the dict.
    #[default]
    Refuse,
    /// Drop them.
    Ignore,
    /// Keep them, in a `rest` map, and write them back.
    Keep,
    /// Keep those that are custom names (`x_...`, as autobahn's
    /// `_CUSTOM_ATTRIBUTE` pattern says) in a `rest` map; drop the others.
    Custom,
}

/// One field of a record.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// The attribute name, which is also the dict key unless `wire` says otherwise.
    pub name: String,
    /// The field docs.
    pub doc: String,
    /// The field type: `bool`, `int`, `float`, `number`, `string`, `bytes`,
    /// `hex<N>`, `any`, `map`, `callback`, `handle`, `list<T>`,
    /// `one_or_list<T>`, `map<K, V>`, or the name of a schema type.
    #[serde(rename = "type")]
    pub ty: String,
    /// The Rust field name, when `name` is not a usable Rust identifier.
    #[serde(default)]
    pub rust_name: Option<String>,
    /// The dict key, when it differs from `name`. `ir::Field::wire_key` is
    /// where the key in use is decided.
    #[serde(default)]
    pub wire: Option<String>,
    /// autobahn's constructor argument name, when it differs from `name`.
    #[serde(default)]
    pub ctor_arg: Option<String>,
    /// The key must be present (and non-null unless `nullable`).
    #[serde(default)]
    pub required: bool,
    /// With `required`: the key must be present but may hold null.
    /// With `default`: null gives the default instead of an error.
    #[serde(default)]
    pub nullable: bool,
    /// The value when the key is absent.
    #[serde(default)]
    pub default: Option<serde_yaml::Value>,
    /// A number field must be greater than this.
    #[serde(default)]
    pub gt: Option<f64>,
    /// The field must be null while the named field is set.
    #[serde(default)]
    pub conflicts_with: Option<String>,
    /// The field takes a fixed value when the named boolean field is true.
    #[serde(default)]
    pub implied_by: Option<Implied>,
    /// When `marshal: set` writes the field: `set` (the default) or `truthy`.
    #[serde(default)]
    pub write: Write,
    /// Another field that must be set while this one is set and truthy.
    #[serde(default)]
    pub requires: Option<String>,
}

/// `implied_by`: the field is in effect `value` while `field` is true.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Implied {
    /// A boolean field of the same record.
    pub field: String,
    /// The value in effect, which must fit the field's type.
    pub value: serde_yaml::Value,
}

/// A value of a record as a `pub const` of it, given in its dict form.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordValue {
    /// The constant name (UPPER_SNAKE_CASE).
    pub name: String,
    /// Its docs.
    pub doc: String,
    /// The value in the record's dict form (wire keys); a key left out is
    /// unset.
    pub value: serde_yaml::Value,
}

/// A `pub const` on a record.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Constant {
    /// The constant name (UPPER_SNAKE_CASE).
    pub name: String,
    /// Its docs.
    pub doc: String,
    /// Must be `string`, the only kind generated.
    #[serde(rename = "type")]
    pub ty: String,
    /// The string.
    pub value: serde_yaml::Value,
}

/// One key of `message_attr()`: a field written under its wire key when
/// set, or under `key` and with the fixed `value`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageAttr {
    /// A field of the record.
    pub field: String,
    /// The key to write, when it is not the field's wire key.
    #[serde(default)]
    pub key: Option<String>,
    /// A fixed value to write when the field is set.
    #[serde(default)]
    pub value: Option<serde_yaml::Value>,
}

/// A value computed from fields: the wire strings of enum fields joined.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Derived {
    /// The method name (snake_case).
    pub name: String,
    /// Its docs.
    pub doc: String,
    /// The enum fields joined, in order.
    pub join: Vec<String>,
    /// The string between them.
    pub separator: String,
    /// The enum variant (its Rust name) that stands in for an unset field.
    pub unset: String,
}

/// A constructor from another type: fields copied from the first entry of
/// a list field when it is non-empty, from other fields otherwise.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conversion {
    /// The function name (snake_case).
    pub name: String,
    /// Its docs.
    pub doc: String,
    /// The record converted from.
    pub source: String,
    /// A list-of-records field of `source` whose first entry, when there
    /// is one, supplies the fields.
    #[serde(default)]
    pub first_of: Option<String>,
    /// Target field name to source field name.
    pub fields: Vec<ConversionField>,
}

/// One field copied by a conversion.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConversionField {
    /// The field of the record being built.
    pub target: String,
    /// The field of the source record.
    pub source: String,
}

/// A fixed set of wire strings: a Rust enum.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Enum {
    /// The Rust type name (UpperCamelCase).
    pub name: String,
    /// The type docs.
    pub doc: String,
    /// The values, in order.
    pub values: Vec<EnumValue>,
}

/// One value of an enum.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumValue {
    /// The Rust variant name.
    pub name: String,
    /// The string on the wire.
    pub wire: String,
    /// autobahn's integer code, if it has one.
    #[serde(default)]
    pub code: Option<i64>,
    /// The variant docs.
    pub doc: String,
}

/// One of several records, as a map with a single key: a Rust enum.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Union {
    /// The Rust type name (UpperCamelCase).
    pub name: String,
    /// The type docs.
    pub doc: String,
    /// The variants, in order.
    pub variants: Vec<Variant>,
}

/// One variant of a union.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    /// The record type this variant holds (also the Rust variant name).
    #[serde(rename = "type")]
    pub ty: String,
    /// The single key of the union's dict form.
    pub key: String,
    /// The variant docs.
    pub doc: String,
}

/// A WAMP message: a list that starts with its code, then fixed positions,
/// then, for messages that carry application payload, the arguments or an
/// encoded payload.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Message {
    /// The Rust type name, which is autobahn's class name (UpperCamelCase).
    pub name: String,
    /// The message code (`MESSAGE_TYPE`).
    pub code: i64,
    /// The type docs.
    pub doc: String,
    /// The positions after the code, in order.
    pub fields: Vec<Position>,
    /// The arguments or encoded payload after the fixed positions.
    #[serde(default)]
    pub payload: Option<PayloadTail>,
    /// Rules between positions.
    #[serde(default)]
    pub checks: Vec<Check>,
    /// How a session builds the message from an options type.
    #[serde(default)]
    pub outgoing: Option<Outgoing>,
    /// How a session turns the message into a details type.
    #[serde(default)]
    pub incoming: Option<Incoming>,
}

/// The outgoing half of the session bridge: the message built from an
/// options type, as `message.Call(request, procedure, args=..., kwargs=...,
/// **options.message_attr())` builds it (`options` and `dict`), or from a
/// record, place by place, as `message.Yield(request, args=res.results,
/// callee=res.callee, ...)` builds it (`from`, `context` and `fields`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outgoing {
    /// The docs of the generated function.
    pub doc: String,
    /// The options record, which must have a `message_attr`.
    #[serde(default)]
    pub options: Option<String>,
    /// With `options`: the record position that `message_attr()` fills.
    #[serde(default)]
    pub dict: Option<String>,
    /// The record the message is built from, field by field.
    #[serde(default)]
    pub from: Option<String>,
    /// With `from`: more parameters, after the positions that no entry of
    /// `fields` fills.
    #[serde(default)]
    pub context: Vec<ContextParam>,
    /// With `from`: where each place of the message that is not a
    /// parameter comes from.
    #[serde(default)]
    pub fields: Vec<PlaceFill>,
}

/// One place of a built message and its source path.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceFill {
    /// `POSITION`, `POSITION.FIELD` or `payload.args` / `payload.kwargs`.
    pub to: String,
    /// A source path: `RECORD.FIELD`, `CONTEXT` or `CONTEXT.FIELD`.
    pub from: String,
}

/// The incoming half of the session bridge: a record built from the
/// message and what the session knows locally, field by field.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Incoming {
    /// The docs of the generated `from_<message>`.
    pub doc: String,
    /// The record built.
    pub into: String,
    /// What the session knows locally, passed in as parameters.
    #[serde(default)]
    pub context: Vec<ContextParam>,
    /// Where each field of `into` comes from.
    pub fields: Vec<FieldFill>,
    /// The record is built as Python calls `Record(*args, ..., **kwargs)`.
    #[serde(default)]
    pub splat: Option<Splat>,
}

/// A parameter of the generated function: something the session knows
/// locally, such as the subscription an event arrived on.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextParam {
    /// The parameter name (snake_case), also its name in source paths.
    pub name: String,
    /// The parameter docs.
    pub doc: String,
    /// A field type (`string`, `callback`, a record, ...).
    #[serde(rename = "type")]
    pub ty: String,
    /// The parameter is an `Option`.
    #[serde(default)]
    pub optional: bool,
}

/// Where one field of the built record comes from: exactly one of `from`,
/// `first_truthy` and `value`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldFill {
    /// The field of the built record.
    pub field: String,
    /// A source path: `POSITION`, `POSITION.FIELD`, `payload.PART`,
    /// `CONTEXT` or `CONTEXT.FIELD`.
    #[serde(default)]
    pub from: Option<String>,
    /// Source paths joined with Python's `or`: the first that is true,
    /// else the last.
    #[serde(default)]
    pub first_truthy: Option<Vec<String>>,
    /// A fixed value; `null` leaves the field unset.
    #[serde(default, deserialize_with = "present")]
    pub value: Option<serde_yaml::Value>,
    /// With `from` or `value`: the field is set so only while this source
    /// path is true.
    #[serde(default)]
    pub when: Option<String>,
    /// With `when`: the source path the field is filled from while `when`
    /// is false (unset when not given).
    #[serde(default, rename = "else")]
    pub otherwise: Option<String>,
}

/// `Some` for a key that is present, even when it holds `null`.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<serde_yaml::Value>, D::Error> {
    serde_yaml::Value::deserialize(d).map(Some)
}

/// Python's `Record(*args, k=v, ..., **kwargs)` for a constructor
/// `(self, *ARGS, **KWARGS)` that takes its other fields out of the keywords.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Splat {
    /// `*args`: the list field filled with the positional values.
    #[serde(default)]
    pub args: Option<SplatPart>,
    /// `**kwargs`: the map field that keeps the keywords left over.
    pub kwargs: SplatPart,
    /// Keywords refused besides those given in `fields` (Python refuses `self`).
    #[serde(default)]
    pub refuse_keys: Vec<String>,
}

/// One side of a splat: a field of the built record and its source path.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplatPart {
    /// The field of the built record.
    pub field: String,
    /// The source path: a list for `args`, a map for `kwargs`.
    pub from: String,
}

/// One position of a message's list.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Position {
    /// The field name (snake_case), also its name in error paths.
    pub name: String,
    /// The field docs.
    pub doc: String,
    /// `id`, `int`, `string`, `uri`, `map`, or the name of a record.
    #[serde(rename = "type")]
    pub ty: String,
    /// `null` is accepted, and means unset.
    #[serde(default)]
    pub nullable: bool,
    /// The position may be missing at the end of the list.
    #[serde(default)]
    pub optional: bool,
    /// For a `uri`: `exact`, `prefix`, `wildcard`, or `POSITION.FIELD`
    /// naming the match policy the rule follows.
    #[serde(default)]
    pub uri_rule: Option<String>,
    /// For a `uint`: the values allowed.
    #[serde(default)]
    pub one_of: Option<Vec<u64>>,
}

/// The application payload at the end of a message.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PayloadTail {
    /// Whether the arguments may be `null`.
    pub args_nullable: bool,
    /// The record position whose dict holds the `enc_*` keys of an encoded
    /// payload; the first record position when not given.
    #[serde(default)]
    pub dict: Option<String>,
}

/// A rule between positions that autobahn's constructors assert: while
/// `when_set` is set, the position `zero` must be 0 and `nonzero` must not be.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    /// A `POSITION.FIELD` path to an optional field.
    pub when_set: String,
    /// A position that must then be 0.
    #[serde(default)]
    pub zero: Option<String>,
    /// A `POSITION` or `POSITION.FIELD` path that must then not be 0.
    #[serde(default)]
    pub nonzero: Option<String>,
    /// Why, for the docs.
    pub doc: String,
}
