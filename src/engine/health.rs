//! Valuation of multi-collateral accounts and single-collateral vaults at oracle prices.
//!
//! - Health factor (Aave v3): `HF = Σ collateral_i × price_i × (1 − haircut_i) × LT_i / Σ debt_j × price_j`;
//!   liquidatable when `HF < 1`; `None` when there is no debt.
//! - Borrow limit: `Σ collateral_i × price_i × (1 − haircut_i) × LTV_i`; a borrow or withdrawal must keep
//!   the debt value at or below it.
//! - Vault collateral ratio (Maker / Liquity): `CR = collateral × price / (debt × debt_price)`;
//!   liquidatable when `CR < liquidation ratio`. Vaults use no haircut (the ratio is the buffer).
//! - Vault liquidation price: `debt × debt_price × liquidation_ratio / collateral`.
//! - Aave e-mode: an account in a category values the category's assets with the category's
//!   LTV / LT (e.g. ETH-correlated 93% / 95%). Aave isolation mode: supplied assets that are not
//!   collateral (`Account::collateral_off`) count for nothing.
//! - Liquity recovery mode: a trove is liquidatable below the total collateral ratio as well
//!   ([`vault_liquidatable`]).

use super::account::{Account, Vault};
use super::error::EngineError;
use super::ids::AssetId;
use super::num::{add, div, mul};
use super::params::config::EngineConfig;
use super::state::World;
use rust_decimal::Decimal;

/// A multi-collateral account valued at oracle prices (quote currency).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LendingView {
    /// `Σ amount × price × (1 − haircut)`.
    pub collateral_value: Decimal,
    /// `Σ amount × price × (1 − haircut) × LT`.
    pub weighted_collateral: Decimal,
    /// `Σ amount × price × (1 − haircut) × LTV`.
    pub borrow_limit: Decimal,
    pub debt_value: Decimal,
}

impl LendingView {
    pub fn health_factor(&self) -> Option<Decimal> {
        if self.debt_value <= Decimal::ZERO {
            None
        } else {
            self.weighted_collateral.checked_div(self.debt_value)
        }
    }
    pub fn liquidatable(&self) -> bool {
        self.debt_value > Decimal::ZERO && self.weighted_collateral < self.debt_value
    }
}

pub fn collateral_amount(w: &World, acc: &Account, asset: &AssetId) -> Decimal {
    let scaled = acc
        .collateral_scaled
        .get(asset)
        .copied()
        .unwrap_or_default();
    w.assets
        .get(asset)
        .map(|a| scaled.saturating_mul(a.supply_index))
        .unwrap_or_default()
}

pub fn debt_amount(w: &World, acc: &Account, asset: &AssetId) -> Decimal {
    let scaled = acc.debt_scaled.get(asset).copied().unwrap_or_default();
    w.assets
        .get(asset)
        .map(|a| scaled.saturating_mul(a.borrow_index))
        .unwrap_or_default()
}

/// One collateral of a multi-collateral account and what it contributes (the collateral panel).
/// `value = amount × oracle price × (1 − haircut)`; `borrowing_power = value × LTV`;
/// `weighted = value × LT` (its share of the health factor's numerator).
#[derive(Clone, Debug, PartialEq)]
pub struct CollateralLine {
    pub asset: AssetId,
    pub amount: Decimal,
    pub price: Decimal,
    pub haircut: Decimal,
    pub ltv: Decimal,
    pub liquidation_threshold: Decimal,
    pub value: Decimal,
    pub borrowing_power: Decimal,
    pub weighted: Decimal,
}

/// What one collateral of `acc` is worth and contributes (see [`CollateralLine`]).
pub fn collateral_line(
    cfg: &EngineConfig,
    w: &World,
    acc: &Account,
    asset: &AssetId,
) -> Result<CollateralLine, EngineError> {
    let p = cfg
        .asset(asset)
        .ok_or_else(|| EngineError::UnknownAsset(asset.clone()))?;
    let amount = collateral_amount(w, acc, asset);
    let price = w.price(asset);
    let value = mul(mul(amount, price)?, Decimal::ONE - p.haircut)?;
    let (ltv, lt) = collateral_factors(cfg, acc, p);
    Ok(CollateralLine {
        asset: asset.clone(),
        amount,
        price,
        haircut: p.haircut,
        ltv,
        liquidation_threshold: lt,
        value,
        borrowing_power: mul(value, ltv)?,
        weighted: mul(value, lt)?,
    })
}

/// The LTV and liquidation threshold `acc` gets on collateral `p`: the e-mode category's when
/// the account uses the asset's category, zero for supply that is not collateral.
pub fn collateral_factors(
    cfg: &EngineConfig,
    acc: &Account,
    p: &super::params::AssetParams,
) -> (Decimal, Decimal) {
    if acc.collateral_off.contains(&p.id) {
        return (Decimal::ZERO, Decimal::ZERO);
    }
    let (ltv, lt) = match (acc.emode, p.emode_category) {
        (Some(mine), Some(theirs)) if mine == theirs => match cfg.emode(mine) {
            Some(c) => (c.ltv, c.liquidation_threshold),
            None => (p.ltv, p.liquidation_threshold),
        },
        _ => (p.ltv, p.liquidation_threshold),
    };
    // Margin Lab's credit tiers scale what the account must keep (`risk::credit`).
    super::risk::credit::tiered(cfg, acc, ltv, lt)
}

