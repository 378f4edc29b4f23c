//! The session bridge of a message, checked and resolved: its `outgoing`
//! entry (the message built from an options type) and its `incoming` entry
//! (a record built from the message and local context, field by field).
//!
//! `ir/message.rs` lowers a message's bridge with [`outgoing`] and
//! [`incoming`], which resolve every path and return what they find wrong
//! instead of a bridge, for it to report.

use std::collections::BTreeMap;

use super::record::{Lit, given, scalar};
use crate::diag::{Seg, did_you_mean};
use crate::ir::{
    Build, Context, Field, FieldAt, Fill, Given, Incoming, Model, Outgoing, OutgoingKind, PayloadPart, Place, Position, Presence, Source,
    SourceKind, Splat, Then, Ty,
};
use crate::schema;
use crate::types::{Names, is_case, parse_ty, ty_text};

/// Problems, each at a path into the file.
pub type Problems = Vec<(Vec<Seg>, String)>;

/// Resolves `outgoing` of the message `m`, whose positions are `positions`;
/// `at` is the path of the `outgoing` entry.
pub fn outgoing(
    o: &schema::Outgoing,
    m: &schema::Message,
    positions: &[Position],
    model: &Model,
    names: &Names,
    at: &[Seg],
) -> Result<Outgoing, Problems> {
    let here = |k: &str| [at, &[Seg::key(k)]].concat();
    match (&o.options, &o.from) {
        (Some(options), None) => {
            let mut problems = Problems::new();
            if o.dict.is_none() {
                problems.push((here("options"), "`options` needs `dict`, the record position that `message_attr()` fills".to_owned()));
            }
            if !o.context.is_empty() {
                problems.push((here("context"), "`context` goes with `from`; `from_options` takes the message's positions".to_owned()));
            }
            if !o.fields.is_empty() {
                problems.push((here("fields"), "`fields` goes with `from`; with `options`, `message_attr()` fills the dict".to_owned()));
            }
            let Some(dict) = o.dict.as_deref() else { return Err(problems) };
            match from_options(options, dict, o, m, positions, model, names, at) {
                Ok(out) if problems.is_empty() => Ok(out),
                Ok(_) => Err(problems),
                Err(mut more) => {
                    problems.append(&mut more);
                    Err(problems)
                }
            }
        }
        (None, Some(from)) => {
            if o.dict.is_some() {
                return Err(vec![(
                    here("dict"),
                    "`dict` goes with `options`; with `from`, `fields` says where each place comes from".to_owned(),
                )]);
            }
            build(from, o, m, positions, model, names, at)
        }
        _ => Err(vec![(
            at.to_vec(),
            "give exactly one of `options` (a message built from `message_attr()`) and `from` (a message built from a record, place by place)"
                .to_owned(),
        )]),
    }
}

/// `from_options`: the dict from the options record's `message_attr()`.
#[allow(clippy::too_many_arguments)]
fn from_options(
    options_name: &str,
    dict_name: &str,
    o: &schema::Outgoing,
    m: &schema::Message,
    positions: &[Position],
    model: &Model,
    names: &Names,
    at: &[Seg],
) -> Result<Outgoing, Problems> {
    let mut problems = Problems::new();
    let here = |k: &str| [at, &[Seg::key(k)]].concat();
    let options = model.record(options_name);
    match options {
        None => {
            let with_attr = model.modules.iter().flat_map(|m| &m.records).filter(|r| r.message_attr.is_some());
            problems.extend(not_a_record(options_name, names, with_attr.map(|r| r.name.as_str()), here("options")));
        }
        Some(r) if r.message_attr.is_none() => {
            problems.push((here("options"), format!("`{}` has no `message_attr`, which the message is built from", options_name)));
        }
        _ => {}
    }
    let dict = positions.iter().position(|p| p.name == dict_name);
    let dict_record = dict.and_then(|i| match &positions[i].ty {
        Ty::Record(r) => model.record(r),
        _ => None,
    });
    if dict_record.is_none() {
        let hint = did_you_mean(dict_name, positions.iter().filter(|p| matches!(p.ty, Ty::Record(_))).map(|p| p.name.as_str()));
        problems.push((here("dict"), format!("`{}` is not a record position of `{}`{hint}", dict_name, m.name)));
    }
    if let (Some(opts), Some(rec)) = (options, dict_record) {
        for a in opts.message_attr.iter().flatten() {
            if !rec.fields.iter().any(|f| f.wire_key == a.key) {
                let msg = format!(
                    "`{}.message_attr` writes the key `{}`, which `{}` has no field for; autobahn's constructor would refuse it",
                    opts.name, a.key, rec.name
                );
                problems.push((here("options"), msg));
            }
        }
    }
    if let Some(p) = positions.iter().find(|p| p.name == "options" && p.name != dict_name).filter(|_| dict_record.is_some()) {
        problems
            .push((here("dict"), format!("the position `{}` would clash with the parameter `options` of `from_options`; rename it", p.name)));
    }
    if !m.checks.is_empty() {
        problems.push((
            here("options"),
            format!("`{}` has `checks`, which `from_options` does not apply; a message with checks cannot be outgoing", m.name),
        ));
    }
    match (dict, options, problems.is_empty()) {
        (Some(dict), Some(r), true) => Ok(Outgoing { doc: o.doc.clone(), kind: OutgoingKind::Options { options: r.id, dict } }),
        _ => Err(problems),
    }
}

