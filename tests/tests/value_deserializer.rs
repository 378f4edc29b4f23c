//! `&Value` is a serde `Deserializer`: every vector of the types' and the
//! messages' files, read with `T::deserialize(&value)`, gives what
//! `T::parse(&value)` gives, the same value or the same error text (a list
//! or map where none belongs is told with its length, `got list (length
//! 2)`, as a `Value` knows it), and passes the vector.

use std::path::PathBuf;

use serde::Deserialize;
use wamp_tests::{Outcome, Vector, dict_form, from_json, read_with_callbacks, to_json};
use wamp_types::{Message, TypeVisitor, Value, WampType, visit_type};

fn vectors(name: &str) -> Vec<Vector> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("vectors").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    wamp_tests::load(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Whether `got` is what the vector expects (for the ops whose expectation
/// is the dict form or the message itself).
fn passes(v: &Vector, got: &Outcome) -> bool {
    match (got, &v.expect) {
        (Outcome::Output(a), Some(b)) => a == b,
        (Outcome::Refused(_), None) => true,
        _ => false,
    }
}

/// Whether `parse` and `deserialize` agree: the same value, or refusals
/// with the same text.
fn agree(parsed: &Outcome, deserialized: &Outcome) -> bool {
    parsed == deserialized
}

/// Both ways of reading a type's input dict: `parse` and `deserialize`.
struct BothWays<'a>(&'a Value);

impl TypeVisitor for BothWays<'_> {
    type Output = (Outcome, Outcome);
    fn visit<T: WampType>(self) -> Self::Output {
        let outcome = |r: Result<T, wamp_types::Error>| match r {
            Ok(t) => Outcome::Output(dict_form(t)),
            Err(e) => Outcome::Refused(e.to_string()),
        };
        let read = |how: fn(&Value) -> Result<T, wamp_types::Error>| outcome(read_with_callbacks(self.0.clone(), how));
        (read(T::parse), read(|v| T::deserialize(v)))
    }
}

#[test]
fn types_deserialize_from_a_value_as_they_parse() {
    let all = vectors("autobahn-26.10.2.jsonl");
    let mut failures = Vec::new();
    let (mut parse_lines, mut refused) = (0, 0);
    for v in &all {
        let input = from_json(&v.input).expect("a vector's input");
        let (parsed, deserialized) =
            visit_type(&v.type_name, BothWays(&input)).unwrap_or_else(|| panic!("{}: unknown type {}", v.id, v.type_name));
        if !agree(&parsed, &deserialized) {
            failures.push(format!("{} {}: parse {parsed}, deserialize {deserialized}", v.id, v.type_name));
        } else if v.op == "parse" {
            parse_lines += 1;
            refused += usize::from(matches!(deserialized, Outcome::Refused(_)));
            if !passes(v, &deserialized) {
                failures.push(format!("{} {}: deserialize {deserialized}, expected {:?}", v.id, v.type_name, v.expect.as_ref().map(to_json)));
            }
        }
    }
    assert!(failures.is_empty(), "{} of {} lines:\n{}", failures.len(), all.len(), failures.join("\n"));
    // Both kinds of line are replayed, not only one.
    assert!(parse_lines > 1000 && refused > 300 && parse_lines - refused > 300, "{parse_lines} parse lines, {refused} refused");
}

#[test]
fn messages_deserialize_from_a_value_as_they_parse() {
    let all = vectors("autobahn-26.10.2-messages.jsonl");
    assert_eq!(all.len(), 4047);
    let mut failures = Vec::new();
    let mut refused = 0;
    for v in &all {
        assert_eq!(v.op, "message", "{}", v.id);
        let input = from_json(&v.input).expect("a vector's input");
        let outcome =
            |r: Result<Message, wamp_types::Error>| r.map_or_else(|e| Outcome::Refused(e.to_string()), |m| Outcome::Output(m.marshal()));
        let parsed = outcome(Message::parse(&input));
        let deserialized = outcome(Message::deserialize(&input));
        refused += usize::from(matches!(deserialized, Outcome::Refused(_)));
        if !agree(&parsed, &deserialized) {
            failures.push(format!("{} {}: parse {parsed}, deserialize {deserialized}", v.id, v.type_name));
        } else if !passes(v, &deserialized) {
            failures.push(format!("{} {}: deserialize {deserialized}, expected {:?}", v.id, v.type_name, v.expect.as_ref().map(to_json)));
        }
    }
    assert!(failures.is_empty(), "{} of {} lines:\n{}", failures.len(), all.len(), failures.join("\n"));
    assert!(refused > 500 && all.len() - refused > 500, "{refused} of {} refused", all.len());
}

