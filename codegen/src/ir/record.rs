//! Records, lowered and checked in one pass: each field's name, type,
//! presence, default and links to the other fields, then the record's
//! constants, `message_attr` and error text; and, once every record is
//! lowered, [`links`]: its values, derived methods and conversions. Each
//! setting is resolved here once, and what is wrong with it is reported at
//! its node.

use std::collections::BTreeMap;

use serde_yaml::Value as Y;

use super::{Lower, Model, Origin, RecordId};
use crate::diag::{Seg, did_you_mean};
use crate::schema;
use crate::types::{Names, Ty, is_case, is_rust_ident, parse_ty, ty_text};

pub struct Record {
    pub origin: Origin,
    pub id: RecordId,
    pub name: String,
    pub doc: String,
    pub unknown: Unknown,
    pub public: bool,
    pub fields: Vec<Field>,
    pub constants: Vec<Constant>,
    pub values: Vec<RecordValue>,
    pub message_attr: Option<Vec<Attr>>,
    /// An error record: the fields of its URI and of the values shown after it.
    pub error: Option<(usize, usize)>,
    pub derived: Vec<Derived>,
    pub conversions: Vec<Conversion>,
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

#[derive(Clone)]
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
    pub implied_by: Option<(usize, Given)>,
    /// An optional field: whether `null` means unset (else it is refused).
    pub null_unset: bool,
    /// `marshal: set` writes the field only when its value is truthy.
    pub write_truthy: bool,
    /// Index of the field that must be set while this one is set and truthy.
    pub requires: Option<usize>,
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
    Default { value: Given, nullable: bool },
}

impl Field {
    /// Whether the field can be left unset, as `conflicts_with` needs of
    /// the field it names.
    pub fn may_be_unset(&self) -> bool {
        self.ty.is_runtime() || matches!(self.presence, Presence::Optional | Presence::RequiredKey)
    }
}

/// A value the schema gives a field (a default, an implied or a fixed
/// value): typed, and as the schema writes it, for the docs.
#[derive(Clone, Debug, PartialEq)]
pub struct Given {
    pub lit: Lit,
    pub text: String,
}

/// A value of a field's type.
#[derive(Clone, Debug, PartialEq)]
pub enum Lit {
    Bool(bool),
    Flag(bool),
    Int(i128),
    UInt(u64),
    Float(f64),
    NumberInt(i128),
    NumberFloat(f64),
    Str(String),
    /// A value of an enum: the enum and the variant.
    Variant(String, String),
    /// A list: empty, or the scalars of a `list<any>`.
    List(Vec<Scalar>),
    EmptyMap,
}

/// A fixed scalar of any type.
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
}

/// One key of `message_attr()`.
pub struct Attr {
    pub field: usize,
    pub key: String,
    /// The fixed value sent while a field set in code is set.
    pub value: Option<Scalar>,
}

/// An associated string constant.
pub struct Constant {
    pub name: String,
    pub doc: String,
    pub value: String,
}

/// A value of the record as an associated constant.
pub struct RecordValue {
    pub name: String,
    pub doc: String,
    pub value: RecordLit,
    /// Its dict form as JSON, for the docs.
    pub json: String,
}

/// A record value: the fields given, each with its value; the others unset.
pub struct RecordLit {
    pub record: RecordId,
    pub fields: Vec<(usize, Const)>,
}

pub enum Const {
    Bool(bool),
    Int(i128),
    UInt(u64),
    Record(RecordLit),
}

/// A method that joins the wire strings of enum fields.
pub struct Derived {
    pub name: String,
    pub doc: String,
    /// The fields joined, each with its enum.
    pub join: Vec<(usize, String)>,
    pub separator: String,
    /// The variant that stands in for an unset field.
    pub unset: String,
}

