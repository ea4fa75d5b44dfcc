//! The serializable scenario an [`Engine`](super::Engine) is built from.

use super::asset::AssetParams;
use super::auction::AuctionParams;
use super::preset::{PresetId, RulesVersion};
use crate::engine::command::Command;
use crate::engine::ids::{AccountId, AssetId};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Which collateral design the scenario uses (switchable per scenario).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CollateralDesign {
    /// Maker SCD/MCD, Liquity v1: one collateral and one debt per vault; collateral ratio per vault.
    SingleCollateral,
    /// Aave v3, Compound III: pooled collateral, health factor from weighted liquidation thresholds.
    MultiCollateral,
}

impl fmt::Display for CollateralDesign {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SingleCollateral => f.write_str("single-collateral vaults"),
            Self::MultiCollateral => f.write_str("a multi-collateral account"),
        }
    }
}

/// The liquidation mechanism for lending accounts and vaults. Perpetual positions are always
/// liquidated on mark price with the insurance fund and auto-deleveraging (`liquidation/perp.rs`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LiquidationKind {
    /// Aave v3: close factor 50%, 100% below HF 0.95; liquidator earns the collateral's bonus.
    Partial,
    /// Compound III absorb / Maker SCD bite: all debt closed at once; penalty to the protocol.
    Full,
    /// Liquity v1: the stability pool absorbs the debt and receives the collateral; what it cannot
    /// absorb is redistributed to the other vaults of the same collateral.
    StabilityPool,
    /// Maker Liquidations 2.0: the vault's collateral is sold by a Dutch auction whose price starts
    /// above the oracle price and decays; single-collateral vaults only.
    DutchAuction(AuctionParams),
    /// A broker's margin call (added with the 2026-12 rules): below maintenance the account gets a
    /// call with a deadline; it is sold only after the deadline or below a hard floor
    /// (`liquidation/margin_call.rs`); multi-collateral accounts only.
    MarginCall(super::margin_call::MarginCallParams),
}

/// An account created when the engine starts, followed by commands applied to it (funding,
/// deposits, ...). A command that is rejected makes [`Engine::new`](super::Engine::new) fail.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InitialAccount {
    pub id: AccountId,
    pub label: String,
    pub commands: Vec<Command>,
}

/// How a partial liquidation sizes the debt a liquidator may repay.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CloseFactorRule {
    /// The 2026-11 rules: `close_factor` of the largest debt, all of it when the health factor is
    /// strictly below `full_close_below_hf`.
    Legacy,
    /// Aave v3.3 (aave-v3-origin `LiquidationLogic.sol` L56, L64, L262-320): all of the debt may be
    /// repaid when the collateral reserve or the debt reserve is worth less than
    /// `min_base_max_close_factor_threshold` ($2,000) or the health factor is at or below
    /// `full_close_below_hf` (0.95, inclusive); otherwise `close_factor` (50%) of the **total**
    /// debt value, capped at that reserve's debt. A liquidation must clear the reserve's debt or
    /// its collateral, or leave at least `min_leftover_base` ($1,000) of each (`MustNotLeaveDust`).
    AaveV33 {
        min_base_max_close_factor_threshold: Decimal,
        min_leftover_base: Decimal,
    },
}

/// What a withdrawal of pooled collateral must preserve.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum WithdrawRule {
    /// Debt stays within the borrow limit (Σ value × LTV): Compound III (`isBorrowCollateralized`
    /// L524) and the 2026-11 rules for every preset.
    BorrowLimit,
    /// The health factor after it stays at or above 1 (an LT test): Aave v3
    /// (`ValidationLogic.validateHFAndLtv` L547-591).
    HealthFactor,
}

/// How an interest index grows over a step of `dt` seconds at annual rate `r` (`x = r × dt / year`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Compounding {
    /// `× (1 + x)`: the 2026-11 rules.
    Linear,
    /// Per-second compounding, approximated by its first three binomial terms
    /// `× (1 + x + x²/2 + x³/6)` as Aave's `MathUtils.calculateCompoundedInterest` (L50-85) does;
    /// used for Maker's per-second `jug.drip` too (exact to ~1e-9 over an hour at 100% a year).
    Binomial,
}