#[test]
fn a_value_reads_back_as_itself_and_errors_keep_their_structure() {
    let bytes = Value::Bytes(vec![0, 1, 255]);
    let v: Value = [
        ("big", Value::Int(Value::INT_MAX)),
        ("low", Value::Int(Value::INT_MIN)),
        ("raw", bytes),
        ("nul", Value::from("\0AQI=")),
        ("list", Value::List(vec![Value::Null, Value::from(1.5), Value::from(true)])),
    ]
    .into_iter()
    .collect();
    assert_eq!(Value::deserialize(&v).unwrap(), v);
    assert_eq!(wamp_types::Map::deserialize(&v).unwrap(), v.as_map().unwrap().clone());

    let details: Value = [("session", Value::from("42"))].into_iter().collect();
    let err = wamp_types::SessionDetails::deserialize(&details).unwrap_err();
    assert_eq!((err.type_name(), err.path(), err.expected(), err.got()), ("SessionDetails", "session", "integer", r#"string "42""#));
    assert_eq!(err, wamp_types::SessionDetails::parse(&details).unwrap_err());

    // A list or map where none belongs is told with its length, at any depth.
    let options: Value = [("timeout", Value::List(vec![1.into(), 2.into()]))].into_iter().collect();
    let err = wamp_types::CallOptions::deserialize(&options).unwrap_err();
    assert_eq!(err.to_string(), "CallOptions.timeout: expected integer or float, got list (length 2)");
    assert_eq!(err, wamp_types::CallOptions::parse(&options).unwrap_err());
    let call = Value::List(vec![48.into(), 1.into(), Value::List(vec![]), "p".into()]);
    let err = Message::deserialize(&call).unwrap_err();
    assert_eq!(err.to_string(), "CALL.options: expected map, got list (length 0)");
    assert_eq!(err, Message::parse(&call).unwrap_err());
    let forward: Value = [("forward_for", Value::List(vec![Value::Map(Default::default())]))].into_iter().collect();
    let err = wamp_types::PublishOptions::deserialize(&[("exclude", forward)].into_iter().collect::<Value>()).unwrap_err();
    assert_eq!(err.to_string(), "PublishOptions.exclude: expected integer or list of integer, got map (length 1)");

    // An integer beyond 64 bits, which only a value built in code holds, is
    // told as any other value that does not fit.
    let huge = Value::Int(1 << 70);
    let err = Message::parse(&huge).unwrap_err().to_string();
    assert!(err.starts_with("Message: expected a WAMP message") && err.ends_with("got integer 1180591620717411303424"), "{err}");
    let call = Value::List(vec![48.into(), 1.into(), huge.clone(), "p".into()]);
    assert_eq!(Message::parse(&call).unwrap_err().to_string(), "CALL.options: expected map, got integer 1180591620717411303424");
    let code = Value::List(vec![huge, 1.into()]);
    assert!(Message::parse(&code).unwrap_err().to_string().ends_with("got integer 1180591620717411303424"));
}

#[test]
fn plain_serde_types_read_from_a_value() {
    #[derive(Deserialize, Debug, PartialEq)]
    enum Kind {
        Plain,
        Sized(u32),
    }
    #[derive(Deserialize, Debug, PartialEq)]
    struct Plain {
        n: u64,
        i: i128,
        name: Option<String>,
        kinds: Vec<Kind>,
        raw: serde_bytes_like::Raw,
    }
    mod serde_bytes_like {
        /// Bytes read with `deserialize_byte_buf`.
        #[derive(Debug, PartialEq)]
        pub struct Raw(pub Vec<u8>);
        impl<'de> serde::Deserialize<'de> for Raw {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl serde::de::Visitor<'_> for V {
                    type Value = Raw;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("bytes")
                    }
                    fn visit_bytes<E: serde::de::Error>(self, b: &[u8]) -> Result<Raw, E> {
                        Ok(Raw(b.to_vec()))
                    }
                }
                d.deserialize_byte_buf(V)
            }
        }
    }
    let sized: Value = [("Sized", Value::from(7u8))].into_iter().collect();
    let v: Value = [
        ("n", Value::Int(Value::INT_MAX)),
        ("i", Value::Int(-1)),
        ("name", Value::Null),
        ("kinds", Value::List(vec![Value::from("Plain"), sized])),
        ("raw", Value::Bytes(vec![1, 2])),
    ]
    .into_iter()
    .collect();
    let want = Plain { n: u64::MAX, i: -1, name: None, kinds: vec![Kind::Plain, Kind::Sized(7)], raw: serde_bytes_like::Raw(vec![1, 2]) };
    assert_eq!(Plain::deserialize(&v).unwrap(), want);
    // serde's own refusals come back as errors of type `value`.
    let err = Plain::deserialize(&Value::from(3)).unwrap_err();
    assert_eq!(err.type_name(), "value");
    assert!(err.got().contains("integer `3`"), "{err}");
}
