//! The public face of each type: inherent `parse` and `marshal` (and
//! `message_attr` where the schema lists one), serde `Serialize` and
//! `Deserialize`, and the `WampType` implementation generic code uses.

use proc_macro2::TokenStream;
use quote::quote;

use super::{field_ident, ident};
use crate::ir::{Record, Ty, Union};

pub fn record_api(r: &Record) -> TokenStream {
    let name = ident(&r.name);
    let name_str = &r.name;
    let message_attr = super::record::message_attr(r);
    let parse_doc = format!(
        " Builds a `{}` from its dict form, refusing exactly what autobahn-python refuses; the error names the field path, what was expected and what came.",
        r.name
    );
    let callbacks: Vec<_> = r.fields.iter().filter(|f| f.ty == Ty::Callback).collect();
    let callback_names = callbacks.iter().map(|f| &f.wire_key);
    let callback_arms = callbacks.iter().map(|f| {
        let key = &f.wire_key;
        let n = field_ident(f);
        quote!(#key => Some(&mut self.#n),)
    });
    let callback_fn = (!callbacks.is_empty()).then(|| {
        quote! {
            fn callback_mut(&mut self, name: &str) -> Option<&mut Option<rt::Callback>> {
                match name {
                    #(#callback_arms)*
                    _ => None,
                }
            }
        }
    });
    let message_attr_dict = r.message_attr.is_some().then(|| {
        quote! {
            fn message_attr_dict(&self) -> Option<rt::Value> {
                Some(self.message_attr())
            }
        }
    });
    quote! {
        impl #name {
            #[doc = #parse_doc]
            pub fn parse(value: &rt::Value) -> Result<Self, rt::Error> {
                rt::record::parse_root(value)
            }

            /// The dict of all data fields, every key present and `null` when unset.
            pub fn marshal(&self) -> rt::Value {
                rt::Value::Map(rt::record::Record::to_map(self))
            }

            /// [`Self::marshal`], moving the fields into the dict instead of copying them.
            pub fn into_marshal(self) -> rt::Value {
                rt::Value::Map(rt::record::Record::into_map(self))
            }

            #message_attr
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                rt::record::Record::encode_map(self, s)
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                rt::record::decode_root(d)
            }
        }

        impl rt::WampType for #name {
            const NAME: &'static str = #name_str;
            const CALLBACKS: &'static [&'static str] = &[#(#callback_names),*];
            fn parse(value: &rt::Value) -> Result<Self, rt::Error> {
                Self::parse(value)
            }
            fn marshal(&self) -> rt::Value {
                self.marshal()
            }
            fn into_marshal(self) -> rt::Value {
                self.into_marshal()
            }
            #message_attr_dict
            #callback_fn
        }
    }
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
                    #( Some((#keys, inner)) => <rt::record::Rec<crate::#variants> as rt::codec::Codec>::from_value(inner, &at.field(#keys)).map(Self::#variants), )*
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
