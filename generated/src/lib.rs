// The crate root, hand-written. The types come from `gen/`, which
// `cargo run -p codegen` writes from `schema/*.yaml`; `runtime/` is the
// hand-written support they call.
#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

/// Internal: the hand-written support that the generated code calls
/// (codecs, record plumbing, shapes for generic tests). Not part of the
/// public API and not covered by semver; use the items re-exported at the
/// crate root.
#[doc(hidden)]
pub mod runtime;

// Every module of the schema, its types, `Message`, `TYPE_NAMES` and
// `visit_type`. Generated: never edit `gen/`, change the schema and run
// `cargo run -p codegen`. rustfmt leaves it as written, so that `cargo fmt`
// keeps `cargo run -p codegen -- --check` passing.
#[rustfmt::skip]
mod r#gen;

pub use r#gen::*;
pub use runtime::{
    Callback, Error, Flag, Handle, KeptPayload, Key, Map, MapIter, MapIterMut, Number, Payload, Serializer, UriRule, Value, WampType,
    from_value, is_uri, to_value,
};
