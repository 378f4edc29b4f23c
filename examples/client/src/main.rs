//! An example WAMP client on `wamp-types`, tokio and tokio-tungstenite.
//!
//! For each format (JSON, MessagePack, CBOR) it joins a realm and runs calls,
//! publications and subscriptions against the autobahn-python component in
//! `router/component.py`, checking what comes back and printing one line per
//! step. `interop.sh` runs it against Crossbar.io.
//!
//! ```text
//! wamp-example-client [URL [REALM [FORMAT...]]]
//! ```

mod session;

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use session::{BoxError, Session};
use wamp_types::{
    ApplicationError, CallDetails, CallMessage, CallOptions, CallResult, Callback, CloseDetails, EventDetails, EventMessage, GoodbyeMessage,
    HelloMessage, HelloMessageDetails, HelloRoles, Map, Message, Payload, PublishMessage, PublishOptions, RegisterMessage, RegisterOptions,
    Registration, Serializer, SessionDetails, SubscribeMessage, SubscribeOptions, Subscription, UnregisterMessage, UnsubscribeMessage, Value,
    YieldMessage,
};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|a| a.starts_with('-')) {
        eprintln!("usage: wamp-example-client [URL [REALM [json|msgpack|cbor ...]]]");
        return ExitCode::from(2);
    }
    let url = args.first().map_or("ws://127.0.0.1:8080/ws", String::as_str);
    let realm = args.get(1).map_or("realm1", String::as_str);
    let mut formats = Vec::new();
    for name in args.iter().skip(2) {
        match Serializer::ALL.into_iter().find(|f| f.name() == name) {
            Some(format) => formats.push(format),
            None => {
                eprintln!("unknown format {name:?}: json, msgpack or cbor");
                return ExitCode::from(2);
            }
        }
    }
    if formats.is_empty() {
        formats = Serializer::ALL.to_vec();
    }

    let mut tally = Tally::default();
    for format in formats {
        run(url, realm, format, &mut tally).await;
    }
    println!("interop: {} passed, {} failed", tally.passed, tally.failed);
    if tally.failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

/// One session in one format: every step, in order.
async fn run(url: &str, realm: &str, format: Serializer, tally: &mut Tally) {
    let mut s = match Session::connect(url, format).await {
        Ok(s) => s,
        Err(e) => return tally.record(format, "connect", Err(e)),
    };
    let joined = join(&mut s, realm).await;
    let ok = joined.is_ok();
    tally.record(format, "hello, welcome", joined);
    if !ok {
        return;
    }
    tally.record(format, "call", call(&mut s).await);
    tally.record(format, "call, application error", call_error(&mut s).await);
    tally.record(format, "call, progressive results", call_progressive(&mut s).await);
    tally.record(format, "subscribe, 3 events, unsubscribe", three_events(&mut s).await);
    tally.record(format, "publish, acknowledged", publish(&mut s).await);
    tally.record(format, "register, invocation, yield, unregister", invocation(&mut s).await);
    tally.record(format, "call, no such procedure", no_such_procedure(&mut s).await);
    edge_cases(&mut s, tally).await;
    tally.record(format, "goodbye", goodbye(s).await);
}

async fn join(s: &mut Session, realm: &str) -> Result<(), BoxError> {
    s.send(HelloMessage { realm: Some(realm.into()), details: HelloMessageDetails::new(HelloRoles::DEFAULT_CLIENT) }).await?;
    let welcome = match s.recv().await? {
        Message::Welcome(m) => m,
        other => return Err(unexpected(other, "WELCOME")),
    };
    let details = SessionDetails::from_welcome(&welcome, Some(realm), s.format.name().parse()?, None);
    check("realm", details.realm.as_deref(), Some(realm))?;
    check("authrole", details.authrole.as_deref(), Some("anonymous"))?;
    check("authmethod", details.authmethod.as_deref(), Some("anonymous"))?;
    let roles = &welcome.details.roles;
    check("router roles broker, dealer", (roles.broker.is_some(), roles.dealer.is_some()), (true, true))
}

async fn call(s: &mut Session) -> Result<(), BoxError> {
    let result = call_result(s, "add", Payload::args(vec![Value::from(2), Value::from(3)])).await?;
    check("results", result.results, vec![Value::from(5)])?;
    check("kwresults", result.kwresults, Map::new())?;
    check("callee_authrole", result.callee_authrole.as_deref(), Some("anonymous"))
}

async fn call_error(s: &mut Session) -> Result<(), BoxError> {
    let request = send_call(s, "fail", Payload::default(), &CallOptions::default()).await?;
    let error = match s.reply(request).await? {
        Message::Error(m) => m,
        other => return Err(unexpected(other, "ERROR")),
    };
    check("ERROR request type", error.request_type, CallMessage::CODE)?;
    let got = ApplicationError::from_error(&error);
    check("error", got.error.as_str(), "interop.error.refused")?;
    check("args", got.args, vec![Value::from("refused on purpose"), Value::from(42)])?;
    check("kwargs", got.kwargs, map([("reason", "testing")]))
}

