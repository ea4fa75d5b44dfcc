//! Stability-pool deposits and withdrawals (Liquity); the pool's accounting is in
//! `liquidation/stability_pool.rs`.

use super::{check_amount, take_wallet};
use crate::engine::account::Account;
use crate::engine::error::Rejection;
use crate::engine::event::EventKind;
use crate::engine::liquidation::stability_pool;
use crate::engine::params::config::{EngineConfig, LiquidationKind};
use crate::engine::state::World;
use rust_decimal::Decimal;

pub(super) fn deposit(
    cfg: &EngineConfig,
    w: &mut World,
    acc: &mut Account,
    amount: Decimal,
) -> Result<Vec<EventKind>, Rejection> {
    if cfg.liquidation != LiquidationKind::StabilityPool {
        return Err(Rejection::NoStabilityPool);
    }
    check_amount(amount)?;
    take_wallet(acc, &cfg.debt_asset, amount)?;
    let mut events = stability_pool::withdraw_gains(cfg, w, acc)?;
    stability_pool::deposit(w, acc, amount)?;
    events.push(EventKind::StabilityDeposited {
        account: acc.id,
        amount,
    });
    Ok(events)
}

pub(super) fn withdraw(
    cfg: &EngineConfig,
    w: &mut World,
    acc: &mut Account,
    amount: Decimal,
) -> Result<Vec<EventKind>, Rejection> {
    if cfg.liquidation != LiquidationKind::StabilityPool {
        return Err(Rejection::NoStabilityPool);
    }
    check_amount(amount)?;
    stability_pool::withdraw(cfg, w, acc, amount)
}
