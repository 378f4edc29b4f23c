//! The operations on a record, driven by its field table.
//!
//! Generated code describes each record's fields once, as data: the table
//! [`Record::FIELDS`], one [`Field`] per field in schema order (its wire
//! key, kind, presence rule, checks and `message_attr` entry), which is
//! also the record's [`Shape`](super::shape::Shape). Beside it,
//! [`Record::field`] hands field number `i`, where it lives and its codec,
//! to a [`Visit`]: the one typed step of each operation. The rules between
//! fields (which keys must come, which refuse `null`, which are checked,
//! which are written) are bit masks computed from the table at compile
//! time ([`Masks`]), so that an empty or small dict costs a few
//! instructions, and a key read is one lookup and one typed step.

use std::marker::PhantomData;

use serde::de::MapAccess;

use super::codec::{Codec, Seed, Unset};
use super::error::{Error, Path};
use super::handle::{Callback, Handle};
use super::record::{Record, Writer};
use super::shape::{Field, Kind, Presence};
use super::value::{Map, Value};

/// Where a field lives in its record: shared and mutable access.
pub struct At<R, T>(pub fn(&R) -> &T, pub fn(&mut R) -> &mut T);

/// The [`At`] of field `$f` of the record being implemented.
macro_rules! at {
    ($f:ident) => {
        $crate::runtime::table::At(|r: &Self| &r.$f, |r: &mut Self| &mut r.$f)
    };
}
pub(crate) use at;

/// The typed step of an operation on one field: [`Record::field`] calls
/// the method for the field's kind with where it lives and its codec.
pub trait Visit<R>: Sized {
    /// What the step gives.
    type Out;
    /// A field held as an `Option` (optional, `null`-refusing or required-key).
    fn opt<C: Codec + ?Sized>(self, at: At<R, Option<C::Out>>) -> Self::Out;
    /// A field held as a plain value (required, or with a default).
    fn val<C: Codec + ?Sized>(self, at: At<R, C::Out>) -> Self::Out;
    /// A field with a default (which [`Blank::blank`](super::record::Blank::blank) holds).
    #[inline(always)]
    fn default<C: Codec + ?Sized>(self, at: At<R, C::Out>) -> Self::Out
    where
        C::Out: PartialEq,
    {
        self.val::<C>(at)
    }
    /// A callback field: set in code, only `null` in data.
    #[inline(always)]
    fn callback(self, at: At<R, Option<Callback>>) -> Self::Out {
        self.opt::<Unset<Callback>>(at)
    }
    /// A handle field: set in code, only `null` in data.
    #[inline(always)]
    fn handle(self, at: At<R, Option<Handle>>) -> Self::Out {
        self.opt::<Unset<Handle>>(at)
    }
}

/// A record's table as bit masks, bit `i` for field `i`.
#[derive(Clone, Copy, Debug)]
pub struct Masks {
    /// The fields whose key must come.
    required: u64,
    /// The fields that refuse `null`.
    not_null: u64,
    /// The fields of data held as an `Option`: set when their key came
    /// with a value.
    opts: u64,
    /// The fields with a bound, a conflict or a requirement.
    checked: u64,
    /// The fields read as unset when not truthy.
    truthy: u64,
    /// The fields carried as data (not set in code).
    data: u64,
    /// The fields with a `message_attr` entry.
    attrs: u64,
}

impl Masks {
    /// The masks of a table (at most 64 fields).
    pub const fn of(fields: &[Field]) -> Masks {
        assert!(fields.len() <= 64, "a record has at most 64 fields");
        let mut m = Masks { required: 0, not_null: 0, opts: 0, checked: 0, truthy: 0, data: 0, attrs: 0 };
        let mut i = 0;
        while i < fields.len() {
            let (f, bit) = (&fields[i], 1u64 << i);
            let data = !matches!(f.kind, Kind::Callback | Kind::Handle);
            let (required, not_null, opt) = match f.presence {
                Presence::Optional => (false, false, data),
                Presence::NotNull => (false, true, true),
                Presence::RequiredKey => (true, false, true),
                Presence::Required => (true, true, false),
                Presence::Default { nullable } => (false, !nullable, false),
            };
            let checked = f.gt.is_some() || f.conflicts_with.is_some() || f.requires.is_some();
            m.required |= bit * required as u64;
            m.not_null |= bit * not_null as u64;
            m.opts |= bit * opt as u64;
            m.checked |= bit * checked as u64;
            m.truthy |= bit * f.truthy as u64;
            m.data |= bit * data as u64;
            m.attrs |= bit * f.attr.is_some() as u64;
            i += 1;
        }
        m
    }

