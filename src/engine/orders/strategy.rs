//! Strategies: a named plan with parameters, attached to an account by a command. It acts at
//! once (enters, deposits, borrows), then through the orders and rules it places, and re-enters
//! when a plan says so. Plans are a small structured form — no free-form code:
//! - [`PerpPlan`]: "5× long ETH with half the cash, stop −8 %, take +15 %, re-enter after 24 h";
//! - [`BorrowPlan`]: "deposit the ETH, borrow USDC to health 1.6, auto-repay at 1.3 (back to
//!   1.6), boost above 2.0";
//! - [`VaultPlan`]: "put 60 % of the ETH in a vault, draw DAI to ratio 1.8, top up with the rest
//!   below 1.6".
//!
//! Its orders and rules are marked as the strategy's: clearing the strategy cancels them (and
//! leaves positions and debts as they are). Entries are market orders placed by the automation:
//! they fill at the mark with the slippage of their size (see [`super`]).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::perp::{self as orders, OrderRequest};
use super::protection::{self, ProtectionRule};
use super::{floor_amount, CancelReason, Origin};
use crate::engine::account::Account;
use crate::engine::actions::{lending, need_design, open_position, vault};
use crate::engine::command::{MarginMode, Side};
use crate::engine::error::{EngineError, Rejection};
use crate::engine::event::{EventKind, LendingAction};
use crate::engine::health::{collateral_amount, lending_view, vault_view};
use crate::engine::ids::AssetId;
use crate::engine::num::{fmt_num, fmt_pct, fmt_ratio, mul};
use crate::engine::params::config::{CollateralDesign, EngineConfig};
use crate::engine::slippage;
use crate::engine::state::World;

/// Longest strategy name.
pub const MAX_NAME_CHARS: usize = 40;
/// Longest wait before re-entering: a year.
pub const MAX_REENTER_SECS: u32 = 365 * 86_400;

/// A named plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Strategy {
    pub name: String,
    pub plan: Plan,
}

/// What a strategy does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Plan {
    Perp(PerpPlan),
    Borrow(BorrowPlan),
    Vault(VaultPlan),
}

/// A leveraged position with a bracket of orders, re-entered after a wait.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PerpPlan {
    pub market: AssetId,
    pub side: Side,
    pub leverage: Decimal,
    pub mode: MarginMode,
    /// Share of the wallet's settlement cash used as margin at each entry, in `(0, 1]`.
    pub margin_share: Decimal,
    /// Stop-loss at this fraction against the entry price (0.08 = −8 % for a long).
    pub stop_loss: Option<Decimal>,
    /// Take-profit at this fraction in favour of the entry price (0.15 = +15 % for a long).
    pub take_profit: Option<Decimal>,
    /// Seconds to wait after the position is gone (stop, take, liquidation, by hand) before
    /// entering again; `None`: enter once.
    pub reenter_after_secs: Option<u32>,
}

/// A pooled-account loan kept between two health factors.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BorrowPlan {
    /// Deposited from the wallet at the start (`deposit_share` of what it holds).
    pub collateral: AssetId,
    /// Share of the wallet's collateral deposited at the start, in `(0, 1]`.
    pub deposit_share: Decimal,
    /// Borrowed to the target health at the start, repaid or boosted by the rules.
    pub borrow: AssetId,
    pub target_health: Decimal,
    /// Auto-repay back to the target when the health factor falls below this.
    pub repay_below: Option<Decimal>,
    /// Borrow back down to the target when the health factor rises above this.
    pub boost_above: Option<Decimal>,
}

/// A vault drawn to a collateral ratio and topped up below another.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VaultPlan {
    /// Deposited from the wallet at the start (`deposit_share` of what it holds; the rest is
    /// there to top the vault up).
    pub collateral: AssetId,
    /// Share of the wallet's collateral deposited at the start, in `(0, 1]`.
    pub deposit_share: Decimal,
    /// Debt drawn at the start so that the ratio is this (e.g. 1.8 = 180 %).
    pub target_ratio: Decimal,
    /// Add collateral from the wallet back to the target when the ratio falls below this.
    pub top_up_below: Option<Decimal>,
}

