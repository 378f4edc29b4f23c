//! The checks of one record: its fields, their types, defaults and links
//! to each other, its constants and `message_attr`, and then, with the
//! whole model built, its derived values and conversions.

use std::collections::BTreeMap;

use super::{Bad, first_at};
use crate::diag::{Diagnostics, Seg, did_you_mean};
use crate::ir::{self, Model, Presence, Ty};
use crate::schema;
use crate::types::{Names, is_case, is_rust_ident, parse_ty, value_problem};

/// Checks the record `rec` against `r`, the schema entry it was lowered
/// from (its origin). Fields whose type cannot be read are added to `bad`.
pub(super) fn check_record(r: &schema::Record, rec: &ir::Record, names: &Names, bad: &mut Bad, diags: &mut Diagnostics) {
    let file = rec.origin.file.as_str();
    let within = |parts: &[Seg]| rec.origin.at(parts);
    let at = |j: usize, k: &str| rec.fields[j].origin.at(&[Seg::key(k)]);
    let (mut by_name, mut by_rust, mut by_wire) =
        (BTreeMap::<String, usize>::new(), BTreeMap::<String, usize>::new(), BTreeMap::<String, usize>::new());
    for field in &rec.fields {
        let j = field.origin.index();
        let f = &r.fields[j];
        if let Some(&k) = by_name.get(&f.name) {
            let first = first_at(diags, file, &at(k, "name"));
            diags.error(file, at(j, "name"), format!("the field `{}` appears twice in `{}`{first}", f.name, r.name));
        }
        let rust_name = &field.rust_name;
        let rust_key = if f.rust_name.is_some() { "rust_name" } else { "name" };
        if !is_rust_ident(rust_name) {
            let hint = if f.rust_name.is_none() { "; give the field a `rust_name`" } else { "" };
            diags.error(file, at(j, rust_key), format!("`{rust_name}` is not a valid Rust field name{hint}"));
        } else if let Some(&k) = by_rust.get(rust_name).filter(|_| !by_name.contains_key(&f.name)) {
            let other = &r.fields[k].name;
            diags.error(
                file,
                at(j, rust_key),
                format!("the Rust name `{rust_name}` is also that of the field `{other}`; give one of them another `rust_name`"),
            );
        }
        if let Some(arg) = f.ctor_arg.as_ref().filter(|a| !is_rust_ident(a)) {
            diags.error(file, at(j, "ctor_arg"), format!("`{arg}` is not a valid Rust identifier for a constructor argument"));
        }
        let wire_key = &field.wire_key;
        if let Some(&k) = by_wire.get(wire_key).filter(|_| !by_name.contains_key(&f.name)) {
            let other = &r.fields[k].name;
            let key = if f.wire.is_some() { "wire" } else { "name" };
            diags.error(file, at(j, key), format!("the wire key `{wire_key}` is also that of the field `{other}` of `{}`", r.name));
        }
        by_name.entry(f.name.clone()).or_insert(j);
        by_rust.entry(rust_name.clone()).or_insert(j);
        by_wire.entry(wire_key.clone()).or_insert(j);
        let ty = match parse_ty(&f.ty, names) {
            Ok(ty) => Some(ty),
            Err(msg) => {
                if let Some(msg) = msg {
                    diags.error(file, at(j, "type"), msg);
                }
                bad.insert((r.name.clone(), f.name.clone()));
                None
            }
        };
        match (&f.default, f.required, f.nullable) {
            (Some(_), true, _) => {
                let msg = "a required field cannot have a default; drop `required` or `default`";
                diags.error(file, at(j, "default"), msg.to_owned());
            }
            (Some(v), false, _) => {
                if let Some(ty) = &ty
                    && let Some(problem) = value_problem(v, ty, &f.ty, names)
                {
                    diags.error(file, at(j, "default"), format!("the default {problem}"));
                }
            }
            (None, false, true) if r.nulls == schema::Nulls::Refuse => {}
            (None, false, true) => {
                let msg = "`nullable` needs `required` or `default`; an optional field is nullable already";
                diags.error(file, at(j, "nullable"), msg.to_owned());
            }
            (None, _, _) => {}
        }
        if ty.as_ref().is_some_and(Ty::is_runtime) && field.presence != Presence::Optional {
            let key = if f.default.is_some() { "default" } else { "required" };
            let msg = format!("a `{}` field is always optional; drop `required` and `default`", f.ty.trim());
            diags.error(file, at(j, key), msg);
        }
        if f.gt.is_some() && ty.as_ref().is_some_and(|t| !t.is_number()) {
            diags.error(file, at(j, "gt"), format!("`gt` needs a number field, and `{}` is `{}`", f.name, f.ty));
        }
        if let (Some(Ty::UInt(_)), Some(g)) = (&ty, f.gt)
            && (g.fract() != 0.0 || g < -1.0)
        {
            let msg = format!("the `gt` of a `uint` field must be a whole number, -1 or more (a `uint` is never negative), not {g}");
            diags.error(file, at(j, "gt"), msg);
        }
    }
    let fields = &rec.fields;
    let is_bad = |name: &str| bad.contains(&(r.name.clone(), name.to_owned()));
    for field in &rec.fields {
        let j = field.origin.index();
        let f = &r.fields[j];
        if let Some(other) = &f.conflicts_with {
            match by_name.get(other) {
                Some(&k) if k != j && fields[k].may_be_unset() => {}
                Some(&k) if k != j => {
                    let msg = format!("`{other}` always has a value, so `{}` could never be set; name an optional field", f.name);
                    diags.error(file, at(j, "conflicts_with"), msg);
                }
                _ => diags.error(file, at(j, "conflicts_with"), format!("`{other}` is not another field of `{}`", r.name)),
            }
        }
        let Some(imp) = &f.implied_by else { continue };
        let imp_at = |k: &str| field.origin.at(&[Seg::key("implied_by"), Seg::key(k)]);
        match by_name.get(&imp.field) {
            Some(_) if is_bad(&imp.field) || is_bad(&f.name) => {}
            Some(&k) if fields[k].ty == Ty::Bool => {
                if let Some(problem) = value_problem(&imp.value, &fields[j].ty, &f.ty, names) {
                    diags.error(file, imp_at("value"), format!("the implied value {problem}"));
                }
            }
            _ => diags.error(file, imp_at("field"), format!("`{}` is not a boolean field of `{}`", imp.field, r.name)),
        }
    }
    let mut constants = BTreeMap::new();
    for (k, c) in r.constants.iter().enumerate() {
        let at = |key: &str| within(&[Seg::key("constants"), Seg::Index(k), Seg::key(key)]);
        if !is_case(&c.name, true) {
            diags.error(file, at("name"), format!("constant name `{}` must be an UPPER_SNAKE_CASE Rust identifier", c.name));
        } else if let Some(first) = constants.insert(&c.name, k) {
            let first = first_at(diags, file, &within(&[Seg::key("constants"), Seg::Index(first), Seg::key("name")]));
            diags.error(file, at("name"), format!("the constant `{}` appears twice in `{}`{first}", c.name, r.name));
        }
        if c.ty.trim() != "string" {
            diags.error(file, at("type"), format!("constants can only have the type `string`, not `{}`", c.ty));
        } else if !c.value.is_string() {
            diags.error(file, at("value"), "the value of a `string` constant must be a string; quote it".to_owned());
        }
    }
    let mut attr_fields = BTreeMap::<&str, usize>::new();
    for (k, a) in r.message_attr.iter().flatten().enumerate() {
        let p = within(&[Seg::key("message_attr"), Seg::Index(k), Seg::key("field")]);
        let Some(&j) = by_name.get(&a.field) else {
            let hint = did_you_mean(&a.field, r.fields.iter().map(|f| f.name.as_str()));
            diags.error(file, p, format!("`{}` is not a field of `{}`{hint}", a.field, r.name));
            continue;
        };
        if let Some(&first) = attr_fields.get(a.field.as_str()) {
            let first = first_at(diags, file, &within(&[Seg::key("message_attr"), Seg::Index(first), Seg::key("field")]));
            diags.error(file, p.clone(), format!("the field `{}` appears twice in `message_attr`{first}; a field sends one key", a.field));
        }
        attr_fields.entry(a.field.as_str()).or_insert(k);
        if a.value.is_none() && rec.fields.get(j).is_some_and(|f| f.ty.is_runtime()) {
            let msg =
                format!("`{}` is set in code, not carried as data: give the fixed `value` that `message_attr` sends while it is set", a.field);
            diags.error(file, p, msg);
        }
    }
    if let Some(e) = &r.error {
        let wanted = [("uri", &e.uri, Ty::Str, "string"), ("args", &e.args, Ty::List(Box::new(Ty::Any)), "list<any>")];
        for (key, name, ty, ty_text) in wanted {
            let p = within(&[Seg::key("error"), Seg::key(key)]);
            let Some(&j) = by_name.get(name) else {
                let hint = did_you_mean(name, r.fields.iter().map(|f| f.name.as_str()));
                diags.error(file, p, format!("`{name}` is not a field of `{}`{hint}", r.name));
                continue;
            };
            let Some(f) = rec.fields.iter().find(|f| f.origin.index() == j) else { continue };
            let fits = f.ty == ty || (key == "uri" && f.ty == Ty::Uri);
            if !fits || f.may_be_unset() {
                diags.error(file, p, format!("`{name}` must be a `{ty_text}` field that always has a value (required or with a default)"));
            }
        }
    }
    for (j, f) in r.fields.iter().enumerate() {
        if f.write == schema::Write::Truthy && r.marshal != schema::Marshal::Set {
            diags.error(file, at(j, "write"), "`write: truthy` needs `marshal: set` on the record".to_owned());
        }
        if let Some(other) = &f.requires
            && (other == &f.name || !by_name.contains_key(other))
        {
            let hint = did_you_mean(other, r.fields.iter().map(|f| f.name.as_str()));
            diags.error(file, at(j, "requires"), format!("`{other}` is not another field of `{}`{hint}", r.name));
        }
    }
    for (k, key) in r.refuse_keys.iter().enumerate() {
        let at = within(&[Seg::key("refuse_keys"), Seg::Index(k)]);
        if by_wire.contains_key(key) {
            diags.error(file, at, format!("`{key}` is the wire key of a field of `{}`; it cannot also be refused", r.name));
        } else if r.unknown_keys == schema::UnknownKeys::Refuse {
            diags.error(file, at, "`refuse_keys` is for records that accept other unknown keys; this one refuses them all".to_owned());
        }
    }
    if rec.unknown.keeps_rest() && fields.iter().any(|f| f.rust_name == "rest") {
        let msg = "`unknown_keys: keep` and `custom` store other keys in a field `rest`, which this record already has";
        diags.error(file, within(&[Seg::key("unknown_keys")]), msg.to_owned());
    }
    if fields.len() > 64 {
        diags.error(file, within(&[Seg::key("fields")]), format!("a record may have at most 64 fields; `{}` has {}", r.name, fields.len()));
    }
}

