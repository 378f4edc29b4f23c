//! `Display` of a [`Value`] and a [`Map`]: compact JSON-like text.

use std::fmt::{self, Write};

use super::codec::MAX_DEPTH;
use super::value::{Map, Value};

impl fmt::Display for Value {
    /// Compact JSON-like text, as `serde_json::to_string` writes JSON:
    /// `{"a":[1,2.5,"x",null,true]}`.
    ///
    /// Bytes are written as WAMP JSON carries them, a string holding a NUL
    /// character then base64 (`"\u0000AQID"`). Floats are written in Rust's
    /// shortest form that reads back exactly (`1.0`, `2.5e-8`); floats JSON
    /// has no text for are written as Python's `json` module writes them:
    /// `NaN`, `Infinity`, `-Infinity`. Lists and maps nested deeper than
    /// 128 are shown as `[...]` and `{...}`, as `Debug` shows them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_value(self, 0, f)
    }
}

impl fmt::Display for Map {
    /// The map as [`Value`]'s `Display` writes it: `{"a":1}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_map(self, 0, f)
    }
}

fn write_value(v: &Value, depth: u32, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match v {
        Value::Null => f.write_str("null"),
        Value::Bool(b) => write!(f, "{b}"),
        Value::Int(i) => write!(f, "{i}"),
        Value::Float(x) if x.is_nan() => f.write_str("NaN"),
        Value::Float(x) if x.is_infinite() => f.write_str(if *x > 0.0 { "Infinity" } else { "-Infinity" }),
        Value::Float(x) => write!(f, "{x:?}"),
        Value::Str(s) => write_str(s, f),
        Value::Bytes(b) => write_str(&super::codec::wamp_json_string(b), f),
        Value::List(l) if l.is_empty() => f.write_str("[]"),
        Value::List(_) if depth >= MAX_DEPTH => f.write_str("[...]"),
        Value::List(l) => {
            f.write_char('[')?;
            for (i, item) in l.iter().enumerate() {
                if i > 0 {
                    f.write_char(',')?;
                }
                write_value(item, depth + 1, f)?;
            }
            f.write_char(']')
        }
        Value::Map(m) => write_map(m, depth, f),
    }
}

fn write_map(m: &Map, depth: u32, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    if m.is_empty() {
        return f.write_str("{}");
    }
    if depth >= MAX_DEPTH {
        return f.write_str("{...}");
    }
    f.write_char('{')?;
    for (i, (k, v)) in m.iter().enumerate() {
        if i > 0 {
            f.write_char(',')?;
        }
        write_str(k, f)?;
        f.write_char(':')?;
        write_value(v, depth + 1, f)?;
    }
    f.write_char('}')
}

/// A JSON string: quotes, backslashes and control characters escaped, as
/// serde_json escapes them.
fn write_str(s: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    f.write_char('"')?;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let escape = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\u{8}' => "\\b",
            '\u{c}' => "\\f",
            c if (c as u32) < 0x20 => "",
            _ => continue,
        };
        f.write_str(&s[start..i])?;
        if escape.is_empty() {
            write!(f, "\\u{:04x}", c as u32)?;
        } else {
            f.write_str(escape)?;
        }
        start = i + c.len_utf8();
    }
    f.write_str(&s[start..])?;
    f.write_char('"')
}

/// Writes an error as autobahn-python's `ApplicationError.error_message()`
/// does: the error URI, then, when there are any, `: ` and the values
/// joined by spaces, strings as they are and other values as compact JSON
/// (`com.myapp.error: no such user 42`).
pub fn error_message(f: &mut fmt::Formatter<'_>, uri: &str, args: &[Value]) -> fmt::Result {
    f.write_str(uri)?;
    for (n, a) in args.iter().enumerate() {
        f.write_str(if n == 0 { ": " } else { " " })?;
        match a {
            Value::Str(s) => f.write_str(s)?,
            other => fmt::Display::fmt(other, f)?,
        }
    }
    Ok(())
}
