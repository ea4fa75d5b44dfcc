#![cfg(not(target_arch = "wasm32"))]
//! Table-driven checks of every formula against hand-computed examples, with the documented
//! parameters of the imitated systems.

use margin_lab::engine::margin::solve_liquidation_price;
use margin_lab::engine::num::{fmt_num, fmt_ratio};
use margin_lab::engine::system::rules_2026_11::{
    aave_v3, compound_iii, liquity, maker, perp_exchange,
};
use margin_lab::engine::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::collections::BTreeMap;

fn a(t: &str) -> AssetId {
    AssetId::new(t)
}

fn close(x: Decimal, y: Decimal, tol: Decimal) -> bool {
    (x - y).abs() <= tol
}

#[test]
fn kinked_rate_model() {
    // Aave v3 USDC-like curve: base 0, slope1 4%, slope2 60%, U_opt 90%.
    let m = RateModel::kinked(dec!(0), dec!(0.04), dec!(0.60), dec!(0.90));
    let cases = [
        // TC0: empty pool pays nothing
        (dec!(0), dec!(0)),
        // TC1: half the kink -> half of slope1
        (dec!(0.45), dec!(0.02)),
        // TC2: at the kink -> base + slope1
        (dec!(0.90), dec!(0.04)),
        // TC3: halfway up the steep part -> 4% + 60% x 0.5
        (dec!(0.95), dec!(0.34)),
        // TC4: fully utilised -> 64%
        (dec!(1), dec!(0.64)),
        // TC5: utilisation above 1 is clamped
        (dec!(1.5), dec!(0.64)),
    ];
    for (u, rate) in cases {
        assert_eq!(m.borrow_rate(u), rate, "U = {u}");
    }
    // TC6: supply rate = borrow rate x U x (1 - reserve factor) = 2% x 0.45 x 0.9
    assert_eq!(m.supply_rate(dec!(0.45), dec!(0.1)), dec!(0.0081));
    // TC7: utilisation = borrows / supply; 0 with no supply
    assert_eq!(RateModel::utilization(dec!(450), dec!(1000)), dec!(0.45));
    assert_eq!(RateModel::utilization(dec!(1), dec!(0)), dec!(0));
}

#[test]
fn preset_parameters_match_the_imitated_systems() {
    let aave = aave_v3();
    let eth = aave.asset(&a("ETH")).unwrap();
    let wbtc = aave.asset(&a("WBTC")).unwrap();
    let cases = [
        // TC0: Aave v3 ETH 80% / 82.5% / 5%
        (
            eth.ltv,
            eth.liquidation_threshold,
            eth.liquidation_bonus,
            dec!(0.80),
            dec!(0.825),
            dec!(0.05),
        ),
        // TC1: Aave v3 WBTC 73% / 78% / 5%
        (
            wbtc.ltv,
            wbtc.liquidation_threshold,
            wbtc.liquidation_bonus,
            dec!(0.73),
            dec!(0.78),
            dec!(0.05),
        ),
    ];
    for (ltv, lt, bonus, e_ltv, e_lt, e_bonus) in cases {
        assert_eq!((ltv, lt, bonus), (e_ltv, e_lt, e_bonus));
    }
    // TC2: Aave v3 close factor 50%, 100% below HF 0.95
    assert_eq!(
        (aave.close_factor, aave.full_close_below_hf),
        (dec!(0.5), dec!(0.95))
    );
    // TC3: Maker ETH-A liquidation ratio 150%, penalty 13%
    let mk = maker();
    let eth = mk.asset(&a("ETH")).unwrap();
    assert_eq!(
        (eth.liquidation_ratio, eth.liquidation_penalty),
        (dec!(1.5), dec!(0.13))
    );
    // TC4: Liquity minimum collateral ratio 110%
    assert_eq!(
        liquity().asset(&a("ETH")).unwrap().liquidation_ratio,
        dec!(1.1)
    );
    // TC5: Compound III WETH borrow CF 82.5%, liquidate CF 89.5%, liquidation factor 95%
    let c3 = compound_iii();
    let eth = c3.asset(&a("ETH")).unwrap();
    assert_eq!(
        (
            eth.ltv,
            eth.liquidation_threshold,
            Decimal::ONE - eth.liquidation_penalty
        ),
        (dec!(0.825), dec!(0.895), dec!(0.95))
    );
    // TC6: every preset builds and names the system it imitates
    for p in PresetId::ALL {
        assert!(Engine::new(p.config()).is_ok(), "{p:?}");
        assert!(!p.imitates().is_empty());
    }
    // TC7: tiered maintenance margin
    let perps = perp_exchange();
    let btc = perps.asset(&a("BTC")).unwrap();
    for (notional, mmr) in [
        (dec!(10_000), dec!(0.004)),
        (dec!(50_000), dec!(0.004)),
        (dec!(60_000), dec!(0.005)),
        (dec!(500_000), dec!(0.01)),
        (dec!(5_000_000), dec!(0.025)),
    ] {
        assert_eq!(btc.maintenance_rate(notional), mmr, "notional {notional}");
    }
}

