//! Criterion benchmarks of decoding, one group per format and schema
//! module: `typed` decodes each vector's bytes straight into its generated
//! type; `untyped` decodes the same bytes into the format's own untyped
//! value (`serde_json::Value`, `rmpv::Value`, `cbor4ii::core::Value`); `skip`
//! only walks them with the format's serde parser, keeping nothing. Each
//! format is decoded with its recommended crate (`Format::recommended`).
//!
//! `cargo bench -p wamp-tests --bench decode`

mod common;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use wamp_tests::Format;
use wamp_tests::bench::{by_module, decode_cases, decode_pass, project_vectors, skip_decoder, skip_pass, untyped_decoder, untyped_pass};

fn decode(c: &mut Criterion) {
    let Some(vectors) = project_vectors("autobahn-26.10.2-decode.jsonl") else { return };
    for format in Format::ALL {
        let with = format.recommended();
        let cases = decode_cases(&vectors, with).expect("the vectors replay");
        let (untyped, skip) = (untyped_decoder(with), skip_decoder(with));
        for (module, cases) in by_module(cases, |c| c.module) {
            let mut group = c.benchmark_group(format!("decode_{}/{module}", format.name()));
            group.throughput(Throughput::Elements(cases.len() as u64));
            group.bench_function("typed", |b| b.iter(|| decode_pass(&cases)));
            group.bench_function("untyped", |b| b.iter(|| untyped_pass(&cases, untyped)));
            group.bench_function("skip", |b| b.iter(|| skip_pass(&cases, skip)));
            group.finish();
        }
    }
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = decode
}
criterion_main!(benches);
