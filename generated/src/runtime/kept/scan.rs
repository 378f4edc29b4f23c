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

/// Maps with at most this many keys compare a new key with those before
/// it (when its bit in the map's filter is set already); longer ones sort
/// their keys when they close.
const FEW_KEYS: u64 = 16;

/// How many keys [`Seen`] holds inline; more go to the heap.
const NEAR: usize = 16;

/// How many enclosing lists and maps [`Seen`] holds inline; deeper
/// nesting goes to the heap.
const FRAMES: usize = 4;

/// An open list or map of the quick pass (`left` serves the binary formats only).
#[derive(Clone, Copy, Default)]
struct Frame {
    /// Values (in a list) or keys (in a map) still to read, the one being
    /// read included.
    left: u64,
    /// For a map, where its keys start in [`Seen`]; [`LIST`] for a list.
    start: usize,
    /// For a map, one bit for each of its keys so far, chosen by its
    /// fingerprint (a longer map than [`FEW_KEYS`] starts again from no
    /// bits where a key finds its bit set).
    filter: u64,
}

/// [`Frame::start`] of a list.
const LIST: usize = usize::MAX;

/// The room the quick pass works in, reused from one element of a
/// message's list to the next: the keys of the open maps, as fingerprints
/// (equal keys have equal fingerprints, so that distinct fingerprints mean
/// distinct keys, and two equal ones, rare but for a key given twice, send
/// the value to the slow walk, which tells a key given twice from a
/// collision), and the open lists and maps.
pub(crate) struct Seen {
    /// How many keys are held.
    n: usize,
    /// The first [`NEAR`] keys.
    near: [u64; NEAR],
    /// The keys after them.
    far: Vec<u64>,
    /// The first [`FRAMES`] enclosing lists and maps, outermost first.
    frames: [Frame; FRAMES],
    /// Those beyond.
    deep: Vec<Frame>,
}

impl Seen {
    /// Empty room, which allocates only for many keys or deep nesting.
    pub(crate) fn new() -> Self {
        Seen { n: 0, near: [0; NEAR], far: Vec::new(), frames: [Frame::default(); FRAMES], deep: Vec::new() }
    }

    #[inline]
    fn len(&self) -> usize {
        self.n
    }

    #[inline]
    fn push(&mut self, fp: u64) {
        match self.near.get_mut(self.n) {
            Some(slot) => *slot = fp,
            None => self.far.push(fp),
        }
        self.n += 1;
    }

    /// For the map `cur`, one of whose keys before the one of fingerprint
    /// `fp` has the same bit in its filter: "not sure" if it may hold that
    /// key already, else its filter from here on. A map of more than
    /// [`FEW_KEYS`] keys looks at its keys when it closes: its filter is
    /// emptied here, so that its keys seldom come here.
    #[cold]
    #[inline(never)]
    fn again(&self, cur: Frame, fp: u64) -> Result<u64, Unsure> {
        if self.many(cur.start, cur.left) {
            return Ok(0);
        }
        if self.contains(cur.start, fp) { Err(Unsure) } else { Ok(cur.filter) }
    }

    /// Whether the map whose keys start at `start`, with `left` keys
    /// still to read after those held, has more than [`FEW_KEYS`] keys.
    #[inline(always)]
    fn many(&self, start: usize, left: u64) -> bool {
        (self.n - start) as u64 + left > FEW_KEYS
    }

    /// Drops the keys from the `n`th on.
    #[inline]
    fn truncate(&mut self, n: usize) {
        self.n = n;
        if !self.far.is_empty() {
            self.far.truncate(n.saturating_sub(NEAR));
        }
    }

    /// Whether a key from `start` on has fingerprint `fp`.
    #[inline(never)]
    fn contains(&self, start: usize, fp: u64) -> bool {
        let near_end = self.n.min(NEAR);
        self.near[start.min(near_end)..near_end].contains(&fp) || self.far[start.saturating_sub(NEAR)..].contains(&fp)
    }

    /// Whether two keys from `start` on have the same fingerprint (the
    /// keys from there on are reordered).
    #[inline(never)]
    fn twice(&mut self, start: usize) -> bool {
        let near_end = self.n.min(NEAR);
        let near = &mut self.near[start.min(near_end)..near_end];
        let far = &mut self.far[start.saturating_sub(NEAR)..];
        near.sort_unstable();
        far.sort_unstable();
        let within = |k: &[u64]| k.windows(2).any(|w| w[0] == w[1]);
        if within(near) || within(far) {
            return true;
        }
        // Both sorted: one found in the other?
        let (mut i, mut j) = (0, 0);
        while let (Some(&x), Some(&y)) = (near.get(i), far.get(j)) {
            match x.cmp(&y) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => return true,
            }
        }
        false
    }

    /// Saves the frame of the list or map that `depth` lists and maps enclose.
    #[inline]
    fn save(&mut self, depth: usize, f: Frame) {
        match self.frames.get_mut(depth) {
            Some(slot) => *slot = f,
            None => self.deep.push(f),
        }
    }

    /// Takes back the frame [`save`](Self::save)d at `depth`.
    #[inline]
    fn restore(&mut self, depth: usize) -> Result<Frame, Unsure> {
        match self.frames.get(depth) {
            Some(f) => Ok(*f),
            None => self.deep.pop().ok_or(Unsure),
        }
    }
}

/// The fingerprint of a key of kind `kind`, of length `n`, that `x`
/// stands for (its bytes, up to eight; a mix of its first and last eight).
#[inline]
fn fingerprint(kind: u64, n: usize, x: u64) -> u64 {
    mix(x, tag(kind, n))
}

/// What a key's fingerprint takes of its kind and length.
const fn tag(kind: u64, n: usize) -> u64 {
    ((n as u64) << 56) ^ (kind << 53) ^ ((n as u64) << 45)
}

/// The fingerprint of the key that `x` stands for, of [`tag`] `tag`.
#[inline(always)]
fn mix(x: u64, tag: u64) -> u64 {
    (x ^ tag).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// Fingerprint kinds.
const STR: u64 = 0;
const BYTES: u64 = 1;
const UINT: u64 = 2;
const NEG: u64 = 3;
const NULL: u64 = 4;

const HIGH: u64 = 0x8080_8080_8080_8080;

/// The eight bytes of `c` as a little-endian word.
#[inline(always)]
fn le(c: &[u8]) -> u64 {
    u64::from_le_bytes(c.try_into().unwrap_or_default())
}

/// `MASK[n]`: the low `n` bytes of a word (`n` from 0 to 8).
const MASK: [u64; 9] = {
    let mut m = [0u64; 9];
    let mut i = 1;
    while i < 9 {
        m[i] = if i == 8 { u64::MAX } else { (1u64 << (8 * i)) - 1 };
        i += 1;
    }
    m
};

/// The `n` (at most 8) bytes of `b` from `at` as a little-endian word,
/// zero above them; `b` holds them.
#[inline(always)]
fn word(b: &[u8], at: usize, n: usize) -> u64 {
    match b.get(at..at + 8) {
        Some(c) => le(c) & MASK[n],
        None => {
            let mut w = [0u8; 8];
            w[..n].copy_from_slice(&b[at..at + n]);
            u64::from_le_bytes(w)
        }
    }
}

/// How many bytes the binary formats' pass looks at at once where so many
/// remain (a window): a head and a short string after it, read with no
/// bounds check but the window's.
const WIN: usize = 40;

/// The eight bytes of `w` from `i` (at most `WIN - 8`) as a little-endian word.
#[inline(always)]
fn win_word(w: &[u8; WIN], i: usize) -> u64 {
    le(&w[i..i + 8])
}

/// The `n` (at most 31) bytes of the window `w` from 1, if they are
/// ASCII: the word that [`key_word`] gives for them.
#[inline(always)]
fn win_ascii(w: &[u8; WIN], n: usize) -> Option<u64> {
    let first = win_word(w, 1);
    if n <= 8 {
        let x = first & MASK[n];
        return if x & HIGH == 0 { Some(x) } else { None };
    }
    let last = win_word(w, n - 7);
    let mid = if n > 16 { win_word(w, 9) | win_word(w, n - 15) } else { 0 };
    if (first | last | mid) & HIGH == 0 { Some(first ^ last.rotate_left(29)) } else { None }
}

/// What a key of `n` bytes from `at` in `b` looks like: a word that
/// stands for its bytes (them, when eight or fewer).
#[inline(always)]
fn key_word(b: &[u8], at: usize, n: usize) -> u64 {
    if n <= 8 { word(b, at, n) } else { word(b, at, 8) ^ word(b, at + n - 8, 8).rotate_left(29) }
}

/// Whether the `n` bytes of `b` from `at` (which `b` holds) are valid
/// UTF-8, those up to 32 bytes long checked a word at a time where they
/// are ASCII.
#[inline(always)]
fn utf8_at(b: &[u8], at: usize, n: usize) -> bool {
    let end = at + n;
    let high = if n <= 8 {
        word(b, at, n)
    } else if n <= 16 {
        le(&b[at..at + 8]) | le(&b[end - 8..end])
    } else if n <= 32 {
        le(&b[at..at + 8]) | le(&b[at + 8..at + 16]) | le(&b[end - 16..end - 8]) | le(&b[end - 8..end])
    } else {
        HIGH
    };
    high & HIGH == 0 || utf8_slow(&b[at..end])
}

#[inline(never)]
fn utf8_slow(s: &[u8]) -> bool {
    s.is_ascii() || std::str::from_utf8(s).is_ok()
}

/// What one value of a binary format opens.
enum Head {
    /// Nothing: the value is whole.
    Leaf,
    /// A list of so many values.
    List(u64),
    /// A map of so many keys.
    Map(u64),
}

/// Where a binary format's pass stands.
struct Bin<'b> {
    b: &'b [u8],
    at: usize,
    keys: Keys,
}

impl Bin<'_> {
    /// Steps to `from` and over the `n` bytes there.
    #[inline(always)]
    fn skip(&mut self, from: usize, n: u64) -> R {
        match self.b.len().checked_sub(from) {
            Some(rest) if n <= rest as u64 => {
                self.at = from + n as usize;
                Ok(())
            }
            _ => Err(Unsure),
        }
    }

    /// [`skip`](Self::skip) over bytes that must be valid UTF-8.
    #[inline(always)]
    fn text(&mut self, from: usize, n: u64) -> R {
        self.skip(from, n)?;
        if utf8_at(self.b, from, self.at - from) { Ok(()) } else { Err(Unsure) }
    }

    /// The big-endian number in the `k` (1, 2, 4 or 8) bytes from `from`,
    /// read as one word where eight bytes remain.
    #[inline(always)]
    fn be(&self, from: usize, k: usize) -> Result<u64, Unsure> {
        match self.b.get(from..from + 8) {
            Some(c) => Ok(u64::from_be_bytes(c.try_into().unwrap_or_default()) >> (64 - 8 * k)),
            None => be_near_end(self.b, from, k),
        }
    }

    /// The bytes of a key of `n` bytes from `from`, of kind `kind` (a
    /// string, which must be valid UTF-8, or a byte string): its fingerprint.
    #[inline(always)]
    fn key_bytes(&mut self, kind: u64, from: usize, n: u64) -> Result<u64, Unsure> {
        if kind == STR {
            self.text(from, n)?
        } else {
            if self.keys == Keys::Str {
                return Err(Unsure);
            }
            self.skip(from, n)?
        }
        let n = self.at - from;
        Ok(fingerprint(kind, n, key_word(self.b, from, n)))
    }
}

