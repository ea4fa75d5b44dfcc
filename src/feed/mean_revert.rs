//! Mean reversion (log Ornstein–Uhlenbeck): stablecoins, pegged and tokenized assets.
//!
//! `y = ln S` reverts to `ln mean` at rate θ (`reversion`, per year), sampled exactly:
//! `y' = ln m + (y − ln m)·e^(−θdt) + σ·√((1 − e^(−2θdt)) / 2θ)·Z`. The stationary standard
//! deviation of `y` is `σ/√(2θ)`. With θ = 0 it is driftless GBM in log space. Depegs are scripted
//! on top as shocks.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::error::FeedError;
use super::price::price_to_decimal;
use super::sim::{check_price, check_rate, check_symbol, check_vol, SimRng};

/// A pegged asset: `mean` is the peg (1 for a stablecoin).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeanRevert {
    pub symbol: String,
    pub s0: Decimal,
    pub mean: Decimal,
    /// θ per year (e.g. 200 ≈ half-life of 1.3 days).
    pub reversion: f64,
    pub vol: f64,
}

/// Coefficients `(decay, noise_sd)` of one exact OU step.
pub(crate) fn ou_coefficients(theta: f64, vol: f64, dt: f64) -> (f64, f64) {
    if theta <= 0.0 {
        return (1.0, vol * libm::sqrt(dt));
    }
    let decay = libm::exp(-theta * dt);
    let var = (1.0 - libm::exp(-2.0 * theta * dt)) / (2.0 * theta);
    (decay, vol * libm::sqrt(var))
}

impl MeanRevert {
    pub fn validate(&self) -> Result<(), FeedError> {
        check_symbol(&self.symbol)?;
        check_price("s0", self.s0)?;
        check_price("mean", self.mean)?;
        check_rate(
            "reversion",
            self.reversion,
            100_000.0,
            "reversion must be between 0 and 100000 per year",
        )?;
        check_vol("vol", self.vol)
    }

    pub fn generate(
        &self,
        rng: &mut SimRng,
        dt: f64,
        ticks: usize,
    ) -> Result<Vec<Decimal>, FeedError> {
        self.validate()?;
        let mut y = libm::log(check_price("s0", self.s0)?);
        let ln_m = libm::log(check_price("mean", self.mean)?);
        let (decay, sd) = ou_coefficients(self.reversion, self.vol, dt);
        let mut out = Vec::with_capacity(ticks);
        for i in 0..ticks {
            if i > 0 {
                y = ln_m + (y - ln_m) * decay + sd * rng.normal();
            }
            out.push(price_to_decimal(libm::exp(y)));
        }
        Ok(out)
    }
}
