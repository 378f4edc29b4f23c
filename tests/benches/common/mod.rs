//! What the benchmark files share: one criterion setting, short enough that
//! a full `cargo bench` stays within a few minutes on a 2-core machine.

use std::time::Duration;

use criterion::Criterion;

pub fn config() -> Criterion {
    Criterion::default().warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2)).sample_size(30)
}
