#![cfg(not(target_arch = "wasm32"))]
//! Liquidation mechanisms against hand-computed examples.

use margin_lab::engine::system::rules_2026_11::{
    aave_v3, compound_iii, liquity, maker, perp_exchange,
};
mod common;

use common::{a, conserved, exact as no_depth, liquidations, prices};
use margin_lab::engine::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// Aave-like account: 10 ETH collateral, 20,000 USDC debt (HF 1.2375).
fn aave_borrower() -> Engine {
    let mut e = Engine::new(no_depth(aave_v3())).unwrap();
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
            amount: dec!(20000),
        },
    )
    .unwrap();
    e
}

#[test]
fn partial_liquidation_close_factor() {
    // (ETH price, repaid, seized, HF after, bad debt)
    let cases = [
        // TC0: HF 0.99 >= 0.95 -> close factor 50%: repay 10000, seize 10000 x 1.05 / 2400 = 4.375
        (
            dec!(2400),
            dec!(10000),
            dec!(4.375),
            Some(dec!(1.11375)),
            dec!(0),
        ),
        // TC1: HF 0.9075 < 0.95 -> 100%: repay 20000, seize 20000 x 1.05 / 2200
        (
            dec!(2200),
            dec!(20000),
            dec!(9.545454545454545454545454545),
            None,
            dec!(0),
        ),
        // TC2: HF 0.7425 and collateral short: seize all 10, repay 18000 / 1.05, rest is bad debt
        (
            dec!(1800),
            dec!(17142.857142857142857142857143),
            dec!(10),
            None,
            dec!(2857.142857142857142857142857),
        ),
    ];
    for (price, repaid, seized, hf_after, bad) in cases {
        let mut e = aave_borrower();
        let events = e.step(60, &prices(&[("ETH", price)])).unwrap();
        let liq = liquidations(&events);
        assert_eq!(liq.len(), 1, "price {price}: {liq:?}");
        let EventKind::Liquidated {
            debt_repaid,
            collateral_seized,
            health_after,
            bad_debt,
            price_used,
            ..
        } = &liq[0]
        else {
            unreachable!()
        };
        assert_eq!(*price_used, price);
        assert_eq!(
            debt_repaid.round_dp(18),
            repaid.round_dp(18),
            "price {price}"
        );
        assert_eq!(
            collateral_seized.round_dp(18),
            seized.round_dp(18),
            "price {price}"
        );
        assert_eq!(
            health_after.map(|h| h.round_dp(10)),
            hf_after,
            "price {price}"
        );
        assert_eq!(bad_debt.round_dp(18), bad.round_dp(18), "price {price}");
        let sys = e.system_metrics();
        assert_eq!(sys.bad_debt_value.round_dp(18), bad.round_dp(18));
        conserved(&e);
        assert!(!e.is_liquidatable(&AccountId::USER));
    }
}

#[test]
fn full_liquidation_compound_absorb() {
    // TC0: 10 ETH, 20000 USDC; ETH 2200: 19690 < 20000 -> absorb. Credit 22000 x 0.95 = 20900:
    // debt repaid, 900 USDC surplus returned, 1100 penalty to reserves.
    let mut e = Engine::new(no_depth(compound_iii())).unwrap();
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
            amount: dec!(20000),
        },
    )
    .unwrap();
    let wallet_before = e.account(&me).unwrap().wallet(&a("USDC"));
    let events = e.step(60, &prices(&[("ETH", dec!(2200))])).unwrap();
    let liq = liquidations(&events);
    let EventKind::Liquidated {
        debt_repaid,
        collateral_seized,
        penalty_value,
        returned_to_owner,
        bad_debt,
        ..
    } = &liq[0]
    else {
        panic!("{events:?}")
    };
    assert_eq!(
        (
            *debt_repaid,
            *collateral_seized,
            *penalty_value,
            *returned_to_owner,
            *bad_debt
        ),
        (dec!(20000), dec!(10), dec!(1100), dec!(900), dec!(0))
    );
    assert_eq!(
        e.account(&me).unwrap().wallet(&a("USDC")) - wallet_before,
        dec!(900)
    );
    let m = e.account_metrics(&me).unwrap();
    assert_eq!(
        (m.health_factor, m.debt_value, m.collateral_value),
        (None, dec!(0), dec!(0))
    );
    conserved(&e);
    // TC1: ETH 1900: credit 18050 < 20000 -> 1950 bad debt
    let mut e = Engine::new(no_depth(compound_iii())).unwrap();
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
            amount: dec!(20000),
        },
    )
    .unwrap();
    let events = e.step(60, &prices(&[("ETH", dec!(1900))])).unwrap();
    assert!(events
        .iter()
        .any(|ev| matches!(&ev.kind, EventKind::BadDebt { amount, .. } if *amount == dec!(1950))));
    conserved(&e);
}