/// A strategy attached to an account, and where it stands.
#[derive(Clone, Debug, PartialEq)]
pub struct StrategyState {
    pub strategy: Strategy,
    /// Perp plans: whether the plan's position is open.
    pub in_position: bool,
    /// Perp plans: when it enters again (when flat).
    pub reenter_at: Option<i64>,
    /// Entries so far (the first included).
    pub entries: u32,
}

/// What a strategy did, in its events.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum StrategyStep {
    /// Opened (or re-opened) the plan's position at `price` (the mark with the slippage of its
    /// size, `slippage` in quote).
    Entered {
        market: AssetId,
        side: Side,
        size: Decimal,
        price: Decimal,
        margin: Decimal,
        slippage: Decimal,
        entry: u32,
    },
    /// The plan's position is gone; it enters again after `wait_secs` (`None`: it does not).
    Exited { wait_secs: Option<u32> },
    /// Deposited collateral (into the pool or the vault).
    Deposited { asset: AssetId, amount: Decimal },
    /// Borrowed (drew vault debt) to the target.
    Borrowed {
        asset: AssetId,
        amount: Decimal,
        level_after: Option<Decimal>,
    },
    /// Could not act, and why (`retry_after_secs`: when it tries again).
    CouldNotAct {
        reason: String,
        retry_after_secs: Option<u32>,
    },
}

impl Strategy {
    /// The same strategy without its automation: the entry (position, deposit, borrow) only, no
    /// stops, takes, re-entries or rules. What a test across seeds compares against.
    pub fn entry_only(&self) -> Strategy {
        let plan = match &self.plan {
            Plan::Perp(p) => Plan::Perp(PerpPlan {
                stop_loss: None,
                take_profit: None,
                reenter_after_secs: None,
                ..p.clone()
            }),
            Plan::Borrow(b) => Plan::Borrow(BorrowPlan {
                repay_below: None,
                boost_above: None,
                ..b.clone()
            }),
            Plan::Vault(v) => Plan::Vault(VaultPlan {
                top_up_below: None,
                ..v.clone()
            }),
        };
        Strategy {
            name: self.name.clone(),
            plan,
        }
    }

    /// Whether it has automation beyond its entry.
    pub fn automates(&self) -> bool {
        self.entry_only() != *self
    }

    /// One line a learner reads: "5× long ETH with 50 % of cash, stop −8 %, take +15 %,
    /// re-enter after 24 h".
    pub fn summary(&self) -> String {
        match &self.plan {
            Plan::Perp(p) => {
                let sign = |against: bool| match (p.side, against) {
                    (Side::Long, true) | (Side::Short, false) => "−",
                    _ => "+",
                };
                let mut s = format!(
                    "{}× {} {} with {} of cash",
                    fmt_num(p.leverage, 2),
                    p.side,
                    p.market,
                    fmt_pct(p.margin_share)
                );
                if let Some(x) = p.stop_loss {
                    s.push_str(&format!(", stop {}{}", sign(true), fmt_pct(x)));
                }
                if let Some(x) = p.take_profit {
                    s.push_str(&format!(", take {}{}", sign(false), fmt_pct(x)));
                }
                if let Some(x) = p.reenter_after_secs {
                    s.push_str(&format!(", re-enter after {}", duration(x)));
                }
                s
            }
            Plan::Borrow(b) => {
                let mut s = format!(
                    "deposit {} of the {}, borrow {} to health {}",
                    fmt_pct(b.deposit_share),
                    b.collateral,
                    b.borrow,
                    fmt_ratio(b.target_health)
                );
                if let Some(x) = b.repay_below {
                    s.push_str(&format!(", auto-repay at {}", fmt_ratio(x)));
                }
                if let Some(x) = b.boost_above {
                    s.push_str(&format!(", boost above {}", fmt_ratio(x)));
                }
                s
            }
            Plan::Vault(v) => {
                let mut s = format!(
                    "{} of the {} in a vault drawn to {}",
                    fmt_pct(v.deposit_share),
                    v.collateral,
                    fmt_pct(v.target_ratio)
                );
                if let Some(x) = v.top_up_below {
                    s.push_str(&format!(", top up below {}", fmt_pct(x)));
                }
                s
            }
        }
    }
}

