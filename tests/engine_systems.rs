#![cfg(not(target_arch = "wasm32"))]
//! The current rules' presets against their sources. Every expected value is worked by hand from
//! the formula or parameter `shared/DOMAIN.md` cites (repo, file, line), named in each case.
//! Configurations run with no market impact, no interest and instant oracles (`common::exact`) so
//! the figures are exact.

mod common;

use common::*;
use margin_lab::engine::event::Party;
use margin_lab::engine::params::config::CloseFactorRule;
use margin_lab::engine::system::{aave_v3, compound_iii, liquity_v1, maker, perps, templates};
use margin_lab::engine::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const TINY: Decimal = dec!(0.000000000000000001);

fn near(x: Decimal, y: Decimal) -> bool {
    (x - y).abs() <= TINY
}

fn aave() -> Engine {
    engine(exact(aave_v3::config()))
}

fn liquidated(events: &[Event]) -> (Decimal, Decimal) {
    match liquidations(events).as_slice() {
        [EventKind::Liquidated {
            debt_repaid,
            collateral_seized,
            ..
        }] => (*debt_repaid, *collateral_seized),
        other => panic!("expected one liquidation, got {other:?}"),
    }
}

fn shares(events: &[Event]) -> Vec<(Party, Decimal)> {
    events
        .iter()
        .find_map(|e| match &e.kind {
            EventKind::LiquidationShares { shares, .. } => {
                Some(shares.iter().map(|s| (s.party, s.value)).collect())
            }
            _ => None,
        })
        .expect("a LiquidationShares event")
}

// Aave v3.3 close factor (origin `LiquidationLogic.sol` L262-320, DOMAIN.md "Close factor v3.3+"),
// liquidation protocol fee (L509-521) and WETH 83% LT / 5% bonus / 10% fee (2023-10 snapshot).
#[test]
fn aave_v33_close_factor_branches() {
    // TC0: both reserves ≥ $2,000 and HF = 28,000 × 0.83 / 24,000 = 0.9683 > 0.95: 50% of the
    // total debt (24,000) → 12,000 repaid; seized 12,000 × 1.05 / 2,800 = 4.5 ETH; the protocol fee
    // (4.5 − 4.5 / 1.05) × 10% is worth $60, so the liquidator nets $540 = 4.5% of what it repaid
    // (DOMAIN: "At +5% bonus the liquidator nets +4.5%").
    let mut e = aave();
    act(&mut e, deposit("ETH", dec!(10)));
    act(&mut e, borrow("USDC", dec!(24000)));
    let ev = e.step(1, &prices(&[("ETH", dec!(2800))])).unwrap();
    assert_eq!(liquidated(&ev), (dec!(12000), dec!(4.5)));
    let s = shares(&ev);
    assert_eq!(s[0].0, Party::Liquidator);
    assert!(near(s[0].1, dec!(540)), "{s:?}");
    assert_eq!(s[1].0, Party::Protocol);
    assert!(near(s[1].1, dec!(60)), "{s:?}");
    conserved(&e);

    // TC1: HF exactly 0.95 (19,000 × 0.83 / 16,600) is inclusive: all 16,600 may be repaid
    // (`healthFactor > 0.95 ? 50% : 100%`); the 2026-11 rules (strict `<`) repaid half.
    let mut e = aave();
    act(&mut e, deposit("ETH", dec!(10)));
    act(&mut e, borrow("USDC", dec!(16600)));
    let ev = e.step(1, &prices(&[("ETH", dec!(1900))])).unwrap();
    assert_eq!(liquidated(&ev).0, dec!(16600));
    let mut legacy = aave_v3::config();
    legacy.close_factor_rule = CloseFactorRule::Legacy;
    let mut e = engine(exact(legacy));
    act(&mut e, deposit("ETH", dec!(10)));
    act(&mut e, borrow("USDC", dec!(16600)));
    let ev = e.step(1, &prices(&[("ETH", dec!(1900))])).unwrap();
    assert_eq!(liquidated(&ev).0, dec!(8300));

    // TC2: a debt reserve under $2,000 (MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD) may be repaid whole
    // even at HF 1,780 × 0.83 / 1,500 = 0.985.
    let mut e = aave();
    act(&mut e, deposit("ETH", dec!(1)));
    act(&mut e, borrow("USDC", dec!(1500)));
    let ev = e.step(1, &prices(&[("ETH", dec!(1780))])).unwrap();
    assert_eq!(liquidated(&ev).0, dec!(1500));
    conserved(&e);
}

