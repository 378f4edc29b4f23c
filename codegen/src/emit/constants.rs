//! Constants: a record's string constants and its values (a `pub const` of
//! the record given in the schema in its dict form, such as the roles a
//! client announces), and the modules of URI constants.

use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens, quote};
use serde_yaml::Value as Y;

use super::{doc, field_ident, ident, inner_doc, is_option};
use crate::ir::{Model, Record, Ty};
use crate::schema::UriModule;

/// The `pub const` items of a record's inherent impl: its string constants,
/// then its values.
pub fn record_constants(r: &Record, model: &Model) -> TokenStream {
    let strings = r.constants.iter().map(|c| {
        let d = doc(&c.doc);
        let n = ident(&c.name);
        let v = c.value.as_str().unwrap_or_default();
        quote! { #d pub const #n: &'static str = #v; }
    });
    let values = r.values.iter().map(|v| {
        let shown = json(&v.value);
        let d = doc(&format!("{}\n\nIts dict form: `{shown}`.", v.doc));
        let n = ident(&v.name);
        let t = ident(&r.name);
        let e = record_literal(r, &v.value, model);
        quote! { #d pub const #n: #t = #e; }
    });
    quote! { #(#strings)* #(#values)* }
}

/// A struct expression of `r` from its dict form `v`: a key left out is
/// `None`. Validation allows only optional fields to be left out, and only
/// booleans, integers and records as values, so the expression is const.
fn record_literal(r: &Record, v: &Y, model: &Model) -> TokenStream {
    let map = v.as_mapping().expect("validation: a record value is a mapping");
    let name = ident(&r.name);
    let fields = r.fields.iter().map(|f| {
        let fi = field_ident(f);
        let e = match map.get(f.wire_key.as_str()) {
            None => quote!(None),
            Some(x) => {
                let e = scalar_literal(x, &f.ty, model);
                if is_option(f) { quote!(Some(#e)) } else { e }
            }
        };
        quote!(#fi: #e)
    });
    quote!(#name { #(#fields),* })
}

fn scalar_literal(v: &Y, ty: &Ty, model: &Model) -> TokenStream {
    match (ty, v) {
        (Ty::Bool, Y::Bool(b)) => quote!(#b),
        (Ty::Int, Y::Number(n)) => {
            Literal::i128_unsuffixed(i128::from(n.as_i64().expect("validation: an `int` value fits"))).into_token_stream()
        }
        (Ty::UInt(_), Y::Number(n)) => Literal::u64_unsuffixed(n.as_u64().expect("validation: a `uint` value fits")).into_token_stream(),
        (Ty::Record(name), _) => record_literal(model.record(name).expect("validation: the record exists"), v, model),
        (ty, v) => panic!("validation lets no value {v:?} stand for a field of type {ty:?} in a record value"),
    }
}

/// A YAML value of booleans, numbers and mappings as JSON, for the docs.
fn json(v: &Y) -> String {
    match v {
        Y::Mapping(m) => {
            let entries: Vec<String> = m.iter().map(|(k, v)| format!("{}: {}", json(k), json(v))).collect();
            format!("{{{}}}", entries.join(", "))
        }
        Y::String(s) => format!("{s:?}"),
        Y::Bool(b) => b.to_string(),
        Y::Number(n) => n.to_string(),
        _ => "null".to_owned(),
    }
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
