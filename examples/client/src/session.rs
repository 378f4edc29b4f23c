//! The glue a WAMP client library owns, in one place: the WebSocket
//! connection speaking one of the three formats, request IDs, and waiting for
//! the reply to a request while events and invocations queue up.

use std::collections::VecDeque;
use std::fmt;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::Message as Frame;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async};
use wamp_types::{Error, Message, Serializer};

/// Any failure: a refused frame, a closed connection, a check that failed.
pub type BoxError = Box<dyn std::error::Error>;

/// How long the client waits for the router, each time.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// A frame the crate refused: its bytes and the error.
#[derive(Debug)]
pub struct Refused {
    pub frame: Vec<u8>,
    pub error: Error,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "frame refused: {}\n    frame ({} bytes): ", self.error, self.frame.len())?;
        self.frame.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl std::error::Error for Refused {}

/// A WebSocket connection to a router, speaking one format.
pub struct Session {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    pub format: Serializer,
    last_request: u64,
    /// What arrived while a reply was awaited: events, invocations, refused frames.
    backlog: VecDeque<Result<Message, Refused>>,
}

impl Session {
    /// Opens the WebSocket, asking for the format's subprotocol.
    pub async fn connect(url: &str, format: Serializer) -> Result<Session, BoxError> {
        let mut request = url.into_client_request()?;
        let subprotocol = HeaderValue::from_static(format.subprotocol());
        request.headers_mut().insert("Sec-WebSocket-Protocol", subprotocol.clone());
        let (ws, response) = timeout(TIMEOUT, connect_async(request)).await??;
        match response.headers().get("Sec-WebSocket-Protocol") {
            Some(agreed) if *agreed == subprotocol => {}
            other => return Err(format!("the router answered subprotocol {other:?}, not {subprotocol:?}").into()),
        }
        Ok(Session { ws, format, last_request: 0, backlog: VecDeque::new() })
    }

    /// A new request ID: sequential per session, as the WAMP spec allows.
    pub fn next_request(&mut self) -> u64 {
        self.last_request += 1;
        self.last_request
    }

    pub async fn send(&mut self, message: impl Into<Message>) -> Result<(), BoxError> {
        // JSON travels in text frames, MessagePack and CBOR in binary ones.
        let bytes = self.format.encode(&message.into())?;
        let frame = if self.format.is_binary() { Frame::binary(bytes) } else { Frame::text(String::from_utf8(bytes)?) };
        Ok(timeout(TIMEOUT, self.ws.send(frame)).await??)
    }

    /// The next message: what queued up while a reply was awaited first, then
    /// what comes from the router.
    pub async fn recv(&mut self) -> Result<Message, BoxError> {
        match self.backlog.pop_front() {
            Some(queued) => Ok(queued?),
            None => Ok(self.read().await??),
        }
    }

    /// Waits for the reply to the request `request` (RESULT, ERROR, SUBSCRIBED,
    /// ...); whatever else comes meanwhile queues up for `recv`.
    pub async fn reply(&mut self, request: u64) -> Result<Message, BoxError> {
        let answers = |m: &Result<Message, Refused>| matches!(m, Ok(m) if reply_to(m) == Some(request));
        if let Some(queued) = self.backlog.iter().position(answers).and_then(|i| self.backlog.remove(i)) {
            return Ok(queued?);
        }
        loop {
            let next = self.read().await?;
            if answers(&next) {
                return Ok(next?);
            }
            self.backlog.push_back(next);
        }
    }

    /// Closes the WebSocket (after GOODBYE).
    pub async fn close(mut self) -> Result<(), BoxError> {
        Ok(timeout(TIMEOUT, self.ws.close(None)).await??)
    }

    /// One message from the router: the outer error is the connection's, the
    /// inner one a frame the crate refused.
    async fn read(&mut self) -> Result<Result<Message, Refused>, BoxError> {
        loop {
            let frame = match timeout(TIMEOUT, self.ws.next()).await {
                Err(_) => return Err(format!("nothing came from the router within {TIMEOUT:?}").into()),
                Ok(None) => return Err("the router closed the connection".into()),
                Ok(Some(frame)) => frame?,
            };
            let bytes = match frame {
                Frame::Text(text) => text.as_bytes().to_vec(),
                Frame::Binary(bytes) => bytes.to_vec(),
                Frame::Close(close) => return Err(format!("the router closed the connection: {close:?}").into()),
                _ => continue, // ping and pong
            };
            // A message whose arguments a `Value` cannot hold (a CBOR map with
            // integer keys) is still read, its arguments kept as their bytes
            // for the application to read into its own types.
            let message = self.format.decode(&bytes).or_else(|error| self.format.decode_kept(&bytes).map_err(|_| error));
            return Ok(message.map_err(|error| Refused { frame: bytes, error }));
        }
    }
}

/// The request a message answers, if it is a reply.
fn reply_to(message: &Message) -> Option<u64> {
    let request = match message {
        Message::Result(m) => m.request,
        Message::Error(m) => m.request,
        Message::Published(m) => m.request,
        Message::Subscribed(m) => m.request,
        Message::Unsubscribed(m) => m.request,
        Message::Registered(m) => m.request,
        Message::Unregistered(m) => m.request,
        _ => return None,
    };
    Some(request)
}
