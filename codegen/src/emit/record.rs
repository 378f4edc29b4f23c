//! The `Record` implementation of each record: its constants, the value
//! reading starts from, and its field table, one entry per field saying
//! where it lives, its wire key and codec, its presence rule and checks and
//! its `message_attr` key. Everything done with a record (the loops over a
//! map's keys, unknown and repeated keys, presence rules, checks, the
//! writers) is the runtime's, driven by that table.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{codec, field_ident, ident, is_option, scalar_value, value_expr};
use crate::ir::{Field, Presence, Record, Ty, Unknown};

/// The `Record` implementation of a record.
pub fn record_impl(r: &Record) -> TokenStream {
    let name = ident(&r.name);
    let name_str = &r.name;
    let unknown = match r.unknown {
        Unknown::Refuse => quote!(Refuse),
        Unknown::Ignore => quote!(Ignore),
        Unknown::Keep => quote!(Keep),
        Unknown::Custom => quote!(Custom),
    };
    let refused = (!r.refuse_keys.is_empty()).then(|| {
        let keys = &r.refuse_keys;
        quote!(const REFUSED: &'static [&'static str] = &[#(#keys),*];)
    });
    let callbacks: Vec<&String> = r.fields.iter().filter(|f| f.ty == Ty::Callback).map(|f| &f.wire_key).collect();
    let callbacks = (!callbacks.is_empty()).then(|| quote!(const CALLBACKS: &'static [&'static str] = &[#(#callbacks),*];));
    let marshal_set = r.marshal_set.then(|| {
        quote!(
            const MARSHAL_SET: bool = true;
        )
    });
    let non_empty = r.non_empty.then(|| {
        quote!(
            const NON_EMPTY: bool = true;
        )
    });
    let message_attr = r.message_attr.is_some().then(|| {
        quote!(
            const MESSAGE_ATTR: bool = true;
        )
    });
    let blank = blank(r);
    let entries = r.fields.iter().enumerate().map(|(i, f)| {
        let e = entry(r, i, f);
        quote!(f.field(#e);)
    });
    let rest = r.unknown.keeps_rest().then(|| {
        quote! {
            fn rest(&self) -> Option<&rt::Map> {
                Some(&self.rest)
            }
            fn rest_mut(&mut self) -> Option<&mut rt::Map> {
                Some(&mut self.rest)
            }
        }
    });
    let f = if r.fields.is_empty() { quote!(_f) } else { quote!(f) };
    quote! {
        impl rec::Record for #name {
            const NAME: &'static str = #name_str;
            const UNKNOWN: rt::UnknownKeys = rt::UnknownKeys::#unknown;
            #refused
            #callbacks
            #marshal_set
            #non_empty
            #message_attr
            fn blank() -> Self {
                #blank
            }
            #[inline(always)]
            fn fields<F: rec::Fields<Self>>(#f: &mut F) {
                #(#entries)*
            }
            #rest
        }
    }
}

/// The value reading starts from: the record's `Default`, or, for a record
/// with required fields, `new` given a blank value of each.
fn blank(r: &Record) -> TokenStream {
    if !r.fields.iter().any(|f| f.presence == Presence::Required) {
        return quote!(Self::default());
    }
    let args = r.fields.iter().filter(|f| f.presence == Presence::Required).map(|f| match &f.ty {
        Ty::Record(n) => {
            let n = ident(n);
            quote!(<#n as rec::Record>::blank())
        }
        Ty::Enum(n) => {
            let n = ident(n);
            quote!(#n::ALL[0])
        }
        _ => quote!(Default::default()),
    });
    quote!(Self::new(#(#args),*))
}

/// The table entry of field `i`: its kind and presence rule, then its
/// checks and its `message_attr` key.
fn entry(r: &Record, i: usize, f: &Field) -> TokenStream {
    let n = field_ident(f);
    let key = &f.wire_key;
    let c = codec(&f.ty);
    let at = quote!(rec::at!(#n));
    let mut e = match (&f.ty, &f.presence) {
        (Ty::Callback, _) => quote!(#at.callback(#key)),
        (Ty::Handle, _) => quote!(#at.handle(#key)),
        (_, Presence::Optional) if f.null_unset => quote!(#at.opt::<#c>(#key)),
        (_, Presence::Optional) => quote!(#at.opt::<#c>(#key).strict()),
        (_, Presence::RequiredKey) => quote!(#at.opt::<#c>(#key).required_key()),
        (_, Presence::Required) => quote!(#at.required::<#c>(#key)),
        (_, Presence::Default { value, nullable }) => {
            let make = if super::default_is_trivial(&value.lit) {
                quote!(Default::default)
            } else {
                let v = value_expr(&value.lit);
                quote!(|| #v)
            };
            quote!(#at.or_default::<#c>(#key, #nullable, #make))
        }
    };
    if let Some(bound) = f.gt {
        let b = Literal::f64_unsuffixed(bound);
        e = quote!(#e.gt(#b));
    }
    for (method, other) in [("conflicts_with", f.conflicts_with), ("requires", f.requires)] {
        if let Some(o) = other {
            assert!(is_option(f), "validation: `{method}` is on an optional field ({}.{})", r.name, f.name);
            let (okey, on) = (&r.fields[o].wire_key, field_ident(&r.fields[o]));
            let method = ident(method);
            e = quote!(#e.#method(#okey, |r: &Self| r.#on.is_some()));
        }
    }
    if f.write_truthy && is_option(f) {
        e = quote!(#e.truthy());
    }
    let mut attrs = r.message_attr.iter().flatten().filter(|a| a.field == i);
    if let Some(a) = attrs.next() {
        let key = &a.key;
        e = match &a.value {
            Some(v) => {
                let v = scalar_value(v);
                quote!(#e.attr_value(#key, || #v))
            }
            None => {
                assert!(!f.ty.is_runtime(), "validation: `message_attr` gives a value for a field set in code ({}.{})", r.name, f.name);
                quote!(#e.attr(#key))
            }
        };
    }
    assert!(attrs.next().is_none(), "validation: `message_attr` lists each field once ({}.{})", r.name, f.name);
    e
}

/// `message_attr()`: the options dict sent in the WAMP message, from the
/// `message_attr` keys of the record's table.
pub fn message_attr(r: &Record) -> TokenStream {
    if r.message_attr.is_none() {
        return quote!();
    }
    quote! {
        /// The options dict sent in the WAMP message: only what is set, under its wire key.
        pub fn message_attr(&self) -> rt::Value {
            rec::message_attr(self)
        }
    }
}
