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

/// `Scenario::feed` of a session on imported prices: `import:<file name>`. Such a session cannot
/// be shared by link (the prices are not in it).
pub const IMPORTED_PREFIX: &str = "import:";

pub use crate::engine::system::translate;

/// The engine configuration and feed of a scenario.
///
/// `imported` is the feed of a scenario on the user's own price file (`feed` starting with
/// [`IMPORTED_PREFIX`]); bundled scenarios build theirs from the catalogue.
pub fn build(
    scenario: &Scenario,
    imported: Option<&PathFeed>,
) -> Result<(EngineConfig, PathFeed), String> {
    let feed = match imported {
        Some(feed) if scenario.feed.starts_with(IMPORTED_PREFIX) => feed.clone(),
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
