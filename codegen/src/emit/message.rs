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
        let d = doc(&p.doc);
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
    let reads = m.positions.iter().enumerate().map(|(i, p)| read_position(m, i, p, model, Source::Value));
    let decodes = m.positions.iter().enumerate().map(|(i, p)| read_position(m, i, p, model, Source::Serde));
    let payload_read = m.payload.as_ref().map(|t| {
        let first = Literal::usize_unsuffixed(1 + m.positions.len());
        let dict = Literal::usize_unsuffixed(1 + t.dict);
        let dict_name = &m.positions[t.dict].name;
        let nullable = t.args_nullable;
        quote! {
            let payload = rt::Payload::read(items.get(#first..).unwrap_or_default(), items[#dict].as_map(), &at.field(#dict_name), at, #nullable)?;
        }
    });
    let payload_decode = match &m.payload {
        Some(t) => {
            let dict_name = &m.positions[t.dict].name;
            let nullable = t.args_nullable;
            quote!(let payload = r.payload(enc, &at.field(#dict_name), #nullable)?;)
        }
        None => quote!(r.end()?;),
    };
    let enc_decl = m.payload.as_ref().map(|_| quote!(let mut enc = rt::wamp::EncKeys::default();));
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
    let (check_value, check_serde) =
        if checks.is_empty() { (quote!(), quote!()) } else { (quote!(this.check(at)?;), quote!(this.check(at).map_err(rt::Error::into_de)?;)) };
    let names: Vec<_> = m.positions.iter().map(|p| ident(&p.name)).collect();
    let payload_name = m.payload.as_ref().map(|_| quote!(payload,));
    let writes = marshal_body(m);
    let bridge = super::bridge::bridge_tokens(m, model);
    let serialize = serialize_body(m);
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
                let at = rt::Path::Root(#wire);
                Self::parse_items(rt::wamp::message_items(value, Self::CODE, &at)?, &at)
            }

            pub(crate) fn parse_items(items: &[rt::Value], at: &rt::Path<'_>) -> Result<Self, rt::Error> {
                rt::wamp::check_len(items, #min, #max, at)?;
                #(#reads)*
                #payload_read
                let this = Self { #(#names,)* #payload_name };
                #check_value
                Ok(this)
            }

            pub(crate) fn decode_items<'de, A: serde::de::SeqAccess<'de>>(seq: A, at: &rt::Path<'_>, hr: bool) -> Result<Self, A::Error> {
                let mut r = rt::wamp::Reader::new(seq, at, hr, #min, #max);
                #enc_decl
                #(#decodes)*
                #payload_decode
                let this = Self { #(#names,)* #payload_name };
                #check_serde
                Ok(this)
            }

            #check_fn

            /// The list autobahn-python's `marshal()` writes for this message.
            pub fn marshal(&self) -> rt::Value {
                #writes
            }
        }

        impl From<#name> for crate::Message {
            fn from(m: #name) -> Self {
                crate::Message::#variant(m)
            }
        }

        impl serde::Serialize for #name {
            /// Writes the list that [`Self::marshal`] gives, without building it.
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                #serialize
            }
        }

        impl rt::wamp::DecodeSeq for #name {
            const ROOT: &'static str = #wire;
            const KNOWN: &'static str = #known;
            fn decode_seq<'de, A: serde::de::SeqAccess<'de>>(code: u64, seq: A, hr: bool) -> Result<Self, A::Error> {
                if code != Self::CODE {
                    return Err(rt::wamp::wrong_code(#wire, #known, code));
                }
                Self::decode_items(seq, &rt::Path::Root(#wire), hr)
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            /// Reads the message straight from the format, with the checks and errors of [`Self::parse`].
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                rt::wamp::decode_message(d)
            }
        }

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

/// Where a message is read from: a [`rt::Value`] list, or a serde sequence
/// through a `rt::wamp::Reader` named `r`.
#[derive(Clone, Copy, PartialEq)]
enum Source {
    Value,
    Serde,
}

/// The URI rule of a `uri` position, as an expression.
fn uri_rule(m: &Message, p: &Position, model: &Model) -> TokenStream {
    match p.uri_rule {
        UriRule::Exact => quote!(rt::wamp::UriRule::Exact),
        UriRule::Prefix => quote!(rt::wamp::UriRule::Prefix),
        UriRule::Wildcard => quote!(rt::wamp::UriRule::Wildcard),
        UriRule::Match { position, field } => {
            let dict = ident(&m.positions[position].name);
            let Ty::Record(r) = &m.positions[position].ty else { panic!("validation: a uri_rule path names a record position") };
            let f = &model.record(r).expect("validation: the record exists").fields[field];
            let fi = super::field_ident(f);
            let policy = if super::is_option(f) { quote!(#dict.#fi.map_or("exact", |p| p.as_str())) } else { quote!(#dict.#fi.as_str()) };
            quote!(rt::wamp::UriRule::for_match(#policy))
        }
    }
}

/// Reads position `i` (list element `i + 1`) into a local of its name.
fn read_position(m: &Message, i: usize, p: &Position, model: &Model, source: Source) -> TokenStream {
    let n = ident(&p.name);
    let key = &p.name;
    let idx = Literal::usize_unsuffixed(i + 1);
    // A URI is read as a string, then checked under its rule.
    let c = if p.ty == Ty::Uri { codec(&Ty::Str) } else { codec(&p.ty) };
    let here = quote!(&at.field(#key));
    let is_dict = m.payload.as_ref().is_some_and(|t| t.dict == i);
    let read = match source {
        Source::Value if p.optional => quote! {
            let #n = match items.get(#idx) {
                Some(v) => <#c as c::Codec>::from_value(v, #here)?,
                None => Default::default(),
            };
        },
        Source::Value if p.nullable => quote! {
            let #n = match &items[#idx] {
                rt::Value::Null => None,
                v => Some(<#c as c::Codec>::from_value(v, #here)?),
            };
        },
        Source::Value => quote!(let #n = <#c as c::Codec>::from_value(&items[#idx], #here)?;),
        Source::Serde if p.optional => quote!(let #n = r.optional::<#c>(#key)?;),
        Source::Serde if p.nullable => quote!(let #n = r.next::<#c>(#key)?;),
        Source::Serde if is_dict => {
            let Ty::Record(t) = &p.ty else { panic!("validation: the payload's dict is a record position") };
            let t = ident(t);
            quote!(let #n = r.dict::<#t>(#key, &mut enc)?;)
        }
        Source::Serde => quote!(let #n = r.required::<#c>(#key)?;),
    };
    let map_err = (source == Source::Serde).then(|| quote!(.map_err(rt::Error::into_de)));
    let uri = (p.ty == Ty::Uri).then(|| {
        let rule = uri_rule(m, p, model);
        if p.nullable {
            quote!(if let Some(s) = &#n { rt::wamp::check_uri(s, #rule, #here)#map_err?; })
        } else {
            quote!(rt::wamp::check_uri(&#n, #rule, #here)#map_err?;)
        }
    });
    let one_of = (!p.one_of.is_empty()).then(|| {
        let values = p.one_of.iter().map(|x| Literal::i64_unsuffixed(*x));
        quote!(rt::wamp::check_one_of(#n, &[#(#values),*], #here)#map_err?;)
    });
    quote! {
        #read
        #uri
        #one_of
    }
}

/// A rule between positions: while a field is set, a position is 0 and a value is not.
fn check_tokens(m: &Message, c: &crate::ir::Check, model: &Model) -> TokenStream {
    let field_of = |pos: usize, field: usize| {
        let Ty::Record(r) = &m.positions[pos].ty else { panic!("validation: a check path names a record position") };
        let f = &model.record(r).expect("validation: the record exists").fields[field];
        (ident(&m.positions[pos].name), f)
    };
    let (wp, wf) = field_of(c.when.0, c.when.1);
    let wfi = super::field_ident(wf);
    let when_name = format!("{}.{}", m.positions[c.when.0].name, wf.wire_key);
    let zero = c.zero.map(|z| {
        let zn = ident(&m.positions[z].name);
        let key = &m.positions[z].name;
        let expected = format!("0 while {when_name} is set");
        quote! {
            if self.#zn != 0 {
                return Err(rt::Error::new(&at.field(#key), #expected, format!("integer {}", self.#zn)));
            }
        }
    });
    let nonzero = c.nonzero.map(|(pos, field)| {
        let (value, key) = match field {
            None => {
                let p = ident(&m.positions[pos].name);
                (quote!(self.#p), m.positions[pos].name.clone())
            }
            Some(f) => {
                let (p, f) = field_of(pos, f);
                let fi = super::field_ident(f);
                let value = if super::is_option(f) { quote!(self.#p.#fi.unwrap_or_default()) } else { quote!(self.#p.#fi) };
                (value, format!("{}.{}", m.positions[pos].name, f.wire_key))
            }
        };
        let (first, rest) = key.split_once('.').unwrap_or((key.as_str(), ""));
        let here = if rest.is_empty() { quote!(&at.field(#first)) } else { quote!(&at.field(#first).field(#rest)) };
        quote! {
            if #value == 0 {
                return Err(rt::Error::new(#here, "a value other than 0", "integer 0"));
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

/// `serialize`: the list `marshal` gives, written element by element.
fn serialize_body(m: &Message) -> TokenStream {
    let code = Literal::u64_unsuffixed(m.code as u64);
    let fixed = 1 + m.positions.iter().filter(|p| !p.optional).count();
    let fixed = Literal::usize_unsuffixed(fixed);
    let mutable = m.payload.as_ref().map(|t| t.dict);
    let dicts = m.positions.iter().enumerate().filter(|(_, p)| matches!(p.ty, Ty::Record(_))).map(|(i, p)| {
        let n = ident(&p.name);
        let local = quote::format_ident!("p{}", i);
        let mutability = (Some(i) == mutable).then(|| quote!(mut));
        let enc = (Some(i) == mutable).then(|| quote!(self.payload.write_enc(&mut #local);));
        quote!(let #mutability #local = rec::Record::to_map(&self.#n); #enc)
    });
    let optional_count = m.positions.iter().enumerate().filter(|(_, p)| p.optional).map(|(i, p)| {
        let local = quote::format_ident!("p{}", i);
        let n = ident(&p.name);
        match &p.ty {
            Ty::Record(_) => quote!(+ usize::from(!#local.is_empty())),
            _ => quote!(+ usize::from(!self.#n.is_empty())),
        }
    });
    let tail_count = m.payload.as_ref().map(|_| quote!(+ self.payload.tail_len()));
    let elements = m.positions.iter().enumerate().map(|(i, p)| {
        let n = ident(&p.name);
        let local = quote::format_ident!("p{}", i);
        let c = codec(&p.ty);
        let element = match &p.ty {
            Ty::Record(_) => quote!(seq.serialize_element(&#local)?;),
            _ if p.nullable => quote!(seq.serialize_element(&c::EncOpt::<#c>(&self.#n))?;),
            _ => quote!(seq.serialize_element(&c::Enc::<#c>(&self.#n))?;),
        };
        match (&p.ty, p.optional) {
            (Ty::Record(_), true) => quote!(if !#local.is_empty() { #element }),
            (_, true) => quote!(if !self.#n.is_empty() { #element }),
            _ => element,
        }
    });
    let tail = m.payload.as_ref().map(|_| quote!(self.payload.serialize_tail(&mut seq)?;));
    quote! {
        use serde::ser::SerializeSeq;
        #(#dicts)*
        let mut seq = s.serialize_seq(Some(#fixed #(#optional_count)* #tail_count))?;
        seq.serialize_element(&#code)?;
        #(#elements)*
        #tail
        seq.end()
    }
}

/// `marshal`: the code, each position, then the arguments or payload (whose
/// `enc_*` keys go into the payload's dict).
fn marshal_body(m: &Message) -> TokenStream {
    let code = Literal::u64_unsuffixed(m.code as u64);
    let tail = m.payload.as_ref().map(|t| {
        let dict = quote::format_ident!("p{}", t.dict);
        quote! {
            let mut tail = Vec::new();
            self.payload.write(&mut tail, &mut #dict);
        }
    });
    let fixed = m.positions.iter().enumerate().filter(|(_, p)| !p.optional).map(|(i, p)| {
        let local = quote::format_ident!("p{}", i);
        match &p.ty {
            Ty::Record(_) => quote!(rt::Value::Map(#local)),
            _ => quote!(#local),
        }
    });
    let optional = m.positions.iter().enumerate().filter(|(_, p)| p.optional).map(|(i, p)| {
        let local = quote::format_ident!("p{}", i);
        match &p.ty {
            Ty::Record(_) => quote!(if !#local.is_empty() { out.push(rt::Value::Map(#local)); }),
            _ => quote!(if let rt::Value::Map(m) = &#local && !m.is_empty() { out.push(#local); }),
        }
    });
    let optional: Vec<_> = optional.collect();
    let head = quote!(vec![rt::Value::Int(#code), #(#fixed),*]);
    let mutable = m.payload.as_ref().map(|t| t.dict);
    let locals = m.positions.iter().enumerate().map(|(i, p)| {
        let n = ident(&p.name);
        let local = quote::format_ident!("p{}", i);
        let c = codec(&p.ty);
        let mutability = (Some(i) == mutable).then(|| quote!(mut));
        let value = match &p.ty {
            Ty::Record(_) => quote!(rec::Record::to_map(&self.#n)),
            _ if p.nullable => quote!(self.#n.as_ref().map_or(rt::Value::Null, <#c as c::Codec>::to_value)),
            _ => quote!(<#c as c::Codec>::to_value(&self.#n)),
        };
        quote!(let #mutability #local = #value;)
    });
    let body = if m.payload.is_some() {
        quote! {
            let mut out = #head;
            out.extend(tail);
            rt::Value::List(out)
        }
    } else if !optional.is_empty() {
        quote! {
            let mut out = #head;
            #(#optional)*
            rt::Value::List(out)
        }
    } else {
        quote!(rt::Value::List(#head))
    };
    quote! {
        #(#locals)*
        #tail
        #body
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
            /// code; then that message's own checks.
            pub fn parse(value: &Value) -> Result<Message, Error> {
                let (code, items) = runtime::wamp::message_code(value, #expected)?;
                match code {
                    #( #codes => #types::parse_items(items, &runtime::Path::Root(#wires)).map(Message::#names), )*
                    _ => Err(runtime::wamp::unknown_code(&items[0], #expected)),
                }
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

        impl runtime::wamp::DecodeSeq for Message {
            const ROOT: &'static str = "Message";
            const KNOWN: &'static str = #expected;
            fn decode_seq<'de, A: serde::de::SeqAccess<'de>>(code: u64, seq: A, hr: bool) -> Result<Self, A::Error> {
                match code {
                    #( #codes => #types::decode_items(seq, &runtime::Path::Root(#wires), hr).map(Message::#names), )*
                    _ => Err(runtime::wamp::wrong_code("Message", #expected, code)),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for Message {
            /// Reads any message straight from the format, with the checks and errors of [`Message::parse`].
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                runtime::wamp::decode_message(d)
            }
        }
    }
}
