//! The market: a crowd of borrowers beside the learner, liquidated by the same mechanisms, whose
//! forced sales move the price for everyone (cascades); the lender's view of it; links that carry
//! only its parameters.
#![cfg(not(target_arch = "wasm32"))]

use margin_lab::engine::population::{BufferParams, PopulationParams};
use margin_lab::engine::*;
use margin_lab::replay::compare::{self, Run};
use margin_lab::replay::script::ScenarioOption;
use margin_lab::replay::{Scenario, Script, Session, Shared, Verification};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::collections::BTreeMap;

fn crowd(preset: PresetId, count: u32, seed: u64) -> Scenario {
    let mut s = Scenario {
        seed,
        ..Scenario::new("eth-black-thursday-crowd", preset)
    };
    s.set(ScenarioOption::Population(PopulationParams::with_count(
        count,
    )));
    s
}

/// The crowd crash of TC2, TC8 and TC9 (3,000 borrowers under Aave v3, seed 5) with the market's
/// depth scaled by `depth`.
fn crash_at_depth(depth: Decimal) -> Scenario {
    let mut sc = crowd(PresetId::AaveV3, 3000, 5);
    sc.set(ScenarioOption::Buffer(BufferParams {
        depth_scale: depth,
        ..BufferParams::default()
    }));
    sc
}

fn play_to_end(s: &mut Session) {
    while !s.at_end() {
        s.advance(500, false).unwrap();
    }
}

fn joined(e: &Engine) -> u32 {
    e.events()
        .iter()
        .find_map(|x| match &x.kind {
            EventKind::PopulationGenerated { borrowers, .. } => Some(*borrowers),
            _ => None,
        })
        .unwrap_or(0)
}

// TC0: the laws hold with a crowd, under every preset: value is conserved, no account is left
// liquidatable after a step, bad debt is recorded (never hidden), and the crowd is the size asked.
#[test]
fn laws_hold_with_a_crowd_under_every_preset() {
    for preset in [
        PresetId::AaveV3,
        PresetId::CompoundIII,
        PresetId::MakerScd,
        PresetId::MakerMcd,
        PresetId::LiquityV1,
        PresetId::PerpExchange,
        PresetId::PerpSkew,
    ] {
        let mut s = Session::open(Script::new(crowd(preset, 400, 11))).unwrap();
        assert_eq!(joined(s.engine()), 400, "{preset:?}");
        let mut liquidated = 0usize;
        while !s.at_end() {
            s.advance(1, false).unwrap();
            let e = s.engine();
            for (asset, r) in e.conservation_residual().unwrap() {
                assert!(r.abs() < dec!(0.0001), "{preset:?} {asset}: residual {r}");
            }
            let stuck: Vec<_> = e
                .account_ids()
                .filter(|id| e.is_liquidatable(id))
                .copied()
                .collect();
            // A Dutch auction's vault is gone; a dust-blocked Aave account waits (logged).
            assert!(
                stuck.is_empty()
                    || e.events()
                        .iter()
                        .rev()
                        .take(2000)
                        .any(|x| matches!(x.kind, EventKind::LiquidationBlocked { .. })),
                "{preset:?} tick {}: {} accounts left liquidatable",
                s.tick(),
                stuck.len()
            );
            liquidated = e
                .events()
                .iter()
                .filter(|x| x.kind.is_liquidation())
                .count();
        }
        assert!(
            liquidated > 0,
            "{preset:?}: the crash liquidates part of the crowd"
        );
        let recorded: Decimal = s
            .engine()
            .events()
            .iter()
            .filter_map(|x| match &x.kind {
                EventKind::BadDebt { amount, .. } => Some(*amount),
                _ => None,
            })
            .sum();
        let ledger = s.engine().bad_debt_value();
        assert!(
            (recorded.is_zero()) == (ledger.is_zero()),
            "{preset:?}: bad debt events {recorded} vs ledger {ledger}"
        );
    }
}

