//! Volatilities and correlations estimated from a feed's past ticks, for the risk desk's
//! parametric VaR, its reverse stress test's joint move and its Monte Carlo paths when a scenario
//! has no simulator of its own (recorded or imported prices).
//!
//! From the log returns `rᵢ(t) = ln(pᵢ(t) / pᵢ(t−1))` of the last ticks up to the current one:
//! sample standard deviations, annualised by `√(year / mean tick interval)`, and sample
//! correlations. Drift is not estimated (too noisy over a session): it is taken as zero. Only
//! ticks at or before the current one are used — never the scenario's future.

use rust_decimal::Decimal;

use super::correlated::{Correlated, CorrelatedAsset};
use super::error::FeedError;
use super::path::PathFeed;
use super::price::decimal_to_f64;
use super::sim::{MAX_VOL, YEAR_SECS};
use super::PriceFeed;

/// Fewest returns an estimate needs.
pub const MIN_RETURNS: usize = 30;

/// Estimated annual volatilities and correlations of a feed's assets.
#[derive(Clone, Debug, PartialEq)]
pub struct Estimate {
    pub symbols: Vec<String>,
    /// Annualised.
    pub vols: Vec<f64>,
    pub corr: Vec<Vec<f64>>,
    /// How many returns went in.
    pub returns: usize,
    /// Mean seconds between the ticks used.
    pub interval_secs: f64,
}

impl Estimate {
    /// A correlated GBM with these parameters, starting at `start` (zero drift).
    pub fn model(&self, start: &[Decimal]) -> Correlated {
        Correlated {
            assets: self
                .symbols
                .iter()
                .zip(start)
                .zip(&self.vols)
                .map(|((s, p), v)| CorrelatedAsset {
                    symbol: s.clone(),
                    s0: *p,
                    drift: 0.0,
                    vol: *v,
                    reversion: 0.0,
                })
                .collect(),
            correlation: self.corr.clone(),
        }
    }
}

/// Estimates from the returns of ticks `upto − max_returns ..= upto`.
pub fn estimate(feed: &PathFeed, upto: usize, max_returns: usize) -> Result<Estimate, FeedError> {
    let n = feed.assets().len();
    let upto = upto.min(feed.len().saturating_sub(1));
    let first = upto.saturating_sub(max_returns);
    let count = upto - first;
    if count < MIN_RETURNS {
        return Err(FeedError::bad(
            "history",
            count,
            "needs at least 30 past ticks to estimate volatilities",
        ));
    }
    let mut r: Vec<Vec<f64>> = vec![Vec::with_capacity(count); n];
    for i in first + 1..=upto {
        for (a, col) in r.iter_mut().enumerate() {
            let (Some(p0), Some(p1)) = (feed.price(i - 1, a), feed.price(i, a)) else {
                continue;
            };
            col.push(libm::log(decimal_to_f64(p1) / decimal_to_f64(p0)));
        }
    }
    let t0 = feed.time(first).unwrap_or_default();
    let t1 = feed.time(upto).unwrap_or_default();
    let interval = (t1 - t0) as f64 / count as f64;
    let per_year = YEAR_SECS / interval.max(1.0);
    let means: Vec<f64> = r
        .iter()
        .map(|c| c.iter().sum::<f64>() / c.len().max(1) as f64)
        .collect();
    let cov = |a: usize, b: usize| {
        let m = r[a].len().min(r[b].len());
        if m < 2 {
            return 0.0;
        }
        (0..m)
            .map(|k| (r[a][k] - means[a]) * (r[b][k] - means[b]))
            .sum::<f64>()
            / (m - 1) as f64
    };
    let var: Vec<f64> = (0..n).map(|a| cov(a, a)).collect();
    let vols = var
        .iter()
        .map(|v| libm::sqrt(v.max(0.0) * per_year).min(MAX_VOL))
        .collect();
    let mut corr = vec![vec![0.0; n]; n];
    for a in 0..n {
        corr[a][a] = 1.0;
        for b in a + 1..n {
            let d = libm::sqrt(var[a] * var[b]);
            let c = if d > 0.0 {
                (cov(a, b) / d).clamp(-1.0, 1.0)
            } else {
                0.0
            };
            corr[a][b] = c;
            corr[b][a] = c;
        }
    }
    Ok(Estimate {
        symbols: feed.assets().to_vec(),
        vols,
        corr,
        returns: count,
        interval_secs: interval,
    })
}
