//! Putting generated files in place: only what changed, each file written
//! atomically (a temporary file in the same folder, then a rename), and a
//! check mode that writes nothing.
//!
//! All new contents are written to temporary files first; only when every
//! one of them is on disk are they renamed over the old files. A failure
//! before that point (disk full, permissions) leaves the output folder as
//! it was.

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

impl Plan {
    /// Whether the disk already matches the outputs.
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.obsolete.is_empty()
    }
}

/// Compares the outputs with the disk. Files with an `@generated` header
/// that no output names are obsolete when they lie in `out_dir` or in a
/// folder that an output goes to (so both `src/` and `src/gen/`); other
/// files are never touched.
pub fn plan(outputs: &[Output], out_dir: &Path) -> std::io::Result<Plan> {
    let mut plan = Plan::default();
    for o in outputs {
        if fs::read(&o.path).ok().as_deref() != Some(o.text.as_bytes()) {
            plan.changed.push(o.path.clone());
        }
    }
    let mut dirs = vec![out_dir];
    for dir in outputs.iter().filter_map(|o| o.path.parent()) {
        if !dirs.contains(&dir) {
            dirs.push(dir);
        }
    }
    for dir in dirs.into_iter().filter(|d| d.is_dir()) {
        for entry in fs::read_dir(dir)? {
            let p = entry?.path();
            let generated = p.extension().is_some_and(|x| x == "rs") && fs::read_to_string(&p).is_ok_and(|t| t.starts_with("// @generated"));
            if generated && !outputs.iter().any(|o| o.path == p) {
                plan.obsolete.push(p);
            }
        }
    }
    plan.obsolete.sort();
    Ok(plan)
}

/// Carries out a plan: stages every changed file, then renames them all
/// into place, then removes obsolete files. Unchanged files are not
/// touched, so their modification times stay as they were.
pub fn apply(outputs: &[Output], plan: &Plan) -> std::io::Result<()> {
    let mut staged: Vec<(PathBuf, &Path)> = Vec::new();
    for o in outputs.iter().filter(|o| plan.changed.contains(&o.path)) {
        match stage(&o.path, &o.text) {
            Ok(tmp) => staged.push((tmp, &o.path)),
            Err(e) => {
                discard(&staged);
                return Err(e);
            }
        }
    }
    for (i, (tmp, path)) in staged.iter().enumerate() {
        if let Err(e) = fs::rename(tmp, path) {
            discard(&staged[i..]);
            return Err(std::io::Error::new(e.kind(), format!("{}: {e}", path.display())));
        }
    }
    for p in &plan.obsolete {
        fs::remove_file(p).map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", p.display())))?;
    }
    Ok(())
}

/// Writes `text` to `path` through a temporary file in the same folder, so
/// that a reader sees the old file or the new one, never a part.
pub fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    let tmp = stage(path, text)?;
    fs::rename(&tmp, path).inspect_err(|_| {
        let _ = fs::remove_file(&tmp);
    })
}

/// Writes `text` to a temporary file next to `path` and returns its name.
fn stage(path: &Path, text: &str) -> std::io::Result<PathBuf> {
    // A rename replaces whatever is there; only ever replace a regular file.
    if fs::symlink_metadata(path).is_ok_and(|m| !m.file_type().is_file()) {
        let msg = format!("{}: exists and is not a regular file; refusing to replace it", path.display());
        return Err(std::io::Error::new(std::io::ErrorKind::AlreadyExists, msg));
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()
    })();
    match result {
        Ok(()) => Ok(tmp),
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            Err(std::io::Error::new(e.kind(), format!("{}: {e}", tmp.display())))
        }
    }
}

/// Removes staged files that will not be renamed into place.
fn discard(staged: &[(PathBuf, &Path)]) {
    for (tmp, _) in staged {
        let _ = fs::remove_file(tmp);
    }
}
