#![cfg(not(target_arch = "wasm32"))]
//! Alerts, extreme inputs and rejection messages.

use margin_lab::engine::system::rules_2026_11::{aave_v3, perp_exchange};
use margin_lab::engine::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::collections::BTreeMap;

fn a(t: &str) -> AssetId {
    AssetId::new(t)
}

fn triggered(events: &[Event]) -> usize {
    events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::AlertTriggered { .. }))
        .count()
}

#[test]
fn health_alert_fires_once_and_rearms() {
    let mut e = Engine::new(aave_v3()).unwrap();
    let me = AccountId::USER;
    e.apply(
        me,
        Command::Deposit {
            asset: a("ETH"),
            amount: dec!(10),
        },
    )
    .unwrap();
    e.apply(
        me,
        Command::Borrow {
            asset: a("USDC"),
            amount: dec!(12000),
        },
    )
    .unwrap();
    e.apply(
        me,
        Command::SetAlert {
            kind: AlertKind::HealthFactorBelow,
            threshold: dec!(1.5),
        },
    )
    .unwrap();
    let steps = [
        // TC0: HF 2.06 -> nothing
        (dec!(3000), 0),
        // TC1: ETH 2000 -> HF 1.375 < 1.5 -> fires
        (dec!(2000), 1),
        // TC2: still below -> does not fire again
        (dec!(1990), 0),
        // TC3: recovers -> re-arms silently
        (dec!(3000), 0),
        // TC4: falls again -> fires again
        (dec!(2100), 1),
    ];
    for (i, (price, fired)) in steps.into_iter().enumerate() {
        let events = e
            .step(60 * (i as i64 + 1), &BTreeMap::from([(a("ETH"), price)]))
            .unwrap();
        assert_eq!(triggered(&events), fired, "step {i}");
    }
}

#[test]
fn margin_ratio_alert() {
    // TC0: isolated long 1 BTC 10x: margin ratio 300/6000 = 0.05; BTC 56000 -> 280/2000 = 0.14 > 0.1
    let mut e = Engine::new(perp_exchange()).unwrap();
    let me = AccountId::USER;
    e.apply(
        me,
        Command::OpenPosition {
            market: a("BTC"),
            side: Side::Long,
            size: dec!(1),
            leverage: dec!(10),
            mode: MarginMode::Isolated,
        },
    )
    .unwrap();
    e.apply(
        me,
        Command::SetAlert {
            kind: AlertKind::MarginRatioAbove,
            threshold: dec!(0.1),
        },
    )
    .unwrap();
    assert_eq!(
        triggered(
            &e.step(60, &BTreeMap::from([(a("BTC"), dec!(59000))]))
                .unwrap()
        ),
        0
    );
    assert_eq!(
        triggered(
            &e.step(120, &BTreeMap::from([(a("BTC"), dec!(56000))]))
                .unwrap()
        ),
        1
    );
}

#[test]
fn extreme_times_do_not_panic() {
    // TC0: a jump to the end of time with no debt is fine; time cannot go further
    let mut e = Engine::new(aave_v3()).unwrap();
    e.step(i64::MAX, &BTreeMap::new()).unwrap();
    assert!(matches!(
        e.step(i64::MAX, &BTreeMap::new()),
        Err(EngineError::TimeNotIncreasing { .. })
    ));
    // TC1: from the start of time to the end overflows the interval: an error, nothing changes
    let mut cfg = aave_v3();
    cfg.start_time = i64::MIN;
    let mut e = Engine::new(cfg).unwrap();
    let before = format!("{e:?}");
    assert!(e.step(i64::MAX, &BTreeMap::new()).is_err());
    assert_eq!(before, format!("{e:?}"));
    // TC2: a century of interest at a high utilisation either works or is an error, never a panic
    let mut e = Engine::new(aave_v3()).unwrap();
    let me = AccountId::USER;
    e.apply(
        me,
        Command::Deposit {
            asset: a("WBTC"),
            amount: dec!(1),
        },
    )
    .unwrap();
    e.apply(
        me,
        Command::Borrow {
            asset: a("USDC"),
            amount: dec!(40000),
        },
    )
    .unwrap();
    let _ = e.step(100 * 31_536_000, &BTreeMap::new());
}

