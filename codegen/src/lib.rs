//! Generates the `wamp-types` crate from the YAML schema.
//!
//! The pipeline reads from the module names, in one direction: [`schema`]
//! (the YAML model) → [`load`] (the files read strictly: YAML syntax, keys
//! given twice, unknown and missing keys) → [`ir`] (lowered: names resolved,
//! field types parsed by [`types`], wire keys decided, the session bridge
//! resolved) → [`validate`] (every semantic check: names, types, defaults,
//! references, contradictions) → [`emit`] (one emitter per concern) →
//! [`render`] (syn + prettyplease) → [`write`](mod@write) (atomic, only what
//! changed). Problems are reported through [`diag`], each at its
//! `file:line:column`; a model with any problem goes no further than
//! [`validate`], so the emitters `expect` what validation guarantees.

pub mod diag;
pub mod emit;
pub mod ir;
pub mod load;
pub mod render;
pub mod schema;
pub mod types;
pub mod validate;
pub mod write;

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::quote;

pub use diag::{Diagnostic, Diagnostics};
pub use write::Output;

/// Why a run produced nothing.
#[derive(Debug)]
pub enum Failure {
    /// The schema has problems; each names `file:line:column`.
    Schema(Vec<Diagnostic>),
    /// A file could not be read or written.
    Io(String),
}

/// Reads the schema in `schema_dir` and renders every file of the crate
/// whose sources live in `src_dir`, without writing anything.
pub fn generate(schema_dir: &Path, src_dir: &Path) -> Result<Vec<Output>, Failure> {
    let model = load_model(schema_dir)?;
    render_model(&model, src_dir).map_err(Failure::Io)
}

/// Reads and checks the schema in `schema_dir`.
pub fn load_model(schema_dir: &Path) -> Result<ir::Model, Failure> {
    let mut diags = Diagnostics::default();
    let files = load::load_dir(schema_dir, &mut diags).map_err(|e| Failure::Io(format!("{}: {e}", schema_dir.display())))?;
    let names = types::Names::collect(&files, diags.complete());
    let model = ir::lower(&files, &names);
    validate::check(&files, &names, &model, &mut diags);
    if !diags.is_empty() {
        let mut list = diags.list;
        list.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        return Err(Failure::Schema(list));
    }
    Ok(model)
}

