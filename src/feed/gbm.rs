//! Geometric Brownian motion: the textbook calm market.
//!
//! `ln S(t+dt) = ln S(t) + (μ − σ²/2)·dt + σ·√dt·Z`, so log returns are normal with mean
//! `(μ − σ²/2)·dt` and variance `σ²·dt` (what the distribution tests check).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::error::FeedError;
use super::price::price_to_decimal;
use super::sim::{check_drift, check_price, check_symbol, check_vol, gbm_log_step, SimRng};

/// A single asset following GBM. `drift` and `vol` are annualised (0.05 = 5 %/year).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Gbm {
    pub symbol: String,
    pub s0: Decimal,
    pub drift: f64,
    pub vol: f64,
}

impl Gbm {
    pub fn validate(&self) -> Result<(), FeedError> {
        check_symbol(&self.symbol)?;
        check_price("s0", self.s0)?;
        check_drift("drift", self.drift)?;
        check_vol("vol", self.vol)
    }

    /// `ticks` prices; the first is `s0`.
    pub fn generate(
        &self,
        rng: &mut SimRng,
        dt: f64,
        ticks: usize,
    ) -> Result<Vec<Decimal>, FeedError> {
        self.validate()?;
        let mut ln_s = libm::log(check_price("s0", self.s0)?);
        let mut out = Vec::with_capacity(ticks);
        for i in 0..ticks {
            if i > 0 {
                ln_s += gbm_log_step(self.drift, self.vol, dt, rng.normal());
            }
            out.push(price_to_decimal(libm::exp(ln_s)));
        }
        Ok(out)
    }
}