/// Reads context parameters; `reserved` are names taken already, each with
/// the reason. Returns the parameters (an unreadable type as `any`) and
/// the names of those whose type could not be read.
fn context_params<'a>(
    list: &'a [schema::ContextParam],
    reserved: &[(&str, String)],
    names: &Names,
    at: &[Seg],
    problems: &mut Problems,
) -> (Vec<Context>, Vec<&'a str>) {
    let mut context = Vec::new();
    let mut bad_context = Vec::new();
    let mut seen = BTreeMap::new();
    for (k, c) in list.iter().enumerate() {
        let cat = |key: &str| [at, &[Seg::Index(k), Seg::key(key)]].concat();
        if !is_case(&c.name, false) {
            problems.push((cat("name"), format!("context name `{}` must be a snake_case Rust identifier", c.name)));
        } else if let Some((_, why)) = reserved.iter().find(|(n, _)| *n == c.name) {
            problems.push((cat("name"), why.clone()));
            continue;
        } else if seen.insert(c.name.as_str(), k).is_some() {
            problems.push((cat("name"), format!("the context parameter `{}` appears twice", c.name)));
        }
        match parse_ty(&c.ty, names) {
            Ok(ty) => context.push(Context { name: c.name.clone(), doc: c.doc.clone(), ty, optional: c.optional }),
            Err(msg) => {
                if let Some(msg) = msg {
                    problems.push((cat("type"), msg));
                }
                bad_context.push(c.name.as_str());
                context.push(Context { name: c.name.clone(), doc: c.doc.clone(), ty: Ty::Any, optional: c.optional });
            }
        }
    }
    (context, bad_context)
}

/// What a place of a built message takes: its type, whether it may be left
/// unset (an `Option`), and whether it has a default.
pub struct Target {
    pub ty: Ty,
    pub option: bool,
    pub default: Option<Given>,
}

impl Target {
    pub fn of(f: &Field) -> Target {
        let default = match &f.presence {
            Presence::Default { value, .. } => Some(value.clone()),
            _ => None,
        };
        Target { ty: f.ty.clone(), option: f.may_be_unset(), default }
    }

    /// A place of a message with these positions.
    pub fn place(place: Place, positions: &[Position], model: &Model) -> Target {
        match place {
            Place::Position(i) => Target { ty: positions[i].ty.clone(), option: positions[i].nullable, default: None },
            Place::Field(at) => Target::of(model.field(at)),
            Place::Payload(PayloadPart::Kwargs) => Target { ty: Ty::MapAny, option: true, default: None },
            Place::Payload(_) => Target { ty: Ty::List(Box::new(Ty::Any)), option: true, default: None },
        }
    }
}

