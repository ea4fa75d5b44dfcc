//! Pooled (multi-collateral) accounts: deposit, withdraw, borrow, repay (Aave v3, Compound III).
//!
//! Borrowing must keep the debt within the borrow limit (Σ value × LTV); a withdrawal must keep
//! the debt within it too (Compound III) or the health factor at or above 1 (Aave v3), as the
//! configuration's [`WithdrawRule`] says.
//!
//! Aave's e-mode (a category of correlated assets with higher LTV / LT) and isolation mode (an
//! isolated collateral backs a capped total of chosen stablecoins) are here too.

use super::{check_amount, check_asset, describe, need_design, take_wallet};
use crate::engine::account::{bump, Account};
use crate::engine::error::Rejection;
use crate::engine::event::{EventKind, LendingAction};
use crate::engine::health::{collateral_amount, debt_amount, lending_view};
use crate::engine::ids::AssetId;
use crate::engine::num::{add, div, MAX_AMOUNT};
use crate::engine::params::config::{CollateralDesign, EngineConfig, WithdrawRule};
use crate::engine::params::AssetParams;
use crate::engine::state::World;
use rust_decimal::Decimal;

/// The figures of an asset's pool a handler reads before changing it (copied, so the world can
/// change while they are used).
#[derive(Clone, Copy)]
struct PoolNow {
    total_supply: Decimal,
    total_borrows: Decimal,
    supply_index: Decimal,
    borrow_index: Decimal,
    cash: Decimal,
    price: Decimal,
}

impl PoolNow {
    fn of(st: &crate::engine::state::AssetState) -> Self {
        Self {
            total_supply: st.total_supply(),
            total_borrows: st.total_borrows(),
            supply_index: st.supply_index,
            borrow_index: st.borrow_index,
            cash: st.cash,
            price: st.price,
        }
    }
}

pub(crate) fn lending(
    cfg: &EngineConfig,
    w: &mut World,
    acc: &mut Account,
    action: LendingAction,
    asset: &AssetId,
    amount: Decimal,
) -> Result<Vec<EventKind>, Rejection> {
    let verb = match action {
        LendingAction::Deposit => "Depositing",
        LendingAction::Withdraw => "Withdrawing",
        LendingAction::Borrow => "Borrowing",
        LendingAction::Repay => "Repaying",
    };
    need_design(cfg, CollateralDesign::MultiCollateral, verb)?;
    check_asset(cfg, asset)?;
    check_amount(amount)?;
    let params = cfg
        .asset(asset)
        .ok_or_else(|| Rejection::UnknownAsset(asset.clone()))?;
    // The configuration's copy of the id: balances keyed by it are found by pointer.
    let asset = &params.id;
    let before = lending_view(cfg, w, acc)?;
    let st = PoolNow::of(w.asset(asset)?);
    match action {
        LendingAction::Deposit => {
            if let Some(cap) = params.supply_cap {
                if add(st.total_supply, amount)? > cap {
                    return Err(Rejection::SupplyCap {
                        asset: asset.clone(),
                        cap,
                    });
                }
            }
            take_wallet(acc, asset, amount)?;
            if !acc.collateral_scaled.contains_key(asset) {
                enable_as_collateral(acc, asset, params.debt_ceiling.is_some());
            }
            let scaled = div(amount, st.supply_index)?;
            bump(&mut acc.collateral_scaled, asset, scaled);
            let s = w.asset_mut(asset)?;
            s.total_supply_scaled += scaled;
            s.cash += amount;
        }
        LendingAction::Withdraw => {
            let have = collateral_amount(w, acc, asset);
            if have < amount {
                return Err(Rejection::InsufficientCollateral {
                    asset: asset.clone(),
                    have,
                    need: amount,
                });
            }
            if st.cash < amount {
                return Err(Rejection::InsufficientLiquidity {
                    asset: asset.clone(),
                    available: st.cash,
                });
            }
            let scaled = if amount == have {
                acc.collateral_scaled
                    .get(asset)
                    .copied()
                    .unwrap_or_default()
            } else {
                div(amount, st.supply_index)?
            };
            bump(&mut acc.collateral_scaled, asset, -scaled);
            acc.credit(asset, amount);
            if !acc.collateral_scaled.contains_key(asset) {
                acc.collateral_off.remove(asset);
                if acc.isolation.as_ref() == Some(asset) {
                    // Leaving isolation mode: the other supplied assets count as collateral
                    // again (Aave would have the owner enable them one by one).
                    acc.isolation = None;
                    acc.collateral_off.clear();
                }
            }
            let s = w.asset_mut(asset)?;
            s.total_supply_scaled -= scaled;
            s.cash -= amount;
        }
        LendingAction::Borrow => {
            if !params.borrowable {
                return Err(Rejection::NotBorrowable(asset.clone()));
            }
            if let Some(cap) = params.borrow_cap {
                if add(st.total_borrows, amount)? > cap {
                    return Err(Rejection::BorrowCap {
                        asset: asset.clone(),
                        cap,
                    });
                }
            }
            if st.cash < amount {
                return Err(Rejection::InsufficientLiquidity {
                    asset: asset.clone(),
                    available: st.cash,
                });
            }
            if add(acc.wallet(asset), amount)? > MAX_AMOUNT {
                return Err(Rejection::InvalidAmount(amount));
            }
            if let Some(c) = acc.emode {
                if params.emode_category != Some(c) {
                    return Err(Rejection::BorrowOutsideEMode {
                        asset: asset.clone(),
                        category: emode_label(cfg, c),
                    });
                }
            }
            if let Some(iso) = acc.isolation.clone() {
                borrow_in_isolation(cfg, w, &iso, params, amount)?;
            }
            let scaled = div(amount, st.borrow_index)?;
            bump(&mut acc.debt_scaled, asset, scaled);
            acc.credit(asset, amount);
            let s = w.asset_mut(asset)?;
            s.total_debt_scaled += scaled;
            s.cash -= amount;
        }
        LendingAction::Repay => {
            let debt = debt_amount(w, acc, asset);
            if amount > debt {
                return Err(Rejection::RepayTooMuch {
                    asset: asset.clone(),
                    debt,
                });
            }
            take_wallet(acc, asset, amount)?;
            let scaled = if amount == debt {
                acc.debt_scaled.get(asset).copied().unwrap_or_default()
            } else {
                div(amount, st.borrow_index)?
            };
            bump(&mut acc.debt_scaled, asset, -scaled);
            if let Some(iso) = acc.isolation.clone() {
                let s = w.asset_mut(&iso)?;
                s.isolation_debt = (s.isolation_debt - amount).max(Decimal::ZERO);
            }
            let s = w.asset_mut(asset)?;
            s.total_debt_scaled -= scaled;
            s.cash += amount;
        }
    }
    let after = lending_view(cfg, w, acc)?;
    let limit_applies = match action {
        LendingAction::Borrow => true,
        LendingAction::Withdraw => cfg.withdraw_rule == WithdrawRule::BorrowLimit,
        _ => false,
    };
    if action == LendingAction::Withdraw
        && cfg.withdraw_rule == WithdrawRule::HealthFactor
        && after.liquidatable()
    {
        return Err(Rejection::HealthTooLow {
            action: describe(verb, amount, asset),
            health_after: after.health_factor(),
        });
    }
    if limit_applies && after.debt_value > Decimal::ZERO && after.debt_value > after.borrow_limit {
        return Err(Rejection::BorrowLimit {
            action: describe(verb, amount, asset),
            debt_after: after.debt_value,
            limit: after.borrow_limit,
            health_after: after.health_factor(),
        });
    }
    Ok(vec![EventKind::Lending {
        account: acc.id,
        action,
        asset: asset.clone(),
        amount,
        price: st.price,
        health_before: before.health_factor(),
        health_after: after.health_factor(),
    }])
}

