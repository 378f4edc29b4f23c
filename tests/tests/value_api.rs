//! `Value` and `Map` as a user handles them: building from Rust values,
//! reading without matching on variants, taking apart by pattern,
//! comparing with primitives, showing as text, and `Map` in every format.

// The comparisons with primitives are what is tested, written out in full.
#![allow(clippy::nonminimal_bool, clippy::cmp_owned, clippy::bool_comparison)]

use std::borrow::Cow;

use wamp_tests::Format;
use wamp_types::{Map, Number, Value};

fn map_of(entries: &[(&'static str, Value)]) -> Map {
    entries.iter().cloned().collect()
}

#[test]
fn from_every_primitive_integer() {
    assert_eq!(Value::from(-8i8), Value::Int(-8));
    assert_eq!(Value::from(-16i16), Value::Int(-16));
    assert_eq!(Value::from(-32i32), Value::Int(-32));
    assert_eq!(Value::from(i64::MIN), Value::Int(i128::from(i64::MIN)));
    assert_eq!(Value::from(-128i128), Value::Int(-128));
    assert_eq!(Value::from(-1isize), Value::Int(-1));
    assert_eq!(Value::from(8u8), Value::Int(8));
    assert_eq!(Value::from(16u16), Value::Int(16));
    assert_eq!(Value::from(32u32), Value::Int(32));
    assert_eq!(Value::from(u64::MAX), Value::Int(i128::from(u64::MAX)));
    assert_eq!(Value::from(128u128), Value::Int(128));
    assert_eq!(Value::from(usize::MAX), Value::Int(usize::MAX as i128));
    // A u128 past i128::MAX saturates; like any integer past 2^64 - 1 it
    // cannot be written.
    assert_eq!(Value::from(u128::MAX), Value::Int(i128::MAX));
    assert!(serde_json::to_string(&Value::from(u128::MAX)).is_err());
}

#[test]
fn from_floats_bools_strings_bytes_lists_maps_and_options() {
    assert_eq!(Value::from(1.5f32), Value::Float(1.5));
    assert_eq!(Value::from(2.5f64), Value::Float(2.5));
    assert_eq!(Value::from(true), Value::Bool(true));
    assert_eq!(Value::from("a"), Value::Str("a".into()));
    assert_eq!(Value::from(String::from("b")), Value::Str("b".into()));
    assert_eq!(Value::from(&String::from("c")), Value::Str("c".into()));
    assert_eq!(Value::from(Cow::Borrowed("d")), Value::Str("d".into()));
    assert_eq!(Value::from(vec![1u8, 2]), Value::Bytes(vec![1, 2]));
    assert_eq!(Value::from(vec![Value::Null]), Value::List(vec![Value::Null]));
    assert_eq!(Value::from(Map::new()), Value::Map(Map::new()));
    assert_eq!(Value::from(Some(3u16)), Value::Int(3));
    assert_eq!(Value::from(None::<&str>), Value::Null);
    assert_eq!(Value::from(()), Value::Null);
    assert_eq!(Value::from(Number::Int(4)), Value::Int(4));
    assert_eq!(Value::from(Number::from(u64::MAX)), Value::Int(u64::MAX.into()));
}

#[test]
fn collecting_gives_lists_and_maps() {
    let list: Value = (1..=3u8).collect();
    assert_eq!(list, Value::List(vec![Value::Int(1), Value::Int(2), Value::Int(3)]));
    let strings: Value = vec!["a", "b"].into_iter().collect();
    assert_eq!(strings.as_list().map(<[Value]>::len), Some(2));
    let map: Value = vec![(String::from("a"), Value::from(1)), (String::from("b"), Value::from(2)), (String::from("a"), Value::from(3))]
        .into_iter()
        .collect();
    // A key that comes again replaces the value in its first place.
    assert_eq!(map.as_map().map(|m| m.keys().collect::<Vec<_>>()), Some(vec!["a", "b"]));
    assert_eq!(map["a"], 3);
    let m: Map = [("x", 1), ("y", 2)].into_iter().collect();
    assert_eq!(m.len(), 2);
}

#[test]
fn accessors_read_their_variant_and_nothing_else() {
    let values = [
        Value::Null,
        Value::Bool(true),
        Value::Int(7),
        Value::Float(0.5),
        Value::from("s"),
        Value::from(vec![9u8]),
        Value::List(vec![Value::Null]),
        Value::Map(map_of(&[("k", Value::Null)])),
    ];
    for (i, v) in values.iter().enumerate() {
        assert_eq!(v.is_null(), i == 0);
        assert_eq!(v.as_bool(), (i == 1).then_some(true));
        assert_eq!(v.as_int(), (i == 2).then_some(7));
        assert_eq!(v.as_i64(), (i == 2).then_some(7));
        assert_eq!(v.as_u64(), (i == 2).then_some(7));
        assert_eq!(
            v.as_f64(),
            match i {
                2 => Some(7.0),
                3 => Some(0.5),
                _ => None,
            }
        );
        assert_eq!(v.as_str(), (i == 4).then_some("s"));
        assert_eq!(v.as_bytes(), (i == 5).then_some(&[9u8][..]));
        assert_eq!(v.as_list().is_some(), i == 6);
        assert_eq!(v.as_map().is_some(), i == 7);
        assert_eq!(v.clone().as_list_mut().is_some(), i == 6);
        assert_eq!(v.clone().as_map_mut().is_some(), i == 7);
        assert_eq!(v.clone().into_string().is_some(), i == 4);
        assert_eq!(v.clone().into_bytes().is_some(), i == 5);
        assert_eq!(v.clone().into_list().is_some(), i == 6);
        assert_eq!(v.clone().into_map().is_some(), i == 7);
    }
}

#[test]
fn integer_accessors_follow_the_rust_type_ranges() {
    assert_eq!(Value::Int(-1).as_u64(), None);
    assert_eq!(Value::Int(-1).as_i64(), Some(-1));
    assert_eq!(Value::from(u64::MAX).as_i64(), None);
    assert_eq!(Value::from(u64::MAX).as_u64(), Some(u64::MAX));
    assert_eq!(Value::from(u64::MAX).as_int(), Some(u64::MAX.into()));
    assert_eq!(Value::Float(1.0).as_i64(), None);
}

#[test]
fn changing_in_place_and_taking_apart() {
    let mut v = Value::List(vec![Value::from(1)]);
    v.as_list_mut().expect("a list").push(Value::from("two"));
    assert_eq!(v.to_string(), r#"[1,"two"]"#);
    let mut v = Value::Map(Map::new());
    v.as_map_mut().expect("a map").insert("a", Value::from(true));
    assert_eq!(v["a"], true);
    // Taking apart by pattern, as with serde_json's `Value`, or with `into_*`.
    let outer = Value::Map(map_of(&[("inner", Value::List(vec![Value::from(1)]))]));
    let Value::Map(mut m) = outer else { panic!("a map") };
    let Some(Value::List(inner)) = m.remove("inner") else { panic!("a list") };
    assert_eq!(inner, [Value::from(1)]);
    let inner = Value::List(inner).into_list().expect("a list");
    assert_eq!(inner.len(), 1);
    assert_eq!(Value::from(1).into_list(), None);
    assert_eq!(Value::from("x").into_string().as_deref(), Some("x"));
    assert_eq!(Value::from(vec![1u8]).into_bytes(), Some(vec![1]));
}

#[test]
fn indexing_a_value_gives_null_for_what_is_not_there() {
    let v: Value = [("a", Value::List(vec![Value::from(10)]))].into_iter().collect();
    assert_eq!(v["a"][0], 10);
    assert_eq!(v["a"][1], Value::Null);
    assert_eq!(v["b"], Value::Null);
    assert_eq!(Value::from(1)["a"], Value::Null);
    assert_eq!(v.get("a").and_then(|l| l.as_list()).map(<[Value]>::len), Some(1));
    assert_eq!(Value::Null.get("a"), None);
}

#[test]
fn comparing_with_primitives_both_ways() {
    let i = Value::from(5);
    assert!(i == 5i8 && i == 5i16 && i == 5i32 && i == 5i64 && i == 5i128 && i == 5isize);
    assert!(i == 5u8 && i == 5u16 && i == 5u32 && i == 5u64 && i == 5usize);
    assert!(5i8 == i && 5u64 == i && 5usize == i && 5i128 == i);
    assert!(&i == 5 && i != 6 && i != 5.0 && i != "5" && i != true);
    assert_eq!(Value::from(u64::MAX), u64::MAX);
    assert_ne!(Value::from(u64::MAX), -1i64);
    let mut f = Value::from(0.5);
    assert!(f == 0.5 && f == 0.5f32 && 0.5 == f && f != 0);
    assert!({
        let r = &mut f;
        r == 0.5
    });
    let s = Value::from("hi");
    assert!(s == "hi" && s == *"hi" && s == String::from("hi") && "hi" == s && *"hi" == s && String::from("hi") == s);
    assert!(&s == "hi");
    let b = Value::from(false);
    assert!(b == false && false == b && b != 0);
    assert!(Value::Null != 0 && Value::Null != false && Value::Null != "");
}

#[test]
fn display_is_compact_json_like_text() {
    let v: Value = [
        ("null", Value::Null),
        ("bool", Value::from(true)),
        ("int", Value::from(u64::MAX)),
        ("neg", Value::from(i64::MIN)),
        ("float", Value::from(1.0)),
        ("small", Value::from(2.5e-8)),
        ("str", Value::from("q\"\\\n\t\u{1}é")),
        ("bytes", Value::from(vec![1u8, 2, 3])),
        ("list", Value::List(vec![Value::List(Vec::new()), Value::Map(Map::new())])),
    ]
    .into_iter()
    .collect();
    let text = v.to_string();
    assert_eq!(
        text,
        r#"{"null":null,"bool":true,"int":18446744073709551615,"neg":-9223372036854775808,"float":1.0,"small":2.5e-8,"str":"q\"\\\n\t\u0001é","bytes":"\u0000AQID","list":[[],{}]}"#
    );
    // It is JSON, and reads back as the same value.
    assert_eq!(serde_json::from_str::<Value>(&text).expect("JSON"), v);
    assert_eq!(text, serde_json::to_string(&v).expect("encodes"));
    assert_eq!(v.as_map().expect("a map").to_string(), text);
    // Floats JSON has no text for are written as Python's json module writes them.
    assert_eq!(Value::List(vec![f64::NAN.into(), f64::INFINITY.into(), f64::NEG_INFINITY.into()]).to_string(), "[NaN,Infinity,-Infinity]");
}

#[test]
fn display_of_deep_nesting_stops_at_the_depth_limit() {
    // Deeper than the crate reads, as code may build (and then frees).
    let mut deep = Value::from(1);
    for _ in 0..100_000 {
        deep = Value::List(vec![deep]);
    }
    let text = deep.to_string();
    assert_eq!(text, format!("{}[...]{}", "[".repeat(128), "]".repeat(128)));
    wamp_tests::free_deep(deep);
    let mut deep = Value::from(1);
    for _ in 0..200 {
        deep = Value::Map(map_of(&[("a", deep)]));
    }
    assert_eq!(deep.to_string(), format!("{}{{...}}{}", r#"{"a":"#.repeat(128), "}".repeat(128)));
}

#[test]
fn map_lookups_and_changes() {
    let mut m = Map::new();
    assert!(m.is_empty());
    assert_eq!(m.insert("a", Value::from(1)), None);
    assert_eq!(m.insert("b", Value::from(2)), None);
    assert_eq!(m.insert("a", Value::from(3)), Some(Value::from(1)));
    assert_eq!((m.len(), m.contains_key("a"), m.contains_key("z")), (2, true, false));
    assert_eq!(m.get("a"), Some(&Value::from(3)));
    *m.get_mut("b").expect("present") = Value::from("two");
    m["a"] = Value::from(4);
    assert_eq!((&m["a"], &m["b"]), (&Value::from(4), &Value::from("two")));
    assert_eq!(m.keys().collect::<Vec<_>>(), ["a", "b"]);
    assert_eq!(m.values().cloned().collect::<Vec<_>>(), [Value::from(4), Value::from("two")]);
    for v in m.values_mut() {
        *v = Value::Null;
    }
    for (_, v) in m.iter_mut() {
        assert!(v.is_null());
        *v = Value::from(0);
    }
    for (k, v) in &mut m {
        if k == "b" {
            *v = Value::from(1);
        }
    }
    let pairs: Vec<(&str, &Value)> = (&m).into_iter().collect();
    assert_eq!(pairs, [("a", &Value::from(0)), ("b", &Value::from(1))]);
    assert_eq!(m.iter().rev().map(|(k, _)| k).collect::<String>(), "ba");
    assert_eq!(m.remove("a"), Some(Value::from(0)));
    assert_eq!(m.remove("a"), None);
    let owned: Vec<(String, Value)> = m.into_iter().map(|(k, v)| (k.into_owned(), v)).collect();
    assert_eq!(owned, [(String::from("b"), Value::from(1))]);
}

#[test]
#[should_panic(expected = "no key \"missing\" in the map")]
fn indexing_a_map_by_an_absent_key_panics() {
    let _ = &Map::new()["missing"];
}

#[test]
fn extending_a_map_replaces_in_place() {
    let mut m: Map = [("a", 1), ("b", 2)].into_iter().collect();
    m.extend([("b", 20), ("c", 30)]);
    assert_eq!(m.to_string(), r#"{"a":1,"b":20,"c":30}"#);
    // A large batch, with keys already present and keys given twice.
    let batch: Vec<(String, Value)> = (0..100).map(|i| (format!("k{}", i % 50), Value::from(i))).collect();
    m.extend(batch);
    m.extend([(String::from("a"), Value::from(-1))]);
    assert_eq!(m.len(), 53);
    assert_eq!(m.keys().take(4).collect::<Vec<_>>(), ["a", "b", "c", "k0"]);
    assert_eq!((&m["a"], &m["k0"], &m["k49"]), (&Value::from(-1), &Value::from(50), &Value::from(99)));
}

#[test]
fn maps_serialize_and_deserialize_in_every_format() {
    let m = map_of(&[("a", Value::from(1)), ("b", Value::from(vec![1u8, 2])), ("c", Value::List(vec![Value::from(u64::MAX)]))]);
    for format in Format::ALL {
        let bytes = format.encode(&m).expect("encodes");
        assert_eq!(bytes, format.encode(&Value::Map(m.clone())).expect("encodes"), "{}", format.name());
        let back: Map = match format {
            Format::Json => serde_json::from_slice(&bytes).expect("decodes"),
            Format::Msgpack => rmp_serde::from_slice(&bytes).expect("decodes"),
            Format::Cbor => ciborium::from_reader(&bytes[..]).expect("decodes"),
        };
        assert_eq!(back, m, "{}", format.name());
    }
}

#[test]
fn map_deserialize_has_the_rules_of_value() {
    let err = serde_json::from_str::<Map>(r#"{"a": 1, "a": 2}"#).unwrap_err();
    assert!(err.to_string().starts_with(r#"Map["a"]: expected each key once, got the key twice"#), "{err}");
    // 200 maps, one inside the other, in MessagePack (serde_json stops at
    // its own limit of 128 first).
    let deep = [[0x81, 0xa1, b'a'].repeat(200), vec![0x01]].concat();
    let err = rmp_serde::from_slice::<Map>(&deep).unwrap_err();
    assert!(
        err.to_string()
            .starts_with(&format!("Map{}: expected lists and maps nested at most 128 deep, got deeper nesting", r#"["a"]"#.repeat(128))),
        "{err}"
    );
    let err = serde_json::from_str::<Map>("null").unwrap_err();
    assert!(err.to_string().starts_with("Map: expected map, got null"), "{err}");
    let err = serde_json::from_str::<Map>("[1]").unwrap_err();
    assert!(err.to_string().starts_with("Map: expected map, got list"), "{err}");
    // Bytes in WAMP JSON: a string that starts with NUL.
    let m: Map = serde_json::from_str(r#"{"b": "\u0000AQI="}"#).expect("decodes");
    assert_eq!(m["b"].as_bytes(), Some(&[1u8, 2][..]));
    // Writing refuses nesting past the limit, as for a `Value`.
    let mut deep = Value::Null;
    for _ in 0..200 {
        deep = Value::List(vec![deep]);
    }
    let err = serde_json::to_string(&map_of(&[("a", deep)])).unwrap_err();
    assert!(err.to_string().contains("nested at most 128 deep"), "{err}");
}