/// The code emitted for one schema type, rendered on its own: what the
/// snapshot tests pin, so that a review shows one type's change at a time.
pub fn render_type(model: &ir::Model, name: &str) -> Option<Result<String, String>> {
    let modules = model.modules.iter();
    let tokens = modules.clone().flat_map(|m| &m.enums).find(|e| e.name == name).map(emit::types::enum_def);
    let tokens = tokens.or_else(|| modules.clone().flat_map(|m| &m.records).find(|r| r.name == name).map(|r| record_tokens(r, model)));
    let tokens = tokens.or_else(|| modules.clone().flat_map(|m| &m.unions).find(|u| u.name == name).map(union_tokens));
    let tokens = tokens
        .or_else(|| modules.clone().flat_map(|m| &m.messages).find(|x| x.rust_name == name).map(|x| emit::message::message_tokens(x, model)))?;
    let file = syn::parse2::<syn::File>(
        quote!(use crate::runtime as rt; use crate::runtime::codec as c; use crate::runtime::message as msg; use crate::runtime::record as rec; use crate::runtime::shape as sh; #tokens),
    );
    Some(file.map(|f| prettyplease::unparse(&f)).map_err(|e| e.to_string()))
}

/// The names of every schema type, in schema order.
pub fn type_names(model: &ir::Model) -> Vec<String> {
    let mut out = Vec::new();
    for m in &model.modules {
        out.extend(m.enums.iter().map(|e| e.name.clone()));
        out.extend(m.records.iter().map(|r| r.name.clone()));
        out.extend(m.unions.iter().map(|u| u.name.clone()));
        out.extend(m.messages.iter().map(|x| x.rust_name.clone()));
    }
    out
}

/// Renders every output file of a valid model: one module per schema file
/// and their `mod.rs`, all in the `gen/` folder of `src_dir`.
pub fn render_model(model: &ir::Model, src_dir: &Path) -> Result<Vec<Output>, String> {
    let gen_dir = src_dir.join(emit::crate_root::GEN_DIR);
    let mut outputs = Vec::new();
    for m in &model.modules {
        let tokens = module_tokens(m, model);
        let source = format!("schema/{}.yaml", m.name);
        outputs.push(Output { path: gen_dir.join(format!("{}.rs", m.name)), text: render::render(tokens, &source)? });
    }
    let root = render::render(emit::crate_root::gen_mod(model), "schema/*.yaml")?;
    outputs.push(Output { path: gen_dir.join("mod.rs"), text: root });
    Ok(outputs)
}

/// The tokens of one module: its enums, records and unions in schema order,
/// each followed by all of its impls.
pub fn module_tokens(m: &ir::Module, model: &ir::Model) -> TokenStream {
    let docs = emit::inner_doc(&m.doc);
    let enums = m.enums.iter().map(emit::types::enum_def);
    let records = m.records.iter().map(|r| record_tokens(r, model));
    let unions = m.unions.iter().map(union_tokens);
    let messages = m.messages.iter().map(|x| emit::message::message_tokens(x, model));
    let shapes = (!m.enums.is_empty() || !m.unions.is_empty()).then(|| quote! { use crate::runtime::shape as sh; });
    let rec_alias =
        (!m.records.is_empty() || !m.unions.is_empty() || !m.messages.is_empty()).then(|| quote! { use crate::runtime::record as rec; });
    let msg_alias = (!m.messages.is_empty()).then(|| quote! { use crate::runtime::message as msg; });
    let foreign: Vec<_> = foreign_types(m).into_iter().map(|n| emit::ident(&n)).collect();
    let foreign = (!foreign.is_empty()).then(|| quote! { use super::{#(#foreign),*}; });
    quote! {
        #docs
        use crate::runtime as rt;
        use crate::runtime::codec as c;
        #rec_alias
        #msg_alias
        #shapes
        #foreign
        #(#enums)*
        #(#records)*
        #(#unions)*
        #(#messages)*
    }
}

/// The schema types a module's code names that other modules define, sorted.
fn foreign_types(m: &ir::Module) -> std::collections::BTreeSet<String> {
    fn walk(ty: &ir::Ty, out: &mut std::collections::BTreeSet<String>) {
        match ty {
            ir::Ty::Record(n) | ir::Ty::Enum(n) => {
                out.insert(n.clone());
            }
            ir::Ty::List(t) | ir::Ty::OneOrList(t) => walk(t, out),
            ir::Ty::MapOf(k, v) => {
                out.insert(k.clone());
                walk(v, out);
            }
            _ => {}
        }
    }
    let mut out = std::collections::BTreeSet::new();
    for r in &m.records {
        for f in &r.fields {
            walk(&f.ty, &mut out);
        }
        out.extend(r.conversions.iter().map(|c| c.source.clone()));
    }
    for u in &m.unions {
        out.extend(u.variants.iter().map(|v| v.ty.clone()));
    }
    for x in &m.messages {
        for p in &x.positions {
            walk(&p.ty, &mut out);
        }
        out.extend(x.outgoing.iter().map(|o| o.options.clone()));
        if let Some(i) = &x.incoming {
            out.insert(i.into.clone());
            for c in &i.context {
                walk(&c.ty, &mut out);
            }
        }
    }
    let local: std::collections::BTreeSet<&str> = m
        .enums
        .iter()
        .map(|e| e.name.as_str())
        .chain(m.records.iter().map(|r| r.name.as_str()))
        .chain(m.unions.iter().map(|u| u.name.as_str()))
        .collect();
    out.retain(|n| !local.contains(n.as_str()));
    out
}

/// A record: its struct, `Record` impl (with its field table) and public API.
fn record_tokens(r: &ir::Record, model: &ir::Model) -> TokenStream {
    let def = emit::types::record_def(r, model);
    let imp = emit::record::record_impl(r, model);
    let api = emit::api::record_api(r);
    quote!(#def #imp #api)
}

/// A union: its enum, public API and shape.
fn union_tokens(u: &ir::Union) -> TokenStream {
    let def = emit::types::union_def(u);
    let api = emit::api::union_api(u);
    let shape = emit::shape::union_shape(u);
    quote!(#def #api #shape)
}

/// The default places, relative to the workspace root.
pub fn default_dirs(root: &Path) -> (PathBuf, PathBuf) {
    (root.join("schema"), root.join("generated").join("src"))
}
