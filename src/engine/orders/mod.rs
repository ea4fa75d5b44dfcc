//! Orders and automation: perp stop-loss, take-profit and limit orders ([`perp`]), protection
//! rules on lending accounts and vaults ([`protection`]), and strategies — a named plan with
//! parameters that enters and attaches its own orders and rules ([`strategy`]). They live on the
//! account ([`Automation`]), are indexed by trigger price ([`index`]) and act inside
//! [`Engine::step`](super::Engine::step) ([`step`]).
//!
//! # When they act: before the liquidation checks of the same step
//!
//! Each step observes the market and the oracle first. Orders and rules then act **on the oracle
//! (mark) price the engine has just seen**, and only then does the engine check liquidations. So:
//! - a stop-loss above a long's liquidation price (below a short's) fires first, and the position
//!   is closed before the liquidation check looks at it;
//! - when the price gaps through both the stop and the liquidation price in one step, the stop is
//!   still filled first, at the gapped price (worse than its trigger, see below), and the
//!   liquidation check then runs on whatever is left (nothing, for a stop on the whole position;
//!   the rest, for a partial stop);
//! - when the gap goes past the bankruptcy price (the loss exceeds the margin), the stop cannot
//!   close the position: it reports why ([`EventKind::OrderNotFilled`]) and the liquidation engine
//!   takes the position over (insurance fund, auto-deleveraging).
//!
//! Real exchanges run stops and liquidations in separate engines racing on the same mark price;
//! Margin Lab fixes the order so that a replay is deterministic and a learner can read why.
//!
//! # Fills (the slippage model of `slippage.rs`)
//!
//! - Stop-loss and take-profit are reduce-only **market orders that wait for a price** (Binance
//!   `STOP_MARKET` / `TAKE_PROFIT_MARKET` with `reduceOnly`): when the mark reaches the trigger they
//!   fill at the mark reached — a gap fills worse than the trigger — and pay the linear impact of
//!   their size, half the move on average (`mark × (1 ∓ size × mark / depth / 2)`). The sale moves
//!   the market like a liquidation sale, so stops can cascade.
//! - A limit order (to open or add) never fills worse than its limit: it fills at the limit price
//!   once the mark has traded **through** it (a touch is not a fill). How much fills is what the
//!   slippage model says traded beyond the limit in the step: moving the price by a fraction `x`
//!   takes `x × depth / price` units, so a shallow cross fills part of a large order and the rest
//!   keeps resting (partial fills). Margin Lab's rule, stated in the app: the resting order is a
//!   maker, it gets its price; size limits how much of it fills, not the price it gets.
//! - Strategy entries are market orders placed by the automation: they fill at the mark with the
//!   slippage of their size. The order ticket's own market orders keep filling at the mark, as
//!   before (the engine does not model an order book for them).
//! - Margin is not set aside for a resting limit order; it is checked when the order fills, and an
//!   order that cannot be paid then is cancelled with the reason.
//!
//! # Protection rules and strategies
//!
//! Protection rules act like the automation services of DeFi lending (DeFi Saver, Instadapp):
//! repay from the wallet back to a target health factor when it falls below a trigger, borrow more
//! to a target when it rises above one (boost), add collateral to a vault when its ratio falls.
//! Each firing logs what it moved and what it cost; a rule that cannot act (an empty wallet, a
//! borrow limit) says why, once per episode, and its state shows it until it can act again.
//! Margin Lab charges no automation fee (services do, plus gas): the cost shown is what the rule
//! moved from the wallet or added to the debt.
//!
//! Nothing here exists under the 2026-11 rules: the commands are refused there and a step emits no
//! event of this module.

pub mod equity;
pub mod explain;
pub mod index;
pub mod perp;
pub mod protection;
mod step;
pub mod strategy;

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::account::Account;
use super::command::Command;
use super::error::Rejection;
use super::event::EventKind;
use super::params::config::EngineConfig;
use super::params::RulesVersion;
use super::state::World;

pub use index::AutomationIndex;
pub use perp::{Cross, OpenTerms, Order, OrderKind, OrderRequest};
pub use protection::{ProtectionRule, Rule, RuleState};
pub use strategy::{BorrowPlan, PerpPlan, Plan, Strategy, StrategyState, StrategyStep, VaultPlan};

/// Most open orders plus protection rules one account may hold.
pub const MAX_PER_ACCOUNT: usize = 64;

/// Who placed an order or set a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Origin {
    /// The learner, by hand.
    Manual,
    /// The account's strategy.
    Strategy,
}

