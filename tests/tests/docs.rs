//! The docs say what the code does: each record's docs carry the sentence
//! on unknown keys that its schema setting gives, and the READMEs list the
//! types that ignore or keep unknown keys as the shapes say.

use std::path::PathBuf;

use wamp_types::runtime::UnknownKeys;
use wamp_types::runtime::shape::HasShape;
use wamp_types::{TYPE_NAMES, TypeVisitor, WampType, visit_type};

fn read(path: &str) -> String {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The doc lines just above `pub struct NAME {` in the generated sources.
fn struct_docs(name: &str) -> String {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../generated/src/gen");
    let mut files: Vec<_> = std::fs::read_dir(&dir).expect("generated/src/gen").map(|e| e.expect("an entry").file_name()).collect();
    files.sort();
    let sources: String = files.iter().map(|f| read(&format!("generated/src/gen/{}", f.to_string_lossy()))).collect();
    let at = sources.find(&format!("pub struct {name} {{")).unwrap_or_else(|| panic!("no struct {name}"));
    let docs: Vec<&str> = sources[..at].lines().rev().skip(1).take_while(|l| l.starts_with("///")).collect();
    docs.into_iter().rev().collect::<Vec<_>>().join("\n")
}

fn sentence(unknown: UnknownKeys) -> &'static str {
    match unknown {
        UnknownKeys::Refuse => "Unknown keys are refused:",
        UnknownKeys::Ignore => "Unknown keys are ignored:",
        UnknownKeys::Keep => "Unknown keys are kept:",
        UnknownKeys::Custom => "Unknown keys that are custom names",
    }
}

struct Policy;

impl TypeVisitor for Policy {
    type Output = (&'static str, UnknownKeys, bool);
    fn visit<T: WampType + HasShape>(self) -> Self::Output {
        (T::NAME, T::shape().unknown, T::shape().one_key)
    }
}

fn policies() -> Vec<(&'static str, UnknownKeys)> {
    let mut out: Vec<_> =
        TYPE_NAMES.iter().filter_map(|n| visit_type(n, Policy)).filter(|(_, _, union)| !union).map(|(n, u, _)| (n, u)).collect();
    out.push(("ForwardFor", wamp_types::ForwardFor::shape().unknown));
    out.push(("PublisherForwardFor", wamp_types::PublisherForwardFor::shape().unknown));
    out
}

#[test]
fn every_record_says_what_it_does_with_unknown_keys() {
    for (name, unknown) in policies() {
        let docs = struct_docs(name);
        assert!(docs.contains(sentence(unknown)), "{name}: {docs}");
    }
}

#[test]
fn the_readmes_list_the_types_that_ignore_or_keep_unknown_keys() {
    let crate_docs = read("generated/README.md");
    let readme = read("README.md");
    let ignored: Vec<_> = policies().into_iter().filter(|(_, u)| *u == UnknownKeys::Ignore).map(|(n, _)| n).collect();
    let kept: Vec<_> = policies().into_iter().filter(|(_, u)| *u == UnknownKeys::Keep).map(|(n, _)| n).collect();
    assert_eq!(kept, ["ForwardFor", "PublisherForwardFor"]);
    let section = |text: &str, start: &str, end: &str| -> String {
        let from = text.find(start).unwrap_or_else(|| panic!("no {start:?}"));
        let to = text[from..].find(end).map_or(text.len(), |i| from + i);
        text[from..to].to_owned()
    };
    let listed_ignored = section(&crate_docs, "- **Ignored**", "- **Kept**");
    let listed_kept = section(&crate_docs, "- **Kept**", "- **Refused**");
    let readme_ignored = section(&readme, "What a type does with a key", "the `forward_for` entries keep");
    for name in &ignored {
        assert!(listed_ignored.contains(&format!("[`{name}`]")), "crate docs do not list {name} as ignoring unknown keys");
        assert!(readme_ignored.contains(&format!("`{name}`")), "README does not list {name} as ignoring unknown keys");
    }
    for (name, unknown) in policies() {
        if unknown != UnknownKeys::Ignore {
            assert!(!listed_ignored.contains(&format!("[`{name}`]")), "crate docs list {name} as ignoring unknown keys");
            assert!(!readme_ignored.contains(&format!("`{name}`")), "README lists {name} as ignoring unknown keys");
        }
        if unknown != UnknownKeys::Keep {
            assert!(!listed_kept.contains(&format!("[`{name}`]")), "crate docs list {name} as keeping unknown keys");
        }
    }
    for name in &kept {
        assert!(listed_kept.contains(&format!("[`{name}`]")), "crate docs do not list {name} as keeping unknown keys");
    }
}

#[test]
fn call_options_timeout_is_documented_in_milliseconds_as_it_goes_on_the_wire() {
    let docs = read("generated/src/gen/rpc.rs");
    let field = docs.find("pub timeout: Option<rt::Number>").expect("the field");
    let doc_line = docs[..field].lines().rev().nth(1).expect("its docs");
    assert!(doc_line.contains("milliseconds") && doc_line.contains("only an integer"), "{doc_line}");
    // What the docs say: the number goes into the CALL options unchanged.
    let opts = wamp_types::CallOptions { timeout: Some(wamp_types::Number::Int(2500)), ..Default::default() };
    assert_eq!(opts.message_attr().to_string(), r#"{"timeout":2500}"#);
}
