//! Errors. [`Rejection`] is a refused command (the engine state is unchanged); its `Display` is a
//! plain-English reason for the learner. [`EngineError`] is bad input to [`Engine::new`](super::Engine::new)
//! or [`Engine::step`](super::Engine::step) (also leaves the state unchanged).

use super::ids::{AccountId, AssetId};
use super::num::{fmt_exact, fmt_num, fmt_ratio, MAX_AMOUNT};
use rust_decimal::Decimal;
use thiserror::Error;

fn opt_ratio(v: &Option<Decimal>) -> String {
    match v {
        Some(x) => fmt_ratio(*x),
        None => "infinite (no debt)".to_string(),
    }
}

/// An amount refused by `check_amount` (zero, negative or above the limit) or, when it is within
/// the limit itself, because it would take a balance past it. The value is shown in full so the
/// user sees how it differs from the limit.
fn invalid_amount(v: &Decimal) -> String {
    if *v <= Decimal::ZERO {
        format!("The amount must be above zero; got {}", fmt_exact(*v))
    } else if *v > MAX_AMOUNT {
        format!(
            "The amount {} is above the limit of 10^15 (1,000,000,000,000,000)",
            fmt_exact(*v)
        )
    } else {
        format!(
            "{} would take a balance above the limit of 10^15 (1,000,000,000,000,000)",
            fmt_exact(*v)
        )
    }
}

