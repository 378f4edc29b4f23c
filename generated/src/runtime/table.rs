//! The field table of a record: one entry per field, in schema order,
//! saying where the field lives, its wire key and codec, its presence rule
//! and checks, and its `message_attr` entry.
//!
//! Generated code writes each record's table once, in
//! [`Record::fields`](super::record::Record::fields); every operation on a
//! record (finding a key, filling a field, presence rules and checks,
//! writing the dict form, moving it out, the shape, the callbacks,
//! `message_attr`) is a [`Fields`] visitor here that walks that table.
//! After inlining, a walk is straight-line code per field, as hand-written
//! code per field would be.

use std::marker::PhantomData;

use serde::de::MapAccess;

use super::codec::{Codec, Seed};
use super::error::{Error, Path};
use super::handle::{Callback, Handle};
use super::record::{Attrs, Record, Writer};
use super::shape::{self, Kind, Presence};
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

/// A record's `message_attr` entry for a field.
enum Attr {
    /// The field is not sent.
    No,
    /// The field's value is sent under this key when it is set.
    Key(&'static str),
    /// This fixed value is sent under this key when the field is set.
    Value(&'static str, fn() -> Value),
}

/// The check of a number field that must be greater than a bound.
struct Gt<T> {
    bound: f64,
    as_f64: fn(&T) -> f64,
}

/// A field another one depends on: its wire key and whether it is set.
struct Other<R> {
    key: &'static str,
    is_set: fn(&R) -> bool,
}

/// A field held as an `Option` (optional, `null`-refusing or required-key).
pub struct Opt<R, C: Codec + ?Sized> {
    key: &'static str,
    at: At<R, Option<C::Out>>,
    /// [`Presence::Optional`], [`Presence::NotNull`] or [`Presence::RequiredKey`].
    presence: Presence,
    gt: Option<Gt<C::Out>>,
    conflicts_with: Option<Other<R>>,
    requires: Option<Other<R>>,
    truthy: bool,
    attr: Attr,
}

impl<R, T> At<R, Option<T>> {
    /// An optional field of codec `C` under `key`: absent or `null` leave
    /// it unset.
    pub fn opt<C: Codec<Out = T> + ?Sized>(self, key: &'static str) -> Opt<R, C> {
        Opt { key, at: self, presence: Presence::Optional, gt: None, conflicts_with: None, requires: None, truthy: false, attr: Attr::No }
    }
}

impl<R> At<R, Option<Callback>> {
    /// A callback field under `key`.
    pub fn callback(self, key: &'static str) -> Runtime<R, Callback> {
        Runtime { key, at: self, kind: Kind::Callback, attr: Attr::No }
    }
}

impl<R> At<R, Option<Handle>> {
    /// A handle field under `key`.
    pub fn handle(self, key: &'static str) -> Runtime<R, Handle> {
        Runtime { key, at: self, kind: Kind::Handle, attr: Attr::No }
    }
}

impl<R, T> At<R, T> {
    /// A required field of codec `C` under `key`.
    pub fn required<C: Codec<Out = T> + ?Sized>(self, key: &'static str) -> Val<R, C> {
        Val { key, at: self, presence: Presence::Required, default: None, gt: None, attr: Attr::No }
    }

    /// A field of codec `C` under `key` that `make` gives when it is
    /// absent (or `null`, when `nullable`).
    pub fn or_default<C: Codec<Out = T> + ?Sized>(self, key: &'static str, nullable: bool, make: fn() -> T) -> Val<R, C>
    where
        T: PartialEq,
    {
        let default = Some(DefaultValue { make, is: PartialEq::eq });
        Val { key, at: self, presence: Presence::Default { nullable }, default, gt: None, attr: Attr::No }
    }
}

impl<R, C: Codec + ?Sized> Opt<R, C> {
    /// `null` is refused (absent still leaves it unset).
    pub fn strict(self) -> Self {
        Opt { presence: Presence::NotNull, ..self }
    }

    /// The key must be present; `null` leaves the field unset.
    pub fn required_key(self) -> Self {
        Opt { presence: Presence::RequiredKey, ..self }
    }

    /// Must be unset while the field `key` is set.
    pub fn conflicts_with(self, key: &'static str, is_set: fn(&R) -> bool) -> Self {
        Opt { conflicts_with: Some(Other { key, is_set }), ..self }
    }

    /// Must be set while this field holds a truthy value.
    pub fn requires(self, key: &'static str, is_set: fn(&R) -> bool) -> Self {
        Opt { requires: Some(Other { key, is_set }), ..self }
    }

    /// Written only when truthy in Python's sense, and read as unset when
    /// it is not, so that `parse(marshal(x)) == x`.
    pub fn truthy(self) -> Self {
        Opt { truthy: true, ..self }
    }

    /// Sent by `message_attr` under `key` when set.
    pub fn attr(self, key: &'static str) -> Self {
        Opt { attr: Attr::Key(key), ..self }
    }

    /// Sends the fixed `value` under `key` in `message_attr` when set.
    pub fn attr_value(self, key: &'static str, value: fn() -> Value) -> Self {
        Opt { attr: Attr::Value(key, value), ..self }
    }
}

impl<R, C: Codec + ?Sized> Opt<R, C>
where
    C::Out: Bounded,
{
    /// Must be greater than `bound` when set.
    pub fn gt(self, bound: f64) -> Self {
        Opt { gt: Some(Gt { bound, as_f64: |x| x.as_f64() }), ..self }
    }
}

/// The default of a [`Val`] field: how to make it, and how to tell it.
struct DefaultValue<T> {
    make: fn() -> T,
    is: fn(&T, &T) -> bool,
}

/// A field held as a plain value (required, or with a default).
pub struct Val<R, C: Codec + ?Sized> {
    key: &'static str,
    at: At<R, C::Out>,
    /// [`Presence::Required`] or [`Presence::Default`].
    presence: Presence,
    /// The default, for [`Presence::Default`].
    default: Option<DefaultValue<C::Out>>,
    gt: Option<Gt<C::Out>>,
    attr: Attr,
}

impl<R, C: Codec + ?Sized> Val<R, C> {
    /// Sent by `message_attr` under `key`.
    pub fn attr(self, key: &'static str) -> Self {
        Val { attr: Attr::Key(key), ..self }
    }

    /// Sends the fixed `value` under `key` in `message_attr`.
    pub fn attr_value(self, key: &'static str, value: fn() -> Value) -> Self {
        Val { attr: Attr::Value(key, value), ..self }
    }
}

impl<R, C: Codec + ?Sized> Val<R, C>
where
    C::Out: Bounded,
{
    /// Must be greater than `bound`.
    pub fn gt(self, bound: f64) -> Self {
        Val { gt: Some(Gt { bound, as_f64: |x| x.as_f64() }), ..self }
    }
}

/// A field set in code, never carried as data (a callback or a handle):
/// only `null` is read for it, and it is not written.
pub struct Runtime<R, T> {
    key: &'static str,
    at: At<R, Option<T>>,
    kind: Kind,
    attr: Attr,
}

impl<R, T> Runtime<R, T> {
    /// Sends the fixed `value` under `key` in `message_attr` when set.
    pub fn attr_value(self, key: &'static str, value: fn() -> Value) -> Self {
        Runtime { attr: Attr::Value(key, value), ..self }
    }
}

/// A number a `gt` bound applies to.
pub trait Bounded {
    /// The number as a float, for the comparison.
    fn as_f64(&self) -> f64;
}

impl Bounded for i128 {
    fn as_f64(&self) -> f64 {
        *self as f64
    }
}

impl Bounded for u64 {
    fn as_f64(&self) -> f64 {
        *self as f64
    }
}

impl Bounded for f64 {
    fn as_f64(&self) -> f64 {
        *self
    }
}

impl Bounded for super::value::Number {
    fn as_f64(&self) -> f64 {
        super::value::Number::as_f64(*self)
    }
}

/// An operation on a record, run over its table entry by entry.
pub trait Fields<R> {
    /// Visits an `Option` field.
    fn opt<C: Codec + ?Sized>(&mut self, f: Opt<R, C>);
    /// Visits a plain-value field.
    fn val<C: Codec + ?Sized>(&mut self, f: Val<R, C>);
    /// Visits a field set in code (a callback or a handle).
    fn runtime<T>(&mut self, f: Runtime<R, T>);
    /// Visits a callback field: as any field set in code, unless the
    /// visitor looks for callbacks.
    #[inline(always)]
    fn callback(&mut self, f: Runtime<R, Callback>) {
        self.runtime(f)
    }

    /// Visits one entry of the table.
    #[inline(always)]
    fn field<E: Entry<R>>(&mut self, e: E)
    where
        Self: Sized,
    {
        e.visit(self);
    }
}

/// An entry of a record's table: [`Opt`], [`Val`] or [`Runtime`].
pub trait Entry<R> {
    /// Hands the entry to the visitor's method for its kind.
    fn visit<F: Fields<R>>(self, f: &mut F);
}

impl<R, C: Codec + ?Sized> Entry<R> for Opt<R, C> {
    #[inline(always)]
    fn visit<F: Fields<R>>(self, f: &mut F) {
        f.opt(self)
    }
}

impl<R, C: Codec + ?Sized> Entry<R> for Val<R, C> {
    #[inline(always)]
    fn visit<F: Fields<R>>(self, f: &mut F) {
        f.val(self)
    }
}

impl<R> Entry<R> for Runtime<R, Callback> {
    #[inline(always)]
    fn visit<F: Fields<R>>(self, f: &mut F) {
        f.callback(self)
    }
}

impl<R> Entry<R> for Runtime<R, Handle> {
    #[inline(always)]
    fn visit<F: Fields<R>>(self, f: &mut F) {
        f.runtime(self)
    }
}

/// What has been read of a record so far, next to the record itself
/// (which starts as [`Record::blank`]): which keys came, and which held
/// `null` (bit `i` for field `i`).
#[derive(Default)]
pub struct Read {
    pub(crate) seen: u64,
    nulls: u64,
}

// ---------------------------------------------------------------- keys

/// Finds the field number of a wire key.
struct FindKey<'k> {
    key: &'k str,
    n: usize,
    found: Option<usize>,
}

impl FindKey<'_> {
    #[inline(always)]
    fn check(&mut self, key: &'static str) {
        if self.found.is_none() && self.key == key {
            self.found = Some(self.n);
        }
        self.n += 1;
    }
}

impl<R> Fields<R> for FindKey<'_> {
    #[inline(always)]
    fn opt<C: Codec + ?Sized>(&mut self, f: Opt<R, C>) {
        self.check(f.key)
    }
    #[inline(always)]
    fn val<C: Codec + ?Sized>(&mut self, f: Val<R, C>) {
        self.check(f.key)
    }
    #[inline(always)]
    fn runtime<T>(&mut self, f: Runtime<R, T>) {
        self.check(f.key)
    }
}

