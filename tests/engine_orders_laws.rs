#![cfg(not(target_arch = "wasm32"))]
//! Laws of orders, protection rules and strategies over random sessions, on every preset of the
//! 2026-12 rules as shipped (their oracles, interest, funding and market depth):
//! - they never create value: `Engine::conservation_residual` stays zero up to dust after every
//!   command and step;
//! - a refused command changes nothing (state, log and index);
//! - a market fill (stop, take) is never better than the mark for the trader and a limit never
//!   fills worse than its limit; gaps and slippage are never negative;
//! - a rule moves its level toward its target (repay and top-up up, boost down);
//! - `Engine::account_equity` (what tests across seeds read) equals the metrics' equity.
//!
//! Each law counts the cases that reach it and fails if too few do (a law that is never
//! exercised proves nothing).

use margin_lab::engine::orders::{
    BorrowPlan, OrderKind, OrderRequest, PerpPlan, Plan, ProtectionRule, Strategy as Plan_,
    VaultPlan,
};
use margin_lab::engine::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::cell::Cell;
use std::collections::BTreeMap;

const ME: AccountId = AccountId::USER;

/// Perps appear three times each: orders are where most of the laws live.
const PRESETS: [PresetId; 11] = [
    PresetId::PerpExchange,
    PresetId::PerpSkew,
    PresetId::PerpExchange,
    PresetId::PerpSkew,
    PresetId::PerpExchange,
    PresetId::PerpSkew,
    PresetId::AaveV3,
    PresetId::CompoundIII,
    PresetId::MakerScd,
    PresetId::MakerMcd,
    PresetId::LiquityV1,
];

#[derive(Clone, Debug)]
enum Op {
    /// A base position or loan sized by `frac` per mille of what the wallet allows.
    Base { frac: i64, flag: bool },
    /// An order, rule or strategy command; `kind` picks it, `x` and `y` size it.
    Auto {
        kind: u8,
        x: i64,
        y: i64,
        flag: bool,
    },
    /// Time passes; every non-stable price moves by `pct` per mille (a gap when large).
    Step { dt: i64, pct: i64 },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => (1i64..=1000, any::<bool>()).prop_map(|(frac, flag)| Op::Base { frac, flag }),
        5 => (0u8..12, 1i64..=1000, 1i64..=1000, any::<bool>()).prop_map(|(kind, x, y, flag)| Op::Auto { kind, x, y, flag }),
        3 => (60i64..86_400, -60i64..60).prop_map(|(dt, pct)| Op::Step { dt, pct }),
        1 => (60i64..86_400, -400i64..300).prop_map(|(dt, pct)| Op::Step { dt, pct }),
    ]
}

fn market(e: &Engine) -> Option<AssetId> {
    e.config()
        .assets
        .iter()
        .find(|a| a.perp.is_some())
        .map(|a| a.id.clone())
}

fn collateral(e: &Engine) -> AssetId {
    e.config()
        .assets
        .iter()
        .find(|a| a.class == AssetClass::VolatileAlt)
        .map(|a| a.id.clone())
        .unwrap_or_else(|| AssetId::new("ETH"))
}

fn base(e: &Engine, frac: i64, flag: bool) -> Command {
    let f = Decimal::new(frac, 3);
    let debt = e.config().debt_asset.clone();
    let c = collateral(e);
    let price = e.oracle_prices()[&c];
    if let Some(m) = market(e) {
        let p = e.oracle_prices()[&m];
        let cash = e.account(&ME).map(|a| a.wallet(&debt)).unwrap_or_default();
        return Command::OpenPosition {
            market: m,
            side: if flag { Side::Long } else { Side::Short },
            size: (cash * f * dec!(5) / p).round_dp(6),
            leverage: dec!(5),
            mode: if frac % 3 == 0 {
                MarginMode::Cross
            } else {
                MarginMode::Isolated
            },
        };
    }
    let held = e.account(&ME).map(|a| a.wallet(&c)).unwrap_or_default();
    match (e.config().design, flag) {
        (CollateralDesign::MultiCollateral, true) => Command::Deposit {
            asset: c,
            amount: (held * f).round_dp(6),
        },
        (CollateralDesign::MultiCollateral, false) => Command::Borrow {
            asset: debt,
            amount: (dec!(20000) * f).round_dp(2),
        },
        (CollateralDesign::SingleCollateral, true) => Command::VaultDeposit {
            collateral: c,
            amount: (held * f).round_dp(6),
        },
        (CollateralDesign::SingleCollateral, false) => Command::VaultBorrow {
            collateral: c,
            amount: (price * dec!(3) * f).round_dp(2).max(dec!(2000)),
        },
    }
}

