//! The resolved model the emitters read: every name checked, every field
//! type parsed, every wire key decided.

use std::collections::BTreeMap;

use crate::diag::{Diagnostics, Seg};
use crate::schema;

/// The whole schema, module by module in file-name order.
pub struct Model {
    pub modules: Vec<Module>,
}

pub struct Module {
    /// The module name: the schema file's stem.
    pub name: String,
    pub doc: String,
    pub enums: Vec<Enum>,
    pub records: Vec<Record>,
    pub unions: Vec<Union>,
}

pub struct Enum {
    pub name: String,
    pub doc: String,
    pub values: Vec<schema::EnumValue>,
}

pub struct Union {
    pub name: String,
    pub doc: String,
    pub variants: Vec<schema::Variant>,
}

pub struct Record {
    pub name: String,
    pub doc: String,
    pub unknown: Unknown,
    pub public: bool,
    pub fields: Vec<Field>,
    pub constants: Vec<schema::Constant>,
    pub message_attr: Option<Vec<Attr>>,
    pub derived: Vec<schema::Derived>,
    pub conversions: Vec<schema::Conversion>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Unknown {
    Refuse,
    Ignore,
    Keep,
}

pub struct Field {
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
}

/// One key of `message_attr()`.
pub struct Attr {
    pub field: usize,
    pub key: String,
    pub value: Option<serde_yaml::Value>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Ty {
    Bool,
    Int,
    Float,
    Number,
    Str,
    Bytes,
    Hex(usize),
    Any,
    MapAny,
    Callback,
    Handle,
    List(Box<Ty>),
    OneOrList(Box<Ty>),
    MapOf(String, Box<Ty>),
    Record(String),
    Enum(String),
}

impl Ty {
    /// Fields that code sets and data never carries.
    pub fn is_runtime(&self) -> bool {
        matches!(self, Ty::Callback | Ty::Handle)
    }

    pub fn is_number(&self) -> bool {
        matches!(self, Ty::Int | Ty::Float | Ty::Number)
    }
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

impl Model {
    pub fn record(&self, name: &str) -> Option<&Record> {
        self.modules.iter().flat_map(|m| &m.records).find(|r| r.name == name)
    }

    pub fn enum_def(&self, name: &str) -> Option<&Enum> {
        self.modules.iter().flat_map(|m| &m.enums).find(|e| e.name == name)
    }
}

/// What a type name refers to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Record,
    Enum,
    Union,
}

/// Parses a field type such as `list<ForwardFor>` or `map<ChannelBinding, hex<32>>`.
fn parse_ty(text: &str, kinds: &BTreeMap<String, Kind>) -> Result<Ty, String> {
    let text = text.trim();
    if let Some(inner) = generic(text, "list") {
        return Ok(Ty::List(Box::new(parse_ty(inner, kinds)?)));
    }
    if let Some(inner) = generic(text, "one_or_list") {
        let elem = parse_ty(inner, kinds)?;
        return match elem {
            Ty::List(_) | Ty::OneOrList(_) | Ty::Any => Err(format!("`one_or_list` needs a scalar element, not `{inner}`")),
            _ => Ok(Ty::OneOrList(Box::new(elem))),
        };
    }
    if let Some(inner) = generic(text, "hex") {
        return inner
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=64).contains(n))
            .map(Ty::Hex)
            .ok_or_else(|| format!("`hex<N>` needs a byte count from 1 to 64, not `{inner}`"));
    }
    if let Some(inner) = generic(text, "map") {
        let (k, v) = inner.split_once(',').ok_or("`map<K, V>` needs a key type and a value type")?;
        let k = k.trim();
        if kinds.get(k) != Some(&Kind::Enum) {
            return Err(format!("the key type of a map must be an enum of the schema; `{k}` is not"));
        }
        return Ok(Ty::MapOf(k.to_owned(), Box::new(parse_ty(v, kinds)?)));
    }
    Ok(match text {
        "bool" => Ty::Bool,
        "int" => Ty::Int,
        "float" => Ty::Float,
        "number" => Ty::Number,
        "string" => Ty::Str,
        "bytes" => Ty::Bytes,
        "any" => Ty::Any,
        "map" => Ty::MapAny,
        "callback" => Ty::Callback,
        "handle" => Ty::Handle,
        name => match kinds.get(name) {
            Some(Kind::Record) => Ty::Record(name.to_owned()),
            Some(Kind::Enum) => Ty::Enum(name.to_owned()),
            Some(Kind::Union) => return Err(format!("a field cannot hold the union `{name}`")),
            None => return Err(format!("unknown type `{name}`")),
        },
    })
}

