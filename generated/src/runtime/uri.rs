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
    match is_ascii_uri(s.as_bytes(), rule) {
        Some(verdict) => verdict,
        None => is_uri_chars(s, rule),
    }
}

/// [`is_uri`] in one pass over the bytes while they are ASCII, which URIs
/// nearly always are: `None` at the first other byte (the general check,
/// which reads characters, decides then). `Some(true)` only once every
/// byte has been read, so that it also says the bytes are ASCII.
///
/// Eight bytes at a time while they hold only component bytes and dots
/// (the dots' rule applied to all eight at once); from a word with any
/// other byte on, one byte at a time by [`URI_BYTES`].
#[inline]
fn is_ascii_uri(b: &[u8], rule: UriRule) -> Option<bool> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    // 0x80 in each byte of `x` that is `c`, exactly (no carry between bytes).
    let eq = |x: u64, c: u8| {
        let y = x ^ (ONES * u64::from(c));
        !(((y & LOW) + LOW) | y | LOW)
    };
    // 0x80 in each ASCII byte of `x` below 0x21: every byte `URI_BYTES`
    // says no URI holds but `#`, among others that it allows.
    let low = |x: u64| !(((x & LOW) + ONES * 0x5f) | x) & HIGH;
    let mut empty = true;
    let mut at = 0;
    while let Some(w) = b.get(at..at + 8) {
        let x = u64::from_le_bytes(w.try_into().ok()?);
        if (x & HIGH) | eq(x, b'#') | low(x) != 0 {
            break;
        }
        // A dot that follows a dot, or starts the string, is a component
        // before a dot that is empty.
        let dots = eq(x, b'.');
        if rule != UriRule::Wildcard && dots & ((dots << 8) | u64::from(empty) << 7) != 0 {
            return Some(false);
        }
        empty = dots >> 63 != 0;
        at += 8;
    }
    for &c in &b[at..] {
        match URI_BYTES[usize::from(c)] {
            PART => empty = false,
            // A component before a dot is never the last one.
            DOT if empty && rule != UriRule::Wildcard => return Some(false),
            DOT => empty = true,
            NEVER => return Some(false),
            _ => return None,
        }
    }
    Some(!empty || rule != UriRule::Exact)
}

/// The high bit of each byte of a word: a byte with it set is not ASCII.
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bits of the bytes of `b`, or-ed into the low 8 bytes of a word
/// (each byte of `b` lands in some byte of it): zero only when `b` is
/// ASCII. Words of eight bytes while they last, the last word overlapping
/// the one before; a shorter `b` in two overlapping halves, or byte by byte
/// below four.
#[inline(always)]
fn high_bits(b: &[u8]) -> u64 {
    let n = b.len();
    let word = |at: usize| b[at..at + 8].try_into().map_or(HIGH, u64::from_le_bytes);
    if n >= 8 {
        let mut acc = word(n - 8);
        let mut at = 0;
        while at + 8 < n {
            acc |= word(at);
            at += 8;
        }
        acc
    } else if n >= 4 {
        let half = |at: usize| b[at..at + 4].try_into().map_or(HIGH, |w| u64::from(u32::from_le_bytes(w)));
        half(0) | half(n - 4)
    } else if n > 0 {
        u64::from(b[0] | b[n / 2] | b[n - 1])
    } else {
        0
    }
}

/// The bytes of a string read from a format as `str`, where they are
/// UTF-8: ASCII ones, nearly all of a message's, by [`high_bits`] (the
/// word-at-a-time pass [`is_ascii_uri`] makes too), others by the UTF-8
/// check; `None` where they are not UTF-8.
#[inline]
pub(crate) fn utf8(b: &[u8]) -> Option<&str> {
    if high_bits(b) & HIGH != 0 {
        return std::str::from_utf8(b).ok();
    }
    // SAFETY: no byte of `b` has its high bit set (`high_bits` reads every
    // byte of `b`): all are ASCII, which is UTF-8.
    Some(unsafe { std::str::from_utf8_unchecked(b) })
}

/// What each byte is to [`is_ascii_uri`]: part of a component, a dot, a
/// byte no URI holds (`#`, what Python's `str.isspace()` calls space), or
/// not ASCII.
static URI_BYTES: [u8; 256] = {
    let mut t = [PART; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = match c as u8 {
            b'.' => DOT,
            b'#' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | 0x1c..=0x1f | b' ' => NEVER,
            0x80.. => WIDE,
            _ => PART,
        };
        c += 1;
    }
    t
};
const PART: u8 = 0;
const DOT: u8 = 1;
const NEVER: u8 = 2;
const WIDE: u8 = 3;

/// The bytes of a string as a URI under `rule`, where they are ASCII and
/// one ([`is_uri`]'s rule), in one pass that is also their UTF-8 check;
/// `None` otherwise (their UTF-8 and the URI are then checked as any
/// string's, with the error that names them).
#[inline]
pub(crate) fn ascii_uri(b: &[u8], rule: UriRule) -> Option<&str> {
    if is_ascii_uri(b, rule) != Some(true) {
        return None;
    }
    // SAFETY: `is_ascii_uri` says `Some(true)` only after reading every
    // byte, and returns `None` at any byte from 0x80 up: all are ASCII,
    // which is UTF-8.
    Some(unsafe { std::str::from_utf8_unchecked(b) })
}

/// [`is_uri`] for any string, character by character, in one pass: the
/// rules of [`is_ascii_uri`]'s byte loop, with white space beyond ASCII.
fn is_uri_chars(s: &str, rule: UriRule) -> bool {
    let mut empty = true;
    for c in s.chars() {
        match c {
            // A component before a dot is never the last one.
            '.' if empty && rule != UriRule::Wildcard => return false,
            '.' => empty = true,
            _ if c == '#' || is_python_space(c) => return false,
            _ => empty = false,
        }
    }
    !empty || rule != UriRule::Exact
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
