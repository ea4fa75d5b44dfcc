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

/// Each collateral of `acc` as `(value, LTV, LT)`, the arithmetic of [`collateral_line`] without
/// building the line (the health check every re-checked borrower goes through does not allocate).
#[inline]
fn for_each_collateral(
    cfg: &EngineConfig,
    w: &World,
    acc: &Account,
    mut f: impl FnMut(Decimal, Decimal, Decimal) -> Result<(), EngineError>,
) -> Result<(), EngineError> {
    for (asset, scaled) in &acc.collateral_scaled {
        let st = w.assets.get(asset);
        let p = match st {
            Some(st) => cfg.asset_at(st.params, asset),
            None => cfg.asset(asset),
        }
        .ok_or_else(|| EngineError::UnknownAsset(asset.clone()))?;
        let (amount, price) = match st {
            Some(st) => (scaled.saturating_mul(st.supply_index), st.price),
            None => (Decimal::ZERO, Decimal::ZERO),
        };
        let mut value = mul(amount, price)?;
        // × 1 changes nothing (not even the scale): skipped for the usual zero haircut.
        if !p.haircut.is_zero() {
            value = mul(value, Decimal::ONE - p.haircut)?;
        }
        let (ltv, lt) = collateral_factors(cfg, acc, p);
        f(value, ltv, lt)?;
    }
    Ok(())
}

/// The value of everything `acc` owes, at oracle prices.
#[inline]
fn debt_value(w: &World, acc: &Account) -> Result<Decimal, EngineError> {
    let mut total = Decimal::ZERO;
    for (asset, scaled) in &acc.debt_scaled {
        let (amount, price) = match w.assets.get(asset) {
            Some(st) => (scaled.saturating_mul(st.borrow_index), st.price),
            None => (Decimal::ZERO, Decimal::ZERO),
        };
        total = add(total, mul(amount, price)?)?;
    }
    Ok(total)
}

/// The account's totals: the sums of its [`collateral_line`]s and the value of its debt.
pub fn lending_view(
    cfg: &EngineConfig,
    w: &World,
    acc: &Account,
) -> Result<LendingView, EngineError> {
    let mut v = LendingView::default();
    for_each_collateral(cfg, w, acc, |value, ltv, lt| {
        v.collateral_value = add(v.collateral_value, value)?;
        v.weighted_collateral = add(v.weighted_collateral, mul(value, lt)?)?;
        v.borrow_limit = add(v.borrow_limit, mul(value, ltv)?)?;
        Ok(())
    })?;
    v.debt_value = debt_value(w, acc)?;
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
    let (pending_coll, pending_debt) = pending(w, collateral, vault);
    let coll = if pending_coll.is_zero() {
        vault.collateral
    } else {
        add(vault.collateral, pending_coll)?
    };
    let mut debt = mul(vault.debt_scaled, st.fee_index)?;
    if !pending_debt.is_zero() {
        debt = add(debt, pending_debt)?;
    }
    Ok(VaultView {
        collateral: coll,
        collateral_value: mul(coll, st.price)?,
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

/// Liquity's lazy redistribution: the collateral and debt other troves' liquidations gave this
/// vault that it has not taken in yet, `stake × (L − snapshot)` (`TroveManager.getPendingETHReward`
/// / `getPendingLUSDDebtReward`). Zero under rules without it (no stake).
pub fn pending(w: &World, collateral: &AssetId, v: &Vault) -> (Decimal, Decimal) {
    if v.stake.is_zero() {
        return (Decimal::ZERO, Decimal::ZERO);
    }
    let Some(st) = w.assets.get(collateral) else {
        return (Decimal::ZERO, Decimal::ZERO);
    };
    let part = |l: Decimal, snap: Decimal| {
        l.checked_sub(snap)
            .and_then(|d| d.checked_mul(v.stake))
            .unwrap_or_default()
    };
    (
        part(st.redistributed_collateral_per_stake, v.snapshot_collateral),
        part(st.redistributed_debt_per_stake, v.snapshot_debt),
    )
}

/// Takes a vault's pending redistribution into it and renews its stake to its collateral
/// (Liquity `_applyPendingRewards` and `_updateStakeAndTotalStakes`; Margin Lab's stakes are the
/// collateral itself, so redistribution goes by collateral as before).
pub fn settle_pending(
    w: &mut World,
    collateral: &AssetId,
    v: &mut Vault,
) -> Result<(), EngineError> {
    let (pc, pd) = pending(w, collateral, v);
    let st = w.asset_mut(collateral)?;
    if !pc.is_zero() || !pd.is_zero() {
        v.collateral = add(v.collateral, pc)?;
        v.debt_scaled = add(v.debt_scaled, div(pd, st.fee_index)?)?;
    }
    let new_stake = if v.debt_scaled > Decimal::ZERO {
        v.collateral
    } else {
        Decimal::ZERO
    };
    st.total_stakes = add(st.total_stakes - v.stake, new_stake)?;
    match (v.stake.is_zero(), new_stake.is_zero()) {
        (true, false) => st.stakers += 1,
        (false, true) => st.stakers = st.stakers.saturating_sub(1),
        _ => {}
    }
    v.stake = new_stake;
    v.snapshot_collateral = st.redistributed_collateral_per_stake;
    v.snapshot_debt = st.redistributed_debt_per_stake;
    Ok(())
}

/// Removes a closed or liquidated vault's stake (Liquity `_removeStake`).
pub fn remove_stake(w: &mut World, collateral: &AssetId, v: &Vault) -> Result<(), EngineError> {
    if v.stake.is_zero() {
        return Ok(());
    }
    let st = w.asset_mut(collateral)?;
    st.total_stakes -= v.stake;
    st.stakers = st.stakers.saturating_sub(1);
    Ok(())
}

/// Whether a pooled account is liquidatable (`Σ value × LT < debt value`): [`lending_view`]'s
/// arithmetic for just the two totals it needs (the hottest check of a step).
pub fn lending_liquidatable(
    cfg: &EngineConfig,
    w: &World,
    acc: &Account,
) -> Result<bool, EngineError> {
    // Portfolio margin replaces the weighted sum with the grid's worst loss: the full view.
    if super::system::broker::portfolio_margin(cfg) {
        return Ok(lending_view(cfg, w, acc)?.liquidatable());
    }
    let mut weighted = Decimal::ZERO;
    for_each_collateral(cfg, w, acc, |value, _, lt| {
        weighted = add(weighted, mul(value, lt)?)?;
        Ok(())
    })?;
    let debt = debt_value(w, acc)?;
    Ok(debt > Decimal::ZERO && weighted < debt)
}
