//! Replays conformance vector files against the generated types.
//!
//! `wamp-conformance FILE.jsonl [FILE.jsonl ...]` prints every failing
//! vector (id, type, op, expected, got) and, last, `N passed, M failed`;
//! it exits non-zero when anything failed. A line whose type, op or format
//! is unknown counts as failed, never as skipped.
//!
//! `wamp-conformance --bench FILE.jsonl [...]` replays the files the same
//! way and, when all passed, times the accepted vectors (see
//! `wamp_tests::bench`): `generated`, `clone baseline` and `generated
//! into_marshal` for `parse` and `message_attr` lines; `decode FORMAT`,
//! `untyped FORMAT` and `skip FORMAT` for `decode` lines; each in vectors
//! per second (the median of several measurements).

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let bench = args.iter().any(|a| a == "--bench");
    args.retain(|a| a != "--bench");
    let files = args;
    if files.is_empty() || files.iter().any(|f| f == "-h" || f == "--help") {
        eprintln!("usage: wamp-conformance [--bench] FILE.jsonl [FILE.jsonl ...]");
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
    let report = wamp_tests::replay(&vectors);
    for f in &report.failures {
        println!("{f}");
    }
    println!("{} passed, {} failed", report.passed, report.failures.len());
    if !report.failures.is_empty() {
        return ExitCode::FAILURE;
    }
    if bench {
        let budget = wamp_tests::bench::Budget::default();
        if let Err(e) = wamp_tests::bench::run_all(&vectors, budget, |line| println!("{line}")) {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
