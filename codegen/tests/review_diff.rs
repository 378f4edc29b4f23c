//! The diff a reviewer reads for one new field stays small: the example of
//! the README's "Contributing" section (`CallOptions.ppt_scheme`, sent in
//! the CALL message, so also a field of `CallMessageOptions`) is applied to
//! a copy of the real schema, both are generated, and the hunks of the
//! difference (with git's three lines of context) are counted.

use std::fs;
use std::path::{Path, PathBuf};

use similar::TextDiff;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("codegen/ lies in the workspace").to_path_buf()
}

/// The YAML line of the README's example field.
fn readme_field_line() -> String {
    let readme = fs::read_to_string(root().join("README.md")).expect("read README.md");
    let line = readme.lines().find(|l| l.contains("name: ppt_scheme")).expect("the README's Contributing section adds `ppt_scheme`");
    line.trim().to_owned()
}

/// `text` with `line` inserted, at the indentation of `after`, right after
/// the first line that starts (once trimmed) with `after` and follows
/// `within`.
fn insert_after(text: &str, within: &str, after: &str, line: &str) -> String {
    let start = text.find(within).unwrap_or_else(|| panic!("`{within}` is in the schema"));
    let rel = text[start..].find(after).unwrap_or_else(|| panic!("`{after}` follows `{within}`"));
    let at = start + rel;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let indent = &text[line_start..at];
    let end = at + text[at..].find('\n').expect("the line ends");
    format!("{}\n{indent}{line}{}", &text[..end], &text[end..])
}

fn copy_schema(to: &Path) {
    fs::create_dir_all(to).expect("create the schema copy");
    for entry in fs::read_dir(root().join("schema")).expect("read schema/") {
        let path = entry.expect("a schema entry").path();
        if path.extension().is_some_and(|e| e == "yaml") {
            fs::copy(&path, to.join(path.file_name().expect("a file name"))).expect("copy a schema file");
        }
    }
}

#[test]
fn the_readme_example_field_gives_a_short_diff() {
    let field = readme_field_line();
    let dir = std::env::temp_dir().join(format!("wamp-codegen-review-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    let schema = dir.join("schema");
    copy_schema(&schema);
    let rpc = fs::read_to_string(schema.join("rpc.yaml")).expect("read rpc.yaml");
    let rpc = insert_after(&rpc, "- name: CallOptions", "- { name: details,", &field);
    let rpc = insert_after(&rpc, "- name: CallOptions", "- field: caller_authrole", "- field: ppt_scheme");
    fs::write(schema.join("rpc.yaml"), rpc).expect("write rpc.yaml");
    let messages = fs::read_to_string(schema.join("messages.yaml")).expect("read messages.yaml");
    let messages = insert_after(&messages, "- name: CallMessageOptions", "- { name: forward_for,", &field);
    fs::write(schema.join("messages.yaml"), messages).expect("write messages.yaml");

    let src = root().join("generated").join("src");
    let before = codegen::generate(&root().join("schema"), &src).expect("the schema generates");
    let after = codegen::generate(&schema, &src).unwrap_or_else(|e| panic!("the schema with the README's field generates: {e:?}"));
    fs::remove_dir_all(&dir).expect("remove the schema copy");

    assert_eq!(before.len(), after.len());
    let mut hunks = Vec::new();
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(b.path, a.path);
        let diff = TextDiff::from_lines(&b.text, &a.text);
        for group in diff.grouped_ops(3) {
            let added: Vec<String> = group
                .iter()
                .flat_map(|op| diff.iter_changes(op))
                .filter(|c| c.tag() != similar::ChangeTag::Equal)
                .map(|c| format!("{}{}", if c.tag() == similar::ChangeTag::Insert { "+" } else { "-" }, c.value().trim_end()))
                .collect();
            let file = b.path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
            hunks.push((file, added));
        }
    }
    let shown: Vec<String> = hunks.iter().map(|(f, lines)| format!("{f}:\n  {}", lines.join("\n  "))).collect();
    let shown = shown.join("\n");
    // Per type: the struct field with its docs, its line in the table, and
    // its typed step.
    assert_eq!(hunks.len(), 6, "{shown}");
    for (file, lines) in &hunks {
        assert!(file == "rpc.rs" || file == "messages.rs", "{shown}");
        assert!(lines.iter().all(|l| l.starts_with('+')), "only additions:\n{shown}");
        assert!(lines.iter().any(|l| l.contains("ppt_scheme")), "{shown}");
        assert!(lines.len() <= 2, "{shown}");
    }
}
