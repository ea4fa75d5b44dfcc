//! Events: the append-only audit trail. Every state change is an [`Event`] with a sequence number
//! and the engine time, carrying enough detail to explain it to a learner.
//!
//! **Log hash.** [`EventLog::hash`] is a SHA-256 hash chain: `h0 = SHA-256("margin-lab/event-log/v1")`,
//! `h(i) = SHA-256(h(i−1) ‖ postcard(event i))`. Postcard is a fixed, platform-independent encoding
//! (varint integers, enum variant indices, decimals as strings), so the hash is the same natively and
//! in wasm. Adding new variants at the end of [`EventKind`] keeps old hashes valid; reordering does not.

use super::command::{AlertKind, MarginMode, Side};
use super::ids::{AccountId, AssetId};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// One price as seen at a step: the market price and what the oracle published.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceObservation {
    pub asset: AssetId,
    #[serde(with = "rust_decimal::serde::str")]
    pub market: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub oracle: Decimal,
    pub updated_at: i64,
    pub stale: bool,
}

/// An amount of an asset (used in lists inside events).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetAmount {
    pub asset: AssetId,
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
}

/// A logged event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// 0, 1, 2, ... in log order.
    pub seq: u64,
    /// Engine time (seconds) when it happened.
    pub time: i64,
    pub kind: EventKind,
}

/// What happened. Health factors and ratios are `None` when there is no debt (infinitely healthy).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum EventKind {
    AccountCreated {
        account: AccountId,
        label: String,
    },
    Funded {
        account: AccountId,
        asset: AssetId,
        #[serde(with = "rust_decimal::serde::str")]
        amount: Decimal,
    },
    /// Deposit / withdraw / borrow / repay on a multi-collateral account.
    Lending {
        account: AccountId,
        action: LendingAction,
        asset: AssetId,
        #[serde(with = "rust_decimal::serde::str")]
        amount: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        price: Decimal,
        #[serde(with = "rust_decimal::serde::str_option")]
        health_before: Option<Decimal>,
        #[serde(with = "rust_decimal::serde::str_option")]
        health_after: Option<Decimal>,
    },
    /// Deposit / withdraw / borrow / repay on a single-collateral vault.
    VaultAction {
        account: AccountId,
        action: LendingAction,
        collateral: AssetId,
        #[serde(with = "rust_decimal::serde::str")]
        amount: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        price: Decimal,
        #[serde(with = "rust_decimal::serde::str_option")]
        ratio_before: Option<Decimal>,
        #[serde(with = "rust_decimal::serde::str_option")]
        ratio_after: Option<Decimal>,
    },
    /// A position opened or increased at the mark price.
    PositionOpened {
        account: AccountId,
        market: AssetId,
        side: Side,
        mode: MarginMode,
        #[serde(with = "rust_decimal::serde::str")]
        size: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        price: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        leverage: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        margin_added: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        new_size: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        new_entry_price: Decimal,
        #[serde(with = "rust_decimal::serde::str_option")]
        liquidation_price: Option<Decimal>,
    },
    /// Part or all of a position closed at the mark price.
    PositionReduced {
        account: AccountId,
        market: AssetId,
        #[serde(with = "rust_decimal::serde::str")]
        size: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        price: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        realized_pnl: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        funding_paid: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        remaining: Decimal,
    },
    AlertSet {
        account: AccountId,
        kind: AlertKind,
        #[serde(with = "rust_decimal::serde::str")]
        threshold: Decimal,
    },
    AlertTriggered {
        account: AccountId,
        kind: AlertKind,
        #[serde(with = "rust_decimal::serde::str")]
        value: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        threshold: Decimal,
    },
    StabilityDeposited {
        account: AccountId,
        #[serde(with = "rust_decimal::serde::str")]
        amount: Decimal,
    },
    StabilityWithdrawn {
        account: AccountId,
        #[serde(with = "rust_decimal::serde::str")]
        amount: Decimal,
        collateral_gains: Vec<AssetAmount>,
    },
    /// Prices at a step (every asset), and again after liquidation sales moved a market.
    PricesObserved {
        prices: Vec<PriceObservation>,
    },
    /// Interest on a lending pool, or the stability fee on vault debt, over one step.
    InterestAccrued {
        asset: AssetId,
        #[serde(with = "rust_decimal::serde::str")]
        utilization: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        borrow_rate: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        supply_rate: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        interest: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        to_reserves: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        index: Decimal,
    },
    /// Funding over one step: longs pay shorts when `rate` > 0 (through the counterparty pool).
    FundingAccrued {
        market: AssetId,
        #[serde(with = "rust_decimal::serde::str")]
        rate_per_interval: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        cumulative_per_unit: Decimal,
    },
    /// A lending account or a vault liquidated. For a vault, `health_before` / `health_after` are its
    /// collateral ratio (compare with the liquidation ratio); for an account, its health factor.
    Liquidated {
        account: AccountId,
        mechanism: String,
        /// `Some(collateral)` for a single-collateral vault.
        vault: Option<AssetId>,
        debt_asset: AssetId,
        #[serde(with = "rust_decimal::serde::str")]
        debt_repaid: Decimal,
        collateral_asset: AssetId,
        #[serde(with = "rust_decimal::serde::str")]
        collateral_seized: Decimal,
        /// The oracle price of the collateral used.
        #[serde(with = "rust_decimal::serde::str")]
        price_used: Decimal,
        /// Value (quote) of the bonus or penalty the owner paid.
        #[serde(with = "rust_decimal::serde::str")]
        penalty_value: Decimal,
        /// Who received the seized collateral.
        receiver: String,
        #[serde(with = "rust_decimal::serde::str")]
        returned_to_owner: Decimal,
        #[serde(with = "rust_decimal::serde::str_option")]
        health_before: Option<Decimal>,
        #[serde(with = "rust_decimal::serde::str_option")]
        health_after: Option<Decimal>,
        #[serde(with = "rust_decimal::serde::str")]
        bad_debt: Decimal,
    },
    /// A perp position liquidated at the mark price.
    PositionLiquidated {
        account: AccountId,
        market: AssetId,
        side: Side,
        mode: MarginMode,
        #[serde(with = "rust_decimal::serde::str")]
        size: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        mark_price: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        bankruptcy_price: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        margin_ratio_before: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        fee_to_insurance: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        insurance_used: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        covered_by_adl: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        returned_to_owner: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        bad_debt: Decimal,
    },
    /// A profitable opposite position closed at the bankrupt position's price (ADL).
    AutoDeleveraged {
        account: AccountId,
        market: AssetId,
        side: Side,
        #[serde(with = "rust_decimal::serde::str")]
        size: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        price: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        profit_forgone: Decimal,
    },
    /// Debt and collateral the stability pool could not absorb, spread over the other vaults of
    /// the same collateral in proportion to their collateral (Liquity redistribution).
    Redistributed {
        from: AccountId,
        collateral: AssetId,
        #[serde(with = "rust_decimal::serde::str")]
        debt: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        collateral_amount: Decimal,
        recipients: u64,
    },
    /// Debt that nothing covers. Recorded, never hidden.
    BadDebt {
        account: AccountId,
        asset: AssetId,
        #[serde(with = "rust_decimal::serde::str")]
        amount: Decimal,
    },
    /// Liquidation sales moved the market price (slippage model).
    MarketImpact {
        asset: AssetId,
        #[serde(with = "rust_decimal::serde::str")]
        sold: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        price_before: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        price_after: Decimal,
    },
    /// A vault confiscated and its collateral put up for a Dutch auction.
    AuctionStarted {
        id: u64,
        account: AccountId,
        collateral: AssetId,
        #[serde(with = "rust_decimal::serde::str")]
        lot: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        tab: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        start_price: Decimal,
        #[serde(with = "rust_decimal::serde::str_option")]
        collateral_ratio: Option<Decimal>,
        /// The vault's debt; `tab − debt` is the liquidation penalty.
        #[serde(with = "rust_decimal::serde::str")]
        debt: Decimal,
        /// The oracle price of the collateral when the vault was taken.
        #[serde(with = "rust_decimal::serde::str")]
        oracle_price: Decimal,
    },
    /// A keeper bought collateral from an auction.
    AuctionTake {
        id: u64,
        #[serde(with = "rust_decimal::serde::str")]
        amount: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        price: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        paid: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        tab_left: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        lot_left: Decimal,
    },
    /// The auction restarted from the current oracle price (too old or fell below the cusp).
    AuctionReset {
        id: u64,
        #[serde(with = "rust_decimal::serde::str")]
        start_price: Decimal,
    },
    /// The auction finished: leftover collateral returned, uncovered debt recorded as bad debt.
    AuctionEnded {
        id: u64,
        #[serde(with = "rust_decimal::serde::str")]
        returned_to_owner: Decimal,
        #[serde(with = "rust_decimal::serde::str")]
        bad_debt: Decimal,
    },
}