/// The field number of `key`, if `R` has a field with that wire key.
#[inline]
pub fn key_index<R: Record>(key: &str) -> Option<usize> {
    let mut v = FindKey { key, n: 0, found: None };
    R::fields(&mut v);
    v.found
}

// ---------------------------------------------------------------- fill

/// Fills field number `want` with the next value of a serde map.
struct Fill<'a, 'p, 'de, R, A: MapAccess<'de>> {
    want: usize,
    n: usize,
    r: &'a mut R,
    read: &'a mut Read,
    map: Option<&'a mut A>,
    hr: bool,
    depth: u32,
    at: &'a Path<'p>,
    result: Result<(), A::Error>,
    de: PhantomData<&'de ()>,
}

impl<'de, R, A: MapAccess<'de>> Fill<'_, '_, 'de, R, A> {
    /// The map's next value read by codec `C`, when `self` is at the
    /// wanted field (`None` otherwise).
    #[inline(always)]
    fn take<C: Codec + ?Sized>(&mut self, key: &'static str) -> Option<Result<Option<C::Out>, A::Error>> {
        let n = self.n;
        self.n += 1;
        if n != self.want {
            return None;
        }
        let map = self.map.take()?;
        Some(map.next_value_seed(Seed::<C>::new(&self.at.field(key), self.hr, self.depth)))
    }
}

