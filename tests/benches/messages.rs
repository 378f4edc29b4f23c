//! Criterion benchmarks of message decoding, one group per format and
//! schema module (`session`, `pubsub`, `rpc`), on the accepted lines of the
//! message decode vectors: `typed` decodes each message's bytes straight
//! into a `wamp_types::Message`; `untyped` decodes the same bytes into the
//! format crate's own untyped value (`serde_json::Value`, `rmpv::Value`,
//! `cbor4ii::core::Value`); `skip` only walks them with the format's serde
//! parser, keeping nothing. Each format is decoded with its recommended
//! crate (`Format::recommended`).
//!
//! `cargo bench -p wamp-tests --bench messages`

mod common;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use wamp_tests::Format;
use wamp_tests::bench::{by_module, message_cases, message_pass, project_vectors, skip_decoder, skip_pass, untyped_decoder, untyped_pass};

fn messages(c: &mut Criterion) {
    let Some(vectors) = project_vectors("autobahn-26.10.2-messages-decode.jsonl") else { return };
    for format in Format::ALL {
        let with = format.recommended();
        let cases = message_cases(&vectors, with).expect("the vectors replay");
        let (untyped, skip) = (untyped_decoder(with), skip_decoder(with));
        for (module, cases) in by_module(cases, |c| c.module) {
            let mut group = c.benchmark_group(format!("message_{}/{module}", format.name()));
            group.throughput(Throughput::Elements(cases.len() as u64));
            group.bench_function("typed", |b| b.iter(|| message_pass(&cases)));
            group.bench_function("untyped", |b| b.iter(|| untyped_pass(&cases, untyped)));
            group.bench_function("skip", |b| b.iter(|| skip_pass(&cases, skip)));
            group.finish();
        }
    }
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = messages
}
criterion_main!(benches);