/// "24 h", "3 d", "90 min".
pub fn duration(secs: u32) -> String {
    match secs {
        s if s >= 86_400 && s % 86_400 == 0 => format!("{} d", s / 86_400),
        s if s >= 3600 && s % 3600 == 0 => format!("{} h", s / 3600),
        s if s >= 60 && s % 60 == 0 => format!("{} min", s / 60),
        s => format!("{s} s"),
    }
}

fn invalid<T>(m: String) -> Result<T, Rejection> {
    Err(Rejection::InvalidStrategy(m))
}

fn within(x: Decimal, lo: Decimal, hi: Decimal) -> bool {
    x > lo && x <= hi
}

fn share(x: Decimal) -> Result<(), Rejection> {
    if !within(x, Decimal::ZERO, Decimal::ONE) {
        return invalid(
            "the share of your collateral to deposit must be above 0 % and at most 100 %".into(),
        );
    }
    Ok(())
}

/// Checks a strategy's name and parameters against the scenario.
pub fn validate(cfg: &EngineConfig, s: &Strategy) -> Result<(), Rejection> {
    let n = s.name.chars().count();
    if n == 0 || n > MAX_NAME_CHARS || s.name.chars().any(char::is_control) {
        return invalid(format!(
            "its name must be 1 to {MAX_NAME_CHARS} characters of text"
        ));
    }
    let known = |a: &AssetId| {
        cfg.asset(a)
            .map(|_| ())
            .ok_or_else(|| Rejection::UnknownAsset(a.clone()))
    };
    match &s.plan {
        Plan::Perp(p) => {
            known(&p.market)?;
            let perp = cfg
                .asset(&p.market)
                .and_then(|a| a.perp.clone())
                .ok_or_else(|| Rejection::NotAPerpMarket(p.market.clone()))?;
            if p.leverage < Decimal::ONE {
                return Err(Rejection::LeverageTooLow(p.leverage));
            }
            if p.leverage > perp.max_leverage {
                return Err(Rejection::LeverageTooHigh {
                    leverage: p.leverage,
                    max: perp.max_leverage,
                });
            }
            if !within(p.margin_share, Decimal::ZERO, Decimal::ONE) {
                return invalid(
                    "the share of cash used as margin must be above 0 % and at most 100 %".into(),
                );
            }
            if p.stop_loss
                .is_some_and(|x| !within(x, Decimal::ZERO, Decimal::ONE) || x == Decimal::ONE)
            {
                return invalid(
                    "the stop-loss must be between 0 % and 100 % against the entry".into(),
                );
            }
            let take_max = if p.side == Side::Long {
                Decimal::TEN
            } else {
                Decimal::ONE
            };
            if p.take_profit.is_some_and(|x| {
                !within(x, Decimal::ZERO, take_max) || (p.side == Side::Short && x == Decimal::ONE)
            }) {
                return invalid(format!(
                    "the take-profit must be above 0 % and below {} in the position's favour",
                    fmt_pct(take_max)
                ));
            }
            if p.reenter_after_secs
                .is_some_and(|x| x == 0 || x > MAX_REENTER_SECS)
            {
                return invalid(
                    "the wait before re-entering must be between 1 second and a year".into(),
                );
            }
        }
        Plan::Borrow(b) => {
            need_design(
                cfg,
                CollateralDesign::MultiCollateral,
                "A borrowing strategy",
            )?;
            known(&b.collateral)?;
            known(&b.borrow)?;
            if b.collateral == b.borrow {
                return invalid("it must borrow another asset than its collateral".into());
            }
            let rules = [
                b.repay_below.map(|t| ProtectionRule::RepayBelow {
                    asset: b.borrow.clone(),
                    trigger: t,
                    target: b.target_health,
                }),
                b.boost_above.map(|t| ProtectionRule::BoostAbove {
                    asset: b.borrow.clone(),
                    trigger: t,
                    target: b.target_health,
                }),
            ];
            if b.target_health <= Decimal::ONE || b.target_health > protection::MAX_LEVEL {
                return invalid(
                    "the target health factor must be above 1.00 and at most 100".into(),
                );
            }
            let mut probe = Account::new(crate::engine::ids::AccountId(u64::MAX), String::new());
            for r in rules.into_iter().flatten() {
                protection::validate(cfg, &probe, &r)?;
                let id = probe.automation.next_id();
                probe.automation.rules.insert(
                    id,
                    protection::Rule {
                        id,
                        rule: r,
                        origin: Origin::Strategy,
                        state: protection::RuleState::Armed,
                    },
                );
            }
            if !cfg.asset(&b.borrow).is_some_and(|a| a.borrowable) {
                return Err(Rejection::NotBorrowable(b.borrow.clone()));
            }
        }
        Plan::Vault(v) => {
            need_design(cfg, CollateralDesign::SingleCollateral, "A vault strategy")?;
            share(v.deposit_share)?;
            known(&v.collateral)?;
            if v.collateral == cfg.debt_asset {
                return Err(Rejection::NotBorrowable(v.collateral.clone()));
            }
            let lr = cfg
                .asset(&v.collateral)
                .map(|a| a.liquidation_ratio)
                .unwrap_or_default();
            if v.target_ratio <= lr || v.target_ratio > protection::MAX_LEVEL {
                return invalid(format!(
                    "the target ratio must be above the vault's liquidation ratio ({}) and at most {}",
                    fmt_pct(lr),
                    fmt_num(protection::MAX_LEVEL, 0)
                ));
            }
            if let Some(t) = v.top_up_below {
                protection::validate(
                    cfg,
                    &Account::new(crate::engine::ids::AccountId(u64::MAX), String::new()),
                    &ProtectionRule::TopUpBelow {
                        collateral: v.collateral.clone(),
                        trigger: t,
                        target: v.target_ratio,
                    },
                )?;
            }
        }
    }
    Ok(())
}