/// A constructor from another record.
pub struct Conversion {
    pub name: String,
    pub doc: String,
    pub source: RecordId,
    /// The list-of-records field of the source whose first entry, when
    /// there is one, gives the values instead; the record of its entries;
    /// and, for each of `fields`, the field of that record named as the target.
    pub first_of: Option<(usize, RecordId, Vec<usize>)>,
    pub fields: Vec<ConversionField>,
}

/// A field of a conversion: the target field and the source field.
pub struct ConversionField {
    pub target: usize,
    pub source: usize,
}

/// Lowers and checks record `r`, whose enums `model` already holds.
pub(super) fn record(cx: &mut Lower, id: RecordId, origin: Origin, r: &schema::Record, model: &Model) -> Record {
    let within = |parts: &[Seg]| origin.at(parts);
    let at = |j: usize, k: &str| origin.at(&[Seg::key("fields"), Seg::Index(j), Seg::key(k)]);
    let (mut by_name, mut by_rust, mut by_wire) =
        (BTreeMap::<&str, usize>::new(), BTreeMap::<String, usize>::new(), BTreeMap::<String, usize>::new());
    let mut fields: Vec<Field> = Vec::new();
    for (j, f) in r.fields.iter().enumerate() {
        if let Some(&k) = by_name.get(f.name.as_str()) {
            let first = cx.first_at(&at(k, "name"));
            cx.error(at(j, "name"), format!("the field `{}` appears twice in `{}`{first}", f.name, r.name));
        }
        let rust_name = f.rust_name.clone().unwrap_or_else(|| f.name.clone());
        let rust_key = if f.rust_name.is_some() { "rust_name" } else { "name" };
        if !is_rust_ident(&rust_name) {
            let hint = if f.rust_name.is_none() { "; give the field a `rust_name`" } else { "" };
            cx.error(at(j, rust_key), format!("`{rust_name}` is not a valid Rust field name{hint}"));
        } else if let Some(&k) = by_rust.get(&rust_name).filter(|_| !by_name.contains_key(f.name.as_str())) {
            let other = &r.fields[k].name;
            let msg = format!("the Rust name `{rust_name}` is also that of the field `{other}`; give one of them another `rust_name`");
            cx.error(at(j, rust_key), msg);
        }
        if let Some(arg) = f.ctor_arg.as_ref().filter(|a| !is_rust_ident(a)) {
            cx.error(at(j, "ctor_arg"), format!("`{arg}` is not a valid Rust identifier for a constructor argument"));
        }
        // The wire key is decided here, once: `wire` if given, else the name.
        // `marshal`, `parse`, serde and `message_attr` all use it.
        let wire_key = f.wire.clone().unwrap_or_else(|| f.name.clone());
        if let Some(&k) = by_wire.get(&wire_key).filter(|_| !by_name.contains_key(f.name.as_str())) {
            let other = &r.fields[k].name;
            let key = if f.wire.is_some() { "wire" } else { "name" };
            cx.error(at(j, key), format!("the wire key `{wire_key}` is also that of the field `{other}` of `{}`", r.name));
        }
        by_name.entry(&f.name).or_insert(j);
        by_rust.entry(rust_name.clone()).or_insert(j);
        by_wire.entry(wire_key.clone()).or_insert(j);
        // A type that cannot be read is reported; checks that need it are skipped.
        let ty = match parse_ty(&f.ty, cx.names) {
            Ok(ty) => Some(ty),
            Err(msg) => {
                if let Some(msg) = msg {
                    cx.error(at(j, "type"), msg);
                }
                cx.bad.insert((r.name.clone(), f.name.clone()));
                None
            }
        };
        let presence = match (&f.default, f.required, f.nullable) {
            (Some(_), true, _) => {
                cx.error(at(j, "default"), "a required field cannot have a default; drop `required` or `default`".to_owned());
                Presence::Required
            }
            (Some(v), false, nullable) => match ty.as_ref().map(|ty| given(v, ty, &f.ty, cx.names, model)) {
                Some(Ok(value)) => Presence::Default { value, nullable },
                Some(Err(problem)) => {
                    cx.error(at(j, "default"), format!("the default {problem}"));
                    Presence::Required
                }
                // A default that is not read counts as one that always gives a value.
                None => Presence::Required,
            },
            (None, true, false) => Presence::Required,
            (None, true, true) => Presence::RequiredKey,
            (None, false, true) if r.nulls != schema::Nulls::Refuse => {
                cx.error(at(j, "nullable"), "`nullable` needs `required` or `default`; an optional field is nullable already".to_owned());
                Presence::Optional
            }
            (None, false, _) => Presence::Optional,
        };
        if ty.as_ref().is_some_and(Ty::is_runtime) && (f.required || f.default.is_some()) {
            let key = if f.default.is_some() { "default" } else { "required" };
            cx.error(at(j, key), format!("a `{}` field is always optional; drop `required` and `default`", f.ty.trim()));
        }
        if f.gt.is_some() && ty.as_ref().is_some_and(|t| !t.is_number()) {
            cx.error(at(j, "gt"), format!("`gt` needs a number field, and `{}` is `{}`", f.name, f.ty));
        }
        // A `uint` field's type carries its bound, so that its codec refuses
        // a negative number as the bound does.
        let ty = match (ty, f.gt) {
            (Some(Ty::UInt(_)), Some(g)) if g.fract() == 0.0 && g >= -1.0 => Ty::UInt(g as i64),
            (Some(Ty::UInt(_)), Some(g)) => {
                let msg = format!("the `gt` of a `uint` field must be a whole number, -1 or more (a `uint` is never negative), not {g}");
                cx.error(at(j, "gt"), msg);
                Ty::UInt(-1)
            }
            (ty, _) => ty.unwrap_or(Ty::Any),
        };
        fields.push(Field {
            origin: origin.entry("fields", j),
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
            null_unset: r.nulls != schema::Nulls::Refuse || f.nullable,
            write_truthy: f.write == schema::Write::Truthy,
            requires: None,
        });
    }
    let is_bad = |cx: &Lower, name: &str| cx.bad.contains(&(r.name.clone(), name.to_owned()));
    for (j, f) in r.fields.iter().enumerate() {
        if let Some(other) = &f.conflicts_with {
            match by_name.get(other.as_str()) {
                Some(&k) if k != j && !fields[j].may_be_unset() => {
                    let msg =
                        format!("`{}` always has a value, so `{other}` could never be set; `conflicts_with` goes on an optional field", f.name);
                    cx.error(at(j, "conflicts_with"), msg);
                }
                Some(&k) if k != j && fields[k].may_be_unset() => fields[j].conflicts_with = Some(k),
                Some(&k) if k != j => {
                    let msg = format!("`{other}` always has a value, so `{}` could never be set; name an optional field", f.name);
                    cx.error(at(j, "conflicts_with"), msg);
                }
                _ => cx.error(at(j, "conflicts_with"), format!("`{other}` is not another field of `{}`", r.name)),
            }
        }
        let Some(imp) = &f.implied_by else { continue };
        let imp_at = |k: &str| origin.at(&[Seg::key("fields"), Seg::Index(j), Seg::key("implied_by"), Seg::key(k)]);
        match by_name.get(imp.field.as_str()) {
            Some(_) if is_bad(cx, &imp.field) || is_bad(cx, &f.name) => {}
            Some(&k) if fields[k].ty == Ty::Bool => match given(&imp.value, &fields[j].ty, &f.ty, cx.names, model) {
                Ok(value) => fields[j].implied_by = Some((k, value)),
                Err(problem) => cx.error(imp_at("value"), format!("the implied value {problem}")),
            },
            _ => cx.error(imp_at("field"), format!("`{}` is not a boolean field of `{}`", imp.field, r.name)),
        }
    }
    let mut constants = Vec::new();
    let mut seen = BTreeMap::new();
    for (k, c) in r.constants.iter().enumerate() {
        let at = |key: &str| within(&[Seg::key("constants"), Seg::Index(k), Seg::key(key)]);
        if !is_case(&c.name, true) {
            cx.error(at("name"), format!("constant name `{}` must be an UPPER_SNAKE_CASE Rust identifier", c.name));
        } else if let Some(first) = seen.insert(&c.name, k) {
            let first = cx.first_at(&within(&[Seg::key("constants"), Seg::Index(first), Seg::key("name")]));
            cx.error(at("name"), format!("the constant `{}` appears twice in `{}`{first}", c.name, r.name));
        }
        match (c.ty.trim(), &c.value) {
            ("string", Y::String(value)) => constants.push(Constant { name: c.name.clone(), doc: c.doc.clone(), value: value.clone() }),
            ("string", _) => cx.error(at("value"), "the value of a `string` constant must be a string; quote it".to_owned()),
            _ => cx.error(at("type"), format!("constants can only have the type `string`, not `{}`", c.ty)),
        }
    }
    let message_attr = r.message_attr.as_ref().map(|attrs| {
        let mut seen = BTreeMap::<&str, usize>::new();
        let mut out = Vec::new();
        for (k, a) in attrs.iter().enumerate() {
            let p = within(&[Seg::key("message_attr"), Seg::Index(k), Seg::key("field")]);
            let Some(&j) = by_name.get(a.field.as_str()) else {
                let hint = did_you_mean(&a.field, r.fields.iter().map(|f| f.name.as_str()));
                cx.error(p, format!("`{}` is not a field of `{}`{hint}", a.field, r.name));
                continue;
            };
            let twice = seen.get(a.field.as_str()).copied();
            if let Some(first) = twice {
                let first = cx.first_at(&within(&[Seg::key("message_attr"), Seg::Index(first), Seg::key("field")]));
                cx.error(p.clone(), format!("the field `{}` appears twice in `message_attr`{first}; a field sends one key", a.field));
            }
            seen.entry(a.field.as_str()).or_insert(k);
            if a.value.is_none() && fields[j].ty.is_runtime() {
                let msg = format!(
                    "`{}` is set in code, not carried as data: give the fixed `value` that `message_attr` sends while it is set",
                    a.field
                );
                cx.error(p, msg);
            }
            if twice.is_some() {
                continue;
            }
            let value = match &a.value {
                None => None,
                Some(v) => match scalar(v) {
                    Some(s) => Some(s),
                    None => {
                        let p = within(&[Seg::key("message_attr"), Seg::Index(k), Seg::key("value")]);
                        cx.error(p, "the `value` of a `message_attr` entry is a string, a number, a boolean or null".to_owned());
                        continue;
                    }
                },
            };
            out.push(Attr { field: j, key: a.key.clone().unwrap_or_else(|| fields[j].wire_key.clone()), value });
        }
        out
    });
    let mut error = None;
    if let Some(e) = &r.error {
        let wanted = [("uri", &e.uri, Ty::Str, "string"), ("args", &e.args, Ty::List(Box::new(Ty::Any)), "list<any>")];
        let mut found = Vec::new();
        for (key, name, ty, ty_text) in wanted {
            let p = within(&[Seg::key("error"), Seg::key(key)]);
            let Some(&j) = by_name.get(name.as_str()) else {
                let hint = did_you_mean(name, r.fields.iter().map(|f| f.name.as_str()));
                cx.error(p, format!("`{name}` is not a field of `{}`{hint}", r.name));
                continue;
            };
            let f = &fields[j];
            let fits = f.ty == ty || (key == "uri" && f.ty == Ty::Uri);
            if !fits || f.may_be_unset() {
                cx.error(p, format!("`{name}` must be a `{ty_text}` field that always has a value (required or with a default)"));
            }
            found.push(j);
        }
        if let [uri, args] = found[..] {
            error = Some((uri, args));
        }
    }
    for (j, f) in r.fields.iter().enumerate() {
        if f.write == schema::Write::Truthy && r.marshal != schema::Marshal::Set {
            cx.error(at(j, "write"), "`write: truthy` needs `marshal: set` on the record".to_owned());
        }
        let Some(other) = &f.requires else { continue };
        match by_name.get(other.as_str()) {
            Some(&k) if k != j && other != &f.name && !fields[j].may_be_unset() => {
                cx.error(at(j, "requires"), format!("`{}` always has a value; `requires` goes on an optional field", f.name));
            }
            Some(&k) if k != j && other != &f.name => fields[j].requires = Some(k),
            _ => {
                let hint = did_you_mean(other, r.fields.iter().map(|f| f.name.as_str()));
                cx.error(at(j, "requires"), format!("`{other}` is not another field of `{}`{hint}", r.name));
            }
        }
    }
    for (k, key) in r.refuse_keys.iter().enumerate() {
        let at = within(&[Seg::key("refuse_keys"), Seg::Index(k)]);
        if by_wire.contains_key(key) {
            cx.error(at, format!("`{key}` is the wire key of a field of `{}`; it cannot also be refused", r.name));
        } else if r.unknown_keys == schema::UnknownKeys::Refuse {
            cx.error(at, "`refuse_keys` is for records that accept other unknown keys; this one refuses them all".to_owned());
        }
    }
    let unknown = match r.unknown_keys {
        schema::UnknownKeys::Refuse => Unknown::Refuse,
        schema::UnknownKeys::Ignore => Unknown::Ignore,
        schema::UnknownKeys::Keep => Unknown::Keep,
        schema::UnknownKeys::Custom => Unknown::Custom,
    };
    if unknown.keeps_rest() && fields.iter().any(|f| f.rust_name == "rest") {
        let msg = "`unknown_keys: keep` and `custom` store other keys in a field `rest`, which this record already has";
        cx.error(within(&[Seg::key("unknown_keys")]), msg.to_owned());
    }
    if fields.len() > 64 {
        cx.error(within(&[Seg::key("fields")]), format!("a record may have at most 64 fields; `{}` has {}", r.name, fields.len()));
    }
    Record {
        origin,
        id,
        name: r.name.clone(),
        doc: r.doc.clone(),
        unknown,
        public: r.public,
        fields,
        constants,
        values: Vec::new(),
        message_attr,
        error,
        derived: Vec::new(),
        conversions: Vec::new(),
        nulls_refused: r.nulls == schema::Nulls::Refuse,
        marshal_set: r.marshal == schema::Marshal::Set,
        non_empty: r.non_empty,
        refuse_keys: r.refuse_keys.clone(),
    }
}

