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
    pub market: Decimal,
    pub oracle: Decimal,
    pub updated_at: i64,
    pub stale: bool,
}

/// An amount of an asset (used in lists inside events).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetAmount {
    pub asset: AssetId,
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
        amount: Decimal,
    },
    /// Deposit / withdraw / borrow / repay on a multi-collateral account.
    Lending {
        account: AccountId,
        action: LendingAction,
        asset: AssetId,
        amount: Decimal,
        price: Decimal,
        health_before: Option<Decimal>,
        health_after: Option<Decimal>,
    },
    /// Deposit / withdraw / borrow / repay on a single-collateral vault.
    VaultAction {
        account: AccountId,
        action: LendingAction,
        collateral: AssetId,
        amount: Decimal,
        price: Decimal,
        ratio_before: Option<Decimal>,
        ratio_after: Option<Decimal>,
    },
    /// A position opened or increased at the mark price.
    PositionOpened {
        account: AccountId,
        market: AssetId,
        side: Side,
        mode: MarginMode,
        size: Decimal,
        price: Decimal,
        leverage: Decimal,
        margin_added: Decimal,
        new_size: Decimal,
        new_entry_price: Decimal,
        liquidation_price: Option<Decimal>,
    },
    /// Part or all of a position closed at the mark price.
    PositionReduced {
        account: AccountId,
        market: AssetId,
        size: Decimal,
        price: Decimal,
        realized_pnl: Decimal,
        funding_paid: Decimal,
        remaining: Decimal,
    },
    AlertSet {
        account: AccountId,
        kind: AlertKind,
        threshold: Decimal,
    },
    AlertTriggered {
        account: AccountId,
        kind: AlertKind,
        value: Decimal,
        threshold: Decimal,
    },
    StabilityDeposited {
        account: AccountId,
        amount: Decimal,
    },
    StabilityWithdrawn {
        account: AccountId,
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
        utilization: Decimal,
        borrow_rate: Decimal,
        supply_rate: Decimal,
        interest: Decimal,
        to_reserves: Decimal,
        index: Decimal,
    },
    /// Funding over one step: longs pay shorts when `rate` > 0 (through the counterparty pool).
    FundingAccrued {
        market: AssetId,
        rate_per_interval: Decimal,
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
        debt_repaid: Decimal,
        collateral_asset: AssetId,
        collateral_seized: Decimal,
        /// The oracle price of the collateral used.
        price_used: Decimal,
        /// Value (quote) of the bonus or penalty the owner paid.
        penalty_value: Decimal,
        /// Who received the seized collateral.
        receiver: String,
        returned_to_owner: Decimal,
        health_before: Option<Decimal>,
        health_after: Option<Decimal>,
        bad_debt: Decimal,
    },
    /// A perp position liquidated at the mark price.
    PositionLiquidated {
        account: AccountId,
        market: AssetId,
        side: Side,
        mode: MarginMode,
        size: Decimal,
        mark_price: Decimal,
        bankruptcy_price: Decimal,
        margin_ratio_before: Decimal,
        fee_to_insurance: Decimal,
        insurance_used: Decimal,
        covered_by_adl: Decimal,
        returned_to_owner: Decimal,
        bad_debt: Decimal,
    },
    /// A profitable opposite position closed at the bankrupt position's price (ADL).
    AutoDeleveraged {
        account: AccountId,
        market: AssetId,
        side: Side,
        size: Decimal,
        price: Decimal,
        profit_forgone: Decimal,
    },
    /// Debt and collateral the stability pool could not absorb, spread over the other vaults of
    /// the same collateral in proportion to their collateral (Liquity redistribution).
    Redistributed {
        from: AccountId,
        collateral: AssetId,
        debt: Decimal,
        collateral_amount: Decimal,
        recipients: u64,
    },
    /// Debt that nothing covers. Recorded, never hidden.
    BadDebt {
        account: AccountId,
        asset: AssetId,
        amount: Decimal,
    },
    /// Liquidation sales moved the market price (slippage model).
    MarketImpact {
        asset: AssetId,
        sold: Decimal,
        price_before: Decimal,
        price_after: Decimal,
    },
    /// A vault confiscated and its collateral put up for a Dutch auction.
    AuctionStarted {
        id: u64,
        account: AccountId,
        collateral: AssetId,
        lot: Decimal,
        tab: Decimal,
        start_price: Decimal,
        collateral_ratio: Option<Decimal>,
        /// The vault's debt; `tab − debt` is the liquidation penalty.
        debt: Decimal,
        /// The oracle price of the collateral when the vault was taken.
        oracle_price: Decimal,
    },
    /// A keeper bought collateral from an auction.
    AuctionTake {
        id: u64,
        amount: Decimal,
        price: Decimal,
        paid: Decimal,
        tab_left: Decimal,
        lot_left: Decimal,
    },
    /// The auction restarted from the current oracle price (too old or fell below the cusp).
    AuctionReset {
        id: u64,
        start_price: Decimal,
    },
    /// The auction finished: leftover collateral returned, uncovered debt recorded as bad debt.
    AuctionEnded {
        id: u64,
        returned_to_owner: Decimal,
        bad_debt: Decimal,
    },
    // Variants below were added with the 2026-12 rules; earlier logs never contain them, so their
    // hashes are unchanged. New variants go at the end.
    /// An error inside a step (an overflow in a liquidation, a health or an alert check): logged,
    /// never skipped silently. The account stays flagged and is checked again next step.
    EngineFault {
        account: Option<AccountId>,
        stage: String,
        error: String,
    },
    /// Liquity recovery mode entered (`active`) or left: the total collateral ratio of every
    /// trove against the critical ratio (150%).
    RecoveryMode {
        active: bool,
        total_collateral_ratio: Option<Decimal>,
        critical_ratio: Decimal,
    },
    /// Who received what in the liquidation logged just before it.
    LiquidationShares {
        account: AccountId,
        shares: Vec<Share>,
    },
    /// Maker keepers' incentive for starting (kick) or restarting (redo) auction `id`:
    /// `tip + chip × tab`, paid out of the system surplus.
    KeeperIncentive {
        id: u64,
        tip: Decimal,
        chip: Decimal,
        total: Decimal,
    },
    /// A liquidation the rules forbid as it stands (Aave v3.3: it would leave dust), with why.
    LiquidationBlocked {
        account: AccountId,
        reason: String,
    },
    /// Aave e-mode switched on (`Some(category)`) or off.
    EModeSet {
        account: AccountId,
        category: Option<u8>,
        health_before: Option<Decimal>,
        health_after: Option<Decimal>,
    },
    /// Liquity charges on drawing debt: the one-off borrowing fee (to the protocol) and, when the
    /// trove opens, the gas compensation set aside for its liquidator; both are added to its debt.
    TroveCharges {
        account: AccountId,
        collateral: AssetId,
        borrowing_fee: Decimal,
        gas_compensation: Decimal,
    },
}

