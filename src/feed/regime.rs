//! Regime switching: a two-state Markov chain between a calm and a turbulent GBM.
//!
//! Each step the regime flips with probability `1 − e^(−dt / mean duration)`, so regimes last
//! `calm_days` / `turbulent_days` on average. The path starts calm.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::error::FeedError;
use super::price::price_to_decimal;
use super::sim::{
    check_drift, check_price, check_rate, check_symbol, check_vol, gbm_log_step, SimRng,
};

/// Annualised drift and volatility of one regime.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegimeParams {
    pub drift: f64,
    pub vol: f64,
}

/// Calm / turbulent switching GBM.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegimeSwitching {
    pub symbol: String,
    pub s0: Decimal,
    pub calm: RegimeParams,
    pub turbulent: RegimeParams,
    /// Mean length of a calm spell, days.
    pub calm_days: f64,
    /// Mean length of a turbulent spell, days.
    pub turbulent_days: f64,
}

impl RegimeSwitching {
    pub fn validate(&self) -> Result<(), FeedError> {
        check_symbol(&self.symbol)?;
        check_price("s0", self.s0)?;
        check_drift("calm.drift", self.calm.drift)?;
        check_vol("calm.vol", self.calm.vol)?;
        check_drift("turbulent.drift", self.turbulent.drift)?;
        check_vol("turbulent.vol", self.turbulent.vol)?;
        for (n, d) in [
            ("calm_days", self.calm_days),
            ("turbulent_days", self.turbulent_days),
        ] {
            check_rate(
                n,
                d,
                36_500.0,
                "mean regime length must be between 0 and 36500 days",
            )?;
            if d == 0.0 {
                return Err(FeedError::bad(n, d, "mean regime length must be positive"));
            }
        }
        Ok(())
    }

    /// Prices and, per tick, whether the regime was turbulent.
    pub fn generate_with_regimes(
        &self,
        rng: &mut SimRng,
        dt: f64,
        ticks: usize,
    ) -> Result<(Vec<Decimal>, Vec<bool>), FeedError> {
        self.validate()?;
        let mut ln_s = libm::log(check_price("s0", self.s0)?);
        let dt_days = dt * 365.0;
        let p_leave_calm = 1.0 - libm::exp(-dt_days / self.calm_days);
        let p_leave_turb = 1.0 - libm::exp(-dt_days / self.turbulent_days);
        let mut turbulent = false;
        let mut out = Vec::with_capacity(ticks);
        let mut regimes = Vec::with_capacity(ticks);
        for i in 0..ticks {
            if i > 0 {
                let p = if turbulent {
                    p_leave_turb
                } else {
                    p_leave_calm
                };
                if rng.uniform() < p {
                    turbulent = !turbulent;
                }
                let r = if turbulent { self.turbulent } else { self.calm };
                ln_s += gbm_log_step(r.drift, r.vol, dt, rng.normal());
            }
            out.push(price_to_decimal(libm::exp(ln_s)));
            regimes.push(turbulent);
        }
        Ok((out, regimes))
    }

    pub fn generate(
        &self,
        rng: &mut SimRng,
        dt: f64,
        ticks: usize,
    ) -> Result<Vec<Decimal>, FeedError> {
        Ok(self.generate_with_regimes(rng, dt, ticks)?.0)
    }
}
