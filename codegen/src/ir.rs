//! The resolved model the emitters read: every name resolved, every field
//! type parsed, every wire key decided.
//!
//! [`lower`] builds it from the schema files; [`validate`](crate::validate)
//! then checks it against them, and the model is only handed to the
//! emitters when no problem was found.

use std::collections::BTreeMap;

use crate::diag::Seg;
use crate::schema;
mod bridge;

pub use bridge::Target;

pub use crate::types::Ty;
use crate::types::{Names, parse_ty, value_problem};

/// Whether a name can be used as a Rust identifier as it is; see
/// [`types::is_rust_ident`](crate::types::is_rust_ident).
pub use crate::types::is_rust_ident;

/// The whole schema, module by module in file-name order.
pub struct Model {
    pub modules: Vec<Module>,
}

/// Where a node of the model was written: its schema file and its path in
/// that file, so that a diagnostic about the node points at its YAML.
#[derive(Clone, Debug, PartialEq)]
pub struct Origin {
    pub file: String,
    pub path: Vec<Seg>,
}

impl Origin {
    /// The path of something below the node.
    pub fn at(&self, parts: &[Seg]) -> Vec<Seg> {
        [self.path.as_slice(), parts].concat()
    }

    /// The node's place in the list it was written in.
    pub fn index(&self) -> usize {
        match self.path.last() {
            Some(Seg::Index(i)) => *i,
            _ => panic!("an origin ends at an entry of a list: {self:?}"),
        }
    }

    fn entry(&self, list: &str, i: usize) -> Origin {
        Origin { file: self.file.clone(), path: self.at(&[Seg::key(list), Seg::Index(i)]) }
    }
}

pub struct Module {
    /// The module name: the schema file's stem.
    pub name: String,
    /// The schema file it was written in.
    pub file: String,
    pub doc: String,
    pub enums: Vec<Enum>,
    pub records: Vec<Record>,
    pub unions: Vec<Union>,
    pub messages: Vec<Message>,
    /// Modules of URI constants; entry `i` is at `uri_constants[i]` of the file.
    pub uri_modules: Vec<schema::UriModule>,
}

/// A WAMP message: its code, its positions, and the payload after them.
pub struct Message {
    /// autobahn's class name, which is also the `Message` variant: `Call`.
    pub name: String,
    /// The Rust struct: `CallMessage`.
    pub rust_name: String,
    /// The name autobahn's errors and the WAMP spec use: `EVENT_RECEIVED`.
    pub wire_name: String,
    pub code: i64,
    pub doc: String,
    pub positions: Vec<Position>,
    pub payload: Option<PayloadTail>,
    pub checks: Vec<Check>,
    /// How a session builds the message from an options type.
    pub outgoing: Option<Outgoing>,
    /// How a session turns the message into a record.
    pub incoming: Option<Incoming>,
    /// What is wrong with `outgoing` and `incoming`, for `validate` to
    /// report; while there is anything, they are `None`.
    pub bridge_problems: Vec<(Vec<Seg>, String)>,
}

/// The outgoing half of the session bridge: `from_options`, or
/// `from_<record>` for a message built from a record place by place.
pub struct Outgoing {
    pub doc: String,
    pub kind: OutgoingKind,
}

pub enum OutgoingKind {
    /// `from_options`: the dict is the options record's `message_attr()`.
    Options {
        /// The options record, whose `message_attr()` fills the dict.
        options: String,
        /// The record position filled from `message_attr()`.
        dict: usize,
    },
    /// `from_<record>`: each place from a source, the rest from parameters.
    Build(Build),
}

/// A message built from a record, checked as its receiver's `parse` checks it.
pub struct Build {
    /// The record the message is built from.
    pub record: String,
    /// The generated function: `from_call_result`.
    pub fn_name: String,
    /// The positions that are parameters, in order.
    pub params: Vec<usize>,
    /// More parameters; the record itself is the last one.
    pub context: Vec<Context>,
    /// Where each place that is not a parameter comes from, in the schema's order.
    pub fills: Vec<(Place, Source)>,
}

/// A place of a built message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Position(usize),
    /// A field of the record at a position: (position, field).
    Field(usize, usize),
    Payload(PayloadPart),
}

impl Outgoing {
    /// The records the function names: the options or source record, and
    /// the record types of its context.
    pub fn types(&self) -> Vec<&Ty> {
        match &self.kind {
            OutgoingKind::Options { .. } => Vec::new(),
            OutgoingKind::Build(b) => b.context.iter().map(|c| &c.ty).collect(),
        }
    }

