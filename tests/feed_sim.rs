#![cfg(not(target_arch = "wasm32"))]
//! Simulated feeds: distribution sanity, determinism, golden hashes, parameter validation.

use margin_lab::feed::correlated::Correlated;
use margin_lab::feed::gbm::Gbm;
use margin_lab::feed::jump::JumpDiffusion;
use margin_lab::feed::mean_revert::MeanRevert;
use margin_lab::feed::price::decimal_to_f64;
use margin_lab::feed::regime::{RegimeParams, RegimeSwitching};
use margin_lab::feed::sim::dt_years;
use margin_lab::feed::{feed_hash, FeedError, FeedSpec, Model, PriceFeed, SimSpec, Source};
use rust_decimal_macros::dec;

fn sim(model: Model, seed: u64, interval_secs: i64, ticks: u64) -> FeedSpec {
    FeedSpec {
        source: Source::Simulated(SimSpec {
            model,
            seed,
            start_time: 1_600_000_000,
            interval_secs,
            ticks,
        }),
        shocks: vec![],
    }
}

fn gbm(drift: f64, vol: f64) -> Model {
    Model::Gbm(Gbm {
        symbol: "ETH".into(),
        s0: dec!(2000),
        drift,
        vol,
    })
}

/// Log returns of asset column `a`.
fn log_returns(f: &dyn PriceFeed, a: usize) -> Vec<f64> {
    (1..f.len())
        .map(|i| {
            let p0 = decimal_to_f64(f.price(i - 1, a).unwrap());
            let p1 = decimal_to_f64(f.price(i, a).unwrap());
            (p1 / p0).ln()
        })
        .collect()
}

fn mean_var(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let m = x.iter().sum::<f64>() / n;
    let v = x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (n - 1.0);
    (m, v)
}

/// The catalogue's 8-asset basket (the one the app plays).
fn basket() -> Correlated {
    margin_lab::feed::catalogue::crypto_basket()
}

#[test]
fn gbm_log_returns_have_the_textbook_mean_and_variance() {
    // 200 paths × 500 hourly steps: mean (μ − σ²/2)dt, variance σ²dt.
    let (mu, sigma, iv) = (0.3, 0.9, 3600);
    let dt = dt_years(iv);
    let mut all = Vec::new();
    for seed in 0..200 {
        let f = sim(gbm(mu, sigma), seed, iv, 501).build().unwrap();
        all.extend(log_returns(f.as_ref(), 0));
    }
    let (m, v) = mean_var(&all);
    let (em, ev) = ((mu - 0.5 * sigma * sigma) * dt, sigma * sigma * dt);
    let se_mean = (ev / all.len() as f64).sqrt();
    assert!((m - em).abs() < 4.0 * se_mean, "mean {m} vs {em}");
    assert!((v / ev - 1.0).abs() < 0.02, "variance {v} vs {ev}");
}

#[test]
fn jump_diffusion_matches_its_compensated_mean_and_variance() {
    let m = JumpDiffusion {
        symbol: "ETH".into(),
        s0: dec!(200),
        drift: 0.0,
        vol: 0.6,
        jumps_per_year: 12.0,
        jump_mean: -0.2,
        jump_vol: 0.1,
    };
    let iv = 86_400;
    let dt = dt_years(iv);
    let mut all = Vec::new();
    for seed in 0..100 {
        let f = sim(Model::JumpDiffusion(m.clone()), seed, iv, 1001)
            .build()
            .unwrap();
        all.extend(log_returns(f.as_ref(), 0));
    }
    let (mean, var) = mean_var(&all);
    let lam = m.jumps_per_year * dt;
    let em = (m.drift - 0.5 * m.vol * m.vol - m.compensator()) * dt + lam * m.jump_mean;
    let ev = m.vol * m.vol * dt + lam * (m.jump_vol * m.jump_vol + m.jump_mean * m.jump_mean);
    let se = (ev / all.len() as f64).sqrt();
    assert!((mean - em).abs() < 4.0 * se, "mean {mean} vs {em}");
    assert!((var / ev - 1.0).abs() < 0.05, "variance {var} vs {ev}");
    // the jumps are there: fat left tail
    let crashes = all.iter().filter(|r| **r < -0.12).count();
    assert!(crashes > 500, "{crashes} crash days");
}