impl<'de, R, A: MapAccess<'de>> Fields<R> for Fill<'_, '_, 'de, R, A> {
    #[inline(always)]
    fn opt<C: Codec + ?Sized>(&mut self, f: Opt<R, C>) {
        match self.take::<C>(f.key) {
            Some(Ok(x)) => {
                if x.is_none() {
                    self.read.nulls |= 1 << self.want;
                }
                *(f.at.1)(self.r) = x;
            }
            Some(Err(e)) => self.result = Err(e),
            None => {}
        }
    }
    #[inline(always)]
    fn val<C: Codec + ?Sized>(&mut self, f: Val<R, C>) {
        match self.take::<C>(f.key) {
            Some(Ok(Some(x))) => *(f.at.1)(self.r) = x,
            Some(Ok(None)) => self.read.nulls |= 1 << self.want,
            Some(Err(e)) => self.result = Err(e),
            None => {}
        }
    }
    /// A field set in code: only `null` is read.
    #[inline(always)]
    fn runtime<T>(&mut self, f: Runtime<R, T>) {
        if let Some(Err(e)) = self.take::<super::codec::Unset>(f.key) {
            self.result = Err(e);
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
    let mut v = Fill { want: i, n: 0, r, read, map: Some(map), hr, depth, at, result: Ok(()), de: PhantomData };
    R::fields(&mut v);
    v.result
}

// ---------------------------------------------------------------- finish

/// The presence rules and the checks between values, in one walk in field
/// order. The error is the first broken presence rule, else the first
/// failed check (a bound, a conflict, a requirement), as autobahn checks
/// presence before values.
struct Finish<'a, 'p, R> {
    n: usize,
    seen: u64,
    nulls: u64,
    r: &'a mut R,
    at: &'a Path<'p>,
    presence: Option<Error>,
    check: Option<Error>,
}

impl<R> Finish<'_, '_, R> {
    /// Whether the next field's key came, and whether it held `null`.
    #[inline(always)]
    fn next(&mut self) -> (bool, bool) {
        let bit = 1 << self.n;
        self.n += 1;
        (self.seen & bit != 0, self.nulls & bit != 0)
    }

    /// Whether checks still run: no error yet.
    #[inline(always)]
    fn checking(&self) -> bool {
        self.presence.is_none() && self.check.is_none()
    }
}

#[cold]
#[inline(never)]
fn null_refused<C: Codec + ?Sized>(at: &Path<'_>, key: &'static str) -> Error {
    Error::new(&at.field(key), C::expected(), "null")
}

#[cold]
#[inline(never)]
fn missing<C: Codec + ?Sized>(at: &Path<'_>, key: &'static str, or_null: bool) -> Error {
    let expected = if or_null { format!("{} or null", C::expected()).into() } else { C::expected() };
    Error::new(&at.field(key), expected, "nothing (the key is required)")
}

#[cold]
#[inline(never)]
fn not_greater<C: Codec + ?Sized>(x: &C::Out, bound: f64, at: &Path<'_>, key: &'static str) -> Error {
    Error::new(&at.field(key), format!("a number greater than {bound}"), C::to_value(x).describe())
}

#[cold]
#[inline(never)]
fn conflict<C: Codec + ?Sized>(x: &C::Out, other: &'static str, at: &Path<'_>, key: &'static str) -> Error {
    Error::new(&at.field(key), format!("null while {other} is set"), C::to_value(x).describe())
}

#[cold]
#[inline(never)]
fn required_by(at: &Path<'_>, other: &'static str, key: &'static str) -> Error {
    Error::new(&at.field(other), format!("a value (required while {key} is set)"), "nothing")
}

/// Whether `x` passes the bound: NaN compares false, and is refused as
/// Python's `>` refuses it.
#[inline(always)]
fn greater<T>(gt: &Gt<T>, x: &T) -> bool {
    (gt.as_f64)(x).partial_cmp(&gt.bound) == Some(std::cmp::Ordering::Greater)
}

impl<R> Fields<R> for Finish<'_, '_, R> {
    #[inline(always)]
    fn opt<C: Codec + ?Sized>(&mut self, f: Opt<R, C>) {
        let (seen, null) = self.next();
        if self.presence.is_none() {
            match f.presence {
                Presence::NotNull if null => self.presence = Some(null_refused::<C>(self.at, f.key)),
                Presence::RequiredKey if !seen => self.presence = Some(missing::<C>(self.at, f.key, true)),
                _ => {}
            }
        }
        if !self.checking() {
            return;
        }
        let Some(x) = (f.at.0)(self.r) else { return };
        if let Some(gt) = &f.gt
            && !greater(gt, x)
        {
            self.check = Some(not_greater::<C>(x, gt.bound, self.at, f.key));
            return;
        }
        if let Some(other) = &f.conflicts_with
            && (other.is_set)(self.r)
        {
            self.check = Some(conflict::<C>(x, other.key, self.at, f.key));
            return;
        }
        if let Some(other) = &f.requires
            && !(other.is_set)(self.r)
            && super::bridge::Truthy::truthy(&C::to_value(x))
        {
            self.check = Some(required_by(self.at, other.key, f.key));
        }
    }
    #[inline(always)]
    fn val<C: Codec + ?Sized>(&mut self, f: Val<R, C>) {
        let (seen, null) = self.next();
        if self.presence.is_some() {
            return;
        }
        match (f.presence, &f.default) {
            (Presence::Required, _) if !seen => self.presence = Some(missing::<C>(self.at, f.key, false)),
            (Presence::Required | Presence::Default { nullable: false }, _) if null => self.presence = Some(null_refused::<C>(self.at, f.key)),
            (_, Some(d)) if !seen || null => *(f.at.1)(self.r) = (d.make)(),
            _ => {}
        }
        if let Some(gt) = &f.gt {
            let x = (f.at.0)(self.r);
            if self.checking() && !greater(gt, x) {
                self.check = Some(not_greater::<C>(x, gt.bound, self.at, f.key));
            }
        }
    }
    #[inline(always)]
    fn runtime<T>(&mut self, _: Runtime<R, T>) {
        self.n += 1;
    }
}

/// Whether every `Option` field is unset (for `non_empty` records).
struct AllUnset<'a, R> {
    r: &'a R,
    all: bool,
}

