//! `to_value` and `from_value`: any serde type into a `Value` and back, as
//! with serde_json. Every type and message of the vectors, written with
//! `to_value`, gives its `marshal()` form and reads back as itself.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use wamp_tests::{Vector, from_json, read_with_callbacks};
use wamp_types::{Map, Message, TypeVisitor, Value, WampType, from_value, to_value, visit_type};

fn vectors(name: &str) -> Vec<Vector> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("vectors").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    wamp_tests::load(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// For a type's input: whether it parses, and if so, whether `to_value`
/// gives `marshal()`'s form and `from_value` reads that back as the value.
struct Written<'a>(&'a Value);

impl TypeVisitor for Written<'_> {
    type Output = Option<Result<(), String>>;
    fn visit<T: WampType>(self) -> Self::Output {
        let t = read_with_callbacks(self.0.clone(), T::parse).ok()?;
        let check = || {
            let written = to_value(&t).map_err(|e| format!("to_value: {e}"))?;
            if written != t.marshal() {
                return Err(format!("to_value {written:?}, marshal {:?}", t.marshal()));
            }
            let back: T = from_value(written).map_err(|e| format!("from_value: {e}"))?;
            if back.marshal() != t.marshal() {
                return Err(format!("read back as {:?}", back.marshal()));
            }
            Ok(())
        };
        Some(check())
    }
}

#[test]
fn every_type_writes_its_marshal_form_and_reads_back() {
    let all = vectors("autobahn-26.10.2.jsonl");
    let (mut written, mut failures) = (0, Vec::new());
    for v in all.iter().filter(|v| v.op == "parse") {
        let input = from_json(&v.input).expect("a vector's input");
        match visit_type(&v.type_name, Written(&input)).unwrap_or_else(|| panic!("{}: unknown type {}", v.id, v.type_name)) {
            Some(Ok(())) => written += 1,
            Some(Err(e)) => failures.push(format!("{} {}: {e}", v.id, v.type_name)),
            None => {}
        }
    }
    assert!(failures.is_empty(), "{} lines:\n{}", failures.len(), failures.join("\n"));
    assert!(written > 500, "only {written} types written");
}

#[test]
fn every_message_writes_its_marshal_form_and_reads_back() {
    let all = vectors("autobahn-26.10.2-messages.jsonl");
    let (mut written, mut failures) = (0, Vec::new());
    for v in &all {
        let input = from_json(&v.input).expect("a vector's input");
        let Ok(m) = Message::parse(&input) else { continue };
        written += 1;
        match to_value(&m) {
            Ok(w) if w == m.marshal() => match from_value::<Message>(w) {
                Ok(back) if back == m => {}
                other => failures.push(format!("{}: read back as {other:?}", v.id)),
            },
            other => failures.push(format!("{}: to_value {other:?}, marshal {:?}", v.id, m.marshal())),
        }
    }
    assert!(failures.is_empty(), "{} lines:\n{}", failures.len(), failures.join("\n"));
    assert!(written > 1000, "only {written} messages written");
}

