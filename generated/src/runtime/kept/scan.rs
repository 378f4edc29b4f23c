//! One pass over kept arguments that says "valid" for the everyday forms
//! of each format: scalars, strings (valid UTF-8, no JSON escapes),
//! byte strings, lists and maps of definite length, the map keys the
//! format allows, each once, nested at most 128 deep. Anything else (JSON
//! escapes, MessagePack extensions, CBOR tags and indefinite lengths,
//! numbers near the edges of their range, any malformation) gets "not
//! sure", and the format crate's own walk ([`Check`](super::check::Check))
//! decides, with its error. So this pass only ever saves time: it accepts
//! nothing that walk refuses.

// A build with some of the formats uses part of this.
#![cfg_attr(not(all(feature = "json", feature = "msgpack", feature = "cbor")), allow(dead_code))]

use super::check::Keys;
use crate::runtime::codec::MAX_DEPTH;

/// "Not sure": the slow walk decides.
struct Unsure;

type R = Result<(), Unsure>;

/// What the quick pass learnt of one element of a message's list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Sure(u8);

impl Sure {
    const SCANNED: u8 = 1;
    const ARGS: u8 = 2;
    const KWARGS: u8 = 4;

    /// Not looked at.
    pub(crate) const UNSEEN: Sure = Sure(0);
    /// Looked at, and not surely valid.
    pub(crate) const UNSURE: Sure = Sure(Sure::SCANNED);

    /// Surely valid as arguments and as keyword arguments.
    pub(crate) const BOTH: Sure = Sure(Sure::SCANNED | Sure::ARGS | Sure::KWARGS);

    /// Surely valid as arguments; also as keyword arguments where `str_keys`
    /// (its own keys, if it is a map, are all strings).
    fn valid(str_keys: bool) -> Sure {
        Sure(Sure::SCANNED | Sure::ARGS | if str_keys { Sure::KWARGS } else { 0 })
    }

    /// Whether the element is surely valid as arguments (`kwargs`: as keyword arguments).
    pub(crate) fn is_valid(self, kwargs: bool) -> bool {
        self.0 & if kwargs { Sure::KWARGS } else { Sure::ARGS } != 0
    }

    /// Whether the quick pass looked at it (and a second look would say the same).
    pub(crate) fn scanned(self) -> bool {
        self.0 & Sure::SCANNED != 0
    }
}

/// The keys of the open maps, as fingerprints: equal keys have equal
/// fingerprints, so that distinct fingerprints mean distinct keys, and two
/// equal ones (rare but for a key given twice) send the value to the slow
/// walk, which tells a key given twice from a collision.
pub(crate) struct Seen(Vec<u64>);

/// How many keys [`Seen`] makes room for at once.
const ROOM: usize = 32;

impl Seen {
    /// An empty list, which allocates when its first key comes.
    pub(crate) fn new() -> Self {
        Seen(Vec::new())
    }

    #[inline]
    fn len(&self) -> usize {
        self.0.len()
    }

    /// The keys from `start` on.
    #[inline]
    fn from(&mut self, start: usize) -> &mut [u64] {
        &mut self.0[start..]
    }

    #[inline]
    fn push(&mut self, fp: u64) {
        if self.0.len() == self.0.capacity() {
            self.0.reserve(ROOM);
        }
        self.0.push(fp);
    }

    #[inline]
    fn truncate(&mut self, n: usize) {
        self.0.truncate(n);
    }
}

/// Maps with at most this many keys compare each key with those before
/// it; longer ones sort their keys when they close.
const FEW_KEYS: u64 = 16;