/// Why a command was refused. Nothing changed.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum Rejection {
    #[error("{0} does not exist")]
    UnknownAccount(AccountId),
    #[error("{0} already exists")]
    AccountExists(AccountId),
    #[error("{0} is not an asset in this scenario")]
    UnknownAsset(AssetId),
    #[error("{}", invalid_amount(.0))]
    InvalidAmount(Decimal),
    #[error("You only have {} {asset} in your wallet; this needs {}", fmt_num(*have, 6), fmt_num(*need, 6))]
    InsufficientWallet {
        asset: AssetId,
        have: Decimal,
        need: Decimal,
    },
    #[error("You only have {} {asset} deposited as collateral; this needs {}", fmt_num(*have, 6), fmt_num(*need, 6))]
    InsufficientCollateral {
        asset: AssetId,
        have: Decimal,
        need: Decimal,
    },
    #[error("You only have {} {asset} in the stability pool; this withdrawal needs {}", fmt_num(*have, 6), fmt_num(*need, 6))]
    InsufficientStabilityDeposit {
        asset: AssetId,
        have: Decimal,
        need: Decimal,
    },
    #[error("{action} is not available in this scenario: it uses {design}")]
    WrongDesign { action: String, design: String },
    #[error("{0} cannot be borrowed in this scenario")]
    NotBorrowable(AssetId),
    #[error("{action} would bring your debt to ${}, above your borrow limit of ${} (health factor would be {})", fmt_num(*debt_after, 2), fmt_num(*limit, 2), opt_ratio(health_after))]
    BorrowLimit {
        action: String,
        debt_after: Decimal,
        limit: Decimal,
        health_after: Option<Decimal>,
    },
    #[error(
        "{action} would put your health factor at {}, below 1.00",
        opt_ratio(health_after)
    )]
    HealthTooLow {
        action: String,
        health_after: Option<Decimal>,
    },
    #[error("{asset} has a supply cap of {}; this deposit would exceed it", fmt_num(*cap, 2))]
    SupplyCap { asset: AssetId, cap: Decimal },
    #[error("{asset} has a borrow cap of {}; this borrow would exceed it", fmt_num(*cap, 2))]
    BorrowCap { asset: AssetId, cap: Decimal },
    #[error("The {asset} pool only has {} available to lend or withdraw right now", fmt_num(*available, 6))]
    InsufficientLiquidity { asset: AssetId, available: Decimal },
    #[error("You owe {} {asset}; you cannot repay more than that", fmt_num(*debt, 6))]
    RepayTooMuch { asset: AssetId, debt: Decimal },
    #[error("{action} would put the vault's collateral ratio at {}, below its minimum of {}", fmt_ratio(*ratio_after), fmt_ratio(*minimum))]
    VaultBelowRatio {
        action: String,
        ratio_after: Decimal,
        minimum: Decimal,
    },
    #[error("You have no {0} vault; deposit {0} first to open one")]
    NoVault(AssetId),
    #[error("{0} cannot be traded as a perpetual in this scenario")]
    NotAPerpMarket(AssetId),
    #[error("You have no open {0} position")]
    NoPosition(AssetId),
    #[error("Leverage {}x is above this market's maximum of {}x", fmt_num(*leverage, 2), fmt_num(*max, 2))]
    LeverageTooHigh { leverage: Decimal, max: Decimal },
    #[error("Leverage must be at least 1x; got {0}")]
    LeverageTooLow(Decimal),
    #[error("{action} needs ${} of margin but only ${} is available", fmt_num(*required, 2), fmt_num(*available, 2))]
    InsufficientMargin {
        action: String,
        required: Decimal,
        available: Decimal,
    },
    #[error(
        "You hold a {held} {market} position; close or reduce it before trading the other side"
    )]
    OppositeSide { market: AssetId, held: String },
    #[error("Your {market} position uses {held} margin; increase it with the same margin mode")]
    MarginModeMismatch { market: AssetId, held: String },
    #[error("Reducing by {} is more than your open size of {}", fmt_num(*size, 6), fmt_num(*open, 6))]
    ReduceTooLarge { size: Decimal, open: Decimal },
    #[error("The alert threshold must be above zero and at most 10^15 (1,000,000,000,000,000); got {}", fmt_exact(*.0))]
    InvalidThreshold(Decimal),
    #[error("This scenario has no stability pool")]
    NoStabilityPool,
    #[error("The calculation overflowed; try smaller amounts")]
    Overflow,
    // Added with the 2026-12 rules.
    #[error("This scenario has no e-mode category {0}")]
    UnknownEMode(u8),
    #[error("E-mode {category} only covers its correlated assets, and you owe {asset}, which is outside it; repay it first")]
    DebtOutsideEMode { asset: AssetId, category: String },
    #[error("In e-mode {category} you can only borrow its assets; {asset} is outside it")]
    BorrowOutsideEMode { asset: AssetId, category: String },
    #[error("Your account is in isolation mode ({isolated} is your only collateral): {asset} cannot be borrowed in isolation mode")]
    NotBorrowableInIsolation { asset: AssetId, isolated: AssetId },
    #[error("{isolated} can back at most {} of debt in total (its debt ceiling); {} is already borrowed against it", fmt_num(*ceiling, 2), fmt_num(*used, 2))]
    DebtCeiling {
        isolated: AssetId,
        ceiling: Decimal,
        used: Decimal,
    },
    #[error("A trove needs a net debt of at least {} {asset} (Liquity's minimum); this leaves {}. Repay all of it to close the trove instead", fmt_num(*minimum, 2), fmt_num(*net_debt, 2))]
    BelowMinimumDebt {
        asset: AssetId,
        minimum: Decimal,
        net_debt: Decimal,
    },
    #[error("The last {} {asset} of a trove's debt is its gas compensation, paid back when the trove closes: repay at most {}", fmt_num(*gas_compensation, 2), fmt_num(*repayable, 2))]
    GasCompensationNotRepayable {
        asset: AssetId,
        gas_compensation: Decimal,
        repayable: Decimal,
    },
    #[error("The system is in recovery mode (total collateral ratio {}): {action}", fmt_ratio(*tcr))]
    RecoveryMode { action: String, tcr: Decimal },
    #[error("Positions above {} of notional can use at most {}x leverage on this exchange; this one would be {} at {}x", fmt_num(*tier_from, 0), fmt_num(*max, 0), fmt_num(*notional, 0), fmt_num(*leverage, 2))]
    TierLeverage {
        notional: Decimal,
        tier_from: Decimal,
        max: Decimal,
        leverage: Decimal,
    },
    // Added with the risk desk (issue 12).
    #[error("{0} is not part of the {1} rules")]
    NotInRules(String, String),
    #[error("Your account already takes part in Margin Lab's credit tiers")]
    CreditAlreadyJoined,
    #[error("Your account does not take part in Margin Lab's credit tiers")]
    CreditNotJoined,
    #[error("A rating downgrade is 1 to 4 notches; got {0}")]
    InvalidNotches(u8),
    // Orders and automation.
    #[error("Orders, protection rules and strategies came with the 2026-12 rules; this session uses the {0} rules (start a new session to use them)")]
    AutomationUnavailable(String),
    #[error("You have no open order or rule #{0}")]
    UnknownOrder(u64),
    #[error("{what} at {} would {problem} ({})", fmt_num(*price, 2), fmt_num(*mark, 2))]
    OrderPriceSide {
        what: String,
        price: Decimal,
        mark: Decimal,
        problem: String,
    },
    #[error("An order's price must be above 0 and at most 1,000,000,000; got {0}")]
    InvalidOrderPrice(Decimal),
    #[error("An account can hold at most {0} open orders and rules; cancel some first")]
    TooManyOrders(usize),
    #[error("This rule cannot be set: {0}")]
    InvalidRule(String),
    #[error("This strategy cannot be attached: {0}")]
    InvalidStrategy(String),
    #[error("A strategy is already attached (\"{0}\"); clear it first")]
    StrategyAttached(String),
    #[error("No strategy is attached")]
    NoStrategy,
}

/// Bad configuration or step input. Nothing changed.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum EngineError {
    #[error("The price of {asset} ({price}) is not usable: it must be above 0 and at most 10^9")]
    InvalidPrice { asset: AssetId, price: Decimal },
    #[error("{0} is not an asset in this scenario")]
    UnknownAsset(AssetId),
    #[error("Time must move forward: the step is at {now}s but the engine is already at {last}s")]
    TimeNotIncreasing { now: i64, last: i64 },
    #[error("The scenario is not valid: {0}")]
    InvalidConfig(String),
    #[error("The calculation overflowed")]
    Overflow,
}

impl From<EngineError> for Rejection {
    fn from(_: EngineError) -> Self {
        Rejection::Overflow
    }
}
