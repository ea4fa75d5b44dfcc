#![cfg(not(target_arch = "wasm32"))]
//! Protection rules against hand-computed examples: auto-repay, boost and vault top-up, each
//! with what it moved; rules that cannot act (an empty wallet, the borrow limit) say so once and
//! act when they can; rules act before the liquidation checks of the same step.
//!
//! Engines are the Aave v3 and Maker SCD presets (2026-12 rules) made exact: instant oracle, no
//! interest or stability fee. Aave: ETH LT 83 %, LTV 80.5 %; USDC LT 80 %. Maker: ETH vaults
//! liquidated below 150 %.

use margin_lab::engine::orders::{ProtectionRule, RuleState};
use margin_lab::engine::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::collections::BTreeMap;

fn a(t: &str) -> AssetId {
    AssetId::new(t)
}

const ME: AccountId = AccountId::USER;

fn exact(mut cfg: EngineConfig) -> EngineConfig {
    for x in &mut cfg.assets {
        x.oracle = OracleSpec::Instant;
        x.rate = RateModel::zero();
        x.stability_fee = Decimal::ZERO;
    }
    cfg
}

fn cmd(e: &mut Engine, who: AccountId, c: Command) {
    e.apply(who, c.clone())
        .unwrap_or_else(|r| panic!("{c:?}: {r}"));
}

/// Aave: the learner deposits 10 ETH and borrows 12,000 USDC (health 10 × 3,000 × 0.83 /
/// 12,000 = 2.075); the wallet holds 22,000 USDC.
fn aave() -> Engine {
    let mut e = Engine::new(exact(PresetId::AaveV3.config())).unwrap();
    cmd(
        &mut e,
        ME,
        Command::Deposit {
            asset: a("ETH"),
            amount: dec!(10),
        },
    );
    cmd(
        &mut e,
        ME,
        Command::Borrow {
            asset: a("USDC"),
            amount: dec!(12000),
        },
    );
    e
}

fn repay(trigger: Decimal, target: Decimal) -> ProtectionRule {
    ProtectionRule::RepayBelow {
        asset: a("USDC"),
        trigger,
        target,
    }
}

fn boost(trigger: Decimal, target: Decimal) -> ProtectionRule {
    ProtectionRule::BoostAbove {
        asset: a("USDC"),
        trigger,
        target,
    }
}

fn step(e: &mut Engine, eth: Decimal) -> Vec<Event> {
    let now = e.now() + 3600;
    e.step(now, &BTreeMap::from([(a("ETH"), eth)])).unwrap()
}

/// (amount, before, after, reached target) of the step's rule firings.
fn fired(events: &[Event]) -> Vec<(Decimal, Option<Decimal>, Option<Decimal>, bool)> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::RuleFired {
                amount,
                before,
                after,
                reached_target,
                ..
            } => Some((
                *amount,
                before.map(|x| x.round_dp(4)),
                after.map(|x| x.round_dp(4)),
                *reached_target,
            )),
            _ => None,
        })
        .collect()
}

fn blocked(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::RuleCouldNotAct { reason, .. } => Some(reason.clone()),
            _ => None,
        })
        .collect()
}

