//! Correlated multi-asset paths: one normal shock vector per step, correlated by the Cholesky
//! factor `L` of the correlation matrix (`z = L·ε`).
//!
//! Each asset is GBM (`reversion == 0`) or log-OU around its starting price (`reversion > 0`,
//! for stablecoins and T-bills), driven by its correlated shock.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::error::FeedError;
use super::mean_revert::ou_coefficients;
use super::price::price_to_decimal;
use super::sim::{
    check_drift, check_price, check_rate, check_symbol, check_vol, gbm_log_step, SimRng,
};

/// Most assets in one correlated feed.
pub const MAX_ASSETS: usize = 16;

/// One asset of a correlated feed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CorrelatedAsset {
    pub symbol: String,
    pub s0: Decimal,
    pub drift: f64,
    pub vol: f64,
    /// 0: GBM. > 0: reverts to `s0` at this rate per year (drift ignored).
    pub reversion: f64,
}

/// Assets and their correlation matrix (row-major, `n × n`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Correlated {
    pub assets: Vec<CorrelatedAsset>,
    pub correlation: Vec<Vec<f64>>,
}

/// Cholesky factor (lower triangular, row-major) of a correlation matrix, validating it.
// Index loops read like the textbook algorithm.
#[allow(clippy::needless_range_loop)]
pub fn cholesky(c: &[Vec<f64>]) -> Result<Vec<f64>, FeedError> {
    let n = c.len();
    if c.iter().any(|r| r.len() != n) {
        return Err(FeedError::Correlation(format!("must be {n} × {n}")));
    }
    for i in 0..n {
        if c[i][i] != 1.0 {
            return Err(FeedError::Correlation(format!(
                "diagonal entry {} must be 1",
                i + 1
            )));
        }
        for j in 0..n {
            let v = c[i][j];
            if !v.is_finite() || !(-1.0..=1.0).contains(&v) {
                return Err(FeedError::Correlation(format!(
                    "entry ({}, {}) = {v} must be between -1 and 1",
                    i + 1,
                    j + 1
                )));
            }
            if v != c[j][i] {
                return Err(FeedError::Correlation(format!(
                    "entries ({}, {}) and ({}, {}) differ: it must be symmetric",
                    i + 1,
                    j + 1,
                    j + 1,
                    i + 1
                )));
            }
        }
    }
    let mut l = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let mut s = c[i][j];
            for k in 0..j {
                s -= l[i * n + k] * l[j * n + k];
            }
            if i == j {
                // a tiny negative pivot from rounding is tolerated as 0 (perfect correlation)
                if s < -1e-12 {
                    return Err(FeedError::Correlation(
                        "not positive semi-definite: these correlations cannot all hold at once"
                            .into(),
                    ));
                }
                l[i * n + i] = libm::sqrt(s.max(0.0));
            } else {
                let d = l[j * n + j];
                l[i * n + j] = if d > 0.0 { s / d } else { 0.0 };
            }
        }
    }
    Ok(l)
}

impl Correlated {
    pub fn validate(&self) -> Result<Vec<f64>, FeedError> {
        let n = self.assets.len();
        if n == 0 || n > MAX_ASSETS {
            return Err(FeedError::bad(
                "assets",
                n,
                "a correlated feed has 1 to 16 assets",
            ));
        }
        for (i, a) in self.assets.iter().enumerate() {
            check_symbol(&a.symbol)?;
            if self.assets[..i].iter().any(|b| b.symbol == a.symbol) {
                return Err(FeedError::bad(
                    "symbol",
                    &a.symbol,
                    "symbols must be unique",
                ));
            }
            check_price(&format!("{}.s0", a.symbol), a.s0)?;
            check_drift(&format!("{}.drift", a.symbol), a.drift)?;
            check_vol(&format!("{}.vol", a.symbol), a.vol)?;
            check_rate(
                &format!("{}.reversion", a.symbol),
                a.reversion,
                100_000.0,
                "reversion must be between 0 and 100000 per year",
            )?;
        }
        cholesky(&self.correlation)
    }

    /// Row-major prices, `ticks × assets`; row 0 holds the `s0`s.
    pub fn generate(
        &self,
        rng: &mut SimRng,
        dt: f64,
        ticks: usize,
    ) -> Result<Vec<Decimal>, FeedError> {
        let l = self.validate()?;
        let n = self.assets.len();
        let mut y = Vec::with_capacity(n);
        let mut anchor = Vec::with_capacity(n);
        let mut step = Vec::with_capacity(n);
        for a in &self.assets {
            let ln0 = libm::log(check_price("s0", a.s0)?);
            y.push(ln0);
            anchor.push(ln0);
            step.push(if a.reversion > 0.0 {
                ou_coefficients(a.reversion, a.vol, dt)
            } else {
                (
                    gbm_log_step(a.drift, a.vol, dt, 0.0),
                    a.vol * libm::sqrt(dt),
                )
            });
        }
        let mut eps = vec![0.0; n];
        let mut out = Vec::with_capacity(ticks * n);
        for i in 0..ticks {
            if i > 0 {
                for e in eps.iter_mut() {
                    *e = rng.normal();
                }
                for k in 0..n {
                    let row = &l[k * n..k * n + k + 1];
                    let z: f64 = row.iter().zip(&eps).map(|(a, b)| a * b).sum();
                    let (c, sd) = step[k];
                    if self.assets[k].reversion > 0.0 {
                        y[k] = anchor[k] + (y[k] - anchor[k]) * c + sd * z;
                    } else {
                        y[k] += c + sd * z;
                    }
                }
            }
            out.extend(y.iter().map(|v| price_to_decimal(libm::exp(*v))));
        }
        Ok(out)
    }
}