// TC1: the crowd is regenerated from the seed: the same link gives the same log; another seed
// another crowd. The link carries only the parameters and stays short.
#[test]
fn a_crowd_travels_as_parameters_and_replays_bit_for_bit() {
    let mut s = Session::open(Script::new(crowd(PresetId::AaveV3, 5000, 3))).unwrap();
    s.act(Command::Deposit {
        asset: AssetId::new("ETH"),
        amount: dec!(5),
    })
    .unwrap();
    s.seek(100).unwrap();
    let link = s.share().to_link();
    assert!(link.len() < 2000, "{} characters", link.len());
    let (opened, v) = Session::open_shared(Shared::from_link(&link).unwrap()).unwrap();
    assert_eq!(v, Verification::Verified);
    assert_eq!(opened.log_hash(), s.log_hash());
    let other = Session::open(Script::new(crowd(PresetId::AaveV3, 5000, 4))).unwrap();
    let same = Session::open(Script::new(crowd(PresetId::AaveV3, 5000, 3))).unwrap();
    assert_ne!(other.log_hash(), same.log_hash());
    // Bad parameters in a link are refused with their name.
    let mut bad = crowd(PresetId::AaveV3, 5000, 3);
    bad.set(ScenarioOption::Population(PopulationParams {
        count: 200_000,
        ..PopulationParams::with_count(1)
    }));
    let err = Shared::new(Script::new(bad), 0, &"0".repeat(64)).to_link();
    let err = Shared::from_link(&err).unwrap_err().to_string();
    assert!(err.contains("100,000"), "{err}");
}

// TC2: the cascade is real. The same crowd and crash with a thin market (depth ÷ 20) liquidates
// strictly more than with a deep one (depth × 20), and the extra liquidations come in ticks after
// the first wave (forced sales push the price further, the oracle follows, more accounts fall).
#[test]
fn thin_markets_turn_a_crash_into_a_cascade() {
    let run = |depth: Decimal| {
        let mut s = Session::open(Script::new(crash_at_depth(depth))).unwrap();
        play_to_end(&mut s);
        let per_tick = s.series().liquidations.clone();
        let first = per_tick.iter().position(|n| *n > 0).unwrap_or(0);
        (per_tick.iter().sum::<u32>(), per_tick, first)
    };
    let (thin, thin_ticks, thin_first) = run(dec!(0.05));
    let (deep, deep_ticks, deep_first) = run(dec!(20));
    assert!(thin > deep, "thin {thin} vs deep {deep}");
    // The first wave starts no later in the thin market, and the thin market keeps liquidating in
    // ticks after it where the deep one has fewer.
    assert!(thin_first <= deep_first);
    let after = |ticks: &[u32], from: usize| ticks[from + 1..].iter().sum::<u32>();
    assert!(
        after(&thin_ticks, thin_first) > after(&deep_ticks, thin_first),
        "later waves: thin {} vs deep {}",
        after(&thin_ticks, thin_first),
        after(&deep_ticks, thin_first)
    );
}

// TC3: the lender's view: every crowd account is in the health histogram, the liquidation curve
// only grows with the drop, and the crowd's healths start mostly between 1.1 and 2.
#[test]
fn health_histogram_and_liquidation_curve() {
    let s = Session::open(Script::new(crowd(PresetId::AaveV3, 2000, 9))).unwrap();
    let e = s.engine();
    let bins = e.health_histogram();
    let total: u64 = bins.iter().map(|b| b.accounts).sum();
    assert_eq!(total, 2000, "the learner holds no debt yet");
    let core: u64 = bins
        .iter()
        .filter(|b| b.from >= dec!(1.05) && b.to.is_some_and(|t| t <= dec!(2)))
        .map(|b| b.accounts)
        .sum();
    assert!(
        core * 10 >= total * 7,
        "{core} of {total} between 1.05 and 2"
    );
    assert_eq!(bins[0].accounts, 0, "nobody starts liquidatable");
    let drops: Vec<Decimal> = (0..=16).map(|i| Decimal::from(i) * dec!(0.05)).collect();
    let curves = e.liquidation_curves(&drops);
    let eth = curves.iter().find(|c| c.asset.as_str() == "ETH").unwrap();
    assert!(eth
        .points
        .windows(2)
        .all(|w| w[0].1 <= w[1].1 && w[0].2 <= w[1].2));
    assert_eq!(eth.points[0].2, 0);
    assert!(
        eth.points.last().unwrap().2 > 1000,
        "most accounts fall by −80%"
    );
}

// TC4: the active part of the crowd acts through ordinary commands, logged as anyone's.
#[test]
fn the_crowd_acts() {
    let mut s = Session::open(Script::new(crowd(PresetId::AaveV3, 2000, 2))).unwrap();
    let start = s.engine().events().len();
    play_to_end(&mut s);
    let acted = s.engine().events()[start..]
        .iter()
        .filter(|x| {
            matches!(
                &x.kind,
                EventKind::Lending { account, .. } if account.0 >= margin_lab::engine::population::FIRST
            )
        })
        .count();
    assert!(acted > 20, "{acted} actions by the crowd in a week");
}

