//! Account state: wallet, pooled collateral and debt, vaults, leveraged positions, alerts.
//!
//! Pooled collateral and debt are stored **scaled** by their asset's supply / borrow index (as Aave's
//! aTokens and variable debt tokens do): `amount = scaled × index`. Interest then accrues to every
//! account at once by moving the index, so a step costs O(assets), not O(accounts).

use super::asset_map::AssetMap;
use super::command::{AlertKind, MarginMode, Side};
use super::ids::{AccountId, AssetId};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// A single-collateral vault (Maker vault / Liquity trove). The debt asset is the scenario's
/// `debt_asset`; the debt is scaled by the collateral's stability-fee index.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Vault {
    pub collateral: Decimal,
    pub debt_scaled: Decimal,
    /// Liquity's lazy redistribution: the vault's stake and the per-stake totals it has taken in
    /// (see `health::pending`); zero under rules without it.
    pub stake: Decimal,
    pub snapshot_collateral: Decimal,
    pub snapshot_debt: Decimal,
}

/// A leveraged perpetual position. `size` is positive; `side` gives the direction.
#[derive(Clone, Debug, PartialEq)]
pub struct Position {
    pub side: Side,
    pub size: Decimal,
    pub entry_price: Decimal,
    pub mode: MarginMode,
    /// Leverage chosen at the last increase; cross positions need `notional / leverage` initial margin.
    pub leverage: Decimal,
    /// Isolated margin held by the position (zero for cross).
    pub margin: Decimal,
    /// The market's cumulative funding per unit when funding was last settled.
    pub funding_snapshot: Decimal,
}

impl Position {
    /// +1 for long, −1 for short.
    pub fn sign(&self) -> Decimal {
        match self.side {
            Side::Long => Decimal::ONE,
            Side::Short => Decimal::NEGATIVE_ONE,
        }
    }
}

/// A user alert; `fired` is set when it triggers and cleared when the metric recovers.
#[derive(Clone, Debug, PartialEq)]
pub struct Alert {
    pub threshold: Decimal,
    pub fired: bool,
}

/// A stability-pool deposit (Liquity): `amount0` deposited when the pool's product was `p0` and
/// its collateral-gain sums were `s0` (see `liquidation/stability_pool.rs`).
#[derive(Clone, Debug, PartialEq)]
pub struct StabilityDeposit {
    pub amount0: Decimal,
    pub p0: Decimal,
    pub s0: BTreeMap<AssetId, Decimal>,
}

/// One participant.
#[derive(Clone, Debug, PartialEq)]
pub struct Account {
    pub id: AccountId,
    pub label: String,
    pub wallet: AssetMap<Decimal>,
    pub collateral_scaled: AssetMap<Decimal>,
    pub debt_scaled: AssetMap<Decimal>,
    pub vaults: AssetMap<Vault>,
    pub positions: AssetMap<Position>,
    pub alerts: BTreeMap<AlertKind, Alert>,
    pub stability: Option<StabilityDeposit>,
    pub realized_pnl: Decimal,
    /// Aave e-mode category in use, if any.
    pub emode: Option<u8>,
    /// Aave isolation mode: the isolated collateral this account borrows against, if any.
    pub isolation: Option<AssetId>,
    /// Supplied assets that do not count as collateral (Aave isolation mode: an isolated asset
    /// supplied beside other collateral, or other assets supplied while isolated).
    pub collateral_off: BTreeSet<AssetId>,
    /// Margin Lab's credit tiers: the account's record once it joined (`engine::risk::credit`).
    pub credit: Option<super::risk::credit::CreditRecord>,
    /// Orders, protection rules and strategy (`engine::orders`).
    pub automation: super::orders::Automation,
}

impl Account {
    pub fn new(id: AccountId, label: String) -> Self {
        Self {
            id,
            label,
            wallet: AssetMap::new(),
            collateral_scaled: AssetMap::new(),
            debt_scaled: AssetMap::new(),
            vaults: AssetMap::new(),
            positions: AssetMap::new(),
            alerts: BTreeMap::new(),
            stability: None,
            realized_pnl: Decimal::ZERO,
            emode: None,
            isolation: None,
            collateral_off: BTreeSet::new(),
            credit: None,
            automation: Default::default(),
        }
    }

    pub fn wallet(&self, asset: &AssetId) -> Decimal {
        self.wallet.get(asset).copied().unwrap_or_default()
    }

    /// Adds (or with a negative delta removes) wallet balance; zero balances are dropped.
    pub fn credit(&mut self, asset: &AssetId, delta: Decimal) {
        bump(&mut self.wallet, asset, delta);
    }

    /// True when there is nothing left that could be liquidated.
    pub fn has_risk(&self) -> bool {
        !self.debt_scaled.is_empty()
            || self.vaults.values().any(|v| v.debt_scaled > Decimal::ZERO)
            || !self.positions.is_empty()
    }
}

