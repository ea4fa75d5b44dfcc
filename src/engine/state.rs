//! The engine's shared state apart from accounts: per-asset market, oracle, pool and perp state,
//! and the system ledger (reserves, insurance fund, counterparty pool, bad debt, liquidator proceeds).

use super::error::EngineError;
use super::ids::AssetId;
use super::oracle::Oracle;
use super::params::asset::AssetParams;
use super::params::config::EngineConfig;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Dynamic state of one asset.
#[derive(Clone, Debug, PartialEq)]
pub struct AssetState {
    pub oracle: Oracle,
    /// Last market price received from the feed.
    pub feed_price: Decimal,
    /// Market price after liquidation impact: `feed_price × (1 − impact)`.
    pub market_price: Decimal,
    /// The oracle price the engine values with.
    pub price: Decimal,
    pub updated_at: i64,
    pub stale: bool,
    /// Accumulated price impact of liquidation sales, a fraction in `[0, 0.99]`.
    pub impact: Decimal,
    /// Lending pool (multi-collateral).
    pub supply_index: Decimal,
    pub borrow_index: Decimal,
    pub total_supply_scaled: Decimal,
    pub total_debt_scaled: Decimal,
    /// Tokens held by the pool (deposits not lent out).
    pub cash: Decimal,
    pub borrow_rate: Decimal,
    pub supply_rate: Decimal,
    /// Vaults backed by this collateral (single-collateral): stability-fee index and totals.
    pub fee_index: Decimal,
    pub vault_debt_scaled: Decimal,
    pub vault_collateral: Decimal,
    /// Perps: cumulative funding per unit of size (quote) and open interest (units).
    pub funding_cumulative: Decimal,
    pub funding_rate: Decimal,
    pub open_interest_long: Decimal,
    pub open_interest_short: Decimal,
    /// Aave isolation mode: debt borrowed against this isolated collateral, over every borrower
    /// (counted against its debt ceiling; in the borrowed asset's units).
    pub isolation_debt: Decimal,
    /// Liquity's lazy redistribution (`TroveManager` L_ETH / L_LUSDDebt): collateral and debt
    /// redistributed per unit of stake so far, the stakes of every trove of this collateral, and
    /// how many troves have a stake.
    pub redistributed_collateral_per_stake: Decimal,
    pub redistributed_debt_per_stake: Decimal,
    pub total_stakes: Decimal,
    pub stakers: u64,
    /// Where the asset's parameters sit in `EngineConfig::assets` (the health check finds them
    /// here instead of scanning the list; see [`EngineConfig::asset_at`]).
    pub params: usize,
}

impl AssetState {
    /// The state of `params`, the `index`-th asset of the configuration, at `start`.
    pub fn new(params: &AssetParams, index: usize, start: i64) -> Self {
        Self {
            oracle: Oracle::new(params.oracle.clone()),
            feed_price: params.initial_price,
            market_price: params.initial_price,
            price: params.initial_price,
            updated_at: start,
            stale: false,
            impact: Decimal::ZERO,
            supply_index: Decimal::ONE,
            borrow_index: Decimal::ONE,
            total_supply_scaled: Decimal::ZERO,
            total_debt_scaled: Decimal::ZERO,
            cash: Decimal::ZERO,
            borrow_rate: Decimal::ZERO,
            supply_rate: Decimal::ZERO,
            fee_index: Decimal::ONE,
            vault_debt_scaled: Decimal::ZERO,
            vault_collateral: Decimal::ZERO,
            funding_cumulative: Decimal::ZERO,
            funding_rate: Decimal::ZERO,
            open_interest_long: Decimal::ZERO,
            open_interest_short: Decimal::ZERO,
            isolation_debt: Decimal::ZERO,
            redistributed_collateral_per_stake: Decimal::ZERO,
            redistributed_debt_per_stake: Decimal::ZERO,
            total_stakes: Decimal::ZERO,
            stakers: 0,
            params: index,
        }
    }

    pub fn total_supply(&self) -> Decimal {
        self.total_supply_scaled.saturating_mul(self.supply_index)
    }
    pub fn total_borrows(&self) -> Decimal {
        self.total_debt_scaled.saturating_mul(self.borrow_index)
    }
}

