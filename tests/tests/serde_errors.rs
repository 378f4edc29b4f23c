//! Our structured error back from a serde format: `Error::from_serde` on
//! the error of serde_json, rmp-serde, cbor4ii and ciborium gives the type,
//! path, expected and got of the refusal (each format wraps our text its own
//! way: as it is, `Custom("...")`, `Semantic(None, "...")`); errors of the
//! format itself come back with the format's text.

use wamp_tests::{Crate, Format};
use wamp_types::{Error, HelloReturn, Map, SessionDetails, Value};

/// Decodes with the crate recommended for `format`.
fn decode<T: serde::de::DeserializeOwned>(format: Format, bytes: &[u8]) -> Result<T, Error> {
    decode_with(format.recommended(), bytes)
}

/// Decodes with `with`, mapping its error with `Error::from_serde`.
fn decode_with<T: serde::de::DeserializeOwned>(with: Crate, bytes: &[u8]) -> Result<T, Error> {
    match with {
        Crate::SerdeJson => serde_json::from_slice(bytes).map_err(Error::from_serde),
        Crate::RmpSerde => rmp_serde::from_slice(bytes).map_err(Error::from_serde),
        Crate::Cbor4ii => cbor4ii::serde::from_slice(bytes).map_err(Error::from_serde),
        Crate::Ciborium => ciborium::from_reader(bytes).map_err(Error::from_serde),
        #[allow(unreachable_patterns, reason = "the other JSON crates exist with the feature `json-candidates`")]
        other => panic!("{} is not tested here", other.name()),
    }
}

/// The crates of the three formats: the recommended ones, and ciborium.
const CRATES: [Crate; 4] = [Crate::SerdeJson, Crate::RmpSerde, Crate::Cbor4ii, Crate::Ciborium];

fn parts(e: &Error) -> (&str, &str, &str, &str) {
    (e.type_name(), e.path(), e.expected(), e.got())
}

fn bytes_of(format: Format, json: &str) -> Vec<u8> {
    let v: Value = serde_json::from_str(json).expect("JSON");
    format.encode(&v).expect("encodes")
}

