#![cfg(not(target_arch = "wasm32"))]
//! Margin Lab's credit tiers (`engine::risk::credit`): the multipliers and floors, the score's
//! transitions from the account's history, tier changes as events with their reasons, and the
//! liquidation-price index staying exact when a tier changes.

use margin_lab::engine::risk::credit::{adjust, CreditPolicy, CreditTier};
use margin_lab::engine::*;
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::collections::BTreeMap;

const DAY: i64 = 86_400;
const ME: AccountId = AccountId::USER;

fn a(t: &str) -> AssetId {
    AssetId::new(t)
}

#[test]
fn tier_multipliers_and_floors() {
    let broker = CreditPolicy {
        maintenance_floor: Some(dec!(0.25)),
        initial_floor: Some(dec!(0.50)),
    };
    let open = CreditPolicy {
        maintenance_floor: None,
        initial_floor: None,
    };
    // (policy, tier, LTV, LT, LTV after, LT after)
    let cases = [
        // TC0..4: the broker's equities (Reg T 50% / 30% maintenance): a better tier lowers the
        // house part of maintenance but never Reg T's 50%; a worse one raises both.
        (
            broker,
            CreditTier::A,
            dec!(0.5),
            dec!(0.7),
            dec!(0.5),
            dec!(0.745),
        ),
        (
            broker,
            CreditTier::B,
            dec!(0.5),
            dec!(0.7),
            dec!(0.5),
            dec!(0.724),
        ),
        (
            broker,
            CreditTier::C,
            dec!(0.5),
            dec!(0.7),
            dec!(0.5),
            dec!(0.7),
        ),
        (
            broker,
            CreditTier::D,
            dec!(0.5),
            dec!(0.7),
            dec!(0.4),
            dec!(0.64),
        ),
        (
            broker,
            CreditTier::E,
            dec!(0.5),
            dec!(0.7),
            dec!(0.25),
            dec!(0.55),
        ),
        // TC5: FINRA's 25% is a floor: a requirement already at 25% stays there.
        (
            broker,
            CreditTier::A,
            dec!(0.5),
            dec!(0.75),
            dec!(0.5),
            dec!(0.75),
        ),
        // TC6: requirements below the floors (the T-bill's 10% / 5%) scale freely.
        (
            broker,
            CreditTier::A,
            dec!(0.9),
            dec!(0.95),
            dec!(0.915),
            dec!(0.9575),
        ),
        // TC7..8: Aave-like ETH (80.5% / 83%) without floors.
        (
            open,
            CreditTier::A,
            dec!(0.805),
            dec!(0.83),
            dec!(0.83425),
            dec!(0.8555),
        ),
        (
            open,
            CreditTier::E,
            dec!(0.805),
            dec!(0.83),
            dec!(0.7075),
            dec!(0.745),
        ),
        // TC9: cash (100% / 100%) has no requirement to scale.
        (
            open,
            CreditTier::E,
            Decimal::ONE,
            Decimal::ONE,
            Decimal::ONE,
            Decimal::ONE,
        ),
    ];
    for (k, (p, tier, ltv, lt, ltv2, lt2)) in cases.into_iter().enumerate() {
        assert_eq!(adjust(p, tier, ltv, lt), (ltv2, lt2), "TC{k}");
    }
    // TC10: scores map to tiers at the stated boundaries.
    for (score, tier) in [
        (dec!(100), CreditTier::A),
        (dec!(85), CreditTier::A),
        (dec!(84.9), CreditTier::B),
        (dec!(70), CreditTier::B),
        (dec!(50), CreditTier::C),
        (dec!(49.9), CreditTier::D),
        (dec!(30), CreditTier::D),
        (dec!(29.9), CreditTier::E),
        (Decimal::ZERO, CreditTier::E),
    ] {
        assert_eq!(CreditTier::from_score(score), tier, "{score}");
    }
}

fn tier_changes(events: &[Event]) -> Vec<(CreditTier, CreditTier, Decimal, Decimal, String)> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::CreditTierChanged {
                from,
                to,
                maintenance_before,
                maintenance_after,
                reason,
                ..
            } => Some((
                *from,
                *to,
                *maintenance_before,
                *maintenance_after,
                reason.clone(),
            )),
            _ => None,
        })
        .collect()
}

fn record(e: &Engine) -> margin_lab::engine::risk::credit::CreditRecord {
    e.account(&ME).unwrap().credit.clone().unwrap()
}

