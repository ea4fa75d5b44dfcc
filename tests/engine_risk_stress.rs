#![cfg(not(target_arch = "wasm32"))]
//! Stress tests and reverse stress tests through the engine (`engine::risk::stress`, `reverse`):
//! one case per shock of the library, with what the engine must report worked out by hand; the
//! reverse search against the closed-form drop; the 99% joint move against its formula.

use margin_lab::engine::risk::reverse::{joint_move, TOLERANCE};
use margin_lab::engine::risk::stats::norm_inv;
use margin_lab::engine::risk::stress::{custom, library, StressOptions, StressResult};
use margin_lab::engine::system::templates::class_template;
use margin_lab::engine::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const ME: AccountId = AccountId::USER;

fn a(t: &str) -> AssetId {
    AssetId::new(t)
}

fn apply(e: &mut Engine, cmds: &[Command]) {
    for c in cmds {
        e.apply(ME, c.clone())
            .unwrap_or_else(|r| panic!("{c:?}: {r}"));
    }
}

fn deposit(t: &str, x: Decimal) -> Command {
    Command::Deposit {
        asset: a(t),
        amount: x,
    }
}

fn borrow(t: &str, x: Decimal) -> Command {
    Command::Borrow {
        asset: a(t),
        amount: x,
    }
}

/// The Aave-like preset with a tokenized T-bill listed (isolated collateral) and 100 in the
/// learner's wallet.
fn aave_with_tbill() -> Engine {
    let mut cfg = PresetId::AaveV3.config();
    cfg.assets
        .push(class_template(PresetId::AaveV3, "TBILL", dec!(100)));
    if let Some(u) = cfg.initial_accounts.iter_mut().find(|x| x.id == ME) {
        u.commands.push(Command::Fund {
            asset: a("TBILL"),
            amount: dec!(100),
        });
    }
    Engine::new(cfg).unwrap()
}

fn shock(id: &str) -> margin_lab::engine::risk::stress::StressShock {
    library().into_iter().find(|s| s.id == id).unwrap()
}

fn near(x: Decimal, y: Decimal, tol: Decimal) -> bool {
    (x - y).abs() <= tol
}

fn first_liquidation_time(r: &StressResult) -> Option<i64> {
    r.events
        .iter()
        .find(|e| e.kind.is_liquidation_of(ME))
        .map(|e| e.time)
}

