//! Where the elements of a list start and end, in each format, found from
//! the markers and lengths alone: nothing is decoded or checked inside the
//! elements (the format crate checks them afterwards). Every walk is a loop
//! with counters, never recursion, so that any nesting is safe; `None`
//! means the bytes are not a list this walk understands, and the caller
//! leaves them to the full decoder, which reports why.

// A build with some of the formats uses part of this.
#![cfg_attr(not(all(feature = "json", feature = "msgpack", feature = "cbor")), allow(dead_code))]

use super::check::Keys;
use super::scan::{self, Sure};
use crate::runtime::error::Error;

/// The first element of a message's list that may hold arguments (a
/// RESULT's `[50, request, details, args]`): the checked walks check those
/// from there on, the lists and maps among them (arguments are a list,
/// keyword arguments a map; a URI or `null` there is read as a position,
/// or the message is decoded in full).
const FIRST_ARGS: usize = 3;

/// What an element is, as far as the payload needs to know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A list; `true` when empty.
    List(bool),
    /// A map; `true` when empty.
    Map(bool),
    /// `null`.
    Null,
    /// Anything else.
    Other,
}

/// JSON white space.
#[inline]
fn json_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t')
}

/// Skips white space from `at`.
#[inline]
fn json_skip_ws(b: &[u8], mut at: usize) -> usize {
    while at < b.len() && json_ws(b[at]) {
        at += 1;
    }
    at
}

/// The end of the JSON string whose opening quote is at `at - 1`: the
/// index after its closing quote.
#[inline]
fn json_string_end(b: &[u8], mut at: usize) -> Option<usize> {
    loop {
        // Eight bytes at a time up to the first quote or backslash (the
        // lowest byte flagged; flags above it may be wrong).
        while let Some(chunk) = b.get(at..at + 8) {
            let x = u64::from_le_bytes(chunk.try_into().ok()?);
            let has = |c: u8| {
                let y = x ^ (u64::from(c) * 0x0101_0101_0101_0101);
                y.wrapping_sub(0x0101_0101_0101_0101) & !y & 0x8080_8080_8080_8080
            };
            let found = has(b'"') | has(b'\\');
            if found != 0 {
                at += found.trailing_zeros() as usize / 8;
                break;
            }
            at += 8;
        }
        match *b.get(at)? {
            b'"' => return Some(at + 1),
            b'\\' => at += 2,
            _ => at += 1,
        }
    }
}

/// The end of the JSON value that starts at `at` (no white space before it).
pub(crate) fn json_value_end(b: &[u8], at: usize) -> Option<usize> {
    let mut at = at;
    let mut depth = 0usize;
    loop {
        match *b.get(at)? {
            b'"' => at = json_string_end(b, at + 1)?,
            b'[' | b'{' => {
                depth += 1;
                at += 1;
            }
            b']' | b'}' => {
                depth = depth.checked_sub(1)?;
                at += 1;
            }
            b',' | b':' if depth > 0 => at += 1,
            c if json_ws(c) && depth > 0 => at += 1,
            b',' | b':' => return None,
            c if json_ws(c) => return None,
            _ => {
                // A scalar: up to the next delimiter (its digits eight at a time).
                at = scan::digits(b, at);
                while at < b.len() && !matches!(b[at], b',' | b']' | b'}' | b':' | b'"' | b'[' | b'{') && !json_ws(b[at]) {
                    at += 1;
                }
            }
        }
        if depth == 0 {
            return Some(at);
        }
    }
}

/// The elements of the JSON list that `b` holds (white space around it
/// allowed, nothing else after it), handed to `each` as `(start, end)`.
pub(crate) fn json_list(b: &[u8], mut each: impl FnMut(usize, usize) -> bool) -> Option<()> {
    json_list_checked(b, |s, e, _| each(s, e))
}