    /// Whether some field has a `message_attr` entry: the record has a
    /// `message_attr` dict.
    pub const fn has_attrs(&self) -> bool {
        self.attrs != 0
    }
}

/// What has been read of a record so far, next to the record itself
/// (which starts as [`Blank::blank`](super::record::Blank::blank)): which keys came, and which held
/// `null` (bit `i` for field `i`).
#[derive(Default)]
pub struct Read {
    pub(crate) seen: u64,
    nulls: u64,
}

/// The field number of `key`, if `R` has a field with that wire key.
#[inline]
pub fn key_index<R: Record>(key: &str) -> Option<usize> {
    key_index_bytes::<R>(key.as_bytes())
}

/// [`key_index`] for a key's bytes, before they are read as UTF-8 (a
/// key that names a field is ASCII).
#[inline]
pub(crate) fn key_index_bytes<R: Record>(key: &[u8]) -> Option<usize> {
    R::FIELDS.iter().position(|f| f.key.as_bytes() == key)
}

// ---------------------------------------------------------------- read

/// Fills a field with the next value of a serde map; gives whether it
/// held `null`.
struct Fill<'a, 'p, 'de, R, A> {
    r: &'a mut R,
    map: &'a mut A,
    i: usize,
    hr: bool,
    depth: u32,
    at: &'a Path<'p>,
    de: PhantomData<&'de ()>,
}

impl<'de, R: Record, A: MapAccess<'de>> Visit<R> for Fill<'_, '_, 'de, R, A> {
    type Out = Result<bool, A::Error>;
    #[inline(always)]
    fn opt<C: Codec + ?Sized>(self, at: At<R, Option<C::Out>>) -> Self::Out {
        let x = self.map.next_value_seed(Seed::<C>::new(&self.at.field(R::FIELDS[self.i].key), self.hr, self.depth))?;
        let null = x.is_none();
        *(at.1)(self.r) = x;
        Ok(null)
    }
    /// `null` leaves the value [`Blank::blank`](super::record::Blank::blank) gave: the default, or a
    /// required field's blank, refused when the read finishes.
    #[inline(always)]
    fn val<C: Codec + ?Sized>(self, at: At<R, C::Out>) -> Self::Out {
        match self.map.next_value_seed(Seed::<C>::new(&self.at.field(R::FIELDS[self.i].key), self.hr, self.depth))? {
            Some(x) => {
                *(at.1)(self.r) = x;
                Ok(false)
            }
            None => Ok(true),
        }
    }
}

/// Fills field number `i` of `r` with the next value of `map`; `at` is
/// the record's path, `hr` and `depth` as for [`Seed::new`].
#[inline]
pub fn fill<'de, R: Record, A: MapAccess<'de>>(
    r: &mut R,
    read: &mut Read,
    i: usize,
    map: &mut A,
    hr: bool,
    depth: u32,
    at: &Path<'_>,
) -> Result<(), A::Error> {
    read.seen |= 1 << i;
    let null = R::field(Fill { r, map, i, hr, depth, at, de: PhantomData }, i)?;
    read.nulls |= u64::from(null) << i;
    Ok(())
}

/// Applies the presence rules and the checks to the record `r`, of which
/// `read` was read; it is done when this returns `Ok`. The error is the
/// first broken presence rule in field order, else the first failed check
/// (a bound, a conflict, a requirement), as autobahn checks presence before
/// values.
#[inline]
pub fn finish<R: Record>(r: &mut R, read: &Read, at: &Path<'_>) -> Result<(), Error> {
    let m = R::MASKS;
    let broken = (m.required & !read.seen) | (m.not_null & read.nulls);
    if broken != 0 {
        return Err(presence::<R>(broken.trailing_zeros() as usize, read.seen, at));
    }
    let set = read.seen & !read.nulls;
    let checked = m.checked & (set | !m.opts);
    if checked != 0 {
        check(r, checked, at)?;
    }
    if R::NON_EMPTY && m.opts & set == 0 && r.rest().is_none_or(Map::is_empty) {
        return Err(Error::new(at, "a map that is not empty", "an empty map"));
    }
    for i in bits(m.truthy & set) {
        R::field(Falsy(r), i);
    }
    Ok(())
}

