#![cfg(not(target_arch = "wasm32"))]
//! Strategies: a perp bracket that re-enters after a wait, a loan kept between two health
//! factors, a vault topped up from the wallet; their refusals; clearing them.
//!
//! Engines are made exact (instant oracle, no funding, interest or fees, no market depth) so
//! entries fill at the mark.

use margin_lab::engine::orders::{
    BorrowPlan, CancelReason, OrderKind, PerpPlan, Plan, Strategy, StrategyStep, VaultPlan,
};
use margin_lab::engine::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::collections::BTreeMap;

fn a(t: &str) -> AssetId {
    AssetId::new(t)
}

const ME: AccountId = AccountId::USER;
const HOUR: i64 = 3600;

fn exact(mut cfg: EngineConfig) -> EngineConfig {
    for x in &mut cfg.assets {
        x.oracle = OracleSpec::Instant;
        x.rate = RateModel::zero();
        x.stability_fee = Decimal::ZERO;
        x.market_depth = None;
        if let Some(p) = &mut x.perp {
            p.funding_cap = Decimal::ZERO;
        }
    }
    cfg
}

/// "5× long ETH with 50 % of cash, stop −8 %, take +15 %, re-enter after 24 h".
fn bracket() -> Strategy {
    Strategy {
        name: "ETH bracket".into(),
        plan: Plan::Perp(PerpPlan {
            market: a("ETH"),
            side: Side::Long,
            leverage: dec!(5),
            mode: MarginMode::Isolated,
            margin_share: dec!(0.5),
            stop_loss: Some(dec!(0.08)),
            take_profit: Some(dec!(0.15)),
            reenter_after_secs: Some(86_400),
        }),
    }
}

fn step(e: &mut Engine, after: i64, eth: Decimal) -> Vec<Event> {
    let now = e.now() + after;
    e.step(now, &BTreeMap::from([(a("ETH"), eth)])).unwrap()
}

fn strategy_steps(events: &[Event]) -> Vec<StrategyStep> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::StrategyActed { step, .. } => Some(step.clone()),
            _ => None,
        })
        .collect()
}

fn order_prices(e: &Engine) -> Vec<(OrderKind, Decimal)> {
    e.account(&ME)
        .unwrap()
        .automation
        .orders
        .values()
        .map(|o| (o.kind, o.price))
        .collect()
}

fn conserved(e: &Engine) {
    for (asset, r) in e
        .conservation_residual()
        .expect("every vault can be valued")
    {
        assert!(r.abs() < dec!(0.000001), "{asset}: residual {r}");
    }
}