#[test]
fn each_named_shock_through_the_engine() {
    let day = StressOptions::default();
    // TC0: Black Thursday on an Aave-like account (10 ETH and 5 wstETH deposited, 20,000 USDC
    // borrowed): ETH and staked ETH −43%, a loss of 10 × 1,290 + 5 × 1,505 = 20,425; health
    // (10 × 1,710 × 0.83 + 5 × 1,995 × 0.81) / 20,000 = 1.1136; nothing liquidated.
    let mut e = Engine::new(PresetId::AaveV3.config()).unwrap();
    apply(
        &mut e,
        &[
            deposit("ETH", dec!(10)),
            deposit("wstETH", dec!(5)),
            borrow("USDC", dec!(20000)),
        ],
    );
    let r = e.stress(ME, &shock("black-thursday"), day).unwrap();
    let hit: Vec<_> = r.applied.iter().map(|m| m.asset.to_string()).collect();
    assert_eq!(hit, ["ETH", "wstETH"]);
    assert!(near(r.loss, dec!(20425), dec!(0.1)), "TC0 loss {}", r.loss);
    assert!(near(r.health_after.unwrap(), dec!(1.11364), dec!(0.0001)));
    assert!(r.liquidated.is_empty() && r.bad_debt.is_zero());
    // TC1: the same shock on the account borrowed to 36,000 (health 1.085 → 0.62): liquidated
    // with the liquidator's bonus paid; the health factor recovers.
    let mut e = Engine::new(PresetId::AaveV3.config()).unwrap();
    apply(
        &mut e,
        &[
            deposit("ETH", dec!(10)),
            deposit("wstETH", dec!(5)),
            borrow("USDC", dec!(36000)),
        ],
    );
    let r = e.stress(ME, &shock("black-thursday"), day).unwrap();
    assert!(r.health_before.unwrap() > Decimal::ONE);
    assert!(!r.liquidated.is_empty(), "TC1");
    assert!(r.penalties > Decimal::ZERO);
    assert!(r.liquidated.iter().map(|l| l.value).sum::<Decimal>() > Decimal::ZERO);
    assert!(!r.liquidatable_after);
    // TC2: USDC to 0.88 against 10,000 USDC of collateral backing 2 borrowed ETH: a loss of
    // 1,200; health 8,800 × 0.80 / 6,000 = 1.1733.
    let mut e = Engine::new(PresetId::AaveV3.config()).unwrap();
    apply(
        &mut e,
        &[deposit("USDC", dec!(10000)), borrow("ETH", dec!(2))],
    );
    let r = e.stress(ME, &shock("usdc-depeg"), day).unwrap();
    assert_eq!(r.applied[0].after, dec!(0.88));
    assert!(near(r.loss, dec!(1200), dec!(0.5)), "TC2 loss {}", r.loss);
    assert!(near(r.health_after.unwrap(), dec!(1.17333), dec!(0.0005)));
    // TC3: stETH at a 6% discount: 5 wstETH at 3,500 lose 1,050; ETH does not move.
    let mut e = Engine::new(PresetId::AaveV3.config()).unwrap();
    apply(&mut e, &[deposit("wstETH", dec!(5))]);
    let r = e.stress(ME, &shock("steth-discount"), day).unwrap();
    assert_eq!(r.applied.len(), 1);
    assert!(near(r.loss, dec!(1050), dec!(0.01)), "TC3 loss {}", r.loss);
    // TC4: the S&P 500's 16 March 2020 (−11.98%) on the broker: 4 SPX at 4,500 lose 2,156.40;
    // health 1.4 × 0.8802 = 1.2323, no call.
    let mut e = Engine::new(PresetId::Broker.config()).unwrap();
    apply(
        &mut e,
        &[deposit("SPX", dec!(4)), borrow("USD", dec!(7650))],
    );
    let r = e.stress(ME, &shock("sp500-crash-day"), day).unwrap();
    // A day of the 8% margin loan on 7,650 adds 1.68.
    assert!(
        near(r.loss, dec!(2158.08), dec!(0.01)),
        "TC4 loss {}",
        r.loss
    );
    assert!(near(r.health_after.unwrap(), dec!(1.2323), dec!(0.001)));
    assert!(!r.margin_call_issued);
    // TC5: 2008 peak to trough (−56.78%) on the same account: equity falls to 1.7% of the
    // collateral's value, below the broker's 10% hard floor: sold at once, no call.
    let r = e.stress(ME, &shock("gfc-2008"), day).unwrap();
    assert!(!r.margin_call_issued, "TC5");
    assert_eq!(r.liquidated.len(), 1);
    assert!(r.events.iter().any(|x| matches!(
        &x.kind,
        EventKind::MarginCallForcedSale { reason, .. } if reason.contains("hard floor")
    )));
    // The market move (4 × 2,555.1 = 10,220.4) plus the 0.5% fee on what was sold.
    let fee: Decimal = r.liquidated.iter().map(|l| l.penalty).sum();
    assert!(near(fee, r.liquidated[0].value * dec!(0.005), dec!(0.0001)));
    assert!(
        r.loss > dec!(10220.4) + fee && r.loss < dec!(10220.4) + fee + dec!(5),
        "TC5 loss {}",
        r.loss
    );
    // TC6: the T-bill redemption freeze: 100 TBILL at 100 lose 5%; with the market a tenth as
    // deep, the forced sale of a levered position slips ten times as far as the same −5% move
    // in a normal market.
    let mut e = aave_with_tbill();
    apply(&mut e, &[deposit("TBILL", dec!(100))]);
    let r = e
        .stress(ME, &shock("tbill-redemption-freeze"), day)
        .unwrap();
    assert!(near(r.loss, dec!(500), dec!(0.01)), "TC6 loss {}", r.loss);
    let limit = e.account_metrics(&ME).unwrap().borrow_limit;
    apply(&mut e, &[borrow("USDC", limit)]);
    let frozen = e
        .stress(ME, &shock("tbill-redemption-freeze"), day)
        .unwrap();
    let plain = e
        .stress(ME, &custom(&[(a("TBILL"), dec!(-0.05))]), day)
        .unwrap();
    assert!(!frozen.liquidated.is_empty() && !plain.liquidated.is_empty());
    let impact = |r: &StressResult| -> Decimal {
        r.events
            .iter()
            .filter_map(|x| match &x.kind {
                EventKind::MarketImpact {
                    price_before,
                    price_after,
                    asset,
                    ..
                } if asset.as_str() == "TBILL" => Some(*price_before - *price_after),
                _ => None,
            })
            .next()
            .unwrap_or_default()
    };
    assert!(
        impact(&frozen) > impact(&plain) * dec!(9),
        "TC6 {} vs {}",
        impact(&frozen),
        impact(&plain)
    );
    assert!(frozen.loss > plain.loss);
    // TC7: the oracle freeze: markets −20% while every oracle keeps its price for 24 hours:
    // nothing happens until the freeze ends, then the account is liquidated at once; without
    // the freeze it is liquidated one second after the move.
    let mut e = Engine::new(PresetId::AaveV3.config()).unwrap();
    apply(
        &mut e,
        &[deposit("ETH", dec!(10)), borrow("USDC", dec!(23000))],
    );
    let start = e.now();
    let frozen = e.stress(ME, &shock("oracle-freeze"), day).unwrap();
    assert_eq!(
        first_liquidation_time(&frozen),
        Some(start + 1 + 86_400),
        "TC7"
    );
    let mut move_only = custom(&[(a("ETH"), dec!(-0.20))]);
    move_only.id = "no-freeze".into();
    let open = e.stress(ME, &move_only, day).unwrap();
    assert_eq!(first_liquidation_time(&open), Some(start + 1));
    assert!(frozen.horizon_secs > 86_400);
    // TC8: a custom shock: ETH −30% costs 10 × 900 on the first account's holdings.
    let mut e = Engine::new(PresetId::AaveV3.config()).unwrap();
    apply(&mut e, &[deposit("ETH", dec!(10))]);
    let r = e
        .stress(ME, &custom(&[(a("ETH"), dec!(-0.3))]), day)
        .unwrap();
    assert!(near(r.loss, dec!(9000), dec!(0.001)), "TC8 loss {}", r.loss);
    // TC9: a shock that hits nothing in the scenario says so (no equities under Aave here).
    let r = e.stress(ME, &shock("sp500-crash-day"), day).unwrap();
    assert!(!r.hit());
    assert!(r.loss.abs() < dec!(0.01));
}

