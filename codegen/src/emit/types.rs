//! Type definitions: enums, record structs (with `Default`, `new`,
//! constants, derived values and conversions) and unions.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::{codec, doc, field_ident, field_type, ident, is_option, rust_type, value_expr};
use crate::ir::{Conversion, Derived, Enum, Model, Presence, Record, Union, Unknown};

pub fn enum_def(e: &Enum) -> TokenStream {
    let name = ident(&e.name);
    let docs = doc(&e.doc);
    let variants = e.values.iter().map(|v| {
        let d = doc(&format!("{} Wire form: `{}`.", v.doc, v.wire));
        let n = ident(&v.name);
        quote! { #d #n, }
    });
    let names: Vec<_> = e.values.iter().map(|v| ident(&v.name)).collect();
    let wires = e.values.iter().map(|v| &v.wire);
    let wires_list = wires.clone();
    let codes = if e.values.iter().all(|v| v.code.is_some()) {
        let codes = e.values.iter().map(|v| v.code.unwrap_or_default());
        let from_names = names.clone();
        let codes2 = codes.clone();
        quote! {
            /// The integer code autobahn-python uses for this value.
            pub fn code(self) -> i64 {
                match self { #( Self::#names => #codes, )* }
            }
            /// The value an integer code stands for.
            pub fn from_code(code: i64) -> Option<Self> {
                match code { #( #codes2 => Some(Self::#from_names), )* _ => None }
            }
        }
    } else {
        quote!()
    };
    let names2 = names.clone();
    let name_str = &e.name;
    let shown: Vec<String> = e.values.iter().map(|v| format!("`{:?}`", v.wire)).collect();
    let all_doc = format!(" Every value, in schema order; on the wire: {}.", shown.join(", "));
    let from_str_doc = format!(
        " The value a wire string stands for; any other string is refused with an error that names it and the allowed ones: `{}: expected one of {}, got string \"...\"`.",
        e.name,
        e.values.iter().map(|v| format!("{:?}", v.wire)).collect::<Vec<_>>().join(", ")
    );
    quote! {
        #docs
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum #name { #(#variants)* }

        impl #name {
            #[doc = #all_doc]
            pub const ALL: &'static [Self] = &[ #( Self::#names2 ),* ];

            /// The string that stands for this value on the wire.
            pub fn as_str(self) -> &'static str {
                c::WireEnum::wire(self)
            }
            #codes
        }

        impl c::WireEnum for #name {
            const ALL: &'static [Self] = #name::ALL;
            const ENUM: sh::Enum = sh::Enum { name: #name_str, wires: &[#(#wires_list),*] };
            fn wire(self) -> &'static str {
                match self { #( Self::#names => #wires, )* }
            }
        }

        impl std::fmt::Display for #name {
            /// The wire string.
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for #name {
            type Err = rt::Error;
            #[doc = #from_str_doc]
            fn from_str(s: &str) -> Result<Self, rt::Error> {
                c::enum_from_str(#name_str, s)
            }
        }
    }
}

/// The sentence of a record's docs that says what it does with keys no
/// field names, from the schema's `unknown_keys`.
fn unknown_keys_doc(r: &Record) -> &'static str {
    match r.unknown {
        Unknown::Refuse => {
            "Unknown keys are refused: `parse` and decoding fail on a key that no field names, as autobahn-python's constructor does."
        }
        Unknown::Ignore => {
            "Unknown keys are ignored: `parse` and decoding skip a key that no field names, as autobahn-python's `parse()` does, and `marshal` does not write it back."
        }
        Unknown::Keep => "Unknown keys are kept: a key that no field names is kept in `rest`, as it came, and `marshal` writes it back.",
        Unknown::Custom => {
            "Unknown keys that are custom names (`x_` and lowercase letters, digits or underscores, as autobahn-python's pattern says) are kept in `rest` and written back; other unknown keys are ignored."
        }
    }
}

