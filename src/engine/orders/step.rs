//! The automation's part of [`Engine::step`]: after the step's prices are observed and before
//! its liquidation checks ([`Engine::automation_before_liquidations`]), and after the
//! liquidations ([`Engine::automation_after_liquidations`]).
//!
//! Within a step, accounts act in id order; within an account, orders in id order, then
//! protection rules in id order, then a due strategy re-entry. Fills move the market (slippage
//! model); the moved prices are observed again and may fire more orders (a stop cascade), up to
//! [`MAX_ROUNDS`] rounds; each order fires at most once a step. Each account's changes are committed on their own: an error is logged
//! as an [`EventKind::EngineFault`] and the rest goes on.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use super::perp::{self as orders, Fired};
use super::protection::{self, Acted};
use super::{strategy, tidy};
use crate::engine::account::{bump, Account};
use crate::engine::core::Engine;
use crate::engine::error::EngineError;
use crate::engine::event::EventKind;
use crate::engine::ids::{AccountId, AssetId};
use crate::engine::slippage;

/// Rounds of fills and re-observed prices per step.
pub const MAX_ROUNDS: usize = 8;

fn fault(account: Option<AccountId>, stage: &str, e: &EngineError) -> EventKind {
    EventKind::EngineFault {
        account,
        stage: stage.to_string(),
        error: e.to_string(),
    }
}

/// What one account has to do in a round.
#[derive(Default)]
struct Work {
    orders: Vec<u64>,
    rules: bool,
    wake: bool,
}

impl Engine {
    /// Orders, protection rules and strategy re-entries, on the oracle prices just observed
    /// (`changed`: the assets whose oracle price moved; the assets fills move are added to it, so
    /// the liquidation checks that follow see them).
    pub(crate) fn automation_before_liquidations(
        &mut self,
        now: i64,
        changed: &mut Vec<AssetId>,
        kinds: &mut Vec<EventKind>,
    ) {
        if self.automation.is_empty() {
            return;
        }
        // Round 0 looks at the step's observed changes; later rounds at what fills moved.
        let mut moved_now: Option<Vec<AssetId>> = None;
        // Each order fires at most once a step: a limit partly filled in one round is not filled
        // again by the price its own fill pushed back; the rest rests until the next step.
        let mut fired: BTreeSet<(AccountId, u64)> = BTreeSet::new();
        for round in 0..MAX_ROUNDS {
            let mut work: BTreeMap<AccountId, Work> = BTreeMap::new();
            let mut crossed = BTreeSet::new();
            let assets: &[AssetId] = moved_now.as_deref().unwrap_or(changed.as_slice());
            for asset in assets {
                self.automation
                    .crossed_orders(asset, self.world.price(asset), &mut crossed);
            }
            for (acc, id) in crossed {
                if fired.insert((acc, id)) {
                    work.entry(acc).or_default().orders.push(id);
                }
            }
            for acc in self
                .automation
                .rule_candidates(&self.world, assets, round == 0)
            {
                work.entry(acc).or_default().rules = true;
            }
            if round == 0 {
                for acc in self.automation.due_wakes(now) {
                    work.entry(acc).or_default().wake = true;
                }
            }
            if work.is_empty() {
                break;
            }
            let mut sales: BTreeMap<AssetId, Decimal> = BTreeMap::new();
            for (id, w) in work {
                kinds.extend(self.automate_account(id, w, now, &mut sales));
            }
            sales.retain(|_, q| !q.is_zero());
            if sales.is_empty() {
                break;
            }
            let moved = match slippage::apply_sales(&self.cfg, &mut self.world, &sales) {
                Ok((moved, evs)) => {
                    kinds.extend(super::fill_impacts(evs));
                    moved
                }
                Err(e) => {
                    kinds.push(fault(None, "market impact of order fills", &e));
                    break;
                }
            };
            let mut obs = Vec::new();
            let observed = crate::engine::step::observe(&mut self.world, now, &moved, &mut obs);
            if !obs.is_empty() {
                kinds.push(EventKind::PricesObserved { prices: obs });
            }
            for a in &observed {
                if !changed.contains(a) {
                    changed.push(a.clone());
                }
            }
            if observed.is_empty() {
                break;
            }
            moved_now = Some(observed);
        }
    }

