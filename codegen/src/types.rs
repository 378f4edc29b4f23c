//! The field-type grammar and the names it resolves against.
//!
//! A field type such as `list<ForwardFor>` or `map<ChannelBinding, hex<32>>`
//! is parsed into an [`ir::Ty`](crate::ir::Ty) here, for [`ir`](crate::ir)
//! to build with and report on. With it are the Rust naming rules that
//! schema names must follow. `schema/README.md` describes the grammar.

use std::collections::BTreeMap;

use crate::diag::did_you_mean;
use crate::schema;

#[derive(Clone, Debug, PartialEq)]
pub enum Ty {
    Bool,
    /// A boolean that may also come as a number equal to 0 or 1.
    Flag,
    /// Any integer the formats carry: `-2^63` to `2^64 - 1`.
    Int,
    /// An integer from 0 to `2^64 - 1`, for a field whose bound `gt` (the
    /// number held, -1 when none is given) is -1 or more.
    UInt(i64),
    Float,
    Number,
    Str,
    /// A string checked as a URI.
    Uri,
    /// A WAMP ID: an integer from 0 to 2^53.
    Id,
    Bytes,
    Hex(usize),
    Any,
    MapAny,
    Callback,
    Handle,
    List(Box<Ty>),
    OneOrList(Box<Ty>),
    MapOf(String, Box<Ty>),
    Record(String),
    Enum(String),
}

impl Ty {
    /// Fields that code sets and data never carries.
    pub fn is_runtime(&self) -> bool {
        matches!(self, Ty::Callback | Ty::Handle)
    }

    pub fn is_number(&self) -> bool {
        matches!(self, Ty::Int | Ty::UInt(_) | Ty::Float | Ty::Number)
    }
}

/// What a type name refers to.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Record,
    Enum,
    Union,
}

/// The type names of the whole schema. A name defined twice keeps its
/// first definition.
pub struct Names {
    /// What each type name refers to.
    pub kinds: BTreeMap<String, Kind>,
    /// The wire strings of each enum, in order.
    pub enum_wires: BTreeMap<String, Vec<String>>,
    /// Whether every file was read. If one was not, an unknown name may be
    /// defined there, so unresolved names are not reported.
    pub complete: bool,
}

impl Names {
    /// The names defined in `files`; `complete` says whether those are all
    /// the schema files.
    pub fn collect(files: &[(String, schema::File)], complete: bool) -> Names {
        let mut names = Names { kinds: BTreeMap::new(), enum_wires: BTreeMap::new(), complete };
        for (_, f) in files {
            let kinds = f.enums.iter().map(|e| (&e.name, Kind::Enum));
            let kinds = kinds.chain(f.records.iter().map(|r| (&r.name, Kind::Record)));
            let kinds = kinds.chain(f.unions.iter().map(|u| (&u.name, Kind::Union)));
            for (name, kind) in kinds {
                names.kinds.entry(name.clone()).or_insert(kind);
            }
            for e in &f.enums {
                names.enum_wires.entry(e.name.clone()).or_insert_with(|| e.values.iter().map(|v| v.wire.clone()).collect());
            }
        }
        names
    }

    /// Whether `name` cannot be resolved and that is worth reporting.
    pub fn missing(&self, name: &str) -> bool {
        self.complete && !self.kinds.contains_key(name)
    }
}

/// Why a field type cannot be read; `None` when the reason is a name that
/// may live in a file that could not be read.
pub type TyError = Option<String>;

const BUILTIN: &[&str] = &["bool", "flag", "int", "uint", "float", "number", "string", "uri", "id", "bytes", "any", "map", "callback", "handle"];
const GENERIC: &[&str] = &["list", "one_or_list", "hex", "map"];

