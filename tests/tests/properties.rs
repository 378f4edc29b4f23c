//! Property tests for every generated type. The strategies are built from
//! each type's shape (`HasShape::shape()`, built from the schema's field tables), never
//! from per-type code:
//!
//! - any value given to `parse` gives a value or an error, never a panic;
//!   decoding the same value from JSON, MessagePack and CBOR agrees with it;
//! - a valid instance (a dict generated from the shape, then parsed)
//!   satisfies `parse(marshal(x)) == x` and `decode(encode(x)) == x` in
//!   every format.
//!
//! The WAMP messages have no shapes of their own: their strategies are built
//! from the schema's model of each message (`codegen::load_model`: the
//! positions, their kinds and URI rules, the payload) and the shapes of their
//! option and detail dicts (`shape_named`), and from the `message` vectors,
//! mutated:
//!
//! - a message generated valid that `Message::parse` accepts survives
//!   `parse(marshal(m))`, every format, its struct, and serde writes exactly
//!   `marshal()`; most generated messages are accepted;
//! - any list or value given to `Message::parse` gives a message or an error,
//!   never a panic, and decoding its bytes straight into `Message` (and the
//!   struct) agrees with decoding a `Value` and `parse`, error text included;
//! - arbitrary bytes, and encodings cut short or with a byte changed, decode
//!   into `Message` or are refused, never a panic, as the `Value` path does.
//!
//! Case counts are kept small for `cargo test`; a longer run:
//! `PROPTEST_CASES=10000 cargo test -p wamp-tests --release --test properties`.

use codegen::ir::{Message as Layout, Model, Position, Ty, UriRule};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use wamp_tests::Format;
use wamp_tests::messages::{direct_agrees_with_value_path, round_trips};
use wamp_types::runtime::shape::{Field, HasShape, Kind, Presence, Shape};
use wamp_types::runtime::{Truthy, UnknownKeys};
use wamp_types::{Map, Message, TYPE_NAMES, TypeVisitor, Value, WampType, shape_named, visit_type};

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
        Presence::NotNull | Presence::Default { nullable: false } => prop_oneof![1 => absent, 3 => value].boxed(),
        Presence::Optional | Presence::Default { nullable: true } => prop_oneof![1 => absent, 1 => null, 3 => value].boxed(),
    }
}

