//! The `Record` implementation of each record: its keys, how each key is
//! read (from a `Value` and from a serde map), the presence rules and
//! cross-field checks, and the dict form written back.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::{codec, field_ident, ident, is_option, value_expr, yaml_to_value};
use crate::ir::{Model, Presence, Record, Ty, Unknown};

pub fn record_impl(r: &Record, model: &Model) -> TokenStream {
    let name = ident(&r.name);
    let name_str = &r.name;
    let slots = format_ident!("{}Slots", r.name);
    let keys = r.fields.iter().map(|f| &f.wire_key);
    let unknown = match r.unknown {
        Unknown::Refuse => quote!(Refuse),
        Unknown::Ignore => quote!(Ignore),
        Unknown::Keep => quote!(Keep),
        Unknown::Custom => quote!(Custom),
    };
    let slot_fields = r.fields.iter().map(|f| {
        let n = field_ident(f);
        let t = slot_type(&f.ty);
        quote!(#n: rt::record::Slot<#t>,)
    });
    let keep = r.unknown.keeps_rest();
    let rest_slot = keep.then(|| quote!(rest: rt::Map,));
    let indices: Vec<_> = (0..r.fields.len()).map(Literal::usize_unsuffixed).collect();
    let fills = r.fields.iter().map(|f| {
        let n = field_ident(f);
        let c = codec(&f.ty);
        quote!(slots.#n.fill::<#c>(v, at))
    });
    let fill_des = r.fields.iter().map(|f| {
        let n = field_ident(f);
        let c = codec(&f.ty);
        quote!(slots.#n.fill_de::<#c, A>(map, at, hr, depth))
    });
    let keep_fn = keep.then(|| {
        quote! {
            fn keep(slots: &mut Self::Slots, key: rt::Key, value: rt::Value) {
                slots.rest.push_unique(key, value);
            }
        }
    });
    let finish = finish_body(r, model);
    let key_index = key_index_body(r);
    let n_fields = Literal::usize_unsuffixed(r.fields.len());
    let to_map_set = r.fields.iter().filter(|f| !f.ty.is_runtime()).map(|f| {
        let n = field_ident(f);
        let c = codec(&f.ty);
        let key = &f.wire_key;
        let push = if f.write_truthy {
            quote! {
                let v = <#c as rt::codec::Codec>::to_value(x);
                if rt::wamp::is_truthy(&v) { m.push_unique(#key, v); }
            }
        } else {
            quote!(m.push_unique(#key, <#c as rt::codec::Codec>::to_value(x));)
        };
        match &f.presence {
            Presence::Default { value, .. } => {
                let d = value_expr(value, &f.ty, model);
                quote!({ let x = &self.#n; if *x != #d { #push } })
            }
            _ if is_option(f) => quote!(if let Some(x) = &self.#n { #push }),
            _ => quote!({ let x = &self.#n; #push }),
        }
    });
    let to_map = r.fields.iter().filter(|f| !f.ty.is_runtime()).map(|f| {
        let n = field_ident(f);
        let c = codec(&f.ty);
        let key = &f.wire_key;
        if is_option(f) {
            quote!(rt::record::put_opt::<#c>(&mut m, #key, &self.#n);)
        } else {
            quote!(rt::record::put::<#c>(&mut m, #key, &self.#n);)
        }
    });
    let into_map = r.fields.iter().filter(|f| !f.ty.is_runtime()).map(|f| {
        let n = field_ident(f);
        let c = codec(&f.ty);
        let key = &f.wire_key;
        if is_option(f) {
            quote!(rt::record::put_opt_into::<#c>(&mut m, #key, self.#n);)
        } else {
            quote!(rt::record::put_into::<#c>(&mut m, #key, self.#n);)
        }
    });
    let encode = r.fields.iter().filter(|f| !f.ty.is_runtime()).map(|f| {
        let n = field_ident(f);
        let c = codec(&f.ty);
        let key = &f.wire_key;
        if is_option(f) {
            quote!(m.serialize_entry(#key, &rt::codec::EncOpt::<#c>(&self.#n))?;)
        } else {
            quote!(m.serialize_entry(#key, &rt::codec::Enc::<#c>(&self.#n))?;)
        }
    });
    let n_data = Literal::usize_unsuffixed(r.fields.iter().filter(|f| !f.ty.is_runtime()).count());
    let (rest_to_map, rest_into_map, rest_encode, rest_len) = if keep {
        (
            quote! { for (k, v) in self.rest.iter() { m.push_unique(k.to_owned(), v.clone()); } },
            quote! { for (k, v) in self.rest { m.push_unique(k, v); } },
            quote! { for (k, v) in self.rest.iter() { m.serialize_entry(k, v)?; } },
            quote!(+ self.rest.len()),
        )
    } else {
        (quote!(), quote!(), quote!(), quote!())
    };
    let uses_at = r.non_empty
        || r.fields.iter().any(|f| {
            (!f.ty.is_runtime() && (f.presence != Presence::Optional || !f.null_unset))
                || f.gt.is_some()
                || f.conflicts_with.is_some()
                || f.requires.is_some()
        });
    let at_param = if uses_at { quote!(at) } else { quote!(_at) };
    let (into_map_fn, encode_fn) = if r.marshal_set {
        (
            quote!(),
            quote! {
                fn encode_map<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    serde::Serialize::serialize(&rt::Value::Map(self.to_map()), s)
                }
            },
        )
    } else {
        (
            quote! {
                fn into_map(self) -> rt::Map {
                    let mut m = rt::Map::with_capacity(#n_fields #rest_len);
                    #(#into_map)*
                    #rest_into_map
                    m
                }
            },
            quote! {
                fn encode_map<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    use serde::ser::SerializeMap;
                    let mut m = s.serialize_map(Some(#n_data #rest_len))?;
                    #(#encode)*
                    #rest_encode
                    m.end()
                }
            },
        )
    };
    let to_map_body = if r.marshal_set {
        quote! {
            let mut m = rt::Map::with_capacity(#n_fields #rest_len);
            #rest_to_map
            #(#to_map_set)*
            m
        }
    } else {
        quote! {
            let mut m = rt::Map::with_capacity(#n_fields #rest_len);
            #(#to_map)*
            #rest_to_map
            m
        }
    };
    let refused = (!r.refuse_keys.is_empty()).then(|| {
        let keys = &r.refuse_keys;
        quote!(const REFUSED: &'static [&'static str] = &[#(#keys),*];)
    });
    let slots_doc = format!(" What has been read of each key while parsing a [`{}`]; used by the generated parser.", r.name);
    quote! {
        #[doc = #slots_doc]
        #[doc(hidden)]
        #[derive(Default)]
        pub struct #slots { #(#slot_fields)* #rest_slot }

        impl rt::record::Record for #name {
            const NAME: &'static str = #name_str;
            const KEYS: &'static [&'static str] = &[#(#keys),*];
            const UNKNOWN: rt::record::UnknownKeys = rt::record::UnknownKeys::#unknown;
            #refused
            type Slots = #slots;

            fn key_index(key: &str) -> Option<usize> {
                #key_index
            }

            fn fill(slots: &mut Self::Slots, index: usize, v: &rt::Value, at: &rt::Path<'_>) -> Result<(), rt::Error> {
                match index {
                    #( #indices => #fills, )*
                    _ => Ok(()),
                }
            }

            fn fill_de<'de, A: serde::de::MapAccess<'de>>(
                slots: &mut Self::Slots,
                index: usize,
                map: &mut A,
                at: &rt::Path<'_>,
                hr: bool,
                depth: u32,
            ) -> Result<(), A::Error> {
                match index {
                    #( #indices => #fill_des, )*
                    _ => Ok(()),
                }
            }

            #keep_fn

            fn finish(slots: Self::Slots, #at_param: &rt::Path<'_>) -> Result<Self, rt::Error> {
                #finish
            }

            fn to_map(&self) -> rt::Map {
                #to_map_body
            }

            #into_map_fn

            #encode_fn
        }
    }
}

/// A `match` on the key's length first: once the length is known, each
/// comparison is a few wide loads, not a `memcmp` call.
fn key_index_body(r: &Record) -> TokenStream {
    let mut arms: Vec<(usize, usize)> = r.fields.iter().enumerate().map(|(i, f)| (f.wire_key.len(), i)).collect();
    arms.sort_unstable();
    let arms = arms.iter().map(|&(len, i)| {
        let key = &r.fields[i].wire_key;
        let (len, i) = (Literal::usize_unsuffixed(len), Literal::usize_unsuffixed(i));
        quote!(#len if key == #key => Some(#i),)
    });
    quote! {
        match key.len() {
            #(#arms)*
            _ => None,
        }
    }
}

fn slot_type(ty: &Ty) -> TokenStream {
    if ty.is_runtime() { quote!(()) } else { super::rust_type(ty) }
}

/// Presence rules, range checks, conflicts and implied values, in field order.
fn finish_body(r: &Record, model: &Model) -> TokenStream {
    let mut steps = Vec::new();
    for f in &r.fields {
        let n = field_ident(f);
        let key = &f.wire_key;
        let c = codec(&f.ty);
        let at = quote!(&at.field(#key));
        steps.push(match &f.presence {
            _ if f.ty.is_runtime() => quote!(let #n = None;),
            Presence::Optional if f.null_unset => quote!(let #n = slots.#n.optional();),
            Presence::Optional => quote!(let #n = slots.#n.optional_strict::<#c>(#at)?;),
            Presence::Required => quote!(let #n = slots.#n.required::<#c>(#at)?;),
            Presence::RequiredKey => quote!(let #n = slots.#n.required_key::<#c>(#at)?;),
            Presence::Default { value, nullable } => {
                let make = if super::default_is_trivial(value) {
                    quote!(Default::default)
                } else {
                    let v = value_expr(value, &f.ty, model);
                    quote!(|| #v)
                };
                quote!(let #n = slots.#n.or_default::<#c>(#at, #nullable, #make)?;)
            }
        });
    }
    for f in &r.fields {
        let n = field_ident(f);
        let key = &f.wire_key;
        let c = codec(&f.ty);
        if let Some(bound) = f.gt {
            let as_f64 = match f.ty {
                Ty::Number => quote!(x.as_f64()),
                _ => quote!(*x as f64),
            };
            let check = quote!(rt::record::check_gt(#as_f64, #bound, <#c as rt::codec::Codec>::to_value(x), &at.field(#key))?;);
            steps.push(if is_option(f) { quote!(if let Some(x) = &#n { #check }) } else { quote!({ let x = &#n; #check }) });
        }
        if let Some(other) = f.conflicts_with {
            let o = &r.fields[other];
            let on = field_ident(o);
            let oname = &o.wire_key;
            steps.push(quote! {
                if #on.is_some() {
                    rt::record::check_unset(&#n, <#c as rt::codec::Codec>::to_value, &at.field(#key), #oname)?;
                }
            });
        }
    }
    for f in &r.fields {
        let Some(other) = f.requires else { continue };
        let n = field_ident(f);
        let c = codec(&f.ty);
        let o = &r.fields[other];
        let (on, okey, oc) = (field_ident(o), &o.wire_key, codec(&o.ty));
        let key = &f.wire_key;
        let set = if is_option(f) {
            quote!(#n.as_ref().is_some_and(|x| rt::wamp::is_truthy(&<#c as rt::codec::Codec>::to_value(x))))
        } else {
            quote!(rt::wamp::is_truthy(&<#c as rt::codec::Codec>::to_value(&#n)))
        };
        steps.push(quote! {
            if #set && #on.is_none() {
                return Err(rt::record::missing_required_by::<#oc>(&at.field(#okey), #key));
            }
        });
    }
    if r.non_empty {
        let unset = r.fields.iter().filter(|f| is_option(f)).map(|f| {
            let n = field_ident(f);
            quote!(#n.is_none())
        });
        let rest_empty = r.unknown.keeps_rest().then(|| quote!(&&slots.rest.is_empty()));
        steps.push(quote! {
            if #(#unset)&&* #rest_empty {
                return Err(rt::Error::new(at, "a map that is not empty", "an empty map"));
            }
        });
    }
    let names = r.fields.iter().map(field_ident);
    let rest = r.unknown.keeps_rest().then(|| quote!(rest: slots.rest,));
    quote! {
        #(#steps)*
        Ok(Self { #(#names,)* #rest })
    }
}

/// `message_attr()`: the options dict sent in a WAMP message.
pub fn message_attr(r: &Record) -> TokenStream {
    let Some(attrs) = &r.message_attr else { return quote!() };
    let pushes = attrs.iter().map(|a| {
        let f = &r.fields[a.field];
        let n = field_ident(f);
        let key = &a.key;
        let c = codec(&f.ty);
        match (&a.value, is_option(f)) {
            (Some(v), true) => {
                let v = yaml_to_value(v);
                quote!(if self.#n.is_some() { m.push_unique(#key, #v); })
            }
            (Some(v), false) => {
                let v = yaml_to_value(v);
                quote!(m.push_unique(#key, #v);)
            }
            (None, true) => quote!(if let Some(x) = &self.#n { m.push_unique(#key, <#c as rt::codec::Codec>::to_value(x)); }),
            (None, false) => quote!(m.push_unique(#key, <#c as rt::codec::Codec>::to_value(&self.#n));),
        }
    });
    let n = Literal::usize_unsuffixed(attrs.len());
    quote! {
        /// The options dict sent in the WAMP message: only what is set, under its wire key.
        pub fn message_attr(&self) -> rt::Value {
            let mut m = rt::Map::with_capacity(#n);
            #(#pushes)*
            rt::Value::Map(m)
        }
    }
}