#[test]
fn the_library_names_its_sources() {
    // TC0: every shock has a name, a source and at least one move; the recorded figures are
    // those of the bundled S&P 500 data.
    let lib = library();
    assert_eq!(lib.len(), 7);
    for s in &lib {
        assert!(
            !s.name.is_empty() && s.source.len() > 20 && !s.moves.is_empty(),
            "{s:?}"
        );
    }
    let sp = shock("sp500-crash-day");
    assert!(sp.source.contains("2,711.02") && sp.source.contains("2,386.13"));
    let gfc = shock("gfc-2008");
    assert!(gfc.source.contains("1,565.15") && gfc.source.contains("676.53"));
}

#[test]
fn the_stress_leaves_the_engine_untouched() {
    // TC0: a stress runs on a copy: the engine's state and log are unchanged.
    let mut e = Engine::new(PresetId::AaveV3.config()).unwrap();
    apply(
        &mut e,
        &[deposit("ETH", dec!(10)), borrow("USDC", dec!(23000))],
    );
    let before = (format!("{e:?}"), e.log_hash());
    for s in library() {
        e.stress(ME, &s, StressOptions::default()).unwrap();
    }
    e.reverse_stress(ME).unwrap();
    assert_eq!(before, (format!("{e:?}"), e.log_hash()));
}