/// [`json_list`], checking each element on the way: `each` also learns
/// what the quick pass found (see [`scan::json_end`]).
pub(crate) fn json_list_checked(b: &[u8], mut each: impl FnMut(usize, usize, Sure) -> bool) -> Option<()> {
    let mut at = json_skip_ws(b, 0);
    if b.get(at) != Some(&b'[') {
        return None;
    }
    at = json_skip_ws(b, at + 1);
    let (mut seen, mut i) = (scan::Seen::new(), 0);
    if b.get(at) == Some(&b']') {
        at += 1;
    } else {
        loop {
            let args = i >= FIRST_ARGS && matches!(b.get(at), Some(b'[' | b'{'));
            let scanned = if args { scan::json_end(b, at, &mut seen) } else { None };
            let (end, sure) = match scanned {
                Some(end) => (end, Sure::BOTH),
                None if !args => (json_value_end(b, at)?, Sure::UNSEEN),
                None => (json_value_end(b, at)?, Sure::UNSURE),
            };
            i += 1;
            if !each(at, end, sure) {
                return None;
            }
            at = json_skip_ws(b, end);
            match b.get(at)? {
                b',' => at = json_skip_ws(b, at + 1),
                b']' => {
                    at += 1;
                    break;
                }
                _ => return None,
            }
        }
    }
    (json_skip_ws(b, at) == b.len()).then_some(())
}

/// What the JSON element `e` is.
pub(crate) fn json_kind(e: &[u8]) -> Kind {
    let inner_empty = || e.len() >= 2 && e[1..e.len() - 1].iter().all(|&c| json_ws(c));
    match e.first() {
        Some(b'[') => Kind::List(inner_empty()),
        Some(b'{') => Kind::Map(inner_empty()),
        _ if e == b"null" => Kind::Null,
        _ => Kind::Other,
    }
}

/// The big-endian number of `n` bytes at `at`.
#[inline]
fn be(b: &[u8], at: usize, n: usize) -> Option<u64> {
    Some(b.get(at..at.checked_add(n)?)?.iter().fold(0u64, |x, &y| (x << 8) | u64::from(y)))
}

/// The MessagePack head at `at`, of marker `m`: the bytes before its
/// data, the data bytes, the values that follow it (a list's or a map's),
/// and whether the data is a string; `None` where `b` ends first or `m`
/// is the unused marker `0xc1`.
#[inline(always)]
fn msgpack_head(b: &[u8], at: usize, m: u8) -> Option<(usize, u64, u64, bool)> {
    Some(match m {
        0x00..=0x7f | 0xc0 | 0xc2 | 0xc3 | 0xe0..=0xff => (1, 0, 0, false),
        0x80..=0x8f => (1, 0, 2 * u64::from(m & 0x0f), false),
        0x90..=0x9f => (1, 0, u64::from(m & 0x0f), false),
        0xa0..=0xbf => (1, u64::from(m & 0x1f), 0, true),
        0xd9 => (2, be(b, at + 1, 1)?, 0, true),
        0xda => (3, be(b, at + 1, 2)?, 0, true),
        0xdb => (5, be(b, at + 1, 4)?, 0, true),
        0xc4 => (2, be(b, at + 1, 1)?, 0, false),
        0xc5 => (3, be(b, at + 1, 2)?, 0, false),
        0xc6 => (5, be(b, at + 1, 4)?, 0, false),
        0xc7 => (3, be(b, at + 1, 1)?, 0, false),
        0xc8 => (4, be(b, at + 1, 2)?, 0, false),
        0xc9 => (6, be(b, at + 1, 4)?, 0, false),
        0xcc | 0xd0 => (2, 0, 0, false),
        0xcd | 0xd1 => (3, 0, 0, false),
        0xca | 0xce | 0xd2 => (5, 0, 0, false),
        0xcb | 0xcf | 0xd3 => (9, 0, 0, false),
        0xd4..=0xd8 => (2, 1 << (m - 0xd4), 0, false),
        0xdc => (3, 0, be(b, at + 1, 2)?, false),
        0xdd => (5, 0, be(b, at + 1, 4)?, false),
        0xde => (3, 0, 2 * be(b, at + 1, 2)?, false),
        0xdf => (5, 0, 2 * be(b, at + 1, 4)?, false),
        0xc1 => return None,
    })
}

