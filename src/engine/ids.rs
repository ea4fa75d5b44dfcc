//! Identifiers: assets by ticker, accounts by number.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An asset's ticker, e.g. `"ETH"`. Ordered (as text) so maps over assets iterate
/// deterministically. Shared: copying an id (which the engine does all the time, in balances,
/// events and indexes) copies a pointer, never the text. Serialized as its text, as a `String`.
#[derive(Clone, Debug, Eq)]
pub struct AssetId(std::sync::Arc<str>);

// Ids are mostly copies of the configuration's: the same pointer is the same id, without reading
// the text (the health check compares ids in every lookup).
impl PartialEq for AssetId {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0) || *self.0 == *other.0
    }
}

// Hashes the text, as equality compares it (equal ids hash alike whatever their pointers).
impl std::hash::Hash for AssetId {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl Ord for AssetId {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        if std::sync::Arc::ptr_eq(&self.0, &other.0) {
            return std::cmp::Ordering::Equal;
        }
        // The text's order, byte by byte: tickers are short and usually differ in their first
        // byte, so this beats a call to `memcmp` (a map of assets compares ids in every lookup).
        let (a, b) = (self.0.as_bytes(), other.0.as_bytes());
        for (x, y) in a.iter().zip(b) {
            if x != y {
                return x.cmp(y);
            }
        }
        a.len().cmp(&b.len())
    }
}

impl PartialOrd for AssetId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl AssetId {
    pub fn new(ticker: &str) -> Self {
        Self(std::sync::Arc::from(ticker))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<String> for AssetId {
    fn from(s: String) -> Self {
        Self(std::sync::Arc::from(s))
    }
}

impl Serialize for AssetId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for AssetId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::from)
    }
}

/// Shown as [`crate::text::echo`] shows user input: an id can come from a link, so control
/// characters are escaped and a long id is cut, in every message that names it.
impl fmt::Display for AssetId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if crate::text::is_plain(&self.0, crate::text::ECHO_CHARS) {
            f.write_str(&self.0)
        } else {
            f.write_str(&crate::text::echo(&self.0))
        }
    }
}

/// An account number. [`AccountId::USER`] (0) is the learner; others are simulated participants
/// (lenders, counterparties, stability-pool depositors, benchmark crowds).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct AccountId(pub u64);

impl AccountId {
    /// The learner's own account.
    pub const USER: AccountId = AccountId(0);
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == Self::USER {
            f.write_str("your account")
        } else {
            write!(f, "account #{}", self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::AssetId;

    /// Maps over assets iterate in the ids' order, so it must be the text's order exactly (a
    /// different order would change the arithmetic's order and so the results): every pair of a
    /// list of ids built to share prefixes, differ in length and in bytes beyond ASCII.
    #[test]
    fn ids_order_and_compare_as_their_text() {
        let texts = [
            "",
            "A",
            "AB",
            "ABC",
            "ABD",
            "AB\u{e9}",
            "B",
            "ETH",
            "ETHX",
            "ETh",
            "USDC",
            "USDT",
            "WBTC",
            "wstETH",
            "\u{e9}",
            "\u{e9}\u{e9}",
            "z",
        ];
        let mut compared = 0;
        for x in texts {
            for y in texts {
                // Distinct allocations, so the pointer shortcut is not what answers.
                let (a, b) = (AssetId::new(x), AssetId::new(y));
                assert_eq!(a.cmp(&b), x.cmp(y), "{x:?} vs {y:?}");
                assert_eq!(a == b, x == y, "{x:?} vs {y:?}");
                compared += 1;
            }
        }
        assert_eq!(compared, texts.len() * texts.len());
        let a = AssetId::new("ETH");
        assert_eq!(a.cmp(&a.clone()), std::cmp::Ordering::Equal);
    }
}
