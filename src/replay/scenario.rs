//! From a [`Scenario`] to an engine configuration and a feed.
//!
//! The feed comes from the catalogue (or the user's import); everything a system *is* — its
//! parameters under the scenario's rules, class templates, oracle, design switch — is the
//! engine's (`engine::system`). This module only hands the engine the scenario's choices and the
//! feed's first prices and scripted oracle outages.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::script::Scenario;
use crate::engine::system::{self, SetupRequest};
use crate::engine::{AssetId, EngineConfig, OracleSpec};
use crate::feed::{catalogue, FeedError, PathFeed, PriceFeed};

/// `Scenario::feed` of a session on imported prices: `import:<file name>`. The prices travel with
/// the scenario ([`ScenarioOption::ImportedPrices`](super::script::ScenarioOption::ImportedPrices)).
pub const IMPORTED_PREFIX: &str = "import:";

pub use crate::engine::system::translate;

/// The engine configuration and feed of a scenario.
///
/// `imported` is the feed of a scenario on the user's own price file (`feed` starting with
/// [`IMPORTED_PREFIX`]), when the caller has it; otherwise a scenario on imported prices decodes
/// the ones it carries, and bundled scenarios build theirs from the catalogue.
pub fn build(
    scenario: &Scenario,
    imported: Option<&PathFeed>,
) -> Result<(EngineConfig, PathFeed), String> {
    let carried = scenario
        .imported_prices()
        .filter(|_| scenario.feed.starts_with(IMPORTED_PREFIX));
    let feed = match (imported, carried) {
        (Some(feed), _) if scenario.feed.starts_with(IMPORTED_PREFIX) => feed.clone(),
        (_, Some(series)) => series.to_feed()?,
        _ => catalogue::entry(&scenario.feed)
            .ok_or_else(|| format!("unknown scenario \"{}\"", crate::text::echo(&scenario.feed)))?
            .spec
            .with_seed(scenario.seed)
            .build_path()
            .map_err(|e: FeedError| e.to_string())?,
    };
    let first = feed.tick(0).ok_or("the scenario's feed has no prices")?;
    let scripted: BTreeMap<String, OracleSpec> = feed
        .oracle_outages()
        .into_iter()
        .map(|(symbol, o)| {
            let spec = OracleSpec::Frozen {
                from_secs: o.from_secs,
                until_secs: o.until_secs,
                max_age_secs: o.max_age_secs,
            };
            (symbol, spec)
        })
        .collect();
    let config = system::setup(&SetupRequest {
        preset: scenario.preset,
        rules: scenario.rules,
        design: scenario.design,
        liquidation: scenario.liquidation.clone(),
        oracle: scenario.oracle.clone(),
        starting_cash: scenario.starting_cash,
        first_time: first.time,
        first_prices: &first.prices,
        scripted_oracles: &scripted,
        population: scenario.population(),
        buffer: scenario.buffer(),
        seed: scenario.seed,
        cash_only: scenario.has(&super::script::ScenarioOption::CashOnly),
    })?;
    Ok((config, feed))
}

/// Market prices of every engine asset at tick `i` (see [`system::market_prices`]).
pub fn prices_at(
    config: &EngineConfig,
    feed: &PathFeed,
    i: usize,
) -> Option<(i64, BTreeMap<AssetId, Decimal>)> {
    let tick = feed.tick(i)?;
    Some((tick.time, system::market_prices(config, &tick.prices)))
}

/// [`prices_at`] tick after tick, updating one map in place instead of building two per tick
/// (what a test across seeds does a million times). The same prices: the feed's columns are
/// written into the map of tick 0; when the configuration has assets that follow a feed asset
/// (staked ETH, wrapped BTC), every tick goes through [`system::market_prices`] instead.
pub struct PriceStream<'a> {
    config: &'a EngineConfig,
    feed: &'a PathFeed,
    map: BTreeMap<AssetId, Decimal>,
    columns: Vec<(usize, AssetId)>,
    pegged: bool,
}

impl<'a> PriceStream<'a> {
    pub fn new(config: &'a EngineConfig, feed: &'a PathFeed) -> Option<Self> {
        let first = feed.tick(0)?;
        let map = system::market_prices(config, &first.prices);
        // An asset follows the feed if its price moves when every feed price does (which assets
        // follow which depends on the symbols only, not the prices).
        let doubled: BTreeMap<String, Decimal> = first
            .prices
            .iter()
            .map(|(s, p)| (s.clone(), *p * Decimal::TWO))
            .collect();
        let moved = system::market_prices(config, &doubled);
        let pegged = map
            .iter()
            .any(|(id, p)| !first.prices.contains_key(id.as_str()) && moved.get(id) != Some(p));
        let columns = feed
            .assets()
            .iter()
            .enumerate()
            .map(|(k, s)| (k, AssetId::new(s)))
            .collect();
        Some(Self {
            config,
            feed,
            map,
            columns,
            pegged,
        })
    }

    /// The time and market prices of tick `i` (as [`prices_at`] gives them).
    pub fn at(&mut self, i: usize) -> Option<(i64, &BTreeMap<AssetId, Decimal>)> {
        let time = self.feed.time(i)?;
        if self.pegged {
            self.map = prices_at(self.config, self.feed, i)?.1;
            return Some((time, &self.map));
        }
        for (k, id) in &self.columns {
            let p = self.feed.price(i, *k)?;
            match self.map.get_mut(id) {
                Some(slot) => *slot = p,
                None => {
                    self.map.insert(id.clone(), p);
                }
            }
        }
        Some((time, &self.map))
    }
}

/// What the learner's wallet holds when the scenario starts (the starting cash, and the preset's
/// basket unless the scenario is cash only), read from the engine configuration the scenario
/// builds, so the picker can say it before Start.
pub fn starting_wallet(scenario: &Scenario) -> Result<Vec<(AssetId, Decimal)>, String> {
    let (config, _) = build(scenario, None)?;
    let mut out: Vec<(AssetId, Decimal)> = Vec::new();
    for account in config
        .initial_accounts
        .iter()
        .filter(|a| a.id == crate::engine::AccountId::USER)
    {
        for command in &account.commands {
            if let crate::engine::Command::Fund { asset, amount } = command {
                match out.iter_mut().find(|(a, _)| a == asset) {
                    Some((_, total)) => *total += *amount,
                    None => out.push((asset.clone(), *amount)),
                }
            }
        }
    }
    Ok(out)
}