#[test]
fn maker_vault_bite() {
    // TC0: 10 ETH, 15000 DAI (CR 2). ETH 2200: CR 1.4667 < 1.5. tab = 15000 x 1.13 = 16950 DAI
    // -> 7.7045... ETH sold, 2.2954... ETH returned, 1950 DAI penalty to the surplus.
    let mut e = Engine::new(no_depth(maker())).unwrap();
    let me = AccountId::USER;
    e.apply(
        me,
        Command::VaultDeposit {
            collateral: a("ETH"),
            amount: dec!(10),
        },
    )
    .unwrap();
    e.apply(
        me,
        Command::VaultBorrow {
            collateral: a("ETH"),
            amount: dec!(15000),
        },
    )
    .unwrap();
    let events = e.step(1, &prices(&[("ETH", dec!(2200))])).unwrap();
    let liq = liquidations(&events);
    let EventKind::Liquidated {
        debt_repaid,
        collateral_seized,
        returned_to_owner,
        penalty_value,
        vault,
        ..
    } = &liq[0]
    else {
        panic!()
    };
    assert_eq!(vault, &Some(a("ETH")));
    assert_eq!(*debt_repaid, dec!(15000));
    assert_eq!(*collateral_seized, dec!(7.7045454545454545454545454545));
    assert_eq!(*returned_to_owner, dec!(2.2954545454545454545454545455));
    assert_eq!(*penalty_value, dec!(1950));
    assert!(e.account_metrics(&me).unwrap().vaults.is_empty());
    conserved(&e);
}

#[test]
fn liquity_stability_pool_and_redistribution() {
    // TC0: trove 10 ETH / 20000 LUSD; ETH 2100 -> CR 1.05 < 1.10. The pool (1,000,000) absorbs
    // all 20000 and receives the 10 ETH; depositors gain 1000 of value.
    let mut e = Engine::new(no_depth(liquity())).unwrap();
    let me = AccountId::USER;
    e.apply(
        me,
        Command::VaultDeposit {
            collateral: a("ETH"),
            amount: dec!(10),
        },
    )
    .unwrap();
    e.apply(
        me,
        Command::VaultBorrow {
            collateral: a("ETH"),
            amount: dec!(20000),
        },
    )
    .unwrap();
    let events = e.step(1, &prices(&[("ETH", dec!(2100))])).unwrap();
    let liq = liquidations(&events);
    let EventKind::Liquidated {
        debt_repaid,
        collateral_seized,
        penalty_value,
        receiver,
        ..
    } = &liq[0]
    else {
        panic!()
    };
    assert_eq!(
        (*debt_repaid, *collateral_seized, *penalty_value),
        (dec!(20000), dec!(10), dec!(1000))
    );
    assert_eq!(receiver, "stability pool depositors");
    assert_eq!(e.system_metrics().stability_pool, dec!(980000));
    let lp = e.account_metrics(&AccountId(1)).unwrap();
    assert_eq!(lp.stability_deposit, dec!(980000));
    conserved(&e);
    // TC1: depositor withdraws and receives the 10 ETH gain
    let w = e
        .apply(
            AccountId(1),
            Command::StabilityWithdraw {
                amount: dec!(980000),
            },
        )
        .unwrap();
    let EventKind::StabilityWithdrawn {
        collateral_gains, ..
    } = &w[0].kind
    else {
        panic!()
    };
    assert_eq!(collateral_gains[0].amount, dec!(10));
    conserved(&e);
    // TC2: with an empty pool, the debt is redistributed to the other trove
    let mut e = Engine::new(no_depth(liquity())).unwrap();
    e.apply(
        AccountId(1),
        Command::StabilityWithdraw {
            amount: dec!(1000000),
        },
    )
    .unwrap();
    e.apply(
        me,
        Command::VaultDeposit {
            collateral: a("ETH"),
            amount: dec!(10),
        },
    )
    .unwrap();
    e.apply(
        me,
        Command::VaultBorrow {
            collateral: a("ETH"),
            amount: dec!(20000),
        },
    )
    .unwrap();
    let events = e.step(1, &prices(&[("ETH", dec!(2100))])).unwrap();
    assert!(events
        .iter()
        .any(|ev| matches!(&ev.kind, EventKind::Redistributed { recipients: 1, .. })));
    let lp = e.account_metrics(&AccountId(1)).unwrap();
    assert_eq!(
        (lp.vaults[0].collateral, lp.vaults[0].debt),
        (dec!(1010), dec!(1020000))
    );
    conserved(&e);
}

