//! Generates the `wamp-types` crate from the YAML schema.
//!
//! The pipeline reads from the module names, in one direction: [`schema`]
//! (the YAML model) → [`load`] (the files read strictly: YAML syntax, keys
//! given twice, unknown and missing keys) → [`validate`] (what spans
//! several entities: names and message codes unique in the whole schema) →
//! [`ir`] (lowered, each setting resolved and checked once: names resolved,
//! field types parsed by [`types`], wire keys decided, values typed, the
//! session bridge resolved; every problem reported where it is found) →
//! [`emit`] (one emitter per concern, assembled into one module per schema
//! file by `emit::module`) → [`render`] (syn + prettyplease) →
//! [`write`](mod@write) (atomic, only what changed). Problems are reported
//! through [`diag`], each at its `file:line:column`; a model with any
//! problem goes no further, so the emitters read only resolved references.

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
    validate::check(&files, &mut diags);
    let model = ir::lower(&files, &names, &mut diags);
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
    emit::module::entity(model, name).map(render::snippet)
}

/// The names of every schema type, in schema order: what [`render_type`] takes.
pub fn type_names(model: &ir::Model) -> Vec<String> {
    emit::module::entity_names(model)
}

/// Renders every output file of a valid model: one module per schema file
/// and their `mod.rs`, all in the `gen/` folder of `src_dir`.
pub fn render_model(model: &ir::Model, src_dir: &Path) -> Result<Vec<Output>, String> {
    let gen_dir = src_dir.join(emit::crate_root::GEN_DIR);
    let mut outputs = Vec::new();
    for m in &model.modules {
        let source = format!("schema/{}.yaml", m.name);
        let text = render::render(emit::module::module(m, model), &source)?;
        outputs.push(Output { path: gen_dir.join(format!("{}.rs", m.name)), text });
    }
    let root = render::render(emit::crate_root::gen_mod(model), "schema/*.yaml")?;
    outputs.push(Output { path: gen_dir.join("mod.rs"), text: root });
    Ok(outputs)
}

/// The default places, relative to the workspace root.
pub fn default_dirs(root: &Path) -> (PathBuf, PathBuf) {
    (root.join("schema"), root.join("generated").join("src"))
}