/// Aave isolation mode on a first deposit of `asset`: an isolated asset supplied by an account
/// with no other collateral puts it in isolation mode; an isolated asset supplied beside other
/// collateral, or any asset supplied while isolated, is supply that does not count as collateral.
fn enable_as_collateral(acc: &mut Account, asset: &AssetId, isolated: bool) {
    let has_collateral = acc
        .collateral_scaled
        .keys()
        .any(|a| !acc.collateral_off.contains(a));
    match (&acc.isolation, isolated) {
        (None, true) if !has_collateral => acc.isolation = Some(asset.clone()),
        (None, true) | (Some(_), _) => {
            acc.collateral_off.insert(asset.clone());
        }
        (None, false) => {}
    }
}

/// Aave isolation mode: only assets borrowable in isolation, within the isolated collateral's
/// debt ceiling (counted over every borrower).
fn borrow_in_isolation(
    cfg: &EngineConfig,
    w: &mut World,
    iso: &AssetId,
    params: &AssetParams,
    amount: Decimal,
) -> Result<(), Rejection> {
    if !params.borrowable_in_isolation {
        return Err(Rejection::NotBorrowableInIsolation {
            asset: params.id.clone(),
            isolated: iso.clone(),
        });
    }
    let ceiling = cfg
        .asset(iso)
        .and_then(|p| p.debt_ceiling)
        .unwrap_or(Decimal::ZERO);
    let st = w.asset_mut(iso)?;
    let used = st.isolation_debt;
    if add(used, amount)? > ceiling {
        return Err(Rejection::DebtCeiling {
            isolated: iso.clone(),
            ceiling,
            used,
        });
    }
    st.isolation_debt = add(used, amount)?;
    Ok(())
}

fn emode_label(cfg: &EngineConfig, id: u8) -> String {
    cfg.emode(id)
        .map_or_else(|| id.to_string(), |c| format!("\"{}\"", c.label))
}

/// Aave `setUserEMode`: every debt must be in the category; the health factor after must stay at
/// or above 1.
pub(super) fn set_emode(
    cfg: &EngineConfig,
    w: &mut World,
    acc: &mut Account,
    category: Option<u8>,
) -> Result<Vec<EventKind>, Rejection> {
    need_design(cfg, CollateralDesign::MultiCollateral, "Switching e-mode")?;
    if let Some(c) = category {
        if cfg.emode(c).is_none() {
            return Err(Rejection::UnknownEMode(c));
        }
        for asset in acc.debt_scaled.keys() {
            if cfg.asset(asset).and_then(|p| p.emode_category) != Some(c) {
                return Err(Rejection::DebtOutsideEMode {
                    asset: asset.clone(),
                    category: emode_label(cfg, c),
                });
            }
        }
    }
    let before = lending_view(cfg, w, acc)?;
    acc.emode = category;
    let after = lending_view(cfg, w, acc)?;
    if after.liquidatable() {
        return Err(Rejection::HealthTooLow {
            action: if category.is_some() {
                "Switching e-mode on".into()
            } else {
                "Switching e-mode off".into()
            },
            health_after: after.health_factor(),
        });
    }
    Ok(vec![EventKind::EModeSet {
        account: acc.id,
        category,
        health_before: before.health_factor(),
        health_after: after.health_factor(),
    }])
}
