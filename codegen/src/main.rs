//! `cargo run -p codegen [-- --check]`: see `--help` and `codegen/README.md`.

use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

const HELP: &str = "\
codegen: generates the wamp-types crate (generated/src) from the YAML schema (schema/).

USAGE:
    cargo run -p codegen [-- OPTIONS]

OPTIONS:
    --check          Write nothing; fail if any generated file is stale.
    --schema DIR     Read the schema from DIR (default: schema).
    --out DIR        Write the crate sources to DIR (default: generated/src).
    -h, --help       Print this help.

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
    schema_dir: PathBuf,
    out_dir: PathBuf,
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
    let outputs = match codegen::generate(&args.schema_dir, &args.out_dir) {
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
    let plan = match codegen::write::plan(&outputs, &args.out_dir) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {}: {e}", shown(&args.out_dir));
            return ExitCode::from(IO);
        }
    };
    if args.check {
        if plan.is_empty() {
            println!("{} is fresh ({} files)", shown(&args.out_dir), outputs.len());
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
        eprintln!("error: writing {}: {e}", shown(&args.out_dir));
        return ExitCode::from(IO);
    }
    println!("{} of {} files updated, {} removed", plan.changed.len(), outputs.len(), plan.obsolete.len());
    ExitCode::SUCCESS
}

/// The options, or `None` when help was asked for.
fn parse_args(mut it: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let (schema_dir, out_dir) = codegen::default_dirs(&root);
    let mut args = Args { check: false, schema_dir, out_dir, overrides: Vec::new() };
    while let Some(arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        match name.as_str() {
            "--check" if inline.is_none() => args.check = true,
            "--schema" | "--out" => {
                let dir = inline.or_else(|| it.next()).filter(|v| !v.is_empty()).ok_or(format!("{name} needs a folder"))?;
                args.overrides.extend([name.clone(), dir.clone()]);
                if name == "--schema" { args.schema_dir = dir.into() } else { args.out_dir = dir.into() }
            }
            "-h" | "--help" => return Ok(None),
            _ => return Err(format!("unknown argument `{arg}`")),
        }
    }
    Ok(Some(args))
}

/// A path as short as it can be shown: `..` resolved, and relative to the
/// current folder when it lies inside it.
fn shown(path: &Path) -> String {
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
    let cwd = std::env::current_dir().unwrap_or_default();
    match clean.strip_prefix(&cwd) {
        Ok(rel) if rel.as_os_str().is_empty() => ".".to_owned(),
        Ok(rel) => rel.display().to_string(),
        Err(_) => clean.display().to_string(),
    }
}
