//! Command handlers. Each runs on copies of the account and the world; the engine commits the
//! copies only when the handler returns `Ok`, so a rejected command changes nothing.

use super::account::{bump, Account, Alert, Position, Vault};
use super::command::{Command, MarginMode};
use super::config::{CollateralDesign, EngineConfig, LiquidationKind};
use super::error::Rejection;
use super::event::{EventKind, LendingAction};
use super::health::{collateral_amount, debt_amount, lending_view, vault_view};
use super::ids::AssetId;
use super::margin::{perp_view, position_view};
use super::num::{add, div, fmt_num, mul, sub, MAX_AMOUNT};
use super::state::World;
use rust_decimal::Decimal;

pub(crate) fn check_amount(amount: Decimal) -> Result<(), Rejection> {
    if amount <= Decimal::ZERO || amount > MAX_AMOUNT {
        return Err(Rejection::InvalidAmount(amount));
    }
    Ok(())
}

fn check_asset(cfg: &EngineConfig, asset: &AssetId) -> Result<(), Rejection> {
    cfg.asset(asset)
        .map(|_| ())
        .ok_or_else(|| Rejection::UnknownAsset(asset.clone()))
}

fn need_design(
    cfg: &EngineConfig,
    design: CollateralDesign,
    action: &str,
) -> Result<(), Rejection> {
    if cfg.design != design {
        return Err(Rejection::WrongDesign {
            action: action.to_string(),
            design: cfg.design.to_string(),
        });
    }
    Ok(())
}

fn take_wallet(acc: &mut Account, asset: &AssetId, amount: Decimal) -> Result<(), Rejection> {
    let have = acc.wallet(asset);
    if have < amount {
        return Err(Rejection::InsufficientWallet {
            asset: asset.clone(),
            have,
            need: amount,
        });
    }
    acc.credit(asset, -amount);
    Ok(())
}

fn describe(verb: &str, amount: Decimal, asset: &AssetId) -> String {
    format!("{verb} {} {asset}", fmt_num(amount, 6))
}

/// Applies `cmd` to copies `w` and `acc`. `CreateAccount` is handled by the engine.
pub(crate) fn apply(
    cfg: &EngineConfig,
    w: &mut World,
    acc: &mut Account,
    cmd: &Command,
) -> Result<Vec<EventKind>, Rejection> {
    match cmd {
        Command::CreateAccount { .. } => Err(Rejection::AccountExists(acc.id)),
        Command::Fund { asset, amount } => fund(cfg, w, acc, asset, *amount),
        Command::Deposit { asset, amount } => {
            lending(cfg, w, acc, LendingAction::Deposit, asset, *amount)
        }
        Command::Withdraw { asset, amount } => {
            lending(cfg, w, acc, LendingAction::Withdraw, asset, *amount)
        }
        Command::Borrow { asset, amount } => {
            lending(cfg, w, acc, LendingAction::Borrow, asset, *amount)
        }
        Command::Repay { asset, amount } => {
            lending(cfg, w, acc, LendingAction::Repay, asset, *amount)
        }
        Command::VaultDeposit { collateral, amount } => {
            vault(cfg, w, acc, LendingAction::Deposit, collateral, *amount)
        }
        Command::VaultWithdraw { collateral, amount } => {
            vault(cfg, w, acc, LendingAction::Withdraw, collateral, *amount)
        }
        Command::VaultBorrow { collateral, amount } => {
            vault(cfg, w, acc, LendingAction::Borrow, collateral, *amount)
        }
        Command::VaultRepay { collateral, amount } => {
            vault(cfg, w, acc, LendingAction::Repay, collateral, *amount)
        }
        Command::OpenPosition {
            market,
            side,
            size,
            leverage,
            mode,
        } => open_position(cfg, w, acc, market, *side, *size, *leverage, *mode),
        Command::ReducePosition { market, size } => {
            reduce_position(cfg, w, acc, market, Some(*size))
        }
        Command::ClosePosition { market } => reduce_position(cfg, w, acc, market, None),
        Command::SetAlert { kind, threshold } => {
            if *threshold <= Decimal::ZERO || *threshold > MAX_AMOUNT {
                return Err(Rejection::InvalidThreshold(*threshold));
            }
            acc.alerts.insert(
                *kind,
                Alert {
                    threshold: *threshold,
                    fired: false,
                },
            );
            Ok(vec![EventKind::AlertSet {
                account: acc.id,
                kind: *kind,
                threshold: *threshold,
            }])
        }
        Command::StabilityDeposit { amount } => {
            if cfg.liquidation != LiquidationKind::StabilityPool {
                return Err(Rejection::NoStabilityPool);
            }
            check_amount(*amount)?;
            take_wallet(acc, &cfg.debt_asset, *amount)?;
            let mut events = super::liquidation::stability_pool::withdraw_gains(cfg, w, acc)?;
            super::liquidation::stability_pool::deposit(w, acc, *amount)?;
            events.push(EventKind::StabilityDeposited {
                account: acc.id,
                amount: *amount,
            });
            Ok(events)
        }
        Command::StabilityWithdraw { amount } => {
            if cfg.liquidation != LiquidationKind::StabilityPool {
                return Err(Rejection::NoStabilityPool);
            }
            check_amount(*amount)?;
            super::liquidation::stability_pool::withdraw(cfg, w, acc, *amount)
        }
    }
}

