//! Replays conformance vector files against the generated types.
//!
//! `wamp-conformance FILE.jsonl [FILE.jsonl ...]` prints every failing
//! vector (id, type, op, expected, got) and, last, `N passed, M failed`;
//! it exits non-zero when anything failed. A line whose type, op or format
//! is unknown counts as failed, never as skipped.

use std::process::ExitCode;

fn main() -> ExitCode {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() || files.iter().any(|f| f == "-h" || f == "--help") {
        eprintln!("usage: wamp-conformance FILE.jsonl [FILE.jsonl ...]");
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
    if report.failures.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
