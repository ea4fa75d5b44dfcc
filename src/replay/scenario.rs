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
use crate::engine::preset::{collateral_asset, perp_params, pool_lender, stablecoin};
use crate::engine::{
    AccountId, AssetClass, AssetId, AssetParams, CollateralDesign, Command, EngineConfig,
    LiquidationKind, PresetId,
};
use crate::feed::{catalogue, effective_spec, FeedError, OracleSpec, PathFeed, PriceFeed};

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

/// `Scenario::feed` of a session on imported prices: `import:<file name>`. Such a session cannot
/// be shared by link (the prices are not in it).
pub const IMPORTED_PREFIX: &str = "import:";

/// The oracle each imitated system uses, applied to every asset of a session (the engine's presets
/// keep instant oracles so their hand-computed tests read simply):
/// - Maker (SCD and MCD): the Oracle Security Module, prices one hour late (DOMAIN.md);
/// - Aave v3, Compound III, Liquity v1: Chainlink-style feeds, ETH/USD updating on a 0.5% move or
///   hourly, stablecoins on a 0.25% move or daily;
/// - the perpetuals exchange: a mark price, a 5-minute EMA of the index clamped to ±0.5%.
pub fn system_oracle(preset: PresetId, class: AssetClass) -> OracleSpec {
    let stable = class == AssetClass::Stablecoin;
    match preset {
        PresetId::MakerScd | PresetId::MakerMcd if !stable => OracleSpec::MAKER_OSM,
        PresetId::MakerScd | PresetId::MakerMcd | PresetId::Custom => OracleSpec::Instant,
        PresetId::PerpExchange if !stable => OracleSpec::Mark {
            smoothing_secs: 300,
            max_premium: dec!(0.005),
        },
        PresetId::PerpExchange => OracleSpec::Instant,
        _ if stable => OracleSpec::HeartbeatDeviation {
            heartbeat_secs: 86_400,
            deviation: dec!(0.0025),
        },
        _ => OracleSpec::HeartbeatDeviation {
            heartbeat_secs: 3600,
            deviation: dec!(0.005),
        },
    }
}

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
            .ok_or_else(|| format!("unknown scenario \"{}\"", scenario.feed))?
            .spec
            .with_seed(scenario.seed)
            .build_path()
            .map_err(|e: FeedError| e.to_string())?,
    };
    let first = feed.tick(0).ok_or("the scenario's feed has no prices")?;
    let mut config = scenario.preset.config();
    config.start_time = first.time.saturating_sub(1);
    let perps = scenario.preset == PresetId::PerpExchange;
    let preset_prices: BTreeMap<AssetId, Decimal> = config
        .assets
        .iter()
        .map(|a| (a.id.clone(), a.initial_price))
        .collect();
    let mut rescale: BTreeMap<AssetId, Decimal> = BTreeMap::new();
    for (symbol, price) in &first.prices {
        match config.assets.iter_mut().find(|a| a.id.as_str() == symbol) {
            Some(asset) => {
                if !asset.initial_price.is_zero() && asset.initial_price != *price {
                    rescale.insert(asset.id.clone(), asset.initial_price / *price);
                }
                asset.initial_price = *price;
            }
            None => config.assets.push(class_template(symbol, *price, perps)),
        }
    }
    // Preset assets the feed does not move but that track one it does (staked ETH, wrapped BTC)
    // start at the preset's ratio to it, and follow it (see `prices_at`).
    let sources: Vec<(usize, AssetId)> = config
        .assets
        .iter()
        .enumerate()
        .filter_map(|(k, a)| peg_source(a, &feed).map(|s| (k, s)))
        .collect();
    for (k, source) in sources {
        let (Some(target_was), Some(source_was)) = (
            preset_prices.get(&config.assets[k].id),
            preset_prices.get(&source),
        ) else {
            continue;
        };
        let Some(source_now) = first.prices.get(source.as_str()) else {
            continue;
        };
        if source_was.is_zero() {
            continue;
        }
        let price = (*target_was / *source_was * *source_now).round_dp(10);
        if !price.is_zero() {
            rescale.insert(config.assets[k].id.clone(), *target_was / price);
            config.assets[k].initial_price = price;
        }
    }
    // The preset's starting balances were written at its own prices: keep their value, not their
    // quantity, when the feed starts elsewhere (10 ETH at 3,000 become 150 ETH at 200).
    for account in &mut config.initial_accounts {
        for command in &mut account.commands {
            rescale_amount(command, &rescale);
        }
    }
    switch_design(&mut config, scenario.design);
    if let Some(kind) = scenario.liquidation.clone() {
        config.liquidation = kind;
    }
    for asset in &mut config.assets {
        asset.oracle = match (&scenario.oracle, asset.class) {
            (Some(spec), class) if class != AssetClass::Stablecoin => spec.clone(),
            _ => system_oracle(scenario.preset, asset.class),
        };
        reconcile_design(asset);
        // Scripted oracle shocks (a T-bill oracle freeze) replace the asset's oracle model.
        asset.oracle = effective_spec(&feed, asset.id.as_str(), &asset.oracle);
    }
    // The scenario's starting cash replaces the preset's paper money in the debt asset.
    let cash = scenario.starting_cash;
    let debt = config.debt_asset.clone();
    if !config
        .initial_accounts
        .iter()
        .any(|a| a.id == AccountId::USER)
    {
        config.initial_accounts.push(crate::engine::InitialAccount {
            id: AccountId::USER,
            label: "You".into(),
            commands: Vec::new(),
        });
    }
    if let Some(user) = config
        .initial_accounts
        .iter_mut()
        .find(|a| a.id == AccountId::USER)
    {
        user.commands
            .retain(|c| !matches!(c, Command::Fund { asset, .. } if *asset == debt));
        if cash > Decimal::ZERO {
            user.commands.insert(
                0,
                Command::Fund {
                    asset: debt,
                    amount: cash,
                },
            );
        }
    }
    Ok((config, feed))
}

