//! Commands: everything a participant can do. Sent with [`Engine::apply`](super::Engine::apply);
//! each is validated and either fully applied (events out) or rejected (nothing changes).

use super::ids::AssetId;
use super::orders::{OrderRequest, ProtectionRule, Strategy};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Direction of a leveraged position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Side {
    Long,
    Short,
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Side::Long => "long",
            Side::Short => "short",
        })
    }
}

/// Isolated: the position has its own margin and liquidation price. Cross: the account's wallet
/// balance of the settlement asset backs all cross positions together.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MarginMode {
    Isolated,
    Cross,
}

impl fmt::Display for MarginMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MarginMode::Isolated => "isolated",
            MarginMode::Cross => "cross",
        })
    }
}

/// What an alert watches. Alerts fire once when the metric crosses the threshold, and re-arm
/// when it comes back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AlertKind {
    /// Fires when the health factor falls below the threshold.
    HealthFactorBelow,
    /// Fires when any vault's collateral ratio falls below the threshold.
    CollateralRatioBelow,
    /// Fires when the perp margin ratio (maintenance margin / equity) rises above the threshold.
    MarginRatioAbove,
}

/// A participant's action.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Command {
    /// Opens the account named in `apply` (it must not exist yet).
    CreateAccount {
        label: String,
    },
    /// Paper money: credits the wallet with `amount` of `asset`.
    Fund {
        asset: AssetId,
        amount: Decimal,
    },
    /// Multi-collateral: supply to the pool as collateral.
    Deposit {
        asset: AssetId,
        amount: Decimal,
    },
    /// Multi-collateral: take collateral back (must keep debt within the borrow limit).
    Withdraw {
        asset: AssetId,
        amount: Decimal,
    },
    /// Multi-collateral: borrow from the pool (debt must stay within the borrow limit).
    Borrow {
        asset: AssetId,
        amount: Decimal,
    },
    /// Multi-collateral: repay debt from the wallet.
    Repay {
        asset: AssetId,
        amount: Decimal,
    },
    /// Single-collateral: add collateral to the vault of `collateral` (opens it if needed).
    VaultDeposit {
        collateral: AssetId,
        amount: Decimal,
    },
    /// Single-collateral: remove collateral (the vault must stay above its liquidation ratio).
    VaultWithdraw {
        collateral: AssetId,
        amount: Decimal,
    },
    /// Single-collateral: mint (borrow) the debt asset against the vault.
    VaultBorrow {
        collateral: AssetId,
        amount: Decimal,
    },
    /// Single-collateral: repay the vault's debt from the wallet.
    VaultRepay {
        collateral: AssetId,
        amount: Decimal,
    },
    /// Opens a leveraged position, or increases one on the same side and margin mode.
    /// `size` is in units of the asset; the entry is at the oracle (mark) price.
    OpenPosition {
        market: AssetId,
        side: Side,
        size: Decimal,
        leverage: Decimal,
        mode: MarginMode,
    },
    /// Closes part of a position at the mark price; realizes that part's PnL.
    ReducePosition {
        market: AssetId,
        size: Decimal,
    },
    /// Closes the whole position at the mark price.
    ClosePosition {
        market: AssetId,
    },
    /// Sets (or replaces) an alert on one metric.
    SetAlert {
        kind: AlertKind,
        threshold: Decimal,
    },
    /// Liquity-like scenarios: deposit the debt asset into the stability pool.
    StabilityDeposit {
        amount: Decimal,
    },
    /// Withdraw from the stability pool (also pays out collateral gains).
    StabilityWithdraw {
        amount: Decimal,
    },
    // Commands added with the 2026-12 rules go below (links of payload 1 never contain them).
    /// Aave e-mode: use category `Some(id)` (higher LTV / LT among correlated assets; every debt
    /// must be in the category) or leave it (`None`; the health factor must stay at or above 1).
    SetEMode {
        category: Option<u8>,
    },
    /// Joins Margin Lab's credit tiers (`engine::risk::credit`): from now on the account's history
    /// sets a tier that scales its margin requirements. Current rules, pooled accounts only.
    JoinCreditTiers,
    /// A rating downgrade from outside the account's history (a scenario scripts it at a tick):
    /// `notches` (1 to 4) each take 15 points off the credit score.
    RatingDowngrade {
        notches: u8,
    },
    // Orders and automation (`engine::orders`; refused under the 2026-11 rules).
    /// Places a perp stop-loss, take-profit or limit order.
    PlaceOrder {
        order: OrderRequest,
    },
    /// Moves order `id` to `price` and, if given, changes its size (for a limit: the size still
    /// to fill).
    AmendOrder {
        id: u64,
        price: Decimal,
        size: Option<Decimal>,
    },
    CancelOrder {
        id: u64,
    },
    /// Sets a protection rule (replacing one of the same kind on the same asset).
    SetProtection {
        rule: ProtectionRule,
    },
    ClearProtection {
        id: u64,
    },
    /// Attaches a strategy, which acts at once (enters, deposits, borrows) and then by its
    /// orders, rules and re-entries.
    SetStrategy {
        strategy: Strategy,
    },
    /// Detaches the strategy: cancels its orders and rules, keeps positions and debts.
    ClearStrategy,
}