#[test]
fn health_factor_borrow_limit_and_liquidation_price() {
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
    // TC0: no debt -> health factor None, borrow limit 10 x 3000 x 0.80
    let m = e.account_metrics(&me).unwrap();
    assert_eq!(m.health_factor, None);
    assert_eq!(m.borrow_limit, dec!(24000));
    assert_eq!(m.available_to_borrow, dec!(24000));
    e.apply(
        me,
        Command::Borrow {
            asset: a("USDC"),
            amount: dec!(12000),
        },
    )
    .unwrap();
    let m = e.account_metrics(&me).unwrap();
    // TC1: HF = 10 x 3000 x 0.825 / 12000
    assert_eq!(m.health_factor, Some(dec!(2.0625)));
    // TC2: collateral ratio = 30000 / 12000
    assert_eq!(m.collateral_ratio, Some(dec!(2.5)));
    // TC3: liquidation price of ETH = 12000 / (10 x 0.825)
    let lp = m.collateral_liquidation_prices[0]
        .liquidation_price
        .unwrap();
    assert!(
        close(lp, dec!(1454.545454545454545454545454), dec!(0.000000001)),
        "{lp}"
    );
    // TC4: adding 1 WBTC adds 60000 x 0.78 weighted collateral
    e.apply(
        me,
        Command::Deposit {
            asset: a("WBTC"),
            amount: dec!(1),
        },
    )
    .unwrap();
    let m = e.account_metrics(&me).unwrap();
    assert_eq!(m.weighted_collateral, dec!(71550));
    assert_eq!(m.borrow_limit, dec!(67800));
    // TC5: price shock what-if: ETH -50% -> weighted 12375 + 46800
    let s = e
        .metrics_with_price_shock(me, &a("ETH"), dec!(-0.5))
        .unwrap();
    assert_eq!(s.weighted_collateral, dec!(59175));
    assert_eq!(
        e.account_metrics(&me).unwrap().weighted_collateral,
        dec!(71550)
    );
}

#[test]
fn vault_ratio_and_liquidation_price() {
    let mut e = Engine::new(maker()).unwrap();
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
            amount: dec!(10000),
        },
    )
    .unwrap();
    let m = e.account_metrics(&me).unwrap();
    let v = &m.vaults[0];
    // TC0: CR = 10 x 3000 / 10000
    assert_eq!(v.collateral_ratio, Some(dec!(3)));
    // TC1: liquidation price = debt x LR / collateral = 10000 x 1.5 / 10
    assert_eq!(v.liquidation_price, Some(dec!(1500)));
    // TC2: available = 30000 / 1.5 - 10000
    assert_eq!(v.available_to_borrow, dec!(10000));
    // TC3: a vault at exactly the minimum ratio is allowed, a cent more is not
    assert!(e
        .preview(
            me,
            &Command::VaultBorrow {
                collateral: a("ETH"),
                amount: dec!(10000)
            }
        )
        .is_ok());
    let err = e
        .apply(
            me,
            Command::VaultBorrow {
                collateral: a("ETH"),
                amount: dec!(10000.01),
            },
        )
        .unwrap_err();
    assert!(
        err.to_string().contains("below its minimum of 1.50"),
        "{err}"
    );
}

#[test]
fn perp_liquidation_price_formulas() {
    let cases = [
        // TC0: isolated long 0.5 BTC at 60000, 10x, MMR 0.4%: (30000 - 3000) / (0.5 x 0.996)
        (
            dec!(3000),
            dec!(0),
            dec!(60000),
            dec!(0.5),
            dec!(0.004),
            dec!(54216.867470),
        ),
        // TC1: isolated short: (30000 + 3000) / (0.5 x 1.004)
        (
            dec!(3000),
            dec!(0),
            dec!(60000),
            dec!(-0.5),
            dec!(0.004),
            dec!(65737.051793),
        ),
        // TC2: 1x long with no maintenance never liquidates above zero
        (dec!(60000), dec!(0), dec!(60000), dec!(1), dec!(0), dec!(0)),
    ];
    for (eq, mm_other, mark, s, mmr, expected) in cases {
        let p = solve_liquidation_price(eq, mm_other, mark, s, mmr)
            .map(|p| p.round_dp(6))
            .unwrap_or_default();
        assert_eq!(p, expected);
    }
    // TC3: the approximation in DOMAIN.md (entry x (1 - 1/L + MMR)) is within 0.05%
    let exact = dec!(54216.867470);
    let approx = dec!(60000) * (dec!(1) - dec!(0.1) + dec!(0.004));
    assert!((exact - approx).abs() / approx < dec!(0.0005));
}

