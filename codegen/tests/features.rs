//! One small schema per schema feature, under
//! `codegen/tests/features/<feature>/<feature>.yaml`, with everything it
//! generates pinned as an insta snapshot
//! (`codegen/tests/snapshots/features__<feature>.snap`): a change to an
//! emitter shows up in review as the diff of the features it touches.
//!
//! All of them together must also compile, warning-free, against the real
//! runtime, so their type names differ.
//!
//! To add a feature: create the folder and its file, add its name to
//! `features!` below, run `INSTA_UPDATE=always cargo test -p codegen --test features`,
//! and read the new `.snap` file before committing it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("features")
}

/// Every file generated from one feature's schema, each under a line that
/// names it, in the order the generator writes them.
fn generated(feature: &str) -> String {
    let schema = fixtures().join(feature);
    assert!(schema.join(format!("{feature}.yaml")).is_file(), "{} has no {feature}.yaml", schema.display());
    // Nothing is written: the outputs are only rendered.
    let src = Path::new("src");
    let outputs = codegen::generate(&schema, src).unwrap_or_else(|e| panic!("{feature}: the schema must generate: {e:?}"));
    let mut text = String::new();
    for o in &outputs {
        let name = o.path.strip_prefix(src).expect("every output lies in src/");
        text.push_str(&format!("=== {} ===\n{}\n", name.display(), o.text));
    }
    text
}

macro_rules! features {
    ($($feature:ident),* $(,)?) => {
        const FEATURES: &[&str] = &[$(stringify!($feature)),*];
        $(
            #[test]
            fn $feature() {
                insta::assert_snapshot!(stringify!($feature), generated(stringify!($feature)));
            }
        )*
    };
}

features! {
    bridge,
    conflicts_with,
    constants,
    conversions,
    derived,
    enums,
    hex,
    implied_by,
    map_of,
    message_attr,
    message_dicts,
    messages,
    one_or_list,
    record,
    union,
    unknown_keys,
}

#[test]
fn every_feature_folder_has_a_test() {
    let mut folders: Vec<String> = std::fs::read_dir(fixtures())
        .expect("codegen/tests/features exists")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    let mut listed: Vec<String> = FEATURES.iter().map(|c| c.to_string()).collect();
    listed.sort();
    assert_eq!(folders, listed, "every folder under codegen/tests/features needs an entry in `features!`, and back");
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create a folder");
    for entry in fs::read_dir(from).expect("read a folder") {
        let path = entry.expect("list a folder").path();
        let target = to.join(path.file_name().expect("a file name"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            fs::copy(&path, &target).expect("copy a file");
        }
    }
}

/// The code of every feature compiles with warnings denied, in a crate made
/// of the hand-written parts of `wamp-types` (`lib.rs`, `runtime/`) and the
/// code generated from all the features' schemas together. The crate is
/// kept in cargo's temporary folder, so that later runs build only what
/// changed.
#[test]
fn generated_code_compiles() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("codegen/ lies in the workspace").to_path_buf();
    let krate = Path::new(env!("CARGO_TARGET_TMPDIR")).join("codegen-features");
    let (schema, src) = (krate.join("schema"), krate.join("src"));
    for dir in [&schema, &src] {
        let _ = fs::remove_dir_all(dir);
        fs::create_dir_all(dir).expect("create a folder");
    }
    for feature in FEATURES {
        let file = format!("{feature}.yaml");
        fs::copy(fixtures().join(feature).join(&file), schema.join(&file)).expect("copy a feature's schema");
    }
    fs::copy(root.join("generated/src/lib.rs"), src.join("lib.rs")).expect("copy lib.rs");
    copy_dir(&root.join("generated/src/runtime"), &src.join("runtime"));
    fs::copy(root.join("generated/README.md"), krate.join("README.md")).expect("copy the crate docs");
    fs::copy(root.join("Cargo.lock"), krate.join("Cargo.lock")).expect("copy Cargo.lock");
    let manifest = "[package]\nname = \"codegen-features\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
                    [features]\njson = []\nmsgpack = []\ncbor = []\n\n\
                    [dependencies]\nserde = { version = \"1\", features = [\"std\"] }\nbase64 = \"0.22\"\n\n[workspace]\n";
    fs::write(krate.join("Cargo.toml"), manifest).expect("write Cargo.toml");
    let outputs = codegen::generate(&schema, &src).unwrap_or_else(|e| panic!("the features together must generate: {e:?}"));
    let plan = codegen::write::plan(&outputs, &src).expect("plan");
    codegen::write::apply(&outputs, &plan).expect("write the generated files");

    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .args(["check", "--offline", "--quiet", "--lib"])
        .current_dir(&krate)
        .env("CARGO_TARGET_DIR", krate.join("target"))
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("run cargo check");
    assert!(out.status.success(), "the features' code does not compile:\n{}", String::from_utf8_lossy(&out.stderr));
}
