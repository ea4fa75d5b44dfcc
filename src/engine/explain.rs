//! Plain-English explanations of events, for the event log, the liquidation explainer and the
//! native replay tool. Wording only: every number comes from the event itself.

use rust_decimal::Decimal;

use super::event::{AssetAmount, Event, EventKind, LendingAction};
use super::ids::AccountId;
use super::num::{fmt_num, fmt_pct};

/// Event families, for filtering the log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Category {
    Account,
    Trade,
    Prices,
    Interest,
    Liquidation,
    Alert,
    /// Orders, protection rules and strategies.
    Automation,
}

impl Category {
    pub const ALL: [Category; 7] = [
        Category::Account,
        Category::Trade,
        Category::Prices,
        Category::Interest,
        Category::Liquidation,
        Category::Alert,
        Category::Automation,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Category::Account => "Account",
            Category::Trade => "Trades",
            Category::Prices => "Prices",
            Category::Interest => "Interest & funding",
            Category::Liquidation => "Liquidations",
            Category::Alert => "Alerts",
            Category::Automation => "Orders & automation",
        }
    }
}

/// What one liquidation cost its owner, read from a `Liquidated` or `PositionLiquidated` event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LiquidationSummary {
    /// Value of collateral taken (lending/vaults: seized × price used) or position notional closed
    /// (perps: size × mark price).
    pub seized_value: Decimal,
    /// Bonus/penalty (lending) or liquidation fee (perps) the owner paid.
    pub penalty: Decimal,
    pub bad_debt: Decimal,
    pub price_used: Decimal,
}

fn money(v: Decimal) -> String {
    fmt_num(v, 2)
}

fn amount(v: Decimal) -> String {
    fmt_num(v, 6)
}

/// Engine seconds as a UTC date and time (`2020-03-12 14:00 UTC`).
pub fn when(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rem / 3600,
        (rem % 3600) / 60
    )
}

fn ratio(v: Option<Decimal>) -> String {
    v.map(|r| fmt_num(r, 3))
        .unwrap_or_else(|| "∞ (no debt)".into())
}

impl EventKind {
    /// The account the event is about, if it is about one.
    pub fn account(&self) -> Option<AccountId> {
        use EventKind::*;
        match self {
            AccountCreated { account, .. }
            | Funded { account, .. }
            | Lending { account, .. }
            | VaultAction { account, .. }
            | PositionOpened { account, .. }
            | PositionReduced { account, .. }
            | AlertSet { account, .. }
            | AlertTriggered { account, .. }
            | StabilityDeposited { account, .. }
            | StabilityWithdrawn { account, .. }
            | Liquidated { account, .. }
            | PositionLiquidated { account, .. }
            | AutoDeleveraged { account, .. }
            | BadDebt { account, .. }
            | AuctionStarted { account, .. }
            | LiquidationShares { account, .. }
            | LiquidationBlocked { account, .. }
            | EModeSet { account, .. }
            | TroveCharges { account, .. }
            | BorrowerJoined { account, .. }
            | MarginCallIssued { account, .. }
            | MarginCallMet { account, .. }
            | MarginCallMissed { account, .. }
            | MarginCallForcedSale { account, .. }
            | CreditJoined { account, .. }
            | CreditTierChanged { account, .. }
            | RatingDowngraded { account, .. } => Some(*account),
            EngineFault { account, .. } => *account,
            Redistributed { from, .. } => Some(*from),
            PricesObserved { .. }
            | InterestAccrued { .. }
            | FundingAccrued { .. }
            | MarketImpact { .. }
            | AuctionTake { .. }
            | AuctionReset { .. }
            | AuctionEnded { .. }
            | RecoveryMode { .. }
            | KeeperIncentive { .. }
            | PopulationGenerated { .. }
            | BufferChanged { .. } => None,
            k => super::orders::explain::account(k),
        }
    }

