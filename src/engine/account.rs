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
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Accounts(BTreeMap<AccountId, std::sync::Arc<Account>>);

impl Accounts {
    pub fn new() -> Self {
        Self(BTreeMap::new())
    }
    pub fn get(&self, id: &AccountId) -> Option<&Account> {
        self.0.get(id).map(|a| a.as_ref())
    }
    /// The account to change (copied first if a checkpoint still shares it).
    pub fn get_mut(&mut self, id: &AccountId) -> Option<&mut Account> {
        self.0.get_mut(id).map(std::sync::Arc::make_mut)
    }
    pub fn insert(&mut self, id: AccountId, account: Account) {
        self.0.insert(id, std::sync::Arc::new(account));
    }
    pub fn remove(&mut self, id: &AccountId) -> Option<Account> {
        self.0
            .remove(id)
            .map(|a| std::sync::Arc::try_unwrap(a).unwrap_or_else(|shared| (*shared).clone()))
    }
    pub fn contains_key(&self, id: &AccountId) -> bool {
        self.0.contains_key(id)
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn keys(&self) -> impl Iterator<Item = &AccountId> + '_ {
        self.0.keys()
    }
    pub fn values(&self) -> impl Iterator<Item = &Account> + '_ {
        self.0.values().map(|a| a.as_ref())
    }
    pub fn iter(&self) -> impl Iterator<Item = (&AccountId, &Account)> + '_ {
        self.0.iter().map(|(id, a)| (id, a.as_ref()))
    }
    /// The accounts after `id` in id order (all of them for `None`).
    pub fn after(
        &self,
        id: Option<AccountId>,
    ) -> impl Iterator<Item = (&AccountId, &Account)> + '_ {
        use std::ops::Bound::{Excluded, Unbounded};
        let from = id.map_or(Unbounded, Excluded);
        self.0
            .range((from, Unbounded))
            .map(|(id, a)| (id, a.as_ref()))
    }
}