// Aave v3.3 `MustNotLeaveDust` (MIN_LEFTOVER_BASE $1,000, origin L56/L64, DOMAIN.md).
#[test]
fn aave_v33_dust_rule() {
    // TC0: 1.2 ETH + 1 wstETH against 5,600 USDC; at ETH 2,850 / wstETH 3,325 the HF is
    // (3,420 × 0.83 + 3,325 × 0.81) / 5,600 = 0.988. The 50% cap (2,800) would seize 1.0316 ETH and
    // leave $480 of ETH: the keeper repays less, (3,420 − 1,000) / 1.05 = 2,304.76 USDC, leaving
    // exactly $1,000 of ETH collateral.
    let mut e = aave();
    act(&mut e, deposit("ETH", dec!(1.2)));
    act(&mut e, deposit("wstETH", dec!(1)));
    act(&mut e, borrow("USDC", dec!(5600)));
    let ev = e
        .step(1, &prices(&[("ETH", dec!(2850)), ("wstETH", dec!(3325))]))
        .unwrap();
    let (repaid, seized) = liquidated(&ev);
    assert!(
        near(repaid, (dec!(3420) - dec!(1000)) / dec!(1.05)),
        "{repaid}"
    );
    assert!(
        near((dec!(1.2) - seized) * dec!(2850), dec!(1000)),
        "{seized}"
    );
    conserved(&e);

    // TC1: thresholds under which no repayment is allowed (a leftover floor above the debt) give a
    // `LiquidationBlocked` event with the reason instead of a silent skip; nothing changes.
    let mut cfg = exact(aave_v3::config());
    cfg.close_factor_rule = CloseFactorRule::AaveV33 {
        min_base_max_close_factor_threshold: Decimal::ZERO,
        min_leftover_base: dec!(1_000_000),
    };
    let mut e = engine(cfg);
    act(&mut e, deposit("ETH", dec!(10)));
    act(&mut e, borrow("USDC", dec!(24000)));
    let ev = e.step(1, &prices(&[("ETH", dec!(2800))])).unwrap();
    assert!(liquidations(&ev).is_empty());
    assert!(ev
        .iter()
        .any(|x| matches!(&x.kind, EventKind::LiquidationBlocked { reason, .. } if reason.contains("MustNotLeaveDust"))));
    conserved(&e);
}

// Aave withdrawals: allowed while HF after stays ≥ 1 (`ValidationLogic.validateHFAndLtv`
// L547-591); Compound III gates them on borrowCF (`isBorrowCollateralized` L524).
#[test]
fn withdraw_rules_differ_between_aave_and_compound() {
    // TC0: Aave, 10 ETH / 24,000 USDC: withdrawing 0.1 ETH breaks the LTV limit
    // (9.9 × 3,000 × 0.805 = 23,908.5 < 24,000) but keeps HF = 9.9 × 3,000 × 0.83 / 24,000 = 1.027.
    let mut e = aave();
    act(&mut e, deposit("ETH", dec!(10)));
    act(&mut e, borrow("USDC", dec!(24000)));
    assert!(e
        .apply(
            AccountId::USER,
            Command::Withdraw {
                asset: a("ETH"),
                amount: dec!(0.1)
            }
        )
        .is_ok());
    // TC1: a withdrawal that takes HF below 1 is refused.
    let err = e
        .apply(
            AccountId::USER,
            Command::Withdraw {
                asset: a("ETH"),
                amount: dec!(0.5),
            },
        )
        .unwrap_err();
    assert!(matches!(err, Rejection::HealthTooLow { .. }), "{err}");
    // TC2: Compound III, 10 ETH / 24,000: withdrawing 0.5 ETH leaves HF 1.06 but a limit of
    // 9.5 × 3,000 × 0.825 = 23,512.5 < 24,000: refused.
    let mut e = engine(exact(compound_iii::config()));
    act(&mut e, deposit("ETH", dec!(10)));
    act(&mut e, borrow("USDC", dec!(24000)));
    let err = e
        .apply(
            AccountId::USER,
            Command::Withdraw {
                asset: a("ETH"),
                amount: dec!(0.5),
            },
        )
        .unwrap_err();
    assert!(matches!(err, Rejection::BorrowLimit { .. }), "{err}");
}