/// Why an order was cancelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CancelReason {
    /// The learner cancelled it.
    ByYou,
    /// Its position is gone (closed by hand, by another order or by a liquidation): a
    /// reduce-only order has nothing left to reduce.
    PositionClosed,
    /// The strategy that placed it was cleared.
    StrategyCleared,
    /// It fired but could not fill (the reason is in the event before).
    NotFilled,
}

/// Orders, protection rules and strategy of one account.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Automation {
    pub orders: BTreeMap<u64, Order>,
    pub rules: BTreeMap<u64, Rule>,
    pub strategy: Option<StrategyState>,
    /// The last id given to an order or a rule (ids are per account, from 1).
    pub last_id: u64,
}

impl Automation {
    pub fn is_empty(&self) -> bool {
        self.orders.is_empty() && self.rules.is_empty() && self.strategy.is_none()
    }

    fn next_id(&mut self) -> u64 {
        self.last_id += 1;
        self.last_id
    }

    fn room(&self) -> Result<(), Rejection> {
        if self.orders.len() + self.rules.len() >= MAX_PER_ACCOUNT {
            return Err(Rejection::TooManyOrders(MAX_PER_ACCOUNT));
        }
        Ok(())
    }
}

/// Orders and automation exist from the 2026-12 rules on.
fn available(cfg: &EngineConfig) -> Result<(), Rejection> {
    if cfg.rules == RulesVersion::V2026_11 {
        return Err(Rejection::AutomationUnavailable(cfg.rules.label().into()));
    }
    Ok(())
}

/// The handler of this module's commands (on the copies the engine commits on success).
pub(crate) fn apply_command(
    cfg: &EngineConfig,
    w: &mut World,
    acc: &mut Account,
    cmd: &Command,
) -> Result<Vec<EventKind>, Rejection> {
    available(cfg)?;
    match cmd {
        Command::PlaceOrder { order } => perp::place(cfg, w, acc, order, Origin::Manual),
        Command::AmendOrder { id, price, size } => perp::amend(cfg, w, acc, *id, *price, *size),
        Command::CancelOrder { id } => perp::cancel(acc, *id, CancelReason::ByYou),
        Command::SetProtection { rule } => protection::set(cfg, w, acc, rule, Origin::Manual),
        Command::ClearProtection { id } => protection::clear(acc, *id),
        Command::SetStrategy { strategy } => strategy::set(cfg, w, acc, strategy),
        Command::ClearStrategy => strategy::clear(acc),
        _ => Err(Rejection::AccountExists(acc.id)),
    }
}

/// After any command: reduce-only orders whose position is gone are cancelled, and a strategy
/// whose position closed plans its re-entry. Nothing happens for accounts without automation.
pub(crate) fn after_command(
    cfg: &EngineConfig,
    w: &World,
    acc: &mut Account,
    kinds: &mut Vec<EventKind>,
) {
    if acc.automation.is_empty() {
        return;
    }
    kinds.extend(tidy(cfg, acc, w.now));
}

/// Cancels reduce-only orders left without their position and moves the strategy on when its
/// position is gone.
pub(crate) fn tidy(cfg: &EngineConfig, acc: &mut Account, now: i64) -> Vec<EventKind> {
    let mut out = perp::cancel_orphans(acc);
    out.extend(strategy::notice_exit(cfg, acc, now));
    out
}

/// The market-impact events of order fills, told apart from liquidation sales.
pub(crate) fn fill_impacts(events: Vec<EventKind>) -> Vec<EventKind> {
    events
        .into_iter()
        .map(|e| match e {
            EventKind::MarketImpact {
                asset,
                sold,
                price_before,
                price_after,
            } => EventKind::FillImpact {
                asset,
                sold,
                price_before,
                price_after,
            },
            other => other,
        })
        .collect()
}

/// The smallest positive `Decimal` difference that counts (amounts are rounded to this many
/// decimal places when the automation computes them).
pub(crate) const AMOUNT_DP: u32 = 8;

/// Rounds an amount the automation computed down to [`AMOUNT_DP`] places (never more than was
/// computed, so caps hold).
pub(crate) fn floor_amount(x: Decimal) -> Decimal {
    x.round_dp_with_strategy(AMOUNT_DP, rust_decimal::RoundingStrategy::ToZero)
}

/// Rounds up to [`AMOUNT_DP`] places (enough to reach a target).
pub(crate) fn ceil_amount(x: Decimal) -> Decimal {
    x.round_dp_with_strategy(AMOUNT_DP, rust_decimal::RoundingStrategy::AwayFromZero)
}
