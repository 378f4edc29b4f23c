//! Every refusal names the type and the field path. A sample of messages is
//! pinned exactly, for `parse` from a `Value` and for decoding from JSON,
//! MessagePack and CBOR (where the format may add its own position text).

use wamp_tests::Format;
use wamp_types::{TypeVisitor, WampType, visit_type};

/// (type, input as JSON, the message of `parse`, the message of decoding
/// when it differs).
const CASES: &[(&str, &str, &str, Option<&str>)] = &[
    (
        "PublishOptions",
        r#"{"forward_for": [{"session": 1, "authid": "a", "authrole": "r"}, {"session": 2, "authid": "b", "authrole": null}]}"#,
        "PublishOptions.forward_for[1].authrole: expected string, got null",
        None,
    ),
    (
        "SessionDetails",
        r#"{"realm": "r", "session": "7069739155960584"}"#,
        r#"SessionDetails.session: expected integer, got string "7069739155960584""#,
        None,
    ),
    ("CallOptions", r#"{"timeout": 0}"#, "CallOptions.timeout: expected a number greater than 0, got integer 0", None),
    ("RegisterOptions", r#"{"concurrency": -1}"#, "RegisterOptions.concurrency: expected a number greater than 0, got integer -1", None),
    (
        "SubscribeOptions",
        r#"{"match": "regex"}"#,
        r#"SubscribeOptions.match: expected one of "exact", "prefix", "wildcard", got string "regex""#,
        None,
    ),
    (
        "SubscribeOptions",
        r#"{"details": true, "details_arg": "x"}"#,
        r#"SubscribeOptions.details_arg: expected null while details is set, got string "x""#,
        None,
    ),
    (
        "TransportDetails",
        r#"{"channel_id": {"tls-unique": "00ff"}}"#,
        r#"TransportDetails.channel_id["tls-unique"]: expected string of 64 hex digits, got string "00ff""#,
        None,
    ),
    (
        "TransportDetails",
        r#"{"channel_id": {"tls-exporter": "00"}}"#,
        r#"TransportDetails.channel_id["tls-exporter"]: expected a key one of "tls-unique", got an unknown key"#,
        None,
    ),
    (
        "TransportDetails",
        r#"{"websocket_extensions_in_use": ["permessage-deflate", 1]}"#,
        "TransportDetails.websocket_extensions_in_use[1]: expected string, got integer 1",
        None,
    ),
    ("Deny", r#"{"reason": "wamp.error.x", "foo": 1}"#, r#"Deny["foo"]: expected one of the keys reason, message, got an unknown key"#, None),
    ("EventDetails", r#"{"publication": 1}"#, "EventDetails.subscription: expected map, got nothing (the key is required)", None),
    (
        "EventDetails",
        r#"{"subscription": {"id": 1.5, "topic": "t"}, "publication": 1}"#,
        "EventDetails.subscription.id: expected integer, got float 1.5",
        None,
    ),
    ("PublishOptions", r#"{"exclude": [1, "two"]}"#, r#"PublishOptions.exclude[1]: expected integer, got string "two""#, None),
    ("PublishOptions", r#"{"exclude": true}"#, "PublishOptions.exclude: expected integer or list of integer, got boolean true", None),
    ("EncodedPayload", r#"{"payload": 1, "enc_algo": "cryptobox"}"#, "EncodedPayload.payload: expected bytes, got integer 1", None),
    ("Accept", "[]", "Accept: expected map, got list (length 0)", Some("Accept: expected map, got list")),
    ("HelloReturn", r#"{"deny": {"reason": 1}}"#, "HelloReturn.deny.reason: expected string, got integer 1", None),
];

struct Messages<'a>(&'a str);

impl TypeVisitor for Messages<'_> {
    /// The message of `parse`, then of decoding in each format.
    type Output = (String, Vec<(Format, String)>);
    fn visit<T: WampType>(self) -> Self::Output {
        let value = wamp_tests::from_json(&serde_json::from_str(self.0).unwrap()).unwrap();
        let parsed = T::parse(&value).map_or_else(|e| e.to_string(), |x| format!("accepted: {x:?}"));
        let decoded = Format::ALL.iter().map(|&format| {
            let bytes = format.encode(&value).unwrap();
            let got = match format {
                Format::Cbor => ciborium::from_reader::<T, _>(&bytes[..]).map_err(|e| match e {
                    ciborium::de::Error::Semantic(_, m) => m,
                    other => format!("{other:?}"),
                }),
                _ => format.decode::<T>(&bytes),
            };
            (format, got.map_or_else(|e| e, |x| format!("accepted: {x:?}")))
        });
        (parsed, decoded.collect())
    }
}

#[test]
fn refusals_name_the_type_and_the_field_path() {
    let mut wrong = Vec::new();
    for &(name, input, want, want_decoded) in CASES {
        let (parsed, decoded) = visit_type(name, Messages(input)).unwrap();
        if parsed != want {
            wrong.push(format!("{name} parse {input}\n  want {want}\n  got  {parsed}"));
        }
        let want = want_decoded.unwrap_or(want);
        for (format, got) in decoded {
            // serde_json adds where it stopped, e.g. " at line 1 column 80"
            // (not for a union, which is refused after the whole value was read).
            let fits = match format {
                Format::Json => got.strip_prefix(want).is_some_and(|rest| rest.is_empty() || rest.starts_with(" at line 1 column ")),
                _ => got == want,
            };
            if !fits {
                wrong.push(format!("{name} {} {input}\n  want {want}\n  got  {got}", format.name()));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_type_names_itself_when_refusing_a_non_map() {
    struct NotAMap;
    impl TypeVisitor for NotAMap {
        type Output = (&'static str, String);
        fn visit<T: WampType>(self) -> Self::Output {
            (T::NAME, T::parse(&wamp_types::Value::Int(3)).unwrap_err().to_string())
        }
    }
    for name in wamp_types::TYPE_NAMES {
        let (type_name, msg) = visit_type(name, NotAMap).unwrap();
        assert_eq!(type_name, *name);
        assert!(msg.starts_with(&format!("{name}: expected ")) && msg.ends_with(", got integer 3"), "{msg}");
    }
}

/// The rules between positions that autobahn's constructors assert (the
/// schema's `checks`), in `parse` and in decoding.
#[test]
fn message_checks_name_the_position() {
    use wamp_types::Message;
    let cases = [
        (r#"[35, 5, {"subscription": 7}]"#, "UNSUBSCRIBED.request: expected 0 while details.subscription is set, got integer 5"),
        (r#"[35, 0, {"subscription": 0}]"#, "UNSUBSCRIBED.details.subscription: expected a value other than 0, got integer 0"),
        (r#"[67, 5, {"registration": 7}]"#, "UNREGISTERED.request: expected 0 while details.registration is set, got integer 5"),
    ];
    for (input, want) in cases {
        let json: serde_json::Value = serde_json::from_str(input).unwrap();
        let value = wamp_tests::from_json(&json).unwrap();
        assert_eq!(Message::parse(&value).unwrap_err().to_string(), want, "{input}");
        let decoded = serde_json::from_str::<Message>(input).unwrap_err().to_string();
        assert!(decoded.starts_with(want), "{input}: {decoded}");
    }
}