async fn call_progressive(s: &mut Session) -> Result<(), BoxError> {
    let progress = Arc::new(Mutex::new(Vec::new()));
    let seen = progress.clone();
    let options = CallOptions {
        on_progress: Some(Callback::new(move |args, _kwargs| seen.lock().unwrap().extend_from_slice(args))),
        ..Default::default()
    };
    let request = send_call(s, "countdown", Payload::args(vec![Value::from(3)]), &options).await?;
    let last = loop {
        let result = match s.reply(request).await? {
            Message::Result(m) => m,
            other => return Err(unexpected(other, "RESULT")),
        };
        let details = CallResult::from_result(&result)?;
        match (result.details.progress, &options.on_progress) {
            (Some(true), Some(on_progress)) => on_progress.call(&details.results, &details.kwresults),
            _ => break details,
        }
    };
    check("progress", progress.lock().unwrap().clone(), vec![Value::from(3), Value::from(2), Value::from(1)])?;
    check("final result", last.results, vec![Value::from("liftoff")])
}

async fn three_events(s: &mut Session) -> Result<(), BoxError> {
    let subscription = subscribe(s, &uri(s, "news")).await?;
    // The component publishes three events, each acknowledged by the router,
    // then answers with its session ID: the events come before the RESULT.
    let publisher = call_result(s, "publish_news", Payload::default()).await?.results;
    let mut publications = Vec::new();
    for n in 1..=3 {
        let event = next_event(s).await?;
        let details = EventDetails::from_event(&event, &subscription);
        check("subscription", Some(i128::from(event.subscription)), subscription.id)?;
        check("publisher", details.publisher.map(Value::from), publisher.first().cloned())?;
        check("publisher_authrole", details.publisher_authrole.as_deref(), Some("anonymous"))?;
        check("args", event.payload.args_or_empty(), &[Value::from("news"), Value::from(n)][..])?;
        check("kwargs", event.payload.kwargs_map(), Some(&map([("n", n)])))?;
        if publications.contains(&details.publication) {
            return Err(format!("publication ID {} came twice", details.publication).into());
        }
        publications.push(details.publication);
    }
    unsubscribe(s, &subscription).await
}

async fn publish(s: &mut Session) -> Result<(), BoxError> {
    let args = vec![Value::from("hello from Rust"), Value::from(1.5)];
    let kwargs = map([("format", s.format.name())]);
    let options = PublishOptions { acknowledge: Some(true), ..Default::default() };
    let request = s.next_request();
    let payload = Payload::args_kwargs(args.clone(), kwargs.clone());
    s.send(PublishMessage::from_options(request, uri(s, "from_client"), payload, &options)?).await?;
    let publication = match s.reply(request).await? {
        Message::Published(m) => m.publication,
        other => return Err(unexpected(other, "PUBLISHED")),
    };
    // What the component's handler received.
    let received = call_result(s, "last_received", Payload::default()).await?.results;
    let want: Value =
        [("args", Value::from(args)), ("kwargs", Value::from(kwargs)), ("publication", Value::from(publication))].into_iter().collect();
    check("received by the component", received, vec![want])
}

async fn invocation(s: &mut Session) -> Result<(), BoxError> {
    let procedure = uri(s, "client.greet");
    let request = s.next_request();
    s.send(RegisterMessage::from_options(request, &procedure, &RegisterOptions::default())?).await?;
    let registration = match s.reply(request).await? {
        Message::Registered(m) => Registration::from_registered(&m, &procedure),
        other => return Err(unexpected(other, "REGISTERED")),
    };

    // The component calls our procedure while we wait for its answer.
    let args = Payload::args(vec![Value::from(procedure.as_str())]);
    let call = send_call(s, "call_client", args, &CallOptions::default()).await?;
    let invocation = match s.recv().await? {
        Message::Invocation(m) => m,
        other => return Err(unexpected(other, "INVOCATION")),
    };
    let details = CallDetails::from_invocation(&invocation, &registration, None);
    check("registration", Some(i128::from(invocation.registration)), registration.id)?;
    check("caller_authrole", details.caller_authrole.as_deref(), Some("anonymous"))?;
    check("args", invocation.payload.args_or_empty(), &[Value::from("autobahn"), Value::from(7)][..])?;
    check("kwargs", invocation.payload.kwargs_map(), Some(&map([("lang", "python")])))?;
    let answer = CallResult { results: vec![Value::from("hello autobahn")], kwresults: map([("from", "rust")]), ..Default::default() };
    s.send(YieldMessage::from_call_result(invocation.request, &answer)?).await?;

    // The component answers with what it got back, and its session ID.
    let got = match s.reply(call).await? {
        Message::Result(m) => CallResult::from_result(&m)?.results,
        other => return Err(unexpected(other, "RESULT")),
    };
    let want: Value =
        [("results", Value::from(answer.results)), ("kwresults", Value::from(answer.kwresults)), ("caller", Value::from(details.caller))]
            .into_iter()
            .collect();
    check("the component's result", got, vec![want])?;

    let request = s.next_request();
    s.send(UnregisterMessage { request, registration: invocation.registration, options: Default::default() }).await?;
    match s.reply(request).await? {
        Message::Unregistered(_) => Ok(()),
        other => Err(unexpected(other, "UNREGISTERED")),
    }
}