// TC5: a sweep of the liquidation threshold on the same crowd and crash. The crowd borrowed under
// the preset's thresholds; a lower threshold weighs its collateral less (the protocol liquidates
// sooner, keeping more buffer), so more of it is liquidated, and a higher one fewer. Each run is
// resumable a few ticks at a time and gives what running it at once gives.
#[test]
fn threshold_sweep_on_the_same_crowd() {
    let base = Session::open(Script::new(crowd(PresetId::AaveV3, 1500, 8))).unwrap();
    let shifts = [dec!(-0.1), dec!(0), dec!(0.05)];
    let mut counts = Vec::new();
    for sc in compare::threshold_sweep(&base, &shifts) {
        let mut run = Run::start(&base, sc.clone()).unwrap();
        let mut steps = 0;
        while !run.work(7).unwrap() {
            steps += 1;
        }
        assert!(steps > 10, "done in small pieces");
        let outcome = run.outcome();
        assert_eq!(outcome, compare::run(&base, sc).unwrap());
        counts.push(outcome.market_liquidations);
    }
    assert!(
        counts[0] > counts[1] && counts[1] > counts[2],
        "liquidations by threshold shift: {counts:?}"
    );
}

/// The crowd the browser test replays (`tests/web_market.rs`): 5,000 borrowers under Aave v3 on
/// the crowded crash, seed 21, played to tick 100.
fn five_thousand() -> Session {
    let mut s = Session::open(Script::new(crowd(PresetId::AaveV3, 5000, 21))).unwrap();
    s.seek(100).unwrap();
    s
}

// TC6: the same crowd gives the same log natively and in the browser: the hash below was recorded
// by this test natively and is checked in headless Chromium by `tests/web_market.rs`.
#[test]
fn five_thousand_borrowers_golden_hash() {
    let s = five_thousand();
    println!("5,000 borrowers at tick 100: {}", s.log_hash());
    assert_eq!(s.log_hash(), GOLDEN_5000);
}

const GOLDEN_5000: &str = "392d7d4fbf2552c6635909b848db42a983155a48ff4081534fbc7f65dee25c2d";

// TC7: interest alone takes borrowers to liquidation, and the liquidation index re-bands each
// borrower when its own interest budget runs out (`engine::index`, "Drift"): Aave v3 with USDC at a
// flat 50% APR, 2,000 borrowers without agents, prices unchanged, a step every 6 hours for 120
// days (debt +18%). After every step nobody is left liquidatable (a band kept past its budget
// would leave someone), no step re-checks every account at once, and no step without a
// liquidation re-checks more than a tenth of them.
#[test]
fn interest_drift_is_rebanded_per_borrower_and_misses_nobody() {
    use margin_lab::engine::population::PopulationSpec;
    let mut cfg = PresetId::AaveV3.config();
    for x in &mut cfg.assets {
        if x.id.as_str() == "USDC" {
            x.rate = RateModel::Kinked {
                base: dec!(0.5),
                slope1: Decimal::ZERO,
                slope2: Decimal::ZERO,
                optimal_utilization: dec!(0.8),
            };
        }
    }
    cfg.population = Some(PopulationSpec {
        params: PopulationParams {
            active_share: Decimal::ZERO,
            ..PopulationParams::with_count(2_000)
        },
        seed: 3,
    });
    let mut e = Engine::new(cfg).unwrap();
    let n = e.account_ids().count();
    let ids: Vec<AccountId> = e.account_ids().copied().collect();
    let (mut liquidated, mut quiet_max, mut rebanding_steps) = (0usize, 0usize, 0usize);
    for k in 1..=480i64 {
        let t = e.now() + 6 * 3600;
        e.step(t, &BTreeMap::new()).unwrap();
        let s = e.last_step_stats();
        assert!(
            !s.rebuilt_index,
            "step {k} re-checked every account at once"
        );
        liquidated += s.accounts_liquidated;
        if s.accounts_liquidated == 0 {
            quiet_max = quiet_max.max(s.accounts_checked);
            rebanding_steps += usize::from(s.accounts_checked > 0);
        }
        for id in &ids {
            assert!(!e.is_liquidatable(id), "{id} left liquidatable at step {k}");
        }
    }
    assert!(liquidated >= 20, "interest liquidated only {liquidated}");
    assert!(
        rebanding_steps >= 20,
        "re-banding ran in {rebanding_steps} quiet steps"
    );
    assert!(
        quiet_max * 10 <= n,
        "a quiet step re-checked {quiet_max} of {n}"
    );
}