fn auto(e: &Engine, kind: u8, x: i64, y: i64, flag: bool) -> Command {
    let fx = Decimal::new(x, 3);
    let fy = Decimal::new(y, 3);
    let c = collateral(e);
    let debt = e.config().debt_asset.clone();
    let last = e.account(&ME).map(|a| a.automation.last_id).unwrap_or(0);
    let id = (x as u64 % (last + 2)).max(1);
    let level = |v: i64| dec!(1) + Decimal::new(v, 3) * dec!(2);
    match (market(e), kind) {
        (Some(m), 0..=2) => {
            let p = e.oracle_prices()[&m];
            let side = e
                .account(&ME)
                .and_then(|a| a.positions.get(&m))
                .map(|x| x.side);
            let size = if flag {
                None
            } else {
                Some((fx * dec!(3)).round_dp(4))
            };
            // Mostly valid sides of the mark, sometimes not.
            let up = (side == Some(Side::Long)) == (kind == 1);
            let trigger = (p * if up {
                dec!(1) + fy / dec!(30)
            } else {
                dec!(1) - fy / dec!(30)
            })
            .round_dp(2);
            Command::PlaceOrder {
                order: match kind {
                    0 => OrderRequest::StopLoss {
                        market: m,
                        trigger,
                        size,
                    },
                    1 => OrderRequest::TakeProfit {
                        market: m,
                        trigger,
                        size,
                    },
                    _ => OrderRequest::Limit {
                        market: m,
                        side: if flag { Side::Long } else { Side::Short },
                        size: (fx * dec!(2)).round_dp(4).max(dec!(0.01)),
                        price: (p * if flag {
                            dec!(1) - fy / dec!(50)
                        } else {
                            dec!(1) + fy / dec!(50)
                        })
                        .round_dp(2),
                        leverage: dec!(1) + Decimal::from(y % 20),
                        mode: if y % 2 == 0 {
                            MarginMode::Isolated
                        } else {
                            MarginMode::Cross
                        },
                    },
                },
            }
        }
        (Some(m), 3..=5) => Command::SetStrategy {
            strategy: Plan_ {
                name: "random".into(),
                plan: Plan::Perp(PerpPlan {
                    market: m,
                    side: if flag { Side::Long } else { Side::Short },
                    leverage: dec!(1) + Decimal::from(y % 30),
                    mode: MarginMode::Isolated,
                    margin_share: fx.max(dec!(0.01)),
                    stop_loss: (y % 3 != 0).then(|| (fy / dec!(4)).max(dec!(0.01))),
                    take_profit: (y % 5 != 0).then(|| (fx / dec!(3)).max(dec!(0.01))),
                    reenter_after_secs: (x % 2 == 0).then_some(3600 * (1 + (y % 48) as u32)),
                }),
            },
        },
        (None, 0..=2) => Command::SetProtection {
            rule: match (e.config().design, kind) {
                (CollateralDesign::SingleCollateral, _) => ProtectionRule::TopUpBelow {
                    collateral: c,
                    trigger: dec!(1.5) + fx,
                    target: dec!(1.5) + fx + fy,
                },
                (_, 0 | 1) => ProtectionRule::RepayBelow {
                    asset: debt,
                    trigger: level(x / 2),
                    target: level(x / 2) + fy,
                },
                _ => ProtectionRule::BoostAbove {
                    asset: debt,
                    trigger: level(x / 2) + fy,
                    target: level(x / 2),
                },
            },
        },
        (None, 3..=5) => Command::SetStrategy {
            strategy: Plan_ {
                name: "random".into(),
                plan: match e.config().design {
                    CollateralDesign::MultiCollateral => Plan::Borrow(BorrowPlan {
                        collateral: c,
                        deposit_share: fx.max(dec!(0.01)),
                        borrow: debt,
                        target_health: dec!(1.3) + fy,
                        repay_below: flag.then(|| dec!(1.05) + fy / dec!(10)),
                        boost_above: (y % 2 == 0).then(|| dec!(1.4) + fy * dec!(2)),
                    }),
                    CollateralDesign::SingleCollateral => Plan::Vault(VaultPlan {
                        collateral: c,
                        deposit_share: fx.max(dec!(0.01)),
                        target_ratio: dec!(1.8) + fy,
                        top_up_below: flag.then(|| dec!(1.65) + fy / dec!(2)),
                    }),
                },
            },
        },
        (_, 6) => Command::CancelOrder { id },
        (_, 7) => Command::ClearProtection { id },
        (Some(_), 8) => Command::AmendOrder {
            id,
            price: e.oracle_prices().values().copied().max().unwrap_or(dec!(1)) * (dec!(0.5) + fy),
            size: flag.then_some(fx),
        },
        (_, 9) => Command::ClearStrategy,
        (_, 10) => Command::Fund {
            asset: if flag { debt } else { c },
            amount: (fx * dec!(5000)).round_dp(2),
        },
        _ => Command::ClosePosition {
            market: market(e).unwrap_or(c),
        },
    }
}

/// How often each law was reached.
#[derive(Default)]
struct Reached {
    fills: Cell<u64>,
    limit_fills: Cell<u64>,
    rules: Cell<u64>,
    refused: Cell<u64>,
    accepted: Cell<u64>,
    strategy_steps: Cell<u64>,
}

fn bump(c: &Cell<u64>) {
    c.set(c.get() + 1);
}