    pub fn category(&self) -> Category {
        use EventKind::*;
        match self {
            AccountCreated { .. } | Funded { .. } | Lending { .. } | VaultAction { .. } => {
                Category::Account
            }
            StabilityDeposited { .. } | StabilityWithdrawn { .. } => Category::Account,
            EModeSet { .. } | TroveCharges { .. } => Category::Account,
            PopulationGenerated { .. } | BorrowerJoined { .. } | BufferChanged { .. } => {
                Category::Account
            }
            CreditJoined { .. } | CreditTierChanged { .. } | RatingDowngraded { .. } => {
                Category::Account
            }
            MarginCallIssued { .. }
            | MarginCallMet { .. }
            | MarginCallMissed { .. }
            | MarginCallForcedSale { .. } => Category::Liquidation,
            PositionOpened { .. } | PositionReduced { .. } => Category::Trade,
            PricesObserved { .. } | MarketImpact { .. } => Category::Prices,
            InterestAccrued { .. } | FundingAccrued { .. } => Category::Interest,
            Liquidated { .. }
            | PositionLiquidated { .. }
            | AutoDeleveraged { .. }
            | Redistributed { .. }
            | BadDebt { .. }
            | AuctionStarted { .. }
            | AuctionTake { .. }
            | AuctionReset { .. }
            | AuctionEnded { .. }
            | RecoveryMode { .. }
            | LiquidationShares { .. }
            | KeeperIncentive { .. }
            | LiquidationBlocked { .. } => Category::Liquidation,
            EngineFault { .. } => Category::Alert,
            AlertSet { .. } | AlertTriggered { .. } => Category::Alert,
            FillImpact { .. } => Category::Prices,
            _ => Category::Automation,
        }
    }

    /// True for an event that liquidates something (of any account).
    pub fn is_liquidation(&self) -> bool {
        self.account().is_some_and(|a| self.is_liquidation_of(a))
            || matches!(
                self,
                EventKind::AutoDeleveraged { .. } | EventKind::Redistributed { .. }
            )
    }

    /// True for a liquidation of (part of) `account`'s collateral or positions (for a Dutch
    /// auction: the vault being taken into the auction).
    pub fn is_liquidation_of(&self, account: AccountId) -> bool {
        matches!(self,
            EventKind::Liquidated { account: a, .. }
            | EventKind::PositionLiquidated { account: a, .. }
            | EventKind::AuctionStarted { account: a, .. } if *a == account)
    }

    /// The value taken by a liquidation of any account (collateral seized at the price used, a
    /// position's notional, a vault's lot at the oracle), `None` for any other event.
    pub fn liquidated_value(&self) -> Option<Decimal> {
        self.account()
            .and_then(|a| self.liquidation_summary(a))
            .map(|l| l.seized_value)
    }

    /// The cost of a liquidation of `account`, `None` for any other event.
    pub fn liquidation_summary(&self, account: AccountId) -> Option<LiquidationSummary> {
        match self {
            EventKind::Liquidated {
                account: a,
                collateral_seized,
                price_used,
                penalty_value,
                bad_debt,
                ..
            } if *a == account => Some(LiquidationSummary {
                seized_value: *collateral_seized * *price_used,
                penalty: *penalty_value,
                bad_debt: *bad_debt,
                price_used: *price_used,
            }),
            EventKind::PositionLiquidated {
                account: a,
                size,
                mark_price,
                fee_to_insurance,
                bad_debt,
                ..
            } if *a == account => Some(LiquidationSummary {
                seized_value: *size * *mark_price,
                penalty: *fee_to_insurance,
                bad_debt: *bad_debt,
                price_used: *mark_price,
            }),
            // The whole vault goes to the auction; the penalty is the part of the tab above the
            // debt. Bad debt is only known when the auction ends (`AuctionEnded`).
            EventKind::AuctionStarted {
                account: a,
                lot,
                tab,
                debt,
                oracle_price,
                ..
            } if *a == account => Some(LiquidationSummary {
                seized_value: *lot * *oracle_price,
                penalty: *tab - *debt,
                bad_debt: Decimal::ZERO,
                price_used: *oracle_price,
            }),
            _ => None,
        }
    }

