//! Generates the `wamp-types` crate from the YAML schema.
//!
//! The pipeline reads from the module names: [`schema`] (the YAML model,
//! read by [`load`]) → [`ir`] (names resolved, types parsed, wire keys
//! decided, problems reported through [`diag`]) → [`emit`] (one emitter per
//! concern) → [`render`] (syn + prettyplease) → [`write`] (atomic, only
//! what changed).

pub mod diag;
pub mod emit;
pub mod ir;
pub mod load;
pub mod render;
pub mod schema;
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
    let mut diags = Diagnostics::default();
    let files = load::load_dir(schema_dir, &mut diags).map_err(|e| Failure::Io(format!("{}: {e}", schema_dir.display())))?;
    let model = ir::build(&files, &mut diags);
    if !diags.is_empty() {
        let mut list = diags.list;
        list.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        return Err(Failure::Schema(list));
    }
    render_model(&model, src_dir).map_err(Failure::Io)
}

/// Renders every output file of a valid model.
pub fn render_model(model: &ir::Model, src_dir: &Path) -> Result<Vec<Output>, String> {
    let mut outputs = Vec::new();
    for m in &model.modules {
        let tokens = module_tokens(m, model);
        let source = format!("schema/{}.yaml", m.name);
        outputs.push(Output { path: src_dir.join(format!("{}.rs", m.name)), text: render::render(tokens, &source)? });
    }
    let lib = render::render(emit::crate_root::lib_rs(model), "schema/*.yaml")?;
    outputs.push(Output { path: src_dir.join("lib.rs"), text: lib });
    Ok(outputs)
}

/// The tokens of one module: its enums, records and unions in schema order.
pub fn module_tokens(m: &ir::Module, model: &ir::Model) -> TokenStream {
    let docs = emit::inner_doc(&m.doc);
    let enums = m.enums.iter().map(emit::types::enum_def);
    let records = m.records.iter().map(|r| {
        let def = emit::types::record_def(r, model);
        let imp = emit::record::record_impl(r, model);
        let api = emit::api::record_api(r);
        quote!(#def #imp #api)
    });
    let unions = m.unions.iter().map(|u| {
        let def = emit::types::union_def(u);
        let api = emit::api::union_api(u);
        quote!(#def #api)
    });
    quote! {
        #docs
        use crate::runtime as rt;
        #(#enums)*
        #(#records)*
        #(#unions)*
    }
}

/// The default places, relative to the workspace root.
pub fn default_dirs(root: &Path) -> (PathBuf, PathBuf) {
    (root.join("schema"), root.join("generated").join("src"))
}