fn generic<'a>(text: &'a str, head: &str) -> Option<&'a str> {
    text.strip_prefix(head)?.trim_start().strip_prefix('<')?.strip_suffix('>')
}

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for", "if", "impl", "in", "let",
    "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final",
    "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Whether `s` can be used as a Rust identifier as it is.
pub fn is_rust_ident(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
        && !KEYWORDS.contains(&s)
        && s != "_"
}

fn is_camel(s: &str) -> bool {
    is_rust_ident(s) && s.starts_with(|c: char| c.is_ascii_uppercase()) && !s.contains('_')
}

/// Whether a YAML default fits a field type.
fn default_fits(v: &serde_yaml::Value, ty: &Ty, model_enums: &BTreeMap<String, Vec<String>>) -> bool {
    use serde_yaml::Value as Y;
    match (ty, v) {
        (Ty::Bool, Y::Bool(_)) => true,
        (Ty::Int, Y::Number(n)) => n.is_i64(),
        (Ty::Float | Ty::Number, Y::Number(_)) => true,
        (Ty::Str, Y::String(_)) => true,
        (Ty::Enum(e), Y::String(s)) => model_enums.get(e).is_some_and(|vals| vals.contains(s)),
        (Ty::List(_), Y::Sequence(s)) => s.is_empty(),
        (Ty::MapAny, Y::Mapping(m)) => m.is_empty(),
        _ => false,
    }
}

/// Builds the model from parsed files, reporting every problem found.
pub fn build(files: &[(String, schema::File)], diags: &mut Diagnostics) -> Model {
    let mut kinds = BTreeMap::new();
    let mut enum_values: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (file, f) in files {
        let names = f.enums.iter().map(|e| (&e.name, Kind::Enum, "enums"));
        let names = names.chain(f.records.iter().map(|r| (&r.name, Kind::Record, "records")));
        let names = names.chain(f.unions.iter().map(|u| (&u.name, Kind::Union, "unions")));
        let mut index: BTreeMap<&str, usize> = BTreeMap::new();
        for (name, kind, list) in names {
            let i = index.entry(list).or_default();
            let at = vec![Seg::key(list), Seg::Index(*i), Seg::key("name")];
            *i += 1;
            if !is_camel(name) {
                diags.error(file, at.clone(), format!("type name `{name}` must be an UpperCamelCase Rust identifier"));
            }
            if kinds.insert(name.clone(), kind).is_some() {
                diags.error(file, at, format!("the type `{name}` is defined twice"));
            }
        }
        for e in &f.enums {
            enum_values.insert(e.name.clone(), e.values.iter().map(|v| v.wire.clone()).collect());
        }
    }

    let mut modules = Vec::new();
    for (file, f) in files {
        let name = file.trim_end_matches(".yaml").rsplit('/').next().unwrap_or(file).to_owned();
        if f.enums.is_empty() && f.records.is_empty() && f.unions.is_empty() {
            diags.error(file, vec![], "the file defines no types; add `enums`, `records` or `unions`".to_owned());
        }
        for (i, e) in f.enums.iter().enumerate() {
            check_enum(file, i, e, diags);
        }
        let records = f.records.iter().enumerate().map(|(i, r)| build_record(file, i, r, &kinds, &enum_values, diags)).collect();
        for (i, u) in f.unions.iter().enumerate() {
            for (j, v) in u.variants.iter().enumerate() {
                if kinds.get(&v.ty) != Some(&Kind::Record) {
                    let at = vec![Seg::key("unions"), Seg::Index(i), Seg::key("variants"), Seg::Index(j), Seg::key("type")];
                    diags.error(file, at, format!("a union variant must name a record of the schema; `{}` is not", v.ty));
                }
            }
        }
        modules.push(Module {
            name,
            doc: f.doc.clone(),
            enums: f.enums.iter().map(|e| Enum { name: e.name.clone(), doc: e.doc.clone(), values: e.values.clone() }).collect(),
            records,
            unions: f.unions.iter().map(|u| Union { name: u.name.clone(), doc: u.doc.clone(), variants: u.variants.clone() }).collect(),
        });
    }
    let model = Model { modules };
    for (file, f) in files {
        for (i, r) in f.records.iter().enumerate() {
            check_record_links(file, i, r, &model, diags);
        }
    }
    model
}