fn fund(
    cfg: &EngineConfig,
    w: &mut World,
    acc: &mut Account,
    asset: &AssetId,
    amount: Decimal,
) -> Result<Vec<EventKind>, Rejection> {
    check_asset(cfg, asset)?;
    check_amount(amount)?;
    if add(acc.wallet(asset), amount)? > MAX_AMOUNT {
        return Err(Rejection::InvalidAmount(amount));
    }
    acc.credit(asset, amount);
    bump(&mut w.ledger.minted, asset, amount);
    Ok(vec![EventKind::Funded {
        account: acc.id,
        asset: asset.clone(),
        amount,
    }])
}

fn lending(
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
        .ok_or_else(|| Rejection::UnknownAsset(asset.clone()))?
        .clone();
    let before = lending_view(cfg, w, acc)?;
    let st = w.asset(asset)?.clone();
    match action {
        LendingAction::Deposit => {
            if let Some(cap) = params.supply_cap {
                if add(st.total_supply(), amount)? > cap {
                    return Err(Rejection::SupplyCap {
                        asset: asset.clone(),
                        cap,
                    });
                }
            }
            take_wallet(acc, asset, amount)?;
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
            let s = w.asset_mut(asset)?;
            s.total_supply_scaled -= scaled;
            s.cash -= amount;
        }
        LendingAction::Borrow => {
            if !params.borrowable {
                return Err(Rejection::NotBorrowable(asset.clone()));
            }
            if let Some(cap) = params.borrow_cap {
                if add(st.total_borrows(), amount)? > cap {
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
            let s = w.asset_mut(asset)?;
            s.total_debt_scaled -= scaled;
            s.cash += amount;
        }
    }
    let after = lending_view(cfg, w, acc)?;
    if matches!(action, LendingAction::Withdraw | LendingAction::Borrow)
        && after.debt_value > Decimal::ZERO
        && after.debt_value > after.borrow_limit
    {
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

fn vault(
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

/// Settles a position's funding into its margin (isolated) or the wallet (cross), paid to or from
/// the counterparty pool. Returns the amount the trader paid.
pub(crate) fn settle_funding(
    cfg: &EngineConfig,
    w: &mut World,
    acc: &mut Account,
    market: &AssetId,
) -> Result<Decimal, Rejection> {
    let cum = w.asset(market)?.funding_cumulative;
    let Some(pos) = acc.positions.get_mut(market) else {
        return Ok(Decimal::ZERO);
    };
    let owed = mul(mul(pos.sign(), pos.size)?, sub(cum, pos.funding_snapshot)?)?;
    pos.funding_snapshot = cum;
    match pos.mode {
        MarginMode::Isolated => pos.margin -= owed,
        MarginMode::Cross => acc.credit(&cfg.debt_asset, -owed),
    }
    w.ledger.counterparty_pool += owed;
    Ok(owed)
}

pub(crate) fn adjust_open_interest(
    w: &mut World,
    market: &AssetId,
    side: super::command::Side,
    delta: Decimal,
) -> Result<(), Rejection> {
    let st = w.asset_mut(market)?;
    match side {
        super::command::Side::Long => {
            st.open_interest_long = (st.open_interest_long + delta).max(Decimal::ZERO)
        }
        super::command::Side::Short => {
            st.open_interest_short = (st.open_interest_short + delta).max(Decimal::ZERO)
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn open_position(
    cfg: &EngineConfig,
    w: &mut World,
    acc: &mut Account,
    market: &AssetId,
    side: super::command::Side,
    size: Decimal,
    leverage: Decimal,
    mode: MarginMode,
) -> Result<Vec<EventKind>, Rejection> {
    check_asset(cfg, market)?;
    check_amount(size)?;
    let params = cfg
        .asset(market)
        .ok_or_else(|| Rejection::UnknownAsset(market.clone()))?;
    let Some(perp) = &params.perp else {
        return Err(Rejection::NotAPerpMarket(market.clone()));
    };
    if leverage < Decimal::ONE {
        return Err(Rejection::LeverageTooLow(leverage));
    }
    if leverage > perp.max_leverage {
        return Err(Rejection::LeverageTooHigh {
            leverage,
            max: perp.max_leverage,
        });
    }
    if let Some(p) = acc.positions.get(market) {
        if p.side != side {
            return Err(Rejection::OppositeSide {
                market: market.clone(),
                held: p.side.to_string(),
            });
        }
        if p.mode != mode {
            return Err(Rejection::MarginModeMismatch {
                market: market.clone(),
                held: p.mode.to_string(),
            });
        }
    }
    settle_funding(cfg, w, acc, market)?;
    let price = w.price(market);
    let notional = mul(size, price)?;
    let margin = div(notional, leverage)?;
    let action = format!(
        "Opening {} {market} {side} at {}x",
        fmt_num(size, 6),
        fmt_num(leverage, 2)
    );
    if mode == MarginMode::Isolated {
        let have = acc.wallet(&cfg.debt_asset);
        if have < margin {
            return Err(Rejection::InsufficientMargin {
                action,
                required: margin,
                available: have,
            });
        }
        acc.credit(&cfg.debt_asset, -margin);
    }
    let cum = w.asset(market)?.funding_cumulative;
    let pos = acc.positions.entry(market.clone()).or_insert(Position {
        side,
        size: Decimal::ZERO,
        entry_price: price,
        mode,
        leverage,
        margin: Decimal::ZERO,
        funding_snapshot: cum,
    });
    let new_size = add(pos.size, size)?;
    pos.entry_price = div(add(mul(pos.size, pos.entry_price)?, notional)?, new_size)?;
    pos.size = new_size;
    pos.leverage = leverage;
    if mode == MarginMode::Isolated {
        pos.margin = add(pos.margin, margin)?;
    }
    let entry = pos.entry_price;
    // Checks after the change: cross needs equity for every cross position's initial margin; any
    // position must not open below its maintenance margin.
    let view = perp_view(cfg, w, acc)?;
    if mode == MarginMode::Cross {
        let mut required = Decimal::ZERO;
        for (m, p) in &acc.positions {
            if p.mode == MarginMode::Cross {
                let pv = position_view(cfg, w, m, p)?;
                required = add(required, div(pv.notional, p.leverage)?)?;
            }
        }
        if view.cross_equity < required {
            return Err(Rejection::InsufficientMargin {
                action,
                required,
                available: view.cross_equity,
            });
        }
    }
    if let Some(pv) = view.positions.iter().find(|p| &p.market == market) {
        let (eq, mm) = match mode {
            MarginMode::Isolated => (pv.equity, pv.maintenance_margin),
            MarginMode::Cross => (view.cross_equity, view.cross_maintenance),
        };
        if eq < mm {
            return Err(Rejection::InsufficientMargin {
                action,
                required: mm,
                available: eq,
            });
        }
    }
    adjust_open_interest(w, market, side, size)?;
    Ok(vec![EventKind::PositionOpened {
        account: acc.id,
        market: market.clone(),
        side,
        mode,
        size,
        price,
        leverage,
        margin_added: if mode == MarginMode::Isolated {
            margin
        } else {
            Decimal::ZERO
        },
        new_size,
        new_entry_price: entry,
        liquidation_price: view.liquidation_price(market),
    }])
}

fn reduce_position(
    cfg: &EngineConfig,
    w: &mut World,
    acc: &mut Account,
    market: &AssetId,
    size: Option<Decimal>,
) -> Result<Vec<EventKind>, Rejection> {
    check_asset(cfg, market)?;
    let open = acc
        .positions
        .get(market)
        .map(|p| p.size)
        .ok_or_else(|| Rejection::NoPosition(market.clone()))?;
    let size = match size {
        Some(s) => {
            check_amount(s)?;
            if s > open {
                return Err(Rejection::ReduceTooLarge { size: s, open });
            }
            s
        }
        None => open,
    };
    let funding = settle_funding(cfg, w, acc, market)?;
    let price = w.price(market);
    let pos = acc
        .positions
        .get(market)
        .cloned()
        .ok_or_else(|| Rejection::NoPosition(market.clone()))?;
    let pnl = mul(mul(pos.sign(), size)?, sub(price, pos.entry_price)?)?;
    let fraction = div(size, pos.size)?;
    let full = size == pos.size;
    let action = format!("Closing {} {market}", fmt_num(size, 6));
    let mut remaining = pos.clone();
    remaining.size -= size;
    match pos.mode {
        MarginMode::Isolated => {
            let released = if full {
                pos.margin
            } else {
                mul(pos.margin, fraction)?
            };
            let mut payout = add(released, pnl)?;
            remaining.margin = pos.margin - released;
            if payout < Decimal::ZERO {
                remaining.margin += payout;
                payout = Decimal::ZERO;
                if full || remaining.margin < Decimal::ZERO {
                    return Err(Rejection::InsufficientMargin {
                        action,
                        required: pos.margin - released - remaining.margin,
                        available: pos.margin,
                    });
                }
            }
            acc.credit(&cfg.debt_asset, payout);
        }
        MarginMode::Cross => {
            let have = acc.wallet(&cfg.debt_asset);
            if add(have, pnl)? < Decimal::ZERO {
                return Err(Rejection::InsufficientMargin {
                    action,
                    required: -pnl,
                    available: have,
                });
            }
            acc.credit(&cfg.debt_asset, pnl);
        }
    }
    w.ledger.counterparty_pool -= pnl;
    acc.realized_pnl += pnl;
    if full {
        acc.positions.remove(market);
    } else {
        acc.positions.insert(market.clone(), remaining.clone());
    }
    adjust_open_interest(w, market, pos.side, -size)?;
    Ok(vec![EventKind::PositionReduced {
        account: acc.id,
        market: market.clone(),
        size,
        price,
        realized_pnl: pnl,
        funding_paid: funding,
        remaining: if full { Decimal::ZERO } else { remaining.size },
    }])
}
