#![cfg(target_arch = "wasm32")]
//! The market's speed in the browser (a measured run, not a check: every test here is ignored in
//! `./dev test-wasm` and run by `./dev bench-wasm` in release, where it prints its figures):
//! generating 100,000 borrowers, and a step's cost with 500 borrowers near liquidation beside a
//! crowd of 1,000 or 100,000 far from it (`tests/support/near_crowd.rs`, the crowd the criterion
//! bench `crowd_near_500_ten_steps` uses natively).

#[path = "support/near_crowd.rs"]
mod near_crowd;

use margin_lab::engine::population::PopulationParams;
use margin_lab::engine::PresetId;
use margin_lab::replay::script::ScenarioOption;
use margin_lab::replay::{Scenario, Script, Session};
use near_crowd::{falling, near_crowd};
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or_default()
}

/// Median of `runs` timings of `f`, in milliseconds.
fn median_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let t0 = now_ms();
            f();
            now_ms() - t0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

#[wasm_bindgen_test]
#[ignore = "a measured run: ./dev bench-wasm"]
fn generating_a_hundred_thousand_borrowers() {
    for n in [1_000u32, 10_000, 100_000] {
        let ms = median_ms(3, || {
            let mut sc = Scenario::new("eth-black-thursday-crowd", PresetId::AaveV3);
            sc.set(ScenarioOption::Population(PopulationParams::with_count(n)));
            let s = Session::open(Script::new(sc)).expect("the crowd opens");
            assert!(s.engine().account_ids().count() > n as usize);
        });
        console_log!("bench market: open a session with {n} borrowers: {ms:.0} ms (median of 3)");
    }
}

#[wasm_bindgen_test]
#[ignore = "a measured run: ./dev bench-wasm"]
fn a_step_follows_the_borrowers_near_liquidation() {
    let mut per_step = Vec::new();
    for far in [1_000u32, 100_000] {
        let base = near_crowd(far, 500);
        let path = falling(&base, 10);
        let warm = base.oracle_prices();
        // The copy and a quiet first step are set-up; the ten falling steps are measured.
        let (mut steps, mut checked) = (Vec::new(), 0);
        for _ in 0..5 {
            let mut e = base.clone();
            e.step(base.now() + 1, &warm).expect("a quiet step");
            let t0 = now_ms();
            checked = 0;
            for (t, prices) in &path {
                e.step(*t, prices).expect("a step");
                checked += e.last_step_stats().accounts_checked;
            }
            steps.push((now_ms() - t0) / path.len() as f64);
        }
        steps.sort_by(f64::total_cmp);
        let step_ms = steps[steps.len() / 2];
        console_log!(
            "bench market: {far} far + 500 near: {step_ms:.3} ms a step (median of 5 runs of 10 steps, {checked} re-checked)"
        );
        per_step.push(step_ms);
    }
    console_log!(
        "bench market: a step at 100,000 / at 1,000 = {:.2}",
        per_step[1] / per_step[0]
    );
}