impl<R> Fields<R> for AllUnset<'_, R> {
    #[inline(always)]
    fn opt<C: Codec + ?Sized>(&mut self, f: Opt<R, C>) {
        self.all &= (f.at.0)(self.r).is_none();
    }
    #[inline(always)]
    fn val<C: Codec + ?Sized>(&mut self, _: Val<R, C>) {}
    #[inline(always)]
    fn runtime<T>(&mut self, f: Runtime<R, T>) {
        self.all &= (f.at.0)(self.r).is_none();
    }
}

/// Drops the value of a `truthy` field that is not truthy, as `marshal`
/// would leave it out.
struct Truthy<'a, R> {
    r: &'a mut R,
}

impl<R> Fields<R> for Truthy<'_, R> {
    #[inline(always)]
    fn opt<C: Codec + ?Sized>(&mut self, f: Opt<R, C>) {
        if f.truthy {
            let x = (f.at.1)(self.r);
            if x.as_ref().is_some_and(|x| !super::bridge::Truthy::truthy(&C::to_value(x))) {
                *x = None;
            }
        }
    }
    #[inline(always)]
    fn val<C: Codec + ?Sized>(&mut self, _: Val<R, C>) {}
    #[inline(always)]
    fn runtime<T>(&mut self, _: Runtime<R, T>) {}
}

