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
    assert!(report.failures.is_empty(), "{} of {} vectors failed:\n{}", report.failures.len(), v.len(), report.failures.join("\n"));
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

/// The session bridge, both directions.
#[test]
fn session_vectors() {
    replay_all("autobahn-26.10.2-session.jsonl", 1500);
}

/// The rest of the bridge, client and router side.
#[test]
fn session_more_vectors() {
    replay_all("autobahn-26.10.2-session-more.jsonl", 1500);
}

/// The router workload: each CALL forwarded as an INVOCATION and each
/// PUBLISH as an EVENT, with kept arguments and decoded ones, the output
/// read back and checked.
#[test]
fn router_workload_forwards() {
    replay_all("router-workload.jsonl", 600);
}

/// The messages autobahn-python's own tests build, as values and as the
/// bytes of each format (recorded by `tests/record/autobahn_suite.py`).
#[test]
fn messages_autobahns_tests_build() {
    let v = vectors("autobahn-26.10.2-suite.jsonl");
    assert_eq!(v.len(), 2468);
    let report = wamp_tests::replay(&v);
    assert!(report.failures.is_empty(), "{} of {} vectors failed:\n{}", report.failures.len(), v.len(), report.failures.join("\n"));
    assert!(report.passed >= v.len(), "{} passed of {} lines", report.passed, v.len());
}

#[test]
fn every_type_and_op_is_covered() {
    let mut seen = std::collections::BTreeSet::new();
    for name in ["autobahn-26.10.2.jsonl", "autobahn-26.10.2-decode.jsonl", "autobahn-26.10.2-session-more.jsonl"] {
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
        r#"{"id": "x9", "type": "Deny", "op": "incoming", "input": [3, {}, "wamp.error.x"], "expect": {"ok": false}}"#,
        r#"{"id": "x10", "type": "Publication", "op": "outgoing", "input": {}, "message": {"request": 1}, "expect": {"ok": false}}"#,
        r#"{"id": "x11", "type": "CloseDetails", "op": "incoming", "input": [8, 48, 1, {}, "wamp.error.x"], "expect": {"ok": false}}"#,
        r#"{"id": "x12", "type": "Subscription", "op": "incoming", "input": [33, 1, 2], "expect": {"ok": false}}"#,
    ];
    let v = wamp_tests::load(&lines.join("\n")).expect("well-formed lines");
    let report = wamp_tests::replay(&v);
    assert_eq!(report.passed, 0);
    assert_eq!(report.failures.len(), 12, "{:?}", report.failures);
}

/// Every decode vector passes with every candidate crate of its format,
/// not only with the recommended one.
#[test]
fn decode_vectors_pass_with_every_crate() {
    for name in ["autobahn-26.10.2-decode.jsonl", "autobahn-26.10.2-messages-decode.jsonl"] {
        let v = vectors(name);
        for &with in wamp_tests::Crate::ALL {
            let lines: Vec<_> = v.iter().filter(|x| x.format.as_deref() == Some(with.format().name())).cloned().collect();
            assert!(lines.len() > 500, "{name}: only {} {} lines", lines.len(), with.format().name());
            let report = wamp_tests::replay_using(&lines, &[with]);
            assert!(report.failures.is_empty(), "{name} with {}:\n{}", with.name(), report.failures.join("\n"));
        }
    }
}