/// The Liquity-style stability pool: `total` deposits of the debt asset; a deposit made at product
/// `p0` is now worth `amount0 × p / p0`, and has gained `amount0 × (s − s0) / p0` of each collateral.
#[derive(Clone, Debug, PartialEq)]
pub struct StabilityPool {
    pub total: Decimal,
    pub p: Decimal,
    pub s: BTreeMap<AssetId, Decimal>,
    /// Collateral held for depositors (their gains not yet withdrawn).
    pub collateral: BTreeMap<AssetId, Decimal>,
}

/// System-wide balances.
#[derive(Clone, Debug, PartialEq)]
pub struct Ledger {
    /// Protocol reserves (interest share, penalties, stability fees) per asset.
    pub reserves: BTreeMap<AssetId, Decimal>,
    /// Perps insurance fund (settlement asset).
    pub insurance_fund: Decimal,
    /// Perps counterparty pool (settlement asset): takes the other side of every trade.
    pub counterparty_pool: Decimal,
    /// Bad debt recorded per asset (never netted away).
    pub bad_debt: BTreeMap<AssetId, Decimal>,
    /// Net tokens liquidators received (collateral, positive) and paid (debt repaid, negative).
    pub liquidators: BTreeMap<AssetId, Decimal>,
    /// Paper money created with `Fund` and the initial system balances, per asset.
    pub minted: BTreeMap<AssetId, Decimal>,
    pub stability: StabilityPool,
    /// Liquity: gas compensation set aside for future liquidators (debt asset).
    pub gas_pool: Decimal,
}

/// A running auction.
#[derive(Clone, Debug, PartialEq)]
pub struct Auction {
    pub id: u64,
    pub owner: super::ids::AccountId,
    pub collateral: AssetId,
    /// Collateral left to sell.
    pub lot: Decimal,
    /// Debt-asset amount still to raise (debt + penalty).
    pub tab: Decimal,
    /// Part of the tab that is debt (the rest is penalty).
    pub debt: Decimal,
    pub top: Decimal,
    pub started_at: i64,
}

/// Everything but the accounts.
#[derive(Clone, Debug, PartialEq)]
pub struct World {
    pub assets: BTreeMap<AssetId, AssetState>,
    /// Running Dutch auctions by id.
    pub auctions: BTreeMap<u64, Auction>,
    pub next_auction_id: u64,
    pub ledger: Ledger,
    pub now: i64,
    /// Liquity: whether the system is in recovery mode (total collateral ratio below critical).
    pub recovery_mode: bool,
    /// Set when a liquidation redistributed debt lazily: every trove's health moved, so the step
    /// re-checks them all.
    pub redistributed: bool,
    /// Open margin calls and credit-tier members (`engine::risk`); empty under the 2026-11 rules.
    pub risk: super::risk::RiskState,
}

impl World {
    pub fn new(cfg: &EngineConfig) -> Self {
        let mut assets = BTreeMap::new();
        for (i, p) in cfg.assets.iter().enumerate() {
            assets.insert(p.id.clone(), AssetState::new(p, i, cfg.start_time));
        }
        let mut minted = BTreeMap::new();
        let system = cfg.insurance_fund + cfg.counterparty_pool;
        if !system.is_zero() {
            minted.insert(cfg.debt_asset.clone(), system);
        }
        Self {
            assets,
            auctions: BTreeMap::new(),
            next_auction_id: 0,
            ledger: Ledger {
                reserves: BTreeMap::new(),
                insurance_fund: cfg.insurance_fund,
                counterparty_pool: cfg.counterparty_pool,
                bad_debt: BTreeMap::new(),
                liquidators: BTreeMap::new(),
                minted,
                stability: StabilityPool {
                    total: Decimal::ZERO,
                    p: Decimal::ONE,
                    s: BTreeMap::new(),
                    collateral: BTreeMap::new(),
                },
                gas_pool: Decimal::ZERO,
            },
            now: cfg.start_time,
            recovery_mode: false,
            redistributed: false,
            risk: super::risk::RiskState::default(),
        }
    }

    pub fn asset(&self, id: &AssetId) -> Result<&AssetState, EngineError> {
        self.assets
            .get(id)
            .ok_or_else(|| EngineError::UnknownAsset(id.clone()))
    }
    pub fn asset_mut(&mut self, id: &AssetId) -> Result<&mut AssetState, EngineError> {
        self.assets
            .get_mut(id)
            .ok_or_else(|| EngineError::UnknownAsset(id.clone()))
    }
    /// The oracle price (zero for an unknown asset, which validation rules out earlier).
    pub fn price(&self, id: &AssetId) -> Decimal {
        self.assets.get(id).map(|a| a.price).unwrap_or_default()
    }
}
