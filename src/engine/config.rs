//! The serializable scenario an [`Engine`](super::Engine) is built from.

use super::asset::AssetParams;
use super::command::Command;
use super::ids::{AccountId, AssetId};
use super::preset::PresetId;
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
    DutchAuction(super::liquidation::dutch_auction::AuctionParams),
}

/// An account created when the engine starts, followed by commands applied to it (funding,
/// deposits, ...). A command that is rejected makes [`Engine::new`](super::Engine::new) fail.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InitialAccount {
    pub id: AccountId,
    pub label: String,
    pub commands: Vec<Command>,
}

/// A scenario: design, preset, assets, mechanism and starting accounts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EngineConfig {
    pub name: String,
    pub preset: PresetId,
    pub design: CollateralDesign,
    pub assets: Vec<AssetParams>,
    /// The borrowed / minted asset of vaults (DAI, LUSD) and the settlement asset of perps (USDC).
    pub debt_asset: AssetId,
    pub liquidation: LiquidationKind,
    /// Partial liquidation: share of a debt a liquidator may repay per call (Aave v3: 0.5).
    #[serde(with = "rust_decimal::serde::str")]
    pub close_factor: Decimal,
    /// Partial liquidation: below this health factor the whole debt may be repaid (Aave v3: 0.95).
    #[serde(with = "rust_decimal::serde::str")]
    pub full_close_below_hf: Decimal,
    /// Perps: insurance fund at start (settlement asset).
    #[serde(with = "rust_decimal::serde::str")]
    pub insurance_fund: Decimal,
    /// Perps: liquidity of the counterparty pool that takes the other side of trades (settlement asset).
    #[serde(with = "rust_decimal::serde::str")]
    pub counterparty_pool: Decimal,
    /// Perps: whether auto-deleveraging runs when the insurance fund is empty.
    pub auto_deleveraging: bool,
    /// Fraction of the accumulated liquidation price impact that fades each step (0..=1).
    #[serde(with = "rust_decimal::serde::str")]
    pub impact_recovery: Decimal,
    /// Seconds; steps must come strictly after it.
    pub start_time: i64,
    pub initial_accounts: Vec<InitialAccount>,
}

impl EngineConfig {
    pub fn asset(&self, id: &AssetId) -> Option<&AssetParams> {
        self.assets.iter().find(|a| &a.id == id)
    }
}
