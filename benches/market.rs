//! The market's costs: the health check every re-checked borrower goes through, creating a crowd,
//! and one engine step with 1k / 10k / 100k borrowers in calm (ETH −0.5%) and crash (ETH −8% in
//! the step: liquidations and their market impact) conditions. The crowd's agents are off here so the
//! step cost shows the liquidation index, not the agents' schedule. `crowd_daily_crash` plays what
//! the browser bench plays (`e2e/bench/market.mjs`): 10,000 borrowers with their agents on, daily
//! ETH closes through a 45% crash, and reports its slowest ticks.
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

    /// The browser bench's price file (`e2e/bench/crash-file.mjs`): a seeded walk with a
    /// 45% crash over 20 days from day 3,000 and a 35% one from day 7,000, as relative moves.
    fn two_crashes(days: usize) -> Vec<f64> {
        let mut seed: u64 = 7;
        let mut rand = || {
            seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
            seed as f64 / 2_147_483_648.0
        };
        let mut p = 2000.0f64;
        let mut out = Vec::with_capacity(days);
        for d in 0..days {
            p *= 1.0 + (rand() - 0.5) * 0.02;
            if (3000..3020).contains(&d) {
                p *= 0.55f64.powf(1.0 / 20.0);
            }
            if (7000..7020).contains(&d) {
                p *= 0.65f64.powf(1.0 / 20.0);
            }
            out.push((p * 100.0).round() / 100.0);
        }
        out
    }

    /// Times and prices to step through.
    type Path = Vec<(i64, BTreeMap<AssetId, Decimal>)>;

    /// Aave v3 with 10,000 borrowers (agents on, the picker's defaults) played on `days` daily
    /// closes of [`two_crashes`] from `from`, the ETH price scaled to the preset's.
    pub fn daily_run(from: usize, days: usize) -> (Engine, Path) {
        let mut cfg = PresetId::AaveV3.config();
        cfg.population = Some(PopulationSpec {
            params: PopulationParams::with_count(10_000),
            seed: 7,
        });
        let e = Engine::new(cfg).unwrap();
        let p0 = e.oracle_prices()[&a("ETH")];
        let walk = two_crashes(from + days);
        let base = walk[from];
        let path = walk[from..]
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let rel = Decimal::try_from(*p / base).unwrap().round_dp(8);
                let t = e.now() + (i as i64 + 1) * 86_400;
                (t, BTreeMap::from([(a("ETH"), (p0 * rel).round_dp(2))]))
            })
            .collect();
        (e, path)
    }

    /// 10,000 borrowers through 400 daily closes around the first crash (days 2,800–3,200):
    /// the whole run per sample, then the slowest ticks of one run.
    pub fn daily_crash(c: &mut Criterion) {
        let mut group = c.benchmark_group("crowd_daily_crash");
        group
            .sample_size(10)
            .measurement_time(Duration::from_secs(20))
            .warm_up_time(Duration::from_secs(1));
        let (base, path) = daily_run(2_800, 400);
        group.bench_function("10k_borrowers_400_days", |b| {
            b.iter_batched_ref(
                || base.clone(),
                |e| {
                    for (t, prices) in &path {
                        black_box(e.step(*t, prices).unwrap().len());
                    }
                },
                BatchSize::LargeInput,
            )
        });
        group.finish();
        let (_, ticks) = timed_run(base, &path);
        let median = ticks[ticks.len() / 2].0;
        eprintln!("crowd_daily_crash: median tick {median:?}; slowest ticks (time, re-checked, full rebuild):");
        for (d, checked, rebuilt) in ticks.iter().take(5) {
            eprintln!("  {d:?}  {checked}  {rebuilt}");
        }
        // The first 3,000 days once (the README's before/after figures): calm years, interest
        // accruing, and the crash's start.
        let (base, path) = daily_run(0, 3_000);
        let (wall, ticks) = timed_run(base, &path);
        let checked: usize = ticks.iter().map(|t| t.1).sum();
        let full = ticks.iter().filter(|t| t.2).count();
        eprintln!(
            "crowd_daily_crash, days 0–3,000 once: {wall:?}; {checked} re-checked, {full} full re-checks, slowest tick {:?}",
            ticks[0].0
        );
    }

    /// Steps `path` once, timing each step: the whole run, and per tick (time, re-checked, full
    /// re-check), slowest first.
    fn timed_run(mut e: Engine, path: &Path) -> (Duration, Vec<(Duration, usize, bool)>) {
        let start = std::time::Instant::now();
        let mut ticks: Vec<(Duration, usize, bool)> = path
            .iter()
            .map(|(t, prices)| {
                let t0 = std::time::Instant::now();
                e.step(*t, prices).unwrap();
                let s = e.last_step_stats();
                (t0.elapsed(), s.accounts_checked, s.rebuilt_index)
            })
            .collect();
        let wall = start.elapsed();
        ticks.sort_by_key(|x| std::cmp::Reverse(x.0));
        (wall, ticks)
    }
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_group!(
    benches,
    bench::health_check,
    bench::generate,
    bench::step,
    bench::near,
    bench::daily_crash
);
#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
