//! One engine step over 1k, 10k and 100k borrowers: 100 close to liquidation, the rest far from it.
//! The liquidation-price index means the per-step cost should not grow with the far accounts.
//!
//! Run: `cargo bench --bench engine`

#[cfg(not(target_arch = "wasm32"))]
mod bench {
    use criterion::{black_box, BenchmarkId, Criterion};
    use margin_lab::engine::*;
    use rust_decimal::Decimal;
    use rust_decimal_macros::dec;
    use std::collections::BTreeMap;
    use std::time::Duration;

    fn a(t: &str) -> AssetId {
        AssetId::new(t)
    }

    /// `n` borrowers with 1 ETH each; the first 100 borrow to HF ≈ 1.03, the rest to HF 2–4.
    pub fn engine_with(n: u64) -> Engine {
        let mut cfg = PresetId::AaveV3.config();
        cfg.initial_accounts.clear();
        let mut e = Engine::new(cfg).unwrap();
        let lp = AccountId(1);
        e.apply(lp, Command::CreateAccount { label: "LP".into() })
            .unwrap();
        e.apply(
            lp,
            Command::Fund {
                asset: a("USDC"),
                amount: dec!(1_000_000_000_000),
            },
        )
        .unwrap();
        e.apply(
            lp,
            Command::Deposit {
                asset: a("USDC"),
                amount: dec!(1_000_000_000_000),
            },
        )
        .unwrap();
        for i in 0..n {
            let id = AccountId(100 + i);
            e.apply(
                id,
                Command::CreateAccount {
                    label: String::new(),
                },
            )
            .unwrap();
            e.apply(
                id,
                Command::Fund {
                    asset: a("ETH"),
                    amount: dec!(1),
                },
            )
            .unwrap();
            e.apply(
                id,
                Command::Deposit {
                    asset: a("ETH"),
                    amount: dec!(1),
                },
            )
            .unwrap();
            // Weighted collateral 2475: HF 1.03 for the near ones, 2..4 for the far ones.
            let borrow = if i < 100 {
                dec!(2400)
            } else {
                dec!(2475) / (dec!(2) + Decimal::from(i % 200) / dec!(100))
            };
            e.apply(
                id,
                Command::Borrow {
                    asset: a("USDC"),
                    amount: borrow.round_dp(2),
                },
            )
            .unwrap();
        }
        e
    }

    pub fn step(c: &mut Criterion) {
        let mut group = c.benchmark_group("step");
        group
            .sample_size(10)
            .measurement_time(Duration::from_secs(3))
            .warm_up_time(Duration::from_secs(1));
        for n in [1_000u64, 10_000, 100_000] {
            let mut e = engine_with(n);
            // ETH moves 2% each step: the 100 near accounts are re-checked, far ones never.
            let prices = [
                BTreeMap::from([(a("ETH"), dec!(2940))]),
                BTreeMap::from([(a("ETH"), dec!(3000))]),
            ];
            let mut t = e.now();
            e.step(t + 1, &prices[0]).unwrap();
            t += 1;
            group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
                b.iter(|| {
                    t += 60;
                    let events = e.step(t, &prices[(t / 60 % 2) as usize]).unwrap();
                    black_box(events.len())
                })
            });
            let s = e.last_step_stats();
            eprintln!(
                "{n} accounts: {} re-checked in the last step, {} liquidated",
                s.accounts_checked, s.accounts_liquidated
            );
        }
        group.finish();
    }

    /// Baseline: what re-checking every account each step would cost (no index).
    pub fn full_rescan(c: &mut Criterion) {
        let mut group = c.benchmark_group("full_rescan_baseline");
        group
            .sample_size(10)
            .measurement_time(Duration::from_secs(3))
            .warm_up_time(Duration::from_secs(1));
        for n in [1_000u64, 10_000, 100_000] {
            let e = engine_with(n);
            let ids: Vec<AccountId> = e.account_ids().copied().collect();
            group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
                b.iter(|| ids.iter().filter(|id| e.is_liquidatable(id)).count())
            });
        }
        group.finish();
    }
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_group!(benches, bench::step, bench::full_rescan);
#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
