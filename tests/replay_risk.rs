#![cfg(not(target_arch = "wasm32"))]
//! The risk desk of a session (`replay::risk`): where the paths come from, chunked runs giving
//! the same figures, no look-ahead in history, the scenario's own simulator checked against its
//! closed form, a scripted rating downgrade, compare mode with the broker, and the report.

use margin_lab::engine::risk::report::RiskReport;
use margin_lab::engine::risk::stats::norm_inv;
use margin_lab::engine::*;
use margin_lab::feed::PriceFeed;
use margin_lab::replay::compare::compare_presets;
use margin_lab::replay::risk::{self, VarJob, VarRequest};
use margin_lab::replay::script::ScenarioOption;
use margin_lab::replay::{Scenario, Script, Session, Shared, Verification};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

#[path = "support/basket_account.rs"]
mod basket_account;
use basket_account::basket_account;

const ME: AccountId = AccountId::USER;

fn session(feed: &str, preset: PresetId, seed: u64) -> Session {
    Session::open(Script::new(Scenario {
        seed,
        ..Scenario::new(feed, preset)
    }))
    .unwrap()
}

fn act(s: &mut Session, c: Command) {
    s.act(c.clone()).unwrap_or_else(|e| panic!("{c:?}: {e}"));
}

#[test]
fn a_chunked_run_gives_the_same_figures() {
    // TC0: a 4-asset Aave-like account on the correlated basket at tick 48.
    let s = basket_account(48);
    let req = VarRequest::default();
    let whole = risk::var_report(&s, req).unwrap();
    let mut job = VarJob::new(&s, req).unwrap();
    let mut chunks = 0;
    while !job.step(37).unwrap() {
        chunks += 1;
    }
    assert!(chunks > 20);
    assert_eq!(job.report(), whole);
    // TC1: the methods are all there, Monte Carlo from the scenario's own simulator.
    let mc = whole.monte_carlo.as_ref().unwrap();
    assert_eq!(mc.paths, 1000);
    assert!(whole.monte_carlo_note.contains("scenario's own simulator"));
    assert!(whole.historical.is_some() && whole.parametric.is_some());
    assert!(mc.es >= mc.var && mc.var > 0.0);
    // TC2: a different seed, different paths; the engine's state is untouched.
    let other = risk::var_report(&s, VarRequest { seed: 2, ..req }).unwrap();
    assert_ne!(other.monte_carlo, whole.monte_carlo);
    assert_eq!(risk::var_report(&s, req).unwrap(), whole);
}

#[test]
fn the_scenarios_simulator_matches_its_closed_form() {
    // calm-gbm: ETH on GBM, 50% a year, no drift. The Aave-like learner holds 10 ETH and 5
    // wstETH (which tracks ETH: 3,500 each) and nothing it owes: 47,500 of ETH exposure.
    let s = session("calm-gbm", PresetId::AaveV3, 1);
    let req = VarRequest {
        paths: 2000,
        ..VarRequest::default()
    };
    let r = risk::var_report(&s, req).unwrap();
    let exposure: Decimal = r.exposures.iter().map(|(_, e)| *e).sum::<Decimal>()
        - r.exposures
            .iter()
            .find(|(a, _)| a.as_str() == "USDC")
            .map(|(_, e)| *e)
            .unwrap_or_default()
        - r.exposures
            .iter()
            .find(|(a, _)| a.as_str() == "WBTC")
            .map(|(_, e)| *e)
            .unwrap_or_default();
    assert_eq!(exposure, dec!(47500));
    let (v, sigma, h) = (47_500.0, 0.5, 1.0 / 365.0);
    let z = norm_inv(0.99);
    let exact = v * (1.0 - libm::exp(-0.5 * sigma * sigma * h - z * sigma * h.sqrt()));
    let se = (0.99f64 * 0.01 / 2000.0).sqrt() * sigma * h.sqrt() * (v - exact)
        / margin_lab::engine::risk::stats::norm_pdf(z);
    let mc = r.monte_carlo.unwrap();
    // TC0: Monte Carlo through the whole desk, within four standard errors.
    assert!(
        (mc.var - exact).abs() < 4.0 * se,
        "{} vs {exact} ± {}",
        mc.var,
        4.0 * se
    );
    // TC1: at tick 0 there is no history: the parametric figures come from the model's own
    // 2,000-tick pilot (σ estimated within a few percent), and historical is unavailable.
    assert!(
        r.parametric_note.contains("scenario's own model"),
        "{}",
        r.parametric_note
    );
    let p = r.parametric.unwrap();
    assert!((p.var / exact - 1.0).abs() < 0.07, "{} vs {exact}", p.var);
    assert!(r.historical.is_none());
    assert!(r.historical_note.starts_with("Historical unavailable"));
}