fn acted(acc: &Account, name: &str, step: StrategyStep) -> EventKind {
    EventKind::StrategyActed {
        account: acc.id,
        name: name.to_string(),
        step,
    }
}

/// Attaches a strategy and lets it act at once (the whole command is refused, and nothing
/// changes, if its entry cannot be made).
pub(crate) fn set(
    cfg: &EngineConfig,
    w: &mut World,
    acc: &mut Account,
    strategy: &Strategy,
) -> Result<Vec<EventKind>, Rejection> {
    if let Some(s) = &acc.automation.strategy {
        return Err(Rejection::StrategyAttached(s.strategy.name.clone()));
    }
    validate(cfg, strategy)?;
    let mut events = vec![EventKind::StrategySet {
        account: acc.id,
        strategy: strategy.clone(),
    }];
    acc.automation.strategy = Some(StrategyState {
        strategy: strategy.clone(),
        in_position: false,
        reenter_at: None,
        entries: 0,
    });
    match &strategy.plan {
        Plan::Perp(p) => {
            let (evs, sold) = enter(cfg, w, acc, &strategy.name, p)?;
            events.extend(evs);
            let sales = std::collections::BTreeMap::from([(p.market.clone(), sold)]);
            let (_, impact) = slippage::apply_sales(cfg, w, &sales).map_err(Rejection::from)?;
            events.extend(super::fill_impacts(impact));
        }
        Plan::Borrow(b) => events.extend(borrow_entry(cfg, w, acc, &strategy.name, b)?),
        Plan::Vault(v) => events.extend(vault_entry(cfg, w, acc, &strategy.name, v)?),
    }
    Ok(events)
}

