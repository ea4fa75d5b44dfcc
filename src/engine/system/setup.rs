//! From a scenario's choices and its feed's first prices to an engine configuration.
//!
//! A preset brings the rules of the system it imitates and its own assets; the feed brings prices
//! for its assets. This module reconciles the two:
//! - a feed asset the preset lists is priced by the feed (its start price becomes the asset's);
//! - a feed asset the preset lacks is added with its class template (`templates.rs`), so the
//!   S&P 500 or a tokenized T-bill can be posted and traded under any preset;
//! - a preset asset the feed lacks keeps its preset price, unless it tracks one the feed moves
//!   (staked ETH follows ETH, wrapped BTC follows BTC; see [`market_prices`]);
//! - the preset's starting balances keep their value, not their quantity, when the feed starts at
//!   another price;
//! - switching the design keeps both parameter sets meaningful: a vault's liquidation ratio
//!   defaults to `1 / LT`, and a vault-only asset gets `LT = 1 / liquidation ratio` and
//!   `LTV = 0.95 × LT` in the multi-collateral design. These derivations are Margin Lab's, not the
//!   imitated system's, and the UI says so.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::build::pool_lender;
use crate::engine::command::Command;
use crate::engine::ids::{AccountId, AssetId};
use crate::engine::num::{fmt_num, MAX_AMOUNT, MAX_PRICE, MIN_PRICE};
use crate::engine::oracle::OracleSpec;
use crate::engine::params::asset::{AssetClass, AssetParams};
use crate::engine::params::config::{
    CollateralDesign, EngineConfig, InitialAccount, LiquidationKind,
};
use crate::engine::params::{PresetId, RulesVersion};
use crate::engine::population::{BufferParams, PopulationParams, PopulationSpec};

/// What a session asks of a system: the scenario's choices and what its feed looks like.
#[derive(Clone, Debug)]
pub struct SetupRequest<'a> {
    pub preset: PresetId,
    pub rules: RulesVersion,
    pub design: CollateralDesign,
    /// The liquidation mechanism, when it differs from the preset's.
    pub liquidation: Option<LiquidationKind>,
    /// The oracle of every non-stablecoin asset, when it differs from the imitated system's.
    pub oracle: Option<OracleSpec>,
    /// Paper money the learner starts with, in the preset's debt asset.
    pub starting_cash: Decimal,
    /// Time of the feed's first tick.
    pub first_time: i64,
    /// The feed's symbols with their first price.
    pub first_prices: &'a BTreeMap<String, Decimal>,
    /// Oracles the feed's scripted outages impose, by symbol (they replace any other choice).
    pub scripted_oracles: &'a BTreeMap<String, OracleSpec>,
    /// A crowd of other borrowers (drawn from `seed`).
    pub population: Option<&'a PopulationParams>,
    /// A change to the preset's buffer, applied once the crowd has borrowed.
    pub buffer: Option<&'a BufferParams>,
    /// The scenario's seed.
    pub seed: u64,
    /// The learner starts with the starting cash only, not the preset's basket of tokens
    /// (current rules only: under the 2026-11 rules the basket is always there, as it was).
    pub cash_only: bool,
}

fn in_range(p: Decimal) -> bool {
    (MIN_PRICE..=MAX_PRICE).contains(&p)
}

