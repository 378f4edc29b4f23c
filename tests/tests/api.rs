//! The generated API beyond parse and marshal: constructors, constants,
//! enum codes, derived values, conversions, the union, callbacks.

use wamp_tests::Format;
use wamp_types::*;

fn dict(json: &str) -> Value {
    wamp_tests::from_json(&serde_json::from_str(json).expect("json")).expect("value")
}

#[test]
fn close_details_constants() {
    assert_eq!(CloseDetails::REASON_DEFAULT, "wamp.close.normal");
    assert_eq!(CloseDetails::REASON_TRANSPORT_LOST, "wamp.close.transport_lost");
}

#[test]
fn transport_enums_have_autobahn_codes_and_strings() {
    assert_eq!(ChannelType::Tls.code(), 5);
    assert_eq!(ChannelType::from_code(4), Some(ChannelType::Tcp));
    assert_eq!(ChannelType::None.as_str(), "null");
    assert_eq!(ChannelFraming::Rawsocket.code(), 3);
    assert_eq!(ChannelSerializer::Flatbuffers.code(), 5);
    assert_eq!(ChannelSerializer::from_code(9), None);
    assert_eq!(ChannelSerializer::Cbor.to_string(), "cbor");
}

#[test]
fn channel_typeid_joins_the_three_strings() {
    let t = TransportDetails {
        channel_type: Some(ChannelType::Tcp),
        channel_framing: Some(ChannelFraming::Websocket),
        channel_serializer: Some(ChannelSerializer::Json),
        ..Default::default()
    };
    assert_eq!(t.channel_typeid(), "tcp-websocket-json");
    assert_eq!(TransportDetails::default().channel_typeid(), "null-null-null");
}