/// A dict the type accepts: required keys present, `null` only where it
/// may stand, bounds, conflicts and requirements respected, unknown keys
/// only where the type skips or keeps them, a field set where it needs one.
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
            let set = |m: &Map, key: &str| m.get(key).is_some_and(|v| !v.is_null());
            for f in shape.fields.iter() {
                if f.conflicts_with.is_some_and(|other| set(&m, other)) {
                    m.remove(f.key);
                }
                if f.requires.is_some_and(|other| !set(&m, other)) && m.get(f.key).is_some_and(Truthy::truthy) {
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
        .prop_filter("a field set where the type needs one", move |d| {
            !shape.non_empty || shape.fields.iter().any(|f| d.get(f.key).is_some_and(|v| !v.is_null()))
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
    fn visit<T: WampType + HasShape>(self) {
        run(hostile(T::shape()), T::NAME, |v| {
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
    fn visit<T: WampType + HasShape>(self) {
        run(dict(T::shape(), 0), T::NAME, |d| {
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
        fn visit<T: WampType + HasShape>(self) -> Self::Output {
            (T::NAME, T::shape().name)
        }
    }
    for name in TYPE_NAMES {
        assert_eq!(visit_type(name, Named), Some((*name, *name)));
    }
}

// ---- Messages ----

/// The schema's model of the messages, for the life of the test.
fn schema() -> &'static Model {
    static MODEL: std::sync::OnceLock<Model> = std::sync::OnceLock::new();
    MODEL.get_or_init(|| {
        let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../schema");
        codegen::load_model(&root).unwrap_or_else(|e| panic!("the schema does not load: {e:?}"))
    })
}

fn layouts(model: &'static Model) -> Vec<&'static Layout> {
    let all: Vec<_> = model.modules.iter().flat_map(|m| &m.messages).collect();
    assert_eq!(all.len(), 25, "the 25 WAMP messages");
    all
}

/// A URI under a rule: components of a few characters, which `wildcard`
/// may leave empty and `prefix` may end with an empty one.
fn uri(rule: UriRule) -> Strat {
    let part = "[a-z0-9_!~$\\-]{1,6}|\u{e4}\u{4e2d}";
    let exact = vec(part, 1..4).prop_map(|p| p.join("."));
    let prefix =
        (vec(part, 0..3), any::<bool>()).prop_map(|(p, dot)| if dot && !p.is_empty() { format!("{}.", p.join(".")) } else { p.join(".") });
    let wildcard = vec("[a-z0-9_]{0,4}", 1..4).prop_map(|p| p.join("."));
    let s = match rule {
        UriRule::Exact => exact.boxed(),
        UriRule::Prefix => prefix.boxed(),
        UriRule::Wildcard => wildcard.boxed(),
        UriRule::Match { .. } => prop_oneof![3 => exact, 1 => prefix, 1 => wildcard].boxed(),
    };
    s.prop_map(Value::Str).boxed()
}

/// A value for one position, valid for its kind.
fn position(p: &'static Position) -> Strat {
    let v = match &p.ty {
        // 0 often: UNSUBSCRIBED and UNREGISTERED take their details only with request 0.
        Ty::Id => prop_oneof![1 => Just(Value::Int(0)), 3 => kind_value(&Kind::Id, None, 0)].boxed(),
        Ty::UInt(_) if !p.one_of.is_empty() => select(p.one_of.clone()).prop_map(|x| Value::Int(x.into())).boxed(),
        Ty::UInt(bound) => int_gt(Some(*bound as f64)).prop_map(Value::Int).boxed(),
        Ty::Int => int_gt(None).prop_map(Value::Int).boxed(),
        Ty::Str => text().prop_map(Value::Str).boxed(),
        Ty::Uri => uri(p.uri_rule),
        Ty::MapAny => kind_value(&Kind::Map, None, 0),
        Ty::Record(name) => dict(shape_named(name).unwrap_or_else(|| panic!("no shape for the message dict {name}")), 0),
        other => panic!("position {} of kind {other:?}: teach the property tests about it", p.name),
    };
    if p.nullable { prop_oneof![1 => Just(Value::Null), 4 => v].boxed() } else { v }
}

/// The elements after a message's positions, and the `enc_*` keys its dict
/// then holds.
type Tail = (Vec<Value>, Vec<(&'static str, Value)>);

/// The tail of a message that carries a payload: nothing, arguments,
/// keyword arguments, or an encoded payload.
fn tail(args_nullable: bool) -> BoxedStrategy<Tail> {
    let args = vec(any_value(), 0..4).prop_map(Value::List);
    let args_or_null = if args_nullable { prop_oneof![3 => args.clone(), 1 => Just(Value::Null)].boxed() } else { args.clone().boxed() };
    let kwargs = vec((text(), any_value()), 0..4).prop_map(to_map);
    let algo = select(vec!["cryptobox", "mqtt", "xbr", "x_my_algo"]);
    let serializer = proptest::option::of(select(vec!["json", "msgpack", "cbor", "ubjson", "flatbuffers", "x_ser"]));
    let encoded = (vec(any::<u8>(), 0..16), algo, proptest::option::of("[a-z0-9]{0,8}"), serializer).prop_map(|(b, algo, key, ser)| {
        let mut enc = vec![("enc_algo", Value::from(algo))];
        enc.extend(key.map(|k| ("enc_key", Value::from(k))));
        enc.extend(ser.map(|s| ("enc_serializer", Value::from(s))));
        (vec![Value::Bytes(b)], enc)
    });
    prop_oneof![
        1 => Just((Vec::new(), Vec::new())),
        2 => args.prop_map(|a| (vec![a], Vec::new())),
        2 => (args_or_null, kwargs).prop_map(|(a, k)| (vec![a, k], Vec::new())),
        1 => encoded,
    ]
    .boxed()
}

/// A message list built from the schema's layout: valid positions, then
/// (with a payload) a tail, with the layout's checks between positions
/// applied (see [`apply_checks`]), so that `parse` accepts it.
fn message(m: &'static Layout) -> Strat {
    let positions: Vec<BoxedStrategy<Option<Value>>> = m
        .positions
        .iter()
        .map(|p| if p.optional { proptest::option::weighted(0.7, position(p)).boxed() } else { position(p).prop_map(Some).boxed() })
        .collect();
    let code = Value::Int(m.code.into());
    let payload = m.payload.as_ref().map(|t| (t.dict, t.args_nullable));
    assert!(payload.is_none() || m.positions.iter().all(|p| !p.optional), "{}: optional positions before a payload", m.name);
    let tail = match payload {
        Some((_, nullable)) => tail(nullable),
        None => Just((Vec::new(), Vec::new())).boxed(),
    };
    (positions, tail)
        .prop_map(move |(values, (tail, enc))| {
            let mut list = vec![code.clone()];
            list.extend(values.into_iter().map_while(|v| v));
            if let Some((dict, _)) = payload {
                if let Some(Value::Map(d)) = list.get_mut(1 + dict) {
                    for (k, v) in enc {
                        d.insert(k, v);
                    }
                }
                list.extend(tail);
            }
            apply_checks(m, &mut list);
            Value::List(list)
        })
        .boxed()
}

/// Makes `list` keep the layout's rules between positions. While a
/// check's field is set (not `null`), its `zero` position becomes 0 and its
/// `nonzero` position or field, when 0, becomes 1. A URI whose rule follows
/// a `match` option and that only a prefix or wildcard rule takes gets
/// that option.
fn apply_checks(m: &Layout, list: &mut [Value]) {
    let model = schema();
    let key = |at: codegen::ir::FieldAt| model.field(at).wire_key.as_str();
    for (i, p) in m.positions.iter().enumerate() {
        let (UriRule::Match(at), Some(Value::Str(uri))) = (p.uri_rule, list.get(1 + i)) else { continue };
        let parts: Vec<&str> = uri.split('.').collect();
        let (last, rest) = parts.split_last().expect("split gives one part at least");
        let needs = match (rest.iter().any(|c| c.is_empty()), last.is_empty()) {
            (false, false) => continue,
            (false, true) if !rest.is_empty() => "prefix",
            _ => "wildcard",
        };
        if let Some(Value::Map(d)) = list.get_mut(1 + at.position) {
            let now = d.get(key(at)).and_then(Value::as_str);
            if now != Some(needs) && !(needs == "prefix" && now == Some("wildcard")) {
                d.insert(key(at), Value::from(needs));
            }
        }
    }
    for c in &m.checks {
        let set = matches!(list.get(1 + c.when.position), Some(Value::Map(d)) if d.get(key(c.when)).is_some_and(|v| !v.is_null()));
        if !set {
            continue;
        }
        if let Some(p) = c.zero {
            list[1 + p] = Value::Int(0);
        }
        let target = match c.nonzero {
            Some((p, None)) => list.get_mut(1 + p),
            Some((p, Some(f))) => match list.get_mut(1 + p) {
                Some(Value::Map(d)) => d.get_mut(key(f)),
                _ => None,
            },
            None => None,
        };
        if let Some(v) = target.filter(|v| **v == Value::Int(0)) {
            *v = Value::Int(1);
        }
    }
}

/// The inputs of the `message` vectors, accepted and refused.
fn vector_inputs() -> Vec<Value> {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("vectors/autobahn-26.10.2-messages.jsonl");
    let vectors = wamp_tests::load(&std::fs::read_to_string(path).expect("vectors")).expect("vectors");
    vectors.iter().map(|v| wamp_tests::from_json(&v.input).expect("input")).collect()
}

/// One change to a message: an element replaced, removed or added, the
/// code swapped for another message's, or a key of a dict set to anything.
fn mutate(base: Strat, codes: Vec<i64>) -> Strat {
    (base, 0..5u8, any::<proptest::sample::Index>(), any_value(), select(codes), prop_oneof![text(), "[a-z_]{1,16}"])
        .prop_map(|(mut v, how, at, new, code, key)| {
            if let Value::List(items) = &mut v
                && !items.is_empty()
            {
                let i = at.index(items.len());
                match how {
                    0 => items[i] = new,
                    1 => {
                        items.remove(i);
                    }
                    2 => items.push(new),
                    3 => items[0] = Value::Int(code.into()),
                    _ => {
                        let dicts: Vec<usize> = (0..items.len()).filter(|&j| matches!(items[j], Value::Map(_))).collect();
                        if let Some(&j) = dicts.get(at.index(dicts.len().max(1)) % dicts.len().max(1))
                            && let Value::Map(d) = &mut items[j]
                        {
                            let key = d.keys().nth(at.index(d.len().max(1)) % d.len().max(1)).map(str::to_owned).unwrap_or(key);
                            d.insert(key, new);
                        }
                    }
                }
            }
            v
        })
        .boxed()
}

/// Anything `Message::parse` may be given: valid messages, mutated ones,
/// mutated vector inputs, lists that start with a known code, any value.
fn any_message(m: &'static Layout, codes: &[i64], inputs: &[Value]) -> Strat {
    let own: Vec<Value> = inputs.iter().filter(|v| v.as_list().and_then(|l| l.first()).is_some_and(|c| *c == m.code)).cloned().collect();
    let vectors = if own.is_empty() { message(m) } else { select(own).boxed() };
    let code = Value::Int(m.code.into());
    let list = vec(any_value(), 0..7).prop_map(move |mut l| {
        l.insert(0, code.clone());
        Value::List(l)
    });
    prop_oneof![
        2 => mutate(message(m), codes.to_vec()),
        2 => mutate(vectors.clone(), codes.to_vec()),
        1 => vectors,
        1 => message(m),
        1 => list,
        1 => any_value(),
    ]
    .boxed()
}

#[test]
fn valid_messages_round_trip() {
    for m in layouts(schema()) {
        // The generator makes valid messages only: every one is accepted.
        run(message(m), &m.name, |v| {
            for format in Format::ALL {
                let bytes = format.encode(&v).map_err(|e| fail("encode", e))?;
                direct_agrees_with_value_path(format, &bytes, Some(&m.name)).map_err(|e| fail(format.name(), e))?;
            }
            let parsed = Message::parse(&v).map_err(|e| fail("parse", e))?;
            prop_assert_eq!(parsed.code(), m.code as u64);
            round_trips(&parsed).map_err(|e| fail("round trip", e))?;
            Ok(())
        });
    }
}

#[test]
fn any_value_given_to_message_parse_agrees_with_decoding_and_never_panics() {
    let model = schema();
    let codes: Vec<i64> = layouts(model).iter().map(|m| m.code).chain([0, 7, 9999]).collect();
    let inputs = vector_inputs();
    for m in layouts(model) {
        run(any_message(m, &codes, &inputs), &m.name, |v| {
            let parsed = Message::parse(&v);
            for format in Format::ALL {
                let bytes = format.encode(&v).map_err(|e| fail("encode", e))?;
                direct_agrees_with_value_path(format, &bytes, Some(&m.name)).map_err(|e| fail(format.name(), e))?;
            }
            if let Ok(parsed) = parsed {
                round_trips(&parsed).map_err(|e| fail("round trip", e))?;
            }
            Ok(())
        });
    }
}

#[test]
fn arbitrary_and_damaged_bytes_decode_or_are_refused_as_the_value_path_does() {
    let valid: Strat = proptest::strategy::Union::new(layouts(schema()).into_iter().map(message)).boxed();
    let formats = select(Format::ALL.to_vec());
    let damaged =
        (valid, formats.clone(), any::<proptest::sample::Index>(), any::<u8>(), any::<bool>()).prop_map(|(v, format, at, byte, cut)| {
            let mut bytes = format.encode(&v).expect("encodes");
            let i = at.index(bytes.len());
            if cut {
                bytes.truncate(i);
            } else {
                bytes[i] = byte;
            }
            (format, bytes)
        });
    let random = (formats, vec(any::<u8>(), 0..48));
    let mut runner = TestRunner::new(config());
    let result = runner.run(&prop_oneof![3 => damaged, 1 => random], |(format, bytes)| {
        direct_agrees_with_value_path(format, &bytes, None).map_err(|e| fail(&format!("{} {}", format.name(), hex(&bytes)), e))
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