/// The size of each MessagePack value that its first byte alone tells:
/// scalars of a fixed size, strings of up to 31 bytes, empty lists and
/// maps (0 for the others), as [`msgpack_head`] reads them.
const MSGPACK_SIZE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut m = 0;
    while m < 256 {
        t[m] = match m as u8 {
            0x00..=0x7f | 0xc0 | 0xc2 | 0xc3 | 0xe0..=0xff | 0x80 | 0x90 => 1,
            0xa0..=0xbf => 1 + (m as u8 & 0x1f),
            0xcc | 0xd0 => 2,
            0xcd | 0xd1 => 3,
            0xca | 0xce | 0xd2 => 5,
            0xcb | 0xcf | 0xd3 => 9,
            _ => 0,
        };
        m += 1;
    }
    t
};

/// [`msgpack_value_end`] of a message's position, most of which
/// [`MSGPACK_SIZE`] tells by their first byte: a scalar or a short
/// string, or a small map (an options or details dict) of those.
#[inline(always)]
fn msgpack_position_end(b: &[u8], at: usize) -> Option<usize> {
    let m = *b.get(at)?;
    let size = usize::from(MSGPACK_SIZE[usize::from(m)]);
    if size != 0 && size <= b.len() - at { Some(at + size) } else { msgpack_position_end_slow(b, at, m) }
}

/// [`msgpack_position_end`] of a position that is not a scalar or a short
/// string, out of line: a small map of those, else as any value.
#[inline(never)]
fn msgpack_position_end_slow(b: &[u8], at: usize, m: u8) -> Option<usize> {
    if let 0x81..=0x8f = m
        && let Some(end) = flat_end(b, at + 1, 2 * usize::from(m & 0x0f), &MSGPACK_SIZE)
    {
        return Some(end);
    }
    msgpack_value_end(b, at)
}

/// The end of the `n` values from `at` in `b`, if `sizes` tells each by
/// its first byte; `None` otherwise (the caller walks them its own way).
#[inline(always)]
fn flat_end(b: &[u8], mut at: usize, n: usize, sizes: &[u8; 256]) -> Option<usize> {
    for _ in 0..n {
        let size = usize::from(sizes[usize::from(*b.get(at)?)]);
        if size == 0 || size > b.len() - at {
            return None;
        }
        at += size;
    }
    Some(at)
}

/// The end of the MessagePack value that starts at `at`.
pub(crate) fn msgpack_value_end(b: &[u8], mut at: usize) -> Option<usize> {
    let mut pending = 1u64;
    while pending > 0 {
        pending -= 1;
        let (head, body, items, _) = msgpack_head(b, at, *b.get(at)?)?;
        at = at.checked_add(head)?.checked_add(usize::try_from(body).ok()?).filter(|&n| n <= b.len())?;
        pending = pending.checked_add(items)?;
        // Every value takes at least one byte.
        if pending > (b.len() - at) as u64 {
            return None;
        }
    }
    Some(at)
}

/// Where the first MessagePack string in `b` (values one after another,
/// from its start; a list's or a map's elements follow its head) holds
/// bytes that are not UTF-8, if one does: msgpack's unpacker, as
/// autobahn-python uses it, refuses such a frame, where rmp-serde hands
/// the string over as bytes. What is cut short or malformed is left to the
/// format crate (`None`). The replay harness checks rmp-serde's answers
/// with it too.
pub fn msgpack_not_utf8(b: &[u8]) -> Option<usize> {
    let mut at = 0;
    while at < b.len() {
        let (head, body, _, text) = msgpack_head(b, at, b[at])?;
        let start = at.checked_add(head)?;
        let end = start.checked_add(usize::try_from(body).ok()?).filter(|&n| n <= b.len())?;
        if text && std::str::from_utf8(&b[start..end]).is_err() {
            return Some(at);
        }
        at = end;
    }
    None
}