#[test]
fn a_refusal_comes_back_whole_from_every_format() {
    for with in CRATES {
        let format = with.format();
        let bytes = bytes_of(format, r#"{"realm": "r", "authextra": {"k": [1, {"x": "y"}]}, "session": "42"}"#);
        let err = decode_with::<SessionDetails>(with, &bytes).unwrap_err();
        assert_eq!(parts(&err), ("SessionDetails", "session", "integer", r#"string "42""#), "{}", with.name());
        assert_eq!(err.to_string(), r#"SessionDetails.session: expected integer, got string "42""#);

        let bytes = bytes_of(
            format,
            r#"{"forward_for": [{"session": 1, "authid": "a", "authrole": "r"}, {"session": 2, "authid": "b", "authrole": null}]}"#,
        );
        let err = decode_with::<wamp_types::PublishOptions>(with, &bytes).unwrap_err();
        assert_eq!(parts(&err), ("PublishOptions", "forward_for[1].authrole", "string", "null"), "{}", with.name());

        // Unknown keys, keys twice, presence rules, a union, a Value, a Map.
        let err = decode_with::<wamp_types::Deny>(with, &bytes_of(format, r#"{"foo": 1}"#)).unwrap_err();
        assert_eq!(parts(&err), ("Deny", "[\"foo\"]", "one of the keys reason, message", "an unknown key"));
        let err = decode_with::<wamp_types::EncodedPayload>(with, &bytes_of(format, r#"{"enc_algo": "x"}"#)).unwrap_err();
        assert_eq!(parts(&err), ("EncodedPayload", "payload", "bytes", "nothing (the key is required)"));
        let err = decode_with::<HelloReturn>(with, &bytes_of(format, r#"{"challenge": {"method": 1}}"#)).unwrap_err();
        assert_eq!(parts(&err), ("HelloReturn", "challenge.method", "string", "integer 1"));
        let err = decode_with::<Map>(with, &bytes_of(format, "[]")).unwrap_err();
        assert_eq!(parts(&err), ("Map", "", "map", "list"));
    }
}

#[test]
fn a_key_twice_and_deep_nesting_come_back_whole() {
    // {"a": 1, "a": 2} in each format, written by hand (a map cannot hold it).
    let twice: [(Format, &[u8]); 3] = [
        (Format::Json, br#"{"a": 1, "a": 2}"#),
        (Format::Msgpack, &[0x82, 0xa1, b'a', 1, 0xa1, b'a', 2]),
        (Format::Cbor, &[0xa2, 0x61, b'a', 1, 0x61, b'a', 2]),
    ];
    for (format, bytes) in twice {
        let err = decode::<Value>(format, bytes).unwrap_err();
        assert_eq!(parts(&err), ("Value", "[\"a\"]", "each key once", "the key twice"), "{}", format.name());
    }
    let deep = [&[0x91u8; 200][..], &[0xc0]].concat();
    let err = decode::<Value>(Format::Msgpack, &deep).unwrap_err();
    assert_eq!((err.type_name(), err.got()), ("Value", "deeper nesting"));
    assert_eq!(err.path(), "[0]".repeat(128));
}

#[test]
fn errors_of_the_format_itself_keep_the_format_text() {
    let err = decode::<SessionDetails>(Format::Json, b"{\"realm\": ").unwrap_err();
    assert_eq!(parts(&err), ("value", "", "well-formed input", "EOF while parsing a value at line 1 column 10"));
    let err = decode::<SessionDetails>(Format::Msgpack, &[0xc1]).unwrap_err();
    assert_eq!((err.type_name(), err.expected()), ("value", "well-formed input"));
    for with in [Crate::Cbor4ii, Crate::Ciborium] {
        let err = decode_with::<SessionDetails>(with, &[0xa1]).unwrap_err();
        assert_eq!((err.type_name(), err.expected()), ("value", "well-formed input"), "{}: {err}", with.name());
    }
}

#[test]
fn an_earlier_refusal_is_not_mistaken_for_a_later_format_error() {
    let err = decode::<SessionDetails>(Format::Json, br#"{"session": "42"}"#).unwrap_err();
    assert_eq!(err.type_name(), "SessionDetails");
    // The next decode fails in the format, not in our checks.
    let err = decode::<SessionDetails>(Format::Json, br#"{"realm" "r"}"#).unwrap_err();
    assert_eq!(parts(&err), ("value", "", "well-formed input", "expected `:` at line 1 column 10"));
    // Asking twice gives the same answer.
    let format_err = serde_json::from_slice::<SessionDetails>(br#"{"session": true}"#).unwrap_err();
    assert_eq!(Error::from_serde(&format_err), Error::from_serde(&format_err));
    assert_eq!(Error::from_serde(&format_err).got(), "boolean true");
}

#[test]
fn encoding_refusals_come_back_whole() {
    let big = Value::List(vec![Value::Int(1 << 64)]);
    let errors = [
        serde_json::to_vec(&big).map_err(Error::from_serde).unwrap_err(),
        rmp_serde::to_vec(&big).map_err(Error::from_serde).unwrap_err(),
        cbor4ii::serde::to_vec(Vec::new(), &big).map_err(Error::from_serde).unwrap_err(),
        ciborium::into_writer(&big, Vec::new()).map_err(Error::from_serde).unwrap_err(),
    ];
    for err in errors {
        assert_eq!(parts(&err), ("Value", "", "an integer from -9223372036854775808 to 18446744073709551615", "integer 18446744073709551616"));
    }
}

#[test]
fn message_refusals_read_the_same_from_bytes_as_from_a_value() {
    use wamp_types::Message;
    // (format, bytes, the error of decoding them straight into `Message`,
    // which is also what decoding a `Value` and `Message::parse` give).
    let cases: &[(Format, &[u8], &str)] = &[
        // CBOR `null` (ciborium hands it over as "none").
        (Format::Cbor, &[0xf6], "Message: expected a WAMP message (a non-empty list that starts with an integer message code), got null"),
        (
            Format::Cbor,
            &[0x83, 0xf6, 0x00, 0xa0],
            "Message[0]: expected a known message code (1, 2, 3, 4, 5, 6, 8, 16, 17, 32, 33, 34, 35, 36, 48, 49, 50, 64, 65, 66, 67, 68, 69, 70, 337), got null",
        ),
        (Format::Cbor, &[0x84, 0x18, 0x30, 0x01, 0xf6, 0x61, b'p'], "CALL.options: expected map, got null"),
        // A MessagePack extension is handed over as a newtype holding [type, data].
        (
            Format::Msgpack,
            &[0xc7, 0x00, 0x09],
            "Message[0]: expected a known message code (1, 2, 3, 4, 5, 6, 8, 16, 17, 32, 33, 34, 35, 36, 48, 49, 50, 64, 65, 66, 67, 68, 69, 70, 337), got integer 9",
        ),
        // In WAMP JSON a string that starts with NUL is bytes, wherever it stands.
        (
            Format::Json,
            b"\"\\u0000AQ==\"",
            "Message: expected a WAMP message (a non-empty list that starts with an integer message code), got bytes (length 1)",
        ),
        (Format::Json, br#"[48, 1, "\u0000AQ==", "p"]"#, "CALL.options: expected map, got bytes (length 1)"),
        (Format::Json, br#"[48, 1, {}, "\u0000AQID"]"#, "CALL.procedure: expected string, got bytes (length 3)"),
        (
            Format::Json,
            br#"[32, 1, {"match": "\u0000AQID"}, "t"]"#,
            r#"SUBSCRIBE.options.match: expected one of "exact", "prefix", "wildcard", got bytes (length 3)"#,
        ),
        (Format::Json, br#"[6, {}, "\u0000"]"#, "GOODBYE.reason: expected string, got bytes (length 0)"),
        // Positions are read in order: a bad one before the list ends is named first.
        (Format::Json, b"[17, null]", "PUBLISHED.request: expected an ID (an integer from 0 to 2^53), got null"),
        (Format::Msgpack, &[0x92, 0x11, 0xc0], "PUBLISHED.request: expected an ID (an integer from 0 to 2^53), got null"),
        (Format::Json, b"[17, 1]", "PUBLISHED: expected a list of 3 elements, got a list of 2 elements"),
        (Format::Json, br#"[64, true, {}, "p", {}]"#, "REGISTER.request: expected an ID (an integer from 0 to 2^53), got boolean true"),
        (Format::Json, br#"[64, 1, {}, "p", {}]"#, "REGISTER: expected a list of 4 elements, got a list of 5 elements"),
    ];
    for &(format, bytes, want) in cases {
        let direct = decode::<Message>(format, bytes).unwrap_err();
        assert_eq!(direct.to_string(), want, "{} {}", format.name(), String::from_utf8_lossy(bytes));
        let value: Value = decode(format, bytes).expect("a value");
        assert_eq!(Message::parse(&value).unwrap_err().to_string(), want, "{} {}", format.name(), String::from_utf8_lossy(bytes));
    }
}

#[test]
fn cbor4ii_wraps_the_text_as_custom_and_from_serde_unwraps_it() {
    // cbor4ii shows our error as `Custom("...")`, in Rust's `Debug` form,
    // quotes and backslashes escaped.
    let bytes = bytes_of(Format::Cbor, r#"{"realm": "r", "session": "4\"2\\"}"#);
    let err = cbor4ii::serde::from_slice::<SessionDetails>(&bytes).unwrap_err();
    assert_eq!(err.to_string(), r#"Custom("SessionDetails.session: expected integer, got string \"4\\\"2\\\\\"")"#);
    let ours = Error::from_serde(&err);
    assert_eq!(parts(&ours), ("SessionDetails", "session", "integer", r#"string "4\"2\\""#));
    // A message, as a client reads one.
    let bytes = bytes_of(Format::Cbor, r#"[48, 1, {"timeout": 2.5}, "com.myapp.add2"]"#);
    let err = cbor4ii::serde::from_slice::<wamp_types::Message>(&bytes).map_err(Error::from_serde).unwrap_err();
    assert_eq!(err.to_string(), "CALL.options.timeout: expected integer, got float 2.5");
}