/// Adds `delta` to `map[key]`, removing the entry when it reaches zero.
pub fn bump(map: &mut impl Balances, key: &AssetId, delta: Decimal) {
    map.bump(key, delta);
}

/// Balances per asset that [`bump`] changes: an account's ([`AssetMap`]) or the ledger's.
pub trait Balances {
    /// Adds `delta` to the balance of `key`, removing it when it reaches zero.
    fn bump(&mut self, key: &AssetId, delta: Decimal);
}

impl Balances for BTreeMap<AssetId, Decimal> {
    fn bump(&mut self, key: &AssetId, delta: Decimal) {
        let v = self.get(key).copied().unwrap_or_default() + delta;
        if v.is_zero() {
            self.remove(key);
        } else {
            self.insert(key.clone(), v);
        }
    }
}

impl Balances for AssetMap<Decimal> {
    fn bump(&mut self, key: &AssetId, delta: Decimal) {
        match self.get_mut(key) {
            Some(v) => {
                *v += delta;
                if v.is_zero() {
                    self.remove(key);
                }
            }
            None if delta.is_zero() => {}
            None => {
                self.insert(key.clone(), delta);
            }
        }
    }
}

/// Every account, by id. Accounts are shared copy-on-write (`Arc`): a checkpoint of the engine
/// copies pointers, not accounts, and an account is copied only when it changes afterwards — so
/// keeping checkpoints of a crowd of borrowers costs what changed, not the crowd.
///
/// A crowd's borrowers are numbered without gaps from [`DENSE_FROM`]: those are kept in a vector
/// by number, so that finding one (every re-check, every active borrower's turn) is an index
/// rather than a search of a tree of 10,000s. Other accounts (the learner, the crowd's lender, an
/// id past the end of the run) are kept in a map. Iteration is in id order either way.
#[derive(Clone, Debug, Default)]
pub struct Accounts {
    /// Accounts outside the dense run. None of them has an id the dense run covers.
    sparse: BTreeMap<AccountId, Arc<Account>>,
    /// Ids `DENSE_FROM + i` at `i` (a removed one leaves its slot empty).
    dense: Vec<Option<(AccountId, Arc<Account>)>>,
    /// How many slots of `dense` hold an account.
    in_dense: usize,
}

/// The first id of the dense run (the crowd's first borrower, `population::FIRST`).
pub const DENSE_FROM: u64 = super::population::FIRST;

/// As maps: the same accounts under the same ids.
impl PartialEq for Accounts {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Accounts {
    pub fn new() -> Self {
        Self::default()
    }

    /// `id`'s slot in the dense run, if the run covers it.
    fn slot(&self, id: &AccountId) -> Option<usize> {
        let i = usize::try_from(id.0.checked_sub(DENSE_FROM)?).ok()?;
        (i < self.dense.len()).then_some(i)
    }

    pub fn get(&self, id: &AccountId) -> Option<&Account> {
        match self.slot(id) {
            Some(i) => self.dense[i].as_ref().map(|(_, a)| a.as_ref()),
            None => self.sparse.get(id).map(|a| a.as_ref()),
        }
    }

    /// The account to change (copied first if a checkpoint still shares it).
    pub fn get_mut(&mut self, id: &AccountId) -> Option<&mut Account> {
        match self.slot(id) {
            Some(i) => self.dense[i].as_mut().map(|(_, a)| Arc::make_mut(a)),
            None => self.sparse.get_mut(id).map(Arc::make_mut),
        }
    }

    pub fn insert(&mut self, id: AccountId, account: Account) {
        let account = Arc::new(account);
        if let Some(i) = self.slot(&id) {
            if self.dense[i].replace((id, account)).is_none() {
                self.in_dense += 1;
            }
            return;
        }
        // The next id of the run extends it (unless the map already holds it).
        let next = id.0.checked_sub(DENSE_FROM) == Some(self.dense.len() as u64);
        if next && !self.sparse.contains_key(&id) {
            self.dense.push(Some((id, account)));
            self.in_dense += 1;
        } else {
            self.sparse.insert(id, account);
        }
    }

    pub fn remove(&mut self, id: &AccountId) -> Option<Account> {
        let shared = match self.slot(id) {
            Some(i) => {
                let (_, a) = self.dense[i].take()?;
                self.in_dense -= 1;
                a
            }
            None => self.sparse.remove(id)?,
        };
        Some(Arc::try_unwrap(shared).unwrap_or_else(|shared| (*shared).clone()))
    }

    pub fn contains_key(&self, id: &AccountId) -> bool {
        self.get(id).is_some()
    }

