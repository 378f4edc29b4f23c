//! The serde face of each type, and all of a union's.
//!
//! A record gets one line here, `record_impls!` (a macro in
//! `runtime/record.rs`: `Serialize`, `Deserialize` and its shape); its
//! inherent `parse`, `marshal` and `message_attr` come from `types.rs` and
//! `record.rs`, and `WampType` from the implementation for every record in
//! `runtime/mod.rs`. A union, which has no field table, gets everything
//! here: inherent `parse` and `marshal`, serde, and `WampType`.

use proc_macro2::TokenStream;
use quote::quote;

use super::{field_ident, ident};
use crate::ir::{Record, Union};

pub fn record_api(r: &Record) -> TokenStream {
    let name = ident(&r.name);
    let error = r.error.map(|(uri, args)| {
        let (uri, args) = (field_ident(&r.fields[uri]), field_ident(&r.fields[args]));
        quote! {
            impl std::fmt::Display for #name {
                /// The error URI, then the values after it, as autobahn-python's
                /// `error_message()` reads: `com.myapp.error: no such user 42`
                /// (strings as they are, other values as compact JSON).
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    rt::error_message(f, &self.#uri, &self.#args)
                }
            }
            impl std::error::Error for #name {}
        }
    });
    quote!(rec::record_impls!(#name); #error)
}

pub fn union_api(u: &Union) -> TokenStream {
    let name = ident(&u.name);
    let name_str = &u.name;
    let keys: Vec<_> = u.variants.iter().map(|v| &v.key).collect();
    let variants: Vec<_> = u.variants.iter().map(|v| ident(&v.ty)).collect();
    let expected = format!("a map with one key, one of {}", keys.iter().map(|k| format!("\"{k}\"")).collect::<Vec<_>>().join(", "));
    quote! {
        impl #name {
            /// Reads the dict form: a map whose single key names the answer and holds its dict.
            pub fn parse(value: &rt::Value) -> Result<Self, rt::Error> {
                let at = rt::Path::Root(#name_str);
                let entry = match value {
                    rt::Value::Map(m) if m.len() == 1 => m.iter().next(),
                    _ => None,
                };
                match entry {
                    #( Some((#keys, inner)) => c::read::<c::Rec<#variants>>(inner, &at.field(#keys)).map(Self::#variants), )*
                    _ => Err(rt::Error::new(&at, #expected, value.describe())),
                }
            }

            /// The dict form: a map whose single key names the answer and holds its dict.
            pub fn marshal(&self) -> rt::Value {
                let mut m = rt::Map::with_capacity(1);
                match self {
                    #( Self::#variants(x) => m.push_unique(#keys, x.marshal()), )*
                }
                rt::Value::Map(m)
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut m = s.serialize_map(Some(1))?;
                match self {
                    #( Self::#variants(x) => m.serialize_entry(#keys, x)?, )*
                }
                m.end()
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            /// Decodes through a [`rt::Value`]: which answer it is shows only in the key.
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let value = <rt::Value as serde::Deserialize>::deserialize(d)?;
                Self::parse(&value).map_err(rt::Error::into_de)
            }
        }

        impl rt::WampType for #name {
            const NAME: &'static str = #name_str;
            fn parse(value: &rt::Value) -> Result<Self, rt::Error> {
                Self::parse(value)
            }
            fn marshal(&self) -> rt::Value {
                self.marshal()
            }
        }
    }
}