/// The refusal of a MessagePack string that is not UTF-8 at byte `at`.
#[cold]
pub(crate) fn not_utf8(at: usize) -> Error {
    Error::message("value", "MessagePack strings of UTF-8", format!("a string that is not UTF-8 (at byte {at})"))
}

/// The elements of the MessagePack list that `b` holds exactly.
pub(crate) fn msgpack_list(b: &[u8], mut each: impl FnMut(usize, usize) -> bool) -> Option<()> {
    let (mut at, n) = msgpack_list_head(b)?;
    for _ in 0..n {
        let end = msgpack_value_end(b, at)?;
        if !each(at, end) {
            return None;
        }
        at = end;
    }
    (at == b.len()).then_some(())
}

/// Where the elements of the MessagePack list `b` start, and how many there are.
fn msgpack_list_head(b: &[u8]) -> Option<(usize, u64)> {
    let m = *b.first()?;
    match m {
        0x90..=0x9f => Some((1, u64::from(m & 0x0f))),
        0xdc => Some((3, be(b, 1, 2)?)),
        0xdd => Some((5, be(b, 1, 4)?)),
        _ => None,
    }
}

/// [`msgpack_list`], checking each element on the way with map keys
/// `keys` (see [`scan::msgpack_end`]).
pub(crate) fn msgpack_list_checked(b: &[u8], keys: Keys, mut each: impl FnMut(usize, usize, Sure) -> bool) -> Option<()> {
    let (mut at, n) = msgpack_list_head(b)?;
    let mut seen = scan::Seen::new();
    for i in 0..n {
        let (end, sure) = msgpack_element(b, at, i >= FIRST_ARGS as u64, keys, &mut seen)?;
        if !each(at, end, sure) {
            return None;
        }
        at = end;
    }
    (at == b.len()).then_some(())
}

/// The end of the element of a message's list at `at`, and what the quick
/// pass found of it: checked where it may hold arguments (`args`, see
/// [`FIRST_ARGS`]) and is a list or map.
#[inline(always)]
pub(crate) fn msgpack_element(b: &[u8], at: usize, args: bool, keys: Keys, seen: &mut scan::Seen) -> Option<(usize, Sure)> {
    let args = args && matches!(b.get(at), Some(0x80..=0x9f | 0xdc..=0xdf));
    let scanned = if args { scan::msgpack_end(b, at, keys, seen) } else { None };
    match scanned {
        Some(x) => Some(x),
        None if !args => Some((msgpack_position_end(b, at)?, Sure::UNSEEN)),
        None => Some((msgpack_value_end(b, at)?, Sure::UNSURE)),
    }
}

/// What the MessagePack element `e` is.
pub(crate) fn msgpack_kind(e: &[u8]) -> Kind {
    match e.first() {
        Some(0x90) => Kind::List(true),
        Some(0x91..=0x9f) => Kind::List(false),
        Some(0xdc | 0xdd) => Kind::List(e[1..].iter().all(|&x| x == 0)),
        Some(0x80) => Kind::Map(true),
        Some(0x81..=0x8f) => Kind::Map(false),
        Some(0xde | 0xdf) => Kind::Map(e[1..].iter().all(|&x| x == 0)),
        Some(0xc0) => Kind::Null,
        _ => Kind::Other,
    }
}

/// The argument of a CBOR head at `at` with additional information `ai`:
/// the number and the bytes the head takes; `None` for a reserved `ai`
/// or an indefinite length (`ai` 31, which the caller handles).
#[inline]
fn cbor_arg(b: &[u8], at: usize, ai: u8) -> Option<(u64, usize)> {
    match ai {
        0..=23 => Some((u64::from(ai), 1)),
        24 => Some((be(b, at + 1, 1)?, 2)),
        25 => Some((be(b, at + 1, 2)?, 3)),
        26 => Some((be(b, at + 1, 4)?, 5)),
        27 => Some((be(b, at + 1, 8)?, 9)),
        _ => None,
    }
}