    pub fn len(&self) -> usize {
        self.sparse.len() + self.in_dense
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn keys(&self) -> impl Iterator<Item = &AccountId> + '_ {
        self.iter().map(|(id, _)| id)
    }

    pub fn values(&self) -> impl Iterator<Item = &Account> + '_ {
        self.iter().map(|(_, a)| a)
    }

    /// Every account in id order: the map's below the run, the run's, the map's after it.
    pub fn iter(&self) -> impl Iterator<Item = (&AccountId, &Account)> + '_ {
        self.after(None)
    }

    /// The accounts after `id` in id order (all of them for `None`).
    pub fn after(
        &self,
        id: Option<AccountId>,
    ) -> impl Iterator<Item = (&AccountId, &Account)> + '_ {
        use std::ops::Bound::{Excluded, Included, Unbounded};
        let first = AccountId(DENSE_FROM);
        // `id` inside or after the run: the map's accounts below the run are all before it,
        // the run's slots up to it too. Otherwise everything from the run on comes after it.
        let (below, skip, above) = match id {
            Some(x) if x >= first => (
                None,
                usize::try_from(x.0 - DENSE_FROM)
                    .map_or(usize::MAX, |i| i.saturating_add(1))
                    .min(self.dense.len()),
                Excluded(x),
            ),
            _ => (
                Some(
                    self.sparse
                        .range((id.map_or(Unbounded, Excluded), Excluded(first))),
                ),
                0,
                Included(first),
            ),
        };
        below
            .into_iter()
            .flatten()
            .chain(self.dense[skip..].iter().flatten().map(|(id, a)| (id, a)))
            .chain(self.sparse.range((above, Unbounded)))
            .map(|(id, a)| (id, a.as_ref()))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};

    #[derive(Clone, Debug)]
    enum Op {
        Insert(u64),
        Remove(u64),
        After(Option<u64>),
    }

    /// Ids around the start of the dense run, and a few far from it.
    fn id() -> impl Strategy<Value = u64> {
        prop_oneof![
            4 => DENSE_FROM - 3..DENSE_FROM + 12,
            1 => 0u64..5,
            1 => Just(u64::MAX),
            1 => DENSE_FROM + 1_000_000..DENSE_FROM + 1_000_003,
        ]
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => id().prop_map(Op::Insert),
            2 => id().prop_map(Op::Remove),
            1 => proptest::option::of(id()).prop_map(Op::After),
        ]
    }

    /// Accounts answer as a `BTreeMap` of the same ids would: lookups, removals, iteration in id
    /// order and iteration after an id, whichever side (run or map) an id went to. Counts the
    /// cases where both sides held accounts when compared.
    #[test]
    fn accounts_answer_as_a_map_by_id() {
        let mut runner = TestRunner::new(Config::with_cases(400));
        let both = std::cell::Cell::new(0u32);
        runner
            .run(&proptest::collection::vec(op(), 1..60), |ops| {
                let mut ours = Accounts::new();
                let mut theirs: BTreeMap<AccountId, String> = BTreeMap::new();
                for (n, op) in ops.into_iter().enumerate() {
                    match op {
                        Op::Insert(i) => {
                            let label = format!("{i}/{n}");
                            ours.insert(AccountId(i), Account::new(AccountId(i), label.clone()));
                            theirs.insert(AccountId(i), label);
                        }
                        Op::Remove(i) => prop_assert_eq!(
                            ours.remove(&AccountId(i)).map(|a| a.label),
                            theirs.remove(&AccountId(i))
                        ),
                        Op::After(x) => {
                            let x = x.map(AccountId);
                            let want: Vec<_> = theirs
                                .iter()
                                .filter(|(k, _)| x.is_none_or(|x| **k > x))
                                .map(|(k, v)| (*k, v.clone()))
                                .collect();
                            let got: Vec<_> =
                                ours.after(x).map(|(k, a)| (*k, a.label.clone())).collect();
                            prop_assert_eq!(got, want);
                        }
                    }
                    for i in theirs.keys().copied().chain([AccountId(DENSE_FROM + 2)]) {
                        prop_assert_eq!(ours.get(&i).map(|a| &a.label), theirs.get(&i));
                    }
                    prop_assert_eq!(ours.len(), theirs.len());
                    let got: Vec<_> = ours.iter().map(|(k, a)| (*k, a.label.clone())).collect();
                    let want: Vec<_> = theirs.iter().map(|(k, v)| (*k, v.clone())).collect();
                    prop_assert_eq!(got, want);
                    if ours.in_dense > 0 && !ours.sparse.is_empty() {
                        both.set(both.get() + 1);
                    }
                }
                Ok(())
            })
            .unwrap();
        assert!(
            both.get() >= 2_000,
            "only {} comparisons with both sides",
            both.get()
        );
    }
}
