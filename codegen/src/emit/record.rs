//! The `Record` implementation of each record: its slots, how a key finds
//! its field, the presence rules and cross-field checks, and the dict form
//! written back. Everything else (the loops over a map's keys, unknown and
//! repeated keys, both sources of values, the writers) is the runtime's.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::{codec, field_ident, ident, is_option, value_expr, yaml_to_value};
use crate::ir::{Field, Model, Presence, Record, Unknown};

/// The slots struct and the `Record` implementation of a record.
pub fn record_impl(r: &Record, model: &Model) -> TokenStream {
    let name = ident(&r.name);
    let name_str = &r.name;
    let slots = format_ident!("{}Slots", r.name);
    let unknown = match r.unknown {
        Unknown::Refuse => quote!(Refuse),
        Unknown::Ignore => quote!(Ignore),
        Unknown::Keep => quote!(Keep),
        Unknown::Custom => quote!(Custom),
    };
    let keep = r.unknown.keeps_rest();
    let slot_fields = r.fields.iter().map(|f| {
        let n = field_ident(f);
        let c = codec(&f.ty);
        quote!(#n: rec::Slot<#c>,)
    });
    let rest_slot = keep.then(|| quote!(rest: rt::Map,));
    let fills = r.fields.iter().enumerate().map(|(i, f)| {
        let i = Literal::usize_unsuffixed(i);
        let n = field_ident(f);
        quote!(#i => s.#n.fill(src, at),)
    });
    let keep_fn = keep.then(|| {
        quote! {
            fn keep(s: &mut Self::Slots, key: rt::Key, value: rt::Value) {
                s.rest.push_unique(key, value);
            }
        }
    });
    let refused = (!r.refuse_keys.is_empty()).then(|| {
        let keys = &r.refuse_keys;
        quote!(const REFUSED: &'static [&'static str] = &[#(#keys),*];)
    });
    let callback_fields: Vec<&Field> = r.fields.iter().filter(|f| f.ty == crate::ir::Ty::Callback).collect();
    let callbacks = (!callback_fields.is_empty()).then(|| {
        let names = callback_fields.iter().map(|f| &f.wire_key);
        quote!(const CALLBACKS: &'static [&'static str] = &[#(#names),*];)
    });
    let callback_fn = (!callback_fields.is_empty()).then(|| {
        let arms = callback_fields.iter().map(|f| {
            let (key, n) = (&f.wire_key, field_ident(f));
            quote!(#key => Some(&mut self.#n),)
        });
        quote! {
            fn callback(&mut self, name: &str) -> Option<&mut Option<rt::Callback>> {
                match name {
                    #(#arms)*
                    _ => None,
                }
            }
        }
    });
    let message_attr_fn = r.message_attr.is_some().then(|| {
        quote! {
            fn message_attr_value(&self) -> Option<rt::Value> {
                Some(self.message_attr())
            }
        }
    });
    let key_index = key_index_body(r);
    let finish = finish_body(r, model);
    let write = write_body(r, model);
    let into_map = (!r.marshal_set).then(|| into_map_fn(r));
    let (src, at) = if r.fields.is_empty() { (quote!(_src), quote!(_at)) } else { (quote!(src), quote!(at)) };
    let uses_at = r.non_empty
        || r.fields.iter().any(|f| {
            !(f.ty.is_runtime() || f.presence == Presence::Optional && f.null_unset)
                || f.gt.is_some()
                || f.conflicts_with.is_some()
                || f.requires.is_some()
        });
    let finish_at = if uses_at { quote!(at) } else { quote!(_at) };
    let slots_doc = format!(" What has been read of each key while parsing a [`{}`].", r.name);
    quote! {
        #[doc = #slots_doc]
        #[doc(hidden)]
        #[derive(Default)]
        pub struct #slots { #(#slot_fields)* #rest_slot }

        impl rec::Record for #name {
            const NAME: &'static str = #name_str;
            const UNKNOWN: rt::UnknownKeys = rt::UnknownKeys::#unknown;
            #refused
            #callbacks
            type Slots = #slots;

            #callback_fn
            #message_attr_fn

            fn key_index(key: &str) -> Option<usize> {
                #key_index
            }

            fn fill<S: rec::Source>(s: &mut Self::Slots, i: usize, #src: S, #at: &rt::Path<'_>) -> Result<(), S::Error> {
                match i {
                    #(#fills)*
                    _ => Ok(()),
                }
            }

            #keep_fn

            fn finish(s: Self::Slots, #finish_at: &rt::Path<'_>) -> Result<Self, rt::Error> {
                #finish
            }

            fn write<W: rec::Writer>(&self, w: &mut W) -> Result<(), W::Error> {
                #write
            }

            #into_map
        }
    }
}

/// A `match` on the key's length and then the key: the length is a jump
/// table, so each comparison is a few wide loads, not a chain of `memcmp`.
fn key_index_body(r: &Record) -> TokenStream {
    let arms = r.fields.iter().enumerate().map(|(i, f)| {
        let key = &f.wire_key;
        let (len, i) = (Literal::usize_unsuffixed(key.len()), Literal::usize_unsuffixed(i));
        quote!((#len, #key) => Some(#i),)
    });
    quote! {
        match (key.len(), key) {
            #(#arms)*
            _ => None,
        }
    }
}

/// The record built from its slots (presence rules and defaults, in one
/// struct literal), then range checks, conflicts and requirements.
fn finish_body(r: &Record, model: &Model) -> TokenStream {
    let inits = r.fields.iter().map(|f| {
        let n = field_ident(f);
        let key = &f.wire_key;
        let value = match &f.presence {
            _ if f.ty.is_runtime() => quote!(None),
            Presence::Optional if f.null_unset => quote!(s.#n.optional()),
            Presence::Optional => quote!(s.#n.strict(at, #key)?),
            Presence::Required => quote!(s.#n.required(at, #key)?),
            Presence::RequiredKey => quote!(s.#n.required_key(at, #key)?),
            Presence::Default { value, nullable } => {
                let make = if super::default_is_trivial(value) {
                    quote!(Default::default)
                } else {
                    let v = value_expr(value, &f.ty, model);
                    quote!(|| #v)
                };
                quote!(s.#n.or_default(at, #key, #nullable, #make)?)
            }
        };
        quote!(#n: #value,)
    });
    let rest = r.unknown.keeps_rest().then(|| quote!(rest: s.rest,));
    let mut checks = Vec::new();
    for f in &r.fields {
        let n = field_ident(f);
        let key = &f.wire_key;
        if let Some(bound) = f.gt {
            let x = if is_option(f) { quote!(r.#n.as_ref()) } else { quote!(Some(&r.#n)) };
            checks.push(quote!(rec::gt(#x, #bound, at, #key)?;));
        }
        if let Some(other) = f.conflicts_with {
            let (c, on, okey) = (codec(&f.ty), field_ident(&r.fields[other]), &r.fields[other].wire_key);
            checks.push(quote!(rec::unset_while::<#c>(&r.#n, r.#on.is_some(), at, #key, #okey)?;));
        }
        if let Some(other) = f.requires {
            let (c, on, okey) = (codec(&f.ty), field_ident(&r.fields[other]), &r.fields[other].wire_key);
            checks.push(quote!(rec::required_by::<#c, _>(&r.#n, &r.#on, at, #okey, #key)?;));
        }
    }
    if r.non_empty {
        let unset = r.fields.iter().filter(|f| is_option(f)).map(|f| {
            let n = field_ident(f);
            quote!(r.#n.is_none())
        });
        let rest_empty = r.unknown.keeps_rest().then(|| quote!(&&r.rest.is_empty()));
        checks.push(quote!(rec::non_empty(#(#unset)&&* #rest_empty, at)?;));
    }
    // A `write: truthy` field that `marshal` would leave out is kept as
    // unset, so that `parse(marshal(x)) == x`.
    let truthy: Vec<_> = r
        .fields
        .iter()
        .filter(|f| f.write_truthy && is_option(f))
        .map(|f| {
            let (n, c) = (field_ident(f), codec(&f.ty));
            quote!(r.#n = rec::truthy_or_none::<#c>(r.#n.take());)
        })
        .collect();
    let mutable = (!truthy.is_empty()).then(|| quote!(mut));
    quote! {
        let #mutable r = Self { #(#inits)* #rest };
        #(#checks)*
        #(#truthy)*
        Ok(r)
    }
}

/// `write`: each data field under its wire key, as the record's dict form
/// says (`marshal: all` writes unset fields as `null`, `marshal: set`
/// leaves them out).
fn write_body(r: &Record, model: &Model) -> TokenStream {
    let rest = r.unknown.keeps_rest().then(|| quote!(w.rest(&self.rest)?;));
    let entries = r.fields.iter().filter(|f| !f.ty.is_runtime()).map(|f| write_entry(r, f, model));
    if r.marshal_set {
        // The kept keys come first, as autobahn updates its dict with them first.
        quote! { #rest #(#entries)* Ok(()) }
    } else {
        quote! { #(#entries)* #rest Ok(()) }
    }
}

fn write_entry(r: &Record, f: &Field, model: &Model) -> TokenStream {
    let n = field_ident(f);
    let c = codec(&f.ty);
    let key = &f.wire_key;
    match (&f.presence, r.marshal_set) {
        (Presence::Default { value, .. }, true) => {
            let d = value_expr(value, &f.ty, model);
            quote!(w.unless::<#c>(#key, &self.#n, &#d)?;)
        }
        _ if !is_option(f) => quote!(w.entry::<#c>(#key, &self.#n)?;),
        (_, true) if f.write_truthy => quote!(w.truthy::<#c>(#key, &self.#n)?;),
        (_, true) => quote!(w.set::<#c>(#key, &self.#n)?;),
        (_, false) => quote!(w.opt::<#c>(#key, &self.#n)?;),
    }
}

/// `into_map` for the types' dict form: every data field moved into the map.
fn into_map_fn(r: &Record) -> TokenStream {
    let puts = r.fields.iter().filter(|f| !f.ty.is_runtime()).map(|f| {
        let n = field_ident(f);
        let c = codec(&f.ty);
        let key = &f.wire_key;
        if is_option(f) { quote!(m.opt::<#c>(#key, self.#n);) } else { quote!(m.put::<#c>(#key, self.#n);) }
    });
    let rest = r.unknown.keeps_rest().then(|| quote! { for (k, v) in self.rest { m.0.push_unique(k, v); } });
    quote! {
        fn into_map(self) -> rt::Map {
            let mut m = rec::Moves::of::<Self>();
            #(#puts)*
            #rest
            m.0
        }
    }
}

/// `message_attr()`: the options dict sent in the WAMP message.
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
                quote!(if self.#n.is_some() { m.value(#key, #v); })
            }
            (Some(v), false) => {
                let v = yaml_to_value(v);
                quote!(m.value(#key, #v);)
            }
            (None, true) => quote!(m.set::<#c>(#key, &self.#n);),
            (None, false) => quote!(m.entry::<#c>(#key, &self.#n);),
        }
    });
    quote! {
        /// The options dict sent in the WAMP message: only what is set, under its wire key.
        pub fn message_attr(&self) -> rt::Value {
            rec::attrs(|m| {
                #(#pushes)*
            })
        }
    }
}