pub fn record_def(r: &Record, model: &Model) -> TokenStream {
    let name = ident(&r.name);
    let docs = doc(&format!("{}\n\n{}", r.doc, unknown_keys_doc(r)));
    let fields = r.fields.iter().map(|f| {
        let mut text = f.doc.clone();
        if f.wire_key != f.rust_name {
            text.push_str(&format!(" Dict key: `{}`.", f.wire_key));
        }
        if let Some(arg) = &f.ctor_arg {
            text.push_str(&format!(" autobahn's constructor calls it `{arg}`."));
        }
        if let Presence::Default { value, .. } = &f.presence {
            text.push_str(&format!(" Defaults to `{}`.", value.text));
        }
        if let Some(why) = super::int_doc(&f.ty) {
            text.push(' ');
            text.push_str(why);
        }
        let d = doc(&text);
        let n = field_ident(f);
        let t = field_type(f);
        quote! { #d pub #n: #t, }
    });
    let rest = r.unknown.keeps_rest().then(|| {
        quote! {
            /// Keys this type does not know, kept as they came and written back.
            pub rest: rt::Map,
        }
    });
    let has_required = r.fields.iter().any(|f| f.presence == Presence::Required);
    let trivial = r.fields.iter().all(|f| match &f.presence {
        Presence::Default { value, .. } => super::default_is_trivial(&value.lit),
        _ => true,
    });
    let derive_default = (!has_required && trivial).then(|| quote!(Default,));
    let init = |required_from_args: bool| {
        let inits = r.fields.iter().map(move |f| {
            let n = field_ident(f);
            let v = match &f.presence {
                _ if is_option(f) => quote!(None),
                Presence::Default { value, .. } => value_expr(&value.lit),
                _ if required_from_args => {
                    let arg = ident(f.ctor_arg.as_deref().unwrap_or(&f.rust_name));
                    quote!(#arg)
                }
                _ => quote!(Default::default()),
            };
            if n == v.to_string() { quote!(#n,) } else { quote!(#n: #v,) }
        });
        let rest = r.unknown.keeps_rest().then(|| quote!(rest: rt::Map::new(),));
        quote!(Self { #(#inits)* #rest })
    };
    let manual_default = (!has_required && !trivial).then(|| {
        let body = init(false);
        quote! {
            impl Default for #name {
                fn default() -> Self { #body }
            }
        }
    });
    let new = has_required.then(|| {
        let params = r.fields.iter().filter(|f| f.presence == Presence::Required).map(|f| {
            let arg = ident(f.ctor_arg.as_deref().unwrap_or(&f.rust_name));
            let t = rust_type(&f.ty);
            quote!(#arg: #t)
        });
        let body = init(true);
        quote! {
            /// A value with the required fields given and every other field unset or at its default.
            pub fn new(#(#params),*) -> Self { #body }
        }
    });
    let constants = super::constants::record_constants(r, model);
    let derived = r.derived.iter().map(|d| derived_fn(r, d));
    let conversions = r.conversions.iter().map(|c| conversion_fn(r, c, model));
    let implied: Vec<_> = r.fields.iter().filter_map(|f| implied_fn(r, f)).collect();
    let message_attr = super::record::message_attr(r);
    let parse_doc = format!(
        " Builds a `{}` from its dict form, refusing exactly what autobahn-python refuses; the error names the field path, what was expected and what came.",
        r.name
    );
    let marshal_doc = if r.marshal_set {
        " The dict form: the fields that are set, under their wire keys."
    } else {
        " The dict form: every data field, `null` when unset."
    };
    let inherent = quote! {
        impl #name {
            #constants
            #new
            #[doc = #parse_doc]
            pub fn parse(value: &rt::Value) -> Result<Self, rt::Error> {
                <Self as serde::Deserialize>::deserialize(value)
            }
            #[doc = #marshal_doc]
            pub fn marshal(&self) -> rt::Value {
                rt::Value::Map(rec::to_map(self))
            }
            /// [`Self::marshal`], moving the fields into the dict instead of copying them.
            pub fn into_marshal(self) -> rt::Value {
                rt::Value::Map(rec::into_map(self))
            }
            #message_attr
            #(#derived)*
            #(#implied)*
            #(#conversions)*
        }
    };
    quote! {
        #docs
        #[derive(#derive_default Clone, Debug, PartialEq)]
        pub struct #name { #(#fields)* #rest }

        #manual_default
        #inherent
    }
}

/// For a field with `implied_by`: the value in effect, which is the implied
/// value while the trigger is true. The field itself keeps what was given,
/// so that `parse(marshal(x)) == x`.
fn implied_fn(r: &Record, f: &crate::ir::Field) -> Option<TokenStream> {
    let (trigger, value) = f.implied_by.as_ref()?;
    let t = &r.fields[*trigger];
    let ti = field_ident(t);
    let n = field_ident(f);
    let fname = format_ident!("effective_{}", f.rust_name);
    let v = value_expr(&value.lit);
    let ty = rust_type(&f.ty);
    let cond = if is_option(t) { quote!(self.#ti == Some(true)) } else { quote!(self.#ti) };
    let text = format!(
        "The `{}` in effect: `{}` while `{}` is true (as autobahn-python sets it), else the field as given.",
        f.name, value.text, t.name
    );
    let d = doc(&text);
    Some(quote! {
        #d
        pub fn #fname(&self) -> Option<#ty> {
            if #cond { Some(#v) } else { self.#n.clone() }
        }
    })
}

fn derived_fn(r: &Record, d: &Derived) -> TokenStream {
    let docs = doc(&d.doc);
    let n = ident(&d.name);
    let parts = d.join.iter().map(|(j, e)| {
        let f = &r.fields[*j];
        let e = ident(e);
        let unset = ident(&d.unset);
        let fi = field_ident(f);
        if is_option(f) { quote!(self.#fi.unwrap_or(#e::#unset).as_str()) } else { quote!(self.#fi.as_str()) }
    });
    let sep = &d.separator;
    quote! {
        #docs
        pub fn #n(&self) -> String {
            [#(#parts),*].join(#sep)
        }
    }
}

fn conversion_fn(r: &Record, c: &Conversion, model: &Model) -> TokenStream {
    let docs = doc(&c.doc);
    let n = ident(&c.name);
    let source = model.rec(c.source);
    let src = ident(&source.name);
    // Fills the target's dict from the record `rec` held in `base`: each
    // field of `rec` named in `from` feeds the target field of its mapping.
    let fill = |rec: &Record, base: TokenStream, from: &mut dyn Iterator<Item = usize>| {
        let pushes = c.fields.iter().zip(from).map(|(m, j)| {
            let key = &r.fields[m.target].wire_key;
            let f = &rec.fields[j];
            let fi = field_ident(f);
            let cd = codec(&f.ty);
            let value = if is_option(f) { quote!(c::opt_to_value::<#cd>(&#base.#fi)) } else { quote!(<#cd as c::Codec>::to_value(&#base.#fi)) };
            quote!(m.push_unique(#key, #value);)
        });
        quote!(#(#pushes)*)
    };
    let own = fill(source, quote!(source), &mut c.fields.iter().map(|m| m.source));
    let body = match &c.first_of {
        Some((list, first, fields)) => {
            // The first hop names its fields as the target does.
            let firsts = fill(model.rec(*first), quote!(first), &mut fields.iter().copied());
            let list = &source.fields[*list];
            let li = field_ident(list);
            let get_first = if is_option(list) { quote!(source.#li.as_ref().and_then(|l| l.first())) } else { quote!(source.#li.first()) };
            quote! {
                match #get_first {
                    Some(first) => { #firsts }
                    None => { #own }
                }
            }
        }
        None => own,
    };
    let cap = Literal::usize_unsuffixed(c.fields.len());
    quote! {
        #docs
        pub fn #n(source: &#src) -> Result<Self, rt::Error> {
            let mut m = rt::Map::with_capacity(#cap);
            #body
            Self::parse(&rt::Value::Map(m))
        }
    }
}

pub fn union_def(u: &Union) -> TokenStream {
    let name = ident(&u.name);
    let docs = doc(&u.doc);
    let variants = u.variants.iter().map(|v| {
        let d = doc(&format!("{} Dict form: `{{\"{}\": {{...}}}}`.", v.doc, v.key));
        let n = ident(&v.ty);
        quote! { #d #n(#n), }
    });
    let froms = u.variants.iter().map(|v| {
        let n = ident(&v.ty);
        quote! {
            impl From<#n> for #name {
                fn from(x: #n) -> Self { Self::#n(x) }
            }
        }
    });
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq)]
        pub enum #name { #(#variants)* }
        #(#froms)*
    }
}