/// [`Bin::be`] with fewer than eight bytes left from `from`.
#[inline(never)]
fn be_near_end(b: &[u8], from: usize, k: usize) -> Result<u64, Unsure> {
    let s = b.get(from..from + k).ok_or(Unsure)?;
    Ok(s.iter().fold(0, |x, &y| (x << 8) | u64::from(y)))
}

/// What a binary format's pass reads of a value or key at once, by its
/// first byte, from the word of the eight bytes that start with it (its
/// first byte the lowest): the scalars of a fixed size, and the strings of
/// at most seven bytes.
struct Quick {
    /// The value's size; 0 for the others.
    size: [u8; 256],
    /// The bits that must be clear in the word for the value to be read
    /// at once: the high bits of a short string's bytes, so that it is
    /// ASCII (none for a scalar); for other values, a bit of the first
    /// byte (never 0 there), so that the test fails.
    value: [u64; 256],
    /// What the word is xor'd with before [`Quick::key_test`] for a map
    /// key: the first byte of a key that is not read at once, flipped
    /// (0 for the others).
    key_flip: [u64; 256],
    /// The bits that must then be clear for the key to be read at once
    /// (a string of one to seven ASCII bytes): its bytes' high bits, and
    /// the first byte.
    key_test: [u64; 256],
    /// For such a key: its bytes' mask in the word of the eight bytes after
    /// the first (0 for other keys).
    key: [u64; 256],
    /// For such a key, its fingerprint's [`tag`].
    tag: [u64; 256],
    /// For a list or map whose head is its first byte: one more than its
    /// length, with [`OPEN_MAP`] for a map (0 for other values).
    open: [u8; 256],
}

/// [`Quick::open`] of a map.
const OPEN_MAP: u8 = 0x80;

/// The [`Quick`] table of a format whose scalars of a fixed size have the
/// sizes `fixed`, and whose strings, lists and maps of `n` items start
/// with `str0 + n`, `list0 + n` and `map0 + n` alone (`n` below `small`).
const fn quick(fixed: &[u8; 256], str0: usize, list0: usize, map0: usize, small: usize) -> Quick {
    let mut q = Quick { size: *fixed, value: [0; 256], key_flip: [0; 256], key_test: [0xff; 256], key: [0; 256], tag: [0; 256], open: [0; 256] };
    let mut n = 0;
    while n < small {
        if n <= 7 {
            q.size[str0 + n] = 1 + n as u8;
            q.value[str0 + n] = (MASK[n] & HIGH) << 8;
            if n > 0 {
                q.key_test[str0 + n] = (MASK[n] & HIGH) << 8;
                q.key[str0 + n] = MASK[n];
                q.tag[str0 + n] = tag(STR, n);
            }
        }
        q.open[list0 + n] = 1 + n as u8;
        q.open[map0 + n] = (1 + n as u8) | OPEN_MAP;
        n += 1;
    }
    let mut m = 0;
    while m < 256 {
        if q.size[m] == 0 {
            // A bit of the first byte, which fails the test.
            assert!(m != 0, "the first byte 0 is a value read at once");
            q.value[m] = 1 << (m as u64).trailing_zeros();
        }
        if q.key[m] == 0 {
            q.key_flip[m] = !(m as u64) & 0xff;
        }
        m += 1;
    }
    q
}

/// A binary format's values and keys, for [`walk`].
trait Binary {
    /// What is read of a value or key at once.
    const QUICK: &'static Quick;
    /// [`Binary::value`] for the everyday forms that [`Binary::QUICK`]
    /// leaves (strings of 8 to 31 bytes), in the window `w` where the value
    /// starts: its size; `None` for the others.
    fn value_in(w: &[u8; WIN]) -> Option<usize>;
    /// Steps over one value, or over the head of a list or map.
    fn value(s: &mut Bin<'_>) -> Result<Head, Unsure>;
    /// A map key that is an ASCII string of fewer than 32 bytes, in the
    /// window `w`: its size and its fingerprint; `None` for other keys.
    fn key_in(w: &[u8; WIN]) -> Option<(usize, u64)>;
    /// Steps over one map key: its fingerprint, and whether it is a string.
    fn key(s: &mut Bin<'_>) -> Result<(u64, bool), Unsure>;
}

/// How many bytes must remain for the binary formats' pass to read a
/// window in place: more than any value read in a window takes, so that
/// stepping over one needs no bounds check (a power of two: a size read in
/// a window is masked with `IN_PLACE - 1` to show it).
const IN_PLACE: usize = 64;

/// Room for the last bytes of a value, fewer than [`IN_PLACE`], with as
/// much again after them, so that the pass reads them as it reads the
/// others.
const TAIL: usize = 2 * IN_PLACE;

/// Copies `src` (fewer than [`IN_PLACE`] bytes) to the start of `dst` in
/// pieces of a fixed size, overlapping where they must.
#[inline(always)]
fn copy_short(dst: &mut [u8; TAIL], src: &[u8]) {
    /// The first and last `size` bytes of `src`, which has at least so many.
    #[inline(always)]
    fn piece<const SIZE: usize>(dst: &mut [u8; TAIL], src: &[u8]) {
        let n = src.len();
        dst[..SIZE].copy_from_slice(&src[..SIZE]);
        dst[n - SIZE..n].copy_from_slice(&src[n - SIZE..]);
    }
    match src.len() {
        32.. => piece::<32>(dst, src),
        16.. => piece::<16>(dst, src),
        8.. => piece::<8>(dst, src),
        4.. => piece::<4>(dst, src),
        n => dst[..n].copy_from_slice(src),
    }
}

/// A window that neither format's window reads take (0xc1 is MessagePack's
/// unused marker and a CBOR tag), for a window that cannot be missing.
const NO_WINDOW: [u8; WIN] = [0xc1; WIN];

/// [`Binary::value`] at the start of `b`: the value's size and what it opens.
#[inline(never)]
fn value_slow<F: Binary>(b: &[u8], keys: Keys) -> Result<(usize, Head), Unsure> {
    let mut s = Bin { b, at: 0, keys };
    let head = F::value(&mut s)?;
    Ok((s.at, head))
}

/// [`Binary::key`] at the start of `b`: the key's size, its fingerprint,
/// and whether it is a string.
#[inline(never)]
fn key_slow<F: Binary>(b: &[u8], keys: Keys) -> Result<(usize, u64, bool), Unsure> {
    let mut s = Bin { b, at: 0, keys };
    let (fp, is_str) = F::key(&mut s)?;
    Ok((s.at, fp, is_str))
}

/// Where the binary formats' pass stands between [`steps`] over the bytes
/// in place and over a copy of the last ones.
#[derive(Clone, Copy)]
struct Walk {
    /// How many lists and maps are open around `cur`.
    depth: usize,
    /// The innermost open list or map; at first the value itself, as a
    /// list of one.
    cur: Frame,
    /// Whether a map key comes next (else a value).
    key_next: bool,
    /// Whether a key of the value itself, if it is a map, is not a string.
    top_not_str: bool,
    /// The map keys allowed.
    keys: Keys,
}

/// Where [`steps`] stopped.
enum Stop<'b> {
    /// The value ended, this many bytes before the end of what was walked.
    End(usize),
    /// Fewer than [`IN_PLACE`] bytes remain: these.
    Short(&'b [u8]),
}

/// Walks `rest` in the format `F` from where `st` stands, with the keys
/// of the open maps in `seen`, while [`IN_PLACE`] bytes remain; in
/// `tail` (a copy of the last bytes with room after them), to the end.
#[inline(always)]
fn steps<'b, F: Binary>(mut rest: &'b [u8], tail: bool, st: &mut Walk, seen: &mut Seen) -> Result<Stop<'b>, Unsure> {
    let q = F::QUICK;
    let Walk { mut depth, mut cur, mut key_next, .. } = *st;
    // Fewer than IN_PLACE bytes remain: stop there (in the copy, the
    // value has gone past the last bytes).
    macro_rules! short {
        ($key_next:expr) => {{
            if tail {
                return Err(Unsure);
            }
            (st.depth, st.cur, st.key_next) = (depth, cur, $key_next);
            return Ok(Stop::Short(rest));
        }};
    }
    loop {
        if !key_next {
            if rest.len() < IN_PLACE {
                short!(false)
            }
            let w = rest.first_chunk::<WIN>().unwrap_or(&NO_WINDOW);
            let m = usize::from(w[0]);

            // Opens a list or map of `n` items, `depth + 1` deep; an empty one is whole.
            macro_rules! open {
                ($n:expr, $map:expr) => {{
                    let (n, map) = ($n, $map);
                    if depth + 1 >= MAX_DEPTH as usize {
                        return Err(Unsure);
                    }
                    if n > 0 {
                        seen.save(depth, cur);
                        depth += 1;
                        let start = if map { seen.len() } else { LIST };
                        cur = Frame { left: n, start, filter: 0 };
                        key_next = map;
                        continue;
                    }
                }};
            }
            if win_word(w, 0) & q.value[m] == 0 {
                rest = &rest[usize::from(q.size[m]) & (IN_PLACE - 1)..];
            } else if q.open[m] & OPEN_MAP != 0 {
                rest = &rest[1..];
                open!(u64::from(q.open[m] & !OPEN_MAP) - 1, true)
            } else if q.open[m] != 0 {
                // A short list: its first values that are read at once are
                // stepped over here, so that a list of only such values is
                // whole with no frame opened for it.
                rest = &rest[1..];
                let mut left = u64::from(q.open[m]) - 1;
                while left > 0 && rest.len() >= IN_PLACE {
                    let w = rest.first_chunk::<WIN>().unwrap_or(&NO_WINDOW);
                    let m = usize::from(w[0]);
                    if win_word(w, 0) & q.value[m] != 0 {
                        break;
                    }
                    rest = &rest[usize::from(q.size[m]) & (IN_PLACE - 1)..];
                    left -= 1;
                }
                open!(left, false)
            } else {
                let (size, head) = match F::value_in(w) {
                    Some(size) => (size, Head::Leaf),
                    None => value_slow::<F>(rest, st.keys)?,
                };
                rest = rest.get(size..).ok_or(Unsure)?;
                match head {
                    Head::Leaf => {}
                    Head::List(n) => open!(n, false),
                    Head::Map(n) => open!(n, true),
                }
            }
            // A value read whole: it may end the lists and maps around it.
            loop {
                cur.left -= 1;
                if cur.left > 0 {
                    break;
                }
                if cur.start != LIST {
                    if seen.many(cur.start, 0) && seen.twice(cur.start) {
                        return Err(Unsure);
                    }
                    seen.truncate(cur.start);
                }
                if depth == 0 {
                    return Ok(Stop::End(rest.len()));
                }
                depth -= 1;
                cur = seen.restore(depth)?;
            }
            if cur.start == LIST {
                continue;
            }
        }
        if rest.len() < IN_PLACE {
            short!(true)
        }
        let w = rest.first_chunk::<WIN>().unwrap_or(&NO_WINDOW);
        let m = usize::from(w[0]);
        let fp = if (win_word(w, 0) ^ q.key_flip[m]) & q.key_test[m] == 0 {
            rest = &rest[usize::from(q.size[m]) & (IN_PLACE - 1)..];
            mix(win_word(w, 1) & q.key[m], q.tag[m])
        } else {
            let (size, fp) = match F::key_in(w) {
                Some(x) => x,
                None => {
                    let (size, fp, is_str) = key_slow::<F>(rest, st.keys)?;
                    st.top_not_str |= !is_str && depth == 1;
                    (size, fp)
                }
            };
            rest = rest.get(size..).ok_or(Unsure)?;
            fp
        };
        // A key whose bit is set already: the map may hold it (seldom).
        let bit = 1 << (fp >> 58);
        if cur.filter & bit != 0 {
            cur.filter = seen.again(cur, fp)?;
        }
        cur.filter |= bit;
        seen.push(fp);
        key_next = false;
    }
}

