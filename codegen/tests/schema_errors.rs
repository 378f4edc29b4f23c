//! Broken schemas, one folder per case under `codegen/tests/schema_errors/<case>/schema/`,
//! each with the diagnostics it must produce pinned as an insta snapshot
//! (`codegen/tests/snapshots/schema_errors__<case>.snap`).
//!
//! To add a case: create the folder, add its name to `cases!` below, run
//! `INSTA_UPDATE=always cargo test -p codegen --test schema_errors`, and
//! read the new `.snap` file before committing it.

use std::path::{Path, PathBuf};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("schema_errors")
}

/// Every diagnostic of one case, one a line, as the generator prints them.
fn diagnostics(case: &str) -> String {
    let schema = corpus().join(case).join("schema");
    assert!(schema.is_dir(), "{} is missing", schema.display());
    let out = std::env::temp_dir().join(format!("wamp-schema-errors-{}-{case}", std::process::id()));
    let result = codegen::generate(&schema, &out);
    assert!(!out.exists(), "{case}: a failed run must write nothing");
    match result {
        Ok(_) => panic!("{case}: the broken schema was accepted"),
        Err(codegen::Failure::Io(e)) => panic!("{case}: {e}"),
        Err(codegen::Failure::Schema(list)) => {
            for d in &list {
                assert!(d.file.starts_with("schema/") && d.line >= 1 && d.column >= 1, "{case}: unlocated: {d}");
            }
            list.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
        }
    }
}

macro_rules! cases {
    ($($case:ident),* $(,)?) => {
        const CASES: &[&str] = &[$(stringify!($case)),*];
        $(
            #[test]
            fn $case() {
                insta::assert_snapshot!(diagnostics(stringify!($case)));
            }
        )*
    };
}

cases! {
    bad_file_name,
    bad_references,
    bridge,
    bridge_build,
    bridge_keys,
    broken_file_hides_names,
    constants,
    constants_misuse,
    contradictions,
    default_mismatch,
    duplicate_field,
    duplicate_type,
    duplicate_wire_key,
    duplicate_yaml_key,
    empty_file,
    field_type_grammar,
    message_attr,
    message_attr_value,
    file_twice,
    invalid_field_name,
    links_need_optional,
    misspelled_type,
    missing_keys,
    not_a_mapping,
    several_problems,
    truncated_half,
    undefined_type,
    union_variants,
    unknown_keys,
    unsigned,
    unknown_top_key,
    wrong_value_type,
    yaml_syntax,
}

#[test]
fn every_case_folder_has_a_test() {
    let mut folders: Vec<String> = std::fs::read_dir(corpus())
        .expect("codegen/tests/schema_errors exists")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    let mut listed: Vec<String> = CASES.iter().map(|c| c.to_string()).collect();
    listed.sort();
    assert_eq!(folders, listed, "every folder under codegen/tests/schema_errors needs an entry in `cases!`, and back");
}
