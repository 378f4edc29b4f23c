//! Messages, lowered and checked in one pass: the name, the code, each
//! position and its rules, the payload, the session bridge (`bridge.rs`)
//! and the checks between positions.

use std::collections::BTreeMap;

use super::{Check, FieldAt, Lower, Message, Model, PayloadTail, Position, UriRule, bridge};
use crate::diag::Seg;
use crate::schema;
use crate::types::{Kind, Names, Ty, is_camel, is_case, parse_ty, type_hint};

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

/// The type of a message position: `id`, `int`, `uint`, `string`, `uri`, `map` or a record.
fn position_ty(text: &str, names: &Names) -> Option<Ty> {
    match parse_ty(text, names).ok()? {
        ty @ (Ty::Id | Ty::Int | Ty::UInt(_) | Ty::Str | Ty::Uri | Ty::MapAny | Ty::Record(_)) => Some(ty),
        _ => None,
    }
}

/// The position and, for `POSITION.FIELD`, the field of its record that a
/// path names; `None` when it names nothing.
fn resolve_path(path: &str, positions: &[Position], model: &Model) -> Option<(usize, Option<FieldAt>)> {
    let (pos, field) = match path.split_once('.') {
        Some((p, f)) => (p, Some(f)),
        None => (path, None),
    };
    let position = positions.iter().position(|p| p.name == pos)?;
    let Some(f) = field else { return Some((position, None)) };
    let Ty::Record(r) = &positions[position].ty else { return None };
    let r = model.record(r)?;
    let field = r.fields.iter().position(|x| x.name == f)?;
    Some((position, Some(FieldAt { position, record: r.id, field })))
}

