//! Hostile input: nesting 100,000 levels deep, 16 MiB strings, maps of
//! 100,000 keys and keys that come twice, for the types and for the WAMP
//! messages (whose arguments, payloads and dicts carry them), and message
//! bytes cut short. Each is refused with an error or accepted, and the
//! process lives: nothing here may overflow the stack. What the crate reads
//! nests at most 128 deep; values built deeper in code are the code's to
//! free (dropping recurses, as for `serde_json::Value`): these tests free
//! them with `free_deep`.

use wamp_tests::{Format, free_deep};
use wamp_types::{CallMessage, ComponentConfig, Map, Message, Payload, PublishOptions, SessionDetails, TransportDetails, Value, WampType};

const DEEP: usize = 100_000;
const MIB16: usize = 16 << 20;

/// Containers nested `n` deep, `null` innermost: lists, or maps with key `a`.
fn nested(format: Format, map: bool, n: usize) -> Vec<u8> {
    let (open, null, close): (&[u8], &[u8], &[u8]) = match (format, map) {
        (Format::Json, false) => (b"[", b"null", b"]"),
        (Format::Json, true) => (b"{\"a\":", b"null", b"}"),
        (Format::Msgpack, false) => (&[0x91], &[0xc0], b""),
        (Format::Msgpack, true) => (&[0x81, 0xa1, b'a'], &[0xc0], b""),
        (Format::Cbor, false) => (&[0x81], &[0xf6], b""),
        (Format::Cbor, true) => (&[0xa1, 0x61, b'a'], &[0xf6], b""),
    };
    [open.repeat(n), null.to_vec(), close.repeat(n)].concat()
}

/// A map of one key (shorter than 24 bytes) whose value is `value`.
fn one_key(format: Format, key: &str, value: &[u8]) -> Vec<u8> {
    let k = key.as_bytes();
    let head = match format {
        Format::Json => [b"{\"", k, b"\":"].concat(),
        Format::Msgpack => [&[0x81, 0xa0 | k.len() as u8][..], k].concat(),
        Format::Cbor => [&[0xa1, 0x60 | k.len() as u8][..], k].concat(),
    };
    let tail: &[u8] = if format == Format::Json { b"}" } else { b"" };
    [&head[..], value, tail].concat()
}

/// Decodes a `Value`; CBOR errors are unwrapped from ciborium's debug form.
fn decode_value(format: Format, bytes: &[u8]) -> Result<Value, String> {
    match format {
        Format::Json => serde_json::from_slice(bytes).map_err(|e| e.to_string()),
        Format::Msgpack => rmp_serde::from_slice(bytes).map_err(|e| e.to_string()),
        Format::Cbor => ciborium::from_reader(bytes).map_err(cbor_message),
    }
}

fn decode<T: WampType>(format: Format, bytes: &[u8]) -> Result<T, String> {
    match format {
        Format::Cbor => ciborium::from_reader(bytes).map_err(cbor_message),
        _ => format.decode(bytes),
    }
}

fn cbor_message<E: std::fmt::Debug>(e: ciborium::de::Error<E>) -> String {
    match e {
        ciborium::de::Error::Semantic(_, m) => m,
        other => format!("{other:?}"),
    }
}

fn deep_value(map: bool, n: usize) -> Value {
    let mut v = Value::Null;
    for _ in 0..n {
        v = if map { Value::Map([("a", v)].into_iter().collect()) } else { Value::List(vec![v]) };
    }
    v
}

#[test]
fn deep_bytes_are_refused_as_values_and_as_every_type() {
    for format in Format::ALL {
        for map in [false, true] {
            let bytes = nested(format, map, DEEP);
            let err = decode_value(format, &bytes).expect_err("100,000 levels refused");
            assert!(err.contains("nested at most 128 deep") || err.contains("recursion limit"), "{err}");
            for name in wamp_types::TYPE_NAMES {
                let refused = wamp_types::visit_type(name, DecodeFails(format, &bytes)).unwrap();
                assert!(refused, "{name} accepted deep {} input", format.name());
            }
            // Deep inside a field: `any` and `map`.
            let err = decode::<SessionDetails>(format, &one_key(format, "authextra", &bytes)).unwrap_err();
            assert!(err.contains("SessionDetails.authextra") || format == Format::Json, "{err}");
            decode::<ComponentConfig>(format, &one_key(format, "extra", &bytes)).unwrap_err();
            // Just within the limits, the same shape is accepted.
            assert_eq!(decode_value(format, &nested(format, map, 100)).unwrap(), deep_value(map, 100));
        }
    }
    // CBOR lists of indefinite length.
    let bytes = [vec![0x9f; DEEP], vec![0xf6], vec![0xff; DEEP]].concat();
    assert!(decode_value(Format::Cbor, &bytes).unwrap_err().contains("nested at most 128 deep"));
}

