//! Monte Carlo price paths for the risk desk: the scenario's own simulator (or a correlated GBM
//! with estimated parameters) continued **from the current prices**, one seeded path at a time.
//!
//! Path `k` of a run seeded `seed` uses its own ChaCha8 stream (seed mixed with `k` by
//! SplitMix64), so a run can be cut into chunks (across browser frames) and still give the same
//! paths, natively and in wasm (`libm` only). Each model continues the way it generates a feed:
//! GBM and jump-diffusion from the current log price; a mean-reverting asset reverts to its
//! model mean (a depegged stablecoin towards its peg); the regime-switching model starts in a
//! regime drawn from its long-run shares (the current regime is not observable). The scenario's
//! scripted shocks are its future, not its model, and are left out.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::error::FeedError;
use super::mean_revert::ou_coefficients;
use super::price::{decimal_to_f64, price_to_decimal};
use super::sim::{dt_years, gbm_log_step, SimRng};
use super::spec::Model;

/// Highest price handed to the engine (its own limit).
const ENGINE_MAX_PRICE: Decimal = rust_decimal_macros::dec!(1_000_000_000);

/// One path: `(time, price by symbol)` for each step after the start.
pub type SymbolPath = Vec<(i64, BTreeMap<String, Decimal>)>;

/// SplitMix64: a well-mixed per-path seed.
pub fn path_seed(seed: u64, index: u64) -> u64 {
    let mut z = seed
        .wrapping_add(index.wrapping_mul(0x9E37_79B9_7F4A_7C15))
        .wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The symbols a model prices, in order.
pub fn symbols(model: &Model) -> Vec<String> {
    match model {
        Model::Gbm(m) => vec![m.symbol.clone()],
        Model::JumpDiffusion(m) => vec![m.symbol.clone()],
        Model::MeanRevert(m) => vec![m.symbol.clone()],
        Model::RegimeSwitching(m) => vec![m.symbol.clone()],
        Model::Correlated(c) => c.assets.iter().map(|a| a.symbol.clone()).collect(),
    }
}

fn validate(model: &Model) -> Result<Option<Vec<f64>>, FeedError> {
    Ok(match model {
        Model::Gbm(m) => {
            m.validate()?;
            None
        }
        Model::JumpDiffusion(m) => {
            m.validate()?;
            None
        }
        Model::MeanRevert(m) => {
            m.validate()?;
            None
        }
        Model::RegimeSwitching(m) => {
            m.validate()?;
            None
        }
        Model::Correlated(c) => Some(c.validate()?),
    })
}

/// Path `index` of `model` from `start` prices (by symbol; a symbol missing keeps the model's
/// own start), `steps` steps of `step_secs` after `start_time`.
pub fn path(
    model: &Model,
    start: &BTreeMap<String, Decimal>,
    start_time: i64,
    step_secs: i64,
    steps: usize,
    seed: u64,
    index: u64,
) -> Result<SymbolPath, FeedError> {
    let chol = validate(model)?;
    let syms = symbols(model);
    let dt = dt_years(step_secs.max(1));
    let mut rng = SimRng::new(path_seed(seed, index));
    let ln = |d: Decimal| libm::log(decimal_to_f64(d).max(1e-12));
    let s0 = |sym: &str, own: Decimal| start.get(sym).copied().unwrap_or(own);
    let mut y: Vec<f64> = match model {
        Model::Gbm(m) => vec![ln(s0(&m.symbol, m.s0))],
        Model::JumpDiffusion(m) => vec![ln(s0(&m.symbol, m.s0))],
        Model::MeanRevert(m) => vec![ln(s0(&m.symbol, m.s0))],
        Model::RegimeSwitching(m) => vec![ln(s0(&m.symbol, m.s0))],
        Model::Correlated(c) => c.assets.iter().map(|a| ln(s0(&a.symbol, a.s0))).collect(),
    };
    let mut turbulent = match model {
        Model::RegimeSwitching(m) => {
            rng.uniform() < m.turbulent_days / (m.calm_days + m.turbulent_days)
        }
        _ => false,
    };
    let mut eps = vec![0.0; y.len()];
    let mut out = Vec::with_capacity(steps);
    for k in 1..=steps {
        match model {
            Model::Gbm(m) => y[0] += gbm_log_step(m.drift, m.vol, dt, rng.normal()),
            Model::JumpDiffusion(m) => {
                y[0] += gbm_log_step(m.drift - m.compensator(), m.vol, dt, rng.normal());
                let n = super::jump::poisson(&mut rng, m.jumps_per_year * dt);
                if n > 0 {
                    let nf = n as f64;
                    y[0] += nf * m.jump_mean + libm::sqrt(nf) * m.jump_vol * rng.normal();
                }
            }
            Model::MeanRevert(m) => {
                let ln_m = ln(m.mean);
                let (decay, sd) = ou_coefficients(m.reversion, m.vol, dt);
                y[0] = ln_m + (y[0] - ln_m) * decay + sd * rng.normal();
            }
            Model::RegimeSwitching(m) => {
                let dt_days = dt * 365.0;
                let p = if turbulent {
                    1.0 - libm::exp(-dt_days / m.turbulent_days)
                } else {
                    1.0 - libm::exp(-dt_days / m.calm_days)
                };
                if rng.uniform() < p {
                    turbulent = !turbulent;
                }
                let r = if turbulent { m.turbulent } else { m.calm };
                y[0] += gbm_log_step(r.drift, r.vol, dt, rng.normal());
            }
            Model::Correlated(c) => {
                let l = chol.as_deref().unwrap_or(&[]);
                let n = c.assets.len();
                for e in eps.iter_mut() {
                    *e = rng.normal();
                }
                for i in 0..n {
                    let z: f64 = l[i * n..i * n + i + 1]
                        .iter()
                        .zip(&eps)
                        .map(|(a, b)| a * b)
                        .sum();
                    let a = &c.assets[i];
                    if a.reversion > 0.0 {
                        let anchor = ln(a.s0);
                        let (decay, sd) = ou_coefficients(a.reversion, a.vol, dt);
                        y[i] = anchor + (y[i] - anchor) * decay + sd * z;
                    } else {
                        y[i] += gbm_log_step(a.drift, a.vol, dt, 0.0) + a.vol * libm::sqrt(dt) * z;
                    }
                }
            }
        }
        let prices = syms
            .iter()
            .zip(&y)
            .map(|(s, v)| {
                (
                    s.clone(),
                    price_to_decimal(libm::exp(*v)).min(ENGINE_MAX_PRICE),
                )
            })
            .collect();
        out.push((start_time + k as i64 * step_secs, prices));
    }
    Ok(out)
}
