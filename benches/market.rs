//! The market's costs: the health check every re-checked borrower goes through, creating a crowd,
//! and one engine step with 1k / 10k / 100k borrowers in calm (ETH −0.5%) and crash (ETH −8% in
//! the step: liquidations and their market impact) conditions. The crowd's agents are off here so the
//! step cost shows the liquidation index, not the agents' schedule.
//!
//! Run: `cargo bench --bench market`

#[cfg(not(target_arch = "wasm32"))]
#[path = "../tests/support/near_crowd.rs"]
mod near_crowd;

#[cfg(not(target_arch = "wasm32"))]
mod bench {
    use criterion::{black_box, BatchSize, BenchmarkId, Criterion};
    use margin_lab::engine::population::{PopulationParams, PopulationSpec};
    use margin_lab::engine::*;
    use rust_decimal::Decimal;
    use rust_decimal_macros::dec;
    use std::collections::BTreeMap;
    use std::time::Duration;

    fn a(t: &str) -> AssetId {
        AssetId::new(t)
    }

    /// Aave v3 with a crowd of `n` (no agents, no market impact so every step starts alike).
    pub fn crowd(n: u32) -> Engine {
        let mut cfg = PresetId::AaveV3.config();
        cfg.population = Some(PopulationSpec {
            params: PopulationParams {
                active_share: Decimal::ZERO,
                ..PopulationParams::with_count(n)
            },
            seed: 7,
        });
        Engine::new(cfg).unwrap()
    }

    /// Aave v3, one account with three collaterals (ETH, WBTC, wstETH) borrowing USDC; with
    /// `accrued`, after a year of interest, so the indexes carry many digits (the arithmetic the
    /// check does in a long session), otherwise with rates at zero and indexes at one.
    fn three_collateral(accrued: bool) -> Engine {
        let mut cfg = PresetId::AaveV3.config();
        if !accrued {
            for x in &mut cfg.assets {
                x.rate = RateModel::zero();
            }
        }
        let mut e = Engine::new(cfg).unwrap();
        let me = AccountId::USER;
        for (asset, amount) in [("ETH", dec!(5)), ("WBTC", dec!(0.5)), ("wstETH", dec!(2))] {
            e.apply(
                me,
                Command::Deposit {
                    asset: a(asset),
                    amount,
                },
            )
            .unwrap();
        }
        e.apply(
            me,
            Command::Borrow {
                asset: a("USDC"),
                amount: dec!(20000),
            },
        )
        .unwrap();
        if accrued {
            let t = e.now() + 365 * 24 * 3600;
            e.step(t, &e.oracle_prices()).unwrap();
        }
        e
    }

    pub fn health_check(c: &mut Criterion) {
        let me = AccountId::USER;
        for (name, accrued) in [
            ("health_check_3_collateral", false),
            ("health_check_3_collateral_accrued", true),
        ] {
            let e = three_collateral(accrued);
            assert!(!e.is_liquidatable(&me));
            c.bench_function(name, |b| {
                b.iter(|| black_box(e.is_liquidatable(black_box(&me))))
            });
        }
    }

    pub fn generate(c: &mut Criterion) {
        let mut group = c.benchmark_group("generate_crowd");
        group
            .sample_size(10)
            .measurement_time(Duration::from_secs(5))
            .warm_up_time(Duration::from_secs(1));
        for n in [1_000u32, 10_000, 100_000] {
            group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, n| {
                b.iter(|| black_box(crowd(*n).events().len()))
            });
        }
        group.finish();
    }

    pub fn step(c: &mut Criterion) {
        let mut group = c.benchmark_group("crowd_step");
        group
            .sample_size(10)
            .measurement_time(Duration::from_secs(4))
            .warm_up_time(Duration::from_secs(1));
        for n in [1_000u32, 10_000, 100_000] {
            let base = crowd(n);
            let p0 = base.oracle_prices()[&a("ETH")];
            for (name, factor) in [("calm", dec!(0.995)), ("crash", dec!(0.92))] {
                let prices = BTreeMap::from([(a("ETH"), p0 * factor)]);
                let t = base.now() + 3600;
                // A running session's log has room to grow; a fresh clone's has none (its first
                // event would copy the whole log), so each copy first takes a quiet step.
                let warm = BTreeMap::from([(a("ETH"), p0)]);
                let running = || {
                    let mut e = base.clone();
                    e.step(t - 1800, &warm).unwrap();
                    e
                };
                group.bench_with_input(BenchmarkId::new(name, n), &n, |b, _| {
                    b.iter_batched_ref(
                        running,
                        |e| black_box(e.step(t, &prices).unwrap().len()),
                        BatchSize::LargeInput,
                    )
                });
                let mut e = running();
                e.step(t, &prices).unwrap();
                let s = e.last_step_stats();
                eprintln!(
                    "{n} borrowers, {name}: {} re-checked, {} liquidated",
                    s.accounts_checked, s.accounts_liquidated
                );
            }
        }
        group.finish();
    }

    /// Ten steps of ETH −2% each with 500 borrowers near liquidation beside a crowd of 1,000 or
    /// 100,000 far from it: the cost should follow the 500, not the crowd.
    pub fn near(c: &mut Criterion) {
        use super::near_crowd::{falling, near_crowd};
        let mut group = c.benchmark_group("crowd_near_500_ten_steps");
        group
            .sample_size(10)
            .measurement_time(Duration::from_secs(5))
            .warm_up_time(Duration::from_secs(1));
        for far in [1_000u32, 100_000] {
            let base = near_crowd(far, 500);
            let path = falling(&base, 10);
            let warm = base.oracle_prices();
            let running = || {
                let mut e = base.clone();
                e.step(base.now() + 1, &warm).unwrap();
                e
            };
            group.bench_with_input(BenchmarkId::from_parameter(far), &far, |b, _| {
                b.iter_batched_ref(
                    running,
                    |e| {
                        for (t, prices) in &path {
                            black_box(e.step(*t, prices).unwrap().len());
                        }
                    },
                    BatchSize::LargeInput,
                )
            });
            let mut e = running();
            let (mut checked, mut liquidated) = (0, 0);
            for (t, prices) in &path {
                e.step(*t, prices).unwrap();
                checked += e.last_step_stats().accounts_checked;
                liquidated += e.last_step_stats().accounts_liquidated;
            }
            eprintln!(
                "{far} far + 500 near: {checked} re-checked, {liquidated} liquidated in 10 steps"
            );
        }
        group.finish();
    }
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_group!(
    benches,
    bench::health_check,
    bench::generate,
    bench::step,
    bench::near
);
#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
