//! Replays conformance vector files against the generated types.
//!
//! `wamp-conformance FILE.jsonl [FILE.jsonl ...]` prints every failing
//! vector (id, type, op, expected, got) and, last, `N passed, M failed`;
//! it exits non-zero when anything failed. A line whose type, op or format
//! is unknown counts as failed, never as skipped.
//!
//! A `message_decode` line runs twice, counted twice: decoded whole, and
//! with its arguments kept (`Serializer::decode_kept`), which must also
//! agree with the whole decode. A `forward` line (the router workload,
//! `tests/vectors/router-workload.jsonl`) is forwarded as a router does
//! it, with the arguments kept and decoded, and what each writes is read
//! back and checked.
//!
//! `wamp-conformance --bench FILE.jsonl [...]` replays the files the same
//! way and, when all passed, times the accepted vectors (see
//! `wamp_tests::bench`): `generated`, `clone baseline` and `generated
//! into_marshal` for `parse` and `message_attr` lines; `decode FORMAT`,
//! `untyped FORMAT` and `skip FORMAT` for `decode` lines (`message ...` for
//! `message_decode` lines); each in vectors per second (the median of
//! several measurements), then `typed/untyped FORMAT`, the ratio of the
//! first two measured turn by turn (the median of the turns' ratios); and `forward FORMAT
//! SIZE`, `forward-decoded FORMAT SIZE` and `skip FORMAT SIZE` for
//! `forward` lines, in messages and MB of input per second. `--rounds N` runs
//! each timed pass exactly N times instead, for instruction counts under
//! `valgrind --tool=callgrind`.
//!
//! `--only TEXT` times only the groups of lines of which one starts with
//! TEXT (`--only "forward cbor medium"`), for profiling one of them.
//!
//! `--crate NAME` (repeatable) decodes the bytes of `decode` and
//! `message_decode` lines of NAME's format with NAME (`serde_json`,
//! `rmp-serde`, `ciborium`, `cbor4ii`) instead of the recommended crate
//! (`wamp_tests::Format::recommended`); the benchmarks use it too.

use std::process::ExitCode;

fn main() -> ExitCode {
    let usage = "usage: wamp-conformance [--bench [--rounds N] [--only TEXT]] [--crate NAME ...] FILE.jsonl [FILE.jsonl ...]";
    let (mut bench, mut rounds, mut only, mut files, mut crates) = (false, None, None, Vec::new(), Vec::new());
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--bench" => bench = true,
            "--rounds" => match args.next().and_then(|n| n.parse::<u64>().ok()) {
                Some(n) if n > 0 => rounds = Some(n),
                _ => {
                    eprintln!("{usage}");
                    return ExitCode::from(2);
                }
            },
            "--only" => match args.next() {
                Some(text) => only = Some(text),
                None => {
                    eprintln!("{usage}");
                    return ExitCode::from(2);
                }
            },
            "--crate" => match args.next().as_deref().and_then(wamp_tests::Crate::from_name) {
                Some(c) => crates.push(c),
                None => {
                    eprintln!("{usage}");
                    return ExitCode::from(2);
                }
            },
            _ => files.push(a),
        }
    }
    if files.is_empty() || files.iter().any(|f| f == "-h" || f == "--help") {
        eprintln!("{usage}");
        return ExitCode::from(2);
    }
    let mut vectors = Vec::new();
    for f in &files {
        let text = match std::fs::read_to_string(f) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: {f}: {e}");
                return ExitCode::from(2);
            }
        };
        match wamp_tests::load(&text) {
            Ok(v) => vectors.extend(v),
            Err(e) => {
                eprintln!("error: {f}: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let report = wamp_tests::replay_using(&vectors, &crates);
    for f in &report.failures {
        println!("{f}");
    }
    if report.request_out_of_type > 0 {
        println!(
            "{} of the passed lines give a negative request ID, which the u64 `request` of the Rust API cannot take: \
             they were replayed with request 0, and their messages compared without it",
            report.request_out_of_type
        );
    }
    println!("{} passed, {} failed", report.passed, report.failures.len());
    if !report.failures.is_empty() {
        return ExitCode::FAILURE;
    }
    if bench {
        let budget = wamp_tests::bench::Budget { rounds, ..Default::default() };
        if let Err(e) = wamp_tests::bench::run_only(&vectors, budget, &crates, only.as_deref(), |line| println!("{line}")) {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