/// The problem of `name`, given where a record of the schema must stand and
/// found among none of them, with the closest of `candidates` as a hint; none
/// where the name is unknown to the schema and also not missing from it
/// (another check reports that).
/// The record called `name`, or the problem that it is none (see
/// [`not_a_record`]), any record of the schema being a candidate.
fn some_record<'m>(name: &str, model: &'m Model, names: &Names, at: Vec<Seg>) -> Result<&'m crate::ir::Record, Problems> {
    model.record(name).ok_or_else(|| {
        let records = model.modules.iter().flat_map(|m| &m.records).map(|r| r.name.as_str());
        not_a_record(name, names, records, at).into_iter().collect()
    })
}

fn not_a_record<'a>(name: &str, names: &Names, candidates: impl Iterator<Item = &'a str>, at: Vec<Seg>) -> Option<(Vec<Seg>, String)> {
    (names.missing(name) || names.kinds.contains_key(name))
        .then(|| (at, format!("`{name}` is not a record of the schema{}", did_you_mean(name, candidates))))
}

/// `CallResult` → `call_result`.
pub fn snake(name: &str) -> String {
    incoming_fn_name(name).trim_start_matches("from_").to_owned()
}

/// Resolves `outgoing` with `from`: the message built from the record
/// `from`, place by place; the positions no entry fills are parameters.
fn build(
    from: &str,
    o: &schema::Outgoing,
    m: &schema::Message,
    positions: &[Position],
    model: &Model,
    names: &Names,
    at: &[Seg],
) -> Result<Outgoing, Problems> {
    let mut problems = Problems::new();
    let here = |parts: &[Seg]| [at, parts].concat();
    let record = some_record(from, model, names, here(&[Seg::key("from")]))?;
    let param = snake(&record.name);

    // Where each place comes from.
    let mut targets: Vec<(Place, usize)> = Vec::new();
    for (n, f) in o.fields.iter().enumerate() {
        let path = here(&[Seg::key("fields"), Seg::Index(n), Seg::key("to")]);
        let parts: Vec<&str> = f.to.split('.').collect();
        let place = match parts.as_slice() {
            ["payload", part] => {
                if m.payload.is_none() {
                    problems.push((path, format!("`{}` has no payload", m.name)));
                    continue;
                }
                match *part {
                    "args" => Place::Payload(PayloadPart::Args),
                    "kwargs" => Place::Payload(PayloadPart::Kwargs),
                    _ => {
                        problems.push((
                            path,
                            format!(
                                "`{}` is not a part of the payload a message is built with; the parts are `payload.args` and `payload.kwargs`",
                                f.to
                            ),
                        ));
                        continue;
                    }
                }
            }
            [position, rest @ ..] if rest.len() <= 1 => {
                let Some(i) = positions.iter().position(|p| p.name == *position) else {
                    let hint = did_you_mean(position, positions.iter().map(|p| p.name.as_str()).chain(["payload"]));
                    problems.push((path, format!("`{position}` is neither a position of `{}` nor `payload`{hint}", m.name)));
                    continue;
                };
                match rest.first() {
                    None => Place::Position(i),
                    Some(field) => {
                        let Ty::Record(r) = &positions[i].ty else {
                            problems
                                .push((path, format!("`{position}` has the type `{}`; only a record has fields", ty_text(&positions[i].ty))));
                            continue;
                        };
                        let Some(rec) = model.record(r) else { continue };
                        let Some(j) = rec.fields.iter().position(|f| f.name == *field) else {
                            let hint = did_you_mean(field, rec.fields.iter().map(|f| f.name.as_str()));
                            problems.push((path, format!("`{field}` is not a field of `{r}`{hint}")));
                            continue;
                        };
                        Place::Field(FieldAt { position: i, record: rec.id, field: j })
                    }
                }
            }
            _ => {
                problems.push((
                    path,
                    format!("`{}` is not a place of the message: `POSITION`, `POSITION.FIELD`, `payload.args` or `payload.kwargs`", f.to),
                ));
                continue;
            }
        };
        let clash = targets.iter().find(|(p, _)| match (*p, place) {
            (a, b) if a == b => true,
            (Place::Position(i), Place::Field(f)) | (Place::Field(f), Place::Position(i)) => i == f.position,
            _ => false,
        });
        if clash.is_some() {
            problems.push((path, format!("`{}` is filled twice", f.to)));
            continue;
        }
        targets.push((place, n));
    }
    let filled =
        |i: usize| targets.iter().any(|(p, _)| matches!(*p, Place::Position(k) if k == i) || matches!(*p, Place::Field(f) if f.position == i));
    let params: Vec<usize> = (0..positions.len()).filter(|&i| !filled(i) && !matches!(positions[i].ty, Ty::Record(_))).collect();

    // A record position is built whole: its fields that no entry fills are left unset.
    let mut whole = Vec::new();
    for (i, p) in positions.iter().enumerate() {
        let Ty::Record(r) = &p.ty else { continue };
        let Some(rec) = model.record(r) else { continue };
        if !targets.iter().any(|(t, _)| *t == Place::Position(i)) {
            whole.push((i, rec.id));
        }
        for (j, f) in rec.fields.iter().enumerate() {
            let given =
                targets.iter().any(|(t, _)| *t == Place::Position(i) || *t == Place::Field(FieldAt { position: i, record: rec.id, field: j }));
            if !given && !f.may_be_unset() && !matches!(f.presence, Presence::Default { .. }) {
                let msg = format!("`{}.{}` must have a value; fill it in `fields` (`to: {}.{}`)", p.name, f.name, p.name, f.name);
                problems.push((here(&[Seg::key("fields")]), msg));
            }
        }
    }

    // The parameters: the positions no entry fills, the context, then the record.
    let mut reserved: Vec<(&str, String)> = params
        .iter()
        .map(|&i| {
            (
                positions[i].name.as_str(),
                format!("`{}` is the parameter of the position of that name; name this one otherwise", positions[i].name),
            )
        })
        .collect();
    reserved.push((param.as_str(), format!("`{param}` is the parameter that holds the `{}`; name this one otherwise", record.name)));
    let (mut context, bad_context) = context_params(&o.context, &reserved, names, &here(&[Seg::key("context")]), &mut problems);
    context.push(Context {
        name: param.clone(),
        doc: format!("The `{}` the message is built from.", record.name),
        ty: Ty::Record(record.name.clone()),
        optional: false,
    });
    let resolver = Resolver { m, positions, context: &context, bad_context: &bad_context, model, message: false };
    let mut fills = Vec::new();
    for &(place, n) in &targets {
        let f = &o.fields[n];
        let path = here(&[Seg::key("fields"), Seg::Index(n), Seg::key("from")]);
        let Some(src) = resolver.source(&f.from, path.clone(), &mut problems) else { continue };
        let target = Target::place(place, positions, model);
        if !type_fits(&src.ty, &target.ty) {
            let msg =
                format!("`{}` has the type `{}`, which cannot fill `{}` of type `{}`", src.text, ty_text(&src.ty), f.to, ty_text(&target.ty));
            problems.push((path, msg));
            continue;
        }
        if src.optional && !target.option && target.default.is_none() {
            problems.push((path, format!("`{}` may be unset, but `{}` must have a value", src.text, f.to)));
            continue;
        }
        fills.push((place, src));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let fn_name = format!("from_{param}");
    Ok(Outgoing { doc: o.doc.clone(), kind: OutgoingKind::Build(Build { record: record.id, fn_name, params, whole, context, fills }) })
}

/// Resolves `incoming` of the message `m`; `at` is the path of the entry.
pub fn incoming(
    inc: &schema::Incoming,
    m: &schema::Message,
    positions: &[Position],
    model: &Model,
    names: &Names,
    at: &[Seg],
) -> Result<Incoming, Problems> {
    let mut problems = Problems::new();
    let here = |parts: &[Seg]| [at, parts].concat();
    let into = some_record(&inc.into, model, names, here(&[Seg::key("into")]))?;
    let fn_name = incoming_fn_name(&m.name);
    if into.conversions.iter().any(|c| c.name == fn_name) {
        problems.push((here(&[Seg::key("into")]), format!("`{}` already has a conversion `{fn_name}`", into.name)));
    }

    // The context parameters.
    let reserved = [("message", "`message` is the parameter that holds the message; name this one otherwise".to_owned())];
    let (context, bad_context) = context_params(&inc.context, &reserved, names, &here(&[Seg::key("context")]), &mut problems);
    let resolver = Resolver { m, positions, context: &context, bad_context: &bad_context, model, message: true };

    // Each field of `into`, filled once.
    let mut fills: Vec<Option<Fill>> = into.fields.iter().map(|_| None).collect();
    let mut given_at: BTreeMap<usize, Vec<Seg>> = BTreeMap::new();
    let mut claim = |field: &str, path: Vec<Seg>, problems: &mut Problems| -> Option<usize> {
        let Some(j) = into.fields.iter().position(|f| f.name == field) else {
            let hint = did_you_mean(field, into.fields.iter().map(|f| f.name.as_str()));
            problems.push((path, format!("`{field}` is not a field of `{}`{hint}", into.name)));
            return None;
        };
        if given_at.insert(j, path.clone()).is_some() {
            problems.push((path, format!("the field `{field}` is filled twice")));
            return None;
        }
        Some(j)
    };
    let mut keywords = Vec::new();
    for (n, f) in inc.fields.iter().enumerate() {
        let fat = |key: &str| here(&[Seg::key("fields"), Seg::Index(n), Seg::key(key)]);
        let Some(j) = claim(&f.field, fat("field"), &mut problems) else { continue };
        let target = &into.fields[j];
        keywords.push(target.ctor_arg.clone().unwrap_or_else(|| target.name.clone()));
        let fill = match (&f.from, &f.first_truthy, &f.value) {
            (Some(from), None, None) => {
                let Some(src) = resolver.source(from, fat("from"), &mut problems) else { continue };
                let Some(src) = fits(src, target, &into.name, fat("from"), &mut problems) else { continue };
                Fill::From(src)
            }
            (None, Some(list), None) if f.when.is_none() => {
                if list.len() < 2 {
                    problems.push((fat("first_truthy"), "`first_truthy` needs at least two source paths".to_owned()));
                    continue;
                }
                let mut sources = Vec::new();
                for (q, text) in list.iter().enumerate() {
                    let path = here(&[Seg::key("fields"), Seg::Index(n), Seg::key("first_truthy"), Seg::Index(q)]);
                    let Some(src) = resolver.source(text, path.clone(), &mut problems) else { continue };
                    if q + 1 < list.len() && !has_truth(&src.ty) {
                        problems.push((path, format!("`{text}` has the type `{}`, which has no truth value", ty_text(&src.ty))));
                        continue;
                    }
                    let last = q + 1 == list.len();
                    let Some(src) = fits_type(src, target, &into.name, path.clone(), &mut problems) else { continue };
                    if last && src.optional && target.presence == Presence::Required {
                        let msg = format!("`{}` may be unset, but `{}.{}` must have a value", src.text, into.name, target.name);
                        problems.push((path, msg));
                        continue;
                    }
                    sources.push(src);
                }
                let (Some(last), true) = (sources.pop(), sources.len() + 1 == list.len()) else { continue };
                Fill::FirstTruthy { init: sources, last }
            }
            (None, None, Some(v)) if v.is_null() => {
                if !target.may_be_unset() {
                    problems.push((fat("value"), format!("`{}` always has a value; `null` cannot leave it unset", target.name)));
                    continue;
                }
                Fill::Value(None)
            }
            (None, None, Some(v)) => match fill_value(v, &target.ty, names, model) {
                Ok(value) => Fill::Value(Some(value)),
                Err(problem) => {
                    problems.push((fat("value"), format!("the value {problem}")));
                    continue;
                }
            },
            (_, _, _) if f.when.is_some() && f.from.is_none() && f.value.is_none() => {
                problems.push((fat("when"), "`when` goes with `from` or `value`".to_owned()));
                continue;
            }
            _ => {
                problems.push((fat("field"), "give exactly one of `from`, `first_truthy` and `value`".to_owned()));
                continue;
            }
        };
        let fill = match &f.when {
            None => {
                if f.otherwise.is_some() {
                    problems.push((fat("else"), "`else` goes with `when`".to_owned()));
                    continue;
                }
                fill
            }
            Some(when) => {
                let Some(cond) = resolver.source(when, fat("when"), &mut problems) else { continue };
                if !has_truth(&cond.ty) {
                    problems.push((fat("when"), format!("`{when}` has the type `{}`, which has no truth value", ty_text(&cond.ty))));
                    continue;
                }
                let then = match fill {
                    Fill::From(s) => Then::From(s),
                    Fill::Value(v) => Then::Value(v),
                    // `first_truthy` with `when` is refused above.
                    _ => continue,
                };
                let otherwise = match &f.otherwise {
                    None if !target.may_be_unset() => {
                        let msg =
                            format!("`{}` always has a value, so it cannot be left unset while `{when}` is false; give an `else`", target.name);
                        problems.push((fat("when"), msg));
                        continue;
                    }
                    None => None,
                    Some(text) => {
                        let Some(src) = resolver.source(text, fat("else"), &mut problems) else { continue };
                        let Some(src) = fits(src, target, &into.name, fat("else"), &mut problems) else { continue };
                        Some(src)
                    }
                };
                Fill::When { then, when: cond, otherwise }
            }
        };
        fills[j] = Some(fill);
    }

    // `*args` and `**kwargs`.
    let mut splat = None;
    if let Some(s) = &inc.splat {
        let sat = |parts: &[Seg]| here(&[&[Seg::key("splat")], parts].concat());
        if let Some(args) = &s.args
            && let Some(j) = claim(&args.field, sat(&[Seg::key("args"), Seg::key("field")]), &mut problems)
        {
            let path = sat(&[Seg::key("args"), Seg::key("from")]);
            if !matches!(into.fields[j].ty, Ty::List(_)) {
                let msg = format!("`*args` fills a list, and `{}.{}` has the type `{}`", into.name, args.field, ty_text(&into.fields[j].ty));
                problems.push((sat(&[Seg::key("args"), Seg::key("field")]), msg));
            } else if let Some(src) = resolver.source(&args.from, path.clone(), &mut problems)
                && let Some(src) = fits(src, &into.fields[j], &into.name, path, &mut problems)
            {
                fills[j] = Some(Fill::Args(src));
            }
        }
        let kat = |key: &str| sat(&[Seg::key("kwargs"), Seg::key(key)]);
        let rest = claim(&s.kwargs.field, kat("field"), &mut problems);
        let from = resolver.source(&s.kwargs.from, kat("from"), &mut problems);
        if let Some(j) = rest {
            if into.fields[j].ty != Ty::MapAny || into.fields[j].presence == Presence::Required {
                problems.push((
                    kat("field"),
                    format!(
                        "`**kwargs` keeps what is left in a field of type `map` with a default, and `{}.{}` is not one",
                        into.name, s.kwargs.field
                    ),
                ));
            } else if let Some(from) = &from {
                fills[j] = Some(Fill::Rest(from.clone()));
            }
        }
        if let Some(src) = &from
            && src.ty != Ty::MapAny
        {
            problems.push((kat("from"), format!("`**kwargs` needs a `map`, and `{}` has the type `{}`", src.text, ty_text(&src.ty))));
        }
        for (q, key) in s.refuse_keys.iter().enumerate() {
            if into.fields.iter().any(|f| f.ctor_arg.as_ref().unwrap_or(&f.name) == key) {
                let msg = format!("`{key}` names a field of `{}`; a keyword that fills a field cannot be refused", into.name);
                problems.push((sat(&[Seg::key("refuse_keys"), Seg::Index(q)]), msg));
            }
        }
        keywords.extend(s.refuse_keys.iter().cloned());
        let from = from.filter(|s| s.ty == Ty::MapAny);
        if let (Some(from), Some(_)) = (&from, rest) {
            splat = Some(Splat { from: from.clone(), given: keywords });
        }
        for (j, f) in into.fields.iter().enumerate() {
            if fills[j].is_some() || given_at.contains_key(&j) {
                continue;
            }
            if f.presence != Presence::Optional || f.ty.is_runtime() {
                let msg = format!(
                    "the field `{}` of `{}` is not filled, and a keyword can only fill an optional data field; fill it in `fields`",
                    f.name, into.name
                );
                problems.push((here(&[Seg::key("fields")]), msg));
                given_at.insert(j, Vec::new());
            } else if let Some(from) = &from {
                fills[j] = Some(Fill::Keyword(from.clone()));
            } else {
                // The source is reported; the field is not reported again.
                given_at.insert(j, Vec::new());
            }
        }
    }
    for (j, f) in into.fields.iter().enumerate() {
        if fills[j].is_none() && !given_at.contains_key(&j) {
            let msg = format!(
                "the field `{}` of `{}` is not filled; give it a `from`, `first_truthy` or `value` (`value: null` leaves it unset)",
                f.name, into.name
            );
            problems.push((here(&[Seg::key("fields")]), msg));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let fills = fills.into_iter().flatten().collect();
    Ok(Incoming { doc: inc.doc.clone(), into: into.id, fn_name, context, fills, splat })
}

/// A fixed value for a field of type `ty`: as a default, except that a
/// `list<any>` may hold scalars (a message for people).
fn fill_value(v: &serde_yaml::Value, ty: &Ty, names: &Names, model: &Model) -> Result<Given, String> {
    match (ty, v) {
        (Ty::List(inner), serde_yaml::Value::Sequence(items)) if **inner == Ty::Any && !items.is_empty() => {
            let lit = items.iter().map(scalar).collect::<Option<Vec<_>>>().map(Lit::List);
            let text = serde_yaml::to_string(v).unwrap_or_default().trim().to_owned();
            lit.map(|lit| Given { lit, text }).ok_or_else(|| "of a `list<any>` may only hold strings, numbers, booleans and nulls".to_owned())
        }
        _ => given(v, ty, &ty_text(ty), names, model),
    }
}

/// `Event` → `from_event`, `EventReceived` → `from_event_received`.
pub fn incoming_fn_name(message: &str) -> String {
    let mut out = String::from("from");
    for c in message.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// Whether Python's truth value of a field of this type is known to the runtime.
fn has_truth(ty: &Ty) -> bool {
    matches!(
        ty,
        Ty::Bool
            | Ty::Flag
            | Ty::Int
            | Ty::UInt(_)
            | Ty::Id
            | Ty::Float
            | Ty::Number
            | Ty::Str
            | Ty::Uri
            | Ty::Bytes
            | Ty::Any
            | Ty::MapAny
            | Ty::List(_)
            | Ty::OneOrList(_)
    )
}

/// Whether a value of type `from` can fill a field of type `to`: the same
/// type, a string and a URI, an ID into an integer, a record into `any`
/// (its dict form) and an enum into a string (its wire string).
fn type_fits(from: &Ty, to: &Ty) -> bool {
    from == to
        || matches!(
            (from, to),
            (Ty::Str | Ty::Uri, Ty::Str | Ty::Uri) | (Ty::Id, Ty::Int) | (Ty::Record(_), Ty::Any) | (Ty::Enum(_), Ty::Str | Ty::Uri)
        )
}

/// `src` if it can fill `target`: the type fits and, for a field that must
/// have a value, the source always has one.
fn fits(src: Source, target: &Field, record: &str, path: Vec<Seg>, problems: &mut Problems) -> Option<Source> {
    let src = fits_type(src, target, record, path.clone(), problems)?;
    if src.optional && target.presence == Presence::Required {
        problems.push((path, format!("`{}` may be unset, but `{record}.{}` must have a value", src.text, target.name)));
        return None;
    }
    Some(src)
}

fn fits_type(src: Source, target: &Field, record: &str, path: Vec<Seg>, problems: &mut Problems) -> Option<Source> {
    if type_fits(&src.ty, &target.ty) {
        return Some(src);
    }
    let msg = format!(
        "`{}` has the type `{}`, which cannot fill `{record}.{}` of type `{}`",
        src.text,
        ty_text(&src.ty),
        target.name,
        ty_text(&target.ty)
    );
    problems.push((path, msg));
    None
}

/// Resolves source paths against a message, its payload and the context.
struct Resolver<'a> {
    m: &'a schema::Message,
    positions: &'a [Position],
    context: &'a [Context],
    /// Context parameters whose type could not be read, and which were reported.
    bad_context: &'a [&'a str],
    model: &'a Model,
    /// Whether `message.` paths name a received message (`incoming`); an
    /// outgoing message is being built, and has none.
    message: bool,
}

impl Resolver<'_> {
    fn source(&self, text: &str, path: Vec<Seg>, problems: &mut Problems) -> Option<Source> {
        let parts: Vec<&str> = text.split('.').collect();
        if !self.message && parts.first() == Some(&"message") {
            let msg =
                format!("`{text}` names the message, which is being built; a source here is the record, a context parameter or a field of one");
            problems.push((path, msg));
            return None;
        }
        let src = |kind, ty, optional| Some(Source { text: text.to_owned(), kind, ty, optional });
        let (base, optional, ty, part) = match parts.as_slice() {
            ["message", "payload", part] => {
                if self.m.payload.is_none() {
                    problems.push((path, format!("`{}` has no payload", self.m.name)));
                    return None;
                }
                let known = [
                    ("args", PayloadPart::Args, Ty::List(Box::new(Ty::Any))),
                    ("kwargs", PayloadPart::Kwargs, Ty::MapAny),
                    ("enc_algo", PayloadPart::EncAlgo, Ty::Str),
                    ("enc_key", PayloadPart::EncKey, Ty::Str),
                    ("enc_serializer", PayloadPart::EncSerializer, Ty::Str),
                ];
                return match known.iter().find(|(name, ..)| name == part) {
                    Some((_, p, ty)) => src(SourceKind::Payload(*p), ty.clone(), true),
                    None => {
                        let names = known.iter().map(|(n, ..)| format!("`message.payload.{n}`")).collect::<Vec<_>>().join(", ");
                        problems.push((path, format!("`{text}` is not a part of the payload; the parts are {names}")));
                        None
                    }
                };
            }
            ["message", position, rest @ ..] if rest.len() <= 1 => {
                let Some(i) = self.positions.iter().position(|p| p.name == *position) else {
                    let hint = did_you_mean(position, self.positions.iter().map(|p| p.name.as_str()).chain(["payload"]));
                    problems.push((path, format!("`{position}` is neither a position of `{}` nor `payload`{hint}", self.m.name)));
                    return None;
                };
                let p = &self.positions[i];
                ((SourceKind::Position(i), i), p.nullable, p.ty.clone(), rest.first().copied())
            }
            [name, rest @ ..] if *name != "message" && rest.len() <= 1 => {
                let Some(k) = self.context.iter().position(|c| c.name == *name) else {
                    let hint = did_you_mean(name, self.context.iter().map(|c| c.name.as_str()).chain(["message"]));
                    let msg =
                        format!("`{name}` is not a context parameter; a source starts with `message.` or the name of a context parameter{hint}");
                    problems.push((path, msg));
                    return None;
                };
                let c = &self.context[k];
                if self.bad_context.contains(name) {
                    return None;
                }
                ((SourceKind::Context(k), k), c.optional, c.ty.clone(), rest.first().copied())
            }
            _ => {
                let msg = format!(
                    "`{text}` is not a source path: `message.POSITION`, `message.POSITION.FIELD`, `message.payload.PART`, `CONTEXT` or `CONTEXT.FIELD`"
                );
                problems.push((path, msg));
                return None;
            }
        };
        let head = text.rsplit_once('.').map_or(text, |(h, _)| h);
        let Some(field) = part else { return src(base.0, ty, optional) };
        let Ty::Record(r) = &ty else {
            problems.push((path, format!("`{head}` has the type `{}`; only a record has fields", ty_text(&ty))));
            return None;
        };
        let rec = self.model.record(r)?;
        let Some(j) = rec.fields.iter().position(|f| f.name == field) else {
            let hint = did_you_mean(field, rec.fields.iter().map(|f| f.name.as_str()));
            problems.push((path, format!("`{field}` is not a field of `{r}`{hint}")));
            return None;
        };
        let f = &rec.fields[j];
        let kind = match base.0 {
            SourceKind::Position(i) => SourceKind::Field(FieldAt { position: i, record: rec.id, field: j }),
            _ => SourceKind::ContextField(base.1, rec.id, j),
        };
        src(kind, f.ty.clone(), optional || f.may_be_unset())
    }
}
