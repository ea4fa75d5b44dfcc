//! Single-collateral vaults (Maker vaults, Liquity troves): add or take collateral, draw or repay
//! debt; the vault must stay above its liquidation ratio.
//!
//! Liquity's trove rules, when the configuration has them (`BorrowerOperations.sol`, DOMAIN.md):
//! drawing debt adds a one-off 0.5% borrowing fee (to the protocol) and, when the trove opens,
//! 200 LUSD of gas compensation set aside for its liquidator, both to the trove's debt; the net
//! debt (without gas compensation) must stay at least 1,800 LUSD unless the trove is closed by
//! repaying all of it. In normal mode no change may bring the system's total collateral ratio
//! below 150%; in recovery mode collateral cannot be withdrawn and drawing debt needs the trove's
//! ratio to be at least 150% and not lower than before.

use super::{check_amount, check_asset, describe, need_design, take_wallet};
use crate::engine::account::Vault;
use crate::engine::account::{bump, Account};
use crate::engine::error::Rejection;
use crate::engine::event::{EventKind, LendingAction};
use crate::engine::health::vault_view;
use crate::engine::health::{remove_stake, settle_pending, VaultView};
use crate::engine::ids::AssetId;
use crate::engine::num::fmt_ratio;
use crate::engine::num::{add, div, mul, MAX_AMOUNT};
use crate::engine::params::config::LiquityRules;
use crate::engine::params::config::{CollateralDesign, EngineConfig};
use crate::engine::state::World;
use crate::engine::step::total_collateral_ratio;
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
    if cfg.liquity.is_some() {
        settle_pending(w, collateral, &mut v)?;
    }
    let before = vault_view(cfg, w, collateral, &v)?;
    let debt_asset = cfg.debt_asset.clone();
    let liquity = cfg.liquity.clone();
    let mut charges: Option<(Decimal, Decimal)> = None;
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
            let mut drawn = amount;
            if let Some(l) = &liquity {
                let fee = mul(amount, l.borrowing_fee)?;
                let gas = if before.debt.is_zero() {
                    l.gas_compensation
                } else {
                    Decimal::ZERO
                };
                let net_after =
                    add(add(before.debt, add(amount, fee)?)?, gas)? - l.gas_compensation;
                if net_after < l.min_net_debt {
                    return Err(Rejection::BelowMinimumDebt {
                        asset: debt_asset.clone(),
                        minimum: l.min_net_debt,
                        net_debt: net_after,
                    });
                }
                drawn = add(add(amount, fee)?, gas)?;
                bump(&mut w.ledger.reserves, &debt_asset, fee);
                w.ledger.gas_pool = add(w.ledger.gas_pool, gas)?;
                charges = Some((fee, gas));
            }
            let scaled = div(drawn, fee_index)?;
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
            let gas = trove_gas(&liquity, before.debt);
            let repayable = before.debt - gas;
            if let Some(l) = &liquity {
                if amount > repayable {
                    return Err(Rejection::GasCompensationNotRepayable {
                        asset: debt_asset.clone(),
                        gas_compensation: gas,
                        repayable,
                    });
                }
                if amount < repayable && repayable - amount < l.min_net_debt {
                    return Err(Rejection::BelowMinimumDebt {
                        asset: debt_asset.clone(),
                        minimum: l.min_net_debt,
                        net_debt: repayable - amount,
                    });
                }
            }
            take_wallet(acc, &debt_asset, amount)?;
            // Closing a trove also burns its gas compensation from the gas pool.
            let closing = liquity.is_some() && amount == repayable;
            if closing {
                w.ledger.gas_pool -= gas;
            }
            let scaled = if amount == before.debt || closing {
                v.debt_scaled
            } else {
                div(amount, fee_index)?
            };
            v.debt_scaled -= scaled;
            (Decimal::ZERO, -scaled)
        }
    };
    let after = vault_view(cfg, w, collateral, &v)?;
    if let Some(l) = &liquity {
        check_system_ratio(
            cfg, w, l, action, verb, collateral, &before, &after, d_coll, amount,
        )?;
    }
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
    if cfg.liquity.is_some() {
        // The stake follows the collateral (none once the debt is repaid).
        settle_pending(w, collateral, &mut v)?;
    }
    if v.collateral.is_zero() && v.debt_scaled.is_zero() {
        remove_stake(w, collateral, &v)?;
        acc.vaults.remove(collateral);
    } else {
        acc.vaults.insert(collateral.clone(), v);
    }
    let mut events = vec![EventKind::VaultAction {
        account: acc.id,
        action,
        collateral: collateral.clone(),
        amount,
        price: w.price(collateral),
        ratio_before: before.ratio(),
        ratio_after: after.ratio(),
    }];
    if let Some((borrowing_fee, gas_compensation)) = charges {
        events.push(EventKind::TroveCharges {
            account: acc.id,
            collateral: collateral.clone(),
            borrowing_fee,
            gas_compensation,
        });
    }
    Ok(events)
}