/// Checks what refers to other fields and records: derived values and
/// conversions of `rec`, lowered from `r`.
pub(super) fn check_record_links(r: &schema::Record, rec: &ir::Record, model: &Model, bad: &Bad, diags: &mut Diagnostics) {
    let file = rec.origin.file.as_str();
    let within = |parts: &[Seg]| rec.origin.at(parts);
    let is_bad = |record: &str, field: &str| bad.contains(&(record.to_owned(), field.to_owned()));
    let mut names: BTreeMap<&str, Vec<Seg>> = r
        .constants
        .iter()
        .enumerate()
        .map(|(k, c)| (c.name.as_str(), within(&[Seg::key("constants"), Seg::Index(k), Seg::key("name")])))
        .collect();
    for (k, v) in r.values.iter().enumerate() {
        let at = |parts: &[Seg]| within(&[&[Seg::key("values"), Seg::Index(k)], parts].concat());
        if !is_case(&v.name, true) {
            diags.error(file, at(&[Seg::key("name")]), format!("value name `{}` must be an UPPER_SNAKE_CASE Rust identifier", v.name));
        } else if let Some(first) = names.get(v.name.as_str()) {
            let first = first_at(diags, file, first);
            diags.error(file, at(&[Seg::key("name")]), format!("the constant `{}` appears twice in `{}`{first}", v.name, r.name));
        } else {
            names.insert(&v.name, at(&[Seg::key("name")]));
        }
        check_record_value(rec, &v.value, &at(&[Seg::key("value")]), file, model, diags);
    }
    for (k, d) in r.derived.iter().enumerate() {
        let at = |parts: &[Seg]| within(&[&[Seg::key("derived"), Seg::Index(k)], parts].concat());
        if !is_case(&d.name, false) {
            diags.error(file, at(&[Seg::key("name")]), format!("`{}` is not a valid snake_case Rust method name", d.name));
        }
        for (n, name) in d.join.iter().enumerate() {
            match rec.field(name).map(|f| &f.ty) {
                _ if is_bad(&r.name, name) => {}
                Some(Ty::Enum(e)) => {
                    if model.enum_def(e).is_some_and(|e| !e.values.iter().any(|v| v.name == d.unset)) {
                        let msg = format!("the enum `{e}` of the field `{name}` has no variant `{}` to stand in for unset", d.unset);
                        diags.error(file, at(&[Seg::key("unset")]), msg);
                    }
                }
                _ => diags.error(file, at(&[Seg::key("join"), Seg::Index(n)]), format!("`{name}` is not an enum field of `{}`", r.name)),
            }
        }
    }
    for (k, c) in r.conversions.iter().enumerate() {
        let at = |parts: &[Seg]| within(&[&[Seg::key("conversions"), Seg::Index(k)], parts].concat());
        if !is_case(&c.name, false) {
            diags.error(file, at(&[Seg::key("name")]), format!("`{}` is not a valid snake_case Rust function name", c.name));
        }
        let Some(src) = model.record(&c.source) else {
            if model.enum_def(&c.source).is_some() || diags.complete() {
                diags.error(file, at(&[Seg::key("source")]), format!("`{}` is not a record of the schema", c.source));
            }
            continue;
        };
        let list = c.first_of.as_ref().map(|name| (name, src.field(name).map(|f| &f.ty)));
        let first = match list {
            Some((name, _)) if is_bad(&src.name, name) => continue,
            Some((_, Some(Ty::List(inner)))) => match &**inner {
                Ty::Record(name) => model.record(name),
                _ => None,
            },
            _ => None,
        };
        if c.first_of.is_some() && first.is_none() {
            diags.error(file, at(&[Seg::key("first_of")]), format!("`first_of` must name a list-of-records field of `{}`", c.source));
        }
        for (m, f) in c.fields.iter().enumerate() {
            let at = |key: &str| at(&[Seg::key("fields"), Seg::Index(m), Seg::key(key)]);
            if rec.field(&f.target).is_none() {
                diags.error(file, at("target"), format!("`{}` is not a field of `{}`", f.target, r.name));
            } else if let Some(fr) = first.filter(|fr| fr.field(&f.target).is_none()) {
                diags.error(file, at("target"), format!("`{}` is not a field of `{}`, the entries of `first_of`", f.target, fr.name));
            }
            if src.field(&f.source).is_none() {
                diags.error(file, at("source"), format!("`{}` is not a field of `{}`", f.source, c.source));
            }
        }
    }
}

