//! Command handlers, one file per subject: [`lending`] (pooled accounts, e-mode), [`vault`]
//! (single-collateral vaults and troves), [`perp`] (positions and funding), [`stability`] (the
//! stability pool), [`alert`]; paper money is here. Each runs on copies of the account and the
//! world; the engine commits the copies only when the handler returns `Ok`, so a rejected command
//! changes nothing.

mod alert;
mod lending;
mod perp;
mod stability;
mod vault;

pub(crate) use lending::lending;
pub(crate) use perp::{adjust_open_interest, open_position, reduce_position, settle_funding};
pub(crate) use vault::vault;

use super::account::{bump, Account};
use super::command::Command;
use super::error::Rejection;
use super::event::{EventKind, LendingAction};
use super::ids::AssetId;
use super::num::{add, fmt_num, MAX_AMOUNT};
use super::params::config::{CollateralDesign, EngineConfig};
use super::state::World;
use rust_decimal::Decimal;

pub(crate) fn check_amount(amount: Decimal) -> Result<(), Rejection> {
    if amount <= Decimal::ZERO || amount > MAX_AMOUNT {
        return Err(Rejection::InvalidAmount(amount));
    }
    Ok(())
}

pub(super) fn check_asset(cfg: &EngineConfig, asset: &AssetId) -> Result<(), Rejection> {
    cfg.asset(asset)
        .map(|_| ())
        .ok_or_else(|| Rejection::UnknownAsset(asset.clone()))
}

pub(crate) fn need_design(
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

pub(super) fn take_wallet(
    acc: &mut Account,
    asset: &AssetId,
    amount: Decimal,
) -> Result<(), Rejection> {
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

pub(super) fn describe(verb: &str, amount: Decimal, asset: &AssetId) -> String {
    format!("{verb} {} {asset}", fmt_num(amount, 6))
}

/// Applies `cmd` to copies `w` and `acc`. `CreateAccount` is handled by the engine.
pub(crate) fn apply(
    cfg: &EngineConfig,
    w: &mut World,
    acc: &mut Account,
    cmd: &Command,
) -> Result<Vec<EventKind>, Rejection> {
    let mut kinds = handle(cfg, w, acc, cmd)?;
    // Orders whose position a command closed are cancelled; a strategy notices (`orders`).
    crate::engine::orders::after_command(cfg, w, acc, &mut kinds);
    Ok(kinds)
}

fn handle(
    cfg: &EngineConfig,
    w: &mut World,
    acc: &mut Account,
    cmd: &Command,
) -> Result<Vec<EventKind>, Rejection> {
    match cmd {
        Command::CreateAccount { .. } => Err(Rejection::AccountExists(acc.id)),
        Command::Fund { asset, amount } => fund(cfg, w, acc, asset, *amount),
        Command::Deposit { asset, amount } => {
            lending::lending(cfg, w, acc, LendingAction::Deposit, asset, *amount)
        }
        Command::Withdraw { asset, amount } => {
            lending::lending(cfg, w, acc, LendingAction::Withdraw, asset, *amount)
        }
        Command::Borrow { asset, amount } => {
            lending::lending(cfg, w, acc, LendingAction::Borrow, asset, *amount)
        }
        Command::Repay { asset, amount } => {
            lending::lending(cfg, w, acc, LendingAction::Repay, asset, *amount)
        }
        Command::VaultDeposit { collateral, amount } => {
            vault::vault(cfg, w, acc, LendingAction::Deposit, collateral, *amount)
        }
        Command::VaultWithdraw { collateral, amount } => {
            vault::vault(cfg, w, acc, LendingAction::Withdraw, collateral, *amount)
        }
        Command::VaultBorrow { collateral, amount } => {
            vault::vault(cfg, w, acc, LendingAction::Borrow, collateral, *amount)
        }
        Command::VaultRepay { collateral, amount } => {
            vault::vault(cfg, w, acc, LendingAction::Repay, collateral, *amount)
        }
        Command::OpenPosition {
            market,
            side,
            size,
            leverage,
            mode,
        } => perp::open_position(cfg, w, acc, market, *side, *size, *leverage, *mode, None),
        Command::ReducePosition { market, size } => {
            perp::reduce_position(cfg, w, acc, market, Some(*size), None)
        }
        Command::ClosePosition { market } => perp::reduce_position(cfg, w, acc, market, None, None),
        Command::SetAlert { kind, threshold } => alert::set(acc, *kind, *threshold),
        Command::StabilityDeposit { amount } => stability::deposit(cfg, w, acc, *amount),
        Command::StabilityWithdraw { amount } => stability::withdraw(cfg, w, acc, *amount),
        Command::SetEMode { category } => lending::set_emode(cfg, w, acc, *category),
        Command::JoinCreditTiers => crate::engine::risk::credit::join(cfg, w, acc),
        Command::RatingDowngrade { notches } => {
            crate::engine::risk::credit::downgrade(cfg, w, acc, *notches)
        }
        Command::PlaceOrder { .. }
        | Command::AmendOrder { .. }
        | Command::CancelOrder { .. }
        | Command::SetProtection { .. }
        | Command::ClearProtection { .. }
        | Command::SetStrategy { .. }
        | Command::ClearStrategy => crate::engine::orders::apply_command(cfg, w, acc, cmd),
    }
}

/// Paper money: credits the wallet (and records it as minted, for the conservation law).
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