#[test]
fn channel_id_is_read_as_hex_and_written_as_lower_case_hex() {
    let upper = "AB".repeat(32);
    let t = TransportDetails::parse(&dict(&format!(r#"{{"channel_id": {{"tls-unique": "{upper}"}}}}"#))).expect("valid");
    assert_eq!(t.channel_id.as_ref().and_then(|m| m.get(&ChannelBinding::TlsUnique)), Some(&[0xab; 32]));
    let out = t.marshal();
    let id = out.as_map().and_then(|m| m.get("channel_id")).and_then(Value::as_map).and_then(|m| m.get("tls-unique"));
    assert_eq!(id, Some(&Value::Str("ab".repeat(32))));
    assert!(TransportDetails::parse(&dict(r#"{"channel_id": {"tls-unique": "abcd"}}"#)).is_err());
    assert!(TransportDetails::parse(&dict(r#"{"channel_id": {"tls-server-end-point": ""}}"#)).is_err());
}

#[test]
fn session_ident_from_call_details_prefers_the_first_forward_hop() {
    let call = CallDetails::parse(&dict(
        r#"{"registration": {"id": 1, "procedure": "p"}, "caller": 7, "caller_authid": "joe", "caller_authrole": "user"}"#,
    ))
    .expect("valid");
    let ident = SessionIdent::from_calldetails(&call).expect("role disclosed");
    assert_eq!((ident.session, ident.authid.as_deref(), ident.authrole.as_str()), (Some(7), Some("joe"), "user"));

    let mut forwarded = call.clone();
    forwarded.forward_for = Some(vec![ForwardFor { session: 9, authid: None, authrole: "router".into(), rest: Map::new() }]);
    let ident = SessionIdent::from_calldetails(&forwarded).expect("role in the hop");
    assert_eq!((ident.session, ident.authid, ident.authrole.as_str()), (Some(9), None, "router"));

    let anonymous = CallDetails::new(Registration::default());
    let err = SessionIdent::from_calldetails(&anonymous).expect_err("no role");
    assert_eq!(err.to_string(), "SessionIdent.authrole: expected string, got null");
}

#[test]
fn session_ident_from_event_details() {
    let event = EventDetails::parse(&dict(
        r#"{"subscription": {"id": 1, "topic": "t"}, "publication": 2, "publisher": 3, "publisher_authrole": "pub"}"#,
    ))
    .expect("valid");
    let ident = SessionIdent::from_eventdetails(&event).expect("role disclosed");
    assert_eq!((ident.session, ident.authrole.as_str()), (Some(3), "pub"));
}

#[test]
fn call_options_on_progress_asks_for_progressive_results() {
    let mut opts = CallOptions { timeout: Some(Number::Float(2.5)), ..Default::default() };
    assert_eq!(opts.message_attr(), dict(r#"{"timeout": 2.5}"#));
    opts.on_progress = Some(Callback::noop());
    assert_eq!(opts.message_attr(), dict(r#"{"timeout": 2.5, "receive_progress": true}"#));
    // A callback is set in code; data may only leave it unset.
    let err = CallOptions::parse(&dict(r#"{"on_progress": 1}"#)).expect_err("not data");
    assert!(err.to_string().starts_with("CallOptions.on_progress: expected null"), "{err}");
}

#[test]
fn details_keeps_what_was_given_and_reports_the_argument_in_effect() {
    let opts = SubscribeOptions::parse(&dict(r#"{"details": true}"#)).expect("valid");
    assert_eq!(opts.details_arg, None);
    assert_eq!(opts.effective_details_arg().as_deref(), Some("details"));
    assert_eq!(SubscribeOptions::parse(&opts.marshal()).expect("reads back"), opts);
    let err = RegisterOptions::parse(&dict(r#"{"details": false, "details_arg": "d"}"#)).expect_err("exclusive");
    assert_eq!(err.to_string(), r#"RegisterOptions.details_arg: expected null while details is set, got string "d""#);
}

#[test]
fn publication_calls_its_id_publication_id_in_autobahn_but_id_on_the_wire() {
    let p = Publication { id: Some(5), was_encrypted: Some(false) };
    assert_eq!(p.marshal(), dict(r#"{"id": 5, "was_encrypted": false}"#));
}

#[test]
fn hello_return_dict_form_names_the_answer() {
    let answers = [
        HelloReturn::from(Accept { authrole: Some("user".into()), ..Default::default() }),
        HelloReturn::from(Deny::default()),
        HelloReturn::from(Challenge::new("wampcra".into())),
    ];
    for answer in answers {
        let v = answer.marshal();
        assert_eq!(v.as_map().map(Map::len), Some(1));
        assert_eq!(HelloReturn::parse(&v).expect("reads back"), answer);
        for format in Format::ALL {
            let bytes = format.encode(&answer).expect("encodes");
            assert_eq!(format.decode::<HelloReturn>(&bytes).expect("decodes"), answer);
        }
    }
    let denied = HelloReturn::parse(&dict(r#"{"deny": {}}"#)).expect("valid");
    assert_eq!(denied, HelloReturn::Deny(Deny { reason: "wamp.error.not_authorized".into(), message: None }));
    let err = HelloReturn::parse(&dict(r#"{"challenge": {"method": 1}}"#)).expect_err("bad method");
    assert_eq!(err.to_string(), "HelloReturn.challenge.method: expected string, got integer 1");
    assert!(HelloReturn::parse(&dict(r#"{"accept": {}, "deny": {}}"#)).is_err());
}

#[test]
fn forward_for_entries_keep_keys_they_do_not_know() {
    let opts =
        SubscribeOptions::parse(&dict(r#"{"forward_for": [{"session": 1, "authid": null, "authrole": "r", "hop": "edge-1"}]}"#)).expect("valid");
    assert_eq!(opts.message_attr(), dict(r#"{"forward_for": [{"session": 1, "authid": null, "authrole": "r", "hop": "edge-1"}]}"#));
}

#[test]
fn errors_name_type_path_expected_and_got() {
    let err = PublishOptions::parse(&dict(
        r#"{"forward_for": [{"session": 1, "authid": "a", "authrole": "r"}, {"session": 2, "authid": "b", "authrole": null}]}"#,
    ))
    .expect_err("null role");
    assert_eq!(err.to_string(), "PublishOptions.forward_for[1].authrole: expected string, got null");
    assert_eq!((err.type_name(), err.path(), err.expected(), err.got()), ("PublishOptions", "forward_for[1].authrole", "string", "null"));
    let err = SessionIdent::parse(&dict(r#"{"authrole": "r", "extra": 1}"#)).expect_err("unknown key");
    assert_eq!(err.to_string(), r#"SessionIdent["extra"]: expected one of the keys session, authid, authrole, got an unknown key"#);
    let err = RegisterOptions::parse(&dict(r#"{"concurrency": 0}"#)).expect_err("not positive");
    assert_eq!(err.to_string(), "RegisterOptions.concurrency: expected a number greater than 0, got integer 0");
}

#[test]
fn force_reregister_admits_what_python_counts_as_a_boolean() {
    // autobahn checks `force_reregister in [None, True, False]`, and in Python `1 == True`.
    for (given, set) in [("true", true), ("1", true), ("0.0", false), ("false", false)] {
        let opts = RegisterOptions::parse(&dict(&format!(r#"{{"force_reregister": {given}}}"#))).expect("admitted");
        assert_eq!(opts.force_reregister.map(Flag::is_true), Some(set));
        assert_eq!(opts.message_attr(), dict(&format!(r#"{{"force_reregister": {given}}}"#)), "passed on as given");
    }
    for refused in ["2", "0.5", "\"yes\"", "[]"] {
        let err = RegisterOptions::parse(&dict(&format!(r#"{{"force_reregister": {refused}}}"#))).expect_err("refused");
        assert!(err.to_string().starts_with("RegisterOptions.force_reregister: expected boolean (or a number equal to 0 or 1)"), "{err}");
    }
    let opts = RegisterOptions { force_reregister: Some(true.into()), ..Default::default() };
    assert_eq!(opts.message_attr(), dict(r#"{"force_reregister": true}"#));
}

#[test]
fn enums_read_and_write_their_wire_strings() {
    use std::str::FromStr;
    assert_eq!(MatchPolicy::from_str("prefix"), Ok(MatchPolicy::Prefix));
    assert_eq!("wildcard".parse::<MatchPolicy>(), Ok(MatchPolicy::Wildcard));
    assert_eq!(InvokePolicy::Roundrobin.as_str(), "roundrobin");
    assert_eq!(InvokePolicy::Roundrobin.to_string(), "roundrobin");
    assert_eq!(MatchPolicy::ALL, [MatchPolicy::Exact, MatchPolicy::Prefix, MatchPolicy::Wildcard]);
    assert_eq!(InvokePolicy::ALL.iter().map(|p| p.as_str()).collect::<Vec<_>>(), ["single", "first", "last", "roundrobin", "random"]);
    assert_eq!("null".parse::<ChannelType>(), Ok(ChannelType::None));

    let err = "regex".parse::<MatchPolicy>().unwrap_err();
    assert_eq!(err.to_string(), r#"MatchPolicy: expected one of "exact", "prefix", "wildcard", got string "regex""#);
    assert_eq!((err.type_name(), err.path(), err.got()), ("MatchPolicy", "", r#"string "regex""#));
    // Wire strings are matched exactly, as autobahn compares them.
    assert!("Prefix".parse::<MatchPolicy>().is_err());
    assert!(" exact".parse::<MatchPolicy>().is_err());

    fn round_trip<T: FromStr<Err = Error> + std::fmt::Display + std::fmt::Debug + PartialEq + Copy>(all: &[T], as_str: fn(T) -> &'static str) {
        assert!(!all.is_empty());
        for &v in all {
            assert_eq!(as_str(v).parse::<T>(), Ok(v));
            assert_eq!(v.to_string(), as_str(v));
        }
    }
    round_trip(MatchPolicy::ALL, MatchPolicy::as_str);
    round_trip(InvokePolicy::ALL, InvokePolicy::as_str);
    round_trip(ChannelType::ALL, ChannelType::as_str);
    round_trip(ChannelFraming::ALL, ChannelFraming::as_str);
    round_trip(ChannelSerializer::ALL, ChannelSerializer::as_str);
    round_trip(ChannelBinding::ALL, ChannelBinding::as_str);
    assert_eq!(ChannelSerializer::ALL.len(), 6);
}
