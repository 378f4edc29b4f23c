//! Cloning and comparing values without deep recursion, so that a value
//! nested 100,000 levels deep is handled without overflowing the stack.
//! Dropping is Rust's own, recursive, as for `serde_json::Value`: the crate
//! reads nothing nested deeper than 128, so what it builds is freed safely.

use super::value::{Key, Map, Value};

/// A copy of a value that is not a container with entries.
fn clone_flat(v: &Value) -> Option<Value> {
    Some(match v {
        Value::Null => Value::Null,
        Value::Bool(b) => Value::Bool(*b),
        Value::Int(i) => Value::Int(*i),
        Value::Float(x) => Value::Float(*x),
        Value::Str(s) => Value::Str(s.clone()),
        Value::Bytes(b) => Value::Bytes(b.clone()),
        Value::List(l) if l.is_empty() => Value::List(Vec::new()),
        Value::Map(m) if m.is_empty() => Value::Map(Map::new()),
        Value::List(_) | Value::Map(_) => return None,
    })
}

/// A container being copied: what is left of the source, the copy so far,
/// and the key the copy goes under in its parent map.
struct CloneFrame<'a> {
    list: std::slice::Iter<'a, Value>,
    map: std::slice::Iter<'a, (Key, Value)>,
    out: Value,
    key: Option<Key>,
}

impl<'a> CloneFrame<'a> {
    fn new(v: &'a Value, key: Option<Key>) -> Self {
        let (list, map, out) = match v {
            Value::List(l) => (l.iter(), [].iter(), Value::List(Vec::with_capacity(l.len()))),
            Value::Map(m) => ([].iter(), m.entries.iter(), Value::Map(Map::with_capacity(m.len()))),
            _ => ([].iter(), [].iter(), Value::Null),
        };
        CloneFrame { list, map, out, key }
    }

    fn next(&mut self) -> Option<(Option<Key>, &'a Value)> {
        match self.list.next() {
            Some(v) => Some((None, v)),
            None => self.map.next().map(|(k, v)| (Some(k.clone()), v)),
        }
    }

    fn push(&mut self, key: Option<Key>, v: Value) {
        match (&mut self.out, key) {
            (Value::List(l), _) => l.push(v),
            (Value::Map(m), Some(k)) => m.entries.push((k, v)),
            _ => {}
        }
    }
}

/// How deep cloning and comparing recurse before they go on with an
/// explicit stack (which costs heap instead of stack).
const RECURSION_BUDGET: u32 = 64;

impl Clone for Value {
    fn clone(&self) -> Self {
        clone_within(self, RECURSION_BUDGET)
    }
}

fn clone_within(v: &Value, budget: u32) -> Value {
    match v {
        Value::List(l) if budget > 0 => Value::List(l.iter().map(|x| clone_within(x, budget - 1)).collect()),
        Value::Map(m) if budget > 0 => {
            let entries = m.entries.iter().map(|(k, x)| (k.clone(), clone_within(x, budget - 1))).collect();
            Value::Map(Map { entries })
        }
        _ => clone_flat(v).unwrap_or_else(|| clone_deep(v)),
    }
}

/// Copies a list or map with an explicit stack.
fn clone_deep(root: &Value) -> Value {
    let mut stack = vec![CloneFrame::new(root, None)];
    loop {
        let Some(top) = stack.last_mut() else { return Value::Null };
        match top.next() {
            Some((key, child)) => match clone_flat(child) {
                Some(copy) => top.push(key, copy),
                None => stack.push(CloneFrame::new(child, key)),
            },
            None => {
                let Some(done) = stack.pop() else { return Value::Null };
                match stack.last_mut() {
                    Some(parent) => parent.push(done.key, done.out),
                    None => return done.out,
                }
            }
        }
    }
}

/// Equality that recurses up to `budget` levels, then uses an explicit stack.
fn eq_within(a: &Value, b: &Value, budget: u32) -> bool {
    match (a, b) {
        (Value::List(x), Value::List(y)) if budget > 0 => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| eq_within(p, q, budget - 1)),
        (Value::Map(x), Value::Map(y)) if budget > 0 && x.len() <= 32 => {
            x.len() == y.len() && x.entries.iter().all(|(k, v)| y.get(k).is_some_and(|w| eq_within(v, w, budget - 1)))
        }
        (Value::List(_), Value::List(_)) | (Value::Map(_), Value::Map(_)) => eq_pairs(vec![(a, b)]),
        _ => eq_flat(a, b),
    }
}

/// Whether every pair holds equal values, compared with an explicit stack.
fn eq_pairs<'a>(mut stack: Vec<(&'a Value, &'a Value)>) -> bool {
    while let Some(pair) = stack.pop() {
        let same = match pair {
            (Value::List(a), Value::List(b)) if a.len() == b.len() => {
                stack.extend(a.iter().zip(b));
                true
            }
            (Value::Map(a), Value::Map(b)) => a.pair_up(b, &mut stack),
            // Lists of different lengths too: `eq_flat` calls no list equal.
            (a, b) => eq_flat(a, b),
        };
        if !same {
            return false;
        }
    }
    true
}

/// Equality of two values of which at least one is not a list or map.
fn eq_flat(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(a), Value::Bool(b)) => a == b,
        (Value::Int(a), Value::Int(b)) => a == b,
        (Value::Float(a), Value::Float(b)) => a == b,
        (Value::Str(a), Value::Str(b)) => a == b,
        (Value::Bytes(a), Value::Bytes(b)) => a == b,
        _ => false,
    }
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        eq_within(self, other, RECURSION_BUDGET)
    }
}