#[test]
fn tier_transitions_from_the_accounts_history() {
    // The broker's client is enrolled from the start: 45 + neutral quality 5 = 50, tier C.
    let mut e = Engine::new(PresetId::Broker.config()).unwrap();
    let r = record(&e);
    assert_eq!((r.tier, r.score), (CreditTier::C, dec!(50)));
    // SPX only: quality 7, diversification 0 (score 52 at the next review).
    e.apply(
        ME,
        Command::Deposit {
            asset: a("SPX"),
            amount: dec!(4),
        },
    )
    .unwrap();
    e.apply(
        ME,
        Command::Borrow {
            asset: a("USD"),
            amount: dec!(6000),
        },
    )
    .unwrap();
    let repay = |e: &mut Engine, x: Decimal| {
        e.apply(
            ME,
            Command::Repay {
                asset: a("USD"),
                amount: x,
            },
        )
        .unwrap()
    };
    // TC0: a repayment of at least 1% of the debt counts (+3); a smaller one does not.
    repay(&mut e, dec!(1000));
    assert_eq!(record(&e).repayments, 1);
    repay(&mut e, dec!(10));
    assert_eq!(record(&e).repayments, 1);
    repay(&mut e, dec!(500));
    repay(&mut e, dec!(500));
    assert_eq!(record(&e).repayments, 3);
    assert_eq!(record(&e).tier, CreditTier::C);
    // TC1: five daily reviews add 2 each (at most 10): 45 + 10 + 9 + 7 + 0 = 71, tier B, and the
    // learner is told what it does to the maintenance margin: 30% → 27.6%.
    let mut changes = Vec::new();
    for d in 1..=5 {
        changes.extend(tier_changes(
            &e.step(d * DAY, &BTreeMap::from([(a("SPX"), dec!(4500))]))
                .unwrap(),
        ));
    }
    assert_eq!(record(&e).score, dec!(71));
    assert_eq!(changes.len(), 1, "{changes:?}");
    let (from, to, before, after, reason) = changes[0].clone();
    assert_eq!((from, to), (CreditTier::C, CreditTier::B));
    assert_eq!((before, after), (dec!(0.3), dec!(0.276)));
    assert!(
        reason.starts_with("daily review: time active +2"),
        "{reason}"
    );
    let text = e
        .events()
        .iter()
        .rev()
        .find(|x| matches!(x.kind, EventKind::CreditTierChanged { .. }))
        .unwrap()
        .describe();
    assert!(
        text.starts_with("Your tier improved: B (strong)") || text.contains("Your tier improved"),
        "{text}"
    );
    assert!(text.contains("maintenance margin 30% → 27.6%"), "{text}");
    // The account's limits follow at once.
    let m = e.account_metrics(&ME).unwrap();
    assert_eq!(m.collateral[0].liquidation_threshold, dec!(0.724));
    // TC2: a rating downgrade of 2 notches (−30): 41, tier D: maintenance 27.6% → 36%.
    let ev = e
        .apply(ME, Command::RatingDowngrade { notches: 2 })
        .unwrap();
    let c = tier_changes(&ev);
    assert_eq!(
        c.iter().map(|x| (x.0, x.1, x.2, x.3)).collect::<Vec<_>>(),
        vec![(CreditTier::B, CreditTier::D, dec!(0.276), dec!(0.36))]
    );
    assert!(
        c[0].4
            .starts_with("a rating downgrade: rating downgrades −30"),
        "{}",
        c[0].4
    );
    assert!(ev.iter().any(|x| matches!(
        x.kind,
        EventKind::RatingDowngraded { notches: 2, score_before, score_after, .. }
            if score_before == dec!(71) && score_after == dec!(41)
    )));
    // TC3: a downgrade outside 1..=4 notches is refused and changes nothing.
    let before = format!("{e:?}");
    assert!(e
        .apply(ME, Command::RatingDowngrade { notches: 5 })
        .is_err());
    assert_eq!(before, format!("{e:?}"));
    // TC4: joining twice is refused.
    assert_eq!(
        e.apply(ME, Command::JoinCreditTiers).unwrap_err(),
        Rejection::CreditAlreadyJoined
    );
}

