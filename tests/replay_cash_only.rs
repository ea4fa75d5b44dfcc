//! The picker's wallet choice: the preset's basket or the starting cash only, said before Start.
#![cfg(not(target_arch = "wasm32"))]

use margin_lab::engine::{AccountId, AssetId, PresetId, RulesVersion};
use margin_lab::replay::scenario::starting_wallet;
use margin_lab::replay::script::ScenarioOption;
use margin_lab::replay::{Scenario, Script, Session};
use rust_decimal_macros::dec;

fn aave(cash_only: bool, rules: RulesVersion) -> Scenario {
    let mut s = Scenario {
        seed: 42,
        rules,
        ..Scenario::new("eth-black-thursday", PresetId::AaveV3)
    };
    if cash_only {
        s.set(ScenarioOption::CashOnly);
    }
    s
}

// TC0: what the picker lists is what the wallet holds after Start, with and without the basket.
#[test]
fn the_listed_wallet_is_the_wallet() {
    for cash_only in [false, true] {
        let scenario = aave(cash_only, RulesVersion::CURRENT);
        let listed = starting_wallet(&scenario).unwrap();
        let session = Session::open(Script::new(scenario)).unwrap();
        let m = session.engine().account_metrics(&AccountId::USER).unwrap();
        let mut held: Vec<_> = m
            .wallet
            .iter()
            .filter(|(_, v)| !v.is_zero())
            .cloned()
            .collect();
        let mut want = listed.clone();
        held.sort();
        want.sort();
        assert_eq!(held, want, "cash only: {cash_only}");
        let usdc = listed
            .iter()
            .find(|(a, _)| *a == AssetId::new("USDC"))
            .map(|(_, v)| *v);
        assert_eq!(usdc, Some(dec!(10000)));
        // The basket: ETH kept its value at the feed's first price (more than 10 ETH at 200).
        let eth = listed
            .iter()
            .find(|(a, _)| *a == AssetId::new("ETH"))
            .map(|(_, v)| *v);
        if cash_only {
            assert_eq!(listed.len(), 1, "{listed:?}");
            assert_eq!(eth, None);
        } else {
            assert!(eth.is_some_and(|e| e > dec!(100)), "{listed:?}");
        }
    }
}

// TC1: under the 2026-11 rules the option changes nothing (published links replay as before).
#[test]
fn cash_only_is_inactive_under_the_old_rules() {
    let with = Session::open(Script::new(aave(true, RulesVersion::V2026_11))).unwrap();
    let without = Session::open(Script::new(aave(false, RulesVersion::V2026_11))).unwrap();
    assert_eq!(with.log_hash(), without.log_hash());
}
