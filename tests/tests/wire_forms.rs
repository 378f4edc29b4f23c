//! Wire forms the recorded vectors do not hold (autobahn-python's own
//! serializers never write them) but another peer may send: each decode
//! crate must give what autobahn-python 26.10.2 gives for them (outcomes
//! recorded with its `JsonObjectSerializer`, `MsgPackObjectSerializer` and
//! `CBORObjectSerializer`, cbor2 6.3.0, msgpack 1.2.4, then
//! `Publish.parse` and `marshal`).

use wamp_tests::{Crate, Format, decode_hex, to_json};
use wamp_types::Message;

/// `PUBLISH` `[16, 1, {}, "a.b"]` as autobahn gives it back.
const PLAIN: &str = r#"[16,1,{},"a.b"]"#;

fn decode(with: Crate, hex: &str) -> Result<String, String> {
    let bytes = decode_hex(hex).expect("hex");
    with.decode::<Message>(&bytes).map(|m| to_json(&m.marshal()).to_string())
}

fn check(format: Format, cases: &[(&str, &str, Option<&str>)]) {
    for with in format.crates() {
        for (name, hex, want) in cases {
            let got = decode(with, hex);
            match want {
                Some(w) => assert_eq!(got.as_deref(), Ok(*w), "{} {name}", with.name()),
                None => assert!(got.is_err(), "{} {name}: autobahn refuses it, got {got:?}", with.name()),
            }
        }
    }
}