/// Detaches the strategy: cancels its orders and clears its rules; positions, deposits and debts
/// stay as they are.
pub(crate) fn clear(acc: &mut Account) -> Result<Vec<EventKind>, Rejection> {
    let state = acc
        .automation
        .strategy
        .take()
        .ok_or(Rejection::NoStrategy)?;
    let mut events = Vec::new();
    let orders: Vec<u64> = acc
        .automation
        .orders
        .values()
        .filter(|o| o.origin == Origin::Strategy)
        .map(|o| o.id)
        .collect();
    for id in &orders {
        events.extend(orders::cancel(acc, *id, CancelReason::StrategyCleared)?);
    }
    let rules: Vec<u64> = acc
        .automation
        .rules
        .values()
        .filter(|r| r.origin == Origin::Strategy)
        .map(|r| r.id)
        .collect();
    for id in &rules {
        events.extend(protection::clear(acc, *id)?);
    }
    events.push(EventKind::StrategyCleared {
        account: acc.id,
        name: state.strategy.name,
        orders_cancelled: orders.len() as u32,
        rules_cleared: rules.len() as u32,
    });
    Ok(events)
}

/// Opens the plan's position with a share of the cash (a market order: the mark with the
/// slippage of its size) and places its stop and take on the whole position. Returns the events
/// and the units sold (negative: bought) for the market impact.
pub(crate) fn enter(
    cfg: &EngineConfig,
    w: &mut World,
    acc: &mut Account,
    name: &str,
    p: &PerpPlan,
) -> Result<(Vec<EventKind>, Decimal), Rejection> {
    let market = &p.market;
    let mark = w.price(market);
    let cash = acc.wallet(&cfg.debt_asset);
    let margin = floor_amount(mul(cash, p.margin_share)?);
    let buying = p.side == Side::Long;
    let action = format!(
        "Entering {}× {} {market} with {} of your {} {}",
        fmt_num(p.leverage, 2),
        p.side,
        fmt_pct(p.margin_share),
        fmt_num(cash, 2),
        cfg.debt_asset
    );
    if margin <= Decimal::ZERO {
        return Err(Rejection::InsufficientMargin {
            action,
            required: Decimal::ZERO,
            available: cash,
        });
    }
    // Size so that margin = size × fill price / leverage, with the fill price the slippage of
    // that size implies (see the module docs on why this never needs more than `margin`).
    let notional = mul(margin, p.leverage)?;
    let first = slippage::market_fill_price(
        mark,
        slippage::impact_fraction(cfg, market, notional / mark, mark)?,
        buying,
    )?;
    let size = floor_amount(notional / first);
    if size <= Decimal::ZERO {
        return Err(Rejection::InsufficientMargin {
            action,
            required: margin,
            available: cash,
        });
    }
    let price = slippage::market_fill_price(
        mark,
        slippage::impact_fraction(cfg, market, size, mark)?,
        buying,
    )?;
    let mut events = open_position(
        cfg,
        w,
        acc,
        market,
        p.side,
        size,
        p.leverage,
        p.mode,
        Some(price),
    )?;
    let entry_no = acc
        .automation
        .strategy
        .as_ref()
        .map_or(1, |s| s.entries + 1);
    events.push(acted(
        acc,
        name,
        StrategyStep::Entered {
            market: market.clone(),
            side: p.side,
            size,
            price,
            margin: if p.mode == MarginMode::Isolated {
                mul(size, price)? / p.leverage
            } else {
                Decimal::ZERO
            },
            slippage: mul((price - mark).abs(), size)?,
            entry: entry_no,
        },
    ));
    let entry = acc
        .positions
        .get(market)
        .map(|x| x.entry_price)
        .unwrap_or(price);
    let (against, favour) = match p.side {
        Side::Long => (Decimal::NEGATIVE_ONE, Decimal::ONE),
        Side::Short => (Decimal::ONE, Decimal::NEGATIVE_ONE),
    };
    if let Some(x) = p.stop_loss {
        let trigger = mul(entry, Decimal::ONE + against * x)?.round_dp(8);
        events.extend(orders::place(
            cfg,
            w,
            acc,
            &OrderRequest::StopLoss {
                market: market.clone(),
                trigger,
                size: None,
            },
            Origin::Strategy,
        )?);
    }
    if let Some(x) = p.take_profit {
        let trigger = mul(entry, Decimal::ONE + favour * x)?.round_dp(8);
        events.extend(orders::place(
            cfg,
            w,
            acc,
            &OrderRequest::TakeProfit {
                market: market.clone(),
                trigger,
                size: None,
            },
            Origin::Strategy,
        )?);
    }
    if let Some(s) = acc.automation.strategy.as_mut() {
        s.in_position = true;
        s.reenter_at = None;
        s.entries = entry_no;
    }
    Ok((events, if buying { -size } else { size }))
}

