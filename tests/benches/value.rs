//! Criterion benchmarks of the value path, one group per schema module:
//! `generated` builds each type from its already-decoded input value and
//! gives its dict form (`marshal` or `message_attr`); `into_marshal` does
//! the same with `into_marshal` in place of `marshal` for `parse` vectors
//! (the fields move into the dict instead of being copied); `clone`
//! deep-clones the same input values, the floor to compare against.
//!
//! `cargo bench -p wamp-tests --bench value`

mod common;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use wamp_tests::bench::{ValueCase, by_module, clone_pass, into_marshal_pass, moving, project_vectors, value_cases, value_pass};

fn value(c: &mut Criterion) {
    let Some(vectors) = project_vectors("autobahn-26.10.2.jsonl") else { return };
    let cases = value_cases(&vectors).expect("the vectors replay");
    for (module, cases) in by_module(cases, |c| c.module) {
        let moved: Vec<ValueCase> = cases.iter().map(moving).collect();
        let mut group = c.benchmark_group(format!("value/{module}"));
        group.throughput(Throughput::Elements(cases.len() as u64));
        group.bench_function("generated", |b| b.iter(|| value_pass(&cases)));
        group.bench_function("into_marshal", |b| b.iter(|| into_marshal_pass(&moved)));
        group.bench_function("clone", |b| b.iter(|| clone_pass(&cases)));
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = value
}
criterion_main!(benches);