#[test]
fn recorded_history_is_used_up_to_today_only() {
    // sp500-2020 starts on 2 January 2020; its history is the whole record from 2000 up to the
    // session's day, never after.
    let mut s = session("sp500-2020", PresetId::Broker, 0);
    s.advance(40, false).unwrap();
    let (hist, upto, what) = risk::history(&s);
    assert!(what.contains("2000-01-03"), "{what}");
    assert_eq!(hist.time(upto), Some(s.time()));
    assert!(hist.time(upto + 1).unwrap() > s.time());
    act(
        &mut s,
        Command::Deposit {
            asset: AssetId::new("SPX"),
            amount: dec!(4),
        },
    );
    let r = risk::var_report(&s, VarRequest::default()).unwrap();
    let h = r.historical.unwrap();
    // TC0: 1-day windows over 20 years (about 5,000), every 6th kept: at most 1,000 spread over
    // the record.
    assert!(h.paths > 800 && h.paths <= 1000, "{}", h.paths);
    assert!(r.historical_note.contains("every"), "{}", r.historical_note);
    // TC1: a recorded scenario has no simulator: Monte Carlo uses estimated parameters.
    assert!(
        r.monte_carlo_note.contains("correlated GBM"),
        "{}",
        r.monte_carlo_note
    );
    assert!(r.parametric_note.contains("returns of the recorded record"));
}

#[test]
fn a_scripted_rating_downgrade_replays_from_the_link() {
    // TC0: the broker's client (enrolled from the start) is downgraded 2 notches at tick 5.
    let scenario = Scenario {
        options: vec![ScenarioOption::RatingDowngrade {
            tick: 5,
            notches: 2,
        }],
        ..Scenario::new("sp500-2020", PresetId::Broker)
    };
    let mut s = Session::open(Script::new(scenario.clone())).unwrap();
    let score = |s: &Session| {
        s.engine()
            .account(&ME)
            .unwrap()
            .credit
            .as_ref()
            .unwrap()
            .score
    };
    s.advance(4, false).unwrap();
    let before = score(&s);
    s.advance(1, false).unwrap();
    assert_eq!(score(&s), before - dec!(30));
    assert!(s
        .engine()
        .events()
        .iter()
        .any(|e| matches!(e.kind, EventKind::RatingDowngraded { notches: 2, .. })));
    // TC1: scrubbing back and forth replays it exactly once.
    s.seek(2).unwrap();
    s.seek(10).unwrap();
    let n = s
        .engine()
        .events()
        .iter()
        .filter(|e| matches!(e.kind, EventKind::RatingDowngraded { .. }))
        .count();
    assert_eq!(n, 1);
    // TC2: the link carries it: the replay is verified.
    let link = s.share().to_link();
    let (opened, v) = Session::open_shared(Shared::from_link(&link).unwrap()).unwrap();
    assert_eq!(v, Verification::Verified);
    assert_eq!(opened.log_hash(), s.log_hash());
    // TC3: the 2026-11 rules have no credit tiers: such a link is refused.
    let old = Script::new(Scenario {
        rules: RulesVersion::V2026_11,
        preset: PresetId::AaveV3,
        ..scenario
    });
    assert!(old
        .check()
        .unwrap_err()
        .to_string()
        .contains("rating downgrade"));
    // TC4: a hostile option or margin-call term is refused before anything is built.
    let bad = Script::new(Scenario {
        options: vec![ScenarioOption::RatingDowngrade {
            tick: 3,
            notches: 9,
        }],
        ..Scenario::new("sp500-2020", PresetId::Broker)
    });
    assert!(bad.check().is_err());
    let bad = Script::new(Scenario {
        liquidation: Some(LiquidationKind::MarginCall(MarginCallParams {
            cure_secs: 10 * 365 * 86_400,
            hard_floor: dec!(0.1),
            sale_fee: dec!(0.005),
        })),
        ..Scenario::new("sp500-2020", PresetId::Broker)
    });
    assert!(bad.check().unwrap_err().to_string().contains("cure period"));
}

#[test]
fn compare_mode_puts_the_broker_next_to_a_defi_preset() {
    // The Black Thursday-like crash; the broker's client posts its 150 ETH and borrows half its
    // value (the most Reg T lends). Under Aave-like rules the same borrow (in USDC) is liquidated
    // at once when the crash reaches it; the broker calls for margin with two days to cure.
    let mut s = session("eth-black-thursday", PresetId::Broker, 42);
    act(
        &mut s,
        Command::Deposit {
            asset: AssetId::new("ETH"),
            amount: dec!(150),
        },
    );
    act(
        &mut s,
        Command::Borrow {
            asset: AssetId::new("USD"),
            amount: dec!(15000),
        },
    );
    let (broker, aave) = compare_presets(&s, PresetId::AaveV3).unwrap();
    assert!(
        broker.skipped.is_empty() && aave.skipped.is_empty(),
        "{:?} {:?}",
        broker.skipped,
        aave.skipped
    );
    // TC0: the broker called first.
    assert!(broker.margin_calls >= 1, "{broker:?}");
    assert_eq!(aave.margin_calls, 0);
    // TC1: the DeFi preset liquidated instantly (no call), with its bonus paid.
    assert!(aave.liquidations >= 1);
    assert!(aave.penalties_paid > Decimal::ZERO);
}

