//! [`AssetMap`]: an account's few entries per asset (wallet balances, collateral, debts, vaults,
//! positions), kept in one short vector sorted by asset id.
//!
//! An account holds one to three assets in each of these maps. As `BTreeMap`s each non-empty map
//! took a 360-byte node of its own (room for eleven entries), allocated on the first entry and
//! copied whole when an account shared with a checkpoint changed: a crowd of 100,000 borrowers
//! allocated about 900,000 such nodes while it was generated. Here an entry takes its own size.
//! The order is the `BTreeMap`'s (ids in text order), so iteration, and everything the engine
//! logs and hashes after iterating, are unchanged.

use super::ids::AssetId;
use std::fmt;

/// A map from asset id to `V`, sorted by id (see the module's documentation). Lookups compare
/// ids one by one: with a handful of entries that is faster than a search, and ids copied from
/// the configuration compare by pointer first.
#[derive(Clone, PartialEq, Eq)]
pub struct AssetMap<V>(Vec<(AssetId, V)>);

impl<V> Default for AssetMap<V> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<V: fmt::Debug> fmt::Debug for AssetMap<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<V> AssetMap<V> {
    pub const fn new() -> Self {
        Self(Vec::new())
    }

    fn position(&self, key: &AssetId) -> Option<usize> {
        self.0.iter().position(|(k, _)| k == key)
    }

    pub fn get(&self, key: &AssetId) -> Option<&V> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn get_mut(&mut self, key: &AssetId) -> Option<&mut V> {
        self.0.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn contains_key(&self, key: &AssetId) -> bool {
        self.position(key).is_some()
    }

    /// Sets `key`'s value; returns the value it replaces, if any.
    pub fn insert(&mut self, key: AssetId, value: V) -> Option<V> {
        if let Some(i) = self.position(&key) {
            return Some(std::mem::replace(&mut self.0[i].1, value));
        }
        let at = self.0.partition_point(|(k, _)| *k < key);
        if self.0.capacity() == 0 {
            // Most maps hold one entry: room for exactly that at first.
            self.0.reserve_exact(1);
        }
        self.0.insert(at, (key, value));
        None
    }

    /// `key`'s value, inserted first with `make` when absent.
    pub fn get_or_insert_with(&mut self, key: &AssetId, make: impl FnOnce() -> V) -> &mut V {
        let i = match self.position(key) {
            Some(i) => i,
            None => {
                self.insert(key.clone(), make());
                self.position(key).expect("just inserted")
            }
        };
        &mut self.0[i].1
    }

    pub fn remove(&mut self, key: &AssetId) -> Option<V> {
        self.position(key).map(|i| self.0.remove(i).1)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Entries in id order.
    pub fn iter(&self) -> Iter<'_, V> {
        Iter(self.0.iter())
    }

    pub fn iter_mut(&mut self) -> impl DoubleEndedIterator<Item = (&AssetId, &mut V)> {
        self.0.iter_mut().map(|(k, v)| (&*k, v))
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &AssetId> + ExactSizeIterator + Clone {
        self.0.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator + Clone {
        self.0.iter().map(|(_, v)| v)
    }

    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut V> {
        self.0.iter_mut().map(|(_, v)| v)
    }

    /// Keeps the entries `keep` says to keep.
    pub fn retain(&mut self, mut keep: impl FnMut(&AssetId, &mut V) -> bool) {
        self.0.retain_mut(|(k, v)| keep(k, v));
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }
}

/// [`AssetMap::iter`].
#[derive(Clone)]
pub struct Iter<'a, V>(std::slice::Iter<'a, (AssetId, V)>);

impl<'a, V> Iterator for Iter<'a, V> {
    type Item = (&'a AssetId, &'a V);
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (k, v))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<V> DoubleEndedIterator for Iter<'_, V> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, v)| (k, v))
    }
}

impl<V> ExactSizeIterator for Iter<'_, V> {}