fn borrow_entry(
    cfg: &EngineConfig,
    w: &mut World,
    acc: &mut Account,
    name: &str,
    b: &BorrowPlan,
) -> Result<Vec<EventKind>, Rejection> {
    let mut events = Vec::new();
    let held = floor_amount(mul(acc.wallet(&b.collateral), b.deposit_share)?);
    if held > Decimal::ZERO {
        events.extend(lending(
            cfg,
            w,
            acc,
            LendingAction::Deposit,
            &b.collateral,
            held,
        )?);
        events.push(acted(
            acc,
            name,
            StrategyStep::Deposited {
                asset: b.collateral.clone(),
                amount: held,
            },
        ));
    }
    if collateral_amount(w, acc, &b.collateral) <= Decimal::ZERO {
        return invalid(format!(
            "you hold no {} to deposit as collateral",
            b.collateral
        ));
    }
    let lv = lending_view(cfg, w, acc)?;
    let price = w.price(&b.borrow);
    let wanted = (lv.weighted_collateral / b.target_health - lv.debt_value)
        .min(lv.borrow_limit - lv.debt_value);
    let amount = floor_amount((wanted / price).min(w.asset(&b.borrow)?.cash));
    if amount > Decimal::ZERO {
        events.extend(lending(
            cfg,
            w,
            acc,
            LendingAction::Borrow,
            &b.borrow,
            amount,
        )?);
        let after = lending_view(cfg, w, acc)?.health_factor();
        events.push(acted(
            acc,
            name,
            StrategyStep::Borrowed {
                asset: b.borrow.clone(),
                amount,
                level_after: after,
            },
        ));
    }
    if let Some(t) = b.repay_below {
        events.extend(protection::set(
            cfg,
            w,
            acc,
            &ProtectionRule::RepayBelow {
                asset: b.borrow.clone(),
                trigger: t,
                target: b.target_health,
            },
            Origin::Strategy,
        )?);
    }
    if let Some(t) = b.boost_above {
        events.extend(protection::set(
            cfg,
            w,
            acc,
            &ProtectionRule::BoostAbove {
                asset: b.borrow.clone(),
                trigger: t,
                target: b.target_health,
            },
            Origin::Strategy,
        )?);
    }
    Ok(events)
}

