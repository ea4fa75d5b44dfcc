//! Merton jump-diffusion: GBM plus Poisson jumps, for sudden crashes.
//!
//! Each step adds `N ~ Poisson(λ·dt)` jumps whose log sizes are normal(`jump_mean`, `jump_vol`).
//! The diffusion drift is compensated by `λ·k`, `k = e^(jump_mean + jump_vol²/2) − 1`, so `drift`
//! stays the expected total return. Mean log return per step:
//! `(μ − σ²/2 − λk)·dt + λ·dt·jump_mean`.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::error::FeedError;
use super::price::price_to_decimal;
use super::sim::{
    check_drift, check_price, check_rate, check_symbol, check_vol, gbm_log_step, SimRng,
};

/// GBM with crash (or rally) jumps. `jumps_per_year` is λ; `jump_mean` the mean log jump
/// (−0.3 ≈ a 26 % drop).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JumpDiffusion {
    pub symbol: String,
    pub s0: Decimal,
    pub drift: f64,
    pub vol: f64,
    pub jumps_per_year: f64,
    pub jump_mean: f64,
    pub jump_vol: f64,
}

/// Poisson draw by inverse transform (bounded loop; deterministic with `libm::exp`).
pub(crate) fn poisson(rng: &mut SimRng, mean: f64) -> u32 {
    let u = rng.uniform();
    let mut p = libm::exp(-mean);
    let mut cdf = p;
    let mut k = 0u32;
    while u > cdf && k < 64 {
        k += 1;
        p *= mean / k as f64;
        cdf += p;
    }
    k
}

impl JumpDiffusion {
    pub fn validate(&self) -> Result<(), FeedError> {
        check_symbol(&self.symbol)?;
        check_price("s0", self.s0)?;
        check_drift("drift", self.drift)?;
        check_vol("vol", self.vol)?;
        check_rate(
            "jumps_per_year",
            self.jumps_per_year,
            365.0,
            "jumps per year must be between 0 and 365",
        )?;
        if !self.jump_mean.is_finite() || !(-3.0..=3.0).contains(&self.jump_mean) {
            return Err(FeedError::bad(
                "jump_mean",
                self.jump_mean,
                "mean log jump must be between -3 and 3",
            ));
        }
        check_vol("jump_vol", self.jump_vol)
    }

    /// The drift compensator `λ·k`.
    pub fn compensator(&self) -> f64 {
        let k = libm::exp(self.jump_mean + 0.5 * self.jump_vol * self.jump_vol) - 1.0;
        self.jumps_per_year * k
    }

    pub fn generate(
        &self,
        rng: &mut SimRng,
        dt: f64,
        ticks: usize,
    ) -> Result<Vec<Decimal>, FeedError> {
        self.validate()?;
        let mut ln_s = libm::log(check_price("s0", self.s0)?);
        let drift = self.drift - self.compensator();
        let lambda_dt = self.jumps_per_year * dt;
        let mut out = Vec::with_capacity(ticks);
        for i in 0..ticks {
            if i > 0 {
                ln_s += gbm_log_step(drift, self.vol, dt, rng.normal());
                let n = poisson(rng, lambda_dt);
                if n > 0 {
                    let nf = n as f64;
                    ln_s += nf * self.jump_mean + libm::sqrt(nf) * self.jump_vol * rng.normal();
                }
            }
            out.push(price_to_decimal(libm::exp(ln_s)));
        }
        Ok(out)
    }
}
