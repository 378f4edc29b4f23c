//! Every accepted vector of both public files round-trips through JSON,
//! MessagePack and CBOR: encode, decode, equal. Each value also satisfies
//! `parse(marshal(x)) == x`.

use std::path::PathBuf;

use wamp_tests::{Format, Outcome, Vector};
use wamp_types::{TypeVisitor, WampType, visit_type};

fn accepted(name: &str) -> Vec<Vector> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("vectors").join(name);
    let text = std::fs::read_to_string(&path).expect("vector file");
    wamp_tests::load(&text).expect("vectors").into_iter().filter(|v| v.expect.is_some()).collect()
}

/// Builds the value a vector describes and checks its round trips.
struct RoundTrip<'a>(&'a Vector);

impl TypeVisitor for RoundTrip<'_> {
    type Output = Result<usize, String>;
    fn visit<T: WampType>(self) -> Self::Output {
        let v = self.0;
        let x: T = match v.op.as_str() {
            "decode" => {
                let format = Format::from_name(v.format.as_deref().unwrap_or_default()).ok_or("format")?;
                format.decode(&wamp_tests::decode_hex(v.input.as_str().ok_or("hex")?)?)?
            }
            _ => wamp_tests::from_dict(&v.input)?,
        };
        // Callbacks are set in code, not carried as data: compare without them.
        let mut plain = x.clone();
        for name in T::CALLBACKS {
            if let Some(slot) = plain.callback_mut(name) {
                *slot = None;
            }
        }
        let reparsed = T::parse(&plain.marshal()).map_err(|e| format!("parse(marshal(x)) failed: {e}"))?;
        if reparsed != plain {
            return Err(format!("parse(marshal(x)) differs: {reparsed:?} vs {plain:?}"));
        }
        for format in Format::ALL {
            let bytes = format.encode(&plain)?;
            let back: T = format.decode(&bytes).map_err(|e| format!("{}: decode(encode(x)) failed: {e}", format.name()))?;
            if back != plain {
                return Err(format!("{}: decode(encode(x)) differs: {back:?} vs {plain:?}", format.name()));
            }
        }
        Ok(Format::ALL.len())
    }
}

fn check(name: &str) {
    let vectors = accepted(name);
    assert!(!vectors.is_empty());
    let mut failures = Vec::new();
    let mut trips = 0;
    for v in &vectors {
        match visit_type(&v.type_name, RoundTrip(v)).unwrap_or_else(|| Err("unknown type".to_owned())) {
            Ok(n) => trips += n,
            Err(e) => failures.push(format!("{} {}: {e}", v.id, v.type_name)),
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    assert_eq!(trips, vectors.len() * 3);
}

#[test]
fn accepted_parse_vectors_round_trip_in_every_format() {
    check("autobahn-26.10.2.jsonl");
}

#[test]
fn accepted_decode_vectors_round_trip_in_every_format() {
    check("autobahn-26.10.2-decode.jsonl");
}

#[test]
fn encoding_writes_the_marshal_form() {
    // The serde form is marshal()'s dict in every format.
    let v = &accepted("autobahn-26.10.2.jsonl")[0];
    let out = wamp_tests::run(v).expect("runs");
    let Outcome::Output(dict) = out else { panic!("accepted vector refused") };
    let json = serde_json::to_value(&dict).expect("encodes");
    let expected = wamp_tests::to_json(v.expect.as_ref().expect("accepted"));
    assert_eq!(json, expected);
}