/// The checks of the fields `checked` of `r` (a bound, a conflict, a
/// requirement), in field order: the first that fails. Out of the path of
/// the records whose fields have none to pass.
#[inline(never)]
fn check<R: Record>(r: &R, checked: u64, at: &Path<'_>) -> Result<(), Error> {
    for i in bits(checked) {
        if let Some(e) = R::field(Check { r, f: &R::FIELDS[i], at }, i) {
            return Err(e);
        }
    }
    Ok(())
}

/// The set bits of `mask`, lowest first.
#[inline(always)]
fn bits(mut mask: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        let i = mask.trailing_zeros() as usize;
        mask &= mask.wrapping_sub(1);
        (i < 64).then_some(i)
    })
}

/// The error of field `i`'s presence rule: its key is missing, or it held
/// a `null` it refuses.
#[cold]
#[inline(never)]
fn presence<R: Record>(i: usize, seen: u64, at: &Path<'_>) -> Error {
    let f = &R::FIELDS[i];
    let expected = f.kind.expected();
    if seen & (1 << i) != 0 {
        return Error::new(&at.field(f.key), expected, "null");
    }
    let expected = if f.presence == Presence::RequiredKey { format!("{expected} or null").into() } else { expected };
    Error::new(&at.field(f.key), expected, "nothing (the key is required)")
}

/// Whether field number `i` of `r` is set.
struct IsSet<'a, R>(&'a R);

impl<R> Visit<R> for IsSet<'_, R> {
    type Out = bool;
    fn opt<C: Codec + ?Sized>(self, at: At<R, Option<C::Out>>) -> bool {
        (at.0)(self.0).is_some()
    }
    fn val<C: Codec + ?Sized>(self, _: At<R, C::Out>) -> bool {
        true
    }
}

/// Whether the field with wire key `key` is set.
fn is_set<R: Record>(r: &R, key: &str) -> bool {
    key_index::<R>(key).is_some_and(|i| R::field(IsSet(r), i))
}

/// The checks of a field's value: its bound, its conflict, its requirement.
struct Check<'a, 'p, R> {
    r: &'a R,
    f: &'static Field,
    at: &'a Path<'p>,
}

impl<R: Record> Check<'_, '_, R> {
    fn check<C: Codec + ?Sized>(&self, x: &C::Out) -> Option<Error> {
        let (f, here) = (self.f, || self.at.field(self.f.key));
        // NaN compares false, and is refused as Python's `>` refuses it.
        if let Some(bound) = f.gt
            && !C::to_value(x).as_f64().is_some_and(|v| v > bound)
        {
            return Some(Error::new(&here(), format!("a number greater than {bound}"), C::to_value(x).describe()));
        }
        if let Some(other) = f.conflicts_with
            && is_set(self.r, other)
        {
            return Some(Error::new(&here(), format!("null while {other} is set"), C::to_value(x).describe()));
        }
        if let Some(other) = f.requires
            && !is_set(self.r, other)
            && C::is_truthy(x)
        {
            let expected = format!("a value (required while {} is set)", f.key);
            return Some(Error::new(&self.at.field(other), expected, "nothing"));
        }
        None
    }
}

impl<R: Record> Visit<R> for Check<'_, '_, R> {
    type Out = Option<Error>;
    fn opt<C: Codec + ?Sized>(self, at: At<R, Option<C::Out>>) -> Self::Out {
        self.check::<C>((at.0)(self.r).as_ref()?)
    }
    fn val<C: Codec + ?Sized>(self, at: At<R, C::Out>) -> Self::Out {
        self.check::<C>((at.0)(self.r))
    }
}

/// Drops the value of a `truthy` field that is not truthy, as `marshal`
/// would leave it out.
struct Falsy<'a, R>(&'a mut R);

impl<R> Visit<R> for Falsy<'_, R> {
    type Out = ();
    fn opt<C: Codec + ?Sized>(self, at: At<R, Option<C::Out>>) {
        let x = (at.1)(self.0);
        if x.as_ref().is_some_and(|x| !C::is_truthy(x)) {
            *x = None;
        }
    }
    fn val<C: Codec + ?Sized>(self, _: At<R, C::Out>) {}
}