    /// One sentence a learner can read.
    pub fn describe(&self) -> String {
        use EventKind::*;
        match self {
            AccountCreated { account, label } => format!("{account} opened ({}).", crate::text::echo(label)),
            Funded { account, asset, amount: a } => format!("{account} received {} {asset} of paper money.", amount(*a)),
            Lending { account, action, asset, amount: a, .. } => {
                let verb = match action {
                    LendingAction::Deposit => "deposited",
                    LendingAction::Withdraw => "withdrew",
                    LendingAction::Borrow => "borrowed",
                    LendingAction::Repay => "repaid",
                };
                format!("{account} {verb} {} {asset}.", amount(*a))
            }
            VaultAction { account, action, collateral, amount: a, .. } => {
                let verb = match action {
                    LendingAction::Deposit => "added collateral to",
                    LendingAction::Withdraw => "took collateral from",
                    LendingAction::Borrow => "drew debt from",
                    LendingAction::Repay => "repaid debt of",
                };
                format!("{account} {verb} the {collateral} vault: {}.", amount(*a))
            }
            PositionOpened { account, market, side, mode, size, price, new_size, new_entry_price, liquidation_price, .. } => format!(
                "{account} opened {} {side} {market} ({mode}) at {}; position now {} at entry {}, liquidation price {}.",
                amount(*size),
                money(*price),
                amount(*new_size),
                money(*new_entry_price),
                liquidation_price.map(money).unwrap_or_else(|| "none".into())
            ),
            PositionReduced { account, market, size, price, realized_pnl, remaining, .. } => format!(
                "{account} closed {} {market} at {}, realizing {} PnL; {} left.",
                amount(*size),
                money(*price),
                money(*realized_pnl),
                amount(*remaining)
            ),
            AlertSet { account, kind, threshold } => format!("{account} set an alert: {kind:?} {}.", fmt_num(*threshold, 3)),
            AlertTriggered { account, kind, value, threshold } => format!(
                "Alert for {account}: {kind:?} {} (now {}). Act before a margin call.",
                fmt_num(*threshold, 3),
                fmt_num(*value, 3)
            ),
            StabilityDeposited { account, amount: a } => format!("{account} deposited {} into the stability pool.", money(*a)),
            StabilityWithdrawn { account, amount: a, collateral_gains } if collateral_gains.is_empty() => {
                format!("{account} withdrew {} from the stability pool (no collateral gains).", money(*a))
            }
            StabilityWithdrawn { account, amount: a, collateral_gains } => format!(
                "{account} withdrew {} from the stability pool (plus {} collateral gains).",
                money(*a),
                collateral_gains.iter().map(|g| format!("{} {}", amount(g.amount), g.asset)).collect::<Vec<_>>().join(", ")
            ),
            PricesObserved { prices } => prices
                .iter()
                .map(|p| {
                    let stale = if p.stale { " (stale)" } else { "" };
                    format!("{} market {} / oracle {}{stale}", p.asset, money(p.market), money(p.oracle))
                })
                .collect::<Vec<_>>()
                .join("; "),
            InterestAccrued { asset, utilization, borrow_rate, interest, .. } => format!(
                "{asset} interest: utilization {}%, borrow rate {}% a year, {} accrued.",
                fmt_num(*utilization * Decimal::ONE_HUNDRED, 2),
                fmt_num(*borrow_rate * Decimal::ONE_HUNDRED, 2),
                amount(*interest)
            ),
            FundingAccrued { market, rate_per_interval, .. } => format!(
                "{market} funding {}% per interval ({}).",
                fmt_num(*rate_per_interval * Decimal::ONE_HUNDRED, 4),
                if rate_per_interval.is_sign_negative() { "shorts pay longs" } else { "longs pay shorts" }
            ),
            Liquidated { account, mechanism, debt_asset, debt_repaid, collateral_asset, collateral_seized, price_used, penalty_value, receiver, health_before, health_after, bad_debt, .. } => {
                let mut s = format!(
                    "{account} liquidated ({mechanism}) at {collateral_asset} = {}: {} {debt_asset} of debt repaid, {} {collateral_asset} seized by {receiver}, penalty {}; health {} → {}.",
                    money(*price_used),
                    money(*debt_repaid),
                    amount(*collateral_seized),
                    money(*penalty_value),
                    ratio(*health_before),
                    ratio(*health_after)
                );
                if !bad_debt.is_zero() {
                    s.push_str(&format!(" Bad debt: {}.", money(*bad_debt)));
                }
                s
            }
            PositionLiquidated { account, market, side, size, mark_price, bankruptcy_price, fee_to_insurance, insurance_used, covered_by_adl, bad_debt, .. } => {
                let mut s = format!(
                    "{account}'s {side} {} {market} liquidated at mark {} (bankruptcy price {}); fee {} to the insurance fund.",
                    amount(*size),
                    money(*mark_price),
                    money(*bankruptcy_price),
                    money(*fee_to_insurance)
                );
                if !insurance_used.is_zero() {
                    s.push_str(&format!(" Insurance fund paid {}.", money(*insurance_used)));
                }
                if !covered_by_adl.is_zero() {
                    s.push_str(&format!(" Auto-deleveraging covered {}.", money(*covered_by_adl)));
                }
                if !bad_debt.is_zero() {
                    s.push_str(&format!(" Bad debt: {}.", money(*bad_debt)));
                }
                s
            }
            AutoDeleveraged { account, market, side, size, price, profit_forgone } => format!(
                "Auto-deleveraging closed {account}'s {side} {} {market} at {} (profit forgone {}).",
                amount(*size),
                money(*price),
                money(*profit_forgone)
            ),
            Redistributed { from, collateral, debt, collateral_amount, recipients } => format!(
                "{} debt and {} {collateral} of {from} redistributed over {recipients} other vaults.",
                money(*debt),
                amount(*collateral_amount)
            ),
            BadDebt { account, asset, amount: a } => format!("Bad debt: {} {asset} of {account} is not covered by collateral.", money(*a)),
            AuctionStarted { id, account, collateral, lot, tab, start_price, collateral_ratio, debt, oracle_price } => format!(
                "{account}'s {collateral} vault (ratio {}) taken into Dutch auction #{id} at oracle {}: {} {collateral} for sale from {} down, to raise {} ({} debt + {} penalty).",
                ratio(*collateral_ratio),
                money(*oracle_price),
                amount(*lot),
                money(*start_price),
                money(*tab),
                money(*debt),
                money(*tab - *debt)
            ),
            AuctionTake { id, amount: a, price, paid, tab_left, lot_left } => format!(
                "Auction #{id}: a keeper bought {} at {} for {}; {} still to raise, {} left for sale.",
                amount(*a),
                money(*price),
                money(*paid),
                money(*tab_left),
                amount(*lot_left)
            ),
            AuctionReset { id, start_price } => format!(
                "Auction #{id} reset (too old, or its price fell too far): starts again at {}.",
                money(*start_price)
            ),
            AuctionEnded { id, returned_to_owner, bad_debt } => {
                let mut s = format!("Auction #{id} ended: {} collateral returned to the owner.", amount(*returned_to_owner));
                if !bad_debt.is_zero() {
                    s.push_str(&format!(" Bad debt: {} not raised.", money(*bad_debt)));
                }
                s
            }
            EngineFault { account, stage, error } => format!(
                "The engine could not complete a {stage}{}: {error}. It is logged here and tried again next step.",
                account.map(|a| format!(" for {a}")).unwrap_or_default()
            ),
            RecoveryMode { active: true, total_collateral_ratio, critical_ratio } => format!(
                "Recovery mode: the system's total collateral ratio is {}, below {}. Troves under it can be liquidated; borrowing that lowers it is refused.",
                ratio(*total_collateral_ratio),
                fmt_pct(*critical_ratio)
            ),
            RecoveryMode { active: false, total_collateral_ratio, critical_ratio } => format!(
                "Recovery mode ended: the total collateral ratio is back to {} (at or above {}).",
                ratio(*total_collateral_ratio),
                fmt_pct(*critical_ratio)
            ),
            LiquidationShares { account, shares } => format!(
                "Who got what from {account}'s liquidation: {}.",
                shares
                    .iter()
                    .map(|x| format!("{} {} {} (worth {})", x.party.name(), amount(x.amount), x.asset, money(x.value)))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            KeeperIncentive { id, tip, chip, total } => format!(
                "Auction #{id}: the keeper who started it was paid {} by the system ({} flat + {} of the tab).",
                money(*total),
                money(*tip),
                money(*chip)
            ),
            LiquidationBlocked { account, reason } => format!("{account} could not be liquidated as it stands: {reason}"),
            EModeSet { account, category: Some(c), health_before, health_after } => format!(
                "{account} switched e-mode on (category {c}): health {} → {}.",
                ratio(*health_before),
                ratio(*health_after)
            ),
            EModeSet { account, category: None, health_before, health_after } => format!(
                "{account} switched e-mode off: health {} → {}.",
                ratio(*health_before),
                ratio(*health_after)
            ),
            TroveCharges { account, collateral, borrowing_fee, gas_compensation } => {
                let mut s = format!("{account}'s {collateral} trove was charged a borrowing fee of {}", money(*borrowing_fee));
                if !gas_compensation.is_zero() {
                    s.push_str(&format!(" and {} of gas compensation, set aside for its liquidator", money(*gas_compensation)));
                }
                s.push_str(", both added to its debt.");
                s
            }
            PopulationGenerated { borrowers, seed, lender_supply } => {
                let mut s = format!("A crowd of {} borrowers joined (seed {seed})", fmt_num((*borrowers).into(), 0));
                if !lender_supply.amount.is_zero() {
                    s.push_str(&format!("; its lender supplied {} {}", money(lender_supply.amount), lender_supply.asset));
                }
                s.push('.');
                s
            }
            BorrowerJoined { account, collateral, debt, positions } => {
                let list = |v: &[AssetAmount]| v.iter().map(|x| format!("{} {}", amount(x.amount), x.asset)).collect::<Vec<_>>().join(" + ");
                if positions.is_empty() {
                    format!("{account} joined: posted {}, owes {}.", list(collateral), if debt.is_empty() { "nothing".into() } else { list(debt) })
                } else {
                    let p = &positions[0];
                    format!("{account} joined: {} {} {} at {}× ({}).", p.side, amount(p.size), p.market, fmt_num(p.leverage, 2), p.mode)
                }
            }
            BufferChanged { threshold_shift, bonus_scale, close_factor, depth_scale } => format!(
                "The scenario changed the preset's buffer: liquidation thresholds {} points, bonuses and penalties ×{}, close factor {}, market depth ×{}.",
                fmt_num(*threshold_shift * Decimal::ONE_HUNDRED, 2),
                fmt_num(*bonus_scale, 3),
                close_factor.map(fmt_pct).unwrap_or_else(|| "unchanged".into()),
                fmt_num(*depth_scale, 3)
            ),
            MarginCallIssued { account, deadline, deficit, equity, maintenance, health } => format!(
                "Margin call for {account}: equity {} is below the maintenance requirement of {} (health {}). Deposit cash or repay {} — or sell — by {}, or the broker sells.",
                money(*equity),
                money(*maintenance),
                ratio(*health),
                money(*deficit),
                when(*deadline)
            ),
            MarginCallMet { account, cured_by, .. } => format!("Margin call of {account} met: {cured_by}."),
            MarginCallMissed { account, deadline, deficit } => format!(
                "Margin call of {account} missed: at the deadline ({}) it was still {} short. The broker sells.",
                when(*deadline),
                money(*deficit)
            ),
            MarginCallForcedSale { account, reason, sold_value, fee, debt_repaid, health_before, health_after } => format!(
                "Forced sale of {account}'s collateral because {reason}: {} sold, {} of debt repaid, fee {} to the broker; health {} → {}.",
                money(*sold_value),
                money(*debt_repaid),
                money(*fee),
                ratio(*health_before),
                ratio(*health_after)
            ),
            CreditJoined { account, tier, score } => format!(
                "{account} joined Margin Lab's credit tiers: score {}, tier {}.",
                fmt_num(*score, 1),
                tier.label()
            ),
            CreditTierChanged { account, from, to, score, reason, maintenance_before, maintenance_after } => {
                let verb = if to < from { "improved" } else { "worsened" };
                let whose = if *account == AccountId::USER { "Your".to_string() } else { format!("The tier of {account}") };
                format!(
                    "{whose} tier {verb}: {} → {} (score {}): maintenance margin {} → {}. Why: {reason}.",
                    from.label(),
                    to.label(),
                    fmt_num(*score, 1),
                    fmt_pct(maintenance_before.round_dp(4)),
                    fmt_pct(maintenance_after.round_dp(4))
                )
            }
            RatingDowngraded { account, notches, score_before, score_after } => format!(
                "A rating downgrade of {notches} notch(es) hit {account}: credit score {} → {}.",
                fmt_num(*score_before, 1),
                fmt_num(*score_after, 1)
            ),
            MarketImpact { asset, sold, price_before, price_after } => format!(
                "Liquidation sale of {} {asset} moved the market {} → {} (slippage {}%).",
                amount(*sold),
                money(*price_before),
                money(*price_after),
                if price_before.is_zero() {
                    "0".into()
                } else {
                    fmt_num((*price_before - *price_after) / *price_before * Decimal::ONE_HUNDRED, 2)
                }
            ),
            k => super::orders::explain::describe(k).unwrap_or_default(),
        }
    }
}

impl Event {
    /// `describe` of the event's kind.
    pub fn describe(&self) -> String {
        self.kind.describe()
    }
}

/// The event log as CSV: `seq,time,category,account,description,detail` where `detail` is the
/// event's JSON. Fields are quoted per RFC 4180.
pub fn events_csv<'a>(events: impl IntoIterator<Item = &'a Event>) -> String {
    fn quote(s: &str) -> String {
        format!("\"{}\"", s.replace('"', "\"\""))
    }
    let mut out = String::from("seq,time,category,account,description,detail\n");
    for e in events {
        let detail = serde_json::to_string(&e.kind).unwrap_or_default();
        let account = e
            .kind
            .account()
            .map(|a| a.0.to_string())
            .unwrap_or_default();
        out.push_str(&format!(
            "{},{},{},{},{},{}\n",
            e.seq,
            e.time,
            e.kind.category().name(),
            account,
            quote(&e.describe()),
            quote(&detail)
        ));
    }
    out
}

/// The event log as a JSON array of `{seq, time, category, description, event}`.
pub fn events_json<'a>(events: impl IntoIterator<Item = &'a Event>) -> String {
    let rows: Vec<serde_json::Value> = events
        .into_iter()
        .map(|e| {
            serde_json::json!({
                "seq": e.seq,
                "time": e.time,
                "category": e.kind.category().name(),
                "description": e.describe(),
                "event": e.kind,
            })
        })
        .collect();
    serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".into())
}

impl super::event::Party {
    /// The party's name in a sentence.
    pub fn name(self) -> &'static str {
        use super::event::Party::*;
        match self {
            Liquidator => "liquidator",
            Protocol => "protocol",
            Buyer => "collateral buyers",
            StabilityPool => "stability pool",
            InsuranceFund => "insurance fund",
            Owner => "owner",
        }
    }
}
