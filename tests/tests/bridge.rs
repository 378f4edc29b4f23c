//! The session bridge beyond the vectors: the cases autobahn's session
//! reaches that the recorded lines do not (WELCOME, encoded payloads,
//! keywords that `CallResult` takes out of `**kwargs`), and the errors.

use wamp_types::*;

fn value(json: &str) -> Value {
    wamp_tests::from_json(&serde_json::from_str(json).expect("json")).expect("value")
}

fn subscription(topic: &str) -> Subscription {
    Subscription { id: Some(5), topic: Some(topic.to_owned()), ..Default::default() }
}

#[test]
fn call_from_options_checks_the_options_as_the_call_message_does() {
    let opts = CallOptions { timeout: Some(Number::Float(2.5)), ..Default::default() };
    let err = CallMessage::from_options(1, "com.example.add", Payload::default(), &opts).unwrap_err();
    assert_eq!(err.to_string(), "CALL.options.timeout: expected integer, got float 2.5");

    let opts = CallOptions { timeout: Some(Number::Int(10)), on_progress: Some(Callback::noop()), ..Default::default() };
    let call = CallMessage::from_options(7, "com.example.add", Payload::args(vec![Value::Int(1)]), &opts).expect("valid");
    assert_eq!(call.options.timeout, Some(10));
    assert_eq!(call.options.receive_progress, Some(true));
    assert_eq!(call.marshal(), value(r#"[48, 7, {"timeout": 10, "receive_progress": true}, "com.example.add", [1]]"#));
    assert_eq!(Message::parse(&call.marshal()), Ok(Message::Call(call)));
}

#[test]
fn outgoing_takes_the_uri_as_given_as_autobahns_constructors_do() {
    let sub = SubscribeMessage::from_options(1, "not a uri", &SubscribeOptions::default()).expect("no URI check");
    assert_eq!(sub.marshal(), value(r#"[32, 1, {}, "not a uri"]"#));
    assert!(Message::parse(&sub.marshal()).is_err(), "reading it back checks the URI");
    let opts = RegisterOptions { match_policy: Some(MatchPolicy::Prefix), concurrency: Some(2), ..Default::default() };
    let reg = RegisterMessage::from_options(2, "com.example.", &opts).expect("valid");
    assert_eq!(reg.marshal(), value(r#"[64, 2, {"match": "prefix", "concurrency": 2}, "com.example."]"#));
}

#[test]
fn outgoing_checks_an_encoded_payload() {
    let encoded = |algo: Option<&str>, key: Option<&str>| Payload::Encoded {
        payload: vec![1, 2],
        enc_algo: algo.map(str::to_owned),
        enc_key: key.map(str::to_owned),
        enc_serializer: Some("json".to_owned()),
    };
    let opts = PublishOptions { acknowledge: Some(true), ..Default::default() };
    let publish = PublishMessage::from_options(3, "com.example.topic", encoded(Some("cryptobox"), None), &opts).expect("valid");
    assert_eq!(
        publish.marshal(),
        value(r#"[16, 3, {"acknowledge": true, "enc_algo": "cryptobox", "enc_serializer": "json"}, "com.example.topic", {"$bytes": "0102"}]"#)
    );
    let err = PublishMessage::from_options(3, "t", encoded(Some("aes"), None), &opts).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"PUBLISH.options.enc_algo: expected a payload algorithm (`cryptobox`, `mqtt`, `xbr` or `x_...`), got string "aes""#
    );
    let err = PublishMessage::from_options(3, "t", encoded(None, Some("k")), &opts).unwrap_err();
    assert!(err.to_string().starts_with("PUBLISH.options.enc_algo: expected a payload algorithm, since"), "{err}");
}

#[test]
fn event_details_take_the_topic_of_the_event_or_else_of_the_subscription() {
    let event = EventMessage::parse(&value(r#"[36, 5, 99, {"topic": "com.example.a.b", "publisher": 3}, [1]]"#)).expect("valid");
    let details = EventDetails::from_event(&event, &subscription("com.example."));
    assert_eq!(details.topic.as_deref(), Some("com.example.a.b"));
    assert_eq!((details.publication, details.publisher), (99, Some(3)));
    assert_eq!(details.subscription, subscription("com.example."));

    // `msg.topic or subscription.topic`: an empty topic is false in Python.
    let event = EventMessage::parse(&value(r#"[36, 5, 99, {"topic": ""}]"#)).expect("valid");
    assert_eq!(EventDetails::from_event(&event, &subscription("com.example.x")).topic.as_deref(), Some("com.example.x"));
    let unnamed = Subscription { id: Some(5), ..Default::default() };
    assert_eq!(EventDetails::from_event(&event, &unnamed).topic, None);
}

#[test]
fn event_details_of_an_encoded_event_name_its_algorithm() {
    let event =
        EventMessage::parse(&value(r#"[36, 5, 99, {"enc_algo": "cryptobox", "enc_serializer": "cbor"}, {"$bytes": "00"}]"#)).expect("valid");
    assert_eq!(EventDetails::from_event(&event, &subscription("t")).enc_algo.as_deref(), Some("cryptobox"));
}

#[test]
fn call_details_carry_progress_only_when_the_caller_asked() {
    let registration = Registration { id: Some(4), procedure: Some("com.example.".to_owned()), ..Default::default() };
    let progress = Callback::noop();
    let invocation = |details: &str| InvocationMessage::parse(&value(&format!("[68, 1, 4, {details}]"))).expect("valid");

    let d = CallDetails::from_invocation(
        &invocation(r#"{"receive_progress": true, "procedure": "com.example.add"}"#),
        &registration,
        Some(&progress),
    );
    assert_eq!(d.progress, Some(progress.clone()));
    assert_eq!(d.procedure.as_deref(), Some("com.example.add"));

    let d = CallDetails::from_invocation(&invocation(r#"{"receive_progress": false}"#), &registration, Some(&progress));
    assert_eq!(d.progress, None);
    assert_eq!(d.procedure.as_deref(), Some("com.example."));

    // D4: the hops are kept.
    let d =
        CallDetails::from_invocation(&invocation(r#"{"forward_for": [{"session": 1, "authid": null, "authrole": "r"}]}"#), &registration, None);
    assert_eq!(d.forward_for.map(|f| f.len()), Some(1));
}

#[test]
fn call_result_splats_the_keywords_as_python_does() {
    let result = |json: &str| ResultMessage::parse(&value(json)).expect("valid");

    let r =
        CallResult::from_result(&result(r#"[50, 1, {"callee": 9}, [1, 2], {"x": 1, "results": 2, "enc_algo": "cryptobox"}]"#)).expect("valid");
    assert_eq!(r.results, vec![Value::Int(1), Value::Int(2)]);
    assert_eq!(Value::Map(r.kwresults), value(r#"{"x": 1, "results": 2}"#), "`results` is `*results`, so the keyword stays a keyword");
    assert_eq!(r.enc_algo.as_deref(), Some("cryptobox"), "CallResult takes `enc_algo` out of its keywords");
    assert_eq!(r.callee, Some(9));

    let r = CallResult::from_result(&result(r#"[50, 1, {}, [], {"enc_algo": null}]"#)).expect("null is unset");
    assert_eq!((r.enc_algo, r.results.len(), r.kwresults.len()), (None, 0, 0));

    let err = CallResult::from_result(&result(r#"[50, 1, {}, [], {"callee": 5}]"#)).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"RESULT.kwargs["callee"]: expected a keyword other than `callee`, `callee_authid`, `callee_authrole`, `forward_for` and `self`, which are given already, got the keyword `callee` a second time"#
    );
    assert!(CallResult::from_result(&result(r#"[50, 1, {}, [], {"self": 1}]"#)).is_err());
    let err = CallResult::from_result(&result(r#"[50, 1, {}, [], {"enc_algo": 5}]"#)).unwrap_err();
    assert_eq!(err.to_string(), r#"RESULT.kwargs["enc_algo"]: expected string, got integer 5"#);
}

#[test]
fn session_details_from_welcome_as_autobahns_session_fills_them() {
    let welcome =
        |details: &str| WelcomeMessage::parse(&value(&format!(r#"[2, 77, {{"roles": {{"broker": {{}}}}{details}}}]"#))).expect("valid");
    let transport = TransportDetails { channel_type: Some(ChannelType::Tcp), ..Default::default() };

    let w = welcome(r#", "realm": "realm1", "authid": "joe", "authrole": "user", "resumable": true, "resume_token": "t""#);
    let d = SessionDetails::from_welcome(&w, Some("asked"), ChannelSerializer::Json, Some(&transport));
    assert_eq!(d.realm.as_deref(), Some("realm1"));
    assert_eq!((d.session, d.authid.as_deref(), d.authrole.as_deref()), (Some(77), Some("joe"), Some("user")));
    assert_eq!((d.serializer.as_deref(), d.transport.as_ref()), (Some("json"), Some(&transport)));
    assert_eq!((d.resumed, d.resumable, d.resume_token), (Some(false), Some(false), None), "autobahn does not resume");

    let d = SessionDetails::from_welcome(&welcome(""), Some("asked"), ChannelSerializer::Cbor, None);
    assert_eq!(d.realm.as_deref(), Some("asked"));
    assert_eq!(SessionDetails::from_welcome(&welcome(""), None, ChannelSerializer::Json, None).realm, None);
    let marshalled = d.marshal();
    assert_eq!(marshalled.as_map().and_then(|m| m.get("serializer")), Some(&Value::from("cbor")));
}

#[test]
fn application_error_keeps_every_keyword_and_takes_who_from_the_details() {
    let error =
        ErrorMessage::parse(&value(r#"[8, 48, 7, {"callee": 3, "callee_authrole": "r"}, "com.example.oops", [1], {"callee": 5, "x": true}]"#))
            .expect("valid");
    let e = ApplicationError::from_error(&error);
    assert_eq!((e.error.as_str(), e.args.as_slice()), ("com.example.oops", &[Value::Int(1)][..]));
    // D10: the keyword `callee` stays a keyword; the field comes from the details.
    assert_eq!(Value::Map(e.kwargs.clone()), value(r#"{"callee": 5, "x": true}"#));
    assert_eq!((e.callee, e.callee_authrole.as_deref(), e.enc_algo), (Some(3), Some("r"), None));

    let bare = ApplicationError::from_error(&ErrorMessage::parse(&value(r#"[8, 32, 7, {}, "com.example.oops"]"#)).expect("valid"));
    assert_eq!((bare.args.len(), bare.kwargs.len()), (0, 0), "no arguments are empty ones, as autobahn's `ApplicationError(error)`");
}

#[test]
fn application_error_reads_as_autobahns_error_message() {
    let e = |args: &str| ApplicationError { args: value(args).into_list().expect("a list"), ..ApplicationError::new("com.example.oops".into()) };
    assert_eq!(e("[]").to_string(), "com.example.oops");
    assert_eq!(e(r#"["no such user", "joe"]"#).to_string(), "com.example.oops: no such user joe");
    assert_eq!(e(r#"[42, [1, "a"], {"k": null}]"#).to_string(), r#"com.example.oops: 42 [1,"a"] {"k":null}"#);
    let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(e(r#"["x"]"#));
    assert_eq!(boxed.to_string(), "com.example.oops: x");
}

#[test]
fn built_messages_are_checked_as_their_receiver_parses_them() {
    let result = CallResult { results: vec![Value::Int(1)], callee: Some(4), ..Default::default() };
    let y = YieldMessage::from_call_result(9, &result).expect("valid");
    assert_eq!(y.marshal(), value(r#"[70, 9, {"callee": 4}, [1]]"#));
    let err = YieldMessage::from_call_result(1 << 53 | 1, &result).unwrap_err();
    assert_eq!(err.to_string(), "YIELD.request: expected an ID (an integer from 0 to 2^53), got integer 9007199254740993");

    let e = ApplicationError::new("com.example.oops".into());
    let err = ErrorMessage::from_application_error(33, 1, &e).unwrap_err();
    assert!(err.to_string().starts_with("ERROR.request_type: "), "{err}");
    let err = ErrorMessage::from_application_error(48, 1, &ApplicationError::new("com..oops".into())).unwrap_err();
    assert!(err.to_string().starts_with("ERROR.error: "), "{err}");

    let roles: WelcomeRoles = serde_json::from_str(r#"{"broker": {}}"#).expect("roles");
    let accept = Accept { authrole: Some("user".into()), authmethod: Some("ticket".into()), ..Default::default() };
    let w = WelcomeMessage::from_accept(77, &roles, &accept).expect("valid");
    assert_eq!(w.marshal(), value(r#"[2, 77, {"authrole": "user", "authmethod": "ticket", "roles": {"broker": {}}}]"#));

    let c = ChallengeMessage::from_challenge(&Challenge::new("wampcra".into())).expect("valid");
    assert_eq!(c.marshal(), value(r#"[4, "wampcra", {}]"#));
}

#[test]
fn the_client_side_builds_what_autobahns_session_resolves_to() {
    let subscribed = SubscribedMessage::parse(&value("[33, 1, 5]")).expect("valid");
    let s = Subscription::from_subscribed(&subscribed, "com.example.");
    assert_eq!((s.id, s.topic.as_deref(), s.active), (Some(5), Some("com.example."), true));
    let registered = RegisteredMessage::parse(&value("[65, 1, 6]")).expect("valid");
    let r = Registration::from_registered(&registered, "com.example.add");
    assert_eq!((r.id, r.procedure.as_deref(), r.active), (Some(6), Some("com.example.add"), true));
    let published = PublishedMessage::parse(&value("[17, 1, 7]")).expect("valid");
    assert_eq!(Publication::from_published(&published, true), Publication { id: Some(7), was_encrypted: Some(true) });

    let abort = AbortMessage::parse(&value(r#"[3, {"message": "no"}, "wamp.error.no_such_realm"]"#)).expect("valid");
    let goodbye = GoodbyeMessage::parse(&value(r#"[6, {}, "wamp.close.normal"]"#)).expect("valid");
    let close = |reason: &str, message: Option<&str>| CloseDetails { reason: Some(reason.into()), message: message.map(Into::into) };
    assert_eq!(CloseDetails::from_abort(&abort), close("wamp.error.no_such_realm", Some("no")));
    assert_eq!(CloseDetails::from_goodbye(&goodbye), close("wamp.close.normal", None));
}

#[test]
fn hello_details_carry_the_roles_as_hello_carries_them() {
    let hello = HelloMessage::parse(&value(
        r#"[1, "realm1", {"roles": {"callee": {"features": {"shared_registration": true, "nonsense": 1}}}, "authid": "joe", "resumable": true, "resume-token": "t"}]"#,
    ))
    .expect("valid");
    let d = HelloDetails::from_hello(&hello, 12);
    assert_eq!(d.session_roles, Some(value(r#"{"callee": {"features": {"shared_registration": true}}}"#)));
    assert_eq!((d.realm.as_deref(), d.authid.as_deref(), d.pending_session), (Some("realm1"), Some("joe"), Some(12)));
    assert_eq!((d.resumable, d.resume_token), (None, None), "Crossbar.io does not pass resumption on");
}

#[test]
fn application_error_from_an_encoded_error_is_autobahns_without_a_payload_codec() {
    let error = ErrorMessage::parse(&value(
        r#"[8, 48, 7, {"callee": 3, "enc_algo": "cryptobox", "enc_serializer": "cbor"}, "com.example.oops", {"$bytes": "0102"}]"#,
    ))
    .expect("valid");
    let e = ApplicationError::from_error(&error);
    assert_eq!(e.error, "wamp.error.no_payload_codec");
    assert_eq!(e.args, vec![Value::from("received encoded payload, but no payload codec active")]);
    assert_eq!((e.kwargs.len(), e.enc_algo.as_deref(), e.callee), (0, Some("cryptobox"), Some(3)));
}

#[test]
fn truth_values_follow_python() {
    use wamp_types::runtime::Truthy;
    assert!(!"".truthy());
    assert!("a".truthy());
    assert!(!Some("").truthy());
    assert!(!None::<&str>.truthy());
    assert!(Some(&String::from("x")).truthy());
    assert!(!0i64.truthy());
    assert!((-1i64).truthy());
    assert!(!Number::Float(0.0).truthy());
    assert!(Number::Int(2).truthy());
    assert!(Flag::Int(1).truthy());
    assert!(!Flag::Float(0.0).truthy());
    assert!(!Vec::<Value>::new().truthy());
    assert!(!Map::new().truthy());
    assert!(!Value::Null.truthy());
    assert!(Value::List(vec![Value::Null]).truthy());
}
