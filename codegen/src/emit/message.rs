//! WAMP messages: a struct per message with `parse` from the list a
//! deserializer hands over and `marshal` back to it, and the `Message` enum
//! that dispatches on the code.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{codec, doc, ident, rust_type};
use crate::ir::{Message, Model, Position, Ty, UriRule};

/// The struct of one message, its `parse` and `marshal`, and serde support.
pub fn message_tokens(m: &Message, model: &Model) -> TokenStream {
    let name = ident(&m.rust_name);
    let variant = ident(&m.name);
    let wire = &m.wire_name;
    let code = Literal::u64_unsuffixed(m.code as u64);
    let mut text = format!("{}\n\nWire form: `[{}, {}]` ({}).", m.doc, m.code, layout(m), m.wire_name);
    for c in &m.checks {
        text.push_str(&format!("\n\n{}", c.doc));
    }
    let docs = doc(&text);
    let fields = m.positions.iter().map(|p| {
        let d = match super::int_doc(&p.ty) {
            Some(why) => doc(&format!("{} {why}", p.doc)),
            None => doc(&p.doc),
        };
        let n = ident(&p.name);
        let t = position_type(p);
        quote! { #d pub #n: #t, }
    });
    let payload_field = m.payload.as_ref().map(|_| {
        quote! {
            /// The arguments, or the encoded payload in their place.
            pub payload: rt::Payload,
        }
    });
    let (min, max) = m.len_range();
    let (min, max) = (Literal::usize_unsuffixed(min), Literal::usize_unsuffixed(max));
    let reads = m.positions.iter().enumerate().map(|(i, p)| read_position(m, i, p, model));
    let payload_read = m.payload.as_ref().map(|t| {
        let dict = &m.positions[t.dict].name;
        let nullable = t.args_nullable;
        quote!(let payload = r.payload(#dict, #nullable)?;)
    });
    let checks: Vec<_> = m.checks.iter().map(|c| check_tokens(m, c, model)).collect();
    let check_fn = (!checks.is_empty()).then(|| {
        quote! {
            /// The rules between positions that autobahn-python's constructor asserts.
            fn check(&self, at: &rt::Path<'_>) -> Result<(), rt::Error> {
                #(#checks)*
                Ok(())
            }
        }
    });
    let names: Vec<_> = m.positions.iter().map(|p| ident(&p.name)).collect();
    let payload_name = m.payload.as_ref().map(|_| quote!(payload,));
    let build = if checks.is_empty() {
        quote!(Ok(wrap(Self { #(#names,)* #payload_name })))
    } else {
        quote! {
            let this = Self { #(#names,)* #payload_name };
            r.check(this.check(r.at()))?;
            Ok(wrap(this))
        }
    };
    let writes = m.positions.iter().enumerate().map(|(i, p)| write_position(m, i, p));
    let payload_write = m.payload.as_ref().map(|_| quote!(w.payload(&self.payload)?;));
    let bridge = super::bridge::bridge_tokens(m, model);
    let known = format!("the message code {}", m.code);
    let parse_doc = format!(
        " Reads a {wire} message from the list a deserializer hands over, code included, checking it as autobahn-python does; the error names the position or key, what was expected and what came."
    );
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq)]
        pub struct #name {
            #(#fields)*
            #payload_field
        }

        impl #name {
            /// The message code.
            pub const CODE: u64 = #code;

            #[doc = #parse_doc]
            pub fn parse(value: &rt::Value) -> Result<Self, rt::Error> {
                msg::parse(value)
            }

            /// The list autobahn-python's `marshal()` writes for this message.
            pub fn marshal(&self) -> rt::Value {
                msg::marshal(self)
            }

            #check_fn
        }

        impl msg::MessageType for #name {
            const CODE: u64 = #code;
            const NAME: &'static str = #wire;
            const KNOWN: &'static str = #known;
            const LEN: (usize, usize) = (#min, #max);

            fn read_into<R: msg::Items, O>(r: &mut R, wrap: impl FnOnce(Self) -> O) -> Result<O, R::Error> {
                #(#reads)*
                #payload_read
                #build
            }

            fn write<W: msg::ListWriter>(&self, w: &mut W) -> Result<(), W::Error> {
                #(#writes)*
                #payload_write
                Ok(())
            }
        }

        msg::message_impls!(#name, #variant);

        #bridge
    }
}

/// The positions as the docs show them: `request, options, procedure, args?, kwargs?`.
fn layout(m: &Message) -> String {
    let mut parts: Vec<String> = m.positions.iter().map(|p| if p.optional { format!("{}?", p.name) } else { p.name.clone() }).collect();
    if m.payload.is_some() {
        parts.push("args?, kwargs? | payload".to_owned());
    }
    parts.join(", ")
}

/// The Rust type of a position.
fn position_type(p: &Position) -> TokenStream {
    let t = rust_type(&p.ty);
    if p.nullable { quote!(Option<#t>) } else { t }
}

/// The URI rule of a `uri` position, as an expression.
fn uri_rule(m: &Message, p: &Position, model: &Model) -> TokenStream {
    match p.uri_rule {
        UriRule::Exact => quote!(rt::UriRule::Exact),
        UriRule::Prefix => quote!(rt::UriRule::Prefix),
        UriRule::Wildcard => quote!(rt::UriRule::Wildcard),
        UriRule::Match(at) => {
            let dict = ident(&m.positions[at.position].name);
            let f = model.field(at);
            let fi = super::field_ident(f);
            let policy = if super::is_option(f) { quote!(#dict.#fi.map_or("exact", |p| p.as_str())) } else { quote!(#dict.#fi.as_str()) };
            quote!(rt::UriRule::for_match(#policy))
        }
    }
}

/// Reads position `i` into a local of its name.
fn read_position(m: &Message, i: usize, p: &Position, model: &Model) -> TokenStream {
    let n = ident(&p.name);
    let key = &p.name;
    // A position with `one_of` is read as any integer, so that the error
    // for a value outside the list names the list, negative values included.
    let c = if p.one_of.is_empty() { codec(&p.ty) } else { codec(&Ty::Int) };
    let capture = m.payload.as_ref().is_some_and(|t| t.dict == i);
    let read = match &p.ty {
        Ty::Uri => {
            let rule = uri_rule(m, p, model);
            if p.nullable { quote!(r.uri_or_null(#key, #rule)?) } else { quote!(r.uri(#key, #rule)?) }
        }
        Ty::Record(t) if !p.optional => {
            let t = ident(t);
            quote!(r.dict::<#t>(#key, #capture)?)
        }
        _ if p.optional => quote!(r.optional::<#c>(#key)?),
        _ if p.nullable => quote!(r.next::<#c>(#key)?),
        _ => quote!(r.required::<#c>(#key)?),
    };
    let one_of = (!p.one_of.is_empty()).then(|| {
        let values = p.one_of.iter().map(|x| Literal::u64_unsuffixed(*x));
        quote!(let #n = r.check(msg::one_of(#n, &[#(#values),*], &r.at().field(#key)))?;)
    });
    quote! {
        let #n = #read;
        #one_of
    }
}

/// Writes position `i`.
fn write_position(m: &Message, i: usize, p: &Position) -> TokenStream {
    let n = ident(&p.name);
    let c = if p.ty == Ty::Uri { codec(&Ty::Str) } else { codec(&p.ty) };
    match &p.ty {
        Ty::Record(_) => {
            let payload = if m.payload.as_ref().is_some_and(|t| t.dict == i) { quote!(Some(&self.payload)) } else { quote!(None) };
            let optional = p.optional;
            quote!(w.dict(&self.#n, #payload, #optional)?;)
        }
        _ if p.nullable => quote!(w.item_or_null::<#c>(&self.#n)?;),
        _ => quote!(w.item::<#c>(&self.#n)?;),
    }
}

/// A rule between positions: while a field is set, a position is 0 and a value is not.
fn check_tokens(m: &Message, c: &crate::ir::Check, model: &Model) -> TokenStream {
    let field_of = |at: crate::ir::FieldAt| (ident(&m.positions[at.position].name), model.field(at));
    let (wp, wf) = field_of(c.when);
    let wfi = super::field_ident(wf);
    let when_name = format!("{}.{}", m.positions[c.when.position].name, wf.wire_key);
    let zero = c.zero.map(|z| {
        let (zn, key) = (ident(&m.positions[z].name), &m.positions[z].name);
        quote!(msg::zero_while(self.#zn, at, #key, #when_name)?;)
    });
    let nonzero = c.nonzero.map(|(pos, field)| {
        let key = &m.positions[pos].name;
        match field {
            None => {
                let p = ident(key);
                quote!(msg::nonzero(self.#p, at, #key, None)?;)
            }
            Some(f) => {
                let (p, f) = field_of(f);
                let (fi, fkey) = (super::field_ident(f), &f.wire_key);
                let value = if super::is_option(f) { quote!(self.#p.#fi.unwrap_or_default()) } else { quote!(self.#p.#fi) };
                quote!(msg::nonzero(#value, at, #key, Some(#fkey))?;)
            }
        }
    });
    quote! {
        if self.#wp.#wfi.is_some() {
            #zero
            #nonzero
        }
    }
}

/// The `Message` enum over every message of the schema, dispatching on the code.
pub fn message_enum(model: &Model) -> TokenStream {
    let messages: Vec<&Message> = model.modules.iter().flat_map(|m| &m.messages).collect();
    if messages.is_empty() {
        return quote!();
    }
    let variants = messages.iter().map(|m| {
        let n = ident(&m.name);
        let t = ident(&m.rust_name);
        let d = doc(&format!("{}, code {}.", m.wire_name, m.code));
        quote! { #d #n(#t), }
    });
    let names: Vec<_> = messages.iter().map(|m| ident(&m.name)).collect();
    let types: Vec<_> = messages.iter().map(|m| ident(&m.rust_name)).collect();
    let codes: Vec<_> = messages.iter().map(|m| Literal::u64_unsuffixed(m.code as u64)).collect();
    let wires: Vec<_> = messages.iter().map(|m| &m.wire_name).collect();
    let mut sorted: Vec<i64> = messages.iter().map(|m| m.code).collect();
    sorted.sort_unstable();
    let expected = format!("a known message code ({})", sorted.iter().map(i64::to_string).collect::<Vec<_>>().join(", "));
    quote! {
        /// Any WAMP message, as the code at its head says.
        #[derive(Clone, Debug, PartialEq)]
        pub enum Message {
            #(#variants)*
        }

        impl Message {
            /// Reads any WAMP message from the list a deserializer hands over,
            /// as autobahn-python's serializer does: a non-empty list whose
            /// first element, an integer (not a boolean), is a known message
            /// code; then that message's own checks. The same as
            /// `Message::deserialize(value)`.
            pub fn parse(value: &Value) -> Result<Message, Error> {
                msg::decode_message(value)
            }

            /// The list autobahn-python's `marshal()` writes for this message.
            pub fn marshal(&self) -> Value {
                match self {
                    #( Message::#names(m) => m.marshal(), )*
                }
            }

            /// The message code.
            pub fn code(&self) -> u64 {
                match self {
                    #( Message::#names(_) => #codes, )*
                }
            }

            /// The message's name as the WAMP spec writes it (`CALL`, `EVENT_RECEIVED`).
            pub fn name(&self) -> &'static str {
                match self {
                    #( Message::#names(_) => #wires, )*
                }
            }
        }

        impl serde::Serialize for Message {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self {
                    #( Message::#names(m) => serde::Serialize::serialize(m, s), )*
                }
            }
        }

        impl msg::DecodeSeq for Message {
            const ROOT: &'static str = "Message";
            const KNOWN: &'static str = #expected;
            #[inline]
            fn by_code<V: msg::ByCode<Self>>(code: u64, v: V) -> V::Out {
                match code {
                    #( #codes => v.read::<#types>(Message::#names), )*
                    _ => v.unknown(code),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for Message {
            /// Reads any message straight from the format, with the checks and errors of [`Message::parse`].
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                msg::decode_message(d)
            }
        }
    }
}