fn check_events(events: &[Event], seen: &Reached) -> Result<(), TestCaseError> {
    for e in events {
        match &e.kind {
            EventKind::OrderFilled {
                kind,
                side,
                order_price,
                mark_price,
                fill_price,
                slippage,
                gap,
                ..
            } => {
                prop_assert!(
                    *slippage >= Decimal::ZERO && *gap >= Decimal::ZERO,
                    "{:?}",
                    e
                );
                match kind {
                    OrderKind::Limit => {
                        bump(&seen.limit_fills);
                        prop_assert_eq!(fill_price, order_price);
                        match side {
                            Side::Long => prop_assert!(mark_price < order_price, "{:?}", e),
                            Side::Short => prop_assert!(mark_price > order_price, "{:?}", e),
                        }
                    }
                    _ => {
                        bump(&seen.fills);
                        // Closing a long sells (never above the mark); closing a short buys.
                        match side {
                            Side::Long => prop_assert!(fill_price <= mark_price, "{:?}", e),
                            Side::Short => prop_assert!(fill_price >= mark_price, "{:?}", e),
                        }
                    }
                }
            }
            EventKind::RuleFired {
                rule,
                before,
                after,
                ..
            } => {
                bump(&seen.rules);
                if let (Some(b), Some(a)) = (before, after) {
                    match rule {
                        ProtectionRule::BoostAbove { .. } => prop_assert!(a <= b, "{:?}", e),
                        _ => prop_assert!(a >= b, "{:?}", e),
                    }
                }
            }
            EventKind::StrategyActed { .. } => bump(&seen.strategy_steps),
            _ => {}
        }
    }
    Ok(())
}

fn snapshot(e: &Engine) -> String {
    format!(
        "{:?} {} {} {:?}",
        e.checkpoint(),
        e.log_hash(),
        e.events().len(),
        e.automation_sizes()
    )
}

fn run(p: PresetId, ops: &[Op], seen: &Reached) -> Result<(), TestCaseError> {
    let mut e = Engine::new(p.config()).unwrap();
    for op in ops {
        match op {
            Op::Base { .. } | Op::Auto { .. } => {
                let cmd = match op {
                    Op::Base { frac, flag } => base(&e, *frac, *flag),
                    Op::Auto { kind, x, y, flag } => auto(&e, *kind, *x, *y, *flag),
                    Op::Step { .. } => unreachable!(),
                };
                let before = snapshot(&e);
                match e.apply(ME, cmd.clone()) {
                    Ok(events) => {
                        bump(&seen.accepted);
                        check_events(&events, seen)?;
                    }
                    Err(_) => {
                        bump(&seen.refused);
                        prop_assert_eq!(&before, &snapshot(&e), "{:?} changed the engine", cmd);
                    }
                }
            }
            Op::Step { dt, pct } => {
                let f = Decimal::ONE + Decimal::new(*pct, 3);
                let prices: BTreeMap<AssetId, Decimal> = e
                    .config()
                    .assets
                    .iter()
                    .filter(|a| a.class != AssetClass::Stablecoin)
                    .map(|a| (a.id.clone(), (e.market_prices()[&a.id] * f).max(dec!(0.01))))
                    .collect();
                let now = e.now() + dt;
                let events = e.step(now, &prices).unwrap();
                check_events(&events, seen)?;
                prop_assert!(
                    events
                        .iter()
                        .all(|x| !matches!(x.kind, EventKind::EngineFault { .. })),
                    "{:?}",
                    events
                );
            }
        }
        for (asset, r) in e
            .conservation_residual()
            .expect("every vault can be valued")
        {
            prop_assert!(
                r.abs() < dec!(0.0001),
                "{} residual {} after {:?}",
                asset,
                r,
                op
            );
        }
        // The lean equity a test across seeds reads is the metrics' equity, to the digit.
        prop_assert_eq!(
            e.account_equity(&ME).unwrap(),
            e.account_metrics(&ME).unwrap().equity
        );
    }
    prop_assert_eq!(e.log_hash(), hash_events(e.events()));
    Ok(())
}

#[test]
fn orders_rules_and_strategies_never_create_value_and_refusals_change_nothing() {
    let seen = Reached::default();
    let mut runner = TestRunner::new(Config {
        cases: 1024,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(
            &(
                prop::sample::select(PRESETS.to_vec()),
                prop::collection::vec(op(), 1..40),
            ),
            |(p, ops)| run(p, &ops, &seen),
        )
        .unwrap();
    let counts = [
        // About half of what 1,024 cases give (fills: ~180, limits: ~30, rules: ~220).
        ("market fills", seen.fills.get(), 90),
        ("limit fills", seen.limit_fills.get(), 12),
        ("rule firings", seen.rules.get(), 100),
        ("refused commands", seen.refused.get(), 2000),
        ("accepted commands", seen.accepted.get(), 2000),
        ("strategy steps", seen.strategy_steps.get(), 600),
    ];
    for (what, n, _) in counts {
        println!("{what}: {n}");
    }
    for (what, n, least) in counts {
        assert!(n >= least, "only {n} {what} were generated (need {least})");
    }
}
