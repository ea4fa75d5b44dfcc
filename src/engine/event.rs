//! Events: the append-only audit trail. Every state change is an [`Event`] with a sequence number
//! and the engine time, carrying enough detail to explain it to a learner.
//!
//! **Log hash.** [`EventLog::hash`] is a SHA-256 hash chain: `h0 = SHA-256("margin-lab/event-log/v1")`,
//! `h(i) = SHA-256(h(i−1) ‖ postcard(event i))`. Postcard is a fixed, platform-independent encoding
//! (varint integers, enum variant indices, decimals as strings), so the hash is the same natively and
//! in wasm. The per-step events' decimals are written by `num::serialize_plain`: the same string as
//! `rust_decimal`'s own serialization, written faster. Adding new variants at the end of [`EventKind`] keeps old hashes valid; reordering does not.

use super::command::{AlertKind, MarginMode, Side};
use super::ids::{AccountId, AssetId};
use super::orders::{
    CancelReason, Order, OrderKind, Origin, ProtectionRule, Strategy, StrategyStep,
};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// One price as seen at a step: the market price and what the oracle published.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceObservation {
    pub asset: AssetId,
    #[serde(serialize_with = "crate::engine::num::serialize_plain")]
    pub market: Decimal,
    #[serde(serialize_with = "crate::engine::num::serialize_plain")]
    pub oracle: Decimal,
    pub updated_at: i64,
    pub stale: bool,
}