fn rescale_amount(command: &mut Command, factors: &BTreeMap<AssetId, Decimal>) {
    let (asset, amount) = match command {
        Command::Fund { asset, amount }
        | Command::Deposit { asset, amount }
        | Command::Withdraw { asset, amount }
        | Command::VaultDeposit {
            collateral: asset,
            amount,
        }
        | Command::VaultWithdraw {
            collateral: asset,
            amount,
        } => (asset, amount),
        _ => return,
    };
    if let Some(f) = factors.get(asset) {
        *amount = (*amount * *f).round_dp(8);
    }
}

/// Rewrites a command for `design`. `vault` names the vault a pooled borrow or repay goes to
/// (vaults cannot pool borrowing power); `None` leaves such a command as it is.
pub fn translate(
    command: &Command,
    design: CollateralDesign,
    debt: &AssetId,
    vault: Option<AssetId>,
) -> Command {
    use Command::*;
    match (design, command) {
        (CollateralDesign::SingleCollateral, Deposit { asset, amount }) => VaultDeposit {
            collateral: asset.clone(),
            amount: *amount,
        },
        (CollateralDesign::SingleCollateral, Withdraw { asset, amount }) => VaultWithdraw {
            collateral: asset.clone(),
            amount: *amount,
        },
        (CollateralDesign::SingleCollateral, Borrow { amount, .. }) if vault.is_some() => {
            VaultBorrow {
                collateral: vault.unwrap_or_else(|| debt.clone()),
                amount: *amount,
            }
        }
        (CollateralDesign::SingleCollateral, Repay { amount, .. }) if vault.is_some() => {
            VaultRepay {
                collateral: vault.unwrap_or_else(|| debt.clone()),
                amount: *amount,
            }
        }
        (CollateralDesign::MultiCollateral, VaultDeposit { collateral, amount }) => Deposit {
            asset: collateral.clone(),
            amount: *amount,
        },
        (CollateralDesign::MultiCollateral, VaultWithdraw { collateral, amount }) => Withdraw {
            asset: collateral.clone(),
            amount: *amount,
        },
        (CollateralDesign::MultiCollateral, VaultBorrow { amount, .. }) => Borrow {
            asset: debt.clone(),
            amount: *amount,
        },
        (CollateralDesign::MultiCollateral, VaultRepay { amount, .. }) => Repay {
            asset: debt.clone(),
            amount: *amount,
        },
        _ => command.clone(),
    }
}

