//! One engine step with 0, 1,000 and 10,000 resting orders far from their trigger (stops and
//! takes 30–60 % away, buy limits at 40 % of the mark), held by the same 200 accounts with small
//! 2× ETH longs, while ETH moves 2 % each step. The
//! automation index (`engine::orders::index`) means the per-step cost should not grow with them.
//! The baseline checks every order against the mark each step (what a step without the index
//! would at least do).
//!
//! Run: `cargo bench --bench orders`

#[cfg(not(target_arch = "wasm32"))]
mod bench {
    use criterion::{black_box, BenchmarkId, Criterion};
    use margin_lab::engine::orders::OrderRequest;
    use margin_lab::engine::*;
    use rust_decimal::Decimal;
    use rust_decimal_macros::dec;
    use std::collections::BTreeMap;
    use std::time::Duration;

    fn a(t: &str) -> AssetId {
        AssetId::new(t)
    }

    /// Orders per account (below the per-account cap).
    const PER_ACCOUNT: u64 = 50;
    /// Accounts, each holding a small 2× ETH long, whatever the number of orders (so only the
    /// orders vary).
    const ACCOUNTS: u64 = 200;

    /// `n` resting orders (at most 10,000) over the 200 accounts, 50 per account from the first.
    pub fn engine_with(n: u64) -> Engine {
        let mut e = Engine::new(PresetId::PerpExchange.config()).unwrap();
        for k in 0..ACCOUNTS {
            let id = AccountId(100 + k);
            let ok = |r: Result<Vec<Event>, Rejection>| r.unwrap();
            ok(e.apply(
                id,
                Command::CreateAccount {
                    label: String::new(),
                },
            ));
            ok(e.apply(
                id,
                Command::Fund {
                    asset: a("USDC"),
                    amount: dec!(1_000_000),
                },
            ));
            ok(e.apply(
                id,
                Command::OpenPosition {
                    market: a("ETH"),
                    side: Side::Long,
                    size: dec!(1),
                    leverage: dec!(2),
                    mode: MarginMode::Isolated,
                },
            ));
            let orders = PER_ACCOUNT.min(n.saturating_sub(k * PER_ACCOUNT));
            for i in 0..orders {
                let spread = Decimal::from(i % 30) / dec!(100);
                let order = match i % 3 {
                    0 => OrderRequest::StopLoss {
                        market: a("ETH"),
                        trigger: dec!(3000) * (dec!(0.7) - spread),
                        size: Some(dec!(0.01)),
                    },
                    1 => OrderRequest::TakeProfit {
                        market: a("ETH"),
                        trigger: dec!(3000) * (dec!(1.3) + spread),
                        size: Some(dec!(0.01)),
                    },
                    _ => OrderRequest::Limit {
                        market: a("ETH"),
                        side: Side::Long,
                        size: dec!(0.01),
                        price: dec!(3000) * (dec!(0.4) - spread / dec!(2)),
                        leverage: dec!(2),
                        mode: MarginMode::Isolated,
                    },
                };
                ok(e.apply(id, Command::PlaceOrder { order }));
            }
        }
        e
    }

    pub fn step(c: &mut Criterion) {
        let mut group = c.benchmark_group("step_with_resting_orders");
        group
            .sample_size(10)
            .measurement_time(Duration::from_secs(3))
            .warm_up_time(Duration::from_secs(1));
        for n in [0u64, 1_000, 10_000] {
            let mut e = engine_with(n);
            let prices = [
                BTreeMap::from([(a("ETH"), dec!(2940))]),
                BTreeMap::from([(a("ETH"), dec!(3000))]),
            ];
            let mut t = e.now();
            group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
                b.iter(|| {
                    t += 60;
                    let events = e.step(t, &prices[(t / 60 % 2) as usize]).unwrap();
                    black_box(events.len())
                })
            });
            let (orders, _, _) = e.automation_sizes();
            assert_eq!(orders as u64, n, "every order still rests");
            eprintln!("{n} resting orders: {orders} in the index after the run");
        }
        group.finish();
    }

    /// Baseline: looking at every resting order each step (no index).
    pub fn full_scan(c: &mut Criterion) {
        let mut group = c.benchmark_group("full_scan_baseline");
        group
            .sample_size(10)
            .measurement_time(Duration::from_secs(3))
            .warm_up_time(Duration::from_secs(1));
        for n in [0u64, 1_000, 10_000] {
            let e = engine_with(n);
            let mark = e.oracle_prices()[&a("ETH")];
            let ids: Vec<AccountId> = e.account_ids().copied().collect();
            group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
                b.iter(|| {
                    ids.iter()
                        .filter_map(|id| e.account(id))
                        .flat_map(|acc| acc.automation.orders.values())
                        .filter(|o| o.fires_at(mark))
                        .count()
                })
            });
        }
        group.finish();
    }
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_group!(benches, bench::step, bench::full_scan);
#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