/// An amount of an asset (used in lists inside events: each of a crowd's borrowers joins with
/// two or more, so its amount is written by `num::serialize_plain` too).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetAmount {
    pub asset: AssetId,
    #[serde(serialize_with = "crate::engine::num::serialize_plain")]
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
        #[serde(serialize_with = "crate::engine::num::serialize_plain")]
        utilization: Decimal,
        #[serde(serialize_with = "crate::engine::num::serialize_plain")]
        borrow_rate: Decimal,
        #[serde(serialize_with = "crate::engine::num::serialize_plain")]
        supply_rate: Decimal,
        #[serde(serialize_with = "crate::engine::num::serialize_plain")]
        interest: Decimal,
        #[serde(serialize_with = "crate::engine::num::serialize_plain")]
        to_reserves: Decimal,
        #[serde(serialize_with = "crate::engine::num::serialize_plain")]
        index: Decimal,
    },
    /// Funding over one step: longs pay shorts when `rate` > 0 (through the counterparty pool).
    FundingAccrued {
        market: AssetId,
        #[serde(serialize_with = "crate::engine::num::serialize_plain")]
        rate_per_interval: Decimal,
        #[serde(serialize_with = "crate::engine::num::serialize_plain")]
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
    /// The scenario's crowd was created: how many borrowers joined, from which seed, and what its
    /// lender supplied.
    PopulationGenerated {
        borrowers: u32,
        seed: u64,
        lender_supply: AssetAmount,
    },
    /// A borrower (or trader) of the crowd joined: what it posted, what it owes, what it trades.
    BorrowerJoined {
        account: AccountId,
        collateral: Vec<AssetAmount>,
        debt: Vec<AssetAmount>,
        positions: Vec<JoinedPosition>,
    },
    /// The scenario changed the preset's buffer after the crowd borrowed (see
    /// `population::BufferParams`).
    BufferChanged {
        threshold_shift: Decimal,
        bonus_scale: Decimal,
        close_factor: Option<Decimal>,
        depth_scale: Decimal,
    },
    // Risk desk (issue 12): a broker's margin calls and Margin Lab's credit tiers.
    /// The account's equity fell below the maintenance requirement: the broker calls for
    /// `deficit` (deposit cash or repay that much, or reduce) by `deadline` (engine seconds).
    MarginCallIssued {
        account: AccountId,
        deadline: i64,
        deficit: Decimal,
        equity: Decimal,
        maintenance: Decimal,
        health: Option<Decimal>,
    },
    /// The call was met: the account is back at or above maintenance (`cured_by` says how).
    MarginCallMet {
        account: AccountId,
        issued_at: i64,
        deadline: i64,
        cured_by: String,
    },
    /// The deadline passed with the account still below maintenance; a forced sale follows.
    MarginCallMissed {
        account: AccountId,
        deadline: i64,
        deficit: Decimal,
    },
    /// The broker sold collateral (the `Liquidated` events that follow list it asset by asset).
    MarginCallForcedSale {
        account: AccountId,
        reason: String,
        sold_value: Decimal,
        fee: Decimal,
        debt_repaid: Decimal,
        health_before: Option<Decimal>,
        health_after: Option<Decimal>,
    },
    /// The account joined Margin Lab's credit tiers with this first score and tier.
    CreditJoined {
        account: AccountId,
        tier: crate::engine::risk::credit::CreditTier,
        score: Decimal,
    },
    /// The account's credit tier changed, with the score, why, and its maintenance requirement
    /// (value-weighted over its collateral) under the old and the new tier.
    CreditTierChanged {
        account: AccountId,
        from: crate::engine::risk::credit::CreditTier,
        to: crate::engine::risk::credit::CreditTier,
        score: Decimal,
        reason: String,
        maintenance_before: Decimal,
        maintenance_after: Decimal,
    },
    /// A rating downgrade from outside the account's history (scripted by the scenario).
    RatingDowngraded {
        account: AccountId,
        notches: u8,
        score_before: Decimal,
        score_after: Decimal,
    },
    // Orders and automation (`engine::orders`, 2026-12 rules only).
    /// An order placed: its terms, the mark price then, and the position's liquidation price
    /// then (a stop beyond it would never fire).
    OrderPlaced {
        account: AccountId,
        order: Order,
        mark_price: Decimal,
        liquidation_price: Option<Decimal>,
    },
    /// An order's price or size changed (`size`: what is left to fill, `None` for the whole
    /// position).
    OrderAmended {
        account: AccountId,
        id: u64,
        price: Decimal,
        size: Option<Decimal>,
        previous_price: Decimal,
        previous_size: Option<Decimal>,
    },
    OrderCancelled {
        account: AccountId,
        id: u64,
        kind: OrderKind,
        market: AssetId,
        reason: CancelReason,
    },
    /// The mark price reached the order's price (`price`), at `mark_price`.
    OrderTriggered {
        account: AccountId,
        id: u64,
        kind: OrderKind,
        market: AssetId,
        price: Decimal,
        mark_price: Decimal,
    },
    /// An order filled (in part, for a limit: `remaining` is left resting). `gap` is the value lost
    /// because the mark was beyond the order's price, `slippage` the value lost to the size's
    /// market impact (both zero for a limit, which gets its own price). `liquidation_price` is the
    /// position's just before the fill.
    OrderFilled {
        account: AccountId,
        id: u64,
        kind: OrderKind,
        market: AssetId,
        side: Side,
        size: Decimal,
        order_price: Decimal,
        mark_price: Decimal,
        fill_price: Decimal,
        slippage: Decimal,
        gap: Decimal,
        remaining: Decimal,
        realized_pnl: Decimal,
        liquidation_price: Option<Decimal>,
        origin: Origin,
    },
    /// An order fired but could not fill, and why; it is cancelled.
    OrderNotFilled {
        account: AccountId,
        id: u64,
        kind: OrderKind,
        market: AssetId,
        mark_price: Decimal,
        reason: String,
    },
    /// A protection rule set (replacing rule `replaced` of the same kind and asset).
    RuleSet {
        account: AccountId,
        id: u64,
        rule: ProtectionRule,
        origin: Origin,
        replaced: Option<u64>,
    },
    RuleCleared {
        account: AccountId,
        id: u64,
        rule: ProtectionRule,
    },
    /// A protection rule acted: `amount` of the rule's asset repaid, borrowed or added (`value`
    /// at the oracle price: its cost), the level (health factor or vault ratio) before and after.
    RuleFired {
        account: AccountId,
        id: u64,
        rule: ProtectionRule,
        amount: Decimal,
        value: Decimal,
        before: Option<Decimal>,
        after: Option<Decimal>,
        reached_target: bool,
        /// How long it had been unable to act before (seconds), if it had.
        blocked_secs: Option<i64>,
        origin: Origin,
    },
    /// A protection rule's condition held but it could not act, and why (logged when it starts or
    /// the reason changes; the rule shows it until it can act).
    RuleCouldNotAct {
        account: AccountId,
        id: u64,
        rule: ProtectionRule,
        level: Option<Decimal>,
        reason: String,
    },
    StrategySet {
        account: AccountId,
        strategy: Strategy,
    },
    StrategyCleared {
        account: AccountId,
        name: String,
        orders_cancelled: u32,
        rules_cleared: u32,
    },
    /// What a strategy did (entered, exited, deposited, borrowed, or could not act).
    StrategyActed {
        account: AccountId,
        name: String,
        step: StrategyStep,
    },
    /// Order fills (stops, takes, limits, strategy entries) moved the market price, like a
    /// liquidation sale ([`EventKind::MarketImpact`]) but not one (`sold` < 0: bought).
    FillImpact {
        asset: AssetId,
        sold: Decimal,
        price_before: Decimal,
        price_after: Decimal,
    },
}