// Aave e-mode: ETH-correlated 93% / 95% / 1% (governance.aave.com thread 16168, DOMAIN.md).
#[test]
fn emode_raises_borrowing_power() {
    let mut e = aave();
    act(&mut e, deposit("wstETH", dec!(5)));
    // TC0: 5 wstETH at 3,500 = 17,500: borrowing power 17,500 × 78.5% = 13,737.5 outside e-mode …
    let limit = |e: &Engine| e.account_metrics(&AccountId::USER).unwrap().borrow_limit;
    assert_eq!(limit(&e), dec!(13737.5));
    // TC1: … and 17,500 × 93% = 16,275 in it.
    act(&mut e, Command::SetEMode { category: Some(1) });
    assert_eq!(limit(&e), dec!(16275));
    // TC2: in e-mode only the category's assets can be borrowed.
    let err = e
        .apply(AccountId::USER, borrow("USDC", dec!(100)))
        .unwrap_err();
    assert!(matches!(err, Rejection::BorrowOutsideEMode { .. }), "{err}");
    // TC3: 5 ETH (15,000) fits the e-mode limit, not the normal one.
    act(&mut e, borrow("ETH", dec!(5)));
    // TC4: leaving e-mode would take HF to 17,500 × 0.81 / 15,000 = 0.945: refused.
    let err = e
        .apply(AccountId::USER, Command::SetEMode { category: None })
        .unwrap_err();
    assert!(matches!(err, Rejection::HealthTooLow { .. }), "{err}");
    // TC5: with a debt outside the category, e-mode cannot be switched on.
    let mut e = aave();
    act(&mut e, deposit("wstETH", dec!(5)));
    act(&mut e, borrow("USDC", dec!(100)));
    let err = e
        .apply(AccountId::USER, Command::SetEMode { category: Some(1) })
        .unwrap_err();
    assert!(matches!(err, Rejection::DebtOutsideEMode { .. }), "{err}");
    conserved(&e);
}

// Aave isolation mode (DOMAIN.md): an isolated collateral backs at most a debt ceiling, only of
// assets borrowable in isolation. Tokenized T-bills are isolated under this preset with a
// 2,000,000 USDC ceiling (Margin Lab's figure, `aave_v3::ISOLATED_DEBT_CEILING`).
#[test]
fn isolation_mode_debt_ceiling() {
    let mut cfg = aave_v3::config();
    cfg.assets.push(templates::class_template(
        PresetId::AaveV3,
        "TBILL",
        dec!(100),
    ));
    let mut e = engine(exact(cfg));
    let me = AccountId::USER;
    act(
        &mut e,
        Command::Fund {
            asset: a("TBILL"),
            amount: dec!(30000),
        },
    );
    act(&mut e, deposit("TBILL", dec!(30000)));
    let m = e.account_metrics(&me).unwrap();
    assert_eq!(
        m.isolation.as_ref().map(|i| i.asset.clone()),
        Some(a("TBILL"))
    );
    // TC0: 1.5M of USDC fits under the ceiling.
    act(&mut e, borrow("USDC", dec!(1_500_000)));
    // TC1: 600k more would make 2.1M > 2M.
    let err = e.apply(me, borrow("USDC", dec!(600_000))).unwrap_err();
    assert!(
        matches!(err, Rejection::DebtCeiling { used, .. } if used == dec!(1_500_000)),
        "{err}"
    );
    // TC2: ETH is not borrowable in isolation.
    let err = e.apply(me, borrow("ETH", dec!(1))).unwrap_err();
    assert!(
        matches!(err, Rejection::NotBorrowableInIsolation { .. }),
        "{err}"
    );
    // TC3: another borrower with ETH collateral supplies T-bills: they are not collateral for
    // it, so its borrowing power does not change.
    let other = AccountId(5);
    e.apply(other, Command::CreateAccount { label: "b".into() })
        .unwrap();
    for c in [
        Command::Fund {
            asset: a("ETH"),
            amount: dec!(10),
        },
        Command::Fund {
            asset: a("TBILL"),
            amount: dec!(100),
        },
        deposit("ETH", dec!(10)),
    ] {
        e.apply(other, c).unwrap();
    }
    let before = e.account_metrics(&other).unwrap().borrow_limit;
    e.apply(other, deposit("TBILL", dec!(100))).unwrap();
    assert_eq!(e.account_metrics(&other).unwrap().borrow_limit, before);
    // TC4: repaying frees ceiling room.
    act(
        &mut e,
        Command::Repay {
            asset: a("USDC"),
            amount: dec!(500_000),
        },
    );
    let m = e.account_metrics(&me).unwrap();
    assert_eq!(m.isolation.unwrap().debt_used, dec!(1_000_000));
    conserved(&e);
}

