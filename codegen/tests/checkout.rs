//! The generator works on the checkout it is run in, not the one it was
//! built in. Several checkouts (git worktrees, a CI cache) may share one
//! `CARGO_TARGET_DIR`; cargo then runs one binary in all of them. Here one
//! built binary is run, as `cargo run -p codegen` runs it, in two copies of
//! the workspace: each run reads and writes only its own copy.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The generator, built once by cargo for all tests of this package.
const CODEGEN: &str = env!("CARGO_BIN_EXE_codegen");

/// This checkout's workspace root, as cargo gives it to this test run.
fn real_root() -> PathBuf {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    manifest.parent().expect("codegen/ lies in the workspace").to_path_buf()
}

/// A copy of the workspace, as far as the generator sees it: the root
/// `Cargo.toml`, `codegen/` (empty), the schema and the generated crate.
/// Removed on drop.
struct Checkout {
    root: PathBuf,
}

impl Checkout {
    fn new(name: &str) -> Checkout {
        let root = std::env::temp_dir().join(format!("wamp-codegen-checkout-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        let checkout = Checkout { root };
        let real = real_root();
        copy_dir(&real.join("schema"), &checkout.root.join("schema"));
        copy_dir(&real.join("generated"), &checkout.root.join("generated"));
        fs::create_dir_all(checkout.root.join("codegen")).expect("create codegen/");
        fs::copy(real.join("Cargo.toml"), checkout.root.join("Cargo.toml")).expect("copy Cargo.toml");
        checkout
    }

    /// Gives the first type of `rpc.yaml` docs that start with `mark`.
    fn mark(&self, mark: &str) {
        let path = self.root.join("schema").join("rpc.yaml");
        let text = fs::read_to_string(&path).expect("read rpc.yaml");
        let marked = text.replacen("\n    doc: ", &format!("\n    doc: {mark} "), 1);
        assert_ne!(marked, text, "rpc.yaml has no type docs to mark");
        fs::write(&path, marked).expect("write rpc.yaml");
    }

    /// Every file of the generated crate, with its text.
    fn generated(&self) -> BTreeMap<PathBuf, String> {
        files(&self.root.join("generated"))
    }
}

impl Drop for Checkout {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
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

/// Every file under `dir`, recursively, with its text.
fn files(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    for entry in fs::read_dir(dir).expect("read a folder") {
        let path = entry.expect("list a folder").path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.insert(path.clone(), fs::read_to_string(&path).unwrap_or_default());
        }
    }
    out
}

/// Runs the generator in `cwd` with `CARGO_MANIFEST_DIR` set to
/// `manifest_dir` (as `cargo run` sets it) or unset.
fn codegen(cwd: &Path, manifest_dir: Option<&Path>, args: &[&str]) -> Output {
    let mut cmd = Command::new(CODEGEN);
    cmd.current_dir(cwd).args(args).env_remove("CARGO_MANIFEST_DIR");
    if let Some(dir) = manifest_dir {
        cmd.env("CARGO_MANIFEST_DIR", dir);
    }
    cmd.output().expect("run codegen")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Whether any file of the generated crate holds `text`.
fn mentions(generated: &BTreeMap<PathBuf, String>, text: &str) -> bool {
    generated.values().any(|t| t.contains(text))
}

#[test]
fn two_checkouts_share_one_binary() {
    let real_before = files(&real_root().join("generated"));
    let (a, b) = (Checkout::new("a"), Checkout::new("b"));
    a.mark("Marked in A.");
    b.mark("Marked in B.");
    for (this, mark) in [(&a, "Marked in A."), (&b, "Marked in B.")] {
        let out = codegen(&this.root, Some(&this.root.join("codegen")), &[]);
        assert!(out.status.success(), "codegen failed in {}: {}", this.root.display(), String::from_utf8_lossy(&out.stderr));
        let schema = this.root.join("schema");
        assert!(stdout(&out).contains(&format!("reading the schema in {}\n", schema.display())), "{}", stdout(&out));
        assert!(mentions(&this.generated(), mark), "{} was not regenerated from its own schema", this.root.display());
        let check = codegen(&this.root, Some(&this.root.join("codegen")), &["--check"]);
        assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    }
    assert!(!mentions(&a.generated(), "Marked in B."), "the run in B wrote into A");
    assert!(!mentions(&b.generated(), "Marked in A."), "the run in A wrote into B");
    assert_eq!(files(&real_root().join("generated")), real_before, "a run in a copy changed this checkout");
}

#[test]
fn without_cargo_the_workspace_is_found_from_the_current_folder() {
    let a = Checkout::new("cwd");
    a.mark("Marked from the current folder.");
    let cwd = a.root.join("generated").join("src");
    let out = codegen(&cwd, None, &["--check"]);
    assert_eq!(out.status.code(), Some(1), "the marked schema must make generated/ stale: {}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout(&out).contains(&format!("reading the schema in {}\n", a.root.join("schema").display())), "{}", stdout(&out));
    assert!(codegen(&cwd, None, &[]).status.success());
    assert!(mentions(&a.generated(), "Marked from the current folder."));
}

#[test]
fn a_manifest_dir_outside_any_workspace_falls_back_to_the_current_folder() {
    let a = Checkout::new("elsewhere");
    let out = codegen(&a.root, Some(&std::env::temp_dir()), &["--check"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout(&out).contains(&format!("reading the schema in {}\n", a.root.join("schema").display())), "{}", stdout(&out));
}

#[test]
fn no_workspace_is_a_usage_error() {
    let dir = std::env::temp_dir().join(format!("wamp-codegen-nowhere-{}", std::process::id()));
    fs::create_dir_all(&dir).expect("create a folder");
    let out = codegen(&dir, None, &["--check"]);
    let _ = fs::remove_dir_all(&dir);
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("error: cannot find the workspace"), "{stderr}");
}