fn check_enum(file: &str, i: usize, e: &schema::Enum, diags: &mut Diagnostics) {
    let mut seen = BTreeMap::new();
    for (j, v) in e.values.iter().enumerate() {
        let at = |k: &str| vec![Seg::key("enums"), Seg::Index(i), Seg::key("values"), Seg::Index(j), Seg::key(k)];
        if !is_camel(&v.name) {
            diags.error(file, at("name"), format!("variant name `{}` must be an UpperCamelCase Rust identifier", v.name));
        }
        if seen.insert(v.wire.clone(), ()).is_some() {
            diags.error(file, at("wire"), format!("the wire string `{}` appears twice in `{}`", v.wire, e.name));
        }
    }
    if e.values.is_empty() {
        diags.error(file, vec![Seg::key("enums"), Seg::Index(i), Seg::key("values")], format!("the enum `{}` has no values", e.name));
    }
}

fn build_record(
    file: &str,
    i: usize,
    r: &schema::Record,
    kinds: &BTreeMap<String, Kind>,
    enums: &BTreeMap<String, Vec<String>>,
    diags: &mut Diagnostics,
) -> Record {
    let base = vec![Seg::key("records"), Seg::Index(i)];
    let at = |j: usize, k: &str| {
        let mut p = base.clone();
        p.extend([Seg::key("fields"), Seg::Index(j), Seg::key(k)]);
        p
    };
    let mut fields = Vec::new();
    let mut names = BTreeMap::new();
    let mut wires = BTreeMap::new();
    for (j, f) in r.fields.iter().enumerate() {
        if names.insert(f.name.clone(), j).is_some() {
            diags.error(file, at(j, "name"), format!("the field `{}` appears twice in `{}`", f.name, r.name));
        }
        let rust_name = f.rust_name.clone().unwrap_or_else(|| f.name.clone());
        if !is_rust_ident(&rust_name) {
            let hint = if f.rust_name.is_none() { "; give it a `rust_name`" } else { "" };
            let key = if f.rust_name.is_some() { "rust_name" } else { "name" };
            diags.error(file, at(j, key), format!("`{rust_name}` is not a valid Rust field name{hint}"));
        }
        let wire_key = f.wire.clone().unwrap_or_else(|| f.name.clone());
        if let Some(prev) = wires.insert(wire_key.clone(), j) {
            diags.error(file, at(j, "name"), format!("the wire key `{wire_key}` is used by field {prev} and field {j} of `{}`", r.name));
        }
        let ty = match parse_ty(&f.ty, kinds) {
            Ok(ty) => ty,
            Err(msg) => {
                diags.error(file, at(j, "type"), msg);
                Ty::Any
            }
        };
        let presence = match (&f.default, f.required, f.nullable) {
            (Some(_), true, _) => {
                diags.error(file, at(j, "default"), "a required field cannot have a default; drop one of them".to_owned());
                Presence::Required
            }
            (Some(v), false, nullable) => {
                if !default_fits(v, &ty, enums) {
                    diags.error(file, at(j, "default"), format!("the default does not fit the type `{}`", f.ty));
                }
                Presence::Default { value: v.clone(), nullable }
            }
            (None, true, false) => Presence::Required,
            (None, true, true) => Presence::RequiredKey,
            (None, false, true) => {
                diags.error(file, at(j, "nullable"), "`nullable` needs `required` or `default`; an optional field is nullable already".to_owned());
                Presence::Optional
            }
            (None, false, false) => Presence::Optional,
        };
        if ty.is_runtime() && presence != Presence::Optional {
            diags.error(file, at(j, "type"), "a callback or handle field is always optional; drop `required` and `default`".to_owned());
        }
        if f.gt.is_some() && !ty.is_number() {
            diags.error(file, at(j, "gt"), format!("`gt` needs a number field, and `{}` is `{}`", f.name, f.ty));
        }
        fields.push(Field {
            name: f.name.clone(),
            rust_name,
            wire_key,
            ctor_arg: f.ctor_arg.clone(),
            doc: f.doc.clone(),
            ty,
            presence,
            gt: f.gt,
            conflicts_with: None,
            implied_by: None,
        });
    }
    for (j, f) in r.fields.iter().enumerate() {
        if let Some(other) = &f.conflicts_with {
            match names.get(other) {
                Some(&k) if k != j => fields[j].conflicts_with = Some(k),
                _ => diags.error(file, at(j, "conflicts_with"), format!("`{other}` is not another field of `{}`", r.name)),
            }
        }
        if let Some(imp) = &f.implied_by {
            match names.get(&imp.field) {
                Some(&k) if fields[k].ty == Ty::Bool && default_fits(&imp.value, &fields[j].ty, enums) => {
                    fields[j].implied_by = Some((k, imp.value.clone()));
                }
                Some(&k) if fields[k].ty == Ty::Bool => {
                    diags.error(file, at(j, "implied_by"), format!("the implied value does not fit the type `{}`", f.ty));
                }
                _ => diags.error(file, at(j, "implied_by"), format!("`{}` is not a boolean field of `{}`", imp.field, r.name)),
            }
        }
    }
    let message_attr = r.message_attr.as_ref().map(|attrs| {
        let mut out = Vec::new();
        for (k, a) in attrs.iter().enumerate() {
            let mut p = base.clone();
            p.extend([Seg::key("message_attr"), Seg::Index(k), Seg::key("field")]);
            match names.get(&a.field) {
                Some(&j) => out.push(Attr { field: j, key: a.key.clone().unwrap_or_else(|| fields[j].wire_key.clone()), value: a.value.clone() }),
                None => diags.error(file, p, format!("`{}` is not a field of `{}`", a.field, r.name)),
            }
        }
        out
    });
    let unknown = match r.unknown_keys {
        schema::UnknownKeys::Refuse => Unknown::Refuse,
        schema::UnknownKeys::Ignore => Unknown::Ignore,
        schema::UnknownKeys::Keep => Unknown::Keep,
    };
    if unknown == Unknown::Keep && names.contains_key("rest") {
        diags.error(file, base.clone(), "`unknown_keys: keep` stores other keys in a field `rest`, which this record already has".to_owned());
    }
    if fields.len() > 64 {
        diags.error(file, base.clone(), "a record may have at most 64 fields".to_owned());
    }
    Record {
        name: r.name.clone(),
        doc: r.doc.clone(),
        unknown,
        public: r.public,
        fields,
        constants: r.constants.clone(),
        message_attr,
        derived: r.derived.clone(),
        conversions: r.conversions.clone(),
    }
}

