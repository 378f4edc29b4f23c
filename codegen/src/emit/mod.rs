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

use crate::ir::{Field, Model, Presence, Ty};

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

/// A Rust expression for a YAML value given to a field of type `ty`.
pub fn value_expr(v: &serde_yaml::Value, ty: &Ty, model: &Model) -> TokenStream {
    use serde_yaml::Value as Y;
    match (ty, v) {
        (Ty::Bool, Y::Bool(b)) => quote!(#b),
        (Ty::Flag, Y::Bool(b)) => quote!(rt::Flag::Bool(#b)),
        (Ty::Int, Y::Number(n)) => {
            let n = i128::from(n.as_i64().expect("validation: an `int` value is an integer"));
            quote!(#n)
        }
        (Ty::UInt(_), Y::Number(n)) => {
            let n = n.as_u64().expect("validation: a `uint` value is a non-negative integer");
            quote!(#n)
        }
        (Ty::Float, Y::Number(n)) => {
            let n = n.as_f64().expect("a YAML number reads as a float");
            quote!(#n)
        }
        (Ty::Number, Y::Number(n)) => match n.as_i64().map(i128::from) {
            Some(i) => quote!(rt::Number::Int(#i)),
            None => {
                let f = n.as_f64().expect("a YAML number reads as a float");
                quote!(rt::Number::Float(#f))
            }
        },
        (Ty::Str | Ty::Uri, Y::String(s)) => quote!(String::from(#s)),
        (Ty::Enum(e), Y::String(s)) => {
            let def = model.enum_def(e).expect("validation: a field's enum exists");
            let value = def.values.iter().find(|v| &v.wire == s).expect("validation: an enum value is one of its wire strings");
            let variant = ident(&value.name);
            let e = ident(e);
            quote!(#e::#variant)
        }
        (Ty::List(inner), Y::Sequence(items)) if **inner == Ty::Any && !items.is_empty() => {
            let items = items.iter().map(yaml_to_value);
            quote!(vec![#(#items),*])
        }
        (Ty::List(_), Y::Sequence(_)) => quote!(Vec::new()),
        (Ty::MapAny, Y::Mapping(_)) => quote!(rt::Map::new()),
        (ty, v) => panic!("validation lets no value {v:?} stand for a field of type {ty:?}"),
    }
}

/// A `rt::Value` expression for a fixed YAML scalar.
pub fn yaml_to_value(v: &serde_yaml::Value) -> TokenStream {
    use serde_yaml::Value as Y;
    match v {
        Y::Bool(b) => quote!(rt::Value::Bool(#b)),
        Y::Number(n) => match n.as_i64().map(i128::from) {
            Some(i) => quote!(rt::Value::Int(#i)),
            None => {
                let f = n.as_f64().expect("a YAML number reads as a float");
                quote!(rt::Value::Float(#f))
            }
        },
        Y::String(s) => quote!(rt::Value::Str(String::from(#s))),
        Y::Null => quote!(rt::Value::Null),
        v => panic!("a fixed value is a scalar, not {v:?}"),
    }
}

/// Whether a default equals the Rust type's own `Default`.
pub fn default_is_trivial(v: &serde_yaml::Value) -> bool {
    use serde_yaml::Value as Y;
    match v {
        Y::Bool(b) => !b,
        Y::Sequence(s) => s.is_empty(),
        Y::Mapping(m) => m.is_empty(),
        _ => false,
    }
}