/// What a lending or vault event did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LendingAction {
    Deposit,
    Withdraw,
    Borrow,
    Repay,
}

/// The append-only log with its running hash.
#[derive(Clone, Debug)]
pub struct EventLog {
    events: Vec<Event>,
    hash: [u8; 32],
}

impl Default for EventLog {
    fn default() -> Self {
        Self::new()
    }
}

impl EventLog {
    pub fn new() -> Self {
        let hash: [u8; 32] = Sha256::digest(b"margin-lab/event-log/v1").into();
        Self {
            events: Vec::new(),
            hash,
        }
    }

    /// Appends events at `time`, numbering them; returns the stamped events.
    pub fn append(&mut self, time: i64, kinds: Vec<EventKind>) -> Vec<Event> {
        let mut out = Vec::with_capacity(kinds.len());
        for kind in kinds {
            let event = Event {
                seq: self.events.len() as u64,
                time,
                kind,
            };
            self.hash = chain(&self.hash, &event);
            self.events.push(event.clone());
            out.push(event);
        }
        out
    }

    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// Lower-case hex of the chained SHA-256.
    pub fn hash(&self) -> String {
        hex(&self.hash)
    }
}

/// Hashes a whole list of events from scratch (for replay verification).
pub fn hash_events(events: &[Event]) -> String {
    let mut h: [u8; 32] = Sha256::digest(b"margin-lab/event-log/v1").into();
    for e in events {
        h = chain(&h, e);
    }
    hex(&h)
}

fn chain(prev: &[u8; 32], event: &Event) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(prev);
    // Postcard into a Vec cannot fail for these types (no maps with non-string keys, no floats);
    // an empty encoding on the impossible error path would still be deterministic.
    let bytes = postcard::to_allocvec(event).unwrap_or_default();
    hasher.update(&bytes);
    hasher.finalize().into()
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}