impl<'a, V> IntoIterator for &'a AssetMap<V> {
    type Item = (&'a AssetId, &'a V);
    type IntoIter = Iter<'a, V>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<V> IntoIterator for AssetMap<V> {
    type Item = (AssetId, V);
    type IntoIter = std::vec::IntoIter<(AssetId, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// As `BTreeMap`'s: a key given twice keeps its last value.
impl<V> FromIterator<(AssetId, V)> for AssetMap<V> {
    fn from_iter<I: IntoIterator<Item = (AssetId, V)>>(iter: I) -> Self {
        let mut map = Self::new();
        map.extend(iter);
        map
    }
}

impl<V> Extend<(AssetId, V)> for AssetMap<V> {
    fn extend<I: IntoIterator<Item = (AssetId, V)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    #[derive(Clone, Debug)]
    enum Op {
        Insert(u8, i32),
        Remove(u8),
        Bump(u8, i32),
        Retain(i32),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0u8..6, any::<i32>()).prop_map(|(k, v)| Op::Insert(k, v)),
            (0u8..6).prop_map(Op::Remove),
            (0u8..6, -3i32..3).prop_map(|(k, v)| Op::Bump(k, v)),
            (-3i32..3).prop_map(Op::Retain),
        ]
    }

    /// Tickers whose text order differs from their number's (so a map sorted by anything but
    /// the text would iterate differently).
    fn id(k: u8) -> AssetId {
        AssetId::new(["wstETH", "ETH", "USDC", "WBTC", "A", "ETHx"][usize::from(k)])
    }

    /// Every operation the engine uses answers as a `BTreeMap` would, and iteration visits the
    /// same entries in the same order. Counts the cases that compared maps of two or more entries
    /// (where an order can be wrong) after a removal (where a shift can be wrong).
    #[test]
    fn answers_as_a_btree_map() {
        use proptest::test_runner::{Config, TestRunner};
        let mut runner = TestRunner::new(Config::with_cases(500));
        let compared = std::cell::Cell::new(0u32);
        let strategy = proptest::collection::vec(op(), 0..40);
        runner
            .run(&strategy, |ops| {
                let mut ours = AssetMap::new();
                let mut theirs = BTreeMap::new();
                let mut removed = false;
                for op in ops {
                    match op {
                        Op::Insert(k, v) => {
                            prop_assert_eq!(ours.insert(id(k), v), theirs.insert(id(k), v))
                        }
                        Op::Remove(k) => {
                            let gone = theirs.remove(&id(k));
                            removed |= gone.is_some();
                            prop_assert_eq!(ours.remove(&id(k)), gone);
                        }
                        Op::Bump(k, d) => {
                            *ours.get_or_insert_with(&id(k), || 0) += d;
                            *theirs.entry(id(k)).or_insert(0) += d;
                        }
                        Op::Retain(t) => {
                            ours.retain(|_, v| *v > t);
                            theirs.retain(|_, v| *v > t);
                        }
                    }
                    for k in 0..6 {
                        prop_assert_eq!(ours.get(&id(k)), theirs.get(&id(k)));
                        prop_assert_eq!(ours.contains_key(&id(k)), theirs.contains_key(&id(k)));
                    }
                    prop_assert_eq!(ours.len(), theirs.len());
                    prop_assert!(ours.iter().eq(theirs.iter()));
                    prop_assert!(ours.iter().rev().eq(theirs.iter().rev()));
                    prop_assert!(ours.clone().into_iter().eq(theirs.clone()));
                    if removed && theirs.len() >= 2 {
                        compared.set(compared.get() + 1);
                    }
                }
                let collected: AssetMap<i32> = theirs.clone().into_iter().rev().collect();
                prop_assert!(collected.iter().eq(theirs.iter()));
                Ok(())
            })
            .unwrap();
        assert!(
            compared.get() >= 2_000,
            "only {} comparisons of two or more entries after a removal",
            compared.get()
        );
    }

    #[test]
    fn a_key_given_twice_keeps_its_last_value() {
        let map: AssetMap<i32> = [(id(1), 1), (id(0), 2), (id(1), 3)].into_iter().collect();
        assert_eq!(map.iter().collect::<Vec<_>>(), [(&id(1), &3), (&id(0), &2)]);
    }
}
