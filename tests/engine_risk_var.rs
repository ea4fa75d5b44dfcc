#![cfg(not(target_arch = "wasm32"))]
//! Value at risk from the engine (`engine::risk::var`), checked against theory:
//! - one asset on GBM with no debt: the Monte Carlo VaR matches the closed-form lognormal
//!   quantile within its sampling error (the tolerance is computed from the sample size);
//! - the parametric VaR and ES *are* the closed forms;
//! - on a levered account, liquidations are in the loss distribution: a path is liquidated exactly
//!   when its price crossed the liquidation price, and the liquidation costs show up.

use margin_lab::engine::risk::stats::{norm_cdf, norm_inv, norm_pdf};
use margin_lab::engine::risk::var::{parametric, summarize, PathOutcome, PathRunner};
use margin_lab::engine::*;
use margin_lab::feed::gbm::Gbm;
use margin_lab::feed::montecarlo;
use margin_lab::feed::Model;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::collections::BTreeMap;

const ME: AccountId = AccountId::USER;
const YEAR: f64 = 365.0 * 86_400.0;

/// The perps preset's engine (instant oracles) with 10 ETH in the learner's wallet, no debt.
fn holder() -> Engine {
    let mut e = Engine::new(PresetId::PerpExchange.config()).unwrap();
    e.apply(
        ME,
        Command::Fund {
            asset: AssetId::new("ETH"),
            amount: dec!(10),
        },
    )
    .unwrap();
    e
}

fn gbm(drift: f64, vol: f64) -> Model {
    Model::Gbm(Gbm {
        symbol: "ETH".into(),
        s0: dec!(3000),
        drift,
        vol,
    })
}

/// `n` paths of `steps` steps of `step_secs` through the engine.
fn run(
    e: &Engine,
    model: &Model,
    n: u64,
    steps: usize,
    step_secs: i64,
    seed: u64,
) -> Vec<PathOutcome> {
    let mut runner = PathRunner::new(e, ME).unwrap();
    let start = BTreeMap::from([("ETH".to_string(), dec!(3000))]);
    (0..n)
        .map(|k| {
            let p = montecarlo::path(model, &start, e.now(), step_secs, steps, seed, k).unwrap();
            let p: Vec<_> = p
                .into_iter()
                .map(|(t, m)| {
                    let m: BTreeMap<AssetId, Decimal> =
                        m.into_iter().map(|(s, x)| (AssetId::new(&s), x)).collect();
                    (t, m)
                })
                .collect();
            runner.run(&p).unwrap()
        })
        .collect()
}

/// Closed-form VaR of a long lognormal position worth `v`: `v (1 − exp((μ − σ²/2)h − zσ√h))`.
fn closed_var(v: f64, mu: f64, sigma: f64, h: f64, conf: f64) -> f64 {
    let z = norm_inv(conf);
    v * (1.0 - libm::exp((mu - 0.5 * sigma * sigma) * h - z * sigma * libm::sqrt(h)))
}

/// Standard error of the empirical `conf`-quantile of that loss over `n` draws:
/// `√(α(1−α)/n) / f(VaR)` with the loss density `f(VaR) = φ(z) / (σ√h (v − VaR))`.
fn quantile_se(v: f64, var: f64, sigma: f64, h: f64, conf: f64, n: f64) -> f64 {
    let z = norm_inv(conf);
    (conf * (1.0 - conf) / n).sqrt() * sigma * h.sqrt() * (v - var) / norm_pdf(z)
}