#[test]
fn mean_reversion_stays_near_the_peg_with_the_stationary_spread() {
    let m = MeanRevert {
        symbol: "USDC".into(),
        s0: dec!(1),
        mean: dec!(1),
        reversion: 365.0,
        vol: 0.2,
    };
    let f = sim(Model::MeanRevert(m.clone()), 7, 3600, 200_000)
        .build()
        .unwrap();
    let logs: Vec<f64> = (0..f.len())
        .map(|i| decimal_to_f64(f.price(i, 0).unwrap()).ln())
        .collect();
    let (mean, var) = mean_var(&logs);
    let ev = m.vol * m.vol / (2.0 * m.reversion);
    assert!(mean.abs() < 0.001, "mean log {mean}");
    assert!((var / ev - 1.0).abs() < 0.1, "stationary var {var} vs {ev}");
}

#[test]
fn regime_switching_is_turbulent_about_the_expected_share_of_time() {
    let m = RegimeSwitching {
        symbol: "ETH".into(),
        s0: dec!(3000),
        calm: RegimeParams {
            drift: 0.0,
            vol: 0.3,
        },
        turbulent: RegimeParams {
            drift: -0.5,
            vol: 1.5,
        },
        calm_days: 30.0,
        turbulent_days: 10.0,
    };
    let mut rng = margin_lab::feed::sim::SimRng::new(3);
    let (prices, regimes) = m
        .generate_with_regimes(&mut rng, dt_years(3600), 24 * 365 * 20)
        .unwrap();
    assert!(prices.iter().all(|p| *p > dec!(0)));
    let share = regimes.iter().filter(|t| **t).count() as f64 / regimes.len() as f64;
    assert!((share - 0.25).abs() < 0.05, "turbulent share {share}");
}

#[test]
fn correlated_paths_have_the_requested_correlations_and_vols() {
    let c = basket();
    let f = sim(Model::Correlated(c.clone()), 11, 3600, 50_001)
        .build()
        .unwrap();
    let r: Vec<Vec<f64>> = (0..8).map(|a| log_returns(f.as_ref(), a)).collect();
    let corr = |x: &[f64], y: &[f64]| {
        let (mx, vx) = mean_var(x);
        let (my, vy) = mean_var(y);
        let cov = x
            .iter()
            .zip(y)
            .map(|(a, b)| (a - mx) * (b - my))
            .sum::<f64>()
            / (x.len() as f64 - 1.0);
        cov / (vx * vy).sqrt()
    };
    for (i, j) in [(0, 1), (1, 2), (0, 3), (0, 7), (0, 6)] {
        let got = corr(&r[i], &r[j]);
        assert!(
            (got - c.correlation[i][j]).abs() < 0.03,
            "corr({i},{j}) = {got}"
        );
    }
    let dt = dt_years(3600);
    for a in [0usize, 1, 3, 7] {
        let (_, v) = mean_var(&r[a]);
        let ev = c.assets[a].vol * c.assets[a].vol * dt;
        assert!(
            (v / ev - 1.0).abs() < 0.03,
            "asset {a} variance {v} vs {ev}"
        );
    }
    // stablecoins stay pegged
    for i in 0..f.len() {
        let p = decimal_to_f64(f.price(i, 4).unwrap());
        assert!((p - 1.0).abs() < 0.02, "USDC at {p}");
    }
}

#[test]
fn same_seed_same_path_and_different_seed_different_path() {
    let a = sim(gbm(0.1, 0.8), 5, 60, 1000).build_path().unwrap();
    let b = sim(gbm(0.1, 0.8), 5, 60, 1000).build_path().unwrap();
    let c = sim(gbm(0.1, 0.8), 6, 60, 1000).build_path().unwrap();
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert_eq!(a.price(0, 0), Some(dec!(2000.000000)));
}

