//! Constants: a record's string constants and its values (a `pub const` of
//! the record given in the schema in its dict form, such as the roles a
//! client announces), and the modules of URI constants.

use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens, quote};

use super::{doc, field_ident, ident, inner_doc, is_option};
use crate::ir::{Const, Model, Record, RecordLit};
use crate::schema::UriModule;

/// The `pub const` items of a record's inherent impl: its string constants,
/// then its values.
pub fn record_constants(r: &Record, model: &Model) -> TokenStream {
    let strings = r.constants.iter().map(|c| {
        let d = doc(&c.doc);
        let n = ident(&c.name);
        let v = &c.value;
        quote! { #d pub const #n: &'static str = #v; }
    });
    let values = r.values.iter().map(|v| {
        let d = doc(&format!("{}\n\nIts dict form: `{}`.", v.doc, v.json));
        let n = ident(&v.name);
        let t = ident(&r.name);
        let e = record_literal(&v.value, model);
        quote! { #d pub const #n: #t = #e; }
    });
    quote! { #(#strings)* #(#values)* }
}

/// A struct expression of a record value: a field left out is `None`. Only
/// optional fields may be left out, and only booleans, integers and records
/// given, so the expression is const.
fn record_literal(v: &RecordLit, model: &Model) -> TokenStream {
    let r = model.rec(v.record);
    let name = ident(&r.name);
    let fields = r.fields.iter().enumerate().map(|(j, f)| {
        let fi = field_ident(f);
        let e = match v.fields.iter().find(|(k, _)| *k == j) {
            None => quote!(None),
            Some((_, x)) => {
                let e = match x {
                    Const::Bool(b) => quote!(#b),
                    Const::Int(n) => Literal::i128_unsuffixed(*n).into_token_stream(),
                    Const::UInt(n) => Literal::u64_unsuffixed(*n).into_token_stream(),
                    Const::Record(inner) => record_literal(inner, model),
                };
                if is_option(f) { quote!(Some(#e)) } else { e }
            }
        };
        quote!(#fi: #e)
    });
    quote!(#name { #(#fields),* })
}

/// A module of URI constants, with `ALL` listing them in schema order.
pub fn uri_module(u: &UriModule) -> TokenStream {
    let name = ident(&u.module);
    let docs = inner_doc(&u.doc);
    let consts = u.uris.iter().map(|c| {
        let d = doc(&format!("{}\n\n`{}`", c.doc, c.uri));
        let n = ident(&c.name);
        let v = &c.uri;
        quote! { #d pub const #n: &str = #v; }
    });
    let names = u.uris.iter().map(|c| ident(&c.name));
    quote! {
        pub mod #name {
            #docs
            #(#consts)*
            /// Every URI of this module, in the order of the schema.
            pub const ALL: &[&str] = &[#(#names),*];
        }
    }
}
