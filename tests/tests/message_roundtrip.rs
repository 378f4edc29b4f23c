//! Round trips of the WAMP messages, on every accepted `message` and
//! `message_decode` vector:
//!
//! - `Message::parse(&m.marshal()) == m`, and the message's own struct
//!   (`CallMessage`, ...) agrees;
//! - `decode(encode(m)) == m` in JSON, MessagePack and CBOR, into `Message`
//!   and into the struct;
//! - the serde encoding of `m` (and of its struct) is, byte for byte, the
//!   encoding of `m.marshal()` as a `Value`.
//!
//! And on every `message_decode` vector, accepted or refused: decoding the
//! bytes straight into `Message` (or the struct) gives what decoding them into
//! a `Value` and then calling `parse` gives, the same message or the same
//! error text.
//!
//! What cannot agree, by design, is listed in `wamp_tests::messages`.
//!
//! Other vector files (the held-back ones) are checked the same way with
//! `WAMP_MESSAGE_VECTORS=FILE.jsonl cargo test -p wamp-tests --test
//! message_roundtrip -- --ignored`.

use std::path::PathBuf;

use wamp_tests::messages::{decode, direct_agrees_with_value_path, round_trips};
use wamp_tests::{Format, Vector};
use wamp_types::Message;

fn vectors(name: &str) -> Vec<Vector> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("vectors").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    wamp_tests::load(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The message an accepted vector describes, and a check that it shows as
/// the vector expects.
fn accepted_message(v: &Vector) -> Result<Message, String> {
    let m = match v.op.as_str() {
        "message" => Message::parse(&wamp_tests::from_json(&v.input)?).map_err(|e| format!("an accepted vector is refused: {e}"))?,
        "message_decode" => {
            let format = Format::from_name(v.format.as_deref().unwrap_or_default()).ok_or("format")?;
            decode(format, &wamp_tests::decode_hex(v.input.as_str().ok_or("hex")?)?)
                .map_err(|e| format!("an accepted vector is refused: {e}"))?
        }
        op => return Err(format!("unexpected op {op}")),
    };
    if Some(&m.marshal()) != v.expect.as_ref() {
        return Err("the message does not show as the vector expects".to_owned());
    }
    Ok(m)
}

fn check_accepted(file: &str, expected: usize) {
    let accepted: Vec<_> = vectors(file).into_iter().filter(|v| v.expect.is_some()).collect();
    assert_eq!(accepted.len(), expected, "accepted vectors in {file}");
    let mut failures = Vec::new();
    let mut codes = std::collections::BTreeSet::new();
    for v in &accepted {
        match accepted_message(v).and_then(|m| {
            codes.insert(m.code());
            round_trips(&m)
        }) {
            Ok(()) => {}
            Err(e) => failures.push(format!("{} {}: {e}", v.id, v.type_name)),
        }
    }
    assert!(failures.is_empty(), "{} of {} failed:\n{}", failures.len(), accepted.len(), failures.join("\n"));
    assert_eq!(codes.len(), 25, "every message is among the accepted vectors");
}

#[test]
fn accepted_message_vectors_round_trip() {
    check_accepted("autobahn-26.10.2-messages.jsonl", 2215);
}

#[test]
fn accepted_message_decode_vectors_round_trip() {
    check_accepted("autobahn-26.10.2-messages-decode.jsonl", 1611);
}

/// Decoding a `message_decode` vector's bytes straight into `Message` (and
/// the struct it names) against decoding a `Value` then `parse`.
fn vector_agrees(v: &Vector) -> Result<(), String> {
    let format = Format::from_name(v.format.as_deref().unwrap_or_default()).ok_or("format")?;
    let bytes = wamp_tests::decode_hex(v.input.as_str().ok_or("hex")?)?;
    direct_agrees_with_value_path(format, &bytes, Some(v.type_name.as_str()).filter(|n| *n != "Message"))
}

#[test]
fn decoding_straight_into_a_message_agrees_with_decoding_a_value_then_parse() {
    let all = vectors("autobahn-26.10.2-messages-decode.jsonl");
    assert_eq!(all.len(), 3088);
    let failures: Vec<String> = all.iter().filter_map(|v| vector_agrees(v).err().map(|e| format!("{} {}: {e}", v.id, v.input))).collect();
    assert!(failures.is_empty(), "{} of {} disagree:\n{}", failures.len(), all.len(), failures.join("\n"));
}

/// The same checks on the messages autobahn-python's own tests build
/// (`tests/record/autobahn_suite.py`).
#[test]
fn the_same_on_the_messages_autobahns_tests_build() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("vectors/autobahn-26.10.2-suite.jsonl");
    let (lines, trips, compared) = check_file(&path.to_string_lossy());
    assert_eq!((lines, trips, compared), (2468, 2468, 1851));
}

/// The same checks on any vector file of `message` or `message_decode`
/// lines (the held-back sets): `WAMP_MESSAGE_VECTORS=FILE.jsonl cargo test
/// -p wamp-tests --test message_roundtrip -- --ignored --nocapture`.
#[test]
#[ignore = "needs WAMP_MESSAGE_VECTORS"]
fn the_same_on_a_given_vector_file() {
    let path = std::env::var("WAMP_MESSAGE_VECTORS").expect("WAMP_MESSAGE_VECTORS names a vector file");
    check_file(&path);
}

/// Runs the checks on every line of the file at `path`: the number of
/// lines, of accepted messages round-tripped and of decodes compared.
fn check_file(path: &str) -> (usize, usize, usize) {
    let all = wamp_tests::load(&std::fs::read_to_string(path).expect("readable")).expect("vectors");
    let (mut failures, mut trips, mut compared) = (Vec::new(), 0, 0);
    for v in &all {
        if v.op == "message_decode" {
            compared += 1;
            if let Err(e) = vector_agrees(v) {
                failures.push(format!("{} {}: {e}", v.id, v.input));
            }
        }
        if v.expect.is_some() {
            match accepted_message(v).and_then(|m| round_trips(&m)) {
                Ok(()) => trips += 1,
                Err(e) => failures.push(format!("{}: {e}", v.id)),
            }
        }
    }
    println!("{path}: {} vectors, {trips} round trips, {compared} decodes compared with the Value path", all.len());
    assert!(failures.is_empty(), "{} of {} failed:\n{}", failures.len(), all.len(), failures.join("\n"));
    (all.len(), trips, compared)
}