/// Checks a record value given in the dict form of `rec` at `path`: every
/// key a field's wire key, every value a boolean, an integer or a nested
/// record value that fits its field, and every field left out optional, so
/// that the value is a Rust constant.
fn check_record_value(rec: &ir::Record, value: &serde_yaml::Value, path: &[Seg], file: &str, model: &Model, diags: &mut Diagnostics) {
    let Some(map) = value.as_mapping() else {
        diags.error(file, path.to_vec(), format!("a value of `{}` is a mapping of its dict keys", rec.name));
        return;
    };
    if rec.unknown.keeps_rest() {
        let msg = format!("`{}` keeps unknown keys, which a constant cannot hold; a record with values must ignore or refuse them", rec.name);
        diags.error(file, path.to_vec(), msg);
        return;
    }
    for (key, v) in map {
        let key = key.as_str().unwrap_or_default();
        let at = [path, &[Seg::key(key)]].concat();
        let Some(f) = rec.fields.iter().find(|f| f.wire_key == key) else {
            let hint = did_you_mean(key, rec.fields.iter().map(|f| f.wire_key.as_str()));
            diags.error(file, [path, &[Seg::KeyName(key.to_owned())]].concat(), format!("`{key}` is not a key of `{}`{hint}", rec.name));
            continue;
        };
        let fits = match (&f.ty, v) {
            (Ty::Bool, serde_yaml::Value::Bool(_)) => true,
            (Ty::Int, serde_yaml::Value::Number(n)) => n.is_i64(),
            (Ty::UInt(_), serde_yaml::Value::Number(n)) => n.is_u64(),
            (Ty::Record(name), _) => match model.record(name) {
                Some(inner) => {
                    check_record_value(inner, v, &at, file, model, diags);
                    true
                }
                None => true,
            },
            (Ty::Bool | Ty::Int | Ty::UInt(_), _) => false,
            (ty, _) => {
                let msg =
                    format!("`{key}` is a `{}` field; a record value holds only booleans, integers and records", crate::types::ty_text(ty));
                diags.error(file, at, msg);
                continue;
            }
        };
        if !fits {
            diags.error(file, at, format!("the value of `{key}` does not fit the type `{}`", crate::types::ty_text(&f.ty)));
        }
    }
    for f in &rec.fields {
        if !map.contains_key(f.wire_key.as_str()) && (f.presence != Presence::Optional || f.ty.is_runtime()) {
            let msg = format!("`{}` of `{}` always has a value; give it here", f.wire_key, rec.name);
            diags.error(file, path.to_vec(), msg);
        }
    }
}
