//! The schema as written in `schema/*.yaml`: plain data, read strictly
//! (an unknown key anywhere is an error). `schema/README.md` documents it.

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
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub name: String,
    pub doc: String,
    /// `refuse` (autobahn's constructors) or `ignore` (its `parse()` methods).
    #[serde(default)]
    pub unknown_keys: UnknownKeys,
    /// Whether this is one of autobahn's public types (listed in the
    /// registry) or a helper shape such as a `forward_for` entry.
    #[serde(default = "yes")]
    pub public: bool,
    pub fields: Vec<Field>,
    #[serde(default)]
    pub constants: Vec<Constant>,
    /// The keys of `message_attr()`, in order; absent when the type has none.
    #[serde(default)]
    pub message_attr: Option<Vec<MessageAttr>>,
    #[serde(default)]
    pub derived: Vec<Derived>,
    #[serde(default)]
    pub conversions: Vec<Conversion>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnknownKeys {
    #[default]
    Refuse,
    Ignore,
    /// Keep them, in a `rest` map, and write them back.
    Keep,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// The attribute name, which is also the dict key unless `wire` says otherwise.
    pub name: String,
    pub doc: String,
    /// The field type: `bool`, `int`, `float`, `number`, `string`, `bytes`,
    /// `hex<N>`, `any`, `map`, `callback`, `handle`, `list<T>`,
    /// `one_or_list<T>`, `map<K, V>`, or the name of a schema type.
    #[serde(rename = "type")]
    pub ty: String,
    /// The Rust field name, when `name` is not a usable Rust identifier.
    #[serde(default)]
    pub rust_name: Option<String>,
    /// The dict key, when it differs from `name`.
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
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Implied {
    pub field: String,
    pub value: serde_yaml::Value,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Constant {
    pub name: String,
    pub doc: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub value: serde_yaml::Value,
}

/// One key of `message_attr()`: a field written under its wire key when
/// set, or under `key` and with the fixed `value`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageAttr {
    pub field: String,
    #[serde(default)]
    pub key: Option<String>,
    #[serde(default)]
    pub value: Option<serde_yaml::Value>,
}

/// A value computed from fields: the wire strings of enum fields joined.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Derived {
    pub name: String,
    pub doc: String,
    pub join: Vec<String>,
    pub separator: String,
    /// The enum value that stands in for an unset field.
    pub unset: String,
}

/// A constructor from another type: fields copied from the first entry of
/// a list field when it is non-empty, from other fields otherwise.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conversion {
    pub name: String,
    pub doc: String,
    pub source: String,
    #[serde(default)]
    pub first_of: Option<String>,
    /// Target field name to source field name.
    pub fields: Vec<ConversionField>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConversionField {
    pub target: String,
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Enum {
    pub name: String,
    pub doc: String,
    pub values: Vec<EnumValue>,
}

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
    pub doc: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Union {
    pub name: String,
    pub doc: String,
    pub variants: Vec<Variant>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    /// The record type this variant holds (also the Rust variant name).
    #[serde(rename = "type")]
    pub ty: String,
    /// The single key of the union's dict form.
    pub key: String,
    pub doc: String,
}
