//! [`FeedSpec`]: a storable description of a scenario's feed (model, parameters, seed, horizon,
//! tick interval and shocks). It serialises with serde (postcard-safe: `Decimal`s as strings), so a
//! scenario fits in a link, and [`FeedSpec::build`] regenerates the same path everywhere.

use serde::{Deserialize, Serialize};

use super::correlated::Correlated;
use super::error::FeedError;
use super::gbm::Gbm;
use super::jump::JumpDiffusion;
use super::mean_revert::MeanRevert;
use super::path::{PathFeed, MAX_PRICES};
use super::regime::RegimeSwitching;
use super::shock::{apply_shocks, Shock};
use super::sim::{dt_years, SimRng};
use super::PriceFeed;

/// Longest simulation tick: one week.
pub const MAX_SIM_INTERVAL_SECS: i64 = 7 * 86_400;
/// Earliest and latest accepted start times (1900-01-01 and 2200-01-01).
pub const TIME_RANGE: (i64, i64) = (-2_208_988_800, 7_258_118_400);

/// A simulation model and its parameters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Model {
    Gbm(Gbm),
    JumpDiffusion(JumpDiffusion),
    MeanRevert(MeanRevert),
    RegimeSwitching(RegimeSwitching),
    Correlated(Correlated),
}

/// A seeded simulation: `ticks` ticks every `interval_secs` from `start_time`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimSpec {
    pub model: Model,
    pub seed: u64,
    pub start_time: i64,
    pub interval_secs: i64,
    pub ticks: u64,
}

/// Recorded datasets served with the app (vega-datasets, BSD-3-Clause; see `public/data/README.md`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Dataset {
    /// `public/data/sp500-2000.csv`: S&P 500 daily closes 2000-01-03 to 2020-04-17, asset `SPX`.
    Sp500Daily,
    /// `public/data/stocks.csv`: monthly prices of MSFT, AMZN, IBM, GOOG, AAPL (months all five share).
    StocksMonthly,
}

/// Where the prices come from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Source {
    Simulated(SimSpec),
    /// A bundled dataset, optionally cut to `[from, to]` (unix seconds, inclusive).
    Recorded {
        dataset: Dataset,
        from: Option<i64>,
        to: Option<i64>,
    },
}

/// A scenario's feed: a source plus scripted shocks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeedSpec {
    pub source: Source,
    pub shocks: Vec<Shock>,
}

impl SimSpec {
    fn n_assets(&self) -> usize {
        match &self.model {
            Model::Correlated(c) => c.assets.len(),
            _ => 1,
        }
    }

    fn symbols(&self) -> Vec<String> {
        match &self.model {
            Model::Gbm(m) => vec![m.symbol.clone()],
            Model::JumpDiffusion(m) => vec![m.symbol.clone()],
            Model::MeanRevert(m) => vec![m.symbol.clone()],
            Model::RegimeSwitching(m) => vec![m.symbol.clone()],
            Model::Correlated(c) => c.assets.iter().map(|a| a.symbol.clone()).collect(),
        }
    }

    /// Checks the horizon and tick interval (model parameters are checked by the model).
    pub fn validate_horizon(&self) -> Result<(), FeedError> {
        if !(1..=MAX_SIM_INTERVAL_SECS).contains(&self.interval_secs) {
            return Err(FeedError::bad(
                "interval_secs",
                self.interval_secs,
                "the tick interval must be between 1 second and 604800 (a week)",
            ));
        }
        if self.ticks == 0 {
            return Err(FeedError::bad("ticks", 0, "a feed needs at least one tick"));
        }
        if self.ticks.saturating_mul(self.n_assets() as u64) > MAX_PRICES {
            return Err(FeedError::TooLarge {
                ticks: self.ticks,
                assets: self.n_assets(),
                max: MAX_PRICES,
            });
        }
        if !(TIME_RANGE.0..=TIME_RANGE.1).contains(&self.start_time) {
            return Err(FeedError::bad(
                "start_time",
                self.start_time,
                "start between 1900 and 2200",
            ));
        }
        Ok(())
    }

    /// Generates the path.
    pub fn generate(&self) -> Result<PathFeed, FeedError> {
        self.validate_horizon()?;
        let ticks = self.ticks as usize;
        let dt = dt_years(self.interval_secs);
        let mut rng = SimRng::new(self.seed);
        let prices = match &self.model {
            Model::Gbm(m) => m.generate(&mut rng, dt, ticks)?,
            Model::JumpDiffusion(m) => m.generate(&mut rng, dt, ticks)?,
            Model::MeanRevert(m) => m.generate(&mut rng, dt, ticks)?,
            Model::RegimeSwitching(m) => m.generate(&mut rng, dt, ticks)?,
            Model::Correlated(m) => m.generate(&mut rng, dt, ticks)?,
        };
        let times = (0..ticks as i64)
            .map(|i| self.start_time + i * self.interval_secs)
            .collect();
        PathFeed::new(self.symbols(), times, prices)
    }
}

impl FeedSpec {
    /// The same feed with another simulation seed (recorded feeds ignore seeds).
    pub fn with_seed(mut self, seed: u64) -> Self {
        if let Source::Simulated(sim) = &mut self.source {
            sim.seed = seed;
        }
        self
    }

    /// The recorded dataset the feed is cut from, if any: the page fetches it before building
    /// (see [`super::replayed::provide`]).
    pub fn dataset(&self) -> Option<Dataset> {
        match &self.source {
            Source::Recorded { dataset, .. } => Some(*dataset),
            Source::Simulated(_) => None,
        }
    }

    /// Builds the feed as a concrete [`PathFeed`].
    pub fn build_path(&self) -> Result<PathFeed, FeedError> {
        let mut feed = match &self.source {
            Source::Simulated(sim) => sim.generate()?,
            Source::Recorded { dataset, from, to } => {
                super::replayed::load(*dataset)?.slice_time(*from, *to)?
            }
        };
        apply_shocks(&mut feed, &self.shocks)?;
        Ok(feed)
    }

    /// Validates and builds the feed.
    pub fn build(&self) -> Result<Box<dyn PriceFeed>, FeedError> {
        Ok(Box::new(self.build_path()?))
    }
}
