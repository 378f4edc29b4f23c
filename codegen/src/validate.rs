//! Every semantic check of the schema, each reported at the node at fault:
//! names, field types, defaults, references between fields and records,
//! and settings that contradict each other.
//!
//! [`check`] walks the model [`ir::lower`] lowered from the schema files,
//! which says what each name refers to; each node of the model knows its
//! origin (file and path), which gives the schema entry it came from and
//! the position of a diagnostic. The checks of records are in
//! `validate/record.rs`.

mod message;
mod record;

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{Diagnostics, Seg};
use crate::ir::{self, Model};
use crate::schema;
use crate::types::{Kind, Names, is_camel, is_case, type_hint};

/// Fields whose type could not be read, by record and field name; checks
/// that depend on their type are skipped rather than reported.
type Bad = BTreeSet<(String, String)>;

/// Reports every problem of `files`, which `model` was built from with
/// `names`.
pub fn check(files: &[(String, schema::File)], names: &Names, model: &Model, diags: &mut Diagnostics) {
    check_type_names(files, diags);
    let mut bad = Bad::new();
    for (n, m) in model.modules.iter().enumerate() {
        let (file, f) = (m.file.as_str(), source(files, &m.file));
        check_module_name(file, &m.name, &model.modules[..n], diags);
        if f.enums.is_empty() && f.records.is_empty() && f.unions.is_empty() && f.messages.is_empty() && f.uri_constants.is_empty() {
            diags.error(file, vec![], "the file defines no types; add `enums`, `records`, `unions` or `messages`".to_owned());
        }
        for e in &m.enums {
            check_enum(&e.origin, &f.enums[e.origin.index()], diags);
        }
        for rec in &m.records {
            record::check_record(&f.records[rec.origin.index()], rec, names, &mut bad, diags);
        }
        for u in &m.unions {
            check_union(&u.origin, &f.unions[u.origin.index()], names, diags);
        }
    }
    check_uri_modules(model, diags);
    let mut codes = BTreeMap::new();
    for m in &model.modules {
        let f = source(files, &m.file);
        for rec in &m.records {
            record::check_record_links(&f.records[rec.origin.index()], rec, model, &bad, diags);
        }
        for (i, x) in f.messages.iter().enumerate() {
            message::check_message(&m.file, i, x, names, model, &mut codes, diags);
        }
    }
}

/// The schema file a module of the model was lowered from.
fn source<'a>(files: &'a [(String, schema::File)], file: &str) -> &'a schema::File {
    files.iter().find(|(name, _)| name == file).map(|(_, f)| f).expect("each module of the model comes from a schema file")
}

/// Type names: Rust identifiers, each defined once in the whole schema.
fn check_type_names(files: &[(String, schema::File)], diags: &mut Diagnostics) {
    let mut defined: BTreeMap<&str, (&str, Vec<Seg>)> = BTreeMap::new();
    for (file, f) in files {
        let names_in = f.enums.iter().map(|e| (&e.name, "enums"));
        let names_in = names_in.chain(f.records.iter().map(|r| (&r.name, "records")));
        let names_in = names_in.chain(f.unions.iter().map(|u| (&u.name, "unions")));
        let mut index: BTreeMap<&str, usize> = BTreeMap::new();
        for (name, list) in names_in {
            let i = index.entry(list).or_default();
            let at = vec![Seg::key(list), Seg::Index(*i), Seg::key("name")];
            *i += 1;
            if !is_camel(name) {
                diags.error(file, at.clone(), format!("type name `{name}` must be an UpperCamelCase Rust identifier"));
            }
            if let Some((f0, p0)) = defined.get(name.as_str()) {
                let (l, c) = diags.position(f0, p0);
                diags.error(file, at, format!("the type `{name}` is defined twice; the first is at {f0}:{l}:{c}"));
                continue;
            }
            defined.insert(name, (file, at));
        }
    }
}

/// The module name a file gives, against Rust and the modules before it.
fn check_module_name(file: &str, name: &str, before: &[ir::Module], diags: &mut Diagnostics) {
    let stem = file.rsplit('/').next().unwrap_or(file);
    if !is_case(name, false) || name == "lib" || name == "runtime" {
        let msg = format!(
            "the file name `{stem}` gives the module name `{name}`, which must be a snake_case Rust identifier other than `lib` and `runtime`; rename the file"
        );
        diags.at(file, 1, 1, msg);
    } else if before.iter().any(|m| m.name == name) {
        diags.at(file, 1, 1, format!("another schema file already gives the module `{name}`; rename one of them"));
    }
}

/// Enum values: Rust variant names and wire strings, each given once.
fn check_enum(origin: &ir::Origin, e: &schema::Enum, diags: &mut Diagnostics) {
    let file = origin.file.as_str();
    let (mut names, mut wires) = (BTreeMap::new(), BTreeMap::new());
    for (j, v) in e.values.iter().enumerate() {
        let at = |j: usize, k: &str| origin.at(&[Seg::key("values"), Seg::Index(j), Seg::key(k)]);
        if !is_camel(&v.name) {
            diags.error(file, at(j, "name"), format!("variant name `{}` must be an UpperCamelCase Rust identifier", v.name));
        }
        if let Some(&k) = names.get(&v.name) {
            let first = first_at(diags, file, &at(k, "name"));
            diags.error(file, at(j, "name"), format!("the variant `{}` appears twice in `{}`{first}", v.name, e.name));
        }
        if let Some(&k) = wires.get(&v.wire) {
            let first = first_at(diags, file, &at(k, "wire"));
            diags.error(file, at(j, "wire"), format!("the wire string `{}` appears twice in `{}`{first}", v.wire, e.name));
        }
        names.entry(&v.name).or_insert(j);
        wires.entry(&v.wire).or_insert(j);
    }
    if e.values.is_empty() {
        diags.error(file, origin.at(&[Seg::key("values")]), format!("the enum `{}` has no values", e.name));
    }
}

