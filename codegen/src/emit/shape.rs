//! The `HasShape` implementation of each union: its dict form described
//! as data (one key per answer), for generic code such as the property
//! tests. A record's shape is built by the runtime from its field table.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::ir::Union;

/// The shape of a union: a map with one key naming the variant.
pub fn union_shape(u: &Union) -> TokenStream {
    let name = ident(&u.name);
    let name_str = &u.name;
    let fields = u.variants.iter().map(|v| {
        let key = &v.key;
        let t = ident(&v.ty);
        quote!(sh::Field::new(#key, sh::Kind::Record(sh::shape_of::<#t>), sh::Presence::Optional))
    });
    quote! {
        impl sh::HasShape for #name {
            fn shape() -> &'static sh::Shape {
                const SHAPE: sh::Shape = sh::Shape {
                    name: #name_str,
                    fields: &[#(#fields),*],
                    unknown: rt::UnknownKeys::Refuse,
                    one_key: true,
                    non_empty: false,
                };
                &SHAPE
            }
        }
    }
}
