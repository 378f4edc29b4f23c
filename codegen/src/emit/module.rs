//! Assembles the emitters' output into modules: one per schema file, each
//! entity followed by all of its impls, and one entity alone for the
//! snapshot tests.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir;

/// The tokens of one module: its enums, records, unions and messages in
/// schema order, each followed by all of its impls.
pub fn module(m: &ir::Module, model: &ir::Model) -> TokenStream {
    let docs = super::inner_doc(&m.doc);
    let enums = m.enums.iter().map(super::types::enum_def);
    let records = m.records.iter().map(|r| record(r, model));
    let unions = m.unions.iter().map(union);
    let messages = m.messages.iter().map(|x| super::message::message_tokens(x, model));
    let uri_modules = m.uri_modules.iter().map(super::constants::uri_module);
    let shapes = (!m.enums.is_empty() || !m.unions.is_empty()).then(|| quote! { use crate::runtime::shape as sh; });
    let rec_alias =
        (!m.records.is_empty() || !m.unions.is_empty() || !m.messages.is_empty()).then(|| quote! { use crate::runtime::record as rec; });
    let msg_alias = (!m.messages.is_empty()).then(|| quote! { use crate::runtime::message as msg; });
    let foreign: Vec<_> = foreign_types(m, model).into_iter().map(|n| super::ident(&n)).collect();
    let foreign = (!foreign.is_empty()).then(|| quote! { use super::{#(#foreign),*}; });
    quote! {
        #docs
        use crate::runtime as rt;
        use crate::runtime::codec as c;
        #rec_alias
        #msg_alias
        #shapes
        #foreign
        #(#enums)*
        #(#records)*
        #(#unions)*
        #(#messages)*
        #(#uri_modules)*
    }
}

/// The code of one schema entity (enum, record, union or message) by name,
/// with the imports it needs, as a file of its own: what the snapshot tests
/// pin, so that a review shows one type's change at a time.
pub fn entity(model: &ir::Model, name: &str) -> Option<TokenStream> {
    let modules = model.modules.iter();
    let tokens = modules.clone().flat_map(|m| &m.enums).find(|e| e.name == name).map(super::types::enum_def);
    let tokens = tokens.or_else(|| modules.clone().flat_map(|m| &m.records).find(|r| r.name == name).map(|r| record(r, model)));
    let tokens = tokens.or_else(|| modules.clone().flat_map(|m| &m.unions).find(|u| u.name == name).map(union));
    let tokens = tokens
        .or_else(|| modules.clone().flat_map(|m| &m.messages).find(|x| x.rust_name == name).map(|x| super::message::message_tokens(x, model)))?;
    Some(quote! {
        use crate::runtime as rt;
        use crate::runtime::codec as c;
        use crate::runtime::message as msg;
        use crate::runtime::record as rec;
        use crate::runtime::shape as sh;
        #tokens
    })
}

/// The names of every schema entity, in schema order.
pub fn entity_names(model: &ir::Model) -> Vec<String> {
    let mut out = Vec::new();
    for m in &model.modules {
        out.extend(m.enums.iter().map(|e| e.name.clone()));
        out.extend(m.records.iter().map(|r| r.name.clone()));
        out.extend(m.unions.iter().map(|u| u.name.clone()));
        out.extend(m.messages.iter().map(|x| x.rust_name.clone()));
    }
    out
}

/// A record: its struct, `Record` impl (with its field table) and public API.
fn record(r: &ir::Record, model: &ir::Model) -> TokenStream {
    let def = super::types::record_def(r, model);
    let imp = super::record::record_impl(r);
    let api = super::api::record_api(r);
    quote!(#def #imp #api)
}

/// A union: its enum, public API and shape.
fn union(u: &ir::Union) -> TokenStream {
    let def = super::types::union_def(u);
    let api = super::api::union_api(u);
    let shape = super::shape::union_shape(u);
    quote!(#def #api #shape)
}

/// The schema types a module's code names that other modules define, sorted.
fn foreign_types(m: &ir::Module, model: &ir::Model) -> BTreeSet<String> {
    fn walk(ty: &ir::Ty, out: &mut BTreeSet<String>) {
        match ty {
            ir::Ty::Record(n) | ir::Ty::Enum(n) => {
                out.insert(n.clone());
            }
            ir::Ty::List(t) | ir::Ty::OneOrList(t) => walk(t, out),
            ir::Ty::MapOf(k, v) => {
                out.insert(k.clone());
                walk(v, out);
            }
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    for r in &m.records {
        for f in &r.fields {
            walk(&f.ty, &mut out);
        }
        out.extend(r.conversions.iter().map(|c| model.rec(c.source).name.clone()));
    }
    for u in &m.unions {
        out.extend(u.variants.iter().map(|v| v.ty.clone()));
    }
    for x in &m.messages {
        for p in &x.positions {
            walk(&p.ty, &mut out);
        }
        if let Some(o) = &x.outgoing {
            out.insert(model.rec(o.record()).name.clone());
            for ty in o.types() {
                walk(ty, &mut out);
            }
        }
        if let Some(i) = &x.incoming {
            out.insert(model.rec(i.into).name.clone());
            for c in &i.context {
                walk(&c.ty, &mut out);
            }
        }
    }
    let local: BTreeSet<&str> = m
        .enums
        .iter()
        .map(|e| e.name.as_str())
        .chain(m.records.iter().map(|r| r.name.as_str()))
        .chain(m.unions.iter().map(|u| u.name.as_str()))
        .collect();
    out.retain(|n| !local.contains(n.as_str()));
    out
}