/// Lowers message `m`, entry `index` of the file's `messages`; `None` when
/// it has a problem, which is reported.
pub(super) fn message(cx: &mut Lower, index: usize, m: &schema::Message, model: &Model) -> Option<Message> {
    let within = |parts: &[Seg]| [&[Seg::key("messages"), Seg::Index(index)], parts].concat();
    let errors = cx.diags.list.len();
    if !is_camel(&m.name) {
        cx.error(within(&[Seg::key("name")]), format!("message name `{}` must be an UpperCamelCase Rust identifier", m.name));
    }
    let rust_name = format!("{}Message", m.name);
    if cx.names.kinds.contains_key(&rust_name) {
        let msg = format!("the message `{}` becomes the struct `{rust_name}`, which is also a type of the schema", m.name);
        cx.error(within(&[Seg::key("name")]), msg);
    }
    if !(0..=u16::MAX as i64).contains(&m.code) {
        cx.error(within(&[Seg::key("code")]), format!("the message code {} is not a WAMP message code (0 to 65535)", m.code));
    }
    let types: Vec<Option<Ty>> = m.fields.iter().map(|p| position_ty(&p.ty, cx.names)).collect();
    // A type that cannot be read is reported; checks that need it are skipped.
    let mut positions: Vec<Position> = m
        .fields
        .iter()
        .zip(&types)
        .map(|(p, ty)| Position {
            name: p.name.clone(),
            doc: p.doc.clone(),
            ty: ty.clone().unwrap_or(Ty::Any),
            nullable: p.nullable,
            optional: p.optional,
            uri_rule: UriRule::Exact,
            one_of: p.one_of.clone().unwrap_or_default(),
        })
        .collect();
    let at = |j: usize, k: &str| within(&[Seg::key("fields"), Seg::Index(j), Seg::key(k)]);
    let mut by_name: BTreeMap<&str, usize> = BTreeMap::new();
    let mut optional_seen = false;
    for (j, (p, ty)) in m.fields.iter().zip(&types).enumerate() {
        if !is_case(&p.name, false) {
            cx.error(at(j, "name"), format!("position name `{}` must be a snake_case Rust identifier", p.name));
        } else if p.name == "payload" && m.payload.is_some() {
            cx.error(at(j, "name"), "`payload` is the name of the message's payload; name the position otherwise".to_owned());
        }
        if let Some(&k) = by_name.get(p.name.as_str()) {
            let first = cx.first_at(&at(k, "name"));
            cx.error(at(j, "name"), format!("the position `{}` appears twice in `{}`{first}", p.name, m.name));
        }
        by_name.entry(&p.name).or_insert(j);
        if ty.is_none() {
            let known = cx.names.kinds.get(p.ty.trim());
            let hint = if known.is_none() && cx.names.missing(p.ty.trim()) { type_hint(p.ty.trim(), cx.names) } else { String::new() };
            let what = match known {
                Some(Kind::Enum) | Some(Kind::Union) => format!("`{}` is not a record", p.ty),
                _ => format!("`{}` is not a position type", p.ty),
            };
            cx.error(at(j, "type"), format!("{what}; a position is `id`, `int`, `string`, `uri`, `map` or a record{hint}"));
        }
        if p.optional {
            optional_seen = true;
            if !matches!(ty, Some(Ty::Record(_) | Ty::MapAny) | None) {
                cx.error(at(j, "optional"), "only a record or `map` position may be optional".to_owned());
            }
            if m.payload.is_some() {
                cx.error(at(j, "optional"), "a message with a payload cannot have optional positions".to_owned());
            }
        } else if optional_seen {
            cx.error(at(j, "name"), "a position after an optional one must be optional too".to_owned());
        }
        if p.nullable && !matches!(ty, Some(Ty::Str | Ty::Uri) | None) {
            cx.error(at(j, "nullable"), "only a `string` or `uri` position may be nullable".to_owned());
        }
        if p.one_of.is_some() && !matches!(ty, Some(Ty::UInt(_)) | None) {
            cx.error(at(j, "one_of"), "`one_of` needs a `uint` position".to_owned());
        }
        let Some(rule) = &p.uri_rule else { continue };
        positions[j].uri_rule = match rule.as_str() {
            "exact" => UriRule::Exact,
            "prefix" => UriRule::Prefix,
            "wildcard" => UriRule::Wildcard,
            path => match resolve_path(path, &positions, model) {
                Some((_, Some(f))) if model.field(f).ty == Ty::Enum("MatchPolicy".to_owned()) => UriRule::Match(f),
                _ if matches!(ty, Some(Ty::Uri) | None) => {
                    let msg = format!(
                        "`{rule}` is neither `exact`, `prefix`, `wildcard` nor `POSITION.FIELD` naming a `MatchPolicy` field of a record position"
                    );
                    cx.error(at(j, "uri_rule"), msg);
                    continue;
                }
                _ => UriRule::Exact,
            },
        };
        if !matches!(ty, Some(Ty::Uri) | None) {
            cx.error(at(j, "uri_rule"), "`uri_rule` needs a `uri` position".to_owned());
        }
    }
    let is_record = |p: &Position| matches!(p.ty, Ty::Record(_));
    let payload = match &m.payload {
        None => None,
        Some(t) => {
            let dict = match &t.dict {
                Some(d) => positions.iter().position(|p| &p.name == d && is_record(p)),
                None => positions.iter().position(is_record),
            };
            match (dict, &t.dict) {
                (Some(dict), _) => Some(PayloadTail { args_nullable: t.args_nullable, dict }),
                (None, Some(d)) => {
                    cx.error(within(&[Seg::key("payload"), Seg::key("dict")]), format!("`{d}` is not a record position of `{}`", m.name));
                    None
                }
                (None, None) => {
                    cx.error(within(&[Seg::key("payload")]), format!("`{}` has no record position to hold the `enc_*` keys", m.name));
                    None
                }
            }
        }
    };
    let bridge_at = |k: &str| within(&[Seg::key(k)]);
    let outgoing = m
        .outgoing
        .as_ref()
        .and_then(|o| bridge::outgoing(o, m, &positions, model, cx.names, &bridge_at("outgoing")).map_err(|problems| cx.report(problems)).ok());
    let incoming = m
        .incoming
        .as_ref()
        .and_then(|i| bridge::incoming(i, m, &positions, model, cx.names, &bridge_at("incoming")).map_err(|problems| cx.report(problems)).ok());
    let mut checks = Vec::new();
    for (k, c) in m.checks.iter().enumerate() {
        let at = |key: &str| within(&[Seg::key("checks"), Seg::Index(k), Seg::key(key)]);
        let when = match resolve_path(&c.when_set, &positions, model) {
            Some((_, Some(f))) => Some(f),
            _ => {
                cx.error(at("when_set"), format!("`{}` is not `POSITION.FIELD` naming a field of a record position", c.when_set));
                None
            }
        };
        // `Err` for a path that names nothing.
        let zero = match &c.zero {
            None => Ok(None),
            Some(z) => match positions.iter().position(|p| &p.name == z && matches!(p.ty, Ty::Id | Ty::Int | Ty::UInt(_))) {
                Some(i) => Ok(Some(i)),
                None => {
                    cx.error(at("zero"), format!("`{z}` is not an `id`, `int` or `uint` position"));
                    Err(())
                }
            },
        };
        let nonzero = match &c.nonzero {
            None => Ok(None),
            Some(z) => match resolve_path(z, &positions, model) {
                Some(found) => Ok(Some(found)),
                None => {
                    cx.error(at("nonzero"), format!("`{z}` is not a position nor `POSITION.FIELD`"));
                    Err(())
                }
            },
        };
        if let (Some(when), Ok(zero), Ok(nonzero)) = (when, zero, nonzero) {
            checks.push(Check { doc: c.doc.clone(), when, zero, nonzero });
        }
    }
    (cx.diags.list.len() == errors).then(|| Message {
        name: m.name.clone(),
        rust_name,
        wire_name: wire_name(&m.name),
        code: m.code,
        doc: m.doc.clone(),
        positions,
        payload,
        checks,
        outgoing,
        incoming,
    })
}
