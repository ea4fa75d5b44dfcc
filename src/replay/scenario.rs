//! From a [`Scenario`] to an engine configuration and a feed.
//!
//! A preset (`engine::preset`) brings the rules of the system it imitates and its own assets; the
//! feed brings prices for its assets. This module reconciles the two:
//! - a feed asset the preset lists is priced by the feed (its start price becomes the asset's);
//! - a feed asset the preset lacks is added with parameters for its asset class (below), so the
//!   S&P 500 or a tokenized T-bill can be posted and traded under any preset;
//! - a preset asset the feed lacks keeps its preset price for the whole session;
//! - switching the design keeps both parameter sets meaningful: a vault's liquidation ratio
//!   defaults to `1 / LT`, and a vault-only asset gets `LT = 1 / liquidation ratio` and
//!   `LTV = 0.95 × LT` in the multi-collateral design. These derivations are Margin Lab's, not the
//!   imitated system's, and the UI says so.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::script::Scenario;
use crate::engine::preset::{collateral_asset, perp_params, stablecoin};
use crate::engine::{
    AccountId, AssetClass, AssetId, AssetParams, CollateralDesign, Command, EngineConfig, PresetId,
};
use crate::feed::{catalogue, FeedError, PathFeed, PriceFeed, Source};

/// Class parameters for feed assets a preset does not list. Sources: DOMAIN.md (Reg T 50% initial
/// / 25% maintenance for equities; government bills haircut 0.5–2%; Aave-like figures for crypto).
fn class_template(symbol: &str, price: Decimal, perps: bool) -> AssetParams {
    let (class, ltv, lt, bonus, haircut, max_lev) = match symbol {
        "USDC" | "DAI" | "LUSD" | "USDT" => return stablecoin(symbol),
        "TBILL" => (
            AssetClass::TokenizedTBill,
            dec!(0.90),
            dec!(0.93),
            dec!(0.02),
            dec!(0.01),
            dec!(20),
        ),
        "WBTC" | "BTC" => (
            AssetClass::WrappedBtc,
            dec!(0.73),
            dec!(0.78),
            dec!(0.05),
            Decimal::ZERO,
            dec!(50),
        ),
        "stETH" | "wstETH" => (
            AssetClass::StakedEth,
            dec!(0.785),
            dec!(0.81),
            dec!(0.06),
            Decimal::ZERO,
            dec!(25),
        ),
        "ETH" => (
            AssetClass::VolatileAlt,
            dec!(0.80),
            dec!(0.825),
            dec!(0.05),
            Decimal::ZERO,
            dec!(50),
        ),
        "ALT" => (
            AssetClass::VolatileAlt,
            dec!(0.40),
            dec!(0.50),
            dec!(0.10),
            Decimal::ZERO,
            dec!(10),
        ),
        // Tokenized equities and indices: Reg T-like LTV 50%, maintenance 25% (LT 75%), plus a 2%
        // haircut for the token's oracle, liquidity and redemption risk.
        _ => (
            AssetClass::TokenizedEquity,
            dec!(0.50),
            dec!(0.75),
            dec!(0.05),
            dec!(0.02),
            dec!(20),
        ),
    };
    let mut a = collateral_asset(symbol, class, price, ltv, lt, bonus);
    a.haircut = haircut;
    a.liquidation_penalty = bonus;
    a.market_depth = Some(dec!(20_000_000));
    if perps {
        a.perp = Some(perp_params(max_lev));
    }
    a
}

/// The engine configuration and feed of a scenario.
pub fn build(scenario: &Scenario) -> Result<(EngineConfig, PathFeed), String> {
    let entry = catalogue::entry(&scenario.feed)
        .ok_or_else(|| format!("unknown scenario \"{}\"", scenario.feed))?;
    let mut spec = entry.spec.clone();
    if let Source::Simulated(sim) = &mut spec.source {
        sim.seed = scenario.seed;
    }
    let feed = spec.build_path().map_err(|e: FeedError| e.to_string())?;
    let first = feed.tick(0).ok_or("the scenario's feed has no prices")?;
    let mut config = scenario.preset.config();
    config.design = scenario.design;
    if let Some(kind) = scenario.liquidation {
        config.liquidation = kind;
    }
    config.start_time = first.time.saturating_sub(1);
    let perps = scenario.preset == PresetId::PerpExchange;
    for (symbol, price) in &first.prices {
        match config.assets.iter_mut().find(|a| a.id.as_str() == symbol) {
            Some(asset) => asset.initial_price = *price,
            None => config.assets.push(class_template(symbol, *price, perps)),
        }
    }
    for asset in &mut config.assets {
        reconcile_design(asset);
    }
    let cash = scenario.starting_cash;
    if cash > Decimal::ZERO {
        let debt = config.debt_asset.clone();
        match config
            .initial_accounts
            .iter_mut()
            .find(|a| a.id == AccountId::USER)
        {
            Some(user) => user.commands.push(Command::Fund {
                asset: debt,
                amount: cash,
            }),
            None => config.initial_accounts.push(crate::engine::InitialAccount {
                id: AccountId::USER,
                label: "You".into(),
                commands: vec![Command::Fund {
                    asset: debt,
                    amount: cash,
                }],
            }),
        }
    }
    Ok((config, feed))
}

/// Makes an asset usable in both designs (see the module docs for the derivations).
fn reconcile_design(a: &mut AssetParams) {
    if a.class == AssetClass::Stablecoin {
        return;
    }
    if a.liquidation_ratio.is_zero() && a.liquidation_threshold > Decimal::ZERO {
        a.liquidation_ratio = (Decimal::ONE / a.liquidation_threshold).round_dp(4);
    }
    if a.liquidation_threshold.is_zero() && a.liquidation_ratio > Decimal::ZERO {
        a.liquidation_threshold = (Decimal::ONE / a.liquidation_ratio).round_dp(4);
        a.ltv = (a.liquidation_threshold * dec!(0.95)).round_dp(4);
    }
}

/// Market prices of every engine asset at tick `i`: the feed's, and the preset price for assets
/// the feed does not move.
pub fn prices_at(
    config: &EngineConfig,
    feed: &PathFeed,
    i: usize,
) -> Option<(i64, BTreeMap<AssetId, Decimal>)> {
    let tick = feed.tick(i)?;
    let mut prices: BTreeMap<AssetId, Decimal> = config
        .assets
        .iter()
        .map(|a| (a.id.clone(), a.initial_price))
        .collect();
    for (symbol, price) in tick.prices {
        prices.insert(AssetId::new(&symbol), price);
    }
    Some((tick.time, prices))
}

/// Which design a scenario uses by default for a preset.
pub fn default_design(preset: PresetId) -> CollateralDesign {
    preset.config().design
}
