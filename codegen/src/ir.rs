//! The resolved model the emitters read: every name resolved, every field
//! type parsed, every wire key decided, every value typed.
//!
//! [`lower`] builds it from the schema files and reports each problem it
//! meets as it resolves the setting at fault, once: records in
//! `ir/record.rs`, messages in `ir/message.rs`, their session bridge in
//! `ir/bridge.rs`, enums, unions and URI constants here. The model is only
//! handed to the emitters when no problem was found.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{Diagnostics, Seg};
use crate::schema;
mod bridge;
mod message;
mod record;

pub use bridge::Target;
pub use message::wire_name;
pub use record::{Attr, Const, Conversion, ConversionField, Derived, Field, Given, Lit, Presence, Record, RecordLit, Scalar, Unknown};

pub use crate::types::Ty;
use crate::types::{Kind, Names, is_camel, is_case, type_hint};
use crate::validate::module_name;

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

/// A record of the model: its module and its place there. Only lowering
/// makes one, for a record that exists, so [`Model::rec`] always finds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordId(usize, usize);

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
        options: RecordId,
        /// The record position filled from `message_attr()`.
        dict: usize,
    },
    /// `from_<record>`: each place from a source, the rest from parameters.
    Build(Build),
}

/// A message built from a record, checked as its receiver's `parse` checks it.
pub struct Build {
    /// The record the message is built from.
    pub record: RecordId,
    /// The generated function: `from_call_result`.
    pub fn_name: String,
    /// The positions that are parameters, in order.
    pub params: Vec<usize>,
    /// The record positions that no entry fills whole, built field by field.
    pub whole: Vec<(usize, RecordId)>,
    /// More parameters; the record itself is the last one.
    pub context: Vec<Context>,
    /// Where each place that is not a parameter comes from, in the schema's order.
    pub fills: Vec<(Place, Source)>,
}

/// A place of a built message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Position(usize),
    Field(FieldAt),
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

    pub fn record(&self) -> RecordId {
        match &self.kind {
            OutgoingKind::Options { options, .. } => *options,
            OutgoingKind::Build(b) => b.record,
        }
    }
}

/// The incoming half of the session bridge: `Record::from_<message>`.
pub struct Incoming {
    pub doc: String,
    /// The record built.
    pub into: RecordId,
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
    /// Python's `a or b or c`: the first of `init` that is true, else `last`.
    FirstTruthy { init: Vec<Source>, last: Source },
    /// A fixed value; `None` (null) leaves the field unset.
    Value(Option<Given>),
    /// `then` while `when` is true; else `otherwise`, or unset.
    When { then: Then, when: Source, otherwise: Option<Source> },
    /// `*args`: the positional values.
    Args(Source),
    /// The key of `**kwargs` (read from the source) that is the field's
    /// keyword, if any (null: unset).
    Keyword(Source),
    /// The keys of `**kwargs` (read from the source) that no field takes.
    Rest(Source),
}

/// What a [`Fill::When`] gives while its condition is true.
pub enum Then {
    From(Source),
    /// A fixed value; `None` (null) leaves the field unset.
    Value(Option<Given>),
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
#[derive(Clone)]
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
    Field(FieldAt),
    Payload(PayloadPart),
    Context(usize),
    /// A field of a record context parameter: (parameter, its record, field).
    ContextField(usize, RecordId, usize),
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
    /// Follows the match policy in a field of a record position.
    Match(FieldAt),
}

pub struct PayloadTail {
    pub args_nullable: bool,
    /// The record position whose dict holds the `enc_*` keys.
    pub dict: usize,
}

/// While field `when` is set, position `zero` must be 0 and `nonzero` (a
/// position, or a field of one) must not be.
pub struct Check {
    pub doc: String,
    pub when: FieldAt,
    pub zero: Option<usize>,
    pub nonzero: Option<(usize, Option<FieldAt>)>,
}

/// A field of the record at a position of a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldAt {
    pub position: usize,
    pub record: RecordId,
    pub field: usize,
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

impl Model {
    pub fn record(&self, name: &str) -> Option<&Record> {
        self.modules.iter().flat_map(|m| &m.records).find(|r| r.name == name)
    }

    pub fn rec(&self, id: RecordId) -> &Record {
        &self.modules[id.0].records[id.1]
    }

    pub fn field(&self, at: FieldAt) -> &Field {
        &self.rec(at.record).fields[at.field]
    }

