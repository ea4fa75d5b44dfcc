//! Shared machinery of the seeded simulations: the RNG, time steps and parameter checks.
//!
//! Every model works on log prices in `f64` and uses only `libm` for `exp`/`ln`/`sqrt`, the
//! `rand_chacha` ChaCha8 stream and `rand_distr::StandardNormal`: all identical natively and in
//! wasm. Prices become `Decimal` through [`price_to_decimal`](super::price::price_to_decimal).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use rust_decimal::Decimal;

use super::error::FeedError;
use super::price::{decimal_to_f64, MAX_PRICE, MIN_PRICE};

/// Seconds in the (365-day) year that annualised drifts and volatilities refer to.
pub const YEAR_SECS: f64 = 365.0 * 86_400.0;
/// Largest accepted annualised volatility (1000 %/year; real crypto is ~50–150 %).
pub const MAX_VOL: f64 = 10.0;
/// Largest accepted absolute annualised drift.
pub const MAX_DRIFT: f64 = 10.0;

/// The seeded random source of every simulation.
pub struct SimRng(ChaCha8Rng);

impl SimRng {
    pub fn new(seed: u64) -> Self {
        Self(ChaCha8Rng::seed_from_u64(seed))
    }

    /// A standard normal draw.
    pub fn normal(&mut self) -> f64 {
        self.0.sample(StandardNormal)
    }

    /// A uniform draw in `[0, 1)`.
    pub fn uniform(&mut self) -> f64 {
        self.0.random::<f64>()
    }
}

/// Time step in years.
pub fn dt_years(interval_secs: i64) -> f64 {
    interval_secs as f64 / YEAR_SECS
}

/// Checks a starting price and returns it as `f64`.
pub fn check_price(name: &str, p: Decimal) -> Result<f64, FeedError> {
    let x = decimal_to_f64(p);
    if p <= Decimal::ZERO {
        return Err(FeedError::bad(name, p, "prices must be positive"));
    }
    if !(MIN_PRICE..=MAX_PRICE).contains(&x) {
        return Err(FeedError::bad(
            name,
            p,
            "price must be between 0.000000001 and 1000000000",
        ));
    }
    Ok(x)
}

/// Checks an annualised volatility (0 allowed: a flat path).
pub fn check_vol(name: &str, v: f64) -> Result<(), FeedError> {
    if !v.is_finite() || !(0.0..=MAX_VOL).contains(&v) {
        return Err(FeedError::bad(
            name,
            v,
            "volatility must be between 0 and 10 (1000 % a year)",
        ));
    }
    Ok(())
}

/// Checks an annualised drift.
pub fn check_drift(name: &str, d: f64) -> Result<(), FeedError> {
    if !d.is_finite() || d.abs() > MAX_DRIFT {
        return Err(FeedError::bad(
            name,
            d,
            "drift must be between -10 and 10 (per year)",
        ));
    }
    Ok(())
}

/// Checks a non-negative finite rate bounded by `max`.
pub fn check_rate(name: &str, r: f64, max: f64, rule: &'static str) -> Result<(), FeedError> {
    if !r.is_finite() || r < 0.0 || r > max {
        return Err(FeedError::bad(name, r, rule));
    }
    Ok(())
}

/// Checks an asset symbol: 1–16 ASCII letters, digits, `.`, `-` or `_`.
pub fn check_symbol(s: &str) -> Result<(), FeedError> {
    let ok = (1..=16).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(FeedError::bad(
            "symbol",
            s,
            "symbols are 1–16 letters, digits, '.', '-' or '_'",
        ))
    }
}

/// One GBM step of a log price: `(μ − σ²/2)dt + σ√dt·z`.
#[inline]
pub fn gbm_log_step(drift: f64, vol: f64, dt: f64, z: f64) -> f64 {
    (drift - 0.5 * vol * vol) * dt + vol * libm::sqrt(dt) * z
}
