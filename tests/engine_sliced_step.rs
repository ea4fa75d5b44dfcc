//! A step cut into slices (`Engine::step_within` / `Engine::resume_step`) ends exactly where the
//! same step run whole ends: the page pauses a crash's thousands of re-checks to stay responsive,
//! and a replay must not depend on where it paused.

use margin_lab::engine::population::{BufferParams, PopulationParams, PopulationSpec};
use margin_lab::engine::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::collections::BTreeMap;

/// `preset` with a crowd of `n` borrowers (seed 11) and thin markets (a twentieth of the preset's
/// depth), so that liquidation sales move the price and a step runs several rounds.
fn crowd(preset: PresetId, n: u32) -> Engine {
    let mut cfg = preset.config();
    cfg.population = Some(PopulationSpec {
        params: PopulationParams::with_count(n),
        seed: 11,
    });
    cfg.buffer = Some(BufferParams {
        depth_scale: dec!(0.05),
        ..BufferParams::default()
    });
    Engine::new(cfg).unwrap()
}

/// A daily path of the crowd's collateral assets: 30 calm days, a 50% fall over 15 days, 15 days
/// of partial recovery (every asset but the debt asset follows it).
fn crash(e: &Engine) -> Vec<(i64, BTreeMap<AssetId, Decimal>)> {
    let debt = e.config().debt_asset.clone();
    let start = e.oracle_prices();
    (1..=60i64)
        .map(|d| {
            let factor = match d {
                0..=30 => Decimal::ONE,
                31..=45 => Decimal::ONE - dec!(0.5) * Decimal::from(d - 30) / dec!(15),
                _ => dec!(0.5) + dec!(0.01) * Decimal::from(d - 45),
            };
            let prices = start
                .iter()
                .filter(|(a, _)| **a != debt)
                .map(|(a, p)| (a.clone(), (*p * factor).round_dp(6)))
                .collect();
            (e.now() + d * 86_400, prices)
        })
        .collect()
}

/// What the sliced run saw: steps that paused, pauses in all, and steps that paused while more
/// than one liquidation round ran.
#[derive(Default, Debug)]
struct Slicing {
    paused_steps: usize,
    pauses: usize,
    paused_multi_round: usize,
}

/// Steps `whole` with `step_logged` and `sliced` with `step_within`, pausing whenever `pause_at`
/// says so for the n-th question asked; after every step both have the same log hash, step
/// statistics and appended-event count.
fn compare(
    mut whole: Engine,
    mut sliced: Engine,
    path: &[(i64, BTreeMap<AssetId, Decimal>)],
    pause_at: impl Fn(usize) -> bool,
) -> Slicing {
    let mut seen = Slicing::default();
    let mut asked = 0usize;
    for (t, prices) in path {
        let a = whole.step_logged(*t, prices).unwrap();
        let mut pauses = 0;
        let mut pause = || {
            asked += 1;
            let p = pause_at(asked);
            pauses += usize::from(p);
            p
        };
        let mut b = sliced.step_within(*t, prices, &mut pause).unwrap();
        while b.is_none() {
            assert!(sliced.step_in_progress());
            b = sliced.resume_step(&mut pause);
        }
        assert!(!sliced.step_in_progress());
        assert_eq!(Some(a), b, "events appended at {t}");
        assert_eq!(whole.log_hash(), sliced.log_hash(), "log at {t}");
        assert_eq!(whole.last_step_stats(), sliced.last_step_stats(), "at {t}");
        if pauses > 0 {
            seen.paused_steps += 1;
            seen.pauses += pauses;
            if whole.last_step_stats().rounds > 1 {
                seen.paused_multi_round += 1;
            }
        }
    }
    assert_eq!(whole.events(), sliced.events());
    assert_eq!(whole.oracle_prices(), sliced.oracle_prices());
    assert_eq!(
        whole.conservation_residual().unwrap(),
        sliced.conservation_residual().unwrap()
    );
    seen
}

// Under a lending pool (Aave v3: partial liquidations, market impact rounds) and under troves
// (Liquity: redistribution and recovery mode re-check every trove), a crash played with the step
// paused at every question, and at every third, ends each step with the same log, statistics and
// state as the step run whole. The run must pause: a slicing that never happened would prove
// nothing, so the test counts pauses and pauses inside multi-round (cascading) steps. It fails if
// a pause drops or repeats a re-check, or loses a round's sales or touched accounts.
#[test]
fn a_step_paused_anywhere_ends_as_the_whole_step() {
    for preset in [PresetId::AaveV3, PresetId::LiquityV1] {
        for every in [1usize, 3] {
            let e = crowd(preset, 2_000);
            let path = crash(&e);
            let seen = compare(e.clone(), e, &path, |n| n % every == 0);
            println!("{preset:?}, a pause every {every}: {seen:?}");
            assert!(seen.paused_steps >= 3, "{preset:?}: {seen:?}");
            assert!(seen.pauses >= 100, "{preset:?}: {seen:?}");
            assert!(seen.paused_multi_round >= 1, "{preset:?}: {seen:?}");
        }
    }
}

// A command, a new step or a rewind in the middle of a step: the first two end the step first
// (so the log is the step's then the command's, as if nothing had paused); a rewind drops it.
#[test]
fn what_comes_in_the_middle_of_a_step_finishes_it_or_drops_it() {
    let e = crowd(PresetId::AaveV3, 2_000);
    let path = crash(&e);
    // The first step that pauses (a crash day).
    let mut whole = e.clone();
    let mut sliced = e;
    let cp = sliced.checkpoint();
    let mut paused_at = None;
    for (i, (t, prices)) in path.iter().enumerate() {
        if sliced
            .step_within(*t, prices, &mut || true)
            .unwrap()
            .is_none()
        {
            paused_at = Some(i);
            break;
        }
        whole.step_logged(*t, prices).unwrap();
    }
    let i = paused_at.expect("a crash day pauses");
    let (t, prices) = &path[i];
    whole.step_logged(*t, prices).unwrap();
    let deposit = Command::Deposit {
        asset: AssetId::new("USDC"),
        amount: dec!(1000),
    };
    // The learner's account exists in every session; here it is created first.
    let create = Command::CreateAccount { label: "me".into() };
    let me = AccountId(9_000_000);
    assert!(sliced.step_in_progress());
    sliced.apply(me, create.clone()).unwrap();
    assert!(!sliced.step_in_progress());
    whole.apply(me, create).unwrap();
    whole.apply(me, deposit.clone()).ok();
    sliced.apply(me, deposit).ok();
    assert_eq!(whole.log_hash(), sliced.log_hash());
    // A new step in the middle of one: the first ends, then the second runs.
    let (t2, p2) = &path[i + 1];
    let (t3, p3) = &path[i + 2];
    assert!(sliced.step_within(*t2, p2, &mut || true).unwrap().is_none());
    sliced.step_logged(*t3, p3).unwrap();
    whole.step_logged(*t2, p2).unwrap();
    whole.step_logged(*t3, p3).unwrap();
    assert_eq!(whole.log_hash(), sliced.log_hash());
    // A rewind drops the step in progress: the engine is back where the checkpoint was and
    // steps on from there as a fresh one would.
    let (t4, p4) = &path[i + 3];
    assert!(sliced.step_within(*t4, p4, &mut || true).unwrap().is_none());
    sliced.rewind(&cp).unwrap();
    assert!(!sliced.step_in_progress());
    let fresh = crowd(PresetId::AaveV3, 2_000);
    assert_eq!(fresh.log_hash(), sliced.log_hash());
    assert_eq!(fresh.now(), sliced.now());
}