#[test]
fn monte_carlo_var_matches_the_lognormal_quantile() {
    let e = holder();
    let v = 30_000.0;
    // (drift, vol, paths, steps, step seconds, confidence, seed)
    let cases = [
        // TC0: 1 day in one step, 95%.
        (0.0, 0.8, 20_000u64, 1usize, 86_400i64, 0.95, 1u64),
        // TC1: 1 day in one step, 99%, with drift.
        (0.3, 0.8, 20_000, 1, 86_400, 0.99, 2),
        // TC2: 1 day in 24 hourly steps (what the desk runs), 99%.
        (0.0, 0.5, 3_000, 24, 3600, 0.99, 3),
        // TC3: 7 days in one step, 95%, calm vol.
        (0.05, 0.2, 20_000, 1, 7 * 86_400, 0.95, 4),
    ];
    for (k, (mu, sigma, n, steps, step_secs, conf, seed)) in cases.into_iter().enumerate() {
        let outcomes = run(&e, &gbm(mu, sigma), n, steps, step_secs, seed);
        let s = summarize(&outcomes, conf);
        let h = (steps as i64 * step_secs) as f64 / YEAR;
        let exact = closed_var(v, mu, sigma, h, conf);
        // Four standard errors (plus the prices' 10 significant digits, far smaller).
        let tol = 4.0 * quantile_se(v, exact, sigma, h, conf, n as f64) + 1e-6 * v;
        assert!(
            (s.var - exact).abs() < tol,
            "TC{k}: Monte Carlo {} vs closed form {exact} (tolerance {tol})",
            s.var
        );
        // No debt: nothing is liquidated and the engine's loss is the linear one.
        assert_eq!(s.liquidation_probability, 0.0, "TC{k}");
        assert!((s.var - s.linear_var).abs() < 1e-6 * v, "TC{k}");
        assert_eq!(s.histogram.total() as u64, n, "TC{k}");
    }
}

#[test]
fn parametric_is_the_closed_form() {
    // (exposure, drift, vol, horizon in years, confidence)
    let cases = [
        // TC0..2: long positions.
        (30_000.0, 0.0, 0.8, 1.0 / 365.0, 0.99),
        (30_000.0, 0.3, 0.8, 1.0 / 365.0, 0.95),
        (1_000_000.0, 0.07, 0.2, 30.0 / 365.0, 0.99),
        // TC3: a short position loses in the upper tail.
        (-30_000.0, 0.0, 0.8, 7.0 / 365.0, 0.99),
    ];
    for (k, (v, mu, sigma, h, conf)) in cases.into_iter().enumerate() {
        let p = parametric(&[v], &[mu], &[sigma], &[vec![1.0]], h, conf);
        let z = norm_inv(conf);
        let (m, s) = ((mu - 0.5 * sigma * sigma) * h, sigma * h.sqrt());
        let growth = libm::exp(m + 0.5 * s * s);
        let (var, es) = if v > 0.0 {
            (
                closed_var(v, mu, sigma, h, conf),
                v * (1.0 - growth * norm_cdf(-z - s) / (1.0 - conf)),
            )
        } else {
            (
                -v * (libm::exp(m + z * s) - 1.0),
                -v * (growth * norm_cdf(s - z) / (1.0 - conf) - 1.0),
            )
        };
        assert_eq!(p.method, "lognormal", "TC{k}");
        assert!(
            (p.var - var).abs() <= 1e-12 * v.abs(),
            "TC{k}: {} vs {var}",
            p.var
        );
        assert!(
            (p.es - es).abs() <= 1e-12 * v.abs(),
            "TC{k}: {} vs {es}",
            p.es
        );
        assert!(p.es > p.var, "TC{k}");
    }
    // TC4: a hedged book (long and short the same asset, net 0) uses the delta-normal form.
    let p = parametric(
        &[10_000.0, -9_500.0],
        &[0.0, 0.0],
        &[0.5, 0.6],
        &[vec![1.0, 0.9], vec![0.9, 1.0]],
        1.0 / 365.0,
        0.99,
    );
    assert_eq!(p.method, "delta-normal");
    let q =
        10_000f64.powi(2) * 0.25 + 9_500f64.powi(2) * 0.36 - 2.0 * 0.9 * 10_000.0 * 9_500.0 * 0.3;
    let mean: f64 = -(10_000.0 * -0.125 - 9_500.0 * -0.18) / 365.0;
    let expected = mean + norm_inv(0.99) * (q / 365.0).sqrt();
    assert!((p.var - expected).abs() < 1e-9, "{} vs {expected}", p.var);
}