/// The size of each CBOR value that its initial byte alone tells:
/// integers, simple values and floats, strings and byte strings of up to
/// 23 bytes, empty lists and maps (0 for the others), as
/// [`cbor_value_end`] reads them.
const CBOR_SIZE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut ib = 0;
    while ib < 256 {
        let (major, ai) = (ib as u8 >> 5, ib as u8 & 0x1f);
        t[ib] = match (major, ai) {
            (0 | 1 | 7, 0..=23) | (4 | 5, 0) => 1,
            (0 | 1 | 7, 24) => 2,
            (0 | 1 | 7, 25) => 3,
            (0 | 1 | 7, 26) => 5,
            (0 | 1 | 7, 27) => 9,
            (2 | 3, 0..=23) => 1 + ai,
            _ => 0,
        };
        ib += 1;
    }
    t
};

/// [`cbor_value_end`] of a message's position, most of which
/// [`CBOR_SIZE`] tells by their initial byte: a scalar or a short
/// string, or a small map (an options or details dict) of those.
#[inline(always)]
fn cbor_position_end(b: &[u8], at: usize) -> Option<usize> {
    let ib = *b.get(at)?;
    let size = usize::from(CBOR_SIZE[usize::from(ib)]);
    if size != 0 && size <= b.len() - at { Some(at + size) } else { cbor_position_end_slow(b, at, ib) }
}

/// [`cbor_position_end`] of a position that is not a scalar or a short
/// string, out of line: a small map of those, else as any value.
#[inline(never)]
fn cbor_position_end_slow(b: &[u8], at: usize, ib: u8) -> Option<usize> {
    if let 0xa1..=0xb7 = ib
        && let Some(end) = flat_end(b, at + 1, 2 * usize::from(ib & 0x1f), &CBOR_SIZE)
    {
        return Some(end);
    }
    cbor_value_end(b, at)
}

/// The end of the CBOR value that starts at `at`.
pub(crate) fn cbor_value_end(b: &[u8], mut at: usize) -> Option<usize> {
    // Values still to read in the definite-length containers around us, up
    // to the nearest indefinite-length one; each indefinite-length
    // container saves the count of the level outside it.
    let mut pending = 1u64;
    let mut outer: Vec<u64> = Vec::new();
    loop {
        if pending == 0 {
            let Some(saved) = outer.last().copied() else { return Some(at) };
            // Inside an indefinite-length container: a break ends it.
            if *b.get(at)? == 0xff {
                at += 1;
                pending = saved;
                outer.pop();
                continue;
            }
            pending = 1;
        }
        pending -= 1;
        let ib = *b.get(at)?;
        let (major, ai) = (ib >> 5, ib & 0x1f);
        if ai == 31 {
            match major {
                2..=5 => {
                    outer.push(pending);
                    pending = 0;
                    at += 1;
                    continue;
                }
                // A break where no indefinite-length container is open, or
                // an indefinite-length integer or tag.
                _ => return None,
            }
        }
        let (n, head) = cbor_arg(b, at, ai)?;
        at += head;
        match major {
            0 | 1 | 7 => {}
            2 | 3 => at = at.checked_add(usize::try_from(n).ok()?).filter(|&e| e <= b.len())?,
            4 => pending = pending.checked_add(n)?,
            5 => pending = pending.checked_add(n.checked_mul(2)?)?,
            _ => pending = pending.checked_add(1)?,
        }
        // Every value takes at least one byte.
        if pending > (b.len() - at) as u64 {
            return None;
        }
    }
}

/// The elements of the CBOR list that starts `b` (what follows it is
/// ignored, as cbor2 and cbor4ii ignore it).
pub(crate) fn cbor_list(b: &[u8], mut each: impl FnMut(usize, usize) -> bool) -> Option<()> {
    cbor_list_with(b, |b, at| Some((cbor_value_end(b, at)?, Sure::UNSEEN)), |s, e, _| each(s, e))
}

