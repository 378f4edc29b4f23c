//! Reading `schema/*.yaml`: every file, in name order, strictly.
//!
//! A file is read in three passes, so that one run reports as much as it
//! can: the YAML itself (syntax, keys given twice), then the shape of every
//! mapping (unknown and missing keys, all of them; `load/keys.rs`), then
//! serde's strict reading into [`schema::File`] (wrong value types; the
//! first one).

mod keys;

use std::path::Path;

use serde_yaml::Value;

use crate::diag::{self, Diagnostics};
use crate::schema;

/// Reads every `.yaml` file of `dir`. Files that cannot be parsed are
/// reported and left out; a file that cannot be read at all is an I/O error.
pub fn load_dir(dir: &Path, diags: &mut Diagnostics) -> std::io::Result<Vec<(String, schema::File)>> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    paths.sort();
    let mut files = Vec::new();
    for path in paths {
        let shown = display_path(dir, &path);
        let bytes = std::fs::read(&path).map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let (line, column) = position_of(e.as_bytes(), e.utf8_error().valid_up_to());
                diags.at(&shown, line, column, "the file is not valid UTF-8; save it as UTF-8".to_owned());
                diags.file_left_out();
                continue;
            }
        };
        diags.add_text(&shown, &text);
        match parse_file(&shown, &text, diags) {
            Some(file) => files.push((shown, file)),
            None => diags.file_left_out(),
        }
    }
    if files.is_empty() && diags.is_empty() {
        diags.at(&dir.display().to_string(), 1, 1, "no schema files (`*.yaml`) found".to_owned());
    }
    Ok(files)
}

/// Parses one file's text, reporting every problem found in it.
pub fn parse_file(shown: &str, text: &str, diags: &mut Diagnostics) -> Option<schema::File> {
    let value = match serde_yaml::from_str::<Value>(text) {
        Ok(v) => v,
        Err(e) => {
            report_yaml_error(shown, &e, diags);
            return None;
        }
    };
    if value.is_null() {
        let msg = "the file is empty; a schema file needs `doc` and at least one of `enums`, `records`, `unions`";
        diags.at(shown, 1, 1, msg.to_owned());
        return None;
    }
    let shape: Vec<_> = keys::shape(&value).into_iter().map(|(path, msg)| (diags.position(shown, &path), msg)).collect();
    let strict = match (serde_yaml::from_str::<schema::File>(text), shape.is_empty()) {
        (Ok(file), true) => return Some(file),
        (result, _) => result.err(),
    };
    for ((line, column), msg) in &shape {
        diags.at(shown, *line, *column, msg.clone());
    }
    if let Some(e) = strict {
        let at = e.location().map_or((1, 1), |l| (l.line(), l.column()));
        // The shape pass has already reported a problem at the same node.
        if !shape.iter().any(|(loc, _)| *loc == at) {
            diags.at(shown, at.0, at.1, tidy(&e.to_string(), at));
        }
    }
    None
}

/// A file that is not YAML, or a mapping with a key given twice.
fn report_yaml_error(shown: &str, e: &serde_yaml::Error, diags: &mut Diagnostics) {
    let dups = diags.doc(shown).map_or_else(Vec::new, |d| diag::duplicate_keys(d, 20));
    for d in &dups {
        let first = d.first.map_or(String::new(), |(line, _)| format!(" (first at line {line})"));
        let whole = if d.path.is_empty() { "; is part of the file repeated?" } else { "; a key may appear once per mapping" };
        diags.at(shown, d.at.0, d.at.1, format!("the key `{}` is given twice in this mapping{first}{whole}", d.key));
    }
    if dups.is_empty() {
        let at = e.location().map_or((1, 1), |l| (l.line(), l.column()));
        let msg = tidy(&e.to_string(), at);
        let hint = SYNTAX_HINTS.iter().find(|(problem, _)| msg.contains(problem)).map_or("", |(_, hint)| hint);
        diags.at(shown, at.0, at.1, format!("invalid YAML: {msg}{hint}"));
    }
}

/// What usually causes the YAML parser's complaints.
const SYNTAX_HINTS: &[(&str, &str)] = &[
    ("expected ',' or '}'", "; is a closing `}` missing?"),
    ("expected ',' or ']'", "; is a closing `]` missing?"),
    ("found unexpected end of stream", "; is a closing quote missing?"),
    ("mapping values are not allowed", "; quote a value that contains `: `"),
    ("cannot start any token", "; indent with spaces, not tabs, and quote values that start with `@` or a backtick"),
    ("did not find expected key", "; check the indentation of this line and the one before"),
    ("did not find expected node content", "; is a value missing, or a `[` or `{` before it left open?"),
];

/// Drops the position the YAML library puts in its message, since the
/// diagnostic starts with it, and names serde's structs in schema terms.
fn tidy(msg: &str, (line, column): (usize, usize)) -> String {
    let msg = msg.replacen(&format!(" at line {line} column {column}"), "", 1);
    let msg = msg.replace("struct File", "a mapping (a schema file)").replace("unit value", "an empty value");
    match msg.find("expected struct ") {
        Some(i) => format!("{}expected a mapping", &msg[..i]),
        None => msg,
    }
}

fn display_path(dir: &Path, path: &Path) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let dir_name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if dir_name.is_empty() { name } else { format!("{dir_name}/{name}") }
}

/// The 1-based line and column of byte `offset`.
fn position_of(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line_start = before.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    (before.iter().filter(|b| **b == b'\n').count() + 1, String::from_utf8_lossy(&before[line_start..]).chars().count() + 1)
}