/// Checks what refers to other records: derived values and conversions.
fn check_record_links(file: &str, i: usize, r: &schema::Record, model: &Model, diags: &mut Diagnostics) {
    let Some(rec) = model.record(&r.name) else { return };
    for (k, d) in r.derived.iter().enumerate() {
        let at = vec![Seg::key("records"), Seg::Index(i), Seg::key("derived"), Seg::Index(k), Seg::key("join")];
        for name in &d.join {
            match rec.field(name).map(|f| &f.ty) {
                Some(Ty::Enum(e)) => {
                    if model.enum_def(e).is_some_and(|e| !e.values.iter().any(|v| v.name == d.unset)) {
                        diags.error(file, at.clone(), format!("the enum `{e}` has no value `{}` to stand in for unset", d.unset));
                    }
                }
                _ => diags.error(file, at.clone(), format!("`{name}` is not an enum field of `{}`", r.name)),
            }
        }
    }
    for (k, c) in r.conversions.iter().enumerate() {
        let at = |key: &str| vec![Seg::key("records"), Seg::Index(i), Seg::key("conversions"), Seg::Index(k), Seg::key(key)];
        let Some(src) = model.record(&c.source) else {
            diags.error(file, at("source"), format!("`{}` is not a record of the schema", c.source));
            continue;
        };
        let first = c.first_of.as_ref().and_then(|name| match src.field(name).map(|f| &f.ty) {
            Some(Ty::List(inner)) => match &**inner {
                Ty::Record(r) => model.record(r),
                _ => None,
            },
            _ => None,
        });
        if c.first_of.is_some() && first.is_none() {
            diags.error(file, at("first_of"), format!("`first_of` must name a list-of-records field of `{}`", c.source));
        }
        for f in &c.fields {
            if rec.field(&f.target).is_none() || src.field(&f.source).is_none() || first.is_some_and(|fr| fr.field(&f.target).is_none()) {
                diags.error(file, at("fields"), format!("`{}` from `{}` does not name fields on both sides", f.target, f.source));
            }
        }
    }
}
