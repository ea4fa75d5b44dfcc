#![cfg(target_arch = "wasm32")]
//! A crowd of 5,000 borrowers gives the same event log in the browser as natively: the golden
//! hash is the one `tests/market.rs::five_thousand_borrowers_golden_hash` checks natively.

use margin_lab::engine::population::PopulationParams;
use margin_lab::engine::PresetId;
use margin_lab::replay::script::ScenarioOption;
use margin_lab::replay::{Scenario, Script, Session};
use wasm_bindgen_test::wasm_bindgen_test;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const GOLDEN_5000: &str = "392d7d4fbf2552c6635909b848db42a983155a48ff4081534fbc7f65dee25c2d";

#[wasm_bindgen_test]
fn five_thousand_borrowers_replay_as_natively() {
    let mut sc = Scenario {
        seed: 21,
        ..Scenario::new("eth-black-thursday-crowd", PresetId::AaveV3)
    };
    sc.set(ScenarioOption::Population(PopulationParams::with_count(
        5000,
    )));
    let mut s = Session::open(Script::new(sc)).unwrap();
    s.seek(100).unwrap();
    assert_eq!(s.log_hash(), GOLDEN_5000);
    // The lender's view reads the same crowd.
    let total: u64 = s
        .engine()
        .health_histogram()
        .iter()
        .map(|b| b.accounts)
        .sum();
    assert!(total > 3000, "{total} accounts with debt at tick 100");
}
