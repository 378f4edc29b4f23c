//! Runtime objects that code sets and data never carries: callbacks and
//! opaque handles (a session, a keyring, a runner).

use std::any::Any;
use std::fmt;
use std::sync::Arc;

use super::value::{Map, Value};

/// A callback, e.g. the receiver of progressive call results. It is called
/// with the positional and keyword arguments of the WAMP message.
///
/// Two callbacks are equal when they are the same callback (pointer equality).
#[derive(Clone)]
pub struct Callback(Arc<CallbackFn>);

/// The function a [`Callback`] wraps: positional and keyword arguments.
type CallbackFn = dyn Fn(&[Value], &Map) + Send + Sync;

impl Callback {
    /// Wraps a function.
    pub fn new(f: impl Fn(&[Value], &Map) + Send + Sync + 'static) -> Self {
        Callback(Arc::new(f))
    }

    /// A callback that does nothing.
    pub fn noop() -> Self {
        Callback::new(|_, _| {})
    }

    /// Calls the callback.
    pub fn call(&self, args: &[Value], kwargs: &Map) {
        (self.0)(args, kwargs)
    }
}

impl PartialEq for Callback {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl fmt::Debug for Callback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Callback(..)")
    }
}

/// An opaque runtime object shared with the code that set it (a session,
/// a keyring, a controller, a runner). Downcast it to the type you stored.
///
/// Two handles are equal when they point at the same object.
#[derive(Clone)]
pub struct Handle(Arc<dyn Any + Send + Sync>);

impl Handle {
    /// Wraps an object.
    pub fn new<T: Any + Send + Sync>(object: T) -> Self {
        Handle(Arc::new(object))
    }

    /// The object, if it is a `T`.
    pub fn downcast_ref<T: Any>(&self) -> Option<&T> {
        self.0.downcast_ref()
    }
}

impl PartialEq for Handle {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Handle(..)")
    }
}