// TC8: playback cuts a crash tick into slices (`Session::advance_within`: the engine's
// liquidation checks pause, the page draws and answers input, the tick goes on). Played with a
// pause at every third question, the crowd crash on a thin market (several rounds per crash
// tick) ends with the same log, chart series and learner liquidation as played whole, and the
// session shows only whole ticks: while a tick is part-way the tick shown is the one before. A
// learner's action in the middle of a tick ends the tick first, as it would have ended whole.
#[test]
fn a_crash_tick_cut_into_slices_plays_as_it_would_whole() {
    let scenario = || crash_at_depth(dec!(0.05));
    let mut whole = Session::open(Script::new(scenario())).unwrap();
    play_to_end(&mut whole);
    let mut sliced = Session::open(Script::new(scenario())).unwrap();
    let (mut asked, mut mid_ticks, mut ended) = (0usize, 0usize, 0usize);
    while !sliced.at_end() {
        let before = sliced.tick();
        let adv = sliced
            .advance_within(50, false, &mut || {
                asked += 1;
                asked % 3 == 0
            })
            .unwrap();
        ended += adv.stepped;
        assert_eq!(sliced.tick(), before + adv.stepped, "whole ticks only");
        assert_eq!(sliced.mid_tick(), adv.mid_tick);
        mid_ticks += usize::from(adv.mid_tick);
    }
    assert_eq!(ended, whole.tick());
    assert!(mid_ticks >= 20, "{mid_ticks} ticks left part-way");
    assert_eq!(sliced.log_hash(), whole.log_hash());
    assert_eq!(sliced.series(), whole.series());

    // An action in the middle of a tick: the tick ends, then the action applies at it.
    let deposit = Command::Deposit {
        asset: AssetId::new("ETH"),
        amount: dec!(5),
    };
    let mut sliced = Session::open(Script::new(scenario())).unwrap();
    while !sliced
        .advance_within(1, false, &mut || true)
        .unwrap()
        .mid_tick
    {}
    let at = sliced.tick() + 1;
    sliced.act(deposit.clone()).unwrap();
    assert!(!sliced.mid_tick());
    assert_eq!(sliced.tick(), at);
    let mut whole = Session::open(Script::new(scenario())).unwrap();
    whole.seek(at).unwrap();
    whole.act(deposit).unwrap();
    assert_eq!(sliced.log_hash(), whole.log_hash());
    assert_eq!(sliced.series(), whole.series());
    // Both go on alike, and the action replays from a link at the tick it landed on.
    play_to_end(&mut sliced);
    play_to_end(&mut whole);
    assert_eq!(sliced.log_hash(), whole.log_hash());
    assert_eq!(sliced.script().actions[0].tick as usize, at);
}

// TC9: the liquidation curve is the same whenever it is read. A re-check leaves the account's
// liquidation prices aside and the curve sorts in the latest of each account when it is read
// (`engine::index::Points`), so a crash re-checking thousands of borrowers between two redraws
// does not sort each one in. The same crowd crash on a thin market, its curve read after every
// tick in one session and every 37th tick in another (many accounts re-checked several times
// in between), gives equal curves at the ticks both read; a read that kept an account's older
// points, or lost its removal, would differ.
#[test]
fn the_liquidation_curve_does_not_depend_on_when_it_is_read() {
    let scenario = || crash_at_depth(dec!(0.05));
    let drops: Vec<Decimal> = (0..=16).map(|i| Decimal::from(i) * dec!(0.05)).collect();
    let mut every = Session::open(Script::new(scenario())).unwrap();
    let mut seldom = Session::open(Script::new(scenario())).unwrap();
    let (mut compared, mut checked_between) = (0, 0usize);
    while !every.at_end() {
        every.advance(1, false).unwrap();
        seldom.advance(1, false).unwrap();
        let a = every.engine().liquidation_curves(&drops);
        checked_between += seldom.engine().last_step_stats().accounts_checked;
        if every.tick().is_multiple_of(37) || every.at_end() {
            assert_eq!(
                a,
                seldom.engine().liquidation_curves(&drops),
                "tick {}",
                every.tick()
            );
            compared += 1;
        }
    }
    assert!(compared >= 5, "{compared} ticks compared");
    assert!(checked_between > 3000, "{checked_between} re-checks");
    assert_eq!(every.log_hash(), seldom.log_hash());
}