// Maker MCD ETH-A: liquidation ratio 145% (spells-mainnet `src/test/config.sol` L184); clip since
// the 2022-10-12 spell: buf 1.10, tip 250 DAI, chip 0.1% (DOMAIN.md, dss `clip.sol`).
#[test]
fn maker_eth_a_liquidation_price_and_keeper_incentive() {
    let mut e = engine(exact(maker::mcd()));
    act(&mut e, vault_deposit("ETH", dec!(10)));
    act(&mut e, vault_borrow("ETH", dec!(10000)));
    // TC0: liquidation price = debt × 1.45 / collateral = 10,000 × 1.45 / 10 = 1,450.
    let m = e.account_metrics(&AccountId::USER).unwrap();
    assert_eq!(m.vaults[0].liquidation_price, Some(dec!(1450)));
    // TC1: at 1,400 the vault (ratio 1.40) is taken: tab 10,000 × 1.13 = 11,300, top 1,400 × 1.10
    // = 1,540, and the keeper is paid 250 + 0.1% × 11,300 = 261.3 by the system.
    let ev = e.step(1, &prices(&[("ETH", dec!(1400))])).unwrap();
    let started = ev
        .iter()
        .find_map(|x| match &x.kind {
            EventKind::AuctionStarted {
                tab, start_price, ..
            } => Some((*tab, *start_price)),
            _ => None,
        })
        .unwrap();
    assert_eq!(started, (dec!(11300), dec!(1540)));
    let paid = ev
        .iter()
        .find_map(|x| match &x.kind {
            EventKind::KeeperIncentive { total, .. } => Some(*total),
            _ => None,
        })
        .unwrap();
    assert_eq!(paid, dec!(261.3));
    conserved(&e);
}

