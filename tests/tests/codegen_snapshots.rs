//! What codegen emits, pinned per schema type so that a schema change shows
//! up in review as the diff of the types it touches (`cargo insta review`).
//! Also: the checked-in `generated/` must be what the schema produces now.

use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn model() -> codegen::ir::Model {
    match codegen::load_model(&root().join("schema")) {
        Ok(m) => m,
        Err(e) => panic!("the schema does not load: {e:?}"),
    }
}

#[test]
fn emitted_code_per_type() {
    let model = model();
    let names = codegen::type_names(&model);
    assert!(names.len() >= 21, "expected every autobahn type, got {names:?}");
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_snapshot_path("snapshots/codegen");
    settings.bind(|| {
        for name in &names {
            let code = codegen::render_type(&model, name).expect("listed type").expect("valid Rust");
            insta::assert_snapshot!(name.as_str(), code);
        }
    });
}

#[test]
fn generated_crate_is_fresh() {
    let src = root().join("generated").join("src");
    let outputs = codegen::generate(&root().join("schema"), &src).unwrap_or_else(|e| panic!("{e:?}"));
    let plan = codegen::write::plan(&outputs, &src).expect("generated/src is readable");
    assert!(
        plan.changed.is_empty() && plan.obsolete.is_empty(),
        "generated/ is stale (changed: {:?}, obsolete: {:?}); run `cargo run -p codegen` and commit the result",
        plan.changed,
        plan.obsolete
    );
}

#[test]
fn generation_is_deterministic() {
    let src = root().join("generated").join("src");
    let a = codegen::generate(&root().join("schema"), &src).unwrap_or_else(|e| panic!("{e:?}"));
    let b = codegen::generate(&root().join("schema"), &src).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.path, y.path);
        assert!(x.text == y.text, "{} differs between two runs", x.path.display());
        assert!(x.text.starts_with("// @generated"), "{} lacks the @generated header", x.path.display());
    }
}
