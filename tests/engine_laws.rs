#![cfg(not(target_arch = "wasm32"))]
//! Property tests for the engine's laws, over every preset:
//! - value is conserved across every command, step and liquidation (`conservation_residual` ≈ 0);
//! - a liquidation leaves the account healthier or empty;
//! - a rejected command changes nothing;
//! - the same inputs give the same event-log hash (and the log hash matches a from-scratch hash).

use margin_lab::engine::*;
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::collections::BTreeMap;

#[derive(Clone, Debug)]
enum Op {
    /// `frac` (1..=1000 per mille) sizes the command relative to what the account has (so most
    /// commands are valid and accounts get close to their limits); `raw` uses it as an absolute
    /// amount instead (so many are rejected).
    Cmd {
        account: u64,
        kind: u8,
        asset: usize,
        frac: i64,
        raw: bool,
        flag: bool,
    },
    Step {
        dt: i64,
        moves: Vec<(usize, i64)>,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0u64..4, 0u8..14, 0usize..4, 1i64..=1000, prop::bool::weighted(0.15), any::<bool>()).prop_map(
            |(account, kind, asset, frac, raw, flag)| Op::Cmd { account, kind, asset, frac, raw, flag }
        ),
        1 => (1i64..86_400, prop::collection::vec((0usize..4, 70i64..130), 0..3)).prop_map(|(dt, moves)| Op::Step { dt, moves }),
    ]
}

fn to_command(
    e: &Engine,
    id: AccountId,
    kind: u8,
    asset: usize,
    frac: i64,
    raw: bool,
    flag: bool,
) -> Command {
    let cfg = e.config();
    let ids: Vec<AssetId> = cfg.assets.iter().map(|a| a.id.clone()).collect();
    let asset_id = ids[asset % ids.len()].clone();
    let perps: Vec<AssetId> = cfg
        .assets
        .iter()
        .filter(|a| a.perp.is_some())
        .map(|a| a.id.clone())
        .collect();
    let market = perps
        .get(asset % perps.len().max(1))
        .cloned()
        .unwrap_or(asset_id.clone());
    let side = if flag { Side::Long } else { Side::Short };
    let mode = if frac % 2 == 0 {
        MarginMode::Isolated
    } else {
        MarginMode::Cross
    };
    let f = Decimal::new(frac, 3);
    let acc = e.account(&id);
    let m = e.account_metrics(&id).ok();
    let price = |a: &AssetId| e.oracle_prices().get(a).copied().unwrap_or(Decimal::ONE);
    let wallet = |a: &AssetId| acc.map(|x| x.wallet(a)).unwrap_or_default();
    let sized = |have: Decimal| {
        if raw {
            Decimal::new(frac, 1)
        } else {
            (have * f).round_dp(8)
        }
    };
    let debt = &cfg.debt_asset;
    let vault = m.as_ref().and_then(|m| {
        m.vaults
            .iter()
            .find(|v| v.collateral_asset == asset_id)
            .cloned()
    });
    // Mostly commands that fit the preset's design; kinds 12 and 13 pick any command.
    let perp_preset = !perps.is_empty();
    let kind = match (cfg.design, perp_preset, kind) {
        (_, _, 12) => frac as u8 % 12,
        (_, _, 13) => 13,
        (CollateralDesign::MultiCollateral, false, k) => {
            [0, 0, 0, 1, 2, 2, 2, 2, 3, 3, 1, 0][k as usize % 12]
        }
        (CollateralDesign::MultiCollateral, true, k) => {
            [8, 8, 8, 8, 9, 10, 8, 9, 0, 2, 8, 10][k as usize % 12]
        }
        (CollateralDesign::SingleCollateral, _, k) => {
            [4, 4, 4, 5, 6, 6, 6, 6, 7, 11, 11, 4][k as usize % 12]
        }
    };
    match kind {
        0 => Command::Deposit {
            asset: asset_id.clone(),
            amount: sized(wallet(&asset_id)),
        },
        1 => {
            let have = m
                .as_ref()
                .and_then(|m| {
                    m.collateral_liquidation_prices
                        .iter()
                        .find(|c| c.asset == asset_id)
                        .map(|c| c.amount)
                })
                .unwrap_or_default();
            Command::Withdraw {
                asset: asset_id,
                amount: sized(have),
            }
        }
        2 => Command::Borrow {
            asset: debt.clone(),
            amount: sized(
                m.as_ref()
                    .map(|m| m.available_to_borrow)
                    .unwrap_or_default()
                    / price(debt),
            ),
        },
        3 => Command::Repay {
            asset: debt.clone(),
            amount: sized(m.as_ref().map(|m| m.debt_value).unwrap_or_default() / price(debt))
                .min(wallet(debt)),
        },
        4 => Command::VaultDeposit {
            collateral: asset_id.clone(),
            amount: sized(wallet(&asset_id)),
        },
        5 => Command::VaultWithdraw {
            collateral: asset_id,
            amount: sized(vault.map(|v| v.collateral).unwrap_or_default()),
        },
        6 => Command::VaultBorrow {
            collateral: asset_id,
            amount: sized(vault.map(|v| v.available_to_borrow).unwrap_or_default()),
        },
        7 => Command::VaultRepay {
            collateral: asset_id,
            amount: sized(vault.map(|v| v.debt).unwrap_or_default()).min(wallet(debt)),
        },
        8 => {
            let leverage = Decimal::from(1 + frac % 50);
            Command::OpenPosition {
                market: market.clone(),
                side,
                size: sized(wallet(debt) * leverage / price(&market) / dec!(2)),
                leverage,
                mode,
            }
        }
        9 => Command::ReducePosition {
            market: market.clone(),
            size: sized(
                acc.and_then(|a| a.positions.get(&market))
                    .map(|p| p.size)
                    .unwrap_or_default(),
            ),
        },
        10 => Command::ClosePosition { market },
        11 => Command::StabilityDeposit {
            amount: sized(wallet(debt)),
        },
        _ => Command::SetAlert {
            kind: AlertKind::HealthFactorBelow,
            threshold: dec!(1.2),
        },
    }
}