/// The end of the value that starts `b[at..]` in the format `F` and what
/// the quick pass learnt of it, if it is surely valid with map keys
/// `keys`: [`steps`] over the bytes in place, then over a copy of the
/// last ones.
#[inline(always)]
fn walk<F: Binary>(b: &[u8], at: usize, keys: Keys, seen: &mut Seen) -> Result<(usize, Sure), Unsure> {
    seen.truncate(0);
    seen.deep.clear();
    let cur = Frame { left: 1, start: LIST, filter: 0 };
    let mut st = Walk { depth: 0, cur, key_next: false, top_not_str: false, keys };
    let after = match steps::<F>(b.get(at..).ok_or(Unsure)?, false, &mut st, seen)? {
        Stop::End(after) => after,
        Stop::Short(rest) => {
            let mut tail = [0; TAIL];
            copy_short(&mut tail, rest);
            match steps::<F>(&tail, true, &mut st, seen)? {
                // What was read past the last bytes, in the room after them, was not there.
                Stop::End(after) => after.checked_sub(TAIL - rest.len()).ok_or(Unsure)?,
                Stop::Short(_) => return Err(Unsure),
            }
        }
    };
    Ok((b.len() - after, Sure::valid(!st.top_not_str)))
}

// --- MessagePack -------------------------------------------------------

struct MsgPack;

/// The size of each MessagePack scalar of a fixed size that the quick pass
/// takes (0 for the other markers).
const MSGPACK_FIXED: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut m = 0;
    while m < 256 {
        t[m] = match m as u8 {
            0x00..=0x7f | 0xe0..=0xff | 0xc0 | 0xc2 | 0xc3 => 1,
            0xcc | 0xd0 => 2,
            0xcd | 0xd1 => 3,
            0xce | 0xd2 | 0xca => 5,
            0xcf | 0xd3 | 0xcb => 9,
            _ => 0,
        };
        m += 1;
    }
    t
};

static MSGPACK_QUICK: Quick = quick(&MSGPACK_FIXED, 0xa0, 0x90, 0x80, 16);

impl Binary for MsgPack {
    const QUICK: &'static Quick = &MSGPACK_QUICK;

    #[inline(always)]
    fn value_in(w: &[u8; WIN]) -> Option<usize> {
        let n = usize::from(w[0] & 0x1f);
        if w[0] & 0xe0 != 0xa0 {
            return None;
        }
        win_ascii(w, n)?;
        Some(1 + n)
    }

    #[inline(always)]
    fn key_in(w: &[u8; WIN]) -> Option<(usize, u64)> {
        let n = usize::from(w[0] & 0x1f);
        if w[0] & 0xe0 != 0xa0 {
            return None;
        }
        Some((1 + n, fingerprint(STR, n, win_ascii(w, n)?)))
    }

    #[inline(always)]
    fn value(s: &mut Bin<'_>) -> Result<Head, Unsure> {
        let at = s.at;
        let m = *s.b.get(at).ok_or(Unsure)?;
        match m {
            0x00..=0x7f | 0xe0..=0xff | 0xc0 | 0xc2 | 0xc3 => s.at = at + 1,
            0xa0..=0xbf => s.text(at + 1, u64::from(m & 0x1f))?,
            0x90..=0x9f => {
                s.at = at + 1;
                return Ok(Head::List(u64::from(m & 0x0f)));
            }
            0x80..=0x8f => {
                s.at = at + 1;
                return Ok(Head::Map(u64::from(m & 0x0f)));
            }
            0xcc | 0xd0 => s.skip(at + 1, 1)?,
            0xcd | 0xd1 => s.skip(at + 1, 2)?,
            0xce | 0xd2 | 0xca => s.skip(at + 1, 4)?,
            0xcf | 0xd3 | 0xcb => s.skip(at + 1, 8)?,
            // str 8/16/32, bin 8/16/32, array 16/32, map 16/32: the length
            // takes 1, 2 or 4 bytes (2 or 4 for arrays and maps).
            0xd9..=0xdb => {
                let k = 1 << (m - 0xd9);
                let n = s.be(at + 1, k)?;
                s.text(at + 1 + k, n)?
            }
            0xc4..=0xc6 => {
                let k = 1 << (m - 0xc4);
                let n = s.be(at + 1, k)?;
                s.skip(at + 1 + k, n)?
            }
            0xdc | 0xdd => {
                let k = 2 << (m - 0xdc);
                let n = s.be(at + 1, k)?;
                s.at = at + 1 + k;
                return Ok(Head::List(n));
            }
            0xde | 0xdf => {
                let k = 2 << (m - 0xde);
                let n = s.be(at + 1, k)?;
                s.at = at + 1 + k;
                return Ok(Head::Map(n));
            }
            // Extensions, and the unused marker.
            _ => return Err(Unsure),
        }
        Ok(Head::Leaf)
    }

    #[inline(never)]
    fn key(s: &mut Bin<'_>) -> Result<(u64, bool), Unsure> {
        let at = s.at;
        let m = *s.b.get(at).ok_or(Unsure)?;
        let (kind, from, n) = match m {
            0xa0..=0xbf => (STR, at + 1, u64::from(m & 0x1f)),
            0xd9..=0xdb => {
                let k = 1 << (m - 0xd9);
                (STR, at + 1 + k, s.be(at + 1, k)?)
            }
            0xc4..=0xc6 => {
                let k = 1 << (m - 0xc4);
                (BYTES, at + 1 + k, s.be(at + 1, k)?)
            }
            _ => return Err(Unsure),
        };
        Ok((s.key_bytes(kind, from, n)?, kind == STR))
    }
}

// --- CBOR --------------------------------------------------------------

struct Cbor;

impl Cbor {
    /// The head at `s.at` whose additional information is `ai`: its
    /// argument, and where what follows it starts. Indefinite lengths and
    /// reserved values get "not sure".
    #[inline(always)]
    fn head(s: &Bin<'_>, ai: u8) -> Result<(u64, usize), Unsure> {
        let at = s.at;
        match ai {
            0..=23 => Ok((u64::from(ai), at + 1)),
            24..=27 => {
                let k = 1 << (ai - 24);
                Ok((s.be(at + 1, k)?, at + 1 + k))
            }
            _ => Err(Unsure),
        }
    }
}

/// The size of each CBOR scalar of a fixed size that the quick pass takes
/// (0 for the other initial bytes): unsigned integers, negative ones down
/// to -2^32, false, true, null, floats.
const CBOR_FIXED: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut ib = 0;
    while ib < 256 {
        t[ib] = match ib as u8 {
            0x00..=0x17 | 0x20..=0x37 | 0xf4..=0xf6 => 1,
            0x18 | 0x38 => 2,
            0x19 | 0x39 | 0xf9 => 3,
            0x1a | 0x3a | 0xfa => 5,
            0x1b | 0xfb => 9,
            _ => 0,
        };
        ib += 1;
    }
    t
};

static CBOR_QUICK: Quick = quick(&CBOR_FIXED, 0x60, 0x80, 0xa0, 24);

impl Binary for Cbor {
    const QUICK: &'static Quick = &CBOR_QUICK;

    #[inline(always)]
    fn value_in(w: &[u8; WIN]) -> Option<usize> {
        let n = usize::from(w[0] & 0x1f);
        if !(0x60..=0x77).contains(&w[0]) {
            return None;
        }
        win_ascii(w, n)?;
        Some(1 + n)
    }

    #[inline(always)]
    fn key_in(w: &[u8; WIN]) -> Option<(usize, u64)> {
        let n = usize::from(w[0] & 0x1f);
        if !(0x60..=0x77).contains(&w[0]) {
            return None;
        }
        Some((1 + n, fingerprint(STR, n, win_ascii(w, n)?)))
    }

    #[inline(always)]
    fn value(s: &mut Bin<'_>) -> Result<Head, Unsure> {
        let ib = *s.b.get(s.at).ok_or(Unsure)?;
        let ai = ib & 0x1f;
        let (n, next) = Cbor::head(s, ai)?;
        match ib >> 5 {
            // An unsigned integer; a negative one down to -2^63 (below it,
            // no `Value` holds it: the slow walk says so).
            0 => s.at = next,
            1 if n <= i64::MAX as u64 => s.at = next,
            2 => s.skip(next, n)?,
            3 => s.text(next, n)?,
            4 => {
                s.at = next;
                return Ok(Head::List(n));
            }
            5 => {
                s.at = next;
                return Ok(Head::Map(n));
            }
            // false, true, null; half, single and double floats. Tags,
            // `undefined` and other simple values: the slow walk.
            7 if matches!(ai, 20..=22 | 25..=27) => s.at = next,
            _ => return Err(Unsure),
        }
        Ok(Head::Leaf)
    }

    #[inline(never)]
    fn key(s: &mut Bin<'_>) -> Result<(u64, bool), Unsure> {
        let ib = *s.b.get(s.at).ok_or(Unsure)?;
        let ai = ib & 0x1f;
        let (n, next) = Cbor::head(s, ai)?;
        let kind = match ib >> 5 {
            3 => STR,
            2 => BYTES,
            major if s.keys == Keys::Cbor => {
                s.at = next;
                return match major {
                    0 => Ok((fingerprint(UINT, 8, n), false)),
                    1 if n <= i64::MAX as u64 => Ok((fingerprint(NEG, 8, n), false)),
                    7 if ai == 22 => Ok((fingerprint(NULL, 0, 0), false)),
                    _ => Err(Unsure),
                };
            }
            _ => return Err(Unsure),
        };
        Ok((s.key_bytes(kind, next, n)?, kind == STR))
    }
}

