//! Property tests for every generated type. The strategies are built from
//! each type's shape (`HasShape::SHAPE`, emitted from the schema), never
//! from per-type code:
//!
//! - any value given to `parse` gives a value or an error, never a panic;
//!   decoding the same value from JSON, MessagePack and CBOR agrees with it;
//! - a valid instance (a dict generated from the shape, then parsed)
//!   satisfies `parse(marshal(x)) == x` and `decode(encode(x)) == x` in
//!   every format.
//!
//! Case counts are kept small for `cargo test`; a longer run:
//! `PROPTEST_CASES=10000 cargo test -p wamp-tests --release --test properties`.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use wamp_tests::Format;
use wamp_types::runtime::UnknownKeys;
use wamp_types::runtime::shape::{Field, Kind, Presence, Shape};
use wamp_types::{Map, TYPE_NAMES, TypeVisitor, Value, WampType, visit_type};

/// Cases per type and property when `PROPTEST_CASES` is not set.
const DEFAULT_CASES: u32 = 128;

type Strat = BoxedStrategy<Value>;

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(DEFAULT_CASES);
    Config { cases, failure_persistence: None, ..Config::default() }
}

/// Text without a leading NUL (in WAMP JSON, such a string carries bytes).
fn text() -> impl Strategy<Value = String> {
    prop_oneof!["[a-z_]{0,6}", any::<String>()]
}

/// Finite floats only: NaN is not equal to itself.
fn float() -> impl Strategy<Value = f64> {
    use proptest::num::f64::{NEGATIVE, NORMAL, POSITIVE, SUBNORMAL, ZERO};
    prop_oneof![(-1000i32..1000).prop_map(f64::from), POSITIVE | NEGATIVE | NORMAL | SUBNORMAL | ZERO]
}

/// Integers over the whole range the formats carry, `-2^63` to `2^64 - 1`,
/// with small ones and the edges often.
fn int_gt(gt: Option<f64>) -> BoxedStrategy<i128> {
    let (min, max) = (Value::INT_MIN, Value::INT_MAX);
    match gt {
        None => prop_oneof![
            3 => -1000i128..1000,
            2 => any::<i64>().prop_map(i128::from),
            2 => any::<u64>().prop_map(i128::from),
            1 => select(vec![min, min + 1, -1, 0, i128::from(i64::MAX), i128::from(i64::MAX) + 1, max - 1, max]),
        ]
        .boxed(),
        Some(b) => {
            let low = b.floor() as i128 + 1;
            prop_oneof![low..low + 1000, low..=max, Just(max)].boxed()
        }
    }
}

fn float_gt(gt: Option<f64>) -> BoxedStrategy<f64> {
    match gt {
        None => float().boxed(),
        Some(b) => prop_oneof![(b + 1e-3)..(b + 1e6), float().prop_filter("above the bound", move |x| *x > b)].boxed(),
    }
}

/// Any value, a few levels deep.
fn any_value() -> Strat {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        int_gt(None).prop_map(Value::Int),
        float().prop_map(Value::Float),
        text().prop_map(Value::Str),
        vec(any::<u8>(), 0..8).prop_map(Value::Bytes),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![vec(inner.clone(), 0..4).prop_map(Value::List), vec((text(), inner), 0..4).prop_map(to_map)]
    })
    .boxed()
}

fn to_map(entries: Vec<(String, Value)>) -> Value {
    Value::Map(entries.into_iter().collect())
}

