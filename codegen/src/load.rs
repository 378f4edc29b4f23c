//! Reading `schema/*.yaml`: every file, in name order, strictly.

use std::path::Path;

use crate::diag::Diagnostics;
use crate::schema;

/// Reads every `.yaml` file of `dir`. Files that cannot be read or parsed
/// are reported and left out.
pub fn load_dir(dir: &Path, diags: &mut Diagnostics) -> std::io::Result<Vec<(String, schema::File)>> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    paths.sort();
    let mut files = Vec::new();
    for path in paths {
        let shown = display_path(dir, &path);
        let text = std::fs::read_to_string(&path)?;
        diags.add_text(&shown, &text);
        if let Some(file) = parse_file(&shown, &text, diags) {
            files.push((shown, file));
        }
    }
    if files.is_empty() && diags.is_empty() {
        diags.at(&dir.display().to_string(), 1, 1, "no schema files (`*.yaml`) found".to_owned());
    }
    Ok(files)
}

/// Parses one file's text.
pub fn parse_file(shown: &str, text: &str, diags: &mut Diagnostics) -> Option<schema::File> {
    if text.trim().lines().all(|l| l.trim().is_empty() || l.trim_start().starts_with('#')) {
        diags.at(shown, 1, 1, "the file is empty; a schema file needs `doc` and at least one of `enums`, `records`, `unions`".to_owned());
        return None;
    }
    match serde_yaml::from_str::<schema::File>(text) {
        Ok(f) => Some(f),
        Err(e) => {
            let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
            diags.at(shown, line, column, tidy_yaml_error(&e.to_string()));
            None
        }
    }
}

/// Drops the position that the YAML library appends, since the diagnostic
/// starts with it already, and adds a hint for the common mistakes.
fn tidy_yaml_error(msg: &str) -> String {
    let msg = match msg.rfind(" at line ") {
        Some(i) => &msg[..i],
        None => msg,
    };
    let hint = if msg.contains("unknown field") {
        "; check the spelling against schema/README.md"
    } else if msg.contains("missing field") {
        "; add it (schema/README.md lists what each entry needs)"
    } else if msg.contains("duplicate entry") || msg.contains("duplicate key") {
        "; a key may appear once per mapping"
    } else {
        ""
    };
    format!("{msg}{hint}")
}

fn display_path(dir: &Path, path: &Path) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let dir_name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if dir_name.is_empty() { name } else { format!("{dir_name}/{name}") }
}