// --- JSON --------------------------------------------------------------

const ONES: u64 = 0x0101_0101_0101_0101;

/// The eight bytes of `b` from `at` as a little-endian word, if it holds them.
#[inline(always)]
fn chunk(b: &[u8], at: usize) -> Option<u64> {
    b.get(at..at + 8).map(le)
}

/// The bytes of the word `x` that end a string's quick read, each flagged
/// in its high bit: a quote, a backslash, a control character or a byte
/// above ASCII. The lowest flag is exact (those above it may not be).
#[inline(always)]
fn str_stops(x: u64) -> u64 {
    let quote = x ^ (u64::from(b'"') * ONES);
    let backslash = x ^ (u64::from(b'\\') * ONES);
    (quote.wrapping_sub(ONES) | backslash.wrapping_sub(ONES) | x.wrapping_sub(0x20 * ONES) | x) & HIGH
}

/// The bytes of the word `x` that are not ASCII digits, flagged as in [`str_stops`].
#[inline(always)]
fn non_digits(x: u64) -> u64 {
    (x.wrapping_sub(0x30 * ONES) | x.wrapping_add(0x46 * ONES) | x) & HIGH
}

/// The JSON string whose opening quote is at `at - 1`, if it holds no
/// escape or control character and is valid UTF-8: where its closing
/// quote is, and its first eight bytes as a little-endian word (with what
/// follows a shorter string, or zeros). ASCII is read eight bytes at a time.
#[inline(always)]
fn json_str(b: &[u8], at: usize) -> Result<(usize, u64), Unsure> {
    let Some(first) = chunk(b, at) else { return json_str_near_end(b, at) };
    let (mut x, mut i) = (first, at);
    loop {
        let stops = str_stops(x);
        if stops != 0 {
            let bit = stops.trailing_zeros();
            let end = i + bit as usize / 8;
            return match (x >> (bit & 56)) as u8 {
                b'"' => Ok((end, first)),
                0x80.. => json_str_near_end(b, at),
                _ => Err(Unsure),
            };
        }
        i += 8;
        x = match chunk(b, i) {
            Some(x) => x,
            None => return json_str_near_end(b, at),
        };
    }
}

/// [`json_str`] through [`json_str_slow`].
#[inline(always)]
fn json_str_near_end(b: &[u8], at: usize) -> Result<(usize, u64), Unsure> {
    let end = json_str_slow(b, at)?;
    Ok((end, word(b, at, (end - at).min(8))))
}

/// Where the string from `start` ends, for one that is not ASCII or that
/// ends within eight bytes of the buffer's end (see [`json_str`]).
#[inline(never)]
fn json_str_slow(b: &[u8], start: usize) -> Result<usize, Unsure> {
    let mut at = start;
    // The high bits of the string's bytes, to skip the UTF-8 check of ASCII.
    let mut high = 0u8;
    while let Some(&c) = b.get(at) {
        if c == b'"' || c == b'\\' || c < 0x20 {
            break;
        }
        high |= c;
        at += 1;
    }
    if b.get(at) != Some(&b'"') {
        return Err(Unsure);
    }
    if high >= 0x80 && std::str::from_utf8(&b[start..at]).is_err() {
        return Err(Unsure);
    }
    Ok(at)
}

/// The end of the digits from `at`.
#[inline(always)]
pub(crate) fn digits(b: &[u8], mut at: usize) -> usize {
    while let Some(x) = chunk(b, at) {
        let stops = non_digits(x);
        if stops != 0 {
            return at + stops.trailing_zeros() as usize / 8;
        }
        at += 8;
    }
    while let Some(b'0'..=b'9') = b.get(at) {
        at += 1;
    }
    at
}

/// The end of the number that starts at `at`, as JSON writes it, if it is
/// far from the edges of what serde_json reads.
#[inline(always)]
fn json_number(b: &[u8], at: usize) -> Result<usize, Unsure> {
    let at = at + usize::from(b.get(at) == Some(&b'-'));
    let end = digits(b, at);
    let int = end - at;
    if int == 0 || (int > 1 && b.get(at) == Some(&b'0')) {
        return Err(Unsure);
    }
    match b.get(end) {
        Some(b'.' | b'e' | b'E') => json_fraction(b, end, int),
        _ if int <= 18 => Ok(end),
        _ => Err(Unsure),
    }
}

/// The rest of a number after its `int` integer digits, from its point
/// or exponent at `at`.
#[inline(always)]
fn json_fraction(b: &[u8], mut at: usize, int: usize) -> Result<usize, Unsure> {
    let mut simple = int <= 18;
    if b.get(at) == Some(&b'.') {
        let end = digits(b, at + 1);
        if end == at + 1 {
            return Err(Unsure);
        }
        at = end;
        simple = int <= 300;
    }
    if let Some(b'e' | b'E') = b.get(at) {
        at += 1;
        if let Some(b'+' | b'-') = b.get(at) {
            at += 1;
        }
        let end = digits(b, at);
        let e = end - at;
        at = end;
        simple = e > 0 && e <= 2 && int <= 200;
    }
    if simple { Ok(at) } else { Err(Unsure) }
}

/// The end of the word `w` (`true`, `false` or `null`) if it is at `at`.
#[inline(always)]
fn json_word(b: &[u8], at: usize, w: &[u8]) -> Result<usize, Unsure> {
    let end = at + w.len();
    if b.get(at..end) == Some(w) { Ok(end) } else { Err(Unsure) }
}

/// The first byte from `at` on that is not JSON white space, and where it is.
#[inline(always)]
fn json_next(b: &[u8], at: usize) -> Result<(u8, usize), Unsure> {
    match b.get(at) {
        Some(&c) if c > b' ' => Ok((c, at)),
        _ => json_next_ws(b, at),
    }
}

/// [`json_next`] where white space (or a control character) is at `at`.
#[inline(never)]
fn json_next_ws(b: &[u8], mut at: usize) -> Result<(u8, usize), Unsure> {
    while let Some(b' ' | b'\n' | b'\r' | b'\t') = b.get(at) {
        at += 1;
    }
    b.get(at).map(|&c| (c, at)).ok_or(Unsure)
}

/// Reads a key of the map `cur` and the colon after it, from `c`, the
/// byte at `at`: where its value starts.
#[inline(always)]
fn json_key(b: &[u8], c: u8, at: usize, cur: &mut Frame, seen: &mut Seen) -> Result<usize, Unsure> {
    if c != b'"' {
        return Err(Unsure);
    }
    let (end, first) = json_str(b, at + 1)?;
    let n = end - at - 1;
    // What [`key_word`] gives.
    let x = if n <= 8 { first & MASK[n] } else { first ^ le(&b[end - 8..end]).rotate_left(29) };
    let fp = fingerprint(STR, n, x);
    // Maps of more than [`FEW_KEYS`] keys look at them when they close.
    if ((seen.len() - cur.start) as u64) < FEW_KEYS {
        let bit = 1 << (fp >> 58);
        if cur.filter & bit != 0 && seen.contains(cur.start, fp) {
            return Err(Unsure);
        }
        cur.filter |= bit;
    }
    seen.push(fp);
    match json_next(b, end + 1)? {
        (b':', colon) => Ok(colon + 1),
        _ => Err(Unsure),
    }
}

/// The end of the JSON value that starts `b[at..]` (white space before it
/// allowed), if it is surely valid: a loop that keeps its open lists and
/// maps in `seen`, as the binary formats' pass does.
fn json_walk(b: &[u8], mut at: usize, seen: &mut Seen) -> Result<usize, Unsure> {
    seen.truncate(0);
    seen.deep.clear();
    // The innermost open list or map, and how many lists and maps enclose it.
    let mut cur = Frame { left: 0, start: LIST, filter: 0 };
    let mut depth = 0;
    loop {
        // A value.
        let (c, i) = json_next(b, at)?;
        at = match c {
            b'"' => json_str(b, i + 1)?.0 + 1,
            b'[' | b'{' => {
                if depth + 1 >= MAX_DEPTH as usize {
                    return Err(Unsure);
                }
                let (first, j) = json_next(b, i + 1)?;
                // `]` and `}` follow `[` and `{` by two.
                if first == c + 2 {
                    j + 1
                } else {
                    seen.save(depth, cur);
                    depth += 1;
                    if c == b'[' {
                        cur = Frame { left: 0, start: LIST, filter: 0 };
                        at = j;
                    } else {
                        cur = Frame { left: 0, start: seen.len(), filter: 0 };
                        at = json_key(b, first, j, &mut cur, seen)?;
                    }
                    continue;
                }
            }
            b'-' | b'0'..=b'9' => json_number(b, i)?,
            b't' => json_word(b, i, b"true")?,
            b'f' => json_word(b, i, b"false")?,
            b'n' => json_word(b, i, b"null")?,
            _ => return Err(Unsure),
        };
        // A value read whole: what follows it, a comma (and a key) or the
        // end of the lists and maps around it.
        while depth > 0 {
            let (c, i) = json_next(b, at)?;
            at = i + 1;
            if c == b',' {
                if cur.start != LIST {
                    let (c, j) = json_next(b, at)?;
                    at = json_key(b, c, j, &mut cur, seen)?;
                }
                break;
            }
            json_up(c, &mut cur, &mut depth, seen)?;
        }
        if depth == 0 {
            return Ok(at);
        }
    }
}

/// Closes the innermost list or map `cur` where `c` (the byte after a
/// value in it) is its end: each key once in a map. `depth` lists and
/// maps enclose it, and then one fewer.
#[inline(never)]
fn json_up(c: u8, cur: &mut Frame, depth: &mut usize, seen: &mut Seen) -> R {
    match c {
        b']' if cur.start == LIST => {}
        b'}' if cur.start != LIST => {
            if seen.many(cur.start, 0) && seen.twice(cur.start) {
                return Err(Unsure);
            }
            seen.truncate(cur.start);
        }
        _ => return Err(Unsure),
    }
    *depth -= 1;
    *cur = seen.restore(*depth)?;
    Ok(())
}

/// Which format's pass to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    Json,
    MsgPack,
    Cbor,
}

/// The end of the JSON value that starts `b[at..]`, if it is, surely, a
/// valid value nested at most 128 deep with one `Value` can hold.
pub(crate) fn json_end(b: &[u8], at: usize, seen: &mut Seen) -> Option<usize> {
    json_walk(b, at, seen).ok()
}

