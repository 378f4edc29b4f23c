//! Timed passes over prepared cases, and the measuring loop.

use std::hint::black_box;
use std::time::{Duration, Instant};

use super::{DecodeCase, ValueCase, decode_cases, message_cases, moving, skip_decoder, untyped_decoder, value_cases};
use crate::{Crate, Format, Vector, crates_for};
use wamp_types::Serializer;

// Each path has its own function, never inlined, so that a profile
// (`valgrind --tool=callgrind --toggle-collect=wamp_tests::bench::measure::NAME`
// with `wamp-conformance --bench --rounds N`) can count it alone. Passes
// with the same loop pass a tag to `black_box`, so that the linker does not
// fold them into one function.

/// One timed pass of the value path over `cases`.
#[inline(never)]
pub fn value_pass(cases: &[ValueCase]) {
    for c in cases {
        black_box(c.run());
    }
}

/// [`value_pass`] over cases made by [`moving`](super::moving).
#[inline(never)]
pub fn into_marshal_pass(cases: &[ValueCase]) {
    black_box("into_marshal");
    for c in cases {
        black_box(c.run());
    }
}

/// One timed pass of the clone baseline: a deep clone of each input.
#[inline(never)]
pub fn clone_pass(cases: &[ValueCase]) {
    for c in cases {
        black_box(black_box(&c.input).clone());
    }
}

/// One timed pass of typed decoding.
#[inline(never)]
pub fn decode_pass(cases: &[DecodeCase]) {
    for c in cases {
        c.typed();
    }
}

/// One timed pass of message decoding (bytes to [`Message`](wamp_types::Message)).
#[inline(never)]
pub fn message_pass(cases: &[DecodeCase]) {
    black_box("message");
    for c in cases {
        c.typed();
    }
}

/// One timed pass of untyped decoding with `decode` (see [`untyped_decoder`]).
#[inline(never)]
pub fn untyped_pass(cases: &[DecodeCase], decode: fn(&[u8])) {
    for c in cases {
        decode(black_box(&c.bytes));
    }
}

/// One timed pass of the parser alone with `decode` (see [`skip_decoder`]).
#[inline(never)]
pub fn skip_pass(cases: &[DecodeCase], decode: fn(&[u8])) {
    black_box("skip");
    for c in cases {
        decode(black_box(&c.bytes));
    }
}

/// One timed pass of a router's forward with the arguments kept (see
/// [`forward`](crate::kept::forward)), writing into one reused buffer.
#[inline(never)]
pub fn forward_pass(ser: Serializer, inputs: &[Vec<u8>], out: &mut Vec<u8>) {
    for b in inputs {
        black_box(crate::kept::forward(ser, black_box(b), out).is_ok());
    }
}

/// [`forward_pass`] with the arguments decoded and written anew (see
/// [`forward_decoded`](crate::kept::forward_decoded)).
#[inline(never)]
pub fn forward_decoded_pass(ser: Serializer, inputs: &[Vec<u8>], out: &mut Vec<u8>) {
    black_box("forward-decoded");
    for b in inputs {
        black_box(crate::kept::forward_decoded(ser, black_box(b), out).is_ok());
    }
}