struct DecodeFails<'a>(Format, &'a [u8]);

impl wamp_types::TypeVisitor for DecodeFails<'_> {
    type Output = bool;
    fn visit<T: WampType>(self) -> bool {
        decode::<T>(self.0, self.1).is_err()
    }
}

#[test]
fn values_built_100000_deep_are_safe_to_use() {
    for map in [false, true] {
        let deep = deep_value(map, DEEP);
        let copy = deep.clone();
        assert!(copy == deep);
        let shallower = deep_value(map, DEEP - 1);
        assert!(shallower != deep);
        free_deep(shallower);
        let shown = format!("{deep:?}");
        assert!(shown.len() < 2000 && shown.contains(if map { "{...}" } else { "[...]" }), "{shown}");
        assert!(format!("{deep:#?}").contains("..."));
        for format in Format::ALL {
            let err = format.encode(&deep).expect_err("too deep to write");
            assert!(err.contains("Value: expected lists and maps nested at most 128 deep"), "{err}");
        }
        let details = SessionDetails { authextra: Some([("deep", deep)].into_iter().collect()), ..Default::default() };
        let marshalled = details.marshal();
        let details_copy = details.clone();
        assert!(details_copy == details);
        assert!(format!("{details:?}").contains("..."));
        for format in Format::ALL {
            assert!(format.encode(&details).unwrap_err().contains("nested at most 128 deep"));
        }
        // Its dict form read back is refused as decoding refuses it.
        let err = SessionDetails::parse(&marshalled).unwrap_err().to_string();
        assert!(err.starts_with("SessionDetails.authextra[\"deep\"]") && err.contains("nested at most 128 deep"), "{err}");
        for v in [details.into_marshal(), details_copy.into_marshal(), marshalled, copy] {
            free_deep(v);
        }
    }
}

#[test]
fn strings_of_16_mib_are_accepted_and_errors_about_them_stay_short() {
    let big = "x".repeat(MIB16);
    for format in Format::ALL {
        let mut bytes = match format {
            Format::Json => vec![b'"'],
            Format::Msgpack => [&[0xdb][..], &(MIB16 as u32).to_be_bytes()].concat(),
            Format::Cbor => [&[0x7a][..], &(MIB16 as u32).to_be_bytes()].concat(),
        };
        bytes.extend_from_slice(big.as_bytes());
        if format == Format::Json {
            bytes.push(b'"');
        }
        assert_eq!(decode_value(format, &bytes).unwrap().as_str().map(str::len), Some(MIB16));
        let details: SessionDetails = decode(format, &one_key(format, "realm", &bytes)).unwrap();
        assert_eq!(details.realm.map(|r| r.len()), Some(MIB16));
        let err = decode::<SessionDetails>(format, &one_key(format, "session", &bytes)).unwrap_err();
        assert!(err.len() < 300 && err.contains(&format!("(length {MIB16})")), "{err}");
    }
    let err = SessionDetails::parse(&Value::Map([("session", Value::Str(big))].into_iter().collect())).unwrap_err();
    assert!(err.to_string().len() < 200, "{err}");
}

fn wide_map(n: usize) -> Map {
    (0..n).map(|i| (format!("key{i:06}"), Value::Int(i as i128))).collect()
}

#[test]
fn maps_of_100000_keys_are_accepted() {
    let wide = wide_map(100_000);
    let reversed: Map = wide.clone().into_iter().rev().collect();
    assert!(reversed == wide);
    let mut other = reversed.clone();
    other.insert("key000000", Value::Null);
    assert!(other != wide);
    // Collecting keeps the first place of a key and the last value given for it.
    let again: Map = wide.clone().into_iter().chain([("key000001".into(), Value::Bool(true))]).collect();
    assert_eq!((again.len(), again.keys().nth(1), again.get("key000001")), (wide.len(), Some("key000001"), Some(&Value::Bool(true))));

    let as_value = Value::Map(wide.clone());
    let transport = Value::Map(wide.clone().into_iter().chain([("own".into(), Value::from("me"))]).collect());
    assert_eq!(TransportDetails::parse(&transport).unwrap().own.as_deref(), Some("me"));
    let details = SessionDetails { authextra: Some(wide.clone()), ..Default::default() };
    assert_eq!(SessionDetails::parse(&details.marshal()).unwrap(), details);
    // The hops of `forward_for` keep the keys they do not know.
    let known = [("session", Value::Int(1)), ("authid", Value::from("i")), ("authrole", Value::from("r"))];
    let hop: Map = wide.clone().into_iter().chain(known.map(|(k, v)| (k.into(), v))).collect();
    let publish = PublishOptions::parse(&Value::Map([("forward_for", Value::List(vec![Value::Map(hop)]))].into_iter().collect())).unwrap();
    assert_eq!(publish.forward_for.as_ref().map(|f| f[0].rest.len()), Some(wide.len()));
    assert_eq!(PublishOptions::parse(&publish.marshal()).unwrap(), publish);
    for format in Format::ALL {
        let bytes = format.encode(&as_value).unwrap();
        assert!(decode_value(format, &bytes).unwrap() == as_value);
        let back: SessionDetails = decode(format, &format.encode(&details).unwrap()).unwrap();
        assert!(back == details);
        let lenient: TransportDetails = decode(format, &format.encode(&transport).unwrap()).unwrap();
        assert_eq!(lenient.own.as_deref(), Some("me"));
        assert!(decode::<PublishOptions>(format, &format.encode(&publish).unwrap()).unwrap() == publish);
    }
}