/// The end of the MessagePack value that starts `b[at..]` and what the
/// quick pass learnt of it, if it is surely valid with keys `keys`.
pub(crate) fn msgpack_end(b: &[u8], at: usize, keys: Keys, seen: &mut Seen) -> Option<(usize, Sure)> {
    walk::<MsgPack>(b, at, keys, seen).ok()
}

/// [`msgpack_end`] for CBOR.
pub(crate) fn cbor_end(b: &[u8], at: usize, keys: Keys, seen: &mut Seen) -> Option<(usize, Sure)> {
    walk::<Cbor>(b, at, keys, seen).ok()
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

    /// What the slow walk says of `b` (keys `keys`, `kwargs` when its own keys must be strings).
    #[cfg(all(feature = "msgpack", feature = "cbor"))]
    fn slow(format: Format, b: &[u8], keys: Keys, kwargs: bool) -> bool {
        use crate::runtime::error::Path;
        use crate::runtime::kept::check::Check;
        use crate::runtime::kept::serializer::{self as wire, Wire};
        let at = Path::Root("value");
        let check = Check { at: &at, hr: false, depth: 1, keys, kwargs };
        let end = match format {
            Format::MsgPack => super::super::frame::msgpack_value_end(b, 0),
            _ => super::super::frame::cbor_value_end(b, 0),
        };
        end == Some(b.len())
            && match format {
                Format::MsgPack => wire::MsgPack::de(b, check).is_ok(),
                _ => wire::Cbor::de(b, check).is_ok(),
            }
    }

    /// What the quick pass says of `b`, also checked with 48 more bytes
    /// after it, where the pass reads `b` in a window: a value it is sure
    /// of stays so and ends where it did, and it is sure of nothing the
    /// slow walk refuses.
    fn padded(format: Format, b: &[u8], keys: Keys) -> bool {
        let sure = surely_valid(format, b, keys, false);
        let long = [b, &[0xee; 48]].concat();
        let seen = &mut Seen::new();
        let end = match format {
            Format::MsgPack => msgpack_end(&long, 0, keys, seen),
            _ => cbor_end(&long, 0, keys, seen),
        };
        let end = end.filter(|(_, s)| s.is_valid(false)).map(|(e, _)| e);
        assert!(!sure || end == Some(b.len()), "{b:02x?} followed by more: {end:?}");
        #[cfg(all(feature = "msgpack", feature = "cbor"))]
        if let Some(e) = end {
            assert!(slow(format, &long[..e], keys, false), "{b:02x?} followed by more");
        }
        sure
    }

    fn msgpack(b: &[u8]) -> bool {
        padded(Format::MsgPack, b, Keys::StrOrBytes)
    }

    fn cbor(b: &[u8]) -> bool {
        padded(Format::Cbor, b, Keys::Cbor)
    }

    /// A MessagePack string of `s` in the form `marker` (0xa0, 0xd9, 0xda or 0xdb).
    fn msgpack_str(marker: u8, s: &[u8]) -> Vec<u8> {
        let n = s.len() as u32;
        let mut v = match marker {
            0xa0 => vec![0xa0 | n as u8],
            0xd9 => vec![0xd9, n as u8],
            0xda => [&[0xda][..], &(n as u16).to_be_bytes()].concat(),
            _ => [&[0xdb][..], &n.to_be_bytes()].concat(),
        };
        v.extend_from_slice(s);
        v
    }

    /// A CBOR head of major type `major` and argument `n` in `k` bytes (0: in the first byte).
    fn cbor_head(major: u8, n: u64, k: usize) -> Vec<u8> {
        let ai = match k {
            0 => n as u8,
            1 => 24,
            2 => 25,
            4 => 26,
            _ => 27,
        };
        let mut v = vec![major << 5 | ai];
        v.extend_from_slice(&n.to_be_bytes()[8 - k..]);
        v
    }

    #[test]
    fn the_last_bytes_are_copied_whole() {
        let src: Vec<u8> = (1..=IN_PLACE as u8).collect();
        for n in 0..IN_PLACE {
            let mut dst = [0u8; TAIL];
            copy_short(&mut dst, &src[..n]);
            assert_eq!(&dst[..n], &src[..n]);
            assert!(dst[n..].iter().all(|&x| x == 0), "{n}");
        }
    }

    #[test]
    fn nesting_is_counted_per_list_or_map() {
        for (open, close) in [(0x91u8, 0xc0u8), (0x81, 0xc0)] {
            let nested = |n: usize| {
                let mut v = Vec::new();
                for _ in 0..n {
                    v.push(open);
                    if open == 0x81 {
                        v.extend_from_slice(&[0xa1, b'k']);
                    }
                }
                v.push(close);
                v
            };
            assert!(msgpack(&nested(126)));
            assert!(msgpack(&nested(127)));
            assert!(!msgpack(&nested(128)));
            // An empty list or map as the 128th.
            let mut v = nested(127);
            *v.last_mut().unwrap() = 0x90;
            assert!(!msgpack(&v));
            let mut v = nested(126);
            *v.last_mut().unwrap() = 0x80;
            assert!(msgpack(&v));
        }
        let deep = |n: usize, leaf: u8| [vec![0x81u8; n], vec![leaf]].concat();
        assert!(cbor(&deep(127, 0xf6)));
        assert!(!cbor(&deep(127, 0x80)));
        assert!(cbor(&deep(126, 0xa0)));
        assert!(!cbor(&deep(128, 0xf6)));
        // Lists side by side, each deep, and the walk back out of them.
        let wide = [vec![0x92u8], vec![0x91; 100], vec![0x01], vec![0x91; 26], vec![0x02]].concat();
        assert!(msgpack(&wide));
    }

    /// Lists whose values are read at once, long enough to be walked
    /// partly in place and partly in the copy of the last bytes, with a
    /// value that is not read at once at each place, and cut short.
    #[test]
    fn short_lists_of_values_read_at_once() {
        let tag = |i: usize| msgpack_str(0xa0, format!("t{i:04}").as_bytes());
        for n in [1usize, 2, 8, 12, 15] {
            for before in [0usize, 30, 70] {
                let list = |odd: Option<usize>| {
                    let mut v = vec![0x92u8];
                    v.extend(msgpack_str(0xd9, &vec![b'p'; before]));
                    v.push(0x90 | n as u8);
                    for i in 0..n {
                        match odd {
                            Some(j) if j == i => v.extend([0x91, 0x81, 0xa1, b'k', 0xcb, 0, 0, 0, 0, 0, 0, 0, 0]),
                            _ => v.extend(tag(i)),
                        }
                    }
                    v
                };
                let whole = list(None);
                assert!(msgpack(&whole), "{n} values after {before} bytes");
                for j in 0..n {
                    assert!(msgpack(&list(Some(j))), "{n} values after {before} bytes, value {j} a list");
                }
                for cut in 0..whole.len() {
                    assert!(!msgpack(&whole[..cut]), "{n} values after {before} bytes, cut at {cut}");
                }
                // A value the walk refuses, at each place.
                for j in 0..n {
                    let mut bad = whole.clone();
                    let at = bad.len() - 6 * (n - j);
                    bad[at] = 0xc1;
                    assert!(!msgpack(&bad), "{n} values after {before} bytes, value {j} unused");
                }
            }
        }
        // CBOR: 23 values, and a value that is not read at once after a few.
        let mut v = vec![0x97u8];
        v.extend(std::iter::repeat_n([0x18u8, 0x40], 23).flatten());
        assert!(cbor(&v));
        v[7] = 0xc0;
        assert!(!cbor(&v));
        v[7] = 0x81;
        v.insert(8, 0x01);
        assert!(!cbor(&v));
        v.truncate(v.len() - 2);
        assert!(cbor(&v));
    }

    #[test]
    fn each_key_once_in_small_and_large_maps() {
        for n in [1usize, 2, 15, 16, 17, 31, 32, 33, 40, 70] {
            let keys: Vec<Vec<u8>> = (0..n).map(|i| format!("key{i}").into_bytes()).collect();
            let map = |keys: &[Vec<u8>]| {
                let mut v =
                    if keys.len() < 16 { vec![0x80 | keys.len() as u8] } else { [&[0xde][..], &(keys.len() as u16).to_be_bytes()].concat() };
                for k in keys {
                    v.extend(msgpack_str(0xa0, k));
                    v.push(0x01);
                }
                v
            };
            assert!(msgpack(&map(&keys)), "{n} keys");
            // Inside a list after other maps, so that keys sit beyond the first ones held.
            let nested = [vec![0x93u8], map(&keys), map(&keys), map(&keys)].concat();
            assert!(msgpack(&nested), "{n} keys nested");
            for i in 1..n {
                for j in 0..i {
                    let mut twice = keys.clone();
                    twice[i] = twice[j].clone();
                    assert!(!msgpack(&map(&twice)), "{n} keys, key {i} the same as key {j}");
                    let nested = [vec![0x92u8], map(&keys), map(&twice)].concat();
                    assert!(!msgpack(&nested), "{n} keys nested, key {i} the same as key {j}");
                }
            }
        }
        // The same key in maps side by side, and in a map and the map inside it.
        assert!(msgpack(&[0x92, 0x81, 0xa1, b'a', 0x01, 0x81, 0xa1, b'a', 0x01]));
        assert!(msgpack(&[0x81, 0xa1, b'a', 0x81, 0xa1, b'a', 0x01]));
        assert!(!msgpack(&[0x82, 0xa1, b'a', 0x81, 0xa1, b'b', 0x01, 0xa1, b'a', 0x02]));
        // Long keys that differ at the start or at the end, and keys of the same bytes and another kind.
        let long = |c: u8, d: u8| [&[0xb4][..], &[c], b"aaaaaaaaabbbbbbbbb", &[d]].concat();
        let two = |a: Vec<u8>, b: Vec<u8>| [&[0x82][..], &a, &[0x01], &b, &[0x01]].concat();
        assert!(msgpack(&two(long(b'x', b'z'), long(b'y', b'z'))));
        assert!(msgpack(&two(long(b'x', b'z'), long(b'x', b'y'))));
        assert!(!msgpack(&two(long(b'x', b'z'), long(b'x', b'z'))));
        // Keys that differ only in the middle may have one fingerprint: the slow walk accepts them.
        #[cfg(all(feature = "msgpack", feature = "cbor"))]
        {
            let mid = |c: u8| [&[0xb4][..], b"aaaaaaaaa", &[c], b"bbbbbbbbbb"].concat();
            assert!(slow(Format::MsgPack, &two(mid(b'x'), mid(b'y')), Keys::StrOrBytes, false));
            assert!(!slow(Format::MsgPack, &two(mid(b'x'), mid(b'x')), Keys::StrOrBytes, false));
        }
        assert!(msgpack(&[0x82, 0xa1, b'a', 0x01, 0xc4, 0x01, b'a', 0x01]));
        assert!(!msgpack(&[0x82, 0xc4, 0x01, b'a', 0x01, 0xc4, 0x01, b'a', 0x01]));
        // CBOR: 1 and -2, 1 twice in two forms, null twice.
        assert!(cbor(&[0xa2, 0x01, 0xf6, 0x21, 0xf6]));
        assert!(!cbor(&[0xa2, 0x01, 0xf6, 0x18, 0x01, 0xf6]));
        assert!(!cbor(&[0xa2, 0xf6, 0x01, 0xf6, 0x02]));
        assert!(cbor(&[0xa2, 0xf6, 0x01, 0x60, 0x02]));
    }

    #[test]
    fn every_head_cut_short_is_unsure() {
        let mut msgpack_forms: Vec<Vec<u8>> = vec![
            vec![0xcc, 0xff],
            vec![0xd0, 0x80],
            vec![0xcd, 1, 2],
            vec![0xd1, 1, 2],
            vec![0xce, 1, 2, 3, 4],
            vec![0xd2, 1, 2, 3, 4],
            vec![0xca, 1, 2, 3, 4],
            vec![0xcf, 1, 2, 3, 4, 5, 6, 7, 8],
            vec![0xd3, 1, 2, 3, 4, 5, 6, 7, 8],
            vec![0xcb, 1, 2, 3, 4, 5, 6, 7, 8],
            vec![0xc4, 2, 0xff, 0xfe],
            vec![0xc5, 0, 2, 0xff, 0xfe],
            vec![0xc6, 0, 0, 0, 2, 0xff, 0xfe],
            vec![0xdc, 0, 1, 0x01],
            vec![0xdd, 0, 0, 0, 1, 0x01],
            vec![0xde, 0, 1, 0xa1, b'k', 0x01],
            vec![0xdf, 0, 0, 0, 1, 0xa1, b'k', 0x01],
            vec![0x81, 0xd9, 1, b'k', 0x01],
            vec![0x81, 0xc4, 1, b'k', 0x01],
        ];
        for m in [0xa0, 0xd9, 0xda, 0xdb] {
            msgpack_forms.push(msgpack_str(m, b"hello"));
            msgpack_forms.push(msgpack_str(m, "h\u{e9}llo w\u{f6}rld, \u{1f600}".as_bytes()));
        }
        for v in &msgpack_forms {
            assert!(msgpack(v), "{v:x?}");
            for cut in 0..v.len() {
                assert!(!msgpack(&v[..cut]), "{:x?}", &v[..cut]);
                // Cut short with bytes after it in the buffer: a list whose count is one too many.
                let list = [&[0x92][..], &v[..], &[0x01]].concat();
                assert!(msgpack(&list));
                assert!(!msgpack(&list[..cut + 1]));
            }
        }
        let mut cbor_forms: Vec<Vec<u8>> = Vec::new();
        for k in [0usize, 1, 2, 4, 8] {
            let n = if k == 0 { 5 } else { 3 };
            for major in [0u8, 1] {
                cbor_forms.push(cbor_head(major, n, k));
            }
            cbor_forms.push([cbor_head(2, n, k), vec![0xff; n as usize]].concat());
            cbor_forms.push([cbor_head(3, n, k), vec![b'z'; n as usize]].concat());
            cbor_forms.push([cbor_head(4, n, k), vec![0x01; n as usize]].concat());
            cbor_forms.push([cbor_head(5, n, k), (0..n as u8).flat_map(|i| [i, 0xf6]).collect()].concat());
        }
        cbor_forms.extend([vec![0xf9, 0x3c, 0x00], vec![0xfa, 0, 0, 0, 0], vec![0xfb, 0, 0, 0, 0, 0, 0, 0, 0]]);
        for v in &cbor_forms {
            assert!(cbor(v), "{v:x?}");
            for cut in 0..v.len() {
                assert!(!cbor(&v[..cut]), "{:x?}", &v[..cut]);
                let list = [&[0x82][..], &v[..], &[0x01]].concat();
                assert!(cbor(&list));
                assert!(!cbor(&list[..cut + 1]));
            }
        }
    }

    #[test]
    fn the_forms_left_to_the_slow_walk() {
        // MessagePack: the unused marker, extensions (fixext and ext 8/16/32), integer and nil keys.
        for v in [
            &[0xc1][..],
            &[0xd4, 1, 0],
            &[0xd5, 1, 0, 0],
            &[0xd6, 1, 0, 0, 0, 0],
            &[0xd7, 1, 0, 0, 0, 0, 0, 0, 0, 0],
            &[0xd8, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            &[0xc7, 1, 1, 0],
            &[0xc8, 0, 1, 1, 0],
            &[0xc9, 0, 0, 0, 1, 1, 0],
            &[0x81, 0x01, 0x01],
            &[0x81, 0xc0, 0x01],
            &[0x81, 0x90, 0x01],
            &[0x91, 0xc1],
        ] {
            assert!(!msgpack(v), "{v:x?}");
        }
        // Byte string keys where only strings may be.
        assert!(!surely_valid(Format::MsgPack, &[0x81, 0xc4, 1, b'k', 0x01], Keys::Str, false));
        assert!(!surely_valid(Format::MsgPack, &[0x81, 0xc4, 1, b'k', 0x01], Keys::StrOrBytes, true));
        assert!(surely_valid(Format::MsgPack, &[0x91, 0x81, 0xc4, 1, b'k', 0x01], Keys::StrOrBytes, true));
        // CBOR: tags, indefinite lengths, breaks, undefined and other simple values, reserved additional information.
        for v in [
            &[0xc1, 0x01][..],
            &[0xd8, 0x20, 0x60],
            &[0x9f, 0xff],
            &[0xbf, 0xff],
            &[0x5f, 0xff],
            &[0x7f, 0xff],
            &[0xff],
            &[0xf7],
            &[0xf0],
            &[0xf3],
            &[0xf8, 0x20],
            &[0x1c],
            &[0x3d],
            &[0x5e],
            &[0x81, 0xfc],
            &[0x3b, 0x80, 0, 0, 0, 0, 0, 0, 0],
            &[0xa1, 0x3b, 0x80, 0, 0, 0, 0, 0, 0, 0, 0x01],
            &[0xa1, 0xf5, 0x01],
            &[0xa1, 0xf9, 0, 0, 0x01],
            &[0xa1, 0x80, 0x01],
            &[0xa1, 0xc1, 0x01, 0x01],
        ] {
            assert!(!cbor(v), "{v:x?}");
        }
        assert!(cbor(&[0x3b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
        assert!(cbor(&[0x1b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
        // Integer, null and byte string keys only where the format allows them.
        for v in [&[0xa1, 0x01, 0x01][..], &[0xa1, 0x20, 0x01], &[0xa1, 0xf6, 0x01], &[0xa1, 0x41, b'k', 0x01]] {
            assert!(surely_valid(Format::Cbor, v, Keys::Cbor, false), "{v:x?}");
            assert!(!surely_valid(Format::Cbor, v, Keys::Cbor, true), "{v:x?}");
            assert!(!surely_valid(Format::Cbor, v, Keys::Str, false), "{v:x?}");
        }
        assert!(!surely_valid(Format::Cbor, &[0xa1, 0x01, 0x01], Keys::StrOrBytes, false));
    }

    #[test]
    fn strings_of_every_length_are_checked_as_utf8() {
        assert!(msgpack(&[0xa0]) && msgpack(&[0x81, 0xa0, 0x01]) && cbor(&[0x60]) && cbor(&[0xa1, 0x60, 0x01]));
        for n in 1..=40 {
            let ascii = vec![b'a'; n];
            let bad = (0..n).map(|i| (i, 0xffu8)).chain([(n / 2, 0x80), (n - 1, 0xc3)]);
            for (i, bad) in bad {
                let mut s = ascii.clone();
                s[i] = bad;
                for m in [0xa0, 0xd9, 0xda, 0xdb] {
                    if m == 0xa0 && n > 31 {
                        continue;
                    }
                    assert!(msgpack(&msgpack_str(m, &ascii)), "{n}");
                    assert!(!msgpack(&msgpack_str(m, &s)), "{n}: {s:x?}");
                    // As a key, and with room after it in the buffer.
                    assert!(!msgpack(&[&[0x81][..], &msgpack_str(m, &s), &[0x01]].concat()), "{n}: {s:x?}");
                    assert!(!msgpack(&[&[0x92][..], &msgpack_str(m, &s), &[0xcb, 0, 0, 0, 0, 0, 0, 0, 0]].concat()));
                }
                let k = if n < 24 { 0 } else { 1 };
                assert!(cbor(&[cbor_head(3, n as u64, k), ascii.clone()].concat()));
                assert!(!cbor(&[cbor_head(3, n as u64, k), s.clone()].concat()), "{n}: {s:x?}");
                assert!(!cbor(&[vec![0xa1], cbor_head(3, n as u64, k), s.clone(), vec![0x01]].concat()));
                assert!(cbor(&[vec![0xa1], cbor_head(3, n as u64, k), ascii.clone(), vec![0x01]].concat()));
                // Byte strings hold any bytes.
                assert!(cbor(&[cbor_head(2, n as u64, k), s.clone()].concat()));
            }
            // Non-ASCII, valid: é (2 bytes) at each place, or cut in two at the end.
            for i in 0..n.saturating_sub(1) {
                let mut s = ascii.clone();
                s[i..i + 2].copy_from_slice("\u{e9}".as_bytes());
                assert!(msgpack(&msgpack_str(0xdb, &s)), "{n}: {s:x?}");
                assert!(cbor(&[cbor_head(3, n as u64, 4), s.clone()].concat()));
                if n < 32 {
                    assert!(msgpack(&msgpack_str(0xa0, &s)), "{n}: {s:x?}");
                    assert!(msgpack(&[&[0x81][..], &msgpack_str(0xa0, &s), &[0x01]].concat()), "{n}: {s:x?}");
                }
                if n < 24 {
                    assert!(cbor(&[vec![0xa1], cbor_head(3, n as u64, 0), s.clone(), vec![0x01]].concat()));
                }
                if i + 2 == n {
                    let cut = &s[..n - 1];
                    assert!(!msgpack(&msgpack_str(0xd9, cut)));
                }
            }
        }
    }

    /// Where fewer than [`IN_PLACE`] bytes remain, the pass goes on in a
    /// copy of them: that falls before a value or a key, or within one,
    /// at every offset, and a key given twice is still seen.
    #[test]
    fn the_last_bytes_are_walked_as_the_others() {
        // {"id": 7, "tags": ["abcde", "é"], "k": {}, LAST: nil}, LAST "z" or "id" (twice).
        let msgpack_map = |last: &[u8]| {
            [&[0x84, 0xa2][..], b"id", &[0x07, 0xa4], b"tags", &[0x92, 0xa5], b"abcde", &[0xa2, 0xc3, 0xa9, 0xa1, b'k', 0x80], last, &[0xc0]]
                .concat()
        };
        let cbor_map = |last: &[u8]| {
            [&[0xa4, 0x62][..], b"id", &[0x07, 0x64], b"tags", &[0x82, 0x65], b"abcde", &[0x62, 0xc3, 0xa9, 0x61, b'k', 0xa0], last, &[0xf6]]
                .concat()
        };
        for before in 0..=2 * IN_PLACE {
            // A list of `before` small integers, then the map.
            let ones = vec![0x01; before];
            let n = (before as u16).to_be_bytes();
            let mp = |last: &[u8]| [&[0x92, 0xdc, n[0], n[1]][..], &ones, &msgpack_map(last)].concat();
            let cb = |last: &[u8]| [&[0x82, 0x99, n[0], n[1]][..], &ones, &cbor_map(last)].concat();
            let (mp_once, mp_twice) = (mp(&[0xa1, b'z']), mp(&[0xa2, b'i', b'd']));
            let (cb_once, cb_twice) = (cb(&[0x61, b'z']), cb(&[0x62, b'i', b'd']));
            assert!(msgpack(&mp_once), "{before}");
            assert!(!msgpack(&mp_twice), "{before}");
            assert!(cbor(&cb_once), "{before}");
            assert!(!cbor(&cb_twice), "{before}");
            for cut in before..mp_once.len() {
                assert!(!msgpack(&mp_once[..cut]), "{before}, cut at {cut}");
            }
            for cut in before..cb_once.len() {
                assert!(!cbor(&cb_once[..cut]), "{before}, cut at {cut}");
            }
        }
    }

    /// A small random number generator (xorshift), for repeatable runs.
    #[cfg(any(feature = "json", all(feature = "msgpack", feature = "cbor")))]
    struct Rng(u64);

    #[cfg(any(feature = "json", all(feature = "msgpack", feature = "cbor")))]
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
        fn string(&mut self) -> Vec<u8> {
            const PIECES: [&[u8]; 9] = [b"a", b"b", b"key", b"\xc3\xa9", b"\xe2\x82\xac", b"\xf0\x9f\x98\x80", b"\xff", b"\xc3", b"\x00"];
            let n = [0, 1, 2, 3, 6, 9, 20][self.below(7) as usize];
            (0..n)
                .flat_map(|_| {
                    let pieces = if self.below(8) == 0 { 9 } else { 6 };
                    PIECES[self.below(pieces) as usize].iter().copied()
                })
                .collect()
        }
    }

    /// A random MessagePack value, mostly of the everyday forms.
    #[cfg(all(feature = "msgpack", feature = "cbor"))]
    fn random_msgpack(r: &mut Rng, depth: u32, out: &mut Vec<u8>) {
        let k = if depth > 5 { r.below(10) } else { r.below(16) };
        match k {
            0 => out.push(r.below(256) as u8 & 0x7f),
            1 => out.push([0xc0, 0xc2, 0xc3, 0xe5, 0xff, 0xc1][r.below(6) as usize]),
            2 | 3 => {
                let m = [0xcc, 0xcd, 0xce, 0xcf, 0xd0, 0xd1, 0xd2, 0xd3, 0xca, 0xcb][r.below(10) as usize];
                let n = match m {
                    0xcc | 0xd0 => 1,
                    0xcd | 0xd1 => 2,
                    0xce | 0xd2 | 0xca => 4,
                    _ => 8,
                };
                out.push(m);
                out.extend((0..n).map(|_| r.below(256) as u8));
            }
            4..=6 => {
                let s = r.string();
                let m = if s.len() < 32 { [0xa0, 0xa0, 0xd9, 0xda, 0xdb][r.below(5) as usize] } else { 0xd9 };
                out.extend(msgpack_str(m, &s));
            }
            7 => {
                let s = r.string();
                out.extend([0xc4, s.len() as u8]);
                out.extend(s);
            }
            8 => out.extend([[0xd4, 1, 2].as_slice(), &[0xc7, 1, 1, 0]][r.below(2) as usize]),
            9 => {
                // Deep nesting.
                let n = 124 + r.below(6) as usize;
                out.extend(std::iter::repeat_n(0x91, n));
                out.push(0x01);
            }
            10..=12 => {
                let n = r.below(6);
                out.push(0x90 | n as u8);
                for _ in 0..n {
                    random_msgpack(r, depth + 1, out);
                }
            }
            _ => {
                let n = [0, 1, 3, 5, 16, 17, 20][r.below(7) as usize];
                if n < 16 {
                    out.push(0x80 | n as u8);
                } else {
                    out.extend([0xde, 0, n as u8]);
                }
                for _ in 0..n {
                    match r.below(12) {
                        0 => out.push(0x01),
                        1 => out.extend([0xc4, 1, b'a' + r.below(3) as u8]),
                        _ => {
                            let key = if r.below(2) == 0 { vec![b'a' + r.below(20) as u8] } else { r.string() };
                            out.extend(msgpack_str(0xa0, &key));
                        }
                    }
                    random_msgpack(r, depth + 1, out);
                }
            }
        }
    }

    /// A random CBOR value, mostly of the everyday forms.
    #[cfg(all(feature = "msgpack", feature = "cbor"))]
    fn random_cbor(r: &mut Rng, depth: u32, out: &mut Vec<u8>) {
        let k = if depth > 5 { r.below(10) } else { r.below(16) };
        let width = |r: &mut Rng| [0usize, 1, 2, 4, 8][r.below(5) as usize];
        match k {
            0 | 1 => {
                let w = width(r);
                let n = if w == 0 { r.below(24) } else { r.next() >> (64 - 8 * w) };
                out.extend(cbor_head(r.below(2) as u8, n, w));
            }
            2 => out.push([0xf4, 0xf5, 0xf6, 0xf7, 0xf0, 0xff, 0xdc, 0x1f][r.below(8) as usize]),
            3 => {
                let m = [0xf9u8, 0xfa, 0xfb][r.below(3) as usize];
                out.push(m);
                out.extend((0..(2 << (m - 0xf9))).map(|_| r.below(256) as u8));
            }
            4..=6 => {
                let s = r.string();
                out.extend(cbor_head(if k == 6 { 2 } else { 3 }, s.len() as u64, if s.len() < 24 { 0 } else { 1 }));
                out.extend(s);
            }
            7 => {
                out.extend([0xc1, 0x01]);
            }
            8 => {
                out.extend([[0x9f, 0x01, 0xff].as_slice(), &[0x7f, 0x61, b'a', 0xff], &[0xbf, 0xff]][r.below(3) as usize]);
            }
            9 => {
                let n = 124 + r.below(6) as usize;
                out.extend(std::iter::repeat_n(0x81, n));
                out.push(0xf6);
            }
            10..=12 => {
                let n = r.below(6);
                out.extend(cbor_head(4, n, if r.below(4) == 0 { 1 } else { 0 }));
                for _ in 0..n {
                    random_cbor(r, depth + 1, out);
                }
            }
            _ => {
                let n = [0u64, 1, 3, 5, 16, 17, 20][r.below(7) as usize];
                out.extend(cbor_head(5, n, if n < 24 { 0 } else { 1 }));
                for _ in 0..n {
                    match r.below(10) {
                        0 => out.extend(cbor_head(r.below(2) as u8, r.below(4), r.below(2) as usize)),
                        1 => out.push(0xf6),
                        2 => out.extend([0x41, b'a' + r.below(3) as u8]),
                        3 => out.push(0xf5),
                        _ => {
                            let key = if r.below(2) == 0 { vec![b'a' + r.below(20) as u8] } else { r.string() };
                            out.extend(cbor_head(3, key.len() as u64, if key.len() < 24 { 0 } else { 1 }));
                            out.extend(key);
                        }
                    }
                    random_cbor(r, depth + 1, out);
                }
            }
        }
    }

    /// `v` as it is (mutation 0), with one byte changed (1), cut short
    /// (2), or with one byte inserted (3); `byte` picks the new bytes.
    #[cfg(any(feature = "json", all(feature = "msgpack", feature = "cbor")))]
    fn mutated(r: &mut Rng, v: &[u8], mutation: u32, byte: impl Fn(&mut Rng) -> u8) -> Vec<u8> {
        let mut b = v.to_vec();
        match mutation {
            0 => {}
            1 if !b.is_empty() => {
                let i = r.below(b.len() as u64) as usize;
                b[i] = byte(r);
            }
            2 => b.truncate(r.below(b.len() as u64 + 1) as usize),
            _ => {
                let i = r.below(b.len() as u64 + 1) as usize;
                b.insert(i, byte(r));
            }
        }
        b
    }

    /// The quick pass never says "valid" where the slow walk refuses:
    /// random values of every form, and random mutations of them.
    #[test]
    #[cfg(all(feature = "msgpack", feature = "cbor"))]
    fn the_quick_pass_never_accepts_what_the_slow_walk_refuses() {
        let mut r = Rng(0x2545_f491_4f6c_dd1d);
        let (mut sure, mut refused) = (0, 0);
        for round in 0..20_000 {
            let format = if round % 2 == 0 { Format::MsgPack } else { Format::Cbor };
            let mut v = Vec::new();
            match format {
                Format::MsgPack => random_msgpack(&mut r, 1, &mut v),
                _ => random_cbor(&mut r, 1, &mut v),
            }
            for mutation in 0..4 {
                let b = mutated(&mut r, &v, mutation, |r| r.below(256) as u8);
                let keys = if format == Format::MsgPack { Keys::StrOrBytes } else { Keys::Cbor };
                for (keys, kwargs) in [(keys, false), (keys, true), (Keys::Str, false)] {
                    let quick = surely_valid(format, &b, keys, kwargs);
                    let slow = slow(format, &b, keys, kwargs);
                    assert!(!quick || slow, "quick pass accepts what the slow walk refuses: {b:02x?} ({keys:?}, kwargs {kwargs})");
                    sure += usize::from(quick);
                    refused += usize::from(!slow);
                }
            }
        }
        // Both answers came often enough for the comparison to mean something.
        assert!(sure > 20_000 && refused > 20_000, "{sure} sure, {refused} refused");
    }

    /// What the slow walk says of the JSON `b`, as arguments and as keyword arguments.
    #[cfg(feature = "json")]
    fn slow_json(b: &[u8]) -> bool {
        use crate::runtime::error::Path;
        use crate::runtime::kept::check::Check;
        use crate::runtime::kept::serializer::{self as wire, Wire};
        let at = Path::Root("value");
        let start = b.iter().take_while(|c| b" \n\r\t".contains(c)).count();
        super::super::frame::json_value_end(b, start) == Some(b.len())
            && [false, true].into_iter().all(|kwargs| wire::Json::de(b, Check { at: &at, hr: true, depth: 1, keys: Keys::Str, kwargs }).is_ok())
    }

    /// What the quick pass says of the JSON `b`, also checked with more
    /// bytes after it (up to 16 of them, white space or not), where it
    /// reads near the buffer's end in another way: a value it is sure of
    /// stays so and ends where it did, and it is sure of nothing the slow
    /// walk refuses.
    fn json(b: &[u8]) -> bool {
        let sure = surely_valid(Format::Json, b, Keys::Str, false);
        for more in [0, 1, 2, 3, 7, 8, 9, 15, 16] {
            for fill in [b' ', b'"', b'}', 0xee] {
                let long = [b, &vec![fill; more]].concat();
                let end = json_end(&long, 0, &mut Seen::new());
                if sure {
                    assert_eq!(end, Some(b.len()), "{:?} followed by {more} of {fill:?}", String::from_utf8_lossy(b));
                }
                #[cfg(feature = "json")]
                if let Some(e) = end {
                    assert!(slow_json(&long[..e]), "{:?} followed by {more} of {fill:?}", String::from_utf8_lossy(b));
                }
            }
        }
        sure
    }

    /// Strings read eight bytes at a time: whatever ends or spoils the
    /// string (a quote, a backslash, a control character, a byte above
    /// ASCII, valid or not) falls at each place of a word, in values and
    /// keys, with the string starting at each place of a word too.
    #[test]
    fn json_strings_are_read_at_every_place_of_a_word() {
        let cases: [(&[u8], bool); 9] = [
            (b"a", true),
            (b"\x7f", true),
            (b"\xc3\xa9", true),
            (b"\xe2\x82\xac", true),
            (b"\xf0\x9f\x98\x80", true),
            (b"\\n", false),
            (b"\x01", false),
            (b"\xff", false),
            (b"\xc3", false),
        ];
        for n in 0..=20 {
            for place in 0..=n {
                for &(piece, sure) in &cases {
                    let s = [&vec![b'a'; place][..], piece, &vec![b'b'; n - place]].concat();
                    for lead in 0..2 {
                        let pad = " ".repeat(lead);
                        let value = [format!("[{pad}\"").as_bytes(), &s, b"\"]"].concat();
                        let key = [format!("{{{pad}\"").as_bytes(), &s, b"\":1}"].concat();
                        let last = [format!("{{{pad}\"k\":\"").as_bytes(), &s, b"\"}"].concat();
                        for v in [value, key, last] {
                            assert_eq!(json(&v), sure, "{:?}", String::from_utf8_lossy(&v));
                        }
                    }
                }
            }
        }
        // A string that does not end, or ends on the buffer's last byte.
        for n in 0..20 {
            let s = "x".repeat(n);
            assert!(!json(format!("[\"{s}").as_bytes()) && !json(format!("[\"{s}\"").as_bytes()));
            assert!(!json(format!("{{\"{s}").as_bytes()) && !json(format!("{{\"{s}\":").as_bytes()));
            assert!(json(format!("\"{s}\"").as_bytes()));
        }
    }

    /// Keys of every length up to 40 that differ at one byte only, or a
    /// key given twice, in maps of few and of many keys.
    #[test]
    fn json_keys_given_twice_are_found_at_every_length() {
        for n in 1..=40 {
            for at in 0..n {
                let k = "k".repeat(n);
                let mut other = k.clone().into_bytes();
                other[at] = b'j';
                let other = String::from_utf8(other).unwrap_or_default();
                for many in [0, 20] {
                    let fill: String = (0..many).map(|i| format!("\"f{i}\":0,")).collect();
                    // Keys are told apart by their first and last eight bytes;
                    // a difference between those leaves the value to the slow walk.
                    let told_apart = at < 8 || at + 8 >= n;
                    assert_eq!(json(format!("{{{fill}\"{k}\":1,\"{other}\":2}}").as_bytes()), told_apart, "{n} {at}");
                    assert!(!json(format!("{{{fill}\"{k}\":1,\"{k}\":2}}").as_bytes()), "{n}");
                    assert!(!json(format!("{{\"{k}\":1,{fill}\"{k}\":2}}").as_bytes()), "{n}");
                }
            }
        }
    }

    /// Numbers with up to 40 digits in each part, digits read eight at a
    /// time: the quick pass is sure of the everyday ones.
    #[test]
    fn json_numbers_are_read_at_every_length() {
        for n in 1..=40 {
            let d: String = (0..n).map(|i| char::from(b'1' + (i % 9) as u8)).collect();
            for sign in ["", "-"] {
                assert_eq!(json(format!("[{sign}{d}]").as_bytes()), n <= 18, "{n}");
                assert_eq!(json(format!("{sign}{d}").as_bytes()), n <= 18, "{n}");
                assert_eq!(json(format!("{{\"a\":{sign}{d}}}").as_bytes()), n <= 18, "{n}");
                assert!(json(format!("[{sign}0.{d}]").as_bytes()), "{n}");
                assert!(json(format!("[{sign}{d}.5,1]").as_bytes()), "{n}");
                assert!(json(format!("[{sign}1.{d}e{}]", n % 100).as_bytes()), "{n}");
                assert!(json(format!("[{sign}{d}e+5]").as_bytes()), "{n}");
                assert_eq!(json(format!("[{sign}1e{d}]").as_bytes()), n <= 2, "{n}");
                assert!(!json(format!("[{sign}0{d}]").as_bytes()), "{n}");
                assert!(!json(format!("[{sign}{d}.]").as_bytes()), "{n}");
                assert!(!json(format!("[{sign}{d}e]").as_bytes()), "{n}");
                assert!(!json(format!("[{sign}{d}x]").as_bytes()), "{n}");
                assert!(!json(format!("[{sign}.{d}]").as_bytes()), "{n}");
            }
        }
        for ok in ["[0]", "[-0]", "[0.0]", "[0e0]", "[1E-9]", "[999999999999999999]", "[-999999999999999999]"] {
            assert!(json(ok.as_bytes()), "{ok}");
        }
        for unsure in ["[-]", "[+1]", "[00]", "[-01]", "[1e+]", "[1e999]", "[1.5e-]", "[--1]", "[1-]"] {
            assert!(!json(unsure.as_bytes()), "{unsure}");
        }
    }

    /// White space wherever JSON allows it, and the words.
    #[test]
    fn json_white_space_and_words() {
        assert!(json(b"[ 1 , \"a\" ,\n{ \"k\" :\t[ ] , \"j\"\r: { } } , true , false , null ]"));
        for ok in ["[true]", "[false]", "[null]", "{\"a\":true}", "true", "[[],{},[[]]]"] {
            assert!(json(ok.as_bytes()), "{ok}");
        }
        for unsure in ["[True]", "[fals]", "[nul]", "[nulll]", "[1 2]", "{\"a\" 1}", "{\"a\":}", "{1:1}", "[}", "{]", "[\x0b1]", "{,}", "[,]"] {
            assert!(!json(unsure.as_bytes()), "{unsure}");
        }
        // Nesting: 127 deep, with maps among the lists, is sure; 128 is not.
        for (open, close) in [("[", "]"), ("{\"k\":[", "]}")] {
            let at = |n: usize| format!("{}1{}", open.repeat(n), close.repeat(n));
            let depth = if open == "[" { 127 } else { 63 };
            assert!(json(at(depth).as_bytes()));
            assert!(!json(at(depth + 1).as_bytes()));
        }
    }

    /// A random JSON value, mostly of the everyday forms, with white space here and there.
    #[cfg(feature = "json")]
    fn random_json(r: &mut Rng, depth: u32, out: &mut Vec<u8>) {
        let ws = |r: &mut Rng, out: &mut Vec<u8>| {
            if r.below(6) == 0 {
                out.extend(&b" \n\t\r"[..1 + r.below(4) as usize]);
            }
        };
        let string = |r: &mut Rng, out: &mut Vec<u8>| {
            out.push(b'"');
            let s = r.string();
            for c in s {
                match c {
                    b'"' | b'\\' => out.extend([b'\\', c]),
                    _ => out.push(c),
                }
            }
            if r.below(20) == 0 {
                out.extend(br#"\u00e9\n"#);
            }
            out.push(b'"');
        };
        ws(r, out);
        match if depth > 5 { r.below(8) } else { r.below(12) } {
            0 => out.extend(["true", "false", "null", "nul", "tru"][r.below(5) as usize].as_bytes()),
            1 | 2 => {
                let n = ["0", "-0", "7", "-12", "12345678901234567", "123456789012345678", "1234567890123456789", "01"][r.below(8) as usize];
                let frac = ["", "", ".5", ".0001", ".", ".12345678901234567890"][r.below(6) as usize];
                let exp = ["", "", "", "e5", "E-12", "e+300", "e400", "e"][r.below(8) as usize];
                out.extend(format!("{n}{frac}{exp}").as_bytes());
            }
            3..=5 => string(r, out),
            6 => {
                // Deep nesting.
                let n = 124 + r.below(6) as usize;
                out.extend(std::iter::repeat_n(b'[', n));
                out.extend(std::iter::repeat_n(b']', n));
            }
            7 | 8 => {
                out.push(b'[');
                let n = r.below(6);
                for i in 0..n {
                    if i > 0 {
                        out.push(b',');
                    }
                    random_json(r, depth + 1, out);
                }
                ws(r, out);
                out.push(b']');
            }
            _ => {
                out.push(b'{');
                let n = [0, 1, 3, 5, 16, 17, 20][r.below(7) as usize];
                for i in 0..n {
                    if i > 0 {
                        out.push(b',');
                    }
                    ws(r, out);
                    if r.below(2) == 0 {
                        out.extend(format!("\"{}\"", char::from(b'a' + r.below(20) as u8)).as_bytes());
                    } else {
                        string(r, out);
                    }
                    ws(r, out);
                    out.push(b':');
                    random_json(r, depth + 1, out);
                }
                ws(r, out);
                out.push(b'}');
            }
        }
    }

    /// The JSON pass never says "valid" where the slow walk refuses:
    /// random values of every form, and random mutations of them.
    #[test]
    #[cfg(feature = "json")]
    fn the_json_pass_never_accepts_what_the_slow_walk_refuses() {
        const PICKS: &[u8] = b"\",:[]{}\\ 0e.-x\x01\xff\xc3";
        let mut r = Rng(0x9e37_79b9_7f4a_7c15);
        let (mut sure, mut refused) = (0, 0);
        for _ in 0..20_000 {
            let mut v = Vec::new();
            random_json(&mut r, 1, &mut v);
            for mutation in 0..4 {
                let b = mutated(&mut r, &v, mutation, |r| PICKS[r.below(PICKS.len() as u64) as usize]);
                let quick = surely_valid(Format::Json, &b, Keys::Str, false);
                let slow = slow_json(&b);
                assert!(!quick || slow, "quick pass accepts what the slow walk refuses: {:?}", String::from_utf8_lossy(&b));
                sure += usize::from(quick);
                refused += usize::from(!slow);
            }
        }
        // Both answers came often enough for the comparison to mean something.
        assert!(sure > 10_000 && refused > 10_000, "{sure} sure, {refused} refused");
    }
}