#[test]
fn rejections_read_as_plain_english() {
    let mut e = Engine::new(aave_v3()).unwrap();
    let me = AccountId::USER;
    let cases: Vec<(Command, &str)> = vec![
        // TC0: more than the wallet holds
        (
            Command::Deposit {
                asset: a("ETH"),
                amount: dec!(11),
            },
            "You only have 10 ETH in your wallet; this needs 11",
        ),
        // TC1: zero amount
        (
            Command::Deposit {
                asset: a("ETH"),
                amount: dec!(0),
            },
            "The amount must be above zero",
        ),
        // TC2: unknown asset
        (
            Command::Deposit {
                asset: a("DOGE"),
                amount: dec!(1),
            },
            "DOGE is not an asset in this scenario",
        ),
        // TC3: vault command in a pooled scenario
        (
            Command::VaultDeposit {
                collateral: a("ETH"),
                amount: dec!(1),
            },
            "is not available in this scenario: it uses a multi-collateral account",
        ),
        // TC4: collateral-only asset
        (
            Command::Borrow {
                asset: a("WBTC"),
                amount: dec!(1),
            },
            "WBTC cannot be borrowed",
        ),
        // TC5: repaying debt you do not have
        (
            Command::Repay {
                asset: a("USDC"),
                amount: dec!(1),
            },
            "You owe 0 USDC",
        ),
        // TC6: not a perp market
        (
            Command::OpenPosition {
                market: a("ETH"),
                side: Side::Long,
                size: dec!(1),
                leverage: dec!(2),
                mode: MarginMode::Cross,
            },
            "cannot be traded as a perpetual",
        ),
    ];
    for (cmd, text) in cases {
        let err = e.apply(me, cmd.clone()).unwrap_err().to_string();
        assert!(err.contains(text), "{cmd:?}: {err}");
    }
    // TC7: a perp leverage above the maximum
    let mut p = Engine::new(perp_exchange()).unwrap();
    let err = p
        .apply(
            me,
            Command::OpenPosition {
                market: a("BTC"),
                side: Side::Long,
                size: dec!(0.01),
                leverage: dec!(75),
                mode: MarginMode::Isolated,
            },
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Leverage 75x is above this market's maximum of 50x"
    );
    // TC8: unknown account
    let err = e
        .apply(
            AccountId(999),
            Command::Fund {
                asset: a("ETH"),
                amount: Decimal::ONE,
            },
        )
        .unwrap_err();
    assert_eq!(err.to_string(), "account #999 does not exist");
}

#[test]
fn caps_and_liquidity_limits() {
    let mut cfg = aave_v3();
    for x in &mut cfg.assets {
        if x.id == a("ETH") {
            x.supply_cap = Some(dec!(15));
        }
        if x.id == a("USDC") {
            x.borrow_cap = Some(dec!(25000));
        }
    }
    let mut e = Engine::new(cfg).unwrap();
    let me = AccountId::USER;
    e.apply(
        me,
        Command::Fund {
            asset: a("ETH"),
            amount: dec!(100),
        },
    )
    .unwrap();
    // TC0: supply cap 15 ETH
    e.apply(
        me,
        Command::Deposit {
            asset: a("ETH"),
            amount: dec!(15),
        },
    )
    .unwrap();
    let err = e
        .apply(
            me,
            Command::Deposit {
                asset: a("ETH"),
                amount: dec!(1),
            },
        )
        .unwrap_err();
    assert_eq!(
        err,
        Rejection::SupplyCap {
            asset: a("ETH"),
            cap: dec!(15)
        }
    );
    // TC1: borrow cap 25000 USDC
    let err = e
        .apply(
            me,
            Command::Borrow {
                asset: a("USDC"),
                amount: dec!(25001),
            },
        )
        .unwrap_err();
    assert_eq!(
        err,
        Rejection::BorrowCap {
            asset: a("USDC"),
            cap: dec!(25000)
        }
    );
    // TC2: pool liquidity: ETH is borrowable but only 15 ETH are supplied; WBTC collateral backs it
    e.apply(
        me,
        Command::Deposit {
            asset: a("WBTC"),
            amount: dec!(1),
        },
    )
    .unwrap();
    let err = e
        .apply(
            me,
            Command::Borrow {
                asset: a("ETH"),
                amount: dec!(16),
            },
        )
        .unwrap_err();
    assert_eq!(
        err,
        Rejection::InsufficientLiquidity {
            asset: a("ETH"),
            available: dec!(15)
        }
    );
    // TC3: withdrawing collateral that backs a loan is refused past the borrow limit:
    // WBTC may go (15 ETH still allow 36000), but then 10 ETH may not (5 ETH allow 12000 < 20000)
    e.apply(
        me,
        Command::Borrow {
            asset: a("USDC"),
            amount: dec!(20000),
        },
    )
    .unwrap();
    e.apply(
        me,
        Command::Withdraw {
            asset: a("WBTC"),
            amount: dec!(1),
        },
    )
    .unwrap();
    let err = e
        .apply(
            me,
            Command::Withdraw {
                asset: a("ETH"),
                amount: dec!(10),
            },
        )
        .unwrap_err();
    assert!(matches!(err, Rejection::BorrowLimit { .. }), "{err}");
}

