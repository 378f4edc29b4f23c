//! `lib.rs`: the module list, the re-exports and the type registry.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc, ident};
use crate::ir::Model;

pub fn lib_rs(model: &Model) -> TokenStream {
    let mods = model.modules.iter().map(|m| {
        let d = doc(&m.doc);
        let n = ident(&m.name);
        quote! { #d pub mod #n; }
    });
    let uses = model.modules.iter().map(|m| {
        let n = ident(&m.name);
        quote!(pub use #n::*;)
    });
    let public: Vec<&str> = model
        .modules
        .iter()
        .flat_map(|m| m.records.iter().filter(|r| r.public).map(|r| r.name.as_str()).chain(m.unions.iter().map(|u| u.name.as_str())))
        .collect();
    let mut sorted = public.clone();
    sorted.sort_unstable();
    let idents = sorted.iter().map(|n| ident(n));
    let names = sorted.iter();
    let message_enum = super::message::message_enum(model);
    quote! {
        #![doc = include_str!("../README.md")]
        #![deny(missing_docs)]

        pub mod runtime;
        #(#mods)*

        #(#uses)*
        pub use runtime::{Callback, Error, Flag, Handle, Map, Number, Payload, Value, WampType};

        #message_enum

        /// The names of autobahn-python's types that this crate generates, sorted.
        pub const TYPE_NAMES: &[&str] = &[#(#sorted),*];

        /// Code that runs for one generated type, chosen by name at run time.
        pub trait TypeVisitor {
            /// What the visit returns.
            type Output;
            /// Runs for the type `T`.
            fn visit<T: WampType>(self) -> Self::Output;
        }

        /// Runs `visitor` for the type called `name` (as autobahn-python spells it).
        pub fn visit_type<V: TypeVisitor>(name: &str, visitor: V) -> Option<V::Output> {
            match name {
                #( #names => Some(visitor.visit::<#idents>()), )*
                _ => None,
            }
        }
    }
}
