//! The session bridge: `from_options` on a message the session sends,
//! built from an options type's `message_attr()`, and `from_<message>` on
//! the record a received message becomes, filled field by field as the
//! schema's `incoming` entry says. Everything here reads the resolved
//! bridge of `ir`; nothing knows a particular message.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{codec, default_is_trivial, doc, field_ident, ident, is_option, rust_type, value_expr};
use crate::ir::{
    Build, Context, Field, FieldAt, Fill, Incoming, Message, Model, Outgoing, OutgoingKind, PayloadPart, Place, Record, Source, SourceKind,
    Target, Then, Ty,
};

/// The bridge functions of a message, if it has any.
pub fn bridge_tokens(m: &Message, model: &Model) -> TokenStream {
    let out = m.outgoing.as_ref().map(|o| match &o.kind {
        OutgoingKind::Options { options, dict } => outgoing(m, o, model.rec(*options), *dict),
        OutgoingKind::Build(b) => build(m, o, b, model),
    });
    let inc = m.incoming.as_ref().map(|i| incoming(m, i, model));
    quote!(#out #inc)
}

/// `Message::from_options(positions..., payload, &Options)`.
fn outgoing(m: &Message, o: &Outgoing, options: &Record, dict_at: usize) -> TokenStream {
    let name = ident(&m.rust_name);
    let record = &options.name;
    let options = ident(record);
    let wire = &m.wire_name;
    let dict = &m.positions[dict_at];
    let dict_name = ident(&dict.name);
    let dict_key = &dict.name;
    let dict_codec = codec(&dict.ty);
    let mut params = Vec::new();
    let mut inits = Vec::new();
    for (i, p) in m.positions.iter().enumerate() {
        let n = ident(&p.name);
        if i == dict_at {
            inits.push(quote!(#n));
        } else if matches!(p.ty, Ty::Str | Ty::Uri) && !p.nullable {
            params.push(quote!(#n: impl Into<String>));
            inits.push(quote!(#n: #n.into()));
        } else {
            let t = rust_type(&p.ty);
            let t = if p.nullable { quote!(Option<#t>) } else { t };
            params.push(quote!(#n: #t));
            inits.push(quote!(#n));
        }
    }
    let payload_check = m.payload.as_ref().map(|t| {
        params.push(quote!(payload: rt::Payload));
        inits.push(quote!(payload));
        let key = &m.positions[t.dict].name;
        quote!(payload.check(&at.field(#key))?;)
    });
    let mut text = format!(
        "{}\n\nThe `{}` dict is `options.message_attr()`, checked as `parse` checks it, so that what `{record}` accepts and the message refuses is an error (`{wire}.{}...`).",
        o.doc, dict.name, dict.name
    );
    let others: Vec<String> = m.positions.iter().enumerate().filter(|(i, _)| *i != dict_at).map(|(_, p)| format!("`{}`", p.name)).collect();
    if !others.is_empty() {
        text.push_str(&format!(" {} are taken as given, as autobahn-python's constructor takes them: no ID range or URI check.", join(&others)));
    }
    if m.payload.is_some() {
        text.push_str(
            " An encoded payload must name a known algorithm and serializer (or `x_...` ones), and an algorithm whenever it names a key or a serializer.",
        );
    }
    let docs = doc(&text);
    quote! {
        impl #name {
            #docs
            pub fn from_options(#(#params,)* options: &#options) -> Result<Self, rt::Error> {
                let at = rt::Path::Root(#wire);
                let #dict_name = c::read::<#dict_codec>(&options.message_attr(), &at.field(#dict_key))?;
                #payload_check
                Ok(Self { #(#inits,)* })
            }
        }
    }
}

/// `Message::from_<record>(positions..., context..., &Record)`: each place
/// from its source, then checked as the receiver's `parse` checks it.
fn build(m: &Message, o: &Outgoing, b: &Build, model: &Model) -> TokenStream {
    let name = ident(&m.rust_name);
    let fn_name = ident(&b.fn_name);
    let cx = Cx { m, context: &b.context, model };
    let mut params = Vec::new();
    for &i in &b.params {
        let p = &m.positions[i];
        let n = ident(&p.name);
        let t = rust_type(&p.ty);
        params.push(match (&p.ty, p.nullable) {
            (Ty::Str | Ty::Uri, false) => quote!(#n: impl Into<String>),
            (_, true) => quote!(#n: Option<#t>),
            _ => quote!(#n: #t),
        });
    }
    params.extend(b.context.iter().map(|c| {
        let n = ident(&c.name);
        let t = param_type(c);
        quote!(#n: #t)
    }));
    let value =
        |place: Place| b.fills.iter().find(|(p, _)| *p == place).map(|(_, src)| cx.take(src, &Target::place(place, &m.positions, model)));
    let mut inits = Vec::new();
    for (i, p) in m.positions.iter().enumerate() {
        let n = ident(&p.name);
        if let Some(&(_, id)) = b.whole.iter().find(|(k, _)| *k == i) {
            let rec = model.rec(id);
            let rec_name = ident(&rec.name);
            let fields = rec.fields.iter().enumerate().map(|(j, f)| {
                let fname = field_ident(f);
                let v = value(Place::Field(FieldAt { position: i, record: id, field: j })).unwrap_or_else(|| unset(&Target::of(f)));
                quote!(#fname: #v)
            });
            let rest = rec.unknown.keeps_rest().then(|| quote!(rest: rt::Map::new(),));
            inits.push(quote!(#n: #rec_name { #(#fields,)* #rest }));
        } else if let Some(v) = value(Place::Position(i)) {
            inits.push(quote!(#n: #v));
        } else {
            inits.push(if matches!(p.ty, Ty::Str | Ty::Uri) && !p.nullable { quote!(#n: #n.into()) } else { quote!(#n) });
        }
    }
    if m.payload.is_some() {
        let args = value(Place::Payload(PayloadPart::Args)).unwrap_or_else(|| quote!(None));
        let kwargs = value(Place::Payload(PayloadPart::Kwargs)).unwrap_or_else(|| quote!(None));
        inits.push(quote!(payload: rt::Payload::Arguments { args: #args, kwargs: #kwargs }));
    }
    let docs = doc(&build_doc(m, o, b, model));
    quote! {
        impl #name {
            #docs
            pub fn #fn_name(#(#params),*) -> Result<Self, rt::Error> {
                let built = Self { #(#inits,)* };
                Self::parse(&built.marshal())
            }
        }
    }
}

/// The value of a place that nothing fills: unset, or its default.
fn unset(t: &Target) -> TokenStream {
    match &t.default {
        _ if t.option => quote!(None),
        Some(v) if default_is_trivial(&v.lit) => quote!(Default::default()),
        Some(v) => value_expr(&v.lit),
        None => panic!("lowering refuses a build that leaves a place unset that must have a value"),
    }
}

/// The docs of a built message: the schema's, then where each place comes from.
fn build_doc(m: &Message, o: &Outgoing, b: &Build, model: &Model) -> String {
    let mut text = format!("{}\n\nPlace by place:\n", o.doc);
    for &i in &b.params {
        text.push_str(&format!("- `{}`: the parameter `{}`\n", m.positions[i].name, m.positions[i].name));
    }
    for (place, src) in &b.fills {
        let to = match *place {
            Place::Position(i) => m.positions[i].name.clone(),
            Place::Field(at) => format!("{}.{}", m.positions[at.position].name, model.field(at).wire_key),
            Place::Payload(part) => format!("payload.{}", payload_part_name(part)),
        };
        text.push_str(&format!("- `{to}`: {}\n", shown(src, &b.context)));
    }
    text.push_str("\nParameters:\n");
    for &i in &b.params {
        text.push_str(&format!("- `{}`: {}\n", m.positions[i].name, m.positions[i].doc));
    }
    for c in &b.context {
        text.push_str(&format!("- `{}`: {}\n", c.name, c.doc));
    }
    text.push_str(&format!(
        "\nEverything else is left unset. The {} built is checked as its receiver's `parse` checks it, and this fails with the error `parse` gives where that refuses it (`{}.POSITION...`).",
        m.wire_name, m.wire_name
    ));
    text
}

/// `Record::from_<message>(&Message, context...)`.
fn incoming(m: &Message, inc: &Incoming, model: &Model) -> TokenStream {
    let into = model.rec(inc.into);
    let target = ident(&into.name);
    let fn_name = ident(&inc.fn_name);
    let message = ident(&m.rust_name);
    let wire = &m.wire_name;
    let cx = Cx { m, context: &inc.context, model };
    let params = inc.context.iter().map(|c| {
        let n = ident(&c.name);
        let t = param_type(c);
        quote!(#n: #t)
    });
    let inits = into.fields.iter().zip(&inc.fills).map(|(f, fill)| {
        let n = field_ident(f);
        let e = cx.fill(f, fill);
        quote!(#n: #e)
    });
    let rest = into.unknown.keeps_rest().then(|| quote!(rest: rt::Map::new(),));
    let value = quote!(Self { #(#inits,)* #rest });
    let docs = doc(&incoming_doc(m, inc, into));
    match &inc.splat {
        None => quote! {
            impl #target {
                #docs
                pub fn #fn_name(message: &#message #(, #params)*) -> Self {
                    #value
                }
            }
        },
        Some(splat) => {
            let locals = into.fields.iter().zip(&inc.fills).filter(|(_, fill)| matches!(fill, Fill::Keyword(_))).map(|(f, _)| {
                let local = keyword_local(f);
                quote!(let mut #local = None;)
            });
            let given: Vec<&String> = splat.given.iter().collect();
            let given_text = join(&given.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>());
            let given_arm = (!given.is_empty()).then(|| {
                quote! {
                    #(#given)|* => return Err(rt::bridge::keyword_twice(&splat_at.key(key), key, #given_text)),
                }
            });
            let keyword_arms = into.fields.iter().zip(&inc.fills).filter(|(_, fill)| matches!(fill, Fill::Keyword(_))).map(|(f, _)| {
                let local = keyword_local(f);
                let key = f.ctor_arg.as_ref().unwrap_or(&f.name);
                let c = codec(&f.ty);
                quote!(#key => #local = c::read_opt::<#c>(v, &splat_at.key(key))?,)
            });
            let (path_lets, path) = cx.error_path(&splat.from);
            let each = quote! {
                #path_lets
                let splat_at = #path;
                for (key, v) in kwargs.iter() {
                    match key {
                        #given_arm
                        #(#keyword_arms)*
                        _ => splat_rest.push_unique(key.to_owned(), v.clone()),
                    }
                }
            };
            let walk = match cx.access(&splat.from) {
                Access::Place(e) => quote!({ let kwargs = &#e; #each }),
                Access::Ref(e) => quote!({ let kwargs = #e; #each }),
                a => {
                    let e = a.opt_ref();
                    quote!(if let Some(kwargs) = #e { #each })
                }
            };
            quote! {
                impl #target {
                    #docs
                    pub fn #fn_name(message: &#message #(, #params)*) -> Result<Self, rt::Error> {
                        let at = rt::Path::Root(#wire);
                        let mut splat_rest = rt::Map::new();
                        #(#locals)*
                        #walk
                        Ok(#value)
                    }
                }
            }
        }
    }
}

/// The docs of an incoming function: the schema's, then where each field comes from.
fn incoming_doc(m: &Message, inc: &Incoming, into: &Record) -> String {
    let mut text = format!("{}\n\nField by field:\n", inc.doc);
    for (f, fill) in into.fields.iter().zip(&inc.fills) {
        let from = match fill {
            Fill::From(s) => shown(s, &inc.context),
            Fill::Args(s) => format!("the positional values of {} (`*args`)", shown(s, &inc.context)),
            Fill::FirstTruthy { init, last } => {
                let parts: Vec<String> = init.iter().chain([last]).map(|s| shown(s, &inc.context)).collect();
                format!("{}, the first that is true in Python's sense, else the last (Python's `or`)", join_or(&parts))
            }
            Fill::When { then, when, otherwise } => {
                let then = match then {
                    Then::From(s) => shown(s, &inc.context),
                    Then::Value(None) => "unset".to_owned(),
                    Then::Value(Some(v)) => format!("`{}`", v.text.replace('\n', " ")),
                };
                let otherwise = otherwise.as_ref().map_or_else(|| "unset".to_owned(), |s| shown(s, &inc.context));
                format!("{then} while {} is true, else {otherwise}", shown(when, &inc.context))
            }
            Fill::Value(None) => "unset".to_owned(),
            Fill::Value(Some(v)) => format!("`{}`", v.text),
            Fill::Keyword(from) => format!(
                "the keyword `{}` of {}, if given (`null` leaves it unset)",
                f.ctor_arg.as_ref().unwrap_or(&f.name),
                shown(from, &inc.context)
            ),
            Fill::Rest(from) => format!("the keywords of {} that no field takes (`**kwargs`)", shown(from, &inc.context)),
        };
        text.push_str(&format!("- `{}`: {from}\n", f.rust_name));
    }
    if !inc.context.is_empty() {
        text.push_str("\nParameters:\n");
        text.push_str(&format!("- `message`: the {}\n", m.wire_name));
        for c in &inc.context {
            text.push_str(&format!("- `{}`: {}\n", c.name, c.doc));
        }
    }
    if let Some(splat) = &inc.splat {
        let given: Vec<String> = splat.given.iter().map(|k| format!("`{k}`")).collect();
        text.push_str(&format!(
            "\nFails when {} repeats a keyword given already ({}), as Python refuses a keyword given twice, or holds a value that the field it names refuses.",
            shown(&splat.from, &inc.context),
            join(&given)
        ));
    }
    text
}

/// A source as the docs show it.
fn shown(s: &Source, context: &[Context]) -> String {
    match s.kind {
        SourceKind::Context(k) => format!("the parameter `{}`", context[k].name),
        _ => format!("`{}`", s.text),
    }
}

/// `a`, `a and b`, `a, b and c`.
fn join(items: &[String]) -> String {
    join_with(items, "and")
}

fn join_or(items: &[String]) -> String {
    join_with(items, "or")
}

fn join_with(items: &[String], word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {word} {last}", init.join(", ")),
    }
}

fn keyword_local(f: &Field) -> proc_macro2::Ident {
    format_ident!("splat_{}", f.rust_name.trim_start_matches("r#"))
}

/// A context parameter's type: borrowed unless `Copy`, and an `Option` when optional.
fn param_type(c: &Context) -> TokenStream {
    let t = match &c.ty {
        Ty::Str | Ty::Uri => quote!(&str),
        ty if is_copy(ty) => rust_type(ty),
        ty => {
            let t = rust_type(ty);
            quote!(&#t)
        }
    };
    if c.optional { quote!(Option<#t>) } else { t }
}

/// How a source is reached: a place holding the value, a reference to it,
/// a place holding an `Option` of it, or an `Option` of a reference
/// (`Option<&str>` for strings).
enum Access {
    Place(TokenStream),
    Ref(TokenStream),
    OptPlace(TokenStream, bool),
    Opt(TokenStream),
}

impl Access {
    /// The source as an `Option` of a reference, for an optional source.
    fn opt_ref(&self) -> TokenStream {
        match self {
            Access::OptPlace(e, true) => quote!(#e.as_deref()),
            Access::OptPlace(e, false) => quote!(#e.as_ref()),
            Access::Opt(e) | Access::Place(e) | Access::Ref(e) => e.clone(),
        }
    }
}

/// What the emitters of one incoming function need.
struct Cx<'a> {
    m: &'a Message,
    context: &'a [Context],
    model: &'a Model,
}

impl Cx<'_> {
    fn access(&self, s: &Source) -> Access {
        let is_str = matches!(s.ty, Ty::Str | Ty::Uri);
        match s.kind {
            SourceKind::Position(i) => {
                let n = ident(&self.m.positions[i].name);
                if s.optional { Access::OptPlace(quote!(message.#n), is_str) } else { Access::Place(quote!(message.#n)) }
            }
            SourceKind::Field(at) => {
                let f = self.model.field(at);
                let (pn, fname) = (ident(&self.m.positions[at.position].name), field_ident(f));
                if is_option(f) { Access::OptPlace(quote!(message.#pn.#fname), is_str) } else { Access::Place(quote!(message.#pn.#fname)) }
            }
            SourceKind::Payload(part) => {
                let method = match part {
                    PayloadPart::Args => quote!(args_list),
                    PayloadPart::Kwargs => quote!(kwargs_map),
                    PayloadPart::EncAlgo => quote!(enc_algo),
                    PayloadPart::EncKey => quote!(enc_key),
                    PayloadPart::EncSerializer => quote!(enc_serializer),
                };
                Access::Opt(quote!(message.payload.#method()))
            }
            SourceKind::Context(k) => {
                let n = ident(&self.context[k].name);
                match (s.optional, is_copy(&s.ty)) {
                    (false, true) => Access::Place(quote!(#n)),
                    (true, true) => Access::OptPlace(quote!(#n), false),
                    (true, false) => Access::Opt(quote!(#n)),
                    (false, false) => Access::Ref(quote!(#n)),
                }
            }
            SourceKind::ContextField(k, id, j) => {
                let c = &self.context[k];
                let f = &self.model.rec(id).fields[j];
                let (cn, fname) = (ident(&c.name), field_ident(f));
                match (c.optional, is_option(f)) {
                    (false, false) => Access::Place(quote!(#cn.#fname)),
                    (false, true) => Access::OptPlace(quote!(#cn.#fname), is_str),
                    (true, true) if is_str => Access::Opt(quote!(#cn.and_then(|x| x.#fname.as_deref()))),
                    (true, true) => Access::Opt(quote!(#cn.and_then(|x| x.#fname.as_ref()))),
                    (true, false) if is_str => Access::Opt(quote!(#cn.map(|x| x.#fname.as_str()))),
                    (true, false) => Access::Opt(quote!(#cn.map(|x| &x.#fname))),
                }
            }
        }
    }

    /// The `rt::Path` of a source, for errors: `let` statements and the
    /// final expression.
    fn error_path(&self, s: &Source) -> (TokenStream, TokenStream) {
        let fields: Vec<String> = match s.kind {
            SourceKind::Position(i) => vec![self.m.positions[i].name.clone()],
            SourceKind::Field(at) => vec![self.m.positions[at.position].name.clone(), self.model.field(at).wire_key.clone()],
            SourceKind::Payload(part) => vec![payload_part_name(part).to_owned()],
            SourceKind::Context(_) | SourceKind::ContextField(..) => Vec::new(),
        };
        let (root, fields) = match s.kind {
            SourceKind::Context(k) => (self.context[k].name.clone(), Vec::new()),
            SourceKind::ContextField(k, id, j) => (self.context[k].name.clone(), vec![self.model.rec(id).fields[j].wire_key.clone()]),
            _ => (String::new(), fields),
        };
        let mut lets = if root.is_empty() { TokenStream::new() } else { quote!(let at = rt::Path::Root(#root);) };
        let mut prev = quote!(at);
        for (n, f) in fields.iter().enumerate() {
            if n + 1 == fields.len() {
                return (lets, quote!(#prev.field(#f)));
            }
            let local = format_ident!("splat_at_{}", n);
            lets.extend(quote!(let #local = #prev.field(#f);));
            prev = quote!(#local);
        }
        (lets, prev)
    }

    /// The value of field `f` as `fill` says.
    fn fill(&self, field: &Field, fill: &Fill) -> TokenStream {
        let f = &Target::of(field);
        match fill {
            Fill::From(s) | Fill::Args(s) => self.take(s, f),
            Fill::When { then, when, otherwise } => {
                let cond = truth(&self.access(when));
                let (then, otherwise) = match (then, otherwise) {
                    (Then::From(s), None) => (self.take_opt(s, f), quote!(None)),
                    (Then::From(s), Some(o)) => (self.take(s, f), self.take(o, f)),
                    (Then::Value(None), o) => (quote!(None), o.as_ref().map_or_else(|| quote!(None), |o| self.take(o, f))),
                    (Then::Value(Some(v)), None) => {
                        let v = value_expr(&v.lit);
                        (quote!(Some(#v)), quote!(None))
                    }
                    (Then::Value(Some(v)), Some(o)) => (wrap(f, value_expr(&v.lit)), self.take(o, f)),
                };
                quote!(if #cond { #then } else { #otherwise })
            }
            Fill::FirstTruthy { init, last } => {
                let mut out = self.take(last, f);
                for s in init.iter().rev() {
                    let own = |x: TokenStream| wrap(f, owned(&x, true, s, f));
                    out = match self.access(s) {
                        a @ (Access::Opt(_) | Access::OptPlace(..)) => {
                            let e = a.opt_ref();
                            let v = own(quote!(x));
                            quote!(if let Some(x) = #e.filter(rt::Truthy::truthy) { #v } else { #out })
                        }
                        Access::Ref(e) => {
                            let v = own(e.clone());
                            quote!(if rt::Truthy::truthy(#e) { #v } else { #out })
                        }
                        Access::Place(e) => {
                            let v = wrap(f, owned(&e, false, s, f));
                            quote!(if rt::Truthy::truthy(&#e) { #v } else { #out })
                        }
                    };
                }
                out
            }
            Fill::Value(None) => quote!(None),
            Fill::Value(Some(v)) => wrap(f, value_expr(&v.lit)),
            Fill::Keyword(_) => {
                let local = keyword_local(field);
                quote!(#local)
            }
            Fill::Rest(_) => wrap(f, quote!(splat_rest)),
        }
    }

    /// The value of `f` taken from source `s`.
    fn take(&self, s: &Source, f: &Target) -> TokenStream {
        match self.access(s) {
            a @ (Access::Opt(_) | Access::OptPlace(..)) => {
                let opt = owned_opt(&a, s, f);
                match &f.default {
                    _ if f.option => opt,
                    Some(value) if default_is_trivial(&value.lit) => quote!(#opt.unwrap_or_default()),
                    Some(value) => {
                        let d = value_expr(&value.lit);
                        quote!(#opt.unwrap_or_else(|| #d))
                    }
                    None => panic!("lowering refuses an optional source for a field that must have a value"),
                }
            }
            Access::Ref(e) => wrap(f, owned(&e, true, s, f)),
            Access::Place(e) => wrap(f, owned(&e, false, s, f)),
        }
    }

    /// Source `s` as an `Option` of `f`'s type.
    fn take_opt(&self, s: &Source, f: &Target) -> TokenStream {
        match self.access(s) {
            a @ (Access::Opt(_) | Access::OptPlace(..)) => owned_opt(&a, s, f),
            Access::Ref(e) => {
                let v = owned(&e, true, s, f);
                quote!(Some(#v))
            }
            Access::Place(e) => {
                let v = owned(&e, false, s, f);
                quote!(Some(#v))
            }
        }
    }
}

/// `Some(x)` for a field that is an `Option`, `x` otherwise.
fn wrap(f: &Target, e: TokenStream) -> TokenStream {
    if f.option { quote!(Some(#e)) } else { e }
}

/// Python's truth value of a source, as a `bool` expression.
fn truth(a: &Access) -> TokenStream {
    match a {
        Access::Place(e) | Access::Opt(e) | Access::OptPlace(e, _) => quote!(rt::Truthy::truthy(&#e)),
        Access::Ref(e) => quote!(rt::Truthy::truthy(#e)),
    }
}

/// Whether values of the type are `Copy`.
fn is_copy(ty: &Ty) -> bool {
    matches!(ty, Ty::Bool | Ty::Flag | Ty::Int | Ty::UInt(_) | Ty::Id | Ty::Float | Ty::Number | Ty::Enum(_))
}

/// The Rust type of the field, if it differs from the source's (an `id`, a
/// `u64`, into an `int`, an `i128`): the value is converted with `From`,
/// which cannot lose it.
fn cast(s: &Source, f: &Target) -> Option<TokenStream> {
    let (from, to) = (rust_type(&s.ty), rust_type(&f.ty));
    (from.to_string() != to.to_string()).then_some(to)
}

/// An owned value of `f`'s type from `e`, a place (`is_ref` false) or a
/// reference to the source's value (`&str` for strings).
fn owned(e: &TokenStream, is_ref: bool, s: &Source, f: &Target) -> TokenStream {
    let deref = if is_ref { quote!(*#e) } else { quote!(#e) };
    match (&s.ty, cast(s, f)) {
        (Ty::Record(_), _) if f.ty == Ty::Any => quote!(#e.marshal()),
        (Ty::Enum(_), _) if f.ty != s.ty => quote!(#e.as_str().to_owned()),
        (Ty::Str | Ty::Uri, _) if is_ref => quote!(#e.to_owned()),
        (ty, Some(to)) if is_copy(ty) => quote!(#to::from(#deref)),
        (ty, None) if is_copy(ty) => deref,
        _ => quote!(#e.clone()),
    }
}

/// An `Option` of `f`'s type from an optional source.
fn owned_opt(a: &Access, s: &Source, f: &Target) -> TokenStream {
    if let Access::OptPlace(e, _) = a {
        return match (&s.ty, cast(s, f)) {
            (Ty::Record(_), _) if f.ty == Ty::Any => quote!(#e.as_ref().map(|x| x.marshal())),
            (Ty::Enum(_), _) if f.ty != s.ty => quote!(#e.map(|x| x.as_str().to_owned())),
            (ty, Some(to)) if is_copy(ty) => quote!(#e.map(#to::from)),
            (ty, None) if is_copy(ty) => quote!(#e),
            _ => quote!(#e.clone()),
        };
    }
    let e = a.opt_ref();
    match (&s.ty, cast(s, f)) {
        (Ty::Record(_), _) if f.ty == Ty::Any => quote!(#e.map(|x| x.marshal())),
        (Ty::Enum(_), _) if f.ty != s.ty => quote!(#e.map(|x| x.as_str().to_owned())),
        (Ty::Str | Ty::Uri, _) => quote!(#e.map(str::to_owned)),
        (ty, Some(to)) if is_copy(ty) => quote!(#e.map(|x| #to::from(*x))),
        (ty, None) if is_copy(ty) => quote!(#e.copied()),
        _ => quote!(#e.cloned()),
    }
}

fn payload_part_name(part: PayloadPart) -> &'static str {
    match part {
        PayloadPart::Args => "args",
        PayloadPart::Kwargs => "kwargs",
        PayloadPart::EncAlgo => "enc_algo",
        PayloadPart::EncKey => "enc_key",
        PayloadPart::EncSerializer => "enc_serializer",
    }
}