/// The engine configuration of a scenario; the message says what made it impossible.
pub fn setup(req: &SetupRequest<'_>) -> Result<EngineConfig, String> {
    let mut config = req.preset.config_for(req.rules);
    config.start_time = req.first_time.saturating_sub(1);
    let preset_prices: BTreeMap<AssetId, Decimal> = config
        .assets
        .iter()
        .map(|a| (a.id.clone(), a.initial_price))
        .collect();
    for (symbol, price) in req.first_prices {
        if !in_range(*price) {
            return Err(format!(
                "{} starts at {price}, outside the prices the engine accepts ({MIN_PRICE} to {})",
                symbol,
                fmt_num(MAX_PRICE, 0)
            ));
        }
    }
    let mut rescale: BTreeMap<AssetId, Decimal> = BTreeMap::new();
    for (symbol, price) in req.first_prices {
        match config.assets.iter_mut().find(|a| a.id.as_str() == symbol) {
            Some(asset) => {
                if !asset.initial_price.is_zero() && asset.initial_price != *price {
                    let f = asset.initial_price.checked_div(*price).ok_or_else(|| {
                        format!("{symbol} starts at {price}, too far from its preset price")
                    })?;
                    rescale.insert(asset.id.clone(), f);
                }
                asset.initial_price = *price;
            }
            None => config.assets.push(class_template(req, symbol, *price)),
        }
    }
    // Preset assets the feed does not move but that track one it does (staked ETH, wrapped BTC)
    // start at the preset's ratio to it, and follow it (see `market_prices`).
    let sources: Vec<(usize, AssetId)> = config
        .assets
        .iter()
        .enumerate()
        .filter_map(|(k, a)| peg_source(a, req.first_prices).map(|s| (k, s)))
        .collect();
    for (k, source) in sources {
        let (Some(target_was), Some(source_was)) = (
            preset_prices.get(&config.assets[k].id),
            preset_prices.get(&source),
        ) else {
            continue;
        };
        let Some(source_now) = req.first_prices.get(source.as_str()) else {
            continue;
        };
        if source_was.is_zero() {
            continue;
        }
        let price = target_was
            .checked_div(*source_was)
            .and_then(|r| r.checked_mul(*source_now))
            .map(|p| p.round_dp(10))
            .filter(|p| in_range(*p))
            .ok_or_else(|| {
                format!(
                    "{source} starts at {source_now}; {}, which follows it, would start outside \
                     the prices the engine accepts",
                    config.assets[k].id
                )
            })?;
        let f = target_was
            .checked_div(price)
            .ok_or_else(|| format!("{source} starts too far from its preset price"))?;
        rescale.insert(config.assets[k].id.clone(), f);
        config.assets[k].initial_price = price;
    }
    // The preset's starting balances were written at its own prices: keep their value, not their
    // quantity, when the feed starts elsewhere (10 ETH at 3,000 become 150 ETH at 200).
    for account in &mut config.initial_accounts {
        for command in &mut account.commands {
            rescale_amount(command, &rescale)?;
        }
    }
    switch_design(&mut config, req.design);
    if let Some(kind) = req.liquidation.clone() {
        config.liquidation = kind;
    }
    for asset in &mut config.assets {
        asset.oracle = match (&req.oracle, asset.class) {
            (Some(spec), class) if class != AssetClass::Stablecoin => spec.clone(),
            _ => system_oracle(req.preset, req.rules, asset.class),
        };
        reconcile_design(asset);
        // Scripted oracle outages (a T-bill oracle freeze) replace the asset's oracle model.
        if let Some(spec) = req.scripted_oracles.get(asset.id.as_str()) {
            asset.oracle = spec.clone();
        }
    }
    if let Some(p) = req.population {
        if req.rules == RulesVersion::V2026_11 {
            return Err("the 2026-11 rules have no crowd of borrowers".into());
        }
        config.population = Some(PopulationSpec {
            params: p.clone(),
            seed: req.seed,
        });
    }
    config.buffer = req.buffer.cloned();
    // The scenario's starting cash replaces the preset's paper money in the debt asset.
    let cash = req.starting_cash;
    let debt = config.debt_asset.clone();
    if !config
        .initial_accounts
        .iter()
        .any(|a| a.id == AccountId::USER)
    {
        config.initial_accounts.push(InitialAccount {
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
        if req.cash_only && req.rules != RulesVersion::V2026_11 {
            user.commands.retain(|c| !matches!(c, Command::Fund { .. }));
        }
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
    Ok(config)
}

fn class_template(req: &SetupRequest<'_>, symbol: &str, price: Decimal) -> AssetParams {
    match req.rules {
        RulesVersion::V2026_11 => super::rules_2026_11::class_template(
            symbol,
            price,
            req.preset == PresetId::PerpExchange,
        ),
        RulesVersion::V2026_12 => super::templates::class_template(req.preset, symbol, price),
    }
}

/// The oracle `preset` uses for an asset of `class` under `rules`.
pub fn system_oracle(preset: PresetId, rules: RulesVersion, class: AssetClass) -> OracleSpec {
    match rules {
        RulesVersion::V2026_11 => super::rules_2026_11::system_oracle(preset, class),
        RulesVersion::V2026_12 => super::templates::system_oracle(preset, class),
    }
}

/// Scales a starting balance by `factors` (checked: an absurd first price is an error, not a
/// panic, and a balance beyond what the engine holds is refused with its size).
fn rescale_amount(
    command: &mut Command,
    factors: &BTreeMap<AssetId, Decimal>,
) -> Result<(), String> {
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
        _ => return Ok(()),
    };
    if let Some(f) = factors.get(asset) {
        let scaled = amount
            .checked_mul(*f)
            .map(|x| x.round_dp(8))
            .filter(|x| *x <= MAX_AMOUNT && *x > Decimal::ZERO)
            .ok_or_else(|| {
                format!(
                    "at this first price, the preset's starting balance of {} {asset} would be \
                     {} {asset}, outside what an account can hold (above 0, at most 10^15)",
                    fmt_num(*amount, 8),
                    amount
                        .checked_mul(*f)
                        .map_or("more than 10^28".to_string(), |x| x.round_dp(8).to_string())
                )
            })?;
        *amount = scaled;
    }
    Ok(())
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
    match (design, command, vault) {
        (CollateralDesign::SingleCollateral, Deposit { asset, amount }, _) => VaultDeposit {
            collateral: asset.clone(),
            amount: *amount,
        },
        (CollateralDesign::SingleCollateral, Withdraw { asset, amount }, _) => VaultWithdraw {
            collateral: asset.clone(),
            amount: *amount,
        },
        (CollateralDesign::SingleCollateral, Borrow { amount, .. }, Some(v)) => VaultBorrow {
            collateral: v,
            amount: *amount,
        },
        (CollateralDesign::SingleCollateral, Repay { amount, .. }, Some(v)) => VaultRepay {
            collateral: v,
            amount: *amount,
        },
        (CollateralDesign::MultiCollateral, VaultDeposit { collateral, amount }, _) => Deposit {
            asset: collateral.clone(),
            amount: *amount,
        },
        (CollateralDesign::MultiCollateral, VaultWithdraw { collateral, amount }, _) => Withdraw {
            asset: collateral.clone(),
            amount: *amount,
        },
        (CollateralDesign::MultiCollateral, VaultBorrow { amount, .. }, _) => Borrow {
            asset: debt.clone(),
            amount: *amount,
        },
        (CollateralDesign::MultiCollateral, VaultRepay { amount, .. }, _) => Repay {
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
///   so the pooled variant liquidates partially (Aave-like), stability deposits are dropped and
///   trove rules (gas compensation, borrowing fee, recovery mode) no longer apply.
fn switch_design(config: &mut EngineConfig, design: CollateralDesign) {
    if config.design == design {
        return;
    }
    config.design = design;
    if design == CollateralDesign::SingleCollateral {
        if let LiquidationKind::MarginCall(_) = config.liquidation {
            // A broker's call works on a pooled account: a vault is sold whole (a Maker SCD-like
            // bite), and the credit tiers, which scale pooled collateral, are left out.
            config.liquidation = LiquidationKind::Full;
            for account in &mut config.initial_accounts {
                account
                    .commands
                    .retain(|c| !matches!(c, Command::JoinCreditTiers));
            }
        }
    }
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
        config.liquity = None;
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

/// Market prices of every engine asset at one tick: the feed's (`tick`, by symbol), the preset
/// price for assets the feed does not move, and tracked assets (staked ETH, wrapped BTC) moved
/// with what they track.
pub fn market_prices(
    config: &EngineConfig,
    tick: &BTreeMap<String, Decimal>,
) -> BTreeMap<AssetId, Decimal> {
    let mut prices: BTreeMap<AssetId, Decimal> = config
        .assets
        .iter()
        .map(|a| (a.id.clone(), a.initial_price))
        .collect();
    for (symbol, price) in tick {
        prices.insert(AssetId::new(symbol), *price);
    }
    for asset in &config.assets {
        let Some(source) = peg_source(asset, tick) else {
            continue;
        };
        let (Some(now), Some(start)) = (
            tick.get(source.as_str()),
            config.asset(&source).map(|a| a.initial_price),
        ) else {
            continue;
        };
        if !start.is_zero() {
            if let Some(p) = asset
                .initial_price
                .checked_mul(*now)
                .and_then(|x| x.checked_div(start))
            {
                prices.insert(asset.id.clone(), p.round_dp(10));
            }
        }
    }
    prices
}

/// [`market_prices`] at every tick of one feed without rebuilding the map: its keys (the
/// config's assets and the feed's symbols) and where each value comes from are the same at every
/// tick, so they are worked out once and only the values are refreshed. Playback prices every
/// tick, and building the map (an `AssetId` string per asset) was a measurable share of a tick.
/// Gives exactly what [`market_prices`] gives (`tests/engine_systems.rs` compares them).
#[derive(Clone, Debug)]
pub struct MarketPricer {
    prices: BTreeMap<AssetId, Decimal>,
    /// Where each entry of `prices` (in key order) comes from.
    sources: Vec<PriceSource>,
}

#[derive(Clone, Debug)]
enum PriceSource {
    /// A config asset the feed does not move: its initial price.
    Fixed,
    /// Column `k` of the feed.
    Feed(usize),
    /// A config asset tracking feed column `column` (see `peg_source`): `initial × now / start`,
    /// rounded to 10 places, or its initial price if that overflows.
    Peg {
        column: usize,
        initial: Decimal,
        start: Decimal,
    },
}

impl MarketPricer {
    /// The pricer of `config` on a feed whose columns are `symbols`.
    pub fn new(config: &EngineConfig, symbols: &[String]) -> Self {
        let column = |s: &str| symbols.iter().position(|x| x == s);
        // Which symbols the feed has is all `peg_source` looks at (the values do not matter).
        let present: BTreeMap<String, Decimal> =
            symbols.iter().map(|s| (s.clone(), Decimal::ZERO)).collect();
        let mut prices: BTreeMap<AssetId, Decimal> = config
            .assets
            .iter()
            .map(|a| (a.id.clone(), a.initial_price))
            .collect();
        for s in symbols {
            prices.insert(AssetId::new(s), Decimal::ZERO);
        }
        let sources = prices
            .keys()
            .map(|id| {
                if let Some(k) = column(id.as_str()) {
                    return PriceSource::Feed(k);
                }
                let Some(asset) = config.asset(id) else {
                    return PriceSource::Fixed;
                };
                let peg = peg_source(asset, &present).and_then(|source| {
                    let start = config.asset(&source)?.initial_price;
                    let column = column(source.as_str())?;
                    (!start.is_zero()).then_some(PriceSource::Peg {
                        column,
                        initial: asset.initial_price,
                        start,
                    })
                });
                peg.unwrap_or(PriceSource::Fixed)
            })
            .collect();
        Self { prices, sources }
    }

    /// The market prices of a tick whose feed prices are `column(k)` (`None` when a column has no
    /// price: past the end of the feed).
    pub fn prices(
        &mut self,
        column: impl Fn(usize) -> Option<Decimal>,
    ) -> Option<&BTreeMap<AssetId, Decimal>> {
        for (value, source) in self.prices.values_mut().zip(&self.sources) {
            match source {
                PriceSource::Fixed => {}
                PriceSource::Feed(k) => *value = column(*k)?,
                PriceSource::Peg {
                    column: k,
                    initial,
                    start,
                } => {
                    let now = column(*k)?;
                    *value = initial
                        .checked_mul(now)
                        .and_then(|x| x.checked_div(*start))
                        .map_or(*initial, |p| p.round_dp(10));
                }
            }
        }
        Some(&self.prices)
    }
}

/// The feed asset a preset asset tracks when the feed does not price it: staked ETH follows ETH,
/// wrapped BTC follows BTC (and the reverse). Margin Lab's simplification: no staking yield or
/// depeg of the wrapper unless the feed prices the asset itself.
pub fn peg_source(asset: &AssetParams, feed: &BTreeMap<String, Decimal>) -> Option<AssetId> {
    if feed.contains_key(asset.id.as_str()) {
        return None;
    }
    let candidates: &[&str] = match asset.class {
        AssetClass::StakedEth => &["ETH"],
        AssetClass::WrappedBtc => &["BTC", "WBTC"],
        _ => &[],
    };
    candidates
        .iter()
        .find(|c| feed.contains_key(**c))
        .map(|c| AssetId::new(c))
}