/// Applies the presence rules, defaults and checks to the record `r`, of
/// which `read` was read; it is done when this returns `Ok`.
#[inline]
pub fn finish<R: Record>(r: &mut R, read: &Read, at: &Path<'_>) -> Result<(), Error> {
    let mut v = Finish { n: 0, seen: read.seen, nulls: read.nulls, r: &mut *r, at, presence: None, check: None };
    R::fields(&mut v);
    if let Some(e) = v.presence.or(v.check) {
        return Err(e);
    }
    if R::NON_EMPTY {
        let mut v = AllUnset { r: &*r, all: true };
        R::fields(&mut v);
        if v.all && r.rest().is_none_or(Map::is_empty) {
            return Err(Error::new(at, "a map that is not empty", "an empty map"));
        }
    }
    R::fields(&mut Truthy { r });
    Ok(())
}

// ---------------------------------------------------------------- write

/// Writes the dict form, field by field.
struct Write<'a, R, W: Writer> {
    r: &'a R,
    w: &'a mut W,
    result: Result<(), W::Error>,
}

impl<R: Record, W: Writer> Fields<R> for Write<'_, R, W> {
    #[inline(always)]
    fn opt<C: Codec + ?Sized>(&mut self, f: Opt<R, C>) {
        if self.result.is_ok() {
            let x = (f.at.0)(self.r);
            self.result = match (R::MARSHAL_SET, f.truthy) {
                (true, true) => self.w.truthy::<C>(f.key, x),
                (true, false) => self.w.set::<C>(f.key, x),
                (false, _) => self.w.opt::<C>(f.key, x),
            };
        }
    }
    #[inline(always)]
    fn val<C: Codec + ?Sized>(&mut self, f: Val<R, C>) {
        if self.result.is_ok() {
            let x = (f.at.0)(self.r);
            self.result = match &f.default {
                Some(d) if R::MARSHAL_SET && (d.is)(x, &(d.make)()) => Ok(()),
                _ => self.w.entry::<C>(f.key, x),
            };
        }
    }
    #[inline(always)]
    fn runtime<T>(&mut self, _: Runtime<R, T>) {}
}

