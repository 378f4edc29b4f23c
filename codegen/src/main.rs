//! `cargo run -p codegen [-- --check]`: see `--help` and `codegen/README.md`.

use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

const HELP: &str = "\
codegen: generates the wamp-types crate (generated/src/gen) from the YAML schema (schema/).

USAGE:
    cargo run -p codegen [-- OPTIONS]

OPTIONS:
    --check          Write nothing; fail if any generated file is stale.
    --schema DIR     Read the schema from DIR (default: schema/ of the workspace).
    --out DIR        The crate's src folder; the generated files go to DIR/gen
                     (default: generated/src of the workspace).
    -h, --help       Print this help.

THE WORKSPACE is the nearest folder with a Cargo.toml that has [workspace] and with a
schema/ folder, at or above the package folder that `cargo run` sets in CARGO_MANIFEST_DIR,
else at or above the current folder. The first line printed names the schema folder read.

SCHEMA PROBLEMS are printed one a line, as `schema/FILE.yaml:LINE:COLUMN: message`,
every one found in the run; nothing is written while there is any.

EXIT CODES:
    0  success (written, or --check found everything fresh)
    1  --check found stale or obsolete files
    2  the schema has problems; nothing written
    3  usage error, or a file could not be read or written
";

/// Exit codes, as documented in `HELP` and `codegen/README.md`.
const STALE: u8 = 1;
const SCHEMA: u8 = 2;
const IO: u8 = 3;

struct Args {
    check: bool,
    /// `--schema`; without it, `schema/` of the workspace.
    schema_dir: Option<PathBuf>,
    /// `--out`; without it, `generated/src` of the workspace.
    out_dir: Option<PathBuf>,
    /// The options that the command to regenerate must repeat.
    overrides: Vec<String>,
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(msg) => {
            eprintln!("error: {msg}\n\n{HELP}");
            return ExitCode::from(IO);
        }
    };
    let (schema_dir, out_dir) = match (args.schema_dir, args.out_dir) {
        (Some(schema), Some(out)) => (schema, out),
        (schema, out) => match workspace_root(std::env::var_os("CARGO_MANIFEST_DIR")) {
            Ok(root) => {
                let (default_schema, default_out) = codegen::default_dirs(&root);
                (schema.unwrap_or(default_schema), out.unwrap_or(default_out))
            }
            Err(msg) => {
                eprintln!("error: {msg}");
                return ExitCode::from(IO);
            }
        },
    };
    println!("reading the schema in {}", clean(&std::path::absolute(&schema_dir).unwrap_or(schema_dir.clone())).display());
    let outputs = match codegen::generate(&schema_dir, &out_dir) {
        Ok(o) => o,
        Err(codegen::Failure::Schema(list)) => {
            for d in &list {
                eprintln!("{d}");
            }
            eprintln!("error: {} schema problem(s); nothing was written", list.len());
            return ExitCode::from(SCHEMA);
        }
        Err(codegen::Failure::Io(msg)) => {
            eprintln!("error: {msg}");
            return ExitCode::from(IO);
        }
    };
    let plan = match codegen::write::plan(&outputs, &out_dir) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {}: {e}", shown(&out_dir));
            return ExitCode::from(IO);
        }
    };
    if args.check {
        if plan.is_empty() {
            println!("{} is fresh ({} files)", shown(&out_dir), outputs.len());
            return ExitCode::SUCCESS;
        }
        for p in &plan.changed {
            eprintln!("stale: {}", shown(p));
        }
        for p in &plan.obsolete {
            eprintln!("obsolete: {}", shown(p));
        }
        let fix = std::iter::once("cargo run -p codegen".to_owned());
        let fix: Vec<String> = fix.chain((!args.overrides.is_empty()).then(|| "--".to_owned())).chain(args.overrides).collect();
        eprintln!("error: generated code is out of date; run `{}` and commit the result", fix.join(" "));
        return ExitCode::from(STALE);
    }
    if let Err(e) = codegen::write::apply(&outputs, &plan) {
        eprintln!("error: writing {}: {e}", shown(&out_dir));
        return ExitCode::from(IO);
    }
    println!("{} of {} files updated, {} removed", plan.changed.len(), outputs.len(), plan.obsolete.len());
    ExitCode::SUCCESS
}

/// The options, or `None` when help was asked for.
fn parse_args(mut it: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let (mut check, mut schema_dir, mut out_dir, mut overrides) = (false, None, None, Vec::new());
    while let Some(arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        match name.as_str() {
            "--check" if inline.is_none() => check = true,
            "--schema" | "--out" => {
                let dir = inline.or_else(|| it.next()).filter(|v| !v.is_empty()).ok_or(format!("{name} needs a folder"))?;
                overrides.extend([name.clone(), dir.clone()]);
                if name == "--schema" { schema_dir = Some(dir.into()) } else { out_dir = Some(dir.into()) }
            }
            "-h" | "--help" => return Ok(None),
            _ => return Err(format!("unknown argument `{arg}`")),
        }
    }
    Ok(Some(Args { check, schema_dir, out_dir, overrides }))
}

/// The workspace to work on. The binary must not remember where it was
/// built: several checkouts may share one target folder, and then cargo
/// runs the binary built in one of them in all of them. So this is decided
/// at run time, from `CARGO_MANIFEST_DIR` (which `cargo run` sets to the
/// package of the checkout it runs in), else from the current folder: the
/// nearest folder at or above it with a `Cargo.toml` that has `[workspace]`
/// and with a `schema/` folder. `manifest_dir` is `CARGO_MANIFEST_DIR`.
fn workspace_root(manifest_dir: Option<OsString>) -> Result<PathBuf, String> {
    let cwd = std::env::current_dir().map_err(|e| format!("cannot read the current folder: {e}"))?;
    let starts = manifest_dir.map(|d| cwd.join(d)).into_iter().chain([cwd]);
    starts.into_iter().find_map(|start| start.ancestors().find(|d| is_workspace(d)).map(Path::to_path_buf)).ok_or_else(|| {
        "cannot find the workspace (a folder with a Cargo.toml that has [workspace] and a schema/ folder) \
         at or above CARGO_MANIFEST_DIR or the current folder; run in the checkout, or give --schema and --out"
            .to_owned()
    })
}

/// Whether `dir` is the root of a workspace with a schema.
fn is_workspace(dir: &Path) -> bool {
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap_or_default();
    dir.join("schema").is_dir() && manifest.lines().any(|l| l.trim() == "[workspace]")
}

/// A path as short as it can be shown: `..` resolved, and relative to the
/// current folder when it lies inside it.
fn shown(path: &Path) -> String {
    let clean = clean(path);
    let cwd = std::env::current_dir().unwrap_or_default();
    match clean.strip_prefix(&cwd) {
        Ok(rel) if rel.as_os_str().is_empty() => ".".to_owned(),
        Ok(rel) => rel.display().to_string(),
        Err(_) => clean.display().to_string(),
    }
}

/// `path` with `.` dropped and `..` resolved where it follows a name.
fn clean(path: &Path) -> PathBuf {
    let mut clean = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir if clean.file_name().is_some() => {
                clean.pop();
            }
            Component::CurDir => {}
            c => clean.push(c),
        }
    }
    clean
}