#[test]
fn golden_hashes() {
    // The same values are checked in the browser by tests/web_feed.rs.
    let g = sim(gbm(0.05, 0.8), 42, 3600, 1000).build().unwrap();
    let c = sim(Model::Correlated(basket()), 42, 60, 2000)
        .build()
        .unwrap();
    let gh = feed_hash(g.as_ref());
    let ch = feed_hash(c.as_ref());
    assert_eq!(basket(), margin_lab::feed::catalogue::crypto_basket());
    // every catalogue feed (all models, shocks, the bundled CSVs), hashed in order
    let all: String = margin_lab::feed::catalogue()
        .iter()
        .map(|e| feed_hash(e.spec.build().unwrap().as_ref()))
        .collect();
    let cat = margin_lab::feed::hash::hex_sha256(all.as_bytes());
    println!("gbm {gh}\ncorrelated {ch}\ncatalogue {cat}");
    assert_eq!(gh, GOLDEN_GBM);
    assert_eq!(ch, GOLDEN_CORRELATED);
    assert_eq!(cat, GOLDEN_CATALOGUE);
}

// Every catalogue feed, hashed in order: recorded natively when the crowded Black Thursday entry
// was added (its feed is the Black Thursday one; the other feeds' hashes are unchanged).
const GOLDEN_CATALOGUE: &str = "a0078cf52134beff5b00c450fcc77d46725e38315fc9c092fe643d3640442eda";

const GOLDEN_GBM: &str = "6570d231124cabf6d32c07e764077fa644edb684cb733bac477affe899e370eb";
const GOLDEN_CORRELATED: &str = "4a4624e801a59b295b9b01fd24bb9e12a7910142b8d2f8ef3e048319571998c2";

#[test]
fn bad_parameters_are_rejected_with_a_clear_error() {
    let cases: Vec<(Model, &str)> = vec![
        (gbm(0.0, -0.1), "vol"),
        (gbm(0.0, f64::NAN), "vol"),
        (gbm(99.0, 0.1), "drift"),
        (
            Model::Gbm(Gbm {
                symbol: "ETH".into(),
                s0: dec!(0),
                drift: 0.0,
                vol: 0.1,
            }),
            "s0",
        ),
        (
            Model::Gbm(Gbm {
                symbol: "".into(),
                s0: dec!(1),
                drift: 0.0,
                vol: 0.1,
            }),
            "symbol",
        ),
    ];
    for (m, param) in cases {
        match sim(m, 1, 60, 10).build() {
            Err(FeedError::BadParam { param: p, .. }) => assert_eq!(p, param),
            other => panic!(
                "expected BadParam {param}, got {:?}",
                other.map(|f| f.len())
            ),
        }
    }
    assert!(matches!(
        sim(gbm(0.0, 0.1), 1, 0, 10).build(),
        Err(FeedError::BadParam { .. })
    ));
    assert!(matches!(
        sim(gbm(0.0, 0.1), 1, 60, 0).build(),
        Err(FeedError::BadParam { .. })
    ));
    assert!(matches!(
        sim(gbm(0.0, 0.1), 1, 60, 20_000_000).build(),
        Err(FeedError::TooLarge { .. })
    ));
    let mut c = basket();
    c.correlation[0][1] = 0.1; // asymmetric
    assert!(matches!(
        sim(Model::Correlated(c), 1, 60, 10).build(),
        Err(FeedError::Correlation(_))
    ));
    let mut c = basket();
    for (i, j) in [(0, 1), (1, 0), (0, 2), (2, 0)] {
        c.correlation[i][j] = if i + j == 1 { 0.99 } else { -0.99 };
    }
    c.correlation[1][2] = 0.99;
    c.correlation[2][1] = 0.99;
    assert!(matches!(
        sim(Model::Correlated(c), 1, 60, 10).build(),
        Err(FeedError::Correlation(_))
    ));
}

#[test]
fn extreme_but_valid_parameters_keep_prices_positive_and_bounded() {
    let f = sim(gbm(-10.0, 10.0), 9, 604_800, 5000).build().unwrap();
    for i in 0..f.len() {
        let p = f.price(i, 0).unwrap();
        assert!(
            p > dec!(0) && p <= margin_lab::engine::num::MAX_PRICE,
            "{p}"
        );
    }
}