/// [`cbor_list`], checking each element on the way with map keys `keys`
/// (see [`scan::cbor_end`]).
pub(crate) fn cbor_list_checked(b: &[u8], keys: Keys, each: impl FnMut(usize, usize, Sure) -> bool) -> Option<()> {
    let (mut seen, mut i) = (scan::Seen::new(), 0);
    let end = |b: &[u8], at| {
        i += 1;
        cbor_element(b, at, i > FIRST_ARGS, keys, &mut seen)
    };
    cbor_list_with(b, end, each)
}

/// [`msgpack_element`] for CBOR.
#[inline(always)]
pub(crate) fn cbor_element(b: &[u8], at: usize, args: bool, keys: Keys, seen: &mut scan::Seen) -> Option<(usize, Sure)> {
    if !args || !matches!(b.get(at), Some(0x80..=0xbf)) {
        return Some((cbor_position_end(b, at)?, Sure::UNSEEN));
    }
    match scan::cbor_end(b, at, keys, seen) {
        Some(x) => Some(x),
        None => Some((cbor_value_end(b, at)?, Sure::UNSURE)),
    }
}

/// The elements of the CBOR list that starts `b`, each found by `end`.
#[inline]
fn cbor_list_with(
    b: &[u8],
    mut end: impl FnMut(&[u8], usize) -> Option<(usize, Sure)>,
    mut each: impl FnMut(usize, usize, Sure) -> bool,
) -> Option<()> {
    let ib = *b.first()?;
    if ib >> 5 != 4 {
        return None;
    }
    if ib & 0x1f == 31 {
        let mut at = 1;
        while *b.get(at)? != 0xff {
            let (e, sure) = end(b, at)?;
            if !each(at, e, sure) {
                return None;
            }
            at = e;
        }
        return Some(());
    }
    let (n, mut at) = cbor_arg(b, 0, ib & 0x1f)?;
    for _ in 0..n {
        let (e, sure) = end(b, at)?;
        if !each(at, e, sure) {
            return None;
        }
        at = e;
    }
    Some(())
}