#[test]
fn the_report_gathers_everything_and_reads_back() {
    let mut s = session("eth-black-thursday", PresetId::Broker, 42);
    act(
        &mut s,
        Command::Deposit {
            asset: AssetId::new("ETH"),
            amount: dec!(150),
        },
    );
    act(
        &mut s,
        Command::Borrow {
            asset: AssetId::new("USD"),
            amount: dec!(12000),
        },
    );
    s.advance(3, false).unwrap();
    let var = risk::var_report(&s, VarRequest::default()).unwrap();
    let stress = risk::stress_library(&s, Default::default()).unwrap();
    let rev = risk::reverse_stress(&s).unwrap();
    let r = risk::report(&s, Some(&var), &stress, Some(&rev)).unwrap();
    // TC0: valuation with the broker's haircut, limits, credit history, audit trail.
    assert_eq!(r.valuation.len(), 1);
    assert_eq!(r.valuation[0].asset.as_str(), "ETH");
    assert_eq!(r.limits.debt.round_dp(0), dec!(12000));
    assert!(!r.credit.as_ref().unwrap().history.is_empty());
    assert!(r
        .audit_trail
        .iter()
        .any(|l| l.description.contains("borrowed")));
    assert_eq!(r.stress_tests.len(), 7);
    assert_eq!(r.log_hash, s.log_hash());
    assert_eq!(r.meta.tick, 3);
    // TC1: the JSON reads back to the same report.
    let back: RiskReport = serde_json::from_str(&r.to_json()).unwrap();
    assert_eq!(back.limits, r.limits);
    assert_eq!(back.audit_trail, r.audit_trail);
    assert_eq!(back.stress_tests.len(), 7);
}

#[test]
fn bad_requests_are_refused_in_words() {
    let s = session("calm-gbm", PresetId::AaveV3, 1);
    // (request, words in the refusal)
    for (k, (req, words)) in [
        (
            VarRequest {
                horizon_secs: 60,
                ..VarRequest::default()
            },
            "horizon",
        ),
        (
            VarRequest {
                horizon_secs: 31 * 86_400,
                ..VarRequest::default()
            },
            "horizon",
        ),
        (
            VarRequest {
                confidence: 1.0,
                ..VarRequest::default()
            },
            "confidence",
        ),
        (
            VarRequest {
                paths: 999,
                ..VarRequest::default()
            },
            "paths",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let err = VarJob::new(&s, req).err().unwrap();
        assert!(err.contains(words), "TC{k}: {err}");
    }
    let _ = s.feed().len();
}

/// Golden figures of the session `tests/web_risk.rs` replays in headless Chromium (a 4-asset
/// Aave-like account on the correlated basket at tick 48, the default request): produced by this
/// native build; the browser must give the same, bit for bit (SHA-256 of their JSON, where f64s
/// are written in their shortest round-trip form).
const GOLDEN_MC_VAR: f64 = 8409.096130212;
const GOLDEN_VAR: &str = "c686317ad39134b38f8058454a8c68bd6c04f3a2d97dae29bb5ba7f7c59828d6";
const GOLDEN_STRESS: &str = "5a12a427bae609c790e792f6784495baadbcf9f929483516c6f8a3bc7b565e3f";
const GOLDEN_REVERSE: &str = "4cdd514124e39158d00e89107ef49476d8ec1d88efd469a4c8587318642d8a36";

#[test]
fn golden_figures_for_the_browser() {
    let s = basket_account(48);
    let digest = |text: String| margin_lab::feed::hash::hex_sha256(text.as_bytes());
    let var = risk::var_report(&s, VarRequest::default()).unwrap();
    let stress = risk::stress_library(&s, Default::default()).unwrap();
    let rev = risk::reverse_stress(&s).unwrap();
    assert_eq!(var.monte_carlo.as_ref().unwrap().var, GOLDEN_MC_VAR);
    assert_eq!(digest(serde_json::to_string(&var).unwrap()), GOLDEN_VAR);
    assert_eq!(
        digest(serde_json::to_string(&stress).unwrap()),
        GOLDEN_STRESS
    );
    assert_eq!(digest(serde_json::to_string(&rev).unwrap()), GOLDEN_REVERSE);
}