/// Who receives part of a liquidation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Party {
    /// The liquidator or keeper who repaid debt or bought collateral.
    Liquidator,
    /// The protocol's treasury or reserves (protocol fees, penalties, store-front spread).
    Protocol,
    /// Buyers of collateral the protocol sells (Compound III's store front).
    Buyer,
    /// Stability-pool depositors (Liquity).
    StabilityPool,
    /// The perps insurance fund.
    InsuranceFund,
    /// The account's owner (surplus returned).
    Owner,
}

/// One party's gain: an amount of an asset and its value at the price used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    pub party: Party,
    pub asset: AssetId,
    pub amount: Decimal,
    pub value: Decimal,
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
        let n = self.extend(time, kinds);
        self.events[self.events.len() - n..].to_vec()
    }

    /// [`EventLog::append`] without copying the stamped events back; returns how many.
    pub fn extend(&mut self, time: i64, kinds: Vec<EventKind>) -> usize {
        let n = kinds.len();
        self.events.reserve(n);
        for kind in kinds {
            let event = Event {
                seq: self.events.len() as u64,
                time,
                kind,
            };
            self.hash = chain(&self.hash, &event);
            self.events.push(event);
        }
        n
    }

    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// The raw running hash (what [`EventLog::hash`] prints).
    pub fn hash_bytes(&self) -> [u8; 32] {
        self.hash
    }

    /// Cuts the log back to its first `len` events, whose running hash was `hash` (from a
    /// checkpoint of this same log). False, and nothing changes, if the log is shorter.
    pub fn truncate(&mut self, len: usize, hash: [u8; 32]) -> bool {
        if len > self.events.len() {
            return false;
        }
        self.events.truncate(len);
        self.hash = hash;
        true
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
    thread_local! {
        /// One encoding buffer reused for every event (an allocation per event showed up in
        /// playback profiles); the bytes hashed are the same.
        static BUFFER: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
    }
    let mut hasher = Sha256::new();
    hasher.update(prev);
    let mut buffer = BUFFER.take();
    buffer.clear();
    // Postcard into a Vec cannot fail for these types (no maps with non-string keys, no floats);
    // an empty encoding on the impossible error path would still be deterministic.
    let buffer = postcard::to_extend(event, buffer).unwrap_or_default();
    hasher.update(&buffer);
    BUFFER.set(buffer);
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
