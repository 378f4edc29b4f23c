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

/// A map key, to find one given twice.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Key<'b> {
    Str(&'b [u8]),
    Bytes(&'b [u8]),
    Int(i128),
    Null,
}

/// "Not sure": the slow walk decides.
struct Unsure;

type R = Result<(), Unsure>;

struct Scan<'b> {
    b: &'b [u8],
    at: usize,
    keys: Keys,
    seen: Vec<Key<'b>>,
}

impl<'b> Scan<'b> {
    fn new(b: &'b [u8], keys: Keys) -> Self {
        Scan { b, at: 0, keys, seen: Vec::new() }
    }

    #[inline]
    fn byte(&mut self) -> Result<u8, Unsure> {
        let x = *self.b.get(self.at).ok_or(Unsure)?;
        self.at += 1;
        Ok(x)
    }

    #[inline]
    fn take(&mut self, n: u64) -> Result<&'b [u8], Unsure> {
        let n = usize::try_from(n).map_err(|_| Unsure)?;
        let end = self.at.checked_add(n).filter(|&e| e <= self.b.len()).ok_or(Unsure)?;
        let s = &self.b[self.at..end];
        self.at = end;
        Ok(s)
    }

    #[inline]
    fn be(&mut self, n: u64) -> Result<u64, Unsure> {
        Ok(self.take(n)?.iter().fold(0u64, |x, &y| (x << 8) | u64::from(y)))
    }

    #[inline]
    fn text(&mut self, n: u64) -> Result<&'b [u8], Unsure> {
        let s = self.take(n)?;
        if s.is_ascii() || std::str::from_utf8(s).is_ok() { Ok(s) } else { Err(Unsure) }
    }

    /// Opens a map: where its keys start in `seen`.
    #[inline]
    fn open(&self, depth: u32) -> Result<usize, Unsure> {
        if depth >= MAX_DEPTH { Err(Unsure) } else { Ok(self.seen.len()) }
    }

    /// Closes the map whose keys start at `start`: each key once.
    fn close(&mut self, start: usize) -> R {
        let keys = &mut self.seen[start..];
        let twice = if keys.len() <= 16 {
            (1..keys.len()).any(|i| keys[..i].contains(&keys[i]))
        } else {
            keys.sort_unstable();
            keys.windows(2).any(|w| w[0] == w[1])
        };
        self.seen.truncate(start);
        if twice { Err(Unsure) } else { Ok(()) }
    }

    /// Whether a key of this kind is allowed (`str_only` for the keyword
    /// arguments' own keys).
    fn allow(&self, key: &Key<'_>, str_only: bool) -> R {
        let ok = match key {
            Key::Str(_) => true,
            Key::Bytes(_) => !str_only && self.keys != Keys::Str,
            Key::Int(_) | Key::Null => !str_only && self.keys == Keys::Cbor,
        };
        if ok { Ok(()) } else { Err(Unsure) }
    }

    // --- MessagePack ---------------------------------------------------

    fn msgpack(&mut self, depth: u32, str_keys: bool) -> R {
        let m = self.byte()?;
        match m {
            0x00..=0x7f | 0xe0..=0xff | 0xc0 | 0xc2 | 0xc3 => Ok(()),
            0xcc | 0xd0 => self.take(1).map(drop),
            0xcd | 0xd1 => self.take(2).map(drop),
            0xce | 0xd2 | 0xca => self.take(4).map(drop),
            0xcf | 0xd3 | 0xcb => self.take(8).map(drop),
            0xa0..=0xbf => self.text(u64::from(m & 0x1f)).map(drop),
            // str 8/16/32, bin 8/16/32, array 16/32, map 16/32: the length
            // takes 1, 2 or 4 bytes (2 or 4 for arrays and maps).
            0xd9..=0xdb => {
                let n = self.be(1 << (m - 0xd9))?;
                self.text(n).map(drop)
            }
            0xc4..=0xc6 => {
                let n = self.be(1 << (m - 0xc4))?;
                self.take(n).map(drop)
            }
            0x90..=0x9f => self.msgpack_list(u64::from(m & 0x0f), depth),
            0xdc | 0xdd => {
                let n = self.be(2 << (m - 0xdc))?;
                self.msgpack_list(n, depth)
            }
            0x80..=0x8f => self.msgpack_map(u64::from(m & 0x0f), depth, str_keys),
            0xde | 0xdf => {
                let n = self.be(2 << (m - 0xde))?;
                self.msgpack_map(n, depth, str_keys)
            }
            // Extensions, and the unused marker.
            _ => Err(Unsure),
        }
    }

    fn msgpack_list(&mut self, n: u64, depth: u32) -> R {
        self.open(depth)?;
        for _ in 0..n {
            self.msgpack(depth + 1, false)?;
        }
        Ok(())
    }

    fn msgpack_map(&mut self, n: u64, depth: u32, str_keys: bool) -> R {
        let start = self.open(depth)?;
        for _ in 0..n {
            let key = self.msgpack_key()?;
            self.allow(&key, str_keys)?;
            self.seen.push(key);
            self.msgpack(depth + 1, false)?;
        }
        self.close(start)
    }

    fn msgpack_key(&mut self) -> Result<Key<'b>, Unsure> {
        let m = self.byte()?;
        let n = match m {
            0xa0..=0xbf => u64::from(m & 0x1f),
            0xd9 => self.be(1)?,
            0xda => self.be(2)?,
            0xdb => self.be(4)?,
            0xc4 => {
                let n = self.be(1)?;
                return self.take(n).map(Key::Bytes);
            }
            0xc5 => {
                let n = self.be(2)?;
                return self.take(n).map(Key::Bytes);
            }
            0xc6 => {
                let n = self.be(4)?;
                return self.take(n).map(Key::Bytes);
            }
            _ => return Err(Unsure),
        };
        self.text(n).map(Key::Str)
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

    fn cbor(&mut self, depth: u32, str_keys: bool) -> R {
        let ib = self.byte()?;
        let (major, ai) = (ib >> 5, ib & 0x1f);
        match major {
            0 => self.cbor_arg(ai).map(drop),
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
                self.take(n).map(drop)
            }
            3 => {
                let n = self.cbor_arg(ai)?;
                self.text(n).map(drop)
            }
            4 => {
                let n = self.cbor_arg(ai)?;
                self.open(depth)?;
                for _ in 0..n {
                    self.cbor(depth + 1, false)?;
                }
                Ok(())
            }
            5 => {
                let n = self.cbor_arg(ai)?;
                let start = self.open(depth)?;
                for _ in 0..n {
                    let key = self.cbor_key()?;
                    self.allow(&key, str_keys)?;
                    self.seen.push(key);
                    self.cbor(depth + 1, false)?;
                }
                self.close(start)
            }
            // false, true, null; half, single and double floats. Tags,
            // `undefined` and other simple values: the slow walk.
            _ => match ai {
                20..=22 => Ok(()),
                25 => self.take(2).map(drop),
                26 => self.take(4).map(drop),
                27 => self.take(8).map(drop),
                _ => Err(Unsure),
            },
        }
    }

    fn cbor_key(&mut self) -> Result<Key<'b>, Unsure> {
        let ib = self.byte()?;
        let (major, ai) = (ib >> 5, ib & 0x1f);
        match major {
            0 => Ok(Key::Int(i128::from(self.cbor_arg(ai)?))),
            1 => match self.cbor_arg(ai)? {
                n if n <= i64::MAX as u64 => Ok(Key::Int(-1 - i128::from(n))),
                _ => Err(Unsure),
            },
            2 => {
                let n = self.cbor_arg(ai)?;
                self.take(n).map(Key::Bytes)
            }
            3 => {
                let n = self.cbor_arg(ai)?;
                self.text(n).map(Key::Str)
            }
            7 if ai == 22 => Ok(Key::Null),
            _ => Err(Unsure),
        }
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
        let start = self.at;
        let rest = &self.b[start..];
        // Eight bytes at a time while none is a quote, a backslash or a control character.
        let mut n = 0;
        while let Some(chunk) = rest.get(n..n + 8) {
            let x = u64::from_le_bytes(chunk.try_into().map_err(|_| Unsure)?);
            const ONES: u64 = 0x0101_0101_0101_0101;
            const HIGH: u64 = 0x8080_8080_8080_8080;
            let eq = |c: u8| {
                let y = x ^ (u64::from(c) * ONES);
                y.wrapping_sub(ONES) & !y & HIGH
            };
            let control = x.wrapping_sub(0x20 * ONES) & !x & HIGH;
            if eq(b'"') | eq(b'\\') | control != 0 {
                break;
            }
            n += 8;
        }
        n += rest[n..].iter().position(|&c| c == b'"' || c == b'\\' || c < 0x20).ok_or(Unsure)?;
        if rest[n] != b'"' {
            return Err(Unsure);
        }
        let s = &rest[..n];
        if !s.is_ascii() && std::str::from_utf8(s).is_err() {
            return Err(Unsure);
        }
        self.at = start + n + 1;
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

    fn json(&mut self, depth: u32, str_keys: bool) -> R {
        let _ = str_keys;
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
                    self.json(depth + 1, false)?;
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
                loop {
                    self.expect(b'"')?;
                    let key = self.json_str()?;
                    self.seen.push(Key::Str(key));
                    self.expect(b':')?;
                    self.json(depth + 1, false)?;
                    self.ws();
                    match self.byte()? {
                        b',' => {}
                        b'}' => return self.close(start),
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
        if self.take(rest.len() as u64)? == rest { Ok(()) } else { Err(Unsure) }
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
pub(crate) fn json_end(b: &[u8], at: usize) -> Option<usize> {
    let mut s = Scan { b, at, keys: Keys::Str, seen: Vec::new() };
    s.json(1, false).ok().map(|()| s.at)
}

/// Whether `b` is, surely, one valid value of the format whose keys are
/// `keys`, starting `depth` 1 deep; `kwargs` when its own keys must be
/// strings. `false` means "not sure".
pub(crate) fn surely_valid(format: Format, b: &[u8], keys: Keys, kwargs: bool) -> bool {
    let mut s = Scan::new(b, keys);
    let r = match format {
        Format::Json => s.json(1, kwargs),
        Format::MsgPack => s.msgpack(1, kwargs),
        Format::Cbor => s.cbor(1, kwargs),
    };
    r.is_ok() && s.at == b.len()
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