/// Parses a field type such as `list<ForwardFor>` or `map<ChannelBinding, hex<32>>`.
pub fn parse_ty(text: &str, names: &Names) -> Result<Ty, TyError> {
    let text = text.trim();
    if let Some(inner) = generic(text, "list") {
        return Ok(Ty::List(Box::new(parse_ty(inner, names)?)));
    }
    if let Some(inner) = generic(text, "one_or_list") {
        return match parse_ty(inner, names)? {
            Ty::List(_) | Ty::OneOrList(_) | Ty::Any => Err(Some(format!("`one_or_list` needs a scalar element, not `{inner}`"))),
            elem => Ok(Ty::OneOrList(Box::new(elem))),
        };
    }
    if let Some(inner) = generic(text, "hex") {
        let n = inner.trim().parse::<usize>().ok().filter(|n| (1..=64).contains(n));
        return n.map(Ty::Hex).ok_or_else(|| Some(format!("`hex<N>` needs a byte count from 1 to 64, not `{inner}`")));
    }
    if let Some(inner) = generic(text, "map") {
        let (k, v) = inner.split_once(',').ok_or(Some("`map<K, V>` needs a key type and a value type".to_owned()))?;
        let k = k.trim();
        return match names.kinds.get(k) {
            Some(Kind::Enum) => Ok(Ty::MapOf(k.to_owned(), Box::new(parse_ty(v, names)?))),
            None if !names.complete => Err(None),
            _ => Err(Some(format!("the key type of a map must be an enum of the schema; `{k}` is not"))),
        };
    }
    Ok(match text {
        "bool" => Ty::Bool,
        "flag" => Ty::Flag,
        "int" => Ty::Int,
        "uint" => Ty::UInt(-1),
        "float" => Ty::Float,
        "number" => Ty::Number,
        "string" => Ty::Str,
        "uri" => Ty::Uri,
        "id" => Ty::Id,
        "bytes" => Ty::Bytes,
        "any" => Ty::Any,
        "map" => Ty::MapAny,
        "callback" => Ty::Callback,
        "handle" => Ty::Handle,
        name => match names.kinds.get(name) {
            Some(Kind::Record) => Ty::Record(name.to_owned()),
            Some(Kind::Enum) => Ty::Enum(name.to_owned()),
            Some(Kind::Union) => return Err(Some(format!("a field cannot hold the union `{name}`"))),
            None if !names.complete => return Err(None),
            None => return Err(Some(format!("unknown type `{name}`{}", type_hint(name, names)))),
        },
    })
}

fn generic<'a>(text: &'a str, head: &str) -> Option<&'a str> {
    text.strip_prefix(head)?.trim_start().strip_prefix('<')?.strip_suffix('>')
}

/// A close built-in or schema type name, or where the type grammar is described.
pub fn type_hint(name: &str, names: &Names) -> String {
    let hint = match name.split_once('<') {
        Some((head, _)) => did_you_mean(head.trim(), GENERIC.iter().copied()),
        None => did_you_mean(name, BUILTIN.iter().copied().chain(names.kinds.keys().map(String::as_str))),
    };
    if hint.is_empty() { "; schema/README.md lists the field types".to_owned() } else { hint }
}

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for", "if", "impl", "in", "let", "loop", "match",
    "mod", "move", "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use",
    "where", "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized",
    "virtual", "yield", "try", "gen",
];

/// Whether `s` can be used as a Rust identifier as it is.
pub fn is_rust_ident(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
        && !KEYWORDS.contains(&s)
        && s != "_"
}

/// Whether `s` is an UpperCamelCase Rust identifier.
pub fn is_camel(s: &str) -> bool {
    is_rust_ident(s) && s.starts_with(|c: char| c.is_ascii_uppercase()) && !s.contains('_')
}

/// Whether `s` is a Rust identifier in UPPER_SNAKE_CASE (`upper`) or
/// snake_case (not `upper`).
pub fn is_case(s: &str, upper: bool) -> bool {
    is_rust_ident(s) && !s.chars().any(|c| if upper { c.is_ascii_lowercase() } else { c.is_ascii_uppercase() })
}

/// A type as the schema writes it: `list<ForwardFor>`, `map<ChannelBinding, hex<32>>`.
pub fn ty_text(ty: &Ty) -> String {
    match ty {
        Ty::Bool => "bool".to_owned(),
        Ty::Flag => "flag".to_owned(),
        Ty::Int => "int".to_owned(),
        Ty::UInt(_) => "uint".to_owned(),
        Ty::Float => "float".to_owned(),
        Ty::Number => "number".to_owned(),
        Ty::Str => "string".to_owned(),
        Ty::Uri => "uri".to_owned(),
        Ty::Id => "id".to_owned(),
        Ty::Bytes => "bytes".to_owned(),
        Ty::Hex(n) => format!("hex<{n}>"),
        Ty::Any => "any".to_owned(),
        Ty::MapAny => "map".to_owned(),
        Ty::Callback => "callback".to_owned(),
        Ty::Handle => "handle".to_owned(),
        Ty::List(t) => format!("list<{}>", ty_text(t)),
        Ty::OneOrList(t) => format!("one_or_list<{}>", ty_text(t)),
        Ty::MapOf(k, v) => format!("map<{k}, {}>", ty_text(v)),
        Ty::Record(n) | Ty::Enum(n) => n.clone(),
    }
}