#[test]
fn reverse_stress_finds_the_smallest_drop() {
    // (account set-up, expected uniform drop, expected per-asset drops)
    struct Case {
        preset: PresetId,
        cmds: Vec<Command>,
        uniform: Option<Decimal>,
        per_asset: Vec<(&'static str, Option<Decimal>)>,
    }
    let w_eth = dec!(24900); // 10 ETH × 3,000 × 0.83
    let w_btc = dec!(46800); // 1 WBTC × 60,000 × 0.78
    let cases = [
        // TC0: ETH only, health 24,900 / 20,000: liquidated below a drop of 1 − 20,000 / 24,900.
        Case {
            preset: PresetId::AaveV3,
            cmds: vec![deposit("ETH", dec!(10)), borrow("USDC", dec!(20000))],
            uniform: Some(Decimal::ONE - dec!(20000) / w_eth),
            per_asset: vec![("ETH", Some(Decimal::ONE - dec!(20000) / w_eth))],
        },
        // TC1: ETH and WBTC: uniform 1 − D / (W_eth + W_btc); ETH alone would need
        // (W − D) / W_eth, over 99% (never), WBTC alone (W − D) / W_btc.
        Case {
            preset: PresetId::AaveV3,
            cmds: vec![
                deposit("ETH", dec!(10)),
                deposit("WBTC", dec!(1)),
                borrow("USDC", dec!(40000)),
            ],
            uniform: Some(Decimal::ONE - dec!(40000) / (w_eth + w_btc)),
            per_asset: vec![
                ("ETH", None),
                ("WBTC", Some((w_eth + w_btc - dec!(40000)) / w_btc)),
            ],
        },
        // TC2: the broker: a margin call below 7,650 / 10,710 of today's SPX price.
        Case {
            preset: PresetId::Broker,
            cmds: vec![deposit("SPX", dec!(4)), borrow("USD", dec!(7650))],
            uniform: Some(Decimal::ONE - dec!(7650) / dec!(10710)),
            per_asset: vec![("SPX", Some(Decimal::ONE - dec!(7650) / dec!(10710)))],
        },
        // TC3: no debt: no drop liquidates anything.
        Case {
            preset: PresetId::AaveV3,
            cmds: vec![deposit("ETH", dec!(10))],
            uniform: None,
            per_asset: vec![("ETH", None)],
        },
    ];
    for (k, c) in cases.into_iter().enumerate() {
        let mut e = Engine::new(c.preset.config()).unwrap();
        apply(&mut e, &c.cmds);
        let r = e.reverse_stress(ME).unwrap();
        assert_eq!(r.tolerance, TOLERANCE);
        // The reported drop triggers, and lies within the tolerance above the exact one.
        let check =
            |found: Option<Decimal>, exact: Option<Decimal>, what: &str| match (found, exact) {
                (Some(f), Some(x)) => assert!(
                    f >= x && f - x <= TOLERANCE,
                    "TC{k} {what}: found {f}, exact {x}"
                ),
                (f, x) => assert_eq!(f, x, "TC{k} {what}"),
            };
        check(r.uniform, c.uniform, "uniform");
        for (asset, exact) in c.per_asset {
            let found = r
                .per_asset
                .iter()
                .find(|(x, _)| x.as_str() == asset)
                .map(|(_, d)| *d)
                .unwrap_or_else(|| panic!("TC{k}: {asset} missing"));
            check(found, exact, asset);
        }
    }
    // TC4: a 10× isolated perp long: the drop to its liquidation price.
    let mut e = Engine::new(PresetId::PerpExchange.config()).unwrap();
    apply(
        &mut e,
        &[Command::OpenPosition {
            market: a("ETH"),
            side: Side::Long,
            size: dec!(2),
            leverage: dec!(10),
            mode: MarginMode::Isolated,
        }],
    );
    let liq = e.account_metrics(&ME).unwrap().positions[0]
        .liquidation_price
        .unwrap();
    let exact = Decimal::ONE - liq / dec!(3000);
    let (found, trials) = e.smallest_drop(ME, &[a("ETH")]).unwrap();
    let found = found.unwrap();
    assert!(
        found >= exact && found - exact <= TOLERANCE,
        "{found} vs {exact}"
    );
    // Bisection from [0, 99%] to 0.01 point: 2 end checks and ⌈log2(9,900)⌉ = 14 halvings.
    assert_eq!(trials, 16);
}

#[test]
fn the_joint_move_follows_its_formula() {
    let h = 1.0 / 365.0;
    let z = norm_inv(0.99);
    // TC0: one asset: the 99% VaR move itself, exp(−zσ√h) − 1.
    let m = joint_move(&[a("ETH")], &[30_000.0], &[0.8], &[vec![1.0]], h, 0.99);
    let exact = libm::expm1(-z * 0.8 * h.sqrt());
    assert_eq!(m[0].1, Decimal::from_f64_retain(exact).unwrap().round_dp(6));
    // TC1: two correlated longs both fall; a hedge (short the second) makes it rise.
    let corr = vec![vec![1.0, 0.8], vec![0.8, 1.0]];
    let long = joint_move(&[a("A"), a("B")], &[1.0, 1.0], &[0.5, 0.5], &corr, h, 0.99);
    assert!(long.iter().all(|(_, d)| *d < Decimal::ZERO));
    let hedged = joint_move(&[a("A"), a("B")], &[1.0, -0.9], &[0.5, 0.5], &corr, h, 0.99);
    assert!(
        hedged[0].1 < Decimal::ZERO && hedged[1].1 > Decimal::ZERO,
        "{hedged:?}"
    );
    // TC2: its linear loss equals the parametric delta-normal VaR: Σ eᵢ xᵢ = −z √(eᵀCe).
    let e = [2.0, 1.0];
    let m = joint_move(&[a("A"), a("B")], &e, &[0.5, 0.3], &corr, h, 0.99);
    let x: Vec<f64> = m
        .iter()
        .map(|(_, d)| libm::log1p(rust_decimal::prelude::ToPrimitive::to_f64(d).unwrap()))
        .collect();
    let q = (4.0 * 0.25 + 0.09 + 2.0 * 2.0 * 0.8 * 0.15) * h;
    assert!((e[0] * x[0] + e[1] * x[1] + z * q.sqrt()).abs() < 1e-5);
}