/// Union variants: records of the schema, each with its own type and key.
fn check_union(origin: &ir::Origin, u: &schema::Union, names: &Names, diags: &mut Diagnostics) {
    let file = origin.file.as_str();
    let at = |j: usize, k: &str| origin.at(&[Seg::key("variants"), Seg::Index(j), Seg::key(k)]);
    if u.variants.is_empty() {
        diags.error(file, origin.at(&[Seg::key("variants")]), format!("the union `{}` has no variants", u.name));
    }
    let (mut types, mut keys) = (BTreeMap::new(), BTreeMap::new());
    for (j, v) in u.variants.iter().enumerate() {
        if names.kinds.get(&v.ty).is_some_and(|k| *k != Kind::Record) || names.missing(&v.ty) {
            let hint = if names.missing(&v.ty) { type_hint(&v.ty, names) } else { String::new() };
            diags.error(file, at(j, "type"), format!("a union variant must name a record of the schema; `{}` is not{hint}", v.ty));
        }
        if let Some(&k) = types.get(&v.ty) {
            let first = first_at(diags, file, &at(k, "type"));
            diags.error(file, at(j, "type"), format!("the variant `{}` appears twice in `{}`{first}", v.ty, u.name));
        }
        if let Some(&k) = keys.get(&v.key) {
            let first = first_at(diags, file, &at(k, "key"));
            diags.error(file, at(j, "key"), format!("the key `{}` is used by two variants of `{}`{first}", v.key, u.name));
        }
        types.entry(&v.ty).or_insert(j);
        keys.entry(&v.key).or_insert(j);
    }
}

/// The modules of URI constants: snake_case module names that no schema
/// file and no other URI module takes, UPPER_SNAKE_CASE constant names other
/// than `ALL`, and URIs of dot-separated non-empty components without white
/// space or `#`, each given once in its module.
fn check_uri_modules(model: &Model, diags: &mut Diagnostics) {
    let mut modules: BTreeMap<&str, (&str, Vec<Seg>)> = BTreeMap::new();
    for m in &model.modules {
        let file = m.file.as_str();
        for (i, u) in m.uri_modules.iter().enumerate() {
            let at = |parts: &[Seg]| [&[Seg::key("uri_constants"), Seg::Index(i)], parts].concat();
            let name_at = at(&[Seg::key("module")]);
            if !is_case(&u.module, false) {
                diags.error(file, name_at, format!("module name `{}` must be a snake_case Rust identifier", u.module));
            } else if model.modules.iter().any(|x| x.name == u.module) || u.module == "runtime" {
                diags.error(file, name_at, format!("the module `{}` has the name of a schema file's module; pick another", u.module));
            } else if let Some((f0, p0)) = modules.get(u.module.as_str()) {
                let (l, c) = diags.position(f0, p0);
                diags.error(file, name_at, format!("the URI module `{}` is defined twice; the first is at {f0}:{l}:{c}", u.module));
            } else {
                modules.insert(&u.module, (file, name_at));
            }
            if u.uris.is_empty() {
                diags.error(file, at(&[Seg::key("uris")]), format!("the URI module `{}` has no URIs", u.module));
            }
            let (mut names, mut uris) = (BTreeMap::new(), BTreeMap::new());
            for (j, c) in u.uris.iter().enumerate() {
                let at = |k: &str| at(&[Seg::key("uris"), Seg::Index(j), Seg::key(k)]);
                if !is_case(&c.name, true) || c.name == "ALL" {
                    diags.error(
                        file,
                        at("name"),
                        format!("constant name `{}` must be an UPPER_SNAKE_CASE Rust identifier other than `ALL`", c.name),
                    );
                } else if let Some(&k) = names.get(&c.name) {
                    let first = first_at(diags, file, &at_index(&at("name"), k));
                    diags.error(file, at("name"), format!("the constant `{}` appears twice in `{}`{first}", c.name, u.module));
                }
                let valid =
                    !c.uri.is_empty() && c.uri.split('.').all(|p| !p.is_empty() && !p.contains(|ch: char| ch.is_whitespace() || ch == '#'));
                if !valid {
                    diags.error(
                        file,
                        at("uri"),
                        format!("`{}` is not a URI: dot-separated non-empty components without white space or `#`", c.uri),
                    );
                } else if let Some(&k) = uris.get(&c.uri) {
                    let first = first_at(diags, file, &at_index(&at("uri"), k));
                    diags.error(file, at("uri"), format!("the URI `{}` appears twice in `{}`{first}", c.uri, u.module));
                }
                names.entry(&c.name).or_insert(j);
                uris.entry(&c.uri).or_insert(j);
            }
        }
    }
}

/// `path` (which ends in `..., Index(_), Key(_)`) with its index set to `k`.
fn at_index(path: &[Seg], k: usize) -> Vec<Seg> {
    let mut p = path.to_vec();
    let n = p.len();
    if n >= 2 {
        p[n - 2] = Seg::Index(k);
    }
    p
}

/// " (first at line N)" for something given twice.
fn first_at(diags: &Diagnostics, file: &str, path: &[Seg]) -> String {
    format!(" (first at line {})", diags.position(file, path).0)
}