/// A non-null value of `kind`, within the bound `gt`.
fn kind_value(kind: &Kind, gt: Option<f64>, depth: u32) -> Strat {
    match *kind {
        Kind::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
        Kind::Flag => prop_oneof![
            any::<bool>().prop_map(Value::Bool),
            (0..=1i128).prop_map(Value::Int),
            prop_oneof![Just(0.0), Just(1.0)].prop_map(Value::Float)
        ]
        .boxed(),
        Kind::Int => int_gt(gt).prop_map(Value::Int).boxed(),
        Kind::Float => float_gt(gt).prop_map(Value::Float).boxed(),
        Kind::Number => prop_oneof![int_gt(gt).prop_map(Value::Int), float_gt(gt).prop_map(Value::Float)].boxed(),
        Kind::Str => text().prop_map(Value::Str).boxed(),
        Kind::Uri => vec("[a-z0-9_]{1,6}", 1..4).prop_map(|parts| Value::Str(parts.join("."))).boxed(),
        Kind::Id => (0..=(1i128 << 53)).prop_map(Value::Int).boxed(),
        Kind::Bytes => vec(any::<u8>(), 0..16).prop_map(Value::Bytes).boxed(),
        Kind::Hex(n) => (vec(any::<u8>(), n), any::<bool>())
            .prop_map(|(bytes, upper)| {
                let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
                Value::Str(if upper { hex.to_uppercase() } else { hex })
            })
            .boxed(),
        Kind::Any => any_value().prop_filter("not null", |v| !v.is_null()).boxed(),
        Kind::Map => vec((text(), any_value()), 0..4).prop_map(to_map).boxed(),
        Kind::Callback | Kind::Handle => Just(Value::Null).boxed(),
        Kind::List(_) if depth > 4 => Just(Value::List(Vec::new())).boxed(),
        Kind::List(k) => vec(element(k, depth + 1), 0..4).prop_map(Value::List).boxed(),
        Kind::OneOrList(k) => {
            prop_oneof![kind_value(k, None, depth + 1), vec(kind_value(k, None, depth + 1), 0..4).prop_map(Value::List)].boxed()
        }
        Kind::MapOf(e, v) => vec((select(e.wires), kind_value(v, None, depth + 1)), 0..=e.wires.len())
            .prop_map(|entries| Value::Map(entries.into_iter().collect()))
            .boxed(),
        Kind::Record(shape) => dict(shape(), depth + 1),
        Kind::Enum(e) => select(e.wires).prop_map(Value::from).boxed(),
    }
}

/// An element of a list: `any` lists may hold `null`.
fn element(kind: &Kind, depth: u32) -> Strat {
    match kind {
        Kind::Any => any_value(),
        _ => kind_value(kind, None, depth),
    }
}

/// What a field's key holds in a valid dict: `None` when absent.
fn entry(f: &Field, depth: u32) -> BoxedStrategy<Option<Value>> {
    let value = kind_value(&f.kind, f.gt, depth).prop_map(Some);
    let absent = Just(None);
    let null = Just(Some(Value::Null));
    match f.presence {
        Presence::Required => value.boxed(),
        Presence::RequiredKey => prop_oneof![1 => null, 3 => value].boxed(),
        Presence::Default { nullable: false } => prop_oneof![1 => absent, 3 => value].boxed(),
        Presence::Optional | Presence::Default { nullable: true } => prop_oneof![1 => absent, 1 => null, 3 => value].boxed(),
    }
}

/// A dict the type accepts: required keys present, bounds and conflicts
/// respected, unknown keys only where the type skips or keeps them.
fn dict(shape: &'static Shape, depth: u32) -> Strat {
    if shape.one_key {
        let answers = shape.fields.iter().map(|f| kind_value(&f.kind, None, depth).prop_map(move |v| one(f.key, v)).boxed());
        return proptest::strategy::Union::new(answers).boxed();
    }
    let entries: Vec<_> = shape.fields.iter().map(|f| entry(f, depth)).collect();
    let extra = match shape.unknown {
        UnknownKeys::Refuse => Just(Vec::new()).boxed(),
        UnknownKeys::Ignore | UnknownKeys::Keep => vec((text(), any_value()), 0..3).boxed(),
        UnknownKeys::Custom => vec(("x_[a-z][a-z0-9_]{1,6}", any_value()), 0..3).boxed(),
    };
    (entries, extra)
        .prop_map(move |(values, extra)| {
            let mut m = Map::new();
            for (f, v) in shape.fields.iter().zip(values) {
                if let Some(v) = v {
                    m.insert(f.key, v);
                }
            }
            for f in shape.fields {
                if f.conflicts_with.is_some_and(|other| m.get(other).is_some_and(|v| !v.is_null())) {
                    m.remove(f.key);
                }
            }
            for (k, v) in extra {
                if shape.field(&k).is_none() {
                    m.insert(k, v);
                }
            }
            Value::Map(m)
        })
        .boxed()
}