/// Learner on the perps preset's engine, long 10 ETH at 5× (isolated): liquidated when the mark
/// falls to its liquidation price. With instant oracles and no funding (so the liquidation price
/// stays put), a path is liquidated exactly when its price went below that price at a step.
#[test]
fn liquidations_are_in_the_loss_distribution() {
    let mut cfg = PresetId::PerpExchange.config();
    for a in &mut cfg.assets {
        if let Some(p) = a.perp.as_mut() {
            p.funding_cap = Decimal::ZERO;
        }
    }
    let mut e = Engine::new(cfg).unwrap();
    e.apply(
        ME,
        Command::OpenPosition {
            market: AssetId::new("ETH"),
            side: Side::Long,
            size: dec!(10),
            leverage: dec!(5),
            mode: MarginMode::Isolated,
        },
    )
    .unwrap();
    let liq = e.account_metrics(&ME).unwrap().positions[0]
        .liquidation_price
        .unwrap();
    let model = gbm(0.0, 3.0);
    let n = 2_000;
    let start = BTreeMap::from([("ETH".to_string(), dec!(3000))]);
    let outcomes = run(&e, &model, n, 24, 3600, 11);
    let (mut crossed, mut paid) = (0, 0);
    for (k, o) in outcomes.iter().enumerate() {
        let p = montecarlo::path(&model, &start, e.now(), 3600, 24, 11, k as u64).unwrap();
        let low = p.iter().map(|(_, m)| m["ETH"]).min().unwrap();
        // TC0: liquidated exactly when the path crossed the liquidation price.
        assert_eq!(
            o.liquidated(),
            low < liq,
            "path {k}: low {low}, liquidation {liq}"
        );
        crossed += usize::from(low < liq);
        // TC1: a liquidation costs the fee (1.25% of notional to the insurance fund) out of what
        // margin is left; a path that gapped past the bankruptcy price has none left to pay it.
        if o.liquidated() && o.penalties > Decimal::ZERO {
            paid += 1;
        }
    }
    // Hourly steps at 300% volatility often gap through the 1% between the liquidation and the
    // bankruptcy price; some paths still leave margin for the fee.
    assert!(
        paid > 0 && paid < crossed,
        "{paid} of {crossed} paid the fee"
    );
    let s = summarize(&outcomes, 0.99);
    // TC2: the probability is the share of crossing paths, with its standard error.
    assert!(crossed > 10 && crossed < n as usize / 2, "{crossed}");
    assert_eq!(s.liquidation_probability, crossed as f64 / n as f64);
    let p = s.liquidation_probability;
    assert!((s.liquidation_probability_se - (p * (1.0 - p) / n as f64).sqrt()).abs() < 1e-15);
    // TC3: the liquidation fee is paid on top of the market move: on average over liquidated
    // paths the engine loses more than the linear P&L of a position that was closed at the low.
    assert!(s.expected_penalties > 0.0);
    assert!(s.loss_given_liquidation.unwrap() > 0.0);
    // TC4: a liquidated 5× long loses its margin (6,000) at most, plus nothing: the engine caps
    // the loss where a linear P&L does not.
    let worst_linear = outcomes
        .iter()
        .map(|o| o.linear_loss.to_f64().unwrap())
        .fold(f64::MIN, f64::max);
    let worst = outcomes
        .iter()
        .map(|o| o.loss.to_f64().unwrap())
        .fold(f64::MIN, f64::max);
    assert!(worst <= 6_000.0 + 1.0, "{worst}");
    assert!(worst_linear > worst, "{worst_linear} vs {worst}");
}

#[test]
fn same_state_and_seed_same_figures() {
    // TC0: the same paths through the same engine give identical outcomes; another seed does not.
    let e = holder();
    let a = run(&e, &gbm(0.0, 0.8), 200, 24, 3600, 7);
    let b = run(&e, &gbm(0.0, 0.8), 200, 24, 3600, 7);
    let c = run(&e, &gbm(0.0, 0.8), 200, 24, 3600, 8);
    assert_eq!(a, b);
    assert_ne!(a, c);
    // TC1: the runner restores its starting state before every path: running a path twice in a
    // row gives the same outcome.
    let mut runner = PathRunner::new(&e, ME).unwrap();
    let p = vec![(
        e.now() + 60,
        BTreeMap::from([(AssetId::new("ETH"), dec!(2000))]),
    )];
    assert_eq!(runner.run(&p).unwrap(), runner.run(&p).unwrap());
    assert_eq!(runner.run(&p).unwrap().loss, dec!(10000));
}
