//! Published v1 links keep verifying. `tests/fixtures/links/v1-corpus.txt` holds links written by
//! the 2026-11 build (payload version 1, rules of 2026-11) for every catalogue scenario × preset ×
//! design, with actions that exercise each mechanism (deposits, borrows near the limit, vault
//! debt, stability deposits, leveraged perps, oracle and liquidation overrides). Each line is
//! `<link> <event-log hash at the link's tick>`; the hashes were recorded by that build (the
//! generator below, run once before the rules changed) and must never change.
#![cfg(not(target_arch = "wasm32"))]

use margin_lab::replay::{Session, Shared, Verification};

const CORPUS: &str = include_str!("fixtures/links/v1-corpus.txt");

fn corpus() -> Vec<(&'static str, &'static str)> {
    CORPUS
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (link, hash) = l.split_once(' ').expect("`<link> <hash>` per line");
            (link, hash.trim())
        })
        .collect()
}

// TC0: every committed v1 link replays to the hash the 2026-11 build recorded.
#[test]
fn every_v1_corpus_link_verifies() {
    let lines = corpus();
    assert!(lines.len() >= 100, "the corpus has {} links", lines.len());
    let mut liquidations = 0usize;
    for (i, (link, hash)) in lines.iter().enumerate() {
        let shared = Shared::from_link(link).unwrap_or_else(|e| panic!("line {i}: {e}"));
        let (session, v) = Session::open_shared(shared).unwrap_or_else(|e| panic!("line {i}: {e}"));
        assert_eq!(session.log_hash(), *hash, "line {i}: {link}");
        assert_eq!(v, Verification::Verified, "line {i}");
        liquidations += session
            .engine()
            .events()
            .iter()
            .filter(|e| e.kind.category() == margin_lab::engine::explain::Category::Liquidation)
            .count();
    }
    // The corpus is only a safety net if its sessions liquidate (every mechanism runs).
    assert!(
        liquidations >= 50,
        "only {liquidations} liquidation events in the corpus"
    );
}

