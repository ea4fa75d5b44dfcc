//! Assets and their per-asset risk parameters.
//!
//! Collateral is valued at the **oracle** price (never the market price) after the asset's
//! **haircut**: `value = amount × oracle_price × (1 − haircut)`. Margin Lab applies the haircut on top
//! of LTV / liquidation threshold (Aave folds it into those two; Reg T style desks apply haircuts by
//! asset class), so a preset that imitates Aave sets the haircut to 0.

use super::rate::RateModel;
use crate::engine::ids::AssetId;
use crate::engine::oracle::OracleSpec;
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

/// One rung of a tiered maintenance-margin table (Binance/Bybit risk limits): positions whose
/// notional is at most `up_to` (or any size when `None`) need
/// `notional × maintenance_rate − maintenance_amount`; the amounts make the requirement continuous
/// across tiers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarginTier {
    pub up_to: Option<Decimal>,
    pub maintenance_rate: Decimal,
    /// Binance's "maintenance amount" (cum), in the settlement asset; 0 under the 2026-11 rules.
    pub maintenance_amount: Decimal,
    /// Most leverage a position in this tier may take (`None`: the market's maximum).
    pub max_leverage: Option<Decimal>,
}

/// How funding is set each interval.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FundingModel {
    /// GMX / Synthetix style (and the 2026-11 rules): `premium + coefficient × skew`, where skew is
    /// `(long − short) / (long + short)` open interest; capped at `funding_cap`.
    Skew { coefficient: Decimal },
    /// Binance USDⓈ-M (DOMAIN.md): `premium + clamp(interest − premium, ±clamp)`, capped at
    /// `funding_cap`; with no premium longs pay `interest` (0.01% per 8 h).
    Binance { interest: Decimal, clamp: Decimal },
}

/// Perpetual-futures parameters for an asset that can be traded with leverage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PerpParams {
    pub max_leverage: Decimal,
    /// Ascending by `up_to`; the last tier should have `up_to: None`.
    pub tiers: Vec<MarginTier>,
    /// Fee on the notional closed by a liquidation, paid to the insurance fund from what margin is left.
    pub liquidation_fee: Decimal,
    /// Funding interval in seconds (8 hours on most exchanges).
    pub funding_interval_secs: i64,
    pub funding: FundingModel,
    /// Cap on the absolute funding rate per interval.
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
    pub initial_price: Decimal,
    /// Loan-to-value: borrowing power per unit of (haircut) collateral value.
    pub ltv: Decimal,
    /// Liquidation threshold LT (> LTV): weight of the collateral in the health factor.
    pub liquidation_threshold: Decimal,
    /// Bonus a liquidator receives on collateral seized (partial liquidation), e.g. 0.05.
    pub liquidation_bonus: Decimal,
    /// Penalty charged when the whole position is liquidated (full liquidation, vaults), e.g. 0.13.
    pub liquidation_penalty: Decimal,
    /// Valuation haircut applied before LTV/LT.
    pub haircut: Decimal,
    pub supply_cap: Option<Decimal>,
    pub borrow_cap: Option<Decimal>,
    /// Whether it can be borrowed from the lending pool (multi-collateral design).
    pub borrowable: bool,
    /// Interest model when borrowed.
    pub rate: RateModel,
    /// Share of interest kept as protocol reserves.
    pub reserve_factor: Decimal,
    /// Single-collateral vaults: minimum collateral ratio (Maker ETH-A 1.5, Liquity 1.1).
    pub liquidation_ratio: Decimal,
    /// Single-collateral vaults: annual stability fee on debt backed by this collateral.
    pub stability_fee: Decimal,
    /// Market depth (quote value) for the liquidation slippage model; `None` = infinitely deep.
    pub market_depth: Option<Decimal>,
    /// Present when the asset can be traded as a perpetual.
    pub perp: Option<PerpParams>,
    /// Aave liquidation protocol fee: the share of the liquidation bonus that goes to the treasury
    /// rather than the liquidator (origin `LiquidationLogic.sol` L509-521); 0 under 2026-11 rules.
    pub liquidation_protocol_fee: Decimal,
    /// Aave isolation mode: when set, the asset is an isolated collateral that can back at most
    /// this much debt in total (over every borrower), and only of assets borrowable in isolation.
    pub debt_ceiling: Option<Decimal>,
    /// Aave isolation mode: whether a borrower in isolation mode may borrow this asset.
    pub borrowable_in_isolation: bool,
    /// Aave e-mode: the category the asset belongs to, if any.
    pub emode_category: Option<u8>,
}

impl AssetParams {
    /// The tier of a position of this notional.
    pub fn margin_tier(&self, notional: Decimal) -> Option<&MarginTier> {
        let perp = self.perp.as_ref()?;
        perp.tiers
            .iter()
            .find(|t| t.up_to.is_none_or(|limit| notional <= limit))
            .or(perp.tiers.last())
    }

    /// Maintenance margin rate for a position of this notional (tiered).
    pub fn maintenance_rate(&self, notional: Decimal) -> Decimal {
        self.margin_tier(notional)
            .map(|t| t.maintenance_rate)
            .unwrap_or(Decimal::ZERO)
    }

    /// Maintenance margin `notional × rate − amount` of the notional's tier (never below zero).
    pub fn maintenance_margin(&self, notional: Decimal) -> Option<Decimal> {
        let Some(t) = self.margin_tier(notional) else {
            return Some(Decimal::ZERO);
        };
        let mm = notional
            .checked_mul(t.maintenance_rate)?
            .checked_sub(t.maintenance_amount)?;
        Some(mm.max(Decimal::ZERO))
    }
}
