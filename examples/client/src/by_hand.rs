//! What the crate's session bridge does not build yet, built by hand as
//! autobahn-python's session builds it. Everything else the example reads
//! and writes goes through `wamp_types`; this is the one place to switch
//! over when the bridge grows these.

use std::fmt;

use wamp_types::{CallResult, ErrorMessage, Map, Payload, Registration, Subscription, Value, YieldMessage, YieldMessageOptions};

/// The subscription a SUBSCRIBED confirms (autobahn: `Subscription(msg.subscription, request.topic, ...)`).
pub fn subscription(subscribed: u64, topic: &str) -> Subscription {
    Subscription { id: Some(subscribed.into()), topic: Some(topic.into()), ..Default::default() }
}

/// The registration a REGISTERED confirms (autobahn: `Registration(session, msg.registration, request.procedure, ...)`).
pub fn registration(registered: u64, procedure: &str) -> Registration {
    Registration { id: Some(registered.into()), procedure: Some(procedure.into()), ..Default::default() }
}

/// The YIELD that returns a `CallResult` to the router, as autobahn's
/// session builds it when an endpoint returns one.
pub fn yield_result(request: u64, result: &CallResult) -> YieldMessage {
    YieldMessage {
        request,
        options: YieldMessageOptions {
            callee: result.callee,
            callee_authid: result.callee_authid.clone(),
            callee_authrole: result.callee_authrole.clone(),
            forward_for: result.forward_for.clone(),
            ..Default::default()
        },
        payload: Payload::args_kwargs(result.results.clone(), result.kwresults.clone()),
    }
}

/// The error a caller gets from an ERROR (autobahn: `ApplicationError(msg.error, *msg.args, **msg.kwargs)`).
#[derive(Debug, PartialEq)]
pub struct ApplicationError {
    pub error: String,
    pub args: Vec<Value>,
    pub kwargs: Map,
}

impl ApplicationError {
    pub fn from_error(message: &ErrorMessage) -> ApplicationError {
        ApplicationError {
            error: message.error.clone(),
            args: message.payload.args_or_empty().to_vec(),
            kwargs: message.payload.kwargs_map().cloned().unwrap_or_default(),
        }
    }
}

impl fmt::Display for ApplicationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.error, Value::List(self.args.clone()), self.kwargs)
    }
}

impl std::error::Error for ApplicationError {}
