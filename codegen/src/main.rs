//! `cargo run -p codegen [-- --check]`: see `--help`.

use std::path::PathBuf;
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

EXIT CODES:
    0  success (written, or --check found everything fresh)
    1  --check found stale or obsolete files
    2  the schema has problems (each printed as file:line:column: message); nothing written
    3  usage error, or a file could not be read or written
";

const FIX: &str = "cargo run -p codegen";

fn main() -> ExitCode {
    let mut check = false;
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let (mut schema_dir, mut out_dir) = codegen::default_dirs(&root);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--check" => check = true,
            "--schema" | "--out" => {
                let Some(v) = args.next() else {
                    eprintln!("error: {arg} needs a folder\n\n{HELP}");
                    return ExitCode::from(3);
                };
                if arg == "--schema" { schema_dir = v.into() } else { out_dir = v.into() }
            }
            "-h" | "--help" => {
                print!("{HELP}");
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("error: unknown argument `{other}`\n\n{HELP}");
                return ExitCode::from(3);
            }
        }
    }
    let outputs = match codegen::generate(&schema_dir, &out_dir) {
        Ok(o) => o,
        Err(codegen::Failure::Schema(list)) => {
            for d in &list {
                eprintln!("{d}");
            }
            eprintln!("error: {} schema problem(s); nothing was written", list.len());
            return ExitCode::from(2);
        }
        Err(codegen::Failure::Io(msg)) => {
            eprintln!("error: {msg}");
            return ExitCode::from(3);
        }
    };
    let plan = match codegen::write::plan(&outputs, &out_dir) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {}: {e}", out_dir.display());
            return ExitCode::from(3);
        }
    };
    if check {
        if plan.changed.is_empty() && plan.obsolete.is_empty() {
            println!("generated/ is fresh ({} files)", outputs.len());
            return ExitCode::SUCCESS;
        }
        for p in &plan.changed {
            eprintln!("stale: {}", p.display());
        }
        for p in &plan.obsolete {
            eprintln!("obsolete: {}", p.display());
        }
        eprintln!("error: generated code is out of date; run `{FIX}` and commit the result");
        return ExitCode::from(1);
    }
    if let Err(e) = codegen::write::apply(&outputs, &plan) {
        eprintln!("error: writing {}: {e}", out_dir.display());
        return ExitCode::from(3);
    }
    println!("{} of {} files updated, {} removed", plan.changed.len(), outputs.len(), plan.obsolete.len());
    ExitCode::SUCCESS
}