#[test]
fn perp_position_metrics() {
    let mut e = Engine::new(perp_exchange()).unwrap();
    let me = AccountId::USER;
    e.apply(
        me,
        Command::OpenPosition {
            market: a("BTC"),
            side: Side::Long,
            size: dec!(0.5),
            leverage: dec!(10),
            mode: MarginMode::Isolated,
        },
    )
    .unwrap();
    let m = e.account_metrics(&me).unwrap();
    let p = &m.positions[0];
    // TC0: margin = notional / leverage; wallet pays it
    assert_eq!(p.margin, dec!(3000));
    assert_eq!(e.account(&me).unwrap().wallet(&a("USDC")), dec!(7000));
    // TC1: initial margin = 30000 / 10; maintenance = 30000 x 0.4%
    assert_eq!((p.leverage, p.initial_margin), (dec!(10), dec!(3000)));
    assert_eq!(p.maintenance_margin, dec!(120));
    // TC2: margin ratio = 120 / 3000
    assert_eq!(m.margin_ratio, Some(dec!(0.04)));
    assert_eq!(p.liquidation_price.unwrap().round_dp(6), dec!(54216.867470));
    // TC3: PnL after BTC +10%
    e.step(60, &BTreeMap::from([(a("BTC"), dec!(66000))]))
        .unwrap();
    assert_eq!(
        e.account_metrics(&me).unwrap().positions[0].unrealized_pnl,
        dec!(3000)
    );
}

#[test]
fn interest_and_stability_fee_accrual() {
    // TC0: USDC pool 1000 supplied, 450 borrowed -> U 45%, rate 2%; one year: debt 459, reserves 0.9, supply 1008.1
    let mut cfg = aave_v3();
    cfg.initial_accounts.clear();
    let mut e = Engine::new(cfg).unwrap();
    let (lp, b) = (AccountId(1), AccountId(2));
    for (id, cmds) in [
        (
            lp,
            vec![
                Command::Fund {
                    asset: a("USDC"),
                    amount: dec!(1000),
                },
                Command::Deposit {
                    asset: a("USDC"),
                    amount: dec!(1000),
                },
            ],
        ),
        (
            b,
            vec![
                Command::Fund {
                    asset: a("ETH"),
                    amount: dec!(1),
                },
                Command::Deposit {
                    asset: a("ETH"),
                    amount: dec!(1),
                },
                Command::Borrow {
                    asset: a("USDC"),
                    amount: dec!(450),
                },
            ],
        ),
    ] {
        e.apply(id, Command::CreateAccount { label: "x".into() })
            .unwrap();
        for c in cmds {
            e.apply(id, c).unwrap();
        }
    }
    e.step(31_536_000, &BTreeMap::new()).unwrap();
    let usdc = e
        .system_metrics()
        .assets
        .into_iter()
        .find(|x| x.asset == a("USDC"))
        .unwrap();
    assert_eq!(usdc.borrowed, dec!(459));
    assert_eq!(usdc.reserves, dec!(0.9));
    assert_eq!(usdc.supplied, dec!(1008.1));
    assert_eq!(usdc.borrow_rate, dec!(0.02));
    // TC1: Maker stability fee 2%: 10000 DAI for a year -> 10200, fee to reserves
    let mut e = Engine::new(maker()).unwrap();
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
            amount: dec!(10000),
        },
    )
    .unwrap();
    e.step(31_536_000, &BTreeMap::new()).unwrap();
    assert_eq!(e.account_metrics(&me).unwrap().vaults[0].debt, dec!(10200));
    assert_eq!(
        e.system_metrics()
            .assets
            .iter()
            .find(|x| x.asset == a("DAI"))
            .unwrap()
            .reserves,
        dec!(200)
    );
    assert!(e
        .conservation_residual()
        .unwrap()
        .values()
        .all(|v| v.abs() < dec!(0.000001)));
}

#[test]
fn formatting_and_messages() {
    // TC0..TC3: numbers for learners
    assert_eq!(fmt_num(dec!(5000), 2), "5,000");
    assert_eq!(fmt_num(dec!(1234567.891), 2), "1,234,567.89");
    assert_eq!(fmt_num(dec!(-42.5), 2), "-42.5");
    assert_eq!(fmt_ratio(dec!(0.9234)), "0.92");
    // TC4: the borrow rejection names the amount, the limit and the health factor after
    let mut e = Engine::new(aave_v3()).unwrap();
    let me = AccountId::USER;
    e.apply(
        me,
        Command::Deposit {
            asset: a("ETH"),
            amount: dec!(2),
        },
    )
    .unwrap();
    let err = e
        .apply(
            me,
            Command::Borrow {
                asset: a("USDC"),
                amount: dec!(5000),
            },
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Borrowing 5,000 USDC would bring your debt to $5,000, above your borrow limit of $4,800 (health factor would be 0.99)"
    );
}

