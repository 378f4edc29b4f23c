//! The checks of one message: its code, its positions and their rules, its
//! payload and the checks between positions.

use std::collections::BTreeMap;

use super::first_at;
use crate::diag::{Diagnostics, Seg};
use crate::ir::{Model, Ty, position_ty};
use crate::schema;
use crate::types::{Kind, Names, is_camel, is_case, type_hint};

/// Checks the message `m`, entry `i` of the file's `messages`. `codes`
/// collects the codes seen so far in the whole schema.
pub(super) fn check_message(
    file: &str,
    i: usize,
    m: &schema::Message,
    names: &Names,
    model: &Model,
    codes: &mut BTreeMap<i64, (String, Vec<Seg>)>,
    diags: &mut Diagnostics,
) {
    let within = |parts: &[Seg]| [&[Seg::key("messages"), Seg::Index(i)], parts].concat();
    if !is_camel(&m.name) {
        diags.error(file, within(&[Seg::key("name")]), format!("message name `{}` must be an UpperCamelCase Rust identifier", m.name));
    }
    let rust_name = format!("{}Message", m.name);
    if names.kinds.contains_key(&rust_name) {
        diags.error(
            file,
            within(&[Seg::key("name")]),
            format!("the message `{}` becomes the struct `{rust_name}`, which is also a type of the schema", m.name),
        );
    }
    if !(0..=u16::MAX as i64).contains(&m.code) {
        diags.error(file, within(&[Seg::key("code")]), format!("the message code {} is not a WAMP message code (0 to 65535)", m.code));
    } else if let Some((f0, p0)) = codes.get(&m.code) {
        let (l, c) = diags.position(f0, p0);
        diags.error(file, within(&[Seg::key("code")]), format!("the code {} is also that of another message, at {f0}:{l}:{c}", m.code));
    } else {
        codes.insert(m.code, (file.to_owned(), within(&[Seg::key("code")])));
    }
    let at = |j: usize, k: &str| within(&[Seg::key("fields"), Seg::Index(j), Seg::key(k)]);
    let mut by_name: BTreeMap<&str, usize> = BTreeMap::new();
    let mut optional_seen = false;
    for (j, p) in m.fields.iter().enumerate() {
        if !is_case(&p.name, false) {
            diags.error(file, at(j, "name"), format!("position name `{}` must be a snake_case Rust identifier", p.name));
        } else if p.name == "payload" && m.payload.is_some() {
            diags.error(file, at(j, "name"), "`payload` is the name of the message's payload; name the position otherwise".to_owned());
        }
        if let Some(&k) = by_name.get(p.name.as_str()) {
            let first = first_at(diags, file, &at(k, "name"));
            diags.error(file, at(j, "name"), format!("the position `{}` appears twice in `{}`{first}", p.name, m.name));
        }
        by_name.entry(&p.name).or_insert(j);
        let ty = position_ty(&p.ty, names);
        if ty.is_none() {
            let known = names.kinds.get(p.ty.trim());
            let hint = if known.is_none() && names.missing(p.ty.trim()) { type_hint(p.ty.trim(), names) } else { String::new() };
            let what = match known {
                Some(Kind::Enum) | Some(Kind::Union) => format!("`{}` is not a record", p.ty),
                _ => format!("`{}` is not a position type", p.ty),
            };
            diags.error(file, at(j, "type"), format!("{what}; a position is `id`, `int`, `string`, `uri`, `map` or a record{hint}"));
        }
        if p.optional {
            optional_seen = true;
            if !matches!(ty, Some(Ty::Record(_) | Ty::MapAny) | None) {
                diags.error(file, at(j, "optional"), "only a record or `map` position may be optional".to_owned());
            }
            if m.payload.is_some() {
                diags.error(file, at(j, "optional"), "a message with a payload cannot have optional positions".to_owned());
            }
        } else if optional_seen {
            diags.error(file, at(j, "name"), "a position after an optional one must be optional too".to_owned());
        }
        if p.nullable && !matches!(ty, Some(Ty::Str | Ty::Uri) | None) {
            diags.error(file, at(j, "nullable"), "only a `string` or `uri` position may be nullable".to_owned());
        }
        if p.one_of.is_some() && !matches!(ty, Some(Ty::UInt(_)) | None) {
            diags.error(file, at(j, "one_of"), "`one_of` needs a `uint` position".to_owned());
        }
        if let Some(rule) = &p.uri_rule {
            if !matches!(ty, Some(Ty::Uri) | None) {
                diags.error(file, at(j, "uri_rule"), "`uri_rule` needs a `uri` position".to_owned());
            } else if !["exact", "prefix", "wildcard"].contains(&rule.as_str()) && !is_match_path(rule, m, names, model) {
                let msg = format!(
                    "`{rule}` is neither `exact`, `prefix`, `wildcard` nor `POSITION.FIELD` naming a `MatchPolicy` field of a record position"
                );
                diags.error(file, at(j, "uri_rule"), msg);
            }
        }
    }
    if let Some(tail) = &m.payload {
        let is_record = |name: &str| m.fields.iter().any(|p| p.name == name && matches!(position_ty(&p.ty, names), Some(Ty::Record(_))));
        match &tail.dict {
            Some(d) if !is_record(d) => {
                diags.error(file, within(&[Seg::key("payload"), Seg::key("dict")]), format!("`{d}` is not a record position of `{}`", m.name))
            }
            None if !m.fields.iter().any(|p| is_record(&p.name)) => {
                diags.error(file, within(&[Seg::key("payload")]), format!("`{}` has no record position to hold the `enc_*` keys", m.name))
            }
            _ => {}
        }
    }
    // The bridge was checked while it was lowered: report what was found.
    if let Some(lowered) = model.modules.iter().flat_map(|x| &x.messages).find(|x| x.name == m.name && x.code == m.code) {
        for (path, msg) in &lowered.bridge_problems {
            diags.error(file, path.clone(), msg.clone());
        }
    }
    for (k, c) in m.checks.iter().enumerate() {
        let at = |key: &str| within(&[Seg::key("checks"), Seg::Index(k), Seg::key(key)]);
        if resolve(&c.when_set, m, names, model).is_none_or(|(_, f)| f.is_none()) {
            diags.error(file, at("when_set"), format!("`{}` is not `POSITION.FIELD` naming a field of a record position", c.when_set));
        }
        if let Some(z) = &c.zero
            && !m.fields.iter().any(|p| &p.name == z && matches!(position_ty(&p.ty, names), Some(Ty::Id | Ty::Int | Ty::UInt(_))))
        {
            diags.error(file, at("zero"), format!("`{z}` is not an `id`, `int` or `uint` position"));
        }
        if let Some(z) = &c.nonzero
            && resolve(z, m, names, model).is_none()
        {
            diags.error(file, at("nonzero"), format!("`{z}` is not a position nor `POSITION.FIELD`"));
        }
    }
}

/// The position and field a `POSITION` or `POSITION.FIELD` path names, as
/// lowering resolves it.
fn resolve<'a>(path: &str, m: &schema::Message, names: &Names, model: &'a Model) -> Option<(usize, Option<&'a crate::ir::Field>)> {
    let positions = crate::ir::positions(m, names);
    let (i, field) = crate::ir::resolve_path(path, &positions, model)?;
    match (field, &positions[i].ty) {
        (None, _) => Some((i, None)),
        (Some(j), Ty::Record(r)) => Some((i, Some(&model.record(r)?.fields[j]))),
        (Some(_), _) => None,
    }
}

fn is_match_path(path: &str, m: &schema::Message, names: &Names, model: &Model) -> bool {
    matches!(resolve(path, m, names, model), Some((_, Some(f))) if f.ty == Ty::Enum("MatchPolicy".to_owned()))
}