async fn no_such_procedure(s: &mut Session) -> Result<(), BoxError> {
    let request = send_call(s, "nobody", Payload::default(), &CallOptions::default()).await?;
    match s.reply(request).await? {
        Message::Error(m) => check("error", m.error.as_str(), "wamp.error.no_such_procedure"),
        other => Err(unexpected(other, "ERROR")),
    }
}

/// The events with edge-case payloads, one step each, in the order the
/// component publishes them (`edge_cases` in `router/component.py`).
async fn edge_cases(s: &mut Session, tally: &mut Tally) {
    let format = s.format;
    let cases = [
        ("edge bytes", vec![Value::from(vec![0u8, 1, 0xfe, 0xff])], Map::new()),
        (
            "edge u64::MAX, i64::MIN",
            [Value::from(u64::MAX), Value::from(i64::MIN), Value::from(0), Value::from(-1), Value::from((1u64 << 53) + 1)].to_vec(),
            Map::new(),
        ),
        ("edge floats", [0.1, -2.5, 1e308, 5e-324, -0.0, 1.0].map(Value::from).to_vec(), Map::new()),
        ("edge deep nesting", vec![nested(100)], Map::new()),
        ("edge non-ASCII text", vec![Value::from("Grüße, 世界 🦀")], map([("clé", "valeur"), ("ключ", "значение")])),
        ("edge empty key", vec![Value::from(map([("", "empty")]))], map([("", "empty key")])),
        ("edge kwargs only", vec![], map([("only", Value::from("kwargs")), ("n", Value::from(1))])),
    ];
    let published = cases.len() + usize::from(format == Serializer::Cbor);
    let subscribed = async {
        let subscription = subscribe(s, &uri(s, "edge")).await?;
        let count = call_result(s, "publish_edge_cases", Payload::default()).await?;
        check("events published", count.results, vec![Value::from(published)])?;
        Ok::<_, BoxError>(subscription)
    }
    .await;
    let subscription = match subscribed {
        Ok(subscription) => subscription,
        Err(e) => return tally.record(format, "edge subscribe", Err(e)),
    };
    for (step, args, kwargs) in cases {
        let outcome = async {
            let event = next_event(s).await?;
            check("args", event.payload.args_or_empty(), &args[..])?;
            // `==` takes -0.0 for 0.0: compare the floats' bits too.
            let bits = |v: &[Value]| v.iter().map(|x| matches!(x, Value::Float(_)).then(|| x.as_f64().map(f64::to_bits))).collect::<Vec<_>>();
            check("float bits", bits(event.payload.args_or_empty()), bits(&args))?;
            check("kwargs", event.payload.kwargs_map().cloned().unwrap_or_default(), kwargs)
        }
        .await;
        tally.record(format, step, outcome);
    }
    if format == Serializer::Cbor {
        let step = "edge int-keyed map";
        tally.record(format, step, int_keyed_map(s).await);
    }
    tally.record(format, "edge unsubscribe", unsubscribe(s, &subscription).await);
}

/// The EVENT with `{1: "one", 2: "two"}` as its argument: a `Value` cannot
/// hold that map, so the EVENT comes with its arguments kept as their bytes.
/// The application reads them into its own type, and a router would forward
/// them unchanged.
async fn int_keyed_map(s: &mut Session) -> Result<(), BoxError> {
    let want = BTreeMap::from([(1, "one".to_string()), (2, "two".to_string())]);
    let event = match s.recv().await? {
        Message::Event(event) => event,
        other => return Err(unexpected(other, "EVENT")),
    };
    let Payload::Kept(kept) = &event.payload else { return Err("the EVENT's arguments were decoded as values".into()) };
    let (argument,): (BTreeMap<i64, String>,) = kept.args_as()?;
    check("the map, read into the application's type", &argument, &want)?;
    let as_values = kept.args().expect_err("a Value map has string keys").to_string();
    check("decoding to values", as_values.starts_with("EVENT.args[0]"), true)?;
    let written = s.format.encode(&Message::Event(event))?;
    check("the map, written back", int_keyed_argument(&written)?, want)
}