    pub fn record(&self) -> &str {
        match &self.kind {
            OutgoingKind::Options { options, .. } => options,
            OutgoingKind::Build(b) => &b.record,
        }
    }
}

/// The incoming half of the session bridge: `Record::from_<message>`.
pub struct Incoming {
    pub doc: String,
    /// The record built.
    pub into: String,
    /// The generated function: `from_event`.
    pub fn_name: String,
    /// Parameters after the message: what the session knows locally.
    pub context: Vec<Context>,
    /// How each field of `into` is filled, in the record's field order.
    pub fills: Vec<Fill>,
    /// `**kwargs`, when the record is built as Python calls it with them.
    pub splat: Option<Splat>,
}

/// A parameter of an incoming function.
pub struct Context {
    pub name: String,
    pub doc: String,
    pub ty: Ty,
    /// The parameter is an `Option`.
    pub optional: bool,
}

/// How one field of an incoming record is filled.
pub enum Fill {
    /// From a source.
    From(Source),
    /// Python's `a or b or c`: the first source that is true, else the last.
    FirstTruthy(Vec<Source>),
    /// A fixed value; null leaves the field unset.
    Value(serde_yaml::Value),
    /// `then` (a source or a value) while `when` is true; else `otherwise`, or unset.
    When { then: Box<Fill>, when: Source, otherwise: Option<Source> },
    /// `*args`: the positional values.
    Args(Source),
    /// The `**kwargs` key that is the field's keyword, if any (null: unset).
    Keyword,
    /// The `**kwargs` keys that no field takes.
    Rest,
}

/// `**kwargs`: where they come from, and the keywords given already.
pub struct Splat {
    pub from: Source,
    /// Keywords that the call gives already, which `**kwargs` may not repeat.
    pub given: Vec<String>,
}