fn perp_engine(insurance: Decimal) -> Engine {
    let mut cfg = no_depth(perp_exchange());
    cfg.insurance_fund = insurance;
    Engine::new(cfg).unwrap()
}

#[test]
fn perp_isolated_liquidation_and_insurance() {
    let me = AccountId::USER;
    // (BTC price, fee to insurance, insurance used, returned)
    let cases = [
        // TC0: long 1 BTC 10x at 60000 (margin 6000, MMR 0.5%): liquidation price 54271.36.
        // At 54500: equity 500 < MM 272.5? no -> not liquidated. At 54200 equity 200 < 271: fee
        // min(54200 x 1.25%, 200) = 200 to the insurance fund, nothing returned.
        (dec!(54200), dec!(200), dec!(0), dec!(0)),
        // TC1: at 53000 the loss (7000) exceeds the margin: 1000 from the insurance fund.
        (dec!(53000), dec!(0), dec!(1000), dec!(0)),
    ];
    for (price, fee, used, returned) in cases {
        let mut e = perp_engine(dec!(1000000));
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
        assert_eq!(
            e.account_metrics(&me).unwrap().positions[0]
                .liquidation_price
                .unwrap()
                .round_dp(2),
            dec!(54271.36)
        );
        assert!(e
            .step(30, &prices(&[("BTC", dec!(54500))]))
            .unwrap()
            .iter()
            .all(|ev| !matches!(ev.kind, EventKind::PositionLiquidated { .. })));
        let events = e.step(60, &prices(&[("BTC", price)])).unwrap();
        let ev = events.iter().find_map(|ev| match &ev.kind {
            k @ EventKind::PositionLiquidated { .. } => Some(k.clone()),
            _ => None,
        });
        let Some(EventKind::PositionLiquidated {
            fee_to_insurance,
            insurance_used,
            returned_to_owner,
            mark_price,
            ..
        }) = ev
        else {
            panic!("{events:?}")
        };
        assert_eq!(
            (
                fee_to_insurance,
                insurance_used,
                returned_to_owner,
                mark_price
            ),
            (fee, used, returned, price)
        );
        assert_eq!(
            e.system_metrics().insurance_fund,
            dec!(1000000) + fee - used
        );
        assert!(e.account_metrics(&me).unwrap().positions.is_empty());
        conserved(&e);
    }
}

#[test]
fn perp_auto_deleveraging_when_insurance_is_empty() {
    // TC0: no insurance fund; the user is long 1 BTC 10x, account #2 short 1 BTC 5x.
    // BTC 53000: the user's deficit is 1000; ADL closes the short at 54000 instead of 53000,
    // so it gives up 1000 of its 7000 profit.
    let mut e = perp_engine(dec!(0));
    let me = AccountId::USER;
    let other = AccountId(2);
    e.apply(
        other,
        Command::CreateAccount {
            label: "short".into(),
        },
    )
    .unwrap();
    e.apply(
        other,
        Command::Fund {
            asset: a("USDC"),
            amount: dec!(20000),
        },
    )
    .unwrap();
    e.apply(
        other,
        Command::OpenPosition {
            market: a("BTC"),
            side: Side::Short,
            size: dec!(1),
            leverage: dec!(5),
            mode: MarginMode::Isolated,
        },
    )
    .unwrap();
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
    let events = e.step(60, &prices(&[("BTC", dec!(53000))])).unwrap();
    let adl = events.iter().find_map(|ev| match &ev.kind {
        EventKind::AutoDeleveraged {
            account,
            price,
            profit_forgone,
            size,
            ..
        } => Some((*account, *price, *profit_forgone, *size)),
        _ => None,
    });
    assert_eq!(adl, Some((other, dec!(54000), dec!(1000), dec!(1))));
    // the short got margin 12000 back plus 6000 profit
    assert_eq!(e.account(&other).unwrap().wallet(&a("USDC")), dec!(26000));
    assert_eq!(e.system_metrics().bad_debt_value, dec!(0));
    conserved(&e);
    // TC1: nobody to deleverage -> the deficit is bad debt
    let mut e = perp_engine(dec!(0));
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
    e.step(60, &prices(&[("BTC", dec!(53000))])).unwrap();
    assert_eq!(e.system_metrics().bad_debt_value, dec!(1000));
    conserved(&e);
}

