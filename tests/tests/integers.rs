//! Integers: every integer that JSON, MessagePack and CBOR carry in 64 bits,
//! signed and unsigned (`-2^63` to `2^64 - 1`), is held by `Value` and by
//! the `int` fields of generated types and written back unchanged; an
//! integer past that range is an error in every format, not a float.

use wamp_tests::Format;
use wamp_types::{Map, Number, SessionDetails, TransportDetails, Value};

const U64_MAX: i128 = u64::MAX as i128;
const I64_MIN: i128 = i64::MIN as i128;
const PAST: i128 = U64_MAX + 1;
const PAST_TEXT: &str = "an integer from -9223372036854775808 to 18446744073709551615, got integer 18446744073709551616";

fn decode_value(format: Format, bytes: &[u8]) -> Result<Value, String> {
    match format {
        Format::Json => serde_json::from_slice(bytes).map_err(|e| e.to_string()),
        Format::Msgpack => rmp_serde::from_slice(bytes).map_err(|e| e.to_string()),
        Format::Cbor => ciborium::from_reader(bytes).map_err(|e| match e {
            ciborium::de::Error::Semantic(_, m) => m,
            other => format!("{other:?}"),
        }),
    }
}

#[test]
fn the_edges_of_the_range_round_trip_in_every_format() {
    for i in [I64_MIN, I64_MIN + 1, -1, 0, i128::from(i64::MAX), i128::from(i64::MAX) + 1, U64_MAX - 1, U64_MAX] {
        let v = Value::Int(i);
        for format in Format::ALL {
            let bytes = format.encode(&v).unwrap_or_else(|e| panic!("{} encodes {i}: {e}", format.name()));
            assert_eq!(decode_value(format, &bytes), Ok(v.clone()), "{} {i}", format.name());
            // Inside a list and a map too.
            let nested = Value::List(vec![Value::Map([("n", v.clone())].into_iter().collect())]);
            let bytes = format.encode(&nested).expect("encodes");
            assert_eq!(decode_value(format, &bytes), Ok(nested), "{} {i} nested", format.name());
        }
    }
}