// ---------------------------------------------------------------- write

/// Runs `$body` with `$i` bound to each field number of `$r` in order.
/// The runs are unrolled, each with its number as a constant, so that
/// [`Record::field`] folds to the field's own step: straight-line code per
/// field, as hand-written code would be.
macro_rules! each_field {
    ($r:ty, |$i:ident| $body:expr) => {
        each_field!(@ $r, $i, $body; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29
            30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63)
    };
    (@ $r:ty, $i:ident, $body:expr; $($n:literal)*) => {
        $(if $n < <$r>::FIELDS.len() {
            let $i: usize = $n;
            $body;
        })*
    };
}

/// Whether a field of a message's dict is written: set, truthy when it
/// must be, away from its default.
struct Written<'a, R>(&'a R, usize);

impl<R: Record> Visit<R> for Written<'_, R> {
    type Out = bool;
    #[inline(always)]
    fn opt<C: Codec + ?Sized>(self, at: At<R, Option<C::Out>>) -> bool {
        match (at.0)(self.0) {
            Some(x) => !R::FIELDS[self.1].truthy || C::is_truthy(x),
            None => false,
        }
    }
    #[inline(always)]
    fn val<C: Codec + ?Sized>(self, _: At<R, C::Out>) -> bool {
        true
    }
    #[inline(always)]
    fn default<C: Codec + ?Sized>(self, at: At<R, C::Out>) -> bool
    where
        C::Out: PartialEq,
    {
        (at.0)(self.0) != (at.0)(&R::blank())
    }
}

/// The fields of `r`'s dict form, as a mask: every data field of a type's,
/// those [`Written`] of a message's.
#[inline(always)]
fn written<R: Record>(r: &R) -> u64 {
    if !R::MARSHAL_SET {
        return R::MASKS.data;
    }
    let mut set = 0;
    each_field!(R, |i| if R::MASKS.data & (1 << i) != 0 && R::field(Written(r, i), i) {
        set |= 1 << i;
    });
    set
}

/// Writes one field: its value, or `null` when it is unset.
struct Put<'a, R, W>(&'a R, &'a mut W, usize);

impl<R: Record, W: Writer> Visit<R> for Put<'_, R, W> {
    type Out = Result<(), W::Error>;
    #[inline(always)]
    fn opt<C: Codec + ?Sized>(self, at: At<R, Option<C::Out>>) -> Self::Out {
        match (at.0)(self.0) {
            Some(x) => self.1.entry::<C>(R::FIELDS[self.2].key, x),
            None => self.1.null(R::FIELDS[self.2].key),
        }
    }
    #[inline(always)]
    fn val<C: Codec + ?Sized>(self, at: At<R, C::Out>) -> Self::Out {
        self.1.entry::<C>(R::FIELDS[self.2].key, (at.0)(self.0))
    }
}

/// Writes the fields `set` of `r` to `w`: the kept keys first for a
/// message's dict (autobahn updates its dict with them first), last for a
/// type's.
#[inline(always)]
fn write_set<R: Record, W: Writer>(r: &R, set: u64, w: &mut W) -> Result<(), W::Error> {
    let rest = r.rest();
    if let Some(rest) = rest.filter(|_| R::MARSHAL_SET) {
        w.rest(rest)?;
    }
    each_field!(R, |i| if set & (1 << i) != 0 {
        R::field(Put(r, &mut *w, i), i)?;
    });
    match rest.filter(|_| !R::MARSHAL_SET) {
        Some(rest) => w.rest(rest),
        None => Ok(()),
    }
}

/// Whether the dict form of `r` has no key.
pub(crate) fn writes_nothing<R: Record>(r: &R) -> bool {
    written(r) == 0 && r.rest().is_none_or(Map::is_empty)
}

/// Writes the dict form of `r` to a serde format.
pub fn encode<R: Record, S: serde::Serializer>(r: &R, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let set = written(r);
    let mut map = s.serialize_map(Some(set.count_ones() as usize + r.rest().map_or(0, Map::len)))?;
    write_set(r, set, &mut super::record::Encoder(&mut map))?;
    map.end()
}

