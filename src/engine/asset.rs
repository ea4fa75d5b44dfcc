//! Assets and their per-asset risk parameters.
//!
//! Collateral is valued at the **oracle** price (never the market price) after the asset's
//! **haircut**: `value = amount × oracle_price × (1 − haircut)`. Margin Lab applies the haircut on top
//! of LTV / liquidation threshold (Aave folds it into those two; Reg T style desks apply haircuts by
//! asset class), so a preset that imitates Aave sets the haircut to 0.

use super::ids::AssetId;
use super::rate::RateModel;
use crate::feed::oracle::OracleSpec;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// What kind of asset it is; drives default haircuts and how the UI explains the risk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AssetClass {
    Stablecoin,
    TokenizedTBill,
    TokenizedEquity,
    WrappedBtc,
    StakedEth,
    VolatileAlt,
}

/// One rung of a tiered maintenance-margin table: positions whose notional is at most `up_to`
/// (or any size when `None`) need `maintenance_rate × notional` (Binance/Bybit style risk limits).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarginTier {
    #[serde(with = "rust_decimal::serde::str_option")]
    pub up_to: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str")]
    pub maintenance_rate: Decimal,
}

/// Perpetual-futures parameters for an asset that can be traded with leverage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PerpParams {
    #[serde(with = "rust_decimal::serde::str")]
    pub max_leverage: Decimal,
    /// Ascending by `up_to`; the last tier should have `up_to: None`.
    pub tiers: Vec<MarginTier>,
    /// Fee on the notional closed by a liquidation, paid to the insurance fund from what margin is left.
    #[serde(with = "rust_decimal::serde::str")]
    pub liquidation_fee: Decimal,
    /// Funding interval in seconds (8 hours on most exchanges).
    pub funding_interval_secs: i64,
    /// Funding per interval per unit of open-interest skew `(long − short) / (long + short)`.
    #[serde(with = "rust_decimal::serde::str")]
    pub funding_skew_coefficient: Decimal,
    /// Cap on the absolute funding rate per interval.
    #[serde(with = "rust_decimal::serde::str")]
    pub funding_cap: Decimal,
}

/// Per-asset parameters. Fractions are decimals (`0.8` = 80%).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetParams {
    pub id: AssetId,
    pub class: AssetClass,
    /// Token decimals (display and rounding of amounts shown to the learner).
    pub decimals: u32,
    /// Price source: the oracle model that turns market prices into the price the engine uses.
    pub oracle: OracleSpec,
    /// Market (and oracle) price before the first step.
    #[serde(with = "rust_decimal::serde::str")]
    pub initial_price: Decimal,
    /// Loan-to-value: borrowing power per unit of (haircut) collateral value.
    #[serde(with = "rust_decimal::serde::str")]
    pub ltv: Decimal,
    /// Liquidation threshold LT (> LTV): weight of the collateral in the health factor.
    #[serde(with = "rust_decimal::serde::str")]
    pub liquidation_threshold: Decimal,
    /// Bonus a liquidator receives on collateral seized (partial liquidation), e.g. 0.05.
    #[serde(with = "rust_decimal::serde::str")]
    pub liquidation_bonus: Decimal,
    /// Penalty charged when the whole position is liquidated (full liquidation, vaults), e.g. 0.13.
    #[serde(with = "rust_decimal::serde::str")]
    pub liquidation_penalty: Decimal,
    /// Valuation haircut applied before LTV/LT.
    #[serde(with = "rust_decimal::serde::str")]
    pub haircut: Decimal,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub supply_cap: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub borrow_cap: Option<Decimal>,
    /// Whether it can be borrowed from the lending pool (multi-collateral design).
    pub borrowable: bool,
    /// Interest model when borrowed.
    pub rate: RateModel,
    /// Share of interest kept as protocol reserves.
    #[serde(with = "rust_decimal::serde::str")]
    pub reserve_factor: Decimal,
    /// Single-collateral vaults: minimum collateral ratio (Maker ETH-A 1.5, Liquity 1.1).
    #[serde(with = "rust_decimal::serde::str")]
    pub liquidation_ratio: Decimal,
    /// Single-collateral vaults: annual stability fee on debt backed by this collateral.
    #[serde(with = "rust_decimal::serde::str")]
    pub stability_fee: Decimal,
    /// Market depth (quote value) for the liquidation slippage model; `None` = infinitely deep.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub market_depth: Option<Decimal>,
    /// Present when the asset can be traded as a perpetual.
    pub perp: Option<PerpParams>,
}

impl AssetParams {
    /// Maintenance margin rate for a position of this notional (tiered).
    pub fn maintenance_rate(&self, notional: Decimal) -> Decimal {
        let Some(perp) = &self.perp else {
            return Decimal::ZERO;
        };
        for tier in &perp.tiers {
            match tier.up_to {
                Some(limit) if notional <= limit => return tier.maintenance_rate,
                None => return tier.maintenance_rate,
                _ => {}
            }
        }
        perp.tiers
            .last()
            .map(|t| t.maintenance_rate)
            .unwrap_or(Decimal::ZERO)
    }
}