/// A small tree of tokens written as they are, so that a map may hold a key twice.
enum Tok {
    Int(u8),
    Str(&'static str),
    /// A byte string (in JSON, a NUL character and base64).
    Bin(&'static [u8]),
    List(Vec<Tok>),
    Map(Vec<(&'static str, Tok)>),
    /// Bytes already written in the format.
    Raw(Vec<u8>),
}

/// Writes tokens in `format` (small integers and short strings only).
fn write(format: Format, t: &Tok, out: &mut Vec<u8>) {
    let json = format == Format::Json;
    // The head of a string (major type 3), list (4) or map (5) of `n` items.
    let head = |out: &mut Vec<u8>, major: u8, n: usize| match (format, major) {
        (Format::Msgpack, 3) if n >= 32 => out.extend([0xd9, n as u8]),
        (Format::Msgpack, _) => out.push([0xa0, 0x90, 0x80][usize::from(major - 3)] | n as u8),
        (_, 3) if n >= 24 => out.extend([0x78, n as u8]),
        _ => out.push(major << 5 | n as u8),
    };
    let (open, close, n) = match t {
        Tok::Int(i) if json => return out.extend(i.to_string().bytes()),
        Tok::Int(i) if format == Format::Msgpack && *i >= 128 => return out.extend([0xcc, *i]),
        Tok::Int(i) if format == Format::Cbor && *i >= 24 => return out.extend([0x18, *i]),
        Tok::Int(i) => return out.push(*i),
        Tok::Bin(b) if json => {
            let base64: String = serde_json::to_string(&Value::Bytes(b.to_vec())).expect("bytes");
            return out.extend(base64.bytes());
        }
        Tok::Bin(b) => return out.extend(format.encode(&Value::Bytes(b.to_vec())).expect("bytes")),
        Tok::Raw(bytes) => return out.extend(bytes),
        Tok::Str(s) if json => return out.extend(format!("{s:?}").bytes()),
        Tok::Str(s) => {
            head(out, 3, s.len());
            return out.extend(s.bytes());
        }
        Tok::List(items) => (b'[', b']', items.len()),
        Tok::Map(entries) => (b'{', b'}', entries.len()),
    };
    if json {
        out.push(open)
    } else {
        head(out, if open == b'[' { 4 } else { 5 }, n)
    }
    for i in 0..n {
        if json && i > 0 {
            out.push(b',');
        }
        match t {
            Tok::List(items) => write(format, &items[i], out),
            Tok::Map(entries) => {
                write(format, &Tok::Str(entries[i].0), out);
                if json {
                    out.push(b':');
                }
                write(format, &entries[i].1, out);
            }
            _ => {}
        }
    }
    if json {
        out.push(close);
    }
}

#[test]
fn a_key_twice_is_refused_in_every_format_at_every_level() {
    use Tok::{Int, List, Map as M, Str};
    let twice = |k: &'static str| M(vec![(k, Int(1)), (k, Int(2))]);
    let hop = M(vec![("session", Int(1)), ("authid", Str("i")), ("authrole", Str("r")), ("x", Int(1)), ("x", Int(2))]);
    let hex = "00".repeat(32).leak();
    let cases = [
        ("Value", twice("a"), r#"Value["a"]"#),
        ("Value", List(vec![M(vec![("b", twice("a"))])]), r#"Value[0]["b"]["a"]"#),
        ("SessionDetails", M(vec![("realm", Str("r")), ("realm", Str("s"))]), "SessionDetails.realm"),
        ("TransportDetails", twice("zz"), r#"TransportDetails["zz"]"#),
        ("SessionDetails", M(vec![("authextra", twice("a"))]), r#"SessionDetails.authextra["a"]"#),
        ("ComponentConfig", M(vec![("extra", List(vec![twice("a")]))]), r#"ComponentConfig.extra[0]["a"]"#),
        (
            "TransportDetails",
            M(vec![("channel_id", M(vec![("tls-unique", Str(hex)), ("tls-unique", Str(hex))]))]),
            r#"TransportDetails.channel_id["tls-unique"]"#,
        ),
        ("PublishOptions", M(vec![("forward_for", List(vec![hop]))]), r#"PublishOptions.forward_for[0]["x"]"#),
    ];
    for (name, tokens, path) in cases {
        let want = format!("{path}: expected each key once, got the key twice");
        for format in Format::ALL {
            let mut bytes = Vec::new();
            write(format, &tokens, &mut bytes);
            let err = match name {
                "Value" => decode_value(format, &bytes).unwrap_err(),
                _ => wamp_types::visit_type(name, DecodeError(format, &bytes)).unwrap(),
            };
            assert!(err.contains(&want), "{name} {}: {err}", format.name());
        }
    }
}

struct DecodeError<'a>(Format, &'a [u8]);

impl wamp_types::TypeVisitor for DecodeError<'_> {
    type Output = String;
    fn visit<T: WampType>(self) -> String {
        decode::<T>(self.0, self.1).err().unwrap_or_else(|| format!("{} accepted the input", T::NAME))
    }
}

#[test]
fn conformance_replay_counts_deep_decode_lines_as_passed() {
    let mut lines = Vec::new();
    for name in ["SessionDetails", "TransportDetails", "PublishOptions", "HelloReturn", "EventDetails"] {
        for format in Format::ALL {
            for map in [false, true] {
                let bytes = nested(format, map, DEEP);
                let bytes = if name == "SessionDetails" && map { one_key(format, "authextra", &bytes) } else { bytes };
                let hex: String = bytes.iter().flat_map(|b| [HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]).map(char::from).collect();
                let id = format!("deep-{}", lines.len());
                let f = format.name();
                lines.push(format!(
                    r#"{{"id": "{id}", "type": "{name}", "op": "decode", "format": "{f}", "input": "{hex}", "expect": {{"ok": false}}}}"#
                ));
            }
        }
    }
    let text = lines.join("\n");
    let report = wamp_tests::replay(&wamp_tests::load(&text).unwrap());
    assert_eq!((report.passed, report.failures.len()), (lines.len(), 0), "{:?}", report.failures);

    // The replay tool itself, on its main thread, reports them passed and exits normally.
    let path = std::env::temp_dir().join(format!("wamp-hostile-{}.jsonl", std::process::id()));
    std::fs::write(&path, &text).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_wamp-conformance")).arg(&path).output().unwrap();
    std::fs::remove_file(&path).unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{:?}: {stdout} {}", out.status, String::from_utf8_lossy(&out.stderr));
    assert_eq!(stdout.lines().last(), Some(format!("{} passed, 0 failed", lines.len()).as_str()));
}

const HEX: &[u8; 16] = b"0123456789abcdef";

// ---- Messages ----

fn bytes_of(format: Format, t: &Tok) -> Vec<u8> {
    let mut out = Vec::new();
    write(format, t, &mut out);
    out
}

fn message(format: Format, bytes: &[u8]) -> Result<Message, String> {
    wamp_tests::messages::decode::<Message>(format, bytes).map_err(|e| e.to_string())
}

fn is_too_deep(err: &str) -> bool {
    err.contains("nested at most 128 deep") || err.contains("recursion limit")
}

#[test]
fn messages_nested_100000_deep_are_refused_in_every_format() {
    use Tok::{Int, List, Map as M, Raw, Str};
    for format in Format::ALL {
        for map in [false, true] {
            let deep = || Raw(nested(format, map, DEEP));
            let cases = [
                ("CALL args", List(vec![Int(48), Int(1), M(vec![]), Str("p"), List(vec![deep()])]), "CALL.args"),
                ("CALL kwargs", List(vec![Int(48), Int(1), M(vec![]), Str("p"), List(vec![]), M(vec![("k", deep())])]), "CALL.kwargs"),
                ("CALL ignored option", List(vec![Int(48), Int(1), M(vec![("zz", deep())]), Str("p")]), "CALL.options"),
                ("EVENT args", List(vec![Int(36), Int(1), Int(2), M(vec![]), deep()]), "EVENT.args"),
                (
                    "HELLO authextra",
                    List(vec![Int(1), Str("realm1"), M(vec![("roles", M(vec![("caller", M(vec![]))])), ("authextra", M(vec![("a", deep())]))])]),
                    "HELLO.details.authextra",
                ),
            ];
            for (what, tokens, path) in cases {
                let bytes = bytes_of(format, &tokens);
                let err = message(format, &bytes).expect_err(what);
                assert!(is_too_deep(&err), "{what} {}: {err}", format.name());
                // serde_json stops at its own recursion limit before ours.
                assert!(err.starts_with(path) || format == Format::Json, "{what} {}: {err}", format.name());
                assert!(is_too_deep(&decode_value(format, &bytes).unwrap_err()));
                wamp_tests::messages::direct_agrees_with_value_path(format, &bytes, None).unwrap();
            }
            let call = bytes_of(format, &List(vec![Int(48), Int(1), M(vec![]), Str("p"), List(vec![deep()])]));
            assert!(is_too_deep(&wamp_tests::messages::decode::<CallMessage>(format, &call).unwrap_err().to_string()));
            // The message itself nested: refused at its code.
            assert!(message(format, &nested(format, map, DEEP)).is_err());
            // Just within the limits, the same arguments are accepted.
            let within = bytes_of(format, &List(vec![Int(48), Int(1), M(vec![]), Str("p"), List(vec![Raw(nested(format, map, 100))])]));
            let m = message(format, &within).unwrap();
            assert_eq!(
                m.marshal(),
                Value::List(vec![48.into(), 1.into(), Value::Map(Map::new()), "p".into(), Value::List(vec![deep_value(map, 100)])])
            );
            wamp_tests::messages::round_trips(&m).unwrap();
        }
    }
    // CBOR lists of indefinite length as arguments.
    let call = [&[0x85, 0x18, 0x30, 0x01, 0xa0, 0x61, b'p'][..], &[0x9f; DEEP], &[0xf6], &[0xff; DEEP]].concat();
    let err = message(Format::Cbor, &call).unwrap_err();
    assert!(err.starts_with("CALL.args[0][0]") && err.contains(": expected lists and maps nested at most 128 deep"), "{err}");
}

#[test]
fn messages_built_100000_deep_are_refused_by_parse_and_safe_to_use() {
    let nested_at_most = ": expected lists and maps nested at most 128 deep, got deeper nesting";
    for map in [false, true] {
        let deep = deep_value(map, DEEP);
        let list = |items: Vec<Value>| Value::List(items);
        let one = |k: &'static str, v: Value| Value::Map([(k, v)].into_iter().collect());
        let inputs = [
            ("CALL.args[0]", list(vec![48.into(), 1.into(), Value::Map(Map::new()), "p".into(), list(vec![deep.clone()])])),
            ("CALL.kwargs[\"k\"]", list(vec![48.into(), 1.into(), Value::Map(Map::new()), "p".into(), list(vec![]), one("k", deep.clone())])),
            ("CALL.options[\"zz\"]", list(vec![48.into(), 1.into(), one("zz", deep.clone()), "p".into()])),
            (
                "HELLO.details.authextra[\"a\"]",
                list(vec![
                    1.into(),
                    "realm1".into(),
                    Value::Map([("roles", one("caller", one("x", 1.into()))), ("authextra", one("a", deep.clone()))].into_iter().collect()),
                ]),
            ),
        ];
        for (at, input) in inputs {
            // A `Value` built in code may nest deeper than decoding allows:
            // parse, which decodes from it, refuses it as decoding bytes does.
            let err = Message::parse(&input).unwrap_err().to_string();
            assert!(err.starts_with(at) && err.ends_with(nested_at_most), "{err}");
            free_deep(input);
        }
        // A message built in code holding it stays safe to compare, show,
        // clone and marshal; writing it or reading its dict form back refuses it.
        let m =
            Message::Call(CallMessage { request: 1, options: Default::default(), procedure: "p".into(), payload: Payload::args(vec![deep]) });
        let copy = m.clone();
        assert!(copy == m);
        assert!(format!("{m:?}").len() < 5000);
        let marshalled = m.marshal();
        let err = Message::parse(&marshalled).unwrap_err().to_string();
        assert!(err.starts_with("CALL.args[0]") && err.ends_with(nested_at_most), "{err}");
        for format in Format::ALL {
            assert!(format.encode(&m).unwrap_err().contains("nested at most 128 deep"));
        }
        for m in [m, copy] {
            free_deep(free_message(m));
        }
        free_deep(marshalled);
    }
}

/// The values of a message built in code that may nest deeply (the
/// arguments and keyword arguments of a CALL, the `authextra` of a HELLO),
/// moved out of it, for [`free_deep`].
fn free_message(m: Message) -> Value {
    match m {
        Message::Call(CallMessage { payload: Payload::Arguments { args, kwargs }, .. }) => {
            Value::List(vec![args.map_or(Value::Null, Value::List), kwargs.map_or(Value::Null, Value::Map)])
        }
        Message::Hello(h) => h.details.authextra.map_or(Value::Null, Value::Map),
        _ => Value::Null,
    }
}

#[test]
fn messages_with_16_mib_payloads_and_strings_are_accepted_and_errors_about_them_stay_short() {
    let one = |k: &'static str, v: Value| Value::Map([(k, v)].into_iter().collect());
    let big = "x".repeat(MIB16);
    let inputs = [
        // An encoded payload of 16 MiB.
        Value::List(vec![48.into(), 1.into(), one("enc_algo", "cryptobox".into()), "p".into(), Value::Bytes(vec![0xa5; MIB16])]),
        // A URI, an argument and a keyword argument of 16 MiB.
        Value::List(vec![
            48.into(),
            1.into(),
            Value::Map(Map::new()),
            format!("a.{big}").into(),
            Value::List(vec![]),
            one("k", big.clone().into()),
        ]),
    ];
    for input in inputs {
        let m = Message::parse(&input).unwrap();
        assert!(m.marshal() == input);
        for format in Format::ALL {
            let bytes = format.encode(&m).unwrap();
            assert!(bytes.len() > MIB16);
            assert!(message(format, &bytes).unwrap() == m, "{}", format.name());
        }
    }
    // A 16 MiB string where an ID belongs.
    let input = Value::List(vec![48.into(), big.into(), Value::Map(Map::new()), "p".into()]);
    let want = format!("CALL.request: expected an ID (an integer from 0 to 2^53), got string \"{}\"... (length {MIB16})", "x".repeat(40));
    assert_eq!(Message::parse(&input).unwrap_err().to_string(), want);
    for format in Format::ALL {
        let err = message(format, &format.encode(&input).unwrap()).unwrap_err();
        assert!(err.starts_with(&want) && err.len() < 300, "{err}");
    }
}

#[test]
fn messages_with_100000_arguments_or_keyword_arguments_are_accepted() {
    let args: Vec<Value> = (0..100_000).map(Value::from).collect();
    let input = Value::List(vec![48.into(), 1.into(), Value::Map(Map::new()), "p".into(), Value::List(args), Value::Map(wide_map(100_000))]);
    let m = Message::parse(&input).unwrap();
    wamp_tests::messages::round_trips(&m).unwrap();
    // EVENT details ignore the keys they do not know, 100,000 of them too.
    let event = Value::List(vec![36.into(), 1.into(), 2.into(), Value::Map(wide_map(100_000))]);
    let m = Message::parse(&event).unwrap();
    assert_eq!(m.marshal(), Value::List(vec![36.into(), 1.into(), 2.into(), Value::Map(Map::new())]));
    for format in Format::ALL {
        let bytes = format.encode(&event).unwrap();
        assert!(message(format, &bytes).unwrap() == m);
        // One of the 100,000 keys twice, in the keyword arguments and in the details.
        for value in [&input, &event] {
            let mut bytes = format.encode(value).unwrap();
            let last = bytes.windows(9).rposition(|w| w == b"key099999").unwrap();
            bytes[last..last + 9].copy_from_slice(b"key000000");
            let err = message(format, &bytes).unwrap_err();
            assert!(err.contains(r#"["key000000"]: expected each key once, got the key twice"#), "{err}");
            wamp_tests::messages::direct_agrees_with_value_path(format, &bytes, None).unwrap();
        }
    }
}

#[test]
fn a_key_twice_in_a_message_is_refused_in_every_format() {
    use Tok::{Bin, Int, List, Map as M, Str};
    let twice = |k: &'static str| M(vec![(k, Int(1)), (k, Int(2))]);
    let hop = M(vec![("session", Int(1)), ("authid", Str("i")), ("authrole", Str("r")), ("x", Int(1)), ("x", Int(2))]);
    let roles = || ("roles", M(vec![("broker", M(vec![]))]));
    let cases = [
        (List(vec![Int(48), Int(1), twice("timeout"), Str("p")]), "CALL.options.timeout"),
        (List(vec![Int(48), Int(1), twice("zz"), Str("p")]), r#"CALL.options["zz"]"#),
        (List(vec![Int(48), Int(1), M(vec![]), Str("p"), List(vec![twice("a")])]), r#"CALL.args[0]["a"]"#),
        (List(vec![Int(48), Int(1), M(vec![]), Str("p"), List(vec![]), twice("a")]), r#"CALL.kwargs["a"]"#),
        (
            List(vec![Int(48), Int(1), M(vec![("enc_algo", Str("cryptobox")), ("enc_algo", Str("xbr"))]), Str("p"), Bin(b"\x01")]),
            r#"CALL.options["enc_algo"]"#,
        ),
        (
            List(vec![
                Int(16),
                Int(1),
                M(vec![("enc_serializer", Str("json")), ("enc_algo", Str("cryptobox")), ("x", Int(1)), ("enc_serializer", Str("cbor"))]),
                Str("t"),
                Bin(b"\x01"),
            ]),
            r#"PUBLISH.options["enc_serializer"]"#,
        ),
        (List(vec![Int(16), Int(1), M(vec![("forward_for", List(vec![hop]))]), Str("t")]), r#"PUBLISH.options.forward_for[0]["x"]"#),
        (
            List(vec![Int(1), Str("realm1"), M(vec![("roles", M(vec![("caller", M(vec![])), ("caller", M(vec![]))]))])]),
            "HELLO.details.roles.caller",
        ),
        (List(vec![Int(2), Int(1), M(vec![roles(), ("x_custom", Int(1)), ("x_custom", Int(2))])]), r#"WELCOME.details["x_custom"]"#),
        (List(vec![Int(2), Int(1), M(vec![roles(), ("x_custom", twice("a"))])]), r#"WELCOME.details["x_custom"]["a"]"#),
        (List(vec![Int(3), M(vec![("message", Str("m")), ("message", Str("n"))]), Str("wamp.close")]), "ABORT.details.message"),
    ];
    for (tokens, path) in cases {
        let want = format!("{path}: expected each key once, got the key twice");
        for format in Format::ALL {
            let bytes = bytes_of(format, &tokens);
            let err = message(format, &bytes).unwrap_err();
            assert!(err.starts_with(&want), "{} {path}: {err}", format.name());
            assert!(decode_value(format, &bytes).unwrap_err().contains("expected each key once, got the key twice"));
        }
    }
}

#[test]
fn message_bytes_cut_short_are_refused_as_the_value_path_refuses_them() {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("vectors/autobahn-26.10.2-messages-decode.jsonl");
    let vectors = wamp_tests::load(&std::fs::read_to_string(path).unwrap()).unwrap();
    // The longest accepted vector of each message type and format.
    let mut longest = std::collections::BTreeMap::new();
    for v in vectors.iter().filter(|v| v.expect.is_some()) {
        let bytes = wamp_tests::decode_hex(v.input.as_str().unwrap()).unwrap();
        let key = (v.type_name.clone(), v.format.clone().unwrap());
        if longest.get(&key).is_none_or(|b: &Vec<u8>| b.len() < bytes.len()) {
            longest.insert(key, bytes);
        }
    }
    assert_eq!(longest.len(), 25 * 3);
    let mut cuts = 0;
    for ((_, format), bytes) in &longest {
        let format = Format::from_name(format).unwrap();
        message(format, bytes).unwrap();
        for n in 0..bytes.len() {
            let cut = &bytes[..n];
            if format == Format::Json && bytes[n..].iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            assert!(message(format, cut).is_err(), "{} {}", format.name(), String::from_utf8_lossy(cut));
            wamp_tests::messages::direct_agrees_with_value_path(format, cut, None).unwrap();
            cuts += 1;
        }
    }
    assert!(cuts > 10_000, "{cuts}");
}

#[test]
fn conformance_replay_counts_deep_message_lines_as_passed() {
    use Tok::{Int, List, Map as M, Raw, Str};
    let mut lines = Vec::new();
    for format in Format::ALL {
        for map in [false, true] {
            let bytes = bytes_of(format, &List(vec![Int(48), Int(1), M(vec![]), Str("p"), List(vec![Raw(nested(format, map, DEEP))])]));
            let hex: String = bytes.iter().flat_map(|b| [HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]).map(char::from).collect();
            let (id, f) = (format!("deep-message-{}", lines.len()), format.name());
            lines.push(format!(
                r#"{{"id": "{id}", "type": "Call", "op": "message_decode", "format": "{f}", "input": "{hex}", "expect": {{"ok": false}}}}"#
            ));
        }
    }
    let text = lines.join("\n");
    let path = std::env::temp_dir().join(format!("wamp-hostile-messages-{}.jsonl", std::process::id()));
    std::fs::write(&path, &text).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_wamp-conformance")).arg(&path).output().unwrap();
    std::fs::remove_file(&path).unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{:?}: {stdout} {}", out.status, String::from_utf8_lossy(&out.stderr));
    // Each line runs on both paths: the full decode and the kept one.
    assert_eq!(stdout.lines().last(), Some(format!("{} passed, 0 failed", 2 * lines.len()).as_str()));
}

/// `Serializer::decode` reads the everyday MessagePack and CBOR forms with
/// its own reader and hands the rest, and every refusal, to the format
/// crate: on hostile input it gives what the crate gives, refusing with
/// the crate's error, and the process lives.
#[test]
fn serializer_decode_gives_what_the_format_crate_gives_on_hostile_input() {
    use Tok::{Int, List, Map as M, Raw, Str};
    use wamp_tests::kept::{decode_agrees, serializer};
    for format in [Format::Msgpack, Format::Cbor] {
        let ser = serializer(format);
        let refused = |bytes: &[u8]| {
            decode_agrees(format, bytes).unwrap();
            ser.decode(bytes).unwrap_err().to_string()
        };
        for map in [false, true] {
            // 100,000 deep: in the arguments, in the keyword arguments, in an
            // option a message ignores, and the message itself.
            let deep = || Raw(nested(format, map, DEEP));
            let cases = [
                (List(vec![Int(48), Int(1), M(vec![]), Str("p"), List(vec![deep()])]), "CALL.args"),
                (List(vec![Int(48), Int(1), M(vec![]), Str("p"), List(vec![]), M(vec![("k", deep())])]), "CALL.kwargs"),
                (List(vec![Int(48), Int(1), M(vec![("zz", deep())]), Str("p")]), "CALL.options"),
                (List(vec![Int(36), Int(1), Int(2), M(vec![]), deep()]), "EVENT.args"),
            ];
            for (tokens, path) in cases {
                let err = refused(&bytes_of(format, &tokens));
                // cbor4ii stops at its own recursion limit (256 steps) before ours.
                let ok = match format {
                    Format::Cbor => err.contains("DepthOverflow"),
                    _ => is_too_deep(&err) && err.starts_with(path),
                };
                assert!(ok, "{}: {err}", format.name());
            }
            refused(&nested(format, map, DEEP));
            // Around the depth where our limit (128) and cbor4ii's (256
            // steps, two for each list or map) meet: the same answer as the
            // crate at each depth, and accepted well within both.
            for n in 100..=140 {
                let bytes = bytes_of(format, &List(vec![Int(48), Int(1), M(vec![]), Str("p"), List(vec![Raw(nested(format, map, n))])]));
                decode_agrees(format, &bytes).unwrap_or_else(|e| panic!("{} {n}: {e}", format.name()));
                if n <= 120 {
                    assert!(ser.decode(&bytes).is_ok(), "{} {n}", format.name());
                }
            }
        }
        // Lengths that claim more than the bytes hold: refused, nothing sized by them.
        let claims: [&[u8]; 2] = match format {
            Format::Msgpack => [
                &[0x95, 0x30, 0x01, 0x80, 0xa1, b'p', 0xdd, 0xff, 0xff, 0xff, 0xff],
                &[0x96, 0x30, 0x01, 0x80, 0xa1, b'p', 0x90, 0xdf, 0xff, 0xff, 0xff, 0xff],
            ],
            _ => [
                &[0x85, 0x18, 0x30, 0x01, 0xa0, 0x61, b'p', 0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
                &[0x86, 0x18, 0x30, 0x01, 0xa0, 0x61, b'p', 0x80, 0xbb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
            ],
        };
        for bytes in claims {
            refused(bytes);
        }
        // 16 MiB strings and bytes: accepted as the crate accepts them.
        let big = Value::List(vec![
            48.into(),
            1.into(),
            Value::Map(Map::new()),
            "p".into(),
            Value::List(vec!["x".repeat(MIB16).into(), Value::Bytes(vec![0xa5; MIB16])]),
        ]);
        let bytes = format.encode(&big).unwrap();
        decode_agrees(format, &bytes).unwrap();
        assert!(ser.decode(&bytes).unwrap().marshal() == big);
        // What follows a message: refused in MessagePack, ignored in CBOR.
        let call = bytes_of(format, &List(vec![Int(48), Int(1), M(vec![]), Str("p"), List(vec![Int(7)])]));
        let more = [&call[..], &[0x00]].concat();
        decode_agrees(format, &more).unwrap();
        assert_eq!(ser.decode(&more).is_ok(), format == Format::Cbor);
    }
    // Every message of the vectors cut short, at every length.
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("vectors/autobahn-26.10.2-messages-decode.jsonl");
    let vectors = wamp_tests::load(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut cuts = 0;
    for v in vectors.iter().filter(|v| matches!(v.format.as_deref(), Some("msgpack" | "cbor"))) {
        let format = Format::from_name(v.format.as_deref().unwrap()).unwrap();
        let bytes = wamp_tests::decode_hex(v.input.as_str().unwrap()).unwrap();
        for n in 0..bytes.len() {
            decode_agrees(format, &bytes[..n]).unwrap_or_else(|e| panic!("{} {}: {e}", v.id, n));
            cuts += 1;
        }
    }
    assert!(cuts > 10_000, "{cuts}");
}