fn setup(preset: PresetId) -> Engine {
    let mut e = Engine::new(preset.config()).unwrap();
    let assets: Vec<(AssetId, Decimal)> = e
        .config()
        .assets
        .iter()
        .map(|a| (a.id.clone(), a.initial_price))
        .collect();
    for i in 0..4u64 {
        let id = AccountId(10 + i);
        e.apply(
            id,
            Command::CreateAccount {
                label: format!("trader {i}"),
            },
        )
        .unwrap();
        for (asset, price) in &assets {
            // About 200,000 of value in each asset.
            let amount = (dec!(200000) / price).round_dp(6);
            e.apply(
                id,
                Command::Fund {
                    asset: asset.clone(),
                    amount,
                },
            )
            .unwrap();
        }
    }
    e
}

/// Runs the ops, checking the per-op laws; returns the engine.
fn run(preset: PresetId, ops: &[Op]) -> Result<Engine, TestCaseError> {
    let mut e = setup(preset);
    let mut now = e.now();
    for op in ops {
        match op {
            Op::Cmd {
                account,
                kind,
                asset,
                frac,
                raw,
                flag,
            } => {
                let id = AccountId(10 + account);
                let cmd = to_command(&e, id, *kind, *asset, *frac, *raw, *flag);
                let before = format!("{e:?}");
                let preview = e.preview(id, &cmd);
                match e.apply(id, cmd.clone()) {
                    Err(rejection) => {
                        // Law: a rejected command changes nothing, and says why.
                        prop_assert_eq!(&before, &format!("{e:?}"));
                        prop_assert!(!rejection.to_string().is_empty());
                        prop_assert!(preview.is_err());
                    }
                    Ok(_) => {
                        // The what-if predicted exactly the outcome.
                        prop_assert_eq!(preview.ok(), e.account_metrics(&id).ok());
                    }
                }
            }
            Op::Step { dt, moves } => {
                now += dt;
                let mut prices = BTreeMap::new();
                let oracle = e.oracle_prices();
                let ids: Vec<AssetId> = oracle.keys().cloned().collect();
                for (i, pct) in moves {
                    let id = ids[i % ids.len()].clone();
                    let p = e.market_prices()[&id] * Decimal::from(*pct) / dec!(100);
                    prices.insert(id, p.round_dp(8).max(dec!(0.01)));
                }
                let events = e.step(now, &prices).unwrap();
                // Law: the liquidation-price index misses nobody: after a step (that did not hit
                // the cascade round limit) no account is left liquidatable.
                if e.last_step_stats().rounds < 8 {
                    let ids: Vec<AccountId> = e.account_ids().copied().collect();
                    for id in ids {
                        // A broker's margin call gives the account until its deadline.
                        let called = e.margin_call(&id).is_some_and(|c| c.deadline > now);
                        prop_assert!(
                            !e.is_liquidatable(&id) || called,
                            "{} still liquidatable after {:?}",
                            id,
                            op
                        );
                    }
                }
                for ev in &events {
                    // Law: a liquidation leaves the account healthier or empty.
                    if let EventKind::Liquidated {
                        health_before,
                        health_after,
                        account,
                        vault,
                        ..
                    } = &ev.kind
                    {
                        let empty = match vault {
                            None => e.account(account).is_none_or(|a| {
                                a.collateral_scaled.is_empty() || a.debt_scaled.is_empty()
                            }),
                            Some(c) => e.account(account).is_none_or(|a| !a.vaults.contains_key(c)),
                        };
                        let better = match (health_before, health_after) {
                            (_, None) => true,
                            (Some(b), Some(a)) => a > b,
                            (None, Some(_)) => false,
                        };
                        prop_assert!(better || empty, "{:?}", ev);
                    }
                }
            }
        }
        // Law: value is conserved.
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
    }
    prop_assert_eq!(e.log_hash(), hash_events(e.events()));
    Ok(e)
}

