//! Putting generated files in place: only what changed, each file written
//! atomically (a temporary file in the same folder, then a rename), and a
//! check mode that writes nothing.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A file the generator produces.
pub struct Output {
    pub path: PathBuf,
    pub text: String,
}

/// What differs between the outputs and the disk.
#[derive(Debug, Default)]
pub struct Plan {
    /// Files to create or overwrite.
    pub changed: Vec<PathBuf>,
    /// Generated files that the schema no longer produces.
    pub obsolete: Vec<PathBuf>,
}

/// Compares the outputs with `out_dir`. Files with an `@generated` header
/// that no output names are obsolete; other files are never touched.
pub fn plan(outputs: &[Output], out_dir: &Path) -> std::io::Result<Plan> {
    let mut plan = Plan::default();
    for o in outputs {
        if fs::read_to_string(&o.path).ok().as_deref() != Some(o.text.as_str()) {
            plan.changed.push(o.path.clone());
        }
    }
    if out_dir.is_dir() {
        let mut existing: Vec<_> = fs::read_dir(out_dir)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
        existing.sort();
        for p in existing {
            let generated = p.extension().is_some_and(|x| x == "rs")
                && fs::read_to_string(&p).is_ok_and(|t| t.starts_with("// @generated"));
            if generated && !outputs.iter().any(|o| o.path == p) {
                plan.obsolete.push(p);
            }
        }
    }
    Ok(plan)
}

/// Carries out a plan.
pub fn apply(outputs: &[Output], plan: &Plan) -> std::io::Result<()> {
    for o in outputs.iter().filter(|o| plan.changed.contains(&o.path)) {
        write_atomic(&o.path, &o.text)?;
    }
    for p in &plan.obsolete {
        fs::remove_file(p)?;
    }
    Ok(())
}

/// Writes `text` to `path` through a temporary file in the same folder, so
/// that a reader sees the old file or the new one, never a part.
pub fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}
