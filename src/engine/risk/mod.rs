//! The risk desk: value at risk, stress tests, reverse stress tests, credit tiers and the risk
//! report, all computed **by running the engine**. A loss here is what a clone of the engine
//! ends with after prices move — liquidations, penalties, slippage and bad debt included — never
//! a linear P&L.
//!
//! - [`var`]: losses over price paths (Monte Carlo paths, historical windows) replayed through a
//!   copy of the engine; VaR, expected shortfall, liquidation probability, expected liquidation
//!   loss, the histogram; the parametric (variance–covariance) figures.
//! - [`stats`]: the statistics shown to the learner, in `f64` with `libm` (identical natively
//!   and in wasm).
//! - [`stress`]: a library of named shocks with their sources, and custom shocks, applied to the
//!   current portfolio through a clone of the engine.
//! - [`reverse`]: the smallest uniform drop, and the smallest drop of each asset, that triggers a
//!   liquidation (bisection against the engine), and the 99% joint move of the correlations.
//! - [`credit`]: Margin Lab's credit score and tiers (engine state and events).
//! - [`report`]: the risk report (valuation with haircuts, limits, VaR, stress, credit history,
//!   audit trail) as data and JSON.
//!
//! Price paths come in as data: the engine never imports the feed module. Where the paths come
//! from (the scenario's simulator, recorded history, the feed's own past ticks) is decided in
//! `replay::risk`.

pub mod credit;
pub mod report;
pub mod reverse;
pub mod stats;
pub mod stress;
pub mod var;

use std::collections::{BTreeMap, BTreeSet};

use super::account::Account;
use super::command::Command;
use super::core::Engine;
use super::error::Rejection;
use super::event::EventKind;
use super::ids::{AccountId, AssetId};
use super::liquidation::margin_call::{self, MarginCallState};
use super::params::EngineConfig;
use super::state::World;
use rust_decimal::Decimal;

/// Risk state the engine carries: open margin calls and the members of the credit tiers.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RiskState {
    pub margin_calls: BTreeMap<AccountId, MarginCallState>,
    pub credit_accounts: BTreeSet<AccountId>,
    /// Length of the event log when the credit tiers last read it.
    pub credit_cursor: usize,
}

/// Work after a command (on the engine's working copies): an open margin call the command cured,
/// and the credit record of a member. Nothing happens for accounts with neither (always the
/// case under the 2026-11 rules).
pub(crate) fn after_command(
    cfg: &EngineConfig,
    w: &mut World,
    acc: &mut Account,
    command: &Command,
    kinds: &mut Vec<EventKind>,
) -> Result<(), Rejection> {
    margin_call::cure_check(cfg, w, acc, command, kinds).map_err(Rejection::from)?;
    credit::after_command(cfg, w, acc, command, kinds);
    Ok(())
}

impl Engine {
    /// A working copy of this engine for what-if runs: the same state with an empty event log
    /// that keeps no hash (copying the log would cost as much as the session is long, and a
    /// what-if's hash is never read).
    pub fn scratch(&self) -> Engine {
        Engine {
            cfg: self.cfg.clone(),
            world: self.world.clone(),
            accounts: self.accounts.clone(),
            log: super::event::EventLog::unhashed(),
            index: self.index.clone(),
            alert_accounts: self.alert_accounts.clone(),
            stats: self.stats,
            agents: self.agents.clone(),
            automation: self.automation.clone(),
            pending: self.pending.clone(),
        }
    }

    /// Like [`Engine::scratch`], with a log that hashes (a chain of its own, from the start): a
    /// copy whose steps do all the work a session's steps do, to warm the browser's compiler up
    /// (`ui::util::warm`). Its hash means nothing and is never read.
    pub fn rehearsal(&self) -> Engine {
        Engine {
            log: super::event::EventLog::new(),
            ..self.scratch()
        }
    }

    /// The open margin call of `account`, if any.
    pub fn margin_call(&self, account: &AccountId) -> Option<&MarginCallState> {
        self.world.risk.margin_calls.get(account)
    }

    /// What meets the open margin call of `account` now: the cash to deposit (cash counts in
    /// full) or repay, `debt − Σ value × LT` (`None` without a call).
    pub fn margin_call_deficit(&self, account: &AccountId) -> Option<Decimal> {
        self.margin_call(account)?;
        let m = self.account_metrics(account).ok()?;
        Some((m.debt_value - m.weighted_collateral).max(Decimal::ZERO))
    }

    /// The account's equity valued at **market** prices (the feed's, after liquidation impact)
    /// rather than the oracle's: what the position is worth if sold now. Risk figures use it.
    pub fn market_equity(&self, account: &AccountId) -> Result<Decimal, Rejection> {
        let acc = self
            .accounts
            .get(account)
            .ok_or(Rejection::UnknownAccount(*account))?;
        let mut w = self.world.clone();
        for st in w.assets.values_mut() {
            st.price = st.market_price;
        }
        super::metrics::account_metrics(&self.cfg, &w, acc)
            .map(|m| m.equity)
            .map_err(Rejection::from)
    }

    /// How the account's market equity moves with each asset's market price: `∂equity / ∂ln p`
    /// (its exposure in quote, signed), by a 1% bump of each price. Exact for what the engine
    /// holds (equity is linear in prices); assets with no exposure are left out.
    pub fn exposures(&self, account: &AccountId) -> Result<BTreeMap<AssetId, Decimal>, Rejection> {
        let acc = self
            .accounts
            .get(account)
            .ok_or(Rejection::UnknownAccount(*account))?;
        let mut w = self.world.clone();
        for st in w.assets.values_mut() {
            st.price = st.market_price;
        }
        let base = super::metrics::account_metrics(&self.cfg, &w, acc)
            .map_err(Rejection::from)?
            .equity;
        let bump = Decimal::new(1, 2);
        let mut out = BTreeMap::new();
        let ids: Vec<AssetId> = w.assets.keys().cloned().collect();
        for id in ids {
            let mut w2 = w.clone();
            if let Some(st) = w2.assets.get_mut(&id) {
                st.price *= Decimal::ONE + bump;
            }
            let e = super::metrics::account_metrics(&self.cfg, &w2, acc)
                .map_err(Rejection::from)?
                .equity;
            let d = (e - base) / bump;
            if !d.is_zero() {
                out.insert(id, d);
            }
        }
        Ok(out)
    }
}