// Binance BTCUSDT brackets: maintenance = notional × MMR − amount (DOMAIN.md "Perpetual futures").
#[test]
fn binance_maintenance_margin_tiers() {
    let cfg = perps::exchange();
    let btc = cfg.asset(&a("BTC")).unwrap();
    // TC0: 500k notional: 500,000 × 1% − 1,300 = 3,700 USDT.
    assert_eq!(btc.maintenance_margin(dec!(500_000)), Some(dec!(3700)));
    // TC1: 40k: 0.4%, no amount = 160.
    assert_eq!(btc.maintenance_margin(dec!(40_000)), Some(dec!(160)));
    // TC2: the amounts make the requirement continuous at every boundary up to 500M.
    let tiers = &btc.perp.as_ref().unwrap().tiers;
    for w in tiers.windows(2) {
        let b = w[0].up_to.unwrap();
        assert_eq!(
            b * w[0].maintenance_rate - w[0].maintenance_amount,
            b * w[1].maintenance_rate - w[1].maintenance_amount,
            "at {b}"
        );
    }
    assert_eq!(tiers.last().unwrap().maintenance_rate, dec!(0.5));
    // TC3: isolated 10 BTC long at 60,000, 10× (margin 60,000, notional 600k: 1%, amount 1,300):
    // LP = (60,000 + 1,300 − 600,000) / (10 × 1% − 10) = 54,414.14…
    let mut e = engine(exact(perps::exchange()));
    act(
        &mut e,
        Command::Fund {
            asset: a("USDC"),
            amount: dec!(100_000),
        },
    );
    act(
        &mut e,
        Command::OpenPosition {
            market: a("BTC"),
            side: Side::Long,
            size: dec!(10),
            leverage: dec!(10),
            mode: MarginMode::Isolated,
        },
    );
    let lp = e.account_metrics(&AccountId::USER).unwrap().positions[0]
        .liquidation_price
        .unwrap();
    assert!(
        (lp - dec!(538700) / dec!(9.9)).abs() < dec!(0.0000001),
        "{lp}"
    );
    // TC4: 125× is allowed up to 50k of notional; adding 30k more (60k total) is in the 100×
    // bracket: refused.
    let mut e = engine(exact(perps::exchange()));
    let open = |size| Command::OpenPosition {
        market: a("BTC"),
        side: Side::Long,
        size,
        leverage: dec!(125),
        mode: MarginMode::Isolated,
    };
    act(&mut e, open(dec!(0.5)));
    let err = e.apply(AccountId::USER, open(dec!(0.5))).unwrap_err();
    assert!(matches!(err, Rejection::TierLeverage { .. }), "{err}");
}

// Binance funding: premium + clamp(0.01% − premium, ±0.05%) per 8 h (DOMAIN.md).
#[test]
fn binance_funding_formula() {
    // TC0..2: (premium from an oracle one step late, expected rate).
    for (now_price, expected) in [
        (dec!(3000), dec!(0.0001)),
        (dec!(3003), dec!(0.0005)),
        (dec!(2999.4), dec!(0.0001)),
    ] {
        let mut cfg = perps::exchange();
        for x in &mut cfg.assets {
            x.market_depth = None;
            if x.id == a("ETH") {
                x.oracle = OracleSpec::FixedDelay { delay_secs: 3600 };
            }
        }
        let mut e = engine(cfg);
        act(
            &mut e,
            Command::OpenPosition {
                market: a("ETH"),
                side: Side::Long,
                size: dec!(1),
                leverage: dec!(5),
                mode: MarginMode::Isolated,
            },
        );
        e.step(3600, &prices(&[("ETH", dec!(3000))])).unwrap();
        e.step(7200, &prices(&[("ETH", now_price)])).unwrap();
        // Funding over (7,200, 10,800] is set by the prices seen at 7,200: the market there
        // against the oracle's price from an hour before (3,000).
        let ev = e.step(10_800, &prices(&[("ETH", now_price)])).unwrap();
        let rate = ev
            .iter()
            .find_map(|x| match &x.kind {
                EventKind::FundingAccrued {
                    rate_per_interval, ..
                } => Some(*rate_per_interval),
                _ => None,
            })
            .unwrap();
        assert_eq!(rate, expected, "market {now_price}");
    }
}

// Compound III curves (`Comet.getBorrowRate` L464, not divided by the kink; DOMAIN.md).
#[test]
fn compound_rate_curves() {
    let r = compound_iii::usdc_rates();
    // TC0: U 50%: borrow 1.5% + 3.5% × 0.5 = 3.25%; supply 3.25% × 0.5 = 1.625%.
    assert_eq!(r.borrow_rate(dec!(0.5)), dec!(0.0325));
    assert_eq!(r.supply_rate(dec!(0.5), Decimal::ZERO), dec!(0.01625));
    // TC1: U 90%: borrow 1.5% + 3.5% × 0.8 + 25% × 0.1 = 6.8%; supply 3.25% × 0.8 + 40% × 0.1 = 6.6%.
    assert_eq!(r.borrow_rate(dec!(0.9)), dec!(0.068));
    assert_eq!(r.supply_rate(dec!(0.9), Decimal::ZERO), dec!(0.066));
}