/// The fingerprint of a key of kind `kind`, of length `n`, that `x`
/// stands for (its bytes, up to eight; a mix of its first and last eight).
#[inline]
fn fingerprint(kind: u64, n: usize, x: u64) -> u64 {
    (x ^ ((n as u64) << 56) ^ (kind << 53) ^ ((n as u64) << 45)).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// Fingerprint kinds.
const STR: u64 = 0;
const BYTES: u64 = 1;
const UINT: u64 = 2;
const NEG: u64 = 3;
const NULL: u64 = 4;

const HIGH: u64 = 0x8080_8080_8080_8080;

/// The `n` (at most 8) bytes of `b` from `at` as a little-endian word,
/// zero above them; `b` holds them.
#[inline(always)]
fn word(b: &[u8], at: usize, n: usize) -> u64 {
    const MASK: [u64; 9] = {
        let mut m = [0u64; 9];
        let mut i = 1;
        while i < 9 {
            m[i] = if i == 8 { u64::MAX } else { (1u64 << (8 * i)) - 1 };
            i += 1;
        }
        m
    };
    match b.get(at..at + 8) {
        Some(c) => u64::from_le_bytes(c.try_into().unwrap_or_default()) & MASK[n],
        None => {
            let mut w = [0u8; 8];
            w[..n].copy_from_slice(&b[at..at + n]);
            u64::from_le_bytes(w)
        }
    }
}

/// What a key of `n` bytes from `at` in `b` looks like: a word that
/// stands for its bytes (them, when eight or fewer).
#[inline(always)]
fn key_word(b: &[u8], at: usize, n: usize) -> u64 {
    if n <= 8 { word(b, at, n) } else { word(b, at, 8) ^ word(b, at + n - 8, 8).rotate_left(29) }
}

/// Whether the `n` bytes of `b` from `at` are valid UTF-8, those up to
/// eight bytes long checked as one word where they are ASCII.
#[inline(always)]
fn utf8_at(b: &[u8], at: usize, n: usize) -> bool {
    if n <= 8 && word(b, at, n) & HIGH == 0 {
        return true;
    }
    utf8_slow(&b[at..at + n])
}

#[inline(never)]
fn utf8_slow(s: &[u8]) -> bool {
    s.is_ascii() || std::str::from_utf8(s).is_ok()
}

struct Scan<'b, 's> {
    b: &'b [u8],
    at: usize,
    keys: Keys,
    seen: &'s mut Seen,
    /// Whether the outermost map has a key that is not a string.
    top_not_str: bool,
}

impl<'b, 's> Scan<'b, 's> {
    fn new(b: &'b [u8], at: usize, keys: Keys, seen: &'s mut Seen) -> Self {
        seen.truncate(0);
        Scan { b, at, keys, seen, top_not_str: false }
    }

    #[inline]
    fn byte(&mut self) -> Result<u8, Unsure> {
        let x = *self.b.get(self.at).ok_or(Unsure)?;
        self.at += 1;
        Ok(x)
    }

    /// Steps over `n` bytes.
    #[inline]
    fn skip(&mut self, n: u64) -> R {
        let n = usize::try_from(n).map_err(|_| Unsure)?;
        match self.at.checked_add(n) {
            Some(end) if end <= self.b.len() => {
                self.at = end;
                Ok(())
            }
            _ => Err(Unsure),
        }
    }

    /// Steps over `n` bytes that must be valid UTF-8.
    #[inline(always)]
    fn text(&mut self, n: u64) -> R {
        let start = self.at;
        self.skip(n)?;
        if utf8_at(self.b, start, self.at - start) { Ok(()) } else { Err(Unsure) }
    }

    /// The big-endian number in the next `n` (1 to 8) bytes.
    #[inline]
    fn be(&mut self, n: usize) -> Result<u64, Unsure> {
        let s = self.b.get(self.at..self.at + n).ok_or(Unsure)?;
        self.at += n;
        let mut w = [0u8; 8];
        w[8 - n..].copy_from_slice(s);
        Ok(u64::from_be_bytes(w))
    }

    /// Opens a map: where its keys start in `seen`.
    #[inline]
    fn open(&self, depth: u32) -> Result<usize, Unsure> {
        if depth >= MAX_DEPTH { Err(Unsure) } else { Ok(self.seen.len()) }
    }

    /// Takes the next key of a map of `n` keys whose keys start at
    /// `start`, of fingerprint `fp`; `is_str` when it is a string, which
    /// the keyword arguments' own keys must be.
    #[inline]
    fn key(&mut self, start: usize, n: u64, fp: u64, is_str: bool, depth: u32) -> R {
        if !is_str && depth == 1 {
            self.top_not_str = true;
        }
        if n <= FEW_KEYS && self.seen.from(start).contains(&fp) {
            return Err(Unsure);
        }
        self.seen.push(fp);
        Ok(())
    }

    /// Closes the map of `n` keys whose keys start at `start`: each key once.
    #[inline]
    fn close(&mut self, start: usize, n: u64) -> R {
        if n > FEW_KEYS {
            let keys = self.seen.from(start);
            keys.sort_unstable();
            if keys.windows(2).any(|w| w[0] == w[1]) {
                return Err(Unsure);
            }
        }
        self.seen.truncate(start);
        Ok(())
    }

    /// Whether byte strings may be keys.
    fn bytes_keys(&self) -> R {
        if self.keys == Keys::Str { Err(Unsure) } else { Ok(()) }
    }

    // --- MessagePack ---------------------------------------------------

    /// One value: the everyday scalars and short strings here, the rest in
    /// [`Scan::msgpack_more`].
    #[inline(always)]
    fn msgpack(&mut self, depth: u32) -> R {
        let m = self.byte()?;
        match m {
            0x00..=0x7f | 0xe0..=0xff | 0xc0 | 0xc2 | 0xc3 => Ok(()),
            0xa0..=0xbf => self.text(u64::from(m & 0x1f)),
            _ => self.msgpack_more(m, depth),
        }
    }

    #[inline(never)]
    fn msgpack_more(&mut self, m: u8, depth: u32) -> R {
        match m {
            0x90..=0x9f => self.msgpack_list(u64::from(m & 0x0f), depth),
            0x80..=0x8f => self.msgpack_map(u64::from(m & 0x0f), depth),
            0xcc | 0xd0 => self.skip(1),
            0xcd | 0xd1 => self.skip(2),
            0xce | 0xd2 | 0xca => self.skip(4),
            0xcf | 0xd3 | 0xcb => self.skip(8),
            // str 8/16/32, bin 8/16/32, array 16/32, map 16/32: the length
            // takes 1, 2 or 4 bytes (2 or 4 for arrays and maps).
            0xd9..=0xdb => {
                let n = self.be(1 << (m - 0xd9))?;
                self.text(n)
            }
            0xc4..=0xc6 => {
                let n = self.be(1 << (m - 0xc4))?;
                self.skip(n)
            }
            0xdc | 0xdd => {
                let n = self.be(2 << (m - 0xdc))?;
                self.msgpack_list(n, depth)
            }
            0xde | 0xdf => {
                let n = self.be(2 << (m - 0xde))?;
                self.msgpack_map(n, depth)
            }
            // Extensions, and the unused marker.
            _ => Err(Unsure),
        }
    }

    fn msgpack_list(&mut self, n: u64, depth: u32) -> R {
        self.open(depth)?;
        for _ in 0..n {
            self.msgpack(depth + 1)?;
        }
        Ok(())
    }

    fn msgpack_map(&mut self, n: u64, depth: u32) -> R {
        let start = self.open(depth)?;
        for _ in 0..n {
            let m = self.byte()?;
            let (kind, len) = match m {
                0xa0..=0xbf => (STR, u64::from(m & 0x1f)),
                0xd9..=0xdb => (STR, self.be(1 << (m - 0xd9))?),
                0xc4..=0xc6 => {
                    self.bytes_keys()?;
                    (BYTES, self.be(1 << (m - 0xc4))?)
                }
                _ => return Err(Unsure),
            };
            let at = self.at;
            if kind == STR {
                self.text(len)?
            } else {
                self.skip(len)?
            }
            let fp = fingerprint(kind, self.at - at, key_word(self.b, at, self.at - at));
            self.key(start, n, fp, kind == STR, depth)?;
            self.msgpack(depth + 1)?;
        }
        self.close(start, n)
    }

    // --- CBOR ----------------------------------------------------------

    /// The argument of a head with additional information `ai`.
    #[inline]
    fn cbor_arg(&mut self, ai: u8) -> Result<u64, Unsure> {
        match ai {
            0..=23 => Ok(u64::from(ai)),
            24 => self.be(1),
            25 => self.be(2),
            26 => self.be(4),
            27 => self.be(8),
            // Indefinite lengths and reserved values.
            _ => Err(Unsure),
        }
    }

    /// One value: the everyday scalars and strings here, the rest in
    /// [`Scan::cbor_more`].
    #[inline(always)]
    fn cbor(&mut self, depth: u32) -> R {
        let ib = self.byte()?;
        let ai = ib & 0x1f;
        match ib >> 5 {
            0 => self.cbor_arg(ai).map(drop),
            3 => {
                let n = self.cbor_arg(ai)?;
                self.text(n)
            }
            _ => self.cbor_more(ib, depth),
        }
    }

    #[inline(never)]
    fn cbor_more(&mut self, ib: u8, depth: u32) -> R {
        let ai = ib & 0x1f;
        match ib >> 5 {
            // Below -2^63 no `Value` holds it: the slow walk says so.
            1 => {
                if self.cbor_arg(ai)? <= i64::MAX as u64 {
                    Ok(())
                } else {
                    Err(Unsure)
                }
            }
            2 => {
                let n = self.cbor_arg(ai)?;
                self.skip(n)
            }
            3 => {
                let n = self.cbor_arg(ai)?;
                self.text(n)
            }
            4 => {
                let n = self.cbor_arg(ai)?;
                self.open(depth)?;
                for _ in 0..n {
                    self.cbor(depth + 1)?;
                }
                Ok(())
            }
            5 => {
                let n = self.cbor_arg(ai)?;
                let start = self.open(depth)?;
                for _ in 0..n {
                    let (fp, is_str) = self.cbor_key()?;
                    self.key(start, n, fp, is_str, depth)?;
                    self.cbor(depth + 1)?;
                }
                self.close(start, n)
            }
            // false, true, null; half, single and double floats. Tags,
            // `undefined` and other simple values: the slow walk.
            7 => match ai {
                20..=22 => Ok(()),
                25 => self.skip(2),
                26 => self.skip(4),
                27 => self.skip(8),
                _ => Err(Unsure),
            },
            _ => Err(Unsure),
        }
    }

    /// A map key: its fingerprint, and whether it is a string.
    fn cbor_key(&mut self) -> Result<(u64, bool), Unsure> {
        let ib = self.byte()?;
        let ai = ib & 0x1f;
        let cbor_keys = || if self.keys == Keys::Cbor { Ok(()) } else { Err(Unsure) };
        let (kind, n) = match ib >> 5 {
            3 => (STR, self.cbor_arg(ai)?),
            2 => {
                self.bytes_keys()?;
                (BYTES, self.cbor_arg(ai)?)
            }
            0 => {
                cbor_keys()?;
                return Ok((fingerprint(UINT, 8, self.cbor_arg(ai)?), false));
            }
            1 => {
                cbor_keys()?;
                return match self.cbor_arg(ai)? {
                    n if n <= i64::MAX as u64 => Ok((fingerprint(NEG, 8, n), false)),
                    _ => Err(Unsure),
                };
            }
            7 if ai == 22 => {
                cbor_keys()?;
                return Ok((fingerprint(NULL, 0, 0), false));
            }
            _ => return Err(Unsure),
        };
        let at = self.at;
        if kind == STR {
            self.text(n)?
        } else {
            self.skip(n)?
        }
        Ok((fingerprint(kind, self.at - at, key_word(self.b, at, self.at - at)), kind == STR))
    }

    // --- JSON ----------------------------------------------------------

    #[inline]
    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.b.get(self.at) {
            self.at += 1;
        }
    }

    #[inline]
    fn expect(&mut self, c: u8) -> R {
        self.ws();
        if self.byte()? == c { Ok(()) } else { Err(Unsure) }
    }

    /// A string after its opening quote, without escapes or control characters.
    fn json_str(&mut self) -> Result<&'b [u8], Unsure> {
        const ONES: u64 = 0x0101_0101_0101_0101;
        let (b, start) = (self.b, self.at);
        let mut at = start;
        // The high bits of the string's bytes, to skip the UTF-8 check of ASCII.
        let mut high = 0u64;
        // Eight bytes at a time: the first quote, backslash or control
        // character is the lowest byte flagged (flags above it may be wrong).
        while let Some(chunk) = b.get(at..at + 8) {
            let x = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
            let eq = |c: u8| {
                let y = x ^ (u64::from(c) * ONES);
                y.wrapping_sub(ONES) & !y & HIGH
            };
            let found = eq(b'"') | eq(b'\\') | (x.wrapping_sub(0x20 * ONES) & !x & HIGH);
            if found != 0 {
                let i = found.trailing_zeros() as usize / 8;
                high |= x & ((1u64 << (8 * i)) - 1);
                at += i;
                return self.json_str_end(start, at, high);
            }
            high |= x;
            at += 8;
        }
        while let Some(&c) = b.get(at) {
            if c == b'"' || c == b'\\' || c < 0x20 {
                break;
            }
            high |= u64::from(c);
            at += 1;
        }
        self.json_str_end(start, at, high)
    }

    /// The string from `start` that ends at `at` if a quote is there (not
    /// a backslash or a control character); `high` holds its bytes' high bits.
    #[inline]
    fn json_str_end(&mut self, start: usize, at: usize, high: u64) -> Result<&'b [u8], Unsure> {
        if self.b.get(at) != Some(&b'"') {
            return Err(Unsure);
        }
        let s = &self.b[start..at];
        if high & HIGH != 0 && std::str::from_utf8(s).is_err() {
            return Err(Unsure);
        }
        self.at = at + 1;
        Ok(s)
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while let Some(b'0'..=b'9') = self.b.get(self.at) {
            self.at += 1;
        }
        self.at - start
    }

    /// A number as JSON writes it, far from the edges of what serde_json reads.
    fn json_number(&mut self) -> R {
        if self.b.get(self.at) == Some(&b'-') {
            self.at += 1;
        }
        let lead = self.b.get(self.at).copied();
        let int = self.digits();
        if int == 0 || (lead == Some(b'0') && int > 1) {
            return Err(Unsure);
        }
        let mut simple = int <= 18;
        if self.b.get(self.at) == Some(&b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return Err(Unsure);
            }
            simple = int <= 300;
        }
        if let Some(b'e' | b'E') = self.b.get(self.at) {
            self.at += 1;
            if let Some(b'+' | b'-') = self.b.get(self.at) {
                self.at += 1;
            }
            let e = self.digits();
            simple = e > 0 && e <= 2 && int <= 200;
        }
        if simple { Ok(()) } else { Err(Unsure) }
    }

    fn json(&mut self, depth: u32) -> R {
        self.ws();
        match self.byte()? {
            b'"' => self.json_str().map(drop),
            b'[' => {
                self.open(depth)?;
                self.ws();
                if self.b.get(self.at) == Some(&b']') {
                    self.at += 1;
                    return Ok(());
                }
                loop {
                    self.json(depth + 1)?;
                    self.ws();
                    match self.byte()? {
                        b',' => {}
                        b']' => return Ok(()),
                        _ => return Err(Unsure),
                    }
                }
            }
            b'{' => {
                let start = self.open(depth)?;
                self.ws();
                if self.b.get(self.at) == Some(&b'}') {
                    self.at += 1;
                    return Ok(());
                }
                let mut n = 0;
                loop {
                    self.expect(b'"')?;
                    let k = self.at;
                    let len = self.json_str()?.len();
                    n += 1;
                    self.key(start, n, fingerprint(STR, len, key_word(self.b, k, len)), true, depth)?;
                    self.expect(b':')?;
                    self.json(depth + 1)?;
                    self.ws();
                    match self.byte()? {
                        b',' => {}
                        b'}' => return self.close(start, n),
                        _ => return Err(Unsure),
                    }
                }
            }
            b't' => self.word(b"rue"),
            b'f' => self.word(b"alse"),
            b'n' => self.word(b"ull"),
            b'-' | b'0'..=b'9' => {
                self.at -= 1;
                self.json_number()
            }
            _ => Err(Unsure),
        }
    }

    fn word(&mut self, rest: &[u8]) -> R {
        let at = self.at;
        self.skip(rest.len() as u64)?;
        if &self.b[at..self.at] == rest { Ok(()) } else { Err(Unsure) }
    }
}