/// The inputs of the `forward` lines of one format and size class.
pub type ForwardGroup = (Format, &'static str, Vec<Vec<u8>>);

/// The inputs of the `forward` lines by format and size class, each
/// checked once (both forwards run and their output is checked), formats
/// and sizes in the order of [`Format::ALL`] and [`SIZES`].
pub fn forward_cases(vectors: &[Vector]) -> Result<Vec<ForwardGroup>, String> {
    let mut out: Vec<ForwardGroup> = Vec::new();
    for v in vectors.iter().filter(|v| v.op == "forward") {
        let format = v.format.as_deref().and_then(Format::from_name).ok_or_else(|| format!("{}: no format", v.id))?;
        let size = v.size.as_deref().and_then(|s| SIZES.iter().find(|x| **x == s)).ok_or_else(|| format!("{}: no size class", v.id))?;
        let bytes = crate::decode_hex(v.input.as_str().ok_or_else(|| format!("{}: input is not hex", v.id))?)?;
        crate::kept::forward_line(format, &bytes).map_err(|e| format!("{}: {e}", v.id))?;
        match out.iter_mut().find(|(f, s, _)| *f == format && s == size) {
            Some((_, _, inputs)) => inputs.push(bytes),
            None => out.push((format, size, vec![bytes])),
        }
    }
    let rank = |f: &Format, s: &str| (Format::ALL.iter().position(|x| x == f), SIZES.iter().position(|x| *x == s));
    out.sort_by_key(|(f, s, _)| rank(f, s));
    Ok(out)
}

/// The size classes of the router workload.
pub const SIZES: [&str; 4] = ["tiny", "small", "medium", "large"];

/// Times the `forward` lines: `forward F SIZE`, `forward-decoded F SIZE`
/// and `skip F SIZE` (the parser alone over the input), in messages per
/// second and megabytes of input per second.
pub fn run_forward(vectors: &[Vector], budget: Budget, line: &mut impl FnMut(String)) -> Result<(), String> {
    run_forward_only(vectors, budget, None, line)
}

/// [`run_forward`] for the groups that [`wanted`] by `only`.
fn run_forward_only(vectors: &[Vector], budget: Budget, only: Option<&str>, line: &mut impl FnMut(String)) -> Result<(), String> {
    for (format, size, inputs) in forward_cases(vectors)? {
        let name = format.name();
        if !wanted(only, &[format!("forward {name} {size}"), format!("forward-decoded {name} {size}"), format!("skip {name} {size}")]) {
            continue;
        }
        let ser = crate::kept::serializer(format);
        let skip = skip_decoder(format.recommended());
        let mut out = Vec::new();
        let mut out2 = Vec::new();
        let r = rates(
            inputs.len(),
            budget,
            &mut [&mut || forward_pass(ser, &inputs, &mut out), &mut || forward_decoded_pass(ser, &inputs, &mut out2), &mut || {
                black_box("forward skip");
                for b in &inputs {
                    skip(black_box(b));
                }
            }],
        );
        let mean = inputs.iter().map(Vec::len).sum::<usize>() as f64 / inputs.len() as f64;
        for (label, rate) in ["forward", "forward-decoded", "skip"].into_iter().zip(r) {
            line(format!("{label} {name} {size}: {rate:.0} messages/s ({:.0} MB/s in)", rate * mean / 1e6));
        }
    }
    Ok(())
}

/// How long to measure.
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    /// Measurements taken; the median is reported.
    pub samples: usize,
    /// The least time one measurement runs (whole passes).
    pub sample_time: Duration,
    /// Run each pass exactly this many times instead, without a warm-up
    /// (for instruction counts under callgrind, where time means little).
    pub rounds: Option<u64>,
}

impl Default for Budget {
    fn default() -> Self {
        Budget { samples: 7, sample_time: Duration::from_millis(300), rounds: None }
    }
}

/// Items per second of `pass` (which handles `items` items), as the
/// median of `budget.samples` measurements after one warm-up pass.
pub fn rate(items: usize, budget: Budget, pass: impl FnMut()) -> f64 {
    rates(items, budget, &mut [&mut { pass }])[0]
}

/// Items per second of each pass, measured in turns (one measurement of
/// each, then again), so that a machine busy with other work slows all of
/// them alike; each rate is the median of `budget.samples` measurements.
pub fn rates(items: usize, budget: Budget, passes: &mut [&mut dyn FnMut()]) -> Vec<f64> {
    turns(items, budget, passes).into_iter().map(median).collect()
}

/// The median of `x` (the upper one of an even count).
fn median(mut x: Vec<f64>) -> f64 {
    x.sort_by(f64::total_cmp);
    x[x.len() / 2]
}

/// The rate of pass `a` over that of pass `b`, turn by turn, as the median
/// of the turns: each turn measures the passes one right after the other,
/// so a ratio is not moved by the machine's load changing between turns.
fn ratio(turns: &[Vec<f64>], a: usize, b: usize) -> f64 {
    median(turns[a].iter().zip(&turns[b]).map(|(x, y)| x / y).collect())
}

/// The measurements of [`rates`], items per second, per pass and turn.
fn turns(items: usize, budget: Budget, passes: &mut [&mut dyn FnMut()]) -> Vec<Vec<f64>> {
    let mut samples = vec![Vec::new(); passes.len()];
    if budget.rounds.is_none() {
        for pass in passes.iter_mut() {
            pass();
        }
    }
    let samples_taken = if budget.rounds.is_some() { 1 } else { budget.samples.max(1) };
    for _ in 0..samples_taken {
        for (pass, out) in passes.iter_mut().zip(&mut samples) {
            let (mut rounds, start) = (0u64, Instant::now());
            while match budget.rounds {
                Some(n) => rounds < n,
                None => rounds == 0 || start.elapsed() < budget.sample_time,
            } {
                pass();
                rounds += 1;
            }
            out.push(items as f64 * rounds as f64 / start.elapsed().as_secs_f64());
        }
    }
    samples
}