#[test]
fn a_perp_bracket_enters_exits_and_re_enters() {
    let mut e = Engine::new(exact(PresetId::PerpExchange.config())).unwrap();
    // TC0: attaching it enters at once: 5,000 of the 10,000 USDC as margin, 5× at 3,000 =
    // 8.33333333 ETH, stop at 3,000 × 0.92 = 2,760, take at 3,000 × 1.15 = 3,450.
    let evs = e
        .apply(
            ME,
            Command::SetStrategy {
                strategy: bracket(),
            },
        )
        .unwrap();
    assert!(matches!(evs[0].kind, EventKind::StrategySet { .. }));
    assert_eq!(
        strategy_steps(&evs),
        vec![StrategyStep::Entered {
            market: a("ETH"),
            side: Side::Long,
            size: dec!(8.33333333),
            price: dec!(3000),
            margin: dec!(4999.999998),
            slippage: dec!(0),
            entry: 1,
        }]
    );
    assert_eq!(
        order_prices(&e),
        vec![
            (OrderKind::StopLoss, dec!(2760)),
            (OrderKind::TakeProfit, dec!(3450))
        ]
    );
    // TC1: the stop fires at 2,750; the take is cancelled; the strategy waits 24 h.
    let evs = step(&mut e, HOUR, dec!(2750));
    assert!(evs.iter().any(|x| matches!(
        x.kind,
        EventKind::OrderCancelled {
            kind: OrderKind::TakeProfit,
            reason: CancelReason::PositionClosed,
            ..
        }
    )));
    assert_eq!(
        strategy_steps(&evs),
        vec![StrategyStep::Exited {
            wait_secs: Some(86_400)
        }]
    );
    let exit_time = e.now();
    // TC2: 23 hours later, nothing.
    let evs = step(&mut e, 23 * HOUR, dec!(2800));
    assert!(strategy_steps(&evs).is_empty());
    // TC3: at 24 hours it enters again with half of what the wallet holds now, and places a
    // new bracket around the new entry.
    let evs = step(&mut e, HOUR, dec!(2800));
    assert_eq!(e.now(), exit_time + 24 * HOUR);
    let wallet_before = dec!(10000) - dec!(4999.999998)
        + (dec!(4999.999998) + dec!(8.33333333) * (dec!(2750) - dec!(3000)));
    match &strategy_steps(&evs)[..] {
        [StrategyStep::Entered {
            price,
            margin,
            entry: 2,
            ..
        }] => {
            assert_eq!(*price, dec!(2800));
            assert!(
                (*margin - wallet_before / dec!(2)).abs() < dec!(0.0001),
                "{margin}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        order_prices(&e),
        vec![
            (OrderKind::StopLoss, dec!(2576)),
            (OrderKind::TakeProfit, dec!(3220))
        ]
    );
    conserved(&e);
    // TC4: clearing it cancels its orders and keeps the position.
    let evs = e.apply(ME, Command::ClearStrategy).unwrap();
    assert!(matches!(
        evs.last().unwrap().kind,
        EventKind::StrategyCleared {
            orders_cancelled: 2,
            rules_cleared: 0,
            ..
        }
    ));
    assert!(e.account(&ME).unwrap().automation.is_empty());
    assert_eq!(e.account(&ME).unwrap().positions.len(), 1);
}

#[test]
fn a_liquidated_strategy_re_enters_or_says_why_it_cannot() {
    // TC0: 20× with all the cash and no stop: a 6 % fall liquidates the position; the strategy
    // notices after the liquidation, waits an hour, and cannot re-enter with an empty wallet.
    let mut e = Engine::new(exact(PresetId::PerpExchange.config())).unwrap();
    let s = Strategy {
        name: "all in".into(),
        plan: Plan::Perp(PerpPlan {
            market: a("ETH"),
            side: Side::Long,
            leverage: dec!(20),
            mode: MarginMode::Isolated,
            margin_share: dec!(1),
            stop_loss: None,
            take_profit: None,
            reenter_after_secs: Some(3600),
        }),
    };
    e.apply(ME, Command::SetStrategy { strategy: s }).unwrap();
    let evs = step(&mut e, HOUR, dec!(2820));
    let liq = evs
        .iter()
        .position(|x| x.kind.is_liquidation_of(ME))
        .unwrap();
    let exited = evs
        .iter()
        .position(|x| {
            matches!(
                &x.kind,
                EventKind::StrategyActed {
                    step: StrategyStep::Exited { .. },
                    ..
                }
            )
        })
        .unwrap();
    assert!(liq < exited);
    let evs = step(&mut e, HOUR, dec!(2820));
    match &strategy_steps(&evs)[..] {
        [StrategyStep::CouldNotAct {
            reason,
            retry_after_secs: Some(3600),
        }] => {
            assert!(reason.contains("Entering 20× long ETH"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
    // TC1: cash arrives; the next try enters.
    e.apply(
        ME,
        Command::Fund {
            asset: a("USDC"),
            amount: dec!(1000),
        },
    )
    .unwrap();
    let evs = step(&mut e, HOUR, dec!(2820));
    assert!(matches!(
        &strategy_steps(&evs)[..],
        [StrategyStep::Entered { entry: 2, .. }]
    ));
    conserved(&e);
}

#[test]
fn a_loan_kept_between_two_health_factors() {
    // Aave: "deposit all the ETH, borrow USDC to health 1.6, auto-repay at 1.3, boost above 2.0".
    let mut e = Engine::new(exact(PresetId::AaveV3.config())).unwrap();
    let s = Strategy {
        name: "steady loan".into(),
        plan: Plan::Borrow(BorrowPlan {
            collateral: a("ETH"),
            deposit_share: dec!(1),
            borrow: a("USDC"),
            target_health: dec!(1.6),
            repay_below: Some(dec!(1.3)),
            boost_above: Some(dec!(2.0)),
        }),
    };
    // TC0: 10 ETH deposited, 24,900 / 1.6 = 15,562.5 USDC borrowed, two rules set.
    let evs = e.apply(ME, Command::SetStrategy { strategy: s }).unwrap();
    assert_eq!(
        strategy_steps(&evs),
        vec![
            StrategyStep::Deposited {
                asset: a("ETH"),
                amount: dec!(10)
            },
            StrategyStep::Borrowed {
                asset: a("USDC"),
                amount: dec!(15562.5),
                level_after: Some(dec!(1.6))
            },
        ]
    );
    assert_eq!(e.account(&ME).unwrap().automation.rules.len(), 2);
    // TC1: ETH 2,400 → health 19,920 / 15,562.5 = 1.28: auto-repay 15,562.5 − 12,450 = 3,112.5.
    let evs = step(&mut e, HOUR, dec!(2400));
    assert!(evs.iter().any(
        |x| matches!(&x.kind, EventKind::RuleFired { amount, .. } if *amount == dec!(3112.5))
    ));
    // TC2: ETH 4,000 → health 33,200 / 12,450 = 2.67: boost back to 1.6 (8,300 more).
    let evs = step(&mut e, HOUR, dec!(4000));
    assert!(evs
        .iter()
        .any(|x| matches!(&x.kind, EventKind::RuleFired { amount, .. } if *amount == dec!(8300))));
    conserved(&e);
    // TC3: clearing it clears both rules; the loan stays.
    let evs = e.apply(ME, Command::ClearStrategy).unwrap();
    assert!(matches!(
        evs.last().unwrap().kind,
        EventKind::StrategyCleared {
            rules_cleared: 2,
            ..
        }
    ));
    assert!(!e.account(&ME).unwrap().debt_scaled.is_empty());
}

#[test]
fn a_vault_topped_up_from_the_rest_of_the_wallet() {
    // Maker SCD: 60 % of the 10 ETH in a vault drawn to 200 %, topped up below 170 %.
    let mut e = Engine::new(exact(PresetId::MakerScd.config())).unwrap();
    let s = Strategy {
        name: "safe vault".into(),
        plan: Plan::Vault(VaultPlan {
            collateral: a("ETH"),
            deposit_share: dec!(0.6),
            target_ratio: dec!(2),
            top_up_below: Some(dec!(1.7)),
        }),
    };
    // TC0: 6 ETH deposited, 18,000 / 2 = 9,000 DAI drawn.
    let evs = e.apply(ME, Command::SetStrategy { strategy: s }).unwrap();
    assert_eq!(
        strategy_steps(&evs),
        vec![
            StrategyStep::Deposited {
                asset: a("ETH"),
                amount: dec!(6)
            },
            StrategyStep::Borrowed {
                asset: a("DAI"),
                amount: dec!(9000),
                level_after: Some(dec!(2))
            },
        ]
    );
    // TC1: ETH 2,400 → ratio 14,400 / 9,000 = 1.6 < 1.7: 2 × 9,000 / 2,400 − 6 = 1.5 ETH added.
    let evs = step(&mut e, HOUR, dec!(2400));
    assert!(evs
        .iter()
        .any(|x| matches!(&x.kind, EventKind::RuleFired { amount, .. } if *amount == dec!(1.5))));
    conserved(&e);
}

#[test]
fn refused_strategies_change_nothing() {
    let perps = Engine::new(exact(PresetId::PerpExchange.config())).unwrap();
    let with = |f: &dyn Fn(&mut PerpPlan)| {
        let mut s = bracket();
        if let Plan::Perp(p) = &mut s.plan {
            f(p);
        }
        s
    };
    let cases: Vec<(Strategy, &str)> = vec![
        // TC0, TC1: names.
        (
            Strategy {
                name: String::new(),
                ..bracket()
            },
            "1 to 40 characters",
        ),
        (
            Strategy {
                name: "x".repeat(41),
                ..bracket()
            },
            "1 to 40 characters",
        ),
        // TC2, TC3: leverage.
        (with(&|p| p.leverage = dec!(0.5)), "at least 1x"),
        (with(&|p| p.leverage = dec!(500)), "maximum"),
        // TC4, TC5: share of cash.
        (with(&|p| p.margin_share = dec!(0)), "share of cash"),
        (with(&|p| p.margin_share = dec!(1.5)), "share of cash"),
        // TC6: a stop of 100 %.
        (with(&|p| p.stop_loss = Some(dec!(1))), "stop-loss"),
        // TC7: a short's take of 100 % (a price of zero).
        (
            with(&|p| {
                p.side = Side::Short;
                p.take_profit = Some(dec!(1));
            }),
            "take-profit",
        ),
        // TC8: no wait.
        (
            with(&|p| p.reenter_after_secs = Some(0)),
            "between 1 second and a year",
        ),
        // TC9: not a perp market.
        (
            with(&|p| p.market = a("USDC")),
            "cannot be traded as a perpetual",
        ),
        // TC10: a loan plan without collateral in the wallet.
        (
            Strategy {
                name: "loan".into(),
                plan: Plan::Borrow(BorrowPlan {
                    collateral: a("ETH"),
                    deposit_share: dec!(1),
                    borrow: a("USDC"),
                    target_health: dec!(1.6),
                    repay_below: None,
                    boost_above: None,
                }),
            },
            "you hold no ETH to deposit",
        ),
        // TC11: more margin than the 10,000 USDC at 100× ... the tier caps leverage for the size.
        (
            with(&|p| {
                p.leverage = dec!(125);
                p.margin_share = dec!(1);
            }),
            "can use at most",
        ),
    ];
    for (i, (s, words)) in cases.into_iter().enumerate() {
        let mut e = perps.clone();
        let before = format!("{e:?}");
        let err = e
            .apply(ME, Command::SetStrategy { strategy: s })
            .unwrap_err()
            .to_string();
        assert!(err.contains(words), "TC{i}: {err}");
        assert_eq!(before, format!("{e:?}"), "TC{i}");
    }
    // TC12: a second strategy while one is attached.
    let mut e = perps.clone();
    e.apply(
        ME,
        Command::SetStrategy {
            strategy: bracket(),
        },
    )
    .unwrap();
    let before = format!("{e:?}");
    let err = e
        .apply(
            ME,
            Command::SetStrategy {
                strategy: bracket(),
            },
        )
        .unwrap_err();
    assert!(err.to_string().contains("already attached"), "{err}");
    assert_eq!(before, format!("{e:?}"));
    // TC13: clearing when none is attached.
    let mut e = perps.clone();
    assert!(e
        .apply(ME, Command::ClearStrategy)
        .unwrap_err()
        .to_string()
        .contains("No strategy"));
    // TC14: a vault plan whose target is below the liquidation ratio.
    let mut e = Engine::new(exact(PresetId::MakerScd.config())).unwrap();
    let err = e
        .apply(
            ME,
            Command::SetStrategy {
                strategy: Strategy {
                    name: "v".into(),
                    plan: Plan::Vault(VaultPlan {
                        collateral: a("ETH"),
                        deposit_share: dec!(1),
                        target_ratio: dec!(1.4),
                        top_up_below: None,
                    }),
                },
            },
        )
        .unwrap_err();
    assert!(err.to_string().contains("liquidation ratio"), "{err}");
    // TC15: a loan plan on vaults.
    let err = e
        .apply(
            ME,
            Command::SetStrategy {
                strategy: Strategy {
                    name: "loan".into(),
                    plan: Plan::Borrow(BorrowPlan {
                        collateral: a("ETH"),
                        deposit_share: dec!(1),
                        borrow: a("DAI"),
                        target_health: dec!(1.6),
                        repay_below: None,
                        boost_above: None,
                    }),
                },
            },
        )
        .unwrap_err();
    assert!(
        err.to_string().contains("not available in this scenario"),
        "{err}"
    );
}

#[test]
fn entry_only_strips_the_automation() {
    // TC0: the "no strategy" comparison keeps the entry and drops stops, takes, re-entries.
    let s = bracket().entry_only();
    assert!(!s.automates());
    assert!(bracket().automates());
    assert_eq!(
        bracket().summary(),
        "5× long ETH with 50% of cash, stop −8%, take +15%, re-enter after 1 d"
    );
}
