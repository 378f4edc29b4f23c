//! `gen/mod.rs`: what the crate root takes from the schema, so that the
//! hand-written `lib.rs` names no schema file and no type. It declares one
//! module per schema file, re-exports their types, and holds the `Message`
//! enum and the type registry; `lib.rs` re-exports all of it.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::ir::Model;

/// The folder of the crate's `src/` that holds every generated file.
pub const GEN_DIR: &str = "gen";

pub fn gen_mod(model: &Model) -> TokenStream {
    // Each module's docs are its own inner docs (`//!`), not repeated here.
    let mods = model.modules.iter().map(|m| ident(&m.name));
    let uses = mods.clone();
    let public: Vec<&str> = model
        .modules
        .iter()
        .flat_map(|m| m.records.iter().filter(|r| r.public).map(|r| r.name.as_str()).chain(m.unions.iter().map(|u| u.name.as_str())))
        .collect();
    let mut sorted = public.clone();
    sorted.sort_unstable();
    let idents = sorted.iter().map(|n| ident(n));
    let names = sorted.iter();
    let lookup = if sorted.is_empty() {
        // A schema without public types, such as a test fixture.
        quote! { let _ = (name, visitor); None }
    } else {
        quote! {
            match name {
                #( #names => Some(visitor.visit::<#idents>()), )*
                _ => None,
            }
        }
    };
    let mut shaped: Vec<&str> =
        model.modules.iter().flat_map(|m| m.records.iter().map(|r| r.name.as_str()).chain(m.unions.iter().map(|u| u.name.as_str()))).collect();
    shaped.sort_unstable();
    let shaped_idents = shaped.iter().map(|n| ident(n));
    let shape_lookup = if shaped.is_empty() {
        quote! { let _ = name; None }
    } else {
        quote! {
            use crate::runtime::shape::HasShape;
            match name {
                #( #shaped => Some(#shaped_idents::shape()), )*
                _ => None,
            }
        }
    };
    // `Message` is written as at the crate root, which re-exports it.
    let message_enum = super::message::message_enum(model);
    let message_uses = (!message_enum.is_empty()).then(|| quote! { use crate::runtime::{Error, Value}; use crate::runtime::message as msg; });
    quote! {
        //! The code generated from `schema/*.yaml`: one module per schema
        //! file with its types re-exported, the `Message` enum when there are
        //! messages, and the registry of the public types. `lib.rs`
        //! re-exports all of it at the crate root.

        #(pub mod #mods;)*

        #(pub use #uses::*;)*

        #message_uses
        #message_enum

        /// The names of autobahn-python's types that this crate generates,
        /// sorted. For the conformance replay and generic tests; not part of
        /// the public API.
        #[doc(hidden)]
        pub const TYPE_NAMES: &[&str] = &[#(#sorted),*];

        /// Code that runs for one generated type, chosen by name at run time.
        /// For the conformance replay and generic tests; not part of the
        /// public API.
        #[doc(hidden)]
        pub trait TypeVisitor {
            /// What the visit returns.
            type Output;
            /// Runs for the type `T`.
            fn visit<T: crate::runtime::WampType + crate::runtime::shape::HasShape>(self) -> Self::Output;
        }

        /// Runs `visitor` for the type called `name` (as autobahn-python
        /// spells it). For the conformance replay and generic tests; not part
        /// of the public API.
        #[doc(hidden)]
        pub fn visit_type<V: TypeVisitor>(name: &str, visitor: V) -> Option<V::Output> {
            #lookup
        }

        /// The shape of the record or union called `name` (its Rust name),
        /// nested ones and those of the messages included. For generic tests;
        /// not part of the public API.
        #[doc(hidden)]
        pub fn shape_named(name: &str) -> Option<&'static crate::runtime::shape::Shape> {
            #shape_lookup
        }
    }
}
