//! `cargo fmt` leaves the generated code alone, so that
//! `cargo run -p codegen -- --check` still passes after it: a copy of the
//! `wamp-types` sources, freshly generated, with the workspace's
//! `rustfmt.toml`, is formatted by `cargo fmt` and then checked.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn real_root() -> PathBuf {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    manifest.parent().expect("codegen/ lies in the workspace").to_path_buf()
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

#[test]
fn cargo_fmt_then_check_passes() {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    if !Command::new(&cargo).args(["fmt", "--version"]).output().is_ok_and(|o| o.status.success()) {
        assert!(std::env::var_os("CI").is_none(), "CI needs rustfmt: `rustup component add rustfmt`");
        eprintln!("note: skipped, `cargo fmt` is not installed (`rustup component add rustfmt`)");
        return;
    }
    let real = real_root();
    let dir = std::env::temp_dir().join(format!("wamp-codegen-rustfmt-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    let src = dir.join("src");

    // The hand-written sources as they are, the generated ones as the
    // schema gives them now.
    fs::create_dir_all(&src).expect("create the copy");
    fs::copy(real.join("generated/src/lib.rs"), src.join("lib.rs")).expect("copy lib.rs");
    copy_dir(&real.join("generated/src/runtime"), &src.join("runtime"));
    fs::copy(real.join("rustfmt.toml"), dir.join("rustfmt.toml")).expect("copy rustfmt.toml");
    let manifest = "[package]\nname = \"fmt-copy\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[workspace]\n";
    fs::write(dir.join("Cargo.toml"), manifest).expect("write Cargo.toml");
    let outputs = codegen::generate(&real.join("schema"), &src).unwrap_or_else(|e| panic!("the schema must generate: {e:?}"));
    let plan = codegen::write::plan(&outputs, &src).expect("plan");
    codegen::write::apply(&outputs, &plan).expect("write the generated files");

    // A hand-written module that rustfmt must change, to show that it ran
    // and followed the modules of lib.rs.
    let mut lib = fs::read_to_string(src.join("lib.rs")).expect("read lib.rs");
    lib.push_str("\nmod probe;\n");
    fs::write(src.join("lib.rs"), lib).expect("write lib.rs");
    fs::write(src.join("probe.rs"), "fn   probe( )   {}\n").expect("write probe.rs");

    let out = Command::new(&cargo).arg("fmt").current_dir(&dir).output().expect("run cargo fmt");
    assert!(out.status.success(), "cargo fmt failed: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(fs::read_to_string(src.join("probe.rs")).expect("read probe.rs"), "fn probe() {}\n", "cargo fmt did not format the copy");

    let plan = codegen::write::plan(&outputs, &src).expect("plan");
    let _ = fs::remove_dir_all(&dir);
    assert!(plan.is_empty(), "cargo fmt changed generated files: {:?} (is `mod r#gen;` in lib.rs still #[rustfmt::skip]?)", plan.changed);
}