#[test]
fn tiers_exist_only_under_the_current_rules_and_for_pooled_accounts() {
    // TC0: the 2026-11 rules have no credit tiers.
    let mut old = Engine::new(PresetId::AaveV3.config_for(RulesVersion::V2026_11)).unwrap();
    let err = old.apply(ME, Command::JoinCreditTiers).unwrap_err();
    assert!(err.to_string().contains("2026-11"), "{err}");
    // TC1: vaults keep their fixed ratio: joining is refused under the vault design.
    let mut maker = Engine::new(PresetId::MakerScd.config()).unwrap();
    assert!(maker.apply(ME, Command::JoinCreditTiers).is_err());
    // TC2: Aave-like pooled accounts may opt in; until then a downgrade is refused.
    let mut aave = Engine::new(PresetId::AaveV3.config()).unwrap();
    assert_eq!(
        aave.apply(ME, Command::RatingDowngrade { notches: 1 })
            .unwrap_err(),
        Rejection::CreditNotJoined
    );
    let ev = aave.apply(ME, Command::JoinCreditTiers).unwrap();
    assert!(matches!(
        ev[0].kind,
        EventKind::CreditJoined {
            tier: CreditTier::C,
            ..
        }
    ));
}

/// A downgrade tightens the requirement at once; the liquidation-price index re-bands the account,
/// so the next step acts on it even though no price moved.
#[test]
fn a_downgrade_is_acted_on_at_the_next_step_without_a_price_move() {
    // TC0: Aave-like, opted in, borrowed to a health factor of about 1.05: E tier (×1.5) makes
    // the 17% ETH requirement 25.5% and the account liquidatable.
    let mut e = Engine::new(PresetId::AaveV3.config()).unwrap();
    e.apply(ME, Command::JoinCreditTiers).unwrap();
    e.apply(
        ME,
        Command::Deposit {
            asset: a("ETH"),
            amount: dec!(10),
        },
    )
    .unwrap();
    e.apply(
        ME,
        Command::Borrow {
            asset: a("USDC"),
            amount: dec!(23700),
        },
    )
    .unwrap();
    e.apply(ME, Command::RatingDowngrade { notches: 4 })
        .unwrap();
    assert_eq!(record(&e).tier, CreditTier::E);
    assert!(e.is_liquidatable(&ME));
    let ev = e.step(e.now() + 60, &BTreeMap::new()).unwrap();
    assert!(ev.iter().any(|x| x.kind.is_liquidation_of(ME)));
    // TC1: the broker: SPX down to 3,300 leaves health 1.03; a downgrade to E (maintenance
    // 30% → 45%) brings a margin call at the next step, SPX unchanged.
    let mut b = Engine::new(PresetId::Broker.config()).unwrap();
    b.apply(
        ME,
        Command::Deposit {
            asset: a("SPX"),
            amount: dec!(4),
        },
    )
    .unwrap();
    b.apply(
        ME,
        Command::Borrow {
            asset: a("USD"),
            amount: dec!(7650),
        },
    )
    .unwrap();
    let spx = BTreeMap::from([(a("SPX"), dec!(3300))]);
    let ev = b.step(60, &spx).unwrap();
    assert!(!ev
        .iter()
        .any(|x| matches!(x.kind, EventKind::MarginCallIssued { .. })));
    b.apply(ME, Command::RatingDowngrade { notches: 2 })
        .unwrap();
    assert_eq!(record(&b).tier, CreditTier::E);
    let ev = b.step(120, &spx).unwrap();
    assert!(ev
        .iter()
        .any(|x| matches!(x.kind, EventKind::MarginCallIssued { .. })));
}

#[derive(Clone, Debug)]
enum Op {
    Borrow(u32),
    Repay(u32),
    Downgrade(u8),
    Step(i64, i64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => (500u32..=1000).prop_map(Op::Borrow),
        1 => (1u32..=1000).prop_map(Op::Repay),
        1 => (1u8..=4).prop_map(Op::Downgrade),
        4 => (60i64..(3 * DAY), 93i64..103).prop_map(|(dt, pct)| Op::Step(dt, pct)),
    ]
}