/// The liquidation bonus a liquidator earns seizing collateral `p` of `acc` (the e-mode
/// category's when the account uses the asset's category).
pub fn liquidation_bonus(
    cfg: &EngineConfig,
    acc: &Account,
    p: &super::params::AssetParams,
) -> Decimal {
    match (acc.emode, p.emode_category) {
        (Some(mine), Some(theirs)) if mine == theirs => cfg
            .emode(mine)
            .map_or(p.liquidation_bonus, |c| c.liquidation_bonus),
        _ => p.liquidation_bonus,
    }
}

pub fn lending_view(
    cfg: &EngineConfig,
    w: &World,
    acc: &Account,
) -> Result<LendingView, EngineError> {
    let mut v = LendingView::default();
    for asset in acc.collateral_scaled.keys() {
        let line = collateral_line(cfg, w, acc, asset)?;
        v.collateral_value = add(v.collateral_value, line.value)?;
        v.weighted_collateral = add(v.weighted_collateral, line.weighted)?;
        v.borrow_limit = add(v.borrow_limit, line.borrowing_power)?;
    }
    for asset in acc.debt_scaled.keys() {
        v.debt_value = add(
            v.debt_value,
            mul(debt_amount(w, acc, asset), w.price(asset))?,
        )?;
    }
    // Portfolio margin (the broker's): the requirement is the worst loss over a stress grid.
    if super::system::broker::portfolio_margin(cfg) {
        super::system::broker::apply_portfolio_margin(cfg, w, acc, &mut v)?;
    }
    Ok(v)
}

/// A vault valued at oracle prices.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct VaultView {
    pub collateral: Decimal,
    pub collateral_value: Decimal,
    pub debt: Decimal,
    pub debt_value: Decimal,
    pub liquidation_ratio: Decimal,
}

impl VaultView {
    pub fn ratio(&self) -> Option<Decimal> {
        if self.debt_value <= Decimal::ZERO {
            None
        } else {
            self.collateral_value.checked_div(self.debt_value)
        }
    }
    pub fn liquidatable(&self) -> bool {
        self.debt_value > Decimal::ZERO
            && self.collateral_value < self.debt_value * self.liquidation_ratio
    }
    /// Collateral price at which the vault hits its liquidation ratio.
    pub fn liquidation_price(&self) -> Option<Decimal> {
        if self.collateral <= Decimal::ZERO || self.debt_value <= Decimal::ZERO {
            return None;
        }
        (self.debt_value * self.liquidation_ratio).checked_div(self.collateral)
    }
}

pub fn vault_view(
    cfg: &EngineConfig,
    w: &World,
    collateral: &AssetId,
    vault: &Vault,
) -> Result<VaultView, EngineError> {
    let p = cfg
        .asset(collateral)
        .ok_or_else(|| EngineError::UnknownAsset(collateral.clone()))?;
    let st = w.asset(collateral)?;
    let debt = mul(vault.debt_scaled, st.fee_index)?;
    Ok(VaultView {
        collateral: vault.collateral,
        collateral_value: mul(vault.collateral, st.price)?,
        debt,
        debt_value: mul(debt, w.price(&cfg.debt_asset))?,
        liquidation_ratio: p.liquidation_ratio,
    })
}

/// Price of collateral `asset` at which the health factor reaches 1, other prices unchanged.
pub fn collateral_liquidation_price(
    cfg: &EngineConfig,
    w: &World,
    acc: &Account,
    view: &LendingView,
    asset: &AssetId,
) -> Option<Decimal> {
    if view.debt_value <= Decimal::ZERO || acc.debt_scaled.contains_key(asset) {
        return None;
    }
    let p = cfg.asset(asset)?;
    let amount = collateral_amount(w, acc, asset);
    let weight = amount * (Decimal::ONE - p.haircut) * collateral_factors(cfg, acc, p).1;
    if weight <= Decimal::ZERO {
        return None;
    }
    let own = weight * w.price(asset);
    let others = view.weighted_collateral - own;
    let price = div(view.debt_value - others, weight).ok()?;
    (price > Decimal::ZERO).then_some(price)
}

/// Whether a vault is liquidatable: below its liquidation ratio; in Liquity's recovery mode also
/// below the total collateral ratio, when the stability pool can absorb its whole debt (Liquity
/// `_liquidateRecoveryMode`: such troves give the pool at most 110% of their debt).
pub fn vault_liquidatable(cfg: &EngineConfig, w: &World, view: &VaultView) -> bool {
    if view.liquidatable() {
        return true;
    }
    if !w.recovery_mode || cfg.liquity.is_none() || view.debt_value <= Decimal::ZERO {
        return false;
    }
    let (Some(ratio), Some(tcr)) = (view.ratio(), super::step::total_collateral_ratio(cfg, w))
    else {
        return false;
    };
    ratio < tcr && w.ledger.stability.total - Decimal::ONE >= view.debt
}
