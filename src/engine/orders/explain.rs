//! Plain-English sentences for the automation's events (the event log, the native tool) and the
//! account each is about. Wording only: every figure is a field of the event.

use rust_decimal::Decimal;

use super::perp::OrderKind;
use super::strategy::{duration, StrategyStep};
use super::CancelReason;
use crate::engine::event::EventKind;
use crate::engine::ids::AccountId;
use crate::engine::num::{fmt_num, fmt_ratio};

fn money(v: Decimal) -> String {
    fmt_num(v, 2)
}

fn amount(v: Decimal) -> String {
    fmt_num(v, 6)
}

fn level(v: Option<Decimal>) -> String {
    v.map(fmt_ratio).unwrap_or_else(|| "∞ (no debt)".into())
}

/// The account an automation event is about (`None` for other events).
pub fn account(k: &EventKind) -> Option<AccountId> {
    use EventKind::*;
    match k {
        OrderPlaced { account, .. }
        | OrderAmended { account, .. }
        | OrderCancelled { account, .. }
        | OrderTriggered { account, .. }
        | OrderFilled { account, .. }
        | OrderNotFilled { account, .. }
        | RuleSet { account, .. }
        | RuleCleared { account, .. }
        | RuleFired { account, .. }
        | RuleCouldNotAct { account, .. }
        | StrategySet { account, .. }
        | StrategyCleared { account, .. }
        | StrategyActed { account, .. } => Some(*account),
        _ => None,
    }
}

/// Whether the event is one of the automation's.
pub fn is_automation(k: &EventKind) -> bool {
    account(k).is_some() || matches!(k, EventKind::FillImpact { .. })
}