#[test]
fn a_value_writes_as_itself() {
    // 128 lists deep, and in a map 127 deep: what reading allows.
    let deep = |n| (0..n).fold(Value::Null, |v, _| Value::List(vec![v]));
    let bytes = Value::Bytes(vec![0, 1, 255]);
    let map: Value = [("a", Value::from(1)), ("b", bytes.clone()), ("c", deep(127))].into_iter().collect();
    for v in
        [Value::Null, Value::from(true), Value::from(u64::MAX), Value::from(i64::MIN), Value::from(0.5), Value::from("é"), bytes, deep(128), map]
    {
        assert_eq!(to_value(&v).unwrap(), v);
        assert_eq!(from_value::<Value>(v.clone()).unwrap(), v);
    }
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
enum Shape {
    Point,
    Circle(f64),
    Line(i32, i32),
    Rect { w: u8, h: u8 },
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Order {
    item: String,
    count: u32,
    note: Option<String>,
    shapes: Vec<Shape>,
    tags: BTreeMap<String, i64>,
    pair: (bool, char),
}

#[test]
fn plain_serde_types_write_as_serde_json_writes_them_and_read_back() {
    let order = Order {
        item: "tea".into(),
        count: 2,
        note: None,
        shapes: vec![Shape::Point, Shape::Circle(1.5), Shape::Line(-1, 2), Shape::Rect { w: 3, h: 4 }],
        tags: [("x".to_owned(), -7)].into_iter().collect(),
        pair: (true, 'z'),
    };
    let v = to_value(&order).unwrap();
    // The same value serde_json builds, read into a `Value`.
    let via_json: Value = serde_json::from_value(serde_json::to_value(&order).unwrap()).unwrap();
    assert_eq!(v, via_json);
    assert_eq!(v["shapes"][3], [("Rect", [("w", 3), ("h", 4)].into_iter().collect::<Value>())].into_iter().collect::<Value>());
    assert_eq!(from_value::<Order>(v).unwrap(), order);
}

#[test]
fn what_a_value_cannot_hold_is_refused_with_an_error() {
    let int_keys: BTreeMap<i32, &str> = [(1, "one")].into_iter().collect();
    assert_eq!(to_value(&int_keys).unwrap_err().to_string(), "Value: expected string keys, got key integer 1");
    let bool_keys: BTreeMap<bool, u8> = [(true, 1)].into_iter().collect();
    assert_eq!(to_value(&bool_keys).unwrap_err().to_string(), "Value: expected string keys, got key boolean true");
    let err = to_value(&u128::MAX).unwrap_err();
    assert_eq!((err.expected(), err.got()), ("an integer below 2^127", "integer 340282366920938463463374607431768211455"));
    // Nesting: 128 lists deep is what reading allows, and so does writing.
    let nested = |n: usize| (0..n).fold(serde_json::Value::Null, |v, _| serde_json::Value::Array(vec![v]));
    assert!(to_value(&nested(128)).is_ok());
    let err = to_value(&nested(129)).unwrap_err();
    assert_eq!(err.to_string(), "Value: expected lists and maps nested at most 128 deep, got deeper nesting");
    // A `Value` deeper than that, built in code, is refused the same way.
    let deep = (0..129).fold(Value::Null, |v, _| Value::List(vec![v]));
    assert!(to_value(&deep).unwrap_err().to_string().contains("nested at most 128 deep"));
    let empty_keys: Map = Map::new();
    assert_eq!(to_value(&empty_keys).unwrap(), Value::Map(Map::new()));
}

/// A map written key by key: a key twice, a key wrapped in a newtype
/// struct (named after it or not), and a unit variant as a key.
struct Keys;

impl Serialize for Keys {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        struct Named(&'static str, &'static str);
        impl Serialize for Named {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_newtype_struct(self.0, self.1)
            }
        }
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("a", &1)?;
        m.serialize_entry(&Named("b", "b"), &2)?;
        m.serialize_entry(&Named("b", "c"), &3)?;
        m.serialize_entry(&Shape::Point, &4)?;
        m.serialize_entry("a", &5)?;
        m.end()
    }
}

#[test]
fn map_keys_are_what_they_write_and_a_later_key_replaces_an_earlier_one() {
    let v = to_value(&Keys).unwrap();
    let want: Value = [("a", 5), ("b", 2), ("c", 3), ("Point", 4)].into_iter().collect();
    assert_eq!(v, want);
    assert_eq!(v.as_map().unwrap().keys().collect::<Vec<_>>(), ["a", "b", "c", "Point"]);
    // The same value serde_json builds.
    let via_json: Value = serde_json::from_value(serde_json::to_value(&Keys).unwrap()).unwrap();
    assert_eq!(v, via_json);
    let refused = |got: &str| format!("Value: expected string keys, got key {got}");
    let float_keys = [(1.5f64, 1)];
    struct Pairs<'a, K>(&'a [(K, i32)]);
    impl<K: Serialize> Serialize for Pairs<'_, K> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
        }
    }
    assert_eq!(to_value(&Pairs(&float_keys)).unwrap_err().to_string(), refused("float 1.5"));
    assert_eq!(to_value(&Pairs(&[((), 1)])).unwrap_err().to_string(), refused("null"));
    assert_eq!(to_value(&Pairs(&[([1u8], 1)])).unwrap_err().to_string(), refused("list"));
    assert_eq!(to_value(&Pairs(&[(Shape::Circle(1.0), 1)])).unwrap_err().to_string(), refused("map"));
}