    pub fn enum_def(&self, name: &str) -> Option<&Enum> {
        self.modules.iter().flat_map(|m| &m.enums).find(|e| e.name == name)
    }
}

/// What lowering carries: the names it resolves against, and where it
/// reports problems.
struct Lower<'a> {
    names: &'a Names,
    diags: &'a mut Diagnostics,
    /// The file being lowered.
    file: String,
    /// Fields whose type could not be read, by record and field name; checks
    /// that need their type are skipped, since the type is reported.
    bad: BTreeSet<(String, String)>,
}

impl Lower<'_> {
    fn error(&mut self, path: Vec<Seg>, message: String) {
        self.diags.error(&self.file, path, message);
    }

    fn report(&mut self, problems: bridge::Problems) {
        for (path, message) in problems {
            self.error(path, message);
        }
    }

    /// " (first at line N)" for something given twice.
    fn first_at(&self, path: &[Seg]) -> String {
        format!(" (first at line {})", self.diags.position(&self.file, path).0)
    }
}

/// Lowers parsed files into the model, reporting every problem in `diags`:
/// enums, unions and URI constants first, then records, then what records
/// refer to in other records, then messages.
pub fn lower(files: &[(String, schema::File)], names: &Names, diags: &mut Diagnostics) -> Model {
    let mut cx = Lower { names, diags, file: String::new(), bad: BTreeSet::new() };
    let mut model = Model { modules: files.iter().map(|(file, f)| module(&mut cx, file, f)).collect() };
    for (n, (file, f)) in files.iter().enumerate() {
        cx.file = file.clone();
        let origin = Origin { file: file.clone(), path: Vec::new() };
        let lowered = f.records.iter().enumerate().map(|(i, r)| record::record(&mut cx, RecordId(n, i), origin.entry("records", i), r, &model));
        model.modules[n].records = lowered.collect();
    }
    for (n, (file, f)) in files.iter().enumerate() {
        cx.file = file.clone();
        for (i, r) in f.records.iter().enumerate() {
            let (values, derived, conversions) = record::links(&mut cx, &model.modules[n].records[i], r, &model);
            let rec = &mut model.modules[n].records[i];
            (rec.values, rec.derived, rec.conversions) = (values, derived, conversions);
        }
    }
    for (n, (file, f)) in files.iter().enumerate() {
        cx.file = file.clone();
        let lowered = f.messages.iter().enumerate().filter_map(|(i, m)| message::message(&mut cx, i, m, &model));
        model.modules[n].messages = lowered.collect();
    }
    model
}

/// A module with its enums, unions and URI constants; its records and
/// messages come later.
fn module(cx: &mut Lower, file: &str, f: &schema::File) -> Module {
    cx.file = file.to_owned();
    let origin = Origin { file: file.to_owned(), path: Vec::new() };
    if f.enums.is_empty() && f.records.is_empty() && f.unions.is_empty() && f.messages.is_empty() && f.uri_constants.is_empty() {
        cx.error(vec![], "the file defines no types; add `enums`, `records`, `unions` or `messages`".to_owned());
    }
    let enums = f.enums.iter().enumerate().map(|(i, e)| enum_def(cx, origin.entry("enums", i), e)).collect();
    let unions = f.unions.iter().enumerate().map(|(i, u)| union(cx, origin.entry("unions", i), u)).collect();
    for (i, u) in f.uri_constants.iter().enumerate() {
        uri_module(cx, &origin.entry("uri_constants", i), u);
    }
    Module {
        name: module_name(file),
        file: file.to_owned(),
        doc: f.doc.clone(),
        enums,
        records: Vec::new(),
        unions,
        messages: Vec::new(),
        uri_modules: f.uri_constants.clone(),
    }
}

