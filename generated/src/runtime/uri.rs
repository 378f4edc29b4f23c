//! URIs and the names WAMP allows: autobahn-python's loose URI patterns,
//! custom (`x_...`) names, and the names of payload algorithms and
//! serializers.
//!
//! Patterns follow autobahn-python's, as Python reads them: `\s` is
//! `str.isspace()` (which also counts `\x1c` to `\x1f`), `\d` any Unicode
//! decimal digit, and a pattern must match the whole string (a trailing
//! newline is not ignored).

use super::error::{Error, Path};

/// How the components of a URI may be empty.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UriRule {
    /// Every component is non-empty (`com.example.proc`).
    Exact,
    /// Every component but the last is non-empty (`com.example.`), as a
    /// prefix registration or subscription needs.
    Prefix,
    /// Any component may be empty (`com..proc`), as a wildcard pattern needs.
    Wildcard,
}

impl UriRule {
    /// The rule that goes with a match policy's wire string.
    pub fn for_match(policy: &str) -> UriRule {
        match policy {
            "prefix" => UriRule::Prefix,
            "wildcard" => UriRule::Wildcard,
            _ => UriRule::Exact,
        }
    }

    /// What a URI under this rule looks like, for error messages.
    pub fn expected(self) -> &'static str {
        match self {
            UriRule::Exact => "a URI (dot-separated non-empty components without white space or `#`)",
            UriRule::Prefix => "a URI prefix (dot-separated components without white space or `#`, only the last may be empty)",
            UriRule::Wildcard => "a URI pattern (dot-separated components without white space or `#`, which may be empty)",
        }
    }
}

/// Whether Python's `str.isspace()` is true for `c`.
fn is_python_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Whether `s` is a URI under `rule` (autobahn's loose patterns).
pub fn is_uri(s: &str, rule: UriRule) -> bool {
    // One pass over the bytes while they are ASCII, which URIs nearly
    // always are; the first other byte hands the string to the general
    // check, which reads characters.
    let mut empty = true;
    for &b in s.as_bytes() {
        match b {
            // A component before a dot is never the last one.
            b'.' if empty && rule != UriRule::Wildcard => return false,
            b'.' => empty = true,
            b'#' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | 0x1c..=0x1f | b' ' => return false,
            0x80.. => return is_uri_chars(s, rule),
            _ => empty = false,
        }
    }
    !empty || rule != UriRule::Exact
}

/// [`is_uri`] for any string, character by character.
fn is_uri_chars(s: &str, rule: UriRule) -> bool {
    let n = s.split('.').count();
    s.split('.').enumerate().all(|(i, part)| {
        let may_be_empty = match rule {
            UriRule::Exact => false,
            UriRule::Prefix => i + 1 == n,
            UriRule::Wildcard => true,
        };
        (may_be_empty || !part.is_empty()) && !part.chars().any(|c| c == '#' || is_python_space(c))
    })
}

/// Checks a URI, naming the rule in the error.
pub fn check_uri(s: &str, rule: UriRule, at: &Path<'_>) -> Result<(), Error> {
    if is_uri(s, rule) { Ok(()) } else { Err(Error::new(at, rule.expected(), super::value::describe_str(s))) }
}

/// The Unicode decimal digits (category Nd, Unicode 14 as in Python 3.11),
/// which Python's `\d` matches.
const DECIMAL_DIGITS: &[(u32, u32)] = &[
    (0x30, 0x39),
    (0x660, 0x669),
    (0x6F0, 0x6F9),
    (0x7C0, 0x7C9),
    (0x966, 0x96F),
    (0x9E6, 0x9EF),
    (0xA66, 0xA6F),
    (0xAE6, 0xAEF),
    (0xB66, 0xB6F),
    (0xBE6, 0xBEF),
    (0xC66, 0xC6F),
    (0xCE6, 0xCEF),
    (0xD66, 0xD6F),
    (0xDE6, 0xDEF),
    (0xE50, 0xE59),
    (0xED0, 0xED9),
    (0xF20, 0xF29),
    (0x1040, 0x1049),
    (0x1090, 0x1099),
    (0x17E0, 0x17E9),
    (0x1810, 0x1819),
    (0x1946, 0x194F),
    (0x19D0, 0x19D9),
    (0x1A80, 0x1A89),
    (0x1A90, 0x1A99),
    (0x1B50, 0x1B59),
    (0x1BB0, 0x1BB9),
    (0x1C40, 0x1C49),
    (0x1C50, 0x1C59),
    (0xA620, 0xA629),
    (0xA8D0, 0xA8D9),
    (0xA900, 0xA909),
    (0xA9D0, 0xA9D9),
    (0xA9F0, 0xA9F9),
    (0xAA50, 0xAA59),
    (0xABF0, 0xABF9),
    (0xFF10, 0xFF19),
    (0x104A0, 0x104A9),
    (0x10D30, 0x10D39),
    (0x11066, 0x1106F),
    (0x110F0, 0x110F9),
    (0x11136, 0x1113F),
    (0x111D0, 0x111D9),
    (0x112F0, 0x112F9),
    (0x11450, 0x11459),
    (0x114D0, 0x114D9),
    (0x11650, 0x11659),
    (0x116C0, 0x116C9),
    (0x11730, 0x11739),
    (0x118E0, 0x118E9),
    (0x11950, 0x11959),
    (0x11C50, 0x11C59),
    (0x11D50, 0x11D59),
    (0x11DA0, 0x11DA9),
    (0x16A60, 0x16A69),
    (0x16AC0, 0x16AC9),
    (0x16B50, 0x16B59),
    (0x1D7CE, 0x1D7FF),
    (0x1E140, 0x1E149),
    (0x1E2F0, 0x1E2F9),
    (0x1E950, 0x1E959),
    (0x1FBF0, 0x1FBF9),
];

fn is_python_digit(c: char) -> bool {
    let c = c as u32;
    DECIMAL_DIGITS
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// Whether `s` is a custom (implementation-specific) name: `x_` alone, or
/// `x_` then a lowercase ASCII letter and one or more lowercase ASCII
/// letters, digits or underscores.
pub fn is_custom_name(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("x_") else { return false };
    let mut chars = rest.chars();
    match chars.next() {
        None => true,
        Some(c) if c.is_ascii_lowercase() => {
            let tail = chars.as_str();
            !tail.is_empty() && tail.chars().all(|c| c == '_' || c.is_ascii_lowercase() || is_python_digit(c))
        }
        Some(_) => false,
    }
}

/// The payload transparency algorithms WAMP names.
pub const ENC_ALGOS: &[&str] = &["cryptobox", "mqtt", "xbr"];

/// The payload serializers WAMP names.
pub const ENC_SERIALIZERS: &[&str] = &["json", "msgpack", "cbor", "ubjson", "flatbuffers"];

/// Whether `s` names a payload algorithm: a standard one or a custom name.
pub fn is_enc_algo(s: &str) -> bool {
    ENC_ALGOS.contains(&s) || is_custom_name(s)
}

/// Whether `s` names a payload serializer: a standard one or a custom name.
pub fn is_enc_serializer(s: &str) -> bool {
    ENC_SERIALIZERS.contains(&s) || is_custom_name(s)
}
