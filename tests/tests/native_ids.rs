//! The IDs a message carries are `u64`, and so are the message codes and
//! ERROR's request type: a client that counts its request IDs in a `u64`
//! builds every request and matches every reply without a cast (this file
//! has none), and a callee answers with the ID the dealer chose.

use std::collections::HashMap;

use wamp_types::{
    CallMessage, CallOptions, CancelMessage, ErrorMessage, EventMessage, EventReceivedMessage, InvocationMessage, Message, Payload,
    PublishMessage, PublishOptions, RegisterMessage, RegisterOptions, SubscribeMessage, SubscribeOptions, UnregisterMessage, UnsubscribeMessage,
    Value, YieldMessage,
};

/// What a client remembers of a request it sent, until the reply comes.
#[derive(Debug, PartialEq)]
enum Pending {
    Call,
    Subscribe,
    Publish,
    Register,
    Unsubscribe,
    Unregister,
}

/// The requests a client has sent, by request ID.
#[derive(Default)]
struct Client {
    last: u64,
    pending: HashMap<u64, (u64, Pending)>,
}

impl Client {
    /// The next request ID, remembered with the code of the request and what it was.
    fn next(&mut self, code: u64, what: Pending) -> u64 {
        self.last += 1;
        self.pending.insert(self.last, (code, what));
        self.last
    }

    /// The request a reply answers, if the client sent it; `code` is the
    /// code of the request an ERROR names, or `None` for a success.
    fn answer(&mut self, request: u64, code: Option<u64>) -> Option<Pending> {
        let (sent, what) = self.pending.remove(&request)?;
        assert!(code.is_none_or(|c| c == sent), "the ERROR names request {request} as code {code:?}, the client sent code {sent}");
        Some(what)
    }

    /// Reads a reply and finds the request it answers.
    fn reply(&mut self, json: &str) -> Option<Pending> {
        match serde_json::from_str::<Message>(json).unwrap() {
            Message::Result(m) => self.answer(m.request, None),
            Message::Subscribed(m) => self.answer(m.request, None),
            Message::Published(m) => self.answer(m.request, None),
            Message::Registered(m) => self.answer(m.request, None),
            Message::Unsubscribed(m) => self.answer(m.request, None),
            Message::Unregistered(m) => self.answer(m.request, None),
            Message::Error(m) => self.answer(m.request, Some(m.request_type)),
            other => panic!("not a reply: {}", other.name()),
        }
    }
}

