//! The generator end to end, on a temporary copy of the real schema: the
//! library as `cargo run -p codegen` drives it (generate, then plan and
//! apply the writes), and the built binary itself (options, messages, exit
//! codes). A corrupted schema file fails with a located message and leaves
//! the output folder byte for byte as it was; a good run rewrites only what
//! changed.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

use codegen::write::{self, Output};
use codegen::{Diagnostic, Failure};

/// A copy of the real schema and a folder generated from it, removed on drop.
struct Sandbox {
    root: PathBuf,
}

impl Sandbox {
    fn new(name: &str) -> Sandbox {
        let root = std::env::temp_dir().join(format!("wamp-codegen-cli-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        let sandbox = Sandbox { root };
        fs::create_dir_all(sandbox.schema()).expect("create the sandbox");
        let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("schema");
        for entry in fs::read_dir(&real).expect("read schema/") {
            let path = entry.expect("list schema/").path();
            if path.extension().is_some_and(|x| x == "yaml") {
                fs::copy(&path, sandbox.schema().join(path.file_name().expect("a file name"))).expect("copy the schema");
            }
        }
        run(&sandbox.schema(), &sandbox.out()).unwrap_or_else(|e| panic!("the real schema must generate: {e:?}"));
        sandbox
    }

    fn schema(&self) -> PathBuf {
        self.root.join("schema")
    }

    fn out(&self) -> PathBuf {
        self.root.join("out")
    }

    /// Rewrites one schema file.
    fn edit(&self, file: &str, change: impl FnOnce(&str) -> String) -> String {
        let path = self.schema().join(file);
        let text = fs::read_to_string(&path).expect("read the schema file");
        let changed = change(&text);
        assert_ne!(changed, text, "the edit of {file} changed nothing");
        fs::write(&path, &changed).expect("write the schema file");
        changed
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}

/// What `cargo run -p codegen -- --schema DIR --out DIR` does; the number
/// of files written.
fn run(schema: &Path, out: &Path) -> Result<usize, Failure> {
    let outputs = codegen::generate(schema, out)?;
    let plan = write::plan(&outputs, out).map_err(|e| Failure::Io(e.to_string()))?;
    write::apply(&outputs, &plan).map_err(|e| Failure::Io(e.to_string()))?;
    Ok(plan.changed.len() + plan.obsolete.len())
}

/// Every file under a folder, by its path relative to the folder (with
/// `/`), with its bytes and modification time.
fn listing(dir: &Path) -> BTreeMap<String, (Vec<u8>, SystemTime)> {
    fn walk(dir: &Path, prefix: &str, files: &mut BTreeMap<String, (Vec<u8>, SystemTime)>) {
        for entry in fs::read_dir(dir).expect("read the output folder") {
            let path = entry.expect("list the output folder").path();
            let name = format!("{prefix}{}", path.file_name().expect("a file name").to_string_lossy());
            if path.is_dir() {
                walk(&path, &format!("{name}/"), files);
            } else {
                let meta = fs::metadata(&path).expect("stat an output file");
                files.insert(name, (fs::read(&path).expect("read an output file"), meta.modified().expect("an mtime")));
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(dir, "", &mut files);
    files
}

/// Corrupts `file` of a fresh sandbox with `change` and checks that the run
/// fails with a diagnostic for that file that `expect` accepts, given the
/// corrupted text, and that the output folder is untouched.
fn corrupt(name: &str, file: &str, change: impl FnOnce(&str) -> String, expect: impl Fn(&str, &Diagnostic) -> bool) {
    let sandbox = Sandbox::new(name);
    let before = listing(&sandbox.out());
    let text = sandbox.edit(file, change);
    let list = match run(&sandbox.schema(), &sandbox.out()) {
        Err(Failure::Schema(list)) => list,
        Err(Failure::Io(e)) => panic!("{name}: expected schema problems, got an I/O error: {e}"),
        Ok(n) => panic!("{name}: the corrupted schema was accepted ({n} files written)"),
    };
    assert!(
        list.iter().any(|d| d.file == format!("schema/{file}") && d.line >= 1 && d.column >= 1 && expect(&text, d)),
        "{name}: no fitting diagnostic for schema/{file} in:\n{}",
        list.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
    );
    assert_eq!(listing(&sandbox.out()), before, "{name}: the output folder changed");
}

/// The 1-based line on which `needle` first appears in `text`.
fn line_of(text: &str, needle: &str) -> usize {
    let at = text.find(needle).unwrap_or_else(|| panic!("{needle:?} not found"));
    text[..at].matches('\n').count() + 1
}

#[test]
fn syntax_error() {
    corrupt(
        "syntax",
        "rpc.yaml",
        |t| t.replacen("\nrecords:\n", "\nrecords: [\n", 1),
        |t, d| d.line == line_of(t, "records: [") + 1 && d.message.starts_with("invalid YAML"),
    );
}

#[test]
fn truncated_to_half() {
    let half = |t: &str| {
        let mut cut = t.len() / 2;
        while !t.is_char_boundary(cut) {
            cut -= 1;
        }
        t[..cut].to_owned()
    };
    // Wherever the cut falls, the message points into what is left.
    corrupt("half", "session.yaml", half, |t, d| d.line <= t.lines().count() + 1);
}

#[test]
fn empty_file() {
    corrupt("empty", "common.yaml", |_| String::new(), |_, d| d.line == 1 && d.message.starts_with("the file is empty"));
}

#[test]
fn contents_twice() {
    corrupt(
        "twice",
        "common.yaml",
        |t| format!("{t}{t}"),
        |t, d| {
            d.line == t.lines().count() / 2 + 1
                && d.message == "the key `doc` is given twice in this mapping (first at line 1); is part of the file repeated?"
        },
    );
}

#[test]
fn unknown_top_level_key() {
    corrupt(
        "top-key",
        "pubsub.yaml",
        |t| t.replacen("\nrecords:", "\nrecrods:", 1),
        |t, d| (d.line, d.column) == (line_of(t, "recrods:"), 1) && d.message == "unknown key `recrods` in the file; did you mean `records`?",
    );
}

#[test]
fn misspelled_type_name() {
    corrupt(
        "misspelled",
        "rpc.yaml",
        |t| t.replacen("type: MatchPolicy", "type: MatchPolcy", 1),
        |t, d| d.line == line_of(t, "type: MatchPolcy") && d.message == "unknown type `MatchPolcy`; did you mean `MatchPolicy`?",
    );
}

#[test]
fn unchanged_files_are_not_rewritten() {
    let sandbox = Sandbox::new("unchanged");
    // Age every output so that a rewrite could not keep the same mtime.
    let old = SystemTime::now() - Duration::from_secs(3600);
    for name in listing(&sandbox.out()).keys() {
        let file = fs::File::options().write(true).open(sandbox.out().join(name)).expect("open an output");
        file.set_modified(old).expect("set an mtime");
    }
    let before = listing(&sandbox.out());
    assert_eq!(run(&sandbox.schema(), &sandbox.out()).expect("a clean run"), 0, "nothing changed, nothing written");
    assert_eq!(listing(&sandbox.out()), before);

    // The docs of the first type of rpc.yaml appear in rpc.rs only.
    sandbox.edit("rpc.yaml", |t| t.replacen("\n    doc: ", "\n    doc: Edited. ", 1));
    assert_eq!(run(&sandbox.schema(), &sandbox.out()).expect("a clean run"), 1);
    let after = listing(&sandbox.out());
    let changed: Vec<&String> = after.keys().filter(|k| after.get(*k) != before.get(*k)).collect();
    assert_eq!(changed, ["gen/rpc.rs"], "only the module of the edited file is rewritten, and no temporary file is left");
}

#[test]
fn a_failed_write_changes_nothing() {
    let sandbox = Sandbox::new("failed-write");
    let before = listing(&sandbox.out());
    // The first output would change; the second cannot be written, since
    // its folder would have to be created where a file stands.
    let outputs = vec![
        Output { path: sandbox.out().join("gen").join("common.rs"), text: "// changed\n".to_owned() },
        Output { path: sandbox.out().join("gen").join("mod.rs").join("nested.rs"), text: "// unwritable\n".to_owned() },
    ];
    let plan = write::Plan { changed: outputs.iter().map(|o| o.path.clone()).collect(), obsolete: Vec::new() };
    assert!(write::apply(&outputs, &plan).is_err(), "the write must fail");
    assert_eq!(listing(&sandbox.out()), before, "a failed write leaves every file as it was, and no temporary file");
}

#[test]
fn a_path_that_is_not_a_regular_file_is_never_replaced() {
    let dir = std::env::temp_dir().join(format!("wamp-codegen-nonfile-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("lib.rs")).expect("a folder where a file would go");
    let err = codegen::write::write_atomic(&dir.join("lib.rs"), "// text\n").expect_err("must refuse");
    assert!(err.to_string().contains("not a regular file"), "{err}");
    assert!(dir.join("lib.rs").is_dir(), "the folder is still there");
    let leftovers: Vec<_> = std::fs::read_dir(&dir).expect("readable").collect();
    assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

/// Runs the built generator in the sandbox's root with `args`, outside
/// cargo; gives the exit code, stdout and stderr.
fn codegen_bin(sandbox: &Sandbox, args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_codegen"))
        .current_dir(&sandbox.root)
        .env_remove("CARGO_MANIFEST_DIR")
        .args(args)
        .output()
        .expect("run codegen");
    (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn help_and_usage_errors() {
    let sandbox = Sandbox::new("usage");
    let (code, out, _) = codegen_bin(&sandbox, &["--help"]);
    assert_eq!(code, Some(0));
    assert!(out.starts_with("codegen: generates the wamp-types crate") && out.contains("EXIT CODES:"), "{out}");
    let (code, out, err) = codegen_bin(&sandbox, &["--bogus"]);
    assert_eq!((code, out.as_str()), (Some(3), ""));
    assert!(err.starts_with("error: unknown argument `--bogus`\n\ncodegen: "), "{err}");
    let (code, _, err) = codegen_bin(&sandbox, &["--schema"]);
    assert_eq!(code, Some(3));
    assert!(err.starts_with("error: --schema needs a folder\n"), "{err}");
    let (code, _, err) = codegen_bin(&sandbox, &["--check=yes"]);
    assert_eq!(code, Some(3));
    assert!(err.starts_with("error: unknown argument `--check=yes`\n"), "{err}");
}

#[test]
fn check_names_stale_files_and_the_command_that_fixes_them() {
    let sandbox = Sandbox::new("check");
    let (code, out, err) = codegen_bin(&sandbox, &["--check", "--schema", "schema", "--out=out"]);
    assert_eq!(code, Some(0), "{err}");
    let schema = sandbox.schema();
    assert_eq!(out, format!("reading the schema in {}\nout is fresh ({} files)\n", schema.display(), listing(&sandbox.out()).len()));

    sandbox.edit("rpc.yaml", |t| t.replacen("\n    doc: ", "\n    doc: Edited. ", 1));
    let (code, _, err) = codegen_bin(&sandbox, &["--check", "--schema", "schema", "--out=out"]);
    assert_eq!(code, Some(1));
    let stale: Vec<&str> = err.lines().filter(|l| l.starts_with("stale: ")).collect();
    assert!(stale.len() == 1 && stale[0].starts_with("stale: out/") && stale[0].ends_with("rpc.rs"), "{err}");
    assert!(
        err.ends_with("error: generated code is out of date; run `cargo run -p codegen -- --schema schema --out out` and commit the result\n"),
        "{err}"
    );

    let (code, out, err) = codegen_bin(&sandbox, &["--schema", "schema", "--out", "out"]);
    assert_eq!(code, Some(0), "{err}");
    let files = listing(&sandbox.out()).len();
    assert_eq!(out, format!("reading the schema in {}\n1 of {files} files updated, 0 removed\n", schema.display()));
    assert_eq!(codegen_bin(&sandbox, &["--check", "--schema", "schema", "--out", "out"]).0, Some(0));
}

#[test]
fn schema_problems_exit_2_and_write_nothing() {
    let sandbox = Sandbox::new("problems");
    let before = listing(&sandbox.out());
    let text = sandbox.edit("rpc.yaml", |t| t.replacen("type: MatchPolicy", "type: MatchPolcy", 1));
    let (code, out, err) = codegen_bin(&sandbox, &["--schema", "schema", "--out", "out"]);
    assert_eq!(code, Some(2));
    assert_eq!(out, format!("reading the schema in {}\n", sandbox.schema().display()));
    let line = line_of(&text, "type: MatchPolcy");
    let expected = format!(
        "schema/rpc.yaml:{line}:15: unknown type `MatchPolcy`; did you mean `MatchPolicy`?\nerror: 1 schema problem(s); nothing was written\n"
    );
    assert_eq!(err, expected);
    assert_eq!(listing(&sandbox.out()), before, "nothing was written");
}

#[test]
fn obsolete_generated_files_are_removed_and_others_kept() {
    let sandbox = Sandbox::new("obsolete");
    // A module of a schema file since removed, and one left by the old
    // layout, which generated the modules next to `lib.rs`.
    let stray = [sandbox.out().join("gen").join("old.rs"), sandbox.out().join("rpc.rs")];
    let own = [sandbox.out().join("gen").join("notes.rs"), sandbox.out().join("lib.rs")];
    for p in &stray {
        fs::write(p, "// @generated by `cargo run -p codegen` from schema/old.yaml.\n").expect("write a stray file");
    }
    for p in &own {
        fs::write(p, "// Hand-written.\n").expect("write a hand-written file");
    }
    let (code, _, err) = codegen_bin(&sandbox, &["--check", "--schema", "schema", "--out", "out"]);
    assert_eq!(code, Some(1));
    assert!(err.starts_with("obsolete: out/gen/old.rs\nobsolete: out/rpc.rs\n"), "{err}");
    let (code, out, err) = codegen_bin(&sandbox, &["--schema", "schema", "--out", "out"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.ends_with(" files updated, 2 removed\n"), "{out}");
    assert!(stray.iter().all(|p| !p.exists()) && own.iter().all(|p| p.exists()), "only the files with the @generated header are removed");
}
