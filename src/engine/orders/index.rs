//! The automation index: what a step must look at, found without scanning every order.
//!
//! - Perp orders are keyed by their price, per market, in two ordered sets: those that fire when
//!   the mark falls to their price (a long's stop, a short's take, a buy limit) and those that
//!   fire when it rises to it. A step asks only for the orders whose price the new mark has
//!   crossed — one ordered-set range query per side and moved market — so orders far from their
//!   trigger cost nothing however many there are (`benches/orders.rs`: 10,000 resting orders).
//! - Protection rules use the liquidation index's structure (`engine::index`): each account with
//!   rules is banded by the largest price move that cannot reach any of its triggers
//!   ([`protection::band`](super::protection)), with the same interest budget and rebuilds.
//! - Strategy re-entries wait in a time-ordered set.
//!
//! The index is rebuilt from an account whenever it changes ([`AutomationIndex::sync`]).

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use super::perp::Cross;
use super::protection;
use crate::engine::account::Account;
use crate::engine::ids::{AccountId, AssetId};
use crate::engine::index::{Band, LiqIndex};
use crate::engine::params::config::EngineConfig;
use crate::engine::state::World;

type Key = (Decimal, AccountId, u64);

#[derive(Clone, Debug, Default, PartialEq)]
pub struct AutomationIndex {
    /// Orders that fire when the mark is at or below their price.
    below: BTreeMap<AssetId, BTreeSet<Key>>,
    /// Orders that fire when the mark is at or above their price.
    above: BTreeMap<AssetId, BTreeSet<Key>>,
    /// Each account's order entries, to remove them.
    orders_of: BTreeMap<AccountId, Vec<(AssetId, Cross, Key)>>,
    /// Accounts with protection rules, banded like liquidations.
    rules: LiqIndex,
    rule_accounts: BTreeSet<AccountId>,
    /// Strategy re-entries due at a time.
    wake: BTreeSet<(i64, AccountId)>,
    wake_of: BTreeMap<AccountId, i64>,
    /// Accounts with a strategy (a liquidation of its position must reach it).
    strategies: BTreeSet<AccountId>,
}

impl AutomationIndex {
    /// Nothing anywhere: a step skips the automation altogether.
    pub fn is_empty(&self) -> bool {
        self.orders_of.is_empty()
            && self.rule_accounts.is_empty()
            && self.wake.is_empty()
            && self.strategies.is_empty()
    }

    /// (resting orders, accounts with rules, planned re-entries).
    pub fn sizes(&self) -> (usize, usize, usize) {
        (
            self.orders_of.values().map(Vec::len).sum(),
            self.rule_accounts.len(),
            self.wake.len(),
        )
    }

    fn remove(&mut self, id: AccountId) {
        if let Some(entries) = self.orders_of.remove(&id) {
            for (asset, cross, key) in entries {
                let side = match cross {
                    Cross::AtOrBelow => &mut self.below,
                    Cross::AtOrAbove => &mut self.above,
                };
                if let Some(set) = side.get_mut(&asset) {
                    set.remove(&key);
                    if set.is_empty() {
                        side.remove(&asset);
                    }
                }
            }
        }
        if let Some(t) = self.wake_of.remove(&id) {
            self.wake.remove(&(t, id));
        }
        self.rules.remove(id);
        self.rule_accounts.remove(&id);
        self.strategies.remove(&id);
    }

    /// Re-indexes one account from its current automation (an account whose rule band cannot be
    /// computed is checked every step, the safe side).
    pub fn sync(&mut self, cfg: &EngineConfig, w: &World, acc: &Account) {
        self.remove(acc.id);
        let a = &acc.automation;
        if a.is_empty() {
            return;
        }
        let mut entries = Vec::with_capacity(a.orders.len());
        for o in a.orders.values() {
            let key = (o.price, acc.id, o.id);
            let side = match o.cross() {
                Cross::AtOrBelow => &mut self.below,
                Cross::AtOrAbove => &mut self.above,
            };
            side.entry(o.market.clone()).or_default().insert(key);
            entries.push((o.market.clone(), o.cross(), key));
        }
        if !entries.is_empty() {
            self.orders_of.insert(acc.id, entries);
        }
        if !a.rules.is_empty() {
            let band = protection::band(cfg, w, acc).unwrap_or(Band::Always);
            self.rules.insert(acc.id, band);
            self.rule_accounts.insert(acc.id);
        }
        if a.strategy.is_some() {
            self.strategies.insert(acc.id);
        }
        if let Some(t) = a
            .strategy
            .as_ref()
            .filter(|s| !s.in_position)
            .and_then(|s| s.reenter_at)
        {
            self.wake.insert((t, acc.id));
            self.wake_of.insert(acc.id, t);
        }
    }

    /// Orders on `asset` whose price the mark `price` has crossed, as (account, order id).
    pub fn crossed_orders(
        &self,
        asset: &AssetId,
        price: Decimal,
        out: &mut BTreeSet<(AccountId, u64)>,
    ) {
        if let Some(set) = self.below.get(asset) {
            for (_, acc, id) in set.range((price, AccountId(0), 0)..) {
                out.insert((*acc, *id));
            }
        }
        if let Some(set) = self.above.get(asset) {
            for (_, acc, id) in set.range(..=(price, AccountId(u64::MAX), u64::MAX)) {
                out.insert((*acc, *id));
            }
        }
    }

    /// Accounts whose rules must be looked at after `changed` moved: those whose band a price
    /// left, and (`first`: the step's first round) those checked every step or whose interest
    /// budget an index used up; every account with rules when funding used up the bands' budget
    /// (the bands restart then).
    pub fn rule_candidates(
        &mut self,
        w: &World,
        changed: &[AssetId],
        first: bool,
    ) -> BTreeSet<AccountId> {
        let mut out = BTreeSet::new();
        if self.rule_accounts.is_empty() {
            return out;
        }
        if first && self.rules.needs_rebuild(w) {
            self.rules.reset_epoch(w);
            return self.rule_accounts.clone();
        }
        if first {
            out.extend(self.rules.always());
            self.rules.drifted(w, &mut out);
        }
        let mut crossed = BTreeSet::new();
        for asset in changed {
            self.rules.crossed(asset, w.price(asset), &mut crossed);
        }
        out.extend(crossed);
        out
    }

    /// Accounts whose strategy re-entry is due at `now`.
    pub fn due_wakes(&self, now: i64) -> Vec<AccountId> {
        self.wake
            .range(..=(now, AccountId(u64::MAX)))
            .map(|(_, id)| *id)
            .collect()
    }

    /// Every account with protection rules.
    pub fn rule_accounts(&self) -> impl Iterator<Item = AccountId> + '_ {
        self.rule_accounts.iter().copied()
    }
}
