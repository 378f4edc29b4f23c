//! One emitter per concern; this module holds what they share: names,
//! doc attributes, Rust types and codecs of fields, default values.

pub mod api;
pub mod bridge;
pub mod constants;
pub mod crate_root;
pub mod message;
pub mod module;
pub mod record;
pub mod shape;
pub mod types;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use crate::ir::{Field, Lit, Presence, Scalar, Ty};

pub fn ident(s: &str) -> Ident {
    Ident::new(s, Span::call_site())
}

/// A `#[doc = "..."]` attribute, sanitised so that rustdoc does not warn:
/// bare URLs are wrapped in `<...>` and stray brackets are escaped.
pub fn doc(text: &str) -> TokenStream {
    let text = sanitize_doc(text);
    let lines = text.lines().map(|l| format!(" {l}"));
    quote! { #( #[doc = #lines] )* }
}

/// Module-level docs (`//!`).
pub fn inner_doc(text: &str) -> TokenStream {
    let text = sanitize_doc(text);
    let lines = text.lines().map(|l| format!(" {l}"));
    quote! { #( #![doc = #lines] )* }
}

pub fn sanitize_doc(text: &str) -> String {
    let mut out = String::new();
    for word in text.trim().split_inclusive(char::is_whitespace) {
        let bare = word.trim_end();
        let tail = &word[bare.len()..];
        if (bare.starts_with("http://") || bare.starts_with("https://")) && !bare.starts_with('<') {
            out.push('<');
            out.push_str(bare.trim_end_matches(['.', ',', ')']));
            out.push('>');
            out.push_str(&bare[bare.trim_end_matches(['.', ',', ')']).len()..]);
        } else {
            for c in bare.chars() {
                match c {
                    '[' | ']' => {
                        out.push('\\');
                        out.push(c);
                    }
                    _ => out.push(c),
                }
            }
        }
        out.push_str(tail);
    }
    out
}

/// The codec that reads and writes a field of type `ty`.
pub fn codec(ty: &Ty) -> TokenStream {
    match ty {
        Ty::Bool => quote!(c::Bool),
        Ty::Flag => quote!(c::Flag),
        Ty::Int => quote!(c::Int),
        Ty::UInt(bound) => {
            // A negative const argument needs braces; a positive one must not have them.
            let b = Literal::i64_unsuffixed(*bound);
            if *bound < 0 { quote!(c::UInt<{ #b }>) } else { quote!(c::UInt<#b>) }
        }
        Ty::Float => quote!(c::Float),
        Ty::Number => quote!(c::Num),
        Ty::Str => quote!(c::Str),
        Ty::Uri => quote!(c::Uri),
        Ty::Id => quote!(c::Id),
        Ty::Bytes => quote!(c::Bytes),
        Ty::Hex(n) => {
            let n = Literal::usize_unsuffixed(*n);
            quote!(c::Hex<#n>)
        }
        Ty::Any => quote!(c::Any),
        Ty::MapAny => quote!(c::MapAny),
        Ty::Callback | Ty::Handle => quote!(c::Unset),
        Ty::List(t) => {
            let c = codec(t);
            quote!(c::List<#c>)
        }
        Ty::OneOrList(t) => {
            let c = codec(t);
            quote!(c::OneOrList<#c>)
        }
        Ty::MapOf(k, v) => {
            let k = ident(k);
            let c = codec(v);
            quote!(c::MapOf<#k, #c>)
        }
        Ty::Record(n) => {
            let n = ident(n);
            quote!(c::Rec<#n>)
        }
        Ty::Enum(n) => {
            let n = ident(n);
            quote!(c::Enum<#n>)
        }
    }
}

/// The Rust type of a value of `ty`.
pub fn rust_type(ty: &Ty) -> TokenStream {
    match ty {
        Ty::Bool => quote!(bool),
        Ty::Flag => quote!(rt::Flag),
        Ty::Int => quote!(i128),
        Ty::UInt(_) => quote!(u64),
        Ty::Float => quote!(f64),
        Ty::Number => quote!(rt::Number),
        Ty::Str | Ty::Uri => quote!(String),
        Ty::Id => quote!(u64),
        Ty::Bytes => quote!(Vec<u8>),
        Ty::Hex(n) => {
            let n = Literal::usize_unsuffixed(*n);
            quote!([u8; #n])
        }
        Ty::Any => quote!(rt::Value),
        Ty::MapAny => quote!(rt::Map),
        Ty::Callback => quote!(rt::Callback),
        Ty::Handle => quote!(rt::Handle),
        Ty::List(t) | Ty::OneOrList(t) => {
            let t = rust_type(t);
            quote!(Vec<#t>)
        }
        Ty::MapOf(k, v) => {
            let k = ident(k);
            let v = rust_type(v);
            quote!(std::collections::BTreeMap<#k, #v>)
        }
        Ty::Record(n) | Ty::Enum(n) => {
            let n = ident(n);
            quote!(#n)
        }
    }
}

/// The sentence that says why a field or position holding `int` values is
/// an `i128`, for its docs; `None` for other types.
pub fn int_doc(ty: &Ty) -> Option<&'static str> {
    let holds_int = match ty {
        Ty::Int => true,
        Ty::List(t) | Ty::OneOrList(t) | Ty::MapOf(_, t) => **t == Ty::Int,
        _ => false,
    };
    holds_int.then_some(
        "An `i128`: the field takes any integer, negative or past `2^63 - 1`, as autobahn-python does, and the formats carry \
         `-2^63` to `2^64 - 1`, which neither `i64` nor `u64` holds whole.",
    )
}

/// Whether the struct field is an `Option`.
pub fn is_option(f: &Field) -> bool {
    f.ty.is_runtime() || matches!(f.presence, Presence::Optional | Presence::RequiredKey)
}

/// The Rust type of the struct field.
pub fn field_type(f: &Field) -> TokenStream {
    let t = rust_type(&f.ty);
    if is_option(f) { quote!(Option<#t>) } else { t }
}

pub fn field_ident(f: &Field) -> Ident {
    ident(&f.rust_name)
}

/// A Rust expression for a value of a field.
pub fn value_expr(v: &Lit) -> TokenStream {
    match v {
        Lit::Bool(b) => quote!(#b),
        Lit::Flag(b) => quote!(rt::Flag::Bool(#b)),
        Lit::Int(n) => quote!(#n),
        Lit::UInt(n) => quote!(#n),
        Lit::Float(n) => quote!(#n),
        Lit::NumberInt(n) => quote!(rt::Number::Int(#n)),
        Lit::NumberFloat(n) => quote!(rt::Number::Float(#n)),
        Lit::Str(s) => quote!(String::from(#s)),
        Lit::Variant(e, v) => {
            let (e, v) = (ident(e), ident(v));
            quote!(#e::#v)
        }
        Lit::List(items) if items.is_empty() => quote!(Vec::new()),
        Lit::List(items) => {
            let items = items.iter().map(scalar_value);
            quote!(vec![#(#items),*])
        }
        Lit::EmptyMap => quote!(rt::Map::new()),
    }
}

/// A `rt::Value` expression for a fixed scalar.
pub fn scalar_value(v: &Scalar) -> TokenStream {
    match v {
        Scalar::Bool(b) => quote!(rt::Value::Bool(#b)),
        Scalar::Int(i) => quote!(rt::Value::Int(#i)),
        Scalar::Float(f) => quote!(rt::Value::Float(#f)),
        Scalar::Str(s) => quote!(rt::Value::Str(String::from(#s))),
        Scalar::Null => quote!(rt::Value::Null),
    }
}

/// Whether a value equals the Rust type's own `Default`.
pub fn default_is_trivial(v: &Lit) -> bool {
    match v {
        Lit::Bool(b) | Lit::Flag(b) => !b,
        Lit::List(items) => items.is_empty(),
        Lit::EmptyMap => true,
        _ => false,
    }
}