/// Moves a preset to the other design:
/// - the starting accounts' commands are translated (a pooled borrow goes to the vault of the
///   last collateral deposited);
/// - to vaults: supplying the debt asset to a pool has no vault meaning (vault debt is minted), so
///   those deposits are dropped;
/// - to a pool: the debt asset becomes borrowable and, if nobody supplies it, a liquidity
///   provider (account #9) supplies 10M; a stability pool only exists for vaults (Liquity troves),
///   so the pooled variant liquidates partially (Aave-like) and stability deposits are dropped.
fn switch_design(config: &mut EngineConfig, design: CollateralDesign) {
    if config.design == design {
        return;
    }
    config.design = design;
    let debt = config.debt_asset.clone();
    for account in &mut config.initial_accounts {
        let mut last_collateral: Option<AssetId> = None;
        let mut out = Vec::with_capacity(account.commands.len());
        for c in &account.commands {
            match (design, c) {
                (
                    CollateralDesign::SingleCollateral,
                    Command::Deposit { asset, .. } | Command::Withdraw { asset, .. },
                ) if *asset == debt => {}
                (
                    CollateralDesign::MultiCollateral,
                    Command::StabilityDeposit { .. } | Command::StabilityWithdraw { .. },
                ) => {}
                _ => {
                    if let Command::Deposit { asset, .. }
                    | Command::VaultDeposit {
                        collateral: asset, ..
                    } = c
                    {
                        last_collateral = Some(asset.clone());
                    }
                    out.push(translate(c, design, &debt, last_collateral.clone()));
                }
            }
        }
        account.commands = out;
    }
    if design == CollateralDesign::MultiCollateral {
        // Stability pools and Dutch auctions are vault mechanisms: a pooled account is liquidated
        // partially (Aave-like) instead of by the pool, and whole (Compound III-like absorb, the
        // penalty kept) instead of by auction.
        config.liquidation = match config.liquidation {
            LiquidationKind::StabilityPool => LiquidationKind::Partial,
            LiquidationKind::DutchAuction(_) => LiquidationKind::Full,
            ref other => other.clone(),
        };

        if let Some(asset) = config.assets.iter_mut().find(|a| a.id == debt) {
            asset.borrowable = true;
        }
        let supplied = config.initial_accounts.iter().any(|a| {
            a.commands
                .iter()
                .any(|c| matches!(c, Command::Deposit { asset, .. } if *asset == debt))
        });
        if !supplied {
            config.initial_accounts.insert(
                0,
                pool_lender(AccountId(9), debt.as_str(), dec!(10_000_000)),
            );
        }
    }
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
    for (symbol, price) in &tick.prices {
        prices.insert(AssetId::new(symbol), *price);
    }
    for asset in &config.assets {
        let Some(source) = peg_source(asset, feed) else {
            continue;
        };
        let (Some(now), Some(start)) = (
            tick.prices.get(source.as_str()),
            config.asset(&source).map(|a| a.initial_price),
        ) else {
            continue;
        };
        if !start.is_zero() {
            prices.insert(
                asset.id.clone(),
                (asset.initial_price * *now / start).round_dp(10),
            );
        }
    }
    Some((tick.time, prices))
}

/// The feed asset a preset asset tracks when the feed does not price it: staked ETH follows ETH,
/// wrapped BTC follows BTC (and the reverse). Margin Lab's simplification: no staking yield or
/// depeg of the wrapper unless the feed prices the asset itself.
fn peg_source(asset: &AssetParams, feed: &PathFeed) -> Option<AssetId> {
    let in_feed = |s: &str| feed.assets().iter().any(|f| f == s);
    if in_feed(asset.id.as_str()) {
        return None;
    }
    let candidates: &[&str] = match asset.class {
        AssetClass::StakedEth => &["ETH"],
        AssetClass::WrappedBtc => &["BTC", "WBTC"],
        _ => &[],
    };
    candidates
        .iter()
        .find(|c| in_feed(c))
        .map(|c| AssetId::new(c))
}