/// Times every path over `vectors` and gives the report lines:
/// `generated`, `clone baseline`, `generated into_marshal` (see
/// [`moving`]), then `decode F`, `untyped F` and `skip F` (the parser
/// alone, see [`skip_decoder`]) and `typed/untyped F` (the ratio turn by
/// turn) per format for `decode` lines, and the same lines behind
/// `message ` for `message_decode` lines; `forward`, `forward-decoded` and `skip` by
/// format and size for `forward` lines (see [`run_forward`]). Each format is decoded with the crates of
/// `crates` for it, or the recommended one; a line of a crate that is not
/// the recommended one says so: `decode cbor (ciborium)`.
pub fn run_all(vectors: &[Vector], budget: Budget, crates: &[Crate], line: impl FnMut(String)) -> Result<(), String> {
    run_only(vectors, budget, crates, None, line)
}

/// Whether a group of report lines labelled `labels` is timed: always
/// without `only`, else when one of the labels starts with it
/// (`forward cbor medium`, `message decode json`).
pub fn wanted(only: Option<&str>, labels: &[String]) -> bool {
    only.is_none_or(|o| labels.iter().any(|l| l.starts_with(o)))
}

/// [`run_all`] for the groups of lines that [`wanted`] by `only`: the
/// passes measured together are measured together still, the others are
/// not run.
pub fn run_only(vectors: &[Vector], budget: Budget, crates: &[Crate], only: Option<&str>, mut line: impl FnMut(String)) -> Result<(), String> {
    run_forward_only(vectors, budget, only, &mut line)?;
    let values = value_cases(vectors)?;
    let labels = ["generated", "clone baseline", "generated into_marshal"].map(String::from);
    if !values.is_empty() && wanted(only, &labels) {
        let moved: Vec<ValueCase> = values.iter().map(moving).collect();
        let r = rates(values.len(), budget, &mut [&mut || value_pass(&values), &mut || clone_pass(&values), &mut || into_marshal_pass(&moved)]);
        line(format!("generated: {:.0} vectors/s", r[0]));
        line(format!("clone baseline: {:.0} vectors/s", r[1]));
        line(format!("generated into_marshal: {:.0} vectors/s", r[2]));
    }
    for (prefix, unit, make, pass) in [
        ("", "vectors", decode_cases as fn(&[Vector], Crate) -> Result<Vec<DecodeCase>, String>, decode_pass as fn(&[DecodeCase])),
        ("message ", "messages", message_cases, message_pass),
    ] {
        for format in Format::ALL {
            for with in crates_for(format, crates) {
                let name = if with == format.recommended() { format.name().to_owned() } else { format!("{} ({})", format.name(), with.name()) };
                if !wanted(only, &["decode", "untyped", "skip"].map(|l| format!("{prefix}{l} {name}"))) {
                    continue;
                }
                let cases = make(vectors, with)?;
                if cases.is_empty() {
                    continue;
                }
                let (untyped, skip) = (untyped_decoder(with), skip_decoder(with));
                let t = turns(
                    cases.len(),
                    budget,
                    &mut [&mut || pass(&cases), &mut || untyped_pass(&cases, untyped), &mut || skip_pass(&cases, skip)],
                );
                let typed_untyped = ratio(&t, 0, 1);
                let r: Vec<f64> = t.into_iter().map(median).collect();
                line(format!("{prefix}decode {name}: {:.0} {unit}/s", r[0]));
                line(format!("{prefix}untyped {name}: {:.0} {unit}/s", r[1]));
                line(format!("{prefix}skip {name}: {:.0} {unit}/s", r[2]));
                line(format!("{prefix}typed/untyped {name}: {typed_untyped:.2} (median of the turns' ratios)"));
            }
        }
    }
    Ok(())
}

/// Splits cases by schema module, modules in name order.
pub fn by_module<C>(cases: Vec<C>, module: impl Fn(&C) -> &'static str) -> Vec<(&'static str, Vec<C>)> {
    let mut out: Vec<(&'static str, Vec<C>)> = Vec::new();
    for c in cases {
        let m = module(&c);
        match out.iter_mut().find(|(n, _)| *n == m) {
            Some((_, v)) => v.push(c),
            None => out.push((m, vec![c])),
        }
    }
    out.sort_by_key(|(m, _)| *m);
    out
}

/// Loads the project's vector file `name` (from `tests/vectors/`, or the
/// folder in `WAMP_VECTOR_DIR`); `None`, with a note, when it is missing.
pub fn project_vectors(name: &str) -> Option<Vec<Vector>> {
    let dir = std::env::var_os("WAMP_VECTOR_DIR").map_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors"), Into::into);
    let path = dir.join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(crate::load(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))),
        Err(e) => {
            eprintln!("note: no benchmarks: {}: {e}", path.display());
            None
        }
    }
}