/// The dict form of `r`.
#[inline]
pub fn to_map<R: Record>(r: &R) -> Map {
    let set = written(r);
    let mut m = Map::with_capacity(set.count_ones() as usize + r.rest().map_or(0, Map::len));
    match write_set(r, set, &mut super::record::MapWriter(&mut m)) {
        Ok(()) => m,
        Err(never) => match never {},
    }
}

/// Moves a field of a type's dict form into a map.
struct Move<'a, R>(&'a mut R, &'a mut Map, usize);

impl<R: Record> Visit<R> for Move<'_, R> {
    type Out = ();
    #[inline(always)]
    fn opt<C: Codec + ?Sized>(self, at: At<R, Option<C::Out>>) {
        let x = (at.1)(self.0).take().map_or(Value::Null, |mut x| C::take_value(&mut x));
        self.1.push_unique(R::FIELDS[self.2].key, x);
    }
    #[inline(always)]
    fn val<C: Codec + ?Sized>(self, at: At<R, C::Out>) {
        self.1.push_unique(R::FIELDS[self.2].key, C::take_value((at.1)(self.0)));
    }
}

/// The dict form of `r`, moving what it owns into the map.
#[inline]
pub fn into_map<R: Record>(mut r: R) -> Map {
    take_map(&mut r)
}

/// The dict form of `r`, taking what it owns out of it into the map: what
/// is left in `r` is only for dropping.
#[inline]
pub(crate) fn take_map<R: Record>(r: &mut R) -> Map {
    if R::MARSHAL_SET {
        return to_map(r);
    }
    let mut m = Map::with_capacity(R::MASKS.data.count_ones() as usize + r.rest().map_or(0, Map::len));
    each_field!(R, |i| if R::MASKS.data & (1 << i) != 0 {
        R::field(Move(&mut *r, &mut m, i), i);
    });
    if let Some(rest) = r.rest_mut() {
        for (k, v) in std::mem::take(rest) {
            m.push_unique(k, v);
        }
    }
    m
}

// ---------------------------------------------------------------- the rest

/// The callback field a visit lands on.
struct CallbackAt<'a, R>(&'a mut R);

impl<'a, R> Visit<R> for CallbackAt<'a, R> {
    type Out = Option<&'a mut Option<Callback>>;
    fn opt<C: Codec + ?Sized>(self, _: At<R, Option<C::Out>>) -> Self::Out {
        None
    }
    fn val<C: Codec + ?Sized>(self, _: At<R, C::Out>) -> Self::Out {
        None
    }
    fn callback(self, at: At<R, Option<Callback>>) -> Self::Out {
        Some((at.1)(self.0))
    }
}

/// The callback field of `r` called `name`.
pub fn callback_mut<'a, R: Record>(r: &'a mut R, name: &str) -> Option<&'a mut Option<Callback>> {
    let i = R::FIELDS.iter().position(|f| f.key == name && matches!(f.kind, Kind::Callback))?;
    R::field(CallbackAt(r), i)
}

/// Writes a field's `message_attr` entry.
struct AttrOf<'a, R>(&'a R, &'a mut Map, usize);

impl<R: Record> Visit<R> for AttrOf<'_, R> {
    type Out = ();
    fn opt<C: Codec + ?Sized>(self, at: At<R, Option<C::Out>>) {
        if let Some(x) = (at.0)(self.0) {
            self.put::<C>(x);
        }
    }
    fn val<C: Codec + ?Sized>(self, at: At<R, C::Out>) {
        let x = (at.0)(self.0);
        self.put::<C>(x);
    }
}

impl<R: Record> AttrOf<'_, R> {
    fn put<C: Codec + ?Sized>(self, x: &C::Out) {
        if let Some(a) = &R::FIELDS[self.2].attr {
            self.1.push_unique(a.key, a.value.map_or_else(|| C::to_value(x), |v| v()));
        }
    }
}

/// The options dict sent in the WAMP message: each field with a
/// `message_attr` entry, when set, under its key.
#[inline]
pub fn message_attr<R: Record>(r: &R) -> Value {
    let mut m = Map::new();
    each_field!(R, |i| if R::MASKS.attrs & (1 << i) != 0 {
        R::field(AttrOf(r, &mut m, i), i);
    });
    Value::Map(m)
}
