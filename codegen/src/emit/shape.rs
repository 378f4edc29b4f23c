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
        let gt = f.gt.map(|b| {
            let b = Literal::f64_unsuffixed(b);
            quote!(.gt(#b))
        });
        let conflicts = f.conflicts_with.map(|i| {
            let k = &r.fields[i].wire_key;
            quote!(.conflicts_with(#k))
        });
        quote!(sh::Field::new(#key, #kind, sh::Presence::#presence) #gt #conflicts)
    });
    let unknown = match r.unknown {
        Unknown::Refuse => quote!(Refuse),
        Unknown::Ignore => quote!(Ignore),
        Unknown::Keep => quote!(Keep),
        Unknown::Custom => quote!(Custom),
    };
    shape_impl(&r.name, quote!(#(#fields),*), unknown, false)
}

/// The shape of a union: a map with one key naming the variant.
pub fn union_shape(u: &Union) -> TokenStream {
    let fields = u.variants.iter().map(|v| {
        let key = &v.key;
        let t = ident(&v.ty);
        quote! {
            sh::Field {
                key: #key,
                kind: sh::Kind::Record(sh::shape_of::<#t>),
                presence: sh::Presence::Optional,
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
        impl sh::HasShape for #n {
            const SHAPE: &'static sh::Shape = &sh::Shape {
                name: #name,
                fields: &[#fields],
                unknown: rt::record::UnknownKeys::#unknown,
                one_key: #one_key,
            };
        }
    }
}

/// A `sh::Kind` expression for a field type.
fn kind(ty: &Ty, model: &Model) -> TokenStream {
    match ty {
        Ty::Bool => quote!(sh::Kind::Bool),
        Ty::Flag => quote!(sh::Kind::Flag),
        Ty::Int => quote!(sh::Kind::Int),
        Ty::Float => quote!(sh::Kind::Float),
        Ty::Number => quote!(sh::Kind::Number),
        Ty::Str => quote!(sh::Kind::Str),
        Ty::Uri => quote!(sh::Kind::Uri),
        Ty::Id => quote!(sh::Kind::Id),
        Ty::Bytes => quote!(sh::Kind::Bytes),
        Ty::Hex(n) => {
            let n = Literal::usize_unsuffixed(*n);
            quote!(sh::Kind::Hex(#n))
        }
        Ty::Any => quote!(sh::Kind::Any),
        Ty::MapAny => quote!(sh::Kind::Map),
        Ty::Callback => quote!(sh::Kind::Callback),
        Ty::Handle => quote!(sh::Kind::Handle),
        Ty::List(t) => {
            let k = kind(t, model);
            quote!(sh::Kind::List(&#k))
        }
        Ty::OneOrList(t) => {
            let k = kind(t, model);
            quote!(sh::Kind::OneOrList(&#k))
        }
        Ty::MapOf(e, v) => {
            let e = enum_shape(e, model);
            let v = kind(v, model);
            quote!(sh::Kind::MapOf(&#e, &#v))
        }
        Ty::Record(n) => {
            let n = ident(n);
            quote!(sh::Kind::Record(sh::shape_of::<#n>))
        }
        Ty::Enum(e) => {
            let e = enum_shape(e, model);
            quote!(sh::Kind::Enum(&#e))
        }
    }
}

fn enum_shape(name: &str, model: &Model) -> TokenStream {
    let wires: Vec<&str> = model.enum_def(name).expect("validation: a field's enum exists").values.iter().map(|v| v.wire.as_str()).collect();
    quote!(sh::Enum { name: #name, wires: &[#(#wires),*] })
}
