//! The `HasShape` implementation of each record and union: its dict form
//! described as data (wire keys, kinds, presence, bounds, conflicts), for
//! generic code such as the property tests.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::ident;
use crate::ir::{Model, Presence, Record, Ty, Union, Unknown};

/// The shape of a record: its fields as data.
pub fn record_shape(r: &Record, model: &Model) -> TokenStream {
    let fields = r.fields.iter().map(|f| {
        let key = &f.wire_key;
        let kind = kind(&f.ty, model);
        let presence = match &f.presence {
            Presence::Optional => quote!(Optional),
            Presence::Required => quote!(Required),
            Presence::RequiredKey => quote!(RequiredKey),
            Presence::Default { nullable, .. } => quote!(Default { nullable: #nullable }),
        };
        let gt = match f.gt {
            Some(b) => {
                let b = Literal::f64_unsuffixed(b);
                quote!(Some(#b))
            }
            None => quote!(None),
        };
        let conflicts = match f.conflicts_with {
            Some(i) => {
                let k = &r.fields[i].wire_key;
                quote!(Some(#k))
            }
            None => quote!(None),
        };
        quote! {
            rt::shape::Field {
                key: #key,
                kind: #kind,
                presence: rt::shape::Presence::#presence,
                gt: #gt,
                conflicts_with: #conflicts,
            }
        }
    });
    let unknown = match r.unknown {
        Unknown::Refuse => quote!(Refuse),
        Unknown::Ignore => quote!(Ignore),
        Unknown::Keep => quote!(Keep),
    };
    shape_impl(&r.name, quote!(#(#fields),*), unknown, false)
}

/// The shape of a union: a map with one key naming the variant.
pub fn union_shape(u: &Union) -> TokenStream {
    let fields = u.variants.iter().map(|v| {
        let key = &v.key;
        let t = ident(&v.ty);
        quote! {
            rt::shape::Field {
                key: #key,
                kind: rt::shape::Kind::Record(rt::shape::shape_of::<crate::#t>),
                presence: rt::shape::Presence::Optional,
                gt: None,
                conflicts_with: None,
            }
        }
    });
    shape_impl(&u.name, quote!(#(#fields),*), quote!(Refuse), true)
}

fn shape_impl(name: &str, fields: TokenStream, unknown: TokenStream, one_key: bool) -> TokenStream {
    let n = ident(name);
    quote! {
        impl rt::shape::HasShape for #n {
            const SHAPE: &'static rt::shape::Shape = &rt::shape::Shape {
                name: #name,
                fields: &[#fields],
                unknown: rt::record::UnknownKeys::#unknown,
                one_key: #one_key,
            };
        }
    }
}

/// A `rt::shape::Kind` expression for a field type.
fn kind(ty: &Ty, model: &Model) -> TokenStream {
    match ty {
        Ty::Bool => quote!(rt::shape::Kind::Bool),
        Ty::Flag => quote!(rt::shape::Kind::Flag),
        Ty::Int => quote!(rt::shape::Kind::Int),
        Ty::Float => quote!(rt::shape::Kind::Float),
        Ty::Number => quote!(rt::shape::Kind::Number),
        Ty::Str => quote!(rt::shape::Kind::Str),
        Ty::Bytes => quote!(rt::shape::Kind::Bytes),
        Ty::Hex(n) => {
            let n = Literal::usize_unsuffixed(*n);
            quote!(rt::shape::Kind::Hex(#n))
        }
        Ty::Any => quote!(rt::shape::Kind::Any),
        Ty::MapAny => quote!(rt::shape::Kind::Map),
        Ty::Callback => quote!(rt::shape::Kind::Callback),
        Ty::Handle => quote!(rt::shape::Kind::Handle),
        Ty::List(t) => {
            let k = kind(t, model);
            quote!(rt::shape::Kind::List(&#k))
        }
        Ty::OneOrList(t) => {
            let k = kind(t, model);
            quote!(rt::shape::Kind::OneOrList(&#k))
        }
        Ty::MapOf(e, v) => {
            let e = enum_shape(e, model);
            let v = kind(v, model);
            quote!(rt::shape::Kind::MapOf(&#e, &#v))
        }
        Ty::Record(n) => {
            let n = ident(n);
            quote!(rt::shape::Kind::Record(rt::shape::shape_of::<crate::#n>))
        }
        Ty::Enum(e) => {
            let e = enum_shape(e, model);
            quote!(rt::shape::Kind::Enum(&#e))
        }
    }
}

fn enum_shape(name: &str, model: &Model) -> TokenStream {
    let wires = model.enum_def(name).map(|e| e.values.iter().map(|v| v.wire.as_str()).collect::<Vec<_>>()).unwrap_or_default();
    quote!(rt::shape::Enum { name: #name, wires: &[#(#wires),*] })
}