/// Which format's pass to run.
#[derive(Clone, Copy)]
pub(crate) enum Format {
    Json,
    MsgPack,
    Cbor,
}

/// The end of the JSON value that starts `b[at..]`, if it is, surely, a
/// valid value nested at most 128 deep with one `Value` can hold.
pub(crate) fn json_end(b: &[u8], at: usize, seen: &mut Seen) -> Option<usize> {
    let mut s = Scan::new(b, at, Keys::Str, seen);
    s.json(1).ok().map(|()| s.at)
}

/// The end of the MessagePack value that starts `b[at..]` and what the
/// quick pass learnt of it, if it is surely valid with keys `keys`.
pub(crate) fn msgpack_end(b: &[u8], at: usize, keys: Keys, seen: &mut Seen) -> Option<(usize, Sure)> {
    let mut s = Scan::new(b, at, keys, seen);
    s.msgpack(1).ok().map(|()| (s.at, Sure::valid(!s.top_not_str)))
}

/// [`msgpack_end`] for CBOR.
pub(crate) fn cbor_end(b: &[u8], at: usize, keys: Keys, seen: &mut Seen) -> Option<(usize, Sure)> {
    let mut s = Scan::new(b, at, keys, seen);
    s.cbor(1).ok().map(|()| (s.at, Sure::valid(!s.top_not_str)))
}