/// The single argument of an EVENT in CBOR, as a map with integer keys.
fn int_keyed_argument(frame: &[u8]) -> Result<BTreeMap<i64, String>, BoxError> {
    type Event = (u8, u64, u64, serde::de::IgnoredAny, (BTreeMap<i64, String>,));
    let (_, _, _, _, (argument,)): Event = cbor4ii::serde::from_slice(frame)?;
    Ok(argument)
}

async fn goodbye(mut s: Session) -> Result<(), BoxError> {
    s.send(GoodbyeMessage { details: Default::default(), reason: "wamp.close.close_realm".into() }).await?;
    // The WAMP spec answers with `wamp.close.goodbye_and_out`; Crossbar.io
    // answers with autobahn-python's default, `wamp.close.normal`.
    let answers = ["wamp.close.goodbye_and_out", CloseDetails::REASON_DEFAULT];
    match s.recv().await? {
        Message::Goodbye(m) if answers.contains(&m.reason.as_str()) => {}
        Message::Goodbye(m) => return Err(format!("GOODBYE reason: expected one of {answers:?}, got {:?}", m.reason).into()),
        other => return Err(unexpected(other, "GOODBYE")),
    }
    s.close().await
}

// Small helpers for the steps.

/// The component's URIs for this session's format: `interop.json.add`, ...
fn uri(s: &Session, name: &str) -> String {
    format!("interop.{}.{name}", s.format.name())
}

/// Sends a CALL; the reply comes with `s.reply(request)`.
async fn send_call(s: &mut Session, name: &str, payload: Payload, options: &CallOptions) -> Result<u64, BoxError> {
    let request = s.next_request();
    s.send(CallMessage::from_options(request, uri(s, name), payload, options)?).await?;
    Ok(request)
}

/// Calls the component's procedure and reads its RESULT.
async fn call_result(s: &mut Session, name: &str, payload: Payload) -> Result<CallResult, BoxError> {
    let request = send_call(s, name, payload, &CallOptions::default()).await?;
    match s.reply(request).await? {
        Message::Result(m) => Ok(CallResult::from_result(&m)?),
        other => Err(unexpected(other, "RESULT")),
    }
}

async fn subscribe(s: &mut Session, topic: &str) -> Result<Subscription, BoxError> {
    let request = s.next_request();
    s.send(SubscribeMessage::from_options(request, topic, &SubscribeOptions::default())?).await?;
    match s.reply(request).await? {
        Message::Subscribed(m) => Ok(Subscription::from_subscribed(&m, topic)),
        other => Err(unexpected(other, "SUBSCRIBED")),
    }
}

async fn unsubscribe(s: &mut Session, subscription: &Subscription) -> Result<(), BoxError> {
    let request = s.next_request();
    let id = u64::try_from(subscription.id.ok_or("no subscription ID")?)?;
    s.send(UnsubscribeMessage { request, subscription: id, options: Default::default() }).await?;
    match s.reply(request).await? {
        Message::Unsubscribed(_) => Ok(()),
        other => Err(unexpected(other, "UNSUBSCRIBED")),
    }
}

async fn next_event(s: &mut Session) -> Result<EventMessage, BoxError> {
    match s.recv().await? {
        Message::Event(m) => Ok(m),
        other => Err(unexpected(other, "EVENT")),
    }
}

fn check<T: PartialEq + std::fmt::Debug>(what: &str, got: T, want: T) -> Result<(), BoxError> {
    if got == want { Ok(()) } else { Err(format!("{what}: expected {want:?}, got {got:?}").into()) }
}

fn unexpected(message: Message, wanted: &str) -> BoxError {
    match message {
        Message::Error(m) => format!("expected {wanted}, got ERROR {}", ApplicationError::from_error(&m)).into(),
        other => format!("expected {wanted}, got {other:?}").into(),
    }
}

fn map<V: Into<Value>>(entries: impl IntoIterator<Item = (&'static str, V)>) -> Map {
    entries.into_iter().collect()
}

/// Maps and lists in turn, `depth` levels deep, with a string at the bottom.
fn nested(depth: usize) -> Value {
    (0..depth).fold(Value::from("bottom"), |v, level| if level % 2 == 1 { Value::List(vec![v]) } else { map([("d", v)]).into() })
}

/// The steps' outcomes, printed one line each as they come.
#[derive(Default)]
struct Tally {
    passed: u32,
    failed: u32,
}

impl Tally {
    fn record(&mut self, format: Serializer, step: &str, outcome: Result<(), BoxError>) {
        let label = format!("{:<8}{step} ", format.name());
        match outcome {
            Ok(()) => {
                self.passed += 1;
                println!("{label:.<52} ok");
            }
            Err(e) => {
                self.failed += 1;
                println!("{label:.<52} FAIL\n    {e}");
            }
        }
    }
}