#[test]
fn cbor_forms_decode_as_cbor2_reads_them() {
    check(
        Format::Cbor,
        &[
            ("plain", "841001a063612e62", Some(PLAIN)),
            // cbor2.loads ignores what follows the first value.
            ("trailing byte", "841001a063612e62ff", Some(PLAIN)),
            ("half float", "851001a063612e6281f93c00", Some(r#"[16,1,{},"a.b",[1.0]]"#)),
            ("single float", "851001a063612e6281fa3fc00000", Some(r#"[16,1,{},"a.b",[1.5]]"#)),
            ("bignum ID", "8410c24101a063612e62", Some(PLAIN)),
            ("bignum argument", "851001a063612e6281c24101", Some(r#"[16,1,{},"a.b",[1]]"#)),
            ("indefinite-length list", "9f1001a063612e62ff", Some(PLAIN)),
            ("indefinite-length string", "841001a07f62612e6162ff", Some(PLAIN)),
            ("indefinite-length map", "841001bf6178f4ff63612e62", Some(PLAIN)),
            ("undefined in an ignored key", "841001a16178f763612e62", Some(PLAIN)),
            ("indefinite-length list too short", "9f1001ff", None),
            ("indefinite-length list too long", "9f1001a063612e6280a001ff", None),
            ("cut short", "841001a063612e", None),
        ],
    );
}

#[test]
fn msgpack_forms_decode_as_msgpack_reads_them() {
    check(
        Format::Msgpack,
        &[
            ("plain", "94100180a3612e62", Some(PLAIN)),
            // msgpack.unpackb raises ExtraData.
            ("trailing nil", "94100180a3612e62c0", None),
            ("trailing integer", "94100180a3612e6201", None),
            ("cut short", "94100180a3612e", None),
        ],
    );
}

#[test]
fn json_forms_decode_as_json_loads_reads_them() {
    let hex = |s: &str| s.bytes().map(|b| format!("{b:02x}")).collect::<String>();
    let cases = [
        ("plain", hex(r#"[16,1,{},"a.b"]"#), Some(PLAIN)),
        ("white space around", hex(" [16,1,{},\"a.b\"]\n"), Some(PLAIN)),
        // json.loads: "Extra data".
        ("trailing character", hex(r#"[16,1,{},"a.b"]x"#), None),
        ("cut short", hex(r#"[16,1,{},"a.b""#), None),
    ];
    let cases: Vec<(&str, &str, Option<&str>)> = cases.iter().map(|(n, h, w)| (*n, h.as_str(), *w)).collect();
    check(Format::Json, &cases);
}

#[test]
fn msgpack_len_finds_where_each_value_ends() {
    use serde_json::json;
    let values = [
        json!(null),
        json!(true),
        json!(-1),
        json!(200),
        json!(-200),
        json!(70000),
        json!(-70000),
        json!(5_000_000_000u64),
        json!(-5_000_000_000i64),
        json!(u64::MAX),
        json!(1.5),
        json!("x".repeat(40)),
        json!("y".repeat(300)),
        json!("z".repeat(70000)),
        json!([1, [2, [3, {"a": [4, {}]}]], "s"]),
        json!((0..20).collect::<Vec<_>>()),
        json!((0..70000).map(|_| 0).collect::<Vec<_>>()),
        json!((0..20).map(|i| (i.to_string(), json!([i]))).collect::<serde_json::Map<_, _>>()),
    ];
    for v in &values {
        let mut b = rmp_serde::to_vec(v).expect("encodes");
        let n = b.len();
        assert_eq!(wamp_tests::msgpack_len(&b), Some(n), "{}", &v.to_string()[..20.min(v.to_string().len())]);
        b.push(0xc0);
        assert_eq!(wamp_tests::msgpack_len(&b), Some(n));
        assert_eq!(wamp_tests::msgpack_len(&b[..n - 1]), None);
    }
    let bin = rmp_serde::to_vec(&serde_bytes_like(&[1, 2, 3])).expect("encodes");
    assert_eq!(wamp_tests::msgpack_len(&bin), Some(bin.len()));
    // fixext 4 and ext 8: type byte and data.
    assert_eq!(wamp_tests::msgpack_len(&[0xd6, 1, 0, 0, 0, 0, 0xc0]), Some(6));
    assert_eq!(wamp_tests::msgpack_len(&[0xc7, 2, 1, 9, 9, 0xc0]), Some(5));
    assert_eq!(wamp_tests::msgpack_len(&[0xc1]), None);
}

/// Bytes that serialize as a MessagePack bin.
fn serde_bytes_like(b: &[u8]) -> wamp_types::Value {
    wamp_types::Value::Bytes(b.to_vec())
}

/// Cases and results from Python 3.11's `base64.b64decode`, which
/// autobahn-python's JSON decoder calls on a string that starts with NUL:
/// characters outside the alphabet are skipped, padding that completes a
/// group ends the data, a group left incomplete is refused.
const BASE64_CASES: &[(&str, Option<&str>)] = &[
    ("", Some("")),
    ("!!", Some("")),
    ("AQ==", Some("01")),
    ("AQ=", None),
    ("A", None),
    ("AQ==AQ==", Some("01")),
    ("A=Q==", Some("01")),
    ("AQ=x=", Some("010c")),
    ("AB=C", None),
    ("AB=C=", Some("0010")),
    ("AB=CD=", Some("001083")),
    ("==", Some("")),
    ("AQI=", Some("0102")),
    ("AQI", None),
    ("QUJDRA==", Some("41424344")),
    ("A===", None),
    ("I/ AQ", Some("23f010")),
    ("Q+\tA!DAQ", None),
    ("/QDQ!/", None),
    ("", Some("")),
    ("QD  \tA\t\t/", Some("40303f")),
    ("", Some("")),
    ("A!I", None),
    ("/I!Q", None),
    ("x! IQ\t\t D", Some("c48403")),
    ("Q!Q\tA", None),
    ("D= !/+=\t=", Some("0fff")),
    ("xDIDQ", None),
    ("x!=+=x\tQQ", None),
    ("/I+I=/A ", None),
    ("!", Some("")),
    ("+++\t=\t=QQ", Some("fbef")),
    ("= QA", None),
    (" \t =", Some("")),
    ("/ +A", None),
    ("+I\tQ=AD", Some("f884")),
    ("ID//", Some("203fff")),
    ("QI=/!xI", None),
    ("!x/+ /", Some("c7ffbf")),
    ("IQI", None),
    ("D ", None),
    ("A=\t", None),
    ("xx", None),
    ("", Some("")),
    ("/!", None),
    ("\t\t+I!", None),
    ("  A= !///", Some("03ffff")),
    ("Q= /AD", Some("43f003")),
    ("D", None),
    ("IQ+\tAQA", None),
    ("I!Q+\tAQD\t", None),
    ("I x+\t+", Some("231fbe")),
    ("QQ====x", Some("41")),
    ("I", None),
    ("+", None),
    ("=I!A", None),
    ("!+I", None),
    ("A!x Qx!+", None),
    ("+D", None),
    ("!!+ D\tDD", Some("f830c3")),
];

#[test]
fn wamp_json_bytes_decode_as_python_does() {
    for (input, want) in BASE64_CASES {
        let json = serde_json::to_string(&format!("\0{input}")).expect("a JSON string");
        let got = match serde_json::from_str::<wamp_types::Value>(&json) {
            Ok(wamp_types::Value::Bytes(b)) => Some(b.iter().map(|x| format!("{x:02x}")).collect::<String>()),
            Ok(other) => panic!("input {input:?}: bytes or an error, got {other:?}"),
            Err(e) => {
                assert!(e.to_string().contains("expected base64 after a NUL character"), "input {input:?}: {e}");
                None
            }
        };
        assert_eq!(got.as_deref(), *want, "input {input:?}");
    }
}