/// A value an incoming function reads: a position of the message, a field
/// of a record position, a part of the payload, a context parameter or a
/// field of one.
pub struct Source {
    /// The path as the schema writes it: `details.topic`.
    pub text: String,
    pub kind: SourceKind,
    pub ty: Ty,
    /// Whether it may be unset (an `Option`).
    pub optional: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    Position(usize),
    /// A field of the record at a position: (position, field).
    Field(usize, usize),
    Payload(PayloadPart),
    Context(usize),
    /// A field of a record context parameter: (parameter, field).
    ContextField(usize, usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PayloadPart {
    Args,
    Kwargs,
    EncAlgo,
    EncKey,
    EncSerializer,
}

/// One position of a message's list.
pub struct Position {
    pub name: String,
    pub doc: String,
    /// `Id`, `Int`, `UInt`, `Str`, `Uri`, `MapAny` or `Record`.
    pub ty: Ty,
    pub nullable: bool,
    pub optional: bool,
    pub uri_rule: UriRule,
    pub one_of: Vec<u64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UriRule {
    Exact,
    Prefix,
    Wildcard,
    /// Follows the match policy in field `field` of the record at position `position`.
    Match {
        position: usize,
        field: usize,
    },
}

pub struct PayloadTail {
    pub args_nullable: bool,
    /// The record position whose dict holds the `enc_*` keys.
    pub dict: usize,
}

/// While field `when` (position, field) is set, position `zero` must be 0
/// and `nonzero` (position, optional field) must not be.
pub struct Check {
    pub doc: String,
    pub when: (usize, usize),
    pub zero: Option<usize>,
    pub nonzero: Option<(usize, Option<usize>)>,
}

impl Message {
    /// How many list elements the message may have, code included.
    pub fn len_range(&self) -> (usize, usize) {
        let fixed = 1 + self.positions.iter().filter(|p| !p.optional).count();
        let max = 1 + self.positions.len() + if self.payload.is_some() { 2 } else { 0 };
        (fixed, max)
    }
}

pub struct Enum {
    pub origin: Origin,
    pub name: String,
    pub doc: String,
    pub values: Vec<schema::EnumValue>,
}

pub struct Union {
    pub origin: Origin,
    pub name: String,
    pub doc: String,
    pub variants: Vec<schema::Variant>,
}

pub struct Record {
    pub origin: Origin,
    pub name: String,
    pub doc: String,
    pub unknown: Unknown,
    pub public: bool,
    pub fields: Vec<Field>,
    pub constants: Vec<schema::Constant>,
    /// Values of the record, as constants; validation checks each against the fields.
    pub values: Vec<schema::RecordValue>,
    pub message_attr: Option<Vec<Attr>>,
    /// An error record: the fields of its URI and of the values shown after it.
    pub error: Option<(usize, usize)>,
    pub derived: Vec<schema::Derived>,
    pub conversions: Vec<schema::Conversion>,
    /// A key holding `null` is refused unless its field is nullable.
    pub nulls_refused: bool,
    /// `marshal` writes only the keys that are set.
    pub marshal_set: bool,
    /// An empty dict is refused.
    pub non_empty: bool,
    /// Keys refused although no field names them.
    pub refuse_keys: Vec<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Unknown {
    Refuse,
    Ignore,
    Keep,
    Custom,
}

impl Unknown {
    /// Whether other keys are kept in a `rest` map.
    pub fn keeps_rest(self) -> bool {
        matches!(self, Unknown::Keep | Unknown::Custom)
    }
}

pub struct Field {
    pub origin: Origin,
    /// The attribute name autobahn uses.
    pub name: String,
    /// The Rust field name.
    pub rust_name: String,
    /// The dict key in `marshal`, `parse` and the serde forms.
    pub wire_key: String,
    pub ctor_arg: Option<String>,
    pub doc: String,
    pub ty: Ty,
    pub presence: Presence,
    pub gt: Option<f64>,
    /// Index of the field that must be unset while this one is set.
    pub conflicts_with: Option<usize>,
    /// Index of the boolean field that, when true, sets this one, and the value.
    pub implied_by: Option<(usize, serde_yaml::Value)>,
    /// An optional field: whether `null` means unset (else it is refused).
    pub null_unset: bool,
    /// `marshal: set` writes the field only when its value is truthy.
    pub write_truthy: bool,
    /// Index of the field that must be set while this one is set and truthy.
    pub requires: Option<usize>,
}

/// One key of `message_attr()`.
pub struct Attr {
    pub field: usize,
    pub key: String,
    pub value: Option<serde_yaml::Value>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Presence {
    /// Absent or null: `None`.
    Optional,
    /// Present and non-null.
    Required,
    /// Present, possibly null.
    RequiredKey,
    /// Absent (and null when `nullable`) gives the default.
    Default { value: serde_yaml::Value, nullable: bool },
}

impl Record {
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

impl Field {
    /// Whether the field can be left unset, as `conflicts_with` needs of
    /// the field it names.
    pub fn may_be_unset(&self) -> bool {
        self.ty.is_runtime() || matches!(self.presence, Presence::Optional | Presence::RequiredKey)
    }
}

impl Model {
    pub fn record(&self, name: &str) -> Option<&Record> {
        self.modules.iter().flat_map(|m| &m.records).find(|r| r.name == name)
    }

    pub fn enum_def(&self, name: &str) -> Option<&Enum> {
        self.modules.iter().flat_map(|m| &m.enums).find(|e| e.name == name)
    }
}

/// Lowers parsed files into the model: names resolved, field types
/// parsed, wire keys decided. [`validate`](crate::validate) checks it
/// against the files afterwards; the emitters only ever see a model with
/// no problem.
pub fn lower(files: &[(String, schema::File)], names: &Names) -> Model {
    let mut model = Model { modules: files.iter().map(|(file, f)| module(file, f, names)).collect() };
    let messages: Vec<Vec<Message>> =
        files.iter().map(|(_, f)| f.messages.iter().enumerate().filter_map(|(i, m)| message(i, m, names, &model)).collect()).collect();
    for (m, msgs) in model.modules.iter_mut().zip(messages) {
        m.messages = msgs;
    }
    model
}

/// The module name a schema file gives: its file name without the extension.
fn module_name(file: &str) -> String {
    let stem = file.rsplit('/').next().unwrap_or(file);
    stem.trim_end_matches(".yaml").trim_end_matches(".yml").to_owned()
}

fn module(file: &str, f: &schema::File, names: &Names) -> Module {
    let origin = Origin { file: file.to_owned(), path: Vec::new() };
    Module {
        name: module_name(file),
        file: file.to_owned(),
        doc: f.doc.clone(),
        enums: f
            .enums
            .iter()
            .enumerate()
            .map(|(i, e)| Enum { origin: origin.entry("enums", i), name: e.name.clone(), doc: e.doc.clone(), values: e.values.clone() })
            .collect(),
        records: f.records.iter().enumerate().map(|(i, r)| record(origin.entry("records", i), r, names)).collect(),
        unions: f
            .unions
            .iter()
            .enumerate()
            .map(|(i, u)| Union { origin: origin.entry("unions", i), name: u.name.clone(), doc: u.doc.clone(), variants: u.variants.clone() })
            .collect(),
        messages: Vec::new(),
        uri_modules: f.uri_constants.clone(),
    }
}

/// `EventReceived` → `EVENT_RECEIVED`.
pub fn wire_name(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

/// A message's positions, their URI rules not yet resolved (`exact`).
pub fn positions(m: &schema::Message, names: &Names) -> Vec<Position> {
    m.fields
        .iter()
        .map(|p| Position {
            name: p.name.clone(),
            doc: p.doc.clone(),
            ty: position_ty(&p.ty, names).unwrap_or(Ty::Any),
            nullable: p.nullable,
            optional: p.optional,
            uri_rule: UriRule::Exact,
            one_of: p.one_of.clone().unwrap_or_default(),
        })
        .collect()
}

/// The position and, for `POSITION.FIELD`, the field of its record that a
/// path names; `None` when it names nothing.
pub fn resolve_path(path: &str, positions: &[Position], model: &Model) -> Option<(usize, Option<usize>)> {
    let (pos, field) = match path.split_once('.') {
        Some((p, f)) => (p, Some(f)),
        None => (path, None),
    };
    let i = positions.iter().position(|p| p.name == pos)?;
    match field {
        None => Some((i, None)),
        Some(f) => {
            let Ty::Record(r) = &positions[i].ty else { return None };
            let j = model.record(r)?.fields.iter().position(|x| x.name == f)?;
            Some((i, Some(j)))
        }
    }
}

/// Lowers a message; `None` when a name it uses does not resolve (validation reports it).
fn message(index: usize, m: &schema::Message, names: &Names, model: &Model) -> Option<Message> {
    let mut positions = positions(m, names);
    let resolve = |path: &str, positions: &[Position]| resolve_path(path, positions, model);
    for (i, p) in m.fields.iter().enumerate() {
        positions[i].uri_rule = match p.uri_rule.as_deref() {
            None | Some("exact") => UriRule::Exact,
            Some("prefix") => UriRule::Prefix,
            Some("wildcard") => UriRule::Wildcard,
            Some(path) => match resolve(path, &positions)? {
                (position, Some(field)) => UriRule::Match { position, field },
                _ => return None,
            },
        };
    }
    let payload = match &m.payload {
        None => None,
        Some(t) => {
            let dict = match &t.dict {
                Some(name) => positions.iter().position(|p| &p.name == name)?,
                None => positions.iter().position(|p| matches!(p.ty, Ty::Record(_)))?,
            };
            Some(PayloadTail { args_nullable: t.args_nullable, dict })
        }
    };
    let mut checks = Vec::new();
    for c in &m.checks {
        let (wp, Some(wf)) = resolve(&c.when_set, &positions)? else { return None };
        let zero = match &c.zero {
            Some(z) => Some(resolve(z, &positions)?.0),
            None => None,
        };
        let nonzero = match &c.nonzero {
            Some(z) => Some(resolve(z, &positions)?),
            None => None,
        };
        checks.push(Check { doc: c.doc.clone(), when: (wp, wf), zero, nonzero });
    }
    let mut bridge_problems = Vec::new();
    let at = |k: &str| vec![Seg::key("messages"), Seg::Index(index), Seg::key(k)];
    let outgoing =
        m.outgoing.as_ref().and_then(|o| keep(bridge::outgoing(o, m, &positions, model, names, &at("outgoing")), &mut bridge_problems));
    let incoming =
        m.incoming.as_ref().and_then(|i| keep(bridge::incoming(i, m, &positions, model, names, &at("incoming")), &mut bridge_problems));
    Some(Message {
        name: m.name.clone(),
        rust_name: format!("{}Message", m.name),
        wire_name: wire_name(&m.name),
        code: m.code,
        doc: m.doc.clone(),
        positions,
        payload,
        checks,
        outgoing,
        incoming,
        bridge_problems,
    })
}

/// The value of a lowering that found no problem; the problems otherwise.
fn keep<T>(result: Result<T, bridge::Problems>, problems: &mut bridge::Problems) -> Option<T> {
    result.map_err(|mut p| problems.append(&mut p)).ok()
}

/// The type of a message position: `id`, `int`, `uint`, `string`, `uri`, `map` or a record.
pub fn position_ty(text: &str, names: &Names) -> Option<Ty> {
    match parse_ty(text, names).ok()? {
        ty @ (Ty::Id | Ty::Int | Ty::UInt(_) | Ty::Str | Ty::Uri | Ty::MapAny | Ty::Record(_)) => Some(ty),
        _ => None,
    }
}

fn record(origin: Origin, r: &schema::Record, names: &Names) -> Record {
    let mut fields: Vec<Field> = r.fields.iter().enumerate().map(|(j, f)| field(origin.entry("fields", j), f, names)).collect();
    // A field name given twice refers to its first field.
    let mut by_name = BTreeMap::new();
    for (j, f) in r.fields.iter().enumerate() {
        by_name.entry(f.name.as_str()).or_insert(j);
    }
    for (j, f) in r.fields.iter().enumerate() {
        let other = f.conflicts_with.as_ref().and_then(|name| by_name.get(name.as_str()).copied());
        if let Some(k) = other.filter(|&k| k != j && fields[k].may_be_unset()) {
            fields[j].conflicts_with = Some(k);
        }
        if let Some(imp) = &f.implied_by
            && let Some(&k) = by_name.get(imp.field.as_str())
            && fields[k].ty == Ty::Bool
            && value_problem(&imp.value, &fields[j].ty, &f.ty, names).is_none()
        {
            fields[j].implied_by = Some((k, imp.value.clone()));
        }
    }
    let message_attr = r.message_attr.as_ref().map(|attrs| {
        let attr = |a: &schema::MessageAttr| {
            let &j = by_name.get(a.field.as_str())?;
            Some(Attr { field: j, key: a.key.clone().unwrap_or_else(|| fields[j].wire_key.clone()), value: a.value.clone() })
        };
        attrs.iter().filter_map(attr).collect()
    });
    let error = r.error.as_ref().and_then(|e| Some((*by_name.get(e.uri.as_str())?, *by_name.get(e.args.as_str())?)));
    let unknown = match r.unknown_keys {
        schema::UnknownKeys::Refuse => Unknown::Refuse,
        schema::UnknownKeys::Ignore => Unknown::Ignore,
        schema::UnknownKeys::Keep => Unknown::Keep,
        schema::UnknownKeys::Custom => Unknown::Custom,
    };
    let nulls_refused = r.nulls == schema::Nulls::Refuse;
    for (f, sf) in fields.iter_mut().zip(&r.fields) {
        f.null_unset = !nulls_refused || sf.nullable;
    }
    for (j, f) in r.fields.iter().enumerate() {
        fields[j].requires = f.requires.as_ref().and_then(|name| by_name.get(name.as_str()).copied()).filter(|&k| k != j);
    }
    Record {
        origin,
        name: r.name.clone(),
        doc: r.doc.clone(),
        unknown,
        public: r.public,
        fields,
        constants: r.constants.clone(),
        values: r.values.clone(),
        message_attr,
        error,
        derived: r.derived.clone(),
        conversions: r.conversions.clone(),
        nulls_refused,
        marshal_set: r.marshal == schema::Marshal::Set,
        non_empty: r.non_empty,
        refuse_keys: r.refuse_keys.clone(),
    }
}

/// A `uint` field's type carries its bound `gt` (validation refuses one
/// that is not a whole number, -1 or more), so that its codec refuses a
/// negative number as the bound does.
fn with_bound(ty: Ty, gt: Option<f64>) -> Ty {
    match (ty, gt) {
        (Ty::UInt(_), Some(g)) if g.fract() == 0.0 && g >= -1.0 => Ty::UInt(g as i64),
        (ty, _) => ty,
    }
}

fn field(origin: Origin, f: &schema::Field, names: &Names) -> Field {
    let presence = match (&f.default, f.required, f.nullable) {
        // A default on a required field is reported; the field stays required.
        (Some(_), true, _) | (None, true, false) => Presence::Required,
        (Some(v), false, nullable) => Presence::Default { value: v.clone(), nullable },
        (None, true, true) => Presence::RequiredKey,
        // `nullable` alone means null is unset (in a `nulls: refuse` record;
        // elsewhere it is reported); the field stays optional.
        (None, false, _) => Presence::Optional,
    };
    Field {
        origin,
        name: f.name.clone(),
        rust_name: f.rust_name.clone().unwrap_or_else(|| f.name.clone()),
        // The wire key is decided here, once: `wire` if given, else the name.
        // `marshal`, `parse`, serde and `message_attr` all use it.
        wire_key: f.wire.clone().unwrap_or_else(|| f.name.clone()),
        ctor_arg: f.ctor_arg.clone(),
        doc: f.doc.clone(),
        // A type that cannot be read is reported; checks that need it are skipped.
        ty: with_bound(parse_ty(&f.ty, names).unwrap_or(Ty::Any), f.gt),
        presence,
        gt: f.gt,
        conflicts_with: None,
        implied_by: None,
        null_unset: true,
        write_truthy: f.write == schema::Write::Truthy,
        requires: None,
    }
}