/// Whether `b` is, surely, one valid value of the format whose keys are
/// `keys`, starting `depth` 1 deep; `kwargs` when its own keys must be
/// strings. `false` means "not sure".
pub(crate) fn surely_valid(format: Format, b: &[u8], keys: Keys, kwargs: bool) -> bool {
    let seen = &mut Seen::new();
    let end = match format {
        Format::Json => json_end(b, 0, seen).map(|e| (e, Sure::BOTH)),
        Format::MsgPack => msgpack_end(b, 0, keys, seen),
        Format::Cbor => cbor_end(b, 0, keys, seen),
    };
    end.is_some_and(|(e, sure)| e == b.len() && sure.is_valid(kwargs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_everyday_forms_are_sure_and_the_rest_is_not() {
        let json = |s: &str| surely_valid(Format::Json, s.as_bytes(), Keys::Str, false);
        assert!(json(r#"[1, -2.5e10, "x", true, null, {"a": [{}], "b": []}]"#));
        for unsure in [r#"["\u0000AQ=="]"#, r#"{"a": 1, "a": 2}"#, "[01]", "[1e400]", "[1.]", "[tru]", "[1,]", "[1] "] {
            assert!(!json(unsure), "{unsure}");
        }
        let deep = format!("{}{}", "[".repeat(128), "]".repeat(128));
        assert!(!json(&deep));
        assert!(json(&format!("{}{}", "[".repeat(127), "]".repeat(127))));
        // CBOR: {1: "one"} is fine in the arguments, not as the keyword arguments' own keys.
        let cbor = [0xa1, 0x01, 0x63, b'o', b'n', b'e'];
        assert!(surely_valid(Format::Cbor, &cbor, Keys::Cbor, false));
        assert!(!surely_valid(Format::Cbor, &cbor, Keys::Cbor, true));
        assert!(!surely_valid(Format::Cbor, &[0xa2, 0x01, 0xf6, 0x01, 0xf6], Keys::Cbor, false));
        assert!(!surely_valid(Format::MsgPack, &[0x81, 0x01, 0xc0], Keys::StrOrBytes, false));
        assert!(!surely_valid(Format::MsgPack, &[0x91, 0xa1, 0xff], Keys::StrOrBytes, false));
        assert!(surely_valid(Format::MsgPack, &[0x92, 0xa1, b'x', 0xc4, 0x01, 0xff], Keys::StrOrBytes, false));
    }
}