#[test]
fn perp_cross_margin_shares_equity() {
    // TC0: cross long 1 BTC at 10x with a 10000 wallet: equity 10000 backs it; the liquidation
    // price is lower than isolated: (0 + 60000 - 10000) / 0.995 = 50251.26
    let mut e = perp_engine(dec!(1000000));
    let me = AccountId::USER;
    e.apply(
        me,
        Command::OpenPosition {
            market: a("BTC"),
            side: Side::Long,
            size: dec!(1),
            leverage: dec!(10),
            mode: MarginMode::Cross,
        },
    )
    .unwrap();
    let m = e.account_metrics(&me).unwrap();
    assert_eq!(
        m.positions[0].liquidation_price.unwrap().round_dp(2),
        dec!(50251.26)
    );
    // TC1: a second cross position needs initial margin from the same equity: 3 ETH x 3000 / 2 = 4500
    // more than the 4000 left -> rejected, nothing changes
    let before = e.log_hash();
    let err = e
        .apply(
            me,
            Command::OpenPosition {
                market: a("ETH"),
                side: Side::Short,
                size: dec!(3),
                leverage: dec!(2),
                mode: MarginMode::Cross,
            },
        )
        .unwrap_err();
    assert!(err.to_string().contains("needs $10,500 of margin"), "{err}");
    assert_eq!(e.log_hash(), before);
    // TC2: BTC 50000 -> book liquidated, wallet keeps what is left after the fee
    e.step(60, &prices(&[("BTC", dec!(50000))])).unwrap();
    assert!(e.account_metrics(&me).unwrap().positions.is_empty());
    conserved(&e);
}

#[test]
fn liquidation_sales_move_the_market_and_cascade() {
    // TC0: 200 borrowers with staggered health; a thin ETH market (depth 2M). A 15% drop
    // liquidates the weakest; their sales push the price further and liquidate more.
    let mut cfg = aave_v3();
    for x in &mut cfg.assets {
        if x.id == a("ETH") {
            x.market_depth = Some(dec!(2_000_000));
        }
    }
    let mut e = Engine::new(cfg).unwrap();
    for i in 0..200u64 {
        let id = AccountId(100 + i);
        e.apply(
            id,
            Command::CreateAccount {
                label: format!("borrower {i}"),
            },
        )
        .unwrap();
        e.apply(
            id,
            Command::Fund {
                asset: a("ETH"),
                amount: dec!(10),
            },
        )
        .unwrap();
        e.apply(
            id,
            Command::Deposit {
                asset: a("ETH"),
                amount: dec!(10),
            },
        )
        .unwrap();
        let borrow = dec!(18000) + Decimal::from(i) * dec!(25);
        e.apply(
            id,
            Command::Borrow {
                asset: a("USDC"),
                amount: borrow,
            },
        )
        .unwrap();
    }
    let events = e.step(60, &prices(&[("ETH", dec!(2550))])).unwrap();
    let stats = e.last_step_stats();
    assert!(stats.rounds > 1, "{stats:?}");
    assert!(events
        .iter()
        .any(|ev| matches!(ev.kind, EventKind::MarketImpact { .. })));
    assert!(e.market_prices()[&a("ETH")] < dec!(2550));
    conserved(&e);
    for i in 0..200u64 {
        assert!(!e.is_liquidatable(&AccountId(100 + i)));
    }
}