/// Writes the dict form of `r` to `w`: the kept keys first for a message's
/// dict (autobahn updates its dict with them first), last for a type's.
#[inline]
pub fn write<R: Record, W: Writer>(r: &R, w: &mut W) -> Result<(), W::Error> {
    if R::MARSHAL_SET
        && let Some(rest) = r.rest()
    {
        w.rest(rest)?;
    }
    let mut v = Write { r, w: &mut *w, result: Ok(()) };
    R::fields(&mut v);
    v.result?;
    if !R::MARSHAL_SET
        && let Some(rest) = r.rest()
    {
        w.rest(rest)?;
    }
    Ok(())
}

/// Moves the fields of a type's dict form into a map.
struct Moves<'a, R> {
    r: &'a mut R,
    m: Map,
}

impl<R> Fields<R> for Moves<'_, R> {
    #[inline(always)]
    fn opt<C: Codec + ?Sized>(&mut self, f: Opt<R, C>) {
        let x = (f.at.1)(self.r).take();
        self.m.push_unique(f.key, x.map_or(Value::Null, C::into_value));
    }
    #[inline(always)]
    fn val<C: Codec + ?Sized>(&mut self, f: Val<R, C>) {
        self.m.push_unique(f.key, C::take_value((f.at.1)(self.r)));
    }
    #[inline(always)]
    fn runtime<T>(&mut self, _: Runtime<R, T>) {}
}

/// The dict form of `r`, moving what it owns into the map.
pub fn into_map<R: Record>(mut r: R) -> Map {
    if R::MARSHAL_SET {
        return to_map(&r);
    }
    let mut v = Moves { r: &mut r, m: Map::with_capacity(len::<R>()) };
    R::fields(&mut v);
    let mut m = v.m;
    if let Some(rest) = r.rest_mut() {
        for (k, v) in std::mem::take(rest) {
            m.push_unique(k, v);
        }
    }
    m
}

/// The dict form of `r`.
pub fn to_map<R: Record>(r: &R) -> Map {
    let mut m = Map::with_capacity(len::<R>());
    match write(r, &mut super::record::MapWriter(&mut m)) {
        Ok(()) => m,
        Err(never) => match never {},
    }
}

/// Counts the fields of a table.
struct Len(usize);

impl<R> Fields<R> for Len {
    #[inline(always)]
    fn opt<C: Codec + ?Sized>(&mut self, _: Opt<R, C>) {
        self.0 += 1;
    }
    #[inline(always)]
    fn val<C: Codec + ?Sized>(&mut self, _: Val<R, C>) {
        self.0 += 1;
    }
    #[inline(always)]
    fn runtime<T>(&mut self, _: Runtime<R, T>) {
        self.0 += 1;
    }
}

/// The number of fields of `R` (a constant once inlined).
#[inline(always)]
fn len<R: Record>() -> usize {
    let mut v = Len(0);
    R::fields(&mut v);
    v.0
}