/// A position a crowd trader opened when it joined.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinedPosition {
    pub market: AssetId,
    pub side: Side,
    pub mode: MarginMode,
    pub size: Decimal,
    pub leverage: Decimal,
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
    /// False for the working copies of what-if runs (`Engine::scratch`): their hash is never
    /// read, and computing it is a third of a step's cost.
    hashing: bool,
    /// When false, events are numbered and returned but neither kept nor hashed (runs across
    /// seeds read outcomes from the engine, not the log: `Engine::without_log`).
    recording: bool,
    /// Events numbered while not recording.
    unrecorded: u64,
    /// What [`EventLog::extend`] numbered while not recording, until taken.
    unkept: Vec<Event>,
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
            hashing: true,
            recording: true,
            unrecorded: 0,
            unkept: Vec::new(),
        }
    }

    /// A log that keeps events but no hash (for what-if copies of an engine).
    pub fn unhashed() -> Self {
        Self {
            hashing: false,
            ..Self::new()
        }
    }

    /// Stops (or resumes) keeping and hashing events (see `Engine::without_log`).
    pub fn set_recording(&mut self, on: bool) {
        self.recording = on;
    }

    /// Appends `kinds` at `time`, numbering them, and returns a copy of the new events (while
    /// not recording: the numbered events, not kept).
    pub fn append(&mut self, time: i64, kinds: Vec<EventKind>) -> Vec<Event> {
        if !self.recording {
            return kinds
                .into_iter()
                .map(|kind| {
                    let seq = self.events.len() as u64 + self.unrecorded;
                    self.unrecorded += 1;
                    Event { seq, time, kind }
                })
                .collect();
        }
        let start = self.events.len();
        self.record(time, kinds);
        self.events[start..].to_vec()
    }

    /// [`EventLog::append`] without copying the stamped events back (playback steps thousands of
    /// ticks a second); returns how many. While not recording they are kept aside until
    /// [`EventLog::take_unkept`], so a caller that wants them still gets them.
    pub fn extend(&mut self, time: i64, kinds: Vec<EventKind>) -> usize {
        let n = kinds.len();
        if self.recording {
            self.record(time, kinds);
        } else {
            for kind in kinds {
                let seq = self.events.len() as u64 + self.unrecorded;
                self.unrecorded += 1;
                self.unkept.push(Event { seq, time, kind });
            }
        }
        n
    }

    /// Whether events are kept and hashed (see [`EventLog::set_recording`]).
    pub fn is_recording(&self) -> bool {
        self.recording
    }

    /// The events [`EventLog::extend`] numbered while not recording, handed over once.
    pub fn take_unkept(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.unkept)
    }

    /// Events numbered while not recording and kept aside: added to by callers that collect
    /// what [`EventLog::append`] returned.
    pub(crate) fn keep_aside(&mut self, events: impl IntoIterator<Item = Event>) {
        if !self.recording {
            self.unkept.extend(events);
        }
    }

    /// Appends `kinds` at `time` (without the copy [`EventLog::append`] returns: a crowd's
    /// arrival is a hundred thousand events nobody reads back at once).
    pub fn record(&mut self, time: i64, kinds: Vec<EventKind>) {
        if !self.recording {
            self.unrecorded += kinds.len() as u64;
            return;
        }
        self.events.reserve(kinds.len());
        let mut scratch = Vec::new();
        for kind in kinds {
            let event = Event {
                seq: self.events.len() as u64 + self.unrecorded,
                time,
                kind,
            };
            if self.hashing {
                self.hash = chain(&self.hash, &event, &mut scratch);
            }
            self.events.push(event);
        }
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
    let mut scratch = Vec::new();
    for e in events {
        h = chain(&h, e, &mut scratch);
    }
    hex(&h)
}

/// `SHA-256(prev ‖ postcard(event))`; `scratch` is a buffer reused across events.
fn chain(prev: &[u8; 32], event: &Event, scratch: &mut Vec<u8>) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(prev);
    scratch.clear();
    // Postcard into a Vec cannot fail for these types (no maps with non-string keys, no floats);
    // an empty encoding on the impossible error path would still be deterministic.
    let bytes = postcard::to_extend(event, std::mem::take(scratch)).unwrap_or_default();
    hasher.update(&bytes);
    *scratch = bytes;
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
