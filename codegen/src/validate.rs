//! The checks that span several entities: type names, module names, URI
//! module names and message codes, each unique in the whole schema.
//!
//! Everything about one entity is checked where it is resolved, as
//! [`ir::lower`](crate::ir::lower) lowers it; these checks read the schema
//! files alone, and run first.

use std::collections::BTreeMap;

use crate::diag::{Diagnostics, Seg};
use crate::schema;
use crate::types::{is_camel, is_case};

/// The module name a schema file gives: its file name without the extension.
pub fn module_name(file: &str) -> String {
    let stem = file.rsplit('/').next().unwrap_or(file);
    stem.trim_end_matches(".yaml").trim_end_matches(".yml").to_owned()
}

/// Reports every problem of `files` that spans several entities.
pub fn check(files: &[(String, schema::File)], diags: &mut Diagnostics) {
    check_type_names(files, diags);
    let modules: Vec<String> = files.iter().map(|(file, _)| module_name(file)).collect();
    for (n, (file, _)) in files.iter().enumerate() {
        let (name, stem) = (&modules[n], file.rsplit('/').next().unwrap_or(file));
        if !is_case(name, false) || name == "lib" || name == "runtime" {
            let msg = format!(
                "the file name `{stem}` gives the module name `{name}`, which must be a snake_case Rust identifier other than `lib` and `runtime`; rename the file"
            );
            diags.at(file, 1, 1, msg);
        } else if modules[..n].contains(name) {
            diags.at(file, 1, 1, format!("another schema file already gives the module `{name}`; rename one of them"));
        }
    }
    let mut uri_modules: BTreeMap<&str, (&str, Vec<Seg>)> = BTreeMap::new();
    let mut codes: BTreeMap<i64, (&str, Vec<Seg>)> = BTreeMap::new();
    for (file, f) in files {
        for (i, u) in f.uri_constants.iter().enumerate() {
            let at = vec![Seg::key("uri_constants"), Seg::Index(i), Seg::key("module")];
            if !is_case(&u.module, false) {
                diags.error(file, at, format!("module name `{}` must be a snake_case Rust identifier", u.module));
            } else if modules.contains(&u.module) || u.module == "runtime" {
                diags.error(file, at, format!("the module `{}` has the name of a schema file's module; pick another", u.module));
            } else if let Some((f0, p0)) = uri_modules.get(u.module.as_str()) {
                let (l, c) = diags.position(f0, p0);
                diags.error(file, at, format!("the URI module `{}` is defined twice; the first is at {f0}:{l}:{c}", u.module));
            } else {
                uri_modules.insert(&u.module, (file, at));
            }
        }
        for (i, m) in f.messages.iter().enumerate().filter(|(_, m)| (0..=u16::MAX as i64).contains(&m.code)) {
            let at = vec![Seg::key("messages"), Seg::Index(i), Seg::key("code")];
            if let Some((f0, p0)) = codes.get(&m.code) {
                let (l, c) = diags.position(f0, p0);
                diags.error(file, at, format!("the code {} is also that of another message, at {f0}:{l}:{c}", m.code));
            } else {
                codes.insert(m.code, (file, at));
            }
        }
    }
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