/// One sentence for an automation event (`None` for other events).
pub fn describe(k: &EventKind) -> Option<String> {
    use EventKind::*;
    Some(match k {
        OrderPlaced {
            account,
            order,
            mark_price,
            liquidation_price,
        } => {
            let size = order
                .remaining()
                .map(|s| format!("{} {}", amount(s), order.market))
                .unwrap_or_else(|| "the whole position".into());
            let mut s = match order.kind {
                OrderKind::Limit => format!(
                    "{account} placed a {} limit #{} for {size} at {} (mark {}).",
                    if order.side == crate::engine::Side::Long {
                        "buy"
                    } else {
                        "sell"
                    },
                    order.id,
                    money(order.price),
                    money(*mark_price)
                ),
                kind => format!(
                    "{account} placed a {} #{} on the {} {}: {size} at {} (mark {}).",
                    kind.name(),
                    order.id,
                    order.market,
                    order.side,
                    money(order.price),
                    money(*mark_price)
                ),
            };
            if let (OrderKind::StopLoss, Some(l)) = (order.kind, liquidation_price) {
                let beyond = match order.side {
                    crate::engine::Side::Long => order.price <= *l,
                    crate::engine::Side::Short => order.price >= *l,
                };
                if beyond {
                    s.push_str(&format!(
                        " It is beyond the liquidation price {}: the position would be liquidated before it fires.",
                        money(*l)
                    ));
                }
            }
            if order.origin == super::Origin::Strategy {
                s.push_str(" (by the strategy)");
            }
            s
        }
        OrderAmended {
            account,
            id,
            price,
            size,
            previous_price,
            ..
        } => format!(
            "{account} moved order #{id} from {} to {}{}.",
            money(*previous_price),
            money(*price),
            size.map(|s| format!(", size {}", amount(s)))
                .unwrap_or_default()
        ),
        OrderCancelled {
            account,
            id,
            kind,
            market,
            reason,
        } => format!(
            "{account}'s {} #{id} on {market} cancelled: {}.",
            kind.name(),
            match reason {
                CancelReason::ByYou => "by you",
                CancelReason::PositionClosed => "its position is closed",
                CancelReason::StrategyCleared => "its strategy was cleared",
                CancelReason::NotFilled => "it could not fill",
            }
        ),
        OrderTriggered {
            account,
            id,
            kind,
            market,
            price,
            mark_price,
        } => format!(
            "{account}'s {} #{id} on {market} triggered: the mark price {} reached its price {}.",
            kind.name(),
            money(*mark_price),
            money(*price)
        ),
        OrderFilled {
            account,
            id,
            kind,
            market,
            size,
            order_price,
            mark_price,
            fill_price,
            slippage,
            gap,
            remaining,
            realized_pnl,
            ..
        } => {
            let mut s = format!(
                "{account}'s {} #{id} filled {} {market} at {}",
                kind.name(),
                amount(*size),
                money(*fill_price)
            );
            match kind {
                OrderKind::Limit => {
                    s.push_str(&format!(" (its limit; mark {})", money(*mark_price)));
                    if !remaining.is_zero() {
                        s.push_str(&format!(
                            "; only that much traded through the limit this step, {} still rests",
                            amount(*remaining)
                        ));
                    }
                }
                _ => {
                    s.push_str(&format!(
                        " (trigger {}, mark {}",
                        money(*order_price),
                        money(*mark_price)
                    ));
                    if !gap.is_zero() {
                        s.push_str(&format!(", {} lost to the gap", money(*gap)));
                    }
                    s.push_str(&format!(", {} slippage)", money(*slippage)));
                    s.push_str(&format!(", realizing {} PnL", money(*realized_pnl)));
                }
            }
            s.push('.');
            s
        }
        OrderNotFilled {
            account,
            id,
            kind,
            market,
            reason,
            ..
        } => format!(
            "{account}'s {} #{id} on {market} fired but did not fill: {reason}.",
            kind.name()
        ),
        RuleSet {
            account,
            id,
            rule,
            origin,
            replaced,
        } => format!(
            "{account} set rule #{id}: {}{}{}.",
            rule.summary(),
            replaced
                .map(|r| format!(" (replacing #{r})"))
                .unwrap_or_default(),
            if *origin == super::Origin::Strategy {
                " (by the strategy)"
            } else {
                ""
            }
        ),
        RuleCleared { account, id, rule } => {
            format!("{account} cleared rule #{id} ({}).", rule.summary())
        }
        RuleFired {
            account,
            id,
            rule,
            amount: a,
            value,
            before,
            after,
            reached_target,
            blocked_secs,
            ..
        } => {
            let verb = match rule {
                super::ProtectionRule::RepayBelow { .. } => "repaid",
                super::ProtectionRule::BoostAbove { .. } => "borrowed",
                super::ProtectionRule::TopUpBelow { .. } => "added",
            };
            let mut s = format!(
                "Rule #{id} ({}) {verb} {} {} (worth {}) for {account}: {} {} → {}.",
                rule.name(),
                amount(*a),
                rule.asset(),
                money(*value),
                if matches!(rule, super::ProtectionRule::TopUpBelow { .. }) {
                    "vault ratio"
                } else {
                    "health"
                },
                level(*before),
                level(*after)
            );
            if !reached_target {
                s.push_str(&format!(
                    " It could not reach its target {} (the wallet ran short or a limit applied).",
                    fmt_ratio(rule.target())
                ));
            }
            if let Some(b) = blocked_secs {
                s.push_str(&format!(" It had been unable to act for {b} s."));
            }
            s
        }
        RuleCouldNotAct {
            account,
            id,
            rule,
            level: l,
            reason,
        } => format!(
            "Rule #{id} ({}) of {account} should act (level {}) but cannot: {reason}. It will act as soon as it can.",
            rule.name(),
            level(*l)
        ),
        StrategySet { account, strategy } => format!(
            "{account} attached the strategy \"{}\": {}.",
            strategy.name,
            strategy.summary()
        ),
        StrategyCleared {
            account,
            name,
            orders_cancelled,
            rules_cleared,
        } => format!(
            "{account} cleared the strategy \"{name}\" ({orders_cancelled} order(s) cancelled, {rules_cleared} rule(s) cleared)."
        ),
        StrategyActed {
            account: _,
            name,
            step,
        } => match step {
            StrategyStep::Entered {
                market,
                side,
                size,
                price,
                margin,
                slippage,
                entry,
            } => format!(
                "Strategy \"{name}\" entered (#{entry}): {side} {} {market} at {} with {} margin ({} slippage).",
                amount(*size),
                money(*price),
                money(*margin),
                money(*slippage)
            ),
            StrategyStep::Exited { wait_secs } => format!(
                "Strategy \"{name}\": its position is closed{}.",
                wait_secs
                    .map(|t| format!("; it enters again in {}", duration(t)))
                    .unwrap_or_else(|| "; it does not re-enter".into())
            ),
            StrategyStep::Deposited { asset, amount: a } => {
                format!("Strategy \"{name}\" deposited {} {asset}.", amount(*a))
            }
            StrategyStep::Borrowed {
                asset,
                amount: a,
                level_after,
            } => format!(
                "Strategy \"{name}\" borrowed {} {asset} (now at {}).",
                amount(*a),
                level(*level_after)
            ),
            StrategyStep::CouldNotAct {
                reason,
                retry_after_secs,
            } => format!(
                "Strategy \"{name}\" could not act: {reason}{}.",
                retry_after_secs
                    .map(|t| format!("; it tries again in {}", duration(t)))
                    .unwrap_or_default()
            ),
        },
        FillImpact {
            asset,
            sold,
            price_before,
            price_after,
        } => format!(
            "Order fills {} {} {asset} and moved the market {} → {} (slippage {}%).",
            if sold.is_sign_negative() { "bought" } else { "sold" },
            amount(sold.abs()),
            money(*price_before),
            money(*price_after),
            if price_before.is_zero() {
                "0".into()
            } else {
                fmt_num(
                    ((*price_before - *price_after) / *price_before * Decimal::ONE_HUNDRED).abs(),
                    2,
                )
            }
        ),
        _ => return None,
    })
}