// ---------------------------------------------------------------- the rest

/// Builds the shape of a record from its table.
struct Shapes<R> {
    fields: Vec<shape::Field>,
    record: PhantomData<fn() -> R>,
}

impl<R> Fields<R> for Shapes<R> {
    fn opt<C: Codec + ?Sized>(&mut self, f: Opt<R, C>) {
        self.fields.push(shape::Field {
            gt: f.gt.map(|g| g.bound),
            conflicts_with: f.conflicts_with.map(|o| o.key),
            requires: f.requires.map(|o| o.key),
            truthy: f.truthy,
            ..shape::Field::new(f.key, C::KIND, f.presence)
        });
    }
    fn val<C: Codec + ?Sized>(&mut self, f: Val<R, C>) {
        self.fields.push(shape::Field { gt: f.gt.map(|g| g.bound), ..shape::Field::new(f.key, C::KIND, f.presence) });
    }
    fn runtime<T>(&mut self, f: Runtime<R, T>) {
        self.fields.push(shape::Field::new(f.key, f.kind, Presence::Optional));
    }
}

/// The shape of a record, built from its table (once per type: see
/// `record_impls!`).
pub fn shape<R: Record>() -> shape::Shape {
    let mut v = Shapes { fields: Vec::new(), record: PhantomData };
    R::fields(&mut v);
    assert!(v.fields.len() <= 64, "{}: a record has at most 64 fields", R::NAME);
    shape::Shape { name: R::NAME, fields: v.fields.into(), unknown: R::UNKNOWN, one_key: false, non_empty: R::NON_EMPTY }
}

/// Finds the callback field called `name`.
struct CallbackMut<'a, 'n, R> {
    name: &'n str,
    r: Option<&'a mut R>,
    found: Option<&'a mut Option<Callback>>,
}

impl<'a, R> Fields<R> for CallbackMut<'a, '_, R> {
    fn opt<C: Codec + ?Sized>(&mut self, _: Opt<R, C>) {}
    fn val<C: Codec + ?Sized>(&mut self, _: Val<R, C>) {}
    fn callback(&mut self, f: Runtime<R, Callback>) {
        if f.key == self.name
            && let Some(r) = self.r.take()
        {
            self.found = Some((f.at.1)(r));
        }
    }
    fn runtime<T>(&mut self, _: Runtime<R, T>) {}
}

/// The callback field of `r` called `name`.
pub fn callback_mut<'a, R: Record>(r: &'a mut R, name: &str) -> Option<&'a mut Option<Callback>> {
    let mut v = CallbackMut { name, r: Some(r), found: None };
    R::fields(&mut v);
    v.found
}

/// Builds the `message_attr` dict.
struct MessageAttr<'a, R> {
    r: &'a R,
    m: Attrs,
}

impl<R> Fields<R> for MessageAttr<'_, R> {
    fn opt<C: Codec + ?Sized>(&mut self, f: Opt<R, C>) {
        let x = (f.at.0)(self.r);
        match f.attr {
            Attr::No => {}
            Attr::Key(k) => self.m.set::<C>(k, x),
            Attr::Value(k, v) => {
                if x.is_some() {
                    self.m.value(k, v());
                }
            }
        }
    }
    fn val<C: Codec + ?Sized>(&mut self, f: Val<R, C>) {
        match f.attr {
            Attr::No => {}
            Attr::Key(k) => self.m.entry::<C>(k, (f.at.0)(self.r)),
            Attr::Value(k, v) => self.m.value(k, v()),
        }
    }
    fn runtime<T>(&mut self, f: Runtime<R, T>) {
        if let Attr::Value(k, v) = f.attr
            && (f.at.0)(self.r).is_some()
        {
            self.m.value(k, v());
        }
    }
}

/// The options dict sent in the WAMP message: each field with a
/// `message_attr` entry, when set, under its key.
pub fn message_attr<R: Record>(r: &R) -> Value {
    let mut v = MessageAttr { r, m: Attrs::default() };
    R::fields(&mut v);
    Value::Map(v.m.into_map())
}

/// The wire key of field number `i`.
pub fn key<R: Record>(i: usize) -> &'static str {
    shape::shape_of::<R>().fields[i].key
}
