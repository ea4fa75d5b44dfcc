//! The risk desk's speed natively: Monte Carlo value at risk (1,000 paths × 24 hourly steps, each
//! replayed through the engine) on a 4-asset Aave-like account on the correlated basket — the run
//! the browser benchmark (`e2e/bench/risk.mjs`) times in Chromium — plus the whole stress library
//! and the reverse stress search.
//!
//! Run: `cargo bench --bench risk` (figures in the README's measurement table).

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};

#[path = "../tests/support/basket_account.rs"]
mod basket_account;
use basket_account::basket_account;
use margin_lab::replay::risk::{self, VarJob, VarRequest};

fn bench(c: &mut Criterion) {
    let s = basket_account(0);
    let mut g = c.benchmark_group("risk");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(15));
    // At tick 0 there is no history: Monte Carlo and parametric only, as in the browser run.
    g.bench_function("monte_carlo_1000_paths_x24_steps_4_assets", |b| {
        b.iter(|| {
            let mut job = VarJob::new(&s, VarRequest::default()).unwrap();
            while !job.step(usize::MAX).unwrap() {}
            black_box(job.report())
        })
    });
    g.bench_function("stress_library_7_shocks", |b| {
        b.iter(|| black_box(risk::stress_library(&s, Default::default()).unwrap()))
    });
    g.bench_function("reverse_stress_4_assets", |b| {
        b.iter(|| black_box(risk::reverse_stress(&s).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