/// An enum: Rust variant names and wire strings, each given once.
fn enum_def(cx: &mut Lower, origin: Origin, e: &schema::Enum) -> Enum {
    let (mut names, mut wires) = (BTreeMap::new(), BTreeMap::new());
    for (j, v) in e.values.iter().enumerate() {
        let at = |j: usize, k: &str| origin.at(&[Seg::key("values"), Seg::Index(j), Seg::key(k)]);
        if !is_camel(&v.name) {
            cx.error(at(j, "name"), format!("variant name `{}` must be an UpperCamelCase Rust identifier", v.name));
        }
        if let Some(&k) = names.get(&v.name) {
            let first = cx.first_at(&at(k, "name"));
            cx.error(at(j, "name"), format!("the variant `{}` appears twice in `{}`{first}", v.name, e.name));
        }
        if let Some(&k) = wires.get(&v.wire) {
            let first = cx.first_at(&at(k, "wire"));
            cx.error(at(j, "wire"), format!("the wire string `{}` appears twice in `{}`{first}", v.wire, e.name));
        }
        names.entry(&v.name).or_insert(j);
        wires.entry(&v.wire).or_insert(j);
    }
    if e.values.is_empty() {
        cx.error(origin.at(&[Seg::key("values")]), format!("the enum `{}` has no values", e.name));
    }
    Enum { origin, name: e.name.clone(), doc: e.doc.clone(), values: e.values.clone() }
}

/// A union: records of the schema, each with its own type and key.
fn union(cx: &mut Lower, origin: Origin, u: &schema::Union) -> Union {
    let at = |j: usize, k: &str| origin.at(&[Seg::key("variants"), Seg::Index(j), Seg::key(k)]);
    if u.variants.is_empty() {
        cx.error(origin.at(&[Seg::key("variants")]), format!("the union `{}` has no variants", u.name));
    }
    let (mut types, mut keys) = (BTreeMap::new(), BTreeMap::new());
    for (j, v) in u.variants.iter().enumerate() {
        let missing = cx.names.missing(&v.ty);
        if cx.names.kinds.get(&v.ty).is_some_and(|k| *k != Kind::Record) || missing {
            let hint = if missing { type_hint(&v.ty, cx.names) } else { String::new() };
            cx.error(at(j, "type"), format!("a union variant must name a record of the schema; `{}` is not{hint}", v.ty));
        }
        if let Some(&k) = types.get(&v.ty) {
            let first = cx.first_at(&at(k, "type"));
            cx.error(at(j, "type"), format!("the variant `{}` appears twice in `{}`{first}", v.ty, u.name));
        }
        if let Some(&k) = keys.get(&v.key) {
            let first = cx.first_at(&at(k, "key"));
            cx.error(at(j, "key"), format!("the key `{}` is used by two variants of `{}`{first}", v.key, u.name));
        }
        types.entry(&v.ty).or_insert(j);
        keys.entry(&v.key).or_insert(j);
    }
    Union { origin, name: u.name.clone(), doc: u.doc.clone(), variants: u.variants.clone() }
}

/// A module of URI constants: UPPER_SNAKE_CASE constant names other than
/// `ALL`, and URIs of dot-separated non-empty components without white
/// space or `#`, each given once in its module. Its name is checked against
/// the other modules by [`validate`](crate::validate).
fn uri_module(cx: &mut Lower, origin: &Origin, u: &schema::UriModule) {
    if u.uris.is_empty() {
        cx.error(origin.at(&[Seg::key("uris")]), format!("the URI module `{}` has no URIs", u.module));
    }
    let (mut names, mut uris) = (BTreeMap::new(), BTreeMap::new());
    for (j, c) in u.uris.iter().enumerate() {
        let at = |j: usize, k: &str| origin.at(&[Seg::key("uris"), Seg::Index(j), Seg::key(k)]);
        if !is_case(&c.name, true) || c.name == "ALL" {
            cx.error(at(j, "name"), format!("constant name `{}` must be an UPPER_SNAKE_CASE Rust identifier other than `ALL`", c.name));
        } else if let Some(&k) = names.get(&c.name) {
            let first = cx.first_at(&at(k, "name"));
            cx.error(at(j, "name"), format!("the constant `{}` appears twice in `{}`{first}", c.name, u.module));
        }
        let valid = !c.uri.is_empty() && c.uri.split('.').all(|p| !p.is_empty() && !p.contains(|ch: char| ch.is_whitespace() || ch == '#'));
        if !valid {
            cx.error(at(j, "uri"), format!("`{}` is not a URI: dot-separated non-empty components without white space or `#`", c.uri));
        } else if let Some(&k) = uris.get(&c.uri) {
            let first = cx.first_at(&at(k, "uri"));
            cx.error(at(j, "uri"), format!("the URI `{}` appears twice in `{}`{first}", c.uri, u.module));
        }
        names.entry(&c.name).or_insert(j);
        uris.entry(&c.uri).or_insert(j);
    }
}
