//! [`PathFeed`]: a finite, fully materialised price path, the one concrete feed.
//!
//! Simulations generate their whole horizon once (deterministically, from the seed) and recorded
//! history is parsed once, so every tick is random-access: the UI can step at any speed, scrub and
//! seek without regenerating anything.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::error::FeedError;
use super::tick::{OracleOutage, Tick};
use super::PriceFeed;

/// Hard cap on prices held by one feed (ticks × assets), about 256 MB of `Decimal`s.
pub const MAX_PRICES: u64 = 16_000_000;

/// A finite multi-asset price path with explicit times.
#[derive(Clone, Debug, PartialEq)]
pub struct PathFeed {
    assets: Vec<String>,
    times: Vec<i64>,
    /// Row-major: `prices[i * assets.len() + a]`.
    prices: Vec<Decimal>,
    /// Oracle outages scripted by shocks (see [`PriceFeed::oracle_outages`]).
    outages: BTreeMap<String, OracleOutage>,
}

impl PathFeed {
    /// Builds a path from times and row-major prices, checking shapes, order and positivity.
    pub fn new(
        assets: Vec<String>,
        times: Vec<i64>,
        prices: Vec<Decimal>,
    ) -> Result<Self, FeedError> {
        if assets.is_empty() {
            return Err(FeedError::bad(
                "assets",
                "[]",
                "a feed needs at least one asset",
            ));
        }
        let mut seen = std::collections::BTreeSet::new();
        for a in &assets {
            if a.is_empty() || !seen.insert(a.as_str()) {
                return Err(FeedError::bad(
                    "assets",
                    a,
                    "asset symbols must be non-empty and unique",
                ));
            }
        }
        let n = assets.len() as u64;
        if times.len() as u64 * n > MAX_PRICES {
            return Err(FeedError::TooLarge {
                ticks: times.len() as u64,
                assets: assets.len(),
                max: MAX_PRICES,
            });
        }
        if prices.len() != times.len() * assets.len() {
            return Err(FeedError::bad(
                "prices",
                prices.len(),
                "must hold one price per asset per tick",
            ));
        }
        if times.windows(2).any(|w| w[1] <= w[0]) {
            return Err(FeedError::bad(
                "times",
                "unsorted",
                "times must strictly increase",
            ));
        }
        if let Some(p) = prices.iter().find(|p| **p <= Decimal::ZERO) {
            return Err(FeedError::bad("prices", p, "prices must be positive"));
        }
        Ok(Self {
            assets,
            times,
            prices,
            outages: BTreeMap::new(),
        })
    }

    /// Row-major prices, `prices()[i * assets().len() + a]`.
    pub fn prices(&self) -> &[Decimal] {
        &self.prices
    }

    /// Tick times (unix seconds), strictly increasing.
    pub fn times(&self) -> &[i64] {
        &self.times
    }

    /// Records an oracle outage on `asset` (an oracle freeze shock does this).
    pub fn set_oracle_outage(&mut self, asset: &str, outage: OracleOutage) {
        self.outages.insert(asset.to_string(), outage);
    }

    pub(crate) fn prices_mut(&mut self) -> &mut [Decimal] {
        &mut self.prices
    }

    /// Keeps ticks whose time is in `[from, to]` (inclusive); `None` leaves that side open.
    pub fn slice_time(&self, from: Option<i64>, to: Option<i64>) -> Result<Self, FeedError> {
        let lo = from.map_or(0, |f| self.times.partition_point(|t| *t < f));
        let hi = to.map_or(self.times.len(), |t| {
            self.times.partition_point(|x| *x <= t)
        });
        if lo >= hi {
            return Err(FeedError::EmptyRange);
        }
        let n = self.assets.len();
        Ok(Self {
            assets: self.assets.clone(),
            times: self.times[lo..hi].to_vec(),
            prices: self.prices[lo * n..hi * n].to_vec(),
            outages: self.outages.clone(),
        })
    }
}

impl PriceFeed for PathFeed {
    fn assets(&self) -> &[String] {
        &self.assets
    }

    fn len(&self) -> usize {
        self.times.len()
    }

    fn time(&self, i: usize) -> Option<i64> {
        self.times.get(i).copied()
    }

    fn price(&self, i: usize, asset: usize) -> Option<Decimal> {
        if asset >= self.assets.len() {
            return None;
        }
        self.prices
            .get(i.checked_mul(self.assets.len())?.checked_add(asset)?)
            .copied()
    }

    fn oracle_outages(&self) -> BTreeMap<String, OracleOutage> {
        self.outages.clone()
    }

    fn series(&self, asset: &str) -> Option<Vec<Decimal>> {
        let a = self.asset_index(asset)?;
        let n = self.assets.len();
        Some(self.prices.iter().skip(a).step_by(n).copied().collect())
    }

    fn tick(&self, i: usize) -> Option<Tick> {
        let time = self.time(i)?;
        let n = self.assets.len();
        let row = &self.prices[i * n..(i + 1) * n];
        let prices: BTreeMap<String, Decimal> = self
            .assets
            .iter()
            .cloned()
            .zip(row.iter().copied())
            .collect();
        Some(Tick {
            index: i as u64,
            time,
            prices,
        })
    }
}