#[test]
fn funding_payments() {
    // (skew coefficient, expected rate per 8h, funding owed by a lone 1 BTC long after 8h at 60000)
    let cases = [
        // TC0: only longs: skew 1 -> rate 0.0005 x 1; owed 0.0005 x 60000 = 30
        (dec!(0.0005), dec!(0.0005), dec!(30)),
        // TC1: a large coefficient is capped at 0.75% per interval -> 450
        (dec!(0.02), dec!(0.0075), dec!(450)),
    ];
    for (k, rate, owed) in cases {
        let mut cfg = perp_exchange();
        for x in &mut cfg.assets {
            if let Some(p) = &mut x.perp {
                p.funding =
                    margin_lab::engine::params::asset::FundingModel::Skew { coefficient: k };
            }
        }
        let mut e = Engine::new(cfg).unwrap();
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
        let events = e.step(8 * 3600, &BTreeMap::new()).unwrap();
        let accrued = events.iter().find_map(|ev| match &ev.kind {
            EventKind::FundingAccrued {
                rate_per_interval,
                cumulative_per_unit,
                ..
            } => Some((*rate_per_interval, *cumulative_per_unit)),
            _ => None,
        });
        assert_eq!(accrued, Some((rate, owed)));
        assert_eq!(
            e.account_metrics(&me).unwrap().positions[0].funding_owed,
            owed
        );
        let pool_before = e.system_metrics().counterparty_pool;
        let closed = e
            .apply(me, Command::ClosePosition { market: a("BTC") })
            .unwrap();
        let EventKind::PositionReduced { funding_paid, .. } = &closed[0].kind else {
            panic!()
        };
        assert_eq!(*funding_paid, owed);
        // TC2: the long paid the counterparty pool; margin returned minus funding
        assert_eq!(e.system_metrics().counterparty_pool - pool_before, owed);
        assert_eq!(
            e.account(&me).unwrap().wallet(&a("USDC")),
            dec!(10000) - owed
        );
    }
}

#[test]
fn slippage_model() {
    use margin_lab::engine::slippage::apply_sales;
    use margin_lab::engine::state::World;
    let mut cfg = aave_v3();
    for x in &mut cfg.assets {
        if x.id == a("ETH") {
            x.market_depth = Some(dec!(3_000_000));
        }
    }
    let mut w = World::new(&cfg);
    let cases = [
        // TC0: selling 100 ETH (300,000 at 3000) into 3M of depth moves the price 10% down
        (dec!(100), dec!(2700)),
        // TC1: buying back 50 ETH (135,000 at 2700) moves the accumulated impact from 10% to 5.5%
        (dec!(-50), dec!(2835)),
    ];
    for (sold, price) in cases {
        let (moved, events) =
            apply_sales(&cfg, &mut w, &BTreeMap::from([(a("ETH"), sold)])).unwrap();
        assert_eq!(moved, vec![a("ETH")]);
        assert!(
            matches!(&events[0], EventKind::MarketImpact { price_after, .. } if *price_after == price)
        );
    }
    // TC2: half of the impact fades each step (impact_recovery 0.5): a liquidation sale pushes
    // ETH below the feed price; one step later, with the same feed price, half the gap is gone
    let mut e = Engine::new(cfg).unwrap();
    let me = AccountId::USER;
    e.apply(
        me,
        Command::Fund {
            asset: a("ETH"),
            amount: dec!(990),
        },
    )
    .unwrap();
    e.apply(
        me,
        Command::Deposit {
            asset: a("ETH"),
            amount: dec!(1000),
        },
    )
    .unwrap();
    e.apply(
        me,
        Command::Borrow {
            asset: a("USDC"),
            amount: dec!(2_000_000),
        },
    )
    .unwrap();
    let feed = BTreeMap::from([(a("ETH"), dec!(2400))]);
    e.step(1, &feed).unwrap();
    let gap1 = dec!(2400) - e.market_prices()[&a("ETH")];
    assert!(gap1 > dec!(0));
    e.step(2, &feed).unwrap();
    let gap2 = dec!(2400) - e.market_prices()[&a("ETH")];
    assert!((gap2 * dec!(2) - gap1).abs() < dec!(0.000000000000000001));
}