/// What refers to other records, lowered once every record is: the
/// values, derived methods and conversions of `rec`, lowered from `r`.
pub(super) fn links(cx: &mut Lower, rec: &Record, r: &schema::Record, model: &Model) -> (Vec<RecordValue>, Vec<Derived>, Vec<Conversion>) {
    let within = |parts: &[Seg]| rec.origin.at(parts);
    let is_bad = |cx: &Lower, record: &str, field: &str| cx.bad.contains(&(record.to_owned(), field.to_owned()));
    let mut names: BTreeMap<&str, Vec<Seg>> = r
        .constants
        .iter()
        .enumerate()
        .map(|(k, c)| (c.name.as_str(), within(&[Seg::key("constants"), Seg::Index(k), Seg::key("name")])))
        .collect();
    let mut values = Vec::new();
    for (k, v) in r.values.iter().enumerate() {
        let at = |parts: &[Seg]| within(&[&[Seg::key("values"), Seg::Index(k)], parts].concat());
        if !is_case(&v.name, true) {
            cx.error(at(&[Seg::key("name")]), format!("value name `{}` must be an UPPER_SNAKE_CASE Rust identifier", v.name));
        } else if let Some(first) = names.get(v.name.as_str()) {
            let first = cx.first_at(first);
            cx.error(at(&[Seg::key("name")]), format!("the constant `{}` appears twice in `{}`{first}", v.name, r.name));
        } else {
            names.insert(&v.name, at(&[Seg::key("name")]));
        }
        if let Some(value) = record_lit(cx, rec, &v.value, &at(&[Seg::key("value")]), model) {
            values.push(RecordValue { name: v.name.clone(), doc: v.doc.clone(), value, json: json(&v.value) });
        }
    }
    let mut derived = Vec::new();
    for (k, d) in r.derived.iter().enumerate() {
        let at = |parts: &[Seg]| within(&[&[Seg::key("derived"), Seg::Index(k)], parts].concat());
        if !is_case(&d.name, false) {
            cx.error(at(&[Seg::key("name")]), format!("`{}` is not a valid snake_case Rust method name", d.name));
        }
        let mut join = Vec::new();
        for (n, name) in d.join.iter().enumerate() {
            let j = rec.fields.iter().position(|f| &f.name == name);
            match j.map(|j| (j, &rec.fields[j].ty)) {
                _ if is_bad(cx, &r.name, name) => {}
                Some((j, Ty::Enum(e))) => {
                    if model.enum_def(e).is_some_and(|e| !e.values.iter().any(|v| v.name == d.unset)) {
                        let msg = format!("the enum `{e}` of the field `{name}` has no variant `{}` to stand in for unset", d.unset);
                        cx.error(at(&[Seg::key("unset")]), msg);
                    }
                    join.push((j, e.clone()));
                }
                _ => cx.error(at(&[Seg::key("join"), Seg::Index(n)]), format!("`{name}` is not an enum field of `{}`", r.name)),
            }
        }
        if join.len() == d.join.len() {
            derived.push(Derived { name: d.name.clone(), doc: d.doc.clone(), join, separator: d.separator.clone(), unset: d.unset.clone() });
        }
    }
    let mut conversions = Vec::new();
    for (k, c) in r.conversions.iter().enumerate() {
        let at = |parts: &[Seg]| within(&[&[Seg::key("conversions"), Seg::Index(k)], parts].concat());
        if !is_case(&c.name, false) {
            cx.error(at(&[Seg::key("name")]), format!("`{}` is not a valid snake_case Rust function name", c.name));
        }
        let Some(src) = model.record(&c.source) else {
            if model.enum_def(&c.source).is_some() || cx.diags.complete() {
                cx.error(at(&[Seg::key("source")]), format!("`{}` is not a record of the schema", c.source));
            }
            continue;
        };
        let list = c.first_of.as_ref().map(|name| (name, src.fields.iter().position(|f| &f.name == name)));
        let first = match list {
            Some((name, _)) if is_bad(cx, &src.name, name) => continue,
            Some((_, Some(j))) => match &src.fields[j].ty {
                Ty::List(inner) => match &**inner {
                    Ty::Record(name) => model.record(name).map(|x| (j, x)),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        };
        if c.first_of.is_some() && first.is_none() {
            cx.error(at(&[Seg::key("first_of")]), format!("`first_of` must name a list-of-records field of `{}`", c.source));
        }
        let (mut fields, mut in_firsts) = (Vec::new(), Vec::new());
        for (m, f) in c.fields.iter().enumerate() {
            let at = |key: &str| at(&[Seg::key("fields"), Seg::Index(m), Seg::key(key)]);
            let target = rec.fields.iter().position(|x| x.name == f.target);
            let in_first = first.map(|(_, fr)| fr.fields.iter().position(|x| x.name == f.target));
            if target.is_none() {
                cx.error(at("target"), format!("`{}` is not a field of `{}`", f.target, r.name));
            } else if let (Some((_, fr)), Some(None)) = (first, in_first) {
                cx.error(at("target"), format!("`{}` is not a field of `{}`, the entries of `first_of`", f.target, fr.name));
            }
            let source = src.fields.iter().position(|x| x.name == f.source);
            if source.is_none() {
                cx.error(at("source"), format!("`{}` is not a field of `{}`", f.source, c.source));
            }
            if let (Some(target), Some(source)) = (target, source) {
                fields.push(ConversionField { target, source });
            }
            in_firsts.extend(in_first.flatten());
        }
        let firsts_found = first.is_none_or(|_| in_firsts.len() == c.fields.len());
        if fields.len() == c.fields.len() && c.first_of.is_some() == first.is_some() && firsts_found {
            let first_of = first.map(|(j, fr)| (j, fr.id, in_firsts));
            conversions.push(Conversion { name: c.name.clone(), doc: c.doc.clone(), source: src.id, first_of, fields });
        }
    }
    (values, derived, conversions)
}

/// Lowers a record value given in the dict form of `rec` at `path`: every
/// key a field's wire key, every value a boolean, an integer or a nested
/// record value that fits its field, and every field left out optional, so
/// that the value is a Rust constant.
fn record_lit(cx: &mut Lower, rec: &Record, value: &Y, path: &[Seg], model: &Model) -> Option<RecordLit> {
    let Some(map) = value.as_mapping() else {
        cx.error(path.to_vec(), format!("a value of `{}` is a mapping of its dict keys", rec.name));
        return None;
    };
    if rec.unknown.keeps_rest() {
        let msg = format!("`{}` keeps unknown keys, which a constant cannot hold; a record with values must ignore or refuse them", rec.name);
        cx.error(path.to_vec(), msg);
        return None;
    }
    let mut fields = Vec::new();
    let mut ok = true;
    for (key, v) in map {
        let key = key.as_str().unwrap_or_default();
        let at = [path, &[Seg::key(key)]].concat();
        let Some(j) = rec.fields.iter().position(|f| f.wire_key == key) else {
            let hint = did_you_mean(key, rec.fields.iter().map(|f| f.wire_key.as_str()));
            cx.error([path, &[Seg::KeyName(key.to_owned())]].concat(), format!("`{key}` is not a key of `{}`{hint}", rec.name));
            ok = false;
            continue;
        };
        let value = match (&rec.fields[j].ty, v) {
            (Ty::Bool, Y::Bool(b)) => Some(Const::Bool(*b)),
            (Ty::Int, Y::Number(n)) => n.as_i64().map(|n| Const::Int(n.into())),
            (Ty::UInt(_), Y::Number(n)) => n.as_u64().map(Const::UInt),
            (Ty::Record(name), _) => match model.record(name) {
                Some(inner) => match record_lit(cx, inner, v, &at, model) {
                    Some(lit) => Some(Const::Record(lit)),
                    None => {
                        ok = false;
                        continue;
                    }
                },
                None => None,
            },
            (Ty::Bool | Ty::Int | Ty::UInt(_), _) => None,
            (ty, _) => {
                let msg = format!("`{key}` is a `{}` field; a record value holds only booleans, integers and records", ty_text(ty));
                cx.error(at, msg);
                ok = false;
                continue;
            }
        };
        match value {
            Some(value) => fields.push((j, value)),
            None => {
                cx.error(at, format!("the value of `{key}` does not fit the type `{}`", ty_text(&rec.fields[j].ty)));
                ok = false;
            }
        }
    }
    for f in &rec.fields {
        if !map.contains_key(f.wire_key.as_str()) && (f.presence != Presence::Optional || f.ty.is_runtime()) {
            cx.error(path.to_vec(), format!("`{}` of `{}` always has a value; give it here", f.wire_key, rec.name));
            ok = false;
        }
    }
    ok.then_some(RecordLit { record: rec.id, fields })
}

/// A YAML value of booleans, numbers and mappings as JSON, for the docs.
fn json(v: &Y) -> String {
    match v {
        Y::Mapping(m) => {
            let entries: Vec<String> = m.iter().map(|(k, v)| format!("{}: {}", json(k), json(v))).collect();
            format!("{{{}}}", entries.join(", "))
        }
        Y::String(s) => format!("{s:?}"),
        Y::Bool(b) => b.to_string(),
        Y::Number(n) => n.to_string(),
        _ => "null".to_owned(),
    }
}

/// A fixed scalar; `None` for a list, a mapping or a tagged value.
pub(super) fn scalar(v: &Y) -> Option<Scalar> {
    Some(match v {
        Y::Null => Scalar::Null,
        Y::Bool(b) => Scalar::Bool(*b),
        Y::Number(n) => match n.as_i64() {
            Some(i) => Scalar::Int(i.into()),
            None => Scalar::Float(float(n)),
        },
        Y::String(s) => Scalar::Str(s.clone()),
        _ => return None,
    })
}

fn float(n: &serde_yaml::Number) -> f64 {
    n.as_f64().expect("a YAML number reads as a float")
}

/// A default or implied value for a field of type `ty` (written `text` in
/// the schema), typed; what is wrong with it otherwise.
pub(super) fn given(v: &Y, ty: &Ty, text: &str, names: &Names, model: &Model) -> Result<Given, String> {
    let shown = match v {
        Y::String(s) => s.clone(),
        Y::Sequence(_) | Y::Mapping(_) | Y::Tagged(_) => serde_yaml::to_string(v).unwrap_or_default().trim().replace('\n', " "),
        Y::Null => "null".to_owned(),
        Y::Bool(b) => b.to_string(),
        Y::Number(n) => n.to_string(),
    };
    let lit = match (ty, v) {
        (Ty::Bool, Y::Bool(b)) => Some(Lit::Bool(*b)),
        (Ty::Flag, Y::Bool(b)) => Some(Lit::Flag(*b)),
        (Ty::Float, Y::Number(n)) => Some(Lit::Float(float(n))),
        (Ty::Number, Y::Number(n)) => Some(n.as_i64().map_or_else(|| Lit::NumberFloat(float(n)), |i| Lit::NumberInt(i.into()))),
        (Ty::Str, Y::String(s)) => Some(Lit::Str(s.clone())),
        (Ty::Int, Y::Number(n)) => n.as_i64().map(|i| Lit::Int(i.into())),
        (Ty::UInt(_), Y::Number(n)) => n.as_u64().map(Lit::UInt),
        (Ty::Enum(e), Y::String(s)) => {
            let wires = names.enum_wires.get(e).map_or(&[][..], Vec::as_slice);
            let variant = model.enum_def(e).and_then(|d| d.values.iter().find(|v| &v.wire == s));
            let Some(variant) = variant else {
                let hint = did_you_mean(s, wires.iter().map(String::as_str));
                let hint = if hint.is_empty() { format!("; its values are {}", quoted(wires)) } else { hint };
                return Err(format!("`{s}` is not a value of the enum `{e}`{hint}"));
            };
            Some(Lit::Variant(e.clone(), variant.name.clone()))
        }
        (Ty::List(_), Y::Sequence(s)) if s.is_empty() => Some(Lit::List(Vec::new())),
        (Ty::List(_), Y::Sequence(_)) => return Err(format!("`{shown}` is not empty; a list can only default to `[]`")),
        (Ty::MapAny, Y::Mapping(m)) if m.is_empty() => Some(Lit::EmptyMap),
        (Ty::MapAny, Y::Mapping(_)) => return Err(format!("`{shown}` is not empty; a map can only default to `{{}}`")),
        (Ty::Bool | Ty::Flag | Ty::Int | Ty::UInt(_) | Ty::Float | Ty::Number | Ty::Str | Ty::Enum(_) | Ty::List(_) | Ty::MapAny, _) => None,
        _ => return Err(format!("is not supported for a field of type `{text}`")),
    };
    let written = serde_yaml::to_string(v).unwrap_or_default().trim().to_owned();
    lit.map(|lit| Given { lit, text: written }).ok_or_else(|| format!("`{shown}` does not fit the type `{text}`"))
}

fn quoted(items: &[String]) -> String {
    items.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
}