// Compound III absorb + store front (`Comet.absorb` L1183-1240, `quoteCollateral` L1274-1284):
// buyers pay price × (1 − 0.5 × (1 − 0.95)) while reserves are below target.
#[test]
fn compound_store_front_splits_the_penalty() {
    // TC0: 10 ETH / 24,000 USDC absorbed at 2,600: value 26,000, credit 26,000 × 95% = 24,700, so
    // 700 returns to the owner; buyers pay 26,000 × 97.5% = 25,350: the protocol keeps 650 and the
    // buyers' discount is 650.
    let mut e = engine(exact(compound_iii::config()));
    act(&mut e, deposit("ETH", dec!(10)));
    act(&mut e, borrow("USDC", dec!(24000)));
    let ev = e.step(1, &prices(&[("ETH", dec!(2600))])).unwrap();
    let s = shares(&ev);
    assert_eq!(
        s,
        vec![
            (Party::Protocol, dec!(650)),
            (Party::Buyer, dec!(650)),
            (Party::Owner, dec!(700))
        ]
    );
    assert_eq!(e.system_metrics().reserves_value, dec!(650));
    conserved(&e);
    // TC1: with reserves at their target the protocol keeps the collateral instead.
    let mut cfg = exact(compound_iii::config());
    cfg.store_front.as_mut().unwrap().target_reserves = Decimal::ZERO;
    let mut e = engine(cfg);
    act(&mut e, deposit("ETH", dec!(10)));
    act(&mut e, borrow("USDC", dec!(24000)));
    let ev = e.step(1, &prices(&[("ETH", dec!(2600))])).unwrap();
    assert_eq!(shares(&ev)[0], (Party::Protocol, dec!(1300)));
    conserved(&e);
}

// Liquity v1 (DOMAIN.md): 200 LUSD gas compensation (`LiquityBase.sol` L28), 0.5% of the
// collateral to the liquidator (L34), 0.5% borrowing fee, minimum net debt 1,800 (L31).
#[test]
fn liquity_trove_charges_and_liquidation_shares() {
    let mut e = engine(exact(liquity_v1::config()));
    act(&mut e, vault_deposit("ETH", dec!(10)));
    // TC0: a net debt of 1,700 × 1.005 = 1,708.5 is under the 1,800 minimum.
    let err = e
        .apply(AccountId::USER, vault_borrow("ETH", dec!(1700)))
        .unwrap_err();
    assert!(matches!(err, Rejection::BelowMinimumDebt { .. }), "{err}");
    // TC1: drawing 20,000 makes a debt of 20,000 + 100 (fee) + 200 (gas compensation) = 20,300.
    let ev = act(&mut e, vault_borrow("ETH", dec!(20000)));
    assert!(ev.iter().any(|x| matches!(x.kind,
        EventKind::TroveCharges { borrowing_fee, gas_compensation, .. }
            if borrowing_fee == dec!(100) && gas_compensation == dec!(200))));
    assert_eq!(
        e.account_metrics(&AccountId::USER).unwrap().vaults[0].debt,
        dec!(20300)
    );
    // TC2: at 2,200 (ratio 22,000 / 20,300 = 1.0837 < 110%) the liquidator gets 200 LUSD and
    // 0.05 ETH; the pool repays 20,300 and receives 9.95 ETH: a gain of 9.95 × 2,200 − 20,300 =
    // 1,590 (the pool's gain is 1.0837 × 0.995 − 1; at most 1.1 × 0.995 − 1 ≈ 9.45%).
    let ev = e.step(1, &prices(&[("ETH", dec!(2200))])).unwrap();
    let s = shares(&ev);
    assert_eq!(s[0], (Party::StabilityPool, dec!(1590)));
    assert_eq!(s[1], (Party::Liquidator, dec!(0.05) * dec!(2200)));
    assert_eq!(s[2], (Party::Liquidator, dec!(200)));
    conserved(&e);
}