fn one(key: &'static str, v: Value) -> Value {
    Value::Map([(key, v)].into_iter().collect())
}

/// Values a type may well refuse: anything at all, maps of its keys with
/// values of any kind, and valid dicts with one key replaced or removed.
fn hostile(shape: &'static Shape) -> Strat {
    let keys: Vec<&'static str> = shape.fields.iter().map(|f| f.key).collect();
    let key = prop_oneof![3 => select(keys.clone()).prop_map(String::from), 1 => text()];
    let changed = (dict(shape, 0), select(keys), prop_oneof![any_value().prop_map(Some), Just(None)]);
    let changed = changed.prop_map(|(mut d, k, v)| {
        if let Value::Map(m) = &mut d {
            match v {
                Some(v) => m.insert(k, v),
                None => m.remove(k),
            };
        }
        d
    });
    prop_oneof![1 => any_value(), 1 => vec((key, any_value()), 0..6).prop_map(to_map), 2 => changed, 1 => dict(shape, 0)].boxed()
}

fn run(strategy: Strat, name: &str, test: impl Fn(Value) -> Result<(), TestCaseError>) {
    let mut runner = TestRunner::new(config());
    if let Err(e) = runner.run(&strategy, test) {
        panic!("{name}: {e}");
    }
}

fn fail(what: &str, e: impl std::fmt::Display) -> TestCaseError {
    TestCaseError::fail(format!("{what}: {e}"))
}

/// `parse` never panics, and decoding the value's bytes agrees with it.
struct ParseNeverPanics;

impl TypeVisitor for ParseNeverPanics {
    type Output = ();
    fn visit<T: WampType>(self) {
        run(hostile(T::SHAPE), T::NAME, |v| {
            let parsed = T::parse(&v).ok();
            for format in Format::ALL {
                let bytes = format.encode(&v).map_err(|e| fail("encode", e))?;
                let decoded = format.decode::<T>(&bytes).ok();
                prop_assert_eq!(&decoded, &parsed, "{} decode disagrees with parse", format.name());
            }
            Ok(())
        });
    }
}

/// A valid instance survives `parse(marshal(x))` and every format.
struct RoundTrips;

impl TypeVisitor for RoundTrips {
    type Output = ();
    fn visit<T: WampType>(self) {
        run(dict(T::SHAPE, 0), T::NAME, |d| {
            let x = T::parse(&d).map_err(|e| fail("a valid dict was refused", e))?;
            let again = T::parse(&x.marshal()).map_err(|e| fail("parse(marshal(x))", e))?;
            prop_assert_eq!(&again, &x, "parse(marshal(x)) differs");
            for format in Format::ALL {
                let bytes = format.encode(&x).map_err(|e| fail("encode", e))?;
                let back = format.decode::<T>(&bytes).map_err(|e| fail(format.name(), e))?;
                prop_assert_eq!(&back, &x, "{}: decode(encode(x)) differs", format.name());
            }
            Ok(())
        });
    }
}

#[test]
fn parse_never_panics_and_agrees_with_decode() {
    for name in TYPE_NAMES {
        visit_type(name, ParseNeverPanics).expect("a known type");
    }
}

#[test]
fn valid_instances_round_trip() {
    for name in TYPE_NAMES {
        visit_type(name, RoundTrips).expect("a known type");
    }
}

#[test]
fn every_type_has_a_shape_that_names_it() {
    struct Named;
    impl TypeVisitor for Named {
        type Output = (&'static str, &'static str);
        fn visit<T: WampType>(self) -> Self::Output {
            (T::NAME, T::SHAPE.name)
        }
    }
    for name in TYPE_NAMES {
        assert_eq!(visit_type(name, Named), Some((*name, *name)));
    }
}