#[test]
fn a_client_counting_in_u64_builds_every_request_and_matches_every_reply() {
    let mut client = Client::default();
    // Requests built by the bridge functions, from the options types.
    let call = CallMessage::from_options(
        client.next(CallMessage::CODE, Pending::Call),
        "com.example.add",
        Payload::args(vec![Value::from(2), Value::from(3)]),
        &CallOptions::default(),
    )
    .unwrap();
    let subscribe = SubscribeMessage::from_options(
        client.next(SubscribeMessage::CODE, Pending::Subscribe),
        "com.example.news",
        &SubscribeOptions::default(),
    )
    .unwrap();
    let publish = PublishMessage::from_options(
        client.next(PublishMessage::CODE, Pending::Publish),
        "com.example.news",
        Payload::args(vec![Value::from("hi")]),
        &PublishOptions { acknowledge: Some(true), ..Default::default() },
    )
    .unwrap();
    let register =
        RegisterMessage::from_options(client.next(RegisterMessage::CODE, Pending::Register), "com.example.add", &RegisterOptions::default())
            .unwrap();
    // Requests built as structs, with IDs the router gave (`u64` too).
    let (subscription, registration) = (5_u64, 9_u64);
    let unsubscribe =
        UnsubscribeMessage { request: client.next(UnsubscribeMessage::CODE, Pending::Unsubscribe), subscription, options: Default::default() };
    let unregister =
        UnregisterMessage { request: client.next(UnregisterMessage::CODE, Pending::Unregister), registration, options: Default::default() };
    let cancel = CancelMessage { request: call.request, options: Default::default() };

    let sent: Vec<Message> = vec![call.into(), subscribe.into(), publish.into(), register.into(), unsubscribe.into(), unregister.into()];
    let wire: Vec<String> = sent.iter().map(|m| serde_json::to_string(m).unwrap()).collect();
    assert_eq!(wire[0], r#"[48,1,{},"com.example.add",[2,3]]"#);
    assert_eq!(wire[4], r#"[34,5,5]"#);
    assert_eq!(serde_json::to_string(&cancel).unwrap(), r#"[49,1,{}]"#);

    // The replies, in another order, matched by request ID; the ERROR
    // names its request's code, compared with the message's `CODE`.
    assert_eq!(client.reply(r#"[33, 2, 5]"#), Some(Pending::Subscribe));
    assert_eq!(client.reply(r#"[8, 48, 1, {}, "wamp.error.no_such_procedure"]"#), Some(Pending::Call));
    assert_eq!(client.reply(r#"[17, 3, 77]"#), Some(Pending::Publish));
    assert_eq!(client.reply(r#"[65, 4, 9]"#), Some(Pending::Register));
    assert_eq!(client.reply(r#"[35, 5]"#), Some(Pending::Unsubscribe));
    assert_eq!(client.reply(r#"[67, 6]"#), Some(Pending::Unregister));
    assert_eq!(client.reply(r#"[50, 1, {}]"#), None, "request 1 was answered already");
    assert!(client.pending.is_empty());
}

#[test]
fn message_codes_and_the_request_type_of_error_share_one_type() {
    let Message::Error(error) = serde_json::from_slice(br#"[8, 48, 7, {}, "wamp.error.canceled"]"#).unwrap() else { panic!("an ERROR") };
    assert!(CallMessage::CODE == error.request_type);
    assert_ne!(error.request_type, RegisterMessage::CODE);
    // An ERROR for an INVOCATION, as a callee builds it.
    let answer = ErrorMessage {
        request_type: InvocationMessage::CODE,
        request: 1,
        details: Default::default(),
        error: "wamp.error.invalid_argument".into(),
        payload: Payload::default(),
    };
    assert_eq!(serde_json::to_string(&answer).unwrap(), r#"[8,68,1,{},"wamp.error.invalid_argument"]"#);
}

#[test]
fn a_callee_and_a_subscriber_answer_with_the_ids_they_were_given() {
    let Message::Invocation(invocation) = serde_json::from_slice(br#"[68, 9007199254740992, 9, {}, [1, 2]]"#).unwrap() else {
        panic!("an INVOCATION")
    };
    let answer = YieldMessage { request: invocation.request, options: Default::default(), payload: Payload::args(vec![Value::from(3)]) };
    assert_eq!(serde_json::to_string(&answer).unwrap(), r#"[70,9007199254740992,{},[3]]"#);

    let Message::Event(event) = serde_json::from_slice::<Message>(br#"[36, 5, 77, {"x_acknowledged_delivery": true}]"#).unwrap() else {
        panic!("an EVENT")
    };
    let event: EventMessage = event;
    let received = EventReceivedMessage { publication: event.publication };
    assert_eq!(serde_json::to_string(&received).unwrap(), "[337,77]");
}

#[test]
fn ids_past_2_pow_53_and_negative_ones_are_refused_as_before() {
    for (json, want) in [
        ("[33, 2, 9007199254740993]", "SUBSCRIBED.subscription: expected an ID (an integer from 0 to 2^53), got integer 9007199254740993"),
        ("[33, -1, 5]", "SUBSCRIBED.request: expected an ID (an integer from 0 to 2^53), got integer -1"),
        (r#"[8, -48, 1, {}, "wamp.error.x"]"#, "ERROR.request_type: expected one of 16, 32, 34, 48, 64, 66, 68, got integer -48"),
        (r#"[64, 1, {"concurrency": -1}, "p"]"#, "REGISTER.options.concurrency: expected a number greater than 0, got integer -1"),
        (r#"[48, 1, {"timeout": -1}, "p"]"#, "CALL.options.timeout: expected a number greater than -1, got integer -1"),
    ] {
        let from_bytes = serde_json::from_str::<Message>(json).map_err(wamp_types::Error::from_serde).unwrap_err();
        assert_eq!(from_bytes.to_string(), want, "{json}");
        let value: Value = serde_json::from_str(json).unwrap();
        assert_eq!(Message::parse(&value).unwrap_err().to_string(), want, "{json}");
    }
}
