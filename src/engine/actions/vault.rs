//! Single-collateral vaults (Maker vaults, Liquity troves): add or take collateral, draw or repay
//! debt; the vault must stay above its liquidation ratio.

use super::{check_amount, check_asset, describe, need_design, take_wallet};
use crate::engine::account::Account;
use crate::engine::account::Vault;
use crate::engine::error::Rejection;
use crate::engine::event::{EventKind, LendingAction};
use crate::engine::health::vault_view;
use crate::engine::ids::AssetId;
use crate::engine::num::{add, div, mul, MAX_AMOUNT};
use crate::engine::params::config::{CollateralDesign, EngineConfig};
use crate::engine::state::World;
use rust_decimal::Decimal;

pub(crate) fn vault(
    cfg: &EngineConfig,
    w: &mut World,
    acc: &mut Account,
    action: LendingAction,
    collateral: &AssetId,
    amount: Decimal,
) -> Result<Vec<EventKind>, Rejection> {
    let verb = match action {
        LendingAction::Deposit => "Depositing",
        LendingAction::Withdraw => "Withdrawing",
        LendingAction::Borrow => "Generating",
        LendingAction::Repay => "Repaying",
    };
    need_design(cfg, CollateralDesign::SingleCollateral, verb)?;
    check_asset(cfg, collateral)?;
    check_amount(amount)?;
    if collateral == &cfg.debt_asset {
        return Err(Rejection::NotBorrowable(collateral.clone()));
    }
    let params = cfg
        .asset(collateral)
        .ok_or_else(|| Rejection::UnknownAsset(collateral.clone()))?
        .clone();
    let fee_index = w.asset(collateral)?.fee_index;
    let mut v = match acc.vaults.get(collateral) {
        Some(v) => v.clone(),
        None if action == LendingAction::Deposit => Vault::default(),
        None => return Err(Rejection::NoVault(collateral.clone())),
    };
    let before = vault_view(cfg, w, collateral, &v)?;
    let debt_asset = cfg.debt_asset.clone();
    let (d_coll, d_debt_scaled) = match action {
        LendingAction::Deposit => {
            take_wallet(acc, collateral, amount)?;
            v.collateral = add(v.collateral, amount)?;
            (amount, Decimal::ZERO)
        }
        LendingAction::Withdraw => {
            if v.collateral < amount {
                return Err(Rejection::InsufficientCollateral {
                    asset: collateral.clone(),
                    have: v.collateral,
                    need: amount,
                });
            }
            v.collateral -= amount;
            acc.credit(collateral, amount);
            (-amount, Decimal::ZERO)
        }
        LendingAction::Borrow => {
            if let Some(cap) = params.borrow_cap {
                let total = mul(w.asset(collateral)?.vault_debt_scaled, fee_index)?;
                if add(total, amount)? > cap {
                    return Err(Rejection::BorrowCap {
                        asset: collateral.clone(),
                        cap,
                    });
                }
            }
            if add(acc.wallet(&debt_asset), amount)? > MAX_AMOUNT {
                return Err(Rejection::InvalidAmount(amount));
            }
            let scaled = div(amount, fee_index)?;
            v.debt_scaled = add(v.debt_scaled, scaled)?;
            acc.credit(&debt_asset, amount);
            (Decimal::ZERO, scaled)
        }
        LendingAction::Repay => {
            if amount > before.debt {
                return Err(Rejection::RepayTooMuch {
                    asset: debt_asset.clone(),
                    debt: before.debt,
                });
            }
            take_wallet(acc, &debt_asset, amount)?;
            let scaled = if amount == before.debt {
                v.debt_scaled
            } else {
                div(amount, fee_index)?
            };
            v.debt_scaled -= scaled;
            (Decimal::ZERO, -scaled)
        }
    };
    let after = vault_view(cfg, w, collateral, &v)?;
    if matches!(action, LendingAction::Withdraw | LendingAction::Borrow)
        && after.debt_value > Decimal::ZERO
    {
        let r = after.ratio().unwrap_or_default();
        if r < after.liquidation_ratio {
            let what = if action == LendingAction::Borrow {
                &debt_asset
            } else {
                collateral
            };
            return Err(Rejection::VaultBelowRatio {
                action: describe(verb, amount, what),
                ratio_after: r,
                minimum: after.liquidation_ratio,
            });
        }
    }
    let s = w.asset_mut(collateral)?;
    s.vault_collateral += d_coll;
    s.vault_debt_scaled += d_debt_scaled;
    if v.collateral.is_zero() && v.debt_scaled.is_zero() {
        acc.vaults.remove(collateral);
    } else {
        acc.vaults.insert(collateral.clone(), v);
    }
    Ok(vec![EventKind::VaultAction {
        account: acc.id,
        action,
        collateral: collateral.clone(),
        amount,
        price: w.price(collateral),
        ratio_before: before.ratio(),
        ratio_after: after.ratio(),
    }])
}