/// Compound III's store front (`Comet.buyCollateral` L1250, `quoteCollateral` L1274-1284):
/// collateral the protocol absorbed is sold to buyers at
/// `price × (1 − store_front_price_factor × (1 − liquidation_factor))` while the protocol's
/// reserves are below `target_reserves`; above the target the protocol keeps the collateral.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreFront {
    pub store_front_price_factor: Decimal,
    pub target_reserves: Decimal,
}

/// Liquity v1's trove rules (`LiquityBase.sol`, `TroveManager.sol`, `BorrowerOperations.sol`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiquityRules {
    /// Added to every trove's debt at opening and paid to the liquidator (200 LUSD, L28).
    pub gas_compensation: Decimal,
    /// Share of the collateral paid to the liquidator (0.5%, L34).
    pub collateral_gas_share: Decimal,
    /// One-off fee on borrowed LUSD, added to the debt (the 0.5% floor).
    pub borrowing_fee: Decimal,
    /// Smallest net debt (excluding gas compensation) a trove may have (1,800 LUSD, L31).
    pub min_net_debt: Decimal,
    /// Critical collateral ratio (150%, L25): below it the system is in recovery mode.
    pub critical_ratio: Decimal,
}

/// An Aave e-mode category: correlated assets that, used as collateral and debt together, get a
/// higher LTV / liquidation threshold and a smaller bonus (e.g. ETH-correlated 93% / 95% / 1%).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EModeCategory {
    pub id: u8,
    pub label: String,
    pub ltv: Decimal,
    pub liquidation_threshold: Decimal,
    pub liquidation_bonus: Decimal,
}

/// A scenario: design, preset, assets, mechanism and starting accounts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EngineConfig {
    pub name: String,
    pub preset: PresetId,
    /// The version of Margin Lab's rules that built this configuration.
    pub rules: RulesVersion,
    pub design: CollateralDesign,
    pub assets: Vec<AssetParams>,
    /// The borrowed / minted asset of vaults (DAI, LUSD) and the settlement asset of perps (USDC).
    pub debt_asset: AssetId,
    pub liquidation: LiquidationKind,
    /// Partial liquidation: share of a debt a liquidator may repay per call (Aave v3: 0.5).
    pub close_factor: Decimal,
    /// Partial liquidation: at (v3.3) or below (earlier) this health factor the whole debt may be
    /// repaid (Aave v3: 0.95).
    pub full_close_below_hf: Decimal,
    pub close_factor_rule: CloseFactorRule,
    pub withdraw_rule: WithdrawRule,
    pub compounding: Compounding,
    pub store_front: Option<StoreFront>,
    pub liquity: Option<LiquityRules>,
    pub emode_categories: Vec<EModeCategory>,
    /// A crowd of borrowers created when the engine starts (`engine::population`).
    pub population: Option<crate::engine::population::PopulationSpec>,
    /// A change to the preset's buffer applied once the crowd has borrowed.
    pub buffer: Option<crate::engine::population::BufferParams>,
    /// Perps: insurance fund at start (settlement asset).
    pub insurance_fund: Decimal,
    /// Perps: liquidity of the counterparty pool that takes the other side of trades (settlement asset).
    pub counterparty_pool: Decimal,
    /// Perps: whether auto-deleveraging runs when the insurance fund is empty.
    pub auto_deleveraging: bool,
    /// Fraction of the accumulated liquidation price impact that fades each step (0..=1).
    pub impact_recovery: Decimal,
    /// Seconds; steps must come strictly after it.
    pub start_time: i64,
    pub initial_accounts: Vec<InitialAccount>,
}

impl EngineConfig {
    pub fn asset(&self, id: &AssetId) -> Option<&AssetParams> {
        self.assets.iter().find(|a| &a.id == id)
    }

    /// The parameters of `id`, looked for first at `index` (where the world's state of the asset
    /// says they are), then by scanning.
    pub fn asset_at(&self, index: usize, id: &AssetId) -> Option<&AssetParams> {
        match self.assets.get(index) {
            Some(p) if &p.id == id => Some(p),
            _ => self.asset(id),
        }
    }

    /// The e-mode category `id`.
    pub fn emode(&self, id: u8) -> Option<&EModeCategory> {
        self.emode_categories.iter().find(|c| c.id == id)
    }
}