#[test]
fn the_edges_are_written_as_each_format_writes_64_bit_integers() {
    let max = Value::Int(U64_MAX);
    let min = Value::Int(I64_MIN);
    assert_eq!(serde_json::to_string(&max).unwrap(), "18446744073709551615");
    assert_eq!(serde_json::to_string(&min).unwrap(), "-9223372036854775808");
    assert_eq!(serde_json::from_str::<Value>("18446744073709551615").unwrap(), max);
    assert_eq!(serde_json::from_str::<Value>("-9223372036854775808").unwrap(), min);
    // MessagePack: uint 64 (0xcf) and int 64 (0xd3).
    assert_eq!(Format::Msgpack.encode(&max).unwrap(), [&[0xcf][..], &[0xff; 8]].concat());
    assert_eq!(Format::Msgpack.encode(&min).unwrap(), [0xd3, 0x80, 0, 0, 0, 0, 0, 0, 0]);
    // CBOR: unsigned (major 0) and negative (major 1) with 8-byte arguments.
    assert_eq!(Format::Cbor.encode(&max).unwrap(), [&[0x1b][..], &[0xff; 8]].concat());
    assert_eq!(Format::Cbor.encode(&min).unwrap(), [0x3b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
}

#[test]
fn past_the_range_cbor_is_refused_with_an_error() {
    // 2^64 as a CBOR bignum (tag 2): in range of ciborium's i128, out of ours.
    let big = [&[0xc2, 0x49, 0x01][..], &[0; 8]].concat();
    assert_eq!(decode_value(Format::Cbor, &big), Err(format!("Value: expected {PAST_TEXT}")));
    // -2^64 - 1 .. -2^63 - 1 as a plain CBOR negative integer: -2^64 (0x3b, all ones).
    let low = [&[0x3b][..], &[0xff; 8]].concat();
    let err = decode_value(Format::Cbor, &low).unwrap_err();
    assert_eq!(err, "Value: expected an integer from -9223372036854775808 to 18446744073709551615, got integer -18446744073709551616");
    // A bignum in range is read as the integer it is.
    let in_range = [&[0xc2, 0x48][..], &[0xff; 8]].concat();
    assert_eq!(decode_value(Format::Cbor, &in_range), Ok(Value::Int(U64_MAX)));
    // Into an `int` field, the error names the field.
    let mut doc = vec![0xa1, 0x67];
    doc.extend_from_slice(b"session");
    doc.extend_from_slice(&big);
    let err = ciborium::from_reader::<SessionDetails, _>(&doc[..]).unwrap_err();
    assert!(format!("{err:?}").contains(&format!("SessionDetails.session: expected {PAST_TEXT}")), "{err:?}");
}

#[test]
fn past_the_range_is_refused_when_written_in_every_format() {
    // MessagePack cannot hold 2^64 at all, nor CBOR without a bignum: a
    // value built in code with such an integer is refused, never rounded.
    for i in [PAST, I64_MIN - 1, i128::MAX, i128::MIN] {
        let v = Value::List(vec![Value::Int(i)]);
        for format in Format::ALL {
            let err = format.encode(&v).expect_err("out of range");
            assert!(
                err.contains(&format!("Value: expected an integer from -9223372036854775808 to 18446744073709551615, got integer {i}")),
                "{} {err}",
                format.name()
            );
        }
    }
    let opts = wamp_types::CallOptions { timeout: Some(Number::Int(PAST)), ..Default::default() };
    for format in Format::ALL {
        let err = format.encode(&opts).expect_err("out of range");
        assert!(err.contains("number field: expected an integer from"), "{err}");
    }
    let details = SessionDetails { session: Some(PAST), ..Default::default() };
    for format in Format::ALL {
        let err = format.encode(&details).expect_err("out of range");
        assert!(err.contains("integer field: expected an integer from"), "{err}");
    }
}

#[test]
fn json_past_the_range_arrives_as_a_float() {
    // serde_json (without its `arbitrary_precision` feature) reads an integer
    // past 2^64 - 1, or below -2^63, as the nearest float: it cannot be told
    // apart from one written with a fraction. A `Value` holds the float; an
    // `int` field refuses it as a float.
    assert_eq!(serde_json::from_str::<Value>("18446744073709551616").unwrap(), Value::Float(18446744073709551616.0));
    assert_eq!(serde_json::from_str::<Value>("-9223372036854775809").unwrap(), Value::Float(-9223372036854775808.0));
    let err = serde_json::from_str::<SessionDetails>(r#"{"session": 18446744073709551616}"#).unwrap_err();
    assert_eq!(err.to_string(), "SessionDetails.session: expected integer, got float 1.8446744073709552e19 at line 1 column 32");
}

#[test]
fn int_fields_take_the_whole_range_in_parse_and_every_format() {
    for i in [I64_MIN, U64_MAX] {
        let dict = Value::Map([("session", Value::Int(i))].into_iter().collect());
        let d = SessionDetails::parse(&dict).expect("in range");
        assert_eq!(d.session, Some(i));
        assert_eq!(d.marshal().as_map().and_then(|m| m.get("session")), Some(&Value::Int(i)));
        for format in Format::ALL {
            let bytes = format.encode(&dict).expect("encodes");
            let back: SessionDetails = format.decode(&bytes).expect("decodes");
            assert_eq!(back.session, Some(i), "{}", format.name());
            assert_eq!(format.encode(&back).map(|b| decode_value(format, &b)), Ok(Ok(d.marshal())));
        }
    }
    let t: TransportDetails = serde_json::from_str(r#"{"own_pid": 18446744073709551615}"#).expect("u64");
    assert_eq!(t.own_pid, Some(U64_MAX));
}

#[test]
fn parse_refuses_an_int_field_past_the_range() {
    let mut m = Map::new();
    m.insert("session", Value::Int(PAST));
    let err = SessionDetails::parse(&Value::Map(m)).unwrap_err();
    assert_eq!(err.to_string(), format!("SessionDetails.session: expected {PAST_TEXT}"));
    let mut m = Map::new();
    m.insert("timeout", Value::Int(PAST));
    let err = wamp_types::CallOptions::parse(&Value::Map(m)).unwrap_err();
    assert_eq!(err.to_string(), format!("CallOptions.timeout: expected {PAST_TEXT}"));
}

#[test]
fn the_test_library_reads_and_writes_the_whole_range_exactly() {
    for text in ["18446744073709551615", "-9223372036854775808", "9223372036854775808", "0", "-1"] {
        let json: serde_json::Value = serde_json::from_str(text).unwrap();
        let v = wamp_tests::from_json(&json).expect("in range");
        assert_eq!(v, Value::Int(text.parse().unwrap()));
        assert_eq!(wamp_tests::to_json(&v), json);
    }
    let json: serde_json::Value = serde_json::from_str("1.5").unwrap();
    assert_eq!(wamp_tests::from_json(&json), Ok(Value::Float(1.5)));
}