/// What the CBOR element `e` is (tags in front of it aside: a tagged value
/// is `Other`).
pub(crate) fn cbor_kind(e: &[u8]) -> Kind {
    let Some(&ib) = e.first() else { return Kind::Other };
    let empty = || match cbor_arg(e, 0, ib & 0x1f) {
        Some((n, _)) => n == 0,
        None => e.get(1) == Some(&0xff),
    };
    match ib >> 5 {
        4 => Kind::List(empty()),
        5 => Kind::Map(empty()),
        7 if ib == 0xf6 => Kind::Null,
        _ => Kind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A walk that hands each element's `(start, end)` to a callback.
    type Walk = fn(&[u8], &mut dyn FnMut(usize, usize) -> bool) -> Option<()>;

    fn elements(f: Walk, b: &[u8]) -> Option<Vec<(usize, usize)>> {
        let mut out = Vec::new();
        f(b, &mut |s, e| {
            out.push((s, e));
            true
        })?;
        Some(out)
    }

    #[test]
    fn json_lists_split_at_their_commas() {
        let f = |b: &[u8], each: &mut dyn FnMut(usize, usize) -> bool| json_list(b, each);
        assert_eq!(elements(f, br#" [48, 7, {"a": [1, "],"]}, "x\"y", [] ] "#), Some(vec![(2, 4), (6, 7), (9, 25), (27, 33), (35, 37)]));
        assert_eq!(elements(f, b"[]"), Some(vec![]));
        assert_eq!(elements(f, b"[1,2] x"), None);
        assert_eq!(elements(f, b"[1,2"), None);
        assert_eq!(elements(f, b"[[1]"), None);
        assert_eq!(json_kind(b"[ ]"), Kind::List(true));
        assert_eq!(json_kind(b"{\"a\":1}"), Kind::Map(false));
    }

    /// A string's end is found eight bytes at a time: an escaped quote or
    /// backslash, or the closing quote, at each place of a word.
    #[test]
    fn json_strings_end_at_their_closing_quote() {
        for n in 0..=20 {
            for at in 0..=n {
                for piece in [&b"\\\""[..], b"\\\\", b"x"] {
                    let s = [&vec![b'a'; at][..], piece, &vec![b'b'; n - at]].concat();
                    let v = [&b"[\""[..], &s, b"\",1]"].concat();
                    assert_eq!(json_value_end(&v, 0), Some(v.len()), "{:?}", String::from_utf8_lossy(&v));
                    assert_eq!(json_value_end(&v[1..], 0), Some(s.len() + 2), "{:?}", String::from_utf8_lossy(&v));
                }
            }
        }
    }

    #[test]
    fn deep_nesting_is_walked_without_recursion() {
        let deep = [vec![b'['; 100_000], vec![b']'; 100_000]].concat();
        assert_eq!(json_value_end(&deep, 0), Some(deep.len()));
        let deep = vec![0x91u8; 100_000].into_iter().chain([0xc0]).collect::<Vec<_>>();
        assert_eq!(msgpack_value_end(&deep, 0), Some(deep.len()));
        let deep = vec![0x81u8; 100_000].into_iter().chain([0xf6]).collect::<Vec<_>>();
        assert_eq!(cbor_value_end(&deep, 0), Some(deep.len()));
        let deep = vec![0x9fu8; 100_000].into_iter().chain(vec![0xff; 100_000]).collect::<Vec<_>>();
        assert_eq!(cbor_value_end(&deep, 0), Some(deep.len()));
    }

    #[test]
    fn positions_end_where_the_full_walk_ends() {
        let msgpack: [&[u8]; 8] = [
            &[0x05],
            &[0xcf, 0, 0, 0, 0, 0, 0, 0, 7],
            &[0xa2, b'a', b'b'],
            &[0x82, 0xa1, b'a', 0xc3, 0xa1, b'b', 0xcd, 1, 2],
            &[0x81, 0xa1, b'a', 0x91, 0x01],
            &[0x82, 0xa1, b'a', 0xc3],
            &[0xcd, 1],
            &[0x90],
        ];
        for b in msgpack {
            assert_eq!(msgpack_position_end(b, 0), msgpack_value_end(b, 0), "{b:02x?}");
        }
        let cbor: [&[u8]; 7] = [
            &[0x17],
            &[0x1a, 0, 0, 0, 7],
            &[0x62, b'a', b'b'],
            &[0xa2, 0x61, b'a', 0xf5, 0x61, b'b', 0x19, 1, 2],
            &[0xa1, 0x61, b'a', 0x81, 0x01],
            &[0xa2, 0x61, b'a', 0xf5],
            &[0x19, 1],
        ];
        for b in cbor {
            assert_eq!(cbor_position_end(b, 0), cbor_value_end(b, 0), "{b:02x?}");
        }
    }

    #[test]
    fn cbor_and_msgpack_lengths() {
        // [1, "ab", {"k": [true]}] with an indefinite-length map inside.
        let cbor = [0x83, 0x01, 0x62, b'a', b'b', 0xbf, 0x61, b'k', 0x81, 0xf5, 0xff];
        let f = |b: &[u8], each: &mut dyn FnMut(usize, usize) -> bool| cbor_list(b, each);
        assert_eq!(elements(f, &cbor), Some(vec![(1, 2), (2, 5), (5, 11)]));
        assert_eq!(elements(f, &cbor[..10]), None);
        let msgpack = [0x93, 0x01, 0xa2, b'a', b'b', 0x81, 0xa1, b'k', 0x91, 0xc3];
        let f = |b: &[u8], each: &mut dyn FnMut(usize, usize) -> bool| msgpack_list(b, each);
        assert_eq!(elements(f, &msgpack), Some(vec![(1, 2), (2, 5), (5, 10)]));
        assert_eq!(elements(f, &[&msgpack[..], &[0]].concat()), None);
        // A length past the end is refused before anything is read.
        assert_eq!(msgpack_value_end(&[0xdd, 0xff, 0xff, 0xff, 0xff], 0), None);
        assert_eq!(cbor_value_end(&[0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], 0), None);
    }
}