fn liquidated(events: &[Event]) -> bool {
    events.iter().any(|e| e.kind.is_liquidation_of(ME))
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
fn auto_repay_brings_health_back_to_its_target() {
    let mut e = aave();
    cmd(
        &mut e,
        ME,
        Command::SetProtection {
            rule: repay(dec!(1.5), dec!(1.8)),
        },
    );
    // TC0: health 10 × 2,200 × 0.83 / 12,000 = 1.5217: above the trigger, nothing.
    assert!(fired(&step(&mut e, dec!(2200))).is_empty());
    // TC1: ETH 2,100 → health 17,430 / 12,000 = 1.4525 < 1.5: repay 12,000 − 17,430 / 1.8 =
    // 2,316.66666667 USDC from the wallet; health back to 1.80.
    let evs = step(&mut e, dec!(2100));
    assert_eq!(
        fired(&evs),
        vec![(
            dec!(2316.66666667),
            Some(dec!(1.4525)),
            Some(dec!(1.8)),
            true
        )]
    );
    let m = e.account_metrics(&ME).unwrap();
    assert_eq!(
        m.wallet
            .iter()
            .find(|(x, _)| x.as_str() == "USDC")
            .unwrap()
            .1,
        dec!(19683.33333333)
    );
    // TC2: the event carries the cost (value at the oracle price).
    assert!(evs.iter().any(
        |x| matches!(&x.kind, EventKind::RuleFired { value, .. } if *value == dec!(2316.66666667))
    ));
    conserved(&e);
}

#[test]
fn a_rule_acts_before_the_liquidation_check() {
    // TC0: control: ETH 3,000 → 1,400 in one step puts health at 11,620 / 12,000 = 0.968: the
    // account is liquidated.
    let mut e = aave();
    assert!(liquidated(&step(&mut e, dec!(1400))));
    // TC1: the same step with an auto-repay rule: it repays 12,000 − 11,620 / 1.8 = 5,544.44… first
    // and the liquidation check finds health 1.80.
    let mut e = aave();
    cmd(
        &mut e,
        ME,
        Command::SetProtection {
            rule: repay(dec!(1.5), dec!(1.8)),
        },
    );
    let evs = step(&mut e, dec!(1400));
    assert_eq!(
        fired(&evs),
        vec![(
            dec!(5544.44444445),
            Some(dec!(0.9683)),
            Some(dec!(1.8)),
            true
        )]
    );
    assert!(!liquidated(&evs));
    conserved(&e);
}

#[test]
fn a_rule_that_cannot_act_says_why_and_acts_when_it_can() {
    // Account #5 holds only ETH: deposits 10, borrows 12,000 USDC and supplies those 12,000
    // back, so its wallet holds no USDC. Health (24,900 + 9,600) / 12,000 = 2.875.
    let mut e = Engine::new(exact(PresetId::AaveV3.config())).unwrap();
    let who = AccountId(5);
    cmd(
        &mut e,
        who,
        Command::CreateAccount {
            label: "short of cash".into(),
        },
    );
    cmd(
        &mut e,
        who,
        Command::Fund {
            asset: a("ETH"),
            amount: dec!(10),
        },
    );
    cmd(
        &mut e,
        who,
        Command::Deposit {
            asset: a("ETH"),
            amount: dec!(10),
        },
    );
    cmd(
        &mut e,
        who,
        Command::Borrow {
            asset: a("USDC"),
            amount: dec!(12000),
        },
    );
    cmd(
        &mut e,
        who,
        Command::Deposit {
            asset: a("USDC"),
            amount: dec!(12000),
        },
    );
    cmd(
        &mut e,
        who,
        Command::SetProtection {
            rule: repay(dec!(1.5), dec!(1.8)),
        },
    );
    // TC0: ETH 1,000 → health (8,300 + 9,600) / 12,000 = 1.4917 < 1.5, nothing to repay with.
    let evs = step(&mut e, dec!(1000));
    assert_eq!(
        blocked(&evs),
        vec!["your wallet holds no USDC to repay with (you owe 12,000 USDC)".to_string()]
    );
    let since = e.now();
    assert!(matches!(
        &e.account(&who).unwrap().automation.rules[&1].state,
        RuleState::Blocked { since: s, .. } if *s == since
    ));
    // TC1: still below, same reason: the state shows it, no second event.
    let evs = step(&mut e, dec!(990));
    assert!(blocked(&evs).is_empty() && fired(&evs).is_empty());
    // TC2: 500 USDC arrive: the rule repays what it can (not enough for 1.80).
    cmd(
        &mut e,
        who,
        Command::Fund {
            asset: a("USDC"),
            amount: dec!(500),
        },
    );
    let evs = step(&mut e, dec!(990));
    let f = fired(&evs);
    assert_eq!((f[0].0, f[0].3), (dec!(500), false));
    assert!(evs.iter().any(|x| matches!(
        &x.kind,
        EventKind::RuleFired {
            blocked_secs: Some(7200),
            ..
        }
    )));
    // TC3: health went back above 1.5 (debt 11,500: 17,817 / 11,500 = 1.549), then ETH 900
    // takes it below again (17,070 / 11,500 = 1.484) with an empty wallet: it says so again.
    let evs = step(&mut e, dec!(900));
    assert_eq!(blocked(&evs).len(), 1);
    // TC4: the price recovers above the trigger: the rule re-arms without acting.
    step(&mut e, dec!(1500));
    assert_eq!(
        e.account(&who).unwrap().automation.rules[&1].state,
        RuleState::Armed
    );
    conserved(&e);
}

#[test]
fn boost_borrows_back_down_to_its_target() {
    // TC0: ETH 4,000 → health 33,200 / 12,000 = 2.7667 > 2.5: borrow 33,200 / 2 − 12,000 =
    // 4,600 USDC, health 2.00.
    let mut e = aave();
    cmd(
        &mut e,
        ME,
        Command::SetProtection {
            rule: boost(dec!(2.5), dec!(2.0)),
        },
    );
    assert!(fired(&step(&mut e, dec!(3300))).is_empty());
    let evs = step(&mut e, dec!(4000));
    assert_eq!(
        fired(&evs),
        vec![(dec!(4600), Some(dec!(2.7667)), Some(dec!(2.0)), true)]
    );
    conserved(&e);
    // TC1: a boost aiming below the borrow limit's health stops at the limit
    // (24,900 / (3,000 × 10 × 0.805) = 1.0311) and says it did not reach its target.
    let mut e = aave();
    cmd(
        &mut e,
        ME,
        Command::SetProtection {
            rule: boost(dec!(1.02), dec!(1.01)),
        },
    );
    let evs = step(&mut e, dec!(3000.01));
    let f = fired(&evs);
    assert_eq!((f[0].2, f[0].3), (Some(dec!(1.0311)), false));
    // TC2: at the limit, health 1.0311 is still above the 1.02 trigger: it cannot borrow more
    // and says so.
    let evs = step(&mut e, dec!(3000.01));
    assert_eq!(
        blocked(&evs),
        vec!["your debt is already at your borrow limit".to_string()]
    );
}

#[test]
fn vault_top_up_adds_collateral_from_the_wallet() {
    // Maker SCD: 5 ETH in a vault with 5,000 DAI of debt (ratio 300 %), 5 ETH in the wallet.
    let setup = || {
        let mut e = Engine::new(exact(PresetId::MakerScd.config())).unwrap();
        cmd(
            &mut e,
            ME,
            Command::VaultDeposit {
                collateral: a("ETH"),
                amount: dec!(5),
            },
        );
        cmd(
            &mut e,
            ME,
            Command::VaultBorrow {
                collateral: a("ETH"),
                amount: dec!(5000),
            },
        );
        e
    };
    let top_up = ProtectionRule::TopUpBelow {
        collateral: a("ETH"),
        trigger: dec!(1.8),
        target: dec!(2.2),
    };
    // TC0: ETH 1,700 → ratio 8,500 / 5,000 = 1.70 < 1.80: add 2.2 × 5,000 / 1,700 − 5 =
    // 1.47058824 ETH; ratio 2.20.
    let mut e = setup();
    cmd(
        &mut e,
        ME,
        Command::SetProtection {
            rule: top_up.clone(),
        },
    );
    let evs = step(&mut e, dec!(1700));
    assert_eq!(
        fired(&evs),
        vec![(dec!(1.47058824), Some(dec!(1.7)), Some(dec!(2.2)), true)]
    );
    conserved(&e);
    // TC1: control: ETH 1,400 → ratio 1.40, below 150 %: liquidated.
    let mut e = setup();
    assert!(liquidated(&step(&mut e, dec!(1400))));
    // TC2: with the rule, the vault is topped up first (2.2 × 5,000 / 1,400 − 5 = 2.857… ETH)
    // and not liquidated.
    let mut e = setup();
    cmd(&mut e, ME, Command::SetProtection { rule: top_up });
    let evs = step(&mut e, dec!(1400));
    assert_eq!(fired(&evs)[0].0, dec!(2.85714286));
    assert!(!liquidated(&evs));
    conserved(&e);
}

#[test]
fn refused_rules_change_nothing() {
    let mut base = aave();
    cmd(
        &mut base,
        ME,
        Command::SetProtection {
            rule: repay(dec!(1.5), dec!(1.8)),
        },
    );
    let cases: Vec<(Command, &str)> = vec![
        // TC0: a target at or below the trigger.
        (
            Command::SetProtection {
                rule: repay(dec!(1.5), dec!(1.4)),
            },
            "must be above the trigger",
        ),
        // TC1: a trigger at or below 1 (it would act after liquidation).
        (
            Command::SetProtection {
                rule: repay(dec!(1.0), dec!(1.4)),
            },
            "must be above 1.00",
        ),
        // TC2: a boost whose target is above its trigger.
        (
            Command::SetProtection {
                rule: boost(dec!(2.0), dec!(2.2)),
            },
            "must be below the trigger",
        ),
        // TC3: a boost that would undo the repay (its target 1.6 is below the repay target 1.8).
        (
            Command::SetProtection {
                rule: boost(dec!(1.7), dec!(1.6)),
            },
            "undo the other",
        ),
        // TC4: a vault rule on pooled accounts.
        (
            Command::SetProtection {
                rule: ProtectionRule::TopUpBelow {
                    collateral: a("ETH"),
                    trigger: dec!(1.8),
                    target: dec!(2.0),
                },
            },
            "not available in this scenario",
        ),
        // TC5: an asset that cannot be borrowed.
        (
            Command::SetProtection {
                rule: ProtectionRule::RepayBelow {
                    asset: a("WBTC"),
                    trigger: dec!(1.5),
                    target: dec!(1.8),
                },
            },
            "cannot be borrowed",
        ),
        // TC6: an unknown rule.
        (Command::ClearProtection { id: 42 }, "#42"),
        // TC7: an absurd level.
        (
            Command::SetProtection {
                rule: repay(dec!(1.5), dec!(1000)),
            },
            "at most 100",
        ),
    ];
    for (i, (c, words)) in cases.into_iter().enumerate() {
        let mut e = base.clone();
        let before = format!("{e:?}");
        let err = e.apply(ME, c).unwrap_err().to_string();
        assert!(err.contains(words), "TC{i}: {err}");
        assert_eq!(before, format!("{e:?}"), "TC{i}");
    }
    // TC8: a top-up trigger at the vault's liquidation ratio is refused under Maker.
    let mut e = Engine::new(exact(PresetId::MakerScd.config())).unwrap();
    let err = e
        .apply(
            ME,
            Command::SetProtection {
                rule: ProtectionRule::TopUpBelow {
                    collateral: a("ETH"),
                    trigger: dec!(1.5),
                    target: dec!(2.0),
                },
            },
        )
        .unwrap_err();
    assert!(err.to_string().contains("above 1.50"), "{err}");
}

#[test]
fn setting_a_rule_again_replaces_it_and_clearing_removes_it() {
    let mut e = aave();
    cmd(
        &mut e,
        ME,
        Command::SetProtection {
            rule: repay(dec!(1.5), dec!(1.8)),
        },
    );
    // TC0: the same kind on the same asset replaces the rule.
    let evs = e
        .apply(
            ME,
            Command::SetProtection {
                rule: repay(dec!(1.4), dec!(1.7)),
            },
        )
        .unwrap();
    assert!(matches!(
        &evs[0].kind,
        EventKind::RuleSet {
            id: 2,
            replaced: Some(1),
            ..
        }
    ));
    assert_eq!(e.account(&ME).unwrap().automation.rules.len(), 1);
    // TC1: cleared.
    e.apply(ME, Command::ClearProtection { id: 2 }).unwrap();
    assert!(e.account(&ME).unwrap().automation.is_empty());
    assert_eq!(e.automation_sizes(), (0, 0, 0));
}
