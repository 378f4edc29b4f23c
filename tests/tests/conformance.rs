//! Replays the vectors recorded from autobahn-python 26.10.2 (copied into
//! `tests/vectors`) against the generated types.

use std::path::PathBuf;

fn vectors(name: &str) -> Vec<wamp_tests::Vector> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("vectors").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    wamp_tests::load(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn replay_all(name: &str, expected_lines: usize) {
    let v = vectors(name);
    assert_eq!(v.len(), expected_lines, "{name} should hold {expected_lines} vectors");
    let report = wamp_tests::replay(&v);
    assert!(
        report.failures.is_empty(),
        "{} of {} vectors failed:\n{}",
        report.failures.len(),
        v.len(),
        report.failures.join("\n")
    );
    assert_eq!(report.passed, expected_lines);
}

#[test]
fn parse_and_message_attr_vectors() {
    replay_all("autobahn-26.10.2.jsonl", 3000);
}

#[test]
fn decode_vectors() {
    replay_all("autobahn-26.10.2-decode.jsonl", 2100);
}

/// The session bridge, both directions. A negative request ID, which
/// autobahn's message constructors take, does not fit the `request`
/// parameter of `from_options` while message IDs are `u64`; those lines
/// (and only those) cannot run until IDs are widened.
#[test]
fn session_vectors() {
    let v = vectors("autobahn-26.10.2-session.jsonl");
    assert_eq!(v.len(), 1500, "the session file should hold 1500 vectors");
    let report = wamp_tests::replay(&v);
    let unrepresentable = |f: &&String| f.contains("does not fit the `request` parameter");
    let other: Vec<&String> = report.failures.iter().filter(|f| !unrepresentable(f)).collect();
    assert!(other.is_empty(), "{} of {} session vectors failed:\n{}", other.len(), v.len(), other.iter().map(|f| f.as_str()).collect::<Vec<_>>().join("\n"));
    let negative = v.iter().filter(|x| x.message.as_ref().and_then(|m| m["request"].as_i64()).is_some_and(|r| r < 0)).count();
    assert!(report.failures.len() <= negative, "{} failures, but only {negative} lines have a negative request ID", report.failures.len());
    assert_eq!(report.passed + report.failures.len(), 1500);
}

#[test]
fn every_type_and_op_is_covered() {
    let mut seen = std::collections::BTreeSet::new();
    for name in ["autobahn-26.10.2.jsonl", "autobahn-26.10.2-decode.jsonl"] {
        for v in vectors(name) {
            seen.insert(v.type_name.clone());
        }
    }
    let untested: Vec<_> = wamp_types::TYPE_NAMES.iter().filter(|t| !seen.contains(**t)).collect();
    // HelloReturn holds no data of its own: autobahn records no vectors for it.
    assert_eq!(untested, [&"HelloReturn"]);
}

#[test]
fn unknown_type_op_or_format_counts_as_failed() {
    let lines = [
        r#"{"id": "x1", "type": "NoSuchType", "op": "parse", "input": {}, "expect": {"ok": false}}"#,
        r#"{"id": "x2", "type": "SessionIdent", "op": "frobnicate", "input": {}, "expect": {"ok": false}}"#,
        r#"{"id": "x3", "type": "SessionIdent", "op": "decode", "format": "yaml", "input": "00", "expect": {"ok": false}}"#,
        r#"{"id": "x4", "type": "SessionIdent", "op": "message_attr", "input": {"authrole": "a"}, "expect": {"ok": false}}"#,
        r#"{"id": "x5", "type": "SessionIdent", "op": "outgoing", "input": {}, "message": {"request": 1, "uri": "a"}, "expect": {"ok": false}}"#,
        r#"{"id": "x6", "type": "CallOptions", "op": "incoming", "input": [50, 1, {}], "expect": {"ok": false}}"#,
        r#"{"id": "x7", "type": "CallOptions", "op": "outgoing", "input": {}, "expect": {"ok": false}}"#,
        r#"{"id": "x8", "type": "EventDetails", "op": "incoming", "input": [36, 1, 2, {}], "expect": {"ok": false}}"#,
    ];
    let v = wamp_tests::load(&lines.join("\n")).expect("well-formed lines");
    let report = wamp_tests::replay(&v);
    assert_eq!(report.passed, 0);
    assert_eq!(report.failures.len(), 8, "{:?}", report.failures);
}
