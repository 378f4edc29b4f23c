//! The `Record` implementation of each record: its constants, the value
//! reading starts from, its field table (data: one entry per field with its
//! wire key, kind, presence rule, checks and `message_attr` key; also the
//! record's shape) and `field`, which hands field number `i`, where it lives
//! and its codec, to the runtime's typed step. Everything done with a record
//! (the loop over a map's keys, unknown and repeated keys, presence rules,
//! checks, the writers) is the runtime's, driven by that table.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{codec, field_ident, ident, is_option, scalar_value};
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
    let blank = blank(r);
    let entries = r.fields.iter().enumerate().map(|(i, f)| entry(r, i, f));
    let arms = r.fields.iter().enumerate().map(|(i, f)| {
        let (i, step) = (Literal::usize_unsuffixed(i), step(f));
        quote!(#i => #step,)
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
    let field = if r.fields.is_empty() {
        quote!(
            fn field<V: rec::Visit<Self>>(_: V, i: usize) -> V::Out {
                unreachable!("a record without fields has no field {i}")
            }
        )
    } else if let [f] = &r.fields[..] {
        let step = step(f);
        quote! {
            #[inline(always)]
            fn field<V: rec::Visit<Self>>(v: V, _: usize) -> V::Out {
                #step
            }
        }
    } else {
        quote! {
            #[inline(always)]
            fn field<V: rec::Visit<Self>>(v: V, i: usize) -> V::Out {
                match i {
                    #(#arms)*
                    _ => unreachable!("the runtime asks only for the numbers of the table"),
                }
            }
        }
    };
    quote! {
        impl rec::Record for #name {
            const NAME: &'static str = #name_str;
            const UNKNOWN: rt::UnknownKeys = rt::UnknownKeys::#unknown;
            #refused
            #callbacks
            #marshal_set
            #non_empty
            const FIELDS: &'static [rt::shape::Field] = &[#(#entries),*];
            #field
            #rest
        }
        #blank
    }
}

/// The value reading starts from, for a record with required fields:
/// `new` given a blank value of each (the others start from `Default`).
fn blank(r: &Record) -> Option<TokenStream> {
    let name = ident(&r.name);
    let required = r.fields.iter().filter(|f| f.presence == Presence::Required);
    let args: Vec<TokenStream> = required
        .map(|f| match &f.ty {
            Ty::Record(n) => {
                let n = ident(n);
                quote!(<#n as rec::Blank>::blank())
            }
            Ty::Enum(n) => {
                let n = ident(n);
                quote!(#n::ALL[0])
            }
            _ => quote!(Default::default()),
        })
        .collect();
    (!args.is_empty()).then(|| {
        quote! {
            impl rec::Blank for #name {
                fn blank() -> Self {
                    Self::new(#(#args),*)
                }
            }
        }
    })
}

/// The typed step on a field: the `Visit` method for its kind, with where
/// it lives and its codec.
fn step(f: &Field) -> TokenStream {
    let (n, c) = (field_ident(f), codec(&f.ty));
    let at = quote!(rec::at!(#n));
    match (&f.ty, &f.presence) {
        (Ty::Callback, _) => quote!(v.callback(#at)),
        (Ty::Handle, _) => quote!(v.handle(#at)),
        _ if is_option(f) => quote!(v.opt::<#c>(#at)),
        (_, Presence::Default { .. }) => quote!(v.default::<#c>(#at)),
        _ => quote!(v.val::<#c>(#at)),
    }
}

/// The table entry of field `i`: its wire key, kind and presence rule,
/// then its checks and its `message_attr` key.
fn entry(r: &Record, i: usize, f: &Field) -> TokenStream {
    let key = &f.wire_key;
    let c = codec(&f.ty);
    let mut e = match (&f.ty, &f.presence) {
        (Ty::Callback, _) => quote!(rec::callback(#key)),
        (Ty::Handle, _) => quote!(rec::handle(#key)),
        (_, Presence::Optional) if f.null_unset => quote!(rec::opt::<#c>(#key)),
        (_, Presence::Optional) => quote!(rec::opt::<#c>(#key).strict()),
        (_, Presence::RequiredKey) => quote!(rec::opt::<#c>(#key).required_key()),
        (_, Presence::Required) => quote!(rec::required::<#c>(#key)),
        (_, Presence::Default { nullable, .. }) => quote!(rec::or_default::<#c>(#key, #nullable)),
    };
    if let Some(bound) = f.gt {
        let b = Literal::f64_unsuffixed(bound);
        e = quote!(#e.gt(#b));
    }
    for (method, other) in [("conflicts_with", f.conflicts_with), ("requires", f.requires)] {
        if let Some(o) = other {
            assert!(is_option(f), "validation: `{method}` is on an optional field ({}.{})", r.name, f.name);
            let okey = &r.fields[o].wire_key;
            let method = ident(method);
            e = quote!(#e.#method(#okey));
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