/// Law: whatever the tier does, after every step no account is left liquidatable (or a broker's
/// call is running), so the liquidation-price index missed nobody; value is conserved. Counts
/// the generated runs that changed a tier, and fails if too few did.
#[test]
fn the_index_stays_exact_through_tier_changes() {
    use proptest::test_runner::{Config, TestRunner};
    let runs_with_changes = std::cell::Cell::new(0usize);
    let mut runner = TestRunner::new(Config {
        cases: 128,
        ..Config::default()
    });
    runner
        .run(
            &(any::<bool>(), prop::collection::vec(op(), 1..30)),
            |(broker, ops)| {
                let (preset, coll, cash, amount) = if broker {
                    (PresetId::Broker, "SPX", "USD", dec!(4))
                } else {
                    (PresetId::AaveV3, "ETH", "USDC", dec!(10))
                };
                let mut e = Engine::new(preset.config()).unwrap();
                if !broker {
                    e.apply(ME, Command::JoinCreditTiers).unwrap();
                }
                e.apply(
                    ME,
                    Command::Deposit {
                        asset: a(coll),
                        amount,
                    },
                )
                .unwrap();
                let mut now = e.now();
                let mut price = e.market_prices()[&a(coll)];
                let mut changed = 0;
                for op in &ops {
                    let result = match op {
                        Op::Borrow(f) => {
                            let room = e.account_metrics(&ME).unwrap().available_to_borrow;
                            let x = (room * Decimal::from(*f) / dec!(1000)).round_dp(6);
                            e.apply(
                                ME,
                                Command::Borrow {
                                    asset: a(cash),
                                    amount: x,
                                },
                            )
                        }
                        Op::Repay(f) => {
                            let debt = e.account_metrics(&ME).unwrap().debt_value;
                            let x = (debt * Decimal::from(*f) / dec!(1000)).round_dp(6);
                            e.apply(
                                ME,
                                Command::Repay {
                                    asset: a(cash),
                                    amount: x,
                                },
                            )
                        }
                        Op::Downgrade(n) => e.apply(ME, Command::RatingDowngrade { notches: *n }),
                        Op::Step(dt, pct) => {
                            now += dt;
                            price = (price * Decimal::from(*pct) / dec!(100)).round_dp(6);
                            let ev = e.step(now, &BTreeMap::from([(a(coll), price)])).unwrap();
                            for id in e.account_ids().copied().collect::<Vec<_>>() {
                                let called = e.margin_call(&id).is_some_and(|c| c.deadline > now);
                                prop_assert!(
                                    !e.is_liquidatable(&id) || called,
                                    "{} after {:?}",
                                    id,
                                    op
                                );
                            }
                            Ok(ev)
                        }
                    };
                    if let Ok(ev) = result {
                        changed += ev
                            .iter()
                            .filter(|x| matches!(x.kind, EventKind::CreditTierChanged { .. }))
                            .count();
                    }
                    let residual = e.conservation_residual();
                    prop_assert!(residual.is_ok(), "{residual:?}");
                    for r in residual.unwrap_or_default().values() {
                        prop_assert!(r.abs() < dec!(0.0001));
                    }
                }
                if changed > 0 {
                    runs_with_changes.set(runs_with_changes.get() + 1);
                }
                Ok(())
            },
        )
        .unwrap();
    let n = runs_with_changes.get();
    assert!(n >= 40, "only {n} of 128 generated runs changed a tier");
}

/// A liquidation worsens the tier at the next step's review, which comes before that step's
/// liquidation checks: an account the new tier makes liquidatable is liquidated in the same step
/// (found by the property above: Aave-like, borrowed to 91.4% of the limit, ETH −4%, −1%, −4%,
/// −7%, 0, −1% a minute apart).
#[test]
fn a_tier_change_in_a_step_is_checked_in_that_step() {
    let mut e = Engine::new(PresetId::AaveV3.config()).unwrap();
    e.apply(ME, Command::JoinCreditTiers).unwrap();
    e.apply(
        ME,
        Command::Deposit {
            asset: a("ETH"),
            amount: dec!(10),
        },
    )
    .unwrap();
    let room = e.account_metrics(&ME).unwrap().available_to_borrow;
    e.apply(
        ME,
        Command::Borrow {
            asset: a("USDC"),
            amount: (room * dec!(0.914)).round_dp(6),
        },
    )
    .unwrap();
    let mut price = e.market_prices()[&a("ETH")];
    let mut now = e.now();
    let mut tier_changed = false;
    for pct in [96, 99, 96, 93, 100, 99] {
        now += 60;
        price = (price * Decimal::from(pct) / dec!(100)).round_dp(6);
        let ev = e.step(now, &BTreeMap::from([(a("ETH"), price)])).unwrap();
        tier_changed |= ev
            .iter()
            .any(|x| matches!(x.kind, EventKind::CreditTierChanged { .. }));
        // TC: after every step, nothing is left liquidatable.
        assert!(!e.is_liquidatable(&ME), "after ETH {price}");
    }
    assert!(tier_changed);
}