#[test]
fn index_skips_accounts_far_from_liquidation() {
    // TC0: 1000 safe accounts (HF ~4); a 1% price move checks none of them.
    let mut e = Engine::new(no_depth(aave_v3())).unwrap();
    for i in 0..1000u64 {
        let id = AccountId(10 + i);
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
        e.apply(
            id,
            Command::Borrow {
                asset: a("USDC"),
                amount: dec!(600),
            },
        )
        .unwrap();
    }
    e.step(60, &prices(&[("ETH", dec!(2970))])).unwrap();
    assert_eq!(e.last_step_stats().accounts_checked, 0);
    // TC1: a 70% crash reaches them all
    e.step(120, &prices(&[("ETH", dec!(700))])).unwrap();
    assert!(e.last_step_stats().accounts_checked >= 1000);
    assert!(e.last_step_stats().accounts_liquidated >= 1000);
}

#[test]
fn redistribution_can_cascade_within_a_step() {
    // TC0: no stability pool, two troves. ETH 2100: trove A (10 ETH / 20000, CR 1.05) is
    // redistributed onto trove B (10 ETH / 19080, CR 1.1006), which becomes 20 ETH / 39080
    // (CR 1.0747) and is liquidated in the next round of the same step; with nobody left to
    // take it, its debt is bad debt and its collateral goes to reserves.
    let mut cfg = no_depth(liquity());
    cfg.initial_accounts.retain(|a| a.id == AccountId::USER);
    let mut e = Engine::new(cfg).unwrap();
    let (me, b) = (AccountId::USER, AccountId(2));
    e.apply(b, Command::CreateAccount { label: "B".into() })
        .unwrap();
    e.apply(
        b,
        Command::Fund {
            asset: a("ETH"),
            amount: dec!(10),
        },
    )
    .unwrap();
    for (id, debt) in [(me, dec!(20000)), (b, dec!(19080))] {
        e.apply(
            id,
            Command::VaultDeposit {
                collateral: a("ETH"),
                amount: dec!(10),
            },
        )
        .unwrap();
        e.apply(
            id,
            Command::VaultBorrow {
                collateral: a("ETH"),
                amount: debt,
            },
        )
        .unwrap();
    }
    let events = e.step(1, &prices(&[("ETH", dec!(2100))])).unwrap();
    assert_eq!(liquidations(&events).len(), 2);
    assert_eq!(e.last_step_stats().rounds, 2);
    assert!(events.iter().any(|ev| matches!(&ev.kind, EventKind::BadDebt { account, amount, .. } if *account == b && *amount == dec!(39080))));
    assert!(e.account_metrics(&b).unwrap().vaults.is_empty());
    conserved(&e);
}

// TC: a lending borrower with one collateral is banded one-sided (`engine::index`,
// `one_collateral_band`). Its collateral rising far re-checks nobody (with a band of ±r around
// the price it was re-checked after a rise of r); falling, it is re-checked in time: in the first
// step that leaves its health below 1 it is liquidated, never a step later, and it was not
// re-checked at every step on the way down.
#[test]
fn one_collateral_borrowers_are_rechecked_only_on_the_way_down() {
    let mut e = common::engine(no_depth(PresetId::AaveV3.config()));
    let me = AccountId::USER;
    let p0 = e.oracle_prices()[&a("ETH")];
    common::act(&mut e, common::deposit("ETH", dec!(10)));
    // Health 0.83 / 0.55 ≈ 1.51.
    let debt = (p0 * dec!(5.5)).round_dp(2);
    common::act(&mut e, common::borrow("USDC", debt));
    let mut t = e.now();
    let mut price = p0;
    for _ in 0..2 {
        price *= dec!(1.3);
        t += 3600;
        e.step(t, &prices(&[("ETH", price)])).unwrap();
        assert_eq!(
            e.last_step_stats().accounts_checked,
            0,
            "re-checked at {price}"
        );
    }
    let (mut quiet, mut steps) = (0, 0);
    loop {
        price = (price * dec!(0.99)).round_dp(2);
        t += 3600;
        let events = e.step(t, &prices(&[("ETH", price)])).unwrap();
        steps += 1;
        if e.last_step_stats().accounts_checked == 0 {
            quiet += 1;
        }
        if !liquidations(&events).is_empty() {
            break;
        }
        let hf = e.account_metrics(&me).unwrap().health_factor.unwrap();
        assert!(
            hf >= Decimal::ONE,
            "left liquidatable at {price} (health {hf})"
        );
        assert!(steps < 500, "never liquidated");
    }
    // From 1.69 p0 to about 0.66 p0 in 1% steps: ~90 steps, nearly all without a re-check.
    assert!(steps > 50, "{steps} steps");
    assert!(quiet * 10 > steps * 8, "{quiet} quiet of {steps}");
}
