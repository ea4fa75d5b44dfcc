//! One step of a price feed: an index, a time and a price per asset.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Market prices of every asset of a feed at one step.
///
/// `prices` is keyed by asset symbol (`"ETH"`, `"USDC"`…) in a `BTreeMap`, the shape the engine takes
/// per step, so `tick.prices` can be handed over as it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tick {
    /// Position in the feed, from 0.
    pub index: u64,
    /// Unix time in seconds.
    pub time: i64,
    /// Market price per asset symbol; always > 0.
    pub prices: BTreeMap<String, Decimal>,
}

impl Tick {
    /// The price of one asset, if the feed has it.
    pub fn price(&self, asset: &str) -> Option<Decimal> {
        self.prices.get(asset).copied()
    }
}

/// A scripted oracle outage on one asset (from an oracle-freeze shock): whatever oracle the
/// engine uses for it stops updating during `[from_secs, until_secs)` (`None`: for good), and
/// readings older than `max_age_secs` count as stale. The feed only describes the outage; the
/// engine's oracle model (`engine::oracle`) carries it out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OracleOutage {
    pub from_secs: i64,
    pub until_secs: Option<i64>,
    pub max_age_secs: i64,
}