fn preset() -> impl Strategy<Value = PresetId> {
    prop::sample::select(PresetId::ALL.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn laws_hold(p in preset(), ops in prop::collection::vec(op(), 1..40)) {
        run(p, &ops)?;
    }

    #[test]
    fn same_inputs_same_hash(p in preset(), ops in prop::collection::vec(op(), 1..25)) {
        let a = run(p, &ops)?;
        let b = run(p, &ops)?;
        prop_assert_eq!(a.log_hash(), b.log_hash());
        prop_assert_eq!(a.events(), b.events());
        // The log round-trips through postcard (the replay codec's encoding).
        let bytes = postcard::to_allocvec(a.events()).unwrap();
        let back: Vec<Event> = postcard::from_bytes(&bytes).unwrap();
        prop_assert_eq!(hash_events(&back), a.log_hash());
    }
}

#[test]
fn commands_and_config_round_trip_through_postcard_and_json() {
    // TC0: every preset config survives postcard and JSON
    for p in PresetId::ALL {
        let cfg = p.config();
        let bytes = postcard::to_allocvec(&cfg).unwrap();
        let back: EngineConfig = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back, cfg);
        let json = serde_json::to_string(&cfg).unwrap();
        assert_eq!(serde_json::from_str::<EngineConfig>(&json).unwrap(), cfg);
    }
    // TC1: a command with decimals
    let cmd = Command::OpenPosition {
        market: AssetId::new("BTC"),
        side: Side::Short,
        size: dec!(0.125),
        leverage: dec!(12.5),
        mode: MarginMode::Cross,
    };
    let back: Command = postcard::from_bytes(&postcard::to_allocvec(&cmd).unwrap()).unwrap();
    assert_eq!(back, cmd);
}

#[test]
fn known_hash_is_stable() {
    // TC0: the hash of a fixed session; if this changes, old replays no longer verify.
    let mut e = Engine::new(PresetId::AaveV3.config()).unwrap();
    e.apply(
        AccountId::USER,
        Command::Deposit {
            asset: AssetId::new("ETH"),
            amount: dec!(10),
        },
    )
    .unwrap();
    e.apply(
        AccountId::USER,
        Command::Borrow {
            asset: AssetId::new("USDC"),
            amount: dec!(20000),
        },
    )
    .unwrap();
    e.step(3600, &BTreeMap::from([(AssetId::new("ETH"), dec!(2200))]))
        .unwrap();
    let h = e.log_hash();
    assert_eq!(h.len(), 64);
    let again = {
        let mut e = Engine::new(PresetId::AaveV3.config()).unwrap();
        e.apply(
            AccountId::USER,
            Command::Deposit {
                asset: AssetId::new("ETH"),
                amount: dec!(10),
            },
        )
        .unwrap();
        e.apply(
            AccountId::USER,
            Command::Borrow {
                asset: AssetId::new("USDC"),
                amount: dec!(20000),
            },
        )
        .unwrap();
        e.step(3600, &BTreeMap::from([(AssetId::new("ETH"), dec!(2200))]))
            .unwrap();
        e.log_hash()
    };
    assert_eq!(h, again);
}

#[test]
fn bad_step_inputs_change_nothing() {
    let mut e = Engine::new(PresetId::AaveV3.config()).unwrap();
    e.step(100, &BTreeMap::new()).unwrap();
    let before = format!("{e:?}");
    let cases = [
        // TC0: zero price
        (200, vec![("ETH", dec!(0))]),
        // TC1: negative price
        (200, vec![("ETH", dec!(-5))]),
        // TC2: absurd price
        (200, vec![("ETH", dec!(1e12))]),
        // TC3: unknown asset
        (200, vec![("DOGE", dec!(1))]),
        // TC4: time does not move forward
        (100, vec![("ETH", dec!(3000))]),
        (50, vec![]),
    ];
    for (now, prices) in cases {
        let p: BTreeMap<AssetId, Decimal> = prices
            .into_iter()
            .map(|(t, x)| (AssetId::new(t), x))
            .collect();
        let err = e.step(now, &p).unwrap_err();
        assert!(!err.to_string().is_empty());
        assert_eq!(before, format!("{e:?}"));
    }
}