#[test]
fn invalid_configs_are_refused() {
    type Mutation = fn(&mut EngineConfig);
    let cases: Vec<(Mutation, &str)> = vec![
        // TC0: LTV above the liquidation threshold
        (|c| c.assets[1].ltv = dec!(0.9), "LTV"),
        // TC1: duplicate asset
        (|c| c.assets.push(c.assets[0].clone()), "listed twice"),
        // TC2: unknown debt asset
        (|c| c.debt_asset = AssetId::new("XYZ"), "debt asset"),
        // TC3: zero price
        (|c| c.assets[0].initial_price = dec!(0), "initial price"),
        // TC4: stability pool with pooled collateral
        (
            |c| c.liquidation = LiquidationKind::StabilityPool,
            "stability pool",
        ),
        // TC5: close factor above 1
        (|c| c.close_factor = dec!(1.5), "close factor"),
        // TC6: an initial command that is rejected
        (
            |c| {
                c.initial_accounts[1].commands.push(Command::Borrow {
                    asset: AssetId::new("USDC"),
                    amount: dec!(1),
                })
            },
            "borrow limit",
        ),
    ];
    for (mutate, text) in cases {
        let mut cfg = aave_v3();
        mutate(&mut cfg);
        let err = Engine::new(cfg).unwrap_err().to_string();
        assert!(err.contains(text), "{err}");
    }
}

// Messages that used to mislead (issue: "Messages that mislead"). Each expected text is the
// wording written in `engine/error.rs`; the old text it replaces is named in the comment, and no
// message may still contain it.
#[test]
fn out_of_range_values_are_named_as_such() {
    let me = AccountId::USER;
    let fund = |amount| Command::Fund {
        asset: a("USDC"),
        amount,
    };
    let cases: Vec<(Vec<Command>, Command, &str, &str)> = vec![
        // TC0: an alert threshold far above the limit was told "must be above zero"
        (
            vec![],
            Command::SetAlert {
                kind: AlertKind::HealthFactorBelow,
                threshold: dec!(1e28),
            },
            "The alert threshold must be above zero and at most 10^15 (1,000,000,000,000,000); got 10,000,000,000,000,000,000,000,000,000",
            "must be above zero;",
        ),
        // TC1: a zero threshold
        (
            vec![],
            Command::SetAlert {
                kind: AlertKind::HealthFactorBelow,
                threshold: dec!(0),
            },
            "The alert threshold must be above zero and at most 10^15 (1,000,000,000,000,000); got 0",
            "must be above zero;",
        ),
        // TC2: funding that takes the wallet (which already holds some USDC) past the cap was
        // told "at most 10^15; got 10^15"
        (
            vec![],
            fund(dec!(1_000_000_000_000_000)),
            "1,000,000,000,000,000 would take a balance above the limit of 10^15 (1,000,000,000,000,000)",
            "at most 10^15; got",
        ),
        // TC3: an amount just past the cap is shown in full, not rounded to the cap
        (
            vec![],
            fund(dec!(1_000_000_000_000_000.000000000001)),
            "The amount 1,000,000,000,000,000.000000000001 is above the limit of 10^15 (1,000,000,000,000,000)",
            "at most 10^15; got",
        ),
        // TC4: a tiny negative amount is shown in full
        (
            vec![],
            fund(dec!(-0.0000000001)),
            "The amount must be above zero; got -0.0000000001",
            "at most 10^15",
        ),
    ];
    for (k, (setup, command, want, old)) in cases.into_iter().enumerate() {
        let mut e = Engine::new(aave_v3()).unwrap();
        for c in setup {
            e.apply(me, c).unwrap();
        }
        let before = e.log_hash();
        let msg = e.apply(me, command).unwrap_err().to_string();
        assert_eq!(msg, want, "TC{k}");
        assert!(!msg.contains(old), "TC{k}: {msg}");
        assert_eq!(e.log_hash(), before, "TC{k}: a refusal changes nothing");
    }
}

// TC5: withdrawing more from the stability pool than was put in was described as "deposited as
// collateral"; it names the stability pool.
#[test]
fn a_stability_withdrawal_names_the_pool() {
    let mut e = Engine::new(margin_lab::engine::system::rules_2026_11::liquity()).unwrap();
    let me = AccountId::USER;
    e.apply(
        me,
        Command::Fund {
            asset: a("LUSD"),
            amount: dec!(500),
        },
    )
    .unwrap();
    e.apply(me, Command::StabilityDeposit { amount: dec!(300) })
        .unwrap();
    let msg = e
        .apply(me, Command::StabilityWithdraw { amount: dec!(400) })
        .unwrap_err()
        .to_string();
    assert_eq!(
        msg,
        "You only have 300 LUSD in the stability pool; this withdrawal needs 400"
    );
    // TC6: a withdrawal without gains said "(plus  collateral gains)" with nothing in between.
    let events = e
        .apply(me, Command::StabilityWithdraw { amount: dec!(100) })
        .unwrap();
    let described: Vec<String> = events.iter().map(|ev| ev.kind.describe()).collect();
    assert!(
        described.contains(
            &"your account withdrew 100 from the stability pool (no collateral gains).".to_string()
        ),
        "{described:?}"
    );
}
