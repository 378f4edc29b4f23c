// The crate root, hand-written. The types come from `gen/`, which
// `cargo run -p codegen` writes from `schema/*.yaml`; `runtime/` is the
// hand-written support they call.
#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

pub mod runtime;

// Every module of the schema, its types, `Message`, `TYPE_NAMES` and
// `visit_type`. Generated: never edit `gen/`, change the schema and run
// `cargo run -p codegen`. rustfmt leaves it as written, so that `cargo fmt`
// keeps `cargo run -p codegen -- --check` passing.
#[rustfmt::skip]
mod r#gen;

pub use r#gen::*;
pub use runtime::{Callback, Error, Flag, Handle, Map, Number, Payload, Value, WampType};