/// The gas compensation included in a trove's `debt` (all troves with debt carry it).
fn trove_gas(liquity: &Option<LiquityRules>, debt: Decimal) -> Decimal {
    match liquity {
        Some(l) if debt > Decimal::ZERO => l.gas_compensation.min(debt),
        _ => Decimal::ZERO,
    }
}

/// Liquity's system-wide checks on a trove change (`_requireValidAdjustmentInCurrentMode`).
#[allow(clippy::too_many_arguments)]
fn check_system_ratio(
    cfg: &EngineConfig,
    w: &World,
    l: &LiquityRules,
    action: LendingAction,
    verb: &str,
    collateral: &AssetId,
    before: &VaultView,
    after: &VaultView,
    d_coll: Decimal,
    amount: Decimal,
) -> Result<(), Rejection> {
    let what = describe(verb, amount, collateral);
    let tcr_before = total_collateral_ratio(cfg, w);
    if w.recovery_mode {
        let tcr = tcr_before.unwrap_or_default();
        if action == LendingAction::Withdraw {
            return Err(Rejection::RecoveryMode {
                action: format!(
                    "{what} is refused: no collateral may leave a trove in recovery mode"
                ),
                tcr,
            });
        }
        if action == LendingAction::Borrow {
            let (old, new) = (before.ratio(), after.ratio().unwrap_or_default());
            if new < l.critical_ratio || old.is_some_and(|o| new < o) {
                return Err(Rejection::RecoveryMode {
                    action: format!(
                        "{what} would leave the trove at a ratio of {}; drawing debt needs at least {} and no lower than before",
                        fmt_ratio(new),
                        fmt_ratio(l.critical_ratio)
                    ),
                    tcr,
                });
            }
        }
        return Ok(());
    }
    if matches!(action, LendingAction::Withdraw | LendingAction::Borrow) {
        // The system's ratio with this change applied.
        let price = w.price(collateral);
        let p_debt = w.price(&cfg.debt_asset);
        let (mut coll, mut debt) = (Decimal::ZERO, Decimal::ZERO);
        for st in w.assets.values() {
            coll += st.vault_collateral * st.price;
            debt += st.vault_debt_scaled * st.fee_index * p_debt;
        }
        coll += d_coll * price;
        debt += (after.debt - before.debt) * p_debt;
        if debt > Decimal::ZERO {
            let tcr = div(coll, debt)?;
            if tcr < l.critical_ratio {
                return Err(Rejection::RecoveryMode {
                    action: format!(
                        "{what} would bring the system's total collateral ratio to {}, below {}: Liquity refuses changes that would start recovery mode",
                        fmt_ratio(tcr),
                        fmt_ratio(l.critical_ratio)
                    ),
                    tcr: tcr_before.unwrap_or(tcr),
                });
            }
        }
    }
    Ok(())
}