// Liquity recovery mode (`LiquityBase.sol` L25, CCR 150%; `TroveManager._liquidateRecoveryMode`,
// `BorrowerOperations._requireValidAdjustmentInCurrentMode`).
#[test]
fn liquity_recovery_mode_entry_liquidation_and_exit() {
    let mut cfg = exact(liquity_v1::config());
    // The depositor's trove: 1,000 ETH against 1,800,000 LUSD (debt 1,809,200 with fee and gas).
    if let Some(c) = cfg.initial_accounts[0]
        .commands
        .iter_mut()
        .find(|c| matches!(c, Command::VaultBorrow { .. }))
    {
        *c = vault_borrow("ETH", dec!(1_800_000));
    }
    let mut e = engine(cfg);
    let other = AccountId(7);
    e.apply(other, Command::CreateAccount { label: "t".into() })
        .unwrap();
    for c in [
        Command::Fund {
            asset: a("ETH"),
            amount: dec!(10),
        },
        vault_deposit("ETH", dec!(10)),
        vault_borrow("ETH", dec!(20000)),
    ] {
        e.apply(other, c).unwrap();
    }
    act(&mut e, vault_deposit("ETH", dec!(10)));
    act(&mut e, vault_borrow("ETH", dec!(5000)));
    // TC0: at 2,650 the TCR is 1,020 × 2,650 / (1,809,200 + 20,300 + 5,225) = 1.4732 < 150%:
    // recovery mode. Trove #7 (26,500 / 20,300 = 1.3054, between 110% and the TCR) is liquidated
    // with the cap: the pool receives collateral worth 110% of 20,300 less the liquidator's 0.5%,
    // and the owner keeps 10 − 20,300 × 1.1 / 2,650 = 1.5736 ETH.
    let ev = e.step(1, &prices(&[("ETH", dec!(2650))])).unwrap();
    assert!(ev
        .iter()
        .any(|x| matches!(x.kind, EventKind::RecoveryMode { active: true, .. })));
    let returned = ev
        .iter()
        .find_map(|x| match &x.kind {
            EventKind::Liquidated {
                account,
                returned_to_owner,
                ..
            } if *account == other => Some(*returned_to_owner),
            _ => None,
        })
        .expect("#7 liquidated in recovery mode");
    assert!(near(
        returned,
        dec!(10) - dec!(20300) * dec!(1.1) / dec!(2650)
    ));
    assert!(e.system_metrics().recovery.unwrap().active);
    // TC1: in recovery mode no collateral may leave a trove, and drawing debt that lowers the
    // trove's ratio is refused.
    for c in [
        Command::VaultWithdraw {
            collateral: a("ETH"),
            amount: dec!(1),
        },
        vault_borrow("ETH", dec!(1000)),
    ] {
        let err = e.apply(AccountId::USER, c).unwrap_err();
        assert!(matches!(err, Rejection::RecoveryMode { .. }), "{err}");
    }
    conserved(&e);
    // TC2: back at 3,000 the TCR is 1,010 × 3,000 / 1,814,425 = 1.67: recovery mode ends.
    let ev = e.step(2, &prices(&[("ETH", dec!(3000))])).unwrap();
    assert!(ev
        .iter()
        .any(|x| matches!(x.kind, EventKind::RecoveryMode { active: false, .. })));
    conserved(&e);
}

// The current rules' presets name what they imitate and as of when (shown in the app).
#[test]
fn presets_state_their_vintage() {
    for p in PresetId::ALL {
        let v = p.vintage(RulesVersion::CURRENT);
        assert!(!v.is_empty(), "{p:?}");
        assert!(Engine::new(p.config()).is_ok(), "{p:?}");
        assert!(
            Engine::new(p.config_for(RulesVersion::V2026_11)).is_ok() || p == PresetId::PerpSkew
        );
    }
    assert_eq!(
        PresetId::AaveV3.vintage(RulesVersion::CURRENT),
        "as of 2023-10 (Ethereum market snapshot), v3.3 liquidation rules"
    );
}
