//! Feed generation speed: 1M ticks × 8 correlated assets (the crypto basket, minute ticks),
//! including the bit-exact conversion of every price to `Decimal`.
//!
//! Run: `cargo bench --bench feed`
//!
//! Measured 2026-11-25 on the 2-core build machine (bench profile: opt-level 3, LTO), while other
//! builds shared the CPU: 448 ms per 1M × 8 path (17.9 M prices/s); a rerun under load 2.7 gave
//! 504 ms (15.9 M prices/s). The path holds 8 M `Decimal`s (128 MB).

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use margin_lab::feed::catalogue::crypto_basket;
use margin_lab::feed::{FeedSpec, Model, PriceFeed, SimSpec, Source};

fn spec(ticks: u64) -> FeedSpec {
    FeedSpec {
        source: Source::Simulated(SimSpec {
            model: Model::Correlated(crypto_basket()),
            seed: 42,
            start_time: 1_704_067_200,
            interval_secs: 60,
            ticks,
        }),
        shocks: vec![],
    }
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("feed");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(30));
    g.throughput(Throughput::Elements(8_000_000));
    let s = spec(1_000_000);
    g.bench_function("correlated_1M_ticks_x8_assets", |b| {
        b.iter(|| {
            let f = s.build_path().unwrap();
            black_box(f.len())
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