    /// One account's orders, rules and re-entry, committed step by step.
    fn automate_account(
        &mut self,
        id: AccountId,
        work: Work,
        now: i64,
        sales: &mut BTreeMap<AssetId, Decimal>,
    ) -> Vec<EventKind> {
        let mut out = Vec::new();
        for oid in work.orders {
            let Some(acc) = self.accounts.get(&id) else {
                break;
            };
            match orders::fire(&self.cfg, &self.world, acc, oid) {
                Ok(Fired::Idle) => {}
                Ok(Fired::Filled {
                    world,
                    account,
                    events,
                    sold,
                }) => {
                    self.world = *world;
                    self.commit(account);
                    bump_sale(sales, &filled_market(&events), sold);
                    out.extend(events);
                }
                Ok(Fired::NotFilled { account, events }) => {
                    self.commit(account);
                    out.extend(events);
                }
                Err(e) => out.push(fault(Some(id), "order", &e)),
            }
        }
        if work.rules {
            let ids: Vec<u64> = self
                .accounts
                .get(&id)
                .map(|a| a.automation.rules.keys().copied().collect())
                .unwrap_or_default();
            for rid in ids {
                let Some(acc) = self.accounts.get(&id) else {
                    break;
                };
                match protection::run(&self.cfg, &self.world, acc, rid, now) {
                    Ok(Acted::Idle { account }) => {
                        if let Some(a) = account {
                            self.commit(a);
                        }
                    }
                    Ok(Acted::Done {
                        world,
                        account,
                        events,
                    }) => {
                        self.world = *world;
                        self.commit(account);
                        out.extend(events);
                    }
                    Ok(Acted::Blocked { account, events }) => {
                        self.commit(account);
                        out.extend(events);
                    }
                    Err(e) => out.push(fault(Some(id), "protection rule", &e)),
                }
            }
        }
        if work.wake {
            if let Some(acc) = self.accounts.get(&id) {
                match strategy::wake(&self.cfg, &self.world, acc, now) {
                    Ok((world, account, events, sold)) => {
                        let market = strategy_market(&account);
                        self.world = world;
                        self.commit(account);
                        out.extend(events);
                        if let Some(m) = market {
                            bump_sale(sales, &Some(m), sold);
                        }
                    }
                    Err(e) => out.push(fault(Some(id), "strategy", &e)),
                }
            }
        }
        if let Some(acc) = self.accounts.get(&id) {
            let mut a = acc.clone();
            let evs = tidy(&self.cfg, &mut a, now);
            if !evs.is_empty() {
                out.extend(evs);
                self.commit(a);
            }
        }
        self.reindex(id);
        if let Some(acc) = self.accounts.get(&id) {
            self.automation.sync(&self.cfg, &self.world, acc);
        }
        out
    }

    fn commit(&mut self, account: Account) {
        self.agents.forget(account.id);
        self.accounts.insert(account.id, account);
    }

    /// After the liquidations: reduce-only orders of positions a liquidation or auto-deleveraging
    /// closed are cancelled, a strategy whose position went plans its re-entry, and the rule
    /// bands of accounts a liquidation changed are recomputed (all of them after a Liquity
    /// redistribution, which changes other vaults).
    pub(crate) fn automation_after_liquidations(&mut self, now: i64, kinds: &mut Vec<EventKind>) {
        if self.automation.is_empty() {
            return;
        }
        let mut affected = BTreeSet::new();
        let mut everyone = false;
        for k in kinds.iter() {
            match k {
                EventKind::PositionLiquidated { account, .. }
                | EventKind::AutoDeleveraged { account, .. }
                | EventKind::Liquidated { account, .. }
                | EventKind::AuctionStarted { account, .. } => {
                    affected.insert(*account);
                }
                EventKind::Redistributed { .. } => everyone = true,
                _ => {}
            }
        }
        if everyone {
            affected.extend(self.automation.rule_accounts());
        }
        for id in affected {
            let Some(acc) = self.accounts.get(&id) else {
                continue;
            };
            if acc.automation.is_empty() {
                continue;
            }
            let mut a = acc.clone();
            kinds.extend(tidy(&self.cfg, &mut a, now));
            self.automation.sync(&self.cfg, &self.world, &a);
            self.commit(a);
        }
    }

    /// Stops keeping and hashing the event log: events are still numbered and returned by
    /// `apply` and `step`, but [`Engine::events`] stays empty and [`Engine::log_hash`] no longer
    /// moves. For runs that only read outcomes (tests across seeds), where the log is most of the
    /// cost of a step. The credit tiers' review reads liquidations and margin calls from the log
    /// (`risk::credit`), so in such a run a member's tier does not move.
    pub fn without_log(mut self) -> Self {
        self.log.set_recording(false);
        self
    }

    /// The automation index's sizes: (resting orders, accounts with rules, planned re-entries).
    pub fn automation_sizes(&self) -> (usize, usize, usize) {
        self.automation.sizes()
    }
}

/// The market of the fill in `events`.
fn filled_market(events: &[EventKind]) -> Option<AssetId> {
    events.iter().rev().find_map(|e| match e {
        EventKind::OrderFilled { market, .. } => Some(market.clone()),
        _ => None,
    })
}

fn strategy_market(acc: &Account) -> Option<AssetId> {
    match &acc.automation.strategy.as_ref()?.strategy.plan {
        super::Plan::Perp(p) => Some(p.market.clone()),
        _ => None,
    }
}

fn bump_sale(sales: &mut BTreeMap<AssetId, Decimal>, market: &Option<AssetId>, sold: Decimal) {
    if let Some(m) = market {
        if !sold.is_zero() {
            bump(sales, m, sold);
        }
    }
}

impl Engine {
    /// The events `command` would log for `account`, without changing anything (what a strategy
    /// or an order would do, shown before it is sent).
    pub fn preview_events(
        &self,
        account: AccountId,
        command: &crate::engine::Command,
    ) -> Result<Vec<EventKind>, crate::engine::Rejection> {
        let mut acc = self
            .accounts
            .get(&account)
            .cloned()
            .ok_or(crate::engine::Rejection::UnknownAccount(account))?;
        let mut w = self.world.clone();
        crate::engine::actions::apply(&self.cfg, &mut w, &mut acc, command)
    }
}
