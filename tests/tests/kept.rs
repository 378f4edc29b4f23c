//! Arguments kept as their bytes (`Serializer::decode_kept`): the vectors
//! on both paths, what only the kept path reads (CBOR maps with integer
//! keys), forwarding, decoding on demand, and the serializers.

use wamp_tests::Format;
use wamp_tests::kept::{forward, is_kept, kept_agrees, payload_mut, serializer};
use wamp_types::{Message, Payload, Serializer, Value};

fn vectors(name: &str) -> Vec<wamp_tests::Vector> {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("vectors").join(name);
    wamp_tests::load(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// Every message decode vector, on the kept path: what autobahn accepts
/// (its `marshal()` list, the arguments decoded) and refuses, and the same
/// answer as the full decode, error text included.
#[test]
fn every_message_decode_vector_passes_on_the_kept_path() {
    let (mut kept, mut accepted, mut refused) = (0, 0, 0);
    for v in vectors("autobahn-26.10.2-messages-decode.jsonl") {
        let format = Format::from_name(v.format.as_deref().unwrap()).unwrap();
        let bytes = wamp_tests::decode_hex(v.input.as_str().unwrap()).unwrap();
        kept_agrees(format, &bytes).unwrap_or_else(|e| panic!("{}: {e}", v.id));
        match (serializer(format).decode_kept(&bytes), &v.expect) {
            (Ok(m), Some(want)) => {
                // Not a fallback to the full decode: where there are arguments, they are kept.
                let mut full = serializer(format).decode(&bytes).unwrap();
                let has_args = matches!(payload_mut(&mut full), Some(Payload::Arguments { args, kwargs }) if args.is_some() || kwargs.is_some());
                assert_eq!(is_kept(&m), has_args, "{}", v.id);
                kept += usize::from(has_args);
                let got = wamp_tests::kept::decoded(m).unwrap().marshal();
                assert_eq!(&got, want, "{}", v.id);
                accepted += 1;
            }
            (Err(_), None) => refused += 1,
            (got, want) => panic!("{}: expected {want:?}, got {got:?}", v.id),
        }
    }
    assert_eq!((accepted, refused), (1611, 1477));
    assert!(kept > 200, "only {kept} messages with arguments");
}

/// `[36, 5, 99, {}, ["a", {1: "one", 2: "two"}]]` in CBOR.
fn event_with_integer_keys() -> Vec<u8> {
    let mut b = vec![0x85, 0x18, 0x24, 0x05, 0x18, 0x63, 0xa0, 0x82, 0x61, b'a', 0xa2];
    b.extend([0x01, 0x63, b'o', b'n', b'e', 0x02, 0x63, b't', b'w', b'o']);
    b
}

#[test]
fn cbor_integer_keys_are_kept_forwarded_and_refused_only_as_values() {
    let bytes = event_with_integer_keys();
    let full = Serializer::Cbor.decode(&bytes).unwrap_err();
    assert_eq!(full.to_string(), "EVENT.args[1]: expected string keys, got key integer 1");
    let Message::Event(event) = Serializer::Cbor.decode_kept(&bytes).unwrap() else { panic!("an EVENT") };
    assert_eq!((event.subscription, event.publication), (5, 99));
    // Written back in CBOR, the arguments are the same bytes.
    let again = Serializer::Cbor.encode(&Message::Event(event.clone())).unwrap();
    assert_eq!(again, bytes);
    let Payload::Kept(args) = &event.payload else { panic!("kept") };
    assert_eq!(args.args().unwrap_err(), full);
    assert_eq!(args.arg::<String>(0).unwrap().as_deref(), Some("a"));
    let map: std::collections::BTreeMap<i64, String> = args.arg(1).unwrap().unwrap();
    assert_eq!(map[&2], "two");
    assert_eq!(args.arg::<i64>(2).unwrap(), None);
    let err = args.arg::<i64>(0).unwrap_err();
    assert_eq!((err.type_name(), err.path()), ("EVENT", "args[0]"));
    // In another format, or as values, it cannot be written.
    assert!(Serializer::Json.encode(&Message::Event(event.clone())).is_err());
    assert_eq!(event.payload.decoded().unwrap_err(), full);
    // MessagePack's decoder in autobahn refuses integer keys (`strict_map_key`): so does the kept path.
    let msgpack = [0x95, 0x24, 0x05, 0x63, 0x80, 0x91, 0x81, 0x01, 0xa1, b'x'];
    let err = Serializer::MsgPack.decode_kept(&msgpack).unwrap_err();
    assert_eq!(err, Serializer::MsgPack.decode(&msgpack).unwrap_err());
    assert_eq!(err.to_string(), "EVENT.args[0]: expected string keys, got key integer 1");
}

/// A null map key (CBOR, which autobahn's decoder reads as `None`): kept
/// and forwarded, and refused as a value with its path, on both paths, as
/// an integer key is. In a value a message ignores it is refused as any
/// key but a string or byte string is.
#[test]
fn cbor_null_keys_are_kept_and_refused_as_values_with_their_path() {
    // [16, 1, {}, "com.myapp.topic1", [{null: 1}]]
    let mut publish = vec![0x85, 0x10, 0x01, 0xa0, 0x70];
    publish.extend_from_slice(b"com.myapp.topic1");
    publish.extend_from_slice(&[0x81, 0xa1, 0xf6, 0x01]);
    let full = Serializer::Cbor.decode(&publish).unwrap_err();
    assert_eq!(full.to_string(), "PUBLISH.args[0]: expected string keys, got key null");
    let kept = Serializer::Cbor.decode_kept(&publish).unwrap();
    assert_eq!(Serializer::Cbor.encode(&kept).unwrap(), publish);
    let Message::Publish(p) = kept else { panic!("a PUBLISH") };
    let Payload::Kept(args) = &p.payload else { panic!("kept") };
    assert_eq!(args.args().unwrap_err(), full);
    // [16, 1, {"x": {null: 1}}, "com.myapp.topic1"]
    let mut ignored = vec![0x84, 0x10, 0x01, 0xa1, 0x61, b'x', 0xa1, 0xf6, 0x01, 0x70];
    ignored.extend_from_slice(b"com.myapp.topic1");
    let err = Serializer::Cbor.decode(&ignored).unwrap_err();
    assert_eq!(err.to_string(), r#"PUBLISH.options["x"]: expected string or byte string keys, got key null"#);
    assert_eq!(Serializer::Cbor.decode_kept(&ignored).unwrap_err(), err);
}

#[test]
fn a_call_is_forwarded_as_an_invocation_with_its_arguments_copied() {
    for format in Format::ALL {
        let ser = serializer(format);
        let call = wamp_types::CallMessage {
            request: 7,
            options: wamp_types::CallMessageOptions { timeout: Some(100), ..Default::default() },
            procedure: "com.example.add".into(),
            payload: Payload::args_kwargs(vec![Value::from(1), Value::from("x")], [("k", Value::from(2.5))].into_iter().collect()),
        };
        let bytes = ser.encode(&Message::Call(call.clone())).unwrap();
        let mut out = Vec::new();
        forward(ser, &bytes, &mut out).unwrap();
        wamp_tests::kept::check_forward(ser, &bytes, &out).unwrap();
        let Message::Invocation(inv) = ser.decode(&out).unwrap() else { panic!("an INVOCATION") };
        assert_eq!((inv.details.timeout, inv.payload), (Some(100), call.payload.clone()));
        // The arguments' bytes are in the output as they were in the input.
        let Message::Call(kept) = ser.decode_kept(&bytes).unwrap() else { panic!("a CALL") };
        let Payload::Kept(k) = &kept.payload else { panic!("kept") };
        let args = k.args_bytes().unwrap();
        assert!(out.windows(args.len()).any(|w| w == args), "{format:?}");
        // Transcoded into the other formats, the same message.
        for other in Serializer::ALL {
            let written = other.encode(&Message::Call(kept.clone())).unwrap();
            assert_eq!(other.decode(&written).unwrap(), Message::Call(call.clone()), "{format:?} to {other:?}");
        }
    }
}

#[test]
fn kept_arguments_decode_into_values_and_user_types() {
    let bytes = br#"[48, 1, {}, "com.example.f", [1, "two", [3]], {"k": true}]"#;
    let Message::Call(call) = Serializer::Json.decode_kept(bytes).unwrap() else { panic!("a CALL") };
    let Payload::Kept(k) = &call.payload else { panic!("kept") };
    assert_eq!(k.format(), Serializer::Json);
    assert_eq!(k.args_bytes(), Some(&br#"[1, "two", [3]]"#[..]));
    assert_eq!(k.args().unwrap().unwrap(), vec![Value::from(1), Value::from("two"), Value::List(vec![Value::from(3)])]);
    assert_eq!(k.kwargs().unwrap().unwrap()["k"], Value::Bool(true));
    let (a, b, c): (u8, String, Vec<i32>) = k.args_as().unwrap();
    assert_eq!((a, b.as_str(), c), (1, "two", vec![3]));
    assert!(k.kwargs_as::<std::collections::HashMap<String, bool>>().unwrap()["k"]);
    let err = k.arg::<u8>(1).unwrap_err();
    assert_eq!((err.type_name(), err.path()), ("CALL", "args[1]"));
    assert!(err.to_string().starts_with("CALL.args[1]: expected u8, got invalid type: string \"two\""), "{err}");
    // `marshal` and serde see the decoded arguments.
    assert_eq!(
        call.clone().payload.decoded().unwrap(),
        Serializer::Json
            .decode(bytes)
            .map(|m| match m {
                Message::Call(c) => c.payload,
                _ => unreachable!(),
            })
            .unwrap()
    );
    assert_eq!(serde_json::to_string(&call).unwrap(), r#"[48,1,{},"com.example.f",[1,"two",[3]],{"k":true}]"#);
    // Empty arguments are left out, as the full decode leaves them out.
    let Message::Call(empty) = Serializer::Json.decode_kept(br#"[48, 1, {}, "p", [], {}]"#).unwrap() else { panic!() };
    assert_eq!(empty.payload, Payload::default());
}

#[test]
fn serializers_name_their_formats_and_give_structured_errors() {
    assert_eq!(Serializer::from_subprotocol("wamp.2.msgpack"), Some(Serializer::MsgPack));
    assert_eq!(Serializer::ALL.map(Serializer::subprotocol), ["wamp.2.json", "wamp.2.msgpack", "wamp.2.cbor"]);
    assert_eq!(Serializer::ALL.map(Serializer::is_binary), [false, true, true]);
    assert!(Serializer::ALL.iter().all(|s| s.is_enabled()));
    let err = Serializer::Json.decode(br#"[48, 8, {"timeout": 2.5}, "com.myapp.add2"]"#).unwrap_err();
    assert_eq!((err.type_name(), err.path(), err.expected(), err.got()), ("CALL", "options.timeout", "integer", "float 2.5"));
    let err = Serializer::Json.decode_kept(br#"[48, 8, {"timeout": 2.5}, "com.myapp.add2", [1]]"#).unwrap_err();
    assert_eq!(err.to_string(), "CALL.options.timeout: expected integer, got float 2.5");
    // A format's own error comes back as its text.
    let err = Serializer::MsgPack.decode(&[0x91]).unwrap_err();
    assert_eq!((err.type_name(), err.expected()), ("value", "well-formed input"));
    // MessagePack: nothing may follow the message, as `msgpack.unpackb` refuses it.
    assert!(Serializer::MsgPack.decode(&[0x92, 0x06, 0x80, 0x00]).is_err());
    assert!(Serializer::MsgPack.decode_kept(&[0x95, 0x24, 0x05, 0x06, 0x80, 0x90, 0x00]).is_err());
}

#[test]
fn payloads_of_16_mib_are_kept_and_forwarded() {
    let big = "x".repeat(16 << 20);
    for format in Format::ALL {
        let ser = serializer(format);
        let publish = wamp_types::PublishMessage {
            request: 1,
            options: Default::default(),
            topic: "com.example.t".into(),
            payload: Payload::args(vec![Value::Str(big.clone())]),
        };
        let bytes = ser.encode(&Message::Publish(publish)).unwrap();
        let mut out = Vec::new();
        forward(ser, &bytes, &mut out).unwrap();
        let Message::Event(e) = ser.decode_kept(&out).unwrap() else { panic!("an EVENT") };
        let Payload::Kept(k) = &e.payload else { panic!("kept") };
        assert_eq!(k.arg::<String>(0).unwrap().map(|s| s.len()), Some(16 << 20));
        // Cut anywhere, refused as the full decode refuses it.
        for cut in [1, 100, bytes.len() / 2, bytes.len() - 1] {
            kept_agrees(format, &bytes[..cut]).unwrap();
        }
    }
}

/// A MessagePack string that is not UTF-8 refuses the frame wherever it
/// is (autobahn's msgpack decoder raises `UnicodeDecodeError`): in the
/// arguments, in a value a message ignores, in a position. rmp-serde alone
/// would read it as a byte string.
#[test]
fn msgpack_strings_that_are_not_utf8_refuse_the_frame() {
    // [16, 1, {}, "a.b", ["a\xc0b"]], [16, 1, {"x": ["\xff"]}, "a.b"]
    let frames: [&[u8]; 2] = [
        &[0x95, 0x10, 0x01, 0x80, 0xa3, b'a', b'.', b'b', 0x91, 0xa3, b'a', 0xc0, b'b'],
        &[0x94, 0x10, 0x01, 0x81, 0xa1, b'x', 0x91, 0xa1, 0xff, 0xa3, b'a', b'.', b'b'],
    ];
    for frame in frames {
        let err = Serializer::MsgPack.decode(frame).unwrap_err();
        assert!(err.to_string().starts_with("value: expected MessagePack strings of UTF-8, got a string that is not UTF-8"), "{err}");
        assert_eq!(Serializer::MsgPack.decode_kept(frame).unwrap_err(), err);
    }
    // Where a string must be, the field says so first: [16, 1, {}, "a\xffb"].
    let topic = [0x94, 0x10, 0x01, 0x80, 0xa3, b'a', 0xff, b'b'];
    let err = Serializer::MsgPack.decode(&topic).unwrap_err();
    assert_eq!(err.to_string(), "PUBLISH.topic: expected string, got bytes (length 3)");
    assert_eq!(Serializer::MsgPack.decode_kept(&topic).unwrap_err(), err);
    // The same string as a byte string (`bin 8`) is an argument like any other.
    let bin = [0x95, 0x10, 0x01, 0x80, 0xa3, b'a', b'.', b'b', 0x91, 0xc4, 0x03, b'a', 0xc0, b'b'];
    let kept = Serializer::MsgPack.decode_kept(&bin).unwrap();
    assert_eq!(Serializer::MsgPack.encode(&kept).unwrap(), bin);
    let Message::Publish(p) = Serializer::MsgPack.decode(&bin).unwrap() else { panic!("a PUBLISH") };
    assert_eq!(p.payload.args_list(), Some(&vec![Value::Bytes(vec![b'a', 0xc0, b'b'])]));
}
