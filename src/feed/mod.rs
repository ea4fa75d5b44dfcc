//! Price feeds: market prices, nothing else.
//!
//! Pure and deterministic: no clock, no I/O, no std transcendental maths. Everything here builds
//! and tests natively and in the browser, and the same [`FeedSpec`] gives the same prices bit for
//! bit on both (a golden-hash test checks it in each). What the engine *sees* of these prices (its
//! oracle models) lives in `engine::oracle`; a feed only describes scripted oracle outages
//! ([`OracleOutage`]) for the engine to carry out.
//!
//! - [`PriceFeed`]: a finite path of [`Tick`]s the UI can step, seek ([`FeedCursor`]) and
//!   [`resample`](PriceFeed::resample); [`PathFeed`] is the materialised implementation.
//! - Simulations ([`gbm`], [`jump`], [`mean_revert`], [`regime`], [`correlated`]), seeded with
//!   `rand_chacha`, plus scripted [`shock`]s on top of any feed.
//! - Replayed history: the bundled vega-datasets files ([`replayed`]) and user imports
//!   ([`csv_import`]), validated line by line.
//! - For the risk desk: [`montecarlo`] paths continued from the current prices, [`history`]
//!   windows for historical VaR, [`estimate`]d volatilities and correlations.
//! - [`catalogue`]: the bundled scenarios as data ([`catalogue::build`]`(id, seed)` replays a stored
//!   scenario); [`spec::FeedSpec`]: a storable scenario feed (postcard-safe).
//!
//! Typical use:
//!
//! ```
//! use margin_lab::feed::{catalogue, FeedCursor, PriceFeed};
//! let feed = catalogue::build("crypto-basket", 7).unwrap();
//! let mut cursor = FeedCursor::new(feed);
//! let tick = cursor.advance(24).unwrap(); // play at any speed: here a day of hourly ticks
//! assert!(tick.prices["ETH"] > rust_decimal::Decimal::ZERO);
//! ```

pub mod catalogue;
pub mod correlated;
pub mod csv_import;
pub mod cursor;
pub mod error;
pub mod estimate;
pub mod gbm;
pub mod hash;
pub mod history;
pub mod jump;
pub mod mean_revert;
pub mod montecarlo;
pub mod path;
pub mod price;
pub mod regime;
pub mod replayed;
pub mod resample;
pub mod shock;
pub mod sim;
pub mod spec;
pub mod tick;
pub mod time_parse;

use std::collections::BTreeMap;

use rust_decimal::Decimal;

pub use catalogue::{catalogue, CatalogueEntry, Provenance};
pub use cursor::FeedCursor;
pub use error::FeedError;
pub use hash::feed_hash;
pub use path::PathFeed;
pub use shock::{Shock, ShockKind};
pub use spec::{Dataset, FeedSpec, Model, SimSpec, Source};
pub use tick::{OracleOutage, Tick};

/// A finite, random-access sequence of market prices for a fixed list of assets.
///
/// Every feed in this module is finite: simulations are generated once for their horizon, so
/// seeking and scrubbing cost nothing. Times strictly increase.
pub trait PriceFeed {
    /// Asset symbols, in column order.
    fn assets(&self) -> &[String];
    /// Number of ticks.
    fn len(&self) -> usize;
    /// Time (unix seconds) of tick `i`.
    fn time(&self, i: usize) -> Option<i64>;
    /// Price of asset column `asset` at tick `i`.
    fn price(&self, i: usize, asset: usize) -> Option<Decimal>;

    /// True when the feed has no ticks.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Tick `i` with every asset's price, keyed by symbol.
    fn tick(&self, i: usize) -> Option<Tick> {
        let time = self.time(i)?;
        let mut prices = BTreeMap::new();
        for (a, sym) in self.assets().iter().enumerate() {
            prices.insert(sym.clone(), self.price(i, a)?);
        }
        Some(Tick {
            index: i as u64,
            time,
            prices,
        })
    }

    /// Column of an asset symbol.
    fn asset_index(&self, asset: &str) -> Option<usize> {
        self.assets().iter().position(|s| s == asset)
    }

    /// The whole price series of one asset (for charts).
    fn series(&self, asset: &str) -> Option<Vec<Decimal>> {
        let a = self.asset_index(asset)?;
        (0..self.len()).map(|i| self.price(i, a)).collect()
    }

    /// The last tick whose time is at or before `t` (the first tick if `t` is earlier).
    fn index_at_time(&self, t: i64) -> usize {
        let (mut lo, mut hi) = (0usize, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.time(mid).is_some_and(|m| m <= t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo.saturating_sub(1)
    }

    /// Oracle outages that scripted shocks impose on some assets (an oracle freeze), by symbol.
    /// The feed only describes them: the engine's oracle for that asset carries them out.
    fn oracle_outages(&self) -> BTreeMap<String, OracleOutage> {
        BTreeMap::new()
    }

    /// Resamples onto a regular grid of `interval_secs` (one minute to one week), see [`resample`].
    fn resample(&self, interval_secs: i64) -> Result<PathFeed, FeedError> {
        resample::resample(self, interval_secs)
    }
}

/// Boxed feeds (what [`FeedSpec::build`] returns) are feeds too, so a cursor can own one.
impl<F: PriceFeed + ?Sized> PriceFeed for Box<F> {
    fn assets(&self) -> &[String] {
        (**self).assets()
    }
    fn len(&self) -> usize {
        (**self).len()
    }
    fn time(&self, i: usize) -> Option<i64> {
        (**self).time(i)
    }
    fn price(&self, i: usize, asset: usize) -> Option<Decimal> {
        (**self).price(i, asset)
    }
    fn tick(&self, i: usize) -> Option<Tick> {
        (**self).tick(i)
    }
    fn oracle_outages(&self) -> BTreeMap<String, OracleOutage> {
        (**self).oracle_outages()
    }
    fn series(&self, asset: &str) -> Option<Vec<Decimal>> {
        (**self).series(asset)
    }
}
