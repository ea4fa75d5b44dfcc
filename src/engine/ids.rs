//! Identifiers: assets by ticker, accounts by number.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An asset's ticker, e.g. `"ETH"`. Ordered (as text) so maps over assets iterate
/// deterministically. Shared: copying an id (which the engine does all the time, in balances,
/// events and indexes) copies a pointer, never the text. Serialized as its text, as a `String`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AssetId(std::sync::Arc<str>);

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