/// Writes the corpus. Run once with the build whose hashes it pins:
/// `cargo test --release --test replay_v1_corpus -- --ignored generate --nocapture`.
#[test]
#[ignore]
fn generate() {
    use margin_lab::engine::{
        AccountId, AssetId, CollateralDesign, Command, LiquidationKind, MarginMode, PresetId, Side,
    };
    use margin_lab::feed::OracleSpec;
    use margin_lab::replay::script::hash_bytes;
    use margin_lab::replay::{Scenario, Script};
    use rust_decimal::Decimal;
    use rust_decimal_macros::dec;

    let mut out = String::from(
        "# v1 links (payload 1, 2026-11 rules) and the event-log hash each must replay to.\n",
    );
    let feeds: Vec<&str> = margin_lab::feed::catalogue().iter().map(|e| e.id).collect();
    let mut variant = 0u64;
    for feed in &feeds {
        for preset in PresetId::ALL {
            for design in [
                CollateralDesign::SingleCollateral,
                CollateralDesign::MultiCollateral,
            ] {
                variant += 1;
                let (liquidation, oracle) = match variant % 7 {
                    3 => (None, Some(OracleSpec::Instant)),
                    5 if design == CollateralDesign::SingleCollateral => (
                        Some(LiquidationKind::Partial),
                        Some(OracleSpec::HeartbeatDeviation {
                            heartbeat_secs: 3600,
                            deviation: dec!(0.01),
                        }),
                    ),
                    6 if design == CollateralDesign::MultiCollateral => {
                        (Some(LiquidationKind::Full), None)
                    }
                    _ => (None, None),
                };
                let scenario = Scenario {
                    feed: feed.to_string(),
                    seed: variant,
                    preset,
                    design,
                    liquidation,
                    oracle,
                    starting_cash: dec!(10000),
                };
                let Ok(mut s) = Session::open(Script::new(scenario)) else {
                    continue;
                };
                let len = s.len();
                s.advance(2, false).unwrap();
                let m = s.engine().account_metrics(&AccountId::USER).unwrap();
                let debt = s.config().debt_asset.clone();
                if preset == PresetId::PerpExchange {
                    let market = s
                        .assets_by_relevance()
                        .into_iter()
                        .find(|a| s.config().asset(a).is_some_and(|p| p.perp.is_some()));
                    if let Some(market) = market {
                        let price = s.engine().oracle_prices()[&market];
                        let lev = [dec!(5), dec!(10), dec!(25)][(variant % 3) as usize];
                        let size = (dec!(4000) * lev / price).round_dp(6);
                        let mode = if variant.is_multiple_of(2) {
                            MarginMode::Cross
                        } else {
                            MarginMode::Isolated
                        };
                        let side = if variant.is_multiple_of(5) {
                            Side::Short
                        } else {
                            Side::Long
                        };
                        let _ = s.act(Command::OpenPosition {
                            market,
                            side,
                            size,
                            leverage: lev,
                            mode,
                        });
                    }
                } else {
                    for (asset, amount) in m.wallet.clone() {
                        if asset == debt || amount <= Decimal::ZERO {
                            continue;
                        }
                        let cmd = match design {
                            CollateralDesign::MultiCollateral => Command::Deposit {
                                asset: asset.clone(),
                                amount,
                            },
                            CollateralDesign::SingleCollateral => Command::VaultDeposit {
                                collateral: asset.clone(),
                                amount,
                            },
                        };
                        let _ = s.act(cmd);
                    }
                    let m = s.engine().account_metrics(&AccountId::USER).unwrap();
                    // Borrow close to the limit so that moves in the feed liquidate.
                    let share = [dec!(0.97), dec!(0.9), dec!(0.99)][(variant % 3) as usize];
                    match design {
                        CollateralDesign::MultiCollateral => {
                            let p = s.engine().oracle_prices()[&debt];
                            let amount = (m.available_to_borrow * share / p).round_dp(2);
                            if amount > Decimal::ZERO {
                                let _ = s.act(Command::Borrow {
                                    asset: debt.clone(),
                                    amount,
                                });
                            }
                        }
                        CollateralDesign::SingleCollateral => {
                            for v in m.vaults.clone() {
                                let amount = (v.available_to_borrow * share).round_dp(2);
                                if amount > Decimal::ZERO {
                                    let _ = s.act(Command::VaultBorrow {
                                        collateral: v.collateral_asset.clone(),
                                        amount,
                                    });
                                }
                            }
                            if preset == PresetId::LiquityV1 {
                                let have = s
                                    .engine()
                                    .account(&AccountId::USER)
                                    .map(|a| a.wallet(&debt))
                                    .unwrap_or_default();
                                if have > dec!(10) {
                                    let _ = s.act(Command::StabilityDeposit {
                                        amount: (have / dec!(2)).round_dp(2),
                                    });
                                }
                            }
                        }
                    }
                    let _ = s.act(Command::SetAlert {
                        kind: margin_lab::engine::AlertKind::HealthFactorBelow,
                        threshold: dec!(1.2),
                    });
                }
                // Later actions: top up or reduce a little halfway through.
                let mid = (len / 3).min(300);
                s.seek(mid).unwrap();
                if preset == PresetId::PerpExchange {
                    if let Some(p) = s
                        .engine()
                        .account(&AccountId::USER)
                        .and_then(|a| a.positions.iter().next().map(|(k, p)| (k.clone(), p.size)))
                    {
                        let _ = s.act(Command::ReducePosition {
                            market: p.0,
                            size: (p.1 / dec!(4)).round_dp(6),
                        });
                    }
                } else if let Some(eth) =
                    s.config().asset(&AssetId::new("ETH")).map(|a| a.id.clone())
                {
                    let _ = s.act(Command::Fund {
                        asset: eth,
                        amount: dec!(1),
                    });
                }
                let end = (len - 1).min(700);
                s.seek(end).unwrap();
                let shared = Shared {
                    script: s.script().clone(),
                    tick: s.tick() as u32,
                    log_hash: hash_bytes(&s.log_hash()),
                };
                out.push_str(&format!("{} {}\n", shared.to_link(), s.log_hash()));
            }
        }
    }
    std::fs::write(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/links/v1-corpus.txt"
        ),
        out,
    )
    .unwrap();
}