fn vault_entry(
    cfg: &EngineConfig,
    w: &mut World,
    acc: &mut Account,
    name: &str,
    v: &VaultPlan,
) -> Result<Vec<EventKind>, Rejection> {
    let mut events = Vec::new();
    let held = floor_amount(mul(acc.wallet(&v.collateral), v.deposit_share)?);
    if held > Decimal::ZERO {
        events.extend(vault(
            cfg,
            w,
            acc,
            LendingAction::Deposit,
            &v.collateral,
            held,
        )?);
        events.push(acted(
            acc,
            name,
            StrategyStep::Deposited {
                asset: v.collateral.clone(),
                amount: held,
            },
        ));
    }
    let Some(vv) = acc
        .vaults
        .get(&v.collateral)
        .map(|x| vault_view(cfg, w, &v.collateral, x))
        .transpose()?
    else {
        return invalid(format!("you hold no {} to open a vault with", v.collateral));
    };
    let debt_price = w.price(&cfg.debt_asset);
    let amount = floor_amount((vv.collateral_value / v.target_ratio - vv.debt_value) / debt_price);
    if amount > Decimal::ZERO {
        events.extend(vault(
            cfg,
            w,
            acc,
            LendingAction::Borrow,
            &v.collateral,
            amount,
        )?);
        let after = acc
            .vaults
            .get(&v.collateral)
            .and_then(|x| vault_view(cfg, w, &v.collateral, x).ok())
            .and_then(|x| x.ratio());
        events.push(acted(
            acc,
            name,
            StrategyStep::Borrowed {
                asset: cfg.debt_asset.clone(),
                amount,
                level_after: after,
            },
        ));
    }
    if let Some(t) = v.top_up_below {
        events.extend(protection::set(
            cfg,
            w,
            acc,
            &ProtectionRule::TopUpBelow {
                collateral: v.collateral.clone(),
                trigger: t,
                target: v.target_ratio,
            },
            Origin::Strategy,
        )?);
    }
    Ok(events)
}

/// A perp plan whose position is gone (its stop or take, a liquidation, or the learner) logs the
/// exit and plans its re-entry.
pub(crate) fn notice_exit(cfg: &EngineConfig, acc: &mut Account, now: i64) -> Vec<EventKind> {
    let _ = cfg;
    let Some(state) = acc.automation.strategy.as_ref() else {
        return Vec::new();
    };
    let Plan::Perp(p) = &state.strategy.plan else {
        return Vec::new();
    };
    let open = acc
        .positions
        .get(&p.market)
        .is_some_and(|x| x.side == p.side);
    if !state.in_position || open {
        return Vec::new();
    }
    let wait = p.reenter_after_secs;
    let reenter_at = wait.map(|s| now.saturating_add(i64::from(s)));
    let name = state.strategy.name.clone();
    if let Some(s) = acc.automation.strategy.as_mut() {
        s.in_position = false;
        s.reenter_at = reenter_at;
    }
    vec![acted(acc, &name, StrategyStep::Exited { wait_secs: wait })]
}

/// A due re-entry: enters again (`Ok(Some(..))` with the new world and account, the events and
/// the units sold), or says why it could not and when it tries again.
pub(crate) fn wake(
    cfg: &EngineConfig,
    w: &World,
    acc: &Account,
    now: i64,
) -> Result<(World, Account, Vec<EventKind>, Decimal), EngineError> {
    let mut world = w.clone();
    let mut account = acc.clone();
    let Some(state) = acc.automation.strategy.clone() else {
        return Ok((world, account, Vec::new(), Decimal::ZERO));
    };
    let Plan::Perp(p) = &state.strategy.plan else {
        return Ok((world, account, Vec::new(), Decimal::ZERO));
    };
    if state.in_position || state.reenter_at.is_none_or(|t| t > now) {
        return Ok((world, account, Vec::new(), Decimal::ZERO));
    }
    match enter(cfg, &mut world, &mut account, &state.strategy.name, p) {
        Ok((events, sold)) => Ok((world, account, events, sold)),
        Err(rejection) => {
            let mut account = acc.clone();
            let retry_at = p
                .reenter_after_secs
                .map(|s| now.saturating_add(i64::from(s)));
            if let Some(s) = account.automation.strategy.as_mut() {
                s.reenter_at = retry_at;
            }
            let event = acted(
                acc,
                &state.strategy.name,
                StrategyStep::CouldNotAct {
                    reason: rejection.to_string(),
                    retry_after_secs: p.reenter_after_secs,
                },
            );
            Ok((w.clone(), account, vec![event], Decimal::ZERO))
        }
    }
}
